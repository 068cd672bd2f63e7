#!/bin/sh
# gongshi build: golden files, determinism, atomic swap, escaping, privacy.
exec python3 "$(dirname "$0")/../build/test_build.py" "${GONGSHI:-build/gongshi}"

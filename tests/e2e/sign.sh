#!/bin/sh
# Commit signatures against the published keys (tests/sign/test_sign.py).
exec python3 "$(dirname "$0")/../sign/test_sign.py" "${GONGSHI:-build/gongshi}"

#!/bin/sh
# Stable pages and what a rebuild changes (issue #19): tests/build/test_stable.py on the demo record.
exec python3 "$(dirname "$0")/../build/test_stable.py" "${GONGSHI:-build/gongshi}"

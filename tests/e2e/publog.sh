#!/bin/sh
# The publication log's chain, refusals, --new-log and gongshi verify (tests/publog/test_publog.py).
exec python3 "$(dirname "$0")/../publog/test_publog.py" "${GONGSHI:-build/gongshi}"

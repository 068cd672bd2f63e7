#!/bin/sh
# The audit trail on scripted git histories (tests/history/test_history.py).
exec python3 "$(dirname "$0")/../history/test_history.py" "${GONGSHI:-build/gongshi}"

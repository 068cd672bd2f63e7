#!/bin/sh
# Lapses published, not frozen: time passing, history, overrides, working days left (tests/lapse/test_lapse.py).
exec python3 "$(dirname "$0")/../lapse/test_lapse.py" "${GONGSHI:-build/gongshi}"

#!/bin/sh
# Lists cut into pages (issue #23): page sizes, three clicks to every record, and what one added
# award changes (tests/lists/test_lists.py, on a record of a few thousand awards made by
# tests/bench/synth.py T).  Under valgrind (VALGRIND=1) it is left out: its two builds of
# 2,000 awards would take hours there; the ASan suite runs it.
if [ -n "${GONGSHI_WRAPPER:-}" ]; then
	echo "lists: left out under GONGSHI_WRAPPER (valgrind)"
	echo "lists: 0 passed, 0 failed"
	exit 0
fi
exec python3 "$(dirname "$0")/../lists/test_lists.py" "${GONGSHI:-build/gongshi}"

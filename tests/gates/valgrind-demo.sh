#!/bin/sh
# Gate: `gongshi build` of the demo record (its whole dated history) under
# valgrind memcheck: no error, no byte definitely lost, and the site it
# writes is byte for byte the site of the same build without valgrind.
# Environment: GONGSHI (default build/gongshi), GATE_DEMO_REPO (the demo
# repository that tests/tools/demo-repo.py writes).
# Closes with "valgrind-demo: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
G=${GONGSHI:-build/gongshi}
R=${GATE_DEMO_REPO:-build/gates/demo-repo}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01, so the site does not depend on today

# --soname-synonyms: memcheck replaces jemalloc's malloc as it does libc's
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--soname-synonyms=somalloc=*jemalloc* \
	--log-file="$tmp/vg.log" "$G" -C "$R" build --quiet -o "$tmp/vg-site" >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$tmp/vg.log" ]; then
	ok "demo build under valgrind: exit 0, no error, nothing definitely lost"
else
	bad "demo build under valgrind: exit $rc"
	head -n 60 "$tmp/vg.log" "$tmp/out"
fi
"$G" -C "$R" build --quiet -o "$tmp/site" >"$tmp/out2" 2>&1 || bad "demo build without valgrind"
if diff -r "$tmp/vg-site" "$tmp/site" >/dev/null 2>&1; then
	ok "the same site with and without valgrind ($(find "$tmp/site" -type f | wc -l) files)"
else
	bad "the site differs under valgrind"
	diff -rq "$tmp/vg-site" "$tmp/site" | head
fi
echo "valgrind-demo: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# The README's tour runs as written: every indented line of its section
# "A five-minute tour" (but the sample diagnostic, which is output), one
# after the other in one shell, from a scratch copy of this repository's
# top with the demo record made as `make site` makes it.  Any line that
# fails fails the test.
set -u
cd "$(dirname "$0")/../.."
top=$PWD
G=${GONGSHI:-build/gongshi}
case $G in /*) ;; *) G=$top/$G ;; esac
if [ -n "${VALGRIND:-}" ]; then
	echo "tour: 0 passed, 0 failed (skipped under valgrind: a whole demo build a line)"
	exit 0
fi
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/top/build"
# The binary under the name the tour uses, through the wrapper of the run
# (the sanitizer build's, or none).
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${GONGSHI_WRAPPER:-}" "$G" > "$d/top/build/gongshi"
chmod +x "$d/top/build/gongshi"
python3 tests/tools/demo-repo.py "$d/top/build/demo-repo" >/dev/null || { echo "FAIL tour: demo-repo.py failed"; echo "tour: 0 passed, 1 failed"; exit 1; }
sed -n '/^## A five-minute tour/,/^## /p' README.md | sed -n 's/^    //p' | grep -v '^data/.*: error: \|^[0-9]* errors*, ' > "$d/lines"
passed=0
failed=0
n=$(grep -c . "$d/lines")
[ "$n" -ge 10 ] || { echo "FAIL tour: only $n command lines found in the README's tour"; failed=1; }
# One shell for all the lines, so that `export` and `cd` carry over; it
# stops at the first line that fails and names it.
{
	echo 'set -e'
	echo "cd '$d/top'"
	while IFS= read -r line; do
		printf 'printf "%%s\\n" %s > %s\n' "'$(printf '%s' "$line" | sed "s/'/'\\\\''/g")'" "'$d/current'"
		printf '%s\n' "$line"
	done < "$d/lines"
	echo "echo > '$d/current'"
} > "$d/tour.sh"
sh "$d/tour.sh" > "$d/out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then
	passed=$((passed + n))
else
	echo "FAIL tour: exit $rc at the README's line: $(cat "$d/current")"
	tail -n 20 "$d/out"
	failed=$((failed + 1))
fi
echo "tour: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# Runs the test suites and closes with one line "total: N passed, N failed".
# Usage: tests/run.sh [unit|e2e|schema]...   (default: all)
# Environment: GONGSHI (binary, default build/gongshi), BUILD (default build).
set -u
cd "$(dirname "$0")/.."
B=${BUILD:-build}
GONGSHI=${GONGSHI:-$B/gongshi}
# Under VALGRIND=1 every run of gongshi goes through memcheck and fails
# the case on any error or definitely lost byte.
if [ -n "${VALGRIND:-}" ]; then
	export GONGSHI_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --soname-synonyms=somalloc=*jemalloc*"
fi
suites=${*:-unit e2e schema}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # adds the "N passed, M failed" figures of the last run to the totals
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(printf "%s\n" "$line" | sed -E "s/^(.*[^0-9])?([0-9]+) passed.*/\2/")
	f=$(printf '%s\n' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
}

for s in $suites; do
	case $s in
	unit)
		for t in "$B"/tests/test_*; do
			[ -x "$t" ] || continue
			if [ -n "${VALGRIND:-}" ]; then
				CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full \
					--errors-for-leak-kinds=definite "$t" >"$log" 2>&1
			else
				"$t" >"$log" 2>&1
			fi
			rc=$?
			cat "$log"
			# Check's summary: "100%: Checks: 12, Failures: 0, Errors: 0"
			line=$(grep -E 'Checks: [0-9]+' "$log" | tail -n 1)
			n=$(printf '%s\n' "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
			bad=$(printf '%s\n' "$line" | sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2/')
			if [ -z "$line" ]; then
				echo "FAIL $t: exit $rc, no Check summary"
				failed=$((failed + 1))
				continue
			fi
			set -- $bad
			f=$(($1 + $2))
			[ $rc -ne 0 ] && [ $f -eq 0 ] && f=1
			passed=$((passed + n - $1 - $2))
			failed=$((failed + f))
		done
		# The fuzz targets' seeds and regression inputs, replayed.
		for t in "$B"/tests/replay_*; do
			[ -x "$t" ] || continue
			name=${t##*/replay_}
			[ -d "tests/fuzz/corpus/$name" ] || continue
			if [ -n "${VALGRIND:-}" ]; then
				valgrind -q --error-exitcode=99 --leak-check=full \
					--errors-for-leak-kinds=definite "$t" "tests/fuzz/corpus/$name" >"$log" 2>&1
			else
				"$t" "tests/fuzz/corpus/$name" >"$log" 2>&1
			fi
			rc=$?
			cat "$log"
			if [ $rc -ne 0 ]; then
				echo "FAIL $t: exit $rc"
				failed=$((failed + 1))
			else
				count
			fi
		done
		;;
	e2e)
		set -- tests/check/cases/*.case
		if [ -e "$1" ]; then
			python3 tests/check/run.py "$GONGSHI" "$@" >"$log" 2>&1
			cat "$log"
			count
		fi
		for t in tests/e2e/*.sh; do
			[ -f "$t" ] || continue
			GONGSHI="$GONGSHI" sh "$t" >"$log" 2>&1
			cat "$log"
			count
		done
		;;
	schema)
		if [ -f tests/schema/agree.py ]; then
			python3 tests/schema/agree.py "$GONGSHI" >"$log" 2>&1
			cat "$log"
			count
		fi
		;;
	*)
		echo "tests/run.sh: unknown suite $s" >&2
		exit 2
		;;
	esac
done
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

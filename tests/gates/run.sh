#!/bin/sh
# Runs make targets one after the other, even after one fails, and closes
# with "LABEL: N passed, M failed" (the sums of the targets' own closing
# lines), a table of times, and a non-zero exit if any target failed.
# `make test-gates` runs every quality gate of issue #5 with it; `make
# test` runs the suite, the sanitizers, valgrind and the gates.
# Usage: tests/gates/run.sh [TARGET]...   (default: the gates, in the order below)
# Environment: MAKE (the make that runs the targets), LABEL (default gates).
set -u
cd "$(dirname "$0")/../.."
gates=${*:-test-nginx test-html test-browser test-a11y test-xss test-reload test-privacy test-corrupt fuzz-smoke}
make=${MAKE:-make}
passed=0
failed=0
summary=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for g in $gates; do
	start=$(date +%s)
	$make --no-print-directory "$g" >"$log" 2>&1
	rc=$?
	cat "$log"
	secs=$(($(date +%s) - start))
	line=$(grep -E '^[A-Za-z0-9-]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	p=$(printf '%s\n' "$line" | sed -nE 's/.*: ([0-9]+) passed.*/\1/p')
	f=$(printf '%s\n' "$line" | sed -nE 's/.* ([0-9]+) failed$/\1/p')
	p=${p:-0}
	f=${f:-0}
	# A gate that failed without saying how many checks failed (a build
	# or install step) still counts as one failure.
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
	passed=$((passed + p))
	failed=$((failed + f))
	summary="$summary$(printf '  %-19s %5d passed %4d failed  %4ds  %s' "$g" "$p" "$f" "$secs" "$([ $rc -eq 0 ] && echo ok || echo FAILED)")
"
done
label=${LABEL:-gates}
printf '\n%s:\n%s' "$label" "$summary"
echo "$label: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

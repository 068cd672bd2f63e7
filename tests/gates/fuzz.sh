#!/bin/sh
# Runs every libFuzzer target built by `make fuzz-build` for a fixed time,
# each over a fresh copy of its seed corpus (tests/fuzz/corpus/NAME/ for
# build/fuzz/fuzz_NAME), so that the seeds stay as they are.  A crash, a
# leak, undefined behaviour, a timeout (10 s for one input) or running out
# of memory fails the target; its input is kept under build/fuzz/crashes/.
#
# Usage: fuzz.sh LABEL SECONDS [NAME]...   (LABEL names the closing line,
# "LABEL: N passed, M failed"; default NAME: every target built)
# Environment: FUZZ_B (default build/fuzz).
set -u
cd "$(dirname "$0")/../.."
label=$1 seconds=$2
shift 2
B=${FUZZ_B:-build/fuzz}
names=${*:-$(for b in "$B"/fuzz_*; do [ -x "$b" ] && printf '%s ' "${b##*/fuzz_}"; done)}
passed=0
failed=0
if [ -z "$names" ]; then
	echo "no fuzz targets in $B (run make fuzz-build)"
	echo "$label: 0 passed, 1 failed"
	exit 1
fi
# print_stacktrace: a UBSan report says where; the leak checker is on by
# default in libFuzzer.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for name in $names; do
	bin=$B/fuzz_$name
	seeds=tests/fuzz/corpus/$name
	run=$B/run/$name
	rm -rf "$run"
	mkdir -p "$run/corpus" "$run/artifacts"
	[ -d "$seeds" ] && cp -R "$seeds/." "$run/corpus/"
	nseeds=$(ls "$run/corpus" | wc -l)
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$run/artifacts/" "$run/corpus" >"$run/log" 2>&1
	rc=$?
	found=$(ls "$run/artifacts")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run/log" | tail -n 1)
	if [ $rc -eq 0 ] && [ -z "$found" ]; then
		passed=$((passed + 1))
		echo "ok   fuzz_$name: ${execs:-?} runs in ${seconds}s from $nseeds seeds, corpus now $(ls "$run/corpus" | wc -l) ($run/corpus)"
	else
		failed=$((failed + 1))
		mkdir -p "$B/crashes/$name"
		for f in $found; do cp "$run/artifacts/$f" "$B/crashes/$name/"; done
		echo "FAIL fuzz_$name: exit $rc; inputs kept in $B/crashes/$name/: $found"
		grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==|^ +#[0-9]' "$run/log" | head -n 30
		echo "  full log: $run/log; to reproduce: $bin $B/crashes/$name/<file>"
		echo "  then add the input to $seeds/ (a regression seed) and a unit test."
	fi
done
echo "$label: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

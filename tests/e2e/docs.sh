#!/bin/sh
# Every rule the checker enforces is documented in data/README.md and in
# gongshi-record(5); every command has a section in gongshi(1).
set -u
cd "$(dirname "$0")/../.."
G=${GONGSHI:-build/gongshi}
passed=0
failed=0
ids=$("$G" -C tests/fixtures/base rules --worktree | sed -n 's/^\([a-z0-9-]*\) (\(error\|warning\)): .*/\1/p')
[ -n "$ids" ] || { echo "FAIL docs: gongshi rules listed nothing"; failed=1; }
for id in $ids; do
	for doc in data/README.md data/gongshi-record.5; do
		# man pages escape hyphens: rule-id is written rule\-id
		pat=$(printf '%s' "$id" | sed 's/-/\\\\\\?-/g')
		if grep -q "$pat" "$doc"; then
			passed=$((passed + 1))
		else
			echo "FAIL docs: rule $id is not documented in $doc"
			failed=$((failed + 1))
		fi
	done
done
for cmd in $("$G" --help | sed -n 's/^  \([a-z]*\)  .*/\1/p'); do
	if grep -q "^\.SS gongshi $cmd" generator/gongshi.1; then
		passed=$((passed + 1))
	else
		echo "FAIL docs: command $cmd has no section in generator/gongshi.1"
		failed=$((failed + 1))
	fi
done
# The README's two set-up lines (its first indented lines) are what CI
# runs, verbatim, and the pristine-root stage is there too.
readme_cmds=$(sed -n '1,8s/^    \(apt-get .*\)$/\1/p' README.md)
[ "$(printf '%s\n' "$readme_cmds" | grep -c .)" -eq 2 ] || { echo "FAIL docs: README.md does not open with two command lines"; failed=$((failed + 1)); }
printf '%s\n' "$readme_cmds" | while IFS= read -r line; do
	grep -qxF "$line" .ci/run || { echo "FAIL docs: .ci/run does not run the README's line: $line"; exit 1; }
done && passed=$((passed + 1)) || failed=$((failed + 1))
grep -q 'shared/tools/fresh-debian .*make site' .ci/run && passed=$((passed + 1)) || { echo "FAIL docs: .ci/run has no pristine-root stage"; failed=$((failed + 1)); }
echo "docs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

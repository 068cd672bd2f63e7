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
echo "docs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# The command line: help and version everywhere, exit statuses 0, 1 and 2.
set -u
G=${GONGSHI:-build/gongshi}
G=$(cd "$(dirname "$G")" && pwd)/$(basename "$G")
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect STATUS PATTERN COMMAND...: exit status and a pattern of stdout+stderr
expect() {
	want=$1 pat=$2
	shift 2
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" = "$want" ] && printf '%s\n' "$out" | grep -q -- "$pat"; then
		passed=$((passed + 1))
	else
		echo "FAIL cli: '$*' exited $got (want $want), output:"
		printf '%s\n' "$out" | head -5 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

cp -r "$(dirname "$0")/../fixtures/small" "$tmp/rec"
git -C "$tmp/rec" init -q && git -C "$tmp/rec" add -A &&
	git -C "$tmp/rec" -c user.name=t -c user.email=t@e commit -q -m r

expect 0 "usage: gongshi" "$G" --help
expect 0 "^gongshi [0-9]" "$G" --version
for c in check rules build; do
	expect 0 "usage: gongshi $c" "$G" "$c" --help
	expect 0 "^gongshi [0-9]" "$G" "$c" --version
	expect 2 "unknown option --frobnicate" "$G" -C "$tmp/rec" "$c" --frobnicate
done
expect 2 "usage: gongshi" "$G"
expect 2 "not a command" "$G" frobnicate
expect 2 "unknown option" "$G" --frobnicate check
expect 2 "needs a value" "$G" -C "$tmp/rec" check --rev
expect 2 "takes a date" "$G" -C "$tmp/rec" check --today 2024-02-30
expect 2 "SOURCE_DATE_EPOCH" env SOURCE_DATE_EPOCH=yesterday "$G" -C "$tmp/rec" check
expect 2 "revspec\|not found\|no-such-rev" "$G" -C "$tmp/rec" check --rev no-such-rev
expect 2 "" "$G" -C "$tmp/nowhere" check
expect 2 "no data/ folder" "$G" -C "$tmp" check --worktree
expect 0 "0 errors" "$G" -C "$tmp/rec" check --today 2024-12-31
expect 0 "0 errors" "$G" check -C "$tmp/rec" --today=2024-12-31
expect 0 "^reference (error)" "$G" -C "$tmp/rec" rules
expect 0 "lanzhou " "$G" -C "$tmp/rec" rules lanzhou
expect 2 "no program \"nowhere\"" "$G" -C "$tmp/rec" rules nowhere
expect 2 "unexpected argument" "$G" -C "$tmp/rec" check extra
expect 0 "wrote [0-9]* pages" "$G" -C "$tmp/rec" build -o "$tmp/site" --today 2024-12-31
for j in 0 17 -1 two "" 2x; do
	expect 2 "takes a number of processes from 1 to 16, not $j" "$G" -C "$tmp/rec" build -o "$tmp/site" -j "$j"
done
expect 2 "needs a value" "$G" -C "$tmp/rec" build -o "$tmp/site" -j
expect 2 "unknown option -j" "$G" -C "$tmp/rec" check -j 2
expect 2 "unknown option --base-url$" "$G" -C "$tmp/rec" check --base-url=https://x.example/
expect 2 "unknown option --jobs$" "$G" -C "$tmp/rec" check --jobs 2
expect 2 "unexpected argument --worktree" "$G" -C "$tmp/rec" check -- --worktree
expect 0 "" "$G" -C "$tmp/rec" build -o "$tmp/site" -j1 -q --today 2024-12-31
expect 0 "wrote [0-9]* pages" "$G" -C "$tmp/rec" build -o "$tmp/site" --jobs=16 --today 2024-12-31
expect 0 "wrote [0-9]* pages" "$G" -C "$tmp/rec" build -o "$tmp/site" -j 1 --today 2024-12-31

# check NAME CONDITION: one more passed or failed test
check() {
	if eval "$2"; then
		passed=$((passed + 1))
	else
		echo "FAIL cli: $1"
		failed=$((failed + 1))
	fi
}

# --quiet (-q): nothing at all on success; stderr not a terminal: no
# progress line, only the summary on stdout
for q in --quiet -q; do
	"$G" -C "$tmp/rec" build $q -o "$tmp/site" --today 2024-12-31 >"$tmp/out" 2>"$tmp/err"
	check "build $q exits 0 and prints nothing" \
		'[ $? -eq 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]'
done
"$G" -C "$tmp/rec" build -o "$tmp/site" --today 2024-12-31 >"$tmp/out" 2>"$tmp/err"
check "build off a terminal: no progress line on stderr" '[ ! -s "$tmp/err" ]'
check "build off a terminal: the summary alone on stdout" \
	'[ "$(wc -l <"$tmp/out")" -eq 1 ] && grep -q "^wrote [0-9]* pages" "$tmp/out"'
# on a terminal (script(1) gives the build one): the bar, cleared at the
# end, then the summary; with --quiet nothing
if command -v script >/dev/null 2>&1; then
	script -qec "'$G' -C '$tmp/rec' build -o '$tmp/site' --today 2024-12-31" "$tmp/tty" >/dev/null 2>&1
	check "build on a terminal shows a progress bar" \
		'grep -q "\] [0-9]*/[0-9]* pages, [0-9]* pages/s" "$tmp/tty"'
	check "build on a terminal clears the bar before the summary" \
		'grep -q "$(printf "pages/s\r\033\\[K")wrote [0-9]* pages" "$tmp/tty"'
	script -qec "'$G' -C '$tmp/rec' build --quiet -o '$tmp/site' --today 2024-12-31" "$tmp/tty" >/dev/null 2>&1
	check "build --quiet on a terminal shows no progress" \
		'! grep -q "pages/s\|wrote\|reading" "$tmp/tty"'
fi
# textconv, which git runs once per version shown, starts no libgit2:
# starting it reads the system's CA certificates first (mbedtls), three
# quarters of what a textconv run cost.  check, which reads a repository,
# is the control that the trace would show them.
if command -v strace >/dev/null 2>&1; then
	f=$(ls "$tmp"/rec/data/notices/*.json | head -n 1)
	strace -f -e trace=open,openat -o "$tmp/trace" "$G" textconv "$f" >/dev/null 2>&1
	check "textconv reads its file" 'grep -q "$(basename "$f")" "$tmp/trace"'
	check "textconv reads no CA certificates (starts no libgit2)" '! grep -q "/etc/ssl" "$tmp/trace"'
	strace -f -e trace=open,openat -o "$tmp/trace" "$G" -C "$tmp/rec" check >/dev/null 2>&1
	check "check starts libgit2, which reads the CA certificates (the control)" \
		'grep -q "/etc/ssl" "$tmp/trace"'
else
	echo "cli: strace is not installed: the test that textconv starts no libgit2 is skipped"
fi
# issue #16: each mistake says what is wrong and how to go on, with the
# exit status of its kind
expect 2 "-C needs a value" "$G" -C
for e in 99999999999999999999 7258118400; do
	expect 2 "SOURCE_DATE_EPOCH is $e seconds, a date after the year 2199" \
		env SOURCE_DATE_EPOCH=$e "$G" -C "$tmp/rec" check
done
expect 0 "0 errors" env SOURCE_DATE_EPOCH=7258089599 "$G" -C "$tmp/rec" check
mkdir "$tmp/empty" && cp -r "$tmp/rec/data" "$tmp/empty/" && git -C "$tmp/empty" init -q
expect 2 "has no commits yet" "$G" -C "$tmp/empty" check
expect 2 "has no commits yet" "$G" -C "$tmp/empty" build -o "$tmp/empty-site"
cd "$tmp/rec" || exit 2
for o in / ..; do # not a folder it could replace: usage, not a rule broken
	expect 2 "has no last component" "$G" build -o "$o" --today 2024-12-31
done
for o in . data/..; do # the repository itself (issue #16), refused before anything is made
	expect 2 "is the repository itself" "$G" build -o "$o" --today 2024-12-31
done
check "no cache beside a folder that is none" '[ ! -e /..cache ] && ! ls -a "$tmp/rec" | grep -q "\.cache"'
cd - >/dev/null || exit 2
# a repository of another user: git's safe.directory, told with its command
if [ "$(id -u)" = 0 ] && cp -r "$tmp/rec" "$tmp/theirs" && chown -R nobody "$tmp/theirs" 2>/dev/null; then
	expect 2 "git config --global --add safe.directory $tmp/theirs\$" env HOME="$tmp" "$G" -C "$tmp/theirs/data" check
	expect 2 "safe.directory $tmp/theirs\$" env HOME="$tmp" "$G" -C "$tmp/theirs" check --worktree
	HOME=$tmp git config --global --add safe.directory "$tmp/theirs"
	expect 0 "0 errors" env HOME="$tmp" "$G" -C "$tmp/theirs" check --today 2024-12-31
else
	echo "cli: not root: the test of a repository owned by another user is skipped"
fi
# the benchmark's generator: a usage, not a traceback
expect 0 "usage: synth.py" python3 "$(dirname "$0")/../bench/synth.py" --help
expect 2 "usage: synth.py" python3 "$(dirname "$0")/../bench/synth.py" S
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

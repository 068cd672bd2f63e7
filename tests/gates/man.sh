#!/bin/sh
# The man pages: mandoc's lint at warning level (any message fails), and
# `make install` into a scratch DESTDIR puts the binary and both pages
# where man(1) finds them, which render; `make uninstall` removes them.
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL man: $*"; failed=$((failed + 1)); }
command -v mandoc >/dev/null 2>&1 || { echo "FAIL man: mandoc is not installed (make deps)"; echo "man: 0 passed, 1 failed"; exit 1; }
for page in generator/gongshi.1 data/gongshi-record.5; do
	out=$(mandoc -Tlint -Wwarning "$page" 2>&1)
	if [ -z "$out" ]; then ok; else bad "$page is not lint-clean:"; printf '%s\n' "$out"; fi
done
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
if ${MAKE:-make} --no-print-directory -s install DESTDIR="$d" PREFIX=/usr >"$d.log" 2>&1; then ok; else bad "make install failed"; cat "$d.log"; fi
rm -f "$d.log"
for f in usr/bin/gongshi usr/share/man/man1/gongshi.1 usr/share/man/man5/gongshi-record.5; do
	if [ -f "$d/$f" ]; then ok; else bad "make install did not write $f"; fi
done
if [ -x "$d/usr/bin/gongshi" ] && "$d/usr/bin/gongshi" --version >/dev/null 2>&1; then ok; else bad "the installed gongshi does not run"; fi
for page in man1/gongshi.1 man5/gongshi-record.5; do
	if mandoc -Tascii -Owidth=80 "$d/usr/share/man/$page" 2>/dev/null | sed "s/.\x08//g" | grep -q "^NAME"; then ok; else bad "$page does not render"; fi
done
${MAKE:-make} --no-print-directory -s uninstall DESTDIR="$d" PREFIX=/usr >/dev/null 2>&1
left=$(find "$d" -type f)
if [ -z "$left" ]; then ok; else bad "make uninstall left: $left"; fi
echo "man: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

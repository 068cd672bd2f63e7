#!/bin/sh
# The symlink rule, which a .case file cannot express (run.py writes only
# regular files): symbolic links where record files are expected are told
# as warnings (exit 0) and never followed, in the working tree and in a
# commit alike -- a link to /etc/passwd, one to another record file, a
# dangling one -- while a link to a folder is not entered.
set -u
cd "$(dirname "$0")/../.."
G=${GONGSHI:-build/gongshi}
case $G in /*) ;; *) G=$PWD/$G ;; esac
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

r=$tmp/repo
cp -R tests/fixtures/base "$r"
mkdir "$tmp/outside"
printf '{ broken\n' >"$tmp/outside/x.json"
ln -s /etc/passwd "$r/data/notices/passwd.json"
ln -s ../organizations/91620100051836270K.json "$r/data/organizations/alias.json"
ln -s nowhere.json "$r/data/rounds/dangling.json"
ln -s "$tmp/outside" "$r/data/notices/linked"

W='warning: a symbolic link or submodule, not a file; ignored [symlink]'
cat >"$tmp/expect" <<EOF
data/notices/passwd.json:1:1: $W
data/organizations/alias.json:1:1: $W
data/programs/hohhot.json:3:9: warning: program "hohhot" runs under measures that are a draft for comment (征求意见稿); results under them may not stand (第二十七条) [measures-status]
data/rounds/dangling.json:1:1: $W
EOF

check() { # name, expected exit status, gongshi arguments...
	name=$1
	want=$2
	shift 2
	${GONGSHI_WRAPPER:-} "$G" -C "$r" check -q "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want" ] && cmp -s "$tmp/out" "$tmp/expect" && [ ! -s "$tmp/err" ]; then
		passed=$((passed + 1))
	else
		echo "FAIL symlink: $name: exit $rc, expected $want"
		diff "$tmp/expect" "$tmp/out" | sed 's/^/    /'
		sed 's/^/    stderr: /' "$tmp/err"
		failed=$((failed + 1))
	fi
}

check "links in the working tree" 0 --worktree
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.org GIT_AUTHOR_DATE=2024-01-01T00:00:00+08:00 \
	GIT_COMMITTER_DATE=2024-01-01T00:00:00+08:00
if git -C "$r" init -q && git -C "$r" add -A && git -C "$r" commit -q -m links; then
	check "links in a commit" 0
else
	echo "FAIL symlink: could not commit the record"
	failed=$((failed + 1))
fi

# The same record without the links: no symlink warning.
rm "$r/data/notices/passwd.json" "$r/data/organizations/alias.json" \
	"$r/data/rounds/dangling.json" "$r/data/notices/linked"
grep -v '\[symlink\]' "$tmp/expect" >"$tmp/expect2" && mv "$tmp/expect2" "$tmp/expect"
check "no links" 0 --worktree

# content/: a link is not published as a page holding its target (told
# as in data/, in the working tree and in a commit), nor a linked folder
# read; the site is built without them.
mkdir -p "$r/content/pages" "$r/content/announcements" "$tmp/theme"
ln -s /etc/passwd "$r/content/pages/passwd.md"
ln -s /etc/hostname "$r/content/announcements/2024-01-02-host.md"
ln -s "$tmp/theme" "$r/themes"
{
	printf 'content/announcements/2024-01-02-host.md:1:1: %s\n' "$W"
	printf 'content/pages/passwd.md:1:1: %s\n' "$W"
	cat "$tmp/expect"
	printf 'themes:1:1: %s\n' "$W"
} >"$tmp/expect2" && mv "$tmp/expect2" "$tmp/expect"
check "links in content/ in the working tree" 0 --worktree
git -C "$r" add -A && git -C "$r" commit -q -m "content links"
check "links in content/ in a commit" 0
${GONGSHI_WRAPPER:-} "$G" -C "$r" build -q -o "$tmp/site" --today 2024-12-31 >"$tmp/out" 2>&1
if [ $? -eq 0 ] && [ -e "$tmp/site/index.html" ] && [ ! -e "$tmp/site/pages/passwd" ] &&
	[ ! -e "$tmp/site/announcements/2024-01-02-host" ] && ! grep -rq "root:" "$tmp/site"; then
	passed=$((passed + 1))
else
	echo "FAIL symlink: a link in content/ was published, or the build failed"
	sed 's/^/    /' "$tmp/out"
	failed=$((failed + 1))
fi

# data/ itself a link: a commit holds the link, not the record, so the
# working tree is refused as the commit is, never checked as empty.
l=$tmp/linked
mkdir "$l"
ln -s "$r/data" "$l/data"
${GONGSHI_WRAPPER:-} "$G" -C "$l" check --worktree >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q "data/ is a symbolic link" "$tmp/out"; then
	passed=$((passed + 1))
else
	echo "FAIL symlink: data/ as a link in the working tree: exit $rc"
	sed 's/^/    /' "$tmp/out"
	failed=$((failed + 1))
fi

echo "symlink: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

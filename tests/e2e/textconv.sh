#!/bin/sh
# No private value through git's diff driver (gongshi textconv) or
# gongshi diff, whatever a version holds (issue #16, item 3): every form a
# version that is not strict JSON takes, with a marker in a private field,
# shown with and without a fingerprint key; and textconv of a folder.
set -u
G=${GONGSHI:-build/gongshi}
G=$(cd "$(dirname "$G")" && pwd)/$(basename "$G")
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# no key from the environment or the home of whoever runs the tests
unset GONGSHI_FINGERPRINT_KEY
export XDG_CONFIG_HOME="$tmp/config" HOME="$tmp/home"
KEY=0123456789abcdef0123

# check NAME CONDITION: one more passed or failed test
check() {
	if eval "$2"; then
		passed=$((passed + 1))
	else
		echo "FAIL textconv: $1"
		failed=$((failed + 1))
	fi
}

# One file per form, each with markers (PRIVMARK...) in private fields
# only; the name says the form.
mkdir -p "$tmp/v"
python3 - "$tmp/v" <<'EOF'
import os, sys
d = sys.argv[1]
P = '"private":{"contact_name":"PRIVMARK1","contact_phone":"PRIVMARK2"}'
forms = {
    "strict": '{"id":"x","name":"n",%s}' % P,
    "bom": '\ufeff{"id":"x","name":"n",%s}' % P,
    "bom-twice": '\ufeff\ufeff{"id":"x",%s}' % P,
    "dup-value-first": '{"id":"x","private":{"contact_name":"PRIVMARK1","contact_name":"ok"}}',
    "dup-value-second": '{"id":"x","private":{"contact_name":"ok","contact_name":"PRIVMARK1"}}',
    "dup-private-first": '{"id":"x",%s,"private":{"notes":"ok"}}' % P,
    "dup-private-second": '{"id":"x","private":{"notes":"ok"},%s}' % P,
    "dup-private-null": '{"id":"x","private":null,%s}' % P,
    "dup-private-string": '{"id":"x",%s,"private":"ok"}' % P,
    "dup-public-and-private": '{"id":"x","name":"n",%s,"name":"m"}' % P,
    "trailing-comma": '{"id":"x",%s,}' % P,
    "trailing-comma-inside": '{"id":"x","private":{"contact_name":"PRIVMARK1",}}',
    "trailing-text": '{"id":"x"} {"private":{"notes":"PRIVMARK1"}}',
    "big": '{"id":"x","pad":"%s",%s}' % ("x" * (1024 * 1024 + 10), P),
    "nested-33": '{"id":"x","a":%s{%s}%s}' % ('{"a":' * 32, P, "}" * 32),
    "nested-45": '{"id":"x","a":%s{%s}%s}' % ('{"a":' * 44, P, "}" * 44),
    "nested-2000": '{"id":"x","a":%s{%s}%s}' % ('{"a":' * 1999, P, "}" * 1999),
    "nul-in-value": '{"id":"x","private":{"contact_name":"PRIVMARK1\0"}}',
    "nul-in-key": '{"id":"x","priv\0ate":{"contact_name":"PRIVMARK1"}}',
    "nul-between": '{"id":"x",\0%s}' % P,
    "escaped-nul-key": '{"id":"x","private\\u0000tail":{"contact_name":"PRIVMARK1"}}',
    "escaped-key": '{"id":"x","\\u0070rivate":{"contact_name":"PRIVMARK1"}}',
    "marker-as-key": '{"id":"x","private":{"PRIVMARK1":true,"x PRIVMARK2":1}}',
    "private-scalar": '{"id":"x","private":"PRIVMARK1"}',
    "private-array": '{"id":"x","private":["PRIVMARK1",{"a":"PRIVMARK2"}]}',
    "private-in-array": '{"id":"x","rows":[{"private":{"a":"PRIVMARK1"}},{"b":1}]}',
    "top-array": '[{"id":"x",%s}]' % P,
    "empty": '',
    "single-quotes": "{'id':'x','private':{'a':'PRIVMARK1'}}",
}
for name, text in forms.items():
    with open(os.path.join(d, name + ".json"), "wb") as f:
        f.write(text.encode("utf-8", "surrogatepass"))
raw = {
    "invalid-utf8": b'{"id":"x","name":"\xff\xfe",' + P.encode() + b'}',
    "overlong-utf8": b'{"id":"x","priv\xc1\xa1te":{"contact_name":"PRIVMARK1"}}',
    "gbk": '{"id":"x","name":"兰州","private":{"contact_name":"PRIVMARK1"}}'.encode("gbk"),
    "utf16": ('{"id":"x",%s}' % P).encode("utf-16"),
}
for name, data in raw.items():
    with open(os.path.join(d, name + ".json"), "wb") as f:
        f.write(data)
EOF

# textconv of every form: exit 0, something shown, no marker, with or
# without a key (in the environment or the file)
mkdir -p "$tmp/config/gongshi"
printf '%s\n' "$KEY" >"$tmp/keyfile"
for f in "$tmp"/v/*.json; do
	n=$(basename "$f" .json)
	for how in none env file; do
		rm -f "$tmp/config/gongshi/fingerprint-key"
		case $how in
		none) "$G" textconv "$f" >"$tmp/out" 2>"$tmp/err" ;;
		env) GONGSHI_FINGERPRINT_KEY=$KEY "$G" textconv "$f" >"$tmp/out" 2>"$tmp/err" ;;
		file)
			cp "$tmp/keyfile" "$tmp/config/gongshi/fingerprint-key"
			"$G" textconv "$f" >"$tmp/out" 2>"$tmp/err"
			;;
		esac
		rc=$?
		check "textconv $n ($how key) exits 0 (got $rc: $(head -c 200 "$tmp/err"))" '[ $rc -eq 0 ]'
		check "textconv $n ($how key) shows something" '[ -s "$tmp/out" ]'
		check "textconv $n ($how key) shows no private value: $(grep -a -o 'PRIVMARK[0-9]*' "$tmp/out" "$tmp/err" | head -n 3 | tr '\n' ' ')" \
			'! grep -a -q PRIVMARK "$tmp/out" "$tmp/err"'
		[ "$how" = none ] && check "textconv $n without a key shows no fingerprint" \
			'! grep -q fingerprint "$tmp/out"'
	done
done
rm -f "$tmp/config/gongshi/fingerprint-key"

# what is shown: fields of a lenient read, else one line
"$G" textconv "$tmp/v/bom.json" >"$tmp/out"
check "a version with a BOM is shown field by field" \
	'grep -q "^编号 (id): x$" "$tmp/out" && grep -q "(private.contact_phone): (private, not shown)$" "$tmp/out"'
for n in trailing-comma nul-in-value invalid-utf8 empty utf16; do
	"$G" textconv "$tmp/v/$n.json" >"$tmp/out"
	check "$n: one line saying the version is not valid JSON" \
		'[ "$(cat "$tmp/out")" = "(this version is not valid JSON; not shown)" ]'
done
GONGSHI_FINGERPRINT_KEY=$KEY "$G" textconv "$tmp/v/strict.json" >"$tmp/out"
fp=$(printf %s PRIVMARK1 | openssl dgst -sha256 -hmac "$KEY" 2>/dev/null | sed 's/.*= //' | cut -c1-16)
check "with a key, a private field shows its HMAC-SHA256 fingerprint ($fp)" \
	'[ -n "$fp" ] && grep -q "(private.contact_name): (private) fingerprint $fp$" "$tmp/out"'
GONGSHI_FINGERPRINT_KEY=short "$G" textconv "$tmp/v/strict.json" >"$tmp/out" 2>"$tmp/err"
check "a key shorter than 16 bytes is refused (exit 2)" \
	'[ $? -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "at least 16" "$tmp/err"'

# a folder, a missing file: exit 2 and a message
"$G" textconv "$tmp/v" >"$tmp/out" 2>"$tmp/err"
check "textconv DIR exits 2 with a message" '[ $? -eq 2 ] && grep -q "is a folder" "$tmp/err" && [ ! -s "$tmp/out" ]'
"$G" textconv "$tmp/nothing.json" >"$tmp/out" 2>"$tmp/err"
check "textconv of a missing file exits 2 with a message" '[ $? -eq 2 ] && grep -q "cannot open" "$tmp/err"'

# Every form as a version of two record files in a history, after and
# before a strict one: gongshi diff (text and --json) of each commit,
# and git diff / git log -p through the driver, with and without a key.
r="$tmp/repo"
mkdir -p "$r/data/organizations" "$r/data/applications"
git -C "$r" init -q
git -C "$r" config user.name t
git -C "$r" config user.email t@e
echo 'data/**/*.json diff=gongshi' >"$r/.gitattributes"
git -C "$r" config diff.gongshi.textconv "$G textconv"
for f in strict "$tmp"/v/*.json strict; do
	[ "$f" = strict ] && f=$tmp/v/strict.json
	cp "$f" "$r/data/organizations/x.json"
	cp "$f" "$r/data/applications/x.json"
	git -C "$r" add -A && git -C "$r" commit -q --allow-empty -m "$(basename "$f")"
done
# a strict change of private values alone
sed 's/PRIVMARK1/PRIVMARK9/' "$tmp/v/strict.json" >"$r/data/organizations/x.json"
git -C "$r" commit -q -am "private value changed"
for key in "" "$KEY"; do
	for c in $(git -C "$r" rev-list HEAD~1..HEAD) $(git -C "$r" rev-list --skip=1 HEAD~1); do
		[ "$(git -C "$r" rev-list --count "$c")" -gt 1 ] || continue
		for j in "" --json; do
			GONGSHI_FINGERPRINT_KEY=$key "$G" -C "$r" diff "$c~1" "$c" $j >"$tmp/out" 2>"$tmp/err"
			rc=$?
			check "diff $j of $(git -C "$r" log -1 --format=%s "$c") exits 0 (got $rc: $(head -c 200 "$tmp/err"))" \
				'[ $rc -eq 0 ]'
			check "diff $j of $(git -C "$r" log -1 --format=%s "$c") shows no private value" \
				'! grep -a -q PRIVMARK "$tmp/out" "$tmp/err"'
		done
	done
	GONGSHI_FINGERPRINT_KEY=$key "$G" -C "$r" diff "$(git -C "$r" rev-list --max-parents=0 HEAD)" HEAD \
		>"$tmp/out" 2>&1
	check "diff of the first and the last commit shows no private value" '! grep -a -q PRIVMARK "$tmp/out"'
	GONGSHI_FINGERPRINT_KEY=$key git -C "$r" log -p >"$tmp/out" 2>&1
	check "git log -p through gongshi textconv shows no private value (key '$key')" \
		'! grep -a -q PRIVMARK "$tmp/out" && grep -q "(private" "$tmp/out"'
done
GONGSHI_FINGERPRINT_KEY=$KEY "$G" -C "$r" diff HEAD~1 HEAD >"$tmp/out"
check "diff with a key: a private change shows the old and new fingerprints" \
	'grep -q "(private): (private) fingerprint [0-9a-f]\{16\} → [0-9a-f]\{16\}$" "$tmp/out"'
GONGSHI_FINGERPRINT_KEY=$KEY "$G" -C "$r" diff HEAD~1 HEAD --json >"$tmp/out"
check "diff --json with a key: old_fingerprint and new_fingerprint" \
	'grep -q "\"old_fingerprint\":" "$tmp/out" && grep -q "\"new_fingerprint\":" "$tmp/out"'
"$G" -C "$r" diff HEAD~1 HEAD >"$tmp/out"
check "diff without a key: only that the private part changed" \
	'grep -q "(private): changed (private, not shown)$" "$tmp/out" && ! grep -q fingerprint "$tmp/out"'
echo "textconv: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

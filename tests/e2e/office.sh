#!/bin/sh
# An office starts a record from nothing (issue #21): gongshi init in an
# empty folder, gongshi new for a program open to individuals, a round,
# organizations, an individual, their applications and a proposed-winners
# notice, the fields each command
# named filled in by a script (tests/tools/fill-new.py), a commit through
# the pre-commit hook, then check and build; the hook refuses a broken
# record, and git diff goes through the diff driver.  init and new never
# overwrite a file and refuse an existing id.  Then a placeholder left
# unfilled: check warns of it at its position, a preview shows it, and a
# build that publishes refuses it.
set -u
G=${GONGSHI:-build/gongshi}
G=$(cd "$(dirname "$G")" && pwd)/$(basename "$G")
FILL=$(pwd)/tests/tools/fill-new.py
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the hook and the diff driver call gongshi by name, as installed
mkdir -p "$tmp/bin" "$tmp/home"
ln -s "$G" "$tmp/bin/gongshi"
export PATH="$tmp/bin:$PATH" HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=Office GIT_AUTHOR_EMAIL=office@example.cn
export GIT_COMMITTER_NAME=Office GIT_COMMITTER_EMAIL=office@example.cn
unset GONGSHI_FINGERPRINT_KEY SOURCE_DATE_EPOCH

check() {
	if eval "$2"; then
		passed=$((passed + 1))
	else
		echo "FAIL office: $1"
		failed=$((failed + 1))
	fi
}

r="$tmp/rec"
mkdir "$r"
gongshi init "$r" >"$tmp/out" 2>&1
check "init in an empty folder succeeds" '[ $? -eq 0 ]'
cat "$tmp/out"
check "init wrote the schemas, the calendars, site.json, .gitattributes, .vscode/settings.json" \
	'[ -f "$r/data/schema/notice.schema.json" ] && [ -f "$r/data/calendars/2024.json" ] &&
	 [ -f "$r/content/site.json" ] && grep -q "diff=gongshi" "$r/.gitattributes" &&
	 grep -q "notice.schema.json" "$r/.vscode/settings.json"'
check "init installed the pre-commit hook and the diff driver" \
	'[ -x "$r/.git/hooks/pre-commit" ] && grep -q "gongshi check --worktree" "$r/.git/hooks/pre-commit" &&
	 [ "$(git -C "$r" config diff.gongshi.textconv)" = "gongshi textconv" ]'
check "init made one commit, and left nothing uncommitted" \
	'[ "$(git -C "$r" rev-list --count HEAD)" = 1 ] && [ -z "$(git -C "$r" status --porcelain)" ]'
check "check passes on the new record at once" 'gongshi -C "$r" check >"$tmp/o2" 2>&1'
check "build passes on the new record at once" 'gongshi -C "$r" build -q -o "$tmp/site0" 2>&1'
check "the new site's home page says no program is registered yet" \
	'grep -q "gongshi new program" "$tmp/site0/index.html"'
gongshi init "$r" >"$tmp/o2" 2>&1
check "init refuses a folder that is not empty (exit 2)" '[ $? -eq 2 ] && grep -q "not empty" "$tmp/o2"'
mkdir "$tmp/other" && echo keep >"$tmp/other/notes.txt"
gongshi init "$tmp/other" >"$tmp/o2" 2>&1
check "init writes nothing into a folder holding a file" \
	'[ $? -eq 2 ] && [ "$(ls -A "$tmp/other")" = notes.txt ] && [ "$(cat "$tmp/other/notes.txt")" = keep ]'

cd "$r" || exit 1
python3 "$FILL" . /base_url=https://zlj.example.gov.cn/ <"$tmp/out" >/dev/null
gongshi new program jinan --individuals | python3 "$FILL" . /measures/document_number=济政发〔2023〕9号 \
	/measures/issued=2023-05-10 /measures/effective=2023-06-01 >"$tmp/out"
check "new program writes data/programs/jinan.json" '[ -f data/programs/jinan.json ] && grep -q "^wrote data/programs/jinan.json" "$tmp/out"'
check "new program names the fields to fill in" 'grep -q "^  /name	" "$tmp/out" && grep -q "^  /tiers/0/name	" "$tmp/out"'
gongshi new round jinan 2024 --date 2024-03-01 | python3 "$FILL" . /applications/end=2024-04-30 >"$tmp/out"
check "new round derives its id, program, year and name" \
	'grep -q "\"id\": \"jinan-2024\"" data/rounds/jinan-2024.json && grep -q "\"year\": 2024" data/rounds/jinan-2024.json &&
	 grep -q "测试填写1（2024年度）" data/rounds/jinan-2024.json'
for org in 91620100712740912J 91150100673509186P; do
	gongshi new organization $org --date 2024-03-01 | python3 "$FILL" . /established=2010-05-01 >>"$tmp/out"
	gongshi new application jinan-2024 $org --date 2024-03-20 | python3 "$FILL" . >>"$tmp/out"
done
# a person: public name, employer and position, private numbers
pid=15010219750315999X
gongshi new individual jinan-li-hua --employer 91620100712740912J | python3 "$FILL" . /private/id_number=$pid >"$tmp/out"
check "new individual writes the public fields and the private ones to fill in" \
	'grep -q "^  /name	" "$tmp/out" && grep -q "^  /position	" "$tmp/out" &&
	 grep -q "^  /private/id_number	" "$tmp/out" && grep -q "^  /private/phone	" "$tmp/out" &&
	 grep -q "^  /private/address	" "$tmp/out"'
check "new individual derives the employer from its record" \
	'grep -q "\"employer_organization\": \"91620100712740912J\"" data/individuals/jinan-li-hua.json &&
	 ! grep -q "\"employer\": \"【" data/individuals/jinan-li-hua.json'
gongshi new individual li-150102 >"$tmp/o2" 2>&1
check "new individual refuses an id with a run of digits (exit 2), writing nothing" \
	'[ $? -eq 2 ] && grep -q "published in URLs" "$tmp/o2" && [ ! -e data/individuals/li-150102.json ]'
gongshi new individual jinan-li-hua >"$tmp/o2" 2>&1
check "new individual refuses an existing id" '[ $? -eq 2 ] && grep -q "already" "$tmp/o2"'
# a program whose tiers admit organizations only refuses a person
cp data/programs/jinan.json "$tmp/program"
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); [t.pop("awardees") for t in p["tiers"]]; json.dump(p,open(sys.argv[1],"w"),ensure_ascii=False)' data/programs/jinan.json
gongshi new application jinan-2024 jinan-li-hua --date 2024-03-20 >"$tmp/o2" 2>&1
check "new application refuses a person where no tier admits individuals (exit 2)" \
	'[ $? -eq 2 ] && grep -q "open to individuals" "$tmp/o2" && [ ! -e data/applications/jinan-2024-li-hua.json ]'
cp "$tmp/program" data/programs/jinan.json
gongshi new application jinan-2024 jinan-li-hua --date 2024-03-20 | python3 "$FILL" . >"$tmp/out"
check "new application for an individual names the person and a tier open to individuals" \
	'grep -q "\"individual\": \"jinan-li-hua\"" data/applications/jinan-2024-li-hua.json &&
	 grep -q "\"tier\": \"award\"" data/applications/jinan-2024-li-hua.json'
check "new organization and new application wrote their files" \
	'[ -f data/organizations/91620100712740912J.json ] && [ -f data/applications/jinan-2024-40912j.json ] &&
	 [ -f data/applications/jinan-2024-09186p.json ]'
gongshi new notice jinan-2024 proposed_winners --date 2024-06-21 | python3 "$FILL" . >"$tmp/out"
check "new notice prints its period from the program's rule and the calendar" \
	'grep -q "^公示期 2024-06-24 至 2024-06-28，5个工作日$" "$tmp/out"'
check "new notice lists the round's applications" \
	'[ "$(grep -c "\"application\": \"jinan-2024-" data/notices/jinan-2024-proposed.json)" = 3 ]'
check "every mark left by the templates was named and filled" '! grep -rq "待填写" data content'
cp data/rounds/jinan-2024.json "$tmp/round"
gongshi new round jinan 2024 >"$tmp/o2" 2>&1
check "new refuses an id the record holds (exit 2), the file unchanged" \
	'[ $? -eq 2 ] && grep -q "already" "$tmp/o2" && cmp -s data/rounds/jinan-2024.json "$tmp/round"'
gongshi new round jinan 2025 --id jinan-2024 >"$tmp/o2" 2>&1
check "new refuses an --id the record holds" '[ $? -eq 2 ] && cmp -s data/rounds/jinan-2024.json "$tmp/round"'
check "check --worktree passes on the filled record" 'gongshi check --worktree >"$tmp/o2" 2>&1 || { cat "$tmp/o2"; false; }'
git add -A && git commit -q -m "jinan 2024: program, round, applications, proposed winners" >"$tmp/o2" 2>&1
check "the commit goes through the pre-commit hook" '[ "$(git rev-list --count HEAD)" = 2 ] || { cat "$tmp/o2"; false; }'
check "check passes at HEAD" 'gongshi check >"$tmp/o2" 2>&1 || { cat "$tmp/o2"; false; }'
check "build passes at HEAD" 'gongshi build -q -o "$tmp/site" >"$tmp/o2" 2>&1 || { cat "$tmp/o2"; false; }'
check "the site shows the notice and the program" \
	'[ -f "$tmp/site/notices/jinan-2024-proposed/index.html" ] && [ -f "$tmp/site/programs/jinan/index.html" ]'
check "the site has the individual's page, and no private value anywhere" \
	'[ -f "$tmp/site/individuals/jinan-li-hua/index.html" ] && ! grep -rq "$pid" "$tmp/site"'

sed -i 's/"submitted": "2024-03-20"/"submitted": "2024-03-22"/' data/applications/jinan-2024-40912j.json
git diff >"$tmp/o2" 2>&1
check "git diff goes through the diff driver (one field a line)" \
	'grep -q "^-.*(submitted): 2024-03-20$" "$tmp/o2" && grep -q "^+.*(submitted): 2024-03-22$" "$tmp/o2"'
git checkout -q -- data
sed -i 's/"tier": "award"/"tier": "no-such-tier"/' data/applications/jinan-2024-40912j.json
git add -A
git commit -q -m broken >"$tmp/o2" 2>&1
check "the hook refuses a commit whose record breaks a rule" \
	'[ "$(git rev-list --count HEAD)" = 2 ] && grep -q "jinan-2024-40912j.json" "$tmp/o2"'

git reset -q --hard HEAD

# one placeholder left: a warning with its position for check and the
# preview, an error at the same position for a build that publishes
gongshi new individual jinan-wang-fang | python3 "$FILL" . /private/id_number=$pid >/dev/null
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); p["position"]="【待填写：职务或职称（公开）】"; json.dump(p,open(sys.argv[1],"w"),ensure_ascii=False,indent=2)' data/individuals/jinan-wang-fang.json
at="data/individuals/jinan-wang-fang.json:6:15"
gongshi check --worktree >"$tmp/o2" 2>&1
check "check --worktree warns of the placeholder at its position, and passes" \
	'[ $? -eq 0 ] && grep -q "^$at: warning: /position still holds the placeholder .*\[placeholder\]$" "$tmp/o2" &&
	 [ "$(grep -c "\[placeholder\]" "$tmp/o2")" = 1 ]'
git add data/individuals/jinan-wang-fang.json && git commit -q -m "a person, one field left" >"$tmp/o2" 2>&1
check "the pre-commit hook lets a placeholder through (a warning)" '[ "$(git rev-list --count HEAD)" = 3 ] || { cat "$tmp/o2"; false; }'
gongshi check >"$tmp/o2" 2>&1
check "check at HEAD warns of the placeholder at its position" \
	'[ $? -eq 0 ] && grep -q "^$at: warning: /position" "$tmp/o2"'
gongshi build -o "$tmp/site2" >"$tmp/o2" 2>&1
check "a build that publishes refuses the placeholder (exit 1), at the same position, writing nothing" \
	'[ $? -eq 1 ] && grep -q "^$at: error: /position still holds the placeholder" "$tmp/o2" && [ ! -e "$tmp/site2/index.html" ]'
gongshi build -o "$tmp/site" >"$tmp/o2" 2>&1
check "nor does it replace the site published before" \
	'[ $? -eq 1 ] && [ ! -e "$tmp/site/individuals/jinan-wang-fang" ]'
gongshi build --worktree -o "$tmp/preview" >"$tmp/o2" 2>&1
check "a preview (build --worktree) is built all the same, the placeholder shown and warned of" \
	'[ $? -eq 0 ] && grep -q "待填写" "$tmp/preview/individuals/jinan-wang-fang/index.html" &&
	 grep -q "^$at: warning: /position" "$tmp/o2" && grep -q "1 placeholder left" "$tmp/o2"'

echo "office: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

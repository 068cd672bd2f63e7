#!/bin/sh
# Tests the tests (issue #5: "break one thing of each kind and see CI's
# command go red").  For each kind of check that `make test` makes, a copy
# of HEAD is broken in one place -- a signed overflow, a leak, a parser
# that crashes, a wrong header, invalid markup, a page wider than a
# phone, unreadable contrast, an unescaped field, a private field
# published, no check of corrupt objects, a rule off by one -- and CI's
# command restricted to the stage that should catch it,
#     make test TEST_STAGES=<stage>
# must exit non-zero.  A mutant that no longer applies (its text moved)
# fails too, so this script cannot go quietly stale.
#
# Usage: tests/gates/mutants.sh [NAME]...   (default: all; about 15 min)
# Closes with "mutants: N passed, M failed" (passed = caught).
set -u
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# name | stage that must go red | file | perl substitution (one line)
mutants='
ubsan|test-sanitize|generator/main.c|s/(int main\(int argc, char \*\*argv\)\n\{\n)/$1\t{ volatile int z = 2147483647; z += argc; (void)z; }\n/
leak|test-valgrind-demo|generator/main.c|s/(int main\(int argc, char \*\*argv\)\n\{\n)/$1\t{ char *volatile lost = strdup("lost"); lost = NULL; (void)lost; }\n/
fuzz|fuzz-smoke|generator/jsondiff.c|s/(static void diff\(struct ctx \*c, const cJSON \*a, const cJSON \*b, int depth\)\n\{\n)/$1\tif (a \&\& b \&\& cJSON_IsString(a) \&\& cJSON_IsString(b)) abort();\n/
nginx|test-nginx|themes/default/nginx.conf|s/^\tcharset utf-8;/\tcharset off;/m
html|test-html|themes/default/layout.mustache|s/(<title>)/<p><div>$1/
browser|test-browser|themes/default/assets/style.css|s/^(body \{)/$1 min-width: 900px;/m
a11y|test-a11y|themes/default/assets/style.css|s/^(a \{ color: )var\(--link\);/$1#c8d6e5;/m
xss|test-xss|themes/default/notice.mustache|s/<h1>\{\{record.title\}\}<\/h1>/<h1>{{{record.title}}}<\/h1>/
privacy|test-privacy|generator/public.c|s/(if \(cJSON_IsObject\(o\) && c->string && !strcmp\(c->string, "private"\)\)) \{/if (0) {/
corrupt|test-corrupt|generator/source.c|s/if \(\(error = loose_check_all\(git_repository_commondir\(repo\)\)\) < 0\)/if (0 \&\& (error = loose_check_all(git_repository_commondir(repo))) < 0)/
rule|test-suite|generator/check.c|s/if \(rule->min && len < rule->min\)/if (rule->min \&\& len < rule->min - 1)/
'
want=${*:-$(printf '%s\n' "$mutants" | sed -n 's/^\([a-z0-9]*\)|.*/\1/p')}
passed=0
failed=0
for name in $want; do
	line=$(printf '%s\n' "$mutants" | grep "^$name|")
	if [ -z "$line" ]; then
		echo "FAIL $name: no such mutant"
		failed=$((failed + 1))
		continue
	fi
	stage=$(printf '%s' "$line" | cut -d'|' -f2)
	file=$(printf '%s' "$line" | cut -d'|' -f3)
	expr=$(printf '%s' "$line" | cut -d'|' -f4-)
	copy=$work/$name
	git clone -q "$root" "$copy"
	cp "$copy/$file" "$work/orig"
	perl -0pi -e "$expr" "$copy/$file"
	if cmp -s "$copy/$file" "$work/orig"; then
		echo "FAIL $name: the mutant no longer applies to $file"
		failed=$((failed + 1))
		rm -rf "$copy"
		continue
	fi
	# The copy shares nothing with this tree but node_modules, which
	# npm would otherwise fetch again.
	[ -d tests/gates/node_modules ] && cp -R tests/gates/node_modules "$copy/tests/gates/"
	# The broken copy must still build: a mutant caught by the compiler
	# proves nothing about the stage.
	if ! (cd "$copy" && make --no-print-directory all) >"$work/$name.log" 2>&1; then
		echo "FAIL $name: the broken copy does not build"
		tail -n 10 "$work/$name.log"
		failed=$((failed + 1))
		rm -rf "$copy"
		continue
	fi
	start=$(date +%s)
	(cd "$copy" && make --no-print-directory test TEST_STAGES="$stage") >"$work/$name.log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	# Caught: CI's command fails, and it is the stage that says so.
	if [ $rc -ne 0 ] && grep -Eq "^  $stage +[0-9]+ passed +[1-9][0-9]* failed" "$work/$name.log"; then
		passed=$((passed + 1))
		echo "ok   $name: $file broken, make test TEST_STAGES=$stage exits $rc (${secs}s): $(grep -E '^total: ' "$work/$name.log" | tail -n 1)"
	else
		failed=$((failed + 1))
		echo "FAIL $name: $file broken, but make test TEST_STAGES=$stage passed (${secs}s)"
		tail -n 20 "$work/$name.log"
	fi
	rm -rf "$copy"
done
echo "mutants: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

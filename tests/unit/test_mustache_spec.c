/*
 * test_mustache_spec.c - generator/mustache.c against the Mustache spec.
 *
 * Runs every case of every spec file in $MUSTACHE_SPEC_DIR, else
 * ../shared/mustache-spec (from the repository root), one Check test a
 * file.  Every case of the core files and of the optional modules we
 * claim must pass; a module we do not claim is only reported.  Users'
 * clones have no ../shared: then one test says so and passes.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "error.h"
#include "mustache.h"
#include "unit.h"

#define MAX_FILES 64

static const char *dir;
static char files[MAX_FILES][256];
static int nfiles;

/* Optional modules, and what we say about each. */
static const struct {
	const char *file;
	const char *why;  /* NULL: claimed, must pass */
} optional[] = {
	{ "~inheritance.json", NULL },
	{ "~dynamic-names.json", NULL },
	{ "~lambdas.json", "not supported (JSON data has no code)" },
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_assert_int_eq(buf_put(&b, chunk, n), 0);
	fclose(f);
	return buf_detach(&b);
}

/* Prints s on one line, escapes visible. */
static void show(const char *label, const char *s)
{
	struct buf b = BUF_INIT;

	buf_put_quoted(&b, s, 400);
	printf("    %s %s\n", label, buf_cstr(&b));
	buf_release(&b);
}

/* Runs one case; 1 when it passes. */
static int run_case(const cJSON *test)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(test, "data");
	const char *tpl = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(test, "template"));
	const char *want = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(test, "expected"));
	const cJSON *partials = cJSON_GetObjectItemCaseSensitive(test, "partials");
	const cJSON *p;
	struct mustache_set *set;
	struct mustache_error err;
	struct buf out = BUF_INIT;
	int rc = 0, ok;

	ck_assert_ptr_nonnull(tpl);
	ck_assert_ptr_nonnull(want);
	ck_assert_int_eq(mustache_set_new(&set), 0);
	cJSON_ArrayForEach(p, partials) {
		const char *text = cJSON_GetStringValue(p);

		ck_assert_ptr_nonnull(text);
		if ((rc = mustache_set_add(set, p->string, text, strlen(text),
					   &err)) < 0)
			break;
	}
	/* The name cannot clash with a partial's: none has a NUL-free
	 * name starting with a control character. */
	if (rc >= 0 && (rc = mustache_set_add(set, "\x01template", tpl,
					       strlen(tpl), &err)) >= 0)
		rc = mustache_render(set, "\x01template", data, &out);
	ok = rc >= 0 && !strcmp(buf_cstr(&out), want);
	if (!ok) {
		printf("  FAIL %s\n", cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(test, "name")));
		show("template:", tpl);
		show("expected:", want);
		if (rc < 0)
			printf("    error: %s\n", error_message());
		else
			show("got:     ", buf_cstr(&out));
	}
	buf_release(&out);
	mustache_set_free(set);
	return ok;
}

START_TEST(spec_file)
{
	const char *file = files[_i], *why = NULL;
	char path[4096];
	char *text;
	cJSON *root;
	const cJSON *test;
	int passed = 0, total = 0, claimed = file[0] != '~', known = 0;
	size_t k;

	for (k = 0; k < sizeof(optional) / sizeof(optional[0]); k++)
		if (!strcmp(optional[k].file, file)) {
			known = 1;
			why = optional[k].why;
			claimed = !why;
		}
	if (why) {
		printf("mustache spec: %.*s: %s\n", (int)(strlen(file) - 5),
		       file, why);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ck_assert_msg((text = slurp(path)) != NULL, "cannot read %s", path);
	root = cJSON_Parse(text);
	free(text);
	ck_assert_msg(root != NULL, "%s is not JSON", path);
	cJSON_ArrayForEach(test, cJSON_GetObjectItemCaseSensitive(root, "tests")) {
		total++;
		passed += run_case(test);
	}
	cJSON_Delete(root);
	if (file[0] != '~')
		printf("mustache spec: %s: %d/%d passed\n", file, passed, total);
	else
		printf("mustache spec: %.*s: %d/%d %s\n", (int)(strlen(file) - 5),
		       file, passed, total,
		       claimed ? "supported" : known ? "passed" :
		       "passed (module not claimed)");
	fflush(stdout);
	ck_assert_int_gt(total, 0);
	if (claimed)
		ck_assert_int_eq(passed, total);
}
END_TEST

START_TEST(spec_absent)
{
	printf("mustache spec: %s not found; conformance tests skipped\n", dir);
}
END_TEST

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static Suite *suite(void)
{
	Suite *s = suite_create("mustache_spec");
	TCase *tc = tcase_create("spec");
	struct stat st;
	struct dirent *de;
	DIR *d;

	dir = getenv("MUSTACHE_SPEC_DIR");
	if (!dir || !*dir)
		dir = "../shared/mustache-spec";
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || !(d = opendir(dir))) {
		tcase_add_test(tc, spec_absent);
		suite_add_tcase(s, tc);
		return s;
	}
	while ((de = readdir(d)) && nfiles < MAX_FILES) {
		size_t n = strlen(de->d_name);

		if (n > 5 && n < sizeof(files[0]) &&
		    !strcmp(de->d_name + n - 5, ".json"))
			memcpy(files[nfiles++], de->d_name, n + 1);
	}
	closedir(d);
	qsort(files, (size_t)nfiles, sizeof(files[0]), by_name);
	tcase_set_timeout(tc, 60);
	if (nfiles)
		tcase_add_loop_test(tc, spec_file, 0, nfiles);
	else
		tcase_add_test(tc, spec_absent);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

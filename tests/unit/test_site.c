/* test_site.c - a build (generator/site.c) whose allocations fail: it
 * fails, or writes the same site as a build where none fails; never a
 * site with members of its pages' data missing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "date.h"
#include "diag.h"
#include "error.h"
#include "record.h"
#include "site.h"
#include "source.h"
#include "gitrepo.h"
#include "unit.h"

static char cwd[1024];
static unsigned long nalloc, fail_at; /* cJSON's allocations so far; the one to fail (0: none) */

static void *counting_malloc(size_t n)
{
	if (++nalloc == fail_at)
		return NULL;
	return malloc(n);
}

static void setup(void)
{
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	tmp_make("site");
	ck_assert_int_eq(source_global_init(), 0);
	setenv("SOURCE_DATE_EPOCH", "1735603200", 1);
	tmp_sh("cp -R '%s/tests/fixtures/small' repo && cd repo && git init -q -b main", cwd);
	tmp_commit("repo", "2024-12-30T10:00:00+08:00", "record");
	error_clear();
}

static void teardown(void)
{
	source_global_shutdown();
	tmp_remove();
}

/* Builds the fixture's commit into root/out, failing cJSON's fail_at-th
 * allocation (0: none). */
static int build(const char *out)
{
	cJSON_Hooks hooks = { counting_malloc, free };
	struct source src = SOURCE_INIT;
	struct record rec = RECORD_INIT;
	struct diags d = DIAGS_INIT;
	struct build_options bo;
	struct build_stats st;
	int error;

	memset(&bo, 0, sizeof(bo));
	bo.out_dir = tmp_path(out);
	bo.quiet = true;
	bo.jobs = 1; /* the failure in this process */
	ck_assert_int_eq(date_parse("2024-12-31", &bo.today), 0);
	ck_assert_int_eq(source_open_commit(&src, tmp_path("repo"), "HEAD"), 0);
	ck_assert_int_eq(record_load(&rec, &src, &d), 0);
	nalloc = 0;
	cJSON_InitHooks(&hooks);
	error = site_build(&rec, &src, &bo, &st);
	cJSON_InitHooks(NULL);
	record_release(&rec);
	diags_release(&d);
	source_release(&src);
	return error;
}

START_TEST(test_nomem_fails_or_same_site)
{
	unsigned long total, step, n, failed = 0, same = 0;
	char cmd[4096];
	int error, rc;

	fail_at = 0;
	ck_assert_int_eq(build("ref"), 0);
	total = nalloc;
	ck_assert_uint_gt(total, 1000);
	/* about 600 builds, each failing another allocation across the whole
	 * build; 20 under valgrind (tests/run.sh's VALGRIND), which would
	 * take most of an hour over 600 */
	step = total / (getenv("VALGRIND") ? 20 : 600) + 1;
	for (n = 1; n <= total; n += step) {
		fail_at = n;
		tmp_rm_tree(tmp_path("out"));
		error = build("out");
		if (error < 0) {
			ck_assert_msg(error == ERR_NOMEM, "allocation %lu: %s", n, error_message());
			ck_assert_msg(access(tmp_path("out/index.html"), F_OK) != 0,
				      "allocation %lu: a failed build left a site", n);
			failed++;
			error_clear();
			continue;
		}
		snprintf(cmd, sizeof(cmd), "diff -r -q '%s' '%s' >&2", tmp_path("ref"), tmp_path("out"));
		rc = system(cmd);
		ck_assert_msg(rc == 0, "allocation %lu of %lu failed, the build succeeded, and its site differs",
			      n, total);
		same++;
	}
	fail_at = 0;
	/* most allocations are a page's data: a test that never failed one proves nothing */
	ck_assert_uint_gt(failed, same);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("site");
	TCase *tc = tcase_create("nomem");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_nomem_fails_or_same_site);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

/* test_diag.c - the diagnostics list (generator/diag.c). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "unit.h"

static struct diags d = DIAGS_INIT;

static void release(void)
{
	diags_release(&d);
}

/* What diags_print (or the summary, if summary) writes, malloc'ed. */
static char *printed(bool summary)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	ck_assert_ptr_nonnull(f);
	if (summary)
		diags_print_summary(&d, f);
	else
		diags_print(&d, f);
	ck_assert_int_eq(fclose(f), 0);
	return s;
}

static void check_printed(bool summary, const char *want)
{
	char *s = printed(summary);

	ck_assert_str_eq(s, want);
	free(s);
}

static void add(enum diag_level lv, const char *path, uint32_t line,
		uint32_t col, const char *rule, const char *msg)
{
	ck_assert_int_eq(diags_add(&d, lv, path, line, col, rule, "%s", msg), 0);
}

START_TEST(add_fields)
{
	char path[] = "data/notices/x.json";

	ck_assert_int_eq(diags_add(&d, DIAG_ERROR, path, 12, 5, "notice-period",
				   "period is %d days, needs %d", 3, 5), 0);
	path[0] = 'X';	/* the list keeps its own copy */
	ck_assert_uint_eq(d.n, 1);
	ck_assert_str_eq(d.v[0].path, "data/notices/x.json");
	ck_assert_uint_eq(d.v[0].line, 12);
	ck_assert_uint_eq(d.v[0].col, 5);
	ck_assert_int_eq(d.v[0].level, DIAG_ERROR);
	ck_assert_str_eq(d.v[0].rule, "notice-period");
	ck_assert_str_eq(d.v[0].msg, "period is 3 days, needs 5");
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_uint_eq(d.nwarnings, 0);
	add(DIAG_WARNING, "a.json", 1, 1, "r", "w");
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_uint_eq(d.nwarnings, 1);
	ck_assert_uint_eq(d.v[1].seq, 1);
}
END_TEST

START_TEST(zero_position_is_one)
{
	add(DIAG_ERROR, "a.json", 0, 0, "r", "m");
	ck_assert_uint_eq(d.v[0].line, 1);
	ck_assert_uint_eq(d.v[0].col, 1);
}
END_TEST

START_TEST(many_and_long)
{
	char msg[2001];
	size_t i;

	memset(msg, 'm', 2000);
	msg[2000] = '\0';
	for (i = 0; i < 1000; i++)
		add(i % 3 ? DIAG_WARNING : DIAG_ERROR, "a.json", (uint32_t)i,
		    1, "r", i == 500 ? msg : "短");
	ck_assert_uint_eq(d.n, 1000);
	ck_assert_uint_eq(d.nerrors, 334);
	ck_assert_uint_eq(d.nwarnings, 666);
	ck_assert_str_eq(d.v[500].msg, msg);
	ck_assert_str_eq(d.v[999].msg, "短");
}
END_TEST

START_TEST(print_format)
{
	check_printed(false, "");
	add(DIAG_ERROR, "data/notices/x.json", 12, 5, "notice-period",
	    "公示期不足五个工作日");
	add(DIAG_WARNING, "data/a.json", 3, 40, "unused", "never used");
	check_printed(false,
		"data/notices/x.json:12:5: error: 公示期不足五个工作日 [notice-period]\n"
		"data/a.json:3:40: warning: never used [unused]\n");
}
END_TEST

START_TEST(summary)
{
	check_printed(true, "0 errors, 0 warnings\n");
	add(DIAG_ERROR, "a", 1, 1, "r", "e1");
	check_printed(true, "1 error, 0 warnings\n");
	add(DIAG_WARNING, "a", 1, 1, "r", "w1");
	check_printed(true, "1 error, 1 warning\n");
	add(DIAG_ERROR, "a", 2, 1, "r", "e2");
	add(DIAG_WARNING, "a", 2, 1, "r", "w2");
	add(DIAG_WARNING, "a", 3, 1, "r", "w3");
	check_printed(true, "2 errors, 3 warnings\n");
}
END_TEST

START_TEST(sort_order)
{
	add(DIAG_ERROR, "b.json", 1, 1, "r", "b");
	add(DIAG_ERROR, "a.json", 10, 1, "r", "a10");
	add(DIAG_ERROR, "a.json", 2, 7, "r", "a2:7");
	add(DIAG_WARNING, "a.json", 2, 3, "r", "a2:3 first");
	add(DIAG_ERROR, "a.json", 2, 3, "r", "a2:3 second");
	add(DIAG_ERROR, "a.json", 2, 3, "q", "a2:3 third");
	add(DIAG_ERROR, "a.json/x", 1, 1, "r", "a/x");
	diags_sort(&d);
	ck_assert_uint_eq(d.n, 7);
	ck_assert_str_eq(d.v[0].msg, "a2:3 first");
	ck_assert_str_eq(d.v[1].msg, "a2:3 second");
	ck_assert_str_eq(d.v[2].msg, "a2:3 third");
	ck_assert_str_eq(d.v[3].msg, "a2:7");
	ck_assert_str_eq(d.v[4].msg, "a10");	/* numeric, not text */
	ck_assert_str_eq(d.v[5].msg, "a/x");
	ck_assert_str_eq(d.v[6].msg, "b");
	ck_assert_uint_eq(d.nerrors, 6);
	ck_assert_uint_eq(d.nwarnings, 1);
}
END_TEST

START_TEST(sort_empty)
{
	diags_sort(&d);
	ck_assert_uint_eq(d.n, 0);
	check_printed(false, "");
}
END_TEST

START_TEST(duplicates_dropped)
{
	add(DIAG_ERROR, "a.json", 1, 1, "r", "same");
	add(DIAG_WARNING, "a.json", 1, 1, "r", "w");
	add(DIAG_ERROR, "a.json", 1, 1, "r", "same");
	add(DIAG_WARNING, "a.json", 1, 1, "r", "w");
	add(DIAG_ERROR, "a.json", 1, 1, "r", "same");
	diags_sort(&d);
	ck_assert_uint_eq(d.n, 2);
	ck_assert_str_eq(d.v[0].msg, "same");
	ck_assert_str_eq(d.v[1].msg, "w");
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_uint_eq(d.nwarnings, 1);
	check_printed(true, "1 error, 1 warning\n");
}
END_TEST

START_TEST(near_duplicates_kept)
{
	add(DIAG_ERROR, "a.json", 1, 1, "r", "m");
	add(DIAG_WARNING, "a.json", 1, 1, "r", "m");	/* level */
	add(DIAG_ERROR, "a.json", 1, 1, "q", "m");	/* rule */
	add(DIAG_ERROR, "a.json", 1, 1, "r", "n");	/* message */
	add(DIAG_ERROR, "a.json", 1, 2, "r", "m");	/* column */
	add(DIAG_ERROR, "a.json", 2, 1, "r", "m");	/* line */
	add(DIAG_ERROR, "b.json", 1, 1, "r", "m");	/* path */
	diags_sort(&d);
	ck_assert_uint_eq(d.n, 7);
	ck_assert_uint_eq(d.nerrors, 6);
	ck_assert_uint_eq(d.nwarnings, 1);
}
END_TEST

/* Sorting twice, with additions between, keeps insertion order. */
START_TEST(add_after_sort)
{
	add(DIAG_ERROR, "a.json", 1, 1, "r", "one");
	add(DIAG_ERROR, "a.json", 1, 1, "r", "one");
	add(DIAG_ERROR, "a.json", 1, 1, "r", "one");
	add(DIAG_ERROR, "a.json", 1, 1, "r", "two");
	diags_sort(&d);
	ck_assert_uint_eq(d.n, 2);
	add(DIAG_ERROR, "a.json", 1, 1, "r", "three");
	add(DIAG_ERROR, "a.json", 1, 1, "r", "four");
	diags_sort(&d);
	ck_assert_uint_eq(d.n, 4);
	ck_assert_str_eq(d.v[0].msg, "one");
	ck_assert_str_eq(d.v[1].msg, "two");
	ck_assert_str_eq(d.v[2].msg, "three");
	ck_assert_str_eq(d.v[3].msg, "four");
}
END_TEST

START_TEST(release_and_reuse)
{
	add(DIAG_ERROR, "a.json", 1, 1, "r", "m");
	diags_release(&d);
	ck_assert_ptr_null(d.v);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(d.nerrors, 0);
	check_printed(true, "0 errors, 0 warnings\n");
	add(DIAG_WARNING, "b.json", 2, 2, "r", "again");
	check_printed(false, "b.json:2:2: warning: again [r]\n");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, NULL, release);
	tcase_add_test(tc, add_fields);
	tcase_add_test(tc, zero_position_is_one);
	tcase_add_test(tc, many_and_long);
	tcase_add_test(tc, print_format);
	tcase_add_test(tc, summary);
	tcase_add_test(tc, sort_order);
	tcase_add_test(tc, sort_empty);
	tcase_add_test(tc, duplicates_dropped);
	tcase_add_test(tc, near_duplicates_kept);
	tcase_add_test(tc, add_after_sort);
	tcase_add_test(tc, release_and_reuse);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

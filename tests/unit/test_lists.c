/* test_lists.c - the keys a list's pages are split by (lists.h): a
 * record's year and month as file names carry them, and their order on
 * the list's index, years and months newest first, names in order, the
 * undated last. */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "lists.h"
#include "unit.h"

static enum list_key sort_kind;

static int by_key(const void *a, const void *b)
{
	return list_key_cmp(sort_kind, *(const char *const *)a, *(const char *const *)b);
}

/* v sorted as a list of kind orders its keys, joined by spaces. */
static const char *sorted(enum list_key kind, const char **v, size_t n)
{
	static char out[256];
	size_t i;

	sort_kind = kind;
	qsort(v, n, sizeof(*v), by_key);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(out, i ? " " : "");
		strcat(out, v[i]);
	}
	return out;
}

START_TEST(test_order)
{
	const char *years[] = { "2023", UNDATED, "2025", "1999", "2024" };
	const char *months[] = { "01", "12", UNDATED, "03" };
	const char *names[] = { UNDATED, "b", "A", "a", "乙", "甲" };

	ck_assert_str_eq(sorted(LK_YEAR, years, 5), "2025 2024 2023 1999 undated");
	ck_assert_str_eq(sorted(LK_MONTH, months, 4), "12 03 01 undated");
	/* names by their bytes; a name that is "undated" is no date */
	ck_assert_str_eq(sorted(LK_NAME, names, 6), "A a b 乙 甲 undated");
	ck_assert_int_eq(list_key_cmp(LK_YEAR, "2024", "2024"), 0);
	ck_assert_int_eq(list_key_cmp(LK_NAME, UNDATED, UNDATED), 0);
}
END_TEST

START_TEST(test_keys)
{
	char k[16];
	date_t t;

	ck_assert_int_eq(date_parse("2024-03-05", &t), 0);
	list_year_key(k, sizeof(k), t);
	ck_assert_str_eq(k, "2024");
	list_month_key(k, sizeof(k), t);
	ck_assert_str_eq(k, "03");
	list_year_key(k, sizeof(k), DATE_NONE);
	ck_assert_str_eq(k, UNDATED);
	list_month_key(k, sizeof(k), DATE_NONE);
	ck_assert_str_eq(k, UNDATED);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lists");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_keys);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

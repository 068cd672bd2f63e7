/* test_group.c - records grouped by a key (group.h): every member with a
 * key found, in the array's order; none for a key no member has, nor
 * for NULL; members without a key left out. */
#include <string.h>

#include "group.h"
#include "unit.h"

struct item {
	const char *key;
	int n;
};

static const char *item_key(const void *p)
{
	const struct item *x = p;

	return x->key;
}

/* The n of the i-th of the members found. */
static int nth(const void *const *first, size_t i)
{
	const struct item *x = first[i];

	return x->n;
}

START_TEST(test_find)
{
	struct item v[] = { { "b", 0 }, { "a", 1 }, { NULL, 2 }, { "b", 3 }, { "c", 4 }, { "b", 5 }, { "a", 6 } };
	struct group g;
	const void *const *first;
	size_t n;

	ck_assert_int_eq(group_build(&g, v, sizeof(v) / sizeof(v[0]), sizeof(v[0]), item_key), 0);
	ck_assert_uint_eq(g.n, 6); /* the one without a key left out */
	n = group_find(&g, "b", &first);
	ck_assert_uint_eq(n, 3);
	/* as they stand in the array */
	ck_assert_int_eq(nth(first, 0), 0);
	ck_assert_int_eq(nth(first, 1), 3);
	ck_assert_int_eq(nth(first, 2), 5);
	n = group_find(&g, "a", &first);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(nth(first, 0), 1);
	ck_assert_int_eq(nth(first, 1), 6);
	ck_assert_uint_eq(group_find(&g, "c", &first), 1);
	ck_assert_int_eq(nth(first, 0), 4);
	ck_assert_uint_eq(group_find(&g, "bb", &first), 0);
	ck_assert_uint_eq(group_find(&g, "0", &first), 0);
	ck_assert_uint_eq(group_find(&g, "d", &first), 0);
	ck_assert_uint_eq(group_find(&g, NULL, &first), 0);
	ck_assert_ptr_null(first);
	group_release(&g);
	ck_assert_ptr_null(g.v);
	ck_assert_uint_eq(g.n, 0);
}
END_TEST

START_TEST(test_empty)
{
	struct group g;
	const void *const *first;

	ck_assert_int_eq(group_build(&g, NULL, 0, sizeof(struct item), item_key), 0);
	ck_assert_uint_eq(group_find(&g, "a", &first), 0);
	group_release(&g);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("group");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

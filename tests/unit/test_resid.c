/* test_resid.c - citizens' identity numbers (generator/resid.c). */
#include <string.h>

#include "resid.h"
#include "unit.h"

/* Check characters worked out independently (a short Python script
 * applying GB 11643-1999 by hand), not by resid.c. */
static const char *const valid[] = {
	"11010519491231002X",	/* the standard's own example: check 10, X */
	"440304198607040018",
	"110101199003078873",
	"320106200002290019",	/* 29 February of a leap year */
	"510107199211111239",
};

START_TEST(valid_numbers)
{
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(*valid); i++) {
		ck_assert_msg(resid_check(valid[i]) == RESID_OK, "%s", valid[i]);
		ck_assert_int_eq(resid_check_char(valid[i]), valid[i][17]);
	}
}
END_TEST

START_TEST(every_single_substitution_caught)
{
	char s[19];
	size_t i;
	int pos;
	char c;

	for (i = 0; i < sizeof(valid) / sizeof(*valid); i++)
		for (pos = 0; pos < 18; pos++)
			for (c = '0'; c <= '9'; c++) {
				memcpy(s, valid[i], 19);
				if (s[pos] == c)
					continue;
				s[pos] = c;
				ck_assert_msg(resid_check(s) != RESID_OK, "%s", s);
			}
}
END_TEST

START_TEST(problems_named)
{
	ck_assert_int_eq(resid_check("11010519491231002x"), RESID_FORM); /* lower-case x */
	ck_assert_int_eq(resid_check("11010519491231002"), RESID_FORM);
	ck_assert_int_eq(resid_check("11010519491231002X0"), RESID_FORM);
	ck_assert_int_eq(resid_check("1101051949123100AX"), RESID_FORM);
	ck_assert_int_eq(resid_check(""), RESID_FORM);
	ck_assert_int_eq(resid_check(NULL), RESID_FORM);
	ck_assert_int_eq(resid_check("110105194902300000"), RESID_BIRTH_DATE); /* 30 February */
	ck_assert_int_eq(resid_check("110105190002290000"), RESID_BIRTH_DATE); /* 1900 is no leap year */
	ck_assert_int_eq(resid_check("110105194912310021"), RESID_CHECK);
	ck_assert_int_eq(resid_check_char("1101051949123100"), '\0');
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("resid");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, valid_numbers);
	tcase_add_test(tc, every_single_substitution_caught);
	tcase_add_test(tc, problems_named);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

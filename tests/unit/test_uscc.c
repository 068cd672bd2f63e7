/* test_uscc.c - unified social credit codes (generator/uscc.c). */
#include <string.h>

#include "uscc.h"
#include "unit.h"

/* Check characters worked out independently (a short Python script
 * applying GB 32100-2015 by hand), not by uscc.c. */
static const char *const valid[] = {
	"91350100M000100Y43",	/* the standard's own example */
	"91110000802100433B",
	"9144030071526726XG",
	"911101080000000080",	/* check value 0 */
	"91110108000000027Y",	/* check value 30 */
	"915260183BJ1XG6123",
	"91661318D1TJ3Y7LL3",
	"9190996071HU49D4HX",
	"91194821JJL6B3HN2W",
};

#define NVALID (sizeof(valid) / sizeof(*valid))

START_TEST(valid_codes)
{
	size_t i;

	for (i = 0; i < NVALID; i++) {
		ck_assert_msg(uscc_well_formed(valid[i]), "%s", valid[i]);
		ck_assert_msg(uscc_valid(valid[i]), "%s", valid[i]);
		ck_assert_int_eq(uscc_check_char(valid[i]), valid[i][17]);
	}
}
END_TEST

START_TEST(check_char_of_prefix)
{
	/* Only the first 17 characters count; the 18th may be absent. */
	ck_assert_int_eq(uscc_check_char("91350100M000100Y4"), '3');
	ck_assert_int_eq(uscc_check_char("91350100M000100Y4?"), '3');
	ck_assert_int_eq(uscc_check_char("91350100M000100Y"), '\0');
	ck_assert_int_eq(uscc_check_char(""), '\0');
	ck_assert_int_eq(uscc_check_char(NULL), '\0');
	ck_assert_int_eq(uscc_check_char("91350100m000100Y4"), '\0');
}
END_TEST

/* Weights are powers of 3 modulo the prime 31, so any one wrong
 * character, check character included, must be caught. */
START_TEST(every_single_substitution_caught)
{
	const char *cs = USCC_CHARSET;
	size_t i, k;

	ck_assert_uint_eq(strlen(cs), 31);
	for (i = 0; i < NVALID; i++) {
		char s[19];
		int pos;

		for (pos = 0; pos < 18; pos++)
			for (k = 0; k < 31; k++) {
				memcpy(s, valid[i], 19);
				if (s[pos] == cs[k])
					continue;
				s[pos] = cs[k];
				ck_assert(uscc_well_formed(s));
				ck_assert_msg(!uscc_valid(s), "%s", s);
			}
	}
}
END_TEST

START_TEST(adjacent_swap_caught)
{
	char s[19];
	int pos;

	for (pos = 0; pos < 17; pos++) {
		memcpy(s, valid[0], 19);
		if (s[pos] == s[pos + 1])
			continue;
		s[pos] = valid[0][pos + 1];
		s[pos + 1] = valid[0][pos];
		ck_assert_msg(!uscc_valid(s), "%s", s);
	}
}
END_TEST

START_TEST(lower_case_rejected)
{
	ck_assert(!uscc_well_formed("91350100m000100Y43"));
	ck_assert(!uscc_valid("91350100m000100Y43"));
	ck_assert(!uscc_valid("91110108000000027y"));
	ck_assert(!uscc_valid("91110000802100433b"));
}
END_TEST

START_TEST(excluded_letters_rejected)
{
	static const char excluded[] = "IOZSV";
	size_t i;

	for (i = 0; excluded[i]; i++) {
		char s[19];

		memcpy(s, valid[0], 19);
		s[8] = excluded[i];
		ck_assert_msg(!uscc_well_formed(s), "%s", s);
		ck_assert_msg(!uscc_valid(s), "%s", s);
		ck_assert_int_eq(uscc_check_char(s), '\0');
		memcpy(s, valid[0], 19);
		s[17] = excluded[i];
		ck_assert_msg(!uscc_valid(s), "%s", s);
	}
}
END_TEST

START_TEST(other_bytes_rejected)
{
	ck_assert(!uscc_well_formed("91350100 000100Y43"));
	ck_assert(!uscc_well_formed("91350100-000100Y43"));
	ck_assert(!uscc_well_formed("91350100\xe4\xb8\x80""00100Y4"));
	ck_assert(!uscc_well_formed("\0""1350100M000100Y43"));
}
END_TEST

START_TEST(wrong_length)
{
	ck_assert(!uscc_well_formed(""));
	ck_assert(!uscc_well_formed(NULL));
	ck_assert(!uscc_valid(NULL));
	ck_assert(!uscc_valid("91350100M000100Y4"));
	ck_assert(!uscc_valid("91350100M000100Y430"));
	ck_assert(!uscc_valid("91350100M000100Y43 "));
	ck_assert(!uscc_valid(" 91350100M000100Y43"));
	ck_assert(!uscc_valid("91350100M000100Y43\n"));
	ck_assert(!uscc_well_formed("91350100M000100Y4"));
	ck_assert(!uscc_well_formed("91350100M000100Y430"));
}
END_TEST

START_TEST(well_formed_ignores_check)
{
	ck_assert(uscc_well_formed("91350100M000100Y44"));
	ck_assert(!uscc_valid("91350100M000100Y44"));
	ck_assert(uscc_well_formed("000000000000000000"));
	ck_assert(uscc_valid("000000000000000000"));	/* sum 0 → check 0 */
	ck_assert(uscc_well_formed("YYYYYYYYYYYYYYYYYY"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("uscc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, valid_codes);
	tcase_add_test(tc, check_char_of_prefix);
	tcase_add_test(tc, every_single_substitution_caught);
	tcase_add_test(tc, adjacent_swap_caught);
	tcase_add_test(tc, lower_case_rejected);
	tcase_add_test(tc, excluded_letters_rejected);
	tcase_add_test(tc, other_bytes_rejected);
	tcase_add_test(tc, wrong_length);
	tcase_add_test(tc, well_formed_ignores_check);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

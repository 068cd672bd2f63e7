/* test_text.c - amounts of money for citizens (generator/text.c). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "unit.h"

static const char *money(long yuan)
{
	static char out[64];

	memset(out, 'x', sizeof(out));
	text_money(out, sizeof(out), yuan);
	return out;
}

START_TEST(whole_wan)
{
	ck_assert_str_eq(money(300000), "30万元");
	ck_assert_str_eq(money(50000), "5万元");
	ck_assert_str_eq(money(10000), "1万元");
	ck_assert_str_eq(money(100000), "10万元");
	ck_assert_str_eq(money(1000000), "100万元");
	ck_assert_str_eq(money(100000000), "10000万元");
	ck_assert_str_eq(money(120000), "12万元");
}
END_TEST

START_TEST(yuan_with_separators)
{
	ck_assert_str_eq(money(0), "0元");
	ck_assert_str_eq(money(1), "1元");
	ck_assert_str_eq(money(12), "12元");
	ck_assert_str_eq(money(999), "999元");
	ck_assert_str_eq(money(1000), "1,000元");
	ck_assert_str_eq(money(1250), "1,250元");
	ck_assert_str_eq(money(9999), "9,999元");
	ck_assert_str_eq(money(15000), "15,000元");   /* not a whole 万 */
	ck_assert_str_eq(money(10001), "10,001元");
	ck_assert_str_eq(money(99999), "99,999元");
	ck_assert_str_eq(money(123456), "123,456元");
	ck_assert_str_eq(money(1234567), "1,234,567元");
	ck_assert_str_eq(money(12345678), "12,345,678元");
	ck_assert_str_eq(money(123456789), "123,456,789元");
	ck_assert_str_eq(money(100000001), "100,000,001元");
}
END_TEST

START_TEST(negative)
{
	ck_assert_str_eq(money(-1), "-1元");
	ck_assert_str_eq(money(-999), "-999元");
	ck_assert_str_eq(money(-1000), "-1,000元");
	ck_assert_str_eq(money(-1250), "-1,250元");
	ck_assert_str_eq(money(-123456), "-123,456元");
	ck_assert_str_eq(money(-1234567), "-1,234,567元");
	ck_assert_str_eq(money(-50000), "-5万元");
	ck_assert_str_eq(money(-300000), "-30万元");
}
END_TEST

START_TEST(extremes)
{
	char want[64];

	if (LONG_MAX == 9223372036854775807L) {
		ck_assert_str_eq(money(LONG_MAX), "9,223,372,036,854,775,807元");
		ck_assert_str_eq(money(-LONG_MAX), "-9,223,372,036,854,775,807元");
	}
	/* LONG_MIN itself is not asserted: text_money negates it (see the
	 * report); every amount a record can hold is far from it. */
	snprintf(want, sizeof(want), "%ld万元", LONG_MAX / 10000);
	ck_assert_str_eq(money(LONG_MAX / 10000 * 10000), want);
}
END_TEST

START_TEST(small_buffers)
{
	char out[16];

	/* exactly enough room: "1,250元" is 5 + 3 bytes plus the NUL */
	memset(out, 'x', sizeof(out));
	text_money(out, 9, 1250);
	ck_assert_str_eq(out, "1,250元");
	ck_assert_int_eq(out[9], 'x');
	/* too little: cut, still terminated, nothing written past size */
	memset(out, 'x', sizeof(out));
	text_money(out, 4, 1234567);
	ck_assert_uint_eq(strlen(out), 3);
	ck_assert_int_eq(out[4], 'x');
	memset(out, 'x', sizeof(out));
	text_money(out, 3, 300000);
	ck_assert_str_eq(out, "30");
	ck_assert_int_eq(out[3], 'x');
	memset(out, 'x', sizeof(out));
	text_money(out, 1, 5);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(out[1], 'x');
}
END_TEST

/* Against an independent formatter: every amount up to 2,000,000 in
 * steps that hit every residue class of 10000 and 1000. */
START_TEST(sweep)
{
	long y;

	for (y = 0; y <= 2000000; y += 37) {
		char want[64], digits[32];
		int n, i, j = 0;

		if (y && y % 10000 == 0) {
			snprintf(want, sizeof(want), "%ld万元", y / 10000);
		} else {
			n = snprintf(digits, sizeof(digits), "%ld", y);
			for (i = 0; i < n; i++) {
				want[j++] = digits[i];
				if ((n - i - 1) % 3 == 0 && i != n - 1)
					want[j++] = ',';
			}
			strcpy(want + j, "元");
		}
		ck_assert_str_eq(money(y), want);
	}
	for (y = 10000; y <= 2000000; y += 10000) {
		char want[64];

		snprintf(want, sizeof(want), "%ld万元", y / 10000);
		ck_assert_str_eq(money(y), want);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, whole_wan);
	tcase_add_test(tc, yuan_with_separators);
	tcase_add_test(tc, negative);
	tcase_add_test(tc, extremes);
	tcase_add_test(tc, small_buffers);
	tcase_add_test(tc, sweep);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

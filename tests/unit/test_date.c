/* test_date.c - civil dates (generator/date.c). */
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "error.h"
#include "unit.h"

static date_t ymd(int y, int m, int d)
{
	date_t t = INT32_MIN;

	ck_assert_int_eq(date_from_ymd(y, m, d, &t), 0);
	return t;
}

static void check_ymd(date_t t, int ey, int em, int ed)
{
	int y = 0, m = 0, d = 0;

	date_to_ymd(t, &y, &m, &d);
	ck_assert_int_eq(y, ey);
	ck_assert_int_eq(m, em);
	ck_assert_int_eq(d, ed);
}

/* Independent of date.c: the textbook rule, used to walk the range. */
static int naive_month_days(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : n[m - 1];
}

/* xorshift32: the same sequence on every libc. */
static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

START_TEST(known_day_numbers)
{
	ck_assert_int_eq(ymd(1970, 1, 1), 0);
	ck_assert_int_eq(ymd(1969, 12, 31), -1);
	ck_assert_int_eq(ymd(1900, 1, 1), -25567);
	ck_assert_int_eq(ymd(1900, 3, 1), -25508);
	ck_assert_int_eq(ymd(2000, 2, 29), 11016);
	ck_assert_int_eq(ymd(2000, 3, 1), 11017);
	ck_assert_int_eq(ymd(2024, 2, 29), 19782);
	ck_assert_int_eq(ymd(2024, 3, 5), 19787);
	ck_assert_int_eq(ymd(2199, 12, 31), 84005);
	check_ymd(0, 1970, 1, 1);
	check_ymd(-1, 1969, 12, 31);
	check_ymd(-25567, 1900, 1, 1);
	check_ymd(19782, 2024, 2, 29);
	check_ymd(84005, 2199, 12, 31);
	ck_assert_int_eq(date_year(-1), 1969);
	ck_assert_int_eq(date_year(0), 1970);
}
END_TEST

START_TEST(leap_years)
{
	date_t t;

	ck_assert_int_eq(date_from_ymd(1900, 2, 29, &t), ERR_INVALID);
	ck_assert_int_eq(date_from_ymd(2100, 2, 29, &t), ERR_INVALID);
	ck_assert_int_eq(date_from_ymd(2023, 2, 29, &t), ERR_INVALID);
	ck_assert_int_eq(ymd(2000, 3, 1) - ymd(2000, 2, 28), 2);
	ck_assert_int_eq(ymd(2024, 3, 1) - ymd(2024, 2, 28), 2);
	ck_assert_int_eq(ymd(1900, 3, 1) - ymd(1900, 2, 28), 1);
	ck_assert_int_eq(ymd(2001, 1, 1) - ymd(2000, 1, 1), 366);
	ck_assert_int_eq(ymd(1901, 1, 1) - ymd(1900, 1, 1), 365);
}
END_TEST

START_TEST(month_ends)
{
	static const int len[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	date_t t;
	int m;

	for (m = 1; m <= 12; m++) {
		ck_assert_int_eq(ymd(2024, m, len[m - 1]) + 1,
				 m == 12 ? ymd(2025, 1, 1) : ymd(2024, m + 1, 1));
		ck_assert_int_eq(date_from_ymd(2024, m, len[m - 1] + 1, &t),
				 ERR_INVALID);
		ck_assert_int_eq(date_from_ymd(2024, m, 0, &t), ERR_INVALID);
	}
	ck_assert_int_eq(date_from_ymd(2024, 0, 1, &t), ERR_INVALID);
	ck_assert_int_eq(date_from_ymd(2024, 13, 1, &t), ERR_INVALID);
	ck_assert_int_eq(date_from_ymd(2024, -1, 1, &t), ERR_INVALID);
}
END_TEST

START_TEST(year_range)
{
	date_t t;

	ymd(DATE_MIN_YEAR, 1, 1);
	ymd(DATE_MAX_YEAR, 12, 31);
	ck_assert_int_eq(date_from_ymd(DATE_MIN_YEAR - 1, 12, 31, &t),
			 ERR_INVALID);
	ck_assert_int_eq(date_from_ymd(DATE_MAX_YEAR + 1, 1, 1, &t),
			 ERR_INVALID);
	ck_assert_int_eq(date_from_ymd(0, 1, 1, &t), ERR_INVALID);
}
END_TEST

START_TEST(parse_accepts)
{
	date_t t = 0;

	ck_assert_int_eq(date_parse("2024-03-05", &t), 0);
	ck_assert_int_eq(t, 19787);
	ck_assert_int_eq(date_parse("1900-01-01", &t), 0);
	ck_assert_int_eq(t, -25567);
	ck_assert_int_eq(date_parse("2199-12-31", &t), 0);
	ck_assert_int_eq(t, 84005);
	ck_assert_int_eq(date_parse("2000-02-29", &t), 0);
	ck_assert_int_eq(t, 11016);
}
END_TEST

START_TEST(parse_rejects)
{
	static const char *const bad[] = {
		"2023-02-30", "2023-02-29", "1900-02-29", "2023-13-01",
		"2023-00-10", "2023-01-00", "2023-04-31", "2023-1-01",
		"2023-01-1", "23-01-01", "2023-01-01x", "2023-01-01 ",
		" 2023-01-01", "2023-01-0", "2023-01-", "2023", "",
		"20230101", "2023/01/01", "2023-01/01", "+023-01-01",
		"-023-01-01", "2023-+1-01", "2023-01-+1", "1899-12-31",
		"2200-01-01", "0000-01-01", "2023-01-01\n",
		"２０２３-01-01", "2023-01-01T00:00",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		date_t t = 12345;

		ck_assert_msg(date_parse(bad[i], &t) == ERR_INVALID,
			      "accepted \"%s\"", bad[i]);
		ck_assert_int_eq(t, 12345);
	}
	ck_assert_int_eq(date_parse(NULL, &(date_t){ 0 }), ERR_INVALID);
}
END_TEST

START_TEST(weekdays)
{
	ck_assert_int_eq(date_weekday(0), 4); /* Thursday */
	ck_assert_int_eq(date_weekday(-1), 3);
	ck_assert_int_eq(date_weekday(-3), 1);
	ck_assert_int_eq(date_weekday(-4), 7);
	ck_assert_int_eq(date_weekday(ymd(1900, 1, 1)), 1);
	ck_assert_int_eq(date_weekday(ymd(2024, 2, 4)), 7);
	ck_assert_int_eq(date_weekday(ymd(2024, 10, 1)), 2);
	ck_assert_int_eq(date_weekday(ymd(2024, 10, 12)), 6);
	ck_assert_int_eq(date_weekday(ymd(2199, 12, 31)), 2);
	ck_assert_int_ge(date_weekday(INT32_MIN), 1);
	ck_assert_int_le(date_weekday(INT32_MIN), 7);
	ck_assert_int_ge(date_weekday(INT32_MAX), 1);
	ck_assert_int_le(date_weekday(INT32_MAX), 7);
}
END_TEST

START_TEST(period_end_years)
{
	date_t leap = ymd(2024, 2, 29);

	ck_assert_int_eq(date_period_end(leap, 0, 0), leap);
	ck_assert_int_eq(date_period_end(leap, 1, 0), ymd(2025, 2, 28));
	ck_assert_int_eq(date_period_end(leap, 4, 0), ymd(2028, 2, 29));
	ck_assert_int_eq(date_period_end(leap, -1, 0), ymd(2023, 2, 28));
	ck_assert_int_eq(date_period_end(leap, -24, 0), ymd(2000, 2, 29));
	ck_assert_int_eq(date_period_end(leap, -124, 0), ymd(1900, 2, 28));
	ck_assert_int_eq(date_period_end(ymd(2023, 3, 31), 1, 0),
			 ymd(2024, 3, 31));
	ck_assert_int_eq(date_period_end(ymd(2023, 12, 31), 1, 0),
			 ymd(2024, 12, 31));
	ck_assert_int_eq(date_period_end(ymd(1970, 1, 1), -1, 0),
			 ymd(1969, 1, 1));
	ck_assert_int_eq(date_period_end(ymd(2000, 1, 1), 199, 0),
			 ymd(2199, 1, 1));
}
END_TEST

/* 民法典 第二百零一条、第二百零二条, as every span of years is counted. */
START_TEST(period_end_civil_code)
{
	/* an award of 2024-07-16 valid 5 years: its last day, and the
	 * last day a re-application waiting 5 years is refused */
	ck_assert_int_eq(date_period_end(ymd(2024, 7, 16), 5, 0), ymd(2029, 7, 16));
	/* months: the event's day number, else the month's last day */
	ck_assert_int_eq(date_period_end(ymd(2024, 1, 15), 0, 1), ymd(2024, 2, 15));
	ck_assert_int_eq(date_period_end(ymd(2024, 1, 31), 0, 1), ymd(2024, 2, 29));
	ck_assert_int_eq(date_period_end(ymd(2023, 1, 31), 0, 1), ymd(2023, 2, 28));
	ck_assert_int_eq(date_period_end(ymd(2024, 3, 31), 0, 1), ymd(2024, 4, 30));
	ck_assert_int_eq(date_period_end(ymd(2024, 8, 31), 0, 6), ymd(2025, 2, 28));
	ck_assert_int_eq(date_period_end(ymd(2024, 11, 30), 0, 3), ymd(2025, 2, 28));
	ck_assert_int_eq(date_period_end(ymd(2024, 12, 31), 0, 2), ymd(2025, 2, 28));
	ck_assert_int_eq(date_period_end(ymd(2023, 12, 31), 0, 2), ymd(2024, 2, 29));
	ck_assert_int_eq(date_period_end(ymd(2024, 12, 15), 1, 1), ymd(2026, 1, 15));
	ck_assert_int_eq(date_period_end(ymd(2024, 3, 31), 0, -1), ymd(2024, 2, 29));
	ck_assert_int_eq(date_period_end(ymd(2024, 1, 15), 0, -13), ymd(2022, 12, 15));
	/* "自2020年1月1日起，有效期5年": the event is the day before */
	ck_assert_int_eq(date_period_end(ymd(2020, 1, 1) - 1, 5, 0), ymd(2024, 12, 31));
	ck_assert_int_eq(date_period_end(ymd(2020, 2, 29) - 1, 5, 0), ymd(2025, 2, 28));
	ck_assert_int_eq(date_period_end(ymd(2020, 3, 1) - 1, 1, 0), ymd(2021, 2, 28));
	/* 1900 was no leap year, 2000 was */
	ck_assert_int_eq(date_period_end(ymd(1900, 1, 31), 0, 1), ymd(1900, 2, 28));
	ck_assert_int_eq(date_period_end(ymd(2000, 1, 31), 0, 1), ymd(2000, 2, 29));
	/* absurd spans saturate instead of wrapping */
	ck_assert_int_eq(date_period_end(ymd(2024, 1, 1), INT32_MAX, 0), INT32_MAX);
	ck_assert_int_eq(date_period_end(ymd(2024, 1, 1), INT32_MIN, 0), INT32_MIN);
	ck_assert_int_eq(date_period_end(ymd(2024, 1, 1), 0, INT32_MIN), INT32_MIN);
	ck_assert_int_eq(date_period_end(INT32_MAX, INT32_MAX, INT32_MAX), INT32_MAX);
	ck_assert_int_eq(date_period_end(INT32_MIN, INT32_MIN, INT32_MIN), INT32_MIN);
}
END_TEST

START_TEST(years_between)
{
	date_t est = ymd(2019, 3, 10), leap = ymd(2020, 2, 29);

	ck_assert_int_eq(date_years_between(est, ymd(2024, 3, 10)), 5);
	ck_assert_int_eq(date_years_between(est, ymd(2024, 3, 9)), 4);
	ck_assert_int_eq(date_years_between(est, est), 0);
	ck_assert_int_eq(date_years_between(est, est + 1), 0);
	ck_assert_int_eq(date_years_between(est, ymd(2020, 3, 9)), 0);
	ck_assert_int_eq(date_years_between(est, ymd(2020, 3, 10)), 1);
	ck_assert_int_eq(date_years_between(ymd(2023, 12, 31),
					    ymd(2024, 1, 1)), 0);
	/* 29 February's anniversary is 28 February in a common year. */
	ck_assert_int_eq(date_years_between(leap, ymd(2021, 2, 27)), 0);
	ck_assert_int_eq(date_years_between(leap, ymd(2021, 2, 28)), 1);
	ck_assert_int_eq(date_years_between(leap, ymd(2024, 2, 28)), 3);
	ck_assert_int_eq(date_years_between(leap, ymd(2024, 2, 29)), 4);
	ck_assert_int_eq(date_years_between(ymd(1900, 1, 1),
					    ymd(2199, 12, 31)), 299);
	ck_assert_int_eq(date_years_between(ymd(2024, 3, 10), est), -5);
	ck_assert_int_eq(date_years_between(ymd(2024, 3, 9), est), -4);
}
END_TEST

START_TEST(format_iso)
{
	char s[11];

	date_format(ymd(2024, 3, 5), s);
	ck_assert_str_eq(s, "2024-03-05");
	date_format(0, s);
	ck_assert_str_eq(s, "1970-01-01");
	date_format(ymd(1900, 1, 1), s);
	ck_assert_str_eq(s, "1900-01-01");
	date_format(ymd(2199, 12, 31), s);
	ck_assert_str_eq(s, "2199-12-31");
	date_format(-1, s);
	ck_assert_str_eq(s, "1969-12-31");
	/* Far outside any record: must stay within the 11 bytes. */
	date_format(INT32_MAX, s);
	ck_assert_uint_eq(strlen(s), 10);
	date_format(INT32_MIN, s);
	ck_assert_uint_eq(strlen(s), 10);
}
END_TEST

START_TEST(format_zh)
{
	char s[32];

	date_format_zh(ymd(2024, 3, 5), s);
	ck_assert_str_eq(s, "2024年3月5日");
	date_format_zh(ymd(2024, 12, 25), s);
	ck_assert_str_eq(s, "2024年12月25日");
	date_format_zh(ymd(1900, 1, 10), s);
	ck_assert_str_eq(s, "1900年1月10日");
	date_format_zh(INT32_MIN, s);
	ck_assert_uint_lt(strlen(s), 32);
}
END_TEST

START_TEST(time_cst)
{
	/* 1709568000 is 2024-03-04T16:00:00Z, midnight in Beijing. */
	ck_assert_int_eq(date_from_time_cst(1709568000), ymd(2024, 3, 5));
	ck_assert_int_eq(date_from_time_cst(1709567999), ymd(2024, 3, 4));
	ck_assert_int_eq(date_from_time_cst(0), 0);
	ck_assert_int_eq(date_from_time_cst(57599), 0);
	ck_assert_int_eq(date_from_time_cst(57600), 1);
	ck_assert_int_eq(date_from_time_cst(-1), 0);
	ck_assert_int_eq(date_from_time_cst(-28800), 0);
	ck_assert_int_eq(date_from_time_cst(-28801), -1);
	ck_assert_int_eq(date_from_time_cst(-86400 - 28800), -1);
	ck_assert_int_eq(date_from_time_cst(-86400 - 28801), -2);
	/* 1900-01-01T00:00+08:00 */
	ck_assert_int_eq(date_from_time_cst((time_t)-25567 * 86400 - 28800),
			 ymd(1900, 1, 1));
	if (sizeof(time_t) >= 8) {
		ck_assert_int_eq(date_from_time_cst((time_t)INT64_MAX),
				 INT32_MAX);
		ck_assert_int_eq(date_from_time_cst((time_t)INT64_MIN),
				 INT32_MIN);
		/* 2199-12-31T23:59:59+08:00 */
		ck_assert_int_eq(date_from_time_cst((time_t)84006 * 86400 -
						    28801), 84005);
	}
}
END_TEST

/* Every day of the range, in order, against a naive day counter. */
START_TEST(walk_whole_range)
{
	date_t t = ymd(DATE_MIN_YEAR, 1, 1);
	int y, m, d, w = 1;

	for (y = DATE_MIN_YEAR; y <= DATE_MAX_YEAR; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= naive_month_days(y, m); d++, t++) {
				date_t u = 0;

				ck_assert_int_eq(date_from_ymd(y, m, d, &u), 0);
				ck_assert_int_eq(u, t);
				check_ymd(t, y, m, d);
				ck_assert_int_eq(date_weekday(t), w);
				w = w % 7 + 1;
			}
	ck_assert_int_eq(t, ymd(DATE_MAX_YEAR, 12, 31) + 1);
}
END_TEST

START_TEST(random_round_trips)
{
	date_t lo = ymd(DATE_MIN_YEAR, 1, 1), hi = ymd(DATE_MAX_YEAR, 12, 31);
	uint32_t seed = 20240305;
	int i;

	for (i = 0; i < 100000; i++) {
		date_t t = lo + (date_t)(next_rand(&seed) % (uint32_t)(hi - lo + 1));
		date_t u = 0;
		char s[11];
		int y, m, d;

		date_format(t, s);
		ck_assert_int_eq(date_parse(s, &u), 0);
		ck_assert_int_eq(u, t);
		date_to_ymd(t, &y, &m, &d);
		ck_assert_int_eq(date_from_ymd(y, m, d, &u), 0);
		ck_assert_int_eq(u, t);
		ck_assert_int_eq(date_year(t), y);
		ck_assert_int_eq(date_weekday(t + 1), date_weekday(t) % 7 + 1);
		ck_assert_int_eq(date_years_between(t, date_period_end(t, 1, 0)), 1);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, known_day_numbers);
	tcase_add_test(tc, leap_years);
	tcase_add_test(tc, month_ends);
	tcase_add_test(tc, year_range);
	tcase_add_test(tc, parse_accepts);
	tcase_add_test(tc, parse_rejects);
	tcase_add_test(tc, weekdays);
	tcase_add_test(tc, period_end_years);
	tcase_add_test(tc, period_end_civil_code);
	tcase_add_test(tc, years_between);
	tcase_add_test(tc, format_iso);
	tcase_add_test(tc, format_zh);
	tcase_add_test(tc, time_cst);
	tcase_add_test(tc, walk_whole_range);
	tcase_add_test(tc, random_round_trips);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

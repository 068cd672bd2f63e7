/* test_calendar.c - the working-day calendar (generator/calendar.c). */
#include <stdint.h>
#include <stdio.h>

#include "calendar.h"
#include "error.h"
#include "unit.h"

/* The State Council arrangements for 2024 and 2025, copied here so the
 * test needs no data outside the repository. */
static const struct {
	const char *date;
	bool off;
} arrangement[] = {
	{ "2024-01-01", true },
	{ "2024-02-04", false },
	{ "2024-02-10", true }, { "2024-02-11", true }, { "2024-02-12", true },
	{ "2024-02-13", true }, { "2024-02-14", true }, { "2024-02-15", true },
	{ "2024-02-16", true }, { "2024-02-17", true },
	{ "2024-02-18", false },
	{ "2024-04-04", true }, { "2024-04-05", true }, { "2024-04-06", true },
	{ "2024-04-07", false },
	{ "2024-04-28", false },
	{ "2024-05-01", true }, { "2024-05-02", true }, { "2024-05-03", true },
	{ "2024-05-04", true }, { "2024-05-05", true },
	{ "2024-05-11", false },
	{ "2024-06-10", true },
	{ "2024-09-14", false },
	{ "2024-09-15", true }, { "2024-09-16", true }, { "2024-09-17", true },
	{ "2024-09-29", false },
	{ "2024-10-01", true }, { "2024-10-02", true }, { "2024-10-03", true },
	{ "2024-10-04", true }, { "2024-10-05", true }, { "2024-10-06", true },
	{ "2024-10-07", true },
	{ "2024-10-12", false },
	{ "2025-01-01", true },
	{ "2025-01-26", false },
	{ "2025-01-28", true }, { "2025-01-29", true }, { "2025-01-30", true },
	{ "2025-01-31", true }, { "2025-02-01", true }, { "2025-02-02", true },
	{ "2025-02-03", true }, { "2025-02-04", true },
	{ "2025-02-08", false },
	{ "2025-04-04", true }, { "2025-04-05", true }, { "2025-04-06", true },
	{ "2025-04-27", false },
	{ "2025-05-01", true }, { "2025-05-02", true }, { "2025-05-03", true },
	{ "2025-05-04", true }, { "2025-05-05", true },
	{ "2025-05-31", true }, { "2025-06-01", true }, { "2025-06-02", true },
	{ "2025-09-28", false },
	{ "2025-10-01", true }, { "2025-10-02", true }, { "2025-10-03", true },
	{ "2025-10-04", true }, { "2025-10-05", true }, { "2025-10-06", true },
	{ "2025-10-07", true }, { "2025-10-08", true },
	{ "2025-10-11", false },
};

static struct calendar cal = CALENDAR_INIT;

static date_t day(const char *s)
{
	date_t t = 0;

	ck_assert_int_eq(date_parse(s, &t), 0);
	return t;
}

static void load_2024_2025(void)
{
	size_t i;

	ck_assert_int_eq(calendar_add_year(&cal, 2024), 0);
	ck_assert_int_eq(calendar_add_year(&cal, 2025), 0);
	for (i = 0; i < sizeof(arrangement) / sizeof(*arrangement); i++)
		ck_assert_int_eq(calendar_set_day(&cal, day(arrangement[i].date),
						  arrangement[i].off), 0);
}

static void release(void)
{
	calendar_release(&cal);
}

static bool is_working(const char *s)
{
	bool w = false;

	ck_assert_int_eq(calendar_is_working_day(&cal, day(s), &w), 0);
	return w;
}

static int count(const char *a, const char *b)
{
	int n = -1;

	ck_assert_int_eq(calendar_count_working_days(&cal, day(a), day(b), &n),
			 0);
	return n;
}

static date_t add(const char *s, int n)
{
	date_t t = 0;

	ck_assert_int_eq(calendar_add_working_days(&cal, day(s), n, &t), 0);
	return t;
}

static void check_missing(int error, int year)
{
	char want[96];

	snprintf(want, sizeof(want), "no working-day calendar for %d (data/calendars/%d.json)", year, year);
	ck_assert_int_eq(error, ERR_CALENDAR);
	ck_assert_str_eq(error_message(), want);
}

/* The message for a day of year's last week without the next year. */
static void check_edge(int error, int year)
{
	char want[192];

	snprintf(want, sizeof(want), "no working-day calendar for %d (data/calendars/%d.json), which can hold "
		 "days of %d from 25 December on, such as a make-up working day", year + 1, year + 1, year);
	ck_assert_int_eq(error, ERR_CALENDAR);
	ck_assert_str_eq(error_message(), want);
}

static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

START_TEST(known_days_2024)
{
	load_2024_2025();
	ck_assert(is_working("2024-02-04"));	/* Sunday, make-up */
	ck_assert(!is_working("2024-02-03"));	/* Saturday */
	ck_assert(!is_working("2024-01-01"));	/* Monday, New Year */
	ck_assert(is_working("2024-01-02"));
	ck_assert(!is_working("2024-02-12"));	/* Monday, Spring Festival */
	ck_assert(!is_working("2024-10-01"));
	ck_assert(!is_working("2024-10-04"));
	ck_assert(!is_working("2024-10-07"));	/* Monday */
	ck_assert(is_working("2024-10-08"));
	ck_assert(is_working("2024-10-12"));	/* Saturday, make-up */
	ck_assert(!is_working("2024-10-13"));
	ck_assert(is_working("2024-09-29"));	/* Sunday, make-up */
	ck_assert(is_working("2024-12-31"));
	ck_assert(!is_working("2025-10-08"));	/* Wednesday */
	ck_assert(is_working("2025-10-11"));
}
END_TEST

START_TEST(counts)
{
	load_2024_2025();
	/* the arrangement for 2026 moves no day of 2025 */
	ck_assert_int_eq(calendar_add_year(&cal, 2026), 0);
	ck_assert_int_eq(count("2024-10-08", "2024-10-14"), 6);
	ck_assert_int_eq(count("2024-10-01", "2024-10-07"), 0);
	ck_assert_int_eq(count("2024-10-12", "2024-10-12"), 1);
	ck_assert_int_eq(count("2024-10-13", "2024-10-13"), 0);
	ck_assert_int_eq(count("2024-02-01", "2024-02-29"), 18);
	ck_assert_int_eq(count("2024-01-01", "2024-12-31"), 251);
	ck_assert_int_eq(count("2025-01-01", "2025-12-31"), 248);
	ck_assert_int_eq(count("2024-01-01", "2025-12-31"), 251 + 248);
	ck_assert_int_eq(count("2024-12-25", "2025-01-10"), 12);
	ck_assert_int_eq(count("2025-01-20", "2025-02-10"), 12);
	ck_assert_int_eq(count("2024-10-14", "2024-10-08"), 0);
}
END_TEST

START_TEST(adds)
{
	load_2024_2025();
	/* the arrangement for 2026 moves no day of 2025 */
	ck_assert_int_eq(calendar_add_year(&cal, 2026), 0);
	ck_assert_int_eq(add("2024-09-27", 5), day("2024-10-10"));
	ck_assert_int_eq(add("2024-09-27", 1), day("2024-09-29"));
	ck_assert_int_eq(add("2024-09-28", 1), day("2024-09-29"));
	ck_assert_int_eq(add("2024-09-29", 1), day("2024-09-30"));
	ck_assert_int_eq(add("2024-09-30", 1), day("2024-10-08"));
	ck_assert_int_eq(add("2024-10-11", 1), day("2024-10-12"));
	ck_assert_int_eq(add("2025-01-24", 3), day("2025-02-05"));
	ck_assert_int_eq(add("2024-12-31", 1), day("2025-01-02"));
	ck_assert_int_eq(add("2025-09-30", 1), day("2025-10-09"));
	ck_assert_int_eq(add("2024-01-01", 250), day("2024-12-30"));
	ck_assert_int_eq(add("2024-01-01", 251), day("2024-12-31"));
	ck_assert_int_eq(add("2024-01-01", 252), day("2025-01-02"));
	ck_assert_int_eq(add("2024-01-01", 251 + 248), day("2025-12-31"));
}
END_TEST

START_TEST(missing_year)
{
	date_t t = 0;
	bool w;
	int n = -1;

	load_2024_2025();
	ck_assert(!calendar_has_year(&cal, 2023));
	ck_assert(calendar_has_year(&cal, 2024));
	ck_assert(!calendar_has_year(&cal, 1899));
	ck_assert(!calendar_has_year(&cal, 2200));
	error_clear();
	check_missing(calendar_is_working_day(&cal, day("2023-12-29"), &w),
		      2023);
	error_clear();
	check_missing(calendar_count_working_days(&cal, day("2023-12-30"),
						  day("2024-01-05"), &n), 2023);
	error_clear();
	check_missing(calendar_count_working_days(&cal, day("2025-12-30"),
						  day("2026-01-02"), &n), 2026);
	error_clear();
	check_missing(calendar_count_working_days(&cal, day("2023-01-01"),
						  day("2026-12-31"), &n), 2023);
	error_clear();
	check_missing(calendar_add_working_days(&cal, day("2025-12-25"), 10,
						&t), 2026);
	error_clear();
	check_missing(calendar_add_working_days(&cal, day("2025-12-31"), 1,
						&t), 2026);
	error_clear();
	check_missing(calendar_add_working_days(&cal, day("2022-12-31"), 1,
						&t), 2023);
	error_clear();
	check_missing(calendar_is_working_day(&cal, INT32_MIN, &w),
		      date_year(INT32_MIN));
	/* Days after start only: start's own year may be unknown. */
	ck_assert_int_eq(add("2023-12-31", 1), day("2024-01-02"));
	ck_assert_int_eq(add("2025-12-23", 1), day("2025-12-24"));
	error_clear();
	check_edge(calendar_add_working_days(&cal, day("2025-12-30"), 1, &t), 2025);
	/* An empty span touches no year. */
	ck_assert_int_eq(calendar_count_working_days(&cal, day("2030-01-02"),
						     day("2030-01-01"), &n), 0);
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(empty_calendar)
{
	struct calendar c = CALENDAR_INIT;
	date_t t;
	bool w;
	int n;

	check_missing(calendar_is_working_day(&c, day("2024-01-02"), &w), 2024);
	check_missing(calendar_count_working_days(&c, day("2024-01-02"),
						  day("2024-01-03"), &n), 2024);
	check_missing(calendar_add_working_days(&c, day("2024-01-02"), 1, &t),
		      2024);
	calendar_release(&c);
}
END_TEST

START_TEST(bad_arguments)
{
	date_t t;

	ck_assert_int_eq(calendar_add_year(&cal, DATE_MIN_YEAR - 1),
			 ERR_INVALID);
	ck_assert_int_eq(calendar_add_year(&cal, DATE_MAX_YEAR + 1),
			 ERR_INVALID);
	ck_assert_int_eq(calendar_set_day(&cal, day("1900-01-01") - 1, true),
			 ERR_INVALID);
	ck_assert_int_eq(calendar_set_day(&cal, day("2199-12-31") + 1, true),
			 ERR_INVALID);
	ck_assert_int_eq(calendar_set_day(&cal, INT32_MAX, true), ERR_INVALID);
	load_2024_2025();
	ck_assert_int_eq(calendar_add_working_days(&cal, day("2024-03-01"), 0,
						   &t), ERR_INVALID);
	ck_assert_int_eq(calendar_add_working_days(&cal, day("2024-03-01"), -1,
						   &t), ERR_INVALID);
	ck_assert_int_eq(calendar_add_working_days(&cal, INT32_MAX, 1, &t),
			 ERR_CALENDAR);
}
END_TEST

/* The 2019 arrangement lists 2018-12-29..31: the days come before
 * their year is known, and knowing it later must keep them. */
START_TEST(days_before_their_year)
{
	ck_assert_int_eq(calendar_add_year(&cal, 2019), 0);
	ck_assert_int_eq(calendar_set_day(&cal, day("2018-12-29"), false), 0);
	ck_assert_int_eq(calendar_set_day(&cal, day("2018-12-30"), true), 0);
	ck_assert_int_eq(calendar_set_day(&cal, day("2018-12-31"), true), 0);
	ck_assert_int_eq(calendar_set_day(&cal, day("2019-01-01"), true), 0);
	ck_assert(!calendar_has_year(&cal, 2018));
	check_missing(calendar_is_working_day(&cal, day("2018-12-29"),
					      &(bool){ false }), 2018);
	ck_assert_int_eq(calendar_add_year(&cal, 2018), 0);
	ck_assert(is_working("2018-12-29"));	/* Saturday */
	ck_assert(!is_working("2018-12-31"));	/* Monday */
	ck_assert(is_working("2018-12-28"));
	ck_assert_int_eq(count("2018-12-24", "2019-01-06"), 5 + 1 + 3);
	ck_assert_int_eq(add("2018-12-28", 1), day("2018-12-29"));
	ck_assert_int_eq(add("2018-12-29", 1), day("2019-01-02"));
}
END_TEST

/*
 * The arrangement for 2019 (State Council, 2018-12-06) made Saturday
 * 2018-12-29 a working day and 12-30..01-01 holidays; the arrangement
 * for 2018 knows nothing of them.  Late December 2018 is therefore
 * unknown until 2019 is (issue #17 item 10); early January 2019 needs
 * no arrangement of 2018.
 */
START_TEST(year_edge_needs_next_year)
{
	date_t t = 0;
	int n = -1;
	bool w;

	ck_assert_int_eq(calendar_add_year(&cal, 2018), 0);
	ck_assert_int_eq(count("2018-12-17", "2018-12-24"), 6);
	ck_assert(is_working("2018-12-24"));
	ck_assert_int_eq(add("2018-12-20", 2), day("2018-12-24"));
	/* without 2019, a notice period ending 2018-12-29 would be one day short */
	error_clear();
	check_edge(calendar_count_working_days(&cal, day("2018-12-24"), day("2018-12-29"), &n), 2018);
	error_clear();
	check_edge(calendar_count_working_days(&cal, day("2018-12-25"), day("2018-12-25"), &n), 2018);
	error_clear();
	check_edge(calendar_is_working_day(&cal, day("2018-12-29"), &w), 2018);
	error_clear();
	check_edge(calendar_add_working_days(&cal, day("2018-12-24"), 4, &t), 2018);
	error_clear();
	check_edge(calendar_add_working_days(&cal, day("2018-12-20"), 3, &t), 2018);
	error_clear();
	check_missing(calendar_add_working_days(&cal, day("2018-12-24"), 10, &t), 2019);
	error_clear();
	check_missing(calendar_count_working_days(&cal, day("2018-12-20"), day("2019-01-02"), &n), 2019);

	ck_assert_int_eq(calendar_add_year(&cal, 2019), 0);
	ck_assert_int_eq(calendar_set_day(&cal, day("2018-12-29"), false), 0);
	ck_assert_int_eq(calendar_set_day(&cal, day("2018-12-30"), true), 0);
	ck_assert_int_eq(calendar_set_day(&cal, day("2018-12-31"), true), 0);
	ck_assert_int_eq(calendar_set_day(&cal, day("2019-01-01"), true), 0);
	ck_assert_int_eq(count("2018-12-24", "2018-12-29"), 6);
	ck_assert(is_working("2018-12-29"));
	ck_assert_int_eq(add("2018-12-24", 5), day("2018-12-29"));
	ck_assert_int_eq(add("2018-12-24", 6), day("2019-01-02"));
	/* the last week of 2019 now needs 2020 */
	error_clear();
	check_edge(calendar_is_working_day(&cal, day("2019-12-31"), &w), 2019);
	/* early January: only its own year */
	calendar_release(&cal);
	ck_assert_int_eq(calendar_add_year(&cal, 2019), 0);
	ck_assert_int_eq(calendar_set_day(&cal, day("2019-01-01"), true), 0);
	ck_assert_int_eq(count("2019-01-01", "2019-01-06"), 3);
	ck_assert_int_eq(add("2018-12-31", 1), day("2019-01-02"));
	/* nothing can be recorded past the last year: its last week is whole */
	calendar_release(&cal);
	ck_assert_int_eq(calendar_add_year(&cal, DATE_MAX_YEAR), 0);
	ck_assert(is_working("2199-12-31"));
}
END_TEST

/* Later changes to an earlier year must move every later count. */
START_TEST(changes_reach_later_years)
{
	ck_assert_int_eq(calendar_add_year(&cal, 2030), 0);
	ck_assert_int_eq(calendar_add_year(&cal, 2031), 0);
	ck_assert_int_eq(calendar_add_year(&cal, 2032), 0);
	ck_assert_int_eq(count("2031-01-01", "2031-01-31"), 23);
	ck_assert_int_eq(count("2030-12-31", "2031-01-31"), 24);
	ck_assert_int_eq(calendar_set_day(&cal, day("2030-12-31"), true), 0);
	ck_assert_int_eq(count("2030-12-31", "2031-01-31"), 23);
	ck_assert_int_eq(calendar_set_day(&cal, day("2030-12-31"), false), 0);
	ck_assert_int_eq(calendar_set_day(&cal, day("2030-01-05"), false), 0);
	ck_assert_int_eq(count("2030-01-01", "2031-12-31"), 261 + 1 + 261);
	ck_assert_int_eq(count("2031-01-01", "2031-01-31"), 23);
	ck_assert_int_eq(add("2030-12-30", 1), day("2030-12-31"));
}
END_TEST

START_TEST(whole_range)
{
	date_t first = day("1900-01-01"), last = day("2199-12-31"), t = 0;
	int y, n = 0;

	for (y = DATE_MIN_YEAR; y <= DATE_MAX_YEAR; y++)
		ck_assert_int_eq(calendar_add_year(&cal, y), 0);
	ck_assert_int_eq(calendar_count_working_days(&cal, first, last, &n), 0);
	ck_assert_int_eq(n, 78267);
	ck_assert_int_eq(calendar_add_working_days(&cal, first - 1, 78267, &t),
			 0);
	ck_assert_int_eq(t, last);	/* a Tuesday */
	ck_assert_int_eq(calendar_add_working_days(&cal, first - 1, 1, &t), 0);
	ck_assert_int_eq(t, first);
	check_missing(calendar_add_working_days(&cal, first, 78267, &t),
		      DATE_MAX_YEAR + 1);
	check_missing(calendar_add_working_days(&cal, first, INT32_MAX, &t),
		      DATE_MAX_YEAR + 1);
}
END_TEST

/*
 * Random arrangements over a few years against a model kept here:
 * every count and every addition must agree with a day-by-day walk.
 */
START_TEST(random_against_model)
{
	enum { YEARS = 4, FIRST = 2040 };
	static signed char model[4 * 366 + 8];	/* 1 working, 0 not */
	date_t base = day("2040-01-01"), end = day("2043-12-31"), edge = day("2043-12-25");
	uint32_t seed = 7;
	int i, span = end - base + 1;

	for (i = 0; i < YEARS; i++)
		ck_assert_int_eq(calendar_add_year(&cal, FIRST + i), 0);
	for (i = 0; i < span; i++)
		model[i] = date_weekday(base + i) <= 5;
	for (i = 0; i < 400; i++) {
		int k = (int)(next_rand(&seed) % (uint32_t)span);
		bool off = next_rand(&seed) & 1;

		ck_assert_int_eq(calendar_set_day(&cal, base + k, off), 0);
		model[k] = !off;
	}
	for (i = 0; i < span; i++) {
		bool w;

		if (base + i >= edge) {
			check_edge(calendar_is_working_day(&cal, base + i, &w), FIRST + YEARS - 1);
			continue;
		}
		ck_assert_int_eq(calendar_is_working_day(&cal, base + i, &w), 0);
		ck_assert_int_eq(w, model[i]);
	}
	for (i = 0; i < 3000; i++) {
		int a = (int)(next_rand(&seed) % (uint32_t)span);
		int b = a + (int)(next_rand(&seed) % (uint32_t)(span - a));
		int want = 0, got = -1, j;

		for (j = a; j <= b; j++)
			want += model[j];
		if (base + b >= edge) {
			check_edge(calendar_count_working_days(&cal, base + a, base + b, &got),
				   FIRST + YEARS - 1);
			continue;
		}
		ck_assert_int_eq(calendar_count_working_days(&cal, base + a,
							     base + b, &got), 0);
		ck_assert_int_eq(got, want);
	}
	for (i = 0; i < 3000; i++) {
		int a = (int)(next_rand(&seed) % (uint32_t)span);
		int n = 1 + (int)(next_rand(&seed) % 300), left = n, j;
		date_t t = 0;
		int error;

		for (j = a + 1; j < span; j++)
			if (model[j] && !--left)
				break;
		error = calendar_add_working_days(&cal, base + a, n, &t);
		if (j < span && base + j >= edge) {
			check_edge(error, FIRST + YEARS - 1);
		} else if (j < span) {
			ck_assert_int_eq(error, 0);
			ck_assert_int_eq(t, base + j);
		} else {
			check_missing(error, FIRST + YEARS);
		}
	}
}
END_TEST

START_TEST(release_and_reuse)
{
	load_2024_2025();
	calendar_release(&cal);
	ck_assert_ptr_null(cal.day);
	ck_assert(!calendar_has_year(&cal, 2024));
	calendar_release(&cal);
	ck_assert_int_eq(calendar_add_year(&cal, 2024), 0);
	ck_assert(is_working("2024-10-01"));	/* no arrangement this time */
	ck_assert(!calendar_has_year(&cal, 2025));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("calendar");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, NULL, release);
	tcase_add_test(tc, known_days_2024);
	tcase_add_test(tc, counts);
	tcase_add_test(tc, adds);
	tcase_add_test(tc, missing_year);
	tcase_add_test(tc, empty_calendar);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, days_before_their_year);
	tcase_add_test(tc, year_edge_needs_next_year);
	tcase_add_test(tc, changes_reach_later_years);
	tcase_add_test(tc, whole_range);
	tcase_add_test(tc, random_against_model);
	tcase_add_test(tc, release_and_reuse);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

/*
 * date.h - civil dates as day numbers.
 *
 * A date_t counts days since 1970-01-01 in the proleptic Gregorian
 * calendar, so differences and comparisons are plain integer
 * arithmetic.  Dates in the record are China Standard Time calendar
 * dates; no time zone conversion is ever applied to them.
 */
#ifndef GONGSHI_DATE_H
#define GONGSHI_DATE_H

#include <stdint.h>
#include <time.h>

typedef int32_t date_t;

/* No date: a field absent or not a real date. */
#define DATE_NONE INT32_MIN

#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2199

/* Parses exactly "YYYY-MM-DD" naming a real day between DATE_MIN_YEAR
 * and DATE_MAX_YEAR (2023-02-30 is rejected).  0 or ERR_INVALID. */
int date_parse(const char *s, date_t *out);

/* 0, or ERR_INVALID for a day that does not exist or is out of range. */
int date_from_ymd(int y, int m, int d, date_t *out);
void date_to_ymd(date_t t, int *y, int *m, int *d);
int date_year(date_t t);

/* ISO weekday: 1 Monday .. 7 Sunday. */
int date_weekday(date_t t);

/*
 * The last day of a period of years and months counted from event, the
 * one convention for every span of years in the record (validity, bans,
 * re-application waits, windows of years, measures' validity), after
 * 民法典 第二百零一条、第二百零二条: the day of the event is not counted,
 * and the period ends on the day of the final month with the event's
 * day number, or on that month's last day if it has no such day.  So
 * 5 years from 2024-07-16 end on 2029-07-16 (included), 1 year from
 * 2024-02-29 on 2025-02-28, 1 month from 2024-01-31 on 2024-02-29.  A
 * period said to run from a day D itself ("自D起") has event D - 1.
 * 第二百零三条 (a last day on a public holiday moves to the next working
 * day) is not applied: it extends the time to do an act, and none of
 * these spans is one.  Years and months may be negative; results
 * outside date_t saturate.
 */
date_t date_period_end(date_t event, int years, int months);

/* Whole years from since to at, as an anniversary count (an
 * organization established 2019-03-10 has 5 operating years on
 * 2024-03-10, 4 on 2024-03-09). */
int date_years_between(date_t since, date_t at);

/* "2024-03-05"; out must hold 11 bytes. */
void date_format(date_t t, char out[11]);

/* "2024年3月5日"; out must hold 32 bytes. */
void date_format_zh(date_t t, char out[32]);

/* The calendar date in China Standard Time (UTC+8) at the instant now. */
date_t date_from_time_cst(time_t now);

#endif

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

/* The same month and day n years later (n may be negative); 29 February
 * becomes 28 February in a common year. */
date_t date_add_years(date_t t, int n);

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

/* date.c - civil dates as day numbers (see date.h). */
#include <stdint.h>
#include <stdio.h>

#include "date.h"
#include "error.h"

#define CST_OFFSET (8 * 3600)
#define SECS_PER_DAY 86400

/*
 * Howard Hinnant's days_from_civil / civil_from_days: exact for every
 * proleptic Gregorian date, with 64-bit intermediates so that any
 * date_t, and any year an int holds, converts without overflow.
 */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int month_days(int64_t y, int m)
{
	static const unsigned char n[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

/* Out-of-range results saturate rather than wrap: callers only ever
 * meet them with absurd inputs, and a saturated date is still ordered
 * correctly. */
static date_t clamp_date(int64_t t)
{
	return t < INT32_MIN ? INT32_MIN : t > INT32_MAX ? INT32_MAX : (date_t)t;
}

int date_from_ymd(int y, int m, int d, date_t *out)
{
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || m < 1 || m > 12 ||
	    d < 1 || d > month_days(y, m))
		return error_set(ERR_INVALID, "no such day: %d-%d-%d", y, m, d);
	*out = (date_t)days_from_civil(y, m, d);
	return 0;
}

void date_to_ymd(date_t t, int *y, int *m, int *d)
{
	int64_t z = (int64_t)t + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int date_year(date_t t)
{
	int y, m, d;

	date_to_ymd(t, &y, &m, &d);
	return y;
}

static int digits(const char *s, int n)
{
	int v = 0;

	while (n--) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

int date_parse(const char *s, date_t *out)
{
	int y, m, d;

	if (!s)
		return error_set(ERR_INVALID, "no date");
	/* Each check stops at the NUL of a short string before the
	 * next one could read past it. */
	if ((y = digits(s, 4)) < 0 || s[4] != '-' ||
	    (m = digits(s + 5, 2)) < 0 || s[7] != '-' ||
	    (d = digits(s + 8, 2)) < 0 || s[10] != '\0')
		return error_set(ERR_INVALID, "not a YYYY-MM-DD date: \"%.40s\"",
				 s);
	return date_from_ymd(y, m, d, out);
}

int date_weekday(date_t t)
{
	/* 1970-01-01 was a Thursday; t % 7 first keeps the sum small. */
	return (t % 7 + 7 + 3) % 7 + 1;
}

date_t date_period_end(date_t event, int years, int months)
{
	int y, m, d, dim;
	int64_t total, ny;
	int nm;

	date_to_ymd(event, &y, &m, &d);
	total = (int64_t)y * 12 + (m - 1) + (int64_t)years * 12 + months;
	/* floor division: months before year 0 still land in 1..12 */
	ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
	nm = (int)(total - ny * 12) + 1;
	dim = month_days(ny, nm);
	return clamp_date(days_from_civil(ny, nm, d > dim ? dim : d));
}

/*
 * The count is the largest n whose n-year period from since ends on or
 * before at, so someone born on 29 February turns one on 28 February:
 * the one convention of date_period_end.  Earlier at counts backwards,
 * symmetrically.
 */
int date_years_between(date_t since, date_t at)
{
	int n;

	if (at < since)
		return -date_years_between(at, since);
	n = date_year(at) - date_year(since);
	if (date_period_end(since, n, 0) > at)
		n--;
	return n;
}

static void put_digits(char *p, int v, int n)
{
	while (n--) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void date_format(date_t t, char out[11])
{
	int y, m, d;

	date_to_ymd(t, &y, &m, &d);
	/* Four digits are all out has room for; years no record can hold
	 * saturate rather than overrun. */
	put_digits(out, y < 0 ? 0 : y > 9999 ? 9999 : y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = '\0';
}

void date_format_zh(date_t t, char out[32])
{
	int y, m, d;

	date_to_ymd(t, &y, &m, &d);
	snprintf(out, 32, "%d年%d月%d日", y, m, d);
}

date_t date_from_time_cst(time_t now)
{
	/* Floor division before the offset is added, so neither a
	 * negative nor a near-maximal time_t overflows. */
	int64_t q = (int64_t)(now / SECS_PER_DAY);
	int64_t r = (int64_t)(now % SECS_PER_DAY);

	if (r < 0) {
		r += SECS_PER_DAY;
		q--;
	}
	if (r + CST_OFFSET >= SECS_PER_DAY)
		q++;
	return clamp_date(q);
}

/* calendar.c - the working-day calendar (see calendar.h). */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "error.h"

enum { ORDINARY = 0, HOLIDAY = 1, MAKEUP = 2 };

/* Index in c->day of 1 January of year index yi (yi may be one past
 * the last year, giving ndays). */
static int year_start(const struct calendar *c, int yi)
{
	date_t t;

	if (yi == CALENDAR_YEARS)
		return c->ndays;
	date_from_ymd(CALENDAR_FIRST_YEAR + yi, 1, 1, &t);
	return t - c->first;
}

static bool working(const struct calendar *c, int i)
{
	if (c->day[i] != ORDINARY)
		return c->day[i] == MAKEUP;
	return date_weekday(c->first + i) <= 5;
}

/* Working days in day[0..i], both included; yi must be i's year. */
static int32_t through(const struct calendar *c, int i, int yi)
{
	return c->before[yi] + c->upto[i];
}

/* One changed day alters its own year's running count and shifts the
 * totals of every later year; both stay small (366 + 300 steps). */
static void recount_year(struct calendar *c, int yi)
{
	int i = year_start(c, yi), end = year_start(c, yi + 1), j;
	int32_t n = 0, delta;

	for (; i < end; i++) {
		n += working(c, i);
		c->upto[i] = (uint16_t)n;
	}
	delta = n - (c->before[yi + 1] - c->before[yi]);
	for (j = yi + 1; j <= CALENDAR_YEARS; j++)
		c->before[j] += delta;
}

/* The whole range is allocated at once: about 330 KB, against the
 * bookkeeping a growable range would need for every query. */
static int setup(struct calendar *c)
{
	date_t last;
	int yi;

	if (c->day)
		return 0;
	date_from_ymd(CALENDAR_FIRST_YEAR, 1, 1, &c->first);
	date_from_ymd(DATE_MAX_YEAR, 12, 31, &last);
	c->ndays = last - c->first + 1;
	c->day = calloc((size_t)c->ndays, sizeof(*c->day));
	c->upto = calloc((size_t)c->ndays, sizeof(*c->upto));
	if (!c->day || !c->upto) {
		calendar_release(c);
		return error_set(ERR_NOMEM, "out of memory");
	}
	memset(c->before, 0, sizeof(c->before));
	for (yi = 0; yi < CALENDAR_YEARS; yi++)
		recount_year(c, yi);
	return 0;
}

static int need_year(const struct calendar *c, int year)
{
	if (!calendar_has_year(c, year))
		return error_set(ERR_CALENDAR, "no working-day calendar for %d (data/calendars/%d.json)",
				 year, year);
	return 0;
}

/*
 * The arrangement for a year also lists days of the last week of the
 * year before: its New Year holiday may start, and a make-up working day
 * fall, in late December (2018-12-29, a Saturday, was a working day by
 * the arrangement for 2019; 2011-12-31 and 2022-12-31 likewise).  So a
 * day from 25 December on is only known once the next year's arrangement
 * is too.  No arrangement has ever listed a day of the year after its
 * own, so early January needs no earlier year.
 */
#define EDGE_MONTH 12
#define EDGE_DAY 25

static int need_day(const struct calendar *c, date_t day)
{
	int y, m, d, error;

	date_to_ymd(day, &y, &m, &d);
	if ((error = need_year(c, y)) < 0)
		return error;
	/* past the last year no arrangement can be recorded, nor exist */
	if (m == EDGE_MONTH && d >= EDGE_DAY && y < DATE_MAX_YEAR && !calendar_has_year(c, y + 1))
		return error_set(ERR_CALENDAR, "no working-day calendar for %d (data/calendars/%d.json), "
				 "which can hold days of %d from %d December on, such as a make-up working day",
				 y + 1, y + 1, y, EDGE_DAY);
	return 0;
}

int calendar_add_year(struct calendar *c, int year)
{
	int error;

	if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
		return error_set(ERR_INVALID,
				 "calendar year %d out of range", year);
	if ((error = setup(c)) < 0)
		return error;
	c->known[year - CALENDAR_FIRST_YEAR] = true;
	return 0;
}

int calendar_set_day(struct calendar *c, date_t day, bool off)
{
	int year = date_year(day), error;

	if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
		return error_set(ERR_INVALID,
				 "calendar year %d out of range", year);
	if ((error = setup(c)) < 0)
		return error;
	c->day[day - c->first] = off ? HOLIDAY : MAKEUP;
	recount_year(c, year - CALENDAR_FIRST_YEAR);
	return 0;
}

bool calendar_has_year(const struct calendar *c, int year)
{
	return year >= DATE_MIN_YEAR && year <= DATE_MAX_YEAR &&
	       c->known[year - CALENDAR_FIRST_YEAR];
}

int calendar_is_working_day(const struct calendar *c, date_t day, bool *out)
{
	int error;

	if ((error = need_day(c, day)) < 0)
		return error;
	*out = working(c, day - c->first);
	return 0;
}

int calendar_count_working_days(const struct calendar *c, date_t start,
				date_t end, int *out)
{
	int ys, ye, y, i, error;

	*out = 0;
	if (end < start)
		return 0;
	ys = date_year(start);
	ye = date_year(end);
	for (y = ys; y < ye; y++)
		if ((error = need_year(c, y)) < 0)
			return error;
	/* every earlier year's last week needs the year after, known above */
	if ((error = need_day(c, end)) < 0)
		return error;
	i = start - c->first;
	*out = through(c, end - c->first, ye - CALENDAR_FIRST_YEAR) -
	       through(c, i, ys - CALENDAR_FIRST_YEAR) + working(c, i);
	return 0;
}

/*
 * Only the days after start are looked at, so start's own year need
 * not be known: a limit running from 31 December only needs the next
 * year's arrangement.
 */
int calendar_add_working_days(const struct calendar *c, date_t start, int n,
			      date_t *out)
{
	int64_t target;
	int yi, i, lo, hi, error;

	if (n < 1)
		return error_set(ERR_INVALID,
				 "working-day count %d is not positive", n);
	if (start == INT32_MAX)
		return need_year(c, date_year(start));
	if ((error = need_year(c, date_year(start + 1))) < 0)
		return error;
	i = start + 1 - c->first;
	yi = date_year(start + 1) - CALENDAR_FIRST_YEAR;
	target = (int64_t)through(c, i, yi) - working(c, i) + n;
	while (c->before[yi + 1] < target) {
		if ((error = need_year(c, CALENDAR_FIRST_YEAR + ++yi)) < 0)
			return error;
		i = year_start(c, yi);
	}
	/* The first day of the year whose running count reaches target. */
	lo = i;
	hi = year_start(c, yi + 1) - 1;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (through(c, mid, yi) >= target)
			hi = mid;
		else
			lo = mid + 1;
	}
	/* Every year passed through is known with the one after it; only
	 * the day found may sit in a last week whose next year is not. */
	if ((error = need_day(c, c->first + lo)) < 0)
		return error;
	*out = c->first + lo;
	return 0;
}

void calendar_release(struct calendar *c)
{
	free(c->day);
	free(c->upto);
	memset(c, 0, sizeof(*c));
}

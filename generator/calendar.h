/*
 * calendar.h - the working-day calendar.
 *
 * A working day is Monday to Friday, minus the State Council's public
 * holidays, plus its make-up working days (调休上班).  The arrangement
 * is only known for the years the record's calendar lists; any
 * computation touching another year fails with ERR_CALENDAR (message
 * "no working-day calendar for YYYY") rather than guessing.  A year's
 * arrangement can move days of the last week of the year before (the
 * arrangement for 2019 made Saturday 2018-12-29 a working day), so a
 * day from 25 December on also needs the next year.
 */
#ifndef GONGSHI_CALENDAR_H
#define GONGSHI_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>
#include "date.h"

#define CALENDAR_FIRST_YEAR DATE_MIN_YEAR
#define CALENDAR_YEARS (DATE_MAX_YEAR - DATE_MIN_YEAR + 1)

struct calendar {
	bool known[CALENDAR_YEARS]; /* year has an arrangement */
	unsigned char *day;         /* owned; per day since CALENDAR_FIRST_YEAR-01-01:
	                               0 ordinary, 1 holiday, 2 make-up working day */
	date_t first;               /* date of day[0] */
	int ndays;
	/* Private, kept current by every change so that no query walks
	 * the days one by one: */
	uint16_t *upto;             /* owned, parallel to day: working days from
	                               1 January of the day's year to the day,
	                               both included */
	int32_t before[CALENDAR_YEARS + 1]; /* working days from day[0] up to
	                                      1 January of each year, excluded */
};

#define CALENDAR_INIT { .day = NULL, .upto = NULL }

/* Marks year as known (an arrangement with no special day is valid).
 * ERR_INVALID outside DATE_MIN_YEAR..DATE_MAX_YEAR, ERR_NOMEM. */
int calendar_add_year(struct calendar *c, int year);

/* Marks day as a holiday (off) or a make-up working day (!off).  Its
 * year need not be known yet (arrangements cross New Year).  ERR_INVALID
 * for a day outside DATE_MIN_YEAR..DATE_MAX_YEAR, ERR_NOMEM. */
int calendar_set_day(struct calendar *c, date_t day, bool off);

bool calendar_has_year(const struct calendar *c, int year);

/* *out = whether day is a working day.  ERR_CALENDAR if its year is
 * unknown. */
int calendar_is_working_day(const struct calendar *c, date_t day, bool *out);

/* *out = working days in [start, end], both ends included (0 if
 * end < start). */
int calendar_count_working_days(const struct calendar *c, date_t start,
				date_t end, int *out);

/* *out = the n-th working day after start, start itself not counted
 * (n >= 1, else ERR_INVALID): the last day of a time limit "within n
 * working days of start".  Only the days after start need a known
 * year. */
int calendar_add_working_days(const struct calendar *c, date_t start, int n,
			      date_t *out);

void calendar_release(struct calendar *c);

#endif

/*
 * state.h - the states of records at the build date.
 *
 * Pure functions of the record and S->o->today (and of the calendars, for
 * working days): an award's standing (valid, expired, revoked), a
 * notice's state (not open, open, under review, closed...) and the days
 * left in its period.  They stamp the page with what they read.
 */
#ifndef GONGSHI_STATE_H
#define GONGSHI_STATE_H

#include "build.h"

/* A notice's state at the build date (notice_state()). */
enum nstate { NS_NOT_OPEN, NS_OPEN, NS_REVIEW, NS_CLEAN, NS_CLOSED, NS_PUBLISHED };

/* A tier's name, or "" (t may be NULL). */
const char *tier_name(const struct tier *t);

/* The program of an application's round, or NULL. */
const struct program *program_of(const struct application *a);

/*
 * Adds an award's standing at S->o->today to o: "status" (valid,
 * expired, revoked) and what goes with it.
 */
void put_award_status(struct site *S, cJSON *o, const struct application *a);

/*
 * n's state at S->o->today; *left: the calendar days left of an open
 * period (its last day counts), else 0.
 */
enum nstate notice_state(struct site *S, const struct notice *n, long *left);

/*
 * Adds n's state for the template's sentence (notice-state.mustache):
 * its id, the days left, and how long objections take to handle.
 */
void put_notice_state(struct site *S, cJSON *o, const struct notice *n);

#endif

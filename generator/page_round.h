/*
 * page_round.h - a round's page, and the lapses the record shows.
 */
#ifndef GONGSHI_PAGE_ROUND_H
#define GONGSHI_PAGE_ROUND_H

#include "build.h"

struct check_lapse;

/*
 * Appends lapse l to arr for lapse.mustache; self: the page it is shown
 * on (no link to it), or NULL.
 */
void put_lapse(struct site *S, cJSON *arr, const struct check_lapse *l, const char *self);

/* The day lapse l arose (see lapses/ in gongshi(1)), DATE_NONE if the
 * record gives none; never today. */
date_t lapse_since(const struct site *S, const struct check_lapse *l);

/* Adds "lapse_counts" to o: the record's open lapses counted by kind,
 * for the home page, which links lapses/ instead of listing them. */
void put_lapse_counts(struct site *S, cJSON *o);

/*
 * Adds to o the lapses whose concern(l) is it (concern NULL: all of
 * them), as "lapses" and "has_lapses"; self as for put_lapse().
 */
void put_lapses(struct site *S, cJSON *o, const void *it,
		const void *(*concern)(const struct check_lapse *), const char *self);

/* A lapse's objection (for put_lapses()). */
const void *lapse_objection(const struct check_lapse *l);

/* A lapse's notice (for put_lapses()). */
const void *lapse_notice(const struct check_lapse *l);

/*
 * Adds the lapses of n's earlier versions (from the history) to o.
 * 0 or < 0.
 */
int put_past_lapses(struct site *S, cJSON *o, const struct notice *n);

/* Writes round x's page.  0 or < 0. */
int page_round(struct site *S, const struct round *x);

#endif

/*
 * lists.h - the site's lists, split by their keys.
 *
 * A list (awards, organizations, revocations, objections, ...) is one
 * page, or when long, an index of pages by year, month or first character
 * of a name (struct list_spec).
 */
#ifndef GONGSHI_LISTS_H
#define GONGSHI_LISTS_H

#include "build.h"

/* The keys a list's pages are split by (see lists.c), and the key of
 * a record with no date. */
enum list_key { LK_NAME, LK_YEAR, LK_MONTH };
#define UNDATED "undated"

/*
 * Writes one list page, path, of the rows of list (not consumed: a
 * reference) as the template's key, stamped with the rows' stamps.
 * 0 or < 0.
 */
int emit_list(struct site *S, const char *path, const char *tmpl, const char *title,
	      const char *key, cJSON *list);

/*
 * The order of a list's keys of kind: years and months newest first,
 * names in strcmp() order; UNDATED last.
 */
int list_key_cmp(enum list_key kind, const char *a, const char *b);

/* The key of date t in a list by year: "2024", or UNDATED for DATE_NONE. */
void list_year_key(char *k, size_t size, date_t t);

/* The key of date t in a list by month: "03", or UNDATED for DATE_NONE. */
void list_month_key(char *k, size_t size, date_t t);

/*
 * Adds to o as k what the templates show key (of kind) as
 * (list-label.mustache); name: the name an LK_NAME key stands for.
 */
void put_part(cJSON *o, const char *k, enum list_key kind, const char *key, const char *name);

/*
 * Writes the lists of organizations, awards, revocations and objections
 * (rows made by the page builders, not consumed) and of notices and
 * rounds, split by their keys.  0 or < 0.
 */
int emit_lists(struct site *S, cJSON *orgs, cJSON *awards, cJSON *revs, cJSON *objs);

/* Writes lapses/: every open lapse of the record, by the year and month
 * it arose (lapse_since()). */
int emit_lapses(struct site *S);

#endif

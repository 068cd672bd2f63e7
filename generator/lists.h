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

enum list_key { LK_NAME, LK_YEAR, LK_MONTH };

/*
 * Writes one list page of the rows of list (consumed) under key.  0 or < 0.
 */
int emit_list(struct site *S, const char *path, const char *tmpl, const char *title,
	      const char *key, cJSON *list);

/* Adds a list part's key and its name to o as k. */
void put_part(cJSON *o, const char *k, enum list_key kind, const char *key, const char *name);

/*
 * Writes the lists of organizations, awards, revocations and
 * objections (each consumed), split by their keys.  0 or < 0.
 */
int emit_lists(struct site *S, cJSON *orgs, cJSON *awards, cJSON *revs, cJSON *objs);

#endif

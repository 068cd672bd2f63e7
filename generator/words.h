/*
 * words.h - a record's changed values as a citizen reads them.
 *
 * The history sections show what a commit changed field by field
 * (jsondiff.h gives each value as one line of text: a string as it is,
 * anything else as JSON).  A citizen reads neither JSON nor ids: here a
 * value becomes a tree for the theme, each node with its words: enum
 * values by their labels, dates as 2024年6月24日, amounts in yuan, a
 * reference by the name of what it refers to with the page it has, a
 * list as a list, an object as labelled parts, Markdown as HTML.
 *
 * A node is an object with every one of these members, false where it
 * has none (so that a template's lookup never falls through to an outer
 * node's member of the same name): "label" (a part's field name), "text",
 * "href" (site-relative), "html" (rendered Markdown), "items" (an array
 * of nodes), "list" (true when items has any), "empty" (true for an
 * empty list or object), "cut" (true: the value was longer than the history keeps,
 * and only its beginning is known).
 */
#ifndef GONGSHI_WORDS_H
#define GONGSHI_WORDS_H

#include <stddef.h>

#include "buf.h"
#include "json.h"
#include "record.h"

/* The name of record (kind, id) and its page (into href, MAX_URL bytes,
 * "" when it has none); NULL when the record is unknown. */
const char *words_record_name(const struct record *r, enum record_kind kind, const char *id, char *href);

/* The programme that record (kind, id) belongs to, whose tiers, stages
 * and grounds name the ids its values hold; NULL when there is none. */
const struct program *words_program_of(const struct record *r, enum record_kind kind, const char *id);

/* The node (see above) for value text of the field at machine path
 * ("stages[onsite]", "period.end"); NULL when out of memory. */
cJSON *words_value(const struct record *r, const struct program *p, const char *path, const char *text);

/* The label of the field at machine path, each member by its Chinese
 * name and each [id] by the name of what it identifies, into out. */
int words_label(const struct record *r, const struct program *p, const char *path, struct buf *out);

#endif

/*
 * jsondiff.h - field-level changes between two versions of a record.
 *
 * Reviewers and citizens read "公示期.截止日期: 2024-03-12 → 2024-03-19",
 * not a text diff.  Objects are compared key by key; arrays of objects
 * that carry an identifying member (an entry's "application", a stage's
 * "stage", an "id") are matched by it, so an entry added or removed reads
 * as one change; other arrays are compared position by position.  Any
 * change under a "private" member is reported as one JD_PRIVATE change
 * with no value, old or new: private values never leave this module.
 * Given a key, such a change carries the keyed fingerprints of the old
 * and new private value instead (fingerprint.h), for reviewers.
 */
#ifndef GONGSHI_JSONDIFF_H
#define GONGSHI_JSONDIFF_H

#include <stddef.h>

#include "buf.h"
#include "fingerprint.h"
#include "json.h"

enum jd_kind { JD_ADDED, JD_REMOVED, JD_CHANGED, JD_PRIVATE };

struct jd_change {
	enum jd_kind kind;
	char *path;   /* owned: machine path, e.g. "period.end", "entries[lanzhou-2023-baihe]" */
	char *label;  /* owned: the same in Chinese labels, e.g. "公示期.截止日期" */
	char *old;    /* owned: the old value as text, NULL when added; a private
	                 one's fingerprint, NULL without a key */
	char *new;    /* owned: the new value as text, NULL when removed; as old */
};

struct jd_changes {
	struct jd_change *v;  /* owned array */
	size_t n, cap;
};

#define JD_CHANGES_INIT { NULL, 0, 0 }

/* Appends the changes from old to new (either may be NULL: a record
 * added or removed whole) to out.  0 or ERR_NOMEM. */
int jsondiff(const cJSON *old, const cJSON *new, struct jd_changes *out);

/* As jsondiff(), with private changes fingerprinted under key (NULL:
 * none), for a reviewer's gongshi diff; never for a page. */
int jsondiff_keyed(const cJSON *old, const cJSON *new, const struct fingerprint_key *key,
		   struct jd_changes *out);

/* The Chinese label of a record's key, or the key itself. */
const char *jsondiff_label(const char *key);

/* A value as one line of text, cut after max characters. */
int jsondiff_value(const cJSON *v, size_t max, struct buf *out);

/* Every leaf of a record as a JD_ADDED change (paths as jsondiff gives
 * them; a private part as one JD_PRIVATE line per member, named only
 * when its name is a plain field name), for git's textconv. */
int jsondiff_flatten(const cJSON *doc, struct jd_changes *out);

/* As jsondiff_flatten(), each private member fingerprinted under key
 * (NULL: none). */
int jsondiff_flatten_keyed(const cJSON *doc, const struct fingerprint_key *key, struct jd_changes *out);

void jd_changes_release(struct jd_changes *c);

#endif

/*
 * summary.h - summaries of records and references to them, shared by pages.
 *
 * Each adds to a context a short form of another record (a row of a list,
 * an item of a page) and stamps the page with it (ctx.h).
 */
#ifndef GONGSHI_SUMMARY_H
#define GONGSHI_SUMMARY_H

#include "build.h"

/*
 * Adds organization g (id; g NULL if not in the record): its id, name
 * and link.
 */
void put_org_ref(struct site *S, cJSON *o, const struct organization *g, const char *id);

/*
 * Adds a's applicant, organization or person, under the keys templates
 * use for both (org_*).
 */
void put_applicant_ref(struct site *S, cJSON *o, const struct application *a);

/*
 * Adds round x's call for applications (评审公告) as an announcement: its
 * title, kind and link; the caller adds the date as its page wants it.
 */
void put_call(struct site *S, cJSON *o, const struct round *x);

/* The name of a's applicant, else its id. */
const char *applicant_name(const struct application *a);

/*
 * Appends to arr a summary of n for lists; returns it (NULL: no memory,
 * ctx_nomem set).
 */
cJSON *notice_summary(struct site *S, cJSON *arr, const struct notice *n);

/*
 * Whether the measures leave an award's money prize unstated (and the
 * record gives none paid): shown as not stated, never as 0.
 */
bool prize_unknown(const struct application *a);

/*
 * Appends to arr a summary of award a for lists; returns it (NULL: no
 * memory, ctx_nomem set).
 */
cJSON *award_summary(struct site *S, cJSON *arr, const struct application *a);

#endif

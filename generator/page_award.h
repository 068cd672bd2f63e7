/*
 * page_award.h - the pages of awards, revocations and objections.
 */
#ifndef GONGSHI_PAGE_AWARD_H
#define GONGSHI_PAGE_AWARD_H

#include "build.h"

/* Writes award a's page.  0 or < 0. */
int page_award(struct site *S, const struct application *a);

/* Writes revocation v's page; appends its summary to list.  0 or < 0. */
int page_revocation(struct site *S, const struct revocation *v, cJSON *list);

/* Writes objection b's page; appends its summary to list.  0 or < 0. */
int page_objection(struct site *S, const struct objection *b, cJSON *list);

#endif

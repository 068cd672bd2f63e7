/*
 * page_org.h - the pages of organizations and individuals.
 */
#ifndef GONGSHI_PAGE_ORG_H
#define GONGSHI_PAGE_ORG_H

#include "build.h"

/* Writes organization g's page; appends its summary to list.  0 or < 0. */
int page_organization(struct site *S, const struct organization *g, cJSON *list);

/* Writes individual p's page; appends its summary to list.  0 or < 0. */
int page_individual(struct site *S, const struct individual *p, cJSON *list);

#endif

/*
 * home.h - the home page and the pages of content/.
 */
#ifndef GONGSHI_HOME_H
#define GONGSHI_HOME_H

#include "build.h"

/*
 * qsort() order of cJSON object pointers: by "date", newest first, then
 * by "title".
 */
int date_desc(const void *a, const void *b);

/* Writes the home page.  0 or < 0. */
int page_home(struct site *S, const cJSON *programs, const cJSON *revocations);

/* Writes a page for each announcement and page of content/.  0 or < 0. */
int pages_content(struct site *S);

#endif

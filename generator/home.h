/*
 * home.h - the home page and the pages of content/.
 */
#ifndef GONGSHI_HOME_H
#define GONGSHI_HOME_H

#include "build.h"

/* qsort() order of announcements, newest first. */
int date_desc(const void *a, const void *b);

/* Writes the home page.  0 or < 0. */
int page_home(struct site *S, const cJSON *programs, const cJSON *revocations);

/* Writes the pages of content/pages/ and of announcements.  0 or < 0. */
int pages_content(struct site *S);

#endif

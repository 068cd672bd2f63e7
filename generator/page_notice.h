/*
 * page_notice.h - a notice's page and the pages of its versions.
 */
#ifndef GONGSHI_PAGE_NOTICE_H
#define GONGSHI_PAGE_NOTICE_H

#include "build.h"

/* Writes notice n's page and the pages of its versions.  0 or < 0. */
int page_notice(struct site *S, const struct notice *n);

#endif

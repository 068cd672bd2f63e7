/*
 * sitesearch.h - the site's search index (search.h).
 */
#ifndef GONGSHI_SITESEARCH_H
#define GONGSHI_SITESEARCH_H

#include "build.h"

/* Writes the site's search index.  0 or < 0. */
int search_pages(struct site *S);

#endif

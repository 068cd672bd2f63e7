/*
 * stats.h - the statistics pages.
 */
#ifndef GONGSHI_STATS_H
#define GONGSHI_STATS_H

#include "build.h"

/* Writes the statistics pages.  0 or < 0. */
int page_stats(struct site *S);

#endif

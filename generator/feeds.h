/*
 * feeds.h - feeds, downloads and the sitemap.
 */
#ifndef GONGSHI_FEEDS_H
#define GONGSHI_FEEDS_H

#include "build.h"

/* A date as RFC 3339 at midnight in China, into out. */
void rfc3339(char out[32], date_t t);

/*
 * Writes an Atom feed to path: notices, calls and revocations, newest
 * first, of program only (NULL: all), notices only if notices_only.
 */
int emit_feed(struct site *S, const char *path, const char *title,
	      const struct program *only, bool notices_only);

/*
 * Writes downloads/: the awards and applications as CSV, the public
 * record as JSON.  0 or < 0.
 */
int downloads(struct site *S);

/*
 * Writes sitemap.xml (in parts when long) of paths (n "path\tdate"
 * strings) and robots.txt; without a base URL, only robots.txt.  0 or < 0.
 */
int sitemap(struct site *S, char **paths, size_t n);

#endif

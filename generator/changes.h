/*
 * changes.h - the change log and the publication log.
 *
 * The change log: changes/ (a page per commit and the pages listing
 * them) and its feed.  The publication log (publog.h's format): the
 * entries of every build that published the site, this one appended.
 */
#ifndef GONGSHI_CHANGES_H
#define GONGSHI_CHANGES_H

#include "build.h"

/* Commits on each page of the change log. */
#define CHANGES_PER_PAGE 50
#define CHANGES_ON_INDEX 20 /* the newest commits, above the list of pages */

/*
 * The publication log as pages show it (owned by the caller; NULL: no
 * memory).
 */
cJSON *publications_view(struct site *S);

/* Writes commit c's page in the change log.  0 or < 0. */
int page_commit(struct site *S, const struct history_commit *c);

/* Writes the change log's lists and its feed.  0 or < 0. */
int pages_changes(struct site *S);

/*
 * Appends this build to the site's publication log and writes it.
 * 0 or < 0 (see site_build()).
 */
int publication_log(struct site *S);

#endif

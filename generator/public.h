/*
 * public.h - the privacy boundary: the public view of a record.
 *
 * Every record file, version of one and text of content/ a page shows is
 * read through here, and a record loses every member named "private" (at
 * any depth) and its "$schema" before anything else sees it: the one place
 * to audit that nothing private reaches the site.  Reading a record also
 * stamps the page being built (ctx.h).
 */
#ifndef GONGSHI_PUBLIC_H
#define GONGSHI_PUBLIC_H

#include "build.h"

/*
 * The public part of record file path: its tree without any "private"
 * nor "$schema", in doc (the caller releases it); stamps the record.
 * 0, or < 0 (ERR_IO, ERR_INVALID, ERR_NOMEM).
 */
int load_public(struct site *S, const char *path, struct json_doc *doc);

/*
 * A text file of content/ into out; 1 if there is none; < 0 (ERR_LIMIT,
 * ERR_IO, ERR_NOMEM).
 */
int load_content(struct site *S, const char *path, struct buf *out);

/*
 * Whether path is an announcement's or page's Markdown file whose name
 * can be a URL; *slug (size bytes) is that name without ".md".
 */
bool content_slug(const char *path, char *slug, size_t size);

/*
 * The public part of the version oid of a record file in doc; 0 with
 * doc->root NULL if it is not valid JSON; < 0 on error.
 */
int load_version(struct site *S, const unsigned char *oid, struct json_doc *doc);

#endif

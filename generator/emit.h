/*
 * emit.h - writing pages and their JSON.
 *
 * emit() renders a page's context under what every page carries (the
 * settings, the build, the menu, the way back to the root, the commit it
 * names) and writes it through output.h; every page of the site is
 * written by one of these functions.
 */
#ifndef GONGSHI_EMIT_H
#define GONGSHI_EMIT_H

#include "build.h"

/*
 * Makes S->base, the context every page renders under, once the
 * stylesheet is named.  0 or ERR_NOMEM.
 */
int make_base(struct site *S);

/* Tells the caller's progress hook of one more page. */
void progress(struct site *S);

/*
 * Renders template tmpl with ctx (consumed) to path, with title and the
 * menu item nav current (NULL: none).  0, or < 0 (ERR_NOMEM, ERR_IO,
 * errors of the template).
 */
int emit(struct site *S, const char *path, const char *tmpl, const char *title,
	 const char *nav, cJSON *ctx);

/*
 * emit() for a page that shows data other than one record's: ctx is
 * also written as JSON beside it ("x.html" has "x.json").  ctx is
 * consumed.
 */
int emit_data(struct site *S, const char *path, const char *tmpl, const char *title,
	      const char *nav, cJSON *ctx);

/*
 * A record's page (section/id/index.html) and the public part of its
 * record doc beside it as index.json.  ctx is consumed.
 */
int emit_record(struct site *S, const char *section, const char *id, const char *tmpl,
		const char *title, const char *nav, const cJSON *doc, cJSON *ctx);

#endif

/*
 * markdown.h - CommonMark to HTML that is safe to publish.
 *
 * The only module that calls cmark.  Pages and record texts are written
 * by office staff, but a public government site must not carry script
 * from anyone, so the output is held to three rules:
 *
 * - raw HTML is never passed through: blocks and inlines become
 *   "<!-- raw HTML omitted -->" (cmark's safe mode);
 * - a link or image is kept only if its destination is relative (no
 *   scheme) or has the scheme http:, https: or mailto:.  Any other
 *   destination (javascript:, data:, vbscript:, file:, an unknown
 *   scheme, or one disguised with case, tabs, newlines or leading
 *   control characters) drops the link and keeps its text; an image is
 *   replaced by its alt text.  A relative path whose first segment holds
 *   a colon ("a:b.html") looks like a scheme and is dropped too: write
 *   "./a:b.html";
 * - invalid UTF-8 is replaced by U+FFFD.
 *
 * Typographic replacement (CMARK_OPT_SMART) is off, so Chinese and ASCII
 * punctuation stay exactly as written.  cmark core has no tables: a pipe
 * table renders as a paragraph of text.
 *
 * cmark aborts the process when an allocation fails; nothing here can
 * turn that into ERR_NOMEM.
 */
#ifndef GONGSHI_MARKDOWN_H
#define GONGSHI_MARKDOWN_H

#include <stddef.h>

#include "buf.h"

/* Renders len bytes of CommonMark at md and appends the HTML to out.
 * heading_shift (>= 0) is the level of the page's own heading that the
 * document sits under: its first heading becomes level heading_shift + 1,
 * and every later one goes one level under the nearest earlier heading
 * that was written at a higher level (or beside it), capped at 6.  So the
 * author's nesting is kept and no level is ever skipped ("# a" then
 * "### b" with shift 1 gives h2 then h3).  Returns 0,
 * ERR_INVALID for a negative shift, or ERR_NOMEM; on failure out keeps
 * its old contents. */
int markdown_render(const char *md, size_t len, int heading_shift,
		    struct buf *out);

/* Whether a link destination, as cmark decoded it, may be published:
 * 1 for relative and http:, https:, mailto: destinations, else 0. */
int markdown_url_is_safe(const char *url);

#endif

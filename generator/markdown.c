/* markdown.c - CommonMark to safe HTML through cmark (see markdown.h). */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "array.h"
#include "buf.h"
#include "error.h"
#include "markdown.h"

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

int markdown_url_is_safe(const char *url)
{
	static const char *const allowed[] = { "http", "https", "mailto" };
	const unsigned char *p = (const unsigned char *)url;
	char scheme[8];
	size_t n = 0, i;

	/* Browsers skip leading controls and spaces and drop every tab and
	 * newline before finding the scheme (WHATWG URL), so
	 * "\x01java\tscript:" must be read as "javascript:". */
	while (*p && *p <= 0x20)
		p++;
	for (; *p; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p == ':')
			break;
		if (*p == '/' || *p == '?' || *p == '#')
			return 1;
		/* Past the buffer the name cannot be an allowed scheme, but the
		 * colon may still come. */
		if (n < sizeof(scheme))
			scheme[n] = (char)ascii_lower(*p);
		n++;
	}
	if (!*p)
		return 1;
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (n == strlen(allowed[i]) && !memcmp(scheme, allowed[i], n))
			return 1;
	return 0;
}

/* The destination as a browser reads it (see markdown_url_is_safe()),
 * so that the href written is the one judged: cmark would percent-encode
 * a leading control character, turning "\x1dhttps://a.cn" into a broken
 * relative link, and a tab inside the scheme likewise. */
static int set_clean_url(cmark_node *node, const char *url)
{
	const unsigned char *p = (const unsigned char *)url;
	char *clean, *q;

	if ((!*p || *p > 0x20) && !strpbrk(url, "\t\n\r"))
		return 0;
	if (!(q = clean = malloc(strlen(url) + 1)))
		return error_nomem();
	while (*p && *p <= 0x20)
		p++;
	for (; *p; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			*q++ = (char)*p;
	*q = '\0';
	if (!cmark_node_set_url(node, clean)) {
		free(clean);
		return error_nomem();
	}
	free(clean);
	return 0;
}

/* Replaces node by its children: a dropped link keeps its text and a
 * dropped image leaves its alt text, so no words of the page are lost. */
static void unwrap(cmark_node *node)
{
	cmark_node *child;

	while ((child = cmark_node_first_child(node)))
		if (!cmark_node_insert_before(node, child))
			break;
	cmark_node_free(node);
}

/* Places headings under the page's own and drops unsafe links and images.  The tree must not
 * change shape during the iteration, so the nodes to drop are collected
 * first; they are in document order, so an outer link is unwrapped
 * before a nested image and every pointer stays valid. */
static int filter(cmark_node *root, int shift)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_node **drop = NULL, **p, *node;
	size_t n = 0, cap = 0, i;
	cmark_event_type ev;
	const char *url;
	int written[6], placed[6], depth = 0, level, out, error = 0;

	if (!it)
		return error_nomem();
	if (shift > 5)
		shift = 5;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		node = cmark_iter_get_node(it);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_HEADING:
			/* Each heading goes one level under the nearest
			 * heading before it that the author wrote higher, so
			 * the outline keeps its nesting but never skips a
			 * level (h2 straight to h4 fails WCAG's and the Nu
			 * checker's heading order). */
			level = cmark_node_get_heading_level(node);
			while (depth && written[depth - 1] >= level)
				depth--;
			out = (depth ? placed[depth - 1] : shift) + 1;
			if (out > 6)
				out = 6;
			written[depth] = level;
			placed[depth++] = out;
			cmark_node_set_heading_level(node, out);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			url = cmark_node_get_url(node);
			if (url && markdown_url_is_safe(url)) {
				if ((error = set_clean_url(node, url)) < 0)
					goto done;
				break;
			}
			if (!(p = array_grow(drop, &cap, n + 1, sizeof(*drop)))) {
				error = error_nomem();
				goto done;
			}
			drop = p;
			drop[n++] = node;
			break;
		default:
			break;
		}
	}
	for (i = 0; i < n; i++)
		unwrap(drop[i]);
done:
	cmark_iter_free(it);
	free(drop);
	return error;
}

int markdown_render(const char *md, size_t len, int heading_shift,
		    struct buf *out)
{
	cmark_node *doc;
	char *html;
	int error;

	if (heading_shift < 0)
		return error_set(ERR_INVALID, "negative heading shift %d",
				 heading_shift);
	if (!md)
		md = "";
	/* Not CMARK_OPT_UNSAFE: raw HTML becomes a comment.  Not
	 * CMARK_OPT_SMART: it would turn quotes and dashes in Chinese text
	 * into other characters. */
	if (!(doc = cmark_parse_document(md, len, CMARK_OPT_VALIDATE_UTF8)))
		return error_nomem();
	if ((error = filter(doc, heading_shift)) < 0)
		goto done;
	if (!(html = cmark_render_html(doc, CMARK_OPT_DEFAULT))) {
		error = error_nomem();
		goto done;
	}
	error = buf_puts(out, html);
	/* cmark's default allocator is libc's. */
	free(html);
done:
	cmark_node_free(doc);
	return error;
}

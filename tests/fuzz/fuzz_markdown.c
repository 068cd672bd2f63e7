/*
 * fuzz_markdown.c - libFuzzer target for markdown_render().
 *
 *     clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *         -fno-sanitize-recover=undefined -iquote generator \
 *         tests/fuzz/fuzz_markdown.c generator/markdown.c \
 *         generator/buf.c generator/error.c \
 *         $(pkg-config --cflags --libs libcmark) -o fuzz_markdown
 *     mkdir -p /tmp/corpus
 *     ./fuzz_markdown -max_total_time=60 /tmp/corpus tests/fuzz/corpus/markdown
 *
 * New inputs go to the first directory, so the seeds stay as they are.
 *
 * Besides crashes, it checks that the output is safe to publish, reading
 * it as a browser would rather than searching it for strings: the words
 * "javascript:" or " onload=" in a paragraph are harmless escaped text,
 * so the markup itself is held to a whitelist.  Every "<" must open the
 * raw-HTML comment or a tag that cmark writes (so never "<script"); a
 * tag carries only cmark's attributes (so never an on...= handler), each
 * double-quoted and entity-escaped; an href or src, once its entities
 * are decoded and its tabs, newlines and leading controls dropped as a
 * browser drops them, is relative or http:, https:, mailto:, and never
 * begins with javascript: in any case.  This is written apart from
 * markdown_url_is_safe() on purpose, so one mistake cannot hide in both.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static const char *const tags[] = {
	"p", "blockquote", "ul", "ol", "li", "pre", "code", "h1", "h2", "h3",
	"h4", "h5", "h6", "hr", "br", "em", "strong", "a", "img", NULL
};
static const char *const attrs[] = {
	"href", "title", "src", "alt", "class", "start", NULL
};
static const char *const url_attrs[] = { "href", "src", NULL };

static int in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && !memcmp(*list, s, n))
			return 1;
	return 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int starts_with_ci(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix), i;

	if (n < k)
		return 0;
	for (i = 0; i < k; i++)
		if (lower((unsigned char)s[i]) != prefix[i])
			return 0;
	return 1;
}

/* Decodes the entities cmark writes into attribute values into out (at
 * least n bytes); any other "&" means unescaped markup, which a browser
 * might decode into a colon ("&colon;"), so it aborts. */
static size_t decode(const char *v, size_t n, char *out)
{
	static const struct { const char *ent; char c; } named[] = {
		{ "&amp;", '&' }, { "&quot;", '"' }, { "&lt;", '<' },
		{ "&gt;", '>' }, { "&#39;", '\'' }, { "&#x27;", '\'' },
	};
	size_t i = 0, o = 0, k;

	while (i < n) {
		if (v[i] != '&') {
			out[o++] = v[i++];
			continue;
		}
		for (k = 0; k < sizeof(named) / sizeof(named[0]); k++)
			if (n - i >= strlen(named[k].ent) &&
			    !memcmp(v + i, named[k].ent, strlen(named[k].ent)))
				break;
		if (k == sizeof(named) / sizeof(named[0]))
			abort();
		out[o++] = named[k].c;
		i += strlen(named[k].ent);
	}
	return o;
}

/* A URL as a browser reads it: leading controls and spaces skipped,
 * tabs and newlines removed anywhere, then lowercased. */
static size_t browser_clean(const char *v, size_t n, char *out)
{
	size_t i = 0, o = 0;

	while (i < n && (unsigned char)v[i] <= 0x20)
		i++;
	for (; i < n; i++)
		if (v[i] != '\t' && v[i] != '\n' && v[i] != '\r')
			out[o++] = (char)lower((unsigned char)v[i]);
	return o;
}

static void check_url(const char *v, size_t n)
{
	char *dec = malloc(n + 1), *url = malloc(n + 1);
	size_t m, i;

	if (!dec || !url)
		abort();
	m = browser_clean(dec, decode(v, n, dec), url);
	if (starts_with_ci(url, m, "javascript:") ||
	    starts_with_ci(url, m, "vbscript:") ||
	    starts_with_ci(url, m, "data:"))
		abort();
	for (i = 0; i < m && url[i] != ':' && url[i] != '/' &&
		    url[i] != '?' && url[i] != '#'; i++)
		;
	if (i < m && url[i] == ':' && !starts_with_ci(url, m, "http:") &&
	    !starts_with_ci(url, m, "https:") &&
	    !starts_with_ci(url, m, "mailto:"))
		abort();
	free(dec);
	free(url);
}

/* Reads one tag from h[i] == '<'; returns the index after its '>'. */
static size_t check_tag(const char *h, size_t n, size_t i)
{
	static const char comment[] = "<!-- raw HTML omitted -->";
	size_t start, name, vstart;

	if (n - i >= sizeof(comment) - 1 &&
	    !memcmp(h + i, comment, sizeof(comment) - 1))
		return i + sizeof(comment) - 1;
	i++;
	if (i < n && h[i] == '/')
		i++;
	for (start = i; i < n && ((h[i] >= 'a' && h[i] <= 'z') ||
				  (h[i] >= '0' && h[i] <= '9')); i++)
		;
	if (!in_list(tags, h + start, i - start))
		abort();
	for (;;) {
		if (i < n && h[i] == '>')
			return i + 1;
		if (n - i >= 3 && !memcmp(h + i, " />", 3))
			return i + 3;
		if (i >= n || h[i] != ' ')
			abort();
		for (name = ++i; i < n && h[i] >= 'a' && h[i] <= 'z'; i++)
			;
		if (!in_list(attrs, h + name, i - name) ||
		    starts_with_ci(h + name, i - name, "on"))
			abort();
		if (n - i < 2 || h[i] != '=' || h[i + 1] != '"')
			abort();
		for (vstart = i += 2; i < n && h[i] != '"'; i++)
			if (h[i] == '<' || h[i] == '>')
				abort();
		if (i >= n)
			abort();
		if (in_list(url_attrs, h + name, vstart - 2 - name))
			check_url(h + vstart, i - vstart);
		i++;
	}
}

static void check_html(const char *h, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (h[i] == '<')
			i = check_tag(h, n, i);
		else
			i++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf out = BUF_INIT;
	int shift = len ? data[0] % 8 : 0;

	if (markdown_render((const char *)data, len, shift, &out) < 0)
		abort();
	check_html(buf_cstr(&out), out.len);
	buf_release(&out);
	return 0;
}

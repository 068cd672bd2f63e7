/*
 * json.c - strict JSON with positions, over cJSON (see json.h).
 *
 * Two passes over the bytes, then cJSON.  The first pass checks the
 * encoding alone, so that the second may count a column per lead byte.
 * The second is an iterative RFC 8259 scanner: its explicit stack is
 * JSON_MAX_DEPTH frames, so hostile nesting costs no C stack.  It
 * records the position of every value in document order, which is the
 * order of a pre-order walk of cJSON's tree: cJSON keeps members and
 * elements in document order.
 *
 * Positions: a BOM is reported and then skipped without taking a
 * column, so the first character after it is 1:1.  "\r\n" is one line
 * break; a lone "\r" is whitespace that takes a column on the same
 * line, since git, grep and diff count lines by "\n" alone.  A bad
 * UTF-8 sequence is placed at (and named by) its first byte.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "buf.h"
#include "error.h"
#include "json.h"

struct key {
	size_t off, len;        /* unescaped bytes in scan.arena */
	const char *s;          /* arena + off, set only while sorting */
	size_t seq;             /* document order within its object */
	struct json_pos pos;
};

struct frame {
	char close;             /* '}' or ']' */
	size_t key0;            /* first key of this object in scan.keys */
};

struct scan {
	const unsigned char *p, *end;
	struct json_pos at;     /* position of *p */
	const char *path;
	struct diags *d;
	struct json_node_pos *vals;     /* one per value, nodes unset */
	size_t nvals, capvals;
	bool positions;         /* record vals (json_parse_tree() needs none) */
	struct key *keys;       /* keys of the open objects, a stack */
	size_t nkeys, capkeys;
	struct buf arena;
};

/* Returns 1 (the text is invalid) or ERR_NOMEM, for "return report()". */
static int vreport(struct scan *s, struct json_pos at, const char *rule,
		   const char *fmt, va_list ap)
{
	char msg[160];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (diags_add(s->d, DIAG_ERROR, s->path, at.line, at.col, rule,
		      "%s", msg) < 0)
		return error_nomem();
	return 1;
}

static int report(struct scan *s, struct json_pos at, const char *rule,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int syntax(struct scan *s, struct json_pos at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int report(struct scan *s, struct json_pos at, const char *rule,
		  const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(s, at, rule, fmt, ap);
	va_end(ap);
	return rc;
}

static int syntax(struct scan *s, struct json_pos at, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(s, at, "json-syntax", fmt, ap);
	va_end(ap);
	return rc;
}

/* A continuation byte belongs to the column of its lead byte. */
static void adv(struct scan *s)
{
	if (*s->p == '\n') {
		s->at.line++;
		s->at.col = 1;
	} else if ((*s->p & 0xC0) != 0x80) {
		s->at.col++;
	}
	s->p++;
}

static int eof(const struct scan *s)
{
	return s->p == s->end;
}

static void skip_ws(struct scan *s)
{
	while (!eof(s) && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' ||
			   *s->p == '\r'))
		adv(s);
}

/* Length of the valid UTF-8 sequence at p, or 0 (Unicode table 3-7). */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (*p < 0x80)
		return 1;
	if (*p < 0xC2 || *p > 0xF4)
		return 0;
	n = *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
	if (*p == 0xE0)
		lo = 0xA0;              /* overlong */
	else if (*p == 0xED)
		hi = 0x9F;              /* surrogates */
	else if (*p == 0xF0)
		lo = 0x90;              /* overlong */
	else if (*p == 0xF4)
		hi = 0x8F;              /* past U+10FFFF */
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/*
 * Eight bytes at a time (the text is scanned twice per file and version,
 * and most of it is plain): word() loads them, and the tests below are
 * exact for "some byte of x is ...", whatever the byte order.
 */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static uint64_t word(const unsigned char *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

static bool has_zero(uint64_t x)
{
	return ((x - ONES) & ~x & HIGHS) != 0;
}

/* Some byte is '"', '\\' or a control character (below 0x20). */
static bool has_special(uint64_t x)
{
	return has_zero(x ^ (ONES * '"')) || has_zero(x ^ (ONES * '\\')) || ((x - ONES * 0x20) & ~x & HIGHS);
}

/* How many of the eight bytes start a character (are not 10xxxxxx). */
static uint32_t leads(uint64_t x)
{
	uint64_t cont = (x & ~(x << 1) & HIGHS) >> 7;

	return 8 - (uint32_t)((cont * ONES) >> 56);
}

/* Positions past a bad byte mean nothing, so only the first is told;
 * it is the byte that starts the invalid sequence.  Every byte of every
 * file (and of every version the history reads) comes through here, so
 * the bytes are checked first and positions are counted only to report
 * one. */
static int check_encoding(struct scan *s)
{
	const unsigned char *p = s->p;
	struct scan at = *s;
	size_t n;

	while (p < s->end) {
		if (s->end - p >= 8 && !(word(p) & HIGHS) && !has_zero(word(p))) {
			p += 8;
			continue;
		}
		if (*p && *p < 0x80) {
			p++;
			continue;
		}
		if (!*p || !(n = utf8_len(p, s->end)))
			break;
		p += n;
	}
	if (p == s->end)
		return 0;
	while (at.p < p)
		adv(&at);
	if (!*p)
		return report(s, at.at, "nul-byte", "NUL byte in file");
	return report(s, at.at, "utf8", "invalid UTF-8 byte 0x%02X", *p);
}

/* Quotes the character at p for a message: 'x', '中' or U+0001. */
static void describe(const unsigned char *p, const unsigned char *end,
		     char out[16])
{
	if (*p < 0x20 || *p == 0x7F)
		snprintf(out, 16, "U+%04X", *p);
	else
		snprintf(out, 16, "'%.*s'", (int)utf8_len(p, end),
			 (const char *)p);
}

static int hex4(const unsigned char *p, const unsigned char *end,
		unsigned *v)
{
	int i;

	if (end - p < 4)
		return -1;
	for (*v = 0, i = 0; i < 4; i++) {
		unsigned c = p[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return -1;
		*v = *v << 4 | c;
	}
	return 0;
}

static int put_utf8(struct buf *b, unsigned cp)
{
	static const unsigned char lead[] = { 0, 0, 0xC0, 0xE0, 0xF0 };
	int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4, i;
	char u[4];

	if (n == 1)
		return buf_putc(b, (char)cp);
	for (i = n - 1; i > 0; i--, cp >>= 6)
		u[i] = (char)(0x80 | (cp & 0x3F));
	u[0] = (char)(lead[n] | cp);
	return buf_put(b, u, (size_t)n);
}

/* Scans the string at s->p; unescapes it into out unless out is NULL.
 * Returns 0, 1 after a diagnostic, or ERR_NOMEM. */
static int scan_string(struct scan *s, struct buf *out)
{
	struct json_pos open = s->at, esc;
	unsigned cp, lo;
	char what[16];

	adv(s);
	for (;;) {
		const unsigned char *q = s->p;
		uint32_t cols = 0;

		/* a run of plain characters at once (no newline can be in it) */
		while (s->end - q >= 8 && !has_special(word(q))) {
			cols += leads(word(q));
			q += 8;
		}
		while (q < s->end && *q != '"' && *q != '\\' && *q >= 0x20)
			cols += (*q++ & 0xC0) != 0x80;
		if (q > s->p) {
			if (out && buf_put(out, (const char *)s->p, (size_t)(q - s->p)) < 0)
				return error_nomem();
			s->p = q;
			s->at.col += cols;
		}
		if (eof(s))
			return syntax(s, open, "unterminated string");
		if (*s->p == '"') {
			adv(s);
			return 0;
		}
		if (*s->p < 0x20)
			return syntax(s, s->at,
				      "control character in string; escape it");
		esc = s->at;
		adv(s);
		if (eof(s))
			return syntax(s, open, "unterminated string");
		if (*s->p < 0x20)
			return syntax(s, s->at,
				      "control character in string; escape it");
		if (*s->p != 'u') {
			const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
			const char *c = strchr(from, *s->p);

			if (!c) {
				describe(s->p, s->end, what);
				if (what[0] != '\'')
					return syntax(s, esc,
						      "invalid escape '\\' before %s",
						      what);
				/* put the backslash inside the quotes */
				return syntax(s, esc, "invalid escape '\\%s",
					      what + 1);
			}
			if (out && buf_putc(out, to[c - from]) < 0)
				return error_nomem();
			adv(s);
			continue;
		}
		if (hex4(s->p + 1, s->end, &cp) < 0)
			return syntax(s, esc, "invalid \\u escape");
		if (!cp)
			return syntax(s, esc, "\\u0000 in string");
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return syntax(s, esc, "lone surrogate \\u%04X in string",
				      cp);
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (s->end - s->p < 11 || s->p[5] != '\\' ||
			    s->p[6] != 'u' || hex4(s->p + 7, s->end, &lo) < 0 ||
			    lo < 0xDC00 || lo > 0xDFFF)
				return syntax(s, esc,
					      "lone surrogate \\u%04X in string",
					      cp);
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			s->p += 6;      /* ASCII: the column moves as many */
			s->at.col += 6;
		}
		if (out && put_utf8(out, cp) < 0)
			return error_nomem();
		s->p += 5;
		s->at.col += 5;
	}
}

static int is_digit(const struct scan *s)
{
	return !eof(s) && *s->p >= '0' && *s->p <= '9';
}

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
					  (c | 0x20) <= 'z');
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and no word glued on,
 * so that 01, 1.5.2 and 0x1F are one invalid number. */
static int scan_number(struct scan *s)
{
	struct json_pos start = s->at;
	int ok = 1;

	if (*s->p == '-')
		adv(s);
	if (!is_digit(s))
		ok = 0;
	else if (*s->p == '0')
		adv(s);
	else
		while (is_digit(s))
			adv(s);
	if (ok && !eof(s) && *s->p == '.') {
		adv(s);
		ok = is_digit(s);
		while (is_digit(s))
			adv(s);
	}
	if (ok && !eof(s) && (*s->p | 0x20) == 'e') {
		adv(s);
		if (!eof(s) && (*s->p == '+' || *s->p == '-'))
			adv(s);
		ok = is_digit(s);
		while (is_digit(s))
			adv(s);
	}
	if (!ok || (!eof(s) && (is_alnum(*s->p) || *s->p == '.' ||
				*s->p == '+' || *s->p == '-')))
		return syntax(s, start, "invalid number");
	return 0;
}

static int scan_literal(struct scan *s)
{
	static const char *const lit[] = { "true", "false", "null" };
	const unsigned char *w = s->p;
	struct json_pos start = s->at;
	size_t n, i;

	while (!eof(s) && is_alnum(*s->p))
		adv(s);
	n = (size_t)(s->p - w);
	for (i = 0; i < 3; i++)
		if (strlen(lit[i]) == n && !memcmp(w, lit[i], n))
			return 0;
	return syntax(s, start, "invalid literal '%.*s'%s",
		      n > 20 ? 20 : (int)n, (const char *)w,
		      n > 20 ? "..." : "");
}

/* Records where the next value (and its key, if key.line) stands. */
static int record(struct scan *s, struct json_pos key)
{
	struct json_node_pos *v;

	if (!s->positions)
		return 0;
	if (!(v = array_grow(s->vals, &s->capvals, s->nvals + 1, sizeof(*v))))
		return error_nomem();
	s->vals = v;
	v = &s->vals[s->nvals++];
	v->node = NULL;
	v->value = s->at;
	v->key = key.line ? key : s->at;
	return 0;
}

static int push_key(struct scan *s, size_t key0, struct json_pos at)
{
	size_t off = s->arena.len;
	struct key *k;
	int rc;

	/* allocate even for "", so that every key points into the arena */
	if ((rc = buf_grow(&s->arena, 0)) < 0 ||
	    (rc = scan_string(s, &s->arena)))
		return rc;
	if (!(k = array_grow(s->keys, &s->capkeys, s->nkeys + 1, sizeof(*k))))
		return error_nomem();
	s->keys = k;
	k = &s->keys[s->nkeys];
	k->off = off;
	k->len = s->arena.len - off;
	k->seq = s->nkeys++ - key0;
	k->pos = at;
	return 0;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);

	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Writes key for a one-line message: quotes, backslashes and control
 * characters are escaped back, and a long key is cut short. */
static int quote_key(struct buf *b, const char *s, size_t len)
{
	size_t i, n = len > 60 ? 60 : len;
	int rc = 0;

	while (n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;            /* do not cut a character in two */
	for (i = 0; i < n && !rc; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			rc = buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			rc = buf_printf(b, "\\u%04X", c);
		else
			rc = buf_putc(b, (char)c);
	}
	if (!rc && n < len)
		rc = buf_puts(b, "...");
	return rc;
}

/* Reports every later key equal to an earlier one in the object just
 * closed, then pops its keys.  Sorting keeps a 100k-key object fast. */
static int close_object(struct scan *s, size_t key0)
{
	struct key *k = s->keys + key0, *first = k;
	size_t i, n = s->nkeys - key0, off0 = n ? k->off : 0;
	struct buf q = BUF_INIT;
	int rc = 0;

	for (i = 0; i < n; i++)
		k[i].s = s->arena.ptr + k[i].off;
	if (n > 1)
		qsort(k, n, sizeof(*k), key_cmp);
	for (i = 1; i < n && !rc; i++) {
		if (k[i].len != first->len ||
		    memcmp(k[i].s, first->s, first->len)) {
			first = &k[i];
			continue;
		}
		buf_clear(&q);
		if ((rc = quote_key(&q, k[i].s, k[i].len)) < 0)
			break;
		rc = diags_add(s->d, DIAG_ERROR, s->path, k[i].pos.line,
			       k[i].pos.col, "duplicate-key",
			       "duplicate key \"%s\" (first at line %u, column %u)",
			       buf_cstr(&q), (unsigned)first->pos.line,
			       (unsigned)first->pos.col);
	}
	buf_release(&q);
	if (n)
		s->arena.len = off0;    /* the arena is a stack, too */
	s->nkeys = key0;
	return rc;
}

/* Returns 0 when the text is well-formed, 1 after the diagnostic that
 * says where it is not, or ERR_NOMEM.  Duplicate keys are reported
 * along the way but do not stop the scan; the caller counts them. */
static int scan_text(struct scan *s)
{
	struct frame st[JSON_MAX_DEPTH];
	struct json_pos key = { 0, 0 }, comma;
	char what[16];
	int depth = 0, rc;

	skip_ws(s);
	if (eof(s))
		return syntax(s, (struct json_pos){ 1, 1 }, "empty file");
value:
	skip_ws(s);
	if (eof(s))
		return syntax(s, s->at, "unexpected end of file");
	if ((rc = record(s, key)) < 0)
		return rc;
	switch (*s->p) {
	case '{':
	case '[':
		if (depth == JSON_MAX_DEPTH)
			return report(s, s->at, "nesting",
				      "nesting deeper than %d levels",
				      JSON_MAX_DEPTH);
		st[depth].close = *s->p == '{' ? '}' : ']';
		st[depth].key0 = s->nkeys;
		adv(s);
		skip_ws(s);
		if (!eof(s) && *s->p == st[depth].close) {
			adv(s);
			goto after;
		}
		key.line = 0;
		if (st[depth++].close == '}')
			goto member;
		goto value;
	case '"':
		rc = scan_string(s, NULL);
		break;
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		rc = scan_number(s);
		break;
	default:
		if (is_alnum(*s->p)) {
			rc = scan_literal(s);
			break;
		}
		describe(s->p, s->end, what);
		return syntax(s, s->at, "unexpected character %s", what);
	}
	if (rc)
		return rc;
after:
	skip_ws(s);
	if (!depth) {
		if (!eof(s))
			return syntax(s, s->at,
				      "unexpected text after the JSON value");
		return 0;
	}
	if (eof(s))
		return syntax(s, s->at, "unexpected end of file");
	if (*s->p == st[depth - 1].close) {
		adv(s);
		if (st[--depth].close == '}' &&
		    (rc = close_object(s, st[depth].key0)) < 0)
			return rc;
		goto after;
	}
	if (*s->p != ',')
		return syntax(s, s->at, st[depth - 1].close == '}' ?
			      "expected ',' or '}' after object member" :
			      "expected ',' or ']' after array element");
	comma = s->at;
	adv(s);
	skip_ws(s);
	if (!eof(s) && *s->p == st[depth - 1].close)
		return syntax(s, comma, "trailing comma before '%c'",
			      st[depth - 1].close);
	key.line = 0;
	if (st[depth - 1].close == ']')
		goto value;
member:
	skip_ws(s);
	if (eof(s))
		return syntax(s, s->at, "unexpected end of file");
	if (*s->p != '"') {
		describe(s->p, s->end, what);
		return syntax(s, s->at, "expected a string key, not %s", what);
	}
	key = s->at;
	if ((rc = push_key(s, st[depth - 1].key0, key)))
		return rc;
	skip_ws(s);
	if (eof(s))
		return syntax(s, s->at, "unexpected end of file");
	if (*s->p != ':')
		return syntax(s, s->at, "expected ':' after key");
	adv(s);
	goto value;
}

/* Pairs each node, in pre-order, with the next recorded position.
 * Recursion is bounded: the scanner let no deeper tree through. */
static int walk(struct json_doc *doc, const cJSON *n, size_t *i)
{
	for (; n; n = n->next) {
		if (*i == doc->nindex)
			return -1;
		doc->index[(*i)++].node = n;
		if (walk(doc, n->child, i) < 0)
			return -1;
	}
	return 0;
}

static int node_cmp(const void *pa, const void *pb)
{
	uintptr_t a = (uintptr_t)((const struct json_node_pos *)pa)->node;
	uintptr_t b = (uintptr_t)((const struct json_node_pos *)pb)->node;

	return a < b ? -1 : a > b;
}

static int parse(struct json_doc *doc, const char *path, const char *data,
		 size_t len, struct diags *d, bool positions)
{
	struct scan s = { 0 };
	size_t n0 = d->n, i = 0;
	int rc;

	*doc = (struct json_doc)JSON_DOC_INIT;
	if (len > JSON_MAX_BYTES) {
		rc = diags_add(d, DIAG_ERROR, path, 1, 1, "file-size",
			       "file is %zu bytes; a record file may be at most %d bytes",
			       len, JSON_MAX_BYTES);
		return rc < 0 ? rc : 1;
	}
	s.p = (const unsigned char *)(len ? data : "");
	s.end = s.p + len;
	s.at = (struct json_pos){ 1, 1 };
	s.path = path;
	s.d = d;
	s.positions = positions;
	if (len >= 3 && !memcmp(s.p, "\xEF\xBB\xBF", 3)) {
		if ((rc = report(&s, s.at, "bom",
				 "byte-order mark at start of file; save as UTF-8 without BOM")) < 0)
			return rc;
		s.p += 3;
	}
	if ((rc = check_encoding(&s)) || (rc = scan_text(&s)))
		goto done;
	if (d->n > n0)
		goto done;
	doc->root = cJSON_ParseWithLength(data, len);
	if (!doc->root) {
		/* the text passed the stricter scanner */
		rc = error_nomem();
		goto done;
	}
	if (!positions)
		goto done;
	doc->index = s.vals;
	doc->nindex = s.nvals;
	s.vals = NULL;
	if (walk(doc, doc->root, &i) < 0 || i != doc->nindex) {
		rc = error_set(ERR_INVALID, "%s: cJSON and the JSON scanner disagree",
			       path);
		goto done;
	}
	qsort(doc->index, doc->nindex, sizeof(*doc->index), node_cmp);
done:
	free(s.vals);
	free(s.keys);
	buf_release(&s.arena);
	if (rc >= 0 && d->n > n0)
		rc = 1;
	if (rc)
		json_doc_release(doc);
	return rc;
}

int json_parse(struct json_doc *doc, const char *path, const char *data,
	       size_t len, struct diags *d)
{
	return parse(doc, path, data, len, d, true);
}

int json_parse_tree(struct json_doc *doc, const char *path, const char *data,
		    size_t len, struct diags *d)
{
	return parse(doc, path, data, len, d, false);
}

static const struct json_node_pos *find(const struct json_doc *doc,
					const cJSON *node)
{
	struct json_node_pos k = { node, { 0, 0 }, { 0, 0 } };

	if (!doc->nindex)
		return NULL;
	return bsearch(&k, doc->index, doc->nindex, sizeof(k), node_cmp);
}

struct json_pos json_value_pos(const struct json_doc *doc, const cJSON *node)
{
	const struct json_node_pos *e = find(doc, node);

	return e ? e->value : (struct json_pos){ 1, 1 };
}

struct json_pos json_key_pos(const struct json_doc *doc, const cJSON *node)
{
	const struct json_node_pos *e = find(doc, node);

	return e ? e->key : (struct json_pos){ 1, 1 };
}

const cJSON *json_get(const cJSON *obj, const char *key)
{
	const cJSON *c;

	if (!cJSON_IsObject(obj))
		return NULL;
	/* cJSON_GetObjectItemCaseSensitive() calls strcmp() for every key
	 * it passes; most keys differ in their first byte, and the lookups
	 * of the templates' names were an eighth of a build's instructions */
	for (c = obj->child; c; c = c->next)
		if (c->string && c->string[0] == key[0] && !strcmp(c->string, key))
			return c;
	return NULL;
}

const char *json_get_string(const cJSON *obj, const char *key)
{
	const cJSON *v = json_get(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void json_doc_release(struct json_doc *doc)
{
	cJSON_Delete(doc->root);
	free(doc->index);
	*doc = (struct json_doc)JSON_DOC_INIT;
}

int json_parse_trusted(const char *data, size_t len, cJSON **out)
{
	*out = len ? cJSON_ParseWithLength(data, len) : NULL;
	return 0;
}

int json_parse_display(const char *data, size_t len, cJSON **out)
{
	struct diags d = DIAGS_INIT;
	struct scan s = { 0 };
	const char *end = NULL;
	int rc;

	*out = NULL;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		data += 3;
		len -= 3;
	}
	s.p = (const unsigned char *)(len ? data : "");
	s.end = s.p + len;
	s.at = (struct json_pos){ 1, 1 };
	s.path = "";
	s.d = &d;
	rc = check_encoding(&s);
	diags_release(&d);
	if (rc)
		return rc < 0 ? rc : 0;
	if (!len || !(*out = cJSON_ParseWithLengthOpts(data, len, &end, false)))
		return 0;
	/* nothing may follow the value: what did would go unshown */
	for (s.p = (const unsigned char *)end; s.p < s.end; s.p++) {
		if (*s.p != ' ' && *s.p != '\t' && *s.p != '\n' && *s.p != '\r') {
			cJSON_Delete(*out);
			*out = NULL;
			break;
		}
	}
	return 0;
}

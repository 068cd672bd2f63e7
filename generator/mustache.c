/*
 * mustache.c - Mustache templates (see mustache.h).
 *
 * Compiling takes two passes.  The first cuts the text into tags,
 * following delimiter changes, pairs every section with its closing
 * tag and notes for each tag whether only white space stands before it
 * (lclear) or after it (rclear) on its line.  The second turns text and
 * tags into nodes; it needs the first because whether a parent or a
 * block is standalone, and so how the text inside it is indented,
 * depends on its closing tag.
 *
 * Nodes sit in one array; a section's body is the nodes up to its end
 * index, so rendering is a loop over an array, recursing only into
 * bodies.  Text and names are copied into one pool per template.
 */
#include <float.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "buf.h"
#include "error.h"
#include "json.h"
#include "hash.h"
#include "mustache.h"
#include "text.h"

#define NONE UINT32_MAX

enum op {
	OP_TEXT,     /* off, len: text in the pool */
	OP_VAR,      /* {{x}}: off, nparts: dotted name in the pool */
	OP_RAW,      /* {{{x}}}, {{&x}} */
	OP_SECTION,  /* {{#x}}: body up to end */
	OP_INVERTED, /* {{^x}} */
	OP_PARTIAL,  /* {{>x}} */
	OP_PARENT,   /* {{<x}}: body is its OP_ARG nodes only */
	OP_BLOCK,    /* {{$x}} outside a parent: a parameter, default body */
	OP_ARG       /* {{$x}} in a parent: an argument, overriding body */
};

enum {
	F_DYN = 1,       /* the name is looked up in the data: {{>*x}} */
	F_ALONE = 2,     /* standalone: the indentation ioff/ilen applies */
	F_EOL = 4,       /* the tags took their line's ending with them */
	F_CRLF = 8,      /* ...and it was "\r\n" */
	F_INTRINSIC = 16 /* block opened at the end of its line: its body
			    lost its own indentation, given back as ioff */
};

struct node {
	uint8_t op, flags;
	uint16_t nparts;   /* dotted names: parts, NUL-separated; 0 for "." */
	uint32_t end;      /* sections: index of the node after the body */
	uint32_t off, len; /* text or name in the pool */
	uint32_t ioff, ilen; /* indentation in the pool */
	uint32_t hash;     /* of the name, for partials and blocks */
};

struct mustache_template {
	char *name;          /* owned */
	uint32_t hash;       /* of name */
	struct node *nodes;  /* owned, nnodes of them */
	uint32_t nnodes;
	char *pool;          /* owned: text, names and indentation */
};

struct mustache_set {
	struct mustache_template **tpl; /* owned, n of cap */
	size_t n, cap;
	uint32_t *slot;    /* owned, open addressing: index + 1, 0 empty */
	size_t nslot;      /* a power of two, at least twice n */
	unsigned long max_steps;
	size_t max_output;
};

static uint32_t hash(const char *s, size_t n)
{
	return (uint32_t)hash_bytes(s, n);
}

static const struct mustache_template *find(const struct mustache_set *set,
					    const char *name, size_t n,
					    uint32_t h)
{
	size_t i, mask = set->nslot - 1;

	if (!set->nslot)
		return NULL;
	for (i = h & mask; set->slot[i]; i = (i + 1) & mask) {
		const struct mustache_template *t = set->tpl[set->slot[i] - 1];

		if (t->hash == h && !strncmp(t->name, name, n) && !t->name[n])
			return t;
	}
	return NULL;
}

/* ---- pass 1: tags ---- */

enum tok_kind {
	T_VAR, T_RAW, T_COMMENT, T_DELIM, T_SECTION, T_INVERTED, T_CLOSE,
	T_PARTIAL, T_PARENT, T_BLOCK
};

static const char *const kind_name[] = {
	[T_SECTION] = "section", [T_INVERTED] = "inverted section",
	[T_PARENT] = "parent", [T_BLOCK] = "block",
};

struct tok {
	uint8_t kind, lclear, rclear, dyn;
	uint32_t ts, te;   /* the tag, delimiters included */
	uint32_t ns, ne;   /* its name: trimmed, no sigil, no '*' */
	uint32_t ls;       /* start of the line ts is on (when lclear) */
	uint32_t eol, re;  /* when rclear: the line ending after te, and
			      where the next line starts */
	uint32_t match;    /* the matching open or closing tag */
};

enum fr_kind { FR_ROOT, FR_SECTION, FR_PARENT, FR_ARG, FR_BLOCK };

/* A section being compiled.  Lines inside a block lose the block's
 * intrinsic indentation: soff/slen, a slice of the source. */
struct frame {
	uint8_t kind;
	uint32_t node;
	uint32_t soff, slen;
};

struct comp {
	const char *src;
	uint32_t len;
	const char *name;
	struct mustache_error *err;
	struct tok *toks;
	uint32_t ntok;
	size_t tokcap;
	struct node *nodes;
	uint32_t nnodes;
	size_t nodecap;
	uint32_t merge;    /* the text node new text may extend, or NONE */
	struct buf pool;
	struct frame fs[MUSTACHE_MAX_NESTING + 1];
	unsigned nfs;
};

static int fail(struct comp *c, int code, uint32_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct comp *c, int code, uint32_t at, const char *fmt, ...)
{
	struct mustache_error local, *err = c->err ? c->err : &local;
	unsigned line = 1, col = 1;
	uint32_t i;
	va_list ap;

	for (i = 0; i < at && i < c->len; i++) {
		if (c->src[i] == '\n')
			line++, col = 1;
		else if (((unsigned char)c->src[i] & 0xC0) != 0x80)
			col++;
	}
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->line = line;
	err->col = col;
	return error_set(code, "%s:%u:%u: %s", c->name, line, col, err->msg);
}

static int is_ws(char ch)
{
	return ch == ' ' || ch == '\t';
}

static int is_space(char ch)
{
	return is_ws(ch) || ch == '\n' || ch == '\r';
}

/* memmem is not POSIX; needles are delimiters, at most 17 bytes. */
static const char *search(const char *hay, size_t n, const char *needle,
			  size_t m)
{
	const char *p = hay, *end;

	if (n < m)
		return NULL;
	end = hay + n - m + 1;
	while (p < end && (p = memchr(p, needle[0], (size_t)(end - p)))) {
		if (!memcmp(p, needle, m))
			return p;
		p++;
	}
	return NULL;
}

/* A new zeroed tag, or NULL after error_nomem(). */
static struct tok *add_tok(struct comp *c)
{
	struct tok *t;

	if (!(t = array_grow(c->toks, &c->tokcap, (size_t)c->ntok + 1, sizeof(*t)))) {
		error_nomem();
		return NULL;
	}
	c->toks = t;
	t = &c->toks[c->ntok++];
	memset(t, 0, sizeof(*t));
	return t;
}

/* Names are what the data is searched for: white space or control
 * characters inside one are a typo, not a key. */
static int check_name(struct comp *c, const struct tok *t, int dotted)
{
	const char *s = c->src + t->ns;
	uint32_t n = t->ne - t->ns, i;

	if (!n)
		return fail(c, ERR_INVALID, t->ts, "empty tag");
	if (n > MUSTACHE_MAX_NAME)
		return fail(c, ERR_INVALID, t->ts, "name longer than %d bytes",
			    MUSTACHE_MAX_NAME);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7F)
			return fail(c, ERR_INVALID, t->ts,
				    "invalid name \"%.*s\"", (int)n, s);
	if (dotted && !(n == 1 && s[0] == '.'))
		for (i = 0; i < n; i++)
			if (s[i] == '.' &&
			    (i == 0 || i == n - 1 || s[i + 1] == '.'))
				return fail(c, ERR_INVALID, t->ts,
					    "invalid name \"%.*s\": empty part",
					    (int)n, s);
	return 0;
}

/* {{=<% %>=}}: two delimiters, no white space or '=' in either. */
static int set_delims(struct comp *c, const struct tok *t, char *open,
		      size_t *olen, char *close, size_t *clen)
{
	const char *s = c->src + t->ns, *e = c->src + t->ne, *a, *b;

	for (a = s; a < e && !is_space(*a); a++)
		if (*a == '=')
			goto bad;
	for (b = a; b < e && is_space(*b); b++)
		;
	if (a == s || b == a || b == e || a - s > MUSTACHE_MAX_DELIM ||
	    e - b > MUSTACHE_MAX_DELIM)
		goto bad;
	for (const char *q = b; q < e; q++)
		if (is_space(*q) || *q == '=')
			goto bad;
	memcpy(open, s, (size_t)(a - s));
	*olen = (size_t)(a - s);
	memcpy(close, b, (size_t)(e - b));
	*clen = (size_t)(e - b);
	return 0;
bad:
	return fail(c, ERR_INVALID, t->ts, "invalid delimiters");
}

/* Whether closing tag t ends section o: the same text, but a dynamic
 * name may be padded after its '*' in either tag. */
static int closes(const struct comp *c, const struct tok *o,
		  const struct tok *t)
{
	uint32_t ns = t->ns;

	if (o->dyn) {
		if (c->src[ns] != '*')
			return 0;
		for (ns++; ns < t->ne && is_space(c->src[ns]); ns++)
			;
	}
	return t->ne - ns == o->ne - o->ns &&
	       !memcmp(c->src + ns, c->src + o->ns, o->ne - o->ns);
}

static int tokenize(struct comp *c)
{
	char open[MUSTACHE_MAX_DELIM] = "{{", close[MUSTACHE_MAX_DELIM + 1];
	size_t olen = 2, clen = 2;
	uint32_t stack[MUSTACHE_MAX_NESTING], sp = 0, pos = 0, ls = 0, r;
	const char *src = c->src;
	int clean = 1, error;

	memcpy(close + 1, "}}", 2);
	for (;;) {
		const char *q = search(src + pos, c->len - pos, open, olen), *e;
		uint32_t a, ts, k;
		struct tok *t;
		char sig;

		if (!q)
			break;
		ts = (uint32_t)(q - src);
		/* Delimiters hold no white space, so a newline before ts is
		 * in the text since the last tag. */
		for (r = ts; r > pos && src[r - 1] != '\n'; r--)
			;
		if (r > pos) {
			ls = r;
			clean = 1;
		}
		for (k = r; k < ts && clean; k++)
			clean = is_ws(src[k]);
		if (!(t = add_tok(c)))
			return ERR_NOMEM;
		t->ts = ts;
		t->ls = ls;
		t->lclear = (uint8_t)clean;
		a = ts + (uint32_t)olen;
		sig = a < c->len ? src[a] : '\0';
		/* A triple mustache ends in '}' and the closing delimiter, a
		 * delimiter change in '=' and the closing delimiter. */
		close[0] = sig == '{' ? '}' : '=';
		switch (sig) {
		case '{': t->kind = T_RAW; break;
		case '=': t->kind = T_DELIM; break;
		case '!': t->kind = T_COMMENT; break;
		case '#': t->kind = T_SECTION; break;
		case '^': t->kind = T_INVERTED; break;
		case '/': t->kind = T_CLOSE; break;
		case '>': t->kind = T_PARTIAL; break;
		case '<': t->kind = T_PARENT; break;
		case '$': t->kind = T_BLOCK; break;
		case '&': t->kind = T_RAW; break;
		default: t->kind = T_VAR; break;
		}
		if (t->kind != T_VAR)
			a++;
		if (sig == '{' || sig == '=')
			e = search(src + a, c->len - a, close, clen + 1);
		else
			e = search(src + a, c->len - a, close + 1, clen);
		if (!e)
			return fail(c, ERR_INVALID, ts, "unclosed tag");
		t->te = (uint32_t)(e - src) + (uint32_t)clen +
			(sig == '{' || sig == '=');
		t->ns = a;
		t->ne = (uint32_t)(e - src);
		while (t->ns < t->ne && is_space(src[t->ns]))
			t->ns++;
		while (t->ne > t->ns && is_space(src[t->ne - 1]))
			t->ne--;
		if ((t->kind == T_PARTIAL || t->kind == T_PARENT) &&
		    t->ns < t->ne && src[t->ns] == '*') {
			t->dyn = 1;
			t->ns++;
			while (t->ns < t->ne && is_space(src[t->ns]))
				t->ns++;
		}

		for (k = t->te; k < c->len && is_ws(src[k]); k++)
			;
		t->eol = k;
		if (k == c->len)
			t->re = k, t->rclear = 1;
		else if (src[k] == '\n')
			t->re = k + 1, t->rclear = 1;
		else if (src[k] == '\r' && k + 1 < c->len && src[k + 1] == '\n')
			t->re = k + 2, t->rclear = 1;

		/* A tag may span lines (a comment); what follows it is on
		 * its last line, after a tag, so never clear. */
		for (r = t->te; r > ts && src[r - 1] != '\n'; r--)
			;
		if (r > ts)
			ls = r;
		clean = 0;
		pos = t->te;

		error = 0;
		switch (t->kind) {
		case T_COMMENT:
			break;
		case T_DELIM:
			error = set_delims(c, t, open, &olen, close + 1, &clen);
			break;
		case T_CLOSE:
			if (t->ns < t->ne && src[t->ns] == '*') {
				struct tok copy = *t;

				for (copy.ns++; copy.ns < copy.ne &&
				     is_space(src[copy.ns]); copy.ns++)
					;
				error = check_name(c, &copy, 0);
			} else {
				error = check_name(c, t, 0);
			}
			if (error < 0)
				break;
			if (!sp) {
				error = fail(c, ERR_INVALID, ts,
					     "unexpected closing tag \"%.*s\"",
					     (int)(t->ne - t->ns), src + t->ns);
				break;
			}
			if (!closes(c, &c->toks[stack[sp - 1]], t)) {
				const struct tok *o = &c->toks[stack[sp - 1]];

				error = fail(c, ERR_INVALID, ts,
					     "unexpected closing tag \"%.*s\" (%s \"%s%.*s\" is open)",
					     (int)(t->ne - t->ns), src + t->ns,
					     kind_name[o->kind],
					     o->dyn ? "*" : "",
					     (int)(o->ne - o->ns), src + o->ns);
				break;
			}
			t->match = stack[--sp];
			c->toks[t->match].match = c->ntok - 1;
			break;
		default:
			error = check_name(c, t, t->kind == T_VAR ||
					   t->kind == T_RAW ||
					   t->kind == T_SECTION ||
					   t->kind == T_INVERTED || t->dyn);
			if (error < 0 || t->kind < T_SECTION ||
			    t->kind == T_PARTIAL)
				break;
			if (sp == MUSTACHE_MAX_NESTING) {
				error = fail(c, ERR_LIMIT, ts,
					     "sections nested deeper than %d",
					     MUSTACHE_MAX_NESTING);
				break;
			}
			stack[sp++] = c->ntok - 1;
			break;
		}
		if (error < 0)
			return error;
	}
	if (sp) {
		const struct tok *o = &c->toks[stack[sp - 1]];

		return fail(c, ERR_INVALID, o->ts, "unclosed %s \"%s%.*s\"",
			    kind_name[o->kind], o->dyn ? "*" : "",
			    (int)(o->ne - o->ns), c->src + o->ns);
	}
	return 0;
}

/* ---- pass 2: nodes ---- */

/* A new node, or NULL after error_nomem(). */
static struct node *add_node(struct comp *c, uint8_t op)
{
	struct node *n;

	if (!(n = array_grow(c->nodes, &c->nodecap, (size_t)c->nnodes + 1, sizeof(*n)))) {
		error_nomem();
		return NULL;
	}
	c->nodes = n;
	n = &c->nodes[c->nnodes++];
	memset(n, 0, sizeof(*n));
	n->op = op;
	c->merge = NONE;
	return n;
}

static int add_text(struct comp *c, uint32_t a, uint32_t b)
{
	struct node *n;

	if (a == b)
		return 0;
	if (c->merge != NONE) {
		n = &c->nodes[c->merge];
	} else {
		if (!(n = add_node(c, OP_TEXT)))
			return ERR_NOMEM;
		n->off = (uint32_t)c->pool.len;
		c->merge = c->nnodes - 1;
	}
	n->len += b - a;
	return buf_put(&c->pool, c->src + a, b - a);
}

/* How many bytes of [a, b) repeat the slice at soff, up to slen. */
static uint32_t common(const struct comp *c, uint32_t a, uint32_t b,
		       uint32_t soff, uint32_t slen)
{
	uint32_t k = 0;

	while (k < slen && a + k < b && c->src[a + k] == c->src[soff + k])
		k++;
	return k;
}

/* Text [a, b), each of its lines without the frame's indentation. */
static int emit_text(struct comp *c, const struct frame *fr, uint32_t a,
		     uint32_t b)
{
	int bol = a == 0 || c->src[a - 1] == '\n', error;

	if (!fr->slen)
		return add_text(c, a, b);
	while (a < b) {
		const char *nl;
		uint32_t e;

		if (bol)
			a += common(c, a, b, fr->soff, fr->slen);
		nl = memchr(c->src + a, '\n', b - a);
		e = nl ? (uint32_t)(nl - c->src) + 1 : b;
		if ((error = add_text(c, a, e)) < 0)
			return error;
		a = e;
		bol = 1;
	}
	return 0;
}

static int pool_put(struct comp *c, uint32_t a, uint32_t b, uint32_t *off)
{
	*off = (uint32_t)c->pool.len;
	if (buf_put(&c->pool, c->src + a, b - a) < 0 ||
	    buf_putc(&c->pool, '\0') < 0)
		return error_nomem();
	return 0;
}

/* The tag's name into the pool; dotted, split at its dots. */
static int put_name(struct comp *c, struct node *n, const struct tok *t,
		    int dotted)
{
	uint32_t i;
	int error;

	if ((error = pool_put(c, t->ns, t->ne, &n->off)) < 0)
		return error;
	n->len = t->ne - t->ns;
	n->hash = hash(c->src + t->ns, n->len);
	if (!dotted)
		return 0;
	if (n->len == 1 && c->src[t->ns] == '.')
		return 0;
	n->nparts = 1;
	for (i = 0; i < n->len; i++)
		if (c->pool.ptr[n->off + i] == '.') {
			c->pool.ptr[n->off + i] = '\0';
			n->nparts++;
		}
	return 0;
}

/* A standalone tag's indentation: the white space before it, less what
 * the block it is in strips from every line. */
static int put_lead(struct comp *c, struct node *n, const struct frame *fr,
		    const struct tok *t)
{
	uint32_t a = t->ls + common(c, t->ls, t->ts, fr->soff, fr->slen);

	n->ilen = t->ts - a;
	return pool_put(c, a, t->ts, &n->ioff);
}

/* A block opening at the end of its line takes the indentation of the
 * next line as its own (fr: the new frame), relative to the enclosing
 * block's (outer); its node gets the relative part. */
static int intrinsic(struct comp *c, struct node *n, const struct tok *t,
		     const struct frame *outer, struct frame *fr)
{
	uint32_t w = t->re, k;

	while (w < c->len && is_ws(c->src[w]))
		w++;
	k = common(c, t->re, w, outer->soff, outer->slen);
	if (k == outer->slen) {
		fr->soff = t->re;
		fr->slen = w - t->re;
	} else {
		k = w - t->re;
	}
	n->ilen = w - t->re - k;
	return pool_put(c, t->re + k, w, &n->ioff);
}

static uint8_t eol_flags(const struct tok *t)
{
	if (!t->rclear || t->re == t->eol)
		return 0;
	return t->re - t->eol == 2 ? F_EOL | F_CRLF : F_EOL;
}

/* Opens the section whose node was added last. */
static void push(struct comp *c, uint8_t kind, const struct frame *outer)
{
	struct frame *fr = &c->fs[c->nfs++];

	fr->kind = kind;
	fr->node = c->nnodes - 1;
	fr->soff = outer->soff;
	fr->slen = outer->slen;
}

static void pop(struct comp *c)
{
	c->nodes[c->fs[c->nfs - 1].node].end = c->nnodes;
	c->nfs--;
	c->merge = NONE;
}

/* In a parent only its blocks count: everything else is dropped. */
static int in_parent(struct comp *c, uint32_t *ip, uint32_t *pp)
{
	const struct tok *t = &c->toks[*ip];
	struct frame *fr = &c->fs[c->nfs - 1];
	struct node *n;
	int error;

	switch (t->kind) {
	case T_BLOCK:
		if (!(n = add_node(c, OP_ARG)))
			return ERR_NOMEM;
		if ((error = put_name(c, n, t, 0)) < 0)
			return error;
		push(c, FR_ARG, fr);
		/* An argument's own line ending belongs to its tag. */
		*pp = t->te;
		if (t->rclear) {
			*pp = t->re;
			return intrinsic(c, n, t, fr, &c->fs[c->nfs - 1]);
		}
		return 0;
	case T_SECTION:
	case T_INVERTED:
	case T_PARENT:
		*ip = t->match;
		return 0;
	case T_CLOSE:
		pop(c);
		*pp = t->rclear && (t->lclear || c->toks[t->match].lclear) ?
		      t->re : t->te;
		return 0;
	default:
		return 0;
	}
}

static int in_body(struct comp *c, uint32_t i, uint32_t *pp)
{
	const struct tok *t = &c->toks[i], *m = &c->toks[t->match];
	struct frame *fr = &c->fs[c->nfs - 1];
	int classic, pair, error;
	uint32_t cut, next;
	struct node *n;

	classic = t->kind != T_VAR && t->kind != T_RAW && t->lclear &&
		  t->rclear;
	pair = (t->kind == T_PARENT || t->kind == T_BLOCK) && t->lclear &&
	       m->rclear;
	if (t->kind == T_CLOSE && fr->kind == FR_ARG)
		cut = t->lclear ? t->ls : t->ts;
	else
		cut = classic || pair ? t->ls : t->ts;
	if ((error = emit_text(c, fr, *pp, cut)) < 0)
		return error;
	next = classic ? t->re : t->te;

	switch (t->kind) {
	case T_COMMENT:
	case T_DELIM:
		break;
	case T_VAR:
	case T_RAW:
		if (!(n = add_node(c, t->kind == T_VAR ? OP_VAR : OP_RAW)))
			return ERR_NOMEM;
		error = put_name(c, n, t, 1);
		break;
	case T_SECTION:
	case T_INVERTED:
		if (!(n = add_node(c, t->kind == T_SECTION ? OP_SECTION :
				   OP_INVERTED)))
			return ERR_NOMEM;
		if ((error = put_name(c, n, t, 1)) < 0)
			return error;
		push(c, FR_SECTION, fr);
		break;
	case T_PARTIAL:
		if (!(n = add_node(c, OP_PARTIAL)))
			return ERR_NOMEM;
		if ((error = put_name(c, n, t, t->dyn)) < 0)
			return error;
		n->flags = t->dyn ? F_DYN : 0;
		if (classic) {
			n->flags |= F_ALONE | eol_flags(t);
			error = put_lead(c, n, fr, t);
		}
		break;
	case T_PARENT:
		if (!(n = add_node(c, OP_PARENT)))
			return ERR_NOMEM;
		if ((error = put_name(c, n, t, t->dyn)) < 0)
			return error;
		n->flags = t->dyn ? F_DYN : 0;
		if (pair) {
			n->flags |= F_ALONE | eol_flags(m);
			if ((error = put_lead(c, n, fr, t)) < 0)
				return error;
		}
		push(c, FR_PARENT, fr);
		break;
	case T_BLOCK:
		if (!(n = add_node(c, OP_BLOCK)))
			return ERR_NOMEM;
		if ((error = put_name(c, n, t, 0)) < 0)
			return error;
		push(c, FR_BLOCK, fr);
		if (!pair)
			break;
		n->flags = F_ALONE | eol_flags(m);
		if (!t->rclear) {
			error = put_lead(c, n, fr, t);
		} else {
			n->flags |= F_INTRINSIC;
			error = intrinsic(c, n, t, fr, &c->fs[c->nfs - 1]);
		}
		break;
	case T_CLOSE:
		if (fr->kind == FR_BLOCK && m->lclear && t->rclear)
			next = t->re;
		pop(c);
		break;
	}
	*pp = next;
	return error;
}

static int build(struct comp *c)
{
	uint32_t i, p = 0;
	int error = 0;

	c->nfs = 1;
	c->fs[0].kind = FR_ROOT;
	c->fs[0].node = NONE;
	c->fs[0].soff = c->fs[0].slen = 0;
	c->merge = NONE;
	for (i = 0; i < c->ntok && error >= 0; i++) {
		if (c->fs[c->nfs - 1].kind == FR_PARENT)
			error = in_parent(c, &i, &p);
		else
			error = in_body(c, i, &p);
	}
	if (error >= 0)
		error = emit_text(c, &c->fs[0], p, c->len);
	return error;
}

/* ---- the set ---- */

int mustache_set_new(struct mustache_set **out)
{
	struct mustache_set *set = calloc(1, sizeof(*set));

	if (!set)
		return error_nomem();
	set->max_steps = MUSTACHE_MAX_STEPS;
	set->max_output = MUSTACHE_MAX_OUTPUT;
	*out = set;
	return 0;
}

void mustache_set_limits(struct mustache_set *set, unsigned long max_steps,
			 size_t max_output)
{
	set->max_steps = max_steps ? max_steps : MUSTACHE_MAX_STEPS;
	set->max_output = max_output ? max_output : MUSTACHE_MAX_OUTPUT;
}

static void template_free(struct mustache_template *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->nodes);
	free(t->pool);
	free(t);
}

void mustache_set_free(struct mustache_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		template_free(set->tpl[i]);
	free(set->tpl);
	free(set->slot);
	free(set);
}

static int insert(struct mustache_set *set, struct mustache_template *t)
{
	size_t i, mask;

	struct mustache_template **v;

	if (!(v = array_grow(set->tpl, &set->cap, set->n + 1, sizeof(*v))))
		return error_nomem();
	set->tpl = v;
	if ((set->n + 1) * 2 > set->nslot) {
		size_t nslot = set->nslot ? set->nslot * 2 : 32, j;
		uint32_t *slot = calloc(nslot, sizeof(*slot));

		if (!slot)
			return error_nomem();
		for (j = 0; j < set->n; j++) {
			for (i = set->tpl[j]->hash & (nslot - 1); slot[i];
			     i = (i + 1) & (nslot - 1))
				;
			slot[i] = (uint32_t)j + 1;
		}
		free(set->slot);
		set->slot = slot;
		set->nslot = nslot;
	}
	mask = set->nslot - 1;
	for (i = t->hash & mask; set->slot[i]; i = (i + 1) & mask)
		;
	set->tpl[set->n++] = t;
	set->slot[i] = (uint32_t)set->n;
	return 0;
}

int mustache_set_add(struct mustache_set *set, const char *name,
		     const char *text, size_t len, struct mustache_error *err)
{
	struct comp c;
	struct mustache_template *t = NULL;
	size_t nlen = strlen(name);
	int error;

	memset(&c, 0, offsetof(struct comp, fs));
	c.src = text ? text : "";
	c.name = name;
	c.err = err;
	if (err)
		memset(err, 0, sizeof(*err));
	if (find(set, name, nlen, hash(name, nlen))) {
		if (err)
			snprintf(err->msg, sizeof(err->msg),
				 "template \"%s\" added twice", name);
		return error_set(ERR_INVALID, "template \"%s\" added twice",
				 name);
	}
	if (len > MUSTACHE_MAX_TEXT) {
		if (err)
			snprintf(err->msg, sizeof(err->msg),
				 "template larger than %u bytes",
				 MUSTACHE_MAX_TEXT);
		return error_set(ERR_LIMIT, "%s: template larger than %u bytes",
				 name, MUSTACHE_MAX_TEXT);
	}
	c.len = (uint32_t)len;
	if ((error = tokenize(&c)) < 0 || (error = build(&c)) < 0)
		goto done;
	if (!(t = calloc(1, sizeof(*t))) || !(t->name = strdup(name)) ||
	    !(t->pool = buf_detach(&c.pool))) {
		error = error_nomem();
		goto done;
	}
	t->hash = hash(name, nlen);
	t->nodes = c.nodes;
	t->nnodes = c.nnodes;
	c.nodes = NULL;
	if ((error = insert(set, t)) < 0)
		goto done;
	t = NULL;
done:
	template_free(t);
	free(c.toks);
	free(c.nodes);
	buf_release(&c.pool);
	return error;
}

/* ---- rendering ---- */

/* The blocks of a parent tag being expanded; callers' come later in
 * the chain and win, so the page overrides its layout's layout. */
struct ovr {
	const struct mustache_template *t;
	uint32_t node;
	const struct ovr *next;
};

struct render {
	const struct mustache_set *set;
	struct buf *out;
	size_t out0;
	/* Indentation strings, a stack: this frame's, added after each
	 * line the templates write, and the one owed before the next
	 * byte (set by a newline, paid lazily so that a line that turns
	 * out empty gets none). */
	struct buf ind;
	uint32_t foff, flen, poff, plen;
	const struct ovr *ovr;
	unsigned depth, nest, sp;
	unsigned long steps;
	const cJSON *stack[MUSTACHE_MAX_NEST + MUSTACHE_MAX_CONTEXTS];
};

static int limit(const struct mustache_template *t, const char *what)
{
	return error_set(ERR_LIMIT, "%s: %s", t->name, what);
}

static int pay(struct render *st)
{
	int error = 0;

	if (st->plen) {
		error = buf_put(st->out, st->ind.ptr + st->poff, st->plen);
		st->plen = 0;
	}
	return error;
}

static int put_text(struct render *st, const char *s, size_t n)
{
	int error;

	if (!st->flen && !st->plen)
		return buf_put(st->out, s, n);
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;

		if ((error = pay(st)) < 0 ||
		    (error = buf_put(st->out, s, k)) < 0)
			return error;
		s += k;
		n -= k;
		if (nl) {
			st->poff = st->foff;
			st->plen = st->flen;
		}
	}
	return 0;
}

/*
 * A value into HTML or XML: escaped unless raw, and never with a
 * character neither may hold (a control character in a commit message,
 * a stray byte): each becomes U+FFFD, so the page stays well-formed and
 * shows that something was there.
 */
static int put_value(struct buf *b, const char *s, size_t n, bool raw)
{
	size_t i, run = 0, k;
	const char *rep;
	int error;

	if ((error = buf_grow(b, n)) < 0)
		return error;
	for (i = 0; i < n; i += k) {
		unsigned char c = (unsigned char)s[i];
		k = 1;
		if (c >= 0x20 && c < 0x7F) {
			if (raw)
				continue;
			switch (c) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default: continue;
			}
		} else if (text_char_ok(s + i, n - i, &k)) {
			continue;
		} else {
			rep = "\xEF\xBF\xBD";
		}
		if ((error = buf_put(b, s + run, i - run)) < 0 ||
		    (error = buf_puts(b, rep)) < 0)
			return error;
		run = i + k;
	}
	return buf_put(b, s + run, n - run);
}

/* Shortest text that reads back as d; s holds 32 bytes. */
static size_t format_number(double d, char *s)
{
	char *e;
	int prec, n = 0;

	if (d == 0) /* -0 too */
		return (size_t)snprintf(s, 32, "0");
	if (d >= -9007199254740992.0 && d <= 9007199254740992.0 &&
	    (double)(long long)d == d)
		return (size_t)snprintf(s, 32, "%lld", (long long)d);
	if (d != d || d > DBL_MAX || d < -DBL_MAX)
		return 0; /* no JSON number parses to these */
	for (prec = 1; prec <= 17; prec++) {
		n = snprintf(s, 32, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	/* "1e-07" as JavaScript writes it: "1e-7". */
	if ((e = strchr(s, 'e')) && (e[1] == '-' || e[1] == '+')) {
		char *z = e + 2;

		while (*z == '0' && z[1])
			z++;
		memmove(e + 2, z, strlen(z) + 1);
		n = (int)strlen(s);
	}
	return (size_t)n;
}

/* A value as interpolated text: s may point into num (32 bytes). */
static const char *text_of(const cJSON *v, char *num, size_t *n)
{
	*n = 0;
	if (!v)
		return "";
	switch (v->type & 0xFF) {
	case cJSON_String:
	case cJSON_Raw:
		if (!v->valuestring)
			return "";
		*n = strlen(v->valuestring);
		return v->valuestring;
	case cJSON_Number:
		*n = format_number(v->valuedouble, num);
		return num;
	case cJSON_True:
		*n = 4;
		return "true";
	case cJSON_False:
		*n = 5;
		return "false";
	default:
		return "";
	}
}

static int truthy(const cJSON *v)
{
	if (!v)
		return 0;
	switch (v->type & 0xFF) {
	case cJSON_Invalid:
	case cJSON_False:
	case cJSON_NULL:
		return 0;
	case cJSON_String:
	case cJSON_Raw:
		return v->valuestring && v->valuestring[0];
	case cJSON_Number:
		return v->valuedouble != 0;
	case cJSON_Array:
		return v->child != NULL;
	default:
		return 1;
	}
}

/* A dotted name: its first part searched down the context stack, the
 * others only inside what the first found. */
static const cJSON *lookup(const struct render *st, const char *part,
			   unsigned nparts)
{
	const cJSON *v = NULL;
	unsigned i;

	if (!nparts)
		return st->stack[st->sp - 1];
	for (i = st->sp; i-- > 0;)
		if ((v = json_get(st->stack[i], part)))
			break;
	while (v && --nparts) {
		part += strlen(part) + 1;
		v = json_get(v, part);
	}
	return v;
}

static int render_range(struct render *st, const struct mustache_template *t,
			uint32_t i, uint32_t to);

/* Appends a then b to the indentation stack; the result's offset. */
static int ind_push(struct render *st, uint32_t aoff, uint32_t alen,
		    const char *b, uint32_t blen, uint32_t *off)
{
	int error;

	if ((error = buf_grow(&st->ind, (size_t)alen + blen)) < 0)
		return error;
	*off = (uint32_t)st->ind.len;
	memmove(st->ind.ptr + st->ind.len, st->ind.ptr + aoff, alen);
	memcpy(st->ind.ptr + st->ind.len + alen, b, blen);
	st->ind.len += (size_t)alen + blen;
	return 0;
}

/*
 * Renders [from, to) of t in place of standalone node n, whose line
 * the compiler removed: its indentation is owed before the first byte
 * and, unless first_only, added to every line written.  A block gives
 * its line ending back (eol) when what it wrote did not end a line.
 */
static int alone(struct render *st, const struct mustache_template *nt,
		 const struct node *n, int first_only, int eol,
		 const struct mustache_template *t, uint32_t from, uint32_t to)
{
	uint32_t foff = st->foff, flen = st->flen, poff = st->poff,
		 plen = st->plen;
	size_t top = st->ind.len, mark = st->out->len;
	const char *ind = nt->pool + n->ioff;
	int error;

	/* Every level keeps its own copy: without a cap a wide line
	 * repeated 64 levels deep would take gigabytes before writing a
	 * byte that max_output could count. */
	if ((plen > flen ? plen : flen) + n->ilen > MUSTACHE_MAX_INDENT)
		return error_set(ERR_LIMIT,
				 "%s: indentation wider than %d bytes",
				 nt->name, MUSTACHE_MAX_INDENT);
	if ((error = ind_push(st, poff, plen, ind, n->ilen, &st->poff)) < 0)
		return error;
	st->plen = plen + n->ilen;
	if (!first_only) {
		if (poff == foff && plen == flen) {
			st->foff = st->poff;
		} else if ((error = ind_push(st, foff, flen, ind, n->ilen,
					     &st->foff)) < 0) {
			goto done;
		}
		st->flen = flen + n->ilen;
	}
	error = render_range(st, t, from, to);
	if (error >= 0 && eol && (n->flags & F_EOL) && st->out->len > mark &&
	    st->out->ptr[st->out->len - 1] != '\n')
		error = buf_puts(st->out, n->flags & F_CRLF ? "\r\n" : "\n");
done:
	st->ind.len = top;
	st->foff = foff;
	st->flen = flen;
	if (st->out->len == mark) {
		st->poff = poff;
		st->plen = plen;
	} else if (n->flags & F_EOL) {
		st->poff = foff;
		st->plen = flen;
	} else {
		st->plen = 0;
	}
	return error;
}

/* The template a partial or parent tag names, or NULL. */
static const struct mustache_template *target(const struct render *st,
					      const struct mustache_template *t,
					      const struct node *n)
{
	const char *name = t->pool + n->off;
	char num[32];
	size_t len;

	if (!(n->flags & F_DYN))
		return find(st->set, name, n->len, n->hash);
	name = text_of(lookup(st, name, n->nparts), num, &len);
	return len ? find(st->set, name, len, hash(name, len)) : NULL;
}

static int expand(struct render *st, const struct mustache_template *t,
		  uint32_t i)
{
	const struct node *n = &t->nodes[i];
	const struct mustache_template *p = target(st, t, n);
	const struct ovr *saved = st->ovr;
	struct ovr o = { t, i, st->ovr };
	int error;

	if (!p)
		return 0;
	if (st->depth == MUSTACHE_MAX_DEPTH)
		return error_set(ERR_LIMIT,
				 "%s: partial \"%s\" nested deeper than %d",
				 t->name, p->name, MUSTACHE_MAX_DEPTH);
	st->depth++;
	if (n->op == OP_PARENT)
		st->ovr = &o;
	if (n->flags & F_ALONE)
		error = alone(st, t, n, 0, 0, p, 0, p->nnodes);
	else
		error = render_range(st, p, 0, p->nnodes);
	st->ovr = saved;
	st->depth--;
	return error;
}

/* The argument overriding block n, the outermost caller's.  Each
 * argument looked at is a step: thousands of blocks against thousands
 * of arguments would otherwise be quadratic work for free. */
static const struct ovr *argument(struct render *st,
				  const struct mustache_template *t,
				  const struct node *n, uint32_t *at)
{
	const struct ovr *o, *hit = NULL;
	const char *name = t->pool + n->off;
	uint32_t j;

	*at = 0;
	for (o = st->ovr; o; o = o->next) {
		const struct node *v = o->t->nodes;

		for (j = o->node + 1; j < v[o->node].end; j = v[j].end) {
			st->steps++;
			if (v[j].hash == n->hash && v[j].len == n->len &&
			    !memcmp(o->t->pool + v[j].off, name, n->len)) {
				hit = o;
				*at = j;
			}
		}
	}
	return hit;
}

static int block(struct render *st, const struct mustache_template *t,
		 uint32_t i)
{
	const struct node *n = &t->nodes[i];
	const struct mustache_template *bt = t;
	uint32_t from = i + 1, to = n->end, at;
	const struct ovr *o = argument(st, t, n, &at);
	int error;

	if (o) {
		if (st->depth == MUSTACHE_MAX_DEPTH)
			return error_set(ERR_LIMIT,
					 "%s: block \"%s\" nested deeper than %d",
					 t->name, t->pool + n->off,
					 MUSTACHE_MAX_DEPTH);
		st->depth++;
		bt = o->t;
		from = at + 1;
		to = bt->nodes[at].end;
	}
	if (!(n->flags & F_ALONE))
		error = render_range(st, bt, from, to);
	else
		/* A default body still indented as written: the block's
		 * indentation goes before its first line only. */
		error = alone(st, t, n, !o && !(n->flags & F_INTRINSIC), 1, bt,
			      from, to);
	if (o)
		st->depth--;
	return error;
}

static int value(struct render *st, const struct mustache_template *t,
		 const struct node *n)
{
	char num[32];
	size_t len;
	const char *s = text_of(lookup(st, t->pool + n->off, n->nparts), num,
				&len);
	int error;

	if (!len)
		return 0;
	if ((error = pay(st)) < 0)
		return error;
	return put_value(st->out, s, len, n->op == OP_RAW);
}

static int section(struct render *st, const struct mustache_template *t,
		   uint32_t i)
{
	const struct node *n = &t->nodes[i];
	const cJSON *v = lookup(st, t->pool + n->off, n->nparts), *e;
	int error = 0;

	if (n->op == OP_INVERTED)
		return truthy(v) ? 0 : render_range(st, t, i + 1, n->end);
	if (!truthy(v))
		return 0;
	if (!cJSON_IsArray(v)) {
		st->stack[st->sp++] = v;
		error = render_range(st, t, i + 1, n->end);
		st->sp--;
		return error;
	}
	for (e = v->child; e && error >= 0; e = e->next) {
		st->stack[st->sp++] = e;
		error = render_range(st, t, i + 1, n->end);
		st->sp--;
	}
	return error;
}

static int render_range(struct render *st, const struct mustache_template *t,
			uint32_t i, uint32_t to)
{
	int error = 0;

	/* Each level is one C frame and at most one context entry. */
	if (++st->nest > MUSTACHE_MAX_NEST) {
		st->nest--;
		return limit(t, "templates nested too deep");
	}
	while (i < to && error >= 0) {
		const struct node *n = &t->nodes[i];

		if (++st->steps > st->set->max_steps) {
			error = limit(t, "render takes too many steps");
			break;
		}
		if (st->out->len - st->out0 > st->set->max_output) {
			error = limit(t, "render output too large");
			break;
		}
		switch (n->op) {
		case OP_TEXT:
			error = put_text(st, t->pool + n->off, n->len);
			i++;
			break;
		case OP_VAR:
		case OP_RAW:
			error = value(st, t, n);
			i++;
			break;
		case OP_SECTION:
		case OP_INVERTED:
			error = section(st, t, i);
			i = n->end;
			break;
		case OP_PARTIAL:
			error = expand(st, t, i);
			i++;
			break;
		case OP_PARENT:
			error = expand(st, t, i);
			i = n->end;
			break;
		case OP_BLOCK:
			error = block(st, t, i);
			i = n->end;
			break;
		default: /* OP_ARG: only inside a parent, which skips it */
			i = n->end;
			break;
		}
	}
	st->nest--;
	return error;
}

int mustache_render_stack(const struct mustache_set *set, const char *name,
			  const cJSON *const *ctx, size_t n, struct buf *out)
{
	size_t len = strlen(name), i;
	const struct mustache_template *t = find(set, name, len,
						 hash(name, len));
	struct render st;
	int error;

	if (!t)
		return error_set(ERR_INVALID, "no template \"%s\"", name);
	if (!n || n > MUSTACHE_MAX_CONTEXTS)
		return error_set(ERR_INVALID, "%s: %zu contexts, not 1 to %d",
				 name, n, MUSTACHE_MAX_CONTEXTS);
	st.set = set;
	st.out = out;
	st.out0 = out->len;
	st.ind = (struct buf)BUF_INIT;
	st.foff = st.flen = st.poff = st.plen = 0;
	st.ovr = NULL;
	st.depth = st.nest = 0;
	st.steps = 0;
	for (i = 0; i < n; i++)
		st.stack[i] = ctx[i];
	st.sp = (unsigned)n;
	error = render_range(&st, t, 0, t->nnodes);
	buf_release(&st.ind);
	if (error < 0 && out->ptr) {
		out->len = st.out0;
		out->ptr[out->len] = '\0';
	}
	return error;
}

int mustache_render(const struct mustache_set *set, const char *name,
		    const cJSON *data, struct buf *out)
{
	return mustache_render_stack(set, name, &data, 1, out);
}

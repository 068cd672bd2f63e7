/*
 * search.c - the search index's tokenizer and shard writer (search.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "hash.h"
#include "search.h"

/* ---- tokenizer ---- */

enum cclass { C_SEP, C_ALNUM, C_HYPHEN, C_CJK };

/* The code point at s (at most n bytes), or -1 for a byte that starts no
 * valid UTF-8 sequence; *len is set to the bytes consumed (at least 1). */
static long utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	unsigned long c;
	size_t k, i;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, c = s[0] & 0x07;
	else
		return -1;
	if (k > n)
		return -1;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF */
	if ((k == 3 && c < 0x800) || (k == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*len = k;
	return (long)c;
}

/* Folds c (full-width ASCII to ASCII, A-Z to a-z) and classifies it. */
static enum cclass classify(long *c)
{
	if (*c >= 0xff01 && *c <= 0xff5e)
		*c -= 0xfee0;
	else if (*c == 0x3000)
		*c = ' ';
	if (*c >= 'A' && *c <= 'Z')
		*c += 'a' - 'A';
	if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'))
		return C_ALNUM;
	if (*c == '-')
		return C_HYPHEN;
	if (*c < 0x2e80)
		return C_SEP;
	/* CJK symbols and punctuation, vertical and small forms, the
	 * half-width and full-width forms left after folding, specials */
	if ((*c >= 0x3000 && *c <= 0x303f) || (*c >= 0xfe10 && *c <= 0xfe6f) || (*c >= 0xff00 && *c <= 0xffff))
		return C_SEP;
	return C_CJK;
}

struct tok {
	int (*cb)(void *arg, const char *term, size_t len);
	void *arg;
	enum search_mode mode;
};

/* The prefixes of an ASCII word or run of len bytes: from 2 bytes (a
 * run of one byte is itself), never ending on a hyphen. */
static int ascii_prefixes(struct tok *t, const char *w, size_t len)
{
	size_t i;
	int error;

	if (len > SEARCH_TERM_MAX)
		len = SEARCH_TERM_MAX;
	if (len == 1)
		return t->cb(t->arg, w, 1);
	/* a short number (a year, a count) is found by any piece of two
	 * digits or more: "23年度" is typed as often as "2023年度" */
	for (i = 0; i < len && w[i] >= '0' && w[i] <= '9'; i++)
		; /* w is a piece of a run, not NUL-terminated */
	if (len <= SEARCH_DIGITS_MAX && i == len) {
		size_t j;
		for (j = 0; j + 1 < len; j++)
			for (i = j + 2; i <= len; i++)
				if ((error = t->cb(t->arg, w + j, i - j)) < 0)
					return error;
		return 0;
	}
	for (i = 2; i <= len; i++)
		if (w[i - 1] != '-' && (error = t->cb(t->arg, w, i)) < 0)
			return error;
	return 0;
}

/* An ASCII run (folded, hyphens only between letters or digits). */
static int ascii_run(struct tok *t, const char *w, size_t len)
{
	size_t i, start;
	int error;

	if (t->mode == SEARCH_QUERY)
		return t->cb(t->arg, w, len > SEARCH_TERM_MAX ? SEARCH_TERM_MAX : len);
	if ((error = ascii_prefixes(t, w, len)) < 0 || !memchr(w, '-', len))
		return error;
	for (start = i = 0; i <= len; i++)
		if (i == len || w[i] == '-') {
			if ((error = ascii_prefixes(t, w + start, i - start)) < 0)
				return error;
			start = i + 1;
		}
	return 0;
}

/* The character at text + i, folded and classified; *k its bytes. */
static enum cclass char_at(const unsigned char *s, size_t len, size_t i, size_t *k, long *c)
{
	if ((*c = utf8_next(s + i, len - i, k)) < 0)
		return C_SEP;
	return classify(c);
}

/* The Chinese run from text + i to its end, which it returns. */
static int cjk_run(struct tok *t, const char *text, size_t len, size_t i, size_t *end)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t prev = (size_t)-1, k, n = 0;
	long c;
	int error;

	while (i < len && char_at(s, len, i, &k, &c) == C_CJK) {
		if (t->mode == SEARCH_INDEX && (error = t->cb(t->arg, text + i, k)) < 0)
			return error;
		if (prev != (size_t)-1 && (error = t->cb(t->arg, text + prev, i + k - prev)) < 0)
			return error;
		prev = i;
		i += k;
		n++;
	}
	*end = i;
	if (t->mode == SEARCH_QUERY && n == 1)
		return t->cb(t->arg, text + prev, i - prev);
	return 0;
}

int search_tokens(const char *text, size_t len, enum search_mode mode,
		  int (*cb)(void *arg, const char *term, size_t len), void *arg)
{
	const unsigned char *s = (const unsigned char *)text;
	struct tok t = { cb, arg, mode };
	char ascii[SEARCH_TERM_MAX + 1]; /* the ASCII run, folded and cut */
	size_t alen = 0, i = 0, k;
	bool in_ascii = false;
	int error;

	while (i <= len) {
		long c = 0;
		enum cclass cl = i < len ? char_at(s, len, i, &k, &c) : C_SEP;
		if (cl != C_ALNUM && cl != C_HYPHEN && in_ascii) {
			/* a hyphen joins only letters or digits */
			while (alen && ascii[alen - 1] == '-')
				alen--;
			if (alen && (error = ascii_run(&t, ascii, alen)) < 0)
				return error;
			alen = 0;
			in_ascii = false;
		}
		if (i == len)
			break;
		if (cl == C_CJK) {
			if ((error = cjk_run(&t, text, len, i, &i)) < 0)
				return error;
			continue;
		}
		if (cl == C_ALNUM || (cl == C_HYPHEN && in_ascii)) {
			/* two hyphens end a run as punctuation does */
			if (cl == C_HYPHEN && alen && ascii[alen - 1] == '-') {
				alen--;
				if (alen && (error = ascii_run(&t, ascii, alen)) < 0)
					return error;
				alen = 0;
				in_ascii = false;
			} else {
				if (alen < SEARCH_TERM_MAX)
					ascii[alen++] = (char)c;
				in_ascii = true;
			}
		}
		i += k;
	}
	return 0;
}

uint32_t search_hash(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t h = 2166136261u;

	while (len--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* ---- the index ---- */

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

int search_index_doc(struct search_index *ix, const char *key, const char *kind, const char *title,
		     const char *sub, const char *url, const char *status)
{
	struct search_doc d = { 0 };
	const char *v[5] = { kind, title, sub, url, status };
	size_t i;

	if (ix->ndocs == ix->capdocs) {
		size_t cap = ix->capdocs ? ix->capdocs * 2 : 64;
		struct search_doc *p = realloc(ix->docs, cap * sizeof(*p));
		if (!p)
			return error_nomem();
		ix->docs = p;
		ix->capdocs = cap;
	}
	if (!(d.key = strdup(key)))
		return error_nomem();
	for (i = 0; i < 5; i++)
		if (!(d.fields[i] = dup_or_empty(v[i]))) {
			while (i-- > 0)
				free(d.fields[i]);
			free(d.key);
			return error_nomem();
		}
	ix->docs[ix->ndocs++] = d;
	return 0;
}

static int grow_terms(struct search_index *ix)
{
	size_t cap = ix->capterms ? ix->capterms * 2 : 1024, i;
	struct search_term *v = calloc(cap, sizeof(*v));

	if (!v)
		return error_nomem();
	for (i = 0; i < ix->capterms; i++) {
		size_t j;
		if (!ix->terms[i].term)
			continue;
		for (j = hash_str(ix->terms[i].term) & (cap - 1); v[j].term; j = (j + 1) & (cap - 1))
			;
		v[j] = ix->terms[i];
	}
	free(ix->terms);
	ix->terms = v;
	ix->capterms = cap;
	return 0;
}

struct adding {
	struct search_index *ix;
	uint32_t doc;
	unsigned char weight;
};

static int add_term(void *arg, const char *term, size_t len)
{
	struct adding *a = arg;
	struct search_index *ix = a->ix;
	struct search_term *t;
	size_t j;
	int error;

	if (ix->nterms * 2 >= ix->capterms && (error = grow_terms(ix)) < 0)
		return error;
	for (j = hash_bytes(term, len) & (ix->capterms - 1); ix->terms[j].term; j = (j + 1) & (ix->capterms - 1))
		if (!strncmp(ix->terms[j].term, term, len) && !ix->terms[j].term[len])
			break;
	t = &ix->terms[j];
	if (!t->term) {
		if (!(t->term = strndup(term, len)))
			return error_nomem();
		ix->nterms++;
	}
	if (t->n && t->docs[t->n - 1] == a->doc) {
		if (t->weights[t->n - 1] < a->weight)
			t->weights[t->n - 1] = a->weight;
		return 0;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4;
		uint32_t *d = realloc(t->docs, cap * sizeof(*d));
		unsigned char *w;
		if (!d)
			return error_nomem();
		t->docs = d;
		if (!(w = realloc(t->weights, cap)))
			return error_nomem();
		t->weights = w;
		t->cap = cap;
	}
	t->docs[t->n] = a->doc;
	t->weights[t->n++] = a->weight;
	return 0;
}

int search_index_text(struct search_index *ix, const char *text, unsigned weight)
{
	struct adding a = { ix, (uint32_t)(ix->ndocs - 1), (unsigned char)(weight < 1 ? 1 : weight > 9 ? 9 : weight) };

	if (!text || !ix->ndocs)
		return 0;
	return search_tokens(text, strlen(text), SEARCH_INDEX, add_term, &a);
}

/* A JSON string: the terms and fields are UTF-8 text of the record. */
static int put_json(struct buf *b, const char *s)
{
	int error = buf_putc(b, '"');

	for (; *s && error >= 0; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			error = buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			error = buf_printf(b, "\\u%04x", c);
		else
			error = buf_putc(b, (char)c);
	}
	return error < 0 ? error : buf_putc(b, '"');
}

static const struct search_index *sort_ix; /* qsort() has no argument */

static int doc_cmp(const void *a, const void *b)
{
	return strcmp(sort_ix->docs[*(const uint32_t *)a].key, sort_ix->docs[*(const uint32_t *)b].key);
}

static int term_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct search_term *const *)a)->term, (*(const struct search_term *const *)b)->term);
}

/* Shards of about each bytes for total bytes: a power of two from 16
 * to SEARCH_SHARDS_MAX. */
static size_t shard_count(uint64_t total, uint64_t each)
{
	size_t n = 16;

	while (n < SEARCH_SHARDS_MAX && total / n > each)
		n *= 2;
	return n;
}

static bool is_frequent(const struct search_index *ix, const struct search_term *t)
{
	return ix->frequent && t->n > ix->frequent;
}

struct shard_out {
	int (*write)(void *arg, const char *path, const char *data, size_t len);
	void *arg;
	struct search_index *ix;
};

static int flush_shard(struct shard_out *so, struct buf *b, const char *dir, size_t shard)
{
	char path[64];
	int error;

	if (!b->len)
		return 0;
	if ((error = buf_puts(b, "}\n")) < 0)
		return error;
	snprintf(path, sizeof(path), "search/%s/%03zx.json", dir, shard);
	so->ix->bytes += b->len;
	error = so->write(so->arg, path, buf_cstr(b), b->len);
	buf_clear(b);
	return error;
}

/* Items (n of them, sorted) into shards by shard_of(i): each shard's
 * items in the order given, put by put(i). */
static int write_shards(struct shard_out *so, const char *dir, size_t n, size_t nshards,
			size_t (*shard_of)(struct search_index *, size_t, size_t),
			int (*put)(struct search_index *, struct buf *, size_t))
{
	size_t *order = malloc((n + 1) * sizeof(*order)), *start = calloc(nshards + 1, sizeof(*start)), i, s;
	struct buf b = BUF_INIT;
	int error = 0;

	if (!order || !start) {
		error = error_nomem();
		goto done;
	}
	/* a counting sort by shard keeps each shard's items in order */
	for (i = 0; i < n; i++)
		start[shard_of(so->ix, i, nshards) + 1]++;
	for (s = 0; s < nshards; s++)
		start[s + 1] += start[s];
	for (i = 0; i < n; i++)
		order[start[shard_of(so->ix, i, nshards)]++] = i;
	for (i = s = 0; i < n && error >= 0; i++) {
		size_t sh = shard_of(so->ix, order[i], nshards);
		if (b.len && sh != s)
			error = flush_shard(so, &b, dir, s);
		s = sh;
		if (error >= 0)
			error = buf_putc(&b, b.len ? ',' : '{');
		if (error >= 0)
			error = put(so->ix, &b, order[i]);
	}
	if (error >= 0)
		error = flush_shard(so, &b, dir, s);
done:
	buf_release(&b);
	free(order);
	free(start);
	return error;
}

/* The write order: the terms and the docs, sorted. */
static struct search_term **sorted_terms;
static uint32_t *sorted_docs;

static size_t term_shard(struct search_index *ix, size_t i, size_t n)
{
	(void)ix;
	return search_hash(sorted_terms[i]->term, strlen(sorted_terms[i]->term)) % n;
}

static size_t doc_shard(struct search_index *ix, size_t i, size_t n)
{
	const char *k = ix->docs[sorted_docs[i]].key;
	return search_hash(k, strlen(k)) % n;
}

/* Each doc's place in key order, for a term's postings. */
static uint32_t *doc_rank;

struct posting {
	uint32_t rank;
	unsigned weight;
};

static int posting_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct posting *)a)->rank, y = ((const struct posting *)b)->rank;
	return x < y ? -1 : x > y;
}

static int put_term(struct search_index *ix, struct buf *b, size_t i)
{
	const struct search_term *t = sorted_terms[i];
	struct posting *v = malloc((t->n + 1) * sizeof(*v));
	size_t j;
	int error;

	if (!v)
		return error_nomem();
	if (is_frequent(ix, t)) {
		/* a number, not a list: the script tells it apart */
		if ((error = put_json(b, t->term)) >= 0)
			error = buf_puts(b, ":0");
		goto done;
	}
	for (j = 0; j < t->n; j++) {
		v[j].rank = doc_rank[t->docs[j]];
		v[j].weight = t->weights[j];
	}
	qsort(v, t->n, sizeof(*v), posting_cmp);
	if ((error = put_json(b, t->term)) < 0 || (error = buf_puts(b, ":[")) < 0)
		goto done;
	for (j = 0; j < t->n && error >= 0; j++)
		if ((error = buf_puts(b, j ? "," : "")) >= 0 &&
		    (error = put_json(b, ix->docs[sorted_docs[v[j].rank]].key)) >= 0)
			error = buf_printf(b, ",%u", v[j].weight);
	if (error >= 0)
		error = buf_putc(b, ']');
done:
	free(v);
	return error;
}

static int put_doc(struct search_index *ix, struct buf *b, size_t i)
{
	const struct search_doc *d = &ix->docs[sorted_docs[i]];
	size_t k;
	int error;

	if ((error = put_json(b, d->key)) < 0 || (error = buf_puts(b, ":[")) < 0)
		return error;
	for (k = 0; k < 5 && error >= 0; k++)
		if ((error = buf_puts(b, k ? "," : "")) >= 0)
			error = put_json(b, d->fields[k]);
	return error < 0 ? error : buf_putc(b, ']');
}

int search_index_write(struct search_index *ix,
		       int (*write)(void *arg, const char *path, const char *data, size_t len), void *arg)
{
	struct shard_out so = { write, arg, ix };
	uint64_t tbytes = 0, dbytes = 0;
	size_t i, j, k;
	int error = 0;

	sorted_terms = malloc((ix->nterms + 1) * sizeof(*sorted_terms));
	sorted_docs = malloc((ix->ndocs + 1) * sizeof(*sorted_docs));
	doc_rank = malloc((ix->ndocs + 1) * sizeof(*doc_rank));
	if (!sorted_terms || !sorted_docs || !doc_rank) {
		error = error_nomem();
		goto done;
	}
	for (i = 0; i < ix->ndocs; i++)
		sorted_docs[i] = (uint32_t)i;
	sort_ix = ix;
	qsort(sorted_docs, ix->ndocs, sizeof(*sorted_docs), doc_cmp);
	for (i = 0; i < ix->ndocs; i++) {
		if (i && !strcmp(ix->docs[sorted_docs[i]].key, ix->docs[sorted_docs[i - 1]].key)) {
			error = error_set(ERR_INVALID, "search index: two documents have the key %s",
					  ix->docs[sorted_docs[i]].key);
			goto done;
		}
		doc_rank[sorted_docs[i]] = (uint32_t)i;
		dbytes += strlen(ix->docs[i].key) + 8;
		for (k = 0; k < 5; k++)
			dbytes += strlen(ix->docs[i].fields[k]) + 3;
	}
	for (i = j = 0; i < ix->capterms; i++)
		if (ix->terms[i].term) {
			const struct search_term *t = &ix->terms[i];
			sorted_terms[j++] = &ix->terms[i];
			tbytes += strlen(t->term) + 5;
			for (k = 0; k < t->n && !is_frequent(ix, t); k++)
				tbytes += strlen(ix->docs[t->docs[k]].key) + 5;
		}
	qsort(sorted_terms, ix->nterms, sizeof(*sorted_terms), term_cmp);
	ix->nterm_shards = shard_count(tbytes, SEARCH_SHARD_BYTES);
	ix->ndoc_shards = shard_count(dbytes, SEARCH_DOC_SHARD_BYTES);
	ix->bytes = 0;
	if ((error = write_shards(&so, "t", ix->nterms, ix->nterm_shards, term_shard, put_term)) >= 0)
		error = write_shards(&so, "d", ix->ndocs, ix->ndoc_shards, doc_shard, put_doc);
done:
	free(sorted_terms);
	free(sorted_docs);
	free(doc_rank);
	sorted_terms = NULL;
	sorted_docs = doc_rank = NULL;
	sort_ix = NULL;
	return error;
}

void search_index_release(struct search_index *ix)
{
	size_t i, k, frequent = ix->frequent;

	for (i = 0; i < ix->ndocs; i++) {
		free(ix->docs[i].key);
		for (k = 0; k < 5; k++)
			free(ix->docs[i].fields[k]);
	}
	free(ix->docs);
	for (i = 0; i < ix->capterms; i++) {
		free(ix->terms[i].term);
		free(ix->terms[i].docs);
		free(ix->terms[i].weights);
	}
	free(ix->terms);
	memset(ix, 0, sizeof(*ix));
	ix->frequent = frequent;
}

/*
 * search.h - the site's search index: a tokenizer, and the shards a
 * browser downloads to answer a query without a server (issue #22).
 *
 * Terms.  Text is folded first: full-width ASCII (U+FF01..U+FF5E) to
 * half-width, the ideographic space to a space, A-Z to a-z.  Then:
 *  - a run of Chinese (any character from U+2E80 on that is no
 *    punctuation) gives each character and each overlapping pair of
 *    neighbours ("bigrams"), so that any piece of two characters or more
 *    is found without knowing where words begin;
 *  - a run of ASCII letters and digits, possibly joined by single
 *    hyphens ("lsqa-2024-01", a credit code), gives the whole run and
 *    its prefixes, and each hyphen-separated part and its prefixes
 *    (prefixes from 2 bytes, at most SEARCH_TERM_MAX); a run or part of
 *    at most SEARCH_DIGITS_MAX digits gives every piece of 2 digits or
 *    more instead of its prefixes;
 *  - everything else (punctuation, spaces, other scripts) separates.
 * A query is tokenized the other way: a Chinese run of two characters or
 * more gives its bigrams only, of one character that character, an ASCII
 * run the whole run; a document matches when it holds every term (the
 * script leaves out a one-letter ASCII run beside other terms).
 * themes/default/assets/search.js holds the same rules for the query
 * side; tests/unit/search-cases.txt is the table both are tested on.
 *
 * Shards (search/t/NNN.json and search/d/NNN.json, NNN the shard in
 * lower-case hexadecimal): a term's postings lie in the shard
 * fnv1a32(term) % nterm_shards, as {"term":["key",weight,...],...};
 * a document in the shard fnv1a32(key) % ndoc_shards, as
 * {"key":["kind","title","sub","url","status"],...}.  Keys are the
 * record's kind letter and id, never a sequence number, so adding a
 * record changes only the shards its own terms and key fall in.  Every
 * file is sorted by byte order: the same record gives the same bytes.
 *
 * Frequent terms.  A term held by more than ix->frequent documents (a
 * city's name, 公司, 科技) is written as "term":0, without postings:
 * its list alone would weigh tens or hundreds of KB, more than a whole
 * query may download.  The limit is a fixed number of documents, not a
 * share of them, so that a term turns frequent only when its own
 * documents grow, changing only its own shard.  A query leaves its
 * frequent terms out when it has another term: the documents holding
 * every term still all hold the others, so no right result is lost;
 * results can only be broader (a document holding 工科 but neither 化工
 * nor 科技 answers 化工科技), and the script ranks, among the results
 * it shows, those whose title holds the query as typed first.  A query
 * made only of frequent terms (two common characters, one character)
 * finds nothing and the page asks for more characters.
 *
 * Pages of results.  The script ranks the documents from the postings
 * alone (the sum of their weights; between equal sums, the keys holding
 * more of the query's ASCII runs, a year or number typed beside Chinese,
 * first) and fetches the document shards of
 * the results it shows only, ten at a time; document shards are small
 * (near SEARCH_DOC_SHARD_BYTES) so that ten results cost a few KB each.
 */
#ifndef GONGSHI_SEARCH_H
#define GONGSHI_SEARCH_H

#include <stddef.h>
#include <stdint.h>

/* Longest term, in bytes: longer ASCII runs are cut here (both sides). */
#define SEARCH_TERM_MAX 40
/* Numbers up to this many digits are indexed by every piece. */
#define SEARCH_DIGITS_MAX 8

enum search_mode {
	SEARCH_INDEX,  /* a document's text: every term it can be found by */
	SEARCH_QUERY   /* a query: the terms a document must hold */
};

/* Calls cb(arg, term, len) for each term of text (len bytes of UTF-8,
 * invalid bytes separate), possibly more than once for the same term.
 * Stops at, and returns, cb's first value < 0; else 0. */
int search_tokens(const char *text, size_t len, enum search_mode mode,
		  int (*cb)(void *arg, const char *term, size_t len), void *arg);

/* FNV-1a, 32 bits, of len bytes: the shard hash, which search.js
 * computes too (so it must never change without the script). */
uint32_t search_hash(const char *s, size_t len);

struct search_doc {
	char *key;     /* owned: kind letter and id, e.g. "aLSQA-2024-01" */
	char *fields[5]; /* owned: kind, title, sub (a second line, may be
			    ""), url (from the site's root), status ("" or
			    valid / expired / revoked) */
};

struct search_term {
	char *term;          /* owned, NUL-terminated */
	uint32_t *docs;      /* owned: indexes into docs, ascending */
	unsigned char *weights; /* owned: the best weight per doc */
	size_t n, cap;
};

struct search_index {
	struct search_doc *docs; /* owned, in the order added */
	size_t ndocs, capdocs;
	struct search_term *terms; /* owned: open addressing, NULL terms empty */
	size_t nterms, capterms;
	size_t nterm_shards, ndoc_shards; /* set by search_index_write */
	uint64_t bytes;          /* every shard written, in bytes */
	size_t frequent;         /* a term held by more documents is written
				    as frequent (0: none is); SEARCH_FREQUENT
				    from SEARCH_INDEX_INIT, kept by release */
};

/* The default of frequent: a posting costs about 25 bytes (a key of 20
 * characters, a weight), so a term's list stays under ~12 KB. */
#define SEARCH_FREQUENT 500

#define SEARCH_INDEX_INIT { .frequent = SEARCH_FREQUENT }

/* Adds a document (every string copied; NULL sub and status are "").
 * Its text follows through search_index_text.  0 or ERR_NOMEM; a key
 * added before is ERR_INVALID. */
int search_index_doc(struct search_index *ix, const char *key, const char *kind, const char *title,
		     const char *sub, const char *url, const char *status);

/* Indexes text (NUL-terminated; NULL: nothing) as the last document's,
 * its terms weighted weight (1 to 9; a term found in several fields
 * keeps the largest).  0 or ERR_NOMEM. */
int search_index_text(struct search_index *ix, const char *text, unsigned weight);

/* Writes every shard through write(arg, path, data, len) under "search/"
 * and sets the shard counts: as many as keep a term shard near
 * SEARCH_SHARD_BYTES and a document shard near SEARCH_DOC_SHARD_BYTES,
 * in powers of two from 16 to SEARCH_SHARDS_MAX, so that they change
 * only when the index doubles or halves.  Returns write's first value
 * < 0, ERR_NOMEM, or 0. */
#define SEARCH_SHARD_BYTES 8192
#define SEARCH_DOC_SHARD_BYTES 2048
#define SEARCH_SHARDS_MAX 16384
int search_index_write(struct search_index *ix,
		       int (*write)(void *arg, const char *path, const char *data, size_t len), void *arg);

void search_index_release(struct search_index *ix);

#endif

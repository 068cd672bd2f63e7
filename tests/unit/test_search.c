/* test_search.c - the search tokenizer and shard writer (generator/search.c).
 *
 * The tokenizer's cases are tests/unit/search-cases.txt, which the
 * browser gate (tests/gates/search.mjs) runs through search.js too: one
 * table for both sides of the index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "search.h"
#include "unit.h"

#define CASES "tests/unit/search-cases.txt"

/* The terms, sorted, unique, space-separated. */
struct terms {
	char *v[512];
	size_t n;
};

static int collect(void *arg, const char *term, size_t len)
{
	struct terms *t = arg;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strlen(t->v[i]) == len && !memcmp(t->v[i], term, len))
			return 0;
	ck_assert_uint_lt(t->n, 512);
	ck_assert_uint_le(len, SEARCH_TERM_MAX);
	t->v[t->n++] = strndup(term, len);
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void terms_of(const char *text, enum search_mode mode, struct buf *out)
{
	struct terms t = { .n = 0 };
	size_t i;

	ck_assert_int_eq(search_tokens(text, strlen(text), mode, collect, &t), 0);
	qsort(t.v, t.n, sizeof(*t.v), str_cmp);
	buf_clear(out);
	for (i = 0; i < t.n; i++) {
		buf_printf(out, "%s%s", i ? " " : "", t.v[i]);
		free(t.v[i]);
	}
}

START_TEST(shared_cases)
{
	FILE *f = fopen(CASES, "r");
	char line[4096];
	struct buf got = BUF_INIT;
	unsigned n = 0, lineno = 0;

	ck_assert_msg(f != NULL, "%s: cannot open (run from the repository)", CASES);
	while (fgets(line, sizeof(line), f)) {
		char *mode = line, *text, *want;
		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (!*line || *line == '#')
			continue;
		ck_assert_msg((text = strchr(mode, '\t')) && (want = strchr(text + 1, '\t')), "%s:%u: three fields",
			      CASES, lineno);
		*text++ = 0;
		*want++ = 0;
		terms_of(text, !strcmp(mode, "query") ? SEARCH_QUERY : SEARCH_INDEX, &got);
		ck_assert_msg(!strcmp(buf_cstr(&got), want), "%s:%u: %s \"%s\": got \"%s\", want \"%s\"", CASES,
			      lineno, mode, text, buf_cstr(&got), want);
		n++;
	}
	fclose(f);
	buf_release(&got);
	ck_assert_uint_ge(n, 20);
}
END_TEST

START_TEST(invalid_utf8_separates)
{
	struct buf got = BUF_INIT;

	/* a lone continuation byte, a truncated sequence, an overlong '/' */
	terms_of("ab\x80" "cd \xe4\xbf" "ef\xc0\xaf" "gh", SEARCH_QUERY, &got);
	ck_assert_str_eq(buf_cstr(&got), "ab cd ef gh");
	terms_of("\xe4\xbf\x9d\xff\xe5\xb1\xb1", SEARCH_INDEX, &got); /* 保, a bad byte, 山 */
	ck_assert_str_eq(buf_cstr(&got), "保 山");
	buf_release(&got);
}
END_TEST

START_TEST(hash_is_fnv1a32)
{
	/* FNV-1a's published check values */
	ck_assert_uint_eq(search_hash("", 0), 0x811c9dc5u);
	ck_assert_uint_eq(search_hash("a", 1), 0xe40c292cu);
	ck_assert_uint_eq(search_hash("foobar", 6), 0xbf9cf968u);
}
END_TEST

/* What the writer wrote, by path. */
struct files {
	char *path[4096];
	char *data[4096];
	size_t n;
	int fail_at; /* the write that fails (-1: none) */
};

static int keep(void *arg, const char *path, const char *data, size_t len)
{
	struct files *f = arg;

	if (f->fail_at >= 0 && (size_t)f->fail_at == f->n)
		return ERR_IO;
	ck_assert_uint_lt(f->n, 4096);
	ck_assert_uint_eq(strlen(data), len);
	f->path[f->n] = strdup(path);
	f->data[f->n++] = strdup(data);
	return 0;
}

static void files_release(struct files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->path[i]);
		free(f->data[i]);
	}
	f->n = 0;
}

static const char *file_of(const struct files *f, const char *path)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->path[i], path))
			return f->data[i];
	return NULL;
}

/* Adds the documents from first to last of a small record. */
static void add_docs(struct search_index *ix, int first, int last, int step)
{
	static const char *const docs[][3] = {
		{ "o91530500067248158L", "保山市质量技术服务有限公司", "保山" },
		{ "aBSQA-2024-01", "保山“翠湾”茶业公司", "BSQA-2024-01" },
		{ "nbaoshan-2024", "2024年保山市质量奖公示", "公示期间受理异议" },
		{ "o91110000802100433B", "北京\\\"引号\"测试单位", "ＡＢＣ－１２３" },
	};
	int i;

	for (i = first; i != last + step; i += step) {
		ck_assert_int_eq(search_index_doc(ix, docs[i][0], "organization", docs[i][1], NULL, "u/", NULL), 0);
		ck_assert_int_eq(search_index_text(ix, docs[i][1], 3), 0);
		ck_assert_int_eq(search_index_text(ix, docs[i][2], 1), 0);
		ck_assert_int_eq(search_index_text(ix, docs[i][0] + 1, 3), 0);
	}
}

static void written(const struct search_index *ix, const struct files *f, struct buf *all)
{
	size_t i;

	buf_clear(all);
	for (i = 0; i < f->n; i++)
		buf_printf(all, "%s\n%s", f->path[i], f->data[i]);
	(void)ix;
}

START_TEST(shards_sorted_and_order_free)
{
	struct search_index a = SEARCH_INDEX_INIT, b = SEARCH_INDEX_INIT;
	struct files fa = { .fail_at = -1 }, fb = { .fail_at = -1 };
	struct buf wa = BUF_INIT, wb = BUF_INIT;
	char path[64];
	const char *t;
	size_t i;

	/* the same documents added in the opposite order: the same bytes */
	add_docs(&a, 0, 3, 1);
	add_docs(&b, 3, 0, -1);
	ck_assert_int_eq(search_index_write(&a, keep, &fa), 0);
	ck_assert_int_eq(search_index_write(&b, keep, &fb), 0);
	written(&a, &fa, &wa);
	written(&b, &fb, &wb);
	ck_assert_str_eq(buf_cstr(&wa), buf_cstr(&wb));
	ck_assert_uint_eq(a.nterm_shards, 16);
	ck_assert_uint_eq(a.ndoc_shards, 16);
	/* a term is in the shard its hash names, its postings sorted by key */
	snprintf(path, sizeof(path), "search/t/%03x.json", (unsigned)(search_hash("保山", 6) % 16));
	ck_assert_ptr_nonnull(t = file_of(&fa, path));
	ck_assert_ptr_nonnull(strstr(t, "\"保山\":[\"aBSQA-2024-01\",3,\"nbaoshan-2024\",3,\"o91530500067248158L\",3]"));
	/* the credit code and its prefixes, the certificate's parts */
	snprintf(path, sizeof(path), "search/t/%03x.json", (unsigned)(search_hash("9153050", 7) % 16));
	ck_assert_ptr_nonnull(strstr(file_of(&fa, path), "\"9153050\":[\"o91530500067248158L\",3]"));
	snprintf(path, sizeof(path), "search/t/%03x.json", (unsigned)(search_hash("bsqa-2024", 9) % 16));
	ck_assert_ptr_nonnull(strstr(file_of(&fa, path), "\"bsqa-2024\":[\"aBSQA-2024-01\",3]"));
	/* full-width forms are folded: "ＡＢＣ－１２３" is found as abc-123 */
	snprintf(path, sizeof(path), "search/t/%03x.json", (unsigned)(search_hash("abc-123", 7) % 16));
	ck_assert_ptr_nonnull(strstr(file_of(&fa, path), "\"abc-123\":[\"o91110000802100433B\",1]"));
	/* quotes and backslashes escaped: every shard is JSON the test can scan */
	snprintf(path, sizeof(path), "search/d/%03x.json", (unsigned)(search_hash("o91110000802100433B", 19) % 16));
	ck_assert_ptr_nonnull(strstr(file_of(&fa, path), "\"北京\\\\\\\"引号\\\"测试单位\""));
	for (i = 0; i < fa.n; i++) {
		size_t len = strlen(fa.data[i]);
		ck_assert(fa.data[i][0] == '{' && len >= 3 && !strcmp(fa.data[i] + len - 2, "}\n"));
	}
	files_release(&fa);
	files_release(&fb);
	search_index_release(&a);
	search_index_release(&b);
	buf_release(&wa);
	buf_release(&wb);
}
END_TEST

START_TEST(one_more_document_changes_its_shards_only)
{
	struct search_index a = SEARCH_INDEX_INIT, b = SEARCH_INDEX_INIT;
	struct files fa = { .fail_at = -1 }, fb = { .fail_at = -1 };
	size_t i, changed = 0;

	add_docs(&a, 0, 2, 1);
	add_docs(&b, 0, 3, 1);
	ck_assert_int_eq(search_index_write(&a, keep, &fa), 0);
	ck_assert_int_eq(search_index_write(&b, keep, &fb), 0);
	/* the keys stay: every shard that holds none of the new document's
	 * terms nor its key is the same bytes */
	for (i = 0; i < fb.n; i++) {
		const char *old = file_of(&fa, fb.path[i]);
		if (!old || strcmp(old, fb.data[i])) {
			changed++;
			ck_assert_ptr_nonnull(strstr(fb.data[i], "o91110000802100433B"));
		}
	}
	ck_assert_uint_gt(changed, 0);
	ck_assert_uint_lt(changed, fb.n);
	files_release(&fa);
	files_release(&fb);
	search_index_release(&a);
	search_index_release(&b);
}
END_TEST

START_TEST(duplicate_key_and_write_failure)
{
	struct search_index ix = SEARCH_INDEX_INIT;
	struct files f = { .fail_at = -1 };

	add_docs(&ix, 0, 1, 1);
	f.fail_at = 1;
	ck_assert_int_eq(search_index_write(&ix, keep, &f), ERR_IO);
	files_release(&f);
	f.fail_at = -1;
	ck_assert_int_eq(search_index_doc(&ix, "aBSQA-2024-01", "award", "x", NULL, "u/", NULL), 0);
	ck_assert_int_eq(search_index_write(&ix, keep, &f), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(error_message(), "aBSQA-2024-01"));
	files_release(&f);
	search_index_release(&ix);
}
END_TEST

START_TEST(frequent_terms_lose_their_postings)
{
	struct search_index ix = SEARCH_INDEX_INIT;
	struct files f = { .fail_at = -1 };
	char path[64];
	const char *t;

	ck_assert_uint_eq(ix.frequent, SEARCH_FREQUENT);
	/* 保山 is held by three of the four documents, 茶业 by one */
	ix.frequent = 2;
	add_docs(&ix, 0, 3, 1);
	ck_assert_int_eq(search_index_write(&ix, keep, &f), 0);
	snprintf(path, sizeof(path), "search/t/%03x.json", (unsigned)(search_hash("保山", 6) % ix.nterm_shards));
	ck_assert_ptr_nonnull(t = file_of(&f, path));
	ck_assert_ptr_nonnull(strstr(t, "\"保山\":0"));
	ck_assert_ptr_null(strstr(t, "\"保山\":["));
	snprintf(path, sizeof(path), "search/t/%03x.json", (unsigned)(search_hash("茶业", 6) % ix.nterm_shards));
	ck_assert_ptr_nonnull(strstr(file_of(&f, path), "\"茶业\":[\"aBSQA-2024-01\",3]"));
	files_release(&f);
	search_index_release(&ix);
	ck_assert_uint_eq(ix.frequent, 2);
	/* 0: no term is frequent */
	ix.frequent = 0;
	add_docs(&ix, 0, 3, 1);
	ck_assert_int_eq(search_index_write(&ix, keep, &f), 0);
	snprintf(path, sizeof(path), "search/t/%03x.json", (unsigned)(search_hash("保山", 6) % ix.nterm_shards));
	ck_assert_ptr_nonnull(strstr(file_of(&f, path), "\"保山\":[\"aBSQA-2024-01\",3,"));
	files_release(&f);
	search_index_release(&ix);
}
END_TEST

START_TEST(frequent_limit_is_inclusive)
{
	struct search_index ix = SEARCH_INDEX_INIT;
	struct files f = { .fail_at = -1 };
	char path[64];

	/* three documents hold 保山: a limit of 3 keeps its postings */
	ix.frequent = 3;
	add_docs(&ix, 0, 3, 1);
	ck_assert_int_eq(search_index_write(&ix, keep, &f), 0);
	snprintf(path, sizeof(path), "search/t/%03x.json", (unsigned)(search_hash("保山", 6) % ix.nterm_shards));
	ck_assert_ptr_nonnull(strstr(file_of(&f, path), "\"保山\":[\"aBSQA-2024-01\",3,"));
	files_release(&f);
	search_index_release(&ix);
}
END_TEST

/* Document shards stay small, so that a page of ten results costs ten
 * small files: 2,000 documents of ~90 bytes make 128 document shards of
 * ~1.4 KB, while their few terms stay in 16 term shards. */
START_TEST(document_shards_near_2k)
{
	struct search_index ix = SEARCH_INDEX_INIT;
	struct files f = { .fail_at = -1 };
	uint64_t dbytes = 0;
	size_t i, nd = 0;
	char key[32];

	for (i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "o%06zu", i);
		ck_assert_int_eq(search_index_doc(&ix, key, "organization", "保山市质量技术服务有限公司", NULL,
						  "organizations/x/index.html", NULL), 0);
		ck_assert_int_eq(search_index_text(&ix, "保山", 3), 0);
	}
	ck_assert_int_eq(search_index_write(&ix, keep, &f), 0);
	ck_assert_uint_eq(ix.nterm_shards, 16);
	ck_assert_uint_eq(ix.ndoc_shards, 128);
	for (i = 0; i < f.n; i++)
		if (!strncmp(f.path[i], "search/d/", 9)) {
			nd++;
			dbytes += strlen(f.data[i]);
		}
	ck_assert_uint_eq(nd, 128);
	ck_assert_uint_le(dbytes / nd, SEARCH_DOC_SHARD_BYTES);
	files_release(&f);
	search_index_release(&ix);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("search");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, shared_cases);
	tcase_add_test(tc, invalid_utf8_separates);
	tcase_add_test(tc, hash_is_fnv1a32);
	tcase_add_test(tc, shards_sorted_and_order_free);
	tcase_add_test(tc, one_more_document_changes_its_shards_only);
	tcase_add_test(tc, duplicate_key_and_write_failure);
	tcase_add_test(tc, frequent_terms_lose_their_postings);
	tcase_add_test(tc, frequent_limit_is_inclusive);
	tcase_add_test(tc, document_shards_near_2k);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

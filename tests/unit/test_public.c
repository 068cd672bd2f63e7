/* test_public.c - the privacy boundary (public.h): a record file, and a
 * version of one, lose every "private" member at any depth and their
 * "$schema", and keep all else; content/'s texts and the names that
 * become URLs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "build.h"
#include "error.h"
#include "json.h"
#include "public.h"
#include "source.h"
#include "gitrepo.h"
#include "unit.h"

/* "private" as a member at every depth: in the record, in an object in
 * an array, in an array in an array, in an object in an object; and as
 * words that must stay (a value, part of a name). */
static const char record_text[] =
	"{\n"
	"  \"$schema\": \"../../schema/organization.schema.json\",\n"
	"  \"id\": \"91110000000000000X\",\n"
	"  \"name\": \"测试公司\",\n"
	"  \"private\": { \"phone\": \"13800000000\" },\n"
	"  \"contacts\": [ { \"role\": \"private\", \"private\": \"secret-1\" },\n"
	"                [ { \"private\": \"secret-2\", \"kept\": 3 } ] ],\n"
	"  \"notes\": { \"private\": { \"deep\": \"secret-3\" },\n"
	"             \"inner\": { \"private\": [\"secret-4\"], \"z\": 2 } },\n"
	"  \"private_note\": \"not a private member\"\n"
	"}\n";

static char cwd[1024];
static struct source src;
static struct site S;

static void setup(void)
{
	struct source init = SOURCE_INIT;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	tmp_make("public");
	ck_assert_int_eq(source_global_init(), 0);
	tmp_write("repo/data/organizations/91110000000000000X.json", record_text);
	tmp_write("repo/content/pages/about-us.md", "# 关于\n\n正文\n");
	tmp_sh("cd repo && git init -q -b main");
	tmp_commit("repo", "2024-12-30T10:00:00+08:00", "record");
	src = init;
	ck_assert_int_eq(source_open_commit(&src, tmp_path("repo"), "HEAD"), 0);
	memset(&S, 0, sizeof(S));
	S.src = &src;
	error_clear();
}

static void teardown(void)
{
	buf_release(&S.scratch);
	source_release(&src);
	source_global_shutdown();
	tmp_remove();
}

/* Whether any object within v has a member "private", and whether any
 * string within it holds "secret". */
static bool has_private(const cJSON *v)
{
	const cJSON *c;

	if (cJSON_IsString(v) && strstr(v->valuestring, "secret"))
		return true;
	for (c = v->child; c; c = c->next) {
		if (cJSON_IsObject(v) && c->string && !strcmp(c->string, "private"))
			return true;
		if (has_private(c))
			return true;
	}
	return false;
}

static void check_public(const cJSON *root)
{
	const cJSON *contacts, *inner;

	ck_assert_ptr_nonnull(root);
	ck_assert(!has_private(root));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(root, "$schema"));
	ck_assert_str_eq(json_get_string(root, "name"), "测试公司");
	ck_assert_str_eq(json_get_string(root, "private_note"), "not a private member");
	contacts = cJSON_GetObjectItemCaseSensitive(root, "contacts");
	ck_assert_int_eq(cJSON_GetArraySize(contacts), 2);
	ck_assert_str_eq(json_get_string(cJSON_GetArrayItem(contacts, 0), "role"), "private");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetArrayItem(contacts, 1)), 1);
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetArrayItem(contacts, 1), 0),
								"kept"));
	inner = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "notes"), "inner");
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(inner, "z"));
	ck_assert_int_eq(cJSON_GetArraySize(inner), 1);
}

START_TEST(test_load_public)
{
	struct json_doc doc = JSON_DOC_INIT;

	ck_assert_int_eq(load_public(&S, "data/organizations/91110000000000000X.json", &doc), 0);
	check_public(doc.root);
	json_doc_release(&doc);
	/* kept: the very bytes the record was loaded from, parsed again by
	 * another path */
	ck_assert_int_eq(source_keep(&src), 0);
	ck_assert_int_eq(load_public(&S, "data/organizations/91110000000000000X.json", &doc), 0);
	check_public(doc.root);
	json_doc_release(&doc);
	ck_assert_int_lt(load_public(&S, "data/organizations/none.json", &doc), 0);
	json_doc_release(&doc);
	error_clear();
}
END_TEST

START_TEST(test_load_version)
{
	struct json_doc doc = JSON_DOC_INIT;
	const char *hex = tmp_out("cd repo && git rev-parse HEAD:data/organizations/91110000000000000X.json");
	unsigned char oid[20];
	unsigned int byte;
	int i;

	ck_assert_uint_eq(strlen(hex), 40);
	for (i = 0; i < 20; i++) {
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &byte), 1);
		oid[i] = (unsigned char)byte;
	}
	ck_assert_int_eq(load_version(&S, oid, &doc), 0);
	check_public(doc.root);
	json_doc_release(&doc);
}
END_TEST

START_TEST(test_load_content)
{
	struct buf text = BUF_INIT;
	char *big;

	ck_assert_int_eq(load_content(&S, "content/pages/about-us.md", &text), 0);
	ck_assert_str_eq(buf_cstr(&text), "# 关于\n\n正文\n");
	ck_assert_int_eq(load_content(&S, "content/pages/none.md", &text), 1);
	ck_assert_uint_eq(text.len, 0);
	buf_release(&text);
	/* larger than a Markdown file may be */
	source_release(&src);
	big = malloc(SITE_MARKDOWN_MAX + 2);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', SITE_MARKDOWN_MAX + 1);
	big[SITE_MARKDOWN_MAX + 1] = '\0';
	tmp_write("repo/content/pages/big.md", big);
	free(big);
	tmp_commit("repo", "2024-12-31T10:00:00+08:00", "big");
	ck_assert_int_eq(source_open_commit(&src, tmp_path("repo"), "HEAD"), 0);
	ck_assert_int_eq(load_content(&S, "content/pages/big.md", &text), ERR_LIMIT);
	error_clear();
	buf_release(&text);
}
END_TEST

START_TEST(test_content_slug)
{
	char slug[64];

	ck_assert(content_slug("content/pages/about-us.md", slug, sizeof(slug)));
	ck_assert_str_eq(slug, "about-us");
	ck_assert(content_slug("content/announcements/2024-notice-1.md", slug, sizeof(slug)));
	ck_assert_str_eq(slug, "2024-notice-1");
	/* names that are no URL's: upper case, other characters, folders */
	ck_assert(!content_slug("content/pages/About.md", slug, sizeof(slug)));
	ck_assert(!content_slug("content/pages/关于.md", slug, sizeof(slug)));
	ck_assert(!content_slug("content/pages/a b.md", slug, sizeof(slug)));
	ck_assert(!content_slug("content/pages/sub/page.md", slug, sizeof(slug)));
	ck_assert(!content_slug("content/pages/.md", slug, sizeof(slug)));
	ck_assert(!content_slug("content/pages/page.txt", slug, sizeof(slug)));
	ck_assert(!content_slug("content/other/page.md", slug, sizeof(slug)));
	/* too long for slug: not cut into another name */
	ck_assert(!content_slug("content/pages/a-very-long-name.md", slug, 8));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("public");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_load_public);
	tcase_add_test(tc, test_load_version);
	tcase_add_test(tc, test_load_content);
	tcase_add_test(tc, test_content_slug);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

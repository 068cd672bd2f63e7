/* test_ctx.c - the helpers that build pages' contexts (ctx.h): a member
 * lost to a failed allocation fails the next ctx_check(), once; dates,
 * links and titles as pages show them; a page's stamp moves only to a
 * newer commit, and travels through a list's row. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "build.h"
#include "ctx.h"
#include "error.h"
#include "unit.h"

static bool fail_all;

static void *failing_malloc(size_t n)
{
	return fail_all ? NULL : malloc(n);
}

START_TEST(test_nomem)
{
	cJSON_Hooks hooks = { failing_malloc, free };
	cJSON *o = cJSON_CreateObject();

	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(ctx_check(), 0);
	put_str(o, "k", NULL); /* nothing to add: no failure */
	ck_assert_int_eq(ctx_check(), 0);
	cJSON_InitHooks(&hooks);
	fail_all = true;
	put_str(o, "k", "v");
	fail_all = false;
	cJSON_InitHooks(NULL);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(o, "k"));
	ck_assert_int_eq(ctx_check(), ERR_NOMEM);
	error_clear();
	ck_assert_int_eq(ctx_check(), 0); /* told once */
	/* an item that could not be made */
	ck_assert_ptr_null(put_item(o, "x", NULL, false));
	ck_assert_int_eq(ctx_check(), ERR_NOMEM);
	error_clear();
	ck_assert_ptr_nonnull(add_obj(o, "obj"));
	ck_assert_ptr_nonnull(push_obj(add_arr(o, "arr")));
	put_num(o, "n", 2);
	put_bool(o, "b", true);
	ck_assert_int_eq(ctx_check(), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(o, "arr")), 1);
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_words)
{
	cJSON *o = cJSON_CreateObject();
	char out[MAX_URL], title[16];
	date_t t;

	ck_assert_int_eq(date_parse("2024-03-05", &t), 0);
	put_date(o, "issued", t);
	put_date(o, "end", DATE_NONE);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "issued")->valuestring, "2024-03-05");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "issued_zh")->valuestring, "2024年3月5日");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(o, "end"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(o, "end_zh"));
	ck_assert_str_eq(fmt_iso(out, t), "2024-03-05");
	ck_assert_str_eq(href(out, "notices", "n-1"), "notices/n-1/index.html");
	md_title("## 关于我们\n正文", title, sizeof(title));
	ck_assert_str_eq(title, "关于我们");
	md_title("no heading", title, sizeof(title));
	ck_assert_str_eq(title, "no heading");
	ck_assert_int_eq(ctx_check(), 0);
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_stamp)
{
	struct site S;
	cJSON *row = cJSON_CreateObject(), *o = cJSON_CreateObject();

	memset(&S, 0, sizeof(S));
	stamp_reset(&S);
	ck_assert_uint_eq(S.stamp, SIZE_MAX);
	/* commits are newest first: a stamp only moves to a smaller index */
	stamp_commit(&S, 7);
	stamp_commit(&S, 9);
	ck_assert_uint_eq(S.stamp, 7);
	stamp_commit(&S, 3);
	ck_assert_uint_eq(S.stamp, 3);
	row_put_stamp(&S, row);
	ck_assert_uint_eq(row_stamp(row), 3);
	ck_assert_int_eq(cJSON_GetArraySize(row), 0); /* taken off the row */
	ck_assert_uint_eq(row_stamp(row), SIZE_MAX);
	stamp_reset(&S);
	row_put_stamp(&S, row);
	ck_assert_int_eq(cJSON_GetArraySize(row), 0);
	/* without a history, a link stamps nothing */
	put_href(&S, o, "href", "rounds", "r1");
	put_href(&S, o, "none", "rounds", NULL);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "href")->valuestring, "rounds/r1/index.html");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(o, "none"));
	ck_assert_uint_eq(S.stamp, SIZE_MAX);
	ck_assert_int_eq(ctx_check(), 0);
	cJSON_Delete(row);
	cJSON_Delete(o);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ctx");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_nomem);
	tcase_add_test(tc, test_words);
	tcase_add_test(tc, test_stamp);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

/* test_schema.c - the record's JSON Schemas, interpreted (generator/schema.c).
 *
 * Documents are built here and parsed with json_parse, so every
 * diagnostic's position is asserted against text we can see.  The
 * fixture records must validate clean.  Run from the repository root
 * (tests/run.sh does). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "json.h"
#include "schema.h"
#include "unit.h"

static struct schema_set *S;
static struct diags D;
static struct json_doc doc;
static struct buf text;

static void setup(void)
{
	memset(&D, 0, sizeof(D));
	doc = (struct json_doc)JSON_DOC_INIT;
	text = (struct buf)BUF_INIT;
	S = NULL;
	ck_assert_int_eq(schema_set_load(&S), 0);
	ck_assert_ptr_nonnull(S);
}

static void teardown(void)
{
	json_doc_release(&doc);
	diags_release(&D);
	buf_release(&text);
	schema_set_free(S);
}

/* Validates t against schema; returns the count, which must equal the
 * diagnostics added. */
static int run(const char *schema, const char *t)
{
	int n;

	json_doc_release(&doc);
	diags_release(&D);
	ck_assert_msg(json_parse(&doc, "data/x.json", t, strlen(t), &D) == 0, "test document is not JSON: %s", t);
	n = schema_validate(S, schema, &doc, "data/x.json", &D);
	ck_assert_int_ge(n, 0);
	ck_assert_uint_eq((size_t)n, D.n);
	return n;
}

static void expect(size_t i, const char *rule, uint32_t line, uint32_t col, const char *msg)
{
	const struct diag *g;

	ck_assert_msg(i < D.n, "only %zu diagnostics, want #%zu: %s", D.n, i, msg);
	g = &D.v[i];
	ck_assert_str_eq(g->path, "data/x.json");
	ck_assert_int_eq(g->level, DIAG_ERROR);
	ck_assert_str_eq(g->rule, rule);
	ck_assert_str_eq(g->msg, msg);
	ck_assert_msg(g->line == line && g->col == col, "\"%s\" at %u:%u, want %u:%u", msg, g->line, g->col,
		      line, col);
}

static void only(const char *rule, uint32_t line, uint32_t col, const char *msg)
{
	ck_assert_msg(D.n == 1, "%zu diagnostics (first: %s), want 1: %s", D.n, D.n ? D.v[0].msg : "", msg);
	expect(0, rule, line, col, msg);
}

/* A valid notice, one member a line from line 2, value at column
 * strlen(key) + 7.  notice(key, value) replaces that member's value (NULL
 * removes it; a key not in it is added last, on line 11). */
static const char *const base[][2] = {
	{ "id", "\"lhasa-2024-proposed\"" },
	{ "kind", "\"proposed_winners\"" },
	{ "round", "\"lhasa-2024\"" },
	{ "title", "\"公示\"" },
	{ "issuer", "\"办公室\"" },
	{ "issued", "\"2024-11-14\"" },
	{ "period", "{\"start\": \"2024-11-14\", \"end\": \"2024-11-23\"}" },
	{ "body", "\"正文\"" },
	{ "entries", "[{\"application\": \"lhasa-2024-a\", \"tier\": \"award\"}]" },
};

static const char *notice2(const char *k1, const char *v1, const char *k2, const char *v2)
{
	size_t i, n = sizeof(base) / sizeof(*base);
	int first = 1, found1 = 0, found2 = 0;

	buf_clear(&text);
	buf_puts(&text, "{");
	for (i = 0; i < n; i++) {
		const char *v = base[i][1];
		if (k1 && !strcmp(base[i][0], k1)) {
			v = v1;
			found1 = 1;
		} else if (k2 && !strcmp(base[i][0], k2)) {
			v = v2;
			found2 = 1;
		}
		if (!v)
			continue;
		buf_printf(&text, "%s\n  \"%s\": %s", first ? "" : ",", base[i][0], v);
		first = 0;
	}
	if (k1 && !found1 && v1)
		buf_printf(&text, ",\n  \"%s\": %s", k1, v1);
	if (k2 && !found2 && v2)
		buf_printf(&text, ",\n  \"%s\": %s", k2, v2);
	buf_puts(&text, "\n}");
	return buf_cstr(&text);
}

static const char *notice(const char *key, const char *value)
{
	return notice2(key, value, NULL, NULL);
}

#define COL(key) ((uint32_t)strlen(key) + 7)

START_TEST(load_and_names)
{
	ck_assert(schema_set_has(S, "notice.schema.json"));
	ck_assert(schema_set_has(S, "common.schema.json"));
	ck_assert(schema_set_has(S, "program.schema.json"));
	ck_assert(schema_set_has(S, "site.schema.json"));
	ck_assert(!schema_set_has(S, "nope.schema.json"));
	ck_assert(!schema_set_has(S, "notice.schema"));
	ck_assert(!schema_set_has(S, ""));
	ck_assert_int_eq(run("notice.schema.json", notice(NULL, NULL)), 0);
	ck_assert_int_eq(schema_validate(S, "nope.schema.json", &doc, "data/x.json", &D), ERR_INVALID);
	ck_assert_uint_eq(D.n, 0);
	/* a second set is independent */
	{
		struct schema_set *t = NULL;
		ck_assert_int_eq(schema_set_load(&t), 0);
		schema_set_free(t);
		schema_set_free(NULL);
	}
}
END_TEST

START_TEST(required)
{
	ck_assert_int_eq(run("notice.schema.json", notice("title", NULL)), 1);
	only("schema-required", 1, 1, "missing required field \"title\"");
	/* each missing field, in the schema's order */
	ck_assert_int_eq(run("notice.schema.json", notice2("entries", NULL, "id", NULL)), 2);
	expect(0, "schema-required", 1, 1, "missing required field \"id\"");
	expect(1, "schema-required", 1, 1, "missing required field \"entries\"");
	/* nested: at the object that lacks it */
	run("notice.schema.json", notice("period", "{\"start\": \"2024-11-14\"}"));
	only("schema-required", 8, COL("period"), "\"period\" is missing required field \"end\"");
	run("notice.schema.json", notice("entries", "[{\"tier\": \"award\"}]"));
	only("schema-required", 10, COL("entries") + 1, "\"entries[0]\" is missing required field \"application\"");
	run("notice.schema.json", "{}");
	ck_assert_uint_eq(D.n, 8);
	expect(7, "schema-required", 1, 1, "missing required field \"entries\"");
}
END_TEST

START_TEST(unknown_keys)
{
	run("notice.schema.json", notice("titel", "\"x\""));
	only("schema-unknown-key", 11, 3, "unknown field \"titel\"; did you mean \"title\"?");
	run("notice.schema.json", notice("Body", "\"x\""));
	only("schema-unknown-key", 11, 3, "unknown field \"Body\"; did you mean \"body\"?");
	run("notice.schema.json", notice("zzzzzzzz", "1"));
	only("schema-unknown-key", 11, 3, "unknown field \"zzzzzzzz\"");
	/* a short key is suggested nothing farther than its own length */
	run("notice.schema.json", notice("x", "1"));
	only("schema-unknown-key", 11, 3, "unknown field \"x\"");
	/* inside an object, and inside an array's items */
	run("notice.schema.json", notice("period", "{\"start\": \"2024-11-14\", \"ende\": \"2024-11-23\"}"));
	ck_assert_uint_eq(D.n, 2);
	expect(0, "schema-required", 8, 13, "\"period\" is missing required field \"end\"");
	expect(1, "schema-unknown-key", 8, 37, "unknown field \"ende\" in \"period\"; did you mean \"end\"?");
	run("notice.schema.json", notice("entries", "[{\"application\": \"lhasa-2024-a\", \"tierr\": \"award\"}]"));
	only("schema-unknown-key", 10, 47, "unknown field \"tierr\" in \"entries[0]\"; did you mean \"tier\"?");
	/* a key that is not printable is quoted safely */
	run("notice.schema.json", notice("a\\nb", "1"));
	only("schema-unknown-key", 11, 3, "unknown field \"a\\x0Ab\"");
}
END_TEST

START_TEST(enums)
{
	run("notice.schema.json", notice("kind", "\"proposed\""));
	only("schema-enum", 3, COL("kind"),
	     "\"kind\" must be one of county_list, acceptance_list, proposed_winners, result, revocation; "
	     "found \"proposed\"");
	run("notice.schema.json", notice("kind", "5"));
	only("schema-enum", 3, COL("kind"),
	     "\"kind\" must be one of county_list, acceptance_list, proposed_winners, result, revocation; "
	     "found a number");
	run("notice.schema.json", notice("kind", "null"));
	only("schema-enum", 3, COL("kind"),
	     "\"kind\" must be one of county_list, acceptance_list, proposed_winners, result, revocation; "
	     "found null");
	/* case matters */
	run("notice.schema.json", notice("kind", "\"Result\""));
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "schema-enum");
	ck_assert_int_eq(run("notice.schema.json", notice("kind", "\"revocation\"")), 0);
}
END_TEST

START_TEST(patterns)
{
	static const char id_form[] =
		"which is not of the expected form (A record id: lower-case ASCII letters, digits and "
		"single hyphens; the file is named <id>.json.)";
	static const char *const bad_ids[] = {
		"../x", "Lhasa", "a--b", "-a", "a-", "a b", "a/b", "a.json", "拉萨", "", "a_b",
	};
	char want[512];
	size_t i;

	run("notice.schema.json", notice("id", "\"../x\""));
	snprintf(want, sizeof(want), "\"id\" is \"../x\", %s", id_form);
	only("schema-pattern", 2, COL("id"), want);
	for (i = 0; i < sizeof(bad_ids) / sizeof(*bad_ids); i++) {
		char v[64];
		snprintf(v, sizeof(v), "\"%s\"", bad_ids[i]);
		run("notice.schema.json", notice("round", v));
		ck_assert_msg(D.n == 1 && !strcmp(D.v[0].rule, "schema-pattern"), "round %s: %zu diagnostics",
			      v, D.n);
	}
	ck_assert_int_eq(run("notice.schema.json", notice("round", "\"a-1-b2\"")), 0);
	/* a date of the wrong form is a pattern error, not a date error */
	run("notice.schema.json", notice("issued", "\"2024-1-1\""));
	only("schema-pattern", 7, COL("issued"),
	     "\"issued\" is \"2024-1-1\", which is not of the expected form (A calendar date, YYYY-MM-DD "
	     "(China Standard Time), between 1900 and 2199.)");
	/* the quoted value is cut after 60 characters */
	run("notice.schema.json", notice("round", "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\""));
	ck_assert_uint_eq(D.n, 1);
	ck_assert_ptr_nonnull(strstr(D.v[0].msg, "\"round\" is \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…\", "));
}
END_TEST

START_TEST(dates)
{
	run("notice.schema.json", notice("issued", "\"2023-02-30\""));
	only("date-invalid", 7, COL("issued"), "\"issued\" is 2023-02-30, which is not a real calendar date");
	run("notice.schema.json", notice("issued", "\"2023-02-29\""));
	only("date-invalid", 7, COL("issued"), "\"issued\" is 2023-02-29, which is not a real calendar date");
	ck_assert_int_eq(run("notice.schema.json", notice("issued", "\"2024-02-29\"")), 0);
	run("notice.schema.json", notice("issued", "\"2024-00-10\""));
	only("date-invalid", 7, COL("issued"), "\"issued\" is 2024-00-10, which is not a real calendar date");
	/* through two $refs: notice → common period → common date */
	run("notice.schema.json", notice("period", "{\"start\": \"2024-13-01\", \"end\": \"2024-11-23\"}"));
	only("date-invalid", 8, 23, "\"period.start\" is 2024-13-01, which is not a real calendar date");
	run("notice.schema.json", notice("period", "{\"start\": \"2024-11-14\", \"end\": 20241123}"));
	only("schema-type", 8, 44, "\"period.end\" must be a string, not a number");
}
END_TEST

START_TEST(lengths)
{
	struct buf big = BUF_INIT;
	int i;

	run("notice.schema.json", notice("title", "\"\""));
	only("schema-length", 5, COL("title"), "\"title\" must not be empty");
	buf_putc(&big, '"');
	for (i = 0; i < 2000; i++)
		buf_puts(&big, "字");
	buf_putc(&big, '"');
	ck_assert_int_eq(run("notice.schema.json", notice("title", big.ptr)), 0);
	big.len--;
	buf_puts(&big, "多\"");
	run("notice.schema.json", notice("title", big.ptr));
	only("schema-length", 5, COL("title"), "\"title\" is 2001 characters long; at most 2000 allowed");
	buf_clear(&big);
	buf_putc(&big, '"');
	for (i = 0; i < 65; i++)
		buf_putc(&big, 'a');
	buf_putc(&big, '"');
	run("notice.schema.json", notice("id", big.ptr));
	only("schema-length", 2, COL("id"), "\"id\" is 65 characters long; at most 64 allowed");
	big.len -= 2;
	buf_putc(&big, '"');
	ck_assert_int_eq(run("notice.schema.json", notice("id", big.ptr)), 0);
	buf_release(&big);
}
END_TEST

START_TEST(ecma_dot)
{
	static const char form[] =
		"which is not of the expected form (An official document number with 〔〕 around the year, "
		"e.g. 兰政发〔2023〕32号.)";
	char want[512];

	ck_assert_int_eq(run("notice.schema.json", notice("document_number", "\"兰政发〔2023〕32号\"")), 0);
	ck_assert_int_eq(run("notice.schema.json", notice("document_number", "\"x.y〔2023〕1号\"")), 0);
	/* "." matches no line terminator, as in ECMA-262 */
	run("notice.schema.json", notice("document_number", "\"兰政发\\n〔2023〕32号\""));
	snprintf(want, sizeof(want), "\"document_number\" is \"兰政发\\x0A〔2023〕32号\", %s", form);
	only("schema-pattern", 11, COL("document_number"), want);
	run("notice.schema.json", notice("document_number", "\"兰政发\\r〔2023〕32号\""));
	snprintf(want, sizeof(want), "\"document_number\" is \"兰政发\\x0D〔2023〕32号\", %s", form);
	only("schema-pattern", 11, COL("document_number"), want);
	run("notice.schema.json", notice("document_number", "\"兰政发\\u2028〔2023〕32号\""));
	only("schema-pattern", 11, COL("document_number"), (snprintf(want, sizeof(want),
		"\"document_number\" is \"兰政发\xe2\x80\xa8〔2023〕32号\", %s", form), want));
	run("notice.schema.json", notice("document_number", "\"\\u2029〔2023〕32号\""));
	ck_assert_uint_eq(D.n, 1);
	/* other characters beginning with the same byte are not line terminators */
	ck_assert_int_eq(run("notice.schema.json", notice("document_number", "\"\\u2027〔2023〕32号\"")), 0);
	ck_assert_int_eq(run("notice.schema.json", notice("document_number", "\"\\u202a〔2023〕32号\"")), 0);
	ck_assert_int_eq(run("notice.schema.json", notice("document_number", "\"\\t〔2023〕32号\"")), 0);
	/* ".+" needs one character */
	run("notice.schema.json", notice("document_number", "\"〔2023〕32号\""));
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "schema-pattern");
}
END_TEST

START_TEST(types)
{
	run("notice.schema.json", notice("entries", "{}"));
	only("schema-type", 10, COL("entries"), "\"entries\" must be an array, not an object");
	run("notice.schema.json", notice("title", "5"));
	only("schema-type", 5, COL("title"), "\"title\" must be a string, not a number");
	run("notice.schema.json", notice("title", "true"));
	only("schema-type", 5, COL("title"), "\"title\" must be a string, not a boolean");
	run("notice.schema.json", notice("period", "[]"));
	only("schema-type", 8, COL("period"), "\"period\" must be an object, not an array");
	run("notice.schema.json", "[]");
	only("schema-type", 1, 1, "\"(top level)\" must be an object, not an array");
	run("notice.schema.json", "null");
	only("schema-type", 1, 1, "\"(top level)\" must be an object, not null");
}
END_TEST

START_TEST(uscc)
{
	static const char org[] =
		"{\n  \"id\": \"%s\",\n  \"name\": \"拉萨宏晟路桥工程有限公司\",\n  \"kind\": \"enterprise\",\n"
		"  \"established\": \"2010-01-01\",\n  \"district\": \"城关区\"\n}";
	char t[512];

	snprintf(t, sizeof(t), org, "91540100396815475J");
	ck_assert_int_eq(run("organization.schema.json", t), 0);
	snprintf(t, sizeof(t), org, "91540100396815475K");
	run("organization.schema.json", t);
	only("uscc-check-digit", 2, 9,
	     "unified social credit code 91540100396815475K has check character 'K'; GB 32100-2015 gives "
	     "'J' for its first 17 characters");
	/* a character outside the code's set: the pattern says so, no check digit */
	snprintf(t, sizeof(t), org, "9154010039681547IJ");
	run("organization.schema.json", t);
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "schema-pattern");
	/* the same definition, referred to from another file */
	run("application.schema.json",
	    "{\"id\": \"lhasa-2024-a\", \"round\": \"lhasa-2024\", \"organization\": \"91540100396815475A\", "
	    "\"tier\": \"award\", \"submitted\": \"2024-05-13\", \"stages\": []}");
	only("uscc-check-digit", 1, 63,
	     "unified social credit code 91540100396815475A has check character 'A'; GB 32100-2015 gives "
	     "'J' for its first 17 characters");
}
END_TEST

START_TEST(ranges)
{
	static const char app[] =
		"{\"id\": \"lhasa-2024-a\", \"round\": \"lhasa-2024\", \"organization\": \"91540100396815475J\", "
		"\"tier\": \"award\", \"submitted\": \"2024-05-13\",\n"
		"\"stages\": [{\"stage\": \"material\", \"outcome\": \"passed\", \"date\": \"2024-06-11\", \"score\": %s}]}";
	char t[512];

	snprintf(t, sizeof(t), app, "1000");
	ck_assert_int_eq(run("application.schema.json", t), 0);
	snprintf(t, sizeof(t), app, "0");
	ck_assert_int_eq(run("application.schema.json", t), 0);
	snprintf(t, sizeof(t), app, "1000.5");
	run("application.schema.json", t);
	only("schema-range", 2, 86, "\"stages[0].score\" is 1000.5; it must be at most 1000");
	snprintf(t, sizeof(t), app, "-0.25");
	run("application.schema.json", t);
	only("schema-range", 2, 86, "\"stages[0].score\" is -0.25; it must be at least 0");
	snprintf(t, sizeof(t), app, "\"90\"");
	run("application.schema.json", t);
	only("schema-type", 2, 86, "\"stages[0].score\" must be a number, not a string");
	/* integers: round years */
	run("round.schema.json", "{\"id\": \"r\", \"program\": \"p\", \"name\": \"n\", \"year\": 1989}");
	ck_assert_uint_eq(D.n, 2);
	expect(0, "schema-required", 1, 1, "missing required field \"applications\"");
	expect(1, "schema-range", 1, 50, "\"year\" is 1989; it must be at least 1990");
}
END_TEST

/* A fixture file, read whole into out. */
static int slurp(const char *path, struct buf *out)
{
	char chunk[4096];
	size_t got;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	buf_clear(out);
	buf_puts(out, "");
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(out, chunk, got);
	fclose(f);
	return 0;
}

#define FIXTURE "tests/fixtures/small/data"

/* A fixture file with one member set to a value (JSON text), printed
 * again (positions are then of the printed text). */
static void fixture_with(const char *file, const char *pointer, const char *value)
{
	struct buf raw = BUF_INIT;
	cJSON *root = NULL, *obj, *v = NULL;
	char path[256], seg[64], *p;
	const char *s, *last;
	char *printed;

	snprintf(path, sizeof(path), FIXTURE "/%s", file);
	ck_assert_msg(slurp(path, &raw) == 0, "%s: cannot read (run from the repository root)", path);
	ck_assert_int_eq(json_parse_trusted(raw.ptr, raw.len, &root), 0);
	ck_assert_ptr_nonnull(root);
	/* walk "a/b/c": all but the last must exist */
	obj = root;
	last = strrchr(pointer, '/');
	for (s = pointer; last && s < last;) {
		size_t n = strcspn(s, "/");
		snprintf(seg, sizeof(seg), "%.*s", (int)n, s);
		ck_assert_ptr_nonnull(obj = cJSON_GetObjectItemCaseSensitive(obj, seg));
		s += n + 1;
	}
	p = (char *)(last ? last + 1 : pointer);
	ck_assert_int_eq(json_parse_trusted(value, strlen(value), &v), 0);
	ck_assert_ptr_nonnull(v);
	if (cJSON_GetObjectItemCaseSensitive(obj, p))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, p, v);
	else
		cJSON_AddItemToObject(obj, p, v);
	printed = cJSON_Print(root);
	buf_clear(&raw);
	buf_puts(&raw, printed);
	free(printed);
	cJSON_Delete(root);
	buf_clear(&text);
	buf_puts(&text, raw.ptr);
	buf_release(&raw);
}

START_TEST(items_counts_and_integers)
{
	fixture_with("programs/lhasa.json", "procedure/stages", "[]");
	run("program.schema.json", buf_cstr(&text));
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "schema-items");
	ck_assert_str_eq(D.v[0].msg, "\"procedure.stages\" must have at least 1 item");
	fixture_with("programs/lhasa.json", "tiers",
		     "[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"b\",\"name\":\"B\"},{\"id\":\"c\",\"name\":\"C\"},"
		     "{\"id\":\"d\",\"name\":\"D\"},{\"id\":\"e\",\"name\":\"E\"},{\"id\":\"f\",\"name\":\"F\"},"
		     "{\"id\":\"g\",\"name\":\"G\"},{\"id\":\"h\",\"name\":\"H\"},{\"id\":\"i\",\"name\":\"I\"},"
		     "{\"id\":\"j\",\"name\":\"J\"},{\"id\":\"k\",\"name\":\"K\"}]");
	run("program.schema.json", buf_cstr(&text));
	ck_assert_uint_ge(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "schema-items");
	ck_assert_str_eq(D.v[0].msg, "\"tiers\" may have at most 10 items");
	fixture_with("rounds/lhasa-2024.json", "year", "1989");
	run("round.schema.json", buf_cstr(&text));
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "schema-range");
	ck_assert_str_eq(D.v[0].msg, "\"year\" is 1989; it must be at least 1990");
	fixture_with("rounds/lhasa-2024.json", "year", "2101");
	run("round.schema.json", buf_cstr(&text));
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].msg, "\"year\" is 2101; it must be at most 2100");
	fixture_with("rounds/lhasa-2024.json", "year", "2024.5");
	run("round.schema.json", buf_cstr(&text));
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "schema-type");
	ck_assert_str_eq(D.v[0].msg, "\"year\" must be an integer, not a number");
	fixture_with("rounds/lhasa-2024.json", "year", "2024.0");
	ck_assert_int_eq(run("round.schema.json", buf_cstr(&text)), 0);
	/* private parts are checked like the rest */
	fixture_with("objections/lanzhou-2023-baihe.json", "private/name", "\"\"");
	run("objection.schema.json", buf_cstr(&text));
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "schema-length");
	ck_assert_str_eq(D.v[0].msg, "\"private.name\" must not be empty");
	fixture_with("objections/lanzhou-2023-baihe.json", "private/nmae", "\"x\"");
	run("objection.schema.json", buf_cstr(&text));
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].msg, "unknown field \"nmae\" in \"private\"; did you mean \"name\"?");
}
END_TEST

START_TEST(many_problems_in_one_file)
{
	run("notice.schema.json",
	    "{\n  \"id\": \"X\",\n  \"kind\": \"nope\",\n  \"round\": \"r\",\n  \"title\": \"\",\n"
	    "  \"issuer\": 5,\n  \"issued\": \"2023-02-30\",\n  \"body\": \"b\",\n  \"entries\": [],\n"
	    "  \"extra\": 1\n}");
	ck_assert_uint_eq(D.n, 6);
	/* in document order: each member as it comes */
	expect(0, "schema-pattern", 2, 9,
	       "\"id\" is \"X\", which is not of the expected form (A record id: lower-case ASCII letters, digits "
	       "and single hyphens; the file is named <id>.json.)");
	ck_assert_str_eq(D.v[1].rule, "schema-enum");
	ck_assert_str_eq(D.v[2].rule, "schema-length");
	ck_assert_str_eq(D.v[3].rule, "schema-type");
	ck_assert_str_eq(D.v[4].rule, "date-invalid");
	expect(5, "schema-unknown-key", 10, 3, "unknown field \"extra\"");
}
END_TEST

static const char *schema_of(const char *dir)
{
	static const char *const map[][2] = {
		{ "programs", "program.schema.json" }, { "organizations", "organization.schema.json" },
		{ "rounds", "round.schema.json" }, { "applications", "application.schema.json" },
		{ "notices", "notice.schema.json" }, { "objections", "objection.schema.json" },
		{ "revocations", "revocation.schema.json" }, { "calendars", "calendar.schema.json" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(map[i][0], dir))
			return map[i][1];
	return NULL;
}

START_TEST(fixtures_validate)
{
	static const char *const roots[] = { "tests/fixtures/small/data", "tests/fixtures/base/data" };
	struct buf raw = BUF_INIT;
	size_t r;
	int files = 0;

	for (r = 0; r < 2; r++) {
		DIR *top = opendir(roots[r]);
		struct dirent *d;

		ck_assert_msg(top != NULL, "%s: missing (run from the repository root)", roots[r]);
		while ((d = readdir(top))) {
			const char *schema = schema_of(d->d_name);
			char dir[512];
			DIR *sub;
			struct dirent *f;

			if (!schema)
				continue;
			snprintf(dir, sizeof(dir), "%s/%s", roots[r], d->d_name);
			ck_assert_ptr_nonnull(sub = opendir(dir));
			while ((f = readdir(sub))) {
				char path[1024];
				if (!strstr(f->d_name, ".json"))
					continue;
				snprintf(path, sizeof(path), "%s/%s", dir, f->d_name);
				ck_assert_int_eq(slurp(path, &raw), 0);
				json_doc_release(&doc);
				diags_release(&D);
				ck_assert_int_eq(json_parse(&doc, path, raw.ptr, raw.len, &D), 0);
				ck_assert_msg(schema_validate(S, schema, &doc, path, &D) == 0, "%s: %s", path,
					      D.n ? D.v[0].msg : "");
				files++;
			}
			closedir(sub);
		}
		closedir(top);
	}
	ck_assert_int_ge(files, 42);
	buf_release(&raw);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, load_and_names);
	tcase_add_test(tc, required);
	tcase_add_test(tc, unknown_keys);
	tcase_add_test(tc, enums);
	tcase_add_test(tc, patterns);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, lengths);
	tcase_add_test(tc, ecma_dot);
	tcase_add_test(tc, types);
	tcase_add_test(tc, uscc);
	tcase_add_test(tc, ranges);
	tcase_add_test(tc, items_counts_and_integers);
	tcase_add_test(tc, many_problems_in_one_file);
	tcase_add_test(tc, fixtures_validate);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

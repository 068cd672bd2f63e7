/* test_json.c - strict JSON parsing, diagnostics and positions. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "json.h"
#include "unit.h"

static struct diags D;
static struct json_doc doc;

static void setup(void)
{
	memset(&D, 0, sizeof(D));
	doc = (struct json_doc)JSON_DOC_INIT;
}

static void teardown(void)
{
	json_doc_release(&doc);
	diags_release(&D);
}

static int parse_n(const char *text, size_t len)
{
	json_doc_release(&doc);
	diags_release(&D);
	return json_parse(&doc, "r/x.json", text, len, &D);
}

static int parse(const char *text)
{
	return parse_n(text, strlen(text));
}

#define ck_pos(p, l, c)                                               \
	do {                                                          \
		struct json_pos p_ = (p);                             \
		ck_assert_uint_eq(p_.line, (l));                      \
		ck_assert_uint_eq(p_.col, (c));                       \
	} while (0)

/* Byte offset of pos in text, by the rules the module promises:
 * "\n" breaks a line ("\r\n" thereby too), columns count code points. */
static size_t offset_of(const char *text, size_t len, struct json_pos pos)
{
	uint32_t line = 1, col = 1;
	size_t i;

	for (i = 0; i < len; i++) {
		if (line == pos.line && col == pos.col)
			return i;
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	return SIZE_MAX;
}

/* Every node's value position must point at a character that starts a
 * value of its type, and its key position at a quote if a member. */
static void check_positions(const cJSON *n, const char *text, size_t len)
{
	for (; n; n = n->next) {
		size_t v = offset_of(text, len, json_value_pos(&doc, n));
		size_t k = offset_of(text, len, json_key_pos(&doc, n));
		const char *want = cJSON_IsObject(n) ? "{" :
				   cJSON_IsArray(n) ? "[" :
				   cJSON_IsString(n) ? "\"" :
				   cJSON_IsNumber(n) ? "-0123456789" :
				   cJSON_IsBool(n) ? "tf" : "n";

		ck_assert_uint_lt(v, len);
		ck_assert_ptr_nonnull(strchr(want, text[v]));
		ck_assert_uint_lt(k, len);
		if (n->string) {
			ck_assert_int_eq(text[k], '"');
			ck_assert_uint_lt(k, v);
		} else {
			ck_assert_uint_eq(k, v);
		}
		check_positions(n->child, text, len);
	}
}

/* ---- diagnostics, one case per rule and message ---- */

struct bad {
	const char *text;
	size_t len;             /* 0: strlen(text) */
	const char *rule;
	uint32_t line, col;
	const char *msg;
};

static const struct bad bad[] = {
	/* encoding */
	{ "{\"a\":\0}", 7, "nul-byte", 1, 6, "NUL byte in file" },
	{ "{\"名字\":\n \"值\0\"}", 19, "nul-byte", 2, 4,
	  "NUL byte in file" },
	{ "[\"\xFF\"]", 0, "utf8", 1, 3, "invalid UTF-8 byte 0xFF" },
	{ "[\"中\xE4\xB8\"]", 0, "utf8", 1, 4, "invalid UTF-8 byte 0xE4" },
	{ "[\"中\xE4\xB8", 0, "utf8", 1, 4, "invalid UTF-8 byte 0xE4" },
	{ "[\"\xE4\xB8" "a\"]", 0, "utf8", 1, 3, "invalid UTF-8 byte 0xE4" },
	{ "[\"\x80\"]", 0, "utf8", 1, 3, "invalid UTF-8 byte 0x80" },
	{ "[\"\xC0\xAF\"]", 0, "utf8", 1, 3, "invalid UTF-8 byte 0xC0" },
	{ "[\"\xC1\xBF\"]", 0, "utf8", 1, 3, "invalid UTF-8 byte 0xC1" },
	{ "[\"\xE0\x80\xAF\"]", 0, "utf8", 1, 3, "invalid UTF-8 byte 0xE0" },
	{ "[\"\xF0\x80\x80\xAF\"]", 0, "utf8", 1, 3,
	  "invalid UTF-8 byte 0xF0" },
	{ "[\"\xED\xA0\x80\"]", 0, "utf8", 1, 3, "invalid UTF-8 byte 0xED" },
	{ "[\"\xED\xBF\xBF\"]", 0, "utf8", 1, 3, "invalid UTF-8 byte 0xED" },
	{ "[\"\xF4\x90\x80\x80\"]", 0, "utf8", 1, 3,
	  "invalid UTF-8 byte 0xF4" },
	{ "[\"\xF5\x80\x80\x80\"]", 0, "utf8", 1, 3,
	  "invalid UTF-8 byte 0xF5" },
	/* an encoding error is told even after a syntax error */
	{ "x\n\"\xFE\"", 0, "utf8", 2, 2, "invalid UTF-8 byte 0xFE" },
	/* structure */
	{ "", 0, "json-syntax", 1, 1, "empty file" },
	{ " \r\n\t ", 0, "json-syntax", 1, 1, "empty file" },
	{ "[", 0, "json-syntax", 1, 2, "unexpected end of file" },
	{ "{\"a\":1", 0, "json-syntax", 1, 7, "unexpected end of file" },
	{ "{\"a\"", 0, "json-syntax", 1, 5, "unexpected end of file" },
	{ "{\"a\":", 0, "json-syntax", 1, 6, "unexpected end of file" },
	{ "{\"a\":1,", 0, "json-syntax", 1, 8, "unexpected end of file" },
	{ "{\"a\" 1}", 0, "json-syntax", 1, 6, "expected ':' after key" },
	{ "{\"a\":1 \"b\":2}", 0, "json-syntax", 1, 8,
	  "expected ',' or '}' after object member" },
	{ "[1 2]", 0, "json-syntax", 1, 4,
	  "expected ',' or ']' after array element" },
	{ "{1:2}", 0, "json-syntax", 1, 2, "expected a string key, not '1'" },
	{ "{'a':2}", 0, "json-syntax", 1, 2,
	  "expected a string key, not '''" },
	{ "{\"a\":1,}", 0, "json-syntax", 1, 7, "trailing comma before '}'" },
	{ "[1,\n  ]", 0, "json-syntax", 1, 3, "trailing comma before ']'" },
	{ "[,1]", 0, "json-syntax", 1, 2, "unexpected character ','" },
	{ "{\"a\":}", 0, "json-syntax", 1, 6, "unexpected character '}'" },
	{ "{\"键\":x}", 0, "json-syntax", 1, 6, "invalid literal 'x'" },
	{ "[中]", 0, "json-syntax", 1, 2, "unexpected character '中'" },
	{ "[\x01]", 0, "json-syntax", 1, 2, "unexpected character U+0001" },
	{ "{} x", 0, "json-syntax", 1, 4,
	  "unexpected text after the JSON value" },
	{ "{}{}", 0, "json-syntax", 1, 3,
	  "unexpected text after the JSON value" },
	{ "1 2", 0, "json-syntax", 1, 3,
	  "unexpected text after the JSON value" },
	/* literals */
	{ "[tru]", 0, "json-syntax", 1, 2, "invalid literal 'tru'" },
	{ "[True]", 0, "json-syntax", 1, 2, "invalid literal 'True'" },
	{ "[nulll]", 0, "json-syntax", 1, 2, "invalid literal 'nulll'" },
	{ "[NaN]", 0, "json-syntax", 1, 2, "invalid literal 'NaN'" },
	{ "[Infinity]", 0, "json-syntax", 1, 2, "invalid literal 'Infinity'" },
	{ "[abcdefghijklmnopqrstuvwxyz]", 0, "json-syntax", 1, 2,
	  "invalid literal 'abcdefghijklmnopqrst'..." },
	{ "[fals", 0, "json-syntax", 1, 2, "invalid literal 'fals'" },
	/* numbers */
	{ "[01]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "[-01]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "[+1]", 0, "json-syntax", 1, 2, "unexpected character '+'" },
	{ "[.5]", 0, "json-syntax", 1, 2, "unexpected character '.'" },
	{ "[1.]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "[1.e5]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "[1e]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "[1e+]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "[0x1F]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "[1.5.2]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "[-]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "[-Infinity]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "[1-2]", 0, "json-syntax", 1, 2, "invalid number" },
	{ "{\"价格\": 12abc}", 0, "json-syntax", 1, 8, "invalid number" },
	{ "-", 0, "json-syntax", 1, 1, "invalid number" },
	/* strings */
	{ "\"abc", 0, "json-syntax", 1, 1, "unterminated string" },
	{ "[\"abc\\", 0, "json-syntax", 1, 2, "unterminated string" },
	{ "{\"名字\": \"张\t三\"}", 0, "json-syntax", 1, 10,
	  "control character in string; escape it" },
	{ "[\"a\nb\"]", 0, "json-syntax", 1, 4,
	  "control character in string; escape it" },
	{ "[\"a\\\nb\"]", 0, "json-syntax", 1, 5,
	  "control character in string; escape it" },
	{ "[\"中\\q\"]", 0, "json-syntax", 1, 4, "invalid escape '\\q'" },
	{ "[\"\\中\"]", 0, "json-syntax", 1, 3, "invalid escape '\\中'" },
	{ "[\"\\\x7F\"]", 0, "json-syntax", 1, 3,
	  "invalid escape '\\' before U+007F" },
	{ "[\"\\U0041\"]", 0, "json-syntax", 1, 3, "invalid escape '\\U'" },
	{ "[\"\\u12G4\"]", 0, "json-syntax", 1, 3, "invalid \\u escape" },
	{ "[\"\\u12\"]", 0, "json-syntax", 1, 3, "invalid \\u escape" },
	{ "[\"\\u12", 0, "json-syntax", 1, 3, "invalid \\u escape" },
	{ "[\"\\u0000\"]", 0, "json-syntax", 1, 3, "\\u0000 in string" },
	{ "{\"a\\u0000\":1}", 0, "json-syntax", 1, 4, "\\u0000 in string" },
	{ "[\"\\ud800\"]", 0, "json-syntax", 1, 3,
	  "lone surrogate \\uD800 in string" },
	{ "[\"\\uDBFF\\u0041\"]", 0, "json-syntax", 1, 3,
	  "lone surrogate \\uDBFF in string" },
	{ "[\"\\uD83D\\uD83D\"]", 0, "json-syntax", 1, 3,
	  "lone surrogate \\uD83D in string" },
	{ "[\"x\\uDC00\"]", 0, "json-syntax", 1, 4,
	  "lone surrogate \\uDC00 in string" },
	{ "[\"\\uD83D\\u", 0, "json-syntax", 1, 3,
	  "lone surrogate \\uD83D in string" },
	/* a surrogate pair counts six columns each, like other ASCII */
	{ "[\"\\ud83d\\ude00\\q\"]", 0, "json-syntax", 1, 15,
	  "invalid escape '\\q'" },
	/* line breaks: CRLF is one, a lone CR none */
	{ "{\r\n  \"a\": x\r\n}", 0, "json-syntax", 2, 8,
	  "invalid literal 'x'" },
	{ "{\r\"a\": x}", 0, "json-syntax", 1, 8, "invalid literal 'x'" },
	{ "[\n\n\r\n  1,\n\t2 3]", 0, "json-syntax", 5, 4,
	  "expected ',' or ']' after array element" },
	/* Chinese and astral characters take one column each */
	{ "{\"标题\": \"关于😀\", \"x\" 1}", 0, "json-syntax", 1, 19,
	  "expected ':' after key" },
};

static void check_bad(const struct bad *b)
{
	size_t len = b->len ? b->len : strlen(b->text);
	int rc = parse_n(b->text, len);

	ck_assert_msg(rc == 1, "rc %d for \"%s\"", rc, b->text);
	ck_assert_ptr_null(doc.root);
	ck_assert_ptr_null(doc.index);
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].msg, b->msg);
	ck_assert_str_eq(D.v[0].rule, b->rule);
	ck_assert_str_eq(D.v[0].path, "r/x.json");
	ck_assert_int_eq(D.v[0].level, DIAG_ERROR);
	ck_assert_msg(D.v[0].line == b->line && D.v[0].col == b->col,
		      "%s: at %u:%u, want %u:%u", b->msg, D.v[0].line,
		      D.v[0].col, b->line, b->col);
}

START_TEST(test_bad)
{
	check_bad(&bad[_i]);
}
END_TEST

START_TEST(test_file_size)
{
	size_t n = JSON_MAX_BYTES + 1;
	char *big = malloc(n);

	ck_assert_ptr_nonnull(big);
	memset(big, ' ', n);
	big[0] = '0';
	ck_assert_int_eq(parse_n(big, n), 1);
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "file-size");
	ck_assert_str_eq(D.v[0].msg, "file is 1048577 bytes; a record file "
		       "may be at most 1048576 bytes");
	ck_pos(((struct json_pos){ D.v[0].line, D.v[0].col }), 1, 1);
	/* exactly the limit is fine */
	ck_assert_int_eq(parse_n(big, n - 1), 0);
	ck_assert_uint_eq(D.n, 0);
	ck_assert(cJSON_IsNumber(doc.root));
	free(big);
}
END_TEST

START_TEST(test_bom)
{
	ck_assert_int_eq(parse("\xEF\xBB\xBF{\"a\":1}"), 1);
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "bom");
	ck_assert_str_eq(D.v[0].msg, "byte-order mark at start of file; "
		       "save as UTF-8 without BOM");
	ck_assert_uint_eq(D.v[0].line, 1);
	ck_assert_uint_eq(D.v[0].col, 1);
	ck_assert_ptr_null(doc.root);

	/* the rest is still checked; the BOM takes no column */
	ck_assert_int_eq(parse("\xEF\xBB\xBF{x}"), 1);
	ck_assert_uint_eq(D.n, 2);
	ck_assert_str_eq(D.v[1].msg, "expected a string key, not 'x'");
	ck_assert_uint_eq(D.v[1].col, 2);

	ck_assert_int_eq(parse("\xEF\xBB\xBF"), 1);
	ck_assert_uint_eq(D.n, 2);
	ck_assert_str_eq(D.v[1].msg, "empty file");

	ck_assert_int_eq(parse("\xEF\xBB\xBF[\"\xFF\"]"), 1);
	ck_assert_uint_eq(D.n, 2);
	ck_assert_str_eq(D.v[1].rule, "utf8");
	ck_assert_uint_eq(D.v[1].col, 3);

	ck_assert_int_eq(parse("\xEF\xBB\xBF{\"a\":1,\"a\":2}"), 1);
	ck_assert_uint_eq(D.n, 2);
	ck_assert_str_eq(D.v[1].rule, "duplicate-key");
	ck_assert_uint_eq(D.v[1].col, 8);

	/* a BOM later in the file is just a character (U+FEFF) */
	ck_assert_int_eq(parse("[\"\xEF\xBB\xBF\"]"), 0);
}
END_TEST

/* ---- nesting ---- */

static char *nested(int depth, int objects)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < depth; i++)
		ck_assert_int_eq(buf_puts(&b, objects && i % 2 ? "{\"k\":" :
					  "["), 0);
	ck_assert_int_eq(buf_puts(&b, "0"), 0);
	for (i = depth - 1; i >= 0; i--)
		ck_assert_int_eq(buf_puts(&b, objects && i % 2 ? "}" : "]"), 0);
	return buf_detach(&b);
}

START_TEST(test_depth)
{
	char *ok = nested(JSON_MAX_DEPTH, 0), *over = nested(33, 0);
	char *mixed = nested(JSON_MAX_DEPTH, 1), *mover = nested(33, 1);
	const cJSON *n;
	int depth = 0;

	ck_assert_int_eq(parse(ok), 0);
	for (n = doc.root; n->child; n = n->child)
		depth++;
	ck_assert_int_eq(depth, JSON_MAX_DEPTH);
	ck_pos(json_value_pos(&doc, n), 1, 33);

	ck_assert_int_eq(parse(over), 1);
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "nesting");
	ck_assert_str_eq(D.v[0].msg, "nesting deeper than 32 levels");
	ck_assert_uint_eq(D.v[0].col, 33);

	ck_assert_int_eq(parse(mixed), 0);
	ck_assert_int_eq(parse(mover), 1);
	ck_assert_str_eq(D.v[0].rule, "nesting");
	/* 16 "[" and 16 "{\"k\":" come before the 33rd opener */
	ck_assert_uint_eq(D.v[0].col, 16 + 16 * 5 + 1);
	free(ok);
	free(over);
	free(mixed);
	free(mover);
}
END_TEST

START_TEST(test_deep_hostile)
{
	size_t n = 10000;
	char *s = malloc(n);

	ck_assert_ptr_nonnull(s);
	memset(s, '[', n);
	ck_assert_int_eq(parse_n(s, n), 1);
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "nesting");
	ck_assert_uint_eq(D.v[0].col, 33);
	memset(s, '{', n);
	ck_assert_int_eq(parse_n(s, n), 1);
	ck_assert_str_eq(D.v[0].msg, "expected a string key, not '{'");
	free(s);
}
END_TEST

/* ---- duplicate keys ---- */

START_TEST(test_duplicates)
{
	ck_assert_int_eq(parse("{\"a\":1,\"b\":2,\"\\u0061\":3}"), 1);
	ck_assert_ptr_null(doc.root);
	ck_assert_uint_eq(D.n, 1);
	ck_assert_str_eq(D.v[0].rule, "duplicate-key");
	ck_assert_str_eq(D.v[0].msg,
			 "duplicate key \"a\" (first at line 1, column 2)");
	ck_assert_uint_eq(D.v[0].line, 1);
	ck_assert_uint_eq(D.v[0].col, 14);

	/* all are told, in every object, and the scan goes on */
	ck_assert_int_eq(parse("{\n \"名\": 1,\n \"名\": {\"x\": 1, \"y\": 2,"
			       " \"x\": 3},\n \"\\u540d\": 2, \"z\": [{\"q\":0,"
			       "\"q\":0}]}"), 1);
	diags_sort(&D);
	ck_assert_uint_eq(D.n, 4);
	ck_assert_str_eq(D.v[0].msg,
			 "duplicate key \"名\" (first at line 2, column 2)");
	ck_pos(((struct json_pos){ D.v[0].line, D.v[0].col }), 3, 2);
	ck_assert_str_eq(D.v[1].msg,
			 "duplicate key \"x\" (first at line 3, column 8)");
	ck_pos(((struct json_pos){ D.v[1].line, D.v[1].col }), 3, 24);
	ck_assert_str_eq(D.v[2].msg,
			 "duplicate key \"名\" (first at line 2, column 2)");
	ck_pos(((struct json_pos){ D.v[2].line, D.v[2].col }), 4, 2);
	ck_assert_str_eq(D.v[3].msg,
			 "duplicate key \"q\" (first at line 4, column 22)");
	ck_pos(((struct json_pos){ D.v[3].line, D.v[3].col }), 4, 28);

	/* a syntax error after a duplicate still stops the scan */
	ck_assert_int_eq(parse("{\"a\":{\"b\":1,\"b\":1}, x}"), 1);
	ck_assert_uint_eq(D.n, 2);

	/* same key in sibling objects, case and prefixes differ: fine */
	ck_assert_int_eq(parse("[{\"a\":1},{\"a\":2},{\"A\":1,\"a\":2,\"ab\":3,"
			       "\"\":4,\"a\\u0000b\":5}]"), 1);
	ck_assert_str_eq(D.v[0].msg, "\\u0000 in string");
	ck_assert_int_eq(parse("[{\"a\":1},{\"a\":2},{\"A\":1,\"a\":2,\"ab\":3,"
			       "\"\":4,\"b\":{\"a\":{}}}]"), 0);

	/* empty keys and keys needing escapes in the message */
	ck_assert_int_eq(parse("{\"\":1,\"\":2}"), 1);
	ck_assert_str_eq(D.v[0].msg,
			 "duplicate key \"\" (first at line 1, column 2)");
	ck_assert_int_eq(parse("{\"a\\nb\\\"\\\\\":1,\"a\\u000Ab\\u0022\\\\\":2}"),
			 1);
	ck_assert_str_eq(D.v[0].msg, "duplicate key \"a\\u000Ab\\\"\\\\\" "
			 "(first at line 1, column 2)");

	/* unescaping into every UTF-8 length */
	ck_assert_int_eq(parse("{\"é中😀\":1,\"\\u00E9\\u4e2d\\uD83D\\uDE00\":2}"),
			 1);
	ck_assert_str_eq(D.v[0].msg,
			 "duplicate key \"é中😀\" (first at line 1, column 2)");
	ck_assert_uint_eq(D.v[0].col, 10);
}
END_TEST

START_TEST(test_duplicates_long_key)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(buf_puts(&b, i ? ",\"" : "{\""), 0);
		for (int j = 0; j < 100; j++)
			ck_assert_int_eq(buf_puts(&b, "鍵"), 0);
		ck_assert_int_eq(buf_puts(&b, "\":0"), 0);
	}
	ck_assert_int_eq(buf_puts(&b, "}"), 0);
	ck_assert_int_eq(parse(b.ptr), 1);
	ck_assert_uint_eq(D.v[0].col, 107);
	/* cut after 60 bytes: 20 characters of three bytes */
	ck_assert_str_eq(D.v[0].msg, "duplicate key \"鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵"
			 "鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵...\" (first at line 1, column 2)");

	/* shifted by one byte, the cut falls back to a whole character */
	buf_clear(&b);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(buf_puts(&b, i ? ",\"a" : "{\"a"), 0);
		for (int j = 0; j < 100; j++)
			ck_assert_int_eq(buf_puts(&b, "鍵"), 0);
		ck_assert_int_eq(buf_puts(&b, "\":0"), 0);
	}
	ck_assert_int_eq(buf_puts(&b, "}"), 0);
	ck_assert_int_eq(parse(b.ptr), 1);
	ck_assert_str_eq(D.v[0].msg, "duplicate key \"a鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵"
			 "鍵鍵鍵鍵鍵鍵鍵鍵鍵...\" (first at line 1, column 2)");
	buf_release(&b);
}
END_TEST

START_TEST(test_many_keys)
{
	struct buf b = BUF_INIT;
	int i, n = 100000;

	/* distinct keys, in an order that is not sorted */
	ck_assert_int_eq(buf_putc(&b, '{'), 0);
	for (i = 0; i < 60000; i++)
		ck_assert_int_eq(buf_printf(&b, "%s\"%d\":0", i ? "," : "",
					    (i * 7919) % 60000), 0);
	ck_assert_int_eq(buf_putc(&b, '}'), 0);
	ck_assert_int_eq(parse_n(b.ptr, b.len), 0);
	ck_assert_int_eq(cJSON_GetArraySize(doc.root), 60000);
	ck_pos(json_key_pos(&doc, cJSON_GetArrayItem(doc.root, 1)), 1, 8);

	buf_clear(&b);
	ck_assert_int_eq(buf_putc(&b, '{'), 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(buf_puts(&b, i ? ",\"a\":0" : "\"a\":0"), 0);
	ck_assert_int_eq(buf_putc(&b, '}'), 0);
	ck_assert_int_eq(parse_n(b.ptr, b.len), 1);
	ck_assert_uint_eq(D.n, (size_t)n - 1);
	diags_sort(&D);
	ck_assert_uint_eq(D.v[0].col, 8);
	ck_assert_uint_eq(D.v[n - 2].col, 2 + (uint32_t)(n - 1) * 6);
	ck_assert_str_eq(D.v[n - 2].msg,
			 "duplicate key \"a\" (first at line 1, column 2)");
	buf_release(&b);
}
END_TEST

/* ---- valid text: tree, escapes, positions ---- */

START_TEST(test_positions)
{
	const char *t =
		"{\r\n"
		"\t\"标题\": \"关于😀\",\r\n"
		"\t\"items\": [1, {\"k\":\n"
		"    [true, null]}, \"中\\n\"],\r"       /* lone CR: same line */
		" \"e\": {}\n"
		"}";
	const cJSON *title, *items, *k, *e;

	ck_assert_int_eq(parse(t), 0);
	ck_assert_uint_eq(D.n, 0);
	ck_pos(json_value_pos(&doc, doc.root), 1, 1);
	ck_pos(json_key_pos(&doc, doc.root), 1, 1);

	title = json_get(doc.root, "标题");
	ck_pos(json_key_pos(&doc, title), 2, 2);
	ck_pos(json_value_pos(&doc, title), 2, 8);
	ck_assert_str_eq(json_get_string(doc.root, "标题"), "关于😀");

	items = json_get(doc.root, "items");
	ck_pos(json_key_pos(&doc, items), 3, 2);
	ck_pos(json_value_pos(&doc, items), 3, 11);
	ck_pos(json_value_pos(&doc, cJSON_GetArrayItem(items, 0)), 3, 12);
	ck_pos(json_key_pos(&doc, cJSON_GetArrayItem(items, 0)), 3, 12);
	ck_pos(json_value_pos(&doc, cJSON_GetArrayItem(items, 1)), 3, 15);
	k = json_get(cJSON_GetArrayItem(items, 1), "k");
	ck_pos(json_key_pos(&doc, k), 3, 16);
	ck_pos(json_value_pos(&doc, k), 4, 5);
	ck_pos(json_value_pos(&doc, cJSON_GetArrayItem(k, 0)), 4, 6);
	ck_pos(json_value_pos(&doc, cJSON_GetArrayItem(k, 1)), 4, 12);
	ck_pos(json_value_pos(&doc, cJSON_GetArrayItem(items, 2)), 4, 20);
	ck_assert_str_eq(cJSON_GetArrayItem(items, 2)->valuestring, "中\n");

	e = json_get(doc.root, "e");
	ck_pos(json_key_pos(&doc, e), 4, 29);
	ck_pos(json_value_pos(&doc, e), 4, 34);
	ck_assert_uint_eq(doc.nindex, 10);
	check_positions(doc.root, t, strlen(t));

	/* lookups */
	ck_assert_ptr_null(json_get(doc.root, "Items"));
	ck_assert_ptr_null(json_get(items, "k"));
	ck_assert_ptr_null(json_get(NULL, "k"));
	ck_assert_ptr_null(json_get_string(doc.root, "items"));
	ck_assert_ptr_null(json_get_string(doc.root, "nope"));
	/* keys that share a first byte, or are each other's prefix */
	{
		cJSON *o = cJSON_Parse("{\"item\": 1, \"items\": 2, \"it\": 3, \"\": 4, \"i\": 5}");
		ck_assert_ptr_nonnull(o);
		ck_assert_int_eq(json_get(o, "items")->valueint, 2);
		ck_assert_int_eq(json_get(o, "item")->valueint, 1);
		ck_assert_int_eq(json_get(o, "it")->valueint, 3);
		ck_assert_int_eq(json_get(o, "i")->valueint, 5);
		ck_assert_int_eq(json_get(o, "")->valueint, 4);
		ck_assert_ptr_null(json_get(o, "ite"));
		ck_assert_ptr_null(json_get(o, "itemss"));
		ck_assert_ptr_null(json_get(cJSON_GetObjectItem(o, "it"), "it")); /* not an object */
		cJSON_Delete(o);
	}

	/* a node of another tree has no position */
	{
		cJSON *other = cJSON_CreateObject();
		ck_pos(json_value_pos(&doc, other), 1, 1);
		ck_pos(json_key_pos(&doc, other), 1, 1);
		cJSON_Delete(other);
	}
	json_doc_release(&doc);
	ck_assert_ptr_null(doc.root);
	ck_assert_ptr_null(doc.index);
	ck_assert_uint_eq(doc.nindex, 0);
	ck_pos(json_value_pos(&doc, NULL), 1, 1);
}
END_TEST

START_TEST(test_scalars_and_escapes)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "0", "0" }, { "-0", "-0" }, { " 12 ", "12" },
		{ "1.5e2", "150" }, { "1E-2", "0.01" }, { "-12.5", "-12.5" },
		{ "1e400", "null" }, { "true", "true" }, { "false", "false" },
		{ "null", "null" }, { "\"\"", "\"\"" },
		{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\\"\\\\/\\b\\f\\n\\r\\t\"" },
		{ "\"\\u0041\\u00e9\\u4E2D\\ud83d\\ude00\"", "\"Aé中😀\"" },
		{ "\"\\u001f\x7F中\"", "\"\\u001f\x7F中\"" },
		{ "[\n]", "[]" }, { "{ }", "{}" },
		{ "12345678901234567890123456789012345678901234567890"
		  "12345678901234567890", "1.2345678901234567e+69" },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		char *p;

		ck_assert_msg(parse(ok[i].in) == 0, "%s", ok[i].in);
		p = cJSON_PrintUnformatted(doc.root);
		ck_assert_str_eq(p, ok[i].out);
		cJSON_free(p);
	}
	/* not NUL-terminated, and no reading past the end */
	{
		char t[3] = { '[', '1', ']' };
		ck_assert_int_eq(parse_n(t, 3), 0);
		ck_assert_int_eq(parse_n(t, 2), 1);
		ck_assert_str_eq(D.v[0].msg, "unexpected end of file");
		ck_assert_int_eq(parse_n(NULL, 0), 1);
		ck_assert_str_eq(D.v[0].msg, "empty file");
	}
}
END_TEST

/* ---- properties ---- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static const char sample[] =
	"{\n"
	"  \"id\": \"tongzhi-2024-01\",\n"
	"  \"标题\": \"关于\\\"元旦\\\"放假的通知 😀\",\n"
	"  \"date\": \"2024-01-01\",\r\n"
	"  \"n\": [0, -1.5e3, 2E+2, true, false, null],\n"
	"  \"esc\": \"\\u4e2d\\ud83d\\ude00\\t\\/\",\n"
	"  \"nested\": {\"a\": [[], {}, {\"b\": [\"x\"]}], \"c\": {\"d\": 1}}\n"
	"}";

START_TEST(test_truncated)
{
	size_t n = sizeof(sample) - 1, i;

	ck_assert_int_eq(parse_n(sample, n), 0);
	check_positions(doc.root, sample, n);
	for (i = 0; i < n; i++) {
		char *p = malloc(i ? i : 1);   /* exact size, for ASan */

		ck_assert_ptr_nonnull(p);
		memcpy(p, sample, i);
		ck_assert_msg(parse_n(p, i) == 1, "prefix %zu", i);
		ck_assert_uint_ge(D.n, 1);
		ck_assert_ptr_null(doc.root);
		free(p);
	}
}
END_TEST

START_TEST(test_mutations)
{
	static const char pick[] = "{}[],:\"\\ \n\r\t0123456789-+.eEtrufalsn"
				   "\x00\x7F\x80\xBF\xC0\xE4\xED\xF4\xFF";
	size_t n = sizeof(sample) - 1, len, at;
	int iter, m, rc, nvalid = 0;
	char *p;

	for (iter = 0; iter < 4000; iter++) {
		p = malloc(n + 8);
		ck_assert_ptr_nonnull(p);
		memcpy(p, sample, n);
		len = n;
		for (m = 1 + (int)rnd(3); m > 0; m--) {
			char c = rnd(2) ? pick[rnd(sizeof(pick) - 1)] :
					  (char)rnd(256);
			at = rnd((uint32_t)len);
			switch (rnd(3)) {
			case 0:
				p[at] = c;
				break;
			case 1:         /* insert */
				memmove(p + at + 1, p + at, len - at);
				p[at] = c;
				len++;
				break;
			default:        /* delete */
				memmove(p + at, p + at + 1, len - at - 1);
				len--;
			}
		}
		rc = parse_n(p, len);
		if (rc == 0) {
			ck_assert_uint_eq(D.n, 0);
			ck_assert_ptr_nonnull(doc.root);
			check_positions(doc.root, p, len);
			nvalid++;
		} else {
			ck_assert_int_eq(rc, 1);
			ck_assert_uint_ge(D.n, 1);
			ck_assert_ptr_null(doc.root);
		}
		free(p);
	}
	/* some mutations (digits, whitespace) keep the text valid */
	ck_assert_int_gt(nvalid, 10);
}
END_TEST

/* Writes a random value into in (with varied spelling and whitespace)
 * and its cJSON_PrintUnformatted form into out. */
static void gen_ws(struct buf *in)
{
	static const char *const ws[] = { "", "", " ", "\t", "\n", "\r\n",
					  "\r", "  " };

	ck_assert_int_eq(buf_puts(in, ws[rnd(8)]), 0);
}

static void gen_string(struct buf *in, struct buf *out, const char *prefix)
{
	static const char *const tok[][2] = {
		{ "a", "a" }, { "\\u0061", "a" }, { "/", "/" },
		{ "\\/", "/" }, { "\\n", "\\n" }, { "\\u000a", "\\n" },
		{ "\\\"", "\\\"" }, { "\\\\", "\\\\" }, { "中", "中" },
		{ "\\u4e2d", "中" }, { "\\ud83d\\ude00", "😀" },
		{ "😀", "😀" }, { "\\u0001", "\\u0001" }, { "\\t", "\\t" },
		{ "\\b", "\\b" }, { "\\f", "\\f" }, { "\\r", "\\r" },
		{ " ", " " }, { "\x7F", "\x7F" }, { "é", "é" },
	};
	uint32_t i, n = rnd(6);

	ck_assert_int_eq(buf_printf(in, "\"%s", prefix), 0);
	ck_assert_int_eq(buf_printf(out, "\"%s", prefix), 0);
	for (i = 0; i < n; i++) {
		uint32_t t = rnd(sizeof(tok) / sizeof(*tok));
		ck_assert_int_eq(buf_puts(in, tok[t][0]), 0);
		ck_assert_int_eq(buf_puts(out, tok[t][1]), 0);
	}
	ck_assert_int_eq(buf_putc(in, '"'), 0);
	ck_assert_int_eq(buf_putc(out, '"'), 0);
}

static void gen_value(struct buf *in, struct buf *out, int depth)
{
	uint32_t kind = rnd(depth < 6 ? 7 : 5), i, n;
	int v;

	switch (kind) {
	case 0:
		v = (int)rnd(200001) - 100000;
		switch (rnd(4)) {
		case 0:
			ck_assert_int_eq(buf_printf(in, "%d", v), 0);
			break;
		case 1:
			ck_assert_int_eq(buf_printf(in, "%d.0", v), 0);
			break;
		case 2:
			ck_assert_int_eq(buf_printf(in, "%dE+0", v), 0);
			break;
		default:        /* "00e-1" would be a bad number */
			ck_assert_int_eq(buf_printf(in, v ? "%d0e-1" : "%de-1",
						    v), 0);
		}
		ck_assert_int_eq(buf_printf(out, "%d", v), 0);
		break;
	case 1:
		gen_string(in, out, "");
		break;
	case 2:
	case 3:
	case 4: {
		static const char *const lit[] = { "true", "false", "null" };
		ck_assert_int_eq(buf_puts(in, lit[kind - 2]), 0);
		ck_assert_int_eq(buf_puts(out, lit[kind - 2]), 0);
		break;
	}
	case 5:
		n = rnd(5);
		ck_assert_int_eq(buf_putc(in, '['), 0);
		ck_assert_int_eq(buf_putc(out, '['), 0);
		for (i = 0; i < n; i++) {
			gen_ws(in);
			gen_value(in, out, depth + 1);
			gen_ws(in);
			if (i + 1 < n) {
				ck_assert_int_eq(buf_putc(in, ','), 0);
				ck_assert_int_eq(buf_putc(out, ','), 0);
			}
		}
		gen_ws(in);
		ck_assert_int_eq(buf_putc(in, ']'), 0);
		ck_assert_int_eq(buf_putc(out, ']'), 0);
		break;
	default:
		n = rnd(5);
		ck_assert_int_eq(buf_putc(in, '{'), 0);
		ck_assert_int_eq(buf_putc(out, '{'), 0);
		for (i = 0; i < n; i++) {
			char pre[16];

			/* distinct prefixes keep the keys distinct */
			snprintf(pre, sizeof(pre), "k%u_", i);
			gen_ws(in);
			gen_string(in, out, pre);
			gen_ws(in);
			ck_assert_int_eq(buf_putc(in, ':'), 0);
			ck_assert_int_eq(buf_putc(out, ':'), 0);
			gen_ws(in);
			gen_value(in, out, depth + 1);
			gen_ws(in);
			if (i + 1 < n) {
				ck_assert_int_eq(buf_putc(in, ','), 0);
				ck_assert_int_eq(buf_putc(out, ','), 0);
			}
		}
		gen_ws(in);
		ck_assert_int_eq(buf_putc(in, '}'), 0);
		ck_assert_int_eq(buf_putc(out, '}'), 0);
	}
}

static size_t count_nodes(const cJSON *n)
{
	size_t c = 0;

	for (; n; n = n->next)
		c += 1 + count_nodes(n->child);
	return c;
}

/*
 * Strings of every length from 0 to 80 characters, plain, Chinese, emoji
 * and escapes mixed, then a member after them: the scanner takes plain
 * runs and checks the encoding eight bytes at a time (json.c), so every
 * length and alignment must still give the value, the columns after it,
 * and the exact column of a bad byte or a control character inside.
 */
START_TEST(test_long_strings)
{
	static const char *const pieces[][2] = {
		{ "a", "a" }, { "中", "中" }, { "😀", "😀" }, { "é", "é" }, { "\\n", "\n" }, { "\\u4E2D", "中" },
		{ "\\\"", "\"" }, { "Z", "Z" },
	};
	struct buf in = BUF_INIT, want = BUF_INIT;
	uint32_t seed = 7;
	size_t n, i;

	for (n = 0; n <= 80; n++) {
		uint32_t cols = 0;

		buf_clear(&in);
		buf_clear(&want);
		buf_puts(&in, "{\"k\": \"");
		for (i = 0; i < n; i++) {
			size_t k;
			seed = seed * 1103515245 + 12345;
			k = (seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]));
			if (n % 3 == 0)
				k = 0; /* some all ASCII */
			buf_puts(&in, pieces[k][0]);
			buf_puts(&want, pieces[k][1]);
		}
		/* the text starts at column 8; the closing quote follows it */
		for (i = 7; i < in.len; i++)
			cols += ((unsigned char)in.ptr[i] & 0xC0) != 0x80;
		buf_puts(&in, "\", \"x\": 1}");
		ck_assert_int_eq(parse_n(in.ptr, in.len), 0);
		ck_assert_str_eq(json_get_string(doc.root, "k"), buf_cstr(&want));
		ck_pos(json_key_pos(&doc, json_get(doc.root, "x")), 1, 8 + cols + 3);
		check_positions(doc.root, in.ptr, in.len);

		/* a bad byte, then a control character, at the end of the text */
		for (i = 0; n % 3 == 0 && i < 2; i++) {
			static const char *const tail[][2] = { { "\xFF\"}", "utf8" }, { "\t\"}", "json-syntax" } };
			struct buf cut = BUF_INIT;
			buf_put(&cut, in.ptr, 7 + n);
			buf_puts(&cut, tail[i][0]);
			ck_assert_int_eq(parse_n(cut.ptr, cut.len), 1);
			ck_assert_str_eq(D.v[0].rule, tail[i][1]);
			ck_assert_uint_eq(D.v[0].col, 8 + n);
			buf_release(&cut);
		}
	}
	buf_release(&in);
	buf_release(&want);
}
END_TEST

START_TEST(test_random_valid)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	int iter;

	for (iter = 0; iter < 1000; iter++) {
		char *p;

		buf_clear(&in);
		buf_clear(&out);
		gen_ws(&in);
		gen_value(&in, &out, 0);
		gen_ws(&in);
		ck_assert_msg(parse_n(in.ptr, in.len) == 0, "%s", in.ptr);
		p = cJSON_PrintUnformatted(doc.root);
		ck_assert_str_eq(p, out.ptr);
		cJSON_free(p);
		ck_assert_uint_eq(doc.nindex, count_nodes(doc.root));
		check_positions(doc.root, in.ptr, in.len);
	}
	buf_release(&in);
	buf_release(&out);
}
END_TEST

static void *no_malloc(size_t n)
{
	(void)n;
	return NULL;
}

START_TEST(test_nomem)
{
	cJSON_Hooks h = { no_malloc, free };

	/* only cJSON's allocations fail here; ours are checked by reading */
	cJSON_InitHooks(&h);
	ck_assert_int_eq(parse("{\"a\": [1, 2]}"), ERR_NOMEM);
	cJSON_InitHooks(NULL);
	ck_assert_ptr_null(doc.root);
	ck_assert_ptr_null(doc.index);
	ck_assert_uint_eq(doc.nindex, 0);
	ck_assert_uint_eq(D.n, 0);
	ck_assert_int_eq(parse("{\"a\": [1, 2]}"), 0);
}
END_TEST

/* ---- fuzzer regressions (tests/fuzz/fuzz_json.c) ---- */

START_TEST(test_fuzz_regressions)
{
	/* a scalar root after a line break: the first fuzz "crash" was
	 * the harness assuming the root starts on line 1 */
	ck_assert_int_eq(parse("\n2"), 0);
	ck_assert_uint_eq(doc.nindex, 1);
	ck_pos(json_value_pos(&doc, doc.root), 2, 1);
	ck_pos(json_key_pos(&doc, doc.root), 2, 1);
}
END_TEST

/* json_parse_display(): every form a careless editor leaves that can be
 * read without doubt is read; NUL and invalid UTF-8 are not. */
static cJSON *display(const char *text, size_t len)
{
	cJSON *v = (cJSON *)&v; /* not NULL: the call must set it */

	ck_assert_int_eq(json_parse_display(text, len, &v), 0);
	return v;
}

START_TEST(test_display)
{
	static const char *const refused[] = {
		"", "   ", "{\"a\":1,}", "[1,2,]", "{\"a\":1", "{\"a\":1} {\"private\":2}", "{\"a\":1}x",
		"\xEF\xBB\xBF", "{\"a\":\"\xFF\"}", "{\"a\":\"\xC0\xAF\"}", "{\"a\":\"\xED\xA0\x80\"}", "{'a':1}",
	};
	struct buf b = BUF_INIT;
	cJSON *v;
	size_t i;
	int n;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		ck_assert_msg(display(refused[i], strlen(refused[i])) == NULL, "read: %s", refused[i]);
	/* a NUL anywhere, in a string or between tokens */
	ck_assert_ptr_null(display("{\"a\":\"x\0y\"}", 11));
	ck_assert_ptr_null(display("{\"a\":1}\0", 8));
	ck_assert_ptr_null(display("{\"a\":\0 1}", 9));
	/* a BOM skipped; whitespace after the value allowed */
	v = display("\xEF\xBB\xBF{\"a\":1}\r\n\t ", 14);
	ck_assert(cJSON_IsObject(v) && json_get(v, "a"));
	cJSON_Delete(v);
	/* duplicate keys: every member kept, in order */
	v = display("{\"private\":{\"n\":\"x\"},\"private\":{\"n\":\"y\"}}", 41);
	ck_assert_int_eq(cJSON_GetArraySize(v), 2);
	ck_assert_str_eq(v->child->string, "private");
	ck_assert_str_eq(v->child->next->string, "private");
	cJSON_Delete(v);
	/* deeper than a record may be, and larger */
	for (n = 0; n < 100; n++)
		ck_assert_int_eq(buf_puts(&b, "{\"a\":"), 0);
	ck_assert_int_eq(buf_puts(&b, "1"), 0);
	for (n = 0; n < 100; n++)
		ck_assert_int_eq(buf_putc(&b, '}'), 0);
	v = display(buf_cstr(&b), b.len);
	ck_assert(cJSON_IsObject(v));
	cJSON_Delete(v);
	buf_clear(&b);
	ck_assert_int_eq(buf_puts(&b, "{\"pad\":\""), 0);
	for (n = 0; n < JSON_MAX_BYTES; n += 8)
		ck_assert_int_eq(buf_puts(&b, "xxxxxxxx"), 0);
	ck_assert_int_eq(buf_puts(&b, "\"}"), 0);
	v = display(buf_cstr(&b), b.len);
	ck_assert(cJSON_IsObject(v));
	cJSON_Delete(v);
	buf_release(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof(bad) / sizeof(*bad)));
	tcase_add_test(tc, test_file_size);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_deep_hostile);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_display);
	tcase_add_test(tc, test_duplicates_long_key);
	tcase_add_test(tc, test_many_keys);
	tcase_add_test(tc, test_positions);
	tcase_add_test(tc, test_scalars_and_escapes);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_long_strings);
	tcase_add_test(tc, test_random_valid);
	tcase_add_test(tc, test_nomem);
	tcase_add_test(tc, test_fuzz_regressions);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

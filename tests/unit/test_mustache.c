/* test_mustache.c - Mustache templates (generator/mustache.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "mustache.h"
#include "unit.h"

/*
 * Renders tpl against the JSON text json (NULL: no data), after adding
 * partials given as name, text pairs ending in NULL.  Returns the
 * output (free it), or NULL with *rc set when something failed.
 */
static char *render_rc(int *rc, const char *tpl, const char *json, ...)
{
	struct mustache_set *set;
	struct mustache_error err;
	struct buf out = BUF_INIT;
	cJSON *data = NULL;
	const char *name;
	va_list ap;

	ck_assert_int_eq(mustache_set_new(&set), 0);
	mustache_set_limits(set, 1000000, 1 << 20);
	va_start(ap, json);
	while ((name = va_arg(ap, const char *))) {
		const char *text = va_arg(ap, const char *);

		ck_assert_msg(mustache_set_add(set, name, text, strlen(text),
					       &err) == 0,
			      "partial %s: %s", name, error_message());
	}
	va_end(ap);
	if (json)
		ck_assert_ptr_nonnull(data = cJSON_Parse(json));
	*rc = mustache_set_add(set, "t", tpl, strlen(tpl), &err);
	if (*rc == 0)
		*rc = mustache_render(set, "t", data, &out);
	cJSON_Delete(data);
	mustache_set_free(set);
	if (*rc < 0) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out);
}

#define render(...) render_rc(&rc, __VA_ARGS__)

#define ck_render(want, ...)                                          \
	do {                                                          \
		int rc;                                               \
		char *got = render(__VA_ARGS__);                      \
		ck_assert_msg(got != NULL, "failed: %s", error_message()); \
		ck_assert_str_eq(got, want);                          \
		free(got);                                            \
	} while (0)

START_TEST(escaping)
{
	ck_render("&amp;&lt;b&gt; &quot;x&quot; &#39;y&#39; 公示",
		  "{{s}}", "{\"s\": \"&<b> \\\"x\\\" 'y' 公示\"}", NULL);
	ck_render("&<b> \"x\" 'y'|&<b> \"x\" 'y'", "{{{s}}}|{{& s }}",
		  "{\"s\": \"&<b> \\\"x\\\" 'y'\"}", NULL);
	/* Values are never parsed again. */
	ck_render("{{x}} &lt;%", "{{{a}}} {{b}}",
		  "{\"a\": \"{{x}}\", \"b\": \"<%\", \"x\": 1}", NULL);
	ck_render("plain", "{{s}}", "{\"s\": \"plain\"}", NULL);
}
END_TEST

START_TEST(numbers)
{
	ck_render("85 1.21 0 0 -3 0.1 1e+21 1e-7 3.14159",
		  "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}} {{i}}",
		  "{\"a\": 85, \"b\": 1.21, \"c\": 0, \"d\": -0, \"e\": -3.0,"
		  " \"f\": 0.1, \"g\": 1e21, \"h\": 1e-7, \"i\": 3.14159}",
		  NULL);
	ck_render("9007199254740992 9007199254740994 123456789012",
		  "{{a}} {{b}} {{c}}",
		  "{\"a\": 9007199254740992, \"b\": 9007199254740994,"
		  " \"c\": 123456789012}", NULL);
	ck_render("1.7976931348623157e+308 5e-324 0.30000000000000004",
		  "{{a}} {{b}} {{c}}",
		  "{\"a\": 1.7976931348623157e308, \"b\": 5e-324,"
		  " \"c\": 0.30000000000000004}", NULL);
	/* cJSON reads 1e400 as infinity, which no JSON number is. */
	ck_render("|||", "|{{a}}|{{b}}|", "{\"a\": 1e400, \"b\": -1e400}", NULL);
	ck_render("true false ||", "{{t}} {{f}} |{{n}}{{o}}{{l}}|",
		  "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"x\": 1},"
		  " \"l\": [1]}", NULL);
}
END_TEST

START_TEST(truthiness)
{
	const char *tpl =
		"{{#a}}a{{/a}}{{#b}}b{{/b}}{{#c}}c{{/c}}{{#d}}d{{/d}}"
		"{{#e}}e{{/e}}{{#f}}f{{/f}}{{#g}}g{{/g}}{{#h}}h{{/h}}"
		"{{#i}}i{{/i}}|"
		"{{^a}}a{{/a}}{{^b}}b{{/b}}{{^c}}c{{/c}}{{^d}}d{{/d}}"
		"{{^e}}e{{/e}}{{^f}}f{{/f}}{{^g}}g{{/g}}{{^h}}h{{/h}}"
		"{{^i}}i{{/i}}{{^missing}}m{{/missing}}";

	ck_render("fghi|abcdem", tpl,
		  "{\"a\": false, \"b\": null, \"c\": \"\", \"d\": 0,"
		  " \"e\": [], \"f\": {}, \"g\": \"0\", \"h\": [0], \"i\": -1}",
		  NULL);
	/* No data at all: every name is missing. */
	ck_render("|m", "{{#x}}x{{/x}}{{x}}|{{^x}}m{{/x}}{{.}}", NULL, NULL);
}
END_TEST

START_TEST(nested_sections)
{
	const char *data =
		"{\"city\": \"拉萨\", \"rounds\": ["
		" {\"year\": 2023, \"winners\": [{\"name\": \"A\"},"
		"  {\"name\": \"B\", \"city\": \"林芝\"}]},"
		" {\"year\": 2024, \"winners\": []}]}";

	ck_render("2023: A(拉萨) B(林芝) \n2024: none\n",
		  "{{#rounds}}\n"
		  "{{year}}: {{#winners}}{{name}}({{city}}) {{/winners}}"
		  "{{^winners}}none{{/winners}}\n"
		  "{{/rounds}}\n", data, NULL);
	/* Lists of lists and the implicit iterator. */
	ck_render("[12][ab][]", "{{#l}}[{{#.}}{{.}}{{/.}}]{{/l}}",
		  "{\"l\": [[1, 2], [\"a\", \"b\"], []]}", NULL);
	/* A dotted name does not push what it passes through. */
	ck_render("outer|inner",
		  "{{#a.b}}{{x}}{{/a.b}}|{{#a}}{{#b}}{{y}}{{/b}}{{/a}}",
		  "{\"x\": \"outer\", \"a\": {\"y\": \"inner\", \"b\": true}}",
		  NULL);
}
END_TEST

START_TEST(standalone_lines)
{
	/* Section lines vanish, CRLF included; indentation of a
	 * standalone partial goes on every line it writes, even those a
	 * loop repeats. */
	ck_render("<ul>\r\n  <li>1</li>\r\n  <li>2</li>\r\n</ul>\r\n",
		  "<ul>\r\n  {{#l}}\r\n  <li>{{.}}</li>\r\n  {{/l}}\r\n</ul>\r\n",
		  "{\"l\": [1, 2]}", NULL);
	ck_render("<nav>\n  x1\n  x2\n</nav>\n",
		  "<nav>\n  {{>item}}\n</nav>\n", "{\"l\": [1, 2]}",
		  "item", "{{#l}}x{{.}}\n{{/l}}", NULL);
	/* Data is not indented: only template lines are. */
	ck_render("  a\nb\n  c\n", "  {{>p}}\n", "{\"v\": \"a\\nb\"}",
		  "p", "{{v}}\nc\n", NULL);
	/* A partial included mid-line keeps the indentation its line
	 * has; one standalone inside it adds its own. */
	ck_render("  a   Q\n    R\n  b\n", "  {{>y}}\n", "{}",
		  "y", "a {{>p}}\n", "p", "  {{>q}}\nb", "q", "Q\nR\n", NULL);
	/* Nested standalone partials add up their indentation. */
	ck_render("  <div>\n    <p>x</p>\n  </div>\n",
		  "  {{>div}}\n", "{}",
		  "div", "<div>\n  {{>p}}\n</div>\n", "p", "<p>x</p>\n", NULL);
}
END_TEST

struct bad {
	const char *tpl;
	int rc;
	unsigned line, col;
	const char *msg;
};

START_TEST(error_positions)
{
	static const struct bad cases[] = {
		{ "a\n  {{#entries}}\nx", ERR_INVALID, 2, 3,
		  "unclosed section \"entries\"" },
		{ "ab{{/x}}", ERR_INVALID, 1, 3, "unexpected closing tag \"x\"" },
		{ "{{#a}}\n{{^b}}{{/a}}", ERR_INVALID, 2, 7,
		  "unexpected closing tag \"a\" (inverted section \"b\" is open)" },
		{ "x {{y", ERR_INVALID, 1, 3, "unclosed tag" },
		{ "{{{x}}", ERR_INVALID, 1, 1, "unclosed tag" },
		{ "{{=<% %>=}}\n\n<%x}}", ERR_INVALID, 3, 1, "unclosed tag" },
		{ "{{= a =}}", ERR_INVALID, 1, 1, "invalid delimiters" },
		{ "{{=a b c=}}", ERR_INVALID, 1, 1, "invalid delimiters" },
		{ "{{=a= b=}}", ERR_INVALID, 1, 1, "invalid delimiters" },
		{ "{{=aaaaaaaaaaaaaaaaa b=}}", ERR_INVALID, 1, 1,
		  "invalid delimiters" },
		{ "公示：{{ }}", ERR_INVALID, 1, 4, "empty tag" },
		{ "{{#}}{{/}}", ERR_INVALID, 1, 1, "empty tag" },
		{ "\n\n {{a b}}", ERR_INVALID, 3, 2, "invalid name \"a b\"" },
		{ "{{a..b}}", ERR_INVALID, 1, 1,
		  "invalid name \"a..b\": empty part" },
		{ "{{#.a}}{{/.a}}", ERR_INVALID, 1, 1,
		  "invalid name \".a\": empty part" },
		{ "{{<layout}}{{$t}}x{{/t}}", ERR_INVALID, 1, 1,
		  "unclosed parent \"layout\"" },
		{ "x{{$t}}", ERR_INVALID, 1, 2, "unclosed block \"t\"" },
		{ "{{<*d}}{{/d}}", ERR_INVALID, 1, 8,
		  "unexpected closing tag \"d\" (parent \"*d\" is open)" },
		{ "{{#a}}\n{{/ a b }}", ERR_INVALID, 2, 1, "invalid name \"a b\"" },
		{ "{{<*d}}{{/* d e}}", ERR_INVALID, 1, 8, "invalid name \"d e\"" },
		{ "x{{a\x01}}", ERR_INVALID, 1, 2, "invalid name \"a\x01\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mustache_set *set;
		struct mustache_error err;
		const struct bad *b = &cases[i];
		char want[512];

		ck_assert_int_eq(mustache_set_new(&set), 0);
		ck_assert_int_eq(mustache_set_add(set, "notice.html", b->tpl,
						  strlen(b->tpl), &err), b->rc);
		ck_assert_str_eq(err.msg, b->msg);
		ck_assert_msg(err.line == b->line && err.col == b->col,
			      "%s: at %u:%u, want %u:%u", b->tpl, err.line,
			      err.col, b->line, b->col);
		snprintf(want, sizeof(want), "notice.html:%u:%u: %s", b->line,
			 b->col, b->msg);
		ck_assert_str_eq(error_message(), want);
		/* The failed template is not in the set. */
		ck_assert_int_eq(mustache_set_add(set, "notice.html", "", 0,
						  NULL), 0);
		mustache_set_free(set);
	}
}
END_TEST

START_TEST(nesting_limit)
{
	struct buf b = BUF_INIT;
	struct mustache_set *set;
	struct mustache_error err;
	int i;

	for (i = 0; i < MUSTACHE_MAX_NESTING; i++)
		buf_puts(&b, "{{#a}}");
	for (i = 0; i < MUSTACHE_MAX_NESTING; i++)
		buf_puts(&b, "{{/a}}");
	ck_assert_int_eq(mustache_set_new(&set), 0);
	ck_assert_int_eq(mustache_set_add(set, "ok", b.ptr, b.len, &err), 0);
	buf_clear(&b);
	for (i = 0; i <= MUSTACHE_MAX_NESTING; i++)
		buf_puts(&b, "{{#a}}");
	ck_assert_int_eq(mustache_set_add(set, "deep", b.ptr, b.len, &err),
			 ERR_LIMIT);
	ck_assert_str_eq(err.msg, "sections nested deeper than 100");
	ck_assert_uint_eq(err.col, 601);
	buf_clear(&b);
	buf_putc(&b, '\n');
	for (i = 0; i <= MUSTACHE_MAX_NAME; i++)
		buf_putc(&b, 'n');
	ck_assert_int_eq(mustache_set_add(set, "long", b.ptr, b.len, &err), 0);
	buf_clear(&b);
	buf_puts(&b, "\n{{");
	for (i = 0; i <= MUSTACHE_MAX_NAME; i++)
		buf_putc(&b, 'n');
	buf_puts(&b, "}}");
	ck_assert_int_eq(mustache_set_add(set, "long tag", b.ptr, b.len, &err),
			 ERR_INVALID);
	ck_assert_str_eq(err.msg, "name longer than 256 bytes");
	ck_assert_uint_eq(err.line, 2);
	mustache_set_free(set);
	buf_release(&b);
}
END_TEST

static void add(struct mustache_set *set, const char *name, const char *text)
{
	ck_assert_msg(mustache_set_add(set, name, text, strlen(text), NULL) == 0,
		      "%s: %s", name, error_message());
}

START_TEST(partial_recursion_limit)
{
	struct mustache_set *set;
	struct buf out = BUF_INIT;
	cJSON *data = cJSON_Parse("{\"l\": [1, 2]}");

	ck_assert_int_eq(mustache_set_new(&set), 0);
	add(set, "self", "x{{>self}}");
	add(set, "a", "{{>b}}");
	add(set, "b", "  {{>a}}\n");
	add(set, "p", "{{<p}}{{/p}}");
	add(set, "fork", "{{#l}}{{>fork}}{{/l}}");
	/* The page overrides b with a block b, which looks up b again. */
	add(set, "loop", "{{$b}}{{/b}}");
	add(set, "cycle", "{{<loop}}{{$b}}{{$b}}{{/b}}{{/b}}{{/loop}}");

	ck_assert_int_eq(buf_puts(&out, "kept"), 0);
	ck_assert_int_eq(mustache_render(set, "self", data, &out), ERR_LIMIT);
	ck_assert_str_eq(error_message(),
			 "self: partial \"self\" nested deeper than 64");
	ck_assert_str_eq(buf_cstr(&out), "kept");
	ck_assert_int_eq(mustache_render(set, "a", data, &out), ERR_LIMIT);
	ck_assert_int_eq(mustache_render(set, "p", data, &out), ERR_LIMIT);
	ck_assert_int_eq(mustache_render(set, "fork", data, &out), ERR_LIMIT);
	ck_assert_int_eq(mustache_render(set, "cycle", data, &out), ERR_LIMIT);
	ck_assert_str_eq(error_message(),
			 "cycle: block \"b\" nested deeper than 64");
	ck_assert_str_eq(buf_cstr(&out), "kept");
	mustache_set_free(set);
	buf_release(&out);
	cJSON_Delete(data);
}
END_TEST

START_TEST(nest_limit)
{
	struct mustache_set *set;
	struct buf out = BUF_INIT, tpl = BUF_INIT;
	cJSON *data = cJSON_Parse("{\"t\": true}");
	int i;

	/* 64 partials deep is allowed, but not with 20 sections each:
	 * the C stack is bounded as a whole. */
	for (i = 0; i < 20; i++)
		buf_puts(&tpl, "{{#t}}");
	buf_puts(&tpl, "{{>s}}");
	for (i = 0; i < 20; i++)
		buf_puts(&tpl, "{{/t}}");
	ck_assert_int_eq(mustache_set_new(&set), 0);
	add(set, "s", tpl.ptr);
	ck_assert_int_eq(mustache_render(set, "s", data, &out), ERR_LIMIT);
	ck_assert_str_eq(error_message(), "s: templates nested too deep");
	mustache_set_free(set);
	buf_release(&out);
	buf_release(&tpl);
	cJSON_Delete(data);
}
END_TEST

START_TEST(indent_limit)
{
	struct mustache_set *set;
	struct buf out = BUF_INIT, tpl = BUF_INIT;
	int i;

	ck_assert_int_eq(mustache_set_new(&set), 0);
	for (i = 0; i < MUSTACHE_MAX_INDENT; i++)
		buf_putc(&tpl, ' ');
	buf_puts(&tpl, "{{>p}}\n");
	add(set, "wide", tpl.ptr);
	add(set, "p", "x\n");
	ck_assert_int_eq(mustache_render(set, "wide", NULL, &out), 0);
	ck_assert_uint_eq(out.len, MUSTACHE_MAX_INDENT + 2);
	buf_clear(&out);
	buf_clear(&tpl);
	/* 64 levels of 100 columns is past the cap before the depth limit,
	 * and before a byte is written. */
	for (i = 0; i < 100; i++)
		buf_putc(&tpl, ' ');
	buf_puts(&tpl, "{{>deep}}\n");
	add(set, "deep", tpl.ptr);
	ck_assert_int_eq(mustache_render(set, "deep", NULL, &out), ERR_LIMIT);
	ck_assert_str_eq(error_message(),
			 "deep: indentation wider than 4096 bytes");
	mustache_set_free(set);
	buf_release(&out);
	buf_release(&tpl);
}
END_TEST

START_TEST(argument_steps)
{
	struct mustache_set *set;
	struct buf out = BUF_INIT, page = BUF_INIT, layout = BUF_INIT;
	int i;

	/* 2000 blocks, each looked up among 2000 arguments. */
	buf_puts(&page, "{{<layout}}");
	for (i = 0; i < 2000; i++) {
		buf_printf(&page, "{{$b%d}}x{{/b%d}}", i, i);
		buf_printf(&layout, "{{$b%d}}{{/b%d}}", 1999 - i, 1999 - i);
	}
	buf_puts(&page, "{{/layout}}");
	ck_assert_int_eq(mustache_set_new(&set), 0);
	add(set, "page", page.ptr);
	add(set, "layout", layout.ptr);
	ck_assert_int_eq(mustache_render(set, "page", NULL, &out), 0);
	ck_assert_uint_eq(out.len, 2000);
	buf_clear(&out);
	mustache_set_limits(set, 1000000, 0);
	ck_assert_int_eq(mustache_render(set, "page", NULL, &out), ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(error_message(),
				     ": render takes too many steps"));
	mustache_set_free(set);
	buf_release(&out);
	buf_release(&page);
	buf_release(&layout);
}
END_TEST

START_TEST(step_limit)
{
	struct mustache_set *set;
	struct buf out = BUF_INIT, tpl = BUF_INIT;
	cJSON *data = cJSON_Parse("{\"l\": [1, 2]}");
	int i;

	/* 2^40 iterations, no recursion: only the step limit ends it. */
	for (i = 0; i < 40; i++)
		buf_puts(&tpl, "{{#l}}");
	for (i = 0; i < 40; i++)
		buf_puts(&tpl, "{{/l}}");
	ck_assert_int_eq(mustache_set_new(&set), 0);
	add(set, "exp", tpl.ptr);
	mustache_set_limits(set, 100000, 0);
	ck_assert_int_eq(mustache_render(set, "exp", data, &out), ERR_LIMIT);
	ck_assert_str_eq(error_message(), "exp: render takes too many steps");
	mustache_set_free(set);
	buf_release(&out);
	buf_release(&tpl);
	cJSON_Delete(data);
}
END_TEST

START_TEST(recursion_follows_data)
{
	/* A partial may recurse as deep as the data goes.  A leaf needs
	 * its empty list: without it {{#kids}} finds its parent's. */
	ck_render("1(2(3()))", "{{>node}}",
		  "{\"n\": 1, \"kids\": [{\"n\": 2,"
		  " \"kids\": [{\"n\": 3, \"kids\": []}]}]}",
		  "node", "{{n}}({{#kids}}{{>node}}{{/kids}})", NULL);
}
END_TEST

START_TEST(output_limit)
{
	struct mustache_set *set;
	struct buf out = BUF_INIT;
	cJSON *data = cJSON_Parse("{\"s\": \"0123456789\","
				  " \"l\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}");
	const char *tpl = "{{#l}}{{#l}}{{#l}}{{s}}{{/l}}{{/l}}{{/l}}";

	ck_assert_int_eq(mustache_set_new(&set), 0);
	ck_assert_int_eq(mustache_set_add(set, "t", tpl, strlen(tpl), NULL), 0);
	ck_assert_int_eq(mustache_render(set, "t", data, &out), 0);
	ck_assert_uint_eq(out.len, 10000);
	buf_clear(&out);
	mustache_set_limits(set, 0, 5000);
	ck_assert_int_eq(mustache_render(set, "t", data, &out), ERR_LIMIT);
	ck_assert_str_eq(error_message(), "t: render output too large");
	ck_assert_uint_eq(out.len, 0);
	mustache_set_free(set);
	buf_release(&out);
	cJSON_Delete(data);
}
END_TEST

/* A stack of contexts: the top one first, then down; {{.}} is the top. */
START_TEST(render_stack)
{
	struct mustache_set *set;
	struct buf out = BUF_INIT;
	cJSON *base = cJSON_Parse("{\"a\": \"base\", \"b\": \"base\", \"c\": \"base\"}");
	cJSON *mid = cJSON_Parse("{\"b\": \"mid\"}");
	cJSON *top = cJSON_Parse("{\"a\": \"top\", \"l\": [{\"c\": \"item\"}, {}]}");
	const cJSON *stack[MUSTACHE_MAX_CONTEXTS + 1] = { base, mid, top };
	const char *tpl = "{{a}} {{b}} {{c}}{{#l}} {{c}}{{/l}}";

	ck_assert_int_eq(mustache_set_new(&set), 0);
	ck_assert_int_eq(mustache_set_add(set, "t", tpl, strlen(tpl), NULL), 0);
	ck_assert_int_eq(mustache_render_stack(set, "t", stack, 3, &out), 0);
	ck_assert_str_eq(buf_cstr(&out), "top mid base item base");
	buf_clear(&out);
	ck_assert_int_eq(mustache_render_stack(set, "t", stack, 0, &out), ERR_INVALID);
	ck_assert_int_eq(mustache_render_stack(set, "t", stack, MUSTACHE_MAX_CONTEXTS + 1, &out),
			 ERR_INVALID);
	ck_assert_uint_eq(out.len, 0);
	mustache_set_free(set);
	buf_release(&out);
	cJSON_Delete(base);
	cJSON_Delete(mid);
	cJSON_Delete(top);
}
END_TEST

START_TEST(inheritance_layout)
{
	const char *base =
		"<html>\n"
		"<head><title>{{$title}}Default{{/title}}</title></head>\n"
		"<body>\n"
		"  {{>header}}\n"
		"  <main>\n"
		"    {{$content}}{{/content}}\n"
		"  </main>\n"
		"  {{$scripts}}{{/scripts}}\n"
		"</body>\n"
		"</html>\n";
	const char *header = "<h1>{{$title}}Default{{/title}}</h1>\n";
	const char *page =
		"{{<base}}\n"
		"{{$title}}{{name}}{{/title}}\n"
		"{{$content}}\n"
		"<p>{{name}}</p>\n"
		"{{#winners}}\n"
		"<p>{{.}}</p>\n"
		"{{/winners}}\n"
		"{{/content}}\n"
		"{{/base}}\n";

	ck_render("<html>\n"
		  "<head><title>拉萨 &amp; 林芝</title></head>\n"
		  "<body>\n"
		  "  <h1>拉萨 &amp; 林芝</h1>\n"
		  "  <main>\n"
		  "    <p>拉萨 &amp; 林芝</p>\n"
		  "    <p>A</p>\n"
		  "    <p>B</p>\n"
		  "  </main>\n"
		  "</body>\n"
		  "</html>\n",
		  page,
		  "{\"name\": \"拉萨 & 林芝\", \"winners\": [\"A\", \"B\"]}",
		  "base", base, "header", header, NULL);
	/* The layout alone: defaults, and the empty block's line gone. */
	ck_render("<html>\n<head><title>Default</title></head>\n<body>\n"
		  "  <h1>Default</h1>\n  <main>\n  </main>\n</body>\n</html>\n",
		  "{{<base}}{{/base}}", "{}", "base", base, "header", header,
		  NULL);
}
END_TEST

START_TEST(inheritance_levels)
{
	/* The page's block wins over the section layout's, which wins
	 * over the base's default. */
	ck_render("[page|section]", "{{<section}}{{$a}}page{{/a}}{{/section}}",
		  "{}",
		  "section",
		  "{{<base}}{{$a}}section{{/a}}{{$b}}section{{/b}}{{/base}}",
		  "base", "[{{$a}}base{{/a}}|{{$b}}base{{/b}}]", NULL);
	/* Blocks render in the context where the parent puts them. */
	ck_render("<li>x</li><li>y</li>",
		  "{{<list}}{{$item}}<li>{{.}}</li>{{/item}}{{/list}}",
		  "{\"l\": [\"x\", \"y\"]}",
		  "list", "{{#l}}{{$item}}{{.}}{{/item}}{{/l}}", NULL);
	/* In a parent only its own blocks count: text, tags, sections
	 * and blocks inside them are dropped. */
	ck_render("[A|b]",
		  "{{<p}} text {{x}} {{#s}}{{$b}}S{{/b}}{{/s}}{{^s}}{{/s}}"
		  "{{<q}}{{$b}}Q{{/b}}{{/q}}{{>r}}{{! c }}{{=| |=}}"
		  "|$a|A|/a||={{ }}=|{{/p}}",
		  "{\"x\": 1, \"s\": true}", "p", "[{{$a}}a{{/a}}|{{$b}}b{{/b}}]",
		  NULL);
	/* A nested block whose next line is indented less than its
	 * enclosing one's strips what it can. */
	ck_render("A\nx\n",
		  "{{<p}}{{$a}}\n    A\n    {{$b}}\n  x\n    {{/b}}\n{{/a}}{{/p}}",
		  "{}", "p", "{{$a}}{{/a}}", NULL);
	/* A missing parent renders nothing; a dynamic one is looked up. */
	ck_render("||B",
		  "{{<nope}}{{$a}}x{{/a}}{{/nope}}||"
		  "{{<*kind}}{{$a}}B{{/a}}{{/*kind}}",
		  "{\"kind\": \"box\"}", "box", "{{$a}}A{{/a}}", NULL);
}
END_TEST

START_TEST(dynamic_names)
{
	ck_render("[text:hi][img:u][][]",
		  "{{#items}}[{{>*type}}]{{/items}}",
		  "{\"items\": [{\"type\": \"text\", \"v\": \"hi\"},"
		  " {\"type\": \"img\", \"v\": \"u\"}, {\"v\": \"no type\"},"
		  " {\"type\": \"none\"}]}",
		  "text", "text:{{v}}", "img", "img:{{v}}", NULL);
	/* A number names a partial as it would interpolate. */
	ck_render("<two>", "<{{>*n}}>", "{\"n\": 2}", "2", "two", NULL);
}
END_TEST

START_TEST(names)
{
	struct mustache_set *set;
	struct mustache_error err;
	struct buf out = BUF_INIT;

	ck_assert_int_eq(mustache_set_new(&set), 0);
	/* Partials may be added after the templates that use them. */
	add(set, "page.html", "<{{>part.html}}>");
	add(set, "part.html", "x");
	ck_assert_int_eq(mustache_set_add(set, "part.html", "y", 1, &err),
			 ERR_INVALID);
	ck_assert_str_eq(err.msg, "template \"part.html\" added twice");
	ck_assert_uint_eq(err.line, 0);
	ck_assert_int_eq(mustache_render(set, "nope", NULL, &out), ERR_INVALID);
	ck_assert_str_eq(error_message(), "no template \"nope\"");
	ck_assert_int_eq(mustache_render(set, "page.html", NULL, &out), 0);
	ck_assert_str_eq(buf_cstr(&out), "<x>");
	/* Rendering appends. */
	ck_assert_int_eq(mustache_render(set, "page.html", NULL, &out), 0);
	ck_assert_str_eq(buf_cstr(&out), "<x><x>");
	mustache_set_free(set);
	mustache_set_free(NULL);
	buf_release(&out);
}
END_TEST

START_TEST(many_templates)
{
	struct mustache_set *set;
	struct buf out = BUF_INIT;
	char name[32], text[64];
	int i;

	ck_assert_int_eq(mustache_set_new(&set), 0);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		snprintf(text, sizeof(text), "%d{{>t%d}}", i, i + 1);
		add(set, name, text);
	}
	ck_assert_int_eq(mustache_render(set, "t990", NULL, &out), 0);
	ck_assert_str_eq(buf_cstr(&out), "990991992993994995996997998999");
	mustache_set_free(set);
	buf_release(&out);
}
END_TEST

START_TEST(delimiters)
{
	ck_render("(x)(x){{a}}", "({{a}}){{=[ ]=}}([a]){{a}}",
		  "{\"a\": \"x\"}", NULL);
	/* Partials start with the default delimiters again. */
	ck_render("x|x", "{{=<% %>=}}<%a%>|<%>p%>", "{\"a\": \"x\"}",
		  "p", "{{a}}", NULL);
	/* Any text is allowed inside a comment. */
	ck_render("ab", "a{{! {{#x \n }}b", NULL, NULL);
}
END_TEST

/* No value puts a character HTML or XML may not hold into a page: a
 * control character from a commit message, a C1 control, a
 * noncharacter, a stray byte.  Each becomes U+FFFD, escaped or raw. */
START_TEST(invalid_characters)
{
	const char *json = "{\"x\": \"a\\u0001b\\u001b[31m\\u007f\\u0085\\ufffe\\ufdd0\\t\\n\\r\xff\xc0\xaf"
			   "\xed\xa0\x80\xe4\xb8\xad<\"}";
	const char *want = "a\xef\xbf\xbd" "b\xef\xbf\xbd[31m\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			   "\t\n\r\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" /* each stray byte */
			   "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xe4\xb8\xad"; /* a surrogate's bytes */

	{
		struct buf w = BUF_INIT;
		ck_assert_int_eq(buf_printf(&w, "%s&lt;", want), 0);
		ck_render(buf_cstr(&w), "{{x}}", json, NULL);
		buf_clear(&w);
		ck_assert_int_eq(buf_printf(&w, "%s<", want), 0);
		ck_render(buf_cstr(&w), "{{{x}}}", json, NULL);
		ck_render(buf_cstr(&w), "{{&x}}", json, NULL);
		buf_release(&w);
	}
	/* plane 16's last two code points are noncharacters too; the ones before are not */
	ck_render("\xef\xbf\xbd\xf4\x8f\xbf\xbd", "{{x}}", "{\"x\": \"\xf4\x8f\xbf\xbf\xf4\x8f\xbf\xbd\"}", NULL);
	/* a character cut short at the end of the value: each of its bytes */
	ck_render("a\xef\xbf\xbd\xef\xbf\xbd", "{{x}}", "{\"x\": \"a\xe4\xb8\"}", NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mustache");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, escaping);
	tcase_add_test(tc, invalid_characters);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, truthiness);
	tcase_add_test(tc, nested_sections);
	tcase_add_test(tc, standalone_lines);
	tcase_add_test(tc, error_positions);
	tcase_add_test(tc, nesting_limit);
	tcase_add_test(tc, partial_recursion_limit);
	tcase_add_test(tc, step_limit);
	tcase_add_test(tc, nest_limit);
	tcase_add_test(tc, indent_limit);
	tcase_add_test(tc, argument_steps);
	tcase_add_test(tc, recursion_follows_data);
	tcase_add_test(tc, output_limit);
	tcase_add_test(tc, render_stack);
	tcase_add_test(tc, inheritance_layout);
	tcase_add_test(tc, inheritance_levels);
	tcase_add_test(tc, dynamic_names);
	tcase_add_test(tc, names);
	tcase_add_test(tc, many_templates);
	tcase_add_test(tc, delimiters);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

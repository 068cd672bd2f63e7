/* test_markdown.c - CommonMark to safe HTML (generator/markdown.c). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "markdown.h"
#include "unit.h"

struct render_case {
	const char *md;
	const char *html;
};

static void expect_render(const char *md, int shift, const char *html)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(markdown_render(md, strlen(md), shift, &b), 0);
	ck_assert_str_eq(buf_cstr(&b), html);
	buf_release(&b);
}

/* Every way to smuggle script in that the module must stop, with the
 * exact HTML expected: the text stays, the markup goes. */
static const struct render_case hostile[] = {
	{ "<script>alert(1)</script>\n", "<!-- raw HTML omitted -->\n" },
	{ "<SCRIPT src=//x.cn/a.js></SCRIPT>\n",
	  "<!-- raw HTML omitted -->\n" },
	{ "a <img src=x onerror=alert(1)> b\n",
	  "<p>a <!-- raw HTML omitted --> b</p>\n" },
	{ "<div onclick=\"alert(1)\">\n\n*x*\n\n</div>\n",
	  "<!-- raw HTML omitted -->\n<p><em>x</em></p>\n"
	  "<!-- raw HTML omitted -->\n" },
	{ "[x](javascript:alert(1))\n", "<p>x</p>\n" },
	{ "[x](JAVASCRIPT:alert(1))\n", "<p>x</p>\n" },
	{ "[x](JavaScript:alert(1))\n", "<p>x</p>\n" },
	{ "[x](< javascript:alert(1)>)\n", "<p>x</p>\n" },
	{ "[x](jav&#x61;script:alert(1))\n", "<p>x</p>\n" },
	{ "[x](&#106;&#97;vascript:alert(1))\n", "<p>x</p>\n" },
	{ "[x](java&#9;script:alert(1))\n", "<p>x</p>\n" },
	{ "[x](java&#10;script:alert(1))\n", "<p>x</p>\n" },
	{ "[x](&#1;javascript:alert(1))\n", "<p>x</p>\n" },
	{ "[x](<java\tscript:alert(1)>)\n", "<p>x</p>\n" },
	{ "[x](javascript&colon;alert(1))\n", "<p>x</p>\n" },
	{ "[x](data:text/html;base64,PHNjcmlwdD4=)\n", "<p>x</p>\n" },
	{ "[x](vbscript:msgbox(1))\n", "<p>x</p>\n" },
	{ "[x](file:///etc/passwd)\n", "<p>x</p>\n" },
	{ "[*强调* 文字](javascript:alert(1) \"t\")\n",
	  "<p><em>强调</em> 文字</p>\n" },
	{ "![图 *一*](javascript:alert(1))\n", "<p>图 <em>一</em></p>\n" },
	{ "![pic](data:image/png;base64,AAAA)\n", "<p>pic</p>\n" },
	{ "![pic](JAVASCRIPT:alert(1))\n", "<p>pic</p>\n" },
	{ "![pic](vbscript:x)\n", "<p>pic</p>\n" },
	{ "<javascript:alert(1)>\n", "<p>javascript:alert(1)</p>\n" },
	{ "<JAVASCRIPT:alert(1)>\n", "<p>JAVASCRIPT:alert(1)</p>\n" },
	{ "<data:text/html,x>\n", "<p>data:text/html,x</p>\n" },
	{ "[ref][r]\n\n[r]: javascript:alert(1) \"t\"\n", "<p>ref</p>\n" },
	{ "[r]\n\n[r]: <jav&#x61;script:alert(1)>\n", "<p>r</p>\n" },
	{ "![alt][i]\n\n[i]: data:image/svg+xml,x\n", "<p>alt</p>\n" },
	{ "[![i](javascript:a)](javascript:b)\n", "<p>i</p>\n" },
	{ "[![i](https://a.cn/i.png)](javascript:b)\n",
	  "<p><img src=\"https://a.cn/i.png\" alt=\"i\" /></p>\n" },
	{ "![a [b](javascript:x) c](javascript:y)\n", "<p>a b c</p>\n" },
	/* Looks like a scheme: write "./a:b.html" for such a file. */
	{ "[x](a:b.html)\n", "<p>x</p>\n" },
};

START_TEST(hostile_input)
{
	expect_render(hostile[_i].md, 0, hostile[_i].html);
}
END_TEST

static const struct render_case kept[] = {
	{ "[公示](https://www.gov.cn/a?b=1&c=2 \"标题\")\n",
	  "<p><a href=\"https://www.gov.cn/a?b=1&amp;c=2\" title=\"标题\">"
	  "公示</a></p>\n" },
	{ "[x](HTTP://A.CN)\n", "<p><a href=\"HTTP://A.CN\">x</a></p>\n" },
	{ "[x]( https://a.cn )\n", "<p><a href=\"https://a.cn\">x</a></p>\n" },
	{ "[x](../measures/lhasa.html)\n",
	  "<p><a href=\"../measures/lhasa.html\">x</a></p>\n" },
	{ "[x](./a:b.html)\n", "<p><a href=\"./a:b.html\">x</a></p>\n" },
	{ "[x](#第十一条)\n",
	  "<p><a href=\"#%E7%AC%AC%E5%8D%81%E4%B8%80%E6%9D%A1\">x</a></p>\n" },
	{ "[x](?page=2)\n", "<p><a href=\"?page=2\">x</a></p>\n" },
	{ "[x](//cdn.a.cn/x)\n", "<p><a href=\"//cdn.a.cn/x\">x</a></p>\n" },
	{ "[x]()\n", "<p><a href=\"\">x</a></p>\n" },
	/* Written as judged: what a browser would make of the raw string,
	 * not a percent-encoded control character that breaks the link. */
	{ "[x](&#29;&#1;https://a.cn)\n", "<p><a href=\"https://a.cn\">x</a></p>\n" },
	{ "[x](ht&#9;tp://a.cn/&#10;b)\n", "<p><a href=\"http://a.cn/b\">x</a></p>\n" },
	{ "![x](&#1;a.png)\n", "<p><img src=\"a.png\" alt=\"x\" /></p>\n" },
	{ "[来信](mailto:zhiliang@a.gov.cn)\n",
	  "<p><a href=\"mailto:zhiliang@a.gov.cn\">来信</a></p>\n" },
	{ "<zhiliang@a.gov.cn>\n",
	  "<p><a href=\"mailto:zhiliang@a.gov.cn\">zhiliang@a.gov.cn</a></p>\n" },
	{ "<https://a.cn/x>\n",
	  "<p><a href=\"https://a.cn/x\">https://a.cn/x</a></p>\n" },
	{ "[ref][r]\n\n[r]: https://a.cn \"t\"\n",
	  "<p><a href=\"https://a.cn\" title=\"t\">ref</a></p>\n" },
	{ "![徽标](images/logo.png \"t\")\n",
	  "<p><img src=\"images/logo.png\" alt=\"徽标\" title=\"t\" /></p>\n" },
	{ "![x](https://a.cn/x.png)\n",
	  "<p><img src=\"https://a.cn/x.png\" alt=\"x\" /></p>\n" },
};

START_TEST(safe_links_kept)
{
	expect_render(kept[_i].md, 0, kept[_i].html);
}
END_TEST

START_TEST(url_predicate)
{
	static const char *const safe[] = {
		"", "a.html", "a/b:c", "./a:b", "#x:y", "?x=a:b", "//a.cn",
		"http://a.cn", "HTTPS://a.cn", "MailTo:a@b.cn", " https://a.cn",
		"\x01\x1f https://a.cn", "ht\ttp://a.cn", "/abs:x", "http:",
	};
	static const char *const unsafe[] = {
		"javascript:x", "JAVASCRIPT:x", " javascript:x", "java\tscript:x",
		"java\nscript:x", "java\rscript:x", "\x01javascript:x",
		"\x7fjavascript:x", "java script:x", "data:x", "vbscript:x",
		"file:x", "a:b", ":x", "httpx:a", "mailtox:a", "看:看/x",
		"https\x01:x", "ftp://a.cn", "abcdefghijkl:x", "看:看",
	};
	size_t i;

	for (i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		ck_assert_msg(markdown_url_is_safe(safe[i]), "%zu", i);
	for (i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		ck_assert_msg(!markdown_url_is_safe(unsafe[i]), "%zu", i);
}
END_TEST

START_TEST(heading_shift)
{
	const char *md = "# 一\n## 二\n###### 六\n\n标题\n===\n";

	expect_render(md, 0,
		      "<h1>一</h1>\n<h2>二</h2>\n<h3>六</h3>\n<h1>标题</h1>\n");
	expect_render(md, 1,
		      "<h2>一</h2>\n<h3>二</h3>\n<h4>六</h4>\n<h2>标题</h2>\n");
	/* A document that starts deep, climbs back up and skips down. */
	expect_render("### a\n#### b\n## c\n##### d\n###### e\n### f\n", 1,
		      "<h2>a</h2>\n<h3>b</h3>\n<h2>c</h2>\n<h3>d</h3>\n"
		      "<h4>e</h4>\n<h3>f</h3>\n");
	expect_render("# a\n# b\n", 0, "<h1>a</h1>\n<h1>b</h1>\n");
	expect_render(md, 5,
		      "<h6>一</h6>\n<h6>二</h6>\n<h6>六</h6>\n<h6>标题</h6>\n");
	expect_render(md, 2147483647,
		      "<h6>一</h6>\n<h6>二</h6>\n<h6>六</h6>\n<h6>标题</h6>\n");
}
END_TEST

START_TEST(negative_shift)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(buf_puts(&b, "kept"), 0);
	ck_assert_int_eq(markdown_render("# x\n", 4, -1, &b), ERR_INVALID);
	ck_assert_str_eq(buf_cstr(&b), "kept");
	buf_release(&b);
}
END_TEST

START_TEST(chinese_untouched)
{
	/* No smart punctuation: ASCII quotes and dashes stay as typed, and
	 * full-width punctuation passes through byte for byte. */
	expect_render("“公示”——期限为十个工作日（第十一条）。'甲' \"乙\" -- ... ！\n",
		      0,
		      "<p>“公示”——期限为十个工作日（第十一条）。'甲' &quot;乙&quot; "
		      "-- ... ！</p>\n");
	expect_render("**拟获奖名单**：\n\n1. 甲公司\n2. 乙公司\n", 0,
		      "<p><strong>拟获奖名单</strong>：</p>\n<ol>\n"
		      "<li>甲公司</li>\n<li>乙公司</li>\n</ol>\n");
}
END_TEST

START_TEST(pipe_table_is_a_paragraph)
{
	/* cmark core has no tables (that is cmark-gfm): the text survives,
	 * escaped, as one paragraph. */
	expect_render("| 名称 | 得分 |\n|---|---|\n| 甲 | 90 |\n", 0,
		      "<p>| 名称 | 得分 |\n|---|---|\n| 甲 | 90 |</p>\n");
}
END_TEST

START_TEST(text_is_escaped)
{
	expect_render("1 < 2 & \"<script>\"\n", 0,
		      "<p>1 &lt; 2 &amp; &quot;<!-- raw HTML omitted -->&quot;</p>\n");
	expect_render("`<script>`\n", 0, "<p><code>&lt;script&gt;</code></p>\n");
	expect_render("    <script>\n", 0,
		      "<pre><code>&lt;script&gt;\n</code></pre>\n");
}
END_TEST

START_TEST(invalid_utf8_replaced)
{
	struct buf b = BUF_INIT;
	const char md[] = "a\xff\xfe" "b\0c";

	ck_assert_int_eq(markdown_render(md, sizeof(md) - 1, 0, &b), 0);
	ck_assert_str_eq(buf_cstr(&b),
			 "<p>a\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd" "c</p>\n");
	buf_release(&b);
}
END_TEST

START_TEST(appends_and_empty)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(buf_puts(&b, "<main>"), 0);
	ck_assert_int_eq(markdown_render("x", 1, 0, &b), 0);
	ck_assert_int_eq(markdown_render(NULL, 0, 0, &b), 0);
	ck_assert_int_eq(markdown_render("", 0, 3, &b), 0);
	ck_assert_str_eq(buf_cstr(&b), "<main><p>x</p>\n");
	buf_release(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("markdown");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, hostile_input, 0,
			    sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_loop_test(tc, safe_links_kept, 0,
			    sizeof(kept) / sizeof(kept[0]));
	tcase_add_test(tc, url_predicate);
	tcase_add_test(tc, heading_shift);
	tcase_add_test(tc, negative_shift);
	tcase_add_test(tc, chinese_untouched);
	tcase_add_test(tc, pipe_table_is_a_paragraph);
	tcase_add_test(tc, text_is_escaped);
	tcase_add_test(tc, invalid_utf8_replaced);
	tcase_add_test(tc, appends_and_empty);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

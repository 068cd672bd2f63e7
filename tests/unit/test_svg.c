/* test_svg.c - inline SVG drawings (generator/svg.c).
 *
 * The drawings are parsed back (a small XML parser here, and python3's
 * xml.dom.minidom when it is installed), and the tests assert what they
 * say rather than the layout constants of the day: every span a row, in
 * order, its bar as long as its days on one common scale, today inside,
 * the bars of a chart in proportion, every label escaped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "date.h"
#include "svg.h"
#include "unit.h"

/* ---- a small XML parser ----
 *
 * Enough XML 1.0 for what svg.c writes: elements, attributes in quotes,
 * the five predefined entities and character references, text.  Tags
 * must balance, there must be one root, attribute values hold no raw
 * "<", names are not repeated within a tag.  Comments, CDATA, processing
 * instructions and doctypes are refused: svg.c writes none. */

#define MAX_EL 2048
#define MAX_ATTR 16

struct el {
	char name[32];
	int parent, depth;
	int nattr;
	char attr[MAX_ATTR][32];
	char *val[MAX_ATTR];   /* unescaped, owned */
	struct buf text;       /* direct text, unescaped */
};

struct dom {
	struct el v[MAX_EL];
	int n;
};

static struct dom dom; /* one at a time */

static void dom_free(void)
{
	int i, k;

	for (i = 0; i < dom.n; i++) {
		for (k = 0; k < dom.v[i].nattr; k++)
			free(dom.v[i].val[k]);
		buf_release(&dom.v[i].text);
	}
	dom.n = 0;
}

static int is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

static int is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* Decodes the reference at *pp (at '&') into out, or returns why not. */
static const char *entity(const char **pp, struct buf *out)
{
	static const char *const named[][2] = {
		{ "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" }, { "apos;", "'" }
	};
	const char *p = *pp + 1;
	size_t i;
	long cp = 0;
	int n = 0;

	for (i = 0; i < sizeof(named) / sizeof(*named); i++)
		if (!strncmp(p, named[i][0], strlen(named[i][0]))) {
			*pp = p + strlen(named[i][0]);
			buf_puts(out, named[i][1]);
			return NULL;
		}
	if (*p++ != '#')
		return "bad entity reference";
	if (*p == 'x') {
		for (p++; *p && strchr("0123456789abcdefABCDEF", *p); p++, n++)
			cp = cp * 16 + (*p <= '9' ? *p - '0' : (*p | 32) - 'a' + 10);
	} else {
		for (; *p >= '0' && *p <= '9'; p++, n++)
			cp = cp * 10 + (*p - '0');
	}
	if (!n || *p != ';' || cp < 0x20 || cp > 0x7E) /* ASCII is all svg.c needs */
		return "bad character reference";
	buf_putc(out, (char)cp);
	*pp = p + 1;
	return NULL;
}

static const char *xml_parse(const char *s)
{
	int stack[256], depth = 0, roots = 0;
	const char *p = s, *why;

	dom_free();
	while (*p) {
		if (*p == '&' || (*p != '<')) {
			if (!depth) {
				if (!strchr(" \t\r\n", *p))
					return "text outside the root";
				p++;
				continue;
			}
			if (*p == '&') {
				if ((why = entity(&p, &dom.v[stack[depth - 1]].text)))
					return why;
			} else {
				buf_putc(&dom.v[stack[depth - 1]].text, *p++);
			}
			continue;
		}
		p++;
		if (*p == '/') {
			const char *name = ++p;
			struct el *open;
			while (is_name_char((unsigned char)*p))
				p++;
			if (!depth)
				return "close tag without an open one";
			open = &dom.v[stack[--depth]];
			if ((size_t)(p - name) != strlen(open->name) || strncmp(name, open->name, strlen(open->name)))
				return "close tag does not match";
			while (*p && strchr(" \t\r\n", *p))
				p++;
			if (*p++ != '>')
				return "close tag not closed";
			continue;
		}
		if (!is_name_start((unsigned char)*p))
			return "not an element";
		{
			struct el *e;
			const char *name = p;
			int k;
			if (dom.n == MAX_EL)
				return "too many elements";
			if (depth == 256)
				return "too deep";
			if (!depth && roots++)
				return "more than one root";
			while (is_name_char((unsigned char)*p))
				p++;
			e = &dom.v[dom.n];
			memset(e, 0, sizeof(*e));
			snprintf(e->name, sizeof(e->name), "%.*s", (int)(p - name), name);
			e->parent = depth ? stack[depth - 1] : -1;
			e->depth = depth;
			dom.n++;
			for (;;) {
				const char *an;
				struct buf v = BUF_INIT;
				char q;
				int space = 0;
				while (*p && strchr(" \t\r\n", *p)) {
					p++;
					space = 1;
				}
				if (*p == '>') {
					p++;
					stack[depth++] = dom.n - 1;
					break;
				}
				if (*p == '/' && p[1] == '>') {
					p += 2;
					break;
				}
				if (!space || !is_name_start((unsigned char)*p))
					return "bad attribute";
				an = p;
				while (is_name_char((unsigned char)*p))
					p++;
				for (k = 0; k < e->nattr; k++)
					if (strlen(e->attr[k]) == (size_t)(p - an) && !strncmp(e->attr[k], an, (size_t)(p - an)))
						return "attribute repeated";
				if (e->nattr == MAX_ATTR)
					return "too many attributes";
				snprintf(e->attr[e->nattr], sizeof(e->attr[0]), "%.*s", (int)(p - an), an);
				if (*p++ != '=')
					return "attribute without a value";
				q = *p++;
				if (q != '"' && q != '\'')
					return "attribute value not quoted";
				buf_puts(&v, "");
				while (*p && *p != q) {
					if (*p == '<') {
						buf_release(&v);
						return "raw < in an attribute";
					}
					if (*p == '&') {
						if ((why = entity(&p, &v))) {
							buf_release(&v);
							return why;
						}
						continue;
					}
					buf_putc(&v, *p++);
				}
				if (!*p++) {
					buf_release(&v);
					return "attribute value not closed";
				}
				e->val[e->nattr++] = buf_detach(&v);
			}
		}
	}
	if (depth)
		return "element not closed";
	if (!roots)
		return "no root element";
	return NULL;
}

static const char *attr(int i, const char *name)
{
	int k;

	for (k = 0; k < dom.v[i].nattr; k++)
		if (!strcmp(dom.v[i].attr[k], name))
			return dom.v[i].val[k];
	return NULL;
}

static double num(int i, const char *name)
{
	const char *s = attr(i, name);
	char *end;
	double d;

	ck_assert_msg(s != NULL, "<%s> has no %s", dom.v[i].name, name);
	d = strtod(s, &end);
	/* horizontal positions are percentages of the drawing's width */
	if (*end == '%' && !end[1])
		end++;
	ck_assert_msg(*s && !*end, "<%s %s=\"%s\">: not a number", dom.v[i].name, name, s);
	return d;
}

static const char *text(int i)
{
	return buf_cstr(&dom.v[i].text);
}

/* Index of the k-th element (0-based) named name with the given class
 * (NULL: any), or -1. */
static int find(const char *name, const char *cls, int k)
{
	int i;

	for (i = 0; i < dom.n; i++)
		if (!strcmp(dom.v[i].name, name) && (!cls || (attr(i, "class") && !strcmp(attr(i, "class"), cls))) &&
		    k-- == 0)
			return i;
	return -1;
}

static int count_el(const char *name, const char *cls)
{
	int n = 0;

	while (find(name, cls, n) >= 0)
		n++;
	return n;
}

/* The same text by an independent parser when python3 is there: 0 well
 * formed with an <svg> root, 1 not, -1 no python3. */
static int python_check(const char *svg)
{
	char path[] = "/tmp/gongshi-svg-XXXXXX", cmd[512];
	FILE *f;
	int fd, rc;

	if (access("/usr/bin/python3", X_OK) != 0)
		return -1;
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs(svg, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/python3 -c 'import sys, xml.dom.minidom as m; "
		 "d = m.parse(sys.argv[1]).documentElement; "
		 "sys.exit(0 if d.tagName == \"svg\" else 3)' %s 2>/dev/null", path);
	rc = system(cmd);
	unlink(path);
	return WIFEXITED(rc) && WEXITSTATUS(rc) == 0 ? 0 : 1;
}

static double vb_w, vb_h; /* the drawing's width (100: x is in per cent) and height */

/* Parses svg, which must be one well-formed <svg> drawing with role,
 * aria-label, namespace and a <title> first: returns the title. */
static const char *drawing(const char *svg, const char *cls)
{
	const char *why = xml_parse(svg);

	ck_assert_msg(!why, "not well formed (%s): %s", why ? why : "", svg);
	ck_assert_int_ne(python_check(svg), 1);
	ck_assert_str_eq(dom.v[0].name, "svg");
	ck_assert_str_eq(attr(0, "class"), cls);
	ck_assert_str_eq(attr(0, "role"), "img");
	ck_assert_str_eq(attr(0, "xmlns"), "http://www.w3.org/2000/svg");
	ck_assert_ptr_nonnull(attr(0, "aria-label"));
	/* no viewBox: a unit is a CSS pixel, so the type is the size of the
	 * text around it at any width (it scaled with the page before:
	 * 9 px on a phone, 35 px on a desktop) */
	ck_assert_ptr_null(attr(0, "viewBox"));
	ck_assert_str_eq(attr(0, "width"), "100%");
	ck_assert(num(0, "font-size") >= 14 && num(0, "font-size") <= 20);
	vb_w = 100;
	vb_h = num(0, "height");
	ck_assert(vb_h > 0);
	/* the accessible name: the first child is the <title> */
	ck_assert_int_ge(dom.n, 2);
	ck_assert_str_eq(dom.v[1].name, "title");
	ck_assert_int_eq(dom.v[1].parent, 0);
	ck_assert_int_eq(count_el("script", NULL), 0);
	ck_assert_int_eq(count_el("foreignObject", NULL), 0);
	return text(1);
}

static date_t day(const char *s)
{
	date_t t = 0;

	ck_assert_int_eq(date_parse(s, &t), 0);
	return t;
}

#define NEAR(a, b) (fabs((a) - (b)) < 0.11) /* values are printed to 0.1 */

START_TEST(parser_works)
{
	ck_assert_ptr_null(xml_parse("<a x=\"1&amp;&#39;\"><b/>t&amp;&#x41;&lt;</a>"));
	ck_assert_int_eq(dom.n, 2);
	ck_assert_str_eq(attr(0, "x"), "1&'");
	ck_assert_str_eq(text(0), "t&A<");
	ck_assert_ptr_nonnull(xml_parse("<a><b></a></b>"));
	ck_assert_ptr_nonnull(xml_parse("<a>&</a>"));
	ck_assert_ptr_nonnull(xml_parse("<a>&foo;</a>"));
	ck_assert_ptr_nonnull(xml_parse("<a x=\"<\"/>"));
	ck_assert_ptr_nonnull(xml_parse("<a x=\"1\" x=\"2\"/>"));
	ck_assert_ptr_nonnull(xml_parse("<a x=1/>"));
	ck_assert_ptr_nonnull(xml_parse("<a x=\"\"y=\"\"/>"));
	ck_assert_ptr_nonnull(xml_parse("<a/><b/>"));
	ck_assert_ptr_nonnull(xml_parse("<a>"));
	ck_assert_ptr_nonnull(xml_parse("x<a/>"));
	ck_assert_ptr_nonnull(xml_parse(""));
	if (python_check("<svg/>") >= 0) {
		ck_assert_int_eq(python_check("<svg><a></svg>"), 1);
		ck_assert_int_eq(python_check("<svg>&</svg>"), 1);
	}
	dom_free();
}
END_TEST

/* Checks the rows of a timeline drawn from v: one <g> per span, in
 * order, of its kind's class, its label, its dates, and its bar on one
 * scale.  Returns the scale (units a day) and sets *x_lo, the x of the
 * first day. */
static double check_rows(const struct svg_span *v, size_t n, double *x_lo)
{
	static const char *const cls[] = { "apply", "stage", "notice", "approval" };
	date_t lo = v[0].start, hi = v[0].end;
	double scale = 0, prev_y = -1, widest = 0, tol;
	size_t i;

	for (i = 1; i < n; i++) {
		lo = v[i].start < lo ? v[i].start : lo;
		hi = v[i].end > hi ? v[i].end : hi;
	}
	ck_assert_int_eq(count_el("g", NULL), (int)n);
	ck_assert_int_eq(count_el("rect", NULL), (int)n);
	/* the widest span fixes the scale; values are printed to 0.1, so a
	 * span's position may be off by what that rounding makes of the
	 * whole range */
	for (i = 0; i < n; i++) {
		int rect = find("rect", NULL, (int)i);
		if (num(rect, "width") > 0.85 && num(rect, "width") > widest) {
			widest = num(rect, "width");
			scale = widest / (double)(v[i].end - v[i].start + 1);
			*x_lo = num(rect, "x") - (double)(v[i].start - lo) * scale;
		}
	}
	ck_assert_msg(scale > 0, "every span is a stub");
	tol = 0.06 + 0.1 * (double)(hi - lo + 1) * scale / widest;
	for (i = 0; i < n; i++) {
		int g = find("g", NULL, (int)i), label = -1, rect = -1, t = -1, k;
		double x, w, y, days = (double)(v[i].end - v[i].start + 1);
		char d1[11], d2[11], want[32];

		ck_assert_str_eq(attr(g, "class"), cls[v[i].kind]);
		ck_assert_int_eq(dom.v[g].parent, 0);
		for (k = g + 1; k < dom.n && dom.v[k].depth > dom.v[g].depth; k++) {
			if (dom.v[k].parent == g && !strcmp(dom.v[k].name, "text"))
				label = k;
			if (dom.v[k].parent == g && !strcmp(dom.v[k].name, "rect"))
				rect = k;
			if (!strcmp(dom.v[k].name, "title") && rect >= 0 && dom.v[k].parent == rect)
				t = k;
		}
		ck_assert_int_ge(label, 0);
		ck_assert_int_ge(rect, 0);
		ck_assert_int_ge(t, 0);
		ck_assert_str_eq(text(label), v[i].label ? v[i].label : "");
		/* the label stands on its own line above its bar, from the left edge */
		ck_assert_ptr_null(attr(label, "text-anchor"));
		ck_assert(num(label, "x") == 0);
		date_format(v[i].start, d1);
		date_format(v[i].end, d2);
		snprintf(want, sizeof(want), "%s %s", d1, v[i].start == v[i].end ? "" : d2);
		ck_assert_str_eq(text(t), want);
		x = num(rect, "x");
		w = num(rect, "width");
		y = num(rect, "y");
		ck_assert(num(rect, "height") > 0);
		ck_assert_msg(num(label, "y") < num(rect, "y"), "label below its bar");
		/* rows top to bottom in the order given, inside the box */
		ck_assert(y > prev_y);
		ck_assert(y + num(rect, "height") <= vb_h);
		prev_y = y;
		ck_assert(x + w <= vb_w + 0.05);
		/* one scale for every row: x from the first day, width from the days */
		ck_assert_msg(fabs(x - (*x_lo + (double)(v[i].start - lo) * scale)) < tol,
			      "span %zu at x=%.1f, want %.1f", i, x, *x_lo + (double)(v[i].start - lo) * scale);
		ck_assert_msg(fabs(w - days * scale) < tol || (days * scale < 0.8 && NEAR(w, 0.8)),
			      "span %zu is %.1f wide, want %.1f", i, w, days * scale);
	}
	/* the last day ends at most at the right edge */
	ck_assert(*x_lo + (double)(hi - lo + 1) * scale <= vb_w + 0.05);
	ck_assert(*x_lo >= 0);
	return scale;
}

static void check_axis(date_t lo, date_t hi)
{
	char d1[11], d2[11];

	date_format(lo, d1);
	date_format(hi, d2);
	ck_assert_int_eq(count_el("text", "axis"), 2);
	ck_assert_str_eq(text(find("text", "axis", 0)), d1);
	ck_assert_str_eq(text(find("text", "axis", 1)), d2);
}

START_TEST(timeline_basic)
{
	struct svg_span v[] = {
		{ "申报", day("2024-04-01"), day("2024-05-31"), SVG_SPAN_APPLY },
		{ "资格审查", day("2024-06-07"), day("2024-06-18"), SVG_SPAN_STAGE },
		{ "拟获奖名单公示", day("2024-11-14"), day("2024-11-23"), SVG_SPAN_NOTICE },
		{ "批准", day("2024-12-09"), day("2024-12-09"), SVG_SPAN_APPROVAL },
	};
	struct buf b = BUF_INIT;
	double scale, x_lo, x;
	int line;

	ck_assert_int_eq(svg_timeline(v, 4, day("2024-06-10"), &b), 0);
	ck_assert_str_eq(drawing(buf_cstr(&b), "timeline"), "时间线（2024-04-01至2024-12-09）");
	ck_assert_str_eq(attr(0, "aria-label"), "时间线，2024-04-01至2024-12-09");
	scale = check_rows(v, 4, &x_lo);
	check_axis(v[0].start, v[3].end);
	/* today: one line and one word, on today's day */
	ck_assert_int_eq(count_el("line", "today"), 1);
	ck_assert_int_eq(count_el("text", "today"), 1);
	ck_assert_str_eq(text(find("text", "today", 0)), "今天");
	line = find("line", "today", 0);
	x = x_lo + (double)(day("2024-06-10") - v[0].start) * scale;
	ck_assert_msg(num(line, "x1") >= x - 0.05 && num(line, "x1") <= x + scale + 0.05,
		      "today at %.1f, its day spans %.1f to %.1f", num(line, "x1"), x, x + scale);
	ck_assert(num(line, "x1") == num(line, "x2"));
	ck_assert(num(line, "y2") <= vb_h);
	/* the drawing is the last thing: nothing after </svg> */
	ck_assert_str_eq(buf_cstr(&b) + b.len - 6, "</svg>");
	dom_free();
	buf_release(&b);
}
END_TEST

START_TEST(timeline_scale)
{
	/* a long span first, a one-day span, and one that overlaps */
	struct svg_span v[] = {
		{ "a", 1000, 1479, SVG_SPAN_STAGE },
		{ "b", 1200, 1200, SVG_SPAN_APPROVAL },
		{ "c", 1400, 1600, SVG_SPAN_NOTICE },
	};
	struct buf b = BUF_INIT;
	double x_lo, scale;

	ck_assert_int_eq(svg_timeline(v, 3, 1600, &b), 0);
	drawing(buf_cstr(&b), "timeline");
	scale = check_rows(v, 3, &x_lo);
	ck_assert(scale > 0);
	check_axis(1000, 1600);
	/* the last day of the range is today: the marker is still inside */
	ck_assert_int_eq(count_el("line", "today"), 1);
	ck_assert(num(find("line", "today", 0), "x1") <= vb_w);
	/* and so is its word: in the right half it ends at the line rather
	 * than run past the edge (the browser gate saw it clipped) */
	{
		int t = find("text", "today", 0);
		const char *anchor = attr(t, "text-anchor");

		if (anchor && !strcmp(anchor, "end"))
			ck_assert(num(t, "x") <= vb_w);
		else
			ck_assert_msg(num(t, "x") <= vb_w / 2, "今天 at %.1f%% runs past the edge", num(t, "x"));
	}
	dom_free();
	buf_release(&b);
}
END_TEST

START_TEST(timeline_today_only_inside)
{
	struct svg_span v[] = {
		{ "申报", day("2024-04-01"), day("2024-05-31"), SVG_SPAN_APPLY },
		{ "公示", day("2024-11-14"), day("2024-11-23"), SVG_SPAN_NOTICE },
	};
	static const struct {
		const char *today;
		int marked;
	} cases[] = {
		{ "2024-03-31", 0 }, { "2024-04-01", 1 }, { "2024-04-02", 1 },
		{ "2024-08-01", 1 }, /* between the spans, inside the range */
		{ "2024-11-23", 1 }, { "2024-11-24", 0 }, { "1970-01-01", 0 },
		{ "1900-01-01", 0 }, { "2199-12-31", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct buf b = BUF_INIT;

		ck_assert_int_eq(svg_timeline(v, 2, day(cases[i].today), &b), 0);
		drawing(buf_cstr(&b), "timeline");
		ck_assert_msg(count_el("line", "today") == cases[i].marked &&
			      count_el("text", "today") == cases[i].marked &&
			      (strstr(buf_cstr(&b), "今天") != NULL) == cases[i].marked,
			      "today %s: %s", cases[i].today, buf_cstr(&b));
		dom_free();
		buf_release(&b);
	}
}
END_TEST

START_TEST(timeline_escapes_labels)
{
	static const char *const labels[] = {
		"<script>alert(\"x\")</script> & 'q'", "A&amp;B", "]]><!--", NULL,
	};
	struct svg_span v[] = {
		{ labels[0], 0, 479, SVG_SPAN_STAGE },
		{ labels[1], 200, 200, SVG_SPAN_APPROVAL },
		{ labels[2], 250, 260, SVG_SPAN_APPLY },
		{ labels[3], 300, 300, SVG_SPAN_NOTICE },
	};
	struct buf b = BUF_INIT;
	double x_lo;

	ck_assert_int_eq(svg_timeline(v, 4, 1, &b), 0);
	drawing(buf_cstr(&b), "timeline");
	/* parsed back, each label is the text given, character for character */
	check_rows(v, 4, &x_lo);
	ck_assert_ptr_null(strstr(buf_cstr(&b), "<script"));
	ck_assert_ptr_null(strstr(buf_cstr(&b), "<!--"));
	/* every one of <>&"' is written as a reference, even where XML
	 * would allow it raw */
	ck_assert_ptr_null(strchr(buf_cstr(&b), '\''));
	ck_assert_ptr_nonnull(strstr(buf_cstr(&b), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"));
	ck_assert_ptr_null(strstr(buf_cstr(&b), "A&amp;B<"));
	dom_free();
	buf_release(&b);
}
END_TEST

START_TEST(timeline_empty)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(svg_timeline(NULL, 0, day("2024-01-01"), &b), 0);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(buf_cstr(&b), "");
	/* it appends: what was there stays */
	ck_assert_int_eq(buf_puts(&b, "<p>"), 0);
	ck_assert_int_eq(svg_timeline(NULL, 0, 0, &b), 0);
	ck_assert_str_eq(buf_cstr(&b), "<p>");
	buf_release(&b);
}
END_TEST

START_TEST(timeline_single_day)
{
	struct svg_span v[] = { { "批准", 19000, 19000, SVG_SPAN_APPROVAL } };
	struct buf b = BUF_INIT;
	double x_lo;

	ck_assert_int_eq(svg_timeline(v, 1, 19000, &b), 0);
	drawing(buf_cstr(&b), "timeline");
	/* the one day fills the plot */
	ck_assert(check_rows(v, 1, &x_lo) > vb_w / 2);
	ck_assert_int_eq(count_el("text", "today"), 1);
	check_axis(19000, 19000);
	dom_free();
	buf_release(&b);
}
END_TEST

START_TEST(timeline_many_rows)
{
	struct svg_span v[200];
	struct buf b = BUF_INIT;
	char labels[200][16];
	double x_lo;
	size_t i;

	for (i = 0; i < 200; i++) {
		snprintf(labels[i], sizeof(labels[i]), "第%zu项", i);
		v[i].label = labels[i];
		v[i].start = (date_t)(19000 + i);
		v[i].end = (date_t)(19000 + 2 * i);
		v[i].kind = (enum svg_span_kind)(i % 4);
	}
	ck_assert_int_eq(svg_timeline(v, 200, 19100, &b), 0);
	drawing(buf_cstr(&b), "timeline");
	check_rows(v, 200, &x_lo);
	dom_free();
	buf_release(&b);
}
END_TEST

/* Checks a bar chart drawn from v: one bar and two texts a row, in
 * order, bars from one x, in proportion to the largest value. */
static void check_bars(const struct svg_bar *v, size_t n)
{
	long max = 0;
	double x0 = 0, full = 0, prev_y = -1;
	size_t i;

	for (i = 0; i < n; i++)
		max = v[i].value > max ? v[i].value : max;
	ck_assert_int_eq(count_el("rect", NULL), (int)n);
	ck_assert_int_eq(count_el("text", "value"), (int)n);
	ck_assert_int_eq(count_el("text", NULL), (int)(2 * n));
	for (i = 0; i < n; i++) {
		int rect = find("rect", NULL, (int)i), value = find("text", "value", (int)i);
		int label = rect - 1;
		char want[32];
		double w = num(rect, "width"), y = num(rect, "y");

		ck_assert_str_eq(dom.v[label].name, "text");
		ck_assert_ptr_null(attr(label, "class"));
		ck_assert_str_eq(text(label), v[i].label ? v[i].label : "");
		snprintf(want, sizeof(want), "%ld", v[i].value);
		ck_assert_str_eq(text(value), want);
		ck_assert(y > prev_y);
		prev_y = y;
		ck_assert(y + num(rect, "height") <= vb_h);
		if (!i)
			x0 = num(rect, "x");
		ck_assert(num(rect, "x") == x0);
		ck_assert(num(label, "x") <= x0);
		ck_assert(num(value, "x") >= x0 + w);
		ck_assert(x0 + w <= vb_w);
		ck_assert(w >= 0);
		if (max > 0 && v[i].value == max)
			full = w;
	}
	for (i = 0; max > 0 && i < n; i++)
		ck_assert_msg(NEAR(num(find("rect", NULL, (int)i), "width"), full * (double)v[i].value / (double)max),
			      "bar %zu not in proportion", i);
	if (max > 0)
		ck_assert(full > vb_w / 2); /* the largest bar uses most of the room */
}

START_TEST(bars_basic)
{
	struct svg_bar v[] = { { "拉萨", 4 }, { "兰州", 2 }, { "宝山", 0 }, { "呼和浩特", 3 } };
	struct buf b = BUF_INIT;

	ck_assert_int_eq(svg_bars("各地获奖数", v, 4, &b), 0);
	ck_assert_str_eq(drawing(buf_cstr(&b), "bars"), "各地获奖数");
	ck_assert_str_eq(attr(0, "aria-label"), "各地获奖数");
	check_bars(v, 4);
	ck_assert_int_eq(count_el("title", NULL), 1);
	ck_assert_str_eq(buf_cstr(&b) + b.len - 6, "</svg>");
	dom_free();
	buf_release(&b);
}
END_TEST

START_TEST(bars_escape)
{
	static const char title[] = "\"quoted\" <title> & 'apos' &amp;";
	struct svg_bar v[] = { { "<b>\"A\" & 'B'</b>", 1 }, { NULL, 2 } };
	struct buf b = BUF_INIT;

	ck_assert_int_eq(svg_bars(title, v, 2, &b), 0);
	ck_assert_str_eq(drawing(buf_cstr(&b), "bars"), title);
	ck_assert_str_eq(attr(0, "aria-label"), title);
	check_bars(v, 2);
	ck_assert_int_eq(count_el("title", NULL), 1);
	ck_assert_int_eq(count_el("b", NULL), 0);
	ck_assert_ptr_null(strchr(buf_cstr(&b), '\''));
	ck_assert_ptr_nonnull(strstr(buf_cstr(&b), "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;"));
	dom_free();
	buf_release(&b);
}
END_TEST

START_TEST(bars_empty)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(svg_bars("无数据", NULL, 0, &b), 0);
	ck_assert_str_eq(drawing(buf_cstr(&b), "bars"), "无数据");
	ck_assert_int_eq(dom.n, 2); /* <svg> and its <title>, nothing else */
	dom_free();
	buf_release(&b);
	/* no title at all: still a title element, empty */
	ck_assert_int_eq(svg_bars(NULL, NULL, 0, &b), 0);
	ck_assert_str_eq(drawing(buf_cstr(&b), "bars"), "");
	dom_free();
	buf_release(&b);
}
END_TEST

START_TEST(bars_all_zero_and_large)
{
	struct svg_bar zero[] = { { "a", 0 }, { "b", 0 } };
	struct svg_bar big[] = { { "a", 1000000 }, { "b", 250000 }, { "c", 1 } };
	struct buf b = BUF_INIT;

	ck_assert_int_eq(svg_bars("t", zero, 2, &b), 0);
	drawing(buf_cstr(&b), "bars");
	check_bars(zero, 2);
	ck_assert(num(find("rect", NULL, 0), "width") == 0);
	dom_free();
	buf_release(&b);
	ck_assert_int_eq(svg_bars("t", big, 3, &b), 0);
	drawing(buf_cstr(&b), "bars");
	check_bars(big, 3);
	dom_free();
	buf_release(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("svg");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, parser_works);
	tcase_add_test(tc, timeline_basic);
	tcase_add_test(tc, timeline_scale);
	tcase_add_test(tc, timeline_today_only_inside);
	tcase_add_test(tc, timeline_escapes_labels);
	tcase_add_test(tc, timeline_empty);
	tcase_add_test(tc, timeline_single_day);
	tcase_add_test(tc, timeline_many_rows);
	tcase_add_test(tc, bars_basic);
	tcase_add_test(tc, bars_escape);
	tcase_add_test(tc, bars_empty);
	tcase_add_test(tc, bars_all_zero_and_large);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

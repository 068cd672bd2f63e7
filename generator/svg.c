/* svg.c - inline SVG drawings (see svg.h). */
#include <stdbool.h>
#include <string.h>

#include "error.h"
#include "svg.h"

/*
 * The drawings have no viewBox: one unit is one CSS pixel, so their type
 * stays the size of the text around them at any width instead of
 * scaling with the page.  Horizontal positions are percentages of the
 * drawing's width, so that the bars still fill a phone or a desktop;
 * each label stands on its own line above its bar, where it never runs
 * into the drawing's edge.
 */
#define FONT 15        /* CSS px: the body text is 16 */
#define ROW_H 46       /* a label line and a bar */
#define BAR_Y 24       /* the bar's top within a row */
#define BAR_H 16
#define BAR_MAX 85.0   /* per cent: room right of the longest bar for its value */

static int esc(struct buf *b, const char *s)
{
	int error = 0;

	for (; s && *s && error >= 0; s++) {
		switch (*s) {
		case '&': error = buf_puts(b, "&amp;"); break;
		case '<': error = buf_puts(b, "&lt;"); break;
		case '>': error = buf_puts(b, "&gt;"); break;
		case '"': error = buf_puts(b, "&quot;"); break;
		case '\'': error = buf_puts(b, "&#39;"); break;
		default: error = buf_putc(b, *s); break;
		}
	}
	return error;
}

static const char *const span_class[] = { "apply", "stage", "notice", "approval" };

/* A percentage of the drawing's width, to one decimal. */
static double pct(double part, double whole)
{
	double v = whole > 0 ? 100.0 * part / whole : 0;

	return v < 0 ? 0 : v > 100 ? 100 : v;
}

int svg_timeline(const struct svg_span *v, size_t n, date_t today, struct buf *out)
{
	date_t lo, hi;
	double days;
	size_t i;
	int rows, h, error;
	bool marked;
	char d1[11], d2[11];

	if (!n)
		return 0;
	lo = v[0].start;
	hi = v[0].end;
	for (i = 1; i < n; i++) {
		lo = v[i].start < lo ? v[i].start : lo;
		hi = v[i].end > hi ? v[i].end : hi;
	}
	days = (double)(hi - lo + 1);
	marked = today >= lo && today <= hi;
	rows = (int)n * ROW_H;
	h = rows + 26 + (marked ? 22 : 0);
	date_format(lo, d1);
	date_format(hi, d2);
	error = buf_printf(out, "<svg class=\"timeline\" width=\"100%%\" height=\"%d\" font-size=\"%d\" role=\"img\" "
			   "aria-label=\"时间线，%s至%s\" xmlns=\"http://www.w3.org/2000/svg\">"
			   "<title>时间线（%s至%s）</title>", h, FONT, d1, d2, d1, d2);
	for (i = 0; i < n && error >= 0; i++) {
		double x = pct((double)(v[i].start - lo), days);
		double w = pct((double)(v[i].end - v[i].start + 1), days);
		int y = (int)i * ROW_H;
		date_format(v[i].start, d1);
		date_format(v[i].end, d2);
		if ((error = buf_printf(out, "<g class=\"%s\"><text x=\"0\" y=\"%d\">", span_class[v[i].kind],
					y + 18)) < 0 ||
		    (error = esc(out, v[i].label)) < 0)
			break;
		/* a single day is still a visible mark */
		error = buf_printf(out, "</text><rect x=\"%.1f%%\" y=\"%d\" width=\"%.1f%%\" height=\"%d\" rx=\"3\">"
				   "<title>%s %s</title></rect></g>", x > 99.2 ? 99.2 : x, y + BAR_Y,
				   w < 0.8 ? 0.8 : w, BAR_H, d1, v[i].start == v[i].end ? "" : d2);
	}
	date_format(lo, d1);
	date_format(hi, d2);
	if (error >= 0)
		error = buf_printf(out, "<text class=\"axis\" x=\"0\" y=\"%d\">%s</text>"
				   "<text class=\"axis\" x=\"100%%\" y=\"%d\" text-anchor=\"end\">%s</text>",
				   rows + 18, d1, rows + 18, d2);
	if (error >= 0 && marked) {
		double x = pct((double)(today - lo) + 0.5, days);
		/* the word stands on the side of the line with room for it */
		bool right = x > 50;

		error = buf_printf(out, "<line class=\"today\" x1=\"%.1f%%\" x2=\"%.1f%%\" y1=\"0\" y2=\"%d\"/>"
				   "<text class=\"today\" x=\"%.1f%%\" dx=\"%d\" y=\"%d\"%s>今天</text>",
				   x, x, h - 18, x, right ? -4 : 4, h - 4, right ? " text-anchor=\"end\"" : "");
	}
	return error < 0 ? error : buf_puts(out, "</svg>");
}

int svg_bars(const char *title, const struct svg_bar *v, size_t n, struct buf *out)
{
	long max = 1;
	size_t i;
	int h = (int)n * ROW_H + 4, error;

	for (i = 0; i < n; i++)
		max = v[i].value > max ? v[i].value : max;
	if ((error = buf_printf(out, "<svg class=\"bars\" width=\"100%%\" height=\"%d\" font-size=\"%d\" role=\"img\" aria-label=\"",
				h, FONT)) < 0 || (error = esc(out, title)) < 0 ||
	    (error = buf_puts(out, "\" xmlns=\"http://www.w3.org/2000/svg\"><title>")) < 0 ||
	    (error = esc(out, title)) < 0 || (error = buf_puts(out, "</title>")) < 0)
		return error;
	for (i = 0; i < n && error >= 0; i++) {
		double w = (double)(v[i].value < 0 ? 0 : v[i].value) * BAR_MAX / (double)max;
		int y = (int)i * ROW_H;
		if ((error = buf_printf(out, "<text x=\"0\" y=\"%d\">", y + 18)) < 0 ||
		    (error = esc(out, v[i].label)) < 0)
			break;
		error = buf_printf(out, "</text><rect x=\"0\" y=\"%d\" width=\"%.1f%%\" height=\"%d\"/>"
				   "<text class=\"value\" x=\"%.1f%%\" dx=\"6\" y=\"%d\">%ld</text>",
				   y + BAR_Y, w, BAR_H, w, y + BAR_Y + BAR_H - 2, v[i].value);
	}
	return error < 0 ? error : buf_puts(out, "</svg>");
}

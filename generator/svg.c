/* svg.c - inline SVG drawings (see svg.h). */
#include <stdbool.h>
#include <string.h>

#include "error.h"
#include "svg.h"

#define W 640          /* viewBox width; the drawing scales to its box */
#define LABEL_W 190    /* room for a label on the left */
#define ROW_H 34       /* type is 20 units: about 11 px on a 360 px phone */

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

/* Room for the longest label: about 20 units a character at 20-unit type,
 * so that no label is cut off by the drawing's edge. */
static int label_width(const char *const *labels, size_t n, size_t stride)
{
	size_t i, max = 4;

	for (i = 0; i < n; i++) {
		const unsigned char *p = *(const char *const *)((const char *)labels + i * stride) ?
			(const unsigned char *)*(const char *const *)((const char *)labels + i * stride) : (const unsigned char *)"";
		size_t chars = 0;
		for (; *p; p++)
			chars += (*p & 0xC0) != 0x80 ? (*p < 0x80 ? 1 : 2) : 0; /* CJK is twice as wide */
		max = chars > max ? chars : max;
	}
	return (int)(max * 11 + 16);
}

static const char *const span_class[] = { "apply", "stage", "notice", "approval" };

int svg_timeline(const struct svg_span *v, size_t n, date_t today, struct buf *out)
{
	date_t lo, hi;
	double scale;
	size_t i;
	int h = (int)n * ROW_H + 40, error, lw, w_all;
	char d1[11], d2[11];

	if (!n)
		return 0;
	lw = label_width(&v[0].label, n, sizeof(*v));
	w_all = lw + (W - LABEL_W);
	lo = v[0].start;
	hi = v[0].end;
	for (i = 1; i < n; i++) {
		lo = v[i].start < lo ? v[i].start : lo;
		hi = v[i].end > hi ? v[i].end : hi;
	}
	scale = (double)(w_all - lw - 10) / (double)(hi - lo + 1);
	date_format(lo, d1);
	date_format(hi, d2);
	error = buf_printf(out, "<svg class=\"timeline\" viewBox=\"0 0 %d %d\" font-size=\"20\" role=\"img\" "
			   "aria-label=\"时间线，%s至%s\" xmlns=\"http://www.w3.org/2000/svg\">"
			   "<title>时间线（%s至%s）</title>", w_all, h, d1, d2, d1, d2);
	for (i = 0; i < n && error >= 0; i++) {
		double x = lw + (double)(v[i].start - lo) * scale;
		double w = (double)(v[i].end - v[i].start + 1) * scale;
		int y = (int)i * ROW_H + 4;
		date_format(v[i].start, d1);
		date_format(v[i].end, d2);
		if ((error = buf_printf(out, "<g class=\"%s\"><text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
					span_class[v[i].kind], lw - 6, y + 22)) < 0 ||
		    (error = esc(out, v[i].label)) < 0)
			break;
		error = buf_printf(out, "</text><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"24\" rx=\"3\">"
				   "<title>%s %s</title></rect></g>", x, y + 2, w < 3 ? 3 : w, d1,
				   v[i].start == v[i].end ? "" : d2);
	}
	if (error >= 0 && today >= lo && today <= hi) {
		double x = lw + (double)(today - lo) * scale + scale / 2;
		/* "今天" is about 40 units wide: near the right edge it ends at
		 * the line instead of starting there, or the SVG clips it. */
		bool right = x + 44 > w_all;

		error = buf_printf(out, "<line class=\"today\" x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%d\"/>"
				   "<text class=\"today\" x=\"%.1f\" y=\"%d\"%s>今天</text>",
				   x, x, h - 14, right ? x - 2 : x - scale / 2, h - 2,
				   right ? " text-anchor=\"end\"" : "");
	}
	date_format(lo, d1);
	date_format(hi, d2);
	if (error >= 0)
		error = buf_printf(out, "<text class=\"axis\" x=\"%d\" y=\"%d\">%s</text>"
				   "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text></svg>",
				   lw, h - 2, d1, w_all - 4, h - 2, d2);
	return error < 0 ? error : 0;
}

int svg_bars(const char *title, const struct svg_bar *v, size_t n, struct buf *out)
{
	long max = 1;
	size_t i;
	int h = (int)n * ROW_H + 8, error, lw = n ? label_width(&v[0].label, n, sizeof(*v)) : LABEL_W;
	int w_all = lw + (W - LABEL_W);

	for (i = 0; i < n; i++)
		max = v[i].value > max ? v[i].value : max;
	if ((error = buf_printf(out, "<svg class=\"bars\" viewBox=\"0 0 %d %d\" font-size=\"20\" role=\"img\" aria-label=\"",
				w_all, h)) < 0 || (error = esc(out, title)) < 0 ||
	    (error = buf_puts(out, "\" xmlns=\"http://www.w3.org/2000/svg\"><title>")) < 0 ||
	    (error = esc(out, title)) < 0 || (error = buf_puts(out, "</title>")) < 0)
		return error;
	for (i = 0; i < n && error >= 0; i++) {
		double w = (double)v[i].value * (w_all - lw - 50) / (double)max;
		int y = (int)i * ROW_H + 4;
		if ((error = buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw - 6,
					y + 22)) < 0 || (error = esc(out, v[i].label)) < 0)
			break;
		error = buf_printf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"24\"/>"
				   "<text class=\"value\" x=\"%.1f\" y=\"%d\">%ld</text>",
				   lw, y + 2, w, lw + w + 6, y + 22, v[i].value);
	}
	return error < 0 ? error : buf_puts(out, "</svg>");
}

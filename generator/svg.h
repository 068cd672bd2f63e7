/*
 * svg.h - inline SVG drawings: a round's timeline, bar charts.
 *
 * The drawings are plain SVG markup for inline use in HTML (no scripts,
 * no external references); every label is escaped.  Each carries
 * role="img", a <title> and an aria-label, and the pages also give the
 * same data as a table, so nothing is only in the picture.
 */
#ifndef GONGSHI_SVG_H
#define GONGSHI_SVG_H

#include <stddef.h>

#include "buf.h"
#include "date.h"

enum svg_span_kind { SVG_SPAN_APPLY, SVG_SPAN_STAGE, SVG_SPAN_NOTICE, SVG_SPAN_APPROVAL };

struct svg_span {
	const char *label;     /* not owned */
	date_t start, end;     /* both included; start == end for a day */
	enum svg_span_kind kind;
};

/* A timeline: one row per span on a common date axis, with today marked
 * when it falls inside. */
int svg_timeline(const struct svg_span *v, size_t n, date_t today, struct buf *out);

struct svg_bar {
	const char *label;     /* not owned */
	long value;
};

/* A horizontal bar chart titled title. */
int svg_bars(const char *title, const struct svg_bar *v, size_t n, struct buf *out);

#endif

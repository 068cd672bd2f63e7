/* diag.c - diagnostics list (see diag.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "buf.h"
#include "diag.h"
#include "error.h"

int diags_add(struct diags *d, enum diag_level level, const char *path,
	      uint32_t line, uint32_t col, const char *rule,
	      const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	struct diag *e;
	va_list ap;
	int error;

	if (!(e = array_grow(d->v, &d->cap, d->n + 1, sizeof(*e))))
		return error_nomem();
	d->v = e;
	va_start(ap, fmt);
	error = buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (error < 0)
		return error;
	e = &d->v[d->n];
	if (!(e->path = strdup(path)) || !(e->msg = buf_detach(&msg))) {
		free(e->path);
		buf_release(&msg);
		return error_nomem();
	}
	e->line = line ? line : 1;
	e->col = col ? col : 1;
	e->level = level;
	e->rule = rule;
	e->seq = d->n++;
	if (level == DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
	return 0;
}

static int diag_cmp(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int diag_same(const struct diag *a, const struct diag *b)
{
	return a->line == b->line && a->col == b->col &&
	       a->level == b->level && !strcmp(a->rule, b->rule) &&
	       !strcmp(a->path, b->path) && !strcmp(a->msg, b->msg);
}

static int diag_same_place(const struct diag *a, const struct diag *b)
{
	return a->line == b->line && a->col == b->col &&
	       !strcmp(a->path, b->path);
}

void diags_sort(struct diags *d)
{
	size_t i, j, k, run = 0;

	if (d->n)
		qsort(d->v, d->n, sizeof(*d->v), diag_cmp);
	for (i = j = 0; i < d->n; i++) {
		/* Duplicates share a place but need not be adjacent. */
		if (j && !diag_same_place(&d->v[run], &d->v[i]))
			run = j;
		for (k = run; k < j && !diag_same(&d->v[k], &d->v[i]); k++)
			;
		if (k < j) {
			if (d->v[i].level == DIAG_ERROR)
				d->nerrors--;
			else
				d->nwarnings--;
			free(d->v[i].path);
			free(d->v[i].msg);
			continue;
		}
		d->v[j] = d->v[i];
		/* Renumbered so that later additions sort after these. */
		d->v[j].seq = j;
		j++;
	}
	d->n = j;
}

/*
 * Record text and file names reach the terminal through diagnostics: a
 * newline in a value must not forge a diagnostic line, nor a control
 * sequence drive the terminal, nor a stray byte break UTF-8 output.
 */
static void put_safe(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, k;

	while (*p) {
		if (*p < 0x20 || *p == 0x7F) {
			fprintf(out, "\\x%02X", *p++);
			continue;
		}
		if (*p < 0x80) {
			fputc(*p++, out);
			continue;
		}
		n = *p >= 0xF0 && *p <= 0xF4 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 && *p < 0xE0 ? 2 : 0;
		for (k = 1; n && k < n; k++)
			if ((p[k] & 0xC0) != 0x80)
				n = 0;
		if (!n) {
			fprintf(out, "\\x%02X", *p++);
			continue;
		}
		/* C1 controls and the Unicode line and paragraph separators */
		if ((n == 2 && p[0] == 0xC2 && p[1] < 0xA0) ||
		    (n == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))) {
			fprintf(out, "\\u%04X", n == 2 ? p[1] : 0x2000 + (p[2] & 0x3F));
			p += n;
			continue;
		}
		fwrite(p, 1, n, out);
		p += n;
	}
}

void diags_print(const struct diags *d, FILE *out)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct diag *e = &d->v[i];
		put_safe(out, e->path);
		fprintf(out, ":%u:%u: %s: ", (unsigned)e->line, (unsigned)e->col,
			e->level == DIAG_ERROR ? "error" : "warning");
		put_safe(out, e->msg);
		fprintf(out, " [%s]\n", e->rule);
	}
}

void diags_print_summary(const struct diags *d, FILE *out)
{
	fprintf(out, "%zu error%s, %zu warning%s\n", d->nerrors,
		d->nerrors == 1 ? "" : "s", d->nwarnings,
		d->nwarnings == 1 ? "" : "s");
}

void diags_release(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].path);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

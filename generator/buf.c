/* buf.c - growable string buffer (see buf.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

int buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return error_nomem();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (!(p = realloc(b->ptr, cap)))
		return error_nomem();
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int buf_put(struct buf *b, const char *data, size_t len)
{
	if (buf_grow(b, len) < 0)
		return error_nomem();
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_put(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_put(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return error_set(ERR_INVALID, "bad format string");
	if (buf_grow(b, (size_t)n) < 0)
		return error_nomem();
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return error;
}

const char *buf_cstr(const struct buf *b)
{
	return b->ptr ? b->ptr : "";
}

void buf_clear(struct buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *buf_detach(struct buf *b)
{
	char *p = b->ptr;

	if (!p && !(p = calloc(1, 1)))
		return NULL;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_release(struct buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

int buf_put_quoted(struct buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;
	int error = 0;

	if ((error = buf_putc(b, '"')) < 0)
		return error;
	for (; *p && error >= 0; p++) {
		if ((*p & 0xC0) != 0x80 && chars++ == max) {
			error = buf_puts(b, "…");
			break;
		}
		if (*p < 0x20 || *p == 0x7F)
			error = buf_printf(b, "\\x%02X", *p);
		else if (*p == '"' || *p == '\\')
			error = buf_printf(b, "\\%c", *p);
		else
			error = buf_putc(b, (char)*p);
	}
	return error < 0 ? error : buf_putc(b, '"');
}

int buf_put_xml(struct buf *b, const char *s)
{
	const char *run = s;
	int error = 0;

	for (; *s && error >= 0; s++) {
		const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
				  : *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
		if (rep && (error = buf_put(b, run, (size_t)(s - run))) >= 0) {
			error = buf_puts(b, rep);
			run = s + 1;
		}
	}
	return error < 0 ? error : buf_puts(b, run);
}

int buf_read_file(struct buf *b, const char *path)
{
	char chunk[65536];
	size_t got;
	FILE *fp;
	int error = 0;

	if (!(fp = fopen(path, "rb")))
		return error_set(ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if ((error = buf_put(b, chunk, got)) < 0)
			break;
	if (error >= 0 && (ferror(fp) || !feof(fp)))
		error = error_set(ERR_IO, "%s: cannot read: %s", path, strerror(errno ? errno : EIO));
	fclose(fp);
	return error;
}

/*
 * buf.h - the one growable string buffer.
 *
 * A struct buf owns ptr (heap, NUL-terminated whenever len > 0 or
 * after any successful put).  Start from BUF_INIT; no function leaves
 * ptr dangling.  After an allocation failure the buffer keeps its old
 * contents and the call returns ERR_NOMEM.
 */
#ifndef GONGSHI_BUF_H
#define GONGSHI_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *ptr;  /* contents, NUL-terminated; NULL while nothing was put */
	size_t len; /* bytes used, excluding the terminating NUL */
	size_t cap; /* bytes allocated */
};

#define BUF_INIT { NULL, 0, 0 }

/* Makes room for extra more bytes plus the NUL. */
int buf_grow(struct buf *b, size_t extra);
int buf_put(struct buf *b, const char *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends the whole of the file at path: ERR_IO naming it (and what
 * went wrong) when it cannot be opened or read, ERR_NOMEM. */
int buf_read_file(struct buf *b, const char *path);

/* Appends s in double quotes for a one-line message: control characters
 * and quotes escaped, cut after max code points with an ellipsis, so
 * that record text can never break a terminal or a diagnostic line. */
int buf_put_quoted(struct buf *b, const char *s, size_t max);

/* Appends s with & < > " ' as XML's entities, for text written into XML
 * by hand rather than through a template. */
int buf_put_xml(struct buf *b, const char *s);

/* The contents as a C string; "" for an empty buffer. */
const char *buf_cstr(const struct buf *b);

/* Empties the buffer, keeping its memory. */
void buf_clear(struct buf *b);

/* Hands the contents to the caller (free() it) and resets b; returns
 * NULL only on allocation failure for an empty buffer. */
char *buf_detach(struct buf *b);

/* Frees the contents and resets b to BUF_INIT. */
void buf_release(struct buf *b);

#endif

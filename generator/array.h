/*
 * array.h - the one growable-array helper.
 *
 *     struct item *v;
 *     if (!(v = array_grow(s->v, &s->cap, s->n + 1, sizeof(*v))))
 *             return error_nomem();
 *     s->v = v;
 *
 * array_grow returns an array of at least need elements of size bytes
 * holding v's first *cap elements (v itself when it is large enough),
 * and sets *cap; capacity doubles, from 16.  On failure (out of memory,
 * or need * size overflows) it returns NULL and v is untouched and still
 * the caller's.  No error message is set.
 */
#ifndef GONGSHI_ARRAY_H
#define GONGSHI_ARRAY_H

#include <stddef.h>

void *array_grow(void *v, size_t *cap, size_t need, size_t size);

#endif

/*
 * group.h - records grouped by a key, for O(log n) lookups.
 *
 * A group is an index over an array it does not own: pointers to its
 * elements sorted by a key (an id they point at), equal keys in the
 * array's order.
 */
#ifndef GONGSHI_GROUP_H
#define GONGSHI_GROUP_H

#include <stddef.h>

/* Records grouped by a key (an id they point at), for O(log n) lookups. */
struct group {
	const void **v;          /* owned; sorted by key, then as inserted */
	size_t n;                /* v's count */
	const char *(*key)(const void *); /* the key of an element, NULL:
					     none (left out) */
};

/*
 * Builds g over the n elements of arr (each size bytes) whose key is
 * not NULL.  0, or ERR_NOMEM.
 */
int group_build(struct group *g, const void *arr, size_t n, size_t size,
		const char *(*key)(const void *));

/* The members with key k: *first, and the count. */
size_t group_find(const struct group *g, const char *k, const void *const **first);

/* Frees what g owns. */
void group_release(struct group *g);

#endif

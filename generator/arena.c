/* arena.c - the one arena (see arena.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

static void *take(struct arena *a, size_t n, size_t align)
{
	struct arena_block *b = a->blocks;
	size_t size = a->block ? a->block : ARENA_BLOCK, at;

	if (b) {
		at = (b->used + align - 1) / align * align;
		if (at <= b->cap && b->cap - at >= n) {
			b->used = at + n;
			return (char *)b->data + at;
		}
	}
	if (n > SIZE_MAX - sizeof(*b) - sizeof(max_align_t))
		return NULL;
	/* a large request gets its own block behind the current one, so the
	 * current one's free space is not wasted */
	if (n > size / 4 && b) {
		struct arena_block *big = malloc(sizeof(*big) + n);
		if (!big)
			return NULL;
		big->used = big->cap = n;
		big->next = b->next;
		b->next = big;
		return big->data;
	}
	if (n > size)
		size = n;
	if (!(b = malloc(sizeof(*b) + size)))
		return NULL;
	b->used = n;
	b->cap = size;
	b->next = a->blocks;
	a->blocks = b;
	return b->data;
}

void *arena_alloc(struct arena *a, size_t n)
{
	return take(a, n ? n : 1, _Alignof(max_align_t));
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	if ((p = arena_alloc(a, n * size)))
		memset(p, 0, n * size);
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = take(a, n, 1);

	return p ? memcpy(p, s, n) : NULL;
}

void arena_merge(struct arena *dst, struct arena *src)
{
	struct arena_block **tail = &dst->blocks;

	while (*tail)
		tail = &(*tail)->next;
	*tail = src->blocks;
	src->blocks = NULL;
}

void arena_release(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	a->blocks = NULL;
}

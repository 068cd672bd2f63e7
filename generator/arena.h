/*
 * arena.h - the one arena: many small allocations freed together.
 *
 * A struct arena owns a list of blocks; every pointer it hands out lives
 * until arena_release().  Records and histories keep their strings and
 * sub-arrays here: a record of national size holds millions of strings,
 * and one malloc each cost more in headers and in freeing than the text.
 * Start from ARENA_INIT.  No function sets an error message: a NULL
 * return means out of memory, and the caller says so (error_nomem()).
 */
#ifndef GONGSHI_ARENA_H
#define GONGSHI_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *blocks; /* owned list, the newest first */
	size_t block;               /* bytes of a new block; 0: ARENA_BLOCK */
};

#define ARENA_BLOCK (64 * 1024)
#define ARENA_INIT { .blocks = NULL, .block = 0 }

/* n bytes aligned for any object (max_align_t), uninitialized. */
void *arena_alloc(struct arena *a, size_t n);
/* n zeroed elements of size bytes; NULL also when n * size overflows. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
/* A copy of s (not aligned: strings need none). */
char *arena_strdup(struct arena *a, const char *s);
/* Moves src's blocks to dst; src is left empty. */
void arena_merge(struct arena *dst, struct arena *src);
/* Frees every block; a is ARENA_INIT again (its block size kept). */
void arena_release(struct arena *a);

#endif

/* group.c - records grouped by a key, for O(log n) lookups (see group.h). */

#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "ctx.h"
#include "group.h"

/* ---- groups ---- */

static int group_cmp(const void *a, const void *b, const char *(*key)(const void *))
{
	return strcmp(key(*(const void *const *)a), key(*(const void *const *)b));
}

static const char *(*sort_key)(const void *);

static int group_sort(const void *a, const void *b)
{
	int c = group_cmp(a, b, sort_key);

	/* stable on the array order, which is id order */
	if (c)
		return c;
	return *(const void *const *)a < *(const void *const *)b ? -1
	       : *(const void *const *)a > *(const void *const *)b;
}

int group_build(struct group *g, const void *arr, size_t n, size_t size,
		       const char *(*key)(const void *))
{
	size_t i;

	g->key = key;
	g->n = 0;
	if (!(g->v = malloc((n + 1) * sizeof(*g->v))))
		return fail_nomem();
	for (i = 0; i < n; i++) {
		const void *e = (const char *)arr + i * size;
		if (key(e))
			g->v[g->n++] = e;
	}
	sort_key = key;
	qsort(g->v, g->n, sizeof(*g->v), group_sort);
	return 0;
}

/* The members with key k: *first, and the count. */
size_t group_find(const struct group *g, const char *k, const void *const **first)
{
	size_t lo = 0, hi = g->n, end;

	*first = NULL;
	if (!k)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(g->key(g->v[mid]), k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < g->n && !strcmp(g->key(g->v[end]), k); end++)
		;
	*first = g->v + lo;
	return end - lo;
}

void group_release(struct group *g)
{
	free(g->v);
	g->v = NULL;
	g->n = 0;
}

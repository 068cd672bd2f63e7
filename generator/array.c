/* array.c - the one growable-array helper (see array.h). */
#include <stdint.h>
#include <stdlib.h>

#include "array.h"

void *array_grow(void *v, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;

	if (need <= *cap && v)
		return v;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (!size || n > SIZE_MAX / size || !(v = realloc(v, n * size)))
		return NULL;
	*cap = n;
	return v;
}

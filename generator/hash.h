/*
 * hash.h - the one string hash (FNV-1a, 64 bits), for the open-addressing
 * sets of the history's strings, the output's paths and the templates.
 * Not for anything stored or published: it may change.
 */
#ifndef GONGSHI_HASH_H
#define GONGSHI_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ULL;

	while (n--)
		h = (h ^ *s++) * 1099511628211ULL;
	return h;
}

static inline uint64_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

#endif

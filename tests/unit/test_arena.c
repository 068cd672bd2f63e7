/* test_arena.c - the arena, the growable-array helper and the string hash
 * (generator/arena.c, array.c, hash.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "array.h"
#include "hash.h"
#include "unit.h"

START_TEST(alloc_is_aligned)
{
	struct arena a = ARENA_INIT;
	size_t i;

	/* strings (unaligned) between aligned allocations */
	for (i = 1; i < 200; i++) {
		char *s = arena_strdup(&a, "x");
		void *p = arena_alloc(&a, i);
		ck_assert_ptr_nonnull(s);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % _Alignof(max_align_t), 0);
		memset(p, 0xab, i);
		ck_assert_str_eq(s, "x");
	}
	arena_release(&a);
	ck_assert_ptr_null(a.blocks);
}
END_TEST

START_TEST(strings_survive_new_blocks)
{
	struct arena a = { .block = 256 };
	char *kept[1000], want[16];
	size_t i;

	for (i = 0; i < 1000; i++) {
		snprintf(want, sizeof(want), "s%zu", i);
		kept[i] = arena_strdup(&a, want);
		ck_assert_ptr_nonnull(kept[i]);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(want, sizeof(want), "s%zu", i);
		ck_assert_str_eq(kept[i], want);
	}
	arena_release(&a);
}
END_TEST

START_TEST(large_request_keeps_current_block)
{
	struct arena a = { .block = 1024 };
	char *small = arena_alloc(&a, 16), *big, *after;

	ck_assert_ptr_nonnull(small);
	big = arena_alloc(&a, 100000); /* ck_assert_* may evaluate twice */
	ck_assert_ptr_nonnull(big);
	memset(big, 1, 100000);
	/* the next small one still comes from the first block, right after */
	after = arena_alloc(&a, 16);
	ck_assert_ptr_eq(after, small + 16);
	arena_release(&a);
}
END_TEST

START_TEST(calloc_zeroes_and_refuses_overflow)
{
	struct arena a = ARENA_INIT;
	unsigned char *p = arena_calloc(&a, 100, 3);
	size_t i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < 300; i++)
		ck_assert_uint_eq(p[i], 0);
	ck_assert_ptr_null(arena_calloc(&a, SIZE_MAX / 2, 3));
	ck_assert_ptr_null(arena_alloc(&a, SIZE_MAX - 8));
	arena_release(&a);
}
END_TEST

START_TEST(merge_moves_blocks)
{
	struct arena a = ARENA_INIT, b = ARENA_INIT;
	char *s = arena_strdup(&b, "kept after merge");

	ck_assert_ptr_nonnull(arena_strdup(&a, "a"));
	arena_merge(&a, &b);
	ck_assert_ptr_null(b.blocks);
	arena_release(&b); /* nothing: s is a's now */
	ck_assert_str_eq(s, "kept after merge");
	arena_release(&a);
}
END_TEST

START_TEST(array_grows_and_keeps)
{
	int *v = NULL, *w;
	size_t cap = 0, n;

	for (n = 0; n < 1000; n++) {
		w = array_grow(v, &cap, n + 1, sizeof(*v));
		ck_assert_ptr_nonnull(w);
		v = w;
		v[n] = (int)n;
		ck_assert_uint_ge(cap, n + 1);
	}
	for (n = 0; n < 1000; n++)
		ck_assert_int_eq(v[n], (int)n);
	ck_assert_uint_eq(cap, 1024);
	/* a request within the capacity returns the same array */
	ck_assert_ptr_eq(array_grow(v, &cap, 10, sizeof(*v)), v);
	free(v);
}
END_TEST

START_TEST(array_overflow_leaves_array)
{
	int *v = NULL;
	size_t cap = 0;

	v = array_grow(v, &cap, 4, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	v[3] = 7;
	ck_assert_ptr_null(array_grow(v, &cap, SIZE_MAX / 2, sizeof(*v)));
	ck_assert_uint_eq(cap, 16);
	ck_assert_int_eq(v[3], 7);
	free(v);
}
END_TEST

START_TEST(hash_is_fnv1a)
{
	/* the published FNV-1a 64 test values */
	ck_assert_uint_eq(hash_str(""), 0xcbf29ce484222325ULL);
	ck_assert_uint_eq(hash_str("a"), 0xaf63dc4c8601ec8cULL);
	ck_assert_uint_eq(hash_bytes("foobar", 6), 0x85944171f73967e8ULL);
	ck_assert_uint_eq(hash_bytes("foobar", 3), hash_str("foo"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, alloc_is_aligned);
	tcase_add_test(tc, strings_survive_new_blocks);
	tcase_add_test(tc, large_request_keeps_current_block);
	tcase_add_test(tc, calloc_zeroes_and_refuses_overflow);
	tcase_add_test(tc, merge_moves_blocks);
	tcase_add_test(tc, array_grows_and_keeps);
	tcase_add_test(tc, array_overflow_leaves_array);
	tcase_add_test(tc, hash_is_fnv1a);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

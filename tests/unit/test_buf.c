/* test_buf.c - the growable string buffer (generator/buf.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "unit.h"

static int put_formatted(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return error;
}

START_TEST(empty)
{
	struct buf b = BUF_INIT;

	ck_assert_ptr_null(b.ptr);
	ck_assert_str_eq(buf_cstr(&b), "");
	buf_clear(&b);
	ck_assert_ptr_null(b.ptr);
	buf_release(&b);
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(empty_put_allocates)
{
	struct buf b = BUF_INIT;

	/* "NUL-terminated after any successful put", even of nothing. */
	ck_assert_int_eq(buf_put(&b, "", 0), 0);
	ck_assert_ptr_nonnull(b.ptr);
	ck_assert_int_eq(b.ptr[0], '\0');
	ck_assert_uint_eq(b.len, 0);
	buf_release(&b);
}
END_TEST

START_TEST(appends)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(buf_puts(&b, "公示"), 0);
	ck_assert_int_eq(buf_putc(&b, ':'), 0);
	ck_assert_int_eq(buf_put(&b, "abcdef", 3), 0);
	ck_assert_int_eq(buf_printf(&b, " %d-%s", 42, "x"), 0);
	ck_assert_int_eq(put_formatted(&b, "%c%05.1f", '|', 2.5), 0);
	ck_assert_str_eq(buf_cstr(&b), "公示:abc 42-x|002.5");
	ck_assert_uint_eq(b.len, strlen("公示:abc 42-x|002.5"));
	ck_assert_uint_gt(b.cap, b.len);
	buf_release(&b);
}
END_TEST

START_TEST(embedded_nul)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(buf_put(&b, "a\0b", 3), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(memcmp(b.ptr, "a\0b", 4), 0);
	ck_assert_int_eq(buf_putc(&b, '\0'), 0);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_int_eq(b.ptr[4], '\0');
	buf_release(&b);
}
END_TEST

START_TEST(grows)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < 10000; i++) {
		ck_assert_int_eq(buf_putc(&b, (char)('a' + i % 26)), 0);
		ck_assert_uint_ge(b.cap, b.len + 1);
	}
	ck_assert_uint_eq(b.len, 10000);
	ck_assert_uint_eq(strlen(b.ptr), 10000);
	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(b.ptr[i], 'a' + (int)(i % 26));
	buf_release(&b);
}
END_TEST

START_TEST(printf_longer_than_first_block)
{
	struct buf b = BUF_INIT;
	char want[301];

	memset(want, 'x', 300);
	want[300] = '\0';
	ck_assert_int_eq(buf_puts(&b, "<"), 0);
	ck_assert_int_eq(buf_printf(&b, "%s", want), 0);
	ck_assert_int_eq(buf_printf(&b, "%s", ">"), 0);
	ck_assert_uint_eq(b.len, 302);
	ck_assert_int_eq(b.ptr[0], '<');
	ck_assert_int_eq(memcmp(b.ptr + 1, want, 300), 0);
	ck_assert_str_eq(b.ptr + 301, ">");
	ck_assert_int_eq(buf_printf(&b, "%s", ""), 0);
	ck_assert_uint_eq(b.len, 302);
	buf_release(&b);
}
END_TEST

START_TEST(grow_reserves)
{
	struct buf b = BUF_INIT;
	char *p;

	ck_assert_int_eq(buf_puts(&b, "ab"), 0);
	ck_assert_int_eq(buf_grow(&b, 1000), 0);
	ck_assert_uint_ge(b.cap, 2 + 1000 + 1);
	ck_assert_str_eq(b.ptr, "ab");
	p = b.ptr;
	ck_assert_int_eq(buf_put(&b, "0123456789", 10), 0);
	ck_assert_ptr_eq(b.ptr, p);	/* no reallocation within the room */
	buf_release(&b);
}
END_TEST

START_TEST(overflow_keeps_contents)
{
	struct buf b = BUF_INIT;
	size_t cap;

	ck_assert_int_eq(buf_puts(&b, "keep"), 0);
	cap = b.cap;
	ck_assert_int_eq(buf_grow(&b, SIZE_MAX), ERR_NOMEM);
	ck_assert_int_eq(buf_grow(&b, SIZE_MAX - 4), ERR_NOMEM);
	ck_assert_int_eq(buf_put(&b, "x", SIZE_MAX), ERR_NOMEM);
	ck_assert_str_eq(buf_cstr(&b), "keep");
	ck_assert_uint_eq(b.len, 4);
	ck_assert_uint_eq(b.cap, cap);
	buf_release(&b);
}
END_TEST

START_TEST(clear_keeps_memory)
{
	struct buf b = BUF_INIT;
	char *p;
	size_t cap;

	ck_assert_int_eq(buf_puts(&b, "something"), 0);
	p = b.ptr;
	cap = b.cap;
	buf_clear(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(buf_cstr(&b), "");
	ck_assert_ptr_eq(b.ptr, p);
	ck_assert_uint_eq(b.cap, cap);
	ck_assert_int_eq(buf_puts(&b, "new"), 0);
	ck_assert_str_eq(buf_cstr(&b), "new");
	buf_release(&b);
}
END_TEST

START_TEST(detach)
{
	struct buf b = BUF_INIT;
	char *s;

	ck_assert_int_eq(buf_puts(&b, "owned"), 0);
	s = buf_detach(&b);
	ck_assert_str_eq(s, "owned");
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	free(s);

	s = buf_detach(&b);	/* empty: still a string to free */
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	free(s);

	ck_assert_int_eq(buf_puts(&b, "again"), 0);
	ck_assert_str_eq(buf_cstr(&b), "again");
	buf_release(&b);
}
END_TEST

START_TEST(release_resets)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(buf_puts(&b, "x"), 0);
	buf_release(&b);
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	buf_release(&b);
	ck_assert_int_eq(buf_puts(&b, "y"), 0);
	ck_assert_str_eq(buf_cstr(&b), "y");
	buf_release(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, empty);
	tcase_add_test(tc, empty_put_allocates);
	tcase_add_test(tc, appends);
	tcase_add_test(tc, embedded_nul);
	tcase_add_test(tc, grows);
	tcase_add_test(tc, printf_longer_than_first_block);
	tcase_add_test(tc, grow_reserves);
	tcase_add_test(tc, overflow_keeps_contents);
	tcase_add_test(tc, clear_keeps_memory);
	tcase_add_test(tc, detach);
	tcase_add_test(tc, release_resets);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

/* test_fingerprint.c - keyed fingerprints of private values
 * (generator/fingerprint.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fingerprint.h"
#include "unit.h"

static char home[64];

static void setup(void)
{
	snprintf(home, sizeof(home), "/tmp/gongshi-fp-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(home));
	unsetenv("GONGSHI_FINGERPRINT_KEY");
	setenv("XDG_CONFIG_HOME", home, 1);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_key(const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/gongshi", home);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/gongshi/fingerprint-key", home);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

START_TEST(no_key)
{
	struct fingerprint_key k;

	ck_assert_int_eq(fingerprint_key_load(&k), 0);
	ck_assert_ptr_null(k.key);
	setenv("GONGSHI_FINGERPRINT_KEY", "", 1); /* set empty: none */
	ck_assert_int_eq(fingerprint_key_load(&k), 0);
	fingerprint_key_release(&k);
}
END_TEST

START_TEST(key_from_the_environment_first)
{
	struct fingerprint_key k;
	cJSON *v = cJSON_CreateString("SECRET");
	char fp[FINGERPRINT_HEX + 1];

	write_key("another key of enough bytes\n");
	setenv("GONGSHI_FINGERPRINT_KEY", "0123456789abcdef", 1);
	ck_assert_int_eq(fingerprint_key_load(&k), 1);
	ck_assert_int_eq(fingerprint_of(&k, v, fp), 0);
	/* printf %s SECRET | openssl dgst -sha256 -hmac 0123456789abcdef */
	ck_assert_str_eq(fp, "2b0d304e9cfc0ca3");
	fingerprint_key_release(&k);
	ck_assert_ptr_null(k.key);
	cJSON_Delete(v);
}
END_TEST

START_TEST(key_from_the_file)
{
	struct fingerprint_key k;
	cJSON *v = cJSON_CreateString("SECRET"), *n = cJSON_CreateNumber(13909310000.0);
	char fp[FINGERPRINT_HEX + 1], fn[FINGERPRINT_HEX + 1];

	write_key("0123456789abcdef\r\n"); /* the line end is not part of it */
	ck_assert_int_eq(fingerprint_key_load(&k), 1);
	ck_assert_uint_eq(k.len, 16);
	ck_assert_int_eq(fingerprint_of(&k, v, fp), 0);
	ck_assert_str_eq(fp, "2b0d304e9cfc0ca3");
	ck_assert_int_eq(fingerprint_of(&k, n, fn), 0);
	ck_assert_uint_eq(strlen(fn), FINGERPRINT_HEX);
	ck_assert_str_ne(fn, fp);
	fingerprint_key_release(&k);
	cJSON_Delete(v);
	cJSON_Delete(n);
}
END_TEST

START_TEST(short_key_refused)
{
	struct fingerprint_key k;

	write_key("123456789012345\n");
	ck_assert_int_eq(fingerprint_key_load(&k), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(error_message(), "fingerprint-key: the fingerprint key has 15 bytes"));
	ck_assert_ptr_null(k.key);
	setenv("GONGSHI_FINGERPRINT_KEY", "short", 1);
	ck_assert_int_eq(fingerprint_key_load(&k), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(error_message(), "GONGSHI_FINGERPRINT_KEY"));
}
END_TEST

START_TEST(unreadable_key_file)
{
	struct fingerprint_key k;
	char path[128];

	/* a folder where the file should be: it cannot be read */
	snprintf(path, sizeof(path), "%s/gongshi", home);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/gongshi/fingerprint-key", home);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_lt(fingerprint_key_load(&k), 0);
	ck_assert_ptr_null(k.key);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fingerprint");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, no_key);
	tcase_add_test(tc, key_from_the_environment_first);
	tcase_add_test(tc, key_from_the_file);
	tcase_add_test(tc, short_key_refused);
	tcase_add_test(tc, unreadable_key_file);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

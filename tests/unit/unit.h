/*
 * unit.h - shared scaffolding for the Check unit tests.
 *
 * Each tests/unit/test_MODULE.c defines "static Suite *suite(void)" and
 * ends with UNIT_MAIN; the Makefile builds one binary per file.
 */
#ifndef GONGSHI_UNIT_H
#define GONGSHI_UNIT_H

#include <check.h>
#include <stdlib.h>

#define UNIT_MAIN                                                     \
	int main(void)                                                \
	{                                                             \
		SRunner *sr = srunner_create(suite());                \
		int failed;                                           \
		srunner_run_all(sr, CK_NORMAL);                       \
		failed = srunner_ntests_failed(sr);                   \
		srunner_free(sr);                                     \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;          \
	}

#endif

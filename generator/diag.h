/*
 * diag.h - diagnostics about the record.
 *
 * A diagnostic says where the record breaks a rule:
 *
 *     data/notices/x.json:12:5: error: message [rule-id]
 *
 * Lines and columns are 1-based; columns count Unicode characters, not
 * bytes, so they match what an editor shows for Chinese text.
 */
#ifndef GONGSHI_DIAG_H
#define GONGSHI_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum diag_level { DIAG_WARNING = 0, DIAG_ERROR = 1 };

struct diag {
	char *path;            /* owned: path relative to the repository */
	uint32_t line, col;    /* 1-based position */
	enum diag_level level;
	const char *rule;      /* static rule id, e.g. "notice-period" */
	char *msg;             /* owned: the message, no trailing newline */
	size_t seq;            /* insertion order, the last sort key */
};

struct diags {
	struct diag *v;        /* owned array of n entries */
	size_t n, cap;
	size_t nerrors, nwarnings;
};

#define DIAGS_INIT { .v = NULL }

/* Adds a diagnostic; rule must be a string with static lifetime.
 * Returns 0 or ERR_NOMEM. */
int diags_add(struct diags *d, enum diag_level level, const char *path,
	      uint32_t line, uint32_t col, const char *rule,
	      const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Sorts by path, line, column, then insertion order, and drops exact
 * duplicates (same position, level, rule and message). */
void diags_sort(struct diags *d);

/* Prints every diagnostic, one a line, then nothing else. */
void diags_print(const struct diags *d, FILE *out);

/* Prints "N errors, M warnings" (singular forms where 1). */
void diags_print_summary(const struct diags *d, FILE *out);

void diags_release(struct diags *d);

#endif

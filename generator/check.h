/*
 * check.h - holding the record to its programs' rules.
 *
 * Loading (record.h) reports what is wrong with a single file: syntax,
 * schema, ids, references.  check_record() adds what is wrong across
 * files: each program's rules from its measures.  No program is named
 * here: every rule is a generic check whose parameters, and the article
 * they come from, are data in the program's file.
 */
#ifndef GONGSHI_CHECK_H
#define GONGSHI_CHECK_H

#include <stddef.h>

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "record.h"

struct check_options {
	date_t today; /* for deadlines still running (objection-overdue) */
};

/* Adds a diagnostic per broken rule; 0 or ERR_NOMEM. */
int check_record(const struct record *r, const struct check_options *o,
		 struct diags *d);

/* One rule the checker enforces. */
struct check_rule {
	const char *id;       /* as printed in brackets after a diagnostic */
	const char *level;    /* "error" or "warning" */
	const char *summary;  /* what it checks, one line */
	/* Appends this program's parameter and article to out, and returns
	 * 1; returns 0 if the rule takes no parameter from programs, or the
	 * program does not have it.  NULL for rules of the format. */
	int (*describe)(const struct program *p, struct buf *out);
};

extern const struct check_rule check_rules[];
extern const size_t check_nrules;

#endif

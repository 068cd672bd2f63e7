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

/*
 * Lapses: the errors of the programs' rules (every rule error check_record
 * reports but "program-rules" and "calendar-missing", which are about the
 * record's format, not about what the office did), kept with what a page
 * needs to tell them in a sentence of its own.  A build tells apart
 * (check_classify):
 *
 *   LAPSE_NEW      the commit being published brings it: an error of the
 *                  commit checked with today = the commit's date (in
 *                  China) that is not an error of its first parent
 *                  checked the same way (the working tree: today, against
 *                  HEAD).  The build is refused unless the file names the
 *                  rule under "lapses" (an override, record.h).
 *   LAPSE_HISTORY  an error of the commit on its date that its parent
 *                  has too: already published.
 *   LAPSE_TIME     not an error of the commit on its date: it arose
 *                  since, as days passed (an objection gone overdue).
 *
 * Two errors are the same lapse when they name the same file, rule and
 * message; an objection decided late (objection-deadline) is the same
 * lapse as its being overdue before (objection-overdue).
 */
enum lapse_origin { LAPSE_NEW, LAPSE_HISTORY, LAPSE_TIME };

struct check_lapse {
	const char *rule;      /* static rule id */
	const char *path;      /* the file the diagnostic names (the record's) */
	char *msg;             /* owned: the diagnostic's message */
	struct json_pos pos;
	const char *article;   /* the rule's article, NULL when not at hand */
	date_t due;            /* a deadline missed, or DATE_NONE */
	date_t date;           /* when it was met after all, or DATE_NONE */
	date_t start, end;     /* a notice's period, or DATE_NONE */
	long n, want;          /* a length and the length required (0: none) */
	bool working;          /* n and want count working days */
	bool over;             /* n is more than allowed, not fewer */
	/* the records it concerns, where known (NULL otherwise) */
	const struct round *round;
	const struct notice *notice;
	const struct objection *objection;
	enum lapse_origin origin;
	const struct record_lapse *override; /* the file's override, or NULL */
};

struct check_lapses {
	struct check_lapse *v; /* owned */
	size_t n, cap;
};

#define CHECK_LAPSES_INIT { NULL, 0, 0 }

void check_lapses_release(struct check_lapses *l);

struct check_options {
	date_t today; /* for deadlines still running (objection-overdue) */
	struct check_lapses *lapses; /* where to add the lapses (NULL: not kept) */
};

/* Adds a diagnostic per broken rule; 0 or ERR_NOMEM. */
int check_record(const struct record *r, const struct check_options *o,
		 struct diags *d);

/*
 * Sets the origin and override of each lapse of now (the record checked
 * on the date asked for), given at_commit (the same record checked on
 * its commit's date) and parent (its first parent checked on that date;
 * NULL when it has none: everything is new).  Returns the number of
 * lapses that block a build: new, and not overridden.
 */
size_t check_classify(const struct record *r, struct check_lapses *now,
		      const struct check_lapses *at_commit, const struct check_lapses *parent);

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

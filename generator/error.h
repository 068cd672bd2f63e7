/*
 * error.h - status codes and the last error message.
 *
 * Every fallible function returns an int: 0 (or a documented positive
 * value) on success, a negative ERR_* code on failure, following
 * libgit2's convention:
 *
 *     if ((error = f()) < 0)
 *             goto done;
 *
 * The function that first detects a failure records a message with
 * error_set(); callers propagate the code untouched, and the command
 * layer prints error_message() once.  Problems *in the record* are not
 * errors in this sense: they are diagnostics (see diag.h).
 */
#ifndef GONGSHI_ERROR_H
#define GONGSHI_ERROR_H

enum {
	ERR_OK = 0,
	ERR_NOMEM = -1,     /* allocation failed */
	ERR_IO = -2,        /* reading or writing a file failed */
	ERR_GIT = -3,       /* the repository could not be read */
	ERR_USAGE = -4,     /* bad command-line use */
	ERR_INVALID = -5,   /* malformed input where no diagnostic applies */
	ERR_CALENDAR = -6,  /* a date outside the working-day calendar */
	ERR_LIMIT = -7,     /* an input exceeds a fixed limit */
	ERR_REWRITE = -8    /* the history was rewritten since the last publication */
};

/* Records a printf-style message for code and returns code. */
int error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The message recorded last ("out of memory" for ERR_NOMEM if none). */
const char *error_message(void);

/* error_set(ERR_NOMEM, "out of memory"): so that a message is never stale. */
int error_nomem(void);

/* Forgets the recorded message. */
void error_clear(void);

#endif

/*
 * resid.h - citizens' identity numbers (公民身份号码, GB 11643-1999).
 *
 * An individual applicant's ID number is private: these functions say
 * whether one is well formed without ever putting it in a message.
 */
#ifndef GONGSHI_RESID_H
#define GONGSHI_RESID_H

#include <stdbool.h>

enum resid_problem {
	RESID_OK,
	RESID_FORM,        /* not 17 digits and a digit or X */
	RESID_BIRTH_DATE,  /* characters 7-14 are not a real date */
	RESID_CHECK        /* the 18th character is not the check character */
};

/* What is wrong with s as an 18-character ID number, if anything. */
enum resid_problem resid_check(const char *s);

/* The check character ('0'-'9' or 'X') of 17 digits, or '\0'. */
char resid_check_char(const char *s);

#endif

/*
 * uscc.h - unified social credit codes (统一社会信用代码, GB 32100-2015).
 */
#ifndef GONGSHI_USCC_H
#define GONGSHI_USCC_H

#include <stdbool.h>

/* The 31 characters a code may contain, in value order. */
#define USCC_CHARSET "0123456789ABCDEFGHJKLMNPQRTUWXY"

/* True if s is 18 characters from USCC_CHARSET.  Says nothing of the
 * check digit. */
bool uscc_well_formed(const char *s);

/* The check character of the first 17 characters of s, which must be
 * well formed; '\0' if they are not. */
char uscc_check_char(const char *s);

/* Well formed and its 18th character is the right check character. */
bool uscc_valid(const char *s);

#endif

/* uscc.c - unified social credit codes (see uscc.h). */
#include <string.h>

#include "uscc.h"

#define USCC_LEN 18

/* The value of c in USCC_CHARSET, or -1; lower case is not accepted
 * because the standard prints codes in capitals only. */
static int value(char c)
{
	const char *p;

	if (c == '\0' || !(p = strchr(USCC_CHARSET, c)))
		return -1;
	return (int)(p - USCC_CHARSET);
}

bool uscc_well_formed(const char *s)
{
	int i;

	if (!s)
		return false;
	for (i = 0; i < USCC_LEN; i++)
		if (value(s[i]) < 0)
			return false;
	return s[USCC_LEN] == '\0';
}

char uscc_check_char(const char *s)
{
	static const unsigned char weight[USCC_LEN - 1] = {
		1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
	};
	int i, v, sum = 0;

	if (!s)
		return '\0';
	for (i = 0; i < USCC_LEN - 1; i++) {
		if ((v = value(s[i])) < 0)
			return '\0';
		sum += v * weight[i];
	}
	return USCC_CHARSET[(31 - sum % 31) % 31];
}

bool uscc_valid(const char *s)
{
	return uscc_well_formed(s) && uscc_check_char(s) == s[USCC_LEN - 1];
}

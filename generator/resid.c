/* resid.c - citizens' identity numbers (see resid.h). */
#include <string.h>

#include "date.h"
#include "resid.h"

#define RESID_LEN 18

char resid_check_char(const char *s)
{
	/* GB 11643-1999: weights 2^(17-i) mod 11, check = (12 - S mod 11) mod 11, 10 written X */
	static const unsigned char weight[RESID_LEN - 1] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int i, sum = 0, c;

	if (!s)
		return '\0';
	for (i = 0; i < RESID_LEN - 1; i++) {
		if (s[i] < '0' || s[i] > '9')
			return '\0';
		sum += (s[i] - '0') * weight[i];
	}
	c = (12 - sum % 11) % 11;
	return c == 10 ? 'X' : (char)('0' + c);
}

enum resid_problem resid_check(const char *s)
{
	char date[11];
	date_t t;

	if (!s || strlen(s) != RESID_LEN || !resid_check_char(s) ||
	    !((s[17] >= '0' && s[17] <= '9') || s[17] == 'X'))
		return RESID_FORM;
	memcpy(date, s + 6, 4);
	date[4] = '-';
	memcpy(date + 5, s + 10, 2);
	date[7] = '-';
	memcpy(date + 8, s + 12, 2);
	date[10] = '\0';
	if (date_parse(date, &t) < 0)
		return RESID_BIRTH_DATE;
	return resid_check_char(s) == s[17] ? RESID_OK : RESID_CHECK;
}

/* text.c - Chinese text for citizens (see text.h). */
#include <stdio.h>

#include "text.h"

void text_money(char *out, size_t size, long yuan)
{
	char digits[32], grouped[48];
	int n, i, j = 0;

	if (yuan && yuan % 10000 == 0) {
		snprintf(out, size, "%ld万元", yuan / 10000);
		return;
	}
	/* unsigned: -LONG_MIN does not fit in a long */
	n = snprintf(digits, sizeof(digits), "%lu", yuan < 0 ? 0UL - (unsigned long)yuan : (unsigned long)yuan);
	if (yuan < 0)
		grouped[j++] = '-';
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[j++] = ',';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	snprintf(out, size, "%s元", grouped);
}

bool text_char_ok(const char *s, size_t n, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	unsigned long cp;
	size_t k, i;

	*len = 1;
	if (*p < 0x80)
		return (*p >= 0x20 && *p != 0x7F) || *p == '\t' || *p == '\n' || *p == '\r';
	/* Unicode table 3-7: no overlong form, surrogate or code point past U+10FFFF */
	if (*p < 0xC2 || *p > 0xF4)
		return false;
	k = *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
	if (*p == 0xE0)
		lo = 0xA0;
	else if (*p == 0xED)
		hi = 0x9F;
	else if (*p == 0xF0)
		lo = 0x90;
	else if (*p == 0xF4)
		hi = 0x8F;
	if (n < k || p[1] < lo || p[1] > hi)
		return false;
	for (i = 2; i < k; i++)
		if ((p[i] & 0xC0) != 0x80)
			return false;
	*len = k;
	cp = *p & (0xFF >> (k + 1));
	for (i = 1; i < k; i++)
		cp = cp << 6 | (p[i] & 0x3F);
	return cp >= 0xA0 && !(cp >= 0xFDD0 && cp <= 0xFDEF) && (cp & 0xFFFE) != 0xFFFE;
}

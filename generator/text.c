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

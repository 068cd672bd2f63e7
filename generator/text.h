/*
 * text.h - Chinese text for citizens: amounts of money.
 */
#ifndef GONGSHI_TEXT_H
#define GONGSHI_TEXT_H

#include <stddef.h>

/* "30万元", "5万元", "1,250元", "0元": whole 万 where exact, as notices
 * write it; otherwise yuan with thousands separators. */
void text_money(char *out, size_t size, long yuan);

#endif

/*
 * text.h - Chinese text for citizens: amounts of money; the characters a
 * page may hold.
 */
#ifndef GONGSHI_TEXT_H
#define GONGSHI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* "30万元", "5万元", "1,250元", "0元": whole 万 where exact, as notices
 * write it; otherwise yuan with thousands separators. */
void text_money(char *out, size_t size, long yuan);

/*
 * Whether the character at s (n > 0 bytes left) may appear in HTML and
 * XML: valid UTF-8, and neither a control character (C0 but tab, line
 * feed and carriage return; DEL; C1) nor a noncharacter.  *len is set to
 * the bytes it takes: the whole character, or 1 for a byte that does
 * not begin one.
 */
bool text_char_ok(const char *s, size_t n, size_t *len);

#endif

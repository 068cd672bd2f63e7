/*
 * fingerprint.h - keyed fingerprints of private values, for reviewers.
 *
 * A reviewer who must see that a private value changed (a contact's
 * phone number corrected) is shown HMAC-SHA256(key, value), cut to 16
 * hex digits, never the value.  The key is kept outside any repository:
 * the environment variable GONGSHI_FINGERPRINT_KEY, else the file
 * $XDG_CONFIG_HOME/gongshi/fingerprint-key (~/.config/... without
 * XDG_CONFIG_HOME), its trailing newline ignored.  Without a key no
 * fingerprint is shown at all: an unkeyed hash of a phone number or an
 * ID number is reversed by hashing every possible one.
 *
 * A string is hashed as its UTF-8 bytes, so that a reviewer who holds
 * the key can confirm a value he knows:
 *   printf %s 13800138000 | openssl dgst -sha256 -hmac "$KEY" | cut -c...
 * any other value as its compact JSON text.
 */
#ifndef GONGSHI_FINGERPRINT_H
#define GONGSHI_FINGERPRINT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define FINGERPRINT_KEY_MIN 16  /* bytes: a shorter key can be guessed */
#define FINGERPRINT_HEX 16      /* hex digits shown */

struct fingerprint_key {
	unsigned char *key;  /* owned; NULL when none is configured */
	size_t len;
};

#define FINGERPRINT_KEY_INIT { NULL, 0 }

/* Loads the key from the environment or the file above.  Returns 1 with
 * a key, 0 when none is configured, ERR_INVALID for a key that is too
 * short, ERR_IO for a key file that cannot be read, or ERR_NOMEM. */
int fingerprint_key_load(struct fingerprint_key *k);

/* The fingerprint of v under k, as FINGERPRINT_HEX hex digits and a NUL.
 * 0 or ERR_NOMEM. */
int fingerprint_of(const struct fingerprint_key *k, const cJSON *v, char out[FINGERPRINT_HEX + 1]);

/* Wipes and frees the key. */
void fingerprint_key_release(struct fingerprint_key *k);

#endif

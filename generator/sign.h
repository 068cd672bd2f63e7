/*
 * sign.h - commit signatures, verified against the office's published keys.
 *
 * The keys are the files content/keys/<name>.json of the commit being
 * built (key.schema.json): each names its holder and carries one
 * OpenPGP public key ("openpgp", armored) or one SSH public key ("ssh",
 * one line of an authorized_keys file).  A signature is good when it is
 * a valid signature, over exactly the signed commit, by one of those
 * keys: OpenPGP through GPGME, in a keyring made for the build in a
 * temporary folder (never the user's own), SSH through `ssh-keygen -Y
 * verify` with an allowed-signers file made from the keys, namespace
 * "git".  Anything else that claims to be a signature (an unknown key,
 * a forged or damaged signature, one over other content) is bad.
 *
 * The result never depends on the clock: gpg is told to ignore time
 * conflicts, and a key's expiry is compared with the time the
 * signature says it was made, not with today.
 */
#ifndef GONGSHI_SIGN_H
#define GONGSHI_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "source.h"

#define SIGN_KEYS_DIR "content/keys"

enum sign_state {
	SIGN_NONE = 0,  /* no signature */
	SIGN_GOOD = 1,  /* verified: by a listed key */
	SIGN_BAD = 2    /* a signature that cannot be verified */
};

struct sign_key {
	char *path;     /* owned: content/keys/<name>.json */
	char *name;     /* owned: who holds it */
	char *fpr;      /* owned: the OpenPGP primary key's fingerprint (40 hex
	                   digits) or the SSH key's ("SHA256:..."); the
	                   fingerprint shown */
	bool ssh;
};

struct sign_keys {
	struct sign_key *v;   /* owned, sorted by path */
	size_t n;
	struct sign_sub *subs; /* owned: every OpenPGP (sub)key (sign.c) */
	size_t nsubs;
	char *home;           /* owned: the temporary folder (GNUPGHOME and the
	                         allowed-signers file); NULL without keys */
	pid_t owner;          /* the process that made home: it alone removes it */
	char id[65];          /* SHA-256 of the key files, hex; "" for none:
	                         a history cache is only used with the same */
	bool pgp, ssh;        /* some key of that kind is listed */
};

#define SIGN_KEYS_INIT { .v = NULL, .subs = NULL, .home = NULL, .owner = 0, .id = "" }

/*
 * Reads the keys of content/keys/ in s and prepares their keyring.  No
 * folder: no keys (every signature is then bad).  ERR_INVALID with
 * "path: message" for a key file that breaks its schema or holds no, or
 * more than one, public key; ERR_IO when gpg, needed for OpenPGP keys,
 * cannot be run.
 */
int sign_keys_load(struct sign_keys *k, const struct source *s);

/*
 * What `check` holds the keys of s to, so that a record it accepts
 * builds: each problem sign_keys_load() would refuse is added to d
 * (rule key-file, or the schema's rules with their positions).  Returns
 * 0, or < 0 when the check cannot run (ERR_IO: gpg missing; ERR_NOMEM).
 */
struct diags;
int sign_keys_check(const struct source *s, struct diags *d);

/* The key with that fingerprint, or NULL. */
const struct sign_key *sign_key_find(const struct sign_keys *k, const char *fpr);

/*
 * Verifies sig, a commit's gpgsig header, over data, the commit without
 * it.  *state is SIGN_GOOD and *who the key for a good signature, else
 * SIGN_BAD and *who NULL.  k may be NULL (no keys).  Fails (< 0) only
 * when the check itself cannot run (ERR_IO: ssh-keygen missing...).
 */
int sign_verify(const struct sign_keys *k, const char *sig, size_t siglen, const char *data, size_t len,
		enum sign_state *state, const struct sign_key **who);

/* Frees the keys and, in the process that made it, the temporary folder. */
void sign_keys_release(struct sign_keys *k);

#endif

/*
 * publog.h - the publication log's hash chain, and checking a copy of a
 * site (gongshi verify).
 *
 * publication-log.json is a JSON array of entries, each an object whose
 * values are strings ("commit", "date", and "rewrite_of",
 * "shallow_boundary", "restart_of", "unchained_before" where they
 * apply).  Each entry's "chain" is the SHA-256, in lowercase hex, of
 *
 *     PREV "\n" then, for each other field sorted bytewise by name,
 *     NAME "=" VALUE "\n"
 *
 * where PREV is the previous entry's chain ("" for the first entry, and
 * for an entry with a "restart_of" field, which starts a new log and may
 * only be first).  The form does not depend on the JSON's whitespace or
 * field order.  A log written before chains existed has no "chain"
 * fields: such entries may only come first, the chain runs through them
 * all the same, and the first chained entry says how many there were
 * ("unchained_before").  The head is the last entry's chain; a build
 * writes it into SHA256SUMS as the comment line PUBLOG_NOTE HEAD, which
 * sha256sum -c skips.
 */
#ifndef GONGSHI_PUBLOG_H
#define GONGSHI_PUBLOG_H

#include <stdio.h>

#include <cjson/cJSON.h>

#define PUBLOG_FILE "publication-log.json"
#define PUBLOG_NOTE "publication-log.json chain head:"

/* out = entry e's chain after prev ("" for none).  ERR_INVALID (saying
 * why) if e is not an object of one-line strings, ERR_NOMEM. */
int publog_hash(const cJSON *e, const char *prev, char out[65]);

/* Checks log (parsed publication-log.json): head = its head ("" when
 * empty), *unchained = the entries before the first "chain".  ERR_INVALID
 * naming the first entry that breaks the chain or the form. */
int publog_check(const cJSON *log, char head[65], int *unchained);

/* hex = the SHA-256 of len bytes at data. */
void publog_digest(const void *data, size_t len, char hex[65]);

/* In the text of a SHA256SUMS: 1 and hex = path's digest if listed, else
 * 0. */
int publog_sums_digest(const char *sums, const char *path, char hex[65]);

/* 1 and head = the head the PUBLOG_NOTE line names, else 0. */
int publog_sums_head(const char *sums, char head[65]);

/* Checks the site in dir: SHA256SUMS (each listed file there with its
 * digest, no other file), the log's chain and head, and with repo (a
 * record repository's folder) that each logged commit is there and
 * descends from the one before (restarts and allowed rewrites are
 * reported).  Says what it finds on out.  0: good, 1: tampered; ERR_IO,
 * ERR_GIT, ERR_NOMEM when it cannot tell. */
int publog_verify(const char *dir, const char *repo, FILE *out);

#endif

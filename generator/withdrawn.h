/*
 * withdrawn.h - withdrawn records: their URLs keep answering.
 *
 * A record deleted from the record keeps its page, a tombstone with its
 * history; an award's certificate may pass from one application to
 * another (struct gone_award).
 */
#ifndef GONGSHI_WITHDRAWN_H
#define GONGSHI_WITHDRAWN_H

#include "build.h"

/* The characters of ids and of certificate numbers: a withdrawn record
 * whose id holds others gets no page (its URL could not be one). */
#define ID_CHARS "abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHJKLMNPQRTUWXY"
#define CERT_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"

/* The folder of the pages of records of kind k, or NULL. */
const char *section_of(enum record_kind k);

/* The kinds of record in words, by enum record_kind. */
extern const char *const kind_zh[KIND_COUNT];

/*
 * Adds a change of a file under content/ to x: what it is and where it
 * is seen now.
 */
void put_content_change(struct site *S, cJSON *x, const struct history_change *e);

/* Whether record (k, id) is in the record. */
bool exists_now(const struct record *r, enum record_kind k, const char *id);

/* The withdrawn application whose refs start at hist.refs[ref], or NULL. */
const struct gone_award *gone_find(const struct site *S, size_t ref);

/* Fills S->gone and S->gone_by_cert from the history.  0 or ERR_NOMEM. */
int gone_awards(struct site *S);

/* Writes the page of every withdrawn record.  0 or < 0. */
int pages_withdrawn(struct site *S);

#endif

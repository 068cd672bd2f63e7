/*
 * trail.h - the audit trail on pages: the changes of a record, in words.
 *
 * Each record's page lists the commits that changed it, newest first, with
 * the fields each changed (words.h); private fields are named, never
 * shown.
 */
#ifndef GONGSHI_TRAIL_H
#define GONGSHI_TRAIL_H

#include "build.h"

/* A change's status in words ("发布", "修改"...). */
const char *hist_status_zh(enum history_status st);

/* A commit message's first line into out. */
void summary_line(const char *msg, char *out, size_t size);

/* The date and time of a commit in China, "2024年3月5日 10:32". */
void commit_time_zh(int64_t t, char *out, size_t size);

/* Adds commit c's id, author, time, summary and signature to o. */
void put_commit(cJSON *o, const struct history_commit *c);

/* Adds the fields a change f of record (kind, id) made, in words. */
void put_fields(struct site *S, cJSON *o, const struct jd_changes *f, enum record_kind kind,
		const char *id);

/* Adds "history" (newest first) to o for record (kind, id); the count. */
size_t put_history(struct site *S, cJSON *o, enum record_kind kind, const char *id);

/*
 * qsort() order of struct gone_award pointers: by certificate, the
 * latest withdrawal first.
 */
int gone_cmp_cert(const void *a, const void *b);

/*
 * put_history() for the page of certificate cert, held by application id
 * (now, or last before it was withdrawn), with the changes of every other
 * id withdrawn with it.  0 or ERR_NOMEM.
 */
int put_award_history(struct site *S, cJSON *o, const char *id, const char *cert);

#endif

/*
 * ctx.h - building the JSON contexts pages render, and their stamps.
 *
 * The put_* and add_* helpers add members to a page's context without a
 * check after each: a failed allocation sets ctx_nomem, and ctx_check(),
 * before every page and JSON file is written, turns it into ERR_NOMEM.
 * The stamp functions record, per unit of work, the newest commit that
 * changed a record the page was built from (struct site, stamp), which
 * the page names in its footer.  Nothing returned is owned by the caller
 * unless said; cJSON objects added are owned by the object they are added
 * to.
 */
#ifndef GONGSHI_CTX_H
#define GONGSHI_CTX_H

#include "build.h"

/* t as "2024-03-05" into out; returns out. */
const char *fmt_iso(char out[11], date_t t);

/* The first line of Markdown text md without its "# ", into out. */
void md_title(const char *md, char *out, size_t size);

/* error_nomem(): ERR_NOMEM with its message set. */
int fail_nomem(void);

/* Set by a put_* or add_* helper that lost a member (see ctx_check()). */
extern bool ctx_nomem;

/*
 * ERR_NOMEM (with error_message() set) if a member was lost to a
 * failed allocation since the last call, else 0; clears the flag.
 */
int ctx_check(void);

/* o's k = v (copied); nothing if v is NULL. */
void put_str(cJSON *o, const char *k, const char *v);

/* o's k = v. */
void put_num(cJSON *o, const char *k, double v);

/* o's k = v. */
void put_bool(cJSON *o, const char *k, bool v);

/* Adds k ("2024-03-05") and k_zh ("2024年3月5日") for a date that is set. */
void put_date(cJSON *o, const char *k, date_t t);

/*
 * Adds item (owned; NULL after a failed allocation) as o's k, or to the
 * array o if k is NULL; a reference to it, not owned, if ref.  Returns
 * item, or NULL when it was not added.
 */
cJSON *put_item(cJSON *o, const char *k, cJSON *item, bool ref);

/* A new object as o's k (NULL after a failed allocation). */
cJSON *add_obj(cJSON *o, const char *k);

/* A new array as o's k (NULL after a failed allocation). */
cJSON *add_arr(cJSON *o, const char *k);

/*
 * A new object at the end of the array arr (NULL after a failed
 * allocation).
 */
cJSON *push_obj(cJSON *arr);

/*
 * The site-relative path of a page ("notices/x/index.html") into out
 * (MAX_URL bytes); returns out.
 */
const char *href(char *out, const char *section, const char *id);

/* Starts a unit of work: nothing stamped yet. */
void stamp_reset(struct site *S);

/* The page shows what commit i (of S->hist.commits) made. */
void stamp_commit(struct site *S, size_t i);

/* Records S's stamp in a list's row (STAMP_KEY), for its list. */
void row_put_stamp(struct site *S, cJSON *row);

/* Takes a row's stamp out of it: the commit index, SIZE_MAX if none. */
size_t row_stamp(cJSON *row);

/* A row made within a page (a list's row, built as the page is): its own
 * stamp starts afresh at row_begin(), which returns the page's; row_end()
 * puts the row's stamp on row and takes the page's up again, the newer of
 * the two. */
size_t row_begin(struct site *S);
void row_end(struct site *S, cJSON *row, size_t page);

/* The page shows record (k, id): stamps the commit that last changed it. */
void stamp_record(struct site *S, enum record_kind k, const char *id);

/* stamp_record() by the newest commit that changed one of fields (a
 * NULL-terminated list of top-level members; not owned) of the record:
 * for what shows only part of a record.  An add, a move or a change
 * whose fields are not known counts as changing every field. */
void stamp_fields(struct site *S, enum record_kind k, const char *id, const char *const *fields);

/* o's k = the page of id under section, stamping that record. */
void put_href(struct site *S, cJSON *o, const char *k, const char *section, const char *id);

/*
 * o's k = md (Markdown, may be NULL) as HTML, headings shifted down
 * by shift levels.  0, or < 0 (ERR_NOMEM).
 */
int put_markdown(cJSON *o, const char *k, const char *md, int shift);

#endif

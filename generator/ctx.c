/* ctx.c - building the JSON contexts pages render, and their stamps (see ctx.h). */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "ctx.h"
#include "error.h"
#include "markdown.h"

/* ---- small helpers ---- */

const char *fmt_iso(char out[11], date_t t)
{
	date_format(t, out);
	return out;
}

/* The first line of Markdown text without its "# ", for a title. */
void md_title(const char *md, char *out, size_t size)
{
	while (*md == '#')
		md++;
	while (*md == ' ')
		md++;
	snprintf(out, size, "%.*s", (int)strcspn(md, "\n"), md);
}

int fail_nomem(void)
{
	return error_nomem();
}

/*
 * Whether a put_* or add_* helper below lost a member to a failed
 * allocation since the last ctx_check(): cJSON's Add functions tell it
 * only by their result, and a check after each of the hundreds of calls
 * that build the pages would be most of their code.  Every page and
 * JSON file is written after a ctx_check(), so such a failure fails the
 * build instead of writing a page with fields missing.  One per
 * process: the workers are processes, each building its pages in one
 * thread.
 */
bool ctx_nomem;

int ctx_check(void)
{
	if (!ctx_nomem)
		return 0;
	ctx_nomem = false;
	return fail_nomem();
}

void put_str(cJSON *o, const char *k, const char *v)
{
	if (v && !cJSON_AddStringToObject(o, k, v))
		ctx_nomem = true;
}

void put_num(cJSON *o, const char *k, double v)
{
	if (!cJSON_AddNumberToObject(o, k, v))
		ctx_nomem = true;
}

void put_bool(cJSON *o, const char *k, bool v)
{
	if (!cJSON_AddBoolToObject(o, k, v))
		ctx_nomem = true;
}

/* Adds k ("2024-03-05") and k_zh ("2024年3月5日") for a date that is set. */
void put_date(cJSON *o, const char *k, date_t t)
{
	char iso[11], zh[32], key[64];

	if (t == DATE_NONE)
		return;
	date_format(t, iso);
	date_format_zh(t, zh);
	put_str(o, k, iso);
	snprintf(key, sizeof(key), "%s_zh", k);
	put_str(o, key, zh);
}

/* Adds item (owned; NULL after a failed allocation) as o's k, or to the
 * array o if k is NULL; a reference to it, not owned, if ref. */
cJSON *put_item(cJSON *o, const char *k, cJSON *item, bool ref)
{
	bool ok;

	if (!item) {
		ctx_nomem = true;
		return NULL;
	}
	if (ref) {
		/* cJSON_AddItemReferenceTo*() leak the reference they make when
		 * adding it fails (the key's copy): make it here, delete it
		 * here.  Deleting a reference frees no child of item. */
		cJSON *r = cJSON_IsObject(item) ? cJSON_CreateObjectReference(item->child)
			 : cJSON_IsArray(item) ? cJSON_CreateArrayReference(item->child)
			 : cJSON_IsString(item) ? cJSON_CreateStringReference(item->valuestring)
			 : cJSON_Duplicate(item, false);
		if (!r || !(k ? cJSON_AddItemToObject(o, k, r) : cJSON_AddItemToArray(o, r))) {
			cJSON_Delete(r);
			ctx_nomem = true;
			return NULL;
		}
		return item;
	}
	ok = k ? cJSON_AddItemToObject(o, k, item) : cJSON_AddItemToArray(o, item);
	if (!ok) {
		cJSON_Delete(item);
		ctx_nomem = true;
		return NULL;
	}
	return item;
}

cJSON *add_obj(cJSON *o, const char *k)
{
	return put_item(o, k, cJSON_CreateObject(), false);
}

cJSON *add_arr(cJSON *o, const char *k)
{
	return put_item(o, k, cJSON_CreateArray(), false);
}

cJSON *push_obj(cJSON *arr)
{
	return put_item(arr, NULL, cJSON_CreateObject(), false);
}

/* Site-relative page paths ("notices/x/index.html"), derived from ids only. */
const char *href(char *out, const char *section, const char *id)
{
	snprintf(out, MAX_URL, "%s/%s/index.html", section, id);
	return out;
}

/* ---- what a page is built from: its stamp ---- */

/*
 * A page names the commit that last changed what it shows, not the
 * build's, so that it changes only when what it shows does.  Records
 * enter a page's context through a few doors, each of which stamps the
 * record: load_public() (a record's full text), the summaries and
 * references of other records (notice_summary(), award_summary(),
 * revocation_summary(), put_org_ref(S, ), put_applicant_ref(S, )) and every
 * link to a record's page (put_href()).  A stamp only ever moves to a
 * newer commit between resets (one per unit of work), so a page that
 * shares a unit with another may name a newer commit than it needs to,
 * never an older one.
 */
void stamp_reset(struct site *S)
{
	S->stamp = SIZE_MAX;
	S->stamp_every = false;
}

void stamp_commit(struct site *S, size_t i)
{
	if (i < S->stamp)
		S->stamp = i;
}

/*
 * A list's page names the newest of its rows' stamps, not the newest
 * commit: a row carries the stamp of exactly what it shows (the records
 * and calendars whose data enter it, between row_begin() and row_end(),
 * not all its record's page shows) as the member STAMP_KEY, taken off
 * again, before the list is written, by row_stamp().  A row whose record
 * was withdrawn, or that moved to another page, is no longer there to
 * stamp the page it left: such a page may name an older commit than
 * the one that changed it (its bytes still change, and a rebuild still
 * equals a clean build).
 */
#define STAMP_KEY "_stamp"

void row_put_stamp(struct site *S, cJSON *row)
{
	if (row && S->stamp != SIZE_MAX)
		put_num(row, STAMP_KEY, (double)S->stamp);
}

size_t row_begin(struct site *S)
{
	size_t page = S->stamp;

	S->stamp = SIZE_MAX;
	return page;
}

void row_end(struct site *S, cJSON *row, size_t page)
{
	row_put_stamp(S, row);
	stamp_commit(S, page);
}

size_t row_stamp(cJSON *row)
{
	cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(row, STAMP_KEY);
	size_t i = cJSON_IsNumber(m) && m->valuedouble >= 0 ? (size_t)m->valuedouble : SIZE_MAX;

	cJSON_Delete(m);
	return i;
}

void stamp_record(struct site *S, enum record_kind k, const char *id)
{
	const struct history_ref *first;

	if (S->has_history && id && history_of(&S->hist, k, id, &first))
		stamp_commit(S, first->commit);
}

/*
 * As stamp_record(), for a page that shows only some fields of the
 * record (top-level names, NULL-ended): the newest of its changes that
 * touched one of them.  A change that added or moved the record, or
 * whose versions were not both parsed, touched them all; a history cut
 * short gives the oldest change it holds.
 */
void stamp_fields(struct site *S, enum record_kind k, const char *id, const char *const *fields)
{
	const struct history_ref *first;
	size_t n, i, j, f, len;

	if (!S->has_history || !id || !(n = history_of(&S->hist, k, id, &first)))
		return;
	for (i = 0; i < n; i++) {
		const struct history_change *e = &S->hist.commits[first[i].commit].changes[first[i].change];
		bool hit = e->status != HIST_MODIFIED || !e->parsed;
		for (j = 0; !hit && j < e->fields.n; j++)
			for (f = 0; !hit && fields[f]; f++) {
				const char *p = e->fields.v[j].path;
				len = strlen(fields[f]);
				hit = p && !strncmp(p, fields[f], len) && (!p[len] || p[len] == '.' || p[len] == '[');
			}
		if (hit)
			break;
	}
	stamp_commit(S, first[i < n ? i : n - 1].commit);
}

static enum record_kind section_kind(const char *section)
{
	static const char *const dirs[] = { "programs", "organizations", "rounds", NULL, "notices",
					    "objections", "revocations", "individuals" };
	size_t k;

	for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++)
		if (dirs[k] && !strcmp(section, dirs[k]))
			return (enum record_kind)k;
	return KIND_NONE;
}

void put_href(struct site *S, cJSON *o, const char *k, const char *section, const char *id)
{
	char u[MAX_URL];
	enum record_kind kind = section_kind(section);

	if (id) {
		put_str(o, k, href(u, section, id));
		if (kind != KIND_NONE)
			stamp_record(S, kind, id);
	}
}

int put_markdown(cJSON *o, const char *k, const char *md, int shift)
{
	struct buf html = BUF_INIT;
	int error;

	if (!md)
		return 0;
	if ((error = markdown_render(md, strlen(md), shift, &html)) == 0)
		put_str(o, k, buf_cstr(&html));
	buf_release(&html);
	return error;
}

/* trail.c - the audit trail on pages: the changes of a record, in words (see trail.h). */

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "ctx.h"
#include "sign.h"
#include "trail.h"
#include "withdrawn.h"
#include "words.h"

/* ---- the audit trail on each page ---- */

const char *hist_status_zh(enum history_status st)
{
	return st == HIST_ADDED ? "发布" : st == HIST_DELETED ? "撤回" : st == HIST_MOVED ? "移动" : "修改";
}

/* A commit's first line, for lists. */
void summary_line(const char *msg, char *out, size_t size)
{
	snprintf(out, size, "%.*s", (int)strcspn(msg, "\n"), msg);
}

/* The date and time of a commit in China, "2024年3月5日 10:32". */
void commit_time_zh(int64_t t, char *out, size_t size)
{
	int64_t local = t + 8 * 3600;
	date_t d = date_from_time_cst((time_t)t);
	char zh[32];
	long sec = (long)(((local % 86400) + 86400) % 86400);

	date_format_zh(d, zh);
	snprintf(out, size, "%s %02ld:%02ld", zh, sec / 3600, sec / 60 % 60);
}

void put_commit(cJSON *o, const struct history_commit *c)
{
	char text[512], path[MAX_URL];

	put_str(o, "commit", c->id);
	snprintf(text, sizeof(text), "%.7s", c->id);
	put_str(o, "commit_short", text);
	snprintf(path, sizeof(path), "changes/%s/index.html", c->id);
	put_str(o, "commit_href", path);
	put_str(o, "author", c->author);
	commit_time_zh(c->time, text, sizeof(text));
	put_str(o, "time_zh", text);
	put_date(o, "date", date_from_time_cst((time_t)c->time));
	summary_line(c->message, text, sizeof(text));
	put_str(o, "summary", text);
	/* the sentences are the theme's: here only the state and the signer */
	put_bool(o, "signed", c->sig != SIGN_NONE);
	put_bool(o, "sig_verified", c->sig == SIGN_GOOD);
	put_bool(o, "sig_unverified", c->sig == SIGN_BAD);
	put_str(o, "signer", c->sig == SIGN_GOOD ? c->signer : NULL);
	put_str(o, "signer_key", c->sig == SIGN_GOOD ? c->signer_key : NULL);
}

/* The fields a change made, in words (words.h): each value a node for
 * the theme, the record's schema reference left out. */
void put_fields(struct site *S, cJSON *o, const struct jd_changes *f, enum record_kind kind,
		       const char *id)
{
	const struct program *p = words_program_of(S->r, kind, id);
	cJSON *arr = add_arr(o, "fields");
	struct buf label = BUF_INIT;
	size_t i, n = 0;

	/* a record no longer there names its programme by its round */
	for (i = 0; !p && i < f->n; i++) {
		const struct round *x;
		if (strcmp(f->v[i].path, "round") || f->v[i].kind == JD_PRIVATE)
			continue;
		x = record_find_round(S->r, f->v[i].new ? f->v[i].new : f->v[i].old ? f->v[i].old : "");
		p = x ? x->res_program : NULL;
	}

	for (i = 0; i < f->n; i++) {
		bool priv = f->v[i].kind == JD_PRIVATE;
		cJSON *x;
		/* the schema reference, an id the page names in words, the
		 * file name of a text the page shows: nothing for a citizen */
		if (!strcmp(f->v[i].path, "$schema") || !strcmp(f->v[i].path, "$id") ||
		    (!strcmp(f->v[i].path, "id") && kind != KIND_ORGANIZATION) ||
		    !strcmp(f->v[i].path, "measures.text"))
			continue;
		x = push_obj(arr);
		n++;
		buf_clear(&label);
		put_str(x, "label", words_label(S->r, p, f->v[i].path, &label) < 0 ? f->v[i].label : buf_cstr(&label));
		put_str(x, "path", f->v[i].path);
		put_bool(x, "private", priv);
		if (!priv && f->v[i].old)
			put_item(x, "old", words_value(S->r, p, f->v[i].path, f->v[i].old), false);
		else
			put_bool(x, "old", false);
		if (!priv && f->v[i].new)
			put_item(x, "new", words_value(S->r, p, f->v[i].path, f->v[i].new), false);
		else
			put_bool(x, "new", false);
		put_bool(x, "arrow", f->v[i].old && f->v[i].new);
	}
	buf_release(&label);
	put_bool(o, "has_fields", n > 0);
}

/* Adds "history" to o: the changes refs (newest first) of record id, and
 * of others (record_id names them). */

static void put_refs(struct site *S, cJSON *o, const struct history_ref *refs, size_t n, const char *id)
{
	cJSON *arr = add_arr(o, "history");
	size_t i;

	for (i = 0; i < n; i++) {
		const struct history_commit *c = &S->hist.commits[refs[i].commit];
		const struct history_change *e = &c->changes[refs[i].change];
		cJSON *x = push_obj(arr);
		put_commit(x, c);
		put_str(x, "status_zh", hist_status_zh(e->status));
		if (strcmp(e->id, id)) {
			char h[MAX_URL];
			const char *name = words_record_name(S->r, e->kind, e->id, h);
			put_str(x, "record_id", e->id);
			put_str(x, "record_kind_zh", kind_zh[e->kind]);
			put_str(x, "record_name", name ? name : e->id);
		}
		put_fields(S, x, &e->fields, e->kind, e->id);
	}
	put_bool(o, "has_history", true);
	if (S->hist.boundary[0]) {
		char when[64];
		commit_time_zh(S->hist.boundary_time, when, sizeof(when));
		put_str(o, "history_begins", when);
	}
}

/* Adds "history" (newest first) to o for record (kind, id); the count. */
size_t put_history(struct site *S, cJSON *o, enum record_kind kind, const char *id)
{
	const struct history_ref *refs;
	size_t n;

	if (!S->has_history)
		return 0;
	n = history_of(&S->hist, kind, id, &refs);
	put_refs(S, o, refs, n, id);
	return n;
}

int gone_cmp_cert(const void *a, const void *b)
{
	const struct gone_award *x = *(const struct gone_award *const *)a, *y = *(const struct gone_award *const *)b;
	int c = strcmp(x->cert, y->cert);

	if (c)
		return c;
	if (x->commit != y->commit) /* the latest withdrawal first */
		return x->commit < y->commit ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int ref_newest_first(const void *a, const void *b)
{
	const struct history_ref *x = a, *y = b;

	if (x->commit != y->commit)
		return x->commit < y->commit ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The withdrawn applications that held certificate cert: *first and the
 * count (latest withdrawal first). */
static size_t gone_of(const struct site *S, const char *cert, struct gone_award *const **first)
{
	size_t lo = 0, hi = S->ngone, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(S->gone_by_cert[mid]->cert, cert) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < S->ngone && !strcmp(S->gone_by_cert[end]->cert, cert); end++)
		;
	*first = S->gone_by_cert + lo;
	return end - lo;
}

/* put_history() for the page of certificate cert, held by application id
 * (now, or last before it was withdrawn): its changes and those of every
 * other id withdrawn with it. */
int put_award_history(struct site *S, cJSON *o, const char *id, const char *cert)
{
	struct gone_award *const *g;
	const struct history_ref *refs;
	struct history_ref *all;
	size_t ng = gone_of(S, cert, &g), n, m, i;

	if (!S->has_history)
		return 0;
	n = history_of(&S->hist, KIND_APPLICATION, id, &refs);
	for (i = 0, m = n; i < ng; i++)
		if (strcmp(g[i]->id, id))
			m += history_of(&S->hist, KIND_APPLICATION, g[i]->id, &refs);
	if (m == n) {
		put_history(S, o, KIND_APPLICATION, id);
		return 0;
	}
	if (!(all = malloc(m * sizeof(*all))))
		return fail_nomem();
	m = history_of(&S->hist, KIND_APPLICATION, id, &refs);
	memcpy(all, refs, m * sizeof(*all));
	for (i = 0; i < ng; i++)
		if (strcmp(g[i]->id, id)) {
			n = history_of(&S->hist, KIND_APPLICATION, g[i]->id, &refs);
			memcpy(all + m, refs, n * sizeof(*all));
			m += n;
		}
	qsort(all, m, sizeof(*all), ref_newest_first);
	put_refs(S, o, all, m, id);
	free(all);
	return 0;
}

/* A record's page, and the public part of its record beside it as
 * index.json.  ctx is consumed. */

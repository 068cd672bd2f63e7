/* changes.c - the change log and the publication log (see changes.h). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "changes.h"
#include "ctx.h"
#include "emit.h"
#include "error.h"
#include "feeds.h"
#include "output.h"
#include "publog.h"
#include "trail.h"
#include "withdrawn.h"
#include "words.h"

/* ---- the change log ---- */

/* Where a record changed by a commit can be seen now, or NULL. */
static void put_record_href(struct site *S, cJSON *o, enum record_kind k, const char *id)
{
	const struct application *a;

	if (k == KIND_APPLICATION) {
		if ((a = record_find_application(S->r, id)) && a->awarded && a->certificate.v)
			put_href(S, o, "href", "awards", a->certificate.v);
		else if (a && a->individual.v)
			put_href(S, o, "href", "individuals", a->individual.v);
		else if (a)
			put_href(S, o, "href", "organizations", a->organization.v);
		return;
	}
	if (section_of(k) && strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHJKLMNPQRTUWXY") == strlen(id) &&
	    (exists_now(S->r, k, id) || k != KIND_APPLICATION))
		put_href(S, o, "href", section_of(k), id);
}

/* Fills o with commit c and what it changed, each change's fields too
 * if asked; returns o. */
static cJSON *commit_fill(struct site *S, cJSON *o, const struct history_commit *c, bool fields)
{
	cJSON *ch = add_arr(o, "changes");
	size_t i;

	put_commit(o, c);
	put_str(o, "message", c->message);
	put_num(o, "count", (double)c->nchanges);
	for (i = 0; i < c->nchanges; i++) {
		const struct history_change *e = &c->changes[i];
		cJSON *x = push_obj(ch);
		put_str(x, "id", e->id);
		if (e->kind == KIND_CONTENT)
			put_content_change(S, x, e);
		else {
			char h[MAX_URL];
			const char *name = words_record_name(S->r, e->kind, e->id, h);
			put_str(x, "kind_zh", kind_zh[e->kind]);
			put_str(x, "name", name ? name : e->id);
			put_record_href(S, x, e->kind, e->id);
		}
		put_str(x, "status_zh", hist_status_zh(e->status));
		put_str(x, "path", e->path);
		put_str(x, "old_path", e->old_path);
		if (fields)
			put_fields(S, x, &e->fields, e->kind, e->id);
	}
	return o;
}

static cJSON *commit_entry(struct site *S, cJSON *arr, const struct history_commit *c, bool fields)
{
	return commit_fill(S, push_obj(arr), c, fields);
}

cJSON *publications_view(struct site *S)
{
	cJSON *arr = cJSON_CreateArray();
	const cJSON *x;
	int n = cJSON_GetArraySize(S->publications), i;

	for (i = n - 1; i >= 0; i--) { /* newest first */
		cJSON *o = push_obj(arr);
		date_t d;
		x = cJSON_GetArrayItem(S->publications, i);
		put_str(o, "commit", json_get_string(x, "commit"));
		if (json_get_string(x, "commit")) {
			char short_id[8];
			snprintf(short_id, sizeof(short_id), "%.7s", json_get_string(x, "commit"));
			put_str(o, "commit_short", short_id);
		}
		if (json_get_string(x, "date") && date_parse(json_get_string(x, "date"), &d) == 0)
			put_date(o, "date", d);
		put_str(o, "rewrite_of", json_get_string(x, "rewrite_of"));
		if (json_get_string(x, "restart_of")) {
			put_bool(o, "restart", true);
			if (*json_get_string(x, "restart_of"))
				put_str(o, "restart_of", json_get_string(x, "restart_of"));
		}
		put_str(o, "unchained_before", json_get_string(x, "unchained_before"));
	}
	return arr;
}

int page_commit(struct site *S, const struct history_commit *c)
{
	char path[MAX_URL], title[64];
	cJSON *ctx = cJSON_CreateObject();

	if (ctx)
		commit_fill(S, add_obj(ctx, "commit"), c, true);
	snprintf(path, sizeof(path), "changes/%s/index.html", c->id);
	snprintf(title, sizeof(title), "提交 %.7s", c->id);
	return emit_data(S, path, "commit", title, "changes/index.html", ctx);
}

/* The change log's pages and feed; page_commit() the page of each. */
int pages_changes(struct site *S)
{
	const struct history *h = &S->hist;
	size_t pages = (h->n + CHANGES_PER_PAGE - 1) / CHANGES_PER_PAGE, p, i;
	char path[MAX_URL], prev[MAX_URL], next[MAX_URL], title[64];
	int error = 0;

	/* Pages are numbered from the oldest commit, as an append-only log's:
	 * a new commit changes the newest page and the index, not every page
	 * after it.  Page p (0-based) holds the commits p * CHANGES_PER_PAGE
	 * to (p + 1) * CHANGES_PER_PAGE - 1 counted from the oldest, shown
	 * newest first; the index shows the newest commits and every page. */
	for (p = 0; p <= pages && error >= 0; p++) {
		bool index = p == pages;
		size_t from = index ? 0 : h->n - (p + 1 < pages ? (p + 1) * CHANGES_PER_PAGE : h->n);
		size_t to = index ? (h->n < CHANGES_ON_INDEX ? h->n : CHANGES_ON_INDEX) : h->n - p * CHANGES_PER_PAGE;
		cJSON *ctx = cJSON_CreateObject(), *arr = add_arr(ctx, "commits");
		stamp_reset(S);
		for (i = from; i < to; i++) {
			commit_entry(S, arr, &h->commits[i], false);
			stamp_commit(S, i);
		}
		if (index) {
			/* Every page by number under the year of its oldest commit:
			 * at size M (1,000 pages) a line of dates a page made the
			 * index 181 KB, over issue #23's 100 KB for a first page. */
			cJSON *years = add_arr(ctx, "page_years"), *year = NULL, *list = NULL;
			int y = 0;
			put_bool(ctx, "has_pages", pages > 0);
			put_num(ctx, "per_page", CHANGES_PER_PAGE);
			for (i = pages; i-- > 0;) {
				cJSON *o;
				size_t newest = h->n - (i + 1 < pages ? (i + 1) * CHANGES_PER_PAGE : h->n);
				date_t oldest = date_from_time_cst((time_t)h->commits[h->n - 1 - i * CHANGES_PER_PAGE].time);
				if (!year || date_year(oldest) != y) {
					y = date_year(oldest);
					year = push_obj(years);
					put_num(year, "year", y);
					list = add_arr(year, "pages");
				}
				o = push_obj(list);
				snprintf(path, sizeof(path), "changes/page/%zu/index.html", i + 1);
				put_str(o, "href", path);
				put_num(o, "page", (double)(i + 1));
				put_date(o, "from", oldest);
				put_date(o, "to", date_from_time_cst((time_t)h->commits[newest].time));
			}
		} else {
			put_num(ctx, "page", (double)(p + 1));
			if (p + 1 < pages)
				snprintf(prev, sizeof(prev), "changes/page/%zu/index.html", p + 2);
			else
				snprintf(prev, sizeof(prev), "changes/index.html");
			put_str(ctx, "prev_href", prev);
			if (p > 0) {
				snprintf(next, sizeof(next), "changes/page/%zu/index.html", p);
				put_str(ctx, "next_href", next);
			}
		}
		if (h->boundary[0]) {
			char when[64];
			commit_time_zh(h->boundary_time, when, sizeof(when));
			put_str(ctx, "history_begins", when);
		}
		put_bool(ctx, "empty", h->n == 0);
		if (index)
			snprintf(path, sizeof(path), "changes/index.html");
		else
			snprintf(path, sizeof(path), "changes/page/%zu/index.html", p + 1);
		snprintf(title, sizeof(title), index ? "变更记录" : "变更记录（第%zu页）", p + 1);
		error = emit_data(S, path, "changes", title, "changes/index.html", ctx);
	}
	if (error >= 0) { /* the change log's own feed: its newest commits */
		cJSON *ctx = cJSON_CreateObject(), *entries = add_arr(ctx, "entries");
		char when[32], id[MAX_URL * 2];
		for (i = 0; i < h->n && i < 50; i++) {
			cJSON *o = push_obj(entries);
			char sum[300];
			summary_line(h->commits[i].message, sum, sizeof(sum));
			put_str(o, "title", sum);
			put_str(o, "kind_zh", "记录变更");
			snprintf(path, sizeof(path), "changes/%s/index.html", h->commits[i].id);
			put_str(o, "href", path);
			snprintf(id, sizeof(id), "%s%s", S->base_url ? S->base_url : "urn:gongshi:", path);
			put_str(o, "id", id);
			/* the author's date, in China */
			rfc3339(when, date_from_time_cst((time_t)h->commits[i].time));
			put_str(o, "date", when);
		}
		rfc3339(when, h->n ? date_from_time_cst((time_t)h->commits[0].time) : S->o->today);
		put_str(ctx, "updated", when);
		put_str(ctx, "feed_title", "变更记录");
		snprintf(id, sizeof(id), "%schanges.xml", S->base_url ? S->base_url : "urn:gongshi:");
		put_str(ctx, "feed_id", id);
		put_str(ctx, "base", S->base_url);
		error = emit(S, "changes.xml", "atom", "变更记录", NULL, ctx);
	}
	return error;
}

/* ---- the publication log ---- */

/*
 * A shallow clone (CI checks out one commit by default) would publish a
 * site without the pages, and the permanent URLs, of every commit
 * beyond its cut: refused when the site was last published with more
 * history, unless allowed, which is a decision of its own
 * (--allow-rewrite is not it).  An entry published from a shallow clone
 * says where its history began, so that the next shallow build can tell
 * whether it reaches back as far.
 */
static int shallow_guard(struct site *S, const cJSON *last)
{
	const char *from = json_get_string(last, "shallow_boundary");
	const char *root = S->src->root;
	bool reaches = false;
	int error;

	if (!S->hist.shallow || !last || S->o->allow_shallow)
		return 0;
	if (from && !*from)
		from = NULL;
	if (from && (error = source_descends(S->src, S->src->commit, from, &reaches)) < 0)
		return error;
	if (reaches)
		return 0;
	return error_set(ERR_GIT, "%s is a shallow clone: its history is cut%s%.7s, and the site in %s was last "
			 "published with %s%.7s; publishing this commit would remove the pages of the commits "
			 "before the cut, and their permanent URLs.  Fetch the whole history with "
			 "`git -C %s fetch --unshallow` and build again (to publish the cut history all the "
			 "same, build with --allow-shallow).", root, S->hist.boundary[0] ? " at commit " : "",
			 S->hist.boundary, S->o->out_dir, from ? "a history reaching back to commit " :
			 "the whole history", from ? from : "", root);
}

/*
 * Why the log of the site being replaced cannot be carried forward, or
 * NULL: a site gongshi wrote (it has SHA256SUMS) holds a log, listed
 * there with its digest, that parses, whose chain holds, and whose head
 * is the one SHA256SUMS names.  head = that head, or the one SHA256SUMS
 * names, or "" (for the first entry of a new log).
 */
static const char *log_trouble(struct site *S, const struct buf *sums, const struct buf *old,
			       char head[65], int *unchained, int *error, char *why, size_t size)
{
	char listed[65], digest[65], noted[65];
	int have_note = sums && publog_sums_head(buf_cstr(sums), noted);

	*head = '\0';
	*error = 0;
	if (have_note)
		memcpy(head, noted, sizeof(noted));
	if (!sums)
		return NULL; /* a new site */
	if (!old)
		return "is missing (deleted), though SHA256SUMS lists it";
	if (!publog_sums_digest(buf_cstr(sums), PUBLOG_FILE, listed))
		return "is not listed in SHA256SUMS: gongshi did not write it";
	publog_digest(old->ptr, old->len, digest);
	if (strcmp(listed, digest))
		return "was edited since gongshi wrote it: it is not the file SHA256SUMS lists "
		       "(entries removed or changed, or the file cut short)";
	if (!S->publications)
		return "is not JSON (corrupt or cut short)";
	if ((*error = publog_check(S->publications, head, unchained)) < 0) {
		if (*error != ERR_INVALID)
			return NULL;
		*error = 0;
		snprintf(why, size, "is corrupt: %s", error_message());
		if (have_note)
			memcpy(head, noted, sizeof(noted));
		return why;
	}
	if (have_note && strcmp(noted, head)) {
		snprintf(why, size, "ends with the head %.12s…, but SHA256SUMS names %.12s… (entries "
			 "were removed)", head, noted);
		memcpy(head, noted, sizeof(noted));
		return why;
	}
	if (!have_note && *unchained < cJSON_GetArraySize(S->publications))
		return "is chained, but SHA256SUMS names no head";
	return NULL;
}

/*
 * publication-log.json lists every commit the site was published from,
 * carried forward from the site being replaced, each entry chained to
 * the one before (publog.h).  A log that cannot be carried forward
 * whole is refused: starting again quietly would let a rewritten history
 * pass for the first.  A commit that does not descend from the last one
 * published means the history was rewritten (a force-push): refused
 * unless allowed, and then recorded openly.
 */
int publication_log(struct site *S)
{
	struct buf old = BUF_INIT, sums = BUF_INIT;
	cJSON *last, *entry;
	const char *prev = NULL, *cut, *was_cut, *why;
	char d[11], head[65], chain[65], count[16], trouble[512];
	bool ok = true, have_sums, have_log;
	int error, unchained = 0, n;

	if ((error = output_read_sums(&S->out, &sums)) < 0)
		goto done;
	have_sums = error == 0;
	if ((error = output_read_current(&S->out, PUBLOG_FILE, &old)) < 0)
		goto done;
	have_log = error == 0;
	if (have_log && json_parse_trusted(buf_cstr(&old), old.len, &S->publications) < 0) {
		cJSON_Delete(S->publications);
		S->publications = NULL;
	}
	why = log_trouble(S, have_sums ? &sums : NULL, have_log ? &old : NULL, head, &unchained, &error,
			  trouble, sizeof(trouble));
	if (error < 0)
		goto done;
	if (why && !S->o->new_log) {
		error = error_set(ERR_IO, "%s/%s %s.  It is the record of every commit this site was published "
				  "from, and cannot be carried forward; nothing was written.  Restore the site "
				  "from a copy (gongshi verify tells a good one), or build with --new-log to start "
				  "a new log, which the site will show", S->o->out_dir, PUBLOG_FILE, why);
		goto done;
	}
	if (S->o->new_log) { /* the old log, whatever it holds, is replaced on purpose */
		cJSON_Delete(S->publications);
		S->publications = NULL;
		S->out.forgive = PUBLOG_FILE;
	}
	if (!S->publications && !(S->publications = cJSON_CreateArray())) {
		error = fail_nomem();
		goto done;
	}
	n = cJSON_GetArraySize(S->publications);
	last = cJSON_GetArrayItem(S->publications, n - 1);
	prev = json_get_string(last, "commit");
	if (S->src->worktree && prev && !S->o->force_draft) {
		error = error_set(ERR_USAGE, "%s holds the site published from commit %.7s; a draft of the "
				  "working tree (--worktree) would replace it.  Build drafts into another folder "
				  "(-o preview), or add --force-draft to replace the published site",
				  S->o->out_dir, prev);
		goto done;
	}
	if (S->src->worktree) /* a preview publishes nothing */
		goto write;
	if ((error = shallow_guard(S, last)) < 0)
		goto done;
	cut = S->hist.shallow ? S->hist.boundary : "";
	was_cut = json_get_string(last, "shallow_boundary");
	/* the same commit again: a new entry only where the history's cut moved */
	if (prev && !strcmp(prev, S->src->commit) && !strcmp(cut, was_cut ? was_cut : ""))
		goto write;
	if (prev && (error = source_descends(S->src, S->src->commit, prev, &ok)) < 0)
		goto done;
	if (!ok && !S->o->allow_rewrite) {
		if (S->hist.shallow)
			error = error_set(ERR_REWRITE, "commit %.7s, which the site in %s was last published from, "
					  "is not in the history of this shallow clone: either the history was "
					  "rewritten or that commit is beyond the cut.  Fetch the whole history with "
					  "`git -C %s fetch --unshallow` to tell; build with --allow-rewrite to publish "
					  "it anyway, and the change log will say so.", prev, S->o->out_dir,
					  S->src->root);
		else
			error = error_set(ERR_REWRITE, "commit %.7s does not descend from %.7s, which the site in %s "
					  "was last published from: the history was rewritten.  Build with "
					  "--allow-rewrite to publish it anyway; the change log will say so.",
					  S->src->commit, prev, S->o->out_dir);
		goto done;
	}
	if (!(entry = cJSON_CreateObject()) || !cJSON_AddItemToArray(S->publications, entry)) {
		cJSON_Delete(entry);
		error = fail_nomem();
		goto done;
	}
	cJSON_AddStringToObject(entry, "commit", S->src->commit);
	cJSON_AddStringToObject(entry, "date", fmt_iso(d, S->o->today));
	if (!ok)
		cJSON_AddStringToObject(entry, "rewrite_of", prev);
	if (*cut)
		cJSON_AddStringToObject(entry, "shallow_boundary", cut);
	if (S->o->new_log) /* the old head, where known: "" if not */
		cJSON_AddStringToObject(entry, "restart_of", have_sums ? head : "");
	else if (n && unchained == n) { /* a log of an earlier version: chained from here on */
		snprintf(count, sizeof(count), "%d", n);
		cJSON_AddStringToObject(entry, "unchained_before", count);
	}
	if ((error = publog_hash(entry, S->o->new_log ? "" : head, chain)) < 0 ||
	    !cJSON_AddStringToObject(entry, "chain", chain)) {
		error = error < 0 ? error : fail_nomem();
		goto done;
	}
	memcpy(head, chain, sizeof(chain));
write:
	if (cJSON_GetArraySize(S->publications) &&
	    (error = publog_check(S->publications, head, &unchained)) < 0)
		goto done;
	if (*head && cJSON_GetArraySize(S->publications)) {
		size_t len = strlen(PUBLOG_NOTE) + 66;
		if (!(S->out.note = malloc(len))) {
			error = fail_nomem();
			goto done;
		}
		snprintf(S->out.note, len, "%s %s", PUBLOG_NOTE, head);
		memcpy(S->log_head, head, sizeof(head));
	}
	{
		char *text = cJSON_Print(S->publications);
		if (!text) {
			error = fail_nomem();
			goto done;
		}
		error = output_write(&S->out, PUBLOG_FILE, text, strlen(text));
		free(text);
	}
done:
	buf_release(&old);
	buf_release(&sums);
	return error;
}

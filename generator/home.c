/* home.c - the home page and the pages of content/ (see home.h). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "changes.h"
#include "ctx.h"
#include "emit.h"
#include "home.h"
#include "page_round.h"
#include "public.h"
#include "state.h"
#include "summary.h"


/* ---- home, statistics ---- */

int date_desc(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	const char *dx = json_get_string(x, "date"), *dy = json_get_string(y, "date");
	int c = strcmp(dy ? dy : "", dx ? dx : "");

	return c ? c : strcmp(json_get_string(x, "title") ? json_get_string(x, "title") : "",
			      json_get_string(y, "title") ? json_get_string(y, "title") : "");
}

/* Announcements: result and revocation notices, calls, content/announcements/. */
static int announcements(struct site *S, cJSON *out, size_t max)
{
	struct buf md = BUF_INIT;
	cJSON **v = NULL, *o;
	size_t i, n = 0, cap = S->r->nnotices + S->r->nrounds + S->src->n + 1;
	char d[11];
	int error = 0;

	if (!(v = calloc(cap, sizeof(*v))))
		return fail_nomem();
	for (i = 0; i < S->r->nnotices; i++) {
		const struct notice *x = &S->r->notices[i];
		if (x->issued.v == DATE_NONE || x->issued.v > S->o->today)
			continue;
		o = v[n++] = cJSON_CreateObject();
		put_str(o, "kind_zh", notice_kind_zh(x->kind));
		put_href(S, o, "href", "notices", x->id.v);
		put_str(o, "date", fmt_iso(d, x->issued.v));
		put_date(o, "d", x->issued.v);
		put_str(o, "title", x->title);
	}
	for (i = 0; i < S->r->nrounds; i++) {
		const struct round *x = &S->r->rounds[i];
		if (x->call_published.v == DATE_NONE || x->call_published.v > S->o->today)
			continue;
		o = v[n++] = cJSON_CreateObject();
		put_call(S, o, x);
		put_str(o, "date", fmt_iso(d, x->call_published.v));
		put_date(o, "d", x->call_published.v);
	}
	for (i = 0; i < S->src->n; i++) {
		/* content/announcements/YYYY-MM-DD-slug.md, first line "# title" */
		const char *p = S->src->v[i].path, *base;
		char t[300];
		date_t when;
		size_t len = strlen(p);
		if (strncmp(p, "content/announcements/", 22) || !content_slug(p, t, sizeof(t)))
			continue;
		base = p + 22;
		snprintf(d, sizeof(d), "%.10s", base);
		if (date_parse(d, &when) < 0 || when > S->o->today)
			continue;
		if ((error = load_content(S, p, &md)) < 0)
			goto done;
		md_title(buf_cstr(&md), t, sizeof(t));
		o = v[n++] = cJSON_CreateObject();
		put_str(o, "title", t);
		put_str(o, "kind_zh", "通知");
		put_str(o, "date", d);
		put_date(o, "d", when);
		snprintf(t, sizeof(t), "announcements/%.*s/index.html", (int)(len - 22 - 3), base);
		put_str(o, "href", t);
	}
	qsort(v, n, sizeof(*v), date_desc);
	for (i = 0; i < n; i++) {
		if (i < max) {
			put_item(out, NULL, v[i], false);
			v[i] = NULL;
		}
	}
done:
	for (i = 0; i < n; i++)
		cJSON_Delete(v[i]);
	free(v);
	buf_release(&md);
	return error;
}

int page_home(struct site *S, const cJSON *programs, const cJSON *revocations)
{
	cJSON *ctx = cJSON_CreateObject(), *open = add_arr(ctx, "open_notices"), *ann;
	cJSON *soon = add_arr(ctx, "upcoming_notices"), *revs, *r;
	size_t i;
	int error;
	long left;

	for (i = 0; i < S->r->nnotices; i++) {
		const struct notice *n = &S->r->notices[i];
		enum nstate st = notice_state(S, n, &left);
		if (st == NS_OPEN || st == NS_REVIEW)
			notice_summary(S, open, n);
		else if (st == NS_NOT_OPEN && n->issued.v <= S->o->today)
			notice_summary(S, soon, n);
	}
	if ((error = announcements(S, ann = add_arr(ctx, "announcements"), 10)) < 0) {
		cJSON_Delete(ctx);
		return error;
	}
	put_item(ctx, "programs", cJSON_Duplicate(programs, 1), false);
	revs = add_arr(ctx, "revocations");
	cJSON_ArrayForEach(r, revocations)
		if (cJSON_GetArraySize(revs) < 5)
			put_item(revs, NULL, cJSON_Duplicate(r, 1), false);
	put_lapse_counts(S, ctx);
	put_bool(ctx, "has_open", cJSON_GetArraySize(open) > 0);
	put_bool(ctx, "has_upcoming", cJSON_GetArraySize(soon) > 0);
	put_bool(ctx, "has_revocations", cJSON_GetArraySize(revs) > 0);
	if (S->log_head[0])
		put_str(ctx, "log_head", S->log_head);
	/* the publications: on the page that changes with every one anyway */
	put_item(ctx, "publications", publications_view(S), false);
	put_bool(ctx, "has_publications", cJSON_GetArraySize(S->publications) > 0);
	return emit(S, "index.html", "home", NULL, "index.html", ctx);
}

/* Announcements written in content/: one page each. */
int pages_content(struct site *S)
{
	struct buf md = BUF_INIT;
	char path[MAX_URL], slug[200], title[300];
	size_t i;
	int error = 0;

	for (i = 0; i < S->src->n && error >= 0; i++) {
		const char *p = S->src->v[i].path;
		size_t len = strlen(p);
		bool ann = !strncmp(p, "content/announcements/", 22), page = !strncmp(p, "content/pages/", 14);
		cJSON *ctx, *o;
		if ((!ann && !page) || len < 5 || strcmp(p + len - 3, ".md"))
			continue;
		if (!content_slug(p, slug, sizeof(slug)))
			continue; /* site_check() refused it */
		if ((error = load_content(S, p, &md)) < 0)
			break;
		ctx = cJSON_CreateObject();
		o = add_obj(ctx, "page");
		if ((error = put_markdown(o, "html", buf_cstr(&md), 0)) < 0) {
			cJSON_Delete(ctx);
			break;
		}
		snprintf(path, sizeof(path), "%s/%s/index.html", ann ? "announcements" : "pages", slug);
		md_title(buf_cstr(&md), title, sizeof(title));
		error = emit(S, path, "page", title, NULL, ctx);
	}
	buf_release(&md);
	return error;
}

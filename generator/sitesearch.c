/* sitesearch.c - the site's search index (search.h) (see sitesearch.h). */

#include <stdio.h>
#include <string.h>

#include "build.h"
#include "ctx.h"
#include "emit.h"
#include "output.h"
#include "public.h"
#include "search.h"
#include "sitesearch.h"
#include "state.h"
#include "summary.h"

/* ---- search (search.h) ---- */

/* The strings of v (a string, or those within an array or object). */
static int search_value(struct search_index *ix, const cJSON *v, unsigned weight)
{
	const cJSON *c;
	int error = 0;

	if (cJSON_IsString(v))
		return search_index_text(ix, v->valuestring, weight);
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		for (c = v->child; c && error >= 0; c = c->next)
			error = search_value(ix, c, weight);
	return error;
}

/* A record's document: its public view's named fields only (the same
 * view its page shows, without "private"), heavy ones first. */
static int search_record(struct site *S, struct search_index *ix, const char *path, char kind,
			 const char *id, const char *kind_name, const char *title, const char *sub,
			 const char *url, const char *status, const char *const *heavy, const char *const *light)
{
	struct json_doc doc = JSON_DOC_INIT;
	char key[MAX_URL + 2];
	int error;

	snprintf(key, sizeof(key), "%c%s", kind, id);
	if ((error = load_public(S, path, &doc)) < 0 ||
	    (error = search_index_doc(ix, key, kind_name, title, sub, url, status)) < 0 ||
	    (error = search_index_text(ix, title, 3)) < 0 || (error = search_index_text(ix, sub, 2)) < 0)
		goto done;
	for (; heavy && *heavy && error >= 0; heavy++)
		error = search_value(ix, cJSON_GetObjectItemCaseSensitive(doc.root, *heavy), 3);
	for (; light && *light && error >= 0; light++)
		error = search_value(ix, cJSON_GetObjectItemCaseSensitive(doc.root, *light), 1);
done:
	json_doc_release(&doc);
	return error;
}

static int search_write(void *arg, const char *path, const char *data, size_t len)
{
	return output_write(&((struct site *)arg)->out, path, data, len);
}

int search_pages(struct site *S)
{
	static const char *const org_heavy[] = { "name", "former_names", "id", NULL },
				 *const org_light[] = { "district", "industry", NULL },
				 *const ind_light[] = { "employer", "position", NULL },
				 *const notice_heavy[] = { "title", "document_number", NULL },
				 *const notice_light[] = { "issuer", "body", NULL },
				 *const round_heavy[] = { "name", NULL },
				 *const rev_heavy[] = { "document_number", NULL },
				 *const rev_light[] = { "summary", "authority", NULL },
				 *const obj_light[] = { "summary", "decision", NULL },
				 *const award_heavy[] = { "certificate", NULL };
	const struct record *r = S->r;
	struct search_index ix = SEARCH_INDEX_INIT;
	struct buf md = BUF_INIT;
	char url[MAX_URL], sub[512], title[300], slug[200];
	cJSON *ctx;
	size_t i;
	int error = 0;

	for (i = 0; i < r->norganizations && error >= 0; i++) {
		const struct organization *g = &r->organizations[i];
		error = search_record(S, &ix, g->path, 'o', g->id.v, "organization", g->name, g->id.v,
				      href(url, "organizations", g->id.v), NULL, org_heavy, org_light);
	}
	for (i = 0; i < r->nindividuals && error >= 0; i++) {
		const struct individual *p = &r->individuals[i];
		error = search_record(S, &ix, p->path, 'p', p->id.v, "individual", p->name, NULL,
				      href(url, "individuals", p->id.v), NULL, NULL, ind_light);
	}
	for (i = 0; i < S->nawards && error >= 0; i++) {
		const struct application *a = S->awards[i];
		cJSON *st = cJSON_CreateObject();
		if (!st) {
			error = fail_nomem();
			break;
		}
		put_award_status(S, st, a);
		/* the round's name names its program */
		snprintf(sub, sizeof(sub), "%s %s %s", a->certificate.v, a->res_round ? a->res_round->name : "",
			 tier_name(a->res_result_tier));
		error = search_record(S, &ix, a->path, 'a', a->certificate.v, "award", applicant_name(a), sub,
				      href(url, "awards", a->certificate.v), json_get_string(st, "status"), award_heavy,
				      NULL);
		cJSON_Delete(st);
	}
	for (i = 0; i < r->nnotices && error >= 0; i++) {
		const struct notice *n = &r->notices[i];
		error = search_record(S, &ix, n->path, 'n', n->id.v, "notice", n->title, NULL,
				      href(url, "notices", n->id.v), NULL, notice_heavy, notice_light);
	}
	for (i = 0; i < r->nrounds && error >= 0; i++) {
		const struct round *x = &r->rounds[i];
		if (!x->res_program)
			continue;
		error = search_record(S, &ix, x->path, 'r', x->id.v, "round", x->name, x->res_program->name,
				      href(url, "rounds", x->id.v), NULL, round_heavy, NULL);
	}
	for (i = 0; i < r->nrevocations && error >= 0; i++) {
		const struct revocation *v = &r->revocations[i];
		const struct application *a = v->res_app;
		error = search_record(S, &ix, v->path, 'v', v->id.v, "revocation", a ? applicant_name(a) : v->id.v,
				      a ? a->certificate.v : NULL, href(url, "revocations", v->id.v), NULL, rev_heavy,
				      rev_light);
	}
	for (i = 0; i < r->nobjections && error >= 0; i++) {
		const struct objection *b = &r->objections[i];
		const struct application *a = b->res_app;
		error = search_record(S, &ix, b->path, 'b', b->id.v, "objection", a ? applicant_name(a) : b->id.v,
				      b->res_notice ? b->res_notice->title : NULL, href(url, "objections", b->id.v),
				      NULL, NULL, obj_light);
	}
	/* announcements and pages of content/, as pages_content() writes them */
	for (i = 0; i < S->src->n && error >= 0; i++) {
		const char *p = S->src->v[i].path;
		bool ann = !strncmp(p, "content/announcements/", 22);
		if ((!ann && strncmp(p, "content/pages/", 14)) || !content_slug(p, slug, sizeof(slug)))
			continue;
		if ((error = load_content(S, p, &md)) < 0)
			break;
		md_title(buf_cstr(&md), title, sizeof(title));
		snprintf(url, sizeof(url), "%s/%s/index.html", ann ? "announcements" : "pages", slug);
		snprintf(sub, sizeof(sub), "%s/%s", ann ? "announcements" : "pages", slug);
		if ((error = search_index_doc(&ix, sub, "page", title, NULL, url, NULL)) >= 0 &&
		    (error = search_index_text(&ix, title, 3)) >= 0)
			error = search_index_text(&ix, buf_cstr(&md), 1);
	}
	if (error < 0 || (error = search_index_write(&ix, search_write, S)) < 0)
		goto done;
	if (!(ctx = cJSON_CreateObject())) {
		error = fail_nomem();
		goto done;
	}
	put_num(add_obj(ctx, "search"), "terms", (double)ix.nterm_shards);
	put_num(cJSON_GetObjectItem(ctx, "search"), "docs", (double)ix.ndoc_shards);
	put_bool(ctx, "has_individuals", r->nindividuals > 0);
	/* the page shows no record: only the settings and theme stamp it */
	stamp_reset(S);
	error = emit(S, "search/index.html", "search", "站内搜索", NULL, ctx);
done:
	buf_release(&md);
	search_index_release(&ix);
	return error;
}

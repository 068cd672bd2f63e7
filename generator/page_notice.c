/* page_notice.c - a notice's page and the pages of its versions (see page_notice.h). */

#include <stdio.h>

#include "build.h"
#include "ctx.h"
#include "emit.h"
#include "group.h"
#include "page_notice.h"
#include "page_program.h"
#include "page_round.h"
#include "public.h"
#include "state.h"
#include "summary.h"
#include "trail.h"

/* ---- notice ---- */

static int page_notice_version(struct site *S, const struct notice *n, const struct history_commit *c,
			       const struct history_change *e, bool current);

/*
 * Once published, a notice's every later change is listed on it, under a
 * heading a citizen cannot miss, and each version keeps its own page at
 * notices/<id>/v/<commit>/.  Published means: in the built history; the
 * oldest change is the publication, every later one an amendment.
 */
static int put_amendments(struct site *S, cJSON *o, const struct notice *n)
{
	const struct history_ref *refs;
	size_t count, i;
	cJSON *arr, *versions;
	int error = 0;

	if (!put_history(S, o, KIND_NOTICE, n->id.v))
		return 0;
	count = history_of(&S->hist, KIND_NOTICE, n->id.v, &refs);
	arr = add_arr(o, "amendments");
	versions = add_arr(o, "versions");
	for (i = 0; i < count && error >= 0; i++) {
		const struct history_commit *c = &S->hist.commits[refs[i].commit];
		const struct history_change *e = &c->changes[refs[i].change];
		char path[MAX_URL];
		cJSON *x;
		if (e->status == HIST_DELETED)
			continue;
		snprintf(path, sizeof(path), "notices/%s/v/%s/index.html", n->id.v, c->id);
		x = push_obj(versions);
		put_commit(x, c);
		put_str(x, "href", path);
		put_bool(x, "current", i == 0);
		if (i + 1 < count) { /* not the first publication: an amendment */
			x = push_obj(arr);
			put_commit(x, c);
			put_str(x, "href", path);
			put_fields(S, x, &e->fields, KIND_NOTICE, n->id.v);
		}
		error = page_notice_version(S, n, c, e, i == 0);
	}
	put_num(o, "amendment_count", (double)cJSON_GetArraySize(arr));
	put_bool(o, "amended", cJSON_GetArraySize(arr) > 0);
	return error;
}

/* What the notice as a document says beside its record, the same for
 * the notice's page and each of its versions (doc: that version): the
 * period's rule, how to object, the body. */
static int notice_document(struct site *S, cJSON *o, const struct notice *n, const cJSON *doc)
{
	const struct program *p = n->res_round ? n->res_round->res_program : NULL;
	const struct notice_rule *nr = program_notice_rule(p, n->kind);
	const cJSON *ch;
	char text[256];

	put_str(o, "kind_zh", notice_kind_zh(n->kind));
	put_bool(o, "gongshi", n->kind <= NOTICE_PROPOSED_WINNERS);
	if (nr && nr->has_unit && (nr->min || nr->max)) {
		snprintf(text, sizeof(text), nr->min == nr->max ? "%ld%s" : "不少于%ld%s",
			 nr->min ? nr->min : nr->max, unit_zh(nr->unit));
		put_str(o, "period_rule", text);
		put_str(o, "period_article", nr->article);
	}
	if (p) {
		put_str(o, "program_name", p->name);
		put_href(S, o, "program_href", "programs", p->id.v);
		put_str(o, "measures_title", p->measures.title);
		put_str(o, "authority", p->authority);
		if (p->window_article) {
			put_str(o, "window_article", p->window_article);
		}
		if (p->identity_article)
			put_str(o, "identity_article", p->identity_article);
		if (p->has_decision) {
			snprintf(text, sizeof(text), "%ld%s", p->decision_within, unit_zh(p->decision_unit));
			put_str(o, "decision_within", text);
			put_str(o, "decision_article", p->decision_article);
		}
	}
	if (n->res_round) {
		put_str(o, "round_name", n->res_round->name);
		put_href(S, o, "round_href", "rounds", n->res_round->id.v);
	}
	if ((ch = json_get(doc, "objection_channel")))
		put_item(o, "channel", (cJSON *)ch, true);
	return put_markdown(o, "body_html", json_get_string(doc, "body"), 2);
}

int page_notice(struct site *S, const struct notice *n)
{
	const struct program *p = n->res_round ? n->res_round->res_program : NULL;
	struct json_doc doc = JSON_DOC_INIT;
	const void *const *objs;
	size_t i, k, nobj;
	cJSON *ctx = cJSON_CreateObject(), *o, *arr;
	int error;

	if ((error = load_public(S, n->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "notice");
	put_item(o, "record", doc.root, true);
	notice_summary(S, add_arr(o, "summary"), n);
	put_date(o, "issued", n->issued.v);
	put_date(o, "start", n->start.v);
	put_date(o, "end", n->end.v);
	put_notice_state(S, o, n);
	if ((error = put_amendments(S, o, n)) < 0 || (error = put_past_lapses(S, o, n)) < 0)
		goto done;
	put_lapses(S, o, n, lapse_notice, n->path);
	if ((error = notice_document(S, o, n, doc.root)) < 0)
		goto done;
	nobj = group_find(&S->objs_by_notice, n->id.v, &objs);
	arr = add_arr(o, "entries");
	for (i = 0; i < n->nentries; i++) {
		const struct notice_entry *e = &n->entries[i];
		const struct application *a = e->res_app;
		cJSON *eo = push_obj(arr);
		const struct tier *t = p ? program_find_tier(p, e->tier.v) : NULL;
		cJSON *je = cJSON_GetArrayItem(json_get(doc.root, "entries"), (int)i);
		put_num(eo, "number", (double)(i + 1));
		if (a)
			put_applicant_ref(S, eo, a);
		put_str(eo, "tier_name", t ? t->name : NULL);
		put_str(eo, "note", json_get_string(je, "note"));
		for (k = 0; k < nobj; k++) {
			const struct objection *b = objs[k];
			if (b->res_app == a && b->received.v <= S->o->today) {
				put_href(S, eo, "objection_href", "objections", b->id.v);
				put_str(eo, "objection_zh", b->status == OBJ_UNDER_REVIEW ? "有异议，处理中"
							   : b->outcome == OUT_UPHELD ? "异议成立"
							   : b->outcome == OUT_REJECTED ? "异议不成立" : "异议已撤回");
			}
		}
	}
	put_bool(o, "has_entries", n->nentries > 0);
	arr = add_arr(o, "objections");
	for (k = 0; k < nobj; k++) {
		const struct objection *b = objs[k];
		cJSON *bo;
		if (b->received.v > S->o->today)
			continue;
		bo = push_obj(arr);
		put_href(S, bo, "href", "objections", b->id.v);
		put_date(bo, "received", b->received.v);
		put_str(bo, "status_zh", b->status == OBJ_UNDER_REVIEW ? "处理中"
					: b->status == OBJ_WITHDRAWN ? "已撤回"
					: b->outcome == OUT_UPHELD ? "异议成立" : "异议不成立");
	}
	put_bool(o, "has_objections", cJSON_GetArraySize(arr) > 0);
	if (n->revocation.v)
		put_href(S, o, "revocation_href", "revocations", n->revocation.v);
	error = emit_record(S, "notices", n->id.v, "notice", json_get_string(doc.root, "title"),
		     NULL, doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

static int page_notice_version(struct site *S, const struct notice *n, const struct history_commit *c,
			       const struct history_change *e, bool current)
{
	struct json_doc doc = JSON_DOC_INIT;
	char path[MAX_URL];
	const cJSON *x;
	cJSON *ctx, *o, *arr;
	date_t d;
	int error, i = 0;

	if ((error = load_version(S, e->new_oid, &doc)) < 0 || !doc.root)
		goto out;
	ctx = cJSON_CreateObject();
	o = add_obj(ctx, "version");
	put_item(o, "record", doc.root, true);
	put_commit(o, c);
	put_bool(o, "current", current);
	put_href(S, o, "notice_href", "notices", n->id.v);
	/* the notice as citizens saw it then: the same document, from this version */
	if ((error = notice_document(S, o, n, doc.root)) < 0) {
		cJSON_Delete(ctx);
		goto out;
	}
	if (json_get_string(doc.root, "issued") && date_parse(json_get_string(doc.root, "issued"), &d) == 0)
		put_date(o, "issued", d);
	if (json_get_string(json_get(doc.root, "period"), "start") &&
	    date_parse(json_get_string(json_get(doc.root, "period"), "start"), &d) == 0)
		put_date(o, "start", d);
	if (json_get_string(json_get(doc.root, "period"), "end") &&
	    date_parse(json_get_string(json_get(doc.root, "period"), "end"), &d) == 0)
		put_date(o, "end", d);
	arr = add_arr(o, "entries");
	cJSON_ArrayForEach(x, json_get(doc.root, "entries")) {
		const struct application *a = record_find_application(S->r, json_get_string(x, "application"));
		const struct program *p = n->res_round ? n->res_round->res_program : NULL;
		const struct tier *t = p ? program_find_tier(p, json_get_string(x, "tier")) : NULL;
		cJSON *eo = push_obj(arr);
		put_num(eo, "number", (double)++i);
		if (a)
			put_applicant_ref(S, eo, a);
		else
			put_str(eo, "org_name", json_get_string(x, "application"));
		put_str(eo, "tier_name", t ? t->name : json_get_string(x, "tier"));
		put_str(eo, "note", json_get_string(x, "note"));
	}
	put_bool(o, "has_entries", i > 0);
	snprintf(path, sizeof(path), "notices/%s/v/%s/index.html", n->id.v, c->id);
	error = emit_data(S, path, "notice-version", json_get_string(doc.root, "title"), NULL, ctx);
out:
	json_doc_release(&doc);
	return error;
}

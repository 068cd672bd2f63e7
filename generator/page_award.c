/* page_award.c - the pages of awards, revocations and objections (see page_award.h). */

#include <stdio.h>
#include <string.h>

#include "build.h"
#include "ctx.h"
#include "emit.h"
#include "page_award.h"
#include "page_round.h"
#include "public.h"
#include "state.h"
#include "summary.h"
#include "trail.h"

/* ---- awards, revocations, objections ---- */

int page_award(struct site *S, const struct application *a)
{
	struct json_doc doc = JSON_DOC_INIT;
	char title[256];
	cJSON *ctx = cJSON_CreateObject(), *o;
	int error;

	if ((error = load_public(S, a->path, &doc)) < 0)
		goto done;
	o = award_summary(S, add_arr(ctx, "awards"), a);
	put_item(ctx, "award", cJSON_Duplicate(o, 1), false);
	put_item(cJSON_GetObjectItem(ctx, "award"), "record", doc.root, true);
	if (a->res_result_tier && a->res_result_tier->nprize_items) {
		const struct tier *t = a->res_result_tier;
		cJSON *aw = cJSON_GetObjectItem(ctx, "award"), *items = add_arr(aw, "prize_items");
		size_t i;
		put_bool(aw, "has_prize_items", true);
		for (i = 0; i < t->nprize_items; i++) {
			cJSON *it = push_obj(items);
			put_str(it, "name", t->prize_items[i]);
			put_bool(it, "first", i == 0);
		}
	}
	if ((error = put_award_history(S, cJSON_GetObjectItem(ctx, "award"), a->id.v, a->certificate.v)) < 0)
		goto done;
	snprintf(title, sizeof(title), "证书 %s", a->certificate.v);
	error = emit_record(S, "awards", a->certificate.v, "award", title, "awards/index.html", doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

static cJSON *revocation_summary(struct site *S, cJSON *arr, const struct revocation *v)
{
	const struct application *a = v->res_app;
	const struct ground *g = v->res_ground;
	cJSON *o = push_obj(arr);
	char rec[256] = "";
	size_t j;

	stamp_record(S, KIND_REVOCATION, v->id.v);
	if (a) /* its certificate and tier */
		stamp_record(S, KIND_APPLICATION, a->id.v);
	/* the round's name, and the program's (its tiers and grounds too) */
	if (a && a->res_round) {
		stamp_record(S, KIND_ROUND, a->res_round->id.v);
		if (program_of(a))
			stamp_record(S, KIND_PROGRAM, program_of(a)->id.v);
	}
	put_str(o, "id", v->id.v);
	put_href(S, o, "href", "revocations", v->id.v);
	if (a) {
		put_applicant_ref(S, o, a);
		put_str(o, "tier_name", tier_name(a->res_result_tier));
		put_str(o, "certificate", a->certificate.v);
		put_href(S, o, "award_href", "awards", a->certificate.v);
		if (a->res_round)
			put_str(o, "round_name", a->res_round->name);
		if (program_of(a))
			put_str(o, "program_name", program_of(a)->name);
	}
	if (g) {
		put_str(o, "ground_name", g->name);
		put_str(o, "article", g->article);
		put_bool(o, "revokes_award", g->requires_award);
		for (j = 0; j < g->nrecover; j++)
			snprintf(rec + strlen(rec), sizeof(rec) - strlen(rec), "%s%s", j ? "、" : "", g->recover[j]);
		put_str(o, "recover", *rec ? rec : NULL);
		if (g->ban_years && v->decided.v != DATE_NONE) {
			date_t until = date_period_end(v->decided.v, (int)g->ban_years, 0);
			put_num(o, "ban_years", (double)g->ban_years);
			put_date(o, "ban_until", until);
			put_bool(o, "ban_in_force", S->o->today <= until);
		}
	}
	put_date(o, "event", v->event.v);
	put_date(o, "decided", v->decided.v);
	return o;
}

int page_revocation(struct site *S, const struct revocation *v, cJSON *list)
{
	struct json_doc doc = JSON_DOC_INIT;
	cJSON *ctx = cJSON_CreateObject(), *o;
	size_t i, page;
	int error;

	if ((error = load_public(S, v->path, &doc)) < 0)
		goto done;
	page = row_begin(S);
	row_end(S, revocation_summary(S, list, v), page);
	o = revocation_summary(S, add_arr(ctx, "list"), v);
	put_item(ctx, "revocation", cJSON_Duplicate(o, 1), false);
	o = cJSON_GetObjectItem(ctx, "revocation");
	put_item(o, "record", doc.root, true);
	put_history(S, o, KIND_REVOCATION, v->id.v);
	for (i = 0; i < S->r->nnotices; i++)
		if (S->r->notices[i].revocation.v && !strcmp(S->r->notices[i].revocation.v, v->id.v))
			put_href(S, o, "notice_href", "notices", S->r->notices[i].id.v);
	error = emit_record(S, "revocations", v->id.v, "revocation", "撤销决定", "revocations/index.html", doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

int page_objection(struct site *S, const struct objection *b, cJSON *list)
{
	const struct notice *n = b->res_notice;
	const struct program *p = n && n->res_round ? n->res_round->res_program
			       : b->res_app && b->res_app->res_round ? b->res_app->res_round->res_program : NULL;
	struct json_doc doc = JSON_DOC_INIT;
	cJSON *ctx = cJSON_CreateObject(), *o, *sum;
	size_t k, page;
	const cJSON *eff = NULL;
	int error;

	if ((error = load_public(S, b->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "objection");
	put_item(o, "record", doc.root, true);
	put_history(S, o, KIND_OBJECTION, b->id.v);
	put_lapses(S, o, b, lapse_objection, b->path);
	put_date(o, "received", b->received.v);
	put_date(o, "decided", b->decided.v);
	put_str(o, "status_zh", b->status == OBJ_UNDER_REVIEW ? "处理中"
			       : b->status == OBJ_WITHDRAWN ? "已撤回" : "已处理");
	put_str(o, "outcome_zh", b->outcome == OUT_UPHELD ? "异议成立"
				: b->outcome == OUT_REJECTED ? "异议不成立" : NULL);
	put_str(o, "objector_zh", b->by_organization ? "单位" : "个人");
	if (n) {
		put_str(o, "notice_title", NULL);
		put_href(S, o, "notice_href", "notices", n->id.v);
		put_str(o, "notice_kind_zh", notice_kind_zh(n->kind));
	}
	if (b->res_app)
		put_applicant_ref(S, o, b->res_app);
	/* an objection to review work no notice lists (Lanzhou 第二十八条) */
	for (k = 0; p && b->stage.v && k < p->nstages; k++)
		if (!strcmp(p->stages[k].id, b->stage.v))
			put_str(o, "stage_name", p->stages[k].name);
	if (p) {
		stamp_record(S, KIND_PROGRAM, p->id.v); /* its name, stages, articles */
		put_str(o, "program_name", p->name);
		put_str(o, "upheld_article", p->upheld_article);
		/* the effect the program gives the outcome, read from its file */
		if (b->outcome != OUT_NONE) {
			struct json_doc pd = JSON_DOC_INIT;
			if ((error = load_public(S, p->path, &pd)) < 0)
				goto done;
			eff = json_get(json_get(pd.root, "objections"),
				       b->outcome == OUT_UPHELD ? "upheld_effect" : "rejected_effect");
			if (eff)
				put_item(o, "effect", cJSON_Duplicate(eff, 1), false);
			json_doc_release(&pd);
		}
	}
	page = row_begin(S);
	sum = push_obj(list);
	put_href(S, sum, "href", "objections", b->id.v);
	put_date(sum, "received", b->received.v);
	put_str(sum, "status_zh", json_get_string(o, "status_zh"));
	put_str(sum, "outcome_zh", json_get_string(o, "outcome_zh"));
	put_str(sum, "summary", json_get_string(doc.root, "summary"));
	if (b->res_app)
		put_applicant_ref(S, sum, b->res_app);
	row_end(S, sum, page);
	error = emit_record(S, "objections", b->id.v, "objection", "异议处理结果", "objections/index.html", doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

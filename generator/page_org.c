/* page_org.c - the pages of organizations and individuals (see page_org.h). */

#include <string.h>

#include "build.h"
#include "ctx.h"
#include "emit.h"
#include "group.h"
#include "page_org.h"
#include "public.h"
#include "state.h"
#include "summary.h"
#include "trail.h"

/* ---- organization ---- */

static const char *org_kind_zh(const char *k)
{
	static const char *const map[][2] = {
		{ "enterprise", "企业" }, { "public_institution", "事业单位" },
		{ "social_organization", "社会组织" }, { "research_institute", "科研机构" },
		{ "other", "其他组织" },
	};
	size_t i;

	for (i = 0; k && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], k))
			return map[i][1];
	return k;
}

/* An applicant's applications, awards and bans, organization or person. */
static size_t put_applicant_record(struct site *S, cJSON *o, const void *const *apps, size_t napps)
{
	cJSON *arr, *awards, *bans;
	size_t i, j;

	/* the award table leaves out the column that would only repeat the name */
	put_bool(o, "in_org", true);
	arr = add_arr(o, "applications");
	awards = add_arr(o, "awards");
	bans = add_arr(o, "bans");
	for (i = napps; i-- > 0;) { /* newest round first: ids sort by program, year */
		const struct application *a = apps[i];
		const struct program *p = program_of(a);
		cJSON *ao = push_obj(arr), *st = add_arr(ao, "stages");
		const void *const *revs;
		size_t nrev;
		stamp_record(S, KIND_APPLICATION, a->id.v); /* its stages, its result */
		if (p) {
			put_str(ao, "program_name", p->name);
			put_href(S, ao, "program_href", "programs", p->id.v);
		}
		if (a->res_round) {
			put_str(ao, "round_name", a->res_round->name);
			put_href(S, ao, "round_href", "rounds", a->res_round->id.v);
		}
		put_str(ao, "tier_name", tier_name(a->res_tier));
		put_date(ao, "submitted", a->submitted.v);
		put_date(ao, "withdrawn", a->withdrawn.v);
		for (j = 0; j < a->nstages; j++) {
			cJSON *so = push_obj(st);
			int k = program_stage_index(p, a->stages[j].stage.v);
			put_str(so, "name", k >= 0 ? p->stages[k].name : a->stages[j].stage.v);
			put_str(so, "outcome_zh", a->stages[j].passed ? "通过" : "未通过");
			put_bool(so, "passed", a->stages[j].passed);
			put_date(so, "date", a->stages[j].date.v);
		}
		put_str(ao, "result_zh", a->withdrawn.v != DATE_NONE ? "已撤回"
				     : !a->has_result ? "评审中"
				     : a->awarded ? tier_name(a->res_result_tier) : "未获奖");
		put_bool(ao, "has_stages", a->nstages > 0);
		if (a->awarded && a->certificate.v)
			award_summary(S, awards, a);
		nrev = group_find(&S->revs_by_app, a->id.v, &revs);
		for (j = 0; j < nrev; j++) {
			const struct revocation *v = revs[j];
			date_t until;
			cJSON *bo;
			if (!v->res_ground || !v->res_ground->ban_years || v->decided.v == DATE_NONE ||
			    v->decided.v > S->o->today)
				continue;
			until = date_period_end(v->decided.v, (int)v->res_ground->ban_years, 0);
			bo = push_obj(bans);
			put_str(bo, "program_name", p ? p->name : NULL);
			put_date(bo, "from", v->decided.v);
			put_date(bo, "until", until);
			put_bool(bo, "in_force", S->o->today <= until);
			put_href(S, bo, "revocation_href", "revocations", v->id.v);
			put_str(bo, "article", v->res_ground->article);
		}
	}
	put_bool(o, "has_awards", cJSON_GetArraySize(awards) > 0);
	put_bool(o, "has_bans", cJSON_GetArraySize(bans) > 0);
	return (size_t)cJSON_GetArraySize(awards);
}

/* What an applicant's counts of applications and awards (its row in its
 * list) are read from: whose each application is, and its result. */
static void stamp_counted(struct site *S, const void *const *apps, size_t napps)
{
	static const char *const counted[] = { "organization", "individual", "result", NULL };
	size_t i;

	for (i = 0; i < napps; i++)
		stamp_fields(S, KIND_APPLICATION, ((const struct application *)apps[i])->id.v, counted);
}

int page_organization(struct site *S, const struct organization *g, cJSON *list)
{
	struct json_doc doc = JSON_DOC_INIT;
	const void *const *apps;
	size_t napps, nawards, page;
	cJSON *ctx = cJSON_CreateObject(), *o, *sum;
	int error;

	if ((error = load_public(S, g->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "organization");
	put_item(o, "record", doc.root, true);
	put_str(o, "kind_zh", org_kind_zh(json_get_string(doc.root, "kind")));
	put_date(o, "established", g->established.v);
	put_history(S, o, KIND_ORGANIZATION, g->id.v);
	napps = group_find(&S->apps_by_org, g->id.v, &apps);
	nawards = put_applicant_record(S, o, apps, napps);
	page = row_begin(S);
	sum = push_obj(list);
	put_org_ref(S, sum, g, g->id.v);
	put_str(sum, "district", json_get_string(doc.root, "district"));
	put_num(sum, "applications", (double)napps);
	put_num(sum, "awards", (double)nawards);
	stamp_counted(S, apps, napps);
	row_end(S, sum, page);
	error = emit_record(S, "organizations", g->id.v, "organization", g->name, NULL, doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

/* ---- individual ---- */

/* A person's page shows what award notices publish (the record's public
 * part: name, employer, position) and their applications; its URL is
 * the id the office chose. */
int page_individual(struct site *S, const struct individual *p, cJSON *list)
{
	struct json_doc doc = JSON_DOC_INIT;
	const void *const *apps;
	size_t napps, nawards, page;
	cJSON *ctx = cJSON_CreateObject(), *o, *sum;
	int error;

	if ((error = load_public(S, p->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "individual");
	put_item(o, "record", doc.root, true);
	put_history(S, o, KIND_INDIVIDUAL, p->id.v);
	if (p->res_employer)
		put_href(S, o, "employer_href", "organizations", p->res_employer->id.v);
	napps = group_find(&S->apps_by_ind, p->id.v, &apps);
	nawards = put_applicant_record(S, o, apps, napps);
	page = row_begin(S);
	sum = push_obj(list);
	put_str(sum, "name", p->name);
	put_href(S, sum, "href", "individuals", p->id.v);
	put_str(sum, "employer", json_get_string(doc.root, "employer"));
	put_str(sum, "position", json_get_string(doc.root, "position"));
	put_num(sum, "applications", (double)napps);
	put_num(sum, "awards", (double)nawards);
	stamp_counted(S, apps, napps);
	row_end(S, sum, page);
	error = emit_record(S, "individuals", p->id.v, "individual", p->name, NULL, doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

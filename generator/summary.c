/* summary.c - summaries of records and references to them, shared by pages (see summary.h). */


#include "build.h"
#include "ctx.h"
#include "state.h"
#include "summary.h"
#include "text.h"

/* ---- summaries shared by pages ---- */

void put_org_ref(struct site *S, cJSON *o, const struct organization *g, const char *id)
{
	stamp_record(S, KIND_ORGANIZATION, id);
	put_str(o, "org_id", id);
	put_str(o, "org_name", g && g->name ? g->name : id);
	if (g)
		put_href(S, o, "org_href", "organizations", g->id.v);
}

/* The applicant, organization or person, under the keys templates use
 * for both (org_*); a person is named and linked, nothing more. */
void put_applicant_ref(struct site *S, cJSON *o, const struct application *a)
{
	static const char *const shown[] = { "organization", "individual", NULL };

	stamp_fields(S, KIND_APPLICATION, a->id.v, shown);
	if (!a->individual.v) {
		put_org_ref(S, o, a->res_org, a->organization.v);
		return;
	}
	put_str(o, "org_id", a->individual.v);
	put_str(o, "org_name", a->res_ind && a->res_ind->name ? a->res_ind->name : a->individual.v);
	put_bool(o, "individual", true);
	if (a->res_ind)
		put_href(S, o, "org_href", "individuals", a->res_ind->id.v);
}

const char *applicant_name(const struct application *a)
{
	if (a->individual.v)
		return a->res_ind && a->res_ind->name ? a->res_ind->name : a->individual.v;
	return a->res_org && a->res_org->name ? a->res_org->name : a->organization.v;
}

cJSON *notice_summary(struct site *S, cJSON *arr, const struct notice *n)
{
	static const char *const shown[] = { "id", "kind", "round", "title", "issued", "period", NULL };
	cJSON *o = push_obj(arr);
	const struct round *x = n->res_round;
	char u[MAX_URL];

	stamp_fields(S, KIND_NOTICE, n->id.v, shown);
	put_str(o, "id", n->id.v);
	put_str(o, "title", n->title);
	put_str(o, "href", href(u, "notices", n->id.v));
	put_str(o, "kind", notice_kind_name(n->kind));
	put_str(o, "kind_zh", notice_kind_zh(n->kind));
	put_date(o, "issued", n->issued.v);
	put_date(o, "start", n->start.v);
	put_date(o, "end", n->end.v);
	if (x) {
		put_str(o, "round_name", x->name);
		put_href(S, o, "round_href", "rounds", x->id.v);
		if (x->res_program) {
			put_str(o, "program_name", x->res_program->name);
			put_href(S, o, "program_href", "programs", x->res_program->id.v);
		}
	}
	put_notice_state(S, o, n);
	return o;
}

/* Whether the measures leave an award's money prize unstated (and the
 * record gives none paid): shown as not stated, never as 0. */
bool prize_unknown(const struct application *a)
{
	const struct tier *t = a->res_result_tier;

	if (a->prize.set || !t)
		return false;
	return a->individual.v && t->individual_yuan >= 0 ? false : t->prize_yuan < 0;
}

cJSON *award_summary(struct site *S, cJSON *arr, const struct application *a)
{
	const struct program *p = program_of(a);
	cJSON *o = push_obj(arr);
	char money[64];

	stamp_record(S, KIND_APPLICATION, a->id.v);
	put_str(o, "certificate", a->certificate.v);
	put_href(S, o, "href", "awards", a->certificate.v);
	put_applicant_ref(S, o, a);
	put_str(o, "tier_name", tier_name(a->res_result_tier));
	if (p) {
		put_str(o, "program_name", p->name);
		put_href(S, o, "program_href", "programs", p->id.v);
	}
	if (a->res_round) {
		put_str(o, "round_name", a->res_round->name);
		put_href(S, o, "round_href", "rounds", a->res_round->id.v);
	}
	put_date(o, "date", a->result_date.v);
	/* no money is no prize of 0 yuan: the measures' items are the prize */
	if (a->prize.set && a->prize.v) {
		text_money(money, sizeof(money), a->prize.v);
		put_str(o, "prize_zh", money);
	} else if (prize_unknown(a)) {
		put_bool(o, "prize_unknown", true);
	}
	put_award_status(S, o, a);
	return o;
}

void put_call(struct site *S, cJSON *o, const struct round *x)
{
	char t[300];

	snprintf(t, sizeof(t), "%s评审公告", x->name ? x->name : x->id.v);
	put_str(o, "title", t);
	put_str(o, "kind_zh", "评审公告");
	put_href(S, o, "href", "rounds", x->id.v);
}

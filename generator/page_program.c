/* page_program.c - a program's page and its rules as data (see page_program.h). */

#include <stdio.h>
#include <string.h>

#include "build.h"
#include "ctx.h"
#include "emit.h"
#include "group.h"
#include "page_program.h"
#include "public.h"
#include "text.h"
#include "trail.h"

/* ---- program ---- */

/*
 * A program's rules as data: one object per rule, with the article it
 * comes from and one member named for the rule (the rule ids of
 * check_rules[], "-" as "_") holding its parameters.  The sentences are
 * the theme's (rule-text.mustache), so C writes none and cuts none.
 */
const char *unit_zh(enum period_unit u)
{
	return u == UNIT_WORKING_DAYS ? "个工作日" : "天";
}

static cJSON *rule_of(cJSON *arr, const char *article, const char *rule)
{
	cJSON *o = push_obj(arr);

	put_str(o, "article", article);
	return add_obj(o, rule);
}

static void put_money(cJSON *o, const char *k, long yuan)
{
	char money[64];

	text_money(money, sizeof(money), yuan);
	put_str(o, k, money);
}

/* A list of names, each with "first" set on the first, for separators. */
static void put_names(cJSON *o, const char *k, const char *const *v, size_t n)
{
	cJSON *arr = add_arr(o, k);
	char with[64];
	size_t i;

	/* "with_items": whether there are any, without looping over them */
	snprintf(with, sizeof(with), "with_%s", k);
	put_bool(o, with, n > 0);
	for (i = 0; i < n; i++) {
		cJSON *x = push_obj(arr);
		put_str(x, "name", v[i]);
		put_bool(x, "first", i == 0);
	}
}

static void put_period(cJSON *o, enum period_unit u)
{
	put_bool(o, "working_days", u == UNIT_WORKING_DAYS);
}

static void program_rules(const struct program *p, cJSON *arr)
{
	cJSON *r;
	size_t i;

	r = rule_of(arr, p->cadence_article, "cadence");
	put_bool(r, "yearly", p->cadence_yearly && p->cadence_every == 1);
	if (p->cadence_yearly && p->cadence_every != 1)
		put_num(r, "every", (double)p->cadence_every);
	if (p->off_cycle_article)
		put_str(rule_of(arr, p->off_cycle_article, "off_cycle"), "by", p->off_cycle_by);
	if (p->measures.valid_years)
		put_num(rule_of(arr, p->measures.valid_article, "measures_expired"), "years",
			(double)p->measures.valid_years);
	if (p->divisions_article)
		put_names(rule_of(arr, p->divisions_article, "registration_region"), "divisions",
			  p->divisions, p->ndivisions);
	if (p->recommendation_article)
		rule_of(arr, p->recommendation_article, "recommendation");
	if (p->fraud_bar_years)
		put_num(rule_of(arr, p->fraud_bar_article, "fraud_bar"), "years", (double)p->fraud_bar_years);
	for (i = 0; i < p->ntiers; i++) {
		const struct tier *t = &p->tiers[i];
		if (t->cap >= 0) {
			r = rule_of(arr, t->cap_article, "tier_cap");
			put_str(r, "tier", t->name);
			put_num(r, "max", (double)t->cap);
			put_bool(r, "in_principle", t->cap_soft);
		}
		if (t->prize_yuan >= 0 || t->nprize_items || t->individual_yuan > 0) {
			r = rule_of(arr, t->prize_article, "prize");
			put_str(r, "tier", t->name);
			if (t->prize_yuan > 0)
				put_money(r, "money", t->prize_yuan);
			if (t->for_individuals && t->individual_yuan > 0)
				put_money(r, "individual_money", t->individual_yuan);
			if (t->nprize_items)
				put_names(r, "items", t->prize_items, t->nprize_items);
			if (!t->prize_yuan && !t->nprize_items && t->individual_yuan <= 0)
				put_bool(r, "nothing", true);
		}
		if (t->repeat_yuan >= 0) {
			r = rule_of(arr, t->repeat_article, "prize_repeat");
			put_str(r, "tier", t->name);
			if (t->repeat_yuan)
				put_money(r, "money", t->repeat_yuan);
		}
		if (t->min_years > 0) {
			r = rule_of(arr, t->eligibility_article, "operating_years");
			put_str(r, "tier", t->name);
			put_num(r, "years", (double)t->min_years);
		}
		if (t->requires_stage) {
			int k = program_stage_index(p, t->requires_stage);
			r = rule_of(arr, t->requires_article, "requires_stage");
			put_str(r, "tier", t->name);
			put_bool(r, "individuals", t->for_individuals);
			put_str(r, "stage", k >= 0 ? p->stages[k].name : t->requires_stage);
		}
		if (t->validity_years) {
			const char *then = t->validity_then ? t->validity_then : "";
			r = rule_of(arr, t->validity_article, "validity");
			put_str(r, "tier", t->name);
			put_num(r, "years", (double)t->validity_years);
			put_bool(r, "re_evaluation", !strcmp(then, "re_evaluation"));
			put_bool(r, "reapply", !strcmp(then, "reapply"));
			put_bool(r, "lapse", strcmp(then, "re_evaluation") && strcmp(then, "reapply"));
		}
		if (t->reapply_years) {
			r = rule_of(arr, t->reapply_article, "reapply_wait");
			put_str(r, "tier", t->name);
			put_bool(r, "individuals", t->for_individuals);
			put_num(r, "years", (double)t->reapply_years);
		}
	}
	if (p->vacancy_article)
		rule_of(arr, p->vacancy_article, "vacant_round");
	for (i = 0; i < p->nstages; i++)
		if (p->stages[i].has_gate) {
			r = rule_of(arr, p->stages[i].gate_article, "stage_after_notice");
			put_str(r, "stage", p->stages[i].name);
			put_str(r, "notice", notice_kind_zh(p->stages[i].gate));
		}
	for (i = 0; i < p->nnotice_rules; i++) {
		const struct notice_rule *n = &p->notice_rules[i];
		if (n->kind == NOTICE_RESULT) {
			put_str(rule_of(arr, n->article, "result_notice"), "notice", notice_kind_zh(n->kind));
			continue;
		}
		r = rule_of(arr, n->article, "notice_period");
		put_str(r, "notice", notice_kind_zh(n->kind));
		put_period(r, n->unit);
		if (!n->has_unit || (!n->min && !n->max))
			continue;
		if (n->min == n->max)
			put_num(r, "exactly", (double)n->min);
		else if (n->min)
			put_num(r, "at_least", (double)n->min);
		else
			put_num(r, "at_most", (double)n->max);
	}
	if (p->window_article)
		rule_of(arr, p->window_article, "objection_window");
	if (p->identity_article)
		rule_of(arr, p->identity_article, "objector_identity");
	if (p->review_work_article)
		rule_of(arr, p->review_work_article, "objection_review_work");
	if (p->evidence_article)
		rule_of(arr, p->evidence_article, "objection_evidence");
	if (p->has_decision) {
		r = rule_of(arr, p->decision_article, "objection_deadline");
		put_num(r, "within", (double)p->decision_within);
		put_period(r, p->decision_unit);
	}
	if (p->upheld_article)
		rule_of(arr, p->upheld_article, "award_objection");
	for (i = 0; i < p->ngrounds; i++) {
		const struct ground *g = &p->grounds[i];
		r = rule_of(arr, g->article, "revocation_ground");
		put_str(r, "ground", g->name);
		put_bool(r, "requires_award", g->requires_award);
		if (g->nrecover)
			put_names(r, "recover", g->recover, g->nrecover);
		put_bool(r, "announce", g->announce);
		if (g->ban_years)
			put_num(r, "ban_years", (double)g->ban_years);
	}
}

/* Each tier's awardees and prizes, for the template to word; a prize the
 * measures do not state is flagged, never shown as a figure. */
static void put_tier_facts(const struct program *p, cJSON *arr)
{
	char money[64];
	size_t i;

	for (i = 0; i < p->ntiers; i++) {
		const struct tier *t = &p->tiers[i];
		cJSON *o = push_obj(arr);
		put_str(o, "name", t->name);
		put_bool(o, "organizations", t->for_organizations);
		put_bool(o, "individuals", t->for_individuals);
		put_bool(o, "prize_unknown", t->prize_yuan < 0);
		if (t->prize_yuan >= 0) {
			text_money(money, sizeof(money), t->prize_yuan);
			put_str(o, "prize_zh", t->prize_yuan ? money : NULL);
			put_bool(o, "no_prize", t->prize_yuan == 0);
		}
		if (t->for_individuals && t->individual_yuan >= 0) {
			text_money(money, sizeof(money), t->individual_yuan);
			put_str(o, "individual_prize_zh", t->individual_yuan ? money : NULL);
		}
		put_str(o, "article", t->prize_article);
		put_bool(o, "years_unknown", t->for_organizations && !t->min_years);
	}
}

/* The caps over groups of tiers or kinds of awardee, for the template. */
static void put_group_caps(const struct program *p, cJSON *arr)
{
	size_t i;

	for (i = 0; i < p->ncaps; i++) {
		const struct group_cap *g = &p->caps[i];
		cJSON *o = push_obj(arr);
		put_str(o, "name", g->name);
		put_bool(o, "organizations", g->awardees == AWARDEE_ORGANIZATION);
		put_bool(o, "individuals", g->awardees == AWARDEE_INDIVIDUAL);
		put_num(o, "max", (double)g->max);
		put_bool(o, "in_principle", g->soft);
		put_str(o, "article", g->article);
	}
}

static const char *status_zh(const char *s)
{
	if (!s)
		return "";
	if (!strcmp(s, "in_force"))
		return "现行有效";
	if (!strcmp(s, "trial"))
		return "试行";
	if (!strcmp(s, "draft"))
		return "征求意见稿";
	if (!strcmp(s, "repealed"))
		return "已废止";
	return s;
}

int page_program(struct site *S, const struct program *p, cJSON *programs)
{
	struct json_doc doc = JSON_DOC_INIT;
	struct buf md = BUF_INIT;
	char path[MAX_URL];
	const void *const *f;
	size_t i, n, page;
	cJSON *ctx = cJSON_CreateObject(), *o, *arr, *sum;
	int error;

	if ((error = load_public(S, p->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "program");
	put_item(o, "record", doc.root, true);
	put_str(o, "status_zh", status_zh(p->measures.status));
	put_str(o, "status", p->measures.status);
	put_date(o, "issued", p->measures.issued);
	put_date(o, "effective", p->measures.effective);
	put_date(o, "repealed", p->measures.repealed);
	if (p->measures.valid_years && p->measures.effective != DATE_NONE) {
		date_t until = date_period_end(p->measures.effective - 1, (int)p->measures.valid_years, 0);
		put_date(o, "valid_until", until);
		put_bool(o, "lapsed", S->o->today > until);
	}
	program_rules(p, add_arr(o, "rules"));
	put_tier_facts(p, add_arr(o, "tiers"));
	put_group_caps(p, add_arr(o, "caps"));
	put_bool(o, "has_caps", p->ncaps > 0);
	put_history(S, o, KIND_PROGRAM, p->id.v);
	if (p->measures.text.v) {
		char mpath[MAX_URL];
		snprintf(mpath, sizeof(mpath), "content/%s", p->measures.text.v);
		if ((error = load_content(S, mpath, &md)) < 0 ||
		    (error == 0 && (error = put_markdown(o, "measures_html", buf_cstr(&md), 1)) < 0))
			goto done;
	}
	arr = add_arr(o, "rounds");
	n = group_find(&S->rounds_by_program, p->id.v, &f);
	for (i = n; i-- > 0;) { /* newest first */
		const struct round *x = f[i];
		cJSON *ro = push_obj(arr);
		put_str(ro, "name", x->name);
		put_href(S, ro, "href", "rounds", x->id.v);
		put_num(ro, "year", (double)x->year.v);
		put_date(ro, "approved", x->approval.v);
		put_bool(ro, "vacant", x->vacant);
	}
	snprintf(path, sizeof(path), "programs/%s/feed.xml", p->id.v);
	put_str(o, "feed", path);
	page = row_begin(S);
	sum = push_obj(programs);
	put_str(sum, "name", p->name);
	put_str(sum, "authority", p->authority);
	put_href(S, sum, "href", "programs", p->id.v);
	put_str(sum, "status_zh", status_zh(p->measures.status));
	put_str(sum, "status", p->measures.status);
	row_end(S, sum, page);
	error = emit_record(S, "programs", p->id.v, "program", p->name, "programs/index.html", doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	buf_release(&md);
	json_doc_release(&doc);
	return error;
}

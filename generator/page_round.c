/* page_round.c - a round's page, and the lapses the record shows (see page_round.h). */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "check.h"
#include "ctx.h"
#include "emit.h"
#include "error.h"
#include "group.h"
#include "page_round.h"
#include "public.h"
#include "state.h"
#include "summary.h"
#include "svg.h"
#include "text.h"
#include "trail.h"

/* ---- round ---- */

/* ---- lapses: what the record shows the office did not do in time ---- */

/*
 * One lapse of the record (check.h) for the template's sentence
 * (lapse.mustache): its rule, dates, lengths and article, the reason an
 * office gave for publishing it (an override), and, where it is shown
 * away from its own record, a link there.
 */
void put_lapse(struct site *S, cJSON *arr, const struct check_lapse *l, const char *self)
{
	cJSON *o = push_obj(arr);
	const struct program *p = l->round ? l->round->res_program : NULL;
	bool overdue = !strcmp(l->rule, "objection-overdue"), late = !strcmp(l->rule, "objection-deadline");
	bool period = !strcmp(l->rule, "notice-period") && l->want;

	put_str(o, "rule", l->rule);
	put_bool(o, "overdue", overdue);
	put_bool(o, "late", late);
	put_bool(o, "period", period);
	put_bool(o, "other", !overdue && !late && !period);
	put_str(o, "article", l->article);
	if (p)
		put_str(o, "measures_title", p->measures.title);
	put_date(o, "due", l->due);
	put_date(o, "date", l->date);
	if (period || overdue || late) {
		put_num(o, "n", (double)l->n);
		put_num(o, "want", (double)l->want);
		put_bool(o, "working", l->working);
		put_bool(o, "over", l->over);
	}
	put_str(o, "origin", l->origin == LAPSE_TIME ? "time" : l->origin == LAPSE_HISTORY ? "history" : "new");
	/* every key the template tests is set, so that none is looked up in the page around it */
	put_bool(o, "has_reason", l->override != NULL);
	if (l->override)
		put_str(o, "reason", l->override->reason);
	self = self && !strcmp(self, l->path) ? NULL : l->path;
	put_bool(o, "linked", self && (l->objection || l->notice || l->round));
	put_bool(o, "link_objection", self && l->objection);
	put_bool(o, "link_notice", self && !l->objection && l->notice);
	put_bool(o, "link_round", self && !l->objection && !l->notice && l->round);
	if (!self)
		return;
	if (l->objection) {
		put_href(S, o, "href", "objections", l->objection->id.v);
		put_date(o, "objection_received", l->objection->received.v);
	} else if (l->notice) {
		put_href(S, o, "href", "notices", l->notice->id.v);
		put_str(o, "notice_title", l->notice->title);
	} else if (l->round) {
		put_href(S, o, "href", "rounds", l->round->id.v);
		put_str(o, "round_name", l->round->name);
	}
}

/* The lapses concerning a record: those whose concern(l) is it (NULL
 * concern: all of them).  Adds "lapses" and "has_lapses" to o. */
void put_lapses(struct site *S, cJSON *o, const void *it,
		       const void *(*concern)(const struct check_lapse *), const char *self)
{
	const struct check_lapses *ls = S->o->lapses;
	cJSON *arr = add_arr(o, "lapses");
	size_t i;

	for (i = 0; ls && i < ls->n; i++)
		if (!concern || concern(&ls->v[i]) == it)
			put_lapse(S, arr, &ls->v[i], self);
	put_bool(o, "has_lapses", cJSON_GetArraySize(arr) > 0);
}

const void *lapse_objection(const struct check_lapse *l) { return l->objection; }
const void *lapse_notice(const struct check_lapse *l) { return l->notice; }
static const void *lapse_round(const struct check_lapse *l) { return l->round; }

/* The day a lapse arose: the day after a deadline missed, else the day
 * its notice was issued or its objection received, else, for a lapse of
 * an application (an award despite an objection), the award's date;
 * DATE_NONE when the record gives none.  Never today: a lapse's page
 * changes on the day it starts, no other day. */
date_t lapse_since(const struct site *S, const struct check_lapse *l)
{
	size_t i;

	if (l->due != DATE_NONE)
		return l->due + 1;
	if (l->notice)
		return l->notice->issued.v;
	if (l->objection)
		return l->objection->received.v;
	for (i = 0; i < S->r->napplications; i++)
		if (S->r->applications[i].path == l->path) /* the loader's one copy: check.c's locate() */
			return S->r->applications[i].result_date.v;
	return DATE_NONE;
}

/*
 * The home page's account of the record's lapses: how many of each
 * kind (the template's words name them, and it links lapses/), so
 * that a record with thousands of lapses keeps a small home page.
 * Adds "lapse_counts" to o.
 */
void put_lapse_counts(struct site *S, cJSON *o)
{
	const struct check_lapses *ls = S->o->lapses;
	long overdue = 0, late = 0, period = 0, other = 0;
	cJSON *c = add_obj(o, "lapse_counts");
	size_t i;

	for (i = 0; ls && i < ls->n; i++) {
		const char *rule = ls->v[i].rule;
		if (!strcmp(rule, "objection-overdue"))
			overdue++;
		else if (!strcmp(rule, "objection-deadline"))
			late++;
		else if (!strcmp(rule, "notice-period") && ls->v[i].want)
			period++;
		else
			other++;
	}
	put_num(c, "total", (double)(ls ? ls->n : 0));
	put_bool(c, "any", ls && ls->n);
	put_num(c, "overdue", (double)overdue);
	put_bool(c, "has_overdue", overdue > 0);
	put_num(c, "late", (double)late);
	put_bool(c, "has_late", late > 0);
	put_num(c, "period", (double)period);
	put_bool(c, "has_period", period > 0);
	put_num(c, "other", (double)other);
	put_bool(c, "has_other", other > 0);
}

struct pversion {
	date_t start, end;
	const struct history_commit *commit; /* that published it */
};

/* A date field's old value in a change, or DATE_NONE. */
static date_t old_date(const struct history_change *e, const char *path, date_t now, bool *changed)
{
	size_t i;
	date_t t;

	for (i = 0; i < e->fields.n; i++)
		if (!strcmp(e->fields.v[i].path, path)) {
			*changed = true;
			if (!e->fields.v[i].old || date_parse(e->fields.v[i].old, &t) < 0)
				return DATE_NONE;
			return t;
		}
	return now;
}

/*
 * The notice's period lapses that were corrected: a version in the
 * history whose period broke the program's rule, followed by one that
 * keeps it.  Found from the history's field changes (period.start,
 * period.end) going back from the current period, so no older version
 * is read or checked again.  Adds "past_lapses" to o.
 */
int put_past_lapses(struct site *S, cJSON *o, const struct notice *n)
{
	const struct program *p = n->res_round ? n->res_round->res_program : NULL;
	const struct notice_rule *nr = program_notice_rule(p, n->kind);
	const struct history_ref *refs;
	struct pversion *v;
	size_t count, i, k = 0;
	cJSON *arr = add_arr(o, "past_lapses");
	int len;

	if (!nr || !nr->has_unit || (!nr->min && !nr->max) || n->start.v == DATE_NONE || n->end.v == DATE_NONE ||
	    !(count = history_of(&S->hist, KIND_NOTICE, n->id.v, &refs))) {
		put_bool(o, "has_past_lapses", false);
		return 0;
	}
	if (!(v = calloc(count, sizeof(*v))))
		return fail_nomem();
	v[0].start = n->start.v;
	v[0].end = n->end.v;
	for (i = 0; i < count; i++) {
		const struct history_commit *c = &S->hist.commits[refs[i].commit];
		const struct history_change *e = &c->changes[refs[i].change];
		bool changed = false;
		if (e->status == HIST_DELETED || !e->parsed || v[k].start == DATE_NONE || v[k].end == DATE_NONE)
			break;
		v[k++].commit = c;
		if (e->status == HIST_ADDED || k == count)
			break;
		v[k].start = old_date(e, "period.start", v[k - 1].start, &changed);
		v[k].end = old_date(e, "period.end", v[k - 1].end, &changed);
	}
	/* oldest first: a run of versions that break the rule, ended by one that keeps it */
	for (i = k; i-- > 1;) {
		long want;
		bool over;
		if (v[i].end < v[i].start)
			continue;
		if (nr->unit == UNIT_WORKING_DAYS) {
			if (calendar_count_working_days(&S->r->calendar, v[i].start, v[i].end, &len) < 0) {
				error_clear();
				continue;
			}
		} else {
			len = (int)(v[i].end - v[i].start + 1);
		}
		over = !(nr->min && len < nr->min);
		want = over ? nr->max : nr->min;
		if (!(nr->min && len < nr->min) && !(nr->max && len > nr->max))
			continue;
		/* broken in version i: find the version that mended it */
		{
			size_t j = i, first = i;
			cJSON *x;
			while (j-- > 0) {
				int l2;
				if (nr->unit == UNIT_WORKING_DAYS) {
					if (calendar_count_working_days(&S->r->calendar, v[j].start, v[j].end, &l2) < 0) {
						error_clear();
						l2 = -1;
					}
				} else {
					l2 = (int)(v[j].end - v[j].start + 1);
				}
				if (l2 >= 0 && !(nr->min && l2 < nr->min) && !(nr->max && l2 > nr->max))
					break;
			}
			if (j == (size_t)-1)
				break; /* still broken now: a lapse of the record, shown as such */
			x = push_obj(arr);
			put_bool(x, "first", first == k - 1);
			put_num(x, "n", (double)len);
			put_num(x, "want", (double)want);
			put_bool(x, "over", over);
			put_bool(x, "working", nr->unit == UNIT_WORKING_DAYS);
			put_str(x, "article", nr->article);
			put_str(x, "measures_title", p->measures.title);
			put_date(x, "published", date_from_time_cst((time_t)v[i].commit->time));
			put_date(x, "corrected", date_from_time_cst((time_t)v[j].commit->time));
			i = j + 1;
		}
	}
	free(v);
	put_bool(o, "has_past_lapses", cJSON_GetArraySize(arr) > 0);
	return 0;
}

static void put_cap_exceeded(cJSON *arr, const char *name, enum awardee_kind k, size_t count, long max,
			     const char *article)
{
	cJSON *c = push_obj(arr);

	put_str(c, "name", name);
	put_bool(c, "organizations", k == AWARDEE_ORGANIZATION);
	put_bool(c, "individuals", k == AWARDEE_INDIVIDUAL);
	put_num(c, "count", (double)count);
	put_num(c, "max", (double)max);
	put_str(c, "article", article);
}

/* Caps set in principle (原则上) that the round exceeds: its page says so,
 * and why (the round's cap_exceeded, which the template reads). */
static void put_caps_exceeded(cJSON *o, const struct round *x, const void *const *apps, size_t napps)
{
	const struct program *p = x->res_program;
	cJSON *arr = add_arr(o, "caps_exceeded");
	size_t i, j, n;

	for (i = 0; i < p->ntiers; i++) {
		const struct tier *t = &p->tiers[i];
		for (j = n = 0; j < napps; j++)
			n += ((const struct application *)apps[j])->awarded &&
			     ((const struct application *)apps[j])->res_result_tier == t;
		if (t->cap_soft && t->cap >= 0 && n > (size_t)t->cap)
			put_cap_exceeded(arr, t->name, AWARDEE_ANY, n, t->cap, t->cap_article);
	}
	for (i = 0; i < p->ncaps; i++) {
		const struct group_cap *g = &p->caps[i];
		for (j = n = 0; j < napps; j++)
			n += group_cap_counts(g, apps[j]);
		if (g->soft && n > (size_t)g->max)
			put_cap_exceeded(arr, g->name, g->awardees, n, g->max, g->article);
	}
	put_bool(o, "any_cap_exceeded", cJSON_GetArraySize(arr) > 0);
}

int page_round(struct site *S, const struct round *x)
{
	const struct program *p = x->res_program;
	struct json_doc doc = JSON_DOC_INIT;
	struct buf svg = BUF_INIT;
	const void *const *apps, *const *ns;
	size_t i, j, k, napps, nn;
	cJSON *ctx = cJSON_CreateObject(), *o, *arr;
	const cJSON *call, *appr;
	struct svg_span *spans = NULL;
	size_t nspans = 0;
	int error;

	if ((error = load_public(S, x->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "round");
	put_item(o, "record", doc.root, true);
	put_lapses(S, o, x, lapse_round, x->path);
	put_str(o, "program_name", p->name);
	put_href(S, o, "program_href", "programs", p->id.v);
	put_date(o, "apps_start", x->apps_start.v);
	put_date(o, "apps_end", x->apps_end.v);
	if ((call = json_get(doc.root, "call"))) {
		cJSON *c = add_obj(o, "call");
		put_date(c, "published", x->call_published.v);
		put_str(c, "document_number", json_get_string(call, "document_number"));
		if ((error = put_markdown(c, "html", json_get_string(call, "body"), 2)) < 0)
			goto done;
	}
	if ((appr = json_get(doc.root, "approval"))) {
		cJSON *c = add_obj(o, "approval");
		put_date(c, "date", x->approval.v);
		put_str(c, "authority", json_get_string(appr, "authority"));
		put_str(c, "document_number", json_get_string(appr, "document_number"));
		if ((error = put_markdown(c, "html", json_get_string(appr, "body"), 2)) < 0)
			goto done;
	}
	napps = group_find(&S->apps_by_round, x->id.v, &apps);
	nn = group_find(&S->notices_by_round, x->id.v, &ns);
	put_bool(o, "approved", x->approval.v != DATE_NONE);
	put_history(S, o, KIND_ROUND, x->id.v);
	put_num(o, "applications_count", (double)napps);

	/* the timeline: application period, stages, notice periods, approval */
	if (!(spans = calloc(x->nschedule + nn + 2, sizeof(*spans)))) {
		error = fail_nomem();
		goto done;
	}
	if (x->apps_start.v != DATE_NONE && x->apps_end.v != DATE_NONE)
		spans[nspans++] = (struct svg_span){ "申报", x->apps_start.v, x->apps_end.v, SVG_SPAN_APPLY };
	for (i = 0; i < x->nschedule; i++) {
		int si = program_stage_index(p, x->schedule[i].stage.v);
		if (x->schedule[i].start.v == DATE_NONE || x->schedule[i].end.v == DATE_NONE)
			continue;
		spans[nspans++] = (struct svg_span){ si >= 0 ? p->stages[si].name : x->schedule[i].stage.v,
						     x->schedule[i].start.v, x->schedule[i].end.v, SVG_SPAN_STAGE };
	}
	for (i = 0; i < nn; i++) {
		const struct notice *n = ns[i];
		if (n->start.v != DATE_NONE && n->end.v != DATE_NONE)
			spans[nspans++] = (struct svg_span){ notice_kind_zh(n->kind), n->start.v, n->end.v,
							     SVG_SPAN_NOTICE };
	}
	if (x->approval.v != DATE_NONE)
		spans[nspans++] = (struct svg_span){ "批准", x->approval.v, x->approval.v, SVG_SPAN_APPROVAL };
	/* rows in date order (stable: the same start keeps the order above) */
	for (i = 1; i < nspans; i++) {
		struct svg_span t = spans[i];
		for (j = i; j > 0 && (spans[j - 1].start > t.start ||
				      (spans[j - 1].start == t.start && spans[j - 1].end > t.end)); j--)
			spans[j] = spans[j - 1];
		spans[j] = t;
	}
	if (nspans && (error = svg_timeline(spans, nspans, S->o->today, &svg)) < 0)
		goto done;
	put_str(o, "timeline_svg", svg.ptr);
	/* the same as a table: nothing is only in the picture */
	arr = add_arr(o, "timeline");
	for (i = 0; i < nspans; i++) {
		cJSON *row = push_obj(arr);
		put_str(row, "label", spans[i].label);
		put_date(row, "start", spans[i].start);
		if (spans[i].end != spans[i].start)
			put_date(row, "end", spans[i].end);
	}

	/* who passed each stage */
	arr = add_arr(o, "stages");
	for (i = 0; i < p->nstages; i++) {
		cJSON *so = push_obj(arr), *passed = add_arr(so, "passed");
		size_t failed = 0, n = 0;
		put_str(so, "name", p->stages[i].name);
		for (j = 0; j < napps; j++) {
			const struct application *a = apps[j];
			for (k = 0; k < a->nstages; k++) {
				if (!a->stages[k].stage.v || strcmp(a->stages[k].stage.v, p->stages[i].id))
					continue;
				n++;
				if (a->stages[k].passed)
					put_applicant_ref(S, push_obj(passed), a);
				else
					failed++;
			}
		}
		put_num(so, "reviewed", (double)n);
		put_num(so, "failed", (double)failed);
		put_bool(so, "any", n > 0);
	}
	/* the result by tier */
	arr = add_arr(o, "results");
	for (i = 0; i < p->ntiers; i++) {
		const struct tier *t = &p->tiers[i];
		cJSON *to = push_obj(arr), *awards = add_arr(to, "awards");
		char money[64];
		size_t n = 0;
		put_str(to, "tier_name", t->name);
		text_money(money, sizeof(money), t->prize_yuan);
		put_str(to, "prize_zh", t->prize_yuan > 0 ? money : NULL);
		put_bool(to, "prize_unknown", t->prize_yuan < 0);
		if (t->for_individuals && t->individual_yuan > 0) {
			text_money(money, sizeof(money), t->individual_yuan);
			put_str(to, "individual_prize_zh", money);
		}
		for (j = 0; j < napps; j++) {
			const struct application *a = apps[j];
			if (a->awarded && a->res_result_tier == t) {
				award_summary(S, awards, a);
				n++;
			}
		}
		put_bool(to, "any", n > 0);
	}
	put_caps_exceeded(o, x, apps, napps);
	arr = add_arr(o, "applications");
	for (j = 0; j < napps; j++) {
		const struct application *a = apps[j];
		cJSON *ao = push_obj(arr);
		stamp_record(S, KIND_APPLICATION, a->id.v); /* all the page shows of it */
		put_applicant_ref(S, ao, a);
		put_str(ao, "tier_name", tier_name(a->res_tier));
		put_date(ao, "submitted", a->submitted.v);
		put_date(ao, "withdrawn", a->withdrawn.v);
		put_str(ao, "result_zh", a->withdrawn.v != DATE_NONE ? "已撤回"
				     : !a->has_result ? "评审中"
				     : a->awarded ? tier_name(a->res_result_tier) : "未获奖");
	}
	arr = add_arr(o, "notices");
	for (i = 0; i < nn; i++)
		notice_summary(S, arr, ns[i]);
	error = emit_record(S, "rounds", x->id.v, "round", x->name, "programs/index.html", doc.root, ctx);
	ctx = NULL;
done:
	free(spans);
	cJSON_Delete(ctx);
	buf_release(&svg);
	json_doc_release(&doc);
	return error;
}

/* state.c - the states of records at the build date (see state.h). */

#include <stdio.h>
#include <stdlib.h>

#include "build.h"
#include "ctx.h"
#include "error.h"
#include "group.h"
#include "state.h"

/* ---- states computed at build time ---- */

const char *tier_name(const struct tier *t)
{
	return t && t->name ? t->name : "";
}

const struct program *program_of(const struct application *a)
{
	return a && a->res_round ? a->res_round->res_program : NULL;
}

/* An award's standing today. */
void put_award_status(struct site *S, cJSON *o, const struct application *a)
{
	const struct tier *t = a->res_result_tier;
	date_t today = S->o->today;

	if (a->res_revoked && a->res_revoked->decided.v != DATE_NONE && a->res_revoked->decided.v <= today) {
		put_str(o, "status", "revoked");
		put_str(o, "status_zh", "已撤销");
		put_date(o, "revoked", a->res_revoked->decided.v);
		put_href(S, o, "revocation_href", "revocations", a->res_revoked->id.v);
		return;
	}
	if (t && t->validity_years && a->result_date.v != DATE_NONE) {
		/* the reapply-wait convention: 5 years from 2024-07-16 end 2029-07-16 */
		date_t until = date_period_end(a->result_date.v, (int)t->validity_years, 0);
		put_date(o, "valid_until", until);
		if (today > until) {
			put_str(o, "status", "expired");
			put_str(o, "status_zh", "已过有效期");
			return;
		}
	}
	put_str(o, "status", "valid");
	put_str(o, "status_zh", "有效");
}

enum nstate notice_state(struct site *S, const struct notice *n, long *left)
{
	const void *const *f;
	size_t k, cnt;
	bool any = false, pending = false;

	*left = 0;
	if (n->kind > NOTICE_PROPOSED_WINNERS || n->start.v == DATE_NONE || n->end.v == DATE_NONE)
		return NS_PUBLISHED;
	if (S->o->today < n->start.v)
		return NS_NOT_OPEN;
	cnt = group_find(&S->objs_by_notice, n->id.v, &f);
	for (k = 0; k < cnt; k++) {
		const struct objection *b = f[k];
		if (b->received.v != DATE_NONE && b->received.v > S->o->today)
			continue; /* not yet received as of the build date */
		any = true;
		/* once the period is over, they decide the state shown */
		if (S->o->today > n->end.v)
			stamp_record(S, KIND_OBJECTION, b->id.v);
		pending |= b->status == OBJ_UNDER_REVIEW ||
			   (b->decided.v != DATE_NONE && b->decided.v > S->o->today);
	}
	if (S->o->today <= n->end.v) {
		*left = (long)n->end.v - S->o->today + 1;
		return NS_OPEN;
	}
	if (pending)
		return NS_REVIEW;
	return any ? NS_CLOSED : NS_CLEAN;
}

static const char *const nstate_ids[] = { "not-open", "open", "review", "clean", "closed", "published" };

/* The days of n's period left from today on, in the unit its program
 * counts it in: a period of working days has fewer left over a weekend
 * or holiday than the calendar says.  *working: counted in working days. */
static long days_left(struct site *S, const struct notice *n, long calendar_days, bool *working)
{
	const struct program *p = n->res_round ? n->res_round->res_program : NULL;
	const struct notice_rule *nr = program_notice_rule(p, n->kind);
	int k;

	*working = false;
	if (nr && nr->has_unit && nr->unit == UNIT_WORKING_DAYS) { /* the calendars counted in */
		char from[11], to[11], year[8];
		int y;
		fmt_iso(from, S->o->today);
		fmt_iso(to, n->end.v);
		for (y = atoi(from); y <= atoi(to) && y < atoi(from) + 100; y++) {
			snprintf(year, sizeof(year), "%d", y);
			stamp_record(S, KIND_CALENDAR, year);
		}
	}
	if (!nr || !nr->has_unit || nr->unit != UNIT_WORKING_DAYS ||
	    calendar_count_working_days(&S->r->calendar, S->o->today, n->end.v, &k) < 0) {
		error_clear();
		return calendar_days;
	}
	*working = true;
	return k;
}

/* The state of n for the template's sentence (notice-state.mustache):
 * its id, the days left, and how long objections take to handle. */
void put_notice_state(struct site *S, cJSON *o, const struct notice *n)
{
	const struct program *p = n->res_round ? n->res_round->res_program : NULL;
	long left;
	bool working;
	enum nstate st = notice_state(S, n, &left);
	static const char *const flags[] = { "state_not_open", "state_open", "state_review", "state_clean",
					     "state_closed", "state_published" };

	put_str(o, "state", nstate_ids[st]);
	put_bool(o, flags[st], true);
	if (st == NS_OPEN) {
		put_num(o, "days_left", (double)days_left(S, n, left, &working));
		put_bool(o, "days_working", working);
		put_bool(o, "open", true);
	}
	if (st == NS_OPEN || st == NS_REVIEW || st == NS_NOT_OPEN) {
		put_date(o, "state_start", n->start.v);
		put_date(o, "state_end", n->end.v);
		if (p && p->has_decision) {
			put_num(o, "handling_within", (double)p->decision_within);
			put_bool(o, "handling_working", p->decision_unit == UNIT_WORKING_DAYS);
			put_str(o, "handling_article", p->decision_article);
		}
	}
}

/* check.c - the programs' rules (see check.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "error.h"

struct ctx {
	const struct record *r;
	const struct check_options *o;
	struct diags *d;
	int error; /* sticky: the first allocation failure */
	struct check_lapse *last; /* the lapse the last report added, or NULL */
};

/* Errors of the record's format, which no override lets through. */
static bool is_lapse_rule(const char *rule)
{
	return strcmp(rule, "program-rules") && strcmp(rule, "calendar-missing");
}

static void add_lapse(struct ctx *c, const char *path, struct json_pos pos, const char *rule,
		      const char *msg)
{
	struct check_lapses *l = c->o->lapses;
	struct check_lapse *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		if (!(e = realloc(l->v, cap * sizeof(*e)))) {
			if (!c->error)
				c->error = error_nomem();
			return;
		}
		l->v = e;
		l->cap = cap;
	}
	e = &l->v[l->n];
	memset(e, 0, sizeof(*e));
	if (!(e->msg = strdup(msg))) {
		if (!c->error)
			c->error = error_nomem();
		return;
	}
	e->rule = rule;
	e->path = path;
	e->pos = pos;
	e->due = e->date = e->start = e->end = DATE_NONE;
	l->n++;
	c->last = e;
}

static void report(struct ctx *c, enum diag_level level, const char *path,
		   struct json_pos pos, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void report(struct ctx *c, enum diag_level level, const char *path,
		   struct json_pos pos, const char *rule, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (error >= 0)
		error = diags_add(c->d, level, path, pos.line, pos.col, rule, "%s", msg.ptr);
	if (error < 0 && !c->error)
		c->error = error;
	c->last = NULL;
	if (error >= 0 && level == DIAG_ERROR && c->o->lapses && is_lapse_rule(rule))
		add_lapse(c, path, pos, rule, msg.ptr);
	buf_release(&msg);
}

/* What a page says of the lapse just reported (nothing if none was kept). */
static void lapse_notice(struct ctx *c, const struct notice *n, const char *article)
{
	if (!c->last)
		return;
	c->last->notice = n;
	c->last->round = n ? n->res_round : NULL;
	c->last->article = article;
	if (n) {
		c->last->start = n->start.v;
		c->last->end = n->end.v;
	}
}

static void lapse_objection(struct ctx *c, const struct objection *b, const char *article)
{
	lapse_notice(c, b->res_notice, article);
	if (c->last)
		c->last->objection = b;
}

#define ERROR(c, path, pos, rule, ...) report(c, DIAG_ERROR, path, pos, rule, __VA_ARGS__)

/* The last day of a span of years from an event (date_period_end). */
static date_t years_end(date_t from, long years)
{
	return date_period_end(from, (int)years, 0);
}

/* An article the record may leave out, where the measures (or the text
 * the office has of them) cite none. */
static const char *article_or_none(const char *article)
{
	return article ? article : "article not stated";
}

static const char *unit_name(enum period_unit u)
{
	return u == UNIT_WORKING_DAYS ? "working days" : "days";
}

static const char *fmt_date(date_t t, char out[11])
{
	if (t == DATE_NONE)
		return strcpy(out, "?");
	date_format(t, out);
	return out;
}

static struct program *program_of(const struct application *a)
{
	return a->res_round ? a->res_round->res_program : NULL;
}

/* Length of [a, b] in unit; 1 (after reporting) if the calendar lacks a year. */
static int span(struct ctx *c, enum period_unit u, date_t a, date_t b, long *out,
		const char *path, struct json_pos pos)
{
	int n, error;

	if (u == UNIT_DAYS) {
		*out = (long)b - a + 1;
		return 0;
	}
	if ((error = calendar_count_working_days(&c->r->calendar, a, b, &n)) == ERR_CALENDAR) {
		ERROR(c, path, pos, "calendar-missing", "%s", error_message());
		return 1;
	}
	if (error < 0) {
		if (!c->error)
			c->error = error;
		return 1;
	}
	*out = n;
	return 0;
}

/* The last day of "within n unit of from", from not counted. */
static int deadline(struct ctx *c, enum period_unit u, date_t from, long n, date_t *out,
		    const char *path, struct json_pos pos)
{
	int error;

	if (u == UNIT_DAYS) {
		*out = from + (date_t)n;
		return 0;
	}
	if ((error = calendar_add_working_days(&c->r->calendar, from, (int)n, out)) == ERR_CALENDAR) {
		ERROR(c, path, pos, "calendar-missing", "%s", error_message());
		return 1;
	}
	if (error < 0 && !c->error)
		c->error = error;
	return error < 0;
}

/* ---- the programs themselves ---- */

/* A program's rules must make sense before anything is held to them. */
static void check_programs(struct ctx *c)
{
	const struct record *r = c->r;
	size_t i, j, k;

	for (i = 0; i < r->nprograms; i++) {
		const struct program *p = &r->programs[i];
		for (j = 0; j < p->nstages; j++)
			for (k = 0; k < j; k++)
				if (p->stages[j].id && p->stages[k].id && !strcmp(p->stages[j].id, p->stages[k].id))
					ERROR(c, p->path, p->stages[j].pos, "program-rules",
					      "stage \"%s\" is listed twice in the procedure", p->stages[j].id);
		for (j = 0; j < p->ntiers; j++) {
			const struct tier *t = &p->tiers[j];
			for (k = 0; k < j; k++)
				if (t->id && p->tiers[k].id && !strcmp(t->id, p->tiers[k].id))
					ERROR(c, p->path, t->pos, "program-rules", "tier \"%s\" is defined twice", t->id);
			if (t->requires_stage && program_stage_index(p, t->requires_stage) < 0)
				ERROR(c, p->path, t->pos, "program-rules",
				      "tier \"%s\" requires stage \"%s\", which is not in the procedure",
				      t->id, t->requires_stage);
			if ((t->individual_yuan >= 0 || t->individual_min_years) && !t->for_individuals)
				ERROR(c, p->path, t->pos, "program-rules",
				      "tier \"%s\" sets a prize or a condition for individuals, but its "
				      "\"awardees\" do not include individuals", t->id);
			if (t->repeat_yuan >= 0 && !t->repeat_article)
				ERROR(c, p->path, t->pos, "program-rules",
				      "tier \"%s\" sets \"repeat_yuan\" without the \"repeat_article\" it comes from",
				      t->id);
		}
		for (j = 0; j < p->ncaps; j++)
			for (k = 0; k < p->caps[j].ntiers; k++)
				if (p->caps[j].tiers[k] && !program_find_tier(p, p->caps[j].tiers[k]))
					ERROR(c, p->path, p->caps[j].pos, "program-rules",
					      "a cap counts tier \"%s\", which the program does not have",
					      p->caps[j].tiers[k]);
		for (j = 0; j < p->nnotice_rules; j++) {
			const struct notice_rule *nr = &p->notice_rules[j];
			for (k = 0; k < j; k++)
				if (p->notice_rules[k].kind == nr->kind)
					ERROR(c, p->path, nr->pos, "program-rules",
					      "a second rule for the %s (%s)", notice_kind_zh(nr->kind),
					      notice_kind_name(nr->kind));
			if ((nr->min || nr->max) && !nr->has_unit)
				ERROR(c, p->path, nr->pos, "program-rules",
				      "\"min\" or \"max\" needs a \"unit\" (days or working_days)");
			if (nr->min && nr->max && nr->min > nr->max)
				ERROR(c, p->path, nr->pos, "program-rules",
				      "\"min\" (%ld) is more than \"max\" (%ld)", nr->min, nr->max);
		}
		for (j = 0; j < p->ngrounds; j++)
			for (k = 0; k < j; k++)
				if (p->grounds[j].id && p->grounds[k].id && !strcmp(p->grounds[j].id, p->grounds[k].id))
					ERROR(c, p->path, p->grounds[j].pos, "program-rules",
					      "revocation ground \"%s\" is defined twice", p->grounds[j].id);
	}
}

/* ---- measures and rounds ---- */

static void check_measures(struct ctx *c)
{
	const struct record *r = c->r;
	char d1[11], d2[11];
	size_t i;

	for (i = 0; i < r->nprograms; i++) {
		const struct program *p = &r->programs[i];
		if (p->measures.status && !strcmp(p->measures.status, "draft"))
			report(c, DIAG_WARNING, p->path, p->id.pos, "measures-status",
			       "program \"%s\" runs under measures that are a draft for comment "
			       "(征求意见稿); results under them may not stand (%s)",
			       p->id.v, p->measures.status_article ? p->measures.status_article : "");
	}
	for (i = 0; i < r->nrounds; i++) {
		const struct round *x = &r->rounds[i];
		const struct program *p = x->res_program;
		date_t start = x->apps_start.v, until;
		if (!p || start == DATE_NONE)
			continue;
		if (p->measures.repealed != DATE_NONE && start >= p->measures.repealed)
			ERROR(c, x->path, x->apps_start.pos, "measures-repealed",
			      "round opens on %s, on or after the repeal of the measures of program \"%s\" on %s",
			      fmt_date(start, d1), p->id.v, fmt_date(p->measures.repealed, d2));
		/* in force from the effective day itself: the event is the day before */
		if (p->measures.valid_years && p->measures.effective != DATE_NONE &&
		    start > (until = years_end(p->measures.effective - 1, p->measures.valid_years)))
			ERROR(c, x->path, x->apps_start.pos, "measures-expired",
			      "round opens on %s, but the measures of program \"%s\" are valid for %ld years "
			      "from %s, until %s (%s)", fmt_date(start, d1), p->id.v, p->measures.valid_years,
			      fmt_date(p->measures.effective, d2), fmt_date(until, (char[11]){ 0 }),
			      p->measures.valid_article ? p->measures.valid_article : "");
		if (x->apps_end.v != DATE_NONE && x->apps_end.v < start)
			ERROR(c, x->path, x->apps_end.pos, "round-dates",
			      "applications close on %s, before they open on %s",
			      fmt_date(x->apps_end.v, d1), fmt_date(start, d2));
		if (x->call_published.v != DATE_NONE && x->call_published.v > start)
			ERROR(c, x->path, x->call_published.pos, "round-dates",
			      "call for applications published on %s, after applications opened on %s",
			      fmt_date(x->call_published.v, d1), fmt_date(start, d2));
	}
}

static int round_cmp(const void *a, const void *b)
{
	const struct round *x = *(const struct round *const *)a, *y = *(const struct round *const *)b;
	int k = strcmp(x->program.v, y->program.v);

	if (k)
		return k;
	if (x->year.v != y->year.v)
		return x->year.v < y->year.v ? -1 : 1;
	return strcmp(x->id.v, y->id.v);
}

static void check_cadence(struct ctx *c)
{
	const struct record *r = c->r;
	const struct round **v;
	size_t i, n = 0;

	if (!(v = malloc((r->nrounds + 1) * sizeof(*v)))) {
		c->error = error_nomem();
		return;
	}
	for (i = 0; i < r->nrounds; i++)
		/* years the schema allows only: a hostile one must not overflow below */
		if (r->rounds[i].res_program && r->rounds[i].year.set && !r->rounds[i].cancelled &&
		    !r->rounds[i].off_cycle_by.v &&
		    r->rounds[i].year.v >= 1900 && r->rounds[i].year.v <= 2200)
			v[n++] = &r->rounds[i];
	qsort(v, n, sizeof(*v), round_cmp);
	for (i = 1; i < n; i++) {
		const struct round *a = v[i - 1], *b = v[i];
		const struct program *p = b->res_program;
		if (a->res_program != p || !p->cadence_yearly || b->year.v - a->year.v >= p->cadence_every)
			continue;
		if (p->cadence_every == 1)
			ERROR(c, b->path, b->year.pos, "cadence",
			      "round \"%s\" is in %ld, the same year as round \"%s\"; program \"%s\" "
			      "holds one round a year (%s)", b->id.v, b->year.v, a->id.v, p->id.v,
			      p->cadence_article);
		else
			ERROR(c, b->path, b->year.pos, "cadence",
			      "round \"%s\" is in %ld, %ld year%s after round \"%s\"; program \"%s\" "
			      "holds a round every %ld years (%s)", b->id.v, b->year.v, b->year.v - a->year.v,
			      b->year.v - a->year.v == 1 ? "" : "s", a->id.v, p->id.v, p->cadence_every,
			      p->cadence_article);
	}
	free(v);
}

/* ---- applications ---- */

/* A tier goes only to the kinds of awardee it names, and a person is
 * held to the program's rules for individuals, never to an
 * organization's operating years. */
static void check_applicant(struct ctx *c, const struct application *a)
{
	const struct tier *ts[2] = { a->res_tier, a->awarded ? a->res_result_tier : NULL };
	const struct individual *p = a->res_ind;
	size_t i;

	for (i = 0; i < 2; i++) {
		const struct tier *t = ts[i];
		if (!t || (i && t == ts[0]))
			continue;
		if (a->individual.v && !t->for_individuals)
			ERROR(c, a->path, i ? a->result_tier.pos : a->individual.pos, "awardee-kind",
			      "%s is not open to individuals%s%s%s", t->name, t->awardees_article ? " (" : "",
			      t->awardees_article ? t->awardees_article : "", t->awardees_article ? ")" : "");
		else if (a->organization.v && !t->for_organizations)
			ERROR(c, a->path, i ? a->result_tier.pos : a->organization.pos, "awardee-kind",
			      "%s is for individuals only, not organizations (%s)", t->name,
			      article_or_none(t->awardees_article));
		if (p && t->individual_min_years && a->submitted.v != DATE_NONE) {
			int years = p->work_since.v == DATE_NONE ? -1
				    : date_years_between(p->work_since.v, a->submitted.v);
			if (years < 0)
				ERROR(c, a->path, a->individual.pos, "individual-years",
				      "%s requires %ld years of quality work (%s); give individual %s's "
				      "private.quality_work_since", t->name, t->individual_min_years,
				      t->individual_article, p->id.v);
			else if (years < t->individual_min_years)
				ERROR(c, a->path, a->individual.pos, "individual-years",
				      "individual %s had %d year%s of quality work (private.quality_work_since) "
				      "when applying; %s requires at least %ld (%s)", p->id.v, years,
				      years == 1 ? "" : "s", t->name, t->individual_min_years,
				      t->individual_article);
		}
	}
}

static void check_application(struct ctx *c, const struct application *a)
{
	const struct program *p = program_of(a);
	const struct round *x = a->res_round;
	const struct organization *g = a->res_org;
	char d1[11], d2[11];
	int last = -1;
	date_t prev = a->submitted.v;
	bool failed = false;
	size_t i;

	if (!p)
		return;
	if (a->submitted.v != DATE_NONE && x->apps_start.v != DATE_NONE && x->apps_end.v != DATE_NONE &&
	    (a->submitted.v < x->apps_start.v || a->submitted.v > x->apps_end.v))
		ERROR(c, a->path, a->submitted.pos, "application-window",
		      "submitted on %s, outside round \"%s\"'s application period %s to %s",
		      fmt_date(a->submitted.v, d1), x->id.v, fmt_date(x->apps_start.v, d2),
		      fmt_date(x->apps_end.v, (char[11]){ 0 }));
	for (i = 0; i < a->nstages; i++) {
		const struct stage_result *s = &a->stages[i];
		int k = program_stage_index(p, s->stage.v);
		if (k < 0)
			continue;
		if (failed) {
			ERROR(c, a->path, s->stage.pos, "stage-order",
			      "stage \"%s\" comes after a failed stage; an application that fails a stage "
			      "goes no further (%s)", s->stage.v, article_or_none(p->procedure_article));
			break;
		} else if (k <= last)
			ERROR(c, a->path, s->stage.pos, "stage-order",
			      "stage \"%s\" is out of order: the procedure runs it before \"%s\" (%s)",
			      s->stage.v, p->stages[last].id, article_or_none(p->procedure_article));
		else if (s->date.v != DATE_NONE && prev != DATE_NONE && s->date.v < prev)
			ERROR(c, a->path, s->date.pos, "stage-order",
			      "stage \"%s\" is dated %s, before %s", s->stage.v, fmt_date(s->date.v, d1),
			      i ? "the stage before it" : "the application was submitted");
		if (k > last)
			last = k;
		if (s->date.v != DATE_NONE)
			prev = s->date.v;
		failed |= !s->passed;
	}
	/* operating years, for the tier applied for and the tier awarded */
	if (g && g->established.v != DATE_NONE && a->submitted.v != DATE_NONE) {
		const struct tier *ts[2] = { a->res_tier, a->awarded ? a->res_result_tier : NULL };
		for (i = 0; i < 2; i++) {
			int years = date_years_between(g->established.v, a->submitted.v);
			if (!ts[i] || (i && ts[1] == ts[0]) || years >= ts[i]->min_years)
				continue;
			ERROR(c, a->path, i ? a->result_tier.pos : a->submitted.pos, "operating-years",
			      "organization %s was established on %s, %d year%s before it applied on %s; "
			      "%s requires at least %ld (%s)", g->id.v, fmt_date(g->established.v, d1), years,
			      years == 1 ? "" : "s", fmt_date(a->submitted.v, d2), ts[i]->name, ts[i]->min_years,
			      ts[i]->eligibility_article);
		}
	}
	check_applicant(c, a);
	if (!a->has_result)
		return;
	if (a->awarded) {
		if (!a->result_tier.v)
			ERROR(c, a->path, a->result_pos, "result", "an awarded result needs its \"tier\"");
		if (!a->certificate.v)
			ERROR(c, a->path, a->result_pos, "result", "an awarded result needs its \"certificate\" number");
		if (a->withdrawn.v != DATE_NONE)
			ERROR(c, a->path, a->result_pos, "result",
			      "the application was withdrawn on %s and cannot be awarded",
			      fmt_date(a->withdrawn.v, d1));
		if (failed)
			ERROR(c, a->path, a->result_pos, "result",
			      "awarded although the application failed a review stage");
	} else {
		if (a->result_tier.v)
			ERROR(c, a->path, a->result_tier.pos, "result", "a result that is not awarded has no tier");
		if (a->certificate.v)
			ERROR(c, a->path, a->certificate.pos, "result",
			      "a result that is not awarded has no certificate");
		if (a->prize.set && a->prize.v)
			ERROR(c, a->path, a->prize.pos, "result", "a result that is not awarded has no prize");
	}
	if (a->result_date.v != DATE_NONE && prev != DATE_NONE && a->result_date.v < prev)
		ERROR(c, a->path, a->result_date.pos, "result",
		      "decided on %s, before the last review stage (%s)", fmt_date(a->result_date.v, d1),
		      fmt_date(prev, d2));
	if (a->awarded && a->res_result_tier && a->res_result_tier->requires_stage) {
		const struct tier *t = a->res_result_tier;
		for (i = 0; i < a->nstages; i++)
			if (a->stages[i].passed && a->stages[i].stage.v &&
			    !strcmp(a->stages[i].stage.v, t->requires_stage))
				break;
		if (i == a->nstages)
			ERROR(c, a->path, a->result_tier.pos, "requires-stage",
			      "%s is only for applications that passed stage \"%s\", and this one did not (%s)",
			      t->name, t->requires_stage, t->requires_article);
	}
}

static int app_id_cmp(const void *a, const void *b)
{
	const struct application *x = *(const struct application *const *)a;
	const struct application *y = *(const struct application *const *)b;

	return strcmp(x->id.v, y->id.v);
}

/* Awarded applications by round, tier, id: caps. */
static int award_cmp(const void *a, const void *b)
{
	const struct application *x = *(const struct application *const *)a;
	const struct application *y = *(const struct application *const *)b;
	int k;

	if ((k = strcmp(x->round.v, y->round.v)) || (k = strcmp(x->result_tier.v, y->result_tier.v)))
		return k;
	return app_id_cmp(a, b);
}

static int cert_cmp(const void *a, const void *b)
{
	const struct application *x = *(const struct application *const *)a;
	const struct application *y = *(const struct application *const *)b;
	int k = strcmp(x->certificate.v, y->certificate.v);

	return k ? k : app_id_cmp(a, b);
}

/* "organization" or "individual": what a message calls the applicant. */
static const char *who(const struct application *a)
{
	return a->individual.v ? "individual" : "organization";
}

/* Organizations, then individuals, by id: one applicant's applications together. */
static int applicant_cmp(const struct application *x, const struct application *y)
{
	if (!x->individual.v != !y->individual.v)
		return x->individual.v ? 1 : -1;
	return strcmp(application_applicant(x), application_applicant(y));
}

/* By applicant, then submission date: bans, waits, repeat wins. */
static int org_cmp(const void *a, const void *b)
{
	const struct application *x = *(const struct application *const *)a;
	const struct application *y = *(const struct application *const *)b;
	int k = applicant_cmp(x, y);

	if (k)
		return k;
	if (x->submitted.v != y->submitted.v)
		return x->submitted.v < y->submitted.v ? -1 : 1;
	return app_id_cmp(a, b);
}

/* A cap of a round exceeded: an error; for a cap set only in principle
 * (原则上), a warning unless the round says why (its page shows why). */
static void cap_exceeded(struct ctx *c, const struct round *x, const char *rule, const char *what,
			 size_t count, const struct buf *ids, long max, bool soft, const char *article)
{
	struct json_pos pos = x->approval.v != DATE_NONE ? x->approval.pos : x->id.pos;

	if (!soft)
		ERROR(c, x->path, pos, rule,
		      "round \"%s\" awards %zu %s (%s); program \"%s\" allows at most %ld a round (%s)",
		      x->id.v, count, what, buf_cstr(ids), x->res_program->id.v, max, article);
	else if (!x->cap_reason)
		report(c, DIAG_WARNING, x->path, pos, rule,
		       "round \"%s\" awards %zu %s (%s), over the %ld a round program \"%s\" sets "
		       "in principle (原则上, %s); give the reason in the round's \"cap_exceeded\"",
		       x->id.v, count, what, buf_cstr(ids), max, x->res_program->id.v, article);
}

/* "每届获奖总数 of tiers gold, silver to individuals" */
static int group_cap_what(const struct group_cap *g, struct buf *out)
{
	size_t k;
	int error = buf_puts(out, g->name ? g->name : "awards");

	for (k = 0; k < g->ntiers && error >= 0; k++)
		error = buf_printf(out, "%s%s", k ? ", " : " of tiers ", g->tiers[k]);
	if (error >= 0 && g->awardees != AWARDEE_ANY)
		error = buf_puts(out, g->awardees == AWARDEE_ORGANIZATION ? " to organizations" : " to individuals");
	return error;
}

/* Caps over a group of tiers or a kind of awardee (caps[]); v holds the
 * awarded applications sorted by round. */
static void check_group_caps(struct ctx *c, const struct application **v, size_t n)
{
	size_t i, j, k, m;

	for (i = 0; i < n; i = j) {
		const struct round *x = v[i]->res_round;
		const struct program *p = x ? x->res_program : NULL;
		for (j = i; j < n && v[j]->res_round == x; j++)
			;
		for (k = 0; p && k < p->ncaps; k++) {
			const struct group_cap *g = &p->caps[k];
			struct buf ids = BUF_INIT, what = BUF_INIT;
			size_t count = 0;
			for (m = i; m < j; m++)
				if (group_cap_counts(g, v[m]) &&
				    buf_printf(&ids, "%s%s", count++ ? ", " : "", v[m]->id.v) < 0)
					c->error = error_nomem();
			if (count > (size_t)g->max) {
				if (buf_puts(&what, "under the cap on ") < 0 || group_cap_what(g, &what) < 0)
					c->error = error_nomem();
				cap_exceeded(c, x, "group-cap", buf_cstr(&what), count, &ids, g->max, g->soft,
					     g->article);
			}
			buf_release(&ids);
			buf_release(&what);
		}
	}
}

static void check_caps_and_certificates(struct ctx *c, const struct application **v)
{
	const struct record *r = c->r;
	size_t i, j, n = 0;

	for (i = 0; i < r->napplications; i++)
		if (r->applications[i].awarded && r->applications[i].res_result_tier && r->applications[i].round.v)
			v[n++] = &r->applications[i];
	qsort(v, n, sizeof(*v), award_cmp);
	for (i = 0; i < n; i = j) {
		const struct tier *t = v[i]->res_result_tier;
		const struct round *x = v[i]->res_round;
		struct buf ids = BUF_INIT;
		for (j = i; j < n && v[j]->res_round == x && v[j]->res_result_tier == t; j++)
			if (buf_printf(&ids, "%s%s", j > i ? ", " : "", v[j]->id.v) < 0)
				c->error = error_nomem();
		if (x && t->cap >= 0 && j - i > (size_t)t->cap)
			cap_exceeded(c, x, "tier-cap", t->name, j - i, &ids, t->cap, t->cap_soft, t->cap_article);
		buf_release(&ids);
	}
	check_group_caps(c, v, n);
	for (i = n = 0; i < r->napplications; i++)
		if (r->applications[i].certificate.v)
			v[n++] = &r->applications[i];
	qsort(v, n, sizeof(*v), cert_cmp);
	for (i = 1; i < n; i++)
		if (!strcmp(v[i]->certificate.v, v[i - 1]->certificate.v))
			ERROR(c, v[i]->path, v[i]->certificate.pos, "certificate-duplicate",
			      "certificate number %s is already used by application \"%s\"",
			      v[i]->certificate.v, v[i - 1]->id.v);
}

static void check_history(struct ctx *c, const struct application **v)
{
	const struct record *r = c->r;
	size_t i, j, k, n = 0, lo;
	char d1[11], d2[11];

	for (i = 0; i < r->napplications; i++)
		if (application_applicant(&r->applications[i]) && r->applications[i].submitted.v != DATE_NONE &&
		    program_of(&r->applications[i]))
			v[n++] = &r->applications[i];
	qsort(v, n, sizeof(*v), org_cmp);
	/* one group per applicant; groups are small, so pairs are cheap */
	for (lo = 0; lo < n; lo = j) {
		for (j = lo; j < n && application_same_applicant(v[j], v[lo]); j++)
			;
		for (i = lo; i < j; i++) {
			const struct application *a = v[i];
			const struct program *p = program_of(a);
			for (k = lo; k < j; k++) {
				const struct application *b = v[k];
				if (b == a || program_of(b) != p)
					continue;
				/* one application per round */
				if (k < i && b->res_round == a->res_round)
					ERROR(c, a->path, a->individual.v ? a->individual.pos : a->organization.pos,
					      "one-application", "%s %s already applied to round \"%s\" (application \"%s\")",
					      who(a), application_applicant(a), a->round.v, b->id.v);
				/* re-application wait after a win */
				if (b->awarded && !b->res_revoked && b->res_result_tier &&
				    b->res_result_tier->reapply_years && b->result_date.v != DATE_NONE &&
				    a->submitted.v > b->result_date.v &&
				    a->submitted.v <= years_end(b->result_date.v, b->res_result_tier->reapply_years))
					ERROR(c, a->path, a->submitted.pos, "reapply-wait",
					      "%s %s won %s on %s (application \"%s\") and may not apply "
					      "again to the program until after %s (%s)", who(a), application_applicant(a),
					      b->res_result_tier->name, fmt_date(b->result_date.v, d1), b->id.v,
					      fmt_date(years_end(b->result_date.v, b->res_result_tier->reapply_years), d2),
					      b->res_result_tier->reapply_article);
			}
			/* the prize, given earlier wins of the same tier */
			if (a->awarded && a->res_result_tier && a->prize.set && a->result_date.v != DATE_NONE) {
				const struct tier *t = a->res_result_tier;
				const struct application *before = NULL;
				long want;
				for (k = lo; k < j && !before; k++)
					if (v[k] != a && v[k]->awarded && v[k]->res_result_tier == t &&
					    v[k]->result_date.v != DATE_NONE && v[k]->result_date.v < a->result_date.v)
						before = v[k];
				want = before && t->repeat_yuan >= 0 ? t->repeat_yuan
				       : a->individual.v && t->individual_yuan >= 0 ? t->individual_yuan : t->prize_yuan;
				/* a prize the measures do not state cannot be checked */
				if (want >= 0 && a->prize.v != want) {
					if (before && t->repeat_yuan >= 0)
						ERROR(c, a->path, a->prize.pos, "prize",
						      "prize is %ld yuan, but %s %s already won %s "
						      "(application \"%s\"), so the prize is %ld yuan (%s)",
						      a->prize.v, who(a), application_applicant(a), t->name, before->id.v, want,
						      t->repeat_article);
					else
						ERROR(c, a->path, a->prize.pos, "prize",
						      "prize is %ld yuan; %s carries %ld yuan%s (%s)",
						      a->prize.v, t->name, want,
						      a->individual.v && t->individual_yuan >= 0 ? " for an individual" : "",
						      t->prize_article);
				}
			}
		}
	}
	/* bans: the same groups, looked up by the revoked application's applicant */
	for (i = 0; i < r->nrevocations; i++) {
		const struct revocation *rv = &r->revocations[i];
		const struct application *key, *target = rv->res_app;
		const struct application **hit;
		date_t until;
		if (!rv->res_ground || !rv->res_ground->ban_years || rv->decided.v == DATE_NONE ||
		    !target || !application_applicant(target))
			continue;
		until = years_end(rv->decided.v, rv->res_ground->ban_years);
		key = target;
		hit = bsearch(&key, v, n, sizeof(*v), org_cmp);
		if (!hit)
			continue;
		for (k = (size_t)(hit - v); k > 0 && application_same_applicant(v[k - 1], target); k--)
			;
		for (; k < n && application_same_applicant(v[k], target); k++) {
			const struct application *a = v[k];
			if (program_of(a) != program_of(target) || a->submitted.v < rv->decided.v ||
			    a->submitted.v > until)
				continue;
			ERROR(c, a->path, a->submitted.pos, "ban",
			      "%s %s is banned from program \"%s\" from %s to %s by revocation "
			      "\"%s\" (%s)", who(a), application_applicant(a), program_of(a)->id.v, fmt_date(rv->decided.v, d1),
			      fmt_date(until, d2), rv->id.v, rv->res_ground->article);
		}
	}
}

/* ---- notices and objections ---- */

static void check_notices(struct ctx *c, const struct notice **best)
{
	const struct record *r = c->r;
	unsigned char *kinds;
	char d1[11], d2[11];
	size_t i, j;

	if (!(kinds = calloc(r->nrounds + 1, 1))) {
		c->error = error_nomem();
		return;
	}
	for (i = 0; i < r->nnotices; i++) {
		const struct notice *n = &r->notices[i];
		const struct program *p = n->res_round ? n->res_round->res_program : NULL;
		const struct notice_rule *rule = program_notice_rule(p, n->kind);
		bool publicity = n->kind <= NOTICE_PROPOSED_WINNERS;
		long len;
		if (n->res_round)
			kinds[n->res_round - r->rounds] |= (unsigned char)(1u << n->kind);
		if (!publicity || !p)
			continue;
		/* the notice an award rests on: the latest that lists it */
		for (j = 0; n->kind == NOTICE_PROPOSED_WINNERS && j < n->nentries; j++) {
			const struct application *a = n->entries[j].res_app;
			const struct notice **slot;
			if (!a)
				continue;
			slot = &best[a - r->applications];
			if (!*slot || (*slot)->end.v < n->end.v)
				*slot = n;
		}
		if (n->start.v == DATE_NONE || n->end.v == DATE_NONE) {
			if (n->start.v == DATE_NONE && n->end.v == DATE_NONE)
				ERROR(c, n->path, n->period_pos, "notice-period",
				      "a %s needs its \"period\"", notice_kind_zh(n->kind));
			continue;
		}
		if (n->end.v < n->start.v) {
			ERROR(c, n->path, n->end.pos, "notice-period", "the period ends on %s, before it starts on %s",
			      fmt_date(n->end.v, d1), fmt_date(n->start.v, d2));
			continue;
		}
		if (n->issued.v != DATE_NONE && n->start.v < n->issued.v)
			ERROR(c, n->path, n->start.pos, "notice-period",
			      "the period starts on %s, before the notice was issued on %s",
			      fmt_date(n->start.v, d1), fmt_date(n->issued.v, d2));
		if (rule && n->kind == NOTICE_PROPOSED_WINNERS && n->res_round->approval.v != DATE_NONE &&
		    n->res_round->approval.v <= n->end.v)
			ERROR(c, n->res_round->path, n->res_round->approval.pos, "award-after-notice",
			      "results approved on %s, not after the %s \"%s\" ended on %s (%s)",
			      fmt_date(n->res_round->approval.v, d1), notice_kind_zh(n->kind), n->id.v,
			      fmt_date(n->end.v, d2), rule->article);
		if (!rule || !rule->has_unit || span(c, rule->unit, n->start.v, n->end.v, &len, n->path, n->period_pos))
			continue;
		if (rule->min && len < rule->min)
			ERROR(c, n->path, n->period_pos, "notice-period",
			      "the %s runs %ld %s (%s to %s); program \"%s\" requires at least %ld %s (%s)",
			      notice_kind_zh(n->kind), len, unit_name(rule->unit), fmt_date(n->start.v, d1),
			      fmt_date(n->end.v, d2), p->id.v, rule->min, unit_name(rule->unit), rule->article);
		else if (rule->max && len > rule->max)
			ERROR(c, n->path, n->period_pos, "notice-period",
			      "the %s runs %ld %s (%s to %s); program \"%s\" sets %s%ld %s (%s)",
			      notice_kind_zh(n->kind), len, unit_name(rule->unit), fmt_date(n->start.v, d1),
			      fmt_date(n->end.v, d2), p->id.v, rule->min == rule->max ? "" : "at most ",
			      rule->max, unit_name(rule->unit), rule->article);
		else
			continue;
		lapse_notice(c, n, rule->article);
		if (c->last) {
			c->last->n = len;
			c->last->over = !(rule->min && len < rule->min);
			c->last->want = c->last->over ? rule->max : rule->min;
			c->last->working = rule->unit == UNIT_WORKING_DAYS;
		}
	}
	for (i = 0; i < r->nrounds; i++) {
		const struct round *x = &r->rounds[i];
		const struct program *p = x->res_program;
		if (!p || x->approval.v == DATE_NONE || x->cancelled)
			continue;
		for (j = 0; j < p->nnotice_rules; j++) {
			const struct notice_rule *rule = &p->notice_rules[j];
			if (rule->required && !(kinds[i] & (1u << rule->kind)) &&
			    !(x->vacant && p->vacancy_article && rule->kind == NOTICE_PROPOSED_WINNERS))
				ERROR(c, x->path, x->approval.pos, "notice-required",
				      "round \"%s\" was approved without a %s (%s); program \"%s\" requires one (%s)",
				      x->id.v, notice_kind_zh(rule->kind), notice_kind_name(rule->kind), p->id.v,
				      rule->article);
		}
	}
	free(kinds);
}

static void check_awards(struct ctx *c, const struct notice **best)
{
	const struct record *r = c->r;
	char d1[11], d2[11];
	size_t i;

	for (i = 0; i < r->napplications; i++) {
		const struct application *a = &r->applications[i];
		const struct program *p = program_of(a);
		const struct notice_rule *rule = program_notice_rule(p, NOTICE_PROPOSED_WINNERS);
		const struct notice *n = best[i];
		if (!a->awarded || !p || !rule)
			continue;
		if (!n) {
			ERROR(c, a->path, a->result_pos, "award-notice",
			      "awarded without being listed in a %s of round \"%s\" (%s)",
			      notice_kind_zh(NOTICE_PROPOSED_WINNERS), a->round.v, rule->article);
			continue;
		}
		if (a->result_date.v != DATE_NONE && n->end.v != DATE_NONE && a->result_date.v <= n->end.v)
			ERROR(c, a->path, a->result_date.pos, "award-after-notice",
			      "awarded on %s, not after the %s \"%s\" ended on %s (%s)",
			      fmt_date(a->result_date.v, d1), notice_kind_zh(n->kind), n->id.v,
			      fmt_date(n->end.v, d2), rule->article);
	}
}

/* No award for an entry with an upheld objection is the point of a 公示,
 * whether or not the measures say it in an article. */
static const char *upheld_article(const struct program *p)
{
	return p->upheld_article ? p->upheld_article : "the measures cite no article";
}

/* What an objection is against: an entry of a notice, or, where the
 * measures take objections to any acceptance or review work (Lanzhou
 * 第二十八条), a stage of the application's review that no notice lists. */
static void check_objection_subject(struct ctx *c, const struct objection *b, const struct program *p)
{
	size_t k;

	if (!b->notice.v && !b->stage.v) {
		ERROR(c, b->path, b->application.pos, "objection-subject",
		      "an objection names the notice whose entry it objects to (notice), or the stage of "
		      "review work it objects to (stage)%s%s%s", p->review_work_article ? " (" : "",
		      p->review_work_article ? p->review_work_article : "", p->review_work_article ? ")" : "");
		return;
	}
	if (!b->stage.v)
		return;
	if (!p->review_work_article) {
		ERROR(c, b->path, b->stage.pos, "objection-subject",
		      "program \"%s\" takes objections to entries of its notices only; an objection to the "
		      "review work of stage \"%s\" has no article to rest on", p->id.v, b->stage.v);
		return;
	}
	for (k = 0; k < p->nstages; k++)
		if (!strcmp(p->stages[k].id, b->stage.v))
			return;
	ERROR(c, b->path, b->stage.pos, "objection-subject",
	      "stage \"%s\" is not a stage of program \"%s\" (%s)", b->stage.v, p->id.v,
	      p->review_work_article);
}

static void check_objections(struct ctx *c)
{
	const struct record *r = c->r;
	char d1[11], d2[11];
	size_t i, f;

	for (i = 0; i < r->nobjections; i++) {
		const struct objection *b = &r->objections[i];
		const struct notice *n = b->res_notice;
		const struct program *p = n && n->res_round ? n->res_round->res_program
				       : b->res_app ? program_of(b->res_app) : NULL;
		const struct fdate *held;
		date_t due;
		unsigned need, lack;
		if (b->status == OBJ_DECIDED) {
			if (b->decided.v == DATE_NONE)
				ERROR(c, b->path, b->status_pos, "objection-status",
				      "a decided objection needs its \"decided\" date");
			if (b->outcome == OUT_NONE)
				ERROR(c, b->path, b->status_pos, "objection-status",
				      "a decided objection needs its \"outcome\"");
		} else {
			if (b->outcome != OUT_NONE)
				ERROR(c, b->path, b->outcome_pos, "objection-status",
				      "an objection that is not decided has no \"outcome\"");
			if (b->decided.v != DATE_NONE)
				ERROR(c, b->path, b->decided.pos, "objection-status",
				      "an objection that is not decided has no \"decided\" date");
		}
		if (b->decided.v != DATE_NONE && b->received.v != DATE_NONE && b->decided.v < b->received.v)
			ERROR(c, b->path, b->decided.pos, "objection-status",
			      "decided on %s, before it was received on %s",
			      fmt_date(b->decided.v, d1), fmt_date(b->received.v, d2));
		if (b->res_app && b->res_app->awarded && p && b->status != OBJ_WITHDRAWN) {
			const struct application *a = b->res_app;
			if (b->status == OBJ_UNDER_REVIEW)
				ERROR(c, a->path, a->result_pos, "award-objection",
				      "awarded while objection \"%s\" against it is undecided (%s)",
				      b->id.v, upheld_article(p));
			else if (b->outcome == OUT_UPHELD)
				ERROR(c, a->path, a->result_pos, "award-objection",
				      "awarded although objection \"%s\" against it was upheld on %s (%s)",
				      b->id.v, fmt_date(b->decided.v, d1), upheld_article(p));
			else if (b->decided.v != DATE_NONE && a->result_date.v != DATE_NONE &&
				 b->decided.v >= a->result_date.v)
				ERROR(c, a->path, a->result_date.pos, "award-objection",
				      "awarded on %s, not after objection \"%s\" against it was decided on %s (%s)",
				      fmt_date(a->result_date.v, d1), b->id.v, fmt_date(b->decided.v, d2),
				      upheld_article(p));
		}
		if (!p)
			continue;
		check_objection_subject(c, b, p);
		if (p->window_article && n && b->received.v != DATE_NONE && n->start.v != DATE_NONE &&
		    n->end.v != DATE_NONE && (b->received.v < n->start.v || b->received.v > n->end.v))
			ERROR(c, b->path, b->received.pos, "objection-window",
			      "received on %s, outside the period of notice \"%s\" (%s to %s) (%s)",
			      fmt_date(b->received.v, d1), n->id.v, fmt_date(n->start.v, d2),
			      fmt_date(n->end.v, (char[11]){ 0 }), p->window_article);
		need = p->identity[b->by_organization];
		if (p->identity_article && (lack = need & ~b->identity)) {
			struct buf list = BUF_INIT;
			for (f = 0; f < ID_COUNT; f++)
				if (lack & (1u << f) &&
				    buf_printf(&list, "%sprivate.%s", list.len ? ", " : "",
					       identity_field_name((enum identity_field)f)) < 0)
					c->error = error_nomem();
			ERROR(c, b->path, b->identity_pos, "objector-identity",
			      "an objection by %s must give the objector's identity; missing %s (%s)",
			      b->by_organization ? "an organization" : "an individual", buf_cstr(&list),
			      p->identity_article);
			buf_release(&list);
		}
		if (p->evidence_article && !b->has_evidence)
			ERROR(c, b->path, b->identity_pos, "objection-evidence",
			      "an objection must come with its evidence (证明材料); missing private.evidence (%s)",
			      p->evidence_article);
		if (!p->has_decision || b->received.v == DATE_NONE || b->status == OBJ_WITHDRAWN ||
		    deadline(c, p->decision_unit, b->received.v, p->decision_within, &due, b->path, b->received.pos))
			continue;
		/* 第二十九条 (Lanzhou): the limit is for examining; deciding may take longer */
		held = p->decision_examine && b->examined.v != DATE_NONE ? &b->examined : &b->decided;
		if (held->v != DATE_NONE && held->v > due)
			ERROR(c, b->path, held->pos, "objection-deadline",
			      "%s on %s, after the deadline of %s: %ld %s from receipt on %s (%s)%s",
			      held == &b->examined ? "examined" : "decided", fmt_date(held->v, d1),
			      fmt_date(due, d2), p->decision_within, unit_name(p->decision_unit),
			      fmt_date(b->received.v, (char[11]){ 0 }), p->decision_article,
			      p->decision_examine && held == &b->decided
				      ? "; the limit is for examining: give the \"examined\" date if it was examined in time"
				      : "");
		else if (b->status == OBJ_UNDER_REVIEW && c->o->today > due &&
			 !(p->decision_examine && b->examined.v != DATE_NONE))
			ERROR(c, b->path, b->status_pos, "objection-overdue",
			      "undecided and overdue: received on %s, to be decided by %s, %ld %s later (%s)",
			      fmt_date(b->received.v, d1), fmt_date(due, d2), p->decision_within,
			      unit_name(p->decision_unit), p->decision_article);
		else
			continue;
		lapse_objection(c, b, p->decision_article);
		if (c->last) {
			c->last->due = due;
			c->last->date = b->decided.v;
			c->last->n = p->decision_within;
			c->last->working = p->decision_unit == UNIT_WORKING_DAYS;
		}
	}
}

static void check_revocations(struct ctx *c)
{
	const struct record *r = c->r;
	char d1[11], d2[11];
	unsigned char *announced = calloc(r->nrevocations + 1, 1);
	size_t i;

	if (!announced) {
		c->error = error_nomem();
		return;
	}
	for (i = 0; i < r->nnotices; i++) {
		const struct revocation *v = record_find_revocation(r, r->notices[i].revocation.v);
		if (v && r->notices[i].kind == NOTICE_REVOCATION)
			announced[v - r->revocations] = 1;
	}
	for (i = 0; i < r->nrevocations; i++) {
		const struct revocation *v = &r->revocations[i];
		const struct ground *g = v->res_ground;
		const struct application *a = v->res_app;
		date_t until;
		if (!g || !a)
			continue;
		if (g->announce && !announced[i])
			report(c, DIAG_WARNING, v->path, v->id.pos, "revocation-notice",
			       "ground \"%s\" is announced to the public (%s), but no revocation notice names "
			       "\"%s\"", g->id, g->article, v->id.v);
		if (g->requires_award && !a->awarded)
			ERROR(c, v->path, v->application.pos, "revocation-ground",
			      "ground \"%s\" revokes an award, but application \"%s\" was not awarded (%s)",
			      g->id, a->id.v, g->article);
		if (g->within_years && a->awarded && a->result_date.v != DATE_NONE && v->event.v != DATE_NONE &&
		    (v->event.v < a->result_date.v ||
		     v->event.v > (until = years_end(a->result_date.v, g->within_years))))
			ERROR(c, v->path, v->event.pos, "revocation-ground",
			      "ground \"%s\" covers events within %ld years of the award (%s to %s), "
			      "but this one was on %s (%s)", g->id, g->within_years, fmt_date(a->result_date.v, d1),
			      fmt_date(years_end(a->result_date.v, g->within_years), d2),
			      fmt_date(v->event.v, (char[11]){ 0 }), g->article);
		if (v->decided.v != DATE_NONE && v->event.v != DATE_NONE && v->decided.v < v->event.v)
			ERROR(c, v->path, v->decided.pos, "revocation-ground",
			      "decided on %s, before the event on %s", fmt_date(v->decided.v, d1),
			      fmt_date(v->event.v, d2));
		if (v->ban_until.v == DATE_NONE || v->decided.v == DATE_NONE)
			continue;
		if (!g->ban_years)
			ERROR(c, v->path, v->ban_until.pos, "revocation-ban",
			      "ground \"%s\" carries no ban, but \"ban_until\" is given (%s)", g->id, g->article);
		else if (v->ban_until.v != (until = years_end(v->decided.v, g->ban_years)))
			ERROR(c, v->path, v->ban_until.pos, "revocation-ban",
			      "ban_until is %s; a %ld-year ban from %s lasts until %s (%s)",
			      fmt_date(v->ban_until.v, d1), g->ban_years, fmt_date(v->decided.v, d2),
			      fmt_date(until, (char[11]){ 0 }), g->article);
	}
	free(announced);
}

/* The records a lapse whose kind of rule gives no more concerns, by its file. */
static void locate(const struct record *r, struct check_lapse *l)
{
	size_t i;

	if (l->round || l->notice || l->objection)
		return;
	for (i = 0; i < r->nobjections; i++)
		if (r->objections[i].path == l->path) {
			l->objection = &r->objections[i];
			l->notice = l->objection->res_notice;
			l->round = l->notice ? l->notice->res_round : NULL;
			return;
		}
	for (i = 0; i < r->nnotices; i++)
		if (r->notices[i].path == l->path) {
			l->notice = &r->notices[i];
			l->round = l->notice->res_round;
			return;
		}
	for (i = 0; i < r->nrounds; i++)
		if (r->rounds[i].path == l->path) {
			l->round = &r->rounds[i];
			return;
		}
	for (i = 0; i < r->napplications; i++)
		if (r->applications[i].path == l->path) {
			l->round = r->applications[i].res_round;
			return;
		}
	for (i = 0; i < r->nrevocations; i++)
		if (r->revocations[i].path == l->path) {
			l->round = r->revocations[i].res_app ? r->revocations[i].res_app->res_round : NULL;
			return;
		}
}

/* ---- stage gates, region, exceptions, recommenders, fraud bar (issue 17) ---- */

/* The latest notice of each gate kind listing each application. */
#define GATE_KINDS (NOTICE_PROPOSED_WINNERS + 1)

static const struct notice **gate_listings(struct ctx *c)
{
	const struct record *r = c->r;
	const struct notice **g = calloc(r->napplications * GATE_KINDS + 1, sizeof(*g));
	size_t i, j;

	if (!g) {
		c->error = error_nomem();
		return NULL;
	}
	for (i = 0; i < r->nnotices; i++) {
		const struct notice *n = &r->notices[i];
		if (n->kind >= GATE_KINDS)
			continue;
		for (j = 0; j < n->nentries; j++) {
			const struct application *a = n->entries[j].res_app;
			const struct notice **slot;
			if (!a || a->res_round != n->res_round)
				continue;
			slot = &g[(size_t)(a - r->applications) * GATE_KINDS + n->kind];
			if (!*slot || (*slot)->end.v < n->end.v)
				*slot = n;
		}
	}
	return g;
}

static const struct stage_result *stage_of(const struct application *a, const char *id)
{
	size_t i;

	for (i = 0; id && i < a->nstages; i++)
		if (a->stages[i].stage.v && !strcmp(a->stages[i].stage.v, id))
			return &a->stages[i];
	return NULL;
}

/* 第十三条②, 第十六条 (Lanzhou): a stage that follows a notice is held
 * only for the applications it listed, after it ended, once no objection
 * against them there stands. */
static void check_stage_gates(struct ctx *c, const struct notice **g)
{
	const struct record *r = c->r;
	char d1[11], d2[11];
	size_t i, k;

	for (i = 0; i < r->napplications; i++) {
		const struct application *a = &r->applications[i];
		const struct program *p = program_of(a);
		for (k = 0; p && k < p->nstages; k++) {
			const struct stage_def *sd = &p->stages[k];
			const struct stage_result *s = stage_of(a, sd->id);
			const struct notice *n;
			if (!sd->has_gate || (!s && !a->awarded))
				continue;
			n = g[i * GATE_KINDS + sd->gate];
			if (!n && s)
				ERROR(c, a->path, s->stage.pos, "stage-after-notice",
				      "stage \"%s\" is held only for applications listed in a %s of round \"%s\", "
				      "and this one is not listed in any (%s)", sd->id, notice_kind_zh(sd->gate),
				      a->round.v, sd->gate_article);
			else if (!n)
				ERROR(c, a->path, a->result_pos, "stage-after-notice",
				      "awarded without being listed in a %s of round \"%s\"; stage \"%s\" and "
				      "everything after it are only for applications listed there (%s)",
				      notice_kind_zh(sd->gate), a->round.v, sd->id, sd->gate_article);
			else if (s && s->date.v != DATE_NONE && n->end.v != DATE_NONE && s->date.v <= n->end.v)
				ERROR(c, a->path, s->date.pos, "stage-after-notice",
				      "stage \"%s\" is dated %s, not after the %s \"%s\" ended on %s (%s)",
				      sd->id, fmt_date(s->date.v, d1), notice_kind_zh(sd->gate), n->id.v,
				      fmt_date(n->end.v, d2), sd->gate_article);
		}
	}
	/* objections against an entry of the gate notice */
	for (i = 0; i < r->nobjections; i++) {
		const struct objection *b = &r->objections[i];
		const struct application *a = b->res_app;
		const struct program *p = a ? program_of(a) : NULL;
		if (!p || !b->res_notice || b->status == OBJ_WITHDRAWN)
			continue;
		for (k = 0; k < p->nstages; k++) {
			const struct stage_def *sd = &p->stages[k];
			const struct stage_result *s = stage_of(a, sd->id);
			if (!sd->has_gate || sd->gate != b->res_notice->kind || !s)
				continue;
			if (b->status == OBJ_DECIDED && b->outcome == OUT_UPHELD)
				ERROR(c, a->path, s->stage.pos, "stage-after-notice",
				      "stage \"%s\" was held although objection \"%s\" against the application in "
				      "the %s was upheld (%s)", sd->id, b->id.v, notice_kind_zh(sd->gate),
				      sd->gate_article);
			else if (s->date.v != DATE_NONE &&
				 (b->status == OBJ_UNDER_REVIEW || (b->decided.v != DATE_NONE && b->decided.v > s->date.v)))
				ERROR(c, a->path, s->date.pos, "stage-after-notice",
				      "stage \"%s\" is dated %s, while objection \"%s\" against the application in "
				      "the %s was still undecided (%s)", sd->id, fmt_date(s->date.v, d1), b->id.v,
				      notice_kind_zh(sd->gate), sd->gate_article);
		}
	}
}

/* Characters 3 to 8 of a credit code: the registering authority's
 * administrative division (GB 32100-2015). */
static void check_registration(struct ctx *c)
{
	const struct record *r = c->r;
	size_t i, k;

	for (i = 0; i < r->napplications; i++) {
		const struct application *a = &r->applications[i];
		const struct program *p = program_of(a);
		const char *code = a->res_org ? a->res_org->id.v : NULL;
		struct buf list = BUF_INIT;
		if (!p || !p->divisions_article || !code || strlen(code) != 18)
			continue;
		for (k = 0; k < p->ndivisions; k++)
			if (!strncmp(code + 2, p->divisions[k], strlen(p->divisions[k])))
				break;
		if (k < p->ndivisions)
			continue;
		for (k = 0; k < p->ndivisions; k++)
			if (buf_printf(&list, "%s%s", k ? ", " : "", p->divisions[k]) < 0)
				c->error = error_nomem();
		ERROR(c, a->path, a->organization.pos, "registration-region",
		      "organization %s is registered in division %.6s (characters 3 to 8 of its credit code), "
		      "outside the region of program \"%s\" (%s) (%s)", code, code + 2, p->id.v,
		      buf_cstr(&list), p->divisions_article);
		buf_release(&list);
	}
}

/* 空缺, 特殊情况可经市政府批准, and who approved. */
static void check_round_exceptions(struct ctx *c)
{
	const struct record *r = c->r;
	size_t *awards = calloc(r->nrounds + 1, sizeof(*awards));
	size_t i;

	if (!awards) {
		c->error = error_nomem();
		return;
	}
	for (i = 0; i < r->napplications; i++)
		if (r->applications[i].awarded && r->applications[i].res_round)
			awards[r->applications[i].res_round - r->rounds]++;
	for (i = 0; i < r->nrounds; i++) {
		const struct round *x = &r->rounds[i];
		const struct program *p = x->res_program;
		if (!p)
			continue;
		if (x->approval_authority.v && p->authority && x->approval.v != DATE_NONE &&
		    strcmp(x->approval_authority.v, p->authority))
			ERROR(c, x->path, x->approval_authority.pos, "approval-authority",
			      "results approved by %s; program \"%s\" is granted by %s, which approves them",
			      x->approval_authority.v, p->id.v, p->authority);
		if (x->off_cycle_by.v && !p->off_cycle_article)
			ERROR(c, x->path, x->off_cycle_by.pos, "off-cycle",
			      "round \"%s\" is marked off-cycle, but the measures of program \"%s\" allow no round "
			      "off its cadence (%s); remove \"off_cycle\"", x->id.v, p->id.v, p->cadence_article);
		else if (x->off_cycle_by.v && p->off_cycle_by && strcmp(x->off_cycle_by.v, p->off_cycle_by))
			ERROR(c, x->path, x->off_cycle_by.pos, "off-cycle",
			      "off-cycle round approved by %s; program \"%s\" needs the approval of %s (%s)",
			      x->off_cycle_by.v, p->id.v, p->off_cycle_by, p->off_cycle_article);
		if (x->cancelled)
			continue;
		if (x->vacant && !p->vacancy_article)
			ERROR(c, x->path, x->vacant_pos, "vacant-round",
			      "round \"%s\" is marked vacant, but the measures of program \"%s\" do not allow "
			      "leaving the award vacant", x->id.v, p->id.v);
		else if (x->vacant && awards[i])
			ERROR(c, x->path, x->vacant_pos, "vacant-round",
			      "round \"%s\" is marked vacant, but %zu application%s of it %s awarded", x->id.v,
			      awards[i], awards[i] == 1 ? "" : "s", awards[i] == 1 ? "is" : "are");
		else if (x->vacant && x->approval.v == DATE_NONE)
			ERROR(c, x->path, x->vacant_pos, "vacant-round",
			      "a vacant round needs the \"approval\" that left it vacant (%s)", p->vacancy_article);
		else if (!x->vacant && !awards[i] && x->approval.v != DATE_NONE && !p->vacancy_article)
			ERROR(c, x->path, x->approval.pos, "vacant-round",
			      "round \"%s\" was approved with no award, but the measures of program \"%s\" do "
			      "not allow leaving the award vacant", x->id.v, p->id.v);
		else if (!x->vacant && !awards[i] && x->approval.v != DATE_NONE)
			report(c, DIAG_WARNING, x->path, x->approval.pos, "vacant-round",
			       "round \"%s\" was approved with no award; if the award was left vacant (%s), "
			       "add \"vacant\": true", x->id.v, p->vacancy_article);
	}
	free(awards);
}

/* 报市人民政府批准后向社会公布 (Lhasa 第十一条（八）): not before. */
static void check_result_notices(struct ctx *c)
{
	const struct record *r = c->r;
	char d1[11], d2[11];
	size_t i;

	for (i = 0; i < r->nnotices; i++) {
		const struct notice *n = &r->notices[i];
		const struct round *x = n->res_round;
		const struct notice_rule *rule = program_notice_rule(x ? x->res_program : NULL, NOTICE_RESULT);
		if (n->kind != NOTICE_RESULT || !rule || n->issued.v == DATE_NONE)
			continue;
		if (x->approval.v == DATE_NONE || n->issued.v < x->approval.v)
			ERROR(c, n->path, n->issued.pos, "result-notice",
			      "the %s is issued on %s, before round \"%s\"'s results were approved%s%s (%s)",
			      notice_kind_zh(n->kind), fmt_date(n->issued.v, d1), x->id.v,
			      x->approval.v == DATE_NONE ? "" : " on ",
			      x->approval.v == DATE_NONE ? "" : fmt_date(x->approval.v, d2), rule->article);
	}
}

static void check_recommenders(struct ctx *c)
{
	const struct record *r = c->r;
	size_t i;

	for (i = 0; i < r->napplications; i++) {
		const struct application *a = &r->applications[i];
		const struct program *p = program_of(a);
		if (p && p->recommendation_article && !a->recommender.v)
			ERROR(c, a->path, a->recommender.pos, "recommendation",
			      "application \"%s\" names no \"recommender\"; program \"%s\" takes applications "
			      "only with a recommendation (%s)", a->id.v, p->id.v, p->recommendation_article);
	}
}

/* 近3年内参加各级质量奖评定活动存在弄虚作假 (Baoshan 第十四条（五）):
 * fraud found in any program bars applying to this one. */
static void check_fraud_bar(struct ctx *c)
{
	const struct record *r = c->r;
	char d1[11], d2[11];
	size_t i, k;

	for (i = 0; i < r->nrevocations; i++) {
		const struct revocation *rv = &r->revocations[i];
		const struct application *t = rv->res_app;
		if (!rv->res_ground || !rv->res_ground->fraud || !t || !t->organization.v ||
		    rv->decided.v == DATE_NONE)
			continue;
		for (k = 0; k < r->napplications; k++) {
			const struct application *a = &r->applications[k];
			const struct program *p = program_of(a);
			date_t until;
			if (!p || !p->fraud_bar_years || a == t || !a->organization.v ||
			    strcmp(a->organization.v, t->organization.v) || a->submitted.v == DATE_NONE ||
			    a->submitted.v < rv->decided.v)
				continue;
			until = years_end(rv->decided.v, p->fraud_bar_years);
			if (a->submitted.v <= until)
				ERROR(c, a->path, a->submitted.pos, "fraud-bar",
				      "organization %s applied on %s, within %ld years of revocation \"%s\" for "
				      "fraud in program \"%s\" on %s; program \"%s\" bars it until %s (%s)",
				      a->organization.v, fmt_date(a->submitted.v, d1), p->fraud_bar_years, rv->id.v,
				      program_of(t) ? program_of(t)->id.v : "?", fmt_date(rv->decided.v, d2), p->id.v,
				      fmt_date(until, (char[11]){ 0 }), p->fraud_bar_article);
		}
	}
}

int check_record(const struct record *r, const struct check_options *o, struct diags *d)
{
	struct ctx c = { r, o, d, 0, NULL };
	size_t first = o->lapses ? o->lapses->n : 0;
	const struct application **v = malloc((r->napplications + 1) * sizeof(*v));
	const struct notice **best = calloc(r->napplications + 1, sizeof(*best));
	const struct notice **gates = NULL;
	size_t i;

	if (!v || !best) {
		c.error = error_nomem();
		goto done;
	}
	check_programs(&c);
	check_measures(&c);
	check_cadence(&c);
	for (i = 0; i < r->napplications; i++)
		check_application(&c, &r->applications[i]);
	check_caps_and_certificates(&c, v);
	check_history(&c, v);
	check_notices(&c, best);
	check_awards(&c, best);
	check_objections(&c);
	check_revocations(&c);
	if ((gates = gate_listings(&c)))
		check_stage_gates(&c, gates);
	check_registration(&c);
	check_round_exceptions(&c);
	check_result_notices(&c);
	check_recommenders(&c);
	check_fraud_bar(&c);
	for (i = first; o->lapses && i < o->lapses->n; i++)
		locate(r, &o->lapses->v[i]);
done:
	free(gates);
	free(v);
	free(best);
	return c.error;
}

void check_lapses_release(struct check_lapses *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].msg);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static bool objection_late(const char *rule)
{
	return !strcmp(rule, "objection-overdue") || !strcmp(rule, "objection-deadline");
}

static bool same_lapse(const struct check_lapse *a, const struct check_lapse *b, bool family)
{
	if (strcmp(a->path, b->path))
		return false;
	if (family && objection_late(a->rule) && objection_late(b->rule))
		return true;
	return !strcmp(a->rule, b->rule) && !strcmp(a->msg, b->msg);
}

static bool has_lapse(const struct check_lapses *l, const struct check_lapse *x, bool family)
{
	size_t i;

	for (i = 0; l && i < l->n; i++)
		if (same_lapse(&l->v[i], x, family))
			return true;
	return false;
}

size_t check_classify(const struct record *r, struct check_lapses *now,
		      const struct check_lapses *at_commit, const struct check_lapses *parent)
{
	size_t i, blocking = 0;

	for (i = 0; i < now->n; i++) {
		struct check_lapse *l = &now->v[i];
		if (!has_lapse(at_commit, l, false))
			l->origin = LAPSE_TIME;
		else if (has_lapse(parent, l, true))
			l->origin = LAPSE_HISTORY;
		else
			l->origin = LAPSE_NEW;
		l->override = record_find_lapse(r, l->path, l->rule);
		blocking += l->origin == LAPSE_NEW && !l->override;
	}
	return blocking;
}

/* ---- the registry, for `gongshi rules` ---- */

static int d_cap(const struct program *p, struct buf *out)
{
	size_t i;

	for (i = 0; i < p->ntiers; i++)
		buf_printf(out, "%s%s at most %ld a round%s (%s)", i ? "; " : "", p->tiers[i].name,
			   p->tiers[i].cap, p->tiers[i].cap_soft ? " in principle (原则上)" : "",
			   p->tiers[i].cap_article);
	return p->ntiers > 0;
}

static int d_group_cap(const struct program *p, struct buf *out)
{
	size_t i;

	for (i = 0; i < p->ncaps; i++) {
		buf_puts(out, i ? "; " : "");
		group_cap_what(&p->caps[i], out);
		buf_printf(out, " at most %ld a round%s (%s)", p->caps[i].max,
			   p->caps[i].soft ? " in principle (原则上)" : "", p->caps[i].article);
	}
	return p->ncaps > 0;
}

static int d_prize(const struct program *p, struct buf *out)
{
	size_t i;

	for (i = 0; i < p->ntiers; i++) {
		const struct tier *t = &p->tiers[i];
		if (t->prize_yuan < 0)
			buf_printf(out, "%s%s prize not stated%s%s%s", i ? "; " : "", t->name,
				   t->prize_article ? " (" : "", t->prize_article ? t->prize_article : "",
				   t->prize_article ? ")" : "");
		else
			buf_printf(out, "%s%s %ld yuan (%s)", i ? "; " : "", t->name, t->prize_yuan, t->prize_article);
		if (t->individual_yuan >= 0)
			buf_printf(out, ", %ld yuan for an individual", t->individual_yuan);
		if (t->repeat_yuan >= 0)
			buf_printf(out, ", %ld yuan for a repeat win (%s)", t->repeat_yuan, t->repeat_article);
	}
	return p->ntiers > 0;
}

static int d_years(const struct program *p, struct buf *out)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->ntiers; i++)
		if (p->tiers[i].min_years)
			buf_printf(out, "%s%s at least %ld operating years (%s)", n++ ? "; " : "", p->tiers[i].name,
				   p->tiers[i].min_years, p->tiers[i].eligibility_article);
	return n > 0;
}

static int d_awardees(const struct program *p, struct buf *out)
{
	size_t i;

	for (i = 0; i < p->ntiers; i++) {
		const struct tier *t = &p->tiers[i];
		buf_printf(out, "%s%s: %s", i ? "; " : "", t->name,
			   t->for_organizations && t->for_individuals ? "organizations and individuals"
			   : t->for_individuals ? "individuals" : "organizations");
		if (t->awardees_article)
			buf_printf(out, " (%s)", t->awardees_article);
	}
	return p->ntiers > 0;
}

static int d_individual_years(const struct program *p, struct buf *out)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->ntiers; i++)
		if (p->tiers[i].individual_min_years)
			buf_printf(out, "%s%s at least %ld years of quality work (%s)", n++ ? "; " : "",
				   p->tiers[i].name, p->tiers[i].individual_min_years, p->tiers[i].individual_article);
	return n > 0;
}

static int d_requires(const struct program *p, struct buf *out)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->ntiers; i++)
		if (p->tiers[i].requires_stage)
			buf_printf(out, "%s%s only after passing %s (%s)", n++ ? "; " : "", p->tiers[i].name,
				   p->tiers[i].requires_stage, p->tiers[i].requires_article);
	return n > 0;
}

static int d_reapply(const struct program *p, struct buf *out)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->ntiers; i++)
		if (p->tiers[i].reapply_years)
			buf_printf(out, "%s%s winners wait %ld years (%s)", n++ ? "; " : "", p->tiers[i].name,
				   p->tiers[i].reapply_years, p->tiers[i].reapply_article);
	return n > 0;
}

static int d_cadence(const struct program *p, struct buf *out)
{
	if (p->cadence_yearly)
		buf_printf(out, "a round every %ld year%s (%s)", p->cadence_every,
			   p->cadence_every == 1 ? "" : "s", p->cadence_article);
	else
		buf_printf(out, "per round (届), no fixed spacing (%s)", p->cadence_article);
	return 1;
}

static int d_status(const struct program *p, struct buf *out)
{
	buf_printf(out, "measures %s (%s)", p->measures.status, article_or_none(p->measures.status_article));
	return 1;
}

static int d_expired(const struct program *p, struct buf *out)
{
	if (!p->measures.valid_years)
		return 0;
	buf_printf(out, "measures valid %ld years (%s)", p->measures.valid_years, p->measures.valid_article);
	return 1;
}

static int d_period(const struct program *p, struct buf *out)
{
	size_t i;

	for (i = 0; i < p->nnotice_rules; i++) {
		const struct notice_rule *r = &p->notice_rules[i];
		buf_printf(out, "%s%s: ", i ? "; " : "", notice_kind_zh(r->kind));
		if (!r->has_unit || (!r->min && !r->max))
			buf_puts(out, "length not stated");
		else if (r->min == r->max)
			buf_printf(out, "%ld %s", r->min, unit_name(r->unit));
		else if (r->min && r->max)
			buf_printf(out, "%ld to %ld %s", r->min, r->max, unit_name(r->unit));
		else
			buf_printf(out, "%s %ld %s", r->min ? "at least" : "at most", r->min ? r->min : r->max,
				   unit_name(r->unit));
		buf_printf(out, " (%s)", r->article);
	}
	return p->nnotice_rules > 0;
}

static int d_required(const struct program *p, struct buf *out)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->nnotice_rules; i++)
		if (p->notice_rules[i].required)
			buf_printf(out, "%s%s (%s)", n++ ? "; " : "", notice_kind_zh(p->notice_rules[i].kind),
				   p->notice_rules[i].article);
	return n > 0;
}

static int d_award_notice(const struct program *p, struct buf *out)
{
	const struct notice_rule *r = program_notice_rule(p, NOTICE_PROPOSED_WINNERS);

	if (!r)
		return 0;
	buf_printf(out, "after the %s ends (%s)", notice_kind_zh(r->kind), r->article);
	return 1;
}

static int d_award_listed(const struct program *p, struct buf *out)
{
	const struct notice_rule *r = program_notice_rule(p, NOTICE_PROPOSED_WINNERS);

	if (!r)
		return 0;
	buf_printf(out, "listed in the %s (%s)", notice_kind_zh(r->kind), r->article);
	return 1;
}

static int d_upheld(const struct program *p, struct buf *out)
{
	buf_printf(out, "no award for an entry with an upheld or undecided objection (%s)",
		   p->upheld_article ? p->upheld_article : "article not stated");
	return 1;
}

static int d_window(const struct program *p, struct buf *out)
{
	if (!p->window_article)
		return 0;
	buf_printf(out, "objections during the notice period (%s)", p->window_article);
	return 1;
}

static int d_identity(const struct program *p, struct buf *out)
{
	size_t w, f;

	if (!p->identity_article)
		return 0;
	for (w = 0; w < 2; w++) {
		buf_puts(out, w ? "; organization:" : "individual:");
		for (f = 0; f < ID_COUNT; f++)
			if (p->identity[w] & (1u << f))
				buf_printf(out, " %s", identity_field_name((enum identity_field)f));
	}
	buf_printf(out, " (%s)", p->identity_article);
	return 1;
}

static int d_review_work(const struct program *p, struct buf *out)
{
	if (!p->review_work_article)
		return 0;
	buf_printf(out, "objections to any stage's work (%s)", p->review_work_article);
	return 1;
}

static int d_evidence(const struct program *p, struct buf *out)
{
	if (!p->evidence_article)
		return 0;
	buf_printf(out, "private.evidence (%s)", p->evidence_article);
	return 1;
}

static int d_deadline(const struct program *p, struct buf *out)
{
	if (!p->has_decision)
		return 0;
	buf_printf(out, "decided within %ld %s of receipt (%s)", p->decision_within,
		   unit_name(p->decision_unit), p->decision_article);
	return 1;
}

static int d_grounds(const struct program *p, struct buf *out)
{
	size_t i;

	for (i = 0; i < p->ngrounds; i++) {
		const struct ground *g = &p->grounds[i];
		buf_printf(out, "%s%s", i ? "; " : "", g->id);
		if (g->within_years)
			buf_printf(out, " within %ld years of the award", g->within_years);
		buf_printf(out, " (%s)", g->article);
	}
	return p->ngrounds > 0;
}

static int d_ban(const struct program *p, struct buf *out)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->ngrounds; i++)
		if (p->grounds[i].ban_years)
			buf_printf(out, "%s%s: %ld-year ban (%s)", n++ ? "; " : "", p->grounds[i].id,
				   p->grounds[i].ban_years, p->grounds[i].article);
	return n > 0;
}

static int d_stages(const struct program *p, struct buf *out)
{
	size_t i;

	for (i = 0; i < p->nstages; i++)
		buf_printf(out, "%s%s", i ? " → " : "", p->stages[i].id);
	buf_printf(out, " (%s)", article_or_none(p->procedure_article));
	return 1;
}

static int d_gates(const struct program *p, struct buf *out)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->nstages; i++)
		if (p->stages[i].has_gate)
			buf_printf(out, "%s%s only for applications listed in the %s, after it, with no upheld "
				   "objection (%s)", n++ ? "; " : "", p->stages[i].id,
				   notice_kind_zh(p->stages[i].gate), p->stages[i].gate_article);
	return n > 0;
}

static int d_region(const struct program *p, struct buf *out)
{
	size_t i;

	if (!p->divisions_article)
		return 0;
	buf_puts(out, "registered in division");
	for (i = 0; i < p->ndivisions; i++)
		buf_printf(out, "%s %s*", i ? "," : "", p->divisions[i]);
	buf_printf(out, " (%s)", p->divisions_article);
	return 1;
}

static int d_authority(const struct program *p, struct buf *out)
{
	if (!p->authority)
		return 0;
	buf_printf(out, "approved by %s", p->authority);
	return 1;
}

static int d_off_cycle(const struct program *p, struct buf *out)
{
	if (!p->off_cycle_article)
		buf_printf(out, "no off-cycle rounds (%s)", p->cadence_article);
	else
		buf_printf(out, "an off-cycle round with the approval of %s (%s)", p->off_cycle_by,
			   p->off_cycle_article);
	return 1;
}

static int d_vacancy(const struct program *p, struct buf *out)
{
	if (!p->vacancy_article)
		buf_puts(out, "the measures do not allow leaving the award vacant");
	else
		buf_printf(out, "the award may be left vacant (%s)", p->vacancy_article);
	return 1;
}

static int d_result_notice(const struct program *p, struct buf *out)
{
	const struct notice_rule *r = program_notice_rule(p, NOTICE_RESULT);

	if (!r)
		return 0;
	buf_printf(out, "%s after the approval (%s)", notice_kind_zh(r->kind), r->article);
	return 1;
}

static int d_recommendation(const struct program *p, struct buf *out)
{
	if (!p->recommendation_article)
		return 0;
	buf_printf(out, "every application recommended (%s)", p->recommendation_article);
	return 1;
}

static int d_fraud_bar(const struct program *p, struct buf *out)
{
	if (!p->fraud_bar_years)
		return 0;
	buf_printf(out, "no application within %ld years of fraud found in any program (%s)",
		   p->fraud_bar_years, p->fraud_bar_article);
	return 1;
}

static int d_repealed(const struct program *p, struct buf *out)
{
	char d[11];

	if (p->measures.repealed == DATE_NONE)
		return 0;
	buf_printf(out, "measures repealed on %s (%s)", fmt_date(p->measures.repealed, d),
		   article_or_none(p->measures.status_article));
	return 1;
}

const struct check_rule check_rules[] = {
	{ "file-size", "error", "a record file is at most 1 MiB", NULL },
	{ "bom", "error", "no byte-order mark", NULL },
	{ "nul-byte", "error", "no NUL bytes", NULL },
	{ "utf8", "error", "valid UTF-8 throughout", NULL },
	{ "json-syntax", "error", "strict JSON (RFC 8259), with the exact position of the first error", NULL },
	{ "nesting", "error", "objects and arrays nested at most 32 deep", NULL },
	{ "duplicate-key", "error", "no key twice in one object", NULL },
	{ "schema-type", "error", "each field has the type its schema gives", NULL },
	{ "schema-required", "error", "required fields are present", NULL },
	{ "schema-unknown-key", "error", "no field the schema does not know (with a suggestion)", NULL },
	{ "schema-enum", "error", "fields with a fixed set of values hold one of them", NULL },
	{ "schema-pattern", "error", "ids, codes, articles and document numbers have their form", NULL },
	{ "schema-range", "error", "numbers within their bounds", NULL },
	{ "schema-length", "error", "texts within their lengths", NULL },
	{ "schema-items", "error", "lists within their sizes", NULL },
	{ "date-invalid", "error", "dates are real calendar dates", NULL },
	{ "uscc-check-digit", "error", "unified social credit codes have the right check character (GB 32100-2015)", NULL },
	{ "id-filename", "error", "a record's id is its file name", NULL },
	{ "id-duplicate", "error", "ids are unique within their kind", NULL },
	{ "unknown-file", "warning", "JSON files under data/ are in a record folder", NULL },
	{ "symlink", "warning", "record files are files, not links", NULL },
	{ "placeholder", "warning", "no text is left as a template wrote it (" RECORD_PLACEHOLDER "…】); a build that publishes refuses it, a preview shows it", NULL },
	{ "key-file", "error", "the office's signing keys in content/keys/ are each one public key, named", NULL },
	{ "calendar-year", "error", "a calendar file holds the year it is named for", NULL },
	{ "calendar-missing", "error", "working days are counted only in years the calendar has (from 25 December, with the next year)", NULL },
	{ "program-rules", "error", "a program's rules are consistent: unique ids, stages that exist, min <= max, units", NULL },
	{ "reference", "error", "every id points at an existing record of the right kind", d_stages },
	{ "measures-status", "warning", "measures that are a draft for comment (征求意见稿) are flagged", d_status },
	{ "measures-repealed", "error", "no round opens on or after the repeal of its measures", d_repealed },
	{ "measures-expired", "error", "rounds open while the measures are valid", d_expired },
	{ "round-dates", "error", "a round's call, opening and closing dates are in order", NULL },
	{ "cadence", "error", "rounds are spaced as the program's cadence says", d_cadence },
	{ "application-window", "error", "applications are submitted within the round's period", NULL },
	{ "one-application", "error", "an organization applies once a round", NULL },
	{ "stage-order", "error", "review stages follow the procedure, in date order, none after a failure", d_stages },
	{ "applicant", "error", "an application names one applicant: an organization or an individual", NULL },
	{ "resident-id", "error", "an individual's private ID number is a citizen's identity number with the right check character (GB 11643-1999)", NULL },
	{ "individual-id", "error", "an individual's id repeats no digits of their private ID or phone number", NULL },
	{ "awardee-kind", "error", "a tier goes only to the kinds of awardee it is open to", d_awardees },
	{ "individual-years", "error", "individuals have done quality work long enough for the tier", d_individual_years },
	{ "operating-years", "error", "applicants have operated long enough for the tier", d_years },
	{ "result", "error", "results are consistent: awarded with tier and certificate, not after withdrawal or failure", NULL },
	{ "requires-stage", "error", "a tier reserved for applicants that passed a stage goes only to them", d_requires },
	{ "tier-cap", "error", "at most the cap of each tier in a round (a warning for a cap set in principle, 原则上)", d_cap },
	{ "group-cap", "error", "at most the cap of a group of tiers, or of one kind of awardee, in a round", d_group_cap },
	{ "certificate-duplicate", "error", "certificate numbers are unique", NULL },
	{ "reapply-wait", "error", "winners wait before applying again", d_reapply },
	{ "prize", "error", "the prize is the tier's, or the repeat-win prize", d_prize },
	{ "notice-period", "error", "public notices run as long as the program requires", d_period },
	{ "notice-required", "error", "approved rounds published the notices the program requires", d_required },
	{ "award-notice", "error", "every award was listed in a proposed-winners notice", d_award_listed },
	{ "award-after-notice", "error", "awards are approved only after the notice period ended", d_award_notice },
	{ "award-objection", "error", "no award for an entry with an upheld or undecided objection", d_upheld },
	{ "objection-window", "error", "objections are received within the notice period", d_window },
	{ "objection-status", "error", "an objection's status, decision date and outcome agree", NULL },
	{ "objector-identity", "error", "objectors give the identity the program requires (kept private)", d_identity },
	{ "objection-subject", "error", "an objection names a notice entry, or the stage of review work it objects to where the measures allow that", d_review_work },
	{ "objection-evidence", "error", "objections come with their evidence (kept private)", d_evidence },
	{ "objection-deadline", "error", "objections are decided within the program's time limit", d_deadline },
	{ "objection-overdue", "error", "no undecided objection past its deadline (relative to --today)", d_deadline },
	{ "revocation-ground", "error", "revocations cite a ground of their program, within its time limit", d_grounds },
	{ "ban", "error", "no application during a ban", d_ban },
	{ "revocation-ban", "error", "a stated ban_until agrees with the ground's ban", d_ban },
	{ "revocation-notice", "warning", "a revocation whose ground is announced has a revocation notice", NULL },
	{ "stage-after-notice", "error", "a stage that follows a notice is held only for the applications it listed, after it ended, with no upheld or undecided objection there", d_gates },
	{ "registration-region", "error", "applicants are registered in the program's region (characters 3 to 8 of the credit code)", d_region },
	{ "approval-authority", "error", "results are approved by the authority that grants the award", d_authority },
	{ "off-cycle", "error", "a round off the cadence only where the measures allow it, approved by whom they name", d_off_cycle },
	{ "vacant-round", "error", "a round approved with no winners is vacant, where the measures allow it, and then needs no proposed-winners notice", d_vacancy },
	{ "result-notice", "error", "the results notice comes after the approval", d_result_notice },
	{ "recommendation", "error", "applications carry the recommendation the program requires", d_recommendation },
	{ "fraud-bar", "error", "no application within the bar after fraud found in any program", d_fraud_bar },
};

const size_t check_nrules = sizeof(check_rules) / sizeof(check_rules[0]);

/* test_check.c - the programs' rules (generator/check.c).
 *
 * The small fixture (tests/fixtures/small, copied to a folder under
 * /tmp) keeps every rule at 2024-12-31; each test breaks one thing, in
 * memory or on disk, and asserts the exact diagnostic.  Run from the
 * repository root (tests/run.sh does). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "check.h"
#include "date.h"
#include "error.h"
#include "record.h"
#include "source.h"
#include "gitrepo.h"
#include "unit.h"

static struct source src;
static struct record rec;
static struct diags D;
static char cwd[1024];

static date_t day(const char *s)
{
	date_t t = 0;

	ck_assert_int_eq(date_parse(s, &t), 0);
	return t;
}

/* (Re)loads rec/: the fixture must load clean. */
static void load(void)
{
	record_release(&rec);
	source_release(&src);
	diags_release(&D);
	ck_assert_int_eq(source_open_worktree(&src, tmp_path("rec")), 0);
	ck_assert_int_eq(record_load(&rec, &src, &D), 0);
	ck_assert_msg(D.n == 0, "loading: %s: %s", D.n ? D.v[0].path : "", D.n ? D.v[0].msg : "");
}

static void setup(void)
{
	memset(&src, 0, sizeof(src));
	memset(&rec, 0, sizeof(rec));
	memset(&D, 0, sizeof(D));
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_msg(access("tests/fixtures/small/data/programs/lhasa.json", R_OK) == 0,
		      "run from the repository root");
	tmp_make("check");
	ck_assert_int_eq(source_global_init(), 0);
	tmp_sh("mkdir rec && cp -R '%s/tests/fixtures/small/data' rec/", cwd);
	load();
}

static void teardown(void)
{
	record_release(&rec);
	source_release(&src);
	diags_release(&D);
	source_global_shutdown();
	tmp_remove();
}

/* Checks at today; the diagnostics sorted as gongshi prints them. */
static size_t check_at(const char *today)
{
	struct check_options o = { day(today), NULL };

	diags_release(&D);
	ck_assert_int_eq(check_record(&rec, &o, &D), 0);
	diags_sort(&D);
	return D.n;
}

static int registered(const char *rule)
{
	size_t i;

	for (i = 0; i < check_nrules; i++)
		if (!strcmp(check_rules[i].id, rule))
			return 1;
	return 0;
}

static void expect(size_t i, enum diag_level level, const char *path, uint32_t line, uint32_t col,
		   const char *rule, const char *msg)
{
	const struct diag *g;

	ck_assert_msg(i < D.n, "%zu diagnostics, want #%zu: %s", D.n, i, msg);
	g = &D.v[i];
	ck_assert_str_eq(g->rule, rule);
	ck_assert_str_eq(g->msg, msg);
	ck_assert_str_eq(g->path, path);
	ck_assert_int_eq(g->level, level);
	ck_assert_msg(g->line == line && g->col == col, "%s at %u:%u, want %u:%u", rule, g->line, g->col, line,
		      col);
	ck_assert_msg(registered(rule), "rule %s is not in check_rules", rule);
}

static void only(const char *path, uint32_t line, uint32_t col, const char *rule, const char *msg)
{
	ck_assert_msg(D.n == 1, "%zu diagnostics (first: %s [%s]), want 1: %s", D.n, D.n ? D.v[0].msg : "",
		      D.n ? D.v[0].rule : "", msg);
	expect(0, DIAG_ERROR, path, line, col, rule, msg);
}

START_TEST(small_fixture_is_clean)
{
	ck_assert_uint_eq(check_at("2024-12-31"), 0);
	ck_assert_uint_eq(D.nerrors, 0);
	ck_assert_uint_eq(D.nwarnings, 0);
	/* and on other days too: nothing in it is left pending */
	ck_assert_uint_eq(check_at("2024-05-08"), 0);
	ck_assert_uint_eq(check_at("2030-01-01"), 0);
	/* a record with nothing in it breaks no rule */
	record_release(&rec);
	ck_assert_uint_eq(check_at("2024-12-31"), 0);
}
END_TEST

START_TEST(notice_period_in_memory)
{
	struct notice *n = record_find_notice(&rec, "lhasa-2024-proposed");

	ck_assert_ptr_nonnull(n);
	n->end.v -= 1;
	check_at("2024-12-31");
	only("data/notices/lhasa-2024-proposed.json", 9, 13, "notice-period",
	     "the 拟获奖名单公示 runs 9 days (2024-11-14 to 2024-11-22); program \"lhasa\" requires at least 10 days "
	     "(第十一条（七）)");
	/* 10 days is enough */
	n->end.v += 1;
	ck_assert_uint_eq(check_at("2024-12-31"), 0);
	/* ending before it starts */
	n->end.v = n->start.v - 1;
	check_at("2024-12-31");
	only("data/notices/lhasa-2024-proposed.json", 11, 12, "notice-period",
	     "the period ends on 2024-11-13, before it starts on 2024-11-14");
}
END_TEST

START_TEST(notice_period_on_disk)
{
	/* the same, written in the file and loaded again */
	tmp_sh("sed -i 's/\"end\": \"2024-11-23\"/\"end\": \"2024-11-22\"/' rec/data/notices/lhasa-2024-proposed.json");
	load();
	check_at("2024-12-31");
	only("data/notices/lhasa-2024-proposed.json", 9, 13, "notice-period",
	     "the 拟获奖名单公示 runs 9 days (2024-11-14 to 2024-11-22); program \"lhasa\" requires at least 10 days "
	     "(第十一条（七）)");
}
END_TEST

START_TEST(notice_period_working_days)
{
	struct notice *n = record_find_notice(&rec, "lanzhou-2023-acceptance");
	const struct notice_rule *rule;
	char want[512], d1[11], d2[11];

	ck_assert_ptr_nonnull(n);
	rule = program_notice_rule(record_find_program(&rec, "lanzhou"), NOTICE_ACCEPTANCE_LIST);
	ck_assert_int_eq(rule->unit, UNIT_WORKING_DAYS);
	ck_assert_int_eq(rule->min, 5);
	/* Saturday 2024-04-27 to Monday 2024-05-06: Sunday 04-28 is a
	 * working day, 05-01 to 05-05 are not: 04-28, 04-29, 04-30 and
	 * 05-06, 4 working days in 10 */
	n->start.v = day("2024-04-27");
	n->end.v = day("2024-05-06");
	n->issued.v = n->start.v;
	check_at("2024-12-31");
	date_format(n->start.v, d1);
	date_format(n->end.v, d2);
	snprintf(want, sizeof(want),
		 "the 受理名单公示 runs 4 working days (%s to %s); program \"lanzhou\" requires at least 5 working days "
		 "(第十五条)", d1, d2);
	ck_assert_uint_ge(D.n, 1);
	{
		size_t i;
		for (i = 0; i < D.n && strcmp(D.v[i].rule, "notice-period"); i++)
			;
		ck_assert_uint_lt(i, D.n);
		expect(i, DIAG_ERROR, "data/notices/lanzhou-2023-acceptance.json", 9, 13, "notice-period", want);
	}
	n->end.v = day("2024-05-07");
	check_at("2024-12-31");
	{
		size_t i;
		for (i = 0; i < D.n; i++)
			ck_assert_msg(strcmp(D.v[i].rule, "notice-period"), "%s", D.v[i].msg);
	}
}
END_TEST

START_TEST(tier_cap)
{
	struct program *p = record_find_program(&rec, "lhasa");

	p->tiers[0].cap = 1;
	check_at("2024-12-31");
	only("data/rounds/lhasa-2022.json", 44, 13, "tier-cap",
	     "round \"lhasa-2022\" awards 2 拉萨市政府质量奖 (lhasa-2022-nianqing, lhasa-2022-riguang); program "
	     "\"lhasa\" allows at most 1 a round (第四条)");
	p->tiers[0].cap = 2;
	ck_assert_uint_eq(check_at("2024-12-31"), 0);
}
END_TEST

START_TEST(objection_overdue)
{
	struct objection *o = record_find_objection(&rec, "lanzhou-2023-baihe");

	o->status = OBJ_UNDER_REVIEW;
	o->decided.v = DATE_NONE;
	o->outcome = OUT_NONE;
	/* received Friday 2024-04-26; 5 working days: 04-28 (a Sunday
	 * worked), 04-29, 04-30, then after the holiday 05-06, 05-07 */
	check_at("2024-05-07");
	only("data/applications/lanzhou-2023-baihe.json", 23, 13, "award-objection",
	     "awarded while objection \"lanzhou-2023-baihe\" against it is undecided (第十九条)");
	check_at("2024-05-08");
	ck_assert_uint_eq(D.n, 2);
	expect(0, DIAG_ERROR, "data/applications/lanzhou-2023-baihe.json", 23, 13, "award-objection",
	       "awarded while objection \"lanzhou-2023-baihe\" against it is undecided (第十九条)");
	expect(1, DIAG_ERROR, "data/objections/lanzhou-2023-baihe.json", 8, 13, "objection-overdue",
	       "undecided and overdue: received on 2024-04-26, to be decided by 2024-05-07, 5 working days later "
	       "(第二十九条)");
	/* withdrawn: neither */
	o->status = OBJ_WITHDRAWN;
	ck_assert_uint_eq(check_at("2024-12-31"), 0);
}
END_TEST

START_TEST(objection_decided_late)
{
	struct objection *o = record_find_objection(&rec, "lanzhou-2023-baihe");

	o->decided.v = day("2024-05-08");
	check_at("2024-12-31");
	only("data/objections/lanzhou-2023-baihe.json", 9, 14, "objection-deadline",
	     "decided on 2024-05-08, after the deadline of 2024-05-07: 5 working days from receipt on 2024-04-26 "
	     "(第二十九条)");
}
END_TEST

/* Lapses: one checked at the commit's date and one later tell time
 * passing from what the commit brought; the parent's, what is history;
 * a late decision is the same lapse as the overdue before it. */
static void lapses_at(const char *today, struct check_lapses *l)
{
	struct check_options o = { day(today), l };

	diags_release(&D);
	ck_assert_int_eq(check_record(&rec, &o, &D), 0);
}

START_TEST(lapse_origins)
{
	struct objection *o = record_find_objection(&rec, "lanzhou-2023-baihe");
	struct check_lapses now = CHECK_LAPSES_INIT, at = CHECK_LAPSES_INIT, parent = CHECK_LAPSES_INIT;
	size_t i, overdue = 0;

	o->status = OBJ_UNDER_REVIEW;
	o->decided.v = DATE_NONE;
	o->outcome = OUT_NONE;
	lapses_at("2024-05-08", &now);
	lapses_at("2024-05-07", &at);
	lapses_at("2024-05-07", &parent);
	ck_assert_uint_eq(now.n, 2);
	/* award-objection is in the commit and its parent: history; the overdue arose since */
	ck_assert_uint_eq(check_classify(&rec, &now, &at, &parent), 0);
	for (i = 0; i < now.n; i++) {
		const struct check_lapse *l = &now.v[i];
		if (!strcmp(l->rule, "objection-overdue")) {
			overdue++;
			ck_assert_int_eq(l->origin, LAPSE_TIME);
			ck_assert_ptr_eq(l->objection, o);
			ck_assert_ptr_eq(l->notice, o->res_notice);
			ck_assert_ptr_eq(l->round, o->res_notice->res_round);
			ck_assert_int_eq(l->due, day("2024-05-07"));
			ck_assert_str_eq(l->article, "第二十九条");
			ck_assert(l->working);
		} else {
			ck_assert_str_eq(l->rule, "award-objection");
			ck_assert_int_eq(l->origin, LAPSE_HISTORY);
		}
	}
	ck_assert_uint_eq(overdue, 1);
	/* no parent: what the commit has on its date is new, and blocks */
	ck_assert_uint_eq(check_classify(&rec, &now, &at, NULL), 1);
	check_lapses_release(&now);
	check_lapses_release(&at);
	check_lapses_release(&parent);
	/* decided late in the commit, overdue in its parent: the same lapse, not new */
	lapses_at("2024-05-08", &parent);
	o->status = OBJ_DECIDED;
	o->decided.v = day("2024-05-08");
	o->outcome = OUT_REJECTED;
	lapses_at("2024-05-08", &at);
	lapses_at("2024-12-31", &now);
	ck_assert_uint_eq(now.n, 1);
	ck_assert_str_eq(now.v[0].rule, "objection-deadline");
	ck_assert_uint_eq(check_classify(&rec, &now, &at, &parent), 0);
	ck_assert_int_eq(now.v[0].origin, LAPSE_HISTORY);
	ck_assert_int_eq(now.v[0].date, day("2024-05-08"));
	check_lapses_release(&now);
	check_lapses_release(&at);
	check_lapses_release(&parent);
}
END_TEST

START_TEST(objector_identity)
{
	struct objection *o = record_find_objection(&rec, "lanzhou-2023-jinggong");

	o->identity &= ~(1u << ID_PHONE);
	check_at("2024-12-31");
	only("data/objections/lanzhou-2023-jinggong.json", 13, 14, "objector-identity",
	     "an objection by an organization must give the objector's identity; missing private.phone "
	     "(第二十八条第二款)");
	o->identity = 0;
	check_at("2024-12-31");
	only("data/objections/lanzhou-2023-jinggong.json", 13, 14, "objector-identity",
	     "an objection by an organization must give the objector's identity; missing private.phone, "
	     "private.address, private.seal (第二十八条第二款)");
}
END_TEST

START_TEST(revocation_ban)
{
	struct revocation *v = record_find_revocation(&rec, "lhasa-2024-riguang");

	v->ban_until.v += 1;
	check_at("2024-12-31");
	only("data/revocations/lhasa-2024-riguang.json", 11, 16, "revocation-ban",
	     "ban_until is 2029-06-15; a 5-year ban from 2024-06-14 lasts until 2029-06-14 (第十五条)");
}
END_TEST

START_TEST(operating_years)
{
	record_find_organization(&rec, "12540100457602917T")->established.v = day("2020-01-01");
	check_at("2024-12-31");
	ck_assert_uint_eq(D.n, 2);
	expect(0, DIAG_ERROR, "data/applications/lhasa-2024-jiance.json", 7, 16, "operating-years",
	       "organization 12540100457602917T was established on 2020-01-01, 4 years before it applied on "
	       "2024-05-13; 拉萨市政府质量奖 requires at least 5 (第十条（一）)");
	expect(1, DIAG_ERROR, "data/applications/lhasa-2024-jiance.json", 42, 13, "operating-years",
	       "organization 12540100457602917T was established on 2020-01-01, 4 years before it applied on "
	       "2024-05-13; 拉萨市质量管理优秀奖 requires at least 5 (第十条（一）)");
	/* five years to the day is enough */
	record_find_organization(&rec, "12540100457602917T")->established.v = day("2019-05-13");
	ck_assert_uint_eq(check_at("2024-12-31"), 0);
	record_find_organization(&rec, "12540100457602917T")->established.v = day("2019-05-14");
	ck_assert_uint_eq(check_at("2024-12-31"), 2);
}
END_TEST

START_TEST(cadence_and_measures)
{
	record_find_round(&rec, "lhasa-2024")->year.v = 2022;
	record_find_program(&rec, "lhasa")->measures.status = "draft";
	check_at("2024-12-31");
	ck_assert_uint_eq(D.n, 2);
	ck_assert_uint_eq(D.nerrors, 1);
	ck_assert_uint_eq(D.nwarnings, 1);
	expect(0, DIAG_WARNING, "data/programs/lhasa.json", 3, 9, "measures-status",
	       "program \"lhasa\" runs under measures that are a draft for comment (征求意见稿); results under them "
	       "may not stand (第二十条)");
	expect(1, DIAG_ERROR, "data/rounds/lhasa-2024.json", 6, 11, "cadence",
	       "round \"lhasa-2024\" is in 2022, the same year as round \"lhasa-2022\"; program \"lhasa\" holds one "
	       "round a year (第四条)");
}
END_TEST

/*
 * Regression (fixed in check_cadence and record.c): a year far outside the schema's
 * range overflows "b->year.v - a->year.v".  A round file with
 * "year": -9223372036854775808 loads as year LONG_MIN (record.c get_int
 * casts the double), the schema reports it, and check_cadence then
 * computes 2024 - LONG_MIN: undefined behaviour (UBSan aborts), and in a
 * normal build a false error "round \"lhasa-2024\" is in 2024, the same
 * year as round \"lhasa-2022\"".  (record.c's (long) cast of 1e300 is
 * undefined too.)  Fails until years out of range are left out of the
 * cadence check (or not loaded as set).
 */
START_TEST(cadence_with_a_hostile_year)
{
	record_find_round(&rec, "lhasa-2022")->year.v = LONG_MIN;
	check_at("2024-12-31");
	tmp_remove(); /* a failure skips the teardown */
	/* once failed: check_cadence overflowed (see above) */
	ck_assert_msg(D.n == 0, "%zu diagnostics, first: %s [%s]", D.n, D.n ? D.v[0].msg : "",
		      D.n ? D.v[0].rule : "");
}
END_TEST

START_TEST(calendar_missing_on_disk)
{
	size_t i;

	tmp_sh("rm rec/data/calendars/2024.json");
	load();
	check_at("2024-12-31");
	ck_assert_uint_eq(D.n, 6);
	for (i = 0; i < D.n; i++) {
		ck_assert_str_eq(D.v[i].rule, "calendar-missing");
		ck_assert_str_eq(D.v[i].msg, "no working-day calendar for 2024 (data/calendars/2024.json)");
	}
	expect(0, DIAG_ERROR, "data/notices/lanzhou-2023-acceptance.json", 9, 13, "calendar-missing",
	       "no working-day calendar for 2024 (data/calendars/2024.json)");
	expect(5, DIAG_ERROR, "data/objections/lanzhou-2023-jinggong.json", 7, 15, "calendar-missing",
	       "no working-day calendar for 2024 (data/calendars/2024.json)");
}
END_TEST

START_TEST(several_at_once_sorted)
{
	record_find_notice(&rec, "lhasa-2024-proposed")->end.v -= 1;
	record_find_revocation(&rec, "lhasa-2024-riguang")->ban_until.v += 1;
	record_find_program(&rec, "lhasa")->tiers[0].cap = 1;
	check_at("2024-12-31");
	ck_assert_uint_eq(D.n, 3);
	/* by file, then line */
	ck_assert_str_eq(D.v[0].path, "data/notices/lhasa-2024-proposed.json");
	ck_assert_str_eq(D.v[1].path, "data/revocations/lhasa-2024-riguang.json");
	ck_assert_str_eq(D.v[2].path, "data/rounds/lhasa-2022.json");
	ck_assert_uint_eq(D.nerrors, 3);
}
END_TEST

/* ---- the registry ---- */

START_TEST(rule_ids_unique_and_complete)
{
	static const char *const documented[] = {
		/* json.h */
		"file-size", "bom", "nul-byte", "utf8", "json-syntax", "nesting", "duplicate-key",
		/* schema.h */
		"schema-type", "schema-required", "schema-unknown-key", "schema-enum", "schema-pattern",
		"schema-range", "schema-length", "schema-items", "date-invalid", "uscc-check-digit",
		/* record.c */
		"id-filename", "id-duplicate", "unknown-file", "symlink", "calendar-year", "reference",
		"revocation-ground", "placeholder",
		/* check.c, as the tests above and the README show them */
		"notice-period", "tier-cap", "objection-overdue", "objection-deadline", "objector-identity",
		"revocation-ban", "operating-years", "cadence", "measures-status", "calendar-missing",
		"award-objection",
	};
	size_t i, j;

	ck_assert_uint_ge(check_nrules, 50);
	for (i = 0; i < check_nrules; i++) {
		const struct check_rule *r = &check_rules[i];
		ck_assert_ptr_nonnull(r->id);
		ck_assert_msg(r->id[0] && strspn(r->id, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(r->id),
			      "rule id \"%s\"", r->id);
		ck_assert_msg(!strcmp(r->level, "error") || !strcmp(r->level, "warning"), "%s: level %s", r->id,
			      r->level);
		ck_assert_msg(r->summary && r->summary[0], "%s: no summary", r->id);
		for (j = 0; j < i; j++)
			ck_assert_msg(strcmp(check_rules[j].id, r->id), "rule %s listed twice", r->id);
	}
	for (i = 0; i < sizeof(documented) / sizeof(*documented); i++)
		ck_assert_msg(registered(documented[i]), "rule %s is not in check_rules", documented[i]);
	/* warnings are what check reports as warnings */
	for (i = 0; i < check_nrules; i++)
		if (!strcmp(check_rules[i].id, "measures-status") || !strcmp(check_rules[i].id, "unknown-file") ||
		    !strcmp(check_rules[i].id, "symlink") || !strcmp(check_rules[i].id, "revocation-notice") ||
		    !strcmp(check_rules[i].id, "placeholder"))
			ck_assert_str_eq(check_rules[i].level, "warning");
}
END_TEST

/* Rules whose parameter neither program of the small fixture has: no
 * valid_years in its measures, no objections.within_period, no repeal,
 * no individual awardees or group caps, no registration region, stage
 * gate, results notice, recommendation, fraud bar, objection evidence or
 * objections to review work.
 * The seed programs
 * (tests/fixtures/base) have most of them; see
 * rules_describe_the_base_programs. */
static int gap(const char *rule)
{
	return !strcmp(rule, "measures-expired") || !strcmp(rule, "objection-window") || !strcmp(rule, "group-cap") ||
	       !strcmp(rule, "individual-years") || !strcmp(rule, "measures-repealed") ||
	       !strcmp(rule, "stage-after-notice") ||
	       !strcmp(rule, "registration-region") ||
	       !strcmp(rule, "result-notice") ||
	       !strcmp(rule, "recommendation") ||
	       !strcmp(rule, "fraud-bar") || !strcmp(rule, "objection-evidence") ||
	       !strcmp(rule, "objection-subject");
}

/* Rules whose parameter none of the five seed measures has, for none of
 * them awards individuals: no cap over a group of tiers or a kind of
 * awardee, no years of quality work (the demo's Nanjing program has both);
 * and none of them is repealed. */
static int base_gap(const char *rule)
{
	return !strcmp(rule, "group-cap") || !strcmp(rule, "individual-years") || !strcmp(rule, "measures-repealed");
}

/* Every rule with describe() describes at least one program of r,
 * with no "(null)" and on one line; returns how many rules have it. */
static int describe_all(const struct record *r, int (*allowed_gap)(const char *))
{
	struct buf b = BUF_INIT;
	size_t i, k;
	int described = 0;

	for (i = 0; i < check_nrules; i++) {
		const struct check_rule *cr = &check_rules[i];
		int any = 0;
		if (!cr->describe)
			continue;
		described++;
		for (k = 0; k < r->nprograms; k++) {
			int got;
			buf_clear(&b);
			got = cr->describe(&r->programs[k], &b);
			ck_assert_msg(got == 0 || got == 1, "%s: describe returned %d", cr->id, got);
			if (!got) {
				ck_assert_msg(b.len == 0, "%s for %s: returned 0 but wrote \"%s\"", cr->id,
					      r->programs[k].id.v, buf_cstr(&b));
				continue;
			}
			any = 1;
			ck_assert_msg(b.len > 0, "%s for %s: returned 1 and wrote nothing", cr->id, r->programs[k].id.v);
			ck_assert_msg(!strstr(buf_cstr(&b), "(null)"), "%s for %s: %s", cr->id, r->programs[k].id.v,
				      buf_cstr(&b));
			ck_assert_msg(!strchr(buf_cstr(&b), '\n'), "%s for %s: more than a line", cr->id,
				      r->programs[k].id.v);
		}
		if (allowed_gap && allowed_gap(cr->id))
			ck_assert_msg(!any, "rule %s now describes a fixture program: drop it from gap()", cr->id);
		else
			ck_assert_msg(any, "rule %s describes no fixture program", cr->id);
	}
	buf_release(&b);
	return described;
}

START_TEST(rules_describe_the_base_programs)
{
	struct source s2 = SOURCE_INIT;
	struct record r2 = RECORD_INIT;
	struct diags d2 = DIAGS_INIT;

	tmp_sh("mkdir base && cp -R '%s/tests/fixtures/base/data' base/", cwd);
	ck_assert_int_eq(source_open_worktree(&s2, tmp_path("base")), 0);
	ck_assert_int_eq(record_load(&r2, &s2, &d2), 0);
	ck_assert_uint_eq(d2.nerrors, 0);
	ck_assert_uint_eq(r2.nprograms, 5);
	ck_assert_int_ge(describe_all(&r2, base_gap), 20);
	record_release(&r2);
	source_release(&s2);
	diags_release(&d2);
}
END_TEST

START_TEST(rules_describe_the_fixture_programs)
{
	ck_assert_uint_eq(rec.nprograms, 2);
	ck_assert_int_ge(describe_all(&rec, gap), 20);
}
END_TEST

START_TEST(rules_describe_exactly)
{
	const struct program *lhasa = record_find_program(&rec, "lhasa"), *lanzhou = record_find_program(&rec, "lanzhou");
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < check_nrules; i++) {
		const struct check_rule *r = &check_rules[i];
		if (!strcmp(r->id, "notice-period")) {
			buf_clear(&b);
			ck_assert_int_eq(r->describe(lhasa, &b), 1);
			ck_assert_str_eq(buf_cstr(&b), "拟获奖名单公示: at least 10 days (第十一条（七）)");
			buf_clear(&b);
			ck_assert_int_eq(r->describe(lanzhou, &b), 1);
			ck_assert_str_eq(buf_cstr(&b), "县（区）申报公示: at least 5 working days (第十三条); "
						       "受理名单公示: at least 5 working days (第十五条); "
						       "拟获奖名单公示: at least 5 working days (第十八条)");
		} else if (!strcmp(r->id, "tier-cap")) {
			buf_clear(&b);
			ck_assert_int_eq(r->describe(lhasa, &b), 1);
			ck_assert_str_eq(buf_cstr(&b), "拉萨市政府质量奖 at most 2 a round (第四条); "
						       "拉萨市质量管理优秀奖 at most 3 a round (第十三条)");
		} else if (!strcmp(r->id, "objection-deadline")) {
			buf_clear(&b);
			ck_assert_int_eq(r->describe(lhasa, &b), 0);
			ck_assert_int_eq(r->describe(lanzhou, &b), 1);
			ck_assert_str_eq(buf_cstr(&b), "decided within 5 working days of receipt (第二十九条)");
		} else if (!strcmp(r->id, "ban")) {
			buf_clear(&b);
			ck_assert_int_eq(r->describe(lhasa, &b), 1);
			ck_assert_str_eq(buf_cstr(&b), "fraud: 5-year ban (第十五条)");
		} else if (!strcmp(r->id, "cadence")) {
			buf_clear(&b);
			ck_assert_int_eq(r->describe(lhasa, &b), 1);
			ck_assert_str_eq(buf_cstr(&b), "a round every 1 year (第四条)");
			buf_clear(&b);
			ck_assert_int_eq(r->describe(lanzhou, &b), 1);
			ck_assert_str_eq(buf_cstr(&b), "per round (届), no fixed spacing (第四条)");
		}
	}
	buf_release(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, small_fixture_is_clean);
	tcase_add_test(tc, notice_period_in_memory);
	tcase_add_test(tc, notice_period_on_disk);
	tcase_add_test(tc, notice_period_working_days);
	tcase_add_test(tc, tier_cap);
	tcase_add_test(tc, objection_overdue);
	tcase_add_test(tc, objection_decided_late);
	tcase_add_test(tc, objector_identity);
	tcase_add_test(tc, revocation_ban);
	tcase_add_test(tc, operating_years);
	tcase_add_test(tc, cadence_and_measures);
	tcase_add_test(tc, cadence_with_a_hostile_year);
	tcase_add_test(tc, calendar_missing_on_disk);
	tcase_add_test(tc, several_at_once_sorted);
	tcase_add_test(tc, lapse_origins);
	tcase_add_test(tc, rule_ids_unique_and_complete);
	tcase_add_test(tc, rules_describe_the_fixture_programs);
	tcase_add_test(tc, rules_describe_the_base_programs);
	tcase_add_test(tc, rules_describe_exactly);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

/* test_state.c - the states of records at the build date (state.h): a
 * notice's state around its period's start and end and with objections
 * received, pending or decided; the days left, in working days where the
 * program counts them so; an award valid, expired or revoked. */
#include <string.h>

#include <cJSON.h>

#include "build.h"
#include "calendar.h"
#include "ctx.h"
#include "date.h"
#include "group.h"
#include "record.h"
#include "state.h"
#include "unit.h"

static struct record rec;
static struct build_options bo;
static struct site S;
static struct objection objs[3];
static size_t nobjs;
static struct program prog;
static struct notice_rule rule;
static struct round rnd;
static struct notice n;

static date_t day(const char *iso)
{
	date_t t;

	ck_assert_int_eq(date_parse(iso, &t), 0);
	return t;
}

static const char *key_obj_notice(const void *p)
{
	const struct objection *b = p;

	return b->notice.v;
}

static void setup(void)
{
	struct calendar cal = CALENDAR_INIT;

	memset(&rec, 0, sizeof(rec));
	rec.calendar = cal;
	memset(&bo, 0, sizeof(bo));
	memset(&S, 0, sizeof(S));
	memset(objs, 0, sizeof(objs));
	memset(&prog, 0, sizeof(prog));
	memset(&rule, 0, sizeof(rule));
	memset(&rnd, 0, sizeof(rnd));
	memset(&n, 0, sizeof(n));
	nobjs = 0;
	S.r = &rec;
	S.o = &bo;
	/* a proposed-winners notice open from Friday 8 to Tuesday 12 March
	 * 2024 (the weekend between) */
	n.id.v = "n1";
	n.kind = NOTICE_PROPOSED_WINNERS;
	n.start.v = day("2024-03-08");
	n.end.v = day("2024-03-12");
	n.issued.v = DATE_NONE;
	n.res_round = &rnd;
	rnd.res_program = &prog;
	prog.notice_rules = &rule;
	prog.nnotice_rules = 1;
	rule.kind = NOTICE_PROPOSED_WINNERS;
}

static void teardown(void)
{
	group_release(&S.objs_by_notice);
	calendar_release(&rec.calendar);
	ck_assert_int_eq(ctx_check(), 0);
}

/* An objection to n received on received, decided on decided (NULL: not
 * yet), with status st. */
static void objection(const char *received, const char *decided, enum objection_status st)
{
	struct objection *b = &objs[nobjs++];

	b->id.v = "o";
	b->notice.v = "n1";
	b->received.v = received ? day(received) : DATE_NONE;
	b->decided.v = decided ? day(decided) : DATE_NONE;
	b->status = st;
}

static enum nstate state_on(const char *today, long *left)
{
	group_release(&S.objs_by_notice);
	ck_assert_int_eq(group_build(&S.objs_by_notice, objs, nobjs, sizeof(objs[0]), key_obj_notice), 0);
	bo.today = day(today);
	return notice_state(&S, &n, left);
}

START_TEST(test_notice_period)
{
	long left = -1;

	ck_assert_int_eq(state_on("2024-03-07", &left), NS_NOT_OPEN);
	ck_assert_int_eq(left, 0);
	ck_assert_int_eq(state_on("2024-03-08", &left), NS_OPEN);
	ck_assert_int_eq(left, 5);
	/* the last day of the period is still in it */
	ck_assert_int_eq(state_on("2024-03-12", &left), NS_OPEN);
	ck_assert_int_eq(left, 1);
	ck_assert_int_eq(state_on("2024-03-13", &left), NS_CLEAN);
	ck_assert_int_eq(left, 0);
}
END_TEST

START_TEST(test_notice_objections)
{
	long left;

	/* received after the build date: not yet there */
	objection("2024-03-20", NULL, OBJ_UNDER_REVIEW);
	ck_assert_int_eq(state_on("2024-03-13", &left), NS_CLEAN);
	/* under review once received, and while an open period runs the
	 * period wins */
	ck_assert_int_eq(state_on("2024-03-21", &left), NS_REVIEW);
	nobjs = 0;
	objection("2024-03-10", NULL, OBJ_UNDER_REVIEW);
	ck_assert_int_eq(state_on("2024-03-11", &left), NS_OPEN);
	/* decided, but after the build date: still pending on it */
	nobjs = 0;
	objection("2024-03-10", "2024-03-15", OBJ_DECIDED);
	ck_assert_int_eq(state_on("2024-03-14", &left), NS_REVIEW);
	ck_assert_int_eq(state_on("2024-03-15", &left), NS_CLOSED);
	/* an objection for another notice changes nothing */
	nobjs = 0;
	objection("2024-03-10", NULL, OBJ_UNDER_REVIEW);
	objs[0].notice.v = "n2";
	ck_assert_int_eq(state_on("2024-03-13", &left), NS_CLEAN);
}
END_TEST

START_TEST(test_notice_published)
{
	long left;

	n.kind = NOTICE_RESULT;
	ck_assert_int_eq(state_on("2024-03-10", &left), NS_PUBLISHED);
	n.kind = NOTICE_PROPOSED_WINNERS;
	n.end.v = DATE_NONE;
	ck_assert_int_eq(state_on("2024-03-10", &left), NS_PUBLISHED);
}
END_TEST

/* put_notice_state() on today: the state's id and the days left, and
 * whether they are working days. */
static cJSON *put_state_on(const char *today)
{
	cJSON *o = cJSON_CreateObject();

	ck_assert_ptr_nonnull(o);
	group_release(&S.objs_by_notice);
	ck_assert_int_eq(group_build(&S.objs_by_notice, objs, nobjs, sizeof(objs[0]), key_obj_notice), 0);
	bo.today = day(today);
	put_notice_state(&S, o, &n);
	ck_assert_int_eq(ctx_check(), 0);
	return o;
}

static long num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	ck_assert_msg(cJSON_IsNumber(v), "no number %s", k);
	return (long)v->valuedouble;
}

static bool flag(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

START_TEST(test_days_left)
{
	cJSON *o;

	/* counted in calendar days */
	o = put_state_on("2024-03-08");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "state")->valuestring, "open");
	ck_assert(flag(o, "state_open"));
	ck_assert_int_eq(num(o, "days_left"), 5);
	ck_assert(!flag(o, "days_working"));
	cJSON_Delete(o);
	/* in working days, with the year's calendar: Friday, Monday, Tuesday */
	rule.has_unit = true;
	rule.unit = UNIT_WORKING_DAYS;
	ck_assert_int_eq(calendar_add_year(&rec.calendar, 2024), 0);
	o = put_state_on("2024-03-08");
	ck_assert_int_eq(num(o, "days_left"), 3);
	ck_assert(flag(o, "days_working"));
	cJSON_Delete(o);
	o = put_state_on("2024-03-09");
	ck_assert_int_eq(num(o, "days_left"), 2);
	cJSON_Delete(o);
	o = put_state_on("2024-03-12");
	ck_assert_int_eq(num(o, "days_left"), 1);
	cJSON_Delete(o);
	/* a holiday on Monday leaves two */
	ck_assert_int_eq(calendar_set_day(&rec.calendar, day("2024-03-11"), true), 0);
	o = put_state_on("2024-03-08");
	ck_assert_int_eq(num(o, "days_left"), 2);
	cJSON_Delete(o);
	/* closed: no days left at all */
	o = put_state_on("2024-03-13");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "state")->valuestring, "clean");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(o, "days_left"));
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_days_left_no_calendar)
{
	cJSON *o;

	/* a year with no known arrangement: the calendar's days, said so */
	rule.has_unit = true;
	rule.unit = UNIT_WORKING_DAYS;
	o = put_state_on("2024-03-08");
	ck_assert_int_eq(num(o, "days_left"), 5);
	ck_assert(!flag(o, "days_working"));
	cJSON_Delete(o);
}
END_TEST

static const char *award_status(struct application *a, const char *today, cJSON **out)
{
	cJSON *o = cJSON_CreateObject();
	const cJSON *s;

	ck_assert_ptr_nonnull(o);
	bo.today = day(today);
	put_award_status(&S, o, a);
	ck_assert_int_eq(ctx_check(), 0);
	s = cJSON_GetObjectItemCaseSensitive(o, "status");
	ck_assert(cJSON_IsString(s));
	*out = o;
	return s->valuestring;
}

START_TEST(test_award_status)
{
	struct tier t;
	struct application a;
	struct revocation v;
	cJSON *o;

	memset(&t, 0, sizeof(t));
	memset(&a, 0, sizeof(a));
	memset(&v, 0, sizeof(v));
	a.id.v = "a1";
	a.res_result_tier = &t;
	a.result_date.v = day("2024-07-16");
	/* no stated validity: valid for ever */
	ck_assert_str_eq(award_status(&a, "2060-01-01", &o), "valid");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(o, "valid_until"));
	cJSON_Delete(o);
	/* five years from 2024-07-16 end on 2029-07-16, which is still in */
	t.validity_years = 5;
	ck_assert_str_eq(award_status(&a, "2029-07-16", &o), "valid");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "valid_until")->valuestring, "2029-07-16");
	cJSON_Delete(o);
	ck_assert_str_eq(award_status(&a, "2029-07-17", &o), "expired");
	cJSON_Delete(o);
	/* revoked from the day of the decision on, not before */
	v.id.v = "r1";
	v.decided.v = day("2025-01-10");
	a.res_revoked = &v;
	ck_assert_str_eq(award_status(&a, "2025-01-09", &o), "valid");
	cJSON_Delete(o);
	ck_assert_str_eq(award_status(&a, "2025-01-10", &o), "revoked");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "revoked")->valuestring, "2025-01-10");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "revocation_href")->valuestring,
			 "revocations/r1/index.html");
	cJSON_Delete(o);
	/* a revocation not yet decided revokes nothing */
	v.decided.v = DATE_NONE;
	ck_assert_str_eq(award_status(&a, "2025-01-10", &o), "valid");
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_names)
{
	struct tier t;
	struct application a;

	memset(&t, 0, sizeof(t));
	memset(&a, 0, sizeof(a));
	ck_assert_str_eq(tier_name(NULL), "");
	ck_assert_str_eq(tier_name(&t), "");
	t.name = "一等奖";
	ck_assert_str_eq(tier_name(&t), "一等奖");
	ck_assert_ptr_null(program_of(NULL));
	ck_assert_ptr_null(program_of(&a));
	a.res_round = &rnd;
	ck_assert_ptr_eq(program_of(&a), &prog);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_notice_period);
	tcase_add_test(tc, test_notice_objections);
	tcase_add_test(tc, test_notice_published);
	tcase_add_test(tc, test_days_left);
	tcase_add_test(tc, test_days_left_no_calendar);
	tcase_add_test(tc, test_award_status);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

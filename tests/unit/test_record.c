/* test_record.c - loading and linking the record (generator/record.c).
 *
 * Records are built in a folder under /tmp (no git: source_open_worktree
 * on a plain folder), from tests/fixtures/small or written here.  Run
 * from the repository root (tests/run.sh does). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
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

static void setup(void)
{
	memset(&src, 0, sizeof(src));
	memset(&rec, 0, sizeof(rec));
	memset(&D, 0, sizeof(D));
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_msg(access("tests/fixtures/small/data/programs/lhasa.json", R_OK) == 0,
		      "run from the repository root");
	tmp_make("record");
	ck_assert_int_eq(source_global_init(), 0);
}

static void teardown(void)
{
	record_release(&rec);
	source_release(&src);
	diags_release(&D);
	source_global_shutdown();
	tmp_remove();
}

/* Copies the small fixture to rec/ under the test's folder. */
static void copy_fixture(void)
{
	tmp_sh("mkdir rec && cp -R '%s/tests/fixtures/small/data' '%s/tests/fixtures/small/content' rec/", cwd, cwd);
}

/* Loads rec/; returns record_load's value. */
static int load(void)
{
	record_release(&rec);
	source_release(&src);
	diags_release(&D);
	ck_assert_int_eq(source_open_worktree(&src, tmp_path("rec")), 0);
	ck_assert_ptr_null(src.repo);
	return record_load(&rec, &src, &D);
}

static date_t day(const char *s)
{
	date_t t = 0;

	ck_assert_int_eq(date_parse(s, &t), 0);
	return t;
}

/* The only diagnostic is this. */
static void only(enum diag_level level, const char *path, uint32_t line, uint32_t col, const char *rule,
		 const char *msg)
{
	ck_assert_msg(D.n == 1, "%zu diagnostics (first: %s: %s), want 1: %s", D.n, D.n ? D.v[0].path : "",
		      D.n ? D.v[0].msg : "", msg);
	ck_assert_int_eq(D.v[0].level, level);
	ck_assert_str_eq(D.v[0].path, path);
	ck_assert_str_eq(D.v[0].rule, rule);
	ck_assert_str_eq(D.v[0].msg, msg);
	ck_assert_msg(D.v[0].line == line && D.v[0].col == col, "at %u:%u, want %u:%u", D.v[0].line, D.v[0].col,
		      line, col);
}

#define ck_pos(p, l, c)                                                                  \
	do {                                                                             \
		struct json_pos p_ = (p);                                                \
		ck_assert_msg(p_.line == (l) && p_.col == (c), #p " is %u:%u, want %u:%u", \
			      p_.line, p_.col, (unsigned)(l), (unsigned)(c));            \
	} while (0)

START_TEST(small_fixture_counts)
{
	copy_fixture();
	ck_assert_int_eq(load(), 0);
	ck_assert_msg(D.n == 0, "%s: %s", D.n ? D.v[0].path : "", D.n ? D.v[0].msg : "");
	ck_assert_uint_eq(rec.nfiles, 42);
	ck_assert_uint_eq(rec.nprograms, 2);
	ck_assert_uint_eq(rec.norganizations, 10);
	ck_assert_uint_eq(rec.nrounds, 3);
	ck_assert_uint_eq(rec.napplications, 11);
	ck_assert_uint_eq(rec.nnotices, 10);
	ck_assert_uint_eq(rec.nobjections, 2);
	ck_assert_uint_eq(rec.nrevocations, 1);
	ck_assert(calendar_has_year(&rec.calendar, 2022));
	ck_assert(calendar_has_year(&rec.calendar, 2023));
	ck_assert(calendar_has_year(&rec.calendar, 2024));
	ck_assert(!calendar_has_year(&rec.calendar, 2025));
	{
		bool work = true;
		ck_assert_int_eq(calendar_is_working_day(&rec.calendar, day("2024-10-01"), &work), 0);
		ck_assert(!work);
		ck_assert_int_eq(calendar_is_working_day(&rec.calendar, day("2024-09-29"), &work), 0);
		ck_assert(work); /* a Sunday made a working day */
	}
}
END_TEST

START_TEST(sorted_and_found)
{
	size_t i;

	copy_fixture();
	ck_assert_int_eq(load(), 0);
	for (i = 1; i < rec.napplications; i++)
		ck_assert_int_lt(strcmp(rec.applications[i - 1].id.v, rec.applications[i].id.v), 0);
	for (i = 1; i < rec.norganizations; i++)
		ck_assert_int_lt(strcmp(rec.organizations[i - 1].id.v, rec.organizations[i].id.v), 0);
	for (i = 1; i < rec.nnotices; i++)
		ck_assert_int_lt(strcmp(rec.notices[i - 1].id.v, rec.notices[i].id.v), 0);
	ck_assert_str_eq(rec.programs[0].id.v, "lanzhou");
	ck_assert_str_eq(rec.programs[1].id.v, "lhasa");
	/* every lookup finds its own element, by pointer */
	for (i = 0; i < rec.nprograms; i++)
		ck_assert_ptr_eq(record_find_program(&rec, rec.programs[i].id.v), &rec.programs[i]);
	for (i = 0; i < rec.norganizations; i++)
		ck_assert_ptr_eq(record_find_organization(&rec, rec.organizations[i].id.v), &rec.organizations[i]);
	for (i = 0; i < rec.nrounds; i++)
		ck_assert_ptr_eq(record_find_round(&rec, rec.rounds[i].id.v), &rec.rounds[i]);
	for (i = 0; i < rec.napplications; i++)
		ck_assert_ptr_eq(record_find_application(&rec, rec.applications[i].id.v), &rec.applications[i]);
	for (i = 0; i < rec.nnotices; i++)
		ck_assert_ptr_eq(record_find_notice(&rec, rec.notices[i].id.v), &rec.notices[i]);
	for (i = 0; i < rec.nobjections; i++)
		ck_assert_ptr_eq(record_find_objection(&rec, rec.objections[i].id.v), &rec.objections[i]);
	ck_assert_ptr_eq(record_find_revocation(&rec, "lhasa-2024-riguang"), &rec.revocations[0]);
	/* and nothing else */
	ck_assert_ptr_null(record_find_program(&rec, "ganzhou"));
	ck_assert_ptr_null(record_find_program(&rec, ""));
	ck_assert_ptr_null(record_find_program(&rec, NULL));
	ck_assert_ptr_null(record_find_program(&rec, "lhas"));
	ck_assert_ptr_null(record_find_program(&rec, "lhasaa"));
	ck_assert_ptr_null(record_find_application(&rec, "a"));
	ck_assert_ptr_null(record_find_application(&rec, "zzz"));
	ck_assert_ptr_null(record_find_notice(&rec, "lhasa-2024"));
	ck_assert_ptr_null(record_find_objection(&rec, "lanzhou-2023-yunzhi"));
	ck_assert_ptr_null(record_find_revocation(&rec, NULL));
	ck_assert_ptr_null(record_find_organization(&rec, "91540100396815475K"));
	/* an empty record finds nothing either */
	record_release(&rec);
	ck_assert_ptr_null(record_find_program(&rec, "lhasa"));
	ck_assert_ptr_null(record_find_revocation(&rec, "lhasa-2024-riguang"));
}
END_TEST

START_TEST(fields_and_positions)
{
	const struct program *p;
	const struct round *r;
	const struct application *a;
	const struct notice *n;
	const struct objection *o;
	const struct organization *g;

	copy_fixture();
	ck_assert_int_eq(load(), 0);
	ck_assert_ptr_nonnull(p = record_find_program(&rec, "lhasa"));
	ck_assert_str_eq(p->path, "data/programs/lhasa.json");
	ck_assert_str_eq(p->name, "拉萨市政府质量奖");
	ck_assert_str_eq(p->measures.status, "in_force");
	ck_assert_int_eq(p->measures.issued, day("2013-11-20"));
	ck_assert_int_eq(p->measures.repealed, DATE_NONE);
	ck_assert(p->cadence_yearly);
	ck_assert_int_eq(p->cadence_every, 1);
	ck_assert_uint_eq(p->nstages, 5);
	ck_assert_int_eq(program_stage_index(p, "qualification"), 0);
	ck_assert_int_eq(program_stage_index(p, "evaluation"), 4);
	ck_assert_int_eq(program_stage_index(p, "nope"), -1);
	ck_assert_int_eq(program_stage_index(p, NULL), -1);
	ck_assert_int_eq(program_stage_index(NULL, "onsite"), -1);
	ck_assert_uint_eq(p->ntiers, 2);
	ck_assert_ptr_eq(program_find_tier(p, "excellence"), &p->tiers[1]);
	ck_assert_int_eq(p->tiers[0].cap, 2);
	ck_assert_int_eq(p->tiers[0].prize_yuan, 300000);
	ck_assert_int_eq(p->tiers[0].repeat_yuan, -1);
	ck_assert_uint_eq(p->tiers[0].nprize_items, 2);
	ck_assert_str_eq(p->tiers[0].prize_items[1], "证书");
	ck_assert_uint_eq(p->tiers[1].nprize_items, 0);
	ck_assert_str_eq(p->tiers[1].requires_stage, "onsite");
	ck_assert_int_eq(p->tiers[0].reapply_years, 5);
	ck_assert_ptr_null(program_find_tier(p, "nomination"));
	ck_assert_ptr_null(program_find_tier(NULL, "award"));
	ck_assert_uint_eq(p->nnotice_rules, 1);
	ck_assert_ptr_eq(program_notice_rule(p, NOTICE_PROPOSED_WINNERS), &p->notice_rules[0]);
	ck_assert_ptr_null(program_notice_rule(p, NOTICE_COUNTY_LIST));
	ck_assert_int_eq(p->notice_rules[0].min, 10);
	ck_assert_int_eq(p->notice_rules[0].unit, UNIT_DAYS);
	ck_assert_str_eq(p->notice_rules[0].article, "第十一条（七）");
	ck_assert_ptr_eq(program_find_ground(p, "fraud"), &p->grounds[0]);
	ck_assert_int_eq(p->grounds[0].ban_years, 5);
	ck_assert_uint_eq(p->grounds[0].nrecover, 3);
	ck_assert_ptr_null(program_find_ground(p, "false-application"));
	ck_assert(!p->has_decision);
	ck_assert_ptr_null(p->identity_article);

	ck_assert_ptr_nonnull(p = record_find_program(&rec, "lanzhou"));
	ck_assert(!p->cadence_yearly);
	ck_assert_uint_eq(p->nnotice_rules, 3);
	ck_assert_int_eq(program_notice_rule(p, NOTICE_ACCEPTANCE_LIST)->unit, UNIT_WORKING_DAYS);
	ck_assert(p->has_decision);
	ck_assert_int_eq(p->decision_within, 5);
	ck_assert_int_eq(p->decision_unit, UNIT_WORKING_DAYS);
	ck_assert_uint_eq(p->identity[0], 1u << ID_NAME | 1u << ID_PHONE | 1u << ID_ADDRESS | 1u << ID_ID_DOCUMENT);
	ck_assert_uint_eq(p->identity[1], 1u << ID_PHONE | 1u << ID_ADDRESS | 1u << ID_SEAL);

	ck_assert_ptr_nonnull(r = record_find_round(&rec, "lhasa-2024"));
	ck_assert_int_eq(r->year.v, 2024);
	ck_assert(r->year.set);
	ck_assert_int_eq(r->apps_start.v, day("2024-04-01"));
	ck_assert_int_eq(r->apps_end.v, day("2024-05-31"));
	ck_assert_int_eq(r->call_published.v, day("2024-03-15"));
	ck_assert_int_eq(r->approval.v, day("2024-12-09"));
	ck_assert(!r->cancelled);
	ck_assert_uint_eq(r->nschedule, 5);
	ck_assert_str_eq(r->schedule[3].stage.v, "onsite");
	ck_assert_int_eq(r->schedule[3].end.v, day("2024-09-24"));
	ck_pos(r->id.pos, 3, 9);
	ck_pos(r->year.pos, 6, 11);

	ck_assert_ptr_nonnull(a = record_find_application(&rec, "lhasa-2024-jiance"));
	ck_assert_int_eq(a->submitted.v, day("2024-05-13"));
	ck_assert_uint_eq(a->nstages, 5);
	ck_assert(a->stages[4].passed);
	ck_assert(a->has_result && a->awarded);
	ck_assert_str_eq(a->result_tier.v, "excellence");
	ck_assert_str_eq(a->certificate.v, "LSQE-2024-01");
	ck_assert(a->prize.set);
	ck_assert_int_eq(a->prize.v, 100000);
	ck_assert_int_eq(a->withdrawn.v, DATE_NONE);
	ck_pos(a->submitted.pos, 7, 16);

	ck_assert_ptr_nonnull(n = record_find_notice(&rec, "lhasa-2024-proposed"));
	ck_assert_int_eq(n->kind, NOTICE_PROPOSED_WINNERS);
	ck_assert_int_eq(n->start.v, day("2024-11-14"));
	ck_assert_int_eq(n->end.v, day("2024-11-23"));
	ck_pos(n->period_pos, 9, 13);
	ck_pos(n->start.pos, 10, 14);
	ck_pos(n->end.pos, 11, 12);
	ck_pos(n->kind_pos, 4, 11);
	ck_assert_uint_eq(n->nentries, 2);
	ck_assert_str_eq(n->entries[1].tier.v, "excellence");

	ck_assert_ptr_nonnull(o = record_find_objection(&rec, "lanzhou-2023-jinggong"));
	ck_assert(o->by_organization);
	ck_assert_int_eq(o->status, OBJ_DECIDED);
	ck_assert_int_eq(o->outcome, OUT_REJECTED);
	ck_assert_uint_eq(o->identity, 1u << ID_NAME | 1u << ID_PHONE | 1u << ID_ADDRESS | 1u << ID_SEAL);
	ck_pos(o->identity_pos, 13, 14);
	ck_pos(o->status_pos, 8, 13);
	ck_assert_ptr_nonnull(o = record_find_objection(&rec, "lanzhou-2023-baihe"));
	ck_assert(!o->by_organization);
	ck_assert_uint_eq(o->identity, 1u << ID_NAME | 1u << ID_PHONE | 1u << ID_ADDRESS | 1u << ID_ID_DOCUMENT);

	ck_assert_ptr_nonnull(g = record_find_organization(&rec, "915401006968182560"));
	ck_assert_str_eq(g->name, "拉萨宏晟路桥工程有限公司");
	ck_assert_int_eq(g->established.v, day("2009-11-30"));
}
END_TEST

START_TEST(references_resolved)
{
	const struct application *a, *b;
	const struct notice *n;
	const struct objection *o;
	const struct revocation *v;
	size_t i;

	copy_fixture();
	ck_assert_int_eq(load(), 0);
	for (i = 0; i < rec.nrounds; i++)
		ck_assert_ptr_eq(rec.rounds[i].res_program, record_find_program(&rec, rec.rounds[i].program.v));
	ck_assert_ptr_eq(record_find_round(&rec, "lanzhou-2023")->res_program, record_find_program(&rec, "lanzhou"));
	a = record_find_application(&rec, "lhasa-2024-jiance");
	ck_assert_ptr_eq(a->res_round, record_find_round(&rec, "lhasa-2024"));
	ck_assert_ptr_eq(a->res_org, record_find_organization(&rec, "12540100457602917T"));
	ck_assert_ptr_eq(a->res_tier, &record_find_program(&rec, "lhasa")->tiers[0]);
	ck_assert_ptr_eq(a->res_result_tier, &record_find_program(&rec, "lhasa")->tiers[1]);
	ck_assert_ptr_null(a->res_revoked);
	for (i = 0; i < rec.napplications; i++) {
		ck_assert_ptr_nonnull(rec.applications[i].res_round);
		ck_assert_ptr_nonnull(rec.applications[i].res_org);
		ck_assert_ptr_nonnull(rec.applications[i].res_tier);
	}
	n = record_find_notice(&rec, "lhasa-2024-proposed");
	ck_assert_ptr_eq(n->res_round, record_find_round(&rec, "lhasa-2024"));
	ck_assert_ptr_eq(n->entries[0].res_app, record_find_application(&rec, "lhasa-2024-hongsheng"));
	ck_assert_ptr_eq(n->entries[1].res_app, a);
	o = record_find_objection(&rec, "lanzhou-2023-baihe");
	ck_assert_ptr_eq(o->res_notice, record_find_notice(&rec, "lanzhou-2023-acceptance"));
	ck_assert_ptr_eq(o->res_app, record_find_application(&rec, "lanzhou-2023-baihe"));
	v = record_find_revocation(&rec, "lhasa-2024-riguang");
	b = record_find_application(&rec, "lhasa-2022-riguang");
	ck_assert_ptr_eq(v->res_app, b);
	ck_assert_ptr_eq(v->res_ground, &record_find_program(&rec, "lhasa")->grounds[0]);
	ck_assert_int_eq(v->ban_until.v, day("2029-06-14"));
	/* the award it revokes points back at it */
	ck_assert_ptr_eq(b->res_revoked, v);
	n = record_find_notice(&rec, "lhasa-2022-revocation");
	ck_assert_int_eq(n->kind, NOTICE_REVOCATION);
	ck_assert_str_eq(n->revocation.v, "lhasa-2024-riguang");
}
END_TEST

START_TEST(duplicate_id)
{
	copy_fixture();
	tmp_sh("mkdir rec/data/notices/2024 && cp rec/data/notices/lhasa-2024-proposed.json rec/data/notices/2024/");
	ck_assert_int_eq(load(), 0);
	/* the later path is reported; the first one found is kept */
	only(DIAG_ERROR, "data/notices/lhasa-2024-proposed.json", 3, 9, "id-duplicate",
	     "id \"lhasa-2024-proposed\" is already used by data/notices/2024/lhasa-2024-proposed.json");
	ck_assert_uint_eq(rec.nnotices, 10);
	ck_assert_uint_eq(rec.nfiles, 43);
	ck_assert_str_eq(record_find_notice(&rec, "lhasa-2024-proposed")->path,
			 "data/notices/2024/lhasa-2024-proposed.json");
	/* and the kept one is linked */
	ck_assert_ptr_nonnull(record_find_notice(&rec, "lhasa-2024-proposed")->entries[0].res_app);
}
END_TEST

START_TEST(duplicate_ids_three_times)
{
	copy_fixture();
	tmp_sh("mkdir -p rec/data/programs/a rec/data/programs/b && cp rec/data/programs/lhasa.json rec/data/programs/a/ && "
	       "cp rec/data/programs/lhasa.json rec/data/programs/b/");
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(D.n, 2);
	ck_assert_str_eq(D.v[0].path, "data/programs/b/lhasa.json");
	ck_assert_str_eq(D.v[0].msg, "id \"lhasa\" is already used by data/programs/a/lhasa.json");
	ck_assert_str_eq(D.v[1].path, "data/programs/lhasa.json");
	ck_assert_str_eq(D.v[1].msg, "id \"lhasa\" is already used by data/programs/a/lhasa.json");
	ck_assert_uint_eq(rec.nprograms, 2);
	ck_assert_ptr_eq(record_find_round(&rec, "lhasa-2024")->res_program, record_find_program(&rec, "lhasa"));
}
END_TEST

START_TEST(id_and_file_name)
{
	tmp_sh("mkdir -p rec/data/organizations && cp '%s/tests/fixtures/small/data/organizations/91540100396815475J.json' "
	       "rec/data/organizations/acme.json", cwd);
	ck_assert_int_eq(load(), 0);
	only(DIAG_ERROR, "data/organizations/acme.json", 3, 9, "id-filename",
	     "id \"91540100396815475J\" does not match the file name acme.json; rename the file to "
	     "91540100396815475J.json or correct the id");
	/* still loaded, under its id */
	ck_assert_uint_eq(rec.norganizations, 1);
	ck_assert_ptr_nonnull(record_find_organization(&rec, "91540100396815475J"));
	ck_assert_ptr_null(record_find_organization(&rec, "acme"));
}
END_TEST

START_TEST(unresolved_references)
{
	tmp_write("rec/data/applications/x-1.json",
		  "{\n  \"id\": \"x-1\",\n  \"round\": \"nope\",\n  \"organization\": \"91540100396815475J\",\n"
		  "  \"tier\": \"award\",\n  \"submitted\": \"2024-05-13\",\n  \"stages\": []\n}\n");
	tmp_write("rec/data/objections/o-1.json",
		  "{\"id\": \"o-1\", \"notice\": \"n-9\", \"application\": \"x-1\", \"objector\": \"individual\", "
		  "\"received\": \"2024-01-01\", \"status\": \"under_review\", \"summary\": \"s\"}");
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(D.n, 3);
	ck_assert_str_eq(D.v[0].path, "data/applications/x-1.json");
	ck_assert_str_eq(D.v[0].rule, "reference");
	ck_assert_str_eq(D.v[0].msg, "\"round\" names round \"nope\", which does not exist");
	ck_assert_uint_eq(D.v[0].line, 3);
	ck_assert_uint_eq(D.v[0].col, 12);
	ck_assert_str_eq(D.v[1].msg, "\"organization\" names organization \"91540100396815475J\", which does not exist");
	ck_assert_uint_eq(D.v[1].line, 4);
	ck_assert_str_eq(D.v[2].path, "data/objections/o-1.json");
	ck_assert_str_eq(D.v[2].msg, "\"notice\" names notice \"n-9\", which does not exist");
	ck_assert_ptr_null(rec.applications[0].res_round);
	ck_assert_ptr_null(rec.applications[0].res_org);
	ck_assert_ptr_null(rec.objections[0].res_notice);
	ck_assert_ptr_eq(rec.objections[0].res_app, &rec.applications[0]);
}
END_TEST

START_TEST(files_that_are_not_records)
{
	copy_fixture();
	tmp_write("rec/data/notices/.draft.json", "{ not json");
	tmp_write("rec/data/.cache/x.json", "{");
	tmp_write("rec/data/notices/.hidden/lhasa-2024-proposed.json", "{}");
	tmp_write("rec/data/README.md", "# the record\n");
	tmp_write("rec/data/notices/readme.txt", "notes\n");
	tmp_write("rec/data/schema/extra.schema.json", "{}");
	tmp_write("rec/data/notices/shouting.JSON", "{}");
	tmp_write("rec/data/misc.json", "{}");
	tmp_write("rec/data/drafts/x.json", "{}");
	tmp_sh("ln -s lhasa-2024-proposed.json rec/data/notices/link.json");
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(D.n, 4);
	/* in the order of the listing (sorted by path) */
	ck_assert_str_eq(D.v[0].path, "data/drafts/x.json");
	ck_assert_int_eq(D.v[0].level, DIAG_WARNING);
	ck_assert_str_eq(D.v[0].rule, "unknown-file");
	ck_assert_str_eq(D.v[0].msg, "not in a record folder (programs, organizations, rounds, applications, notices, "
				     "objections, revocations, calendars); ignored");
	ck_assert_str_eq(D.v[1].path, "data/misc.json");
	ck_assert_str_eq(D.v[1].rule, "unknown-file");
	ck_assert_str_eq(D.v[2].path, "data/notices/link.json");
	ck_assert_int_eq(D.v[2].level, DIAG_WARNING);
	ck_assert_str_eq(D.v[2].rule, "symlink");
	ck_assert_str_eq(D.v[2].msg, "a symbolic link or submodule, not a file; ignored");
	ck_assert_str_eq(D.v[3].path, "data/notices/shouting.JSON");
	ck_assert_str_eq(D.v[3].rule, "unknown-file");
	ck_assert_str_eq(D.v[3].msg, "record files end in \".json\", in lower case; ignored");
	ck_assert_uint_eq(D.v[3].line, 1);
	ck_assert_uint_eq(D.v[3].col, 1);
	ck_assert_uint_eq(rec.nfiles, 42);
	ck_assert_uint_eq(rec.nnotices, 10);
}
END_TEST

START_TEST(broken_files_do_not_stop_the_rest)
{
	copy_fixture();
	tmp_write("rec/data/notices/lhasa-2024-result.json", "{\"id\": \"lhasa-2024-result\",");
	tmp_write("rec/data/rounds/lhasa-2024.json", "[]");
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(rec.nfiles, 42);
	ck_assert_uint_eq(rec.nnotices, 9);
	ck_assert_uint_eq(rec.nrounds, 2);
	ck_assert_uint_ge(D.n, 2);
	/* what pointed at the broken round is reported, not lost */
	{
		size_t i, syntax = 0, type = 0, refs = 0;
		for (i = 0; i < D.n; i++) {
			syntax += !strcmp(D.v[i].rule, "json-syntax");
			type += !strcmp(D.v[i].rule, "schema-type");
			refs += !strcmp(D.v[i].rule, "reference");
		}
		ck_assert_uint_eq(syntax, 1);
		ck_assert_uint_eq(type, 1);
		ck_assert_uint_eq(refs, 4); /* 3 applications and 1 notice name lhasa-2024 */
	}
	ck_assert_ptr_null(record_find_application(&rec, "lhasa-2024-jiance")->res_round);
}
END_TEST

START_TEST(calendar_named_for_another_year)
{
	copy_fixture();
	tmp_sh("mv rec/data/calendars/2024.json rec/data/calendars/2025.json");
	ck_assert_int_eq(load(), 0);
	only(DIAG_ERROR, "data/calendars/2025.json", 4, 13, "calendar-year",
	     "calendar for 2024 is in a file named 2025.json; name it 2024.json");
	ck_assert(!calendar_has_year(&rec.calendar, 2024));
	ck_assert(!calendar_has_year(&rec.calendar, 2025));
}
END_TEST

/*
 * Under UBSan with -fno-sanitize-recover (make test-sanitize) this test
 * aborts today: source_open_worktree() calls qsort(NULL, 0, ...) for a
 * data/ folder with no files (source.c:233), which is undefined.  See
 * the report; the fix belongs in source.c.
 */
START_TEST(empty_record)
{
	tmp_sh("mkdir -p rec/data");
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(D.n, 0);
	ck_assert_uint_eq(rec.nfiles, 0);
	ck_assert_uint_eq(rec.nprograms + rec.norganizations + rec.nrounds + rec.napplications + rec.nnotices +
				  rec.nobjections + rec.nrevocations,
			  0);
	ck_assert_ptr_null(record_find_notice(&rec, "x"));
	record_release(&rec);
	record_release(&rec); /* twice is harmless */
}
END_TEST

START_TEST(kind_of_path)
{
	static const struct {
		const char *path;
		enum record_kind kind;
	} cases[] = {
		{ "data/programs/lhasa.json", KIND_PROGRAM },
		{ "data/organizations/91540100396815475J.json", KIND_ORGANIZATION },
		{ "data/rounds/lhasa-2024.json", KIND_ROUND },
		{ "data/applications/a.json", KIND_APPLICATION },
		{ "data/notices/x.json", KIND_NOTICE },
		{ "data/objections/x.json", KIND_OBJECTION },
		{ "data/revocations/x.json", KIND_REVOCATION },
		{ "data/calendars/2024.json", KIND_CALENDAR },
		/* nested folders belong to the kind of the first */
		{ "data/notices/2024/x.json", KIND_NOTICE },
		{ "data/notices/2024/11/x.json", KIND_NOTICE },
		{ "data/applications/lhasa/2024/a.json", KIND_APPLICATION },
		/* not records */
		{ "data/schema/notice.schema.json", KIND_NONE },
		{ "data/schema/programs/x.json", KIND_NONE },
		{ "data/README.md", KIND_NONE },
		{ "data/x.json", KIND_NONE },
		{ "data/notices", KIND_NONE },
		{ "data/notices/", KIND_NONE },
		{ "data/notices/x.JSON", KIND_NONE },
		{ "data/notices/x.Json", KIND_NONE },
		{ "data/notices/x.json.bak", KIND_NONE },
		{ "data/notices/x.jsonx", KIND_NONE },
		{ "data/notices/xjson", KIND_NONE },
		{ "data/notices/x.md", KIND_NONE },
		{ "data/notice/x.json", KIND_NONE },
		{ "data/noticesx/x.json", KIND_NONE },
		{ "data/Notices/x.json", KIND_NONE },
		{ "data//notices/x.json", KIND_NONE },
		{ "data/drafts/notices/x.json", KIND_NONE },
		{ "content/notices/x.json", KIND_NONE },
		{ "notices/x.json", KIND_NONE },
		{ "datax/notices/x.json", KIND_NONE },
		{ "Data/notices/x.json", KIND_NONE },
		{ "/data/notices/x.json", KIND_NONE },
		{ "data", KIND_NONE },
		{ "", KIND_NONE },
		/* hidden folders: the whole path is seen, so .x stays out of kinds */
		{ "data/.notices/x.json", KIND_NONE },
		{ "data/.git/notices/x.json", KIND_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		ck_assert_msg(record_kind_of_path(cases[i].path) == cases[i].kind, "%s: kind %d, want %d",
			      cases[i].path, record_kind_of_path(cases[i].path), cases[i].kind);
}
END_TEST

/*
 * Hidden files inside a record folder are never read (load_file and
 * history.c skip any path with "/."), but record_kind_of_path itself
 * gives them the folder's kind, although record.h says it returns
 * KIND_NONE "for files gongshi does not read".  Every caller checks
 * "/." itself today, so nothing is wrong yet; the assertions below pin
 * what the function does now.  See the report: the brief expected
 * KIND_NONE here.
 */
START_TEST(kind_of_hidden_files)
{
	ck_assert_int_eq(record_kind_of_path("data/notices/.draft.json"), KIND_NONE);
	ck_assert_int_eq(record_kind_of_path("data/notices/.hidden/x.json"), KIND_NONE);
	ck_assert_int_eq(record_kind_of_path("data/notices/.json"), KIND_NONE);
	ck_assert_int_eq(record_kind_of_path("data/notices/x.json"), KIND_NOTICE);
}
END_TEST

START_TEST(kind_names)
{
	static const char *const dirs[] = { "programs", "organizations", "rounds", "applications",
					    "notices", "objections", "revocations", "individuals", "calendars" };
	static const char *const schemas[] = {
		"program.schema.json", "organization.schema.json", "round.schema.json",
		"application.schema.json", "notice.schema.json", "objection.schema.json",
		"revocation.schema.json", "individual.schema.json", "calendar.schema.json"
	};
	int k;
	char path[64];

	for (k = 0; k < KIND_CONTENT; k++) {
		ck_assert_str_eq(record_kind_dir((enum record_kind)k), dirs[k]);
		ck_assert_str_eq(record_kind_schema((enum record_kind)k), schemas[k]);
		snprintf(path, sizeof(path), "data/%s/x.json", dirs[k]);
		ck_assert_int_eq(record_kind_of_path(path), k);
	}
	/* content/ is no record: only the history follows it */
	ck_assert_str_eq(record_kind_dir(KIND_CONTENT), "content");
	ck_assert_ptr_null(record_kind_schema(KIND_CONTENT));
	ck_assert_int_eq(record_kind_of_path("data/content/x.json"), KIND_NONE);
	ck_assert_int_eq(record_kind_of_path("content/site.json"), KIND_NONE);
	ck_assert_ptr_null(record_kind_dir(KIND_NONE));
	ck_assert_ptr_null(record_kind_schema(KIND_NONE));
	ck_assert_str_eq(notice_kind_name(NOTICE_COUNTY_LIST), "county_list");
	ck_assert_str_eq(notice_kind_name(NOTICE_ACCEPTANCE_LIST), "acceptance_list");
	ck_assert_str_eq(notice_kind_name(NOTICE_PROPOSED_WINNERS), "proposed_winners");
	ck_assert_str_eq(notice_kind_name(NOTICE_RESULT), "result");
	ck_assert_str_eq(notice_kind_name(NOTICE_REVOCATION), "revocation");
	ck_assert_str_eq(notice_kind_zh(NOTICE_COUNTY_LIST), "县（区）申报公示");
	ck_assert_str_eq(notice_kind_zh(NOTICE_ACCEPTANCE_LIST), "受理名单公示");
	ck_assert_str_eq(notice_kind_zh(NOTICE_PROPOSED_WINNERS), "拟获奖名单公示");
	ck_assert_str_eq(notice_kind_zh(NOTICE_RESULT), "获奖公告");
	ck_assert_str_eq(notice_kind_zh(NOTICE_REVOCATION), "撤销公告");
	ck_assert_str_eq(identity_field_name(ID_NAME), "name");
	ck_assert_str_eq(identity_field_name(ID_PHONE), "phone");
	ck_assert_str_eq(identity_field_name(ID_ADDRESS), "address");
	ck_assert_str_eq(identity_field_name(ID_ID_DOCUMENT), "id_document");
	ck_assert_str_eq(identity_field_name(ID_SEAL), "seal");
}
END_TEST

START_TEST(from_a_commit)
{
	/* the same record, read from git: the same counts, no diagnostics */
	copy_fixture();
	tmp_sh("cd rec && git -c init.defaultBranch=main init -q && git add -A && "
	       "git commit -q --no-gpg-sign -m fixture");
	tmp_write("rec/data/notices/uncommitted.json", "{");
	ck_assert_int_eq(source_open_commit(&src, tmp_path("rec"), "HEAD"), 0);
	ck_assert_int_eq(record_load(&rec, &src, &D), 0);
	ck_assert_uint_eq(D.n, 0);
	ck_assert_uint_eq(rec.nfiles, 42);
	ck_assert_uint_eq(rec.napplications, 11);
	ck_assert_ptr_eq(record_find_revocation(&rec, "lhasa-2024-riguang")->res_app->res_revoked,
			 record_find_revocation(&rec, "lhasa-2024-riguang"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, small_fixture_counts);
	tcase_add_test(tc, sorted_and_found);
	tcase_add_test(tc, fields_and_positions);
	tcase_add_test(tc, references_resolved);
	tcase_add_test(tc, duplicate_id);
	tcase_add_test(tc, duplicate_ids_three_times);
	tcase_add_test(tc, id_and_file_name);
	tcase_add_test(tc, unresolved_references);
	tcase_add_test(tc, files_that_are_not_records);
	tcase_add_test(tc, broken_files_do_not_stop_the_rest);
	tcase_add_test(tc, calendar_named_for_another_year);
	tcase_add_test(tc, empty_record);
	tcase_add_test(tc, kind_of_path);
	tcase_add_test(tc, kind_of_hidden_files);
	tcase_add_test(tc, kind_names);
	tcase_add_test(tc, from_a_commit);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

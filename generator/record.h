/*
 * record.h - the award record, loaded and cross-referenced.
 *
 * record_load() reads every file under data/ from a source (one commit,
 * or the working tree), reports syntax and schema problems as
 * diagnostics, and builds a typed skeleton: ids, references, dates and
 * outcomes, each with the position it came from so later checks can
 * point at it.  Free text (bodies, summaries) is not kept: the renderer
 * re-reads a record's file when it needs it (entry_index), so memory
 * grows with the number of records, not with their prose.
 *
 * Every string and array below lives in the record's arena and is freed
 * by record_release(); pointers between records (the resolved
 * references, "res_" fields) are NULL when unresolved.  Arrays of each
 * kind are sorted by id; lookups use record_find_*.
 */
#ifndef GONGSHI_RECORD_H
#define GONGSHI_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "calendar.h"
#include "date.h"
#include "diag.h"
#include "json.h"
#include "source.h"

enum record_kind {
	KIND_PROGRAM, KIND_ORGANIZATION, KIND_ROUND, KIND_APPLICATION,
	KIND_NOTICE, KIND_OBJECTION, KIND_REVOCATION, KIND_INDIVIDUAL, KIND_CALENDAR,
	/* a file under content/ (site.json, pages, announcements, the
	 * measures' texts): no record, but published, so the history (and
	 * only the history) follows it, by its path under content/ */
	KIND_CONTENT,
	KIND_COUNT, KIND_NONE = KIND_COUNT
};

/* The folder under data/ ("programs") and schema of each kind;
 * KIND_CONTENT's folder is content/ itself, and it has no schema. */
const char *record_kind_dir(enum record_kind k);
const char *record_kind_schema(enum record_kind k);

/* The kind a path such as "data/notices/2024/x.json" holds, or
 * KIND_NONE for files gongshi does not read (README, schema/, ...) and
 * for content/ (never a record: see history_record_id). */
enum record_kind record_kind_of_path(const char *path);

/* A string field and where its value stands (where its object stands
 * when absent: v is then NULL). */
struct fstr {
	const char *v;
	struct json_pos pos;
};

/* A date field; v is DATE_NONE when absent or not a real date. */
struct fdate {
	date_t v;
	struct json_pos pos;
};

/* An integer field; set is false when absent. */
struct fint {
	long v;
	bool set;
	struct json_pos pos;
};

/* ---- programs ---- */

enum period_unit { UNIT_DAYS, UNIT_WORKING_DAYS };
enum notice_kind {
	NOTICE_COUNTY_LIST, NOTICE_ACCEPTANCE_LIST, NOTICE_PROPOSED_WINNERS,
	NOTICE_RESULT, NOTICE_REVOCATION, NOTICE_KIND_COUNT
};
const char *notice_kind_name(enum notice_kind k); /* "proposed_winners" */
const char *notice_kind_zh(enum notice_kind k);   /* "拟获奖名单公示" */

struct stage_def {
	const char *id, *name;
	struct json_pos pos;         /* of its object in the program file */
	/* The stage is held only for applications listed in a notice of
	 * this kind, after its period, with no upheld objection there. */
	bool has_gate;
	enum notice_kind gate;
	const char *gate_article;
};

struct tier {
	const char *id, *name;
	struct json_pos pos;         /* of its object in the program file */
	long cap;                    /* at most this many a round */
	bool cap_soft;               /* 原则上: exceeding it is a warning */
	const char *cap_article;
	long prize_yuan;             /* -1: the measures do not state it */
	long individual_yuan;        /* -1: an individual gets prize_yuan */
	long repeat_yuan;            /* -1: a repeat win gets prize_yuan */
	const char *prize_article, *repeat_article;
	const char **prize_items;    /* "奖牌", "证书"... */
	size_t nprize_items;
	long min_years;              /* operating years to apply; 0: none stated */
	const char *eligibility_article;
	bool for_organizations;      /* awardees: who may apply for the tier */
	bool for_individuals;
	const char *awardees_article;
	long individual_min_years;   /* years of quality work; 0: none */
	const char *individual_article;
	const char *requires_stage;  /* NULL: none */
	const char *requires_article;
	long validity_years;         /* 0: no stated validity */
	const char *validity_then;   /* "re_evaluation", "reapply", "lapse" */
	const char *validity_article;
	long reapply_years;          /* 0: may re-apply at once */
	const char *reapply_article;
};

/* Awardees a cap counts (caps[].awardees). */
enum awardee_kind { AWARDEE_ANY, AWARDEE_ORGANIZATION, AWARDEE_INDIVIDUAL };

/* A cap over a group of tiers, or over one kind of awardee (caps[]). */
struct group_cap {
	struct json_pos pos;         /* of its object in the program file */
	const char *name;            /* NULL: none given */
	const char **tiers;          /* NULL: every tier */
	size_t ntiers;
	enum awardee_kind awardees;
	long max;
	bool soft;
	const char *article;
};

struct notice_rule {
	struct json_pos pos;         /* of its object in the program file */
	enum notice_kind kind;
	bool required;
	bool has_unit;               /* false: length not stated */
	enum period_unit unit;
	long min, max;               /* 0: no bound */
	const char *article;
};

struct ground {
	const char *id, *name;
	struct json_pos pos;         /* of its object in the program file */
	bool requires_award, announce;
	long within_years;           /* 0: any time */
	long ban_years;              /* 0: no ban */
	const char **recover;
	size_t nrecover;
	const char *article;
	bool fraud;                  /* 弄虚作假: counts for fraud_bar */
};

/* Objector identity fields (bit positions). */
enum identity_field { ID_NAME, ID_PHONE, ID_ADDRESS, ID_ID_DOCUMENT, ID_SEAL, ID_COUNT };
const char *identity_field_name(enum identity_field f);

struct program {
	const char *path;
	struct fstr id;
	const char *name, *authority, *office;
	struct {
		const char *title, *document_number, *issuer, *status;
		const char *status_article, *valid_article;
		struct fstr text;    /* its full text, under content/ */
		date_t issued, effective, repealed;
		long valid_years;    /* 0: indefinite */
	} measures;
	bool cadence_yearly;         /* false: per round (届), no spacing */
	long cadence_every;
	const char *cadence_article;
	const char *procedure_article;
	struct stage_def *stages;
	size_t nstages;
	struct tier *tiers;
	size_t ntiers;
	struct group_cap *caps;
	size_t ncaps;
	struct notice_rule *notice_rules;
	size_t nnotice_rules;
	const char *upheld_article;  /* NULL: the measures cite none */
	const char *window_article;  /* NULL: objections any time */
	unsigned identity[2];        /* bitmask of identity_field for
	                                individual [0] and organization [1] */
	const char *identity_article;
	const char *review_work_article; /* NULL: objections only to entries
	                                    of notices */
	const char *evidence_article; /* NULL: the measures ask no evidence
	                                 (证明材料) of an objection */
	bool has_decision;
	long decision_within;
	enum period_unit decision_unit;
	const char *decision_article;
	struct ground *grounds;
	size_t ngrounds;
	/* Stage gates, exceptions and eligibility beyond the tiers (issue 17). */
	const char **divisions;      /* division-code prefixes of the region */
	size_t ndivisions;
	const char *divisions_article; /* NULL: registration not checked */
	const char *vacancy_article; /* NULL: a round may not be left vacant */
	const char *off_cycle_by;    /* who may approve an off-cycle round */
	const char *off_cycle_article; /* NULL: no off-cycle rounds */
	const char *recommendation_article; /* NULL: no recommender needed */
	long fraud_bar_years;        /* 0: no bar across programs */
	const char *fraud_bar_article;
	bool decision_examine;       /* the time limit is for examining */
};

/* ---- the rest ---- */

struct organization {
	const char *path;
	struct fstr id;              /* the credit code */
	const char *name;
	struct fdate established;
};

/* A person who applies (data/individuals/): public name, employer and
 * position; everything that identifies them further stays private. */
struct individual {
	const char *path;
	struct fstr id;              /* chosen by the office, never the ID number */
	const char *name;
	struct fstr employer;        /* employer_organization: a credit code */
	struct fdate work_since;     /* private.quality_work_since */
	struct organization *res_employer;
};

struct schedule_item {
	struct fstr stage;
	struct fdate start, end;
};

struct round {
	const char *path;
	struct fstr id, program;
	const char *name;            /* short: every link to the round shows it */
	struct fint year;
	struct fdate apps_start, apps_end, call_published, approval;
	bool cancelled;
	const char *cap_reason;      /* cap_exceeded.reason; NULL: none */
	struct fstr approval_authority;
	bool vacant;                 /* approved with no winners (空缺) */
	struct json_pos vacant_pos;
	struct fstr off_cycle_by, off_cycle_ref; /* off_cycle.approved_by: set */
	struct schedule_item *schedule;
	size_t nschedule;
	struct program *res_program;
};

struct stage_result {
	struct fstr stage;
	bool passed;
	struct fdate date;
};

struct application {
	const char *path;
	struct fstr id, round, organization, tier;
	struct fstr individual;      /* the applicant, when a person */
	struct fdate submitted;
	struct fstr recommender;
	struct stage_result *stages;
	size_t nstages;
	struct json_pos stages_pos;
	struct fdate withdrawn;      /* DATE_NONE: not withdrawn */
	bool has_result, awarded;
	struct json_pos result_pos;
	struct fstr result_tier, certificate;
	struct fdate result_date;
	struct fint prize;
	struct round *res_round;
	struct organization *res_org;
	struct individual *res_ind;
	const struct tier *res_tier, *res_result_tier;
	struct revocation *res_revoked; /* a revocation of its award */
};

struct notice_entry {
	struct fstr application, tier;
	struct application *res_app;
};

struct notice {
	const char *path;
	struct fstr id, round, revocation;
	const char *title;           /* short: lists and feeds show it */
	enum notice_kind kind;
	struct json_pos kind_pos;
	struct fdate issued, start, end; /* start/end: DATE_NONE without period */
	struct json_pos period_pos;
	struct notice_entry *entries;
	size_t nentries;
	struct round *res_round;
};

enum objection_status { OBJ_UNDER_REVIEW, OBJ_DECIDED, OBJ_WITHDRAWN };
enum objection_outcome { OUT_NONE, OUT_UPHELD, OUT_REJECTED };

struct objection {
	const char *path;
	struct fstr id, notice, application;
	struct fstr stage;           /* the review work objected to, or NULL */
	bool by_organization;
	struct fdate received, decided, examined;
	enum objection_status status;
	struct json_pos status_pos;
	enum objection_outcome outcome;
	struct json_pos outcome_pos;
	unsigned identity;           /* identity fields present under private */
	struct json_pos identity_pos; /* of "private", or the object */
	bool has_evidence;           /* private.evidence is a non-empty string */
	struct notice *res_notice;
	struct application *res_app;
};

struct revocation {
	const char *path;
	struct fstr id, application, ground;
	struct fdate event, decided, ban_until;
	struct application *res_app;
	const struct ground *res_ground;
};

/* What the text of a template (gongshi new, gongshi init) still to be
 * written begins with: 【待填写：what belongs there】.  A string holding
 * it is reported wherever it stands ("placeholder"): a warning for
 * check and previews, an error for a build that publishes. */
#define RECORD_PLACEHOLDER "【待填写"

/* An override the office recorded in a record file ("lapses"): it knows
 * the file breaks rule, publishes it anyway, and says why.  A build
 * refuses a commit that newly breaks a rule unless the file names it
 * here (see check.h, check_classify); the pages show the reason. */
struct record_lapse {
	const char *path;            /* the file that carries it */
	const char *rule;            /* a rule id, e.g. "notice-period" */
	const char *reason;          /* public: shown on the record's page */
	struct json_pos pos;         /* of its object */
};

struct record {
	struct program *programs;           size_t nprograms;
	struct organization *organizations; size_t norganizations;
	struct round *rounds;               size_t nrounds;
	struct application *applications;   size_t napplications;
	struct notice *notices;             size_t nnotices;
	struct objection *objections;       size_t nobjections;
	struct revocation *revocations;     size_t nrevocations;
	struct individual *individuals;     size_t nindividuals;
	struct calendar calendar;
	struct record_lapse *lapses;        size_t nlapses; /* in file order */
	size_t nfiles;                      /* files read */
	struct arena arena;                 /* owns every string and array */
};

#define RECORD_INIT { 0 }

/*
 * Loads every record file of src.  Problems in the record become
 * diagnostics in d (the record is still loaded as far as it can be, so
 * one run reports everything); the return value is 0, or < 0 for a
 * failure to read (ERR_GIT, ERR_IO, ERR_NOMEM).
 */
int record_load(struct record *r, const struct source *src, struct diags *d);

struct program *record_find_program(const struct record *r, const char *id);
struct organization *record_find_organization(const struct record *r, const char *id);
struct round *record_find_round(const struct record *r, const char *id);
struct application *record_find_application(const struct record *r, const char *id);
struct notice *record_find_notice(const struct record *r, const char *id);
struct objection *record_find_objection(const struct record *r, const char *id);
struct revocation *record_find_revocation(const struct record *r, const char *id);
struct individual *record_find_individual(const struct record *r, const char *id);

/* The applicant's id (a credit code or an individual's id), and whether
 * two applications have the same applicant. */
const char *application_applicant(const struct application *a);
bool application_same_applicant(const struct application *a, const struct application *b);

const struct tier *program_find_tier(const struct program *p, const char *id);
const struct ground *program_find_ground(const struct program *p, const char *id);
/* Index of stage id in the procedure, or -1. */
int program_stage_index(const struct program *p, const char *id);
const struct notice_rule *program_notice_rule(const struct program *p, enum notice_kind k);

/* The override of rule recorded in the file at path, or NULL. */
const struct record_lapse *record_find_lapse(const struct record *r, const char *path, const char *rule);
/* The kind of awardee an application is for. */
enum awardee_kind application_awardee(const struct application *a);
/* Whether an awarded application counts toward cap g. */
bool group_cap_counts(const struct group_cap *g, const struct application *a);

void record_release(struct record *r);

#endif

/* record.c - loading and linking the record (see record.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "array.h"
#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "resid.h"
#include "uscc.h"

/* ---- kinds ---- */

static const char *const kind_dirs[KIND_COUNT] = {
	"programs", "organizations", "rounds", "applications",
	"notices", "objections", "revocations", "individuals", "calendars", "content"
};
static const char *const kind_schemas[KIND_COUNT] = {
	"program.schema.json", "organization.schema.json", "round.schema.json",
	"application.schema.json", "notice.schema.json", "objection.schema.json",
	"revocation.schema.json", "individual.schema.json", "calendar.schema.json"
};
static const char *const notice_kinds[NOTICE_KIND_COUNT] = {
	"county_list", "acceptance_list", "proposed_winners", "result", "revocation"
};
static const char *const notice_kinds_zh[NOTICE_KIND_COUNT] = {
	"县（区）申报公示", "受理名单公示", "拟获奖名单公示", "获奖公告", "撤销公告"
};
static const char *const identity_names[ID_COUNT] = {
	"name", "phone", "address", "id_document", "seal"
};

const char *record_kind_dir(enum record_kind k) { return k < KIND_COUNT ? kind_dirs[k] : NULL; }
const char *record_kind_schema(enum record_kind k) { return k < KIND_COUNT ? kind_schemas[k] : NULL; }
const char *notice_kind_name(enum notice_kind k) { return notice_kinds[k]; }
const char *notice_kind_zh(enum notice_kind k) { return notice_kinds_zh[k]; }
const char *identity_field_name(enum identity_field f) { return identity_names[f]; }

static int lookup_name(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; s && i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

enum record_kind record_kind_of_path(const char *path)
{
	const char *p, *slash;
	size_t len;
	int k;

	/* hidden files and folders (editors' backups, tools' state) hold no record */
	if (strncmp(path, SOURCE_ROOT "/", sizeof(SOURCE_ROOT)) || strstr(path, "/."))
		return KIND_NONE;
	p = path + sizeof(SOURCE_ROOT);
	if (!(slash = strchr(p, '/')))
		return KIND_NONE;
	len = strlen(path);
	if (len < 5 || strcmp(path + len - 5, ".json"))
		return KIND_NONE;
	for (k = 0; k < KIND_CONTENT; k++)
		if ((size_t)(slash - p) == strlen(kind_dirs[k]) &&
		    !memcmp(p, kind_dirs[k], (size_t)(slash - p)))
			return (enum record_kind)k;
	return KIND_NONE;
}

/* ---- loading ---- */

/* Growable arrays during loading; moved into the record at the end. */
struct loader {
	struct record *r;
	const struct json_doc *doc;
	const char *path;
	struct diags *d;
	int error;                /* sticky: the first allocation failure */
	void *arr[KIND_COUNT];
	size_t cap[KIND_COUNT];
	size_t lapses_cap;
};

static const size_t kind_size[KIND_COUNT] = {
	sizeof(struct program), sizeof(struct organization), sizeof(struct round),
	sizeof(struct application), sizeof(struct notice), sizeof(struct objection),
	sizeof(struct revocation), sizeof(struct individual), 0
};

static size_t *kind_count(struct record *r, enum record_kind k)
{
	switch (k) {
	case KIND_PROGRAM: return &r->nprograms;
	case KIND_ORGANIZATION: return &r->norganizations;
	case KIND_ROUND: return &r->nrounds;
	case KIND_APPLICATION: return &r->napplications;
	case KIND_NOTICE: return &r->nnotices;
	case KIND_OBJECTION: return &r->nobjections;
	case KIND_REVOCATION: return &r->nrevocations;
	case KIND_INDIVIDUAL: return &r->nindividuals;
	default: return NULL;
	}
}

static void *new_entity(struct loader *L, enum record_kind k)
{
	size_t *n = kind_count(L->r, k);
	char *a;

	if (!(a = array_grow(L->arr[k], &L->cap[k], *n + 1, kind_size[k]))) {
		L->error = error_nomem();
		return NULL;
	}
	L->arr[k] = a;
	a = (char *)L->arr[k] + (*n)++ * kind_size[k];
	memset(a, 0, kind_size[k]);
	return a;
}

static const char *intern(struct loader *L, const char *s)
{
	char *p = arena_strdup(&L->r->arena, s);

	if (!p)
		L->error = error_nomem();
	return p;
}

static void *alloc_array(struct loader *L, size_t n, size_t size)
{
	void *p;

	if (!n)
		return NULL;
	if (!(p = arena_calloc(&L->r->arena, n, size)))
		L->error = error_nomem();
	return p;
}

static struct json_pos pos_of(struct loader *L, const cJSON *v)
{
	return json_value_pos(L->doc, v);
}

static const char *str(struct loader *L, const cJSON *obj, const char *key)
{
	const char *s = json_get_string(obj, key);

	return s ? intern(L, s) : NULL;
}

static void get_str(struct loader *L, const cJSON *obj, const char *key, struct fstr *out)
{
	const cJSON *v = json_get(obj, key);

	out->v = cJSON_IsString(v) ? intern(L, v->valuestring) : NULL;
	out->pos = pos_of(L, v ? v : obj);
}

static void get_date(struct loader *L, const cJSON *obj, const char *key, struct fdate *out)
{
	const cJSON *v = json_get(obj, key);

	out->v = DATE_NONE;
	if (!cJSON_IsString(v) || date_parse(v->valuestring, &out->v) < 0)
		out->v = DATE_NONE;
	out->pos = pos_of(L, v ? v : obj);
}

static date_t date_of(const cJSON *obj, const char *key)
{
	const char *s = json_get_string(obj, key);
	date_t t;

	return s && date_parse(s, &t) == 0 ? t : DATE_NONE;
}

static void get_int(struct loader *L, const cJSON *obj, const char *key, struct fint *out)
{
	const cJSON *v = json_get(obj, key);

	/* out of any sane range (the schema says so) is as good as absent:
	 * casting 1e300 to long is undefined, and LONG_MIN overflows later */
	out->set = cJSON_IsNumber(v) && v->valuedouble >= -1e9 && v->valuedouble <= 1e9;
	out->v = out->set ? (long)v->valuedouble : 0;
	out->pos = pos_of(L, v ? v : obj);
}

static long int_of(const cJSON *obj, const char *key, long dflt)
{
	const cJSON *v = json_get(obj, key);

	return cJSON_IsNumber(v) && v->valuedouble >= -1e9 && v->valuedouble <= 1e9 ? (long)v->valuedouble : dflt;
}

static bool bool_of(const cJSON *obj, const char *key)
{
	return cJSON_IsTrue(json_get(obj, key));
}

static const char **strings_of(struct loader *L, const cJSON *arr, size_t *n)
{
	const cJSON *x;
	const char **v;
	size_t i = 0;

	*n = 0;
	if (!(v = alloc_array(L, (size_t)cJSON_GetArraySize(arr), sizeof(*v))))
		return NULL;
	cJSON_ArrayForEach(x, arr)
		if (cJSON_IsString(x))
			v[i++] = intern(L, x->valuestring);
	*n = i;
	return v;
}

static int kind_index(const char *const *names, int n, const cJSON *v)
{
	return cJSON_IsString(v) ? lookup_name(names, n, v->valuestring) : -1;
}

/* Who may apply for a tier (awardees) and what a person needs (eligibility.individual). */
static void load_awardees(struct loader *L, struct tier *t, const cJSON *aw, const cJSON *ind)
{
	const cJSON *k;

	t->for_organizations = !aw; /* organizations alone, as before individuals */
	cJSON_ArrayForEach(k, json_get(aw, "kinds")) {
		if (cJSON_IsString(k) && !strcmp(k->valuestring, "organization"))
			t->for_organizations = true;
		else if (cJSON_IsString(k) && !strcmp(k->valuestring, "individual"))
			t->for_individuals = true;
	}
	t->awardees_article = str(L, aw, "article");
	t->individual_min_years = int_of(ind, "min_years_quality_work", 0);
	t->individual_article = str(L, ind, "article");
}

static void load_group_caps(struct loader *L, struct program *p, const cJSON *x)
{
	static const char *const awardees[] = { "organization", "individual" };
	const cJSON *obj;

	p->caps = alloc_array(L, (size_t)cJSON_GetArraySize(x), sizeof(*p->caps));
	cJSON_ArrayForEach(obj, x) {
		struct group_cap *g = &p->caps[p->ncaps++];
		const char *s = json_get_string(obj, "strength");
		int k = kind_index(awardees, 2, json_get(obj, "awardees"));
		g->pos = pos_of(L, obj);
		g->name = str(L, obj, "name");
		if (json_get(obj, "tiers"))
			g->tiers = strings_of(L, json_get(obj, "tiers"), &g->ntiers);
		g->awardees = k < 0 ? AWARDEE_ANY : k ? AWARDEE_INDIVIDUAL : AWARDEE_ORGANIZATION;
		g->max = int_of(obj, "max", 0);
		g->soft = s && !strcmp(s, "in_principle");
		g->article = str(L, obj, "article");
	}
}

/* Eligibility, exceptions and time limits beyond the tiers (issue 17). */
static void load_program_gates(struct loader *L, const cJSON *o, struct program *p)
{
	const cJSON *x;

	if ((x = json_get(o, "registration"))) {
		p->divisions = strings_of(L, json_get(x, "divisions"), &p->ndivisions);
		p->divisions_article = str(L, x, "article");
	}
	p->vacancy_article = str(L, json_get(o, "vacancy"), "article");
	if ((x = json_get(json_get(o, "cadence"), "off_cycle"))) {
		p->off_cycle_by = str(L, x, "approved_by");
		p->off_cycle_article = str(L, x, "article");
	}
	p->recommendation_article = str(L, json_get(o, "recommendation"), "article");
	if ((x = json_get(o, "fraud_bar"))) {
		p->fraud_bar_years = int_of(x, "years", 0);
		p->fraud_bar_article = str(L, x, "article");
	}
	x = json_get(json_get(json_get(o, "objections"), "decision"), "action");
	p->decision_examine = cJSON_IsString(x) && !strcmp(x->valuestring, "examine");
}

static void load_program(struct loader *L, const cJSON *o)
{
	struct program *p = new_entity(L, KIND_PROGRAM);
	const cJSON *m = json_get(o, "measures"), *c = json_get(o, "cadence");
	const cJSON *proc = json_get(o, "procedure"), *x, *obj, *id;
	static const char *const units[] = { "days", "working_days" };
	size_t i;

	if (!p)
		return;
	p->path = L->path;
	get_str(L, o, "id", &p->id);
	p->name = str(L, o, "name");
	p->authority = str(L, o, "authority");
	p->office = str(L, o, "office");
	p->measures.title = str(L, m, "title");
	p->measures.document_number = str(L, m, "document_number");
	p->measures.issuer = str(L, m, "issuer");
	p->measures.status = str(L, m, "status");
	p->measures.status_article = str(L, m, "status_article");
	p->measures.valid_article = str(L, m, "valid_article");
	get_str(L, m, "text", &p->measures.text);
	p->measures.issued = date_of(m, "issued");
	p->measures.effective = date_of(m, "effective");
	p->measures.repealed = date_of(m, "repealed");
	p->measures.valid_years = int_of(m, "valid_years", 0);
	p->cadence_yearly = !strcmp(json_get_string(c, "unit") ? json_get_string(c, "unit") : "", "year");
	p->cadence_every = int_of(c, "every", 1);
	p->cadence_article = str(L, c, "article");
	p->procedure_article = str(L, proc, "article");

	x = json_get(proc, "stages");
	p->stages = alloc_array(L, (size_t)cJSON_GetArraySize(x), sizeof(*p->stages));
	cJSON_ArrayForEach(obj, x) {
		struct stage_def *s = &p->stages[p->nstages++];
		const cJSON *gate = json_get(obj, "after_notice");
		int k = kind_index(notice_kinds, NOTICE_KIND_COUNT, json_get(gate, "kind"));
		s->id = str(L, obj, "id");
		s->name = str(L, obj, "name");
		s->pos = pos_of(L, obj);
		s->has_gate = k >= 0;
		s->gate = k >= 0 ? (enum notice_kind)k : NOTICE_ACCEPTANCE_LIST;
		s->gate_article = str(L, gate, "article");
	}
	x = json_get(o, "tiers");
	p->tiers = alloc_array(L, (size_t)cJSON_GetArraySize(x), sizeof(*p->tiers));
	cJSON_ArrayForEach(obj, x) {
		struct tier *t = &p->tiers[p->ntiers++];
		const cJSON *cap = json_get(obj, "cap"), *pr = json_get(obj, "prize");
		const cJSON *el = json_get(obj, "eligibility"), *rs = json_get(obj, "requires_stage");
		const cJSON *va = json_get(obj, "validity"), *rw = json_get(obj, "reapply_wait");
		t->id = str(L, obj, "id");
		t->name = str(L, obj, "name");
		t->pos = pos_of(L, obj);
		t->cap = int_of(cap, "max", -1);
		t->cap_soft = !strcmp(json_get_string(cap, "strength") ? json_get_string(cap, "strength") : "",
				      "in_principle");
		t->cap_article = str(L, cap, "article");
		t->prize_yuan = int_of(pr, "yuan", -1);
		t->individual_yuan = int_of(pr, "individual_yuan", -1);
		t->repeat_yuan = int_of(pr, "repeat_yuan", -1);
		t->prize_article = str(L, pr, "article");
		t->repeat_article = str(L, pr, "repeat_article");
		t->prize_items = strings_of(L, json_get(pr, "items"), &t->nprize_items);
		t->min_years = int_of(el, "min_operating_years", 0);
		t->eligibility_article = str(L, el, "article");
		load_awardees(L, t, json_get(obj, "awardees"), json_get(el, "individual"));
		t->requires_stage = str(L, rs, "stage");
		t->requires_article = str(L, rs, "article");
		t->validity_years = int_of(va, "years", 0);
		t->validity_then = str(L, va, "then");
		t->validity_article = str(L, va, "article");
		t->reapply_years = int_of(rw, "years", 0);
		t->reapply_article = str(L, rw, "article");
	}
	load_group_caps(L, p, json_get(o, "caps"));
	x = json_get(o, "notices");
	p->notice_rules = alloc_array(L, (size_t)cJSON_GetArraySize(x), sizeof(*p->notice_rules));
	cJSON_ArrayForEach(obj, x) {
		struct notice_rule *nr = &p->notice_rules[p->nnotice_rules];
		int k = kind_index(notice_kinds, NOTICE_KIND_COUNT, json_get(obj, "kind"));
		int u = kind_index(units, 2, json_get(obj, "unit"));
		if (k < 0)
			continue;
		nr->kind = (enum notice_kind)k;
		nr->pos = pos_of(L, obj);
		nr->required = bool_of(obj, "required");
		nr->has_unit = u >= 0;
		nr->unit = u > 0 ? UNIT_WORKING_DAYS : UNIT_DAYS;
		nr->min = int_of(obj, "min", 0);
		nr->max = int_of(obj, "max", 0);
		nr->article = str(L, obj, "article");
		p->nnotice_rules++;
	}
	x = json_get(o, "objections");
	p->upheld_article = str(L, x, "upheld_article");
	p->window_article = str(L, json_get(x, "within_period"), "article");
	p->evidence_article = str(L, json_get(x, "evidence"), "article");
	p->review_work_article = str(L, json_get(x, "review_work"), "article");
	if ((obj = json_get(x, "identity"))) {
		const char *who[2] = { "individual", "organization" };
		for (i = 0; i < 2; i++)
			cJSON_ArrayForEach(id, json_get(obj, who[i])) {
				int f = kind_index(identity_names, ID_COUNT, id);
				if (f >= 0)
					p->identity[i] |= 1u << f;
			}
		p->identity_article = str(L, obj, "article");
	}
	if ((obj = json_get(x, "decision"))) {
		p->has_decision = true;
		p->decision_within = int_of(obj, "within", 0);
		p->decision_unit = kind_index(units, 2, json_get(obj, "unit")) > 0
				   ? UNIT_WORKING_DAYS : UNIT_DAYS;
		p->decision_article = str(L, obj, "article");
	}
	x = json_get(json_get(o, "revocation"), "grounds");
	p->grounds = alloc_array(L, (size_t)cJSON_GetArraySize(x), sizeof(*p->grounds));
	cJSON_ArrayForEach(obj, x) {
		struct ground *g = &p->grounds[p->ngrounds++];
		g->id = str(L, obj, "id");
		g->name = str(L, obj, "name");
		g->pos = pos_of(L, obj);
		g->requires_award = bool_of(obj, "requires_award");
		g->announce = bool_of(obj, "announce");
		g->within_years = int_of(obj, "within_years_of_award", 0);
		g->ban_years = int_of(obj, "ban_years", 0);
		g->recover = strings_of(L, json_get(obj, "recover"), &g->nrecover);
		g->article = str(L, obj, "article");
		g->fraud = bool_of(obj, "fraud");
	}
	load_program_gates(L, o, p);
}

static void load_organization(struct loader *L, const cJSON *o)
{
	struct organization *g = new_entity(L, KIND_ORGANIZATION);

	if (!g)
		return;
	g->path = L->path;
	get_str(L, o, "id", &g->id);
	g->name = str(L, o, "name");
	get_date(L, o, "established", &g->established);
}

/* Whether id holds a run of 6 or more digits of s: an id made from an ID
 * number or a phone number would publish it in every URL. */
static bool id_exposes(const char *id, const char *s)
{
	size_t i, j, n;

	for (i = 0; s && s[i]; i++)
		for (j = 0; id[j]; j++) {
			for (n = 0; s[i + n] && id[j + n] && s[i + n] >= '0' && s[i + n] <= '9' &&
				    s[i + n] == id[j + n]; n++)
				;
			if (n >= 6)
				return true;
		}
	return false;
}

/* The private part of an individual is checked, never quoted: a message
 * names the field, not its value. */
static void check_individual_private(struct loader *L, const struct individual *p, const cJSON *priv)
{
	static const char *const problem[] = {
		NULL,
		"is not a citizen's identity number (公民身份号码): 17 digits, then a digit or X",
		"does not hold a real date of birth in characters 7 to 14",
		"has the wrong check character (GB 11643-1999)"
	};
	static const char *const exposing[] = { "id_number", "phone" };
	const cJSON *v = json_get(priv, "id_number");
	enum resid_problem e;
	size_t i;

	/* a placeholder is reported as one (placeholders_scan), not as a bad number */
	if (cJSON_IsString(v) && !strstr(v->valuestring, RECORD_PLACEHOLDER) &&
	    (e = resid_check(v->valuestring)) != RESID_OK) {
		struct json_pos pos = pos_of(L, v);
		if (diags_add(L->d, DIAG_ERROR, L->path, pos.line, pos.col, "resident-id",
			      "private.id_number %s; the number is not shown", problem[e]) < 0)
			L->error = error_nomem();
	}
	for (i = 0; p->id.v && i < 2; i++) {
		v = json_get(priv, exposing[i]);
		if (cJSON_IsString(v) && id_exposes(p->id.v, v->valuestring) &&
		    diags_add(L->d, DIAG_ERROR, L->path, p->id.pos.line, p->id.pos.col, "individual-id",
			      "the id repeats digits of private.%s, and ids are published in URLs; "
			      "choose an id that says nothing private (rename the file with it)", exposing[i]) < 0)
			L->error = error_nomem();
	}
}

static void load_individual(struct loader *L, const cJSON *o)
{
	struct individual *p = new_entity(L, KIND_INDIVIDUAL);
	const cJSON *priv = json_get(o, "private");

	if (!p)
		return;
	p->path = L->path;
	get_str(L, o, "id", &p->id);
	p->name = str(L, o, "name");
	get_str(L, o, "employer_organization", &p->employer);
	get_date(L, priv ? priv : o, "quality_work_since", &p->work_since);
	if (!json_get(priv, "quality_work_since"))
		p->work_since.v = DATE_NONE;
	check_individual_private(L, p, priv);
}

static void load_round(struct loader *L, const cJSON *o)
{
	struct round *r = new_entity(L, KIND_ROUND);
	const cJSON *x, *s;

	if (!r)
		return;
	r->path = L->path;
	get_str(L, o, "id", &r->id);
	get_str(L, o, "program", &r->program);
	r->name = str(L, o, "name");
	get_int(L, o, "year", &r->year);
	x = json_get(o, "applications");
	get_date(L, x ? x : o, "start", &r->apps_start);
	get_date(L, x ? x : o, "end", &r->apps_end);
	x = json_get(o, "call");
	get_date(L, x ? x : o, "published", &r->call_published);
	x = json_get(o, "approval");
	get_date(L, x ? x : o, "date", &r->approval);
	if (!x)
		r->approval.v = DATE_NONE;
	if (!json_get(o, "call"))
		r->call_published.v = DATE_NONE;
	r->cancelled = json_get(o, "cancelled") != NULL;
	r->cap_reason = str(L, json_get(o, "cap_exceeded"), "reason");
	get_str(L, json_get(o, "approval") ? json_get(o, "approval") : o, "authority", &r->approval_authority);
	x = json_get(o, "vacant");
	r->vacant = cJSON_IsTrue(x);
	r->vacant_pos = pos_of(L, x ? x : o);
	x = json_get(o, "off_cycle");
	get_str(L, x ? x : o, "approved_by", &r->off_cycle_by);
	get_str(L, x ? x : o, "document_number", &r->off_cycle_ref);
	if (!x)
		r->off_cycle_by.v = r->off_cycle_ref.v = NULL;
	x = json_get(o, "schedule");
	r->schedule = alloc_array(L, (size_t)cJSON_GetArraySize(x), sizeof(*r->schedule));
	cJSON_ArrayForEach(s, x) {
		struct schedule_item *it = &r->schedule[r->nschedule++];
		get_str(L, s, "stage", &it->stage);
		get_date(L, s, "start", &it->start);
		get_date(L, s, "end", &it->end);
	}
}

static void load_application(struct loader *L, const cJSON *o)
{
	struct application *a = new_entity(L, KIND_APPLICATION);
	const cJSON *x, *s;

	if (!a)
		return;
	a->path = L->path;
	get_str(L, o, "id", &a->id);
	get_str(L, o, "round", &a->round);
	get_str(L, o, "organization", &a->organization);
	get_str(L, o, "individual", &a->individual);
	get_str(L, o, "tier", &a->tier);
	get_date(L, o, "submitted", &a->submitted);
	get_str(L, o, "recommender", &a->recommender);
	x = json_get(o, "stages");
	a->stages_pos = pos_of(L, x ? x : o);
	a->stages = alloc_array(L, (size_t)cJSON_GetArraySize(x), sizeof(*a->stages));
	cJSON_ArrayForEach(s, x) {
		struct stage_result *st = &a->stages[a->nstages++];
		const char *out = json_get_string(s, "outcome");
		get_str(L, s, "stage", &st->stage);
		st->passed = out && !strcmp(out, "passed");
		get_date(L, s, "date", &st->date);
	}
	x = json_get(o, "withdrawn");
	get_date(L, x ? x : o, "date", &a->withdrawn);
	if (!x)
		a->withdrawn.v = DATE_NONE;
	x = json_get(o, "result");
	a->has_result = x != NULL;
	a->result_pos = pos_of(L, x ? x : o);
	if (x) {
		const char *out = json_get_string(x, "outcome");
		a->awarded = out && !strcmp(out, "awarded");
		get_str(L, x, "tier", &a->result_tier);
		get_str(L, x, "certificate", &a->certificate);
		get_date(L, x, "date", &a->result_date);
		get_int(L, x, "prize_yuan", &a->prize);
	} else {
		a->result_tier.pos = a->certificate.pos = a->result_pos;
		a->result_date.v = DATE_NONE;
		a->result_date.pos = a->prize.pos = a->result_pos;
	}
}

static void load_notice(struct loader *L, const cJSON *o)
{
	struct notice *n = new_entity(L, KIND_NOTICE);
	const cJSON *x, *e;
	int k;

	if (!n)
		return;
	n->path = L->path;
	get_str(L, o, "id", &n->id);
	get_str(L, o, "round", &n->round);
	get_str(L, o, "revocation", &n->revocation);
	n->title = str(L, o, "title");
	x = json_get(o, "kind");
	k = kind_index(notice_kinds, NOTICE_KIND_COUNT, x);
	n->kind = k < 0 ? NOTICE_RESULT : (enum notice_kind)k;
	n->kind_pos = pos_of(L, x ? x : o);
	get_date(L, o, "issued", &n->issued);
	x = json_get(o, "period");
	n->period_pos = pos_of(L, x ? x : o);
	get_date(L, x ? x : o, "start", &n->start);
	get_date(L, x ? x : o, "end", &n->end);
	if (!x)
		n->start.v = n->end.v = DATE_NONE;
	x = json_get(o, "entries");
	n->entries = alloc_array(L, (size_t)cJSON_GetArraySize(x), sizeof(*n->entries));
	cJSON_ArrayForEach(e, x) {
		struct notice_entry *ne = &n->entries[n->nentries++];
		get_str(L, e, "application", &ne->application);
		get_str(L, e, "tier", &ne->tier);
	}
}

static void load_objection(struct loader *L, const cJSON *o)
{
	static const char *const statuses[] = { "under_review", "decided", "withdrawn" };
	static const char *const outcomes[] = { "", "upheld", "rejected" };
	struct objection *b = new_entity(L, KIND_OBJECTION);
	const cJSON *x, *priv;
	int i;

	if (!b)
		return;
	b->path = L->path;
	get_str(L, o, "id", &b->id);
	get_str(L, o, "notice", &b->notice);
	get_str(L, o, "application", &b->application);
	get_str(L, o, "stage", &b->stage);
	b->by_organization = !strcmp(json_get_string(o, "objector") ? json_get_string(o, "objector") : "",
				     "organization");
	get_date(L, o, "received", &b->received);
	get_date(L, o, "decided", &b->decided);
	get_date(L, o, "examined", &b->examined);
	x = json_get(o, "status");
	i = kind_index(statuses, 3, x);
	b->status = i < 0 ? OBJ_UNDER_REVIEW : (enum objection_status)i;
	b->status_pos = pos_of(L, x ? x : o);
	x = json_get(o, "outcome");
	i = kind_index(outcomes, 3, x);
	b->outcome = i < 0 ? OUT_NONE : (enum objection_outcome)i;
	b->outcome_pos = pos_of(L, x ? x : o);
	priv = json_get(o, "private");
	b->identity_pos = pos_of(L, priv ? priv : o);
	for (i = 0; priv && i < ID_COUNT; i++) {
		x = json_get(priv, identity_names[i]);
		if ((cJSON_IsString(x) && x->valuestring[0]) || cJSON_IsTrue(x))
			b->identity |= 1u << i;
	}
	x = json_get(priv, "evidence");
	b->has_evidence = cJSON_IsString(x) && x->valuestring[0];
}

static void load_revocation(struct loader *L, const cJSON *o)
{
	struct revocation *v = new_entity(L, KIND_REVOCATION);

	if (!v)
		return;
	v->path = L->path;
	get_str(L, o, "id", &v->id);
	get_str(L, o, "application", &v->application);
	get_str(L, o, "ground", &v->ground);
	get_date(L, o, "event", &v->event);
	get_date(L, o, "decided", &v->decided);
	get_date(L, o, "ban_until", &v->ban_until);
}

static int load_calendar(struct loader *L, const cJSON *o, const char *stem)
{
	const cJSON *year = json_get(o, "year"), *day;
	struct calendar *c = &L->r->calendar;
	int error;

	if (!cJSON_IsNumber(year))
		return 0;
	if (atoi(stem) != year->valueint || strlen(stem) != 4) {
		struct json_pos p = pos_of(L, year);
		return diags_add(L->d, DIAG_ERROR, L->path, p.line, p.col, "calendar-year",
				 "calendar for %d is in a file named %s.json; name it %d.json",
				 year->valueint, stem, year->valueint);
	}
	if ((error = calendar_add_year(c, year->valueint)) < 0)
		return error == ERR_NOMEM ? error : 0; /* out of range: the schema said so */
	cJSON_ArrayForEach(day, json_get(o, "days")) {
		date_t t = date_of(day, "date");
		const cJSON *off = json_get(day, "isOffDay");
		int y = t == DATE_NONE ? 0 : date_year(t);
		if (t == DATE_NONE || !cJSON_IsBool(off))
			continue;
		if (y < year->valueint - 1 || y > year->valueint + 1) {
			struct json_pos p = pos_of(L, json_get(day, "date"));
			if ((error = diags_add(L->d, DIAG_ERROR, L->path, p.line, p.col, "calendar-year",
					       "day %s is not in or next to %d", json_get_string(day, "date"),
					       year->valueint)) < 0)
				return error;
			continue;
		}
		if ((error = calendar_set_day(c, t, cJSON_IsTrue(off))) < 0)
			return error;
	}
	return 0;
}

static void load_lapses(struct loader *L, const cJSON *o)
{
	const cJSON *x = json_get(o, "lapses"), *e;
	struct record *r = L->r;

	cJSON_ArrayForEach(e, x) {
		struct record_lapse *l;
		if (!json_get_string(e, "rule") || !json_get_string(e, "reason"))
			continue; /* the schema reported it */
		if (r->nlapses == L->lapses_cap) {
			size_t cap = L->lapses_cap ? L->lapses_cap * 2 : 16;
			if (!(l = realloc(r->lapses, cap * sizeof(*l)))) {
				L->error = error_nomem();
				return;
			}
			r->lapses = l;
			L->lapses_cap = cap;
		}
		l = &r->lapses[r->nlapses];
		l->path = L->path;
		l->rule = str(L, e, "rule");
		l->reason = str(L, e, "reason");
		l->pos = pos_of(L, e);
		if (l->rule && l->reason)
			r->nlapses++;
	}
}

const struct record_lapse *record_find_lapse(const struct record *r, const char *path, const char *rule)
{
	size_t i;

	for (i = 0; i < r->nlapses; i++)
		if (!strcmp(r->lapses[i].path, path) && !strcmp(r->lapses[i].rule, rule))
			return &r->lapses[i];
	return NULL;
}

static bool id_ok(enum record_kind k, const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (!n || n > 64)
		return false;
	if (k == KIND_ORGANIZATION)
		return uscc_well_formed(s);
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      (c == '-' && i && i + 1 < n && s[i + 1] != '-')))
			return false;
	}
	return true;
}

/*
 * Each string under node still holding RECORD_PLACEHOLDER, as a warning
 * at its position (a build that publishes makes it an error, cmd.c).
 * The message names the field by its JSON pointer and never quotes the
 * string: an editor may have typed a private value beside the mark.
 */
static int placeholders_scan(const struct json_doc *doc, const char *path, const cJSON *node, struct buf *ptr,
			     struct diags *d)
{
	const cJSON *c;
	size_t len = ptr->len, i = 0;
	int error = 0;

	if (cJSON_IsString(node) && strstr(node->valuestring, RECORD_PLACEHOLDER)) {
		struct json_pos p = json_value_pos(doc, node);
		return diags_add(d, DIAG_WARNING, path, p.line, p.col, "placeholder",
				 "%s still holds the placeholder " RECORD_PLACEHOLDER "…】 that gongshi new wrote: "
				 "fill it in (a preview shows it; a build that publishes refuses it)",
				 ptr->len ? buf_cstr(ptr) : "the file");
	}
	cJSON_ArrayForEach(c, node) {
		if (cJSON_IsObject(node))
			error = buf_printf(ptr, "/%s", c->string);
		else
			error = buf_printf(ptr, "/%zu", i);
		if (error < 0 || (error = placeholders_scan(doc, path, c, ptr, d)) < 0)
			return error;
		ptr->len = len;
		buf_cstr(ptr);
		i++;
	}
	return 0;
}

static int load_file(struct loader *L, const struct source *src, size_t i,
		     const struct schema_set *schemas, struct buf *data)
{
	const struct source_entry *e = &src->v[i];
	enum record_kind k = record_kind_of_path(e->path);
	struct json_doc doc = JSON_DOC_INIT;
	const char *base, *id;
	char stem[256];
	uint64_t size;
	size_t blen;
	int error;

	/* Hidden files and folders (editors' backups, tools' state) are
	 * not part of the record. */
	if (strstr(e->path, "/."))
		return 0;
	if (k == KIND_NONE && strncmp(e->path, SOURCE_ROOT "/", sizeof(SOURCE_ROOT)))
		return 0; /* content/, themes/: not the record */
	if (k == KIND_NONE) {
		const char *p = e->path + sizeof(SOURCE_ROOT);
		size_t len = strlen(e->path);
		/* Only .json files outside any record folder are suspicious;
		 * strcasecmp: data/notices/x.JSON is a slip, not a choice. */
		if (len > 5 && strcmp(e->path + len - 5, ".json") && !strcasecmp(e->path + len - 5, ".json"))
			return diags_add(L->d, DIAG_WARNING, e->path, 1, 1, "unknown-file",
					 "record files end in \".json\", in lower case; ignored");
		if (len > 5 && !strcmp(e->path + len - 5, ".json") && strncmp(p, "schema/", 7))
			return diags_add(L->d, DIAG_WARNING, e->path, 1, 1, "unknown-file",
					 "not in a record folder (programs, organizations, rounds, "
					 "applications, notices, objections, revocations, calendars); ignored");
		return 0;
	}
	if (!(L->path = intern(L, e->path)))
		return L->error;
	if (e->link)
		return diags_add(L->d, DIAG_WARNING, e->path, 1, 1, "symlink",
				 "a symbolic link or submodule, not a file; ignored");
	if ((error = source_read(src, i, JSON_MAX_BYTES, data, &size)) < 0)
		return error;
	L->r->nfiles++;
	if (size > JSON_MAX_BYTES)
		return diags_add(L->d, DIAG_ERROR, e->path, 1, 1, "file-size",
				 "file is %llu bytes; a record file may be at most %d bytes",
				 (unsigned long long)size, JSON_MAX_BYTES);
	if ((error = json_parse(&doc, e->path, data->ptr ? data->ptr : "", data->len, L->d)) != 0)
		return error < 0 ? error : 0;
	{
		struct buf ptr = BUF_INIT;
		error = placeholders_scan(&doc, e->path, doc.root, &ptr, L->d);
		buf_release(&ptr);
		if (error < 0)
			goto done;
	}
	if ((error = schema_validate(schemas, kind_schemas[k], &doc, e->path, L->d)) < 0)
		goto done;
	base = strrchr(e->path, '/') + 1;
	blen = strlen(base) - 5;
	snprintf(stem, sizeof(stem), "%.*s", (int)(blen < sizeof(stem) ? blen : sizeof(stem) - 1), base);
	L->doc = &doc;
	if (k == KIND_CALENDAR) {
		error = load_calendar(L, doc.root, stem);
		goto done;
	}
	id = json_get_string(doc.root, "id");
	if (!cJSON_IsObject(doc.root) || !id_ok(k, id))
		goto done; /* the schema reported it; nothing to link */
	if (strcmp(id, stem)) {
		struct json_pos p = json_value_pos(&doc, json_get(doc.root, "id"));
		if ((error = diags_add(L->d, DIAG_ERROR, e->path, p.line, p.col, "id-filename",
				       "id \"%s\" does not match the file name %s; rename the file "
				       "to %s.json or correct the id", id, base, id)) < 0)
			goto done;
	}
	switch (k) {
	case KIND_PROGRAM: load_program(L, doc.root); break;
	case KIND_ORGANIZATION: load_organization(L, doc.root); break;
	case KIND_ROUND: load_round(L, doc.root); break;
	case KIND_APPLICATION: load_application(L, doc.root); break;
	case KIND_NOTICE: load_notice(L, doc.root); break;
	case KIND_OBJECTION: load_objection(L, doc.root); break;
	case KIND_REVOCATION: load_revocation(L, doc.root); break;
	case KIND_INDIVIDUAL: load_individual(L, doc.root); break;
	default: break;
	}
	load_lapses(L, doc.root);
	error = L->error;
done:
	L->doc = NULL;
	json_doc_release(&doc);
	return error < 0 ? error : 0;
}

/* ---- sorting, duplicates, lookups ---- */

/* Every entity struct starts with path then id. */
struct head {
	const char *path;
	struct fstr id;
};

static int head_cmp(const void *a, const void *b)
{
	const struct head *x = a, *y = b;
	int c = strcmp(x->id.v, y->id.v);

	return c ? c : strcmp(x->path, y->path);
}

static int dedup(struct loader *L, enum record_kind k)
{
	size_t *n = kind_count(L->r, k), size = kind_size[k], i, j;
	char *a = L->arr[k];
	int error;

	if (!*n)
		return 0;
	qsort(a, *n, size, head_cmp);
	for (i = 1, j = 1; i < *n; i++) {
		struct head *prev = (struct head *)(a + (j - 1) * size);
		struct head *cur = (struct head *)(a + i * size);
		if (!strcmp(prev->id.v, cur->id.v)) {
			if ((error = diags_add(L->d, DIAG_ERROR, cur->path, cur->id.pos.line,
					       cur->id.pos.col, "id-duplicate",
					       "id \"%s\" is already used by %s", cur->id.v,
					       prev->path)) < 0)
				return error;
			continue;
		}
		if (i != j)
			memcpy(a + j * size, cur, size);
		j++;
	}
	*n = j;
	return 0;
}

static void *find(const void *arr, size_t n, size_t size, const char *id)
{
	size_t lo = 0, hi = n;

	while (id && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct head *h = (const struct head *)((const char *)arr + mid * size);
		int c = strcmp(id, h->id.v);
		if (!c)
			return (void *)h;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

#define FINDER(name, type, field)                                            \
	struct type *record_find_##name(const struct record *r, const char *id) \
	{                                                                    \
		return find(r->field, r->n##field, sizeof(struct type), id);  \
	}
FINDER(program, program, programs)
FINDER(organization, organization, organizations)
FINDER(round, round, rounds)
FINDER(application, application, applications)
FINDER(notice, notice, notices)
FINDER(objection, objection, objections)
FINDER(revocation, revocation, revocations)
FINDER(individual, individual, individuals)

const struct tier *program_find_tier(const struct program *p, const char *id)
{
	size_t i;

	for (i = 0; p && id && i < p->ntiers; i++)
		if (p->tiers[i].id && !strcmp(p->tiers[i].id, id))
			return &p->tiers[i];
	return NULL;
}

const struct ground *program_find_ground(const struct program *p, const char *id)
{
	size_t i;

	for (i = 0; p && id && i < p->ngrounds; i++)
		if (p->grounds[i].id && !strcmp(p->grounds[i].id, id))
			return &p->grounds[i];
	return NULL;
}

int program_stage_index(const struct program *p, const char *id)
{
	size_t i;

	for (i = 0; p && id && i < p->nstages; i++)
		if (p->stages[i].id && !strcmp(p->stages[i].id, id))
			return (int)i;
	return -1;
}

const struct notice_rule *program_notice_rule(const struct program *p, enum notice_kind k)
{
	size_t i;

	for (i = 0; p && i < p->nnotice_rules; i++)
		if (p->notice_rules[i].kind == k)
			return &p->notice_rules[i];
	return NULL;
}

const char *application_applicant(const struct application *a)
{
	return a->individual.v ? a->individual.v : a->organization.v;
}

bool application_same_applicant(const struct application *a, const struct application *b)
{
	const char *x = application_applicant(a), *y = application_applicant(b);

	return x && y && !a->individual.v == !b->individual.v && !strcmp(x, y);
}

enum awardee_kind application_awardee(const struct application *a)
{
	return a->individual.v ? AWARDEE_INDIVIDUAL : AWARDEE_ORGANIZATION;
}

bool group_cap_counts(const struct group_cap *g, const struct application *a)
{
	size_t k;

	if (!a->awarded || !a->res_result_tier)
		return false;
	if (g->awardees != AWARDEE_ANY && g->awardees != application_awardee(a))
		return false;
	if (!g->tiers)
		return true;
	for (k = 0; k < g->ntiers; k++)
		if (g->tiers[k] && a->res_result_tier->id && !strcmp(g->tiers[k], a->res_result_tier->id))
			return true;
	return false;
}

/* ---- linking ---- */

static int missing(struct diags *d, const char *path, const struct fstr *f,
		   const char *field, const char *what)
{
	return diags_add(d, DIAG_ERROR, path, f->pos.line, f->pos.col, "reference",
			 "\"%s\" names %s \"%s\", which does not exist", field, what, f->v);
}

static int link_all(struct record *r, struct diags *d)
{
	size_t i, j;
	int error = 0;

	for (i = 0; i < r->nrounds; i++) {
		struct round *x = &r->rounds[i];
		if (!x->program.v)
			continue;
		if (!(x->res_program = record_find_program(r, x->program.v))) {
			if ((error = missing(d, x->path, &x->program, "program", "program")) < 0)
				return error;
			continue;
		}
		for (j = 0; j < x->nschedule; j++) {
			struct fstr *s = &x->schedule[j].stage;
			if (s->v && program_stage_index(x->res_program, s->v) < 0 &&
			    (error = diags_add(d, DIAG_ERROR, x->path, s->pos.line, s->pos.col, "reference",
					       "stage \"%s\" is not in the procedure of program \"%s\"",
					       s->v, x->res_program->id.v)) < 0)
				return error;
		}
	}
	for (i = 0; i < r->nindividuals; i++) {
		struct individual *x = &r->individuals[i];
		if (x->employer.v && !(x->res_employer = record_find_organization(r, x->employer.v)) &&
		    (error = missing(d, x->path, &x->employer, "employer_organization", "organization")) < 0)
			return error;
	}
	for (i = 0; i < r->napplications; i++) {
		struct application *a = &r->applications[i];
		struct program *p = NULL;
		if (a->round.v && !(a->res_round = record_find_round(r, a->round.v)) &&
		    (error = missing(d, a->path, &a->round, "round", "round")) < 0)
			return error;
		if (a->organization.v && !(a->res_org = record_find_organization(r, a->organization.v)) &&
		    (error = missing(d, a->path, &a->organization, "organization", "organization")) < 0)
			return error;
		if (a->individual.v && !(a->res_ind = record_find_individual(r, a->individual.v)) &&
		    (error = missing(d, a->path, &a->individual, "individual", "individual")) < 0)
			return error;
		if (!a->organization.v == !a->individual.v &&
		    (error = diags_add(d, DIAG_ERROR, a->path, a->id.pos.line, a->id.pos.col, "applicant",
				       a->organization.v ? "an application names its applicant once: an "
				       "\"organization\" or an \"individual\", not both"
				       : "an application names its applicant: an \"organization\" "
				       "(credit code) or an \"individual\"")) < 0)
			return error;
		if (!a->res_round || !(p = a->res_round->res_program))
			continue;
		if (a->tier.v && !(a->res_tier = program_find_tier(p, a->tier.v)) &&
		    (error = diags_add(d, DIAG_ERROR, a->path, a->tier.pos.line, a->tier.pos.col, "reference",
				       "program \"%s\" has no tier \"%s\"", p->id.v, a->tier.v)) < 0)
			return error;
		if (a->result_tier.v && !(a->res_result_tier = program_find_tier(p, a->result_tier.v)) &&
		    (error = diags_add(d, DIAG_ERROR, a->path, a->result_tier.pos.line,
				       a->result_tier.pos.col, "reference",
				       "program \"%s\" has no tier \"%s\"", p->id.v, a->result_tier.v)) < 0)
			return error;
		for (j = 0; j < a->nstages; j++) {
			struct fstr *s = &a->stages[j].stage;
			if (s->v && program_stage_index(p, s->v) < 0 &&
			    (error = diags_add(d, DIAG_ERROR, a->path, s->pos.line, s->pos.col, "reference",
					       "stage \"%s\" is not in the procedure of program \"%s\"",
					       s->v, p->id.v)) < 0)
				return error;
		}
	}
	for (i = 0; i < r->nnotices; i++) {
		struct notice *n = &r->notices[i];
		if (n->round.v && !(n->res_round = record_find_round(r, n->round.v)) &&
		    (error = missing(d, n->path, &n->round, "round", "round")) < 0)
			return error;
		if (n->revocation.v && !record_find_revocation(r, n->revocation.v) &&
		    (error = missing(d, n->path, &n->revocation, "revocation", "revocation")) < 0)
			return error;
		if (n->revocation.v && n->kind != NOTICE_REVOCATION &&
		    (error = diags_add(d, DIAG_ERROR, n->path, n->revocation.pos.line, n->revocation.pos.col,
				       "reference", "only a revocation notice names a \"revocation\"; this is a %s",
				       notice_kind_name(n->kind))) < 0)
			return error;
		if (!n->revocation.v && n->kind == NOTICE_REVOCATION &&
		    (error = diags_add(d, DIAG_ERROR, n->path, n->kind_pos.line, n->kind_pos.col,
				       "reference", "a revocation notice names the \"revocation\" it announces")) < 0)
			return error;
		for (j = 0; j < n->nentries; j++) {
			struct notice_entry *e = &n->entries[j];
			if (!e->application.v)
				continue;
			if (!(e->res_app = record_find_application(r, e->application.v))) {
				if ((error = missing(d, n->path, &e->application, "application", "application")) < 0)
					return error;
				continue;
			}
			if (n->res_round && e->res_app->res_round && e->res_app->res_round != n->res_round &&
			    (error = diags_add(d, DIAG_ERROR, n->path, e->application.pos.line,
					       e->application.pos.col, "reference",
					       "application \"%s\" belongs to round \"%s\", not to this notice's round \"%s\"",
					       e->application.v, e->res_app->round.v, n->round.v)) < 0)
				return error;
			if (e->tier.v && n->res_round && n->res_round->res_program &&
			    !program_find_tier(n->res_round->res_program, e->tier.v) &&
			    (error = diags_add(d, DIAG_ERROR, n->path, e->tier.pos.line, e->tier.pos.col,
					       "reference", "program \"%s\" has no tier \"%s\"",
					       n->res_round->res_program->id.v, e->tier.v)) < 0)
				return error;
		}
	}
	for (i = 0; i < r->nobjections; i++) {
		struct objection *b = &r->objections[i];
		if (b->notice.v && !(b->res_notice = record_find_notice(r, b->notice.v)) &&
		    (error = missing(d, b->path, &b->notice, "notice", "notice")) < 0)
			return error;
		if (b->application.v && !(b->res_app = record_find_application(r, b->application.v)) &&
		    (error = missing(d, b->path, &b->application, "application", "application")) < 0)
			return error;
		/* an upheld objection is why an entry leaves its notice: it may
		 * name an entry the notice no longer lists */
		if (b->res_notice && b->res_app && b->outcome != OUT_UPHELD) {
			for (j = 0; j < b->res_notice->nentries; j++)
				if (b->res_notice->entries[j].res_app == b->res_app)
					break;
			if (j == b->res_notice->nentries &&
			    (error = diags_add(d, DIAG_ERROR, b->path, b->application.pos.line,
					       b->application.pos.col, "reference",
					       "application \"%s\" is not an entry of notice \"%s\"",
					       b->application.v, b->notice.v)) < 0)
				return error;
		}
	}
	for (i = 0; i < r->nrevocations; i++) {
		struct revocation *v = &r->revocations[i];
		const struct program *p;
		if (v->application.v && !(v->res_app = record_find_application(r, v->application.v)) &&
		    (error = missing(d, v->path, &v->application, "application", "application")) < 0)
			return error;
		if (!v->res_app || !v->res_app->res_round || !(p = v->res_app->res_round->res_program))
			continue;
		if (v->ground.v && !(v->res_ground = program_find_ground(p, v->ground.v))) {
			struct buf list = BUF_INIT;
			for (j = 0; j < p->ngrounds && error >= 0; j++)
				error = buf_printf(&list, "%s%s", j ? ", " : "", p->grounds[j].id);
			if (error >= 0)
				error = diags_add(d, DIAG_ERROR, v->path, v->ground.pos.line, v->ground.pos.col,
						  "revocation-ground",
						  "program \"%s\" has no revocation ground \"%s\"; its grounds are %s",
						  p->id.v, v->ground.v, buf_cstr(&list));
			buf_release(&list);
			if (error < 0)
				return error;
			continue;
		}
		if (v->res_ground && v->res_ground->requires_award && v->res_app->awarded &&
		    !v->res_app->res_revoked)
			v->res_app->res_revoked = v;
	}
	return 0;
}

int record_load(struct record *r, const struct source *src, struct diags *d)
{
	struct loader L = { .r = r, .d = d };
	struct schema_set *schemas = NULL;
	struct buf data = BUF_INIT;
	size_t i;
	int error, k;

	if ((error = schema_set_load(&schemas)) < 0)
		goto done;
	for (i = 0; i < src->n; i++)
		if ((error = load_file(&L, src, i, schemas, &data)) < 0)
			goto done;
	/* content/ and themes/: not the record, but a link there is told as one in data/ is */
	for (i = 0; i < src->nlinks; i++)
		if (!strstr(src->links[i], "/.") &&
		    (error = diags_add(d, DIAG_WARNING, src->links[i], 1, 1, "symlink",
				       "a symbolic link or submodule, not a file; ignored")) < 0)
			goto done;
	for (k = 0; k < KIND_CALENDAR; k++)
		if ((error = dedup(&L, (enum record_kind)k)) < 0)
			goto done;
	r->programs = L.arr[KIND_PROGRAM];
	r->organizations = L.arr[KIND_ORGANIZATION];
	r->rounds = L.arr[KIND_ROUND];
	r->applications = L.arr[KIND_APPLICATION];
	r->notices = L.arr[KIND_NOTICE];
	r->objections = L.arr[KIND_OBJECTION];
	r->revocations = L.arr[KIND_REVOCATION];
	r->individuals = L.arr[KIND_INDIVIDUAL];
	memset(L.arr, 0, sizeof(L.arr));
	error = link_all(r, d);
done:
	for (k = 0; k < KIND_COUNT; k++)
		free(L.arr[k]);
	buf_release(&data);
	schema_set_free(schemas);
	return error;
}

void record_release(struct record *r)
{
	free(r->programs);
	free(r->organizations);
	free(r->rounds);
	free(r->applications);
	free(r->notices);
	free(r->objections);
	free(r->revocations);
	free(r->lapses);
	free(r->individuals);
	calendar_release(&r->calendar);
	arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

/* words.c - a record's changed values as a citizen reads them (see words.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "error.h"
#include "json.h"
#include "jsondiff.h"
#include "markdown.h"
#include "text.h"
#include "words.h"

#define HREF_MAX 512
#define DEPTH_MAX 2   /* nodes inside nodes; deeper parts are flattened */

/* The labels of the values that the schemas enumerate.  They are the
 * record format's vocabulary, as the field names of jsondiff.c are. */
static const char *const enum_labels[][2] = {
	{ "acceptance_list", "受理名单公示" }, { "awarded", "授奖" }, { "county_list", "县（区）申报公示" },
	{ "days", "日" }, { "decided", "已处理" }, { "draft", "征求意见稿" }, { "enterprise", "企业" },
	{ "failed", "未通过" }, { "in_force", "现行有效" }, { "individual", "个人" }, { "lapse", "期满失效" },
	{ "not_awarded", "未授奖" }, { "other", "其他组织" }, { "passed", "通过" },
	{ "proposed_winners", "拟获奖名单公示" }, { "public_institution", "事业单位" },
	{ "re_evaluation", "复评" }, { "reapply", "重新申报" }, { "rejected", "异议不成立" },
	{ "repealed", "已废止" }, { "research_institute", "科研机构" }, { "result", "结果公告" },
	{ "revocation", "撤销公告" }, { "round", "届" }, { "social_organization", "社会组织" },
	{ "trial", "试行" }, { "under_review", "处理中" }, { "upheld", "异议成立" },
	{ "withdrawn", "已撤回" }, { "working_days", "工作日" }, { "year", "年" },
};

/* Members whose string values are one of enum_labels. */
static const char *const enum_keys[] = { "kind", "outcome", "status", "unit", "objector", "then" };

/* Members whose values are Markdown. */
static const char *const markdown_keys[] = { "body", "summary", "decision", "how" };

static bool among(const char *k, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; k && i < n; i++)
		if (!strcmp(k, v[i]))
			return true;
	return false;
}

static const char *enum_label(const char *v)
{
	size_t i;

	for (i = 0; i < sizeof(enum_labels) / sizeof(enum_labels[0]); i++)
		if (!strcmp(enum_labels[i][0], v))
			return enum_labels[i][1];
	return NULL;
}

static void page_of(char *href, const char *section, const char *id)
{
	snprintf(href, HREF_MAX, "%s/%s/index.html", section, id);
}

/* Ids are plain: a page path made of one is safe. */
static bool plain_id(const char *id)
{
	return *id && strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(id);
}

/* An application's applicant by name, and its page (section, id):
 * an organization or a person; NULL when unknown. */
static const char *applicant(const struct application *a, const char **section, const char **id)
{
	if (a && a->res_ind && a->res_ind->name) {
		*section = "individuals";
		*id = a->res_ind->id.v;
		return a->res_ind->name;
	}
	if (a && a->res_org && a->res_org->name) {
		*section = "organizations";
		*id = a->res_org->id.v;
		return a->res_org->name;
	}
	return NULL;
}

const char *words_record_name(const struct record *r, enum record_kind kind, const char *id, char *href)
{
	const struct application *a = NULL;
	const char *name = NULL, *section = NULL, *aid = NULL;

	*href = '\0';
	if (!id)
		return NULL;
	switch (kind) {
	case KIND_PROGRAM: {
		const struct program *p = record_find_program(r, id);
		if (p && (name = p->name))
			page_of(href, "programs", id);
		break;
	}
	case KIND_ROUND: {
		const struct round *x = record_find_round(r, id);
		if (x && (name = x->name))
			page_of(href, "rounds", id);
		break;
	}
	case KIND_NOTICE: {
		const struct notice *n = record_find_notice(r, id);
		if (n && (name = n->title))
			page_of(href, "notices", id);
		break;
	}
	case KIND_ORGANIZATION: {
		const struct organization *g = record_find_organization(r, id);
		if (g && (name = g->name))
			page_of(href, "organizations", id);
		break;
	}
	case KIND_INDIVIDUAL: {
		const struct individual *g = record_find_individual(r, id);
		if (g && (name = g->name))
			page_of(href, "individuals", id);
		break;
	}
	case KIND_APPLICATION:
		a = record_find_application(r, id);
		break;
	case KIND_OBJECTION: {
		const struct objection *b = record_find_objection(r, id);
		a = b ? record_find_application(r, b->application.v ? b->application.v : "") : NULL;
		if (b && (name = applicant(a, &section, &aid)))
			page_of(href, "objections", id);
		return name;
	}
	case KIND_REVOCATION: {
		const struct revocation *v = record_find_revocation(r, id);
		a = v ? v->res_app : NULL;
		if (v && (name = applicant(a, &section, &aid)))
			page_of(href, "revocations", id);
		return name;
	}
	default:
		break;
	}
	if (a && (name = applicant(a, &section, &aid))) {
		if (a->awarded && a->certificate.v && plain_id(a->certificate.v))
			page_of(href, "awards", a->certificate.v);
		else if (plain_id(aid))
			page_of(href, section, aid);
	}
	if (href[0] && !plain_id(id))
		*href = '\0';
	return name;
}

const struct program *words_program_of(const struct record *r, enum record_kind kind, const char *id)
{
	const struct round *x = NULL;
	const struct application *a;
	const struct notice *n;
	const struct objection *b;

	switch (kind) {
	case KIND_PROGRAM: return record_find_program(r, id);
	case KIND_ROUND: x = record_find_round(r, id); break;
	case KIND_APPLICATION: a = record_find_application(r, id); x = a ? a->res_round : NULL; break;
	case KIND_NOTICE: n = record_find_notice(r, id); x = n ? n->res_round : NULL; break;
	case KIND_OBJECTION:
		b = record_find_objection(r, id);
		a = b && b->application.v ? record_find_application(r, b->application.v) : NULL;
		x = a ? a->res_round : NULL;
		break;
	case KIND_REVOCATION: {
		const struct revocation *v = record_find_revocation(r, id);
		x = v && v->res_app ? v->res_app->res_round : NULL;
		break;
	}
	default: break;
	}
	return x ? x->res_program : NULL;
}

/* The name of id as the member key uses it, and its page; NULL: none. */
static const char *ref_name(const struct record *r, const struct program *p, const char *key, const char *id,
			    char *href)
{
	size_t i;

	*href = '\0';
	if (!strcmp(key, "program"))
		return words_record_name(r, KIND_PROGRAM, id, href);
	if (!strcmp(key, "round"))
		return words_record_name(r, KIND_ROUND, id, href);
	if (!strcmp(key, "application") || !strcmp(key, "entries"))
		return words_record_name(r, KIND_APPLICATION, id, href);
	if (!strcmp(key, "organization"))
		return words_record_name(r, KIND_ORGANIZATION, id, href);
	if (!strcmp(key, "individual"))
		return words_record_name(r, KIND_INDIVIDUAL, id, href);
	if (!strcmp(key, "notice"))
		return words_record_name(r, KIND_NOTICE, id, href);
	if (!strcmp(key, "revocation"))
		return words_record_name(r, KIND_REVOCATION, id, href);
	if (!p)
		return NULL;
	if (!strcmp(key, "tier") || !strcmp(key, "tiers")) {
		const struct tier *t = program_find_tier(p, id);
		return t ? t->name : NULL;
	}
	if (!strcmp(key, "stage") || !strcmp(key, "stages") || !strcmp(key, "schedule")) {
		int k = program_stage_index(p, id);
		return k >= 0 ? p->stages[k].name : NULL;
	}
	if (!strcmp(key, "ground") || !strcmp(key, "grounds")) {
		const struct ground *g = program_find_ground(p, id);
		return g ? g->name : NULL;
	}
	for (i = 0; i < NOTICE_KIND_COUNT; i++)
		if (!strcmp(key, "notices") && !strcmp(notice_kind_name((enum notice_kind)i), id))
			return notice_kind_zh((enum notice_kind)i);
	return NULL;
}

/* A node with every member, as words.h describes; NULL out of memory. */
static cJSON *node_new(const char *label)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	if ((label ? !cJSON_AddStringToObject(o, "label", label) : !cJSON_AddFalseToObject(o, "label")) ||
	    !cJSON_AddFalseToObject(o, "text") || !cJSON_AddFalseToObject(o, "href") ||
	    !cJSON_AddFalseToObject(o, "html") || !cJSON_AddFalseToObject(o, "items") ||
	    !cJSON_AddFalseToObject(o, "list") || !cJSON_AddFalseToObject(o, "empty") ||
	    !cJSON_AddFalseToObject(o, "cut")) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int node_set(cJSON *o, const char *k, cJSON *v)
{
	if (!v)
		return error_nomem();
	if (!cJSON_ReplaceItemInObjectCaseSensitive(o, k, v)) {
		cJSON_Delete(v);
		return error_nomem();
	}
	/* it copies k, and cJSON 1.7.15 puts v in without a name when
	 * that copy fails: o is then incomplete, and is dropped */
	return v->string ? 0 : error_nomem();
}

static bool iso_date_shape(const char *s)
{
	size_t i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
			return false;
	return s[10] == '\0';
}

/* The words of a string value of member key. */
static int string_words(const struct record *r, const struct program *p, const char *key, const char *s,
			cJSON *o)
{
	char href[HREF_MAX], zh[32];
	const char *name;
	struct buf html = BUF_INIT;
	date_t d;
	int error = 0;

	if (iso_date_shape(s) && date_parse(s, &d) == 0) {
		date_format_zh(d, zh);
		return node_set(o, "text", cJSON_CreateString(zh));
	}
	if (key && (name = ref_name(r, p, key, s, href))) {
		if ((error = node_set(o, "text", cJSON_CreateString(name))) < 0)
			return error;
		return href[0] ? node_set(o, "href", cJSON_CreateString(href)) : 0;
	}
	if (among(key, enum_keys, sizeof(enum_keys) / sizeof(enum_keys[0])) && (name = enum_label(s)))
		return node_set(o, "text", cJSON_CreateString(name));
	if (among(key, markdown_keys, sizeof(markdown_keys) / sizeof(markdown_keys[0])) && strpbrk(s, "\n*#_`[")) {
		if ((error = markdown_render(s, strlen(s), 2, &html)) == 0) /* under the history's h2 */
			error = node_set(o, "html", cJSON_CreateString(buf_cstr(&html)));
		buf_release(&html);
		return error;
	}
	return node_set(o, "text", cJSON_CreateString(s));
}

static int value_words(const struct record *r, const struct program *p, const char *key, const cJSON *v,
		       int depth, cJSON *o);

/* An object's members, or an array's elements, as the node's items. */
static int items_words(const struct record *r, const struct program *p, const char *key, const cJSON *v,
		       int depth, cJSON *o)
{
	cJSON *items = cJSON_CreateArray();
	const cJSON *c;
	int error;

	if ((error = node_set(o, "items", items)) < 0)
		return error;
	cJSON_ArrayForEach(c, v) {
		cJSON *item;
		if (c->string && (!strcmp(c->string, "$schema") || !strcmp(c->string, "$id") || !strcmp(c->string, "private") ||
				  (key && !strcmp(key, "measures") && !strcmp(c->string, "text"))))
			continue;
		if (!(item = node_new(c->string ? jsondiff_label(c->string) : NULL)))
			return error_nomem();
		if (!cJSON_AddItemToArray(items, item)) {
			cJSON_Delete(item);
			return error_nomem();
		}
		/* an array's elements are named by the array's member */
		if ((error = value_words(r, p, c->string ? c->string : key, c, depth + 1, item)) < 0)
			return error;
	}
	return node_set(o, cJSON_GetArraySize(items) ? "list" : "empty", cJSON_CreateTrue());
}

static int value_words(const struct record *r, const struct program *p, const char *key, const cJSON *v,
		       int depth, cJSON *o)
{
	char num[64];

	if (cJSON_IsString(v))
		return string_words(r, p, key, v->valuestring, o);
	if (cJSON_IsBool(v)) /* the schemas' flags read as yes or no */
		return node_set(o, "text", cJSON_CreateString(cJSON_IsTrue(v) ? "是" : "否"));
	if (cJSON_IsNumber(v)) {
		if (key && strstr(key, "yuan"))
			text_money(num, sizeof(num), (long)v->valuedouble);
		else
			snprintf(num, sizeof(num), "%.15g", v->valuedouble);
		return node_set(o, "text", cJSON_CreateString(num));
	}
	if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		if (depth >= DEPTH_MAX) {
			/* deeper than the theme nests: the parts on one line */
			struct buf line = BUF_INIT;
			const cJSON *c;
			int error = 0;
			cJSON *tmp;
			cJSON_ArrayForEach(c, v) {
				const cJSON *t;
				if (!(tmp = node_new(NULL)))
					error = error_nomem();
				else if ((error = value_words(r, p, c->string ? c->string : key, c, DEPTH_MAX - 1, tmp)) >= 0) {
					t = cJSON_GetObjectItem(tmp, "text");
					if (line.len && error >= 0)
						error = buf_puts(&line, "；");
					if (c->string && error >= 0) {
						if ((error = buf_puts(&line, jsondiff_label(c->string))) >= 0)
							error = buf_puts(&line, "：");
					}
					if (error >= 0 && cJSON_IsString(t))
						error = buf_puts(&line, t->valuestring);
				}
				cJSON_Delete(tmp);
				if (error < 0)
					break;
			}
			if (error >= 0)
				error = node_set(o, "text", cJSON_CreateString(buf_cstr(&line)));
			buf_release(&line);
			return error;
		}
		return items_words(r, p, key, v, depth, o);
	}
	return 0; /* null: nothing to say */
}

/* The last member name of a machine path: "b" of "a.b", "stages" of
 * "stages[onsite]"; into key. */
static void last_key(const char *path, char *key, size_t size)
{
	const char *dot = strrchr(path, '.'), *k = dot ? dot + 1 : path;
	size_t n = strcspn(k, "[");

	snprintf(key, size, "%.*s", (int)n, k);
}

cJSON *words_value(const struct record *r, const struct program *p, const char *path, const char *text)
{
	char key[128];
	cJSON *o = node_new(NULL), *v = NULL;
	size_t len;
	bool cut;
	int error = 0;

	if (!o || !text)
		return o;
	last_key(path, key, sizeof(key));
	len = strlen(text);
	/* jsondiff.c ends a value it cut with "…" */
	cut = len >= 3 && !strcmp(text + len - 3, "…");
	/* a number reads as its digits (a credit code of digits only is a
	 * string, and no double holds it); amounts of money read in yuan */
	if (strstr(key, "yuan") && len && strspn(text, "0123456789") == len) {
		char money[64];
		text_money(money, sizeof(money), strtol(text, NULL, 10));
		error = node_set(o, "text", cJSON_CreateString(money));
		if (error < 0) {
			cJSON_Delete(o);
			return NULL;
		}
		return o;
	}
	if (text[0] == '{' || text[0] == '[' || !strcmp(text, "true") || !strcmp(text, "false")) {
		/* the whole text, or it is a string; but a failed allocation
		 * is not a string (cJSON's parser tells the two apart for no one) */
		struct json_doc doc = JSON_DOC_INIT;
		struct diags d = DIAGS_INIT;
		error = json_parse_tree(&doc, path, text, len, &d);
		diags_release(&d);
		v = doc.root;
		doc.root = NULL;
		json_doc_release(&doc);
		if (error < 0) {
			cJSON_Delete(o);
			return NULL;
		}
		error = 0;
	}
	if (v)
		error = value_words(r, p, key, v, 0, o);
	else if (cut && (text[0] == '{' || text[0] == '['))
		error = node_set(o, "cut", cJSON_CreateTrue()); /* only its beginning, as JSON: not shown */
	else
		error = string_words(r, p, key, text, o);
	cJSON_Delete(v);
	if (error < 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int words_label(const struct record *r, const struct program *p, const char *path, struct buf *out)
{
	const char *s = path;
	int error = 0;

	while (*s && error >= 0) {
		size_t n = strcspn(s, ".[");
		char key[128], id[256], href[HREF_MAX];
		const char *name;
		snprintf(key, sizeof(key), "%.*s", (int)n, s);
		if (out->len && (error = buf_puts(out, "·")) < 0)
			break;
		if ((error = buf_puts(out, jsondiff_label(key))) < 0)
			break;
		s += n;
		if (*s == '[') {
			size_t m = strcspn(s + 1, "]");
			snprintf(id, sizeof(id), "%.*s", (int)m, s + 1);
			s += 1 + m + (s[1 + m] == ']');
			name = ref_name(r, p, key, id, href);
			/* an element without a name of its own: by its place */
			if ((error = buf_puts(out, "（")) < 0 ||
			    (error = buf_puts(out, name ? name : strspn(id, "0123456789") == strlen(id) ? "" : id)) < 0)
				break;
			if (!name && strspn(id, "0123456789") == strlen(id))
				error = buf_printf(out, "第%ld项", strtol(id, NULL, 10)); /* jsondiff counts from 1 */
			if (error >= 0)
				error = buf_puts(out, "）");
		}
		if (*s == '.')
			s++;
	}
	return error < 0 ? error : 0;
}

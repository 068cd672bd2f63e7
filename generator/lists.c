/* lists.c - the site's lists, split by their keys (see lists.h). */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "check.h"
#include "ctx.h"
#include "emit.h"
#include "lists.h"
#include "mustache.h"
#include "page_round.h"
#include "state.h"
#include "summary.h"

/* ---- lists ---- */

int emit_list(struct site *S, const char *path, const char *tmpl, const char *title,
		     const char *key, cJSON *list)
{
	cJSON *ctx = cJSON_CreateObject(), *row;

	stamp_reset(S);
	cJSON_ArrayForEach(row, list)
		stamp_commit(S, row_stamp(row));
	/* the list outlives the page: no copy */
	put_item(ctx, key, list, true);
	put_bool(ctx, "empty", cJSON_GetArraySize(list) == 0);
	return emit_data(S, path, tmpl, title, path, ctx);
}

/*
 * Each list is cut into pages by keys that do not move when records are
 * added (a year, a month, a program, a district, a first character):
 * a new record changes the page it falls on and the list's index, not
 * every page after it, as numbered pages would.  A list of one level is
 * an index of pages of rows (<section>/<k1>.html); a list of two levels
 * is an index of pages (<section>/<k1>.html) that each list the pages
 * of rows of their second key (<section>/<k1>-<k2>.html).  Ids,
 * certificate numbers and credit codes hold no '.', so these names
 * never meet a record's folder.
 */

struct list_spec {
	const char *section;     /* the list's folder */
	const char *tmpl;        /* the template of all its pages */
	const char *rows;        /* the rows' name in that template */
	const char *title;       /* the list's title, as the menu names it */
	enum list_key key1, key2;
	bool two;                /* two levels of keys */
};

struct list_row {
	cJSON *o;                /* the row; not owned */
	char k1[16], k2[80];     /* its keys, as file names carry them */
	const char *n1, *n2;     /* names shown for LK_NAME keys; not owned */
	char ch[8];              /* a first character, when n2 is it */
	size_t order;            /* its place in the list as made */
	size_t stamp;            /* its stamp (row_stamp()), SIZE_MAX: none */
	size_t kstamp;           /* the stamp of the records its keys and
				    their names are read from */
	size_t nstamp;           /* of all the rows whose keys choose the
				    name of its first key (name_districts()),
				    set by emit_split() */
};

static const struct list_spec *row_spec; /* qsort() has no argument */

/* Years and months newest first, names in order; undated last. */
int list_key_cmp(enum list_key kind, const char *a, const char *b)
{
	bool ua = !strcmp(a, UNDATED), ub = !strcmp(b, UNDATED);

	if (ua != ub)
		return ua ? 1 : -1;
	return kind == LK_NAME ? strcmp(a, b) : strcmp(b, a);
}

static int list_row_cmp(const void *a, const void *b)
{
	const struct list_row *x = a, *y = b;
	int c = list_key_cmp(row_spec->key1, x->k1, y->k1);

	if (!c && row_spec->two)
		c = list_key_cmp(row_spec->key2, x->k2, y->k2);
	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

void list_year_key(char *k, size_t size, date_t t)
{
	if (t == DATE_NONE)
		snprintf(k, size, "%s", UNDATED);
	else
		snprintf(k, size, "%04d", date_year(t));
}

void list_month_key(char *k, size_t size, date_t t)
{
	char iso[11];

	if (t == DATE_NONE) {
		snprintf(k, size, "%s", UNDATED);
		return;
	}
	date_format(t, iso);
	snprintf(k, size, "%.2s", iso + 5);
}

static void list_path(char *out, size_t size, const struct list_spec *sp, const char *k1, const char *k2)
{
	if (!k1)
		snprintf(out, size, "%s/index.html", sp->section);
	else if (!k2)
		snprintf(out, size, "%s/%s.html", sp->section, k1);
	else
		snprintf(out, size, "%s/%s-%s.html", sp->section, k1, k2);
}

/* What the templates show a key as (list-label.mustache). */
void put_part(cJSON *o, const char *k, enum list_key kind, const char *key, const char *name)
{
	cJSON *p = add_obj(o, k);
	bool undated = !strcmp(key, UNDATED);

	if (kind == LK_MONTH && !undated)
		key += key[0] == '0';
	put_str(p, "name", kind == LK_NAME && name ? name : key);
	put_bool(p, "year", kind == LK_YEAR && !undated);
	put_bool(p, "month", kind == LK_MONTH && !undated);
	put_bool(p, "undated", undated);
}

/* A link to another page of the list, named by its keys. */
static void put_neighbour(cJSON *ctx, const char *k, const struct list_spec *sp, const struct list_row *r,
			  bool leaf)
{
	cJSON *o = add_obj(ctx, k);
	char path[MAX_URL];
	bool two = sp->two && leaf;

	list_path(path, sizeof(path), sp, r->k1, two ? r->k2 : NULL);
	put_str(o, "href", path);
	put_part(o, "part1", sp->key1, r->k1, r->n1);
	if (two)
		put_part(o, "part2", sp->key2, r->k2, r->n2);
	else
		put_bool(o, "part2", false);
}

static int list_emit(struct site *S, const struct list_spec *sp, const char *path, cJSON *ctx, struct buf *title)
{
	char index[MAX_URL];
	int error;

	if (!ctx)
		return fail_nomem();
	list_path(index, sizeof(index), sp, NULL, NULL);
	put_str(ctx, "list_title", sp->title);
	put_str(ctx, "index_href", index);
	buf_clear(title);
	if ((error = mustache_render(S->theme, "list-title", ctx, title)) < 0) {
		cJSON_Delete(ctx);
		return error;
	}
	return emit_data(S, path, sp->tmpl, buf_cstr(title), index, ctx);
}

/* The end of the run of rows from i on with the same first key (and the
 * same second, if both). */
static size_t list_run(const struct list_row *v, size_t n, size_t i, bool both)
{
	size_t j = i;

	while (j < n && !strcmp(v[j].k1, v[i].k1) && (!both || !strcmp(v[j].k2, v[i].k2)))
		j++;
	return j;
}

static void put_group(cJSON *arr, const struct list_spec *sp, const struct list_row *r, size_t count,
		      bool second)
{
	cJSON *o = push_obj(arr);
	char path[MAX_URL];

	list_path(path, sizeof(path), sp, r->k1, second ? r->k2 : NULL);
	put_str(o, "href", path);
	put_num(o, "count", (double)count);
	if (second)
		put_part(o, "part", sp->key2, r->k2, r->n2);
	else
		put_part(o, "part", sp->key1, r->k1, r->n1);
}

/* The stamp of the fields of one record that place a row in its list
 * (stamp_reset() first). */
static size_t record_stamp(struct site *S, enum record_kind k, const char *id, const char *const *fields)
{
	stamp_reset(S);
	stamp_fields(S, k, id, fields);
	return S->stamp;
}

static void stamp_rows(struct site *S, const struct list_row *v, size_t from, size_t to)
{
	stamp_reset(S);
	for (; from < to; from++)
		stamp_commit(S, v[from].stamp);
}

/*
 * An index counts rows by their keys and names them; a page links to
 * its neighbours by their keys: such pages are stamped by what gives
 * those keys and names, not by all the rows show, so that an award
 * changes the pages of its organization's district only if it changes
 * the organization's record.
 */
static void stamp_keys(struct site *S, const struct list_row *r)
{
	stamp_commit(S, r->kstamp);
	stamp_commit(S, r->nstamp);
}

/* Writes the list's index and its pages; v is sorted here. */
static int emit_split(struct site *S, const struct list_spec *sp, struct list_row *v, size_t n)
{
	struct buf title = BUF_INIT;
	char path[MAX_URL];
	size_t i, j, k, m, prev1 = SIZE_MAX, prevleaf = SIZE_MAX;
	cJSON *ctx, *groups, *rows;
	int error = 0;

	row_spec = sp;
	qsort(v, n, sizeof(*v), list_row_cmp);
	/* a first key's name is chosen from all its rows' (name_districts()) */
	for (i = 0; i < n; i = j) {
		size_t newest = SIZE_MAX;
		j = list_run(v, n, i, false);
		for (k = i; k < j && sp->key1 == LK_NAME; k++)
			if (v[k].kstamp < newest)
				newest = v[k].kstamp;
		for (k = i; k < j; k++)
			v[k].nstamp = newest;
	}
	/* the index: the first keys, with their counts */
	ctx = cJSON_CreateObject();
	groups = add_arr(ctx, "groups");
	for (i = 0; i < n; i = j) {
		j = list_run(v, n, i, false);
		put_group(groups, sp, &v[i], j - i, false);
	}
	put_bool(ctx, "index", true);
	put_bool(ctx, "empty", n == 0);
	put_bool(ctx, "part1", false);
	put_bool(ctx, "part2", false);
	put_num(ctx, "total", (double)n);
	list_path(path, sizeof(path), sp, NULL, NULL);
	stamp_reset(S);
	for (k = 0; k < n; k++)
		stamp_keys(S, &v[k]);
	if ((error = list_emit(S, sp, path, ctx, &title)) < 0)
		goto done;
	for (i = 0; i < n && error >= 0; i = j) {
		j = list_run(v, n, i, false);
		if (sp->two) { /* the page of a first key: its second keys */
			ctx = cJSON_CreateObject();
			groups = add_arr(ctx, "groups");
			for (k = i; k < j; k = m) {
				m = list_run(v, j, k, true);
				put_group(groups, sp, &v[k], m - k, true);
			}
			put_bool(ctx, "level1", true);
			put_part(ctx, "part1", sp->key1, v[i].k1, v[i].n1);
			put_bool(ctx, "part2", false);
			put_num(ctx, "count", (double)(j - i));
			if (prev1 != SIZE_MAX)
				put_neighbour(ctx, "prev", sp, &v[prev1], false);
			if (j < n)
				put_neighbour(ctx, "next", sp, &v[j], false);
			list_path(path, sizeof(path), sp, v[i].k1, NULL);
			stamp_reset(S);
			for (k = i; k < j; k++)
				stamp_keys(S, &v[k]);
			if (prev1 != SIZE_MAX)
				stamp_keys(S, &v[prev1]);
			if (j < n)
				stamp_keys(S, &v[j]);
			if ((error = list_emit(S, sp, path, ctx, &title)) < 0)
				goto done;
		}
		prev1 = i;
		/* the pages of rows */
		for (k = i; k < j && error >= 0; k = m) {
			m = sp->two ? list_run(v, j, k, true) : j;
			ctx = cJSON_CreateObject();
			rows = add_arr(ctx, sp->rows);
			for (size_t x = k; x < m; x++)
				put_item(rows, NULL, v[x].o, true);
			put_bool(ctx, "leaf", true);
			put_part(ctx, "part1", sp->key1, v[k].k1, v[k].n1);
			if (sp->two) {
				put_part(ctx, "part2", sp->key2, v[k].k2, v[k].n2);
				list_path(path, sizeof(path), sp, v[k].k1, NULL);
				put_str(ctx, "up_href", path);
			} else {
				put_bool(ctx, "part2", false);
			}
			put_num(ctx, "count", (double)(m - k));
			if (prevleaf != SIZE_MAX)
				put_neighbour(ctx, "prev", sp, &v[prevleaf], true);
			if (m < n)
				put_neighbour(ctx, "next", sp, &v[m], true);
			list_path(path, sizeof(path), sp, v[k].k1, sp->two ? v[k].k2 : NULL);
			stamp_rows(S, v, k, m);
			stamp_keys(S, &v[k]);
			if (prevleaf != SIZE_MAX)
				stamp_keys(S, &v[prevleaf]);
			if (m < n)
				stamp_keys(S, &v[m]);
			prevleaf = k;
			error = list_emit(S, sp, path, ctx, &title);
		}
	}
done:
	buf_release(&title);
	return error;
}

/* The first character of s: its bytes into ch, its code point returned
 * (the record's text is valid UTF-8: the loader checked it). */
static unsigned long first_char(const char *s, char ch[8])
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4, i;
	unsigned long c = len == 1 ? p[0] : len == 2 ? p[0] & 0x1F : len == 3 ? p[0] & 0x0F : p[0] & 0x07;

	for (i = 1; i < len && (p[i] & 0xC0) == 0x80; i++)
		c = c << 6 | (p[i] & 0x3F);
	len = i;
	memcpy(ch, p, len);
	ch[len] = '\0';
	return c;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Organizations are listed by the district of registration that the
 * 3rd to 8th characters of their credit code give (GB 32100), which
 * stays as the organization's record is edited and merges the prose
 * forms of one district; the district is named by the prose name most
 * of its organizations give.
 */
static int name_districts(struct list_row *v, size_t n)
{
	const char **names = malloc((n + 1) * sizeof(*names));
	size_t i, j, k, a, b, best;

	if (!names)
		return fail_nomem();
	for (i = 0; i < n; i = j) {
		j = list_run(v, n, i, false);
		for (k = i; k < j; k++)
			names[k - i] = v[k].n1 ? v[k].n1 : "";
		qsort(names, j - i, sizeof(*names), name_cmp);
		for (a = 0, best = 0, k = 0; a < j - i; a = b) {
			for (b = a; b < j - i && !strcmp(names[a], names[b]); b++)
				;
			if (b - a > best) {
				best = b - a;
				k = a;
			}
		}
		for (b = i; b < j; b++)
			v[b].n1 = names[k];
	}
	free(names);
	return 0;
}

int emit_lists(struct site *S, cJSON *orgs, cJSON *awards, cJSON *revs, cJSON *objs)
{
	static const struct list_spec
		awards_spec = { "awards", "awards", "awards", "获奖名录与证书查验", LK_YEAR, LK_NAME, true },
		orgs_spec = { "organizations", "organizations", "organizations", "申报组织", LK_NAME, LK_NAME, true },
		revs_spec = { "revocations", "revocations", "revocations", "撤销公告", LK_YEAR, LK_NAME, false },
		objs_spec = { "objections", "objections", "objections", "异议处理结果", LK_YEAR, LK_NAME, false },
		notices_spec = { "notices", "notices", "notices", "公示公告", LK_YEAR, LK_MONTH, true },
		rounds_spec = { "rounds", "rounds", "rounds", "评选届次", LK_YEAR, LK_NAME, false };
	/* the fields each list's keys and their names are read from */
	static const char *const award_keys[] = { "round", "result", NULL },
			  *const org_keys[] = { "id", "name", "district", NULL },
			  *const rev_keys[] = { "decided", "event", NULL }, *const obj_keys[] = { "received", NULL },
			  *const notice_keys[] = { "issued", NULL }, *const round_keys[] = { "year", "call", NULL };
	const struct record *r = S->r;
	size_t cap = r->napplications + r->norganizations + r->nrevocations + r->nobjections + r->nnotices +
		     r->nrounds + 1, n, i;
	struct list_row *v = calloc(cap, sizeof(*v));
	cJSON *own = cJSON_CreateArray(), *o;
	int error = 0;

	if (!v || !own) {
		error = fail_nomem();
		goto done;
	}
	/* awards: by year of the award, then by program */
	n = 0;
	cJSON_ArrayForEach(o, awards) {
		const struct application *a = S->awards[n];
		const struct program *p = program_of(a);
		struct list_row *x = &v[n];
		list_year_key(x->k1, sizeof(x->k1), a->result_date.v);
		snprintf(x->k2, sizeof(x->k2), "%s", p ? p->id.v : "");
		x->n2 = p ? p->name : "";
		x->o = o;
		x->stamp = row_stamp(o);
		record_stamp(S, KIND_APPLICATION, a->id.v, award_keys);
		if (a->res_round)
			stamp_record(S, KIND_ROUND, a->res_round->id.v);
		if (p)
			stamp_record(S, KIND_PROGRAM, p->id.v);
		x->kstamp = S->stamp;
		x->order = n++;
	}
	if ((error = emit_split(S, &awards_spec, v, n)) < 0)
		goto done;
	/* organizations: by district, then by first character */
	memset(v, 0, cap * sizeof(*v));
	n = 0;
	cJSON_ArrayForEach(o, orgs) {
		const struct organization *g = &r->organizations[n];
		struct list_row *x = &v[n];
		snprintf(x->k1, sizeof(x->k1), "%.6s", strlen(g->id.v) >= 8 ? g->id.v + 2 : g->id.v);
		x->n1 = json_get_string(o, "district");
		snprintf(x->k2, sizeof(x->k2), "%06lx", first_char(g->name ? g->name : g->id.v, x->ch));
		x->n2 = x->ch;
		x->o = o;
		x->stamp = row_stamp(o);
		x->kstamp = record_stamp(S, KIND_ORGANIZATION, g->id.v, org_keys);
		x->order = n++;
	}
	row_spec = &orgs_spec;
	qsort(v, n, sizeof(*v), list_row_cmp);
	if ((error = name_districts(v, n)) < 0 || (error = emit_split(S, &orgs_spec, v, n)) < 0)
		goto done;
	/* revocations: by the year of the decision (newest first as given) */
	memset(v, 0, cap * sizeof(*v));
	n = 0;
	cJSON_ArrayForEach(o, revs) {
		const struct revocation *x = &r->revocations[r->nrevocations - 1 - n];
		list_year_key(v[n].k1, sizeof(v[n].k1), x->decided.v != DATE_NONE ? x->decided.v : x->event.v);
		v[n].o = o;
		v[n].stamp = row_stamp(o);
		v[n].kstamp = record_stamp(S, KIND_REVOCATION, x->id.v, rev_keys);
		v[n].order = n;
		n++;
	}
	if ((error = emit_split(S, &revs_spec, v, n)) < 0)
		goto done;
	/* objections: by the year received */
	memset(v, 0, cap * sizeof(*v));
	n = 0;
	cJSON_ArrayForEach(o, objs) {
		list_year_key(v[n].k1, sizeof(v[n].k1), r->objections[n].received.v);
		v[n].o = o;
		v[n].stamp = row_stamp(o);
		v[n].kstamp = record_stamp(S, KIND_OBJECTION, r->objections[n].id.v, obj_keys);
		v[n].order = n;
		n++;
	}
	if ((error = emit_split(S, &objs_spec, v, n)) < 0)
		goto done;
	/* notices: by the year and month of issue */
	memset(v, 0, cap * sizeof(*v));
	for (i = n = 0; i < r->nnotices; i++) {
		const struct notice *x = &r->notices[i];
		list_year_key(v[n].k1, sizeof(v[n].k1), x->issued.v);
		list_month_key(v[n].k2, sizeof(v[n].k2), x->issued.v);
		stamp_reset(S);
		if (!(v[n].o = notice_summary(S, own, x))) {
			error = fail_nomem();
			goto done;
		}
		v[n].stamp = S->stamp;
		v[n].kstamp = record_stamp(S, KIND_NOTICE, x->id.v, notice_keys);
		v[n].order = n;
		n++;
	}
	if ((error = emit_split(S, &notices_spec, v, n)) < 0)
		goto done;
	/* rounds with a page: by their year */
	memset(v, 0, cap * sizeof(*v));
	for (i = n = 0; i < r->nrounds; i++) {
		const struct round *x = &r->rounds[i];
		if (!x->res_program)
			continue;
		if (x->year.set)
			snprintf(v[n].k1, sizeof(v[n].k1), "%04ld", x->year.v);
		else
			list_year_key(v[n].k1, sizeof(v[n].k1), x->call_published.v);
		stamp_reset(S);
		o = v[n].o = push_obj(own);
		put_str(o, "name", x->name ? x->name : x->id.v);
		put_href(S, o, "href", "rounds", x->id.v);
		put_str(o, "program_name", x->res_program->name);
		put_href(S, o, "program_href", "programs", x->res_program->id.v);
		put_date(o, "call_published", x->call_published.v);
		put_bool(o, "cancelled", x->cancelled);
		v[n].stamp = S->stamp;
		v[n].kstamp = record_stamp(S, KIND_ROUND, x->id.v, round_keys);
		v[n].order = n;
		n++;
	}
	error = emit_split(S, &rounds_spec, v, n);
done:
	cJSON_Delete(own);
	free(v);
	return error;
}

/*
 * The record's lapses (lapses/), which the home page only counts: by
 * the year and month each arose (lapse_since()), keys that do not move
 * as lapses come and go.  A row is stamped by the records it links to;
 * the day it arose is in its own text, so its page changes that day.
 */
int emit_lapses(struct site *S)
{
	static const struct list_spec lapses_spec = { "lapses", "lapse-list", "lapses", "未依规定办理的事项",
						      LK_YEAR, LK_MONTH, true };
	const struct check_lapses *ls = S->o->lapses;
	size_t i, n = ls ? ls->n : 0;
	struct list_row *v = calloc(n + 1, sizeof(*v));
	cJSON *own = cJSON_CreateArray();
	int error = 0;

	if (!v || !own) {
		error = fail_nomem();
		goto done;
	}
	for (i = 0; i < n; i++) {
		date_t since = lapse_since(S, &ls->v[i]);
		stamp_reset(S);
		put_lapse(S, own, &ls->v[i], NULL);
		/* the row just added: cJSON keeps the last as the first's prev */
		if (!own->child || !(v[i].o = own->child->prev)) {
			error = fail_nomem();
			goto done;
		}
		put_date(v[i].o, "since", since);
		list_year_key(v[i].k1, sizeof(v[i].k1), since);
		list_month_key(v[i].k2, sizeof(v[i].k2), since);
		v[i].stamp = S->stamp;
		v[i].order = i;
	}
	error = emit_split(S, &lapses_spec, v, n);
done:
	cJSON_Delete(own);
	free(v);
	return error;
}

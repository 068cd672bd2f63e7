/* stats.c - the statistics pages (see stats.h). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "ctx.h"
#include "emit.h"
#include "lists.h"
#include "mustache.h"
#include "public.h"
#include "state.h"
#include "stats.h"
#include "svg.h"

/* ---- statistics ---- */

struct tally {
	char label[128];
	long n;
};

static void tally_add(struct tally *t, size_t *n, size_t cap, const char *label)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp(t[i].label, label)) {
			t[i].n++;
			return;
		}
	if (*n < cap) {
		snprintf(t[*n].label, sizeof(t[*n].label), "%s", label);
		t[(*n)++].n = 1;
	}
}

static int tally_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->label, ((const struct tally *)b)->label);
}

static int tally_desc(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	return x->n != y->n ? (x->n < y->n ? 1 : -1) : tally_cmp(a, b);
}

static int put_chart(cJSON *charts, const char *title, struct tally *t, size_t n)
{
	struct buf svg = BUF_INIT;
	struct svg_bar *bars = calloc(n + 1, sizeof(*bars));
	cJSON *o = push_obj(charts), *rows = add_arr(o, "rows");
	size_t i;
	int error;

	if (!bars)
		return fail_nomem();
	for (i = 0; i < n; i++) {
		cJSON *row = push_obj(rows);
		bars[i].label = t[i].label;
		bars[i].value = t[i].n;
		put_str(row, "label", t[i].label);
		put_num(row, "value", (double)t[i].n);
	}
	put_str(o, "title", title);
	if ((error = svg_bars(title, bars, n, &svg)) == 0)
		put_str(o, "svg", buf_cstr(&svg));
	free(bars);
	buf_release(&svg);
	return error;
}

/* The charts that grow with the record (tiers, programs, districts)
 * show this many bars on the statistics page; each year's page has
 * their whole tables. */
#define STATS_TOP 20

/* An award as the statistics count it. */
struct stat_award {
	int year;
	const char *tier, *program;
	char *district;          /* owned */
	size_t stamp;            /* what the award is made of (row_stamp()) */
};

static int stat_year_desc(const void *a, const void *b)
{
	const struct stat_award *x = a, *y = b;

	return x->year != y->year ? (x->year > y->year ? -1 : 1) : 0;
}

/* The tables of one year's page: awards by tier, program and district. */
static int stats_year(struct site *S, const struct stat_award *v, size_t n, int prev, int next,
		      struct tally *t)
{
	static const char *const flags[3] = { "by_tier", "by_program", "by_district" };
	cJSON *ctx = cJSON_CreateObject(), *tables = add_arr(ctx, "tables");
	struct buf title = BUF_INIT;
	char path[64], key[16];
	size_t i, k, nt;
	int error;

	for (k = 0; k < 3; k++) {
		cJSON *o = push_obj(tables), *rows = add_arr(o, "rows");
		for (i = nt = 0; i < n; i++)
			tally_add(t, &nt, n, k == 0 ? v[i].tier : k == 1 ? v[i].program : v[i].district);
		qsort(t, nt, sizeof(*t), tally_desc);
		for (i = 0; i < 3; i++)
			put_bool(o, flags[i], i == k);
		for (i = 0; i < nt; i++) {
			cJSON *row = push_obj(rows);
			put_str(row, "label", t[i].label);
			put_num(row, "value", (double)t[i].n);
		}
	}
	put_num(ctx, "year", v[0].year);
	put_num(ctx, "count", (double)n);
	if (prev) {
		snprintf(path, sizeof(path), "stats/%04d.html", prev);
		put_str(ctx, "prev_href", path);
		put_num(ctx, "prev_year", prev);
	}
	if (next) {
		snprintf(path, sizeof(path), "stats/%04d.html", next);
		put_str(ctx, "next_href", path);
		put_num(ctx, "next_year", next);
	}
	snprintf(path, sizeof(path), "stats/%04d.html", v[0].year);
	snprintf(key, sizeof(key), "%04d", v[0].year);
	put_str(ctx, "list_title", "统计");
	put_part(ctx, "part1", LK_YEAR, key, NULL);
	put_bool(ctx, "part2", false);
	if ((error = mustache_render(S->theme, "list-title", ctx, &title)) >= 0)
		error = emit_data(S, path, "stats-year", buf_cstr(&title), "stats/index.html", ctx);
	else
		cJSON_Delete(ctx);
	buf_release(&title);
	return error;
}

int page_stats(struct site *S)
{
	const struct record *r = S->r;
	size_t cap = r->napplications + 1, ny = 0, nt = 0, nd = 0, np = 0, na = 0, i, j;
	struct tally *years = calloc(cap, sizeof(*years)), *tiers = calloc(cap, sizeof(*tiers));
	struct tally *districts = calloc(cap, sizeof(*districts)), *progs = calloc(cap, sizeof(*progs));
	struct stat_award *v = calloc(cap, sizeof(*v));
	cJSON *ctx = cJSON_CreateObject(), *charts = add_arr(ctx, "charts"), *ylist = add_arr(ctx, "years");
	int error = 0;

	if (!years || !tiers || !districts || !progs || !v) {
		error = fail_nomem();
		goto done;
	}
	for (i = 0; i < r->napplications; i++) {
		const struct application *a = &r->applications[i];
		char y[16];
		struct json_doc doc = JSON_DOC_INIT;
		const char *district;
		if (!a->awarded || a->result_date.v == DATE_NONE)
			continue;
		snprintf(y, sizeof(y), "%d年", date_year(a->result_date.v));
		tally_add(years, &ny, cap, y);
		tally_add(tiers, &nt, cap, tier_name(a->res_result_tier));
		if (program_of(a))
			tally_add(progs, &np, cap, program_of(a)->name);
		/* districts are prose in the organization's file */
		stamp_reset(S);
		stamp_record(S, KIND_APPLICATION, a->id.v);
		if (program_of(a))
			stamp_record(S, KIND_PROGRAM, program_of(a)->id.v);
		if (a->res_org && (error = load_public(S, a->res_org->path, &doc)) < 0)
			goto done;
		v[na].stamp = S->stamp;
		district = json_get_string(doc.root, "district");
		tally_add(districts, &nd, cap, district ? district : "未注明");
		v[na].year = date_year(a->result_date.v);
		v[na].tier = tier_name(a->res_result_tier);
		v[na].program = program_of(a) ? program_of(a)->name : "";
		v[na].district = strdup(district ? district : "未注明");
		json_doc_release(&doc);
		if (!v[na++].district) {
			error = fail_nomem();
			goto done;
		}
	}
	qsort(years, ny, sizeof(*years), tally_cmp);
	qsort(tiers, nt, sizeof(*tiers), tally_desc);
	qsort(districts, nd, sizeof(*districts), tally_desc);
	qsort(progs, np, sizeof(*progs), tally_desc);
	if ((error = put_chart(charts, "各年度获奖数", years, ny)) < 0 ||
	    (error = put_chart(charts, "各奖项获奖数", tiers, nt < STATS_TOP ? nt : STATS_TOP)) < 0 ||
	    (error = put_chart(charts, "各评选项目获奖数", progs, np < STATS_TOP ? np : STATS_TOP)) < 0 ||
	    (error = put_chart(charts, "各区（县）获奖数", districts, nd < STATS_TOP ? nd : STATS_TOP)) < 0)
		goto done;
	/* a cut chart says how many it leaves out; its whole table is on
	 * each year's page */
	for (i = 1; i < 4; i++) {
		cJSON *c = cJSON_GetArrayItem(charts, (int)i);
		size_t all = i == 1 ? nt : i == 2 ? np : nd;
		if (all > STATS_TOP) {
			put_num(c, "shown", STATS_TOP);
			put_num(c, "all", (double)all);
		}
	}
	/* each year's tables, newest first */
	qsort(v, na, sizeof(*v), stat_year_desc);
	for (i = 0; i < na && error >= 0; i = j) {
		cJSON *o = push_obj(ylist);
		char path[64];
		for (j = i; j < na && v[j].year == v[i].year; j++)
			;
		snprintf(path, sizeof(path), "stats/%04d.html", v[i].year);
		put_str(o, "href", path);
		put_num(o, "year", v[i].year);
		put_num(o, "count", (double)(j - i));
		/* a year's page names the newest of its awards' commits */
		stamp_reset(S);
		for (size_t k = i; k < j; k++)
			stamp_commit(S, v[k].stamp);
		error = stats_year(S, v + i, j - i, j < na ? v[j].year : 0, i ? v[i - 1].year : 0, districts);
	}
	if (error < 0)
		goto done;
	stamp_reset(S);
	for (i = 0; i < na; i++)
		stamp_commit(S, v[i].stamp);
	error = emit_data(S, "stats/index.html", "stats", "统计", "stats/index.html", ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	for (i = 0; v && i < na; i++)
		free(v[i].district);
	free(v);
	free(years);
	free(tiers);
	free(districts);
	free(progs);
	return error;
}

/* feeds.c - feeds, downloads and the sitemap (see feeds.h). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "build.h"
#include "check.h"
#include "ctx.h"
#include "emit.h"
#include "feeds.h"
#include "home.h"
#include "mustache.h"
#include "output.h"
#include "page_round.h"
#include "public.h"
#include "state.h"
#include "summary.h"

/* ---- feeds, sitemap, downloads ---- */

void rfc3339(char out[32], date_t t)
{
	char d[11];

	date_format(t, d);
	snprintf(out, 32, "%sT00:00:00+08:00", d);
}

/* Atom entries: notices, calls and revocations, newest first, optionally
 * of one program or notices only. */
int emit_feed(struct site *S, const char *path, const char *title,
		     const struct program *only, bool notices_only)
{
	cJSON *ctx = cJSON_CreateObject(), *entries = add_arr(ctx, "entries"), **v;
	const struct check_lapses *ls = S->o->lapses;
	size_t i, n = 0, cap = S->r->nnotices + S->r->nrounds + S->r->nrevocations + (ls ? ls->n : 0) + 1;
	char when[32], id[MAX_URL * 2], newest[32] = "";
	int error;

	if (!(v = calloc(cap, sizeof(*v)))) {
		cJSON_Delete(ctx);
		return fail_nomem();
	}
	for (i = 0; i < S->r->nnotices; i++) {
		const struct notice *x = &S->r->notices[i];
		cJSON *o;
		if (x->issued.v == DATE_NONE || (only && (!x->res_round || x->res_round->res_program != only)))
			continue;
		o = v[n++] = cJSON_CreateObject();
		put_str(o, "title", x->title);
		put_str(o, "kind_zh", notice_kind_zh(x->kind));
		put_href(S, o, "href", "notices", x->id.v);
		rfc3339(when, x->issued.v);
		put_str(o, "date", when);
	}
	for (i = 0; !notices_only && i < S->r->nrounds; i++) {
		const struct round *x = &S->r->rounds[i];
		cJSON *o;
		if (x->call_published.v == DATE_NONE || (only && x->res_program != only))
			continue;
		o = v[n++] = cJSON_CreateObject();
		put_call(S, o, x);
		rfc3339(when, x->call_published.v);
		put_str(o, "date", when);
	}
	for (i = 0; !notices_only && i < S->r->nrevocations; i++) {
		const struct revocation *x = &S->r->revocations[i];
		cJSON *o;
		char t[300];
		if (x->decided.v == DATE_NONE || (only && program_of(x->res_app) != only))
			continue;
		o = v[n++] = cJSON_CreateObject();
		snprintf(t, sizeof(t), "撤销决定：%s", x->res_app && applicant_name(x->res_app)
							 ? applicant_name(x->res_app) : x->id.v);
		put_str(o, "title", t);
		put_str(o, "kind_zh", "撤销决定");
		put_href(S, o, "href", "revocations", x->id.v);
		rfc3339(when, x->decided.v);
		put_str(o, "date", when);
	}
	/* the record's lapses, until they are mended: dated the day they arose */
	for (i = 0; !notices_only && ls && i < ls->n; i++) {
		const struct check_lapse *l = &ls->v[i];
		cJSON *o, *arr;
		date_t t = l->due != DATE_NONE ? l->due + 1 : l->notice ? l->notice->issued.v : S->o->today;
		char frag[96];
		size_t j, same = 0;
		if (only && (!l->round || l->round->res_program != only))
			continue;
		o = v[n++] = cJSON_CreateObject();
		put_lapse(S, arr = add_arr(o, "lapse"), l, NULL);
		/* a stable id: the record's URL and the rule, counted only when it repeats */
		for (j = 0; j < i; j++)
			same += !strcmp(ls->v[j].path, l->path) && !strcmp(ls->v[j].rule, l->rule);
		if (same)
			snprintf(frag, sizeof(frag), "#lapse-%s-%zu", l->rule, same + 1);
		else
			snprintf(frag, sizeof(frag), "#lapse-%s", l->rule);
		put_str(o, "fragment", frag);
		if (!json_get_string(cJSON_GetArrayItem(arr, 0), "href"))
			put_str(cJSON_GetArrayItem(arr, 0), "href", "index.html");
		put_str(o, "href", json_get_string(cJSON_GetArrayItem(arr, 0), "href"));
		/* the feed sorts by date, then title: the entry's own id, unique, never shown */
		snprintf(id, sizeof(id), "%s%s", json_get_string(o, "href"), frag);
		put_str(o, "title", id);
		rfc3339(when, t == DATE_NONE ? S->o->today : t);
		put_str(o, "date", when);
	}
	qsort(v, n, sizeof(*v), date_desc);
	for (i = 0; i < n; i++) {
		const char *h = json_get_string(v[i], "href");
		const char *frag = json_get_string(v[i], "fragment");
		snprintf(id, sizeof(id), "%s%s%s", S->base_url ? S->base_url : "urn:gongshi:", h, frag ? frag : "");
		put_str(v[i], "id", id);
		if (!*newest)
			snprintf(newest, sizeof(newest), "%s", json_get_string(v[i], "date"));
		put_item(entries, NULL, v[i], false);
		v[i] = NULL;
	}
	/* no entry: the build commit's date, which a rebuild keeps (today's would not) */
	if (!*newest)
		rfc3339(newest, S->src->time ? date_from_time_cst((time_t)S->src->time) : S->o->today);
	put_str(ctx, "feed_title", title);
	put_str(ctx, "updated", newest);
	snprintf(id, sizeof(id), "%s%s", S->base_url ? S->base_url : "urn:gongshi:", path);
	put_str(ctx, "feed_id", id);
	put_str(ctx, "base", S->base_url);
	error = emit(S, path, "atom", title, NULL, ctx);
	ctx = NULL;
	for (i = 0; i < n; i++)
		cJSON_Delete(v[i]);
	free(v);
	cJSON_Delete(ctx);
	return error;
}

/* A CSV field: quoted when needed; a leading = + - @ is defused so that a
 * spreadsheet never runs a record's text as a formula. */
static int csv_field(struct buf *b, const char *s, bool last)
{
	int error = 0;
	const char *p;

	s = s ? s : "";
	if (strpbrk(s, ",\"\r\n") || (s[0] && strchr("=+-@\t", s[0]))) {
		error = buf_putc(b, '"');
		if (error >= 0 && s[0] && strchr("=+-@\t", s[0]))
			error = buf_putc(b, '\'');
		for (p = s; *p && error >= 0; p++)
			error = *p == '"' ? buf_puts(b, "\"\"") : buf_putc(b, *p);
		if (error >= 0)
			error = buf_putc(b, '"');
	} else {
		error = buf_puts(b, s);
	}
	return error < 0 ? error : buf_puts(b, last ? "\r\n" : ",");
}

int downloads(struct site *S)
{
	const struct record *r = S->r;
	struct buf csv = BUF_INIT, all = BUF_INIT, unstated = BUF_INIT;
	char d[11], money[32];
	size_t i, k;
	int error = 0;

	/* what a prize the measures do not state reads as, in the theme's words */
	if ((error = mustache_render(S->theme, "csv-unstated", NULL, &unstated)) < 0)
		return error;
	while (unstated.len && (unstated.ptr[unstated.len - 1] == '\n' || unstated.ptr[unstated.len - 1] == '\r'))
		unstated.ptr[--unstated.len] = '\0';

	/* UTF-8 with a byte-order mark: spreadsheet software then reads Chinese right */
	if ((error = buf_puts(&csv, "\xEF\xBB\xBF")) >= 0)
		error = buf_puts(&csv, "证书编号,组织名称,统一社会信用代码,奖项,评选项目,届次,授奖日期,奖励金额（元）,状态,获奖者类别\r\n");
	for (i = 0; i < r->napplications && error >= 0; i++) {
		const struct application *a = &r->applications[i];
		cJSON *tmp, *o;
		if (!a->awarded || !a->certificate.v)
			continue;
		if (!(tmp = cJSON_CreateArray())) {
			error = fail_nomem();
			break;
		}
		o = award_summary(S, tmp, a);
		if ((error = ctx_check()) < 0) {
			cJSON_Delete(tmp);
			break;
		}
		snprintf(money, sizeof(money), "%ld", a->prize.set ? a->prize.v : 0);
		if ((error = csv_field(&csv, a->certificate.v, false)) < 0 ||
		    (error = csv_field(&csv, applicant_name(a), false)) < 0 ||
		    (error = csv_field(&csv, a->organization.v, false)) < 0 ||
		    (error = csv_field(&csv, tier_name(a->res_result_tier), false)) < 0 ||
		    (error = csv_field(&csv, program_of(a) ? program_of(a)->name : "", false)) < 0 ||
		    (error = csv_field(&csv, a->res_round ? a->res_round->name : "", false)) < 0 ||
		    (error = csv_field(&csv, a->result_date.v != DATE_NONE ? fmt_iso(d, a->result_date.v) : "", false)) < 0 ||
		    (error = csv_field(&csv, a->prize.set ? money : prize_unknown(a) ? buf_cstr(&unstated) : "",
				       false)) < 0)
			;
		else if ((error = csv_field(&csv, json_get_string(o, "status_zh"), false)) >= 0)
			error = csv_field(&csv, a->individual.v ? "个人" : "组织", true);
		cJSON_Delete(tmp);
	}
	if (error >= 0)
		error = output_write(&S->out, "downloads/awards.csv", csv.ptr, csv.len);
	buf_clear(&csv);
	if (error >= 0 && (error = buf_puts(&csv, "\xEF\xBB\xBF")) >= 0)
		error = buf_puts(&csv, "申报编号,组织名称,统一社会信用代码,评选项目,届次,申报奖项,申报日期,结果,申报者类别\r\n");
	for (i = 0; i < r->napplications && error >= 0; i++) {
		const struct application *a = &r->applications[i];
		const char *res = a->withdrawn.v != DATE_NONE ? "已撤回" : !a->has_result ? "评审中"
				  : a->awarded ? tier_name(a->res_result_tier) : "未获奖";
		if ((error = csv_field(&csv, a->id.v, false)) < 0 ||
		    (error = csv_field(&csv, applicant_name(a), false)) < 0 ||
		    (error = csv_field(&csv, a->organization.v, false)) < 0 ||
		    (error = csv_field(&csv, program_of(a) ? program_of(a)->name : "", false)) < 0 ||
		    (error = csv_field(&csv, a->res_round ? a->res_round->name : "", false)) < 0 ||
		    (error = csv_field(&csv, tier_name(a->res_tier), false)) < 0 ||
		    (error = csv_field(&csv, a->submitted.v != DATE_NONE ? fmt_iso(d, a->submitted.v) : "", false)) < 0 ||
		    (error = csv_field(&csv, res, false)) < 0 ||
		    (error = csv_field(&csv, a->individual.v ? "个人" : "组织", true)) < 0)
			break;
	}
	if (error >= 0)
		error = output_write(&S->out, "downloads/applications.csv", csv.ptr, csv.len);

	/* the whole public record, one array per kind, streamed file by file */
	if (error >= 0)
		error = buf_puts(&all, "{");
	for (k = 0; k < KIND_CALENDAR && error >= 0; k++) {
		bool first = true;
		if ((error = buf_printf(&all, "%s\n\"%s\": [", k ? "," : "", record_kind_dir((enum record_kind)k))) < 0)
			break;
		for (i = 0; i < S->src->n && error >= 0; i++) {
			struct json_doc doc = JSON_DOC_INIT;
			char *text;
			/* the files the record was loaded from: a link or a
			 * submodule was left out of it (record.c), so here too */
			if (record_kind_of_path(S->src->v[i].path) != (enum record_kind)k ||
			    strstr(S->src->v[i].path, "/.") || S->src->v[i].link)
				continue;
			if ((error = load_public(S, S->src->v[i].path, &doc)) < 0)
				break;
			if (!(text = cJSON_PrintUnformatted(doc.root))) {
				json_doc_release(&doc);
				error = fail_nomem();
				break;
			}
			error = buf_printf(&all, "%s\n%s", first ? "" : ",", text);
			first = false;
			free(text);
			json_doc_release(&doc);
		}
		if (error >= 0)
			error = buf_puts(&all, "\n]");
	}
	if (error >= 0 && (error = buf_puts(&all, "\n}\n")) >= 0)
		error = output_write(&S->out, "downloads/record.json", all.ptr, all.len);
	buf_release(&csv);
	buf_release(&all);
	buf_release(&unstated);
	return error;
}

/* The sitemap protocol's limit of URLs in one file. */
#define SITEMAP_MAX 50000

static int sitemap_file(struct site *S, const char *path, char **paths, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;
	int error;

	error = buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (i = 0; i < n && error >= 0; i++) {
		size_t len = strcspn(paths[i], "\t"); /* "path\tdate" (emit) */
		/* folders, as servers serve them: index.html is implied */
		int cut = len >= 10 && !strncmp(paths[i] + len - 10, "index.html", 10) ? 10 : 0;
		/* site_base_url_problem() let & and ' through: escaped */
		if ((error = buf_puts(&b, "<url><loc>")) >= 0 && (error = buf_put_xml(&b, S->base_url)) >= 0)
			error = buf_printf(&b, "%.*s</loc>", (int)(len - (size_t)cut), paths[i]);
		if (error >= 0 && paths[i][len])
			error = buf_printf(&b, "<lastmod>%s</lastmod>", paths[i] + len + 1);
		if (error >= 0)
			error = buf_puts(&b, "</url>\n");
	}
	if (error >= 0 && (error = buf_puts(&b, "</urlset>\n")) >= 0)
		error = output_write(&S->out, path, b.ptr, b.len);
	buf_release(&b);
	return error;
}

int sitemap(struct site *S, char **paths, size_t n)
{
	struct buf b = BUF_INIT;
	char name[64], **v;
	size_t i, k, parts;
	int error = 0;

	if (!S->base_url) { /* a sitemap lists absolute URLs: without a base, none */
		error = output_write(&S->out, "robots.txt", "User-agent: *\nAllow: /\n", 23);
		return error;
	}
	/* the 404 page is no page of the site */
	if (!(v = malloc((n + 1) * sizeof(*v))))
		return fail_nomem();
	for (i = k = 0; i < n; i++)
		if (strncmp(paths[i], "404.html\t", 9))
			v[k++] = paths[i];
	paths = v;
	n = k;
	if (n <= SITEMAP_MAX) {
		error = sitemap_file(S, "sitemap.xml", paths, n);
	} else { /* an index of numbered sitemaps */
		parts = (n + SITEMAP_MAX - 1) / SITEMAP_MAX;
		error = buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				     "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		for (i = 0; i < parts && error >= 0; i++) {
			snprintf(name, sizeof(name), "sitemaps/sitemap-%zu.xml", i + 1);
			if ((error = sitemap_file(S, name, paths + i * SITEMAP_MAX,
						  i + 1 < parts ? SITEMAP_MAX : n - i * SITEMAP_MAX)) >= 0)
				if ((error = buf_puts(&b, "<sitemap><loc>")) >= 0 &&
				    (error = buf_put_xml(&b, S->base_url)) >= 0)
					error = buf_printf(&b, "%s</loc></sitemap>\n", name);
		}
		if (error >= 0 && (error = buf_puts(&b, "</sitemapindex>\n")) >= 0)
			error = output_write(&S->out, "sitemap.xml", b.ptr, b.len);
	}
	buf_clear(&b);
	if (error >= 0 && (error = buf_printf(&b, "User-agent: *\nAllow: /\nSitemap: %ssitemap.xml\n",
					      S->base_url)) >= 0)
		error = output_write(&S->out, "robots.txt", b.ptr, b.len);
	buf_release(&b);
	free(v);
	return error;
}

/* emit.c - writing pages and their JSON (see emit.h). */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "ctx.h"
#include "emit.h"
#include "error.h"
#include "mustache.h"
#include "output.h"
#include "settings.h"

/* ---- pages ---- */

/* How far below the site's root a page is: "../" per folder. */
static void root_of(const char *path, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (; *path; path++)
		if (*path == '/' && n + 4 < size) {
			memcpy(out + n, "../", 4);
			n += 3;
		}
}

static const char *const nav_links[NAV_ITEMS][2] = {
	{ "首页", "index.html" }, { "评选项目", "programs/index.html" },
	{ "获奖名录", "awards/index.html" }, { "申报个人", "individuals/index.html" },
	{ "撤销公告", "revocations/index.html" },
	{ "异议处理", "objections/index.html" }, { "统计", "stats/index.html" },
	{ "变更记录", "changes/index.html" },
};

/* The menu with the item whose link is current marked: one of eight,
 * each built once and shared by every page it serves. */
static const cJSON *nav_layer(struct site *S, const char *current)
{
	size_t i, k = NAV_ITEMS;
	cJSON *arr, *o;

	for (i = 0; current && i < NAV_ITEMS; i++)
		if (!strcmp(current, nav_links[i][1]))
			k = i;
	if (S->navs[k])
		return S->navs[k];
	if (!(S->navs[k] = cJSON_CreateObject()))
		return NULL;
	arr = add_arr(S->navs[k], "nav");
	for (i = 0; i < NAV_ITEMS; i++) {
		/* individuals/ is written only for a record that has individuals */
		if (!S->r->nindividuals && !strcmp(nav_links[i][1], "individuals/index.html"))
			continue;
		o = push_obj(arr);
		put_str(o, "label", nav_links[i][0]);
		put_str(o, "href", nav_links[i][1]);
		if (i == k)
			put_bool(o, "current", true);
	}
	return S->navs[k];
}

/* The context every page renders under (emit): made once, after the
 * stylesheet's name is known. */
int make_base(struct site *S)
{
	cJSON *build;

	if (!(S->base = cJSON_CreateObject()))
		return fail_nomem();
	put_str(S->base, "css", S->css);
	put_item(S->base, "site", S->settings, true);
	build = add_obj(S->base, "build");
	put_str(build, "commit", S->src->worktree ? "" : S->src->commit);
	put_str(build, "commit_short", source_label(S->src));
	put_date(build, "date", S->o->today);
	put_bool(build, "draft", S->o->draft);
	return 0;
}

/* Called per page: the hook decides how often to draw, so that the
 * count it shows is never stale. */
void progress(struct site *S)
{
	size_t done = S->work->pages;

	if (S->o->progress && !S->in_worker)
		S->o->progress(S->o->progress_arg, done, S->total > done ? S->total : done);
}

/*
 * The commit a page names and its date (the layout's "stamp"): the
 * build's on the home page and on a draft; else the page's stamp (see
 * stamp_record()) or the commit that last changed the settings and
 * theme, whichever is newer (by author time, then the history's order);
 * for a page built from nothing of the history, the oldest commit it
 * holds.  *date is the date, for the sitemap.
 */
static void put_stamp(struct site *S, cJSON *ctx, const char *path, date_t *date)
{
	cJSON *o = add_obj(ctx, "stamp");
	const char *id = NULL;
	char short_id[8];
	int64_t t = 0;

	if (!S->has_history || !strcmp(path, "index.html")) {
		put_str(o, "commit", S->src->worktree ? "" : S->src->commit);
		put_str(o, "commit_short", source_label(S->src));
		put_date(o, "date", *date = S->o->today);
		return;
	}
	if (S->stamp_every && S->hist.n)
		stamp_commit(S, 0);
	if (S->stamp < S->hist.n) {
		id = S->hist.commits[S->stamp].id;
		t = S->hist.commits[S->stamp].time;
	}
	if (S->site_commit[0] && (!id || S->site_time > t)) {
		id = S->site_commit;
		t = S->site_time;
	}
	if (!id && S->hist.n) {
		id = S->hist.commits[S->hist.n - 1].id;
		t = S->hist.commits[S->hist.n - 1].time;
	}
	if (!id) {
		id = S->src->commit;
		t = S->src->time;
	}
	snprintf(short_id, sizeof(short_id), "%.7s", id);
	put_str(o, "commit", id);
	put_str(o, "commit_short", short_id);
	put_date(o, "date", *date = date_from_time_cst((time_t)t));
}

/*
 * Renders template tmpl with ctx (consumed) to path, adding what every
 * page carries: the site's settings, the build, the way back to the root,
 * the commit it names (put_stamp()).
 */
int emit(struct site *S, const char *path, const char *tmpl, const char *title,
		const char *nav, cJSON *ctx)
{
	char root[256], canon[MAX_URL * 2], day[11];
	const cJSON *stack[3];
	date_t stamped = DATE_NONE;
	int error;

	if (!ctx)
		return fail_nomem();
	root_of(path, root, sizeof(root));
	/* The 404 page is served at any depth, so its links are absolute;
	 * but only in path: on a preview, a mirror or a local copy the host
	 * is another one, and the links must stay on it. */
	if (!strcmp(path, "404.html") && S->base_url) {
		const char *host = strstr(S->base_url, "://"), *p = host ? strchr(host + 3, '/') : NULL;
		snprintf(root, sizeof(root), "%s", p ? p : "/");
	}
	put_str(ctx, "root", root);
	put_str(ctx, "title", title);
	put_str(ctx, "path", path);
	put_stamp(S, ctx, path, &stamped);
	/* the 404 page stands for no address of its own */
	if (S->base_url && strcmp(path, "404.html")) {
		const char *slash = strrchr(path, '/');
		size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
		/* canonical URLs drop index.html: servers serve the folder */
		snprintf(canon, sizeof(canon), "%s%.*s%s", S->base_url, (int)dirlen, path,
			 strcmp(slash ? slash + 1 : path, "index.html") ? (slash ? slash + 1 : path) : "");
		put_str(ctx, "canonical", canon);
	}
	/* The settings, the build and the menu are the same on every page:
	 * rendered under the page's own data rather than copied into it,
	 * which names the page's data finds first, as it did when they were
	 * its last members. */
	stack[0] = S->base;
	stack[1] = nav_layer(S, nav);
	stack[2] = ctx;
	if (!stack[1]) {
		error = fail_nomem();
		goto done;
	}
	buf_clear(&S->html);
	if ((error = ctx_check()) < 0 ||
	    (error = mustache_render_stack(S->theme, tmpl, stack, 3, &S->html)) < 0)
		goto done;
	if ((error = output_write(&S->out, path, buf_cstr(&S->html), S->html.len)) < 0)
		goto done;
	if (ends_with(path, ".html")) {
		if (S->npaths == S->cap) {
			size_t cap = S->cap ? S->cap * 2 : 256;
			char **v = realloc(S->paths, cap * sizeof(*v));
			if (!v) {
				error = fail_nomem();
				goto done;
			}
			S->paths = v;
			S->cap = cap;
		}
		/* "path\tdate": the sitemap's <lastmod> travels with it */
		/* the home page's date is the build's: none, or the sitemap
		 * would change with every build */
		fmt_iso(day, stamped);
		if (!(S->paths[S->npaths] = malloc(strlen(path) + sizeof(day) + 1))) {
			error = fail_nomem();
			goto done;
		}
		if (strcmp(path, "index.html"))
			sprintf(S->paths[S->npaths], "%s\t%s", path, day);
		else
			strcpy(S->paths[S->npaths], path);
		S->npaths++;
		S->pages++;
		__atomic_add_fetch(&S->work->pages, 1, __ATOMIC_RELAXED);
		progress(S);
	}
done:
	cJSON_Delete(ctx);
	return error;
}

/* The public JSON of a record beside its page, printed into one buffer
 * kept across pages (cJSON_Print would allocate and grow one each
 * time); the same text, since both print with the same code. */
static int write_json(struct site *S, const char *path, const cJSON *doc)
{
	int error;

	if ((error = ctx_check()) < 0)
		return error;
	if (S->json.cap < 4096 && (error = buf_grow(&S->json, 4096)) < 0)
		return error;
	while (!cJSON_PrintPreallocated((cJSON *)doc, S->json.ptr, (int)S->json.cap, 1)) {
		if (S->json.cap > (size_t)1 << 30)
			return error_set(ERR_LIMIT, "%s: larger than 1 GiB", path);
		if ((error = buf_grow(&S->json, S->json.cap * 2)) < 0)
			return error;
	}
	return output_write(&S->out, path, S->json.ptr, strlen(S->json.ptr));
}

static int emit_json(struct site *S, const char *dir, const cJSON *doc)
{
	char path[MAX_URL + 16];

	snprintf(path, sizeof(path), "%s/index.json", dir);
	return write_json(S, path, doc);
}

/*
 * A page that shows data other than one record's (a list, the change
 * log, a notice's version, a tombstone, statistics), with that data
 * beside it: "x.html" has "x.json", linked from the page as "json".
 * The JSON is ctx as the page's builder made it, before emit() adds
 * the page's place in the site: the data the template shows, which
 * holds nothing private since the page shows all of it.  ctx is consumed.
 */
int emit_data(struct site *S, const char *path, const char *tmpl, const char *title,
		     const char *nav, cJSON *ctx)
{
	char json[MAX_URL + 16];
	const char *slash;
	size_t len = strlen(path);
	int error;

	if (!ctx)
		return fail_nomem();
	if (len < 5 || strcmp(path + len - 5, ".html") || len >= sizeof(json)) {
		cJSON_Delete(ctx);
		return error_set(ERR_INVALID, "%s: a data page is named .html", path);
	}
	snprintf(json, sizeof(json), "%.*s.json", (int)(len - 5), path);
	if ((error = write_json(S, json, ctx)) < 0) {
		cJSON_Delete(ctx);
		return error;
	}
	slash = strrchr(json, '/');
	put_str(ctx, "json", slash ? slash + 1 : json);
	return emit(S, path, tmpl, title, nav, ctx);
}

int emit_record(struct site *S, const char *section, const char *id, const char *tmpl,
		       const char *title, const char *nav, const cJSON *doc, cJSON *ctx)
{
	char dir[MAX_URL], path[MAX_URL];
	int error;

	snprintf(dir, sizeof(dir), "%s/%s", section, id);
	if ((error = emit_json(S, dir, doc)) < 0) {
		cJSON_Delete(ctx);
		return error;
	}
	put_str(ctx, "json", "index.json");
	return emit(S, href(path, section, id), tmpl, title, nav, ctx);
}

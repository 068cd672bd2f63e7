/* site.c - the public website: the build itself (see site.h). */

/* realpath() and MAP_ANONYMOUS are beyond POSIX's C source. */
#define _GNU_SOURCE

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "build.h"
#include "changes.h"
#include "ctx.h"
#include "emit.h"
#include "error.h"
#include "feeds.h"
#include "group.h"
#include "home.h"
#include "lists.h"
#include "mustache.h"
#include "output.h"
#include "page_org.h"
#include "page_program.h"
#include "schema.h"
#include "settings.h"
#include "site.h"
#include "sitesearch.h"
#include "stats.h"
#include "summary.h"
#include "withdrawn.h"
#include "workers.h"

/* The keys of the groups of struct site (group.h): the id each record
 * points at. */
#define KEYFN(name, type, expr) \
	static const char *name(const void *p) { const struct type *x = p; return expr; }
KEYFN(key_app_round, application, x->round.v)
KEYFN(key_app_org, application, x->organization.v)
KEYFN(key_app_ind, application, x->individual.v)
KEYFN(key_notice_round, notice, x->round.v)
KEYFN(key_obj_notice, objection, x->notice.v)
KEYFN(key_obj_app, objection, x->application.v)
KEYFN(key_rev_app, revocation, x->application.v)
KEYFN(key_round_program, round, x->program.v)

/* ---- the build ---- */

static int award_date_desc(const void *a, const void *b)
{
	const struct application *x = *(const struct application *const *)a;
	const struct application *y = *(const struct application *const *)b;

	if (x->result_date.v != y->result_date.v)
		return x->result_date.v > y->result_date.v ? -1 : 1;
	return strcmp(x->certificate.v, y->certificate.v);
}

/* The pages the build will write, counted as pages_all, pages_withdrawn
 * and pages_changes will write them, for the progress display. */
static size_t count_pages(struct site *S)
{
	const struct record *r = S->r;
	const struct history_ref *refs;
	size_t n = 9, i, j, k, m; /* five lists, home, stats, 404, downloads */

	n += r->nprograms + r->nnotices + r->norganizations + r->nrevocations + r->nobjections;
	n += r->nindividuals ? r->nindividuals + 1 : 0;
	for (i = 0; i < r->nrounds; i++)
		n += r->rounds[i].res_program != NULL;
	for (i = 0; i < r->napplications; i++)
		n += r->applications[i].awarded && r->applications[i].certificate.v;
	for (i = 0; i < S->src->n; i++) {
		const char *p = S->src->v[i].path;
		n += ends_with(p, ".md") && (!strncmp(p, "content/announcements/", 22) ||
					     !strncmp(p, "content/pages/", 14));
	}
	if (!S->has_history)
		return n;
	for (i = 0; i < r->nnotices; i++) {
		m = history_of(&S->hist, KIND_NOTICE, r->notices[i].id.v, &refs);
		for (k = 0; k < m; k++)
			n += S->hist.commits[refs[k].commit].changes[refs[k].change].status != HIST_DELETED;
	}
	for (i = 0; i < S->hist.nrefs; i = j) {
		const struct history_ref *x = &S->hist.refs[i];
		for (j = i; j < S->hist.nrefs && S->hist.refs[j].kind == x->kind && !strcmp(S->hist.refs[j].id, x->id); j++)
			;
		if (x->kind == KIND_APPLICATION) {
			const struct gone_award *g = gone_find(S, i);
			n += g && g->shown;
			continue;
		}
		n += S->hist.commits[x->commit].changes[x->change].status == HIST_DELETED &&
		     section_of(x->kind) && !exists_now(S->r, x->kind, x->id) &&
		     strspn(x->id, ID_CHARS) == strlen(x->id);
	}
	/* the change log's pages, at least one, and a page per commit */
	n += S->hist.n ? (S->hist.n + CHANGES_PER_PAGE - 1) / CHANGES_PER_PAGE + S->hist.n : 1;
	return n;
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int pages_all(struct site *S)
{
	const struct record *r = S->r;
	cJSON *programs = NULL, *orgs = NULL, *revs = NULL, *objs = NULL, *awards = NULL, *people = NULL;
	size_t i, n;
	enum unit k;
	int error = 0;

	if (!(S->awards = malloc((r->napplications + 1) * sizeof(*S->awards))) ||
	    !(S->sums[SUM_ORG] = calloc(r->norganizations + 1, sizeof(cJSON *))) ||
	    !(S->sums[SUM_REVOCATION] = calloc(r->nrevocations + 1, sizeof(cJSON *))) ||
	    !(S->sums[SUM_OBJECTION] = calloc(r->nobjections + 1, sizeof(cJSON *)))) {
		error = fail_nomem();
		goto done;
	}
	for (i = 0; i < r->napplications; i++)
		if (r->applications[i].awarded && r->applications[i].certificate.v)
			S->awards[S->nawards++] = &r->applications[i];
	qsort(S->awards, S->nawards, sizeof(*S->awards), award_date_desc);
	for (k = 0; k < U_KINDS && error >= 0; k++) {
		for (i = n = 0; i < unit_count(S, k) && !n; i++)
			n = k != U_ROUND || r->rounds[i].res_program;
		if (n)
			error = output_mkdir(&S->out, unit_section(k));
	}
	if (error < 0 || (error = start_workers(S)) < 0)
		goto done;
	output_flush(&S->out); /* after the last fork: output.h */
	/* this process's own lists, made after the fork: a worker leaves by
	 * _exit(), and what it held of them would count as leaked */
	if (!(programs = cJSON_CreateArray()) || !(orgs = cJSON_CreateArray()) || !(revs = cJSON_CreateArray()) ||
	    !(objs = cJSON_CreateArray()) || !(awards = cJSON_CreateArray()) || !(people = cJSON_CreateArray())) {
		error = fail_nomem();
		goto done;
	}
	/* this process's own pages first: the workers take more units meanwhile */
	/* each entry of their lists carries its own stamp (row_end()) */
	for (i = 0; i < r->nprograms && error >= 0; i++) {
		stamp_reset(S);
		error = page_program(S, &r->programs[i], programs);
	}
	for (i = 0; i < r->nindividuals && error >= 0; i++) {
		stamp_reset(S);
		error = page_individual(S, &r->individuals[i], people);
	}
	if (error >= 0 && r->nindividuals)
		error = emit_list(S, "individuals/index.html", "individuals", "申报个人", "individuals", people);
	if (error >= 0)
		error = page_stats(S);
	/* the downloads show every record: the newest commit */
	stamp_reset(S);
	S->stamp_every = true;
	if (error >= 0)
		error = emit(S, "downloads/index.html", "downloads", "开放数据", NULL, cJSON_CreateObject());
	stamp_reset(S); /* content/ alone, and the settings */
	if (error >= 0)
		error = pages_content(S);
	if (error >= 0)
		error = emit(S, "404.html", "404", "页面不存在", NULL, cJSON_CreateObject());
	if (error >= 0)
		error = emit_feed(S, "feed.xml", "全部公告", NULL, false);
	if (error >= 0)
		error = emit_feed(S, "notices.xml", "公示公告", NULL, true);
	for (i = 0; i < r->nprograms && error >= 0; i++) {
		char path[MAX_URL];
		snprintf(path, sizeof(path), "programs/%s/feed.xml", r->programs[i].id.v);
		error = emit_feed(S, path, r->programs[i].name, &r->programs[i], false);
	}
	if (error >= 0)
		error = downloads(S);
	if (error >= 0 && S->has_history && (error = pages_withdrawn(S)) >= 0) {
		stamp_reset(S);
		error = pages_changes(S);
	}
	if (error >= 0)
		error = render_units(S);
	if (error < 0 || (error = join_workers(S)) < 0)
		goto done;
	for (i = 0; i < S->nawards; i++) {
		stamp_reset(S);
		row_put_stamp(S, award_summary(S, awards, S->awards[i]));
	}
	for (i = 0; i < r->norganizations; i++)
		put_item(orgs, NULL, S->sums[SUM_ORG][i], false);
	for (i = r->nrevocations; i-- > 0;) /* newest decisions first */
		put_item(revs, NULL, S->sums[SUM_REVOCATION][i], false);
	for (i = 0; i < r->nobjections; i++)
		put_item(objs, NULL, S->sums[SUM_OBJECTION][i], false);
	/* the lists own them now */
	memset(S->sums[SUM_ORG], 0, r->norganizations * sizeof(cJSON *));
	memset(S->sums[SUM_REVOCATION], 0, r->nrevocations * sizeof(cJSON *));
	memset(S->sums[SUM_OBJECTION], 0, r->nobjections * sizeof(cJSON *));
	if ((error = emit_list(S, "programs/index.html", "programs", "评选项目", "programs", programs)) >= 0 &&
	    (error = emit_lists(S, orgs, awards, revs, objs)) >= 0 && (error = emit_lapses(S)) >= 0 &&
	    (error = page_home(S, programs, revs)) >= 0 && (error = search_pages(S)) >= 0) {
		/* in no process's order: the same whatever the number of processes */
		qsort(S->paths, S->npaths, sizeof(*S->paths), path_cmp);
		error = sitemap(S, S->paths, S->npaths);
	}
done:
	cJSON_Delete(programs);
	cJSON_Delete(orgs);
	cJSON_Delete(revs);
	cJSON_Delete(objs);
	cJSON_Delete(awards);
	cJSON_Delete(people);
	return error;
}

/* Whether the path a is b or lies within it. */
static bool path_within(const char *a, const char *b)
{
	size_t n = strlen(b);

	while (n > 1 && b[n - 1] == '/')
		n--;
	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '/' || (n == 1 && b[0] == '/'));
}

/* The folder need not exist; when its parent does not either,
 * output_open() says so. */
int site_check_out_dir(const struct source *src, const char *dir)
{
	static const char *const made_from[] = { ".git", SOURCE_ROOT, "content", "themes" };
	const char *gitdir = source_gitdir(src), *name;
	char *slash;
	char *real = NULL, *root = NULL, *git = NULL, *parent = NULL;
	struct buf b = BUF_INIT;
	size_t i, n = strlen(dir);
	int error = 0;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (!(parent = malloc(n + 1)))
		return fail_nomem();
	memcpy(parent, dir, n);
	parent[n] = '\0';
	if (!(real = realpath(parent, NULL))) {
		/* absent: its parent resolved, and its name */
		if (errno != ENOENT)
			goto done;
		slash = strrchr(parent, '/');
		name = slash ? slash + 1 : parent;
		if (slash)
			*(slash == parent ? slash + 1 : slash) = '\0';
		if (!(real = realpath(slash ? parent : ".", NULL)))
			goto done;
		error = buf_printf(&b, "%s/%s", strcmp(real, "/") ? real : "", dir + (name - parent));
		free(real);
		real = NULL;
		if (error < 0)
			goto done;
		b.len -= strlen(dir) - n; /* the trailing slashes */
		b.ptr[b.len] = '\0';
		if (!(real = strdup(b.ptr))) {
			error = fail_nomem();
			goto done;
		}
	}
	if (!src->root || !(root = realpath(src->root, NULL)))
		goto done;
	if (gitdir)
		git = realpath(gitdir, NULL);
	if (!strcmp(real, root)) {
		error = error_set(ERR_USAGE, "the output folder %s is the repository itself; refusing to replace "
				  "it.  Build into a folder of its own (default: public)", dir);
		goto done;
	}
	for (i = 0; i < sizeof(made_from) / sizeof(made_from[0]) && error >= 0; i++) {
		buf_clear(&b);
		if ((error = buf_printf(&b, "%s/%s", root, made_from[i])) >= 0 && path_within(real, b.ptr))
			error = error_set(ERR_USAGE, "the output folder %s is in the repository's %s folder, %s; "
					  "refusing to replace it.  Build into a folder of its own (default: public)",
					  dir, made_from[i], i ? "which the site is made from" : "its history");
	}
	if (error >= 0 && git && path_within(real, git))
		error = error_set(ERR_USAGE, "the output folder %s is in the repository's git folder %s; refusing "
				  "to replace it.  Build into a folder of its own (default: public)", dir, git);
done:
	free(real);
	free(root);
	free(git);
	free(parent);
	buf_release(&b);
	return error;
}

static void note_waiting(const char *dir, long pid)
{
	fprintf(stderr, "gongshi build: waiting for the build of %s in process %ld to end\n", dir, pid);
}

int site_build(const struct record *r, const struct source *src,
	       const struct build_options *o, struct build_stats *stats)
{
	struct site S = { .r = r, .src = src, .o = o, .out = OUTPUT_INIT, .scratch = BUF_INIT,
			  .html = BUF_INIT, .json = BUF_INIT, .stamp = SIZE_MAX };
	static const char *const site_dirs[] = { "content", "themes" };
	struct schema_set *schemas = NULL;
	struct diags d = DIAGS_INIT;
	const char *base, *why;
	char *base_copy = NULL;
	size_t i;
	int error;

	memset(stats, 0, sizeof(*stats));
	ctx_nomem = false; /* a failed build may have left it set */
	if ((S.work = mmap(NULL, sizeof(*S.work), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
			   0)) == MAP_FAILED) {
		S.work = NULL;
		error = error_set(ERR_NOMEM, "mmap: %s", strerror(errno));
		goto done;
	}
	if ((error = schema_set_load(&schemas)) < 0)
		goto done;
	if ((error = load_settings(&S, schemas, &d)) != 0) {
		if (error > 0) {
			struct buf msg = BUF_INIT;
			diags_sort(&d);
			for (i = 0; i < d.n; i++)
				buf_printf(&msg, "%s%s:%u:%u: error: %s [%s]", i ? "\n" : "", d.v[i].path,
					   (unsigned)d.v[i].line, (unsigned)d.v[i].col, d.v[i].msg, d.v[i].rule);
			error = error_set(ERR_INVALID, "%s", buf_cstr(&msg));
			buf_release(&msg);
		}
		goto done;
	}
	base = o->base_url ? o->base_url : json_get_string(S.settings, "base_url");
	if (base && *base && (why = site_base_url_problem(base))) {
		error = o->base_url ? error_set(ERR_USAGE, "--base-url %s: %s", base, why)
				    : error_set(ERR_INVALID, "content/site.json: base_url %s: %s", base, why);
		goto done;
	}
	if (base && *base) {
		size_t len = strlen(base);
		if (!(base_copy = malloc(len + 2))) {
			error = fail_nomem();
			goto done;
		}
		snprintf(base_copy, len + 2, "%s%s", base, base[len - 1] == '/' ? "" : "/");
		S.base_url = base_copy;
		put_str(S.settings, "base_url", NULL);
		cJSON_DeleteItemFromObjectCaseSensitive(S.settings, "base_url");
		cJSON_AddStringToObject(S.settings, "base_url", base_copy);
	}
	if ((error = require_signed(&S)) < 0 || (error = load_theme(&S)) < 0)
		goto done;
	if ((error = group_build(&S.apps_by_round, r->applications, r->napplications,
				 sizeof(*r->applications), key_app_round)) < 0 ||
	    (error = group_build(&S.apps_by_org, r->applications, r->napplications,
				 sizeof(*r->applications), key_app_org)) < 0 ||
	    (error = group_build(&S.apps_by_ind, r->applications, r->napplications,
				 sizeof(*r->applications), key_app_ind)) < 0 ||
	    (error = group_build(&S.notices_by_round, r->notices, r->nnotices, sizeof(*r->notices),
				 key_notice_round)) < 0 ||
	    (error = group_build(&S.objs_by_notice, r->objections, r->nobjections,
				 sizeof(*r->objections), key_obj_notice)) < 0 ||
	    (error = group_build(&S.objs_by_app, r->objections, r->nobjections, sizeof(*r->objections),
				 key_obj_app)) < 0 ||
	    (error = group_build(&S.revs_by_app, r->revocations, r->nrevocations,
				 sizeof(*r->revocations), key_rev_app)) < 0 ||
	    (error = group_build(&S.rounds_by_program, r->rounds, r->nrounds, sizeof(*r->rounds),
				 key_round_program)) < 0)
		goto done;
	if (!src->worktree) {
		if (o->progress)
			o->progress(o->progress_arg, 0, 0);
		if ((error = history_load(&S.hist, src, o->cache)) < 0)
			goto done;
		S.has_history = true;
		if ((error = gone_awards(&S)) < 0 ||
		    (error = source_last_change(src, site_dirs, 2, S.site_commit, &S.site_time)) < 0)
			goto done;
	}
	S.out.flags = (o->no_spare ? 0 : OUTPUT_SPARE) | (o->discard_foreign ? OUTPUT_DISCARD : 0) |
		      OUTPUT_WAIT;
	S.out.waiting = o->quiet ? NULL : note_waiting;
	if ((error = site_check_out_dir(src, o->out_dir)) < 0 ||
	    (error = output_open(&S.out, o->out_dir)) < 0 ||
	    (error = publication_log(&S)) < 0 ||
	    (error = write_assets(&S)) < 0 ||
	    (error = make_base(&S)) < 0 ||
	    (S.total = count_pages(&S), progress(&S), 0) ||
	    (error = pages_all(&S)) < 0 ||
	    (error = output_commit(&S.out)) < 0)
		goto done;
	stats->commits = S.hist.n;
	stats->walked = S.hist.walked;
	stats->pages = S.work->pages;
	stats->files = output_count(&S.out);
	stats->bytes = output_bytes(&S.out);
	{
		struct output_changes c;
		if ((error = output_changes(&S.out, o->changes, &c)) < 0)
			goto done;
		stats->added = c.added;
		stats->changed = c.changed;
		stats->removed = c.removed;
	}
done:
	if (S.nworkers) /* before the abort: they write into the folder */
		stop_workers(&S);
	if (error == ERR_IO) /* a full disk, say: the folder is not kept as the spare */
		output_discard(&S.out);
	else if (error < 0)
		output_abort(&S.out);
	output_release(&S.out);
	site_release(&S);
	schema_set_free(schemas);
	diags_release(&d);
	free(base_copy);
	return error;
}

/* Frees what S owns but its output (which a worker must leave alone). */
void site_release(struct site *S)
{
	size_t i, k;

	for (i = 0; i < S->npaths; i++)
		free(S->paths[i]);
	free(S->paths);
	group_release(&S->apps_by_round);
	group_release(&S->apps_by_org);
	group_release(&S->apps_by_ind);
	group_release(&S->notices_by_round);
	group_release(&S->objs_by_notice);
	group_release(&S->objs_by_app);
	group_release(&S->revs_by_app);
	group_release(&S->rounds_by_program);
	mustache_set_free(S->theme);
	history_release(&S->hist);
	cJSON_Delete(S->publications);
	cJSON_Delete(S->settings);
	buf_release(&S->scratch);
	buf_release(&S->html);
	buf_release(&S->json);
	cJSON_Delete(S->base);
	for (i = 0; i <= NAV_ITEMS; i++)
		cJSON_Delete(S->navs[i]);
	for (k = 0; k < SUM_KINDS; k++) {
		size_t n = unit_count(S, k == SUM_ORG ? U_ORG : k == SUM_REVOCATION ? U_REVOCATION : U_OBJECTION);
		for (i = 0; S->sums[k] && i < n; i++)
			cJSON_Delete(S->sums[k][i]);
		free(S->sums[k]);
	}
	free(S->awards);
	for (i = 0; i < S->ngone; i++)
		free(S->gone[i].cert);
	free(S->gone);
	free(S->gone_by_cert);
	if (S->work)
		munmap(S->work, sizeof(*S->work));
}

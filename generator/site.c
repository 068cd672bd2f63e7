/* site.c - the public website (see site.h). */

/* memfd_create() is Linux's: a worker's report needs a file that is no
 * file's name. */
#define _GNU_SOURCE

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "check.h"
#include "embed.h"
#include "history.h"
#include "error.h"
#include "markdown.h"
#include "mustache.h"
#include "output.h"
#include "publog.h"
#include "schema.h"
#include "search.h"
#include "sign.h"
#include "site.h"
#include "svg.h"
#include "words.h"
#include "text.h"

#define MAX_URL 512
#define NAV_ITEMS 8

/* Records grouped by a key (an id they point at), for O(log n) lookups. */
struct group {
	const void **v;          /* owned; sorted by key, then as inserted */
	size_t n;
	const char *(*key)(const void *);
};

/* The units of work shared out between processes, in claiming order,
 * and the records whose list entries a worker hands back. */
enum unit { U_ROUND, U_NOTICE, U_ORG, U_AWARD, U_REVOCATION, U_OBJECTION, U_COMMIT, U_KINDS };
enum { SUM_ORG, SUM_REVOCATION, SUM_OBJECTION, SUM_KINDS };

/*
 * A withdrawn application whose last version had a certificate.  An
 * award's URL is its certificate's, so when a certificate passed from one
 * id to another (an application renamed), one page answers for them all:
 * the current holder's, else that of the last withdrawn; the others'
 * histories are shown on it.
 */
struct gone_award {
	const char *id;          /* the history's */
	char *cert;              /* owned */
	size_t ref;              /* its first (newest) ref in hist.refs */
	size_t commit;           /* the commit that withdrew it (hist.commits) */
	bool shown;              /* its page is awards/<cert>/ */
};

struct work {                /* in memory shared by every process */
	size_t next;         /* the next unit to claim */
	size_t pages;        /* pages written by them all */
	int failed;          /* one failed: the others stop claiming */
};

struct site {
	const struct record *r;
	const struct source *src;
	const struct build_options *o;
	struct output out;
	struct mustache_set *theme;
	cJSON *settings;         /* content/site.json, or an empty object */
	const char *base_url;    /* normalized to end in '/', or NULL */
	char css[64];            /* fingerprinted stylesheet path */
	char today_zh[32];
	struct group apps_by_round, apps_by_org, apps_by_ind, notices_by_round, objs_by_notice,
		objs_by_app, revs_by_app, rounds_by_program;
	struct buf scratch;
	struct buf html, json;   /* a page and a record's JSON as written:
				    kept across pages, so each grows once */
	cJSON *base;             /* what every page renders under: css, site,
				    build (see emit) */
	cJSON *navs[NAV_ITEMS + 1]; /* {"nav": [...]} with item i current,
				       the last with none; made when first
				       needed */
	size_t pages;
	size_t total;            /* pages expected, for progress */
	char **paths;            /* HTML pages written, for the sitemap */
	size_t npaths, cap;
	struct history hist;     /* empty for a preview of the working tree */
	bool has_history;
	/* What a page names as its source (see stamp_record()): the newest
	 * commit, as an index into hist.commits (SIZE_MAX: none yet), among
	 * those that last changed a record the page was built from, since
	 * the last stamp_reset(); every page also shows the settings and the
	 * theme, last changed by site_commit (at site_time; "" if unknown). */
	size_t stamp;
	bool stamp_every;        /* the page shows every record (lists,
				    statistics): the newest commit */
	char site_commit[41];
	int64_t site_time;
	cJSON *publications;     /* the publication log, this build included */
	char log_head[65];       /* its chain's head ("" for an empty log) */
	struct work *work;       /* mmap()ed, MAP_SHARED */
	bool in_worker;          /* this process is a forked worker */
	const struct application **awards; /* owned: awarded applications with a
					      certificate, newest first */
	size_t nawards;
	struct gone_award *gone; /* owned: withdrawn applications whose last
				    version had a certificate, in refs order */
	struct gone_award **gone_by_cert; /* owned: the same, by certificate,
					     latest withdrawal first */
	size_t ngone;
	cJSON **sums[SUM_KINDS]; /* owned: each organization's, revocation's
				    and objection's entry in its list, by
				    index; NULL until rendered */
	pid_t pids[SITE_MAX_JOBS]; /* the workers, and the memfd each */
	int fds[SITE_MAX_JOBS];    /* reports on (-1: closed) */
	size_t nworkers;
};

/* ---- small helpers ---- */

static bool ends_with(const char *s, const char *suffix);
static void rfc3339(char out[32], date_t t);

static const char *fmt_iso(char out[11], date_t t)
{
	date_format(t, out);
	return out;
}

/* The first line of Markdown text without its "# ", for a title. */
static void md_title(const char *md, char *out, size_t size)
{
	while (*md == '#')
		md++;
	while (*md == ' ')
		md++;
	snprintf(out, size, "%.*s", (int)strcspn(md, "\n"), md);
}

static int fail_nomem(void)
{
	return error_nomem();
}

/*
 * Whether a put_* or add_* helper below lost a member to a failed
 * allocation since the last ctx_check(): cJSON's Add functions tell it
 * only by their result, and a check after each of the hundreds of calls
 * that build the pages would be most of their code.  Every page and
 * JSON file is written after a ctx_check(), so such a failure fails the
 * build instead of writing a page with fields missing.  One per
 * process: the workers are processes, each building its pages in one
 * thread.
 */
static bool ctx_nomem;

static int ctx_check(void)
{
	if (!ctx_nomem)
		return 0;
	ctx_nomem = false;
	return fail_nomem();
}

static void put_str(cJSON *o, const char *k, const char *v)
{
	if (v && !cJSON_AddStringToObject(o, k, v))
		ctx_nomem = true;
}

static void put_num(cJSON *o, const char *k, double v)
{
	if (!cJSON_AddNumberToObject(o, k, v))
		ctx_nomem = true;
}

static void put_bool(cJSON *o, const char *k, bool v)
{
	if (!cJSON_AddBoolToObject(o, k, v))
		ctx_nomem = true;
}

/* Adds k ("2024-03-05") and k_zh ("2024年3月5日") for a date that is set. */
static void put_date(cJSON *o, const char *k, date_t t)
{
	char iso[11], zh[32], key[64];

	if (t == DATE_NONE)
		return;
	date_format(t, iso);
	date_format_zh(t, zh);
	put_str(o, k, iso);
	snprintf(key, sizeof(key), "%s_zh", k);
	put_str(o, key, zh);
}

/* Adds item (owned; NULL after a failed allocation) as o's k, or to the
 * array o if k is NULL; a reference to it, not owned, if ref. */
static cJSON *put_item(cJSON *o, const char *k, cJSON *item, bool ref)
{
	bool ok;

	if (!item) {
		ctx_nomem = true;
		return NULL;
	}
	if (ref)
		ok = k ? cJSON_AddItemReferenceToObject(o, k, item) : cJSON_AddItemReferenceToArray(o, item);
	else
		ok = k ? cJSON_AddItemToObject(o, k, item) : cJSON_AddItemToArray(o, item);
	if (!ok) {
		if (!ref)
			cJSON_Delete(item);
		ctx_nomem = true;
		return NULL;
	}
	return item;
}

static cJSON *add_obj(cJSON *o, const char *k)
{
	return put_item(o, k, cJSON_CreateObject(), false);
}

static cJSON *add_arr(cJSON *o, const char *k)
{
	return put_item(o, k, cJSON_CreateArray(), false);
}

static cJSON *push_obj(cJSON *arr)
{
	return put_item(arr, NULL, cJSON_CreateObject(), false);
}

/* Site-relative page paths ("notices/x/index.html"), derived from ids only. */
static const char *href(char *out, const char *section, const char *id)
{
	snprintf(out, MAX_URL, "%s/%s/index.html", section, id);
	return out;
}

/* ---- what a page is built from: its stamp ---- */

/*
 * A page names the commit that last changed what it shows, not the
 * build's, so that it changes only when what it shows does.  Records
 * enter a page's context through a few doors, each of which stamps the
 * record: load_public() (a record's full text), the summaries and
 * references of other records (notice_summary(), award_summary(),
 * revocation_summary(), put_org_ref(S, ), put_applicant_ref(S, )) and every
 * link to a record's page (put_href()).  A stamp only ever moves to a
 * newer commit between resets (one per unit of work), so a page that
 * shares a unit with another may name a newer commit than it needs to,
 * never an older one.
 */
static void stamp_reset(struct site *S)
{
	S->stamp = SIZE_MAX;
	S->stamp_every = false;
}

static void stamp_commit(struct site *S, size_t i)
{
	if (i < S->stamp)
		S->stamp = i;
}

/*
 * A list's page names the newest of its rows' stamps, not the newest
 * commit: a row carries the stamp of exactly what it shows (the records
 * and calendars whose data enter it, between row_begin() and row_end(),
 * not all its record's page shows) as the member STAMP_KEY, taken off
 * again, before the list is written, by row_stamp().  A row whose record
 * was withdrawn, or that moved to another page, is no longer there to
 * stamp the page it left: such a page may name an older commit than
 * the one that changed it (its bytes still change, and a rebuild still
 * equals a clean build).
 */
#define STAMP_KEY "_stamp"

static void row_put_stamp(struct site *S, cJSON *row)
{
	if (row && S->stamp != SIZE_MAX)
		put_num(row, STAMP_KEY, (double)S->stamp);
}

/* A row made within a page: its own stamp starts afresh; the page's,
 * returned, is taken up again by row_end(). */
static size_t row_begin(struct site *S)
{
	size_t page = S->stamp;

	S->stamp = SIZE_MAX;
	return page;
}

static void row_end(struct site *S, cJSON *row, size_t page)
{
	row_put_stamp(S, row);
	stamp_commit(S, page);
}

static size_t row_stamp(cJSON *row)
{
	cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(row, STAMP_KEY);
	size_t i = cJSON_IsNumber(m) && m->valuedouble >= 0 ? (size_t)m->valuedouble : SIZE_MAX;

	cJSON_Delete(m);
	return i;
}

static void stamp_record(struct site *S, enum record_kind k, const char *id)
{
	const struct history_ref *first;

	if (S->has_history && id && history_of(&S->hist, k, id, &first))
		stamp_commit(S, first->commit);
}

/*
 * As stamp_record(), for a page that shows only some fields of the
 * record (top-level names, NULL-ended): the newest of its changes that
 * touched one of them.  A change that added or moved the record, or
 * whose versions were not both parsed, touched them all; a history cut
 * short gives the oldest change it holds.
 */
static void stamp_fields(struct site *S, enum record_kind k, const char *id, const char *const *fields)
{
	const struct history_ref *first;
	size_t n, i, j, f, len;

	if (!S->has_history || !id || !(n = history_of(&S->hist, k, id, &first)))
		return;
	for (i = 0; i < n; i++) {
		const struct history_change *e = &S->hist.commits[first[i].commit].changes[first[i].change];
		bool hit = e->status != HIST_MODIFIED || !e->parsed;
		for (j = 0; !hit && j < e->fields.n; j++)
			for (f = 0; !hit && fields[f]; f++) {
				const char *p = e->fields.v[j].path;
				len = strlen(fields[f]);
				hit = p && !strncmp(p, fields[f], len) && (!p[len] || p[len] == '.' || p[len] == '[');
			}
		if (hit)
			break;
	}
	stamp_commit(S, first[i < n ? i : n - 1].commit);
}

static enum record_kind section_kind(const char *section)
{
	static const char *const dirs[] = { "programs", "organizations", "rounds", NULL, "notices",
					    "objections", "revocations", "individuals" };
	size_t k;

	for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++)
		if (dirs[k] && !strcmp(section, dirs[k]))
			return (enum record_kind)k;
	return KIND_NONE;
}

static void put_href(struct site *S, cJSON *o, const char *k, const char *section, const char *id)
{
	char u[MAX_URL];
	enum record_kind kind = section_kind(section);

	if (id) {
		put_str(o, k, href(u, section, id));
		if (kind != KIND_NONE)
			stamp_record(S, kind, id);
	}
}

/* ---- groups ---- */

static int group_cmp(const void *a, const void *b, const char *(*key)(const void *))
{
	return strcmp(key(*(const void *const *)a), key(*(const void *const *)b));
}

static const char *(*sort_key)(const void *);

static int group_sort(const void *a, const void *b)
{
	int c = group_cmp(a, b, sort_key);

	/* stable on the array order, which is id order */
	if (c)
		return c;
	return *(const void *const *)a < *(const void *const *)b ? -1
	       : *(const void *const *)a > *(const void *const *)b;
}

static int group_build(struct group *g, const void *arr, size_t n, size_t size,
		       const char *(*key)(const void *))
{
	size_t i;

	g->key = key;
	g->n = 0;
	if (!(g->v = malloc((n + 1) * sizeof(*g->v))))
		return fail_nomem();
	for (i = 0; i < n; i++) {
		const void *e = (const char *)arr + i * size;
		if (key(e))
			g->v[g->n++] = e;
	}
	sort_key = key;
	qsort(g->v, g->n, sizeof(*g->v), group_sort);
	return 0;
}

/* The members with key k: *first, and the count. */
static size_t group_find(const struct group *g, const char *k, const void *const **first)
{
	size_t lo = 0, hi = g->n, end;

	*first = NULL;
	if (!k)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(g->key(g->v[mid]), k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < g->n && !strcmp(g->key(g->v[end]), k); end++)
		;
	*first = g->v + lo;
	return end - lo;
}

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

static void group_release(struct group *g)
{
	free(g->v);
	g->v = NULL;
	g->n = 0;
}

/* ---- reading a record's full text ---- */

static void strip_private(cJSON *o)
{
	cJSON *c, *next;

	if (!cJSON_IsObject(o) && !cJSON_IsArray(o))
		return;
	for (c = o->child; c; c = next) {
		next = c->next;
		if (cJSON_IsObject(o) && c->string && !strcmp(c->string, "private")) {
			cJSON_Delete(cJSON_DetachItemViaPointer(o, c));
			continue;
		}
		strip_private(c);
	}
}

/* The public part of a record file: its tree without any "private". */
static int load_public(struct site *S, const char *path, struct json_doc *doc)
{
	struct diags d = DIAGS_INIT;
	uint64_t size;
	int i = source_find(S->src, path), error;

	if (i < 0)
		return error_set(ERR_IO, "%s: not in the source", path);
	if ((error = source_read(S->src, (size_t)i, JSON_MAX_BYTES, &S->scratch, &size)) < 0)
		goto done;
	/* A source that keeps what it read gives the very bytes that passed
	 * json_parse() when the record was loaded, so cJSON alone builds the
	 * same tree; each page and the downloads parse a file again, and the
	 * strict scan was half of that.  Anything else is checked again. */
	if (S->src->kept) {
		if ((error = json_parse_trusted(buf_cstr(&S->scratch), S->scratch.len, &doc->root)) < 0)
			goto done;
		error = doc->root ? 0 : 1;
	} else {
		error = json_parse_tree(doc, path, buf_cstr(&S->scratch), S->scratch.len, &d);
	}
	if (error != 0) {
		if (error > 0)
			error = error_set(ERR_INVALID, "%s: not valid JSON any more", path);
		goto done;
	}
	{
		char id[256];
		enum record_kind kind;
		if (history_record_id(path, doc->root, id, sizeof(id), &kind) == 0)
			stamp_record(S, kind, id);
	}
	strip_private(doc->root);
	/* $schema is for editors, not citizens */
	cJSON_DeleteItemFromObjectCaseSensitive(doc->root, "$schema");
done:
	diags_release(&d);
	return error;
}

/* A text file of content/ (Markdown, settings), read at the build's
 * commit; 1 if there is none.  site_check() refused one too large. */
static int load_content(struct site *S, const char *path, struct buf *out)
{
	uint64_t size;
	int i = source_find(S->src, path), error;

	buf_clear(out);
	if (i < 0 || S->src->v[i].link)
		return 1;
	if ((error = source_read(S->src, (size_t)i, SITE_MARKDOWN_MAX, out, &size)) < 0)
		return error;
	if (size > SITE_MARKDOWN_MAX)
		return error_set(ERR_LIMIT, "%s: %llu bytes, more than %d", path, (unsigned long long)size,
				 SITE_MARKDOWN_MAX);
	return 0;
}

/* An announcement's or page's file name becomes its URL: the characters
 * of ids only.  *slug (size bytes) is that name without ".md". */
static bool content_slug(const char *path, char *slug, size_t size)
{
	size_t len = strlen(path), skip = !strncmp(path, "content/announcements/", 22) ? 22
					 : !strncmp(path, "content/pages/", 14) ? 14 : 0;

	if (!skip || len < skip + 4 || strcmp(path + len - 3, ".md"))
		return false;
	snprintf(slug, size, "%.*s", (int)(len - skip - 3), path + skip);
	return strlen(slug) == len - skip - 3 && strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(slug);
}

static int put_markdown(cJSON *o, const char *k, const char *md, int shift)
{
	struct buf html = BUF_INIT;
	int error;

	if (!md)
		return 0;
	if ((error = markdown_render(md, strlen(md), shift, &html)) == 0)
		put_str(o, k, buf_cstr(&html));
	buf_release(&html);
	return error;
}

/* ---- states computed at build time ---- */

static const char *tier_name(const struct tier *t)
{
	return t && t->name ? t->name : "";
}

static const struct program *program_of(const struct application *a)
{
	return a && a->res_round ? a->res_round->res_program : NULL;
}

/* An award's standing today. */
static void put_award_status(struct site *S, cJSON *o, const struct application *a)
{
	const struct tier *t = a->res_result_tier;
	date_t today = S->o->today;

	if (a->res_revoked && a->res_revoked->decided.v != DATE_NONE && a->res_revoked->decided.v <= today) {
		put_str(o, "status", "revoked");
		put_str(o, "status_zh", "已撤销");
		put_date(o, "revoked", a->res_revoked->decided.v);
		put_href(S, o, "revocation_href", "revocations", a->res_revoked->id.v);
		return;
	}
	if (t && t->validity_years && a->result_date.v != DATE_NONE) {
		/* the reapply-wait convention: 5 years from 2024-07-16 end 2029-07-16 */
		date_t until = date_period_end(a->result_date.v, (int)t->validity_years, 0);
		put_date(o, "valid_until", until);
		if (today > until) {
			put_str(o, "status", "expired");
			put_str(o, "status_zh", "已过有效期");
			return;
		}
	}
	put_str(o, "status", "valid");
	put_str(o, "status_zh", "有效");
}

enum nstate { NS_NOT_OPEN, NS_OPEN, NS_REVIEW, NS_CLEAN, NS_CLOSED, NS_PUBLISHED };

static enum nstate notice_state(struct site *S, const struct notice *n, long *left)
{
	const void *const *f;
	size_t k, cnt;
	bool any = false, pending = false;

	*left = 0;
	if (n->kind > NOTICE_PROPOSED_WINNERS || n->start.v == DATE_NONE || n->end.v == DATE_NONE)
		return NS_PUBLISHED;
	if (S->o->today < n->start.v)
		return NS_NOT_OPEN;
	cnt = group_find(&S->objs_by_notice, n->id.v, &f);
	for (k = 0; k < cnt; k++) {
		const struct objection *b = f[k];
		if (b->received.v != DATE_NONE && b->received.v > S->o->today)
			continue; /* not yet received as of the build date */
		any = true;
		/* once the period is over, they decide the state shown */
		if (S->o->today > n->end.v)
			stamp_record(S, KIND_OBJECTION, b->id.v);
		pending |= b->status == OBJ_UNDER_REVIEW ||
			   (b->decided.v != DATE_NONE && b->decided.v > S->o->today);
	}
	if (S->o->today <= n->end.v) {
		*left = (long)n->end.v - S->o->today + 1;
		return NS_OPEN;
	}
	if (pending)
		return NS_REVIEW;
	return any ? NS_CLOSED : NS_CLEAN;
}

static const char *const nstate_ids[] = { "not-open", "open", "review", "clean", "closed", "published" };

/* The days of n's period left from today on, in the unit its program
 * counts it in: a period of working days has fewer left over a weekend
 * or holiday than the calendar says.  *working: counted in working days. */
static long days_left(struct site *S, const struct notice *n, long calendar_days, bool *working)
{
	const struct program *p = n->res_round ? n->res_round->res_program : NULL;
	const struct notice_rule *nr = program_notice_rule(p, n->kind);
	int k;

	*working = false;
	if (nr && nr->has_unit && nr->unit == UNIT_WORKING_DAYS) { /* the calendars counted in */
		char from[11], to[11], year[8];
		int y;
		fmt_iso(from, S->o->today);
		fmt_iso(to, n->end.v);
		for (y = atoi(from); y <= atoi(to) && y < atoi(from) + 100; y++) {
			snprintf(year, sizeof(year), "%d", y);
			stamp_record(S, KIND_CALENDAR, year);
		}
	}
	if (!nr || !nr->has_unit || nr->unit != UNIT_WORKING_DAYS ||
	    calendar_count_working_days(&S->r->calendar, S->o->today, n->end.v, &k) < 0) {
		error_clear();
		return calendar_days;
	}
	*working = true;
	return k;
}

/* The state of n for the template's sentence (notice-state.mustache):
 * its id, the days left, and how long objections take to handle. */
static void put_notice_state(struct site *S, cJSON *o, const struct notice *n)
{
	const struct program *p = n->res_round ? n->res_round->res_program : NULL;
	long left;
	bool working;
	enum nstate st = notice_state(S, n, &left);
	static const char *const flags[] = { "state_not_open", "state_open", "state_review", "state_clean",
					     "state_closed", "state_published" };

	put_str(o, "state", nstate_ids[st]);
	put_bool(o, flags[st], true);
	if (st == NS_OPEN) {
		put_num(o, "days_left", (double)days_left(S, n, left, &working));
		put_bool(o, "days_working", working);
		put_bool(o, "open", true);
	}
	if (st == NS_OPEN || st == NS_REVIEW || st == NS_NOT_OPEN) {
		put_date(o, "state_start", n->start.v);
		put_date(o, "state_end", n->end.v);
		if (p && p->has_decision) {
			put_num(o, "handling_within", (double)p->decision_within);
			put_bool(o, "handling_working", p->decision_unit == UNIT_WORKING_DAYS);
			put_str(o, "handling_article", p->decision_article);
		}
	}
}

/* ---- summaries shared by pages ---- */

static void put_org_ref(struct site *S, cJSON *o, const struct organization *g, const char *id)
{
	stamp_record(S, KIND_ORGANIZATION, id);
	put_str(o, "org_id", id);
	put_str(o, "org_name", g && g->name ? g->name : id);
	if (g)
		put_href(S, o, "org_href", "organizations", g->id.v);
}

/* The applicant, organization or person, under the keys templates use
 * for both (org_*); a person is named and linked, nothing more.  Of the
 * application it shows whose it is: a caller that shows more of it
 * stamps it whole. */
static void put_applicant_ref(struct site *S, cJSON *o, const struct application *a)
{
	static const char *const shown[] = { "organization", "individual", NULL };

	stamp_fields(S, KIND_APPLICATION, a->id.v, shown);
	if (!a->individual.v) {
		put_org_ref(S, o, a->res_org, a->organization.v);
		return;
	}
	put_str(o, "org_id", a->individual.v);
	put_str(o, "org_name", a->res_ind && a->res_ind->name ? a->res_ind->name : a->individual.v);
	put_bool(o, "individual", true);
	if (a->res_ind)
		put_href(S, o, "org_href", "individuals", a->res_ind->id.v);
}

static const char *applicant_name(const struct application *a)
{
	if (a->individual.v)
		return a->res_ind && a->res_ind->name ? a->res_ind->name : a->individual.v;
	return a->res_org && a->res_org->name ? a->res_org->name : a->organization.v;
}

/* A notice as lists show it: not its entries or body, so that a notice
 * that lists one more award changes no list of notices. */
static cJSON *notice_summary(struct site *S, cJSON *arr, const struct notice *n)
{
	static const char *const shown[] = { "id", "kind", "round", "title", "issued", "period", NULL };
	cJSON *o = push_obj(arr);
	const struct round *x = n->res_round;
	char u[MAX_URL];

	stamp_fields(S, KIND_NOTICE, n->id.v, shown);
	put_str(o, "id", n->id.v);
	put_str(o, "title", n->title);
	put_str(o, "href", href(u, "notices", n->id.v));
	put_str(o, "kind", notice_kind_name(n->kind));
	put_str(o, "kind_zh", notice_kind_zh(n->kind));
	put_date(o, "issued", n->issued.v);
	put_date(o, "start", n->start.v);
	put_date(o, "end", n->end.v);
	if (x) {
		put_str(o, "round_name", x->name);
		put_href(S, o, "round_href", "rounds", x->id.v);
		if (x->res_program) {
			put_str(o, "program_name", x->res_program->name);
			put_href(S, o, "program_href", "programs", x->res_program->id.v);
		}
	}
	put_notice_state(S, o, n);
	return o;
}

/* Whether the measures leave an award's money prize unstated (and the
 * record gives none paid): shown as not stated, never as 0. */
static bool prize_unknown(const struct application *a)
{
	const struct tier *t = a->res_result_tier;

	if (a->prize.set || !t)
		return false;
	return a->individual.v && t->individual_yuan >= 0 ? false : t->prize_yuan < 0;
}

static cJSON *award_summary(struct site *S, cJSON *arr, const struct application *a)
{
	const struct program *p = program_of(a);
	cJSON *o = push_obj(arr);
	char money[64];

	stamp_record(S, KIND_APPLICATION, a->id.v);
	put_str(o, "certificate", a->certificate.v);
	put_href(S, o, "href", "awards", a->certificate.v);
	put_applicant_ref(S, o, a);
	put_str(o, "tier_name", tier_name(a->res_result_tier));
	if (p) {
		put_str(o, "program_name", p->name);
		put_href(S, o, "program_href", "programs", p->id.v);
	}
	if (a->res_round) {
		put_str(o, "round_name", a->res_round->name);
		put_href(S, o, "round_href", "rounds", a->res_round->id.v);
	}
	put_date(o, "date", a->result_date.v);
	/* no money is no prize of 0 yuan: the measures' items are the prize */
	if (a->prize.set && a->prize.v) {
		text_money(money, sizeof(money), a->prize.v);
		put_str(o, "prize_zh", money);
	} else if (prize_unknown(a)) {
		put_bool(o, "prize_unknown", true);
	}
	put_award_status(S, o, a);
	return o;
}

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
static int make_base(struct site *S)
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
static void progress(struct site *S)
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
static int emit(struct site *S, const char *path, const char *tmpl, const char *title,
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
static int emit_data(struct site *S, const char *path, const char *tmpl, const char *title,
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

/* ---- the audit trail on each page ---- */

static const char *hist_status_zh(enum history_status st)
{
	return st == HIST_ADDED ? "发布" : st == HIST_DELETED ? "撤回" : st == HIST_MOVED ? "移动" : "修改";
}

/* A commit's first line, for lists. */
static void summary_line(const char *msg, char *out, size_t size)
{
	snprintf(out, size, "%.*s", (int)strcspn(msg, "\n"), msg);
}

/* The date and time of a commit in China, "2024年3月5日 10:32". */
static void commit_time_zh(int64_t t, char *out, size_t size)
{
	int64_t local = t + 8 * 3600;
	date_t d = date_from_time_cst((time_t)t);
	char zh[32];
	long sec = (long)(((local % 86400) + 86400) % 86400);

	date_format_zh(d, zh);
	snprintf(out, size, "%s %02ld:%02ld", zh, sec / 3600, sec / 60 % 60);
}

static void put_commit(cJSON *o, const struct history_commit *c)
{
	char text[512], path[MAX_URL];

	put_str(o, "commit", c->id);
	snprintf(text, sizeof(text), "%.7s", c->id);
	put_str(o, "commit_short", text);
	snprintf(path, sizeof(path), "changes/%s/index.html", c->id);
	put_str(o, "commit_href", path);
	put_str(o, "author", c->author);
	commit_time_zh(c->time, text, sizeof(text));
	put_str(o, "time_zh", text);
	put_date(o, "date", date_from_time_cst((time_t)c->time));
	summary_line(c->message, text, sizeof(text));
	put_str(o, "summary", text);
	/* the sentences are the theme's: here only the state and the signer */
	put_bool(o, "signed", c->sig != SIGN_NONE);
	put_bool(o, "sig_verified", c->sig == SIGN_GOOD);
	put_bool(o, "sig_unverified", c->sig == SIGN_BAD);
	put_str(o, "signer", c->sig == SIGN_GOOD ? c->signer : NULL);
	put_str(o, "signer_key", c->sig == SIGN_GOOD ? c->signer_key : NULL);
}

/* The fields a change made, in words (words.h): each value a node for
 * the theme, the record's schema reference left out. */
static void put_fields(struct site *S, cJSON *o, const struct jd_changes *f, enum record_kind kind,
		       const char *id)
{
	const struct program *p = words_program_of(S->r, kind, id);
	cJSON *arr = add_arr(o, "fields");
	struct buf label = BUF_INIT;
	size_t i, n = 0;

	/* a record no longer there names its programme by its round */
	for (i = 0; !p && i < f->n; i++) {
		const struct round *x;
		if (strcmp(f->v[i].path, "round") || f->v[i].kind == JD_PRIVATE)
			continue;
		x = record_find_round(S->r, f->v[i].new ? f->v[i].new : f->v[i].old ? f->v[i].old : "");
		p = x ? x->res_program : NULL;
	}

	for (i = 0; i < f->n; i++) {
		bool priv = f->v[i].kind == JD_PRIVATE;
		cJSON *x;
		/* the schema reference, an id the page names in words, the
		 * file name of a text the page shows: nothing for a citizen */
		if (!strcmp(f->v[i].path, "$schema") || !strcmp(f->v[i].path, "$id") ||
		    (!strcmp(f->v[i].path, "id") && kind != KIND_ORGANIZATION) ||
		    !strcmp(f->v[i].path, "measures.text"))
			continue;
		x = push_obj(arr);
		n++;
		buf_clear(&label);
		put_str(x, "label", words_label(S->r, p, f->v[i].path, &label) < 0 ? f->v[i].label : buf_cstr(&label));
		put_str(x, "path", f->v[i].path);
		put_bool(x, "private", priv);
		if (!priv && f->v[i].old)
			put_item(x, "old", words_value(S->r, p, f->v[i].path, f->v[i].old), false);
		else
			put_bool(x, "old", false);
		if (!priv && f->v[i].new)
			put_item(x, "new", words_value(S->r, p, f->v[i].path, f->v[i].new), false);
		else
			put_bool(x, "new", false);
		put_bool(x, "arrow", f->v[i].old && f->v[i].new);
	}
	buf_release(&label);
	put_bool(o, "has_fields", n > 0);
}

/* Adds "history" to o: the changes refs (newest first) of record id, and
 * of others (record_id names them). */
static const char *const kind_zh[KIND_COUNT];

static void put_refs(struct site *S, cJSON *o, const struct history_ref *refs, size_t n, const char *id)
{
	cJSON *arr = add_arr(o, "history");
	size_t i;

	for (i = 0; i < n; i++) {
		const struct history_commit *c = &S->hist.commits[refs[i].commit];
		const struct history_change *e = &c->changes[refs[i].change];
		cJSON *x = push_obj(arr);
		put_commit(x, c);
		put_str(x, "status_zh", hist_status_zh(e->status));
		if (strcmp(e->id, id)) {
			char h[MAX_URL];
			const char *name = words_record_name(S->r, e->kind, e->id, h);
			put_str(x, "record_id", e->id);
			put_str(x, "record_kind_zh", kind_zh[e->kind]);
			put_str(x, "record_name", name ? name : e->id);
		}
		put_fields(S, x, &e->fields, e->kind, e->id);
	}
	put_bool(o, "has_history", true);
	if (S->hist.boundary[0]) {
		char when[64];
		commit_time_zh(S->hist.boundary_time, when, sizeof(when));
		put_str(o, "history_begins", when);
	}
}

/* Adds "history" (newest first) to o for record (kind, id); the count. */
static size_t put_history(struct site *S, cJSON *o, enum record_kind kind, const char *id)
{
	const struct history_ref *refs;
	size_t n;

	if (!S->has_history)
		return 0;
	n = history_of(&S->hist, kind, id, &refs);
	put_refs(S, o, refs, n, id);
	return n;
}

static int gone_cmp_cert(const void *a, const void *b)
{
	const struct gone_award *x = *(const struct gone_award *const *)a, *y = *(const struct gone_award *const *)b;
	int c = strcmp(x->cert, y->cert);

	if (c)
		return c;
	if (x->commit != y->commit) /* the latest withdrawal first */
		return x->commit < y->commit ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int ref_newest_first(const void *a, const void *b)
{
	const struct history_ref *x = a, *y = b;

	if (x->commit != y->commit)
		return x->commit < y->commit ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The withdrawn applications that held certificate cert: *first and the
 * count (latest withdrawal first). */
static size_t gone_of(const struct site *S, const char *cert, struct gone_award *const **first)
{
	size_t lo = 0, hi = S->ngone, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(S->gone_by_cert[mid]->cert, cert) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < S->ngone && !strcmp(S->gone_by_cert[end]->cert, cert); end++)
		;
	*first = S->gone_by_cert + lo;
	return end - lo;
}

/* put_history() for the page of certificate cert, held by application id
 * (now, or last before it was withdrawn): its changes and those of every
 * other id withdrawn with it. */
static int put_award_history(struct site *S, cJSON *o, const char *id, const char *cert)
{
	struct gone_award *const *g;
	const struct history_ref *refs;
	struct history_ref *all;
	size_t ng = gone_of(S, cert, &g), n, m, i;

	if (!S->has_history)
		return 0;
	n = history_of(&S->hist, KIND_APPLICATION, id, &refs);
	for (i = 0, m = n; i < ng; i++)
		if (strcmp(g[i]->id, id))
			m += history_of(&S->hist, KIND_APPLICATION, g[i]->id, &refs);
	if (m == n) {
		put_history(S, o, KIND_APPLICATION, id);
		return 0;
	}
	if (!(all = malloc(m * sizeof(*all))))
		return fail_nomem();
	m = history_of(&S->hist, KIND_APPLICATION, id, &refs);
	memcpy(all, refs, m * sizeof(*all));
	for (i = 0; i < ng; i++)
		if (strcmp(g[i]->id, id)) {
			n = history_of(&S->hist, KIND_APPLICATION, g[i]->id, &refs);
			memcpy(all + m, refs, n * sizeof(*all));
			m += n;
		}
	qsort(all, m, sizeof(*all), ref_newest_first);
	put_refs(S, o, all, m, id);
	free(all);
	return 0;
}

/* A record's page, and the public part of its record beside it as
 * index.json.  ctx is consumed. */
static int emit_record(struct site *S, const char *section, const char *id, const char *tmpl,
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

/* ---- program ---- */

/*
 * A program's rules as data: one object per rule, with the article it
 * comes from and one member named for the rule (the rule ids of
 * check_rules[], "-" as "_") holding its parameters.  The sentences are
 * the theme's (rule-text.mustache), so C writes none and cuts none.
 */
static const char *unit_zh(enum period_unit u)
{
	return u == UNIT_WORKING_DAYS ? "个工作日" : "天";
}

static cJSON *rule_of(cJSON *arr, const char *article, const char *rule)
{
	cJSON *o = push_obj(arr);

	put_str(o, "article", article);
	return add_obj(o, rule);
}

static void put_money(cJSON *o, const char *k, long yuan)
{
	char money[64];

	text_money(money, sizeof(money), yuan);
	put_str(o, k, money);
}

/* A list of names, each with "first" set on the first, for separators. */
static void put_names(cJSON *o, const char *k, const char *const *v, size_t n)
{
	cJSON *arr = add_arr(o, k);
	char with[64];
	size_t i;

	/* "with_items": whether there are any, without looping over them */
	snprintf(with, sizeof(with), "with_%s", k);
	put_bool(o, with, n > 0);
	for (i = 0; i < n; i++) {
		cJSON *x = push_obj(arr);
		put_str(x, "name", v[i]);
		put_bool(x, "first", i == 0);
	}
}

static void put_period(cJSON *o, enum period_unit u)
{
	put_bool(o, "working_days", u == UNIT_WORKING_DAYS);
}

static void program_rules(const struct program *p, cJSON *arr)
{
	cJSON *r;
	size_t i;

	r = rule_of(arr, p->cadence_article, "cadence");
	put_bool(r, "yearly", p->cadence_yearly && p->cadence_every == 1);
	if (p->cadence_yearly && p->cadence_every != 1)
		put_num(r, "every", (double)p->cadence_every);
	if (p->off_cycle_article)
		put_str(rule_of(arr, p->off_cycle_article, "off_cycle"), "by", p->off_cycle_by);
	if (p->measures.valid_years)
		put_num(rule_of(arr, p->measures.valid_article, "measures_expired"), "years",
			(double)p->measures.valid_years);
	if (p->divisions_article)
		put_names(rule_of(arr, p->divisions_article, "registration_region"), "divisions",
			  p->divisions, p->ndivisions);
	if (p->recommendation_article)
		rule_of(arr, p->recommendation_article, "recommendation");
	if (p->fraud_bar_years)
		put_num(rule_of(arr, p->fraud_bar_article, "fraud_bar"), "years", (double)p->fraud_bar_years);
	for (i = 0; i < p->ntiers; i++) {
		const struct tier *t = &p->tiers[i];
		if (t->cap >= 0) {
			r = rule_of(arr, t->cap_article, "tier_cap");
			put_str(r, "tier", t->name);
			put_num(r, "max", (double)t->cap);
			put_bool(r, "in_principle", t->cap_soft);
		}
		if (t->prize_yuan >= 0 || t->nprize_items || t->individual_yuan > 0) {
			r = rule_of(arr, t->prize_article, "prize");
			put_str(r, "tier", t->name);
			if (t->prize_yuan > 0)
				put_money(r, "money", t->prize_yuan);
			if (t->for_individuals && t->individual_yuan > 0)
				put_money(r, "individual_money", t->individual_yuan);
			if (t->nprize_items)
				put_names(r, "items", t->prize_items, t->nprize_items);
			if (!t->prize_yuan && !t->nprize_items && t->individual_yuan <= 0)
				put_bool(r, "nothing", true);
		}
		if (t->repeat_yuan >= 0) {
			r = rule_of(arr, t->repeat_article, "prize_repeat");
			put_str(r, "tier", t->name);
			if (t->repeat_yuan)
				put_money(r, "money", t->repeat_yuan);
		}
		if (t->min_years > 0) {
			r = rule_of(arr, t->eligibility_article, "operating_years");
			put_str(r, "tier", t->name);
			put_num(r, "years", (double)t->min_years);
		}
		if (t->requires_stage) {
			int k = program_stage_index(p, t->requires_stage);
			r = rule_of(arr, t->requires_article, "requires_stage");
			put_str(r, "tier", t->name);
			put_bool(r, "individuals", t->for_individuals);
			put_str(r, "stage", k >= 0 ? p->stages[k].name : t->requires_stage);
		}
		if (t->validity_years) {
			const char *then = t->validity_then ? t->validity_then : "";
			r = rule_of(arr, t->validity_article, "validity");
			put_str(r, "tier", t->name);
			put_num(r, "years", (double)t->validity_years);
			put_bool(r, "re_evaluation", !strcmp(then, "re_evaluation"));
			put_bool(r, "reapply", !strcmp(then, "reapply"));
			put_bool(r, "lapse", strcmp(then, "re_evaluation") && strcmp(then, "reapply"));
		}
		if (t->reapply_years) {
			r = rule_of(arr, t->reapply_article, "reapply_wait");
			put_str(r, "tier", t->name);
			put_bool(r, "individuals", t->for_individuals);
			put_num(r, "years", (double)t->reapply_years);
		}
	}
	if (p->vacancy_article)
		rule_of(arr, p->vacancy_article, "vacant_round");
	for (i = 0; i < p->nstages; i++)
		if (p->stages[i].has_gate) {
			r = rule_of(arr, p->stages[i].gate_article, "stage_after_notice");
			put_str(r, "stage", p->stages[i].name);
			put_str(r, "notice", notice_kind_zh(p->stages[i].gate));
		}
	for (i = 0; i < p->nnotice_rules; i++) {
		const struct notice_rule *n = &p->notice_rules[i];
		if (n->kind == NOTICE_RESULT) {
			put_str(rule_of(arr, n->article, "result_notice"), "notice", notice_kind_zh(n->kind));
			continue;
		}
		r = rule_of(arr, n->article, "notice_period");
		put_str(r, "notice", notice_kind_zh(n->kind));
		put_period(r, n->unit);
		if (!n->has_unit || (!n->min && !n->max))
			continue;
		if (n->min == n->max)
			put_num(r, "exactly", (double)n->min);
		else if (n->min)
			put_num(r, "at_least", (double)n->min);
		else
			put_num(r, "at_most", (double)n->max);
	}
	if (p->window_article)
		rule_of(arr, p->window_article, "objection_window");
	if (p->identity_article)
		rule_of(arr, p->identity_article, "objector_identity");
	if (p->review_work_article)
		rule_of(arr, p->review_work_article, "objection_review_work");
	if (p->evidence_article)
		rule_of(arr, p->evidence_article, "objection_evidence");
	if (p->has_decision) {
		r = rule_of(arr, p->decision_article, "objection_deadline");
		put_num(r, "within", (double)p->decision_within);
		put_period(r, p->decision_unit);
	}
	if (p->upheld_article)
		rule_of(arr, p->upheld_article, "award_objection");
	for (i = 0; i < p->ngrounds; i++) {
		const struct ground *g = &p->grounds[i];
		r = rule_of(arr, g->article, "revocation_ground");
		put_str(r, "ground", g->name);
		put_bool(r, "requires_award", g->requires_award);
		if (g->nrecover)
			put_names(r, "recover", g->recover, g->nrecover);
		put_bool(r, "announce", g->announce);
		if (g->ban_years)
			put_num(r, "ban_years", (double)g->ban_years);
	}
}

/* Each tier's awardees and prizes, for the template to word; a prize the
 * measures do not state is flagged, never shown as a figure. */
static void put_tier_facts(const struct program *p, cJSON *arr)
{
	char money[64];
	size_t i;

	for (i = 0; i < p->ntiers; i++) {
		const struct tier *t = &p->tiers[i];
		cJSON *o = push_obj(arr);
		put_str(o, "name", t->name);
		put_bool(o, "organizations", t->for_organizations);
		put_bool(o, "individuals", t->for_individuals);
		put_bool(o, "prize_unknown", t->prize_yuan < 0);
		if (t->prize_yuan >= 0) {
			text_money(money, sizeof(money), t->prize_yuan);
			put_str(o, "prize_zh", t->prize_yuan ? money : NULL);
			put_bool(o, "no_prize", t->prize_yuan == 0);
		}
		if (t->for_individuals && t->individual_yuan >= 0) {
			text_money(money, sizeof(money), t->individual_yuan);
			put_str(o, "individual_prize_zh", t->individual_yuan ? money : NULL);
		}
		put_str(o, "article", t->prize_article);
		put_bool(o, "years_unknown", t->for_organizations && !t->min_years);
	}
}

/* The caps over groups of tiers or kinds of awardee, for the template. */
static void put_group_caps(const struct program *p, cJSON *arr)
{
	size_t i;

	for (i = 0; i < p->ncaps; i++) {
		const struct group_cap *g = &p->caps[i];
		cJSON *o = push_obj(arr);
		put_str(o, "name", g->name);
		put_bool(o, "organizations", g->awardees == AWARDEE_ORGANIZATION);
		put_bool(o, "individuals", g->awardees == AWARDEE_INDIVIDUAL);
		put_num(o, "max", (double)g->max);
		put_bool(o, "in_principle", g->soft);
		put_str(o, "article", g->article);
	}
}

static const char *status_zh(const char *s)
{
	if (!s)
		return "";
	if (!strcmp(s, "in_force"))
		return "现行有效";
	if (!strcmp(s, "trial"))
		return "试行";
	if (!strcmp(s, "draft"))
		return "征求意见稿";
	if (!strcmp(s, "repealed"))
		return "已废止";
	return s;
}

static int page_program(struct site *S, const struct program *p, cJSON *programs)
{
	struct json_doc doc = JSON_DOC_INIT;
	struct buf md = BUF_INIT;
	char path[MAX_URL];
	const void *const *f;
	size_t i, n, page;
	cJSON *ctx = cJSON_CreateObject(), *o, *arr, *sum;
	int error;

	if ((error = load_public(S, p->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "program");
	put_item(o, "record", doc.root, true);
	put_str(o, "status_zh", status_zh(p->measures.status));
	put_str(o, "status", p->measures.status);
	put_date(o, "issued", p->measures.issued);
	put_date(o, "effective", p->measures.effective);
	put_date(o, "repealed", p->measures.repealed);
	if (p->measures.valid_years && p->measures.effective != DATE_NONE) {
		date_t until = date_period_end(p->measures.effective - 1, (int)p->measures.valid_years, 0);
		put_date(o, "valid_until", until);
		put_bool(o, "lapsed", S->o->today > until);
	}
	program_rules(p, add_arr(o, "rules"));
	put_tier_facts(p, add_arr(o, "tiers"));
	put_group_caps(p, add_arr(o, "caps"));
	put_bool(o, "has_caps", p->ncaps > 0);
	put_history(S, o, KIND_PROGRAM, p->id.v);
	if (p->measures.text.v) {
		char mpath[MAX_URL];
		snprintf(mpath, sizeof(mpath), "content/%s", p->measures.text.v);
		if ((error = load_content(S, mpath, &md)) < 0 ||
		    (error == 0 && (error = put_markdown(o, "measures_html", buf_cstr(&md), 1)) < 0))
			goto done;
	}
	arr = add_arr(o, "rounds");
	n = group_find(&S->rounds_by_program, p->id.v, &f);
	for (i = n; i-- > 0;) { /* newest first */
		const struct round *x = f[i];
		cJSON *ro = push_obj(arr);
		put_str(ro, "name", x->name);
		put_href(S, ro, "href", "rounds", x->id.v);
		put_num(ro, "year", (double)x->year.v);
		put_date(ro, "approved", x->approval.v);
		put_bool(ro, "vacant", x->vacant);
	}
	snprintf(path, sizeof(path), "programs/%s/feed.xml", p->id.v);
	put_str(o, "feed", path);
	page = row_begin(S);
	sum = push_obj(programs);
	put_str(sum, "name", p->name);
	put_str(sum, "authority", p->authority);
	put_href(S, sum, "href", "programs", p->id.v);
	put_str(sum, "status_zh", status_zh(p->measures.status));
	put_str(sum, "status", p->measures.status);
	row_end(S, sum, page);
	error = emit_record(S, "programs", p->id.v, "program", p->name, "programs/index.html", doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	buf_release(&md);
	json_doc_release(&doc);
	return error;
}

/* ---- round ---- */

/* ---- lapses: what the record shows the office did not do in time ---- */

/*
 * One lapse of the record (check.h) for the template's sentence
 * (lapse.mustache): its rule, dates, lengths and article, the reason an
 * office gave for publishing it (an override), and, where it is shown
 * away from its own record, a link there.
 */
static void put_lapse(struct site *S, cJSON *arr, const struct check_lapse *l, const char *self)
{
	cJSON *o = push_obj(arr);
	const struct program *p = l->round ? l->round->res_program : NULL;
	bool overdue = !strcmp(l->rule, "objection-overdue"), late = !strcmp(l->rule, "objection-deadline");
	bool period = !strcmp(l->rule, "notice-period") && l->want;

	put_str(o, "rule", l->rule);
	put_bool(o, "overdue", overdue);
	put_bool(o, "late", late);
	put_bool(o, "period", period);
	put_bool(o, "other", !overdue && !late && !period);
	put_str(o, "article", l->article);
	if (p)
		put_str(o, "measures_title", p->measures.title);
	put_date(o, "due", l->due);
	put_date(o, "date", l->date);
	if (period || overdue || late) {
		put_num(o, "n", (double)l->n);
		put_num(o, "want", (double)l->want);
		put_bool(o, "working", l->working);
		put_bool(o, "over", l->over);
	}
	put_str(o, "origin", l->origin == LAPSE_TIME ? "time" : l->origin == LAPSE_HISTORY ? "history" : "new");
	/* every key the template tests is set, so that none is looked up in the page around it */
	put_bool(o, "has_reason", l->override != NULL);
	if (l->override)
		put_str(o, "reason", l->override->reason);
	self = self && !strcmp(self, l->path) ? NULL : l->path;
	put_bool(o, "linked", self && (l->objection || l->notice || l->round));
	put_bool(o, "link_objection", self && l->objection);
	put_bool(o, "link_notice", self && !l->objection && l->notice);
	put_bool(o, "link_round", self && !l->objection && !l->notice && l->round);
	if (!self)
		return;
	if (l->objection) {
		put_href(S, o, "href", "objections", l->objection->id.v);
		put_date(o, "objection_received", l->objection->received.v);
	} else if (l->notice) {
		put_href(S, o, "href", "notices", l->notice->id.v);
		put_str(o, "notice_title", l->notice->title);
	} else if (l->round) {
		put_href(S, o, "href", "rounds", l->round->id.v);
		put_str(o, "round_name", l->round->name);
	}
}

/* The lapses concerning a record: those whose concern(l) is it (NULL
 * concern: all of them).  Adds "lapses" and "has_lapses" to o. */
static void put_lapses(struct site *S, cJSON *o, const void *it,
		       const void *(*concern)(const struct check_lapse *), const char *self)
{
	const struct check_lapses *ls = S->o->lapses;
	cJSON *arr = add_arr(o, "lapses");
	size_t i;

	for (i = 0; ls && i < ls->n; i++)
		if (!concern || concern(&ls->v[i]) == it)
			put_lapse(S, arr, &ls->v[i], self);
	put_bool(o, "has_lapses", cJSON_GetArraySize(arr) > 0);
}

static const void *lapse_objection(const struct check_lapse *l) { return l->objection; }
static const void *lapse_notice(const struct check_lapse *l) { return l->notice; }
static const void *lapse_round(const struct check_lapse *l) { return l->round; }

/* The day a lapse arose: the day after a deadline missed, else the day
 * its notice was issued or its objection received, else, for a lapse of
 * an application (an award despite an objection), the award's date;
 * DATE_NONE when the record gives none.  Never today: a lapse's page
 * changes on the day it starts, no other day. */
static date_t lapse_since(const struct site *S, const struct check_lapse *l)
{
	size_t i;

	if (l->due != DATE_NONE)
		return l->due + 1;
	if (l->notice)
		return l->notice->issued.v;
	if (l->objection)
		return l->objection->received.v;
	for (i = 0; i < S->r->napplications; i++)
		if (S->r->applications[i].path == l->path) /* the loader's one copy: check.c's locate() */
			return S->r->applications[i].result_date.v;
	return DATE_NONE;
}

/*
 * The home page's account of the record's lapses: how many of each
 * kind (the template's words name them, and it links lapses/), so
 * that a record with thousands of lapses keeps a small home page.
 * Adds "lapse_counts" to o.
 */
static void put_lapse_counts(struct site *S, cJSON *o)
{
	const struct check_lapses *ls = S->o->lapses;
	long overdue = 0, late = 0, period = 0, other = 0;
	cJSON *c = add_obj(o, "lapse_counts");
	size_t i;

	for (i = 0; ls && i < ls->n; i++) {
		const char *rule = ls->v[i].rule;
		if (!strcmp(rule, "objection-overdue"))
			overdue++;
		else if (!strcmp(rule, "objection-deadline"))
			late++;
		else if (!strcmp(rule, "notice-period") && ls->v[i].want)
			period++;
		else
			other++;
	}
	put_num(c, "total", (double)(ls ? ls->n : 0));
	put_bool(c, "any", ls && ls->n);
	put_num(c, "overdue", (double)overdue);
	put_bool(c, "has_overdue", overdue > 0);
	put_num(c, "late", (double)late);
	put_bool(c, "has_late", late > 0);
	put_num(c, "period", (double)period);
	put_bool(c, "has_period", period > 0);
	put_num(c, "other", (double)other);
	put_bool(c, "has_other", other > 0);
}

struct pversion {
	date_t start, end;
	const struct history_commit *commit; /* that published it */
};

/* A date field's old value in a change, or DATE_NONE. */
static date_t old_date(const struct history_change *e, const char *path, date_t now, bool *changed)
{
	size_t i;
	date_t t;

	for (i = 0; i < e->fields.n; i++)
		if (!strcmp(e->fields.v[i].path, path)) {
			*changed = true;
			if (!e->fields.v[i].old || date_parse(e->fields.v[i].old, &t) < 0)
				return DATE_NONE;
			return t;
		}
	return now;
}

/*
 * The notice's period lapses that were corrected: a version in the
 * history whose period broke the program's rule, followed by one that
 * keeps it.  Found from the history's field changes (period.start,
 * period.end) going back from the current period, so no older version
 * is read or checked again.  Adds "past_lapses" to o.
 */
static int put_past_lapses(struct site *S, cJSON *o, const struct notice *n)
{
	const struct program *p = n->res_round ? n->res_round->res_program : NULL;
	const struct notice_rule *nr = program_notice_rule(p, n->kind);
	const struct history_ref *refs;
	struct pversion *v;
	size_t count, i, k = 0;
	cJSON *arr = add_arr(o, "past_lapses");
	int len;

	if (!nr || !nr->has_unit || (!nr->min && !nr->max) || n->start.v == DATE_NONE || n->end.v == DATE_NONE ||
	    !(count = history_of(&S->hist, KIND_NOTICE, n->id.v, &refs))) {
		put_bool(o, "has_past_lapses", false);
		return 0;
	}
	if (!(v = calloc(count, sizeof(*v))))
		return fail_nomem();
	v[0].start = n->start.v;
	v[0].end = n->end.v;
	for (i = 0; i < count; i++) {
		const struct history_commit *c = &S->hist.commits[refs[i].commit];
		const struct history_change *e = &c->changes[refs[i].change];
		bool changed = false;
		if (e->status == HIST_DELETED || !e->parsed || v[k].start == DATE_NONE || v[k].end == DATE_NONE)
			break;
		v[k++].commit = c;
		if (e->status == HIST_ADDED || k == count)
			break;
		v[k].start = old_date(e, "period.start", v[k - 1].start, &changed);
		v[k].end = old_date(e, "period.end", v[k - 1].end, &changed);
	}
	/* oldest first: a run of versions that break the rule, ended by one that keeps it */
	for (i = k; i-- > 1;) {
		long want;
		bool over;
		if (v[i].end < v[i].start)
			continue;
		if (nr->unit == UNIT_WORKING_DAYS) {
			if (calendar_count_working_days(&S->r->calendar, v[i].start, v[i].end, &len) < 0) {
				error_clear();
				continue;
			}
		} else {
			len = (int)(v[i].end - v[i].start + 1);
		}
		over = !(nr->min && len < nr->min);
		want = over ? nr->max : nr->min;
		if (!(nr->min && len < nr->min) && !(nr->max && len > nr->max))
			continue;
		/* broken in version i: find the version that mended it */
		{
			size_t j = i, first = i;
			cJSON *x;
			while (j-- > 0) {
				int l2;
				if (nr->unit == UNIT_WORKING_DAYS) {
					if (calendar_count_working_days(&S->r->calendar, v[j].start, v[j].end, &l2) < 0) {
						error_clear();
						l2 = -1;
					}
				} else {
					l2 = (int)(v[j].end - v[j].start + 1);
				}
				if (l2 >= 0 && !(nr->min && l2 < nr->min) && !(nr->max && l2 > nr->max))
					break;
			}
			if (j == (size_t)-1)
				break; /* still broken now: a lapse of the record, shown as such */
			x = push_obj(arr);
			put_bool(x, "first", first == k - 1);
			put_num(x, "n", (double)len);
			put_num(x, "want", (double)want);
			put_bool(x, "over", over);
			put_bool(x, "working", nr->unit == UNIT_WORKING_DAYS);
			put_str(x, "article", nr->article);
			put_str(x, "measures_title", p->measures.title);
			put_date(x, "published", date_from_time_cst((time_t)v[i].commit->time));
			put_date(x, "corrected", date_from_time_cst((time_t)v[j].commit->time));
			i = j + 1;
		}
	}
	free(v);
	put_bool(o, "has_past_lapses", cJSON_GetArraySize(arr) > 0);
	return 0;
}

static void put_cap_exceeded(cJSON *arr, const char *name, enum awardee_kind k, size_t count, long max,
			     const char *article)
{
	cJSON *c = push_obj(arr);

	put_str(c, "name", name);
	put_bool(c, "organizations", k == AWARDEE_ORGANIZATION);
	put_bool(c, "individuals", k == AWARDEE_INDIVIDUAL);
	put_num(c, "count", (double)count);
	put_num(c, "max", (double)max);
	put_str(c, "article", article);
}

/* Caps set in principle (原则上) that the round exceeds: its page says so,
 * and why (the round's cap_exceeded, which the template reads). */
static void put_caps_exceeded(cJSON *o, const struct round *x, const void *const *apps, size_t napps)
{
	const struct program *p = x->res_program;
	cJSON *arr = add_arr(o, "caps_exceeded");
	size_t i, j, n;

	for (i = 0; i < p->ntiers; i++) {
		const struct tier *t = &p->tiers[i];
		for (j = n = 0; j < napps; j++)
			n += ((const struct application *)apps[j])->awarded &&
			     ((const struct application *)apps[j])->res_result_tier == t;
		if (t->cap_soft && t->cap >= 0 && n > (size_t)t->cap)
			put_cap_exceeded(arr, t->name, AWARDEE_ANY, n, t->cap, t->cap_article);
	}
	for (i = 0; i < p->ncaps; i++) {
		const struct group_cap *g = &p->caps[i];
		for (j = n = 0; j < napps; j++)
			n += group_cap_counts(g, apps[j]);
		if (g->soft && n > (size_t)g->max)
			put_cap_exceeded(arr, g->name, g->awardees, n, g->max, g->article);
	}
	put_bool(o, "any_cap_exceeded", cJSON_GetArraySize(arr) > 0);
}

static int page_round(struct site *S, const struct round *x)
{
	const struct program *p = x->res_program;
	struct json_doc doc = JSON_DOC_INIT;
	struct buf svg = BUF_INIT;
	const void *const *apps, *const *ns;
	size_t i, j, k, napps, nn;
	cJSON *ctx = cJSON_CreateObject(), *o, *arr;
	const cJSON *call, *appr;
	struct svg_span *spans = NULL;
	size_t nspans = 0;
	int error;

	if ((error = load_public(S, x->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "round");
	put_item(o, "record", doc.root, true);
	put_lapses(S, o, x, lapse_round, x->path);
	put_str(o, "program_name", p->name);
	put_href(S, o, "program_href", "programs", p->id.v);
	put_date(o, "apps_start", x->apps_start.v);
	put_date(o, "apps_end", x->apps_end.v);
	if ((call = json_get(doc.root, "call"))) {
		cJSON *c = add_obj(o, "call");
		put_date(c, "published", x->call_published.v);
		put_str(c, "document_number", json_get_string(call, "document_number"));
		if ((error = put_markdown(c, "html", json_get_string(call, "body"), 2)) < 0)
			goto done;
	}
	if ((appr = json_get(doc.root, "approval"))) {
		cJSON *c = add_obj(o, "approval");
		put_date(c, "date", x->approval.v);
		put_str(c, "authority", json_get_string(appr, "authority"));
		put_str(c, "document_number", json_get_string(appr, "document_number"));
		if ((error = put_markdown(c, "html", json_get_string(appr, "body"), 2)) < 0)
			goto done;
	}
	napps = group_find(&S->apps_by_round, x->id.v, &apps);
	nn = group_find(&S->notices_by_round, x->id.v, &ns);
	put_bool(o, "approved", x->approval.v != DATE_NONE);
	put_history(S, o, KIND_ROUND, x->id.v);
	put_num(o, "applications_count", (double)napps);

	/* the timeline: application period, stages, notice periods, approval */
	if (!(spans = calloc(x->nschedule + nn + 2, sizeof(*spans)))) {
		error = fail_nomem();
		goto done;
	}
	if (x->apps_start.v != DATE_NONE && x->apps_end.v != DATE_NONE)
		spans[nspans++] = (struct svg_span){ "申报", x->apps_start.v, x->apps_end.v, SVG_SPAN_APPLY };
	for (i = 0; i < x->nschedule; i++) {
		int si = program_stage_index(p, x->schedule[i].stage.v);
		if (x->schedule[i].start.v == DATE_NONE || x->schedule[i].end.v == DATE_NONE)
			continue;
		spans[nspans++] = (struct svg_span){ si >= 0 ? p->stages[si].name : x->schedule[i].stage.v,
						     x->schedule[i].start.v, x->schedule[i].end.v, SVG_SPAN_STAGE };
	}
	for (i = 0; i < nn; i++) {
		const struct notice *n = ns[i];
		if (n->start.v != DATE_NONE && n->end.v != DATE_NONE)
			spans[nspans++] = (struct svg_span){ notice_kind_zh(n->kind), n->start.v, n->end.v,
							     SVG_SPAN_NOTICE };
	}
	if (x->approval.v != DATE_NONE)
		spans[nspans++] = (struct svg_span){ "批准", x->approval.v, x->approval.v, SVG_SPAN_APPROVAL };
	/* rows in date order (stable: the same start keeps the order above) */
	for (i = 1; i < nspans; i++) {
		struct svg_span t = spans[i];
		for (j = i; j > 0 && (spans[j - 1].start > t.start ||
				      (spans[j - 1].start == t.start && spans[j - 1].end > t.end)); j--)
			spans[j] = spans[j - 1];
		spans[j] = t;
	}
	if (nspans && (error = svg_timeline(spans, nspans, S->o->today, &svg)) < 0)
		goto done;
	put_str(o, "timeline_svg", svg.ptr);
	/* the same as a table: nothing is only in the picture */
	arr = add_arr(o, "timeline");
	for (i = 0; i < nspans; i++) {
		cJSON *row = push_obj(arr);
		put_str(row, "label", spans[i].label);
		put_date(row, "start", spans[i].start);
		if (spans[i].end != spans[i].start)
			put_date(row, "end", spans[i].end);
	}

	/* who passed each stage */
	arr = add_arr(o, "stages");
	for (i = 0; i < p->nstages; i++) {
		cJSON *so = push_obj(arr), *passed = add_arr(so, "passed");
		size_t failed = 0, n = 0;
		put_str(so, "name", p->stages[i].name);
		for (j = 0; j < napps; j++) {
			const struct application *a = apps[j];
			for (k = 0; k < a->nstages; k++) {
				if (!a->stages[k].stage.v || strcmp(a->stages[k].stage.v, p->stages[i].id))
					continue;
				n++;
				if (a->stages[k].passed)
					put_applicant_ref(S, push_obj(passed), a);
				else
					failed++;
			}
		}
		put_num(so, "reviewed", (double)n);
		put_num(so, "failed", (double)failed);
		put_bool(so, "any", n > 0);
	}
	/* the result by tier */
	arr = add_arr(o, "results");
	for (i = 0; i < p->ntiers; i++) {
		const struct tier *t = &p->tiers[i];
		cJSON *to = push_obj(arr), *awards = add_arr(to, "awards");
		char money[64];
		size_t n = 0;
		put_str(to, "tier_name", t->name);
		text_money(money, sizeof(money), t->prize_yuan);
		put_str(to, "prize_zh", t->prize_yuan > 0 ? money : NULL);
		put_bool(to, "prize_unknown", t->prize_yuan < 0);
		if (t->for_individuals && t->individual_yuan > 0) {
			text_money(money, sizeof(money), t->individual_yuan);
			put_str(to, "individual_prize_zh", money);
		}
		for (j = 0; j < napps; j++) {
			const struct application *a = apps[j];
			if (a->awarded && a->res_result_tier == t) {
				award_summary(S, awards, a);
				n++;
			}
		}
		put_bool(to, "any", n > 0);
	}
	put_caps_exceeded(o, x, apps, napps);
	arr = add_arr(o, "applications");
	for (j = 0; j < napps; j++) {
		const struct application *a = apps[j];
		cJSON *ao = push_obj(arr);
		stamp_record(S, KIND_APPLICATION, a->id.v); /* all the page shows of it */
		put_applicant_ref(S, ao, a);
		put_str(ao, "tier_name", tier_name(a->res_tier));
		put_date(ao, "submitted", a->submitted.v);
		put_date(ao, "withdrawn", a->withdrawn.v);
		put_str(ao, "result_zh", a->withdrawn.v != DATE_NONE ? "已撤回"
				     : !a->has_result ? "评审中"
				     : a->awarded ? tier_name(a->res_result_tier) : "未获奖");
	}
	arr = add_arr(o, "notices");
	for (i = 0; i < nn; i++)
		notice_summary(S, arr, ns[i]);
	error = emit_record(S, "rounds", x->id.v, "round", x->name, "programs/index.html", doc.root, ctx);
	ctx = NULL;
done:
	free(spans);
	cJSON_Delete(ctx);
	buf_release(&svg);
	json_doc_release(&doc);
	return error;
}

/* ---- notice ---- */

static int page_notice_version(struct site *S, const struct notice *n, const struct history_commit *c,
			       const struct history_change *e, bool current);

/*
 * Once published, a notice's every later change is listed on it, under a
 * heading a citizen cannot miss, and each version keeps its own page at
 * notices/<id>/v/<commit>/.  Published means: in the built history; the
 * oldest change is the publication, every later one an amendment.
 */
static int put_amendments(struct site *S, cJSON *o, const struct notice *n)
{
	const struct history_ref *refs;
	size_t count, i;
	cJSON *arr, *versions;
	int error = 0;

	if (!put_history(S, o, KIND_NOTICE, n->id.v))
		return 0;
	count = history_of(&S->hist, KIND_NOTICE, n->id.v, &refs);
	arr = add_arr(o, "amendments");
	versions = add_arr(o, "versions");
	for (i = 0; i < count && error >= 0; i++) {
		const struct history_commit *c = &S->hist.commits[refs[i].commit];
		const struct history_change *e = &c->changes[refs[i].change];
		char path[MAX_URL];
		cJSON *x;
		if (e->status == HIST_DELETED)
			continue;
		snprintf(path, sizeof(path), "notices/%s/v/%s/index.html", n->id.v, c->id);
		x = push_obj(versions);
		put_commit(x, c);
		put_str(x, "href", path);
		put_bool(x, "current", i == 0);
		if (i + 1 < count) { /* not the first publication: an amendment */
			x = push_obj(arr);
			put_commit(x, c);
			put_str(x, "href", path);
			put_fields(S, x, &e->fields, KIND_NOTICE, n->id.v);
		}
		error = page_notice_version(S, n, c, e, i == 0);
	}
	put_num(o, "amendment_count", (double)cJSON_GetArraySize(arr));
	put_bool(o, "amended", cJSON_GetArraySize(arr) > 0);
	return error;
}

/* What the notice as a document says beside its record, the same for
 * the notice's page and each of its versions (doc: that version): the
 * period's rule, how to object, the body. */
static int notice_document(struct site *S, cJSON *o, const struct notice *n, const cJSON *doc)
{
	const struct program *p = n->res_round ? n->res_round->res_program : NULL;
	const struct notice_rule *nr = program_notice_rule(p, n->kind);
	const cJSON *ch;
	char text[256];

	put_str(o, "kind_zh", notice_kind_zh(n->kind));
	put_bool(o, "gongshi", n->kind <= NOTICE_PROPOSED_WINNERS);
	if (nr && nr->has_unit && (nr->min || nr->max)) {
		snprintf(text, sizeof(text), nr->min == nr->max ? "%ld%s" : "不少于%ld%s",
			 nr->min ? nr->min : nr->max, unit_zh(nr->unit));
		put_str(o, "period_rule", text);
		put_str(o, "period_article", nr->article);
	}
	if (p) {
		put_str(o, "program_name", p->name);
		put_href(S, o, "program_href", "programs", p->id.v);
		put_str(o, "measures_title", p->measures.title);
		put_str(o, "authority", p->authority);
		if (p->window_article) {
			put_str(o, "window_article", p->window_article);
		}
		if (p->identity_article)
			put_str(o, "identity_article", p->identity_article);
		if (p->has_decision) {
			snprintf(text, sizeof(text), "%ld%s", p->decision_within, unit_zh(p->decision_unit));
			put_str(o, "decision_within", text);
			put_str(o, "decision_article", p->decision_article);
		}
	}
	if (n->res_round) {
		put_str(o, "round_name", n->res_round->name);
		put_href(S, o, "round_href", "rounds", n->res_round->id.v);
	}
	if ((ch = json_get(doc, "objection_channel")))
		put_item(o, "channel", (cJSON *)ch, true);
	return put_markdown(o, "body_html", json_get_string(doc, "body"), 2);
}

static int page_notice(struct site *S, const struct notice *n)
{
	const struct program *p = n->res_round ? n->res_round->res_program : NULL;
	struct json_doc doc = JSON_DOC_INIT;
	const void *const *objs;
	size_t i, k, nobj;
	cJSON *ctx = cJSON_CreateObject(), *o, *arr;
	int error;

	if ((error = load_public(S, n->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "notice");
	put_item(o, "record", doc.root, true);
	notice_summary(S, add_arr(o, "summary"), n);
	put_date(o, "issued", n->issued.v);
	put_date(o, "start", n->start.v);
	put_date(o, "end", n->end.v);
	put_notice_state(S, o, n);
	if ((error = put_amendments(S, o, n)) < 0 || (error = put_past_lapses(S, o, n)) < 0)
		goto done;
	put_lapses(S, o, n, lapse_notice, n->path);
	if ((error = notice_document(S, o, n, doc.root)) < 0)
		goto done;
	nobj = group_find(&S->objs_by_notice, n->id.v, &objs);
	arr = add_arr(o, "entries");
	for (i = 0; i < n->nentries; i++) {
		const struct notice_entry *e = &n->entries[i];
		const struct application *a = e->res_app;
		cJSON *eo = push_obj(arr);
		const struct tier *t = p ? program_find_tier(p, e->tier.v) : NULL;
		cJSON *je = cJSON_GetArrayItem(json_get(doc.root, "entries"), (int)i);
		put_num(eo, "number", (double)(i + 1));
		if (a)
			put_applicant_ref(S, eo, a);
		put_str(eo, "tier_name", t ? t->name : NULL);
		put_str(eo, "note", json_get_string(je, "note"));
		for (k = 0; k < nobj; k++) {
			const struct objection *b = objs[k];
			if (b->res_app == a && b->received.v <= S->o->today) {
				put_href(S, eo, "objection_href", "objections", b->id.v);
				put_str(eo, "objection_zh", b->status == OBJ_UNDER_REVIEW ? "有异议，处理中"
							   : b->outcome == OUT_UPHELD ? "异议成立"
							   : b->outcome == OUT_REJECTED ? "异议不成立" : "异议已撤回");
			}
		}
	}
	put_bool(o, "has_entries", n->nentries > 0);
	arr = add_arr(o, "objections");
	for (k = 0; k < nobj; k++) {
		const struct objection *b = objs[k];
		cJSON *bo;
		if (b->received.v > S->o->today)
			continue;
		bo = push_obj(arr);
		put_href(S, bo, "href", "objections", b->id.v);
		put_date(bo, "received", b->received.v);
		put_str(bo, "status_zh", b->status == OBJ_UNDER_REVIEW ? "处理中"
					: b->status == OBJ_WITHDRAWN ? "已撤回"
					: b->outcome == OUT_UPHELD ? "异议成立" : "异议不成立");
	}
	put_bool(o, "has_objections", cJSON_GetArraySize(arr) > 0);
	if (n->revocation.v)
		put_href(S, o, "revocation_href", "revocations", n->revocation.v);
	error = emit_record(S, "notices", n->id.v, "notice", json_get_string(doc.root, "title"),
		     NULL, doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

/* A version of a record file, public part only (NULL if not valid JSON). */
static int load_version(struct site *S, const unsigned char *oid, struct json_doc *doc)
{
	struct diags d = DIAGS_INIT;
	uint64_t size;
	int error;

	if ((error = source_read_oid(S->src, oid, JSON_MAX_BYTES, &S->scratch, &size)) < 0)
		return error;
	if (size > JSON_MAX_BYTES)
		return 0;
	error = json_parse(doc, "version", buf_cstr(&S->scratch), S->scratch.len, &d);
	diags_release(&d);
	if (error > 0)
		return 0;
	if (error == 0) {
		strip_private(doc->root);
		cJSON_DeleteItemFromObjectCaseSensitive(doc->root, "$schema");
	}
	return error;
}

static int page_notice_version(struct site *S, const struct notice *n, const struct history_commit *c,
			       const struct history_change *e, bool current)
{
	struct json_doc doc = JSON_DOC_INIT;
	char path[MAX_URL];
	const cJSON *x;
	cJSON *ctx, *o, *arr;
	date_t d;
	int error, i = 0;

	if ((error = load_version(S, e->new_oid, &doc)) < 0 || !doc.root)
		goto out;
	ctx = cJSON_CreateObject();
	o = add_obj(ctx, "version");
	put_item(o, "record", doc.root, true);
	put_commit(o, c);
	put_bool(o, "current", current);
	put_href(S, o, "notice_href", "notices", n->id.v);
	/* the notice as citizens saw it then: the same document, from this version */
	if ((error = notice_document(S, o, n, doc.root)) < 0) {
		cJSON_Delete(ctx);
		goto out;
	}
	if (json_get_string(doc.root, "issued") && date_parse(json_get_string(doc.root, "issued"), &d) == 0)
		put_date(o, "issued", d);
	if (json_get_string(json_get(doc.root, "period"), "start") &&
	    date_parse(json_get_string(json_get(doc.root, "period"), "start"), &d) == 0)
		put_date(o, "start", d);
	if (json_get_string(json_get(doc.root, "period"), "end") &&
	    date_parse(json_get_string(json_get(doc.root, "period"), "end"), &d) == 0)
		put_date(o, "end", d);
	arr = add_arr(o, "entries");
	cJSON_ArrayForEach(x, json_get(doc.root, "entries")) {
		const struct application *a = record_find_application(S->r, json_get_string(x, "application"));
		const struct program *p = n->res_round ? n->res_round->res_program : NULL;
		const struct tier *t = p ? program_find_tier(p, json_get_string(x, "tier")) : NULL;
		cJSON *eo = push_obj(arr);
		put_num(eo, "number", (double)++i);
		if (a)
			put_applicant_ref(S, eo, a);
		else
			put_str(eo, "org_name", json_get_string(x, "application"));
		put_str(eo, "tier_name", t ? t->name : json_get_string(x, "tier"));
		put_str(eo, "note", json_get_string(x, "note"));
	}
	put_bool(o, "has_entries", i > 0);
	snprintf(path, sizeof(path), "notices/%s/v/%s/index.html", n->id.v, c->id);
	error = emit_data(S, path, "notice-version", json_get_string(doc.root, "title"), NULL, ctx);
out:
	json_doc_release(&doc);
	return error;
}

/* ---- organization ---- */

static const char *org_kind_zh(const char *k)
{
	static const char *const map[][2] = {
		{ "enterprise", "企业" }, { "public_institution", "事业单位" },
		{ "social_organization", "社会组织" }, { "research_institute", "科研机构" },
		{ "other", "其他组织" },
	};
	size_t i;

	for (i = 0; k && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], k))
			return map[i][1];
	return k;
}

/* An applicant's applications, awards and bans, organization or person. */
static size_t put_applicant_record(struct site *S, cJSON *o, const void *const *apps, size_t napps)
{
	cJSON *arr, *awards, *bans;
	size_t i, j;

	/* the award table leaves out the column that would only repeat the name */
	put_bool(o, "in_org", true);
	arr = add_arr(o, "applications");
	awards = add_arr(o, "awards");
	bans = add_arr(o, "bans");
	for (i = napps; i-- > 0;) { /* newest round first: ids sort by program, year */
		const struct application *a = apps[i];
		const struct program *p = program_of(a);
		cJSON *ao = push_obj(arr), *st = add_arr(ao, "stages");
		const void *const *revs;
		size_t nrev;
		stamp_record(S, KIND_APPLICATION, a->id.v); /* its stages, its result */
		if (p) {
			put_str(ao, "program_name", p->name);
			put_href(S, ao, "program_href", "programs", p->id.v);
		}
		if (a->res_round) {
			put_str(ao, "round_name", a->res_round->name);
			put_href(S, ao, "round_href", "rounds", a->res_round->id.v);
		}
		put_str(ao, "tier_name", tier_name(a->res_tier));
		put_date(ao, "submitted", a->submitted.v);
		put_date(ao, "withdrawn", a->withdrawn.v);
		for (j = 0; j < a->nstages; j++) {
			cJSON *so = push_obj(st);
			int k = program_stage_index(p, a->stages[j].stage.v);
			put_str(so, "name", k >= 0 ? p->stages[k].name : a->stages[j].stage.v);
			put_str(so, "outcome_zh", a->stages[j].passed ? "通过" : "未通过");
			put_bool(so, "passed", a->stages[j].passed);
			put_date(so, "date", a->stages[j].date.v);
		}
		put_str(ao, "result_zh", a->withdrawn.v != DATE_NONE ? "已撤回"
				     : !a->has_result ? "评审中"
				     : a->awarded ? tier_name(a->res_result_tier) : "未获奖");
		put_bool(ao, "has_stages", a->nstages > 0);
		if (a->awarded && a->certificate.v)
			award_summary(S, awards, a);
		nrev = group_find(&S->revs_by_app, a->id.v, &revs);
		for (j = 0; j < nrev; j++) {
			const struct revocation *v = revs[j];
			date_t until;
			cJSON *bo;
			if (!v->res_ground || !v->res_ground->ban_years || v->decided.v == DATE_NONE ||
			    v->decided.v > S->o->today)
				continue;
			until = date_period_end(v->decided.v, (int)v->res_ground->ban_years, 0);
			bo = push_obj(bans);
			put_str(bo, "program_name", p ? p->name : NULL);
			put_date(bo, "from", v->decided.v);
			put_date(bo, "until", until);
			put_bool(bo, "in_force", S->o->today <= until);
			put_href(S, bo, "revocation_href", "revocations", v->id.v);
			put_str(bo, "article", v->res_ground->article);
		}
	}
	put_bool(o, "has_awards", cJSON_GetArraySize(awards) > 0);
	put_bool(o, "has_bans", cJSON_GetArraySize(bans) > 0);
	return (size_t)cJSON_GetArraySize(awards);
}

/* What an applicant's counts of applications and awards (its row in its
 * list) are read from: whose each application is, and its result. */
static void stamp_counted(struct site *S, const void *const *apps, size_t napps)
{
	static const char *const counted[] = { "organization", "individual", "result", NULL };
	size_t i;

	for (i = 0; i < napps; i++)
		stamp_fields(S, KIND_APPLICATION, ((const struct application *)apps[i])->id.v, counted);
}

static int page_organization(struct site *S, const struct organization *g, cJSON *list)
{
	struct json_doc doc = JSON_DOC_INIT;
	const void *const *apps;
	size_t napps, nawards, page;
	cJSON *ctx = cJSON_CreateObject(), *o, *sum;
	int error;

	if ((error = load_public(S, g->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "organization");
	put_item(o, "record", doc.root, true);
	put_str(o, "kind_zh", org_kind_zh(json_get_string(doc.root, "kind")));
	put_date(o, "established", g->established.v);
	put_history(S, o, KIND_ORGANIZATION, g->id.v);
	napps = group_find(&S->apps_by_org, g->id.v, &apps);
	nawards = put_applicant_record(S, o, apps, napps);
	page = row_begin(S);
	sum = push_obj(list);
	put_org_ref(S, sum, g, g->id.v);
	put_str(sum, "district", json_get_string(doc.root, "district"));
	put_num(sum, "applications", (double)napps);
	put_num(sum, "awards", (double)nawards);
	stamp_counted(S, apps, napps);
	row_end(S, sum, page);
	error = emit_record(S, "organizations", g->id.v, "organization", g->name, NULL, doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}


/* ---- individual ---- */

/* A person's page shows what award notices publish (the record's public
 * part: name, employer, position) and their applications; its URL is
 * the id the office chose. */
static int page_individual(struct site *S, const struct individual *p, cJSON *list)
{
	struct json_doc doc = JSON_DOC_INIT;
	const void *const *apps;
	size_t napps, nawards, page;
	cJSON *ctx = cJSON_CreateObject(), *o, *sum;
	int error;

	if ((error = load_public(S, p->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "individual");
	put_item(o, "record", doc.root, true);
	put_history(S, o, KIND_INDIVIDUAL, p->id.v);
	if (p->res_employer)
		put_href(S, o, "employer_href", "organizations", p->res_employer->id.v);
	napps = group_find(&S->apps_by_ind, p->id.v, &apps);
	nawards = put_applicant_record(S, o, apps, napps);
	page = row_begin(S);
	sum = push_obj(list);
	put_str(sum, "name", p->name);
	put_href(S, sum, "href", "individuals", p->id.v);
	put_str(sum, "employer", json_get_string(doc.root, "employer"));
	put_str(sum, "position", json_get_string(doc.root, "position"));
	put_num(sum, "applications", (double)napps);
	put_num(sum, "awards", (double)nawards);
	stamp_counted(S, apps, napps);
	row_end(S, sum, page);
	error = emit_record(S, "individuals", p->id.v, "individual", p->name, NULL, doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

/* ---- awards, revocations, objections ---- */

static int page_award(struct site *S, const struct application *a)
{
	struct json_doc doc = JSON_DOC_INIT;
	char title[256];
	cJSON *ctx = cJSON_CreateObject(), *o;
	int error;

	if ((error = load_public(S, a->path, &doc)) < 0)
		goto done;
	o = award_summary(S, add_arr(ctx, "awards"), a);
	put_item(ctx, "award", cJSON_Duplicate(o, 1), false);
	put_item(cJSON_GetObjectItem(ctx, "award"), "record", doc.root, true);
	if (a->res_result_tier && a->res_result_tier->nprize_items) {
		const struct tier *t = a->res_result_tier;
		cJSON *aw = cJSON_GetObjectItem(ctx, "award"), *items = add_arr(aw, "prize_items");
		size_t i;
		put_bool(aw, "has_prize_items", true);
		for (i = 0; i < t->nprize_items; i++) {
			cJSON *it = push_obj(items);
			put_str(it, "name", t->prize_items[i]);
			put_bool(it, "first", i == 0);
		}
	}
	if ((error = put_award_history(S, cJSON_GetObjectItem(ctx, "award"), a->id.v, a->certificate.v)) < 0)
		goto done;
	snprintf(title, sizeof(title), "证书 %s", a->certificate.v);
	error = emit_record(S, "awards", a->certificate.v, "award", title, "awards/index.html", doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

static cJSON *revocation_summary(struct site *S, cJSON *arr, const struct revocation *v)
{
	const struct application *a = v->res_app;
	const struct ground *g = v->res_ground;
	cJSON *o = push_obj(arr);
	char rec[256] = "";
	size_t j;

	stamp_record(S, KIND_REVOCATION, v->id.v);
	if (a) /* its certificate and tier */
		stamp_record(S, KIND_APPLICATION, a->id.v);
	/* the round's name, and the program's (its tiers and grounds too) */
	if (a && a->res_round) {
		stamp_record(S, KIND_ROUND, a->res_round->id.v);
		if (program_of(a))
			stamp_record(S, KIND_PROGRAM, program_of(a)->id.v);
	}
	put_str(o, "id", v->id.v);
	put_href(S, o, "href", "revocations", v->id.v);
	if (a) {
		put_applicant_ref(S, o, a);
		put_str(o, "tier_name", tier_name(a->res_result_tier));
		put_str(o, "certificate", a->certificate.v);
		put_href(S, o, "award_href", "awards", a->certificate.v);
		if (a->res_round)
			put_str(o, "round_name", a->res_round->name);
		if (program_of(a))
			put_str(o, "program_name", program_of(a)->name);
	}
	if (g) {
		put_str(o, "ground_name", g->name);
		put_str(o, "article", g->article);
		put_bool(o, "revokes_award", g->requires_award);
		for (j = 0; j < g->nrecover; j++)
			snprintf(rec + strlen(rec), sizeof(rec) - strlen(rec), "%s%s", j ? "、" : "", g->recover[j]);
		put_str(o, "recover", *rec ? rec : NULL);
		if (g->ban_years && v->decided.v != DATE_NONE) {
			date_t until = date_period_end(v->decided.v, (int)g->ban_years, 0);
			put_num(o, "ban_years", (double)g->ban_years);
			put_date(o, "ban_until", until);
			put_bool(o, "ban_in_force", S->o->today <= until);
		}
	}
	put_date(o, "event", v->event.v);
	put_date(o, "decided", v->decided.v);
	return o;
}

static int page_revocation(struct site *S, const struct revocation *v, cJSON *list)
{
	struct json_doc doc = JSON_DOC_INIT;
	cJSON *ctx = cJSON_CreateObject(), *o;
	size_t i, page;
	int error;

	if ((error = load_public(S, v->path, &doc)) < 0)
		goto done;
	page = row_begin(S);
	row_end(S, revocation_summary(S, list, v), page);
	o = revocation_summary(S, add_arr(ctx, "list"), v);
	put_item(ctx, "revocation", cJSON_Duplicate(o, 1), false);
	o = cJSON_GetObjectItem(ctx, "revocation");
	put_item(o, "record", doc.root, true);
	put_history(S, o, KIND_REVOCATION, v->id.v);
	for (i = 0; i < S->r->nnotices; i++)
		if (S->r->notices[i].revocation.v && !strcmp(S->r->notices[i].revocation.v, v->id.v))
			put_href(S, o, "notice_href", "notices", S->r->notices[i].id.v);
	error = emit_record(S, "revocations", v->id.v, "revocation", "撤销决定", "revocations/index.html", doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

static int page_objection(struct site *S, const struct objection *b, cJSON *list)
{
	const struct notice *n = b->res_notice;
	const struct program *p = n && n->res_round ? n->res_round->res_program
			       : b->res_app && b->res_app->res_round ? b->res_app->res_round->res_program : NULL;
	struct json_doc doc = JSON_DOC_INIT;
	cJSON *ctx = cJSON_CreateObject(), *o, *sum;
	size_t k, page;
	const cJSON *eff = NULL;
	int error;

	if ((error = load_public(S, b->path, &doc)) < 0)
		goto done;
	o = add_obj(ctx, "objection");
	put_item(o, "record", doc.root, true);
	put_history(S, o, KIND_OBJECTION, b->id.v);
	put_lapses(S, o, b, lapse_objection, b->path);
	put_date(o, "received", b->received.v);
	put_date(o, "decided", b->decided.v);
	put_str(o, "status_zh", b->status == OBJ_UNDER_REVIEW ? "处理中"
			       : b->status == OBJ_WITHDRAWN ? "已撤回" : "已处理");
	put_str(o, "outcome_zh", b->outcome == OUT_UPHELD ? "异议成立"
				: b->outcome == OUT_REJECTED ? "异议不成立" : NULL);
	put_str(o, "objector_zh", b->by_organization ? "单位" : "个人");
	if (n) {
		put_str(o, "notice_title", NULL);
		put_href(S, o, "notice_href", "notices", n->id.v);
		put_str(o, "notice_kind_zh", notice_kind_zh(n->kind));
	}
	if (b->res_app)
		put_applicant_ref(S, o, b->res_app);
	/* an objection to review work no notice lists (Lanzhou 第二十八条) */
	for (k = 0; p && b->stage.v && k < p->nstages; k++)
		if (!strcmp(p->stages[k].id, b->stage.v))
			put_str(o, "stage_name", p->stages[k].name);
	if (p) {
		stamp_record(S, KIND_PROGRAM, p->id.v); /* its name, stages, articles */
		put_str(o, "program_name", p->name);
		put_str(o, "upheld_article", p->upheld_article);
		/* the effect the program gives the outcome, read from its file */
		if (b->outcome != OUT_NONE) {
			struct json_doc pd = JSON_DOC_INIT;
			if ((error = load_public(S, p->path, &pd)) < 0)
				goto done;
			eff = json_get(json_get(pd.root, "objections"),
				       b->outcome == OUT_UPHELD ? "upheld_effect" : "rejected_effect");
			if (eff)
				put_item(o, "effect", cJSON_Duplicate(eff, 1), false);
			json_doc_release(&pd);
		}
	}
	page = row_begin(S);
	sum = push_obj(list);
	put_href(S, sum, "href", "objections", b->id.v);
	put_date(sum, "received", b->received.v);
	put_str(sum, "status_zh", json_get_string(o, "status_zh"));
	put_str(sum, "outcome_zh", json_get_string(o, "outcome_zh"));
	put_str(sum, "summary", json_get_string(doc.root, "summary"));
	if (b->res_app)
		put_applicant_ref(S, sum, b->res_app);
	row_end(S, sum, page);
	error = emit_record(S, "objections", b->id.v, "objection", "异议处理结果", "objections/index.html", doc.root, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	json_doc_release(&doc);
	return error;
}

/* ---- withdrawn records: their URLs keep answering ---- */

static const char *section_of(enum record_kind k)
{
	switch (k) {
	case KIND_PROGRAM: return "programs";
	case KIND_ROUND: return "rounds";
	case KIND_NOTICE: return "notices";
	case KIND_ORGANIZATION: return "organizations";
	case KIND_OBJECTION: return "objections";
	case KIND_REVOCATION: return "revocations";
	case KIND_APPLICATION: return "awards";
	case KIND_INDIVIDUAL: return "individuals";
	default: return NULL;
	}
}

static const char *const kind_zh[KIND_COUNT] = {
	"评选项目", "组织", "届次", "申报", "公示公告", "异议", "撤销决定", "个人", "工作日历", "网站内容"
};

/* A change of a file under content/ (its id is its path there): what it
 * is, by its folder, and where it is seen now.  Names are file names:
 * the history keeps no text of content/. */
static void put_content_change(struct site *S, cJSON *x, const struct history_change *e)
{
	char slug[200], path[MAX_URL];
	const char *kind = "网站内容", *name = e->id;
	size_t i;

	snprintf(path, sizeof(path), "content/%s", e->id);
	if (!strcmp(e->id, "site.json")) {
		kind = "网站设置";
	} else if (!strncmp(e->id, "announcements/", 14) || !strncmp(e->id, "pages/", 6)) {
		bool ann = e->id[0] == 'a';
		kind = ann ? "公告" : "页面";
		if (content_slug(path, slug, sizeof(slug)) && source_find(S->src, path) >= 0) {
			name = slug;
			put_href(S, x, "href", ann ? "announcements" : "pages", slug);
		}
	} else {
		const struct program *p = NULL;
		for (i = 0; i < S->r->nprograms && !p; i++)
			if (S->r->programs[i].measures.text.v && !strcmp(S->r->programs[i].measures.text.v, e->id))
				p = &S->r->programs[i];
		if (p) {
			kind = "管理办法全文";
			name = p->name ? p->name : name;
			put_href(S, x, "href", "programs", p->id.v);
		}
	}
	put_str(x, "kind_zh", kind);
	put_str(x, "name", name);
}

static bool exists_now(const struct record *r, enum record_kind k, const char *id)
{
	switch (k) {
	case KIND_PROGRAM: return record_find_program(r, id);
	case KIND_ROUND: return record_find_round(r, id);
	case KIND_NOTICE: return record_find_notice(r, id);
	case KIND_ORGANIZATION: return record_find_organization(r, id);
	case KIND_OBJECTION: return record_find_objection(r, id);
	case KIND_REVOCATION: return record_find_revocation(r, id);
	case KIND_APPLICATION: return record_find_application(r, id);
	case KIND_INDIVIDUAL: return record_find_individual(r, id);
	default: return true;
	}
}

#define ID_CHARS "abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHJKLMNPQRTUWXY"
#define CERT_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"

static int gone_cmp_ref(const void *a, const void *b)
{
	const struct gone_award *x = a, *y = b;

	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* The withdrawn application whose refs start at hist.refs[ref], or NULL. */
static const struct gone_award *gone_find(const struct site *S, size_t ref)
{
	struct gone_award key = { .ref = ref };

	return S->ngone ? bsearch(&key, S->gone, S->ngone, sizeof(*S->gone), gone_cmp_ref) : NULL;
}

static int cert_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* S->gone and S->gone_by_cert, and which page each certificate gets
 * (struct gone_award): before count_pages() and the workers' fork. */
static int gone_awards(struct site *S)
{
	const struct record *r = S->r;
	const char **held = NULL;
	struct gone_award *v;
	size_t i, j, nheld = 0, cap = 0;
	int error = 0;

	for (i = 0; i < S->hist.nrefs && error >= 0; i = j) {
		const struct history_ref *x = &S->hist.refs[i];
		const struct history_change *e = &S->hist.commits[x->commit].changes[x->change];
		struct json_doc doc = JSON_DOC_INIT;
		const char *cert;
		for (j = i; j < S->hist.nrefs && S->hist.refs[j].kind == x->kind && !strcmp(S->hist.refs[j].id, x->id); j++)
			;
		if (x->kind != KIND_APPLICATION || e->status != HIST_DELETED || record_find_application(r, x->id) ||
		    strspn(x->id, ID_CHARS) != strlen(x->id))
			continue;
		if ((error = load_version(S, e->old_oid, &doc)) < 0)
			break;
		cert = doc.root ? json_get_string(json_get(doc.root, "result"), "certificate") : NULL;
		if (cert && *cert && strspn(cert, CERT_CHARS) == strlen(cert)) {
			size_t grown = S->ngone < cap ? cap : cap ? 2 * cap : 16;
			if (grown != cap && (v = realloc(S->gone, grown * sizeof(*v))))
				S->gone = v, cap = grown;
			if (S->ngone == cap || !(S->gone[S->ngone].cert = strdup(cert)))
				error = fail_nomem();
			else {
				S->gone[S->ngone].id = x->id;
				S->gone[S->ngone].ref = i;
				S->gone[S->ngone].commit = x->commit;
				S->gone[S->ngone++].shown = false;
			}
		}
		json_doc_release(&doc);
	}
	if (error < 0 || !S->ngone)
		return error;
	if (!(S->gone_by_cert = malloc(S->ngone * sizeof(*S->gone_by_cert))) ||
	    !(held = malloc((r->napplications + 1) * sizeof(*held)))) {
		error = fail_nomem();
		goto done;
	}
	for (i = 0; i < S->ngone; i++)
		S->gone_by_cert[i] = &S->gone[i];
	qsort(S->gone_by_cert, S->ngone, sizeof(*S->gone_by_cert), gone_cmp_cert);
	for (i = 0; i < r->napplications; i++)
		if (r->applications[i].awarded && r->applications[i].certificate.v)
			held[nheld++] = r->applications[i].certificate.v;
	qsort(held, nheld, sizeof(*held), cert_cmp);
	/* the page of a certificate nobody holds now: its last holder's */
	for (i = 0; i < S->ngone; i++)
		S->gone_by_cert[i]->shown = (!i || strcmp(S->gone_by_cert[i - 1]->cert, S->gone_by_cert[i]->cert)) &&
			!(nheld && bsearch(&S->gone_by_cert[i]->cert, held, nheld, sizeof(*held), cert_cmp));
done:
	free(held);
	return error;
}

/* The page of a record withdrawn (deleted) from the record: when and in
 * which commit, and its last public version. */
static int page_withdrawn(struct site *S, const struct history_ref *refs)
{
	const struct history_commit *c = &S->hist.commits[refs[0].commit];
	const struct history_change *e = &c->changes[refs[0].change];
	struct json_doc doc = JSON_DOC_INIT;
	struct jd_changes f = JD_CHANGES_INIT;
	struct buf label = BUF_INIT;
	const struct program *p;
	char path[MAX_URL], title[300];
	const char *section = section_of(e->kind), *slug = e->id;
	cJSON *ctx = NULL, *o, *arr;

	/* a tombstone shows the record as withdrawn, and nothing newer */
	stamp_reset(S);
	stamp_commit(S, refs[0].commit);
	size_t i;
	int error;

	if (e->kind == KIND_APPLICATION) {
		/* an award's page is named by its certificate */
		const struct gone_award *g = gone_find(S, (size_t)(refs - S->hist.refs));
		if (!g || !g->shown)
			return 0;
		slug = g->cert;
	}
	if ((error = load_version(S, e->old_oid, &doc)) < 0)
		goto done;
	ctx = cJSON_CreateObject();
	o = add_obj(ctx, "withdrawn");
	put_str(o, "kind_zh", kind_zh[e->kind]);
	put_str(o, "id", e->id);
	{
		const struct organization *g = doc.root ? record_find_organization(S->r, json_get_string(doc.root, "organization") ?
						  json_get_string(doc.root, "organization") : "") : NULL;
		const char *name = doc.root ? json_get_string(doc.root, "title") : NULL;
		name = name ? name : doc.root ? json_get_string(doc.root, "name") : NULL;
		put_str(o, "name", name ? name : g && g->name ? g->name : e->id);
	}
	put_commit(o, c);
	arr = add_arr(o, "last");
	if (doc.root && (error = jsondiff_flatten(doc.root, &f)) < 0)
		goto done;
	if (!(p = words_program_of(S->r, e->kind, e->id)) && doc.root) {
		const struct round *x = record_find_round(S->r, json_get_string(doc.root, "round") ?
						       json_get_string(doc.root, "round") : "");
		p = x ? x->res_program : NULL;
	}
	for (i = 0; i < f.n; i++) {
		cJSON *x;
		if (f.v[i].kind == JD_PRIVATE || !strcmp(f.v[i].path, "id") || !strcmp(f.v[i].path, "$schema"))
			continue;
		x = push_obj(arr);
		buf_clear(&label);
		if ((error = words_label(S->r, p, f.v[i].path, &label)) < 0)
			goto done;
		put_str(x, "label", buf_cstr(&label));
		put_item(x, "value", words_value(S->r, p, f.v[i].path, f.v[i].new), false);
	}
	if (e->kind != KIND_APPLICATION)
		put_history(S, o, e->kind, e->id);
	else if ((error = put_award_history(S, o, e->id, slug)) < 0)
		goto done;
	snprintf(path, sizeof(path), "%s/%s/index.html", section, slug);
	snprintf(title, sizeof(title), "已撤回的%s %s", kind_zh[e->kind], e->id);
	error = emit_data(S, path, "withdrawn", title, NULL, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	jd_changes_release(&f);
	buf_release(&label);
	json_doc_release(&doc);
	return error;
}

static int pages_withdrawn(struct site *S)
{
	size_t i, j;
	int error = 0;

	for (i = 0; i < S->hist.nrefs && error >= 0; i = j) {
		const struct history_ref *r = &S->hist.refs[i];
		const struct history_change *e = &S->hist.commits[r->commit].changes[r->change];
		for (j = i; j < S->hist.nrefs && S->hist.refs[j].kind == r->kind && !strcmp(S->hist.refs[j].id, r->id); j++)
			;
		/* refs run newest first within a record */
		if (e->status == HIST_DELETED && section_of(r->kind) && !exists_now(S->r, r->kind, r->id) &&
		    strspn(r->id, ID_CHARS) == strlen(r->id))
			error = page_withdrawn(S, r);
	}
	return error;
}

/* ---- the change log ---- */

#define CHANGES_PER_PAGE 50
#define CHANGES_ON_INDEX 20 /* the newest commits, above the list of pages */

/* Where a record changed by a commit can be seen now, or NULL. */
static void put_record_href(struct site *S, cJSON *o, enum record_kind k, const char *id)
{
	const struct application *a;

	if (k == KIND_APPLICATION) {
		if ((a = record_find_application(S->r, id)) && a->awarded && a->certificate.v)
			put_href(S, o, "href", "awards", a->certificate.v);
		else if (a && a->individual.v)
			put_href(S, o, "href", "individuals", a->individual.v);
		else if (a)
			put_href(S, o, "href", "organizations", a->organization.v);
		return;
	}
	if (section_of(k) && strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHJKLMNPQRTUWXY") == strlen(id) &&
	    (exists_now(S->r, k, id) || k != KIND_APPLICATION))
		put_href(S, o, "href", section_of(k), id);
}

/* Fills o with commit c and what it changed, each change's fields too
 * if asked; returns o. */
static cJSON *commit_fill(struct site *S, cJSON *o, const struct history_commit *c, bool fields)
{
	cJSON *ch = add_arr(o, "changes");
	size_t i;

	put_commit(o, c);
	put_str(o, "message", c->message);
	put_num(o, "count", (double)c->nchanges);
	for (i = 0; i < c->nchanges; i++) {
		const struct history_change *e = &c->changes[i];
		cJSON *x = push_obj(ch);
		put_str(x, "id", e->id);
		if (e->kind == KIND_CONTENT)
			put_content_change(S, x, e);
		else {
			char h[MAX_URL];
			const char *name = words_record_name(S->r, e->kind, e->id, h);
			put_str(x, "kind_zh", kind_zh[e->kind]);
			put_str(x, "name", name ? name : e->id);
			put_record_href(S, x, e->kind, e->id);
		}
		put_str(x, "status_zh", hist_status_zh(e->status));
		put_str(x, "path", e->path);
		put_str(x, "old_path", e->old_path);
		if (fields)
			put_fields(S, x, &e->fields, e->kind, e->id);
	}
	return o;
}

static cJSON *commit_entry(struct site *S, cJSON *arr, const struct history_commit *c, bool fields)
{
	return commit_fill(S, push_obj(arr), c, fields);
}

static cJSON *publications_view(struct site *S)
{
	cJSON *arr = cJSON_CreateArray();
	const cJSON *x;
	int n = cJSON_GetArraySize(S->publications), i;

	for (i = n - 1; i >= 0; i--) { /* newest first */
		cJSON *o = push_obj(arr);
		date_t d;
		x = cJSON_GetArrayItem(S->publications, i);
		put_str(o, "commit", json_get_string(x, "commit"));
		if (json_get_string(x, "commit")) {
			char short_id[8];
			snprintf(short_id, sizeof(short_id), "%.7s", json_get_string(x, "commit"));
			put_str(o, "commit_short", short_id);
		}
		if (json_get_string(x, "date") && date_parse(json_get_string(x, "date"), &d) == 0)
			put_date(o, "date", d);
		put_str(o, "rewrite_of", json_get_string(x, "rewrite_of"));
		if (json_get_string(x, "restart_of")) {
			put_bool(o, "restart", true);
			if (*json_get_string(x, "restart_of"))
				put_str(o, "restart_of", json_get_string(x, "restart_of"));
		}
		put_str(o, "unchained_before", json_get_string(x, "unchained_before"));
	}
	return arr;
}

static int page_commit(struct site *S, const struct history_commit *c)
{
	char path[MAX_URL], title[64];
	cJSON *ctx = cJSON_CreateObject();

	if (ctx)
		commit_fill(S, add_obj(ctx, "commit"), c, true);
	snprintf(path, sizeof(path), "changes/%s/index.html", c->id);
	snprintf(title, sizeof(title), "提交 %.7s", c->id);
	return emit_data(S, path, "commit", title, "changes/index.html", ctx);
}

/* The change log's pages and feed; page_commit() the page of each. */
static int pages_changes(struct site *S)
{
	const struct history *h = &S->hist;
	size_t pages = (h->n + CHANGES_PER_PAGE - 1) / CHANGES_PER_PAGE, p, i;
	char path[MAX_URL], prev[MAX_URL], next[MAX_URL], title[64];
	int error = 0;

	/* Pages are numbered from the oldest commit, as an append-only log's:
	 * a new commit changes the newest page and the index, not every page
	 * after it.  Page p (0-based) holds the commits p * CHANGES_PER_PAGE
	 * to (p + 1) * CHANGES_PER_PAGE - 1 counted from the oldest, shown
	 * newest first; the index shows the newest commits and every page. */
	for (p = 0; p <= pages && error >= 0; p++) {
		bool index = p == pages;
		size_t from = index ? 0 : h->n - (p + 1 < pages ? (p + 1) * CHANGES_PER_PAGE : h->n);
		size_t to = index ? (h->n < CHANGES_ON_INDEX ? h->n : CHANGES_ON_INDEX) : h->n - p * CHANGES_PER_PAGE;
		cJSON *ctx = cJSON_CreateObject(), *arr = add_arr(ctx, "commits");
		stamp_reset(S);
		for (i = from; i < to; i++) {
			commit_entry(S, arr, &h->commits[i], false);
			stamp_commit(S, i);
		}
		if (index) {
			/* Every page by number under the year of its oldest commit:
			 * at size M (1,000 pages) a line of dates a page made the
			 * index 181 KB, over issue #23's 100 KB for a first page. */
			cJSON *years = add_arr(ctx, "page_years"), *year = NULL, *list = NULL;
			int y = 0;
			put_bool(ctx, "has_pages", pages > 0);
			put_num(ctx, "per_page", CHANGES_PER_PAGE);
			for (i = pages; i-- > 0;) {
				cJSON *o;
				size_t newest = h->n - (i + 1 < pages ? (i + 1) * CHANGES_PER_PAGE : h->n);
				date_t oldest = date_from_time_cst((time_t)h->commits[h->n - 1 - i * CHANGES_PER_PAGE].time);
				if (!year || date_year(oldest) != y) {
					y = date_year(oldest);
					year = push_obj(years);
					put_num(year, "year", y);
					list = add_arr(year, "pages");
				}
				o = push_obj(list);
				snprintf(path, sizeof(path), "changes/page/%zu/index.html", i + 1);
				put_str(o, "href", path);
				put_num(o, "page", (double)(i + 1));
				put_date(o, "from", oldest);
				put_date(o, "to", date_from_time_cst((time_t)h->commits[newest].time));
			}
		} else {
			put_num(ctx, "page", (double)(p + 1));
			if (p + 1 < pages)
				snprintf(prev, sizeof(prev), "changes/page/%zu/index.html", p + 2);
			else
				snprintf(prev, sizeof(prev), "changes/index.html");
			put_str(ctx, "prev_href", prev);
			if (p > 0) {
				snprintf(next, sizeof(next), "changes/page/%zu/index.html", p);
				put_str(ctx, "next_href", next);
			}
		}
		if (h->boundary[0]) {
			char when[64];
			commit_time_zh(h->boundary_time, when, sizeof(when));
			put_str(ctx, "history_begins", when);
		}
		put_bool(ctx, "empty", h->n == 0);
		if (index)
			snprintf(path, sizeof(path), "changes/index.html");
		else
			snprintf(path, sizeof(path), "changes/page/%zu/index.html", p + 1);
		snprintf(title, sizeof(title), index ? "变更记录" : "变更记录（第%zu页）", p + 1);
		error = emit_data(S, path, "changes", title, "changes/index.html", ctx);
	}
	if (error >= 0) { /* the change log's own feed: its newest commits */
		cJSON *ctx = cJSON_CreateObject(), *entries = add_arr(ctx, "entries");
		char when[32], id[MAX_URL * 2];
		for (i = 0; i < h->n && i < 50; i++) {
			cJSON *o = push_obj(entries);
			char sum[300];
			summary_line(h->commits[i].message, sum, sizeof(sum));
			put_str(o, "title", sum);
			put_str(o, "kind_zh", "记录变更");
			snprintf(path, sizeof(path), "changes/%s/index.html", h->commits[i].id);
			put_str(o, "href", path);
			snprintf(id, sizeof(id), "%s%s", S->base_url ? S->base_url : "urn:gongshi:", path);
			put_str(o, "id", id);
			/* the author's date, in China */
			rfc3339(when, date_from_time_cst((time_t)h->commits[i].time));
			put_str(o, "date", when);
		}
		rfc3339(when, h->n ? date_from_time_cst((time_t)h->commits[0].time) : S->o->today);
		put_str(ctx, "updated", when);
		put_str(ctx, "feed_title", "变更记录");
		snprintf(id, sizeof(id), "%schanges.xml", S->base_url ? S->base_url : "urn:gongshi:");
		put_str(ctx, "feed_id", id);
		put_str(ctx, "base", S->base_url);
		error = emit(S, "changes.xml", "atom", "变更记录", NULL, ctx);
	}
	return error;
}

/* ---- the publication log ---- */

/*
 * A shallow clone (CI checks out one commit by default) would publish a
 * site without the pages, and the permanent URLs, of every commit
 * beyond its cut: refused when the site was last published with more
 * history, unless allowed, which is a decision of its own
 * (--allow-rewrite is not it).  An entry published from a shallow clone
 * says where its history began, so that the next shallow build can tell
 * whether it reaches back as far.
 */
static int shallow_guard(struct site *S, const cJSON *last)
{
	const char *from = json_get_string(last, "shallow_boundary");
	const char *root = S->src->root;
	bool reaches = false;
	int error;

	if (!S->hist.shallow || !last || S->o->allow_shallow)
		return 0;
	if (from && !*from)
		from = NULL;
	if (from && (error = source_descends(S->src, S->src->commit, from, &reaches)) < 0)
		return error;
	if (reaches)
		return 0;
	return error_set(ERR_GIT, "%s is a shallow clone: its history is cut%s%.7s, and the site in %s was last "
			 "published with %s%.7s; publishing this commit would remove the pages of the commits "
			 "before the cut, and their permanent URLs.  Fetch the whole history with "
			 "`git -C %s fetch --unshallow` and build again (to publish the cut history all the "
			 "same, build with --allow-shallow).", root, S->hist.boundary[0] ? " at commit " : "",
			 S->hist.boundary, S->o->out_dir, from ? "a history reaching back to commit " :
			 "the whole history", from ? from : "", root);
}

/*
 * Why the log of the site being replaced cannot be carried forward, or
 * NULL: a site gongshi wrote (it has SHA256SUMS) holds a log, listed
 * there with its digest, that parses, whose chain holds, and whose head
 * is the one SHA256SUMS names.  head = that head, or the one SHA256SUMS
 * names, or "" (for the first entry of a new log).
 */
static const char *log_trouble(struct site *S, const struct buf *sums, const struct buf *old,
			       char head[65], int *unchained, int *error, char *why, size_t size)
{
	char listed[65], digest[65], noted[65];
	int have_note = sums && publog_sums_head(buf_cstr(sums), noted);

	*head = '\0';
	*error = 0;
	if (have_note)
		memcpy(head, noted, sizeof(noted));
	if (!sums)
		return NULL; /* a new site */
	if (!old)
		return "is missing (deleted), though SHA256SUMS lists it";
	if (!publog_sums_digest(buf_cstr(sums), PUBLOG_FILE, listed))
		return "is not listed in SHA256SUMS: gongshi did not write it";
	publog_digest(old->ptr, old->len, digest);
	if (strcmp(listed, digest))
		return "was edited since gongshi wrote it: it is not the file SHA256SUMS lists "
		       "(entries removed or changed, or the file cut short)";
	if (!S->publications)
		return "is not JSON (corrupt or cut short)";
	if ((*error = publog_check(S->publications, head, unchained)) < 0) {
		if (*error != ERR_INVALID)
			return NULL;
		*error = 0;
		snprintf(why, size, "is corrupt: %s", error_message());
		if (have_note)
			memcpy(head, noted, sizeof(noted));
		return why;
	}
	if (have_note && strcmp(noted, head)) {
		snprintf(why, size, "ends with the head %.12s…, but SHA256SUMS names %.12s… (entries "
			 "were removed)", head, noted);
		memcpy(head, noted, sizeof(noted));
		return why;
	}
	if (!have_note && *unchained < cJSON_GetArraySize(S->publications))
		return "is chained, but SHA256SUMS names no head";
	return NULL;
}

/*
 * publication-log.json lists every commit the site was published from,
 * carried forward from the site being replaced, each entry chained to
 * the one before (publog.h).  A log that cannot be carried forward
 * whole is refused: starting again quietly would let a rewritten history
 * pass for the first.  A commit that does not descend from the last one
 * published means the history was rewritten (a force-push): refused
 * unless allowed, and then recorded openly.
 */
static int publication_log(struct site *S)
{
	struct buf old = BUF_INIT, sums = BUF_INIT;
	cJSON *last, *entry;
	const char *prev = NULL, *cut, *was_cut, *why;
	char d[11], head[65], chain[65], count[16], trouble[512];
	bool ok = true, have_sums, have_log;
	int error, unchained = 0, n;

	if ((error = output_read_sums(&S->out, &sums)) < 0)
		goto done;
	have_sums = error == 0;
	if ((error = output_read_current(&S->out, PUBLOG_FILE, &old)) < 0)
		goto done;
	have_log = error == 0;
	if (have_log && json_parse_trusted(buf_cstr(&old), old.len, &S->publications) < 0) {
		cJSON_Delete(S->publications);
		S->publications = NULL;
	}
	why = log_trouble(S, have_sums ? &sums : NULL, have_log ? &old : NULL, head, &unchained, &error,
			  trouble, sizeof(trouble));
	if (error < 0)
		goto done;
	if (why && !S->o->new_log) {
		error = error_set(ERR_IO, "%s/%s %s.  It is the record of every commit this site was published "
				  "from, and cannot be carried forward; nothing was written.  Restore the site "
				  "from a copy (gongshi verify tells a good one), or build with --new-log to start "
				  "a new log, which the site will show", S->o->out_dir, PUBLOG_FILE, why);
		goto done;
	}
	if (S->o->new_log) { /* the old log, whatever it holds, is replaced on purpose */
		cJSON_Delete(S->publications);
		S->publications = NULL;
		S->out.forgive = PUBLOG_FILE;
	}
	if (!S->publications && !(S->publications = cJSON_CreateArray())) {
		error = fail_nomem();
		goto done;
	}
	n = cJSON_GetArraySize(S->publications);
	last = cJSON_GetArrayItem(S->publications, n - 1);
	prev = json_get_string(last, "commit");
	if (S->src->worktree && prev && !S->o->force_draft) {
		error = error_set(ERR_USAGE, "%s holds the site published from commit %.7s; a draft of the "
				  "working tree (--worktree) would replace it.  Build drafts into another folder "
				  "(-o preview), or add --force-draft to replace the published site",
				  S->o->out_dir, prev);
		goto done;
	}
	if (S->src->worktree) /* a preview publishes nothing */
		goto write;
	if ((error = shallow_guard(S, last)) < 0)
		goto done;
	cut = S->hist.shallow ? S->hist.boundary : "";
	was_cut = json_get_string(last, "shallow_boundary");
	/* the same commit again: a new entry only where the history's cut moved */
	if (prev && !strcmp(prev, S->src->commit) && !strcmp(cut, was_cut ? was_cut : ""))
		goto write;
	if (prev && (error = source_descends(S->src, S->src->commit, prev, &ok)) < 0)
		goto done;
	if (!ok && !S->o->allow_rewrite) {
		if (S->hist.shallow)
			error = error_set(ERR_REWRITE, "commit %.7s, which the site in %s was last published from, "
					  "is not in the history of this shallow clone: either the history was "
					  "rewritten or that commit is beyond the cut.  Fetch the whole history with "
					  "`git -C %s fetch --unshallow` to tell; build with --allow-rewrite to publish "
					  "it anyway, and the change log will say so.", prev, S->o->out_dir,
					  S->src->root);
		else
			error = error_set(ERR_REWRITE, "commit %.7s does not descend from %.7s, which the site in %s "
					  "was last published from: the history was rewritten.  Build with "
					  "--allow-rewrite to publish it anyway; the change log will say so.",
					  S->src->commit, prev, S->o->out_dir);
		goto done;
	}
	if (!(entry = cJSON_CreateObject()) || !cJSON_AddItemToArray(S->publications, entry)) {
		cJSON_Delete(entry);
		error = fail_nomem();
		goto done;
	}
	cJSON_AddStringToObject(entry, "commit", S->src->commit);
	cJSON_AddStringToObject(entry, "date", fmt_iso(d, S->o->today));
	if (!ok)
		cJSON_AddStringToObject(entry, "rewrite_of", prev);
	if (*cut)
		cJSON_AddStringToObject(entry, "shallow_boundary", cut);
	if (S->o->new_log) /* the old head, where known: "" if not */
		cJSON_AddStringToObject(entry, "restart_of", have_sums ? head : "");
	else if (n && unchained == n) { /* a log of an earlier version: chained from here on */
		snprintf(count, sizeof(count), "%d", n);
		cJSON_AddStringToObject(entry, "unchained_before", count);
	}
	if ((error = publog_hash(entry, S->o->new_log ? "" : head, chain)) < 0 ||
	    !cJSON_AddStringToObject(entry, "chain", chain)) {
		error = error < 0 ? error : fail_nomem();
		goto done;
	}
	memcpy(head, chain, sizeof(chain));
write:
	if (cJSON_GetArraySize(S->publications) &&
	    (error = publog_check(S->publications, head, &unchained)) < 0)
		goto done;
	if (*head && cJSON_GetArraySize(S->publications)) {
		size_t len = strlen(PUBLOG_NOTE) + 66;
		if (!(S->out.note = malloc(len))) {
			error = fail_nomem();
			goto done;
		}
		snprintf(S->out.note, len, "%s %s", PUBLOG_NOTE, head);
		memcpy(S->log_head, head, sizeof(head));
	}
	{
		char *text = cJSON_Print(S->publications);
		if (!text) {
			error = fail_nomem();
			goto done;
		}
		error = output_write(&S->out, PUBLOG_FILE, text, strlen(text));
		free(text);
	}
done:
	buf_release(&old);
	buf_release(&sums);
	return error;
}

/* ---- lists ---- */

static int emit_list(struct site *S, const char *path, const char *tmpl, const char *title,
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
enum list_key { LK_NAME, LK_YEAR, LK_MONTH };

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

#define UNDATED "undated"

static const struct list_spec *row_spec; /* qsort() has no argument */

/* Years and months newest first, names in order; undated last. */
static int list_key_cmp(enum list_key kind, const char *a, const char *b)
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

static void list_year_key(char *k, size_t size, date_t t)
{
	if (t == DATE_NONE)
		snprintf(k, size, "%s", UNDATED);
	else
		snprintf(k, size, "%04d", date_year(t));
}

static void list_month_key(char *k, size_t size, date_t t)
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
static void put_part(cJSON *o, const char *k, enum list_key kind, const char *key, const char *name)
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

static int emit_lists(struct site *S, cJSON *orgs, cJSON *awards, cJSON *revs, cJSON *objs)
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
static int emit_lapses(struct site *S)
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

/* ---- home, statistics ---- */

static int date_desc(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	const char *dx = json_get_string(x, "date"), *dy = json_get_string(y, "date");
	int c = strcmp(dy ? dy : "", dx ? dx : "");

	return c ? c : strcmp(json_get_string(x, "title") ? json_get_string(x, "title") : "",
			      json_get_string(y, "title") ? json_get_string(y, "title") : "");
}

/* Announcements: result and revocation notices, calls, content/announcements/. */
static int announcements(struct site *S, cJSON *out, size_t max)
{
	struct buf md = BUF_INIT;
	cJSON **v = NULL, *o;
	size_t i, n = 0, cap = S->r->nnotices + S->r->nrounds + S->src->n + 1;
	char d[11];
	int error = 0;

	if (!(v = calloc(cap, sizeof(*v))))
		return fail_nomem();
	for (i = 0; i < S->r->nnotices; i++) {
		const struct notice *x = &S->r->notices[i];
		if (x->issued.v == DATE_NONE || x->issued.v > S->o->today)
			continue;
		o = v[n++] = cJSON_CreateObject();
		put_str(o, "kind_zh", notice_kind_zh(x->kind));
		put_href(S, o, "href", "notices", x->id.v);
		put_str(o, "date", fmt_iso(d, x->issued.v));
		put_date(o, "d", x->issued.v);
		put_str(o, "title", x->title);
	}
	for (i = 0; i < S->r->nrounds; i++) {
		const struct round *x = &S->r->rounds[i];
		char t[300];
		if (x->call_published.v == DATE_NONE || x->call_published.v > S->o->today)
			continue;
		o = v[n++] = cJSON_CreateObject();
		snprintf(t, sizeof(t), "%s评审公告", x->name ? x->name : x->id.v);
		put_str(o, "title", t);
		put_str(o, "kind_zh", "评审公告");
		put_href(S, o, "href", "rounds", x->id.v);
		put_str(o, "date", fmt_iso(d, x->call_published.v));
		put_date(o, "d", x->call_published.v);
	}
	for (i = 0; i < S->src->n; i++) {
		/* content/announcements/YYYY-MM-DD-slug.md, first line "# title" */
		const char *p = S->src->v[i].path, *base;
		char t[300];
		date_t when;
		size_t len = strlen(p);
		if (strncmp(p, "content/announcements/", 22) || !content_slug(p, t, sizeof(t)))
			continue;
		base = p + 22;
		snprintf(d, sizeof(d), "%.10s", base);
		if (date_parse(d, &when) < 0 || when > S->o->today)
			continue;
		if ((error = load_content(S, p, &md)) < 0)
			goto done;
		md_title(buf_cstr(&md), t, sizeof(t));
		o = v[n++] = cJSON_CreateObject();
		put_str(o, "title", t);
		put_str(o, "kind_zh", "通知");
		put_str(o, "date", d);
		put_date(o, "d", when);
		snprintf(t, sizeof(t), "announcements/%.*s/index.html", (int)(len - 22 - 3), base);
		put_str(o, "href", t);
	}
	qsort(v, n, sizeof(*v), date_desc);
	for (i = 0; i < n; i++) {
		if (i < max) {
			put_item(out, NULL, v[i], false);
			v[i] = NULL;
		}
	}
done:
	for (i = 0; i < n; i++)
		cJSON_Delete(v[i]);
	free(v);
	buf_release(&md);
	return error;
}

static int page_home(struct site *S, const cJSON *programs, const cJSON *revocations)
{
	cJSON *ctx = cJSON_CreateObject(), *open = add_arr(ctx, "open_notices"), *ann;
	cJSON *soon = add_arr(ctx, "upcoming_notices"), *revs, *r;
	size_t i;
	int error;
	long left;

	for (i = 0; i < S->r->nnotices; i++) {
		const struct notice *n = &S->r->notices[i];
		enum nstate st = notice_state(S, n, &left);
		if (st == NS_OPEN || st == NS_REVIEW)
			notice_summary(S, open, n);
		else if (st == NS_NOT_OPEN && n->issued.v <= S->o->today)
			notice_summary(S, soon, n);
	}
	if ((error = announcements(S, ann = add_arr(ctx, "announcements"), 10)) < 0) {
		cJSON_Delete(ctx);
		return error;
	}
	put_item(ctx, "programs", cJSON_Duplicate(programs, 1), false);
	revs = add_arr(ctx, "revocations");
	cJSON_ArrayForEach(r, revocations)
		if (cJSON_GetArraySize(revs) < 5)
			put_item(revs, NULL, cJSON_Duplicate(r, 1), false);
	put_lapse_counts(S, ctx);
	put_bool(ctx, "has_open", cJSON_GetArraySize(open) > 0);
	put_bool(ctx, "has_upcoming", cJSON_GetArraySize(soon) > 0);
	put_bool(ctx, "has_revocations", cJSON_GetArraySize(revs) > 0);
	if (S->log_head[0])
		put_str(ctx, "log_head", S->log_head);
	/* the publications: on the page that changes with every one anyway */
	put_item(ctx, "publications", publications_view(S), false);
	put_bool(ctx, "has_publications", cJSON_GetArraySize(S->publications) > 0);
	return emit(S, "index.html", "home", NULL, "index.html", ctx);
}

/* Announcements written in content/: one page each. */
static int pages_content(struct site *S)
{
	struct buf md = BUF_INIT;
	char path[MAX_URL], slug[200], title[300];
	size_t i;
	int error = 0;

	for (i = 0; i < S->src->n && error >= 0; i++) {
		const char *p = S->src->v[i].path;
		size_t len = strlen(p);
		bool ann = !strncmp(p, "content/announcements/", 22), page = !strncmp(p, "content/pages/", 14);
		cJSON *ctx, *o;
		if ((!ann && !page) || len < 5 || strcmp(p + len - 3, ".md"))
			continue;
		if (!content_slug(p, slug, sizeof(slug)))
			continue; /* site_check() refused it */
		if ((error = load_content(S, p, &md)) < 0)
			break;
		ctx = cJSON_CreateObject();
		o = add_obj(ctx, "page");
		if ((error = put_markdown(o, "html", buf_cstr(&md), 0)) < 0) {
			cJSON_Delete(ctx);
			break;
		}
		snprintf(path, sizeof(path), "%s/%s/index.html", ann ? "announcements" : "pages", slug);
		md_title(buf_cstr(&md), title, sizeof(title));
		error = emit(S, path, "page", title, NULL, ctx);
	}
	buf_release(&md);
	return error;
}

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

static int page_stats(struct site *S)
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

/* ---- feeds, sitemap, downloads ---- */

static void rfc3339(char out[32], date_t t)
{
	char d[11];

	date_format(t, d);
	snprintf(out, 32, "%sT00:00:00+08:00", d);
}

/* Atom entries: notices, calls and revocations, newest first, optionally
 * of one program or notices only. */
static int emit_feed(struct site *S, const char *path, const char *title,
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
		char t[300];
		if (x->call_published.v == DATE_NONE || (only && x->res_program != only))
			continue;
		o = v[n++] = cJSON_CreateObject();
		snprintf(t, sizeof(t), "%s评审公告", x->name ? x->name : x->id.v);
		put_str(o, "title", t);
		put_str(o, "kind_zh", "评审公告");
		put_href(S, o, "href", "rounds", x->id.v);
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

static int downloads(struct site *S)
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

static int sitemap(struct site *S, char **paths, size_t n)
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

/* ---- settings and theme ---- */

const char *site_base_url_problem(const char *url)
{
	const char *p = !strncmp(url, "https://", 8) ? url + 8 : !strncmp(url, "http://", 7) ? url + 7 : NULL;
	size_t n;

	if (!p)
		return "not an http:// or https:// URL";
	if (strlen(url) > 200)
		return "longer than 200 bytes";
	if (!(n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")))
		return "no host name after the scheme";
	p += n;
	if (*p == ':') {
		if ((n = strspn(++p, "0123456789")) == 0 || n > 5)
			return "the port is not a number";
		p += n;
	}
	if (*p && *p != '/')
		return "a character a host name cannot hold";
	/* RFC 3986's pchar and "/": nothing an HTML attribute, XML or a
	 * robots.txt line would need escaped but & and ', no query (?) and
	 * no fragment (#), since the site's paths are appended to it */
	if (strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%/") !=
	    strlen(p))
		return "a character a URL's path cannot hold unescaped, or a query or fragment";
	return NULL;
}

int site_check(const struct record *r, const struct source *src, struct diags *d)
{
	struct schema_set *schemas = NULL;
	struct json_doc doc = JSON_DOC_INIT;
	struct buf text = BUF_INIT;
	char slug[256], path[MAX_URL];
	const cJSON *base;
	const char *why;
	uint64_t size;
	size_t i;
	int k, error = 0;

	for (i = 0; i < src->n && error >= 0; i++) {
		const struct source_entry *e = &src->v[i];
		bool named = !strncmp(e->path, "content/announcements/", 22) || !strncmp(e->path, "content/pages/", 14);
		if (strncmp(e->path, "content/", 8) || !ends_with(e->path, ".md") || e->link)
			continue;
		if (named && !content_slug(e->path, slug, sizeof(slug)))
			error = diags_add(d, DIAG_ERROR, e->path, 1, 1, "schema-pattern",
					  "an announcement's or page's file name becomes its URL: only a-z, 0-9 and - "
					  "before \".md\"");
		else if ((error = source_read(src, i, SITE_MARKDOWN_MAX, &text, &size)) >= 0 &&
			 size > SITE_MARKDOWN_MAX)
			error = diags_add(d, DIAG_ERROR, e->path, 1, 1, "file-size",
					  "file is %llu bytes; a Markdown file may be at most %d bytes",
					  (unsigned long long)size, SITE_MARKDOWN_MAX);
	}
	for (i = 0; i < r->nprograms && error >= 0; i++) {
		const struct program *p = &r->programs[i];
		if (!p->measures.text.v)
			continue;
		snprintf(path, sizeof(path), "content/%s", p->measures.text.v);
		if ((k = source_find(src, path)) < 0 || src->v[k].link)
			error = diags_add(d, DIAG_ERROR, p->path, p->measures.text.pos.line, p->measures.text.pos.col,
					  "reference", "the measures' \"text\" names %s, which is %s", path,
					  k < 0 ? "not in the record" : "a link, not a file");
	}
	/* a link is no settings, as load_content() reads it */
	if (error < 0 || (k = source_find(src, "content/site.json")) < 0 || src->v[k].link)
		goto done;
	if ((error = source_read(src, (size_t)k, JSON_MAX_BYTES, &text, &size)) < 0)
		goto done;
	if (size > JSON_MAX_BYTES) {
		error = diags_add(d, DIAG_ERROR, src->v[k].path, 1, 1, "file-size",
				  "file is %llu bytes; a settings file may be at most %d bytes",
				  (unsigned long long)size, JSON_MAX_BYTES);
		goto done;
	}
	if ((error = json_parse(&doc, src->v[k].path, buf_cstr(&text), text.len, d)) != 0 ||
	    (error = schema_set_load(&schemas)) < 0 ||
	    (error = schema_validate(schemas, "site.schema.json", &doc, src->v[k].path, d)) < 0)
		goto done;
	base = json_get(doc.root, "base_url");
	if (cJSON_IsString(base) && *base->valuestring && (why = site_base_url_problem(base->valuestring))) {
		struct json_pos at = json_value_pos(&doc, base);
		error = diags_add(d, DIAG_ERROR, src->v[k].path, at.line, at.col, "schema-pattern",
				  "base_url is where the site is published: %s", why);
	}
done:
	json_doc_release(&doc);
	buf_release(&text);
	schema_set_free(schemas);
	return error < 0 ? error : 0;
}

/*
 * With "require_signed", the commit built must carry a good signature by
 * a key of content/keys/.  Only that commit: its signature covers its
 * parents' ids, and so the whole history below it, which the signer
 * vouches for by signing; every commit's own state is on its page.  A
 * preview of the working tree is no publication, and is not held to it.
 */
static int require_signed(struct site *S)
{
	const struct sign_key *who;
	int state, error;

	if (S->src->worktree || !cJSON_IsTrue(json_get(S->settings, "require_signed")))
		return 0;
	if ((error = source_signature(S->src, S->src->commit, &state, &who)) < 0)
		return error;
	if (state == SIGN_GOOD)
		return 0;
	return error_set(ERR_INVALID, "commit %.7s %s, and content/site.json requires signed commits "
			 "(\"require_signed\"): sign it with a key listed in " SIGN_KEYS_DIR "/ (git commit -S); "
			 "nothing was written", S->src->commit,
			 state == SIGN_NONE ? "is not signed"
					    : "has a signature that cannot be verified with the keys of " SIGN_KEYS_DIR "/");
}

/* Reads content/site.json, checked against site.schema.json like a record. */
static int load_settings(struct site *S, const struct schema_set *schemas, struct diags *d)
{
	struct json_doc doc = JSON_DOC_INIT;
	struct buf text = BUF_INIT;
	const char *path = "content/site.json", *theme;
	int error, n;

	if ((error = load_content(S, path, &text)) < 0)
		goto done;
	if (error > 0) { /* no settings: an unnamed site */
		S->settings = cJSON_CreateObject();
		error = S->settings ? 0 : fail_nomem();
		goto done;
	}
	if ((error = json_parse(&doc, path, buf_cstr(&text), text.len, d)) != 0)
		goto done;
	if ((n = schema_validate(schemas, "site.schema.json", &doc, path, d)) != 0) {
		error = n < 0 ? n : 1;
		goto done;
	}
	S->settings = doc.root;
	doc.root = NULL;
	if ((theme = json_get_string(S->settings, "theme")) && !strcmp(theme, "default"))
		cJSON_DeleteItemFromObjectCaseSensitive(S->settings, "theme");
done:
	json_doc_release(&doc);
	buf_release(&text);
	return error;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* A theme file: the site's own (themes/<theme>/<name> at the commit), else
 * the default one compiled in.  Returns 1 if neither exists. */
static int theme_file(struct site *S, const char *name, struct buf *out, const char **from)
{
	const char *theme = json_get_string(S->settings, "theme");
	char path[MAX_URL];
	uint64_t size;
	size_t i;
	int k;

	buf_clear(out);
	if (theme) {
		snprintf(path, sizeof(path), "themes/%s/%s", theme, name);
		if ((k = source_find(S->src, path)) >= 0) {
			*from = S->src->v[k].path;
			return source_read(S->src, (size_t)k, JSON_MAX_BYTES, out, &size);
		}
	}
	for (i = 0; i < theme_nfiles; i++)
		if (!strcmp(theme_files[i].name, name)) {
			*from = theme_files[i].name;
			return buf_put(out, theme_files[i].data, theme_files[i].len);
		}
	return 1;
}

/* Whether the default theme has a file of this name (a template or an
 * asset), which a site's theme then overrides rather than adds. */
static bool is_default_asset(const char *name)
{
	size_t i;

	for (i = 0; i < theme_nfiles; i++)
		if (!strcmp(theme_files[i].name, name))
			return true;
	return false;
}

/* Every template name the theme has: the default's and the site's own. */
static int load_theme(struct site *S)
{
	const char *theme = json_get_string(S->settings, "theme");
	struct buf text = BUF_INIT, names = BUF_INIT;
	struct mustache_error err;
	char prefix[MAX_URL], tmpl[MAX_URL];
	const char *from = "", *p;
	size_t i;
	int error = 0;

	if (theme && strspn(theme, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(theme))
		return error_set(ERR_INVALID, "content/site.json: theme \"%s\" is not a folder name", theme);
	if ((error = mustache_set_new(&S->theme)) < 0)
		return error;
	/* names, NUL-separated: the compiled-in ones, then the site's */
	for (i = 0; i < theme_nfiles && error >= 0; i++)
		if (ends_with(theme_files[i].name, ".mustache") && !strchr(theme_files[i].name, '/'))
			error = buf_put(&names, theme_files[i].name, strlen(theme_files[i].name) + 1);
	/* then the site's new ones: a name the default has is an override,
	 * read from the site's theme by theme_file, and added once */
	snprintf(prefix, sizeof(prefix), "themes/%s/", theme ? theme : "");
	for (i = 0; theme && i < S->src->n && error >= 0; i++) {
		p = S->src->v[i].path;
		if (!strncmp(p, prefix, strlen(prefix)) && ends_with(p, ".mustache") &&
		    !strchr(p + strlen(prefix), '/') && !is_default_asset(p + strlen(prefix)))
			error = buf_put(&names, p + strlen(prefix), strlen(p + strlen(prefix)) + 1);
	}
	for (p = buf_cstr(&names); error >= 0 && p < buf_cstr(&names) + names.len; p += strlen(p) + 1) {
		size_t len = strlen(p) - 9; /* without ".mustache" */
		if ((error = theme_file(S, p, &text, &from)) != 0)
			break;
		if (len >= sizeof(tmpl))
			len = sizeof(tmpl) - 1;
		memcpy(tmpl, p, len);
		tmpl[len] = '\0';
		if ((error = mustache_set_add(S->theme, tmpl, buf_cstr(&text), text.len, &err)) < 0)
			error = error_set(ERR_INVALID, "%s%s:%u:%u: error: %s", theme && strncmp(from, "themes/", 7) ? "themes/default/" : "",
					  from, err.line, err.col, err.msg);
	}
	buf_release(&text);
	buf_release(&names);
	return error < 0 ? error : 0;
}

/* The stylesheet, named by its content so servers may cache it forever. */
static int write_assets(struct site *S)
{
	const char *theme = json_get_string(S->settings, "theme"), *logo;
	char prefix[MAX_URL];
	struct sha256_ctx sha;
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct buf text = BUF_INIT;
	char path[MAX_URL];
	const char *from;
	size_t i;
	int error;

	if ((error = theme_file(S, "assets/style.css", &text, &from)) != 0) {
		if (error > 0)
			error = error_set(ERR_INVALID, "the theme has no assets/style.css");
		goto done;
	}
	sha256_init(&sha);
	sha256_update(&sha, text.len, (const uint8_t *)buf_cstr(&text));
	sha256_digest(&sha, sizeof(digest), digest);
	snprintf(S->css, sizeof(S->css), "assets/style.%02x%02x%02x%02x%02x.css", digest[0], digest[1],
		 digest[2], digest[3], digest[4]);
	if ((error = output_write(&S->out, S->css, buf_cstr(&text), text.len)) < 0)
		goto done;
	/* other assets (images, fonts) keep their names */
	for (i = 0; i < theme_nfiles && error >= 0; i++) {
		const char *n = theme_files[i].name;
		if (strncmp(n, "assets/", 7) || !strcmp(n, "assets/style.css"))
			continue;
		if ((error = theme_file(S, n, &text, &from)) == 0)
			error = output_write(&S->out, n, buf_cstr(&text), text.len);
	}
	/* and the site's theme's own, which the default lacks */
	snprintf(prefix, sizeof(prefix), "themes/%s/assets/", theme ? theme : "");
	for (i = 0; theme && i < S->src->n && error >= 0; i++) {
		const char *n = S->src->v[i].path;
		if (strncmp(n, prefix, strlen(prefix)))
			continue;
		n += strlen(prefix) - strlen("assets/");
		if (is_default_asset(n))
			continue;
		if ((error = theme_file(S, n, &text, &from)) == 0)
			error = output_write(&S->out, n, buf_cstr(&text), text.len);
	}
	/* the settings' logo is one of them, the default theme's or the site's own */
	logo = json_get_string(json_get(S->settings, "logo"), "src");
	if (error >= 0 && logo && (error = theme_file(S, logo, &text, &from)) != 0) {
		if (error > 0)
			error = error_set(ERR_INVALID, "content/site.json: logo %s is no file of the theme", logo);
		goto done;
	}
	if (error >= 0 && logo && !is_default_asset(logo) && (!theme || strncmp(logo, "assets/", 7)))
		error = output_write(&S->out, logo, buf_cstr(&text), text.len);
	snprintf(path, sizeof(path), "%s", S->css);
done:
	buf_release(&text);
	return error < 0 ? error : 0;
}

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

/* ---- rendering on every core ---- */

/*
 * The pages of records and commits, nearly all of a site, are rendered
 * by jobs processes at once: this one and jobs - 1 forked workers, which
 * share the record, the history and the theme copy-on-write.  Each
 * claims the next CLAIM units from a counter in shared memory whenever
 * it has finished its last, so the parent, which also writes the lists,
 * feeds and downloads, simply takes fewer.  Which process renders a
 * page changes nothing in it.  What a worker must give back (the files
 * it wrote, its pages for the sitemap, the entries the lists are made
 * of) it writes to a memfd that this process reads once the worker has
 * exited, so the site is the same byte for byte whatever jobs is.
 * Processes, not threads: libgit2, cmark and the output module keep
 * state that is not shared, and a worker that crashes takes nothing
 * else with it.
 */
#define CLAIM 8

static size_t unit_count(const struct site *S, enum unit k)
{
	const struct record *r = S->r;

	switch (k) {
	case U_ROUND: return r->nrounds;
	case U_NOTICE: return r->nnotices;
	case U_ORG: return r->norganizations;
	case U_AWARD: return S->nawards;
	case U_REVOCATION: return r->nrevocations;
	case U_OBJECTION: return r->nobjections;
	case U_COMMIT: return S->has_history ? S->hist.n : 0;
	default: return 0;
	}
}

/* The folder every unit of kind k writes under, which the processes
 * share and so must exist before any of them starts. */
static const char *unit_section(enum unit k)
{
	static const char *const name[U_KINDS] = { "rounds", "notices", "organizations", "awards",
						    "revocations", "objections", "changes" };
	return name[k];
}

static int render_unit(struct site *S, enum unit k, size_t i)
{
	const struct record *r = S->r;
	cJSON *list, **slot;
	int error;

	stamp_reset(S);
	switch (k) {
	case U_ROUND: return r->rounds[i].res_program ? page_round(S, &r->rounds[i]) : 0;
	case U_NOTICE: return page_notice(S, &r->notices[i]);
	case U_AWARD: return page_award(S, S->awards[i]);
	case U_COMMIT: return page_commit(S, &S->hist.commits[i]);
	default: break;
	}
	if (!(list = cJSON_CreateArray()))
		return fail_nomem();
	if (k == U_ORG) {
		error = page_organization(S, &r->organizations[i], list);
		slot = &S->sums[SUM_ORG][i];
	} else if (k == U_REVOCATION) {
		error = page_revocation(S, &r->revocations[i], list);
		slot = &S->sums[SUM_REVOCATION][i];
	} else {
		error = page_objection(S, &r->objections[i], list);
		slot = &S->sums[SUM_OBJECTION][i];
	}
	/* the entry carries its own stamp (row_end()) */
	if (error >= 0 && !(*slot = cJSON_DetachItemFromArray(list, 0)))
		error = fail_nomem();
	cJSON_Delete(list);
	return error;
}

/* Claims and renders units until none is left or a process failed. */
static int render_units(struct site *S)
{
	size_t n[U_KINDS], total = 0, u, end, i;
	enum unit k;
	int error;

	for (k = 0; k < U_KINDS; k++)
		total += n[k] = unit_count(S, k);
	while (!__atomic_load_n(&S->work->failed, __ATOMIC_RELAXED)) {
		u = __atomic_fetch_add(&S->work->next, CLAIM, __ATOMIC_RELAXED);
		if (u >= total)
			return 0;
		for (end = total - u > CLAIM ? u + CLAIM : total; u < end; u++) {
			for (k = 0, i = u; i >= n[k]; k++)
				i -= n[k];
			if ((error = render_unit(S, k, i)) < 0) {
				__atomic_store_n(&S->work->failed, 1, __ATOMIC_RELAXED);
				return error;
			}
		}
	}
	return 0;
}

static int put_u64(struct buf *b, uint64_t v)
{
	return buf_put(b, (const char *)&v, sizeof(v));
}

/*
 * A worker's report: its status (an error code, then the message), the
 * files and folders it wrote (output_export()), the pages it wrote since
 * the fork, then the list entries it made, each as kind, index and
 * unformatted JSON.  Numbers in the machine's byte order: the reader is
 * the parent, on the same machine.
 */
static int worker_report(struct site *S, int status, const struct output_mark *m, size_t npaths0,
			 struct buf *b)
{
	struct buf files = BUF_INIT;
	size_t i, k, n;
	char *json;
	int error;

	if ((error = put_u64(b, (uint64_t)(int64_t)status)) < 0 ||
	    (error = buf_put(b, status < 0 ? error_message() : "",
			     status < 0 ? strlen(error_message()) + 1 : 1)) < 0 || status < 0)
		goto done;
	if ((error = output_export(&S->out, m, &files)) < 0 || (error = put_u64(b, files.len)) < 0 ||
	    (error = buf_put(b, files.ptr ? files.ptr : "", files.len)) < 0 ||
	    (error = put_u64(b, S->npaths - npaths0)) < 0)
		goto done;
	for (i = npaths0; i < S->npaths && error >= 0; i++)
		error = buf_put(b, S->paths[i], strlen(S->paths[i]) + 1);
	for (k = 0; k < SUM_KINDS && error >= 0; k++) {
		n = unit_count(S, k == SUM_ORG ? U_ORG : k == SUM_REVOCATION ? U_REVOCATION : U_OBJECTION);
		for (i = 0; i < n && error >= 0; i++) {
			if (!S->sums[k][i])
				continue;
			if (!(json = cJSON_PrintUnformatted(S->sums[k][i]))) {
				error = fail_nomem();
				break;
			}
			if ((error = put_u64(b, k)) >= 0 && (error = put_u64(b, i)) >= 0)
				error = buf_put(b, json, strlen(json) + 1);
			cJSON_free(json);
		}
	}
done:
	buf_release(&files);
	return error;
}

static int write_fd(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return error_set(ERR_IO, "a worker's report: %s", strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void site_release(struct site *S);

/* The life of a forked worker, which never returns: exit status 0 when
 * its report is written (the report says whether the pages were), 1 if
 * not even that.  _exit(), not exit(): the parent's atexit handlers and
 * stdio buffers are the parent's. */
static void worker_main(struct site *S, int fd, const struct output_mark *m, size_t npaths0)
{
	struct buf b = BUF_INIT;
	int error = render_units(S);

	if ((error = worker_report(S, error, m, npaths0, &b)) >= 0)
		error = write_fd(fd, b.ptr, b.len);
	buf_release(&b);
	close(fd);
	output_leave(&S->out);
	site_release(S);
	_exit(error < 0 ? 1 : 0);
}

static unsigned jobs_wanted(const struct site *S)
{
	long n = S->o->jobs ? (long)S->o->jobs : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > SITE_MAX_JOBS ? SITE_MAX_JOBS : (unsigned)n;
}

static int start_workers(struct site *S)
{
	struct output_mark m;
	unsigned jobs = jobs_wanted(S);
	size_t total = 0, k;
	pid_t pid, parent = getpid();
	int fd;

	for (k = 0; k < U_KINDS; k++)
		total += unit_count(S, k);
	if (total < 2 * CLAIM)
		jobs = 1; /* a fork would cost more than it saves */
	output_mark(&S->out, &m);
	fflush(NULL);
	while (S->nworkers + 1 < jobs) {
		if ((fd = memfd_create("gongshi-worker", MFD_CLOEXEC)) < 0)
			return error_set(ERR_IO, "memfd_create: %s", strerror(errno));
		if ((pid = fork()) < 0) {
			close(fd);
			return error_set(ERR_IO, "fork: %s", strerror(errno));
		}
		if (pid == 0) {
			/* a worker dies with its parent, killed or not: its pages
			 * would go to a folder no one will commit */
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
				_exit(1);
			prctl(PR_SET_NAME, "gongshi-render"); /* for ps and top */
			S->in_worker = true;
			S->nworkers = 0; /* a worker's siblings are not its own */
			worker_main(S, fd, &m, S->npaths);
		}
		S->pids[S->nworkers] = pid;
		S->fds[S->nworkers++] = fd;
	}
	return 0;
}

/* Stops the workers of a build that failed, and reaps them. */
static void stop_workers(struct site *S)
{
	size_t w;

	__atomic_store_n(&S->work->failed, 1, __ATOMIC_RELAXED);
	for (w = 0; w < S->nworkers; w++) {
		if (S->pids[w] > 0) { /* 0: reaped already */
			kill(S->pids[w], SIGKILL);
			while (waitpid(S->pids[w], NULL, 0) < 0 && errno == EINTR)
				;
		}
		close(S->fds[w]);
	}
	S->nworkers = 0;
}

static int get_u64(const char **p, const char *end, uint64_t *v)
{
	if ((size_t)(end - *p) < sizeof(*v))
		return -1;
	memcpy(v, *p, sizeof(*v));
	*p += sizeof(*v);
	return 0;
}

static const char *get_str(const char **p, const char *end)
{
	const char *s = *p, *nul = memchr(s, '\0', (size_t)(end - s));

	if (!nul)
		return NULL;
	*p = nul + 1;
	return s;
}

/* Takes in a worker's report (see worker_report()). */
static int read_report(struct site *S, const char *p, size_t len)
{
	const char *end = p + len, *str;
	uint64_t v, kind, index, n;
	char **paths;
	int error;

	if (get_u64(&p, end, &v) < 0 || !(str = get_str(&p, end)))
		goto bad;
	if ((int64_t)v < 0)
		return error_set((int)(int64_t)v, "%s", str);
	if (get_u64(&p, end, &v) < 0 || v > (uint64_t)(end - p))
		goto bad;
	if ((error = output_import(&S->out, p, (size_t)v)) < 0)
		return error;
	p += v;
	if (get_u64(&p, end, &n) < 0 || n > (uint64_t)(end - p))
		goto bad;
	if (S->npaths + n > S->cap) {
		if (!(paths = realloc(S->paths, (S->npaths + n) * sizeof(*paths))))
			return fail_nomem();
		S->paths = paths;
		S->cap = S->npaths + n;
	}
	for (; n > 0; n--) {
		if (!(str = get_str(&p, end)))
			goto bad;
		if (!(S->paths[S->npaths] = strdup(str)))
			return fail_nomem();
		S->npaths++;
	}
	while (p < end) {
		if (get_u64(&p, end, &kind) < 0 || get_u64(&p, end, &index) < 0 || kind >= SUM_KINDS ||
		    index >= unit_count(S, kind == SUM_ORG ? U_ORG : kind == SUM_REVOCATION ? U_REVOCATION
									  : U_OBJECTION) ||
		    S->sums[kind][index] || !(str = get_str(&p, end)))
			goto bad;
		if (!(S->sums[kind][index] = cJSON_Parse(str)))
			goto bad;
	}
	return 0;
bad:
	return error_set(ERR_INVALID, "a worker's report is malformed at byte %zu", (size_t)(len - (size_t)(end - p)));
}

/* Waits for every worker and takes in its report. */
static int join_workers(struct site *S)
{
	struct stat st;
	char *data = NULL;
	ssize_t got;
	size_t w, off;
	int status, error = 0;

	for (w = 0; w < S->nworkers && error >= 0; w++) {
		while (waitpid(S->pids[w], &status, 0) < 0)
			if (errno != EINTR)
				return error_set(ERR_IO, "waitpid: %s", strerror(errno));
		S->pids[w] = 0;
		if (WIFSIGNALED(status)) {
			error = error_set(ERR_IO, "a rendering process was killed by signal %d", WTERMSIG(status));
			break;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || fstat(S->fds[w], &st) < 0) {
			error = error_set(ERR_IO, "a rendering process failed before it could say why");
			break;
		}
		if (!(data = malloc((size_t)st.st_size + 1))) {
			error = fail_nomem();
			break;
		}
		for (off = 0; off < (size_t)st.st_size; off += (size_t)got)
			if ((got = pread(S->fds[w], data + off, (size_t)st.st_size - off, (off_t)off)) <= 0) {
				if (got < 0 && errno == EINTR) {
					got = 0;
					continue;
				}
				error = error_set(ERR_IO, "a worker's report: %s", got ? strerror(errno) : "cut short");
				break;
			}
		if (error >= 0)
			error = read_report(S, data, (size_t)st.st_size);
		free(data);
		data = NULL;
	}
	if (error < 0) {
		stop_workers(S);
		return error;
	}
	for (w = 0; w < S->nworkers; w++)
		close(S->fds[w]);
	S->nworkers = 0;
	return 0;
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- search (search.h) ---- */

/* The strings of v (a string, or those within an array or object). */
static int search_value(struct search_index *ix, const cJSON *v, unsigned weight)
{
	const cJSON *c;
	int error = 0;

	if (cJSON_IsString(v))
		return search_index_text(ix, v->valuestring, weight);
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		for (c = v->child; c && error >= 0; c = c->next)
			error = search_value(ix, c, weight);
	return error;
}

/* A record's document: its public view's named fields only (the same
 * view its page shows, without "private"), heavy ones first. */
static int search_record(struct site *S, struct search_index *ix, const char *path, char kind,
			 const char *id, const char *kind_name, const char *title, const char *sub,
			 const char *url, const char *status, const char *const *heavy, const char *const *light)
{
	struct json_doc doc = JSON_DOC_INIT;
	char key[MAX_URL + 2];
	int error;

	snprintf(key, sizeof(key), "%c%s", kind, id);
	if ((error = load_public(S, path, &doc)) < 0 ||
	    (error = search_index_doc(ix, key, kind_name, title, sub, url, status)) < 0 ||
	    (error = search_index_text(ix, title, 3)) < 0 || (error = search_index_text(ix, sub, 2)) < 0)
		goto done;
	for (; heavy && *heavy && error >= 0; heavy++)
		error = search_value(ix, cJSON_GetObjectItemCaseSensitive(doc.root, *heavy), 3);
	for (; light && *light && error >= 0; light++)
		error = search_value(ix, cJSON_GetObjectItemCaseSensitive(doc.root, *light), 1);
done:
	json_doc_release(&doc);
	return error;
}

static int search_write(void *arg, const char *path, const char *data, size_t len)
{
	return output_write(&((struct site *)arg)->out, path, data, len);
}

static int search_pages(struct site *S)
{
	static const char *const org_heavy[] = { "name", "former_names", "id", NULL },
				 *const org_light[] = { "district", "industry", NULL },
				 *const ind_light[] = { "employer", "position", NULL },
				 *const notice_heavy[] = { "title", "document_number", NULL },
				 *const notice_light[] = { "issuer", "body", NULL },
				 *const round_heavy[] = { "name", NULL },
				 *const rev_heavy[] = { "document_number", NULL },
				 *const rev_light[] = { "summary", "authority", NULL },
				 *const obj_light[] = { "summary", "decision", NULL },
				 *const award_heavy[] = { "certificate", NULL };
	const struct record *r = S->r;
	struct search_index ix = SEARCH_INDEX_INIT;
	struct buf md = BUF_INIT;
	char url[MAX_URL], sub[512], title[300], slug[200];
	cJSON *ctx;
	size_t i;
	int error = 0;

	for (i = 0; i < r->norganizations && error >= 0; i++) {
		const struct organization *g = &r->organizations[i];
		error = search_record(S, &ix, g->path, 'o', g->id.v, "organization", g->name, g->id.v,
				      href(url, "organizations", g->id.v), NULL, org_heavy, org_light);
	}
	for (i = 0; i < r->nindividuals && error >= 0; i++) {
		const struct individual *p = &r->individuals[i];
		error = search_record(S, &ix, p->path, 'p', p->id.v, "individual", p->name, NULL,
				      href(url, "individuals", p->id.v), NULL, NULL, ind_light);
	}
	for (i = 0; i < S->nawards && error >= 0; i++) {
		const struct application *a = S->awards[i];
		cJSON *st = cJSON_CreateObject();
		if (!st) {
			error = fail_nomem();
			break;
		}
		put_award_status(S, st, a);
		/* the round's name names its program */
		snprintf(sub, sizeof(sub), "%s %s %s", a->certificate.v, a->res_round ? a->res_round->name : "",
			 tier_name(a->res_result_tier));
		error = search_record(S, &ix, a->path, 'a', a->certificate.v, "award", applicant_name(a), sub,
				      href(url, "awards", a->certificate.v), json_get_string(st, "status"), award_heavy,
				      NULL);
		cJSON_Delete(st);
	}
	for (i = 0; i < r->nnotices && error >= 0; i++) {
		const struct notice *n = &r->notices[i];
		error = search_record(S, &ix, n->path, 'n', n->id.v, "notice", n->title, NULL,
				      href(url, "notices", n->id.v), NULL, notice_heavy, notice_light);
	}
	for (i = 0; i < r->nrounds && error >= 0; i++) {
		const struct round *x = &r->rounds[i];
		if (!x->res_program)
			continue;
		error = search_record(S, &ix, x->path, 'r', x->id.v, "round", x->name, x->res_program->name,
				      href(url, "rounds", x->id.v), NULL, round_heavy, NULL);
	}
	for (i = 0; i < r->nrevocations && error >= 0; i++) {
		const struct revocation *v = &r->revocations[i];
		const struct application *a = v->res_app;
		error = search_record(S, &ix, v->path, 'v', v->id.v, "revocation", a ? applicant_name(a) : v->id.v,
				      a ? a->certificate.v : NULL, href(url, "revocations", v->id.v), NULL, rev_heavy,
				      rev_light);
	}
	for (i = 0; i < r->nobjections && error >= 0; i++) {
		const struct objection *b = &r->objections[i];
		const struct application *a = b->res_app;
		error = search_record(S, &ix, b->path, 'b', b->id.v, "objection", a ? applicant_name(a) : b->id.v,
				      b->res_notice ? b->res_notice->title : NULL, href(url, "objections", b->id.v),
				      NULL, NULL, obj_light);
	}
	/* announcements and pages of content/, as pages_content() writes them */
	for (i = 0; i < S->src->n && error >= 0; i++) {
		const char *p = S->src->v[i].path;
		bool ann = !strncmp(p, "content/announcements/", 22);
		if ((!ann && strncmp(p, "content/pages/", 14)) || !content_slug(p, slug, sizeof(slug)))
			continue;
		if ((error = load_content(S, p, &md)) < 0)
			break;
		md_title(buf_cstr(&md), title, sizeof(title));
		snprintf(url, sizeof(url), "%s/%s/index.html", ann ? "announcements" : "pages", slug);
		snprintf(sub, sizeof(sub), "%s/%s", ann ? "announcements" : "pages", slug);
		if ((error = search_index_doc(&ix, sub, "page", title, NULL, url, NULL)) >= 0 &&
		    (error = search_index_text(&ix, title, 3)) >= 0)
			error = search_index_text(&ix, buf_cstr(&md), 1);
	}
	if (error < 0 || (error = search_index_write(&ix, search_write, S)) < 0)
		goto done;
	if (!(ctx = cJSON_CreateObject())) {
		error = fail_nomem();
		goto done;
	}
	put_num(add_obj(ctx, "search"), "terms", (double)ix.nterm_shards);
	put_num(cJSON_GetObjectItem(ctx, "search"), "docs", (double)ix.ndoc_shards);
	put_bool(ctx, "has_individuals", r->nindividuals > 0);
	/* the page shows no record: only the settings and theme stamp it */
	stamp_reset(S);
	error = emit(S, "search/index.html", "search", "站内搜索", NULL, ctx);
done:
	buf_release(&md);
	search_index_release(&ix);
	return error;
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
static void site_release(struct site *S)
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

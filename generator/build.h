/*
 * build.h - what the modules that render the site share: the state of
 * one build (struct site) and the few types and limits around it.
 *
 * site_build() (site.c) owns the one struct site of a build: it fills
 * it, hands it to the page builders (page_*.h, lists.h, home.h, ...),
 * which add to it only through emit.h and ctx.h, and frees it with
 * site_release().  A forked worker (workers.h) renders on a copy of it,
 * shared copy-on-write, and frees it with site_release() too; only
 * struct work is shared for real between the processes.  Nothing here
 * is for callers outside the site's modules: they use site.h.
 */
#ifndef GONGSHI_BUILD_H
#define GONGSHI_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "date.h"
#include "group.h"
#include "history.h"
#include "json.h"
#include "mustache.h"
#include "output.h"
#include "record.h"
#include "site.h"
#include "source.h"

#define MAX_URL 512   /* a site-relative path built from ids, with its NUL */
#define NAV_ITEMS 8   /* the menu's items (emit.c, nav_links) */

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
	const struct record *r;  /* the checked record; not owned */
	const struct source *src; /* where it was read from; not owned */
	const struct build_options *o; /* the caller's; not owned */
	struct output out;       /* the site being written (output.h) */
	struct mustache_set *theme; /* owned: the default theme, overridden
				       by the site's own themes/ */
	cJSON *settings;         /* owned: content/site.json, or an empty object */
	const char *base_url;    /* normalized to end in '/', or NULL; not
				    owned (the caller's or in settings) */
	char css[64];            /* fingerprinted stylesheet path */
	char today_zh[32];       /* unused */
	/* Records by the id they point at (group.h), each owned: applications
	 * by round, organization and individual, notices by round,
	 * objections by notice and application, revocations by
	 * application, rounds by program. */
	struct group apps_by_round, apps_by_org, apps_by_ind, notices_by_round, objs_by_notice,
		objs_by_app, revs_by_app, rounds_by_program;
	struct buf scratch;      /* owned: a record file as read, reused */
	struct buf html, json;   /* a page and a record's JSON as written:
				    kept across pages, so each grows once */
	cJSON *base;             /* what every page renders under: css, site,
				    build (see emit) */
	cJSON *navs[NAV_ITEMS + 1]; /* {"nav": [...]} with item i current,
				       the last with none; made when first
				       needed */
	size_t pages;            /* HTML pages this process wrote */
	size_t total;            /* pages expected, for progress */
	char **paths;            /* owned, each owned: the HTML pages this
				    process wrote, "path\tdate" (the date for
				    the sitemap's <lastmod>) */
	size_t npaths, cap;      /* paths' count and room */
	struct history hist;     /* empty for a preview of the working tree */
	bool has_history;        /* hist was read (not a working tree) */
	/* What a page names as its source (see stamp_record()): the newest
	 * commit, as an index into hist.commits (SIZE_MAX: none yet), among
	 * those that last changed a record the page was built from, since
	 * the last stamp_reset(); every page also shows the settings and the
	 * theme, last changed by site_commit (at site_time; "" if unknown). */
	size_t stamp;
	bool stamp_every;        /* the page shows every record (lists,
				    statistics): the newest commit */
	char site_commit[41];    /* see stamp */
	int64_t site_time;       /* see stamp */
	cJSON *publications;     /* owned: the publication log, this build
				    included */
	char log_head[65];       /* its chain's head ("" for an empty log) */
	struct work *work;       /* mmap()ed, MAP_SHARED */
	bool in_worker;          /* this process is a forked worker */
	const struct application **awards; /* owned: awarded applications with a
					      certificate, newest first */
	size_t nawards;          /* awards' count */
	struct gone_award *gone; /* owned: withdrawn applications whose last
				    version had a certificate, in refs order */
	struct gone_award **gone_by_cert; /* owned: the same, by certificate,
					     latest withdrawal first */
	size_t ngone;            /* gone's and gone_by_cert's count */
	cJSON **sums[SUM_KINDS]; /* owned: each organization's, revocation's
				    and objection's entry in its list, by
				    index; NULL until rendered */
	pid_t pids[SITE_MAX_JOBS]; /* the workers, and the memfd each */
	int fds[SITE_MAX_JOBS];    /* reports on (-1: closed) */
	size_t nworkers;         /* pids' and fds' count */
};

/* Frees what S owns but its output (which a worker must leave alone). */
void site_release(struct site *S);

#endif

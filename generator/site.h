/*
 * site.h - rendering the public website from a checked record.
 *
 * site_build() is the render and write stages of the pipeline: it takes a
 * record that passed check_record(), the source it came from (for the
 * full text of each record, content/ and a site's own theme), and writes
 * the whole site through output.h, which swaps it into place only when it
 * is complete.
 *
 * URLs are permanent and derived from ids only (see README.md, "URLs"):
 *
 *     programs/<program>/          rounds/<round>/
 *     notices/<notice>/            organizations/<credit code>/
 *     awards/<certificate>/        revocations/<revocation>/
 *     objections/<objection>/      stats/   downloads/   feed.xml ...
 *
 * Each page is <url>index.html, with the public part of its record beside
 * it as <url>index.json.  Links between pages are relative, so the site
 * works from any folder of a web server and from file://.
 */
#ifndef GONGSHI_SITE_H
#define GONGSHI_SITE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "date.h"
#include "record.h"
#include "source.h"

struct check_lapses;

/* Pages are rendered by forked processes, each claiming the next few
 * pages as it finishes its last (see workers.c, "rendering on every
 * core"); more than this many would only contend for the disk. */
#define SITE_MAX_JOBS 16
#define SITE_MAX_JOBS_STR "16"

struct build_options {
	const char *out_dir;   /* the site's folder (-o), e.g. "public" */
	const char *base_url;  /* --base-url, overriding the settings'; NULL: none */
	date_t today;          /* the date every state is computed at */
	bool draft;            /* a preview of the working tree: banner on every page */
	bool quiet;            /* no summary line (the caller's to print) */
	bool allow_rewrite;    /* build although the history was rewritten */
	bool allow_shallow;    /* build from a shallow clone although the site
				  was last published with more history */
	bool no_spare;         /* remove the replaced site instead of keeping
				  it to rewrite next time (OUTPUT_SPARE) */
	bool discard_foreign;  /* replace the site although it holds files
				  gongshi did not write (OUTPUT_DISCARD) */
	bool force_draft;      /* a draft may replace a published site */
	bool new_log;          /* start a new publication log over one that
				  is missing, corrupt or edited (recorded) */
	unsigned jobs;         /* processes that render pages, 1 to
				  SITE_MAX_JOBS; 0: one per online CPU (at
				  most SITE_MAX_JOBS).  The site does not
				  depend on it. */
	const char *cache;     /* the history cache file (NULL: none) */
	/* Where to append what the build changed in out_dir, as
	 * output_changes() tells it (NULL: not wanted).  Not owned. */
	struct buf *changes;
	/* The record's lapses the pages show (check.h), classified; NULL:
	 * none.  Not owned. */
	const struct check_lapses *lapses;
	/* Called as the build goes (NULL: not at all): with total 0 while
	 * the history is read, then after each page with the pages written
	 * and the pages expected (never fewer than done; an estimate until
	 * the end, as a withdrawn record's page may turn out to have no
	 * address).  For a progress display; it must not fail. */
	void (*progress)(void *arg, size_t done, size_t total);
	void *progress_arg;    /* passed to progress, not owned */
};

/* What a build wrote, for its summary line. */
struct build_stats {
	size_t pages;          /* HTML pages */
	size_t commits;        /* commits in the audit trail */
	size_t walked;         /* of which read now, not from the cache */
	size_t files;          /* every file, SHA256SUMS included */
	uint64_t bytes;
	size_t added, changed, removed; /* files, against the site replaced
					   (output_changes()) */
};

/*
 * Renders and writes the site.  Returns 0, or < 0 with error_message()
 * set: ERR_INVALID for a broken theme template or site settings (with
 * path:line:col), ERR_IO, ERR_NOMEM.  On failure the previous site is
 * untouched.  ERR_REWRITE when the commit does not descend from the one
 * the site was last published from, unless allow_rewrite; ERR_GIT when
 * the repository is a shallow clone whose history reaches back less far
 * than the one the site was last published from, unless allow_shallow.
 * ERR_USAGE for an output folder that is the repository or lies in its
 * git folder, data/, content/ or themes/, and for a draft (a working
 * tree source) into a published site unless force_draft.  ERR_IO when
 * the site's publication log is missing, not JSON, no longer what
 * SHA256SUMS lists, or its chain breaks (publog.h), unless new_log,
 * which starts a new log, saying so in its first entry.  A second
 * build of the same folder waits for the first to end.
 */
int site_build(const struct record *r, const struct source *src,
	       const struct build_options *o, struct build_stats *stats);

/* ERR_USAGE if the output folder dir is the repository of src itself or
 * lies in its git folder, data/, content/ or themes/: the swap would put
 * the record aside, for the next build to rewrite.  Else 0 (ERR_NOMEM). */
int site_check_out_dir(const struct source *src, const char *dir);

/* Markdown files of content/ are at most this many bytes. */
#define SITE_MARKDOWN_MAX (1024 * 1024)

/*
 * Why url cannot be the site's base URL (--base-url, or base_url in
 * content/site.json), or NULL when it can: an absolute http or https
 * URL, a host, an optional port and a path of the characters a URL's
 * path may hold unescaped, no query or fragment, at most 200 bytes.
 */
const char *site_base_url_problem(const char *url);

/*
 * What of content/ a build reads, held to its rules as check holds the
 * record, so that a record check accepts always builds: content/site.json
 * (its schema, its base_url), the Markdown files (at most
 * SITE_MARKDOWN_MAX bytes; announcements' and pages' file names, which
 * become URLs, of a-z, 0-9 and -), and each program's measures text,
 * which must exist.  Adds diagnostics to d; 0 or < 0 (ERR_NOMEM, ERR_GIT).
 */
int site_check(const struct record *r, const struct source *src, struct diags *d);

#endif

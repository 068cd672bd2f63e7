/* cmd.c - the commands (see cmd.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>

#include "check.h"
#include "cmd.h"
#include "error.h"
#include "fingerprint.h"
#include "history.h"
#include "publog.h"
#include "record.h"
#include "scaffold.h"
#include "serve.h"
#include "sign.h"
#include "site.h"

/* Options of the commands that read the record. */
struct read_opts {
	struct global g;
	const char *rev;      /* --rev REV (default HEAD) */
	const char *since;    /* --since REV (check): what lapses are new against */
	int worktree;         /* --worktree */
	date_t today;         /* --today DATE, else SOURCE_DATE_EPOCH, else now */
	int quiet;            /* -q: diagnostics only */
	const char *arg;      /* one positional argument, where allowed */
	const char *out;      /* -o DIR (build) */
	const char *base_url; /* --base-url URL (build) */
	int build;            /* accept build's options */
	const char *args[2];  /* positional arguments (diff) */
	int nargs;
	int json;             /* --json (diff) */
	int allow_rewrite;    /* --allow-rewrite (build) */
	int allow_shallow;    /* --allow-shallow (build) */
	int no_spare;         /* --no-spare (build) */
	int discard_foreign;  /* --discard-foreign (build) */
	int force_draft;      /* --force-draft (build) */
	int new_log;          /* --new-log (build) */
	unsigned jobs;        /* -j N (build); 0: one per CPU */
	const char *changes;  /* --changes FILE (build): what changed, written there */
	int verbose;          /* -v (build): what changed, on stdout */
};

static int bad_usage(const char *cmd, void (*usage)(FILE *), const char *fmt, const char *what)
{
	fprintf(stderr, "gongshi %s: ", cmd);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	usage(stderr);
	return EXIT_TROUBLE;
}

/* The date "today" in China: --today, or SOURCE_DATE_EPOCH for
 * reproducible runs, or the clock. */
static int default_today(date_t *out)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (sde && *sde) {
		errno = 0;
		t = strtoll(sde, &end, 10);
		if (*end || *sde < '0' || *sde > '9')
			return error_set(ERR_USAGE, "SOURCE_DATE_EPOCH is not a number of seconds: %s", sde);
		/* the years --today takes, and every date in the record */
		*out = date_from_time_cst((time_t)t);
		if (errno || date_year(*out) > DATE_MAX_YEAR)
			return error_set(ERR_USAGE, "SOURCE_DATE_EPOCH is %s seconds, a date after the year %d: "
					 "a date from 1970 to %d is meant", sde, DATE_MAX_YEAR, DATE_MAX_YEAR);
		return 0;
	}
	*out = date_from_time_cst(time(NULL));
	return 0;
}

enum {
	OPT_ALLOW_REWRITE = 256, OPT_ALLOW_SHALLOW, OPT_BASE_URL, OPT_CHANGES, OPT_DISCARD_FOREIGN, OPT_FORCE_DRAFT,
	OPT_HELP, OPT_JSON, OPT_NEW_LOG, OPT_NO_SPARE, OPT_REV, OPT_SINCE, OPT_TODAY, OPT_VERSION, OPT_WORKTREE,
};

/* Every option of the reading commands; which ones a command takes is
 * decided after parsing (opt_allowed), so that an option of another
 * command is reported as unknown by its own name. */
static const struct option read_long_opts[] = {
	{ "allow-rewrite", no_argument, NULL, OPT_ALLOW_REWRITE },
	{ "allow-shallow", no_argument, NULL, OPT_ALLOW_SHALLOW },
	{ "base-url", required_argument, NULL, OPT_BASE_URL },
	{ "changes", required_argument, NULL, OPT_CHANGES },
	{ "discard-foreign", no_argument, NULL, OPT_DISCARD_FOREIGN },
	{ "force-draft", no_argument, NULL, OPT_FORCE_DRAFT },
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "new-log", no_argument, NULL, OPT_NEW_LOG },
	{ "no-spare", no_argument, NULL, OPT_NO_SPARE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "rev", required_argument, NULL, OPT_REV },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "today", required_argument, NULL, OPT_TODAY },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "worktree", no_argument, NULL, OPT_WORKTREE },
	{ NULL, 0, NULL, 0 },
};

static int opt_allowed(int c, int build, int allow_arg)
{
	switch (c) {
	case 'j': case 'o': case 'v': case OPT_ALLOW_REWRITE: case OPT_ALLOW_SHALLOW: case OPT_BASE_URL:
	case OPT_CHANGES:
	case OPT_DISCARD_FOREIGN: case OPT_FORCE_DRAFT: case OPT_NEW_LOG: case OPT_NO_SPARE:
		return build;
	case OPT_JSON:
		return allow_arg == 2;
	case OPT_SINCE:
		return !build && allow_arg == 0;
	default:
		return 1;
	}
}

/* Returns -1 after printing usage trouble, 1 after --help, 0 to go on. */
static int parse_read_opts(const char *cmd, void (*usage)(FILE *), const struct global *g,
			   int argc, char **argv, int allow_arg, struct read_opts *o)
{
	int c, have_today = 0, build = o->build;
	char **args;
	/* getopt_long reads from argv[1]: the command's name stands at
	 * argv[-1] (main passes argv + i + 1) */
	args = argv - 1;
	memset(o, 0, sizeof(*o));
	o->build = build;
	o->g = *g;
	o->rev = "HEAD";
	o->out = "public";
	opterr = 0;
	optind = 0; /* glibc: start afresh (a test may parse twice) */
	while ((c = getopt_long(argc + 1, args, ":C:hj:o:qv", read_long_opts, NULL)) != -1) {
		const char *a = args[optind - 1];
		if (c == '?')
			return bad_usage(cmd, usage, "unknown option %s", a), -1;
		if (c == ':')
			return bad_usage(cmd, usage, "%s needs a value", a), -1;
		if (!opt_allowed(c, build, allow_arg)) {
			/* a short option's value may be the word after it */
			const char *name = optarg && a == optarg ? args[optind - 2] : a;
			char opt[64];
			size_t n = strcspn(name, "=");
			snprintf(opt, sizeof(opt), "%.*s", (int)(n < 60 ? n : 60), name);
			return bad_usage(cmd, usage, "unknown option %s", opt), -1;
		}
		switch (c) {
		case 'h':
			usage(stdout);
			return 1;
		case OPT_VERSION:
			printf("gongshi %s\n", GONGSHI_VERSION);
			return 1;
		case OPT_WORKTREE: o->worktree = 1; break;
		case 'q': o->quiet = 1; break;
		case 'v': o->verbose = 1; break;
		case OPT_CHANGES: o->changes = optarg; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_ALLOW_REWRITE: o->allow_rewrite = 1; break;
		case OPT_ALLOW_SHALLOW: o->allow_shallow = 1; break;
		case OPT_NO_SPARE: o->no_spare = 1; break;
		case OPT_DISCARD_FOREIGN: o->discard_foreign = 1; break;
		case OPT_FORCE_DRAFT: o->force_draft = 1; break;
		case OPT_NEW_LOG: o->new_log = 1; break;
		case 'C': o->g.dir = optarg; break;
		case 'o': o->out = optarg; break;
		case OPT_BASE_URL: o->base_url = optarg; break;
		case OPT_REV: o->rev = optarg; break;
		case OPT_SINCE: o->since = optarg; break;
		case 'j': {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);
			if (!*optarg || *end || *optarg == '-' || n < 1 || n > SITE_MAX_JOBS)
				return bad_usage(cmd, usage, "-j takes a number of processes from 1 to "
						 SITE_MAX_JOBS_STR ", not %s", optarg), -1;
			o->jobs = (unsigned)n;
			break;
		}
		case OPT_TODAY:
			if (date_parse(optarg, &o->today) < 0)
				return bad_usage(cmd, usage, "--today takes a date YYYY-MM-DD, not %s", optarg), -1;
			have_today = 1;
			break;
		}
	}
	for (c = optind; c < argc + 1; c++) {
		if (o->nargs >= allow_arg)
			return bad_usage(cmd, usage, "unexpected argument %s", args[c]), -1;
		o->args[o->nargs++] = args[c];
		o->arg = o->args[0];
	}
	if (!have_today && default_today(&o->today) < 0) {
		fprintf(stderr, "gongshi %s: %s\n", cmd, error_message());
		return -1;
	}
	return 0;
}

static int open_source(const struct read_opts *o, struct source *src)
{
	return o->worktree ? source_open_worktree(src, o->g.dir)
			   : source_open_commit(src, o->g.dir, o->rev);
}

/* ---- lapses: new in the commit, or of the record ---- */

/* The commit the site in out was last published from, when the source's
 * commit is it or descends from it: what a build compares with, so that
 * a lapse committed after it is new whatever came after the lapse (with
 * the first parent alone, a second commit would have hidden the first's).
 * 0 and commit set; 1 when there is none (no site, no log, a log that
 * cannot be read, which the build refuses later, or a rewritten history). */
static int last_published(const struct source *src, const char *out, char commit[41])
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	const cJSON *last;
	const char *id;
	cJSON *log = NULL;
	bool ok = false;
	int r = 1;

	commit[0] = '\0';
	if (src->worktree || buf_printf(&path, "%s/%s", out, PUBLOG_FILE) < 0 || access(buf_cstr(&path), F_OK) ||
	    buf_read_file(&text, buf_cstr(&path)) < 0 || !(log = cJSON_ParseWithLength(buf_cstr(&text), text.len)))
		goto done;
	last = cJSON_GetArrayItem(log, cJSON_GetArraySize(log) - 1);
	id = json_get_string(last, "commit");
	if (!id || strlen(id) != 40 || strspn(id, "0123456789abcdef") != 40)
		goto done;
	if (strcmp(id, src->commit) && (source_descends(src, src->commit, id, &ok) < 0 || !ok))
		goto done;
	memcpy(commit, id, 41);
	r = 0;
done:
	error_clear();
	cJSON_Delete(log);
	buf_release(&path);
	buf_release(&text);
	return r;
}

/* Sets the origin of each lapse of now (check.h): checks rec again on
 * its commit's date, and base (the commit last published, see
 * last_published) or else its first parent on that date.  Nothing more
 * is read when now has no lapse, so a record that keeps its rules costs
 * one check, as before.  *parent: the commit compared with, "" when none. */
static int lapses_classify(const struct read_opts *o, const struct source *src, const struct record *rec,
			   struct check_lapses *now, const char *base, char parent[41], date_t *at)
{
	struct check_lapses at_commit = CHECK_LAPSES_INIT, in_parent = CHECK_LAPSES_INIT;
	struct source psrc = SOURCE_INIT;
	struct record prec = RECORD_INIT;
	struct diags scratch = DIAGS_INIT;
	struct check_options co;
	int error = 0, r = 1;

	parent[0] = '\0';
	*at = src->worktree ? o->today : date_from_time_cst((time_t)src->time);
	if (!now->n)
		return 0;
	co.today = *at;
	co.lapses = &at_commit;
	if (base && *base) {
		snprintf(parent, 41, "%s", base);
		r = 0;
	}
	if ((error = check_record(rec, &co, &scratch)) < 0 ||
	    (!(base && *base) && (r = source_first_parent(src, parent)) < 0)) {
		error = error < 0 ? error : r;
		goto done;
	}
	if (r == 0) {
		co.lapses = &in_parent;
		if ((error = source_open_commit(&psrc, o->g.dir, parent)) < 0 ||
		    (error = record_load(&prec, &psrc, &scratch)) < 0 ||
		    (error = check_record(&prec, &co, &scratch)) < 0)
			goto done;
	}
	check_classify(rec, now, &at_commit, r == 0 ? &in_parent : NULL);
done:
	check_lapses_release(&at_commit);
	check_lapses_release(&in_parent);
	diags_release(&scratch);
	record_release(&prec);
	source_release(&psrc);
	return error;
}

/* The lapse an error diagnostic is, or NULL for an error of the format. */
static const struct check_lapse *lapse_of(const struct check_lapses *l, const struct diag *g)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, g->path) && !strcmp(l->v[i].rule, g->rule) && !strcmp(l->v[i].msg, g->msg))
			return &l->v[i];
	return NULL;
}

static bool blocks(const struct check_lapses *l, const struct diag *g)
{
	const struct check_lapse *x;

	if (g->level != DIAG_ERROR)
		return false;
	x = lapse_of(l, g);
	return !x || (x->origin == LAPSE_NEW && !x->override);
}

/* A build that publishes refuses what check and a preview only warn of:
 * a placeholder a template left (record.h).  As an error that is no
 * lapse, it blocks the build. */
static void placeholders_block(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_WARNING && !strcmp(d->v[i].rule, "placeholder")) {
			d->v[i].level = DIAG_ERROR;
			d->nwarnings--;
			d->nerrors++;
		}
}

/* What check says of each lapse, after the diagnostics. */
static void print_origins(const struct diags *d, const struct check_lapses *l, const struct source *src,
			  const char *parent, bool since, date_t at)
{
	const char *its = since ? "" : "its ", *par = since ? "" : "parent ";

	char label[16], on[11];
	size_t i;

	snprintf(label, sizeof(label), "%.7s", src->commit);
	if (src->worktree)
		snprintf(label, sizeof(label), "the worktree");
	date_format(at, on);
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		const struct check_lapse *x = g->level == DIAG_ERROR ? lapse_of(l, g) : NULL;
		if (!x)
			continue;
		printf("%s:%u:%u: [%s] ", g->path, g->line, g->col, g->rule);
		if (x->origin == LAPSE_TIME)
			printf("an error of the record, not of %s: arose after %s, as time passed; "
			       "the site shows it\n", label, on);
		else if (x->origin == LAPSE_HISTORY)
			printf("an error of the record, not of %s: already in %s%s%.7s; "
			       "the site shows it\n", label, its, par, parent);
		else if (x->override)
			printf("new in %s (not in %s%s%.7s), overridden at %s:%u:%u: the site shows the reason\n",
			       label, its, *parent ? par : "parent: none", parent, x->override->path,
			       x->override->pos.line, x->override->pos.col);
		else
			printf("new in %s (not in %s%s%.7s): a build refuses it, unless the file names "
			       "the rule under \"lapses\" with the reason\n", label, its,
			       *parent ? par : "parent: none", parent);
	}
}

/* ---- check ---- */

static void check_usage(FILE *out)
{
	fputs("usage: gongshi check [--rev REV | --worktree] [--today DATE] [--since REV] [-q] [-C DIR]\n\n"
	      "Checks the record in data/ against its format and each program's rules, and\n"
	      "reports every problem as path:line:col: error: message [rule].\n\n"
	      "  --rev REV      read the record from commit REV (default HEAD)\n"
	      "  --worktree     read the working tree instead (previews, pre-commit hooks)\n"
	      "  --today DATE   the date deadlines are measured against (default: today in\n"
	      "                 China, or SOURCE_DATE_EPOCH when set)\n"
	      "  --since REV    tell lapses new against commit REV, not the first parent: the\n"
	      "                 commit a site was last published from, as build does\n"
	      "  -q, --quiet    print the diagnostics only, not the closing count\n"
	      "  -C DIR         the repository\n\n"
	      "Each error of a program's rule (a lapse) is then said to be new in the commit\n"
	      "(not in its first parent, or REV, both checked on the commit's date), already in the\n"
	      "published history, or from time passing, and whether the record overrides it\n"
	      "(\"lapses\" in its file).\n\n"
	      "Exit status: 0 nothing a build refuses (warnings, and lapses that are not new\n"
	      "or are overridden, allowed), 1 errors, 2 trouble reading.\n", out);
}

static int run_check(const struct global *g, int argc, char **argv)
{
	struct read_opts o = { 0 };
	struct source src = SOURCE_INIT;
	struct record rec = RECORD_INIT;
	struct diags d = DIAGS_INIT;
	struct check_options co;
	struct check_lapses lapses = CHECK_LAPSES_INIT;
	char parent[41];
	date_t at;
	int error, status = EXIT_TROUBLE, r;
	size_t i, nblock = 0;

	if ((r = parse_read_opts("check", check_usage, g, argc, argv, 0, &o)) != 0)
		return r > 0 ? EXIT_CLEAN : EXIT_TROUBLE;
	co.today = o.today;
	co.lapses = &lapses;
	if ((error = open_source(&o, &src)) < 0 ||
	    (error = record_load(&rec, &src, &d)) < 0 ||
	    (error = check_record(&rec, &co, &d)) < 0 ||
	    (error = site_check(&rec, &src, &d)) < 0 ||
	    (error = sign_keys_check(&src, &d)) < 0 ||
	    (error = lapses_classify(&o, &src, &rec, &lapses, o.since, parent, &at)) < 0) {
		fprintf(stderr, "gongshi check: %s\n", error_message());
		goto done;
	}
	diags_sort(&d);
	diags_print(&d, stdout);
	for (i = 0; i < d.n; i++)
		nblock += blocks(&lapses, &d.v[i]);
	if (!o.quiet) {
		print_origins(&d, &lapses, &src, parent, o.since != NULL, at);
		printf("checked %zu file%s at %s: ", rec.nfiles, rec.nfiles == 1 ? "" : "s",
		       source_label(&src));
		diags_print_summary(&d, stdout);
		if (d.nerrors && nblock < d.nerrors)
			printf("%zu of the errors %s the record's (time passing, history, overrides), not new in "
			       "the commit: a build publishes them on the pages they concern\n",
			       d.nerrors - nblock, d.nerrors - nblock == 1 ? "is" : "are");
	}
	status = nblock ? EXIT_RULES : EXIT_CLEAN;
done:
	fflush(stdout);
	check_lapses_release(&lapses);
	diags_release(&d);
	record_release(&rec);
	source_release(&src);
	return status;
}

/* ---- rules ---- */

static void rules_usage(FILE *out)
{
	fputs("usage: gongshi rules [PROGRAM] [--rev REV | --worktree] [-C DIR]\n\n"
	      "Lists every rule the checker enforces: its id, level and what it checks,\n"
	      "and for each program (or only PROGRAM) its parameter and the article of\n"
	      "the measures it comes from.\n", out);
}

static int run_rules(const struct global *g, int argc, char **argv)
{
	struct read_opts o = { 0 };
	struct source src = SOURCE_INIT;
	struct record rec = RECORD_INIT;
	struct diags d = DIAGS_INIT;
	struct buf line = BUF_INIT;
	const struct program *only = NULL;
	int error, status = EXIT_TROUBLE, r;
	size_t i, j;

	if ((r = parse_read_opts("rules", rules_usage, g, argc, argv, 1, &o)) != 0)
		return r > 0 ? EXIT_CLEAN : EXIT_TROUBLE;
	if ((error = open_source(&o, &src)) < 0 || (error = record_load(&rec, &src, &d)) < 0) {
		fprintf(stderr, "gongshi rules: %s\n", error_message());
		goto done;
	}
	if (o.arg && !(only = record_find_program(&rec, o.arg))) {
		fprintf(stderr, "gongshi rules: no program \"%s\" in the record at %s\n", o.arg,
			source_label(&src));
		goto done;
	}
	for (i = 0; i < check_nrules; i++) {
		const struct check_rule *cr = &check_rules[i];
		printf("%s (%s): %s\n", cr->id, cr->level, cr->summary);
		for (j = 0; cr->describe && j < rec.nprograms; j++) {
			const struct program *p = &rec.programs[j];
			if (only && p != only)
				continue;
			buf_clear(&line);
			if (cr->describe(p, &line))
				printf("    %-10s %s\n", p->id.v, buf_cstr(&line));
		}
	}
	status = EXIT_CLEAN;
done:
	buf_release(&line);
	diags_release(&d);
	record_release(&rec);
	source_release(&src);
	return status;
}

/* ---- build ---- */

/* .NAME.cache/history.bin (history.c's binary cache) beside the output
 * folder NAME: outside the published site, and found again by the next
 * build into NAME. */
static int history_cache_path(const char *out, char *path, size_t size)
{
	char dir[4096];
	const char *base;
	size_t len = strlen(out);

	while (len > 1 && out[len - 1] == '/')
		len--;
	base = NULL;
	for (size_t i = 0; i < len; i++)
		if (out[i] == '/')
			base = out + i;
	/* "/", ".", "..": no folder to keep a cache beside (output_open refuses them) */
	{
		const char *name = base ? base + 1 : out;
		size_t nlen = len - (size_t)(name - out);
		if (!nlen || (name[0] == '.' && (nlen == 1 || (nlen == 2 && name[1] == '.'))))
			return -1;
	}
	if (base)
		snprintf(dir, sizeof(dir), "%.*s/.%.*s.cache", (int)(base - out), out,
			 (int)(len - (size_t)(base - out) - 1), base + 1);
	else
		snprintf(dir, sizeof(dir), ".%.*s.cache", (int)len, out);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -1;
	if (strlen(dir) + 13 > size)
		return -1;
	memcpy(path, dir, strlen(dir));
	memcpy(path + strlen(dir), "/history.bin", 13);
	return 0;
}

/* ---- the progress line of a build ---- */

#define BAR_WIDTH 24

/* A long build shows how far it is on a terminal: one line on stderr,
 * redrawn at most five times a second (a national site writes
 * thousands of pages a second, and a terminal is slower than that),
 * and cleared when the build ends, so what stays on the screen is the
 * summary or the error. */
struct progress {
	struct timespec start;  /* when the first page was counted */
	struct timespec last;   /* when the line was last drawn */
	int counting;           /* start is set */
	int drawn;              /* a line is on the screen */
};

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_note(struct progress *p, const char *what)
{
	fprintf(stderr, "\r\033[K%s...", what);
	p->drawn = 1;
}

static void progress_show(void *arg, size_t done, size_t total)
{
	struct progress *p = arg;
	struct timespec now;
	char bar[BAR_WIDTH + 1];
	size_t fill;
	double t;

	if (!total) {
		progress_note(p, "reading the history of the record");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!p->counting) {
		p->start = now;
		p->counting = 1;
	} else if (done < total && seconds_between(&p->last, &now) < 0.2) {
		return;
	}
	p->last = now;
	fill = done * BAR_WIDTH / total;
	memset(bar, '#', fill);
	memset(bar + fill, '-', BAR_WIDTH - fill);
	bar[BAR_WIDTH] = '\0';
	t = seconds_between(&p->start, &now);
	fprintf(stderr, "\r\033[K[%s] %zu/%zu pages, %.0f pages/s", bar, done, total,
		t > 0 ? (double)done / t : 0.0);
	p->drawn = 1;
}

static void progress_clear(struct progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = 0;
}

static void build_usage(FILE *out)
{
	fputs("usage: gongshi build [--rev REV | --worktree] [-o DIR] [--base-url URL] [--no-spare]\n"
	      "                     [--allow-rewrite] [--allow-shallow] [--discard-foreign] [--force-draft]\n"
	      "                     [--new-log] [--changes FILE] [-j N] [-q | -v] [-C DIR]\n\n"
	      "Checks the record, then writes the public website into DIR (default public/).\n"
	      "A record that breaks the format, or whose commit newly breaks a program's rule\n"
	      "without an override, is refused with check's diagnostics; lapses from time\n"
	      "passing or already published are shown on the pages they concern.  The site is\n"
	      "written beside DIR and swapped into place only when complete.  DIR must be\n"
	      "absent, empty or a site gongshi wrote (it holds .gongshi-site and SHA256SUMS),\n"
	      "and never the repository, its .git, data/, content/ or themes/.  One build of\n"
	      "a DIR at a time: a second waits for the first (lock: .DIR.lock beside DIR).\n\n"
	      "  --rev REV        build from commit REV (default HEAD)\n"
	      "  --worktree       a preview of the working tree, with a draft banner on every page\n"
	      "  -o DIR           the site's folder (default public)\n"
	      "  --base-url URL   where the site is published (feeds, sitemap, canonical links);\n"
	      "                   overrides base_url in content/site.json\n"
	      "  --today DATE     the date notice states are computed at (default: today in\n"
	      "                   China, or SOURCE_DATE_EPOCH when set)\n"
	      "  --allow-rewrite  publish although the commit does not descend from the one the\n"
	      "                   site was last published from (a rewritten history); the change\n"
	      "                   log then says so\n"
	      "  --allow-shallow  publish from a shallow clone although the site was last published\n"
	      "                   with more history: the pages of the commits beyond the cut go\n"
	      "                   (without it, fetch the history: git fetch --unshallow)\n"
	      "  --no-spare       remove the replaced site, and any spare, instead of keeping\n"
	      "                   it as .DIR.spare-XXXXXX for the next build to rewrite in place\n"
	      "  --discard-foreign  replace the site although it holds files gongshi did not\n"
	      "                   write or that were edited since (refused otherwise, listing them)\n"
	      "  --force-draft    let a --worktree draft replace a site published from a commit\n"
	      "                   (refused otherwise: drafts go elsewhere, e.g. -o preview)\n"
	      "  --new-log        start a new publication log, over one that is missing, corrupt,\n"
	      "                   edited or whose chain breaks (refused otherwise, exit 2); its\n"
	      "                   first entry says so, with the old log's head where known\n"
	      "  -j, --jobs N     render with N processes (default: one per CPU, at most "
	      SITE_MAX_JOBS_STR ");\n"
	      "                   the site is the same byte for byte whatever N\n"
	      "  --changes FILE   write what the build changed in DIR to FILE, one line per\n"
	      "                   path: A path (added), M path (changed), D path (removed)\n"
	      "  -q, --quiet      print errors only: no summary line, no progress line\n"
	      "  -v, --verbose    print what changed (as --changes) before the summary line\n\n"
	      "A file whose bytes did not change is not rewritten: it keeps its mtime.\n"
	      "The audit trail is cached beside DIR in .DIR.cache/, so a rebuild reads only new\n"
	      "commits.  On a terminal, stderr shows a progress line while the build runs.\n"
	      "The same commit and SOURCE_DATE_EPOCH give a byte-identical site.\n", out);
}

static int run_build(const struct global *g, int argc, char **argv)
{
	struct read_opts o = { .build = 1 };
	struct source src = SOURCE_INIT;
	struct record rec = RECORD_INIT;
	struct diags d = DIAGS_INIT;
	struct check_options co;
	struct build_options bo;
	struct build_stats st;
	struct buf changes = BUF_INIT;
	FILE *f;
	struct progress prog = { { 0, 0 }, { 0, 0 }, 0, 0 };
	struct history_prefetch hp = HISTORY_PREFETCH_INIT;
	struct sign_keys keys = SIGN_KEYS_INIT;
	struct check_lapses lapses = CHECK_LAPSES_INIT;
	char cache[4096], parent[41], published[41];
	const char *why;
	date_t at;
	int error, status = EXIT_TROUBLE, r, show, have_cache = 0;
	size_t prefetched, i, nblock = 0;

	if ((r = parse_read_opts("build", build_usage, g, argc, argv, 0, &o)) != 0)
		return r > 0 ? EXIT_CLEAN : EXIT_TROUBLE;
	if (o.base_url && (why = site_base_url_problem(o.base_url))) {
		fprintf(stderr, "gongshi build: --base-url %s: %s\n", o.base_url, why);
		return EXIT_TROUBLE;
	}
	if (o.new_log && o.worktree)
		return bad_usage("build", build_usage, "%s", "--new-log with --worktree: a draft publishes "
				 "nothing, and keeps the log as it is");
	show = !o.quiet && isatty(STDERR_FILENO);
	co.today = o.today;
	co.lapses = &lapses;
	if (show)
		progress_note(&prog, "reading the record");
	/* the output folder is checked before its cache is made beside it;
	 * the keys are loaded before the prefetch, whose walk verifies signatures */
	if ((error = open_source(&o, &src)) >= 0 && (error = site_check_out_dir(&src, o.out)) >= 0 &&
	    (error = sign_keys_load(&keys, &src)) == ERR_INVALID)
		status = EXIT_RULES; /* a key file breaks its schema */
	if (error >= 0) {
		src.keys = &keys;
		if ((have_cache = !o.worktree && history_cache_path(o.out, cache, sizeof(cache)) == 0))
			history_prefetch(&hp, &src, cache); /* walked while the record loads */
	}
	if (error < 0 || (error = source_keep(&src)) < 0 ||
	    (error = record_load(&rec, &src, &d)) < 0 ||
	    (error = check_record(&rec, &co, &d)) < 0 ||
	    (error = site_check(&rec, &src, &d)) < 0 ||
	    (last_published(&src, o.out, published), 0) ||
	    (error = lapses_classify(&o, &src, &rec, &lapses, published, parent, &at)) < 0) {
		progress_clear(&prog);
		fprintf(stderr, "gongshi build: %s\n", error_message());
		goto done;
	}
	progress_clear(&prog);
	if (!o.worktree)
		placeholders_block(&d);
	diags_sort(&d);
	for (i = 0; i < d.n; i++)
		nblock += blocks(&lapses, &d.v[i]);
	if (nblock) {
		/* only what blocks: the record's own lapses are published, not refused */
		for (i = 0; i < d.n; i++)
			if (blocks(&lapses, &d.v[i]))
				diags_print(&(struct diags){ &d.v[i], 1, 1, 1, 0 }, stderr);
		fprintf(stderr, "gongshi build: the record at %s breaks its rules (%zu error%s not in %s %.7s); "
			"nothing was written\n", source_label(&src), nblock, nblock == 1 ? "" : "s",
			*published ? "the commit last published," : *parent ? "its parent" : "any earlier commit:",
			*parent ? parent : "");
		status = EXIT_RULES;
		goto done;
	}
	if (d.nerrors && !o.quiet)
		fprintf(stderr, "gongshi build: publishing %zu lapse%s of the record on the pages they concern "
			"(gongshi check lists them)\n", d.nerrors, d.nerrors == 1 ? "" : "s");
	if (o.worktree && !o.quiet) {
		/* a draft is where placeholders are seen: each is told, as check tells it */
		size_t nph = 0;
		for (i = 0; i < d.n; i++)
			if (!strcmp(d.v[i].rule, "placeholder")) {
				diags_print(&(struct diags){ &d.v[i], 1, 1, 0, 1 }, stderr);
				nph++;
			}
		if (nph)
			fprintf(stderr, "gongshi build: the draft shows %zu placeholder%s left (" RECORD_PLACEHOLDER
				"…】); a build that publishes refuses %s\n", nph, nph == 1 ? "" : "s",
				nph == 1 ? "it" : "them");
	}
	bo.out_dir = o.out;
	bo.base_url = o.base_url;
	bo.today = o.today;
	bo.draft = o.worktree;
	bo.quiet = o.quiet;
	bo.allow_rewrite = o.allow_rewrite;
	bo.allow_shallow = o.allow_shallow;
	bo.no_spare = o.no_spare;
	bo.discard_foreign = o.discard_foreign;
	bo.force_draft = o.force_draft;
	bo.new_log = o.new_log;
	bo.jobs = o.jobs;
	bo.lapses = &lapses;
	bo.changes = o.changes || o.verbose ? &changes : NULL;
	bo.cache = NULL;
	bo.progress = show ? progress_show : NULL;
	bo.progress_arg = &prog;
	if (have_cache)
		bo.cache = cache;
	if (show && hp.pid)
		progress_note(&prog, "reading the history of the record");
	prefetched = history_prefetch_wait(&hp);
	error = site_build(&rec, &src, &bo, &st);
	st.walked += prefetched;
	progress_clear(&prog);
	if (error < 0) {
		fprintf(stderr, "gongshi build: %s\n", error_message());
		status = error == ERR_INVALID || error == ERR_REWRITE ? EXIT_RULES : EXIT_TROUBLE;
		goto done;
	}
	if (o.changes) {
		if (!(f = fopen(o.changes, "w")) ||
		    fwrite(changes.ptr ? changes.ptr : "", 1, changes.len, f) != changes.len ||
		    fclose(f) != 0) {
			fprintf(stderr, "gongshi build: %s: %s (the site was written)\n", o.changes, strerror(errno));
			goto done;
		}
	}
	if (o.verbose && !o.quiet)
		fwrite(changes.ptr ? changes.ptr : "", 1, changes.len, stdout);
	if (!o.quiet)
		printf("wrote %zu pages (%zu files, %llu bytes) to %s/ from %s, with %zu commits of history "
		       "(%zu read now): %zu changed, %zu added, %zu removed; open %s/index.html\n", st.pages,
		       st.files, (unsigned long long)st.bytes, o.out, source_label(&src), st.commits, st.walked,
		       st.changed, st.added, st.removed, o.out);
	status = EXIT_CLEAN;
done:
	history_prefetch_cancel(&hp);
	buf_release(&changes);
	fflush(stdout);
	check_lapses_release(&lapses);
	diags_release(&d);
	record_release(&rec);
	source_release(&src);
	sign_keys_release(&keys);
	return status;
}

/* ---- diff ---- */

static void diff_usage(FILE *out)
{
	fputs("usage: gongshi diff REV1 [REV2] [--json] [-C DIR]\n\n"
	      "The field-level changes to the record between two commits (REV2 defaults to\n"
	      "HEAD), record by record: what was added, withdrawn, moved, and each field that\n"
	      "changed, as 公示期.截止日期 (period.end): 2024-11-22 → 2024-11-23.  Changes under\n"
	      "\"private\" are named, never shown; with a fingerprint key (GONGSHI_FINGERPRINT_KEY,\n"
	      "or the file ~/.config/gongshi/fingerprint-key) each is given a keyed fingerprint of\n"
	      "the old and the new value.  Colour on a terminal (NO_COLOR turns it off).\n\n"
	      "  --json   one JSON document, for tools\n", out);
}

static const char *status_word(enum history_status s)
{
	return s == HIST_ADDED ? "added" : s == HIST_DELETED ? "withdrawn" : s == HIST_MOVED ? "moved" : "modified";
}

static const char *change_word(enum jd_kind k)
{
	return k == JD_ADDED ? "added" : k == JD_REMOVED ? "removed" : k == JD_PRIVATE ? "private" : "changed";
}

/* Prints s with control characters escaped: record text reaches a terminal. */
static void put_text(FILE *out, const char *s)
{
	struct buf b = BUF_INIT;

	if (buf_put_quoted(&b, s, (size_t)-1) >= 0 && b.len >= 2)
		fwrite(b.ptr + 1, 1, b.len - 2, out);
	buf_release(&b);
}

static void print_fields(const struct jd_changes *f, bool colour)
{
	const char *red = colour ? "\033[31m" : "", *green = colour ? "\033[32m" : "";
	const char *dim = colour ? "\033[2m" : "", *off = colour ? "\033[0m" : "";
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct jd_change *d = &f->v[i];
		printf("    %s", d->kind == JD_ADDED ? "+ " : d->kind == JD_REMOVED ? "- " : "");
		put_text(stdout, d->label);
		printf(" %s(%s)%s: ", dim, d->path, off);
		if (d->kind == JD_PRIVATE) {
			if (d->old || d->new)
				printf("%s(private) fingerprint %s → %s%s\n", dim, d->old ? d->old : "none",
				       d->new ? d->new : "none", off);
			else
				printf("%schanged (private, not shown)%s\n", dim, off);
			continue;
		}
		if (d->old) {
			printf("%s", red);
			put_text(stdout, d->old);
			printf("%s", off);
		}
		if (d->old && d->new)
			printf(" → ");
		if (d->new) {
			printf("%s", green);
			put_text(stdout, d->new);
			printf("%s", off);
		}
		putchar('\n');
	}
}

static cJSON *fields_json(const struct jd_changes *f)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < f->n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, o);
		cJSON_AddStringToObject(o, "change", change_word(f->v[i].kind));
		cJSON_AddStringToObject(o, "path", f->v[i].path);
		cJSON_AddStringToObject(o, "label", f->v[i].label);
		/* a private change's are fingerprints, never values: say so */
		if (f->v[i].old)
			cJSON_AddStringToObject(o, f->v[i].kind == JD_PRIVATE ? "old_fingerprint" : "old",
						f->v[i].old);
		if (f->v[i].new)
			cJSON_AddStringToObject(o, f->v[i].kind == JD_PRIVATE ? "new_fingerprint" : "new",
						f->v[i].new);
	}
	return arr;
}

static int run_diff(const struct global *g, int argc, char **argv)
{
	struct read_opts o = { 0 };
	struct source src = SOURCE_INIT;
	struct source_change *v = NULL;
	struct history h = HISTORY_INIT;
	struct fingerprint_key key = FINGERPRINT_KEY_INIT;
	size_t n = 0, i;
	int error, status = EXIT_TROUBLE, r;
	bool colour;

	if ((r = parse_read_opts("diff", diff_usage, g, argc, argv, 2, &o)) != 0)
		return r > 0 ? EXIT_CLEAN : EXIT_TROUBLE;
	if (!o.nargs)
		return bad_usage("diff", diff_usage, "%s", "needs REV1");
	if ((error = fingerprint_key_load(&key)) < 0 ||
	    (error = source_open_commit(&src, o.g.dir, o.nargs > 1 ? o.args[1] : "HEAD")) < 0 ||
	    (error = source_compare(&src, o.args[0], &v, &n)) < 0 ||
	    (error = history_diff(&h, &src, v, n, &key)) < 0) {
		fprintf(stderr, "gongshi diff: %s\n", error_message());
		goto done;
	}
	colour = !o.json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	if (o.json) {
		cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "changes");
		char *text;
		cJSON_AddStringToObject(root, "from", o.args[0]);
		cJSON_AddStringToObject(root, "to", src.commit);
		for (i = 0; h.n && i < h.commits[0].nchanges; i++) {
			const struct history_change *e = &h.commits[0].changes[i];
			cJSON *x = cJSON_CreateObject();
			cJSON_AddItemToArray(arr, x);
			cJSON_AddStringToObject(x, "kind", record_kind_dir(e->kind));
			cJSON_AddStringToObject(x, "id", e->id);
			cJSON_AddStringToObject(x, "status", status_word(e->status));
			if (e->path)
				cJSON_AddStringToObject(x, "path", e->path);
			if (e->old_path)
				cJSON_AddStringToObject(x, "old_path", e->old_path);
			cJSON_AddItemToObject(x, "fields", fields_json(&e->fields));
		}
		if (!(text = cJSON_Print(root))) {
			cJSON_Delete(root);
			error_nomem();
			fprintf(stderr, "gongshi diff: %s\n", error_message());
			goto done;
		}
		printf("%s\n", text);
		free(text);
		cJSON_Delete(root);
	} else {
		for (i = 0; h.n && i < h.commits[0].nchanges; i++) {
			const struct history_change *e = &h.commits[0].changes[i];
			printf("%s%s %s/%s%s", colour ? "\033[1;33m" : "", status_word(e->status),
			       record_kind_dir(e->kind), e->id, colour ? "\033[0m" : "");
			if (e->old_path)
				printf(" (%s → %s)\n", e->old_path, e->path);
			else
				printf(" (%s)\n", e->path);
			if (!e->parsed)
				printf("    (a version is not valid JSON; compare the files with git diff)\n");
			print_fields(&e->fields, colour);
		}
	}
	status = EXIT_CLEAN;
done:
	fflush(stdout);
	fingerprint_key_release(&key);
	history_release(&h);
	source_changes_free(v, n);
	source_release(&src);
	return status;
}

/* ---- textconv ---- */

static void textconv_usage(FILE *out)
{
	fputs("usage: gongshi textconv FILE\n\n"
	      "Prints a record file one field a line, as gongshi diff names fields, for git's\n"
	      "diff driver: git diff and git log -p then show field-level changes.\n"
	      "Private values are never printed, whatever the file holds: a version that is not\n"
	      "JSON even when read leniently is one line saying so.  With a fingerprint key\n"
	      "(GONGSHI_FINGERPRINT_KEY, or the file ~/.config/gongshi/fingerprint-key, at least\n"
	      "16 bytes) each private field shows a keyed fingerprint, so that a change shows.\n"
	      "Set it up in a record repository with\n\n"
	      "  echo 'data/**/*.json diff=gongshi' >> .gitattributes\n"
	      "  git config diff.gongshi.textconv 'gongshi textconv'\n", out);
}

/* The whole of path into text: 0, or 2 after saying why not. */
static int read_whole(const char *path, struct buf *text)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "gongshi textconv: %s: is a folder; give one record file\n", path);
		return EXIT_TROUBLE;
	}
	if (buf_read_file(text, path) < 0) {
		fprintf(stderr, "gongshi textconv: %s\n", error_message());
		return EXIT_TROUBLE;
	}
	return 0;
}

static int run_textconv(const struct global *g, int argc, char **argv)
{
	struct buf text = BUF_INIT;
	struct jd_changes f = JD_CHANGES_INIT;
	struct fingerprint_key key = FINGERPRINT_KEY_INIT;
	cJSON *doc = NULL;
	size_t i;
	int status = EXIT_TROUBLE;

	(void)g;
	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		textconv_usage(stdout);
		return EXIT_CLEAN;
	}
	if (argc == 1 && !strcmp(argv[0], "--version")) {
		printf("gongshi %s\n", GONGSHI_VERSION);
		return EXIT_CLEAN;
	}
	if (argc != 1 || argv[0][0] == '-')
		return bad_usage("textconv", textconv_usage, "%s", "needs one FILE");
	if ((status = read_whole(argv[0], &text)) != 0)
		goto done;
	status = EXIT_TROUBLE;
	if (fingerprint_key_load(&key) < 0 || json_parse_display(buf_cstr(&text), text.len, &doc) < 0) {
		fprintf(stderr, "gongshi textconv: %s\n", error_message());
		goto done;
	}
	/* never the raw text: a private value would be in it */
	if (!cJSON_IsObject(doc)) {
		printf("(this version is %s; not shown)\n", doc ? "not a JSON object" : "not valid JSON");
		status = EXIT_CLEAN;
		goto done;
	}
	if (jsondiff_flatten_keyed(doc, &key, &f) < 0) {
		fprintf(stderr, "gongshi textconv: %s\n", error_message());
		goto done;
	}
	for (i = 0; i < f.n; i++) {
		put_text(stdout, f.v[i].label);
		printf(" (%s): ", f.v[i].path);
		if (f.v[i].kind == JD_PRIVATE && f.v[i].new)
			printf("(private) fingerprint %s\n", f.v[i].new);
		else if (f.v[i].kind == JD_PRIVATE)
			printf("(private, not shown)\n");
		else {
			put_text(stdout, f.v[i].new ? f.v[i].new : "");
			putchar('\n');
		}
	}
	status = EXIT_CLEAN;
done:
	fflush(stdout);
	jd_changes_release(&f);
	fingerprint_key_release(&key);
	cJSON_Delete(doc);
	buf_release(&text);
	return status;
}

/* ---- verify ---- */

static void verify_usage(FILE *out)
{
	fputs("usage: gongshi verify DIR [-C REPO]\n\n"
	      "Checks a copy of a site gongshi built: every file SHA256SUMS lists is there\n"
	      "with its SHA-256, no other file is (SHA256SUMS aside), and the chain of the\n"
	      "publication log (publication-log.json) holds and ends at the head SHA256SUMS\n"
	      "names.  Given the record repository (-C REPO), also that every commit the log\n"
	      "names is in it and descends from the one published before it; a restarted log\n"
	      "(build --new-log) and an allowed rewrite (--allow-rewrite) are reported.\n\n"
	      "Exit status: 0 good, 1 tampered with or damaged (each problem printed),\n"
	      "2 usage, or the folder or repository cannot be read.\n", out);
}

static int run_verify(const struct global *g, int argc, char **argv)
{
	const char *dir = NULL, *repo = strcmp(g->dir, ".") ? g->dir : NULL;
	int i, r;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			verify_usage(stdout);
			return EXIT_CLEAN;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("gongshi %s\n", GONGSHI_VERSION);
			return EXIT_CLEAN;
		}
		if (!strcmp(argv[i], "-C")) {
			if (++i == argc)
				return bad_usage("verify", verify_usage, "%s needs a value", "-C");
			repo = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return bad_usage("verify", verify_usage, "unknown option %s", argv[i]);
		} else if (dir) {
			return bad_usage("verify", verify_usage, "unexpected argument %s", argv[i]);
		} else {
			dir = argv[i];
		}
	}
	if (!dir)
		return bad_usage("verify", verify_usage, "%s", "needs DIR, the site's folder");
	r = publog_verify(dir, repo, stdout);
	fflush(stdout);
	if (r < 0) {
		fprintf(stderr, "gongshi verify: %s\n", error_message());
		return EXIT_TROUBLE;
	}
	return r ? EXIT_RULES : EXIT_CLEAN;
}

const struct command commands[] = {
	{ "init", "start a record repository: schemas, calendars, hook, diff driver", scaffold_cmd_init,
	  scaffold_init_usage, true },
	{ "new", "write a new record file: program, round, application, notice...", scaffold_cmd_new,
	  scaffold_new_usage, true },
	{ "serve", "serve a live preview of the working tree, rebuilt on every change", serve_cmd, serve_usage,
	  false },
	{ "check", "check the record against its format and its programs' rules", run_check, check_usage, true },
	{ "rules", "list the rules the checker enforces, per program, with articles", run_rules, rules_usage, true },
	{ "build", "write the public website from a checked record", run_build, build_usage, true },
	{ "verify", "check a copy of a site: its checksums and its publication log", run_verify, verify_usage,
	  true },
	{ "diff", "field-level changes to the record between two commits", run_diff, diff_usage, true },
	/* run by git once per version shown: starting libgit2 (which reads
	 * the system's CA certificates) was a quarter of each run */
	{ "textconv", "a record file one field a line, for git's diff driver", run_textconv, textconv_usage,
	  false },
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

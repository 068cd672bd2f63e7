/* cmd.c - the commands (see cmd.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "cmd.h"
#include "error.h"
#include "record.h"
#include "site.h"

/* Options of the commands that read the record. */
struct read_opts {
	struct global g;
	const char *rev;      /* --rev REV (default HEAD) */
	int worktree;         /* --worktree */
	date_t today;         /* --today DATE, else SOURCE_DATE_EPOCH, else now */
	int quiet;            /* -q: diagnostics only */
	const char *arg;      /* one positional argument, where allowed */
	const char *out;      /* -o DIR (build) */
	const char *base_url; /* --base-url URL (build) */
	int build;            /* accept build's options */
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
		t = strtoll(sde, &end, 10);
		if (*end || t < 0)
			return error_set(ERR_USAGE, "SOURCE_DATE_EPOCH is not a number of seconds: %s", sde);
		*out = date_from_time_cst((time_t)t);
		return 0;
	}
	*out = date_from_time_cst(time(NULL));
	return 0;
}

/* Returns -1 after printing usage trouble, 1 after --help, 0 to go on. */
static int parse_read_opts(const char *cmd, void (*usage)(FILE *), const struct global *g,
			   int argc, char **argv, int allow_arg, struct read_opts *o)
{
	int i, have_today = 0;

	int build = o->build;

	memset(o, 0, sizeof(*o));
	o->build = build;
	o->g = *g;
	o->rev = "HEAD";
	o->out = "public";
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const char *eq = strchr(a, '=');
		size_t nlen = eq && a[0] == '-' && a[1] == '-' ? (size_t)(eq - a) : strlen(a);
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 1;
		}
		if (!strcmp(a, "--worktree")) {
			o->worktree = 1;
			continue;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = 1;
			continue;
		}
		if ((nlen == 5 && !strncmp(a, "--rev", 5)) || (nlen == 7 && !strncmp(a, "--today", 7)) ||
		    !strcmp(a, "-C") || (build && (!strcmp(a, "-o") ||
						   (nlen == 10 && !strncmp(a, "--base-url", 10))))) {
			if (eq && a[1] == '-')
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return bad_usage(cmd, usage, "%s needs a value", a), -1;
			if (a[1] == 'C')
				o->g.dir = val;
			else if (a[1] == 'o')
				o->out = val;
			else if (a[2] == 'b')
				o->base_url = val;
			else if (a[2] == 'r')
				o->rev = val;
			else if (date_parse(val, &o->today) < 0)
				return bad_usage(cmd, usage, "--today takes a date YYYY-MM-DD, not %s", val), -1;
			else
				have_today = 1;
			continue;
		}
		if (a[0] == '-' && a[1])
			return bad_usage(cmd, usage, "unknown option %s", a), -1;
		if (!allow_arg || o->arg)
			return bad_usage(cmd, usage, "unexpected argument %s", a), -1;
		o->arg = a;
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

/* ---- check ---- */

static void check_usage(FILE *out)
{
	fputs("usage: gongshi check [--rev REV | --worktree] [--today DATE] [-q] [-C DIR]\n\n"
	      "Checks the record in data/ against its format and each program's rules, and\n"
	      "reports every problem as path:line:col: error: message [rule].\n\n"
	      "  --rev REV      read the record from commit REV (default HEAD)\n"
	      "  --worktree     read the working tree instead (previews, pre-commit hooks)\n"
	      "  --today DATE   the date deadlines are measured against (default: today in\n"
	      "                 China, or SOURCE_DATE_EPOCH when set)\n"
	      "  -q, --quiet    print the diagnostics only, not the closing count\n"
	      "  -C DIR         the repository\n\n"
	      "Exit status: 0 no error (warnings allowed), 1 errors, 2 trouble reading.\n", out);
}

static int run_check(const struct global *g, int argc, char **argv)
{
	struct read_opts o = { 0 };
	struct source src = SOURCE_INIT;
	struct record rec = RECORD_INIT;
	struct diags d = DIAGS_INIT;
	struct check_options co;
	int error, status = EXIT_TROUBLE, r;

	if ((r = parse_read_opts("check", check_usage, g, argc, argv, 0, &o)) != 0)
		return r > 0 ? EXIT_CLEAN : EXIT_TROUBLE;
	co.today = o.today;
	if ((error = open_source(&o, &src)) < 0 ||
	    (error = record_load(&rec, &src, &d)) < 0 ||
	    (error = check_record(&rec, &co, &d)) < 0) {
		fprintf(stderr, "gongshi check: %s\n", error_message());
		goto done;
	}
	diags_sort(&d);
	diags_print(&d, stdout);
	if (!o.quiet) {
		printf("checked %zu file%s at %s: ", rec.nfiles, rec.nfiles == 1 ? "" : "s",
		       source_label(&src));
		diags_print_summary(&d, stdout);
	}
	status = d.nerrors ? EXIT_RULES : EXIT_CLEAN;
done:
	fflush(stdout);
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

static void build_usage(FILE *out)
{
	fputs("usage: gongshi build [--rev REV | --worktree] [-o DIR] [--base-url URL] [-q] [-C DIR]\n\n"
	      "Checks the record, then writes the public website into DIR (default public/).\n"
	      "A record that breaks a rule is refused with check's diagnostics.  The site is\n"
	      "written beside DIR and swapped into place only when complete.\n\n"
	      "  --rev REV        build from commit REV (default HEAD)\n"
	      "  --worktree       a preview of the working tree, with a draft banner on every page\n"
	      "  -o DIR           the site's folder (default public)\n"
	      "  --base-url URL   where the site is published (feeds, sitemap, canonical links);\n"
	      "                   overrides base_url in content/site.json\n"
	      "  --today DATE     the date notice states are computed at (default: today in\n"
	      "                   China, or SOURCE_DATE_EPOCH when set)\n"
	      "  -q, --quiet      no summary line\n\n"
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
	int error, status = EXIT_TROUBLE, r;

	if ((r = parse_read_opts("build", build_usage, g, argc, argv, 0, &o)) != 0)
		return r > 0 ? EXIT_CLEAN : EXIT_TROUBLE;
	co.today = o.today;
	if ((error = open_source(&o, &src)) < 0 ||
	    (error = record_load(&rec, &src, &d)) < 0 ||
	    (error = check_record(&rec, &co, &d)) < 0) {
		fprintf(stderr, "gongshi build: %s\n", error_message());
		goto done;
	}
	diags_sort(&d);
	if (d.nerrors) {
		diags_print(&d, stderr);
		fprintf(stderr, "gongshi build: the record at %s breaks its rules (%zu error%s); "
			"nothing was written\n", source_label(&src), d.nerrors, d.nerrors == 1 ? "" : "s");
		status = EXIT_RULES;
		goto done;
	}
	bo.out_dir = o.out;
	bo.base_url = o.base_url;
	bo.today = o.today;
	bo.draft = o.worktree;
	bo.quiet = o.quiet;
	if ((error = site_build(&rec, &src, &bo, &st)) < 0) {
		fprintf(stderr, "gongshi build: %s\n", error_message());
		status = error == ERR_INVALID ? EXIT_RULES : EXIT_TROUBLE;
		goto done;
	}
	if (!o.quiet)
		printf("wrote %zu pages (%zu files, %llu bytes) to %s/ from %s; open %s/index.html\n",
		       st.pages, st.files, (unsigned long long)st.bytes, o.out, source_label(&src), o.out);
	status = EXIT_CLEAN;
done:
	fflush(stdout);
	diags_release(&d);
	record_release(&rec);
	source_release(&src);
	return status;
}

const struct command commands[] = {
	{ "check", "check the record against its format and its programs' rules", run_check, check_usage },
	{ "rules", "list the rules the checker enforces, per program, with articles", run_rules, rules_usage },
	{ "build", "write the public website from a checked record", run_build, build_usage },
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

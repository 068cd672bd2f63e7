/* main.c - gongshi: global options, then dispatch to a command. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "source.h"

/*
 * jemalloc's settings, read at its start (the binary links it: see the
 * Makefile; glibc's malloc ignores this).  A build's heap grows to
 * hundreds of MiB within seconds and lives until exit: backed by 4 KiB
 * pages, a clean build at size M took 320,000 page faults, a fifth of
 * its system time; backed by transparent huge pages, about 50,000
 * (README, Benchmark).
 */
const char *malloc_conf = "thp:always,metadata_thp:always";

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: gongshi [-C DIR] COMMAND [options]\n"
	      "       gongshi --help | --version\n\n"
	      "Checks a quality award's record, kept in git, and publishes it.\n\n"
	      "Commands:\n", out);
	for (i = 0; i < ncommands; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\nOptions:\n"
	      "  -C DIR     the repository (default: the one containing the current folder)\n"
	      "  --help     this help; `gongshi COMMAND --help` for a command's\n"
	      "  --version  the version\n\n"
	      "Exit status: 0 clean, 1 the record breaks a rule, 2 usage, I/O or repository error.\n"
	      "See gongshi(1) and gongshi-record(5).\n", out);
}

int main(int argc, char **argv)
{
	struct global g = { "." };
	int i = 1, status;
	size_t c;

	/* A file over "ulimit -f" is a write error (EFBIG) like a full disk,
	 * reported and cleaned up, not a silent death by SIGXFSZ. */
	signal(SIGXFSZ, SIG_IGN);
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_CLEAN;
		} else if (!strcmp(argv[i], "--version")) {
			printf("gongshi %s\n", GONGSHI_VERSION);
			return EXIT_CLEAN;
		} else if (!strcmp(argv[i], "-C") && i + 1 < argc) {
			g.dir = argv[i + 1];
			i += 2;
		} else if (!strcmp(argv[i], "-C")) {
			fprintf(stderr, "gongshi: -C needs a value: the repository's folder\n");
			usage(stderr);
			return EXIT_TROUBLE;
		} else {
			fprintf(stderr, "gongshi: unknown option %s\n", argv[i]);
			usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	for (c = 0; c < ncommands; c++)
		if (!strcmp(argv[i], commands[c].name))
			break;
	if (c == ncommands) {
		fprintf(stderr, "gongshi: '%s' is not a command; see 'gongshi --help'\n", argv[i]);
		return EXIT_TROUBLE;
	}
	if (commands[c].git && source_global_init() < 0) {
		fprintf(stderr, "gongshi: cannot start libgit2\n");
		return EXIT_TROUBLE;
	}
	status = commands[c].run(&g, argc - i - 1, argv + i + 1);
	if (commands[c].git)
		source_global_shutdown();
	return status;
}

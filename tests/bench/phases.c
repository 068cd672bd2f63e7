/*
 * phases.c - times the stages of a gongshi build separately, by calling
 * gongshi's own library (build/libgongshi.a) as `gongshi build` does:
 * opening the commit, loading the record, checking it, and the history
 * pass (history_load with no cache: one walk over every commit).  Nothing
 * is added to gongshi; this is the benchmark's stopwatch (issue #6).
 *
 * Usage: phases REPO [REV]
 * Prints one line per phase: "phase SECONDS" (wall clock, monotonic),
 * then "commits N".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "diag.h"
#include "error.h"
#include "history.h"
#include "record.h"
#include "source.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct source src = SOURCE_INIT;
	struct record rec = RECORD_INIT;
	struct diags d = DIAGS_INIT;
	struct history h = HISTORY_INIT;
	struct check_options co = { 0 };
	double t0, t1, t2, t3, t4;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: phases REPO [REV]\n");
		return 2;
	}
	if (source_global_init() < 0)
		goto fail;
	t0 = now();
	if (source_open_commit(&src, argv[1], argc > 2 ? argv[2] : "HEAD") < 0)
		goto fail;
	t1 = now();
	if (record_load(&rec, &src, &d) < 0)
		goto fail;
	t2 = now();
	if (check_record(&rec, &co, &d) < 0)
		goto fail;
	t3 = now();
	if (history_load(&h, &src, NULL) < 0)
		goto fail;
	t4 = now();
	printf("open %.6f\nload %.6f\ncheck %.6f\nhistory %.6f\ncommits %zu\n",
	       t1 - t0, t2 - t1, t3 - t2, t4 - t3, h.n);
	history_release(&h);
	diags_release(&d);
	record_release(&rec);
	source_release(&src);
	return 0;
fail:
	fprintf(stderr, "phases: %s\n", error_message());
	return 2;
}

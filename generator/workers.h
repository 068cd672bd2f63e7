/*
 * workers.h - rendering on every core: the units of work and the workers.
 *
 * The pages of records and commits are rendered by forked processes, each
 * claiming the next units of work from a counter in shared memory (struct
 * work); each reports what it wrote on a memfd that the parent reads once
 * it has exited.  See workers.c for why processes.
 */
#ifndef GONGSHI_WORKERS_H
#define GONGSHI_WORKERS_H

#include "build.h"

/* The units of work of kind k. */
size_t unit_count(const struct site *S, enum unit k);

/* The folder every unit of kind k writes under. */
const char *unit_section(enum unit k);

/* Renders units until none is left or one failed.  0 or < 0. */
int render_units(struct site *S);

/* Forks the workers (jobs - 1).  0 or < 0. */
int start_workers(struct site *S);

/* Stops the workers after a failure: kills them and reaps them. */
void stop_workers(struct site *S);

/*
 * Waits for the workers and takes in their reports.  0 or < 0 (a
 * worker's failure).
 */
int join_workers(struct site *S);

#endif

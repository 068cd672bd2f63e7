/*
 * cmd.h - the commands behind `gongshi COMMAND`.
 *
 * Each takes the arguments after its name and returns the process exit
 * status: 0 clean, 1 the record breaks a rule, 2 usage, I/O or
 * repository error.
 */
#ifndef GONGSHI_CMD_H
#define GONGSHI_CMD_H

#include <stdbool.h>
#include <stdio.h>

#define EXIT_CLEAN 0
#define EXIT_RULES 1
#define EXIT_TROUBLE 2

/* Options every command shares. */
struct global {
	const char *dir; /* -C DIR: the repository (default ".") */
};

struct command {
	const char *name;
	const char *summary;
	int (*run)(const struct global *g, int argc, char **argv);
	void (*usage)(FILE *out);
	bool git;       /* reads a repository: libgit2 is started for it */
};

extern const struct command commands[];
extern const size_t ncommands;

#endif

/*
 * scaffold.h - `gongshi init` and `gongshi new`: the only commands that
 * write into a record.
 *
 * Both only ever add files: each is created with O_EXCL (an existing
 * file is an error, never overwritten) and `new` refuses an id the
 * record already holds.  init starts a repository in a new or empty
 * folder from the files compiled into the binary (embed.h: the
 * schemas, the working-day calendars and generator/skeleton/), installs
 * the diff driver and the pre-commit hook, and makes a first commit.
 * new writes one record file of a kind, every value it can derive from
 * the record already derived, and lists what the editor still has to
 * fill in: every string still holding SCAFFOLD_MARK, and the values it
 * had to guess (dates above all), each as a JSON pointer.
 */
#ifndef GONGSHI_SCAFFOLD_H
#define GONGSHI_SCAFFOLD_H

#include <stdio.h>

#include "buf.h"
#include "cmd.h"
#include "record.h"

/* What a template's text still to be written begins with (record.h). */
#define SCAFFOLD_MARK RECORD_PLACEHOLDER

/* One value of a new file the editor must fill in or confirm. */
struct scaffold_todo {
	char *pointer; /* owned: JSON pointer into the file, "/name" */
	char *what;    /* owned: what belongs there, for the editor */
};

/* The list a command prints after writing a file. */
struct scaffold_todos {
	struct scaffold_todo *v; /* owned, in file order */
	size_t n, cap;
};

#define SCAFFOLD_TODOS_INIT { .v = NULL, .n = 0, .cap = 0 }

int scaffold_todo_add(struct scaffold_todos *t, const char *pointer, const char *what);
void scaffold_todos_release(struct scaffold_todos *t);

/*
 * Creates root/rel with the len bytes of data, and the folders above it
 * (under root) that are missing.  Never replaces anything: an existing
 * file (or a symlink where the file would be) is ERR_IO "exists".
 * mode is the new file's (0644, 0755 for a hook).
 */
int scaffold_write_new(const char *root, const char *rel, const char *data, size_t len, unsigned mode);

/* The commands (cmd.c's table). */
int scaffold_cmd_init(const struct global *g, int argc, char **argv);
void scaffold_init_usage(FILE *out);
int scaffold_cmd_new(const struct global *g, int argc, char **argv);
void scaffold_new_usage(FILE *out);

#endif

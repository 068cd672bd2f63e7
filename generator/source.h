/*
 * source.h - the record's files, from a commit or from the working tree.
 *
 * This is the only module that talks to libgit2; its errors become
 * ERR_GIT with libgit2's message.  A source lists the files under
 * data/ (the record, required), content/ and themes/ (what a site is
 * built from, optional) first (paths sorted bytewise, with their blob ids and sizes),
 * and reads a file's bytes only when asked, so memory stays flat
 * however large the record is, and a blob id can key a parse cache.
 */
#ifndef GONGSHI_SOURCE_H
#define GONGSHI_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SOURCE_ROOT "data"

struct source_entry {
	char *path;          /* owned, relative to the repository root,
	                        e.g. "data/programs/lhasa.json" */
	unsigned char oid[20]; /* blob id (zero for the working tree) */
	bool link;           /* a symbolic link or submodule: never read */
};

struct source {
	struct source_entry *v; /* owned array of n entries, sorted by path */
	size_t n, cap;
	bool worktree;          /* read from the working tree */
	char commit[41];        /* hex id of the commit read ("" for the worktree) */
	int64_t time;           /* the commit's committer time (0 for the worktree) */
	char *root;             /* owned: the repository's working directory,
	                           or the directory given for a plain folder */
	void *repo;             /* git_repository * (owned), NULL for a plain folder */
};

#define SOURCE_INIT { NULL, 0, 0, false, "", 0, NULL, NULL }

/* Starts and stops libgit2 (once per process). */
int source_global_init(void);
void source_global_shutdown(void);

/*
 * Lists data/ at revision rev ("HEAD", a branch, a commit id...) of the
 * repository containing dir.  ERR_GIT if dir is in no repository, rev
 * does not name a commit, or the tree cannot be read.
 */
int source_open_commit(struct source *s, const char *dir, const char *rev);

/* Lists data/ in the working tree of the repository containing dir, or
 * in dir itself when it is in no repository. */
int source_open_worktree(struct source *s, const char *dir);

/* Reads entry i's bytes into out (cleared first) and sets *size to the
 * file's size; when that exceeds max, out is left empty, so a hostile
 * file is never held whole.  ERR_IO or ERR_GIT. */
int source_read(const struct source *s, size_t i, size_t max,
		struct buf *out, uint64_t *size);

/* Index of the entry with exactly this path, or -1. */
int source_find(const struct source *s, const char *path);

/* "abc1234" style short id of the commit, or "worktree". */
const char *source_label(const struct source *s);

void source_release(struct source *s);

#endif

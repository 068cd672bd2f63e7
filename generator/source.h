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

struct sign_keys;
struct sign_key;

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
	struct source_kept *kept; /* owned: the bytes read so far, by entry, after
	                           source_keep(); NULL otherwise (source.c) */
	char **links;           /* owned: the nlinks symbolic links and submodules
	                           of content/ and themes/ (or those folders
	                           themselves), left out of v: a site never
	                           reads them, so a link's target is never
	                           published as a page; told as warnings */
	size_t nlinks, caplinks;
	const struct sign_keys *keys; /* not owned: what commit signatures are
	                           verified against (sign.h); NULL: no keys */
};

#define SOURCE_INIT { .v = NULL, .worktree = false, .repo = NULL, .keys = NULL }

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
 * in dir itself when it is in no repository.  ERR_IO when data/ is
 * missing, or a symbolic link (a commit cannot hold the record so). */
int source_open_worktree(struct source *s, const char *dir);

/* Reads entry i's bytes into out (cleared first) and sets *size to the
 * file's size; when that exceeds max, out is left empty, so a hostile
 * file is never held whole.  ERR_IO or ERR_GIT. */
int source_read(const struct source *s, size_t i, size_t max,
		struct buf *out, uint64_t *size);

/*
 * From now on, source_read() keeps the bytes of each entry it reads
 * whole, and reads it again from memory: a build reads each record file
 * three times (to load the record, for its page, for the downloads), and
 * inflating a blob from a pack, with its deltas, cost more than parsing
 * it.  Memory: the record's size (86 MiB at the benchmark's size M).
 * ERR_NOMEM.
 */
int source_keep(struct source *s);

/* Index of the entry with exactly this path, or -1. */
int source_find(const struct source *s, const char *path);

/* "abc1234" style short id of the commit, or "worktree". */
const char *source_label(const struct source *s);

/* The repository's git folder (the working tree's ".git", or wherever
 * it is kept), NULL for a plain folder. */
const char *source_gitdir(const struct source *s);

/* ---- history: what each commit changed in data/ ---- */

/* One commit, as the history walk reports it.  Strings are valid during
 * the callback only. */
struct source_commit {
	char id[41];            /* hex */
	char parent[41];        /* first parent, "" for a root or a shallow boundary */
	unsigned nparents;
	const char *author, *email;
	int64_t time;           /* author time, seconds since the epoch */
	int offset;             /* author's time zone, minutes east of UTC */
	const char *message;    /* the whole message */
	int sig;                /* enum sign_state: its gpgsig header, verified */
	const struct sign_key *signer; /* the key of a good signature, else NULL */
};

enum source_status { SOURCE_ADDED = 'A', SOURCE_MODIFIED = 'M', SOURCE_DELETED = 'D' };

/* One file under data/ or content/ that a commit changed against its
 * first parent. */
struct source_change {
	char *path;                 /* owned by the walk; "data/..." or "content/..." */
	enum source_status status;
	unsigned char old_oid[20];  /* zero when added */
	unsigned char new_oid[20];  /* zero when deleted */
};

typedef int (*source_commit_fn)(const struct source_commit *c,
				const struct source_change *v, size_t n,
				void *payload);

/*
 * Walks the commits reachable from the source's commit, newest first
 * (topological, then by time), stopping below stop (a commit id whose
 * ancestors the caller already knows; NULL for all), and calls fn for
 * each commit that changed a file under data/ or content/, with the changes against
 * its first parent.  Subtrees are compared by id before anything is
 * read, so unchanged folders cost nothing.  fn returning < 0 stops the
 * walk with that value.  ERR_GIT for a source without a repository.
 */
int source_walk(const struct source *s, const char *stop, source_commit_fn fn,
		void *payload);

/*
 * Cuts the walk source_walk(s, stop) would make into parts of equal
 * length, for walking them at once in separate processes: mids[i] (hex)
 * is where part i + 1 starts, and part i is the walk from the part's
 * start (the source's commit for part 0) stopping at the next one.  Only
 * a history without merges is cut (each commit's one parent is the next
 * in the walk, so the parts joined give the very walk), and only into
 * parts of at least min commits: *n is the number of cuts made, at most
 * max; 0 for a history with merges, a shallow clone, or one too short.
 */
int source_midpoints(const struct source *s, const char *stop, size_t min,
		     char (*mids)[41], size_t max, size_t *n);

/* The files under data/ and content/ that differ between commit rev (the old side)
 * and the source's commit (the new side); *v is owned by the caller
 * (source_changes_free). */
int source_compare(const struct source *s, const char *rev, struct source_change **v, size_t *n);
void source_changes_free(struct source_change *v, size_t n);

/* Reads a blob by id, as source_read() reads an entry. */
int source_read_oid(const struct source *s, const unsigned char oid[20],
		    size_t max, struct buf *out, uint64_t *size);

/*
 * The signature of commit (hex), verified against s->keys: *state is an
 * enum sign_state, *who the key of a good one.  The signature is the
 * commit's gpgsig header, as git_commit_extract_signature() gives it; a
 * "gpgsig" line of the message is no signature.
 */
int source_signature(const struct source *s, const char *commit, int *state, const struct sign_key **who);

/* Whether the repository is a shallow clone (its history is cut). */
bool source_is_shallow(const struct source *s);

/* Whether commit is where a shallow clone's history is cut: it is there,
 * and its parents are not. */
bool source_is_cut(const struct source *s, const char *commit);

/* *out = whether the repository holds the commit commit (a full hex
 * id).  ERR_GIT for an id that does not parse. */
int source_has_commit(const struct source *s, const char *commit, bool *out);

/* The first parent of the source's commit (hex, in out), or, for the
 * working tree, the commit HEAD names.  Returns 0, or 1 when there is
 * none: a root commit, an empty repository, a plain folder, or a parent
 * beyond a shallow clone's cut.  ERR_GIT. */
int source_first_parent(const struct source *s, char out[41]);

/*
 * The newest commit, along first parents from the source's commit, that
 * changed any of the folders dirs (e.g. "content", "themes"), as
 * against its first parent: its id (out) and author time (*time).
 * A folder is compared by its tree id, so each commit costs a lookup.
 * 0; 1 when there is none (a worktree, no repository, or a walk that
 * reaches the root or a shallow clone's cut: then out is the last
 * commit read, and its time); ERR_GIT.
 */
int source_last_change(const struct source *s, const char *const *dirs, size_t ndirs, char out[41],
		       int64_t *time);

/* *out = whether commit descends from (or is) ancestor.  An ancestor the
 * repository no longer has (a rewritten history) gives false, not an
 * error, and so does, in a shallow clone, one beyond its cut; ERR_GIT
 * for an id that does not parse. */
int source_descends(const struct source *s, const char *commit,
		    const char *ancestor, bool *out);

/*
 * *out = whether every commit the walk from the source's commit meets
 * before ancestor descends from it (no merge brings in work begun before
 * it).  Only then does a walk stopped at ancestor, followed by
 * ancestor's own walk, list the commits in the order of one walk, which
 * places such work by its dates among ancestor's commits.  A shallow
 * clone (whose cut libgit2 cannot walk) gives false.
 */
int source_extends(const struct source *s, const char *ancestor, bool *out);

void source_release(struct source *s);

#endif

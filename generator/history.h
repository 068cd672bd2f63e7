/*
 * history.h - the audit trail: what every commit changed in the record.
 *
 * history_load() walks the commits reachable from the source's commit
 * once, newest first (source_walk), and for each record file a commit
 * changed, parses the old and new versions and keeps their field-level
 * changes (jsondiff.h).  Files under content/ are published too: each is
 * a change of kind KIND_CONTENT named by its path under content/, with
 * field-level changes for JSON (site.json) and none for a text.  Records are followed by kind and id, not by
 * path: a file moved or renamed keeps one history, and a file deleted
 * becomes a withdrawal that still has its last public version.
 *
 * Each changed blob is parsed once: walking backwards, the old version
 * of one commit is the new version of an earlier one, so the last parsed
 * version of each path is kept until that earlier commit is reached.
 *
 * The result can be cached in a file (a compact binary file, keyed by
 * the newest commit it covers, see history.c): a rebuild after new
 * commits walks only those and reuses the rest, writing them as a
 * segment before the old file's bytes (a file of more than 32 segments
 * is written again as one).  The cache holds only
 * what is public: field changes under "private" are recorded without
 * values (jsondiff.h).
 *
 * Memory: every string and field list of a history lives in its arena
 * (one per history, freed by history_release), and strings that repeat
 * (authors, record ids, paths, field paths and labels) are stored once
 * and shared.  So nothing a history holds may be freed or changed on its
 * own; "owned" below means owned by the history.
 */
#ifndef GONGSHI_HISTORY_H
#define GONGSHI_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "jsondiff.h"
#include "record.h"
#include "source.h"

/* How one commit changed one record. */
enum history_status {
	HIST_ADDED = 'A',     /* the record appeared */
	HIST_MODIFIED = 'M',  /* its file changed */
	HIST_MOVED = 'R',     /* its file moved (and may have changed) */
	HIST_DELETED = 'D'    /* its file was removed: withdrawn */
};

struct history_change {
	enum record_kind kind;
	char *id;                  /* in the arena: the record's id (a calendar's year) */
	char *path;                /* in the arena: its file after the commit (before, if deleted) */
	char *old_path;            /* in the arena: its file before a move, else NULL */
	enum history_status status;
	unsigned char old_oid[20]; /* the version before (zero if added) */
	unsigned char new_oid[20]; /* the version after (zero if deleted) */
	bool parsed;               /* both versions were valid JSON */
	struct jd_changes fields;  /* what changed, field by field; its array and
	                              strings are in the arena (never pass it to
	                              jd_changes_release) */
};

struct history_commit {
	char id[41];
	char parent[41];           /* first parent ("" for a root) */
	char *author, *email;      /* in the arena */
	char *message;             /* in the arena, whole */
	int64_t time;              /* author time */
	int offset;                /* minutes east of UTC */
	int sig;                   /* enum sign_state (sign.h) */
	char *signer, *signer_key; /* in the arena: a good signature's key holder
	                              and fingerprint, else NULL */
	struct history_change *changes; /* owned (malloc), sorted by kind then id */
	size_t nchanges;
};

/* Where to find one record's changes: commits[commit].changes[change]. */
struct history_ref {
	enum record_kind kind;
	const char *id;            /* points into the change */
	size_t commit, change;
};

struct history {
	struct history_commit *commits; /* owned, newest first */
	size_t n, cap;
	bool shallow;              /* the repository is a shallow clone */
	char boundary[41];         /* the oldest commit read, when the history is cut */
	int64_t boundary_time;
	struct history_ref *refs;  /* owned, sorted by kind, id, then newest first */
	size_t nrefs;
	size_t walked;             /* commits walked now (not taken from the cache) */
	struct history_arena *arena; /* owned: where the strings and field lists
	                              above live (history.c); NULL when empty */
};

#define HISTORY_INIT { 0 }

/*
 * Loads the history of src's commit.  cache: a file to read and update
 * (NULL: none).  A cache that does not match (another version of
 * gongshi, a commit not in the history, or one that new commits merge
 * older work into: source_extends) is ignored and rewritten.
 */
int history_load(struct history *h, const struct source *src, const char *cache);

/*
 * history_load() cuts a long walk without a cache into one part per
 * online CPU, each walked at once by a process of its own (see
 * history.c); this is it with the number of parts (at most
 * HISTORY_PARTS_MAX; 1: one walk, here) and the fewest commits a part
 * may have (HISTORY_PART_MIN for history_load()).  The history is the
 * same, however it was cut.
 */
#define HISTORY_PARTS_MAX 8
#define HISTORY_PART_MIN 2048
int history_load_parts(struct history *h, const struct source *src, const char *cache,
		       size_t parts, size_t min);

/*
 * The walk of a build's history, early: history_prefetch() forks a
 * process that brings the cache up to date (history_load() with the
 * cache, then exit), so that the history is walked on one core while
 * the caller loads and checks the record on the other; the
 * history_load() that follows history_prefetch_wait() then only reads
 * the cache.  Nothing is shared but the cache file, which is renamed
 * into place whole.  The prefetch never reads back what its parts'
 * processes found: their segments are copied into the cache as they
 * wrote them, and only the build reads them.  A prefetch that cannot
 * start, fails or dies changes nothing: history_load() walks then, and
 * reports what went wrong.
 */
struct history_prefetch {
	pid_t pid;                 /* the process; 0 when none */
	int fd;                    /* reads the commits it walked; -1 */
};

#define HISTORY_PREFETCH_INIT { 0, -1 }

void history_prefetch(struct history_prefetch *p, const struct source *src, const char *cache);

/* history_prefetch() with the parts and fewest commits a part may have
 * of history_load_parts(). */
void history_prefetch_parts(struct history_prefetch *p, const struct source *src, const char *cache,
			    size_t parts, size_t min);

/* Waits for it; returns the commits it walked (what history_load()'s
 * walked would have been), 0 if it failed or there was none. */
size_t history_prefetch_wait(struct history_prefetch *p);

/* Kills it (a build that stops early) and waits.  Safe when none. */
void history_prefetch_cancel(struct history_prefetch *p);

/* The changes of record (kind, id), newest first: *first and the count. */
size_t history_of(const struct history *h, enum record_kind kind, const char *id,
		  const struct history_ref **first);

/* The record's kind and id as stored in a version of its file: from its
 * "id" (or a calendar's "year"), else from the file name.  Returns 0 and
 * fills id (size bytes), or 1 for a file that is not a record. */
int history_record_id(const char *path, const cJSON *doc, char *id, size_t size,
		      enum record_kind *kind);

/* The changes v (two commits compared: source_compare) as one commit of
 * h, with moves paired and fields compared as the history does; private
 * changes fingerprinted under key (NULL: none), for gongshi diff only. */
int history_diff(struct history *h, const struct source *src, const struct source_change *v, size_t n,
		 const struct fingerprint_key *key);

void history_release(struct history *h);

#endif

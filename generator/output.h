/*
 * output.h - writing a site so that readers see the old one or the new
 * one, never a mix, and a failed build changes nothing.
 *
 * A build writes every file into a temporary folder beside the
 * destination DIR, named ".DIR.tmp-XXXXXX" in DIR's parent (so the final
 * rename never crosses a file system), and records each file's size and
 * SHA-256.  output_commit() then writes SHA256SUMS (the format
 * "sha256sum -c" reads), fsyncs every file and folder, and swaps the
 * temporary folder into place:
 *
 * - DIR absent: rename(tmp, DIR);
 * - DIR a folder: renameat2(RENAME_EXCHANGE), atomic, after which the
 *   old site sits at the temporary name and is removed;
 * - a file system without RENAME_EXCHANGE (EINVAL, ENOSYS, ENOTSUP):
 *   rename(DIR, ".DIR.old-XXXXXX") then rename(tmp, DIR).  Each rename
 *   is atomic but the pair is not: between them DIR does not exist, and
 *   a crash there leaves the old site at ".DIR.old-*" and the new one at
 *   ".DIR.tmp-*", both whole;
 * - DIR anything else (a file, a symbolic link, even to a folder):
 *   ERR_IO, and nothing is touched.
 *
 * With OUTPUT_SPARE the replaced site is not removed but renamed
 * ".DIR.spare-XXXXXX", and the next build takes it (or a killed build's
 * folder) as its temporary folder and rewrites it in place: a file of
 * the same path is overwritten, not removed and created again, and what
 * the build did not write is removed before the swap.  Removing a site
 * costs a system call per file and folder, slow on a file system that
 * discards freed blocks, and a rebuild of a national site would spend
 * more time there than in rendering.  The price is a second copy of the
 * site on disk.  Only regular files with one link are overwritten (the
 * rest is replaced), so a "cp -al" snapshot of the spare is safe.
 * While the build writes, a forked process lists what the spare held,
 * so that the commit checks that list instead of walking the tree;
 * entries put into the folder by anyone else after output_open() are
 * therefore not pruned (the folder is flock()ed and this build's).
 *
 * While the build writes, a thread (the flusher, output_flush()) calls
 * syncfs() on the folder every half second, so that the files reach the
 * disk as later ones are written instead of all at commit; commit stops
 * it before its own sync.
 *
 * Until the swap DIR is never touched: output_abort() removes the
 * temporary folder (keeps it as the spare with OUTPUT_SPARE), and the
 * folders of builds that were killed are removed (or one taken) by the
 * next output_open() on the same DIR.  Only folders matching ".DIR.tmp-"
 * or ".DIR.spare-" plus six letters or digits, owned by the effective
 * user and not locked are removed or taken (a live build holds flock()
 * on its folder, so concurrent builds leave each other alone; the last
 * to commit wins); ".DIR.old-*" ones only while DIR is a folder, since
 * otherwise they may hold the only copy of the old site.  Trees are
 * removed, and spares rewritten, without following symbolic links.
 *
 * Files are created with mode 0644 and folders 0755, less the umask.
 * Paths are relative and '/'-separated; DIR's parent is opened once, so
 * a later chdir() does not move the build.  Linux only (renameat2,
 * flock); not thread-safe (its own flusher thread only syncs), but
 * several processes may write one site (see output_export()).
 */
#ifndef GONGSHI_OUTPUT_H
#define GONGSHI_OUTPUT_H

#include <stddef.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"

/* The name of the checksum file output_commit() writes at the root; no
 * build may write a file of that name there. */
#define OUTPUT_SUMS "SHA256SUMS"

/* output.flags, set before output_open(): swap with two renames even
 * where RENAME_EXCHANGE works (for tests of the fallback); keep the
 * replaced site as a spare and rewrite a spare in place (see above). */
#define OUTPUT_NO_EXCHANGE 1u
#define OUTPUT_SPARE 2u

struct output_file {
	char *path;                   /* owned: relative path as written */
	uint64_t size;                /* bytes */
	unsigned char sha256[32];     /* digest of the contents */
};

struct output {
	char *dir;          /* owned: DIR as given, trailing '/' removed */
	char *parent;       /* owned: DIR's parent ("." or "/" if none) */
	char *name;         /* owned: DIR's last component */
	char *tmp;          /* owned: temporary folder's name in parent;
			       NULL when there is none (unopened, committed,
			       aborted) */
	int parentfd;       /* DIR's parent, open from output_open() to
			       output_release(); -1 when closed */
	int tmpfd;          /* the temporary folder, flock()ed while the
			       build lives; -1 when none */
	unsigned flags;     /* OUTPUT_* bits, set by the caller before
			       output_open() */
	int reuse;          /* the temporary folder is a spare: files may
			       exist, and are overwritten or pruned */
	unsigned mask;      /* the umask at output_open() */
	int64_t prev_size;  /* reuse: size of the file being written
			       before it was overwritten; -1 if new */
	int committed;      /* output_commit() swapped the site in */
	int broken;         /* an I/O error may have left a file half
			       written: output_commit() refuses */
	struct output_file *files; /* owned: every file written, in write
				      order; sorted by path after commit */
	size_t nfiles, capfiles;
	char **dirs;        /* owned: folders created, to fsync, in
			       creation order */
	size_t ndirs, capdirs;
	uint64_t bytes;     /* sum of files[].size */
	size_t *dirset;     /* owned: a hash set of dirs[], each slot 0
			       (empty) or an index into dirs plus 1, so a
			       folder is created once, not asked for per
			       file */
	size_t capdirset;   /* slots, a power of two (0: none yet) */
	size_t *fileset;    /* owned, reuse only: the same for files[], so
			       a path written twice is caught without
			       O_EXCL; NULL after the sort at commit */
	size_t capfileset;
	pid_t walker;       /* reuse: the pid of the process listing what
			       the folder held, to prune by at commit
			       (output.c, "walker"); 0 when none */
	int walkfd;         /* the memfd it writes its list to; -1 */
	pthread_t flusher;  /* the thread that has the folder written back
			       while the build writes (output.c,
			       "flusher"), when flushing */
	int flushing;
};

#define OUTPUT_INIT \
	{ NULL, NULL, NULL, NULL, -1, -1, 0, 0, 0, -1, 0, 0, NULL, 0, 0, \
	  NULL, 0, 0, 0, NULL, 0, NULL, 0, 0, -1, 0, 0 }

/* Starts a build of dir (which need not exist): removes what killed
 * builds left, then creates the temporary folder, or with OUTPUT_SPARE
 * takes a spare or a killed build's folder as it.  o must be OUTPUT_INIT
 * (or released), its flags set.  ERR_USAGE for a dir without a last component ("",
 * "/", ".", ".."), ERR_IO with the path if dir exists and is not a
 * folder or a file system call fails, ERR_NOMEM. */
int output_open(struct output *o, const char *dir);

/* Starts the flusher (above), once the caller forks no more: a process
 * forked while it runs gets only the forking thread, and may find a lock
 * held that the flusher took (a sanitizer's allocator's, say).  Stopped
 * by output_commit() and output_abort(); a no-op when not open. */
void output_flush(struct output *o);

/* Writes len bytes as the file path, creating its parent folders.
 * ERR_INVALID, with nothing written, for a path that is empty,
 * absolute, has an empty, "." or ".." segment, a backslash or a control
 * character (a C string cannot carry NUL), is or is under OUTPUT_SUMS,
 * was written
 * before, or needs a written file as a folder or a folder as a file; or
 * when o is not open.  ERR_IO (which also makes commit refuse),
 * ERR_NOMEM. */
int output_write(struct output *o, const char *path, const void *data,
		 size_t len);

/* Like output_write() with the contents of the file src (e.g. a theme's
 * asset), read in pieces. */
int output_copy_file(struct output *o, const char *path, const char *src);

/* Appends to out the file path of the site now at DIR (the one this
 * build will replace; the new one after commit), e.g. to carry a log
 * forward.  Returns 0, or 1 if DIR or the file does not exist; ERR_IO if
 * DIR is not a folder or a component is a symbolic link or not a regular
 * file; ERR_INVALID for a bad path. */
int output_read_current(const struct output *o, const char *path,
			struct buf *out);

/* Creates the folder path (and those above it) unless this build has.
 * A build that writes from several processes creates the folders they
 * share first, so that two never race to create (or, in a spare, to
 * replace) the same one.  Errors as output_write(). */
int output_mkdir(struct output *o, const char *path);

/*
 * Writing from several processes.  A forked worker writes its share of
 * the files into the same temporary folder through its copy of o;
 * output_export() then appends to out what it wrote after the mark
 * taken at the fork (paths, sizes, digests, folders made), the parent
 * hands that to output_import() so that commit lists, syncs and keeps
 * those files too, and the worker frees its copy with output_leave(),
 * which leaves the folder alone.  output_import() returns ERR_INVALID
 * for a list it cannot read, and for a path written twice (by both
 * processes) in a reused folder; a new folder's O_EXCL catches that at
 * the write.
 */
struct output_mark {
	size_t nfiles, ndirs;      /* o->nfiles and o->ndirs at the mark */
};

void output_mark(const struct output *o, struct output_mark *m);
int output_export(const struct output *o, const struct output_mark *m,
		  struct buf *out);
int output_import(struct output *o, const char *data, size_t len);
void output_leave(struct output *o);

/* Removes what a reused folder holds that was not written, writes
 * OUTPUT_SUMS (one "<hex>  <path>" line per file, sorted bytewise by
 * path, itself not listed), fsyncs, swaps the site in, removes the old
 * one or keeps it as the spare.  Returns 0; 1 if the site was swapped in but the old tree
 * could not be removed or the parent folder not synced (error_message()
 * says why; the next output_open() removes the old tree); ERR_INVALID if o is not open;
 * ERR_IO (an earlier write failed too), ERR_NOMEM with DIR untouched (call output_abort()). */
int output_commit(struct output *o);

/* Removes the temporary folder.  Safe on OUTPUT_INIT, twice, and after a
 * commit (then it does nothing). */
void output_abort(struct output *o);

/* output_abort(), then frees everything and resets o to OUTPUT_INIT. */
void output_release(struct output *o);

/* Files written and their total size, OUTPUT_SUMS not counted. */
size_t output_count(const struct output *o);
uint64_t output_bytes(const struct output *o);

#endif

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
 * A file whose bytes are those DIR's OUTPUT_SUMS lists for its path is
 * not written: output_write() links DIR's own file into the temporary
 * folder (removing a spare's old file there first, never writing
 * through it), so it keeps its inode and mtime and a copy by rsync's
 * quick check skips it.  Only while the checker (below) vouches for
 * DIR's files, so not with OUTPUT_DISCARD.  Such a file has two links
 * until the old site is removed, and the spare then holds it with two:
 * so a spare's file is overwritten only with one link, as above, and
 * the live site is never written through.  Linking and removing move a
 * file's ctime on, so the next checker reads and hashes those files
 * (it never trusts one it should not).  output_changes() then tells
 * what was added, changed and removed against DIR's OUTPUT_SUMS.
 *
 * While the build writes, a thread (the flusher, output_flush()) calls
 * syncfs() on the folder every half second, so that the files reach the
 * disk as later ones are written instead of all at commit; commit stops
 * it before its own sync.
 *
 * Until the swap DIR is never touched: output_abort() removes the
 * temporary folder (keeps it as the spare with OUTPUT_SPARE, unless a
 * write failed: a disk that filled up must not stay full), and the
 * folders of builds that were killed are removed (or one taken) by the
 * next output_open() on the same DIR.  Only folders matching ".DIR.tmp-"
 * or ".DIR.spare-" plus six letters or digits, owned by the effective
 * user and not locked are removed or taken (a live build holds flock()
 * on its folder); ".DIR.old-*" ones only while DIR is a folder, since
 * otherwise they may hold the only copy of the old site.  Trees are
 * removed, and spares rewritten, without following symbolic links.
 *
 * One build per DIR at a time: output_open() takes a record lock
 * (fcntl) on ".DIR.lock" in DIR's parent (created once, never removed)
 * and output_release() lets it go, so a build holds it from before it
 * reads the site it replaces (the publication log) through the swap.  A
 * second build fails at once naming the holder's process, or with
 * OUTPUT_WAIT waits for it.  The lock is the process's: another
 * output_open() of DIR in the same process is not kept out.
 *
 * DIR is replaced only if it is absent, empty, or a site gongshi wrote:
 * one whose OUTPUT_SUMS lists the marker OUTPUT_MARK with the marker's
 * contents, or, for a site of a version before the marker, lists
 * "publication-log.json".  Anything else (a web root holding other
 * files, a repository, a record's folder) is refused by output_open().
 * Then, while the build writes, a forked process (the checker, output.c)
 * reads every file of DIR, and output_commit() refuses the swap if one
 * is not listed, is not a regular file, or no longer has its listed
 * digest (someone put it there or edited it by hand): the swap would
 * discard it.  OUTPUT_DISCARD skips that check.  A file whose status
 * changed (ctime) no later than OUTPUT_SUMS's is taken as written, not
 * read: every write and rename moves the ctime on, and it cannot be set
 * back.
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

/* The names of the checksum file and the marker output_commit() writes
 * at the root (the marker listed in the checksums, as every file); no
 * build may write a file of either name there. */
#define OUTPUT_SUMS "SHA256SUMS"
#define OUTPUT_MARK ".gongshi-site"

/* output.flags, set before output_open(): swap with two renames even
 * where RENAME_EXCHANGE works (for tests of the fallback); keep the
 * replaced site as a spare and rewrite a spare in place (see above). */
#define OUTPUT_NO_EXCHANGE 1u
#define OUTPUT_SPARE 2u
/* replace a site of gongshi's even if it holds files gongshi did not
 * write or that changed since; wait for another build of DIR to end
 * instead of failing (see above) */
#define OUTPUT_DISCARD 4u
#define OUTPUT_WAIT 8u

struct output_sum;

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
	int lockfd;         /* ".DIR.lock", locked from output_open() to
			       output_release(); -1 */
	void (*waiting)(const char *dir, long pid); /* with OUTPUT_WAIT,
			       called before waiting for the build pid
			       (0: unknown) that holds DIR; NULL: none */
	char *sumtext;      /* owned: DIR's OUTPUT_SUMS, read by output_open()
			       and kept to output_release(): what changed
			       is told against it */
	struct output_sum *sums; /* owned: its lines, paths into sumtext */
	size_t nsums, capsums;
	size_t *sumset;     /* owned: a hash set of sums[], as dirset */
	size_t capsumset;
	pid_t checker;      /* the process checking that DIR holds only
			       gongshi's files (output.c, "checker"); 0 */
	int checkfd;        /* the memfd it lists what it found in; -1 */
	int refused;        /* the checker found files not gongshi's */
	const char *forgive; /* a file of DIR whose change since OUTPUT_SUMS
			       the caller has dealt with (a publication log
			       started anew): not refused; NULL: none */
	int curfd;          /* DIR, open while the checker vouches for its
			       files (not with OUTPUT_DISCARD), to link the
			       unchanged ones into the new site; -1 */
	char *note;         /* owned: a line output_commit() writes first
			       in OUTPUT_SUMS as a comment ("# note"), which
			       sha256sum -c skips; one line; NULL: none */
};

#define OUTPUT_INIT \
	{ .parentfd = -1, .tmpfd = -1, .prev_size = -1, .walkfd = -1, \
	  .lockfd = -1, .checkfd = -1, .curfd = -1 }

/* Starts a build of dir (which need not exist): takes its lock, checks
 * that dir may be replaced (above), removes what killed builds left,
 * then creates the temporary folder, or with OUTPUT_SPARE takes a spare
 * or a killed build's folder as it.  o must be OUTPUT_INIT (or
 * released), its flags (and waiting) set.  ERR_USAGE for a dir without
 * a last component ("", "/", ".", ".."), ERR_IO with the path if dir
 * exists and is not a folder, or is not empty and not a site gongshi
 * wrote, if another build holds dir (without OUTPUT_WAIT), or if a file
 * system call fails, ERR_NOMEM. */
int output_open(struct output *o, const char *dir);

/* Starts the flusher (above), once the caller forks no more: a process
 * forked while it runs gets only the forking thread, and may find a lock
 * held that the flusher took (a sanitizer's allocator's, say).  Stopped
 * by output_commit() and output_abort(); a no-op when not open. */
void output_flush(struct output *o);

/* Writes len bytes as the file path, creating its parent folders.
 * ERR_INVALID, with nothing written, for a path that is empty,
 * absolute, has an empty, "." or ".." segment, a backslash or a control
 * character (a C string cannot carry NUL), is or is under OUTPUT_SUMS
 * or OUTPUT_MARK,
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

/* Appends the OUTPUT_SUMS of the site now at DIR to out, as
 * output_read_current() (which refuses that name). */
int output_read_sums(const struct output *o, struct buf *out);

/* The SHA-256 of the regular file name in the folder dfd, without
 * following a link or blocking on a FIFO: 0, or -1 with errno set. */
int output_file_sha256(int dfd, const char *name, unsigned char d[32]);

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

/* Refuses (ERR_IO, listing them) if the checker found files in DIR
 * that gongshi did not write, then removes what a reused folder holds
 * that was not written, writes OUTPUT_MARK and OUTPUT_SUMS (one "<hex>  <path>" line per file, sorted bytewise by
 * path, itself not listed), fsyncs, swaps the site in, removes the old
 * one or keeps it as the spare.  Returns 0; 1 if the site was swapped in but the old tree
 * could not be removed or the parent folder not synced (error_message()
 * says why; the next output_open() removes the old tree); ERR_INVALID if o is not open;
 * ERR_IO (an earlier write failed too), ERR_NOMEM with DIR untouched (call output_abort()). */
int output_commit(struct output *o);

/* Removes the temporary folder, or with OUTPUT_SPARE keeps it as the
 * spare unless a write to it failed.  Safe on OUTPUT_INIT, twice, and
 * after a commit (then it does nothing). */
void output_abort(struct output *o);

/* output_abort(), but the folder is removed, never kept as the spare:
 * for a build that failed on an I/O error elsewhere (a full disk in a
 * process that wrote through output_export()). */
void output_discard(struct output *o);

/* output_abort(), then lets DIR's lock go, frees everything and resets
 * o to OUTPUT_INIT. */
void output_release(struct output *o);

/* What a committed build changed against the site it replaced (DIR's
 * OUTPUT_SUMS, read by output_open(); none: every file added). */
struct output_changes {
	size_t added;       /* files DIR did not have */
	size_t changed;     /* files with another digest (OUTPUT_SUMS too) */
	size_t removed;     /* files of DIR the build did not write */
};

/* Fills c and, unless out is NULL, appends to out one line per file
 * added, changed or removed, "A path", "M path" or "D path", sorted
 * bytewise by path; OUTPUT_SUMS is one of them, OUTPUT_MARK never.
 * ERR_INVALID before output_commit(), ERR_NOMEM. */
int output_changes(const struct output *o, struct buf *out, struct output_changes *c);

/* Files written and their total size, OUTPUT_SUMS and OUTPUT_MARK not
 * counted. */
size_t output_count(const struct output *o);
uint64_t output_bytes(const struct output *o);

#endif

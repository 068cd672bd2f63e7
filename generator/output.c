/* output.c - writing a site atomically (see output.h). */

/* renameat2() and RENAME_EXCHANGE are GNU; flock() is BSD.  Neither is
 * in POSIX, and both are what make the swap atomic and concurrent builds
 * safe. */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "array.h"
#include "buf.h"
#include "error.h"
#include "hash.h"
#include "output.h"

/* The marker's contents: what it says is only that gongshi wrote the
 * folder; the 1 is the marker's format. */
#define MARK_TEXT "gongshi-site 1\n"
#define LOCK_TAG ".lock"
#define TMP_TAG ".tmp-"
#define OLD_TAG ".old-"
#define SPARE_TAG ".spare-"
#define SUFFIX_LEN 6        /* mkdtemp's XXXXXX */
#define MAX_DEPTH 256       /* folders removed below a tree's root */
#define CHUNK 65536

static char *dup_str(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int io_error(const char *a, const char *b, const char *c)
{
	return error_set(ERR_IO, "%s%s%s%s%s: %s", a, b ? "/" : "", b ? b : "",
			 c ? "/" : "", c ? c : "", strerror(errno));
}

static int bad_path(const char *path, const char *why)
{
	struct buf b = BUF_INIT;
	int error;

	if (buf_put_quoted(&b, path, 200) < 0)
		return error_nomem();
	error = error_set(ERR_INVALID, "output path %s %s", buf_cstr(&b), why);
	buf_release(&b);
	return error;
}

static int check_path(const char *path)
{
	const char *p, *seg = path;
	size_t n;

	if (!*path)
		return bad_path(path, "is empty");
	if (*path == '/')
		return bad_path(path, "is absolute");
	for (p = path;; p++) {
		if (*p == '/' || !*p) {
			n = (size_t)(p - seg);
			if (!n)
				return bad_path(path, "has an empty segment");
			if ((n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return bad_path(path, "has a \".\" or \"..\" segment");
			if (!*p)
				break;
			seg = p + 1;
		} else if (*p == '\\') {
			return bad_path(path, "has a backslash");
		} else if ((unsigned char)*p < 0x20 || *p == 0x7F) {
			return bad_path(path, "has a control character");
		}
	}
	n = strlen(OUTPUT_SUMS);
	if (!strncmp(path, OUTPUT_SUMS, n) && (!path[n] || path[n] == '/'))
		return bad_path(path, "is reserved for the checksums");
	n = strlen(OUTPUT_MARK);
	if (!strncmp(path, OUTPUT_MARK, n) && (!path[n] || path[n] == '/'))
		return bad_path(path, "is reserved for gongshi's marker");
	return 0;
}

/* Whether the root entry s[0..n) is one output_commit() writes itself. */
static int is_own_root_file(const char *s, size_t n)
{
	return (n == strlen(OUTPUT_SUMS) && !memcmp(s, OUTPUT_SUMS, n)) ||
	       (n == strlen(OUTPUT_MARK) && !memcmp(s, OUTPUT_MARK, n));
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Removes name in dfd and, if it is a folder, all it holds, never
 * following a symbolic link: the old site or a killed build's folder is
 * the user's to fill, and a link in it must not take us elsewhere.
 * shown is the path for messages, restored on return. */
static int remove_tree(int dfd, const char *name, struct buf *shown, int depth)
{
	size_t len = shown->len;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fd, error = 0;

	if ((error = buf_printf(shown, "/%s", name)) < 0)
		return error;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			error = io_error(buf_cstr(shown), NULL, NULL);
		goto done;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
			error = io_error(buf_cstr(shown), NULL, NULL);
		goto done;
	}
	if (depth >= MAX_DEPTH) {
		error = error_set(ERR_LIMIT, "%s: more than %d folders deep",
				  buf_cstr(shown), MAX_DEPTH);
		goto done;
	}
	if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			 O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			error = io_error(buf_cstr(shown), NULL, NULL);
		goto done;
	}
	if (!(d = fdopendir(fd))) {
		error = io_error(buf_cstr(shown), NULL, NULL);
		close(fd);
		goto done;
	}
	for (;;) {
		errno = 0;
		if (!(e = readdir(d))) {
			if (errno)
				error = io_error(buf_cstr(shown), NULL, NULL);
			break;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((error = remove_tree(dirfd(d), e->d_name, shown,
					 depth + 1)) < 0)
			break;
	}
	closedir(d);
	if (!error && unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		error = io_error(buf_cstr(shown), NULL, NULL);
done:
	shown->len = len;
	if (shown->ptr)
		shown->ptr[len] = '\0';
	return error;
}

static int remove_named(const struct output *o, const char *name)
{
	struct buf shown = BUF_INIT;
	int error;

	if ((error = buf_puts(&shown, o->parent)) >= 0)
		error = remove_tree(o->parentfd, name, &shown, 0);
	buf_release(&shown);
	return error;
}

/* Whether name is "." + o->name + tag + six mkdtemp characters. */
static int is_ours(const struct output *o, const char *name, const char *tag)
{
	size_t n = strlen(o->name), t = strlen(tag), i;

	if (strlen(name) != 1 + n + t + SUFFIX_LEN || name[0] != '.' ||
	    memcmp(name + 1, o->name, n) || memcmp(name + 1 + n, tag, t))
		return 0;
	for (i = 1 + n + t; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9')))
			return 0;
	return 1;
}

/* Removes the folders killed builds left.  A folder whose flock() is
 * held belongs to a build still running, and is left alone.  With
 * OUTPUT_SPARE the first one locked (a spare, a killed build's, an old
 * site) is kept instead, locked, as *keep in *keepfd, for the build to
 * rewrite in place. */
static int sweep(struct output *o, int dir_exists, char **keep, int *keepfd)
{
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fd, lfd, error = 0;

	if ((fd = openat(o->parentfd, ".", O_RDONLY | O_DIRECTORY |
			 O_CLOEXEC)) < 0)
		return io_error(o->parent, NULL, NULL);
	if (!(d = fdopendir(fd))) {
		error = io_error(o->parent, NULL, NULL);
		close(fd);
		return error;
	}
	for (;;) {
		errno = 0;
		if (!(e = readdir(d))) {
			if (errno)
				error = io_error(o->parent, NULL, NULL);
			break;
		}
		if (!is_ours(o, e->d_name, TMP_TAG) &&
		    !is_ours(o, e->d_name, SPARE_TAG) &&
		    !(dir_exists && is_ours(o, e->d_name, OLD_TAG)))
			continue;
		if (fstatat(o->parentfd, e->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		if ((lfd = openat(o->parentfd, e->d_name, O_RDONLY |
				  O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			continue;
		if (flock(lfd, LOCK_EX | LOCK_NB) < 0) {
			close(lfd);
			continue;
		}
		if ((o->flags & OUTPUT_SPARE) && *keepfd < 0) {
			if (!(*keep = strdup(e->d_name))) {
				close(lfd);
				error = error_nomem();
				break;
			}
			*keepfd = lfd;
			continue;
		}
		error = remove_named(o, e->d_name);
		close(lfd);
		if (error < 0)
			break;
	}
	closedir(d);
	return error;
}

/* Splits dir into parent and last component. */
static int split_dir(struct output *o, const char *dir)
{
	size_t n = strlen(dir), slash;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	for (slash = n; slash > 0 && dir[slash - 1] != '/'; slash--)
		;
	if (n == slash || (n - slash == 1 && dir[slash] == '.') ||
	    (n - slash == 2 && dir[slash] == '.' && dir[slash + 1] == '.'))
		return error_set(ERR_USAGE, "output folder \"%s\" has no "
				 "last component to replace", dir);
	if (!(o->dir = dup_str(dir, n)) ||
	    !(o->name = dup_str(dir + slash, n - slash)) ||
	    !(o->parent = slash == 0 ? dup_str(".", 1) :
			  slash == 1 ? dup_str("/", 1) :
			  dup_str(dir, slash - 1)))
		return error_nomem();
	return 0;
}

/* 1 if DIR is a folder, 0 if absent, ERR_IO otherwise: a symbolic link
 * is refused even to a folder, since the swap would replace the link
 * and not what it points to, which is not what its owner meant. */
static int dir_state(const struct output *o)
{
	struct stat st;

	if (fstatat(o->parentfd, o->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : io_error(o->dir, NULL, NULL);
	if (!S_ISDIR(st.st_mode))
		return error_set(ERR_IO, "%s: exists and is not a folder (%s); "
				 "refusing to replace it", o->dir,
				 S_ISLNK(st.st_mode) ? "a symbolic link" :
				 S_ISREG(st.st_mode) ? "a file" : "a special file");
	return 1;
}

/* Renames the kept folder name (locked, open as fd) to the temporary
 * name with the same suffix and makes it the build's, to rewrite in
 * place.  0 if it was taken, 1 if not (then the caller makes a new one
 * and the folder stays for a later build). */
static int take_spare(struct output *o, char *name, int fd)
{
	char *tmp;

	if (!(tmp = strdup(name)))
		return error_nomem();
	memcpy(tmp + 1 + strlen(o->name), TMP_TAG, strlen(TMP_TAG));
	memmove(tmp + 1 + strlen(o->name) + strlen(TMP_TAG),
		name + strlen(name) - SUFFIX_LEN, SUFFIX_LEN + 1);
	if (strcmp(tmp, name) && renameat2(o->parentfd, name, o->parentfd,
					    tmp, RENAME_NOREPLACE) < 0) {
		free(tmp);
		return 1;
	}
	o->tmp = tmp;
	o->tmpfd = fd;
	o->reuse = 1;
	return 0;
}

/*
 * What a reused folder holds is listed by a forked process while the
 * build writes, so that the commit need not walk the whole tree (a
 * folder per page: at national size, seconds of getdents64 and opens)
 * but only check the list against the sets of what was written.  The
 * list has every entry, "d" or "f" (anything not a folder) then its
 * path and a NUL, in a memfd; the walker's exit status says whether it
 * is whole.  An entry made while it walks is either listed or one this
 * build made, and either way the sets know it.  Without a list (no
 * fork, a failed walk) the commit walks the tree itself.
 */
/* Whether the entry e of d is a folder (not following a link): 1 or 0,
 * or -1 with errno when it cannot be told (ENOENT: gone meanwhile). */
static int is_dir(DIR *d, const struct dirent *e)
{
	struct stat st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type == DT_DIR;
	if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	return S_ISDIR(st.st_mode);
}

static int walk_list(int dfd, struct buf *rel, struct buf *out, int depth)
{
	size_t len = rel->len;
	struct dirent *e;
	int fd, error = 0;
	DIR *d;

	if (!(d = fdopendir(dfd))) {
		close(dfd);
		return -1;
	}
	for (errno = 0; error >= 0 && (e = readdir(d)); errno = 0) {
		int isdir;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((isdir = is_dir(d, e)) < 0)
			continue; /* gone meanwhile */
		if ((error = buf_printf(rel, "%s%s", len ? "/" : "", e->d_name)) < 0 ||
		    (error = buf_putc(out, isdir ? 'd' : 'f')) < 0 ||
		    (error = buf_put(out, rel->ptr, rel->len + 1)) < 0)
			break;
		if (isdir) {
			if (depth >= MAX_DEPTH)
				error = -1;
			else if ((fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY |
					      O_NOFOLLOW | O_CLOEXEC)) >= 0)
				error = walk_list(fd, rel, out, depth + 1);
			else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
				error = -1; /* not replaced meanwhile: unreadable */
		}
		rel->len = len;
		rel->ptr[len] = '\0';
	}
	if (error >= 0 && errno)
		error = -1; /* readdir failed: the list is not whole */
	closedir(d);
	return error;
}

/* Forks a helper process that answers through a memfd: 1 in the child,
 * 0 in the parent (*pid 0 when none could be started: then the parent
 * does the work itself). */
static int start_child(const char *name, pid_t *pid, int *fd)
{
	pid_t parent = getpid();

	*pid = 0;
	if ((*fd = memfd_create(name, MFD_CLOEXEC)) < 0)
		return 0;
	fflush(NULL);
	if ((*pid = fork()) < 0) {
		*pid = 0;
		close(*fd);
		*fd = -1;
		return 0;
	}
	if (*pid > 0)
		return 0;
	prctl(PR_SET_NAME, name); /* for ps and top */
	/* dies with the parent; a parent already gone: nobody to answer */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	return 1;
}

/* In the child: sends out through fd and exits, 0 when ok and sent. */
static void child_answer(int fd, const struct buf *out, int ok)
{
	size_t off;
	ssize_t w;

	for (off = 0; ok && off < out->len; off += (size_t)w)
		if ((w = write(fd, out->ptr + off, out->len - off)) < 0 && errno != EINTR)
			ok = 0;
		else if (w < 0)
			w = 0;
	_exit(ok ? 0 : 1);
}

static void start_walk(struct output *o)
{
	struct buf rel = BUF_INIT, out = BUF_INIT;
	int dfd, ok;

	if (!start_child("gongshi-walk", &o->walker, &o->walkfd))
		return;
	/* the walker: nothing of the parent's but its folder */
	ok = (dfd = openat(o->tmpfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0 &&
	     buf_grow(&rel, 256) >= 0 && (rel.ptr[0] = '\0', walk_list(dfd, &rel, &out, 0) >= 0);
	child_answer(o->walkfd, &out, ok);
}

/* Kills a helper process (the walker, the checker) that is still
 * running, and closes the pipe it answers through. */
static void stop_child(pid_t *pid, int *fd)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (*fd >= 0)
		close(*fd);
	*pid = 0;
	*fd = -1;
}

/* Kills a walker that is still running, and forgets its list. */
static void stop_walk(struct output *o)
{
	stop_child(&o->walker, &o->walkfd);
}

/*
 * The flusher: a thread that has the folder written back while the build
 * writes into it.  Linux starts writing dirty pages back after 30
 * seconds, or once a tenth of memory is dirty, so the files of a site
 * built in seconds would all wait for commit's syncfs(), with nothing
 * left to compute meanwhile (2.3 s at the benchmark's size M); written
 * back every half second as they come, they reach the disk while later
 * pages render, and commit has little left to wait for.  A thread, not a
 * process: a forked one would hold the folder's flock() (its descriptor
 * is shared across fork) for a moment after a killed build, and the next
 * build would not take or remove the folder.  Started after the build's
 * last fork (output.h): a process forked while another thread runs may
 * find a lock that thread held (a sanitizer's allocator did: a worker
 * hung in a test under ASan).
 */
#define FLUSH_EVERY_NS 500000000L

static void *flush_loop(void *arg)
{
	const struct timespec t = { 0, FLUSH_EVERY_NS };
	int fd = *(const int *)arg;

	while (syncfs(fd) == 0)
		nanosleep(&t, NULL); /* a cancellation point: stop_flush() */
	return NULL;
}

void output_flush(struct output *o)
{
	if (o->flushing || o->tmpfd < 0)
		return;
	o->flushing = pthread_create(&o->flusher, NULL, flush_loop, &o->tmpfd) == 0;
	if (o->flushing)
		pthread_setname_np(o->flusher, "gongshi-flush"); /* for top -H */
}

static void stop_flush(struct output *o)
{
	if (o->flushing) {
		pthread_cancel(o->flusher);
		pthread_join(o->flusher, NULL);
	}
	o->flushing = 0;
}

static int lock_dir(struct output *o);
static int own_dir(struct output *o);
static void stop_check(struct output *o);

int output_open(struct output *o, const char *dir)
{
	struct buf path = BUF_INIT;
	char *keep = NULL, *slash;
	int keepfd = -1, state, error;
	mode_t mask;

	if (o->dir)
		return error_set(ERR_INVALID, "output already open for %s", o->dir);
	if ((error = split_dir(o, dir)) < 0)
		goto fail;
	if ((o->parentfd = open(o->parent, O_RDONLY | O_DIRECTORY |
				O_CLOEXEC)) < 0) {
		error = io_error(o->parent, NULL, NULL);
		goto fail;
	}
	if ((error = lock_dir(o)) < 0 || (error = state = dir_state(o)) < 0 ||
	    (state && (error = own_dir(o)) < 0) ||
	    (error = sweep(o, state, &keep, &keepfd)) < 0)
		goto fail;
	if (keepfd >= 0) {
		if ((error = take_spare(o, keep, keepfd)) < 0)
			goto fail;
		if (error > 0)
			close(keepfd);
		keepfd = -1;
	}
	if (!o->tmp) {
		if ((error = buf_printf(&path, "%s/.%s" TMP_TAG "XXXXXX",
					o->parent, o->name)) < 0)
			goto fail;
		if (!mkdtemp(path.ptr)) {
			error = io_error(path.ptr, NULL, NULL);
			goto fail;
		}
		slash = strrchr(path.ptr, '/');
		if (!(o->tmp = strdup(slash + 1))) {
			error = error_nomem();
			rmdir(path.ptr);
			goto fail;
		}
		if ((o->tmpfd = openat(o->parentfd, o->tmp, O_RDONLY |
				       O_DIRECTORY | O_NOFOLLOW |
				       O_CLOEXEC)) < 0 ||
		    flock(o->tmpfd, LOCK_EX | LOCK_NB) < 0) {
			error = io_error(path.ptr, NULL, NULL);
			goto fail;
		}
	}
	if (o->reuse)
		start_walk(o);
	/* mkdtemp makes the folder 0700, but it becomes DIR. */
	mask = umask(0);
	umask(mask);
	o->mask = (unsigned)mask;
	if (fchmod(o->tmpfd, 0755 & ~mask) < 0) {
		error = io_error(o->parent, o->tmp, NULL);
		goto fail;
	}
	free(keep);
	buf_release(&path);
	return 0;
fail:
	if (keepfd >= 0)
		close(keepfd);
	free(keep);
	buf_release(&path);
	output_release(o);
	return error;
}

static int ready(const struct output *o)
{
	if (!o->tmp || o->committed)
		return error_set(ERR_INVALID, "output is not open for writing");
	return 0;
}

static size_t hash_path(const char *s, size_t n)
{
	return (size_t)hash_bytes(s, n);
}

/*
 * The sets of folders and of files written are open-addressing hash
 * sets of indexes into o->dirs and o->files (a slot is 0 when empty,
 * else the index plus 1), kept at most half full so that a lookup takes
 * a probe or two.  name() gives the path an index stands for.
 */
typedef const char *(*path_of)(const struct output *o, size_t k);

static const char *dir_path(const struct output *o, size_t k)
{
	return o->dirs[k];
}

static const char *file_path(const struct output *o, size_t k)
{
	return o->files[k].path;
}

/* The index of s[0..n) in the set plus 1, or 0 if it is not there. */
static size_t set_find(const struct output *o, const size_t *set, size_t cap,
		       path_of name, const char *s, size_t n)
{
	size_t i, mask = cap - 1;
	const char *p;

	if (!cap)
		return 0;
	for (i = hash_path(s, n) & mask; set[i]; i = (i + 1) & mask) {
		p = name(o, set[i] - 1);
		if (!strncmp(p, s, n) && !p[n])
			return set[i];
	}
	return 0;
}

static int set_has(const struct output *o, const size_t *set, size_t cap,
		   path_of name, const char *s, size_t n)
{
	return set_find(o, set, cap, name, s, n) != 0;
}

static void set_put(const struct output *o, size_t *set, size_t cap,
		    path_of name, size_t k)
{
	size_t i, mask = cap - 1;
	const char *p = name(o, k);

	for (i = hash_path(p, strlen(p)) & mask; set[i]; i = (i + 1) & mask)
		;
	set[i] = k + 1;
}

/* Adds index k, making room first: indexes below k are in the set. */
static int set_add(const struct output *o, size_t **set, size_t *cap,
		   path_of name, size_t k)
{
	size_t *v, n, i;

	if (2 * (k + 1) > *cap) {
		n = *cap ? *cap * 2 : 128;
		if (!(v = calloc(n, sizeof(*v))))
			return error_nomem();
		free(*set);
		*set = v;
		*cap = n;
		for (i = 0; i < k; i++)
			set_put(o, *set, *cap, name, i);
	}
	set_put(o, *set, *cap, name, k);
	return 0;
}

/* Whether this build created (or, reusing a folder, kept) the folder
 * s[0..n). */
static int dir_known(const struct output *o, const char *s, size_t n)
{
	return set_has(o, o->dirset, o->capdirset, dir_path, s, n);
}

/* Whether this build wrote the file s[0..n) (reused folders only: a new
 * one has O_EXCL for that). */
static int file_known(const struct output *o, const char *s, size_t n)
{
	return set_has(o, o->fileset, o->capfileset, file_path, s, n);
}

/* Records the folder d (taken) as created. */
static int add_dir(struct output *o, char *d)
{
	char **v;
	int error;

	if (!(v = array_grow(o->dirs, &o->capdirs, o->ndirs + 1, sizeof(*v)))) {
		free(d);
		return error_nomem();
	}
	o->dirs = v;
	o->dirs[o->ndirs] = d;
	if ((error = set_add(o, &o->dirset, &o->capdirset, dir_path,
			     o->ndirs)) < 0) {
		free(d);
		return error;
	}
	o->ndirs++;
	return 0;
}

/* Records files[nfiles] (about to be counted) in the set. */
static int add_file(struct output *o)
{
	return set_add(o, &o->fileset, &o->capfileset, file_path, o->nfiles);
}

/* ---- one build per DIR ---- */

/* Takes ".DIR.lock" in DIR's parent (see output.h): at once, or with
 * OUTPUT_WAIT after the build holding it ends.  A record lock (fcntl),
 * not flock(): it is the process's, so a process the build forks (the
 * walker, a worker) never holds it after the build is gone, and
 * F_GETLK names the build that holds it. */
static int lock_dir(struct output *o)
{
	struct flock want = { .l_type = F_WRLCK, .l_whence = SEEK_SET }, held;
	struct buf name = BUF_INIT;
	int fd, error = 0;

	if ((error = buf_printf(&name, ".%s" LOCK_TAG, o->name)) < 0)
		return error;
	if ((fd = openat(o->parentfd, name.ptr, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0) {
		error = io_error(o->parent, name.ptr, NULL);
		goto done;
	}
	if (fcntl(fd, F_SETLK, &want) < 0) {
		if (errno != EACCES && errno != EAGAIN) {
			error = io_error(o->parent, name.ptr, NULL);
			goto done;
		}
		held = want;
		if (fcntl(fd, F_GETLK, &held) < 0 || held.l_type == F_UNLCK)
			held.l_pid = 0; /* let go meanwhile */
		if (!(o->flags & OUTPUT_WAIT)) {
			error = error_set(ERR_IO, "%s: another build (process %ld) is writing it; "
					  "try again when it ends", o->dir, (long)held.l_pid);
			goto done;
		}
		if (o->waiting)
			o->waiting(o->dir, (long)held.l_pid);
		while (fcntl(fd, F_SETLKW, &want) < 0)
			if (errno != EINTR) {
				error = io_error(o->parent, name.ptr, NULL);
				goto done;
			}
	}
	o->lockfd = fd;
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	buf_release(&name);
	return error;
}

/* ---- whose folder DIR is ---- */

struct output_sum {
	const char *path;           /* into o->sumtext */
	unsigned char sha256[32];
};

static const char *sum_path(const struct output *o, size_t k)
{
	return o->sums[k].path;
}

static int listed(const struct output *o, const char *s, size_t n)
{
	return set_has(o, o->sumset, o->capsumset, sum_path, s, n);
}

static void forget_sums(struct output *o)
{
	free(o->sumtext);
	free(o->sums);
	free(o->sumset);
	o->sumtext = NULL;
	o->sums = NULL;
	o->sumset = NULL;
	o->nsums = o->capsums = o->capsumset = 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Reads DIR's (dfd's) OUTPUT_SUMS into o->sums: 1 if it is there in the
 * form output_commit() writes (*ctime its status change), 0 if not. */
static int read_sums(struct output *o, int dfd, struct timespec *ctime)
{
	struct output_sum *v;
	struct stat st;
	char *p, *nl;
	size_t off = 0, k;
	ssize_t got;
	int fd, hi, lo, error = 0;

	if ((fd = openat(dfd, OUTPUT_SUMS, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		return errno == ENOENT || errno == ELOOP ? 0 : io_error(o->dir, OUTPUT_SUMS, NULL);
	if (fstat(fd, &st) < 0) {
		error = io_error(o->dir, OUTPUT_SUMS, NULL);
		goto done;
	}
	if (!S_ISREG(st.st_mode))
		goto done;
	*ctime = st.st_ctim;
	if (!(o->sumtext = malloc((size_t)st.st_size + 1))) {
		error = error_nomem();
		goto done;
	}
	for (; off < (size_t)st.st_size; off += (size_t)got)
		if ((got = read(fd, o->sumtext + off, (size_t)st.st_size - off)) <= 0) {
			if (got < 0 && errno == EINTR)
				got = 0;
			else if (got < 0) {
				error = io_error(o->dir, OUTPUT_SUMS, NULL);
				goto done;
			} else
				break;
		}
	o->sumtext[off] = '\0';
	for (p = o->sumtext; *p; p = nl + 1) {
		if (*p == '#' && (nl = strchr(p, '\n'))) /* a note (the log's head): sha256sum skips it */
			continue;
		if (!(nl = strchr(p, '\n')) || nl - p < 67 || p[64] != ' ' || p[65] != ' ')
			goto bad;
		if (!(v = array_grow(o->sums, &o->capsums, o->nsums + 1, sizeof(*v)))) {
			error = error_nomem();
			goto done;
		}
		o->sums = v;
		for (k = 0; k < 32; k++) {
			if ((hi = hex_digit(p[2 * k])) < 0 || (lo = hex_digit(p[2 * k + 1])) < 0)
				goto bad;
			o->sums[o->nsums].sha256[k] = (unsigned char)(hi << 4 | lo);
		}
		*nl = '\0';
		o->sums[o->nsums].path = p + 66;
		if ((error = set_add(o, &o->sumset, &o->capsumset, sum_path, o->nsums)) < 0)
			goto done;
		o->nsums++;
	}
	error = 1;
	goto done;
bad:
	error = 0;
done:
	close(fd);
	if (error <= 0)
		forget_sums(o);
	return error;
}

static void mark_digest(unsigned char d[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, strlen(MARK_TEXT), (const uint8_t *)MARK_TEXT);
	sha256_digest(&c, 32, d);
}

/* Whether OUTPUT_SUMS lists the marker with its contents, or (a site of
 * an earlier version) the publication log. */
static int has_mark(const struct output *o)
{
	unsigned char d[32];
	size_t k = set_find(o, o->sumset, o->capsumset, sum_path, OUTPUT_MARK, strlen(OUTPUT_MARK));

	mark_digest(d);
	if (k)
		return !memcmp(o->sums[k - 1].sha256, d, 32);
	return listed(o, "publication-log.json", 20);
}

/* Whether the folder dfd holds nothing. */
static int is_empty(const struct output *o, int dfd)
{
	struct dirent *e;
	DIR *d;
	int fd, error = 1;

	if ((fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return io_error(o->dir, NULL, NULL);
	if (!(d = fdopendir(fd))) {
		close(fd);
		return io_error(o->dir, NULL, NULL);
	}
	for (errno = 0; (e = readdir(d)); errno = 0)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			error = 0;
			break;
		}
	if (!e && errno)
		error = io_error(o->dir, NULL, NULL);
	closedir(d);
	return error;
}

/*
 * The checker: a process forked by output_open() that reads DIR while
 * the build writes, and lists in a memfd, as the walker does, each file
 * that the swap would discard and gongshi did not write: "n" (not
 * listed), "c" (changed: not its listed digest) or "o" (not a regular
 * file), then the path and a NUL.  It exits 0 when it read DIR whole.
 * A file whose status last changed no later than the checksums' was
 * written with them, and is not read (output.h).
 */
int output_file_sha256(int dfd, const char *name, unsigned char d[32])
{
	unsigned char chunk[CHUNK];
	struct sha256_ctx c;
	ssize_t n;
	int fd;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		return -1;
	sha256_init(&c);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		sha256_update(&c, (size_t)n, chunk);
	}
	close(fd);
	sha256_digest(&c, 32, d);
	return 0;
}

static int check_tree(const struct output *o, int dfd, struct buf *rel, struct buf *out,
		      const struct timespec *ref, int depth)
{
	size_t len = rel->len, k;
	unsigned char d[32];
	struct dirent *e;
	struct stat st;
	int fd, error = 0;
	char kind;
	DIR *dir;

	if (!(dir = fdopendir(dfd))) {
		close(dfd);
		return -1;
	}
	for (errno = 0; error >= 0 && (e = readdir(dir)); errno = 0) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			error = errno == ENOENT ? 0 : -1;
			continue;
		}
		if ((error = buf_printf(rel, "%s%s", len ? "/" : "", e->d_name)) < 0)
			break;
		kind = 0;
		if (S_ISDIR(st.st_mode)) {
			if (depth >= MAX_DEPTH || (fd = openat(dirfd(dir), e->d_name, O_RDONLY |
							       O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
				error = -1;
			else
				error = check_tree(o, fd, rel, out, ref, depth + 1);
		} else if (!len && !strcmp(e->d_name, OUTPUT_SUMS)) {
			;
		} else if (!S_ISREG(st.st_mode)) {
			kind = 'o';
		} else if (!listed(o, rel->ptr, rel->len)) {
			kind = 'n';
		} else if (st.st_ctim.tv_sec > ref->tv_sec ||
			   (st.st_ctim.tv_sec == ref->tv_sec && st.st_ctim.tv_nsec > ref->tv_nsec)) {
			k = set_find(o, o->sumset, o->capsumset, sum_path, rel->ptr, rel->len) - 1;
			if (output_file_sha256(dirfd(dir), e->d_name, d) < 0)
				error = -1;
			else if (memcmp(o->sums[k].sha256, d, 32))
				kind = 'c';
		}
		if (kind && (error = buf_putc(out, kind)) >= 0)
			error = buf_put(out, rel->ptr, rel->len + 1);
		rel->len = len;
		rel->ptr[len] = '\0';
	}
	if (error >= 0 && errno)
		error = -1;
	closedir(dir);
	return error;
}

/* The whole of the memfd fd, in out. */
static int read_memfd(int fd, struct buf *out)
{
	struct stat st;
	ssize_t got;
	size_t off;
	int error;

	if (fstat(fd, &st) < 0)
		return error_set(ERR_IO, "memfd: %s", strerror(errno));
	if ((error = buf_grow(out, (size_t)st.st_size)) < 0)
		return error;
	for (off = 0; off < (size_t)st.st_size; off += (size_t)got)
		if ((got = pread(fd, out->ptr + off, (size_t)st.st_size - off, (off_t)off)) <= 0) {
			if (got < 0 && errno == EINTR)
				got = 0;
			else
				return error_set(ERR_IO, "memfd: %s", got ? strerror(errno) : "cut short");
		}
	out->len = off;
	out->ptr[off] = '\0';
	return 0;
}

static void start_check(struct output *o, int dfd, const struct timespec *ref)
{
	struct buf rel = BUF_INIT, out = BUF_INIT;

	if (!start_child("gongshi-check", &o->checker, &o->checkfd))
		return;
	child_answer(o->checkfd, &out, buf_grow(&rel, 256) >= 0 &&
		     (rel.ptr[0] = '\0', check_tree(o, dfd, &rel, &out, ref, 0) >= 0));
}

static void stop_check(struct output *o)
{
	stop_child(&o->checker, &o->checkfd);
}

/* Whether DIR, a folder, may be replaced: empty, or a site gongshi wrote
 * (then the checker is started, unless OUTPUT_DISCARD). */
static int own_dir(struct output *o)
{
	struct timespec ref;
	int dfd, error;

	if ((dfd = openat(o->parentfd, o->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return io_error(o->dir, NULL, NULL);
	if ((error = is_empty(o, dfd)) != 0 || (error = read_sums(o, dfd, &ref)) < 0)
		goto done;
	if (!error || !has_mark(o)) {
		error = error_set(ERR_IO, "%s: not empty, and not a site gongshi wrote (no %s listing %s); "
				  "refusing to replace it, which would discard what it holds.  Build into a new "
				  "or empty folder", o->dir, OUTPUT_SUMS, OUTPUT_MARK);
		goto done;
	}
	error = 0;
	if (!(o->flags & OUTPUT_DISCARD)) {
		start_check(o, dfd, &ref); /* takes dfd in the child */
		if (!o->checker) /* no fork: check now */
			error = error_set(ERR_IO, "%s: cannot check what it holds: %s", o->dir,
					  strerror(errno));
		/* Files of DIR are linked into the new site only while the
		 * checker vouches for them (see output_write()). */
		else if ((o->curfd = fcntl(dfd, F_DUPFD_CLOEXEC, 0)) < 0)
			error = io_error(o->dir, NULL, NULL);
	}
done:
	if (error > 0)
		error = 0;
	close(dfd);
	if (error < 0) /* else kept: what changed is told against them */
		forget_sums(o);
	return error;
}

/* What the checker found: ERR_IO naming the first few files, or 0. */
static int check_result(struct output *o)
{
	static const char *const why[] = { "not written by gongshi", "changed since gongshi wrote it",
					   "not a regular file" };
	struct buf msg = BUF_INIT, list = BUF_INIT;
	const char *p, *end, *nul;
	size_t count = 0;
	int status, error = 0;

	if (o->refused)
		return error_set(ERR_IO, "%s: holds files gongshi did not write; not replaced", o->dir);
	if (o->checker <= 0)
		return 0;
	while (waitpid(o->checker, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	o->checker = 0;
	if (status != 0) {
		error = error_set(ERR_IO, "%s: could not read all it holds, to check that gongshi wrote it", o->dir);
		goto done;
	}
	if ((error = read_memfd(o->checkfd, &list)) < 0)
		goto done;
	for (p = list.ptr, end = p + list.len; list.len && p < end &&
	     (nul = memchr(p, '\0', (size_t)(end - p))); p = nul + 1, count++)
		if (o->forgive && *p != 'o' && !strcmp(p + 1, o->forgive))
			count--;
		else if (count < 5 && ((error = buf_puts(&msg, "\n  ")) < 0 ||
				  (error = buf_put_quoted(&msg, p + 1, 200)) < 0 ||
				  (error = buf_printf(&msg, " (%s)", why[*p == 'n' ? 0 : *p == 'c' ? 1 : 2])) < 0))
			goto done;
	if (count) {
		o->refused = 1;
		error = error_set(ERR_IO, "%s holds %zu file%s that gongshi did not write, or that changed "
				  "since it wrote %s:%s%s\nA build replaces the whole folder: move %s out of it, "
				  "or build with --discard-foreign to discard %s", o->dir, count,
				  count == 1 ? "" : "s", count == 1 ? "it" : "them", buf_cstr(&msg),
				  count > 5 ? "\n  ..." : "", count == 1 ? "it" : "them",
				  count == 1 ? "it" : "them");
	}
done:
	stop_check(o);
	buf_release(&msg);
	buf_release(&list);
	return error;
}

/* In a reused folder, makes the entry d, which exists, a folder of this
 * build: a folder stays (its mode as a new one's), anything else is
 * stale unless this build wrote it, and is replaced by a folder. */
static int claim_dir(struct output *o, const char *d, const char *path)
{
	struct stat st;

	if (fstatat(o->tmpfd, d, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return io_error(o->parent, o->tmp, d);
	if (S_ISDIR(st.st_mode)) {
		if ((st.st_mode & 07777) != (0755 & ~o->mask) &&
		    fchmodat(o->tmpfd, d, 0755 & ~o->mask, 0) < 0)
			return io_error(o->parent, o->tmp, d);
		return 0;
	}
	if (file_known(o, d, strlen(d)))
		return bad_path(path, "needs a written file as a folder");
	if (unlinkat(o->tmpfd, d, 0) < 0 || mkdirat(o->tmpfd, d, 0755) < 0)
		return io_error(o->parent, o->tmp, d);
	return 0;
}

/* Creates the folders of path that this build has not created yet:
 * each mkdirat is a system call, and a site has as many folders as
 * pages, so the ones known are never asked for again. */
static int make_parents(struct output *o, const char *path)
{
	char *copy, *p, *start, *d;
	int error = 0;

	if (!(copy = strdup(path)))
		return error_nomem();
	/* the deepest folder known: everything above it exists */
	for (start = strrchr(copy, '/'); start && !dir_known(o, copy,
							       (size_t)(start - copy));) {
		for (p = start; p > copy && p[-1] != '/'; p--)
			;
		start = p > copy ? p - 1 : NULL;
	}
	for (p = start ? start + 1 : copy; (p = strchr(p, '/')); *p++ = '/') {
		*p = '\0';
		if (mkdirat(o->tmpfd, copy, 0755) < 0) {
			if (errno == EEXIST && !o->reuse)
				continue;
			if (errno == EEXIST)
				error = claim_dir(o, copy, path);
			else
				error = errno == ENOTDIR ?
					bad_path(path, "needs a written file as a folder") :
					io_error(o->parent, o->tmp, copy);
			if (error < 0)
				break;
		}
		if (!(d = strdup(copy))) {
			error = error_nomem();
			break;
		}
		if ((error = add_dir(o, d)) < 0)
			break;
	}
	free(copy);
	return error;
}

/* Removes the stale entry rel (a file, link or folder not written by
 * this build) from the temporary folder. */
static int remove_stale(struct output *o, int dfd, const char *dir,
			const char *name)
{
	struct buf shown = BUF_INIT;
	int error;

	if ((error = buf_printf(&shown, "%s/%s%s%s", o->parent, o->tmp,
				*dir ? "/" : "", dir)) >= 0)
		error = remove_tree(dfd, name, &shown, 0);
	buf_release(&shown);
	return error;
}

/* Opens path in a reused folder for writing: a regular file of its own
 * (one link: a hard link made by "cp -al" must not change its twin) is
 * overwritten in place, which spares the file system a free and an
 * allocation per file; anything else stale is replaced. */
static int reopen(struct output *o, const char *path, int *fdp)
{
	struct stat st;
	int fd, error;

	o->prev_size = -1;
	if (fstatat(o->tmpfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return io_error(o->parent, o->tmp, path);
	} else if (S_ISDIR(st.st_mode)) {
		if (dir_known(o, path, strlen(path)))
			return bad_path(path, "is already a folder");
		if ((error = remove_stale(o, o->tmpfd, "", path)) < 0)
			return error;
	} else {
		if (S_ISREG(st.st_mode) && st.st_nlink == 1 &&
		    (fd = openat(o->tmpfd, path, O_WRONLY | O_NOFOLLOW |
				 O_NONBLOCK | O_CLOEXEC)) >= 0) {
			if ((st.st_mode & 07777) != (0644 & ~o->mask) &&
			    fchmod(fd, 0644 & ~o->mask) < 0) {
				close(fd);
				return io_error(o->parent, o->tmp, path);
			}
			o->prev_size = (int64_t)st.st_size;
			*fdp = fd;
			return 0;
		}
		if (unlinkat(o->tmpfd, path, 0) < 0 && errno != ENOENT)
			return io_error(o->parent, o->tmp, path);
	}
	if ((fd = openat(o->tmpfd, path, O_WRONLY | O_CREAT | O_EXCL |
			 O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		return io_error(o->parent, o->tmp, path);
	*fdp = fd;
	return 0;
}

/* Checks path and makes room to record it, then creates the file: so
 * that no failure leaves a file behind that is not recorded. */
/* Makes room for files[nfiles]. */
static int grow_files(struct output *o)
{
	struct output_file *v;

	if (!(v = array_grow(o->files, &o->capfiles, o->nfiles + 1, sizeof(*v))))
		return error_nomem();
	o->files = v;
	return 0;
}

static int begin_file(struct output *o, const char *path, int *fdp)
{
	const char *slash;
	struct stat st;
	int fd, error;

	if ((error = ready(o)) < 0 || (error = check_path(path)) < 0 ||
	    (error = grow_files(o)) < 0)
		return error;
	memset(&o->files[o->nfiles], 0, sizeof(o->files[0]));
	if (!(o->files[o->nfiles].path = strdup(path)))
		return error_nomem();
	if (o->reuse && file_known(o, path, strlen(path))) {
		error = bad_path(path, "was written twice");
		goto fail;
	}
	slash = strrchr(path, '/');
	if (slash && !dir_known(o, path, (size_t)(slash - path)) &&
	    (error = make_parents(o, path)) < 0)
		goto fail;
	if (o->reuse) {
		if ((error = reopen(o, path, fdp)) < 0)
			goto fail;
		return 0;
	}
	/* O_EXCL makes the file system itself the set of paths written. */
	fd = openat(o->tmpfd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT) {
		if ((error = make_parents(o, path)) < 0)
			goto fail;
		fd = openat(o->tmpfd, path, O_WRONLY | O_CREAT | O_EXCL |
			    O_NOFOLLOW | O_CLOEXEC, 0644);
	}
	if (fd < 0) {
		if (errno == EEXIST)
			error = fstatat(o->tmpfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				S_ISDIR(st.st_mode) ?
				bad_path(path, "is already a folder") :
				bad_path(path, "was written twice");
		else if (errno == ENOTDIR)
			error = bad_path(path, "needs a written file as a folder");
		else
			error = io_error(o->parent, o->tmp, path);
		goto fail;
	}
	*fdp = fd;
	return 0;
fail:
	if (error == ERR_IO)
		o->broken = 1; /* ENOSPC for a folder or an inode */
	free(o->files[o->nfiles].path);
	o->files[o->nfiles].path = NULL;
	return error;
}

int output_mkdir(struct output *o, const char *path)
{
	struct buf b = BUF_INIT;
	int error;

	if ((error = ready(o)) < 0 || (error = check_path(path)) < 0)
		return error;
	if (dir_known(o, path, strlen(path)))
		return 0;
	/* make_parents() makes the folders above a file: name one inside */
	if ((error = buf_printf(&b, "%s/x", path)) >= 0)
		error = make_parents(o, buf_cstr(&b));
	buf_release(&b);
	return error;
}

static int put_chunk(struct output *o, int fd, const char *path,
		     struct sha256_ctx *ctx, const void *data, size_t len)
{
	if (write_all(fd, data, len) < 0) {
		o->broken = 1;
		return io_error(o->parent, o->tmp, path);
	}
	if (len)
		sha256_update(ctx, len, data);
	o->files[o->nfiles].size += len;
	return 0;
}

/* Closes the file begun last and records it, or on error (< 0) marks
 * the build broken: the half-written file stays in the temporary
 * folder, which output_abort() removes. */
static int end_file(struct output *o, int fd, const char *path,
		    struct sha256_ctx *ctx, int error)
{
	struct output_file *f = &o->files[o->nfiles];

	/* A file overwritten in place keeps its old tail unless cut. */
	if (error >= 0 && o->reuse && o->prev_size > (int64_t)f->size &&
	    ftruncate(fd, (off_t)f->size) < 0)
		error = io_error(o->parent, o->tmp, path);
	if (close(fd) < 0 && error >= 0)
		error = io_error(o->parent, o->tmp, path);
	if (error >= 0 && o->reuse)
		error = add_file(o);
	if (error < 0) {
		o->broken = 1;
		free(f->path);
		f->path = NULL;
		return error;
	}
	sha256_digest(ctx, sizeof(f->sha256), f->sha256);
	o->bytes += f->size;
	o->nfiles++;
	return 0;
}

/* Whether DIR's OUTPUT_SUMS lists path with digest d: the file is the
 * same as the current site's. */
static int same_as_current(const struct output *o, const char *path, const unsigned char d[32])
{
	size_t k = o->nsums ? set_find(o, o->sumset, o->capsumset, sum_path, path, strlen(path)) : 0;

	return k && !memcmp(o->sums[k - 1].sha256, d, 32);
}

/*
 * Gives the new site DIR's own file path, whose bytes (len, digest d)
 * are those the build would write: linked, so that its inode and mtime
 * stay and a copy by rsync's quick check skips it.  1 if it cannot be
 * linked (not a regular file of that size, another file system, too
 * many links...): the caller writes it.  In a spare, the spare's old
 * file is removed first, never written through: DIR's file has two
 * links from now on, and the spare rewrites in place only files with
 * one.
 */
static int link_current(struct output *o, const char *path, size_t len, const unsigned char d[32])
{
	struct output_file *f;
	const char *slash;
	struct stat st;
	int error;

	if (o->curfd < 0 || fstatat(o->curfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(st.st_mode) || (uint64_t)st.st_size != len)
		return 1;
	if ((error = grow_files(o)) < 0)
		return error;
	f = &o->files[o->nfiles];
	memset(f, 0, sizeof(*f));
	if (o->reuse && file_known(o, path, strlen(path)))
		return bad_path(path, "was written twice");
	slash = strrchr(path, '/');
	if (slash && !dir_known(o, path, (size_t)(slash - path)) && (error = make_parents(o, path)) < 0)
		return error;
	if (o->reuse && unlinkat(o->tmpfd, path, 0) < 0 && errno != ENOENT)
		return 1; /* a folder, say: begin_file() replaces it */
	if (linkat(o->curfd, path, o->tmpfd, path, 0) < 0) {
		if (errno == EEXIST)
			return bad_path(path, "was written twice");
		return 1;
	}
	if (!(f->path = strdup(path)))
		return error_nomem(); /* the link stays: the folder is removed or pruned */
	if (o->reuse && (error = add_file(o)) < 0) {
		free(f->path);
		f->path = NULL;
		return error;
	}
	f->size = len;
	memcpy(f->sha256, d, 32);
	o->bytes += len;
	o->nfiles++;
	return 0;
}

int output_write(struct output *o, const char *path, const void *data,
		 size_t len)
{
	struct sha256_ctx ctx;
	unsigned char d[32];
	int fd = -1, error;

	if ((error = ready(o)) < 0 || (error = check_path(path)) < 0)
		return error;
	if (o->nsums && o->curfd >= 0) {
		sha256_init(&ctx);
		sha256_update(&ctx, len, data);
		sha256_digest(&ctx, 32, d);
		if (same_as_current(o, path, d) && (error = link_current(o, path, len, d)) <= 0)
			return error;
	}
	if ((error = begin_file(o, path, &fd)) < 0)
		return error;
	sha256_init(&ctx);
	error = put_chunk(o, fd, path, &ctx, data, len);
	return end_file(o, fd, path, &ctx, error);
}

int output_copy_file(struct output *o, const char *path, const char *src)
{
	struct sha256_ctx ctx;
	unsigned char *chunk;
	int fd = -1, in, error;
	ssize_t n;

	if ((error = ready(o)) < 0 || (error = check_path(path)) < 0)
		return error;
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return io_error(src, NULL, NULL);
	if (o->nsums && o->curfd >= 0) { /* whole, so that an unchanged one is linked */
		struct buf whole = BUF_INIT;
		for (;;) {
			if ((error = buf_grow(&whole, CHUNK)) < 0)
				break;
			if ((n = read(in, whole.ptr + whole.len, CHUNK)) < 0) {
				if (errno == EINTR)
					continue;
				error = io_error(src, NULL, NULL);
				break;
			}
			if (!n)
				break;
			whole.len += (size_t)n;
		}
		if (error >= 0)
			error = output_write(o, path, whole.ptr, whole.len);
		buf_release(&whole);
		close(in);
		return error;
	}
	if (!(chunk = malloc(CHUNK))) {
		close(in);
		return error_nomem();
	}
	if ((error = begin_file(o, path, &fd)) < 0)
		goto done;
	sha256_init(&ctx);
	for (;;) {
		if ((n = read(in, chunk, CHUNK)) < 0) {
			if (errno == EINTR)
				continue;
			error = io_error(src, NULL, NULL);
			break;
		}
		if (!n || (error = put_chunk(o, fd, path, &ctx, chunk,
					     (size_t)n)) < 0)
			break;
	}
	error = end_file(o, fd, path, &ctx, error);
done:
	free(chunk);
	close(in);
	return error;
}

/* A file of the current site is read only through real folders: the
 * site is ours, and a link in it is not. */
static int not_followed(const struct output *o, const char *path)
{
	return error_set(ERR_IO, "%s/%s: a symbolic link or not a folder; "
			 "not followed", o->dir, path);
}

/* Opens path in DIR, each segment with O_NOFOLLOW; 1 if absent. */
static int open_current(const struct output *o, const char *path, int *fdp)
{
	char *copy, *seg, *slash;
	struct stat st;
	int dfd, fd, error = 0;

	if ((dfd = openat(o->parentfd, o->name, O_RDONLY | O_DIRECTORY |
			  O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 1;
		if (errno == ELOOP || errno == ENOTDIR)
			return dir_state(o) < 0 ? ERR_IO :
			       error_set(ERR_IO, "%s: not a folder", o->dir);
		return io_error(o->dir, NULL, NULL);
	}
	if (!(copy = strdup(path))) {
		close(dfd);
		return error_nomem();
	}
	for (seg = copy; (slash = strchr(seg, '/')); seg = slash + 1) {
		*slash = '\0';
		fd = openat(dfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC);
		if (fd < 0) {
			/* With O_DIRECTORY, Linux says ENOTDIR for a link too. */
			if (errno == ENOENT || (errno == ENOTDIR &&
			    fstatat(dfd, seg, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    !S_ISLNK(st.st_mode)))
				error = 1;
			else if (errno == ENOTDIR || errno == ELOOP)
				error = not_followed(o, copy);
			else
				error = io_error(o->dir, copy, NULL);
			goto done;
		}
		close(dfd);
		dfd = fd;
		*slash = '/';
	}
	if ((fd = openat(dfd, seg, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		error = errno == ENOENT ? 1 : errno == ELOOP ?
			not_followed(o, path) : io_error(o->dir, path, NULL);
	else
		*fdp = fd;
done:
	close(dfd);
	free(copy);
	return error;
}

static int read_current(const struct output *o, const char *path, struct buf *out)
{
	size_t old = out->len;
	struct stat st;
	int fd = -1, error;
	ssize_t n;

	if (o->parentfd < 0)
		return error_set(ERR_INVALID, "output is not open");
	if ((error = open_current(o, path, &fd)) != 0)
		return error;
	if (fstat(fd, &st) < 0) {
		error = io_error(o->dir, path, NULL);
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		error = error_set(ERR_IO, "%s/%s: not a regular file", o->dir, path);
		goto done;
	}
	for (;;) {
		if ((error = buf_grow(out, CHUNK)) < 0)
			break;
		if ((n = read(fd, out->ptr + out->len, CHUNK)) < 0) {
			if (errno == EINTR)
				continue;
			error = io_error(o->dir, path, NULL);
			break;
		}
		if (!n)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
	}
	if (error < 0 && out->ptr) {
		out->len = old;
		out->ptr[old] = '\0';
	}
done:
	close(fd);
	return error;
}

int output_read_current(const struct output *o, const char *path,
			struct buf *out)
{
	int error = check_path(path);

	return error < 0 ? error : read_current(o, path, out);
}

int output_read_sums(const struct output *o, struct buf *out)
{
	return read_current(o, OUTPUT_SUMS, out);
}

/* Removes from a reused folder whatever this build did not write: dfd
 * (taken) is the folder rel ("" for the root). */
static int prune(struct output *o, int dfd, struct buf *rel, int depth)
{
	size_t len = rel->len;
	struct dirent *e;
	int fd, isdir, error = 0;
	DIR *d;

	if (!(d = fdopendir(dfd))) {
		error = io_error(o->parent, o->tmp, buf_cstr(rel));
		close(dfd);
		return error;
	}
	for (;;) {
		errno = 0;
		if (!(e = readdir(d))) {
			if (errno)
				error = io_error(o->parent, o->tmp, buf_cstr(rel));
			break;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((isdir = is_dir(d, e)) < 0) {
			if (errno == ENOENT)
				continue;
			error = io_error(o->parent, o->tmp, e->d_name);
			break;
		}
		if ((error = buf_printf(rel, "%s%s", len ? "/" : "",
					e->d_name)) < 0)
			break;
		if (isdir && dir_known(o, rel->ptr, rel->len)) {
			if (depth >= MAX_DEPTH) {
				error = error_set(ERR_LIMIT, "%s/%s/%s: more "
						  "than %d folders deep", o->parent,
						  o->tmp, rel->ptr, MAX_DEPTH);
				break;
			}
			if ((fd = openat(dirfd(d), e->d_name, O_RDONLY |
					 O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC)) < 0) {
				error = io_error(o->parent, o->tmp, rel->ptr);
				break;
			}
			error = prune(o, fd, rel, depth + 1);
		} else if (!(!isdir && (file_known(o, rel->ptr, rel->len) ||
					(!len && is_own_root_file(rel->ptr, rel->len))))) {
			rel->len = len;
			rel->ptr[len] = '\0';
			error = remove_stale(o, dirfd(d), rel->ptr, e->d_name);
		}
		rel->len = len;
		rel->ptr[len] = '\0';
		if (error < 0)
			break;
	}
	closedir(d);
	return error;
}

/* Where a reused folder's files are: after the writes, before the sort
 * that would stale the set of files. */
/* Removes the stale entry path of the temporary folder, reached
 * without following a link (the walker listed it under real folders,
 * but one may have been replaced since).  Gone already: nothing to do. */
static int remove_listed(struct output *o, char *path)
{
	struct buf shown = BUF_INIT;
	char *name = path, *slash;
	int dfd = o->tmpfd, fd, error = 0;

	while ((slash = strchr(name, '/'))) {
		*slash = '\0';
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		*slash = '/';
		if (dfd != o->tmpfd)
			close(dfd);
		if (fd < 0)
			return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? 0 :
			       io_error(o->parent, o->tmp, path);
		dfd = fd;
		name = slash + 1;
	}
	if ((error = buf_printf(&shown, "%s/%s%s%.*s", o->parent, o->tmp, name > path ? "/" : "",
				name > path ? (int)(name - path - 1) : 0, path)) >= 0)
		error = remove_tree(dfd, name, &shown, 0);
	if (dfd != o->tmpfd)
		close(dfd);
	buf_release(&shown);
	return error;
}

/* Removes what the walker listed that this build did not write.  1 if
 * there is no whole list to go by (what it removed was stale all the
 * same). */
static int prune_listed(struct output *o)
{
	struct stat st;
	char *list = NULL, *p, *end, *nul;
	ssize_t got;
	size_t off, n;
	int status, error = 1;

	if (o->walker <= 0)
		return 1;
	while (waitpid(o->walker, &status, 0) < 0)
		if (errno != EINTR) {
			o->walker = 0;
			goto done;
		}
	o->walker = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || fstat(o->walkfd, &st) < 0 ||
	    !(list = malloc((size_t)st.st_size + 1)))
		goto done;
	for (off = 0; off < (size_t)st.st_size; off += (size_t)got)
		if ((got = pread(o->walkfd, list + off, (size_t)st.st_size - off, (off_t)off)) <= 0) {
			if (got < 0 && errno == EINTR)
				got = 0;
			else
				goto done;
		}
	end = list + st.st_size;
	error = 0;
	/* folders come before what they hold: a stale one goes whole, and
	 * what it held is gone by the time its turn comes */
	for (p = list; p < end && error == 0; p = nul + 1) {
		if ((*p != 'd' && *p != 'f') || !(nul = memchr(p + 1, '\0', (size_t)(end - p - 1)))) {
			error = 1;
			break;
		}
		n = (size_t)(nul - p - 1);
		if (dir_known(o, p + 1, n) || file_known(o, p + 1, n) ||
		    (*p == 'f' && is_own_root_file(p + 1, n)))
			continue;
		error = remove_listed(o, p + 1);
	}
done:
	free(list);
	close(o->walkfd);
	o->walkfd = -1;
	return error;
}

static int prune_reused(struct output *o)
{
	struct buf rel = BUF_INIT;
	int fd, error;

	if (!o->reuse)
		return 0;
	if ((error = prune_listed(o)) <= 0)
		return error;
	if ((fd = openat(o->tmpfd, ".", O_RDONLY | O_DIRECTORY |
			 O_CLOEXEC)) < 0)
		return io_error(o->parent, o->tmp, NULL);
	if ((error = buf_grow(&rel, 256)) >= 0) {
		rel.ptr[0] = '\0';
		error = prune(o, fd, &rel, 0);
	}
	else
		close(fd);
	buf_release(&rel);
	return error;
}

/* Renames the replaced site (or an aborted build's folder) name to
 * ".DIR.spare-" with its suffix, for the next build to rewrite; < 0
 * if it could not be. */
static int keep_spare(struct output *o, const char *name)
{
	struct buf spare = BUF_INIT;
	int error;

	if ((error = buf_printf(&spare, ".%s" SPARE_TAG "%s", o->name,
				name + strlen(name) - SUFFIX_LEN)) >= 0 &&
	    renameat2(o->parentfd, name, o->parentfd, spare.ptr,
		      RENAME_NOREPLACE) < 0)
		error = -1;
	buf_release(&spare);
	return error;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct output_file *)a)->path,
		      ((const struct output_file *)b)->path);
}

/* Writes the file name at the root of the temporary folder, after
 * removing whatever has the name: in a spare, it may be a "cp -al"
 * snapshot's twin, which must not change. */
static int put_root(struct output *o, const char *name, const char *data, size_t len)
{
	int fd, error;

	if ((error = remove_stale(o, o->tmpfd, "", name)) < 0)
		return error;
	if ((fd = openat(o->tmpfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			 O_CLOEXEC, 0644)) < 0)
		return io_error(o->parent, o->tmp, name);
	if (write_all(fd, (const unsigned char *)data, len) < 0 || fsync(fd) < 0)
		error = io_error(o->parent, o->tmp, name);
	if (close(fd) < 0 && error >= 0)
		error = io_error(o->parent, o->tmp, name);
	return error;
}

static int put_sum(struct buf *b, const unsigned char *sha, const char *path)
{
	static const char hex[] = "0123456789abcdef";
	size_t k;
	int error = 0;

	for (k = 0; k < 32 && error >= 0; k++)
		if ((error = buf_putc(b, hex[sha[k] >> 4])) >= 0)
			error = buf_putc(b, hex[sha[k] & 15]);
	return error < 0 ? error : buf_printf(b, "  %s\n", path);
}

/* Writes the marker, then the checksums of every file and the marker
 * (files[] sorted by path). */
static int write_sums(struct output *o)
{
	unsigned char mark[32];
	struct buf b = BUF_INIT;
	size_t i;
	int marked = 0, error;

	mark_digest(mark);
	if ((error = put_root(o, OUTPUT_MARK, MARK_TEXT, strlen(MARK_TEXT))) < 0 ||
	    (o->note && (error = buf_printf(&b, "# %s\n", o->note)) < 0))
		goto done;
	for (i = 0; i <= o->nfiles && error >= 0; i++) {
		if (!marked && (i == o->nfiles || strcmp(OUTPUT_MARK, o->files[i].path) < 0)) {
			marked = 1;
			error = put_sum(&b, mark, OUTPUT_MARK);
		}
		if (i < o->nfiles && error >= 0)
			error = put_sum(&b, o->files[i].sha256, o->files[i].path);
	}
	if (error >= 0)
		error = put_root(o, OUTPUT_SUMS, buf_cstr(&b), b.len);
done:
	buf_release(&b);
	return error;
}

static int sync_at(const struct output *o, const char *path, int flags)
{
	int fd, error = 0;

	if ((fd = openat(o->tmpfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
			 flags)) < 0)
		return io_error(o->parent, o->tmp, path);
	if (fsync(fd) < 0)
		error = io_error(o->parent, o->tmp, path);
	close(fd);
	return error;
}

/* Every file's data and every folder's entries reach the disk before
 * the rename does, or a crash after the swap could publish empty files.
 * Files are synced here rather than as written so that the kernel can
 * write them back in bulk meanwhile. */
static int sync_tree(const struct output *o)
{
	size_t i;
	int error;

	/* One syncfs() writes back every file and folder of the build, where
	 * a national site would otherwise cost hundreds of thousands of
	 * fsync() calls; per-file fsync() remains where syncfs is missing. */
	if (syncfs(o->tmpfd) == 0)
		return 0;
	if (errno != ENOSYS && errno != EOPNOTSUPP)
		return io_error(o->parent, o->tmp, NULL);
	for (i = 0; i < o->nfiles; i++)
		if ((error = sync_at(o, o->files[i].path, 0)) < 0)
			return error;
	for (i = 0; i < o->ndirs; i++)
		if ((error = sync_at(o, o->dirs[i], O_DIRECTORY)) < 0)
			return error;
	if (fsync(o->tmpfd) < 0)
		return io_error(o->parent, o->tmp, NULL);
	return 0;
}

/* Swaps the temporary folder in; on success *old names where the old
 * site now is (NULL if there was none), for the caller to remove. */
static int swap(struct output *o, char **old)
{
	char *aside;
	int state;

	*old = NULL;
	if ((state = dir_state(o)) < 0)
		return state;
	if (!state) {
		if (renameat(o->parentfd, o->tmp, o->parentfd, o->name) < 0)
			return io_error(o->dir, NULL, NULL);
		return 0;
	}
	if (!(o->flags & OUTPUT_NO_EXCHANGE)) {
		if (renameat2(o->parentfd, o->tmp, o->parentfd, o->name,
			      RENAME_EXCHANGE) == 0) {
			*old = o->tmp;
			return 0;
		}
		if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
			return io_error(o->dir, NULL, NULL);
	}
	/* The aside name shares the temporary folder's random suffix, which
	 * nothing else of this DIR uses. */
	if (!(aside = strdup(o->tmp)))
		return error_nomem();
	memcpy(aside + 1 + strlen(o->name), OLD_TAG, strlen(OLD_TAG));
	if (renameat(o->parentfd, o->name, o->parentfd, aside) < 0) {
		io_error(o->dir, NULL, NULL);
		free(aside);
		return ERR_IO;
	}
	if (renameat(o->parentfd, o->tmp, o->parentfd, o->name) < 0) {
		io_error(o->dir, NULL, NULL);
		/* Put the old site back; if even that fails, it is whole at
		 * aside and the next open leaves it there (DIR is absent). */
		renameat(o->parentfd, aside, o->parentfd, o->name);
		free(aside);
		return ERR_IO;
	}
	*old = aside;
	return 0;
}

int output_commit(struct output *o)
{
	char *old;
	int error;

	if ((error = ready(o)) < 0)
		return error;
	if (o->broken)
		return error_set(ERR_IO, "%s: an earlier write failed; "
				 "not committing an incomplete site", o->dir);
	if ((error = check_result(o)) < 0)
		return error;
	if ((error = prune_reused(o)) < 0) {
		o->broken = error == ERR_IO;
		return error;
	}
	if (o->nfiles)
		qsort(o->files, o->nfiles, sizeof(o->files[0]), by_path);
	/* the sort moved the files the set points at */
	free(o->fileset);
	o->fileset = NULL;
	o->capfileset = 0;
	stop_flush(o);
	if ((error = write_sums(o)) < 0 || (error = sync_tree(o)) < 0) {
		o->broken = 1; /* a full disk, say: abort removes the folder */
		return error;
	}
	if ((error = swap(o, &old)) < 0)
		return error;
	o->committed = 1;
	/* The swap is done: from here on errors only leave garbage. */
	if (fsync(o->parentfd) < 0)
		error = io_error(o->parent, NULL, NULL);
	close(o->tmpfd);
	o->tmpfd = -1;
	if (old && (!(o->flags & OUTPUT_SPARE) || keep_spare(o, old) < 0) &&
	    remove_named(o, old) < 0)
		error = 1;
	if (old != o->tmp)
		free(old);
	free(o->tmp);
	o->tmp = NULL;
	return error < 0 ? 1 : error;
}

void output_mark(const struct output *o, struct output_mark *m)
{
	m->nfiles = o->nfiles;
	m->ndirs = o->ndirs;
}

int output_export(const struct output *o, const struct output_mark *m,
		  struct buf *out)
{
	size_t i;
	int error = 0;

	for (i = m->nfiles; i < o->nfiles && error >= 0; i++) {
		const struct output_file *f = &o->files[i];
		if ((error = buf_putc(out, 'F')) >= 0 &&
		    (error = buf_put(out, (const char *)f->sha256, sizeof(f->sha256))) >= 0 &&
		    (error = buf_put(out, (const char *)&f->size, sizeof(f->size))) >= 0)
			error = buf_put(out, f->path, strlen(f->path) + 1);
	}
	for (i = m->ndirs; i < o->ndirs && error >= 0; i++)
		if ((error = buf_putc(out, 'D')) >= 0)
			error = buf_put(out, o->dirs[i], strlen(o->dirs[i]) + 1);
	return error;
}

static int import_file(struct output *o, const unsigned char *sha,
		       uint64_t size, const char *path)
{
	struct output_file *f;
	int error;

	if ((error = grow_files(o)) < 0)
		return error;
	f = &o->files[o->nfiles];
	if (!(f->path = strdup(path)))
		return error_nomem();
	/* in a new folder O_EXCL caught a path both processes wrote */
	if (o->reuse) {
		error = file_known(o, path, strlen(path)) ?
			bad_path(path, "was written twice") : add_file(o);
		if (error < 0) {
			free(f->path);
			f->path = NULL;
			o->broken = 1;
			return error;
		}
	}
	memcpy(f->sha256, sha, sizeof(f->sha256));
	f->size = size;
	o->bytes += size;
	o->nfiles++;
	return 0;
}

int output_import(struct output *o, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nul;
	unsigned char sha[32];
	uint64_t size;
	char *d;
	int error = 0;

	if ((error = ready(o)) < 0)
		return error;
	while (p < end && error >= 0) {
		char tag = *p++;
		size_t fixed = tag == 'F' ? sizeof(sha) + sizeof(size) : 0;

		if ((tag != 'F' && tag != 'D') || (size_t)(end - p) < fixed ||
		    !(nul = memchr(p + fixed, '\0', (size_t)(end - p) - fixed)))
			return error_set(ERR_INVALID, "output_import: malformed list at byte %zu",
					 (size_t)(p - 1 - data));
		if (tag == 'F') {
			memcpy(sha, p, sizeof(sha));
			memcpy(&size, p + sizeof(sha), sizeof(size));
			p += fixed;
			if ((error = check_path(p)) >= 0)
				error = import_file(o, sha, size, p);
		} else if ((error = check_path(p)) >= 0 && !dir_known(o, p, strlen(p))) {
			error = (d = strdup(p)) ? add_dir(o, d) : error_nomem();
		}
		p = nul + 1;
	}
	return error;
}

void output_leave(struct output *o)
{
	/* not output_abort(): the folder is the parent's to keep or remove,
	 * and the walker and checker its to wait for */
	if (o->walkfd >= 0)
		close(o->walkfd);
	o->walkfd = -1;
	o->walker = 0;
	if (o->checkfd >= 0)
		close(o->checkfd);
	o->checkfd = -1;
	o->checker = 0;
	o->flushing = 0; /* the parent's thread: not in this process */
	if (o->tmpfd >= 0)
		close(o->tmpfd);
	o->tmpfd = -1;
	free(o->tmp);
	o->tmp = NULL;
	output_release(o);
}

void output_abort(struct output *o)
{
	stop_walk(o);
	stop_check(o);
	stop_flush(o);
	/* With the lock still held, so no sweep races us.  A folder a write
	 * failed in is not kept: the disk may be full. */
	if (o->tmp && !o->committed && o->parentfd >= 0 &&
	    (!(o->flags & OUTPUT_SPARE) || o->broken || keep_spare(o, o->tmp) < 0))
		remove_named(o, o->tmp);
	if (o->tmpfd >= 0)
		close(o->tmpfd);
	o->tmpfd = -1;
	free(o->tmp);
	o->tmp = NULL;
}

void output_discard(struct output *o)
{
	o->broken = 1;
	output_abort(o);
}

void output_release(struct output *o)
{
	size_t i;

	output_abort(o);
	if (o->parentfd >= 0)
		close(o->parentfd);
	if (o->lockfd >= 0)
		close(o->lockfd); /* after the abort: no build may take the folder meanwhile */
	if (o->curfd >= 0)
		close(o->curfd);
	forget_sums(o);
	free(o->note);
	o->note = NULL;
	for (i = 0; i < o->nfiles; i++)
		free(o->files[i].path);
	for (i = 0; i < o->ndirs; i++)
		free(o->dirs[i]);
	free(o->files);
	free(o->dirs);
	free(o->dirset);
	free(o->fileset);
	free(o->dir);
	free(o->parent);
	free(o->name);
	*o = (struct output)OUTPUT_INIT;
}

size_t output_count(const struct output *o)
{
	return o->nfiles;
}

uint64_t output_bytes(const struct output *o)
{
	return o->bytes;
}

static int sum_by_path(const void *a, const void *b)
{
	return strcmp(((const struct output_sum *)a)->path, ((const struct output_sum *)b)->path);
}

static int put_change(struct buf *out, char kind, const char *path, size_t *count)
{
	(*count)++;
	return out ? buf_printf(out, "%c %s\n", kind, path) : 0;
}

/* The changes, old (n, sorted) merged with o->files (sorted since the
 * commit), OUTPUT_SUMS told as sums ('A', 'M' or 0: unchanged) at its
 * place in the order; lines into out (NULL: counted only). */
static int merge_changes(const struct output *o, const struct output_sum *old, size_t n, char sums,
			 struct buf *out, struct output_changes *c)
{
	size_t i = 0, k = 0;
	const char *next;
	int cmp, error = 0;

	memset(c, 0, sizeof(*c));
	while (error >= 0 && (i < o->nfiles || k < n || sums)) {
		cmp = i == o->nfiles ? 1 : k == n ? -1 : strcmp(o->files[i].path, old[k].path);
		next = cmp > 0 ? (k < n ? old[k].path : NULL) : o->files[i].path;
		if (sums && (!next || strcmp(OUTPUT_SUMS, next) < 0)) {
			error = put_change(out, sums, OUTPUT_SUMS, sums == 'A' ? &c->added : &c->changed);
			sums = 0;
		} else if (cmp < 0) {
			error = put_change(out, 'A', o->files[i++].path, &c->added);
		} else if (cmp > 0) {
			error = put_change(out, 'D', old[k++].path, &c->removed);
		} else {
			if (memcmp(o->files[i].sha256, old[k].sha256, 32))
				error = put_change(out, 'M', o->files[i].path, &c->changed);
			i++;
			k++;
		}
	}
	return error;
}

int output_changes(const struct output *o, struct buf *out, struct output_changes *c)
{
	struct output_sum *old = NULL;
	size_t k, n = 0;
	char sums;
	int error;

	memset(c, 0, sizeof(*c));
	if (!o->committed)
		return error_set(ERR_INVALID, "output: what changed is known after the commit");
	if (o->nsums && !(old = malloc(o->nsums * sizeof(*old))))
		return error_nomem();
	for (k = 0; k < o->nsums; k++) /* the marker never changes */
		if (strcmp(o->sums[k].path, OUTPUT_MARK))
			old[n++] = o->sums[k];
	if (n) /* qsort() may not be given NULL, even for nothing */
		qsort(old, n, sizeof(*old), sum_by_path);
	/* OUTPUT_SUMS changes when anything it lists does */
	if ((error = merge_changes(o, old, n, 0, NULL, c)) >= 0) {
		sums = !o->nsums ? 'A' : c->added || c->changed || c->removed ? 'M' : 0;
		error = merge_changes(o, old, n, sums, out, c);
	}
	free(old);
	return error < 0 ? error : 0;
}

/* source.c - record files from git or the working tree (see source.h). */
/* realpath() */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#include <zlib.h>

#include "array.h"
#include "error.h"
#include "sign.h"
#include "source.h"

/* libgit2's last error, as ours. */
static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return error_set(ERR_GIT, "%s: %s", what, e && e->message ? e->message : "unknown error");
}

int source_global_init(void)
{
	if (git_libgit2_init() < 0)
		return git_fail("libgit2");
	/* gongshi reads each object once per use; libgit2's object caches
	 * (up to 256 MiB each, parsed and raw) only held memory: a quarter
	 * of the history pass's peak at size M */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	return 0;
}

void source_global_shutdown(void)
{
	git_libgit2_shutdown();
}

/* "dir/name" (dir alone when name is NULL), malloc'ed; NULL: out of memory. */
static char *path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = name ? strlen(name) : 0;
	char *p = malloc(dl + nl + 2);

	if (p)
		snprintf(p, dl + nl + 2, "%s%s%s", dir, name ? "/" : "", name ? name : "");
	return p;
}

/* A link outside the record, into s->links: path is dir/name, or dir
 * alone when name is NULL. */
static int add_link(struct source *s, const char *dir, const char *name)
{
	char **v;

	if (!(v = array_grow(s->links, &s->caplinks, s->nlinks + 1, sizeof(*v))))
		return error_nomem();
	s->links = v;
	if (!(v[s->nlinks] = path_join(dir, name)))
		return error_nomem();
	s->nlinks++;
	return 0;
}

static int add_entry(struct source *s, const char *dir, const char *name,
		     const unsigned char *oid, bool link)
{
	struct source_entry *e;

	/* the record's own links stay, for the record's rules to tell */
	if (link && (strncmp(dir, SOURCE_ROOT, sizeof(SOURCE_ROOT) - 1) ||
		     (dir[sizeof(SOURCE_ROOT) - 1] && dir[sizeof(SOURCE_ROOT) - 1] != '/')))
		return add_link(s, dir, name);
	if (!(e = array_grow(s->v, &s->cap, s->n + 1, sizeof(*e))))
		return error_nomem();
	s->v = e;
	e = &s->v[s->n];
	if (!(e->path = path_join(dir, name)))
		return error_nomem();
	if (oid)
		memcpy(e->oid, oid, sizeof(e->oid));
	else
		memset(e->oid, 0, sizeof(e->oid));
	e->link = link;
	s->n++;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct source_entry *)a)->path,
		      ((const struct source_entry *)b)->path);
}

/* The folders a source lists: the record, and what a site is built from. */
static const char *const roots[] = { SOURCE_ROOT, "content", "themes" };

struct walk {
	struct source *s;
	const char *top;  /* the root being walked */
	int error;
};

static int walk_cb(const char *root, const git_tree_entry *te, void *payload)
{
	struct walk *w = payload;
	git_filemode_t mode = git_tree_entry_filemode(te);
	char dir[4096];

	if (mode == GIT_FILEMODE_TREE)
		return 0;
	/* root is "" or "sub/" relative to the top folder */
	if (snprintf(dir, sizeof(dir), "%s%s%.*s", w->top, *root ? "/" : "",
		     (int)(*root ? strlen(root) - 1 : 0), root) >= (int)sizeof(dir)) {
		w->error = error_set(ERR_LIMIT, "path too long under %s", w->top);
		return -1;
	}
	w->error = add_entry(w->s, dir, git_tree_entry_name(te),
			     git_tree_entry_id(te)->id,
			     mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE);
	return w->error < 0 ? -1 : 0;
}

/* "blob 123": a known type, a decimal size without leading zeros. */
static bool parse_head(const char *h, size_t *size)
{
	static const char *const types[] = { "blob ", "tree ", "commit ", "tag " };
	const char *p = NULL;
	size_t i, v = 0;

	for (i = 0; i < sizeof(types) / sizeof(types[0]) && !p; i++)
		if (!strncmp(h, types[i], strlen(types[i])))
			p = h + strlen(types[i]);
	if (!p || !*p || (p[0] == '0' && p[1]))
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > (SIZE_MAX - 9) / 10)
			return false;
		v = v * 10 + (size_t)(*p - '0');
	}
	*size = v;
	return true;
}

/*
 * Debian 12's libgit2 (1.5.1) trusts a loose object's header: a truncated
 * object makes it loop forever and a header that understates the size
 * makes it write past its buffer.  So every loose object is inflated here
 * first, as git fsck would, and must hold exactly "<type> <size>\0" and
 * size bytes.  Packs carry their own checksums and are left to libgit2.
 * A repository after `git gc` has few loose objects, so this is cheap.
 */
static int loose_check(const char *path)
{
	unsigned char in[16384], out[16384];
	char head[32];
	size_t hn = 0, size = 0, body = 0;
	bool in_head = true;
	z_stream z = { 0 };
	int fd, zr = Z_OK, error = 0;
	ssize_t got;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return error_set(ERR_GIT, "%s: %s", path, strerror(errno));
	if (inflateInit(&z) != Z_OK) {
		close(fd);
		return error_nomem();
	}
	while (zr != Z_STREAM_END) {
		if ((got = read(fd, in, sizeof(in))) < 0) {
			error = error_set(ERR_GIT, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (got == 0)
			break;
		z.next_in = in;
		z.avail_in = (uInt)got;
		while (z.avail_in && zr != Z_STREAM_END) {
			unsigned char *p = out;
			size_t n;

			z.next_out = out;
			z.avail_out = sizeof(out);
			zr = inflate(&z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
				goto corrupt;
			n = sizeof(out) - z.avail_out;
			while (in_head && n) {
				char c = (char)*p++;

				n--;
				if (c == '\0') {
					head[hn] = '\0';
					if (!parse_head(head, &size))
						goto corrupt;
					in_head = false;
				} else if (hn + 1 >= sizeof(head)) {
					goto corrupt;
				} else {
					head[hn++] = c;
				}
			}
			if ((body += n) > size && !in_head)
				goto corrupt;
		}
		if (zr == Z_STREAM_END && (z.avail_in || read(fd, in, 1) != 0))
			goto corrupt;
	}
	if (zr != Z_STREAM_END || in_head || body != size)
		goto corrupt;
done:
	inflateEnd(&z);
	close(fd);
	return error;
corrupt:
	error = error_set(ERR_GIT, "%s: corrupt loose object (run git fsck)", path);
	goto done;
}

static bool is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

/* Checks every loose object under GITDIR/objects (see loose_check). */
static int loose_check_all(const char *gitdir)
{
	char path[4096];
	struct dirent *de, *fe;
	DIR *top, *sub;
	int error = 0;

	snprintf(path, sizeof(path), "%sobjects", gitdir);
	if (!(top = opendir(path)))
		return 0;
	while (!error && (de = readdir(top))) {
		if (!is_hex(de->d_name, 2))
			continue;
		snprintf(path, sizeof(path), "%sobjects/%s", gitdir, de->d_name);
		if (!(sub = opendir(path)))
			continue;
		while (!error && (fe = readdir(sub))) {
			if (!is_hex(fe->d_name, 38))
				continue;
			snprintf(path, sizeof(path), "%sobjects/%s/%s", gitdir, de->d_name, fe->d_name);
			error = loose_check(path);
		}
		closedir(sub);
	}
	closedir(top);
	return error;
}

/*
 * A repository owned by another user, which git (and libgit2) will not
 * open, since its configuration could run programs: libgit2 says only
 * "config value 'safe.directory' was not found", so the way out is
 * told here, with the folder git wants named: the one holding .git.
 */
static int owner_fail(const char *dir)
{
	char *top = realpath(dir, NULL), *slash;
	struct stat st;
	int error;

	while (top && (slash = strrchr(top, '/')) && slash != top) {
		char git[4096];
		snprintf(git, sizeof(git), "%s/.git", top);
		if (lstat(git, &st) == 0)
			break;
		*slash = '\0';
	}
	error = error_set(ERR_GIT, "%s: the repository belongs to another user, and git opens it only when told "
			  "to trust it: if you do, run  git config --global --add safe.directory %s", dir,
			  top && strcmp(top, "/") ? top : dir);
	free(top);
	git_error_clear();
	return error;
}

/* Whether the failure to open a repository was git's ownership check:
 * GIT_EOWNER, or, from libgit2 1.5 when no safe.directory is set at
 * all, that setting not found. */
static bool owner_refused(int error)
{
	const git_error *e = git_error_last();

	return error == GIT_EOWNER || (error == GIT_ENOTFOUND && e && e->klass == GIT_ERROR_CONFIG && e->message &&
				       strstr(e->message, "safe.directory"));
}

static int open_repo(struct source *s, const char *dir)
{
	git_repository *repo;
	const char *wd;
	int error;

	if ((error = git_repository_open_ext(&repo, dir, 0, NULL)) < 0)
		return owner_refused(error) ? owner_fail(dir) : git_fail(dir);
	s->repo = repo;
	if ((error = loose_check_all(git_repository_commondir(repo))) < 0)
		return error;
	wd = git_repository_workdir(repo);
	if (!(s->root = strdup(wd ? wd : git_repository_path(repo))))
		return error_nomem();
	return 0;
}

/* Lists folder top of tree; a missing optional folder lists nothing. */
static int list_tree(struct source *s, git_tree *tree, const char *top, bool required)
{
	git_tree_entry *te = NULL;
	git_tree *sub = NULL;
	struct walk w = { s, top, 0 };
	int error = 0;

	if (git_tree_entry_bypath(&te, tree, top) < 0) {
		git_error_clear();
		return required ? error_set(ERR_GIT, "commit %.7s has no %s/ folder", s->commit, top) : 0;
	}
	if (git_tree_entry_type(te) != GIT_OBJECT_TREE)
		error = required ? error_set(ERR_GIT, "%s in commit %.7s is not a folder", top, s->commit)
		      : git_tree_entry_filemode(te) == GIT_FILEMODE_LINK || git_tree_entry_type(te) == GIT_OBJECT_COMMIT
		      ? add_link(s, top, NULL) : 0;
	else if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(te)) < 0)
		error = git_fail(top);
	else if (git_tree_walk(sub, GIT_TREEWALK_PRE, walk_cb, &w) < 0)
		error = w.error < 0 ? w.error : git_fail(top);
	git_tree_free(sub);
	git_tree_entry_free(te);
	return error;
}

int source_open_commit(struct source *s, const char *dir, const char *rev)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	size_t i;
	int error;

	if ((error = open_repo(s, dir)) < 0)
		goto done;
	if (git_revparse_single(&obj, s->repo, rev) < 0 ||
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		if (git_repository_is_empty(s->repo) == 1) {
			git_error_clear();
			error = error_set(ERR_GIT, "the repository in %s has no commits yet: commit the record "
					  "(git add data content && git commit), or read the working tree with "
					  "--worktree", s->root);
		} else {
			error = git_fail(rev);
		}
		goto done;
	}
	git_oid_tostr(s->commit, sizeof(s->commit), git_commit_id(commit));
	s->time = (int64_t)git_commit_time(commit);
	if (git_commit_tree(&tree, commit) < 0) {
		error = git_fail("reading the commit's tree");
		goto done;
	}
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if ((error = list_tree(s, tree, roots[i], i == 0)) < 0)
			goto done;
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), entry_cmp);
	error = 0;
done:
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	return error;
}

static int walk_dir(struct source *s, const char *rel, int depth)
{
	char path[4096], sub[4096];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int error = 0;

	if (depth > 32)
		return error_set(ERR_LIMIT, "%s: folders nested too deep", rel);
	snprintf(path, sizeof(path), "%s/%s", s->root, rel);
	if (!(d = opendir(path)))
		return error_set(ERR_IO, "%s: %s", rel, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s/%s", s->root, rel, de->d_name) >= (int)sizeof(sub)) {
			error = error_set(ERR_LIMIT, "%s: path too long", rel);
			break;
		}
		if (lstat(sub, &st) < 0) {
			error = error_set(ERR_IO, "%s/%s: %s", rel, de->d_name, strerror(errno));
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name);
			error = walk_dir(s, sub, depth + 1);
		} else {
			error = add_entry(s, rel, de->d_name, NULL, !S_ISREG(st.st_mode));
		}
		if (error < 0)
			break;
	}
	closedir(d);
	return error;
}

int source_open_worktree(struct source *s, const char *dir)
{
	struct stat st;
	char path[4096];
	size_t i;
	int error;

	s->worktree = true;
	if ((error = git_repository_open_ext((git_repository **)&s->repo, dir, 0, NULL)) < 0 && owner_refused(error))
		return owner_fail(dir);
	if (error == 0 && git_repository_workdir(s->repo)) {
		if (!(s->root = strdup(git_repository_workdir(s->repo))))
			return error_nomem();
	} else {
		git_repository_free(s->repo);
		s->repo = NULL;
		git_error_clear();
		if (!(s->root = strdup(dir)))
			return error_nomem();
	}
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", s->root, roots[i]);
		/* a linked folder is not what a commit of it would hold */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
			if (i == 0)
				return error_set(ERR_IO, "%s: %s/ is a symbolic link, not a folder; a commit would "
						 "hold the link, not the record: keep the record in %s/ itself",
						 s->root, roots[i], roots[i]);
			if ((error = add_link(s, roots[i], NULL)) < 0)
				return error;
			continue;
		}
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
			if (i == 0)
				return error_set(ERR_IO, "%s: no %s/ folder", s->root, roots[i]);
			continue;
		}
		if ((error = walk_dir(s, roots[i], 0)) < 0)
			return error;
	}
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), entry_cmp);
	return 0;
}

static int read_file(const struct source *s, const char *rel, size_t max,
		     struct buf *out, uint64_t *size)
{
	char path[4096];
	struct stat st;
	ssize_t r;
	int fd, error = 0;

	snprintf(path, sizeof(path), "%s/%s", s->root, rel);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) < 0)
		return error_set(ERR_IO, "%s: %s", rel, strerror(errno));
	if (fstat(fd, &st) < 0) {
		error = error_set(ERR_IO, "%s: %s", rel, strerror(errno));
		goto done;
	}
	*size = (uint64_t)st.st_size;
	if (*size > max)
		goto done;
	for (;;) {
		if ((error = buf_grow(out, 65536)) < 0)
			goto done;
		r = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			error = error_set(ERR_IO, "%s: %s", rel, strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		out->len += (size_t)r;
		out->ptr[out->len] = '\0';
		if (out->len > max) { /* grew while we read */
			*size = out->len;
			buf_clear(out);
			break;
		}
	}
	if (*size <= max)
		*size = out->len;
done:
	close(fd);
	return error;
}

/* The kept bytes live in large chunks: one malloc per file cost a fifth
 * more memory than the bytes, and scattered them among pages that the
 * forked rendering processes write to (each such page is then copied). */
struct kept_chunk {
	struct kept_chunk *next;
	size_t used, cap;
	char data[];
};

struct source_kept {
	const char **data;         /* by entry: its bytes, NULL until read whole */
	size_t *len;
	struct kept_chunk *chunks; /* owned list, the newest first */
};

#define KEPT_CHUNK (4u << 20)

int source_keep(struct source *s)
{
	if (s->kept)
		return 0;
	if (!(s->kept = calloc(1, sizeof(*s->kept))) || !(s->kept->data = calloc(s->n + 1, sizeof(char *))) ||
	    !(s->kept->len = calloc(s->n + 1, sizeof(size_t))))
		return error_nomem();
	return 0;
}

static const char *kept_put(struct source_kept *k, const char *p, size_t n)
{
	struct kept_chunk *c = k->chunks;
	char *at;

	if (!c || c->cap - c->used < n) {
		size_t cap = n > KEPT_CHUNK ? n : KEPT_CHUNK;
		if (!(c = malloc(sizeof(*c) + cap)))
			return NULL;
		c->next = k->chunks;
		c->used = 0;
		c->cap = cap;
		k->chunks = c;
	}
	at = c->data + c->used;
	if (n)
		memcpy(at, p, n);
	c->used += n;
	return at;
}

static void kept_free(struct source_kept *k)
{
	struct kept_chunk *c, *next;

	if (!k)
		return;
	for (c = k->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(k->data);
	free(k->len);
	free(k);
}

static int read_entry(const struct source *s, size_t i, size_t max, struct buf *out, uint64_t *size);

int source_read(const struct source *s, size_t i, size_t max,
		struct buf *out, uint64_t *size)
{
	struct source_kept *k = s->kept;
	int error;

	if (!k || !k->data || !k->len)
		return read_entry(s, i, max, out, size);
	if (k->data[i]) {
		buf_clear(out);
		*size = k->len[i];
		return k->len[i] > max ? 0 : buf_put(out, k->data[i], k->len[i]);
	}
	if ((error = read_entry(s, i, max, out, size)) < 0 || *size > max)
		return error;
	if (!(k->data[i] = kept_put(k, out->ptr, out->len)))
		return error_nomem();
	k->len[i] = out->len;
	return 0;
}

static int read_entry(const struct source *s, size_t i, size_t max, struct buf *out, uint64_t *size)
{
	git_blob *blob = NULL;
	git_oid oid;
	int error;

	buf_clear(out);
	*size = 0;
	if (s->worktree)
		return read_file(s, s->v[i].path, max, out, size);
	memcpy(oid.id, s->v[i].oid, sizeof(s->v[i].oid));
	/* the header alone first: a hostile blob is never inflated whole */
	{
		git_odb *odb;
		git_object_t type;
		size_t len;
		if (git_repository_odb(&odb, s->repo) < 0)
			return git_fail("opening the object database");
		error = git_odb_read_header(&len, &type, odb, &oid);
		git_odb_free(odb);
		if (error < 0)
			return git_fail(s->v[i].path);
		if (len > max) {
			*size = len;
			return 0;
		}
	}
	if (git_blob_lookup(&blob, s->repo, &oid) < 0)
		return git_fail(s->v[i].path);
	*size = (uint64_t)git_blob_rawsize(blob);
	error = *size > max ? 0 : buf_put(out, git_blob_rawcontent(blob), (size_t)*size);
	git_blob_free(blob);
	return error;
}

int source_find(const struct source *s, const char *path)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, s->v[mid].path);
		if (!c)
			return (int)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const char *source_label(const struct source *s)
{
	static _Thread_local char label[16];

	if (s->worktree)
		return "worktree";
	snprintf(label, sizeof(label), "%.7s", s->commit);
	return label;
}

void source_release(struct source *s)
{
	size_t i;

	kept_free(s->kept);
	for (i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	for (i = 0; i < s->nlinks; i++)
		free(s->links[i]);
	free(s->links);
	free(s->root);
	git_repository_free(s->repo);
	memset(s, 0, sizeof(*s));
}

/* ---- history ---- */

struct changes {
	struct source_change *v;
	size_t n, cap;
	int error;
};

static int change_add(struct changes *c, const char *dir, const char *name, enum source_status st,
		      const unsigned char *old, const unsigned char *new)
{
	struct source_change *e;

	if (!(e = array_grow(c->v, &c->cap, c->n + 1, sizeof(*e))))
		return error_nomem();
	c->v = e;
	e = &c->v[c->n];
	if (!(e->path = path_join(dir, name)))
		return error_nomem();
	e->status = st;
	memset(e->old_oid, 0, 20);
	memset(e->new_oid, 0, 20);
	if (old)
		memcpy(e->old_oid, old, 20);
	if (new)
		memcpy(e->new_oid, new, 20);
	c->n++;
	return 0;
}

/*
 * The walk reads commits and trees straight from the object database
 * and parses them here, as libgit2's own parsers do, instead of through
 * git_commit_lookup() and git_tree_lookup(): those build an object (a
 * tree's entry array, a commit's signatures) for every commit and tree
 * of the history, and were a third of the history pass.  Each object is
 * read once, used and freed.
 */
/* The folders a walk compares, of one commit's root tree: data/ (the
 * record) and content/ (published with it; the history follows it). */
struct tops {
	unsigned char data[20], content[20];
	bool has_data, has_content;
};

struct walker {
	const struct source *s;
	git_odb *odb;               /* owned */
	struct changes c;           /* one commit's changes, reused */
	struct buf line;            /* scratch: an author line */
	/* the first parent of the last commit walked, which in a linear
	 * history is the next commit: its object and data/ tree are kept,
	 * so each commit and root tree is read once, not twice */
	git_odb_object *next;       /* owned, NULL when none */
	unsigned char next_id[20];
	struct tops next_tops;
};

/* A tree object: entries "<octal mode> <name>\0<20-byte id>", sorted. */
struct raw_tree {
	git_odb_object *obj;        /* owned; NULL for no tree (every entry absent) */
	const char *p, *end;
};

struct raw_entry {
	git_filemode_t mode;        /* normalized, as git_tree_entry_filemode() gives it */
	bool dir;                   /* the mode's type is a folder (git's sort order) */
	const char *name;           /* NUL-terminated inside the object */
	size_t len;
	const unsigned char *id;    /* 20 bytes inside the object */
};

static int odb_read(struct walker *w, const unsigned char *id, git_object_t type,
		    git_odb_object **out, const char *what)
{
	git_oid oid;

	memcpy(oid.id, id, 20);
	if (git_odb_read(out, w->odb, &oid) < 0)
		return git_fail(what);
	if (git_odb_object_type(*out) != type) {
		git_odb_object_free(*out);
		*out = NULL;
		return error_set(ERR_GIT, "%s: object has the wrong type", what);
	}
	return 0;
}

/* Opens tree id (NULL: an absent tree, with no entries). */
static int tree_open(struct walker *w, const unsigned char *id, struct raw_tree *t, const char *what)
{
	int error;

	memset(t, 0, sizeof(*t));
	if (!id)
		return 0;
	if ((error = odb_read(w, id, GIT_OBJECT_TREE, &t->obj, what)) < 0)
		return error;
	t->p = git_odb_object_data(t->obj);
	t->end = t->p + git_odb_object_size(t->obj);
	return 0;
}

/* 1 and the next entry, 0 after the last, ERR_GIT for a damaged tree. */
static int tree_next(struct raw_tree *t, struct raw_entry *e, const char *what)
{
	const char *nul;
	unsigned mode = 0;
	int digits = 0;

	if (t->p == t->end)
		return 0;
	for (; t->p < t->end && *t->p >= '0' && *t->p <= '7' && digits < 7; t->p++, digits++)
		mode = mode * 8 + (unsigned)(*t->p - '0');
	if (!digits || t->p == t->end || *t->p++ != ' ' || !(nul = memchr(t->p, '\0', (size_t)(t->end - t->p))) ||
	    nul == t->p || t->end - nul - 1 < 20)
		return error_set(ERR_GIT, "%s: damaged tree object", what);
	e->name = t->p;
	e->len = (size_t)(nul - t->p);
	e->id = (const unsigned char *)nul + 1;
	t->p = nul + 21;
	/* libgit2's normalize_filemode() */
	e->dir = (mode & 0170000) == 0040000;
	e->mode = e->dir ? GIT_FILEMODE_TREE : (mode & 0100) ? GIT_FILEMODE_BLOB_EXECUTABLE
		  : (mode & 0170000) == 0160000 ? GIT_FILEMODE_COMMIT
		  : (mode & 0170000) == 0120000 ? GIT_FILEMODE_LINK : GIT_FILEMODE_BLOB;
	return 1;
}

/* git's tree order (git_tree_entry_cmp): a folder sorts as "name/". */
static int entry_order(const struct raw_entry *a, const struct raw_entry *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);
	unsigned char ca, cb;

	if (c)
		return c < 0 ? -1 : 1;
	ca = a->len > n ? (unsigned char)a->name[n] : a->dir ? '/' : '\0';
	cb = b->len > n ? (unsigned char)b->name[n] : b->dir ? '/' : '\0';
	return ca < cb ? -1 : ca > cb;
}

static bool is_blob(const struct raw_entry *e)
{
	return e->mode == GIT_FILEMODE_BLOB || e->mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static bool is_tree(const struct raw_entry *e)
{
	return e->mode == GIT_FILEMODE_TREE;
}

static int diff_trees(struct walker *w, const unsigned char *a, const unsigned char *b, const char *dir,
		      int depth);

/* Every blob of a tree that appeared or disappeared whole. */
static int side_tree(struct walker *w, const struct raw_entry *e, const char *dir, bool added, int depth)
{
	char sub[4096];

	snprintf(sub, sizeof(sub), "%s/%s", dir, e->name);
	return added ? diff_trees(w, NULL, e->id, sub, depth + 1) : diff_trees(w, e->id, NULL, sub, depth + 1);
}

/*
 * The changed blobs between trees a and b (either may be NULL), the way
 * git compares them: both entry lists are sorted, equal ids are skipped
 * without reading anything below them.
 */
static int diff_trees(struct walker *w, const unsigned char *a, const unsigned char *b, const char *dir,
		      int depth)
{
	struct raw_tree ta, tb;
	struct raw_entry ea, eb;
	struct changes *c = &w->c;
	int ha = 0, hb = 0, error;

	if (depth > 32)
		return error_set(ERR_LIMIT, "%s: folders nested too deep", dir);
	if ((error = tree_open(w, a, &ta, dir)) < 0)
		return error;
	if ((error = tree_open(w, b, &tb, dir)) < 0)
		goto done;
	if ((ha = tree_next(&ta, &ea, dir)) < 0 || (hb = tree_next(&tb, &eb, dir)) < 0) {
		error = ha < 0 ? ha : hb;
		goto done;
	}
	while ((ha || hb) && error >= 0) {
		int cmp = !ha ? 1 : !hb ? -1 : entry_order(&ea, &eb);
		if (cmp < 0) { /* only in a: deleted */
			if (is_tree(&ea))
				error = side_tree(w, &ea, dir, false, depth);
			else if (is_blob(&ea))
				error = change_add(c, dir, ea.name, SOURCE_DELETED, ea.id, NULL);
		} else if (cmp > 0) { /* only in b: added */
			if (is_tree(&eb))
				error = side_tree(w, &eb, dir, true, depth);
			else if (is_blob(&eb))
				error = change_add(c, dir, eb.name, SOURCE_ADDED, NULL, eb.id);
		} else if (memcmp(ea.id, eb.id, 20)) {
			if (is_tree(&ea) && is_tree(&eb)) {
				char sub[4096];
				snprintf(sub, sizeof(sub), "%s/%s", dir, ea.name);
				error = diff_trees(w, ea.id, eb.id, sub, depth + 1);
			} else if (is_blob(&ea) && is_blob(&eb)) {
				error = change_add(c, dir, ea.name, SOURCE_MODIFIED, ea.id, eb.id);
			} else { /* a file became a link or submodule, or the reverse */
				if (is_tree(&ea))
					error = side_tree(w, &ea, dir, false, depth);
				else if (is_blob(&ea))
					error = change_add(c, dir, ea.name, SOURCE_DELETED, ea.id, NULL);
				if (error >= 0 && is_tree(&eb))
					error = side_tree(w, &eb, dir, true, depth);
				else if (error >= 0 && is_blob(&eb))
					error = change_add(c, dir, eb.name, SOURCE_ADDED, NULL, eb.id);
			}
		}
		if (error >= 0 && cmp <= 0 && (ha = tree_next(&ta, &ea, dir)) < 0)
			error = ha;
		if (error >= 0 && cmp >= 0 && (hb = tree_next(&tb, &eb, dir)) < 0)
			error = hb;
	}
done:
	git_odb_object_free(ta.obj);
	git_odb_object_free(tb.obj);
	return error;
}

/* The ids of the data/ and content/ folders in root tree id. */
static int top_trees(struct walker *w, const unsigned char *id, struct tops *out)
{
	struct raw_tree t;
	struct raw_entry e;
	int r, error;

	memset(out, 0, sizeof(*out));
	if ((error = tree_open(w, id, &t, "reading a commit's tree")) < 0)
		return error;
	while ((r = tree_next(&t, &e, "reading a commit's tree")) > 0) {
		if (e.len == strlen(SOURCE_ROOT) && !memcmp(e.name, SOURCE_ROOT, e.len) && e.dir) {
			memcpy(out->data, e.id, 20);
			out->has_data = true;
		} else if (e.len == 7 && !memcmp(e.name, "content", 7) && e.dir) {
			memcpy(out->content, e.id, 20);
			out->has_content = true;
		}
	}
	git_odb_object_free(t.obj);
	return r < 0 ? r : 0;
}

/* The changes under data/ and content/ from a to b (either absent). */
static int diff_tops(struct walker *w, const struct tops *a, const struct tops *b)
{
	int error = 0;

	if ((a->has_data || b->has_data) && (!a->has_data || !b->has_data || memcmp(a->data, b->data, 20)))
		error = diff_trees(w, a->has_data ? a->data : NULL, b->has_data ? b->data : NULL, SOURCE_ROOT, 0);
	if (error >= 0 && (a->has_content || b->has_content) &&
	    (!a->has_content || !b->has_content || memcmp(a->content, b->content, 20)))
		error = diff_trees(w, a->has_content ? a->content : NULL, b->has_content ? b->content : NULL,
				   "content", 0);
	return error;
}

/* A commit object's header, parsed as libgit2's commit_parse() does:
 * "tree <hex>", then any "parent <hex>" lines, then "author ...". */
struct raw_commit {
	git_odb_object *obj;        /* owned */
	const char *text;           /* its bytes, NUL-terminated by libgit2 */
	unsigned char tree[20], parent[20];
	unsigned nparents;
	const char *author;         /* the line after the parents */
};

static int commit_open(struct walker *w, const unsigned char *id, git_odb_object *obj, struct raw_commit *rc)
{
	const char *p, *end;
	git_oid oid;
	int error;

	memset(rc, 0, sizeof(*rc));
	if (obj)
		rc->obj = obj;
	else if ((error = odb_read(w, id, GIT_OBJECT_COMMIT, &rc->obj, "reading a commit")) < 0)
		return error;
	p = rc->text = git_odb_object_data(rc->obj);
	end = p + git_odb_object_size(rc->obj);
	if (end - p < 46 || memcmp(p, "tree ", 5) || p[45] != '\n' || git_oid_fromstrn(&oid, p + 5, 40) < 0)
		goto bad;
	memcpy(rc->tree, oid.id, 20);
	for (p += 46; end - p >= 48 && !memcmp(p, "parent ", 7) && p[47] == '\n'; p += 48) {
		if (git_oid_fromstrn(&oid, p + 7, 40) < 0)
			goto bad;
		if (!rc->nparents++)
			memcpy(rc->parent, oid.id, 20);
	}
	rc->author = p;
	return 0;
bad:
	git_odb_object_free(rc->obj);
	rc->obj = NULL;
	git_error_clear();
	return error_set(ERR_GIT, "reading a commit: failed to parse bad commit object");
}

int source_signature(const struct source *s, const char *commit, int *state, const struct sign_key **who)
{
	git_buf sig = { 0 }, data = { 0 }, field = { 0 };
	git_commit *c = NULL;
	git_oid oid;
	int r, error = 0;
	enum sign_state st = SIGN_NONE;

	*who = NULL;
	if (!s->repo || git_oid_fromstr(&oid, commit) < 0)
		return error_set(ERR_GIT, "%s: not a commit id", commit);
	if ((r = git_commit_extract_signature(&sig, &data, s->repo, &oid, NULL)) == GIT_ENOTFOUND) {
		git_error_clear();
		goto done;
	}
	if (r < 0) {
		error = git_fail("reading a commit's signature");
		goto done;
	}
	/* libgit2 1.5 takes a "gpgsig" line of the message too: only the
	 * header's is the commit's signature */
	if (git_commit_lookup(&c, s->repo, &oid) < 0) {
		error = git_fail("reading a commit");
		goto done;
	}
	if ((r = git_commit_header_field(&field, c, "gpgsig")) == GIT_ENOTFOUND) {
		git_error_clear();
		goto done;
	}
	if (r < 0) {
		error = git_fail("reading a commit's signature");
		goto done;
	}
	error = sign_verify(s->keys, sig.ptr, sig.size, data.ptr, data.size, &st, who);
done:
	*state = st;
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	git_buf_dispose(&field);
	git_commit_free(c);
	return error;
}

/* The message as git_commit_message() gives it: after the first empty
 * line that ends the header, leading newlines trimmed. */
static const char *commit_message(const struct raw_commit *rc)
{
	const char *p = rc->author, *end = rc->text + git_odb_object_size(rc->obj);

	while (p < end && *p != '\n') {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		p = eol ? eol + 1 : end;
	}
	if (p >= end)
		return "";
	for (p++; *p == '\n'; p++)
		;
	return p;
}

/* One commit of a walk: its changes under data/ against its first parent. */
static int walk_one(struct walker *w, const git_oid *id, source_commit_fn fn, void *payload)
{
	struct raw_commit rc, rp;
	git_signature *au = NULL;
	struct tops now, before;
	bool have_parent = false;
	struct source_commit sc;
	git_odb_object *cached = NULL;
	size_t i;
	int error = 0;

	memset(&rp, 0, sizeof(rp));
	memset(&sc, 0, sizeof(sc));
	memset(&now, 0, sizeof(now));
	memset(&before, 0, sizeof(before));
	git_oid_tostr(sc.id, sizeof(sc.id), id);
	if (w->next && !memcmp(w->next_id, id->id, 20)) {
		cached = w->next;
		w->next = NULL;
		now = w->next_tops;
	}
	git_odb_object_free(w->next);
	w->next = NULL;
	if ((error = commit_open(w, id->id, cached, &rc)) < 0)
		return error;
	if (!cached && (error = top_trees(w, rc.tree, &now)) < 0)
		goto done;
	sc.nparents = rc.nparents;
	/* a shallow clone's boundary commit has parents it cannot read */
	if (rc.nparents) {
		if (commit_open(w, rc.parent, NULL, &rp) == 0)
			have_parent = true;
		git_error_clear();
	}
	if (have_parent) {
		git_oid po;
		memcpy(po.id, rc.parent, 20);
		git_oid_tostr(sc.parent, sizeof(sc.parent), &po);
		if ((error = top_trees(w, rp.tree, &before)) < 0)
			goto done;
	}
	if ((error = diff_tops(w, &before, &now)) < 0)
		goto done;
	if (w->c.n) {
		const char *eol;
		if (strncmp(rc.author, "author ", 7) || !(eol = strchr(rc.author, '\n'))) {
			error = error_set(ERR_GIT, "reading a commit: no author");
			goto done;
		}
		buf_clear(&w->line);
		if ((error = buf_put(&w->line, rc.author + 7, (size_t)(eol - rc.author - 7))) < 0)
			goto done;
		if (git_signature_from_buffer(&au, buf_cstr(&w->line)) < 0) {
			error = git_fail("reading a commit's author");
			goto done;
		}
		sc.author = au->name;
		sc.email = au->email;
		sc.time = (int64_t)au->when.time;
		sc.offset = au->when.offset;
		sc.message = commit_message(&rc);
		if ((error = source_signature(w->s, sc.id, &sc.sig, &sc.signer)) >= 0)
			error = fn(&sc, w->c.v, w->c.n, payload);
	}
done:
	if (error >= 0 && have_parent) { /* most likely the next commit walked */
		w->next = rp.obj;
		rp.obj = NULL;
		memcpy(w->next_id, rc.parent, 20);
		w->next_tops = before;
	}
	for (i = 0; i < w->c.n; i++)
		free(w->c.v[i].path);
	w->c.n = 0;
	git_signature_free(au);
	git_odb_object_free(rp.obj);
	git_odb_object_free(rc.obj);
	return error;
}

static int walker_init(struct walker *w, const struct source *s)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	w->line = (struct buf)BUF_INIT;
	if (git_repository_odb(&w->odb, s->repo) < 0)
		return git_fail("opening the object database");
	return 0;
}

static void walker_release(struct walker *w)
{
	git_odb_object_free(w->next);
	free(w->c.v);
	buf_release(&w->line);
	git_odb_free(w->odb);
}

struct pending {
	git_oid id;
	int64_t time;
};

static int pending_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->time != y->time)
		return x->time > y->time ? -1 : 1;
	return git_oid_cmp(&x->id, &y->id);
}

/*
 * The commits of a shallow clone reachable from tip without crossing
 * the cut (parents missing beyond it are the cut) or reaching stop,
 * newest first by commit time (a shallow history is short, and its
 * order is only for display).  *out owned.
 */
static int shallow_list(const struct source *s, const git_oid *tip, const char *stop, struct pending **out,
			size_t *nout)
{
	struct pending *seen = NULL, *stack = NULL, *v;
	size_t nseen = 0, nstack = 0, cap = 0, tcap = 0, i;
	git_oid hide;
	int error = 0;
	bool has_stop = stop && *stop && git_oid_fromstr(&hide, stop) == 0;

	if (!(stack = malloc(sizeof(*stack) * (tcap = 64))))
		return error_nomem();
	stack[nstack++].id = *tip;
	while (nstack && error >= 0) {
		git_oid id = stack[--nstack].id;
		git_commit *commit = NULL;
		unsigned k, np;
		for (i = 0; i < nseen && !git_oid_equal(&seen[i].id, &id); i++)
			;
		if (i < nseen || (has_stop && git_oid_equal(&id, &hide)))
			continue;
		if (git_commit_lookup(&commit, s->repo, &id) < 0) { /* beyond the cut */
			git_error_clear();
			continue;
		}
		if (!(v = array_grow(seen, &cap, nseen + 1, sizeof(*v)))) {
			git_commit_free(commit);
			error = error_nomem();
			break;
		}
		seen = v;
		seen[nseen].id = id;
		seen[nseen++].time = (int64_t)git_commit_time(commit);
		np = git_commit_parentcount(commit);
		for (k = 0; k < np && error >= 0; k++) {
			if (!(v = array_grow(stack, &tcap, nstack + 1, sizeof(*v)))) {
				error = error_nomem();
				break;
			}
			stack = v;
			stack[nstack++].id = *git_commit_parent_id(commit, k);
		}
		git_commit_free(commit);
	}
	free(stack);
	if (error < 0) {
		free(seen);
		return error;
	}
	if (nseen)
		qsort(seen, nseen, sizeof(*seen), pending_cmp);
	*out = seen;
	*nout = nseen;
	return 0;
}

/* The commits of a shallow clone, newest first (see shallow_list). */
static int walk_shallow(const struct source *s, struct walker *w, const char *stop, source_commit_fn fn,
			void *payload)
{
	struct pending *seen = NULL;
	size_t nseen = 0, i;
	git_oid tip;
	int error;

	if (git_oid_fromstr(&tip, s->commit) < 0)
		return git_fail(s->commit);
	if ((error = shallow_list(s, &tip, stop, &seen, &nseen)) < 0)
		return error;
	for (i = 0; i < nseen && error >= 0; i++)
		error = walk_one(w, &seen[i].id, fn, payload);
	free(seen);
	return error;
}

int source_walk(const struct source *s, const char *stop, source_commit_fn fn, void *payload)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	struct walker w;
	int error = 0;

	if (!s->repo || s->worktree)
		return error_set(ERR_GIT, "the history is read from a commit, not the working tree");
	if ((error = walker_init(&w, s)) < 0)
		goto done;
	/* Every object of the history is read once: rehashing each to check
	 * its id (libgit2's default; git log does not) was a tenth of the
	 * walk.  Restored below for everything else. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (git_revwalk_new(&walk, s->repo) < 0 || git_oid_fromstr(&oid, s->commit) < 0 ||
	    git_revwalk_push(walk, &oid) < 0) {
		error = git_fail("walking the history");
		goto done;
	}
	/* libgit2 cannot walk past a shallow clone's cut (its parents are
	 * missing); there, the commits are listed by hand instead */
	if (git_repository_is_shallow(s->repo) == 1) {
		git_revwalk_free(walk);
		walk = NULL;
		error = walk_shallow(s, &w, stop, fn, payload);
		goto done;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	if (stop && *stop) {
		git_oid so;
		if (git_oid_fromstr(&so, stop) < 0 || git_revwalk_hide(walk, &so) < 0) {
			error = git_fail(stop);
			goto done;
		}
	}
	for (;;) {
		int r = git_revwalk_next(&oid, walk);
		if (r == GIT_ITEROVER)
			break;
		if (r < 0) {
			error = git_fail("walking the history");
			break;
		}
		if ((error = walk_one(&w, &oid, fn, payload)) < 0)
			break;
	}
done:
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	walker_release(&w);
	git_revwalk_free(walk);
	return error;
}

/* The commits a walk from the source's commit meets, stopping at stop:
 * *count; and, when first_parent, their ids in order (*ids owned). */
static int count_walk(const struct source *s, const char *stop, bool first_parent,
		      git_oid **ids, size_t *count)
{
	git_revwalk *walk = NULL;
	git_oid oid, *v = NULL, *bigger;
	size_t n = 0, cap = 0;
	int r, error = 0;

	*count = 0;
	if (git_revwalk_new(&walk, s->repo) < 0 || git_oid_fromstr(&oid, s->commit) < 0 ||
	    git_revwalk_push(walk, &oid) < 0 ||
	    (stop && *stop && (git_oid_fromstr(&oid, stop) < 0 || git_revwalk_hide(walk, &oid) < 0))) {
		error = git_fail("walking the history");
		goto done;
	}
	if (first_parent)
		git_revwalk_simplify_first_parent(walk);
	while ((r = git_revwalk_next(&oid, walk)) == 0) {
		if (first_parent) {
			if (!(bigger = array_grow(v, &cap, n + 1, sizeof(*v)))) {
				error = error_nomem();
				goto done;
			}
			v = bigger;
		}
		if (first_parent)
			v[n] = oid;
		n++;
	}
	if (r != GIT_ITEROVER) {
		error = git_fail("walking the history");
		goto done;
	}
	*count = n;
	if (ids) {
		*ids = v;
		v = NULL;
	}
done:
	free(v);
	git_revwalk_free(walk);
	return error;
}

int source_midpoints(const struct source *s, const char *stop, size_t min,
		     char (*mids)[41], size_t max, size_t *n)
{
	git_oid *chain = NULL;
	size_t nchain, all, parts, i;
	int error;

	*n = 0;
	if (!s->repo || s->worktree || max == 0 || git_repository_is_shallow(s->repo) == 1)
		return 0;
	/* the first parents alone reach every commit only where nothing was merged */
	if ((error = count_walk(s, stop, true, &chain, &nchain)) < 0 ||
	    (error = count_walk(s, stop, false, NULL, &all)) < 0)
		goto done;
	if (all != nchain || min == 0 || nchain / min < 2)
		goto done;
	parts = nchain / min < max + 1 ? nchain / min : max + 1;
	for (i = 1; i < parts; i++)
		git_oid_tostr(mids[i - 1], 41, &chain[nchain * i / parts]);
	*n = parts - 1;
done:
	free(chain);
	return error;
}

int source_read_oid(const struct source *s, const unsigned char id[20], size_t max,
		    struct buf *out, uint64_t *size)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_oid oid;
	int error = 0;

	buf_clear(out);
	*size = 0;
	if (!s->repo)
		return error_set(ERR_GIT, "no repository");
	memcpy(oid.id, id, 20);
	if (git_repository_odb(&odb, s->repo) < 0)
		return git_fail("opening the object database");
	/* read whole, then measured: asking for the size first
	 * (git_odb_read_header) costs a second inflate of every deltified
	 * blob, which was a sixth of the history pass */
	if (git_odb_read(&obj, odb, &oid) < 0) {
		error = git_fail("reading an object");
		goto done;
	}
	*size = git_odb_object_size(obj);
	if (*size <= max)
		error = buf_put(out, git_odb_object_data(obj), git_odb_object_size(obj));
done:
	git_odb_object_free(obj);
	git_odb_free(odb);
	return error;
}

bool source_is_shallow(const struct source *s)
{
	return s->repo && git_repository_is_shallow(s->repo) == 1;
}

bool source_is_cut(const struct source *s, const char *commit)
{
	git_commit *c = NULL, *parent = NULL;
	git_oid id;
	bool cut = false;

	if (source_is_shallow(s) && git_oid_fromstr(&id, commit) == 0 && git_commit_lookup(&c, s->repo, &id) == 0 &&
	    git_commit_parentcount(c) > 0)
		cut = git_commit_lookup(&parent, s->repo, git_commit_parent_id(c, 0)) < 0;
	git_error_clear();
	git_commit_free(parent);
	git_commit_free(c);
	return cut;
}

int source_has_commit(const struct source *s, const char *commit, bool *out)
{
	git_commit *c = NULL;
	git_oid id;

	*out = false;
	if (!s->repo || strlen(commit) != 40 || git_oid_fromstr(&id, commit) < 0)
		return error_set(ERR_GIT, "not a commit id: %s", commit);
	if (git_commit_lookup(&c, s->repo, &id) < 0) {
		git_error_clear();
		return 0;
	}
	git_commit_free(c);
	*out = true;
	return 0;
}

int source_first_parent(const struct source *s, char out[41])
{
	git_commit *c = NULL, *parent = NULL;
	git_object *obj = NULL;
	git_oid id;
	int r = 1;

	out[0] = '\0';
	if (!s->repo)
		return 1;
	if (s->worktree) {
		if (git_revparse_single(&obj, s->repo, "HEAD") < 0 ||
		    git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) < 0) {
			git_error_clear();
			goto done;
		}
		git_oid_tostr(out, 41, git_commit_id(c));
		r = 0;
		goto done;
	}
	if (git_oid_fromstr(&id, s->commit) < 0 || git_commit_lookup(&c, s->repo, &id) < 0) {
		r = git_fail(s->commit);
		goto done;
	}
	if (git_commit_parentcount(c) == 0)
		goto done;
	if (git_commit_lookup(&parent, s->repo, git_commit_parent_id(c, 0)) < 0) {
		git_error_clear(); /* beyond a shallow clone's cut */
		goto done;
	}
	git_oid_tostr(out, 41, git_commit_id(parent));
	r = 0;
done:
	git_commit_free(parent);
	git_commit_free(c);
	git_object_free(obj);
	return r;
}

/* The id of the folder dir in c's tree; zero when absent. */
static int dir_id(git_commit *c, const char *dir, git_oid *id)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	int r;

	memset(id, 0, sizeof(*id));
	if (git_commit_tree(&t, c) < 0)
		return git_fail(dir);
	r = git_tree_entry_bypath(&e, t, dir);
	if (r == 0)
		git_oid_cpy(id, git_tree_entry_id(e));
	else if (r == GIT_ENOTFOUND)
		git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(t);
	return r == 0 || r == GIT_ENOTFOUND ? 0 : git_fail(dir);
}

int source_last_change(const struct source *s, const char *const *dirs, size_t ndirs, char out[41],
		       int64_t *time)
{
	git_commit *c = NULL, *parent = NULL;
	git_oid id, a, b;
	size_t k;
	int r = 1, differ;

	out[0] = '\0';
	*time = 0;
	if (!s->repo || s->worktree)
		return 1;
	if (git_oid_fromstr(&id, s->commit) < 0 || git_commit_lookup(&c, s->repo, &id) < 0)
		return git_fail(s->commit);
	for (;;) {
		git_oid_tostr(out, 41, git_commit_id(c));
		*time = (int64_t)git_commit_author(c)->when.time;
		if (git_commit_parentcount(c) == 0)
			break;
		if (git_commit_lookup(&parent, s->repo, git_commit_parent_id(c, 0)) < 0) {
			git_error_clear(); /* beyond a shallow clone's cut */
			break;
		}
		for (differ = 0, k = 0; !differ && k < ndirs; k++) {
			if ((r = dir_id(c, dirs[k], &a)) < 0 || (r = dir_id(parent, dirs[k], &b)) < 0)
				goto done;
			differ = !git_oid_equal(&a, &b);
		}
		if (differ) {
			r = 0;
			goto done;
		}
		git_commit_free(c);
		c = parent;
		parent = NULL;
	}
	r = 1;
done:
	git_commit_free(parent);
	git_commit_free(c);
	return r;
}

int source_descends(const struct source *s, const char *commit, const char *ancestor, bool *out)
{
	git_oid a, b;
	int r;

	*out = false;
	if (!s->repo || git_oid_fromstr(&a, commit) < 0 || git_oid_fromstr(&b, ancestor) < 0)
		return error_set(ERR_GIT, "not a commit id: %s", git_oid_fromstr(&a, commit) < 0 ? commit : ancestor);
	if (git_oid_equal(&a, &b)) {
		*out = true;
		return 0;
	}
	{
		/* a rewritten history may have lost the old commit altogether */
		git_commit *old = NULL;
		if (git_commit_lookup(&old, s->repo, &b) < 0) {
			git_error_clear();
			return 0;
		}
		git_commit_free(old);
	}
	/* libgit2 cannot walk past a shallow clone's cut: there, the
	 * commits it has are searched by hand */
	if (git_repository_is_shallow(s->repo) == 1) {
		struct pending *v = NULL;
		size_t n = 0, i;
		if ((r = shallow_list(s, &a, NULL, &v, &n)) < 0)
			return r;
		for (i = 0; i < n && !git_oid_equal(&v[i].id, &b); i++)
			;
		*out = i < n;
		free(v);
		return 0;
	}
	if ((r = git_graph_descendant_of(s->repo, &a, &b)) < 0)
		return git_fail(ancestor);
	*out = r == 1;
	return 0;
}

static int oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

int source_extends(const struct source *s, const char *ancestor, bool *out)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid top, base, oid, *v = NULL, *sorted = NULL, *bigger;
	unsigned char *desc = NULL; /* by position in sorted: descends from base */
	size_t n = 0, cap = 0, i, k;
	int r, error = 0;

	*out = false;
	if (!s->repo || git_oid_fromstr(&top, s->commit) < 0 || git_oid_fromstr(&base, ancestor) < 0)
		return error_set(ERR_GIT, "not a commit id: %s", ancestor);
	if (git_repository_is_shallow(s->repo) == 1) /* its parents are missing */
		return 0;
	if (git_revwalk_new(&walk, s->repo) < 0 || git_revwalk_push(walk, &top) < 0 ||
	    git_revwalk_hide(walk, &base) < 0) {
		error = git_fail("walking the history");
		goto done;
	}
	/* parents first, so each commit's parents are settled before it */
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	while ((r = git_revwalk_next(&oid, walk)) == 0) {
		if (!(bigger = array_grow(v, &cap, n + 1, sizeof(*v)))) {
			error = error_nomem();
			goto done;
		}
		v = bigger;
		v[n++] = oid;
	}
	if (r != GIT_ITEROVER) {
		error = git_fail("walking the history");
		goto done;
	}
	if (!(sorted = malloc((n + 1) * sizeof(*sorted))) || !(desc = calloc(n + 1, 1))) {
		error = error_nomem();
		goto done;
	}
	if (n)
		memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*sorted), oid_cmp);
	for (i = 0; i < n; i++) {
		bool d = false;
		if (git_commit_lookup(&c, s->repo, &v[i]) < 0) {
			error = git_fail("reading a commit");
			goto done;
		}
		for (k = 0; k < git_commit_parentcount(c) && !d; k++) {
			const git_oid *p = git_commit_parent_id(c, (unsigned)k);
			const git_oid *at = bsearch(p, sorted, n, sizeof(*sorted), oid_cmp);
			d = git_oid_equal(p, &base) || (at && desc[at - sorted]);
		}
		git_commit_free(c);
		c = NULL;
		if (!d)
			goto done;
		desc[(const git_oid *)bsearch(&v[i], sorted, n, sizeof(*sorted), oid_cmp) - sorted] = 1;
	}
	*out = true;
done:
	git_commit_free(c);
	free(desc);
	free(sorted);
	free(v);
	git_revwalk_free(walk);
	return error;
}

int source_compare(const struct source *s, const char *rev, struct source_change **v, size_t *n)
{
	git_object *obj = NULL;
	git_commit *a = NULL, *b = NULL;
	struct tops ta, tb;
	struct walker w;
	git_oid oid;
	int error;

	*v = NULL;
	*n = 0;
	if (!s->repo || s->worktree)
		return error_set(ERR_GIT, "comparing needs commits");
	if ((error = walker_init(&w, s)) < 0)
		goto done;
	if (git_revparse_single(&obj, s->repo, rev) < 0 ||
	    git_object_peel((git_object **)&a, obj, GIT_OBJECT_COMMIT) < 0) {
		error = git_fail(rev);
		goto done;
	}
	if (git_oid_fromstr(&oid, s->commit) < 0 || git_commit_lookup(&b, s->repo, &oid) < 0) {
		error = git_fail(s->commit);
		goto done;
	}
	if ((error = top_trees(&w, git_commit_tree_id(a)->id, &ta)) < 0 ||
	    (error = top_trees(&w, git_commit_tree_id(b)->id, &tb)) < 0)
		goto done;
	error = diff_tops(&w, &ta, &tb);
done:
	if (error < 0) {
		source_changes_free(w.c.v, w.c.n);
	} else {
		*v = w.c.v;
		*n = w.c.n;
	}
	w.c.v = NULL;
	w.c.n = 0;
	walker_release(&w);
	git_commit_free(a);
	git_commit_free(b);
	git_object_free(obj);
	return error;
}

void source_changes_free(struct source_change *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

const char *source_gitdir(const struct source *s)
{
	return s->repo ? git_repository_path(s->repo) : NULL;
}

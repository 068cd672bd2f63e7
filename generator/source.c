/* source.c - record files from git or the working tree (see source.h). */
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

#include "error.h"
#include "source.h"

/* libgit2's last error, as ours. */
static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return error_set(ERR_GIT, "%s: %s", what, e && e->message ? e->message : "unknown error");
}

int source_global_init(void)
{
	return git_libgit2_init() < 0 ? git_fail("libgit2") : 0;
}

void source_global_shutdown(void)
{
	git_libgit2_shutdown();
}

static int add_entry(struct source *s, const char *dir, const char *name,
		     const unsigned char *oid, bool link)
{
	struct source_entry *e;
	size_t dl = strlen(dir), nl = strlen(name);

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		if (!(e = realloc(s->v, cap * sizeof(*e))))
			return error_nomem();
		s->v = e;
		s->cap = cap;
	}
	e = &s->v[s->n];
	if (!(e->path = malloc(dl + nl + 2)))
		return error_nomem();
	memcpy(e->path, dir, dl);
	e->path[dl] = '/';
	memcpy(e->path + dl + 1, name, nl + 1);
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

static int open_repo(struct source *s, const char *dir)
{
	git_repository *repo;
	const char *wd;
	int error;

	if (git_repository_open_ext(&repo, dir, 0, NULL) < 0)
		return git_fail(dir);
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
		error = required ? error_set(ERR_GIT, "%s in commit %.7s is not a folder", top, s->commit) : 0;
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
		error = git_fail(rev);
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
	if (git_repository_open_ext((git_repository **)&s->repo, dir, 0, NULL) == 0 &&
	    git_repository_workdir(s->repo)) {
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

int source_read(const struct source *s, size_t i, size_t max,
		struct buf *out, uint64_t *size)
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

	for (i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
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
		      const git_oid *old, const git_oid *new)
{
	struct source_change *e;
	size_t dl = strlen(dir), nl = strlen(name);

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		if (!(e = realloc(c->v, cap * sizeof(*e))))
			return error_nomem();
		c->v = e;
		c->cap = cap;
	}
	e = &c->v[c->n];
	if (!(e->path = malloc(dl + nl + 2)))
		return error_nomem();
	snprintf(e->path, dl + nl + 2, "%s/%s", dir, name);
	e->status = st;
	memset(e->old_oid, 0, 20);
	memset(e->new_oid, 0, 20);
	if (old)
		memcpy(e->old_oid, old->id, 20);
	if (new)
		memcpy(e->new_oid, new->id, 20);
	c->n++;
	return 0;
}

static int diff_trees(git_repository *repo, const git_tree *a, const git_tree *b, const char *dir,
		      struct changes *c, int depth);

/* Every blob of a tree that appeared or disappeared whole. */
static int side_tree(git_repository *repo, const git_tree_entry *e, const char *dir, bool added,
		     struct changes *c, int depth)
{
	git_tree *t = NULL;
	char sub[4096];
	int error;

	if (git_tree_lookup(&t, repo, git_tree_entry_id(e)) < 0)
		return git_fail(dir);
	snprintf(sub, sizeof(sub), "%s/%s", dir, git_tree_entry_name(e));
	error = added ? diff_trees(repo, NULL, t, sub, c, depth + 1) : diff_trees(repo, t, NULL, sub, c, depth + 1);
	git_tree_free(t);
	return error;
}

static bool is_blob(const git_tree_entry *e)
{
	git_filemode_t m = git_tree_entry_filemode(e);

	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static bool is_tree(const git_tree_entry *e)
{
	return git_tree_entry_filemode(e) == GIT_FILEMODE_TREE;
}

/*
 * The changed blobs between trees a and b (either may be NULL), the way
 * git compares them: both entry lists are sorted, equal ids are skipped
 * without reading anything below them.
 */
static int diff_trees(git_repository *repo, const git_tree *a, const git_tree *b, const char *dir,
		      struct changes *c, int depth)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	int error = 0;

	if (depth > 32)
		return error_set(ERR_LIMIT, "%s: folders nested too deep", dir);
	while ((i < na || j < nb) && error >= 0) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int cmp = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
		if (cmp == 0 && strcmp(git_tree_entry_name(ea), git_tree_entry_name(eb)))
			cmp = strcmp(git_tree_entry_name(ea), git_tree_entry_name(eb));
		if (cmp < 0) { /* only in a: deleted */
			if (is_tree(ea))
				error = side_tree(repo, ea, dir, false, c, depth);
			else if (is_blob(ea))
				error = change_add(c, dir, git_tree_entry_name(ea), SOURCE_DELETED,
						   git_tree_entry_id(ea), NULL);
			i++;
		} else if (cmp > 0) { /* only in b: added */
			if (is_tree(eb))
				error = side_tree(repo, eb, dir, true, c, depth);
			else if (is_blob(eb))
				error = change_add(c, dir, git_tree_entry_name(eb), SOURCE_ADDED, NULL,
						   git_tree_entry_id(eb));
			j++;
		} else {
			if (!git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb))) {
				if (is_tree(ea) && is_tree(eb)) {
					git_tree *ta = NULL, *tb = NULL;
					char sub[4096];
					snprintf(sub, sizeof(sub), "%s/%s", dir, git_tree_entry_name(ea));
					if (git_tree_lookup(&ta, repo, git_tree_entry_id(ea)) < 0 ||
					    git_tree_lookup(&tb, repo, git_tree_entry_id(eb)) < 0)
						error = git_fail(sub);
					else
						error = diff_trees(repo, ta, tb, sub, c, depth + 1);
					git_tree_free(ta);
					git_tree_free(tb);
				} else if (is_blob(ea) && is_blob(eb)) {
					error = change_add(c, dir, git_tree_entry_name(ea), SOURCE_MODIFIED,
							   git_tree_entry_id(ea), git_tree_entry_id(eb));
				} else { /* a file became a folder or the reverse */
					if (is_tree(ea))
						error = side_tree(repo, ea, dir, false, c, depth);
					else if (is_blob(ea))
						error = change_add(c, dir, git_tree_entry_name(ea), SOURCE_DELETED,
								   git_tree_entry_id(ea), NULL);
					if (error >= 0 && is_tree(eb))
						error = side_tree(repo, eb, dir, true, c, depth);
					else if (error >= 0 && is_blob(eb))
						error = change_add(c, dir, git_tree_entry_name(eb), SOURCE_ADDED, NULL,
								   git_tree_entry_id(eb));
				}
			}
			i++;
			j++;
		}
	}
	return error;
}

/* The data/ subtree of a commit, or NULL when it has none. */
static int data_tree(git_repository *repo, const git_commit *commit, git_tree **out)
{
	git_tree *root = NULL;
	git_tree_entry *te = NULL;
	int error = 0;

	*out = NULL;
	if (git_commit_tree(&root, commit) < 0)
		return git_fail("reading a commit's tree");
	if (git_tree_entry_bypath(&te, root, SOURCE_ROOT) == 0 && git_tree_entry_type(te) == GIT_OBJECT_TREE) {
		if (git_tree_lookup(out, repo, git_tree_entry_id(te)) < 0)
			error = git_fail(SOURCE_ROOT);
	}
	git_error_clear();
	git_tree_entry_free(te);
	git_tree_free(root);
	return error;
}

/* One commit of a walk: its changes under data/ against its first parent. */
static int walk_one(const struct source *s, const git_oid *id, struct changes *cc, source_commit_fn fn,
		    void *payload)
{
	git_commit *commit = NULL, *parent = NULL;
	git_tree *now = NULL, *before = NULL;
	git_buf sig = { 0 }, signed_data = { 0 };
	struct source_commit sc;
	const git_signature *au;
	git_oid oid = *id;
	size_t i;
	int error = 0;

	if (git_commit_lookup(&commit, s->repo, &oid) < 0)
		return git_fail("reading a commit");
	memset(&sc, 0, sizeof(sc));
	git_oid_tostr(sc.id, sizeof(sc.id), &oid);
	sc.nparents = git_commit_parentcount(commit);
	/* a shallow clone's boundary commit has parents it cannot read */
	if (sc.nparents && git_commit_parent(&parent, commit, 0) == 0)
		git_oid_tostr(sc.parent, sizeof(sc.parent), git_commit_id(parent));
	git_error_clear();
	if ((error = data_tree(s->repo, commit, &now)) < 0 ||
	    (parent && (error = data_tree(s->repo, parent, &before)) < 0))
		goto done;
	if ((now || before) && (!now || !before || !git_oid_equal(git_tree_id(now), git_tree_id(before))) &&
	    (error = diff_trees(s->repo, before, now, SOURCE_ROOT, cc, 0)) < 0)
		goto done;
	if (cc->n) {
		au = git_commit_author(commit);
		sc.author = au->name;
		sc.email = au->email;
		sc.time = (int64_t)au->when.time;
		sc.offset = au->when.offset;
		sc.message = git_commit_message(commit);
		sc.is_signed = git_commit_extract_signature(&sig, &signed_data, s->repo, &oid, NULL) == 0;
		git_error_clear();
		error = fn(&sc, cc->v, cc->n, payload);
	}
done:
	for (i = 0; i < cc->n; i++)
		free(cc->v[i].path);
	cc->n = 0;
	git_buf_dispose(&sig);
	git_buf_dispose(&signed_data);
	git_tree_free(now);
	git_tree_free(before);
	git_commit_free(parent);
	git_commit_free(commit);
	return error;
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
 * The commits of a shallow clone, newest first: every commit reachable
 * without crossing the cut, ordered by commit time (a shallow history is
 * short, and its order is only for display; parents missing beyond the
 * cut are the cut).
 */
static int walk_shallow(const struct source *s, const char *stop, source_commit_fn fn, void *payload)
{
	struct pending *seen = NULL, *todo = NULL;
	size_t nseen = 0, ntodo = 0, cap = 0, tcap = 0, i;
	struct changes c = { 0 };
	git_oid tip, hide;
	int error = 0;
	bool has_stop = stop && *stop && git_oid_fromstr(&hide, stop) == 0;

	if (git_oid_fromstr(&tip, s->commit) < 0)
		return git_fail(s->commit);
	if (!(todo = malloc(sizeof(*todo) * (tcap = 64))))
		return error_nomem();
	todo[ntodo++].id = tip;
	while (ntodo && error >= 0) {
		git_oid id = todo[--ntodo].id;
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
		if (nseen == cap) {
			struct pending *v = realloc(seen, sizeof(*v) * (cap = cap ? cap * 2 : 64));
			if (!v) {
				git_commit_free(commit);
				error = error_nomem();
				break;
			}
			seen = v;
		}
		seen[nseen].id = id;
		seen[nseen++].time = (int64_t)git_commit_time(commit);
		np = git_commit_parentcount(commit);
		for (k = 0; k < np && error >= 0; k++) {
			if (ntodo == tcap) {
				struct pending *v = realloc(todo, sizeof(*v) * (tcap *= 2));
				if (!v) {
					error = error_nomem();
					break;
				}
				todo = v;
			}
			todo[ntodo++].id = *git_commit_parent_id(commit, k);
		}
		git_commit_free(commit);
	}
	if (error >= 0 && nseen)
		qsort(seen, nseen, sizeof(*seen), pending_cmp);
	for (i = 0; i < nseen && error >= 0; i++)
		error = walk_one(s, &seen[i].id, &c, fn, payload);
	free(c.v);
	free(seen);
	free(todo);
	return error;
}

int source_walk(const struct source *s, const char *stop, source_commit_fn fn, void *payload)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	struct changes c = { 0 };
	int error = 0;

	if (!s->repo || s->worktree)
		return error_set(ERR_GIT, "the history is read from a commit, not the working tree");
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
		error = walk_shallow(s, stop, fn, payload);
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
		if ((error = walk_one(s, &oid, &c, fn, payload)) < 0)
			break;
	}
done:
	free(c.v);
	git_revwalk_free(walk);
	return error;
}

int source_read_oid(const struct source *s, const unsigned char id[20], size_t max,
		    struct buf *out, uint64_t *size)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_object_t type;
	git_oid oid;
	size_t len;
	int error = 0;

	buf_clear(out);
	*size = 0;
	if (!s->repo)
		return error_set(ERR_GIT, "no repository");
	memcpy(oid.id, id, 20);
	if (git_repository_odb(&odb, s->repo) < 0)
		return git_fail("opening the object database");
	if (git_odb_read_header(&len, &type, odb, &oid) < 0) {
		error = git_fail("reading an object");
		goto done;
	}
	*size = len;
	if (len > max)
		goto done;
	if (git_odb_read(&obj, odb, &oid) < 0) {
		error = git_fail("reading an object");
		goto done;
	}
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
	if ((r = git_graph_descendant_of(s->repo, &a, &b)) < 0)
		return git_fail(ancestor);
	*out = r == 1;
	return 0;
}

int source_compare(const struct source *s, const char *rev, struct source_change **v, size_t *n)
{
	git_object *obj = NULL;
	git_commit *a = NULL, *b = NULL;
	git_tree *ta = NULL, *tb = NULL;
	struct changes c = { 0 };
	git_oid oid;
	int error;

	*v = NULL;
	*n = 0;
	if (!s->repo || s->worktree)
		return error_set(ERR_GIT, "comparing needs commits");
	if (git_revparse_single(&obj, s->repo, rev) < 0 ||
	    git_object_peel((git_object **)&a, obj, GIT_OBJECT_COMMIT) < 0) {
		error = git_fail(rev);
		goto done;
	}
	if (git_oid_fromstr(&oid, s->commit) < 0 || git_commit_lookup(&b, s->repo, &oid) < 0) {
		error = git_fail(s->commit);
		goto done;
	}
	if ((error = data_tree(s->repo, a, &ta)) < 0 || (error = data_tree(s->repo, b, &tb)) < 0)
		goto done;
	if ((ta || tb) && (!ta || !tb || !git_oid_equal(git_tree_id(ta), git_tree_id(tb))))
		error = diff_trees(s->repo, ta, tb, SOURCE_ROOT, &c, 0);
done:
	if (error < 0) {
		source_changes_free(c.v, c.n);
	} else {
		*v = c.v;
		*n = c.n;
	}
	git_tree_free(ta);
	git_tree_free(tb);
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

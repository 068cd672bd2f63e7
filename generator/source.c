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

static int open_repo(struct source *s, const char *dir)
{
	git_repository *repo;
	const char *wd;

	if (git_repository_open_ext(&repo, dir, 0, NULL) < 0)
		return git_fail(dir);
	s->repo = repo;
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

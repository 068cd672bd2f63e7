/*
 * gitrepo.h - temporary folders and git repositories for the unit tests
 * of source.c and history.c.
 *
 * The repositories are made with the git command-line tool (system()),
 * so libgit2 is read against what git itself wrote.  Author, committer
 * and dates are fixed through the environment, and no user or system
 * configuration is read, so the commits are the same on every machine.
 * Everything lives under one mkdtemp() folder, removed by tmp_remove().
 *
 * Header-only (static inline): each test binary is one .c file.
 */
#ifndef GONGSHI_UNIT_GITREPO_H
#define GONGSHI_UNIT_GITREPO_H

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

static char tmp_root[64]; /* this test's folder under /tmp */

/* root/rel in one of a few rotating buffers, so a call can take several. */
static inline const char *tmp_path(const char *rel)
{
	static char bufs[8][1024];
	static int next;
	char *p = bufs[next++ % 8];

	snprintf(p, 1024, "%s/%s", tmp_root, rel);
	return p;
}

static inline void tmp_rm_tree(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	char sub[4096];

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		chmod(path, 0700);
		if ((d = opendir(path))) {
			while ((e = readdir(d)))
				if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
					if (snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) < (int)sizeof(sub))
						tmp_rm_tree(sub);
				}
			closedir(d);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* A git environment that reads no configuration (HOME is root). */
static inline void tmp_env(void)
{
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_CEILING_DIRECTORIES");
	setenv("HOME", tmp_root, 1);
	setenv("XDG_CONFIG_HOME", tmp_root, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("GIT_AUTHOR_NAME", "测试员 Tester", 1);
	setenv("GIT_AUTHOR_EMAIL", "tester@example.gov.cn", 1);
	setenv("GIT_COMMITTER_NAME", "Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.gov.cn", 1);
	setenv("GIT_AUTHOR_DATE", "2024-01-01T10:00:00+08:00", 1);
	setenv("GIT_COMMITTER_DATE", "2024-01-01T10:00:00+08:00", 1);
	setenv("TZ", "UTC", 1);
}

/* Makes the folder, and the environment for git in it. */
static inline void tmp_make(const char *tag)
{
	snprintf(tmp_root, sizeof(tmp_root), "/tmp/gongshi-%s-XXXXXX", tag);
	ck_assert_ptr_nonnull(mkdtemp(tmp_root));
	tmp_env();
}

/* Removes the folder.  (A failed assertion ends a forked test without
 * its teardown: a test that can fail on purpose calls this first.) */
static inline void tmp_remove(void)
{
	if (tmp_root[0])
		tmp_rm_tree(tmp_root);
	tmp_root[0] = '\0';
}

/* Writes text to root/rel, making its folders. */
static inline void tmp_write(const char *rel, const char *text)
{
	char path[1024], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
	for (p = path + strlen(tmp_root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			ck_abort_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	ck_assert_msg((f = fopen(path, "wb")) != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* Runs a shell command in root (printf-style); it must succeed. */
static inline void tmp_sh(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void tmp_sh(const char *fmt, ...)
{
	char cmd[4096];
	int n, rc;
	va_list ap;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", tmp_root);
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	rc = system(cmd);
	ck_assert_msg(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "failed (%d): %s", rc, cmd);
}

/* Runs a shell command in root and returns its output's first line. */
static inline const char *tmp_out(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline const char *tmp_out(const char *fmt, ...)
{
	static char bufs[4][1024];
	static int next;
	char cmd[4096], *out = bufs[next++ % 4];
	FILE *p;
	int n;
	va_list ap;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", tmp_root);
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	out[0] = '\0';
	if (!fgets(out, 1024, p))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	ck_assert_msg(pclose(p) == 0, "failed: %s", cmd);
	return out;
}

/* Commits everything in repo (a folder under root) at a fixed date. */
static inline void tmp_commit(const char *repo, const char *when, const char *msg)
{
	setenv("GIT_AUTHOR_DATE", when, 1);
	setenv("GIT_COMMITTER_DATE", when, 1);
	tmp_sh("cd %s && git add -A && git commit -q --no-gpg-sign --allow-empty -m '%s'", repo, msg);
}

/* ---- blob ids, as git gives them, read once per commit ---- */

struct tmp_blob {
	char rev[41], path[128], oid[41];
};

static struct tmp_blob tmp_blobs[256];
static int tmp_nblobs;

/* Reads every blob of commit rev (a full id) of repo with git ls-tree. */
static inline void tmp_index_blobs(const char *repo, const char *rev)
{
	char cmd[1024], line[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "cd '%s/%s' && git ls-tree -r --full-tree %s", tmp_root, repo, rev);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	while (fgets(line, sizeof(line), p)) {
		char mode[16], type[16], oid[64], path[256];
		struct tmp_blob *b;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%15s %15s %63s %255[^\n]", mode, type, oid, path) != 4 || strcmp(type, "blob"))
			continue;
		ck_assert_int_lt(tmp_nblobs, 256);
		b = &tmp_blobs[tmp_nblobs++];
		snprintf(b->rev, sizeof(b->rev), "%.40s", rev);
		snprintf(b->path, sizeof(b->path), "%s", strchr(line, '\t') + 1);
		snprintf(b->oid, sizeof(b->oid), "%.40s", oid);
	}
	ck_assert_int_eq(pclose(p), 0);
}

/* The blob id of rev:path from the index (rev a full commit id). */
static inline const char *tmp_blob_id(const char *rev, const char *path)
{
	int i;

	for (i = 0; i < tmp_nblobs; i++)
		if (!strcmp(tmp_blobs[i].rev, rev) && !strcmp(tmp_blobs[i].path, path))
			return tmp_blobs[i].oid;
	ck_abort_msg("no blob %s:%s in the index", rev, path);
	return NULL;
}

/* Hex of a 20-byte id. */
static inline const char *tmp_hex(const unsigned char *oid)
{
	static char bufs[4][41];
	static int next;
	char *p = bufs[next++ % 4];
	int i;

	for (i = 0; i < 20; i++)
		snprintf(p + 2 * i, 3, "%02x", oid[i]);
	return p;
}

#endif

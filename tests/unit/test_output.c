/* test_output.c - writing a site atomically (generator/output.c). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "buf.h"
#include "error.h"
#include "output.h"
#include "unit.h"

static char base[64];      /* this test's folder under /tmp */
static char site[128];     /* base/site, the DIR of most tests */

/* base/rel in one of a few rotating buffers, so that a call can take
 * several. */
static const char *at(const char *rel)
{
	static char bufs[4][512];
	static int next;
	char *p = bufs[next++ % 4];

	snprintf(p, 512, "%s/%s", base, rel);
	return p;
}

static void rm_tree(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	char sub[4096];

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path))) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
				rm_tree(sub);
			}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static void setup(void)
{
	strcpy(base, "/tmp/gongshi-output-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	snprintf(site, sizeof(site), "%s/site", base);
	umask(022);
	error_clear();
}

static void teardown(void)
{
	rm_tree(base);
}

static void slurp(const char *path, struct buf *b)
{
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	buf_clear(b);
	ck_assert_int_eq(buf_put(b, "", 0), 0);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		ck_assert_int_eq(buf_put(b, chunk, (size_t)n), 0);
	ck_assert_int_ge(n, 0);
	close(fd);
}

static void expect_file(const char *path, const char *contents)
{
	struct buf b = BUF_INIT;

	slurp(path, &b);
	ck_assert_str_eq(buf_cstr(&b), contents);
	buf_release(&b);
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	ck_assert_int_eq(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct list {
	char **v;
	size_t n, cap;
};

static void list_add(struct list *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		ck_assert_ptr_nonnull(l->v);
	}
	ck_assert_ptr_nonnull(l->v[l->n++] = strdup(s));
}

static void list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* Every non-folder below root/rel, as paths relative to root. */
static void walk(const char *root, const char *rel, struct list *out)
{
	char path[8192], sub[2048];
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	ck_assert_ptr_nonnull(d = opendir(path));
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
			 e->d_name);
		snprintf(path, sizeof(path), "%s/%s", root, sub);
		ck_assert_int_eq(lstat(path, &st), 0);
		if (S_ISDIR(st.st_mode))
			walk(root, sub, out);
		else
			list_add(out, sub);
	}
	closedir(d);
}

/* The names in a folder, sorted, joined by spaces: to see leftovers
 * (not the lock file of site, which is meant to stay). */
static void names(const char *dir, struct buf *out)
{
	struct list l = { NULL, 0, 0 };
	struct dirent *e;
	DIR *d;
	size_t i;

	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    strcmp(e->d_name, ".site.lock")) /* DIR's lock stays, by design */
			list_add(&l, e->d_name);
	closedir(d);
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_str);
	buf_clear(out);
	ck_assert_int_eq(buf_put(out, "", 0), 0);
	for (i = 0; i < l.n; i++)
		ck_assert_int_eq(buf_printf(out, "%s%s", i ? " " : "", l.v[i]), 0);
	list_free(&l);
}

static void expect_names(const char *dir, const char *want)
{
	struct buf b = BUF_INIT;

	names(dir, &b);
	ck_assert_str_eq(buf_cstr(&b), want);
	buf_release(&b);
}

static void sha256_hex(const char *data, size_t len, char hex[65])
{
	unsigned char d[SHA256_DIGEST_SIZE];
	struct sha256_ctx c;
	size_t i;

	sha256_init(&c);
	sha256_update(&c, len, (const uint8_t *)data);
	sha256_digest(&c, sizeof(d), d);
	for (i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* What "sha256sum -c" does, with nettle: every line's digest matches
 * its file, the lines are sorted bytewise, and they list exactly the
 * files in dir other than SHA256SUMS itself, the marker among them.
 * Returns the line count, the marker's not counted. */
static size_t verify_sums(const char *dir)
{
	struct buf sums = BUF_INIT, file = BUF_INIT;
	struct list listed = { NULL, 0, 0 }, present = { NULL, 0, 0 };
	char path[8192], rel[2048], hex[65];
	const char *p, *nl;
	size_t i, n;

	snprintf(path, sizeof(path), "%s/" OUTPUT_SUMS, dir);
	slurp(path, &sums);
	for (p = buf_cstr(&sums); *p; p = nl + 1) {
		ck_assert_ptr_nonnull(nl = strchr(p, '\n'));
		ck_assert_uint_gt((size_t)(nl - p), 66);
		ck_assert(p[64] == ' ' && p[65] == ' ');
		n = (size_t)(nl - p) - 66;
		snprintf(rel, sizeof(rel), "%.*s", (int)n, p + 66);
		list_add(&listed, rel);
		snprintf(path, sizeof(path), "%s/%s", dir, rel);
		slurp(path, &file);
		sha256_hex(file.ptr, file.len, hex);
		ck_assert_msg(!memcmp(hex, p, 64), "digest of %s", path);
	}
	for (i = 1; i < listed.n; i++)
		ck_assert_int_lt(strcmp(listed.v[i - 1], listed.v[i]), 0);
	walk(dir, "", &present);
	if (present.n)
		qsort(present.v, present.n, sizeof(char *), cmp_str);
	ck_assert_uint_eq(present.n, listed.n + 1);
	for (i = 0, n = 0; i < present.n; i++) {
		if (!strcmp(present.v[i], OUTPUT_SUMS))
			continue;
		ck_assert_str_eq(present.v[i], listed.v[n]);
		n++;
	}
	for (i = 0; i < listed.n && strcmp(listed.v[i], OUTPUT_MARK); i++)
		;
	ck_assert_msg(i < listed.n, "the marker is not listed");
	snprintf(path, sizeof(path), "%s/" OUTPUT_MARK, dir);
	expect_file(path, "gongshi-site 1\n");
	n = listed.n - 1;
	list_free(&listed);
	list_free(&present);
	buf_release(&sums);
	buf_release(&file);
	return n;
}

static void put(struct output *o, const char *path, const char *s)
{
	ck_assert_msg(output_write(o, path, s, strlen(s)) == 0, "%s: %s", path,
		      error_message());
}

/* A committed build of site with the given files (path, contents...). */
static void build(const char *dir, unsigned flags, ...)
{
	struct output o = OUTPUT_INIT;
	const char *path;
	va_list ap;

	o.flags = flags;
	ck_assert_msg(output_open(&o, dir) == 0, "%s", error_message());
	va_start(ap, flags);
	while ((path = va_arg(ap, const char *)))
		put(&o, path, va_arg(ap, const char *));
	va_end(ap);
	ck_assert_msg(output_commit(&o) == 0, "%s", error_message());
	output_release(&o);
}

START_TEST(fresh_build)
{
	struct output o = OUTPUT_INIT;
	char hex[65];
	struct buf b = BUF_INIT;

	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_ptr_nonnull(o.tmp);
	ck_assert(!exists(site));
	ck_assert_uint_eq(mode_of(at(o.tmp)), 0755);
	put(&o, "index.html", "<h1>公示</h1>\n");
	put(&o, "css/site.css", "body{}\n");
	put(&o, "notices/2024/拟获奖名单.html", "名单\n");
	ck_assert_int_eq(output_write(&o, "empty.txt", NULL, 0), 0);
	ck_assert_uint_eq(output_count(&o), 4);
	ck_assert_uint_eq(output_bytes(&o), strlen("<h1>公示</h1>\n") + 7 +
			  strlen("名单\n"));
	ck_assert_int_eq(output_commit(&o), 0);
	ck_assert_ptr_null(o.tmp);
	output_release(&o);

	expect_names(base, "site");
	expect_file(at("site/index.html"), "<h1>公示</h1>\n");
	expect_file(at("site/notices/2024/拟获奖名单.html"), "名单\n");
	expect_file(at("site/empty.txt"), "");
	ck_assert_uint_eq(mode_of(site), 0755);
	ck_assert_uint_eq(mode_of(at("site/notices/2024")), 0755);
	ck_assert_uint_eq(mode_of(at("site/index.html")), 0644);
	ck_assert_uint_eq(mode_of(at("site/SHA256SUMS")), 0644);
	ck_assert_uint_eq(verify_sums(site), 4);

	/* Sorted bytewise: "." < "c" < "e" < "i" < "n", and the exact
	 * format; the marker first. */
	slurp(at("site/SHA256SUMS"), &b);
	sha256_hex("gongshi-site 1\n", 15, hex);
	ck_assert(!strncmp(buf_cstr(&b), hex, 64));
	ck_assert(!strncmp(buf_cstr(&b) + 64, "  .gongshi-site\n", 16));
	sha256_hex("body{}\n", 7, hex);
	ck_assert(!strncmp(buf_cstr(&b) + 80, hex, 64));
	ck_assert(!strncmp(buf_cstr(&b) + 80 + 64, "  css/site.css\n", 15));
	ck_assert_ptr_nonnull(strstr(buf_cstr(&b),
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
		"  empty.txt\n"));
	buf_release(&b);
}
END_TEST

START_TEST(umask_applies)
{
	umask(027);
	build(site, 0, "a/b.html", "x", NULL);
	ck_assert_uint_eq(mode_of(site), 0750);
	ck_assert_uint_eq(mode_of(at("site/a")), 0750);
	ck_assert_uint_eq(mode_of(at("site/a/b.html")), 0640);
}
END_TEST

static void rebuild(unsigned flags)
{
	build(site, flags, "index.html", "v1", "old/gone.html", "old",
	      "keep/a.html", "a1", NULL);
	verify_sums(site);
	build(site, flags, "index.html", "v2", "keep/a.html", "a2",
	      "new/b.html", "b2", NULL);
	expect_names(base, "site");
	expect_names(site, ".gongshi-site SHA256SUMS index.html keep new");
	expect_file(at("site/index.html"), "v2");
	expect_file(at("site/keep/a.html"), "a2");
	expect_file(at("site/new/b.html"), "b2");
	ck_assert(!exists(at("site/old")));
	ck_assert_uint_eq(verify_sums(site), 3);
}

START_TEST(rebuild_exchanges)
{
	rebuild(0);
}
END_TEST

START_TEST(rebuild_two_renames)
{
	rebuild(OUTPUT_NO_EXCHANGE);
}
END_TEST

START_TEST(sha256sum_agrees)
{
	char cmd[512];

	build(site, 0, "a.html", "a", "b/c.html", "c", "b/d/e f.txt", "e f", NULL);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", site);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(empty_build)
{
	build(site, 0, NULL);
	expect_names(site, ".gongshi-site SHA256SUMS");
	ck_assert_uint_eq(verify_sums(site), 0);
}
END_TEST

static const char *const bad_paths[] = {
	"", "/abs.html", "a//b", "a/", "/", ".", "..", "./a", "a/.", "a/./b",
	"../a", "a/..", "a/../b", "a\\b", "\\a", "a\tb", "a\nb", "a\x7f",
	"SHA256SUMS", "SHA256SUMS/x", ".gongshi-site", ".gongshi-site/x",
};

START_TEST(bad_path_rejected)
{
	struct output o = OUTPUT_INIT;

	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(output_write(&o, bad_paths[_i], "x", 1), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(error_message(), "output path"));
	ck_assert_uint_eq(output_count(&o), 0);
	/* Nothing was written, so the build may still go on. */
	put(&o, "ok.html", "ok");
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);
	expect_names(site, ".gongshi-site SHA256SUMS ok.html");
}
END_TEST

START_TEST(odd_but_valid_paths)
{
	build(site, 0, ".well-known/security.txt", "x", "a..b", "y",
	      "...", "z", "sha256sums", "lower", "SHA256SUMS.txt", "w",
	      "d/SHA256SUMS", "nested", NULL);
	ck_assert_uint_eq(verify_sums(site), 6);
}
END_TEST

START_TEST(conflicts_rejected)
{
	struct output o = OUTPUT_INIT;

	ck_assert_int_eq(output_open(&o, site), 0);
	put(&o, "x.html", "1");
	ck_assert_int_eq(output_write(&o, "x.html", "2", 1), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(error_message(), "written twice"));
	ck_assert_int_eq(output_write(&o, "x.html/y", "2", 1), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(error_message(), "as a folder"));
	ck_assert_int_eq(output_write(&o, "x.html/y/z", "2", 1), ERR_INVALID);
	put(&o, "d/e.html", "3");
	ck_assert_int_eq(output_write(&o, "d", "4", 1), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(error_message(), "already a folder"));
	ck_assert_uint_eq(output_count(&o), 2);
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);
	expect_file(at("site/x.html"), "1");
	ck_assert_uint_eq(verify_sums(site), 2);
}
END_TEST

START_TEST(abort_leaves_dir_untouched)
{
	struct output o = OUTPUT_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT;

	build(site, 0, "index.html", "v1", NULL);
	slurp(at("site/SHA256SUMS"), &before);
	ck_assert_int_eq(output_open(&o, site), 0);
	put(&o, "index.html", "v2");
	put(&o, "more/x.html", "x");
	output_abort(&o);
	output_abort(&o);
	expect_names(base, "site");
	expect_names(site, ".gongshi-site SHA256SUMS index.html");
	expect_file(at("site/index.html"), "v1");
	slurp(at("site/SHA256SUMS"), &after);
	ck_assert_str_eq(buf_cstr(&before), buf_cstr(&after));
	ck_assert_int_eq(output_write(&o, "y", "y", 1), ERR_INVALID);
	ck_assert_int_eq(output_commit(&o), ERR_INVALID);
	output_release(&o);

	/* Releasing an uncommitted build is an abort too. */
	ck_assert_int_eq(output_open(&o, site), 0);
	put(&o, "index.html", "v3");
	output_release(&o);
	expect_names(base, "site");
	expect_file(at("site/index.html"), "v1");
	buf_release(&before);
	buf_release(&after);
}
END_TEST

/* Whether this process has a thread named name. */
static bool has_thread(const char *name)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	bool found = false;

	ck_assert_ptr_nonnull(d);
	while (!found && (e = readdir(d))) {
		char path[300], comm[32] = "";
		FILE *f;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		if (e->d_name[0] == '.' || !(f = fopen(path, "r")))
			continue;
		found = fgets(comm, sizeof(comm), f) && !strncmp(comm, name, strlen(name)) &&
			comm[strlen(name)] == '\n';
		fclose(f);
	}
	closedir(d);
	return found;
}

/* The flusher runs from output_flush() to the commit or the abort, and
 * changes nothing in what is written; twice is once, and a closed
 * output has none. */
START_TEST(flusher_runs_until_commit_or_abort)
{
	struct output o = OUTPUT_INIT;

	output_flush(&o);
	ck_assert(!has_thread("gongshi-flush"));
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert(!has_thread("gongshi-flush"));
	output_flush(&o);
	output_flush(&o);
	ck_assert(has_thread("gongshi-flush"));
	put(&o, "index.html", "v1");
	put(&o, "a/b.html", "b");
	ck_assert_int_eq(output_commit(&o), 0);
	ck_assert(!has_thread("gongshi-flush"));
	output_release(&o);
	expect_names(site, ".gongshi-site SHA256SUMS a index.html");
	expect_file(at("site/a/b.html"), "b");
	verify_sums(site);

	ck_assert_int_eq(output_open(&o, site), 0);
	output_flush(&o);
	put(&o, "index.html", "v2");
	ck_assert(has_thread("gongshi-flush"));
	output_abort(&o);
	ck_assert(!has_thread("gongshi-flush"));
	output_release(&o);
	expect_names(base, "site");
	expect_file(at("site/index.html"), "v1");
}
END_TEST

/* A build of site, with flags, that dies before its commit (in a child,
 * which exits as if killed: no abort, no release). */
static void killed_build(unsigned flags)
{
	pid_t pid;
	int status;

	if ((pid = fork()) == 0) {
		struct output c = OUTPUT_INIT;

		c.flags = flags;
		if (output_open(&c, site) < 0 ||
		    output_write(&c, "index.html", "v2", 2) < 0 ||
		    output_write(&c, "a/b/c.html", "c", 1) < 0)
			_exit(2);
		_exit(1);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

START_TEST(killed_build_cleaned_next_time)
{
	struct output o = OUTPUT_INIT;
	struct buf b = BUF_INIT;

	build(site, 0, "index.html", "v1", NULL);
	killed_build(0);

	expect_file(at("site/index.html"), "v1");
	verify_sums(site);
	names(base, &b);
	ck_assert_msg(!strncmp(buf_cstr(&b), ".site.tmp-", 10) &&
		      strlen(buf_cstr(&b)) == 16 + 5, "%s", buf_cstr(&b));

	ck_assert_int_eq(output_open(&o, site), 0);
	names(base, &b);
	ck_assert_int_eq(buf_printf(&b, "|"), 0);
	{
		char want[64];

		snprintf(want, sizeof(want), "%s site|", o.tmp);
		ck_assert_str_eq(buf_cstr(&b), want);
	}
	output_release(&o);
	expect_names(base, "site");
	buf_release(&b);
}
END_TEST

/* A folder of a live build is locked; the sweep leaves it alone.  (Two
 * builds of one DIR cannot run at once: the second waits for DIR's lock,
 * or fails, below; this is a build of an older version, or one whose
 * lock file was deleted.) */
START_TEST(live_build_not_swept)
{
	struct output o = OUTPUT_INIT;
	int fd;

	ck_assert_int_eq(mkdir(at(".site.tmp-LIVE00"), 0700), 0);
	ck_assert_int_ge(fd = open(at(".site.tmp-LIVE00"), O_RDONLY | O_DIRECTORY), 0);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	o.flags = OUTPUT_SPARE;
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(o.reuse, 0);
	put(&o, "b.html", "b");
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);
	ck_assert(exists(at(".site.tmp-LIVE00")));
	close(fd);
	expect_names(site, ".gongshi-site SHA256SUMS b.html");
}
END_TEST

/* One build of a DIR at a time: another process's fails at once naming
 * the first's, or with OUTPUT_WAIT waits until the first lets go, and
 * then reads the first's site as the current one. */
START_TEST(one_build_at_a_time)
{
	struct output a = OUTPUT_INIT;
	char c;
	int pipefd[2], status;
	pid_t pid, parent = getpid();

	ck_assert_int_eq(output_open(&a, site), 0);
	put(&a, "x", "a");
	ck_assert_int_eq(pipe(pipefd), 0);
	fflush(NULL);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		struct output b = OUTPUT_INIT;
		struct buf cur = BUF_INIT, want = BUF_INIT;
		int ok;

		close(pipefd[0]);
		ok = output_open(&b, site) == ERR_IO &&
		     buf_printf(&want, "another build (process %ld)", (long)parent) >= 0 &&
		     strstr(error_message(), buf_cstr(&want));
		output_release(&b);
		b.flags = OUTPUT_WAIT;
		if (!ok || write(pipefd[1], "w", 1) != 1 || output_open(&b, site) != 0 ||
		    output_read_current(&b, "x", &cur) != 0 || strcmp(buf_cstr(&cur), "a") ||
		    output_write(&b, "x", "b", 1) != 0 || output_commit(&b) != 0)
			_exit(1);
		output_release(&b);
		buf_release(&cur);
		buf_release(&want);
		_exit(0);
	}
	close(pipefd[1]);
	ck_assert_int_eq(read(pipefd[0], &c, 1), 1);
	close(pipefd[0]);
	nanosleep(&(struct timespec){ 0, 200000000 }, NULL); /* the child waits on the lock */
	ck_assert(!exists(site));
	ck_assert_int_eq(output_commit(&a), 0);
	output_release(&a);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	expect_file(at("site/x"), "b");
}
END_TEST

START_TEST(sweep_only_ours)
{
	struct output o = OUTPUT_INIT;

	ck_assert_int_eq(mkdir(at("outside"), 0755), 0);
	ck_assert_int_eq(mkdir(at("outside/keep"), 0755), 0);
	ck_assert_int_eq(close(creat(at("outside/keep/f"), 0644)), 0);
	/* Leftovers: one real, one with a link inside that leads outside. */
	ck_assert_int_eq(mkdir(at(".site.tmp-Ab3xYz"), 0700), 0);
	ck_assert_int_eq(mkdir(at(".site.tmp-Ab3xYz/d"), 0700), 0);
	ck_assert_int_eq(close(creat(at(".site.tmp-Ab3xYz/d/f"), 0644)), 0);
	ck_assert_int_eq(mkdir(at(".site.tmp-QQQQQQ"), 0700), 0);
	ck_assert_int_eq(symlink(at("outside"), at(".site.tmp-QQQQQQ/link")), 0);
	ck_assert_int_eq(symlink(at("outside/keep"),
				 at(".site.tmp-QQQQQQ/keep")), 0);
	/* Not ours: other names, a link, a file, a DIR that is absent so
	 * its .old- folder may hold the only copy of a site. */
	ck_assert_int_eq(symlink(at("outside"), at(".site.tmp-LINK00")), 0);
	ck_assert_int_eq(close(creat(at(".site.tmp-FILE00"), 0644)), 0);
	ck_assert_int_eq(mkdir(at(".site.tmp-short"), 0700), 0);
	ck_assert_int_eq(mkdir(at(".site.tmp-toolong1"), 0700), 0);
	ck_assert_int_eq(mkdir(at(".site.tmp-ab_def"), 0700), 0);
	ck_assert_int_eq(mkdir(at(".other.tmp-ABCDEF"), 0700), 0);
	ck_assert_int_eq(mkdir(at("site.tmp-ABCDEF"), 0700), 0);
	ck_assert_int_eq(mkdir(at(".site.old-ABCDEF"), 0700), 0);

	ck_assert_int_eq(output_open(&o, site), 0);
	output_release(&o);
	expect_names(base, ".other.tmp-ABCDEF .site.old-ABCDEF "
		     ".site.tmp-FILE00 .site.tmp-LINK00 .site.tmp-ab_def "
		     ".site.tmp-short .site.tmp-toolong1 outside "
		     "site.tmp-ABCDEF");
	expect_names(at("outside"), "keep");
	expect_names(at("outside/keep"), "f");

	/* With DIR a folder, a .old- folder is a leftover of the fallback. */
	build(site, 0, "x", "x", NULL);
	ck_assert(exists(at(".site.old-ABCDEF")));
	build(site, 0, "x", "x", NULL);
	ck_assert(!exists(at(".site.old-ABCDEF")));
	ck_assert(exists(at(".site.tmp-ab_def")));
}
END_TEST

START_TEST(old_site_links_not_followed)
{
	struct output o = OUTPUT_INIT;

	build(site, 0, "index.html", "v1", NULL);
	ck_assert_int_eq(mkdir(at("outside"), 0755), 0);
	ck_assert_int_eq(close(creat(at("outside/f"), 0644)), 0);
	ck_assert_int_eq(symlink(at("outside"), at("site/link")), 0);
	/* a link gongshi did not make: refused, then discarded when told */
	ck_assert_int_eq(output_open(&o, site), 0);
	put(&o, "index.html", "v2");
	ck_assert_int_eq(output_commit(&o), ERR_IO);
	ck_assert_msg(strstr(error_message(), "\"link\" (not a regular file)"), "%s", error_message());
	output_release(&o);
	expect_names(site, ".gongshi-site SHA256SUMS index.html link");
	build(site, OUTPUT_DISCARD, "index.html", "v2", NULL);
	expect_names(site, ".gongshi-site SHA256SUMS index.html");
	expect_names(at("outside"), "f");
	expect_names(base, "outside site");
}
END_TEST

START_TEST(dir_not_a_folder)
{
	struct output o = OUTPUT_INIT;

	ck_assert_int_eq(close(creat(site, 0644)), 0);
	ck_assert_int_eq(output_open(&o, site), ERR_IO);
	ck_assert_ptr_nonnull(strstr(error_message(), "not a folder (a file)"));
	ck_assert_int_eq(o.parentfd, -1);
	ck_assert_ptr_null(o.dir);
	output_release(&o);
	ck_assert_int_eq(unlink(site), 0);

	/* A link even to a folder: the swap would replace the link. */
	ck_assert_int_eq(mkdir(at("real"), 0755), 0);
	ck_assert_int_eq(close(creat(at("real/f"), 0644)), 0);
	ck_assert_int_eq(symlink("real", site), 0);
	ck_assert_int_eq(output_open(&o, site), ERR_IO);
	ck_assert_ptr_nonnull(strstr(error_message(), "a symbolic link"));
	output_release(&o);
	expect_names(base, "real site");
	expect_names(at("real"), "f");
}
END_TEST

START_TEST(dir_replaced_during_build)
{
	struct output o = OUTPUT_INIT;

	ck_assert_int_eq(output_open(&o, site), 0);
	put(&o, "a", "a");
	ck_assert_int_eq(close(creat(site, 0644)), 0);
	ck_assert_int_eq(output_commit(&o), ERR_IO);
	ck_assert_ptr_nonnull(strstr(error_message(), "not a folder"));
	output_release(&o);
	expect_names(base, "site");
	expect_file(site, "");
}
END_TEST

START_TEST(bad_dir_names)
{
	static const char *const bad[] = { "", "/", "//", ".", "..", "a/.",
					   "a/..", "a/../" };
	struct output o = OUTPUT_INIT;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(output_open(&o, bad[i]), ERR_USAGE);
		output_release(&o);
	}
	ck_assert_int_eq(output_open(&o, at("missing/site")), ERR_IO);
	ck_assert_ptr_nonnull(strstr(error_message(), "missing"));
	output_release(&o);
}
END_TEST

START_TEST(trailing_slash_and_chdir)
{
	struct output o = OUTPUT_INIT;
	char cwd[4096];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(base), 0);
	ck_assert_int_eq(output_open(&o, "site//"), 0);
	ck_assert_str_eq(o.dir, "site");
	ck_assert_str_eq(o.parent, ".");
	/* The parent was opened: moving elsewhere does not move the build. */
	ck_assert_int_eq(chdir("/"), 0);
	put(&o, "a.html", "a");
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);
	ck_assert_int_eq(chdir(cwd), 0);
	expect_names(base, "site");
	expect_file(at("site/a.html"), "a");
}
END_TEST

START_TEST(read_current)
{
	struct output o = OUTPUT_INIT;
	struct buf b = BUF_INIT;

	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(output_read_current(&o, "log.txt", &b), 1);
	output_release(&o);
	build(site, 0, "log.txt", "line 1\n", "d/x", "x", NULL);
	ck_assert_int_eq(mkdir(at("outside"), 0755), 0);
	ck_assert_int_eq(close(creat(at("outside/secret"), 0644)), 0);
	ck_assert_int_eq(symlink(at("outside"), at("site/ln")), 0);
	ck_assert_int_eq(symlink(at("outside/secret"), at("site/f")), 0);

	o.flags = OUTPUT_DISCARD; /* the links are not gongshi's */
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(buf_puts(&b, ">"), 0);
	ck_assert_int_eq(output_read_current(&o, "log.txt", &b), 0);
	ck_assert_str_eq(buf_cstr(&b), ">line 1\n");
	ck_assert_int_eq(output_read_current(&o, "missing", &b), 1);
	ck_assert_int_eq(output_read_current(&o, "no/such/file", &b), 1);
	ck_assert_int_eq(output_read_current(&o, "log.txt/x", &b), 1);
	ck_assert_int_eq(output_read_current(&o, "d/x", &b), 0);
	ck_assert_str_eq(buf_cstr(&b), ">line 1\nx");
	ck_assert_int_eq(output_read_current(&o, "d", &b), ERR_IO);
	ck_assert_int_eq(output_read_current(&o, "ln/secret", &b), ERR_IO);
	ck_assert_int_eq(output_read_current(&o, "f", &b), ERR_IO);
	ck_assert_int_eq(output_read_current(&o, "../site/log.txt", &b),
			 ERR_INVALID);
	ck_assert_str_eq(buf_cstr(&b), ">line 1\nx");
	/* Carried forward into the new build. */
	ck_assert_int_eq(buf_puts(&b, "line 2\n"), 0);
	ck_assert_int_eq(output_write(&o, "log.txt", b.ptr, b.len), 0);
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);
	expect_file(at("site/log.txt"), ">line 1\nxline 2\n");
	buf_release(&b);
}
END_TEST

START_TEST(copy_file)
{
	struct output o = OUTPUT_INIT;
	struct buf big = BUF_INIT;
	size_t i;
	int fd;

	/* More than one read's worth, to cross chunk boundaries. */
	for (i = 0; i < 20000; i++)
		ck_assert_int_eq(buf_printf(&big, "第%zu行\n", i), 0);
	ck_assert_int_ge(fd = creat(at("big.css"), 0600), 0);
	ck_assert_int_eq(write(fd, big.ptr, big.len), (ssize_t)big.len);
	close(fd);
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(output_copy_file(&o, "theme/big.css", at("big.css")), 0);
	ck_assert_uint_eq(output_bytes(&o), big.len);
	ck_assert_int_eq(output_copy_file(&o, "x", at("missing")), ERR_IO);
	ck_assert_ptr_nonnull(strstr(error_message(), "missing"));
	ck_assert_int_eq(output_copy_file(&o, "../x", at("big.css")),
			 ERR_INVALID);
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);
	expect_file(at("site/theme/big.css"), big.ptr);
	ck_assert_uint_eq(mode_of(at("site/theme/big.css")), 0644);
	ck_assert_uint_eq(verify_sums(site), 1);
	buf_release(&big);
}
END_TEST

START_TEST(failed_write_blocks_commit)
{
	struct output o = OUTPUT_INIT;

	ck_assert_int_eq(output_open(&o, site), 0);
	put(&o, "a", "a");
	/* A folder in the source's place: read() fails with EISDIR. */
	ck_assert_int_eq(output_copy_file(&o, "b", base), ERR_IO);
	ck_assert_int_eq(output_commit(&o), ERR_IO);
	ck_assert_ptr_nonnull(strstr(error_message(), "earlier write failed"));
	output_release(&o);
	expect_names(base, "");
}
END_TEST

START_TEST(state_errors)
{
	struct output o = OUTPUT_INIT;
	struct buf b = BUF_INIT;

	output_abort(&o);
	output_release(&o);
	ck_assert_int_eq(output_write(&o, "a", "a", 1), ERR_INVALID);
	ck_assert_int_eq(output_commit(&o), ERR_INVALID);
	ck_assert_int_eq(output_read_current(&o, "a", &b), ERR_INVALID);
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(output_open(&o, site), ERR_INVALID);
	ck_assert_int_eq(output_commit(&o), 0);
	ck_assert_int_eq(output_commit(&o), ERR_INVALID);
	ck_assert_int_eq(output_write(&o, "a", "a", 1), ERR_INVALID);
	output_abort(&o);
	ck_assert(exists(site));
	output_release(&o);
	expect_names(site, ".gongshi-site SHA256SUMS");
	buf_release(&b);
}
END_TEST

static void many(const char *tag, size_t n)
{
	struct output o = OUTPUT_INIT;
	char path[64], body[64];
	size_t i;

	ck_assert_int_eq(output_open(&o, site), 0);
	/* Written in an order unlike the sorted one. */
	for (i = 0; i < n; i++) {
		size_t k = (i * 7919) % n;

		snprintf(path, sizeof(path), "%s%03zu/%05zu.html", tag, k % 100, k);
		snprintf(body, sizeof(body), "%s %zu\n", tag, k);
		put(&o, path, body);
	}
	ck_assert_uint_eq(output_count(&o), n);
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);
}

START_TEST(many_files)
{
	many("a", 20000);
	ck_assert_uint_eq(verify_sums(site), 20000);
	many("b", 20000);
	expect_file(at("site/b042/19942.html"), "b 19942\n");
	ck_assert(!exists(at("site/a000")));
	ck_assert_uint_eq(verify_sums(site), 20000);
	expect_names(base, "site");
}
END_TEST

/* base/NAME of the one folder in base whose name starts with prefix;
 * fails if there is not exactly one. */
static const char *only(const char *prefix)
{
	static char found[256];
	struct dirent *e;
	DIR *d;
	int n = 0;

	ck_assert_ptr_nonnull(d = opendir(base));
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix))) {
			snprintf(found, sizeof(found), "%s", e->d_name);
			n++;
		}
	closedir(d);
	ck_assert_msg(n == 1, "%d names start with %s", n, prefix);
	return at(found);
}

static ino_t inode_of(const char *path)
{
	struct stat st;

	ck_assert_int_eq(lstat(path, &st), 0);
	return st.st_ino;
}

static const char *in(const char *dir, const char *rel)
{
	static char bufs[4][1024];
	static int next;
	char *p = bufs[next++ % 4];

	snprintf(p, 1024, "%s/%s", dir, rel);
	return p;
}

START_TEST(spare_kept_and_rewritten)
{
	struct output o = OUTPUT_INIT;
	char spare[512], want[512];
	ino_t in_place;

	build(site, OUTPUT_SPARE, "index.html", "v1", "old/gone.html", "old",
	      "keep/a.html", "a1", NULL);
	expect_names(base, "site");          /* nothing replaced, no spare */
	build(site, OUTPUT_SPARE, "index.html", "v2", "keep/a.html", "a2",
	      "new/b.html", "b2", NULL);
	/* the replaced site, whole, kept beside the new one */
	snprintf(spare, sizeof(spare), "%s", only(".site.spare-"));
	ck_assert_uint_eq(verify_sums(spare), 3);
	expect_file(in(spare, "index.html"), "v1");
	ck_assert_uint_eq(verify_sums(site), 3);
	in_place = inode_of(in(spare, "keep/a.html"));

	/* the next build takes the spare (the v1 site), rewrites it */
	o.flags = OUTPUT_SPARE;
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(o.reuse, 1);
	ck_assert(!exists(spare));
	ck_assert(!strcmp(o.tmp + strlen(".site.tmp-"),
			  strrchr(spare, '-') + 1));
	put(&o, "index.html", "longer than v1 was");
	put(&o, "keep/a.html", "3");
	put(&o, "new/c.html", "c");
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);
	ck_assert_uint_eq(verify_sums(site), 3);
	expect_names(site, ".gongshi-site SHA256SUMS index.html keep new");
	expect_names(at("site/new"), "c.html");
	expect_file(at("site/index.html"), "longer than v1 was");
	expect_file(at("site/keep/a.html"), "3");   /* "a1" cut short */
	ck_assert(inode_of(at("site/keep/a.html")) == in_place);
	/* the v2 site is the spare now, untouched */
	snprintf(spare, sizeof(spare), "%s", only(".site.spare-"));
	expect_file(in(spare, "index.html"), "v2");
	ck_assert_uint_eq(verify_sums(spare), 3);
	snprintf(want, sizeof(want), "%s site", strrchr(spare, '/') + 1);
	expect_names(base, want);

	/* without the flag, the spare is swept and none is kept */
	build(site, 0, "index.html", "v4", NULL);
	expect_names(base, "site");
	expect_names(site, ".gongshi-site SHA256SUMS index.html");
}
END_TEST

/* What a spare may hold that a build must not trust: every odd entry
 * is replaced, nothing outside the spare changes, modes are a new
 * build's. */
START_TEST(spare_odd_entries_replaced)
{
	char spare[512];

	ck_assert_int_eq(mkdir(at("outside"), 0755), 0);
	build(site, OUTPUT_SPARE, "x", "1", NULL);
	build(site, OUTPUT_SPARE, "x", "2", NULL);
	snprintf(spare, sizeof(spare), "%s", only(".site.spare-"));
	/* a file where a folder is wanted, and a folder where a file is */
	ck_assert_int_eq(close(creat(in(spare, "d"), 0644)), 0);
	ck_assert_int_eq(mkdir(in(spare, "f"), 0755), 0);
	ck_assert_int_eq(close(creat(in(spare, "f/inner"), 0644)), 0);
	/* a link to a file outside, and one to a folder outside */
	ck_assert_int_eq(close(creat(at("outside/target"), 0644)), 0);
	ck_assert_int_eq(symlink(at("outside/target"), in(spare, "link")), 0);
	ck_assert_int_eq(symlink(at("outside"), in(spare, "ldir")), 0);
	/* a hard link shared with a file outside */
	ck_assert_int_eq(close(creat(at("outside/twin"), 0644)), 0);
	ck_assert_int_eq(link(at("outside/twin"), in(spare, "twin")), 0);
	/* a FIFO, which an open for writing would wait on */
	ck_assert_int_eq(mkfifo(in(spare, "fifo"), 0644), 0);
	/* odd modes */
	ck_assert_int_eq(chmod(in(spare, "x"), 0600), 0);
	ck_assert_int_eq(mkdir(in(spare, "m"), 0700), 0);
	/* stale entries of every kind, at depth */
	ck_assert_int_eq(mkdir(in(spare, "stale"), 0755), 0);
	ck_assert_int_eq(mkdir(in(spare, "stale/deep"), 0755), 0);
	ck_assert_int_eq(close(creat(in(spare, "stale/deep/f"), 0644)), 0);
	ck_assert_int_eq(symlink(at("outside"), in(spare, "stale/l")), 0);
	ck_assert_int_eq(mkfifo(in(spare, "stale/p"), 0644), 0);

	build(site, OUTPUT_SPARE, "x", "3", "d/y", "y", "f", "f", "link", "l",
	      "ldir/z", "z", "twin", "t", "fifo", "p", "m/q", "q", NULL);
	expect_names(site, ".gongshi-site SHA256SUMS d f fifo ldir link m twin x");
	ck_assert_uint_eq(verify_sums(site), 8);
	ck_assert_uint_eq(mode_of(at("site/x")), 0644);
	ck_assert_uint_eq(mode_of(at("site/m")), 0755);
	ck_assert_uint_eq(mode_of(at("site/ldir")), 0755);
	expect_file(at("site/link"), "l");
	expect_file(at("site/fifo"), "p");
	expect_names(at("outside"), "target twin");
	expect_file(at("outside/target"), "");
	expect_file(at("outside/twin"), "");
}
END_TEST

START_TEST(spare_conflicts_rejected)
{
	struct output o = OUTPUT_INIT;

	build(site, OUTPUT_SPARE, "a/b", "1", "c", "2", NULL);
	build(site, OUTPUT_SPARE, "a/b", "1", "c", "2", NULL);
	o.flags = OUTPUT_SPARE;
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(o.reuse, 1);
	put(&o, "a/b", "x");
	put(&o, "c", "y");
	ck_assert_int_eq(output_write(&o, "a/b", "z", 1), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(error_message(), "written twice"));
	ck_assert_int_eq(output_write(&o, "a", "z", 1), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(error_message(), "already a folder"));
	ck_assert_int_eq(output_write(&o, "c/d", "z", 1), ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(error_message(), "written file as a folder"));
	expect_file(in(at(o.tmp), "a/b"), "x");
	expect_file(in(at(o.tmp), "c"), "y");
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);
	ck_assert_uint_eq(verify_sums(site), 2);
}
END_TEST

START_TEST(spare_from_killed_and_aborted_builds)
{
	struct output o = OUTPUT_INIT;
	char killed[64];

	build(site, OUTPUT_SPARE, "index.html", "v1", NULL);
	killed_build(OUTPUT_SPARE);
	snprintf(killed, sizeof(killed), "%s",
		 strrchr(only(".site.tmp-"), '/') + 1);

	/* the killed build's folder is taken, its files pruned */
	o.flags = OUTPUT_SPARE;
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(o.reuse, 1);
	ck_assert_str_eq(o.tmp, killed);
	put(&o, "index.html", "v3");
	/* aborted: kept as the spare, the site untouched */
	output_release(&o);
	expect_file(at("site/index.html"), "v1");
	ck_assert(!exists(at(killed)));
	only(".site.spare-");
	build(site, OUTPUT_SPARE, "other.html", "v4", NULL);
	expect_names(site, ".gongshi-site SHA256SUMS other.html");
	ck_assert_uint_eq(verify_sums(site), 1);
	expect_file(in(only(".site.spare-"), "index.html"), "v1");
}
END_TEST

START_TEST(spare_of_a_live_build_left_alone)
{
	struct output a = OUTPUT_INIT;
	char spare[64];
	int fd;

	build(site, OUTPUT_SPARE, "x", "1", NULL);
	build(site, OUTPUT_SPARE, "x", "2", NULL);
	/* a build of an older version, without DIR's lock, holds the spare */
	snprintf(spare, sizeof(spare), "%s", only(".site.spare-"));
	ck_assert_int_ge(fd = open(spare, O_RDONLY | O_DIRECTORY), 0);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	a.flags = OUTPUT_SPARE;
	ck_assert_int_eq(output_open(&a, site), 0);
	ck_assert_int_eq(a.reuse, 0);       /* the spare is locked */
	put(&a, "x", "a");
	ck_assert_int_eq(output_commit(&a), 0);
	output_release(&a);
	ck_assert(exists(spare));
	close(fd);
	expect_file(at("site/x"), "a");
	ck_assert_uint_eq(verify_sums(site), 1);
}
END_TEST

START_TEST(spare_many_files)
{
	struct output o = OUTPUT_INIT;
	char path[64], body[64];
	int round, i;

	for (round = 0; round < 3; round++) {
		o.flags = OUTPUT_SPARE;
		ck_assert_int_eq(output_open(&o, site), 0);
		ck_assert_int_eq(o.reuse, round == 2);
		for (i = round; i < 3000; i += 1 + round) {
			snprintf(path, sizeof(path), "p%02d/%d.html", i % 50, i);
			snprintf(body, sizeof(body), "round %d file %d\n", round, i);
			put(&o, path, body);
		}
		ck_assert_int_eq(output_commit(&o), 0);
		output_release(&o);
		ck_assert_uint_eq(verify_sums(site), round == 0 ? 3000 :
				  round == 1 ? 1500 : 1000);
	}
}
END_TEST

/* Several processes writing one site: a forked worker writes its share
 * and hands its list over, and the parent commits both.  Three rounds
 * with a spare: the third rewrites one, whose prune must spare the
 * worker's files. */
START_TEST(workers_share_a_build)
{
	struct output o = OUTPUT_INIT;
	struct output_mark m;
	struct buf list = BUF_INIT;
	char chunk[4096];
	int round, fds[2], status;
	ssize_t n;
	pid_t pid;

	for (round = 0; round < 3; round++) {
		o.flags = OUTPUT_SPARE;
		ck_assert_int_eq(output_open(&o, site), 0);
		ck_assert_int_eq(o.reuse, round == 2);
		ck_assert_int_eq(output_mkdir(&o, "shared"), 0);
		ck_assert_int_eq(output_mkdir(&o, "shared"), 0);
		output_mark(&o, &m);
		ck_assert_int_eq(pipe(fds), 0);
		if ((pid = fork()) == 0) {
			int ok;
			close(fds[0]);
			buf_clear(&list); /* the parent's copy, from the last round */
			ok = output_write(&o, "shared/worker.html", "w", 1) == 0 &&
			     output_write(&o, "worker/deep/x.html", "x", 1) == 0 &&
			     output_export(&o, &m, &list) == 0 &&
			     write(fds[1], list.ptr, list.len) == (ssize_t)list.len;
			buf_release(&list);
			output_leave(&o);
			_exit(ok ? 0 : 1);
		}
		ck_assert_int_gt(pid, 0);
		close(fds[1]);
		put(&o, "shared/parent.html", "p");
		put(&o, "index.html", "i");
		buf_clear(&list);
		while ((n = read(fds[0], chunk, sizeof(chunk))) > 0)
			ck_assert_int_eq(buf_put(&list, chunk, (size_t)n), 0);
		close(fds[0]);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		ck_assert_msg(output_import(&o, list.ptr, list.len) == 0, "%s", error_message());
		ck_assert_msg(output_count(&o) == 4, "round %d: %zu files, list %zu bytes", round,
			      output_count(&o), list.len);
		ck_assert_uint_eq(output_bytes(&o), 4);
		ck_assert_msg(output_commit(&o) == 0, "%s", error_message());
		output_release(&o);
		ck_assert_uint_eq(verify_sums(site), 4);
		expect_names(at("site/shared"), "parent.html worker.html");
		expect_file(at("site/worker/deep/x.html"), "x");
	}
	buf_release(&list);
}
END_TEST

/* A list output_import() cannot read, or that repeats a path, is
 * refused, and nothing is counted. */
START_TEST(import_rejects_bad_lists)
{
	static const char bad_tag[] = "Xsomething";
	static const char no_nul[] = "Dfolder";
	static const char bad_dir[] = "D../up";
	char short_file[1 + 32 + 4];
	struct output o = OUTPUT_INIT, w = OUTPUT_INIT;
	struct output_mark m;
	struct buf list = BUF_INIT;

	memset(short_file, 0, sizeof(short_file));
	short_file[0] = 'F';
	o.flags = OUTPUT_SPARE;
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(output_import(&o, bad_tag, sizeof(bad_tag) - 1), ERR_INVALID);
	ck_assert_int_eq(output_import(&o, no_nul, sizeof(no_nul) - 1), ERR_INVALID);
	ck_assert_int_eq(output_import(&o, bad_dir, sizeof(bad_dir)), ERR_INVALID);
	ck_assert_int_eq(output_import(&o, short_file, sizeof(short_file)), ERR_INVALID);
	ck_assert_uint_eq(output_count(&o), 0);
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);

	/* a spare: the same path from two processes is caught at import */
	build(site, OUTPUT_SPARE, "a.html", "1", NULL);
	o.flags = OUTPUT_SPARE;
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(o.reuse, 1);
	output_mark(&o, &m);
	put(&o, "a.html", "2");
	ck_assert_int_eq(output_export(&o, &m, &list), 0);
	ck_assert_int_eq(output_import(&o, list.ptr, list.len), ERR_INVALID);
	ck_assert(strstr(error_message(), "written twice"));
	ck_assert_int_eq(output_commit(&o), ERR_IO); /* broken now */
	output_release(&o);
	ck_assert_int_eq(output_import(&w, list.ptr, list.len), ERR_INVALID); /* not open */
	buf_release(&list);
}
END_TEST

/* output_mkdir() makes the folders a worker shares, once; in a spare it
 * replaces a file where the folder goes. */
START_TEST(mkdir_shared_folders)
{
	struct output o = OUTPUT_INIT;

	build(site, OUTPUT_SPARE, "a", "a file", NULL);
	build(site, OUTPUT_SPARE, "b.html", "b", NULL);
	o.flags = OUTPUT_SPARE;
	ck_assert_int_eq(output_open(&o, site), 0);
	ck_assert_int_eq(o.reuse, 1);
	ck_assert_int_eq(output_mkdir(&o, "a/b"), 0);
	ck_assert_int_eq(output_mkdir(&o, "a/b"), 0);
	ck_assert_int_eq(output_mkdir(&o, "../a"), ERR_INVALID);
	ck_assert_int_eq(output_mkdir(&o, ""), ERR_INVALID);
	put(&o, "a/b/c.html", "c");
	ck_assert_int_eq(output_commit(&o), 0);
	output_release(&o);
	ck_assert_uint_eq(verify_sums(site), 1);
	expect_names(site, ".gongshi-site SHA256SUMS a");
	ck_assert_int_eq(output_mkdir(&o, "x"), ERR_INVALID); /* not open */
}
END_TEST

/* Waits until process pid has exited (a zombie, not reaped). */
static void wait_zombie(pid_t pid)
{
	char path[64], stat[256], *p;
	int i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 10000; i++) {
		ck_assert_ptr_nonnull(f = fopen(path, "r"));
		p = fgets(stat, sizeof(stat), f);
		fclose(f);
		if (p && (p = strrchr(stat, ')')) && p[1] == ' ' && p[2] == 'Z')
			return;
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	ck_abort_msg("process %d did not exit", (int)pid);
}

/* The process that lists a spare's entries is reaped by commit and by
 * abort; if it dies, the commit walks the tree itself and prunes the
 * same. */
START_TEST(spare_walker)
{
	struct output o = OUTPUT_INIT;
	char spare[512];
	int round;

	for (round = 0; round < 3; round++) {
		build(site, OUTPUT_SPARE, "keep/a.html", "1", "x", "1", NULL);
		build(site, OUTPUT_SPARE, "keep/a.html", "2", "x", "2", NULL);
		snprintf(spare, sizeof(spare), "%s", only(".site.spare-"));
		ck_assert_int_eq(mkdir(in(spare, "stale"), 0755), 0);
		ck_assert_int_eq(close(creat(in(spare, "stale/f"), 0644)), 0);
		ck_assert_int_eq(close(creat(in(spare, "keep/stale.html"), 0644)), 0);
		o.flags = OUTPUT_SPARE;
		ck_assert_int_eq(output_open(&o, site), 0);
		ck_assert_int_eq(o.reuse, 1);
		ck_assert_int_gt(o.walker, 0);
		if (round == 1) { /* no list to go by: the commit walks */
			ck_assert_int_eq(kill(o.walker, SIGKILL), 0);
			ck_assert_int_eq(waitpid(o.walker, NULL, 0), o.walker);
		} else {
			wait_zombie(o.walker);
		}
		/* made after the listing: only a walk at commit finds it */
		ck_assert_int_eq(close(creat(in(at(o.tmp), "late.html"), 0644)), 0);
		put(&o, "keep/a.html", "3");
		put(&o, "new/b.html", "b");
		if (round == 2) { /* aborted: reaped, and the folder kept as the spare */
			output_abort(&o);
			ck_assert_int_eq(o.walker, 0);
			output_release(&o);
			ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
			ck_assert_int_eq(errno, ECHILD);
			rm_tree(only(".site.spare-"));
			rm_tree(site);
			continue;
		}
		ck_assert_msg(output_commit(&o) == 0, "%s", error_message());
		ck_assert_int_eq(o.walker, 0);
		output_release(&o);
		ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
		ck_assert_int_eq(errno, ECHILD);
		ck_assert_int_eq(exists(at("site/late.html")), round == 0);
		unlink(at("site/late.html"));
		ck_assert_uint_eq(verify_sums(site), 2);
		expect_names(site, ".gongshi-site SHA256SUMS keep new"); /* x, stale, too */
		expect_names(at("site/keep"), "a.html");
		rm_tree(only(".site.spare-"));
		rm_tree(site);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, fresh_build);
	tcase_add_test(tc, umask_applies);
	tcase_add_test(tc, rebuild_exchanges);
	tcase_add_test(tc, rebuild_two_renames);
	tcase_add_test(tc, sha256sum_agrees);
	tcase_add_test(tc, empty_build);
	tcase_add_loop_test(tc, bad_path_rejected, 0,
			    sizeof(bad_paths) / sizeof(bad_paths[0]));
	tcase_add_test(tc, odd_but_valid_paths);
	tcase_add_test(tc, conflicts_rejected);
	tcase_add_test(tc, abort_leaves_dir_untouched);
	tcase_add_test(tc, flusher_runs_until_commit_or_abort);
	tcase_add_test(tc, killed_build_cleaned_next_time);
	tcase_add_test(tc, live_build_not_swept);
	tcase_add_test(tc, one_build_at_a_time);
	tcase_add_test(tc, sweep_only_ours);
	tcase_add_test(tc, old_site_links_not_followed);
	tcase_add_test(tc, dir_not_a_folder);
	tcase_add_test(tc, dir_replaced_during_build);
	tcase_add_test(tc, bad_dir_names);
	tcase_add_test(tc, trailing_slash_and_chdir);
	tcase_add_test(tc, read_current);
	tcase_add_test(tc, copy_file);
	tcase_add_test(tc, failed_write_blocks_commit);
	tcase_add_test(tc, state_errors);
	tcase_add_test(tc, many_files);
	tcase_add_test(tc, spare_kept_and_rewritten);
	tcase_add_test(tc, spare_odd_entries_replaced);
	tcase_add_test(tc, spare_conflicts_rejected);
	tcase_add_test(tc, spare_from_killed_and_aborted_builds);
	tcase_add_test(tc, spare_of_a_live_build_left_alone);
	tcase_add_test(tc, spare_many_files);
	tcase_add_test(tc, workers_share_a_build);
	tcase_add_test(tc, import_rejects_bad_lists);
	tcase_add_test(tc, mkdir_shared_folders);
	tcase_add_test(tc, spare_walker);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN

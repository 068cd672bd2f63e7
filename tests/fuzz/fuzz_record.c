/*
 * fuzz_record.c - libFuzzer target for the record loader and checker
 * (record_load over a source, then check_record), the path every file of
 * an office's repository takes.  Built and run by `make fuzz-smoke` /
 * `make fuzz`; its seeds (tests/fuzz/corpus/record/) are replayed by
 * `make test`.
 *
 * The small fixture record (tests/fixtures/small, or $FUZZ_FIXTURE) is
 * copied once into a temporary folder.  An input's first byte picks one
 * of its files (calendars and measures included); the rest of the input
 * replaces that file for one load and check, and the file is copied back.
 * So every mutation is seen in a record whose other files are valid, and
 * cross-file rules (references, caps, deadlines) run on it.
 *
 * Besides crashes and leaks, it checks the loader's contract: a return
 * of 0 or ERR_NOMEM only (a record problem is a diagnostic, never a
 * failure), and every diagnostic has a path, a line and a message.
 */
#define _GNU_SOURCE /* nftw, mkdtemp */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "error.h"
#include "record.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static char root[64];
static char *files[256];
static size_t nfiles;

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644), ok = 0;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		ok = write(out, buf, (size_t)n) == n ? 1 : -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return in >= 0 && out >= 0 && ok >= 0 ? 0 : -1;
}

static const char *fixture;

static int copy_cb(const char *path, const struct stat *st, int type, struct FTW *f)
{
	char to[4096];

	(void)st;
	(void)f;
	snprintf(to, sizeof(to), "%s%s", root, path + strlen(fixture));
	if (type == FTW_D)
		return mkdir(to, 0755) < 0 && strcmp(path, fixture) ? -1 : 0;
	if (type != FTW_F || copy_file(path, to) < 0)
		return -1;
	if (nfiles < sizeof(files) / sizeof(files[0]) && !(files[nfiles++] = strdup(to)))
		return -1;
	return 0;
}

static int rm_cb(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	return remove(path);
}

static void cleanup(void)
{
	size_t i;

	nftw(root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	source_global_shutdown();
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void setup(void)
{
	fixture = getenv("FUZZ_FIXTURE");
	if (!fixture)
		fixture = "tests/fixtures/small";
	strcpy(root, "/tmp/gongshi-fuzz-record-XXXXXX");
	if (!mkdtemp(root) || nftw(fixture, copy_cb, 16, FTW_PHYS) < 0 || !nfiles) {
		fprintf(stderr, "fuzz_record: cannot copy the fixture %s (run from the repository's root)\n",
			fixture);
		abort();
	}
	/* readdir's order differs between file systems: a seed's first
	 * byte must pick the same file everywhere. */
	qsort(files, nfiles, sizeof(files[0]), cmp);
	if (source_global_init() < 0)
		abort();
	atexit(cleanup);
}

static void run(void)
{
	struct source src = SOURCE_INIT;
	struct record rec = RECORD_INIT;
	struct diags d = DIAGS_INIT;
	struct check_options co = { 0 };
	size_t i;
	int rc;

	/* 2024-06-01: some deadlines running, some past. */
	if (date_from_ymd(2024, 6, 1, &co.today) < 0 || source_open_worktree(&src, root) < 0)
		abort();
	rc = record_load(&rec, &src, &d);
	if (rc == 0)
		rc = check_record(&rec, &co, &d);
	if (rc < 0 && rc != ERR_NOMEM)
		abort();
	for (i = 0; i < d.n; i++)
		if (!d.v[i].path || !d.v[i].msg || !d.v[i].msg[0])
			abort();
	diags_release(&d);
	record_release(&rec);
	source_release(&src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char orig[4096];
	const char *path;
	int fd;

	if (!nfiles)
		setup();
	if (!len)
		return 0;
	path = files[data[0] % nfiles];
	snprintf(orig, sizeof(orig), "%s%s", fixture, path + strlen(root));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		abort();
	if (write(fd, data + 1, len - 1) != (ssize_t)(len - 1))
		abort();
	close(fd);
	run();
	if (copy_file(orig, path) < 0)
		abort();
	return 0;
}

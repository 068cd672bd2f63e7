/*
 * floor.c - the raw cost of writing a site's files: the floor no static
 * site generator can beat (issue #6).
 *
 * Usage: floor MANIFEST DIR [--no-sync]
 *
 * MANIFEST has one line per file, "SIZE PATH" (PATH relative, folders
 * separated by '/'), as the benchmark lists a gongshi site.  floor creates
 * DIR and writes every file with SIZE bytes, creating its folders as it
 * goes (consecutive files of one folder cost no extra mkdir), with one
 * open, write and close per file: nothing is rendered, hashed or read.
 * Then, unless --no-sync, one syncfs(), as gongshi does before it swaps a
 * site in, so that both pay for getting the data to the disk; and, as
 * gongshi does (output.c, "flusher"; a thread there, a process here),
 * syncfs() is called every half second while the files are written, so
 * that the disk works meanwhile: without it this floor took 1.1 s more
 * at size M, a gain a generator could claim over a floor that lacked it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what, const char *path)
{
	fprintf(stderr, "floor: %s %s: %s\n", what, path, strerror(errno));
	exit(2);
}

int main(int argc, char **argv)
{
	static char line[8192], last[8192], dir[8192];
	char *buf = NULL;
	size_t cap = 0, nfiles = 0;
	unsigned long long bytes = 0;
	int root, sync = 1;
	pid_t flusher = -1;
	FILE *m;

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "--no-sync"))) {
		fprintf(stderr, "usage: floor MANIFEST DIR [--no-sync]\n");
		return 2;
	}
	if (argc == 4)
		sync = 0;
	if (!(m = fopen(argv[1], "r")))
		die("open", argv[1]);
	if (mkdir(argv[2], 0755) < 0)
		die("mkdir", argv[2]);
	if ((root = open(argv[2], O_RDONLY | O_DIRECTORY)) < 0)
		die("open", argv[2]);
	if (sync && (flusher = fork()) == 0) {
		struct timespec t = { 0, 500000000L };
		while (syncfs(root) == 0)
			nanosleep(&t, NULL);
		_exit(1);
	}
	last[0] = '\0';
	while (fgets(line, sizeof(line), m)) {
		char *path, *end, *slash;
		size_t size, n;
		int fd;

		size = strtoull(line, &path, 10);
		if (*path++ != ' ' || !(end = strchr(path, '\n')))
			continue;
		*end = '\0';
		if (size > cap) {
			cap = size * 2;
			if (!(buf = realloc(buf, cap)))
				die("realloc", "");
			memset(buf, 'x', cap);
		}
		/* the file's folder, and its parents, if not the last one's */
		if ((slash = strrchr(path, '/'))) {
			n = (size_t)(slash - path);
			if (strlen(last) != n || memcmp(last, path, n)) {
				memcpy(dir, path, n);
				dir[n] = '\0';
				for (char *p = dir;; p++) {
					if (*p == '/' || !*p) {
						char c = *p;
						*p = '\0';
						if (mkdirat(root, dir, 0755) < 0 && errno != EEXIST)
							die("mkdir", dir);
						*p = c;
						if (!c)
							break;
					}
				}
				memcpy(last, path, n);
				last[n] = '\0';
			}
		} else
			last[0] = '\0';
		if ((fd = openat(root, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
			die("create", path);
		for (size_t off = 0; off < size;) {
			ssize_t w = write(fd, buf + off, size - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				die("write", path);
			}
			off += (size_t)w;
		}
		if (close(fd) < 0)
			die("close", path);
		nfiles++;
		bytes += size;
	}
	if (flusher > 0) {
		kill(flusher, SIGKILL);
		waitpid(flusher, NULL, 0);
	}
	if (sync && syncfs(root) < 0)
		die("syncfs", argv[2]);
	printf("floor: wrote %zu files, %llu bytes\n", nfiles, bytes);
	return 0;
}

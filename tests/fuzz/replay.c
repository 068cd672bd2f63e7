/*
 * replay.c - runs a libFuzzer target's LLVMFuzzerTestOneInput over files,
 * without libFuzzer, so that `make test` (and its ASan and valgrind
 * runs) replays every seed and every crash kept as a regression seed in
 * tests/fuzz/corpus/NAME/ with the ordinary compiler.
 *
 * Usage: replay_NAME FILE|DIR...   Closes with
 * "fuzz-replay NAME: N passed, 0 failed"; a target that finds its
 * contract broken aborts, which the test runner counts as a failure.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL, *p;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (!(p = realloc(data, cap))) {
				fclose(f);
				free(data);
				return -1;
			}
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? strrchr(argv[0], '_') : NULL;
	size_t count = 0;
	int i;

	for (i = 1; i < argc; i++) {
		struct stat st;
		struct dirent *de;
		char **v = NULL, **p, path[4096];
		size_t n = 0, k;
		DIR *d;

		if (stat(argv[i], &st) < 0 || !S_ISDIR(st.st_mode)) {
			if (replay_file(argv[i]) < 0)
				return 1;
			count++;
			continue;
		}
		if (!(d = opendir(argv[i])))
			return 1;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			if (!(p = realloc(v, (n + 1) * sizeof(*v))) || !(p[n] = strdup(de->d_name)))
				return 1;
			v = p;
			n++;
		}
		closedir(d);
		/* Sorted: the same order on every machine. */
		if (n)
			qsort(v, n, sizeof(*v), cmp);
		for (k = 0; k < n; k++) {
			snprintf(path, sizeof(path), "%s/%s", argv[i], v[k]);
			if (replay_file(path) < 0)
				return 1;
			free(v[k]);
			count++;
		}
		free(v);
	}
	printf("fuzz-replay %s: %zu passed, 0 failed\n", name ? name + 1 : "?", count);
	return 0;
}

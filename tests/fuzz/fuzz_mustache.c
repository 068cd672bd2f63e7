/*
 * fuzz_mustache.c - libFuzzer target for generator/mustache.c.
 *
 *     clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *         -fno-sanitize-recover=undefined -iquote generator \
 *         tests/fuzz/fuzz_mustache.c generator/mustache.c \
 *         generator/buf.c generator/error.c \
 *         $(pkg-config --cflags --libs libcjson) -o fuzz_mustache
 *     mkdir -p /tmp/corpus
 *     ./fuzz_mustache -max_total_time=60 /tmp/corpus tests/fuzz/corpus/mustache
 *
 * An input is templates, then a NUL byte, then JSON data (none: no
 * data).  Templates are separated by 0x01 bytes and named "a", "b", ...
 * in order, so that they can include one another ({{>b}}, {{<a}}).
 * Every template that compiles is rendered.
 *
 * Besides crashes, it checks the contract: compiling fails only with
 * ERR_INVALID or ERR_LIMIT and a position, rendering only with
 * ERR_LIMIT, and a failed render leaves the output as it was.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "mustache.h"

#define MAX_TEMPLATES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *s = (const char *)data, *nul = memchr(s, '\0', len);
	size_t tlen = nul ? (size_t)(nul - s) : len, i = 0, ok = 0, k;
	char names[MAX_TEMPLATES][2];
	int compiled[MAX_TEMPLATES];
	struct mustache_set *set;
	struct mustache_error err;
	struct buf out = BUF_INIT;
	cJSON *json = NULL;
	int rc;

	if (nul && !(json = cJSON_ParseWithLength(nul + 1, len - tlen - 1)))
		return 0;
	if (mustache_set_new(&set) < 0)
		abort();
	/* Small limits: the fuzzer looks for crashes, not for slow pages. */
	mustache_set_limits(set, 20000, 1 << 20);
	while (i <= tlen && ok < MAX_TEMPLATES) {
		const char *end = memchr(s + i, '\x01', tlen - i);
		size_t n = end ? (size_t)(end - s) - i : tlen - i;

		names[ok][0] = (char)('a' + ok);
		names[ok][1] = '\0';
		rc = mustache_set_add(set, names[ok], s + i, n, &err);
		compiled[ok] = rc == 0;
		if (rc == ERR_INVALID || rc == ERR_LIMIT) {
			if (!err.line || !err.col || !err.msg[0])
				abort();
		} else if (rc != 0) {
			abort();
		}
		ok++;
		i += n + 1;
	}
	for (k = 0; k < ok; k++) {
		size_t before = out.len;

		rc = mustache_render(set, names[k], json, &out);
		if (!compiled[k] ? rc != ERR_INVALID :
		    rc != 0 && (rc != ERR_LIMIT || out.len != before))
			abort();
	}
	buf_release(&out);
	mustache_set_free(set);
	cJSON_Delete(json);
	return 0;
}

/*
 * fuzz_jsondiff.c - libFuzzer target for the field-level diff (jsondiff,
 * jsondiff_flatten), which the audit trail runs on every version of every
 * record in the history.  Built and run by `make fuzz-smoke` / `make fuzz`;
 * its seeds (tests/fuzz/corpus/jsondiff/) are replayed by `make test`.
 *
 * Input: an old record, a NUL byte, a new record (no NUL: the record was
 * added whole).  Either side that is not JSON stands for a missing record.
 *
 * Besides crashes, it checks the privacy contract: before diffing, every
 * value under a "private" key, at any depth, is replaced by a unique
 * canary string; no change (path, label, old or new text) may contain a
 * canary.  Inputs that already contain the canary's prefix are skipped.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jsondiff.h"

#define CANARY "PRIVATE-CANARY-"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Replaces every leaf under a private key with a canary. */
static void plant(cJSON *v, int under, int *n)
{
	cJSON *x;
	char s[48];

	if (under && !cJSON_IsObject(v) && !cJSON_IsArray(v)) {
		snprintf(s, sizeof(s), CANARY "%d", (*n)++);
		cJSON *c = cJSON_CreateString(s);

		if (!c)
			abort();
		/* swap in place: keep the node's key and its siblings */
		free(v->valuestring);
		v->valuestring = c->valuestring;
		c->valuestring = NULL;
		v->type = cJSON_String;
		cJSON_Delete(c);
		return;
	}
	for (x = v->child; x; x = x->next)
		plant(x, under || (cJSON_IsObject(v) && x->string && !strcmp(x->string, "private")), n);
}

static int leaks(const char *s)
{
	return s && strstr(s, CANARY) != NULL;
}

static void check(const struct jd_changes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct jd_change *x = &c->v[i];

		if (!x->path || !x->label)
			abort();
		if (leaks(x->path) || leaks(x->label) || leaks(x->old) || leaks(x->new))
			abort();
		if (x->kind == JD_PRIVATE && (x->old || x->new))
			abort();
		if ((x->kind == JD_ADDED && x->old) || (x->kind == JD_REMOVED && x->new))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *s = (const char *)data, *nul = memchr(s, '\0', len);
	size_t alen = nul ? (size_t)(nul - s) : 0;
	cJSON *a = NULL, *b = NULL;
	struct jd_changes c = JD_CHANGES_INIT;
	int n = 0;

	if (memmem(s, len, CANARY, strlen(CANARY)))
		return 0;
	if (nul)
		a = cJSON_ParseWithLength(s, alen);
	b = nul ? cJSON_ParseWithLength(nul + 1, len - alen - 1) : cJSON_ParseWithLength(s, len);
	if (a)
		plant(a, 0, &n);
	if (b)
		plant(b, 0, &n);
	if (jsondiff(a, b, &c) < 0)
		abort();
	check(&c);
	jd_changes_release(&c);
	if (b) {
		if (jsondiff_flatten(b, &c) < 0)
			abort();
		check(&c);
		jd_changes_release(&c);
	}
	/* Nothing changed, nothing reported. */
	if (a && jsondiff(a, a, &c) < 0)
		abort();
	if (c.n)
		abort();
	jd_changes_release(&c);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return 0;
}

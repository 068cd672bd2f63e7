/* fingerprint.c - keyed fingerprints of private values (see fingerprint.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/hmac.h>

#include "buf.h"
#include "error.h"
#include "fingerprint.h"

/* The key file's path, or "" when there is no home to find it in. */
static int key_path(struct buf *path)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	/* the XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored */
	if (xdg && xdg[0] == '/')
		return buf_printf(path, "%s/gongshi/fingerprint-key", xdg);
	if (home && home[0])
		return buf_printf(path, "%s/.config/gongshi/fingerprint-key", home);
	return buf_puts(path, "");
}

static int read_key_file(const char *path, struct buf *key)
{
	char chunk[4096];
	size_t got;
	FILE *fp;
	int error = 0;

	if (!(fp = fopen(path, "rb"))) {
		if (errno == ENOENT)
			return 0;
		return error_set(ERR_IO, "%s: cannot read the fingerprint key: %s", path, strerror(errno));
	}
	while (!error && (got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		error = buf_put(key, chunk, got);
	if (!error && ferror(fp))
		error = error_set(ERR_IO, "%s: cannot read the fingerprint key", path);
	fclose(fp);
	return error < 0 ? error : 1;
}

int fingerprint_key_load(struct fingerprint_key *k)
{
	struct buf path = BUF_INIT, key = BUF_INIT;
	const char *env = getenv("GONGSHI_FINGERPRINT_KEY"), *from = "GONGSHI_FINGERPRINT_KEY";
	int error;

	*k = (struct fingerprint_key)FINGERPRINT_KEY_INIT;
	if (env && env[0])
		error = buf_puts(&key, env) < 0 ? ERR_NOMEM : 1;
	else if ((error = key_path(&path)) >= 0 && path.len)
		error = read_key_file(buf_cstr(&path), &key);
	if (error <= 0)
		goto done;
	if (path.len)
		from = buf_cstr(&path);
	/* an editor's final newline is not part of the key */
	while (key.len && (key.ptr[key.len - 1] == '\n' || key.ptr[key.len - 1] == '\r'))
		key.ptr[--key.len] = '\0';
	if (key.len < FINGERPRINT_KEY_MIN) {
		error = error_set(ERR_INVALID, "%s: the fingerprint key has %zu bytes; it needs at least %d",
				  from, key.len, FINGERPRINT_KEY_MIN);
		goto done;
	}
	k->len = key.len;
	k->key = (unsigned char *)buf_detach(&key);
	error = k->key ? 1 : error_nomem();
done:
	if (key.ptr)
		memset(key.ptr, 0, key.cap);
	buf_release(&key);
	buf_release(&path);
	return error;
}

int fingerprint_of(const struct fingerprint_key *k, const cJSON *v, char out[FINGERPRINT_HEX + 1])
{
	static const char hex[] = "0123456789abcdef";
	struct hmac_sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char *text = NULL;
	const char *s;
	int i;

	if (cJSON_IsString(v) && v->valuestring)
		s = v->valuestring;
	else if (!(s = text = cJSON_PrintUnformatted(v)))
		return error_nomem();
	hmac_sha256_set_key(&ctx, k->len, k->key);
	hmac_sha256_update(&ctx, strlen(s), (const uint8_t *)s);
	hmac_sha256_digest(&ctx, sizeof(digest), digest);
	free(text);
	for (i = 0; i < FINGERPRINT_HEX / 2; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[FINGERPRINT_HEX] = '\0';
	memset(&ctx, 0, sizeof(ctx));
	return 0;
}

void fingerprint_key_release(struct fingerprint_key *k)
{
	if (k->key)
		memset(k->key, 0, k->len);
	free(k->key);
	*k = (struct fingerprint_key)FINGERPRINT_KEY_INIT;
}

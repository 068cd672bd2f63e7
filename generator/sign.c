/* sign.c - commit signatures against the published keys (see sign.h). */
/* nftw() and mkdtemp() */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gpgme.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>

#include "diag.h"
#include "error.h"
#include "json.h"
#include "schema.h"
#include "sign.h"

extern char **environ;

/* One OpenPGP key or subkey, with the key it belongs to. */
struct sign_sub {
	char fpr[41];
	size_t key;      /* index in sign_keys.v */
	long expires;    /* the earliest of its and its primary key's expiry; 0: never */
};

/* gpg must neither start an agent nor fetch keys, and must judge a
 * signature by its data, not by today's date: a site built again from
 * the same commit is the same, whenever it is built. */
static const char gpg_conf[] =
	"no-autostart\n"
	"no-auto-key-retrieve\n"
	"trust-model always\n"
	"ignore-time-conflict\n"
	"ignore-valid-from\n";

static int write_file(const char *dir, const char *name, const char *p, size_t n)
{
	char path[4096];
	FILE *fp;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(fp = fopen(path, "wbx")))
		return error_set(ERR_IO, "%s: %s", path, strerror(errno));
	bad = fwrite(p, 1, n, fp) != n;
	if (fclose(fp) != 0 || bad)
		return error_set(ERR_IO, "%s: cannot write", path);
	return 0;
}

static int gpg_fail(const char *what, gpgme_error_t e)
{
	return error_set(ERR_IO, "%s: %s", what, gpgme_strerror(e));
}

static int gpg_context(const struct sign_keys *k, gpgme_ctx_t *ctx)
{
	gpgme_error_t e;

	if ((e = gpgme_new(ctx)))
		return gpg_fail("gpgme", e);
	if ((e = gpgme_set_protocol(*ctx, GPGME_PROTOCOL_OpenPGP)) ||
	    (e = gpgme_ctx_set_engine_info(*ctx, GPGME_PROTOCOL_OpenPGP, NULL, k->home))) {
		gpgme_release(*ctx);
		*ctx = NULL;
		return gpg_fail("gpgme", e);
	}
	return 0;
}

/* "SHA256:<base64>" of an authorized_keys line's key, as ssh-keygen -l
 * prints it; 1 when the line's key is not base64 of a key of its type. */
static int ssh_fingerprint(const char *line, char *out, size_t size)
{
	const char *sp = strchr(line, ' '), *b64 = sp ? sp + 1 : "", *end = strchr(b64, ' ');
	size_t n = end ? (size_t)(end - b64) : strlen(b64), got = 0, tl = sp ? (size_t)(sp - line) : 0;
	struct base64_decode_ctx dc;
	struct sha256_ctx h;
	uint8_t *blob, digest[SHA256_DIGEST_SIZE];
	char enc[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1];
	size_t i;
	int bad;

	if (!(blob = malloc(BASE64_DECODE_LENGTH(n) + 1)))
		return error_nomem();
	base64_decode_init(&dc);
	bad = !base64_decode_update(&dc, &got, blob, n, b64) || !base64_decode_final(&dc) ||
	      /* the key's own type: a string, first in the blob */
	      got < 4 + tl || ((size_t)blob[0] << 24 | (size_t)blob[1] << 16 | (size_t)blob[2] << 8 | blob[3]) != tl ||
	      memcmp(blob + 4, line, tl);
	if (!bad) {
		sha256_init(&h);
		sha256_update(&h, got, blob);
		sha256_digest(&h, sizeof(digest), digest);
		base64_encode_raw(enc, sizeof(digest), digest);
		enc[sizeof(enc) - 1] = '\0';
		for (i = strlen(enc); i && enc[i - 1] == '='; i--)
			enc[i - 1] = '\0';
		snprintf(out, size, "SHA256:%s", enc);
	}
	free(blob);
	return bad;
}

static int add_key(struct sign_keys *k, const char *path, const char *name, bool ssh)
{
	struct sign_key *v = realloc(k->v, (k->n + 1) * sizeof(*v));

	if (!v)
		return error_nomem();
	k->v = v;
	v = &k->v[k->n];
	memset(v, 0, sizeof(*v));
	v->ssh = ssh;
	if (!(v->path = strdup(path)) || !(v->name = strdup(name))) {
		free(v->path);
		free(v->name);
		return error_nomem();
	}
	k->n++;
	return 0;
}

/* Imports one armored key; sets the key's fingerprint. */
static int import_pgp(struct sign_keys *k, gpgme_ctx_t ctx, struct sign_key *key, const char *armored)
{
	gpgme_data_t d;
	gpgme_import_result_t r;
	gpgme_error_t e;
	size_t i;

	if ((e = gpgme_data_new_from_mem(&d, armored, strlen(armored), 0)))
		return gpg_fail(key->path, e);
	e = gpgme_op_import(ctx, d);
	gpgme_data_release(d);
	if (e)
		return gpg_fail(key->path, e);
	r = gpgme_op_import_result(ctx);
	if (!r || r->considered != 1 || r->secret_read || !r->imports || r->imports->next || r->imports->result ||
	    !r->imports->fpr || strlen(r->imports->fpr) != 40)
		return error_set(ERR_INVALID, "%s: \"openpgp\" must hold exactly one public key (gpg --armor --export "
				 "FINGERPRINT)", key->path);
	for (i = 0; i < k->n; i++)
		if (k->v[i].fpr && !strcmp(k->v[i].fpr, r->imports->fpr))
			return error_set(ERR_INVALID, "%s: the same key as %s", key->path, k->v[i].path);
	return (key->fpr = strdup(r->imports->fpr)) ? 0 : error_nomem();
}

/* Every key and subkey of the keyring, for matching a signature's. */
static int list_subkeys(struct sign_keys *k, gpgme_ctx_t ctx)
{
	gpgme_key_t key;
	gpgme_subkey_t s;
	gpgme_error_t e;
	size_t i;
	int error = 0;

	if ((e = gpgme_op_keylist_start(ctx, NULL, 0)))
		return gpg_fail("listing the keys", e);
	while (!error && !(e = gpgme_op_keylist_next(ctx, &key))) {
		for (i = 0; i < k->n && !(k->v[i].fpr && key->subkeys && !strcmp(k->v[i].fpr, key->subkeys->fpr)); i++)
			;
		for (s = key->subkeys; s && i < k->n && !error; s = s->next) {
			struct sign_sub *v = realloc(k->subs, (k->nsubs + 1) * sizeof(*v));
			if (!v) {
				error = error_nomem();
				break;
			}
			k->subs = v;
			v = &k->subs[k->nsubs++];
			snprintf(v->fpr, sizeof(v->fpr), "%s", s->fpr ? s->fpr : "");
			v->key = i;
			v->expires = s->expires;
			if (key->subkeys->expires && (!v->expires || key->subkeys->expires < v->expires))
				v->expires = key->subkeys->expires;
		}
		gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(ctx);
	if (!error && gpgme_err_code(e) != GPG_ERR_EOF)
		error = gpg_fail("listing the keys", e);
	return error;
}

static int prepare_pgp(struct sign_keys *k, const cJSON **docs)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_error_t e;
	size_t i;
	int error;

	gpgme_check_version(NULL);
	if ((e = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP)))
		return error_set(ERR_IO, "gpg (GnuPG) is needed for the OpenPGP keys of " SIGN_KEYS_DIR "/: %s",
				 gpgme_strerror(e));
	if ((error = gpg_context(k, &ctx)) < 0)
		return error;
	for (i = 0; i < k->n && error >= 0; i++)
		if (!k->v[i].ssh)
			error = import_pgp(k, ctx, &k->v[i], json_get_string(docs[i], "openpgp"));
	if (error >= 0)
		error = list_subkeys(k, ctx);
	gpgme_release(ctx);
	return error;
}

static int prepare_ssh(struct sign_keys *k, const cJSON **docs)
{
	struct buf allowed = BUF_INIT;
	char fpr[128];
	size_t i, j;
	int error = 0;

	for (i = 0; i < k->n && error >= 0; i++) {
		const char *line = json_get_string(docs[i], "ssh");
		const char *sp, *end;
		if (!k->v[i].ssh)
			continue;
		if ((error = ssh_fingerprint(line, fpr, sizeof(fpr))) != 0) {
			if (error > 0)
				error = error_set(ERR_INVALID, "%s: \"ssh\" is not an SSH public key", k->v[i].path);
			break;
		}
		for (j = 0; j < i; j++)
			if (k->v[j].fpr && !strcmp(k->v[j].fpr, fpr))
				error = error_set(ERR_INVALID, "%s: the same key as %s", k->v[i].path, k->v[j].path);
		if (error < 0 || !(k->v[i].fpr = strdup(fpr))) {
			error = error < 0 ? error : error_nomem();
			break;
		}
		/* the key, without its comment: principal k<i>, for git only */
		sp = strchr(line, ' ');
		end = strchr(sp + 1, ' ');
		error = buf_printf(&allowed, "k%zu namespaces=\"git\" %.*s\n", i,
				   (int)(end ? (size_t)(end - line) : strlen(line)), line);
	}
	if (error >= 0)
		error = write_file(k->home, "allowed_signers", buf_cstr(&allowed), allowed.len);
	buf_release(&allowed);
	return error;
}

/* Reads and checks the key files; docs[i] is key i's.  Problems go into
 * out, or without it into one ERR_INVALID message. */
static int read_keys(struct sign_keys *k, const struct source *s, cJSON ***docs, struct diags *out)
{
	struct schema_set *schemas = NULL;
	struct diags own = DIAGS_INIT, *dp = out ? out : &own;
	size_t nerrors = dp->nerrors;
	struct buf text = BUF_INIT, msg = BUF_INIT;
	struct sha256_ctx h;
	uint8_t digest[SHA256_DIGEST_SIZE];
	const size_t plen = strlen(SIGN_KEYS_DIR "/");
	size_t i, j;
	uint64_t size;
	int error = 0;

	sha256_init(&h);
	for (i = 0; i < s->n && error >= 0; i++) {
		const char *path = s->v[i].path, *name;
		struct json_doc doc = JSON_DOC_INIT;
		size_t len = strlen(path);
		bool pgp, ssh;
		cJSON **v;
		if (strncmp(path, SIGN_KEYS_DIR "/", plen) || len < 5 || strcmp(path + len - 5, ".json") || s->v[i].link)
			continue;
		if (!schemas && (error = schema_set_load(&schemas)) < 0)
			break;
		if ((error = source_read(s, i, JSON_MAX_BYTES, &text, &size)) < 0)
			break;
		if (size > JSON_MAX_BYTES) {
			error = diags_add(dp, DIAG_ERROR, path, 1, 1, "file-size", "file is %llu bytes; a key file may "
					  "be at most %d bytes", (unsigned long long)size, JSON_MAX_BYTES);
			continue;
		}
		sha256_update(&h, len + 1, (const uint8_t *)path);
		sha256_update(&h, text.len, (const uint8_t *)buf_cstr(&text));
		sha256_update(&h, 1, (const uint8_t *)"");
		if ((error = json_parse(&doc, path, buf_cstr(&text), text.len, dp)) == 0 &&
		    (error = schema_validate(schemas, "key.schema.json", &doc, path, dp)) == 0) {
			pgp = json_get_string(doc.root, "openpgp") != NULL;
			ssh = json_get_string(doc.root, "ssh") != NULL;
			if (pgp == ssh) {
				error = diags_add(dp, DIAG_ERROR, path, 1, 1, "key-file",
						  "a key file has exactly one of \"openpgp\" and \"ssh\"");
			} else if (!(name = json_get_string(doc.root, "name"))) {
				error = diags_add(dp, DIAG_ERROR, path, 1, 1, "key-file", "no \"name\"");
			} else if ((error = add_key(k, path, name, ssh)) >= 0 &&
				   !(v = realloc(*docs, k->n * sizeof(*v)))) {
				error = error_nomem();
				k->n--;
				free(k->v[k->n].path);
				free(k->v[k->n].name);
			} else if (error >= 0) {
				*docs = v;
				v[k->n - 1] = doc.root;
				doc.root = NULL;
				k->pgp |= !ssh;
				k->ssh |= ssh;
			}
		}
		json_doc_release(&doc);
		if (error > 0)
			error = 0; /* reported below, with every other file's */
	}
	if (error >= 0 && dp->nerrors > nerrors && !out) {
		diags_sort(&own);
		for (j = 0; j < own.n; j++)
			if (own.v[j].level == DIAG_ERROR)
				buf_printf(&msg, "%s%s:%u:%u: error: %s [%s]", msg.len ? "\n" : "", own.v[j].path,
					   (unsigned)own.v[j].line, (unsigned)own.v[j].col, own.v[j].msg, own.v[j].rule);
		error = error_set(ERR_INVALID, "%s", buf_cstr(&msg));
	} else if (error >= 0 && dp->nerrors > nerrors) {
		error = ERR_INVALID; /* told in out */
	}
	if (error >= 0 && k->n) {
		sha256_digest(&h, sizeof(digest), digest);
		for (j = 0; j < sizeof(digest); j++)
			snprintf(k->id + 2 * j, 3, "%02x", digest[j]);
	}
	schema_set_free(schemas);
	diags_release(&own);
	buf_release(&text);
	buf_release(&msg);
	return error;
}

static int keys_load(struct sign_keys *k, const struct source *s, struct diags *out)
{
	cJSON **docs = NULL;
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	size_t i, n;
	int error;

	if ((error = read_keys(k, s, &docs, out)) < 0 || !k->n)
		goto done;
	snprintf(dir, sizeof(dir), "%s/gongshi-keys-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		error = error_set(ERR_IO, "%s: %s", dir, strerror(errno));
		goto done;
	}
	k->owner = getpid();
	if (!(k->home = strdup(dir))) {
		rmdir(dir);
		error = error_nomem();
		goto done;
	}
	if ((error = write_file(k->home, "gpg.conf", gpg_conf, strlen(gpg_conf))) < 0 ||
	    (k->pgp && (error = prepare_pgp(k, (const cJSON **)docs)) < 0) ||
	    (k->ssh && (error = prepare_ssh(k, (const cJSON **)docs)) < 0))
		goto done;
done:
	n = k->n;
	for (i = 0; docs && i < n; i++)
		cJSON_Delete(docs[i]);
	free(docs);
	return error;
}

int sign_keys_load(struct sign_keys *k, const struct source *s)
{
	return keys_load(k, s, NULL);
}

int sign_keys_check(const struct source *s, struct diags *d)
{
	struct sign_keys k = SIGN_KEYS_INIT;
	char path[1024];
	const char *msg, *sep;
	size_t before = d->nerrors;
	int error = keys_load(&k, s, d);

	/* what the keyring refuses (no key or two, the same key twice, a
	 * damaged SSH key) comes as one message "path: reason" */
	if (error == ERR_INVALID && d->nerrors == before) {
		msg = error_message();
		sep = strstr(msg, ": ");
		snprintf(path, sizeof(path), "%.*s", sep ? (int)(sep - msg) : 0, msg);
		error = diags_add(d, DIAG_ERROR, sep ? path : SIGN_KEYS_DIR, 1, 1, "key-file", "%s",
				  sep ? sep + 2 : msg);
	}
	sign_keys_release(&k);
	return error == ERR_INVALID ? 0 : error;
}

const struct sign_key *sign_key_find(const struct sign_keys *k, const char *fpr)
{
	size_t i;

	for (i = 0; k && fpr && i < k->n; i++)
		if (k->v[i].fpr && !strcmp(k->v[i].fpr, fpr))
			return &k->v[i];
	return NULL;
}

static int verify_pgp(const struct sign_keys *k, const char *sig, size_t siglen, const char *data, size_t len,
		      const struct sign_key **who)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t ds = NULL, dd = NULL;
	gpgme_verify_result_t r;
	gpgme_signature_t s;
	gpgme_err_code_t code;
	size_t i, fl;
	int error;

	if ((error = gpg_context(k, &ctx)) < 0)
		return error;
	if (gpgme_data_new_from_mem(&ds, sig, siglen, 0) || gpgme_data_new_from_mem(&dd, data, len, 0)) {
		error = error_nomem();
		goto done;
	}
	/* any failure of gpg's is a signature that cannot be verified */
	if (gpgme_op_verify(ctx, ds, dd, NULL) || !(r = gpgme_op_verify_result(ctx)) || !(s = r->signatures) ||
	    s->next || !s->fpr || !s->timestamp)
		goto done;
	/* good, or good by a key or signature that has expired since: an
	 * expiry counts as of the time the signature was made (below) */
	code = gpgme_err_code(s->status);
	if (code != GPG_ERR_NO_ERROR && code != GPG_ERR_KEY_EXPIRED && code != GPG_ERR_SIG_EXPIRED)
		goto done;
	fl = strlen(s->fpr);
	for (i = 0; i < k->nsubs; i++) {
		const struct sign_sub *b = &k->subs[i];
		if ((fl == 40 && !strcasecmp(b->fpr, s->fpr)) || (fl == 16 && !strcasecmp(b->fpr + 24, s->fpr))) {
			if ((!b->expires || (long)s->timestamp < b->expires) &&
			    (!s->exp_timestamp || s->exp_timestamp > s->timestamp))
				*who = &k->v[b->key];
			break;
		}
	}
done:
	gpgme_data_release(ds);
	gpgme_data_release(dd);
	gpgme_release(ctx);
	return error;
}

/* Runs argv with stdin from in (or /dev/null), stdout into out (cut
 * to size, NUL-terminated); *status is its exit status, -1 when it
 * did not exit. */
static int run(char *const argv[], const char *in, char *out, size_t size, int *status)
{
	posix_spawn_file_actions_t fa;
	int fds[2], w, rc;
	size_t got = 0;
	ssize_t r;
	pid_t pid;

	*status = -1;
	out[0] = '\0';
	if (pipe(fds) < 0)
		return error_set(ERR_IO, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in ? in : "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc) {
		close(fds[0]);
		return error_set(ERR_IO, "%s is needed to verify SSH signatures (openssh-client): %s", argv[0],
				 strerror(rc));
	}
	while ((r = read(fds[0], out + got, size - 1 - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		got += (size_t)r;
		if (got == size - 1) { /* the rest is not needed: drain it */
			char sink[512];
			while (read(fds[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	out[got] = '\0';
	close(fds[0]);
	while (waitpid(pid, &w, 0) < 0)
		if (errno != EINTR)
			return error_set(ERR_IO, "waitpid: %s", strerror(errno));
	if (WIFEXITED(w))
		*status = WEXITSTATUS(w);
	return 0;
}

static int verify_ssh(const struct sign_keys *k, const char *sig, size_t siglen, const char *data, size_t len,
		      const struct sign_key **who)
{
	static unsigned seq;
	char sigf[64], dataf[64], sigp[4200], datap[4200], allowed[4200], out[256], *end;
	char *find[] = { "ssh-keygen", "-Y", "find-principals", "-f", allowed, "-s", sigp, NULL };
	char *verify[] = { "ssh-keygen", "-Y", "verify", "-f", allowed, "-I", out, "-n", "git", "-s", sigp, NULL };
	unsigned long i;
	int error, status;

	/* names of this process's own: the history is walked by several */
	snprintf(sigf, sizeof(sigf), "sig-%ld-%u", (long)getpid(), seq);
	snprintf(dataf, sizeof(dataf), "data-%ld-%u", (long)getpid(), seq++);
	snprintf(sigp, sizeof(sigp), "%s/%s", k->home, sigf);
	snprintf(datap, sizeof(datap), "%s/%s", k->home, dataf);
	snprintf(allowed, sizeof(allowed), "%s/allowed_signers", k->home);
	if ((error = write_file(k->home, sigf, sig, siglen)) < 0 ||
	    (error = write_file(k->home, dataf, data, len)) < 0 ||
	    (error = run(find, NULL, out, sizeof(out), &status)) < 0 || status != 0)
		goto done;
	/* one principal, k<index>, as prepare_ssh() named it */
	out[strcspn(out, "\n")] = '\0';
	if (out[0] != 'k' || out[1] < '0' || out[1] > '9')
		goto done;
	errno = 0;
	i = strtoul(out + 1, &end, 10);
	if (errno || *end || i >= k->n || !k->v[i].ssh)
		goto done;
	{
		char principal[sizeof(out)], said[64];
		memcpy(principal, out, sizeof(out));
		verify[6] = principal;
		if ((error = run(verify, datap, said, sizeof(said), &status)) >= 0 && status == 0)
			*who = &k->v[i];
	}
done:
	unlink(sigp);
	unlink(datap);
	return error;
}

int sign_verify(const struct sign_keys *k, const char *sig, size_t siglen, const char *data, size_t len,
		enum sign_state *state, const struct sign_key **who)
{
	static const char pgp[] = "-----BEGIN PGP SIGNATURE-----", ssh[] = "-----BEGIN SSH SIGNATURE-----";
	int error = 0;

	*who = NULL;
	if (k && k->pgp && siglen > strlen(pgp) && !memcmp(sig, pgp, strlen(pgp)))
		error = verify_pgp(k, sig, siglen, data, len, who);
	else if (k && k->ssh && siglen > strlen(ssh) && !memcmp(sig, ssh, strlen(ssh)))
		error = verify_ssh(k, sig, siglen, data, len, who);
	*state = *who ? SIGN_GOOD : SIGN_BAD;
	return error;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

void sign_keys_release(struct sign_keys *k)
{
	size_t i;

	if (k->home && k->owner == getpid())
		nftw(k->home, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	for (i = 0; i < k->n; i++) {
		free(k->v[i].path);
		free(k->v[i].name);
		free(k->v[i].fpr);
	}
	free(k->v);
	free(k->subs);
	free(k->home);
	*k = (struct sign_keys)SIGN_KEYS_INIT;
}

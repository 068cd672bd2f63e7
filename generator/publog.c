/* publog.c - the publication log's chain; gongshi verify (see publog.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "array.h"
#include "buf.h"
#include "error.h"
#include "json.h"
#include "output.h"
#include "publog.h"
#include "source.h"

#define MAX_FIELDS 32
#define MAX_DEPTH 64

static void to_hex(const unsigned char *d, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int publog_hash(const cJSON *e, const char *prev, char out[65])
{
	const char *names[MAX_FIELDS];
	struct sha256_ctx c;
	unsigned char d[32];
	const cJSON *f;
	size_t n = 0, i;

	if (!cJSON_IsObject(e))
		return error_set(ERR_INVALID, "not an object");
	cJSON_ArrayForEach(f, e) {
		if (!cJSON_IsString(f) || strchr(f->valuestring, '\n') || !f->string || !*f->string ||
		    strchr(f->string, '=') || strchr(f->string, '\n'))
			return error_set(ERR_INVALID, "field \"%s\" is not a one-line string",
					 f->string ? f->string : "");
		if (!strcmp(f->string, "chain"))
			continue;
		if (n == MAX_FIELDS)
			return error_set(ERR_INVALID, "more than %d fields", MAX_FIELDS);
		names[n++] = f->string;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 1; i < n; i++)
		if (!strcmp(names[i - 1], names[i]))
			return error_set(ERR_INVALID, "field \"%s\" given twice", names[i]);
	sha256_init(&c);
	sha256_update(&c, strlen(prev), (const uint8_t *)prev);
	sha256_update(&c, 1, (const uint8_t *)"\n");
	for (i = 0; i < n; i++) {
		const char *v = json_get_string(e, names[i]);
		sha256_update(&c, strlen(names[i]), (const uint8_t *)names[i]);
		sha256_update(&c, 1, (const uint8_t *)"=");
		sha256_update(&c, strlen(v), (const uint8_t *)v);
		sha256_update(&c, 1, (const uint8_t *)"\n");
	}
	sha256_digest(&c, sizeof(d), d);
	to_hex(d, sizeof(d), out);
	return 0;
}

int publog_check(const cJSON *log, char head[65], int *unchained)
{
	char prev[65] = "";
	int n, i, error;

	*head = '\0';
	*unchained = 0;
	if (!cJSON_IsArray(log))
		return error_set(ERR_INVALID, "not a JSON array");
	n = cJSON_GetArraySize(log);
	for (i = 0; i < n; i++) {
		const cJSON *e = cJSON_GetArrayItem(log, i);
		const char *chain = json_get_string(e, "chain"), *restart = json_get_string(e, "restart_of");
		const char *commit = json_get_string(e, "commit");
		if (restart && i)
			return error_set(ERR_INVALID, "entry %d starts a new log (restart_of), but is not the "
					 "first", i + 1);
		if ((error = publog_hash(e, restart ? "" : prev, prev)) < 0)
			return error_set(error, "entry %d: %s", i + 1, error_message());
		if (!commit || strlen(commit) != 40 || strspn(commit, "0123456789abcdef") != 40)
			return error_set(ERR_INVALID, "entry %d: no commit id", i + 1);
		if (!chain && *unchained < i)
			return error_set(ERR_INVALID, "entry %d has no chain, but an earlier entry has", i + 1);
		if (!chain) {
			++*unchained;
			continue;
		}
		if (strcmp(chain, prev))
			return error_set(ERR_INVALID, "entry %d (commit %.7s): the chain breaks: it says %.12s…, "
					 "the entries up to it give %.12s… (an entry before it was removed or "
					 "edited)", i + 1, commit, chain, prev);
	}
	memcpy(head, prev, sizeof(prev));
	return 0;
}

void publog_digest(const void *data, size_t len, char hex[65])
{
	struct sha256_ctx c;
	unsigned char d[32];

	sha256_init(&c);
	sha256_update(&c, len, data);
	sha256_digest(&c, sizeof(d), d);
	to_hex(d, sizeof(d), hex);
}

/* Calls fn on each line of sums until it returns non-zero. */
static int each_line(const char *sums, int (*fn)(const char *line, size_t len, const char *arg, char out[65]),
		     const char *arg, char out[65])
{
	const char *p = sums, *nl;
	int r;

	for (; *p; p = nl + 1) {
		if (!(nl = strchr(p, '\n')))
			nl = p + strlen(p);
		if ((r = fn(p, (size_t)(nl - p), arg, out)) != 0)
			return r;
		if (!*nl)
			break;
	}
	return 0;
}

static int digest_line(const char *p, size_t len, const char *path, char hex[65])
{
	size_t n = strlen(path);

	if (len != 66 + n || p[64] != ' ' || p[65] != ' ' || strncmp(p + 66, path, n))
		return 0;
	memcpy(hex, p, 64);
	hex[64] = '\0';
	return 1;
}

static int head_line(const char *p, size_t len, const char *unused, char head[65])
{
	size_t n = strlen(PUBLOG_NOTE);

	(void)unused;
	if (len != 3 + n + 64 || p[0] != '#' || p[1] != ' ' || strncmp(p + 2, PUBLOG_NOTE, n) || p[2 + n] != ' ')
		return 0;
	memcpy(head, p + 3 + n, 64);
	head[64] = '\0';
	return 1;
}

int publog_sums_digest(const char *sums, const char *path, char hex[65])
{
	return each_line(sums, digest_line, path, hex);
}

int publog_sums_head(const char *sums, char head[65])
{
	return each_line(sums, head_line, NULL, head);
}

/* ---- gongshi verify ---- */

struct listed {
	char *path;        /* into the sums text */
	unsigned char seen;
};

static int listed_cmp(const void *a, const void *b)
{
	return strcmp(((const struct listed *)a)->path, ((const struct listed *)b)->path);
}

static int read_file(const char *path, struct buf *out)
{
	char chunk[65536];
	size_t got;
	FILE *fp;
	int ok;

	if (!(fp = fopen(path, "rb")))
		return errno == ENOENT ? 1 : error_set(ERR_IO, "%s: %s", path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_put(out, chunk, got) < 0) {
			fclose(fp);
			return ERR_NOMEM;
		}
	ok = !ferror(fp);
	fclose(fp);
	return ok ? 0 : error_set(ERR_IO, "%s: %s", path, strerror(errno));
}

static int file_hex(int dfd, const char *path, char hex[65])
{
	unsigned char d[32];

	if (output_file_sha256(dfd, path, d) < 0)
		return -1;
	to_hex(d, sizeof(d), hex);
	return 0;
}

/* Whether a listed path stays inside the site: a forged list must not
 * have verify read files elsewhere. */
static bool inside(const char *path)
{
	const char *seg = path, *end;
	size_t n;

	if (*path == '/')
		return false;
	for (;; seg = end + 1) {
		end = strchr(seg, '/');
		n = end ? (size_t)(end - seg) : strlen(seg);
		if (!n || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (!end)
			return true;
	}
}

/* Every file under rel ("" the root) that SHA256SUMS does not list: a
 * problem each, counted in *bad. */
static int walk(int dfd, struct buf *rel, struct listed *v, size_t n, FILE *out, int *bad, int depth)
{
	size_t len = rel->len;
	struct dirent *e;
	struct stat st;
	int fd, error = 0;
	DIR *d;

	if (!(d = fdopendir(dfd))) {
		close(dfd);
		return error_set(ERR_IO, "%s: %s", buf_cstr(rel), strerror(errno));
	}
	for (errno = 0; error >= 0 && (e = readdir(d)); errno = 0) {
		struct listed key, *hit;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((error = buf_printf(rel, "%s%s", len ? "/" : "", e->d_name)) < 0)
			break;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			error = error_set(ERR_IO, "%s: %s", buf_cstr(rel), strerror(errno));
		} else if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
			if ((fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
				error = error_set(ERR_IO, "%s: %s", buf_cstr(rel), strerror(errno));
			else
				error = walk(fd, rel, v, n, out, bad, depth + 1);
		} else if (!(len == 0 && !strcmp(e->d_name, "SHA256SUMS"))) {
			key.path = rel->ptr;
			hit = n ? bsearch(&key, v, n, sizeof(*v), listed_cmp) : NULL;
			if (!hit || !S_ISREG(st.st_mode)) {
				fprintf(out, "%s: %s\n", buf_cstr(rel), hit ? "not a regular file" :
					"not listed in SHA256SUMS (added)");
				++*bad;
			}
		}
		rel->len = len;
		rel->ptr[len] = '\0';
	}
	if (error >= 0 && errno)
		error = error_set(ERR_IO, "%s: %s", buf_cstr(rel), strerror(errno));
	closedir(d);
	return error;
}

/* The commits the log names, against the record repository. */
static int verify_commits(const cJSON *log, const char *repo, FILE *out, int *bad)
{
	struct source src = SOURCE_INIT;
	const char *prev = NULL;
	int i, n = cJSON_GetArraySize(log), error;
	bool ok;

	if ((error = source_open_commit(&src, repo, "HEAD")) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		const cJSON *e = cJSON_GetArrayItem(log, i);
		const char *commit = json_get_string(e, "commit"), *rewrite = json_get_string(e, "rewrite_of");
		const char *restart = json_get_string(e, "restart_of");
		if ((error = source_has_commit(&src, commit, &ok)) < 0)
			goto done;
		if (!ok) {
			fprintf(out, "%s: entry %d names commit %.7s, which %s does not hold\n", PUBLOG_FILE,
				i + 1, commit, repo);
			++*bad;
		} else if (restart) {
			fprintf(out, "note: entry %d (commit %.7s) starts a new log (gongshi build --new-log)%s%s\n",
				i + 1, commit, *restart ? "; the old log's head was " : "", restart);
		} else if (rewrite) {
			fprintf(out, "note: entry %d (commit %.7s) was published over a rewritten history "
				"(--allow-rewrite), replacing commit %.7s\n", i + 1, commit, rewrite);
		} else if (prev && (error = source_descends(&src, commit, prev, &ok)) < 0) {
			goto done;
		} else if (prev && !ok) {
			fprintf(out, "%s: entry %d: commit %.7s does not descend from %.7s, the commit published "
				"before it, and is not marked as a rewrite\n", PUBLOG_FILE, i + 1, commit, prev);
			++*bad;
		}
		prev = commit;
	}
done:
	source_release(&src);
	return error;
}

int publog_verify(const char *dir, const char *repo, FILE *out)
{
	struct buf sums = BUF_INIT, path = BUF_INIT, text = BUF_INIT, rel = BUF_INIT;
	struct listed *v = NULL, *w;
	size_t n = 0, cap = 0, i;
	char *p, *nl, hex[65], head[65], noted[65];
	cJSON *log = NULL;
	int dfd = -1, bad = 0, unchained, error;
	struct stat st;

	errno = 0;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		error = error_set(ERR_IO, "%s: %s", dir, errno ? strerror(errno) : "not a folder");
		goto done;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		error = error_set(ERR_IO, "%s: %s", dir, strerror(errno));
		goto done;
	}
	if ((error = buf_printf(&path, "%s/SHA256SUMS", dir)) < 0 || (error = read_file(path.ptr, &sums)) < 0)
		goto done;
	if (error == 1) {
		fprintf(out, "SHA256SUMS: missing\n");
		bad++;
		error = 0;
		goto tally;
	}
	for (p = sums.ptr; p && *p; p = nl + 1) {
		if (!(nl = strchr(p, '\n'))) {
			fprintf(out, "SHA256SUMS: the last line is cut short\n");
			bad++;
			break;
		}
		*nl = '\0';
		if (*p == '#')
			continue;
		if (nl - p < 67 || p[64] != ' ' || p[65] != ' ' || strspn(p, "0123456789abcdef") != 64 ||
		    !inside(p + 66)) {
			fprintf(out, "SHA256SUMS: a line not of the form \"<sha256>  <path>\"\n");
			bad++;
			continue;
		}
		if (!(w = array_grow(v, &cap, n + 1, sizeof(*v)))) {
			error = error_nomem();
			goto done;
		}
		v = w;
		v[n].path = p + 66;
		v[n++].seen = 0;
		if (file_hex(dfd, p + 66, hex) < 0) {
			fprintf(out, "%s: listed in SHA256SUMS, %s\n", p + 66, errno == ENOENT ? "missing (removed)" :
				strerror(errno));
			bad++;
		} else if (memcmp(hex, p, 64)) {
			fprintf(out, "%s: changed (its SHA-256 is not the one SHA256SUMS lists)\n", p + 66);
			bad++;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), listed_cmp);
	if ((error = walk(dfd, &rel, v, n, out, &bad, 0)) < 0)
		goto done;
	dfd = -1; /* closed by walk */
	/* the log: its chain, and the head SHA256SUMS names (restore the text's newlines first) */
	for (i = 0; i < sums.len; i++)
		if (!sums.ptr[i])
			sums.ptr[i] = '\n';
	buf_clear(&path);
	if ((error = buf_printf(&path, "%s/%s", dir, PUBLOG_FILE)) < 0 || (error = read_file(path.ptr, &text)) < 0)
		goto done;
	if (error == 1) {
		error = 0;
		fprintf(out, "%s: missing\n", PUBLOG_FILE);
		bad++;
		goto tally;
	}
	if (json_parse_trusted(buf_cstr(&text), text.len, &log) < 0 || !log) {
		fprintf(out, "%s: not JSON\n", PUBLOG_FILE);
		bad++;
		goto tally;
	}
	if (publog_check(log, head, &unchained) < 0) {
		fprintf(out, "%s: %s\n", PUBLOG_FILE, error_message());
		bad++;
		goto tally;
	}
	if (publog_sums_head(buf_cstr(&sums), noted)) {
		if (strcmp(noted, head)) {
			fprintf(out, "%s: its chain's head is %s, SHA256SUMS names %s\n", PUBLOG_FILE, head, noted);
			bad++;
		}
	} else if (unchained < cJSON_GetArraySize(log)) {
		fprintf(out, "SHA256SUMS: no line \"# %s ...\", though the log is chained\n", PUBLOG_NOTE);
		bad++;
	}
	if (unchained)
		fprintf(out, "note: %s: %d entr%s written before the log was chained, covered by the chain "
			"from entry %d on\n", PUBLOG_FILE, unchained, unchained == 1 ? "y" : "ies", unchained + 1);
	if (repo && (error = verify_commits(log, repo, out, &bad)) < 0)
		goto done;
	if (*head)
		fprintf(out, "head: %s\n", head);
tally:
	error = bad ? 1 : 0;
	if (bad)
		fprintf(out, "%s: tampered with or damaged: %d problem%s\n", dir, bad, bad == 1 ? "" : "s");
	else
		fprintf(out, "%s: good\n", dir);
done:
	if (dfd >= 0)
		close(dfd);
	cJSON_Delete(log);
	free(v);
	buf_release(&sums);
	buf_release(&path);
	buf_release(&text);
	buf_release(&rel);
	return error;
}

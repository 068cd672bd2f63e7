/* history.c - the audit trail (see history.h). */
/* pipe2() and O_CLOEXEC for the prefetch's pipe are Linux's. */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "array.h"
#include "error.h"
#include "hash.h"
#include "history.h"
#include "sign.h"

#define CACHE_VERSION "gongshi-history-6" /* 6: content/ files (KIND_CONTENT) */

/* ---- memory: one arena per history ----
 *
 * A history at size M holds 1.4 million field changes; as separate
 * mallocs (four strings each) they cost more in headers and heap
 * fragmentation than in text, and freeing them was a tenth of the pass.
 * Strings live in large blocks instead, and the strings that repeat
 * (record ids, paths, field paths and labels) are stored once. */

struct history_arena {
	struct arena mem;            /* the strings and field lists */
	const char **set;            /* owned: interned strings, open addressing */
	size_t nset, capset;         /* capset: 0 or a power of two */
};

static struct history_arena *arena_of(struct history *h)
{
	if (!h->arena && (h->arena = calloc(1, sizeof(*h->arena))))
		h->arena->mem.block = 1024 * 1024;
	return h->arena;
}

/* s, stored once for the whole history. */
static char *arena_intern(struct history_arena *a, const char *s)
{
	size_t i, mask;

	if (a->nset + 1 > a->capset / 2) {
		size_t cap = a->capset ? a->capset * 2 : 4096, k;
		const char **set = calloc(cap, sizeof(*set));
		if (!set)
			return NULL;
		for (k = 0; k < a->capset; k++)
			if (a->set[k]) {
				for (i = hash_str(a->set[k]) & (cap - 1); set[i]; i = (i + 1) & (cap - 1))
					;
				set[i] = a->set[k];
			}
		free(a->set);
		a->set = set;
		a->capset = cap;
	}
	mask = a->capset - 1;
	for (i = hash_str(s) & mask; a->set[i]; i = (i + 1) & mask)
		if (!strcmp(a->set[i], s))
			return (char *)a->set[i];
	if (!(a->set[i] = arena_strdup(&a->mem, s)))
		return NULL;
	a->nset++;
	return (char *)a->set[i];
}

static void arena_free(struct history_arena *a)
{
	if (!a)
		return;
	arena_release(&a->mem);
	free(a->set);
	free(a);
}

/* from's changes, copied into the arena as one array: to owns nothing
 * (history_release frees the arena). */
static int pack_fields(struct history_arena *a, const struct jd_changes *from, struct jd_changes *to)
{
	size_t i;

	memset(to, 0, sizeof(*to));
	if (!from->n)
		return 0;
	if (!(to->v = arena_alloc(&a->mem, from->n * sizeof(*to->v))))
		return error_nomem();
	for (i = 0; i < from->n; i++) {
		const struct jd_change *f = &from->v[i];
		struct jd_change *t = &to->v[i];
		t->kind = f->kind;
		t->old = t->new = NULL;
		if (!(t->path = arena_intern(a, f->path)) || !(t->label = arena_intern(a, f->label)) ||
		    (f->old && !(t->old = arena_strdup(&a->mem, f->old))) || (f->new && !(t->new = arena_strdup(&a->mem, f->new))))
			return error_nomem();
	}
	to->n = to->cap = from->n;
	return 0;
}

/* ---- parsed versions, by blob id ---- */

struct version {
	unsigned char oid[20];
	cJSON *doc;      /* owned; NULL for a version that is not valid JSON */
	bool used;
};

struct versions {
	struct version *v;  /* open addressing; cap is a power of two */
	size_t n, cap;
};

static bool oid_zero(const unsigned char *oid)
{
	static const unsigned char zero[20];

	return !memcmp(oid, zero, 20);
}

static size_t slot_of(const struct versions *t, const unsigned char *oid)
{
	size_t h, i;

	memcpy(&h, oid, sizeof(h)); /* a blob id is already a hash */
	for (i = h & (t->cap - 1); t->v[i].used && memcmp(t->v[i].oid, oid, 20); i = (i + 1) & (t->cap - 1))
		;
	return i;
}

static void versions_clear(struct versions *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		if (t->v[i].used)
			cJSON_Delete(t->v[i].doc);
	if (t->v)
		memset(t->v, 0, t->cap * sizeof(*t->v));
	t->n = 0;
}

/* Takes a parsed version out of the table (the caller owns it), or
 * returns false. */
static bool versions_take(struct versions *t, const unsigned char *oid, cJSON **doc)
{
	size_t i, j, k;

	if (!t->cap)
		return false;
	i = slot_of(t, oid);
	if (!t->v[i].used)
		return false;
	*doc = t->v[i].doc;
	t->v[i].used = false;
	t->n--;
	/* re-insert the rest of the cluster, as linear probing needs */
	for (j = (i + 1) & (t->cap - 1); t->v[j].used; j = (j + 1) & (t->cap - 1)) {
		struct version e = t->v[j];
		t->v[j].used = false;
		k = slot_of(t, e.oid);
		t->v[k] = e;
	}
	return true;
}

static int versions_put(struct versions *t, const unsigned char *oid, cJSON *doc)
{
	size_t i;

	if (t->n + 1 > t->cap / 2) {
		struct versions bigger = { NULL, 0, t->cap ? t->cap * 2 : 1024 };
		if (!(bigger.v = calloc(bigger.cap, sizeof(*bigger.v))))
			return error_nomem();
		for (i = 0; i < t->cap; i++)
			if (t->v[i].used) {
				size_t k = slot_of(&bigger, t->v[i].oid);
				bigger.v[k] = t->v[i];
				bigger.n++;
			}
		free(t->v);
		*t = bigger;
	}
	i = slot_of(t, oid);
	if (t->v[i].used) { /* the same content again */
		cJSON_Delete(doc);
		return 0;
	}
	memcpy(t->v[i].oid, oid, 20);
	t->v[i].doc = doc;
	t->v[i].used = true;
	t->n++;
	return 0;
}

/* ---- the walk ---- */

struct loader {
	struct history *h;
	const struct source *src;
	struct versions versions;
	struct buf data;
	struct jd_changes scratch;  /* one change's fields, before pack_fields() */
	const struct fingerprint_key *key; /* gongshi diff's, for private changes; never a build's */
	bool lazy;                  /* parts walked elsewhere only go to the cache */
	size_t lazy_walked;         /* the commits of those parts */
};

int history_record_id(const char *path, const cJSON *doc, char *id, size_t size,
		      enum record_kind *kind)
{
	const char *base = strrchr(path, '/'), *s;
	const cJSON *y;

	/* content/ is published too: followed by its path under content/ */
	if (!strncmp(path, "content/", 8) && path[8] && !strstr(path, "/.") && strlen(path + 8) < size) {
		*kind = KIND_CONTENT;
		snprintf(id, size, "%s", path + 8);
		return 0;
	}
	*kind = record_kind_of_path(path);
	if (*kind == KIND_NONE || strstr(path, "/."))
		return 1;
	if (*kind == KIND_CALENDAR && (y = json_get(doc, "year")) && cJSON_IsNumber(y)) {
		snprintf(id, size, "%d", y->valueint);
		return 0;
	}
	if ((s = json_get_string(doc, "id")) && *s && strlen(s) < size) {
		snprintf(id, size, "%s", s);
		return 0;
	}
	snprintf(id, size, "%.*s", (int)(strlen(base + 1) - 5), base + 1);
	return 0;
}

/* A version of a record file, parsed (NULL if it is not valid JSON). */
static int version_of(struct loader *L, const unsigned char *oid, cJSON **doc)
{
	struct json_doc d = JSON_DOC_INIT;
	struct diags diags = DIAGS_INIT;
	uint64_t size;
	int error;

	*doc = NULL;
	if (oid_zero(oid))
		return 0;
	if (versions_take(&L->versions, oid, doc))
		return 0;
	if ((error = source_read_oid(L->src, oid, JSON_MAX_BYTES, &L->data, &size)) < 0)
		return error;
	if (size > JSON_MAX_BYTES)
		return 0;
	error = json_parse_tree(&d, "history", buf_cstr(&L->data), L->data.len, &diags);
	diags_release(&diags);
	if (error < 0)
		return error;
	*doc = d.root;
	d.root = NULL;
	json_doc_release(&d);
	return 0;
}

static bool is_json(const char *path)
{
	size_t len = strlen(path);

	return len > 5 && !strcmp(path + len - 5, ".json");
}

static int change_cmp(const void *a, const void *b)
{
	const struct history_change *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Strings and field lists live in the history's arena: only the
 * changes array is the commit's own. */
static void commit_release(struct history_commit *c)
{
	free(c->changes);
	c->changes = NULL;
	c->nchanges = 0;
}

static struct history_commit *new_commit(struct history *h)
{
	struct history_commit *c;

	if (!(c = array_grow(h->commits, &h->cap, h->n + 1, sizeof(*c))))
		return NULL;
	h->commits = c;
	c = &h->commits[h->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

static int on_commit(const struct source_commit *sc, const struct source_change *v, size_t n,
		     void *payload)
{
	struct loader *L = payload;
	struct history_arena *A = arena_of(L->h);
	struct history_commit *c;
	cJSON **olds = NULL, **news = NULL;
	size_t i, j, k = 0;
	char id[256];
	int error = 0;

	/* a shallow clone's oldest commit: its parent is missing, so what it
	 * holds is where the known history begins, not what it added */
	if (sc->nparents && !sc->parent[0]) {
		snprintf(L->h->boundary, sizeof(L->h->boundary), "%s", sc->id);
		L->h->boundary_time = sc->time;
		return 0;
	}
	if (!A || !(c = new_commit(L->h)))
		return error_nomem();
	memcpy(c->id, sc->id, sizeof(c->id));
	memcpy(c->parent, sc->parent, sizeof(c->parent));
	c->time = sc->time;
	c->offset = sc->offset;
	c->sig = sc->sig;
	if (sc->signer && (!(c->signer = arena_intern(A, sc->signer->name)) ||
			   !(c->signer_key = arena_intern(A, sc->signer->fpr)))) {
		error = error_nomem();
		goto done;
	}
	if (!(c->author = arena_intern(A, sc->author ? sc->author : "")) ||
	    !(c->email = arena_intern(A, sc->email ? sc->email : "")) ||
	    !(c->message = arena_strdup(&A->mem, sc->message ? sc->message : "")) ||
	    !(c->changes = calloc(n + 1, sizeof(*c->changes))) || !(olds = calloc(n + 1, sizeof(*olds))) ||
	    !(news = calloc(n + 1, sizeof(*news)))) {
		error = error_nomem();
		goto done;
	}
	for (i = 0; i < n; i++) {
		struct history_change *e = &c->changes[k];
		enum record_kind kind;
		bool content = !strncmp(v[i].path, "content/", 8);
		if ((!content && record_kind_of_path(v[i].path) == KIND_NONE) || strstr(v[i].path, "/."))
			continue;
		/* of content/, only JSON (site.json) is compared field by field:
		 * a text or an image changed as a whole */
		if ((!content || is_json(v[i].path)) &&
		    ((error = version_of(L, v[i].old_oid, &olds[k])) < 0 ||
		     (error = version_of(L, v[i].new_oid, &news[k])) < 0))
			goto done;
		if (history_record_id(v[i].path, news[k] ? news[k] : olds[k], id, sizeof(id), &kind)) {
			cJSON_Delete(olds[k]);
			cJSON_Delete(news[k]);
			olds[k] = news[k] = NULL;
			continue;
		}
		e->kind = kind;
		e->status = v[i].status == SOURCE_ADDED ? HIST_ADDED
			    : v[i].status == SOURCE_DELETED ? HIST_DELETED : HIST_MODIFIED;
		memcpy(e->old_oid, v[i].old_oid, 20);
		memcpy(e->new_oid, v[i].new_oid, 20);
		if (!(e->id = arena_intern(A, id)) || !(e->path = arena_intern(A, v[i].path))) {
			error = error_nomem();
			goto done;
		}
		k++;
	}
	c->nchanges = k;
	/* a record deleted at one path and added at another has moved */
	for (i = 0; i < k; i++) {
		struct history_change *a = &c->changes[i];
		if (a->status != HIST_ADDED)
			continue;
		for (j = 0; j < k; j++) {
			struct history_change *d = &c->changes[j];
			if (d->status != HIST_DELETED || d->kind != a->kind || strcmp(d->id, a->id))
				continue;
			a->status = HIST_MOVED;
			a->old_path = d->path;
			d->path = NULL;
			memcpy(a->old_oid, d->old_oid, 20);
			olds[i] = olds[j];
			olds[j] = NULL;
			d->kind = KIND_NONE; /* dropped below */
			break;
		}
	}
	for (i = j = 0; i < k; i++) {
		if (c->changes[i].kind == KIND_NONE) {
			cJSON_Delete(news[i]);
			cJSON_Delete(olds[i]);
			news[i] = olds[i] = NULL;
			continue;
		}
		c->changes[j] = c->changes[i];
		olds[j] = olds[i];
		news[j] = news[i];
		if (i != j)
			olds[i] = news[i] = NULL; /* moved, not shared */
		j++;
	}
	c->nchanges = k = j;
	if (!k) { /* it changed only files that are not published (schemas...) */
		commit_release(c);
		L->h->n--;
		goto done;
	}
	for (i = 0; i < k && error >= 0; i++) {
		struct history_change *e = &c->changes[i];
		e->parsed = (oid_zero(e->old_oid) || olds[i]) && (oid_zero(e->new_oid) || news[i]);
		if (e->kind == KIND_CONTENT && !e->parsed && !is_json(e->path ? e->path : e->id))
			e->parsed = true; /* a text, not JSON: nothing to parse */
		if ((error = jsondiff_keyed(olds[i], news[i], L->key, &L->scratch)) >= 0)
			error = pack_fields(A, &L->scratch, &e->fields);
		jd_changes_release(&L->scratch);
		/* the new version is used up: only an old one is met again */
		cJSON_Delete(news[i]);
		news[i] = NULL;
	}
	/* this commit's old versions are the new versions of earlier ones */
	for (i = 0; i < k && error >= 0; i++) {
		if (olds[i]) {
			error = versions_put(&L->versions, c->changes[i].old_oid, olds[i]);
			olds[i] = NULL;
		}
	}
	/* keep the order changes were found in, for the index: kind, id */
	{
		/* olds/news are no longer used after this point */
		struct history_change *cv = c->changes;
		qsort(cv, k, sizeof(*cv), change_cmp);
	}
done:
	for (i = 0; i < n; i++) {
		if (olds)
			cJSON_Delete(olds[i]);
		if (news)
			cJSON_Delete(news[i]);
	}
	free(olds);
	free(news);
	return error;
}

/* The keys a source's signatures are verified with, as the cache names them. */
static const char *keys_id(const struct source *s)
{
	return s->keys ? s->keys->id : "";
}

/* ---- the cache ----
 *
 * A binary file, written and read in one pass: building it as one cJSON
 * document (and printing that) took more memory than the history itself
 * and a tenth of a clean build at size M.  It is one or more segments,
 * the newest commits first, each the walk from its tip down to the next
 * segment's, so that the parts of a walk, and a walk of new commits put
 * before the old cache, are written by copying their bytes, not by
 * reading them back; the first segment's tip is the file's.  A segment,
 * integers little-endian:
 *
 *   "gongshi-history-4\n"
 *   str tip, str keys, str boundary, i64 boundary_time, u64 commits
 *   each commit: str id, str parent, str author, str email, str message,
 *     i64 time, i32 offset, u8 sig, [str signer, str signer_key] (a good
 *     signature's), u32 changes
 *   each change: u8 kind, u8 status, u8 flags (1 parsed, 2 path,
 *     4 old_path), str id, [str path], [str old_path], old id (20 bytes),
 *     new id (20 bytes), u32 fields
 *   each field: u8 kind, ref path, ref label, u8 has (1 old, 2 new),
 *     [str old], [str new]
 *   "end\n"
 *
 * str: u32 length, the bytes, a NUL (so that a string read back is used
 * where it lies).  ref: a repeated string, u32 index of an earlier one,
 * or 0xFFFFFFFF followed by a str that becomes the next index.  Private
 * values are never in the history (jsondiff.h), so never here.
 */

#define REF_NEW 0xFFFFFFFFu

struct cache_out {
	FILE *fp;
	const char **refs;       /* open addressing by pointer: interned strings written */
	uint32_t *ids;
	size_t nrefs, cap;       /* cap: a power of two */
	int error;               /* 1: a write failed; < 0: an error */
};

static void put_bytes(struct cache_out *o, const void *p, size_t n)
{
	if (!o->error && n && fwrite(p, 1, n, o->fp) != n)
		o->error = 1;
}

static void put_u(struct cache_out *o, uint64_t v, int bytes)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put_bytes(o, b, (size_t)bytes);
}

static void put_s(struct cache_out *o, const char *s)
{
	size_t n = strlen(s);

	put_u(o, n, 4);
	put_bytes(o, s, n + 1);
}

/* An interned string: by index after its first time.  Pointers are
 * compared, so a string interned twice is merely written twice. */
static void put_ref(struct cache_out *o, const char *s)
{
	size_t i, mask;

	if (o->nrefs + 1 > o->cap / 2) {
		size_t cap = o->cap ? o->cap * 2 : 4096, k;
		const char **refs = calloc(cap, sizeof(*refs));
		uint32_t *ids = calloc(cap, sizeof(*ids));
		if (!refs || !ids) {
			free(refs);
			free(ids);
			o->error = error_nomem();
			return;
		}
		for (k = 0; k < o->cap; k++)
			if (o->refs[k]) {
				for (i = ((uintptr_t)o->refs[k] >> 3) & (cap - 1); refs[i]; i = (i + 1) & (cap - 1))
					;
				refs[i] = o->refs[k];
				ids[i] = o->ids[k];
			}
		free(o->refs);
		free(o->ids);
		o->refs = refs;
		o->ids = ids;
		o->cap = cap;
	}
	mask = o->cap - 1;
	for (i = ((uintptr_t)s >> 3) & mask; o->refs[i]; i = (i + 1) & mask)
		if (o->refs[i] == s) {
			put_u(o, o->ids[i], 4);
			return;
		}
	o->refs[i] = s;
	o->ids[i] = (uint32_t)o->nrefs++;
	put_u(o, REF_NEW, 4);
	put_s(o, s);
}

/* Writes h's commits from .. to - 1, as the walk from tip, to fp as a
 * segment: 0, 1 for a failed write, or an error (< 0). */
static int cache_put(const struct history *h, size_t from, size_t to, FILE *fp, const char *tip,
		     const char *keys)
{
	struct cache_out o = { 0 };
	size_t i, j, k;

	o.fp = fp;
	put_bytes(&o, CACHE_VERSION "\n", strlen(CACHE_VERSION) + 1);
	put_s(&o, tip);
	put_s(&o, keys);
	put_s(&o, h->boundary);
	put_u(&o, (uint64_t)h->boundary_time, 8);
	put_u(&o, to - from, 8);
	for (i = from; i < to && !o.error; i++) {
		const struct history_commit *hc = &h->commits[i];
		put_s(&o, hc->id);
		put_s(&o, hc->parent);
		put_s(&o, hc->author);
		put_s(&o, hc->email);
		put_s(&o, hc->message);
		put_u(&o, (uint64_t)hc->time, 8);
		put_u(&o, (uint32_t)hc->offset, 4);
		put_u(&o, (uint64_t)hc->sig, 1);
		if (hc->sig == SIGN_GOOD) {
			put_s(&o, hc->signer);
			put_s(&o, hc->signer_key);
		}
		put_u(&o, hc->nchanges, 4);
		for (j = 0; j < hc->nchanges; j++) {
			const struct history_change *e = &hc->changes[j];
			put_u(&o, (uint64_t)e->kind, 1);
			put_u(&o, (uint64_t)e->status, 1);
			put_u(&o, (e->parsed ? 1u : 0u) | (e->path ? 2u : 0u) | (e->old_path ? 4u : 0u), 1);
			put_s(&o, e->id);
			if (e->path)
				put_s(&o, e->path);
			if (e->old_path)
				put_s(&o, e->old_path);
			put_bytes(&o, e->old_oid, 20);
			put_bytes(&o, e->new_oid, 20);
			put_u(&o, e->fields.n, 4);
			for (k = 0; k < e->fields.n; k++) {
				const struct jd_change *d = &e->fields.v[k];
				put_u(&o, (uint64_t)d->kind, 1);
				put_ref(&o, d->path);
				put_ref(&o, d->label);
				/* belt and braces: a private change never carries a value */
				put_u(&o, d->kind == JD_PRIVATE ? 0u : (d->old ? 1u : 0u) | (d->new ? 2u : 0u), 1);
				if (d->kind != JD_PRIVATE && d->old)
					put_s(&o, d->old);
				if (d->kind != JD_PRIVATE && d->new)
					put_s(&o, d->new);
			}
		}
	}
	put_bytes(&o, "end\n", 4);
	free(o.refs);
	free(o.ids);
	return o.error;
}

/* What a cache file is written from: its segments in order, then the
 * bytes of the cache it extends. */
struct seg {
	size_t from, to;         /* h's commits, when fd < 0 */
	int fd;                  /* a part's memfd (a segment), copied; -1 */
	char tip[41];
};

struct segs {
	struct seg v[HISTORY_PARTS_MAX];
	size_t n;
	const char *tail;        /* not owned: the old cache's bytes, or NULL */
	size_t ntail;
};

/* Appends fd's bytes to fp: 0 or 1 for a failed read or write. */
static int copy_fd(FILE *fp, int fd)
{
	char buf[1 << 16];
	off_t off = 0;
	ssize_t r;

	while ((r = pread(fd, buf, sizeof(buf), off)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (fwrite(buf, 1, (size_t)r, fp) != (size_t)r)
			return 1;
		off += r;
	}
	return 0;
}

static int cache_write(const struct history *h, const char *path, const char *keys, const struct segs *sg)
{
	char tmp[4096];
	FILE *fp;
	size_t i;
	int error = 0;

	/* written beside and renamed, so a killed build never leaves half a cache */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(fp = fopen(tmp, "wb")))
		return error_set(ERR_IO, "%s: cannot write the history cache", tmp);
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	for (i = 0; i < sg->n && !error; i++)
		error = sg->v[i].fd >= 0 ? copy_fd(fp, sg->v[i].fd)
					 : cache_put(h, sg->v[i].from, sg->v[i].to, fp, sg->v[i].tip, keys);
	if (!error && sg->ntail && fwrite(sg->tail, 1, sg->ntail, fp) != sg->ntail)
		error = 1;
	if (fclose(fp) != 0 && !error)
		error = 1;
	if (!error && rename(tmp, path) < 0)
		error = 1;
	if (error > 0)
		error = error_set(ERR_IO, "%s: cannot write the history cache", path);
	if (error < 0)
		remove(tmp);
	return error;
}

struct cache_in {
	const char *p, *end;
	char **refs;             /* strings by ref index, pointing into the file */
	size_t nrefs, cap;
	bool bad;
	const char *keys;        /* the keys signatures were verified with: a
	                            segment verified with others is unusable */
};

static uint64_t get_u(struct cache_in *in, int bytes)
{
	uint64_t v = 0;
	int i;

	if (in->bad || in->end - in->p < bytes) {
		in->bad = true;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v |= (uint64_t)(unsigned char)in->p[i] << (8 * i);
	in->p += bytes;
	return v;
}

/* A string where it lies in the file, or NULL (and in->bad). */
static char *get_s(struct cache_in *in)
{
	uint64_t n = get_u(in, 4);
	char *s;

	if (in->bad || (uint64_t)(in->end - in->p) < n + 1 || in->p[n] != '\0') {
		in->bad = true;
		return NULL;
	}
	s = (char *)in->p;
	in->p += n + 1;
	return s;
}

static char *get_ref(struct cache_in *in)
{
	uint64_t i = get_u(in, 4);
	char **v;

	if (in->bad)
		return NULL;
	if (i != REF_NEW) {
		if (i >= in->nrefs) {
			in->bad = true;
			return NULL;
		}
		return in->refs[i];
	}
	if (!(v = array_grow(in->refs, &in->cap, in->nrefs + 1, sizeof(*v)))) {
		in->bad = true;
		return NULL;
	}
	in->refs = v;
	return in->refs[in->nrefs++] = get_s(in);
}

/* What cache_get() read: the file's bytes (in h's arena), and how many
 * segments they hold. */
struct cache_file {
	const char *bytes;
	size_t len, nseg;
};

/* Reads one segment into h: false if it is damaged. */
static bool get_segment(struct history *h, struct cache_in *in, char tip[41])
{
	struct history_arena *A = h->arena;
	const char *s;
	uint64_t n, i;
	int64_t t;

	in->nrefs = 0; /* a segment's refs are its own */
	if (in->end - in->p < (ptrdiff_t)strlen(CACHE_VERSION) + 1 ||
	    memcmp(in->p, CACHE_VERSION "\n", strlen(CACHE_VERSION) + 1))
		return false;
	in->p += strlen(CACHE_VERSION) + 1;
	if (!(s = get_s(in)) || strlen(s) != 40)
		return false;
	memcpy(tip, s, 41);
	if (!(s = get_s(in)) || strcmp(s, in->keys))
		return false;
	if (!(s = get_s(in)) || strlen(s) > 40)
		return false;
	if (*s) /* the oldest segment's, if the walk was cut */
		memcpy(h->boundary, s, strlen(s) + 1);
	t = (int64_t)get_u(in, 8);
	if (*s)
		h->boundary_time = t;
	n = get_u(in, 8);
	for (i = 0; i < n && !in->bad; i++) {
		struct history_commit *hc = new_commit(h);
		uint64_t j, nch;
		if (!hc)
			return false;
		if ((s = get_s(in)) && strlen(s) <= 40)
			memcpy(hc->id, s, strlen(s) + 1);
		if ((s = get_s(in)) && strlen(s) <= 40)
			memcpy(hc->parent, s, strlen(s) + 1);
		hc->author = get_s(in);
		hc->email = get_s(in);
		hc->message = get_s(in);
		hc->time = (int64_t)get_u(in, 8);
		hc->offset = (int32_t)(uint32_t)get_u(in, 4);
		hc->sig = (int)get_u(in, 1);
		if (hc->sig == SIGN_GOOD) {
			hc->signer = get_s(in);
			hc->signer_key = get_s(in);
		} else if (hc->sig != SIGN_NONE && hc->sig != SIGN_BAD) {
			return false;
		}
		nch = get_u(in, 4);
		/* each change takes at least 47 bytes: a count past the end is damage */
		if (in->bad || nch > (uint64_t)(in->end - in->p) / 47 ||
		    !(hc->changes = calloc((size_t)nch + 1, sizeof(*hc->changes))))
			return false;
		for (j = 0; j < nch && !in->bad; j++) {
			struct history_change *e = &hc->changes[j];
			uint64_t kind = get_u(in, 1), st = get_u(in, 1), flags = get_u(in, 1), k, nf;
			hc->nchanges = (size_t)j + 1;
			if (kind >= KIND_COUNT || kind == KIND_NONE ||
			    (st != HIST_ADDED && st != HIST_MODIFIED && st != HIST_MOVED && st != HIST_DELETED))
				return false;
			e->kind = (enum record_kind)kind;
			e->status = (enum history_status)st;
			e->parsed = flags & 1;
			e->id = get_s(in);
			e->path = flags & 2 ? get_s(in) : NULL;
			e->old_path = flags & 4 ? get_s(in) : NULL;
			if (in->bad || in->end - in->p < 40)
				return false;
			memcpy(e->old_oid, in->p, 20);
			memcpy(e->new_oid, in->p + 20, 20);
			in->p += 40;
			nf = get_u(in, 4);
			/* each field takes at least 10 bytes */
			if (in->bad || nf > (uint64_t)(in->end - in->p) / 10)
				return false;
			if (nf && !(e->fields.v = arena_alloc(&A->mem, (size_t)nf * sizeof(*e->fields.v))))
				return false;
			for (k = 0; k < nf && !in->bad; k++) {
				struct jd_change *d = &e->fields.v[k];
				uint64_t fk = get_u(in, 1), has;
				d->path = get_ref(in);
				d->label = get_ref(in);
				has = get_u(in, 1);
				/* the cache is ours, but a damaged one must be ignored, not trusted */
				if (fk > JD_PRIVATE || has > 3 || (fk == JD_PRIVATE && has))
					return false;
				d->kind = (enum jd_kind)fk;
				d->old = has & 1 ? get_s(in) : NULL;
				d->new = has & 2 ? get_s(in) : NULL;
				e->fields.n = e->fields.cap = (size_t)k + 1;
			}
		}
	}
	if (in->bad || in->end - in->p < 4 || memcmp(in->p, "end\n", 4))
		return false;
	in->p += 4;
	return true;
}

/* Reads the cache into h; returns 1 (and h empty) if it cannot be used.
 * The file's bytes become a block of h's arena: its strings are used
 * where they lie.  cf (may be NULL) is told where they are. */
static int cache_get(struct history *h, FILE *fp, const char *keys, char tip[41], struct cache_file *cf)
{
	struct history_arena *A = arena_of(h);
	char *data;
	struct cache_in in = { 0 };
	char seg_tip[41];
	size_t i, nseg = 0;
	long len;
	int error = 1;

	if (!A)
		return 1;
	if (fseek(fp, 0, SEEK_END) < 0 || (len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) < 0 ||
	    !(data = arena_alloc(&A->mem, (size_t)len)))
		goto done;
	if (fread(data, 1, (size_t)len, fp) != (size_t)len)
		goto done;
	in.keys = keys;
	in.p = data;
	in.end = data + len;
	do {
		if (!get_segment(h, &in, nseg ? seg_tip : tip))
			goto done;
		nseg++;
	} while (in.p < in.end);
	error = 0;
	if (cf) {
		cf->bytes = data;
		cf->len = (size_t)len;
		cf->nseg = nseg;
	}
done:
	free(in.refs);
	if (error) {
		for (i = 0; i < h->n; i++)
			commit_release(&h->commits[i]);
		h->n = 0;
		h->boundary[0] = '\0';
	}
	return error;
}

static int cache_read(struct history *h, const char *path, const char *keys, char tip[41],
		      struct cache_file *cf)
{
	FILE *fp = fopen(path, "rb");
	int error;

	if (!fp)
		return 1;
	error = cache_get(h, fp, keys, tip, cf);
	fclose(fp);
	return error;
}

/* ---- loading ---- */

static int ref_cmp(const void *a, const void *b)
{
	const struct history_ref *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->id, y->id)))
		return c;
	return x->commit < y->commit ? -1 : x->commit > y->commit;
}

static int index_refs(struct history *h)
{
	size_t i, j, n = 0;

	for (i = 0; i < h->n; i++)
		n += h->commits[i].nchanges;
	if (!(h->refs = calloc(n + 1, sizeof(*h->refs))))
		return error_nomem();
	for (i = 0; i < h->n; i++)
		for (j = 0; j < h->commits[i].nchanges; j++) {
			struct history_ref *r = &h->refs[h->nrefs++];
			r->kind = h->commits[i].changes[j].kind;
			r->id = h->commits[i].changes[j].id;
			r->commit = i;
			r->change = j;
		}
	qsort(h->refs, h->nrefs, sizeof(*h->refs), ref_cmp);
	return 0;
}

static void loader_release(struct loader *L)
{
	versions_clear(&L->versions);
	free(L->versions.v);
	buf_release(&L->data);
	jd_changes_release(&L->scratch);
}

/* Moves from's commits (and the arena they live in) after h's. */
static int append_history(struct history *h, struct history *from)
{
	size_t i;

	if (from->arena) {
		if (!arena_of(h))
			return error_nomem();
		arena_merge(&h->arena->mem, &from->arena->mem);
	}
	for (i = 0; i < from->n; i++) {
		struct history_commit *c = new_commit(h);
		if (!c)
			return error_nomem();
		*c = from->commits[i];
		memset(&from->commits[i], 0, sizeof(from->commits[i]));
	}
	from->n = 0;
	return 0;
}

/* Frees what a history read from a cache or a part holds. */
static void history_drop(struct history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		commit_release(&h->commits[i]);
	free(h->commits);
	arena_free(h->arena);
	memset(h, 0, sizeof(*h));
}

/* ---- one walk, several processes ----
 *
 * Without a cache, the history pass was a clean build's longest serial
 * step: at size M, 14.7 s on one core of a 39 s build.  A history
 * without merges is cut into parts (source_midpoints); every part but
 * the first is walked by a process of its own, which writes what it
 * found in the cache's format to a memfd, while this process walks the
 * first; the parts are then appended in order, as a cache is.  Parts
 * cost a second parse of the versions at each cut, and a fork each.  A
 * part whose process failed or died is walked here instead. */

struct part {
	pid_t pid;                 /* 0: none (walk it here) */
	int fd;                    /* memfd: the part, as a cache; -1 */
	char start[41];            /* the part's newest commit */
	char stop[41];             /* the next part's start, or the walk's stop ("") */
};

/* In the part's process: walks it, writes it, never returns. */
static void part_walk(const struct part *p, const struct source *src)
{
	struct history h = HISTORY_INIT;
	struct loader L = { .h = &h, .data = BUF_INIT };
	struct source s = *src; /* the same repository, from another commit */
	FILE *fp;
	int error;

	memcpy(s.commit, p->start, sizeof(s.commit));
	L.src = &s;
	error = source_walk(&s, p->stop[0] ? p->stop : NULL, on_commit, &L);
	loader_release(&L);
	if (error >= 0 && (fp = fdopen(p->fd, "wb"))) {
		setvbuf(fp, NULL, _IOFBF, 1 << 20);
		error = cache_put(&h, 0, h.n, fp, p->start, keys_id(&s));
		if (fclose(fp) != 0)
			error = 1;
	} else {
		error = 1;
	}
	_exit(error ? 1 : 0);
}

static void parts_stop(struct part *parts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (parts[i].pid > 0) {
			kill(parts[i].pid, SIGKILL);
			while (waitpid(parts[i].pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
		if (parts[i].fd >= 0)
			close(parts[i].fd);
		parts[i].pid = 0;
		parts[i].fd = -1;
	}
}

/* Starts a process for each part but the first; one that cannot start
 * is left to this process. */
static void parts_start(struct part *parts, size_t n, const struct source *src)
{
	pid_t self = getpid();
	size_t i;

	fflush(NULL);
	for (i = 1; i < n; i++) {
		if ((parts[i].fd = memfd_create("gongshi-history", MFD_CLOEXEC)) < 0)
			continue;
		if ((parts[i].pid = fork()) < 0) {
			parts[i].pid = 0;
			continue;
		}
		if (parts[i].pid == 0) {
			char name[40]; /* the kernel keeps 15 bytes */
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != self)
				_exit(1);
			snprintf(name, sizeof(name), "gongshi-hist-%zu", i + 1);
			prctl(PR_SET_NAME, name); /* for ps and top */
			part_walk(&parts[i], src);
		}
	}
}

/* Reads the number of commits in the segment fd holds: 0 if unreadable. */
static uint64_t segment_commits(int fd)
{
	char b[256];
	struct cache_in in;
	ssize_t r = pread(fd, b, sizeof(b), 0);

	if (r < (ssize_t)strlen(CACHE_VERSION) + 1 || memcmp(b, CACHE_VERSION "\n", strlen(CACHE_VERSION) + 1))
		return 0;
	in = (struct cache_in){ b + strlen(CACHE_VERSION) + 1, b + r, NULL, 0, 0, false, "" };
	get_s(&in);
	get_s(&in);
	get_s(&in);
	get_u(&in, 8);
	return get_u(&in, 8);
}

/* Waits for part p, then appends it to h, or (L->lazy) leaves its memfd
 * to be copied into the cache unread; or walks it here.  Adds its
 * segment to sg. */
static int part_join(struct loader *L, struct part *p, const struct source *src, struct segs *sg)
{
	struct history got = HISTORY_INIT;
	struct seg *g = &sg->v[sg->n++];
	struct source s = *src;
	char tip[41] = "";
	int status = 0, fd, error;
	FILE *fp;

	g->fd = -1;
	g->from = L->h->n;
	memcpy(g->tip, p->start, sizeof(g->tip));
	if (p->pid > 0) {
		pid_t r;
		while ((r = waitpid(p->pid, &status, 0)) < 0 && errno == EINTR)
			;
		p->pid = 0;
		if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && L->lazy) {
			uint64_t n = segment_commits(p->fd);
			if (n) {
				L->lazy_walked += n;
				g->fd = p->fd; /* the segment's now */
				p->fd = -1;
				return 0;
			}
		} else if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
			   lseek(p->fd, 0, SEEK_SET) == 0 && (fd = dup(p->fd)) >= 0) {
			if ((fp = fdopen(fd, "rb"))) {
				if (cache_get(&got, fp, keys_id(src), tip, NULL) == 0 && !strcmp(tip, p->start)) {
					fclose(fp);
					error = append_history(L->h, &got);
					history_drop(&got);
					g->fd = p->fd; /* copied, not written again */
					p->fd = -1;
					return error;
				}
				fclose(fp);
			} else {
				close(fd);
			}
			history_drop(&got);
		}
	}
	memcpy(s.commit, p->start, sizeof(s.commit));
	error = source_walk(&s, p->stop[0] ? p->stop : NULL, on_commit, L);
	g->to = L->h->n;
	return error;
}

/* The walk from src's commit, stopping at stop, into L's history, and
 * the segments it makes in sg. */
static int walk_history(struct loader *L, const struct source *src, const char *stop, size_t parts_max,
			size_t min, struct segs *sg)
{
	struct part parts[HISTORY_PARTS_MAX];
	char mids[HISTORY_PARTS_MAX - 1][41];
	size_t n = 0, i;
	int error;

	if (parts_max > HISTORY_PARTS_MAX)
		parts_max = HISTORY_PARTS_MAX;
	if (parts_max > 1 && (error = source_midpoints(src, stop, min, mids, parts_max - 1, &n)) < 0)
		return error;
	if (!n) {
		struct seg *g = &sg->v[sg->n++];
		g->fd = -1;
		g->from = L->h->n;
		memcpy(g->tip, src->commit, sizeof(g->tip));
		error = source_walk(src, stop, on_commit, L);
		g->to = L->h->n;
		return error;
	}
	for (i = 0; i <= n; i++) {
		parts[i].pid = 0;
		parts[i].fd = -1;
		snprintf(parts[i].start, sizeof(parts[i].start), "%.40s", i ? mids[i - 1] : src->commit);
		snprintf(parts[i].stop, sizeof(parts[i].stop), "%.40s", i < n ? mids[i] : stop ? stop : "");
	}
	parts_start(parts, n + 1, src);
	error = part_join(L, &parts[0], src, sg);
	for (i = 1; i <= n && error >= 0; i++)
		error = part_join(L, &parts[i], src, sg);
	parts_stop(parts, n + 1);
	return error;
}

static void segs_release(struct segs *sg)
{
	size_t i;

	for (i = 0; i < sg->n; i++)
		if (sg->v[i].fd >= 0)
			close(sg->v[i].fd);
	sg->n = 0;
}

/* A cache of more segments than this is written again as one. */
#define CACHE_SEGMENTS_MAX 32

static int load(struct history *h, const struct source *src, const char *cache, size_t parts, size_t min,
		bool lazy)
{
	struct loader L = { .h = h, .src = src, .data = BUF_INIT, .lazy = lazy };
	struct history old = HISTORY_INIT;
	struct cache_file cf = { NULL, 0, 0 };
	struct segs sg = { .n = 0 };
	char tip[41] = "";
	bool ok = false;
	int error = 0;

	/* A cache serves a history cut where it was cut: one written from
	 * the whole history names objects beyond a shallow clone's cut, and
	 * one a shallow clone wrote would keep its cut once the whole
	 * history (or more of it) is fetched. */
	h->shallow = source_is_shallow(src);
	if (cache && cache_read(&old, cache, keys_id(src), tip, &cf) == 0 &&
	    (old.boundary[0] ? source_is_cut(src, old.boundary) : !h->shallow)) {
		if (!strcmp(tip, src->commit))
			ok = true;
		else if ((error = source_descends(src, src->commit, tip, &ok)) < 0 ||
			 (ok && (error = source_extends(src, tip, &ok)) < 0))
			goto done;
	}
	if (!ok) {
		history_drop(&old);
		tip[0] = '\0';
	}
	if (strcmp(tip, src->commit) && (error = walk_history(&L, src, ok ? tip : NULL, parts, min, &sg)) < 0)
		goto done;
	h->walked = h->n + L.lazy_walked;
	if (ok && !h->boundary[0])
		memcpy(h->boundary, old.boundary, sizeof(h->boundary)), h->boundary_time = old.boundary_time;
	if (ok && h->walked > 0) {
		if (cf.nseg + sg.n <= CACHE_SEGMENTS_MAX || L.lazy_walked) {
			/* the new commits' segments, then the old file as it is */
			sg.tail = cf.bytes;
			sg.ntail = cf.len;
		} else {
			/* a whole new file, from h once the old commits are in it */
			segs_release(&sg);
			sg.v[0] = (struct seg){ 0, 0, -1, "" };
			memcpy(sg.v[0].tip, src->commit, sizeof(sg.v[0].tip));
			sg.n = 1;
		}
	}
	/* the cached, older commits follow the new ones */
	if ((error = append_history(h, &old)) < 0 || (!lazy && (error = index_refs(h)) < 0))
		goto done;
	if (sg.n == 1 && sg.v[0].fd < 0 && !sg.tail)
		sg.v[0].to = h->n;
	if (cache && (ok ? h->walked > 0 : true))
		error = cache_write(h, cache, keys_id(src), &sg);
done:
	segs_release(&sg);
	history_drop(&old);
	loader_release(&L);
	return error;
}

int history_load_parts(struct history *h, const struct source *src, const char *cache, size_t parts,
		       size_t min)
{
	return load(h, src, cache, parts, min, false);
}

static size_t cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 1 ? (size_t)n : 1;
}

int history_load(struct history *h, const struct source *src, const char *cache)
{
	return history_load_parts(h, src, cache, cpus(), HISTORY_PART_MIN);
}

int history_diff(struct history *h, const struct source *src, const struct source_change *v, size_t n,
		 const struct fingerprint_key *key)
{
	struct loader L = { .h = h, .src = src, .data = BUF_INIT, .key = key };
	struct source_commit sc;
	int error;

	memset(&sc, 0, sizeof(sc));
	snprintf(sc.id, sizeof(sc.id), "%s", src->commit);
	error = on_commit(&sc, v, n, &L);
	if (error >= 0)
		error = index_refs(h);
	loader_release(&L);
	return error;
}

size_t history_of(const struct history *h, enum record_kind kind, const char *id,
		  const struct history_ref **first)
{
	struct history_ref key = { kind, id, 0, 0 };
	size_t lo = 0, hi = h->nrefs, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ref_cmp(&h->refs[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < h->nrefs && h->refs[end].kind == kind && !strcmp(h->refs[end].id, id); end++)
		;
	*first = h->refs + lo;
	return end - lo;
}

void history_release(struct history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		commit_release(&h->commits[i]);
	free(h->commits);
	free(h->refs);
	arena_free(h->arena);
	memset(h, 0, sizeof(*h));
}

void history_prefetch(struct history_prefetch *p, const struct source *src, const char *cache)
{
	history_prefetch_parts(p, src, cache, cpus(), HISTORY_PART_MIN);
}

void history_prefetch_parts(struct history_prefetch *p, const struct source *src, const char *cache,
			    size_t parts, size_t min)
{
	struct history h = HISTORY_INIT;
	pid_t parent = getpid();
	size_t walked;
	int fds[2], error;

	p->pid = 0;
	p->fd = -1;
	if (!cache || pipe2(fds, O_CLOEXEC) < 0)
		return;
	fflush(NULL);
	if ((p->pid = fork()) < 0) {
		p->pid = 0;
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (p->pid > 0) {
		close(fds[1]);
		p->fd = fds[0];
		return;
	}
	/* the walker dies with the build, and says only how far it went */
	close(fds[0]);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, "gongshi-history"); /* for ps and top */
	/* lazy: the parts go to the cache as their processes wrote them, to
	 * be read once, by the build */
	error = load(&h, src, cache, parts, min, true);
	walked = h.walked;
	history_release(&h);
	if (error < 0 || write(fds[1], &walked, sizeof(walked)) != (ssize_t)sizeof(walked))
		_exit(1);
	_exit(0);
}

size_t history_prefetch_wait(struct history_prefetch *p)
{
	size_t walked = 0;
	int status = 0;
	pid_t r;

	if (p->pid <= 0)
		return 0;
	while ((r = waitpid(p->pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (r != p->pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    read(p->fd, &walked, sizeof(walked)) != (ssize_t)sizeof(walked))
		walked = 0;
	close(p->fd);
	p->pid = 0;
	p->fd = -1;
	return walked;
}

void history_prefetch_cancel(struct history_prefetch *p)
{
	if (p->pid > 0)
		kill(p->pid, SIGKILL);
	history_prefetch_wait(p);
}

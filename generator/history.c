/* history.c - the audit trail (see history.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "history.h"

#define CACHE_VERSION "gongshi-history-1"

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
};

int history_record_id(const char *path, const cJSON *doc, char *id, size_t size,
		      enum record_kind *kind)
{
	const char *base = strrchr(path, '/'), *s;
	const cJSON *y;

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
	error = json_parse(&d, "history", buf_cstr(&L->data), L->data.len, &diags);
	diags_release(&diags);
	if (error < 0)
		return error;
	*doc = d.root;
	d.root = NULL;
	json_doc_release(&d);
	return 0;
}

static int change_cmp(const void *a, const void *b)
{
	const struct history_change *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void change_release(struct history_change *c)
{
	free(c->id);
	free(c->path);
	free(c->old_path);
	jd_changes_release(&c->fields);
}

static void commit_release(struct history_commit *c)
{
	size_t i;

	for (i = 0; i < c->nchanges; i++)
		change_release(&c->changes[i]);
	free(c->changes);
	free(c->author);
	free(c->email);
	free(c->message);
}

static struct history_commit *new_commit(struct history *h)
{
	struct history_commit *c;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		if (!(c = realloc(h->commits, cap * sizeof(*c))))
			return NULL;
		h->commits = c;
		h->cap = cap;
	}
	c = &h->commits[h->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

static int on_commit(const struct source_commit *sc, const struct source_change *v, size_t n,
		     void *payload)
{
	struct loader *L = payload;
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
	if (!(c = new_commit(L->h)))
		return error_nomem();
	memcpy(c->id, sc->id, sizeof(c->id));
	memcpy(c->parent, sc->parent, sizeof(c->parent));
	c->time = sc->time;
	c->offset = sc->offset;
	c->is_signed = sc->is_signed;
	if (!(c->author = strdup(sc->author ? sc->author : "")) || !(c->email = strdup(sc->email ? sc->email : "")) ||
	    !(c->message = strdup(sc->message ? sc->message : "")) ||
	    !(c->changes = calloc(n + 1, sizeof(*c->changes))) || !(olds = calloc(n + 1, sizeof(*olds))) ||
	    !(news = calloc(n + 1, sizeof(*news)))) {
		error = error_nomem();
		goto done;
	}
	for (i = 0; i < n; i++) {
		struct history_change *e = &c->changes[k];
		enum record_kind kind;
		if (record_kind_of_path(v[i].path) == KIND_NONE || strstr(v[i].path, "/."))
			continue;
		if ((error = version_of(L, v[i].old_oid, &olds[k])) < 0 ||
		    (error = version_of(L, v[i].new_oid, &news[k])) < 0)
			goto done;
		if (history_record_id(v[i].path, news[k] ? news[k] : olds[k], id, sizeof(id), &kind))
			continue;
		e->kind = kind;
		e->status = v[i].status == SOURCE_ADDED ? HIST_ADDED
			    : v[i].status == SOURCE_DELETED ? HIST_DELETED : HIST_MODIFIED;
		memcpy(e->old_oid, v[i].old_oid, 20);
		memcpy(e->new_oid, v[i].new_oid, 20);
		if (!(e->id = strdup(id)) || !(e->path = strdup(v[i].path))) {
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
			change_release(d);
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
	if (!k) { /* it changed only files that are not records (schemas...) */
		commit_release(c);
		L->h->n--;
		goto done;
	}
	for (i = 0; i < k && error >= 0; i++) {
		struct history_change *e = &c->changes[i];
		e->parsed = (oid_zero(e->old_oid) || olds[i]) && (oid_zero(e->new_oid) || news[i]);
		error = jsondiff(olds[i], news[i], &e->fields);
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

/* ---- the cache ---- */

static const char *status_name(enum history_status s)
{
	static char b[2];

	b[0] = (char)s;
	return b;
}

static void hex(char out[41], const unsigned char *oid)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 20; i++) {
		out[2 * i] = digits[oid[i] >> 4];
		out[2 * i + 1] = digits[oid[i] & 15];
	}
	out[40] = '\0';
}

static int unhex(const char *s, unsigned char *oid)
{
	int i;

	memset(oid, 0, 20);
	if (!s || strlen(s) != 40)
		return -1;
	for (i = 0; i < 40; i++) {
		int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		oid[i / 2] = (unsigned char)(oid[i / 2] << 4 | d);
	}
	return 0;
}

static int cache_write(const struct history *h, const char *path, const char *tip)
{
	cJSON *root = cJSON_CreateObject(), *arr, *c, *ch, *fs, *f;
	char *text = NULL, tmp[4096], o[41];
	size_t i, j, k;
	FILE *fp;
	int error = 0;

	cJSON_AddStringToObject(root, "version", CACHE_VERSION);
	cJSON_AddStringToObject(root, "tip", tip);
	cJSON_AddStringToObject(root, "boundary", h->boundary);
	cJSON_AddNumberToObject(root, "boundary_time", (double)h->boundary_time);
	arr = cJSON_AddArrayToObject(root, "commits");
	for (i = 0; i < h->n; i++) {
		const struct history_commit *hc = &h->commits[i];
		cJSON_AddItemToArray(arr, c = cJSON_CreateObject());
		cJSON_AddStringToObject(c, "id", hc->id);
		cJSON_AddStringToObject(c, "parent", hc->parent);
		cJSON_AddStringToObject(c, "author", hc->author);
		cJSON_AddStringToObject(c, "email", hc->email);
		cJSON_AddStringToObject(c, "message", hc->message);
		cJSON_AddNumberToObject(c, "time", (double)hc->time);
		cJSON_AddNumberToObject(c, "offset", hc->offset);
		cJSON_AddBoolToObject(c, "signed", hc->is_signed);
		ch = cJSON_AddArrayToObject(c, "changes");
		for (j = 0; j < hc->nchanges; j++) {
			const struct history_change *e = &hc->changes[j];
			cJSON *x = cJSON_CreateObject();
			cJSON_AddItemToArray(ch, x);
			cJSON_AddStringToObject(x, "kind", record_kind_dir(e->kind));
			cJSON_AddStringToObject(x, "id", e->id);
			if (e->path)
				cJSON_AddStringToObject(x, "path", e->path);
			if (e->old_path)
				cJSON_AddStringToObject(x, "old_path", e->old_path);
			cJSON_AddStringToObject(x, "status", status_name(e->status));
			hex(o, e->old_oid);
			cJSON_AddStringToObject(x, "old", o);
			hex(o, e->new_oid);
			cJSON_AddStringToObject(x, "new", o);
			cJSON_AddBoolToObject(x, "parsed", e->parsed);
			fs = cJSON_AddArrayToObject(x, "fields");
			for (k = 0; k < e->fields.n; k++) {
				const struct jd_change *d = &e->fields.v[k];
				cJSON_AddItemToArray(fs, f = cJSON_CreateArray());
				cJSON_AddItemToArray(f, cJSON_CreateNumber(d->kind));
				cJSON_AddItemToArray(f, cJSON_CreateString(d->path));
				cJSON_AddItemToArray(f, cJSON_CreateString(d->label));
				cJSON_AddItemToArray(f, d->old ? cJSON_CreateString(d->old) : cJSON_CreateNull());
				cJSON_AddItemToArray(f, d->new ? cJSON_CreateString(d->new) : cJSON_CreateNull());
			}
		}
	}
	if (!(text = cJSON_PrintUnformatted(root))) {
		error = error_nomem();
		goto done;
	}
	/* written beside and renamed, so a killed build never leaves half a cache */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(fp = fopen(tmp, "w"))) {
		error = error_set(ERR_IO, "%s: cannot write the history cache", tmp);
		goto done;
	}
	if (fputs(text, fp) < 0 || fclose(fp) != 0 || rename(tmp, path) < 0)
		error = error_set(ERR_IO, "%s: cannot write the history cache", path);
done:
	free(text);
	cJSON_Delete(root);
	return error;
}

static char *dup_str(const cJSON *o, const char *k)
{
	const char *s = json_get_string(o, k);

	return strdup(s ? s : "");
}

/* Reads the cache into h; returns 1 (and h empty) if it cannot be used. */
static int cache_read(struct history *h, const char *path, char tip[41])
{
	struct buf text = BUF_INIT;
	cJSON *root = NULL;
	const cJSON *c, *x, *f;
	FILE *fp;
	char chunk[65536];
	size_t got;
	int error = 1;

	if (!(fp = fopen(path, "r")))
		return 1;
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_put(&text, chunk, got) < 0)
			break;
	fclose(fp);
	if (json_parse_trusted(buf_cstr(&text), text.len, &root) < 0 || !root ||
	    !json_get_string(root, "version") || strcmp(json_get_string(root, "version"), CACHE_VERSION) ||
	    !json_get_string(root, "tip") || strlen(json_get_string(root, "tip")) != 40)
		goto done;
	snprintf(tip, 41, "%s", json_get_string(root, "tip"));
	snprintf(h->boundary, sizeof(h->boundary), "%s",
		 json_get_string(root, "boundary") ? json_get_string(root, "boundary") : "");
	h->boundary_time = (int64_t)(json_get(root, "boundary_time") ? json_get(root, "boundary_time")->valuedouble : 0);
	cJSON_ArrayForEach(c, json_get(root, "commits")) {
		struct history_commit *hc = new_commit(h);
		size_t j = 0;
		if (!hc)
			goto fail;
		snprintf(hc->id, sizeof(hc->id), "%s", json_get_string(c, "id") ? json_get_string(c, "id") : "");
		snprintf(hc->parent, sizeof(hc->parent), "%s",
			 json_get_string(c, "parent") ? json_get_string(c, "parent") : "");
		hc->author = dup_str(c, "author");
		hc->email = dup_str(c, "email");
		hc->message = dup_str(c, "message");
		hc->time = (int64_t)(json_get(c, "time") ? json_get(c, "time")->valuedouble : 0);
		hc->offset = json_get(c, "offset") ? json_get(c, "offset")->valueint : 0;
		hc->is_signed = cJSON_IsTrue(json_get(c, "signed"));
		if (!hc->author || !hc->email || !hc->message ||
		    !(hc->changes = calloc((size_t)cJSON_GetArraySize(json_get(c, "changes")) + 1, sizeof(*hc->changes))))
			goto fail;
		cJSON_ArrayForEach(x, json_get(c, "changes")) {
			struct history_change *e = &hc->changes[j++];
			const char *kind = json_get_string(x, "kind"), *st = json_get_string(x, "status");
			int k;
			hc->nchanges = j;
			for (k = 0; k < KIND_COUNT; k++)
				if (kind && !strcmp(kind, record_kind_dir((enum record_kind)k)))
					break;
			e->kind = (enum record_kind)k;
			e->status = st && *st ? (enum history_status)*st : HIST_MODIFIED;
			e->id = dup_str(x, "id");
			e->path = json_get_string(x, "path") ? dup_str(x, "path") : NULL;
			e->old_path = json_get_string(x, "old_path") ? dup_str(x, "old_path") : NULL;
			e->parsed = cJSON_IsTrue(json_get(x, "parsed"));
			if (!e->id || unhex(json_get_string(x, "old"), e->old_oid) < 0 ||
			    unhex(json_get_string(x, "new"), e->new_oid) < 0 || k == KIND_COUNT)
				goto fail;
			cJSON_ArrayForEach(f, json_get(x, "fields")) {
				struct jd_change *d;
				const cJSON *f0 = cJSON_GetArrayItem(f, 0), *f1 = cJSON_GetArrayItem(f, 1);
				const cJSON *f2 = cJSON_GetArrayItem(f, 2), *f3 = cJSON_GetArrayItem(f, 3);
				const cJSON *f4 = cJSON_GetArrayItem(f, 4);
				/* the cache is ours, but a damaged one must be ignored, not trusted */
				if (!cJSON_IsArray(f) || cJSON_GetArraySize(f) != 5 || !cJSON_IsNumber(f0) ||
				    f0->valueint < JD_ADDED || f0->valueint > JD_PRIVATE || !cJSON_IsString(f1) ||
				    !cJSON_IsString(f2) || !(cJSON_IsString(f3) || cJSON_IsNull(f3)) ||
				    !(cJSON_IsString(f4) || cJSON_IsNull(f4)) ||
				    (f0->valueint == JD_PRIVATE && !(cJSON_IsNull(f3) && cJSON_IsNull(f4))))
					goto fail;
				if (e->fields.n == e->fields.cap) {
					size_t cap = e->fields.cap ? e->fields.cap * 2 : 8;
					struct jd_change *nv = realloc(e->fields.v, cap * sizeof(*nv));
					if (!nv)
						goto fail;
					e->fields.v = nv;
					e->fields.cap = cap;
				}
				d = &e->fields.v[e->fields.n++];
				memset(d, 0, sizeof(*d));
				d->kind = (enum jd_kind)f0->valueint;
				d->path = strdup(f1->valuestring);
				d->label = strdup(f2->valuestring);
				if (cJSON_IsString(f3))
					d->old = strdup(f3->valuestring);
				if (cJSON_IsString(f4))
					d->new = strdup(f4->valuestring);
				if (!d->path || !d->label)
					goto fail;
			}
		}
	}
	error = 0;
	goto done;
fail:
	error = 1;
done:
	if (error) {
		size_t i;
		for (i = 0; i < h->n; i++)
			commit_release(&h->commits[i]);
		h->n = 0;
		h->boundary[0] = '\0';
	}
	cJSON_Delete(root);
	buf_release(&text);
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

int history_load(struct history *h, const struct source *src, const char *cache)
{
	struct loader L = { .h = h, .src = src, .data = BUF_INIT };
	struct history old = HISTORY_INIT;
	char tip[41] = "";
	bool ok = false;
	size_t i;
	int error = 0;

	h->shallow = source_is_shallow(src);
	if (cache && cache_read(&old, cache, tip) == 0) {
		if (!strcmp(tip, src->commit))
			ok = true;
		else if ((error = source_descends(src, src->commit, tip, &ok)) < 0)
			goto done;
	}
	if (!ok) {
		for (i = 0; i < old.n; i++)
			commit_release(&old.commits[i]);
		old.n = 0;
		tip[0] = '\0';
	}
	if (strcmp(tip, src->commit) &&
	    (error = source_walk(src, ok ? tip : NULL, on_commit, &L)) < 0)
		goto done;
	h->walked = h->n;
	if (ok && !h->boundary[0])
		memcpy(h->boundary, old.boundary, sizeof(h->boundary)), h->boundary_time = old.boundary_time;
	/* the cached, older commits follow the new ones */
	for (i = 0; i < old.n; i++) {
		struct history_commit *c = new_commit(h);
		if (!c) {
			error = error_nomem();
			goto done;
		}
		*c = old.commits[i];
		memset(&old.commits[i], 0, sizeof(old.commits[i]));
	}
	old.n = 0;
	if ((error = index_refs(h)) < 0)
		goto done;
	if (cache && (ok ? h->walked > 0 : true))
		error = cache_write(h, cache, src->commit);
done:
	for (i = 0; i < old.n; i++)
		commit_release(&old.commits[i]);
	free(old.commits);
	versions_clear(&L.versions);
	free(L.versions.v);
	buf_release(&L.data);
	return error;
}

int history_diff(struct history *h, const struct source *src, const struct source_change *v, size_t n)
{
	struct loader L = { .h = h, .src = src, .data = BUF_INIT };
	struct source_commit sc;
	int error;

	memset(&sc, 0, sizeof(sc));
	snprintf(sc.id, sizeof(sc.id), "%s", src->commit);
	error = on_commit(&sc, v, n, &L);
	if (error >= 0)
		error = index_refs(h);
	versions_clear(&L.versions);
	free(L.versions.v);
	buf_release(&L.data);
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
	memset(h, 0, sizeof(*h));
}

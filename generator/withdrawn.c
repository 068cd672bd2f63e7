/* withdrawn.c - withdrawn records: their URLs keep answering (see withdrawn.h). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "ctx.h"
#include "emit.h"
#include "public.h"
#include "trail.h"
#include "withdrawn.h"
#include "words.h"

/* ---- withdrawn records: their URLs keep answering ---- */

const char *section_of(enum record_kind k)
{
	switch (k) {
	case KIND_PROGRAM: return "programs";
	case KIND_ROUND: return "rounds";
	case KIND_NOTICE: return "notices";
	case KIND_ORGANIZATION: return "organizations";
	case KIND_OBJECTION: return "objections";
	case KIND_REVOCATION: return "revocations";
	case KIND_APPLICATION: return "awards";
	case KIND_INDIVIDUAL: return "individuals";
	default: return NULL;
	}
}

const char *const kind_zh[KIND_COUNT] = {
	"评选项目", "组织", "届次", "申报", "公示公告", "异议", "撤销决定", "个人", "工作日历", "网站内容"
};

/* A change of a file under content/ (its id is its path there): what it
 * is, by its folder, and where it is seen now.  Names are file names:
 * the history keeps no text of content/. */
void put_content_change(struct site *S, cJSON *x, const struct history_change *e)
{
	char slug[200], path[MAX_URL];
	const char *kind = "网站内容", *name = e->id;
	size_t i;

	snprintf(path, sizeof(path), "content/%s", e->id);
	if (!strcmp(e->id, "site.json")) {
		kind = "网站设置";
	} else if (!strncmp(e->id, "announcements/", 14) || !strncmp(e->id, "pages/", 6)) {
		bool ann = e->id[0] == 'a';
		kind = ann ? "公告" : "页面";
		if (content_slug(path, slug, sizeof(slug)) && source_find(S->src, path) >= 0) {
			name = slug;
			put_href(S, x, "href", ann ? "announcements" : "pages", slug);
		}
	} else {
		const struct program *p = NULL;
		for (i = 0; i < S->r->nprograms && !p; i++)
			if (S->r->programs[i].measures.text.v && !strcmp(S->r->programs[i].measures.text.v, e->id))
				p = &S->r->programs[i];
		if (p) {
			kind = "管理办法全文";
			name = p->name ? p->name : name;
			put_href(S, x, "href", "programs", p->id.v);
		}
	}
	put_str(x, "kind_zh", kind);
	put_str(x, "name", name);
}

bool exists_now(const struct record *r, enum record_kind k, const char *id)
{
	switch (k) {
	case KIND_PROGRAM: return record_find_program(r, id);
	case KIND_ROUND: return record_find_round(r, id);
	case KIND_NOTICE: return record_find_notice(r, id);
	case KIND_ORGANIZATION: return record_find_organization(r, id);
	case KIND_OBJECTION: return record_find_objection(r, id);
	case KIND_REVOCATION: return record_find_revocation(r, id);
	case KIND_APPLICATION: return record_find_application(r, id);
	case KIND_INDIVIDUAL: return record_find_individual(r, id);
	default: return true;
	}
}

static int gone_cmp_ref(const void *a, const void *b)
{
	const struct gone_award *x = a, *y = b;

	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* The withdrawn application whose refs start at hist.refs[ref], or NULL. */
const struct gone_award *gone_find(const struct site *S, size_t ref)
{
	struct gone_award key = { .ref = ref };

	return S->ngone ? bsearch(&key, S->gone, S->ngone, sizeof(*S->gone), gone_cmp_ref) : NULL;
}

static int cert_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* S->gone and S->gone_by_cert, and which page each certificate gets
 * (struct gone_award): before count_pages() and the workers' fork. */
int gone_awards(struct site *S)
{
	const struct record *r = S->r;
	const char **held = NULL;
	struct gone_award *v;
	size_t i, j, nheld = 0, cap = 0;
	int error = 0;

	for (i = 0; i < S->hist.nrefs && error >= 0; i = j) {
		const struct history_ref *x = &S->hist.refs[i];
		const struct history_change *e = &S->hist.commits[x->commit].changes[x->change];
		struct json_doc doc = JSON_DOC_INIT;
		const char *cert;
		for (j = i; j < S->hist.nrefs && S->hist.refs[j].kind == x->kind && !strcmp(S->hist.refs[j].id, x->id); j++)
			;
		if (x->kind != KIND_APPLICATION || e->status != HIST_DELETED || record_find_application(r, x->id) ||
		    strspn(x->id, ID_CHARS) != strlen(x->id))
			continue;
		if ((error = load_version(S, e->old_oid, &doc)) < 0)
			break;
		cert = doc.root ? json_get_string(json_get(doc.root, "result"), "certificate") : NULL;
		if (cert && *cert && strspn(cert, CERT_CHARS) == strlen(cert)) {
			size_t grown = S->ngone < cap ? cap : cap ? 2 * cap : 16;
			if (grown != cap && (v = realloc(S->gone, grown * sizeof(*v))))
				S->gone = v, cap = grown;
			if (S->ngone == cap || !(S->gone[S->ngone].cert = strdup(cert)))
				error = fail_nomem();
			else {
				S->gone[S->ngone].id = x->id;
				S->gone[S->ngone].ref = i;
				S->gone[S->ngone].commit = x->commit;
				S->gone[S->ngone++].shown = false;
			}
		}
		json_doc_release(&doc);
	}
	if (error < 0 || !S->ngone)
		return error;
	if (!(S->gone_by_cert = malloc(S->ngone * sizeof(*S->gone_by_cert))) ||
	    !(held = malloc((r->napplications + 1) * sizeof(*held)))) {
		error = fail_nomem();
		goto done;
	}
	for (i = 0; i < S->ngone; i++)
		S->gone_by_cert[i] = &S->gone[i];
	qsort(S->gone_by_cert, S->ngone, sizeof(*S->gone_by_cert), gone_cmp_cert);
	for (i = 0; i < r->napplications; i++)
		if (r->applications[i].awarded && r->applications[i].certificate.v)
			held[nheld++] = r->applications[i].certificate.v;
	qsort(held, nheld, sizeof(*held), cert_cmp);
	/* the page of a certificate nobody holds now: its last holder's */
	for (i = 0; i < S->ngone; i++)
		S->gone_by_cert[i]->shown = (!i || strcmp(S->gone_by_cert[i - 1]->cert, S->gone_by_cert[i]->cert)) &&
			!(nheld && bsearch(&S->gone_by_cert[i]->cert, held, nheld, sizeof(*held), cert_cmp));
done:
	free(held);
	return error;
}

/* The page of a record withdrawn (deleted) from the record: when and in
 * which commit, and its last public version. */
static int page_withdrawn(struct site *S, const struct history_ref *refs)
{
	const struct history_commit *c = &S->hist.commits[refs[0].commit];
	const struct history_change *e = &c->changes[refs[0].change];
	struct json_doc doc = JSON_DOC_INIT;
	struct jd_changes f = JD_CHANGES_INIT;
	struct buf label = BUF_INIT;
	const struct program *p;
	char path[MAX_URL], title[300];
	const char *section = section_of(e->kind), *slug = e->id;
	cJSON *ctx = NULL, *o, *arr;

	/* a tombstone shows the record as withdrawn, and nothing newer */
	stamp_reset(S);
	stamp_commit(S, refs[0].commit);
	size_t i;
	int error;

	if (e->kind == KIND_APPLICATION) {
		/* an award's page is named by its certificate */
		const struct gone_award *g = gone_find(S, (size_t)(refs - S->hist.refs));
		if (!g || !g->shown)
			return 0;
		slug = g->cert;
	}
	if ((error = load_version(S, e->old_oid, &doc)) < 0)
		goto done;
	ctx = cJSON_CreateObject();
	o = add_obj(ctx, "withdrawn");
	put_str(o, "kind_zh", kind_zh[e->kind]);
	put_str(o, "id", e->id);
	{
		const struct organization *g = doc.root ? record_find_organization(S->r, json_get_string(doc.root, "organization") ?
						  json_get_string(doc.root, "organization") : "") : NULL;
		const char *name = doc.root ? json_get_string(doc.root, "title") : NULL;
		name = name ? name : doc.root ? json_get_string(doc.root, "name") : NULL;
		put_str(o, "name", name ? name : g && g->name ? g->name : e->id);
	}
	put_commit(o, c);
	arr = add_arr(o, "last");
	if (doc.root && (error = jsondiff_flatten(doc.root, &f)) < 0)
		goto done;
	if (!(p = words_program_of(S->r, e->kind, e->id)) && doc.root) {
		const struct round *x = record_find_round(S->r, json_get_string(doc.root, "round") ?
						       json_get_string(doc.root, "round") : "");
		p = x ? x->res_program : NULL;
	}
	for (i = 0; i < f.n; i++) {
		cJSON *x;
		if (f.v[i].kind == JD_PRIVATE || !strcmp(f.v[i].path, "id") || !strcmp(f.v[i].path, "$schema"))
			continue;
		x = push_obj(arr);
		buf_clear(&label);
		if ((error = words_label(S->r, p, f.v[i].path, &label)) < 0)
			goto done;
		put_str(x, "label", buf_cstr(&label));
		put_item(x, "value", words_value(S->r, p, f.v[i].path, f.v[i].new), false);
	}
	if (e->kind != KIND_APPLICATION)
		put_history(S, o, e->kind, e->id);
	else if ((error = put_award_history(S, o, e->id, slug)) < 0)
		goto done;
	snprintf(path, sizeof(path), "%s/%s/index.html", section, slug);
	snprintf(title, sizeof(title), "已撤回的%s %s", kind_zh[e->kind], e->id);
	error = emit_data(S, path, "withdrawn", title, NULL, ctx);
	ctx = NULL;
done:
	cJSON_Delete(ctx);
	jd_changes_release(&f);
	buf_release(&label);
	json_doc_release(&doc);
	return error;
}

int pages_withdrawn(struct site *S)
{
	size_t i, j;
	int error = 0;

	for (i = 0; i < S->hist.nrefs && error >= 0; i = j) {
		const struct history_ref *r = &S->hist.refs[i];
		const struct history_change *e = &S->hist.commits[r->commit].changes[r->change];
		for (j = i; j < S->hist.nrefs && S->hist.refs[j].kind == r->kind && !strcmp(S->hist.refs[j].id, r->id); j++)
			;
		/* refs run newest first within a record */
		if (e->status == HIST_DELETED && section_of(r->kind) && !exists_now(S->r, r->kind, r->id) &&
		    strspn(r->id, ID_CHARS) == strlen(r->id))
			error = page_withdrawn(S, r);
	}
	return error;
}

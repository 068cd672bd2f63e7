/* public.c - the privacy boundary: the public view of a record (see public.h). */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "ctx.h"
#include "error.h"
#include "public.h"

/* ---- reading a record's full text ---- */

static void strip_private(cJSON *o)
{
	cJSON *c, *next;

	if (!cJSON_IsObject(o) && !cJSON_IsArray(o))
		return;
	for (c = o->child; c; c = next) {
		next = c->next;
		if (cJSON_IsObject(o) && c->string && !strcmp(c->string, "private")) {
			cJSON_Delete(cJSON_DetachItemViaPointer(o, c));
			continue;
		}
		strip_private(c);
	}
}

/* The public part of a record file: its tree without any "private". */
int load_public(struct site *S, const char *path, struct json_doc *doc)
{
	struct diags d = DIAGS_INIT;
	uint64_t size;
	int i = source_find(S->src, path), error;

	if (i < 0)
		return error_set(ERR_IO, "%s: not in the source", path);
	if ((error = source_read(S->src, (size_t)i, JSON_MAX_BYTES, &S->scratch, &size)) < 0)
		goto done;
	/* A source that keeps what it read gives the very bytes that passed
	 * json_parse() when the record was loaded, so cJSON alone builds the
	 * same tree; each page and the downloads parse a file again, and the
	 * strict scan was half of that.  Anything else is checked again. */
	if (S->src->kept) {
		if ((error = json_parse_trusted(buf_cstr(&S->scratch), S->scratch.len, &doc->root)) < 0)
			goto done;
		error = doc->root ? 0 : 1;
	} else {
		error = json_parse_tree(doc, path, buf_cstr(&S->scratch), S->scratch.len, &d);
	}
	if (error != 0) {
		if (error > 0)
			error = error_set(ERR_INVALID, "%s: not valid JSON any more", path);
		goto done;
	}
	{
		char id[256];
		enum record_kind kind;
		if (history_record_id(path, doc->root, id, sizeof(id), &kind) == 0)
			stamp_record(S, kind, id);
	}
	strip_private(doc->root);
	/* $schema is for editors, not citizens */
	cJSON_DeleteItemFromObjectCaseSensitive(doc->root, "$schema");
done:
	diags_release(&d);
	return error;
}

/* A text file of content/ (Markdown, settings), read at the build's
 * commit; 1 if there is none.  site_check() refused one too large. */
int load_content(struct site *S, const char *path, struct buf *out)
{
	uint64_t size;
	int i = source_find(S->src, path), error;

	buf_clear(out);
	if (i < 0 || S->src->v[i].link)
		return 1;
	if ((error = source_read(S->src, (size_t)i, SITE_MARKDOWN_MAX, out, &size)) < 0)
		return error;
	if (size > SITE_MARKDOWN_MAX)
		return error_set(ERR_LIMIT, "%s: %llu bytes, more than %d", path, (unsigned long long)size,
				 SITE_MARKDOWN_MAX);
	return 0;
}

/* An announcement's or page's file name becomes its URL: the characters
 * of ids only.  *slug (size bytes) is that name without ".md". */
bool content_slug(const char *path, char *slug, size_t size)
{
	size_t len = strlen(path), skip = !strncmp(path, "content/announcements/", 22) ? 22
					 : !strncmp(path, "content/pages/", 14) ? 14 : 0;

	if (!skip || len < skip + 4 || strcmp(path + len - 3, ".md"))
		return false;
	snprintf(slug, size, "%.*s", (int)(len - skip - 3), path + skip);
	return strlen(slug) == len - skip - 3 && strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(slug);
}

/* A version of a record file, public part only (NULL if not valid JSON). */
int load_version(struct site *S, const unsigned char *oid, struct json_doc *doc)
{
	struct diags d = DIAGS_INIT;
	uint64_t size;
	int error;

	if ((error = source_read_oid(S->src, oid, JSON_MAX_BYTES, &S->scratch, &size)) < 0)
		return error;
	if (size > JSON_MAX_BYTES)
		return 0;
	error = json_parse(doc, "version", buf_cstr(&S->scratch), S->scratch.len, &d);
	diags_release(&d);
	if (error > 0)
		return 0;
	if (error == 0) {
		strip_private(doc->root);
		cJSON_DeleteItemFromObjectCaseSensitive(doc->root, "$schema");
	}
	return error;
}

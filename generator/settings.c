/* settings.c - the site's settings, theme and the checks of content/ (see settings.h). */

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

#include "build.h"
#include "ctx.h"
#include "embed.h"
#include "error.h"
#include "mustache.h"
#include "output.h"
#include "public.h"
#include "schema.h"
#include "settings.h"
#include "sign.h"

/* ---- settings and theme ---- */

const char *site_base_url_problem(const char *url)
{
	const char *p = !strncmp(url, "https://", 8) ? url + 8 : !strncmp(url, "http://", 7) ? url + 7 : NULL;
	size_t n;

	if (!p)
		return "not an http:// or https:// URL";
	if (strlen(url) > 200)
		return "longer than 200 bytes";
	if (!(n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")))
		return "no host name after the scheme";
	p += n;
	if (*p == ':') {
		if ((n = strspn(++p, "0123456789")) == 0 || n > 5)
			return "the port is not a number";
		p += n;
	}
	if (*p && *p != '/')
		return "a character a host name cannot hold";
	/* RFC 3986's pchar and "/": nothing an HTML attribute, XML or a
	 * robots.txt line would need escaped but & and ', no query (?) and
	 * no fragment (#), since the site's paths are appended to it */
	if (strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%/") !=
	    strlen(p))
		return "a character a URL's path cannot hold unescaped, or a query or fragment";
	return NULL;
}

int site_check(const struct record *r, const struct source *src, struct diags *d)
{
	struct schema_set *schemas = NULL;
	struct json_doc doc = JSON_DOC_INIT;
	struct buf text = BUF_INIT;
	char slug[256], path[MAX_URL];
	const cJSON *base;
	const char *why;
	uint64_t size;
	size_t i;
	int k, error = 0;

	for (i = 0; i < src->n && error >= 0; i++) {
		const struct source_entry *e = &src->v[i];
		bool named = !strncmp(e->path, "content/announcements/", 22) || !strncmp(e->path, "content/pages/", 14);
		if (strncmp(e->path, "content/", 8) || !ends_with(e->path, ".md") || e->link)
			continue;
		if (named && !content_slug(e->path, slug, sizeof(slug)))
			error = diags_add(d, DIAG_ERROR, e->path, 1, 1, "schema-pattern",
					  "an announcement's or page's file name becomes its URL: only a-z, 0-9 and - "
					  "before \".md\"");
		else if ((error = source_read(src, i, SITE_MARKDOWN_MAX, &text, &size)) >= 0 &&
			 size > SITE_MARKDOWN_MAX)
			error = diags_add(d, DIAG_ERROR, e->path, 1, 1, "file-size",
					  "file is %llu bytes; a Markdown file may be at most %d bytes",
					  (unsigned long long)size, SITE_MARKDOWN_MAX);
	}
	for (i = 0; i < r->nprograms && error >= 0; i++) {
		const struct program *p = &r->programs[i];
		if (!p->measures.text.v)
			continue;
		snprintf(path, sizeof(path), "content/%s", p->measures.text.v);
		if ((k = source_find(src, path)) < 0 || src->v[k].link)
			error = diags_add(d, DIAG_ERROR, p->path, p->measures.text.pos.line, p->measures.text.pos.col,
					  "reference", "the measures' \"text\" names %s, which is %s", path,
					  k < 0 ? "not in the record" : "a link, not a file");
	}
	/* a link is no settings, as load_content() reads it */
	if (error < 0 || (k = source_find(src, "content/site.json")) < 0 || src->v[k].link)
		goto done;
	if ((error = source_read(src, (size_t)k, JSON_MAX_BYTES, &text, &size)) < 0)
		goto done;
	if (size > JSON_MAX_BYTES) {
		error = diags_add(d, DIAG_ERROR, src->v[k].path, 1, 1, "file-size",
				  "file is %llu bytes; a settings file may be at most %d bytes",
				  (unsigned long long)size, JSON_MAX_BYTES);
		goto done;
	}
	if ((error = json_parse(&doc, src->v[k].path, buf_cstr(&text), text.len, d)) != 0 ||
	    (error = schema_set_load(&schemas)) < 0 ||
	    (error = schema_validate(schemas, "site.schema.json", &doc, src->v[k].path, d)) < 0)
		goto done;
	base = json_get(doc.root, "base_url");
	if (cJSON_IsString(base) && *base->valuestring && (why = site_base_url_problem(base->valuestring))) {
		struct json_pos at = json_value_pos(&doc, base);
		error = diags_add(d, DIAG_ERROR, src->v[k].path, at.line, at.col, "schema-pattern",
				  "base_url is where the site is published: %s", why);
	}
done:
	json_doc_release(&doc);
	buf_release(&text);
	schema_set_free(schemas);
	return error < 0 ? error : 0;
}

/*
 * With "require_signed", the commit built must carry a good signature by
 * a key of content/keys/.  Only that commit: its signature covers its
 * parents' ids, and so the whole history below it, which the signer
 * vouches for by signing; every commit's own state is on its page.  A
 * preview of the working tree is no publication, and is not held to it.
 */
int require_signed(struct site *S)
{
	const struct sign_key *who;
	int state, error;

	if (S->src->worktree || !cJSON_IsTrue(json_get(S->settings, "require_signed")))
		return 0;
	if ((error = source_signature(S->src, S->src->commit, &state, &who)) < 0)
		return error;
	if (state == SIGN_GOOD)
		return 0;
	return error_set(ERR_INVALID, "commit %.7s %s, and content/site.json requires signed commits "
			 "(\"require_signed\"): sign it with a key listed in " SIGN_KEYS_DIR "/ (git commit -S); "
			 "nothing was written", S->src->commit,
			 state == SIGN_NONE ? "is not signed"
					    : "has a signature that cannot be verified with the keys of " SIGN_KEYS_DIR "/");
}

/* Reads content/site.json, checked against site.schema.json like a record. */
int load_settings(struct site *S, const struct schema_set *schemas, struct diags *d)
{
	struct json_doc doc = JSON_DOC_INIT;
	struct buf text = BUF_INIT;
	const char *path = "content/site.json", *theme;
	int error, n;

	if ((error = load_content(S, path, &text)) < 0)
		goto done;
	if (error > 0) { /* no settings: an unnamed site */
		S->settings = cJSON_CreateObject();
		error = S->settings ? 0 : fail_nomem();
		goto done;
	}
	if ((error = json_parse(&doc, path, buf_cstr(&text), text.len, d)) != 0)
		goto done;
	if ((n = schema_validate(schemas, "site.schema.json", &doc, path, d)) != 0) {
		error = n < 0 ? n : 1;
		goto done;
	}
	S->settings = doc.root;
	doc.root = NULL;
	if ((theme = json_get_string(S->settings, "theme")) && !strcmp(theme, "default"))
		cJSON_DeleteItemFromObjectCaseSensitive(S->settings, "theme");
done:
	json_doc_release(&doc);
	buf_release(&text);
	return error;
}

bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* A theme file: the site's own (themes/<theme>/<name> at the commit), else
 * the default one compiled in.  Returns 1 if neither exists. */
static int theme_file(struct site *S, const char *name, struct buf *out, const char **from)
{
	const char *theme = json_get_string(S->settings, "theme");
	char path[MAX_URL];
	uint64_t size;
	size_t i;
	int k;

	buf_clear(out);
	if (theme) {
		snprintf(path, sizeof(path), "themes/%s/%s", theme, name);
		if ((k = source_find(S->src, path)) >= 0) {
			*from = S->src->v[k].path;
			return source_read(S->src, (size_t)k, JSON_MAX_BYTES, out, &size);
		}
	}
	for (i = 0; i < theme_nfiles; i++)
		if (!strcmp(theme_files[i].name, name)) {
			*from = theme_files[i].name;
			return buf_put(out, theme_files[i].data, theme_files[i].len);
		}
	return 1;
}

/* Whether the default theme has a file of this name (a template or an
 * asset), which a site's theme then overrides rather than adds. */
static bool is_default_asset(const char *name)
{
	size_t i;

	for (i = 0; i < theme_nfiles; i++)
		if (!strcmp(theme_files[i].name, name))
			return true;
	return false;
}

/* Every template name the theme has: the default's and the site's own. */
int load_theme(struct site *S)
{
	const char *theme = json_get_string(S->settings, "theme");
	struct buf text = BUF_INIT, names = BUF_INIT;
	struct mustache_error err;
	char prefix[MAX_URL], tmpl[MAX_URL];
	const char *from = "", *p;
	size_t i;
	int error = 0;

	if (theme && strspn(theme, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(theme))
		return error_set(ERR_INVALID, "content/site.json: theme \"%s\" is not a folder name", theme);
	if ((error = mustache_set_new(&S->theme)) < 0)
		return error;
	/* names, NUL-separated: the compiled-in ones, then the site's */
	for (i = 0; i < theme_nfiles && error >= 0; i++)
		if (ends_with(theme_files[i].name, ".mustache") && !strchr(theme_files[i].name, '/'))
			error = buf_put(&names, theme_files[i].name, strlen(theme_files[i].name) + 1);
	/* then the site's new ones: a name the default has is an override,
	 * read from the site's theme by theme_file, and added once */
	snprintf(prefix, sizeof(prefix), "themes/%s/", theme ? theme : "");
	for (i = 0; theme && i < S->src->n && error >= 0; i++) {
		p = S->src->v[i].path;
		if (!strncmp(p, prefix, strlen(prefix)) && ends_with(p, ".mustache") &&
		    !strchr(p + strlen(prefix), '/') && !is_default_asset(p + strlen(prefix)))
			error = buf_put(&names, p + strlen(prefix), strlen(p + strlen(prefix)) + 1);
	}
	for (p = buf_cstr(&names); error >= 0 && p < buf_cstr(&names) + names.len; p += strlen(p) + 1) {
		size_t len = strlen(p) - 9; /* without ".mustache" */
		if ((error = theme_file(S, p, &text, &from)) != 0)
			break;
		if (len >= sizeof(tmpl))
			len = sizeof(tmpl) - 1;
		memcpy(tmpl, p, len);
		tmpl[len] = '\0';
		if ((error = mustache_set_add(S->theme, tmpl, buf_cstr(&text), text.len, &err)) < 0)
			error = error_set(ERR_INVALID, "%s%s:%u:%u: error: %s", theme && strncmp(from, "themes/", 7) ? "themes/default/" : "",
					  from, err.line, err.col, err.msg);
	}
	buf_release(&text);
	buf_release(&names);
	return error < 0 ? error : 0;
}

/* The stylesheet, named by its content so servers may cache it forever. */
int write_assets(struct site *S)
{
	const char *theme = json_get_string(S->settings, "theme"), *logo;
	char prefix[MAX_URL];
	struct sha256_ctx sha;
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct buf text = BUF_INIT;
	char path[MAX_URL];
	const char *from;
	size_t i;
	int error;

	if ((error = theme_file(S, "assets/style.css", &text, &from)) != 0) {
		if (error > 0)
			error = error_set(ERR_INVALID, "the theme has no assets/style.css");
		goto done;
	}
	sha256_init(&sha);
	sha256_update(&sha, text.len, (const uint8_t *)buf_cstr(&text));
	sha256_digest(&sha, sizeof(digest), digest);
	snprintf(S->css, sizeof(S->css), "assets/style.%02x%02x%02x%02x%02x.css", digest[0], digest[1],
		 digest[2], digest[3], digest[4]);
	if ((error = output_write(&S->out, S->css, buf_cstr(&text), text.len)) < 0)
		goto done;
	/* other assets (images, fonts) keep their names */
	for (i = 0; i < theme_nfiles && error >= 0; i++) {
		const char *n = theme_files[i].name;
		if (strncmp(n, "assets/", 7) || !strcmp(n, "assets/style.css"))
			continue;
		if ((error = theme_file(S, n, &text, &from)) == 0)
			error = output_write(&S->out, n, buf_cstr(&text), text.len);
	}
	/* and the site's theme's own, which the default lacks */
	snprintf(prefix, sizeof(prefix), "themes/%s/assets/", theme ? theme : "");
	for (i = 0; theme && i < S->src->n && error >= 0; i++) {
		const char *n = S->src->v[i].path;
		if (strncmp(n, prefix, strlen(prefix)))
			continue;
		n += strlen(prefix) - strlen("assets/");
		if (is_default_asset(n))
			continue;
		if ((error = theme_file(S, n, &text, &from)) == 0)
			error = output_write(&S->out, n, buf_cstr(&text), text.len);
	}
	/* the settings' logo is one of them, the default theme's or the site's own */
	logo = json_get_string(json_get(S->settings, "logo"), "src");
	if (error >= 0 && logo && (error = theme_file(S, logo, &text, &from)) != 0) {
		if (error > 0)
			error = error_set(ERR_INVALID, "content/site.json: logo %s is no file of the theme", logo);
		goto done;
	}
	if (error >= 0 && logo && !is_default_asset(logo) && (!theme || strncmp(logo, "assets/", 7)))
		error = output_write(&S->out, logo, buf_cstr(&text), text.len);
	snprintf(path, sizeof(path), "%s", S->css);
done:
	buf_release(&text);
	return error < 0 ? error : 0;
}

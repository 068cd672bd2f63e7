/* schema.c - JSON Schema subset interpreter (see schema.h). */
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "buf.h"
#include "date.h"
#include "error.h"
#include "json.h"
#include "schema.h"
#include "uscc.h"

#define MAX_SCHEMA_DEPTH 64

struct pattern {
	const cJSON *node; /* the "pattern" string in a schema */
	regex_t re;
};

struct ref {
	const cJSON *node;   /* the "$ref" string */
	const cJSON *target; /* the schema it names */
};

struct schema_set {
	struct json_doc *docs; /* one per schema_sources entry */
	size_t ndocs;
	struct pattern *patterns;
	size_t npatterns, patterns_cap;
	struct ref *refs;
	size_t nrefs, refs_cap;
};

struct ctx {
	const struct schema_set *set;
	const struct json_doc *doc;
	const char *path;
	struct diags *d;
	struct buf field; /* dotted path of the value being checked */
	int count;
};

static int ptr_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;

	return x < y ? -1 : x > y;
}

static const cJSON *doc_root(const struct schema_set *set, const char *name,
			     size_t len)
{
	size_t i;

	for (i = 0; i < set->ndocs; i++)
		if (strlen(schema_sources[i].name) == len &&
		    !memcmp(schema_sources[i].name, name, len))
			return set->docs[i].root;
	return NULL;
}

/* Resolves "file.json#/a/b" or "#/a/b" relative to the schema root. */
static const cJSON *resolve(const struct schema_set *set, const cJSON *root,
			    const char *ref)
{
	const char *hash = strchr(ref, '#'), *p;
	const cJSON *n;
	char seg[128];

	if (hash != ref)
		root = doc_root(set, ref, hash ? (size_t)(hash - ref) : strlen(ref));
	if (!root)
		return NULL;
	if (!hash || !hash[1])
		return root;
	if (hash[1] != '/')
		return NULL;
	for (n = root, p = hash + 2; n && *p;) {
		size_t len = strcspn(p, "/");
		if (len >= sizeof(seg))
			return NULL;
		memcpy(seg, p, len);
		seg[len] = '\0';
		n = json_get(n, seg);
		p += len + (p[len] == '/');
	}
	return n;
}

/*
 * Compiles a schema pattern.  Schemas follow ECMA-262, where "." matches
 * no line terminator; POSIX "." matches any byte.  So every "." outside a
 * bracket becomes a class that excludes \n, \r and U+2028/U+2029 (E2 80
 * A8/A9 in UTF-8): the patterns mean the same to editors and to us.
 */
static int compile_pattern(regex_t *re, const char *pat)
{
	static const char dot[] = "([^\n\r\xe2]|\xe2[^\x80]|\xe2\x80[^\xa8\xa9])";
	struct buf b = BUF_INIT;
	int error = 0, bracket = 0;
	const char *p;

	for (p = pat; *p && error >= 0; p++) {
		if (*p == '\\' && p[1]) {
			error = buf_put(&b, p, 2);
			p++;
		} else if (!bracket && *p == '.') {
			error = buf_puts(&b, dot);
		} else {
			/* "[]...]" and "[^]...]" keep their first "]" */
			if (!bracket && *p == '[') {
				bracket = 1;
				error = buf_putc(&b, *p);
				if (p[1] == '^' && error >= 0)
					error = buf_putc(&b, *++p);
				if (p[1] == ']' && error >= 0)
					error = buf_putc(&b, *++p);
				continue;
			}
			if (bracket && *p == ']')
				bracket = 0;
			error = buf_putc(&b, *p);
		}
	}
	if (error >= 0 && regcomp(re, buf_cstr(&b), REG_EXTENDED | REG_NOSUB))
		error = error_set(ERR_INVALID, "schema pattern does not compile: %s", pat);
	buf_release(&b);
	return error;
}

static int collect(struct schema_set *set, const cJSON *root, const cJSON *n)
{
	const cJSON *c;
	int error;

	for (c = n->child; c; c = c->next) {
		if (c->string && cJSON_IsString(c) && !strcmp(c->string, "pattern")) {
			struct pattern *p;
			if (!(p = array_grow(set->patterns, &set->patterns_cap, set->npatterns + 1, sizeof(*p))))
				return error_nomem();
			set->patterns = p;
			p = &set->patterns[set->npatterns];
			if ((error = compile_pattern(&p->re, c->valuestring)) < 0)
				return error;
			p->node = c;
			set->npatterns++;
		} else if (c->string && cJSON_IsString(c) && !strcmp(c->string, "$ref")) {
			struct ref *r;
			if (!(r = array_grow(set->refs, &set->refs_cap, set->nrefs + 1, sizeof(*r))))
				return error_nomem();
			set->refs = r;
			r = &set->refs[set->nrefs];
			if (!(r->target = resolve(set, root, c->valuestring)))
				return error_set(ERR_INVALID, "schema $ref does not resolve: %s",
						 c->valuestring);
			r->node = c;
			set->nrefs++;
		} else if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
			if ((error = collect(set, root, c)) < 0)
				return error;
		}
	}
	return 0;
}

int schema_set_load(struct schema_set **out)
{
	struct schema_set *set;
	struct diags d = DIAGS_INIT;
	size_t i;
	int error = 0;

	*out = NULL;
	if (!(set = calloc(1, sizeof(*set))) ||
	    !(set->docs = calloc(schema_nsources ? schema_nsources : 1, sizeof(*set->docs)))) {
		free(set);
		return error_nomem();
	}
	for (i = 0; i < schema_nsources; i++, set->ndocs++) {
		if ((error = json_parse(&set->docs[i], schema_sources[i].name,
					schema_sources[i].data, schema_sources[i].len, &d)) != 0) {
			if (error > 0)
				error = error_set(ERR_INVALID, "embedded schema %s is not valid JSON",
						  schema_sources[i].name);
			goto done;
		}
	}
	for (i = 0; i < set->ndocs; i++)
		if ((error = collect(set, set->docs[i].root, set->docs[i].root)) < 0)
			goto done;
	/* node is the first member of both structs */
	qsort(set->patterns, set->npatterns, sizeof(*set->patterns), ptr_cmp);
	qsort(set->refs, set->nrefs, sizeof(*set->refs), ptr_cmp);
	*out = set;
done:
	diags_release(&d);
	if (error < 0)
		schema_set_free(set);
	return error;
}

void schema_set_free(struct schema_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->npatterns; i++)
		regfree(&set->patterns[i].re);
	for (i = 0; i < set->ndocs; i++)
		json_doc_release(&set->docs[i]);
	free(set->patterns);
	free(set->refs);
	free(set->docs);
	free(set);
}

int schema_set_has(const struct schema_set *set, const char *name)
{
	return doc_root(set, name, strlen(name)) != NULL;
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	return "null";
}

static int is_integer(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
	       fabs(v->valuedouble) <= 9007199254740992.0;
}

static int type_matches(const char *t, const cJSON *v)
{
	if (!strcmp(t, "object"))
		return cJSON_IsObject(v);
	if (!strcmp(t, "array"))
		return cJSON_IsArray(v);
	if (!strcmp(t, "string"))
		return cJSON_IsString(v);
	if (!strcmp(t, "number"))
		return cJSON_IsNumber(v);
	if (!strcmp(t, "integer"))
		return is_integer(v);
	if (!strcmp(t, "boolean"))
		return cJSON_IsBool(v);
	if (!strcmp(t, "null"))
		return cJSON_IsNull(v);
	return 0;
}

static const char *field_name(struct ctx *c)
{
	return c->field.len ? c->field.ptr : "(top level)";
}

static int report(struct ctx *c, struct json_pos pos, const char *rule,
		  const char *msg)
{
	int error = diags_add(c->d, DIAG_ERROR, c->path, pos.line, pos.col,
			      rule, "%s", msg);

	if (error < 0)
		return error;
	c->count++;
	return 0;
}

/* Levenshtein distance, capped: keys are short ASCII names. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[65], prev, tmp;

	if (la > 64 || lb > 64)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev :
				 1 + (prev < row[j] ? (prev < row[j - 1] ? prev : row[j - 1])
						    : (row[j] < row[j - 1] ? row[j] : row[j - 1]));
			prev = tmp;
		}
	}
	return row[lb];
}

static const char *suggest(const cJSON *props, const char *key)
{
	const cJSON *p;
	const char *best = NULL;
	size_t bestd = 3, dd;

	cJSON_ArrayForEach(p, props) {
		dd = distance(key, p->string);
		if (dd < bestd && dd < strlen(key)) {
			bestd = dd;
			best = p->string;
		}
	}
	return best;
}

static const char *description(const cJSON *s)
{
	return json_get_string(s, "description");
}

static int validate(struct ctx *c, const cJSON *s, const cJSON *v, int depth);

/* Every member and element validated passes here, errors or not: no
 * printf, which cost more than the checks themselves. */
static int push_field(struct ctx *c, const char *key, int index)
{
	char num[16], *p = num + sizeof(num);
	unsigned u = index < 0 ? 0 : (unsigned)index;
	int error;

	if (key) {
		if (c->field.len && (error = buf_putc(&c->field, '.')) < 0)
			return error;
		return buf_puts(&c->field, key);
	}
	*--p = ']';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	*--p = '[';
	return buf_put(&c->field, p, (size_t)(num + sizeof(num) - p));
}

static void pop_field(struct ctx *c, size_t len)
{
	c->field.len = len;
	if (c->field.ptr)
		c->field.ptr[len] = '\0';
}

static int check_object(struct ctx *c, const cJSON *s, const cJSON *v, int depth)
{
	const cJSON *props = json_get(s, "properties"), *req = json_get(s, "required");
	const cJSON *addl = json_get(s, "additionalProperties"), *m, *r;
	struct buf msg = BUF_INIT;
	size_t mark = c->field.len;
	int error = 0;

	cJSON_ArrayForEach(r, req) {
		if (!cJSON_IsString(r) || json_get(v, r->valuestring))
			continue;
		buf_clear(&msg);
		if ((error = buf_printf(&msg, c->field.len ? "\"%s\" is missing required field \"%s\""
						: "%smissing required field \"%s\"",
					c->field.len ? c->field.ptr : "", r->valuestring)) < 0 ||
		    (error = report(c, json_value_pos(c->doc, v), "schema-required", msg.ptr)) < 0)
			goto done;
	}
	cJSON_ArrayForEach(m, v) {
		const cJSON *ps = json_get(props, m->string);
		if (!ps) {
			const char *hint;
			if (!cJSON_IsFalse(addl))
				continue;
			buf_clear(&msg);
			if ((error = buf_puts(&msg, "unknown field ")) < 0 ||
			    (error = buf_put_quoted(&msg, m->string, 40)) < 0)
				goto done;
			if (c->field.len && (error = buf_printf(&msg, " in \"%s\"", c->field.ptr)) < 0)
				goto done;
			if ((hint = suggest(props, m->string)) &&
			    (error = buf_printf(&msg, "; did you mean \"%s\"?", hint)) < 0)
				goto done;
			if ((error = report(c, json_key_pos(c->doc, m), "schema-unknown-key", msg.ptr)) < 0)
				goto done;
			continue;
		}
		if ((error = push_field(c, m->string, 0)) < 0 ||
		    (error = validate(c, ps, m, depth + 1)) < 0)
			goto done;
		pop_field(c, mark);
	}
done:
	pop_field(c, mark);
	buf_release(&msg);
	return error;
}

static int check_format(struct ctx *c, const char *format, const cJSON *v)
{
	struct buf msg = BUF_INIT;
	date_t t;
	char want;
	int error = 0;

	if (!strcmp(format, "date") && date_parse(v->valuestring, &t) < 0 &&
	    strlen(v->valuestring) == 10) {
		if ((error = buf_printf(&msg, "\"%s\" is %s, which is not a real calendar date",
					field_name(c), v->valuestring)) >= 0)
			error = report(c, json_value_pos(c->doc, v), "date-invalid", msg.ptr);
	} else if (!strcmp(format, "uscc") && uscc_well_formed(v->valuestring) &&
		   !uscc_valid(v->valuestring)) {
		want = uscc_check_char(v->valuestring);
		if ((error = buf_printf(&msg, "unified social credit code %s has check character '%c'; "
					"GB 32100-2015 gives '%c' for its first 17 characters",
					v->valuestring, v->valuestring[17], want)) >= 0)
			error = report(c, json_value_pos(c->doc, v), "uscc-check-digit", msg.ptr);
	}
	buf_release(&msg);
	return error;
}

static const regex_t *pattern_of(const struct schema_set *set, const cJSON *node)
{
	struct pattern key = { .node = node }, *p;

	p = bsearch(&key, set->patterns, set->npatterns, sizeof(key), ptr_cmp);
	return p ? &p->re : NULL;
}

static int check_scalar(struct ctx *c, const cJSON *s, const cJSON *v)
{
	const cJSON *k;
	struct buf msg = BUF_INIT;
	struct json_pos pos = json_value_pos(c->doc, v);
	int error = 0;

	if (cJSON_IsString(v)) {
		size_t chars = 0;
		const unsigned char *p;
		for (p = (const unsigned char *)v->valuestring; *p; p++)
			chars += (*p & 0xC0) != 0x80;
		if ((k = json_get(s, "minLength")) && chars < (size_t)k->valuedouble) {
			error = buf_printf(&msg, chars ? "\"%s\" must be at least %d characters long"
						      : "\"%s\" must not be empty",
					   field_name(c), k->valueint);
			if (error >= 0)
				error = report(c, pos, "schema-length", msg.ptr);
			goto done;
		}
		if ((k = json_get(s, "maxLength")) && chars > (size_t)k->valuedouble) {
			if ((error = buf_printf(&msg, "\"%s\" is %zu characters long; at most %d allowed",
						field_name(c), chars, k->valueint)) >= 0)
				error = report(c, pos, "schema-length", msg.ptr);
			goto done;
		}
		if ((k = json_get(s, "pattern")) && cJSON_IsString(k)) {
			const regex_t *re = pattern_of(c->set, k);
			if (re && regexec(re, v->valuestring, 0, NULL, 0)) {
				const char *what = description(s);
				if ((error = buf_printf(&msg, "\"%s\" is ", field_name(c))) < 0 ||
				    (error = buf_put_quoted(&msg, v->valuestring, 60)) < 0 ||
				    (error = buf_printf(&msg, ", which is not of the expected form (%s)",
							what ? what : k->valuestring)) < 0 ||
				    (error = report(c, pos, "schema-pattern", msg.ptr)) < 0)
					goto done;
				goto done;
			}
		}
		if ((k = json_get(s, "format")) && cJSON_IsString(k))
			error = check_format(c, k->valuestring, v);
	} else if (cJSON_IsNumber(v)) {
		if ((k = json_get(s, "minimum")) && v->valuedouble < k->valuedouble) {
			if ((error = buf_printf(&msg, "\"%s\" is %g; it must be at least %g",
						field_name(c), v->valuedouble, k->valuedouble)) >= 0)
				error = report(c, pos, "schema-range", msg.ptr);
		} else if ((k = json_get(s, "maximum")) && v->valuedouble > k->valuedouble) {
			if ((error = buf_printf(&msg, "\"%s\" is %g; it must be at most %g",
						field_name(c), v->valuedouble, k->valuedouble)) >= 0)
				error = report(c, pos, "schema-range", msg.ptr);
		}
	}
done:
	buf_release(&msg);
	return error;
}

static int check_enum(struct ctx *c, const cJSON *e, const cJSON *v)
{
	struct buf msg = BUF_INIT;
	const cJSON *x;
	int error, first = 1;

	cJSON_ArrayForEach(x, e)
		if (cJSON_Compare(x, v, 1))
			return 0;
	if ((error = buf_printf(&msg, "\"%s\" must be one of ", field_name(c))) < 0)
		goto done;
	cJSON_ArrayForEach(x, e) {
		if ((error = buf_printf(&msg, "%s%s", first ? "" : ", ",
					cJSON_IsString(x) ? x->valuestring : "?")) < 0)
			goto done;
		first = 0;
	}
	if ((error = buf_puts(&msg, "; found ")) < 0 ||
	    (error = cJSON_IsString(v) ? buf_put_quoted(&msg, v->valuestring, 40)
				       : buf_puts(&msg, type_name(v))) < 0)
		goto done;
	error = report(c, json_value_pos(c->doc, v), "schema-enum", msg.ptr);
done:
	buf_release(&msg);
	return error;
}

static int validate(struct ctx *c, const cJSON *s, const cJSON *v, int depth)
{
	const cJSON *k, *t;
	struct buf msg = BUF_INIT;
	int error = 0;

	if (depth > MAX_SCHEMA_DEPTH)
		return error_set(ERR_LIMIT, "schema nesting too deep");
	if ((k = json_get(s, "$ref"))) {
		struct ref key = { .node = k }, *r;
		r = bsearch(&key, c->set->refs, c->set->nrefs, sizeof(key), ptr_cmp);
		if (r && (error = validate(c, r->target, v, depth + 1)) < 0)
			return error;
	}
	if ((t = json_get(s, "type"))) {
		int ok = 0;
		if (cJSON_IsString(t))
			ok = type_matches(t->valuestring, v);
		else
			cJSON_ArrayForEach(k, t)
				ok |= cJSON_IsString(k) && type_matches(k->valuestring, v);
		if (!ok) {
			const char *want = cJSON_IsString(t) ? t->valuestring : "another type";
			if ((error = buf_printf(&msg, "\"%s\" must be %s%s, not %s", field_name(c),
						strchr("aeiou", want[0]) ? "an " : "a ", want,
						type_name(v))) >= 0)
				error = report(c, json_value_pos(c->doc, v), "schema-type", msg.ptr);
			buf_release(&msg);
			return error;
		}
	}
	if ((k = json_get(s, "enum")) && (error = check_enum(c, k, v)) < 0)
		return error;
	if (cJSON_IsObject(v))
		return check_object(c, s, v, depth);
	if (cJSON_IsArray(v)) {
		const cJSON *items = json_get(s, "items"), *x;
		size_t mark = c->field.len;
		int n = cJSON_GetArraySize(v), i = 0;
		if (((k = json_get(s, "minItems")) && n < k->valueint) ||
		    ((t = json_get(s, "maxItems")) && n > t->valueint)) {
			if ((error = buf_printf(&msg, k && n < k->valueint
							? "\"%s\" must have at least %d item%s"
							: "\"%s\" may have at most %d item%s",
						field_name(c), k && n < k->valueint ? k->valueint : t->valueint,
						(k && n < k->valueint ? k->valueint : t->valueint) == 1 ? "" : "s")) >= 0)
				error = report(c, json_value_pos(c->doc, v), "schema-items", msg.ptr);
			buf_release(&msg);
			if (error < 0)
				return error;
		}
		if (!items)
			return 0;
		cJSON_ArrayForEach(x, v) {
			if ((error = push_field(c, NULL, i++)) < 0 ||
			    (error = validate(c, items, x, depth + 1)) < 0)
				break;
			pop_field(c, mark);
		}
		pop_field(c, mark);
		return error;
	}
	return check_scalar(c, s, v);
}

int schema_validate(const struct schema_set *set, const char *name,
		    const struct json_doc *doc, const char *path,
		    struct diags *d)
{
	struct ctx c = { set, doc, path, d, BUF_INIT, 0 };
	const cJSON *root = doc_root(set, name, strlen(name));
	int error;

	if (!root)
		return error_set(ERR_INVALID, "no schema named %s", name);
	error = validate(&c, root, doc->root, 0);
	buf_release(&c.field);
	return error < 0 ? error : c.count;
}

/*
 * mustache.h - Mustache templates over cJSON data.
 *
 * Follows the Mustache spec (github.com/mustache/spec): every case of
 * its core modules (comments, delimiters, interpolation, inverted,
 * partials, sections) and of the optional ~inheritance ({{<parent}},
 * {{$block}}) and ~dynamic-names ({{>*name}}, also {{<*name}}).
 * ~lambdas does not apply: JSON data holds no code.
 *
 * A template is compiled once, when it is added to a set, into a flat
 * array of nodes; rendering walks that array and never parses again.
 * Partials and parents are looked up by name in the set at render time,
 * so templates may be added in any order and refer to one another.
 * A set is not changed by rendering: several threads may render from
 * one set at once, as long as none adds to it.
 *
 * Where the spec leaves room, the choices made here:
 *
 *   - Falsey are false, null, a name not found, "", 0 and []: the
 *     spec's example, JavaScript's !!data (except that [] is falsey, as
 *     the spec requires).  {} is truthy.
 *   - {{x}} escapes & < > " ' as &amp; &lt; &gt; &quot; &#39;.
 *   - A number renders as an integer when it is one (85, not 85.0) and
 *     |x| <= 2^53, otherwise in the shortest %g form that reads back as
 *     the same double (1.21, 1e+21); true and false as "true" and
 *     "false"; null, objects and arrays as nothing.
 *   - A name with an empty part ("a..b", ".a") or white space inside,
 *     and an empty tag ("{{ }}") are syntax errors.
 *   - A standalone partial's indentation goes on every line that
 *     templates write while it expands: every pass of a loop, lines
 *     of partials it includes mid-line; never inside an interpolated
 *     value, and not on a line that ends up empty.  (Indenting the
 *     partial's text before compiling, as the reference implementation
 *     does, would leave the second pass of "{{#l}}x\n{{/l}}" at column
 *     0.)
 *   - A parent's block overrides reach every template that parent
 *     includes, partials too (a partial is a parent without arguments).
 *   - A standalone block, {{$b}}..{{/b}} alone on its lines, stands for
 *     whole lines: if what replaces it does not end its last line, the
 *     line ending the tags took is given back.
 *
 * Hostile templates are bounded: partials, parents and block overrides
 * expand at most MUSTACHE_MAX_DEPTH deep (a partial that includes
 * itself fails with ERR_LIMIT, it does not exhaust the stack), the
 * indentation standalone partials add up is capped, and a render stops
 * with ERR_LIMIT after max_steps steps (nodes visited, block arguments
 * compared) or max_output bytes (mustache_set_limits), so that
 * recursion over a list cannot run for years.  Compilation is linear
 * in the text.
 */
#ifndef GONGSHI_MUSTACHE_H
#define GONGSHI_MUSTACHE_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "buf.h"

/* Limits: past one, compiling or rendering fails with ERR_LIMIT. */
#define MUSTACHE_MAX_DEPTH 64        /* partials, parents, overrides in
					one another */
#define MUSTACHE_MAX_NESTING 100     /* sections open at once, one template */
#define MUSTACHE_MAX_NEST 1000       /* sections and expansions, all in all */
#define MUSTACHE_MAX_DELIM 16        /* bytes of a {{=<% %>=}} delimiter */
#define MUSTACHE_MAX_NAME 256        /* bytes of a tag's name */
#define MUSTACHE_MAX_INDENT 4096     /* bytes of indentation on one line */
#define MUSTACHE_MAX_TEXT (1u << 30) /* bytes of one template */
#define MUSTACHE_MAX_CONTEXTS 8      /* contexts given to one render */

/* Defaults of mustache_set_limits(): steps and bytes of one render. */
#define MUSTACHE_MAX_STEPS 100000000UL
#define MUSTACHE_MAX_OUTPUT ((size_t)1 << 30)

/* A compiled template; only the set sees inside. */
struct mustache_template;

/* A set of named templates, each able to include the others. */
struct mustache_set;

/* Where and why a template does not compile. */
struct mustache_error {
	char msg[256];      /* e.g. unclosed section "entries" */
	unsigned line, col; /* 1-based; columns count code points; 0 when
			       the error is not at a place in the text */
};

/* A new empty set in *out.  Returns 0 or ERR_NOMEM. */
int mustache_set_new(struct mustache_set **out);

/*
 * Compiles len bytes of text (not necessarily NUL-terminated) as the
 * template name; the set copies both.  Returns 0; ERR_INVALID on a
 * syntax error ("unclosed section \"x\"", "unexpected closing tag
 * \"x\"", "unclosed tag", "invalid delimiters", "empty tag", "invalid
 * name ...") or when name is already in the set; ERR_LIMIT when the
 * text passes one of the limits above; ERR_NOMEM.  On failure err (if
 * not NULL) holds the message and position, error_message() the same
 * as "name:line:col: message", and the set is unchanged.
 */
int mustache_set_add(struct mustache_set *set, const char *name,
		     const char *text, size_t len, struct mustache_error *err);

/* Replaces the render limits of the set: 0 restores a default. */
void mustache_set_limits(struct mustache_set *set, unsigned long max_steps,
			 size_t max_output);

/*
 * Renders the template name against data (any cJSON value; NULL
 * renders as if every name were missing) and appends the result to
 * out.  A partial or parent missing from the set renders as nothing,
 * as the spec asks.  Returns 0; ERR_INVALID when name is not in the
 * set; ERR_LIMIT past a limit; ERR_NOMEM.  On failure out is as it was
 * before the call.
 */
int mustache_render(const struct mustache_set *set, const char *name,
		    const cJSON *data, struct buf *out);

/*
 * Like mustache_render(), over a stack of n contexts (1 to
 * MUSTACHE_MAX_CONTEXTS) instead of one: ctx[n - 1] is the data,
 * searched first; a name it lacks is searched in ctx[n - 2], and so on
 * down to ctx[0], as if each were a section opened around the next.
 * So data shared by many renders (a site's settings) is built once and
 * rendered under each page's own data, never copied into it.  The
 * contexts are only read.  ERR_INVALID also for n out of range.
 */
int mustache_render_stack(const struct mustache_set *set, const char *name,
			  const cJSON *const *ctx, size_t n, struct buf *out);

/* Frees the set and its templates; NULL is allowed. */
void mustache_set_free(struct mustache_set *set);

#endif

/*
 * json.h - strict JSON with positions, over cJSON.
 *
 * cJSON builds the tree but knows nothing of lines, duplicate keys or
 * RFC 8259's strictness, and it accepts what a record must not contain.
 * So json_parse() first scans the text itself: it rejects a byte-order
 * mark, NUL bytes, invalid UTF-8 (overlong forms, surrogates, code
 * points past U+10FFFF), nesting deeper than JSON_MAX_DEPTH, duplicate
 * keys (compared after unescaping), "\u0000" and lone surrogate escapes,
 * and any syntax error, each with its exact position; and it records
 * the position of every key and value.  Only text that passed is handed
 * to cJSON.  This is the only module that calls cJSON's parser.
 *
 * Positions are 1-based lines and columns; columns count code points.
 */
#ifndef GONGSHI_JSON_H
#define GONGSHI_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "diag.h"

#define JSON_MAX_DEPTH 32               /* objects and arrays nested */
#define JSON_MAX_BYTES (1024 * 1024)    /* a record file's size limit */

struct json_pos {
	uint32_t line, col;
};

/* Where one node of the tree stands in the text. */
struct json_node_pos {
	const cJSON *node;      /* the node (not owned) */
	struct json_pos key;    /* its key, for an object member; else = value */
	struct json_pos value;  /* its value's first character */
};

struct json_doc {
	cJSON *root;                  /* owned tree; NULL until parsed */
	struct json_node_pos *index;  /* owned, sorted by node address */
	size_t nindex;
};

#define JSON_DOC_INIT { NULL, NULL, 0 }

/*
 * Parses len bytes of data (not necessarily NUL-terminated) named path.
 * Returns 0 and fills doc when the text is valid; returns 1 after adding
 * the diagnostics that explain why it is not (doc stays empty: one file
 * may yield several, e.g. a BOM and a duplicate key); ERR_NOMEM.
 * Rule ids used: "file-size", "bom", "nul-byte", "utf8", "json-syntax",
 * "nesting", "duplicate-key".
 */
int json_parse(struct json_doc *doc, const char *path, const char *data,
	       size_t len, struct diags *d);

/* As json_parse(), with the same checks, but without positions (no
 * index: json_value_pos() gives {1, 1}), for a caller that reads many
 * versions and reports nothing by position: the history.  Building the
 * index was a quarter of the parse. */
int json_parse_tree(struct json_doc *doc, const char *path, const char *data,
		    size_t len, struct diags *d);

/* Position of node's value / of its key (its value if not a member).
 * {1, 1} for a node not in the tree. */
struct json_pos json_value_pos(const struct json_doc *doc, const cJSON *node);
struct json_pos json_key_pos(const struct json_doc *doc, const cJSON *node);

/* Member key of obj (case-sensitive), or NULL. */
const cJSON *json_get(const cJSON *obj, const char *key);

/* String value of member key, or NULL if absent or not a string. */
const char *json_get_string(const cJSON *obj, const char *key);

/* Parses a file gongshi wrote itself (a cache): no size limit, no
 * positions.  *out is NULL when the text is not valid JSON.  0 or
 * ERR_NOMEM. */
int json_parse_trusted(const char *data, size_t len, cJSON **out);

/* Parses a version of a record only to show it (git's textconv), more
 * leniently than json_parse(): a byte-order mark is skipped, every
 * member of a duplicate key is kept, and neither the size nor the
 * nesting limit applies (cJSON's own depth limit does).  Text with a NUL
 * byte or invalid UTF-8 is refused all the same: where its strings end,
 * and so which values are private, is not certain.  *out is NULL when
 * the text is not one JSON value even so.  0 or ERR_NOMEM. */
int json_parse_display(const char *data, size_t len, cJSON **out);

/* Frees the tree and the index; doc is reset. */
void json_doc_release(struct json_doc *doc);

#endif

/*
 * schema.h - validating record files against data/schema/.
 *
 * The JSON Schema files that editors use are compiled into the binary
 * (build/gen/schemas.c) and interpreted here, so the checker and the
 * editor can never disagree about a field.  The subset understood is
 * what those files use: type, properties, required,
 * additionalProperties: false, items, enum, pattern (POSIX ERE; the
 * files keep to the common subset of ERE and ECMA-262), minLength,
 * maxLength, minimum, maximum, minItems, maxItems, $ref (within a file
 * or to another file by its name) and format "date" and "uscc".
 * Anything else in a schema file is ignored, as a validator would.
 */
#ifndef GONGSHI_SCHEMA_H
#define GONGSHI_SCHEMA_H

#include <stddef.h>

#include "diag.h"
#include "embed.h"
#include "json.h"

struct schema_set; /* the parsed files, compiled patterns and resolved $refs */

/* Parses every embedded schema.  ERR_INVALID (with a message) if one is
 * malformed or a $ref or pattern cannot be resolved: a build defect. */
int schema_set_load(struct schema_set **out);
void schema_set_free(struct schema_set *set);

/* True if an embedded schema of that file name exists. */
int schema_set_has(const struct schema_set *set, const char *name);

/*
 * Validates doc (named path) against the schema file name and adds one
 * diagnostic per violation.  Returns how many it added (>= 0) or
 * ERR_NOMEM.  Rule ids: "schema-type", "schema-required",
 * "schema-unknown-key", "schema-enum", "schema-pattern", "schema-range",
 * "schema-length", "schema-items", "date-invalid", "uscc-check-digit".
 */
int schema_validate(const struct schema_set *set, const char *name,
		    const struct json_doc *doc, const char *path,
		    struct diags *d);

#endif

/*
 * embed.h - files compiled into the binary.
 *
 * The record's JSON Schemas and the default theme are embedded at build
 * time (tests/tools/embed.sh), so gongshi needs no installed data files
 * and always checks and renders with the version it was built with.
 */
#ifndef GONGSHI_EMBED_H
#define GONGSHI_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* path relative to its folder, e.g. "notice.mustache" */
	const char *data; /* contents, NUL-terminated */
	size_t len;       /* bytes, without the NUL */
};

/* the JSON Schemas in data/schema/ */
extern const struct embedded_file schema_sources[];
extern const size_t schema_nsources;

/* themes/default/ (templates and assets) */
extern const struct embedded_file theme_files[];
extern const size_t theme_nfiles;

/* data/calendars/ (gongshi init) */
extern const struct embedded_file calendar_files[];
extern const size_t calendar_nfiles;

/* generator/skeleton/: the files gongshi init and gongshi new start from */
extern const struct embedded_file skeleton_files[];
extern const size_t skeleton_nfiles;

#endif

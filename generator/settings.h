/*
 * settings.h - the site's settings, theme and the checks of content/.
 */
#ifndef GONGSHI_SETTINGS_H
#define GONGSHI_SETTINGS_H

#include "build.h"

struct diags;
struct schema_set;

/*
 * ERR_INVALID if the settings require signed commits and the commit
 * built has no good signature by a key of content/keys/; 0 otherwise
 * (and always for a working tree).  ERR_GIT, ERR_NOMEM.
 */
int require_signed(struct site *S);

/*
 * Loads content/site.json into S->settings, checked against its schema
 * (diagnostics into d).  0 or < 0.
 */
int load_settings(struct site *S, const struct schema_set *schemas, struct diags *d);

/* Whether s ends with suffix. */
bool ends_with(const char *s, const char *suffix);

/*
 * Loads the default theme, overridden by the site's themes/, into
 * S->theme.  0 or < 0 (ERR_INVALID with path:line:col).
 */
int load_theme(struct site *S);

/*
 * Writes the theme's assets, the stylesheet fingerprinted (S->css).
 * 0 or < 0.
 */
int write_assets(struct site *S);

#endif

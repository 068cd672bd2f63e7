/*
 * serve.h - `gongshi serve`: a live preview of the working tree.
 *
 * The preview is built by this same binary run as `gongshi build
 * --worktree -q -o DIR` (a child process: a build's memory and its
 * worker processes end with it), again whenever inotify reports a
 * change under data/, content/ or themes/.  libmicrohttpd serves DIR:
 * GET and HEAD only; a file is opened beneath DIR with openat2
 * (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), so neither "..", however
 * encoded, nor a symbolic link reaches anything outside it.  HTML pages
 * get a small script (reload.js of generator/skeleton/) that polls the
 * build generation and reloads the page when it changes; the script and
 * the Content-Security-Policy allowing it exist only here, never in a
 * built site.  A build refused for the record's errors is answered, for
 * every page, by a page listing the diagnostics (diagnostics.mustache),
 * each linking to its file and line.
 */
#ifndef GONGSHI_SERVE_H
#define GONGSHI_SERVE_H

#include <stdio.h>

#include "cmd.h"

int serve_cmd(const struct global *g, int argc, char **argv);
void serve_usage(FILE *out);

#endif

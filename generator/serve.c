/* serve.c - gongshi serve (see serve.h). */
#define _GNU_SOURCE /* openat2 through syscall(), struct open_how */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/openat2.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "buf.h"
#include "embed.h"
#include "error.h"
#include "mustache.h"
#include "serve.h"

#define SERVE_DEFAULT_PORT 8780
/* connections at once: past it MHD closes new ones at accept */
#define SERVE_MAX_CONNECTIONS 2000
/* a page is read whole to get the reload script; larger files are sent
 * as they are */
#define SERVE_MAX_PAGE (64u << 20)
#define RELOAD_PATH "/__gongshi/reload.js"
#define VERSION_PATH "/__gongshi/version"

/* What the request threads read and the build loop writes, under lock. */
struct serve_state {
	pthread_mutex_t lock;
	unsigned long generation; /* builds finished so far */
	char *failure;            /* owned: the diagnostics page while the
	                             record fails, else NULL */
	size_t failure_len;
	char out[PATH_MAX + 16];  /* the preview folder (absolute) */
	const char *reload_js;    /* not owned: embedded */
	size_t reload_len;
};

/* The serve command's settings and the watcher's state. */
struct serve_opts {
	const char *dir;          /* -C DIR: the repository */
	const char *out;          /* -o DIR: the preview folder */
	const char *bind;         /* --bind ADDR (default 127.0.0.1) */
	unsigned port;            /* --port N */
	char root[PATH_MAX];      /* the working tree's top (absolute) */
	char self[PATH_MAX];      /* this binary, to run builds */
	int ino;                  /* inotify fd */
};

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void serve_usage(FILE *out)
{
	fprintf(out, "usage: gongshi serve [--port N] [--bind ADDR] [-o DIR] [-C DIR]\n\n"
		"Builds a preview of the working tree (gongshi build --worktree: a draft banner on\n"
		"every page) into DIR (default preview/ in the repository) and serves it over\n"
		"HTTP on ADDR (default 127.0.0.1) port N (default %d).  Every change under\n"
		"data/, content/ or themes/ rebuilds it, and open pages reload by themselves.\n"
		"While the record breaks a rule, every page is the list of its diagnostics, each\n"
		"linked to its file and line.  Serves GET and HEAD of files under DIR only.\n"
		"Ctrl-C stops it.\n", SERVE_DEFAULT_PORT);
}

/* ---- answering requests ---- */

static const char *content_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" }, { ".json", "application/json; charset=utf-8" },
		{ ".xml", "application/xml; charset=utf-8" }, { ".txt", "text/plain; charset=utf-8" },
		{ ".svg", "image/svg+xml; charset=utf-8" }, { ".csv", "text/csv; charset=utf-8" },
		{ ".md", "text/markdown; charset=utf-8" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" }, { ".gif", "image/gif" }, { ".ico", "image/x-icon" },
		{ ".webp", "image/webp" }, { ".woff2", "font/woff2" }, { ".woff", "font/woff" },
		{ ".pdf", "application/pdf" }, { ".zip", "application/zip" }, { ".gz", "application/gzip" },
		{ ".asc", "text/plain; charset=utf-8" }, { ".sig", "application/octet-stream" },
	};
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	size_t i;

	if (!strcmp(slash ? slash + 1 : path, "SHA256SUMS"))
		return "text/plain; charset=utf-8";
	for (i = 0; dot && (!slash || dot > slash) && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

/* page: 0 a file, 1 a preview page, 2 the diagnostics page (its own style) */
static void common_headers(struct MHD_Response *r, const char *type, int page)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	/* the published sites' policy (themes/default/nginx.conf), plus the
	 * reload script and its polling: a preview's only script */
	if (page)
		MHD_add_response_header(r, "Content-Security-Policy", page == 2 ?
					"default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; "
					"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" :
					"default-src 'none'; style-src 'self'; img-src 'self' data:; "
					"script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
					"frame-ancestors 'none'");
	else
		MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; style-src 'self'; "
					"img-src 'self' data:; frame-ancestors 'none'");
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, const char *body,
			     size_t len, int page)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	common_headers(r, type, page);
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned code, const char *text)
{
	return reply(c, code, "text/plain; charset=utf-8", text, strlen(text), 0);
}

/* The page with the reload script before its last </body>. */
static int inject(struct buf *out, const char *page, size_t len, unsigned long gen)
{
	const char *end = NULL, *p;
	int error;

	for (p = page; (p = memmem(p, len - (size_t)(p - page), "</body>", 7)); p += 7)
		end = p;
	if (!end)
		end = page + len;
	if ((error = buf_put(out, page, (size_t)(end - page))) < 0 ||
	    (error = buf_printf(out, "<script src=\"" RELOAD_PATH "?v=%lu\"></script>", gen)) < 0 ||
	    (error = buf_put(out, end, len - (size_t)(end - page))) < 0)
		return error;
	return 0;
}

/* fd of path beneath the folder dirfd, never leaving it and following
 * no symbolic link, or -1 with errno. */
static int open_beneath(int dirfd, const char *path)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* A request path, decoded by MHD: no "..", no backslash, no control
 * character (a NUL cut the decoded path short: MHD tells its length). */
static bool path_acceptable(const char *url)
{
	const char *s = url;

	if (*url != '/')
		return false;
	for (; *s; s++)
		if (*s == '\\' || (unsigned char)*s < 0x20)
			return false;
	for (s = url; (s = strstr(s, "/..")); s += 3)
		if (s[3] == '/' || !s[3])
			return false;
	return true;
}

static enum MHD_Result serve_file(struct serve_state *st, struct MHD_Connection *c, const char *url)
{
	char rel[PATH_MAX];
	struct stat sb;
	unsigned long gen;
	int dirfd, fd = -1, err;
	size_t n;
	enum MHD_Result ret;

	n = strlen(url + 1);
	if (n + 12 >= sizeof(rel))
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	memcpy(rel, url + 1, n + 1);
	if (!n || rel[n - 1] == '/')
		memcpy(rel + n, "index.html", 11);
	pthread_mutex_lock(&st->lock);
	dirfd = open(st->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	gen = st->generation;
	pthread_mutex_unlock(&st->lock);
	if (dirfd < 0)
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the preview is being built\n");
	fd = open_beneath(dirfd, rel);
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		/* a folder without the final slash: its index, as nginx redirects */
		close(fd);
		if (strlen(rel) + 12 < sizeof(rel)) {
			strcat(rel, "/index.html");
			fd = open_beneath(dirfd, rel);
		} else {
			fd = -1;
		}
	}
	err = errno;
	close(dirfd);
	if (fd < 0)
		return reply_text(c, err == EXDEV || err == ELOOP ? MHD_HTTP_FORBIDDEN : MHD_HTTP_NOT_FOUND,
				  err == EXDEV || err == ELOOP ? "forbidden\n" : "not found\n");
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	}
	n = strlen(rel);
	if (n > 5 && !strcmp(rel + n - 5, ".html") && (size_t)sb.st_size <= SERVE_MAX_PAGE) {
		struct buf page = BUF_INIT, out = BUF_INIT;
		char chunk[65536];
		ssize_t got;
		int error = 0;
		while (error >= 0 && (got = read(fd, chunk, sizeof(chunk))) != 0) {
			if (got < 0 && errno == EINTR)
				continue;
			error = got < 0 ? ERR_IO : buf_put(&page, chunk, (size_t)got);
		}
		close(fd);
		if (error >= 0)
			error = inject(&out, page.ptr ? page.ptr : "", page.len, gen);
		ret = error < 0 ? reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot read the page\n")
				: reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", out.ptr, out.len, 1);
		buf_release(&page);
		buf_release(&out);
		return ret;
	}
	{
		struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
		if (!r) {
			close(fd);
			return MHD_NO;
		}
		common_headers(r, content_type(rel), 0);
		ret = MHD_queue_response(c, MHD_HTTP_OK, r);
		MHD_destroy_response(r);
		return ret;
	}
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct serve_state *st = cls;
	char num[32];

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET and HEAD only\n");
	if (!path_acceptable(url))
		return reply_text(c, MHD_HTTP_BAD_REQUEST, "bad path\n");
	if (!strcmp(url, VERSION_PATH)) {
		pthread_mutex_lock(&st->lock);
		snprintf(num, sizeof(num), "%lu", st->generation);
		pthread_mutex_unlock(&st->lock);
		return reply_text(c, MHD_HTTP_OK, num);
	}
	if (!strcmp(url, RELOAD_PATH))
		return reply(c, MHD_HTTP_OK, "text/javascript; charset=utf-8", st->reload_js, st->reload_len, 0);
	pthread_mutex_lock(&st->lock);
	if (st->failure) {
		/* while the record fails, every page is the list of why */
		const char *type = content_type(url[strlen(url) - 1] == '/' ? "x.html" : url);
		if (!strncmp(type, "text/html", 9) || !strchr(strrchr(url, '/'), '.')) {
			enum MHD_Result ret = reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", st->failure,
						    st->failure_len, 2);
			pthread_mutex_unlock(&st->lock);
			return ret;
		}
	}
	pthread_mutex_unlock(&st->lock);
	return serve_file(st, c, url);
}

/* ---- building ---- */

/* Runs `gongshi -C ROOT build --worktree -q -o OUT`: its exit status,
 * its stderr in err. */
static int run_build(const struct serve_opts *o, const char *out, struct buf *err)
{
	int p[2], status, error = 0;
	char chunk[4096];
	ssize_t got;
	pid_t pid;

	if (pipe(p) < 0)
		return error_set(ERR_IO, "pipe: %s", strerror(errno));
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return error_set(ERR_IO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		/* the preview folder is serve's own: a file left in it is not kept */
		/* not -q: a draft tells the placeholders it shows (warnings) */
		execl(o->self, "gongshi", "-C", o->root, "build", "--worktree", "--discard-foreign", "-o", out,
		      (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((got = read(p[0], chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || (error = buf_put(err, chunk, (size_t)got)) < 0)
			break;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_set(ERR_IO, "waitpid: %s", strerror(errno));
	if (error < 0)
		return error;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The diagnostics page for a failed build's stderr. */
static int failure_page(const struct serve_opts *o, const char *text, unsigned long gen, struct buf *page)
{
	const struct embedded_file *tpl = NULL;
	struct mustache_set *set = NULL;
	cJSON *ctx = cJSON_CreateObject(), *diags = cJSON_CreateArray(), *d;
	const char *line = text, *nl;
	char reload[64], href[PATH_MAX + 1200];
	size_t i;
	int error;

	for (i = 0; i < skeleton_nfiles; i++)
		if (!strcmp(skeleton_files[i].name, "diagnostics.mustache"))
			tpl = &skeleton_files[i];
	if (!ctx || !diags || !tpl) {
		cJSON_Delete(ctx);
		cJSON_Delete(diags);
		return tpl ? error_nomem() : error_set(ERR_INVALID, "diagnostics.mustache is missing");
	}
	cJSON_AddItemToObject(ctx, "diags", diags);
	for (; *line; line = nl + (*nl != '\0')) {
		char path[1024], level[16], msg[2048];
		unsigned ln, col;
		int used = 0;
		nl = line + strcspn(line, "\n");
		if (nl - line < (ptrdiff_t)sizeof(msg) &&
		    sscanf(line, "%1023[^:\n]:%u:%u: %15[a-z]: %n", path, &ln, &col, level, &used) == 4 && used) {
			snprintf(msg, sizeof(msg), "%.*s", (int)(nl - line - used), line + used);
			if (!(d = cJSON_CreateObject()))
				break;
			cJSON_AddItemToArray(diags, d);
			cJSON_AddStringToObject(d, "path", path);
			cJSON_AddNumberToObject(d, "line", ln);
			cJSON_AddNumberToObject(d, "col", col);
			cJSON_AddStringToObject(d, "level", level);
			cJSON_AddStringToObject(d, "message", msg);
			/* opens the file at the line in an editor that registers
			 * the scheme (VS Code, which gongshi init sets up) */
			snprintf(href, sizeof(href), "vscode://file%s/%s:%u:%u", o->root, path, ln, col);
			cJSON_AddStringToObject(d, "href", href);
		}
	}
	cJSON_AddBoolToObject(ctx, "has_diags", cJSON_GetArraySize(diags) > 0);
	if (!cJSON_GetArraySize(diags))
		cJSON_AddStringToObject(ctx, "output", text);
	snprintf(reload, sizeof(reload), RELOAD_PATH "?v=%lu", gen);
	cJSON_AddStringToObject(ctx, "reload", reload);
	if ((error = mustache_set_new(&set)) >= 0 &&
	    (error = mustache_set_add(set, "diagnostics", tpl->data, tpl->len, NULL)) >= 0)
		error = mustache_render(set, "diagnostics", ctx, page);
	mustache_set_free(set);
	cJSON_Delete(ctx);
	return error;
}

/* One build, its outcome published to the request threads. */
static void rebuild(const struct serve_opts *o, struct serve_state *st)
{
	struct buf err = BUF_INIT, page = BUF_INIT;
	struct timespec t0, t1;
	unsigned long gen;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = run_build(o, st->out, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_mutex_lock(&st->lock);
	gen = st->generation + 1;
	pthread_mutex_unlock(&st->lock);
	if (r != 0 && failure_page(o, r < 0 ? error_message() : buf_cstr(&err), gen, &page) < 0) {
		buf_clear(&page);
		buf_puts(&page, "gongshi serve: cannot show the diagnostics\n");
	}
	pthread_mutex_lock(&st->lock);
	free(st->failure);
	st->failure = NULL;
	if (r != 0 && page.ptr) {
		st->failure = page.ptr; /* taken from the buf */
		st->failure_len = page.len;
		page.ptr = NULL;
		page.len = page.cap = 0;
	}
	st->generation = gen;
	pthread_mutex_unlock(&st->lock);
	if (r == 0 && err.len)
		fputs(buf_cstr(&err), stderr); /* the warnings of a preview: placeholders left */
	fprintf(stderr, "gongshi serve: %s in %.0f ms\n", r == 0 ? "rebuilt" : "the record fails; diagnostics shown",
		(double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	buf_release(&err);
	buf_release(&page);
}

/* ---- watching ---- */

static void watch_tree(int ino, const char *dir)
{
	struct dirent *e;
	char sub[PATH_MAX];
	DIR *d;

	if (inotify_add_watch(ino, dir, IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
			      IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW) < 0)
		return;
	if (!(d = opendir(dir)))
		return;
	while ((e = readdir(d)))
		if (e->d_type == DT_DIR && strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name) < sizeof(sub))
			watch_tree(ino, sub);
	closedir(d);
}

static void watch_all(const struct serve_opts *o)
{
	static const char *const dirs[] = { "data", "content", "themes" };
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", o->root, dirs[i]) < sizeof(p))
			watch_tree(o->ino, p);
}

/* Drains the inotify queue; true when something changed.  A new folder
 * is watched (watching all again is cheap and adds only new ones). */
static bool drain(const struct serve_opts *o)
{
	char ev[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false, newdir = false;
	ssize_t n;
	char *p;

	while ((n = read(o->ino, ev, sizeof(ev))) > 0) {
		for (p = ev; p < ev + n; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len) {
			const struct inotify_event *e = (const struct inotify_event *)p;
			changed = true;
			if (e->mask & IN_ISDIR)
				newdir = true;
		}
	}
	if (newdir)
		watch_all(o);
	return changed;
}

/* ---- the command ---- */

enum { OPT_PORT = 256, OPT_BIND, OPT_HELP };

int serve_cmd(const struct global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "bind", required_argument, NULL, OPT_BIND },
		{ NULL, 0, NULL, 0 },
	};
	struct serve_opts o = { .dir = g->dir, .out = NULL, .bind = "127.0.0.1", .port = SERVE_DEFAULT_PORT, .ino = -1 };
	struct serve_state st = { .lock = PTHREAD_MUTEX_INITIALIZER, .generation = 0, .failure = NULL };
	struct sockaddr_in addr;
	struct MHD_Daemon *daemon = NULL;
	struct sigaction sa;
	struct rlimit rl;
	ssize_t len;
	size_t i;
	int c, status = EXIT_TROUBLE;
	char *top;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc + 1, argv - 1, ":hC:o:", opts, NULL)) != -1) {
		char *end;
		unsigned long v;
		switch (c) {
		case 'h':
			serve_usage(stdout);
			return EXIT_CLEAN;
		case 'C': o.dir = optarg; break;
		case 'o': o.out = optarg; break;
		case OPT_BIND: o.bind = optarg; break;
		case OPT_PORT:
			v = strtoul(optarg, &end, 10);
			if (!*optarg || *end || *optarg == '-' || v < 1 || v > 65535) {
				fprintf(stderr, "gongshi serve: --port takes a port from 1 to 65535, not %s\n", optarg);
				return EXIT_TROUBLE;
			}
			o.port = (unsigned)v;
			break;
		default:
			fprintf(stderr, "gongshi serve: %s %s\n", c == ':' ? "a value is missing after" : "unknown option",
				argv[optind - 2]);
			serve_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind < argc + 1) {
		fprintf(stderr, "gongshi serve: unexpected argument %s\n", argv[optind - 1]);
		return EXIT_TROUBLE;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)o.port);
	if (inet_pton(AF_INET, o.bind, &addr.sin_addr) != 1) {
		fprintf(stderr, "gongshi serve: --bind takes an IPv4 address such as 127.0.0.1, not %s\n", o.bind);
		return EXIT_TROUBLE;
	}
	if (!realpath(o.dir, o.root)) {
		fprintf(stderr, "gongshi serve: %s: %s\n", o.dir, strerror(errno));
		return EXIT_TROUBLE;
	}
	/* the working tree's top: where data/ is, as git would find it */
	for (top = o.root + strlen(o.root);;) {
		struct stat sb;
		char probe[PATH_MAX + 8];
		snprintf(probe, sizeof(probe), "%.*s/data", (int)(top - o.root), o.root);
		if (stat(probe, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			*top = '\0';
			break;
		}
		while (top > o.root && *--top != '/')
			;
		if (top == o.root) {
			fprintf(stderr, "gongshi serve: no data/ folder in %s or above: not a record\n", o.dir);
			return EXIT_TROUBLE;
		}
	}
	{
		char cwd[PATH_MAX];
		int n;
		if (!o.out)
			n = snprintf(st.out, sizeof(st.out), "%s/preview", o.root);
		else if (o.out[0] == '/')
			n = snprintf(st.out, sizeof(st.out), "%s", o.out);
		else
			n = getcwd(cwd, sizeof(cwd)) ? snprintf(st.out, sizeof(st.out), "%s/%s", cwd, o.out) : -1;
		if (n < 0 || (size_t)n >= sizeof(st.out)) {
			fprintf(stderr, "gongshi serve: the preview folder's path is too long\n");
			return EXIT_TROUBLE;
		}
	}
	if ((len = readlink("/proc/self/exe", o.self, sizeof(o.self) - 1)) < 0) {
		fprintf(stderr, "gongshi serve: cannot find this program: %s\n", strerror(errno));
		return EXIT_TROUBLE;
	}
	o.self[len] = '\0';
	for (i = 0; i < skeleton_nfiles; i++)
		if (!strcmp(skeleton_files[i].name, "reload.js")) {
			st.reload_js = skeleton_files[i].data;
			st.reload_len = skeleton_files[i].len;
		}
	/* a thousand connections need a thousand descriptors */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if ((o.ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		fprintf(stderr, "gongshi serve: inotify: %s\n", strerror(errno));
		goto done;
	}
	watch_all(&o);
	rebuild(&o, &st);
	daemon = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)o.port, NULL, NULL,
				  on_request, &st, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				  MHD_OPTION_THREAD_POOL_SIZE, (unsigned)2,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_MAX_CONNECTIONS,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536, MHD_OPTION_END);
	if (!daemon) {
		fprintf(stderr, "gongshi serve: cannot listen on %s port %u (in use?)\n", o.bind, o.port);
		goto done;
	}
	printf("serving a preview of %s on http://%s:%u/ (built into %s); Ctrl-C stops\n", o.root, o.bind, o.port,
	       st.out);
	fflush(stdout);
	while (!stop_requested) {
		struct pollfd pf = { .fd = o.ino, .events = POLLIN, .revents = 0 };
		if (poll(&pf, 1, -1) <= 0)
			continue;
		if (!drain(&o))
			continue;
		/* an editor's save is several events: let them settle */
		do
			poll(&pf, 0, 0), usleep(20000);
		while (drain(&o) && !stop_requested);
		if (!stop_requested)
			rebuild(&o, &st);
	}
	status = EXIT_CLEAN;
done:
	if (daemon)
		MHD_stop_daemon(daemon);
	if (o.ino >= 0)
		close(o.ino);
	free(st.failure);
	return status;
}

/* workers.c - rendering on every core: the units of work and the workers (see workers.h). */

/* memfd_create() is Linux's: a worker's report needs a file that is no
 * file's name. */
#define _GNU_SOURCE

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "changes.h"
#include "ctx.h"
#include "error.h"
#include "output.h"
#include "page_award.h"
#include "page_notice.h"
#include "page_org.h"
#include "page_round.h"
#include "workers.h"

/* ---- rendering on every core ---- */

/*
 * The pages of records and commits, nearly all of a site, are rendered
 * by jobs processes at once: this one and jobs - 1 forked workers, which
 * share the record, the history and the theme copy-on-write.  Each
 * claims the next CLAIM units from a counter in shared memory whenever
 * it has finished its last, so the parent, which also writes the lists,
 * feeds and downloads, simply takes fewer.  Which process renders a
 * page changes nothing in it.  What a worker must give back (the files
 * it wrote, its pages for the sitemap, the entries the lists are made
 * of) it writes to a memfd that this process reads once the worker has
 * exited, so the site is the same byte for byte whatever jobs is.
 * Processes, not threads: libgit2, cmark and the output module keep
 * state that is not shared, and a worker that crashes takes nothing
 * else with it.
 */
#define CLAIM 8

size_t unit_count(const struct site *S, enum unit k)
{
	const struct record *r = S->r;

	switch (k) {
	case U_ROUND: return r->nrounds;
	case U_NOTICE: return r->nnotices;
	case U_ORG: return r->norganizations;
	case U_AWARD: return S->nawards;
	case U_REVOCATION: return r->nrevocations;
	case U_OBJECTION: return r->nobjections;
	case U_COMMIT: return S->has_history ? S->hist.n : 0;
	default: return 0;
	}
}

/* The folder every unit of kind k writes under, which the processes
 * share and so must exist before any of them starts. */
const char *unit_section(enum unit k)
{
	static const char *const name[U_KINDS] = { "rounds", "notices", "organizations", "awards",
						    "revocations", "objections", "changes" };
	return name[k];
}

static int render_unit(struct site *S, enum unit k, size_t i)
{
	const struct record *r = S->r;
	cJSON *list, **slot;
	int error;

	stamp_reset(S);
	switch (k) {
	case U_ROUND: return r->rounds[i].res_program ? page_round(S, &r->rounds[i]) : 0;
	case U_NOTICE: return page_notice(S, &r->notices[i]);
	case U_AWARD: return page_award(S, S->awards[i]);
	case U_COMMIT: return page_commit(S, &S->hist.commits[i]);
	default: break;
	}
	if (!(list = cJSON_CreateArray()))
		return fail_nomem();
	if (k == U_ORG) {
		error = page_organization(S, &r->organizations[i], list);
		slot = &S->sums[SUM_ORG][i];
	} else if (k == U_REVOCATION) {
		error = page_revocation(S, &r->revocations[i], list);
		slot = &S->sums[SUM_REVOCATION][i];
	} else {
		error = page_objection(S, &r->objections[i], list);
		slot = &S->sums[SUM_OBJECTION][i];
	}
	/* the entry carries its own stamp (row_end()) */
	if (error >= 0 && !(*slot = cJSON_DetachItemFromArray(list, 0)))
		error = fail_nomem();
	cJSON_Delete(list);
	return error;
}

/* Claims and renders units until none is left or a process failed. */
int render_units(struct site *S)
{
	size_t n[U_KINDS], total = 0, u, end, i;
	enum unit k;
	int error;

	for (k = 0; k < U_KINDS; k++)
		total += n[k] = unit_count(S, k);
	while (!__atomic_load_n(&S->work->failed, __ATOMIC_RELAXED)) {
		u = __atomic_fetch_add(&S->work->next, CLAIM, __ATOMIC_RELAXED);
		if (u >= total)
			return 0;
		for (end = total - u > CLAIM ? u + CLAIM : total; u < end; u++) {
			for (k = 0, i = u; i >= n[k]; k++)
				i -= n[k];
			if ((error = render_unit(S, k, i)) < 0) {
				__atomic_store_n(&S->work->failed, 1, __ATOMIC_RELAXED);
				return error;
			}
		}
	}
	return 0;
}

static int put_u64(struct buf *b, uint64_t v)
{
	return buf_put(b, (const char *)&v, sizeof(v));
}

/*
 * A worker's report: its status (an error code, then the message), the
 * files and folders it wrote (output_export()), the pages it wrote since
 * the fork, then the list entries it made, each as kind, index and
 * unformatted JSON.  Numbers in the machine's byte order: the reader is
 * the parent, on the same machine.
 */
static int worker_report(struct site *S, int status, const struct output_mark *m, size_t npaths0,
			 struct buf *b)
{
	struct buf files = BUF_INIT;
	size_t i, k, n;
	char *json;
	int error;

	if ((error = put_u64(b, (uint64_t)(int64_t)status)) < 0 ||
	    (error = buf_put(b, status < 0 ? error_message() : "",
			     status < 0 ? strlen(error_message()) + 1 : 1)) < 0 || status < 0)
		goto done;
	if ((error = output_export(&S->out, m, &files)) < 0 || (error = put_u64(b, files.len)) < 0 ||
	    (error = buf_put(b, files.ptr ? files.ptr : "", files.len)) < 0 ||
	    (error = put_u64(b, S->npaths - npaths0)) < 0)
		goto done;
	for (i = npaths0; i < S->npaths && error >= 0; i++)
		error = buf_put(b, S->paths[i], strlen(S->paths[i]) + 1);
	for (k = 0; k < SUM_KINDS && error >= 0; k++) {
		n = unit_count(S, k == SUM_ORG ? U_ORG : k == SUM_REVOCATION ? U_REVOCATION : U_OBJECTION);
		for (i = 0; i < n && error >= 0; i++) {
			if (!S->sums[k][i])
				continue;
			if (!(json = cJSON_PrintUnformatted(S->sums[k][i]))) {
				error = fail_nomem();
				break;
			}
			if ((error = put_u64(b, k)) >= 0 && (error = put_u64(b, i)) >= 0)
				error = buf_put(b, json, strlen(json) + 1);
			cJSON_free(json);
		}
	}
done:
	buf_release(&files);
	return error;
}

static int write_fd(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return error_set(ERR_IO, "a worker's report: %s", strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The life of a forked worker, which never returns: exit status 0 when
 * its report is written (the report says whether the pages were), 1 if
 * not even that.  _exit(), not exit(): the parent's atexit handlers and
 * stdio buffers are the parent's. */
static void worker_main(struct site *S, int fd, const struct output_mark *m, size_t npaths0)
{
	struct buf b = BUF_INIT;
	int error = render_units(S);

	if ((error = worker_report(S, error, m, npaths0, &b)) >= 0)
		error = write_fd(fd, b.ptr, b.len);
	buf_release(&b);
	close(fd);
	output_leave(&S->out);
	site_release(S);
	_exit(error < 0 ? 1 : 0);
}

static unsigned jobs_wanted(const struct site *S)
{
	long n = S->o->jobs ? (long)S->o->jobs : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > SITE_MAX_JOBS ? SITE_MAX_JOBS : (unsigned)n;
}

int start_workers(struct site *S)
{
	struct output_mark m;
	unsigned jobs = jobs_wanted(S);
	size_t total = 0, k;
	pid_t pid, parent = getpid();
	int fd;

	for (k = 0; k < U_KINDS; k++)
		total += unit_count(S, k);
	if (total < 2 * CLAIM)
		jobs = 1; /* a fork would cost more than it saves */
	output_mark(&S->out, &m);
	fflush(NULL);
	while (S->nworkers + 1 < jobs) {
		if ((fd = memfd_create("gongshi-worker", MFD_CLOEXEC)) < 0)
			return error_set(ERR_IO, "memfd_create: %s", strerror(errno));
		if ((pid = fork()) < 0) {
			close(fd);
			return error_set(ERR_IO, "fork: %s", strerror(errno));
		}
		if (pid == 0) {
			/* a worker dies with its parent, killed or not: its pages
			 * would go to a folder no one will commit */
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
				_exit(1);
			prctl(PR_SET_NAME, "gongshi-render"); /* for ps and top */
			S->in_worker = true;
			S->nworkers = 0; /* a worker's siblings are not its own */
			worker_main(S, fd, &m, S->npaths);
		}
		S->pids[S->nworkers] = pid;
		S->fds[S->nworkers++] = fd;
	}
	return 0;
}

/* Stops the workers of a build that failed, and reaps them. */
void stop_workers(struct site *S)
{
	size_t w;

	__atomic_store_n(&S->work->failed, 1, __ATOMIC_RELAXED);
	for (w = 0; w < S->nworkers; w++) {
		if (S->pids[w] > 0) { /* 0: reaped already */
			kill(S->pids[w], SIGKILL);
			while (waitpid(S->pids[w], NULL, 0) < 0 && errno == EINTR)
				;
		}
		close(S->fds[w]);
	}
	S->nworkers = 0;
}

static int get_u64(const char **p, const char *end, uint64_t *v)
{
	if ((size_t)(end - *p) < sizeof(*v))
		return -1;
	memcpy(v, *p, sizeof(*v));
	*p += sizeof(*v);
	return 0;
}

static const char *get_str(const char **p, const char *end)
{
	const char *s = *p, *nul = memchr(s, '\0', (size_t)(end - s));

	if (!nul)
		return NULL;
	*p = nul + 1;
	return s;
}

/* Takes in a worker's report (see worker_report()). */
static int read_report(struct site *S, const char *p, size_t len)
{
	const char *end = p + len, *str;
	uint64_t v, kind, index, n;
	char **paths;
	int error;

	if (get_u64(&p, end, &v) < 0 || !(str = get_str(&p, end)))
		goto bad;
	if ((int64_t)v < 0)
		return error_set((int)(int64_t)v, "%s", str);
	if (get_u64(&p, end, &v) < 0 || v > (uint64_t)(end - p))
		goto bad;
	if ((error = output_import(&S->out, p, (size_t)v)) < 0)
		return error;
	p += v;
	if (get_u64(&p, end, &n) < 0 || n > (uint64_t)(end - p))
		goto bad;
	if (S->npaths + n > S->cap) {
		if (!(paths = realloc(S->paths, (S->npaths + n) * sizeof(*paths))))
			return fail_nomem();
		S->paths = paths;
		S->cap = S->npaths + n;
	}
	for (; n > 0; n--) {
		if (!(str = get_str(&p, end)))
			goto bad;
		if (!(S->paths[S->npaths] = strdup(str)))
			return fail_nomem();
		S->npaths++;
	}
	while (p < end) {
		if (get_u64(&p, end, &kind) < 0 || get_u64(&p, end, &index) < 0 || kind >= SUM_KINDS ||
		    index >= unit_count(S, kind == SUM_ORG ? U_ORG : kind == SUM_REVOCATION ? U_REVOCATION
									  : U_OBJECTION) ||
		    S->sums[kind][index] || !(str = get_str(&p, end)))
			goto bad;
		if (!(S->sums[kind][index] = cJSON_Parse(str)))
			goto bad;
	}
	return 0;
bad:
	return error_set(ERR_INVALID, "a worker's report is malformed at byte %zu", (size_t)(len - (size_t)(end - p)));
}

/* Waits for every worker and takes in its report. */
int join_workers(struct site *S)
{
	struct stat st;
	char *data = NULL;
	ssize_t got;
	size_t w, off;
	int status, error = 0;

	for (w = 0; w < S->nworkers && error >= 0; w++) {
		while (waitpid(S->pids[w], &status, 0) < 0)
			if (errno != EINTR)
				return error_set(ERR_IO, "waitpid: %s", strerror(errno));
		S->pids[w] = 0;
		if (WIFSIGNALED(status)) {
			error = error_set(ERR_IO, "a rendering process was killed by signal %d", WTERMSIG(status));
			break;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || fstat(S->fds[w], &st) < 0) {
			error = error_set(ERR_IO, "a rendering process failed before it could say why");
			break;
		}
		if (!(data = malloc((size_t)st.st_size + 1))) {
			error = fail_nomem();
			break;
		}
		for (off = 0; off < (size_t)st.st_size; off += (size_t)got)
			if ((got = pread(S->fds[w], data + off, (size_t)st.st_size - off, (off_t)off)) <= 0) {
				if (got < 0 && errno == EINTR) {
					got = 0;
					continue;
				}
				error = error_set(ERR_IO, "a worker's report: %s", got ? strerror(errno) : "cut short");
				break;
			}
		if (error >= 0)
			error = read_report(S, data, (size_t)st.st_size);
		free(data);
		data = NULL;
	}
	if (error < 0) {
		stop_workers(S);
		return error;
	}
	for (w = 0; w < S->nworkers; w++)
		close(S->fds[w]);
	S->nworkers = 0;
	return 0;
}

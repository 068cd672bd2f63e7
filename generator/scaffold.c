/* scaffold.c - gongshi init and gongshi new (see scaffold.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <git2.h>

#include "embed.h"
#include "error.h"
#include "json.h"
#include "record.h"
#include "scaffold.h"
#include "source.h"
#include "uscc.h"

/* ---- the list of what to fill in ---- */

int scaffold_todo_add(struct scaffold_todos *t, const char *pointer, const char *what)
{
	struct scaffold_todo *v;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		if (!(v = realloc(t->v, cap * sizeof(*v))))
			return error_nomem();
		t->v = v;
		t->cap = cap;
	}
	v = &t->v[t->n];
	v->pointer = strdup(pointer);
	v->what = strdup(what);
	if (!v->pointer || !v->what) {
		free(v->pointer);
		free(v->what);
		return error_nomem();
	}
	t->n++;
	return 0;
}

void scaffold_todos_release(struct scaffold_todos *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].pointer);
		free(t->v[i].what);
	}
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/* Every string under node still holding SCAFFOLD_MARK, by its pointer. */
static int todos_scan(struct scaffold_todos *t, const cJSON *node, struct buf *ptr)
{
	const cJSON *c;
	size_t len = ptr->len, i = 0;
	int error = 0;

	if (cJSON_IsString(node) && strstr(node->valuestring, SCAFFOLD_MARK)) {
		for (i = 0; i < t->n; i++)
			if (!strcmp(t->v[i].pointer, buf_cstr(ptr)))
				return 0;
		return scaffold_todo_add(t, buf_cstr(ptr), node->valuestring);
	}
	cJSON_ArrayForEach(c, node) {
		if (cJSON_IsObject(node))
			error = buf_printf(ptr, "/%s", c->string);
		else
			error = buf_printf(ptr, "/%zu", i);
		if (error < 0 || (error = todos_scan(t, c, ptr)) < 0)
			return error;
		ptr->len = len;
		buf_cstr(ptr);
		i++;
	}
	return 0;
}

/* ---- files ---- */

static int mkdirs_under(const char *root, const char *rel)
{
	struct buf p = BUF_INIT;
	const char *s;
	int error = 0;

	for (s = strchr(rel, '/'); s && error >= 0; s = strchr(s + 1, '/')) {
		buf_clear(&p);
		if ((error = buf_printf(&p, "%s/%.*s", root, (int)(s - rel), rel)) < 0)
			break;
		if (mkdir(buf_cstr(&p), 0755) < 0 && errno != EEXIST)
			error = error_set(ERR_IO, "%s: cannot make the folder: %s", buf_cstr(&p), strerror(errno));
	}
	buf_release(&p);
	return error;
}

int scaffold_write_new(const char *root, const char *rel, const char *data, size_t len, unsigned mode)
{
	struct buf p = BUF_INIT;
	int fd = -1, error;
	size_t off = 0;

	if ((error = mkdirs_under(root, rel)) < 0 || (error = buf_printf(&p, "%s/%s", root, rel)) < 0)
		goto done;
	if ((fd = open(buf_cstr(&p), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode)) < 0) {
		error = error_set(ERR_IO, "%s: %s", buf_cstr(&p),
				  errno == EEXIST ? "exists already; gongshi never overwrites a file"
						  : strerror(errno));
		goto done;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			error = error_set(ERR_IO, "%s: cannot write: %s", buf_cstr(&p), strerror(errno));
			goto done;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		fd = -1;
		error = error_set(ERR_IO, "%s: cannot write: %s", buf_cstr(&p), strerror(errno));
		goto done;
	}
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	buf_release(&p);
	return error;
}

static const struct embedded_file *skeleton(const char *name)
{
	size_t i;

	for (i = 0; i < skeleton_nfiles; i++)
		if (!strcmp(skeleton_files[i].name, name))
			return &skeleton_files[i];
	return NULL;
}

/* ---- init ---- */

void scaffold_init_usage(FILE *out)
{
	fputs("usage: gongshi init [DIR]\n\n"
	      "Starts a record repository in DIR (default: the current folder, or -C DIR),\n"
	      "which must be new or empty: git init, data/ with the schemas and the\n"
	      "working-day calendars, content/site.json to fill in, the diff driver\n"
	      "(.gitattributes and diff.gongshi.textconv in .git/config), the pre-commit hook\n"
	      "(gongshi check --worktree), .vscode/settings.json (editors validate each\n"
	      "record file against its schema), and a first commit.  gongshi check and\n"
	      "gongshi build succeed on it at once.  Nothing existing is ever overwritten.\n\n"
	      "The commit's author is git's user.name and user.email (or GIT_AUTHOR_NAME and\n"
	      "GIT_AUTHOR_EMAIL).\n", out);
}

/* A folder that does not exist yet, or an empty one: 0; else ERR_USAGE. */
static int init_target(const char *dir)
{
	struct dirent *e;
	DIR *d;
	int error = 0;

	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno != EEXIST)
		return error_set(ERR_IO, "%s: cannot make the folder: %s", dir, strerror(errno));
	if (!(d = opendir(dir)))
		return error_set(ERR_IO, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			error = error_set(ERR_USAGE, "%s is not empty (it holds %s): gongshi init starts a "
					  "record in a new or empty folder", dir, e->d_name);
			break;
		}
	closedir(d);
	return error;
}

/* The first commit's author, known before anything is written. */
static int init_signature(git_signature **sig)
{
	const char *name = getenv("GIT_AUTHOR_NAME"), *email = getenv("GIT_AUTHOR_EMAIL");
	git_config *cfg = NULL;
	git_buf n = { 0 }, e = { 0 };
	int error = 0;

	if (git_config_open_default(&cfg) == 0) {
		if ((!name || !*name) && git_config_get_string_buf(&n, cfg, "user.name") == 0)
			name = n.ptr;
		if ((!email || !*email) && git_config_get_string_buf(&e, cfg, "user.email") == 0)
			email = e.ptr;
	}
	if (!name || !*name || !email || !*email)
		error = error_set(ERR_USAGE, "the first commit needs an author: git config --global user.name "
				  "\"NAME\" and git config --global user.email ADDRESS");
	else if (git_signature_now(sig, name, email) < 0)
		error = error_set(ERR_GIT, "the author \"%s <%s>\": %s", name, email,
				  git_error_last() ? git_error_last()->message : "not valid");
	git_buf_dispose(&n);
	git_buf_dispose(&e);
	git_config_free(cfg);
	return error;
}

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();
	return error_set(ERR_GIT, "%s: %s", what, e ? e->message : "failed");
}

static int init_files(const char *dir, git_repository *repo)
{
	static const struct { const char *skel, *path; unsigned mode; } files[] = {
		{ "site.json", "content/site.json", 0644 },
		{ "gitattributes", ".gitattributes", 0644 },
		{ "gitignore", ".gitignore", 0644 },
		{ "vscode-settings.json", ".vscode/settings.json", 0644 },
	};
	const struct embedded_file *f;
	struct buf p = BUF_INIT;
	git_config *cfg = NULL;
	size_t i;
	int error = 0;

	for (i = 0; i < schema_nsources && error >= 0; i++) {
		buf_clear(&p);
		if ((error = buf_printf(&p, "data/schema/%s", schema_sources[i].name)) >= 0)
			error = scaffold_write_new(dir, buf_cstr(&p), schema_sources[i].data, schema_sources[i].len, 0644);
	}
	for (i = 0; i < calendar_nfiles && error >= 0; i++) {
		buf_clear(&p);
		if ((error = buf_printf(&p, "data/calendars/%s", calendar_files[i].name)) >= 0)
			error = scaffold_write_new(dir, buf_cstr(&p), calendar_files[i].data, calendar_files[i].len, 0644);
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]) && error >= 0; i++) {
		if (!(f = skeleton(files[i].skel)))
			error = error_set(ERR_INVALID, "%s is missing from this gongshi", files[i].skel);
		else
			error = scaffold_write_new(dir, files[i].path, f->data, f->len, files[i].mode);
	}
	/* the hook goes where git looks: .git/hooks of this repository */
	if (error >= 0 && !(f = skeleton("pre-commit")))
		error = error_set(ERR_INVALID, "pre-commit is missing from this gongshi");
	if (error >= 0)
		error = scaffold_write_new(git_repository_path(repo), "hooks/pre-commit", f->data, f->len, 0755);
	if (error >= 0 && (git_repository_config(&cfg, repo) < 0 ||
			   git_config_set_string(cfg, "diff.gongshi.textconv", "gongshi textconv") < 0))
		error = git_fail("setting the diff driver in .git/config");
	git_config_free(cfg);
	buf_release(&p);
	return error;
}

static int init_commit(git_repository *repo, const git_signature *sig)
{
	git_index *idx = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, commit_id;
	int error = 0;

	if (git_repository_index(&idx, repo) < 0 || git_index_add_all(idx, NULL, 0, NULL, NULL) < 0 ||
	    git_index_write(idx) < 0 || git_index_write_tree(&tree_id, idx) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0 ||
	    git_commit_create_v(&commit_id, repo, "HEAD", sig, sig, NULL,
				"gongshi init: a new record\n\nThe schemas, the working-day calendars, "
				"content/site.json to fill in, and the\ndiff driver's attributes.\n",
				tree, 0) < 0)
		error = git_fail("the first commit");
	git_tree_free(tree);
	git_index_free(idx);
	return error;
}

int scaffold_cmd_init(const struct global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *dir = g->dir;
	const struct embedded_file *site;
	struct scaffold_todos todos = SCAFFOLD_TODOS_INIT;
	struct buf ptr = BUF_INIT;
	cJSON *doc = NULL;
	size_t i;
	git_signature *sig = NULL;
	git_repository *repo = NULL;
	int c, error, status = EXIT_TROUBLE;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc + 1, argv - 1, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			scaffold_init_usage(stdout);
			return EXIT_CLEAN;
		}
		fprintf(stderr, "gongshi init: unknown option %s\n", argv[optind - 2]);
		scaffold_init_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (optind < argc + 1)
		dir = argv[optind - 1];
	if (optind + 1 < argc + 1) {
		fprintf(stderr, "gongshi init: unexpected argument %s\n", argv[optind]);
		scaffold_init_usage(stderr);
		return EXIT_TROUBLE;
	}
	if ((error = init_signature(&sig)) < 0 || (error = init_target(dir)) < 0)
		goto done;
	if (git_repository_init(&repo, dir, 0) < 0) {
		error = git_fail(dir);
		goto done;
	}
	if ((error = init_files(dir, repo)) < 0 || (error = init_commit(repo, sig)) < 0)
		goto done;
	site = skeleton("site.json");
	if ((error = json_parse_trusted(site->data, site->len, &doc)) < 0 ||
	    (error = todos_scan(&todos, doc, &ptr)) < 0)
		goto done;
	printf("started a record in %s: %zu schemas, %zu calendars, the diff driver and the pre-commit hook, "
	       "committed\n"
	       "fill in content/site.json:\n", dir, schema_nsources, calendar_nfiles);
	for (i = 0; i < todos.n; i++)
		printf("  %s\t%s\n", todos.v[i].pointer, todos.v[i].what);
	printf("next: gongshi new program ID, then gongshi new round PROGRAM YEAR\n");
	status = EXIT_CLEAN;
done:
	if (error < 0)
		fprintf(stderr, "gongshi init: %s\n", error_message());
	cJSON_Delete(doc);
	buf_release(&ptr);
	scaffold_todos_release(&todos);
	git_repository_free(repo);
	git_signature_free(sig);
	return status;
}

/* ---- new ---- */

/* What a kind's maker works from, and what it hands back. */
struct new_ctx {
	struct record rec;            /* the working tree's record (owned) */
	char **args;                  /* not owned: the kind's arguments */
	const char *id;               /* --id, else NULL: the maker derives it */
	const char *objector;         /* --objector (objection) */
	const char *employer;         /* --employer (individual): a credit code */
	bool individuals;             /* --individuals (program): tiers open to persons */
	date_t today;                 /* --date, else today in China */
	cJSON *doc;                   /* owned: the file's value, made by the maker */
	char made_id[128];            /* the new record's id */
	struct scaffold_todos todos;  /* the values to fill in or confirm */
	struct buf note;              /* lines printed after the list (the period) */
};

struct new_kind {
	const char *name;             /* "program" */
	const char *args;             /* its usage: "PROGRAM YEAR" */
	int nargs;
	enum record_kind kind;
	int (*make)(struct new_ctx *c);
};

static int put_str(cJSON *o, const char *k, const char *v)
{
	return cJSON_AddStringToObject(o, k, v) ? 0 : error_nomem();
}

static int put_date(cJSON *o, const char *k, date_t d)
{
	char s[11];

	date_format(d, s);
	return put_str(o, k, s);
}

static int put_num(cJSON *o, const char *k, double v)
{
	return cJSON_AddNumberToObject(o, k, v) ? 0 : error_nomem();
}

static int new_doc(struct new_ctx *c, const char *schema)
{
	char ref[64];

	snprintf(ref, sizeof(ref), "../schema/%s", schema);
	if (!(c->doc = cJSON_CreateObject()))
		return error_nomem();
	return put_str(c->doc, "$schema", ref);
}

static int set_id(struct new_ctx *c, const char *fmt, const char *a, const char *b)
{
	if (c->id)
		snprintf(c->made_id, sizeof(c->made_id), "%s", c->id);
	else
		snprintf(c->made_id, sizeof(c->made_id), fmt, a, b);
	return put_str(c->doc, "id", c->made_id);
}

/* --individuals: each tier of the template open to organizations and
 * individuals alike, on the article the editor confirms. */
static int program_for_individuals(struct new_ctx *c)
{
	cJSON *tiers = cJSON_GetObjectItemCaseSensitive(c->doc, "tiers"), *t, *aw, *kinds;
	char ptr[64];
	size_t i = 0;
	int error;

	cJSON_ArrayForEach(t, tiers) {
		if (!(aw = cJSON_CreateObject()) || !cJSON_AddItemToObject(t, "awardees", aw)) {
			cJSON_Delete(aw);
			return error_nomem();
		}
		if (!(kinds = cJSON_AddArrayToObject(aw, "kinds")) ||
		    !cJSON_AddItemToArray(kinds, cJSON_CreateString("organization")) ||
		    !cJSON_AddItemToArray(kinds, cJSON_CreateString("individual")) ||
		    (error = put_str(aw, "article", "第二条")) < 0)
			return error_nomem();
		snprintf(ptr, sizeof(ptr), "/tiers/%zu/awardees", i++);
		if ((error = scaffold_todo_add(&c->todos, ptr, "组织与个人均可申报：核对条款（第…条），"
					       "只授予个人则 kinds 只留 individual")) < 0)
			return error;
	}
	return 0;
}

static int make_program(struct new_ctx *c)
{
	const struct embedded_file *f = skeleton("program.json");
	int error;

	if (!f)
		return error_set(ERR_INVALID, "program.json is missing from this gongshi");
	if ((error = json_parse_trusted(f->data, f->len, &c->doc)) < 0)
		return error;
	if (!cJSON_IsObject(c->doc))
		return error_set(ERR_INVALID, "program.json of this gongshi is not a JSON object");
	snprintf(c->made_id, sizeof(c->made_id), "%s", c->args[0]);
	if (!cJSON_ReplaceItemInObject(c->doc, "id", cJSON_CreateString(c->made_id)))
		return error_nomem();
	if (c->individuals && (error = program_for_individuals(c)) < 0)
		return error;
	if ((error = scaffold_todo_add(&c->todos, "/measures/document_number", "发文字号")) < 0 ||
	    (error = scaffold_todo_add(&c->todos, "/measures/issued", "印发日期")) < 0 ||
	    (error = scaffold_todo_add(&c->todos, "/measures/effective", "施行日期")) < 0)
		return error;
	return buf_puts(&c->note, "every rule (caps, prizes, notice periods, objections, grounds) and every\n"
			"article (第…条) is that of a typical measure: make each that of yours\n");
}

static struct program *need_program(struct new_ctx *c, const char *id)
{
	struct program *p = record_find_program(&c->rec, id);

	if (!p)
		error_set(ERR_USAGE, "no program \"%s\" in the record (gongshi new program %s)", id, id);
	return p;
}

static int make_round(struct new_ctx *c)
{
	struct program *p;
	char *end, name[512];
	long year = strtol(c->args[1], &end, 10);
	cJSON *apps;
	size_t i, n = 0;
	int error;

	if (!(p = need_program(c, c->args[0])))
		return ERR_USAGE;
	if (*end || year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
		return error_set(ERR_USAGE, "YEAR is a year such as 2025, not %s", c->args[1]);
	snprintf(name, sizeof(name), "%s（%ld年度）", p->name ? p->name : p->id.v, year);
	if ((error = new_doc(c, "round.schema.json")) < 0 || (error = set_id(c, "%s-%s", p->id.v, c->args[1])) < 0 ||
	    (error = put_str(c->doc, "program", p->id.v)) < 0 || (error = put_str(c->doc, "name", name)) < 0 ||
	    (error = put_num(c->doc, "year", (double)year)) < 0)
		return error;
	if (!p->cadence_yearly) {
		for (i = 0; i < c->rec.nrounds; i++)
			n += c->rec.rounds[i].res_program == p;
		if ((error = put_num(c->doc, "ordinal", (double)(n + 1))) < 0)
			return error;
	}
	if (!(apps = cJSON_AddObjectToObject(c->doc, "applications")) ||
	    (error = put_date(apps, "start", c->today)) < 0 ||
	    (error = put_date(apps, "end", date_period_end(c->today, 0, 1))) < 0)
		return error < 0 ? error : error_nomem();
	if ((error = scaffold_todo_add(&c->todos, "/name", "届次名称（已按项目名称与年度拟好）")) < 0 ||
	    (error = scaffold_todo_add(&c->todos, "/applications/start", "申报开始日期")) < 0 ||
	    (error = scaffold_todo_add(&c->todos, "/applications/end", "申报截止日期")) < 0)
		return error;
	return 0;
}

static int make_organization(struct new_ctx *c)
{
	int error;

	if (!uscc_valid(c->args[0]))
		return error_set(ERR_USAGE, "%s is not a unified social credit code (18 characters, the last "
				 "a check character)", c->args[0]);
	snprintf(c->made_id, sizeof(c->made_id), "%s", c->args[0]);
	if ((error = new_doc(c, "organization.schema.json")) < 0 || (error = put_str(c->doc, "id", c->made_id)) < 0 ||
	    (error = put_str(c->doc, "name", SCAFFOLD_MARK "：组织名称，与营业执照一致】")) < 0 ||
	    (error = put_str(c->doc, "kind", "enterprise")) < 0 ||
	    (error = put_date(c->doc, "established", c->today)) < 0 ||
	    (error = put_str(c->doc, "district", SCAFFOLD_MARK "：所在县（区）】")) < 0 ||
	    (error = scaffold_todo_add(&c->todos, "/kind", "enterprise、public_institution、social_organization、"
				       "research_institute 或 other")) < 0 ||
	    (error = scaffold_todo_add(&c->todos, "/established", "成立（登记）日期：经营年限由此起算")) < 0)
		return error;
	return 0;
}

/* A run of 6 digits or more: what an ID or phone number would put in
 * an id, which is published in URLs. */
static bool digit_run(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if ((n = *s >= '0' && *s <= '9' ? n + 1 : 0) >= 6)
			return true;
	return false;
}

static int make_individual(struct new_ctx *c)
{
	const struct organization *o = NULL;
	cJSON *priv;
	int error;

	if (c->id && strcmp(c->id, c->args[0]))
		return error_set(ERR_USAGE, "new individual takes its id as ID; --id is not needed");
	if (digit_run(c->args[0]))
		return error_set(ERR_USAGE, "%s: an individual's id is published in URLs: never a number of the "
				 "person (ID, phone, birth date); use e.g. PROGRAM-NAME-IN-PINYIN", c->args[0]);
	if (c->employer && !(o = record_find_organization(&c->rec, c->employer)))
		return error_set(ERR_USAGE, "--employer %s: no organization with that credit code in the record "
				 "(gongshi new organization %s)", c->employer, c->employer);
	snprintf(c->made_id, sizeof(c->made_id), "%s", c->args[0]);
	if ((error = new_doc(c, "individual.schema.json")) < 0 || (error = put_str(c->doc, "id", c->made_id)) < 0 ||
	    (error = put_str(c->doc, "name", SCAFFOLD_MARK "：姓名，与公示名单一致】")) < 0 ||
	    (error = put_str(c->doc, "employer", o && o->name ? o->name : SCAFFOLD_MARK "：工作单位（公开）】")) < 0 ||
	    (o && (error = put_str(c->doc, "employer_organization", o->id.v)) < 0) ||
	    (error = put_str(c->doc, "position", SCAFFOLD_MARK "：职务或职称（公开）】")) < 0)
		return error;
	if (!(priv = cJSON_AddObjectToObject(c->doc, "private")) ||
	    (error = put_str(priv, "id_number", SCAFFOLD_MARK "：公民身份号码（不公开）】")) < 0 ||
	    (error = put_str(priv, "phone", SCAFFOLD_MARK "：联系电话（不公开）】")) < 0 ||
	    (error = put_str(priv, "address", SCAFFOLD_MARK "：联系地址（不公开）】")) < 0)
		return error < 0 ? error : error_nomem();
	return buf_puts(&c->note, "name, employer and position are published as notices publish them; "
			"what is under \"private\" never is\n");
}

/*
 * Who applies: an application names its applicant in a field of its
 * own kind.  One row a kind of applicant; a second kind is a row.
 */
struct applicant_kind {
	const char *field;            /* the application's field: "organization" */
	/* the applicant's id for the new application's id, or NULL after
	 * error_set when the record has no such applicant */
	const char *(*find)(struct new_ctx *c, const char *arg);
};

static const char *find_organization(struct new_ctx *c, const char *arg)
{
	struct organization *o = record_find_organization(&c->rec, arg);

	if (!o) {
		error_set(ERR_USAGE, "no organization \"%s\" in the record (gongshi new organization %s)", arg, arg);
		return NULL;
	}
	return o->id.v;
}

/* An individual's id in an application's id: without the program's
 * prefix the demo gives it (nanjing-chen-jing in nanjing-2024-chen-jing). */
static const char *find_individual(struct new_ctx *c, const char *arg)
{
	struct individual *p = record_find_individual(&c->rec, arg);

	if (!p) {
		error_set(ERR_USAGE, "no organization or individual \"%s\" in the record (gongshi new organization "
			  "CREDIT-CODE, or gongshi new individual ID)", arg);
		return NULL;
	}
	return p->id.v;
}

static const struct applicant_kind applicant_kinds[] = {
	{ "organization", find_organization },
	{ "individual", find_individual },
};

static int make_application(struct new_ctx *c)
{
	struct round *r = record_find_round(&c->rec, c->args[0]);
	const struct program *p;
	const struct applicant_kind *k;
	const struct tier *first = NULL;
	const char *who, *pre;
	char tail[128];
	size_t len, i, nopen = 0;
	date_t when = c->today;
	bool person;
	int error;

	if (!r)
		return error_set(ERR_USAGE, "no round \"%s\" in the record (gongshi new round PROGRAM YEAR)",
				 c->args[0]);
	/* a credit code names an organization; any other id, a person */
	person = !uscc_valid(c->args[1]) && !record_find_organization(&c->rec, c->args[1]);
	k = &applicant_kinds[person];
	if (!(who = k->find(c, c->args[1])))
		return ERR_USAGE;
	p = r->res_program;
	for (i = 0; p && i < p->ntiers; i++)
		if (person ? p->tiers[i].for_individuals : p->tiers[i].for_organizations) {
			first = first ? first : &p->tiers[i];
			nopen++;
		}
	if (p && p->ntiers && !first)
		return error_set(ERR_USAGE, "no tier of %s is open to %s (its tiers' \"awardees\"%s)", p->id.v,
				 person ? "individuals" : "organizations",
				 person ? "; gongshi new program --individuals writes tiers open to both" : "");
	if (person) {
		/* the person's id, less the program's prefix it may carry */
		len = strlen(p ? p->id.v : "");
		pre = p && !strncmp(who, p->id.v, len) && who[len] == '-' && who[len + 1] ? who + len + 1 : who;
		snprintf(tail, sizeof(tail), "%s", pre);
	} else {
		/* the credit code's last six characters: unique enough in a
		 * round, and --id names it otherwise */
		len = strlen(who);
		snprintf(tail, sizeof(tail), "%s", who + (len > 6 ? len - 6 : 0));
		for (i = 0; tail[i]; i++)
			if (tail[i] >= 'A' && tail[i] <= 'Z')
				tail[i] = (char)(tail[i] - 'A' + 'a');
	}
	if (r->apps_end.v != DATE_NONE && when > r->apps_end.v)
		when = r->apps_end.v;
	if (r->apps_start.v != DATE_NONE && when < r->apps_start.v)
		when = r->apps_start.v;
	if ((error = new_doc(c, "application.schema.json")) < 0 || (error = set_id(c, "%s-%s", r->id.v, tail)) < 0 ||
	    (error = put_str(c->doc, "round", r->id.v)) < 0 || (error = put_str(c->doc, k->field, who)) < 0)
		return error;
	if (first) {
		if ((error = put_str(c->doc, "tier", first->id)) < 0)
			return error;
		if (nopen > 1 && (error = scaffold_todo_add(&c->todos, "/tier", "申报的奖项等级")) < 0)
			return error;
	}
	if ((error = put_date(c->doc, "submitted", when)) < 0 ||
	    !cJSON_AddArrayToObject(c->doc, "stages"))
		return error < 0 ? error : error_nomem();
	return scaffold_todo_add(&c->todos, "/submitted", "提交申报材料的日期（须在申报期内）");
}

/* The short name of a notice kind in ids: lanzhou-2023-proposed. */
static const char *notice_id_word(enum notice_kind k)
{
	static const char *const words[NOTICE_KIND_COUNT] = {
		[NOTICE_COUNTY_LIST] = "county", [NOTICE_ACCEPTANCE_LIST] = "acceptance",
		[NOTICE_PROPOSED_WINNERS] = "proposed", [NOTICE_RESULT] = "result",
		[NOTICE_REVOCATION] = "revocation",
	};
	return words[k];
}

static bool app_passed_all(const struct application *a)
{
	size_t i;

	for (i = 0; i < a->nstages; i++)
		if (!a->stages[i].passed)
			return false;
	return true;
}

/* The period of a 公示 issued on day issued: from the next working day,
 * as long as the program's rule asks (5 working days where it says
 * nothing). */
static int notice_period(struct new_ctx *c, const struct notice_rule *rule, date_t issued, date_t *start,
			 date_t *end, long *len, bool *working)
{
	int error;

	*len = rule && rule->min > 0 ? rule->min : 5;
	*working = !rule || !rule->has_unit || rule->unit == UNIT_WORKING_DAYS;
	if (!*working) {
		*start = issued + 1;
		*end = issued + (date_t)*len;
		return 0;
	}
	if ((error = calendar_add_working_days(&c->rec.calendar, issued, 1, start)) < 0 ||
	    (error = calendar_add_working_days(&c->rec.calendar, issued, (int)*len, end)) < 0)
		return error;
	return 0;
}

static int make_notice(struct new_ctx *c)
{
	struct round *r = record_find_round(&c->rec, c->args[0]);
	const struct program *p;
	const struct notice_rule *rule;
	enum notice_kind k;
	cJSON *entries, *e, *period, *ch;
	char title[600], s1[11], s2[11];
	date_t start, end;
	long len;
	bool working, list;
	size_t i;
	int error;

	if (!r || !(p = r->res_program))
		return error_set(ERR_USAGE, "no round \"%s\" of a known program in the record", c->args[0]);
	for (k = 0; k < NOTICE_KIND_COUNT; k++)
		if (!strcmp(c->args[1], notice_kind_name(k)))
			break;
	if (k == NOTICE_KIND_COUNT)
		return error_set(ERR_USAGE, "KIND is county_list, acceptance_list, proposed_winners, result or "
				 "revocation, not %s", c->args[1]);
	rule = program_notice_rule(p, k);
	list = k != NOTICE_RESULT && k != NOTICE_REVOCATION;
	snprintf(title, sizeof(title), "%s%s", r->name ? r->name : r->id.v, notice_kind_zh(k));
	if ((error = new_doc(c, "notice.schema.json")) < 0 ||
	    (error = set_id(c, "%s-%s", r->id.v, notice_id_word(k))) < 0 ||
	    (error = put_str(c->doc, "kind", notice_kind_name(k))) < 0 || (error = put_str(c->doc, "round", r->id.v)) < 0 ||
	    (error = put_str(c->doc, "title", title)) < 0 ||
	    (error = put_str(c->doc, "issuer", p->office ? p->office : p->authority)) < 0 ||
	    (error = put_date(c->doc, "issued", c->today)) < 0)
		return error;
	if (list) {
		if ((error = notice_period(c, rule, c->today, &start, &end, &len, &working)) < 0)
			return error;
		if (!(period = cJSON_AddObjectToObject(c->doc, "period")) || (error = put_date(period, "start", start)) < 0 ||
		    (error = put_date(period, "end", end)) < 0)
			return error < 0 ? error : error_nomem();
		date_format(start, s1);
		date_format(end, s2);
		if ((error = buf_printf(&c->note, "公示期 %s 至 %s，%ld个%s\n", s1, s2, len, working ? "工作日" : "日")) < 0)
			return error;
	}
	if ((error = put_str(c->doc, "body", SCAFFOLD_MARK "：公告正文（Markdown）】")) < 0 ||
	    !(entries = cJSON_AddArrayToObject(c->doc, "entries")))
		return error < 0 ? error : error_nomem();
	for (i = 0; i < c->rec.napplications; i++) {
		const struct application *a = &c->rec.applications[i];
		bool in;
		if (a->res_round != r || a->withdrawn.v != DATE_NONE)
			continue;
		in = k == NOTICE_RESULT ? a->awarded : k == NOTICE_PROPOSED_WINNERS ? app_passed_all(a)
			: k != NOTICE_REVOCATION;
		if (!in)
			continue;
		if (!(e = cJSON_CreateObject()) || !cJSON_AddItemToArray(entries, e)) {
			cJSON_Delete(e);
			return error_nomem();
		}
		if ((error = put_str(e, "application", a->id.v)) < 0 ||
		    (a->tier.v && (error = put_str(e, "tier", a->awarded && a->result_tier.v ? a->result_tier.v
						   : a->tier.v)) < 0))
			return error;
	}
	if (list) {
		if (!(ch = cJSON_AddObjectToObject(c->doc, "objection_channel")) ||
		    (error = put_str(ch, "to", p->office ? p->office : p->authority)) < 0 ||
		    (error = put_str(ch, "how", SCAFFOLD_MARK "：提出异议的方式与要求】")) < 0)
			return error < 0 ? error : error_nomem();
	}
	if ((error = scaffold_todo_add(&c->todos, "/issued", "发布日期（公示期由此推算）")) < 0 ||
	    (error = scaffold_todo_add(&c->todos, "/entries", "名单：已列入本届全部符合条件的申报")) < 0)
		return error;
	return 0;
}

static int make_objection(struct new_ctx *c)
{
	const struct notice *n = record_find_notice(&c->rec, c->args[0]);
	const struct program *p;
	cJSON *priv;
	bool org = c->objector && !strcmp(c->objector, "organization");
	size_t i;
	int f, error;

	if (!n)
		return error_set(ERR_USAGE, "no notice \"%s\" in the record", c->args[0]);
	for (i = 0; i < n->nentries; i++)
		if (n->entries[i].application.v && !strcmp(n->entries[i].application.v, c->args[1]))
			break;
	if (i == n->nentries)
		return error_set(ERR_USAGE, "the notice %s lists no application \"%s\"", n->id.v, c->args[1]);
	if (c->objector && !org && strcmp(c->objector, "individual"))
		return error_set(ERR_USAGE, "--objector is individual or organization, not %s", c->objector);
	p = n->res_round ? n->res_round->res_program : NULL;
	if ((error = new_doc(c, "objection.schema.json")) < 0 || (error = set_id(c, "%s%s", c->args[1], "")) < 0 ||
	    (error = put_str(c->doc, "notice", n->id.v)) < 0 || (error = put_str(c->doc, "application", c->args[1])) < 0 ||
	    (error = put_str(c->doc, "objector", org ? "organization" : "individual")) < 0 ||
	    (error = put_date(c->doc, "received", c->today)) < 0 ||
	    (error = put_str(c->doc, "status", "under_review")) < 0 ||
	    (error = put_str(c->doc, "summary", SCAFFOLD_MARK "：异议内容摘要（公开）】")) < 0)
		return error;
	if (!(priv = cJSON_AddObjectToObject(c->doc, "private")))
		return error_nomem();
	/* the identity the program asks of this kind of objector */
	for (f = 0; p && f < ID_COUNT; f++) {
		if (!(p->identity[org] & (1u << f)))
			continue;
		if (f == ID_SEAL ? !cJSON_AddTrueToObject(priv, "seal")
				 : !cJSON_AddStringToObject(priv, identity_field_name((enum identity_field)f),
							    SCAFFOLD_MARK "：异议人身份信息（不公开）】"))
			return error_nomem();
	}
	return scaffold_todo_add(&c->todos, "/received", "收到异议的日期");
}

static int make_revocation(struct new_ctx *c)
{
	const struct application *a = record_find_application(&c->rec, c->args[0]);
	const struct program *p;
	int error;

	if (!a || !a->awarded)
		return error_set(ERR_USAGE, "no award \"%s\" in the record: AWARD is the id of an awarded application",
				 c->args[0]);
	p = a->res_round ? a->res_round->res_program : NULL;
	if (!p || !p->ngrounds)
		return error_set(ERR_USAGE, "the program of %s lists no revocation grounds", a->id.v);
	if ((error = new_doc(c, "revocation.schema.json")) < 0 || (error = set_id(c, "%s%s", a->id.v, "")) < 0 ||
	    (error = put_str(c->doc, "application", a->id.v)) < 0 ||
	    (error = put_str(c->doc, "ground", p->grounds[0].id)) < 0 ||
	    (error = put_date(c->doc, "event", c->today)) < 0 || (error = put_date(c->doc, "decided", c->today)) < 0 ||
	    (error = put_str(c->doc, "authority", p->authority)) < 0 ||
	    (error = put_str(c->doc, "summary", SCAFFOLD_MARK "：撤销决定摘要（公开）】")) < 0)
		return error;
	if ((p->ngrounds > 1 && (error = scaffold_todo_add(&c->todos, "/ground", "撤销依据（项目的撤销情形之一）")) < 0) ||
	    (error = scaffold_todo_add(&c->todos, "/event", "所依据事件的日期")) < 0 ||
	    (error = scaffold_todo_add(&c->todos, "/decided", "撤销决定日期")) < 0)
		return error;
	return 0;
}

static const struct new_kind new_kinds[] = {
	{ "program", "ID", 1, KIND_PROGRAM, make_program },
	{ "round", "PROGRAM YEAR", 2, KIND_ROUND, make_round },
	{ "organization", "CREDIT-CODE", 1, KIND_ORGANIZATION, make_organization },
	{ "individual", "ID", 1, KIND_INDIVIDUAL, make_individual },
	{ "application", "ROUND APPLICANT", 2, KIND_APPLICATION, make_application },
	{ "notice", "ROUND KIND", 2, KIND_NOTICE, make_notice },
	{ "objection", "NOTICE APPLICATION", 2, KIND_OBJECTION, make_objection },
	{ "revocation", "AWARD", 1, KIND_REVOCATION, make_revocation },
};

void scaffold_new_usage(FILE *out)
{
	size_t i;

	fputs("usage: gongshi new KIND ARGS... [--id ID] [--date DATE] [-C DIR]\n\n"
	      "Writes a new record file into data/KIND-folder/ID.json of the working tree: it\n"
	      "passes its schema, every value gongshi can derive from the record is derived,\n"
	      "and what the editor still has to fill in is listed (JSON pointers; each text\n"
	      "to write holds " SCAFFOLD_MARK "…】).  Never overwrites a file, and refuses an id the\n"
	      "record holds.  Kinds:\n\n", out);
	for (i = 0; i < sizeof(new_kinds) / sizeof(new_kinds[0]); i++)
		fprintf(out, "  gongshi new %s %s\n", new_kinds[i].name, new_kinds[i].args);
	fputs("\n  --id ID          the new record's id (default: derived from the arguments)\n"
	      "  --date DATE      the day the record is made on: issued, received, submitted\n"
	      "                   (default: today in China, or SOURCE_DATE_EPOCH when set)\n"
	      "  --objector KIND  objection: individual (default) or organization\n"
	      "  --employer CODE  individual: the employer's credit code, when the record has\n"
	      "                   it (its name becomes the person's employer)\n"
	      "  --individuals    program: every tier open to organizations and individuals\n\n"
	      "application APPLICANT is an organization's credit code or an individual's id;\n"
	      "the round's program must have a tier open to that kind of applicant.  An\n"
	      "individual's ID is published in URLs: never a number of the person.\n"
	      "Placeholders (" SCAFFOLD_MARK "…】) left in a file are warnings for check and\n"
	      "previews; a build that publishes refuses them.\n\n"
	      "notice KIND is county_list, acceptance_list, proposed_winners, result or\n"
	      "revocation; a 公示 gets its period from the program's rule and the working-day\n"
	      "calendar, starting the working day after it is issued.\n", out);
}

/* cJSON_Print indents with tabs and puts one after each colon: the
 * record's files use two spaces.  A string never holds a raw tab (cJSON
 * escapes it), so every tab is layout. */
static int print_doc(const cJSON *doc, struct buf *out)
{
	char *s = cJSON_Print(doc), *p;
	int error = 0;

	if (!s)
		return error_nomem();
	for (p = s; *p && error >= 0; p++)
		if (*p == '\t')
			error = buf_puts(out, p > s && p[-1] == ':' ? " " : "  ");
		else
			error = buf_putc(out, *p);
	if (error >= 0)
		error = buf_putc(out, '\n');
	free(s);
	return error;
}

static bool id_taken(const struct record *r, enum record_kind k, const char *id)
{
	switch (k) {
	case KIND_PROGRAM: return record_find_program(r, id);
	case KIND_ORGANIZATION: return record_find_organization(r, id);
	case KIND_ROUND: return record_find_round(r, id);
	case KIND_APPLICATION: return record_find_application(r, id);
	case KIND_NOTICE: return record_find_notice(r, id);
	case KIND_OBJECTION: return record_find_objection(r, id);
	case KIND_REVOCATION: return record_find_revocation(r, id);
	case KIND_INDIVIDUAL: return record_find_individual(r, id);
	default: return false;
	}
}

static bool id_well_formed(const char *s)
{
	size_t i;

	if (!*s || *s == '-' || strlen(s) > 100)
		return false;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] == '-' && s[i + 1] && s[i + 1] != '-')))
			return false;
	return true;
}

enum { OPT_NEW_ID = 256, OPT_NEW_DATE, OPT_NEW_OBJECTOR, OPT_NEW_EMPLOYER, OPT_NEW_INDIVIDUALS };

int scaffold_cmd_new(const struct global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "id", required_argument, NULL, OPT_NEW_ID },
		{ "date", required_argument, NULL, OPT_NEW_DATE },
		{ "objector", required_argument, NULL, OPT_NEW_OBJECTOR },
		{ "employer", required_argument, NULL, OPT_NEW_EMPLOYER },
		{ "individuals", no_argument, NULL, OPT_NEW_INDIVIDUALS },
		{ NULL, 0, NULL, 0 },
	};
	struct new_ctx c = { .rec = RECORD_INIT, .todos = SCAFFOLD_TODOS_INIT, .note = BUF_INIT };
	struct source src = SOURCE_INIT;
	struct diags d = DIAGS_INIT;
	struct buf text = BUF_INIT, rel = BUF_INIT, ptr = BUF_INIT;
	const struct new_kind *k = NULL;
	const char *dir = g->dir, *sde = getenv("SOURCE_DATE_EPOCH");
	char *args[4];
	int co, nargs = 0, error = 0, status = EXIT_TROUBLE, have_date = 0;
	size_t i;

	opterr = 0;
	optind = 0;
	while ((co = getopt_long(argc + 1, argv - 1, ":hC:", opts, NULL)) != -1) {
		switch (co) {
		case 'h':
			scaffold_new_usage(stdout);
			return EXIT_CLEAN;
		case 'C': dir = optarg; break;
		case OPT_NEW_ID: c.id = optarg; break;
		case OPT_NEW_OBJECTOR: c.objector = optarg; break;
		case OPT_NEW_EMPLOYER: c.employer = optarg; break;
		case OPT_NEW_INDIVIDUALS: c.individuals = true; break;
		case OPT_NEW_DATE:
			if (date_parse(optarg, &c.today) < 0) {
				fprintf(stderr, "gongshi new: --date takes a date YYYY-MM-DD, not %s\n", optarg);
				return EXIT_TROUBLE;
			}
			have_date = 1;
			break;
		default:
			fprintf(stderr, "gongshi new: %s %s\n", co == ':' ? "a value is missing after" : "unknown option",
				argv[optind - 2]);
			scaffold_new_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	for (co = optind; co < argc + 1; co++) {
		if (nargs == 4) {
			fprintf(stderr, "gongshi new: unexpected argument %s\n", argv[co - 1]);
			return EXIT_TROUBLE;
		}
		args[nargs++] = argv[co - 1];
	}
	for (i = 0; nargs && i < sizeof(new_kinds) / sizeof(new_kinds[0]); i++)
		if (!strcmp(args[0], new_kinds[i].name))
			k = &new_kinds[i];
	if (!k || nargs - 1 != k->nargs) {
		if (!k)
			fprintf(stderr, "gongshi new: %s%s\n", nargs ? "no kind " : "needs a KIND", nargs ? args[0] : "");
		else
			fprintf(stderr, "gongshi new %s: needs %s\n", k->name, k->args);
		scaffold_new_usage(stderr);
		return EXIT_TROUBLE;
	}
	c.args = args + 1;
	if (!have_date) {
		char *end = NULL;
		long long t = sde && *sde ? strtoll(sde, &end, 10) : (long long)time(NULL);
		if (end && (*end || *sde < '0' || *sde > '9' || t > 7000000000LL)) {
			error = error_set(ERR_USAGE, "SOURCE_DATE_EPOCH is not a number of seconds: %s", sde);
			goto done;
		}
		c.today = date_from_time_cst((time_t)t);
	}
	if (c.id && !id_well_formed(c.id)) {
		error = error_set(ERR_USAGE, "--id %s: an id is lower-case letters, digits and single hyphens", c.id);
		goto done;
	}
	if ((k->kind == KIND_PROGRAM || k->kind == KIND_INDIVIDUAL) && !id_well_formed(c.args[0])) {
		error = error_set(ERR_USAGE, "%s: an id is lower-case letters, digits and single hyphens", c.args[0]);
		goto done;
	}
	if ((error = source_open_worktree(&src, dir)) < 0 || (error = record_load(&c.rec, &src, &d)) < 0 ||
	    (error = k->make(&c)) < 0)
		goto done;
	if (!id_well_formed(c.made_id) && k->kind != KIND_ORGANIZATION) {
		error = error_set(ERR_USAGE, "%s is not an id (lower-case letters, digits and single hyphens): give "
				  "one with --id", c.made_id);
		goto done;
	}
	if (id_taken(&c.rec, k->kind, c.made_id)) {
		error = error_set(ERR_USAGE, "the record has a %s \"%s\" already; give another with --id", k->name,
				  c.made_id);
		goto done;
	}
	if ((error = print_doc(c.doc, &text)) < 0 ||
	    (error = buf_printf(&rel, "data/%s/%s.json", record_kind_dir(k->kind), c.made_id)) < 0 ||
	    (error = todos_scan(&c.todos, c.doc, &ptr)) < 0 ||
	    (error = scaffold_write_new(src.root, buf_cstr(&rel), text.ptr, text.len, 0644)) < 0)
		goto done;
	printf("wrote %s\n", buf_cstr(&rel));
	if (c.note.len)
		fputs(buf_cstr(&c.note), stdout);
	if (c.todos.n)
		printf("to fill in or confirm:\n");
	for (i = 0; i < c.todos.n; i++)
		printf("  %s\t%s\n", c.todos.v[i].pointer, c.todos.v[i].what);
	status = EXIT_CLEAN;
done:
	if (error < 0)
		fprintf(stderr, "gongshi new: %s\n", error_message());
	buf_release(&text);
	buf_release(&rel);
	buf_release(&ptr);
	buf_release(&c.note);
	scaffold_todos_release(&c.todos);
	cJSON_Delete(c.doc);
	diags_release(&d);
	record_release(&c.rec);
	source_release(&src);
	return status;
}

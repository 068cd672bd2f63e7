/* jsondiff.c - field-level changes between record versions (see jsondiff.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "error.h"
#include "jsondiff.h"

#define MAX_VALUE 300   /* characters of a value shown */
#define MAX_DEPTH 40

static const char *const labels[][2] = {
	{ "action", "处理" }, { "address", "地址" }, { "after_notice", "公示之后" }, { "alt", "替代文字" }, { "announce", "公布" },
	{ "application", "申报" }, { "applications", "申报时间" }, { "approval", "批准" }, { "approved_by", "批准机关" },
	{ "article", "条款" }, { "authority", "机关" }, { "awardees", "授予对象" }, { "ban_until", "禁止申报截至" },
	{ "ban_years", "禁止申报年限" }, { "base_url", "网站地址" }, { "body", "正文" }, { "cadence", "评选周期" }, { "call", "评审公告" },
	{ "cancelled", "取消" }, { "cap", "名额上限" }, { "cap_exceeded", "超出名额说明" }, { "caps", "名额限制" },
	{ "certificate", "证书编号" }, { "commercial_secrets", "商业秘密" }, { "conac", "党政机关网站标识" }, { "contact", "联系方式" },
	{ "contact_name", "联系人" }, { "contact_phone", "联系电话" }, { "date", "日期" }, { "days", "天数" }, { "decided", "处理日期" },
	{ "decision", "处理结果" }, { "description", "说明" }, { "district", "区域" }, { "divisions", "行政区划" },
	{ "document_number", "文号" }, { "effective", "施行日期" }, { "eligibility", "申报条件" }, { "email", "电子邮箱" },
	{ "employer", "工作单位" }, { "employer_organization", "工作单位信用代码" }, { "end", "截止日期" }, { "entries", "名单" },
	{ "established", "成立日期" }, { "event", "发生日期" }, { "every", "每隔" }, { "evidence", "证据" }, { "examined", "审查" },
	{ "footer", "页脚" }, { "former_names", "曾用名" }, { "fraud", "弄虚作假" }, { "fraud_bar", "弄虚作假限制" }, { "ground", "事由" },
	{ "grounds", "事由" }, { "how", "方式" }, { "icp", "ICP备案号" }, { "id", "编号" }, { "id_document", "身份证件" },
	{ "id_number", "身份证号码" }, { "identity", "身份信息" }, { "individual", "申报个人" }, { "individual_yuan", "个人奖金" },
	{ "industry", "行业" }, { "isOffDay", "休息日" }, { "issued", "发布日期" }, { "issuer", "发布机关" }, { "items", "奖品" },
	{ "jiucuo", "政府网站找错" }, { "kind", "类别" }, { "kinds", "授予对象类别" }, { "lapses", "已说明的偏差" }, { "logo", "标志" },
	{ "max", "至多" }, { "measures", "管理办法" }, { "min", "至少" }, { "min_operating_years", "最少经营年限" },
	{ "min_years_quality_work", "最少开展质量工作年限" }, { "name", "名称" }, { "note", "备注" }, { "notes", "备注" },
	{ "notice", "公示" }, { "notices", "公示公告" }, { "objection_channel", "异议受理" }, { "objections", "异议处理" },
	{ "objector", "异议人" }, { "off_cycle", "非常规届次" }, { "office", "办公室" }, { "openpgp", "OpenPGP公钥" },
	{ "ordinal", "届数" }, { "organization", "组织" }, { "organizer", "组织单位" }, { "outcome", "结果" }, { "papers", "文件" },
	{ "period", "公示期" }, { "phone", "电话" }, { "position", "职务" }, { "private", "非公开信息" }, { "prize", "奖励" },
	{ "prize_yuan", "奖金" }, { "procedure", "评审程序" }, { "program", "评选项目" }, { "psb", "公安机关备案号" },
	{ "psb_code", "公安机关备案编码" }, { "published", "发布日期" }, { "quality_work_since", "开展质量工作起始年份" },
	{ "reapply_wait", "再次申报间隔" }, { "reason", "原因" }, { "received", "收到日期" }, { "recommendation", "推荐" },
	{ "recommender", "推荐单位" }, { "recover", "追回" }, { "region", "地区" }, { "registration", "注册地" },
	{ "rejected_effect", "异议不成立的后果" }, { "repealed", "废止日期" }, { "repealed_by", "废止文件" }, { "repeals", "废止" },
	{ "repeat_article", "重复获奖依据条款" }, { "repeat_yuan", "重复获奖奖金" }, { "require_signed", "要求签名提交" }, { "required", "必须" },
	{ "requires_award", "须曾获奖项" }, { "requires_stage", "须通过阶段" }, { "result", "评选结果" }, { "revocation", "撤销" },
	{ "round", "届次" }, { "rule", "规则" }, { "schedule", "日程" }, { "score", "得分" }, { "seal", "印章" },
	{ "sponsor", "主办单位" }, { "src", "图片" }, { "ssh", "SSH公钥" }, { "stage", "阶段" }, { "stages", "评审阶段" },
	{ "start", "开始日期" }, { "status", "状态" }, { "status_article", "依据条款" }, { "strength", "约束力" },
	{ "submitted", "申报日期" }, { "summary", "摘要" }, { "text", "全文" }, { "theme", "主题" }, { "then", "其后" },
	{ "tier", "奖项" }, { "tiers", "奖项设置" }, { "title", "标题" }, { "to", "受理单位" }, { "unit", "单位" }, { "until", "截至" },
	{ "upheld_article", "异议成立依据条款" }, { "upheld_effect", "异议成立的后果" }, { "vacancy", "空缺" }, { "vacant", "空缺" },
	{ "valid_article", "有效期依据条款" }, { "valid_years", "有效年限" }, { "validity", "有效期" }, { "website", "网站" },
	{ "website_id", "网站标识码" }, { "withdrawn", "撤回" }, { "within", "期限" }, { "within_period", "公示期内受理" },
	{ "within_years_of_award", "获奖后年限" }, { "year", "年度" }, { "years", "年数" }, { "yuan", "金额" },
};

const char *jsondiff_label(const char *key)
{
	size_t lo = 0, hi = sizeof(labels) / sizeof(labels[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, labels[mid][0]);
		if (!c)
			return labels[mid][1];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return key;
}

int jsondiff_value(const cJSON *v, size_t max, struct buf *out)
{
	const unsigned char *p;
	char *text;
	size_t chars = 0;
	int error = 0;

	if (!v)
		return 0;
	if (cJSON_IsString(v))
		text = v->valuestring;
	else if (!(text = cJSON_PrintUnformatted(v)))
		return error_nomem();
	/* the text itself, cut after max characters: pages escape it,
	 * terminals escape it */
	for (p = (const unsigned char *)text; *p; p++)
		if ((*p & 0xC0) != 0x80 && chars++ == max)
			break;
	error = buf_put(out, text, (size_t)(p - (const unsigned char *)text));
	if (*p && error >= 0)
		error = buf_puts(out, "…");
	if (!cJSON_IsString(v))
		free(text);
	return error;
}

struct ctx {
	struct jd_changes *out;
	const struct fingerprint_key *key;  /* NULL: private changes carry nothing */
	struct buf path, label, value;
	int error;
};

/* A private change's value: its fingerprint under c->key, or nothing. */
static char *private_text(struct ctx *c, const cJSON *v)
{
	char fp[FINGERPRINT_HEX + 1], *s;

	if (!c->key || !c->key->key || !v || c->error < 0)
		return NULL;
	if ((c->error = fingerprint_of(c->key, v, fp)) < 0)
		return NULL;
	if (!(s = strdup(fp)))
		c->error = error_nomem();
	return s;
}

static void add(struct ctx *c, enum jd_kind kind, const cJSON *old, const cJSON *new)
{
	struct jd_change *e;

	if (c->error < 0)
		return;
	if (!(e = array_grow(c->out->v, &c->out->cap, c->out->n + 1, sizeof(*e)))) {
		c->error = error_nomem();
		return;
	}
	c->out->v = e;
	e = &c->out->v[c->out->n];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	if (!(e->path = strdup(buf_cstr(&c->path))) || !(e->label = strdup(buf_cstr(&c->label)))) {
		free(e->path);
		c->error = error_nomem();
		return;
	}
	c->out->n++;
	if (kind == JD_PRIVATE) {
		e->old = private_text(c, old);
		e->new = private_text(c, new);
		return;
	}
	buf_clear(&c->value);
	if (old && (c->error = jsondiff_value(old, MAX_VALUE, &c->value)) >= 0 &&
	    !(e->old = strdup(buf_cstr(&c->value))))
		c->error = error_nomem();
	buf_clear(&c->value);
	if (new && c->error >= 0 && (c->error = jsondiff_value(new, MAX_VALUE, &c->value)) >= 0 &&
	    !(e->new = strdup(buf_cstr(&c->value))))
		c->error = error_nomem();
}

static void push(struct ctx *c, const char *key, const char *ident, size_t *pl, size_t *ll)
{
	*pl = c->path.len;
	*ll = c->label.len;
	if (key) {
		if ((c->path.len && buf_putc(&c->path, '.') < 0) || buf_puts(&c->path, key) < 0 ||
		    (c->label.len && buf_putc(&c->label, '.') < 0) || buf_puts(&c->label, jsondiff_label(key)) < 0)
			c->error = error_nomem();
	} else if (buf_putc(&c->path, '[') < 0 || buf_puts(&c->path, ident) < 0 || buf_putc(&c->path, ']') < 0 ||
		   buf_putc(&c->label, '[') < 0 || buf_puts(&c->label, ident) < 0 || buf_putc(&c->label, ']') < 0) {
		c->error = error_nomem();
	}
}

static void pop(struct ctx *c, size_t pl, size_t ll)
{
	c->path.len = pl;
	c->label.len = ll;
	if (c->path.ptr)
		c->path.ptr[pl] = '\0';
	if (c->label.ptr)
		c->label.ptr[ll] = '\0';
}

static void diff(struct ctx *c, const cJSON *a, const cJSON *b, int depth);

/*
 * cJSON_Compare(a, b, true), in one pass when two objects list their
 * members in the same order, as two versions of a file almost always
 * do: cJSON_Compare looks every member up by a linear search, both ways,
 * and diff() asks at each level before it descends, which made this the
 * largest cost of the field-level diff.  Any other case is left to
 * cJSON_Compare, whose answer this is.
 */
static bool same(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;

	if (!a || !b || (a->type & 0xFF) != (b->type & 0xFF))
		return false;
	switch (a->type & 0xFF) {
	case cJSON_False:
	case cJSON_True:
	case cJSON_NULL:
		return true;
	case cJSON_String:
		return a->valuestring && b->valuestring && !strcmp(a->valuestring, b->valuestring);
	case cJSON_Array:
		for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
			if (!same(x, y))
				return false;
		return !x && !y;
	case cJSON_Object:
		for (x = a->child, y = b->child; x && y; x = x->next, y = y->next) {
			if (!x->string || !y->string || strcmp(x->string, y->string))
				return cJSON_Compare(a, b, true);
			if (!same(x, y))
				return false;
		}
		return (!x && !y) || cJSON_Compare(a, b, true);
	default:
		return cJSON_Compare(a, b, true);
	}
}

/* Member key of obj: hint when it is that member (the members of two
 * versions mostly come in the same order), else looked up. */
static const cJSON *member(const cJSON *obj, const cJSON *hint, const char *key)
{
	if (hint && hint->string && !strcmp(hint->string, key))
		return hint;
	return json_get(obj, key);
}

/* Whether v holds a "private" member anywhere. */
static bool has_private(const cJSON *v)
{
	const cJSON *x;

	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return false;
	cJSON_ArrayForEach(x, v)
		if ((cJSON_IsObject(v) && x->string && !strcmp(x->string, "private")) || has_private(x))
			return true;
	return false;
}

/* The member that identifies each object of an array, if all have a
 * distinct string value for it. */
static const char *identity(const cJSON *arr)
{
	static const char *const keys[] = { "application", "stage", "id", "name", "date" };
	const cJSON *x, *y;
	size_t k;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		bool ok = cJSON_GetArraySize(arr) > 0;
		cJSON_ArrayForEach(x, arr) {
			const char *v = json_get_string(x, keys[k]);
			if (!v) {
				ok = false;
				break;
			}
			for (y = arr->child; y != x && ok; y = y->next)
				ok = strcmp(v, json_get_string(y, keys[k])) != 0;
			if (!ok)
				break;
		}
		if (ok)
			return keys[k];
	}
	return NULL;
}

static const cJSON *find_by(const cJSON *arr, const char *key, const char *value)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, arr)
		if (!strcmp(json_get_string(x, key), value))
			return x;
	return NULL;
}

static void diff_arrays(struct ctx *c, const cJSON *a, const cJSON *b, int depth)
{
	const char *ka = identity(a), *kb = identity(b);
	const char *key = ka && kb && !strcmp(ka, kb) ? ka : !cJSON_GetArraySize(a) ? kb
							   : !cJSON_GetArraySize(b) ? ka : NULL;
	const cJSON *x, *y;
	char num[32];
	size_t pl, ll;
	int i = 0;

	if (key) {
		cJSON_ArrayForEach(x, a) {
			const char *v = json_get_string(x, key);
			push(c, NULL, v, &pl, &ll);
			diff(c, x, find_by(b, key, v), depth + 1);
			pop(c, pl, ll);
		}
		cJSON_ArrayForEach(y, b) {
			const char *v = json_get_string(y, key);
			if (find_by(a, key, v))
				continue;
			push(c, NULL, v, &pl, &ll);
			diff(c, NULL, y, depth + 1);
			pop(c, pl, ll);
		}
		return;
	}
	for (x = a ? a->child : NULL, y = b ? b->child : NULL; x || y; i++) {
		snprintf(num, sizeof(num), "%d", i + 1);
		push(c, NULL, num, &pl, &ll);
		diff(c, x, y, depth + 1);
		pop(c, pl, ll);
		x = x ? x->next : NULL;
		y = y ? y->next : NULL;
	}
}

static void diff(struct ctx *c, const cJSON *a, const cJSON *b, int depth)
{
	const cJSON *x;
	size_t pl, ll;

	if (c->error < 0 || (a && b && same(a, b)))
		return;
	if (depth > MAX_DEPTH) { /* records are nested 32 deep at most; belt and braces */
		add(c, has_private(a) || has_private(b) ? JD_PRIVATE : JD_CHANGED, a, b);
		return;
	}
	if (!a || !b) {
		const cJSON *v = a ? a : b;
		int i = 0;
		char num[32];
		/* a subtree with a private part is added or removed member by
		 * member, so that the private part is only named */
		if (has_private(v) && cJSON_IsObject(v)) {
			cJSON_ArrayForEach(x, v) {
				push(c, x->string, NULL, &pl, &ll);
				if (!strcmp(x->string, "private"))
					add(c, JD_PRIVATE, a ? x : NULL, b ? x : NULL);
				else
					diff(c, a ? x : NULL, b ? x : NULL, depth + 1);
				pop(c, pl, ll);
			}
			return;
		}
		if (has_private(v) && cJSON_IsArray(v)) {
			cJSON_ArrayForEach(x, v) {
				snprintf(num, sizeof(num), "%d", ++i);
				push(c, NULL, num, &pl, &ll);
				diff(c, a ? x : NULL, b ? x : NULL, depth + 1);
				pop(c, pl, ll);
			}
			return;
		}
		add(c, a ? JD_REMOVED : JD_ADDED, a, b);
		return;
	}
	/* a value that changed type and holds a private part: removed, then added */
	if ((cJSON_IsObject(a) != cJSON_IsObject(b) || cJSON_IsArray(a) != cJSON_IsArray(b)) &&
	    (has_private(a) || has_private(b))) {
		diff(c, a, NULL, depth + 1);
		diff(c, NULL, b, depth + 1);
		return;
	}
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		const cJSON *hint = b->child;
		cJSON_ArrayForEach(x, a) {
			const cJSON *y = member(b, hint, x->string);
			hint = y ? y->next : NULL;
			push(c, x->string, NULL, &pl, &ll);
			if (!strcmp(x->string, "private")) {
				if (!y || !same(x, y))
					add(c, JD_PRIVATE, x, y);
			} else {
				diff(c, x, y, depth + 1);
			}
			pop(c, pl, ll);
		}
		hint = a->child;
		cJSON_ArrayForEach(x, b) {
			const cJSON *y = member(a, hint, x->string);
			hint = y ? y->next : NULL;
			if (y)
				continue;
			push(c, x->string, NULL, &pl, &ll);
			if (!strcmp(x->string, "private"))
				add(c, JD_PRIVATE, NULL, x);
			else
				diff(c, NULL, x, depth + 1);
			pop(c, pl, ll);
		}
		return;
	}
	if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
		diff_arrays(c, a, b, depth);
		return;
	}
	add(c, JD_CHANGED, a, b);
}

/* A whole record added or removed: one change per top-level field, so
 * that its private part is still only named. */
static void whole(struct ctx *c, const cJSON *r, bool added)
{
	const cJSON *x;
	size_t pl, ll;

	cJSON_ArrayForEach(x, r) {
		push(c, x->string, NULL, &pl, &ll);
		if (!strcmp(x->string, "private"))
			add(c, JD_PRIVATE, added ? NULL : x, added ? x : NULL);
		else if (has_private(x))
			diff(c, added ? NULL : x, added ? x : NULL, 1);
		else
			add(c, added ? JD_ADDED : JD_REMOVED, added ? NULL : x, added ? x : NULL);
		pop(c, pl, ll);
	}
}

int jsondiff(const cJSON *old, const cJSON *new, struct jd_changes *out)
{
	return jsondiff_keyed(old, new, NULL, out);
}

int jsondiff_keyed(const cJSON *old, const cJSON *new, const struct fingerprint_key *key,
		   struct jd_changes *out)
{
	struct ctx c = { out, key, BUF_INIT, BUF_INIT, BUF_INIT, 0 };

	if (!old && cJSON_IsObject(new))
		whole(&c, new, true);
	else if (!new && cJSON_IsObject(old))
		whole(&c, old, false);
	else if (old && new && cJSON_IsObject(old) && cJSON_IsObject(new))
		diff(&c, old, new, 0);
	else if ((old || new) && !(old && new && same(old, new)))
		add(&c, JD_CHANGED, NULL, NULL); /* not records: say only that it changed */
	buf_release(&c.path);
	buf_release(&c.label);
	buf_release(&c.value);
	return c.error;
}

/* Whether a private member's name may be shown: a field name of the
 * schemas' kind (contact_phone), not text a value could have been put
 * in by mistake. */
static bool plain_name(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return s[0] >= 'a' && s[0] <= 'z' && !s[n] && n <= 40;
}

/* A private part as its field names only: a field added or removed
 * shows in git diff; a value, old or new, never does. */
static void flatten_private(struct ctx *c, const cJSON *v)
{
	const cJSON *x;
	size_t pl, ll;

	if (!cJSON_IsObject(v) || !v->child) {
		add(c, JD_PRIVATE, NULL, v);
		return;
	}
	cJSON_ArrayForEach(x, v) {
		push(c, plain_name(x->string) ? x->string : "*", NULL, &pl, &ll);
		add(c, JD_PRIVATE, NULL, x);
		pop(c, pl, ll);
	}
}

static void flatten(struct ctx *c, const cJSON *v, int depth)
{
	const cJSON *x;
	const char *key;
	char num[32];
	size_t pl, ll;
	int i = 0;

	if (c->error < 0)
		return;
	if (depth > MAX_DEPTH || (!cJSON_IsObject(v) && !cJSON_IsArray(v)) || !v->child) {
		/* only a lenient parse (json_parse_display) lets so deep a tree in */
		add(c, has_private(v) ? JD_PRIVATE : JD_ADDED, NULL, v);
		return;
	}
	if (cJSON_IsObject(v)) {
		cJSON_ArrayForEach(x, v) {
			push(c, x->string, NULL, &pl, &ll);
			if (!strcmp(x->string, "private"))
				flatten_private(c, x);
			else
				flatten(c, x, depth + 1);
			pop(c, pl, ll);
		}
		return;
	}
	key = identity(v);
	cJSON_ArrayForEach(x, v) {
		snprintf(num, sizeof(num), "%d", ++i);
		push(c, NULL, key ? json_get_string(x, key) : num, &pl, &ll);
		flatten(c, x, depth + 1);
		pop(c, pl, ll);
	}
}

int jsondiff_flatten(const cJSON *doc, struct jd_changes *out)
{
	return jsondiff_flatten_keyed(doc, NULL, out);
}

int jsondiff_flatten_keyed(const cJSON *doc, const struct fingerprint_key *key, struct jd_changes *out)
{
	struct ctx c = { out, key, BUF_INIT, BUF_INIT, BUF_INIT, 0 };

	flatten(&c, doc, 0);
	buf_release(&c.path);
	buf_release(&c.label);
	buf_release(&c.value);
	return c.error;
}

void jd_changes_release(struct jd_changes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].label);
		free(c->v[i].old);
		free(c->v[i].new);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

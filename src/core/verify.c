/* xinfang verify: the store against the replay of its audit trail, the chain against the anchor
 * kept outside the store, and backup and restore around them. */
#include "xinfang/verify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <paths.h>
#include <unistd.h>

#include "xinfang/audit.h"
#include "xinfang/branch.h"
#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/config.h"
#include "xinfang/fileperm.h"
#include "xinfang/setup.h"
#include "xinfang/text.h"

/* Records written at the desk's start check: the chain's tail it recomputes. */
enum { DESK_TAIL = 64, MAX_ROW_FAULTS = 10 };

/* Adds a line to the report; a failure also becomes the first one when it is. */
static void note(struct xf_verify *v, char mark, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(struct xf_verify *v, char mark, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	const char *sign = mark == 'x' ? "✗" : mark == '!' ? "！" : "✓";
	buf_printf(&v->text, "%s %s\n", sign, line);
	if (mark == 'x') {
		if (v->failures++ == 0) {
			/* Cut on a character boundary so the message line never shows half a character. */
			size_t n = 0, len = strlen(line);
			while (n < len && n < sizeof v->first - 8) {
				size_t k = n;
				utf8_next(line, len, &k);
				if (k > sizeof v->first - 8)
					break;
				n = k;
			}
			memcpy(v->first, line, n);
			v->first[n] = '\0';
		}
	} else if (mark == '!') {
		v->warnings++;
	}
}

/* A value shown in a finding: controls escaped, at most max_chars characters. */
static void show_value_cut(const char *v, int max_chars, char *out, size_t size)
{
	size_t o = 0, len = v ? strlen(v) : 0;
	int chars = 0;
	for (size_t i = 0; i < len && o + 16 < size;) {
		if (chars++ == max_chars) {
			o += (size_t)snprintf(out + o, size - o, "…");
			break;
		}
		size_t start = i;
		uint32_t cp = utf8_next(v, len, &i);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			o += (size_t)snprintf(out + o, size - o, "\\u%04x", (unsigned)cp);
		else {
			memcpy(out + o, v + start, i - start);
			o += i - start;
		}
	}
	out[o] = '\0';
}

/* A value shown in a finding: controls escaped, at most about 40 characters. */
static void show_value(const char *v, char *out, size_t size)
{
	show_value_cut(v, 40, out, size);
}

/* Chinese name of a covered table. */
static const char *table_label(const char *table)
{
	static const char *const names[][2] = {
		{"cases", "事项"},           {"petitioners", "信访人"},     {"operators", "操作员"},
		{"instructions", "批示"},    {"transfers", "转办"},         {"returns", "退回"},
		{"outcomes", "处理结果"},    {"replies", "答复"},           {"extensions", "延期"},
		{"urgings", "催办"},         {"materials", "补充材料"},     {"links", "关联"},
		{"closures", "结案"},        {"printed_slips", "打印记录"}, {"settings", "设置"},
		{"departments", "部门"},     {"channels", "来源渠道"},      {"categories", "类别"},
		{"rulesets", "时限规则集"},  {"limit_rules", "时限规则"},   {"calendar_years", "日历年份"},
		{"calendar_days", "节假日"}, {"number_seq", "编号序列"},   {"jrt_codes", "JR/T 0169 分类"},
		{"imports", "台账导入"},     {"branch_moves", "机构间移交"}, {"supervisions", "督办"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], table) == 0)
			return names[i][1];
	return table;
}

/* "事项 2026年第0003号（cases:3）": the row named as an office would name it. */
static void row_name(struct xf_store *st, const struct xf_row_fault *f, char *out, size_t size)
{
	const char *colon = strchr(f->key, ':');
	if (colon == NULL) {
		/* A table kept whole per branch: number_seq@3 is branch 3's rows. */
		const char *at = strchr(f->key, '@');
		if (at)
			snprintf(out, size, "%s表 分行 %s（%s）", table_label(f->table), at + 1, f->key);
		else
			snprintf(out, size, "%s表（%s）", table_label(f->table), f->table);
		return;
	}
	struct xf_fields row;
	char extra[160] = "";
	if (store_get(st, f->table, atoll(colon + 1), &row, NULL) == XF_OK) {
		const char *label = strcmp(f->table, "cases") == 0 ? fields_get(&row, "number")
		                    : strcmp(f->table, "operators") == 0 ? fields_get(&row, "name") : NULL;
		if (label) {
			char shown[128];
			show_value(label, shown, sizeof shown);
			snprintf(extra, sizeof extra, " %s", shown);
		}
	}
	fields_free(&row);
	snprintf(out, size, "%s%s（%s）", table_label(f->table), extra, f->key);
}

/* What the rows check hands over. */
struct rows_ctx {
	struct xf_store *st;
	struct xf_verify *v;
	long faults;
};

/* Reports one row that differs from the trail. */
static bool on_row_fault(void *arg, const struct xf_row_fault *f)
{
	struct rows_ctx *ctx = arg;
	if (ctx->faults++ >= MAX_ROW_FAULTS)
		return true; /* counted, not listed */
	char name[256];
	row_name(ctx->st, f, name, sizeof name);
	if (f->audit_id == 0) {
		note(ctx->v, 'x', "%s没有任何操作日志记录：不是经本程序写入的", name);
		return true;
	}
	if (f->current == NULL) {
		note(ctx->v, 'x', "%s在操作日志第 %lld 条记录中存在，现已不在库中（被删除）", name, (long long)f->audit_id);
		return true;
	}
	if (f->recorded == NULL) {
		note(ctx->v, 'x', "%s在操作日志第 %lld 条记录中已删除，现又出现在库中", name, (long long)f->audit_id);
		return true;
	}
	struct xf_buf what;
	buf_init(&what);
	if (strchr(f->key, ':') == NULL) {
		/* A table kept whole: the rows the trail has and the table lacks, and the other way
		 * round (a changed row is both), each shown long enough to see what changed. */
		size_t shown = 0;
		for (int side = 0; side < 2; side++) {
			const struct xf_fields *rows = side ? &f->now : &f->was;
			for (size_t i = 0; i < rows->n && shown < 6; i++, shown++) {
				char row[512];
				show_value_cut(rows->v[i].val, 120, row, sizeof row);
				buf_printf(&what, "%s%s %s", shown ? "；" : "", side ? "多出" : "缺少", row);
			}
		}
	}
	for (size_t i = 0; i < f->was.n && i < f->now.n && i < 6 && strchr(f->key, ':'); i++) {
		char was[192], now[192];
		show_value(f->was.v[i].val, was, sizeof was);
		show_value(f->now.v[i].val, now, sizeof now);
		buf_printf(&what, "%s%s 记录为“%s”，现为“%s”", i ? "；" : "", f->was.v[i].key, was, now);
	}
	for (size_t i = 0; i < f->now.n && f->was.n == 0 && i < 6 && strchr(f->key, ':'); i++) {
		char now[192];
		show_value(f->now.v[i].val, now, sizeof now);
		buf_printf(&what, "%s多出 %s", i ? "；" : "", now);
	}
	note(ctx->v, 'x', "%s与操作日志第 %lld 条记录不符：%s", name, (long long)f->audit_id,
	     what.data ? what.data : "内容不同");
	buf_free(&what);
	return true;
}

/* Chinese name of a kind of schema object. */
static const char *object_label(const char *type)
{
	if (strcmp(type, "table") == 0)
		return "表";
	if (strcmp(type, "index") == 0)
		return "索引";
	if (strcmp(type, "view") == 0)
		return "视图";
	if (strcmp(type, "trigger") == 0)
		return "触发器";
	return type;
}

/* What a schema problem means for the office, by kind of object. */
static const char *object_harm(const char *type, const char *problem)
{
	if (strcmp(type, "trigger") == 0)
		return strcmp(problem, "extra") == 0 ? "它会在写入时做程序不知道的事" : "库中的记录可被改写或删除而不被阻止";
	if (strcmp(type, "index") == 0)
		return strcmp(problem, "extra") == 0 ? "它可能拒绝合法的写入或改变查询的结果"
		                                     : "查询会变慢，或本应被拒绝的重复值不再被拒绝";
	if (strcmp(type, "view") == 0)
		return "检索和统计可能出错或漏掉事项";
	return strcmp(problem, "extra") == 0 ? "库中多出不受操作日志覆盖的内容" : "表的列或约束与程序的不符，写入的检查可能被绕过";
}

/* Chinese words for a schema problem. */
static const char *object_problem(const char *problem)
{
	if (strcmp(problem, "missing") == 0)
		return "缺失（被删除）";
	if (strcmp(problem, "changed") == 0)
		return "的定义被改动";
	return "不是本程序建立的（多出）";
}

/* The schema: every table, index, view and trigger as the migrations make it, no others. */
static int check_schema(struct xf_store *st, struct xf_verify *v, struct xf_err *err)
{
	struct xf_rows faults;
	long expected = 0;
	int rc = store_schema_check(st, &faults, &expected, err);
	if (rc != XF_OK)
		return rc;
	for (size_t i = 0; i < faults.n; i++) {
		const char *type = fields_str(&faults.v[i], "type"), *problem = fields_str(&faults.v[i], "problem");
		char name[128];
		show_value(fields_str(&faults.v[i], "name"), name, sizeof name);
		note(v, 'x', "%s %s %s：%s。请从备份恢复，或对照迁移脚本（data/schema）查明改动", object_label(type), name,
		     object_problem(problem), object_harm(type, problem));
	}
	if (faults.n == 0)
		note(v, ' ', "数据库结构（表、索引、视图、触发器共 %ld 个）与本程序的迁移脚本一致", expected);
	rows_free(&faults);
	return XF_OK;
}

/* The chain, whole or its tail; *proved is the last record the walk proved. */
static int check_chain(struct xf_store *st, int64_t from, struct xf_verify *v, struct xf_chain_walk *w,
                       struct xf_err *err)
{
	int rc = store_chain_walk(st, from, w, err);
	if (rc != XF_OK)
		return rc;
	if (w->outside > 0)
		note(v, 'x', "操作日志有 %lld 条编号小于 1 的记录（最大的是第 %lld 条）：校验链到不了它们，不是本程序写入的（伪造插入），"
		             "其中的快照和办理经过一概不予采信",
		     (long long)w->outside, (long long)w->outside_id);
	switch (w->fault) {
	case XF_CHAIN_GAP:
		note(v, 'x', "操作日志第 %lld 条记录缺失（被删除），下一条是第 %lld 条", (long long)w->missing_id,
		     (long long)w->fault_id);
		break;
	case XF_CHAIN_NOHASH:
		note(v, 'x', "操作日志第 %lld 条记录没有校验值：不是本程序写入的（伪造插入或校验值被抹去）", (long long)w->fault_id);
		break;
	case XF_CHAIN_BADHASH:
		note(v, 'x', "操作日志第 %lld 条记录的校验值不符：这条记录被改动或伪造，或它前面的记录被改动、删除",
		     (long long)w->fault_id);
		break;
	case XF_CHAIN_OK:
		if (from <= 1)
			note(v, ' ', "操作日志 %lld 条，校验链完整", (long long)w->records);
		else
			note(v, ' ', "操作日志最后 %lld 条的校验链完整", (long long)w->records);
		break;
	}
	return XF_OK;
}

/* The kind of store its trail fixed (production or training) against the setting now, and on a
 * production store every record's business time against its wall time. */
static int check_kind(struct xf_store *st, const struct xf_chain_walk *w, bool whole, struct xf_verify *v,
                      struct xf_err *err)
{
	struct xf_chain_kind kind;
	int rc = store_chain_kind(st, w->head.id, whole, &kind, err);
	if (rc != XF_OK)
		return rc;
	const char *fixed = kind.training ? "培训数据库" : "正式数据库";
	int failures = v->failures;
	if (kind.changed_id > 0)
		note(v, 'x', "操作日志第 %lld 条记录中设置 training 为“%s”，而本库在第 %lld 条记录中定为%s：库的类别被改过",
		     (long long)kind.changed_id, kind.changed_value, (long long)kind.fixed_id, fixed);
	char *now = NULL;
	if ((rc = store_setting_get(st, "training", &now, err)) != XF_OK)
		return rc;
	if (kind.fixed_id > 0 && (now != NULL && strcmp(now, "1") == 0) != kind.training) {
		char shown[64];
		show_value(now ? now : "（无）", shown, sizeof shown);
		note(v, 'x', "设置 training 现为“%s”，而本库在操作日志第 %lld 条记录中定为%s：有人在程序之外改了库的类别",
		     shown, (long long)kind.fixed_id, fixed);
	}
	free(now);
	if (!kind.training && w->skewed > 0)
		note(v, 'x', "正式数据库的操作日志有 %lld 条记录的业务时间不是实际时间（第一条是第 %lld 条：业务时间 %s，实际时间 %s）："
		             "正式库的日期只取系统时钟，这是有人把库临时改成培训库后用 --today 倒签或补记的",
		     (long long)w->skewed, (long long)w->skewed_id, w->skewed_at, w->skewed_wall);
	if (v->failures == failures && kind.training)
		note(v, ' ', "培训数据库（操作日志第 %lld 条记录所定），业务日期可以指定", (long long)kind.fixed_id);
	else if (v->failures == failures && kind.fixed_id > 0)
		note(v, ' ', "正式数据库（操作日志第 %lld 条记录所定），每条记录的业务时间都是实际时间", (long long)kind.fixed_id);
	else if (v->failures == failures)
		note(v, ' ', "正式数据库，每条记录的业务时间都是实际时间");
	return XF_OK;
}

/* The chain against the anchor: the anchored record still there with the anchored hash. */
static int check_anchor(struct xf_store *st, unsigned flags, const char *anchor_path,
                        const struct xf_chain_head *last, struct xf_verify *v, struct xf_err *err)
{
	struct xf_chain_head anchor;
	bool found;
	int rc = verify_anchor_read(anchor_path, &anchor, &found, err);
	if (rc != XF_OK) {
		note(v, 'x', "%s", err->msg);
		return XF_OK;
	}
	if (!found && (flags & XF_VERIFY_NEW_ANCHOR)) {
		note(v, '!', "库外锚点 %s 还没有：本次检查通过后建立（此后日志被整体改写或截断都能发现）", anchor_path);
		return XF_OK;
	}
	if (!found) {
		note(v, 'x', "库外锚点 %s 不见了（初始化时已建立）：可能有人删除它以掩盖改写。请对照系统日志里 xinfang "
		             "记下的锚点核实，再用 xinfang verify --new-anchor 重新建立",
		     anchor_path);
		return XF_OK;
	}
	if (anchor.id > last->id) {
		note(v, 'x', "操作日志被截断：库外锚点记到第 %lld 条，库中只到第 %lld 条", (long long)anchor.id,
		     (long long)last->id);
		return XF_OK;
	}
	char stored[65], computed[65];
	if ((rc = store_chain_record(st, anchor.id, stored, computed, &found, err)) != XF_OK)
		return rc;
	if (!found || strcmp(stored, anchor.hash) != 0)
		note(v, 'x', "操作日志第 %lld 条记录与库外锚点不符（锚点 %.12s…，库中 %.12s…）：日志被整体改写",
		     (long long)anchor.id, anchor.hash, found ? stored : "无");
	else
		note(v, ' ', "与库外锚点一致（第 %lld 条记录）", (long long)anchor.id);
	return XF_OK;
}

/* Today's year and the next loaded in the holiday calendar. */
static int check_calendar(struct xf_store *st, struct xf_verify *v, struct xf_err *err)
{
	struct xf_rows years;
	int rc = store_list(st, "calendar_years", NULL, NULL, &years, err);
	if (rc != XF_OK)
		return rc;
	int this_year = date_year(clock_today());
	bool have_this = false, have_next = false;
	for (size_t i = 0; i < years.n; i++) {
		int y = atoi(fields_str(&years.v[i], "year"));
		have_this = have_this || y == this_year;
		have_next = have_next || y == this_year + 1;
	}
	rows_free(&years);
	if (!have_this)
		note(v, 'x', "节假日日历没有今年（%d 年）：时限无法按工作日计算。请导入：xinfang calendar load %d.txt",
		     this_year, this_year);
	else if (!have_next)
		note(v, '!', "节假日日历没有明年（%d 年）：请在年底前导入 xinfang calendar load %d.txt", this_year + 1,
		     this_year + 1);
	else
		note(v, ' ', "节假日日历有 %d、%d 年", this_year, this_year + 1);
	return XF_OK;
}

/* The status bar's kept counts against a recount of the cases: counts written behind the
 * program's back would make the bar show figures no case stands for. */
static int check_counts(struct xf_store *st, struct xf_verify *v, struct xf_err *err)
{
	long differing = 0;
	int rc = store_pending_counts_check(st, &differing, err);
	if (rc != XF_OK)
		return rc;
	if (differing)
		note(v, 'x', "状态栏的时限计数有 %ld 处与事项不符：计数表被绕过程序改过。请管理员从备份恢复", differing);
	else
		note(v, ' ', "状态栏的时限计数与事项一致");
	return XF_OK;
}

/* The anchor file of a store on a server, which has no file to keep it beside: the
 * configuration's `anchor` when it names a file; when it names a directory (ending in /, or one
 * that exists; the default is the state directory), a file there named after the database (the
 * locator's hosts, port and database name: its characters other than letters, digits, . and -
 * as _, then a hash), so two databases never share one anchor and every account's locator of
 * one database (the owner's, a desk's, with or without target_session_attrs) finds the same.
 * An anchor an earlier version named after the whole locator is renamed to this name when there
 * is none by it yet (used where it is, should the rename fail). */
static char *server_anchor_path(const char *locator)
{
	const char *conf = config_get("anchor");
	size_t n = strlen(conf);
	struct stat sb;
	bool dir = n > 0 && (conf[n - 1] == '/' || (stat(conf, &sb) == 0 && S_ISDIR(sb.st_mode)));
	if (!dir)
		return xstrdup(conf);
	const char *sep = conf[n - 1] == '/' ? "" : "/";
	char *safe = store_locator_file_name(locator);
	char *path = xasprintf("%s%s%s.anchor", conf, sep, safe);
	free(safe);
	if (access(path, F_OK) != 0) {
		char *whole = store_locator_file_name_whole(locator);
		char *earlier = xasprintf("%s%s%s.anchor", conf, sep, whole);
		free(whole);
		if (access(earlier, F_OK) == 0 && rename(earlier, path) != 0) {
			free(path);
			return earlier;
		}
		free(earlier);
	}
	return path;
}

/* The anchor path beside a store (for a server's database, the configuration's). */
char *verify_anchor_path(const char *db_path)
{
	if (store_locator_is_server(db_path))
		return server_anchor_path(db_path);
	return xasprintf("%s.anchor", db_path);
}

/* Anchors the chain head of a freshly initialised store beside it; false when it could not. */
bool verify_anchor_init(struct xf_store *st)
{
	struct xf_chain_head head;
	struct xf_err err;
	char *path = verify_anchor_path(store_path(st));
	bool ok = store_chain_last(st, &head, &err) == XF_OK &&
	          verify_anchor_write(path, store_path(st), &head, "init", &err) == XF_OK;
	free(path);
	return ok;
}

/* Runs every check (or the quick ones) in one read transaction. */
static int run_checks(struct xf_store *st, unsigned flags, const char *anchor_path, struct xf_verify *v,
                      struct xf_err *err)
{
	int rc = store_chain_last(st, &v->head, err);
	if (rc != XF_OK)
		return rc;
	if (!(flags & XF_VERIFY_QUICK)) {
		char *problem;
		if ((rc = store_integrity(st, &problem, err)) != XF_OK)
			return rc;
		if (problem)
			note(v, 'x', "数据库文件损坏（integrity_check：%s）：请从备份恢复", problem);
		else if (store_locator_is_server(store_path(st))) /* the server checks its own pages */
			note(v, ' ', "数据库的数据页由 PostgreSQL 服务器自行校验（数据页校验和、amcheck 由数据库管理员安排）");
		else
			note(v, ' ', "数据库文件完好（integrity_check）");
		free(problem);
	}
	/* On a server the schema check runs the migrations into a scratch schema (a second
	 * connection, CREATE on the database, a second or so): the desk's quick check at start
	 * leaves it to the full verify (the nightly one, or an admin's). */
	if ((flags & XF_VERIFY_QUICK) && store_locator_is_server(store_path(st)))
		note(v, ' ', "数据库结构留给完整的 xinfang verify 核对（PostgreSQL 数据库）");
	else if ((rc = check_schema(st, v, err)) != XF_OK)
		return rc;
	int64_t from = flags & XF_VERIFY_QUICK ? v->head.id - DESK_TAIL + 1 : 1;
	struct xf_chain_walk walk;
	if ((rc = check_chain(st, from, v, &walk, err)) != XF_OK ||
	    (rc = check_kind(st, &walk, !(flags & XF_VERIFY_QUICK), v, err)) != XF_OK)
		return rc;
	if (!(flags & XF_VERIFY_QUICK)) {
		/* Only the records the walk proved are believed. */
		struct rows_ctx ctx = {st, v, 0};
		if ((rc = store_chain_rows_check(st, walk.head.id, on_row_fault, &ctx, &v->rows, err)) != XF_OK)
			return rc;
		if (ctx.faults > MAX_ROW_FAULTS)
			note(v, 'x', "另有 %ld 行与操作日志不符（只列出前 %d 行）", ctx.faults - MAX_ROW_FAULTS, MAX_ROW_FAULTS);
		if (ctx.faults == 0)
			note(v, ' ', "%ld 行事项、操作员、设置等与操作日志的重放一致", v->rows);
		if ((rc = check_calendar(st, v, err)) != XF_OK || (rc = check_counts(st, v, err)) != XF_OK)
			return rc;
	}
	if (anchor_path)
		rc = check_anchor(st, flags, anchor_path, &v->head, v, err);
	return rc;
}

/* Checks the store and moves the anchor when all holds. */
int verify_store(struct xf_store *st, unsigned flags, const char *anchor_path, struct xf_verify *out,
                 struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	buf_init(&out->text);
	char *own_anchor = anchor_path ? NULL : verify_anchor_path(store_path(st));
	const char *anchor = anchor_path ? anchor_path : own_anchor;
	int rc = store_read_begin(st, err);
	if (rc == XF_OK) {
		rc = run_checks(st, flags, anchor, out, err);
		store_read_end(st);
	}
	if (rc == XF_OK && out->failures == 0 && !(flags & (XF_VERIFY_KEEP_ANCHOR | XF_VERIFY_QUICK)) &&
	    out->head.id > 0) {
		struct xf_err werr;
		if (verify_anchor_write(anchor, store_path(st), &out->head, "verify", &werr) == XF_OK) {
			out->anchor_written = true;
			out->anchor_logged = verify_syslog_reachable();
		}
		else
			note(out, '!', "%s", werr.msg);
	}
	free(own_anchor);
	return rc;
}

/* Verify for a logged-in head or admin. */
int verify_session(struct xf_session *s, unsigned flags, struct xf_verify *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out); /* an empty report: verify_free is safe on it */
	if (!auth_require(s, XF_MAY(XF_ROLE_HEAD), "核验数据库", err))
		return err->code;
	if (branch_require_whole(s, "核验数据库", err) != XF_OK)
		return err->code;
	return verify_store(s->st, flags, NULL, out, err);
}

/* Frees a report. */
void verify_free(struct xf_verify *v)
{
	buf_free(&v->text);
}

/* The quick check at the desk's start. */
bool verify_desk_check(struct xf_store *st, char *msg, size_t size)
{
	struct xf_verify v;
	struct xf_err err;
	xf_err_clear(&err);
	int rc = verify_store(st, XF_VERIFY_QUICK, NULL, &v, &err);
	bool ok = rc == XF_OK && v.failures == 0;
	if (rc != XF_OK)
		snprintf(msg, size, "数据库核验未能完成：%s", err.msg);
	else if (!ok)
		snprintf(msg, size, "数据库核验未通过，请管理员运行 xinfang verify：%s", v.first);
	verify_free(&v);
	return ok;
}

/* Reads "id N" and "hash H" lines of an anchor file. */
int verify_anchor_read(const char *anchor_path, struct xf_chain_head *head, bool *found, struct xf_err *err)
{
	memset(head, 0, sizeof *head);
	*found = false;
	FILE *f = fopen(anchor_path, "r");
	if (f == NULL) {
		if (errno == ENOENT)
			return XF_OK;
		return xf_err_set(err, XF_EIO, "无法读取库外锚点 %s：%s", anchor_path, strerror(errno));
	}
	char line[256];
	bool have_id = false;
	while (fgets(line, sizeof line, f)) {
		long long id;
		char hash[80];
		if (sscanf(line, "id %lld", &id) == 1) {
			head->id = id;
			have_id = true;
		} else if (sscanf(line, "hash %70s", hash) == 1) {
			if (strlen(hash) < sizeof head->hash)
				memcpy(head->hash, hash, strlen(hash) + 1);
		}
	}
	fclose(f);
	if (!have_id || strlen(head->hash) != 64)
		return xf_err_set(err, XF_EINVAL, "库外锚点 %s 内容不对（应有 id 和 hash 两行）：锚点被改动过", anchor_path);
	*found = true;
	return XF_OK;
}

/* True when the system log takes messages: something listens on its socket (/dev/log). */
bool verify_syslog_reachable(void)
{
	static const int types[] = {SOCK_DGRAM, SOCK_STREAM};
	struct sockaddr_un addr;
	memset(&addr, 0, sizeof addr);
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, _PATH_LOG, sizeof _PATH_LOG);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		int fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		bool ok = connect(fd, (const struct sockaddr *)&addr, sizeof addr) == 0;
		close(fd);
		if (ok)
			return true;
	}
	return false;
}

/* Writes the anchor file atomically, with the owner, group and mode of the store it anchors
 * (so one written by root stays the office's), and the head to syslog. */
int verify_anchor_write(const char *anchor_path, const char *db_path, const struct xf_chain_head *head,
                        const char *why, struct xf_err *err)
{
	char wall[32];
	clock_wall_now(wall);
	struct xf_outfile out;
	int rc = fileperm_out_begin(&out, anchor_path, "库外锚点", 0, db_path, err);
	if (rc == XF_OK) {
		char *text = xasprintf("# xinfang 操作日志锚点：%s 最后一条记录的编号和校验值（%s，%s）\nid %lld\nhash %s\n",
		                       db_path, why, wall, (long long)head->id, head->hash);
		size_t len = strlen(text);
		if (write(out.fd, text, len) != (ssize_t)len) {
			rc = fileperm_write_error(err, errno != 0 ? errno : ENOSPC, "库外锚点", anchor_path);
			fileperm_out_abort(&out);
		} else {
			rc = fileperm_out_commit(&out, err);
		}
		free(text);
	}
	openlog("xinfang", LOG_PID, LOG_USER);
	syslog(LOG_NOTICE, "audit chain head of %s (%s): id=%lld hash=%s", db_path, why, (long long)head->id, head->hash);
	closelog();
	return rc;
}

/* Backs up the store for a logged-in head or admin. */
int verify_backup(struct xf_session *s, const char *file, struct xf_chain_head *head, struct xf_err *err)
{
	memset(head, 0, sizeof *head);
	if (!auth_require(s, XF_MAY(XF_ROLE_HEAD), "备份数据库", err))
		return err->code;
	if (branch_require_whole(s, "备份数据库", err) != XF_OK)
		return err->code;
	return verify_backup_store(s->st, file, head, err);
}

/* Backs up the store and anchors the head it copied. */
int verify_backup_store(struct xf_store *st, const char *file, struct xf_chain_head *head, struct xf_err *err)
{
	memset(head, 0, sizeof *head);
	/* A backup is never left without its anchor: a symlink where the anchor goes is refused
	 * before anything is copied. */
	char *own = verify_anchor_path(file);
	struct stat sb;
	int rc = lstat(own, &sb) == 0 && S_ISLNK(sb.st_mode) ? fileperm_write_error(err, ELOOP, "库外锚点", own)
	                                                         : store_backup(st, file, err);
	if (rc != XF_OK) {
		free(own);
		return rc;
	}
	/* The head is read from the copy: exactly what the backup holds. */
	struct xf_store *copy;
	if ((rc = store_open(file, &copy, err)) == XF_OK) {
		rc = store_chain_last(copy, head, err);
		store_close(copy);
	}
	if (rc == XF_OK && head->id != 0)
		rc = verify_anchor_write(own, file, head, "backup", err);
	free(own);
	if (rc != XF_OK) {
		unlink(file); /* made just now (never over an existing file): no backup without its anchor */
		return rc;
	}
	if (head->id == 0)
		return XF_OK;
	/* The live anchor moves only forward: a later verify may already have moved it. */
	char *live = verify_anchor_path(store_path(st));
	struct xf_chain_head old;
	bool found;
	struct xf_err rerr;
	if (rc == XF_OK && (verify_anchor_read(live, &old, &found, &rerr) != XF_OK || !found || old.id <= head->id))
		rc = verify_anchor_write(live, store_path(st), head, "backup", err);
	free(live);
	return rc;
}

/* Checks a backup before it is restored: readable, of this program's version, passing verify
 * against its own anchor (the report in *report) and, when live is given, a backup of that
 * very store (setup_restore_same). */
static int restore_check(struct xf_store *live, const char *file, struct xf_verify *report, struct xf_err *err)
{
	if (access(file, R_OK) != 0)
		return xf_err_set(err, XF_ENOTFOUND, "备份文件 %s 无法读取：%s", file, strerror(errno));
	struct xf_store *backup;
	int rc = store_open(file, &backup, err);
	if (rc != XF_OK)
		return rc;
	int version = 0;
	if ((rc = store_version(backup, &version, err)) == XF_OK && version != store_latest_version())
		rc = xf_err_set(err, XF_EINVAL, "备份文件 %s 的数据库版本是 %d，本程序是 %d：请用同一版本的 xinfang 恢复", file,
		                version, store_latest_version());
	char *backup_anchor = verify_anchor_path(file);
	if (rc == XF_OK)
		rc = verify_store(backup, XF_VERIFY_NO_ANCHOR | XF_VERIFY_KEEP_ANCHOR, backup_anchor, report, err);
	free(backup_anchor);
	if (rc == XF_OK && report->failures > 0)
		rc = xf_err_set(err, XF_EINVAL, "备份文件 %s 未通过核验，不予恢复：%s", file, report->first);
	if (rc == XF_OK && live != NULL)
		rc = setup_restore_same(live, backup, file, err);
	store_close(backup);
	return rc;
}

/* Copies the store aside to <db>.before-restore-<time> (-2, -3, … when that name is taken: two
 * restores in one second). */
static int restore_aside(struct xf_store *st, char **aside, struct xf_err *err)
{
	char wall[32];
	clock_wall_now(wall);
	for (char *p = wall; *p; p++)
		if (*p == ':' || *p == '+')
			*p = '-';
	int rc = XF_EEXIST;
	for (int n = 1; n < 1000 && rc == XF_EEXIST; n++) {
		free(*aside);
		*aside = n == 1 ? xasprintf("%s.before-restore-%s", store_path(st), wall)
		                : xasprintf("%s.before-restore-%s-%d", store_path(st), wall, n);
		rc = store_backup(st, *aside, err);
	}
	return rc;
}

/* Records 从备份恢复 in the restored store's trail and moves its anchor to it. */
static int restore_record(struct xf_session *s, const char *file, const char *aside, struct xf_err *err)
{
	struct xf_fields what;
	fields_init(&what);
	fields_set(&what, "file", file);
	if (aside)
		fields_set(&what, "aside", aside);
	char *after = audit_json(&what);
	fields_free(&what);
	int rc = store_audit(s->st, s->op.name, "restore", 0, NULL, after, err);
	free(after);
	if (rc != XF_OK)
		return rc;
	struct xf_chain_head head;
	if ((rc = store_chain_last(s->st, &head, err)) != XF_OK)
		return rc;
	char *live = verify_anchor_path(store_path(s->st));
	rc = verify_anchor_write(live, store_path(s->st), &head, "restore", err);
	free(live);
	return rc;
}

/* Restores a verified backup in the store's place, keeping the current one aside. */
int verify_restore(struct xf_session *s, const char *file, struct xf_verify *report, char **aside,
                   struct xf_err *err)
{
	memset(report, 0, sizeof *report);
	*aside = NULL;
	if (!auth_require(s, 0, "从备份恢复数据库", err) || branch_require_whole(s, "从备份恢复数据库", err) != XF_OK)
		return err->code;
	int rc = restore_check(s->st, file, report, err);
	if (rc != XF_OK)
		return rc;
	if ((rc = restore_aside(s->st, aside, err)) != XF_OK)
		return rc;
	if ((rc = store_restore(s->st, file, err)) != XF_OK)
		return rc;
	return restore_record(s, file, *aside, err);
}

/* Restores a backup where there is no store yet (a new machine): the verified backup becomes
 * the store at path (never replacing a file), and an admin account of the backup, logged in
 * with user and password, records it. On failure nothing is left at path. */
int verify_restore_new(const char *path, const char *file, const char *user, const char *password,
                       struct xf_verify *report, struct xf_err *err)
{
	memset(report, 0, sizeof *report);
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return xf_err_set(err, XF_EEXIST, "数据库 %s 已存在：请登录后在它上面恢复（只接受它自己的备份）", path);
	int rc = restore_check(NULL, file, report, err);
	struct xf_store *backup = NULL;
	if (rc == XF_OK && (rc = store_open(file, &backup, err)) == XF_OK) {
		rc = store_backup(backup, path, err);
		store_close(backup);
	}
	if (rc == XF_EEXIST && store_locator_is_server(path))
		return xf_err_set(err, XF_EEXIST,
		                  "数据库 %s 里已有记录，未恢复，原有记录未动：备份只能恢复到新建的空数据库，请数据库管理员新建一个后再试",
		                  path);
	if (rc != XF_OK)
		return rc == XF_EEXIST ? xf_err_set(err, XF_EEXIST, "数据库 %s 刚被别处建好，未恢复：请确认后再试", path) : rc;
	struct xf_store *st = NULL;
	struct xf_session s;
	memset(&s, 0, sizeof s);
	rc = setup_open(path, &st, err);
	if (rc == XF_OK)
		rc = auth_login(st, user, password, &s, err);
	if (rc == XF_OK && (!auth_require(&s, 0, "从备份恢复数据库", err) ||
	                    branch_require_whole(&s, "从备份恢复数据库", err) != XF_OK))
		rc = err->code;
	if (rc == XF_OK)
		rc = restore_record(&s, file, NULL, err);
	session_close(&s);
	store_close(st);
	if (rc != XF_OK) {
		/* Made by this command a moment ago: a refused login leaves no store behind. */
		static const char *const suffixes[] = {"", "-wal", "-shm", ".anchor"};
		for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
			char *p = xasprintf("%s%s", path, suffixes[i]);
			unlink(p);
			free(p);
		}
	}
	return rc;
}

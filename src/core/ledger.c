/* The ledger (台账): export of a period's cases as CSV or XLSX, import of an Excel ledger saved
 * as CSV. The columns are one table below; export writes them, import matches them by header. */
#include "xinfang/ledger.h"
#include "xinfang/fileperm.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

#include "sha256.h"
#include "xinfang/audit.h"
#include "xinfang/calendar.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/branch.h"
#include "xinfang/csv.h"
#include "xinfang/field.h"
#include "xinfang/identity.h"
#include "xinfang/jrt.h"
#include "xinfang/limits.h"
#include "xinfang/store_ledger.h"
#include "xinfang/text.h"
#include "xlsx_libs.h" /* last: it turns the library's names into its table's */

/* How a column's value is written (XLSX types) and read back. */
enum col_kind {
	K_TEXT,     /* one line */
	K_LONG,     /* several lines */
	K_DATE,     /* YYYY-MM-DD: a date cell in XLSX */
	K_DATETIME, /* YYYY-MM-DD HH:MM:SS */
	K_TIME,     /* HH:MM */
	K_INT,      /* a number cell */
	K_AMOUNT,   /* 元, a number cell with two decimals */
	K_FLAG,     /* stored 1/0, shown 是/否 */
	K_STATE,    /* stored as the key, shown as the Chinese name */
};

const struct xf_ledger_column xf_ledger_columns[] = {
	{"number", "编号", "信访编号|事项编号|登记编号|投诉编号|案件编号", K_TEXT},
	{"received", "收件日期", "收件时间|登记日期|受理日期|来信来访日期|投诉日期|接收日期|日期", K_DATE},
	{"received_time", "收件时刻", "来访时间|来电时间|时刻", K_TIME},
	{"channel", "来源渠道", "渠道|来源|信访方式|投诉渠道|反映渠道|信访形式", K_TEXT},
	{"name", "姓名", "信访人|信访人姓名|投诉人|投诉人姓名|客户姓名|来访人|反映人", K_TEXT},
	{"gender", "性别", "", K_TEXT},
	{"age", "年龄", "", K_INT},
	{"id_type", "证件类型", "证件种类|证件名称", K_TEXT},
	{"id_number", "证件号码", "身份证号|身份证号码|身份证|公民身份号码|证件号", K_TEXT},
	{"phone", "联系电话", "电话|手机|手机号码|联系方式|电话号码", K_TEXT},
	{"address", "住址", "地址|家庭住址|联系地址|通讯地址", K_TEXT},
	{"work_unit", "工作单位", "单位|所在单位", K_TEXT},
	{"people", "人数", "来访人数|信访人数", K_INT},
	{"anonymous", "匿名", "是否匿名", K_FLAG},
	{"confidential", "保密", "是否保密|要求保密", K_FLAG},
	{"subject", "被投诉单位或个人", "被投诉对象|被投诉人|被投诉单位|投诉对象|被反映人", K_TEXT},
	{"accused", "被投诉人员", "被投诉员工|涉事员工|被投诉工作人员", K_TEXT},
	{"category", "类别", "投诉类别|事项类别|分类|问题类别|信访类别", K_TEXT},
	{"amount", "涉及金额（元）", "金额|涉及金额|金额（元）|涉案金额|涉及金额（万元）", K_AMOUNT},
	{"summary", "基本事实和请求", "信访内容|投诉内容|主要内容|反映内容|反映问题|事由|内容摘要|信访事项|诉求|投诉事项",
	 K_LONG},
	{"materials", "收到材料（份）", "材料|材料份数|材料（份）", K_INT},
	{"first_asked", "首问责任人", "首问人|首问负责人", K_TEXT},
	{"receiver", "接收人", "接待人|受理人|接待人员", K_TEXT},
	{"importance", "重要程度", "是否重要", K_TEXT},
	{"spot_answer", "当场答复内容", "当场答复", K_LONG},
	{"jrt_channel", "业务渠道（JR/T 0169）", "业务渠道|业务办理渠道|投诉业务办理渠道", K_TEXT},
	{"jrt_type", "业务类型（JR/T 0169）", "业务类型|投诉业务类型|业务类别", K_TEXT},
	{"jrt_cause", "投诉原因（JR/T 0169）", "投诉原因", K_TEXT},
	{"state", "状态", "办理状态|当前状态|处理状态", K_STATE},
	{"closure", "结案方式", "办结方式", K_TEXT},
	{"department", "承办部门", "主办部门|办理部门|责任部门|转办部门|处理部门", K_TEXT},
	{"co_departments", "协办部门", "", K_TEXT},
	{"transfer_handler", "承办人", "", K_TEXT},
	{"instruction", "领导批示", "批示内容|批示意见", K_LONG},
	{"leader", "批示领导", "", K_TEXT},
	{"instructed_on", "批示日期", "", K_DATE},
	{"opinion", "办公室意见", "拟办意见", K_LONG},
	{"deadline", "办理期限", "转办期限|要求办结日期", K_DATE},
	{"transferred_on", "转办日期", "批转日期", K_DATE},
	{"findings", "调查核实情况", "处理结果|办理结果|处理情况|调查情况|办理情况", K_LONG},
	{"accountability", "责任人员处理情况", "责任追究", K_LONG},
	{"rectification", "整改措施", "整改情况", K_LONG},
	{"satisfaction", "满意程度", "满意度|信访人满意程度|是否满意|客户满意度", K_TEXT},
	{"handled_on", "办理日期", "处理日期", K_DATE},
	{"outcome_handler", "经办人", "处理人", K_TEXT},
	{"dept_head", "部门负责人", "", K_TEXT},
	{"contact_phone", "承办联系电话", "经办人电话", K_TEXT},
	{"reported_on", "报结日期", "", K_DATE},
	{"reply_method", "答复方式", "回复方式|反馈方式", K_TEXT},
	{"replied_on", "答复日期", "回复日期|反馈日期", K_DATE},
	{"reply_content", "答复内容", "回复内容|反馈内容|答复意见", K_LONG},
	{"closed_on", "结案日期", "办结日期|办结时间|结案时间", K_DATE},
	{"closure_reason", "结案说明", "", K_LONG},
	{"advice", "告知的途径和建议", "", K_LONG},
	{"voluntary", "是否自愿撤诉", "", K_TEXT},
	{"due_transfer", "转办时限", "批转时限", K_DATE},
	{"due_handle", "办理时限（周限）", "周限|办理时限|办结时限", K_DATE},
	{"due_reply", "答复时限（月限）", "月限|答复时限|回复时限", K_DATE},
	{"orig_due_handle", "原定办理时限", "", K_DATE},
	{"orig_due_reply", "原定答复时限", "", K_DATE},
	{"ruleset", "时限规则集", "", K_TEXT},
	{"due_estimated", "时限为估算", "", K_FLAG},
	{"links", "关联编号", "重复信访关联|关联事项", K_TEXT},
	{"created_by", "登记人", "录入人", K_TEXT},
	{"created_at", "登记时间", "录入时间", K_DATETIME},
};
const size_t xf_ledger_column_count = sizeof xf_ledger_columns / sizeof xf_ledger_columns[0];
#define NCOLS (sizeof xf_ledger_columns / sizeof xf_ledger_columns[0])

/* Index of a column key in the table; -1 when unknown. A small hash table built on first use
 * keeps this cheap: an import asks it a hundred times a row. */
static int column_index(const char *key)
{
	static int slots[256];
	static bool built;
	if (!built) {
		for (size_t i = 0; i < 256; i++)
			slots[i] = -1;
		for (size_t i = 0; i < NCOLS; i++) {
			unsigned h = 2166136261u;
			for (const char *p = xf_ledger_columns[i].key; *p; p++)
				h = (h ^ (unsigned char)*p) * 16777619u;
			while (slots[h & 255] >= 0)
				h++;
			slots[h & 255] = (int)i;
		}
		built = true;
	}
	unsigned h = 2166136261u;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (; slots[h & 255] >= 0; h++)
		if (strcmp(xf_ledger_columns[slots[h & 255]].key, key) == 0)
			return slots[h & 255];
	return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Export */

/* The state of one export run. */
struct exporter {
	const struct xf_export *opts;
	struct xf_session *s;
	char *escaped[NCOLS]; /* the row's values that needed escaping, freed after the row */
	int map[NCOLS]; /* scan column of each ledger column */
	bool mapped;
	FILE *out;
	struct xf_outfile file; /* the file being written, renamed into place when complete */
	bool have_file;
	bool gb18030;
	struct xf_buf chunk; /* UTF-8 rows waiting to be converted and written */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date_fmt, *datetime_fmt, *amount_fmt, *header_fmt, *wrap_fmt;
	long rows, total;
	long beyond_gbk; /* four-byte GB18030 sequences written */
	struct xf_err *err;
	struct xf_branch *branches; /* a store of several branches: those in reach, for the 分支机构
	                               column after the others; NULL for one office (its columns as ever) */
	size_t nbranches;
	int branch_col; /* the scan's column of the case's branch id */
};

/* The header of the column a store of several branches adds after the others. */
#define BRANCH_HEADER "分支机构"

/* A branch as the 分支机构 column names it: "BJ01 北京分行" (the name alone without a code). */
static const char *branch_label(const struct exporter *x, const char *id, char *out, size_t n)
{
	long long want = atoll(id);
	*out = '\0';
	for (size_t i = 0; i < x->nbranches; i++)
		if (x->branches[i].id == want) {
			snprintf(out, n, "%s%s%s", x->branches[i].code, *x->branches[i].code ? " " : "", x->branches[i].name);
			break;
		}
	return out;
}

/* Sets the 分支机构 column up when the store keeps more than one branch: the branches in
 * reach, for their names. */
static int branch_column(struct exporter *x)
{
	struct xf_rows all;
	int rc = store_list(x->s->st, "branches", NULL, NULL, &all, x->err);
	if (rc != XF_OK)
		return rc;
	size_t n = all.n;
	rows_free(&all);
	if (n > 1)
		rc = branch_list(x->s, &x->branches, &x->nbranches, x->err);
	return rc;
}

/* Counts GB18030's four-byte sequences (the characters GBK does not have) in converted text. */
static long four_byte_sequences(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	long n = 0;
	for (size_t i = 0; i < len;) {
		if (p[i] < 0x80) {
			i++;
		} else if (i + 1 < len && p[i + 1] >= 0x30 && p[i + 1] <= 0x39) {
			n++;
			i += 4;
		} else {
			i += 2;
		}
	}
	return n;
}

/* The shown value of a column: flags as 是/否, states by their Chinese names. */
static const char *shown_value(int kind, const char *v)
{
	if (kind == K_FLAG)
		return strcmp(v, "1") == 0 ? "是" : "否";
	if (kind == K_STATE) {
		int st = case_state_parse(v);
		return st >= 0 ? case_state_label((enum xf_state)st) : v;
	}
	return v;
}

/* Converts and writes the waiting CSV text. */
static int flush_chunk(struct exporter *x)
{
	if (x->chunk.len == 0)
		return XF_OK;
	const char *data = x->chunk.data;
	size_t len = x->chunk.len;
	char *conv = NULL;
	if (x->gb18030) {
		size_t bad = 0;
		if (text_convert(data, len, "GB18030", &conv, &len, &bad) != XF_OK)
			return xf_err_set(x->err, XF_EINVAL, "第 %ld 行附近有无法转成 GB18030 的内容：请改用 --encoding UTF-8", x->rows);
		data = conv;
		x->beyond_gbk += four_byte_sequences(conv, len);
	}
	size_t wrote = fwrite(data, 1, len, x->out);
	int saved = errno;
	free(conv);
	x->chunk.len = 0;
	x->chunk.data[0] = '\0';
	if (wrote != len)
		return fileperm_write_error(x->err, saved, "台账文件", x->opts->path);
	return XF_OK;
}

/* Finds where each ledger column is in the scan's columns. */
static int map_columns(struct exporter *x, int ncols, const char *const *names)
{
	for (size_t i = 0; i < NCOLS; i++) {
		x->map[i] = -1;
		for (int k = 0; k < ncols; k++)
			if (strcmp(names[k], xf_ledger_columns[i].key) == 0)
				x->map[i] = k;
		if (x->map[i] < 0)
			return xf_err_set(x->err, XF_EINVAL, "内部错误：台账查询缺少 %s", xf_ledger_columns[i].key);
	}
	x->branch_col = -1;
	for (int k = 0; k < ncols; k++)
		if (strcmp(names[k], "branch") == 0)
			x->branch_col = k;
	if (x->branches && x->branch_col < 0)
		return xf_err_set(x->err, XF_EINVAL, "内部错误：台账查询缺少 branch");
	x->mapped = true;
	return XF_OK;
}

/* Writes a date (and time) cell, or the text when it is not one. */
static void xlsx_date(struct exporter *x, lxw_row_t row, lxw_col_t col, const char *v, bool with_time)
{
	int y, m, d, hh = 0, mm = 0, ss = 0;
	int n = sscanf(v, "%4d-%2d-%2d %2d:%2d:%2d", &y, &m, &d, &hh, &mm, &ss);
	if (n < 3 || !date_valid(y, m, d)) {
		worksheet_write_string(x->ws, row, col, v, NULL);
		return;
	}
	lxw_datetime dt = {y, m, d, hh, mm, (double)ss};
	worksheet_write_datetime(x->ws, row, col, &dt, with_time ? x->datetime_fmt : x->date_fmt);
}

/* The value as every output writes stored text: control characters and direction marks
 * escaped as \u001b (text_escape, the rule of messages and printed slips); newlines and tabs
 * kept in the multi-line columns only, as the forms and import allow them. An escaped copy
 * stays in x->escaped[i] until the row is written. */
static const char *safe_value(struct exporter *x, size_t i, const char *v)
{
	bool keep_layout = xf_ledger_columns[i].kind == K_LONG;
	if (!text_needs_escape(v, keep_layout))
		return v;
	x->escaped[i] = text_escape(v, keep_layout);
	return x->escaped[i];
}

/* Frees the escaped copies of the row just written. */
static void free_escaped(struct exporter *x)
{
	for (size_t i = 0; i < NCOLS; i++) {
		free(x->escaped[i]);
		x->escaped[i] = NULL;
	}
}

/* Writes one case as a CSV line or an XLSX row. */
static int export_row(void *ctx, int ncols, const char *const *names, const char *const *values)
{
	struct exporter *x = ctx;
	if (!x->mapped && map_columns(x, ncols, names) != XF_OK)
		return XF_EINVAL;
	if (x->wb) {
		lxw_row_t row = (lxw_row_t)(x->rows + 1);
		for (size_t i = 0; i < NCOLS; i++) {
			const char *v = safe_value(x, i, values[x->map[i]]);
			int kind = xf_ledger_columns[i].kind;
			lxw_col_t col = (lxw_col_t)i;
			if (*v == '\0' && kind != K_FLAG)
				continue;
			if (kind == K_DATE || kind == K_DATETIME)
				xlsx_date(x, row, col, v, kind == K_DATETIME);
			else if (kind == K_INT && strspn(v, "0123456789") == strlen(v))
				worksheet_write_number(x->ws, row, col, atof(v), NULL);
			else if (kind == K_AMOUNT && strspn(v, "0123456789.") == strlen(v))
				worksheet_write_number(x->ws, row, col, atof(v), x->amount_fmt);
			else /* text cells, never formulas, whatever the text starts with */
				worksheet_write_string(x->ws, row, col, shown_value(kind, v), NULL);
		}
	} else {
		for (size_t i = 0; i < NCOLS; i++)
			csv_put_field(&x->chunk, shown_value(xf_ledger_columns[i].kind, safe_value(x, i, values[x->map[i]])), i == 0);
	}
	if (x->branches) {
		char label[160];
		branch_label(x, values[x->branch_col], label, sizeof label);
		if (x->wb)
			worksheet_write_string(x->ws, (lxw_row_t)(x->rows + 1), (lxw_col_t)NCOLS, label, NULL);
		else
			csv_put_field(&x->chunk, label, false);
	}
	if (!x->wb)
		csv_end_record(&x->chunk);
	free_escaped(x);
	if (!x->wb && x->chunk.len > (1u << 18) && flush_chunk(x) != XF_OK)
		return XF_EIO;
	x->rows++;
	if (x->opts->progress && x->rows % 1000 == 0)
		x->opts->progress(x->opts->progress_ctx, x->rows, x->total);
	return 0;
}

/* Sets the workbook up: formats, the header row (frozen), column widths. */
static int xlsx_start(struct exporter *x)
{
	lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
	int loaded = xlsx_libs_load(x->err);
	if (loaded != XF_OK)
		return loaded;
	/* The library opens the file by its name again: it is made first, with the office's mode
	 * (which the library's fopen keeps), in a private directory no other account can change,
	 * and only the finished workbook takes the name asked for. */
	int rc = fileperm_out_begin(&x->file, x->opts->path, "台账文件", XF_OUT_BY_NAME, NULL, x->err);
	if (rc != XF_OK)
		return rc;
	x->have_file = true;
	errno = 0;
	x->wb = workbook_new_opt(x->file.tmp, &options);
	if (x->wb == NULL)
		return fileperm_write_error(x->err, errno != 0 ? errno : EIO, "台账文件", x->opts->path);
	x->ws = workbook_add_worksheet(x->wb, "台账");
	x->date_fmt = workbook_add_format(x->wb);
	format_set_num_format(x->date_fmt, "yyyy-mm-dd");
	x->datetime_fmt = workbook_add_format(x->wb);
	format_set_num_format(x->datetime_fmt, "yyyy-mm-dd hh:mm:ss");
	x->amount_fmt = workbook_add_format(x->wb);
	format_set_num_format(x->amount_fmt, "0.00");
	x->header_fmt = workbook_add_format(x->wb);
	format_set_bold(x->header_fmt);
	worksheet_freeze_panes(x->ws, 1, 0);
	for (size_t i = 0; i < NCOLS; i++) {
		int kind = xf_ledger_columns[i].kind;
		double width = kind == K_LONG ? 40 : kind == K_DATE ? 12 : kind == K_DATETIME ? 20 : 14;
		if (strcmp(xf_ledger_columns[i].key, "number") == 0 || strcmp(xf_ledger_columns[i].key, "id_number") == 0)
			width = 20;
		worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, width, NULL);
		worksheet_write_string(x->ws, 0, (lxw_col_t)i, xf_ledger_columns[i].header, x->header_fmt);
	}
	if (x->branches) {
		worksheet_set_column(x->ws, (lxw_col_t)NCOLS, (lxw_col_t)NCOLS, 20, NULL);
		worksheet_write_string(x->ws, 0, (lxw_col_t)NCOLS, BRANCH_HEADER, x->header_fmt);
	}
	return XF_OK;
}

/* Refuses a file name whose extension says another format than the one written: Excel opens
 * a file by its name, and CSV bytes in x.xls or a workbook in y.csv open as garbage or not at
 * all. A CSV may be named .csv, .txt or anything that is not a spreadsheet's or document's
 * name; a workbook only .xlsx. */
static int check_extension(const char *path, enum xf_ledger_format format, struct xf_err *err)
{
	if (format == XF_LEDGER_XLSX)
		return fileperm_check_extension(path, "xlsx", true, "Excel 工作簿（--format xlsx）", "要 CSV 请用 --format csv",
		                                err);
	return fileperm_check_extension(path, "csv", false, " CSV", "请存为 .csv 文件，或用 --format xlsx 存为 .xlsx 工作簿",
	                                err);
}

/* Exports a period's cases. */
int ledger_export(struct xf_session *s, const struct xf_export *opts, long *rows, struct xf_err *err)
{
	*rows = 0;
	/* The ledger holds every department's cases and every petitioner's identity in full: it
	 * is the office's record, so only the office exports it (a handler's cases are on the desk's
	 * lists and in search, masked as mask.c says). */
	unsigned office = XF_MAY(XF_ROLE_OPERATOR) | XF_MAY(XF_ROLE_HEAD) | XF_MAY(XF_ROLE_ADMIN) | XF_MAY(XF_ROLE_SUPERVISOR);
	if ((office & XF_MAY(s->op.role)) == 0)
		return xf_err_set(err, XF_EDENIED,
		                  "%s（%s）不能导出台账：台账载有各部门的全部事项和信访人身份，只有办公室的接待员、办公室主任、管理员可以导出。"
		                  "本部门的事项请在工作台“事项列表”“查找”中查看（命令行 xinfang search dept=%s）；需要台账文件请找办公室导出",
		                  s->op.name, auth_role_label(s->op.role), str_empty(s->op.department) ? "部门" : s->op.department);
	int d;
	if (opts->since && date_parse(opts->since, &d, NULL) != XF_OK)
		return xf_err_set(err, XF_EINVAL, "起始日期“%s”不对：应写成 YYYY-MM-DD", opts->since);
	if (opts->until && date_parse(opts->until, &d, NULL) != XF_OK)
		return xf_err_set(err, XF_EINVAL, "截止日期“%s”不对：应写成 YYYY-MM-DD", opts->until);
	if (opts->since && opts->until && strcmp(opts->since, opts->until) > 0)
		return xf_err_set(err, XF_EINVAL, "起始日期 %s 晚于截止日期 %s", opts->since, opts->until);
	const char *enc = opts->encoding ? opts->encoding : "GB18030";
	bool gb = strcasecmp(enc, "GB18030") == 0, utf8 = strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0;
	if (opts->format == XF_LEDGER_CSV && !gb && !utf8)
		return xf_err_set(err, XF_EINVAL,
		                  "编码“%s”不支持：台账 CSV 可用 GB18030（Excel 双击即可打开；它包含 GBK 的全部字，"
		                  "还能写下 GBK 没有的 𠮷 等字）或 UTF-8",
		                  enc);
	if (str_empty(opts->path))
		return xf_err_set(err, XF_EINVAL, "请用 --to 文件 指明台账写到哪里");
	if (opts->format == XF_LEDGER_XLSX && strcmp(opts->path, "-") == 0)
		return xf_err_set(err, XF_EINVAL, "XLSX 台账须写入文件：请用 --to 文件.xlsx");
	if (check_extension(opts->path, opts->format, err) != XF_OK)
		return err->code;
	struct exporter x;
	memset(&x, 0, sizeof x);
	x.opts = opts;
	x.s = s;
	x.err = err;
	x.gb18030 = gb;
	buf_init(&x.chunk);
	/* The cases in the account's reach, or of the one branch asked for. */
	int64_t branch = 0;
	struct xf_reach reach;
	int rc = branch_filter(s, opts->branch, &branch, err);
	if (branch) {
		reach.branch = branch;
		reach.path = NULL;
	} else {
		branch_reach(s, &reach);
	}
	if (rc == XF_OK)
		rc = branch_column(&x);
	if (rc == XF_OK)
		rc = store_ledger_count(s->st, &reach, opts->since, opts->until, NULL, &x.total, err);
	if (rc == XF_OK && opts->format == XF_LEDGER_XLSX && x.total >= 1048576)
		rc = xf_err_set(err, XF_EINVAL, "这段时间有 %ld 件，超过 Excel 一张表的 1048575 行：请缩短时间段分几次导出，或导出 CSV",
		                x.total);
	if (rc == XF_OK && opts->format == XF_LEDGER_XLSX) {
		rc = xlsx_start(&x);
	} else if (rc == XF_OK) {
		if (strcmp(opts->path, "-") == 0) {
			x.out = stdout;
		} else if ((rc = fileperm_out_begin(&x.file, opts->path, "台账文件", 0, NULL, err)) == XF_OK) {
			/* Written beside the name and renamed when complete: never a partial ledger. */
			x.have_file = true;
			x.out = fdopen(x.file.fd, "wb");
			if (x.out == NULL)
				rc = fileperm_write_error(err, errno, "台账文件", opts->path);
		}
		if (rc == XF_OK && utf8)
			buf_add(&x.chunk, "\xEF\xBB\xBF", 3);
		for (size_t i = 0; rc == XF_OK && i < NCOLS; i++)
			csv_put_field(&x.chunk, xf_ledger_columns[i].header, i == 0);
		if (rc == XF_OK && x.branches)
			csv_put_field(&x.chunk, BRANCH_HEADER, false);
		if (rc == XF_OK)
			csv_end_record(&x.chunk);
	}
	if (rc == XF_OK)
		rc = store_ledger_scan(s->st, &reach, opts->since, opts->until, NULL, export_row, &x, err);
	if (x.out) {
		if (rc == XF_OK)
			rc = flush_chunk(&x);
		if (x.out != stdout) {
			if (fclose(x.out) != 0 && rc == XF_OK)
				rc = fileperm_write_error(err, errno, "台账文件", opts->path);
			x.file.fd = -1; /* closed with the stream */
		} else if (fflush(stdout) != 0 && rc == XF_OK) {
			rc = xf_err_set(err, XF_EIO, "写到标准输出失败（%s）", strerror(errno));
		}
	}
	if (x.wb) {
		errno = 0;
		lxw_error e = workbook_close(x.wb);
		if (e != LXW_NO_ERROR && rc == XF_OK)
			rc = fileperm_write_error(err, errno != 0 ? errno : EIO, "台账文件", opts->path);
	}
	if (x.have_file && rc == XF_OK)
		rc = fileperm_out_commit(&x.file, err);
	else if (x.have_file)
		fileperm_out_abort(&x.file);
	buf_free(&x.chunk);
	free(x.branches);
	free_escaped(&x);
	if (opts->progress && rc == XF_OK)
		opts->progress(opts->progress_ctx, x.rows, x.total);
	*rows = x.rows;
	if (opts->beyond_gbk)
		*opts->beyond_gbk = x.beyond_gbk;
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Import */

#define MAX_PROBLEMS 1000

/* A set of case numbers (year and sequence) seen in the file. */
struct numset {
	uint64_t *slots;
	long *lines; /* the file line each number was first met on */
	size_t cap, n;
};

/* Adds a key met on a line; false, with the line it was first met on, when it was there. */
static bool numset_add(struct numset *set, uint64_t key, long line, long *first)
{
	if ((set->n + 1) * 2 > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 1024;
		uint64_t *slots = xcalloc(cap, sizeof *slots);
		long *lines = xcalloc(cap, sizeof *lines);
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i]) {
				size_t h = (set->slots[i] * 0x9E3779B97F4A7C15ull) & (cap - 1);
				while (slots[h])
					h = (h + 1) & (cap - 1);
				slots[h] = set->slots[i];
				lines[h] = set->lines[i];
			}
		free(set->slots);
		free(set->lines);
		set->slots = slots;
		set->lines = lines;
		set->cap = cap;
	}
	size_t h = (key * 0x9E3779B97F4A7C15ull) & (set->cap - 1);
	while (set->slots[h]) {
		if (set->slots[h] == key) {
			*first = set->lines[h];
			return false;
		}
		h = (h + 1) & (set->cap - 1);
	}
	set->slots[h] = key;
	set->lines[h] = line;
	set->n++;
	return true;
}

/* A link to resolve once every case is in. */
struct pending_link {
	int64_t case_id;
	long line;
	int column;
	char *numbers;
};

/* Everything an import run carries. */
struct importer {
	struct xf_session *s;
	struct xf_import_report *rep;
	bool dry_run, writing;
	int col_of[NCOLS];        /* file column of each ledger column, -1 when absent */
	char **file_headers;      /* the header row as written, for messages */
	size_t nfile_headers;
	struct xf_fields channels, categories, departments, jrt[3];
	struct xf_rules *rules;
	struct xf_bulk *bulk;
	struct numset numbers;
	int max_seq_year[64], max_seq[64];
	int64_t max_seq_branch[64]; /* the highest number of each branch and year in the file */
	char max_seq_code[64][XF_BRANCH_CODE_MAX + 1];
	int nyears;
	struct xf_branch own;       /* the importer's branch: numbers without a code are its */
	struct xf_branch coded;     /* the branch a code last named (numbers come in runs) */
	struct pending_link *links;
	size_t nlinks, caplinks;
	const char *file_name;
	char now[20];
	struct xf_err *err;
};

/* Records one problem at a line and column. */
static void problem(struct importer *im, long line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(struct importer *im, long line, int column, const char *fmt, ...)
{
	struct xf_import_report *rep = im->rep;
	rep->problem_count++;
	im->writing = false;
	if (rep->nproblems >= MAX_PROBLEMS)
		return;
	rep->problems = xrealloc(rep->problems, (rep->nproblems + 1) * sizeof *rep->problems);
	struct xf_import_problem *p = &rep->problems[rep->nproblems++];
	memset(p, 0, sizeof *p);
	p->line = line;
	p->column = column;
	if (column > 0 && (size_t)column <= im->nfile_headers)
		snprintf(p->header, sizeof p->header, "%s", im->file_headers[column - 1]);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof p->msg, fmt, ap);
	va_end(ap);
}

/* Frees a report's lists. */
void import_report_free(struct xf_import_report *r)
{
	free(r->problems);
	free(r->notes);
	r->problems = NULL;
	r->notes = NULL;
	r->nproblems = 0;
}

/* Removes spaces (ASCII and ideographic) and turns ASCII parentheses into full-width ones. */
static void normalize_header(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (const char *p = in; *p && o + 4 < n;) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
		} else if (strncmp(p, "\xE3\x80\x80", 3) == 0 || strncmp(p, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
		} else if (*p == '(' || *p == ')') {
			memcpy(out + o, *p == '(' ? "（" : "）", 3);
			o += 3;
			p++;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

/* The ledger column a header names; -1 when none. */
static int header_column(const char *header)
{
	char norm[256];
	normalize_header(header, norm, sizeof norm);
	if (*norm == '\0')
		return -1;
	for (size_t i = 0; i < NCOLS; i++) {
		char h[256];
		normalize_header(xf_ledger_columns[i].header, h, sizeof h);
		if (strcmp(h, norm) == 0)
			return (int)i;
	}
	for (size_t i = 0; i < NCOLS; i++) {
		char *syn = xstrdup(xf_ledger_columns[i].synonyms), *save = NULL;
		for (char *w = strtok_r(syn, "|", &save); w; w = strtok_r(NULL, "|", &save)) {
			char h[256];
			normalize_header(w, h, sizeof h);
			if (strcmp(h, norm) == 0) {
				free(syn);
				return (int)i;
			}
		}
		free(syn);
	}
	return -1;
}

/* Matches the header row; problems for duplicates and missing required columns. */
static void match_headers(struct importer *im, const struct xf_csv_record *r)
{
	struct xf_buf unused;
	buf_init(&unused);
	for (size_t i = 0; i < NCOLS; i++)
		im->col_of[i] = -1;
	im->file_headers = xcalloc(r->n ? r->n : 1, sizeof *im->file_headers);
	im->nfile_headers = r->n;
	for (size_t f = 0; f < r->n; f++)
		im->file_headers[f] = xstrdup(csv_field(r, f));
	for (size_t f = 0; f < r->n; f++) {
		const char *h = csv_field(r, f);
		int c = header_column(h);
		char letter[8];
		csv_column_name(f, letter);
		if (c < 0) {
			if (*h)
				buf_printf(&unused, "%s%s 列“%s”", unused.len ? "、" : "", letter, h);
			continue;
		}
		if (im->col_of[c] >= 0) {
			char first[8];
			csv_column_name((size_t)im->col_of[c], first);
			problem(im, r->line, (int)f + 1, "“%s”与 %s 列都是“%s”：请删去或改名其中一列", h, first,
			        xf_ledger_columns[c].header);
			continue;
		}
		im->col_of[c] = (int)f;
	}
	static const char *const required[] = {"number", "received", "channel", "category", "summary"};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		int c = column_index(required[i]);
		if (im->col_of[c] < 0)
			problem(im, r->line, 0, "缺少“%s”一列（表头也可写作：%s）", xf_ledger_columns[c].header,
			        xf_ledger_columns[c].synonyms);
	}
	if (unused.len) {
		struct xf_buf notes;
		buf_init(&notes);
		buf_printf(&notes, "以下各列不认识，不导入：%s", unused.data);
		free(im->rep->notes);
		im->rep->notes = notes.data;
	}
	buf_free(&unused);
}

/* Trims spaces, tabs and ideographic spaces at both ends (in place). */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t' || strncmp(s, "\xE3\x80\x80", 3) == 0)
		s += *s == ' ' || *s == '\t' ? 1 : 3;
	size_t n = strlen(s);
	for (;;) {
		if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
			n--;
		else if (n >= 3 && strncmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
			n -= 3;
		else
			break;
	}
	s[n] = '\0';
	return s;
}

/* Reads a date as Excel and clerks write it: 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日,
 * optionally followed by a time; *time_out (if given) receives "HH:MM" when there was one. */
static bool parse_loose_date(const char *s, char iso[32], char time_out[16])
{
	int y = 0, m = 0, d = 0, hh = -1, mm = -1, n = 0;
	if (time_out)
		time_out[0] = '\0';
	const char *p = s;
	while (isdigit((unsigned char)*p) && n < 4)
		y = y * 10 + (*p++ - '0'), n++;
	if (n != 4)
		return false;
	if (*p == '-' || *p == '/' || *p == '.')
		p++;
	else if (strncmp(p, "年", 3) == 0)
		p += 3;
	else
		return false;
	for (n = 0; isdigit((unsigned char)*p) && n < 2; n++)
		m = m * 10 + (*p++ - '0');
	if (n == 0)
		return false;
	if (*p == '-' || *p == '/' || *p == '.')
		p++;
	else if (strncmp(p, "月", 3) == 0)
		p += 3;
	else
		return false;
	for (n = 0; isdigit((unsigned char)*p) && n < 2; n++)
		d = d * 10 + (*p++ - '0');
	if (n == 0)
		return false;
	if (strncmp(p, "日", 3) == 0)
		p += 3;
	if (*p == ' ' || *p == 'T') {
		while (*p == ' ' || *p == 'T')
			p++;
		if (sscanf(p, "%2d:%2d", &hh, &mm) != 2 || hh > 23 || mm > 59)
			return false;
		p += strcspn(p, " ");
	}
	if (*p != '\0' || !date_valid(y, m, d))
		return false;
	/* Written by hand: this runs for every date of every row of a large import. */
	iso[0] = (char)('0' + y / 1000), iso[1] = (char)('0' + y / 100 % 10), iso[2] = (char)('0' + y / 10 % 10);
	iso[3] = (char)('0' + y % 10), iso[4] = '-', iso[5] = (char)('0' + m / 10), iso[6] = (char)('0' + m % 10);
	iso[7] = '-', iso[8] = (char)('0' + d / 10), iso[9] = (char)('0' + d % 10), iso[10] = '\0';
	if (time_out && hh >= 0)
		snprintf(time_out, 16, "%02d:%02d", hh, mm);
	return true;
}

/* The header of a file column, for messages. */
static const char *col_header(struct importer *im, int c)
{
	return xf_ledger_columns[c].header;
	(void)im;
}

/* The raw value of a ledger column in a record ("" when the file has no such column), with
 * the ' that export puts before a formula-like value taken off (csv_unguard). */
static char *raw_value(struct importer *im, struct xf_csv_record *r, int c)
{
	if (im->col_of[c] < 0 || (size_t)im->col_of[c] >= r->n)
		return "";
	char *v = r->buf + r->start[im->col_of[c]];
	if (xf_ledger_columns[c].kind != K_LONG) {
		v = trim(v);
		return v + (csv_unguard(v) - v);
	}
	/* A line break inside a cell: LF from Excel, CRLF or CR from other tools; kept as LF. */
	char *o = v;
	for (const char *p = v; *p; p++) {
		if (*p == '\r') {
			*o++ = '\n';
			if (p[1] == '\n')
				p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return v + (csv_unguard(v) - v);
}

/* One row being read: every ledger column, checked and normalised (NULL: not given). */
struct row {
	char *val[NCOLS];
	char time_from_date[16]; /* a time written in the receipt date's cell */
	long line;
};

/* Sets column c of the row. */
static void row_set(struct row *row, int c, const char *v)
{
	char *copy = xstrdup(v); /* v may be the old value itself */
	free(row->val[c]);
	row->val[c] = copy;
}

/* Sets the column named key. */
static void row_set_key(struct row *row, const char *key, const char *v)
{
	row_set(row, column_index(key), v);
}

/* Frees the row's values. */
static void row_free(struct row *row)
{
	for (size_t i = 0; i < NCOLS; i++)
		free(row->val[i]);
}

/* Reports a problem for column c of the current row. */
#define PROBLEM(im, row, c, ...) problem(im, (row)->line, (im)->col_of[c] + 1, __VA_ARGS__)

/* True when list holds name. */
static bool in_choices(const struct xf_fields *list, const char *name)
{
	return fields_get(list, name) != NULL;
}

/* The choices joined with 、 for a message. */
static char *choices_text(const struct xf_fields *list)
{
	struct xf_buf b;
	buf_init(&b);
	for (size_t i = 0; i < list->n; i++)
		buf_printf(&b, "%s%s", i ? "、" : "", list->v[i].key);
	return b.data;
}

/* Checks a value against a list, with the choices in the message. */
static bool check_in(struct importer *im, struct row *row, int c, const struct xf_fields *list, const char *v)
{
	if (in_choices(list, v))
		return true;
	char *names = choices_text(list);
	PROBLEM(im, row, c, "%s“%.60s”不在清单中：可选 %s", col_header(im, c), v, names);
	free(names);
	return false;
}

/* Checks and normalises one column's value into row->v. */
static void check_value(struct importer *im, struct row *row, int c, char *v)
{
	const char *key = xf_ledger_columns[c].key;
	const char *label = col_header(im, c);
	int kind = xf_ledger_columns[c].kind;
	struct xf_err e;
	if (*v == '\0') {
		row_set(row, c, "");
		return;
	}
	if (!utf8_valid(v, strlen(v), NULL)) {
		PROBLEM(im, row, c, "%s含有无效的字节", label);
		return;
	}
	char iso[32], tm[16];
	if (kind == K_DATE || strcmp(key, "received") == 0) {
		if (!parse_loose_date(v, iso, tm)) {
			PROBLEM(im, row, c, "%s“%.40s”不是日期：应写成 2026-01-05（也可 2026/1/5 或 2026年1月5日）", label, v);
			return;
		}
		row_set(row, c, iso);
		if (strcmp(key, "received") == 0 && tm[0])
			snprintf(row->time_from_date, sizeof row->time_from_date, "%s", tm);
		return;
	}
	if (kind == K_DATETIME) {
		int y, m, d, hh = 0, mi = 0, ss = 0;
		if (sscanf(v, "%4d-%2d-%2d %2d:%2d:%2d", &y, &m, &d, &hh, &mi, &ss) < 3 && !parse_loose_date(v, iso, tm)) {
			PROBLEM(im, row, c, "%s“%.40s”不是日期时间：应写成 2026-01-05 09:30:00", label, v);
			return;
		}
		row_set(row, c, v);
		return;
	}
	if (kind == K_TIME) {
		int hh, mi;
		char extra;
		if (sscanf(v, "%2d:%2d%c", &hh, &mi, &extra) != 2 || hh < 0 || hh > 23 || mi < 0 || mi > 59) {
			PROBLEM(im, row, c, "%s“%.20s”不是时刻：应写成 09:30", label, v);
			return;
		}
		char buf[32];
		snprintf(buf, sizeof buf, "%02d:%02d", hh, mi);
		row_set(row, c, buf);
		return;
	}
	if (kind == K_FLAG) {
		bool yes;
		if (field_parse_yesno(v, label, &yes, &e) != XF_OK) {
			PROBLEM(im, row, c, "%s应填“是”或“否”，现在是“%.20s”", label, v);
			return;
		}
		row_set(row, c, yes ? "1" : "0");
		return;
	}
	if (kind == K_STATE) {
		int st = case_state_parse(v);
		if (st < 0) {
			PROBLEM(im, row, c, "状态“%.20s”不认识：应为 待批、已转办、已报结、已答复 或 已结案", v);
			return;
		}
		row_set(row, c, case_state_key((enum xf_state)st));
		return;
	}
	if (strcmp(key, "amount") == 0) {
		/* Excel writes thousands separators; clerks add 元 or ¥. */
		struct xf_buf clean;
		buf_init(&clean);
		for (const char *p = v; *p; p++) {
			if (*p == ',' || *p == ' ')
				continue;
			if (strncmp(p, "元", 3) == 0 || strncmp(p, "¥", 2) == 0 || strncmp(p, "￥", 3) == 0) {
				p += strncmp(p, "¥", 2) == 0 ? 1 : 2;
				continue;
			}
			buf_add(&clean, p, 1);
		}
		char out[32];
		int rc = field_normalize_amount(clean.data, label, out, &e);
		buf_free(&clean);
		if (rc != XF_OK) {
			PROBLEM(im, row, c, "%s", e.msg);
			return;
		}
		row_set(row, c, out);
		return;
	}
	if (strcmp(key, "id_type") == 0 || strcmp(key, "id_number") == 0) {
		/* Checked together once the row is read: the number as the document it is. */
		row_set(row, c, v);
		return;
	}
	const struct xf_jrt_axis *axis = jrt_axis_of(key);
	if (axis) {
		const struct xf_fields *list = &im->jrt[axis - xf_jrt_axes];
		const char *name = fields_get(list, v);
		if (name == NULL) {
			struct xf_fields names;
			fields_init(&names);
			for (size_t i = 0; i < list->n; i++)
				if (strcmp(list->v[i].key, list->v[i].val) == 0)
					fields_set(&names, list->v[i].key, "");
			char *text = choices_text(&names);
			PROBLEM(im, row, c, "%s“%.40s”不在 JR/T 0169 清单中：可选 %s", label, v, text);
			free(text);
			fields_free(&names);
			return;
		}
		row_set(row, c, name);
		return;
	}
	const struct xf_fielddef *def = field_def(key);
	if (def && strcmp(key, "received") != 0) {
		char *norm = NULL;
		if (field_normalize(def, v, &norm, &e) != XF_OK) {
			if (def->type == XF_F_IDNUM && (strchr(v, 'E') || strchr(v, 'e')) && strchr(v, '+'))
				PROBLEM(im, row, c, "身份证号“%.30s”被 Excel 写成了科学计数法，后几位已丢失：请在原表中把这一列设为文本、重新填好后再另存",
				        v);
			else
				PROBLEM(im, row, c, "%s", e.msg);
			return;
		}
		if (def->type == XF_F_YESNO)
			row_set(row, c, strcmp(norm, "是") == 0 ? "1" : "0");
		else
			row_set(row, c, norm);
		free(norm);
		if (strcmp(key, "channel") == 0)
			check_in(im, row, c, &im->channels, v);
		else if (strcmp(key, "category") == 0)
			check_in(im, row, c, &im->categories, v);
		else if (strcmp(key, "gender") == 0 && strcmp(v, "男") != 0 && strcmp(v, "女") != 0)
			PROBLEM(im, row, c, "性别应填“男”或“女”，现在是“%.20s”", v);
		else if (strcmp(key, "importance") == 0 && strcmp(v, "一般") != 0 && strcmp(v, "重要") != 0)
			PROBLEM(im, row, c, "重要程度应填“一般”或“重要”，现在是“%.20s”", v);
		return;
	}
	if (strcmp(key, "department") == 0) {
		if (check_in(im, row, c, &im->departments, v))
			row_set(row, c, v);
		return;
	}
	/* Columns whose values are one of a few words the schema itself fixes. */
	static const struct {
		const char *key, *words; /* the words joined with 、 */
	} fixed[] = {
		{"satisfaction", "满意、基本满意、不满意、未表态"},
		{"reply_method", "口头、书面"},
		{"closure", "办结、不予受理、当场答复、撤诉"},
	};
	for (size_t f = 0; f < sizeof fixed / sizeof fixed[0]; f++) {
		if (strcmp(key, fixed[f].key) != 0)
			continue;
		size_t n = strlen(v);
		const char *hit = strstr(fixed[f].words, v);
		bool whole = hit && (hit == fixed[f].words || strncmp(hit - 3, "、", 3) == 0) &&
		             (hit[n] == '\0' || strncmp(hit + n, "、", 3) == 0);
		if (whole && strstr(v, "、") == NULL)
			row_set(row, c, v);
		else
			PROBLEM(im, row, c, "%s应为 %s 之一，现在是“%.20s”", label, fixed[f].words, v);
		return;
	}
	if (strcmp(key, "voluntary") == 0) {
		bool yes;
		if (field_parse_yesno(v, label, &yes, &e) != XF_OK) {
			PROBLEM(im, row, c, "是否自愿撤诉应填“是”或“否”，现在是“%.20s”", v);
			return;
		}
		row_set(row, c, yes ? "是" : "否");
		return;
	}
	if (strcmp(key, "contact_phone") == 0 && field_check_phone(v, label, &e) != XF_OK) {
		PROBLEM(im, row, c, "%s", e.msg);
		return;
	}
	if (strcmp(key, "ruleset") == 0) {
		bool known = false;
		for (size_t i = 0; i < im->rules->nsets; i++)
			known = known || strcmp(im->rules->sets[i].name, v) == 0;
		if (!known) {
			PROBLEM(im, row, c, "时限规则集“%.30s”不认识：请写本库已有的规则集（xinfang rules 可查），或留空按现行规则计算", v);
			return;
		}
	}
	int max = kind == K_LONG ? 8000 : 200;
	if (field_check_text(v, label, max, kind == K_LONG, &e) != XF_OK) {
		PROBLEM(im, row, c, "%s", e.msg);
		return;
	}
	row_set(row, c, v);
}

/* The value of a key in the row, "" when absent. */
static const char *rv(const struct row *row, const char *key)
{
	const char *v = row->val[column_index(key)];
	return v ? v : "";
}

/* The latest of the dates given (ISO text compares in order). */
static const char *latest(const char *a, const char *b)
{
	return strcmp(a, b) >= 0 ? a : b;
}

/* Fills what the file leaves out: state, closure, limits, importance; checks the whole row. */
static void complete_row(struct importer *im, struct row *row)
{
	int c_state = column_index("state");
	const char *state = rv(row, "state");
	if (*state == '\0') {
		if (*rv(row, "closed_on") || *rv(row, "closure"))
			state = "closed";
		else if (*rv(row, "replied_on") || *rv(row, "reply_method"))
			state = "replied";
		else if (*rv(row, "reported_on") || *rv(row, "findings"))
			state = "reported";
		else if (*rv(row, "department") || *rv(row, "transferred_on"))
			state = "transferred";
		else if (*rv(row, "spot_answer"))
			state = "closed";
		else
			state = "queued";
		row_set_key(row, "state", state);
	}
	int st = case_state_parse(rv(row, "state"));
	if (st > XF_ST_QUEUED && st < XF_ST_CLOSED && *rv(row, "department") == '\0')
		problem(im, row->line, im->col_of[c_state] + 1, "%s的事项须写承办部门", case_state_label((enum xf_state)st));
	if (st == XF_ST_CLOSED) {
		if (*rv(row, "closure") == '\0')
			row_set_key(row, "closure", *rv(row, "spot_answer") && !*rv(row, "department") ? "当场答复" : "办结");
		if (*rv(row, "closed_on") == '\0')
			row_set_key(row, "closed_on",
			           latest(latest(rv(row, "received"), rv(row, "transferred_on")),
			                  latest(rv(row, "reported_on"), rv(row, "replied_on"))));
	}
	/* An old ledger writes 匿名 where the name goes. */
	if (strcmp(rv(row, "name"), "匿名") == 0) {
		row_set_key(row, "name", "");
		row_set_key(row, "anonymous", "1");
	}
	bool anonymous = strcmp(rv(row, "anonymous"), "1") == 0;
	if (!anonymous && *rv(row, "name") == '\0')
		problem(im, row->line, im->col_of[column_index("name")] + 1,
		        "没有信访人姓名：请填写姓名，或在“匿名”一列写“是”（也可在姓名处写“匿名”）");
	if (*rv(row, "received_time") == '\0' && row->time_from_date[0])
		row_set_key(row, "received_time", row->time_from_date);
	/* The document number checked as its type says; gender and age from it where it carries
	 * them, as on registration (the age as on the day received). */
	int c_type = column_index("id_type"), c_idn = column_index("id_number");
	int type = identity_type_parse(rv(row, "id_type"));
	if (type < 0)
		problem(im, row->line, im->col_of[c_type] + 1, "证件类型“%.30s”不认识：可选 %s", rv(row, "id_type"),
		        identity_type_names());
	else if (*rv(row, "id_type"))
		row_set(row, c_type, identity_type_label((enum xf_idtype)type));
	if (type >= 0 && *rv(row, "id_number")) {
		struct xf_idinfo info;
		char *norm = NULL;
		struct xf_err e;
		const char *number = rv(row, "id_number");
		if (identity_check((enum xf_idtype)type, number, col_header(im, c_idn), &info, &norm, &e) != XF_OK) {
			if ((strchr(number, 'E') || strchr(number, 'e')) && strchr(number, '+'))
				problem(im, row->line, im->col_of[c_idn] + 1,
				        "证件号码“%.30s”被 Excel 写成了科学计数法，后几位已丢失：请在原表中把这一列设为文本、重新填好后再另存",
				        number);
			else
				problem(im, row->line, im->col_of[c_idn] + 1, "%s", e.msg);
		} else {
			row_set(row, c_idn, norm);
			free(norm);
			norm = NULL;
			row_set(row, c_type, identity_type_label((enum xf_idtype)type));
			int received;
			if (info.known && date_parse(rv(row, "received"), &received, NULL) == XF_OK) {
				const char *gender = info.male ? "男" : "女";
				if (*rv(row, "gender") && strcmp(rv(row, "gender"), gender) != 0)
					problem(im, row->line, im->col_of[column_index("gender")] + 1,
					        "性别“%s”与证件号码不符（号码表明为%s）", rv(row, "gender"), gender);
				else if (*rv(row, "gender") == '\0')
					row_set_key(row, "gender", gender);
				if (*rv(row, "age") == '\0') {
					char age[16];
					snprintf(age, sizeof age, "%d", field_age_on(info.birth, received));
					row_set_key(row, "age", age);
				}
			}
		}
	}
	int received;
	if (date_parse(rv(row, "received"), &received, NULL) == XF_OK && received > clock_today())
		problem(im, row->line, im->col_of[column_index("received")] + 1, "收件日期 %s 晚于今天", rv(row, "received"));
	/* Limits: the file's own, else computed from the receipt date under the rule set. */
	const char *ruleset = *rv(row, "ruleset") ? rv(row, "ruleset") : im->rules->active;
	row_set_key(row, "ruleset", ruleset);
	static const char *const due_keys[] = {"due_transfer", "due_handle", "due_reply"};
	bool estimated = false, computed = false;
	for (int k = 0; k < XF_LIMIT_COUNT && *rv(row, "received"); k++) {
		if (*rv(row, due_keys[k]))
			continue;
		const struct xf_rule *rule = limits_rule_for(im->rules, ruleset, (enum xf_limit_kind)k, rv(row, "category"));
		int due;
		bool est = false;
		struct xf_err note;
		if (rule == NULL ||
		    limits_due_or_estimate(&im->s->cal, received, rule->unit, rule->length, &due, &est, &note) != XF_OK) {
			problem(im, row->line, 0, "无法计算%s：规则集“%s”缺少这项规则或日期超出日历", limits_kind_label((enum xf_limit_kind)k),
			        ruleset);
			continue;
		}
		char iso[11];
		date_format(due, iso);
		row_set_key(row, due_keys[k], iso);
		estimated = estimated || est;
		computed = true;
	}
	if (*rv(row, "orig_due_handle") == '\0')
		row_set_key(row, "orig_due_handle", rv(row, "due_handle"));
	if (*rv(row, "orig_due_reply") == '\0')
		row_set_key(row, "orig_due_reply", rv(row, "due_reply"));
	if (*rv(row, "due_estimated") == '\0' || computed)
		row_set_key(row, "due_estimated", estimated ? "1" : "0");
	if (*rv(row, "importance") == '\0') {
		const char *ch = fields_get(&im->channels, rv(row, "channel"));
		bool important = (ch && strcmp(ch, "1") == 0) || atof(rv(row, "amount")) > 50000.0 ||
		                 atoi(rv(row, "people")) >= 5 || *rv(row, "instruction");
		row_set_key(row, "importance", important ? "重要" : "一般");
	}
	if (*rv(row, "people") == '\0')
		row_set_key(row, "people", "1");
	if (*rv(row, "materials") == '\0')
		row_set_key(row, "materials", "0");
	for (size_t i = 0; i < 2; i++) {
		const char *flag = i ? "confidential" : "anonymous";
		if (*rv(row, flag) == '\0')
			row_set_key(row, flag, "0");
	}
	if (*rv(row, "created_by") == '\0')
		row_set_key(row, "created_by", im->s->op.name);
	if (*rv(row, "created_at") == '\0')
		row_set_key(row, "created_at", im->now);
}

/* Copies the named keys of the row into cols. */
static void copy_keys(struct xf_fields *cols, const struct row *row, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fields_add(cols, keys[i], rv(row, keys[i]));
}

/* Inserts a side record of the case. */
static int put_record(struct importer *im, const char *table, const char *cid, struct xf_fields *rec)
{
	fields_add(rec, "case_id", cid);
	fields_add(rec, "at", im->now);
	fields_add(rec, "actor", im->s->op.name);
	int rc = store_bulk_insert(im->bulk, table, rec, NULL, im->err);
	fields_free(rec);
	fields_init(rec);
	return rc;
}

/* Writes one checked row: the case, its petitioner, its records and its audit event. */
static int write_row(struct importer *im, struct row *row, const struct xf_branch *branch, int year, int seq)
{
	struct xf_fields cols, rec;
	fields_init(&cols);
	fields_init(&rec);
	char buf[32];
	snprintf(buf, sizeof buf, "%d", year);
	fields_add(&cols, "year", buf);
	snprintf(buf, sizeof buf, "%d", seq);
	fields_add(&cols, "seq", buf);
	snprintf(buf, sizeof buf, "%lld", (long long)branch->id);
	fields_add(&cols, "branch", buf);
	char number[32];
	case_format_branch_number(branch->code, year, seq, number);
	fields_add(&cols, "number", number);
	static const char *const case_keys[] = {
		"state",         "closure",        "received",     "received_time", "channel",       "anonymous",
		"people",        "subject",        "accused",      "category",     "amount",        "summary",       "materials",
		"confidential",  "first_asked",    "receiver",     "importance",    "spot_answer",   "department",
		"ruleset",       "due_transfer",   "due_handle",   "due_reply",     "orig_due_handle", "orig_due_reply",
		"due_estimated", "transferred_on", "reported_on",  "replied_on",    "closed_on",     "created_by",
		"created_at",    "jrt_channel",    "jrt_type",     "jrt_cause"};
	copy_keys(&cols, row, case_keys, sizeof case_keys / sizeof case_keys[0]);
	int64_t id = 0;
	int rc = store_bulk_insert(im->bulk, "cases", &cols, &id, im->err);
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	static const char *const pet_keys[] = {"name",  "gender", "age",     "id_type",
	                                       "id_number", "phone",  "address", "work_unit"};
	if (rc == XF_OK) {
		fields_add(&rec, "ord", "0");
		copy_keys(&rec, row, pet_keys, sizeof pet_keys / sizeof pet_keys[0]);
		fields_add(&rec, "case_id", cid);
		rc = store_bulk_insert(im->bulk, "petitioners", &rec, NULL, im->err);
		fields_free(&rec);
		fields_init(&rec);
	}
	bool transferred = *rv(row, "department") || *rv(row, "transferred_on");
	bool separate_instruction = *rv(row, "instruction") && (*rv(row, "instructed_on") || !transferred);
	if (rc == XF_OK && transferred) {
		fields_add(&rec, "department", rv(row, "department"));
		fields_add(&rec, "co_departments", rv(row, "co_departments"));
		fields_add(&rec, "handler", rv(row, "transfer_handler"));
		fields_add(&rec, "instruction", separate_instruction ? "" : rv(row, "instruction"));
		fields_add(&rec, "leader", separate_instruction ? "" : rv(row, "leader"));
		fields_add(&rec, "opinion", rv(row, "opinion"));
		fields_add(&rec, "deadline", *rv(row, "deadline") ? rv(row, "deadline") : rv(row, "due_handle"));
		fields_add(&rec, "transfer_date", *rv(row, "transferred_on") ? rv(row, "transferred_on") : rv(row, "received"));
		bool masked = strcmp(rv(row, "confidential"), "1") == 0 ||
		              (*rv(row, "department") && strstr(rv(row, "subject"), rv(row, "department")) != NULL);
		fields_add(&rec, "masked", masked ? "1" : "0");
		rc = put_record(im, "transfers", cid, &rec);
	}
	if (rc == XF_OK && separate_instruction) {
		fields_add(&rec, "leader", rv(row, "leader"));
		fields_add(&rec, "text", rv(row, "instruction"));
		fields_add(&rec, "given_on", *rv(row, "instructed_on") ? rv(row, "instructed_on") : rv(row, "received"));
		rc = put_record(im, "instructions", cid, &rec);
	}
	if (rc == XF_OK && (*rv(row, "findings") || *rv(row, "reported_on") || *rv(row, "handled_on"))) {
		static const char *const keys[] = {"findings", "accountability", "rectification", "dept_head", "contact_phone"};
		copy_keys(&rec, row, keys, sizeof keys / sizeof keys[0]);
		fields_add(&rec, "satisfaction", *rv(row, "satisfaction") ? rv(row, "satisfaction") : "未表态");
		fields_add(&rec, "handled_on", *rv(row, "handled_on") ? rv(row, "handled_on")
		                               : *rv(row, "reported_on") ? rv(row, "reported_on") : rv(row, "received"));
		fields_add(&rec, "handler", rv(row, "outcome_handler"));
		rc = put_record(im, "outcomes", cid, &rec);
	}
	if (rc == XF_OK && (*rv(row, "reply_method") || *rv(row, "replied_on"))) {
		fields_add(&rec, "method", *rv(row, "reply_method") ? rv(row, "reply_method") : "书面");
		fields_add(&rec, "replied_on", *rv(row, "replied_on") ? rv(row, "replied_on") : rv(row, "closed_on"));
		fields_add(&rec, "content", rv(row, "reply_content"));
		rc = put_record(im, "replies", cid, &rec);
	}
	if (rc == XF_OK && strcmp(rv(row, "state"), "closed") == 0) {
		fields_add(&rec, "kind", rv(row, "closure"));
		const char *reason = rv(row, "closure_reason");
		if (*reason == '\0' && strcmp(rv(row, "closure"), "当场答复") == 0)
			reason = rv(row, "spot_answer");
		fields_add(&rec, "reason", reason);
		fields_add(&rec, "advice", rv(row, "advice"));
		fields_add(&rec, "voluntary", rv(row, "voluntary"));
		rc = put_record(im, "closures", cid, &rec);
	}
	if (rc == XF_OK && *rv(row, "links")) {
		if (im->nlinks == im->caplinks) {
			im->caplinks = im->caplinks ? im->caplinks * 2 : 64;
			im->links = xrealloc(im->links, im->caplinks * sizeof *im->links);
		}
		im->links[im->nlinks++] = (struct pending_link){id, row->line, im->col_of[column_index("links")] + 1,
		                                                xstrdup(rv(row, "links"))};
	}
	if (rc == XF_OK) {
		/* The audit event says which file and line the case came from; the rows it wrote are
		 * the case itself (and the trail's snapshot of them). */
		struct xf_buf after;
		buf_init(&after);
		buf_printf(&after, "{\"number\":\"%s\",\"import\":\"%s\",\"line\":\"%ld\"}", number, im->rep->sha256,
		           row->line);
		rc = store_audit(im->s->st, im->s->op.name, "import", id, NULL, after.data, im->err);
		buf_free(&after);
	}
	fields_free(&cols);
	fields_free(&rec);
	return rc;
}

/* The branch a number of the file names and its year and sequence: its code's branch, which
 * must exist and be in the importer's reach (one out of reach is said as unknown), and not be
 * pushed; a number without a code is of the importer's own branch. */
static int number_branch(struct importer *im, const char *number, struct xf_branch *branch, int *year, int *seq,
                         struct xf_err *e)
{
	char code[XF_BRANCH_CODE_MAX + 1];
	int rc = case_parse_branch_number(number, code, year, seq, e);
	if (rc != XF_OK)
		return rc;
	if (*code == '\0' || strcmp(code, im->own.code) == 0) {
		*branch = im->own;
		return XF_OK;
	}
	if (strcmp(code, im->coded.code) != 0 || im->coded.id == 0) {
		struct xf_err ignored;
		if (branch_find(im->s->st, code, &im->coded, &ignored) != XF_OK || !branch_in_reach(im->s, im->coded.id)) {
			memset(&im->coded, 0, sizeof im->coded);
			return xf_err_set(e, XF_ENOTFOUND,
			                  "编号 %s 的机构代码 %s 不是您范围内的分支机构：请核对代码（xinfang branch list 列出您范围内的），"
			                  "或由该机构的账户导入",
			                  number, code);
		}
	}
	if (im->coded.pushed)
		return xf_err_set(e, XF_EDENIED, "编号 %s 属“%s”，它的记录由它自己的文件推送而来，在这里只读：不能导入", number,
		                  im->coded.name);
	*branch = im->coded;
	return XF_OK;
}

/* Reads, checks and (when writing) stores one data record. */
static int import_record(struct importer *im, struct xf_csv_record *r)
{
	struct row row;
	memset(&row, 0, sizeof row);
	row.line = r->line;
	for (size_t c = 0; c < NCOLS; c++)
		if (im->col_of[c] >= 0)
			check_value(im, &row, (int)c, raw_value(im, r, (int)c));
	int year = 0, seq = 0, c_number = column_index("number");
	struct xf_err e;
	struct xf_branch branch = im->own;
	const char *number = rv(&row, "number");
	if (*number == '\0') {
		problem(im, row.line, im->col_of[c_number] + 1, "没有编号：台账的每一行都须有编号（如 2026年第0001号）");
	} else if (number_branch(im, number, &branch, &year, &seq, &e) != XF_OK) {
		problem(im, row.line, im->col_of[c_number] + 1, "%s", e.msg);
		year = 0;
	} else {
		char formatted[32];
		case_format_branch_number(branch.code, year, seq, formatted);
		int64_t existing = 0;
		long first = 0;
		uint64_t key = ((uint64_t)branch.id << 48) | ((uint64_t)year << 32) | (uint64_t)seq;
		if (!numset_add(&im->numbers, key, row.line, &first))
			problem(im, row.line, im->col_of[c_number] + 1, "编号 %s 在文件中出现了不止一次（第 %ld 行已有）",
			        formatted, first);
		else if (store_bulk_case_id(im->bulk, branch.id, year, seq, &existing, im->err) != XF_OK)
			return im->err->code;
		else if (existing)
			problem(im, row.line, im->col_of[c_number] + 1, "编号 %s 在库中已有：不重复导入（如是另一件，请改编号）",
			        formatted);
		/* Numbers run per year of registration: the year received, or the next for an item
		 * received at the year's end and registered after New Year. */
		int received_year = 0;
		if (sscanf(rv(&row, "received"), "%4d-", &received_year) == 1 &&
		    (year < received_year || year > received_year + 1))
			problem(im, row.line, im->col_of[c_number] + 1,
			        "编号 %s 的年份与收件日期 %s 不符：编号按登记的年份编（收件当年；年末收件、次年登记的可为次年），请核对编号或日期",
			        formatted, rv(&row, "received"));
		if (im->rep->first_number[0] == '\0')
			snprintf(im->rep->first_number, sizeof im->rep->first_number, "%s", formatted);
		snprintf(im->rep->last_number, sizeof im->rep->last_number, "%s", formatted);
	}
	static const char *const required[] = {"received", "channel", "category", "summary"};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		int c = column_index(required[i]);
		if (im->col_of[c] >= 0 && (size_t)im->col_of[c] < r->n && *csv_field(r, (size_t)im->col_of[c]) == '\0')
			problem(im, row.line, im->col_of[c] + 1, "%s不能为空", xf_ledger_columns[c].header);
	}
	complete_row(im, &row);
	int rc = XF_OK;
	if (im->writing)
		rc = write_row(im, &row, &branch, year, seq);
	if (year > 0) { /* the highest number of each branch and year, for the numbering after the import */
		int y;
		for (y = 0; y < im->nyears && (im->max_seq_year[y] != year || im->max_seq_branch[y] != branch.id); y++)
			;
		if (y == im->nyears && y < 64) {
			im->max_seq_year[y] = year;
			im->max_seq_branch[y] = branch.id;
			snprintf(im->max_seq_code[y], sizeof im->max_seq_code[y], "%s", branch.code);
			im->max_seq[y] = 0;
			im->nyears++;
		}
		if (y < 64 && seq > im->max_seq[y])
			im->max_seq[y] = seq;
	}
	row_free(&row);
	return rc;
}

/* Tells, per year, where registration numbers go on after the import when the file's
 * numbers run past the store's (a mistyped 137434 among 0201s would otherwise be found only
 * when the next case is registered, and cannot be taken back). */
static int note_numbering(struct importer *im)
{
	struct xf_buf notes;
	buf_init(&notes);
	buf_puts(&notes, im->rep->notes ? im->rep->notes : "");
	for (int y = 0; y < im->nyears; y++) {
		int last = 0;
		int rc = store_bulk_last_seq(im->bulk, im->max_seq_branch[y], im->max_seq_year[y], &last, im->err);
		if (rc != XF_OK) {
			buf_free(&notes);
			return rc;
		}
		if (im->max_seq[y] <= last)
			continue;
		char from[32], was[64] = "库中这一年还没有编号";
		case_format_branch_number(im->max_seq_code[y], im->max_seq_year[y], im->max_seq[y] + 1, from);
		if (last) {
			char n[32];
			case_format_branch_number(im->max_seq_code[y], im->max_seq_year[y], last, n);
			snprintf(was, sizeof was, "库中原到 %s", n);
		}
		buf_printf(&notes, "%s导入后 %d 年新登记的编号从 %s 起（%s%s）", notes.len ? "；" : "", im->max_seq_year[y],
		           from, was, im->max_seq[y] - last > 1000 ? "；请核对文件中的大编号是否写错" : "");
	}
	free(im->rep->notes);
	im->rep->notes = notes.data;
	return XF_OK;
}

/* Links the imported cases to the cases their 关联编号 name. */
static int resolve_links(struct importer *im)
{
	int rc = XF_OK;
	for (size_t i = 0; i < im->nlinks && rc == XF_OK; i++) {
		struct pending_link *l = &im->links[i];
		char *save = NULL;
		for (char *n = strtok_r(l->numbers, ",，、 ", &save); n && rc == XF_OK; n = strtok_r(NULL, ",，、 ", &save)) {
			int year, seq;
			int64_t other = 0;
			struct xf_err e;
			struct xf_branch branch;
			if (number_branch(im, n, &branch, &year, &seq, &e) != XF_OK) {
				problem(im, l->line, l->column, "%s", e.msg);
				continue;
			}
			if ((rc = store_bulk_case_id(im->bulk, branch.id, year, seq, &other, im->err)) != XF_OK)
				break;
			if (other == 0 || other == l->case_id) {
				problem(im, l->line, l->column, "关联编号 %s 在文件和库中都没有%s", n, other ? "（不能关联到自己）" : "");
				continue;
			}
			if (!im->writing)
				continue;
			struct xf_fields rec;
			fields_init(&rec);
			char oid[32], cid[32];
			snprintf(oid, sizeof oid, "%lld", (long long)other);
			snprintf(cid, sizeof cid, "%lld", (long long)l->case_id);
			fields_add(&rec, "linked_id", oid);
			fields_add(&rec, "kind", "repeat");
			fields_add(&rec, "note", "导入");
			rc = put_record(im, "links", cid, &rec);
		}
	}
	return rc;
}

/* The whole file in memory. */
static int read_whole(const char *path, char **data, size_t *len, struct xf_err *err)
{
	*data = NULL;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return fileperm_read_error(err, errno, "台账文件", path);
	struct stat sb;
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		int saved = S_ISDIR(sb.st_mode) ? EISDIR : errno;
		fclose(f);
		if (saved == EISDIR)
			return fileperm_read_error(err, EISDIR, "台账文件", path);
		return xf_err_set(err, XF_EIO, "%s 不是普通文件（设备或管道）：请给出台账文件本身", path);
	}
	size_t size = (size_t)sb.st_size;
	char *buf = xmalloc(size + 1);
	size_t got = fread(buf, 1, size, f);
	fclose(f);
	if (got != size) {
		free(buf);
		return xf_err_set(err, XF_EIO, "读取 %s 时出错", path);
	}
	buf[size] = '\0';
	*data = buf;
	*len = size;
	return XF_OK;
}

/* The line a byte offset falls on. */
static long line_at(const char *data, size_t offset)
{
	long line = 1;
	for (size_t i = 0; i < offset; i++)
		line += data[i] == '\n';
	return line;
}

/* Turns the file's bytes into UTF-8 text: UTF-8 (with or without BOM) as it is, else GB18030. */
static int decode_file(struct importer *im, char *data, size_t len, char **text, size_t *tlen, bool *owned)
{
	*owned = false;
	if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
	                 ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)))
		return xf_err_set(im->err, XF_EINVAL,
		                  "这是 UTF-16（Excel 的“Unicode 文本”）文件：请在 Excel 中“另存为”选“CSV（逗号分隔）”或“CSV UTF-8”");
	size_t bad = 0;
	bool bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
	if (utf8_valid(data, len, &bad)) {
		snprintf(im->rep->encoding, sizeof im->rep->encoding, "UTF-8");
		*text = data;
		*tlen = len;
		return XF_OK;
	}
	if (bom)
		return xf_err_set(im->err, XF_EINVAL, "文件标明是 UTF-8，但第 %ld 行有不是 UTF-8 的字节：请在 Excel 中重新另存为“CSV UTF-8”",
		                  line_at(data, bad));
	char *out = NULL;
	size_t outlen = 0;
	size_t bad_gb = 0;
	/* Neither reads the whole file: the bytes at fault are where the encoding that read
	 * further stopped (a UTF-8 file with stray bytes reads as GB18030 not even past line 1). */
	if (text_decode_checked(data, len, "GB18030", &out, &outlen, &bad_gb) != XF_OK)
		return xf_err_set(im->err, XF_EINVAL,
		                  "第 %ld 行有既不是 UTF-8 也不是 GB18030（GBK）的字节：文件可能已损坏，或是其他编码；请在 Excel 中另存为“CSV UTF-8”再导入",
		                  line_at(data, bad > bad_gb ? bad : bad_gb));
	snprintf(im->rep->encoding, sizeof im->rep->encoding, "GB18030");
	*text = out;
	*tlen = outlen;
	*owned = true;
	return XF_OK;
}

/* Loads the lists the rows are checked against. */
static int load_lists(struct importer *im)
{
	static const char *const tables[] = {"channels", "categories", "departments"};
	struct xf_fields *lists[] = {&im->channels, &im->categories, &im->departments};
	for (size_t t = 0; t < 3; t++) {
		fields_init(lists[t]);
		struct xf_rows rows;
		int rc = store_list(im->s->st, tables[t], NULL, NULL, &rows, im->err);
		if (rc != XF_OK)
			return rc;
		for (size_t i = 0; i < rows.n; i++)
			fields_set(lists[t], fields_str(&rows.v[i], "name"), t == 0 ? fields_str(&rows.v[i], "important") : "");
		rows_free(&rows);
	}
	for (size_t a = 0; a < 3; a++) {
		fields_init(&im->jrt[a]);
		struct xf_rows rows;
		int rc = store_list(im->s->st, "jrt_codes", "axis", xf_jrt_axes[a].axis, &rows, im->err);
		if (rc != XF_OK)
			return rc;
		for (size_t i = 0; i < rows.n; i++) {
			fields_set(&im->jrt[a], fields_str(&rows.v[i], "name"), fields_str(&rows.v[i], "name"));
			fields_set(&im->jrt[a], fields_str(&rows.v[i], "code"), fields_str(&rows.v[i], "name"));
		}
		rows_free(&rows);
	}
	return XF_OK;
}

/* Records the import itself: its file, its hash, its count, in the imports table and the audit. */
static int record_import(struct importer *im)
{
	struct xf_fields f;
	fields_init(&f);
	char n[32];
	snprintf(n, sizeof n, "%ld", im->rep->rows);
	fields_add(&f, "sha256", im->rep->sha256);
	fields_add(&f, "file", im->file_name);
	fields_add(&f, "rows", n);
	fields_add(&f, "first_number", im->rep->first_number);
	fields_add(&f, "last_number", im->rep->last_number);
	fields_add(&f, "at", im->now);
	fields_add(&f, "actor", im->s->op.name);
	int rc = store_bulk_insert(im->bulk, "imports", &f, NULL, im->err);
	if (rc == XF_OK) {
		fields_add(&f, "encoding", im->rep->encoding);
		char *after = audit_json(&f);
		rc = store_audit(im->s->st, im->s->op.name, "import_file", 0, NULL, after, im->err);
		free(after);
	}
	fields_free(&f);
	return rc;
}

/* Imports a ledger CSV. */
int ledger_import(struct xf_session *s, const char *path, bool dry_run, xf_progress_fn progress, void *progress_ctx,
                  struct xf_import_report *rep, struct xf_err *err)
{
	memset(rep, 0, sizeof *rep);
	rep->notes = xstrdup("");
	if (!auth_require(s, XF_MAY(XF_ROLE_OPERATOR) | XF_MAY(XF_ROLE_HEAD), "导入台账", err))
		return err->code;
	int rc = session_load_reference(s, err);
	if (rc != XF_OK)
		return rc;
	struct importer im;
	memset(&im, 0, sizeof im);
	im.s = s;
	im.rep = rep;
	im.err = err;
	im.dry_run = dry_run;
	im.rules = &s->rules;
	if ((rc = branch_get(s->st, s->op.branch > 0 ? s->op.branch : XF_BRANCH_OWN, &im.own, err)) != XF_OK)
		return rc;
	const char *base = strrchr(path, '/');
	im.file_name = base ? base + 1 : path;
	clock_now_iso(im.now);
	char *data = NULL, *text = NULL;
	size_t len = 0, tlen = 0;
	bool owned = false;
	if ((rc = read_whole(path, &data, &len, err)) != XF_OK)
		return rc;
	/* A workbook itself, not the CSV saved from it: said as such, not as stray bytes. */
	if ((len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) || (len >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0)) {
		bool xlsx = data[0] == 'P';
		free(data);
		return xf_err_set(err, XF_EINVAL,
		                  "%s 是 Excel 工作簿（%s），不是 CSV：请在 Excel 或 WPS 里“另存为”CSV（逗号分隔，UTF-8 或 GBK 均可）"
		                  "后导入那个 .csv 文件",
		                  im.file_name, xlsx ? ".xlsx" : ".xls");
	}
	xf_sha256_hex(data, len, rep->sha256);
	struct xf_rows seen;
	rc = store_list(s->st, "imports", "sha256", rep->sha256, &seen, err);
	if (rc == XF_OK && seen.n > 0) {
		const struct xf_fields *f = &seen.v[0];
		rc = xf_err_set(err, XF_EEXIST,
		                "这个文件已于 %s 由 %s 导入过（%s 件，编号 %s 至 %s）：同一文件不再导入，库中数据未动",
		                fields_str(f, "at"), fields_str(f, "actor"), fields_str(f, "rows"), fields_str(f, "first_number"),
		                fields_str(f, "last_number"));
	}
	rows_free(&seen); /* also when the file was seen before: the refusal must not keep the rows */
	if (rc == XF_OK)
		rc = decode_file(&im, data, len, &text, &tlen, &owned);
	if (rc == XF_OK)
		rc = load_lists(&im);
	if (rc == XF_OK && !dry_run)
		rc = session_begin(s, err);
	bool in_tx = rc == XF_OK && !dry_run;
	if (rc == XF_OK)
		rc = store_bulk_open(s->st, &im.bulk, err);
	struct xf_csv csv;
	struct xf_csv_record rec;
	memset(&rec, 0, sizeof rec);
	if (rc == XF_OK) {
		csv_init(&csv, text, tlen);
		int got;
		while ((got = csv_next(&csv, &rec, err)) == 1 && csv_record_blank(&rec))
			;
		if (got < 0)
			rc = err->code;
		else if (got == 0)
			rc = xf_err_set(err, XF_EINVAL, "%s 是空的：第一行应是表头（编号、收件日期、来源渠道……）", im.file_name);
		else
			match_headers(&im, &rec);
	}
	im.writing = !dry_run && rep->problem_count == 0;
	if (rc == XF_OK && rep->problem_count == 0) {
		int got;
		while ((got = csv_next(&csv, &rec, err)) == 1) {
			if (csv_record_blank(&rec))
				continue;
			rep->rows++;
			if ((rc = import_record(&im, &rec)) != XF_OK)
				break;
			if (progress && rep->rows % 1000 == 0)
				progress(progress_ctx, rep->rows, 0);
		}
		if (got < 0) {
			/* The line and the column the open quote starts at, said once. */
			problem(&im, rec.line, (int)rec.n, "这一格的引号没有结束：请检查这一格的双引号是否成对");
			xf_err_clear(err);
		}
		if (rc == XF_OK && rep->rows == 0 && rep->problem_count == 0)
			problem(&im, csv.line, 0, "表头之下没有任何一行：没有可导入的事项");
	}
	if (rc == XF_OK && rep->problem_count == 0)
		rc = resolve_links(&im);
	if (rc == XF_OK && rep->problem_count == 0)
		rc = note_numbering(&im);
	for (int y = 0; rc == XF_OK && im.writing && y < im.nyears; y++)
		rc = store_bulk_raise_seq(im.bulk, im.max_seq_branch[y], im.max_seq_year[y], im.max_seq[y], err);
	if (rc == XF_OK && im.writing)
		rc = record_import(&im);
	if (rc == XF_OK && rep->problem_count > 0)
		rc = xf_err_set(err, XF_EINVAL, "%s 有 %ld 处问题，%s：请改正后再导入", im.file_name, rep->problem_count,
		                dry_run ? "以上是全部问题" : "一件也没有导入");
	/* The commit re-indexes every imported case: still with the writer's large page cache. */
	if (in_tx) {
		if (rc == XF_OK && im.writing)
			rc = store_bulk_finish(im.bulk, err);
		if (rc == XF_OK && im.writing)
			rc = store_commit(s->st, err);
		if (rc != XF_OK || !im.writing)
			store_rollback(s->st);
	}
	struct xf_err after;
	if (store_bulk_close(im.bulk, &after) != XF_OK && rc == XF_OK)
		rc = xf_err_set(err, after.code, "已导入 %ld 件，但%s：请重新打开 xinfang，检索才会包括之后的改动",
		                rep->rows, after.msg);
	if (rc == XF_OK && im.writing)
		rep->imported = rep->rows;
	if (progress && rc == XF_OK)
		progress(progress_ctx, rep->rows, rep->rows);
	csv_record_free(&rec);
	for (size_t i = 0; i < im.nlinks; i++)
		free(im.links[i].numbers);
	free(im.links);
	free(im.numbers.slots);
	free(im.numbers.lines);
	for (size_t i = 0; i < im.nfile_headers; i++)
		free(im.file_headers[i]);
	free(im.file_headers);
	fields_free(&im.channels);
	fields_free(&im.categories);
	fields_free(&im.departments);
	for (size_t a = 0; a < 3; a++)
		fields_free(&im.jrt[a]);
	if (owned)
		free(text);
	free(data);
	return rc;
}

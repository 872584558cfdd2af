/* xinfang stats: the figures of a period, as text with bar charts, as CSV, or printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "xinfang/print.h"
#include "xinfang/report.h"
#include "xinfang/slip.h"
#include "xinfang/text.h"

/* Writes bytes to standard output. */
static int write_out(const char *data, size_t len, struct xf_err *err)
{
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		return xf_err_set(err, XF_EIO, "写到标准输出失败");
	return XF_OK;
}

/* Where the figures go and in what form, as the arguments ask. */
struct stats_output {
	const char *format;   /* "text", "csv", "pdf", or NULL: not asked */
	const char *encoding; /* NULL: UTF-8 on standard output, the office's (or GB18030) elsewhere */
	bool print;           /* --print, --printer or --to */
	bool to_file;
	const char *target;   /* the queue or the file */
};

/* Sends the statistics to a printer queue or a file, as PDF or text (the format asked, else
 * the office's for a printer and the file's name for a file), and says where they went. */
static int print_stats(struct cli *c, const struct xf_stats *st, unsigned mask, const struct stats_output *o,
                       struct xf_err *err)
{
	struct xf_print_report report;
	memset(&report, 0, sizeof report);
	struct xf_print_opts opts = {"stats", o->encoding, o->to_file ? XF_PRINT_FILE : XF_PRINT_SPOOLER, o->target,
	                             slip_default_page(), NULL, print_format_parse(o->format), &report};
	int rc = report_print(&c->session, st, mask, &opts, NULL, err);
	if (rc == XF_OK) {
		char said[512];
		print_report_text(&report, said, sizeof said);
		fprintf(stderr, "%s：%s 至 %s 的统计（%s）\n", said, st->since, st->until,
		        report.format == XF_FORMAT_PDF ? "PDF" : "文本");
	}
	return rc;
}

/* Writes the statistics as CSV to a file in the encoding (GB18030 unless asked: Excel opens
 * it with a double click; UTF-8 with a byte order mark). */
static int csv_to_file(const struct xf_stats *st, unsigned mask, const struct stats_output *o, struct xf_err *err)
{
	const char *encoding = o->encoding ? o->encoding : "GB18030";
	int rc = report_csv_file(st, mask, encoding, o->target, err);
	if (rc == XF_OK)
		fprintf(stderr, "已导出 %s 至 %s 的统计到 %s（CSV，%s）\n", st->since, st->until, o->target, encoding);
	return rc;
}

/* Writes the statistics to standard output: the text page, CSV, or PDF into a pipe or file. */
static int stats_to_stdout(struct cli *c, const struct xf_stats *st, unsigned mask, const struct stats_output *o,
                           struct xf_err *err)
{
	const char *format = o->format ? o->format : "text";
	struct xf_buf out;
	buf_init(&out);
	int rc = XF_OK;
	if (strcmp(format, "pdf") == 0) {
		struct xf_print_report report;
		memset(&report, 0, sizeof report);
		struct xf_print_opts opts = {"stats", NULL, XF_PRINT_CALLER, NULL, slip_default_page(), NULL, XF_FORMAT_PDF,
		                             &report};
		rc = report_print(&c->session, st, mask, &opts, &out, err);
		if (rc == XF_OK) {
			cli_output_raw();
			rc = write_out(out.data, out.len, err);
		}
		snprintf(report.where, sizeof report.where, "标准输出");
		if (rc == XF_OK)
			rc = report_print_record(&c->session, st, &report, NULL, err);
		buf_free(&out);
		return rc;
	}
	if (strcmp(format, "csv") == 0 && o->encoding) {
		/* An encoding asked for is for a file (… > 统计.csv): as --to writes it. */
		char *enc = NULL;
		size_t len = 0;
		rc = report_csv_encoded(st, mask, o->encoding, &enc, &len, err);
		if (rc == XF_OK) {
			cli_output_raw();
			rc = write_out(enc, len, err);
		}
		free(enc);
		buf_free(&out);
		return rc;
	}
	if (strcmp(format, "csv") == 0)
		report_csv(st, mask, &out);
	else
		report_render(st, mask, 80, XF_RENDER_TERMINAL, &out);
	if (o->encoding && out.len) {
		char *enc = NULL;
		size_t len = 0;
		if (text_convert(out.data, out.len, o->encoding, &enc, &len, NULL) != XF_OK) {
			rc = xf_err_set(err, XF_EINVAL, "统计结果无法用 %s 编码：请改用 GB18030 或 UTF-8", o->encoding);
		} else {
			cli_output_raw();
			rc = write_out(enc, len, err);
		}
		free(enc);
	} else if (out.len) {
		rc = write_out(out.data, out.len, err);
	}
	buf_free(&out);
	return rc;
}

/* The branch league table (stats by=branch): text or CSV on standard output. */
static int league_to_stdout(struct cli *c, const char *since, const char *until, const char *branch, int sort,
                            const struct stats_output *o)
{
	if (o->print)
		return usage_error("分支机构排名只输出到标准输出：用 --format csv > 文件.csv 存下%s", "");
	if (o->format && strcmp(o->format, "pdf") == 0)
		return usage_error("分支机构排名可用 --format text 或 csv%s", "");
	struct xf_err err;
	struct xf_league lg;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = report_league(&c->session, since, until, branch, &lg, &err);
	if (rc != XF_OK)
		return refused(&err);
	report_league_sort(&lg, (enum xf_league_col)sort);
	struct xf_buf out;
	buf_init(&out);
	if (o->format && strcmp(o->format, "csv") == 0)
		report_league_csv(&lg, &out);
	else
		report_league_render(&lg, (enum xf_league_col)sort, &out);
	report_league_free(&lg);
	rc = XF_OK;
	if (o->encoding) {
		char *enc = NULL;
		size_t len = 0;
		if (text_convert(out.data, out.len, o->encoding, &enc, &len, NULL) != XF_OK) {
			rc = xf_err_set(&err, XF_EINVAL, "分支机构排名无法用 %s 编码：请改用 GB18030 或 UTF-8", o->encoding);
		} else {
			cli_output_raw();
			rc = write_out(enc, len, &err);
		}
		free(enc);
	} else {
		rc = write_out(out.data, out.len, &err);
	}
	buf_free(&out);
	return rc == XF_OK ? 0 : refused(&err);
}

/* xinfang stats since= until= | month= | quarter= | year= [by=] [branch=CODE | --branch CODE] [sort=COL]
 * [--format text|csv|pdf] [--encoding E] [--print [--printer QUEUE] | --to FILE] | --explain. */
int cmd_stats(struct cli *c, int argc, char **argv)
{
	char since[11] = "", until[11] = "";
	const char *branch = NULL;
	bool by_branch = false;
	int sort = XF_LEAGUE_RECEIVED;
	unsigned mask = 0;
	struct stats_output o = {NULL, NULL, false, false, NULL};
	struct xf_err err;
	if (cli_take_branch(&argc, argv, &branch) != 0)
		return usage_error("--branch 后面须写机构代码%s", "");
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *eq = strchr(a, '=');
		if (strcmp(a, "--explain") == 0) {
			fputs(report_explain(), stdout);
			return 0;
		} else if (strcmp(a, "--print") == 0) {
			o.print = true;
		} else if ((strcmp(a, "--format") == 0 || strcmp(a, "--encoding") == 0 || strcmp(a, "--printer") == 0 ||
		            strcmp(a, "--to") == 0)) {
			if (i + 1 >= argc)
				return usage_error("stats 的参数“%s”后面缺少值", a);
			const char *v = argv[++i];
			if (strcmp(a, "--format") == 0)
				o.format = v;
			else if (strcmp(a, "--encoding") == 0)
				o.encoding = v;
			else if (strcmp(a, "--printer") == 0)
				o.print = true, o.to_file = false, o.target = v;
			else
				o.print = true, o.to_file = true, o.target = v;
		} else if (eq && strncmp(a, "since=", 6) == 0) {
			snprintf(since, sizeof since, "%s", eq + 1);
		} else if (eq && strncmp(a, "until=", 6) == 0) {
			snprintf(until, sizeof until, "%s", eq + 1);
		} else if (eq && (strncmp(a, "month=", 6) == 0 || strncmp(a, "quarter=", 8) == 0 ||
		                  strncmp(a, "year=", 5) == 0)) {
			char key[16];
			snprintf(key, sizeof key, "%.*s", (int)(eq - a), a);
			if (report_period(key, eq + 1, since, until, &err) != XF_OK)
				return usage_refused(NULL, &err);
		} else if (eq && strncmp(a, "branch=", 7) == 0) {
			branch = eq + 1;
		} else if (eq && strncmp(a, "sort=", 5) == 0) {
			if ((sort = report_league_col_parse(eq + 1)) < 0)
				return usage_error("sort=“%s”不认识：可选 received ontime overdue repeat satisfied", eq + 1);
		} else if (eq && (strcmp(a, "by=branch") == 0 || strcmp(a, "by=分支机构") == 0)) {
			by_branch = true;
		} else if (eq && strncmp(a, "by=", 3) == 0) {
			int ax = report_axis_parse(eq + 1);
			if (ax < 0)
				return usage_error("by=“%s”不认识：可选 channel category department importance state jrt branch", eq + 1);
			mask |= ax == XF_AXIS_JRT_CHANNEL ? XF_AXES_JRT : 1u << ax;
		} else {
			return usage_error("stats 不认识参数“%s”", a);
		}
	}
	if (!*since || !*until)
		return usage_error("请给出期间：since=YYYY-MM-DD until=YYYY-MM-DD，或 month=YYYY-MM、quarter=YYYY-Qn、year=YYYY%s", "");
	if (o.format && strcmp(o.format, "text") != 0 && strcmp(o.format, "csv") != 0 && strcmp(o.format, "pdf") != 0)
		return usage_error("--format “%s”不认识：可选 text、pdf、csv", o.format);
	/* A file named *.csv gets the CSV; a printer never does. */
	bool csv_file = o.to_file && (o.format ? strcmp(o.format, "csv") == 0
	                                       : strlen(o.target) > 4 && strcasecmp(o.target + strlen(o.target) - 4, ".csv") == 0);
	if (o.print && !o.to_file && o.format && strcmp(o.format, "csv") == 0)
		return usage_error("CSV 不能送打印机：打印用 --format pdf 或 text，导出 CSV 用 --to 文件.csv%s", "");
	if (!o.print && o.format && strcmp(o.format, "pdf") == 0 && isatty(STDOUT_FILENO))
		return usage_error("PDF 不能显示在终端上：请用 --to 文件.pdf 存下，或 --print 送打印机%s", "");
	if (by_branch)
		return league_to_stdout(c, since, until, branch, sort, &o);
	struct xf_stats st;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = report_stats_in(&c->session, since, until, branch, &st, &err);
	if (rc != XF_OK)
		return refused(&err);
	if ((mask & XF_AXES_JRT) && (rc = report_stats_jrt(&c->session, &st, &err)) != XF_OK) {
		report_free(&st);
		return refused(&err);
	}
	if (csv_file)
		rc = csv_to_file(&st, mask, &o, &err);
	else if (o.print)
		rc = print_stats(c, &st, mask, &o, &err);
	else
		rc = stats_to_stdout(c, &st, mask, &o, &err);
	report_free(&st);
	return rc == XF_OK ? 0 : refused(&err);
}

/* xinfang stats: the figures of a period, as text with bar charts, as CSV, or printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
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

/* xinfang stats since= until= | month= | quarter= | year= [by=] [--format text|csv]
 * [--encoding E] [--print [--printer QUEUE] | --to FILE] | --explain. */
int cmd_stats(struct cli *c, int argc, char **argv)
{
	char since[11] = "", until[11] = "";
	unsigned mask = 0;
	const char *format = "text", *encoding = NULL;
	struct xf_print_opts opts = {"stats", "GB18030", XF_PRINT_SPOOLER, NULL, slip_default_page(), NULL, XF_FORMAT_TEXT, NULL};
	bool print = false;
	struct xf_err err;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *eq = strchr(a, '=');
		if (strcmp(a, "--explain") == 0) {
			fputs(report_explain(), stdout);
			return 0;
		} else if (strcmp(a, "--print") == 0) {
			print = true;
		} else if ((strcmp(a, "--format") == 0 || strcmp(a, "--encoding") == 0 || strcmp(a, "--printer") == 0 ||
		            strcmp(a, "--to") == 0)) {
			if (i + 1 >= argc)
				return usage_error("stats 的参数“%s”后面缺少值", a);
			const char *v = argv[++i];
			if (strcmp(a, "--format") == 0)
				format = v;
			else if (strcmp(a, "--encoding") == 0)
				encoding = opts.encoding = v;
			else if (strcmp(a, "--printer") == 0)
				print = true, opts.target = v;
			else
				print = true, opts.dest = XF_PRINT_FILE, opts.target = v;
		} else if (eq && strncmp(a, "since=", 6) == 0) {
			snprintf(since, sizeof since, "%s", eq + 1);
		} else if (eq && strncmp(a, "until=", 6) == 0) {
			snprintf(until, sizeof until, "%s", eq + 1);
		} else if (eq && (strncmp(a, "month=", 6) == 0 || strncmp(a, "quarter=", 8) == 0 ||
		                  strncmp(a, "year=", 5) == 0)) {
			char key[16];
			snprintf(key, sizeof key, "%.*s", (int)(eq - a), a);
			if (report_period(key, eq + 1, since, until, &err) != XF_OK)
				return usage_error("%s", err.msg);
		} else if (eq && strncmp(a, "by=", 3) == 0) {
			int ax = report_axis_parse(eq + 1);
			if (ax < 0)
				return usage_error("by=“%s”不认识：可选 channel category department importance state jrt", eq + 1);
			mask |= ax == XF_AXIS_JRT_CHANNEL ? XF_AXES_JRT : 1u << ax;
		} else {
			return usage_error("stats 不认识参数“%s”", a);
		}
	}
	if (!*since || !*until)
		return usage_error("请给出期间：since=YYYY-MM-DD until=YYYY-MM-DD，或 month=YYYY-MM、quarter=YYYY-Qn、year=YYYY%s", "");
	if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0)
		return usage_error("--format “%s”不认识：可选 text、csv", format);
	struct xf_stats st;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = report_stats(&c->session, since, until, &st, &err);
	if (rc != XF_OK)
		return refused(&err);
	if ((mask & XF_AXES_JRT) && (rc = report_stats_jrt(&c->session, &st, &err)) != XF_OK) {
		report_free(&st);
		return refused(&err);
	}
	struct xf_buf out;
	buf_init(&out);
	if (print) {
		rc = report_print(&c->session, &st, mask, &opts, NULL, &err);
		if (rc == XF_OK)
			fprintf(stderr, "已打印 %s 至 %s 的统计\n", since, until);
	} else {
		if (strcmp(format, "csv") == 0)
			report_csv(&st, mask, &out);
		else
			report_render(&st, mask, 80, XF_RENDER_TERMINAL, &out);
		if (encoding && out.len) {
			char *enc = NULL;
			size_t len = 0;
			if (text_convert(out.data, out.len, encoding, &enc, &len, NULL) != XF_OK)
				rc = xf_err_set(&err, XF_EINVAL, "统计结果无法用 %s 编码：请改用 GB18030 或 UTF-8", encoding);
			else
				rc = write_out(enc, len, &err);
			free(enc);
		} else if (out.len) {
			rc = write_out(out.data, out.len, &err);
		}
	}
	buf_free(&out);
	report_free(&st);
	return rc == XF_OK ? 0 : refused(&err);
}

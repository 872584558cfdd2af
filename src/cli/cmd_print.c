/* xinfang print: a case's paper forms to a printer queue, a file or standard output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "xinfang/case.h"
#include "xinfang/print.h"
#include "xinfang/slip.h"

/* xinfang print NUMBER FORM [--to FILE|-] [--printer QUEUE] [--format pdf|text] [--encoding ENC]. */
int cmd_print(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_error("用法：xinfang print 编号 registration|transfer|outcome [--to 文件|-] [--printer 队列] [--format pdf|text] [--encoding 编码]%s", "");
	struct xf_print_report report;
	struct xf_print_opts opts = {argv[1], NULL, XF_PRINT_SPOOLER, NULL, slip_default_page(), NULL, XF_FORMAT_AUTO,
	                             &report};
	bool to_stdout = false;
	for (int i = 2; i < argc; i++) {
		if (i + 1 >= argc)
			return usage_error("print 的参数“%s”后面缺少值", argv[i]);
		if (strcmp(argv[i], "--to") == 0) {
			to_stdout = strcmp(argv[i + 1], "-") == 0;
			opts.dest = to_stdout ? XF_PRINT_CALLER : XF_PRINT_FILE;
			opts.target = argv[++i];
		} else if (strcmp(argv[i], "--printer") == 0) {
			opts.dest = XF_PRINT_SPOOLER;
			opts.target = argv[++i];
		} else if (strcmp(argv[i], "--format") == 0) {
			opts.format = print_format_parse(argv[++i]);
			if (opts.format == XF_FORMAT_AUTO)
				return usage_error("--format 应为 pdf 或 text，不是“%s”", argv[i]);
		} else if (strcmp(argv[i], "--encoding") == 0) {
			opts.encoding = argv[++i];
		} else {
			return usage_error("print 不认识参数“%s”", argv[i]);
		}
	}
	struct xf_err err;
	int64_t id;
	struct xf_buf bytes;
	buf_init(&bytes);
	int rc = login_and_find(c, argv[0], &id, &err);
	if (rc == XF_OK)
		rc = print_case(&c->session, id, &opts, &bytes, &err);
	if (rc == XF_OK && to_stdout) {
		cli_output_raw(); /* a PDF, or text already in the encoding asked */
		if (fwrite(bytes.data, 1, bytes.len, stdout) != bytes.len || fflush(stdout) != 0)
			rc = xf_err_set(&err, XF_EIO, "写到标准输出失败");
		else
			rc = print_record(&c->session, id, opts.form, "标准输出",
			                  opts.format == XF_FORMAT_PDF ? "PDF" : opts.encoding ? opts.encoding : "GB18030", &err);
	}
	buf_free(&bytes);
	if (rc != XF_OK)
		return refused(&err);
	if (!to_stdout) {
		char said[512];
		print_report_text(&report, said, sizeof said);
		fprintf(stderr, "%s：%s 的%s（%s）\n", said, argv[0], print_form_title(opts.form),
		        report.format == XF_FORMAT_PDF ? "PDF" : "文本");
	}
	return 0;
}

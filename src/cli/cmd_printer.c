/* xinfang printer: the office's default printer queue, format and encoding, kept in the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "xinfang/print.h"

/* xinfang printer [show] | printer set queue=QUEUE format=pdf|text encoding=ENC line_end=lf|crlf. */
int cmd_printer(struct cli *c, int argc, char **argv)
{
	bool set = argc >= 1 && strcmp(argv[0], "set") == 0;
	if (!(argc == 0 || (argc == 1 && strcmp(argv[0], "show") == 0) || (set && argc >= 2)))
		return usage_error("用法：xinfang printer [show] | xinfang printer set queue=队列 format=pdf|text encoding=GB18030|UTF-8|GBK line_end=lf|crlf%s", "");
	struct xf_fields f;
	fields_init(&f);
	if (set) {
		int bad = parse_pairs(argc - 1, argv + 1, &f);
		if (bad >= 0) {
			fields_free(&f);
			return usage_error("参数“%s”应写成 键=值", argv[1 + bad]);
		}
	}
	struct xf_err err;
	int rc = login(c, &err);
	for (size_t i = 0; rc == XF_OK && i < f.n; i++)
		rc = print_office_set(&c->session, f.v[i].key, f.v[i].val, &err);
	fields_free(&f);
	struct xf_print_prefs office;
	if (rc == XF_OK)
		rc = print_office_prefs(&c->session, &office, &err);
	if (rc != XF_OK)
		return refused(&err);
	printf("queue\t%s\nformat\t%s\nencoding\t%s\nline_end\t%s\n", *office.queue ? office.queue : "（系统默认打印机）",
	       office.format, office.encoding, office.line_end);
	return 0;
}

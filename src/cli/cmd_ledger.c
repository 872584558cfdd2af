/* The ledger on the command line: xinfang export and xinfang import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "xinfang/csv.h"
#include "xinfang/ledger.h"

/* A counter on stderr, rewritten in place, when stderr is a terminal. */
static void show_progress(void *ctx, long done, long total)
{
	const char *what = ctx;
	if (!isatty(STDERR_FILENO))
		return;
	if (total > 0)
		fprintf(stderr, "\r%s %ld / %ld 行", what, done, total);
	else
		fprintf(stderr, "\r%s %ld 行", what, done);
	if (total > 0 && done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* xinfang export [since=D] [until=D] [branch=CODE | --branch CODE] [--format csv|xlsx] [--encoding GB18030|UTF-8] --to FILE */
int cmd_export(struct cli *c, int argc, char **argv)
{
	struct xf_export opts;
	memset(&opts, 0, sizeof opts);
	const char *format = NULL;
	if (cli_take_branch(&argc, argv, &opts.branch) != 0)
		return usage_error("--branch 后面须写机构代码%s", "");
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			opts.path = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strcmp(argv[i], "--encoding") == 0 && i + 1 < argc)
			opts.encoding = argv[++i];
		else if (strncmp(argv[i], "since=", 6) == 0)
			opts.since = argv[i] + 6;
		else if (strncmp(argv[i], "until=", 6) == 0)
			opts.until = argv[i] + 6;
		else if (strncmp(argv[i], "branch=", 7) == 0)
			opts.branch = argv[i] + 7;
		else
			return usage_error("export 不认识“%s”：xinfang export [since=日期] [until=日期] [branch=代码 | --branch 代码] [--format csv|xlsx] "
			                   "[--encoding GB18030|UTF-8] --to 文件",
			                   argv[i]);
	}
	if (opts.path == NULL)
		return usage_error("请用 --to 文件 指明台账写到哪里（- 为标准输出）%s", "");
	size_t n = strlen(opts.path);
	if (format == NULL)
		format = n > 5 && strcasecmp(opts.path + n - 5, ".xlsx") == 0 ? "xlsx" : "csv";
	if (strcasecmp(format, "xlsx") == 0)
		opts.format = XF_LEDGER_XLSX;
	else if (strcasecmp(format, "csv") == 0)
		opts.format = XF_LEDGER_CSV;
	else
		return usage_error("格式“%s”不支持：可用 csv 或 xlsx", format);
	opts.progress = show_progress;
	opts.progress_ctx = "导出台账";
	struct xf_err err;
	long rows = 0, beyond_gbk = 0;
	opts.beyond_gbk = &beyond_gbk;
	int rc = login(c, &err);
	if (rc == XF_OK && strcmp(opts.path, "-") == 0)
		cli_output_raw(); /* the ledger's bytes are in the encoding asked */
	if (rc == XF_OK)
		rc = ledger_export(&c->session, &opts, &rows, &err);
	if (rc != XF_OK)
		return refused(&err);
	if (strcmp(opts.path, "-") != 0)
		printf("已导出 %ld 件到 %s\n", rows, opts.path);
	if (beyond_gbk > 0)
		fprintf(stderr,
		        "注意：台账里有 %ld 个字不在 GBK 字符集之内（如 𠮷），文件中已按 GB18030 写对，但 Excel 双击时按 GBK "
		        "打开会显示成乱码：这样的台账请用 --encoding UTF-8（Excel 2016 起双击可开）或 --format xlsx 导出\n",
		        beyond_gbk);
	return 0;
}

/* xinfang import FILE [--dry-run] */
int cmd_import(struct cli *c, int argc, char **argv)
{
	const char *path = NULL;
	bool dry_run = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = true;
		else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else
			return usage_error("import 不认识“%s”：xinfang import 文件.csv [--dry-run]", argv[i]);
	}
	if (path == NULL)
		return usage_error("请指明要导入的台账文件：xinfang import 文件.csv [--dry-run]%s", "");
	struct xf_err err;
	struct xf_import_report rep;
	memset(&rep, 0, sizeof rep);
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = ledger_import(&c->session, path, dry_run, show_progress, dry_run ? "检查台账" : "导入台账", &rep, &err);
	if (rep.rows > 0 || rep.problem_count > 0)
		printf("%s：%s 编码，%ld 件%s%s%s%s%s\n", path, rep.encoding[0] ? rep.encoding : "?", rep.rows,
		       rep.first_number[0] ? "（编号 " : "", rep.first_number, rep.first_number[0] ? " 至 " : "",
		       rep.first_number[0] ? rep.last_number : "", rep.first_number[0] ? "）" : "");
	if (rep.notes && *rep.notes)
		printf("提示：%s\n", rep.notes);
	for (size_t i = 0; i < rep.nproblems; i++) {
		const struct xf_import_problem *p = &rep.problems[i];
		if (p->column > 0) {
			char letter[8];
			csv_column_name((size_t)p->column - 1, letter);
			printf("第 %ld 行 %s 列（%s）：%s\n", p->line, letter, p->header, p->msg);
		} else {
			printf("第 %ld 行：%s\n", p->line, p->msg);
		}
	}
	if ((long)rep.nproblems < rep.problem_count)
		printf("……另有 %ld 处问题未列出\n", rep.problem_count - (long)rep.nproblems);
	if (rc == XF_OK) {
		if (dry_run)
			printf("试导入：没有发现问题，可导入 %ld 件（未写入数据库）\n", rep.rows);
		else
			printf("已导入 %ld 件\n", rep.imported);
	}
	import_report_free(&rep);
	return rc == XF_OK ? 0 : refused(&err);
}

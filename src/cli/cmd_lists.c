/* Lists across cases: due, status, list, find. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "xinfang/branch.h"
#include "xinfang/case.h"
#include "xinfang/oversight.h"
#include "xinfang/repeat.h"
#include "xinfang/clock.h"

/* xinfang due a page at a time: for an account whose reach holds several branches, the limits
 * list across them, each case with its branch; for one branch (a one-office store's admin, a
 * branch's clerk), that branch's list in its own columns. */
static int due_paged(struct cli *c, long page, bool several)
{
	struct xf_err err;
	struct xf_rows rows;
	bool more = false;
	if (oversight_due(&c->session, (page - 1) * XF_OVERSIGHT_PAGE, XF_OVERSIGHT_PAGE, &rows, &more, &err) != XF_OK)
		return refused(&err);
	char today[11];
	date_format(clock_today(), today);
	static const char *const across_keys[] = {"branch", "number", "limit", "state", "due", "days_left", "name",
	                                          "department", NULL};
	static const char *const own_keys[] = {"limit", "number", "state", "due", "days_left", "name", "department", NULL};
	if (several)
		printf("# %s 各分支机构临近或超过时限的事项（第 %ld 页）：分支机构\t编号\t时限\t状态\t期限\t剩余天数\t信访人\t承办部门\n",
		       today, page);
	else
		printf("# %s 临近或超过时限的事项（第 %ld 页）：时限\t编号\t状态\t期限\t剩余天数\t信访人\t承办部门\n", today, page);
	for (size_t i = 0; i < rows.n; i++)
		print_columns(&rows.v[i], several ? across_keys : own_keys);
	if (more)
		printf("# 还有更多：xinfang due page=%ld\n", page + 1);
	rows_free(&rows);
	return 0;
}

/* xinfang due [--branch 代码 | branch=代码] [page=N]. */
int cmd_due(struct cli *c, int argc, char **argv)
{
	const char *branch = NULL;
	if (cli_take_branch(&argc, argv, &branch) != 0)
		return usage_error("--branch 后面须写机构代码%s", "");
	long page = 0;
	for (int i = 0; i < argc; i++) {
		char *end;
		if (strncmp(argv[i], "branch=", 7) == 0)
			branch = argv[i] + 7;
		else if (strncmp(argv[i], "page=", 5) != 0 || (page = strtol(argv[i] + 5, &end, 10)) < 1 || *end)
			return usage_error("due 只接受 --branch 代码、branch=代码 或 page=N（N 从 1 起，每页 50 件），不认识“%s”",
			                   argv[i]);
	}
	struct xf_err err;
	struct xf_rows rows;
	int rc = login(c, &err);
	if (rc != XF_OK)
		return refused(&err);
	/* A supervisor or admin with branches under theirs sees them all, each case named with its
	 * branch; a one-office store's admin sees the office's list as before branches existed; one
	 * branch asked for is that branch's list. */
	bool several = branch == NULL && branch_reach_several(&c->session);
	if (branch == NULL && (several || page > 0))
		return due_paged(c, page > 0 ? page : 1, several);
	rc = case_due_list_in(&c->session, branch, &rows, &err);
	if (rc != XF_OK)
		return refused(&err);
	char today[11];
	date_format(clock_today(), today);
	printf("# %s 临近或超过时限的事项：时限\t编号\t状态\t期限\t剩余天数\t信访人\t承办部门\n", today);
	static const char *const due_keys[] = {"limit", "number", "state", "due", "days_left", "name", "department", NULL};
	for (size_t i = 0; i < rows.n; i++)
		print_columns(&rows.v[i], due_keys);
	struct xf_status_counts counts;
	char line[256];
	if (case_status_counts(&c->session, &counts, &err) == XF_OK) {
		case_status_text(&counts, line, sizeof line);
		printf("# %s\n", line);
	}
	rows_free(&rows);
	return 0;
}

/* xinfang status. */
int cmd_status(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return usage_error("status 不带参数%s", "");
	struct xf_err err;
	struct xf_status_counts counts;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = case_status_counts(&c->session, &counts, &err);
	if (rc != XF_OK)
		return refused(&err);
	char line[256];
	case_status_text(&counts, line, sizeof line);
	printf("%s\n", line);
	return 0;
}

/* xinfang list [state=] [dept=] [limit=] [--branch 代码 | branch=代码]. */
int cmd_list(struct cli *c, int argc, char **argv)
{
	const char *branch = NULL;
	if (cli_take_branch(&argc, argv, &branch) != 0)
		return usage_error("--branch 后面须写机构代码%s", "");
	struct xf_fields f;
	int bad = parse_pairs(argc, argv, &f);
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[bad]);
	}
	struct xf_err err;
	struct xf_rows rows;
	int limit = fields_has(&f, "limit") ? atoi(fields_str(&f, "limit")) : 100;
	if (limit <= 0) {
		int code = usage_error("limit= 应为正整数，不是“%s”", fields_str(&f, "limit"));
		fields_free(&f);
		return code;
	}
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = case_list_in(&c->session, branch ? branch : fields_get(&f, "branch"), fields_get(&f, "state"),
		                  fields_get(&f, "dept"), fields_get(&f, "operator"), XF_LIST_NEWEST, limit + 1, &rows, &err);
	fields_free(&f);
	if (rc != XF_OK)
		return refused(&err);
	static const char *const list_keys[] = {"number", "state", "received", "channel", "name", "category", "department",
	                                        NULL};
	/* One more than asked tells whether the list stops at its limit. */
	bool more = rows.n > (size_t)limit;
	for (size_t i = 0; i < rows.n && (!more || i < (size_t)limit); i++)
		print_columns(&rows.v[i], list_keys);
	if (more)
		fprintf(stderr, "只列出前 %d 件，用 limit= 看更多\n", limit);
	rows_free(&rows);
	return 0;
}

/* xinfang find NUMBER: the one case of that number, current or earlier (a case moved between
 * branches, said on stderr as show says it), on one line as find prints a petitioner's. */
static int find_number(struct cli *c, const char *number)
{
	struct xf_err err;
	int64_t id;
	struct xf_fields view;
	int rc = login_and_find(c, number, &id, &err);
	if (rc == XF_OK)
		rc = case_view(&c->session, id, &view, &err);
	if (rc != XF_OK)
		return refused(&err);
	fields_set(&view, "match", "编号");
	static const char *const keys[] = {"number", "state", "received", "name", "match", NULL};
	print_columns(&view, keys);
	fields_free(&view);
	return 0;
}

/* xinfang find id_number=|phone=|name= | NUMBER. */
int cmd_find(struct cli *c, int argc, char **argv)
{
	if (argc == 1 && strchr(argv[0], '=') == NULL)
		return find_number(c, argv[0]);
	struct xf_fields f;
	int bad = parse_pairs(argc, argv, &f);
	if (bad >= 0 || argc == 0) {
		fields_free(&f);
		return usage_error("用法：xinfang find id_number=号码 | phone=电话 | name=姓名 [limit=N]，或 xinfang find 编号%s", "");
	}
	long limit = 50;
	if (fields_has(&f, "limit")) {
		limit = atol(fields_str(&f, "limit"));
		if (limit <= 0) {
			fields_free(&f);
			return usage_error("limit=“%s”应为正整数", fields_str(&f, "limit"));
		}
	}
	struct xf_fields probe;
	fields_init(&probe);
	for (size_t i = 0; i < f.n; i++)
		if (strcmp(f.v[i].key, "limit") != 0)
			fields_set(&probe, f.v[i].key, f.v[i].val);
	fields_free(&f);
	struct xf_err err;
	struct xf_repeat found;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = repeat_find(&c->session, &probe, 0, (size_t)limit, &found, &err);
	fields_free(&probe);
	if (rc != XF_OK)
		return refused(&err);
	static const char *const find_keys[] = {"number", "state", "received", "name", "match", NULL};
	for (size_t i = 0; i < found.latest.n; i++)
		print_columns(&found.latest.v[i], find_keys);
	if (found.total > found.latest.n) {
		char counts[160];
		repeat_counts_text(&found, counts, sizeof counts);
		fprintf(stderr, "共 %zu 件（%s），以上是最近 %zu 件；limit=N 显示更多\n", found.total, counts, found.latest.n);
	}
	repeat_free(&found);
	return 0;
}


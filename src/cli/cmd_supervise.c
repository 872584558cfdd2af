/* The head office's commands across branches: handover, takeover, handup (a case changes
 * branch and number), supervise (督办 with a deadline), answer (the branch's report) and
 * supervised (the urged cases and their answers). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "xinfang/supervise.h"

/* Parses the KEY=VALUE arguments after the fixed ones, allowing only the keys in allowed
 * (space-separated); a usage error's exit code, or -1 when they are right. */
static int pairs(int argc, char **argv, const char *allowed, const char *usage, struct xf_fields *f)
{
	fields_init(f);
	int bad = parse_pairs(argc, argv, f);
	if (bad >= 0) {
		fields_free(f);
		return usage_error("参数“%s”应写成 键=值", argv[bad]);
	}
	for (size_t i = 0; i < f->n; i++) {
		char key[40];
		snprintf(key, sizeof key, " %s ", f->v[i].key);
		char *padded = xasprintf(" %s ", allowed);
		bool known = strstr(padded, key) != NULL;
		free(padded);
		if (!known) {
			int code = usage_error(usage, f->v[i].key);
			fields_free(f);
			return code;
		}
	}
	return -1;
}

/* One move across branches: NUMBER [BRANCH] [note=...]. */
static int branch_move(struct cli *c, enum xf_branch_move kind, int argc, char **argv)
{
	static const char *const usages[] = {
		"用法：xinfang handover 编号 机构代码 [note=说明]（不认识“%s”）",
		"用法：xinfang takeover 编号 [note=说明]（不认识“%s”）",
		"用法：xinfang handup 编号 [note=说明]（不认识“%s”）",
	};
	int fixed = kind == XF_BM_HAND_OVER ? 2 : 1;
	if (argc < fixed || strchr(argv[0], '=') || (fixed == 2 && strchr(argv[1], '=')))
		return usage_error(usages[kind], "");
	struct xf_fields f;
	int bad = pairs(argc - fixed, argv + fixed, "note", usages[kind], &f);
	if (bad >= 0)
		return bad;
	struct xf_err err;
	int64_t id;
	char number[32];
	int rc = login_and_find(c, argv[0], &id, &err);
	if (rc == XF_OK)
		rc = supervise_move(&c->session, id, kind, fixed == 2 ? argv[1] : NULL, fields_get(&f, "note"), 0, number,
		                    &err);
	fields_free(&f);
	if (rc != XF_OK)
		return refused(&err);
	printf("%s：%s 现为 %s（原编号留档）\n", supervise_move_label(kind), argv[0], number);
	puts(number);
	return 0;
}

/* xinfang handover NUMBER BRANCH [note=...] */
int cmd_handover(struct cli *c, int argc, char **argv)
{
	return branch_move(c, XF_BM_HAND_OVER, argc, argv);
}

/* xinfang takeover NUMBER [note=...] */
int cmd_takeover(struct cli *c, int argc, char **argv)
{
	return branch_move(c, XF_BM_TAKE_OVER, argc, argv);
}

/* xinfang handup NUMBER [note=...] */
int cmd_handup(struct cli *c, int argc, char **argv)
{
	return branch_move(c, XF_BM_HAND_UP, argc, argv);
}

/* A command on one case: NUMBER then KEY=VALUE pairs of the allowed keys; logs in and finds
 * the case. A usage error's exit code, or -1 with *f filled (and *rc the core's status). */
static int case_command(struct cli *c, int argc, char **argv, const char *allowed, const char *usage,
                        struct xf_fields *f, int64_t *id, int *rc, struct xf_err *err)
{
	if (argc < 1 || strchr(argv[0], '='))
		return usage_error(usage, "");
	int bad = pairs(argc - 1, argv + 1, allowed, usage, f);
	if (bad >= 0)
		return bad;
	*rc = login_and_find(c, argv[0], id, err);
	return -1;
}

/* xinfang supervise NUMBER deadline=YYYY-MM-DD [note=...] */
int cmd_supervise(struct cli *c, int argc, char **argv)
{
	struct xf_fields f;
	struct xf_err err;
	int64_t id;
	int rc, bad = case_command(c, argc, argv, "deadline note",
	                           "用法：xinfang supervise 编号 deadline=YYYY-MM-DD [note=督办要求]（不认识“%s”）", &f, &id,
	                           &rc, &err);
	if (bad >= 0)
		return bad;
	if (rc == XF_OK)
		rc = supervise_urge(&c->session, id, fields_get(&f, "deadline"), fields_get(&f, "note"), &err);
	if (rc == XF_OK)
		printf("已督办 %s：请于 %s 前报告办理情况\n", argv[0], fields_str(&f, "deadline"));
	fields_free(&f);
	return rc == XF_OK ? 0 : refused(&err);
}

/* xinfang answer NUMBER text=... */
int cmd_answer(struct cli *c, int argc, char **argv)
{
	struct xf_fields f;
	struct xf_err err;
	int64_t id;
	int rc, bad = case_command(c, argc, argv, "text", "用法：xinfang answer 编号 text=办理情况（不认识“%s”）", &f,
	                           &id, &rc, &err);
	if (bad >= 0)
		return bad;
	if (rc == XF_OK)
		rc = supervise_answer(&c->session, id, fields_get(&f, "text"), &err);
	if (rc == XF_OK)
		printf("已答复 %s 的督办\n", argv[0]);
	fields_free(&f);
	return rc == XF_OK ? 0 : refused(&err);
}

/* xinfang supervised [--branch CODE | branch=CODE]: one line per urging. */
int cmd_supervised(struct cli *c, int argc, char **argv)
{
	const char *code = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--branch") == 0 && i + 1 < argc)
			code = argv[++i];
		else if (strncmp(argv[i], "branch=", 7) == 0)
			code = argv[i] + 7;
		else
			return usage_error("用法：xinfang supervised [--branch 机构代码]（不认识“%s”）", argv[i]);
	}
	struct xf_err err;
	struct xf_rows rows;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = supervise_list(&c->session, code, &rows, &err);
	if (rc != XF_OK)
		return refused(&err);
	static const char *const keys[] = {"branch_code", "number", "deadline", "days_left", "status", "answered_by",
	                                   "answer", NULL};
	printf("# 督办事项（%zu 件）：机构\t编号\t督办期限\t剩余天数\t状态\t答复人\t办理情况\n", rows.n);
	for (size_t i = 0; i < rows.n; i++)
		print_columns(&rows.v[i], keys);
	rows_free(&rows);
	return 0;
}

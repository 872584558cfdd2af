/* Setting up an office: init, accounts, the calendar and the limit rule sets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "xinfang/auth.h"
#include "xinfang/branch.h"
#include "xinfang/demo.h"
#include "xinfang/paths.h"
#include "xinfang/setup.h"
#include "xinfang/store.h"

/* xinfang init [--training | --demo] [--admin NAME] [--branch CODE --branch-name NAME]. */
int cmd_init(struct cli *c, int argc, char **argv)
{
	bool demo = false, training = false;
	const char *admin = "admin", *branch = NULL, *branch_name = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--branch") == 0 && i + 1 < argc)
			branch = argv[++i];
		else if (strcmp(argv[i], "--branch-name") == 0 && i + 1 < argc)
			branch_name = argv[++i];
		else if (strcmp(argv[i], "--demo") == 0)
			demo = true;
		else if (strcmp(argv[i], "--training") == 0)
			training = true;
		else if (strcmp(argv[i], "--admin") == 0 && i + 1 < argc)
			admin = argv[++i];
		else
			return usage_error("init 不认识参数“%s”", argv[i]);
	}
	struct xf_err err;
	xf_err_clear(&err);
	if (branch_name && !branch)
		return usage_error("--branch-name 须与 --branch 代码 一起给出%s", "");
	if (branch && branch_check_code(branch, &err) != XF_OK) /* before anything is made */
		return refused(&err);
	if (!store_locator_is_server(c->db) && paths_make_parent(c->db, &err) != XF_OK)
		return refused(&err);
	char *pw = get_password("XINFANG_PASSWORD", "为管理员设定密码（至少 6 个字符）：");
	if (pw == NULL) {
		fprintf(stderr, "xinfang：没有管理员密码：请设置 XINFANG_PASSWORD，或在终端上运行以便输入\n");
		return EXIT_REFUSED;
	}
	/* A demo store is a training store, and counts as made only once its cases are all in. */
	unsigned mode = (training || demo ? XF_INIT_TRAINING : 0) | (demo ? XF_INIT_UNFINISHED : 0);
	bool restarted = false;
	int rc = setup_create(c->db, paths_datadir(), admin, pw, mode, &c->st, &c->session, &restarted, &err);
	if (rc == XF_OK && restarted)
		fprintf(stderr, "提示：%s 上次初始化没有完成，已重新开始（原文件移到了 %s.unfinished-*，确认无用后可删除）\n", c->db,
		        c->db);
	if (rc == XF_OK && branch) {
		if ((rc = store_begin(c->st, &err)) == XF_OK &&
		    (rc = branch_set_own(c->st, admin, branch, branch_name, &err)) == XF_OK)
			rc = store_commit(c->st, &err);
		else if (rc != XF_OK)
			store_rollback(c->st);
	}
	if (rc == XF_OK && demo)
		rc = demo_fill(&c->session, pw, 200, 0, &err);
	if (rc == XF_OK && demo)
		rc = setup_finish(c->st, admin, &err);
	free(pw);
	if (rc != XF_OK)
		return refused(&err);
	printf("已初始化 %s（管理员 %s%s%s）\n", c->db, admin, training || demo ? "；培训数据库，可用 --today 指定日期" : "",
	       demo ? "；演示账户 clerk、head、handler，密码同管理员" : "");
	return 0;
}

/* xinfang calendar load FILE | show. */
int cmd_calendar(struct cli *c, int argc, char **argv)
{
	struct xf_err err;
	if (argc == 2 && strcmp(argv[0], "load") == 0) {
		int year = 0, recomputed = 0;
		int rc = login(c, &err);
		if (rc == XF_OK)
			rc = setup_calendar_load(&c->session, argv[1], &year, &recomputed, &err);
		if (rc != XF_OK)
			return refused(&err);
		printf("已导入 %d 年节假日日历；重新计算了 %d 件事项的时限\n", year, recomputed);
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], "show") == 0) {
		int rc = login(c, &err);
		if (rc == XF_OK)
			rc = session_load_reference(&c->session, &err);
		if (rc != XF_OK)
			return refused(&err);
		const struct xf_calendar *cal = &c->session.cal;
		printf("# 已知年份：%d–%d\n", cal->first_year, cal->last_year);
		for (size_t i = 0; i < cal->n; i++) {
			char iso[11];
			date_format(cal->days[i].day, iso);
			printf("%s\t%s\t%s\n", iso, cal->days[i].work ? "班" : "休", cal->days[i].name);
		}
		return 0;
	}
	return usage_error("用法：xinfang calendar load 文件 | xinfang calendar show%s", "");
}

/* xinfang rules [use NAME]. */
int cmd_rules(struct cli *c, int argc, char **argv)
{
	struct xf_err err;
	int rc = login(c, &err);
	if (rc == XF_OK && argc == 2 && strcmp(argv[0], "use") == 0)
		rc = setup_ruleset_use(&c->session, argv[1], &err);
	else if (argc != 0)
		return usage_error("用法：xinfang rules [use 规则集]%s", "");
	if (rc == XF_OK)
		rc = session_load_reference(&c->session, &err);
	if (rc != XF_OK)
		return refused(&err);
	const struct xf_rules *r = &c->session.rules;
	for (size_t i = 0; i < r->nsets; i++) {
		printf("%s%s\t%s\n", strcmp(r->sets[i].name, r->active) == 0 ? "* " : "  ", r->sets[i].name,
		       r->sets[i].label);
		for (size_t j = 0; j < r->n; j++) {
			const struct xf_rule *x = &r->rules[j];
			if (strcmp(x->ruleset, r->sets[i].name) == 0)
				printf("    %s\t%s\t%d %s\n", limits_kind_label(x->kind), *x->category ? x->category : "（全部）",
				       x->length, limits_unit_label(x->unit));
		}
	}
	return 0;
}


/* xinfang branch set CODE [NAME]: the store's own branch gets its code (admins only). */
static int branch_set_cmd(struct cli *c, const char *code, const char *name)
{
	struct xf_err err;
	int rc = login(c, &err);
	if (rc == XF_OK && !auth_require(&c->session, 0, "设定本机构的代码", &err))
		rc = err.code;
	if (rc == XF_OK && (rc = session_begin(&c->session, &err)) == XF_OK) {
		rc = branch_set_own(c->st, c->session.op.name, code, name, &err);
		if (rc == XF_OK)
			rc = store_commit(c->st, &err);
		else
			store_rollback(c->st);
	}
	if (rc != XF_OK)
		return refused(&err);
	printf("本机构的代码为 %s\n", code);
	return 0;
}

/* xinfang branch push-login CODE [LOGIN]: the server login the branch's push must come as
 * (none: any). */
static int branch_push_login_cmd(struct cli *c, const char *code, const char *name)
{
	struct xf_err err;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = branch_set_push_login(&c->session, code, name, &err);
	if (rc != XF_OK)
		return refused(&err);
	if (name && *name)
		printf("分支机构 %s 只能用登录名 %s 推送\n", code, name);
	else
		printf("分支机构 %s 的推送不再限定登录名\n", code);
	return 0;
}

/* xinfang branch add CODE NAME [parent=CODE] [push_login=LOGIN] | branch list | branch set CODE
 * [NAME] | branch push-login CODE [LOGIN]. */
int cmd_branch(struct cli *c, int argc, char **argv)
{
	static const char usage[] = "用法：xinfang branch add 代码 名称 [parent=上级代码] [push_login=登录名] | branch list | "
	                            "branch set 代码 [名称] | branch push-login 代码 [登录名]%s";
	const char *sub = argc > 0 ? argv[0] : "";
	bool add = strcmp(sub, "add") == 0 && argc >= 3, list = strcmp(sub, "list") == 0 && argc == 1;
	if (strcmp(sub, "set") == 0 && (argc == 2 || argc == 3))
		return branch_set_cmd(c, argv[1], argc == 3 ? argv[2] : NULL);
	if (strcmp(sub, "push-login") == 0 && (argc == 2 || argc == 3))
		return branch_push_login_cmd(c, argv[1], argc == 3 ? argv[2] : NULL);
	if (!add && !list)
		return usage_error(usage, "");
	struct xf_fields f;
	int bad = parse_pairs(argc - (add ? 3 : 1), argv + (add ? 3 : 1), &f);
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[(add ? 3 : 1) + bad]);
	}
	struct xf_err err;
	int rc = login(c, &err);
	if (rc == XF_OK && add) {
		const char *push_login = fields_get(&f, "push_login");
		for (size_t i = 0; i < f.n; i++)
			if (strcmp(f.v[i].key, "parent") != 0 && strcmp(f.v[i].key, "push_login") != 0) {
				fields_free(&f);
				return usage_error(usage, "");
			}
		/* the login checked first, so a bad one adds no branch */
		if (push_login && *push_login)
			rc = branch_check_push_login(c->st, push_login, &err);
		if (rc == XF_OK)
			rc = branch_add(&c->session, argv[1], argv[2], fields_get(&f, "parent"), NULL, &err);
		if (rc == XF_OK && push_login && *push_login)
			rc = branch_set_push_login(&c->session, argv[1], push_login, &err);
		if (rc == XF_OK)
			printf("已添加分支机构 %s %s\n", argv[1], argv[2]);
	} else if (rc == XF_OK) {
		struct xf_branch *v;
		size_t n;
		if ((rc = branch_list(&c->session, &v, &n, &err)) == XF_OK) {
			printf("代码\t名称\t上级\t推送\t推送登录名\n");
			for (size_t i = 0; i < n; i++) {
				const char *up = "";
				for (size_t k = 0; k < n; k++)
					if (v[k].id == v[i].parent)
						up = v[k].code;
				printf("%s\t%s\t%s\t%s\t%s\n", v[i].code, v[i].name, up, v[i].pushed ? "是" : "", v[i].push_login);
			}
			free(v);
		}
	}
	fields_free(&f);
	return rc == XF_OK ? 0 : refused(&err);
}

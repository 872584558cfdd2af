/* The command line: `xinfang [options] [command]`, the same core calls the screens use. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "xf_config.h"
#include "xinfang/audit.h"
#include "xinfang/auth.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/demo.h"
#include "xinfang/paths.h"
#include "xinfang/print.h"
#include "xinfang/setup.h"
#include "xinfang/store.h"
#include "tui/tui.h"

enum { EXIT_REFUSED = 1, EXIT_USAGE = 2 };

/* Options shared by every command. */
struct cli {
	char *db;
	const char *user;
	struct xf_store *st;
	struct xf_session session;
};

static const char usage_text[] =
	"用法：xinfang [选项] [命令 [参数]]\n"
	"      不带命令时打开信访工作台（全屏界面）。\n"
	"\n"
	"选项：\n"
	"  --db 文件          数据库文件（默认 $XINFANG_DB，否则 $XDG_DATA_HOME/xinfang/xinfang.db）\n"
	"  --today 日期       把今天当作 YYYY-MM-DD（也可用 XINFANG_TODAY），用于演示和测试\n"
	"  --user 用户名      操作员（也可用 XINFANG_USER）；密码取 XINFANG_PASSWORD，否则询问\n"
	"  --help, --version\n"
	"\n"
	"命令：\n"
	"  init [--demo]                      新建数据库和管理员 admin（--demo 再加约两百件演示事项）\n"
	"  user add 用户名 角色 [full_name=姓名] [dept=部门]\n"
	"                                     角色：operator 接待员，head 办公室主任，handler 经办人，admin 管理员\n"
	"  new 键=值 ...                      登记，最后一行输出编号（键见下）\n"
	"  show 编号                          显示事项（每行 键<TAB>值）\n"
	"  history 编号                       办理经过（谁、何时、做了什么）\n"
	"  edit 编号 键=值 ...                更正登记内容（原值留档）\n"
	"  transfer 编号 dept=部门 [deadline=日期] [instruction=批示 leader=领导] [co_depts=协办] [opinion=意见]\n"
	"  outcome 编号 findings=调查核实情况 [satisfaction=满意|基本满意|不满意|未表态] ...\n"
	"  reply 编号 method=口头|书面 [date=日期]     close 编号 [note=]\n"
	"  reject 编号 reason= advice=        spot 编号 answer=        return 编号 reason=\n"
	"  withdraw 编号 reason= voluntary=是|否      instruct 编号 leader= text=\n"
	"  extend 编号 until=日期 reason= [limit=handle|reply]    decide 编号 decision=同意|不同意\n"
	"  urge 编号 target= method=          material 编号 description= [copies=]   link 编号 另一编号\n"
	"  print 编号 registration|transfer|outcome [--to 文件|-] [--printer 命令] [--encoding GB18030|UTF-8|GBK]\n"
	"                                     打印登记表、转办单、处理结果报告单（默认送 $XINFANG_PRINTER，否则 lp）\n"
	"  due                                临近或超过时限的事项\n"
	"  status                             状态栏的一行文字\n"
	"  list [state=状态] [dept=部门] [operator=登记人] [limit=N]\n"
	"  find id_number=|phone=|name=       某信访人的全部事项（重复信访）\n"
	"  calendar load 文件 | calendar show 节假日日历\n"
	"  rules [use 规则集]                 时限规则集\n"
	"\n"
	"登记的键：received channel name gender age id_number phone address work_unit people\n"
	"  anonymous subject category amount summary materials confidential first_asked receiver\n"
	"  importance spot_answer，另有 repeat_of=编号 关联重复信访。是/否 也可写 y/n、1/0。\n"
	"\n"
	"退出码：0 成功；1 被拒绝或数据有误（原因见 stderr）；2 用法错误。\n";

/* Prints usage to stderr and returns the usage exit code. */
static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "xinfang：");
	fprintf(stderr, fmt, arg ? arg : "");
	fprintf(stderr, "\n（xinfang --help 查看用法）\n");
	return EXIT_USAGE;
}

/* Prints a core error and returns the refused exit code. */
static int refused(const struct xf_err *err)
{
	fprintf(stderr, "xinfang：%s\n", err->msg[0] ? err->msg : "操作失败");
	return EXIT_REFUSED;
}

/* Reads a password from the terminal without echo; NULL when there is no terminal. */
static char *ask_password(const char *prompt)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (tty == NULL)
		return NULL;
	struct termios old, quiet;
	int fd = fileno(tty);
	bool have_termios = tcgetattr(fd, &old) == 0;
	if (have_termios) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	fprintf(tty, "%s", prompt);
	fflush(tty);
	char line[256];
	char *got = fgets(line, sizeof line, tty);
	if (have_termios)
		tcsetattr(fd, TCSAFLUSH, &old);
	fprintf(tty, "\n");
	fclose(tty);
	if (got == NULL)
		return NULL;
	line[strcspn(line, "\r\n")] = '\0';
	return xstrdup(line);
}

/* The password from XINFANG_PASSWORD or the terminal. */
static char *get_password(const char *env_name, const char *prompt)
{
	const char *env = getenv(env_name);
	if (env != NULL)
		return xstrdup(env);
	return ask_password(prompt);
}

/* Parses KEY=VALUE arguments into fields; returns the index of a bad one, or -1. */
static int parse_pairs(int argc, char **argv, struct xf_fields *f)
{
	fields_init(f);
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL || eq == argv[i])
			return i;
		char *key = xstrndup(argv[i], (size_t)(eq - argv[i]));
		fields_set(f, key, eq + 1);
		free(key);
	}
	return -1;
}

/* Writes a value with \n, \t and \\ escaped so each field stays on one line. */
static void print_value(const char *v)
{
	for (; *v; v++) {
		if (*v == '\n')
			fputs("\\n", stdout);
		else if (*v == '\t')
			fputs("\\t", stdout);
		else if (*v == '\\')
			fputs("\\\\", stdout);
		else if (*v != '\r')
			putchar(*v);
	}
}

/* Prints fields as key<TAB>value lines. */
static void print_fields(const struct xf_fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		printf("%s\t", f->v[i].key);
		print_value(f->v[i].val);
		putchar('\n');
	}
}

/* Opens the store and logs the operator in. */
static int login(struct cli *c, struct xf_err *err)
{
	int rc = setup_open(c->db, &c->st, err);
	if (rc != XF_OK)
		return rc;
	const char *user = c->user ? c->user : getenv("XINFANG_USER");
	if (str_empty(user))
		return xf_err_set(err, XF_EAUTH, "请指明操作员：--user 用户名，或设置 XINFANG_USER");
	char *pw = get_password("XINFANG_PASSWORD", "密码：");
	if (pw == NULL)
		return xf_err_set(err, XF_EAUTH, "没有密码：请设置 XINFANG_PASSWORD，或在终端上运行以便输入");
	rc = auth_login(c->st, user, pw, &c->session, err);
	free(pw);
	return rc;
}

/* xinfang init [--demo] [--admin NAME]. */
static int cmd_init(struct cli *c, int argc, char **argv)
{
	bool demo = false;
	const char *admin = "admin";
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0)
			demo = true;
		else if (strcmp(argv[i], "--admin") == 0 && i + 1 < argc)
			admin = argv[++i];
		else
			return usage_error("init 不认识参数“%s”", argv[i]);
	}
	struct xf_err err;
	xf_err_clear(&err);
	if (paths_make_parent(c->db, &err) != XF_OK)
		return refused(&err);
	char *pw = get_password("XINFANG_PASSWORD", "为管理员设定密码（至少 6 个字符）：");
	if (pw == NULL) {
		fprintf(stderr, "xinfang：没有管理员密码：请设置 XINFANG_PASSWORD，或在终端上运行以便输入\n");
		return EXIT_REFUSED;
	}
	int rc = store_open(c->db, &c->st, &err);
	if (rc == XF_OK)
		rc = setup_init(c->st, paths_datadir(), admin, pw, &c->session, &err);
	if (rc == XF_OK && demo)
		rc = demo_fill(&c->session, pw, 200, 0, &err);
	free(pw);
	if (rc != XF_OK)
		return refused(&err);
	printf("已初始化 %s（管理员 %s%s）\n", c->db, admin, demo ? "；演示账户 clerk、head、handler，密码同管理员" : "");
	return 0;
}

/* xinfang user add NAME ROLE [full_name=] [dept=]. */
static int cmd_user(struct cli *c, int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[0], "add") != 0)
		return usage_error("用法：xinfang user add 用户名 角色 [full_name=姓名] [dept=部门]%s", "");
	struct xf_fields f;
	int bad = parse_pairs(argc - 3, argv + 3, &f);
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[3 + bad]);
	}
	struct xf_err err;
	int rc = login(c, &err);
	char *pw = NULL;
	if (rc == XF_OK) {
		pw = get_password("XINFANG_NEW_PASSWORD", "新用户的密码：");
		if (pw == NULL)
			rc = xf_err_set(&err, XF_EINVAL, "没有新用户的密码：请设置 XINFANG_NEW_PASSWORD，或在终端上运行以便输入");
	}
	if (rc == XF_OK)
		rc = auth_user_add(&c->session, argv[1], argv[2], fields_get(&f, "full_name"), fields_get(&f, "dept"), pw,
		                   &err);
	free(pw);
	fields_free(&f);
	if (rc != XF_OK)
		return refused(&err);
	printf("已添加用户 %s（%s）\n", argv[1], argv[2]);
	return 0;
}

/* xinfang new KEY=VALUE... */
static int cmd_new(struct cli *c, int argc, char **argv)
{
	struct xf_fields f;
	int bad = parse_pairs(argc, argv, &f);
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[bad]);
	}
	struct xf_err err, warn;
	xf_err_clear(&warn);
	int rc = login(c, &err);
	char number[32];
	struct xf_rows repeats = {NULL, 0};
	if (rc == XF_OK)
		rc = case_repeat_matches(&c->session, &f, 0, &repeats, &err);
	if (rc == XF_OK)
		rc = case_register(&c->session, &f, number, &warn, &err);
	fields_free(&f);
	if (rc != XF_OK) {
		rows_free(&repeats);
		return refused(&err);
	}
	if (warn.msg[0])
		fprintf(stderr, "提示：%s\n", warn.msg);
	for (size_t i = 0; i < repeats.n; i++)
		fprintf(stderr, "提示：%s相同的已有事项 %s（%s，%s，%s），可能是重复信访：xinfang link %s %s\n",
		        fields_str(&repeats.v[i], "match"), fields_str(&repeats.v[i], "number"),
		        fields_str(&repeats.v[i], "name"), fields_str(&repeats.v[i], "received"),
		        fields_str(&repeats.v[i], "state"), number, fields_str(&repeats.v[i], "number"));
	rows_free(&repeats);
	printf("%s\n", number);
	return 0;
}

/* Finds the case named by argv[0] after logging in. */
static int login_and_find(struct cli *c, const char *number, int64_t *id, struct xf_err *err)
{
	int rc = login(c, err);
	if (rc == XF_OK)
		rc = case_find(&c->session, number, id, err);
	return rc;
}

/* xinfang show NUMBER. */
static int cmd_show(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("用法：xinfang show 编号%s", "");
	struct xf_err err;
	int64_t id;
	struct xf_fields view;
	int rc = login_and_find(c, argv[0], &id, &err);
	if (rc == XF_OK)
		rc = case_view(&c->session, id, &view, &err);
	if (rc != XF_OK)
		return refused(&err);
	print_fields(&view);
	fields_free(&view);
	return 0;
}

/* xinfang history NUMBER. */
static int cmd_history(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("用法：xinfang history 编号%s", "");
	struct xf_err err;
	int64_t id;
	struct xf_rows rows;
	int rc = login_and_find(c, argv[0], &id, &err);
	if (rc == XF_OK)
		rc = audit_case_history(&c->session, id, &rows, &err);
	if (rc != XF_OK)
		return refused(&err);
	for (size_t i = 0; i < rows.n; i++) {
		const struct xf_fields *r = &rows.v[i];
		printf("%s\t%s\t%s\t", fields_str(r, "at"), fields_str(r, "operator"),
		       audit_action_label(fields_str(r, "action")));
		print_value(fields_str(r, "before"));
		putchar('\t');
		print_value(fields_str(r, "after"));
		putchar('\n');
	}
	rows_free(&rows);
	return 0;
}

/* xinfang edit NUMBER KEY=VALUE... */
static int cmd_edit(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_error("用法：xinfang edit 编号 键=值 ...%s", "");
	struct xf_fields f;
	int bad = parse_pairs(argc - 1, argv + 1, &f);
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[1 + bad]);
	}
	struct xf_err err;
	int64_t id;
	int rc = login_and_find(c, argv[0], &id, &err);
	if (rc == XF_OK)
		rc = case_edit(&c->session, id, &f, 0, &err);
	fields_free(&f);
	if (rc != XF_OK)
		return refused(&err);
	printf("已更正 %s\n", argv[0]);
	return 0;
}

/* xinfang MOVE NUMBER KEY=VALUE... for every move of the workflow table. */
static int cmd_move(struct cli *c, const struct xf_move_def *def, int argc, char **argv)
{
	if (argc < 1)
		return usage_error("用法：xinfang %s 编号 键=值 ...", def->key);
	struct xf_fields f;
	int bad;
	if (def->move == XF_MV_LINK && argc == 2 && strchr(argv[1], '=') == NULL) {
		fields_init(&f);
		fields_set(&f, "to", argv[1]);
		bad = -1;
	} else {
		bad = parse_pairs(argc - 1, argv + 1, &f);
	}
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[1 + bad]);
	}
	struct xf_err err;
	int64_t id;
	int rc = login_and_find(c, argv[0], &id, &err);
	if (rc == XF_OK)
		rc = case_move(&c->session, id, def->move, &f, 0, &err);
	fields_free(&f);
	if (rc != XF_OK)
		return refused(&err);
	struct xf_fields view;
	if (case_view(&c->session, id, &view, &err) == XF_OK) {
		printf("%s：%s，现为%s\n", fields_str(&view, "number"), def->label, fields_str(&view, "state"));
		fields_free(&view);
	}
	return 0;
}

/* xinfang print NUMBER FORM [--to FILE|-] [--printer CMD] [--encoding ENC]. */
static int cmd_print(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_error("用法：xinfang print 编号 registration|transfer|outcome [--to 文件] [--printer 命令] [--encoding 编码]%s", "");
	struct xf_print_opts opts = {argv[1], "GB18030", XF_PRINT_SPOOLER, NULL, slip_default_page(), NULL};
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
		if (fwrite(bytes.data, 1, bytes.len, stdout) != bytes.len || fflush(stdout) != 0)
			rc = xf_err_set(&err, XF_EIO, "写到标准输出失败");
		else
			rc = print_record(&c->session, id, opts.form, "标准输出", opts.encoding, &err);
	}
	buf_free(&bytes);
	if (rc != XF_OK)
		return refused(&err);
	if (!to_stdout)
		fprintf(stderr, "已打印 %s 的%s\n", argv[0], print_form_title(opts.form));
	return 0;
}

/* xinfang due. */
static int cmd_due(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return usage_error("due 不带参数%s", "");
	struct xf_err err;
	struct xf_rows rows;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = case_due_list(&c->session, &rows, &err);
	if (rc != XF_OK)
		return refused(&err);
	char today[11];
	date_format(clock_today(), today);
	printf("# %s 临近或超过时限的事项：时限\t编号\t状态\t期限\t剩余天数\t信访人\t承办部门\n", today);
	for (size_t i = 0; i < rows.n; i++) {
		const struct xf_fields *r = &rows.v[i];
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", fields_str(r, "limit"), fields_str(r, "number"), fields_str(r, "state"),
		       fields_str(r, "due"), fields_str(r, "days_left"), fields_str(r, "name"), fields_str(r, "department"));
	}
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
static int cmd_status(struct cli *c, int argc, char **argv)
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

/* xinfang list [state=] [dept=] [limit=]. */
static int cmd_list(struct cli *c, int argc, char **argv)
{
	struct xf_fields f;
	int bad = parse_pairs(argc, argv, &f);
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[bad]);
	}
	struct xf_err err;
	struct xf_rows rows;
	int rc = login(c, &err);
	int limit = fields_has(&f, "limit") ? atoi(fields_str(&f, "limit")) : 100;
	if (rc == XF_OK)
		rc = case_list(&c->session, fields_get(&f, "state"), fields_get(&f, "dept"), fields_get(&f, "operator"), limit,
		               &rows, &err);
	fields_free(&f);
	if (rc != XF_OK)
		return refused(&err);
	for (size_t i = 0; i < rows.n; i++) {
		const struct xf_fields *r = &rows.v[i];
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", fields_str(r, "number"), fields_str(r, "state"),
		       fields_str(r, "received"), fields_str(r, "channel"), fields_str(r, "name"), fields_str(r, "category"),
		       fields_str(r, "department"));
	}
	rows_free(&rows);
	return 0;
}

/* xinfang find id_number=|phone=|name=. */
static int cmd_find(struct cli *c, int argc, char **argv)
{
	struct xf_fields f;
	int bad = parse_pairs(argc, argv, &f);
	if (bad >= 0 || argc == 0) {
		fields_free(&f);
		return usage_error("用法：xinfang find id_number=号码 | phone=电话 | name=姓名%s", "");
	}
	struct xf_err err;
	struct xf_rows rows;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = case_repeat_matches(&c->session, &f, 0, &rows, &err);
	fields_free(&f);
	if (rc != XF_OK)
		return refused(&err);
	for (size_t i = 0; i < rows.n; i++)
		printf("%s\t%s\t%s\t%s\t%s\n", fields_str(&rows.v[i], "number"), fields_str(&rows.v[i], "state"),
		       fields_str(&rows.v[i], "received"), fields_str(&rows.v[i], "name"), fields_str(&rows.v[i], "match"));
	rows_free(&rows);
	return 0;
}

/* xinfang calendar load FILE | show. */
static int cmd_calendar(struct cli *c, int argc, char **argv)
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
static int cmd_rules(struct cli *c, int argc, char **argv)
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

/* Runs a subcommand. */
static int dispatch(struct cli *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	argc--, argv++;
	if (strcmp(cmd, "init") == 0)
		return cmd_init(c, argc, argv);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(c, argc, argv);
	if (strcmp(cmd, "new") == 0)
		return cmd_new(c, argc, argv);
	if (strcmp(cmd, "show") == 0)
		return cmd_show(c, argc, argv);
	if (strcmp(cmd, "history") == 0)
		return cmd_history(c, argc, argv);
	if (strcmp(cmd, "edit") == 0)
		return cmd_edit(c, argc, argv);
	if (strcmp(cmd, "due") == 0)
		return cmd_due(c, argc, argv);
	if (strcmp(cmd, "print") == 0)
		return cmd_print(c, argc, argv);
	if (strcmp(cmd, "status") == 0)
		return cmd_status(c, argc, argv);
	if (strcmp(cmd, "list") == 0)
		return cmd_list(c, argc, argv);
	if (strcmp(cmd, "find") == 0)
		return cmd_find(c, argc, argv);
	if (strcmp(cmd, "calendar") == 0)
		return cmd_calendar(c, argc, argv);
	if (strcmp(cmd, "rules") == 0)
		return cmd_rules(c, argc, argv);
	const struct xf_move_def *def = case_move_def(cmd);
	if (def != NULL)
		return cmd_move(c, def, argc, argv);
	return usage_error("不认识的命令“%s”", cmd);
}

/* No command: the full-screen desk on the store. */
static int open_desk(struct cli *c)
{
	struct xf_err err;
	if (setup_open(c->db, &c->st, &err) != XF_OK)
		return refused(&err);
	const char *user = c->user ? c->user : getenv("XINFANG_USER");
	return tui_run(c->st, user, getenv("XINFANG_PASSWORD"));
}

/* Entry point: global options, then the command (none: the desk). */
int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	static const struct option options[] = {
		{"db", required_argument, NULL, 'd'},   {"today", required_argument, NULL, 't'},
		{"user", required_argument, NULL, 'u'}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},    {NULL, 0, NULL, 0},
	};
	struct cli c;
	memset(&c, 0, sizeof c);
	const char *db = NULL;
	bool today_given = false;
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "+", options, NULL)) != -1) {
		struct xf_err err;
		switch (opt) {
		case 'd':
			db = optarg;
			break;
		case 't':
			if (clock_set_today_iso(optarg, &err) != XF_OK)
				return usage_error("--today：%s", err.msg);
			today_given = true;
			break;
		case 'u':
			c.user = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("xinfang %s\n", XF_VERSION);
			return 0;
		default:
			return usage_error("不认识的选项“%s”", argv[optind - 1]);
		}
	}
	const char *env_today = getenv("XINFANG_TODAY");
	if (!today_given && env_today && *env_today && clock_set_today_iso(env_today, NULL) != XF_OK)
		return usage_error("XINFANG_TODAY 应为 YYYY-MM-DD，不是“%s”", env_today);
	c.db = db ? xstrdup(db) : paths_default_db();
	int code;
	if (optind >= argc)
		code = open_desk(&c);
	else
		code = dispatch(&c, argc - optind, argv + optind);
	session_close(&c.session);
	store_close(c.st);
	free(c.db);
	return code;
}

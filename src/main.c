/* The command line: `xinfang [options] [command]`, the same core calls the screens use. Each
 * command is one row of `commands[]`; its code is in src/cli/cmd_*.c. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xf_config.h"
#include "cli/cli.h"
#include "xinfang/clock.h"
#include "xinfang/config.h"
#include "xinfang/paths.h"
#include "xinfang/setup.h"
#include "tui/tui.h"

/* Every subcommand, in the order --help lists them; the workflow's moves follow from xf_moves[]. */
static const struct cli_command commands[] = {
	{"init", cmd_init,
	 "  init [--training|--demo] [--admin 用户名] [--branch 代码 --branch-name 名称]\n"
	 "      新建数据库和管理员（默认 admin；--training 培训数据库，可指定日期；\n"
	 "      --demo 培训数据库再加约两百件演示事项；--branch 本机构的代码，\n"
	 "      写在每个编号前，总行的库用总行的代码）\n"},
	{"branch", cmd_branch,
	 "  branch add 代码 名称 [parent=上级代码] [push_login=登录名] | branch list\n"
	 "  branch set 代码 [名称] | branch push-login 代码 [登录名]\n"
	 "      分支机构：总行的管理员在自己之下添加分行、支行；list 列出可见的机构；\n"
	 "      set 给本机构代码和名称（推送前，与总行 branch add 时相同；已有代码不能改）\n"
	 "      push-login 指定该分行推送时必须用的数据库登录名（服务器上的总行）\n"},
	{"push", cmd_push,
	 "  push --to 总行数据库 [--move]\n"
	 "      分行把自己的文件推送到总行（管理员）：只送总行还没有的记录，先核对\n"
	 "      操作日志链，不一致则拒绝并记入总行；--move 迁往总行后此文件只作存档\n"},
	{"handover", cmd_handover,
	 "  handover 编号 机构代码 [note=说明]\n"
	 "      交办：总行（热线）把事项交给下级机构，事项取得该机构的新编号（督办员）\n"},
	{"takeover", cmd_takeover, "  takeover 编号 [note=说明]\n      提级办理：把下级机构的事项收归本机构（督办员）\n"},
	{"handup", cmd_handup, "  handup 编号 [note=说明]             上报：把本机构的事项交给上级机构（主任）\n"},
	{"supervise", cmd_supervise,
	 "  supervise 编号 deadline=日期 [note=督办要求]\n"
	 "      督办下级机构的事项：请其在期限前报告办理情况（督办员）\n"},
	{"answer", cmd_answer, "  answer 编号 text=办理情况            答复督办（事项所在机构的主任或经办人）\n"},
	{"supervised", cmd_supervised,
	 "  supervised [--branch 机构代码]\n"
	 "      督办清单：机构、编号、期限、剩余天数、是否答复\n"},
	{"passwd", cmd_passwd, "  passwd\n      修改自己的密码（新密码取 XINFANG_NEW_PASSWORD，否则询问）\n"},
	{"user", cmd_user,
	 "  user add 用户名 角色 [full_name=姓名] [dept=部门] [branch=机构代码]\n"
	 "      新账户（密码取 XINFANG_NEW_PASSWORD，否则询问）；角色：operator 接待员，\n"
	 "      head 办公室主任，handler 经办人，admin 管理员，supervisor 督办员（看得到\n"
	 "      本机构及其下各分支机构）；branch 默认为管理员自己的机构\n"
	 "  user reset|unlock|disable|enable 用户名\n"
	 "      重设密码（并解锁）、解锁、停用、启用账户\n"
	 "  user role 用户名 角色 [dept=部门]    更改角色和部门\n"
	 "  user list                           全部账户\n"},
	{"new", cmd_new, "  new 键=值 ...                       登记，最后一行输出编号（键见下）\n"},
	{"show", cmd_show,
	 "  show 编号                           显示事项（每行 键<TAB>值）\n"
	 "      编号可以是移交到其他机构前的原编号（标准错误上注明原编号 → 现编号）\n"},
	{"history", cmd_history, "  history 编号                        办理经过（谁、何时、做了什么）\n"},
	{"edit", cmd_edit, "  edit 编号 键=值 ...                 更正登记内容（原值留档）\n"},
	{"print", cmd_print,
	 "  print 编号 registration|transfer|outcome [--to 文件|-] [--printer 队列]\n"
	 "        [--format pdf|text] [--encoding GB18030|UTF-8|GBK]\n"
	 "      打印登记表、转办单、处理结果报告单：默认以 PDF 送办公室的打印机\n"
	 "      （xinfang printer），--to 文件.pdf 存为 PDF，--format text 给针式打印机\n"},
	{"printer", cmd_printer,
	 "  printer [show] | printer set queue=队列 format=pdf|text encoding=编码\n"
	 "        line_end=lf|crlf\n"
	 "      办公室的默认打印机（设定需管理员）；crlf 给要求回车换行的打印机\n"},
	{"due", cmd_due, "  due [--branch 代码]                 临近或超过时限的事项\n"},
	{"status", cmd_status, "  status                              状态栏的一行文字\n"},
	{"list", cmd_list,
	 "  list [state=状态] [dept=部门] [operator=登记人] [limit=N] [--branch 代码]\n"},
	{"find", cmd_find,
	 "  find id_number=|phone=|name=        某信访人的全部事项（重复信访）\n"
	 "  find 编号                            该件（含机构间移交前的原编号）\n"},
	{"search", cmd_search,
	 "  search 词语... [since=日期] [until=日期] [state=] [dept=] [category=]\n"
	 "        [channel=] [importance=] [page=N] [--branch 代码]\n"
	 "      按任意词语、姓名片段、电话或证件号后四位以上查找，新收的在前；\n"
	 "      编号（2026-0201、BJ01-2026-0201）即该件，单写 0201 先列今年第0201号\n"
	 "  list、due、search、stats、export 只给出您范围内的事项；\n"
	 "      --branch 代码（或 branch=代码）只看其中一个机构的\n"
	 "      （督办员、管理员可选其下各分支机构）\n"},
	{"stats", cmd_stats,
	 "  stats since=日期 until=日期 | month=YYYY-MM | quarter=YYYY-Qn | year=YYYY\n"
	 "        [by=channel|category|department|importance|state|jrt]\n"
	 "        [branch=代码 | --branch 代码]\n"
	 "        [by=branch [sort=received|ontime|overdue|repeat|satisfied]]\n"
	 "        [--format text|csv|pdf] [--encoding 编码]\n"
	 "        [--print [--printer 队列] | --to 文件] | --explain\n"
	 "      统计：件数、各项比率、环比预警、超期（--explain 看口径）；\n"
	 "      --print 像单子一样送办公室的打印机（默认 PDF 报表），\n"
	 "      --to 文件.pdf 存 PDF，文件.csv 存 CSV，其他存文本；\n"
	 "      只计本账号范围内的分支机构；by=branch 每个分支机构一行（排名）\n"},
	{"calendar", cmd_calendar, "  calendar load 文件 | calendar show   节假日日历\n"},
	{"rules", cmd_rules, "  rules [use 规则集]                  时限规则集\n"},
	{"verify", cmd_verify,
	 "  verify [--new-anchor]\n"
	 "      核验数据库与操作日志（主任、管理员；全部相符才返回 0）\n"},
	{"backup", cmd_backup,
	 "  backup 文件\n"
	 "      在线备份到新文件（主任、管理员；其他工作台可照常办理）\n"},
	{"restore", cmd_restore, "  restore 备份文件                    从核验通过的备份恢复（管理员；原库留档）\n"},
	{"export", cmd_export,
	 "  export [since=日期] [until=日期] [branch=代码 | --branch 代码]\n"
	 "        [--format csv|xlsx] [--encoding GB18030|UTF-8] --to 文件\n"
	 "      台账：每件一行，中文表头（接待员、主任、管理员）；\n"
	 "      CSV 默认 GB18030，Excel 双击可开\n"},
	{"config", cmd_config,
	 "  config [设置名]\n"
	 "      正在用的配置：每项的值和出处（内置、/etc/xinfang、个人、环境变量、命令行）\n"},
	{"nightly", cmd_nightly,
	 "  nightly\n"
	 "      每晚核验并备份（xinfang-backup.timer 以 root 运行；保留 backup_keep 份）\n"},
	{"import", cmd_import,
	 "  import 文件.csv [--dry-run]\n"
	 "      导入 Excel 台账（另存的 CSV）：先试导入，全部无误才写入\n"},
};

static const char usage_head[] =
	"用法：xinfang [选项] [命令 [参数]]\n"
	"      不带命令时打开信访工作台（全屏界面）。\n"
	"\n"
	"选项：\n"
	"  --db 文件       数据库文件（默认见 xinfang config：安装的是本办的\n"
	"                  /var/lib/xinfang/xinfang.db，可用 XINFANG_DB 改）；\n"
	"                  也可以是 PostgreSQL 数据库 postgresql://…（密码放 ~/.pgpass）\n"
	"  --set 键=值     本次用的配置（键见 xinfang config）\n"
	"  --today 日期    把今天当作 YYYY-MM-DD（也可用 XINFANG_TODAY）；\n"
	"                  只用于培训数据库，正式数据库拒绝\n"
	"  --user 用户名   操作员（也可用 XINFANG_USER）；密码取 XINFANG_PASSWORD\n"
	"                  （供脚本用），否则在终端询问\n"
	"  -h, --help      这段说明\n"
	"  -V, --version   版本\n"
	"\n"
	"命令：\n";

static const char usage_moves[] =
	"  transfer 编号 dept=部门 [deadline=日期] [instruction=批示 leader=领导]\n"
	"        [co_depts=协办] [opinion=意见]\n"
	"  outcome 编号 findings=调查核实情况\n"
	"        [satisfaction=满意|基本满意|不满意|未表态] ...\n"
	"  reply 编号 method=口头|书面 [date=日期]      close 编号 [note=]\n"
	"  reject 编号 reason= advice=    spot 编号 answer=    return 编号 reason=\n"
	"  withdraw 编号 reason= voluntary=是|否       instruct 编号 leader= text=\n"
	"  extend 编号 until=日期 reason= [limit=handle|reply]\n"
	"  decide 编号 decision=同意|不同意             urge 编号 target= method=\n"
	"  material 编号 description= [copies=]        link 编号 另一编号\n";

static const char usage_tail[] =
	"\n"
	"登记的键：received channel name gender age id_number phone address\n"
	"  work_unit people anonymous subject accused category amount summary\n"
	"  materials confidential first_asked receiver importance spot_answer，\n"
	"  另有 repeat_of=编号 关联重复信访。是/否 也可写 y/n、1/0。\n"
	"  JR/T 0169 分类（可不填）：jrt_channel 业务渠道 jrt_type 业务类型\n"
	"  jrt_cause 投诉原因（名称或代码）。\n"
	"\n"
	"退出码：0 成功；1 被拒绝或数据有误（原因见 stderr）；2 用法错误；\n"
	"  3 数据库正忙（被其他程序占用），请稍后重试（等待时间 XINFANG_BUSY_MS\n"
	"  毫秒，默认 5000）。\n";

/* Writes the whole usage text to stdout. */
static void print_usage(void)
{
	fputs(usage_head, stdout);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fputs(commands[i].usage, stdout);
	fputs(usage_moves, stdout);
	fputs(usage_tail, stdout);
}

/* Runs a subcommand. */
static int dispatch(struct cli *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	argc--, argv++;
	/* Asking how comes before any store, role or argument check. */
	bool help = cli_wants_help(argc, argv);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return help ? help_command(&commands[i]) : commands[i].run(c, argc, argv);
	const struct xf_move_def *def = case_move_def(cmd);
	if (def != NULL)
		return help ? help_move(def) : cmd_move(c, def, argc, argv);
	return usage_error("不认识的命令“%s”", cmd);
}

/* No command: the full-screen desk on the store. */
static int open_desk(struct cli *c)
{
	struct xf_err err;
	if (setup_open(c->db, &c->st, &err) != XF_OK)
		return refused(&err);
	warn_file_modes(c);
	const char *user = c->user ? c->user : getenv("XINFANG_USER");
	cli_charset_plain_stdout();
	return tui_run(c->st, user, getenv("XINFANG_PASSWORD"));
}

/* Entry point: global options, then the command (none: the desk). */
int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	cli_charset_setup(argc, argv);
	/* A write past a file-size limit is an error SQLite reports (EFBIG), not a silent death. */
	store_catch_file_limit();
	static const struct option options[] = {
		{"db", required_argument, NULL, 'd'},   {"today", required_argument, NULL, 't'},
		{"user", required_argument, NULL, 'u'}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},    {"set", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	struct cli c;
	memset(&c, 0, sizeof c);
	struct xf_err conf_err;
	if (config_load(&conf_err) != XF_OK)
		return refused(&conf_err);
	bool today_given = false;
	opterr = 0;
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
		struct xf_err err;
		switch (opt) {
		case 'd':
			if (config_set_cmdline("db", optarg, "--db", &err) != XF_OK)
				return usage_refused("", &err);
			break;
		case 's': {
			char *eq = strchr(optarg, '=');
			if (eq == NULL)
				return usage_error("--set 应写成 键=值（例如 --set page_columns=80），不是“%s”", optarg);
			char *key = xstrndup(optarg, (size_t)(eq - optarg));
			char *option = xasprintf("--set %s", key);
			rc = config_set_cmdline(key, eq + 1, option, &err);
			free(key);
			free(option);
			if (rc != XF_OK)
				return usage_refused("", &err);
			break;
		}
		case 't':
			if (clock_set_today_iso(optarg, &err) != XF_OK)
				return usage_refused("--today：", &err);
			today_given = true;
			break;
		case 'u':
			c.user = optarg;
			break;
		case 'h':
			print_usage();
			return cli_finish_output(0);
		case 'V':
			printf("xinfang %s\n", XF_VERSION);
			return cli_finish_output(0);
		default:
			return usage_error("不认识的选项“%s”", argv[optind - 1]);
		}
	}
	const char *env_today = getenv("XINFANG_TODAY");
	if (!today_given && env_today && *env_today && clock_set_today_iso(env_today, NULL) != XF_OK)
		return usage_error("XINFANG_TODAY 应为 YYYY-MM-DD，不是“%s”", env_today);
	c.db = paths_default_db();
	/* The desk reads XINFANG_MONO; a configuration file's `color = no` reaches it that way. */
	if (strcmp(config_get("color"), "no") == 0)
		setenv("XINFANG_MONO", "1", 1);
	struct xf_err err;
	if ((optind >= argc || strcmp(argv[optind], "config") != 0) && config_check_member(c.db, &err) != XF_OK) {
		free(c.db);
		return refused(&err);
	}
	int code;
	if (optind >= argc)
		code = open_desk(&c);
	else
		code = dispatch(&c, argc - optind, argv + optind);
	session_close(&c.session);
	store_close(c.st);
	free(c.db);
	return cli_finish_output(code);
}

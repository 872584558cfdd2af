/* The command line as an admin or a clerk uses it: exit codes, messages, output. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xinfang/paths.h"
#include "xinfang/text.h"

/* A store made by `xinfang init` in a temporary directory. */
struct cli_env {
	char dir[64];
	char db_env[128];
	const char *env[6];
};

/* Sets the environment up and runs init. */
static void cli_setup(struct cli_env *c)
{
	snprintf(c->dir, sizeof c->dir, "/tmp/xinfang-cli-XXXXXX");
	assert_non_null(mkdtemp(c->dir));
	snprintf(c->db_env, sizeof c->db_env, "XINFANG_DB=%s/sub/dir/x.db", c->dir);
	c->env[0] = c->db_env;
	c->env[1] = "XINFANG_PASSWORD=secret1";
	c->env[2] = "XINFANG_TODAY=2026-11-20";
	c->env[3] = NULL;
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, c->env, (const char *[]){"init", "--training", NULL});
	if (r->status != 0)
		fail_msg("init: %s", r->err);
	assert_non_null(strstr(r->out, "已初始化"));
	free(r);
}

/* Removes the temporary directory. */
static void cli_teardown(struct cli_env *c)
{
	char *cmd = xasprintf("rm -rf '%s'", c->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Runs xinfang as admin with the given arguments. */
static void run_admin(struct cli_env *c, struct run_result *r, const char *const *argv)
{
	const char *env[6] = {c->db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=admin",
	                      NULL};
	run_xinfang(r, env, argv);
}

/* The last line of a text. */
static const char *last_line(char *text)
{
	size_t n = strlen(text);
	while (n > 0 && text[n - 1] == '\n')
		text[--n] = '\0';
	char *nl = strrchr(text, '\n');
	return nl ? nl + 1 : text;
}

/* A handler's return says on stdout what was done, though the case is no longer theirs to see. */
static void handler_return_said(void **state)
{
	(void)state;
	struct cli_env c;
	cli_setup(&c);
	struct run_result *r = malloc(sizeof *r);
	const char *new_pw[] = {c.db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=admin",
	                        "XINFANG_NEW_PASSWORD=secret1", NULL};
	run_xinfang(r, new_pw, (const char *[]){"user", "add", "zhao", "handler", "dept=个人金融部", NULL});
	assert_int_equal(r->status, 0);
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=孙小红", "summary=态度冷淡",
	                                   NULL});
	assert_int_equal(r->status, 0);
	run_admin(&c, r, (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
	assert_int_equal(r->status, 0);
	const char *handler[] = {c.db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=zhao",
	                         NULL};
	run_xinfang(r, handler, (const char *[]){"return", "2026-0001", "reason=不属于本部门业务", NULL});
	if (r->status != 0)
		fail_msg("return: %s", r->err);
	assert_string_equal(r->out, "2026年第0001号：已退回，该件已不归本部门办理\n");
	run_admin(&c, r, (const char *[]){"show", "2026-0001", NULL});
	assert_non_null(strstr(r->out, "state\t待批\n"));
	free(r);
	cli_teardown(&c);
}

/* Usage errors exit 2; --help and --version exit 0. */
static void usage_errors(void **state)
{
	(void)state;
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, NULL, (const char *[]){"--help", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "用法"));
	/* Every line of the help fits an 80-column terminal (CJK counted two columns). */
	for (char *line = r->out, *end; *line; line = end + (*end != '\0')) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		char *one = xstrndup(line, (size_t)(end - line));
		if (text_width(one) > 80)
			fail_msg("help line %d columns wide: %s", text_width(one), one);
		free(one);
	}
	run_xinfang(r, NULL, (const char *[]){"--version", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "xinfang "));
	run_xinfang(r, NULL, (const char *[]){"-V", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "xinfang "));
	run_xinfang(r, NULL, (const char *[]){"-h", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "用法"));
	run_xinfang(r, NULL, (const char *[]){"--bogus", NULL});
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "--bogus"));
	run_xinfang(r, NULL, (const char *[]){"frobnicate", NULL});
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "frobnicate"));
	run_xinfang(r, NULL, (const char *[]){"--today", "2026-02-30", "status", NULL});
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "不存在"));
	run_xinfang(r, NULL, (const char *[]){"--db", "/nonexistent/x.db", "status", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "xinfang init"));
	free(r);
}

/* A registration's whole life on the command line. */
static void register_transfer_close(void **state)
{
	(void)state;
	struct cli_env c;
	cli_setup(&c);
	struct run_result *r = malloc(sizeof *r);
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=刘䶮", "phone=13812345678",
	                                   "id_number=11010519491231002X", "summary=柜员态度冷淡\n要求道歉", NULL});
	if (r->status != 0)
		fail_msg("new: %s", r->err);
	assert_string_equal(last_line(r->out), "2026年第0001号");
	run_admin(&c, r, (const char *[]){"show", "2026-0001", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "number\t2026年第0001号\n"));
	assert_non_null(strstr(r->out, "state\t待批\n"));
	assert_non_null(strstr(r->out, "received\t2026-11-20\n"));
	assert_non_null(strstr(r->out, "due_transfer\t2026-11-23\n"));
	assert_non_null(strstr(r->out, "due_handle\t2026-11-27\n"));
	assert_non_null(strstr(r->out, "due_reply\t2026-12-21\n"));
	assert_non_null(strstr(r->out, "name\t刘䶮\n"));
	assert_non_null(strstr(r->out, "summary\t柜员态度冷淡\\n要求道歉\n"));
	run_admin(&c, r, (const char *[]){"status", NULL});
	assert_int_equal(r->status, 0);
	assert_string_equal(r->out, "周限 临近0 超期0 │ 月限 临近0 超期0 │ 待批转 1 超期0\n");
	/* The same petitioner again: a repeat-petition warning on stderr. */
	run_admin(&c, r, (const char *[]){"new", "channel=来电", "category=工作失误", "name=刘䶮", "phone=13812345678",
	                                   "summary=再次反映", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->err, "2026年第0001号"));
	assert_non_null(strstr(r->err, "重复信访"));
	run_admin(&c, r, (const char *[]){"transfer", "2026-0001", "dept=个人金融部", "instruction=请认真核查",
	                                   "leader=张行长", NULL});
	if (r->status != 0)
		fail_msg("transfer: %s", r->err);
	run_admin(&c, r, (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "已转办"));
	run_admin(&c, r, (const char *[]){"outcome", "2026-0001", "findings=情况属实", "satisfaction=满意", NULL});
	assert_int_equal(r->status, 0);
	run_admin(&c, r, (const char *[]){"reply", "2026-0001", "method=电报", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "口头"));
	run_admin(&c, r, (const char *[]){"reply", "2026-0001", "method=书面", NULL});
	assert_int_equal(r->status, 0);
	run_admin(&c, r, (const char *[]){"close", "2026-0001", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "已结案"));
	run_admin(&c, r, (const char *[]){"history", "2026-0001", NULL});
	assert_int_equal(r->status, 0);
	const char *steps[] = {"登记", "批转", "报结", "答复", "结案"};
	const char *at = r->out;
	for (int i = 0; i < 5; i++) {
		at = strstr(at, steps[i]);
		if (at == NULL)
			fail_msg("history lacks %s in order:\n%s", steps[i], r->out);
	}
	run_admin(&c, r, (const char *[]){"link", "2026-0002", "2026-0001", NULL});
	assert_int_equal(r->status, 0);
	run_admin(&c, r, (const char *[]){"show", "2026-0002", NULL});
	assert_non_null(strstr(r->out, "links\t2026年第0001号\n"));
	free(r);
	cli_teardown(&c);
}

/* id_type= names the document; phones come out in their stored form and are found by any
 * written form; the default document is the resident ID card. */
static void documents_and_phones(void **state)
{
	(void)state;
	struct cli_env c;
	cli_setup(&c);
	struct run_result *r = malloc(sizeof *r);
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=Smith", "id_type=外国人永久居留身份证",
	                                   "id_number=93115619800101001x", "phone=+852 9123 4567", "summary=x", NULL});
	if (r->status != 0)
		fail_msg("new: %s", r->err);
	run_admin(&c, r, (const char *[]){"show", "2026-0001", NULL});
	assert_non_null(strstr(r->out, "id_type\t外国人永久居留身份证\n"));
	assert_non_null(strstr(r->out, "id_number\t93115619800101001X\n"));
	assert_non_null(strstr(r->out, "phone\t+852 91234567\n"));
	run_admin(&c, r, (const char *[]){"find", "phone=00852-9123-4567", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "2026年第0001号"));
	/* Without id_type a passport number is refused as a resident ID number, saying so. */
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=Smith", "id_number=E12345678",
	                                   "summary=x", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "id_type"));
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=张伟", "phone=010-1234567",
	                                   "summary=x", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "8 位"));
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=张伟", "phone=(010)12345678",
	                                   "id_number=11010519491231002X", "summary=x", NULL});
	assert_int_equal(r->status, 0);
	run_admin(&c, r, (const char *[]){"show", "2026-0002", NULL});
	assert_non_null(strstr(r->out, "id_type\t居民身份证\n"));
	assert_non_null(strstr(r->out, "phone\t010-12345678\n"));
	free(r);
	cli_teardown(&c);
}

/* Refusals exit 1 with the reason; bad arguments exit 2. */
static void refusals(void **state)
{
	(void)state;
	struct cli_env c;
	cli_setup(&c);
	struct run_result *r = malloc(sizeof *r);
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=张伟", "summary=x",
	                                   "id_number=110105194912310021", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "校验位"));
	run_admin(&c, r, (const char *[]){"new", "channel", NULL});
	assert_int_equal(r->status, 2);
	run_admin(&c, r, (const char *[]){"show", "2026-0001", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "没有 2026-0001 这件信访事项"));
	run_admin(&c, r, (const char *[]){"show", NULL});
	assert_int_equal(r->status, 2);
	/* Wrong password, and no operator at all. */
	const char *wrong[] = {c.db_env, "XINFANG_PASSWORD=nope", "XINFANG_USER=admin", NULL};
	run_xinfang(r, wrong, (const char *[]){"status", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "密码不对"));
	const char *nobody[] = {c.db_env, "XINFANG_PASSWORD=secret1", NULL};
	run_xinfang(r, nobody, (const char *[]){"status", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "--user"));
	/* init twice keeps the data and says so. */
	run_xinfang(r, c.env, (const char *[]){"init", "--training", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "已经初始化"));
	/* Roles hold on the command line: a clerk cannot transfer or add users. */
	const char *newpw[] = {c.db_env, "XINFANG_PASSWORD=secret1", "XINFANG_USER=admin", "XINFANG_NEW_PASSWORD=Clerk-desk-12",
	                       NULL};
	run_xinfang(r, newpw, (const char *[]){"user", "add", "clerk", "operator", "full_name=王丽", NULL});
	assert_int_equal(r->status, 0);
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=张伟", "summary=x", NULL});
	assert_int_equal(r->status, 0);
	const char *clerk[] = {c.db_env, "XINFANG_PASSWORD=Clerk-desk-12", "XINFANG_USER=clerk", NULL};
	run_xinfang(r, clerk, (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "办公室主任"));
	run_xinfang(r, clerk, (const char *[]){"user", "add", "x", "admin", NULL});
	assert_int_equal(r->status, 1);
	free(r);
	cli_teardown(&c);
}

/* The demo store has cases in every state, and `due` lists the late ones. */
static void demo_store(void **state)
{
	(void)state;
	char dir[64];
	snprintf(dir, sizeof dir, "/tmp/xinfang-demo-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char db[128];
	snprintf(db, sizeof db, "XINFANG_DB=%s/demo.db", dir);
	const char *env[] = {db, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=head", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"init", "--demo", NULL});
	if (r->status != 0)
		fail_msg("init --demo: %s", r->err);
	const char *states[] = {"待批", "已转办", "已报结", "已答复", "已结案"};
	for (int i = 0; i < 5; i++) {
		char arg[64];
		snprintf(arg, sizeof arg, "state=%s", states[i]);
		run_xinfang(r, env, (const char *[]){"list", arg, "limit=500", NULL});
		assert_int_equal(r->status, 0);
		if (strstr(r->out, states[i]) == NULL)
			fail_msg("demo has no case in %s", states[i]);
	}
	run_xinfang(r, env, (const char *[]){"list", "limit=1000", NULL});
	int lines = 0;
	for (const char *p = r->out; *p; p++)
		lines += *p == '\n';
	assert_true(lines >= 190 && lines <= 210);
	assert_null(strstr(r->err, "只列出前"));
	/* A list that stops at its limit says so on stderr. */
	run_xinfang(r, env, (const char *[]){"list", "limit=10", NULL});
	assert_int_equal(r->status, 0);
	lines = 0;
	for (const char *p = r->out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 10);
	assert_non_null(strstr(r->err, "只列出前 10 件，用 limit= 看更多"));
	run_xinfang(r, env, (const char *[]){"list", "limit=0", NULL});
	assert_int_equal(r->status, 2);
	run_xinfang(r, env, (const char *[]){"due", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "周限"));
	assert_non_null(strstr(r->out, "\t-"));
	run_xinfang(r, env, (const char *[]){"status", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "周限 临近"));
	free(r);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* xinfang print: destinations, encodings, exit codes. */
static void print_command(void **state)
{
	(void)state;
	struct cli_env c;
	cli_setup(&c);
	struct run_result *r = malloc(sizeof *r);
	run_admin(&c, r, (const char *[]){"new", "channel=来信", "category=工作失误", "name=𠮷祥", "summary=多扣手续费", NULL});
	assert_int_equal(r->status, 0);
	char path[128];
	snprintf(path, sizeof path, "%s/slip.txt", c.dir);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--to", path, NULL});
	if (r->status != 0)
		fail_msg("print: %s", r->err);
	assert_non_null(strstr(r->err, "信访登记表"));
	char *bytes, *text;
	size_t len;
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	assert_int_equal(text_decode(bytes, len, "GB18030", &text, NULL), XF_OK);
	assert_non_null(strstr(text, "𠮷祥"));
	assert_non_null(strstr(text, "多扣手续费"));
	free(bytes);
	free(text);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--to", "-", "--encoding", "UTF-8", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "信 访 登 记 表"));
	assert_non_null(strstr(r->out, "（补打）"));
	/* A queue name is one argument of lp, never shell text: a `;` in it runs nothing. */
	char marker[128], queue[200];
	snprintf(marker, sizeof marker, "%s/shell-ran", c.dir);
	snprintf(queue, sizeof queue, "信访办;touch %s", marker);
	const char *env[] = {c.db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=admin",
	                     "CUPS_SERVER=/nonexistent/cups.sock", NULL};
	run_xinfang(r, env, (const char *[]){"print", "2026-0001", "registration", "--printer", queue, NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "lp 退出码"));
	assert_non_null(strstr(r->err, queue));
	assert_int_equal(access(marker, F_OK), -1);
	/* A file named *.pdf gets the PDF; --format pdf to standard output too. */
	snprintf(path, sizeof path, "%s/slip.pdf", c.dir);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--to", path, NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->err, "已送文件"));
	assert_non_null(strstr(r->err, "（PDF）"));
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	assert_memory_equal(bytes, "%PDF-", 5);
	free(bytes);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--to", "-", "--format", "pdf", NULL});
	assert_int_equal(r->status, 0);
	assert_memory_equal(r->out, "%PDF-", 5);
	/* Text in a file a reader opens as a PDF or a spreadsheet is refused before anything is
	 * written: the PDF already there stays whole, and no .csv appears. */
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--to", path, "--format", "text", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "slip.pdf 与格式不符"));
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	assert_memory_equal(bytes, "%PDF-", 5);
	free(bytes);
	snprintf(path, sizeof path, "%s/slip.csv", c.dir);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--to", path, NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "slip.csv 与格式不符"));
	assert_non_null(strstr(r->err, ".txt"));
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/forced.txt", c.dir);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--to", path, "--format", "pdf", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "forced.txt 与格式不符：写出的是 PDF 单据"));
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/slip", c.dir);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--to", path, "--format", "text", NULL});
	assert_int_equal(r->status, 0);
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	assert_int_equal(text_decode(bytes, len, "GB18030", &text, NULL), XF_OK);
	assert_non_null(strstr(text, "𠮷祥"));
	free(bytes);
	free(text);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--format", "ps", NULL});
	assert_int_equal(r->status, 2);
	/* The office's default printer: only the admin sets it; everyone reads it. */
	run_admin(&c, r, (const char *[]){"printer", "set", "queue=信访办", "format=text", "encoding=UTF-8", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "queue\t信访办\nformat\ttext\nencoding\tUTF-8\n"));
	run_admin(&c, r, (const char *[]){"printer", "set", "format=postscript", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "pdf"));
	run_admin(&c, r, (const char *[]){"printer", "set", "queue=信 访", NULL});
	assert_int_equal(r->status, 1);
	run_admin(&c, r, (const char *[]){"printer", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "queue\t信访办\n"));
	snprintf(path, sizeof path, "%s/slip.txt", c.dir);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--to", path, "--encoding", "GBK", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "姓名"));
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "transfer", "--to", path, NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "尚未批转"));
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "receipt", "--to", path, NULL});
	assert_int_equal(r->status, 1);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--to", NULL});
	assert_int_equal(r->status, 2);
	free(r);
	cli_teardown(&c);
}

/* A disk that takes no more: the registration is refused with a clear message, and what was
 * stored before is intact. The file-size limit makes every write past it fail as a full disk
 * would. */
static void full_disk(void **state)
{
	(void)state;
	struct cli_env c;
	cli_setup(&c);
	struct run_result *r = malloc(sizeof *r);
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=张伟", "summary=第一件", NULL});
	assert_int_equal(r->status, 0);
	char db[160];
	snprintf(db, sizeof db, "%s", strchr(c.db_env, '=') + 1);
	struct stat sb;
	assert_int_equal(stat(db, &sb), 0);
	int errp[2];
	assert_int_equal(pipe(errp), 0); /* a pipe: stderr must not be a file under the limit */
	pid_t pid = fork();
	if (pid == 0) {
		/* Nothing more may be written to any file: the WAL cannot grow. */
		struct rlimit rl = {0, 0};
		setrlimit(RLIMIT_FSIZE, &rl);
		signal(SIGXFSZ, SIG_IGN);
		close(errp[0]);
		dup2(errp[1], 2);
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(devnull, 1);
		setenv("XINFANG_DB", db, 1);
		setenv("XINFANG_PASSWORD", "secret1", 1);
		setenv("XINFANG_USER", "admin", 1);
		setenv("XINFANG_TODAY", "2026-11-20", 1);
		execl(getenv("XINFANG_BIN"), "xinfang", "new", "channel=来访", "category=服务态度", "name=李四", "summary=第二件",
		      (char *)NULL);
		_exit(127);
	}
	close(errp[1]);
	char msg[2048] = "";
	size_t got = 0;
	ssize_t n;
	while ((n = read(errp[0], msg + got, sizeof msg - 1 - got)) > 0)
		got += (size_t)n;
	msg[got] = '\0';
	close(errp[0]);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	if (strstr(msg, "磁盘已满") == NULL || strstr(msg, "已有数据完好") == NULL)
		fail_msg("unclear message: %s", msg);
	/* With room again, the first case is there and the next number is 2. */
	run_admin(&c, r, (const char *[]){"show", "2026-0001", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "name\t张伟"));
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=李四", "summary=第二件", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "2026年第0002号"));
	free(r);
	cli_teardown(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(register_transfer_close),
		cmocka_unit_test(documents_and_phones),
		cmocka_unit_test(refusals),
		cmocka_unit_test(demo_store),
		cmocka_unit_test(print_command),
		cmocka_unit_test(full_disk),
		cmocka_unit_test(handler_return_said),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

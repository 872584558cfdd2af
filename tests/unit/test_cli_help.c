/* Asking how, and outputs that do not lie: every command's --help and -h (before any store,
 * role or argument check, within 80 columns), write errors on standard output, verify's
 * words about the system log. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xinfang/text.h"

/* Every command and every move of the workflow. */
static const char *const commands[] = {
	"init", "passwd", "user", "new", "show", "history", "edit", "print", "printer", "due", "status",
	"list", "find", "search", "stats", "calendar", "rules", "verify", "backup", "restore", "export",
	"import", "spot", "reject", "transfer", "return", "outcome", "reply", "close", "withdraw",
	"instruct", "extend", "decide", "urge", "material", "link", NULL,
};

/* Fails when a line of text is wider than 80 display columns. */
static void assert_fits_80(const char *what, const char *text)
{
	for (const char *line = text, *end; *line; line = end + (*end != '\0')) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		char *one = xstrndup(line, (size_t)(end - line));
		if (text_width(one) > 80)
			fail_msg("%s: help line %d columns wide: %s", what, text_width(one), one);
		free(one);
	}
}

/* -h and --help of every command: exit 0 with its usage, though there is no store, no user
 * and the other arguments are wrong. */
static void every_command_helps(void **state)
{
	(void)state;
	struct run_result *r = malloc(sizeof *r);
	const char *env[] = {"XINFANG_DB=/nonexistent/dir/x.db", NULL};
	for (size_t i = 0; commands[i]; i++) {
		static const char *const asks[] = {"--help", "-h"};
		for (size_t k = 0; k < 2; k++) {
			run_xinfang(r, env, (const char *[]){commands[i], "bogus", asks[k], NULL});
			if (r->status != 0)
				fail_msg("%s %s exited %d: %s", commands[i], asks[k], r->status, r->err);
			assert_non_null(strstr(r->out, "用法"));
			/* The command's own usage, not the whole text. */
			char *named = xasprintf("xinfang %s", commands[i]);
			char *listed = xasprintf("  %s", commands[i]);
			if (strstr(r->out, named) == NULL && strstr(r->out, listed) == NULL)
				fail_msg("%s --help does not show its usage: %s", commands[i], r->out);
			assert_null(strstr(r->out, "退出码：0"));
			free(named);
			free(listed);
			assert_fits_80(commands[i], r->out);
			assert_string_equal(r->err, "");
		}
	}
	/* A move's help names the keys it needs, and a backup's asks no role. */
	run_xinfang(r, env, (const char *[]){"transfer", "--help", NULL});
	assert_non_null(strstr(r->out, "dept=主办部门"));
	assert_non_null(strstr(r->out, "[deadline=办理期限]"));
	run_xinfang(r, env, (const char *[]){"init", "--help", NULL});
	assert_non_null(strstr(r->out, "--admin"));
	free(r);
}

/* Writes to /dev/full: every output fails with a message and a non-zero exit. */
static void full_output_fails(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-help-XXXXXX";
	assert_non_null(mkdtemp(dir));
	int status;
	char *out = run_capture(&status, "XINFANG_PASSWORD=secret1 XINFANG_TODAY=2026-11-20 '%s' --db %s/x.db init "
	                        "--training 2>&1 && XINFANG_PASSWORD=secret1 XINFANG_USER=admin '%s' --db %s/x.db new "
	                        "channel=来访 category=服务态度 name=张伟 summary=一件 2>&1",
	                        getenv("XINFANG_BIN"), dir, getenv("XINFANG_BIN"), dir);
	assert_int_equal(status, 0);
	free(out);
	static const char *const runs[] = {"--help", "show --help", "--version", "show 2026-0001", "due", "status",
	                                   "history 2026-0001", "list", "printer"};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		out = run_capture(&status, "XINFANG_PASSWORD=secret1 XINFANG_USER=admin '%s' --db %s/x.db %s 2>&1 >/dev/full",
		                  getenv("XINFANG_BIN"), dir, runs[i]);
		if (status == 0 || strstr(out, "输出没有写完") == NULL)
			fail_msg("xinfang %s > /dev/full: exit %d, said: %s", runs[i], status, out);
		assert_non_null(strstr(out, "磁盘已满"));
		free(out);
	}
	/* A registration that could not say its number says it was made, and fails. */
	out = run_capture(&status, "XINFANG_PASSWORD=secret1 XINFANG_USER=admin '%s' --db %s/x.db new channel=来访 "
	                  "category=服务态度 name=李四 summary=又一件 2>&1 >/dev/full",
	                  getenv("XINFANG_BIN"), dir);
	assert_int_not_equal(status, 0);
	assert_non_null(strstr(out, "已登记 "));
	assert_non_null(strstr(out, "请勿重复登记"));
	free(out);
	char *rm = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(rm), 0);
	free(rm);
}

/* True when something listens on the system log's socket. */
static bool syslog_listens(void)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX, .sun_path = "/dev/log"};
	for (int type = 0; type < 2; type++) {
		int fd = socket(AF_UNIX, type ? SOCK_STREAM : SOCK_DGRAM, 0);
		bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
		if (fd >= 0)
			close(fd);
		if (ok)
			return true;
	}
	return false;
}

/* verify names the system log only when the system log is there to take the anchor. */
static void verify_names_what_it_wrote(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-help-XXXXXX";
	assert_non_null(mkdtemp(dir));
	int status;
	char *out = run_capture(&status, "XINFANG_PASSWORD=secret1 '%s' --db %s/x.db init --training >/dev/null 2>&1 && "
	                        "XINFANG_PASSWORD=secret1 XINFANG_USER=admin '%s' --db %s/x.db verify 2>&1",
	                        getenv("XINFANG_BIN"), dir, getenv("XINFANG_BIN"), dir);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "核验通过"));
	assert_non_null(strstr(out, "库外锚点"));
	if (syslog_listens())
		assert_non_null(strstr(out, "和系统日志"));
	else
		assert_null(strstr(out, "和系统日志"));
	free(out);
	char *rm = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(rm), 0);
	free(rm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_command_helps),
		cmocka_unit_test(full_output_fails),
		cmocka_unit_test(verify_names_what_it_wrote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

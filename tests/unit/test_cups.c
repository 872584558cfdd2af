/* Printing through a real CUPS scheduler started here, with its own configuration in a
 * temporary directory and a private socket: a PDF queue (pdftopdf into a file: device) gets
 * the slip with no options and puts out the PDF with the form's text; a raw queue to a
 * dot-matrix printer's network port (socket://) gets the GB18030 text as it is; the statistics
 * report reaches the PDF queue the same way; a `;` in a queue name runs nothing. */
#include "testutil.h"
#include "cupsenv.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xinfang/paths.h"
#include "xinfang/text.h"
#include "xinfang/util.h"

/* Runs xinfang as admin on the store, with the scheduler's socket in CUPS_SERVER. */
static void run_admin(struct cups_env *c, struct run_result *r, const char *const *argv)
{
	const char *env[] = {c->db, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=admin", NULL};
	run_xinfang(r, env, argv);
}

/* The job id in "已送打印机 QUEUE，作业 ID：...". */
static void job_of(const char *said, char *job, size_t n)
{
	const char *p = strstr(said, "作业 ");
	assert_non_null(p);
	p += strlen("作业 ");
	const char *end = strstr(p, "：");
	assert_non_null(end);
	snprintf(job, n, "%.*s", (int)(end - p), p);
}

/* What the dot-matrix printer receives on its port for one job. */
static void printer_receive(struct cups_env *c, struct xf_buf *got)
{
	struct pollfd pfd = {c->printer_fd, POLLIN, 0};
	if (poll(&pfd, 1, 20000) != 1)
		fail_msg("the raw queue's job never reached the printer's port");
	int fd = accept(c->printer_fd, NULL, NULL);
	assert_true(fd >= 0);
	char chunk[4096];
	for (;;) {
		struct pollfd in = {fd, POLLIN, 0};
		assert_int_equal(poll(&in, 1, 20000), 1);
		ssize_t n = read(fd, chunk, sizeof chunk);
		assert_true(n >= 0);
		if (n == 0)
			break;
		buf_add(got, chunk, (size_t)n);
	}
	close(fd);
}

/* Waits until the scheduler lists the job as completed. lpstat writes the queue's name
 * URL-encoded, so the job is found by its number, which is unique. */
static void wait_completed(struct cups_env *c, const char *job)
{
	long long end = now_ms() + 20000;
	char number[32];
	snprintf(number, sizeof number, "%s ", strrchr(job, '-'));
	while (now_ms() < end) {
		char *done = run_capture(NULL, "lpstat -W completed -o 2>&1");
		bool completed = strstr(done, number) != NULL;
		free(done);
		if (completed)
			return;
		usleep(100 * 1000);
	}
	char *log = run_capture(NULL, "tail -20 '%s/log/error_log'", c->dir);
	char *all = run_capture(NULL, "lpstat -W all -o 2>&1");
	fail_msg("job %s did not complete:\n%s\n%s", job, all, log);
}

/* Starts the scheduler before the test. */
static int setup(void **state)
{
	struct cups_env *c = calloc(1, sizeof *c);
	*state = c;
	cups_start(c);
	return 0;
}

/* Stops it after the test, also when the test failed. */
static int teardown(void **state)
{
	struct cups_env *c = *state;
	if (c->cupsd > 0)
		cups_stop(c);
	free(c);
	return 0;
}

/* The office's default queue prints the PDF with no options; the raw queue the text. */
static void real_scheduler(void **state)
{
	struct cups_env c = *(struct cups_env *)*state;
	struct run_result *r = malloc(sizeof *r);
	run_admin(&c, r, (const char *[]){"init", "--training", NULL});
	assert_int_equal(r->status, 0);
	run_admin(&c, r, (const char *[]){"new", "channel=来访", "category=服务态度", "name=李𠮷䶮", "phone=13812345678",
	                                  "summary=柜员态度冷淡，要求道歉；并说明原因", NULL});
	assert_int_equal(r->status, 0);
	run_admin(&c, r, (const char *[]){"printer", "set", "queue=信访办", NULL});
	assert_int_equal(r->status, 0);
	/* No options: the office's queue, a PDF. */
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", NULL});
	if (r->status != 0)
		fail_msg("print: %s", r->err);
	assert_non_null(strstr(r->err, "已送打印机 信访办，作业 信访办-"));
	char job[64];
	job_of(r->err, job, sizeof job);
	wait_completed(&c, job);
	char path[200];
	snprintf(path, sizeof path, "%s/out/laser.pdf", c.dir);
	char *bytes;
	size_t len;
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	assert_memory_equal(bytes, "%PDF-", 5);
	free(bytes);
	char *text = run_capture(NULL, "pdftotext -enc UTF-8 '%s' -", path);
	char *sq = squeeze_spaces(text);
	assert_non_null(strstr(sq, "信访登记表"));
	assert_non_null(strstr(sq, "李𠮷䶮"));
	assert_non_null(strstr(sq, "13812345678"));
	assert_non_null(strstr(sq, "柜员态度冷淡，要求道歉；并说明原因"));
	assert_non_null(strstr(sq, "编号：2026年第0001号"));
	free(sq);
	free(text);
	char *info = run_capture(NULL, "pdfinfo '%s'", path);
	assert_non_null(strstr(info, "(A4)"));
	free(info);
	/* The job's title is ASCII and whole (cups-pdf names its file from it): the page log
	 * records each job's name. */
	char *log = run_capture(NULL, "cat '%s'/log/page_log", c.dir);
	if (strstr(log, " xinfang-2026-0001-registration ") == NULL)
		fail_msg("no job titled xinfang-2026-0001-registration in the page log: %s", log);
	free(log);
	/* The print is recorded with the queue and the job. */
	run_admin(&c, r, (const char *[]){"history", "2026-0001", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, job));
	/* The statistics report goes the same way: the office's queue, a PDF with its figures. */
	run_admin(&c, r, (const char *[]){"stats", "year=2026", "--print", NULL});
	if (r->status != 0)
		fail_msg("stats --print: %s", r->err);
	assert_non_null(strstr(r->err, "已送打印机 信访办，作业 信访办-"));
	assert_non_null(strstr(r->err, "（PDF）"));
	job_of(r->err, job, sizeof job);
	wait_completed(&c, job);
	text = run_capture(NULL, "pdftotext -layout -enc UTF-8 '%s' - | tr -d ' '", path);
	assert_non_null(strstr(text, "信访统计报表【演示/培训】"));
	assert_non_null(strstr(text, "期间内收到事项1件"));
	assert_non_null(strstr(text, "来访1100.0%"));
	free(text);
	/* A dot-matrix printer on a raw queue: the GB18030 text page as it is. */
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--printer", "针式", "--format", "text", NULL});
	if (r->status != 0)
		fail_msg("print text: %s", r->err);
	assert_non_null(strstr(r->err, "已送打印机 针式，作业 针式-"));
	job_of(r->err, job, sizeof job);
	struct xf_buf got;
	buf_init(&got);
	printer_receive(&c, &got);
	wait_completed(&c, job);
	bytes = got.data;
	len = got.len;
	assert_int_equal(text_decode(bytes, len, "GB18030", &text, NULL), XF_OK);
	assert_non_null(strstr(text, "信 访 登 记 表"));
	assert_non_null(strstr(text, "李𠮷䶮"));
	assert_non_null(strstr(text, "（补打）"));
	assert_non_null(memchr(bytes, '\f', len));
	free(text);
	free(bytes);
	/* A `;` in the queue name is part of the name: lp refuses the unknown queue, no shell runs. */
	char marker[160], queue[220];
	snprintf(marker, sizeof marker, "%s/shell-ran", c.dir);
	snprintf(queue, sizeof queue, "信访办;touch %s", marker);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", "--printer", queue, NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "没有接受"));
	assert_non_null(strstr(r->err, "lp:"));
	assert_int_equal(access(marker, F_OK), -1);
	/* The office's queue switched off: the refusal is reported, the print not recorded as done. */
	int st;
	char *out = run_capture(&st, "cupsreject 信访办 2>&1");
	assert_int_equal(st, 0);
	free(out);
	run_admin(&c, r, (const char *[]){"print", "2026-0001", "registration", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "打印机 信访办 没有接受"));
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(real_scheduler, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Printing through a real CUPS scheduler started here, with its own configuration in a
 * temporary directory and a private socket: a PDF queue (pdftopdf into a file: device) gets
 * the slip with no options and puts out the PDF with the form's text; a raw queue to a
 * dot-matrix printer's network port (socket://) gets the GB18030 text as it is; the statistics
 * report reaches the PDF queue the same way; a `;` in a queue name runs nothing. */
#include "testutil.h"

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

/* A scheduler of our own, a store, and a dot-matrix printer's network port (a listening
 * socket the scheduler's socket:// backend sends the raw queue's jobs to). */
struct cups_env {
	char dir[64];
	char db[128];
	char server[128];
	pid_t cupsd;
	int printer_port;
	int printer_fd;
};

/* A PDF printer's description: CUPS runs pdftopdf and hands the PDF to the device. */
static const char pdf_ppd[] =
	"*PPD-Adobe: \"4.3\"\n*FormatVersion: \"4.3\"\n*FileVersion: \"1.0\"\n*LanguageVersion: English\n"
	"*LanguageEncoding: ISOLatin1\n*PCFileName: \"XFPDF.PPD\"\n*Manufacturer: \"Generic\"\n"
	"*Product: \"(PDF Printer)\"\n*ModelName: \"Generic PDF Printer\"\n*ShortNickName: \"Generic PDF Printer\"\n"
	"*NickName: \"Generic PDF Printer\"\n*PSVersion: \"(3010.000) 0\"\n*LanguageLevel: \"3\"\n"
	"*ColorDevice: False\n*DefaultColorSpace: Gray\n*FileSystem: False\n*Throughput: \"1\"\n"
	"*TTRasterizer: Type42\n*cupsVersion: 2.4\n"
	"*cupsFilter2: \"application/vnd.cups-pdf application/pdf 0 -\"\n"
	"*OpenUI *PageSize/Media Size: PickOne\n*OrderDependency: 10 AnySetup *PageSize\n*DefaultPageSize: A4\n"
	"*PageSize A4/A4: \"\"\n*CloseUI: *PageSize\n*OpenUI *PageRegion/Media Size: PickOne\n"
	"*OrderDependency: 10 AnySetup *PageRegion\n*DefaultPageRegion: A4\n*PageRegion A4/A4: \"\"\n"
	"*CloseUI: *PageRegion\n*DefaultImageableArea: A4\n*ImageableArea A4/A4: \"0 0 595 842\"\n"
	"*DefaultPaperDimension: A4\n*PaperDimension A4/A4: \"595 842\"\n";

/* Writes a file of the scheduler's configuration. */
static void write_conf(const struct cups_env *c, const char *name, const char *text)
{
	char path[160];
	snprintf(path, sizeof path, "%s/%s", c->dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Milliseconds of the monotonic clock. */
static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Starts cupsd on a private socket and makes the two queues. */
static void cups_start(struct cups_env *c)
{
	snprintf(c->dir, sizeof c->dir, "/tmp/xinfang-cups-XXXXXX");
	assert_non_null(mkdtemp(c->dir));
	assert_int_equal(chmod(c->dir, 0755), 0);
	const char *subdirs[] = {"spool", "tmp", "cache", "state", "log", "ppd", "out"};
	for (size_t i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
		char path[160];
		snprintf(path, sizeof path, "%s/%s", c->dir, subdirs[i]);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	char *files = xasprintf("ServerRoot %s\nRequestRoot %s/spool\nTempDir %s/tmp\nCacheDir %s/cache\n"
	                        "StateDir %s/state\nErrorLog %s/log/error_log\nAccessLog %s/log/access_log\n"
	                        "PageLog %s/log/page_log\nPrintcap %s/printcap\nFileDevice Yes\nUser lp\nGroup lp\n"
	                        "SystemGroup root\n",
	                        c->dir, c->dir, c->dir, c->dir, c->dir, c->dir, c->dir, c->dir, c->dir);
	write_conf(c, "cups-files.conf", files);
	free(files);
	snprintf(c->server, sizeof c->server, "%s/cups.sock", c->dir);
	char *conf = xasprintf("Listen %s\nLogLevel info\nBrowsing Off\nWebInterface No\nDefaultAuthType None\n"
	                       "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
	                       "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
	                       c->server);
	write_conf(c, "cupsd.conf", conf);
	free(conf);
	write_conf(c, "pdf.ppd", pdf_ppd);
	setenv("CUPS_SERVER", c->server, 1);
	char conf_path[160], files_path[160];
	snprintf(conf_path, sizeof conf_path, "%s/cupsd.conf", c->dir);
	snprintf(files_path, sizeof files_path, "%s/cups-files.conf", c->dir);
	c->cupsd = fork();
	assert_true(c->cupsd >= 0);
	if (c->cupsd == 0) {
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		execl("/usr/sbin/cupsd", "cupsd", "-f", "-c", conf_path, "-s", files_path, (char *)NULL);
		_exit(127);
	}
	/* Up when lpstat can talk to it. */
	long long end = now_ms() + 10000;
	int st = 1;
	while (now_ms() < end) {
		char *out = run_capture(&st, "lpstat -r 2>&1");
		bool up = strstr(out, "scheduler is running") != NULL;
		free(out);
		if (up)
			break;
		usleep(100 * 1000);
	}
	char *out = run_capture(&st, "lpstat -r 2>&1");
	if (strstr(out, "scheduler is running") == NULL)
		fail_msg("cupsd did not start: %s", out);
	free(out);
	out = run_capture(&st, "lpadmin -p 信访办 -E -v 'file://%s/out/laser.pdf' -P '%s/pdf.ppd' 2>&1", c->dir, c->dir);
	if (st != 0)
		fail_msg("lpadmin (PDF queue): %s", out);
	free(out);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	c->printer_fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(c->printer_fd >= 0);
	assert_int_equal(bind(c->printer_fd, (struct sockaddr *)&addr, sizeof addr), 0);
	assert_int_equal(listen(c->printer_fd, 4), 0);
	socklen_t alen = sizeof addr;
	assert_int_equal(getsockname(c->printer_fd, (struct sockaddr *)&addr, &alen), 0);
	c->printer_port = ntohs(addr.sin_port);
	out = run_capture(&st, "lpadmin -p 针式 -E -v 'socket://127.0.0.1:%d' -m raw 2>&1", c->printer_port);
	if (st != 0)
		fail_msg("lpadmin (raw queue): %s", out);
	free(out);
	snprintf(c->db, sizeof c->db, "XINFANG_DB=%s/x.db", c->dir);
}

/* Stops the scheduler and removes its directory. */
static void cups_stop(struct cups_env *c)
{
	close(c->printer_fd);
	kill(c->cupsd, SIGTERM);
	int status;
	waitpid(c->cupsd, &status, 0);
	unsetenv("CUPS_SERVER");
	char *cmd = xasprintf("rm -rf '%s'", c->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

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

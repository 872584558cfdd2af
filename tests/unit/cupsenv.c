/* A CUPS scheduler of the tests' own, with its configuration in a temporary directory. */
#include "testutil.h"
#include "cupsenv.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Starts cupsd on a private socket and makes the two queues. */
void cups_start(struct cups_env *c)
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
void cups_stop(struct cups_env *c)
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


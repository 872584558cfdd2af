/* The printer queues this host knows and its default one, as lpstat tells them: for the
 * print dialog's pick list and to say which queue an empty field means. */
#include "xinfang/print.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs lpstat with one option in the C locale (its words are parsed) and returns what it
 * printed (a new string), or NULL when it cannot run or fails. */
static char *lpstat(const char *option)
{
	int outp[2];
	if (pipe(outp) != 0)
		return NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_addclose(&fa, outp[0]);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* The environment as it is (CUPS_SERVER included), with the C locale in front. */
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + 2, sizeof *env);
	env[0] = "LC_ALL=C";
	for (size_t i = 0, k = 1; i < n; i++)
		if (strncmp(environ[i], "LC_ALL=", 7) != 0)
			env[k++] = environ[i];
	char *const argv[] = {"lpstat", (char *)option, NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, "lpstat", &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	close(outp[1]);
	if (rc != 0) {
		close(outp[0]);
		return NULL;
	}
	struct xf_buf out;
	buf_init(&out);
	buf_puts(&out, "");
	char chunk[1024];
	ssize_t got;
	while ((got = read(outp[0], chunk, sizeof chunk)) > 0 || (got < 0 && errno == EINTR))
		if (got > 0)
			buf_add(&out, chunk, (size_t)got);
	close(outp[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		buf_free(&out);
		return NULL;
	}
	return out.data;
}

/* The queues (lpstat -e), one field each with the name as its key, and the system's default
 * queue (lpstat -d; "" when there is none). */
int print_host_queues(struct xf_fields *queues, char *system_default, size_t n, struct xf_err *err)
{
	fields_init(queues);
	if (system_default && n)
		system_default[0] = '\0';
	char *names = lpstat("-e");
	if (names == NULL)
		return xf_err_set(err, XF_EIO, "无法列出打印机（lpstat 没有运行成功）：请确认已安装 cups-client 且 CUPS 在运行，"
		                               "或直接填写队列名");
	for (char *save = NULL, *line = strtok_r(names, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (*line)
			fields_set(queues, line, "");
	free(names);
	char *said = lpstat("-d");
	static const char prefix[] = "system default destination: ";
	char *at = said ? strstr(said, prefix) : NULL;
	if (at && system_default && n) {
		at += sizeof prefix - 1;
		snprintf(system_default, n, "%.*s", (int)strcspn(at, "\n"), at);
	}
	free(said);
	return XF_OK;
}

/* What an empty queue field means, as one phrase: "办公室默认打印机 信访办", "系统默认打印机 X". */
void print_default_queue_text(struct xf_session *s, char *out, size_t n)
{
	char queue[128] = "";
	struct xf_err err;
	if (print_queue(s, NULL, queue, sizeof queue, &err) == XF_OK && *queue) {
		snprintf(out, n, "%s %s", getenv("XINFANG_PRINTER") && *getenv("XINFANG_PRINTER") ? "XINFANG_PRINTER 指定的打印机"
		                                                                                  : "办公室默认打印机",
		         queue);
		return;
	}
	struct xf_fields queues;
	char system_default[128] = "";
	if (print_host_queues(&queues, system_default, sizeof system_default, &err) == XF_OK) {
		fields_free(&queues);
		if (*system_default) {
			snprintf(out, n, "系统默认打印机 %s", system_default);
			return;
		}
	}
	snprintf(out, n, "系统默认打印机（本机没有设定默认打印机，请按 F3 选一台）");
}

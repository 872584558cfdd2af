/* The pty harness: forkpty, libvterm, keys in, cells out. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xinfang/text.h"

/* Answers the terminal's queries (device attributes and the like) back to the program. */
static void vterm_output(const char *s, size_t len, void *user)
{
	struct term *t = user;
	while (len > 0) {
		ssize_t n = write(t->fd, s, len);
		if (n <= 0)
			break;
		s += n;
		len -= (size_t)n;
	}
}

/* Milliseconds on a monotonic clock. */
static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Starts the program in a pty. */
void term_start(struct term *t, int rows, int cols, const char *const *env, const char *const *argv)
{
	memset(t, 0, sizeof *t);
	t->rows = rows;
	t->cols = cols;
	buf_init(&t->raw);
	buf_init(&t->printer);
	struct winsize ws = {(unsigned short)rows, (unsigned short)cols, 0, 0};
	const char *bin = getenv("XINFANG_BIN");
	if (bin == NULL) {
		fprintf(stderr, "XINFANG_BIN is not set\n");
		abort();
	}
	pid_t pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		abort();
	}
	if (pid == 0) {
		setenv("LC_ALL", "C.UTF-8", 1);
		setenv("TERM", "xterm-256color", 1);
		unsetenv("XINFANG_USER");
		unsetenv("XINFANG_PASSWORD");
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		size_t n = 0;
		while (argv && argv[n])
			n++;
		char **args = calloc(n + 2, sizeof *args);
		args[0] = (char *)bin;
		for (size_t i = 0; i < n; i++)
			args[i + 1] = (char *)argv[i];
		execv(bin, args);
		_exit(127);
	}
	t->pid = pid;
	t->status = -3;
	fcntl(t->fd, F_SETFL, fcntl(t->fd, F_GETFL) | O_NONBLOCK);
	t->vt = vterm_new(rows, cols);
	vterm_set_utf8(t->vt, 1);
	vterm_output_set_callback(t->vt, vterm_output, t);
	t->screen = vterm_obtain_screen(t->vt);
	vterm_screen_enable_altscreen(t->screen, 1);
	vterm_screen_reset(t->screen, 1);
}

/* Like a terminal with a printer attached: bytes between ESC [ 5 i and ESC [ 4 i go to the
 * printer, the rest to the screen. */
static void feed(struct term *t, const char *data, size_t n)
{
	struct xf_buf in;
	buf_init(&in);
	buf_add(&in, t->carry, t->ncarry);
	buf_add(&in, data, n);
	t->ncarry = 0;
	size_t i = 0;
	while (i < in.len) {
		const char *mark = t->printing ? "\033[4i" : "\033[5i";
		char *at = memmem(in.data + i, in.len - i, mark, 4);
		size_t upto = at ? (size_t)(at - in.data) : in.len;
		if (!at) {
			/* Keep a possible partial mark for the next read. */
			size_t keep = 0;
			for (size_t k = 1; k < 4 && k <= in.len - i; k++)
				if (memcmp(in.data + in.len - k, mark, k) == 0)
					keep = k;
			upto = in.len - keep;
			memcpy(t->carry, in.data + upto, keep);
			t->ncarry = keep;
		}
		if (t->printing)
			buf_add(&t->printer, in.data + i, upto - i);
		else
			vterm_input_write(t->vt, in.data + i, upto - i);
		if (!at)
			break;
		t->printing = !t->printing;
		i = upto + 4;
	}
	buf_free(&in);
}

/* Reads whatever the program wrote, for up to ms. */
void term_pump(struct term *t, int ms)
{
	long long end = now_ms() + ms;
	for (;;) {
		long long left = end - now_ms();
		if (left < 0)
			left = 0;
		struct pollfd pfd = {t->fd, POLLIN, 0};
		int r = poll(&pfd, 1, (int)left);
		if (r > 0 && (pfd.revents & POLLIN)) {
			char buf[8192];
			ssize_t n = read(t->fd, buf, sizeof buf);
			if (n > 0) {
				buf_add(&t->raw, buf, (size_t)n);
				feed(t, buf, (size_t)n);
				continue;
			}
		}
		if (r > 0 && (pfd.revents & (POLLHUP | POLLERR)) && !(pfd.revents & POLLIN))
			return;
		if (left == 0)
			return;
	}
}

/* Waits up to ms for the program's next output and reads what has come; true when it read
 * any (the benchmark times a frame to the read that completed it, not to a poll). */
bool term_read_some(struct term *t, int ms)
{
	struct pollfd pfd = {t->fd, POLLIN, 0};
	if (poll(&pfd, 1, ms) <= 0 || !(pfd.revents & POLLIN))
		return false;
	char buf[8192];
	ssize_t n = read(t->fd, buf, sizeof buf);
	if (n <= 0)
		return false;
	buf_add(&t->raw, buf, (size_t)n);
	feed(t, buf, (size_t)n);
	return true;
}

/* Types keys. */
void term_send(struct term *t, const char *keys)
{
	size_t len = strlen(keys);
	while (len > 0) {
		ssize_t n = write(t->fd, keys, len);
		if (n < 0 && errno == EAGAIN) {
			term_pump(t, 10);
			continue;
		}
		if (n <= 0)
			break;
		keys += n;
		len -= (size_t)n;
	}
	term_pump(t, 60);
}

/* One row's text. */
char *term_row(struct term *t, int row)
{
	struct xf_buf b;
	buf_init(&b);
	for (int col = 0; col < t->cols; col++) {
		VTermScreenCell cell;
		VTermPos pos = {row, col};
		vterm_screen_get_cell(t->screen, pos, &cell);
		if (cell.chars[0] == 0) {
			buf_puts(&b, " ");
			continue;
		}
		for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++) {
			char enc[4];
			buf_add(&b, enc, utf8_encode(cell.chars[i], enc));
		}
		if (cell.width == 2)
			col++;
	}
	return b.data;
}

/* The whole screen. */
char *term_text(struct term *t)
{
	struct xf_buf b;
	buf_init(&b);
	for (int r = 0; r < t->rows; r++) {
		char *row = term_row(t, r);
		buf_puts(&b, row);
		buf_puts(&b, "\n");
		free(row);
	}
	return b.data;
}

/* Finds text: row, and column in cells. */
bool term_find(struct term *t, const char *text, int *row, int *col)
{
	for (int r = 0; r < t->rows; r++) {
		char *line = term_row(t, r);
		char *at = strstr(line, text);
		if (at != NULL) {
			*at = '\0';
			if (row)
				*row = r;
			if (col) {
				/* The row's text has one space per empty cell and a wide character once. */
				*col = text_width(line);
			}
			free(line);
			return true;
		}
		free(line);
	}
	return false;
}

/* Waits for text to show. */
bool term_wait(struct term *t, const char *text, int ms)
{
	long long end = now_ms() + ms;
	for (;;) {
		if (term_find(t, text, NULL, NULL))
			return true;
		if (now_ms() >= end)
			return false;
		term_pump(t, 50);
	}
}

/* Waits for text to go. */
bool term_wait_gone(struct term *t, const char *text, int ms)
{
	long long end = now_ms() + ms;
	for (;;) {
		if (!term_find(t, text, NULL, NULL))
			return true;
		if (now_ms() >= end)
			return false;
		term_pump(t, 50);
	}
}

/* A cell. */
void term_cell(struct term *t, int row, int col, VTermScreenCell *cell)
{
	VTermPos pos = {row, col};
	vterm_screen_get_cell(t->screen, pos, cell);
}

/* The cursor. */
void term_cursor(struct term *t, int *row, int *col)
{
	VTermPos pos;
	vterm_state_get_cursorpos(vterm_obtain_state(t->vt), &pos);
	*row = pos.row;
	*col = pos.col;
}

/* Resizes the pty and the model. */
void term_resize(struct term *t, int rows, int cols)
{
	t->rows = rows;
	t->cols = cols;
	vterm_set_size(t->vt, rows, cols);
	struct winsize ws = {(unsigned short)rows, (unsigned short)cols, 0, 0};
	ioctl(t->fd, TIOCSWINSZ, &ws);
	term_pump(t, 200);
}

/* Signals the program and waits for it. */
int term_stop(struct term *t, int sig, int ms)
{
	if (t->pid <= 0)
		return t->status;
	if (sig)
		kill(t->pid, sig);
	long long end = now_ms() + ms;
	for (;;) {
		term_pump(t, 20);
		int status;
		pid_t r = waitpid(t->pid, &status, WNOHANG);
		if (r == t->pid) {
			term_pump(t, 20);
			t->pid = 0;
			t->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
			return t->status;
		}
		if (now_ms() >= end)
			return -2;
	}
}

/* Stops the program if it still runs and frees everything. */
void term_free(struct term *t)
{
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
	}
	if (t->vt)
		vterm_free(t->vt);
	close(t->fd);
	buf_free(&t->raw);
	buf_free(&t->printer);
	memset(t, 0, sizeof *t);
}

/* The desk's main loop and frame: terminal set-up and restore, signals, keys and ticks,
 * the title bar, the message line, the status bar and the key hints. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/desk.h"
#include "xinfang/fileperm.h"
#include "xinfang/setup.h"
#include "xinfang/text.h"
#include "xinfang/verify.h"

volatile sig_atomic_t ui_quit_requested;

/* What the fatal-signal handler needs to give the terminal back. */
static struct termios saved_termios;
static bool have_saved_termios;
static char reset_sequence[128];
static size_t reset_len;

enum { PAIR_TITLE = 1, PAIR_RED, PAIR_YELLOW, PAIR_FIELD, PAIR_CURRENT, PAIR_HINT };

/* SIGTERM, SIGHUP, SIGINT, SIGQUIT: ask the loop to leave. */
static void on_quit_signal(int sig)
{
	(void)sig;
	ui_quit_requested = 1;
}

/* A crash: restore the terminal with async-signal-safe calls, then die of the same signal. */
static void on_fatal_signal(int sig)
{
	if (have_saved_termios)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
	if (reset_len)
		(void)!write(STDOUT_FILENO, reset_sequence, reset_len);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Appends a terminfo string to the reset sequence used after a crash. */
static void add_reset(const char *cap)
{
	char *s = tigetstr((char *)cap);
	if (s == NULL || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (reset_len + n < sizeof reset_sequence) {
		memcpy(reset_sequence + reset_len, s, n);
		reset_len += n;
	}
}

/* Installs the signal handlers. */
static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_quit_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
}

/* Colour pairs, or bold and reverse on a monochrome terminal. */
static void setup_colors(struct ui *ui)
{
	const char *mono = getenv("XINFANG_MONO");
	ui->color = has_colors() && !(mono && *mono && strcmp(mono, "0") != 0) && getenv("NO_COLOR") == NULL;
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_RED, COLOR_RED, -1);
	init_pair(PAIR_YELLOW, COLOR_YELLOW, -1);
	init_pair(PAIR_FIELD, COLOR_CYAN, -1);
	init_pair(PAIR_CURRENT, COLOR_BLACK, COLOR_YELLOW);
	init_pair(PAIR_HINT, COLOR_BLACK, COLOR_CYAN);
}

/* Attributes of the title bar. */
int ui_attr_title(struct ui *ui) { return ui->color ? (int)COLOR_PAIR(PAIR_TITLE) : A_REVERSE; }
/* Attributes of errors and overdue counts. */
int ui_attr_error(struct ui *ui) { return ui->color ? (int)(COLOR_PAIR(PAIR_RED) | A_BOLD) : A_REVERSE; }
/* Attributes of warnings and nearing counts. */
int ui_attr_warn(struct ui *ui) { return ui->color ? (int)(COLOR_PAIR(PAIR_YELLOW) | A_BOLD) : A_BOLD; }
/* Attributes of field values. */
int ui_attr_field(struct ui *ui) { return ui->color ? (int)COLOR_PAIR(PAIR_FIELD) : A_NORMAL; }
/* Attributes of the field being edited. */
int ui_attr_current(struct ui *ui) { return ui->color ? (int)COLOR_PAIR(PAIR_CURRENT) : A_REVERSE | A_UNDERLINE; }

/* Lines the message takes at the bottom (one or two). */
static int message_rows = 1;

/* First row of a screen's content. */
int ui_content_top(void) { return 1; }
/* Rows a screen's content may use (title, message, status and hint lines excluded). */
int ui_content_rows(void) { return LINES > 6 ? LINES - 3 - message_rows : 1; }

/* Columns a text takes. */
int ui_width(const char *text)
{
	return tui_width(text);
}

/* Draws text in a fixed number of columns. */
void ui_put(int y, int x, int width, const char *text, int attr)
{
	if (y < 0 || y >= LINES || x >= COLS || width <= 0)
		return;
	if (x + width > COLS)
		width = COLS - x;
	/* Wide characters: curses writes them in the locale's charset (UTF-8 or GB18030). */
	wchar_t buf[512];
	size_t out = 0, len = text ? strlen(text) : 0;
	int used = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp = utf8_next(text, len, &i);
		if (cp == '\t' || cp == '\n')
			cp = ' ';
		else if (text_cp_unsafe(cp))
			cp = 0xfffd; /* a control or direction character never reaches the terminal */
		int w = tui_cp_width(cp);
		if (used + w > width || out + 2 >= sizeof buf / sizeof buf[0])
			break;
		buf[out++] = (wchar_t)cp;
		used += w;
	}
	while (used < width && out + 1 < sizeof buf / sizeof buf[0]) {
		buf[out++] = L' ';
		used++;
	}
	buf[out] = L'\0';
	attron(attr);
	mvaddwstr(y, x, buf);
	attroff(attr);
}

/* Sets the screen's name and its key hints; a message already read leaves with its screen. */
void ui_set_screen(struct ui *ui, const char *title, const char *hints)
{
	if (strcmp(title, ui->title) != 0 && ui->message_seen && strcmp(ui->message_screen, title) != 0)
		ui_clear_message(ui);
	snprintf(ui->title, sizeof ui->title, "%s", title);
	snprintf(ui->hints, sizeof ui->hints, "%s", hints);
}

/* Fills the message line. */
static void set_message(struct ui *ui, enum ui_msg kind, const char *about, const char *fmt, va_list ap)
{
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	ui->message_kind = kind;
	snprintf(ui->message_about, sizeof ui->message_about, "%s", about ? about : "");
	snprintf(ui->message_screen, sizeof ui->message_screen, "%s", ui->title);
	ui->message_seen = false;
}

/* Puts a message on the message line. */
void ui_message(struct ui *ui, enum ui_msg kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(ui, kind, NULL, fmt, ap);
	va_end(ap);
}

/* A message about one thing, cleared when that thing is fixed. */
void ui_message_about(struct ui *ui, enum ui_msg kind, const char *about, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(ui, kind, about, fmt, ap);
	va_end(ap);
}

/* Clears the message when it is about `about`. */
void ui_clear_about(struct ui *ui, const char *about)
{
	if (*ui->message && strcmp(ui->message_about, about) == 0)
		ui_clear_message(ui);
}

/* Empties the message line. */
void ui_clear_message(struct ui *ui)
{
	ui->message[0] = '\0';
	ui->message_about[0] = '\0';
	ui->message_kind = UI_INFO;
	ui->message_seen = false;
}

/* The message in at most two screen lines; a message too long for them keeps its end (the key
 * it names: 按 F6 关联) and loses the middle. */
static size_t message_lines(const char *message, int width, char ***lines)
{
	size_t n = text_wrap(message, width, tui_cp_width_ctx, NULL, lines);
	if (n <= 2)
		return n;
	text_lines_free(*lines, n);
	size_t len = strlen(message), head = len;
	for (const char *p = strstr(message, "按 "); p; p = strstr(p + 1, "按 "))
		head = (size_t)(p - message);
	if (tui_width(message + head) > width)
		head = len;
	const char *tail = message + head;
	int room = 2 * width - tui_width(tail) - 4;
	struct xf_buf b;
	buf_init(&b);
	int used = 0;
	for (size_t i = 0; i < head;) {
		size_t at = i;
		uint32_t cp = utf8_next(message, len, &i);
		used += tui_cp_width(cp);
		if (used > room)
			break;
		buf_add(&b, message + at, i - at);
	}
	buf_puts(&b, "…");
	buf_puts(&b, tail);
	n = text_wrap(b.data, width, tui_cp_width_ctx, NULL, lines);
	buf_free(&b);
	while (n > 2)
		free((*lines)[--n]);
	return n;
}

/* Recounts the status bar from the core. */
void ui_refresh_status(struct ui *ui)
{
	if (!ui->logged_in)
		return;
	struct xf_err err;
	ui->counts_ok = case_status_counts(&ui->s, &ui->counts, &err) == XF_OK;
	ui->today = clock_today();
	if (!ui->counts_ok)
		ui_message_about(ui, UI_ERROR, "status", "状态栏无法统计：%s", err.msg);
	else
		ui_clear_about(ui, "status");
}

/* Draws "label N" with the number coloured when it is not zero. */
static int status_count(struct ui *ui, int y, int x, const char *label, long n, int attr)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s%ld", label, n);
	int w = ui_width(buf);
	ui_put(y, x, w, buf, n > 0 ? attr : (int)A_NORMAL);
	return x + w;
}

/* The status bar: 周限 临近N 超期N │ 月限 临近N 超期N │ 待批转 N 超期N. */
static void draw_status(struct ui *ui)
{
	int y = LINES - 2, x = 0;
	move(y, 0);
	clrtoeol();
	if (!ui->logged_in || !ui->counts_ok)
		return;
	const struct xf_status_counts *c = &ui->counts;
	int warn = ui_attr_warn(ui), err = ui_attr_error(ui);
	x = status_count(ui, y, x, "周限 临近", c->nearing[XF_LIMIT_HANDLE], warn);
	x = status_count(ui, y, x, " 超期", c->overdue[XF_LIMIT_HANDLE], err);
	ui_put(y, x, 3, " │ ", A_NORMAL);
	x += 3;
	x = status_count(ui, y, x, "月限 临近", c->nearing[XF_LIMIT_REPLY], warn);
	x = status_count(ui, y, x, " 超期", c->overdue[XF_LIMIT_REPLY], err);
	ui_put(y, x, 3, " │ ", A_NORMAL);
	x += 3;
	char buf[32];
	snprintf(buf, sizeof buf, "待批转 %ld", c->pending_transfer);
	ui_put(y, x, ui_width(buf), buf, A_NORMAL);
	x += ui_width(buf);
	x = status_count(ui, y, x, " 超期", c->overdue[XF_LIMIT_TRANSFER], err);
	if (!ui->changed)
		return;
	/* Another desk saved a change this screen has not re-read: said in words where there is room. */
	static const char *const said[] = {"※有更新，返回即刷新", "※有更新"};
	for (size_t i = 0; i < sizeof said / sizeof said[0]; i++) {
		int w = ui_width(said[i]);
		if (x + 2 + w <= COLS || i + 1 == sizeof said / sizeof said[0]) {
			ui_put(y, COLS - w - 1, w + 1, said[i], warn);
			break;
		}
	}
}

/* Title, message line, status bar and hints around the screen's content. */
void ui_frame(struct ui *ui)
{
	int title = ui_attr_title(ui);
	char left[160], right[160], date[11];
	snprintf(left, sizeof left, " 信访办%s · %s", ui->training ? "【演示/培训】" : "", ui->title);
	date_format(clock_today(), date);
	if (ui->logged_in)
		snprintf(right, sizeof right, "%s（%s） %s ", *ui->s.op.full_name ? ui->s.op.full_name : ui->s.op.name,
		         auth_role_label(ui->s.op.role), date);
	else
		snprintf(right, sizeof right, "%s ", date);
	ui_put(0, 0, COLS, left, title | A_BOLD);
	int rw = ui_width(right);
	if (rw < COLS - ui_width(left))
		ui_put(0, COLS - rw, rw, right, title);
	int attr = ui->message_kind == UI_ERROR ? ui_attr_error(ui) : ui->message_kind == UI_WARN ? ui_attr_warn(ui) : 0;
	message_rows = 1;
	if (COLS < 80 || LINES < 24) {
		ui_put(LINES - 3, 0, COLS, "终端窗口太小：至少 80 列 × 24 行，请放大窗口", ui_attr_error(ui));
	} else {
		char **lines;
		size_t n = message_lines(ui->message, COLS - 1, &lines);
		message_rows = n > 1 ? 2 : 1;
		for (size_t i = 0; i < (size_t)message_rows; i++)
			ui_put(LINES - 2 - message_rows + (int)i, 0, COLS, i < n ? lines[i] : "", attr);
		text_lines_free(lines, n);
	}
	draw_status(ui);
	ui_put(LINES - 1, 0, COLS, ui->hints, ui->color ? (int)COLOR_PAIR(PAIR_HINT) : A_REVERSE);
}

/* Checks for other desks' changes and a new day. */
static void tick(struct ui *ui)
{
	if (!ui->logged_in)
		return;
	int64_t v;
	bool refresh = false;
	struct xf_err err;
	if (desk_store_watch(&ui->s, &v, &err) != XF_OK) {
		/* said once; the screen and what is typed on it stay, the store reconnects by itself */
		if (!ui->link_lost)
			ui_message(ui, UI_ERROR, "%s", err.msg);
		ui->link_lost = true;
		return;
	}
	if (ui->link_lost) {
		ui->link_lost = false;
		ui_message(ui, UI_INFO, "与数据库服务器的连接中断过，已自动重新连接：中断时没有保存成功的，请再保存一次");
	}
	if (v != ui->data_version) {
		ui->data_version = v;
		ui->changed = true;
		refresh = true;
		/* The admin may have loaded a calendar or switched the rule set. */
		session_reload_reference(&ui->s);
	}
	/* ... or disabled this account, or changed its role or department (asked at every tick,
	 * one indexed read, so a store busy at one tick is asked again at the next). */
	if (auth_session_current(&ui->s, &err) == XF_EAUTH) {
		ui->session_ended = true;
		snprintf(ui->ended_why, sizeof ui->ended_why, "%s", err.msg);
		return;
	}
	if (clock_today() != ui->today)
		refresh = true;
	if (refresh) {
		ui_refresh_status(ui);
		draw_status(ui);
	}
}

/* The store's descriptor for other desks' commits while a key is awaited, or -1. */
static int key_wake_fd = -1;

/* Reads one key from the terminal, waiting at most the half-second tick; ERR (a tick) at once
 * when key_wake_fd says another desk committed. A key curses holds already comes first. */
static int read_terminal_key(wint_t *ch)
{
	if (key_wake_fd < 0)
		return get_wch(ch);
	timeout(0);
	int r = get_wch(ch);
	timeout(500);
	if (r != ERR)
		return r;
	struct pollfd p[2] = {{STDIN_FILENO, POLLIN, 0}, {key_wake_fd, POLLIN, 0}};
	if (poll(p, 2, 500) > 0 && p[0].revents)
		return get_wch(ch);
	return ERR;
}
int (*ui_read_key)(wint_t *ch) = read_terminal_key;

/* After an Esc: when more bytes follow at once, they are a key sequence curses did not know
 * (or Alt with a key); reads it to its end and returns true so that it is ignored. */
static bool swallow_unknown_sequence(void)
{
	wint_t ch;
	timeout(0);
	int r = get_wch(&ch);
	bool sequence = r != ERR;
	if (r == OK && (ch == '[' || ch == 'O')) {
		bool csi = ch == '[';
		for (int i = 0; i < 16; i++) {
			if (get_wch(&ch) == ERR)
				break;
			if (!csi || (ch >= 0x40 && ch <= 0x7e))
				break;
		}
	}
	timeout(500);
	return sequence;
}

/* Waits for a key or a tick. */
struct ui_key ui_getkey(struct ui *ui)
{
	struct ui_key k = {UI_TICK, 0};
	if (ui_quit_requested || ui->session_ended) {
		k.kind = UI_QUIT;
		return k;
	}
	wint_t ch;
	key_wake_fd = ui->logged_in ? desk_notify_fd(&ui->s) : -1;
	int r = ui_read_key(&ch);
	if (ui_quit_requested || ui->session_ended) {
		k.kind = UI_QUIT;
		return k;
	}
	if (r == ERR) {
		tick(ui);
		return k;
	}
	k.kind = r == KEY_CODE_YES ? UI_FUNC : UI_CHAR;
	k.ch = ch;
	if (*ui->message)
		ui->message_seen = true;
	if (k.kind == UI_CHAR && ch == 27 && swallow_unknown_sequence()) {
		k.kind = UI_TICK; /* a key this terminal sends that the desk does not know: ignored */
		return k;
	}
	/* F5, from any screen: the cases behind the status bar's counts. */
	if (k.kind == UI_FUNC && ch == KEY_F(5) && ui->logged_in && !ui->in_due) {
		char title[64], hints[256];
		snprintf(title, sizeof title, "%s", ui->title);
		snprintf(hints, sizeof hints, "%s", ui->hints);
		ui->in_due = true;
		screen_due(ui);
		ui->in_due = false;
		ui_set_screen(ui, title, hints);
		k.kind = UI_TICK;
	}
	return k;
}

/* Keys that leave a screen. */
bool ui_is_back(struct ui_key k)
{
	if (k.kind == UI_QUIT)
		return true;
	if (k.kind == UI_FUNC)
		return k.ch == KEY_F(10);
	return k.kind == UI_CHAR && (k.ch == 27 || k.ch == 3 || k.ch == 17);
}

/* A pick list in a window over the screen. */
int ui_pick(struct ui *ui, const char *title, const struct xf_fields *choices, int current)
{
	int n = (int)choices->n;
	if (n == 0)
		return -1;
	static const char hint[] = " ↑↓ 选择  回车 确定  Esc 取消";
	int width = ui_width(title) + 4;
	if (width < ui_width(hint) + 1)
		width = ui_width(hint) + 1;
	for (int i = 0; i < n; i++)
		if (ui_width(choices->v[i].key) + 6 > width)
			width = ui_width(choices->v[i].key) + 6;
	if (width > COLS - 2)
		width = COLS - 2;
	int height = n + 2 > LINES - 4 ? LINES - 4 : n + 2;
	int y0 = (LINES - height) / 2, x0 = (COLS - width) / 2, sel = current >= 0 && current < n ? current : 0;
	int top = 0;
	for (;;) {
		int visible = height - 2;
		if (sel < top)
			top = sel;
		if (sel >= top + visible)
			top = sel - visible + 1;
		ui_put(y0, x0, width, "", A_REVERSE);
		ui_put(y0, x0 + 2, ui_width(title), title, A_REVERSE | A_BOLD);
		for (int i = 0; i < visible; i++) {
			int idx = top + i;
			char line[256];
			snprintf(line, sizeof line, "  %s", idx < n ? choices->v[idx].key : "");
			ui_put(y0 + 1 + i, x0, width, line, idx == sel ? ui_attr_current(ui) : (int)A_REVERSE);
		}
		ui_put(y0 + height - 1, x0, width, hint, A_REVERSE);
		refresh();
		struct ui_key k = ui_getkey(ui);
		int chosen = -2;
		if (k.kind == UI_QUIT || ui_is_back(k))
			chosen = -1;
		else if ((k.kind == UI_CHAR && (k.ch == '\r' || k.ch == '\n' || k.ch == ' ')) ||
		         (k.kind == UI_FUNC && k.ch == KEY_ENTER))
			chosen = sel;
		else if (k.kind == UI_CHAR && k.ch >= '1' && k.ch <= '9' && (int)(k.ch - '1') < n)
			chosen = (int)(k.ch - '1');
		if (chosen > -2) {
			/* Leave no trace of the list: the caller redraws its screen. */
			erase();
			ui_frame(ui);
			return chosen;
		}
		if (k.kind == UI_FUNC && k.ch == KEY_UP && sel > 0)
			sel--;
		else if (k.kind == UI_FUNC && k.ch == KEY_DOWN && sel + 1 < n)
			sel++;
	}
}

/* A yes/no question. */
bool ui_confirm(struct ui *ui, const char *question)
{
	char kept[sizeof ui->message];
	snprintf(kept, sizeof kept, "%s", ui->message);
	enum ui_msg kept_kind = ui->message_kind;
	snprintf(ui->message, sizeof ui->message, "%s（y 是 / n 否）", question);
	ui->message_kind = UI_WARN;
	ui_frame(ui);
	refresh();
	bool yes = false;
	for (;;) {
		struct ui_key k = ui_getkey(ui);
		if (k.kind == UI_QUIT)
			break;
		if (k.kind == UI_CHAR && (k.ch == 'y' || k.ch == 'Y' || k.ch == 0x662f)) {
			yes = true;
			break;
		}
		if ((k.kind == UI_CHAR && (k.ch == 'n' || k.ch == 'N' || k.ch == 0x5426)) || ui_is_back(k))
			break;
	}
	snprintf(ui->message, sizeof ui->message, "%s", kept);
	ui->message_kind = kept_kind;
	return yes;
}

/* Cuts text into screen lines of at most `width` columns: each of its lines wrapped on
 * character boundaries (never starting with closing punctuation), the wrapped part indented
 * two columns more than the line it continues. Returns the number of lines. */
size_t ui_wrap_text(const char *text, int width, char ***out)
{
	char **lines = NULL;
	size_t n = 0;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		size_t indent = strspn(line, " ");
		int cont = (int)indent + 2 < width / 2 ? (int)indent + 2 : 0;
		char **parts = NULL;
		size_t np = len ? text_wrap(line + indent, width - (int)indent, tui_cp_width_ctx, NULL, &parts) : 0;
		if (np == 0) {
			lines = xrealloc(lines, (n + 1) * sizeof *lines);
			lines[n++] = xstrdup("");
		}
		for (size_t i = 0; i < np; i++) {
			/* The first part keeps the line's own indent; the rest are wrapped again narrower. */
			if (i == 0) {
				lines = xrealloc(lines, (n + 1) * sizeof *lines);
				lines[n++] = xasprintf("%.*s%s", (int)indent, line, parts[0]);
				continue;
			}
			struct xf_buf rest;
			buf_init(&rest);
			for (size_t j = i; j < np; j++)
				buf_puts(&rest, parts[j]);
			char **more = NULL;
			size_t nm = text_wrap(rest.data, width - cont, tui_cp_width_ctx, NULL, &more);
			lines = xrealloc(lines, (n + nm) * sizeof *lines);
			for (size_t j = 0; j < nm; j++)
				lines[n++] = xasprintf("%*s%s", cont, "", more[j]);
			text_lines_free(more, nm);
			buf_free(&rest);
			break;
		}
		text_lines_free(parts, np);
		free(line);
		p = nl ? nl + 1 : p + len;
	}
	*out = lines;
	return n;
}

/* Shows help or a report until a key: long lines wrapped; when it is longer than the screen,
 * ↑↓ PgUp PgDn Home End scroll it and any other key leaves. */
void ui_help(struct ui *ui, const char *text)
{
	char kept[sizeof ui->message];
	snprintf(kept, sizeof kept, "%s", ui->message);
	enum ui_msg kept_kind = ui->message_kind;
	char **lines = NULL;
	size_t n = 0;
	int wrapped_for = -1, top = 0;
	for (;;) {
		if (wrapped_for != COLS) {
			text_lines_free(lines, n);
			n = ui_wrap_text(text, COLS - 4, &lines);
			wrapped_for = COLS;
		}
		ui->message_kind = UI_INFO;
		snprintf(ui->message, sizeof ui->message, "按任意键返回");
		erase();
		ui_frame(ui); /* first, so that the rows the message takes are known */
		int rows = ui_content_rows();
		bool scrolls = (int)n > rows;
		if (top > (int)n - rows)
			top = (int)n - rows;
		if (top < 0)
			top = 0;
		if (scrolls) {
			snprintf(ui->message, sizeof ui->message, "第 %d–%d 行，共 %zu 行：↑↓ PgUp PgDn Home End 翻看，其他键返回",
			         top + 1, top + rows < (int)n ? top + rows : (int)n, n);
			ui_frame(ui);
		}
		for (int i = 0; i < rows && top + i < (int)n; i++)
			ui_put(ui_content_top() + i, 2, COLS - 4, lines[top + i], A_NORMAL);
		move(LINES - 1, COLS - 1);
		refresh();
		struct ui_key k = ui_getkey(ui);
		if (k.kind == UI_TICK || (k.kind == UI_FUNC && k.ch == KEY_RESIZE))
			continue;
		int step = 0;
		if (scrolls && k.kind == UI_FUNC) {
			switch (k.ch) {
			case KEY_DOWN: step = 1; break;
			case KEY_UP: step = -1; break;
			case KEY_NPAGE: step = rows - 1; break;
			case KEY_PPAGE: step = -(rows - 1); break;
			case KEY_HOME: step = -(int)n; break;
			case KEY_END: step = (int)n; break;
			default: break;
			}
		}
		if (step == 0)
			break;
		top += step;
	}
	text_lines_free(lines, n);
	snprintf(ui->message, sizeof ui->message, "%s", kept);
	ui->message_kind = kept_kind;
}

/* True for the charsets the desk draws and reads Chinese in: UTF-8 and GB18030. */
static bool desk_charset(const char *codeset)
{
	return strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "GB18030") == 0;
}

/* The charset and the terminal a desk needs, checked before anything else; false (said on
 * stderr) when there is none. */
static bool desk_terminal(void)
{
	const char *codeset = nl_langinfo(CODESET);
	if (!desk_charset(codeset)) {
		fprintf(stderr,
		        "xinfang：终端字符集是 %s，不是 UTF-8 或 GB18030，中文无法正确显示和输入。\n"
		        "请设置中文的语言环境后再运行，例如：LANG=zh_CN.UTF-8 xinfang（或 LC_ALL=C.UTF-8）\n",
		        codeset);
		return false;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "xinfang：桌面界面须在终端中运行；在脚本中请用子命令（xinfang --help）\n");
		return false;
	}
	return true;
}

/* Sets up the terminal (after desk_terminal); false when it cannot be a desk. */
static bool start_terminal(void)
{
	if (!tui_terminal_usable())
		return false;
	if (*tui_terminal_cjk_warning())
		fprintf(stderr, "xinfang：%s\n", tui_terminal_cjk_warning());
	have_saved_termios = tcgetattr(STDIN_FILENO, &saved_termios) == 0;
	install_signals();
	if (initscr() == NULL)
		return false;
	reset_len = 0;
	add_reset("sgr0");
	add_reset("cnorm");
	add_reset("rmcup");
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(60);
	timeout(500);
	/* Home and End as every common terminal sends them, whatever terminfo says: never an Esc. */
	static const char *const homes[] = {"\033[1~", "\033[7~", "\033[H", "\033OH"};
	static const char *const ends[] = {"\033[4~", "\033[8~", "\033[F", "\033OF"};
	for (size_t i = 0; i < sizeof homes / sizeof homes[0]; i++) {
		define_key(homes[i], KEY_HOME);
		define_key(ends[i], KEY_END);
	}
	return true;
}

/* Gives the terminal back. */
static void stop_terminal(void)
{
	if (!isendwin()) {
		curs_set(1);
		endwin();
	}
}

/* After the account was disabled or changed: every screen has left; the login screen says
 * why. True when someone logged in again. */
static bool relogin(struct ui *ui)
{
	char name[sizeof ui->s.op.name];
	snprintf(name, sizeof name, "%s", ui->s.op.name);
	session_close(&ui->s);
	memset(&ui->s, 0, sizeof ui->s);
	ui->logged_in = false;
	ui->session_ended = false;
	ui_message(ui, UI_ERROR, "%s", ui->ended_why);
	if (!screen_login(ui, name))
		return false;
	desk_store_version(&ui->s, &ui->data_version);
	ui_refresh_status(ui);
	return true;
}

/* The quick verify of the store at the start, run while the password is checked; its message is
 * shown only after a login. */
struct start_trust {
	struct xf_store *st;
	bool done;
	bool ok;
	char msg[512];
};

/* Runs the quick verify beside a password check (again at each try, so a later login is not
 * told of an earlier verify); the try's outcome says whether it stands. */
static void verify_beside(void *arg)
{
	struct start_trust *t = arg;
	t->ok = verify_desk_check(t->st, t->msg, sizeof t->msg);
	t->done = true;
}

/* Runs the desk. */
int tui_run(struct xf_store *st, const char *user, const char *password)
{
	if (!desk_terminal())
		return 1;
	/* A password given beforehand (XINFANG_PASSWORD) is checked from here on, on a second
	 * thread: the terminal, the screen and the quick verify are made in the hash's time. */
	struct auth_login *early = NULL;
	struct xf_err early_err;
	bool given = user && *user && password;
	if (given)
		auth_login_start(st, user, password, &early, &early_err);
	if (!start_terminal()) {
		struct xf_session unused;
		if (early && auth_login_finish(early, NULL, NULL, &unused, &early_err) == XF_OK) /* it counts */
			session_close(&unused);
		return 1;
	}
	struct ui ui;
	memset(&ui, 0, sizeof ui);
	ui.st = st;
	ui.training = setup_is_training(st);
	setup_colors(&ui);
	if (*tui_terminal_cjk_warning())
		ui_message(&ui, UI_WARN, "%s", tui_terminal_cjk_warning());
	char *file_warning = fileperm_warning(store_path(st));
	if (file_warning)
		ui_message(&ui, UI_WARN, "%s", file_warning);
	free(file_warning);
	struct start_trust trust = {.st = st};
	ui.login_beside = verify_beside;
	ui.login_beside_arg = &trust;
	if (given) {
		if (early && auth_login_finish(early, verify_beside, &trust, &ui.s, &early_err) == XF_OK)
			ui.logged_in = true;
		else
			ui_message(&ui, UI_ERROR, "%s", early_err.msg);
	}
	if (!ui.logged_in && !screen_login(&ui, user)) {
		stop_terminal();
		return ui_quit_requested ? 0 : 1;
	}
	ui.login_beside = NULL; /* a login after the session ended verifies nothing */
	desk_store_version(&ui.s, &ui.data_version);
	ui_refresh_status(&ui);
	if (!trust.done) /* the try that logged in ran it; never left out */
		verify_beside(&trust);
	if (!trust.ok)
		ui_message(&ui, UI_ERROR, "%s", trust.msg);
	while (screen_menu(&ui), ui.session_ended && !ui_quit_requested && relogin(&ui))
		;
	stop_terminal();
	session_close(&ui.s);
	return ui.logged_in || ui_quit_requested ? 0 : 1;
}

/* Whether this terminal can be a desk, found before curses starts (its own errors are in
 * English and it would start a desk on a terminal that shows nothing). */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

/* Says why this terminal cannot be a desk: TERM unset, dumb, unknown to terminfo, or without
 * cursor addressing. Checked before curses starts so its English error never shows. */
bool tui_terminal_usable(void)
{
	const char *term = getenv("TERM");
	if (term == NULL || *term == '\0' || strcmp(term, "dumb") == 0) {
		fprintf(stderr,
		        "xinfang：终端类型 TERM=%s 不能显示全屏界面。\n"
		        "请在 xterm、GNOME 终端、PuTTY 等终端中运行（例如 TERM=xterm-256color xinfang）；"
		        "在脚本或编辑器里请用子命令（xinfang --help）\n",
		        term && *term ? term : "（未设置）");
		return false;
	}
	/* A terminal description of our own, the one a desk already running uses put back after. */
	TERMINAL *running = cur_term;
	int status = 0;
	if (setupterm(NULL, STDOUT_FILENO, &status) != OK) {
		set_curterm(running);
		if (status == 0)
			fprintf(stderr,
			        "xinfang：不认识终端类型 TERM=%s（terminfo 中没有它的描述）。\n"
			        "请改用常见的类型，例如 TERM=xterm-256color xinfang，或安装 ncurses-term 软件包\n",
			        term);
		else
			fprintf(stderr, "xinfang：找不到终端描述数据库（terminfo）：请安装 ncurses-base 软件包\n");
		return false;
	}
	bool movable = tigetstr("cup") != NULL && tigetstr("cup") != (char *)-1;
	TERMINAL *mine = set_curterm(running);
	if (mine != running)
		del_curterm(mine);
	if (!movable) {
		fprintf(stderr,
		        "xinfang：终端类型 TERM=%s 不能移动光标，无法显示全屏界面：请改用 TERM=xterm-256color 等"
		        "全屏终端，或用子命令（xinfang --help）\n",
		        term);
		return false;
	}
	return true;
}

/* A warning for a terminal that starts but cannot show Chinese (the Linux text console), or ""
 * when there is none. */
const char *tui_terminal_cjk_warning(void)
{
	const char *term = getenv("TERM");
	if (term && (strcmp(term, "linux") == 0 || strncmp(term, "linux-", 6) == 0 || strcmp(term, "vt100") == 0 ||
	             strcmp(term, "vt220") == 0))
		return "注意：这个终端（TERM=linux 等字符控制台）通常不能显示汉字，看到方块或乱码时请改用图形终端、"
		       "PuTTY 或 fbterm/zhcon 中文控制台（TERM=fbterm）";
	return "";
}


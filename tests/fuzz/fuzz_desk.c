/* Fuzz target: the desk's key input. The real screens run in this process on a pseudo-terminal
 * against a fresh copy of a small store for every input, and the keys come from the input
 * instead of the keyboard: the first byte picks the account (admin, clerk, head, handler),
 * then each byte is one key — below 0x7f the character itself (Tab, Enter, Esc, Ctrl-letters
 * included), 0x7f the half-second tick of an idle desk, 0x80–0x9f a function or cursor key,
 * from 0xa0 a Chinese character, a rare name's character, a space of another width or a
 * control or direction character typed in. When the keys run out the desk is asked to quit
 * as SIGTERM would: a screen that does not leave shows up as a timeout. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <locale.h>
#include <pthread.h>
#include <pty.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_store.h"
#include "tui/tui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *keys;
static size_t nkeys, next_key;

/* Function and cursor keys by code 0x80–0x9f. */
static const int function_keys[] = {
	KEY_F(1),  KEY_F(2),    KEY_F(3),   KEY_F(4),  KEY_F(5),      KEY_F(6),  KEY_F(7),     KEY_F(8),
	KEY_F(9),  KEY_F(10),   KEY_F(11),  KEY_F(12), KEY_UP,        KEY_DOWN,  KEY_LEFT,     KEY_RIGHT,
	KEY_BTAB,  KEY_BACKSPACE, KEY_DC,   KEY_HOME,  KEY_END,       KEY_NPAGE, KEY_PPAGE,    KEY_ENTER,
	KEY_RESIZE, KEY_IC,
};
/* Characters by code 0xa0 and up: Chinese, a rare name's, then spaces of other widths and
 * controls and direction characters (which the fields must refuse). */
static const wchar_t typed[] = L"赵敏刘䶮王丽李建国个人金融部公司来访电信服务态度工作失误是否男女年第号、，。"
                               L"（）：𠮷晓梅城东支行营业部柜员冷淡要求道歉";
static const wint_t odd[] = {0x3000, 0x00a0, 0x200b, 0x009b, 0x0085, 0x202e, 0x2066, 0x200f, 0x001b};

/* Hands the next key of the input to the desk, get_wch's way. */
static int fuzz_key(wint_t *ch)
{
	if (next_key >= nkeys) {
		ui_quit_requested = 1;
		return ERR;
	}
	uint8_t b = keys[next_key++];
	if (b == 0x7f)
		return ERR;
	if (b < 0x80) {
		*ch = b;
		return OK;
	}
	if (b < 0xa0) {
		*ch = (wint_t)function_keys[(b - 0x80) % (sizeof function_keys / sizeof function_keys[0])];
		return KEY_CODE_YES;
	}
	size_t ntyped = sizeof typed / sizeof typed[0] - 1, nodd = sizeof odd / sizeof odd[0];
	size_t k = (size_t)(b - 0xa0) % (ntyped + nodd);
	*ch = k < ntyped ? (wint_t)typed[k] : odd[k - ntyped];
	return OK;
}

/* Reads and drops what the desk draws, so the terminal never fills up. */
static void *drain(void *arg)
{
	int fd = *(int *)arg;
	char buf[4096];
	while (read(fd, buf, sizeof buf) > 0)
		;
	return NULL;
}

/* Gives the process a terminal of 24×80 on standard input and output, once. */
static void terminal_once(void)
{
	static int master = -1;
	if (master >= 0)
		return;
	int slave;
	struct winsize ws = {24, 80, 0, 0};
	if (openpty(&master, &slave, NULL, NULL, &ws) != 0)
		abort();
	dup2(slave, STDIN_FILENO);
	dup2(slave, STDOUT_FILENO);
	close(slave);
	pthread_t t;
	pthread_create(&t, NULL, drain, &master);
	pthread_detach(t);
	setenv("TERM", "xterm-256color", 1);
	setenv("XINFANG_PRINTER", "cat >/dev/null", 1);
	setlocale(LC_ALL, "C.UTF-8");
	ui_read_key = fuzz_key;
}

/* Runs the desk on a fresh store with the input's keys. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 512)
		return 0;
	terminal_once();
	struct xf_store *st = fuzz_store_open();
	keys = data + 1;
	nkeys = size - 1;
	next_key = 0;
	ui_quit_requested = 0;
	/* The terminal and the login are right: anything but a clean quit is a failure. */
	if (tui_run(st, fuzz_accounts[data[0] & 3], "secret1") != 0) {
		fprintf(stderr, "the desk did not start or did not quit cleanly\n");
		abort();
	}
	ui_quit_requested = 0;
	fuzz_store_close(st);
	return 0;
}

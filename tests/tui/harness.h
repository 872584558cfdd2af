/* A real pseudo-terminal for the desk: the xinfang binary runs in it under forkpty, its
 * output is read back through libvterm, and tests assert on what a person would see. */
#ifndef XINFANG_TEST_HARNESS_H
#define XINFANG_TEST_HARNESS_H

#include <stdbool.h>
#include <sys/types.h>
#include <vterm.h>

#include "xinfang/util.h"

/* Keys as xterm sends them with the keypad in application mode. */
#define K_F1 "\033OP"
#define K_F2 "\033OQ"
#define K_F3 "\033OR"
#define K_F4 "\033OS"
#define K_F5 "\033[15~"
#define K_F6 "\033[17~"
#define K_F10 "\033[21~"
#define K_UP "\033OA"
#define K_DOWN "\033OB"
#define K_BTAB "\033[Z"
#define K_RIGHT "\033OC"
#define K_LEFT "\033OD"
#define K_HOME "\033OH"
#define K_END "\033OF"
#define K_BS "\177"

struct term {
	int fd;
	pid_t pid;
	VTerm *vt;
	VTermScreen *screen;
	int rows, cols;
	struct xf_buf raw;  /* every byte the program wrote */
	struct xf_buf printer; /* what went to the terminal's printer (between mc5 and mc4) */
	bool printing;
	char carry[8];      /* the start of a control sequence split between reads */
	size_t ncarry;
	int status;         /* exit status once stopped, -1 when killed by a signal */
};

/* Starts $XINFANG_BIN with argv in a pty of rows x cols, with LC_ALL=C.UTF-8,
 * TERM=xterm-256color and the extra "K=V" entries of env. */
void term_start(struct term *t, int rows, int cols, const char *const *env, const char *const *argv);
/* Types bytes (UTF-8 text and key sequences), then lets the screen settle briefly. */
void term_send(struct term *t, const char *keys);
/* Reads output for up to ms milliseconds. */
void term_pump(struct term *t, int ms);
/* Waits up to ms for the program's next output and reads what has come; true when it read any. */
bool term_read_some(struct term *t, int ms);
/* Waits up to ms for text to appear on the screen; true when it did. */
bool term_wait(struct term *t, const char *text, int ms);
/* Waits up to ms for text to disappear from the screen. */
bool term_wait_gone(struct term *t, const char *text, int ms);
/* The screen's text, rows joined by newlines (a new string). */
char *term_text(struct term *t);
/* One row's text (a new string), wide characters once, trailing spaces kept. */
char *term_row(struct term *t, int row);
/* Finds text on the screen: its row and its column in cells. */
bool term_find(struct term *t, const char *text, int *row, int *col);
/* A cell. */
void term_cell(struct term *t, int row, int col, VTermScreenCell *cell);
/* The cursor position. */
void term_cursor(struct term *t, int *row, int *col);
/* Resizes the pty (the program gets SIGWINCH) and the screen model. */
void term_resize(struct term *t, int rows, int cols);
/* Sends a signal and waits for the program to end (up to ms); returns the exit status,
 * -1 when it died of a signal, -2 when it did not end. */
int term_stop(struct term *t, int sig, int ms);
void term_free(struct term *t);

#endif

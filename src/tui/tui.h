/* The desk's screens: shared state, the frame (title, message, status bar, key hints), keys,
 * drawing helpers and the screens. Screens call the core; they never touch SQL. */
#ifndef XINFANG_TUI_H
#define XINFANG_TUI_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>

#include "xinfang/auth.h"
#include "xinfang/case.h"
#include "xinfang/form.h"
#include "xinfang/print.h"
#include "xinfang/store.h"
#include "xinfang/supervise.h"
#include "editor.h"

/* Set by the signal handlers (SIGTERM, SIGHUP, SIGINT): leave cleanly, keeping drafts. */
extern volatile sig_atomic_t ui_quit_requested;

enum ui_msg { UI_INFO, UI_WARN, UI_ERROR };

/* The desk's state shared by every screen. */
struct ui {
	struct xf_store *st;
	struct xf_session s;
	bool logged_in;
	bool color;
	int64_t data_version;   /* PRAGMA data_version last seen */
	int today;              /* the date the status bar was counted for */
	struct xf_status_counts counts;
	bool counts_ok;
	char title[64];         /* the screen's name in the title bar */
	char hints[256];        /* the key hint line */
	char message[512];
	enum ui_msg message_kind;
	char message_about[32]; /* what the message is about (a field's key, "repeat"), or "" */
	char message_screen[64]; /* the screen it was given on */
	bool message_seen;       /* a key was pressed while it showed */
	bool changed;           /* another desk changed the store since the screen last loaded */
	bool link_lost;         /* the database server is out of reach: said on the message line */
	bool in_due;            /* the limits list is open (F5 opens it from anywhere else) */
	bool training;          /* a training store: the title bar says 演示/培训 */
	bool session_ended;     /* the account was disabled or changed: every screen leaves */
	char ended_why[768];    /* what changed, shown on the login screen */
	void (*login_beside)(void *); /* the start's work done while a password is checked, or NULL */
	void *login_beside_arg;
};

/* A key, or a tick of the clock while idle. */
struct ui_key {
	enum { UI_CHAR, UI_FUNC, UI_TICK, UI_QUIT } kind;
	wint_t ch;   /* UI_CHAR: the character; UI_FUNC: the curses key code */
};

/* Runs the desk on an opened store; user/password (may be NULL) skip the login screen. */
int tui_run(struct xf_store *st, const char *user, const char *password);
/* False, having said why in Chinese on stderr, when TERM cannot run the desk (unset, dumb,
 * unknown to terminfo, no cursor addressing). */
bool tui_terminal_usable(void);
/* A warning for a terminal that cannot show Chinese (the Linux console), or "". */
const char *tui_terminal_cjk_warning(void);

/* Frame. */
void ui_frame(struct ui *ui);
/* One message line: it stays on the screen it was given on (and the one the operator returns
 * to right after), and leaves with the first key pressed on another screen. */
void ui_message(struct ui *ui, enum ui_msg kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A message about something (a field's key): ui_clear_about removes it once that is fixed. */
void ui_message_about(struct ui *ui, enum ui_msg kind, const char *about, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void ui_clear_about(struct ui *ui, const char *about);
/* Clears the message line. */
void ui_clear_message(struct ui *ui);
void ui_set_screen(struct ui *ui, const char *title, const char *hints);
int ui_content_top(void);
int ui_content_rows(void);
/* Recounts the status bar. */
void ui_refresh_status(struct ui *ui);

/* Waits for a key; every half second without one, and at once when the store announces
 * another desk's commit, it checks for other desks' changes and a new day, redraws the status
 * bar and returns UI_TICK. KEY_RESIZE comes back as UI_FUNC.
 * Once the admin has disabled the account or changed its role or department, it returns
 * UI_QUIT on every screen, so the desk goes back to the login. */
struct ui_key ui_getkey(struct ui *ui);
/* Where ui_getkey reads a key, get_wch's way (OK, KEY_CODE_YES, or ERR after the half-second
 * timeout): the terminal, unless a driver (the desk's fuzz target) hands keys in. */
extern int (*ui_read_key)(wint_t *ch);
/* True for the keys that leave a screen: F10, Esc, Ctrl-C, Ctrl-Q. */
bool ui_is_back(struct ui_key k);

/* Draws UTF-8 text at (y, x) in exactly `width` columns: clipped without cutting a wide
 * character, padded with spaces. */
void ui_put(int y, int x, int width, const char *text, int attr);
/* Columns a UTF-8 text takes on the screen. */
int ui_width(const char *text);
/* A pick list over the screen; returns the chosen index or -1. */
int ui_pick(struct ui *ui, const char *title, const struct xf_fields *choices, int current);
/* A yes/no question on the message line. */
bool ui_confirm(struct ui *ui, const char *question);
/* Shows help or a report until a key is pressed: long lines wrapped on character boundaries;
 * a text longer than the screen scrolls with ↑↓ PgUp PgDn Home End. */
void ui_help(struct ui *ui, const char *text);
/* Cuts text into lines of at most `width` columns (each line wrapped on character boundaries,
 * continuations indented two columns); returns the count, free with text_lines_free. */
size_t ui_wrap_text(const char *text, int width, char ***out);

/* Colour pairs (or their monochrome stand-ins). */
int ui_attr_title(struct ui *ui);
int ui_attr_error(struct ui *ui);
int ui_attr_warn(struct ui *ui);
int ui_attr_field(struct ui *ui);
int ui_attr_current(struct ui *ui);

/* Screens. */
bool screen_login(struct ui *ui, const char *user);
void screen_menu(struct ui *ui);
void screen_registration(struct ui *ui);
void screen_queue(struct ui *ui);
void screen_case(struct ui *ui, int64_t id);
void screen_due(struct ui *ui);
/* The head office's: the limits list across branches, and the branch league table. */
void screen_due_across(struct ui *ui);
void screen_league(struct ui *ui);
void screen_lists(struct ui *ui);
/* 督办: the head office's urged cases across branches, a branch's urgings to answer. */
void screen_supervise(struct ui *ui);
void screen_search(struct ui *ui);
/* Statistics of a period with bar charts; printable. */
void screen_stats(struct ui *ui);
/* A handler's department: its cases waiting to be dealt with and reported. */
void screen_dept_todo(struct ui *ui);
/* The admin's screens: accounts; departments, categories and channels; calendar and rules. */
void screen_accounts(struct ui *ui);
void screen_reference(struct ui *ui);
void screen_calendar_rules(struct ui *ui);
/* Backup now and verify now (office head and admin). */
void screen_backup_verify(struct ui *ui);
/* The form of a move on a case (transfer and outcome on their paper forms, the rest small);
 * returns true when the move was made. */
bool screen_move(struct ui *ui, int64_t id, enum xf_move move);
/* A move of the case between branches (交办, 提级办理, 上报) out of the open ones the core gave
 * (supervise_moves_open); true when it was made. */
bool screen_branch_move(struct ui *ui, int64_t id, const enum xf_branch_move *open, int n);
/* Brings an Excel ledger (saved as CSV) in: checked first, then imported with a progress bar. */
void screen_import(struct ui *ui);
/* True when the terminal has a printer of its own, reached by pass-through (mc5/mc4). */
bool ui_terminal_printer(void);
/* The folder files are offered in: the operator's remembered one, else home, else the start folder. */
void ui_default_dir(const char *remembered, char *out, size_t n);
/* A file's full path (a relative one from the folder the desk was started in). */
void ui_full_path(const char *file, char *out, size_t n);
/* The operator's remembered print choices and the destination to offer first, in words. */
const char *ui_print_prefs(struct ui *ui, struct xf_print_prefs *prefs, bool terminal);
/* Remembers the operator's choice of a print that went through; false (said) when it could not. */
bool ui_remember_print(struct ui *ui, const struct xf_print_prefs *prefs, const char *dest, const char *queue,
                       enum xf_print_format format, const char *encoding, const char *file);
/* Puts a failed print on the message line in the desk's words (lp's reason kept). */
void ui_print_failed(struct ui *ui, const char *core_msg);
/* Prints a form of a case: the terminal's printer, a spooler command or a file. */
void screen_print(struct ui *ui, int64_t id, const char *form);

#endif

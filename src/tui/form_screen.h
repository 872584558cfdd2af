/* The form screen: a form file drawn as its paper layout, its fields edited in place. */
#ifndef XINFANG_TUI_FORM_SCREEN_H
#define XINFANG_TUI_FORM_SCREEN_H

#include <stdbool.h>
#include "tui.h"

/* Why fs_run returned. */
enum fs_result {
	FS_SAVE = 1, /* F2 or Ctrl-S, with the current field checked */
	FS_CANCEL,   /* F10, Esc, Ctrl-C, Ctrl-Q */
	FS_PRINT,    /* F4 or Ctrl-P */
	FS_LINK,     /* F6 or Ctrl-K */
	FS_NEW,      /* Ctrl-N */
	FS_DISCARD,  /* Ctrl-D */
	FS_QUIT,     /* a signal asked the desk to close */
};

struct fscreen;
/* Called when a field is left with a good value (repeat-petition checks). */
typedef void (*fs_leave_hook)(struct ui *ui, struct fscreen *fs, const char *key, void *ctx);
/* Fills the pick list of a text field (F3, Ctrl-L) that has one (the print dialog's queues);
 * false when it has none or could not be made (having said why). */
typedef bool (*fs_pick_hook)(struct ui *ui, struct fscreen *fs, const char *key, struct xf_fields *choices);

struct fscreen {
	struct xf_form form;
	char **blank;          /* layout rows with the slots blanked */
	struct xf_fields values;
	bool *editable;        /* per field of form.fields */
	int *order;            /* editable fields in reading order */
	int norder;
	int cur;               /* position in order, -1 when nothing is editable */
	struct xf_editor ed;
	bool ed_open;
	bool ed_fresh;         /* the editor was just opened on a value the form was opened with:
	                        * the first character typed replaces it */
	int top;               /* first layout row shown */
	const char *draft;     /* draft name, or NULL for forms without drafts */
	bool draft_dirty;
	bool locked;           /* saved: nothing more to edit */
	bool enter_submits;    /* Enter does what F2 does once every required field is filled */
	bool leaves_freely;    /* a form that only asks (search, dates, print): leaving it asks nothing */
	bool shows_stored;     /* shows stored values (an account, a list's row): another desk's save
	                        * may leave them stale (※有更新) */
	int64_t shows_case;    /* the case whose values it shows (0: none): ※有更新 only when that case */
	int64_t shows_version; /* changed from this version, which the desk's own save moves on */
	bool stale;            /* another desk changed what the form shows since it was opened */
	struct xf_fields opened_with; /* the values as the operator first saw them */
	bool opened_taken;
	char hints[256];
	fs_leave_hook on_leave;
	fs_pick_hook on_pick;
	void *ctx;
};

/* The text of a small form named `name` titled `title`: a line "head：{number}" (编号 on the
 * moves' forms, a note on the admin's file forms) as wide as the box under it, then one row per key (three for long text) with its label, type, choice list
 * and whether it is required. */
char *fs_small_form(const char *name, const char *title, const char *head, const char *const *keys,
                    const char *const *labels, const enum xf_ftype *types, const char *const *lists,
                    const bool *required, int n);
/* Opens forms/NAME.form, or a form given as text (name NULL); false with a message when the
 * form file cannot be used. */
bool fs_open(struct ui *ui, struct fscreen *fs, const char *name, const char *text);
void fs_free(struct fscreen *fs);
/* Only the keys in the space-separated list are editable; the cursor stays on the field it
 * was on when that one is still editable. */
void fs_editable(struct fscreen *fs, const char *keys);
/* Sets a value (closing the editor of the current field first). */
void fs_set(struct fscreen *fs, const char *key, const char *value);
/* Moves to the field with this key, or whose label the message names (returning its key, or ""). */
void fs_focus_key(struct fscreen *fs, const char *key);
const char *fs_focus_message(struct fscreen *fs, const char *message);
/* Runs the form until a result. */
enum fs_result fs_run(struct ui *ui, struct fscreen *fs);
/* Values of the editable, non-empty fields (for the core). */
void fs_values(const struct fscreen *fs, struct xf_fields *out);
/* Checks that required editable fields are filled; focuses the first empty one. */
bool fs_required_ok(struct ui *ui, struct fscreen *fs);
/* The print dialogs' hook (fields dest queue file format encoding): only the fields that apply
 * to the destination, the file's name and the format chosen so far are visited. */
void ui_print_fields_apply(struct ui *ui, struct fscreen *fs, const char *key, void *ctx);
/* Gives a print dialog its queue pick list (F3: the host's queues from lpstat) and says on
 * the message line which queue an empty field means. */
void ui_print_queue_help(struct ui *ui, struct fscreen *fs);
/* The queue field's pick list: the host's printer queues. */
bool ui_print_pick_queue(struct ui *ui, struct fscreen *fs, const char *key, struct xf_fields *choices);

#endif

/* The form screen: the paper layout of a form file on screen, scrolled to the field being
 * edited, each field checked by the core as it is left. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/desk.h"
#include "xinfang/slip.h"
#include "xinfang/text.h"

/* Appends text padded with spaces to `cols` display columns. */
static void pad(struct xf_buf *b, const char *text, int cols)
{
	buf_puts(b, text);
	for (int w = ui_width(text); w < cols; w++)
		buf_puts(b, " ");
}

/* Appends a slot {key} exactly `cols` columns wide. */
static void slot(struct xf_buf *b, const char *key, int cols)
{
	buf_printf(b, "{%s", key);
	for (int w = (int)strlen(key) + 2; w < cols; w++)
		buf_puts(b, " ");
	buf_puts(b, "}");
}

/* Appends a rule line of the small forms. */
static void rule(struct xf_buf *b, const char *l, const char *m, const char *r)
{
	buf_puts(b, l);
	for (int i = 0; i < 18; i++)
		buf_puts(b, "─");
	buf_puts(b, m);
	for (int i = 0; i < 44; i++)
		buf_puts(b, "─");
	buf_printf(b, "%s\n", r);
}

/* The text of a small form: one row per key (three for long text), made from key labels. */
char *fs_small_form(const char *name, const char *title, const char *head, const char *const *keys,
                    const char *const *labels, const enum xf_ftype *types, const char *const *lists,
                    const bool *required, int n)
{
	struct xf_buf b;
	buf_init(&b);
	buf_printf(&b, "name = %s\ntitle = %s\n[layout]\n  %s：", name, title, head);
	/* The head's value reaches the box's right edge (1 + 18 + 1 + 44 + 1 columns), so that a
	 * note such as the backup's is shown whole at 80 columns. */
	int head_cols = 65 - 2 - ui_width(head) - 2;
	slot(&b, "number", head_cols > 24 ? head_cols : 24);
	buf_puts(&b, "\n");
	rule(&b, "┌", "┬", "┐");
	for (int i = 0; i < n; i++) {
		int rows = types[i] == XF_F_LONGTEXT ? 3 : 1;
		for (int r = 0; r < rows; r++) {
			buf_puts(&b, "│");
			pad(&b, r == 0 ? labels[i] : "", 18);
			buf_puts(&b, "│");
			slot(&b, keys[i], 44);
			buf_puts(&b, "│\n");
		}
		if (i + 1 < n)
			rule(&b, "├", "┼", "┤");
	}
	rule(&b, "└", "┴", "┘");
	buf_printf(&b, "[fields]\nnumber %s text\n", head);
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s %s %s%s%s%s\n", keys[i], labels[i], form_type_name(types[i]), required[i] ? " required" : "",
		           lists[i] ? " list=" : "", lists[i] ? lists[i] : "");
	return b.data;
}

/* Reading order of two fields: by slot row, then column. */
static const struct xf_form *sort_form;
static int by_position(const void *a, const void *b)
{
	const struct xf_slot *sa = form_slot(sort_form, sort_form->fields[*(const int *)a].key);
	const struct xf_slot *sb = form_slot(sort_form, sort_form->fields[*(const int *)b].key);
	if (sa->row != sb->row)
		return sa->row - sb->row;
	return sa->col - sb->col;
}

/* Rebuilds the navigation order from the editable flags. */
static void build_order(struct fscreen *fs)
{
	fs->norder = 0;
	for (size_t i = 0; i < fs->form.nfields; i++)
		if (fs->editable[i])
			fs->order[fs->norder++] = (int)i;
	sort_form = &fs->form;
	qsort(fs->order, (size_t)fs->norder, sizeof *fs->order, by_position);
	fs->cur = fs->norder > 0 ? 0 : -1;
	fs->ed_open = false;
}

/* A layout row with its slots turned into spaces. */
static char *blank_row(const struct xf_form *form, size_t r)
{
	const char *s = form->rows[r];
	size_t len = strlen(s);
	char *out = xmalloc(len + 1), *p = out;
	int col = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp = utf8_next(s, len, &i);
		int w = tui_cp_width(cp);
		if (form_slot_at(form, (int)r, col) != NULL)
			for (int c = 0; c < w; c++)
				*p++ = ' ';
		else
			p += utf8_encode(cp, p);
		col += w;
	}
	*p = '\0';
	return out;
}

/* Opens a form. */
bool fs_open(struct ui *ui, struct fscreen *fs, const char *name, const char *text)
{
	memset(fs, 0, sizeof *fs);
	struct xf_err err;
	int rc = name ? form_load(form_dir(), name, &fs->form, &err)
	              : form_parse(text, strlen(text), "（内置表单）", &fs->form, &err);
	if (rc != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return false;
	}
	fs->blank = xcalloc(fs->form.nrows + 1, sizeof *fs->blank);
	for (size_t r = 0; r < fs->form.nrows; r++)
		fs->blank[r] = blank_row(&fs->form, r);
	fields_init(&fs->values);
	fs->editable = xcalloc(fs->form.nfields + 1, sizeof *fs->editable);
	fs->order = xcalloc(fs->form.nfields + 1, sizeof *fs->order);
	for (size_t i = 0; i < fs->form.nfields; i++)
		fs->editable[i] = true;
	build_order(fs);
	snprintf(fs->hints, sizeof fs->hints,
	         " F2 保存  F3 选择  F4 打印  Tab/回车 下一项  Ctrl-J 换行  F10 返回");
	return true;
}

/* Releases a form screen. */
void fs_free(struct fscreen *fs)
{
	for (size_t r = 0; r < fs->form.nrows; r++)
		free(fs->blank[r]);
	free(fs->blank);
	free(fs->editable);
	free(fs->order);
	if (fs->ed_open)
		editor_free(&fs->ed);
	fields_free(&fs->values);
	if (fs->opened_taken)
		fields_free(&fs->opened_with);
	form_free(&fs->form);
	memset(fs, 0, sizeof *fs);
}

/* The field being edited. */
static const struct xf_formfield *current_field(const struct fscreen *fs)
{
	return fs->cur >= 0 ? &fs->form.fields[fs->order[fs->cur]] : NULL;
}

/* True for boxes of several lines. */
static bool is_box(const struct xf_formfield *fd, const struct xf_slot *sl)
{
	return fd->type == XF_F_LONGTEXT || sl->rows > 1;
}

/* Opens the editor on the current field. */
static void open_editor(struct fscreen *fs)
{
	const struct xf_formfield *fd = current_field(fs);
	if (fd == NULL || fs->ed_open)
		return;
	const struct xf_slot *sl = form_slot(&fs->form, fd->key);
	int max = fd->max;
	if (fd->type == XF_F_INT || fd->type == XF_F_AMOUNT || fd->type == XF_F_CHOICE || fd->type == XF_F_YESNO)
		max = 0;
	if (max == 0 && !is_box(fd, sl))
		max = 200;
	editor_init(&fs->ed, sl->width, sl->rows, is_box(fd, sl), max);
	const char *value = fields_str(&fs->values, fd->key);
	editor_set_text(&fs->ed, value);
	fs->ed_open = true;
	/* A prefilled one-line value (人数 1, today's date) is replaced by typing, not added to. */
	fs->ed_fresh = !is_box(fd, sl) && *value && fs->opened_taken && strcmp(value, fields_str(&fs->opened_with, fd->key)) == 0;
}

/* Puts the editor's text back into the values. */
static void commit(struct fscreen *fs)
{
	const struct xf_formfield *fd = current_field(fs);
	if (fd == NULL || !fs->ed_open)
		return;
	char *t = editor_text(&fs->ed);
	if (strcmp(t, fields_str(&fs->values, fd->key)) != 0) {
		fields_set(&fs->values, fd->key, t);
		fs->draft_dirty = true;
	}
	free(t);
}

/* Closes the editor, keeping its text. */
static void close_editor(struct fscreen *fs)
{
	commit(fs);
	if (fs->ed_open)
		editor_free(&fs->ed);
	fs->ed_open = false;
}

/* Sets a value. */
void fs_set(struct fscreen *fs, const char *key, const char *value)
{
	close_editor(fs);
	fields_set(&fs->values, key, value ? value : "");
}

/* Only these keys are editable; the cursor keeps its field when it stays editable. */
void fs_editable(struct fscreen *fs, const char *keys)
{
	close_editor(fs);
	char was[48] = "";
	if (fs->cur >= 0)
		snprintf(was, sizeof was, "%s", fs->form.fields[fs->order[fs->cur]].key);
	for (size_t i = 0; i < fs->form.nfields; i++) {
		const char *k = fs->form.fields[i].key;
		size_t n = strlen(k);
		bool found = false;
		for (const char *p = keys; *p && !found;) {
			while (*p == ' ')
				p++;
			size_t len = strcspn(p, " ");
			found = len == n && strncmp(p, k, n) == 0;
			p += len;
		}
		fs->editable[i] = found;
	}
	build_order(fs);
	for (int i = 0; i < fs->norder; i++)
		if (strcmp(fs->form.fields[fs->order[i]].key, was) == 0)
			fs->cur = i;
}

/* Focuses a key. */
void fs_focus_key(struct fscreen *fs, const char *key)
{
	for (int i = 0; i < fs->norder; i++)
		if (strcmp(fs->form.fields[fs->order[i]].key, key) == 0) {
			close_editor(fs);
			fs->cur = i;
			return;
		}
}

/* Focuses the field a message names by its label; returns its key, or "". */
const char *fs_focus_message(struct fscreen *fs, const char *message)
{
	size_t best = 0;
	const char *key = "";
	for (int i = 0; i < fs->norder; i++) {
		const char *label = fs->form.fields[fs->order[i]].label;
		if (strstr(message, label) && strlen(label) > best) {
			best = strlen(label);
			key = fs->form.fields[fs->order[i]].key;
			fs_focus_key(fs, key);
		}
	}
	return key;
}

/* Saves the draft when something changed. */
static void save_draft(struct ui *ui, struct fscreen *fs)
{
	commit(fs);
	if (!fs->draft || !fs->draft_dirty || fs->locked)
		return;
	struct xf_err err;
	if (desk_draft_save(&ui->s, fs->draft, &fs->values, &err) == XF_OK)
		fs->draft_dirty = false;
	else
		ui_message(ui, UI_ERROR, "草稿未能保存：%s（输入的内容仍在屏幕上）", err.msg);
}

/* Checks the current field as it is left; false (with the message) keeps the cursor there. */
static bool leave_field(struct ui *ui, struct fscreen *fs)
{
	const struct xf_formfield *fd = current_field(fs);
	if (fd == NULL)
		return true;
	commit(fs);
	char *norm = NULL;
	struct xf_err err;
	if (desk_check_in_form(&ui->s, fd, &fs->values, &norm, &err) != XF_OK) {
		ui_message_about(ui, UI_ERROR, fd->key, "%s", err.msg);
		return false;
	}
	close_editor(fs);
	if (strcmp(norm, fields_str(&fs->values, fd->key)) != 0) {
		fields_set(&fs->values, fd->key, norm);
		fs->draft_dirty = true;
	}
	free(norm);
	ui_clear_about(ui, fd->key);
	if (fs->on_leave)
		fs->on_leave(ui, fs, fd->key, fs->ctx);
	save_draft(ui, fs);
	return true;
}

/* The labels of the fields after the current one that this form does not let the operator
 * fill, joined by 、 ("" when there are none). */
static void fixed_fields_after(const struct fscreen *fs, char *out, size_t n)
{
	const struct xf_slot *cs = form_slot(&fs->form, fs->form.fields[fs->order[fs->cur]].key);
	out[0] = '\0';
	for (size_t i = 0; i < fs->form.nfields; i++) {
		const struct xf_slot *sl = form_slot(&fs->form, fs->form.fields[i].key);
		if (fs->editable[i] || sl->row < cs->row || (sl->row == cs->row && sl->col <= cs->col))
			continue;
		size_t used = strlen(out);
		snprintf(out + used, n - used, "%s%s", used ? "、" : "", fs->form.fields[i].label);
	}
}

/* Moves to the next or previous field, checking the one left; past the last one says so. */
static void step(struct ui *ui, struct fscreen *fs, int dir)
{
	if (fs->cur < 0 || !leave_field(ui, fs))
		return;
	int next = fs->cur + dir;
	if (next >= 0 && next < fs->norder)
		fs->cur = next;
	else if (next >= fs->norder && !fs->locked) {
		char fixed[200];
		fixed_fields_after(fs, fixed, sizeof fixed);
		ui_message(ui, UI_INFO, "“%s”是最后一项%s%s%s：填好后按 F2", fs->form.fields[fs->order[fs->cur]].label,
		           *fixed ? "，" : "", fixed, *fixed ? "不在此填写" : "");
	}
}

/* Draws the form, the editor and the cursor. */
static void draw(struct ui *ui, struct fscreen *fs)
{
	erase();
	ui_frame(ui);
	int rows = ui_content_rows(), y0 = ui_content_top();
	int x0 = (COLS - fs->form.width) / 2;
	if (x0 < 0)
		x0 = 0;
	const struct xf_formfield *cf = current_field(fs);
	const struct xf_slot *cs = cf ? form_slot(&fs->form, cf->key) : NULL;
	if (cs) {
		if (cs->row < fs->top)
			fs->top = cs->row > 2 ? cs->row - 2 : 0;
		if (cs->row + cs->rows > fs->top + rows)
			fs->top = cs->row + cs->rows - rows + 1;
		/* On the last field the rest of the form comes into view with it. */
		int end_top = (int)fs->form.nrows - rows;
		if (fs->cur == fs->norder - 1 && end_top > fs->top && cs->row >= end_top)
			fs->top = end_top;
	}
	if (fs->top > (int)fs->form.nrows - rows)
		fs->top = (int)fs->form.nrows - rows;
	if (fs->top < 0)
		fs->top = 0;
	for (int i = 0; i < rows && fs->top + i < (int)fs->form.nrows; i++)
		ui_put(y0 + i, x0, fs->form.width, fs->blank[fs->top + i], A_NORMAL);
	int cy = -1, cx = -1;
	for (size_t f = 0; f < fs->form.nfields; f++) {
		const struct xf_formfield *fd = &fs->form.fields[f];
		const struct xf_slot *sl = form_slot(&fs->form, fd->key);
		bool current = fd == cf && !fs->locked;
		int attr = current ? ui_attr_current(ui) : fs->editable[f] && !fs->locked ? ui_attr_field(ui) : (int)A_BOLD;
		if (current) {
			open_editor(fs);
			int er, ec;
			editor_cursor(&fs->ed, &er, &ec);
			for (int r = 0; r < sl->rows; r++) {
				int y = sl->row + r - fs->top;
				char *v = editor_visible_row(&fs->ed, r);
				if (y >= 0 && y < rows)
					ui_put(y0 + y, x0 + sl->col, sl->width, v, attr);
				free(v);
			}
			cy = y0 + sl->row + er - fs->top;
			cx = x0 + sl->col + ec;
			continue;
		}
		char **lines;
		size_t n = text_wrap(fields_str(&fs->values, fd->key), sl->width, tui_cp_width_ctx, NULL, &lines);
		for (int r = 0; r < sl->rows; r++) {
			int y = sl->row + r - fs->top;
			if (y >= 0 && y < rows)
				ui_put(y0 + y, x0 + sl->col, sl->width, (size_t)r < n ? lines[r] : "", attr);
		}
		text_lines_free(lines, n);
	}
	if (fs->top > 0)
		ui_put(y0, COLS - 3, 3, " ↑", A_BOLD);
	if (fs->top + rows < (int)fs->form.nrows)
		ui_put(y0 + rows - 1, COLS - 3, 3, " ↓", A_BOLD);
	if (cy >= y0 && cy < y0 + rows && cx >= 0) {
		curs_set(1);
		move(cy, cx);
	} else {
		curs_set(0);
	}
	refresh();
}

/* Moves the current field's value through a list of choices: step 0 opens the pick list,
 * ±1 takes the next or previous one. */
static void step_through(struct ui *ui, struct fscreen *fs, const struct xf_fields *choices, int step)
{
	const struct xf_formfield *fd = current_field(fs);
	commit(fs);
	const char *now = fields_str(&fs->values, fd->key);
	int at = -1;
	for (size_t i = 0; i < choices->n; i++)
		if (strcmp(choices->v[i].key, now) == 0)
			at = (int)i;
	int n = (int)choices->n;
	int pick = step == 0 ? ui_pick(ui, fd->label, choices, at) : at < 0 ? 0 : (at + step + n) % n;
	if (pick >= 0) {
		close_editor(fs);
		fields_set(&fs->values, fd->key, choices->v[pick].key);
		fs->draft_dirty = true;
	}
}

/* Moves a choice field's value: step 0 opens the pick list, ±1 takes the next or previous. */
static void choose(struct ui *ui, struct fscreen *fs, int step)
{
	const struct xf_formfield *fd = current_field(fs);
	struct xf_fields choices;
	struct xf_err err;
	if (desk_choices(&ui->s, fd->type == XF_F_YESNO ? "yesno" : fd->list, &choices, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	step_through(ui, fs, &choices, step);
	fields_free(&choices);
}

/* F3 on a text field with a pick list of the screen's (on_pick): the value chosen replaces
 * what is typed, which may still be anything. */
static void pick_text(struct ui *ui, struct fscreen *fs)
{
	const struct xf_formfield *fd = current_field(fs);
	struct xf_fields choices;
	fields_init(&choices);
	if (fs->on_pick != NULL && fs->on_pick(ui, fs, fd->key, &choices))
		step_through(ui, fs, &choices, 0);
	fields_free(&choices);
}

/* Handles an editing key; false when the key is not the editor's. */
static bool edit_key(struct ui *ui, struct fscreen *fs, struct ui_key k)
{
	const struct xf_formfield *fd = current_field(fs);
	if (fd == NULL || fs->locked)
		return false;
	open_editor(fs);
	bool fresh = fs->ed_fresh; /* any key but a typed character keeps the value to edit it */
	fs->ed_fresh = false;
	bool choice = fd->type == XF_F_CHOICE || fd->type == XF_F_YESNO;
	if (choice && k.kind == UI_FUNC && (k.ch == KEY_LEFT || k.ch == KEY_RIGHT)) {
		choose(ui, fs, k.ch == KEY_RIGHT ? 1 : -1);
		return true;
	}
	if (choice && ((k.kind == UI_FUNC && (k.ch == KEY_BACKSPACE || k.ch == KEY_DC)) ||
	               (k.kind == UI_CHAR && (k.ch == 127 || k.ch == 8))))
		return true; /* a choice is changed as a whole, never a character at a time */
	if (k.kind == UI_FUNC) {
		switch (k.ch) {
		case KEY_LEFT: editor_left(&fs->ed); return true;
		case KEY_RIGHT: editor_right(&fs->ed); return true;
		case KEY_HOME: editor_home(&fs->ed); return true;
		case KEY_END: editor_end(&fs->ed); return true;
		case KEY_BACKSPACE: editor_backspace(&fs->ed); return true;
		case KEY_DC: editor_delete(&fs->ed); return true;
		case KEY_F(3):
			if (choice)
				choose(ui, fs, 0);
			else
				pick_text(ui, fs);
			return true;
		default: return false;
		}
	}
	if (k.kind != UI_CHAR)
		return false;
	if (k.ch == 127 || k.ch == 8) {
		editor_backspace(&fs->ed);
		return true;
	}
	if (k.ch == 21) { /* Ctrl-U */
		editor_clear(&fs->ed);
		return true;
	}
	if (k.ch == 12) { /* Ctrl-L: the pick list, for terminals without F3 */
		if (choice)
			choose(ui, fs, 0);
		else
			pick_text(ui, fs);
		return true;
	}
	if (k.ch == ' ' && choice) {
		choose(ui, fs, 0); /* a stray space opens the list; it never changes the choice by itself */
		return true;
	}
	if (choice && k.ch >= 0x20) {
		ui_message_about(ui, UI_WARN, fd->key, "“%s”是选择项，不用打字：按空格或 F3 打开清单，← → 换一个", fd->label);
		return true;
	}
	if (k.ch == '\n') {
		if (fs->ed.multiline)
			editor_insert(&fs->ed, '\n');
		return fs->ed.multiline;
	}
	if (k.ch < 0x20)
		return false;
	if (fresh)
		editor_clear(&fs->ed);
	if (!editor_insert(&fs->ed, (uint32_t)k.ch))
		ui_message_about(ui, UI_WARN, fd->key, "“%s”最多 %d 列（一个汉字占两列），多出的字没有输入", fd->label, fs->ed.max_cols);
	return true;
}

/* True when every required editable field holds a value. */
static bool required_filled(struct fscreen *fs)
{
	commit(fs);
	for (int i = 0; i < fs->norder; i++) {
		const struct xf_formfield *fd = &fs->form.fields[fs->order[i]];
		if (fd->required && !fields_has(&fs->values, fd->key))
			return false;
	}
	return true;
}

/* Remembers the values as the operator first sees them, to tell later whether any was changed. */
static void take_opened_values(struct fscreen *fs)
{
	if (fs->opened_taken)
		return;
	fields_init(&fs->opened_with);
	for (size_t i = 0; i < fs->values.n; i++)
		fields_set(&fs->opened_with, fs->values.v[i].key, fs->values.v[i].val);
	fs->opened_taken = true;
}

/* True when an editable field holds something other than what the form was opened with. */
static bool changed_since_opened(struct fscreen *fs)
{
	commit(fs);
	for (int i = 0; i < fs->norder; i++) {
		const char *key = fs->form.fields[fs->order[i]].key;
		if (strcmp(fields_str(&fs->values, key), fields_str(&fs->opened_with, key)) != 0)
			return true;
	}
	return false;
}

/* True when the operator may leave the form: nothing typed would be lost (a saved form, a
 * draft kept, nothing changed), or the operator said to drop it. */
static bool may_leave(struct ui *ui, struct fscreen *fs)
{
	if (fs->locked || fs->draft || fs->leaves_freely || !changed_since_opened(fs))
		return true;
	return ui_confirm(ui, "放弃已填的内容吗？");
}

/* After another desk's save (ui->changed): ※有更新 stays only when it touched what the form
 * shows: its case's version moved on, or any save for a form of other stored values; a form
 * that shows nothing stored (a blank registration, a search, a print dialog) never goes stale. */
static void note_stale(struct ui *ui, struct fscreen *fs)
{
	if (ui->changed && !fs->stale) {
		int64_t now = 0;
		struct xf_err err;
		if (fs->shows_case)
			fs->stale = case_version(&ui->s, fs->shows_case, &now, &err) == XF_OK && now != fs->shows_version;
		else
			fs->stale = fs->shows_stored;
	}
	ui->changed = fs->stale;
}

/* Runs the form until the operator saves, leaves or asks for something else. */
enum fs_result fs_run(struct ui *ui, struct fscreen *fs)
{
	ui_set_screen(ui, fs->form.title, fs->hints);
	take_opened_values(fs);
	note_stale(ui, fs); /* a dialog over this form may have cleared the mark, or seen a save */
	for (;;) {
		draw(ui, fs);
		struct ui_key k = ui_getkey(ui);
		if (k.kind == UI_QUIT) {
			save_draft(ui, fs);
			return FS_QUIT;
		}
		if (k.kind == UI_TICK) {
			save_draft(ui, fs);
			note_stale(ui, fs);
			continue;
		}
		if (k.kind == UI_FUNC && k.ch == KEY_RESIZE) {
			fs->top = 0;
			continue;
		}
		if (ui_is_back(k)) {
			save_draft(ui, fs);
			close_editor(fs);
			if (!may_leave(ui, fs))
				continue;
			return FS_CANCEL;
		}
		if ((k.kind == UI_FUNC && k.ch == KEY_F(2)) || (k.kind == UI_CHAR && k.ch == 19)) {
			if (fs->locked || leave_field(ui, fs))
				return FS_SAVE;
			continue;
		}
		if ((k.kind == UI_FUNC && k.ch == KEY_F(4)) || (k.kind == UI_CHAR && k.ch == 16))
			return FS_PRINT;
		if ((k.kind == UI_FUNC && k.ch == KEY_F(6)) || (k.kind == UI_CHAR && k.ch == 11))
			return FS_LINK;
		if (k.kind == UI_CHAR && k.ch == 14)
			return FS_NEW;
		if (k.kind == UI_CHAR && k.ch == 4)
			return FS_DISCARD;
		if (k.kind == UI_FUNC && k.ch == KEY_F(1)) {
			ui_help(ui, "表单操作\n\n"
			            "  Tab、回车、↓      下一项（离开时检查填写是否正确）\n"
			            "  Shift-Tab、↑      上一项\n"
			            "  Ctrl-J            多行栏目中换行\n"
			            "  空格、F3、Ctrl-L  选择项、是否项：打开选择清单\n"
			            "  ← →               选择项：换上一个、下一个\n"
			            "  Ctrl-U            清空本项\n"
			            "  直接打字          预先填好的值（人数 1、今天的日期）被替换；\n"
			            "                    先按 ← → Home End 或退格则在原值上修改\n"
			            "  F2 或 Ctrl-S      保存\n"
			            "  F4 或 Ctrl-P      打印（保存之后）\n"
			            "  F6 或 Ctrl-K      关联重复信访（出现提示时）\n"
			            "  Ctrl-D            放弃草稿\n"
			            "  F10、Esc          返回（登记表留作草稿，其他表单改过的先问）\n\n"
			            "状态栏右端的“※有更新”：别的工作台刚保存了改动，本屏打开后显示的内容\n"
			            "可能已不是最新；返回再进入即刷新。保存时会核对，不会覆盖别人的改动。\n\n"
			            "输入法在终端里：中文直接输入即可。");
			continue;
		}
		const struct xf_formfield *fd = current_field(fs);
		bool box = fd && fs->ed_open && fs->ed.multiline;
		bool enter = (k.kind == UI_CHAR && k.ch == '\r') || (k.kind == UI_FUNC && k.ch == KEY_ENTER);
		if (enter && fs->enter_submits && !box) {
			if (fs->locked)
				return FS_SAVE;
			if (!leave_field(ui, fs))
				continue;
			if (required_filled(fs))
				return FS_SAVE;
			step(ui, fs, +1);
			continue;
		}
		if ((k.kind == UI_CHAR && (k.ch == '\t' || k.ch == '\r')) || (k.kind == UI_FUNC && k.ch == KEY_ENTER) ||
		    (k.kind == UI_CHAR && k.ch == '\n' && !box)) {
			step(ui, fs, +1);
			continue;
		}
		if (k.kind == UI_FUNC && k.ch == KEY_BTAB) {
			step(ui, fs, -1);
			continue;
		}
		if (k.kind == UI_FUNC && k.ch == KEY_DOWN) {
			if (!(box && editor_down(&fs->ed)))
				step(ui, fs, +1);
			continue;
		}
		if (k.kind == UI_FUNC && k.ch == KEY_UP) {
			if (!(box && editor_up(&fs->ed)))
				step(ui, fs, -1);
			continue;
		}
		if (k.kind == UI_FUNC && k.ch == KEY_NPAGE) {
			for (int i = 0; i < 5; i++)
				step(ui, fs, +1);
			continue;
		}
		if (k.kind == UI_FUNC && k.ch == KEY_PPAGE) {
			for (int i = 0; i < 5; i++)
				step(ui, fs, -1);
			continue;
		}
		edit_key(ui, fs, k);
	}
}

/* The editable, non-empty values. */
void fs_values(const struct fscreen *fs, struct xf_fields *out)
{
	fields_init(out);
	for (size_t i = 0; i < fs->form.nfields; i++) {
		const char *v = fields_str(&fs->values, fs->form.fields[i].key);
		if (fs->editable[i] && *v)
			fields_set(out, fs->form.fields[i].key, v);
	}
}

/* Required editable fields filled? */
bool fs_required_ok(struct ui *ui, struct fscreen *fs)
{
	commit(fs);
	for (int i = 0; i < fs->norder; i++) {
		const struct xf_formfield *fd = &fs->form.fields[fs->order[i]];
		if (fd->required && !fields_has(&fs->values, fd->key)) {
			fs_focus_key(fs, fd->key);
			ui_message_about(ui, UI_ERROR, fd->key, "请填写“%s”", fd->label);
			return false;
		}
	}
	return true;
}

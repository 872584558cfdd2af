/* The moves of a case between branches on the case view: hand-over (交办) to a branch chosen
 * from those in reach, take-over (提级办理), hand-up (上报), each with a note; the new number
 * said after the move. The core says which moves are open and where they may go, and decides. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/supervise.h"

/* The move to make when more than one is open: asked; -1 when none is chosen. */
static int choose_move(struct ui *ui, const enum xf_branch_move *open, int n)
{
	if (n == 1)
		return (int)open[0];
	struct xf_fields choices;
	fields_init(&choices);
	static const char *const what[] = {"交办：交给下级机构办理", "提级办理：由本机构办理", "上报：交上级机构办理"};
	for (int i = 0; i < n; i++)
		fields_set(&choices, what[open[i]], supervise_move_key(open[i]));
	int pick = ui_pick(ui, "机构间移交", &choices, 0);
	fields_free(&choices);
	return pick < 0 ? -1 : (int)open[pick];
}

/* The receiving branch: the one a take-over or hand-up goes to, else chosen from the branches
 * in reach; false when none is chosen. */
static bool choose_target(struct ui *ui, int64_t id, enum xf_branch_move kind, struct xf_branch *to)
{
	struct xf_branch *list;
	size_t n;
	struct xf_err err;
	if (supervise_move_targets(&ui->s, id, kind, &list, &n, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return false;
	}
	int pick = n == 1 ? 0 : -1;
	if (n > 1) {
		struct xf_fields choices;
		fields_init(&choices);
		for (size_t i = 0; i < n; i++) {
			char label[160];
			snprintf(label, sizeof label, "%s%s%s", list[i].code, *list[i].code ? " " : "", list[i].name);
			fields_set(&choices, label, list[i].code);
		}
		pick = ui_pick(ui, "交给哪个机构", &choices, 0);
		fields_free(&choices);
	}
	if (n == 0)
		ui_message(ui, UI_WARN, "您范围内没有可以接收这件事项的机构");
	if (pick >= 0)
		*to = list[pick];
	free(list);
	return pick >= 0;
}

/* A move of the case between branches; true when it was made. */
bool screen_branch_move(struct ui *ui, int64_t id, const enum xf_branch_move *open, int n)
{
	int kind = choose_move(ui, open, n);
	struct xf_branch to;
	if (kind < 0 || !choose_target(ui, id, (enum xf_branch_move)kind, &to))
		return false;
	struct xf_fields view;
	struct xf_err err;
	if (case_view(&ui->s, id, &view, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return false;
	}
	static const char *const keys[] = {"kind", "to", "note"};
	static const char *const labels[] = {"方式", "接收机构", "说明"};
	static const enum xf_ftype types[] = {XF_F_TEXT, XF_F_TEXT, XF_F_LONGTEXT};
	static const char *const lists[] = {NULL, NULL, NULL};
	static const bool required[] = {false, false, false};
	const char *label = supervise_move_label((enum xf_branch_move)kind);
	char *text = fs_small_form(supervise_move_key((enum xf_branch_move)kind), label, "编号", keys, labels, types, lists,
	                           required, 3);
	struct fscreen fs;
	bool opened = fs_open(ui, &fs, NULL, text);
	free(text);
	if (!opened) {
		fields_free(&view);
		return false;
	}
	char target[160];
	snprintf(target, sizeof target, "%s%s%s", to.code, *to.code ? " " : "", to.name);
	fs_editable(&fs, "note");
	fs_set(&fs, "number", fields_str(&view, "number"));
	fs_set(&fs, "kind", label);
	fs_set(&fs, "to", target);
	int64_t version = atoll(fields_str(&view, "version"));
	fs.shows_case = id;
	fs.shows_version = version;
	snprintf(fs.hints, sizeof fs.hints, " F2 %s  Ctrl-J 换行  F10 返回", label);
	bool done = false;
	while (!done && fs_run(ui, &fs) == FS_SAVE) {
		char now[32];
		if (supervise_move(&ui->s, id, (enum xf_branch_move)kind, to.code, fields_str(&fs.values, "note"), version,
		                   now, &err) != XF_OK) {
			ui_message(ui, UI_ERROR, "%s", err.msg); /* the form keeps the note */
			continue;
		}
		done = true;
		ui_refresh_status(ui);
		ui_message(ui, UI_INFO, "已%s给%s：原编号 %s → 现编号 %s", label, to.name, fields_str(&view, "number"), now);
	}
	fs_free(&fs);
	fields_free(&view);
	return done;
}

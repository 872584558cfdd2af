/* Registration: the 信访登记表 on screen, with drafts and repeat-petition warnings. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/desk.h"
#include "xinfang/field.h"
#include "xinfang/repeat.h"
#include "xinfang/identity.h"

/* What registration remembers between keys. */
struct reg {
	struct xf_rows matches; /* the latest earlier cases of the petitioner being typed */
	char counts[160];       /* how many in all: 同名 712 件 */
	char repeat_of[256];    /* numbers the operator chose to link */
	int64_t id;             /* the case once saved */
};

/* Fills the defaults of a new registration. */
static void defaults(struct ui *ui, struct fscreen *fs)
{
	char now[20];
	clock_now_iso(now);
	now[16] = '\0';
	const char *me = *ui->s.op.full_name ? ui->s.op.full_name : ui->s.op.name;
	fs_set(fs, "number", "（保存后生成）");
	fs_set(fs, "received", now);
	fs_set(fs, "importance", "一般");
	fs_set(fs, "anonymous", "否");
	fs_set(fs, "confidential", "否");
	fs_set(fs, "people", "1");
	fs_set(fs, "id_type", "居民身份证");
	fs_set(fs, "materials", "0");
	fs_set(fs, "receiver", me);
	fs_set(fs, "first_asked", me);
}

/* Gender and age (on the day received) from a document number that carries them; a number that
 * does not fit a newly chosen document type is said at once. */
static bool offer_from_document(struct ui *ui, struct fscreen *fs, const char *key)
{
	if (!fields_has(&fs->values, "id_number"))
		return false;
	int type = identity_type_parse(fields_str(&fs->values, "id_type"));
	struct xf_idinfo info;
	struct xf_err err;
	if (identity_check(type < 0 ? XF_ID_RESIDENT : (enum xf_idtype)type, fields_str(&fs->values, "id_number"), "证件号码",
	                   &info, NULL, &err) != XF_OK) {
		if (strcmp(key, "id_type") != 0)
			return false;
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return true;
	}
	if (!info.known)
		return false;
	int received = clock_today();
	char date[11];
	snprintf(date, sizeof date, "%.10s", fields_str(&fs->values, "received"));
	date_parse(date, &received, NULL);
	char age[16];
	snprintf(age, sizeof age, "%d", field_age_on(info.birth, received));
	if (!fields_has(&fs->values, "gender"))
		fs_set(fs, "gender", info.male ? "男" : "女");
	if (!fields_has(&fs->values, "age"))
		fs_set(fs, "age", age);
	return false;
}

/* After the document, phone or name: earlier cases of the same petitioner. */
static void repeat_check(struct ui *ui, struct fscreen *fs, const char *key, void *ctx)
{
	struct reg *reg = ctx;
	if (strcmp(key, "id_number") != 0 && strcmp(key, "id_type") != 0 && strcmp(key, "phone") != 0 &&
	    strcmp(key, "name") != 0)
		return;
	bool said = (strcmp(key, "id_number") == 0 || strcmp(key, "id_type") == 0) && offer_from_document(ui, fs, key);
	struct xf_fields probe;
	fields_init(&probe);
	static const char *const keys[] = {"id_number", "phone", "name"};
	for (int i = 0; i < 3; i++)
		if (fields_has(&fs->values, keys[i]))
			fields_set(&probe, keys[i], fields_str(&fs->values, keys[i]));
	rows_free(&reg->matches);
	struct xf_err err;
	struct xf_repeat found;
	if (repeat_find(&ui->s, &probe, 0, 20, &found, &err) != XF_OK) {
		ui_message_about(ui, UI_ERROR, "repeat", "%s", err.msg);
	} else if (found.total == 0) {
		ui_clear_about(ui, "repeat"); /* the name or phone changed: the warning goes */
	} else if (!said) {
		const struct xf_fields *m = &found.latest.v[0];
		repeat_counts_text(&found, reg->counts, sizeof reg->counts);
		ui_message_about(ui, UI_WARN, "repeat", "提示：%s，最近 %s（%s，%s，%s），可能是重复信访：按 F6 关联", reg->counts,
		                 fields_str(m, "number"), fields_str(m, "name"), fields_str(m, "received"), fields_str(m, "state"));
	}
	reg->matches = found.latest;
	found.latest.v = NULL;
	found.latest.n = 0;
	repeat_free(&found);
	fields_free(&probe);
}

/* F6: choose the earlier case to link as a repeat petition. */
static void link_repeat(struct ui *ui, struct reg *reg)
{
	if (reg->matches.n == 0) {
		ui_message(ui, UI_INFO, "没有发现同一信访人的事项（填写证件号码、电话或姓名后会自动查找）");
		return;
	}
	struct xf_fields choices;
	fields_init(&choices);
	for (size_t i = 0; i < reg->matches.n; i++) {
		const struct xf_fields *m = &reg->matches.v[i];
		char line[200];
		snprintf(line, sizeof line, "%s %s %s %s", fields_str(m, "number"), fields_str(m, "name"),
		         fields_str(m, "received"), fields_str(m, "state"));
		fields_set(&choices, line, fields_str(m, "number"));
	}
	char title[320];
	snprintf(title, sizeof title, "关联为重复信访（%s，最近 %zu 件）", reg->counts, reg->matches.n);
	int pick = ui_pick(ui, title, &choices, 0);
	if (pick >= 0) {
		const char *number = choices.v[pick].val;
		if (strstr(reg->repeat_of, number) == NULL) {
			size_t used = strlen(reg->repeat_of);
			snprintf(reg->repeat_of + used, sizeof reg->repeat_of - used, "%s%s", used ? "," : "", number);
		}
		ui_message(ui, UI_INFO, "保存时将关联为重复信访：%s", reg->repeat_of);
	}
	fields_free(&choices);
}

/* F2: registers the case. */
static void save(struct ui *ui, struct fscreen *fs, struct reg *reg)
{
	if (!fs_required_ok(ui, fs))
		return;
	bool spot = fields_has(&fs->values, "spot_answer");
	if (spot && !ui_confirm(ui, "填写了当场答复：保存后本件即以当场答复结案，不再批转办理。确认保存？"))
		return;
	struct xf_fields in;
	fs_values(fs, &in);
	if (*reg->repeat_of)
		fields_set(&in, "repeat_of", reg->repeat_of);
	char number[32];
	struct xf_err err, warn;
	int rc = case_register(&ui->s, &in, number, &warn, &err);
	fields_free(&in);
	if (rc != XF_OK) {
		ui_message_about(ui, UI_ERROR, fs_focus_message(fs, err.msg), "%s", err.msg);
		return;
	}
	case_find(&ui->s, number, &reg->id, NULL);
	desk_draft_discard(&ui->s, "registration", NULL);
	fs_set(fs, "number", number);
	fs->locked = true;
	fs->draft_dirty = false;
	snprintf(fs->hints, sizeof fs->hints, " F4 打印登记表  Ctrl-N 再登记一件  F10 返回");
	ui_set_screen(ui, fs->form.title, fs->hints);
	ui_message(ui, UI_INFO, "已登记 %s%s%s%s。按 F4 打印登记表", number, spot ? "，已以当场答复结案" : "",
	           *warn.msg && !spot ? "；" : "", spot ? "" : warn.msg);
	ui_refresh_status(ui);
}

/* Starts a new, empty registration (or the draft kept from last time). */
static bool start(struct ui *ui, struct fscreen *fs, struct reg *reg)
{
	if (!fs_open(ui, fs, "registration", NULL))
		return false;
	fs_editable(fs, "received channel importance name gender age id_type id_number phone address work_unit people anonymous "
	                "confidential subject accused category amount summary materials first_asked receiver spot_answer jrt_channel "
	                "jrt_type jrt_cause");
	fs->draft = "registration";
	fs->on_leave = repeat_check;
	fs->ctx = reg;
	snprintf(fs->hints, sizeof fs->hints, " F2 保存  F3 选择  F6 关联  Tab/回车 下一项  Ctrl-J 换行  F1 帮助  F10 返回");
	defaults(ui, fs);
	struct xf_fields draft;
	char at[20];
	bool found = false;
	struct xf_err err;
	if (desk_draft_load(&ui->s, "registration", &draft, at, &found, &err) != XF_OK)
		ui_message(ui, UI_ERROR, "%s", err.msg);
	if (found) {
		for (size_t i = 0; i < draft.n; i++)
			if (strcmp(draft.v[i].key, "number") != 0)
				fs_set(fs, draft.v[i].key, draft.v[i].val);
		ui_message(ui, UI_WARN, "已恢复 %s 未保存的登记草稿；不要了按 Ctrl-D", at);
	}
	fields_free(&draft);
	memset(reg, 0, sizeof *reg);
	return true;
}

/* The registration screen. */
void screen_registration(struct ui *ui)
{
	struct fscreen fs;
	struct reg reg;
	memset(&reg, 0, sizeof reg);
	if (!start(ui, &fs, &reg))
		return;
	for (;;) {
		enum fs_result r = fs_run(ui, &fs);
		if (r == FS_QUIT)
			break;
		if (r == FS_CANCEL) {
			struct xf_fields kept;
			fields_init(&kept);
			char at[20];
			bool found = false;
			if (!fs.locked && desk_draft_load(&ui->s, "registration", &kept, at, &found, NULL) == XF_OK && found)
				ui_message(ui, UI_INFO, "登记未保存，内容已留作草稿，下次登记时恢复");
			else if (!fs.locked)
				ui_message(ui, UI_INFO, "登记未保存，没有留草稿");
			fields_free(&kept);
			break;
		}
		if (r == FS_SAVE && !fs.locked)
			save(ui, &fs, &reg);
		else if (r == FS_PRINT && fs.locked)
			screen_print(ui, reg.id, "registration");
		else if (r == FS_PRINT)
			ui_message(ui, UI_WARN, "请先按 F2 保存，再打印");
		else if (r == FS_LINK && !fs.locked)
			link_repeat(ui, &reg);
		else if ((r == FS_NEW && fs.locked) ||
		         (r == FS_DISCARD && !fs.locked && ui_confirm(ui, "放弃这份登记草稿，重新填写？"))) {
			if (r == FS_DISCARD)
				desk_draft_discard(&ui->s, "registration", NULL);
			rows_free(&reg.matches);
			fs_free(&fs);
			ui_clear_message(ui); /* the last form's message does not belong to the blank one */
			if (!start(ui, &fs, &reg))
				return;
			if (r == FS_DISCARD)
				ui_message(ui, UI_INFO, "草稿已放弃");
		}
	}
	rows_free(&reg.matches);
	fs_free(&fs);
}

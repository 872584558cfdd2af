/* The admin's screens: the reference lists (departments, categories, channels), the holiday
 * calendar's years and coverage, the rule set in force, and backing up and verifying the store.
 * Accounts are in screen_accounts.c. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"
#include "list.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/reference.h"
#include "xinfang/setup.h"
#include "xinfang/clock.h"
#include "xinfang/text.h"
#include "xinfang/verify.h"

/* One field of a reference list's form. */
struct ref_field {
	const char *key, *label;
	enum xf_ftype type;
	const char *list;  /* choices */
	bool on_add, on_edit, required;
	const char *fallback; /* the value a new entry starts with */
};

/* A reference list: its columns and its form. */
struct ref_def {
	const char *list, *title;
	struct ui_column cols[5];
	struct ref_field fields[5];
};

static const struct ref_def ref_defs[] = {
	{"departments",
	 "承办部门",
	 {{"name", "部门", 16}, {"active", "状态", 6}, {"note", "说明", 0}},
	 {{"name", "部门名称", XF_F_TEXT, NULL, true, false, true, NULL},
	  {"note", "说明", XF_F_TEXT, NULL, true, true, false, NULL},
	  {"active", "状态", XF_F_CHOICE, "department_states", false, true, true, "在用"}}},
	{"categories",
	 "信访类别",
	 {{"name", "类别", 12}, {"kind", "性质", 6}, {"group", "分组", 10}, {"department", "默认承办部门", 0}},
	 {{"name", "类别名称", XF_F_TEXT, NULL, true, false, true, NULL},
	  {"kind", "性质", XF_F_CHOICE, "category_kinds", true, true, true, "投诉"},
	  {"group", "分组", XF_F_CHOICE, "category_groups", true, true, true, "一般投诉"},
	  {"department", "默认承办部门", XF_F_CHOICE, "departments", true, true, false, NULL}}},
	{"channels",
	 "来源渠道",
	 {{"name", "渠道", 16}, {"important", "重要程度", 0}},
	 {{"name", "渠道名称", XF_F_TEXT, NULL, true, false, true, NULL},
	  {"important", "重要程度", XF_F_CHOICE, "channel_levels", true, true, true, "一般"}}},
};

/* Number of fields of a definition. */
static int ref_nfields(const struct ref_def *d)
{
	int n = 0;
	while (n < 5 && d->fields[n].key)
		n++;
	return n;
}

/* The add or edit form of a list entry; row NULL adds. True when something was saved. */
static bool ref_form(struct ui *ui, const struct ref_def *d, const struct xf_fields *row)
{
	const char *keys[5], *labels[5], *lists[5];
	enum xf_ftype types[5];
	bool required[5];
	int n = ref_nfields(d);
	struct xf_buf editable;
	buf_init(&editable);
	for (int i = 0; i < n; i++) {
		const struct ref_field *f = &d->fields[i];
		keys[i] = f->key;
		labels[i] = f->label;
		types[i] = f->type;
		lists[i] = f->list;
		required[i] = f->required;
		if (row ? f->on_edit : f->on_add)
			buf_printf(&editable, "%s ", f->key);
	}
	char title[64];
	snprintf(title, sizeof title, "%s%s", row ? "修改" : "添加", d->title);
	char *text = fs_small_form(d->list, title, "清单", keys, labels, types, lists, required, n);
	struct fscreen fs;
	bool opened = fs_open(ui, &fs, NULL, text);
	free(text);
	if (!opened) {
		buf_free(&editable);
		return false;
	}
	fs_editable(&fs, editable.data);
	buf_free(&editable);
	fs.shows_stored = row != NULL;
	fs_set(&fs, "number", d->title);
	for (int i = 0; i < n; i++) {
		const char *v = row ? fields_str(row, d->fields[i].key) : d->fields[i].fallback;
		if (v)
			fs_set(&fs, d->fields[i].key, v);
	}
	snprintf(fs.hints, sizeof fs.hints, " F2 保存  空格/F3 选择  Tab/回车 下一项  F10 返回");
	bool saved = false;
	for (;;) {
		enum fs_result r = fs_run(ui, &fs);
		if (r != FS_SAVE)
			break;
		if (!fs_required_ok(ui, &fs))
			continue;
		struct xf_fields in;
		fs_values(&fs, &in);
		struct xf_err err;
		int rc = row ? reference_edit(&ui->s, d->list, fields_str(row, "name"), &in, &err)
		             : reference_add(&ui->s, d->list, &in, &err);
		fields_free(&in);
		if (rc != XF_OK) {
			ui_message_about(ui, UI_ERROR, fs_focus_message(&fs, err.msg), "%s", err.msg);
			continue;
		}
		ui_message(ui, UI_INFO, "%s“%s”已%s", d->title, row ? fields_str(row, "name") : fields_str(&fs.values, "name"),
		           row ? "修改" : "添加");
		saved = true;
		break;
	}
	fs_free(&fs);
	return saved;
}

/* Fills a reference list from the core. */
static void ref_load(struct ui *ui, const struct ref_def *d, struct ui_list *l)
{
	struct xf_rows rows;
	struct xf_err err;
	if (reference_list(&ui->s, d->list, &rows, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	list_set_rows(l, &rows);
}

/* ref_load in the shape list_screen_turn takes. */
static void ref_reload(struct ui *ui, struct ui_list *l, void *ctx)
{
	ref_load(ui, ctx, l);
}

/* One reference list: a 添加, 回车 修改. */
static void ref_screen(struct ui *ui, const struct ref_def *d)
{
	struct ui_list l;
	memset(&l, 0, sizeof l);
	l.cols = d->cols;
	while (l.ncols < 5 && d->cols[l.ncols].key)
		l.ncols++;
	ref_load(ui, d, &l);
	struct ui_key k;
	while (list_screen_turn(ui, &l, d->title, " ↑↓ 选择  a 添加  回车 修改  F10 返回", ref_reload, (void *)d, &k)) {
		const struct xf_fields *row = list_selected(&l);
		bool changed = false;
		if (k.kind == UI_CHAR && k.ch == 'a')
			changed = ref_form(ui, d, NULL);
		else if (row && ((k.kind == UI_CHAR && (k.ch == '\r' || k.ch == 'e')) || (k.kind == UI_FUNC && k.ch == KEY_ENTER)))
			changed = ref_form(ui, d, row);
		if (changed)
			ref_load(ui, d, &l);
	}
	list_free(&l);
}

/* Departments, categories and channels. */
void screen_reference(struct ui *ui)
{
	struct xf_fields which;
	fields_init(&which);
	for (size_t i = 0; i < sizeof ref_defs / sizeof ref_defs[0]; i++)
		fields_set(&which, ref_defs[i].title, ref_defs[i].list);
	int at = 0;
	for (;;) {
		at = ui_pick(ui, "基础清单", &which, at);
		if (at < 0)
			break;
		ref_screen(ui, &ref_defs[at]);
	}
	fields_free(&which);
}

/* Lines of the calendar and rules screen, each with its attributes. */
struct text_lines {
	char **v;
	int *attr;
	size_t n;
};

/* Appends text wrapped to the screen's width. */
static void text_add(struct text_lines *t, const char *text, int attr)
{
	char **w;
	size_t n = text_wrap(text, COLS - 4, tui_cp_width_ctx, NULL, &w);
	for (size_t i = 0; i < n; i++) {
		t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
		t->attr = xrealloc(t->attr, (t->n + 1) * sizeof *t->attr);
		t->v[t->n] = i ? xasprintf("  %s", w[i]) : xstrdup(w[i]);
		t->attr[t->n++] = attr;
	}
	text_lines_free(w, n);
}

/* Releases the lines. */
static void text_free(struct text_lines *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->attr);
	memset(t, 0, sizeof *t);
}

/* What the calendar and rules screen shows. */
static void calendar_lines(struct ui *ui, struct text_lines *t)
{
	struct xf_rows years;
	struct xf_fields warnings;
	struct xf_err err;
	text_add(t, "──── 节假日日历 ────", A_BOLD);
	if (reference_calendar(&ui->s, &years, &warnings, &err) != XF_OK) {
		text_add(t, err.msg, ui_attr_error(ui));
		return;
	}
	if (years.n == 0)
		text_add(t, "（还没有导入任何年份）", A_NORMAL);
	for (size_t i = 0; i < years.n; i++) {
		char *line = xasprintf("%s 年   放假和调休 %s 天   导入于 %.16s   来自 %s", fields_str(&years.v[i], "year"),
		                       fields_str(&years.v[i], "days"), fields_str(&years.v[i], "loaded_at"),
		                       fields_str(&years.v[i], "source"));
		text_add(t, line, A_NORMAL);
		free(line);
	}
	for (size_t i = 0; i < warnings.n; i++) {
		char *line = xasprintf("※ %s", warnings.v[i].val);
		text_add(t, line, ui_attr_warn(ui));
		free(line);
	}
	if (warnings.n == 0)
		text_add(t, "日历覆盖今年和所有事项的期限，不缺年份。", A_NORMAL);
	rows_free(&years);
	fields_free(&warnings);
	text_add(t, "", A_NORMAL);
	text_add(t, "──── 时限规则集 ────", A_BOLD);
	session_reload_reference(&ui->s);
	if (session_load_reference(&ui->s, &err) != XF_OK) {
		text_add(t, err.msg, ui_attr_error(ui));
		return;
	}
	const struct xf_rules *r = &ui->s.rules;
	/* The set in use first, then the others as stored. */
	for (size_t k = 0; k < 2 * r->nsets; k++) {
		size_t i = k % r->nsets;
		bool active = strcmp(r->sets[i].name, r->active) == 0;
		if (active != (k < r->nsets))
			continue;
		char *line = xasprintf("%s%s", active ? "● 使用中：" : "○ ", r->sets[i].label);
		text_add(t, line, active ? A_BOLD : A_NORMAL);
		free(line);
		for (size_t j = 0; j < r->n; j++) {
			const struct xf_rule *x = &r->rules[j];
			if (strcmp(x->ruleset, r->sets[i].name) != 0)
				continue;
			line = xasprintf("    %s  %s  %d %s", limits_kind_label(x->kind), *x->category ? x->category : "各类别",
			                 x->length, limits_unit_label(x->unit));
			text_add(t, line, A_NORMAL);
			free(line);
		}
	}
}

/* Opens a small form asking for one file name (key "file"), with a note in its head line and
 * the given key hints; false when it could not be opened. */
static bool open_file_form(struct ui *ui, struct fscreen *fs, const char *name, const char *title, const char *head,
                           const char *label, const char *note, const char *hints)
{
	const char *keys[] = {"file"};
	const char *labels[] = {label};
	const char *lists[] = {NULL};
	enum xf_ftype types[] = {XF_F_TEXT};
	bool required[] = {true};
	char *text = fs_small_form(name, title, head, keys, labels, types, lists, required, 1);
	bool opened = fs_open(ui, fs, NULL, text);
	free(text);
	if (!opened)
		return false;
	fs_editable(fs, "file");
	fs_set(fs, "number", note);
	snprintf(fs->hints, sizeof fs->hints, "%s", hints);
	return true;
}

/* Asks for a calendar file and loads it. */
static void load_calendar(struct ui *ui)
{
	struct fscreen fs;
	if (!open_file_form(ui, &fs, "calendar", "导入节假日日历", "格式", "日历文件", "YYYY.txt，每行：日期 休|班 名称",
	                    " F2 导入  F10 返回"))
		return;
	for (;;) {
		if (fs_run(ui, &fs) != FS_SAVE)
			break;
		if (!fs_required_ok(ui, &fs))
			continue;
		int year = 0, recomputed = 0;
		struct xf_err err;
		if (setup_calendar_load(&ui->s, fields_str(&fs.values, "file"), &year, &recomputed, &err) != XF_OK) {
			ui_message_about(ui, UI_ERROR, "file", "%s", err.msg);
			continue;
		}
		ui_message(ui, UI_INFO, "已导入 %d 年节假日日历；重新计算了 %d 件事项的时限", year, recomputed);
		session_reload_reference(&ui->s);
		ui_refresh_status(ui);
		break;
	}
	fs_free(&fs);
}

/* Picks a rule set and puts it in force. */
static void switch_rules(struct ui *ui)
{
	struct xf_fields sets;
	fields_init(&sets);
	const struct xf_rules *r = &ui->s.rules;
	int at = 0;
	for (size_t i = 0; i < r->nsets; i++) {
		fields_set(&sets, r->sets[i].label, r->sets[i].name);
		if (strcmp(r->sets[i].name, r->active) == 0)
			at = (int)i;
	}
	int pick = ui_pick(ui, "使用哪个时限规则集", &sets, at);
	if (pick >= 0 && strcmp(sets.v[pick].val, r->active) != 0) {
		char *name = xstrdup(sets.v[pick].val), *q = xasprintf("改用“%s”：此后登记的事项按它计算时限，已登记的不变。确认？",
		                                                       sets.v[pick].key);
		struct xf_err err;
		if (ui_confirm(ui, q)) {
			if (setup_ruleset_use(&ui->s, name, &err) == XF_OK) {
				ui_message(ui, UI_INFO, "已改用时限规则集“%s”", sets.v[pick].key);
				ui_refresh_status(ui); /* the desk's own write: the bar recounts at once */
			} else
				ui_message(ui, UI_ERROR, "%s", err.msg);
		}
		free(q);
		free(name);
	}
	fields_free(&sets);
}

/* The calendar's years and coverage, and the rule sets. */
void screen_calendar_rules(struct ui *ui)
{
	int top = 0;
	for (;;) {
		struct text_lines t = {NULL, NULL, 0};
		calendar_lines(ui, &t);
		ui_set_screen(ui, "日历和时限规则", " ↑↓ 翻看  l 导入日历文件  r 切换规则集  F10 返回");
		bool reload = false;
		while (!reload) {
			erase();
			ui_frame(ui);
			int rows = ui_content_rows();
			if (top > (int)t.n - rows)
				top = (int)t.n - rows;
			if (top < 0)
				top = 0;
			for (int i = 0; i < rows && top + i < (int)t.n; i++)
				ui_put(ui_content_top() + i, 2, COLS - 4, t.v[top + i], t.attr[top + i]);
			move(LINES - 1, COLS - 1);
			refresh();
			struct ui_key k = ui_getkey(ui);
			if (ui_is_back(k)) {
				text_free(&t);
				return;
			}
			if (k.kind == UI_FUNC && (k.ch == KEY_DOWN || k.ch == KEY_NPAGE))
				top += k.ch == KEY_DOWN ? 1 : rows - 1;
			else if (k.kind == UI_FUNC && (k.ch == KEY_UP || k.ch == KEY_PPAGE))
				top -= k.ch == KEY_UP ? 1 : rows - 1;
			else if (k.kind == UI_FUNC && k.ch == KEY_HOME)
				top = 0;
			else if (k.kind == UI_FUNC && k.ch == KEY_END)
				top = (int)t.n;
			else if (k.kind == UI_FUNC && k.ch == KEY_RESIZE)
				reload = true;
			else if (k.kind == UI_CHAR && k.ch == 'l') {
				load_calendar(ui);
				reload = true;
			} else if (k.kind == UI_CHAR && k.ch == 'r') {
				switch_rules(ui);
				reload = true;
			}
		}
		text_free(&t);
	}
}

/* Asks for a file and backs the store up into it while other desks keep working. */
static void backup_now(struct ui *ui, struct text_lines *t)
{
	struct fscreen fs;
	if (!open_file_form(ui, &fs, "backup", "立即备份", "说明", "备份到文件", "备份时其他工作台照常办理；文件须是新的",
	                    " F2 备份  F10 返回"))
		return;
	char now[20], path[600];
	clock_now_iso(now);
	const char *db = store_path(ui->s.st), *slash = strrchr(db, '/');
	snprintf(path, sizeof path, "%.*sxinfang-备份-%.4s%.2s%.2s-%.2s%.2s.db", slash ? (int)(slash - db + 1) : 0, db, now,
	         now + 5, now + 8, now + 11, now + 14);
	fs_set(&fs, "file", path);
	for (;;) {
		if (fs_run(ui, &fs) != FS_SAVE)
			break;
		if (!fs_required_ok(ui, &fs))
			continue;
		struct xf_chain_head head;
		struct xf_err err;
		if (verify_backup(&ui->s, fields_str(&fs.values, "file"), &head, &err) != XF_OK) {
			ui_message_about(ui, UI_ERROR, "file", "%s", err.msg);
			continue;
		}
		ui_message(ui, UI_INFO, "已备份到 %s（操作日志到第 %lld 条）", fields_str(&fs.values, "file"), (long long)head.id);
		char *line = xasprintf("已备份到 %s（操作日志到第 %lld 条）", fields_str(&fs.values, "file"), (long long)head.id);
		text_add(t, line, A_BOLD);
		free(line);
		break;
	}
	fs_free(&fs);
}

/* Verifies the store against its audit trail and shows the report. */
static void verify_now(struct ui *ui, struct text_lines *t)
{
	ui_message(ui, UI_INFO, "正在核验……");
	ui_frame(ui);
	refresh();
	struct xf_verify v;
	struct xf_err err;
	memset(&v, 0, sizeof v);
	if (verify_session(&ui->s, 0, &v, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		verify_free(&v);
		return;
	}
	if (v.failures == 0)
		ui_message(ui, UI_INFO, "核验完成：数据库与操作日志全部相符（比对 %ld 行）", v.rows);
	else
		ui_message(ui, UI_ERROR, "核验发现 %d 项不符：%s", v.failures, v.first);
	const char *p = v.text.data ? v.text.data : "";
	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		text_add(t, line, strncmp(line, "✗", strlen("✗")) == 0 ? ui_attr_error(ui) : (int)A_NORMAL);
		free(line);
		p += n + (p[n] == '\n');
	}
	verify_free(&v);
}

/* Backup now and verify now, with what they report. */
void screen_backup_verify(struct ui *ui)
{
	struct text_lines t = {NULL, NULL, 0};
	text_add(&t, "──── 备份与核验 ────", A_BOLD);
	text_add(&t, "b 立即备份：把数据库在线复制到一个新文件，其他工作台照常办理。", A_NORMAL);
	text_add(&t, "v 立即核验：逐条比对数据库与操作日志，确认没有被改动。", A_NORMAL);
	int top = 0;
	for (;;) {
		ui_set_screen(ui, "备份与核验", " b 立即备份  v 立即核验  ↑↓ 翻看  F10 返回");
		erase();
		ui_frame(ui);
		int rows = ui_content_rows();
		if (top > (int)t.n - rows)
			top = (int)t.n - rows;
		if (top < 0)
			top = 0;
		for (int i = 0; i < rows && top + i < (int)t.n; i++)
			ui_put(ui_content_top() + i, 2, COLS - 4, t.v[top + i], t.attr[top + i]);
		move(LINES - 1, COLS - 1);
		refresh();
		struct ui_key k = ui_getkey(ui);
		if (ui_is_back(k))
			break;
		if (k.kind == UI_FUNC && (k.ch == KEY_DOWN || k.ch == KEY_NPAGE))
			top += k.ch == KEY_DOWN ? 1 : rows - 1;
		else if (k.kind == UI_FUNC && (k.ch == KEY_UP || k.ch == KEY_PPAGE))
			top -= k.ch == KEY_UP ? 1 : rows - 1;
		else if (k.kind == UI_FUNC && k.ch == KEY_HOME)
			top = 0;
		else if (k.kind == UI_FUNC && k.ch == KEY_END)
			top = (int)t.n;
		else if (k.kind == UI_CHAR && k.ch == 'b')
			backup_now(ui, &t);
		else if (k.kind == UI_CHAR && k.ch == 'v') {
			verify_now(ui, &t);
			top = (int)t.n;
		}
	}
	text_free(&t);
}

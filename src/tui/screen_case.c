/* The case view: every form of the case, its limits and its history; the moves open to this
 * operator in this state; printing; linked cases. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/print.h"
#include "xinfang/slip.h"

/* The key of each move on this screen. */
static const struct {
	enum xf_move move;
	wint_t key;
	const char *hint; /* short, so that every open move fits on the hint line */
} move_keys[] = {
	{XF_MV_TRANSFER, 't', "批转"}, {XF_MV_OUTCOME, 'o', "报结"},  {XF_MV_REPLY, 'y', "答复"},   {XF_MV_CLOSE, 'c', "结案"},
	{XF_MV_REJECT, 'r', "不受理"}, {XF_MV_SPOT, 's', "当场答复"}, {XF_MV_RETURN, 'b', "退回"},  {XF_MV_WITHDRAW, 'w', "撤诉"},
	{XF_MV_INSTRUCT, 'i', "批示"}, {XF_MV_EXTEND, 'x', "延期"},   {XF_MV_DECIDE, 'd', "审批"},  {XF_MV_URGE, 'u', "催办"},
	{XF_MV_MATERIAL, 'm', "材料"}, {XF_MV_LINK, 'l', "关联"},
};

/* Lines of text the view shows. */
struct lines {
	char **v;
	size_t n;
};

/* Appends a formatted line. */
static void add(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct lines *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Appends long text wrapped to the screen, indented. */
static void add_wrapped(struct lines *l, const char *label, const char *text)
{
	if (str_empty(text))
		return;
	add(l, "%s", label);
	char **w;
	size_t n = slip_wrap(text, COLS - 6, XF_DEV_UTF8, &w);
	for (size_t i = 0; i < n; i++)
		add(l, "    %s", w[i]);
	slip_lines_free(w, n);
}

/* "还剩 N 天" or "超期 N 天" for a pending limit. */
static void limit_text(char *out, size_t n, const char *due, const char *done)
{
	if (*done) {
		snprintf(out, n, "%s（已于 %s 完成）", due, done);
		return;
	}
	int d;
	if (date_parse(due, &d, NULL) != XF_OK) {
		snprintf(out, n, "%s", due);
		return;
	}
	int left = d - clock_today();
	snprintf(out, n, left < 0 ? "%s（超期 %d 天）" : "%s（还剩 %d 天）", due, left < 0 ? -left : left);
}

/* Builds the view's lines from the core. */
static void build(struct ui *ui, int64_t id, const struct xf_fields *v, struct lines *l)
{
	add(l, "%s   %s%s%s%s   %s", fields_str(v, "number"), fields_str(v, "state"), *fields_str(v, "closure") ? "（" : "",
	    fields_str(v, "closure"), *fields_str(v, "closure") ? "）" : "", fields_str(v, "importance"));
	add(l, "收件 %s %s   渠道 %s   类别 %s   涉及金额 %s", fields_str(v, "received"), fields_str(v, "received_time"),
	    fields_str(v, "channel"), fields_str(v, "category"), *fields_str(v, "amount") ? fields_str(v, "amount") : "—");
	add(l, "信访人 %s %s %s岁   人数 %s   %s %s   电话 %s", strcmp(fields_str(v, "anonymous"), "是") == 0 ? "（匿名）" : fields_str(v, "name"),
	    fields_str(v, "gender"), fields_str(v, "age"), fields_str(v, "people"),
	    *fields_str(v, "id_type") ? fields_str(v, "id_type") : "证件号码", fields_str(v, "id_number"), fields_str(v, "phone"));
	add(l, "住址 %s   工作单位 %s", fields_str(v, "address"), fields_str(v, "work_unit"));
	add(l, "被投诉 %s   保密 %s   接收人 %s   首问责任人 %s", fields_str(v, "subject"), fields_str(v, "confidential"),
	    fields_str(v, "receiver"), fields_str(v, "first_asked"));
	add_wrapped(l, "基本事实和请求：", fields_str(v, "summary"));
	add_wrapped(l, "当场答复：", fields_str(v, "spot_answer"));
	char t[96], h[96], r[96];
	limit_text(t, sizeof t, fields_str(v, "due_transfer"), fields_str(v, "transferred_on"));
	limit_text(h, sizeof h, fields_str(v, "due_handle"), fields_str(v, "reported_on"));
	limit_text(r, sizeof r, fields_str(v, "due_reply"), fields_str(v, "replied_on"));
	add(l, "时限  批转 %s", t);
	add(l, "      周限 %s", h);
	add(l, "      月限 %s%s", r, strcmp(fields_str(v, "due_estimated"), "是") == 0 ? "（节假日日历缺年份，暂按周末推算）" : "");
	if (atoi(fields_str(v, "instruction.count")))
		add(l, "领导批示  %s：%s", fields_str(v, "instruction.leader"), fields_str(v, "instruction.text"));
	if (atoi(fields_str(v, "transfer.count")))
		add(l, "转办  %s 批转 %s（协办 %s），办理期限 %s", fields_str(v, "transfer.transfer_date"),
		    fields_str(v, "transfer.department"), *fields_str(v, "transfer.co_departments") ? fields_str(v, "transfer.co_departments") : "无",
		    fields_str(v, "transfer.deadline"));
	if (atoi(fields_str(v, "return.count")))
		add(l, "退回  %s %s：%s", fields_str(v, "return.returned_on"), fields_str(v, "return.department"),
		    fields_str(v, "return.reason"));
	if (atoi(fields_str(v, "extension.count")))
		add(l, "延期  %s 至 %s（%s）：%s", fields_str(v, "extension.limit_kind"), fields_str(v, "extension.new_due"),
		    strcmp(fields_str(v, "extension.decision"), "approved") == 0 ? "已同意"
		    : strcmp(fields_str(v, "extension.decision"), "denied") == 0 ? "不同意"
		                                                               : "待审批",
		    fields_str(v, "extension.reason"));
	if (atoi(fields_str(v, "outcome.count"))) {
		add_wrapped(l, "调查核实情况：", fields_str(v, "outcome.findings"));
		add(l, "满意程度 %s   办理日期 %s   经办人 %s   部门负责人 %s", fields_str(v, "outcome.satisfaction"),
		    fields_str(v, "outcome.handled_on"), fields_str(v, "outcome.handler"), fields_str(v, "outcome.dept_head"));
	}
	if (atoi(fields_str(v, "reply.count")))
		add(l, "答复  %s %s答复：%s", fields_str(v, "reply.replied_on"), fields_str(v, "reply.method"),
		    fields_str(v, "reply.content"));
	if (*fields_str(v, "links"))
		add(l, "关联（重复信访）  %s   按 g 跳转", fields_str(v, "links"));
	struct xf_rows hist;
	struct xf_err err;
	if (audit_case_history(&ui->s, id, &hist, &err) == XF_OK) {
		add(l, "──── 办理经过 ────");
		for (size_t i = 0; i < hist.n; i++)
			add(l, "%s  %-8s %s", fields_str(&hist.v[i], "at"), fields_str(&hist.v[i], "operator"),
			    audit_action_label(fields_str(&hist.v[i], "action")));
		rows_free(&hist);
	}
}

/* Releases the lines. */
static void free_lines(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Asks which form to print. */
static void print_menu(struct ui *ui, int64_t id)
{
	struct xf_fields forms;
	fields_init(&forms);
	for (int i = 0; xf_print_forms[i]; i++)
		fields_set(&forms, print_form_title(xf_print_forms[i]), xf_print_forms[i]);
	int pick = ui_pick(ui, "打印哪一张", &forms, 0);
	if (pick >= 0)
		screen_print(ui, id, forms.v[pick].val);
	fields_free(&forms);
}

/* Jumps to a linked case. */
static void jump(struct ui *ui, const struct xf_fields *v)
{
	char *list = xstrdup(fields_str(v, "links")), *save = NULL;
	struct xf_fields choices;
	fields_init(&choices);
	for (char *n = strtok_r(list, ",", &save); n; n = strtok_r(NULL, ",", &save))
		fields_set(&choices, n, n);
	free(list);
	int pick = choices.n ? ui_pick(ui, "关联的事项", &choices, 0) : -1;
	int64_t other;
	if (pick >= 0 && case_find(&ui->s, choices.v[pick].key, &other, NULL) == XF_OK)
		screen_case(ui, other);
	fields_free(&choices);
}

/* The case view. */
void screen_case(struct ui *ui, int64_t id)
{
	int top = 0;
	for (;;) {
		struct xf_fields v;
		struct xf_err err;
		if (case_view(&ui->s, id, &v, &err) != XF_OK) {
			ui_message(ui, UI_ERROR, "%s", err.msg);
			return;
		}
		enum xf_move open[XF_MV_COUNT];
		int nopen = 0;
		case_moves_open(&ui->s, id, open, &nopen, NULL);
		/* Deciding an extension only shows while one waits. */
		if (strcmp(fields_str(&v, "extension.decision"), "pending") != 0)
			for (int i = 0; i < nopen; i++)
				if (open[i] == XF_MV_DECIDE)
					open[i--] = open[--nopen];
		char hints[320] = "";
		for (size_t k = 0; k < sizeof move_keys / sizeof move_keys[0]; k++)
			for (int i = 0; i < nopen; i++)
				if (move_keys[k].move == open[i]) {
					size_t used = strlen(hints);
					snprintf(hints + used, sizeof hints - used, "%lc%s ", (wint_t)move_keys[k].key, move_keys[k].hint);
				}
		size_t used = strlen(hints);
		snprintf(hints + used, sizeof hints - used, "p打印 F10返回");
		ui_set_screen(ui, fields_str(&v, "number"), hints);
		struct lines l = {NULL, 0};
		build(ui, id, &v, &l);
		ui->changed = false;
		bool reload = false;
		while (!reload) {
			erase();
			ui_frame(ui);
			int rows = ui_content_rows();
			if (top > (int)l.n - rows)
				top = (int)l.n - rows;
			if (top < 0)
				top = 0;
			for (int i = 0; i < rows && top + i < (int)l.n; i++)
				ui_put(ui_content_top() + i, 1, COLS - 2, l.v[top + i], i == 0 && top == 0 ? A_BOLD : A_NORMAL);
			move(LINES - 1, COLS - 1);
			refresh();
			struct ui_key k = ui_getkey(ui);
			if (ui_is_back(k)) {
				free_lines(&l);
				fields_free(&v);
				return;
			}
			if (k.kind == UI_TICK) {
				reload = ui->changed;
				continue;
			}
			if (k.kind == UI_FUNC && (k.ch == KEY_DOWN || k.ch == KEY_NPAGE))
				top += k.ch == KEY_DOWN ? 1 : rows - 1;
			else if (k.kind == UI_FUNC && (k.ch == KEY_UP || k.ch == KEY_PPAGE))
				top -= k.ch == KEY_UP ? 1 : rows - 1;
			else if (k.kind == UI_CHAR && k.ch == 'p')
				print_menu(ui, id);
			else if (k.kind == UI_CHAR && k.ch == 'g') {
				jump(ui, &v);
				reload = true;
			} else if (k.kind == UI_CHAR) {
				for (size_t m = 0; m < sizeof move_keys / sizeof move_keys[0]; m++) {
					if (move_keys[m].key != k.ch)
						continue;
					bool allowed = false;
					for (int i = 0; i < nopen; i++)
						allowed = allowed || open[i] == move_keys[m].move;
					if (allowed) {
						screen_move(ui, id, move_keys[m].move);
						reload = true;
					} else {
						ui_message(ui, UI_WARN, "现在不能%s", xf_moves[move_keys[m].move].label);
					}
				}
			}
		}
		free_lines(&l);
		fields_free(&v);
	}
}

/* The forms of the moves on a case: the transfer slip and the outcome report on their paper
 * forms, the other moves as small forms made from the workflow table; and printing. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinfang/calendar.h"
#include "xinfang/casefile.h"
#include "xinfang/clock.h"
#include "xinfang/desk.h"
#include "xinfang/identity.h"
#include "xinfang/print.h"
#include "xinfang/text.h"

/* Rows the head reads before deciding an extension: the request as it was made. */
static const struct {
	const char *key, *label;
	enum xf_ftype type;
} request_rows[] = {
	{"ext_by", "申请人", XF_F_TEXT},        {"ext_at", "申请日期", XF_F_TEXT},
	{"ext_limit", "延期的时限", XF_F_TEXT}, {"ext_old_due", "原期限", XF_F_TEXT},
	{"ext_new_due", "申请延至", XF_F_TEXT}, {"ext_reason", "延期理由", XF_F_LONGTEXT},
};

/* The small form of a move, from its keys in the workflow table; deciding an extension shows
 * the request above the decision. */
static char *move_form_text(const struct xf_move_def *def)
{
	const char *keys[24], *labels[24], *lists[24];
	enum xf_ftype types[24];
	bool required[24];
	int n = 0;
	if (def->move == XF_MV_DECIDE)
		for (size_t i = 0; i < sizeof request_rows / sizeof request_rows[0]; i++, n++) {
			keys[n] = request_rows[i].key;
			labels[n] = request_rows[i].label;
			types[n] = request_rows[i].type;
			lists[n] = NULL;
			required[n] = false;
		}
	char copy[256];
	snprintf(copy, sizeof copy, "%s", def->keys);
	char *save = NULL;
	for (char *k = strtok_r(copy, " ", &save); k && n < 24; k = strtok_r(NULL, " ", &save)) {
		const struct xf_move_field *mf = case_move_field(def->move, k);
		keys[n] = mf ? mf->key : k;
		labels[n] = mf ? mf->label : k;
		types[n] = mf ? mf->type : XF_F_TEXT;
		lists[n] = mf ? mf->list : NULL;
		size_t kl = strlen(k);
		required[n] = false;
		for (const char *p = def->required; *p;) {
			while (*p == ' ')
				p++;
			size_t len = strcspn(p, " ");
			required[n] = required[n] || (len == kl && strncmp(p, k, kl) == 0);
			p += len;
		}
		n++;
	}
	return fs_small_form(def->key, def->label, "编号", keys, labels, types, lists, required, n);
}

/* The request an extension decision is about, from the case view. */
static void prefill_request(struct ui *ui, struct fscreen *fs, const struct xf_fields *view)
{
	char who[160], at[11];
	casefile_operator_label(&ui->s, fields_str(view, "extension.actor"), who, sizeof who);
	snprintf(at, sizeof at, "%.10s", fields_str(view, "extension.at"));
	fs_set(fs, "ext_by", who);
	fs_set(fs, "ext_at", at);
	fs_set(fs, "ext_limit", strcmp(fields_str(view, "extension.limit_kind"), "reply") == 0 ? "月限" : "周限");
	fs_set(fs, "ext_old_due", fields_str(view, "extension.old_due"));
	fs_set(fs, "ext_new_due", fields_str(view, "extension.new_due"));
	fs_set(fs, "ext_reason", fields_str(view, "extension.reason"));
}

/* Asks before a move that closes the case, saying what follows; true to go ahead. */
static bool confirm_closing(struct ui *ui, const struct xf_move_def *def, const struct fscreen *fs,
                            const struct xf_fields *view)
{
	if (def->to != XF_ST_CLOSED)
		return true;
	char q[512];
	const char *number = fields_str(view, "number");
	switch (def->move) {
	case XF_MV_CLOSE:
		snprintf(q, sizeof q, "结案后 %s 归档，不能再办理、更正或延期。确认结案？", number);
		break;
	case XF_MV_WITHDRAW:
		snprintf(q, sizeof q, "撤诉即结案：%s 不再办理，记为%s撤诉。确认撤诉？", number,
		         strcmp(fields_str(&fs->values, "voluntary"), "否") == 0 ? "非自愿" : "自愿");
		break;
	case XF_MV_REJECT:
		snprintf(q, sizeof q, "不予受理即结案：%s 不再办理，信访人须按告知的途径另行反映。确认不予受理？", number);
		break;
	default:
		snprintf(q, sizeof q, "当场答复即结案：%s 不再批转办理，答复内容记入卷宗。确认？", number);
		break;
	}
	return ui_confirm(ui, q);
}

/* Defaults of a move's form from the case as it stands. */
static void prefill(struct ui *ui, struct fscreen *fs, int64_t id, const struct xf_move_def *def,
                    const struct xf_fields *view)
{
	char today[11];
	date_format(clock_today(), today);
	const char *me = *ui->s.op.full_name ? ui->s.op.full_name : ui->s.op.name;
	fs_set(fs, "number", fields_str(view, "number"));
	static const char *const same[] = {"name", "phone", "id_number", "channel", "received", "category", "summary"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		if (form_field(&fs->form, same[i]))
			fs_set(fs, same[i], fields_str(view, same[i]));
	if (form_field(&fs->form, "id_label")) { /* the number's label follows the document */
		int type = identity_type_parse(fields_str(view, "id_type"));
		fs_set(fs, "id_label", identity_number_label(type < 0 ? XF_ID_OTHER : (enum xf_idtype)type));
	}
	if (def->move == XF_MV_TRANSFER) {
		char dept[64];
		desk_default_department(&ui->s, fields_str(view, "category"), dept);
		fs_set(fs, "dept", dept);
		/* The 周限 the rules allow; the head may set an earlier one (the core checks it). */
		char earliest[11], latest[11];
		struct xf_err err;
		if (case_transfer_deadline(&ui->s, id, earliest, latest, &err) == XF_OK)
			fs_set(fs, "deadline", latest);
		else
			fs_set(fs, "deadline", fields_str(view, "due_handle"));
		fs_set(fs, "transfer_date", today);
		fs_set(fs, "issued_by", me);
		if (atoi(fields_str(view, "instruction.count")) > 0) {
			fs_set(fs, "instruction", fields_str(view, "instruction.text"));
			fs_set(fs, "leader", fields_str(view, "instruction.leader"));
		}
	} else if (def->move == XF_MV_OUTCOME) {
		fs_set(fs, "dept", fields_str(view, "department"));
		fs_set(fs, "handled_on", today);
		fs_set(fs, "satisfaction", "未表态");
		if (ui->s.op.role == XF_ROLE_HANDLER)
			fs_set(fs, "handler", me);
	} else {
		static const char *const dates[] = {"date"};
		for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
			if (form_field(&fs->form, dates[i]))
				fs_set(fs, dates[i], today);
		if (def->move == XF_MV_DECIDE) {
			fs_set(fs, "decision", "同意");
			prefill_request(ui, fs, view);
		}
		if (def->move == XF_MV_WITHDRAW)
			fs_set(fs, "voluntary", "是"); /* explicit from the start: never flipped by a stray key */
		if (def->move == XF_MV_MATERIAL)
			fs_set(fs, "copies", "1");
		if (def->move == XF_MV_URGE)
			fs_set(fs, "target", fields_str(view, "department"));
		if (def->move == XF_MV_EXTEND)
			fs_set(fs, "limit", strcmp(fields_str(view, "state_code"), "reported") == 0 ? "月限" : "周限");
	}
}

/* A move's form on a case. */
bool screen_move(struct ui *ui, int64_t id, enum xf_move move)
{
	const struct xf_move_def *def = &xf_moves[move];
	struct xf_fields view;
	struct xf_err err;
	if (case_view(&ui->s, id, &view, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return false;
	}
	int64_t version = atoll(fields_str(&view, "version"));
	struct fscreen fs;
	bool opened;
	if (move == XF_MV_TRANSFER || move == XF_MV_OUTCOME) {
		opened = fs_open(ui, &fs, move == XF_MV_TRANSFER ? "transfer" : "outcome", NULL);
	} else {
		char *text = move_form_text(def);
		opened = fs_open(ui, &fs, NULL, text);
		free(text);
	}
	if (!opened) {
		fields_free(&view);
		return false;
	}
	fs_editable(&fs, def->keys);
	prefill(ui, &fs, id, def, &view);
	fs.shows_case = id;
	fs.shows_version = version;
	snprintf(fs.hints, sizeof fs.hints, " F2 %s  F3 选择  Tab/回车 下一项  Ctrl-J 换行  F10 返回", def->label);
	bool done = false;
	for (;;) {
		enum fs_result r = fs_run(ui, &fs);
		if (r == FS_QUIT || r == FS_CANCEL)
			break;
		if (r == FS_PRINT && done && (move == XF_MV_TRANSFER || move == XF_MV_OUTCOME)) {
			screen_print(ui, id, move == XF_MV_TRANSFER ? "transfer" : "outcome");
			continue;
		}
		if (r != FS_SAVE || done || !fs_required_ok(ui, &fs))
			continue;
		if (!confirm_closing(ui, def, &fs, &view)) {
			ui_message(ui, UI_INFO, "没有办理“%s”：可以修改后再按 F2，或按 F10 返回", def->label);
			continue;
		}
		struct xf_fields in;
		fs_values(&fs, &in);
		int rc = case_move(&ui->s, id, move, &in, version, &err);
		fields_free(&in);
		if (rc != XF_OK) {
			ui_message_about(ui, UI_ERROR, fs_focus_message(&fs, err.msg), "%s", err.msg);
			continue;
		}
		done = true;
		/* The desk's own save: what the form shows is current again. */
		if (case_version(&ui->s, id, &fs.shows_version, &err) == XF_OK)
			fs.stale = false;
		ui_refresh_status(ui);
		if (move == XF_MV_TRANSFER || move == XF_MV_OUTCOME) {
			fs.locked = true;
			const char *slip = print_form_title(move == XF_MV_TRANSFER ? "transfer" : "outcome");
			snprintf(fs.hints, sizeof fs.hints, " F4 打印%s  F10 返回", slip);
			ui_message(ui, UI_INFO, "%s：%s已完成。按 F4 打印%s", fields_str(&view, "number"), def->label, slip);
			continue;
		}
		ui_message(ui, UI_INFO, "%s：%s已完成", fields_str(&view, "number"), def->label);
		break;
	}
	fs_free(&fs);
	fields_free(&view);
	return done;
}

/* The folder the desk offers files in: the one the operator printed or exported to last,
 * else the home directory, else the folder the desk was started in (as a full path). */
void ui_default_dir(const char *remembered, char *out, size_t n)
{
	const char *home = getenv("HOME");
	char cwd[512];
	if (remembered && *remembered)
		snprintf(out, n, "%s", remembered);
	else if (home && *home)
		snprintf(out, n, "%s", home);
	else
		snprintf(out, n, "%s", getcwd(cwd, sizeof cwd) ? cwd : ".");
}

/* A file's path in full (a relative one taken from the folder the desk was started in), for a
 * message that says where a file went. */
void ui_full_path(const char *file, char *out, size_t n)
{
	char cwd[512];
	if (file[0] != '/' && getcwd(cwd, sizeof cwd))
		snprintf(out, n, "%s/%s", cwd, file);
	else
		snprintf(out, n, "%s", file);
}

/* The operator's remembered print choices (said on the message line when they cannot be read)
 * and the destination to offer first in the dialog's words; the terminal's printer only when
 * the terminal has one. */
const char *ui_print_prefs(struct ui *ui, struct xf_print_prefs *prefs, bool terminal)
{
	static const char *const keys[] = {"printer", "file", "terminal"};
	static const char *const words[] = {"打印机", "文件", "终端打印机"};
	struct xf_err err;
	if (print_operator_prefs(&ui->s, prefs, &err) != XF_OK)
		ui_message(ui, UI_ERROR, "%s", err.msg);
	for (size_t i = 0; i < 3; i++)
		if (strcmp(prefs->dest, keys[i]) == 0 && (i < 2 || terminal))
			return words[i];
	return words[0];
}

/* Remembers the operator's choice of a print that went through (where, queue, the format written,
 * encoding, a file's folder); false, with the message said, when it could not be kept. */
bool ui_remember_print(struct ui *ui, const struct xf_print_prefs *prefs, const char *dest, const char *queue,
                       enum xf_print_format format, const char *encoding, const char *file)
{
	struct xf_print_prefs chosen = *prefs;
	snprintf(chosen.dest, sizeof chosen.dest, "%s", dest);
	snprintf(chosen.queue, sizeof chosen.queue, "%s", queue);
	/* What was written: a file's name ending .pdf or .txt overrides the 格式 chosen. */
	snprintf(chosen.format, sizeof chosen.format, "%s", print_format_name(file ? print_format_named(file, format) : format));
	snprintf(chosen.encoding, sizeof chosen.encoding, "%s", encoding);
	if (file) {
		const char *slash = strrchr(file, '/');
		snprintf(chosen.file, sizeof chosen.file, "%.*s", slash ? (int)(slash - file) : 0, file);
	}
	struct xf_err err;
	if (print_operator_remember(&ui->s, &chosen, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "已打印，但没能记住这次的选择：%s", err.msg);
		return false;
	}
	return true;
}

/* Shows why a print failed in the desk's words: a spooler that refused the page keeps lp's
 * own reason and says what to do at the desk (the core's text speaks of the command line's
 * --to); anything else as the core said it. */
void ui_print_failed(struct ui *ui, const char *core_msg)
{
	static const char refused[] = "没有接受（lp 退出码";
	const char *at = strstr(core_msg, refused);
	const char *stop = at ? strstr(at, "。") : NULL;
	if (at == NULL || stop == NULL) {
		ui_message(ui, UI_ERROR, "%s", core_msg);
		return;
	}
	size_t len = (size_t)(stop - at);
	while (len > 0 && (at[len - 1] == '.' || at[len - 1] == ' '))
		len--; /* lp's own full stop: the message's 。 follows */
	/* The queue's name when one was named ("打印机 信访办 没有接受…"), not the default's stand-in. */
	static const char printer[] = "打印机 ";
	int name_len = 0;
	const char *name = core_msg + strlen(printer);
	if (strncmp(core_msg, printer, strlen(printer)) == 0 && at > name && strncmp(name, "（", strlen("（")) != 0)
		name_len = (int)(at - name);
	ui_message(ui, UI_ERROR, "打印机%s%.*s%.*s。请选“文件”先存下，或请管理员检查打印机（lpstat -p）", name_len ? " " : "",
	           name_len, name, (int)len, at);
}

/* The default file a slip is printed to: in the directory printed to last (else the home
 * directory), named after the case and the form, .pdf or .txt after the format. */
static void default_file(const char *dir, const char *number, const char *form, bool pdf, char *out, size_t n)
{
	int year = 0, seq = 0;
	case_parse_number(number, &year, &seq, NULL);
	char folder[512];
	ui_default_dir(dir, folder, sizeof folder);
	snprintf(out, n, "%s/xinfang-%04d-%04d-%s.%s", folder, year, seq, form, pdf ? "pdf" : "txt");
}

/* True when terminfo gives this terminal a printer pass-through (mc5 and mc4) that reaches a
 * printer: inside tmux or screen the bytes would land on the screen instead. */
bool ui_terminal_printer(void)
{
	char *on = tigetstr("mc5"), *off = tigetstr("mc4");
	const char *term = getenv("TERM");
	if (getenv("TMUX") || getenv("STY") || (term && (strncmp(term, "tmux", 4) == 0 || strncmp(term, "screen", 6) == 0)))
		return false;
	return on != NULL && on != (char *)-1 && *on && off != NULL && off != (char *)-1 && *off;
}

/* Prints to the terminal's own printer through pass-through, then repaints the screen. */
static int print_terminal(struct ui *ui, int64_t id, const char *form, const char *encoding, struct xf_err *err)
{
	struct xf_print_opts opts = {form, encoding, XF_PRINT_CALLER, NULL, slip_default_page(), NULL, XF_FORMAT_TEXT,
	                             NULL};
	struct xf_buf bytes;
	buf_init(&bytes);
	int rc = print_case(&ui->s, id, &opts, &bytes, err);
	if (rc == XF_OK) {
		errno = 0;
		if (mcprint(bytes.data, (int)bytes.len) == ERR)
			rc = xf_err_set(err, XF_EIO, "%s",
			                errno == ENODEV ? "这个终端没有打印机直通功能（terminfo 无 mc5/mc4）：请改用打印机或文件"
			                                : "送往终端打印机失败：请检查打印机后重打");
		else
			rc = print_record(&ui->s, id, form, "终端打印机", encoding, err);
		clearok(curscr, TRUE);
	}
	buf_free(&bytes);
	return rc;
}

/* Gives a print dialog its queue list (F3) and says which queue an empty field means. */
void ui_print_queue_help(struct ui *ui, struct fscreen *fs)
{
	fs->on_pick = ui_print_pick_queue;
	char empty_means[256];
	print_default_queue_text(&ui->s, empty_means, sizeof empty_means);
	ui_message(ui, UI_INFO, "打印机队列留空即送%s；在该栏按 F3 列出本机的打印机", empty_means);
}

/* The print dialog's pick list of the queue field: the host's printer queues (lpstat). */
bool ui_print_pick_queue(struct ui *ui, struct fscreen *fs, const char *key, struct xf_fields *choices)
{
	(void)fs;
	if (strcmp(key, "queue") != 0)
		return false;
	struct xf_err err;
	char system_default[128];
	if (print_host_queues(choices, system_default, sizeof system_default, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return false;
	}
	if (choices->n == 0) {
		ui_message(ui, UI_WARN, "本机没有打印机队列：请管理员用 lpadmin 添加（见 README“Printers”），或改选“文件”");
		return false;
	}
	return true;
}

/* The print dialog's fields that apply to what is chosen so far: a queue for the office's
 * printer, a file's name for a file, the format where the name does not settle it, the
 * encoding only for text; the terminal's printer takes text in an encoding and nothing else. */
void ui_print_fields_apply(struct ui *ui, struct fscreen *fs, const char *key, void *ctx)
{
	(void)ui, (void)key, (void)ctx;
	const char *dest = fields_str(&fs->values, "dest");
	enum xf_print_format chosen =
		strcmp(fields_str(&fs->values, "format"), "文本") == 0 ? XF_FORMAT_TEXT : XF_FORMAT_PDF;
	char keys[64];
	if (strcmp(dest, "终端打印机") == 0) {
		snprintf(keys, sizeof keys, "dest encoding");
	} else if (strcmp(dest, "文件") == 0) {
		const char *file = fields_str(&fs->values, "file");
		/* A name ending .pdf or .txt settles the format whatever is chosen. */
		bool named = print_format_named(file, XF_FORMAT_TEXT) == print_format_named(file, XF_FORMAT_PDF);
		enum xf_print_format format = print_format_named(file, chosen);
		snprintf(keys, sizeof keys, "dest file%s%s", named ? "" : " format", format == XF_FORMAT_TEXT ? " encoding" : "");
	} else {
		snprintf(keys, sizeof keys, "dest queue format%s", chosen == XF_FORMAT_TEXT ? " encoding" : "");
	}
	fs_editable(fs, keys);
}

/* The print dialog: where to (the office's printer, a file, the terminal's own printer when it
 * has one), in which format and encoding; it starts from the operator's last choice. */
void screen_print(struct ui *ui, int64_t id, const char *form)
{
	struct xf_fields view;
	struct xf_err err;
	if (case_view(&ui->s, id, &view, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	struct xf_fields slip;
	int printable = print_slip_values(&ui->s, id, form, &slip, &err);
	fields_free(&slip);
	if (printable != XF_OK) { /* said before the dialog, not after F2 */
		ui_message(ui, UI_WARN, "%s", err.msg);
		fields_free(&view);
		return;
	}
	bool terminal = ui_terminal_printer();
	const char *keys[] = {"form", "dest", "queue", "file", "format", "encoding"};
	const char *labels[] = {"单据", "打印到", "打印机队列", "文件", "格式", "文本编码"};
	const char *lists[] = {NULL, terminal ? "print_dests_terminal" : "print_dests", NULL, NULL, "print_formats",
	                       "encodings"};
	enum xf_ftype types[] = {XF_F_TEXT, XF_F_CHOICE, XF_F_TEXT, XF_F_TEXT, XF_F_CHOICE, XF_F_CHOICE};
	bool required[] = {false, true, false, false, true, true};
	char *text = fs_small_form("print", "打印", "编号", keys, labels, types, lists, required, 6);
	struct fscreen fs;
	bool opened = fs_open(ui, &fs, NULL, text);
	free(text);
	if (!opened) {
		fields_free(&view);
		return;
	}
	fs_editable(&fs, "dest queue file format encoding");
	struct xf_print_prefs prefs;
	const char *dest = ui_print_prefs(ui, &prefs, terminal);
	char path[600];
	default_file(prefs.file, fields_str(&view, "number"), form, print_format_parse(prefs.format) != XF_FORMAT_TEXT, path,
	             sizeof path);
	fs_set(&fs, "number", fields_str(&view, "number"));
	fs_set(&fs, "form", print_form_title(form));
	fs_set(&fs, "dest", dest);
	fs_set(&fs, "queue", prefs.queue);
	fs_set(&fs, "file", path);
	fs_set(&fs, "format", print_format_parse(prefs.format) == XF_FORMAT_TEXT ? "文本" : "PDF");
	fs_set(&fs, "encoding", prefs.encoding);
	snprintf(fs.hints, sizeof fs.hints, " F2 打印  空格/F3 选择  Tab/回车 下一项  F10 返回");
	fs.leaves_freely = true; /* only asks where to */
	fs.on_leave = ui_print_fields_apply;
	ui_print_queue_help(ui, &fs);
	ui_print_fields_apply(ui, &fs, "dest", NULL);
	for (;;) {
		enum fs_result r = fs_run(ui, &fs);
		if (r != FS_SAVE)
			break;
		const char *chosen = fields_str(&fs.values, "dest"), *enc = fields_str(&fs.values, "encoding");
		const char *file = fields_str(&fs.values, "file"), *queue = fields_str(&fs.values, "queue");
		enum xf_print_format format = strcmp(fields_str(&fs.values, "format"), "文本") == 0 ? XF_FORMAT_TEXT : XF_FORMAT_PDF;
		struct xf_print_report report;
		memset(&report, 0, sizeof report);
		int rc;
		bool to_file = strcmp(chosen, "文件") == 0, to_terminal = strcmp(chosen, "终端打印机") == 0;
		if (to_terminal) {
			rc = print_terminal(ui, id, form, enc, &err);
		} else {
			/* A file named *.pdf or *.txt is that; any other name takes the format chosen (and
			 * the core refuses one that contradicts it, x.csv, with the name to use). */
			struct xf_print_opts opts = {form, enc, to_file ? XF_PRINT_FILE : XF_PRINT_SPOOLER, to_file ? file : queue,
			                             slip_default_page(), NULL, to_file ? print_format_named(file, format) : format,
			                             &report};
			rc = print_case(&ui->s, id, &opts, NULL, &err);
		}
		if (rc != XF_OK) {
			ui_print_failed(ui, err.msg);
			continue;
		}
		if (!ui_remember_print(ui, &prefs, to_terminal ? "terminal" : to_file ? "file" : "printer", queue, format, enc,
		                       to_file ? file : NULL))
			break;
		if (to_file || to_terminal) {
			ui_message(ui, UI_INFO, "%s 已打印到%s%s%s", fields_str(&fs.values, "form"), chosen, to_file ? file : "",
			           to_file ? (report.format == XF_FORMAT_PDF ? "（PDF）" : "（文本）") : "");
		} else {
			char said[512];
			print_report_text(&report, said, sizeof said);
			ui_message(ui, UI_INFO, "%s %s", fields_str(&fs.values, "form"), said);
		}
		break;
	}
	fs_free(&fs);
	fields_free(&view);
}

/* Printing: a case's values for each form, encoding, file and spooler destinations, records. */
#include "xinfang/print.h"
#include "xinfang/fileperm.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xinfang/audit.h"
#include "xinfang/auth.h"
#include "xinfang/branch.h"
#include "xinfang/pdf.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/form.h"
#include "xinfang/identity.h"
#include "xinfang/mask.h"
#include "xinfang/setup.h"
#include "xinfang/store.h"
#include "xinfang/text.h"
#include "xinfang/config.h"

extern char **environ;

const char *const xf_print_forms[] = {"registration", "transfer", "outcome", NULL};

/* The paper name of a form. */
const char *print_form_title(const char *form)
{
	static const char *const titles[] = {"信访登记表", "信访转办单", "处理结果报告单"};
	for (int i = 0; xf_print_forms[i]; i++)
		if (strcmp(xf_print_forms[i], form) == 0)
			return titles[i];
	return form;
}

/* Copies view[from] into out[to]. */
static void copy(struct xf_fields *out, const char *to, const struct xf_fields *view, const char *from)
{
	fields_set(out, to, fields_str(view, from));
}

/* The full name of an account, or the account name. */
static void full_name_of(struct xf_session *s, const char *account, char *out, size_t n)
{
	struct xf_rows rows;
	snprintf(out, n, "%s", account);
	if (store_list(s->st, "operators", "name", account, &rows, NULL) == XF_OK) {
		if (rows.n && *fields_str(&rows.v[0], "full_name"))
			snprintf(out, n, "%s", fields_str(&rows.v[0], "full_name"));
		rows_free(&rows);
	}
}

/* Values of the registration form. */
static void registration_values(const struct xf_fields *view, struct xf_fields *out)
{
	for (size_t i = 0; i < view->n; i++)
		fields_set(out, view->v[i].key, view->v[i].val);
	if (*fields_str(view, "received_time")) {
		char *when = xasprintf("%s %s", fields_str(view, "received"), fields_str(view, "received_time"));
		fields_set(out, "received", when);
		free(when);
	}
}

/* Masks a page going to the case's departments (lead and co-departments) as mask.c says:
 * the same rule whoever prints it, the office head or the department's handler. */
static int mask_for_departments(struct xf_session *s, int64_t id, const struct xf_fields *view,
                                const char *lead, struct xf_fields *out, struct xf_err *err)
{
	char *departments = xasprintf("%s、%s", lead, fields_str(view, "transfer.co_departments"));
	int rc = mask_outgoing(s, id, departments, strcmp(fields_str(view, "transfer.masked"), "1") == 0, out, err);
	free(departments);
	return rc;
}

/* Values of the transfer slip. */
static int transfer_values(struct xf_session *s, int64_t id, const struct xf_fields *view, struct xf_fields *out,
                           struct xf_err *err)
{
	if (atoi(fields_str(view, "transfer.count")) == 0)
		return xf_err_set(err, XF_ESTATE, "%s 尚未批转，没有转办单可打印", fields_str(view, "number"));
	static const char *const same[] = {"number", "name", "phone", "id_number", "channel", "received", "category"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		copy(out, same[i], view, same[i]);
	copy(out, "transfer_date", view, "transfer.transfer_date");
	copy(out, "dept", view, "transfer.department");
	copy(out, "co_depts", view, "transfer.co_departments");
	copy(out, "instruction", view, "transfer.instruction");
	copy(out, "leader", view, "transfer.leader");
	/* The 办理期限 is the case's 周限 in force (an approved extension moves both). */
	copy(out, "deadline", view, *fields_str(view, "due_handle") ? "due_handle" : "transfer.deadline");
	copy(out, "opinion", view, "transfer.opinion");
	copy(out, "handler", view, "transfer.handler");
	copy(out, "summary", view, *fields_str(view, "transfer.summary") ? "transfer.summary" : "summary");
	/* The number's label follows the document (护照号码, not 身份证号 over a passport number). */
	int id_type = identity_type_parse(fields_str(view, "id_type"));
	fields_set(out, "id_label", identity_number_label(id_type < 0 ? XF_ID_OTHER : (enum xf_idtype)id_type));
	char issued[64];
	full_name_of(s, fields_str(view, "transfer.actor"), issued, sizeof issued);
	fields_set(out, "issued_by", issued);
	int rc = mask_for_departments(s, id, view, fields_str(view, "transfer.department"), out, err);
	if (rc == XF_OK && strcmp(fields_str(out, "id_number"), "（保密）") == 0)
		fields_set(out, "id_label", "证件号码"); /* a masked slip names not even the kind of document */
	return rc;
}

/* Values of the outcome report. */
static int outcome_values(struct xf_session *s, int64_t id, const struct xf_fields *view, struct xf_fields *out,
                          struct xf_err *err)
{
	if (atoi(fields_str(view, "outcome.count")) == 0)
		return xf_err_set(err, XF_ESTATE, "%s 尚未报结，没有处理结果报告单可打印", fields_str(view, "number"));
	copy(out, "number", view, "number");
	copy(out, "dept", view, *fields_str(view, "department") ? "department" : "transfer.department");
	copy(out, "summary", view, *fields_str(view, "transfer.summary") ? "transfer.summary" : "summary");
	static const char *const keys[] = {"findings", "accountability", "rectification", "satisfaction",
	                                   "handled_on", "handler", "dept_head", "contact_phone"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char from[64];
		snprintf(from, sizeof from, "outcome.%s", keys[i]);
		copy(out, keys[i], view, from);
	}
	copy(out, "reply_method", view, "reply.method");
	copy(out, "reply_date", view, "reply.replied_on");
	copy(out, "reported_on", view, "reported_on");
	return mask_for_departments(s, id, view, fields_str(out, "dept"), out, err);
}

/* A case's values for one form. */
int print_slip_values(struct xf_session *s, int64_t id, const char *form, struct xf_fields *out,
                      struct xf_err *err)
{
	fields_init(out);
	struct xf_fields view;
	int rc = case_view(s, id, &view, err);
	if (rc != XF_OK)
		return rc;
	if (strcmp(form, "registration") == 0)
		registration_values(&view, out);
	else if (strcmp(form, "transfer") == 0)
		rc = transfer_values(s, id, &view, out, err);
	else if (strcmp(form, "outcome") == 0)
		rc = outcome_values(s, id, &view, out, err);
	else
		rc = xf_err_set(err, XF_EINVAL, "没有“%s”这种单子：可打印 registration（登记表）、transfer（转办单）、outcome（处理结果报告单）",
		                form);
	fields_free(&view);
	/* Nothing stored may send control codes to a printer or a terminal's printer port. */
	for (size_t i = 0; rc == XF_OK && i < out->n; i++) {
		char *safe = text_escape(out->v[i].val, true);
		free(out->v[i].val);
		out->v[i].val = safe;
	}
	if (rc != XF_OK)
		fields_free(out);
	return rc;
}

/* Checks that every value can be written in the encoding, naming the field that cannot. */
static int check_encodable(const struct xf_form *form, const struct xf_fields *values, const char *encoding,
                           struct xf_err *err)
{
	for (size_t i = 0; i < form->nfields; i++) {
		const char *v = fields_str(values, form->fields[i].key);
		char *out;
		size_t bad = 0;
		if (text_convert(v, strlen(v), encoding, &out, NULL, &bad) == XF_OK) {
			free(out);
			continue;
		}
		uint32_t cp;
		size_t k = utf8_decode(v + bad, strlen(v + bad), &cp);
		return xf_err_set(err, XF_EINVAL, "“%s”中的“%.*s”（U+%04X）无法用 %s 编码打印：请改用 GB18030（--encoding GB18030）",
		                  form->fields[i].label, (int)(k ? k : 1), v + bad, k ? cp : 0, encoding);
	}
	return XF_OK;
}

/* True when this form of the case was printed before. */
static int printed_before(struct xf_session *s, int64_t id, const char *form, bool *before, struct xf_err *err)
{
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	struct xf_rows rows;
	int rc = store_list(s->st, "printed_slips", "case_id", cid, &rows, err);
	*before = false;
	for (size_t i = 0; rc == XF_OK && i < rows.n; i++)
		*before = *before || strcmp(fields_str(&rows.v[i], "form"), form) == 0;
	if (rc == XF_OK)
		rows_free(&rows);
	return rc;
}

/* Records a delivered print with its audit event. */
int print_record(struct xf_session *s, int64_t id, const char *form, const char *destination,
                 const char *encoding, struct xf_err *err)
{
	bool before = false;
	int rc = session_begin(s, err);
	if (rc != XF_OK)
		return rc;
	rc = branch_case_id_visible(s, id, err);
	if (rc == XF_OK)
		rc = printed_before(s, id, form, &before, err);
	struct xf_fields rec;
	fields_init(&rec);
	char cid[32], now[20];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	clock_now_iso(now);
	fields_set(&rec, "case_id", cid);
	fields_set(&rec, "form", form);
	fields_set(&rec, "destination", destination);
	fields_set(&rec, "encoding", encoding);
	fields_set(&rec, "reprint", before ? "1" : "0");
	fields_set(&rec, "at", now);
	fields_set(&rec, "actor", s->op.name);
	if (rc == XF_OK)
		rc = store_insert(s->st, "printed_slips", &rec, NULL, err);
	if (rc == XF_OK) {
		char *after = audit_json(&rec);
		rc = store_audit(s->st, s->op.name, "print", id, NULL, after, err);
		free(after);
	}
	fields_free(&rec);
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	if (rc != XF_OK)
		store_rollback(s->st);
	return rc;
}

/* Writes all bytes to fd. */
static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A file destination, replaced whole or not at all: a new file of this account's, renamed
 * over the name only when written (fileperm_out_begin). */
int print_to_file(const char *path, const char *bytes, size_t len, struct xf_err *err)
{
	struct xf_outfile out;
	int rc = fileperm_out_begin(&out, path, "打印文件", 0, NULL, err);
	if (rc != XF_OK)
		return rc;
	if (write_all(out.fd, bytes, len) != 0) {
		rc = fileperm_write_error(err, errno, "打印文件", path);
		fileperm_out_abort(&out);
		return rc;
	}
	return fileperm_out_commit(&out, err);
}

/* Reads what a child writes on fd, keeping the first n-1 bytes. */
static void read_some(int fd, char *out, size_t n)
{
	size_t got = 0;
	ssize_t k;
	char sink[256];
	while ((k = read(fd, got < n - 1 ? out + got : sink, got < n - 1 ? n - 1 - got : sizeof sink)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		if (got < n - 1)
			got += (size_t)k;
	}
	out[got] = '\0';
}

/* The job id in lp's "request id is 信访办-12 (1 file(s))". */
static void parse_job(const char *said, char *job, size_t n)
{
	const char *mark = "request id is ";
	const char *p = strstr(said, mark);
	job[0] = '\0';
	if (p == NULL)
		return;
	p += strlen(mark);
	size_t len = strcspn(p, " \n");
	snprintf(job, n, "%.*s", (int)len, p);
}

/* A spooler destination: lp with an argument vector, the page on its standard input. */
int print_to_spooler(const char *queue, const char *title, bool raw, const char *bytes, size_t len, char *job,
                     size_t jobn, struct xf_err *err)
{
	const char *argv[12];
	int n = 0;
	argv[n++] = "lp";
	if (queue && *queue) {
		argv[n++] = "-d";
		argv[n++] = queue;
	}
	argv[n++] = "-t";
	argv[n++] = title;
	if (raw) {
		argv[n++] = "-o";
		argv[n++] = "raw";
	}
	argv[n++] = "-";
	argv[n] = NULL;
	const char *name = queue && *queue ? queue : "（系统默认打印机）";
	int in[2], outp[2], errp[2];
	if (pipe(in) != 0)
		return xf_err_set(err, XF_EIO, "无法启动 lp：%s", strerror(errno));
	if (pipe(outp) != 0 || pipe(errp) != 0) {
		close(in[0]);
		close(in[1]);
		return xf_err_set(err, XF_EIO, "无法启动 lp：%s", strerror(errno));
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, outp[0]);
	posix_spawn_file_actions_addclose(&fa, errp[0]);
	pid_t pid;
	int rc = posix_spawnp(&pid, "lp", &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(outp[1]);
	close(errp[1]);
	if (rc != 0) {
		close(in[1]);
		close(outp[0]);
		close(errp[0]);
		return xf_err_set(err, XF_EIO, "无法启动打印程序 lp：%s。请安装 cups-client（apt-get install cups-client），或用 --to 文件 先存下",
		                  strerror(rc));
	}
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	int wrote = write_all(in[1], bytes, len);
	close(in[1]);
	signal(SIGPIPE, old);
	char said[512], msg[512];
	read_some(outp[0], said, sizeof said);
	read_some(errp[0], msg, sizeof msg);
	close(outp[0]);
	close(errp[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	msg[strcspn(msg, "\n")] = '\0';
	for (size_t end = strlen(msg); end > 0 && (msg[end - 1] == '.' || msg[end - 1] == ' '); end--)
		msg[end - 1] = '\0'; /* lp ends with a full stop; the message goes on after it */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && wrote == 0) {
		if (job)
			parse_job(said, job, jobn);
		return XF_OK;
	}
	if (WIFEXITED(status))
		return xf_err_set(err, XF_EIO, "打印机 %s 没有接受（lp 退出码 %d）%s%s。%s 未打印：检查打印机（lpstat -p）后重打，或用 --to 文件 先存下",
		                  name, WEXITSTATUS(status), *msg ? "：" : "", msg, title);
	return xf_err_set(err, XF_EIO, "送往打印机 %s 的 lp 被中止。%s 未打印，可检查打印机后重打", name, title);
}

/* The format named by a word. */
enum xf_print_format print_format_parse(const char *name)
{
	if (name && (strcasecmp(name, "pdf") == 0))
		return XF_FORMAT_PDF;
	if (name && (strcasecmp(name, "text") == 0 || strcmp(name, "文本") == 0))
		return XF_FORMAT_TEXT;
	return XF_FORMAT_AUTO;
}

/* The word of a format. */
const char *print_format_name(enum xf_print_format format)
{
	return format == XF_FORMAT_TEXT ? "text" : "pdf";
}

/* Refuses a file name that contradicts the page's format. */
int print_check_file_name(const char *path, enum xf_print_format format, const char *what, const char *text_advice,
                          struct xf_err *err)
{
	return format == XF_FORMAT_PDF ? fileperm_check_extension(path, "pdf", false, what, "请存为 .pdf 文件", err)
	                               : fileperm_check_extension(path, "txt", false, what, text_advice, err);
}

/* PDF for a *.pdf file name, else text. */
enum xf_print_format print_format_for_file(const char *path)
{
	return print_format_named(path, XF_FORMAT_TEXT);
}

/* The format a file is written in at the desk: a name ending .pdf or .txt says it, any other
 * name takes the format chosen. */
enum xf_print_format print_format_named(const char *path, enum xf_print_format chosen)
{
	size_t n = path ? strlen(path) : 0;
	if (n > 4 && strcasecmp(path + n - 4, ".pdf") == 0)
		return XF_FORMAT_PDF;
	if (n > 4 && strcasecmp(path + n - 4, ".txt") == 0)
		return XF_FORMAT_TEXT;
	return chosen;
}

/* True when the encoding is one a slip can be printed in. */
static bool known_encoding(const char *e)
{
	return strcasecmp(e, "GB18030") == 0 || strcasecmp(e, "UTF-8") == 0 || strcasecmp(e, "GBK") == 0;
}

/* Copies a setting into out when it is set. */
static int setting_into(struct xf_session *s, const char *key, char *out, size_t n, struct xf_err *err)
{
	char *v;
	int rc = store_setting_get(s->st, key, &v, err);
	if (rc == XF_OK && v)
		snprintf(out, n, "%s", v);
	free(v);
	return rc;
}

/* The settings key of one of an office's printing defaults: the store's own branch keeps
 * "print.KEY", another branch "print.KEY@ID" (an account's name has no '@', so no operator's
 * remembered choice "print.KEY.NAME" is one), so each branch's admin sets their office's. */
static void office_key(const struct xf_session *s, const char *key, bool own, char *out, size_t n)
{
	if (own || s->op.branch <= XF_BRANCH_OWN)
		snprintf(out, n, "print.%s", key);
	else
		snprintf(out, n, "print.%s@%lld", key, (long long)s->op.branch);
}

/* Copies an office default into out: the store's, then the account's branch's own over it. */
static int office_setting_into(struct xf_session *s, const char *key, char *out, size_t n, struct xf_err *err)
{
	char name[64];
	office_key(s, key, true, name, sizeof name);
	int rc = setting_into(s, name, out, n, err);
	if (rc == XF_OK && s->op.branch > XF_BRANCH_OWN) {
		office_key(s, key, false, name, sizeof name);
		rc = setting_into(s, name, out, n, err);
	}
	return rc;
}

/* The printing defaults of the account's office (its branch; the store's where it set none). */
int print_office_prefs(struct xf_session *s, struct xf_print_prefs *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	snprintf(out->dest, sizeof out->dest, "printer");
	snprintf(out->format, sizeof out->format, "pdf");
	snprintf(out->encoding, sizeof out->encoding, "GB18030");
	int rc = office_setting_into(s, "queue", out->queue, sizeof out->queue, err);
	if (rc == XF_OK)
		rc = office_setting_into(s, "format", out->format, sizeof out->format, err);
	if (rc == XF_OK)
		rc = office_setting_into(s, "encoding", out->encoding, sizeof out->encoding, err);
	snprintf(out->line_end, sizeof out->line_end, "lf");
	if (rc == XF_OK)
		rc = office_setting_into(s, "line_end", out->line_end, sizeof out->line_end, err);
	return rc;
}

/* True when text pages end their lines in CR LF: $XINFANG_CRLF, else the office's setting. */
bool print_wants_crlf(struct xf_session *s)
{
	const char *env = getenv("XINFANG_CRLF");
	if (env && *env)
		return strcmp(env, "0") != 0;
	struct xf_print_prefs office;
	struct xf_err err;
	return print_office_prefs(s, &office, &err) == XF_OK && strcmp(office.line_end, "crlf") == 0;
}

/* Every LF of the bytes becomes CR LF (no encoding the pages use has 0x0A inside a character). */
void print_crlf_apply(char **bytes, size_t *len)
{
	struct xf_buf b;
	buf_init(&b);
	for (size_t i = 0; i < *len; i++) {
		if ((*bytes)[i] == '\n' && (i == 0 || (*bytes)[i - 1] != '\r'))
			buf_add(&b, "\r", 1);
		buf_add(&b, *bytes + i, 1);
	}
	buf_puts(&b, "");
	free(*bytes);
	*bytes = b.data;
	*len = b.len;
}

/* The spooler's job title in ASCII: "xinfang-2026-0001-registration". */
char *print_job_title(const char *number, const char *what)
{
	int year = 0, seq = 0;
	struct xf_err err;
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "xinfang");
	if (number && *number && case_parse_number(number, &year, &seq, &err) == XF_OK)
		buf_printf(&b, "-%04d-%04d", year, seq);
	if (what && *what)
		buf_printf(&b, "-%s", what);
	/* Whatever else came in (it should not), only letters, digits, - and _ stay. */
	for (size_t i = 0; i < b.len; i++)
		if (!((b.data[i] >= '0' && b.data[i] <= '9') || (b.data[i] >= 'a' && b.data[i] <= 'z') ||
		      (b.data[i] >= 'A' && b.data[i] <= 'Z') || b.data[i] == '-' || b.data[i] == '_'))
			b.data[i] = '_';
	return b.data;
}

/* Sets one of the printing defaults of the account's office (its branch), with its audit event. */
int print_office_set(struct xf_session *s, const char *key, const char *value, struct xf_err *err)
{
	if (!auth_require(s, 0, "设定办公室的默认打印机", err))
		return err->code;
	if (strcmp(key, "format") == 0) {
		if (print_format_parse(value) == XF_FORMAT_AUTO)
			return xf_err_set(err, XF_EINVAL, "打印格式“%s”不认识：可选 pdf（激光/喷墨打印机、PDF 队列）或 text（针式打印机的原始队列）", value);
		value = print_format_name(print_format_parse(value));
	} else if (strcmp(key, "encoding") == 0) {
		if (!known_encoding(value))
			return xf_err_set(err, XF_EINVAL, "打印编码“%s”不支持：可选 GB18030、UTF-8、GBK", value);
	} else if (strcmp(key, "queue") == 0) {
		for (const char *p = value; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == '/' || *p == '#' || *p == ' ')
				return xf_err_set(err, XF_EINVAL, "打印机队列名“%s”不对：不能含空格、/、# 或控制字符（lpstat -p 列出本机的队列）", value);
	} else if (strcmp(key, "line_end") == 0) {
		if (strcasecmp(value, "lf") != 0 && strcasecmp(value, "crlf") != 0)
			return xf_err_set(err, XF_EINVAL, "行尾“%s”不认识：可选 lf（一般打印机）或 crlf（要求回车换行的 PCL 等打印机）", value);
		value = strcasecmp(value, "crlf") == 0 ? "crlf" : "lf";
	} else {
		return xf_err_set(err, XF_EINVAL, "没有打印设定“%s”：可设 queue（打印机队列）、format（pdf|text）、encoding（GB18030|UTF-8|GBK）、line_end（lf|crlf）", key);
	}
	char name[64], *old = NULL;
	office_key(s, key, false, name, sizeof name);
	int rc = session_begin(s, err);
	if (rc != XF_OK)
		return rc;
	rc = store_setting_get(s->st, name, &old, err);
	if (rc == XF_OK)
		rc = store_setting_set(s->st, name, value, err);
	if (rc == XF_OK) {
		struct xf_fields before, after;
		fields_init(&before);
		fields_init(&after);
		if (old)
			fields_set(&before, name, old);
		fields_set(&after, name, value);
		char *b = audit_json(&before), *a = audit_json(&after);
		rc = store_audit(s->st, s->op.name, "printer_set", 0, b, a, err);
		free(b);
		free(a);
		fields_free(&before);
		fields_free(&after);
	}
	free(old);
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	if (rc != XF_OK)
		store_rollback(s->st);
	return rc;
}

/* The keys of an operator's remembered choice, in the order of struct xf_print_prefs. */
static const char *const operator_keys[] = {"dest", "queue", "format", "encoding", "file"};

/* The field of prefs that a key names, and its size. */
static char *prefs_field(struct xf_print_prefs *p, size_t i, size_t *n)
{
	char *fields[] = {p->dest, p->queue, p->format, p->encoding, p->file};
	size_t sizes[] = {sizeof p->dest, sizeof p->queue, sizeof p->format, sizeof p->encoding, sizeof p->file};
	*n = sizes[i];
	return fields[i];
}

/* The operator's last choice, over the office's defaults. */
int print_operator_prefs(struct xf_session *s, struct xf_print_prefs *out, struct xf_err *err)
{
	int rc = print_office_prefs(s, out, err);
	for (size_t i = 0; rc == XF_OK && i < sizeof operator_keys / sizeof operator_keys[0]; i++) {
		char key[160];
		size_t n;
		char *field = prefs_field(out, i, &n);
		snprintf(key, sizeof key, "print.%s.%s", operator_keys[i], s->op.name);
		rc = setting_into(s, key, field, n, err);
	}
	return rc;
}

/* Remembers the operator's choice. */
int print_operator_remember(struct xf_session *s, const struct xf_print_prefs *prefs, struct xf_err *err)
{
	struct xf_print_prefs copy = *prefs;
	int rc = session_begin(s, err);
	for (size_t i = 0; rc == XF_OK && i < sizeof operator_keys / sizeof operator_keys[0]; i++) {
		char key[160];
		size_t n;
		const char *field = prefs_field(&copy, i, &n);
		snprintf(key, sizeof key, "print.%s.%s", operator_keys[i], s->op.name);
		rc = store_setting_set(s->st, key, field, err);
	}
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	else
		store_rollback(s->st);
	return rc;
}

/* Says where a print went. */
void print_report_text(const struct xf_print_report *r, char *out, size_t n)
{
	if (*r->job)
		snprintf(out, n, "已送%s，作业 %s", r->where, r->job);
	else
		snprintf(out, n, "已送%s", r->where);
}

/* The queue a print goes to. */
int print_queue(struct xf_session *s, const char *asked, char *out, size_t n, struct xf_err *err)
{
	const char *env = config_get("printer"); /* the configuration's layers, XINFANG_PRINTER among them */
	if (asked && *asked) {
		snprintf(out, n, "%s", asked);
		return XF_OK;
	}
	if (env && *env) {
		snprintf(out, n, "%s", env);
		return XF_OK;
	}
	struct xf_print_prefs office;
	int rc = print_office_prefs(s, &office, err);
	snprintf(out, n, "%s", rc == XF_OK ? office.queue : "");
	return rc;
}

/* The encoding and format a print takes: what the caller asked, else the office's setting
 * for a spooler, the file's name for a file, text for the terminal; PDF when still open. */
int print_resolve(struct xf_session *s, const struct xf_print_opts *opts, char *encoding, size_t size,
                  enum xf_print_format *format, struct xf_err *err)
{
	struct xf_print_prefs office;
	int rc = print_office_prefs(s, &office, err);
	if (rc != XF_OK)
		return rc;
	const char *chosen = opts->encoding && *opts->encoding ? opts->encoding : office.encoding;
	if (!known_encoding(chosen))
		return xf_err_set(err, XF_EINVAL, "打印编码“%s”不支持：可选 GB18030、UTF-8、GBK", chosen);
	snprintf(encoding, size, "%s", chosen);
	*format = opts->format;
	if (*format == XF_FORMAT_AUTO)
		*format = opts->dest == XF_PRINT_SPOOLER ? print_format_parse(*config_get("format") ? config_get("format") : office.format)
		          : opts->dest == XF_PRINT_FILE  ? print_format_for_file(opts->target)
		                                         : XF_FORMAT_TEXT;
	if (*format == XF_FORMAT_AUTO)
		*format = XF_FORMAT_PDF;
	return XF_OK;
}

/* Lays out, encodes, delivers and records one form of a case. */
int print_case(struct xf_session *s, int64_t id, const struct xf_print_opts *opts, struct xf_buf *bytes,
               struct xf_err *err)
{
	char encoding[16];
	enum xf_print_format format;
	int rc = print_resolve(s, opts, encoding, sizeof encoding, &format, err);
	/* Before anything is laid out: a slip in x.csv or x.xlsx would open in Excel as garbage. */
	if (rc == XF_OK && opts->dest == XF_PRINT_FILE)
		rc = print_check_file_name(opts->target, format, format == XF_FORMAT_PDF ? " PDF 单据" : "文本单据",
		                           "文本请存为 .txt 文件，PDF 存为 .pdf 文件", err);
	if (rc != XF_OK)
		return rc;
	struct xf_form form;
	rc = form_load(opts->forms_dir ? opts->forms_dir : form_dir(), opts->form, &form, err);
	if (rc != XF_OK)
		return rc;
	struct xf_fields values;
	rc = print_slip_values(s, id, opts->form, &values, err);
	bool reprint = false;
	if (rc == XF_OK && format == XF_FORMAT_TEXT)
		rc = check_encodable(&form, &values, encoding, err);
	if (rc == XF_OK)
		rc = printed_before(s, id, opts->form, &reprint, err);
	struct xf_buf page;
	buf_init(&page);
	char *encoded = NULL;
	size_t len = 0;
	if (rc == XF_OK) {
		char now[20], who[64];
		clock_now_iso(now);
		now[16] = '\0';
		snprintf(who, sizeof who, "%s", *s->op.full_name ? s->op.full_name : s->op.name);
		struct xf_slip_meta meta = {fields_str(&values, "number"), now, who, reprint, setup_is_training(s->st)};
		if (format == XF_FORMAT_PDF) {
			rc = pdf_render(&form, &values, &meta, &page, err);
			if (rc == XF_OK) {
				len = page.len;
				encoded = xmalloc(len + 1);
				memcpy(encoded, page.data, len);
			}
		} else {
			rc = slip_render(&form, &values, &meta, slip_device_for(encoding), &opts->page, &page, err);
			if (rc == XF_OK && text_convert(page.data, page.len, encoding, &encoded, &len, NULL) != XF_OK)
				rc = xf_err_set(err, XF_EINVAL, "表单 %s 的版面文字无法用 %s 编码", form.name, encoding);
			if (rc == XF_OK && print_wants_crlf(s))
				print_crlf_apply(&encoded, &len);
		}
	}
	struct xf_print_report report;
	memset(&report, 0, sizeof report);
	report.format = format;
	const char *recorded = format == XF_FORMAT_PDF ? "PDF" : encoding;
	if (rc == XF_OK) {
		switch (opts->dest) {
		case XF_PRINT_FILE:
			rc = print_to_file(opts->target, encoded, len, err);
			snprintf(report.where, sizeof report.where, "文件 %s", opts->target);
			break;
		case XF_PRINT_SPOOLER: {
			char queue[128];
			rc = print_queue(s, opts->target, queue, sizeof queue, err);
			if (rc != XF_OK)
				break;
			char *title = print_job_title(fields_str(&values, "number"), opts->form);
			rc = print_to_spooler(queue, title, format == XF_FORMAT_TEXT, encoded, len, report.job,
			                      sizeof report.job, err);
			free(title);
			snprintf(report.where, sizeof report.where, "%s%s", *queue ? "打印机 " : "系统默认打印机", queue);
			break;
		}
		case XF_PRINT_CALLER:
		default:
			if (bytes)
				buf_add(bytes, encoded, len);
			break;
		}
	}
	if (rc == XF_OK && opts->dest != XF_PRINT_CALLER) {
		char *desc = *report.job ? xasprintf("%s（作业 %s）", report.where, report.job) : xstrdup(report.where);
		rc = print_record(s, id, opts->form, desc, recorded, err);
		free(desc);
	}
	if (rc == XF_OK && opts->report)
		*opts->report = report;
	free(encoded);
	buf_free(&page);
	fields_free(&values);
	form_free(&form);
	return rc;
}

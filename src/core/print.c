/* Printing: a case's values for each form, encoding, file and spooler destinations, records. */
#include "xinfang/print.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xinfang/audit.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/form.h"
#include "xinfang/setup.h"
#include "xinfang/store.h"
#include "xinfang/text.h"

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

static const char *const identity_keys[] = {"name", "id_number", "phone", "address", "work_unit"};

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

/* Values of the transfer slip. */
static int transfer_values(struct xf_session *s, const struct xf_fields *view, struct xf_fields *out,
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
	copy(out, "deadline", view, "transfer.deadline");
	copy(out, "opinion", view, "transfer.opinion");
	copy(out, "handler", view, "transfer.handler");
	copy(out, "summary", view, *fields_str(view, "transfer.summary") ? "transfer.summary" : "summary");
	char issued[64];
	full_name_of(s, fields_str(view, "transfer.actor"), issued, sizeof issued);
	fields_set(out, "issued_by", issued);
	if (strcmp(fields_str(view, "transfer.masked"), "1") == 0)
		for (size_t i = 0; i < sizeof identity_keys / sizeof identity_keys[0]; i++)
			fields_set(out, identity_keys[i], "（保密）");
	return XF_OK;
}

/* Values of the outcome report. */
static int outcome_values(const struct xf_fields *view, struct xf_fields *out, struct xf_err *err)
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
	return XF_OK;
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
		rc = transfer_values(s, &view, out, err);
	else if (strcmp(form, "outcome") == 0)
		rc = outcome_values(&view, out, err);
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
	bool before;
	int rc = store_begin(s->st, err);
	if (rc != XF_OK)
		return rc;
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

/* A file destination, replaced whole or not at all. */
int print_to_file(const char *path, const char *bytes, size_t len, struct xf_err *err)
{
	char *tmp = xasprintf("%s.tmp-%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		int rc = xf_err_set(err, XF_EIO, "无法写入打印文件 %s：%s。请换一个位置（--to 文件）", path, strerror(errno));
		free(tmp);
		return rc;
	}
	int failed = write_all(fd, bytes, len) != 0 || fsync(fd) != 0;
	int saved = errno;
	failed = close(fd) != 0 || failed;
	if (!failed && rename(tmp, path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		unlink(tmp);
		free(tmp);
		if (saved == ENOSPC)
			return xf_err_set(err, XF_EIO, "磁盘已满，打印文件 %s 未写成（原有文件未动）：请清理磁盘后重试", path);
		return xf_err_set(err, XF_EIO, "写入打印文件 %s 失败：%s", path, strerror(saved));
	}
	free(tmp);
	return XF_OK;
}

/* A spooler destination: `sh -c COMMAND` with the page on stdin. */
int print_to_spooler(const char *command, const char *bytes, size_t len, struct xf_err *err)
{
	int in[2], errp[2];
	if (pipe(in) != 0 || pipe(errp) != 0)
		return xf_err_set(err, XF_EIO, "无法启动打印命令：%s", strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, errp[0]);
	char *argv[] = {"sh", "-c", (char *)command, NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(errp[1]);
	if (rc != 0) {
		close(in[1]);
		close(errp[0]);
		return xf_err_set(err, XF_EIO, "无法启动打印命令“%s”：%s", command, strerror(rc));
	}
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	int wrote = write_all(in[1], bytes, len);
	close(in[1]);
	signal(SIGPIPE, old);
	char msg[400];
	size_t got = 0;
	ssize_t n;
	while ((n = read(errp[0], msg + got, sizeof msg - 1 - got)) > 0 && got < sizeof msg - 1)
		got += (size_t)n;
	while (n > 0)
		n = read(errp[0], (char[256]){0}, 256);
	msg[got] = '\0';
	close(errp[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	msg[strcspn(msg, "\n")] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && wrote == 0)
		return XF_OK;
	if (WIFEXITED(status))
		return xf_err_set(err, XF_EIO, "打印命令“%s”失败（退出码 %d）%s%s。单子未打印，可检查打印机后重打，或用 --to 文件 先存下",
		                  command, WEXITSTATUS(status), *msg ? "：" : "", msg);
	return xf_err_set(err, XF_EIO, "打印命令“%s”被中止。单子未打印，可检查打印机后重打", command);
}

/* The default spooler command. */
static const char *default_spooler(void)
{
	const char *env = getenv("XINFANG_PRINTER");
	return env && *env ? env : "lp";
}

/* Lays out, encodes, delivers and records one form of a case. */
int print_case(struct xf_session *s, int64_t id, const struct xf_print_opts *opts, struct xf_buf *bytes,
               struct xf_err *err)
{
	const char *encoding = opts->encoding ? opts->encoding : "GB18030";
	if (strcasecmp(encoding, "GB18030") != 0 && strcasecmp(encoding, "UTF-8") != 0 && strcasecmp(encoding, "GBK") != 0)
		return xf_err_set(err, XF_EINVAL, "打印编码“%s”不支持：可选 GB18030、UTF-8、GBK", encoding);
	struct xf_form form;
	int rc = form_load(opts->forms_dir ? opts->forms_dir : form_dir(), opts->form, &form, err);
	if (rc != XF_OK)
		return rc;
	struct xf_fields values;
	rc = print_slip_values(s, id, opts->form, &values, err);
	bool reprint = false;
	if (rc == XF_OK)
		rc = check_encodable(&form, &values, encoding, err);
	if (rc == XF_OK)
		rc = printed_before(s, id, opts->form, &reprint, err);
	struct xf_buf page;
	buf_init(&page);
	if (rc == XF_OK) {
		char now[20], who[64];
		clock_now_iso(now);
		now[16] = '\0';
		snprintf(who, sizeof who, "%s", *s->op.full_name ? s->op.full_name : s->op.name);
		struct xf_slip_meta meta = {fields_str(&values, "number"), now, who, reprint, setup_is_training(s->st)};
		rc = slip_render(&form, &values, &meta, slip_device_for(encoding), &opts->page, &page, err);
	}
	char *encoded = NULL;
	size_t len = 0;
	if (rc == XF_OK && text_convert(page.data, page.len, encoding, &encoded, &len, NULL) != XF_OK)
		rc = xf_err_set(err, XF_EINVAL, "表单 %s 的版面文字无法用 %s 编码", form.name, encoding);
	const char *where = "";
	char *desc = NULL;
	if (rc == XF_OK) {
		switch (opts->dest) {
		case XF_PRINT_FILE:
			rc = print_to_file(opts->target, encoded, len, err);
			desc = xasprintf("文件 %s", opts->target);
			break;
		case XF_PRINT_SPOOLER:
			where = opts->target && *opts->target ? opts->target : default_spooler();
			rc = print_to_spooler(where, encoded, len, err);
			desc = xasprintf("打印命令 %s", where);
			break;
		case XF_PRINT_CALLER:
		default:
			if (bytes)
				buf_add(bytes, encoded, len);
			break;
		}
	}
	if (rc == XF_OK && desc != NULL)
		rc = print_record(s, id, opts->form, desc, encoding, err);
	free(desc);
	free(encoded);
	buf_free(&page);
	fields_free(&values);
	form_free(&form);
	return rc;
}

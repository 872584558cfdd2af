/* The limits engine: rules, due dates on the holiday calendar, nearing and overdue. */
#include "xinfang/limits.h"
#include "xinfang/statutory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_keys[] = {"transfer", "handle", "reply"};
static const char *const kind_labels[] = {"批转时限", "周限", "月限"};
static const char *const unit_keys[] = {"day", "workday", "month"};
static const char *const unit_labels[] = {"自然日", "工作日", "月"};

/* Key of a limit kind. */
const char *limits_kind_key(enum xf_limit_kind kind) { return kind_keys[kind]; }
/* Chinese name of a limit kind. */
const char *limits_kind_label(enum xf_limit_kind kind) { return kind_labels[kind]; }
/* Key of a unit. */
const char *limits_unit_key(enum xf_unit unit) { return unit_keys[unit]; }
/* Chinese name of a unit. */
const char *limits_unit_label(enum xf_unit unit) { return unit_labels[unit]; }

/* Index of s in a table of n keys, or -1. */
static int key_index(const char *const *keys, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (s != NULL && strcmp(keys[i], s) == 0)
			return i;
	return -1;
}

/* Parses a limit kind key. */
int limits_kind_parse(const char *s) { return key_index(kind_keys, XF_LIMIT_COUNT, s); }
/* Parses a unit key. */
int limits_unit_parse(const char *s) { return key_index(unit_keys, 3, s); }

/* Appends a rule. */
void limits_add_rule(struct xf_rules *r, const struct xf_rule *rule)
{
	r->rules = xrealloc(r->rules, (r->n + 1) * sizeof *r->rules);
	r->rules[r->n++] = *rule;
}

/* Releases the rules. */
void limits_free(struct xf_rules *r)
{
	free(r->rules);
	free(r->sets);
	memset(r, 0, sizeof *r);
}

/* Splits a line into at most max whitespace-separated words (modifies line). */
static int split_words(char *line, char **words, int max)
{
	int n = 0;
	char *save = NULL;
	for (char *w = strtok_r(line, " \t\r", &save); w && n < max; w = strtok_r(NULL, " \t\r", &save))
		words[n++] = w;
	return n;
}

/* Parses one non-comment line of limits.txt. */
static int parse_rule_line(char *line, const char *label, int lineno, struct xf_rules *out, struct xf_err *err)
{
	char *w[6];
	int n = split_words(line, w, 6);
	if (n == 0)
		return XF_OK;
	if (strcmp(w[0], "ruleset") == 0) {
		if (n < 3)
			return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：应写“ruleset 名称 说明”", label, lineno);
		out->sets = xrealloc(out->sets, (out->nsets + 1) * sizeof *out->sets);
		struct xf_ruleset *s = &out->sets[out->nsets++];
		snprintf(s->name, sizeof s->name, "%s", w[1]);
		snprintf(s->label, sizeof s->label, "%s", w[2]);
		return XF_OK;
	}
	if (strcmp(w[0], "use") == 0 && n == 2) {
		snprintf(out->active, sizeof out->active, "%s", w[1]);
		return XF_OK;
	}
	if (strcmp(w[0], "warn") == 0 && n == 3) {
		int k = limits_kind_parse(w[1]);
		int days = atoi(w[2]);
		if (k < 0 || days < 0 || days > 365)
			return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：应写“warn transfer|handle|reply 天数”", label, lineno);
		out->warn_days[k] = days;
		return XF_OK;
	}
	if (n != 5)
		return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：规则应有五项：规则集 时限 类别 单位 长度", label, lineno);
	struct xf_rule rule;
	memset(&rule, 0, sizeof rule);
	int kind = limits_kind_parse(w[1]);
	int unit = limits_unit_parse(w[3]);
	char *end;
	long len = strtol(w[4], &end, 10);
	if (kind < 0)
		return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：时限“%s”不认识，应为 transfer、handle 或 reply", label, lineno, w[1]);
	if (unit < 0)
		return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：单位“%s”不认识，应为 day、workday 或 month", label, lineno, w[3]);
	if (*end != '\0' || len < 0 || len > 1000)
		return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：长度“%s”应是 0 到 1000 的整数", label, lineno, w[4]);
	bool known = false;
	for (size_t i = 0; i < out->nsets; i++)
		known = known || strcmp(out->sets[i].name, w[0]) == 0;
	if (!known)
		return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：规则集“%s”未用 ruleset 声明", label, lineno, w[0]);
	snprintf(rule.ruleset, sizeof rule.ruleset, "%s", w[0]);
	rule.kind = (enum xf_limit_kind)kind;
	snprintf(rule.category, sizeof rule.category, "%s", strcmp(w[2], "*") == 0 ? "" : w[2]);
	rule.unit = (enum xf_unit)unit;
	rule.length = (int)len;
	limits_add_rule(out, &rule);
	return XF_OK;
}

/* Parses data/limits.txt. */
int limits_parse(const char *text, const char *label, struct xf_rules *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	out->warn_days[XF_LIMIT_TRANSFER] = 1;
	out->warn_days[XF_LIMIT_HANDLE] = 2;
	out->warn_days[XF_LIMIT_REPLY] = 5;
	int lineno = 0;
	for (const char *p = text; *p;) {
		lineno++;
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *line = xstrndup(p, len);
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		int rc = parse_rule_line(line, label, lineno, out, err);
		free(line);
		if (rc != XF_OK) {
			limits_free(out);
			return rc;
		}
		p = eol ? eol + 1 : p + len;
	}
	if (out->active[0] == '\0' && out->nsets > 0)
		snprintf(out->active, sizeof out->active, "%s", out->sets[0].name);
	for (int k = 0; k < XF_LIMIT_COUNT; k++) {
		if (limits_rule_for(out, out->active, (enum xf_limit_kind)k, "") == NULL) {
			int rc = xf_err_set(err, XF_EINVAL, "%s：规则集“%s”缺少 %s 的通用规则（类别写 *）", label,
			                    out->active, kind_keys[k]);
			limits_free(out);
			return rc;
		}
	}
	return XF_OK;
}

/* The rule for a category, falling back to the set's general rule. */
const struct xf_rule *limits_rule_for(const struct xf_rules *r, const char *ruleset, enum xf_limit_kind kind,
                                      const char *category)
{
	const struct xf_rule *general = NULL;
	for (size_t i = 0; i < r->n; i++) {
		const struct xf_rule *x = &r->rules[i];
		if (x->kind != kind || strcmp(x->ruleset, ruleset) != 0)
			continue;
		if (x->category[0] == '\0')
			general = x;
		else if (category != NULL && strcmp(x->category, category) == 0)
			return x;
	}
	return general;
}

/* Working day test; with `estimate`, unknown years fall back to weekends and statutory holidays. */
static int is_workday(const struct xf_calendar *cal, int day, bool estimate, bool *work, bool *estimated,
                      struct xf_err *err)
{
	int rc = calendar_is_workday(cal, day, work, err);
	if (rc == XF_ECALENDAR && estimate) {
		*work = statutory_is_workday(day);
		*estimated = true;
		return XF_OK;
	}
	return rc;
}

/* Shared body of limits_due and limits_due_or_estimate. */
static int compute_due(const struct xf_calendar *cal, int received, enum xf_unit unit, int length, int *due,
                       bool estimate, bool *estimated, struct xf_err *err)
{
	bool work;
	int day = received;
	int rc;
	switch (unit) {
	case XF_UNIT_WORKDAY:
		for (int counted = 0; counted < length;) {
			day++;
			if ((rc = is_workday(cal, day, estimate, &work, estimated, err)) != XF_OK)
				return rc;
			if (work)
				counted++;
		}
		break;
	case XF_UNIT_MONTH:
		day = date_add_months(received, length);
		break;
	case XF_UNIT_DAY:
	default:
		day = received + length;
		break;
	}
	for (int guard = 0; guard < 60; guard++) {
		if ((rc = is_workday(cal, day, estimate, &work, estimated, err)) != XF_OK)
			return rc;
		if (work) {
			*due = day;
			return XF_OK;
		}
		day++;
	}
	return xf_err_set(err, XF_ECALENDAR, "节假日日历有误：连续 60 天没有工作日，请管理员检查日历文件");
}

/* Strict due date: an unknown year is an error. */
int limits_due(const struct xf_calendar *cal, int received, enum xf_unit unit, int length, int *due,
               struct xf_err *err)
{
	bool estimated = false;
	return compute_due(cal, received, unit, length, due, false, &estimated, err);
}

/* Due date, estimated from weekends where the calendar lacks a year. */
int limits_due_or_estimate(const struct xf_calendar *cal, int received, enum xf_unit unit, int length,
                           int *due, bool *estimated, struct xf_err *err)
{
	*estimated = false;
	struct xf_err why;
	xf_err_clear(&why);
	int rc = compute_due(cal, received, unit, length, due, false, estimated, &why);
	if (rc == XF_ECALENDAR)
		rc = compute_due(cal, received, unit, length, due, true, estimated, NULL);
	if (err != NULL) {
		*err = why;
		if (rc == XF_OK && *estimated) {
			/* Said to whoever registered: which year is missing and what follows, in words
			 * that name no command (the clerk at the desk cannot load a calendar). */
			int year = date_year(*due);
			for (int day = received; day <= *due; day++)
				if (!calendar_knows(cal, day)) {
					year = date_year(day);
					break;
				}
			xf_err_set(err, XF_OK, "%d 年的节假日日历尚未导入，时限暂按周末和法定节日推算，导入后自动重算", year);
		}
	}
	return rc;
}

/* The states (keys) in which each limit is still pending, and the column its step sets. */
static const char *const pending_states[XF_LIMIT_COUNT][4] = {
	{"queued", NULL},
	{"queued", "transferred", NULL},
	{"queued", "transferred", "reported", NULL},
};
static const char *const due_columns[XF_LIMIT_COUNT] = {"due_transfer", "due_handle", "due_reply"};
static const char *const done_columns[XF_LIMIT_COUNT] = {"transferred_on", "reported_on", "replied_on"};

/* Which date a case's limit runs to, and whether it runs at all. */
enum xf_limit_state limits_case_limit(const struct xf_fields *row, enum xf_limit_kind kind, const char **due,
                                      const char **done)
{
	const char *state = fields_str(row, "state");
	if (due != NULL)
		*due = fields_str(row, due_columns[kind]);
	if (done != NULL)
		*done = fields_str(row, done_columns[kind]);
	for (int i = 0; pending_states[kind][i] != NULL; i++)
		if (strcmp(state, pending_states[kind][i]) == 0)
			return XF_LS_RUNNING;
	return *fields_str(row, done_columns[kind]) ? XF_LS_MET : XF_LS_ENDED;
}

/* A case's limit as words. */
void limits_case_text(const struct xf_fields *row, enum xf_limit_kind kind, int today, char *out, size_t n)
{
	const char *due, *done;
	int d;
	switch (limits_case_limit(row, kind, &due, &done)) {
	case XF_LS_ENDED:
		snprintf(out, n, "%s", strcmp(fields_str(row, "state"), "closed") == 0 ? "已办结" : "不再计时");
		return;
	case XF_LS_MET:
		snprintf(out, n, "%s（已于 %s 完成）", due, done);
		return;
	case XF_LS_RUNNING:
	default:
		if (date_parse(due, &d, NULL) != XF_OK) {
			snprintf(out, n, "%s", due);
			return;
		}
		snprintf(out, n, d < today ? "%s（超期 %d 天）" : "%s（还剩 %d 天）", due, d < today ? today - d : d - today);
		return;
	}
}

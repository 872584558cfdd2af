/* Statistics: the figures of a period, their definitions, the warning levels, and the page
 * with bar charts (on screen, printed, as CSV). */
#include "xinfang/report.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xinfang/audit.h"
#include "xinfang/branch.h"
#include "xinfang/calendar.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/csv.h"
#include "xinfang/fileperm.h"
#include "xinfang/paths.h"
#include "xinfang/pdf_report.h"
#include "xinfang/setup.h"
#include "xinfang/slip.h"
#include "xinfang/store.h"
#include "xinfang/text.h"
#include "xinfang/config.h"

static const char *const axis_keys[XF_AXIS_COUNT] = {"channel",    "category",    "department", "importance",
                                                     "state",      "jrt_channel", "jrt_type",   "jrt_cause"};
static const char *const axis_labels[XF_AXIS_COUNT] = {"渠道",  "类别", "承办部门", "重要程度",
                                                       "状态", "JR/T 业务渠道", "JR/T 业务类型", "JR/T 投诉原因"};

/* Key of an axis. */
const char *report_axis_key(enum xf_stats_axis axis) { return axis_keys[axis]; }
/* Chinese name of an axis. */
const char *report_axis_label(enum xf_stats_axis axis) { return axis_labels[axis]; }

/* Axis from its key, "dept" or its Chinese name. */
int report_axis_parse(const char *s)
{
	if (s && strcmp(s, "dept") == 0)
		return XF_AXIS_DEPARTMENT;
	if (s && (strcmp(s, "jrt") == 0 || strcmp(s, "JR/T") == 0))
		return XF_AXIS_JRT_CHANNEL;
	for (int i = 0; i < XF_AXIS_COUNT; i++)
		if (s && (strcmp(s, axis_keys[i]) == 0 || strcmp(s, axis_labels[i]) == 0))
			return i;
	return -1;
}

static const char *const rate_labels[XF_RATE_COUNT] = {"及时转办率", "按期办结率", "答复及时率",
                                                       "满意率",     "重复信访率", "首办一次性办结率"};
static const char *const rate_definitions[XF_RATE_COUNT] = {
	"首次转办日期不晚于转办期限的事项 ÷ 已转办的事项",
	"报结日期不晚于现行办理期限（周限，含批准的延期）的事项 ÷ 已报结的事项",
	"答复日期不晚于现行答复期限（月限，含批准的延期）的事项 ÷ 已答复的事项",
	"满意或基本满意的处理结果 ÷ 满意程度不是“未表态”的处理结果",
	"作为更早事项的重复信访而关联的事项 ÷ 收到的事项",
	"从未退回、之后也没有重复信访的已结案事项 ÷ 已结案事项",
};

/* Chinese name of a rate. */
const char *report_rate_label(enum xf_rate_kind kind) { return rate_labels[kind]; }
/* Definition of a rate. */
const char *report_rate_definition(enum xf_rate_kind kind) { return rate_definitions[kind]; }

/* The figures and their definitions, for --explain: a label and its text (\n: a new line). */
static const char *const explain_items[][2] = {
	{"收到事项", "期间内收到（登记的收到日期）的事项数；按渠道、类别、承办部门、重要程度、状态分列。"},
	{"及时转办率", "首次转办日期不晚于转办期限的事项 ÷ 已转办的事项。\n退回后再转办的，以第一次转办的日期计。"},
	{"按期办结率", "报结日期不晚于现行办理期限（周限，含批准的延期）的事项 ÷ 已报结的事项。"},
	{"答复及时率", "答复日期不晚于现行答复期限（月限，含批准的延期）的事项 ÷ 已答复的事项。\n"
	               "当场答复的事项不经答复环节，不计入。"},
	{"满意率", "满意或基本满意的处理结果 ÷ 满意程度不是“未表态”的处理结果。"},
	{"重复信访率", "作为更早事项的重复信访而关联的事项 ÷ 收到的事项。\n"
	               "两件事项关联后，收到较晚的一件算重复信访（同一天收到的，编号大的一件）。"},
	{"首办一次性办结率", "从未退回、之后也没有重复信访的已结案事项 ÷ 已结案事项（含不予受理、当场答复、撤诉）。"},
	{"平均办理时间", "已报结事项从收到到报结的工作日数之和 ÷ 已报结事项数；收到当天不计，"
	                 "按办公室的节假日日历（含调休上班日）计；日历未覆盖的年份只除去周末并注明。"},
	{"环比增长", "按类别，期间最后 7 天（止于期间的最后一天；期间延到今天以后的，止于今天）收到的件数"
	             "对比之前 7 天：(本周 − 上周) ÷ 上周；上周为 0 的不计增长率。期间全在今天之后，"
	             "或到今天不足 7 天的，不计环比增长。预警等级见 data/warnings.txt（默认蓝色 10%–20%，"
	             "黄色 20%–30%，红色超过 30%）。"},
	{"超期事项", "期间内收到、已转办的事项中，报结晚于现行办理期限的，或尚未报结而办理期限已过（早于今天）的；"
	             "按承办部门和经办人（处理结果上的经办人，否则转办单上的承办人）分列，用于追责。"},
};

/* Columns of one code point for the explanation: the terminal's. */
static int explain_width(uint32_t cp, void *ctx)
{
	(void)ctx;
	return text_cp_width(cp);
}

/* The explanation's lines: at most 80 columns, labels in a column of their own, the texts
 * wrapped by the core's line breaker (no line starts with closing punctuation). */
#define EXPLAIN_COLS 80
#define EXPLAIN_INDENT 19

/* The definitions of every figure. */
const char *report_explain(void)
{
	static char *text;
	if (text)
		return text;
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "统计口径（按收信/来访日期落在所选期间内的事项统计）：\n");
	for (size_t i = 0; i < sizeof explain_items / sizeof explain_items[0]; i++) {
		char **lines = NULL;
		size_t n = text_wrap(explain_items[i][1], EXPLAIN_COLS - EXPLAIN_INDENT, explain_width, NULL, &lines);
		for (size_t k = 0; k < n; k++) {
			if (k == 0) {
				buf_printf(&b, "  %s", explain_items[i][0]);
				for (int w = 2 + text_width(explain_items[i][0]); w < EXPLAIN_INDENT; w++)
					buf_puts(&b, " ");
			} else {
				buf_printf(&b, "%*s", EXPLAIN_INDENT, "");
			}
			buf_printf(&b, "%s\n", lines[k]);
		}
		text_lines_free(lines, n);
	}
	text = b.data;
	return text;
}

/* Frees counts. */
static void counts_free(struct xf_stat_counts *c)
{
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* Frees the statistics. */
void report_free(struct xf_stats *st)
{
	for (int i = 0; i < XF_AXIS_COUNT; i++)
		counts_free(&st->axes[i]);
	counts_free(&st->overdue_department);
	counts_free(&st->overdue_handler);
	free(st->growth);
	st->growth = NULL;
	st->ngrowth = 0;
}

/* Adds n to the bar labelled label. */
static void counts_add(struct xf_stat_counts *c, const char *label, long n)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].label, label) == 0) {
			c->v[i].n += n;
			return;
		}
	c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
	snprintf(c->v[c->n].label, sizeof c->v[c->n].label, "%s", label);
	c->v[c->n++].n = n;
}

/* Largest count first, then by label. */
static int by_count(const void *a, const void *b)
{
	const struct xf_stat_count *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->label, y->label);
}

/* Sorts counts largest first (an empty list is left alone: qsort of a null base is undefined). */
static void sort_counts(struct xf_stat_counts *c)
{
	if (c->n > 0)
		qsort(c->v, c->n, sizeof *c->v, by_count);
}

/* A period written as month=, quarter= or year=. */
int report_period(const char *key, const char *value, char since[11], char until[11], struct xf_err *err)
{
	int y = 0, m = 0, q = 0;
	char tail;
	const char *v = value ? value : "";
	if (strcmp(key, "month") == 0 && sscanf(v, "%4d-%2d%c", &y, &m, &tail) == 2 && m >= 1 && m <= 12 && y >= 1900) {
		date_format(date_from_ymd(y, m, 1), since);
		date_format(date_from_ymd(y, m, date_days_in_month(y, m)), until);
		return XF_OK;
	}
	if (strcmp(key, "quarter") == 0 &&
	    (sscanf(v, "%4d-Q%1d%c", &y, &q, &tail) == 2 || sscanf(v, "%4d-q%1d%c", &y, &q, &tail) == 2) && q >= 1 &&
	    q <= 4 && y >= 1900) {
		date_format(date_from_ymd(y, q * 3 - 2, 1), since);
		date_format(date_from_ymd(y, q * 3, date_days_in_month(y, q * 3)), until);
		return XF_OK;
	}
	if (strcmp(key, "year") == 0 && sscanf(v, "%4d%c", &y, &tail) == 1 && y >= 1900) {
		date_format(date_from_ymd(y, 1, 1), since);
		date_format(date_from_ymd(y, 12, 31), until);
		return XF_OK;
	}
	/* What was typed is clipped; the example after it stays whole. */
	char shown[XF_CLIP_SIZE];
	text_clip(v, 40, shown, sizeof shown);
	if (strcmp(key, "month") == 0)
		return xf_err_set(err, XF_EINVAL, "月份“%s”应写成 YYYY-MM，如 month=2026-03", shown);
	if (strcmp(key, "quarter") == 0)
		return xf_err_set(err, XF_EINVAL, "季度“%s”应写成 YYYY-Qn，如 quarter=2026-Q1", shown);
	return xf_err_set(err, XF_EINVAL, "年份“%s”应写成 YYYY，如 year=2026", shown);
}

/* Reads a comparison like ">=10" or "<20": the operator and the number. */
static bool parse_bound(const char *s, bool *strict_or_inclusive, double *value, bool lower)
{
	const char *p = s;
	bool eq = false;
	if (lower && *p == '>')
		p++;
	else if (!lower && *p == '<')
		p++;
	else
		return false;
	if (*p == '=')
		eq = true, p++;
	char *end;
	*value = strtod(p, &end);
	if (end == p || (*end != '\0' && strcmp(end, "%") != 0))
		return false;
	*strict_or_inclusive = lower ? !eq : eq;
	return true;
}

/* Parses data/warnings.txt. */
int report_parse_levels(const char *text, struct xf_warn_level **out, size_t *n, struct xf_err *err)
{
	*out = NULL;
	*n = 0;
	char *copy = xstrdup(text ? text : ""), *save = NULL;
	int line = 0;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		line++;
		char *hash = strchr(l, '#');
		if (hash)
			*hash = '\0';
		char name[32], lo[32], hi[32];
		int k = sscanf(l, "%31s %31s %31s", name, lo, hi);
		if (k <= 0)
			continue;
		struct xf_warn_level lv;
		memset(&lv, 0, sizeof lv);
		snprintf(lv.name, sizeof lv.name, "%s", name);
		lv.to = -1;
		if (k < 2 || !parse_bound(lo, &lv.from_strict, &lv.from, true) ||
		    (k == 3 && !parse_bound(hi, &lv.to_inclusive, &lv.to, false))) {
			free(copy);
			free(*out);
			*out = NULL;
			*n = 0;
			return xf_err_set(err, XF_EINVAL,
			                  "预警等级文件第 %d 行看不懂：应写成“等级名 >=下限 <上限”，如“蓝色 >=10 <20”或“红色 >30”",
			                  line);
		}
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = lv;
	}
	free(copy);
	return XF_OK;
}

/* The level a growth falls in. */
const struct xf_warn_level *report_level_of(const struct xf_warn_level *levels, size_t n, double pct)
{
	for (size_t i = 0; i < n; i++) {
		const struct xf_warn_level *l = &levels[i];
		bool above = l->from_strict ? pct > l->from : pct >= l->from;
		bool below = l->to < 0 || (l->to_inclusive ? pct <= l->to : pct < l->to);
		if (above && below)
			return l;
	}
	return NULL;
}

/* Loads the office's warning levels from the data directory. */
int report_load_levels(struct xf_warn_level **levels, size_t *n, struct xf_err *err)
{
	char *path = config_list_file(paths_datadir(), "warnings.txt");
	char *text = NULL;
	size_t len;
	int rc = paths_read_file(path, &text, &len, err);
	if (rc == XF_OK)
		rc = report_parse_levels(text, levels, n, err);
	else
		xf_err_set(err, rc, "读不到预警等级文件 %s：请把 warnings.txt 放在 /etc/xinfang（或设置 XINFANG_DATA）", path);
	free(text);
	free(path);
	return rc;
}

/* Working days counted from a fixed day: before[k] is the number of working days in
 * [lo, lo + k) and outside[k] the number of those days the calendar does not hold, so the
 * working days in (a, b] are before[b - lo + 1] - before[a - lo + 1]. */
struct workdays {
	int lo, hi;
	long *before;
	long *outside;
	bool estimated; /* a day counted lay outside the calendar: weekends alone decided it */
};

/* True when day is a working day on the calendar (weekends alone outside it, *outside set). */
static bool is_workday(const struct xf_calendar *cal, int day, bool *outside)
{
	bool work;
	*outside = false;
	if (calendar_is_workday(cal, day, &work, NULL) != XF_OK) {
		*outside = true;
		work = date_weekday(day) <= 5;
	}
	return work;
}

/* Prepares the counts for [lo, hi]. */
static void workdays_init(struct workdays *w, const struct xf_calendar *cal, int lo, int hi)
{
	w->lo = lo;
	w->hi = hi;
	w->estimated = false;
	w->before = xcalloc((size_t)(hi - lo) + 2, sizeof *w->before);
	w->outside = xcalloc((size_t)(hi - lo) + 2, sizeof *w->outside);
	for (int d = lo; d <= hi; d++) {
		bool outside;
		w->before[d - lo + 1] = w->before[d - lo] + (is_workday(cal, d, &outside) ? 1 : 0);
		w->outside[d - lo + 1] = w->outside[d - lo] + (outside ? 1 : 0);
	}
}

/* Frees the counts. */
static void workdays_free(struct workdays *w)
{
	free(w->before);
	free(w->outside);
}

/* Working days after a up to and including b; notes when a day counted lies outside the
 * calendar (only those: a day the range holds but no case counts leaves no note). */
static long workdays_between(struct workdays *w, const struct xf_calendar *cal, int a, int b)
{
	if (b <= a)
		return 0;
	if (a >= w->lo && b <= w->hi) {
		if (w->outside[b - w->lo + 1] - w->outside[a - w->lo + 1] > 0)
			w->estimated = true;
		return w->before[b - w->lo + 1] - w->before[a - w->lo + 1];
	}
	long n = 0;
	for (int d = a + 1; d <= b; d++) {
		bool outside;
		n += is_workday(cal, d, &outside);
		w->estimated |= outside;
	}
	return n;
}

/* The day number of a stored ISO date (YYYY-MM-DD, as the store writes them), or INT_MIN. */
static int day_of(const char *iso)
{
	int v[8];
	static const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
	for (int i = 0; i < 8; i++) {
		if (iso[at[i]] < '0' || iso[at[i]] > '9')
			return INT_MIN;
		v[i] = iso[at[i]] - '0';
	}
	if (iso[4] != '-' || iso[7] != '-' || iso[10] != '\0')
		return INT_MIN;
	int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], m = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
	return date_valid(y, m, d) ? date_from_ymd(y, m, d) : INT_MIN;
}

/* What one pass over the period's cases adds up. */
struct tally {
	struct xf_stats *out;
	const struct xf_calendar *cal;
	struct workdays wd;
	long closed;
	int64_t *overdue; /* the overdue cases, for their handlers */
	size_t noverdue, overdue_cap;
	int64_t lo_id, hi_id; /* the period's smallest and largest case id */
	long ncases;
};

/* Adds one case to every count, rate and the overdue list. */
static int tally_case(void *ctx, const struct xf_stats_row *r)
{
	struct tally *t = ctx;
	struct xf_stats *out = t->out;
	out->received++;
	const char *labels[XF_AXIS_JRT_CHANNEL] = {r->channel, r->category, r->department, r->importance, r->state};
	int st = case_state_parse(r->state);
	if (st >= 0)
		labels[XF_AXIS_STATE] = case_state_label((enum xf_state)st);
	if (*r->department == '\0')
		labels[XF_AXIS_DEPARTMENT] = "（未转办）";
	for (int ax = 0; ax < XF_AXIS_JRT_CHANNEL; ax++)
		counts_add(&out->axes[ax], labels[ax], 1);
	unsigned f = r->flags;
	out->rates[XF_RATE_TRANSFER].den += (f & XF_SF_TRANSFERRED) != 0;
	out->rates[XF_RATE_TRANSFER].num += (f & XF_SF_TRANSFER_ON_TIME) != 0;
	out->rates[XF_RATE_HANDLE].den += (f & XF_SF_REPORTED) != 0;
	out->rates[XF_RATE_HANDLE].num += (f & XF_SF_HANDLE_ON_TIME) != 0;
	out->rates[XF_RATE_REPLY].den += (f & XF_SF_REPLIED) != 0;
	out->rates[XF_RATE_REPLY].num += (f & XF_SF_REPLY_ON_TIME) != 0;
	if (f & XF_SF_REPORTED) {
		int a = day_of(r->received), b = day_of(r->reported_on);
		if (a != INT_MIN && b != INT_MIN) {
			out->handling_cases++;
			out->handling_workdays += workdays_between(&t->wd, t->cal, a, b);
		}
	}
	t->closed += st == XF_ST_CLOSED;
	if (f & XF_SF_OVERDUE) {
		out->overdue++;
		counts_add(&out->overdue_department, r->department, 1);
		if (t->noverdue == t->overdue_cap) {
			t->overdue_cap = t->overdue_cap ? t->overdue_cap * 2 : 64;
			t->overdue = xrealloc(t->overdue, t->overdue_cap * sizeof *t->overdue);
		}
		t->overdue[t->noverdue++] = r->id;
	}
	if (t->ncases++ == 0 || r->id < t->lo_id)
		t->lo_id = r->id;
	if (r->id > t->hi_id)
		t->hi_id = r->id;
	return 0;
}

/* Week-over-week growth per category: the last 7 days of the period, ending on its last day
 * or today when earlier, against the 7 days before; none for a period that lies after today
 * or has fewer than 7 days up to today, with the reason in growth_none. */
static int weekly_growth(struct xf_session *s, const struct xf_reach *reach, struct xf_stats *out, struct xf_err *err)
{
	int since, until, today = clock_today();
	date_parse(out->since, &since, NULL);
	date_parse(out->until, &until, NULL);
	if (since > today) {
		snprintf(out->growth_none, sizeof out->growth_none, "期间在今天（%s）之后，还没有可比的一周", out->today);
		return XF_OK;
	}
	if (until > today)
		until = today;
	if (until - since + 1 < 7) {
		snprintf(out->growth_none, sizeof out->growth_none, "期间%s只有 %d 天，不足一周（7 天）",
		         until < day_of(out->until) ? "到今天" : "", until - since + 1);
		return XF_OK;
	}
	date_format(until - 6, out->week_from);
	date_format(until, out->week_to);
	date_format(until - 13, out->prev_from);
	date_format(until - 7, out->prev_to);
	struct xf_warn_level *levels = NULL;
	size_t nlevels = 0;
	int rc = report_load_levels(&levels, &nlevels, err);
	struct xf_rows rows = {NULL, 0};
	if (rc == XF_OK)
		rc = store_stats_weeks(s->st, reach, out->prev_from, out->prev_to, out->week_from, out->week_to, &rows, err);
	for (size_t i = 0; rc == XF_OK && i < rows.n; i++) {
		struct xf_growth g;
		memset(&g, 0, sizeof g);
		snprintf(g.category, sizeof g.category, "%s", fields_str(&rows.v[i], "category"));
		g.this_week = atol(fields_str(&rows.v[i], "this"));
		g.last_week = atol(fields_str(&rows.v[i], "last"));
		if (g.last_week > 0) {
			g.pct = 100.0 * (double)(g.this_week - g.last_week) / (double)g.last_week;
			const struct xf_warn_level *lv = report_level_of(levels, nlevels, g.pct);
			if (lv)
				snprintf(g.level, sizeof g.level, "%s", lv->name);
		}
		out->growth = xrealloc(out->growth, (out->ngrowth + 1) * sizeof *out->growth);
		out->growth[out->ngrowth++] = g;
	}
	rows_free(&rows);
	free(levels);
	return rc;
}

/* Overdue cases by handler. */
static int overdue_handlers(struct xf_session *s, struct tally *t, struct xf_err *err)
{
	struct xf_rows rows;
	int rc = store_stats_handlers(s->st, t->overdue, t->noverdue, &rows, err);
	if (rc != XF_OK)
		return rc;
	for (size_t i = 0; i < rows.n; i++) {
		const char *h = fields_str(&rows.v[i], "handler");
		counts_add(&t->out->overdue_handler, *h ? h : "（未写经办人）", 1);
	}
	rows_free(&rows);
	sort_counts(&t->out->overdue_handler);
	return XF_OK;
}

/* One pass's tallies: one for the whole reach (ids NULL), or one per branch, found by the
 * branch's id (ids sorted, at[i] the tally of ids[i]). */
struct pass {
	struct tally *t;
	size_t n;
	int64_t *ids;
	size_t *at;
};

/* The tally a branch's cases go to; NULL for a branch the pass does not count. */
static struct tally *pass_tally(struct pass *p, int64_t branch)
{
	if (p->ids == NULL)
		return &p->t[0];
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->ids[mid] == branch)
			return &p->t[p->at[mid]];
		if (p->ids[mid] < branch)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Adds one case to its branch's tally. */
static int pass_case(void *ctx, const struct xf_stats_row *r)
{
	struct tally *t = pass_tally(ctx, r->branch);
	return t ? tally_case(t, r) : 0;
}

/* Adds the grouped rows (fields branch and the given keys) to each tally's out: v[k] of a
 * tally gets the sum of its rows' keys[k]. */
static void pass_add(struct pass *p, const struct xf_rows *rows, const char *const *keys, size_t nkeys,
                     long (*sums)[3])
{
	for (size_t i = 0; i < rows->n; i++) {
		struct tally *t = pass_tally(p, atoll(fields_str(&rows->v[i], "branch")));
		if (p->ids == NULL)
			t = &p->t[0]; /* a consolidated row (branch 0) counts for the whole reach */
		if (t == NULL)
			continue;
		for (size_t k = 0; k < nkeys; k++)
			sums[t - p->t][k] += atol(fields_str(&rows->v[i], keys[k]));
	}
}

/* Every figure of the period for each tally of the pass, counted in reach: one scan of the
 * cases, then the few grouped queries; the overdue handlers and the weekly growth only for a
 * consolidated pass. */
static int pass_run(struct xf_session *s, const struct xf_reach *reach, const char *since, const char *until,
                    struct pass *p, struct xf_err *err)
{
	int a, b, today = clock_today();
	date_parse(since, &a, NULL);
	date_parse(until, &b, NULL);
	for (size_t i = 0; i < p->n; i++) {
		struct xf_stats *out = p->t[i].out;
		snprintf(out->since, sizeof out->since, "%s", since);
		snprintf(out->until, sizeof out->until, "%s", until);
		date_format(today, out->today);
		p->t[i].cal = &s->cal;
		/* Every tally counts on the same calendar over the same days: the working-day counts
		 * are made once and shared (by branch, a thousand tallies made them a thousand times);
		 * each keeps its own note of a day outside the calendar. */
		if (i == 0)
			workdays_init(&p->t[i].wd, &s->cal, a, b > today ? b : today);
		else
			p->t[i].wd = p->t[0].wd;
	}
	int rc = store_stats_scan(s->st, reach, since, until, p->t[0].out->today, pass_case, p, err);
	for (size_t i = 0; i < p->n; i++)
		p->t[i].out->handling_estimated = p->t[i].wd.estimated;
	if (p->n > 0)
		workdays_free(&p->t[0].wd);
	if (rc == XF_OK && p->ids == NULL)
		rc = overdue_handlers(s, &p->t[0], err);
	long (*sums)[3] = xcalloc(p->n, sizeof *sums);
	struct xf_rows rows = {NULL, 0};
	if (rc == XF_OK) {
		/* One range of ids holding exactly the period's cases: its outcomes read as one. */
		struct tally *t = &p->t[0];
		bool whole = p->ids == NULL && t->ncases > 0 && t->hi_id - t->lo_id + 1 == t->ncases;
		rc = store_stats_satisfaction(s->st, reach, since, until, whole, t->lo_id, t->hi_id, &rows, err);
	}
	static const char *const sat_keys[] = {"satisfied", "stated"}, *const fix_keys[] = {"fix"},
	                         *const rep_keys[] = {"repeats", "not_first"};
	if (rc == XF_OK) {
		pass_add(p, &rows, sat_keys, 2, sums);
		for (size_t i = 0; i < p->n; i++) {
			p->t[i].out->rates[XF_RATE_SATISFIED].num = sums[i][0];
			p->t[i].out->rates[XF_RATE_SATISFIED].den = sums[i][1];
			sums[i][0] = sums[i][1] = 0;
		}
		rows_free(&rows);
		rc = store_stats_first_transfer_fix(s->st, reach, since, until, &rows, err);
	}
	if (rc == XF_OK) {
		pass_add(p, &rows, fix_keys, 1, sums);
		for (size_t i = 0; i < p->n; i++) {
			p->t[i].out->rates[XF_RATE_TRANSFER].num += sums[i][0];
			sums[i][0] = 0;
		}
		rows_free(&rows);
		rc = store_stats_repeats(s->st, reach, since, until, &rows, err);
	}
	if (rc == XF_OK) {
		pass_add(p, &rows, rep_keys, 2, sums);
		for (size_t i = 0; i < p->n; i++) {
			struct xf_stats *out = p->t[i].out;
			out->rates[XF_RATE_REPEAT].num = sums[i][0];
			out->rates[XF_RATE_REPEAT].den = out->received;
			out->rates[XF_RATE_FIRST].num = p->t[i].closed - sums[i][1];
			out->rates[XF_RATE_FIRST].den = p->t[i].closed;
			for (int ax = 0; ax < XF_AXIS_COUNT; ax++)
				sort_counts(&out->axes[ax]);
			sort_counts(&out->overdue_department);
		}
	}
	rows_free(&rows);
	free(sums);
	for (size_t i = 0; i < p->n; i++)
		free(p->t[i].overdue);
	if (rc == XF_OK && p->ids == NULL)
		rc = weekly_growth(s, reach, p->t[0].out, err);
	return rc;
}

/* Checks a period's dates and the account's right to see statistics. */
static int stats_check(struct xf_session *s, const char *since, const char *until, struct xf_err *err)
{
	int a, b;
	if (str_empty(since) || date_parse(since, &a, NULL) != XF_OK)
		return xf_err_set(err, XF_EINVAL, "起始日期“%s”不对：请写 since=YYYY-MM-DD", since ? since : "");
	if (str_empty(until) || date_parse(until, &b, NULL) != XF_OK)
		return xf_err_set(err, XF_EINVAL, "截止日期“%s”不对：请写 until=YYYY-MM-DD", until ? until : "");
	if (b < a)
		return xf_err_set(err, XF_EINVAL, "截止日期 %s 早于起始日期 %s", until, since);
	if (!auth_require(s, XF_MAY(XF_ROLE_OPERATOR) | XF_MAY(XF_ROLE_HEAD) | XF_MAY(XF_ROLE_SUPERVISOR), "查看统计",
	                  err))
		return err->code;
	return session_load_reference(s, err);
}

/* The reach a report counts: one branch (id, checked against the session's reach), or the
 * session's whole reach (id 0). */
static void stats_reach(struct xf_session *s, int64_t branch, struct xf_reach *reach)
{
	if (branch) {
		reach->branch = branch;
		reach->path = NULL;
	} else {
		branch_reach(s, reach);
	}
}

/* Computes every figure of the period. */
int report_stats(struct xf_session *s, const char *since, const char *until, struct xf_stats *out,
                 struct xf_err *err)
{
	return report_stats_in(s, since, until, NULL, out, err);
}

/* Computes every figure of the period, of one branch or of the whole reach. */
int report_stats_in(struct xf_session *s, const char *since, const char *until, const char *branch_code,
                    struct xf_stats *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	int rc = stats_check(s, since, until, err);
	int64_t branch = 0;
	if (rc == XF_OK)
		rc = branch_filter(s, branch_code, &branch, err);
	if (rc != XF_OK)
		return rc;
	out->branch = branch;
	if (branch) {
		struct xf_branch b;
		if ((rc = branch_get(s->st, branch, &b, err)) != XF_OK)
			return rc;
		snprintf(out->scope, sizeof out->scope, "%s%s%s", b.code, *b.code ? " " : "", b.name);
	}
	struct xf_reach reach;
	stats_reach(s, branch, &reach);
	bool own_read;
	if ((rc = store_stats_begin(s->st, &own_read, err)) != XF_OK)
		return rc;
	struct tally t;
	memset(&t, 0, sizeof t);
	t.out = out;
	struct pass p = {&t, 1, NULL, NULL};
	rc = pass_run(s, &reach, since, until, &p, err);
	store_stats_end(s->st, own_read);
	if (rc != XF_OK)
		report_free(out);
	return rc;
}

/* Counts by the three JR/T axes. */
int report_stats_jrt(struct xf_session *s, struct xf_stats *st, struct xf_err *err)
{
	struct xf_reach reach;
	stats_reach(s, st->branch, &reach);
	struct xf_rows rows;
	int rc = store_stats_jrt(s->st, &reach, st->since, st->until, &rows, err);
	if (rc != XF_OK)
		return rc;
	for (int ax = XF_AXIS_JRT_CHANNEL; ax <= XF_AXIS_JRT_CAUSE; ax++) {
		counts_free(&st->axes[ax]);
		for (size_t i = 0; i < rows.n; i++) {
			const char *label = fields_str(&rows.v[i], axis_keys[ax]);
			counts_add(&st->axes[ax], *label ? label : "（未分类）", atol(fields_str(&rows.v[i], "n")));
		}
		sort_counts(&st->axes[ax]);
	}
	rows_free(&rows);
	st->jrt_counted = true;
	return XF_OK;
}

/* Orders branch ids (with their places) for the pass's search. */
static int by_id(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

/* The figures of the period per branch of the reach (under branch_code when given), in one
 * pass. */
int report_league(struct xf_session *s, const char *since, const char *until, const char *branch_code,
                  struct xf_league *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	int rc = stats_check(s, since, until, err);
	int64_t top = 0;
	if (rc == XF_OK)
		rc = branch_filter(s, branch_code, &top, err);
	struct xf_branch *all = NULL, under;
	size_t nall = 0;
	if (rc == XF_OK && top)
		rc = branch_get(s->st, top, &under, err);
	if (rc == XF_OK)
		rc = branch_list(s, &all, &nall, err);
	if (rc != XF_OK)
		return rc;
	snprintf(out->since, sizeof out->since, "%s", since);
	snprintf(out->until, sizeof out->until, "%s", until);
	out->v = xcalloc(nall ? nall : 1, sizeof *out->v);
	for (size_t i = 0; i < nall; i++)
		if (!top || strncmp(all[i].path, under.path, strlen(under.path)) == 0)
			out->v[out->n++].branch = all[i];
	free(all);
	/* The cases read: the account's reach, or the branch asked for and (for an account over
	 * several) every branch under it. */
	struct xf_reach reach;
	branch_reach(s, &reach);
	if (top) {
		reach.branch = top;
		reach.path = branch_reach_spans(s) ? under.path : NULL;
	}
	struct tally *t = xcalloc(out->n ? out->n : 1, sizeof *t);
	struct pass p = {t, out->n, xcalloc(out->n ? out->n : 1, 2 * sizeof(int64_t)), xcalloc(out->n ? out->n : 1, sizeof(size_t))};
	for (size_t i = 0; i < out->n; i++) {
		t[i].out = &out->v[i].st;
		out->v[i].st.branch = out->v[i].branch.id;
		p.ids[2 * i] = out->v[i].branch.id;
		p.ids[2 * i + 1] = (int64_t)i;
	}
	qsort(p.ids, out->n, 2 * sizeof(int64_t), by_id);
	for (size_t i = 0; i < out->n; i++) {
		p.at[i] = (size_t)p.ids[2 * i + 1];
		p.ids[i] = p.ids[2 * i];
	}
	bool own_read;
	if (out->n > 0 && (rc = store_stats_begin(s->st, &own_read, err)) == XF_OK) {
		rc = pass_run(s, &reach, since, until, &p, err);
		store_stats_end(s->st, own_read);
	}
	for (size_t i = 0; i < out->n; i++)
		out->v[i].st.overdue = t[i].out->overdue;
	free(t);
	free(p.ids);
	free(p.at);
	if (rc != XF_OK)
		report_league_free(out);
	return rc;
}

/* Frees a league table. */
void report_league_free(struct xf_league *lg)
{
	for (size_t i = 0; i < lg->n; i++)
		report_free(&lg->v[i].st);
	free(lg->v);
	lg->v = NULL;
	lg->n = 0;
}

/* True when the axis is shown under the mask. */
bool report_axis_shown(const struct xf_stats *st, unsigned mask, int ax)
{
	if (mask)
		return (mask & (1u << ax)) != 0;
	return ax < XF_AXIS_JRT_CHANNEL || st->jrt_counted;
}

/* ---- The page ---- */

/* Columns a code point takes on the device. */
static int dev_width(uint32_t cp, enum xf_render_device dev)
{
	if (dev == XF_RENDER_WIDE)
		return cp < 0x80 ? 1 : 2;
	return text_cp_width(cp);
}

/* Columns s takes on the device. */
static int dev_text_width(const char *s, enum xf_render_device dev)
{
	int w = 0;
	size_t i = 0, len = strlen(s);
	while (i < len)
		w += dev_width(utf8_next(s, len, &i), dev);
	return w;
}

/* Appends s in at most `cols` columns, padded to exactly `cols` when pad; a text that does not
 * fit is cut between characters and ends in …. */
static void put_cell(struct xf_buf *b, const char *s, int cols, bool pad, enum xf_render_device dev)
{
	int used = 0;
	size_t i = 0, len = strlen(s);
	bool whole = dev_text_width(s, dev) <= cols;
	int room = whole ? cols : cols - dev_width(0x2026, dev);
	while (i < len) {
		size_t at = i;
		int w = dev_width(utf8_next(s, len, &i), dev);
		if (used + w > room)
			break;
		buf_add(b, s + at, i - at);
		used += w;
	}
	if (!whole && room >= 0) {
		buf_puts(b, "…");
		used += dev_width(0x2026, dev);
	}
	while (pad && used++ < cols)
		buf_puts(b, " ");
}

/* A rule across the page. */
static void put_rule(struct xf_buf *b, int width, enum xf_render_device dev)
{
	int step = dev_width(0x2500, dev);
	for (int c = 0; c + step <= width; c += step)
		buf_puts(b, "─");
	buf_puts(b, "\n");
}

/* A bar of `cols` columns' worth of blocks. */
static void put_bar(struct xf_buf *b, int cols, enum xf_render_device dev)
{
	int step = dev_width(0x2588, dev);
	int n = cols / step;
	if (cols > 0 && n == 0)
		n = 1;
	for (int i = 0; i < n; i++)
		buf_puts(b, "█");
	for (int c = n * step; c < cols; c++)
		buf_puts(b, " ");
}

/* Percentage text of a rate, or "—" when it has no denominator. */
void report_rate_text(const struct xf_rate *r, char out[16])
{
	if (r->den == 0)
		snprintf(out, 16, "—");
	else
		snprintf(out, 16, "%.1f%%", 100.0 * (double)r->num / (double)r->den);
}

#define LABEL_COLS 16

/* Appends s right-aligned in `cols` columns of the device. */
static void put_right(struct xf_buf *b, const char *s, int cols, enum xf_render_device dev)
{
	for (int w = dev_text_width(s, dev); w < cols; w++)
		buf_puts(b, " ");
	buf_puts(b, s);
}

/* Columns of a bar chart's line besides the label and the bar: "  ", " ", " %8ld", " %6.1f%". */
#define BAR_LINE_REST (2 + 1 + 1 + 8 + 8)
/* The fewest columns a bar keeps when a long label widens its column. */
#define BAR_MIN_COLS 12
/* Columns of a growth line besides the category: "  ", " 本周 %5ld  上周 %5ld  ", "%+7.1f%", "  红色预警". */
#define GROWTH_LINE_REST (2 + 25 + 8 + 10)

/* Widens *cols to the widest label of the counts. */
static void widest_label(const struct xf_stat_counts *c, enum xf_render_device dev, int *cols)
{
	for (size_t i = 0; i < c->n; i++) {
		int w = dev_text_width(c->v[i].label, dev);
		if (w > *cols)
			*cols = w;
	}
}

/* The label column of every bar chart on the page: as wide as the widest label shown (a
 * handler's or a department's name whole, for accountability), at least LABEL_COLS, at most
 * what leaves the bar BAR_MIN_COLS; a label wider still is cut with …. */
static int chart_label_cols(const struct xf_stats *st, unsigned axes_mask, int width, enum xf_render_device dev)
{
	int cols = LABEL_COLS;
	for (int ax = 0; ax < XF_AXIS_COUNT; ax++)
		if (report_axis_shown(st, axes_mask, ax))
			widest_label(&st->axes[ax], dev, &cols);
	widest_label(&st->overdue_department, dev, &cols);
	widest_label(&st->overdue_handler, dev, &cols);
	int most = width - BAR_LINE_REST - BAR_MIN_COLS;
	return cols > most ? (most > LABEL_COLS ? most : LABEL_COLS) : cols;
}

/* The category column of the growth lines: the widest category, within the page. */
static int growth_label_cols(const struct xf_stats *st, int width, enum xf_render_device dev)
{
	int cols = LABEL_COLS;
	for (size_t i = 0; i < st->ngrowth; i++) {
		int w = dev_text_width(st->growth[i].category, dev);
		if (w > cols)
			cols = w;
	}
	int most = width - GROWTH_LINE_REST;
	return cols > most ? (most > LABEL_COLS ? most : LABEL_COLS) : cols;
}

/* One section of bars, scaled to the largest. */
static void put_bars(struct xf_buf *b, const char *title, const struct xf_stat_counts *c, long total, int width,
                     int label_cols, enum xf_render_device dev)
{
	buf_printf(b, "%s\n", title);
	if (c->n == 0) {
		buf_puts(b, "  （无）\n");
		return;
	}
	long max = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].n > max)
			max = c->v[i].n;
	/* "  label  bar  count  share": every chart alike, the share left blank without a total */
	int bar_cols = width - BAR_LINE_REST - label_cols;
	if (bar_cols < 4)
		bar_cols = 4;
	for (size_t i = 0; i < c->n; i++) {
		buf_puts(b, "  ");
		put_cell(b, c->v[i].label, label_cols, true, dev);
		buf_puts(b, " ");
		int cols = max > 0 ? (int)((double)c->v[i].n * bar_cols / (double)max + 0.5) : 0;
		if (c->v[i].n > 0 && cols == 0)
			cols = 1;
		put_bar(b, cols, dev);
		for (int k = cols; k < bar_cols; k++)
			buf_puts(b, " ");
		buf_printf(b, " %8ld", c->v[i].n);
		if (total > 0)
			buf_printf(b, " %6.1f%%", 100.0 * (double)c->v[i].n / (double)total);
		buf_puts(b, "\n");
	}
}

/* The statistics as a text page. */
void report_render(const struct xf_stats *st, unsigned axes_mask, int width, enum xf_render_device dev,
                   struct xf_buf *out)
{
	if (width < 60)
		width = 60;
	int label_cols = chart_label_cols(st, axes_mask, width, dev);
	buf_printf(out, "信访统计  %s 至 %s  收到事项 %ld 件\n", st->since, st->until, st->received);
	if (*st->scope) /* one branch of the reach: named on a line of its own */
		buf_printf(out, "分支机构：%s\n", st->scope);
	put_rule(out, width, dev);
	buf_puts(out, "比率（分子 / 分母）\n");
	for (int k = 0; k < XF_RATE_COUNT; k++) {
		char pct[16];
		report_rate_text(&st->rates[k], pct);
		buf_puts(out, "  ");
		put_cell(out, rate_labels[k], LABEL_COLS + 2, true, dev);
		buf_puts(out, " ");
		put_right(out, pct, 7, dev); /* a "—" ends where the digits end, as under 平均办理时间 */
		buf_printf(out, "  %ld / %ld\n", st->rates[k].num, st->rates[k].den);
	}
	buf_puts(out, "  ");
	put_cell(out, "平均办理时间", LABEL_COLS + 2, true, dev);
	if (st->handling_cases > 0) {
		buf_printf(out, " %7.1f  个工作日（%ld 个工作日 / %ld 件）\n",
		           (double)st->handling_workdays / (double)st->handling_cases, st->handling_workdays,
		           st->handling_cases);
		/* The note takes its own line under the figure, so the line fits 80 columns. */
		if (st->handling_estimated) {
			buf_printf(out, "%*s", 2 + LABEL_COLS + 2 + 1 + 7 + 2, "");
			buf_puts(out, "部分日期不在节假日日历内，按周末估算\n");
		}
	} else {
		buf_puts(out, " ");
		put_right(out, "—", 7, dev);
		buf_puts(out, "  （无已报结事项）\n");
	}
	for (int ax = 0; ax < XF_AXIS_COUNT; ax++) {
		if (!report_axis_shown(st, axes_mask, ax))
			continue;
		char title[64];
		/* 按 JR/T 业务渠道: a space between the Chinese and a Latin name */
		snprintf(title, sizeof title, "按%s%s", (unsigned char)axis_labels[ax][0] < 0x80 ? " " : "", axis_labels[ax]);
		put_rule(out, width, dev);
		put_bars(out, title, &st->axes[ax], st->received, width, label_cols, dev);
	}
	put_rule(out, width, dev);
	if (*st->growth_none)
		buf_printf(out, "环比增长：不计，%s\n", st->growth_none);
	else
		buf_printf(out, "环比增长（%s～%s 对比 %s～%s）\n", st->week_from, st->week_to, st->prev_from, st->prev_to);
	if (st->ngrowth == 0 && !*st->growth_none)
		buf_puts(out, "  （两周内无事项）\n");
	int growth_cols = growth_label_cols(st, width, dev);
	for (size_t i = 0; i < st->ngrowth; i++) {
		const struct xf_growth *g = &st->growth[i];
		buf_puts(out, "  ");
		put_cell(out, g->category, growth_cols, true, dev);
		buf_printf(out, " 本周 %5ld  上周 %5ld  ", g->this_week, g->last_week);
		if (g->last_week > 0)
			buf_printf(out, "%+7.1f%%", g->pct);
		else
			buf_puts(out, "      —");
		if (*g->level)
			buf_printf(out, "  %s预警", g->level);
		buf_puts(out, "\n");
	}
	put_rule(out, width, dev);
	long total = 0;
	for (size_t i = 0; i < st->overdue_department.n; i++)
		total += st->overdue_department.v[i].n;
	char title[96];
	snprintf(title, sizeof title, "超期事项（按承办部门，共 %ld 件）", total);
	put_bars(out, title, &st->overdue_department, 0, width, label_cols, dev);
	put_bars(out, "超期事项（按经办人）", &st->overdue_handler, 0, width, label_cols, dev);
}

/* Appends one CSV row of seven fields through the ledger's writer (RFC 4180 quoting, and a
 * label a spreadsheet would run as a formula kept as text). */
static void csv_row(struct xf_buf *b, const char *section, const char *item, const char *count, const char *num,
                    const char *den, const char *value, const char *level)
{
	const char *f[] = {section, item, count, num, den, value, level};
	for (int i = 0; i < 7; i++)
		csv_put_field(b, f[i] ? f[i] : "", i == 0);
	csv_end_record(b);
}

/* The statistics as CSV. */
void report_csv(const struct xf_stats *st, unsigned axes_mask, struct xf_buf *out)
{
	char a[32], n[32], d[32], v[32];
	csv_row(out, "分项", "项目", "数量", "分子", "分母", "数值", "预警");
	char period[32];
	snprintf(period, sizeof period, "%s～%s", st->since, st->until);
	snprintf(a, sizeof a, "%ld", st->received);
	csv_row(out, "收到事项", period, a, NULL, NULL, NULL, NULL);
	if (*st->scope)
		csv_row(out, "分支机构", st->scope, NULL, NULL, NULL, NULL, NULL);
	for (int k = 0; k < XF_RATE_COUNT; k++) {
		snprintf(n, sizeof n, "%ld", st->rates[k].num);
		snprintf(d, sizeof d, "%ld", st->rates[k].den);
		if (st->rates[k].den)
			snprintf(v, sizeof v, "%.4f", (double)st->rates[k].num / (double)st->rates[k].den);
		else
			v[0] = '\0';
		csv_row(out, "比率", rate_labels[k], NULL, n, d, v, NULL);
	}
	snprintf(n, sizeof n, "%ld", st->handling_workdays);
	snprintf(d, sizeof d, "%ld", st->handling_cases);
	if (st->handling_cases)
		snprintf(v, sizeof v, "%.2f", (double)st->handling_workdays / (double)st->handling_cases);
	else
		v[0] = '\0';
	csv_row(out, "平均办理时间（工作日）", "合计", NULL, n, d, v, NULL);
	for (int ax = 0; ax < XF_AXIS_COUNT; ax++) {
		if (!report_axis_shown(st, axes_mask, ax))
			continue;
		char section[64];
		snprintf(section, sizeof section, "按%s", axis_labels[ax]);
		for (size_t i = 0; i < st->axes[ax].n; i++) {
			snprintf(a, sizeof a, "%ld", st->axes[ax].v[i].n);
			csv_row(out, section, st->axes[ax].v[i].label, a, NULL, NULL, NULL, NULL);
		}
	}
	/* The weeks compared, or why there is no growth, as the page says. */
	if (*st->growth_none) {
		char *why = xasprintf("不计：%s", st->growth_none);
		csv_row(out, "环比增长期间", why, NULL, NULL, NULL, NULL, NULL);
		free(why);
	} else {
		char *weeks = xasprintf("%s～%s 对比 %s～%s", st->week_from, st->week_to, st->prev_from, st->prev_to);
		csv_row(out, "环比增长期间", weeks, NULL, NULL, NULL, NULL, NULL);
		free(weeks);
	}
	for (size_t i = 0; i < st->ngrowth; i++) {
		const struct xf_growth *g = &st->growth[i];
		snprintf(n, sizeof n, "%ld", g->this_week);
		snprintf(d, sizeof d, "%ld", g->last_week);
		if (g->last_week)
			snprintf(v, sizeof v, "%.4f", g->pct / 100.0);
		else
			v[0] = '\0';
		csv_row(out, "环比增长", g->category, n, n, d, v, g->level);
	}
	for (int h = 0; h < 2; h++) {
		const struct xf_stat_counts *c = h ? &st->overdue_handler : &st->overdue_department;
		for (size_t i = 0; i < c->n; i++) {
			snprintf(a, sizeof a, "%ld", c->v[i].n);
			csv_row(out, h ? "超期（按经办人）" : "超期（按承办部门）", c->v[i].label, a, NULL, NULL, NULL, NULL);
		}
	}
}

/* The statistics as CSV in an encoding; UTF-8 starts with a byte order mark, as the ledger's
 * does, so Excel reads it as UTF-8. */
int report_csv_encoded(const struct xf_stats *st, unsigned axes_mask, const char *encoding, char **out, size_t *len,
                       struct xf_err *err)
{
	struct xf_buf csv;
	buf_init(&csv);
	bool utf8 = strcasecmp(encoding, "UTF-8") == 0 || strcasecmp(encoding, "UTF8") == 0;
	if (utf8)
		buf_add(&csv, "\xEF\xBB\xBF", 3);
	report_csv(st, axes_mask, &csv);
	int rc = XF_OK;
	if (text_convert(csv.data, csv.len, encoding, out, len, NULL) != XF_OK)
		rc = xf_err_set(err, XF_EINVAL, "统计中有 %s 无法表示的字：请改用 GB18030 或 UTF-8", encoding);
	buf_free(&csv);
	return rc;
}

/* Refuses a file name that says another format than the CSV written (x.xlsx, x.pdf, …). */
static int check_csv_name(const char *path, struct xf_err *err)
{
	return fileperm_check_extension(path, "csv", false, " CSV",
	                                "请存为 .csv 文件（Excel 双击即可打开）；统计没有 Excel 工作簿格式", err);
}

/* Writes the statistics as CSV to a file. */
int report_csv_file(const struct xf_stats *st, unsigned axes_mask, const char *encoding, const char *path,
                    struct xf_err *err)
{
	if (check_csv_name(path, err) != XF_OK)
		return err->code;
	char *encoded = NULL;
	size_t len = 0;
	int rc = report_csv_encoded(st, axes_mask, encoding, &encoded, &len, err);
	if (rc == XF_OK)
		rc = print_to_file(path, encoded, len, err);
	free(encoded);
	return rc;
}

/* The key of the operator's last export encoding among the settings. */
static char *export_encoding_key(const struct xf_session *s)
{
	return xasprintf("stats.export_encoding.%s", s->op.name);
}

/* The encoding the operator last exported the statistics in, else GB18030. */
void report_export_encoding(struct xf_session *s, char *out, size_t n)
{
	char *key = export_encoding_key(s), *v = NULL;
	struct xf_err err;
	if (store_setting_get(s->st, key, &v, &err) == XF_OK && v && *v)
		snprintf(out, n, "%s", v);
	else
		snprintf(out, n, "GB18030");
	free(v);
	free(key);
}

/* Remembers the encoding the operator exported the statistics in. */
int report_export_remember(struct xf_session *s, const char *encoding, struct xf_err *err)
{
	char *key = export_encoding_key(s);
	int rc = session_begin(s, err);
	if (rc == XF_OK)
		rc = store_setting_set(s->st, key, encoding, err);
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	else
		store_rollback(s->st);
	free(key);
	return rc;
}

/* The rendered figures with every line no wider than the paper: a line the renderer could not
 * fit (it keeps 60 columns at least) wraps onto the next, indented as it was. */
static void fit_lines(const char *body, int columns, enum xf_render_device dev, struct xf_buf *out)
{
	enum xf_device device = dev == XF_RENDER_WIDE ? XF_DEV_GB : XF_DEV_UTF8;
	for (const char *p = body; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n);
		int w = 0;
		for (size_t i = 0; i < n;)
			w += slip_cp_width(device, utf8_next(line, n, &i));
		if (w <= columns) {
			buf_puts(out, line);
			buf_puts(out, "\n");
		} else {
			size_t indent = strspn(line, " ");
			if ((int)indent > columns / 4)
				indent = 0;
			char **lines = NULL;
			size_t k = slip_wrap(line + indent, columns - (int)indent, device, &lines);
			for (size_t j = 0; j < k; j++)
				buf_printf(out, "%*s%s\n", (int)indent, "", lines[j]);
			text_lines_free(lines, k);
		}
		free(line);
		p += n + (nl != NULL);
	}
}

/* The text page in pages of the slips' paper size, the footer on the last, a form feed after
 * each, encoded; *encoded is a new string. */
static int text_pages(struct xf_session *s, const struct xf_stats *st, unsigned axes_mask,
                      const struct xf_print_opts *opts, const char *encoding, const char *now, char **encoded,
                      size_t *len, struct xf_err *err)
{
	enum xf_render_device dev = strcasecmp(encoding, "UTF-8") == 0 ? XF_RENDER_TERMINAL : XF_RENDER_WIDE;
	int columns = opts->page.columns > 0 ? opts->page.columns : 90;
	int lines_per_page = opts->page.lines > 4 ? opts->page.lines : 66;
	struct xf_buf body, page;
	buf_init(&body);
	buf_init(&page);
	struct xf_buf rendered;
	buf_init(&rendered);
	report_render(st, axes_mask, columns < 100 ? columns : 100, dev, &rendered);
	buf_puts(&body, "");
	fit_lines(rendered.data ? rendered.data : "", columns, dev, &body);
	buf_free(&rendered);
	char *footer = xasprintf("打印：%s  %s%s", *s->op.full_name ? s->op.full_name : s->op.name, now,
	                         setup_is_training(s->st) ? "  【演示/培训】" : "");
	int line = 0, pageno = 1;
	for (const char *p = body.data ? body.data : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (line == lines_per_page - 2) {
			buf_printf(&page, "\n（第 %d 页，续下页）\f", pageno++);
			buf_printf(&page, "信访统计（续） %s 至 %s\n", st->since, st->until);
			line = 1;
		}
		buf_add(&page, p, n);
		line++;
		p += n;
	}
	buf_printf(&page, "\n%s\f", footer);
	free(footer);
	buf_free(&body);
	int rc = XF_OK;
	if (text_convert(page.data, page.len, encoding, encoded, len, NULL) != XF_OK)
		rc = xf_err_set(err, XF_EINVAL, "统计页上有 %s 无法表示的字：请改用 GB18030 或 UTF-8，或打印成 PDF（--format pdf）",
		                encoding);
	else if (print_wants_crlf(s))
		print_crlf_apply(encoded, len);
	buf_free(&page);
	return rc;
}

/* The report as PDF pages; *pdf is a new string. */
static int pdf_pages(struct xf_session *s, const struct xf_stats *st, unsigned axes_mask, const char *now, char **pdf,
                     size_t *len, struct xf_err *err)
{
	struct xf_warn_level *levels = NULL;
	size_t nlevels = 0;
	struct xf_err ignored;
	if (report_load_levels(&levels, &nlevels, &ignored) != XF_OK)
		nlevels = 0; /* the legend is left out; the levels themselves were read with the figures */
	struct xf_pdf_report_meta meta = {NULL, now, *s->op.full_name ? s->op.full_name : s->op.name,
	                                  setup_is_training(s->st), levels, nlevels};
	struct xf_buf out;
	buf_init(&out);
	int rc = pdf_report_render(st, axes_mask, &meta, &out, err);
	free(levels);
	if (rc == XF_OK) {
		*pdf = out.data;
		*len = out.len;
	} else {
		buf_free(&out);
	}
	return rc;
}

/* Records a print of the statistics in the audit trail. */
int report_print_record(struct xf_session *s, const struct xf_stats *st, const struct xf_print_report *report,
                        const char *encoding, struct xf_err *err)
{
	struct xf_fields rec;
	fields_init(&rec);
	fields_set(&rec, "since", st->since);
	fields_set(&rec, "until", st->until);
	fields_set(&rec, "destination", report->where);
	fields_set(&rec, "format", print_format_name(report->format));
	fields_set(&rec, "encoding", report->format == XF_FORMAT_PDF ? "PDF" : encoding ? encoding : "GB18030");
	if (*report->job)
		fields_set(&rec, "job", report->job);
	char *json = audit_json(&rec);
	fields_free(&rec);
	int rc = session_begin(s, err);
	if (rc == XF_OK)
		rc = store_audit(s->st, s->op.name, "print_stats", 0, "{}", json, err);
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	else
		store_rollback(s->st);
	free(json);
	return rc;
}

/* Prints the statistics page: PDF or text, to a file, a spooler queue or back to the caller. */
int report_print(struct xf_session *s, const struct xf_stats *st, unsigned axes_mask,
                 const struct xf_print_opts *opts, struct xf_buf *bytes, struct xf_err *err)
{
	char encoding[16];
	enum xf_print_format format;
	int rc = print_resolve(s, opts, encoding, sizeof encoding, &format, err);
	/* Before anything is laid out, as for the slips. */
	if (rc == XF_OK && opts->dest == XF_PRINT_FILE)
		rc = print_check_file_name(opts->target, format, format == XF_FORMAT_PDF ? " PDF 报表" : "统计的文本页",
		                           "文本请存为 .txt 文件，PDF 报表存为 .pdf，表格存为 .csv（CSV）；"
		                           "统计没有 Excel 工作簿格式",
		                           err);
	if (rc != XF_OK)
		return rc;
	char now[20];
	clock_now_iso(now);
	now[16] = '\0';
	char *encoded = NULL;
	size_t len = 0;
	rc = format == XF_FORMAT_PDF ? pdf_pages(s, st, axes_mask, now, &encoded, &len, err)
	                             : text_pages(s, st, axes_mask, opts, encoding, now, &encoded, &len, err);
	struct xf_print_report report;
	memset(&report, 0, sizeof report);
	report.format = format;
	if (rc == XF_OK) {
		switch (opts->dest) {
		case XF_PRINT_FILE:
			rc = print_to_file(opts->target, encoded, len, err);
			snprintf(report.where, sizeof report.where, "文件 %s", opts->target);
			break;
		case XF_PRINT_SPOOLER: {
			/* A text page goes raw, for a printer that takes the encoding as it is. */
			char queue[128] = "", *what = xasprintf("stats-%s-%s", st->since, st->until);
			char *title = print_job_title(NULL, what);
			free(what);
			rc = print_queue(s, opts->target, queue, sizeof queue, err);
			if (rc == XF_OK)
				rc = print_to_spooler(queue, title, format == XF_FORMAT_TEXT, encoded, len, report.job,
				                      sizeof report.job, err);
			snprintf(report.where, sizeof report.where, "%s%s", *queue ? "打印机 " : "系统默认打印机", queue);
			free(title);
			break;
		}
		case XF_PRINT_CALLER:
		default:
			if (bytes)
				buf_add(bytes, encoded, len);
			break;
		}
	}
	free(encoded);
	if (rc == XF_OK && opts->dest != XF_PRINT_CALLER)
		rc = report_print_record(s, st, &report, encoding, err);
	if (rc == XF_OK && opts->report)
		*opts->report = report;
	return rc;
}

/* The branch league table: the report's figures per branch, sorted by a column, as a text
 * table (the command line and the supervisor's desk) and as CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/csv.h"
#include "xinfang/report.h"
#include "xinfang/text.h"

static const char *const col_keys[XF_LEAGUE_COL_COUNT] = {"received", "ontime", "overdue", "repeat", "satisfied"};
static const char *const col_labels[XF_LEAGUE_COL_COUNT] = {"收到", "按期办结率", "超期", "重复信访率", "满意率"};

/* A column from its key or Chinese name. */
int report_league_col_parse(const char *s)
{
	for (int i = 0; s && i < XF_LEAGUE_COL_COUNT; i++)
		if (strcmp(s, col_keys[i]) == 0 || strcmp(s, col_labels[i]) == 0)
			return i;
	return -1;
}

/* Chinese name of a column. */
const char *report_league_col_label(enum xf_league_col col) { return col_labels[col]; }

/* The rate a column shows, or NULL for a count. */
static const struct xf_rate *col_rate(const struct xf_stats *st, enum xf_league_col col)
{
	switch (col) {
	case XF_LEAGUE_ON_TIME: return &st->rates[XF_RATE_HANDLE];
	case XF_LEAGUE_REPEAT: return &st->rates[XF_RATE_REPEAT];
	case XF_LEAGUE_SATISFIED: return &st->rates[XF_RATE_SATISFIED];
	default: return NULL;
	}
}

/* The column a sort runs by (qsort has no context: one sort at a time). */
static enum xf_league_col sort_col;

/* Largest first; a rate without a denominator after every other; ties in path order. */
static int by_col(const void *a, const void *b)
{
	const struct xf_league_row *x = a, *y = b;
	const struct xf_rate *rx = col_rate(&x->st, sort_col), *ry = col_rate(&y->st, sort_col);
	if (rx) {
		if ((rx->den == 0) != (ry->den == 0))
			return rx->den == 0 ? 1 : -1;
		/* rx->num / rx->den against ry->num / ry->den, exactly */
		long long l = (long long)rx->num * ry->den, r = (long long)ry->num * rx->den;
		if (rx->den && l != r)
			return l > r ? -1 : 1;
	} else {
		long vx = sort_col == XF_LEAGUE_RECEIVED ? x->st.received : x->st.overdue;
		long vy = sort_col == XF_LEAGUE_RECEIVED ? y->st.received : y->st.overdue;
		if (vx != vy)
			return vx > vy ? -1 : 1;
	}
	return strcmp(x->branch.path, y->branch.path);
}

/* Sorts the table by a column. */
void report_league_sort(struct xf_league *lg, enum xf_league_col col)
{
	sort_col = col;
	if (lg->n > 1)
		qsort(lg->v, lg->n, sizeof *lg->v, by_col);
}

/* Appends s clipped to cols display columns, padded on the left (right) or the right. */
static void cell(struct xf_buf *b, const char *s, int cols, bool right)
{
	char clipped[256];
	text_clip(s, cols, clipped, sizeof clipped);
	int pad = cols - text_width(clipped);
	if (right)
		buf_printf(b, "%*s%s", pad > 0 ? pad : 0, "", clipped);
	else
		buf_printf(b, "%s%*s", clipped, pad > 0 ? pad : 0, "");
}

/* Widths of the table's columns: code, name, then the five figures. */
static const int widths[2 + XF_LEAGUE_COL_COUNT] = {10, 18, 7, 10, 6, 10, 7};

/* The table as text. */
void report_league_render(const struct xf_league *lg, enum xf_league_col sorted, struct xf_buf *out)
{
	buf_printf(out, "分支机构排名  %s 至 %s  %zu 个分支机构  按%s排序\n", lg->since, lg->until, lg->n,
	           col_labels[sorted]);
	cell(out, "代码", widths[0], false);
	buf_puts(out, " ");
	cell(out, "名称", widths[1], false);
	for (int c = 0; c < XF_LEAGUE_COL_COUNT; c++) {
		buf_puts(out, " ");
		cell(out, col_labels[c], widths[2 + c], true);
	}
	buf_puts(out, "\n");
	for (size_t i = 0; i < lg->n; i++) {
		const struct xf_league_row *r = &lg->v[i];
		cell(out, *r->branch.code ? r->branch.code : "—", widths[0], false);
		buf_puts(out, " ");
		cell(out, r->branch.name, widths[1], false);
		for (int c = 0; c < XF_LEAGUE_COL_COUNT; c++) {
			char v[32];
			const struct xf_rate *rate = col_rate(&r->st, (enum xf_league_col)c);
			if (rate)
				report_rate_text(rate, v);
			else
				snprintf(v, sizeof v, "%ld", c == XF_LEAGUE_RECEIVED ? r->st.received : r->st.overdue);
			buf_puts(out, " ");
			cell(out, v, widths[2 + c], true);
		}
		buf_puts(out, "\n");
	}
}

/* Appends a rate's numerator, denominator and text as three fields. */
static void csv_rate(struct xf_buf *b, const struct xf_rate *r)
{
	char v[32];
	snprintf(v, sizeof v, "%ld", r->num);
	csv_put_field(b, v, false);
	snprintf(v, sizeof v, "%ld", r->den);
	csv_put_field(b, v, false);
	report_rate_text(r, v);
	csv_put_field(b, r->den ? v : "", false);
}

/* The table as CSV. */
void report_league_csv(const struct xf_league *lg, struct xf_buf *out)
{
	static const char *const head[] = {"分支机构代码", "分支机构", "收到", "按期办结", "已报结", "按期办结率", "超期",
	                                   "重复信访", "收到（重复信访率分母）", "重复信访率", "满意", "表态",
	                                   "满意率"};
	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
		csv_put_field(out, head[i], i == 0);
	csv_end_record(out);
	for (size_t i = 0; i < lg->n; i++) {
		const struct xf_league_row *r = &lg->v[i];
		char v[32];
		csv_put_field(out, r->branch.code, true);
		csv_put_field(out, r->branch.name, false);
		snprintf(v, sizeof v, "%ld", r->st.received);
		csv_put_field(out, v, false);
		csv_rate(out, &r->st.rates[XF_RATE_HANDLE]);
		snprintf(v, sizeof v, "%ld", r->st.overdue);
		csv_put_field(out, v, false);
		csv_rate(out, &r->st.rates[XF_RATE_REPEAT]);
		csv_rate(out, &r->st.rates[XF_RATE_SATISFIED]);
		csv_end_record(out);
	}
}

/* Statistics over a range of receipt dates: counts, the office's rates, week-over-week growth
 * with warning levels, overdue cases; as text with bar charts, as CSV, printed. */
#ifndef XINFANG_REPORT_H
#define XINFANG_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include "xinfang/auth.h"
#include "xinfang/branch.h"
#include "xinfang/print.h"
#include "xinfang/util.h"

/* The axes cases are counted by. */
enum xf_stats_axis {
	XF_AXIS_CHANNEL,
	XF_AXIS_CATEGORY,
	XF_AXIS_DEPARTMENT,
	XF_AXIS_IMPORTANCE,
	XF_AXIS_STATE,
	XF_AXIS_JRT_CHANNEL, /* the three JR/T 0169 axes: counted on request (report_stats_jrt) */
	XF_AXIS_JRT_TYPE,
	XF_AXIS_JRT_CAUSE,
	XF_AXIS_COUNT
};
/* The bits of the three JR/T axes in an axes mask. */
#define XF_AXES_JRT ((1u << XF_AXIS_JRT_CHANNEL) | (1u << XF_AXIS_JRT_TYPE) | (1u << XF_AXIS_JRT_CAUSE))
/* Key ("channel") and Chinese name ("渠道") of an axis; parse takes the key or "dept", -1 unknown. */
const char *report_axis_key(enum xf_stats_axis axis);
const char *report_axis_label(enum xf_stats_axis axis);
int report_axis_parse(const char *s);

/* One bar: a label and a count. */
struct xf_stat_count {
	char label[96];
	long n;
};
struct xf_stat_counts {
	struct xf_stat_count *v;
	size_t n;
};

/* A rate with its numerator and denominator. */
struct xf_rate {
	long num, den;
};
enum xf_rate_kind {
	XF_RATE_TRANSFER, /* 及时转办率 */
	XF_RATE_HANDLE,   /* 按期办结率 */
	XF_RATE_REPLY,    /* 答复及时率 */
	XF_RATE_SATISFIED, /* 满意率 */
	XF_RATE_REPEAT,   /* 重复信访率 */
	XF_RATE_FIRST,    /* 首办一次性办结率 */
	XF_RATE_COUNT
};
/* A rate as a percentage with one decimal ("75.0%"), or "—" when its denominator is 0. */
void report_rate_text(const struct xf_rate *r, char out[16]);
/* Chinese name of a rate, and its definition (numerator ÷ denominator) in one line. */
const char *report_rate_label(enum xf_rate_kind kind);
const char *report_rate_definition(enum xf_rate_kind kind);

/* Week-over-week growth of one category: the last 7 days of the period (ending on its last
 * day, or today when the period reaches past today) against the 7 days before. pct is
 * meaningful only when last_week > 0. */
struct xf_growth {
	char category[64];
	long this_week, last_week;
	double pct;
	char level[32]; /* "蓝色", "黄色", "红色" (as data/warnings.txt names them), or "" */
};

/* Everything the statistics page shows. */
struct xf_stats {
	char since[11], until[11], today[11];
	long received;
	struct xf_stat_counts axes[XF_AXIS_COUNT];
	struct xf_rate rates[XF_RATE_COUNT];
	long handling_cases;     /* cases with an outcome */
	long handling_workdays;  /* sum of their working days from receipt to outcome */
	bool handling_estimated; /* some days lay outside the calendar: weekends alone counted */
	char week_from[11], week_to[11], prev_from[11], prev_to[11];
	char growth_none[160]; /* why there is no growth section (the period lies after today, or
	                          has fewer than 7 days up to today); "" when there is one */
	struct xf_growth *growth;
	size_t ngrowth;
	struct xf_stat_counts overdue_department, overdue_handler;
	bool jrt_counted; /* the JR/T axes were counted */
	long overdue;     /* the overdue cases (as overdue_department counts them) */
	int64_t branch;   /* the one branch counted, or 0: the account's whole reach */
	char scope[160];  /* that branch as "BJ01 北京分行" ("" for the whole reach) */
};
void report_free(struct xf_stats *st);

/* A period as since/until: "month=2026-03", "quarter=2026-Q1", "year=2026". */
int report_period(const char *key, const char *value, char since[11], char until[11], struct xf_err *err);
/* Computes the statistics of cases received in [since, until] in the account's reach (office
 * staff and supervisors only): a branch account counts its branch, a supervisor every branch
 * under its own, consolidated. */
int report_stats(struct xf_session *s, const char *since, const char *until, struct xf_stats *out,
                 struct xf_err *err);
/* The same, of the one branch branch_code names (NULL or "": the whole reach); a code unknown
 * or out of reach is XF_ENOTFOUND (branch_filter's message). */
int report_stats_in(struct xf_session *s, const char *since, const char *until, const char *branch_code,
                    struct xf_stats *out, struct xf_err *err);

/* The branch league table: the figures of the period per branch of the reach, each counted
 * as report_stats_in counts that branch alone (no weekly growth, no overdue handlers). */
struct xf_league_row {
	struct xf_branch branch;
	struct xf_stats st;
};
struct xf_league {
	char since[11], until[11];
	struct xf_league_row *v; /* in the branches' path order until sorted */
	size_t n;
};
/* Counts per branch in one pass: every branch of the reach, or those under (and with) the
 * branch branch_code names. */
int report_league(struct xf_session *s, const char *since, const char *until, const char *branch_code,
                  struct xf_league *out, struct xf_err *err);
void report_league_free(struct xf_league *lg);
/* The league table's columns, the order they can be sorted by. */
enum xf_league_col {
	XF_LEAGUE_RECEIVED,  /* 收到 */
	XF_LEAGUE_ON_TIME,   /* 按期办结率 */
	XF_LEAGUE_OVERDUE,   /* 超期 */
	XF_LEAGUE_REPEAT,    /* 重复信访率 */
	XF_LEAGUE_SATISFIED, /* 满意率 */
	XF_LEAGUE_COL_COUNT
};
/* A column from its key (received ontime overdue repeat satisfied) or Chinese name; -1 unknown. */
int report_league_col_parse(const char *s);
const char *report_league_col_label(enum xf_league_col col);
/* Sorts the table by a column, largest first (a rate without a denominator last), ties in
 * path order. */
void report_league_sort(struct xf_league *lg, enum xf_league_col col);
/* The table as text of at most 80 columns (a header line, then a line per branch), and as CSV
 * (code, name, received, on-time num/den/rate, overdue, repeat num/den/rate, satisfied
 * num/den/rate). */
void report_league_render(const struct xf_league *lg, enum xf_league_col sorted, struct xf_buf *out);
void report_league_csv(const struct xf_league *lg, struct xf_buf *out);
/* Adds the counts by the three JR/T 0169 axes (cases without a code count as 未分类). */
int report_stats_jrt(struct xf_session *s, struct xf_stats *st, struct xf_err *err);
/* The definitions of every figure, for `stats --explain` and README. */
const char *report_explain(void);

/* One warning level of data/warnings.txt: a growth at or over `from` percent (over, when
 * from_strict) and under `to` (at or under when to_inclusive; to < 0: no upper end). */
struct xf_warn_level {
	char name[32];
	double from, to;
	bool from_strict, to_inclusive;
};
/* Parses warning levels (`蓝色 >=10 <20` per line, # comments); errors name the line. */
int report_parse_levels(const char *text, struct xf_warn_level **out, size_t *n, struct xf_err *err);
/* The office's warning levels from data/warnings.txt in the data directory. */
int report_load_levels(struct xf_warn_level **levels, size_t *n, struct xf_err *err);
/* The level a growth falls in, or NULL. */
const struct xf_warn_level *report_level_of(const struct xf_warn_level *levels, size_t n, double pct);

/* True when the counts by axis are shown under axes_mask (bits 1 << enum xf_stats_axis; 0:
 * the five axes, and the JR/T ones when counted). */
bool report_axis_shown(const struct xf_stats *st, unsigned axes_mask, int axis);

/* How a page is measured: UTF-8 terminals show box and block characters one column wide; a
 * Chinese printer fed GB18030 shows every non-ASCII character two columns wide. */
enum xf_render_device {
	XF_RENDER_TERMINAL,
	XF_RENDER_WIDE,
};
/* The statistics as a text page of at most `width` columns with bar charts; axes_mask
 * (bits 1 << enum xf_stats_axis; 0 = the five axes, and the JR/T ones when counted) picks the
 * counts shown. */
void report_render(const struct xf_stats *st, unsigned axes_mask, int width, enum xf_render_device dev,
                   struct xf_buf *out);
/* The statistics as CSV (RFC 4180, UTF-8): section, item, count, numerator, denominator, value. */
void report_csv(const struct xf_stats *st, unsigned axes_mask, struct xf_buf *out);
/* The statistics as CSV in `encoding` (*out a new string); UTF-8 begins with a byte order mark
 * (EF BB BF), as the ledger's does, for Excel. XF_EINVAL when a character cannot be written. */
int report_csv_encoded(const struct xf_stats *st, unsigned axes_mask, const char *encoding, char **out, size_t *len,
                       struct xf_err *err);
/* Writes the statistics as CSV in `encoding` to a file; a name that says another format
 * (x.xlsx, x.xls, x.pdf, …) is refused before anything is written (fileperm_check_extension,
 * the ledger's rule). */
int report_csv_file(const struct xf_stats *st, unsigned axes_mask, const char *encoding, const char *path,
                    struct xf_err *err);
/* The encoding the operator last exported the statistics in at the desk (GB18030 before the
 * first export), and remembering it. */
void report_export_encoding(struct xf_session *s, char *out, size_t n);
int report_export_remember(struct xf_session *s, const char *encoding, struct xf_err *err);
/* Prints the statistics like a slip: as the PDF report or the text page (opts->format; AUTO:
 * the office's format for a spooler, PDF for a *.pdf file, else text), to a file, a spooler
 * queue or back to the caller in *bytes, with who printed it and when at the foot. A file or
 * spooler print is recorded in the audit trail; the caller records its own delivery with
 * report_print_record. opts->report, when set, says where it went and in which format. */
int report_print(struct xf_session *s, const struct xf_stats *st, unsigned axes_mask,
                 const struct xf_print_opts *opts, struct xf_buf *bytes, struct xf_err *err);

/* Records a delivered print of the statistics (period, where, format, encoding, job) in the
 * audit trail as print_stats. */
int report_print_record(struct xf_session *s, const struct xf_stats *st, const struct xf_print_report *report,
                        const char *encoding, struct xf_err *err);

#endif

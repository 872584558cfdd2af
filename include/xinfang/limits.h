/* Time limits: rules with a unit and a length, due dates on the calendar, nearing and overdue. */
#ifndef XINFANG_LIMITS_H
#define XINFANG_LIMITS_H

#include <stdbool.h>
#include "xinfang/calendar.h"
#include "xinfang/util.h"

/* The three limits a case runs against. */
enum xf_limit_kind {
	XF_LIMIT_TRANSFER, /* 批转: pass to a department (default 2 days) */
	XF_LIMIT_HANDLE,   /* 周限: deal with it (default 7 days) */
	XF_LIMIT_REPLY,    /* 月限: answer the petitioner (default 1 month) */
	XF_LIMIT_COUNT
};

/* How a rule's length is counted. */
enum xf_unit {
	XF_UNIT_DAY,     /* calendar days */
	XF_UNIT_WORKDAY, /* working days of the holiday calendar */
	XF_UNIT_MONTH,   /* calendar months: same day, or the month's last day */
};

/* One rule of a rule set; an empty category applies to every category. */
struct xf_rule {
	char ruleset[32];
	enum xf_limit_kind kind;
	char category[64];
	enum xf_unit unit;
	int length;
};

/* A named rule set the office can switch to. */
struct xf_ruleset {
	char name[32];
	char label[128];
};

/* Everything data/limits.txt says. */
struct xf_rules {
	struct xf_rule *rules;
	size_t n;
	struct xf_ruleset *sets;
	size_t nsets;
	char active[32];                 /* the rule set in force */
	int warn_days[XF_LIMIT_COUNT];   /* nearing windows in days */
};

/* Key of a limit kind ("transfer", "handle", "reply") and its Chinese name. */
const char *limits_kind_key(enum xf_limit_kind kind);
const char *limits_kind_label(enum xf_limit_kind kind);
/* Key of a unit ("day", "workday", "month") and its Chinese name. */
const char *limits_unit_key(enum xf_unit unit);
const char *limits_unit_label(enum xf_unit unit);
/* Parses a kind or unit key; -1 when unknown. */
int limits_kind_parse(const char *s);
int limits_unit_parse(const char *s);

/* Parses the text of data/limits.txt; messages name label and the line. */
int limits_parse(const char *text, const char *label, struct xf_rules *out, struct xf_err *err);
/* Adds one rule to a set of rules. */
void limits_add_rule(struct xf_rules *r, const struct xf_rule *rule);
void limits_free(struct xf_rules *r);
/* The rule in force for kind and category in the named rule set: the category's own rule, else
 * the set's general one; NULL when the set has none. */
const struct xf_rule *limits_rule_for(const struct xf_rules *r, const char *ruleset,
                                      enum xf_limit_kind kind, const char *category);

/* Due date for a period of `length` units counted from `received` (the day of receipt not
 * counted), moved to the next working day when it ends on a rest day. XF_ECALENDAR when a day
 * involved lies outside the calendar's years. */
int limits_due(const struct xf_calendar *cal, int received, enum xf_unit unit, int length, int *due,
               struct xf_err *err);
/* As limits_due, but when the calendar lacks a year the date is estimated from weekends and the
 * statutory holidays (statutory.h):
 * *estimated is set and err holds the warning to show. */
int limits_due_or_estimate(const struct xf_calendar *cal, int received, enum xf_unit unit, int length,
                           int *due, bool *estimated, struct xf_err *err);

/* Where a case stands against one of its limits. */
enum xf_limit_state {
	XF_LS_RUNNING, /* still pending: counted on the status bar and listed on the limits list */
	XF_LS_MET,     /* its step was done (transferred, reported, replied) */
	XF_LS_ENDED,   /* the case was closed before its step: no limit runs any more */
};

/* The one rule of which date a case's limit runs to: from a case row's state key (`state`:
 * queued, transferred, reported, replied, closed), its due column (due_transfer, due_handle,
 * due_reply) and the date its step was done (transferred_on, reported_on, replied_on). A limit
 * runs while the case is in a state that still owes its step (the transfer limit while queued,
 * the handle limit until the outcome is reported, the reply limit until the reply); *due and
 * *done (either may be NULL) point into row. The store's partial indexes and the status-bar
 * counts follow the same states (test_limits checks that they agree). */
enum xf_limit_state limits_case_limit(const struct xf_fields *row, enum xf_limit_kind kind, const char **due,
                                      const char **done);
/* The same as words for the case file and show: "2026-12-14（还剩 3 天）", "…（超期 12 天）",
 * "2026-12-14（已于 2026-12-10 完成）", or "已办结" for a closed case's limit that no longer runs. */
void limits_case_text(const struct xf_fields *row, enum xf_limit_kind kind, int today, char *out, size_t n);

#endif

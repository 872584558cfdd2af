/* The limits engine: every received date of 2025–2026 against a plain reading of the rules,
 * month ends, leap years, holidays, year boundaries and unknown years. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/limits.h"
#include "xinfang/paths.h"

/* Day number of an ISO date. */
static int day_of(const char *iso)
{
	int d;
	assert_int_equal(date_parse(iso, &d, NULL), XF_OK);
	return d;
}

/* Loads the shipped calendars for 2025 and 2026. */
static void load_shipped(struct xf_calendar *cal)
{
	calendar_init(cal);
	for (int year = 2025; year <= 2026; year++) {
		char path[512];
		snprintf(path, sizeof path, "%s/holidays/%d.txt", test_datadir(), year);
		char *text;
		struct xf_calfile cf;
		assert_int_equal(paths_read_file(path, &text, NULL, NULL), XF_OK);
		assert_int_equal(calendar_parse(text, path, &cf, NULL), XF_OK);
		calendar_add_year(cal, cf.year);
		for (size_t i = 0; i < cf.n; i++)
			calendar_add_day(cal, cf.days[i].day, cf.days[i].work, cf.days[i].name);
		calfile_free(&cf);
		free(text);
	}
}

/* Working day per the calendar; -1 when the year is unknown. */
static int work(const struct xf_calendar *cal, int day)
{
	bool w;
	if (calendar_is_workday(cal, day, &w, NULL) != XF_OK)
		return -1;
	return w;
}

/* SPEC's rule read plainly: count, then move past rest days. -1 when a year is unknown. */
static int plain_due(const struct xf_calendar *cal, int received, enum xf_unit unit, int length)
{
	int d = received;
	if (unit == XF_UNIT_DAY) {
		d = received + length;
	} else if (unit == XF_UNIT_MONTH) {
		int y, m, dd;
		date_to_ymd(received, &y, &m, &dd);
		m += length;
		while (m > 12)
			m -= 12, y++;
		int last = date_days_in_month(y, m);
		d = date_from_ymd(y, m, dd < last ? dd : last);
	} else {
		int left = length;
		while (left > 0) {
			d++;
			int w = work(cal, d);
			if (w < 0)
				return -1;
			left -= w;
		}
	}
	for (;;) {
		int w = work(cal, d);
		if (w < 0)
			return -1;
		if (w)
			return d;
		d++;
	}
}

/* Every received date, every unit of the shipped rule sets. */
static void every_date_of_2025_and_2026(void **state)
{
	(void)state;
	struct xf_calendar cal;
	load_shipped(&cal);
	static const struct {
		enum xf_unit unit;
		int length;
	} rules[] = {{XF_UNIT_DAY, 2},      {XF_UNIT_DAY, 7},      {XF_UNIT_MONTH, 1}, {XF_UNIT_WORKDAY, 3},
	             {XF_UNIT_WORKDAY, 10}, {XF_UNIT_DAY, 15},     {XF_UNIT_DAY, 30},  {XF_UNIT_DAY, 60}};
	long compared = 0, unknown = 0;
	for (int r = day_of("2025-01-01"); r <= day_of("2026-12-31"); r++) {
		for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
			int want = plain_due(&cal, r, rules[i].unit, rules[i].length);
			int got = 0;
			struct xf_err err;
			int rc = limits_due(&cal, r, rules[i].unit, rules[i].length, &got, &err);
			if (want < 0) {
				assert_int_equal(rc, XF_ECALENDAR);
				assert_non_null(strstr(err.msg, "2027"));
				unknown++;
				continue;
			}
			assert_int_equal(rc, XF_OK);
			if (got != want) {
				char a[11], b[11], c[11];
				date_format(r, a), date_format(got, b), date_format(want, c);
				fail_msg("received %s, %d %s: engine %s, rule %s", a, rules[i].length,
				         limits_unit_key(rules[i].unit), b, c);
			}
			assert_true(work(&cal, got) == 1);
			assert_true(got > r);
			compared++;
		}
	}
	assert_true(compared > 5500);
	assert_true(unknown > 0);
	calendar_free(&cal);
}

/* Hand-checked dates around holidays, month ends and the new year. */
static void hand_checked_dates(void **state)
{
	(void)state;
	struct xf_calendar cal;
	load_shipped(&cal);
	static const struct {
		const char *received;
		enum xf_unit unit;
		int length;
		const char *due;
	} cases[] = {
		{"2026-09-29", XF_UNIT_DAY, 7, "2026-10-08"},     /* lands in 国庆节 */
		{"2025-12-30", XF_UNIT_DAY, 2, "2026-01-04"},     /* across the year into 元旦; 01-04 is a makeup Sunday */
		{"2026-01-31", XF_UNIT_MONTH, 1, "2026-02-28"},   /* month end; 02-28 is a makeup Saturday */
		{"2025-12-31", XF_UNIT_MONTH, 1, "2026-02-02"},   /* 01-31 is a Saturday */
		{"2026-02-13", XF_UNIT_WORKDAY, 3, "2026-02-25"}, /* 02-14 makeup counts, 春节 does not */
		{"2026-09-30", XF_UNIT_MONTH, 1, "2026-10-30"},
		{"2026-09-24", XF_UNIT_DAY, 2, "2026-09-28"},     /* 中秋节 */
		{"2025-01-24", XF_UNIT_DAY, 7, "2025-02-05"},     /* 春节 2025 */
		{"2026-11-20", XF_UNIT_DAY, 2, "2026-11-23"},     /* an ordinary weekend */
		{"2026-03-31", XF_UNIT_MONTH, 1, "2026-04-30"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int due;
		struct xf_err err;
		assert_int_equal(limits_due(&cal, day_of(cases[i].received), cases[i].unit, cases[i].length, &due, &err),
		                 XF_OK);
		char got[11];
		date_format(due, got);
		if (strcmp(got, cases[i].due) != 0)
			fail_msg("received %s: got %s, want %s", cases[i].received, got, cases[i].due);
	}
	calendar_free(&cal);
}

/* Leap years, with a calendar file for 2028 made here. */
static void leap_year(void **state)
{
	(void)state;
	struct xf_calendar cal;
	calendar_init(&cal);
	struct xf_calfile cf;
	assert_int_equal(calendar_parse("year 2028\n2028-01-01 休 元旦\n", "2028.txt", &cf, NULL), XF_OK);
	calendar_add_year(&cal, cf.year);
	calendar_add_day(&cal, cf.days[0].day, false, "元旦");
	calfile_free(&cf);
	int due;
	assert_int_equal(limits_due(&cal, day_of("2028-01-31"), XF_UNIT_MONTH, 1, &due, NULL), XF_OK);
	assert_int_equal(due, day_of("2028-02-29"));
	assert_int_equal(limits_due(&cal, day_of("2028-02-22"), XF_UNIT_DAY, 7, &due, NULL), XF_OK);
	assert_int_equal(due, day_of("2028-02-29"));
	assert_int_equal(limits_due(&cal, day_of("2028-02-29"), XF_UNIT_MONTH, 1, &due, NULL), XF_OK);
	assert_int_equal(due, day_of("2028-03-29"));
	calendar_free(&cal);
}

/* Past the calendar: an error, or an estimate that says so. */
static void unknown_year(void **state)
{
	(void)state;
	struct xf_calendar cal;
	load_shipped(&cal);
	int due;
	bool estimated;
	struct xf_err err;
	assert_int_equal(limits_due(&cal, day_of("2026-12-28"), XF_UNIT_DAY, 7, &due, &err), XF_ECALENDAR);
	assert_non_null(strstr(err.msg, "2027"));
	xf_err_clear(&err);
	assert_int_equal(limits_due_or_estimate(&cal, day_of("2026-12-28"), XF_UNIT_DAY, 7, &due, &estimated, &err),
	                 XF_OK);
	assert_true(estimated);
	assert_int_equal(due, day_of("2027-01-04"));
	assert_non_null(strstr(err.msg, "2027"));
	assert_non_null(strstr(err.msg, "推算"));
	assert_int_equal(limits_due_or_estimate(&cal, day_of("2026-12-24"), XF_UNIT_DAY, 7, &due, &estimated, &err),
	                 XF_OK);
	assert_false(estimated);
	assert_int_equal(due, day_of("2026-12-31"));
	/* 10 working days from Monday 2026-12-28: 元旦 2027 (a Friday) is a statutory holiday, so the
	 * estimate runs 29, 30, 31, 4, 5, 6, 7, 8, 11, 12 January. */
	assert_int_equal(limits_due_or_estimate(&cal, day_of("2026-12-28"), XF_UNIT_WORKDAY, 10, &due, &estimated, &err),
	                 XF_OK);
	assert_true(estimated);
	assert_int_equal(due, day_of("2027-01-12"));
	assert_non_null(strstr(err.msg, "法定节日"));
	/* A period ending on 春节 2027 (除夕 02-05 to 02-08, owed days 02-09, 02-10) moves past it. */
	assert_int_equal(limits_due_or_estimate(&cal, day_of("2027-01-26"), XF_UNIT_DAY, 10, &due, &estimated, &err),
	                 XF_OK);
	assert_int_equal(due, day_of("2027-02-11"));
	calendar_free(&cal);
}

/* The shipped rules parse; categories fall back to the general rule; errors name the line. */
static void rules_file(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s/limits.txt", test_datadir());
	char *text;
	assert_int_equal(paths_read_file(path, &text, NULL, NULL), XF_OK);
	struct xf_rules r;
	struct xf_err err;
	if (limits_parse(text, path, &r, &err) != XF_OK)
		fail_msg("%s", err.msg);
	free(text);
	assert_string_equal(r.active, "seed");
	assert_int_equal(r.warn_days[XF_LIMIT_HANDLE], 2);
	assert_int_equal(r.warn_days[XF_LIMIT_REPLY], 5);
	const struct xf_rule *x = limits_rule_for(&r, "seed", XF_LIMIT_REPLY, "服务态度");
	assert_int_equal(x->unit, XF_UNIT_MONTH);
	assert_int_equal(x->length, 1);
	x = limits_rule_for(&r, "category", XF_LIMIT_REPLY, "服务态度");
	assert_int_equal(x->unit, XF_UNIT_WORKDAY);
	assert_int_equal(x->length, 3);
	x = limits_rule_for(&r, "category", XF_LIMIT_REPLY, "违规操作");
	assert_int_equal(x->length, 10);
	x = limits_rule_for(&r, "category", XF_LIMIT_REPLY, "建议");
	assert_int_equal(x->unit, XF_UNIT_MONTH);
	x = limits_rule_for(&r, "petition2022", XF_LIMIT_HANDLE, "");
	assert_int_equal(x->length, 60);
	assert_null(limits_rule_for(&r, "nosuch", XF_LIMIT_HANDLE, ""));
	limits_free(&r);

	assert_int_equal(limits_parse("ruleset a 说明\na transfer * fortnight 2\n", "l.txt", &r, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "l.txt 第 2 行"));
	assert_int_equal(limits_parse("a transfer * day 2\n", "l.txt", &r, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "未用 ruleset 声明"));
	assert_int_equal(limits_parse("ruleset a x\na transfer * day 2\na handle * day 7\n", "l.txt", &r, &err),
	                 XF_EINVAL);
	assert_non_null(strstr(err.msg, "reply"));
}

/* A case row of a state with its due dates and the dates its steps were done. */
static void case_row(struct xf_fields *row, const char *state, const char *transferred, const char *reported,
                     const char *replied)
{
	fields_init(row);
	fields_set(row, "state", state);
	fields_set(row, "due_transfer", "2026-11-23");
	fields_set(row, "due_handle", "2026-11-27");
	fields_set(row, "due_reply", "2026-12-21");
	fields_set(row, "transferred_on", transferred);
	fields_set(row, "reported_on", reported);
	fields_set(row, "replied_on", replied);
}

/* Which limit runs in which state, and the words: days only while a limit runs, 已办结 once the
 * case is closed without its step. */
static void case_limits_by_state(void **state)
{
	(void)state;
	static const struct {
		const char *state, *transferred, *reported, *replied;
		enum xf_limit_state want[XF_LIMIT_COUNT];
	} cases[] = {
		{"queued", "", "", "", {XF_LS_RUNNING, XF_LS_RUNNING, XF_LS_RUNNING}},
		{"queued", "2026-11-21", "", "", {XF_LS_RUNNING, XF_LS_RUNNING, XF_LS_RUNNING}}, /* returned */
		{"transferred", "2026-11-21", "", "", {XF_LS_MET, XF_LS_RUNNING, XF_LS_RUNNING}},
		{"reported", "2026-11-21", "2026-11-25", "", {XF_LS_MET, XF_LS_MET, XF_LS_RUNNING}},
		{"replied", "2026-11-21", "2026-11-25", "2026-11-26", {XF_LS_MET, XF_LS_MET, XF_LS_MET}},
		{"closed", "2026-11-21", "2026-11-25", "2026-11-26", {XF_LS_MET, XF_LS_MET, XF_LS_MET}},
		{"closed", "", "", "", {XF_LS_ENDED, XF_LS_ENDED, XF_LS_ENDED}},           /* 不予受理, 当场答复, 撤诉 */
		{"closed", "2026-11-21", "", "", {XF_LS_MET, XF_LS_ENDED, XF_LS_ENDED}}, /* withdrawn when transferred */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct xf_fields row;
		case_row(&row, cases[i].state, cases[i].transferred, cases[i].reported, cases[i].replied);
		for (int k = 0; k < XF_LIMIT_COUNT; k++) {
			const char *due, *done;
			if (limits_case_limit(&row, (enum xf_limit_kind)k, &due, &done) != cases[i].want[k])
				fail_msg("case %zu, %s", i, limits_kind_key((enum xf_limit_kind)k));
			char text[96];
			limits_case_text(&row, (enum xf_limit_kind)k, day_of("2027-02-01"), text, sizeof text);
			bool counts = strstr(text, "超期") != NULL || strstr(text, "还剩") != NULL;
			assert_int_equal(counts, cases[i].want[k] == XF_LS_RUNNING);
			if (cases[i].want[k] == XF_LS_ENDED)
				assert_string_equal(text, "已办结");
		}
		fields_free(&row);
	}
	struct xf_fields row;
	case_row(&row, "transferred", "2026-11-21", "", "");
	char text[96];
	limits_case_text(&row, XF_LIMIT_HANDLE, day_of("2026-11-25"), text, sizeof text);
	assert_string_equal(text, "2026-11-27（还剩 2 天）");
	limits_case_text(&row, XF_LIMIT_HANDLE, day_of("2026-12-09"), text, sizeof text);
	assert_string_equal(text, "2026-11-27（超期 12 天）");
	limits_case_text(&row, XF_LIMIT_TRANSFER, day_of("2026-12-09"), text, sizeof text);
	assert_string_equal(text, "2026-11-23（已于 2026-11-21 完成）");
	fields_free(&row);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_date_of_2025_and_2026),
		cmocka_unit_test(hand_checked_dates),
		cmocka_unit_test(leap_year),
		cmocka_unit_test(unknown_year),
		cmocka_unit_test(rules_file),
		cmocka_unit_test(case_limits_by_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

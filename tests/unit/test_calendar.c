/* The holiday calendar against REFERENCE.md, day by day, and the file parser's errors. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/paths.h"
#include "xinfang/statutory.h"

/* REFERENCE.md's table, typed here independently of data/holidays. */
static const struct {
	const char *from, *to;
} holidays[] = {
	{"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"}, {"2025-04-04", "2025-04-06"},
	{"2025-05-01", "2025-05-05"}, {"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"},
	{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
	{"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
	{"2026-10-01", "2026-10-07"},
};
static const char *const makeup[] = {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
                                     "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
                                     "2026-10-10"};

/* Day number of an ISO date, failing the test when it is not one. */
static int day_of(const char *iso)
{
	int d;
	assert_int_equal(date_parse(iso, &d, NULL), XF_OK);
	return d;
}

/* The expected answer from the table above. */
static bool expected_workday(int day)
{
	for (size_t i = 0; i < sizeof makeup / sizeof makeup[0]; i++)
		if (day_of(makeup[i]) == day)
			return true;
	for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++)
		if (day >= day_of(holidays[i].from) && day <= day_of(holidays[i].to))
			return false;
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	/* Zeller-free check of the weekend: 2024-12-30 was a Monday. */
	int dow = ((day - day_of("2024-12-30")) % 7 + 7) % 7; /* 0 Monday */
	return dow < 5;
}

/* Loads data/holidays/YYYY.txt into cal. */
static void load_year(struct xf_calendar *cal, int year)
{
	char path[512];
	snprintf(path, sizeof path, "%s/holidays/%d.txt", test_datadir(), year);
	char *text;
	struct xf_err err;
	assert_int_equal(paths_read_file(path, &text, NULL, &err), XF_OK);
	struct xf_calfile cf;
	int rc = calendar_parse(text, path, &cf, &err);
	if (rc != XF_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(cf.year, year);
	calendar_add_year(cal, cf.year);
	for (size_t i = 0; i < cf.n; i++)
		calendar_add_day(cal, cf.days[i].day, cf.days[i].work, cf.days[i].name);
	calfile_free(&cf);
	free(text);
}

/* Every day of 2025 and 2026 is a working day exactly when REFERENCE.md says so. */
static void every_day_matches_reference(void **state)
{
	(void)state;
	struct xf_calendar cal;
	calendar_init(&cal);
	load_year(&cal, 2025);
	load_year(&cal, 2026);
	int checked = 0, rest = 0;
	for (int day = day_of("2025-01-01"); day <= day_of("2026-12-31"); day++) {
		bool work;
		assert_int_equal(calendar_is_workday(&cal, day, &work, NULL), XF_OK);
		if (work != expected_workday(day)) {
			char iso[11];
			date_format(day, iso);
			fail_msg("%s: calendar says %s", iso, work ? "working day" : "rest day");
		}
		checked++;
		rest += !work;
	}
	assert_int_equal(checked, 730);
	/* 2025: 104 weekend days + 27 holidays - 5 makeup ... counted, not assumed: */
	assert_true(rest > 220 && rest < 240);
	/* Named days carry their names. */
	assert_string_equal(calendar_day_name(&cal, day_of("2026-02-14")), "春节调休上班");
	assert_string_equal(calendar_day_name(&cal, day_of("2025-10-08")), "国庆节、中秋节");
	/* Labels as in the notices: 中秋 2026 (a Friday) needs no makeup day; 09-20 is 国庆节's. */
	assert_string_equal(calendar_day_name(&cal, day_of("2026-09-20")), "国庆节调休上班");
	assert_string_equal(calendar_day_name(&cal, day_of("2026-10-10")), "国庆节调休上班");
	assert_string_equal(calendar_day_name(&cal, day_of("2026-09-25")), "中秋节");
	/* 2025's notice has one item for both: its makeup days are 国庆节、中秋节's. */
	assert_string_equal(calendar_day_name(&cal, day_of("2025-09-28")), "国庆节、中秋节调休上班");
	assert_string_equal(calendar_day_name(&cal, day_of("2025-10-11")), "国庆节、中秋节调休上班");
	calendar_free(&cal);
}

/* Published 春节 (正月初一) dates, written here by hand: an independent check of the lunar
 * calculation behind data/statutory_holidays.txt. */
static const char *const spring_festival[][2] = {
	{"2027", "2027-02-06"}, {"2028", "2028-01-26"}, {"2029", "2029-02-13"}, {"2030", "2030-02-03"},
};

/* Further published 正月初一 dates as year, month, day; 2033-2034 straddle the leap 11th month
 * of 2033, the case simple lunar calculations get wrong. */
static const int spring_by_almanac[][3] = {
	{2031, 1, 23}, {2032, 2, 11}, {2033, 1, 31}, {2034, 2, 19}, {2035, 2, 8},
};

/* Estimates past the notices use the holidays fixed by law, from the lunar calendar. */
static void statutory_holidays_past_the_notices(void **state)
{
	(void)state;
	int first, last;
	statutory_years(&first, &last);
	assert_true(first <= 2027);
	assert_int_equal(last, 2050);
	for (size_t i = 0; i < sizeof spring_festival / sizeof spring_festival[0]; i++) {
		int day = day_of(spring_festival[i][1]);
		const char *name = statutory_holiday(day);
		if (name == NULL || strcmp(name, "春节") != 0)
			fail_msg("%s: 春节 expected on %s, table says %s", spring_festival[i][0], spring_festival[i][1],
			         name ? name : "working day");
		/* 春节 is four days from 除夕: the eve is a holiday, the day before it is not. */
		assert_string_equal(statutory_holiday(day - 1), "春节");
		assert_string_equal(statutory_holiday(day + 2), "春节");
		const char *before = statutory_holiday(day - 2);
		assert_true(before == NULL || strstr(before, "春节") == NULL);
		assert_false(statutory_is_workday(day));
	}
	for (size_t i = 0; i < sizeof spring_by_almanac / sizeof spring_by_almanac[0]; i++) {
		int day = date_from_ymd(spring_by_almanac[i][0], spring_by_almanac[i][1], spring_by_almanac[i][2]);
		assert_non_null(statutory_holiday(day));
		assert_string_equal(statutory_holiday(day), "春节");
	}
	/* Fixed dates, the solar term, and the other lunar days (published dates). */
	assert_string_equal(statutory_holiday(day_of("2027-01-01")), "元旦");
	assert_string_equal(statutory_holiday(day_of("2027-04-05")), "清明节");
	assert_string_equal(statutory_holiday(day_of("2027-05-01")), "劳动节");
	assert_string_equal(statutory_holiday(day_of("2027-06-09")), "端午节");
	assert_string_equal(statutory_holiday(day_of("2027-09-15")), "中秋节");
	assert_string_equal(statutory_holiday(day_of("2027-10-03")), "国庆节");
	assert_null(statutory_holiday(day_of("2027-10-08")));
	/* A holiday on a weekend is made up on the next free weekday (2027-05-01 is a Saturday). */
	assert_string_equal(statutory_holiday(day_of("2027-05-03")), "劳动节补休");
	assert_true(statutory_is_workday(day_of("2027-01-04")));
	assert_false(statutory_is_workday(day_of("2027-01-02"))); /* a Saturday */
	assert_false(statutory_covers(day_of("2051-01-01")));
}

/* A date outside the known years is an error that names the missing year. */
static void unknown_year_is_reported(void **state)
{
	(void)state;
	struct xf_calendar cal;
	calendar_init(&cal);
	load_year(&cal, 2026);
	bool work;
	struct xf_err err;
	assert_int_equal(calendar_is_workday(&cal, day_of("2027-01-04"), &work, &err), XF_ECALENDAR);
	assert_non_null(strstr(err.msg, "2027"));
	assert_non_null(strstr(err.msg, "2026–2026"));
	assert_int_equal(calendar_is_workday(&cal, day_of("2024-12-31"), &work, &err), XF_ECALENDAR);
	assert_non_null(strstr(err.msg, "2024"));
	calendar_free(&cal);
	calendar_init(&cal);
	assert_int_equal(calendar_is_workday(&cal, day_of("2026-01-05"), &work, &err), XF_ECALENDAR);
	assert_non_null(strstr(err.msg, "日历为空"));
}

/* Date arithmetic: weekdays, leap years, month ends. */
static void dates(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(day_of("2026-11-22")), 7);
	assert_int_equal(date_weekday(day_of("2024-02-29")), 4);
	assert_int_equal(date_add_months(day_of("2026-01-31"), 1), day_of("2026-02-28"));
	assert_int_equal(date_add_months(day_of("2028-01-31"), 1), day_of("2028-02-29"));
	assert_int_equal(date_add_months(day_of("2026-12-15"), 1), day_of("2027-01-15"));
	assert_int_equal(date_add_months(day_of("2026-03-31"), 1), day_of("2026-04-30"));
	struct xf_err err;
	int d;
	assert_int_equal(date_parse("2026-02-29", &d, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "不存在"));
	assert_non_null(strstr(err.msg, "2026 年 2 月没有 29 日"));
	assert_int_equal(date_parse("2026-13-01", &d, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "没有 13 月"));
	assert_int_equal(date_parse("2026-03-00", &d, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "没有 0 日"));
	assert_int_equal(date_parse("2100-02-29", &d, &err), XF_EINVAL);
	assert_int_equal(date_parse("2000-02-29", &d, &err), XF_OK);
	assert_int_equal(date_parse("2026-1-5", &d, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "YYYY-MM-DD"));
	for (int day = day_of("1999-12-25"); day < day_of("2031-01-10"); day++) {
		char iso[11];
		int y, m, dd;
		date_format(day, iso);
		assert_int_equal(date_parse(iso, &d, NULL), XF_OK);
		assert_int_equal(d, day);
		date_to_ymd(day, &y, &m, &dd);
		assert_int_equal(date_from_ymd(y, m, dd), day);
	}
}

/* Broken holiday files give their file and line. */
static void parser_errors_name_the_line(void **state)
{
	(void)state;
	struct xf_calfile cf;
	struct xf_err err;
	assert_int_equal(calendar_parse("year 2027\n2027-01-01 休 元旦\n2027-02-30 休 坏日期\n", "2027.txt", &cf, &err),
	                 XF_EINVAL);
	assert_non_null(strstr(err.msg, "2027.txt 第 3 行"));
	assert_int_equal(calendar_parse("2027-01-01 休 元旦\n", "f", &cf, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "第 1 行"));
	assert_int_equal(calendar_parse("year 2027\n2027-01-04 班 周一不能调休\n", "f", &cf, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "周六或周日"));
	assert_int_equal(calendar_parse("year 2027\n2026-12-31 休 去年\n", "f", &cf, &err), XF_EINVAL);
	assert_int_equal(calendar_parse("year 2027\n2027-01-01 放 元旦\n", "f", &cf, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "休"));
	assert_int_equal(calendar_parse("# nothing\n", "f", &cf, &err), XF_EINVAL);
	assert_int_equal(calendar_parse("year 2027\n2027-02-10..2027-02-16 休 春节\n2027-02-20 班 春节调休\n", "f", &cf,
	                                &err),
	                 XF_OK);
	assert_int_equal(cf.n, 8);
	calfile_free(&cf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_day_matches_reference),
		cmocka_unit_test(unknown_year_is_reported),
		cmocka_unit_test(statutory_holidays_past_the_notices),
		cmocka_unit_test(dates),
		cmocka_unit_test(parser_errors_name_the_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

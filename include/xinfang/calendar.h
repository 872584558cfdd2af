/* Dates as day numbers, and the holiday calendar of working and rest days. */
#ifndef XINFANG_CALENDAR_H
#define XINFANG_CALENDAR_H

#include <stdbool.h>
#include "xinfang/util.h"

/* Day number of a proleptic Gregorian date (1970-01-01 is 0). */
int date_from_ymd(int y, int m, int d);
/* Splits a day number into year, month, day. */
void date_to_ymd(int day, int *y, int *m, int *d);
/* 1 = Monday ... 7 = Sunday. */
int date_weekday(int day);
/* Days in month m of year y. */
int date_days_in_month(int y, int m);
/* True when (y, m, d) names a real date. */
bool date_valid(int y, int m, int d);
/* Parses a strict ISO date "YYYY-MM-DD" into *day; XF_EINVAL with a message when impossible. */
int date_parse(const char *s, int *day, struct xf_err *err);
/* Writes "YYYY-MM-DD" into out[11]. */
void date_format(int day, char out[11]);
/* The same day n calendar months later, or that month's last day when it has none. */
int date_add_months(int day, int n);
/* Year of a day number. */
int date_year(int day);

/* One listed exception to the weekend rule. */
struct xf_calday {
	int day;
	bool work;  /* true: a makeup working day (班); false: a holiday (休) */
	char name[64];
};

/* The calendar: the years it knows and their listed exceptions. */
struct xf_calendar {
	int first_year, last_year; /* 0 when no year is known */
	struct xf_calday *days;    /* sorted by day */
	size_t n, cap;
};

void calendar_init(struct xf_calendar *cal);
void calendar_free(struct xf_calendar *cal);
/* Adds a year as known (its exceptions are added with calendar_add_day). */
void calendar_add_year(struct xf_calendar *cal, int year);
/* Adds one exception; keeps the list sorted. */
void calendar_add_day(struct xf_calendar *cal, int day, bool work, const char *name);
/* True when the day's year is inside the known years. */
bool calendar_knows(const struct xf_calendar *cal, int day);
/* Sets *work for day; XF_ECALENDAR with a message naming the missing year when unknown. */
int calendar_is_workday(const struct xf_calendar *cal, int day, bool *work, struct xf_err *err);
/* Name of the holiday or makeup day, or NULL for an ordinary day. */
const char *calendar_day_name(const struct xf_calendar *cal, int day);

/* One year's file parsed: data/holidays/YYYY.txt. */
struct xf_calfile {
	int year;
	struct xf_calday *days;
	size_t n;
};
/* Parses a holiday file's text; errors name the line. `label` names the file in messages. */
int calendar_parse(const char *text, const char *label, struct xf_calfile *out, struct xf_err *err);
void calfile_free(struct xf_calfile *f);

#endif

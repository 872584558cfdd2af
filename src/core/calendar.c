/* Date arithmetic and the holiday calendar (working days, rest days, makeup days). */
#include "xinfang/calendar.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"

/* Day number from a civil date (Howard Hinnant's days_from_civil). */
int date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Civil date from a day number. */
void date_to_ymd(int day, int *y, int *m, int *d)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* ISO weekday, Monday 1 to Sunday 7 (1970-01-01 was a Thursday). */
int date_weekday(int day)
{
	int w = (day % 7 + 7) % 7; /* 0 = Thursday */
	return (w + 3) % 7 + 1;
}

/* Days in a month, leap years included. */
int date_days_in_month(int y, int m)
{
	static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return len[m - 1];
}

/* True for a real calendar date. */
bool date_valid(int y, int m, int d)
{
	return y >= 1800 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= date_days_in_month(y, m);
}

/* Parses strict "YYYY-MM-DD". */
int date_parse(const char *s, int *day, struct xf_err *err)
{
	if (s == NULL)
		return xf_err_set(err, XF_EINVAL, "日期为空：请按 YYYY-MM-DD 填写");
	size_t len = strlen(s);
	bool shape = len == 10 && s[4] == '-' && s[7] == '-';
	for (size_t i = 0; shape && i < len; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			shape = false;
	if (!shape) {
		char shown[XF_CLIP_SIZE];
		return xf_err_set(err, XF_EINVAL, "日期“%s”格式不对：请按 YYYY-MM-DD 填写，如 2026-03-01",
		                  text_clip(s, 40, shown, sizeof shown));
	}
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (m < 1 || m > 12)
		return xf_err_set(err, XF_EINVAL, "日期“%s”不存在：月份只有 1 到 12，没有 %d 月", s, m);
	if (d < 1)
		return xf_err_set(err, XF_EINVAL, "日期“%s”不存在：日子从 1 日起，没有 %d 日", s, d);
	if (!date_valid(y, m, d))
		return xf_err_set(err, XF_EINVAL, "日期“%s”不存在：%d 年 %d 月没有 %d 日", s, y, m, d);
	*day = date_from_ymd(y, m, d);
	return XF_OK;
}

/* Formats a day number as ISO. */
void date_format(int day, char out[11])
{
	int y, m, d;
	char tmp[40];
	date_to_ymd(day, &y, &m, &d);
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

/* Same day n months later, clamped to the month's end. */
int date_add_months(int day, int n)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	int months = y * 12 + (m - 1) + n;
	y = months / 12;
	m = months % 12 + 1;
	int last = date_days_in_month(y, m);
	return date_from_ymd(y, m, d > last ? last : d);
}

/* Year of a day number. */
int date_year(int day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return y;
}

/* An empty calendar that knows no year. */
void calendar_init(struct xf_calendar *cal)
{
	memset(cal, 0, sizeof *cal);
}

/* Releases the calendar's days. */
void calendar_free(struct xf_calendar *cal)
{
	free(cal->days);
	calendar_init(cal);
}

/* Widens the range of known years. */
void calendar_add_year(struct xf_calendar *cal, int year)
{
	if (cal->first_year == 0 || year < cal->first_year)
		cal->first_year = year;
	if (year > cal->last_year)
		cal->last_year = year;
}

/* Inserts one exception in day order (a later entry for the same day wins). */
void calendar_add_day(struct xf_calendar *cal, int day, bool work, const char *name)
{
	size_t lo = 0, hi = cal->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cal->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < cal->n && cal->days[lo].day == day) {
		cal->days[lo].work = work;
		snprintf(cal->days[lo].name, sizeof cal->days[lo].name, "%s", name ? name : "");
		return;
	}
	if (cal->n == cal->cap) {
		cal->cap = cal->cap ? cal->cap * 2 : 64;
		cal->days = xrealloc(cal->days, cal->cap * sizeof *cal->days);
	}
	memmove(cal->days + lo + 1, cal->days + lo, (cal->n - lo) * sizeof *cal->days);
	cal->days[lo].day = day;
	cal->days[lo].work = work;
	snprintf(cal->days[lo].name, sizeof cal->days[lo].name, "%s", name ? name : "");
	cal->n++;
}

/* Finds a listed exception. */
static const struct xf_calday *find_day(const struct xf_calendar *cal, int day)
{
	size_t lo = 0, hi = cal->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cal->days[mid].day < day)
			lo = mid + 1;
		else if (cal->days[mid].day > day)
			hi = mid;
		else
			return &cal->days[mid];
	}
	return NULL;
}

/* True when the calendar has the day's year. */
bool calendar_knows(const struct xf_calendar *cal, int day)
{
	int y = date_year(day);
	return cal->first_year != 0 && y >= cal->first_year && y <= cal->last_year;
}

/* Working day or rest day, or an error for an unknown year. */
int calendar_is_workday(const struct xf_calendar *cal, int day, bool *work, struct xf_err *err)
{
	if (!calendar_knows(cal, day)) {
		char iso[11];
		date_format(day, iso);
		if (cal->first_year == 0)
			return xf_err_set(err, XF_ECALENDAR,
			                  "节假日日历为空，无法判断 %s 是否工作日：请管理员导入 %d 年日历（xinfang calendar load 文件）",
			                  iso, date_year(day));
		return xf_err_set(err, XF_ECALENDAR,
		                  "日期 %s 超出节假日日历（已知 %d–%d 年）：请管理员导入 %d 年日历（xinfang calendar load 文件）",
		                  iso, cal->first_year, cal->last_year, date_year(day));
	}
	const struct xf_calday *ex = find_day(cal, day);
	if (ex != NULL)
		*work = ex->work;
	else
		*work = date_weekday(day) <= 5;
	return XF_OK;
}

/* Name of an exception day. */
const char *calendar_day_name(const struct xf_calendar *cal, int day)
{
	const struct xf_calday *ex = find_day(cal, day);
	return ex ? ex->name : NULL;
}

/* Skips spaces and tabs. */
static const char *skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Appends one day to a parsed file. */
static void calfile_push(struct xf_calfile *f, size_t *cap, int day, bool work, const char *name, size_t name_len)
{
	if (f->n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		f->days = xrealloc(f->days, *cap * sizeof *f->days);
	}
	struct xf_calday *d = &f->days[f->n++];
	d->day = day;
	d->work = work;
	if (name_len >= sizeof d->name)
		name_len = sizeof d->name - 1;
	memcpy(d->name, name, name_len);
	d->name[name_len] = '\0';
}

/* Parses one data line "DATE[..DATE] 休|班 NAME" into f. */
static int parse_day_line(const char *p, const char *label, int lineno, struct xf_calfile *f, size_t *cap,
                          struct xf_err *err)
{
	char first[11] = {0}, last[11] = {0};
	size_t n = strcspn(p, " \t.");
	if (n != 10)
		return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：应以日期 YYYY-MM-DD 开头", label, lineno);
	memcpy(first, p, 10);
	p += 10;
	if (p[0] == '.' && p[1] == '.') {
		p += 2;
		if (strcspn(p, " \t") != 10)
			return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：“..”之后应是结束日期 YYYY-MM-DD", label, lineno);
		memcpy(last, p, 10);
		p += 10;
	} else {
		memcpy(last, first, 11);
	}
	int from, to;
	struct xf_err derr;
	if (date_parse(first, &from, &derr) != XF_OK || date_parse(last, &to, &derr) != XF_OK)
		return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：%s", label, lineno, derr.msg);
	if (to < from || to - from > 31)
		return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：日期范围 %s..%s 不对", label, lineno, first, last);
	if (date_year(from) != f->year || date_year(to) != f->year)
		return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：日期不在本文件的 %d 年内", label, lineno, f->year);
	p = skip_blank(p);
	bool work;
	if (strncmp(p, "休", 3) == 0)
		work = false;
	else if (strncmp(p, "班", 3) == 0)
		work = true;
	else
		return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：日期之后应写“休”（放假）或“班”（调休上班）", label, lineno);
	p = skip_blank(p + 3);
	size_t name_len = strcspn(p, "\r\n");
	while (name_len > 0 && (p[name_len - 1] == ' ' || p[name_len - 1] == '\t'))
		name_len--;
	for (int day = from; day <= to; day++) {
		if (work && date_weekday(day) <= 5)
			return xf_err_set(err, XF_EINVAL, "%s 第 %d 行：调休上班日 %s 应是周六或周日", label, lineno, first);
		calfile_push(f, cap, day, work, p, name_len);
	}
	return XF_OK;
}

/* Parses a holiday file: a "year YYYY" line, then one line per holiday or makeup day. */
int calendar_parse(const char *text, const char *label, struct xf_calfile *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	size_t cap = 0;
	int lineno = 0;
	const char *p = text;
	while (*p) {
		lineno++;
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *line = xstrndup(p, len);
		const char *q = skip_blank(line);
		int rc = XF_OK;
		if (*q == '\0' || *q == '#' || *q == '\r') {
			/* blank or comment */
		} else if (strncmp(q, "year", 4) == 0) {
			q = skip_blank(q + 4);
			int y = atoi(q);
			if (y < 1900 || y > 9999 || out->year != 0)
				rc = xf_err_set(err, XF_EINVAL, "%s 第 %d 行：应写一次“year YYYY”", label, lineno);
			else
				out->year = y;
		} else if (out->year == 0) {
			rc = xf_err_set(err, XF_EINVAL, "%s 第 %d 行：文件应先写“year YYYY”一行", label, lineno);
		} else {
			rc = parse_day_line(q, label, lineno, out, &cap, err);
		}
		free(line);
		if (rc != XF_OK) {
			calfile_free(out);
			return rc;
		}
		p = eol ? eol + 1 : p + len;
	}
	if (out->year == 0)
		return xf_err_set(err, XF_EINVAL, "%s：没有“year YYYY”一行", label);
	return XF_OK;
}

/* Releases a parsed file. */
void calfile_free(struct xf_calfile *f)
{
	free(f->days);
	memset(f, 0, sizeof *f);
}

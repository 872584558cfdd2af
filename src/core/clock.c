/* The one clock of the program. */
#include "xinfang/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "xinfang/calendar.h"

static int override_day;
static int override_set;
static int env_checked;
static long long server_offset; /* seconds the store's server is ahead of this machine */

/* Sets or clears the date override. */
void clock_set_today(int day)
{
	override_day = day;
	override_set = day != -1;
	env_checked = 1;
}

/* Sets the override from ISO text. */
int clock_set_today_iso(const char *iso, struct xf_err *err)
{
	int day;
	int rc = date_parse(iso, &day, err);
	if (rc == XF_OK)
		clock_set_today(day);
	return rc;
}

/* The office keeps Beijing time, UTC+8 (China has had no daylight saving since 1991), whatever
 * the machine's zone or the user's TZ says: a business date is not the user's to move. */
enum { OFFICE_UTC_OFFSET = 8 * 3600 };

/* Reads the system clock as the office's local time. */
static void system_now(struct tm *tm)
{
	time_t t = time(NULL) + (time_t)server_offset + OFFICE_UTC_OFFSET;
	gmtime_r(&t, tm);
}

/* Reads $XINFANG_TODAY once, unless the override was set explicitly first. */
static void check_env(void)
{
	if (env_checked)
		return;
	env_checked = 1;
	const char *env = getenv("XINFANG_TODAY");
	int day;
	if (env != NULL && *env && date_parse(env, &day, NULL) == XF_OK) {
		override_day = day;
		override_set = 1;
	}
}

/* True when today's date is overridden (--today, XINFANG_TODAY or clock_set_today). */
bool clock_overridden(void)
{
	check_env();
	return override_set != 0;
}

/* Today's day number. */
int clock_today(void)
{
	check_env();
	if (override_set)
		return override_day;
	struct tm tm;
	system_now(&tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Now as ISO date-time text. */
void clock_now_iso(char out[20])
{
	struct tm tm;
	system_now(&tm);
	char date[11];
	date_format(clock_today(), date);
	snprintf(out, 20, "%s %02d:%02d:%02d", date, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Real seconds since the epoch. */
long long clock_seconds(void)
{
	return (long long)time(NULL) + server_offset;
}

/* Takes the time from the store's server: its clock read as seconds since the epoch, at the
 * moment this machine's read `local` (the store calls it once it is connected). */
void clock_use_server(long long server, long long local)
{
	server_offset = server - local;
}

/* The real wall-clock time, never the date override, with its UTC offset
 * ("2026-11-25T15:40:01+0800"), for audit records. */
void clock_wall_now(char out[32])
{
	struct tm tm;
	system_now(&tm);
	if (strftime(out, 32, "%Y-%m-%dT%H:%M:%S+0800", &tm) == 0)
		out[0] = '\0';
}

/* Milliseconds of the monotonic clock (how long a wait has lasted). */
long long clock_elapsed_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

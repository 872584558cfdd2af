/* The one clock: every date and time the program uses comes from here. */
#ifndef XINFANG_CLOCK_H
#define XINFANG_CLOCK_H

#include <stdbool.h>
#include "xinfang/util.h"

/* Overrides today's date (a day number from date_from_ymd); -1 returns to the real clock. */
void clock_set_today(int day);
/* Sets the override from an ISO date ("2026-03-01"); XF_EINVAL when it is not a real date. */
int clock_set_today_iso(const char *iso, struct xf_err *err);
/* Today's day number: the override, else $XINFANG_TODAY, else the system's local date. */
int clock_today(void);
/* True when the date is overridden; only a training store accepts that (setup_open refuses
 * it on a production store). */
bool clock_overridden(void);
/* Seconds since the epoch, real time (for waits between login tries). */
long long clock_seconds(void);
/* Takes the time from the store's server from now on (a PostgreSQL store's time is the
 * server's, the same for every desk): its clock in seconds since the epoch, read when this
 * machine's read `local`. A date set with --today still wins for a training store. */
void clock_use_server(long long server, long long local);
/* Now as "YYYY-MM-DD HH:MM:SS" (the date part follows the override) into out[20]. */
void clock_now_iso(char out[20]);
/* The real wall-clock time in Beijing time, with its offset ("2026-11-25T15:40:01+0800"), into out[32]; the
 * date override never applies (audit records carry it beside the business date). */
void clock_wall_now(char out[32]);
/* Milliseconds of a clock that only moves forward, from an arbitrary start: how long a wait has
 * lasted (a reconnect's retries), never a date or a time of day. */
long long clock_elapsed_ms(void);

#endif

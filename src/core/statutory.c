/* Statutory holidays by date, parsed once from the compiled-in data file. */
#include "xinfang/statutory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"

extern const char xf_statutory_text[];

/* One statutory rest day. */
struct statutory_day {
	int day;
	char name[48];
};

static struct statutory_day *table;
static size_t table_n;
static int first_year, last_year;
static bool loaded;

/* Parses the compiled-in file: a "years FIRST LAST" line, then "YYYY-MM-DD NAME" lines in order. */
static void load(void)
{
	if (loaded)
		return;
	loaded = true;
	size_t cap = 0;
	for (const char *p = xf_statutory_text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char line[128];
		snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
		p += len + (eol != NULL);
		int day;
		char iso[11];
		if (sscanf(line, "years %d %d", &first_year, &last_year) == 2 || line[0] == '#' || len < 11)
			continue;
		snprintf(iso, sizeof iso, "%.10s", line);
		if (date_parse(iso, &day, NULL) != XF_OK)
			continue;
		if (table_n == cap) {
			cap = cap ? cap * 2 : 512;
			table = xrealloc(table, cap * sizeof *table);
		}
		const char *name = line + 10;
		while (*name == ' ' || *name == '\t')
			name++;
		size_t name_len = strlen(name);
		if (name_len >= sizeof table[table_n].name)
			continue;
		table[table_n].day = day;
		memcpy(table[table_n].name, name, name_len + 1);
		table_n++;
	}
}

/* Years the table covers. */
void statutory_years(int *first, int *last)
{
	load();
	*first = first_year;
	*last = last_year;
}

/* True inside the covered years. */
bool statutory_covers(int day)
{
	load();
	int y = date_year(day);
	return first_year != 0 && y >= first_year && y <= last_year;
}

/* Binary search for a day's entry. */
const char *statutory_holiday(int day)
{
	load();
	size_t lo = 0, hi = table_n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (table[mid].day < day)
			lo = mid + 1;
		else if (table[mid].day > day)
			hi = mid;
		else
			return table[mid].name;
	}
	return NULL;
}

/* Weekends and statutory holidays are rest days. */
bool statutory_is_workday(int day)
{
	return date_weekday(day) <= 5 && statutory_holiday(day) == NULL;
}

/* Fuzz target: the limit rules file (data/limits.txt). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "xinfang/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses the input as a rules file and, when it parses, computes a due date with each rule. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct xf_rules rules;
	if (limits_parse(s, "fuzz.txt", &rules, NULL) == XF_OK) {
		struct xf_calendar cal;
		calendar_init(&cal);
		calendar_add_year(&cal, 2026);
		for (size_t i = 0; i < rules.n; i++) {
			int due;
			bool estimated;
			limits_due_or_estimate(&cal, date_from_ymd(2026, 6, 1), rules.rules[i].unit, rules.rules[i].length,
			                       &due, &estimated, NULL);
		}
		calendar_free(&cal);
		limits_free(&rules);
	}
	free(s);
	return 0;
}

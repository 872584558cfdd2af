/* Fuzz target: holiday calendar files (data/holidays/YYYY.txt), which admins write by hand. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "xinfang/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses the input as a calendar file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct xf_calfile cf;
	if (calendar_parse(s, "fuzz.txt", &cf, NULL) == XF_OK)
		calfile_free(&cf);
	free(s);
	return 0;
}

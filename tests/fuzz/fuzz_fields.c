/* Fuzz target: field values of every type, as typed at the desk or given on the command line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/case.h"
#include "xinfang/field.h"
#include "xinfang/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the input through every registration field's check, and the number parser. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct xf_err err;
	for (const struct xf_fielddef *d = xf_registration_fields; d->key; d++) {
		char *out = NULL;
		if (field_normalize(d, s, &out, &err) == XF_OK)
			free(out);
	}
	int year, seq;
	case_parse_number(s, &year, &seq, &err);
	text_width(s);
	char *conv = NULL;
	if (text_convert(s, strlen(s), "GB18030", &conv, NULL, NULL) == XF_OK)
		free(conv);
	free(s);
	return 0;
}

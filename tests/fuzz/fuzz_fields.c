/* Fuzz target: field values of every type, as typed at the desk or given on the command line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/case.h"
#include "xinfang/field.h"
#include "xinfang/identity.h"
#include "xinfang/phone.h"
#include "xinfang/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the input through every registration field's check, every document type's check, the
 * phone reader, and the number parser. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct xf_err err;
	for (const struct xf_fielddef *d = xf_registration_fields; d->key; d++) {
		char *out = NULL;
		if (field_normalize(d, s, &out, &err) == XF_OK)
			free(out);
	}
	for (int t = 0; t < XF_ID_COUNT; t++) {
		char *out = NULL;
		struct xf_idinfo info;
		if (identity_check((enum xf_idtype)t, s, "证件号码", &info, &out, &err) == XF_OK) {
			/* The stored form is checked again to the same result. */
			char *again = NULL;
			if (identity_check((enum xf_idtype)t, out, "证件号码", NULL, &again, &err) != XF_OK || strcmp(out, again) != 0)
				abort();
			free(again);
			free(out);
		}
	}
	char *phone = NULL;
	if (phone_normalize(s, "联系电话", &phone, &err) == XF_OK) {
		char *again = NULL;
		if (phone_normalize(phone, "联系电话", &again, &err) != XF_OK || strcmp(phone, again) != 0)
			abort();
		free(again);
		free(phone);
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

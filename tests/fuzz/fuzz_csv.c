/* Fuzz target: the ledger's CSV reader, as an import meets a file saved by Excel or by hand. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/csv.h"
#include "xinfang/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every record; each field must lie inside the record's buffer and be NUL-terminated, and
 * the decoding an import would do must not crash either. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char *decoded = NULL;
	size_t len = size;
	if (!utf8_valid(text, size, NULL)) {
		size_t bad;
		if (text_decode_checked(text, size, "GB18030", &decoded, &len, &bad) == XF_OK)
			text = decoded;
		else
			len = size;
	}
	struct xf_csv c;
	struct xf_csv_record r;
	memset(&r, 0, sizeof r);
	struct xf_err err;
	csv_init(&c, text, len);
	long last_line = 0;
	int got;
	while ((got = csv_next(&c, &r, &err)) == 1) {
		if (r.line < last_line || r.n == 0)
			abort();
		last_line = r.line;
		for (size_t i = 0; i < r.n; i++) {
			const char *f = csv_field(&r, i);
			if (f < r.buf || f >= r.buf + r.len || strlen(f) > r.len)
				abort();
		}
		struct xf_buf out;
		buf_init(&out);
		for (size_t i = 0; i < r.n; i++)
			csv_put_field(&out, csv_field(&r, i), i == 0);
		csv_end_record(&out);
		buf_free(&out);
		(void)csv_record_blank(&r);
	}
	csv_record_free(&r);
	free(decoded);
	return 0;
}

/* Fuzz target: form files. A parsed form is also rendered on both devices, so the layout code
 * meets whatever the parser accepts. */
#include <stddef.h>
#include <stdint.h>

#include "xinfang/form.h"
#include "xinfang/pdf.h"
#include "xinfang/slip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses and, when it parses, renders with a value in every slot. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xf_form form;
	struct xf_err err;
	if (form_parse((const char *)data, size, "fuzz.form", &form, &err) != XF_OK)
		return 0;
	struct xf_fields values;
	fields_init(&values);
	for (size_t i = 0; i < form.nfields; i++)
		fields_set(&values, form.fields[i].key, "测试𠮷 value that is long enough to wrap 换行\n第二行");
	struct xf_slip_meta meta = {"2026年第0001号", "2026-01-01 00:00", "fuzz", true, true};
	struct xf_page page = {30, 240};
	for (int dev = 0; dev < 2; dev++) {
		struct xf_buf out;
		buf_init(&out);
		slip_render(&form, &values, &meta, dev ? XF_DEV_GB : XF_DEV_UTF8, &page, &out, &err);
		buf_free(&out);
	}
	/* The same form as a PDF page. */
	struct xf_buf pdf;
	buf_init(&pdf);
	pdf_render(&form, &values, &meta, &pdf, &err);
	buf_free(&pdf);
	fields_free(&values);
	form_free(&form);
	return 0;
}

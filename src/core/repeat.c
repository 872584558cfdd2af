/* Repeat petitions, counted and capped. */
#include "xinfang/repeat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/case.h"

/* Newest first: by received date, then by number. */
static int newest_first(const void *a, const void *b)
{
	const struct xf_fields *x = a, *y = b;
	int c = strcmp(fields_str(y, "received"), fields_str(x, "received"));
	return c ? c : strcmp(fields_str(y, "number"), fields_str(x, "number"));
}

/* Counts and the latest few. */
int repeat_find(struct xf_session *s, const struct xf_fields *in, int64_t exclude_id, size_t keep,
                struct xf_repeat *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	struct xf_rows all;
	int rc = case_repeat_matches(s, in, exclude_id, &all, err);
	if (rc != XF_OK)
		return rc;
	out->total = all.n;
	for (size_t i = 0; i < all.n; i++) {
		const char *m = fields_str(&all.v[i], "match");
		if (strcmp(m, "身份证号") == 0)
			out->by_id++;
		else if (strcmp(m, "联系电话") == 0)
			out->by_phone++;
		else
			out->by_name++;
	}
	if (all.n > 1)
		qsort(all.v, all.n, sizeof *all.v, newest_first);
	while (all.n > keep)
		fields_free(&all.v[--all.n]);
	out->latest = all;
	return XF_OK;
}

/* Releases the rows. */
void repeat_free(struct xf_repeat *r)
{
	rows_free(&r->latest);
	r->total = 0;
}

/* "身份证号相同 1 件、电话相同 2 件、同名 712 件". */
void repeat_counts_text(const struct xf_repeat *r, char *out, size_t n)
{
	const size_t counts[] = {r->by_id, r->by_phone, r->by_name};
	static const char *const labels[] = {"身份证号相同", "电话相同", "同名"};
	out[0] = '\0';
	for (size_t i = 0; i < 3; i++)
		if (counts[i]) {
			size_t used = strlen(out);
			snprintf(out + used, n - used, "%s%s %zu 件", used ? "、" : "", labels[i], counts[i]);
		}
}

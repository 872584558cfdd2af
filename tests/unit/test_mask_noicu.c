/* The mask fails closed when ICU cannot be loaded: run with a library in ICU's place that is
 * not ICU (tests/noicu first on LD_LIBRARY_PATH), as on a machine where libicu is missing or of
 * another version. Names cannot be compared, so a handler sees no identity and no text that
 * may name the petitioner, a page for departments is not made, and no move that needs recusal
 * checked is done; each refusal says what to install. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/icu_libs.h"
#include "xinfang/mask.h"

/* The loader finds no ICU and says which library to install. */
static void icu_missing_said(void **state)
{
	(void)state;
	struct xf_err err;
	xf_err_clear(&err);
	assert_int_not_equal(icu_libs_load(&err), XF_OK);
	assert_non_null(strstr(err.msg, "比对姓名（ICU）所需的库缺少函数 u_"));
	/* Asked again, it answers the same at once. */
	xf_err_clear(&err);
	assert_int_not_equal(icu_libs_load(&err), XF_OK);
	assert_non_null(strstr(err.msg, "ICU"));
}

/* Without ICU every text may name anyone: nobody may see, everybody may be recused. */
static void rules_fail_closed(void **state)
{
	(void)state;
	assert_true(mask_text_names("网点排队时间过长", "李四"));
	struct xf_fields row;
	fields_init(&row);
	fields_set(&row, "confidential", "0");
	fields_set(&row, "summary", "网点排队时间过长");
	assert_false(mask_department_may_see(&row, "个人金融部"));
	fields_free(&row);
	char *n = mask_normalize("张三");
	assert_string_equal(n, "");
	free(n);
}

/* What a handler would see of a case the rule lets them see (not confidential, naming neither
 * them nor their department) is every value withheld but its number; a list row is refused,
 * saying why; the office reads the case as written. */
static void handler_sees_nothing(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t a = fixture_case(&fx, "name=张三", "summary=张三来电反映网点排队时间过长", NULL);
	struct xf_fields v;
	struct xf_err err;
	assert_int_equal(case_view(&fx.head, a, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "name"), "张三");
	assert_string_equal(fields_str(&v, "summary"), "张三来电反映网点排队时间过长");
	struct xf_fields case_row, pet;
	assert_int_equal(store_get(fx.st, "cases", a, &case_row, &err), XF_OK);
	fields_init(&pet);
	fields_set(&pet, "name", "张三");
	char number[64];
	snprintf(number, sizeof number, "%s", fields_str(&v, "number"));
	mask_apply(&fx.handler, &case_row, &pet, &v);
	assert_string_equal(fields_str(&v, "name"), XF_MASKED);
	assert_string_equal(fields_str(&v, "summary"), XF_MASKED);
	assert_string_equal(fields_str(&v, "number"), number);
	fields_free(&v);
	fields_free(&pet);
	fields_free(&case_row);
	struct xf_fields row;
	fields_init(&row);
	char id[32];
	snprintf(id, sizeof id, "%lld", (long long)a);
	fields_set(&row, "id", id);
	fields_set(&row, "name", "张三");
	xf_err_clear(&err);
	assert_int_equal(mask_case_fields(&fx.handler, &row, &err), XF_EIO);
	assert_non_null(strstr(err.msg, "比对姓名（ICU）"));
	assert_non_null(strstr(err.msg, "一律不显示"));
	fields_free(&row);
	/* A transfer needs recusal checked: refused, and the case stays where it was. */
	char before[32], after[32];
	fixture_state(&fx, a, before);
	struct xf_fields in;
	fields_from(&in, "dept=个人金融部", NULL);
	xf_err_clear(&err);
	assert_int_equal(case_move(&fx.head, a, XF_MV_TRANSFER, &in, 0, &err), XF_EIO);
	assert_non_null(strstr(err.msg, "核对回避"));
	fields_free(&in);
	assert_string_equal(fixture_state(&fx, a, after), before);
	/* A page for departments is not made. */
	fields_init(&v);
	fields_set(&v, "name", "张三");
	assert_int_equal(mask_outgoing(&fx.head, a, "个人金融部", false, &v, &err), XF_EIO);
	assert_string_equal(fields_str(&v, "name"), "张三"); /* and nothing is sent */
	fields_free(&v);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(icu_missing_said),
		cmocka_unit_test(rules_fail_closed),
		cmocka_unit_test(handler_sees_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

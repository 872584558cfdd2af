/* The reference lists the admin keeps, and the calendar's coverage warnings. */
#include "testutil.h"

#include "xinfang/desk.h"

#include <stdlib.h>
#include <string.h>

#include "xinfang/reference.h"

/* The row named `name` of a list, or NULL. */
static const struct xf_fields *named(const struct xf_rows *rows, const char *name)
{
	for (size_t i = 0; i < rows->n; i++)
		if (strcmp(fields_str(&rows->v[i], "name"), name) == 0)
			return &rows->v[i];
	return NULL;
}

/* Departments, categories and channels: added and changed by the admin only, audited. */
static void admin_keeps_the_lists(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_fields in;
	fields_init(&in);
	fields_set(&in, "name", "普惠金融部");
	fields_set(&in, "note", "小微企业贷款");
	struct xf_err err;
	assert_int_equal(reference_add(&fx.clerk, "departments", &in, &err), XF_EDENIED);
	assert_int_equal(reference_add(&fx.admin, "departments", &in, &err), XF_OK);
	assert_int_equal(reference_add(&fx.admin, "departments", &in, &err), XF_EEXIST);
	fields_free(&in);
	fields_init(&in);
	fields_set(&in, "department", "普惠金融部");
	fields_set(&in, "group", "复杂投诉");
	assert_int_equal(reference_edit(&fx.admin, "categories", "服务态度", &in, &err), XF_OK);
	fields_set(&in, "department", "不存在部");
	assert_int_equal(reference_edit(&fx.admin, "categories", "服务态度", &in, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "不存在部"));
	fields_free(&in);
	fields_init(&in);
	fields_set(&in, "active", "停用");
	assert_int_equal(reference_edit(&fx.admin, "departments", "公司金融部", &in, &err), XF_OK);
	fields_free(&in);
	fields_init(&in);
	fields_set(&in, "name", "网络舆情");
	fields_set(&in, "important", "重要");
	assert_int_equal(reference_add(&fx.admin, "channels", &in, &err), XF_OK);
	fields_free(&in);
	struct xf_rows rows;
	assert_int_equal(reference_list(&fx.admin, "categories", &rows, &err), XF_OK);
	assert_string_equal(fields_str(named(&rows, "服务态度"), "department"), "普惠金融部");
	assert_string_equal(fields_str(named(&rows, "服务态度"), "group"), "复杂投诉");
	rows_free(&rows);
	assert_int_equal(reference_list(&fx.admin, "departments", &rows, &err), XF_OK);
	assert_string_equal(fields_str(named(&rows, "公司金融部"), "active"), "停用");
	assert_string_equal(fields_str(named(&rows, "普惠金融部"), "note"), "小微企业贷款");
	rows_free(&rows);
	assert_int_equal(reference_list(&fx.admin, "channels", &rows, &err), XF_OK);
	assert_string_equal(fields_str(named(&rows, "网络舆情"), "important"), "重要");
	rows_free(&rows);
	/* The lists keep the order they were given in, a new entry last, on either backend (on
	 * PostgreSQL no rowid keeps it: the entries' own places do). */
	assert_int_equal(desk_choices(&fx.clerk, "channels", &in, &err), XF_OK);
	assert_int_equal(in.n, 9);
	assert_string_equal(in.v[0].key, "来信");
	assert_string_equal(in.v[6].key, "上级转办");
	assert_string_equal(in.v[8].key, "网络舆情");
	fields_free(&in);
	/* A case from the new channel is important. */
	int64_t id = fixture_case(&fx, "channel=网络舆情", NULL);
	struct xf_fields view;
	assert_int_equal(case_view(&fx.clerk, id, &view, &err), XF_OK);
	assert_string_equal(fields_str(&view, "importance"), "重要");
	fields_free(&view);
	assert_int_equal(store_list(fx.st, "audit", "action", "reference_add", &rows, &err), XF_OK);
	assert_int_equal(rows.n, 2);
	rows_free(&rows);
	fixture_close(&fx);
}

/* The years loaded, and a warning in December when next year's calendar is missing. */
static void calendar_coverage(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-12-01");
	struct xf_rows years;
	struct xf_fields warnings;
	struct xf_err err;
	assert_int_equal(reference_calendar(&fx.admin, &years, &warnings, &err), XF_OK);
	bool have_2026 = false;
	for (size_t i = 0; i < years.n; i++)
		have_2026 = have_2026 || strcmp(fields_str(&years.v[i], "year"), "2026") == 0;
	assert_true(have_2026);
	bool next_year = false;
	for (size_t i = 0; i < warnings.n; i++)
		next_year = next_year || strstr(warnings.v[i].val, "2027 年的节假日日历尚未导入") != NULL;
	assert_true(next_year);
	rows_free(&years);
	fields_free(&warnings);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(admin_keeps_the_lists),
		cmocka_unit_test(calendar_coverage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

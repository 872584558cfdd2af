/* Form files: the shipped forms parse, and broken ones say where and what. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/form.h"

/* The forms directory handed in by meson. */
static const char *forms(void)
{
	const char *d = getenv("XINFANG_FORMS");
	assert_non_null(d);
	return d;
}

/* Every field of SPEC's three forms is there, with its slot. */
static void shipped_forms(void **state)
{
	(void)state;
	static const struct {
		const char *name, *title;
		const char *keys[24];
	} want[] = {
		{"registration", "信访登记表",
		 {"number", "received", "channel", "name", "gender", "age", "id_number", "phone", "address", "work_unit",
		  "people", "anonymous", "subject", "accused", "category", "amount", "summary", "materials", "confidential",
		  "first_asked", "receiver", "importance", "spot_answer", NULL}},
		{"transfer", "信访转办单",
		 {"number", "summary", "dept", "co_depts", "instruction", "leader", "opinion", "deadline", "transfer_date",
		  "issued_by", NULL}},
		{"outcome", "处理结果报告单",
		 {"number", "findings", "accountability", "rectification", "satisfaction", "handled_on", "handler",
		  "dept_head", "contact_phone", "reply_method", "reply_date", NULL}},
	};
	for (size_t i = 0; i < 3; i++) {
		struct xf_form f;
		struct xf_err err;
		if (form_load(forms(), want[i].name, &f, &err) != XF_OK)
			fail_msg("%s", err.msg);
		assert_string_equal(f.name, want[i].name);
		assert_string_equal(f.title, want[i].title);
		for (size_t k = 0; want[i].keys[k]; k++) {
			if (form_field(&f, want[i].keys[k]) == NULL || form_slot(&f, want[i].keys[k]) == NULL)
				fail_msg("%s lacks %s", want[i].name, want[i].keys[k]);
		}
		assert_true(f.width <= 80);
		form_free(&f);
	}
	struct xf_form f;
	assert_int_equal(form_load(forms(), "registration", &f, NULL), XF_OK);
	const struct xf_slot *s = form_slot(&f, "summary");
	assert_int_equal(s->rows, 5);
	assert_int_equal(s->width, 52);
	assert_int_equal(form_field(&f, "summary")->type, XF_F_LONGTEXT);
	assert_true(form_field(&f, "summary")->required);
	assert_int_equal(form_field(&f, "id_number")->type, XF_F_IDNUM);
	assert_string_equal(form_field(&f, "channel")->list, "channels");
	assert_string_equal(form_field(&f, "received")->def, "today");
	form_free(&f);
}

/* One broken form and the words its message must carry. */
struct broken {
	const char *text;
	const char *says[3];
};

/* Broken forms are refused with the line, the column and what was expected. */
static void parser_errors(void **state)
{
	(void)state;
	static const struct broken cases[] = {
		{"name = t\n[layout]\n│{name    │\n[fields]\nname 姓名 text\n", {"第 3 行", "第 11 列", "}"}},
		{"name = t\n[layout]\n│{name }│\n[fields]\nname 姓名 texty\n", {"第 5 行", "texty", "longtext"}},
		{"name = t\n[layout]\n│{name }│{age }│\n[fields]\nname 姓名 text\n", {"第 3 行", "{age}", "没有定义"}},
		{"name = t\n[layout]\n│{name }│\n[fields]\nname 姓名 text\nage 年龄 int\n", {"第 6 行", "age", "没有位置"}},
		{"name = t\n[layout]\n│\t{name }│\n[fields]\nname 姓名 text\n", {"第 3 行", "Tab", NULL}},
		{"name = t\n[layout]\n│\xff{name }│\n[fields]\nname 姓名 text\n", {"第 3 行", "UTF-8", NULL}},
		{"name = t\n[layout]\n│{name }│\n  │{name }│\n[fields]\nname 姓名 text\n", {"第 4 行", "对齐", NULL}},
		{"name = t\n[layout]\n│{name }│\n", {"[fields]", NULL, NULL}},
		{"title = x\n[layout]\n│{name }│\n[fields]\nname 姓名 text\n", {"name = ", NULL, NULL}},
		{"name = t\n[layout]\n│{ name }│\n[fields]\nname 姓名 text\n", {"第 3 行", "字段名", NULL}},
		{"name = t\n[layout]\n│{name }│\n[fields]\nname 姓名 text maxi=3\n", {"第 5 行", "maxi=3", NULL}},
		{"name = t\n[layout]\n│{pick }│\n[fields]\npick 选择 choice\n", {"第 5 行", "list=", NULL}},
		{"name = t\n[layout]\n│{name }│\n[fields]\nname 姓名 text\nname 又名 text\n", {"第 6 行", "重复", NULL}},
		{"name = t\n[layout]\n}\n[fields]\n", {"第 3 行", "第 1 列", "}"}},
		{"garbage\n", {"第 1 行", "name = ", NULL}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct xf_form f;
		struct xf_err err;
		xf_err_clear(&err);
		int rc = form_parse(cases[i].text, strlen(cases[i].text), "t.form", &f, &err);
		if (rc != XF_EINVAL)
			fail_msg("case %zu accepted", i);
		for (int k = 0; k < 3 && cases[i].says[k]; k++)
			if (strstr(err.msg, cases[i].says[k]) == NULL)
				fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, cases[i].says[k]);
		assert_non_null(strstr(err.msg, "t.form"));
	}
	/* NUL bytes and a missing file. */
	struct xf_form f;
	struct xf_err err;
	assert_int_equal(form_parse("name = t\0", 9, "t.form", &f, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "NUL"));
	assert_int_equal(form_load("/nonexistent", "registration", &f, &err), XF_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/registration.form"));
	assert_int_equal(form_load(forms(), "../etc/passwd", &f, &err), XF_EINVAL);
}

/* A small form that parses, multi-line slot included. */
static void small_form(void **state)
{
	(void)state;
	const char *text = "name = t\ntitle = 测试\n# comment\n[layout]\n  标题\n┌────┬──────┐\n│名字│{name}│\n"
	                   "│事实│{text}│\n│    │{text}│\n└────┴──────┘\n\n[fields]\nname 姓名 text required\n"
	                   "text 事实 longtext max=100\n";
	struct xf_form f;
	struct xf_err err;
	if (form_parse(text, strlen(text), "t.form", &f, &err) != XF_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(f.nrows, 6);
	assert_int_equal(f.width, 13);
	const struct xf_slot *s = form_slot(&f, "text");
	assert_int_equal(s->row, 3);
	assert_int_equal(s->col, 6);
	assert_int_equal(s->rows, 2);
	assert_int_equal(s->width, 6);
	assert_int_equal(form_field(&f, "text")->max, 100);
	form_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_forms),
		cmocka_unit_test(parser_errors),
		cmocka_unit_test(small_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Field checks: ID numbers, phones, amounts, yes/no, text widths and bytes. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"
#include "xinfang/text.h"

/* REFERENCE.md's valid examples pass; one wrong digit anywhere fails. */
static void id_numbers(void **state)
{
	(void)state;
	clock_set_today_iso("2026-11-22", NULL);
	struct xf_idinfo info;
	struct xf_err err;
	char norm[19];
	assert_int_equal(field_check_id("11010519491231002X", "身份证号", &info, norm, &err), XF_OK);
	assert_false(info.male);
	assert_int_equal(field_age_on(info.birth, clock_today()), 76);
	assert_int_equal(field_check_id("440524188001010014", "身份证号", &info, norm, &err), XF_OK);
	assert_true(info.male);
	assert_int_equal(field_check_id("11010519491231002x", "身份证号", NULL, norm, &err), XF_OK);
	assert_string_equal(norm, "11010519491231002X");
	/* Change each of the first 17 digits: the check character no longer fits. */
	for (int i = 0; i < 17; i++) {
		char s[] = "11010519491231002X";
		if (i >= 6 && i < 14)
			continue; /* birth-date digits may make an impossible date instead */
		s[i] = s[i] == '9' ? '0' : (char)(s[i] + 1);
		assert_int_equal(field_check_id(s, "身份证号", NULL, NULL, &err), XF_EINVAL);
	}
	assert_int_equal(field_check_id("110105194912310021", "身份证号", NULL, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "校验位"));
	assert_non_null(strstr(err.msg, "X"));
	assert_int_equal(field_check_id("1101051949123100", "身份证号", NULL, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "18 位"));
	assert_int_equal(field_check_id("110105194902300021", "身份证号", NULL, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "不存在"));
	char future[19] = "11010520300101001";
	future[17] = field_id_check_char(future);
	future[18] = '\0';
	assert_int_equal(field_check_id(future, "身份证号", NULL, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "晚于今天"));
	assert_int_equal(field_check_id("11010519491231002Y", "身份证号", NULL, NULL, &err), XF_EINVAL);
}

/* Mobile and landline shapes. */
static void phones(void **state)
{
	(void)state;
	struct xf_err err;
	const char *good[] = {"13812345678", "19912345678", "010-12345678", "0755-1234567", "0755-1234567-801",
	                      "021-87654321-12"};
	const char *bad[] = {"12812345678", "1381234567", "138123456789", "10-12345678", "010-123456",
	                     "0755-123456789", "010-12345678-", "13812345678 ", "电话", ""};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(field_check_phone(good[i], "联系电话", &err), XF_OK);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(field_check_phone(bad[i], "联系电话", &err), XF_EINVAL);
		assert_non_null(strstr(err.msg, "联系电话"));
	}
}

/* Amounts, yes/no, integers. */
static void numbers_and_choices(void **state)
{
	(void)state;
	char out[32];
	struct xf_err err;
	assert_int_equal(field_normalize_amount("52000", "金额", out, &err), XF_OK);
	assert_string_equal(out, "52000.00");
	assert_int_equal(field_normalize_amount("0012.5", "金额", out, &err), XF_OK);
	assert_string_equal(out, "12.50");
	assert_int_equal(field_normalize_amount("1.234", "金额", out, &err), XF_EINVAL);
	assert_int_equal(field_normalize_amount("-5", "金额", out, &err), XF_EINVAL);
	assert_int_equal(field_normalize_amount("5万", "金额", out, &err), XF_EINVAL);
	bool yes;
	const char *yeses[] = {"是", "y", "1", "yes"}, *nos[] = {"否", "n", "0", "no"};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(field_parse_yesno(yeses[i], "保密", &yes, &err), XF_OK);
		assert_true(yes);
		assert_int_equal(field_parse_yesno(nos[i], "保密", &yes, &err), XF_OK);
		assert_false(yes);
	}
	assert_int_equal(field_parse_yesno("也许", "保密", &yes, &err), XF_EINVAL);
	long v;
	assert_int_equal(field_parse_int("12", "年龄", 0, 150, &v, &err), XF_OK);
	assert_int_equal(v, 12);
	assert_int_equal(field_parse_int("151", "年龄", 0, 150, &v, &err), XF_EINVAL);
	assert_int_equal(field_parse_int("12岁", "年龄", 0, 150, &v, &err), XF_EINVAL);
}

/* Display widths in columns, invalid bytes, control characters and length limits. */
static void text(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("张伟"), 4);
	assert_int_equal(text_width("𠮷"), 2);
	assert_int_equal(text_width("䶮"), 2);
	assert_int_equal(text_width("ＡＢ"), 4);
	assert_int_equal(text_width("e\xcc\x81"), 1);
	assert_int_equal(text_chars("𠮷祥"), 2);
	assert_int_equal(text_width("\xff"), -1);
	struct xf_err err;
	assert_int_equal(field_check_text("张伟", "姓名", 4, false, &err), XF_OK);
	assert_int_equal(field_check_text("张伟伟", "姓名", 4, false, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "6 列"));
	assert_int_equal(field_check_text("ab\xc3", "姓名", 0, false, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "无效字节"));
	assert_int_equal(field_check_text("\xed\xa0\x80", "姓名", 0, false, &err), XF_EINVAL); /* surrogate */
	assert_int_equal(field_check_text("\xc0\xaf", "姓名", 0, false, &err), XF_EINVAL);     /* overlong */
	assert_int_equal(field_check_text("a\nb", "姓名", 0, false, &err), XF_EINVAL);
	assert_int_equal(field_check_text("a\nb", "事实", 0, true, &err), XF_OK);
	uint32_t cp;
	assert_int_equal(utf8_decode("𠮷", 4, &cp), 4);
	assert_int_equal(cp, 0x20bb7);
	char buf[4];
	assert_int_equal(utf8_encode(0x20bb7, buf), 4);
	assert_memory_equal(buf, "𠮷", 4);
}

/* field_normalize by type, as registration uses it. */
static void normalize(void **state)
{
	(void)state;
	clock_set_today_iso("2026-11-22", NULL);
	char *out;
	struct xf_err err;
	assert_int_equal(field_normalize(field_def("received"), "2026-11-20 09:30", &out, &err), XF_OK);
	assert_string_equal(out, "2026-11-20 09:30");
	free(out);
	assert_int_equal(field_normalize(field_def("received"), "2026-11-20 24:30", &out, &err), XF_EINVAL);
	assert_int_equal(field_normalize(field_def("received"), "2026-13-01", &out, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "收件时间"));
	assert_int_equal(field_normalize(field_def("confidential"), "y", &out, &err), XF_OK);
	assert_string_equal(out, "是");
	free(out);
	assert_int_equal(field_normalize(field_def("id_number"), "11010519491231002x", &out, &err), XF_OK);
	assert_string_equal(out, "11010519491231002X");
	free(out);
	assert_int_equal(field_normalize(field_def("people"), "五", &out, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "人数"));
	assert_null(field_def("nosuch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(id_numbers), cmocka_unit_test(phones),    cmocka_unit_test(numbers_and_choices),
		cmocka_unit_test(text),       cmocka_unit_test(normalize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

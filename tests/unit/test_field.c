/* Field checks: ID numbers, phones, amounts, yes/no, text widths and bytes. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"
#include "xinfang/identity.h"
#include "xinfang/phone.h"
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
	assert_int_equal(field_check_id("440524198001010013", "身份证号", &info, norm, &err), XF_OK);
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
	/* Area codes are GB/T 2260 codes of any year: 000000 and 999999 never were; 440524 (潮阳县,
	 * since retired) still is valid on the numbers issued under it. */
	assert_int_equal(field_check_id("000000198001010013", "身份证号", NULL, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "行政区划"));
	assert_int_equal(field_check_id("999999198001010011", "身份证号", NULL, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "999999"));
	assert_string_equal(identity_division_name("440524"), "潮阳县");
	assert_string_equal(identity_division_name("110105"), "朝阳区");
	assert_null(identity_division_name("000000"));
	/* The Ministry of Civil Affairs' codes, those in use (三沙市's districts since 2020, the two
	 * counties Xinjiang added in December 2024) and retired ones alike, are accepted. */
	static const char *const valid[] = {
		"460302199001010012", /* 西沙区 */
		"460303199001010035", /* 南沙区 */
		"65322820250101001X", /* 和康县 */
		"653229202501010024", /* 和安县 */
		"140511198001010010", /* 郊区 (长治市, retired) */
	};
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
		if (field_check_id(valid[i], "身份证号", NULL, NULL, &err) != XF_OK)
			fail_msg("%s refused: %s", valid[i], err.msg);
	assert_string_equal(identity_division_name("460302"), "西沙区");
	assert_string_equal(identity_division_name("653229"), "和安县");
	assert_string_equal(identity_division_name("442229"), "西沙、南沙、中沙群岛");
	/* Retired codes carry the name the Ministry last published for them. */
	assert_string_equal(identity_division_name("142702"), "永济市");
	assert_string_equal(identity_division_name("142703"), "河津市");
	/* Statistics-bureau development zones (xx7x) are not GB/T 2260 codes: no ID begins with one. */
	assert_int_equal(field_check_id("130171199001010018", "身份证号", NULL, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "130171"));
	assert_null(identity_division_name("130171"));
	assert_null(identity_division_name("232761"));
	/* Birth years from 1900. */
	assert_int_equal(field_check_id("110105189901010017", "身份证号", NULL, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "1900"));
	/* Full-width digits and spaces are normalised; lengths count characters, not bytes. */
	assert_int_equal(field_check_id("１１０１０５１９４９１２３１００２ｘ", "身份证号", &info, norm, &err), XF_OK);
	assert_string_equal(norm, "11010519491231002X");
	assert_int_equal(field_check_id(" 110105 19491231 002X　", "身份证号", NULL, norm, &err), XF_OK);
	assert_string_equal(norm, "11010519491231002X");
	assert_int_equal(field_check_id("１１０１０５１９４９１２３１００２", "身份证号", NULL, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "现在是 17 位"));
	assert_int_equal(field_check_id("一二三四五六七八九十一二三四五六七八九", "身份证号", NULL, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "现在是 19 位"));
}

/* Every document type: a valid number passes in its stored form, invalid ones are refused
 * with a message naming the field. */
static void documents(void **state)
{
	(void)state;
	clock_set_today_iso("2026-11-22", NULL);
	static const struct {
		enum xf_idtype type;
		const char *in, *stored;
	} good[] = {
		{XF_ID_RESIDENT, "11010519491231002x", "11010519491231002X"},
		{XF_ID_HKMO_PERMIT, "H12345678", "H12345678"},
		{XF_ID_HKMO_PERMIT, "m1234567890", "M1234567890"},
		/* Non-Chinese nationals resident in Hong Kong or Macao (cards since 2024-07-10). */
		{XF_ID_HKMO_PERMIT, "HA1234567", "HA1234567"},
		{XF_ID_HKMO_PERMIT, "ma 123 4567", "MA1234567"},
		{XF_ID_TW_PERMIT, "12345678", "12345678"},
		{XF_ID_TW_PERMIT, "1234567890", "1234567890"},
		{XF_ID_HMT_RESIDENCE, "810000199001010027", "810000199001010027"},
		{XF_ID_HMT_RESIDENCE, "830000198512310012", "830000198512310012"},
		{XF_ID_FOREIGN_PR, "93115619800101001X", "93115619800101001X"},
		{XF_ID_FOREIGN_PR, "usa110085010101", "USA110085010101"},
		{XF_ID_PASSPORT, "E12345678", "E12345678"},
		{XF_ID_PASSPORT, "ｅａ１２３４５６７", "EA1234567"},
		{XF_ID_PASSPORT, "533380006", "533380006"},
		{XF_ID_USCC, "91350100M000100Y43", "91350100M000100Y43"},
		{XF_ID_USCC, "91350100m000100y43", "91350100M000100Y43"},
		{XF_ID_OTHER, "军官证 南字第 12345 号", "军官证南字第12345号"},
	};
	static const struct {
		enum xf_idtype type;
		const char *in, *says;
	} bad[] = {
		{XF_ID_RESIDENT, "11010519491231002Y", "第 18 位"},
		{XF_ID_HKMO_PERMIT, "X12345678", "H（香港）"},
		{XF_ID_HKMO_PERMIT, "H1234567", "8 位数字"},
		{XF_ID_HKMO_PERMIT, "HA12345678", "HA 或 MA 加 7 位数字"},
		{XF_ID_HKMO_PERMIT, "HB1234567", "HA 或 MA"},
		{XF_ID_HKMO_PERMIT, "HA123456", "HA 或 MA"},
		/* Residence-permit numbers are not resident IDs, whatever their check digit. */
		{XF_ID_RESIDENT, "810000199001010027", "港澳台居民居住证"},
		{XF_ID_RESIDENT, "820000197506150044", "820000"},
		{XF_ID_RESIDENT, "830000198512310012", "港澳台居民居住证"},
		{XF_ID_TW_PERMIT, "1234567", "8 位数字"},
		{XF_ID_TW_PERMIT, "A1234567", "8 位数字"},
		{XF_ID_HMT_RESIDENCE, "110105200001010016", "810000"},
		{XF_ID_HMT_RESIDENCE, "810000199001010028", "校验位"},
		{XF_ID_FOREIGN_PR, "93115619800101001Y", "第 18 位"},
		{XF_ID_FOREIGN_PR, "931156198001010011", "校验位"},
		{XF_ID_FOREIGN_PR, "110105200001010016", "以 9 开头"},
		{XF_ID_FOREIGN_PR, "US1110085010101", "国籍字母"},
		{XF_ID_FOREIGN_PR, "USA1100850101", "15 位"},
		{XF_ID_PASSPORT, "E12", "5–17 位"},
		{XF_ID_PASSPORT, "E-1234567", "字母或数字"},
		{XF_ID_USCC, "91350100M000100Y44", "应为 3"},
		{XF_ID_USCC, "91350100M000100I43", "“I”"},
		{XF_ID_USCC, "91350100M000100Y4", "18 位"},
		{XF_ID_OTHER, "  ", "为空"},
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char *out = NULL;
		struct xf_err err;
		if (identity_check(good[i].type, good[i].in, "证件号码", NULL, &out, &err) != XF_OK)
			fail_msg("%s %s refused: %s", identity_type_label(good[i].type), good[i].in, err.msg);
		assert_string_equal(out, good[i].stored);
		free(out);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *out = NULL;
		struct xf_err err;
		if (identity_check(bad[i].type, bad[i].in, "证件号码", NULL, &out, &err) != XF_EINVAL)
			fail_msg("%s %s accepted", identity_type_label(bad[i].type), bad[i].in);
		assert_null(out);
		if (strstr(err.msg, bad[i].says) == NULL || strstr(err.msg, "证件号码") == NULL)
			fail_msg("%s %s: message \"%s\" lacks \"%s\"", identity_type_label(bad[i].type), bad[i].in, err.msg,
			         bad[i].says);
	}
	/* Birth and sex come from the numbers that carry them. */
	struct xf_idinfo info;
	struct xf_err err;
	assert_int_equal(identity_check(XF_ID_HMT_RESIDENCE, "810000199001010027", "证件号码", &info, NULL, &err), XF_OK);
	assert_true(info.known);
	assert_false(info.male);
	assert_int_equal(info.birth, date_from_ymd(1990, 1, 1));
	assert_int_equal(identity_check(XF_ID_PASSPORT, "E12345678", "证件号码", &info, NULL, &err), XF_OK);
	assert_false(info.known);
	/* Types by name or key; empty is the resident ID card. */
	assert_int_equal(identity_type_parse(""), XF_ID_RESIDENT);
	assert_int_equal(identity_type_parse("护照"), XF_ID_PASSPORT);
	assert_int_equal(identity_type_parse("uscc"), XF_ID_USCC);
	assert_int_equal(identity_type_parse("驾驶证"), -1);
	assert_int_equal(identity_uscc_check_char("91350100M000100Y4"), '3');
	assert_int_equal(identity_uscc_check_char("91350100M000100I4"), 0);
}

/* Every usual written form comes out in the one stored form; wrong numbers are refused. */
static void phones(void **state)
{
	(void)state;
	struct xf_err err;
	static const char *const good[][2] = {
		{"13812345678", "13812345678"},
		{"+86 138 1234 5678", "13812345678"},
		{"+8613812345678", "13812345678"},
		{"0086 13812345678", "13812345678"},
		{"138 1234 5678", "13812345678"},
		{"138-1234-5678", "13812345678"},
		{"１３８１２３４５６７８", "13812345678"},
		{" 13812345678 ", "13812345678"},
		{"19912345678", "19912345678"},
		{"010-12345678", "010-12345678"},
		{"(010)12345678", "010-12345678"},
		{"（010）12345678", "010-12345678"},
		{"010 12345678", "010-12345678"},
		{"01012345678", "010-12345678"},
		{"+86 10 12345678", "010-12345678"},
		{"0351-2882864", "0351-2882864"},
		{"0755-12345678", "0755-12345678"},
		{"0755-12345678-801", "0755-12345678-801"},
		{"0755 12345678 转 801", "0755-12345678-801"},
		{"+86 400 819 5588", "400-819-5588"},
		{"021-87654321-12", "021-87654321-12"},
		{"02187654321转12", "021-87654321-12"},
		{"400-819-5588", "400-819-5588"},
		{"4008195588", "400-819-5588"},
		{"800 820 8820", "800-820-8820"},
		{"+852 9123 4567", "+852 91234567"},
		{"00852-91234567", "+852 91234567"},
		{"+853 6612 3456", "+853 66123456"},
		{"+886 912 345 678", "+886 912345678"},
		{"+886 (02) 2345 6789", "+886 223456789"},
		{"+1 202 555 0123", "+1 2025550123"},
		{"+44 20 7946 0958", "+44 2079460958"},
		{"+81 3-1234-5678", "+81 312345678"},
	};
	static const char *const bad[] = {
		"12812345678", "1381234567", "138123456789", "10-12345678", "010-1234567", "000-1234567",
		"010-123456", "0755-123456789", "010-12345678-", "011-12345678", "010-02345678", "电话", "",
		"+852 9123 456", "+886 1234", "400-819-558", "13812345678转8", "+0 123", "138１２３4567a", "+51 00 31002",
		"14012345678", "0755-5268408", "0351-28828642", "0300-1234567", "0800-1234567", "+852 1234 5678",
		"0755 1234567 转 8",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char *out = NULL;
		if (phone_normalize(good[i][0], "联系电话", &out, &err) != XF_OK)
			fail_msg("%s refused: %s", good[i][0], err.msg);
		assert_string_equal(out, good[i][1]);
		/* The stored form is a fixed point: normalising it again changes nothing. */
		char *again = NULL;
		assert_int_equal(phone_normalize(out, "联系电话", &again, &err), XF_OK);
		assert_string_equal(again, out);
		free(again);
		free(out);
		assert_int_equal(field_check_phone(good[i][0], "联系电话", &err), XF_OK);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *out = NULL;
		if (phone_normalize(bad[i], "联系电话", &out, &err) != XF_EINVAL)
			fail_msg("%s accepted as %s", bad[i], out);
		assert_null(out);
		assert_non_null(strstr(err.msg, "联系电话"));
		assert_int_equal(field_check_phone(bad[i], "联系电话", &err), XF_EINVAL);
	}
	/* Messages say what is wrong: Beijing numbers have 8 digits; 000 is no area code. */
	assert_int_equal(field_check_phone("010-1234567", "联系电话", &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "8 位"));
	assert_int_equal(field_check_phone("000-1234567", "联系电话", &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "区号"));
	/* field_normalize stores the normalised form. */
	char *out;
	assert_int_equal(field_normalize(field_def("phone"), "138-1234-5678", &out, &err), XF_OK);
	assert_string_equal(out, "13812345678");
	free(out);
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
		cmocka_unit_test(id_numbers), cmocka_unit_test(documents), cmocka_unit_test(phones),    cmocka_unit_test(numbers_and_choices),
		cmocka_unit_test(text),       cmocka_unit_test(normalize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

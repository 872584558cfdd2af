/* Phones by the numbering plans' own metadata: every number the plan does not assign is
 * refused with its reason, the stored form reads back to itself over thousands of numbers of
 * every kind, and numbers stored by earlier versions are still found. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/clock.h"
#include "xinfang/field.h"
#include "xinfang/phone.h"
#include "xinfang/search.h"

/* Fails unless s is refused with a message naming the field and holding the words (the
 * second may be NULL). */
static void refused(const char *s, const char *word, const char *word2)
{
	char *out = NULL;
	struct xf_err err;
	if (phone_normalize(s, "联系电话", &out, &err) != XF_EINVAL)
		fail_msg("%s accepted as %s", s, out);
	assert_null(out);
	if (strstr(err.msg, "联系电话") == NULL)
		fail_msg("%s: the message does not name the field: %s", s, err.msg);
	if (!strstr(err.msg, word) || (word2 && !strstr(err.msg, word2)))
		fail_msg("%s: the message lacks “%s” or “%s”: %s", s, word, word2 ? word2 : "", err.msg);
}

/* Fails unless s is stored as want, and want reads back to itself. */
static void stored_as(const char *s, const char *want)
{
	char *out = NULL, *again = NULL;
	struct xf_err err;
	if (phone_normalize(s, "联系电话", &out, &err) != XF_OK)
		fail_msg("%s refused: %s", s, err.msg);
	if (strcmp(out, want) != 0)
		fail_msg("%s stored as %s, want %s", s, out, want);
	if (phone_normalize(out, "联系电话", &again, &err) != XF_OK || strcmp(again, out) != 0)
		fail_msg("%s: the stored %s reads back as %s", s, out, again ? again : err.msg);
	free(again);
	free(out);
}

/* The numbers issue 17 found accepted, each refused with what is wrong. */
static void invalid_numbers_refused(void **state)
{
	(void)state;
	/* Mobile prefixes no operator has. */
	static const char *const no_prefix[] = {"14012345678", "14112345678", "14212345678", "14312345678",
	                                        "14412345678", "15412345678", "16012345678", "19412345678",
	                                        "12812345678", "+86 140 1234 5678"};
	for (size_t i = 0; i < sizeof no_prefix / sizeof no_prefix[0]; i++)
		refused(no_prefix[i], "手机号段", NULL);
	/* Each with the words its message must hold. */
	static const char *const bad[][3] = {
		{"17412345678", "没有 1741 开头的手机号段", NULL},
		{"1381234567", "手机号应为 11 位", "10 位"},
		{"138123456789", "手机号应为 11 位", "12 位"},
		/* Area codes that do not exist. */
		{"0300-1234567", "区号 0300 不存在", NULL},
		{"0500-12345678", "区号 0500 不存在", NULL},
		{"011-12345678", "区号 011 不存在", NULL},
		{"000-1234567", "区号", NULL},
		/* The wrong length for the area. */
		{"0755-5268408", "区号 0755 的号码应为 8 位", "现在是 7 位"},
		{"0351-28828642", "区号 0351 的号码应为 7 位", "现在是 8 位"},
		{"010-1234567", "区号 010 的号码应为 8 位", NULL},
		{"010-123456", "区号 010 的号码应为 8 位", NULL},
		{"0755 1234567 转 8", "区号 0755 的号码应为 8 位", NULL},
		{"0755-1234567-8", "区号 0755 的号码应为 8 位", NULL},
		{"010-02345678", "不以 0 开头", NULL},
		/* 0800 is no area code; 800 and 400 numbers are dialled without 0. */
		{"0800-1234567", "0800 不是区号", NULL},
		{"08008208820", "0800 不是区号", NULL},
		{"0400-8195588", "0400 不是区号", NULL},
		{"400-819-558", "400 号码应为 10 位", NULL},
		{"0950-8998835", "0950 不是区号", "950 8998835"},
		/* A landline without its area code, or its 0. */
		{"23456789", "座机号码前要写区号", NULL},
		{"1391234", "手机号应为 11 位", "7 位"},
		{"10-12345678", "区号", NULL},
		{"1012345678", "应写 010-12345678", NULL},
		/* Hong Kong, Taiwan and elsewhere by their own plans. */
		{"+852 1234 5678", "香港没有这样的号码", "+852"},
		{"+852 9123 456", "香港号码的位数不对", NULL},
		{"+886 1234", "台湾号码的位数不对", NULL},
		{"+81 3 1234 5678 9", "日本", NULL},
		{"+999 1234", "国家或地区代码", NULL},
		{"+0 123", "国家或地区代码", NULL},
		{"+44 20 7946 0958 转 12", "境外号码不记分机", NULL},
		/* Extensions belong to landlines, and have at most 6 digits. */
		{"13812345678转8", "只有座机号码带分机", NULL},
		{"010-12345678 转 1234567", "分机号最多 6 位", NULL},
		{"010-12345678-", "末尾不完整", NULL},
		{"电话", "电话号码不用的字符", NULL},
		{"", "没有数字", NULL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refused(bad[i][0], bad[i][1], bad[i][2]);
}

/* The usual written forms come out in the one stored form. */
static void written_forms(void **state)
{
	(void)state;
	stored_as("+86 400 819 5588", "400-819-5588");
	stored_as("4008195588", "400-819-5588");
	stored_as("800 820 8820", "800-820-8820");
	stored_as("0755 12345678 转 8", "0755-12345678-8");
	stored_as("0755-12345678 分机 801", "0755-12345678-801");
	stored_as("(0755)12345678 ext. 12", "0755-12345678-12");
	stored_as("0351 2882864", "0351-2882864");
	stored_as("+86 351 2882864", "0351-2882864");
	stored_as("+86 (0)10 1234 5678", "010-12345678");
	stored_as("0086 138 1234 5678", "13812345678");
	stored_as("013812345678", "13812345678");
	stored_as("14512345678", "14512345678");
	/* 0754 takes 7 or 8 digits: the written groups say which, and the stored form keeps it. */
	stored_as("0754-1234567-8", "0754-1234567-8");
	stored_as("0754 1234567 转 8", "0754-1234567-8");
	stored_as("0754-12345678", "0754-12345678");
	stored_as("0754 1234 5678", "0754-12345678");
	stored_as("0755-96123", "0755-96123");
	stored_as("+852 2123 4567", "+852 21234567");
	stored_as("+853 2882 3456", "+853 28823456");
	stored_as("+886 (02) 2345 6789", "+886 223456789");
	stored_as("+39 06 1234 5678", "+39 0612345678");
}

/* Counts of numbers a sweep tried and the plan accepted. */
struct sweep {
	long tried, accepted;
};

/* Normalises s; when the plan accepts it, the stored form reads back to itself, every other
 * way of writing it (in alt, NULL-terminated, %s for the stored digits is not used) gives the
 * same stored form, and true is returned. */
static bool sweep_one(struct sweep *sw, const char *s, const char *const *alt)
{
	char *out = NULL;
	struct xf_err err;
	sw->tried++;
	if (phone_normalize(s, "联系电话", &out, &err) != XF_OK) {
		if (strstr(err.msg, "联系电话") == NULL || out != NULL)
			fail_msg("%s: refused without its reason: %s", s, err.msg);
		return false;
	}
	sw->accepted++;
	char *again = NULL;
	if (phone_normalize(out, "联系电话", &again, &err) != XF_OK || strcmp(again, out) != 0)
		fail_msg("%s: stored %s reads back as %s", s, out, again ? again : err.msg);
	free(again);
	for (; alt && *alt; alt++) {
		char *other = NULL;
		if (phone_normalize(*alt, "联系电话", &other, &err) != XF_OK || strcmp(other, out) != 0)
			fail_msg("%s (stored %s) written as %s gives %s", s, out, *alt, other ? other : err.msg);
		free(other);
	}
	free(out);
	return true;
}

/* A pseudo-random digit string of n digits from a seed (no two numbers of a sweep alike). */
static void digits(unsigned *seed, char *out, int n)
{
	for (int i = 0; i < n; i++) {
		*seed = *seed * 1103515245u + 12345u;
		out[i] = (char)('0' + (*seed >> 16) % 10);
	}
	out[n] = '\0';
}

/* format(parse(stored)) == stored over mobiles of every prefix, landlines of every area code
 * with and without extensions, 400/800 numbers, Hong Kong, Macao, Taiwan and foreign numbers:
 * each written several ways. */
static void stored_form_is_a_fixed_point(void **state)
{
	(void)state;
	unsigned seed = 17;
	char tail[16], s[5][96];
	struct sweep mobiles = {0, 0}, landlines = {0, 0}, extensions = {0, 0}, services = {0, 0}, abroad = {0, 0};
	for (int prefix = 130; prefix <= 199; prefix++)
		for (int k = 0; k < 10; k++) {
			digits(&seed, tail, 8);
			snprintf(s[0], sizeof s[0], "%d%s", prefix, tail);
			snprintf(s[1], sizeof s[1], "+86 %d %.4s %s", prefix, tail, tail + 4);
			snprintf(s[2], sizeof s[2], "0086-%d-%.4s-%s", prefix, tail, tail + 4);
			snprintf(s[3], sizeof s[3], "%d %.4s %s", prefix, tail, tail + 4);
			const char *alt[] = {s[1], s[2], s[3], NULL};
			sweep_one(&mobiles, s[0], alt);
		}
	/* Every two- and three-digit area code, subscriber numbers of 7 and 8 digits. */
	for (int area = 10; area <= 999; area++) {
		if (area >= 30 && area < 300)
			continue;
		for (int len = 7; len <= 8; len++) {
			digits(&seed, tail, len);
			tail[0] = (char)('2' + (tail[0] - '0') % 7);
			snprintf(s[0], sizeof s[0], "0%d-%s", area, tail);
			snprintf(s[1], sizeof s[1], "(0%d)%s", area, tail);
			snprintf(s[2], sizeof s[2], "+86 %d %s", area, tail);
			snprintf(s[3], sizeof s[3], "0%d%s", area, tail);
			const char *alt[] = {s[1], s[2], s[3], NULL};
			if (!sweep_one(&landlines, s[0], alt))
				continue;
			/* A landline: its area code as the plan has it (0807-8 is 08078), one hyphen. */
			char *plain = NULL;
			assert_int_equal(phone_normalize(s[0], "联系电话", &plain, NULL), XF_OK);
			char *hyphen = strchr(plain, '-');
			if (hyphen == NULL || strchr(hyphen + 1, '-') != NULL || strlen(plain) != strlen(s[0]))
				fail_msg("%s stored as %s", s[0], plain);
			free(plain);
			char ext[8];
			digits(&seed, ext, 1 + (int)(seed % 6));
			if (ext[0] == '0')
				ext[0] = '5';
			snprintf(s[0], sizeof s[0], "0%d %s 转 %s", area, tail, ext);
			snprintf(s[1], sizeof s[1], "0%d-%s-%s", area, tail, ext);
			snprintf(s[2], sizeof s[2], "0%d %s 分机 %s", area, tail, ext);
			snprintf(s[3], sizeof s[3], "(0%d) %s ext %s", area, tail, ext);
			snprintf(s[4], sizeof s[4], "+86 %d %s 转 %s", area, tail, ext);
			const char *ext_alt[] = {s[1], s[2], s[3], s[4], NULL};
			if (!sweep_one(&extensions, s[0], ext_alt))
				fail_msg("0%d-%s accepted, with 转 %s refused", area, tail, ext);
		}
	}
	for (int k = 0; k < 200; k++) {
		digits(&seed, tail, 7);
		snprintf(s[0], sizeof s[0], "%s%s", k % 2 ? "400" : "800", tail);
		snprintf(s[1], sizeof s[1], "%s-%.3s-%s", k % 2 ? "400" : "800", tail, tail + 3);
		snprintf(s[2], sizeof s[2], "+86 %s %.3s %s", k % 2 ? "400" : "800", tail, tail + 3);
		const char *alt[] = {s[1], s[2], NULL};
		sweep_one(&services, s[0], alt);
	}
	static const struct {
		const char *cc;
		int len;
	} plans[] = {{"852", 8}, {"853", 8}, {"886", 9}, {"886", 8}, {"1", 10}, {"44", 10}, {"81", 10},
	             {"82", 9},  {"65", 8},  {"61", 9},  {"49", 10}, {"33", 9},  {"39", 10}, {"7", 10}};
	for (size_t p = 0; p < sizeof plans / sizeof plans[0]; p++)
		for (int k = 0; k < 120; k++) {
			digits(&seed, tail, plans[p].len);
			snprintf(s[0], sizeof s[0], "+%s %s", plans[p].cc, tail);
			snprintf(s[1], sizeof s[1], "00%s-%s", plans[p].cc, tail);
			snprintf(s[2], sizeof s[2], "+%s %.4s %s", plans[p].cc, tail, tail + 4);
			const char *alt[] = {s[1], s[2], NULL};
			sweep_one(&abroad, s[0], alt);
		}
	/* Each sweep met numbers the plan assigns, and (but for extensions of accepted landlines
	 * and 400/800 numbers, all assigned) numbers it does not. */
	const struct sweep *all[] = {&mobiles, &landlines, &extensions, &services, &abroad};
	const long least[] = {300, 300, 300, 100, 300};
	for (size_t i = 0; i < 5; i++) {
		if (all[i]->accepted < least[i])
			fail_msg("sweep %zu: only %ld of %ld accepted", i, all[i]->accepted, all[i]->tried);
		if (i != 2 && i != 3 && all[i]->accepted == all[i]->tried)
			fail_msg("sweep %zu: all %ld accepted, none refused", i, all[i]->tried);
	}
}

/* The field check and the registration field agree with phone_normalize. */
static void field_checks(void **state)
{
	(void)state;
	struct xf_err err;
	assert_int_equal(field_check_phone("0755-5268408", "联系电话", &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "8 位"));
	assert_int_equal(field_check_phone("0755-52684080", "联系电话", &err), XF_OK);
	char *out;
	assert_int_equal(field_normalize(field_def("phone"), "+86 400 819 5588", &out, &err), XF_OK);
	assert_string_equal(out, "400-819-5588");
	free(out);
}

/* The case numbers a search finds, as "seq seq ...". */
static char *found(struct xf_session *s, const char *words)
{
	struct xf_search q = {.words = words};
	struct xf_rows rows;
	bool more;
	struct xf_err err;
	if (search_cases(s, &q, &rows, &more, &err) != XF_OK)
		fail_msg("search %s: %s", words, err.msg);
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < rows.n; i++) {
		int y, n;
		assert_int_equal(case_parse_number(fields_str(&rows.v[i], "number"), &y, &n, &err), XF_OK);
		buf_printf(&b, "%s%d", b.len ? " " : "", n);
	}
	rows_free(&rows);
	return b.data;
}

/* Phones earlier versions stored that the plan now refuses (0755-1234567, 0755-1234567-8)
 * are still shown as stored and found by their last digits, as written, and as the repeat
 * warning looks them up. */
static void stored_before_still_found(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-phone-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/old.db", dir);
	struct xf_store *st;
	struct xf_err err;
	static const char *const old_cases[] = {"老库里的投诉|老用户|0755-1234567", "老库里的投诉|老用户|0755-7654321-8",
	                                        NULL};
	fixture_old_store(path, 3, old_cases, &st);
	struct xf_fields f;
	struct xf_session s;
	memset(&s, 0, sizeof s);
	s.st = st;
	s.op.role = XF_ROLE_ADMIN;
	static const char *const searches[][2] = {
		{"4567", "1"},         {"1234567", "1"}, {"0755-1234567", "1"}, {"0755 1234567", "1"},
		{"4321", "2"},         {"7654321", "2"}, {"0755-7654321-8", "2"}, {"0755", "2 1"},
	};
	for (size_t i = 0; i < sizeof searches / sizeof searches[0]; i++) {
		char *got = found(&s, searches[i][0]);
		if (strcmp(got, searches[i][1]) != 0)
			fail_msg("search [%s]: got [%s], want [%s]", searches[i][0], got, searches[i][1]);
		free(got);
	}
	struct xf_rows rows;
	fields_from(&f, "phone=0755-1234567", NULL);
	assert_int_equal(case_repeat_matches(&s, &f, 0, &rows, &err), XF_OK);
	fields_free(&f);
	assert_int_equal(rows.n, 1);
	rows_free(&rows);
	store_close(st);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
}

int main(void)
{
	clock_set_today_iso("2026-03-10", NULL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(invalid_numbers_refused), cmocka_unit_test(written_forms),
		cmocka_unit_test(stored_form_is_a_fixed_point), cmocka_unit_test(field_checks),
		cmocka_unit_test(stored_before_still_found),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

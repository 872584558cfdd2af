/* Line breaking: identifiers stay whole, closing punctuation never starts a line (避头尾). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"
#include "xinfang/util.h"

/* The desk's terminal widths as the core's table gives them. */
static int table_width(uint32_t cp, void *ctx)
{
	(void)ctx;
	return text_cp_width(cp);
}

/* Wraps and checks every line against the width and the punctuation rule. */
static size_t wrap_checked(const char *text, int width, char ***lines)
{
	size_t n = text_wrap(text, width, table_width, NULL, lines);
	for (size_t i = 0; i < n; i++) {
		assert_true(text_width((*lines)[i]) <= width);
		uint32_t first;
		if (utf8_decode((*lines)[i], strlen((*lines)[i]), &first) > 0)
			assert_false(text_no_line_start(first));
	}
	return n;
}

/* A phone number moves to the next line whole instead of losing its last digit. */
static void identifiers_move_whole(void **state)
{
	(void)state;
	char **l;
	size_t n = wrap_checked("联系电话13912345678", 16, &l);
	assert_int_equal(n, 2);
	assert_string_equal(l[0], "联系电话");
	assert_string_equal(l[1], "13912345678");
	text_lines_free(l, n);
	/* Longer than a line: cut where it must be, nothing lost. */
	n = wrap_checked("1234567890", 4, &l);
	assert_int_equal(n, 3);
	assert_string_equal(l[2], "90");
	text_lines_free(l, n);
	/* A range of figures moves down whole: never "10%–" above "20%". */
	n = wrap_checked("默认蓝色10%–20%，黄色", 14, &l);
	assert_int_equal(n, 2);
	assert_string_equal(l[0], "默认蓝色");
	assert_string_equal(l[1], "10%–20%，黄色");
	text_lines_free(l, n);
	n = wrap_checked("需时3～5日", 7, &l);
	assert_string_equal(l[0], "需时");
	assert_string_equal(l[1], "3～5日");
	text_lines_free(l, n);
	/* A range wider than a line breaks after its joiner, each figure whole. */
	n = wrap_checked("受理时限 2026-01-01~2026-12-31 内", 20, &l);
	assert_int_equal(n, 2);
	assert_string_equal(l[0], "受理时限 2026-01-01~");
	assert_string_equal(l[1], "2026-12-31 内");
	text_lines_free(l, n);
	n = wrap_checked("统计期间为2026-01-01～2026-12-31的事项", 16, &l);
	assert_int_equal(n, 3);
	assert_string_equal(l[0], "统计期间为");
	assert_string_equal(l[1], "2026-01-01～");
	assert_string_equal(l[2], "2026-12-31的事项");
	text_lines_free(l, n);
	n = wrap_checked("工作时间 9:00～17:00 请来", 8, &l);
	assert_int_equal(n, 4);
	assert_string_equal(l[1], "9:00～");
	assert_string_equal(l[2], "17:00 请");
	text_lines_free(l, n);
	/* Percent signs inside an address leave no character alone on a line. */
	n = wrap_checked("见 https://example.com/a?q=%E4%B8%AD%E6%96%87&x=1 谢谢", 16, &l);
	for (size_t k = 0; k < n; k++)
		if (text_width(l[k]) < 2)
			fail_msg("line %zu of the address is [%s]", k, l[k]);
	text_lines_free(l, n);
}

/* 避头尾: a comma or full stop pulls the character before it down with it. */
static void closing_punctuation_never_starts_a_line(void **state)
{
	(void)state;
	char **l;
	size_t n = wrap_checked("柜员态度冷淡，要求道歉。", 12, &l);
	assert_int_equal(n, 3);
	assert_string_equal(l[0], "柜员态度冷");
	assert_string_equal(l[1], "淡，要求道");
	assert_string_equal(l[2], "歉。");
	text_lines_free(l, n);
	n = wrap_checked("办理期限为五日。", 14, &l);
	assert_int_equal(n, 2);
	assert_string_equal(l[1], "日。");
	text_lines_free(l, n);
	/* An opening bracket does not end a line. */
	n = wrap_checked("附件共三份（原件）", 12, &l);
	assert_string_equal(l[0], "附件共三份");
	assert_string_equal(l[1], "（原件）");
	text_lines_free(l, n);
	/* Newlines break; 𠮷 is never cut. */
	n = wrap_checked("李𠮷\n䶮", 3, &l);
	assert_int_equal(n, 3);
	assert_string_equal(l[0], "李");
	assert_string_equal(l[1], "𠮷");
	text_lines_free(l, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identifiers_move_whole),
		cmocka_unit_test(closing_punctuation_never_starts_a_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

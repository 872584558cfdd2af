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

/* Asserts that text wraps at width into exactly the lines of want (NULL-terminated). */
static void wraps_to(const char *text, int width, const char *const *want)
{
	char **l;
	size_t n = wrap_checked(text, width, &l), k = 0;
	for (; want[k]; k++)
		if (k >= n || strcmp(l[k], want[k]) != 0)
			fail_msg("[%s] at %d: line %zu is [%s], want [%s]", text, width, k, k < n ? l[k] : "(none)", want[k]);
	if (k != n)
		fail_msg("[%s] at %d: %zu lines, want %zu", text, width, n, k);
	text_lines_free(l, n);
}

/* A phone number moves to the next line whole instead of losing its last digit. */
static void identifiers_move_whole(void **state)
{
	(void)state;
	wraps_to("联系电话13912345678", 16, (const char *[]){"联系电话", "13912345678", NULL});
	/* Longer than a line: cut where it must be, nothing lost. */
	wraps_to("1234567890", 4, (const char *[]){"1234", "5678", "90", NULL});
	/* A range of figures moves down whole: never "10%–" above "20%". */
	wraps_to("默认蓝色10%–20%，黄色", 14, (const char *[]){"默认蓝色", "10%–20%，黄色", NULL});
	wraps_to("需时3～5日", 7, (const char *[]){"需时", "3～5日", NULL});
	/* A range wider than a line breaks after its joiner, each figure whole. */
	wraps_to("受理时限 2026-01-01~2026-12-31 内", 20, (const char *[]){"受理时限 2026-01-01~", "2026-12-31 内", NULL});
	wraps_to("统计期间为2026-01-01～2026-12-31的事项", 16,
	         (const char *[]){"统计期间为", "2026-01-01～", "2026-12-31的事项", NULL});
	wraps_to("工作时间 9:00～17:00 请来", 8, (const char *[]){"工作时间", "9:00～", "17:00 请", "来", NULL});
	/* Percent signs inside an address leave no character alone on a line. */
	char **l;
	size_t n = wrap_checked("见 https://example.com/a?q=%E4%B8%AD%E6%96%87&x=1 谢谢", 16, &l);
	for (size_t k = 0; k < n; k++)
		if (text_width(l[k]) < 2)
			fail_msg("line %zu of the address is [%s]", k, l[k]);
	text_lines_free(l, n);
}

/* 避头尾: a comma or full stop pulls the character before it down with it. */
static void closing_punctuation_never_starts_a_line(void **state)
{
	(void)state;
	wraps_to("柜员态度冷淡，要求道歉。", 12, (const char *[]){"柜员态度冷", "淡，要求道", "歉。", NULL});
	wraps_to("办理期限为五日。", 14, (const char *[]){"办理期限为五", "日。", NULL});
	/* An opening bracket does not end a line. */
	wraps_to("附件共三份（原件）", 12, (const char *[]){"附件共三份", "（原件）", NULL});
	/* Newlines break; 𠮷 is never cut. */
	wraps_to("李𠮷\n䶮", 3, (const char *[]){"李", "𠮷", "䶮", NULL});
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identifiers_move_whole),
		cmocka_unit_test(closing_punctuation_never_starts_a_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The field editor model with Chinese, rare characters outside the BMP, scrolling and wrapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/tui/editor.h"
#include "xinfang/text.h"

/* Types UTF-8 text one code point at a time, as keys arrive; returns how many went in. */
static size_t type(struct xf_editor *ed, const char *utf8)
{
	size_t n = 0, len = strlen(utf8);
	for (size_t i = 0; i < len;)
		n += editor_insert(ed, utf8_next(utf8, len, &i));
	return n;
}

/* The editor's text compared with a string. */
static void text_is(struct xf_editor *ed, const char *want)
{
	char *t = editor_text(ed);
	assert_string_equal(t, want);
	free(t);
}

/* Typing Chinese and 𠮷, deleting whole characters, the column limit. */
static void typing(void **state)
{
	(void)state;
	struct xf_editor ed;
	editor_init(&ed, 20, 1, false, 8);
	assert_int_equal(type(&ed, "𠮷祥"), 2);
	assert_int_equal(ed.len, 2);
	assert_int_equal(editor_cols(&ed), 4);
	assert_true(editor_insert(&ed, 'a'));
	editor_left(&ed);
	editor_left(&ed);
	assert_true(editor_insert(&ed, 0x5f20)); /* 张 between 𠮷 and 祥 */
	text_is(&ed, "𠮷张祥a");
	assert_int_equal(editor_cols(&ed), 7);
	assert_false(editor_insert(&ed, 0x674e)); /* 李 would make 9 columns */
	assert_true(editor_insert(&ed, 'b'));
	text_is(&ed, "𠮷张b祥a");
	editor_home(&ed);
	editor_delete(&ed);
	text_is(&ed, "张b祥a");
	editor_end(&ed);
	editor_backspace(&ed);
	editor_backspace(&ed);
	text_is(&ed, "张b");
	assert_false(editor_insert(&ed, '\n'));
	assert_false(editor_insert(&ed, 0x1b));
	assert_false(editor_insert(&ed, 0xd800));
	editor_set_text(&ed, "a\xffz");
	text_is(&ed, "a\xef\xbf\xbdz");
	editor_free(&ed);
}

/* Checks that a visible row is exactly the box width and valid text. */
static void row_fits(struct xf_editor *ed, int row, const char *want)
{
	char *v = editor_visible_row(ed, row);
	assert_true(utf8_valid(v, strlen(v), NULL));
	assert_int_equal(text_width(v), ed->width);
	if (want)
		assert_string_equal(v, want);
	free(v);
}

/* One-line fields scroll by columns and never show half a wide character. */
static void scrolling(void **state)
{
	(void)state;
	struct xf_editor ed;
	editor_init(&ed, 5, 1, false, 0);
	editor_set_text(&ed, "张三李四王");
	int row, col;
	editor_cursor(&ed, &row, &col);
	assert_int_equal(col, 4);
	row_fits(&ed, 0, "四王 ");
	editor_home(&ed);
	editor_cursor(&ed, &row, &col);
	assert_int_equal(col, 0);
	row_fits(&ed, 0, "张三 ");
	editor_free(&ed);
	editor_init(&ed, 4, 1, false, 0);
	editor_set_text(&ed, "a张张张");
	editor_cursor(&ed, &row, &col);
	row_fits(&ed, 0, " 张 ");
	/* Walk the cursor across: every view fits, the cursor stays inside. */
	for (int i = 0; i < 4; i++) {
		editor_left(&ed);
		editor_cursor(&ed, &row, &col);
		assert_true(col >= 0 && col < ed.width);
		row_fits(&ed, 0, NULL);
	}
	editor_free(&ed);
	editor_init(&ed, 3, 1, false, 0);
	editor_set_text(&ed, "𠮷𠮷𠮷𠮷");
	for (int i = 0; i < 4; i++) {
		editor_left(&ed);
		editor_cursor(&ed, &row, &col);
		assert_true(col >= 0 && col + 2 <= 3 + 1);
		row_fits(&ed, 0, NULL);
	}
	editor_free(&ed);
}

/* Boxes wrap at the width, move by lines and scroll to the cursor. */
static void boxes(void **state)
{
	(void)state;
	struct xf_editor ed;
	editor_init(&ed, 6, 2, true, 0);
	editor_set_text(&ed, "张三李四王五赵");
	struct xf_edline lines[8];
	assert_int_equal(editor_wrap(&ed, lines, 8), 3);
	assert_int_equal(lines[0].cols, 6);
	assert_int_equal(lines[2].cols, 2);
	int row, col;
	editor_cursor(&ed, &row, &col);
	assert_int_equal(row, 1); /* third line, box of two rows scrolled by one */
	assert_int_equal(ed.top, 1);
	assert_int_equal(col, 2);
	row_fits(&ed, 0, "四王五");
	row_fits(&ed, 1, "赵    ");
	assert_true(editor_up(&ed));
	assert_true(editor_up(&ed));
	assert_false(editor_up(&ed));
	editor_cursor(&ed, &row, &col);
	assert_int_equal(ed.top, 0);
	assert_int_equal(col, 2);
	assert_true(editor_down(&ed));
	assert_true(editor_insert(&ed, '\n'));
	text_is(&ed, "张三李四\n王五赵");
	assert_int_equal(editor_wrap(&ed, lines, 8), 3);
	/* A wide character that does not fit starts the next line. */
	editor_free(&ed);
	editor_init(&ed, 3, 3, true, 0);
	editor_set_text(&ed, "a𠮷𠮷");
	assert_int_equal(editor_wrap(&ed, lines, 8), 2);
	assert_int_equal(lines[0].cols, 3);
	assert_int_equal(lines[1].cols, 2);
	row_fits(&ed, 1, "𠮷 ");
	text_is(&ed, "a𠮷𠮷");
	editor_free(&ed);
	/* 避头尾: a comma that does not fit takes the character before it to the next line. */
	editor_init(&ed, 6, 3, true, 0);
	editor_set_text(&ed, "张三李，王五");
	assert_int_equal(editor_wrap(&ed, lines, 8), 3);
	row_fits(&ed, 0, "张三  ");
	row_fits(&ed, 1, "李，王");
	row_fits(&ed, 2, "五    ");
	editor_free(&ed);
}

int main(void)
{
	setlocale(LC_ALL, "");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(typing),
		cmocka_unit_test(scrolling),
		cmocka_unit_test(boxes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The desk as a person uses it: the real binary in a real pty, read back through libvterm. */
#include "../unit/testutil.h"
#include "harness.h"
#include "deskutil.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xinfang/paths.h"
#include "xinfang/text.h"

/* Types a whole registration in Chinese, 𠮷 included, and saves it. */
static void registration_typed_in_chinese(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_registration(&e, &t, "2026-11-20");
	must_see(&t, "（保存后生成）", 1000);
	term_send(&t, "\t" K_RIGHT K_RIGHT K_RIGHT "\t\t"); /* received; channel: 来信 来电 来访; importance */
	term_send(&t, "𠮷祥\t");
	/* What a person sees: the name with its wide rare character, the grid still straight. */
	must_see(&t, "𠮷祥", 1000);
	int row, col;
	assert_true(term_find(&t, "𠮷祥", &row, &col));
	VTermScreenCell cell;
	term_cell(&t, row, col, &cell);
	assert_int_equal(cell.chars[0], 0x20bb7);
	assert_int_equal(cell.width, 2);
	int brow, bcol;
	assert_true(term_find(&t, "性    别", &brow, &bcol));
	assert_int_equal(brow, row);
	term_cell(&t, row, bcol - 1, &cell);
	assert_int_equal(cell.chars[0], 0x2502); /* the │ before 性别 is where the layout puts it */
	term_send(&t, "\t\t\t");
	term_send(&t, "\t"); /* 证件类型 stays 居民身份证 */
	term_send(&t, "11010519491231002X\t");
	/* Gender and age come from the ID number. */
	must_see(&t, "女 ", 1000);
	must_see(&t, "│76 ", 1000);
	term_send(&t, "138 1234 5678\t");
	must_see(&t, "13812345678 ", 1000); /* the phone as it is stored */
	term_send(&t, "北京市朝阳区建国路88号\t\t\t\t");
	term_send(&t, "城东支行营业部\t\t" K_RIGHT K_RIGHT "\t"); /* subject; accused; category: 工作失误 服务态度 */
	term_send(&t, "\t");                  /* amount */
	term_send(&t, "本人在城东支行办理存款业务时，柜员态度冷淡、答复敷衍，排队等候超过一小时。要求道歉。");
	/* The long text wraps inside its box on screen. */
	must_see(&t, "排队等候超过", 1000);
	term_send(&t, K_F2);
	must_see(&t, "已登记 2026年第0001号", 3000);
	must_see(&t, "2026年第0001号", 100);
	assert_shows(&e, "2026-0001", "name", "𠮷祥");
	assert_shows(&e, "2026-0001", "channel", "来访");
	assert_shows(&e, "2026-0001", "category", "服务态度");
	assert_shows(&e, "2026-0001", "gender", "女");
	assert_shows(&e, "2026-0001", "id_type", "居民身份证");
	assert_shows(&e, "2026-0001", "phone", "13812345678");
	char *v = show_value(&e, "2026-0001", "summary");
	assert_non_null(strstr(v, "排队等候超过一小时"));
	free(v);
	/* The status bar counts the new item. */
	must_see(&t, "待批转 1", 2000);
	term_send(&t, K_F10);
	must_see(&t, "信 访 工 作 台", 2000);
	term_send(&t, "0y");
	assert_int_equal(term_stop(&t, 0, 3000), 0);
	term_free(&t);
	env_teardown(&e);
}

/* A visitor from Hong Kong registered with a passport: the document chosen on the form, the
 * number checked as a passport, the phone shown as stored once the field is left. */
static void passport_holder_from_hong_kong(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_registration(&e, &t, "2026-11-20");
	term_send(&t, "\t" K_RIGHT K_RIGHT K_RIGHT "\t\t"); /* received; channel 来访; importance */
	term_send(&t, "陈大文\t\t\t\t");
	/* 证件类型: 居民身份证, 港澳居民来往内地通行证 (the long name whole), ... 护照 */
	must_see(&t, "居民身份证", 1000); /* the default */
	term_send(&t, K_RIGHT);
	must_see(&t, "港澳居民来往内地通行证", 1000);
	term_send(&t, K_RIGHT K_RIGHT K_RIGHT K_RIGHT);
	must_see(&t, "护照", 1000);
	term_send(&t, "\tk0123 4567\t"); /* a passport number is no resident ID number: accepted */
	must_see(&t, "K01234567", 1000);
	term_send(&t, "+852 9123 4567\t");
	must_see(&t, "+852 91234567", 1000);
	term_send(&t, "\t\t\t\t城东支行营业部\t\t" K_RIGHT K_RIGHT "\t\t");
	term_send(&t, "要求说明手续费。");
	term_send(&t, K_F2);
	must_see(&t, "已登记 2026年第0001号", 3000);
	assert_shows(&e, "2026-0001", "id_type", "护照");
	assert_shows(&e, "2026-0001", "id_number", "K01234567");
	assert_shows(&e, "2026-0001", "phone", "+852 91234567");
	term_free(&t);
	env_teardown(&e);
}

/* The phone module loads on the first phone check: when it cannot be loaded, the check says so
 * and what to do, the form keeps everything typed, and nothing is stored. */
static void phone_check_without_its_module(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	env_setup(&e, "2026-11-20");
	open_desk(&t, &e, "clerk", (const char *[]){"XINFANG_PHONE_MODULE=/nonexistent/xinfang-phone.so", NULL});
	term_send(&t, "1");
	must_see(&t, "信 访 登 记 表", 3000);
	term_send(&t, "\t" K_RIGHT K_RIGHT K_RIGHT "\t\t"); /* received; channel 来访; importance */
	term_send(&t, "陈大文\t\t\t\t\t\t");
	term_send(&t, "138 1234 5678\t");
	must_see(&t, "“138 1234 5678”暂时无法核对，尚未保存", 2000);
	must_see(&t, "无法载入电话号码检查模块", 100);
	must_see(&t, "/nonexistent/xinfang-phone.so", 100);
	must_see(&t, "请管理员重新安装 xinfang 及 libphonenumber", 100);
	must_see(&t, "陈大文", 100);
	must_see(&t, "138 1234 5678", 100);
	term_send(&t, K_F2);
	must_see(&t, "无法载入电话号码检查模块", 2000);
	assert_false(term_find(&t, "已登记", NULL, NULL));
	must_see(&t, "陈大文", 100);
	must_see(&t, "138 1234 5678", 100);
	term_free(&t);
	env_teardown(&e);
}

/* Age from the ID number is counted on the day received, not the day typed in: born
 * 2000-01-01, received 2025-06-01, entered 2026-11-20 is 25. */
static void age_on_the_day_received(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_registration(&e, &t, "2026-11-20");
	term_send(&t, K_END);
	for (int i = 0; i < 16; i++)
		term_send(&t, K_BS);
	term_send(&t, "2025-06-01 10:00\t" K_RIGHT K_RIGHT K_RIGHT "\t\t张伟\t\t\t\t\t110105200001010016\t");
	must_see(&t, "│25 ", 1000);
	must_see(&t, "男 ", 100);
	term_free(&t);
	env_teardown(&e);
}

/* A wrong check digit is refused on leaving the field; the typed text stays. */
static void wrong_id_refused_text_kept(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_registration(&e, &t, "2026-11-20");
	term_send(&t, "\t\t\t张伟\t\t\t\t\t110105194912310021\t");
	must_see(&t, "校验位不对", 2000);
	must_see(&t, "110105194912310021", 100);
	int row, col, crow, ccol;
	assert_true(term_find(&t, "110105194912310021", &row, &col));
	term_cursor(&t, &crow, &ccol);
	assert_int_equal(crow, row); /* still in the ID field */
	VTermScreenCell cell;
	term_cell(&t, t.rows - 3, 0, &cell);
	assert_true(VTERM_COLOR_IS_INDEXED(&cell.fg) && cell.fg.indexed.idx == 1); /* the message is red */
	term_send(&t, K_BS "X\t");
	assert_true(term_wait_gone(&t, "校验位不对", 2000));
	term_free(&t);
	env_teardown(&e);
}

/* The head transfers from the queue and prints the slip to a file; then to the terminal's
 * printer through pass-through. */
static void queue_transfer_and_print(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "刘䶮");
	struct term t;
	open_desk(&t, &e, "head", NULL);
	term_send(&t, "2");
	must_see(&t, "待批队列", 3000);
	must_see(&t, "2026年第0001号", 2000);
	must_see(&t, "刘䶮", 100);
	term_send(&t, "t");
	must_see(&t, "信 访 转 办 单", 3000);
	must_see(&t, "个人金融部", 1000); /* the category's lead department, prefilled */
	term_send(&t, K_F2);
	must_see(&t, "批转已完成", 3000);
	assert_shows(&e, "2026-0001", "transfer.deadline", "2026-11-27"); /* the handle limit, prefilled */
	term_send(&t, K_F4);
	must_see(&t, "打印到", 3000);
	choose_print_dest(&t, "文件");
	char path[160], keys[200];
	snprintf(path, sizeof path, "%s/slip.txt", e.dir);
	snprintf(keys, sizeof keys, "\t\025%s", path); /* the file field (no queue for a file), the path */
	term_send(&t, keys);
	term_send(&t, K_F2);
	must_see(&t, "已打印到文件", 3000);
	char *bytes, *text;
	size_t len;
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	assert_int_equal(text_decode(bytes, len, "GB18030", &text, NULL), XF_OK);
	assert_non_null(strstr(text, "信 访 转 办 单"));
	assert_non_null(strstr(text, "刘䶮"));
	assert_non_null(strstr(text, "打印人：李建国"));
	free(bytes);
	free(text);
	/* Again, to the terminal's printer: the slip goes out between mc5 and mc4. */
	term_send(&t, K_F4);
	must_see(&t, "打印到", 3000);
	choose_print_dest(&t, "终端打印机");
	term_send(&t, K_F2);
	must_see(&t, "已打印到终端打印机", 3000);
	assert_non_null(memmem(t.raw.data, t.raw.len, "\033[5i", 4));
	assert_non_null(memmem(t.raw.data, t.raw.len, "\033[4i", 4));
	assert_false(t.printing);
	assert_non_null(memmem(t.printer.data, t.printer.len, "\xd0\xc5 \xb7\xc3 \xd7\xaa \xb0\xec \xb5\xa5", 14)); /* 信 访 转 办 单 */
	assert_non_null(memmem(t.printer.data, t.printer.len, "\xfe\x9f", 2)); /* 䶮 in GB18030 */
	assert_non_null(memchr(t.printer.data, '\f', t.printer.len));
	assert_shows(&e, "2026-0001", "state", "已转办");
	term_free(&t);
	env_teardown(&e);
}

/* Inside tmux the terminal's printer is not offered and nothing goes out between mc5 and mc4;
 * a file named *.pdf gets the PDF; the dialog comes back with the operator's last choice. */
static void print_dialog_under_tmux(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "李𠮷䶮");
	struct term t;
	open_desk(&t, &e, "head", (const char *[]){"TMUX=/tmp/tmux-0/default,4242,0", NULL});
	term_send(&t, "2");
	must_see(&t, "2026年第0001号", 3000);
	term_send(&t, "t");
	must_see(&t, "信 访 转 办 单", 3000);
	term_send(&t, K_F2);
	must_see(&t, "批转已完成", 3000);
	term_send(&t, K_F4);
	must_see(&t, "打印到            │打印机", 3000);
	/* → goes round the destinations: printer and file, never the terminal's printer. */
	for (int i = 0; i < 4; i++) {
		term_send(&t, K_RIGHT);
		term_pump(&t, 150);
		char *s = term_text(&t);
		assert_null(strstr(s, "终端打印机"));
		free(s);
	}
	must_see(&t, "打印到            │打印机", 1000);
	term_send(&t, K_RIGHT);
	must_see(&t, "打印到            │文件", 1000);
	char path[160], keys[200];
	snprintf(path, sizeof path, "%s/out/slip.pdf", e.dir);
	char *mk = xasprintf("mkdir -p '%s/out'", e.dir);
	assert_int_equal(system(mk), 0);
	free(mk);
	snprintf(keys, sizeof keys, "\t\025%s", path); /* 打印机队列 skipped: the file field */
	term_send(&t, keys);
	term_send(&t, K_F2);
	must_see(&t, "已打印到文件", 3000);
	must_see(&t, "（PDF）", 1000);
	char *bytes;
	size_t len;
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	assert_memory_equal(bytes, "%PDF-", 5);
	free(bytes);
	assert_null(memmem(t.raw.data, t.raw.len, "\033[5i", 4));
	assert_int_equal(t.printer.len, 0);
	/* Again: the file and its directory are remembered for this operator. */
	term_send(&t, K_F4);
	must_see(&t, "打印到            │文件", 3000);
	char *remembered = xasprintf("%s/out/xinfang-20", e.dir); /* the start of …/out/xinfang-2026-0001-transfer.pdf */
	must_see(&t, remembered, 1000);
	free(remembered);
	term_free(&t);
	env_teardown(&e);
}

/* Outcome, reply and close from the case view. */
static void outcome_reply_close(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "赵敏");
	cli(&e, "head", (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
	struct term t;
	open_desk(&t, &e, "clerk", NULL);
	term_send(&t, "5");
	must_see(&t, "查找", 3000);
	term_send(&t, "2026-0001" K_F2);
	must_see(&t, "已转办", 3000);
	term_send(&t, "o");
	must_see(&t, "处 理 结 果 报 告 单", 3000);
	term_send(&t, "经调取监控核实，柜员服务态度确有不当。\t对当班柜员批评教育。\t开展服务规范培训。\t" K_RIGHT);
	term_send(&t, K_F2);
	must_see(&t, "报结已完成", 3000);
	term_send(&t, K_F10);
	must_see(&t, "已报结", 3000);
	term_send(&t, "y");
	must_see(&t, "答复方式", 3000);
	term_send(&t, K_RIGHT);
	must_see(&t, "口头", 1000);
	term_send(&t, K_F2);
	must_see(&t, "已答复", 3000);
	term_send(&t, "c");
	must_see(&t, "结案说明", 3000);
	term_send(&t, K_F2);
	/* A closing move asks first and says what follows. */
	must_see(&t, "确认结案", 3000);
	must_see(&t, "不能再办理", 100);
	assert_shows(&e, "2026-0001", "state", "已答复");
	term_send(&t, "y");
	must_see(&t, "已结案", 3000);
	must_see(&t, "办结", 1000);
	assert_shows(&e, "2026-0001", "state", "已结案");
	assert_shows(&e, "2026-0001", "outcome.satisfaction", "满意");
	assert_shows(&e, "2026-0001", "reply.method", "口头");
	term_free(&t);
	env_teardown(&e);
}

/* The status bar for one day: its text, and the colour of the cell at `word`. */
static void status_on(struct desk_env *e, const char *today, const char *want, const char *word, int want_color)
{
	snprintf(e->today, sizeof e->today, "XINFANG_TODAY=%s", today);
	struct term t;
	open_desk(&t, e, "clerk", NULL);
	must_see(&t, want, 3000);
	if (word) {
		int row, col;
		assert_true(term_find(&t, word, &row, &col));
		assert_int_equal(row, t.rows - 2);
		VTermScreenCell cell;
		term_cell(&t, row, col, &cell);
		assert_true(VTERM_COLOR_IS_INDEXED(&cell.fg));
		assert_int_equal(cell.fg.indexed.idx, want_color);
	}
	term_free(&t);
}

/* The status bar counts move as --today moves. */
static void status_bar_follows_the_date(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "张伟"); /* transfer 11-23, handle 11-27, reply 12-21 */
	status_on(&e, "2026-11-20", "周限 临近0 超期0 │ 月限 临近0 超期0 │ 待批转 1 超期0", NULL, 0);
	status_on(&e, "2026-11-25", "周限 临近1 超期0 │ 月限 临近0 超期0 │ 待批转 1 超期1", "临近1", 3);
	status_on(&e, "2026-11-28", "周限 临近0 超期1 │ 月限 临近0 超期0 │ 待批转 1 超期1", "超期1", 1);
	status_on(&e, "2026-12-22", "周限 临近0 超期1 │ 月限 临近0 超期1", NULL, 0);
	env_teardown(&e);
}

/* Resizing while typing keeps what is typed. */
static void resize_while_editing(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_registration(&e, &t, "2026-11-20");
	term_send(&t, "\t\t\t欧阳");
	term_resize(&t, 30, 100);
	must_see(&t, "欧阳", 2000);
	term_resize(&t, 24, 80);
	must_see(&t, "欧阳", 2000);
	term_send(&t, "修文");
	must_see(&t, "欧阳修文", 2000);
	int row, col;
	assert_true(term_find(&t, "欧阳修文", &row, &col));
	assert_int_equal(col, (80 - 65) / 2 + 12); /* the name slot of the centred form */
	term_resize(&t, 20, 60);
	must_see(&t, "终端窗口太小", 2000);
	term_resize(&t, 24, 80);
	must_see(&t, "欧阳修文", 2000);
	term_free(&t);
	env_teardown(&e);
}

/* Another desk's registration shows on this desk's status bar within a second. */
static void two_desks(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	struct term a;
	open_desk(&a, &e, "head", NULL);
	must_see(&a, "待批转 0", 2000);
	cli_case(&e, "王五");
	if (!term_wait(&a, "待批转 1", 1000))
		fail_msg("the other desk's change did not show within a second:\n%s", term_text(&a));
	/* And in the queue, which reloads by itself. */
	term_send(&a, "2");
	must_see(&a, "王五", 2000);
	cli_case(&e, "赵六");
	if (!term_wait(&a, "赵六", 1000))
		fail_msg("the queue did not reload within a second:\n%s", term_text(&a));
	term_free(&a);
	env_teardown(&e);
}

/* A registration typed and then killed comes back as a draft. */
static void draft_survives_kill(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_registration(&e, &t, "2026-11-20");
	term_send(&t, "\t\t\t诸葛亮\t\t\t\t\t\t13900001111\t"); /* past 证件类型 and 证件号码 */
	term_send(&t, "\t\t\t\t\t\t\t卡被吞了");
	term_pump(&t, 1300); /* idle: the desk saves the draft */
	assert_int_equal(term_stop(&t, SIGKILL, 2000), -1);
	term_free(&t);
	open_desk(&t, &e, "clerk", NULL);
	term_send(&t, "1");
	must_see(&t, "已恢复", 3000);
	must_see(&t, "诸葛亮", 100);
	must_see(&t, "13900001111", 100);
	for (int i = 0; i < 17; i++)
		term_send(&t, "\t");
	must_see(&t, "卡被吞了", 1000);
	/* Ctrl-D drops it. */
	term_send(&t, "\004");
	term_send(&t, "y");
	must_see(&t, "草稿已放弃", 2000);
	assert_true(term_wait_gone(&t, "诸葛亮", 1000));
	term_free(&t);
	env_teardown(&e);
}

/* The terminal comes back whole after SIGTERM; a non-UTF-8 locale is refused up front;
 * a monochrome desk marks overdue counts in reverse video. */
static void terminal_care(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	struct term t;
	open_desk(&t, &e, "clerk", NULL);
	assert_non_null(memmem(t.raw.data, t.raw.len, "\033[?1049h", 8));
	assert_int_equal(term_stop(&t, SIGTERM, 3000), 0);
	assert_non_null(memmem(t.raw.data, t.raw.len, "\033[?1049l", 8));
	term_free(&t);

	const char *latin[] = {e.db, "LC_ALL=C", NULL};
	term_start(&t, 24, 80, latin, (const char *[]){NULL});
	assert_int_equal(term_stop(&t, 0, 3000), 1);
	assert_non_null(memmem(t.raw.data, t.raw.len, "UTF-8", 5));
	assert_null(memmem(t.raw.data, t.raw.len, "\033[?1049h", 8));
	term_free(&t);

	cli_case(&e, "孙七");
	snprintf(e.today, sizeof e.today, "XINFANG_TODAY=2026-11-28");
	open_desk(&t, &e, "clerk", (const char *[]){"XINFANG_MONO=1", NULL});
	must_see(&t, "超期1", 2000);
	int row, col;
	assert_true(term_find(&t, "超期1", &row, &col));
	VTermScreenCell cell;
	term_cell(&t, row, col, &cell);
	assert_true(cell.attrs.reverse);
	assert_true(VTERM_COLOR_IS_DEFAULT_FG(&cell.fg));
	term_free(&t);
	env_teardown(&e);
}

/* F5 opens the cases behind the status bar from any screen, even mid-form. */
static void limits_list_from_anywhere(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "钱八");
	cli(&e, "clerk", (const char *[]){"--today", "2026-11-21", "new", "channel=来信", "category=建议", "name=吴九", "summary=建议", NULL});
	snprintf(e.today, sizeof e.today, "XINFANG_TODAY=2026-11-26");
	struct term t;
	open_desk(&t, &e, "clerk", NULL);
	term_send(&t, "1");
	must_see(&t, "信 访 登 记 表", 3000);
	term_send(&t, "\t\t\t周");
	term_send(&t, K_F5);
	must_see(&t, "时限清单", 2000);
	must_see(&t, "2026年第0001号", 1000);
	must_see(&t, "钱八", 1000);
	int row, col;
	assert_true(term_find(&t, "钱八", &row, &col));
	char *line = term_row(&t, row);
	assert_non_null(strstr(line, "周限"));
	assert_non_null(strstr(line, "2026-11-27"));
	free(line);
	term_send(&t, K_F10);
	must_see(&t, "信 访 登 记 表", 2000);
	must_see(&t, "周", 500);
	term_send(&t, "树人");
	must_see(&t, "周树人", 1000);
	term_free(&t);
	env_teardown(&e);
}

/* A store whose trigger was dropped behind the program's back: the desk says so at start, once
 * logged in, and never to one whose password was wrong. */
static void tampered_store_named_at_start(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	env_setup(&e, "2026-11-20");
	open_desk(&t, &e, "clerk", NULL);
	assert_false(term_wait(&t, "核验未通过", 300));
	term_free(&t);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(e.db + strlen("XINFANG_DB="), &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_delete", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	open_desk(&t, &e, "clerk", NULL);
	must_see(&t, "数据库核验未通过，请管理员运行 xinfang verify", 2000);
	term_free(&t);
	/* Logged in from the environment, the store verified while the password is checked: said
	 * with the first frame. */
	const char *right[] = {e.db, e.today, "XINFANG_USER=clerk", "XINFANG_PASSWORD=secret1", NULL};
	term_start(&t, 24, 80, right, (const char *[]){NULL});
	must_see(&t, "信 访 工 作 台", 5000);
	must_see(&t, "数据库核验未通过，请管理员运行 xinfang verify", 1000);
	term_free(&t);
	/* A wrong password from the environment or typed: the login screen says only that; the
	 * verify is said once the right password is typed. */
	const char *wrong[] = {e.db, e.today, "XINFANG_USER=clerk", "XINFANG_PASSWORD=wrong-password", NULL};
	term_start(&t, 24, 80, wrong, (const char *[]){NULL});
	must_see(&t, "用户名或密码不对", 5000);
	must_see(&t, "请登录", 100);
	assert_false(term_find(&t, "核验", NULL, NULL));
	term_send(&t, "wrong-again\r"); /* typed on the login screen: the same */
	must_see(&t, "再错 3 次将锁定", 5000);
	assert_false(term_find(&t, "核验", NULL, NULL));
	term_send(&t, "secret1\r");
	must_see(&t, "信 访 工 作 台", 5000);
	must_see(&t, "数据库核验未通过，请管理员运行 xinfang verify", 1000);
	term_free(&t);
	env_teardown(&e);
}

/* Search at the desk: words typed in Chinese, results newest first with the matched words
 * marked (bold, brackets kept), a page at a time; Enter opens the case. */
static void search_words_and_open(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli(&e, "clerk", (const char *[]){"new", "channel=来访", "category=服务态度", "name=周建华",
	                                  "summary=信用卡被盗刷，要求赔偿", "received=2026-11-18", NULL});
	cli(&e, "clerk", (const char *[]){"new", "channel=来电", "category=服务态度", "name=陈东",
	                                  "summary=借记卡被盗刷", "received=2026-11-19", NULL});
	for (int i = 0; i < 25; i++)
		cli(&e, "clerk", (const char *[]){"new", "channel=来电", "category=咨询", "name=林一",
		                                  "summary=咨询银行卡年费", NULL});
	struct term t;
	open_desk(&t, &e, "clerk", NULL);
	term_send(&t, "5");
	must_see(&t, "查找内容", 3000);
	term_send(&t, "盗刷" K_F2);
	must_see(&t, "查找结果", 3000);
	must_see(&t, "【盗刷】", 1000);
	must_see(&t, "共 2 件，第 1 页：第 1 至 2 件；全部在这一页", 1000);
	int r1, r2, col;
	assert_true(term_find(&t, "陈东", &r1, &col));
	assert_true(term_find(&t, "周建华", &r2, &col));
	assert_true(r1 < r2); /* newest first */
	int mr, mc;
	assert_true(term_find(&t, "盗刷】", &mr, &mc));
	VTermScreenCell cell;
	term_cell(&t, mr, mc, &cell);
	assert_true(cell.attrs.bold);
	assert_true(term_find(&t, "林一", &r1, &col) == false);
	term_send(&t, "\r");
	must_see(&t, "2026年第0002号", 3000);
	must_see(&t, "借记卡被盗刷", 1000);
	term_send(&t, K_F10);
	must_see(&t, "查找结果", 3000);
	term_send(&t, K_F10);
	must_see(&t, "查找内容", 3000);
	/* One character, many results: a page at a time, the total counted by the core. */
	term_send(&t, "\025卡" K_F2);
	must_see(&t, "共 27 件，第 1 页：第 1 至 ", 3000);
	must_see(&t, "还有下一页", 1000);
	term_send(&t, "n");
	must_see(&t, "共 27 件，第 2 页", 3000);
	must_see(&t, "周建华", 1000);
	term_free(&t);
	env_teardown(&e);
}

/* The first column at or after `from` on a row whose cell is not blank. */
static int first_ink(struct term *t, int row, int from)
{
	for (int c = from; c < t->cols; c++) {
		VTermScreenCell cell;
		term_cell(t, row, c, &cell);
		if (cell.chars[0] && cell.chars[0] != ' ')
			return c;
	}
	return -1;
}

/* Search results in columns: each heading over its column, a six-digit number whole (with 号),
 * a long name cut with … before the content column, the page on a line of its own; Enter in
 * the words field runs the search. */
static void search_results_in_columns(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	char ledger[160];
	snprintf(ledger, sizeof ledger, "%s/big.csv", e.dir);
	FILE *f = fopen(ledger, "w");
	assert_non_null(f);
	fputs("编号,收件日期,信访方式,信访人,投诉类别,投诉内容\r\n"
	      "2026年第137434号,2026-11-18,来信,北京星辰科技发展有限公司财务部,服务态度,对公账户【年费】扣收卡费不合理\r\n"
	      "2026年第0009号,2026-11-19,来电,𠮷祥,服务态度,借记卡年费\r\n",
	      f);
	fclose(f);
	cli(&e, "clerk", (const char *[]){"import", ledger, NULL});
	struct term t;
	open_desk(&t, &e, "clerk", NULL);
	term_send(&t, "5");
	must_see(&t, "查找内容", 3000);
	term_send(&t, "卡\r"); /* Enter, not F2 */
	must_see(&t, "查找结果", 3000);
	must_see(&t, "2026年第137434号", 1000); /* never cut */
	int hr, hc, nr, nc, r, c;
	assert_true(term_find(&t, "编号", &hr, &hc));
	assert_true(term_find(&t, "2026年第137434号", &nr, &nc));
	assert_true(nr > hr);
	assert_int_equal(hc, nc);
	assert_true(term_find(&t, "2026年第0009号", &r, &c));
	assert_int_equal(c, nc);
	assert_true(term_find(&t, "收件日期", &hr, &hc));
	assert_true(term_find(&t, "2026-11-18", &r, &c));
	assert_int_equal(hc, c);
	assert_true(term_find(&t, "状态", &hr, &hc));
	assert_true(term_find(&t, "待批", &r, &c));
	assert_int_equal(hc, c);
	/* The long name ends in … and leaves a gap before the content, which starts under 内容. */
	int name_h, name_c, content_h, content_c;
	assert_true(term_find(&t, "信访人", &name_h, &name_c));
	assert_true(term_find(&t, "内容", &content_h, &content_c));
	assert_true(term_find(&t, "北京星辰", &r, &c));
	assert_int_equal(c, name_c);
	assert_int_equal(r, nr);
	char *row = term_row(&t, r);
	assert_non_null(strstr(row, "…"));
	assert_null(strstr(row, "有限公司财务部"));
	free(row);
	VTermScreenCell cell;
	term_cell(&t, r, content_c - 1, &cell);
	assert_true(cell.chars[0] == 0 || cell.chars[0] == ' ');
	int ellipsis = name_c;
	for (; ellipsis < content_c; ellipsis++) {
		term_cell(&t, r, ellipsis, &cell);
		if (cell.chars[0] == 0x2026)
			break;
	}
	assert_true(ellipsis < content_c - 1); /* the name is cut before the gap */
	assert_int_equal(first_ink(&t, r, ellipsis + 1), content_c);
	assert_true(term_find(&t, "𠮷祥", &r, &c));
	assert_int_equal(c, name_c);
	/* The page is said on its own line, not in the headings' row. */
	assert_true(term_find(&t, "第 1 页", &r, &c));
	assert_true(r != hr);
	term_free(&t);
	env_teardown(&e);
}

/* Statistics at the desk: bar charts with CJK labels aligned in 80 columns, another period,
 * the CSV export, and the printed report (a PDF file, the terminal's printer). */
static void statistics_screen(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "刘䶮");
	cli_case(&e, "王芳");
	cli(&e, "clerk", (const char *[]){"new", "channel=政府部门转办", "category=工作失误", "name=李四",
	                                  "summary=多扣费用", NULL});
	struct term t;
	open_desk(&t, &e, "head", NULL);
	term_send(&t, "6");
	must_see(&t, "收到事项 3 件", 3000);
	must_see(&t, "及时转办率", 1000);
	int r1, r2, c1, c2, bar1, bar2;
	assert_true(term_find(&t, "来访", &r1, &c1));
	assert_true(term_find(&t, "政府部门转办", &r2, &c2));
	char *l1 = term_row(&t, r1), *l2 = term_row(&t, r2);
	assert_non_null(strstr(l1, "█"));
	assert_non_null(strstr(l2, "█"));
	/* The bars start in the same column whatever the label's length. */
	assert_true(term_find(&t, "来访", &r1, &c1));
	for (bar1 = 0; bar1 < 80; bar1++) {
		VTermScreenCell cell;
		term_cell(&t, r1, bar1, &cell);
		if (cell.chars[0] == 0x2588)
			break;
	}
	for (bar2 = 0; bar2 < 80; bar2++) {
		VTermScreenCell cell;
		term_cell(&t, r2, bar2, &cell);
		if (cell.chars[0] == 0x2588)
			break;
	}
	assert_true(bar1 < 80);
	assert_int_equal(bar1, bar2);
	free(l1);
	free(l2);
	term_send(&t, "y");
	must_see(&t, "2026-01-01 至 2026-12-31", 3000);
	term_send(&t, K_LEFT);
	must_see(&t, "2025-01-01 至 2025-12-31", 3000);
	must_see(&t, "收到事项 0 件", 1000);
	term_send(&t, "y");
	must_see(&t, "收到事项 3 件", 3000);
	term_send(&t, "e");
	must_see(&t, "导出统计", 3000);
	char path[256];
	snprintf(path, sizeof path, "%s/stats.csv", e.dir);
	term_send(&t, "\025");
	term_send(&t, path);
	term_send(&t, K_F2);
	must_see(&t, "统计已导出到", 3000);
	char *cmd = xasprintf("iconv -f GB18030 -t UTF-8 '%s' | grep -c '^按渠道,来访,2,'", path);
	FILE *p = popen(cmd, "r");
	char line[16] = "";
	assert_non_null(fgets(line, sizeof line, p));
	pclose(p);
	free(cmd);
	assert_string_equal(line, "1\n");
	/* p prints the report as the command line does: a *.pdf file gets the PDF report. */
	term_send(&t, "p");
	must_see(&t, "打印统计", 3000);
	must_see(&t, "2026-01-01 至 2026-12-31", 1000);
	choose_print_dest(&t, "文件");
	snprintf(path, sizeof path, "%s/统计.pdf", e.dir);
	char keys[300];
	snprintf(keys, sizeof keys, "\t\025%s", path); /* the file field (no queue for a file), the path */
	term_send(&t, keys);
	term_send(&t, K_F2);
	must_see(&t, "统计已送文件", 3000);
	must_see(&t, "（PDF）", 1000);
	char *text = run_capture(NULL, "pdftotext -layout '%s' - | tr -d ' '", path);
	assert_non_null(strstr(text, "信访统计报表【演示/培训】"));
	assert_non_null(strstr(text, "政府部门转办133.3%"));
	assert_non_null(strstr(text, "打印人：李建国"));
	free(text);
	/* To the terminal's own printer: the text page in GB18030, between mc5 and mc4. */
	term_send(&t, "p");
	must_see(&t, "打印统计", 3000);
	choose_print_dest(&t, "终端打印机");
	term_send(&t, K_F2);
	must_see(&t, "统计已送终端打印机（文本）", 3000);
	assert_false(t.printing);
	char *printed = NULL;
	assert_int_equal(text_decode(t.printer.data, t.printer.len, "GB18030", &printed, NULL), XF_OK);
	assert_non_null(strstr(printed, "及时转办率"));
	free(printed);
	term_free(&t);
	env_teardown(&e);
}

/* The last column of a row holding a given code point (-1 when none). */
static int last_cell_with(struct term *t, int row, uint32_t cp)
{
	int last = -1;
	for (int c = 0; c < t->cols; c++) {
		VTermScreenCell cell;
		term_cell(t, row, c, &cell);
		if (cell.chars[0] == cp)
			last = c;
	}
	return last;
}

/* The two message rows of an 80x24 desk joined, spaces left out (a wrapped line may break
 * at one). */
static char *message_rows_joined(struct term *t)
{
	struct xf_buf b;
	buf_init(&b);
	for (int row = t->rows - 4; row <= t->rows - 3; row++) {
		char *line = term_row(t, row);
		for (const char *p = line; *p; p++)
			if (*p != ' ')
				buf_add(&b, p, 1);
		free(line);
	}
	return b.data;
}

/* The statistics screen's small things: the operator and date in the title bar; the empty
 * period's dashes in one column; the overdue charts' bars and numbers where the other charts
 * have them; 按 JR/T with its space and the JR/T view said on screen; Home and End; ← → on
 * chosen dates explained; the export and the print dialog in one folder under one name, the
 * full path said; a printer that refuses said in two lines with lp's reason whole. */
static void statistics_screen_details(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	/* A case received and transferred early in the month, past its handle limit by the 20th. */
	snprintf(e.today, sizeof e.today, "XINFANG_TODAY=2026-11-02");
	cli_case(&e, "刘䶮");
	cli(&e, "head", (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
	snprintf(e.today, sizeof e.today, "XINFANG_TODAY=2026-11-20");
	cli_case(&e, "王芳");
	char home[128], cups[160];
	snprintf(home, sizeof home, "HOME=%s", e.dir);
	snprintf(cups, sizeof cups, "CUPS_SERVER=%s/no-cupsd.sock", e.dir);
	struct term t;
	open_desk(&t, &e, "head", (const char *[]){home, cups, NULL});
	term_send(&t, "6");
	must_see(&t, "收到事项 2 件", 3000);
	char *title = term_row(&t, 0);
	assert_non_null(strstr(title, "统计 2026年11月"));
	assert_non_null(strstr(title, "李建国（办公室主任） 2026-11-20"));
	free(title);
	/* The bars of the channels, and where their numbers end. */
	int r, c, bar_end, number_end;
	assert_true(term_find(&t, "按渠道", &r, &c));
	bar_end = last_cell_with(&t, r + 1, 0x2588);
	assert_true(bar_end > 20);
	number_end = last_cell_with(&t, r + 1, '2');
	assert_true(number_end > bar_end);
	term_send(&t, K_END);
	must_see(&t, "超期事项（按经办人）", 2000);
	assert_false(term_wait(&t, "信访统计  2026-11-01", 200));
	assert_true(term_find(&t, "超期事项（按承办部门，共 1 件）", &r, &c));
	assert_int_equal(last_cell_with(&t, r + 1, 0x2588), bar_end);
	assert_int_equal(last_cell_with(&t, r + 1, '1'), number_end - 0); /* "1" where "2" was */
	term_send(&t, K_HOME);
	must_see(&t, "信访统计  2026-11-01 至 2026-11-30", 2000);
	/* The JR/T view: its own headings with a space, and a line saying it is on. */
	term_send(&t, "j");
	must_see(&t, "按 JR/T 业务渠道", 3000);
	must_see(&t, "含 JR/T 0169 分类", 1000);
	term_send(&t, "j");
	assert_true(term_wait_gone(&t, "含 JR/T 0169 分类", 2000));
	/* An empty period: every dash in one column. */
	term_send(&t, K_LEFT);
	must_see(&t, "统计 2026年10月", 3000);
	must_see(&t, "收到事项 0 件", 1000);
	int dash_rate, dash_avg;
	assert_true(term_find(&t, "及时转办率", &r, &c));
	dash_rate = last_cell_with(&t, r, 0x2014);
	assert_true(term_find(&t, "平均办理时间", &r, &c));
	dash_avg = last_cell_with(&t, r, 0x2014);
	assert_true(dash_rate > 0);
	assert_int_equal(dash_rate, dash_avg);
	/* Chosen dates have no period before or after: said, not ignored. */
	term_send(&t, "d");
	must_see(&t, "统计期间", 3000);
	term_send(&t, "\025" "2026-11-01\t\025" "2026-11-15" K_F2);
	must_see(&t, "统计 自选日期", 3000);
	term_send(&t, K_RIGHT);
	must_see(&t, "自选日期没有上一期、下一期", 2000);
	term_send(&t, "m");
	must_see(&t, "统计 2026年11月", 3000);
	/* The export goes where the print dialog offers, under the same name, said in full. */
	term_send(&t, "e");
	must_see(&t, "导出统计", 3000);
	term_send(&t, K_F2);
	char want[300];
	snprintf(want, sizeof want, "统计已导出到 %s/xinfang-统计-2026-11.csv", e.dir);
	must_see(&t, want, 3000);
	snprintf(want, sizeof want, "%s/xinfang-统计-2026-11.csv", e.dir);
	assert_int_equal(access(want, R_OK), 0);
	term_send(&t, "p");
	must_see(&t, "打印统计", 3000);
	snprintf(want, sizeof want, "│%s/xinfang-", e.dir);
	must_see(&t, want, 1000); /* the field shows the path's start; the print below the rest */
	/* The printer refuses (no CUPS): lp's reason whole, what to do, in the two message lines. */
	choose_print_dest(&t, "打印机");
	term_send(&t, K_F2);
	must_see(&t, "没有接受", 5000);
	char *said = message_rows_joined(&t);
	char *lp = run_capture(NULL, "CUPS_SERVER='%s/no-cupsd.sock' lp -t x - </dev/null 2>&1 | tr -d ' \n'", e.dir);
	size_t n = strlen(lp);
	while (n > 0 && lp[n - 1] == '.')
		lp[--n] = '\0';
	assert_true(n > 5);
	assert_non_null(strstr(said, "打印机没有接受（lp退出码1）："));
	assert_non_null(strstr(said, lp));
	assert_non_null(strstr(said, "请管理员检查打印机（lpstat-p）"));
	assert_null(strstr(said, ".。"));
	assert_null(strstr(said, "…"));
	free(lp);
	free(said);
	/* The file the dialog offered is in the export's folder. */
	choose_print_dest(&t, "文件");
	term_send(&t, K_F2);
	must_see(&t, "统计已送文件", 5000);
	said = message_rows_joined(&t);
	snprintf(want, sizeof want, "%s/xinfang-统计-2026-11.pdf", e.dir);
	assert_non_null(strstr(said, want));
	free(said);
	assert_int_equal(access(want, R_OK), 0);
	term_free(&t);
	env_teardown(&e);
}

/* A training store says so in the title bar, a store others can read is named on the message
 * line with the chmod to run, and a production store refuses a set date before the screen. */
static void training_mark_and_file_warning(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	char *store = strchr(e.db, '=') + 1;
	assert_int_equal(chmod(store, 0644), 0);
	struct term t;
	term_start(&t, 24, 80, (const char *[]){e.db, e.today, NULL}, (const char *[]){NULL});
	must_see(&t, "请登录", 5000);
	must_see(&t, "演示/培训", 1000);
	must_see(&t, "chmod 600", 1000);
	term_free(&t);
	/* A production store: made without a date, opened with one. */
	char prod[160], prod_env[200];
	snprintf(prod, sizeof prod, "%s/prod.db", e.dir);
	snprintf(prod_env, sizeof prod_env, "XINFANG_DB=%s", prod);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, (const char *[]){prod_env, "XINFANG_PASSWORD=secret1", NULL}, (const char *[]){"init", NULL});
	assert_int_equal(r->status, 0);
	free(r);
	term_start(&t, 24, 80, (const char *[]){prod_env, e.today, NULL}, (const char *[]){NULL});
	must_see(&t, "正式数据库", 5000);
	assert_int_equal(term_stop(&t, 0, 3000), 1);
	term_free(&t);
	env_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registration_typed_in_chinese),
		cmocka_unit_test(passport_holder_from_hong_kong),
		cmocka_unit_test(phone_check_without_its_module),
		cmocka_unit_test(age_on_the_day_received),
		cmocka_unit_test(wrong_id_refused_text_kept),
		cmocka_unit_test(queue_transfer_and_print),
		cmocka_unit_test(print_dialog_under_tmux),
		cmocka_unit_test(outcome_reply_close),
		cmocka_unit_test(status_bar_follows_the_date),
		cmocka_unit_test(resize_while_editing),
		cmocka_unit_test(two_desks),
		cmocka_unit_test(draft_survives_kill),
		cmocka_unit_test(terminal_care),
		cmocka_unit_test(limits_list_from_anywhere),
		cmocka_unit_test(search_words_and_open),
		cmocka_unit_test(search_results_in_columns),
		cmocka_unit_test(statistics_screen),
		cmocka_unit_test(statistics_screen_details),
	};
	/* An attacker's sqlite3 shell and the file's mode: an SQLite file's own (on a server, the
	 * tampering verify finds is pg-cli-day's, the privileges roles.sql's). */
	const struct CMUnitTest file[] = {
		cmocka_unit_test(tampered_store_named_at_start),
		cmocka_unit_test(training_mark_and_file_warning),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	if (!test_on_pg())
		failed += cmocka_run_group_tests_name("desk-file", file, NULL, NULL);
	return failed;
}

/* The case file: every record with its texts, links both ways, a history people can read,
 * and nothing of a masked petitioner for the handler. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/casefile.h"
#include "xinfang/print.h"

/* Makes a move or fails the test. */
static void move(struct xf_session *s, int64_t id, enum xf_move mv, const char *first, ...)
{
	struct xf_fields f;
	fields_init(&f);
	va_list ap;
	va_start(ap, first);
	for (const char *kv = first; kv; kv = va_arg(ap, const char *)) {
		const char *eq = strchr(kv, '=');
		char *key = xstrndup(kv, (size_t)(eq - kv));
		fields_set(&f, key, eq + 1);
		free(key);
	}
	va_end(ap);
	struct xf_err err;
	if (case_move(s, id, mv, &f, 0, &err) != XF_OK)
		fail_msg("%s: %s", xf_moves[mv].key, err.msg);
	fields_free(&f);
}

/* The record with this title, or NULL. */
static const struct xf_fields *record(const struct xf_rows *rows, const char *title)
{
	for (size_t i = 0; i < rows->n; i++)
		if (strcmp(fields_str(&rows->v[i], "#title"), title) == 0)
			return &rows->v[i];
	return NULL;
}

/* Every row's text joined, to look for what must not be there. */
static char *all_text(const struct xf_rows *rows)
{
	struct xf_buf b;
	buf_init(&b);
	for (size_t i = 0; i < rows->n; i++)
		for (size_t j = 0; j < rows->v[i].n; j++)
			buf_printf(&b, "%s=%s\n", rows->v[i].v[j].key, rows->v[i].v[j].val);
	return b.data;
}

/* The transfer's instruction and opinion, the outcome's texts, an extension and a withdrawal
 * all show, labelled, with who did them. */
static void records_hold_every_text(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, "phone=13912345678", NULL);
	move(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", "instruction=请认真核查", "leader=张行长",
	     "opinion=请于期限内书面报告", NULL);
	move(&fx.handler, id, XF_MV_EXTEND, "until=2026-12-10", "reason=需调取监控录像", NULL);
	move(&fx.handler, id, XF_MV_OUTCOME, "findings=经核实属实", "accountability=对柜员批评教育",
	     "rectification=开展服务培训", NULL);
	move(&fx.clerk, id, XF_MV_WITHDRAW, "reason=问题已解决", "voluntary=是", NULL);
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(casefile_records(&fx.clerk, id, &rows, &err), XF_OK);
	const struct xf_fields *t = record(&rows, "批转（信访转办单）");
	assert_non_null(t);
	assert_string_equal(fields_str(t, "领导批示"), "请认真核查");
	assert_string_equal(fields_str(t, "办公室意见"), "请于期限内书面报告");
	assert_string_equal(fields_str(t, "#who"), "李建国（办公室主任）");
	const struct xf_fields *o = record(&rows, "报结（处理结果报告单）");
	assert_non_null(o);
	assert_string_equal(fields_str(o, "责任人员处理情况"), "对柜员批评教育");
	assert_string_equal(fields_str(o, "整改措施"), "开展服务培训");
	const struct xf_fields *x = record(&rows, "延期申请");
	assert_string_equal(fields_str(x, "延期的时限"), "周限");
	assert_string_equal(fields_str(x, "申请延至"), "2026-12-10");
	assert_string_equal(fields_str(x, "延期理由"), "需调取监控录像");
	assert_string_equal(fields_str(x, "审批意见"), "待审批");
	const struct xf_fields *w = record(&rows, "撤诉（结案）");
	assert_string_equal(fields_str(w, "撤诉理由"), "问题已解决");
	assert_string_equal(fields_str(w, "是否自愿撤诉"), "是");
	char *text = all_text(&rows);
	assert_null(strstr(text, "handle")); /* nothing in English */
	free(text);
	rows_free(&rows);
	fixture_close(&fx);
}

/* A link shows on both cases. */
static void links_both_ways(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t first = fixture_case(&fx, NULL);
	int64_t second = fixture_case(&fx, "repeat_of=2026-0001", NULL);
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(casefile_records(&fx.clerk, second, &rows, &err), XF_OK);
	assert_string_equal(fields_str(record(&rows, "关联重复信访"), "关联到"), "2026年第0001号");
	rows_free(&rows);
	assert_int_equal(casefile_records(&fx.clerk, first, &rows, &err), XF_OK);
	const struct xf_fields *back = record(&rows, "被关联为重复信访");
	assert_non_null(back);
	assert_string_equal(fields_str(back, "关联自"), "2026年第0002号");
	assert_string_equal(fields_str(back, "#number"), "2026年第0002号");
	rows_free(&rows);
	fixture_close(&fx);
}

/* The history names people and roles and says what changed in Chinese. */
static void history_in_chinese(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, "phone=13912345678", NULL);
	struct xf_fields edit;
	fields_init(&edit);
	fields_set(&edit, "phone", "13800001111");
	struct xf_err err;
	assert_int_equal(case_edit(&fx.clerk, id, &edit, 0, &err), XF_OK);
	fields_free(&edit);
	move(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	struct xf_rows rows;
	assert_int_equal(casefile_history(&fx.clerk, id, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 3);
	assert_string_equal(fields_str(&rows.v[0], "#action"), "登记");
	assert_string_equal(fields_str(&rows.v[0], "#who"), "王丽（接待员）");
	assert_string_equal(fields_str(&rows.v[1], "#action"), "更正");
	assert_string_equal(fields_str(&rows.v[1], "联系电话"), "13912345678 → 13800001111");
	assert_string_equal(fields_str(&rows.v[2], "#who"), "李建国（办公室主任）");
	assert_string_equal(fields_str(&rows.v[2], "状态"), "待批 → 已转办");
	assert_string_equal(fields_str(&rows.v[2], "主办部门"), "个人金融部");
	char *text = all_text(&rows);
	assert_null(strstr(text, "transferred"));
	assert_null(strstr(text, "=clerk"));
	free(text);
	rows_free(&rows);
	fixture_close(&fx);
}

/* A confidential case's petitioner stays hidden from the handler in records and history. */
static void handler_sees_no_masked_identity(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, "name=欧阳修", "phone=13912345678", "confidential=是",
	                          "summary=欧阳修反映柜员态度冷淡", NULL);
	struct xf_fields edit;
	fields_init(&edit);
	fields_set(&edit, "phone", "13800001111");
	struct xf_err err;
	assert_int_equal(case_edit(&fx.clerk, id, &edit, 0, &err), XF_OK);
	fields_free(&edit);
	move(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", "opinion=请联系欧阳修本人核实", NULL);
	struct xf_rows rows;
	assert_int_equal(casefile_history(&fx.handler, id, &rows, &err), XF_OK);
	char *text = all_text(&rows);
	assert_null(strstr(text, "13912345678"));
	assert_null(strstr(text, "13800001111"));
	assert_null(strstr(text, "欧阳修"));
	assert_non_null(strstr(text, "联系电话=（保密） → （保密）"));
	free(text);
	rows_free(&rows);
	assert_int_equal(casefile_records(&fx.handler, id, &rows, &err), XF_OK);
	text = all_text(&rows);
	assert_null(strstr(text, "欧阳修"));
	assert_non_null(strstr(text, "请联系"));
	free(text);
	rows_free(&rows);
	/* The office sees it all. */
	assert_int_equal(casefile_history(&fx.clerk, id, &rows, &err), XF_OK);
	text = all_text(&rows);
	assert_non_null(strstr(text, "13912345678 → 13800001111"));
	free(text);
	rows_free(&rows);
	fixture_close(&fx);
}

/* The command line's history is the case file's: Chinese labels and values, one event a line,
 * never the audit's raw JSON with its English keys and bookkeeping (due_estimated, ruleset);
 * a print names its form and where it went. */
static void history_command_in_chinese(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, "phone=13912345678", NULL);
	move(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	struct xf_err err;
	assert_int_equal(print_record(&fx.clerk, id, "transfer", "打印机 信访办，作业 信访办-7", "PDF", &err), XF_OK);
	char dbenv[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	const char *env[] = {dbenv, "XINFANG_USER=clerk", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"history", "2026-0001", NULL});
	assert_int_equal(r->status, 0);
	static const char *const absent[] = {"{", "\"record\"", "due_estimated", "ruleset", "channel", "transferred",
	                                     "\tclerk\t"};
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
		if (strstr(r->out, absent[i]))
			fail_msg("history shows %s:\n%s", absent[i], r->out);
	assert_non_null(strstr(r->out, "\t王丽（接待员）\t登记\t"));
	assert_non_null(strstr(r->out, "\t李建国（办公室主任）\t批转\t"));
	assert_non_null(strstr(r->out, "状态：待批 → 已转办"));
	assert_non_null(strstr(r->out, "主办部门：个人金融部"));
	assert_non_null(strstr(r->out, "\t打印\t单子：信访转办单；送往：打印机 信访办，作业 信访办-7；格式/编码：PDF；补打：否"));
	int lines = 0;
	for (const char *p = r->out; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, 3);
	free(r);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_hold_every_text),
		cmocka_unit_test(links_both_ways),
		cmocka_unit_test(history_in_chinese),
		cmocka_unit_test(handler_sees_no_masked_identity),
		cmocka_unit_test(history_command_in_chinese),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

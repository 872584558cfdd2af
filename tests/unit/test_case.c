/* The workflow: every move in every state and role, registration, limits, confidentiality,
 * recusal, conflicts, extensions and the status bar as the date moves. */
#include "testutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/desk.h"
#include "xinfang/limits.h"
#include "xinfang/print.h"
#include "xinfang/report.h"
#include "xinfang/search.h"
#include "xinfang/setup.h"

/* A valid input for each move (link's target is filled in at run time). */
static const char *const valid_input[XF_MV_COUNT][4] = {
	[XF_MV_SPOT] = {"answer=已当场解释有关规定", NULL},
	[XF_MV_REJECT] = {"reason=不属于本行受理范围", "advice=请向人民法院起诉", NULL},
	[XF_MV_TRANSFER] = {"dept=个人金融部", NULL},
	[XF_MV_RETURN] = {"reason=不属本部门职责", NULL},
	[XF_MV_OUTCOME] = {"findings=经核实情况属实", "satisfaction=满意", NULL},
	[XF_MV_REPLY] = {"method=书面", NULL},
	[XF_MV_CLOSE] = {NULL},
	[XF_MV_WITHDRAW] = {"reason=已协商解决", "voluntary=是", NULL},
	[XF_MV_INSTRUCT] = {"leader=张行长", "text=请认真核查", NULL},
	[XF_MV_EXTEND] = {"until=2026-12-31", "reason=需调取外地凭证", NULL},
	[XF_MV_DECIDE] = {"decision=同意", NULL},
	[XF_MV_URGE] = {"target=个人金融部", "method=电话", NULL},
	[XF_MV_MATERIAL] = {"description=交易流水两页", NULL},
	[XF_MV_LINK] = {NULL},
};

/* Does a move with the given pairs; returns the core's status. */
static int move_as(struct xf_session *s, int64_t id, enum xf_move mv, struct xf_err *err, const char *first, ...)
{
	struct xf_fields f;
	va_list ap;
	va_start(ap, first);
	fields_from_va(&f, first, ap);
	va_end(ap);
	int rc = case_move(s, id, mv, &f, 0, err);
	fields_free(&f);
	return rc;
}

/* A move that must succeed. */
#define must fixture_move

/* A new case moved along the main path to `state`. */
static int64_t case_in(struct fixture *fx, enum xf_state state)
{
	int64_t id = fixture_case(fx, NULL);
	if (state >= XF_ST_TRANSFERRED)
		must(&fx->head, id, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	if (state >= XF_ST_REPORTED)
		must(&fx->clerk, id, XF_MV_OUTCOME, "findings=经核实情况属实", NULL);
	if (state >= XF_ST_REPLIED)
		must(&fx->clerk, id, XF_MV_REPLY, "method=口头", NULL);
	if (state >= XF_ST_CLOSED)
		must(&fx->clerk, id, XF_MV_CLOSE, NULL);
	return id;
}

/* The valid input of a move as fields, with a fresh link target. */
static void input_for(struct fixture *fx, enum xf_move mv, struct xf_fields *f)
{
	fields_init(f);
	for (int i = 0; valid_input[mv][i]; i++) {
		const char *eq = strchr(valid_input[mv][i], '=');
		char *key = xstrndup(valid_input[mv][i], (size_t)(eq - valid_input[mv][i]));
		fields_set(f, key, eq + 1);
		free(key);
	}
	if (mv == XF_MV_LINK) {
		int64_t other = fixture_case(fx, NULL);
		struct xf_fields row;
		assert_int_equal(store_get(fx->st, "cases", other, &row, NULL), XF_OK);
		fields_set(f, "to", fields_str(&row, "number"));
		fields_free(&row);
	}
}

/* Every move from every state: allowed ones succeed with one audit event, the rest are refused
 * and change nothing. */
static void every_move_in_every_state(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int allowed = 0, refused = 0;
	for (int s = 0; s < XF_ST_COUNT; s++) {
		for (int m = 0; m < XF_MV_COUNT; m++) {
			const struct xf_move_def *def = &xf_moves[m];
			int64_t id = case_in(&fx, (enum xf_state)s);
			bool ok = (def->from & XF_IN(s)) != 0;
			if (m == XF_MV_DECIDE && ok)
				must(&fx.clerk, id, XF_MV_EXTEND, "until=2026-12-31", "reason=需要更多时间", NULL);
			struct xf_fields f;
			input_for(&fx, (enum xf_move)m, &f);
			struct xf_fields before;
			assert_int_equal(store_get(fx.st, "cases", id, &before, NULL), XF_OK);
			long audits = fixture_audit_count(&fx, id);
			struct xf_err err;
			int rc = case_move(&fx.admin, id, (enum xf_move)m, &f, 0, &err);
			fields_free(&f);
			char buf[32];
			if (ok) {
				if (rc != XF_OK)
					fail_msg("%s from %s: %s", def->key, case_state_key((enum xf_state)s), err.msg);
				assert_int_equal(fixture_audit_count(&fx, id), audits + 1);
				const char *want = def->to >= 0 ? case_state_key((enum xf_state)def->to)
				                                : case_state_key((enum xf_state)s);
				assert_string_equal(fixture_state(&fx, id, buf), want);
				allowed++;
			} else {
				if (rc != XF_ESTATE)
					fail_msg("%s from %s: want refusal, got %d (%s)", def->key,
					         case_state_key((enum xf_state)s), rc, err.msg);
				assert_non_null(strstr(err.msg, def->label));
				assert_int_equal(fixture_audit_count(&fx, id), audits);
				struct xf_fields after;
				assert_int_equal(store_get(fx.st, "cases", id, &after, NULL), XF_OK);
				assert_string_equal(fields_str(&after, "version"), fields_str(&before, "version"));
				assert_string_equal(fields_str(&after, "state"), fields_str(&before, "state"));
				fields_free(&after);
				refused++;
			}
			fields_free(&before);
		}
	}
	assert_true(allowed > 20);
	assert_true(refused > 20);
	fixture_close(&fx);
}

/* Roles are checked in the core: each role may do exactly its moves. */
static void roles(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_session *who[] = {&fx.clerk, &fx.head, &fx.handler};
	enum xf_role roles_of[] = {XF_ROLE_OPERATOR, XF_ROLE_HEAD, XF_ROLE_HANDLER};
	for (int m = 0; m < XF_MV_COUNT; m++) {
		const struct xf_move_def *def = &xf_moves[m];
		enum xf_state start = XF_ST_QUEUED;
		while (!(def->from & XF_IN(start)))
			start++;
		for (int r = 0; r < 3; r++) {
			int64_t id = case_in(&fx, start);
			if (m == XF_MV_DECIDE)
				must(&fx.clerk, id, XF_MV_EXTEND, "until=2026-12-31", "reason=需要更多时间", NULL);
			struct xf_fields f;
			input_for(&fx, (enum xf_move)m, &f);
			struct xf_err err;
			int rc = case_move(who[r], id, (enum xf_move)m, &f, 0, &err);
			fields_free(&f);
			bool may = (def->roles & XF_MAY(roles_of[r])) != 0;
			/* A handler only reaches cases transferred to the handler's department. */
			if (roles_of[r] == XF_ROLE_HANDLER && start == XF_ST_QUEUED)
				may = false;
			if (may && rc != XF_OK)
				fail_msg("%s as %s: %s", def->key, auth_role_key(roles_of[r]), err.msg);
			if (!may) {
				if (rc != XF_EDENIED)
					fail_msg("%s as %s: want denial, got %d", def->key, auth_role_key(roles_of[r]), rc);
				assert_true(strlen(err.msg) > 0);
			}
		}
	}
	/* A handler cannot register, nor see other departments' cases. */
	struct xf_fields f;
	fields_from(&f, "channel=来访", "category=服务态度", "name=张伟", "summary=x", NULL);
	char number[32];
	struct xf_err err, warn;
	assert_int_equal(case_register(&fx.handler, &f, number, &warn, &err), XF_EDENIED);
	fields_free(&f);
	int64_t other = fixture_case(&fx, NULL);
	must(&fx.head, other, XF_MV_TRANSFER, "dept=公司金融部", NULL);
	struct xf_fields view;
	assert_int_equal(case_view(&fx.handler, other, &view, &err), XF_EDENIED);
	fixture_close(&fx);
}

/* Numbers run per year without gaps, and every written form of them is understood. */
static void numbering(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t a = fixture_case(&fx, NULL), b = fixture_case(&fx, NULL);
	int64_t c = fixture_case(&fx, "received=2025-12-30 16:20", NULL);
	struct xf_fields ra, rb, rc;
	store_get(fx.st, "cases", a, &ra, NULL);
	store_get(fx.st, "cases", b, &rb, NULL);
	store_get(fx.st, "cases", c, &rc, NULL);
	assert_string_equal(fields_str(&ra, "number"), "2026年第0001号");
	assert_string_equal(fields_str(&rb, "number"), "2026年第0002号");
	assert_string_equal(fields_str(&rc, "number"), "2025年第0001号");
	assert_string_equal(fields_str(&rc, "received_time"), "16:20");
	fields_free(&ra);
	fields_free(&rb);
	fields_free(&rc);
	int64_t id;
	struct xf_err err;
	const char *forms[] = {"2026年第0002号", "2026-0002", "2026-2", "2026年第2号"};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(case_find(&fx.clerk, forms[i], &id, &err), XF_OK);
		assert_int_equal(id, b);
	}
	assert_int_equal(case_find(&fx.clerk, "2026-0099", &id, &err), XF_ENOTFOUND);
	assert_non_null(strstr(err.msg, "2026-0099"));
	assert_int_equal(case_find(&fx.clerk, "26-1", &id, &err), XF_EINVAL);
	assert_int_equal(case_find(&fx.clerk, "2026-0", &id, &err), XF_EINVAL);
	fixture_close(&fx);
}

/* Registration refusals say what is wrong and store nothing. */
static void registration_checks(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	static const struct {
		const char *pairs[6];
		const char *says;
	} bad[] = {
		{{"category=服务态度", "name=张伟", "summary=x", NULL}, "来源渠道"},
		{{"channel=来访", "category=服务态度", "name=张伟", "summary=x", "id_number=110105194912310021", NULL}, "校验位"},
		{{"channel=来访", "category=服务态度", "summary=x", "anonymous=是", "name=张伟", NULL}, "匿名"},
		{{"channel=来访", "category=服务态度", "name=张伟", "summary=x", "received=2026-11-21", NULL}, "晚于今天"},
		{{"channel=来访", "category=服务态度", "name=张伟", "summary=x", "received=2026-02-30", NULL}, "不存在"},
		{{"channel=来访", "category=服务态度", "name=张伟", "summary=x", "phone=1234", NULL}, "联系电话"},
		{{"channel=来访", "category=服务态度", "name=张伟", "summary=x", "colour=red", NULL}, "colour"},
		{{"channel=飞鸽", "category=服务态度", "name=张伟", "summary=x", NULL}, "来信"},
		{{"channel=来访", "category=服务态度", "name=张伟", "summary=x", "gender=男", "id_number=11010519491231002X"}, "性别"},
		{{"channel=来访", "category=服务态度", "name=张\xff伟", "summary=x", NULL}, "无效字节"},
		{{"channel=来访", "category=服务态度", "name=张伟", "summary=x", "number=2026-0005", NULL}, "编号"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct xf_fields f;
		fields_init(&f);
		for (int j = 0; j < 6 && bad[i].pairs[j]; j++) {
			const char *eq = strchr(bad[i].pairs[j], '=');
			char *key = xstrndup(bad[i].pairs[j], (size_t)(eq - bad[i].pairs[j]));
			fields_set(&f, key, eq + 1);
			free(key);
		}
		char number[32];
		struct xf_err err, warn;
		assert_int_equal(case_register(&fx.clerk, &f, number, &warn, &err), XF_EINVAL);
		if (strstr(err.msg, bad[i].says) == NULL)
			fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, err.msg, bad[i].says);
		fields_free(&f);
	}
	struct xf_rows queued;
	assert_int_equal(case_list(&fx.clerk, "待批", NULL, NULL, XF_LIST_NEWEST, 10, &queued, NULL), XF_OK);
	assert_int_equal(queued.n, 0);
	rows_free(&queued);
	/* The first good one still gets number 1: refusals used no number. */
	int64_t id = fixture_case(&fx, "id_number=11010519491231002X", "name=𠮷祥", NULL);
	struct xf_fields view;
	struct xf_err err;
	assert_int_equal(case_view(&fx.clerk, id, &view, &err), XF_OK);
	assert_string_equal(fields_str(&view, "number"), "2026年第0001号");
	assert_string_equal(fields_str(&view, "name"), "𠮷祥");
	assert_string_equal(fields_str(&view, "gender"), "女");
	assert_string_equal(fields_str(&view, "age"), "76");
	assert_string_equal(fields_str(&view, "receiver"), "王丽");
	assert_string_equal(fields_str(&view, "state"), "待批");
	assert_string_equal(fields_str(&view, "importance"), "一般");
	assert_string_equal(fields_str(&view, "due_transfer"), "2026-11-23");
	assert_string_equal(fields_str(&view, "due_handle"), "2026-11-27");
	assert_string_equal(fields_str(&view, "due_reply"), "2026-12-21");
	fields_free(&view);
	fixture_close(&fx);
}

/* A department's to-do lists the nearest (or longest past) week limit first, so a short list
 * never leaves an overdue case beyond its end; other lists stay newest first. */
static void todo_by_week_limit(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	const char *received[] = {"received=2026-11-18", "received=2026-11-10", "received=2026-11-16"};
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		ids[i] = fixture_case(&fx, received[i], NULL);
		must(&fx.head, ids[i], XF_MV_TRANSFER, "dept=个人金融部", NULL);
	}
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(case_list(&fx.handler, "已转办", NULL, NULL, XF_LIST_DUE_HANDLE, 2, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 2);
	assert_string_equal(fields_str(&rows.v[0], "received"), "2026-11-10");
	assert_string_equal(fields_str(&rows.v[1], "received"), "2026-11-16");
	assert_true(strcmp(fields_str(&rows.v[0], "due_handle"), fields_str(&rows.v[1], "due_handle")) < 0);
	rows_free(&rows);
	assert_int_equal(case_list(&fx.handler, "已转办", NULL, NULL, XF_LIST_NEWEST, 2, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 2);
	assert_string_equal(fields_str(&rows.v[0], "received"), "2026-11-18");
	assert_string_equal(fields_str(&rows.v[1], "received"), "2026-11-16");
	rows_free(&rows);
	fixture_close(&fx);
}

/* An anonymous item has no petitioner's name: every list and search result says （匿名）
 * rather than leaving the column blank. */
static void anonymous_named_as_such(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	fixture_case(&fx, "anonymous=是", "summary=匿名来信反映柜台插队", NULL);
	fixture_case(&fx, "name=李明", "summary=来信反映柜台插队", NULL);
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(case_list(&fx.clerk, NULL, NULL, NULL, XF_LIST_NEWEST, 10, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 2);
	assert_string_equal(fields_str(&rows.v[0], "name"), "李明");
	assert_string_equal(fields_str(&rows.v[1], "name"), "（匿名）");
	rows_free(&rows);
	assert_int_equal(desk_queue(&fx.head, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 2);
	bool seen = false;
	for (size_t i = 0; i < rows.n; i++)
		seen |= strcmp(fields_str(&rows.v[i], "name"), "（匿名）") == 0;
	assert_true(seen);
	rows_free(&rows);
	struct xf_search q = {.words = "插队"};
	bool more;
	assert_int_equal(search_cases(&fx.clerk, &q, &rows, &more, &err), XF_OK);
	assert_int_equal(rows.n, 2);
	assert_string_equal(fields_str(&rows.v[1], "name"), "（匿名）");
	rows_free(&rows);
	fixture_close(&fx);
}

/* SPEC's importance rules, and answering on the spot. */
static void importance_and_spot(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	const char *imp[][2] = {{"amount=50000.01", NULL}, {"people=5", NULL}, {"channel=媒体", NULL},
	                        {"channel=上级转办", NULL}};
	for (size_t i = 0; i < 4; i++) {
		int64_t id = fixture_case(&fx, imp[i][0], NULL);
		struct xf_fields v;
		assert_int_equal(case_view(&fx.clerk, id, &v, NULL), XF_OK);
		assert_string_equal(fields_str(&v, "importance"), "重要");
		fields_free(&v);
	}
	int64_t plain = fixture_case(&fx, "amount=50000", NULL);
	struct xf_fields v;
	assert_int_equal(case_view(&fx.clerk, plain, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "importance"), "一般");
	fields_free(&v);
	must(&fx.head, plain, XF_MV_INSTRUCT, "leader=张行长", "text=请重视", NULL);
	assert_int_equal(case_view(&fx.clerk, plain, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "importance"), "重要");
	fields_free(&v);
	int64_t spot = fixture_case(&fx, "spot_answer=已当场解释收费依据", NULL);
	assert_int_equal(case_view(&fx.clerk, spot, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "state"), "已结案");
	assert_string_equal(fields_str(&v, "closure"), "当场答复");
	assert_string_equal(fields_str(&v, "closure.kind"), "当场答复");
	fields_free(&v);
	assert_int_equal(fixture_audit_count(&fx, spot), 2);
	fixture_close(&fx);
}

/* The petitioner's identity never reaches the unit complained about or a confidential case's handler. */
static void confidentiality(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t secret = fixture_case(&fx, "confidential=是", "name=李秘", "phone=13812345678", NULL);
	int64_t against = fixture_case(&fx, "subject=个人金融部客户经理", "name=王公开", "phone=13912345678", NULL);
	int64_t open = fixture_case(&fx, "name=赵可见", "phone=13712345678", NULL);
	int64_t ids[] = {secret, against, open};
	for (int i = 0; i < 3; i++)
		must(&fx.head, ids[i], XF_MV_TRANSFER, "dept=个人金融部", NULL);
	struct xf_fields v;
	struct xf_err err;
	assert_int_equal(case_view(&fx.handler, secret, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "name"), "（保密）");
	assert_string_equal(fields_str(&v, "phone"), "（保密）");
	assert_string_equal(fields_str(&v, "transfer.masked"), "1");
	fields_free(&v);
	assert_int_equal(case_view(&fx.handler, against, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "name"), "（保密）");
	assert_string_equal(fields_str(&v, "transfer.masked"), "1");
	fields_free(&v);
	assert_int_equal(case_view(&fx.handler, open, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "name"), "赵可见");
	assert_string_equal(fields_str(&v, "transfer.masked"), "0");
	fields_free(&v);
	assert_int_equal(case_view(&fx.head, secret, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "name"), "李秘");
	fields_free(&v);
	/* The history would show the identity too: handlers do not get it. */
	struct xf_rows rows;
	assert_int_equal(audit_case_history(&fx.handler, secret, &rows, &err), XF_EDENIED);
	assert_int_equal(audit_case_history(&fx.head, secret, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 2);
	assert_string_equal(fields_str(&rows.v[0], "action"), "register");
	assert_string_equal(fields_str(&rows.v[1], "action"), "transfer");
	assert_non_null(strstr(fields_str(&rows.v[1], "before"), "\"state\":\"queued\""));
	assert_non_null(strstr(fields_str(&rows.v[1], "after"), "\"state\":\"transferred\""));
	rows_free(&rows);
	fixture_close(&fx);
}

/* A person named in the complaint cannot handle it. */
static void recusal(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, "subject=个人金融部赵敏", NULL);
	struct xf_err err;
	assert_int_equal(move_as(&fx.head, id, XF_MV_TRANSFER, &err, "dept=个人金融部", "handler=赵敏", NULL), XF_EDENIED);
	assert_non_null(strstr(err.msg, "回避"));
	must(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", "handler=孙志明", NULL);
	/* The handler account 赵敏 may not write the outcome either. */
	assert_int_equal(move_as(&fx.handler, id, XF_MV_OUTCOME, &err, "findings=无问题", NULL), XF_EDENIED);
	assert_non_null(strstr(err.msg, "回避"));
	must(&fx.clerk, id, XF_MV_OUTCOME, "findings=经核实情况属实", "handler=孙志明", NULL);
	fixture_close(&fx);
}

/* Row versions stop lost updates between desks. */
static void conflicts(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, NULL);
	struct xf_fields row;
	store_get(fx.st, "cases", id, &row, NULL);
	int64_t version = atoll(fields_str(&row, "version"));
	fields_free(&row);
	must(&fx.head, id, XF_MV_INSTRUCT, "leader=张行长", "text=请重视", NULL);
	struct xf_fields f;
	fields_from(&f, "dept=个人金融部", NULL);
	struct xf_err err;
	assert_int_equal(case_move(&fx.head, id, XF_MV_TRANSFER, &f, version, &err), XF_ECONFLICT);
	assert_non_null(strstr(err.msg, "其他人"));
	char buf[32];
	assert_string_equal(fixture_state(&fx, id, buf), "queued");
	assert_int_equal(case_move(&fx.head, id, XF_MV_TRANSFER, &f, version + 1, &err), XF_OK);
	fields_free(&f);
	fixture_close(&fx);
}

/* Extensions: asked before the limit, approved by the head, the original kept. */
static void extensions(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = case_in(&fx, XF_ST_TRANSFERRED);
	struct xf_err err;
	assert_int_equal(move_as(&fx.clerk, id, XF_MV_EXTEND, &err, "until=2026-11-26", "reason=x", NULL), XF_EINVAL);
	assert_non_null(strstr(err.msg, "2026-11-27"));
	must(&fx.clerk, id, XF_MV_EXTEND, "until=2026-12-04", "reason=需调取外地凭证", NULL);
	struct xf_fields v;
	assert_int_equal(case_view(&fx.clerk, id, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_handle"), "2026-11-27");
	assert_string_equal(fields_str(&v, "extension.decision"), "pending");
	fields_free(&v);
	assert_int_equal(move_as(&fx.clerk, id, XF_MV_EXTEND, &err, "until=2026-12-05", "reason=y", NULL), XF_ESTATE);
	assert_int_equal(move_as(&fx.clerk, id, XF_MV_DECIDE, &err, "decision=同意", NULL), XF_EDENIED);
	must(&fx.head, id, XF_MV_DECIDE, "decision=同意", NULL);
	assert_int_equal(case_view(&fx.clerk, id, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_handle"), "2026-12-04");
	assert_string_equal(fields_str(&v, "orig_due_handle"), "2026-11-27");
	assert_string_equal(fields_str(&v, "extension.decision"), "approved");
	fields_free(&v);
	assert_int_equal(move_as(&fx.head, id, XF_MV_DECIDE, &err, "decision=同意", NULL), XF_ESTATE);
	/* Too late: the limit has run out. */
	int64_t late = case_in(&fx, XF_ST_TRANSFERRED);
	clock_set_today_iso("2026-11-30", NULL);
	assert_int_equal(move_as(&fx.head, late, XF_MV_EXTEND, &err, "until=2026-12-10", "reason=x", NULL), XF_ESTATE);
	assert_non_null(strstr(err.msg, "期限届满前"));
	/* The head's own request takes effect at once. */
	must(&fx.head, late, XF_MV_EXTEND, "until=2026-12-31", "reason=复杂", "limit=reply", NULL);
	assert_int_equal(case_view(&fx.clerk, late, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_reply"), "2026-12-31");
	assert_string_equal(fields_str(&v, "orig_due_reply"), "2026-12-21");
	fields_free(&v);
	/* The screens send the limit by its Chinese name. */
	int64_t named = case_in(&fx, XF_ST_TRANSFERRED);
	must(&fx.head, named, XF_MV_EXTEND, "until=2027-01-08", "reason=复杂", "limit=月限", NULL);
	assert_int_equal(case_view(&fx.clerk, named, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_reply"), "2027-01-08");
	assert_string_equal(fields_str(&v, "extension.limit_kind"), "reply");
	fields_free(&v);
	fixture_close(&fx);
}

/* Counts for one date. */
static struct xf_status_counts counts_on(struct fixture *fx, const char *today)
{
	clock_set_today_iso(today, NULL);
	struct xf_status_counts c;
	struct xf_err err;
	assert_int_equal(case_status_counts(&fx->clerk, &c, &err), XF_OK);
	return c;
}

/* The status bar follows the date and the moves. */
static void status_bar_moves_with_the_date(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, NULL); /* transfer 11-23, handle 11-27, reply 12-21 */
	struct xf_status_counts c = counts_on(&fx, "2026-11-20");
	assert_int_equal(c.pending_transfer, 1);
	assert_int_equal(c.nearing[XF_LIMIT_HANDLE] + c.overdue[XF_LIMIT_HANDLE], 0);
	/* Nearing starts exactly the window (2 days) before the due date, overdue the day after. */
	c = counts_on(&fx, "2026-11-24");
	assert_int_equal(c.nearing[XF_LIMIT_HANDLE], 0);
	c = counts_on(&fx, "2026-11-25");
	assert_int_equal(c.nearing[XF_LIMIT_HANDLE], 1);
	assert_int_equal(c.overdue[XF_LIMIT_TRANSFER], 1);
	char text[256];
	case_status_text(&c, text, sizeof text);
	assert_string_equal(text, "周限 临近1 超期0 │ 月限 临近0 超期0 │ 待批转 1 超期1");
	c = counts_on(&fx, "2026-11-27");
	assert_int_equal(c.nearing[XF_LIMIT_HANDLE], 1);
	assert_int_equal(c.overdue[XF_LIMIT_HANDLE], 0);
	c = counts_on(&fx, "2026-11-28");
	assert_int_equal(c.nearing[XF_LIMIT_HANDLE], 0);
	assert_int_equal(c.overdue[XF_LIMIT_HANDLE], 1);
	must(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	c = counts_on(&fx, "2026-11-28");
	assert_int_equal(c.pending_transfer, 0);
	assert_int_equal(c.overdue[XF_LIMIT_HANDLE], 1);
	struct xf_rows due;
	struct xf_err err;
	assert_int_equal(case_due_list(&fx.clerk, &due, &err), XF_OK);
	assert_int_equal(due.n, 1);
	assert_string_equal(fields_str(&due.v[0], "limit"), "周限");
	assert_string_equal(fields_str(&due.v[0], "days_left"), "-1");
	rows_free(&due);
	must(&fx.clerk, id, XF_MV_OUTCOME, "findings=经核实", NULL);
	c = counts_on(&fx, "2026-12-17");
	assert_int_equal(c.overdue[XF_LIMIT_HANDLE], 0);
	assert_int_equal(c.nearing[XF_LIMIT_REPLY], 1);
	c = counts_on(&fx, "2026-12-22");
	assert_int_equal(c.overdue[XF_LIMIT_REPLY], 1);
	must(&fx.clerk, id, XF_MV_REPLY, "method=书面", NULL);
	c = counts_on(&fx, "2026-12-22");
	assert_int_equal(c.overdue[XF_LIMIT_REPLY] + c.nearing[XF_LIMIT_REPLY], 0);
	fixture_close(&fx);
}

/* A case's view value. */
static void assert_view(struct xf_session *s, int64_t id, const char *key, const char *want)
{
	struct xf_fields v;
	assert_int_equal(case_view(s, id, &v, NULL), XF_OK);
	if (strcmp(fields_str(&v, key), want) != 0)
		fail_msg("%s: want “%s”, got “%s”", key, want, fields_str(&v, key));
	fields_free(&v);
}

/* The row of a due list for a case number and limit, or NULL. */
static const struct xf_fields *due_row(const struct xf_rows *due, const char *number, const char *limit)
{
	for (size_t i = 0; i < due->n; i++)
		if (strcmp(fields_str(&due->v[i], "number"), number) == 0 &&
		    strcmp(fields_str(&due->v[i], "limit"), limit) == 0)
			return &due->v[i];
	return NULL;
}

/* The head's 办理期限 is the one 周限: prefilled with the rules' limit, refused outside the
 * transfer date and that limit, audited, and then what show, the limits list, the status bar,
 * the slip and the statistics go by. */
static void transfer_deadline_is_the_week_limit(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, NULL); /* handle limit 2026-11-27 */
	struct xf_fields row;
	assert_int_equal(store_get(fx.st, "cases", id, &row, NULL), XF_OK);
	char number[32];
	snprintf(number, sizeof number, "%s", fields_str(&row, "number"));
	fields_free(&row);
	char earliest[11], latest[11];
	struct xf_err err;
	assert_int_equal(case_transfer_deadline(&fx.head, id, earliest, latest, &err), XF_OK);
	assert_string_equal(earliest, "2026-11-20");
	assert_string_equal(latest, "2026-11-27");
	/* After the limit, and before the transfer: refused with the reason and the dates allowed. */
	assert_int_equal(move_as(&fx.head, id, XF_MV_TRANSFER, &err, "dept=个人金融部", "deadline=2026-12-31", NULL),
	                 XF_EINVAL);
	assert_non_null(strstr(err.msg, "办理期限“2026-12-31”晚于周限 2026-11-27"));
	assert_non_null(strstr(err.msg, "2026-11-20 至 2026-11-27"));
	assert_int_equal(move_as(&fx.head, id, XF_MV_TRANSFER, &err, "dept=个人金融部", "deadline=2026-11-19", NULL),
	                 XF_EINVAL);
	assert_non_null(strstr(err.msg, "早于今天"));
	assert_int_equal(move_as(&fx.head, id, XF_MV_TRANSFER, &err, "dept=个人金融部", "deadline=2026-11-31", NULL),
	                 XF_EINVAL);
	char buf[32];
	assert_string_equal(fixture_state(&fx, id, buf), "queued");
	assert_view(&fx.head, id, "due_handle", "2026-11-27");
	/* A shorter date is the case's 周限 from now on. */
	long audits = fixture_audit_count(&fx, id);
	must(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", "deadline=2026-11-24", NULL);
	assert_int_equal(fixture_audit_count(&fx, id), audits + 1);
	struct xf_rows hist;
	assert_int_equal(audit_case_history(&fx.head, id, &hist, &err), XF_OK);
	const char *after = fields_str(&hist.v[hist.n - 1], "after");
	assert_non_null(strstr(after, "\"due_handle\":\"2026-11-24\""));
	assert_non_null(strstr(fields_str(&hist.v[hist.n - 1], "before"), "\"due_handle\":\"2026-11-27\""));
	rows_free(&hist);
	assert_view(&fx.head, id, "due_handle", "2026-11-24");        /* show */
	assert_view(&fx.head, id, "transfer.deadline", "2026-11-24");
	assert_view(&fx.head, id, "orig_due_handle", "2026-11-27"); /* the rules' limit kept */
	assert_view(&fx.head, id, "limit_handle", "2026-11-24（还剩 4 天）");
	struct xf_fields slip;
	assert_int_equal(print_slip_values(&fx.head, id, "transfer", &slip, &err), XF_OK);
	assert_string_equal(fields_str(&slip, "deadline"), "2026-11-24");
	fields_free(&slip);
	/* The status bar: nearing from 11-22, overdue from 11-25 (the statutory date would say neither). */
	struct xf_status_counts c = counts_on(&fx, "2026-11-22");
	assert_int_equal(c.nearing[XF_LIMIT_HANDLE], 1);
	c = counts_on(&fx, "2026-11-25");
	assert_int_equal(c.overdue[XF_LIMIT_HANDLE], 1);
	assert_int_equal(c.nearing[XF_LIMIT_HANDLE], 0);
	/* The limits list. */
	struct xf_rows due;
	assert_int_equal(case_due_list(&fx.clerk, &due, &err), XF_OK);
	const struct xf_fields *r = due_row(&due, number, "周限");
	assert_non_null(r);
	assert_string_equal(fields_str(r, "due"), "2026-11-24");
	assert_string_equal(fields_str(r, "days_left"), "-1");
	rows_free(&due);
	assert_view(&fx.head, id, "limit_handle", "2026-11-24（超期 1 天）");
	/* The statistics: overdue for its department now, and reported late. */
	struct xf_stats st;
	assert_int_equal(report_stats(&fx.head, "2026-11-01", "2026-11-30", &st, &err), XF_OK);
	assert_int_equal(st.overdue_department.n, 1);
	assert_string_equal(st.overdue_department.v[0].label, "个人金融部");
	report_free(&st);
	must(&fx.clerk, id, XF_MV_OUTCOME, "findings=经核实情况属实", NULL);
	assert_int_equal(report_stats(&fx.head, "2026-11-01", "2026-11-30", &st, &err), XF_OK);
	assert_int_equal(st.rates[XF_RATE_HANDLE].den, 1);
	assert_int_equal(st.rates[XF_RATE_HANDLE].num, 0);
	report_free(&st);
	fixture_close(&fx);
}

/* A deadline against an extension, a return and a limit already passed. */
static void transfer_deadline_bounds(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_err err;
	/* The queue's extension request is decided against the head's date. */
	int64_t id = fixture_case(&fx, NULL);
	must(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", "deadline=2026-11-24", NULL);
	must(&fx.clerk, id, XF_MV_EXTEND, "until=2026-12-04", "reason=需调取外地凭证", NULL);
	struct xf_rows q;
	assert_int_equal(desk_queue(&fx.head, &q, &err), XF_OK);
	assert_int_equal(q.n, 1);
	assert_string_equal(fields_str(&q.v[0], "ext_old_due"), "2026-11-24");
	assert_string_equal(fields_str(&q.v[0], "days_left"), "4");
	rows_free(&q);
	must(&fx.head, id, XF_MV_DECIDE, "decision=同意", NULL);
	assert_view(&fx.head, id, "due_handle", "2026-12-04");
	struct xf_fields slip;
	assert_int_equal(print_slip_values(&fx.head, id, "transfer", &slip, &err), XF_OK);
	assert_string_equal(fields_str(&slip, "deadline"), "2026-12-04"); /* the limit in force */
	fields_free(&slip);
	/* Returned: the rules' limit (here the approved extension) is back, and bounds the next transfer. */
	must(&fx.clerk, id, XF_MV_RETURN, "reason=不属本部门职责", NULL);
	assert_view(&fx.head, id, "due_handle", "2026-12-04");
	int64_t back = fixture_case(&fx, NULL);
	must(&fx.head, back, XF_MV_TRANSFER, "dept=个人金融部", "deadline=2026-11-21", NULL);
	must(&fx.clerk, back, XF_MV_RETURN, "reason=不属本部门职责", NULL);
	assert_view(&fx.head, back, "due_handle", "2026-11-27");
	char earliest[11], latest[11];
	assert_int_equal(case_transfer_deadline(&fx.head, id, earliest, latest, &err), XF_OK);
	assert_string_equal(latest, "2026-12-04");
	assert_int_equal(move_as(&fx.head, id, XF_MV_TRANSFER, &err, "dept=个人金融部", "deadline=2026-12-05", NULL),
	                 XF_EINVAL);
	assert_non_null(strstr(err.msg, "已批准的延期"));
	must(&fx.head, id, XF_MV_TRANSFER, "dept=公司金融部", "deadline=2026-12-04", NULL);
	/* Transferred after the limit: the limit itself and no other date (no silent extension). */
	int64_t late = fixture_case(&fx, NULL);
	clock_set_today_iso("2026-11-30", NULL);
	assert_int_equal(case_transfer_deadline(&fx.head, late, earliest, latest, &err), XF_OK);
	assert_string_equal(earliest, "2026-11-27");
	assert_string_equal(latest, "2026-11-27");
	assert_int_equal(move_as(&fx.head, late, XF_MV_TRANSFER, &err, "dept=个人金融部", "deadline=2026-12-07", NULL),
	                 XF_EINVAL);
	assert_non_null(strstr(err.msg, "周限已于 2026-11-27"));
	must(&fx.head, late, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	assert_view(&fx.head, late, "due_handle", "2026-11-27");
	assert_view(&fx.head, late, "transfer.deadline", "2026-11-27");
	assert_view(&fx.head, late, "limit_handle", "2026-11-27（超期 3 天）");
	fixture_close(&fx);
}

/* Closed cases, however they closed, run no limit: show and the case file say 已办结 (or when a
 * step was done), the status bar and the limits list leave them out; an open case beside them
 * still counts, so the test can tell. */
static void closed_cases_run_no_limits(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t open = fixture_case(&fx, NULL);
	int64_t closed[7];
	closed[0] = fixture_case(&fx, "spot_answer=已当场解释", NULL);
	closed[1] = fixture_case(&fx, NULL);
	must(&fx.clerk, closed[1], XF_MV_SPOT, "answer=已当场解释有关规定", NULL);
	closed[2] = fixture_case(&fx, NULL);
	must(&fx.head, closed[2], XF_MV_REJECT, "reason=不属于本行受理范围", "advice=请向人民法院起诉", NULL);
	closed[3] = fixture_case(&fx, NULL);
	must(&fx.clerk, closed[3], XF_MV_WITHDRAW, "reason=已协商解决", "voluntary=是", NULL);
	closed[4] = case_in(&fx, XF_ST_TRANSFERRED);
	must(&fx.clerk, closed[4], XF_MV_WITHDRAW, "reason=已协商解决", "voluntary=否", NULL);
	closed[5] = case_in(&fx, XF_ST_REPORTED);
	must(&fx.clerk, closed[5], XF_MV_WITHDRAW, "reason=已协商解决", "voluntary=是", NULL);
	closed[6] = case_in(&fx, XF_ST_CLOSED);
	clock_set_today_iso("2027-02-01", NULL); /* past every limit */
	for (int i = 0; i < 7; i++) {
		struct xf_fields v;
		assert_int_equal(case_view(&fx.head, closed[i], &v, NULL), XF_OK);
		static const char *const keys[] = {"limit_transfer", "limit_handle", "limit_reply"};
		for (int k = 0; k < 3; k++) {
			const char *t = fields_str(&v, keys[k]);
			if (strstr(t, "超期") || strstr(t, "还剩") || *t == '\0')
				fail_msg("closed case %d, %s: “%s”", i, keys[k], t);
		}
		if (i < 4)
			assert_string_equal(fields_str(&v, "limit_handle"), "已办结");
		fields_free(&v);
	}
	assert_view(&fx.head, closed[4], "limit_transfer", "2026-11-23（已于 2026-11-20 完成）");
	assert_view(&fx.head, closed[4], "limit_handle", "已办结");
	assert_view(&fx.head, closed[5], "limit_handle", "2026-11-27（已于 2026-11-20 完成）");
	assert_view(&fx.head, closed[5], "limit_reply", "已办结");
	assert_view(&fx.head, open, "limit_handle", "2026-11-27（超期 66 天）");
	struct xf_status_counts c = counts_on(&fx, "2027-02-01");
	assert_int_equal(c.overdue[XF_LIMIT_TRANSFER], 1);
	assert_int_equal(c.overdue[XF_LIMIT_HANDLE], 1);
	assert_int_equal(c.overdue[XF_LIMIT_REPLY], 1);
	assert_int_equal(c.pending_transfer, 1);
	struct xf_rows due;
	struct xf_err err;
	assert_int_equal(case_due_list(&fx.clerk, &due, &err), XF_OK);
	assert_int_equal(due.n, 3);
	struct xf_fields v;
	assert_int_equal(case_view(&fx.head, open, &v, NULL), XF_OK);
	for (size_t i = 0; i < due.n; i++)
		assert_string_equal(fields_str(&due.v[i], "number"), fields_str(&v, "number"));
	fields_free(&v);
	rows_free(&due);
	fixture_close(&fx);
}

/* The status bar's indexed counts and limits_case_limit agree on which cases run which limit,
 * in every state (the counts per due date kept later must follow the same rule). */
static void status_counts_follow_the_limit_rule(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	for (int s = 0; s < XF_ST_COUNT; s++)
		case_in(&fx, (enum xf_state)s);
	int64_t back = case_in(&fx, XF_ST_TRANSFERRED);
	must(&fx.clerk, back, XF_MV_RETURN, "reason=不属本部门职责", NULL);
	fixture_case(&fx, "spot_answer=已当场解释", NULL);
	struct xf_status_counts c = counts_on(&fx, "2027-02-01");
	struct xf_rows rows;
	assert_int_equal(store_list(fx.st, "cases", NULL, NULL, &rows, NULL), XF_OK);
	long running[XF_LIMIT_COUNT] = {0};
	for (size_t i = 0; i < rows.n; i++)
		for (int k = 0; k < XF_LIMIT_COUNT; k++)
			running[k] += limits_case_limit(&rows.v[i], (enum xf_limit_kind)k, NULL, NULL) == XF_LS_RUNNING;
	rows_free(&rows);
	assert_int_equal(running[XF_LIMIT_TRANSFER], 2); /* queued, and the returned one */
	for (int k = 0; k < XF_LIMIT_COUNT; k++)
		assert_int_equal(c.overdue[k], running[k]);
	fixture_close(&fx);
}

/* Registered past the calendar: estimated, then fixed when the year is loaded. */
static void calendar_import_recomputes(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-12-28");
	struct xf_fields f;
	fields_from(&f, "channel=来访", "category=服务态度", "name=张伟", "summary=x", NULL);
	char number[32];
	struct xf_err err, warn;
	assert_int_equal(case_register(&fx.clerk, &f, number, &warn, &err), XF_OK);
	fields_free(&f);
	assert_non_null(strstr(warn.msg, "2027"));
	int64_t id;
	assert_int_equal(case_find(&fx.clerk, number, &id, &err), XF_OK);
	struct xf_fields v;
	assert_int_equal(case_view(&fx.clerk, id, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_estimated"), "是");
	assert_string_equal(fields_str(&v, "due_handle"), "2027-01-04");
	fields_free(&v);
	char path[320];
	snprintf(path, sizeof path, "%s/2027.txt", fx.dir);
	FILE *out = fopen(path, "w");
	fputs("year 2027\n2027-01-01..2027-01-05 休 元旦（测试用）\n", out);
	fclose(out);
	int year, recomputed;
	assert_int_equal(setup_calendar_load(&fx.clerk, path, &year, &recomputed, &err), XF_EDENIED);
	assert_int_equal(setup_calendar_load(&fx.admin, path, &year, &recomputed, &err), XF_OK);
	assert_int_equal(year, 2027);
	assert_int_equal(recomputed, 1);
	assert_int_equal(case_view(&fx.clerk, id, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_estimated"), "否");
	assert_string_equal(fields_str(&v, "due_handle"), "2027-01-06");
	fields_free(&v);
	fixture_close(&fx);
}

/* Received 2026-12-28 under the category rule set: the 2027 estimate skips 元旦 (a statutory
 * holiday), stays flagged and announced, and the loaded notice recomputes it as today. */
static void estimate_past_the_notice(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-12-28");
	struct xf_err err, warn;
	assert_int_equal(setup_ruleset_use(&fx.admin, "category", &err), XF_OK);
	session_reload_reference(&fx.clerk);
	struct xf_fields f;
	fields_from(&f, "channel=来访", "category=违规操作", "name=张伟", "summary=x", NULL);
	char number[32];
	assert_int_equal(case_register(&fx.clerk, &f, number, &warn, &err), XF_OK);
	fields_free(&f);
	assert_non_null(strstr(warn.msg, "2027"));
	assert_non_null(strstr(warn.msg, "法定节日"));
	int64_t id;
	assert_int_equal(case_find(&fx.clerk, number, &id, &err), XF_OK);
	struct xf_fields v;
	assert_int_equal(case_view(&fx.clerk, id, &v, NULL), XF_OK);
	/* 10 working days: 29, 30, 31 December, then 4 to 8 and 11, 12 January; not 2027-01-11. */
	assert_string_equal(fields_str(&v, "due_reply"), "2027-01-12");
	assert_string_equal(fields_str(&v, "due_estimated"), "是");
	fields_free(&v);
	char path[320];
	snprintf(path, sizeof path, "%s/2027.txt", fx.dir);
	FILE *out = fopen(path, "w");
	fputs("year 2027\n2027-01-01..2027-01-04 休 元旦（测试用：含一天连休）\n", out);
	fclose(out);
	int year, recomputed;
	assert_int_equal(setup_calendar_load(&fx.admin, path, &year, &recomputed, &err), XF_OK);
	assert_int_equal(recomputed, 1);
	assert_int_equal(case_view(&fx.clerk, id, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_reply"), "2027-01-13");
	assert_string_equal(fields_str(&v, "due_estimated"), "否");
	fields_free(&v);
	fixture_close(&fx);
}

/* Registers and returns the refusal's code and message (fields as "key=value", NULL-ended). */
static int try_register(struct fixture *fx, struct xf_err *err, const char *first, ...)
{
	struct xf_fields f;
	va_list ap;
	va_start(ap, first);
	fields_from_va(&f, first, ap);
	va_end(ap);
	fields_set(&f, "channel", "来访");
	fields_set(&f, "category", "服务态度");
	fields_set(&f, "summary", "x");
	if (!fields_get(&f, "name"))
		fields_set(&f, "name", "张伟");
	char number[32];
	struct xf_err warn;
	int rc = case_register(&fx->clerk, &f, number, &warn, err);
	fields_free(&f);
	return rc;
}

/* A field of a case's view, copied into buf. */
static const char *view_value(struct fixture *fx, int64_t id, const char *key, char buf[128])
{
	struct xf_fields v;
	assert_int_equal(case_view(&fx->clerk, id, &v, NULL), XF_OK);
	snprintf(buf, 128, "%s", fields_str(&v, key));
	fields_free(&v);
	return buf;
}

/* Age on the day received, not the day of entry; a birth after the receipt is refused. */
static void ages_on_receipt(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-06-15");
	char buf[128];
	/* Born 2000-01-01, received 2025-06-01, entered 2026-06-15: 25, not 26. */
	int64_t id = fixture_case(&fx, "id_number=110105200001010016", "received=2025-06-01", NULL);
	assert_string_equal(view_value(&fx, id, "age", buf), "25");
	assert_string_equal(view_value(&fx, id, "gender", buf), "男");
	assert_string_equal(view_value(&fx, id, "id_type", buf), "居民身份证");
	struct xf_err err;
	assert_int_equal(try_register(&fx, &err, "id_number=110105200001010016", "received=2025-06-01", "age=27", NULL),
	                 XF_EINVAL);
	assert_non_null(strstr(err.msg, "25 岁"));
	/* Born 2025-06-01, received 2025-05-01: refused, not age 0. */
	assert_int_equal(try_register(&fx, &err, "id_number=110105202506010010", "received=2025-05-01", NULL), XF_EINVAL);
	assert_non_null(strstr(err.msg, "晚于收件日期"));
	id = fixture_case(&fx, "id_number=110105202506010010", "received=2025-06-01", NULL);
	assert_string_equal(view_value(&fx, id, "age", buf), "0");
	/* A correction of the number counts the age on the case's own receipt date too. */
	struct xf_fields f;
	fields_from(&f, "id_number=110105200001010016", "gender=", "age=", NULL);
	assert_int_equal(case_edit(&fx.clerk, id, &f, 0, &err), XF_OK);
	fields_free(&f);
	assert_string_equal(view_value(&fx, id, "age", buf), "25");
	fixture_close(&fx);
}

/* Every kind of document can be registered as what it is, is checked as what it is, and finds
 * the earlier cases of the same holder however its number was written. */
static void identity_documents(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	static const char *const docs[][3] = {
		{"港澳居民来往内地通行证", "h12345678", "H12345678"},
		{"台湾居民来往大陆通行证", "12345678", "12345678"},
		{"港澳台居民居住证", "810000199001010027", "810000199001010027"},
		{"外国人永久居留身份证", "93115619800101001X", "93115619800101001X"},
		{"外国人永久居留身份证", "USA110085010101", "USA110085010101"},
		{"护照", "E 1234 5678", "E12345678"},
		{"统一社会信用代码", "91350100M000100Y43", "91350100M000100Y43"},
		{"其他", "军官证 南字第12345号", "军官证南字第12345号"},
		{"居民身份证", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"},
	};
	char buf[128];
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		char type[128], number[128];
		snprintf(type, sizeof type, "id_type=%s", docs[i][0]);
		snprintf(number, sizeof number, "id_number=%s", docs[i][1]);
		int64_t id = fixture_case(&fx, type, number, NULL);
		assert_string_equal(view_value(&fx, id, "id_type", buf), docs[i][0]);
		assert_string_equal(view_value(&fx, id, "id_number", buf), docs[i][2]);
		/* A second visit, the number written differently, warns of the first. */
		struct xf_fields probe;
		fields_from(&probe, number, NULL);
		char *lower = xstrdup(docs[i][1]);
		for (char *c = lower; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		fields_set(&probe, "id_number", lower);
		free(lower);
		struct xf_rows rows;
		struct xf_err err;
		assert_int_equal(case_repeat_matches(&fx.clerk, &probe, 0, &rows, &err), XF_OK);
		bool found = false;
		for (size_t r = 0; r < rows.n; r++)
			found = found || atoll(fields_str(&rows.v[r], "id")) == id;
		if (!found)
			fail_msg("%s %s: earlier case not found", docs[i][0], docs[i][1]);
		assert_string_equal(fields_str(&rows.v[0], "match"), "证件号码");
		rows_free(&rows);
		fields_free(&probe);
	}
	/* The passport holder born in Hong Kong keeps gender and age as typed: a passport tells none. */
	int64_t id = fixture_case(&fx, "id_type=passport", "id_number=K01234567", "gender=女", "age=33", NULL);
	assert_string_equal(view_value(&fx, id, "age", buf), "33");
	/* Each document has its own check. */
	struct xf_err err;
	assert_int_equal(try_register(&fx, &err, "id_type=统一社会信用代码", "id_number=91350100M000100Y44", NULL), XF_EINVAL);
	assert_non_null(strstr(err.msg, "校验位"));
	assert_int_equal(try_register(&fx, &err, "id_type=港澳居民来往内地通行证", "id_number=A1234567", NULL), XF_EINVAL);
	assert_int_equal(try_register(&fx, &err, "id_type=驾驶证", "id_number=123", NULL), XF_EINVAL);
	assert_non_null(strstr(err.msg, "护照"));
	/* Without a type the number is a resident ID number; the message says how to choose another. */
	assert_int_equal(try_register(&fx, &err, "id_number=E12345678", NULL), XF_EINVAL);
	assert_non_null(strstr(err.msg, "id_type"));
	assert_int_equal(try_register(&fx, &err, "id_number=999999198001010011", NULL), XF_EINVAL);
	assert_non_null(strstr(err.msg, "行政区划"));
	/* Correcting the type alone checks the stored number as the new type. */
	id = fixture_case(&fx, "id_type=护照", "id_number=12345678", NULL);
	struct xf_fields f;
	fields_from(&f, "id_type=台湾居民来往大陆通行证", NULL);
	assert_int_equal(case_edit(&fx.clerk, id, &f, 0, &err), XF_OK);
	fields_free(&f);
	assert_string_equal(view_value(&fx, id, "id_type", buf), "台湾居民来往大陆通行证");
	fields_from(&f, "id_type=统一社会信用代码", NULL);
	assert_int_equal(case_edit(&fx.clerk, id, &f, 0, &err), XF_EINVAL);
	fields_free(&f);
	fixture_close(&fx);
}

/* repeat_of is registration's: a correction naming it is refused and records nothing (it had
 * recorded an empty 更正 and linked nothing). */
static void edit_repeat_of_refused(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	int64_t first = fixture_case(&fx, NULL);
	int64_t id = fixture_case(&fx, NULL);
	long before = fixture_audit_count(&fx, id);
	struct xf_fields f;
	struct xf_err err;
	char *to = xasprintf("repeat_of=2026-%04lld", (long long)first);
	fields_from(&f, to, NULL);
	free(to);
	assert_int_equal(case_edit(&fx.clerk, id, &f, 0, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "link"));
	fields_free(&f);
	assert_int_equal(fixture_audit_count(&fx, id), before);
	fixture_close(&fx);
}

/* A phone in every usual written form is stored once, in one form, and found by each form. */
static void phones_stored_once(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	static const char *const groups[][8] = {
		{"13812345678", "+86 138 1234 5678", "0086 13812345678", "138 1234 5678", "138-1234-5678",
		 "１３８１２３４５６７８", "+8613812345678", NULL},
		{"010-12345678", "(010)12345678", "010 12345678", "01012345678", "+86 10 12345678", "（010）1234 5678", NULL},
		{"400-819-5588", "4008195588", "400 819 5588", NULL},
		{"+852 91234567", "+852 9123 4567", "00852 91234567", "+852-9123-4567", NULL},
	};
	char buf[128];
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		/* Registered with each written form in turn: every case holds the one stored form. */
		int64_t ids[8];
		int n = 0;
		for (int k = 1; groups[g][k]; k++, n++) {
			char phone[128];
			snprintf(phone, sizeof phone, "phone=%s", groups[g][k]);
			ids[n] = fixture_case(&fx, phone, "name=李四", NULL);
			assert_string_equal(view_value(&fx, ids[n], "phone", buf), groups[g][0]);
		}
		/* Each written form finds all of them. */
		for (int k = 0; groups[g][k]; k++) {
			struct xf_fields probe;
			fields_from(&probe, NULL);
			fields_set(&probe, "phone", groups[g][k]);
			struct xf_rows rows;
			struct xf_err err;
			assert_int_equal(case_repeat_matches(&fx.clerk, &probe, 0, &rows, &err), XF_OK);
			int found = 0;
			for (size_t r = 0; r < rows.n; r++)
				for (int i = 0; i < n; i++)
					found += atoll(fields_str(&rows.v[r], "id")) == ids[i];
			if (found != n)
				fail_msg("%s found %d of %d", groups[g][k], found, n);
			rows_free(&rows);
			fields_free(&probe);
			/* 查找 (search) by the same written form finds them too. */
			struct xf_search q = {.words = groups[g][k], .per_page = 50};
			bool more;
			assert_int_equal(search_cases(&fx.clerk, &q, &rows, &more, &err), XF_OK);
			found = 0;
			for (size_t r = 0; r < rows.n; r++)
				for (int i = 0; i < n; i++)
					found += atoll(fields_str(&rows.v[r], "id")) == ids[i];
			if (found != n)
				fail_msg("search %s found %d of %d", groups[g][k], found, n);
			rows_free(&rows);
		}
	}
	struct xf_err err;
	assert_int_equal(try_register(&fx, &err, "phone=010-1234567", NULL), XF_EINVAL);
	assert_non_null(strstr(err.msg, "8 位"));
	assert_int_equal(try_register(&fx, &err, "phone=000-1234567", NULL), XF_EINVAL);
	fixture_close(&fx);
}

/* Corrections keep the old values; repeat petitions are found. */
static void corrections_and_repeats(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t first = fixture_case(&fx, "id_number=440524198001010013", "phone=13812345678", NULL);
	struct xf_fields f;
	fields_from(&f, "phone=13900001111", "address=人民路1号", NULL);
	struct xf_err err;
	assert_int_equal(case_edit(&fx.clerk, first, &f, 0, &err), XF_OK);
	fields_free(&f);
	struct xf_rows rows;
	assert_int_equal(audit_case_history(&fx.clerk, first, &rows, &err), XF_OK);
	assert_string_equal(fields_str(&rows.v[rows.n - 1], "action"), "edit");
	assert_non_null(strstr(fields_str(&rows.v[rows.n - 1], "before"), "13812345678"));
	assert_non_null(strstr(fields_str(&rows.v[rows.n - 1], "after"), "13900001111"));
	rows_free(&rows);
	fields_from(&f, "name=李四", "id_number=440524198001010013", NULL);
	assert_int_equal(case_repeat_matches(&fx.clerk, &f, 0, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	assert_string_equal(fields_str(&rows.v[0], "match"), "证件号码");
	rows_free(&rows);
	fields_set(&f, "channel", "来电");
	fields_set(&f, "category", "工作失误");
	fields_set(&f, "summary", "再次反映");
	fields_set(&f, "repeat_of", "2026-0001");
	char number[32];
	struct xf_err warn;
	assert_int_equal(case_register(&fx.clerk, &f, number, &warn, &err), XF_OK);
	fields_free(&f);
	int64_t second;
	assert_int_equal(case_find(&fx.clerk, number, &second, &err), XF_OK);
	struct xf_fields v;
	assert_int_equal(case_view(&fx.clerk, second, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "links"), "2026年第0001号");
	fields_free(&v);
	must(&fx.clerk, second, XF_MV_WITHDRAW, "reason=已解决", "voluntary=否", NULL);
	fields_from(&f, "phone=13900002222", NULL);
	assert_int_equal(case_edit(&fx.clerk, second, &f, 0, &err), XF_ESTATE);
	fields_free(&f);
	fixture_close(&fx);
}

/* Drafts, the queue and the choice lists the screens use. */
static void desk_helpers(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_fields f, back;
	char at[20];
	bool found;
	struct xf_err err;
	assert_int_equal(desk_draft_load(&fx.clerk, "registration", &back, at, &found, &err), XF_OK);
	assert_false(found);
	fields_from(&f, "name=𠮷祥", "summary=第一行\n第二行 \"引号\"", NULL);
	assert_int_equal(desk_draft_save(&fx.clerk, "registration", &f, &err), XF_OK);
	fields_set(&f, "phone", "138");
	assert_int_equal(desk_draft_save(&fx.clerk, "registration", &f, &err), XF_OK);
	assert_int_equal(desk_draft_load(&fx.clerk, "registration", &back, at, &found, &err), XF_OK);
	assert_true(found);
	assert_string_equal(fields_str(&back, "name"), "𠮷祥");
	assert_string_equal(fields_str(&back, "summary"), "第一行\n第二行 \"引号\"");
	assert_string_equal(fields_str(&back, "phone"), "138");
	assert_int_equal(strncmp(at, "2026-11-20", 10), 0);
	fields_free(&back);
	/* Drafts are per operator. */
	assert_int_equal(desk_draft_load(&fx.head, "registration", &back, at, &found, &err), XF_OK);
	assert_false(found);
	assert_int_equal(desk_draft_discard(&fx.clerk, "registration", &err), XF_OK);
	assert_int_equal(desk_draft_load(&fx.clerk, "registration", &back, at, &found, &err), XF_OK);
	assert_false(found);
	fields_free(&f);
	/* The queue: most urgent first, then extension requests. */
	int64_t later = fixture_case(&fx, "name=后收", NULL);
	clock_set_today_iso("2026-11-18", NULL);
	int64_t earlier = fixture_case(&fx, "name=先收", "received=2026-11-18", NULL);
	clock_set_today_iso("2026-11-20", NULL);
	int64_t asked = case_in(&fx, XF_ST_TRANSFERRED);
	must(&fx.clerk, asked, XF_MV_EXTEND, "until=2026-12-10", "reason=需调取凭证", NULL);
	struct xf_rows q;
	assert_int_equal(desk_queue(&fx.head, &q, &err), XF_OK);
	assert_int_equal(q.n, 3);
	assert_int_equal(atoll(fields_str(&q.v[0], "id")), earlier);
	assert_string_equal(fields_str(&q.v[0], "days_left"), "0");
	assert_int_equal(atoll(fields_str(&q.v[1], "id")), later);
	assert_int_equal(atoll(fields_str(&q.v[2], "id")), asked);
	assert_string_equal(fields_str(&q.v[2], "extension"), "2026-12-10");
	rows_free(&q);
	assert_int_equal(desk_queue(&fx.handler, &q, &err), XF_EDENIED);
	/* Choice lists. */
	assert_int_equal(desk_choices(&fx.clerk, "channels", &f, &err), XF_OK);
	assert_int_equal(f.n, 8);
	assert_string_equal(f.v[0].key, "来信");
	fields_free(&f);
	assert_int_equal(desk_choices(&fx.clerk, "satisfaction", &f, &err), XF_OK);
	assert_int_equal(f.n, 4);
	fields_free(&f);
	assert_int_equal(desk_choices(&fx.clerk, "nosuch", &f, &err), XF_EINVAL);
	fixture_close(&fx);
}

/* Wrong passwords are recorded; after five the account is locked, the right password too. */
static void login_failures(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_session s;
	struct xf_err err;
	for (int i = 1; i <= 4; i++) {
		assert_int_equal(auth_login(fx.st, "clerk", "wrong", &s, &err), XF_EAUTH);
		assert_null(strstr(err.msg, "分钟"));
	}
	assert_int_equal(auth_login(fx.st, "clerk", "wrong", &s, &err), XF_EAUTH);
	assert_non_null(strstr(err.msg, "锁定 1 分钟"));
	/* Even the right password waits now. */
	assert_int_equal(auth_login(fx.st, "clerk", "secret1", &s, &err), XF_EAUTH);
	assert_non_null(strstr(err.msg, "已锁定"));
	struct xf_rows rows;
	assert_int_equal(store_list(fx.st, "audit", "action", "login_failed", &rows, &err), XF_OK);
	assert_int_equal(rows.n, 5);
	assert_string_equal(fields_str(&rows.v[4], "operator"), "clerk");
	rows_free(&rows);
	/* Unknown accounts say no more than wrong passwords do. */
	assert_int_equal(auth_login(fx.st, "nobody", "secret1", &s, &err), XF_EAUTH);
	assert_string_equal(err.msg, "用户名或密码不对，或账户已停用（再错 4 次将锁定）");
	/* Passwords are stored hashed with yescrypt. */
	assert_int_equal(store_list(fx.st, "operators", "name", "head", &rows, &err), XF_OK);
	assert_int_equal(strncmp(fields_str(&rows.v[0], "pwhash"), "$y$", 3), 0);
	assert_null(strstr(fields_str(&rows.v[0], "pwhash"), "secret1"));
	rows_free(&rows);
	fixture_close(&fx);
}

/* Switching the rule set changes the limits of new registrations, not of old ones. */
static void rule_sets(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t before = fixture_case(&fx, NULL);
	struct xf_err err;
	assert_int_equal(setup_ruleset_use(&fx.clerk, "category", &err), XF_EDENIED);
	assert_int_equal(setup_ruleset_use(&fx.admin, "nosuch", &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "petition2022"));
	assert_int_equal(setup_ruleset_use(&fx.admin, "category", &err), XF_OK);
	session_reload_reference(&fx.clerk);
	int64_t general = fixture_case(&fx, "category=服务态度", NULL);
	int64_t complex = fixture_case(&fx, "category=违规操作", NULL);
	int64_t other = fixture_case(&fx, "category=建议", NULL);
	struct xf_fields v;
	assert_int_equal(case_view(&fx.clerk, general, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_reply"), "2026-11-25"); /* 3 working days: 23, 24, 25 */
	assert_string_equal(fields_str(&v, "ruleset"), "category");
	fields_free(&v);
	assert_int_equal(case_view(&fx.clerk, complex, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_reply"), "2026-12-04"); /* 10 working days */
	fields_free(&v);
	assert_int_equal(case_view(&fx.clerk, other, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_reply"), "2026-12-21"); /* the set's general month */
	fields_free(&v);
	assert_int_equal(case_view(&fx.clerk, before, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_reply"), "2026-12-21");
	assert_string_equal(fields_str(&v, "ruleset"), "seed");
	fields_free(&v);
	assert_int_equal(setup_ruleset_use(&fx.admin, "petition2022", &err), XF_OK);
	session_reload_reference(&fx.clerk);
	int64_t later = fixture_case(&fx, NULL);
	assert_int_equal(case_view(&fx.clerk, later, &v, NULL), XF_OK);
	assert_string_equal(fields_str(&v, "due_handle"), "2027-01-19"); /* 60 days, past the calendar: estimated */
	assert_string_equal(fields_str(&v, "due_estimated"), "是");
	fields_free(&v);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_move_in_every_state),
		cmocka_unit_test(roles),
		cmocka_unit_test(numbering),
		cmocka_unit_test(registration_checks),
		cmocka_unit_test(importance_and_spot),
		cmocka_unit_test(todo_by_week_limit),
		cmocka_unit_test(anonymous_named_as_such),
		cmocka_unit_test(confidentiality),
		cmocka_unit_test(recusal),
		cmocka_unit_test(conflicts),
		cmocka_unit_test(extensions),
		cmocka_unit_test(status_bar_moves_with_the_date),
		cmocka_unit_test(transfer_deadline_is_the_week_limit),
		cmocka_unit_test(transfer_deadline_bounds),
		cmocka_unit_test(closed_cases_run_no_limits),
		cmocka_unit_test(status_counts_follow_the_limit_rule),
		cmocka_unit_test(calendar_import_recomputes),
		cmocka_unit_test(estimate_past_the_notice),
		cmocka_unit_test(ages_on_receipt),
		cmocka_unit_test(identity_documents),
		cmocka_unit_test(edit_repeat_of_refused),
		cmocka_unit_test(phones_stored_once),
		cmocka_unit_test(corrections_and_repeats),
		cmocka_unit_test(desk_helpers),
		cmocka_unit_test(login_failures),
		cmocka_unit_test(rule_sets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

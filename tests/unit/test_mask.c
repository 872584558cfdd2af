/* Confidentiality, recusal and terminal-safe text: what a handler sees on every path, who
 * must stand aside, and values that cannot drive a terminal. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/casefile.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"
#include "xinfang/mask.h"
#include "xinfang/print.h"
#include "xinfang/text.h"

/* A valid input for each move (link's target is another case). */
static const char *const move_input[XF_MV_COUNT][4] = {
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
	[XF_MV_LINK] = {"to=2026-0001", NULL},
};

/* Does a move with pairs from a NULL-terminated array; returns the core's status. */
static int move_with(struct xf_session *s, int64_t id, enum xf_move mv, const char *const *pairs, struct xf_err *err)
{
	struct xf_fields f;
	fields_init(&f);
	for (size_t i = 0; pairs[i]; i++) {
		const char *eq = strchr(pairs[i], '=');
		char *key = xstrndup(pairs[i], (size_t)(eq - pairs[i]));
		fields_set(&f, key, eq + 1);
		free(key);
	}
	int rc = case_move(s, id, mv, &f, 0, err);
	fields_free(&f);
	return rc;
}

/* A move that must succeed. */
static void must(struct xf_session *s, int64_t id, enum xf_move mv, const char *const *pairs)
{
	struct xf_err err;
	if (move_with(s, id, mv, pairs, &err) != XF_OK)
		fail_msg("%s: %s", xf_moves[mv].key, err.msg);
}

/* Each name (a NULL-terminated list) normalises to `want`. */
static void normalise_to(const char *const *names, const char *want)
{
	for (size_t i = 0; names[i]; i++) {
		char *n = mask_normalize(names[i]);
		if (strcmp(n, want) != 0)
			fail_msg("“%s” normalises to “%s”, not “%s”", names[i], n, want);
		free(n);
	}
}

/* Names compare after NFKC with every space removed. */
static void normalising(void **state)
{
	(void)state;
	normalise_to((const char *const[]){"赵敏", "赵 敏", "赵　敏", "赵\u00a0敏", "赵\u200b敏", " 赵\t敏 ", "赵\u2003敏",
	                                   NULL},
	             "赵敏");
	normalise_to((const char *const[]){"ＺＨＡＯ　Ｍｉｎ", NULL}, "zhaomin");
	normalise_to((const char *const[]){"𠮷 晓梅", NULL}, "𠮷晓梅");
	assert_true(mask_text_names("投诉柜员赵　敏态度恶劣", "赵敏"));
	assert_true(mask_text_names("投诉柜员赵敏态度恶劣", "赵 敏"));
	assert_false(mask_text_names("投诉柜员赵某态度恶劣", "赵敏"));
	assert_false(mask_text_names("赵", "赵")); /* one character names nobody */
}

/* Names read in one script: traditional characters fold to simplified (ICU's
 * Traditional-Simplified), normalising twice gives what normalising once gave, and characters
 * beyond the BMP are kept. */
static void traditional_names(void **state)
{
	(void)state;
	normalise_to((const char *const[]){"欧阳明月", "歐陽明月", "欧陽明月", "歐阳 明月", "歐\u3000陽明月", NULL}, "欧阳明月");
	normalise_to((const char *const[]){"𠮷祥雲", NULL}, "𠮷祥云");
	/* The transliterator sends 苎 to 苧 and 苧 back to 苎: one of them, whichever is written. */
	static const char *const circle[] = {"苎", "苧", "薴", "歐陽明月", "「趙敏」", "𠮷歐陽"};
	char *first = mask_normalize("苎麻");
	for (size_t i = 0; i < sizeof circle / sizeof circle[0]; i++) {
		char *once = mask_normalize(circle[i]), *twice = mask_normalize(once);
		assert_string_equal(once, twice);
		free(once);
		free(twice);
	}
	normalise_to((const char *const[]){"苧麻", "薴麻", NULL}, first);
	free(first);
	assert_true(mask_text_names("信访人歐陽明月来电反映", "欧阳明月"));
	assert_true(mask_text_names("信访人欧阳明月来电反映", "歐陽明月"));
	assert_true(mask_text_names("信访人欧陽明月来电反映", "欧阳明月"));
	assert_false(mask_text_names("信访人歐陽明日来电反映", "欧阳明月"));
}

/* A handler's view of a confidential case hides the name however the text writes it, the
 * exact characters replaced: none cut, none beside it lost, 𠮷 kept. */
static void traditional_masked_in_place(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t a = fixture_case(&fx, "confidential=是", "name=欧阳明月",
	                         "summary=𠮷祥路网点：歐陽明月（欧陽明月）来电，歐 陽明月要求道歉𠮷", NULL);
	int64_t b = fixture_case(&fx, "confidential=是", "name=𠮷祥云", "summary=信访人𠮷祥雲來電，𠮷祥云本人签字", NULL);
	must(&fx.head, a, XF_MV_TRANSFER, (const char *const[]){"dept=个人金融部", "opinion=请联系歐陽明月本人", NULL});
	must(&fx.head, b, XF_MV_TRANSFER, (const char *const[]){"dept=个人金融部", NULL});
	struct xf_fields v;
	struct xf_err err;
	assert_int_equal(case_view(&fx.handler, a, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "summary"), "𠮷祥路网点：（保密）（（保密））来电，（保密）要求道歉𠮷");
	assert_string_equal(fields_str(&v, "transfer.opinion"), "请联系（保密）本人");
	fields_free(&v);
	assert_int_equal(case_view(&fx.handler, b, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "summary"), "信访人（保密）來電，（保密）本人签字");
	fields_free(&v);
	/* The office reads the text as written. */
	assert_int_equal(case_view(&fx.head, a, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "summary"), "𠮷祥路网点：歐陽明月（欧陽明月）来电，歐 陽明月要求道歉𠮷");
	fields_free(&v);
	fixture_close(&fx);
}

/* Every name in names normalises to what the first does. */
static void normalise_alike(const char *const *names)
{
	char *want = mask_normalize(names[0]);
	normalise_to(names + 1, want);
	free(want);
}

/* Two characters that stay apart: they normalise differently. */
static void normalise_apart(const char *a, const char *b)
{
	char *na = mask_normalize(a), *nb = mask_normalize(b);
	if (strcmp(na, nb) == 0)
		fail_msg("“%s” and “%s” both normalise to “%s”", a, b, na);
	free(na);
	free(nb);
}

/* Unihan's variants fold too: 锺 (the surname's simplified form) with 钟 and 鍾, the
 * Japanese shinjitai 呉 and 暁 with 吴 and 晓, 峯 with 峰; characters mainland text keeps
 * apart (谭/谈, 钻/钳, 馈/柜, 他/她, 你/您, 艺/芸) stay apart, twice is once, 𠮷 is kept. */
static void variant_names(void **state)
{
	(void)state;
	normalise_alike((const char *const[]){"钟丽", "锺丽", "鍾麗", "鐘麗", "锺 丽", NULL});
	normalise_alike((const char *const[]){"吴国华", "呉国华", "吳國華", "呉國華", NULL});
	normalise_alike((const char *const[]){"黄晓明", "黄暁明", "黃曉明", "黄暁明", NULL});
	normalise_alike((const char *const[]){"李峰", "李峯", NULL});
	normalise_to((const char *const[]){"𠮷锺丽", NULL}, "𠮷钟丽");
	static const char *const apart[][2] = {{"谭", "谈"}, {"钻", "钳"}, {"馈", "柜"}, {"他", "她"},
	                                       {"你", "您"}, {"艺", "芸"}, {"檩", "标"}, {"钟", "种"}};
	for (size_t i = 0; i < sizeof apart / sizeof apart[0]; i++)
		normalise_apart(apart[i][0], apart[i][1]);
	static const char *const twice[] = {"锺丽", "呉国华", "黄暁明", "李峯", "𠮷鍾麗"};
	for (size_t i = 0; i < sizeof twice / sizeof twice[0]; i++) {
		char *once = mask_normalize(twice[i]), *again = mask_normalize(once);
		assert_string_equal(once, again);
		free(once);
		free(again);
	}
	assert_true(mask_text_names("信访人锺丽来电", "鍾麗"));
	assert_true(mask_text_names("信访人鍾麗来电", "锺丽"));
	assert_true(mask_text_names("信访人呉国华来电", "吴国华"));
	assert_true(mask_text_names("信访人黄暁明来电", "黄晓明"));
	assert_false(mask_text_names("谈明天的安排", "谭明"));
	assert_false(mask_text_names("钳石卡客户", "钻石"));
	assert_false(mask_text_names("她说柜员态度恶劣", "他说"));
	assert_false(mask_text_names("种丽的花", "钟丽"));
}

/* The reviewer's case: a confidential petitioner written 鍾麗 is hidden in the handler's view
 * however the text writes the name (钟丽, 锺丽, 鍾麗), and so are 呉国华 and 黄暁明; the
 * characters around them, unrelated look-alikes and 𠮷 are kept exactly. */
static void variant_masked_in_place(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t a = fixture_case(&fx, "confidential=是", "name=鍾麗", "summary=钟丽、锺丽、鍾麗；种丽路𠮷", NULL);
	int64_t b = fixture_case(&fx, "confidential=是", "name=吴国华",
	                         "summary=呉国华（吳國華）代黄暁明来电，吴国平陪同", NULL);
	int64_t c = fixture_case(&fx, "confidential=是", "name=黄晓明", "summary=黄暁明、黃曉明谈明天", NULL);
	must(&fx.head, a, XF_MV_TRANSFER, (const char *const[]){"dept=个人金融部", "opinion=请联系锺丽本人", NULL});
	must(&fx.head, b, XF_MV_TRANSFER, (const char *const[]){"dept=个人金融部", NULL});
	must(&fx.head, c, XF_MV_TRANSFER, (const char *const[]){"dept=个人金融部", NULL});
	struct xf_fields v;
	struct xf_err err;
	assert_int_equal(case_view(&fx.handler, a, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "summary"), "（保密）、（保密）、（保密）；种丽路𠮷");
	assert_string_equal(fields_str(&v, "transfer.opinion"), "请联系（保密）本人");
	fields_free(&v);
	assert_int_equal(case_view(&fx.handler, b, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "summary"), "（保密）（（保密））代黄暁明来电，吴国平陪同");
	fields_free(&v);
	assert_int_equal(case_view(&fx.handler, c, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "summary"), "（保密）、（保密）谈明天");
	fields_free(&v);
	fixture_close(&fx);
}

/* The handler named in the complaint, however it is written, can make no move at all. */
static void recused_every_move(void **state)
{
	(void)state;
	static const char *const ways[][2] = {
		{"subject", "个人金融部柜员赵 敏"},       {"subject", "个人金融部柜员赵　敏"},
		{"summary", "柜员赵敏办理业务时态度恶劣，要求道歉。"}, {"accused", "handler"},
		{"accused", "孙志明、赵\u3000敏"},   {"summary", "柜员趙敏办理业务时态度恶劣"},
		{"accused", "孫志明、趙 敏"},
	};
	for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
		struct fixture fx;
		fixture_open(&fx, "2026-11-20");
		char pair[256];
		snprintf(pair, sizeof pair, "%s=%s", ways[w][0], ways[w][1]);
		fixture_case(&fx, NULL); /* 2026-0001, the link target */
		int64_t id = fixture_case(&fx, pair, "name=钱明白", NULL);
		must(&fx.head, id, XF_MV_TRANSFER, (const char *const[]){"dept=个人金融部", NULL});
		for (int mv = 0; mv < XF_MV_COUNT; mv++) {
			struct xf_err err;
			int rc = move_with(&fx.handler, id, (enum xf_move)mv, move_input[mv], &err);
			if (rc != XF_EDENIED)
				fail_msg("%s by the recused handler (%s): %d %s", xf_moves[mv].key, pair, rc, err.msg);
			if (xf_moves[mv].roles & XF_MAY(XF_ROLE_HANDLER))
				assert_non_null(strstr(err.msg, "回避"));
		}
		enum xf_move open[XF_MV_COUNT];
		int nopen = -1;
		assert_int_equal(case_moves_open(&fx.handler, id, open, &nopen, NULL), XF_OK);
		assert_int_equal(nopen, 0);
		/* The head may not name the recused person as 承办人 either. */
		struct xf_err err;
		int64_t other = fixture_case(&fx, pair, NULL);
		assert_int_equal(move_with(&fx.head, other, XF_MV_TRANSFER,
		                           (const char *const[]){"dept=个人金融部", "handler=赵 敏", NULL}, &err),
		                 XF_EDENIED);
		assert_non_null(strstr(err.msg, "回避"));
		/* The office can still return it and carry on. */
		must(&fx.clerk, id, XF_MV_RETURN, move_input[XF_MV_RETURN]);
		fixture_close(&fx);
	}
}

/* A clerk named in the complaint stands aside too, correction of the record included. */
static void recused_office_staff(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, "accused=clerk", NULL);
	struct xf_err err;
	assert_int_equal(move_with(&fx.clerk, id, XF_MV_URGE, move_input[XF_MV_URGE], &err), XF_EDENIED);
	assert_non_null(strstr(err.msg, "回避"));
	assert_int_equal(move_with(&fx.clerk, id, XF_MV_SPOT, move_input[XF_MV_SPOT], &err), XF_EDENIED);
	struct xf_fields f;
	fields_from(&f, "accused=", NULL);
	assert_int_equal(case_edit(&fx.clerk, id, &f, 0, &err), XF_EDENIED);
	fields_free(&f);
	struct xf_fields v;
	assert_int_equal(case_view(&fx.clerk, id, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "accused"), "clerk");
	fields_free(&v);
	must(&fx.head, id, XF_MV_URGE, move_input[XF_MV_URGE]);
	fixture_close(&fx);
}

/* The petitioner of the confidential case, and where it must never show. */
static const char *const secrets[] = {"䶮", "11010519491231002X", "13812345678", "建国路", "东方公司",
                                      "1234-5678", "19491231"};

/* Fails when text holds any of the petitioner's identity. */
static void assert_no_secret(const char *what, const char *text)
{
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (strstr(text, secrets[i]) != NULL)
			fail_msg("%s shows %s:\n%s", what, secrets[i], text);
}

/* Handlers see no identity on a confidential case, one naming their department or them. */
static void handler_masked_everywhere(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t secret = fixture_case(&fx, "confidential=是", "name=刘䶮", "id_number=11010519491231002X",
	                              "phone=13812345678", "address=建国路88号", "work_unit=东方公司",
	                              "summary=本人刘 䶮（电话13812345678）在柜台办理业务被拒。", NULL);
	int64_t against = fixture_case(&fx, "subject=个 人 金 融 部", "name=王公开", NULL);
	int64_t named = fixture_case(&fx, "summary=反映个人金融部赵敏态度恶劣", "name=孙投诉", NULL);
	int64_t open = fixture_case(&fx, "name=钱明白", NULL);
	int64_t elsewhere = fixture_case(&fx, "name=周别处", NULL);
	struct xf_fields edit;
	struct xf_err err;
	fields_from(&edit, "summary=本人刘䶮（电话 138-1234-5678，证件 110105 19491231 002x）在柜台办理业务被拒，要求说明。",
	            NULL);
	assert_int_equal(case_edit(&fx.clerk, secret, &edit, 0, &err), XF_OK);
	fields_free(&edit);
	must(&fx.head, secret, XF_MV_TRANSFER,
	     (const char *const[]){"dept=个人金融部", "summary=客户刘 䶮反映柜台拒办业务", NULL});
	int64_t ids[] = {against, named, open};
	for (int i = 0; i < 3; i++)
		must(&fx.head, ids[i], XF_MV_TRANSFER, (const char *const[]){"dept=个人金融部", NULL});
	must(&fx.head, elsewhere, XF_MV_TRANSFER, (const char *const[]){"dept=公司金融部", NULL});

	/* show: identity, and the gender and age the ID number gives, withheld; the summary's
	 * mention of the petitioner too. */
	struct xf_fields v;
	assert_int_equal(case_view(&fx.handler, secret, &v, &err), XF_OK);
	static const char *const keys[] = {"name", "id_number", "phone", "address", "work_unit", "gender", "age"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_string_equal(fields_str(&v, keys[i]), XF_MASKED);
	assert_no_secret("summary", fields_str(&v, "summary"));
	assert_non_null(strstr(fields_str(&v, "summary"), "在柜台办理业务被拒"));
	fields_free(&v);
	assert_int_equal(case_view(&fx.clerk, secret, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "gender"), "女");
	assert_non_null(strstr(fields_str(&v, "summary"), "刘䶮"));
	fields_free(&v);
	int64_t masked_ids[] = {against, named};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(case_view(&fx.handler, masked_ids[i], &v, &err), XF_OK);
		assert_string_equal(fields_str(&v, "name"), XF_MASKED);
		fields_free(&v);
	}
	assert_int_equal(case_view(&fx.handler, open, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "name"), "钱明白");
	fields_free(&v);

	/* list */
	struct xf_rows rows;
	assert_int_equal(case_list(&fx.handler, NULL, NULL, NULL, XF_LIST_NEWEST, 100, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 4);
	for (size_t i = 0; i < rows.n; i++) {
		int64_t id = atoll(fields_str(&rows.v[i], "id"));
		assert_string_equal(fields_str(&rows.v[i], "name"), id == open ? "钱明白" : XF_MASKED);
		for (size_t k = 0; k < rows.v[i].n; k++)
			assert_no_secret("list", rows.v[i].v[k].val);
	}
	rows_free(&rows);

	/* print: the registration form a handler prints */
	assert_int_equal(print_slip_values(&fx.handler, secret, "registration", &v, &err), XF_OK);
	for (size_t k = 0; k < v.n; k++)
		assert_no_secret("registration slip", v.v[k].val);
	assert_string_equal(fields_str(&v, "gender"), XF_MASKED);
	fields_free(&v);

	/* history holds every value ever typed: handlers do not get it raw; the case file's
	 * records and history (the desk's case view) come masked */
	assert_int_equal(audit_case_history(&fx.handler, secret, &rows, &err), XF_EDENIED);
	for (int part = 0; part < 2; part++) {
		int rc = part ? casefile_history(&fx.handler, secret, &rows, &err)
		              : casefile_records(&fx.handler, secret, &rows, &err);
		assert_int_equal(rc, XF_OK);
		assert_true(rows.n > 0);
		for (size_t i = 0; i < rows.n; i++)
			for (size_t k = 0; k < rows.v[i].n; k++)
				assert_no_secret(part ? "case file history" : "case file records", rows.v[i].v[k].val);
		rows_free(&rows);
	}

	/* due and status: a month on, everything is overdue; the handler sees and counts their
	 * own department's cases only, masked. */
	clock_set_today_iso("2026-12-25", NULL);
	assert_int_equal(case_due_list(&fx.handler, &rows, &err), XF_OK);
	assert_true(rows.n > 0);
	for (size_t i = 0; i < rows.n; i++) {
		assert_string_equal(fields_str(&rows.v[i], "department"), "个人金融部");
		const char *name = fields_str(&rows.v[i], "name");
		assert_true(strcmp(name, "钱明白") == 0 || strcmp(name, XF_MASKED) == 0);
	}
	rows_free(&rows);
	struct xf_status_counts mine, office;
	assert_int_equal(case_status_counts(&fx.handler, &mine, &err), XF_OK);
	assert_int_equal(case_status_counts(&fx.head, &office, &err), XF_OK);
	assert_int_equal(mine.overdue[XF_LIMIT_HANDLE], 4);
	assert_int_equal(office.overdue[XF_LIMIT_HANDLE], 5);
	assert_int_equal(mine.pending_transfer, 0);

	/* The same through the command line, every command a handler can run. */
	char dbenv[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	const char *env[] = {dbenv, "XINFANG_USER=handler", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-12-25", NULL};
	const char *const commands[][8] = {
		{"show", "2026-0001", NULL},
		{"list", NULL},
		{"due", NULL},
		{"status", NULL},
		{"history", "2026-0001", NULL},
		{"find", "name=刘䶮", NULL},
		{"find", "id_number=11010519491231002X", NULL},
		{"print", "2026-0001", "registration", "--to", "-", "--encoding", "UTF-8", NULL},
		{"print", "2026-0001", "transfer", "--to", "-", "--encoding", "UTF-8", NULL},
	};
	struct run_result *r = malloc(sizeof *r);
	for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
		run_xinfang(r, env, commands[c]);
		assert_no_secret(commands[c][0], r->out);
		assert_no_secret(commands[c][0], r->err);
	}
	run_xinfang(r, env, (const char *[]){"show", "2026-0001", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "gender\t（保密）"));
	assert_non_null(strstr(r->out, "age\t（保密）"));
	run_xinfang(r, env, (const char *[]){"list", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "钱明白"));
	assert_null(strstr(r->out, "周别处"));
	run_xinfang(r, env, (const char *[]){"due", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "（保密）"));
	assert_null(strstr(r->out, "公司金融部"));
	free(r);
	fixture_close(&fx);
}

/* Fields refuse controls, C1 and direction overrides, naming the field. */
static void controls_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {"王\x1b[31m丽", "王\xc2\x9b丽", "王\xc2\x85丽", "王\xe2\x80\xae丽",
	                                  "王\xe2\x81\xa6丽", "王\xe2\x80\xaa丽", "王\x7f丽", "王\x07丽"};
	struct xf_err err;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(field_check_text(bad[i], "姓名", 40, true, &err), XF_EINVAL);
		assert_non_null(strstr(err.msg, "姓名"));
		assert_non_null(strstr(err.msg, "U+"));
	}
	assert_int_equal(field_check_text("第一行\n第二行\t完", "基本事实和请求", 0, true, &err), XF_OK);
	assert_int_equal(field_check_text("第一行\n第二行", "姓名", 0, false, &err), XF_EINVAL);

	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_fields f;
	fields_from(&f, "channel=来访", "category=服务态度", "summary=要求道歉", "name=王\xe2\x80\xae丽", NULL);
	char number[32];
	struct xf_err warn;
	assert_int_equal(case_register(&fx.clerk, &f, number, &warn, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "姓名"));
	assert_non_null(strstr(err.msg, "方向"));
	fields_free(&f);
	int64_t id = fixture_case(&fx, NULL);
	must(&fx.head, id, XF_MV_TRANSFER, (const char *const[]){"dept=个人金融部", NULL});
	assert_int_equal(move_with(&fx.handler, id, XF_MV_RETURN, (const char *const[]){"reason=不属\xc2\x9b本部门", NULL}, &err),
	                 XF_EINVAL);
	assert_non_null(strstr(err.msg, "退回理由"));
	fixture_close(&fx);
}

/* True when text holds a byte sequence that drives a terminal. */
static bool has_raw_control(const char *text)
{
	size_t len = strlen(text);
	for (size_t i = 0; i < len;) {
		uint32_t cp = utf8_next(text, len, &i);
		if (cp != '\n' && cp != '\t' && text_cp_unsafe(cp))
			return true;
	}
	return false;
}

/* Messages echo values escaped, cut between characters with …. */
static void messages_escaped_and_cut(void **state)
{
	(void)state;
	struct xf_err err;
	bool yes;
	assert_int_equal(field_parse_yesno("\x1b[2J\xe2\x80\xae是", "保密", &yes, &err), XF_EINVAL);
	assert_false(has_raw_control(err.msg));
	assert_non_null(strstr(err.msg, "\\u001b[2J\\u202e是"));
	/* 31 bytes cut at 30 would split the eleventh character. */
	assert_int_equal(field_check_phone("1号号号号号号号号号号号号号号号号号号号号", "联系电话", &err), XF_EINVAL);
	assert_true(utf8_valid(err.msg, strlen(err.msg), NULL));
	assert_non_null(strstr(err.msg, "…”"));
	assert_non_null(strstr(err.msg, "“1号号号号号号号号号号号号号号…”"));
	/* 𠮷 takes four bytes and two columns: never halved. */
	char out[XF_CLIP_SIZE];
	assert_string_equal(text_clip("𠮷𠮷𠮷", 4, out, sizeof out), "𠮷…");
	assert_string_equal(text_clip("𠮷𠮷", 4, out, sizeof out), "𠮷𠮷");
	assert_string_equal(text_clip("ab\ncd", 40, out, sizeof out), "ab\\u000acd");
	assert_string_equal(text_clip("\xff\xfe", 40, out, sizeof out), "\\xff\\xfe");
	/* A message longer than its buffer ends on a whole character. */
	char *longer = xmalloc(4000);
	longer[0] = '\0';
	for (int i = 0; i < 300; i++)
		strcat(longer, "𠮷");
	xf_err_set(&err, XF_EINVAL, "x%s", longer);
	free(longer);
	assert_true(utf8_valid(err.msg, strlen(err.msg), NULL));
	assert_non_null(strstr(err.msg, "…"));
}

/* Values stored before these checks (or behind the program's back) never reach a terminal
 * raw: show, list, find and history escape them, and the command line's refusals too. */
static void outputs_escaped(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, "name=赵可见", NULL);
	struct xf_fields raw;
	fields_from(&raw, "summary=\x1b]0;pwned\x07 \xc2\x9b \xe2\x80\xae", NULL);
	struct xf_err err;
	assert_int_equal(store_update(fx.st, "cases", id, &raw, 0, &err), XF_OK);
	fields_free(&raw);
	char dbenv[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	const char *env[] = {dbenv, "XINFANG_USER=clerk", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", NULL};
	const char *const commands[][8] = {
		{"show", "2026-0001", NULL}, {"list", NULL},        {"find", "name=赵可见", NULL},
		{"history", "2026-0001", NULL}, {"due", NULL},
		{"new", "channel=来访", "category=服务态度", "summary=x", "name=王\x1b[2J丽", NULL},
		{"new", "na\x1b[2Jme=x", NULL},
		{"show", "\x1b[2J2026-0001", NULL},
		{"urge", "2026-0001", "target=\xe2\x80\xae个人", "method=电话", NULL},
	};
	struct run_result *r = malloc(sizeof *r);
	for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
		run_xinfang(r, env, commands[c]);
		if (has_raw_control(r->out) || has_raw_control(r->err))
			fail_msg("%s echoed a control character:\n%s\n%s", commands[c][0], r->out, r->err);
	}
	run_xinfang(r, env, (const char *[]){"show", "2026-0001", NULL});
	assert_non_null(strstr(r->out, "summary\t\\u001b]0;pwned\\u0007 \\u009b \\u202e"));
	run_xinfang(r, env, (const char *[]){"new", "channel=来访", "category=服务态度", "summary=x", "name=王\x1b[2J丽", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "姓名"));
	free(r);
	fixture_close(&fx);
}

/* Entry point. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalising),
		cmocka_unit_test(traditional_names),
		cmocka_unit_test(traditional_masked_in_place),
		cmocka_unit_test(variant_names),
		cmocka_unit_test(variant_masked_in_place),
		cmocka_unit_test(recused_every_move),
		cmocka_unit_test(recused_office_staff),
		cmocka_unit_test(handler_masked_everywhere),
		cmocka_unit_test(controls_refused),
		cmocka_unit_test(messages_escaped_and_cut),
		cmocka_unit_test(outputs_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

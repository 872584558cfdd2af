/* Demo data: Chinese petitioners, realistic complaints, every state and limit situation. */
#include "xinfang/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"

/* A small deterministic generator (xorshift32). */
static unsigned next_rand(unsigned *state)
{
	unsigned x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* A number in [0, n). */
static int pick(unsigned *rng, int n)
{
	return (int)(next_rand(rng) % (unsigned)n);
}

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇",
                                    "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英",
                                    "建华", "玉兰", "志强", "海燕", "晓东", "国庆", "淑珍", "春梅"};
/* Rare names outside GBK: they must survive everywhere. */
static const char *const rare_names[] = {"𠮷晓梅", "刘䶮", "𠮷国强"};
static const char *const streets[] = {"解放路", "人民路", "建设大街", "中山路", "和平里", "朝阳街", "新华路", "滨江路"};
static const char *const areas[] = {"110105", "310104", "440305", "320102", "510107", "420106"};

/* One kind of complaint the office receives. */
struct demo_topic {
	const char *category;
	const char *subject;
	const char *text; /* 〔金额〕 stands for an amount */
};

static const struct demo_topic topics[] = {
	{"服务态度", "城东支行营业部", "本人在城东支行营业部办理存款业务时，柜员态度冷淡、答复敷衍，排队等候超过一小时。要求网点负责人当面道歉并改进服务。"},
	{"工作失误", "城南支行", "本人名下借记卡被误扣小额账户管理费〔金额〕元，网点称系统原因但未退还。要求退还费用并说明原因。"},
	{"内部管理", "客户服务部", "多次拨打客服热线均无人接听，留言后三天无人回电，反映客服管理混乱。要求尽快回复并改进。"},
	{"服务产品", "个人金融部客户经理", "去年购买的理财产品到期收益明显低于客户经理口头承诺，涉及本金〔金额〕元，认为存在误导销售。要求说明情况并赔偿收益损失。"},
	{"服务渠道", "运营管理部", "手机银行转账〔金额〕元显示成功，但收款方至今未到账，多次查询无果。要求尽快查明资金去向并退回。"},
	{"违规操作", "信贷管理部", "办理个人经营贷款时被要求购买保险才能放款，涉及金额〔金额〕元，认为属于搭售。要求退保并查处相关人员。"},
	{"服务渠道", "城北支行自助银行", "城北支行自助取款机吞卡后，网点称需七个工作日才能退卡，影响急用资金。要求当日退卡并改进吞卡处理流程。"},
	{"工作失误", "公司金融部", "企业基本账户被冻结，事前未收到任何书面通知，影响本月工资发放，涉及〔金额〕元。要求说明冻结依据并尽快解冻。"},
	{"金融犯罪", "西郊支行员工", "反映西郊支行某员工私下向客户推销非本行产品，承诺高息，涉及资金〔金额〕元，现已无法联系。请求调查处理。"},
	{"建议", "", "建议在各网点增设老年人专用窗口，提供大字版业务指引，方便老年客户办理业务。"},
	{"咨询", "", "咨询个人征信异议申请的办理流程、所需材料和办理时限。"},
	{"表扬", "", "表扬营业部大堂经理耐心帮助老人激活社保卡并讲解防诈骗知识，服务热情周到。"},
};

static const char *const channels[] = {"来访", "来电", "来信", "网络", "来电", "来访", "意见簿", "上级转办", "政府部门转办", "媒体"};

/* A valid resident ID number for a random adult. */
static void demo_id(unsigned *rng, int today, char out[19], bool *male)
{
	int y, m, d;
	date_to_ymd(today - 365 * (20 + pick(rng, 55)) - pick(rng, 365), &y, &m, &d);
	int seq = 1 + pick(rng, 998);
	*male = seq % 2 == 1;
	snprintf(out, 19, "%s%04d%02d%02d%03d", areas[pick(rng, COUNT(areas))], y, m, d, seq);
	out[17] = field_id_check_char(out);
	out[18] = '\0';
}

/* Sets the clock to a day but never after the real "today" of the demo. */
static void at_day(int day, int today)
{
	clock_set_today(day < today ? day : today);
}

/* Registration fields of one demo case. */
static void demo_case_fields(unsigned *rng, int i, int today, struct xf_fields *f, const struct demo_topic **topic)
{
	const struct demo_topic *t = &topics[pick(rng, COUNT(topics))];
	*topic = t;
	char buf[512], amount[32];
	snprintf(amount, sizeof amount, "%d", (1 + pick(rng, 40)) * (pick(rng, 4) == 0 ? 5000 : 300));
	fields_set(f, "channel", channels[pick(rng, COUNT(channels))]);
	fields_set(f, "category", t->category);
	const char *slot = strstr(t->text, "〔金额〕");
	if (slot != NULL) {
		snprintf(buf, sizeof buf, "%.*s%s%s", (int)(slot - t->text), t->text, amount, slot + strlen("〔金额〕"));
		fields_set(f, "amount", amount);
	} else {
		snprintf(buf, sizeof buf, "%s", t->text);
	}
	fields_set(f, "summary", buf);
	if (*t->subject)
		fields_set(f, "subject", t->subject);
	bool anonymous = pick(rng, 25) == 0;
	if (anonymous) {
		fields_set(f, "anonymous", "是");
		fields_set(f, "category", "匿名投诉");
		return;
	}
	if (i % 37 == 5)
		snprintf(buf, sizeof buf, "%s", rare_names[(i / 37) % COUNT(rare_names)]);
	else
		snprintf(buf, sizeof buf, "%s%s", surnames[pick(rng, COUNT(surnames))], given[pick(rng, COUNT(given))]);
	fields_set(f, "name", buf);
	char id[19];
	bool male;
	demo_id(rng, today, id, &male);
	if (pick(rng, 5) != 0)
		fields_set(f, "id_number", id);
	/* Mobiles of prefixes the numbering plan assigns (phone.c refuses the others). */
	static const char *const mobile_prefixes[] = {"138", "139", "150", "186", "177", "189", "199"};
	const char *prefix = mobile_prefixes[pick(rng, COUNT(mobile_prefixes))];
	snprintf(buf, sizeof buf, "%s%08d", prefix, pick(rng, 1000000000) % 100000000);
	fields_set(f, "phone", buf);
	snprintf(buf, sizeof buf, "%s%d号%d单元", streets[pick(rng, COUNT(streets))], 1 + pick(rng, 300), 1 + pick(rng, 6));
	fields_set(f, "address", buf);
	if (pick(rng, 12) == 0) {
		snprintf(buf, sizeof buf, "%d", 5 + pick(rng, 20));
		fields_set(f, "people", buf);
	}
	if (pick(rng, 10) == 0)
		fields_set(f, "confidential", "是");
	snprintf(buf, sizeof buf, "%d", pick(rng, 4));
	fields_set(f, "materials", buf);
}

/* Runs one move for the demo, as the given session, on the given day. */
static int demo_move(struct xf_session *s, int64_t id, enum xf_move mv, struct xf_fields *f, int day, int today,
                     struct xf_err *err)
{
	at_day(day, today);
	int rc = case_move(s, id, mv, f, 0, err);
	fields_free(f);
	fields_init(f);
	return rc;
}

/* Moves one registered case along as far as its age allows. */
static int demo_progress(struct xf_session *head, struct xf_session *clerk, unsigned *rng, int64_t id,
                         int received, int today, const struct demo_topic *t, struct xf_err *err)
{
	static const char *const depts[] = {"个人金融部", "公司金融部", "运营管理部", "客户服务部", "信贷管理部", "法律合规部"};
	struct xf_fields f;
	fields_init(&f);
	int day = received + pick(rng, 4);
	int rc = XF_OK;
	int fate = pick(rng, 100);
	if (day > today || (fate < 8 && today - received < 4))
		return XF_OK; /* still waiting in the queue */
	if (fate < 12) {
		fields_set(&f, "reason", "所反映事项已由人民法院受理，不属于本行信访受理范围");
		fields_set(&f, "advice", "请按诉讼程序主张权利");
		return demo_move(head, id, XF_MV_REJECT, &f, day, today, err);
	}
	if (fate < 15) {
		fields_set(&f, "reason", "信访人表示问题已与网点协商解决");
		fields_set(&f, "voluntary", "是");
		return demo_move(clerk, id, XF_MV_WITHDRAW, &f, day, today, err);
	}
	if (fate < 25) {
		fields_set(&f, "leader", "张行长");
		fields_set(&f, "text", "请相关部门高度重视，认真核查，按时答复信访人。");
		if ((rc = demo_move(head, id, XF_MV_INSTRUCT, &f, day, today, err)) != XF_OK)
			return rc;
	}
	const char *dept = strcmp(t->category, "金融犯罪") == 0 ? "监察室" : depts[pick(rng, COUNT(depts))];
	fields_set(&f, "dept", dept);
	fields_set(&f, "opinion", "请于期限内核实处理并书面报告结果。");
	if ((rc = demo_move(head, id, XF_MV_TRANSFER, &f, day, today, err)) != XF_OK)
		return rc;
	if (pick(rng, 12) == 0 && day + 1 <= today) {
		fields_set(&f, "reason", "所反映事项不属本部门职责，请另行批转");
		return demo_move(clerk, id, XF_MV_RETURN, &f, day + 1, today, err);
	}
	if (pick(rng, 8) == 0 && day + 2 <= today) {
		fields_set(&f, "target", dept);
		fields_set(&f, "method", "电话");
		if ((rc = demo_move(clerk, id, XF_MV_URGE, &f, day + 2, today, err)) != XF_OK)
			return rc;
	}
	int handled = day + 2 + pick(rng, 9);
	if (handled > today || pick(rng, 6) == 0)
		return XF_OK;
	static const char *const sat[] = {"满意", "满意", "基本满意", "不满意", "未表态"};
	fields_set(&f, "findings", "经调取业务凭证和监控录像核实，信访人反映情况基本属实。");
	fields_set(&f, "accountability", "对相关责任人进行批评教育，扣减当月绩效。");
	fields_set(&f, "rectification", "组织网点员工开展服务规范培训，完善业务流程。");
	fields_set(&f, "satisfaction", sat[pick(rng, COUNT(sat))]);
	fields_set(&f, "handler", "孙志明");
	fields_set(&f, "dept_head", "周卫东");
	fields_set(&f, "contact_phone", "010-66881234");
	if ((rc = demo_move(clerk, id, XF_MV_OUTCOME, &f, handled, today, err)) != XF_OK)
		return rc;
	int replied = handled + 1 + pick(rng, 5);
	if (replied > today || pick(rng, 5) == 0)
		return XF_OK;
	fields_set(&f, "method", pick(rng, 2) ? "口头" : "书面");
	fields_set(&f, "content", "已将核查结果和整改措施告知信访人。");
	if ((rc = demo_move(clerk, id, XF_MV_REPLY, &f, replied, today, err)) != XF_OK)
		return rc;
	int closed = replied + 1 + pick(rng, 6);
	if (closed > today)
		return XF_OK;
	return demo_move(clerk, id, XF_MV_CLOSE, &f, closed, today, err);
}

/* Orders ages oldest first. */
static int cmp_desc(const void *a, const void *b)
{
	return *(const int *)b - *(const int *)a;
}

/* Creates one demo account and logs it in. */
static int demo_account(struct xf_session *admin, const char *name, const char *role, const char *full,
                        const char *dept, const char *password, struct xf_session *out, struct xf_err *err)
{
	int rc = auth_user_add(admin, name, role, full, dept, password, err);
	if (rc == XF_OK)
		rc = auth_login(admin->st, name, password, out, err);
	return rc;
}

/* Fills the demo store. */
int demo_fill(struct xf_session *admin, const char *password, int count, unsigned seed, struct xf_err *err)
{
	struct xf_session clerk, head, handler;
	int rc = demo_account(admin, "clerk", "operator", "王丽", "", password, &clerk, err);
	if (rc == XF_OK)
		rc = demo_account(admin, "head", "head", "李建国", "", password, &head, err);
	if (rc == XF_OK)
		rc = demo_account(admin, "handler", "handler", "赵敏", "个人金融部", password, &handler, err);
	if (rc != XF_OK)
		return rc;
	session_close(&handler);
	int today = clock_today();
	unsigned rng = seed ? seed : 20261122u;
	/* Most cases are recent; a tail reaches back ten weeks. Numbers follow the dates. */
	int *ages = xcalloc((size_t)(count > 0 ? count : 1), sizeof *ages);
	for (int i = 0; i < count; i++)
		ages[i] = pick(&rng, 3) == 0 ? pick(&rng, 70) : pick(&rng, 21);
	qsort(ages, (size_t)count, sizeof *ages, cmp_desc);
	for (int i = 0; i < count && rc == XF_OK; i++) {
		int received = today - ages[i];
		struct xf_fields f;
		fields_init(&f);
		const struct demo_topic *topic;
		demo_case_fields(&rng, i, today, &f, &topic);
		if (pick(&rng, 12) == 0)
			fields_set(&f, "spot_answer", "已当场向信访人解释政策规定，信访人表示理解。");
		at_day(received, today);
		char number[32];
		struct xf_err warn;
		rc = case_register(&clerk, &f, number, &warn, err);
		bool spot = fields_has(&f, "spot_answer");
		fields_free(&f);
		int64_t id;
		if (rc == XF_OK)
			rc = case_find(&clerk, number, &id, err);
		if (rc == XF_OK && !spot)
			rc = demo_progress(&head, &clerk, &rng, id, received, today, topic, err);
	}
	free(ages);
	clock_set_today(today);
	session_close(&clerk);
	session_close(&head);
	return rc;
}

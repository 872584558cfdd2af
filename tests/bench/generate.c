/* The benchmark's data generator: N realistic cases, quickly, in large transactions. */
#include "generate.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/calendar.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"
#include "xinfang/limits.h"
#include "xinfang/store_chain.h"

/* xorshift32: the same data for the same seed. */
static unsigned rnd(unsigned *s)
{
	unsigned x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* A number in [0, n). */
static int pick(unsigned *s, int n)
{
	return (int)(rnd(s) % (unsigned)n);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
                                       "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
                                    "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华",
                                    "玉兰", "志强", "海燕", "晓东", "国庆", "淑珍", "春梅", "䶮", "𠮷"};
static const char *const channels[] = {"来访", "来电", "来信", "网络", "来电", "来访", "意见簿", "上级转办"};
static const char *const categories[] = {"服务态度", "工作失误", "内部管理", "服务产品", "服务渠道",
                                         "违规操作", "咨询", "建议", "表扬"};
static const char *const departments[] = {"个人金融部", "公司金融部", "运营管理部", "客户服务部", "信贷管理部",
                                          "法律合规部"};
static const char *const texts[] = {
	"本人在营业部办理存款业务时，柜员态度冷淡、答复敷衍，排队等候超过一小时。要求网点负责人当面道歉并改进服务。",
	"本人名下借记卡被误扣小额账户管理费，网点称系统原因但未退还。要求退还费用并说明原因。",
	"去年购买的理财产品到期收益明显低于客户经理口头承诺，认为存在误导销售。要求说明情况并赔偿收益损失。",
	"手机银行转账显示成功，但收款方至今未到账，多次查询无果。要求尽快查明资金去向并退回。",
	"自助取款机吞卡后，网点称需七个工作日才能退卡，影响急用资金。要求当日退卡并改进吞卡处理流程。",
	"企业基本账户被冻结，事前未收到任何书面通知，影响本月工资发放。要求说明冻结依据并尽快解冻。",
	"本人信用卡在境外被盗刷两笔，银行未及时提醒，挂失后仍不予赔付。要求银行承担损失。",
};

/* Inserts a row, failing loudly. */
static int put(struct xf_store *st, const char *table, const struct xf_fields *f, int64_t *id, struct xf_err *err)
{
	return store_insert(st, table, f, id, err);
}

/* An audit event for one generated step. */
static int audit(struct gen *g, const char *action, int64_t id, const char *at, struct xf_err *err)
{
	char json[128];
	snprintf(json, sizeof json, "{\"generated\":\"%s\",\"at\":\"%s\"}", action, at);
	return store_audit(g->s->st, g->s->op.name, action, id, "{}", json, err);
}

/* One generated case with its records, in the open transaction. */
static int one_case(struct gen *g, int received, int today, struct xf_err *err)
{
	unsigned *r = &g->seed;
	int age = today - received;
	/* Old cases are closed; recent ones are spread along the workflow. */
	int stage;
	if (age > 75 && g->open_per_million > 0 && pick(r, 1000000) < g->open_per_million)
		stage = pick(r, 3); /* the neglected backlog: queued, transferred or reported long ago */
	else if (age > 75)
		stage = pick(r, 100) < 99 ? 5 : 3;
	else if (age > 35)
		stage = 2 + pick(r, 4);
	else if (age > 10)
		stage = 1 + pick(r, 4);
	else
		stage = pick(r, 3);
	const char *category = categories[pick(r, 9)];
	char rec[11], due[3][11], iso[11], at[20], number[32], buf[64];
	date_format(received, rec);
	int d[3];
	for (int k = 0; k < 3; k++) {
		const struct xf_rule *rule = limits_rule_for(&g->s->rules, g->s->rules.active, (enum xf_limit_kind)k, category);
		bool est;
		if (limits_due_or_estimate(&g->s->cal, received, rule->unit, rule->length, &d[k], &est, NULL) != XF_OK)
			d[k] = received + 7;
		date_format(d[k], due[k]);
	}
	int year = date_year(received), seq;
	/* The case's branch: one of the given ones, its records chained as that branch's. */
	const struct xf_branch *branch = g->nbranches > 0 ? &g->branches[pick(r, g->nbranches)] : NULL;
	store_chain_set_branch(g->s->st, branch ? branch->id : g->s->op.branch);
	int rc = store_next_seq(g->s->st, branch ? branch->id : g->s->op.branch, year, &seq, err);
	if (rc != XF_OK)
		return rc;
	if (branch)
		case_format_branch_number(branch->code, year, seq, number);
	else
		case_format_number(year, seq, number);
	static const char *const states[] = {"queued", "transferred", "reported", "replied", "closed", "closed"};
	struct xf_fields c;
	fields_init(&c);
	snprintf(buf, sizeof buf, "%d", year);
	fields_set(&c, "year", buf);
	snprintf(buf, sizeof buf, "%d", seq);
	fields_set(&c, "seq", buf);
	fields_set(&c, "number", number);
	fields_set(&c, "state", states[stage]);
	fields_set(&c, "closure", stage >= 4 ? "办结" : "");
	fields_set(&c, "received", rec);
	fields_set(&c, "channel", channels[pick(r, 8)]);
	fields_set(&c, "category", category);
	fields_set(&c, "summary", texts[pick(r, (int)(sizeof texts / sizeof texts[0]))]);
	fields_set(&c, "subject", "营业部");
	fields_set(&c, "ruleset", g->s->rules.active);
	fields_set(&c, "due_transfer", due[0]);
	fields_set(&c, "due_handle", due[1]);
	fields_set(&c, "due_reply", due[2]);
	fields_set(&c, "orig_due_handle", due[1]);
	fields_set(&c, "orig_due_reply", due[2]);
	fields_set(&c, "receiver", "王丽");
	fields_set(&c, "first_asked", "王丽");
	int step_day[5] = {received + 1 + pick(r, 2), 0, 0, 0, 0};
	for (int k = 1; k < 5; k++)
		step_day[k] = step_day[k - 1] + 1 + pick(r, 6);
	for (int k = 0; k < 5; k++)
		if (step_day[k] > today)
			step_day[k] = today;
	if (stage >= 1) {
		date_format(step_day[0], iso);
		fields_set(&c, "transferred_on", iso);
		fields_set(&c, "department", departments[pick(r, 6)]);
	}
	if (stage >= 2) {
		date_format(step_day[1], iso);
		fields_set(&c, "reported_on", iso);
	}
	if (stage >= 3) {
		date_format(step_day[2], iso);
		fields_set(&c, "replied_on", iso);
	}
	if (stage >= 4) {
		date_format(step_day[3], iso);
		fields_set(&c, "closed_on", iso);
	}
	fields_set(&c, "created_by", g->s->op.name);
	if (branch && branch->id != XF_BRANCH_OWN) {
		snprintf(buf, sizeof buf, "%lld", (long long)branch->id);
		fields_set(&c, "branch", buf);
	}
	snprintf(at, sizeof at, "%s 09:%02d:00", rec, pick(r, 60));
	fields_set(&c, "created_at", at);
	int64_t id;
	rc = put(g->s->st, "cases", &c, &id, err);
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	struct xf_fields p;
	fields_init(&p);
	fields_set(&p, "case_id", cid);
	snprintf(buf, sizeof buf, "%s%s", surnames[pick(r, 24)], given[pick(r, 32)]);
	fields_set(&p, "name", buf);
	/* A petitioner in ten comes back: the same ID number and phone as an earlier one. */
	unsigned person = pick(r, 10) == 0 && g->people > 0 ? (unsigned)pick(r, (int)g->people) : g->people++;
	char idn[19];
	snprintf(idn, sizeof idn, "11010519%02u%02u%02u%03u", 50 + person % 50, 1 + person / 50 % 12, 1 + person / 600 % 28,
	         person / 16800 % 1000);
	idn[17] = field_id_check_char(idn);
	idn[18] = '\0';
	fields_set(&p, "id_number", idn);
	snprintf(buf, sizeof buf, "139%08u", person % 100000000u);
	fields_set(&p, "phone", buf);
	fields_set(&p, "address", "人民路100号");
	if (rc == XF_OK)
		rc = put(g->s->st, "petitioners", &p, NULL, err);
	if (rc == XF_OK)
		rc = audit(g, "register", id, at, err);
	static const char *const tables[] = {"transfers", "outcomes", "replies", "closures"};
	for (int k = 0; k < 4 && k < stage && rc == XF_OK; k++) {
		struct xf_fields f;
		fields_init(&f);
		date_format(step_day[k], iso);
		fields_set(&f, "case_id", cid);
		fields_set(&f, "at", at);
		fields_set(&f, "actor", g->s->op.name);
		if (k == 0) {
			fields_set(&f, "department", fields_str(&c, "department"));
			fields_set(&f, "deadline", due[1]);
			fields_set(&f, "transfer_date", iso);
		} else if (k == 1) {
			fields_set(&f, "findings", "经核实，信访人反映情况基本属实，已督促网点整改。");
			fields_set(&f, "satisfaction", pick(r, 5) ? "满意" : "基本满意");
			fields_set(&f, "handled_on", iso);
		} else if (k == 2) {
			fields_set(&f, "method", pick(r, 2) ? "口头" : "书面");
			fields_set(&f, "replied_on", iso);
		} else {
			fields_set(&f, "kind", "办结");
		}
		rc = put(g->s->st, tables[k], &f, NULL, err);
		if (rc == XF_OK)
			rc = audit(g, tables[k], id, at, err);
		fields_free(&f);
	}
	fields_free(&p);
	fields_free(&c);
	return rc;
}

/* Fills the store with n cases received over the last five years, in batches of 20,000 per
 * transaction. */
int gen_cases(struct gen *g, long n, struct xf_err *err)
{
	int rc = session_load_reference(g->s, err);
	if (rc != XF_OK)
		return rc;
	/* Each statement's end frees SQLite's savepoint memory at the top of the heap, and glibc
	 * would give it back to the system every time (a brk, a TLB flush on every core): keep it. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	int today = clock_today();
	/* An office's open work does not grow with its archive: the last 90 days hold at most
	 * 30 cases a day, whatever n is; the rest spread over the five years before. Received
	 * dates are then sorted, so numbers follow dates as at a real desk. */
	int *days = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *days);
	long recent = n / 3 < 90 * 30 ? n / 3 : 90 * 30;
	g->open_per_million = n > recent ? (long)(g->backlog * 1e6 / (double)(n - recent)) : 0;
	for (long i = 0; i < n; i++)
		days[i] = i < recent ? today - pick(&g->seed, 90) : today - 90 - pick(&g->seed, 5 * 365 - 90);
	int lo = today - 5 * 365;
	long *count = xcalloc(5 * 365 + 1, sizeof *count);
	for (long i = 0; i < n; i++)
		count[days[i] - lo]++;
	long k = 0;
	for (int d = 0; d <= 5 * 365; d++)
		for (long j = 0; j < count[d]; j++)
			days[k++] = lo + d;
	free(count);
	for (long i = 0; i < n && rc == XF_OK;) {
		rc = store_begin(g->s->st, err);
		long end = i + 20000 < n ? i + 20000 : n;
		for (; i < end && rc == XF_OK; i++)
			rc = one_case(g, days[i], today, err);
		if (rc == XF_OK)
			rc = store_commit(g->s->st, err);
		else
			store_rollback(g->s->st);
	}
	free(days);
	store_chain_set_branch(g->s->st, g->s->op.branch);
	return rc;
}

/* A branch's push to the head office: the branch's chain is the evidence. The branch file's
 * chain is walked whole; the head office keeps the branch's records verbatim (pushed_audit), so
 * its newest one must be the branch's record of the same id, hash for hash, or the branch's
 * history was rewritten since and the push is refused and recorded at the head office. The
 * records after it, with the rows they wrote, cross in batches of one transaction each. The
 * store's side (the SQL) is store_push.c. */
#include "xinfang/push.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/auth.h"
#include "xinfang/branch.h"
#include "xinfang/setup.h"
#include "xinfang/store.h"
#include "xinfang/store_chain.h"
#include "xinfang/store_push.h"

/* Records per batch (XINFANG_PUSH_BATCH may make it smaller, for tests of a cut push). */
static int64_t batch_size(void)
{
	const char *v = getenv("XINFANG_PUSH_BATCH");
	long long n = v && *v ? atoll(v) : 0;
	return n > 0 && n < 1000 ? n : 1000;
}

/* Appends an audit record at the head office about the branch, in a transaction of its own. */
static int tell_head_office(struct xf_store *hq, int64_t branch, const char *actor, const char *action,
                            const struct xf_fields *what, struct xf_err *err)
{
	store_chain_set_branch(hq, branch);
	int rc = store_begin(hq, err);
	if (rc != XF_OK)
		return rc;
	char *after = audit_json(what);
	rc = store_audit(hq, actor, action, 0, NULL, after, err);
	free(after);
	if (rc == XF_OK)
		rc = store_commit(hq, err);
	else
		store_rollback(hq);
	return rc;
}

/* Refuses the push: the head office is told (an audit record of the branch), then err says why. */
static int refuse(struct xf_store *hq, int64_t branch, const char *actor, const char *code, int64_t record,
                  struct xf_err *err, const char *fmt, const char *detail)
{
	struct xf_fields f;
	fields_init(&f);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)record);
	fields_set(&f, "branch", code);
	fields_set(&f, "record", id);
	fields_set(&f, "reason", detail);
	struct xf_err told;
	int rc = tell_head_office(hq, branch, actor, "push_refused", &f, &told);
	fields_free(&f);
	xf_err_set(err, XF_EINVAL, fmt, code, (long long)record, detail);
	if (rc != XF_OK) { /* the refusal stands; say too that the head office could not be told */
		char *both = xasprintf("%s（总行也没能记下这次拒绝：%s）", err->msg, told.msg);
		xf_err_set(err, XF_EINVAL, "%s", both);
		free(both);
	}
	return XF_EINVAL;
}

/* Checks the branch's chain against what the head office holds of it; XF_OK when they agree. */
static int check_chain(struct xf_store *src, struct xf_store *hq, int64_t branch, const char *actor, const char *code,
                       const struct xf_chain_walk *walk, const struct xf_chain_head *held, struct xf_err *err)
{
	static const char fmt[] = "拒绝推送：分行 %s 的操作日志与总行已有的不一致（第 %lld 条记录：%s）。总行已记下这次拒绝；"
	                          "请在分行运行 xinfang verify 查明原因，不要再推送";
	if (walk->fault != XF_CHAIN_OK) {
		const char *why = walk->fault == XF_CHAIN_GAP     ? "记录缺失，编号不连续"
		                  : walk->fault == XF_CHAIN_NOHASH ? "记录没有校验值"
		                                                   : "内容与校验值不符，被改过";
		return refuse(hq, branch, actor, code, walk->fault_id, err, fmt, why);
	}
	if (held->id == 0)
		return XF_OK;
	if (held->id > walk->head.id)
		return refuse(hq, branch, actor, code, held->id, err, fmt, "总行有这条记录，分行文件里却没有（文件被换成了较早的副本？）");
	char stored[65], computed[65];
	bool found;
	int rc = store_chain_record(src, held->id, stored, computed, &found, err);
	if (rc != XF_OK)
		return rc;
	if (!found || strcmp(stored, held->hash) != 0)
		return refuse(hq, branch, actor, code, held->id, err, fmt, "分行这条记录的校验值与总行收到的不同，记录链被重写过");
	return XF_OK;
}

/* The first row of the branch's file found to differ from the chain's replay. */
struct row_fault_seen {
	char key[128];
	int64_t audit_id;
	bool seen;
};

/* Keeps the first row fault and stops the comparison there. */
static bool first_row_fault(void *arg, const struct xf_row_fault *f)
{
	struct row_fault_seen *seen = arg;
	snprintf(seen->key, sizeof seen->key, "%s", f->key);
	seen->audit_id = f->audit_id;
	seen->seen = true;
	return false;
}

/* Refuses a file whose rows are not what its chain says (a row changed behind the program, e.g.
 * with sqlite3): the push carries rows as the file holds them, so such a row would reach the
 * head office under records that never wrote it. Nothing is written at the head office. */
static int check_rows(struct xf_store *src, const char *code, int64_t upto, struct xf_err *err)
{
	struct row_fault_seen seen = {{0}, 0, false};
	long rows = 0;
	int rc = store_chain_rows_check(src, upto, first_row_fault, &seen, &rows, err);
	if (rc != XF_OK || !seen.seen)
		return rc;
	if (seen.audit_id == 0)
		return xf_err_set(err, XF_EINVAL,
		                  "拒绝推送：分行 %s 的文件中 %s 这一行没有任何操作日志记录，不是经本程序写入的；总行什么也没有写入。"
		                  "请在分行运行 xinfang verify 查明原因",
		                  code, seen.key);
	return xf_err_set(err, XF_EINVAL,
	                  "拒绝推送：分行 %s 的文件中 %s 这一行与操作日志第 %lld 条记录不符，在本程序之外被改过；"
	                  "总行什么也没有写入。请在分行运行 xinfang verify 查明原因",
	                  code, seen.key, (long long)seen.audit_id);
}

/* Refuses a push that comes as another login than the one the head office named for the
 * branch (branch push-login): a file given another branch's code must not push in its place.
 * The head office is told, as of every refusal; nothing else is written. */
static int refuse_other_login(struct xf_store *hq, const struct xf_branch *at_hq, const char *actor,
                              struct xf_err *err)
{
	if (at_hq->push_login[0] == '\0') /* none named: no round trip to ask who this is */
		return XF_OK;
	char who[64];
	int rc = store_login_name(hq, who, sizeof who, err);
	if (rc != XF_OK || strcmp(who, at_hq->push_login) == 0)
		return rc;
	char *detail = xasprintf("以登录名 %s 推送，总行为分支机构 %s 指定的是 %s", who, at_hq->code, at_hq->push_login);
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "branch", at_hq->code);
	fields_set(&f, "record", "0");
	fields_set(&f, "reason", detail);
	struct xf_err told;
	rc = tell_head_office(hq, at_hq->id, actor, "push_refused", &f, &told);
	fields_free(&f);
	char *untold = rc == XF_OK ? xstrdup("") : xasprintf("（总行也没能记下这次拒绝：%s）", told.msg);
	xf_err_set(err, XF_EDENIED,
	           "拒绝推送：总行只接受分支机构 %s 用数据库登录名 %s 推送，这次是 %s；总行什么也没有写入，已记下这次拒绝。"
	           "请用总行给本机构的登录名（--to 的 user=），或请总行管理员核对（xinfang branch list）%s",
	           at_hq->code, at_hq->push_login, who, untold);
	free(untold);
	free(detail);
	return XF_EDENIED;
}

/* Refuses a first push into a branch the head office works itself (cases registered there, not
 * pushed): the push would make them read-only and its cases would take their numbers. Reads
 * nothing in the usual first push, whose branch has no case at the head office yet. */
static int refuse_worked_branch(struct xf_store *hq, const struct xf_branch *at_hq, struct xf_err *err)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)at_hq->id);
	struct xf_rows rows;
	int rc = store_list(hq, "cases", "branch", id, &rows, err);
	if (rc != XF_OK)
		return rc;
	size_t n = rows.n;
	rows_free(&rows);
	if (n == 0)
		return XF_OK;
	return xf_err_set(err, XF_EINVAL,
	                  "拒绝推送：总行的分支机构 %s（%s）有 %zu 件在总行直接登记办理的事项，不是由分行文件推送的，"
	                  "总行什么也没有写入。请核对本文件的机构代码（xinfang branch list）：一个分支机构或者在总行办理，"
	                  "或者用自己的文件推送，不能两样都有",
	                  at_hq->code, at_hq->name, n);
}

/* Pushes records held+1 .. head in batches, each one transaction at the head office. */
static int push_batches(struct xf_store *src, struct xf_store *hq, const struct xf_branch *at_hq, const char *actor,
                        struct xf_push_result *out, struct xf_err *err)
{
	int64_t size = batch_size();
	struct xf_push *p = store_push_open(src, hq, at_hq->id, out->held);
	bool flagged = at_hq->pushed;
	int rc = XF_OK;
	for (int64_t from = out->held + 1; rc == XF_OK && from <= out->head; from += size) {
		int64_t to = from + size - 1 < out->head ? from + size - 1 : out->head;
		store_chain_set_branch(hq, at_hq->id);
		if ((rc = store_begin(hq, err)) != XF_OK)
			break;
		long rows = 0;
		rc = store_push_batch(p, from, to, &rows, err);
		if (rc == XF_OK && !flagged) { /* read-only at the head office from the first batch on */
			struct xf_fields f;
			fields_init(&f);
			fields_set(&f, "pushed", "1");
			rc = store_update(hq, "branches", at_hq->id, &f, 0, err);
			fields_free(&f);
		}
		if (rc == XF_OK) {
			char a[24], b[24], n[24];
			snprintf(a, sizeof a, "%lld", (long long)from);
			snprintf(b, sizeof b, "%lld", (long long)to);
			snprintf(n, sizeof n, "%ld", rows);
			struct xf_fields f;
			fields_init(&f);
			fields_set(&f, "branch", at_hq->code);
			fields_set(&f, "from", a);
			fields_set(&f, "to", b);
			fields_set(&f, "rows", n);
			char *after = audit_json(&f);
			rc = store_audit(hq, actor, "push", 0, NULL, after, err);
			free(after);
			fields_free(&f);
		}
		if (rc == XF_OK)
			rc = store_commit(hq, err);
		if (rc != XF_OK) {
			store_rollback(hq);
			break;
		}
		flagged = true;
		out->batches++;
		out->rows += rows;
	}
	if (rc == XF_OK)
		rc = store_push_index(p, err);
	store_push_close(p);
	return rc;
}

/* The move's last steps: the head office takes the branch over, then the file is marked. */
static int move_over(struct xf_session *s, struct xf_store *hq, const struct xf_branch *at_hq, const char *actor,
                     const char *uri, struct xf_err *err)
{
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "branch", at_hq->code);
	/* A file is named whole, so the archive says where from any directory. */
	char *real = store_locator_is_server(uri) ? NULL : realpath(uri, NULL);
	char *where = store_locator_safe(real ? real : uri);
	free(real);
	fields_set(&f, "to", where);
	store_chain_set_branch(hq, at_hq->id);
	int rc = XF_OK;
	if (at_hq->pushed) {
		if ((rc = store_begin(hq, err)) == XF_OK) {
			struct xf_fields p;
			fields_init(&p);
			fields_set(&p, "pushed", "0");
			rc = store_update(hq, "branches", at_hq->id, &p, 0, err);
			fields_free(&p);
			if (rc == XF_OK)
				rc = store_push_numbering(s->st, hq, at_hq->id, err);
			char *after = audit_json(&f);
			if (rc == XF_OK)
				rc = store_audit(hq, actor, XF_PUSH_MOVE_ACTION, 0, NULL, after, err);
			free(after);
			if (rc == XF_OK)
				rc = store_commit(hq, err);
			else
				store_rollback(hq);
		}
	}
	if (rc == XF_OK && (rc = session_begin(s, err)) == XF_OK) {
		rc = store_setting_set(s->st, XF_MOVED_SETTING, where, err);
		char *after = audit_json(&f);
		if (rc == XF_OK)
			rc = store_audit(s->st, s->op.name, XF_PUSH_MOVE_ACTION, 0, NULL, after, err);
		free(after);
		if (rc == XF_OK)
			rc = store_commit(s->st, err);
		else
			store_rollback(s->st);
	}
	free(where);
	fields_free(&f);
	return rc;
}

/* XF_OK when both stores are training stores or neither is: practice never reaches the record. */
static int same_kind(struct xf_store *src, struct xf_store *hq, struct xf_err *err)
{
	char *a = NULL, *b = NULL;
	int rc = store_setting_get(src, "training", &a, err);
	if (rc == XF_OK)
		rc = store_setting_get(hq, "training", &b, err);
	bool src_training = a && strcmp(a, "1") == 0, hq_training = b && strcmp(b, "1") == 0;
	if (rc == XF_OK && src_training != hq_training)
		rc = xf_err_set(err, XF_EINVAL, "不能推送：%s是培训数据库，%s是正式数据库，练习的记录不能进入正式的记录",
		                src_training ? "分行的文件" : "总行的数据库", src_training ? "总行的数据库" : "分行的文件");
	free(a);
	free(b);
	return rc;
}

/* Pushes the session's branch file to the head office. */
int push_run(struct xf_session *s, const char *uri, bool move, struct xf_push_result *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	if (!auth_require(s, 0, "推送到总行", err))
		return err->code;
	if (store_locator_is_server(store_path(s->st)))
		return xf_err_set(err, XF_EINVAL, "%s 是服务器上的数据库：push 只从分行自己的数据库文件推送到总行", store_path(s->st));
	if (uri == NULL || *uri == '\0')
		return xf_err_set(err, XF_EINVAL, "请用 --to 给出总行的数据库（如 postgresql://总行服务器/xinfang）");
	int rc = store_push_moved_check(s->st, err);
	if (rc != XF_OK)
		return rc;
	struct xf_branch own;
	if ((rc = branch_get(s->st, XF_BRANCH_OWN, &own, err)) != XF_OK)
		return rc;
	if (own.code[0] == '\0')
		return xf_err_set(err, XF_EINVAL, "本机构还没有代码，不能推送：请管理员先运行 xinfang branch set 代码 名称"
		                                  "（与总行 branch add 时用的代码相同）");
	snprintf(out->code, sizeof out->code, "%s", own.code);
	struct xf_store *hq;
	if ((rc = setup_open(uri, &hq, err)) != XF_OK)
		return rc;
	if ((rc = same_kind(s->st, hq, err)) != XF_OK) {
		store_close(hq);
		return rc;
	}
	struct xf_branch at_hq;
	struct xf_err ignored;
	char *actor = xasprintf("%s/%s", own.code, s->op.name);
	if (branch_find(hq, own.code, &at_hq, &ignored) != XF_OK || at_hq.id == XF_BRANCH_OWN) {
		rc = xf_err_set(err, XF_ENOTFOUND, "总行的数据库里没有分支机构“%s”：请总行管理员先运行 xinfang branch add %s %s",
		                own.code, own.code, own.name);
		goto out;
	}
	struct xf_chain_head held;
	int64_t held_count;
	if ((rc = store_push_held(hq, at_hq.id, &held, &held_count, err)) != XF_OK)
		goto out;
	out->held = held.id;
	if (!at_hq.pushed && held.id > 0 && !move) {
		rc = xf_err_set(err, XF_EINVAL, "分行 %s 已迁往总行（push --move），在总行办理：此文件只作存档，不再推送", own.code);
		goto out;
	}
	if ((rc = refuse_other_login(hq, &at_hq, actor, err)) != XF_OK)
		goto out;
	if (!at_hq.pushed && held.id == 0 && (rc = refuse_worked_branch(hq, &at_hq, err)) != XF_OK)
		goto out;
	/* One moment of the branch file for the walk and every batch; desks may go on writing. */
	if ((rc = store_read_begin(s->st, err)) != XF_OK)
		goto out;
	/* Nothing new: the head office holds a whole prefix of the branch's records ending in the
	 * file's newest one, hash for hash, and the file has no other. Nothing is sent then, so the
	 * chain is not walked again (its cost grows with the file; `verify` at the branch walks it). */
	struct xf_chain_head file_head;
	int64_t file_count = 0;
	bool have_all = false;
	if (held.id > 0 && held_count == held.id && (rc = store_push_file_head(s->st, &file_head, &file_count, err)) == XF_OK)
		have_all = file_head.id == held.id && file_count == held.id && strcmp(file_head.hash, held.hash) == 0;
	if (rc == XF_OK && have_all) {
		out->head = held.id;
	} else if (rc == XF_OK) {
		struct xf_chain_walk walk;
		rc = store_chain_walk(s->st, 1, &walk, err);
		if (rc == XF_OK)
			rc = check_chain(s->st, hq, at_hq.id, actor, own.code, &walk, &held, err);
		out->head = walk.head.id;
		bool taken_over = !at_hq.pushed && held.id > 0; /* a move that stopped before marking the file */
		if (rc == XF_OK && out->head > held.id && !taken_over)
			rc = check_rows(s->st, own.code, walk.head.id, err);
		if (rc == XF_OK && out->head > held.id && !taken_over)
			rc = push_batches(s->st, hq, &at_hq, actor, out, err);
	}
	store_read_end(s->st);
	if (rc == XF_OK && move) {
		rc = move_over(s, hq, &at_hq, actor, uri, err);
		out->moved = rc == XF_OK;
	}
out:
	free(actor);
	out->round_trips = store_push_round_trips(hq);
	store_close(hq);
	return rc;
}

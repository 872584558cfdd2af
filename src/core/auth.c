/* Operators, roles and passwords. */
#include "xinfang/auth.h"

#include <crypt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xinfang/audit.h"
#include "xinfang/branch.h"
#include "xinfang/store_chain.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"
#include "xinfang/text.h"

static const char *const role_keys[] = {"operator", "head", "handler", "admin", "supervisor"};
static const char *const role_labels[] = {"接待员", "办公室主任", "经办人", "管理员", "督办员"};

/* Key of a role. */
const char *auth_role_key(enum xf_role role) { return role_keys[role]; }
/* Chinese name of a role. */
const char *auth_role_label(enum xf_role role) { return role_labels[role]; }

/* Role from key or Chinese name. */
int auth_role_parse(const char *s)
{
	for (int i = 0; i < XF_ROLE_COUNT; i++)
		if (s && (strcmp(s, role_keys[i]) == 0 || strcmp(s, role_labels[i]) == 0))
			return i;
	return -1;
}

/* Hashes with yescrypt ("$y$"). */
int auth_hash_password(const char *password, char **hash, struct xf_err *err)
{
	*hash = NULL;
	if (password == NULL || text_chars(password) < 6)
		return xf_err_set(err, XF_EINVAL, "密码至少 6 个字符");
	char *salt = crypt_gensalt_ra("$y$", 0, NULL, 0);
	if (salt == NULL)
		return xf_err_set(err, XF_EIO, "无法生成密码盐（系统的 libcrypt 不支持 yescrypt？）");
	struct crypt_data *cd = xcalloc(1, sizeof *cd);
	const char *h = crypt_r(password, salt, cd);
	free(salt);
	if (h == NULL || h[0] == '*') {
		free(cd);
		return xf_err_set(err, XF_EIO, "密码加密失败");
	}
	*hash = xstrdup(h);
	free(cd);
	return XF_OK;
}

/* Compares a password with a hash in constant time. */
bool auth_check_password(const char *password, const char *hash)
{
	if (password == NULL || hash == NULL || hash[0] != '$')
		return false;
	struct crypt_data *cd = xcalloc(1, sizeof *cd);
	const char *h = crypt_r(password, hash, cd);
	bool ok = false;
	if (h != NULL && h[0] != '*' && strlen(h) == strlen(hash)) {
		unsigned char diff = 0;
		for (size_t i = 0; h[i]; i++)
			diff |= (unsigned char)(h[i] ^ hash[i]);
		ok = diff == 0;
	}
	free(cd);
	return ok;
}

/* Fills an operator from its row. */
static void operator_from_row(const struct xf_fields *row, struct xf_operator *op)
{
	memset(op, 0, sizeof *op);
	op->id = atoll(fields_str(row, "id"));
	snprintf(op->name, sizeof op->name, "%s", fields_str(row, "name"));
	snprintf(op->full_name, sizeof op->full_name, "%s", fields_str(row, "full_name"));
	int role = auth_role_parse(fields_str(row, "role"));
	op->role = role < 0 ? XF_ROLE_OPERATOR : (enum xf_role)role;
	snprintf(op->department, sizeof op->department, "%s", fields_str(row, "department"));
	const char *branch = fields_get(row, "branch");
	op->branch = branch && *branch ? atoll(branch) : XF_BRANCH_OWN;
}

/* Starts a session for an operator. */
static void session_start(struct xf_session *s, struct xf_store *st, const struct xf_operator *op)
{
	memset(s, 0, sizeof *s);
	s->st = st;
	s->op = *op;
	if (s->op.branch <= 0)
		s->op.branch = XF_BRANCH_OWN;
	/* The own branch is the top: "/1/". Another's path is read; one that cannot be read leaves
	 * a path no branch has, so the session reaches nothing rather than too much. */
	struct xf_branch b;
	struct xf_err ignored;
	if (s->op.branch == XF_BRANCH_OWN)
		snprintf(s->op.branch_path, sizeof s->op.branch_path, "/1/");
	else if (branch_get(st, s->op.branch, &b, &ignored) == XF_OK)
		snprintf(s->op.branch_path, sizeof s->op.branch_path, "%s", b.path);
	else
		snprintf(s->op.branch_path, sizeof s->op.branch_path, "/unreadable/");
	store_chain_set_branch(st, s->op.branch);
}

/* Wrong passwords in a row after which a name is locked. */
#define LOCK_AFTER 5

/* A yescrypt hash of no one's password, with the cost of real ones: an unknown name costs the
 * same check as a known one, so the time taken does not tell which names exist. */
static const char dummy_hash[] = "$y$j9T$HMLbTNLijsweGQ84ypRIO1$kV712iY69lIAj0usa9t6rHeDCfi6iyPEHeIo2UBqzI4";

/* Seconds a name waits after its nth failure in a row (n >= LOCK_AFTER): 1, 2, 4, 8, then
 * 15 minutes at most. */
static long long lock_wait(int failures)
{
	int step = failures - LOCK_AFTER;
	long long wait = 60LL << (step > 4 ? 4 : step);
	return wait > 900 ? 900 : wait;
}

/* True when a typed name could be an account name (no message). */
static bool user_name_shape(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* The counter row of a name, if any (inside the caller's transaction). */
static int login_row(struct xf_store *st, const char *key, struct xf_fields *row, bool *found, struct xf_err *err)
{
	struct xf_rows rows;
	fields_init(row);
	*found = false;
	int rc = store_list(st, "logins", "name", key, &rows, err);
	if (rc != XF_OK)
		return rc;
	if (rows.n) {
		*found = true;
		fields_free(row);
		*row = rows.v[0];
		fields_init(&rows.v[0]);
	}
	rows_free(&rows);
	return XF_OK;
}

/* Writes a name's counter: inserted the first time, updated after. */
static int login_row_put(struct xf_store *st, const char *key, const struct xf_fields *row, bool found,
                         struct xf_fields *changes, struct xf_err *err)
{
	if (found)
		return store_update(st, "logins", atoll(fields_str(row, "id")), changes, 0, err);
	fields_set(changes, "name", key);
	return store_insert(st, "logins", changes, NULL, err);
}

/* Turns a failure to write a login attempt into a refusal of the login. */
static int attempt_not_recorded(struct xf_err *err)
{
	struct xf_err inner = *err;
	return xf_err_set(err, inner.code == XF_EBUSY ? XF_EBUSY : XF_EIO, "无法记录这次登录，登录被拒绝：%s", inner.msg);
}

/* Audits one event of an account with a single field of detail. */
static int audit_account(struct xf_store *st, const char *actor, const char *action, const char *key,
                         const char *before, const char *after, struct xf_err *err)
{
	struct xf_fields b, a;
	fields_init(&b);
	fields_init(&a);
	if (before)
		fields_set(&b, key, before);
	if (after)
		fields_set(&a, key, after);
	char *bj = audit_json(&b), *aj = audit_json(&a);
	int rc = store_audit(st, actor, action, 0, bj, aj, err);
	free(bj);
	free(aj);
	fields_free(&b);
	fields_free(&a);
	return rc;
}

/* Seconds a started check holds its place among the checks of its name: a process killed while
 * checking gives its place back then. Far above the cost of one yescrypt check. */
#define CHECK_HOLD 10

/* Milliseconds a try sleeps while every place among its name's checks is taken. */
#define CHECK_TURN_MS 20

/* Places for checks running at once: what is left before the lock (LOCK_AFTER counted
 * failures), and one at a time once the name has been locked and its wait has passed (the
 * next wrong password locks it again). */
static int check_places(int failures)
{
	return failures < LOCK_AFTER ? LOCK_AFTER - failures : 1;
}

/* Checks of a name still running: a count older than its hold is forgotten. */
static int checks_running(const struct xf_fields *row, long long now)
{
	int n = atoi(fields_str(row, "checking"));
	return atoll(fields_str(row, "checking_until")) > now && n > 0 ? n : 0;
}

/* Reads a name's counter and (when the name is an account's) the account, in the caller's
 * transaction. */
static int attempt_rows(struct xf_store *st, const char *key, const char *name, struct xf_fields *row, bool *found,
                        struct xf_fields *op, bool *op_found, struct xf_err *err)
{
	int rc = login_row(st, key, row, found, err);
	struct xf_rows ops = {NULL, 0};
	if (rc == XF_OK && strcmp(key, name) == 0)
		rc = store_list(st, "operators", "name", name, &ops, err);
	if (rc == XF_OK && ops.n) {
		*op_found = true;
		fields_free(op);
		*op = ops.v[0];
		fields_init(&ops.v[0]);
	}
	if (rc == XF_OK)
		rows_free(&ops);
	return rc;
}

/* Takes a place to check a name's password. In one write transaction: refused while the name
 * is locked (the password is never checked then); else a place is taken when the running
 * checks and the counted failures together stay under the limit; else the try waits its turn
 * (a right password never counts, so it is only delayed, never refused). Parallel tries can
 * therefore never check more wrong passwords than the limit allows; a store that cannot record
 * the place refuses the try. */
static int start_check(struct xf_store *st, const char *key, const char *name, struct xf_fields *op, bool *op_found,
                       struct xf_err *err)
{
	for (long waited = 0;; waited += CHECK_TURN_MS) {
		*op_found = false;
		fields_init(op);
		int rc = store_begin_login(st, key, err);
		if (rc != XF_OK)
			return attempt_not_recorded(err);
		struct xf_fields row;
		bool found;
		rc = attempt_rows(st, key, name, &row, &found, op, op_found, err);
		if (rc != XF_OK) {
			store_rollback(st);
			fields_free(&row);
			fields_free(op);
			return attempt_not_recorded(err);
		}
		int failures = atoi(fields_str(&row, "failures"));
		long long wait_until = atoll(fields_str(&row, "wait_until"));
		long long now = clock_seconds();
		int running = checks_running(&row, now);
		if (wait_until > now) {
			store_rollback(st);
			fields_free(&row);
			fields_free(op);
			return xf_err_set(err, XF_EAUTH, "连续输错密码 %d 次，已锁定：请 %lld 秒后再试，或请管理员解锁", failures,
			                  wait_until - now);
		}
		if (running < check_places(failures)) {
			char nbuf[16], ubuf[32];
			snprintf(nbuf, sizeof nbuf, "%d", running + 1);
			snprintf(ubuf, sizeof ubuf, "%lld", now + CHECK_HOLD);
			struct xf_fields changes;
			fields_init(&changes);
			fields_set(&changes, "checking", nbuf);
			fields_set(&changes, "checking_until", ubuf);
			rc = login_row_put(st, key, &row, found, &changes, err);
			fields_free(&changes);
			fields_free(&row);
			if (rc == XF_OK)
				rc = store_commit(st, err);
			if (rc == XF_OK)
				return XF_OK;
			store_rollback(st);
			fields_free(op);
			return attempt_not_recorded(err);
		}
		store_rollback(st);
		fields_free(&row);
		fields_free(op);
		if (waited >= (CHECK_HOLD + 1) * 1000L)
			return xf_err_set(err, XF_EBUSY, "同一用户名正有多次登录在核对密码，这次没有核对：请稍后再试");
		struct timespec turn = {0, CHECK_TURN_MS * 1000000L};
		nanosleep(&turn, NULL);
	}
}

/* Settles a check: gives its place back and, in the same transaction, clears the count after a
 * right password or counts a wrong one (locking the name at the limit, audited).
 * *failures receives the count after it. */
static int settle_check(struct xf_store *st, const char *key, bool ok, int *failures, struct xf_err *err)
{
	*failures = 0;
	int rc = store_begin_login(st, key, err);
	struct xf_fields row;
	bool found = false;
	fields_init(&row);
	if (rc == XF_OK)
		rc = login_row(st, key, &row, &found, err);
	long long secs = clock_seconds();
	int running = checks_running(&row, secs);
	char now[20], nbuf[16], rbuf[16], wbuf[32];
	clock_now_iso(now);
	snprintf(rbuf, sizeof rbuf, "%d", running > 0 ? running - 1 : 0);
	struct xf_fields changes;
	fields_init(&changes);
	fields_set(&changes, "checking", rbuf);
	if (ok) {
		fields_set(&changes, "failures", "0");
		fields_set(&changes, "wait_until", "0");
		fields_set(&changes, "last_login", now);
	} else {
		*failures = atoi(fields_str(&row, "failures")) + 1;
		snprintf(nbuf, sizeof nbuf, "%d", *failures);
		fields_set(&changes, "failures", nbuf);
		if (*failures >= LOCK_AFTER) {
			snprintf(wbuf, sizeof wbuf, "%lld", secs + lock_wait(*failures));
			fields_set(&changes, "wait_until", wbuf);
		}
		fields_set(&changes, "last_failure", now);
	}
	if (rc == XF_OK)
		rc = login_row_put(st, key, &row, found, &changes, err);
	if (rc == XF_OK && !ok)
		rc = audit_account(st, key, "login_failed", "failures", NULL, nbuf, err);
	if (rc == XF_OK && !ok && *failures >= LOCK_AFTER) {
		snprintf(wbuf, sizeof wbuf, "%lld", lock_wait(*failures));
		rc = audit_account(st, key, "login_locked", "wait_seconds", NULL, wbuf, err);
	}
	if (rc == XF_OK)
		rc = store_commit(st, err);
	if (rc != XF_OK)
		store_rollback(st);
	fields_free(&changes);
	fields_free(&row);
	return rc;
}

/* A password check on a second thread: the password, the hash it is checked against and the
 * answer. */
struct hash_check {
	const char *password;
	const char *hash;
	bool ok;
};

/* The second thread's body: the one hash. */
static void *hash_check_run(void *arg)
{
	struct hash_check *hc = arg;
	hc->ok = auth_check_password(hc->password, hc->hash);
	return NULL;
}

/* An attempt under way: its place taken, the operator's row read, the password being checked
 * (on a second thread when `threaded`). */
struct attempt {
	const char *key;
	struct xf_fields op;
	bool op_found;
	struct hash_check hc;
	pthread_t thread;
	bool threaded;
};

/* Begins an attempt: a place under the failure count, then the check, on a second thread when
 * asked (it takes no signal: the desk's handlers stay on the calling thread; without a thread
 * the check runs in attempt_end). name and password must outlive the attempt. */
static int attempt_begin(struct xf_store *st, const char *name, const char *password, bool thread,
                         struct attempt *a, struct xf_err *err)
{
	memset(a, 0, sizeof *a);
	a->key = user_name_shape(name) ? name : "?";
	int rc = start_check(st, a->key, name, &a->op, &a->op_found, err);
	if (rc != XF_OK)
		return rc;
	a->hc = (struct hash_check){password, a->op_found ? fields_str(&a->op, "pwhash") : dummy_hash, false};
	if (thread) {
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		a->threaded = pthread_create(&a->thread, NULL, hash_check_run, &a->hc) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	return XF_OK;
}

/* Ends an attempt begun: beside(arg) runs on the calling thread (when given) while the check
 * finishes, then the outcome is settled. On success *op holds the operator's row. A disabled
 * account answers exactly as a wrong password does, whatever the password: its right password
 * is checked at the same cost and counted as a failure, so neither the answer, nor the count,
 * nor the time tells a guesser that the password was right (the desk session of an account
 * disabled meanwhile says 已停用: its holder had logged in). */
static int attempt_end(struct xf_store *st, struct attempt *a, void (*beside)(void *), void *arg,
                       struct xf_fields *op, struct xf_err *err)
{
	if (beside != NULL)
		beside(arg);
	if (a->threaded)
		pthread_join(a->thread, NULL);
	else
		hash_check_run(&a->hc);
	*op = a->op;
	bool ok = a->hc.ok && a->op_found;
	if (ok && atoi(fields_str(op, "active")) == 0)
		ok = false;
	int failures;
	if (settle_check(st, a->key, ok, &failures, err) != XF_OK) {
		fields_free(op);
		fields_init(op);
		return attempt_not_recorded(err);
	}
	if (ok)
		return XF_OK;
	if (failures >= LOCK_AFTER)
		return xf_err_set(err, XF_EAUTH,
		                  "用户名或密码不对，或账户已停用；已连续输错 %d 次，锁定 %lld 分钟：到时再试，或请管理员解锁（xinfang user unlock）",
		                  failures, lock_wait(failures) / 60);
	return xf_err_set(err, XF_EAUTH, "用户名或密码不对，或账户已停用（再错 %d 次将锁定）", LOCK_AFTER - failures);
}

/* Checks a name's password under the failure count: a place, the check (beside(arg) running on
 * the calling thread meanwhile, once the place is taken, the check on a second thread), the
 * outcome (attempt_end). */
static int checked_attempt(struct xf_store *st, const char *name, const char *password, void (*beside)(void *),
                           void *arg, struct xf_fields *op, struct xf_err *err)
{
	struct attempt a;
	int rc = attempt_begin(st, name, password, beside != NULL, &a, err);
	if (rc != XF_OK) {
		fields_free(&a.op);
		fields_init(op);
		return rc;
	}
	return attempt_end(st, &a, beside, arg, op, err);
}

/* The session of an attempt that passed (rc XF_OK); the operator's row given back. */
static int login_session(struct xf_store *st, int rc, struct xf_fields *row, struct xf_session *out)
{
	if (rc == XF_OK) {
		struct xf_operator op;
		operator_from_row(row, &op);
		session_start(out, st, &op);
	}
	fields_free(row);
	return rc;
}

/* Logs an operator in. */
int auth_login(struct xf_store *st, const char *name, const char *password, struct xf_session *out,
               struct xf_err *err)
{
	return auth_login_beside(st, name, password, NULL, NULL, out, err);
}

/* The message for a login without a name. */
static int no_name(struct xf_err *err)
{
	return xf_err_set(err, XF_EAUTH, "请给出操作员（--user 名称，或环境变量 XINFANG_USER）");
}

/* Logs an operator in, beside(arg) running while the password is checked. */
int auth_login_beside(struct xf_store *st, const char *name, const char *password, void (*beside)(void *),
                      void *arg, struct xf_session *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	if (str_empty(name))
		return no_name(err);
	struct xf_fields row;
	int rc = checked_attempt(st, name, password, beside, arg, &row, err);
	return login_session(st, rc, &row, out);
}

/* A login begun (auth_login_start): its own copies of the name and password, the attempt. */
struct auth_login {
	struct xf_store *st;
	char *name, *password;
	struct attempt a;
};

/* Frees a login begun, its copy of the password wiped. */
static void login_free(struct auth_login *l)
{
	free(l->name);
	explicit_bzero(l->password, strlen(l->password));
	free(l->password);
	free(l);
}

/* Begins a login: the attempt recorded and the password's check started on a second thread. */
int auth_login_start(struct xf_store *st, const char *name, const char *password, struct auth_login **out,
                     struct xf_err *err)
{
	*out = NULL;
	if (str_empty(name))
		return no_name(err);
	struct auth_login *l = xcalloc(1, sizeof *l);
	l->st = st;
	l->name = xstrdup(name);
	l->password = xstrdup(password ? password : "");
	int rc = attempt_begin(st, l->name, l->password, true, &l->a, err);
	if (rc != XF_OK) {
		fields_free(&l->a.op);
		login_free(l);
		return rc;
	}
	*out = l;
	return XF_OK;
}

/* Ends a login begun: beside(arg) runs meanwhile; the outcome is settled and l freed. */
int auth_login_finish(struct auth_login *l, void (*beside)(void *), void *arg, struct xf_session *out,
                      struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	struct xf_fields row;
	int rc = attempt_end(l->st, &l->a, beside, arg, &row, err);
	rc = login_session(l->st, rc, &row, out);
	login_free(l);
	return rc;
}

/* Inserts an operator row and its audit event inside the caller's transaction. */
static int insert_operator(struct xf_store *st, const char *actor, const char *name, enum xf_role role,
                           const char *full_name, const char *department, int64_t branch, const char *password,
                           int64_t *id, struct xf_err *err)
{
	char *hash;
	int rc = auth_password_policy(name, password, NULL, err);
	if (rc == XF_OK)
		rc = auth_hash_password(password, &hash, err);
	if (rc != XF_OK)
		return rc;
	char now[20];
	clock_now_iso(now);
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "name", name);
	fields_set(&f, "full_name", full_name ? full_name : "");
	fields_set(&f, "role", role_keys[role]);
	fields_set(&f, "department", department ? department : "");
	fields_set(&f, "pwhash", hash);
	fields_set(&f, "created_at", now);
	char branch_text[24];
	snprintf(branch_text, sizeof branch_text, "%lld", (long long)branch);
	if (branch > 0 && branch != XF_BRANCH_OWN) /* the own branch is the column's default */
		fields_set(&f, "branch", branch_text);
	free(hash);
	rc = store_insert(st, "operators", &f, id, err);
	if (rc == XF_OK) {
		struct xf_fields what;
		fields_init(&what);
		fields_set(&what, "name", name);
		fields_set(&what, "role", role_keys[role]);
		if (branch > 0 && branch != XF_BRANCH_OWN)
			fields_set(&what, "branch", branch_text);
		char *after = audit_json(&what);
		rc = store_audit(st, actor, "user_add", 0, NULL, after, err);
		free(after);
		fields_free(&what);
	}
	fields_free(&f);
	return rc;
}

/* Checks an account name: ASCII letters, digits, '.', '_' or '-'. */
static int check_user_name(const char *name, struct xf_err *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 32)
		return xf_err_set(err, XF_EINVAL, "用户名应为 1 到 32 个字母、数字、点、下划线或减号");
	if (!user_name_shape(name))
		return xf_err_set(err, XF_EINVAL, "用户名“%s”只能用字母、数字、点、下划线或减号（中文姓名另填为姓名）", name);
	return XF_OK;
}

/* Creates the first admin inside init's transaction. */
int auth_create_admin(struct xf_store *st, const char *name, const char *password, struct xf_session *out,
                      struct xf_err *err)
{
	int rc = check_user_name(name, err);
	int64_t id = 0;
	if (rc == XF_OK)
		rc = insert_operator(st, name, name, XF_ROLE_ADMIN, "系统管理员", "", XF_BRANCH_OWN, password, &id, err);
	if (rc != XF_OK)
		return rc;
	struct xf_operator op;
	memset(&op, 0, sizeof op);
	op.id = id;
	snprintf(op.name, sizeof op.name, "%s", name);
	snprintf(op.full_name, sizeof op.full_name, "系统管理员");
	op.role = XF_ROLE_ADMIN;
	session_start(out, st, &op);
	return XF_OK;
}

/* Checks that a handler's department is one of the account's branch. */
static int check_department(struct xf_store *st, int role, const char *department, int64_t branch,
                            struct xf_err *err)
{
	if (role != XF_ROLE_HANDLER)
		return XF_OK;
	if (str_empty(department))
		return xf_err_set(err, XF_EINVAL, "经办人须指定所在部门：从承办部门中选一个");
	bool found;
	char *names;
	int rc = branch_department(st, branch, department, &found, &names, err);
	if (rc == XF_OK && !found)
		rc = xf_err_set(err, XF_EINVAL, "账户所属机构没有部门“%s”：可选 %s", department,
		                *names ? names : "（该机构还没有部门，请先添加）");
	free(names);
	return rc;
}

/* Parses a role or explains the choices. */
static int parse_role(const char *role, struct xf_err *err)
{
	int r = auth_role_parse(role);
	if (r < 0)
		return -xf_err_set(err, XF_EINVAL, "角色“%s”不认识：应为 operator（接待员）、head（办公室主任）、handler（经办人）或 admin（管理员）",
		                   role ? role : "");
	return r;
}

/* A new account's fields, read-only checks (inside the caller's transaction when it has one). */
static int check_new_account(struct xf_session *s, const char *name, const char *role, const char *full_name,
                             const char *department, int64_t branch, struct xf_err *err)
{
	int r = parse_role(role, err);
	if (r < 0)
		return -r;
	int rc = check_user_name(name, err);
	if (rc != XF_OK)
		return rc;
	if (!str_empty(full_name) && (rc = field_check_text(full_name, "姓名", 20, false, err)) != XF_OK)
		return rc;
	struct xf_rows rows;
	if ((rc = store_list(s->st, "operators", "name", name, &rows, err)) == XF_OK) {
		if (rows.n)
			rc = xf_err_set(err, XF_EEXIST, "用户名 %s 已经存在", name);
		rows_free(&rows);
	}
	if (rc == XF_OK)
		rc = check_department(s->st, r, department, branch, err);
	return rc;
}

/* Checks a new account before anything is asked or written. */
int auth_user_check_new(struct xf_session *s, const char *name, const char *role, const char *full_name,
                        const char *department, struct xf_err *err)
{
	if (!auth_require(s, XF_MAY(XF_ROLE_ADMIN), "添加用户", err))
		return err->code;
	return check_new_account(s, name, role, full_name, department, s->op.branch, err);
}

/* Adds an account. */
int auth_user_add(struct xf_session *s, const char *name, const char *role, const char *full_name,
                  const char *department, const char *password, struct xf_err *err)
{
	return auth_user_add_in(s, name, role, full_name, department, NULL, password, err);
}

/* Admin: adds an account to a branch in the admin's reach. */
int auth_user_add_in(struct xf_session *s, const char *name, const char *role, const char *full_name,
                     const char *department, const char *branch_code, const char *password, struct xf_err *err)
{
	if (!auth_require(s, XF_MAY(XF_ROLE_ADMIN), "添加用户", err))
		return err->code;
	int64_t branch = 0;
	int rc = branch_filter(s, branch_code, &branch, err);
	if (rc != XF_OK)
		return rc;
	if (branch == 0)
		branch = s->op.branch;
	if ((rc = session_begin(s, err)) != XF_OK)
		return rc;
	rc = check_new_account(s, name, role, full_name, department, branch, err);
	int r = auth_role_parse(role);
	int64_t id;
	if (rc == XF_OK)
		rc = insert_operator(s->st, s->op.name, name, (enum xf_role)r, full_name, department, branch, password, &id,
		                     err);
	if (rc == XF_OK)
		return store_commit(s->st, err);
	store_rollback(s->st);
	return rc;
}

/* Reads an account's row inside the caller's transaction. */
static int account_row(struct xf_store *st, const char *name, struct xf_fields *row, struct xf_err *err)
{
	fields_init(row);
	struct xf_rows rows;
	int rc = store_list(st, "operators", "name", name ? name : "", &rows, err);
	if (rc != XF_OK)
		return rc;
	if (rows.n == 0) {
		rows_free(&rows);
		return xf_err_set(err, XF_ENOTFOUND, "没有用户 %s（xinfang user list 列出全部账户）", name ? name : "");
	}
	fields_free(row);
	*row = rows.v[0];
	fields_init(&rows.v[0]);
	rows_free(&rows);
	return XF_OK;
}

/* Clears a name's failure count and lock inside the caller's transaction; *was_locked tells
 * whether there was anything to clear. */
static int clear_lock(struct xf_store *st, const char *name, int *failures_before, struct xf_err *err)
{
	struct xf_fields row, changes;
	bool found;
	int rc = login_row(st, name, &row, &found, err);
	*failures_before = atoi(fields_str(&row, "failures"));
	fields_init(&changes);
	fields_set(&changes, "failures", "0");
	fields_set(&changes, "wait_until", "0");
	if (rc == XF_OK && found)
		rc = login_row_put(st, name, &row, found, &changes, err);
	fields_free(&changes);
	fields_free(&row);
	return rc;
}

/* Counts the active admins other than name. */
static int other_admins(struct xf_store *st, const char *name, size_t *count, struct xf_err *err)
{
	struct xf_rows rows;
	int rc = store_list(st, "operators", "role", "admin", &rows, err);
	*count = 0;
	for (size_t i = 0; rc == XF_OK && i < rows.n; i++)
		if (strcmp(fields_str(&rows.v[i], "name"), name) != 0 && atoi(fields_str(&rows.v[i], "active")) != 0)
			(*count)++;
	if (rc == XF_OK)
		rows_free(&rows);
	return rc;
}

/* Sets a new password hash on an account inside the caller's transaction. */
static int set_password(struct xf_store *st, const struct xf_fields *row, const char *new_pw, struct xf_err *err)
{
	char *hash;
	int rc = auth_hash_password(new_pw, &hash, err);
	if (rc != XF_OK)
		return rc;
	struct xf_fields changes;
	fields_init(&changes);
	fields_set(&changes, "pwhash", hash);
	free(hash);
	rc = store_update(st, "operators", atoll(fields_str(row, "id")), &changes, 0, err);
	fields_free(&changes);
	return rc;
}

/* Changes the logged-in operator's own password. */
int auth_password_change(struct xf_session *s, const char *old_pw, const char *new_pw, struct xf_err *err)
{
	int rc = auth_password_policy(s->op.name, new_pw, old_pw, err);
	if (rc != XF_OK)
		return rc;
	struct xf_fields row;
	rc = checked_attempt(s->st, s->op.name, old_pw, NULL, NULL, &row, err);
	fields_free(&row);
	if (rc == XF_EAUTH) {
		struct xf_err why = *err;
		return xf_err_set(err, XF_EAUTH, "原密码不对，密码未改：%s", why.msg);
	}
	if (rc != XF_OK)
		return rc;
	if ((rc = store_begin(s->st, err)) != XF_OK)
		return rc;
	rc = account_row(s->st, s->op.name, &row, err);
	if (rc == XF_OK)
		rc = set_password(s->st, &row, new_pw, err);
	if (rc == XF_OK)
		rc = audit_account(s->st, s->op.name, "user_password", "name", NULL, s->op.name, err);
	fields_free(&row);
	if (rc == XF_OK)
		return store_commit(s->st, err);
	store_rollback(s->st);
	return rc;
}

/* Starts an admin's change of an account: role check, transaction, the account's row. */
static int admin_begin(struct xf_session *s, const char *what, const char *name, struct xf_fields *row,
                       struct xf_err *err)
{
	fields_init(row);
	if (!auth_require(s, XF_MAY(XF_ROLE_ADMIN), what, err))
		return err->code;
	int rc = session_begin(s, err);
	if (rc != XF_OK)
		return rc;
	rc = account_row(s->st, name, row, err);
	/* an account of a branch out of the admin's reach is no account at all: an admin of a
	 * branch must not take over one of the head office or of a sibling branch */
	if (rc == XF_OK && !branch_in_reach(s, branch_of_row(row))) {
		fields_free(row);
		fields_init(row);
		rc = xf_err_set(err, XF_ENOTFOUND, "没有用户 %s（xinfang user list 列出全部账户）", name);
	}
	if (rc != XF_OK)
		store_rollback(s->st);
	return rc;
}

/* Commits an admin's change, or rolls it back. */
static int admin_end(struct xf_session *s, int rc, struct xf_fields *row, struct xf_err *err)
{
	fields_free(row);
	if (rc == XF_OK)
		return store_commit(s->st, err);
	store_rollback(s->st);
	return rc;
}

/* Admin: a new password for an account, which also unlocks it. */
int auth_user_reset(struct xf_session *s, const char *name, const char *new_pw, struct xf_err *err)
{
	/* Not compared with the account's present password: the answer would tell the admin what
	 * that password is. */
	int rc = auth_password_policy(name, new_pw, NULL, err);
	if (rc != XF_OK)
		return rc;
	struct xf_fields row;
	if ((rc = admin_begin(s, "重设密码", name, &row, err)) != XF_OK)
		return rc;
	int failures = 0;
	rc = set_password(s->st, &row, new_pw, err);
	if (rc == XF_OK)
		rc = clear_lock(s->st, name, &failures, err);
	if (rc == XF_OK)
		rc = audit_account(s->st, s->op.name, "user_reset", "name", NULL, name, err);
	if (rc == XF_OK && failures) {
		char nbuf[16];
		snprintf(nbuf, sizeof nbuf, "%d", failures);
		rc = audit_account(s->st, s->op.name, "user_unlock", "failures", nbuf, "0", err);
	}
	return admin_end(s, rc, &row, err);
}

/* Admin: clears an account's lock. */
int auth_user_unlock(struct xf_session *s, const char *name, struct xf_err *err)
{
	struct xf_fields row;
	int rc = admin_begin(s, "解锁账户", name, &row, err);
	if (rc != XF_OK)
		return rc;
	int failures = 0;
	rc = clear_lock(s->st, name, &failures, err);
	struct xf_fields before, after;
	fields_init(&before);
	fields_init(&after);
	char nbuf[16];
	snprintf(nbuf, sizeof nbuf, "%d", failures);
	fields_set(&before, "name", name);
	fields_set(&before, "failures", nbuf);
	fields_set(&after, "name", name);
	fields_set(&after, "failures", "0");
	char *bj = audit_json(&before), *aj = audit_json(&after);
	if (rc == XF_OK)
		rc = store_audit(s->st, s->op.name, "user_unlock", 0, bj, aj, err);
	free(bj);
	free(aj);
	fields_free(&before);
	fields_free(&after);
	return admin_end(s, rc, &row, err);
}

/* Admin: disables or re-enables an account. */
int auth_user_disable(struct xf_session *s, const char *name, bool disabled, struct xf_err *err)
{
	struct xf_fields row;
	int rc = admin_begin(s, disabled ? "停用账户" : "启用账户", name, &row, err);
	if (rc != XF_OK)
		return rc;
	size_t admins = 0;
	if (disabled && strcmp(name, s->op.name) == 0)
		rc = xf_err_set(err, XF_EINVAL, "不能停用自己正在使用的账户");
	if (rc == XF_OK && disabled && strcmp(fields_str(&row, "role"), "admin") == 0 &&
	    (rc = other_admins(s->st, name, &admins, err)) == XF_OK && admins == 0)
		rc = xf_err_set(err, XF_EINVAL, "%s 是唯一可用的管理员，不能停用：请先添加另一位管理员", name);
	struct xf_fields changes;
	fields_init(&changes);
	fields_set(&changes, "active", disabled ? "0" : "1");
	if (rc == XF_OK)
		rc = store_update(s->st, "operators", atoll(fields_str(&row, "id")), &changes, 0, err);
	fields_free(&changes);
	/* Tries while disabled were counted as failures whatever the password: enabling forgets them. */
	int failures = 0;
	if (rc == XF_OK && !disabled)
		rc = clear_lock(s->st, name, &failures, err);
	if (rc == XF_OK)
		rc = audit_account(s->st, s->op.name, disabled ? "user_disable" : "user_enable", "name", NULL, name, err);
	return admin_end(s, rc, &row, err);
}

/* Admin: changes an account's role and department. */
int auth_user_set_role(struct xf_session *s, const char *name, const char *role, const char *department,
                       struct xf_err *err)
{
	int r = parse_role(role, err);
	if (r < 0)
		return -r;
	struct xf_fields row;
	int rc = admin_begin(s, "更改角色", name, &row, err);
	if (rc != XF_OK)
		return rc;
	rc = check_department(s->st, r, department, branch_of_row(&row), err);
	size_t admins = 0;
	if (rc == XF_OK && r != XF_ROLE_ADMIN && strcmp(fields_str(&row, "role"), "admin") == 0 &&
	    (rc = other_admins(s->st, name, &admins, err)) == XF_OK && admins == 0)
		rc = xf_err_set(err, XF_EINVAL, "%s 是唯一可用的管理员，不能改为其他角色：请先添加另一位管理员", name);
	struct xf_fields changes;
	fields_init(&changes);
	fields_set(&changes, "role", role_keys[r]);
	fields_set(&changes, "department", department ? department : "");
	if (rc == XF_OK)
		rc = store_update(s->st, "operators", atoll(fields_str(&row, "id")), &changes, 0, err);
	if (rc == XF_OK) {
		struct xf_fields before;
		fields_init(&before);
		fields_set(&before, "name", name);
		fields_set(&before, "role", fields_str(&row, "role"));
		fields_set(&before, "department", fields_str(&row, "department"));
		fields_set(&changes, "name", name);
		char *bj = audit_json(&before), *aj = audit_json(&changes);
		rc = store_audit(s->st, s->op.name, "user_role", 0, bj, aj, err);
		free(bj);
		free(aj);
		fields_free(&before);
	}
	fields_free(&changes);
	return admin_end(s, rc, &row, err);
}

/* Admin: every account in the admin's reach with its branch's code, role, department, last
 * login and lock. */
int auth_user_list(struct xf_session *s, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	if (!auth_require(s, XF_MAY(XF_ROLE_ADMIN), "查看账户列表", err))
		return err->code;
	/* the branches in reach, read once: an account of none of them is left out */
	struct xf_branch *reach;
	size_t nreach;
	int rc = branch_list(s, &reach, &nreach, err);
	if (rc != XF_OK)
		return rc;
	struct xf_rows ops;
	if ((rc = store_list(s->st, "operators", NULL, NULL, &ops, err)) != XF_OK) {
		free(reach);
		return rc;
	}
	out->v = xcalloc(ops.n ? ops.n : 1, sizeof *out->v);
	long long now = clock_seconds();
	for (size_t i = 0; i < ops.n && rc == XF_OK; i++) {
		const struct xf_fields *op = &ops.v[i];
		const struct xf_branch *branch = NULL;
		for (size_t k = 0; k < nreach && branch == NULL; k++)
			if (reach[k].id == branch_of_row(op))
				branch = &reach[k];
		if (branch == NULL)
			continue;
		struct xf_fields login, *f = &out->v[out->n];
		bool found;
		if ((rc = login_row(s->st, fields_str(op, "name"), &login, &found, err)) != XF_OK)
			break;
		fields_init(f);
		out->n++;
		int role = auth_role_parse(fields_str(op, "role"));
		fields_set(f, "name", fields_str(op, "name"));
		fields_set(f, "full_name", fields_str(op, "full_name"));
		fields_set(f, "role", fields_str(op, "role"));
		fields_set(f, "role_label", role >= 0 ? role_labels[role] : fields_str(op, "role"));
		fields_set(f, "department", fields_str(op, "department"));
		fields_set(f, "branch", branch->code);
		char last[17];
		snprintf(last, sizeof last, "%.16s", fields_str(&login, "last_login"));
		fields_set(f, "last_login", last);
		int failures = atoi(fields_str(&login, "failures"));
		bool locked = failures >= LOCK_AFTER && atoll(fields_str(&login, "wait_until")) > now;
		fields_set(f, "locked", locked ? "是" : "否");
		fields_set(f, "disabled", atoi(fields_str(op, "active")) ? "否" : "是");
		char nbuf[16];
		snprintf(nbuf, sizeof nbuf, "%d", failures);
		fields_set(f, "failures", nbuf);
		fields_free(&login);
	}
	rows_free(&ops);
	free(reach);
	if (rc != XF_OK)
		rows_free(out);
	return rc;
}

/* Why an account no longer is what a session logged in as (row NULL: it is gone), or NULL
 * when it still is; *gone tells that logging in again will not help. */
static const char *account_changed(const struct xf_operator *op, const struct xf_fields *row, char *why, size_t n,
                                   bool *gone)
{
	*gone = true;
	if (row == NULL || atoll(fields_str(row, "id")) != op->id)
		return snprintf(why, n, "账户 %s 已不存在", op->name), why;
	if (atoi(fields_str(row, "active")) == 0)
		return snprintf(why, n, "账户 %s 已被管理员停用", op->name), why;
	*gone = false;
	int role = auth_role_parse(fields_str(row, "role"));
	if (role != (int)op->role)
		return snprintf(why, n, "账户 %s 的角色已由%s改为%s", op->name, role_labels[op->role],
		                role >= 0 ? role_labels[role] : fields_str(row, "role")),
		       why;
	if (strcmp(fields_str(row, "department"), op->department) != 0)
		return snprintf(why, n, "账户 %s 的部门已由“%s”改为“%s”", op->name, op->department,
		                fields_str(row, "department")),
		       why;
	const char *branch = fields_get(row, "branch");
	if ((branch && *branch ? atoll(branch) : XF_BRANCH_OWN) != op->branch)
		return snprintf(why, n, "账户 %s 已调到另一家分支机构", op->name), why;
	return NULL;
}

/* Re-reads the session's account: XF_OK while it is as it logged in, else XF_EAUTH with err
 * saying what changed, `what` happened to the step, and what to do. */
static int session_changed(const struct xf_session *s, const char *what, struct xf_err *err)
{
	struct xf_rows rows;
	int rc = store_list(s->st, "operators", "name", s->op.name, &rows, err);
	if (rc != XF_OK)
		return rc;
	char why[256];
	bool gone;
	const char *changed = account_changed(&s->op, rows.n ? &rows.v[0] : NULL, why, sizeof why, &gone);
	rows_free(&rows);
	if (changed == NULL)
		return XF_OK;
	return xf_err_set(err, XF_EAUTH, "%s，%s：%s", changed, what, gone ? "请与管理员联系" : "请重新登录");
}

/* Refuses a session whose account changed since the login. */
int auth_session_current(const struct xf_session *s, struct xf_err *err)
{
	return session_changed(s, "这次登录已失效", err);
}

/* BEGIN IMMEDIATE, then the account re-read under the write lock. */
int session_begin(struct xf_session *s, struct xf_err *err)
{
	return session_begin_as(s, false, err);
}

/* session_begin for a case's move (true: overlapping other moves on PostgreSQL) or any write. */
int session_begin_as(struct xf_session *s, bool move, struct xf_err *err)
{
	int rc = move ? store_begin_move(s->st, err) : store_begin(s->st, err);
	if (rc == XF_OK && (rc = session_changed(s, "这次登录已失效，这一步没有保存", err)) != XF_OK)
		store_rollback(s->st);
	/* The records of this write are its account's branch's, whichever session wrote last. */
	store_chain_set_branch(s->st, s->op.branch);
	return rc;
}

/* Role check done in the core. */
bool auth_require(const struct xf_session *s, unsigned mask, const char *what, struct xf_err *err)
{
	if (s->op.role == XF_ROLE_ADMIN || (mask & XF_MAY(s->op.role)))
		return true;
	struct xf_buf who;
	buf_init(&who);
	for (int r = 0; r < XF_ROLE_COUNT; r++)
		if ((mask & XF_MAY(r)) || r == XF_ROLE_ADMIN)
			buf_printf(&who, "%s%s", who.len ? "、" : "", role_labels[r]);
	xf_err_set(err, XF_EDENIED, "%s（%s）不能%s：这一步须由%s办理", s->op.name, role_labels[s->op.role], what,
	           who.data);
	buf_free(&who);
	return false;
}

/* Loads the calendar and rules once per session. */
int session_load_reference(struct xf_session *s, struct xf_err *err)
{
	if (s->ref_loaded)
		return XF_OK;
	int rc = store_calendar_load(s->st, &s->cal, err);
	if (rc == XF_OK)
		rc = store_rules_load(s->st, &s->rules, err);
	if (rc != XF_OK) {
		calendar_free(&s->cal);
		limits_free(&s->rules);
		return rc;
	}
	s->ref_loaded = true;
	return XF_OK;
}

/* Drops the loaded reference data so the next use reloads it. */
void session_reload_reference(struct xf_session *s)
{
	if (s->ref_loaded) {
		calendar_free(&s->cal);
		limits_free(&s->rules);
		s->ref_loaded = false;
	}
}

/* Releases what the session holds (not the store). */
void session_close(struct xf_session *s)
{
	session_reload_reference(s);
}

/* Shared test helpers. */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/store_db.h"
#include "xinfang/clock.h"
#include "xinfang/setup.h"

/* The data directory handed in by meson. */
const char *test_datadir(void)
{
	const char *d = getenv("XINFANG_DATA");
	assert_non_null(d);
	return d;
}

/* Builds fields from a NULL-terminated list of "key=value". */
void fields_from_va(struct xf_fields *f, const char *first, va_list ap)
{
	fields_init(f);
	for (const char *kv = first; kv != NULL; kv = va_arg(ap, const char *)) {
		const char *eq = strchr(kv, '=');
		assert_non_null(eq);
		char *key = xstrndup(kv, (size_t)(eq - kv));
		fields_set(f, key, eq + 1);
		free(key);
	}
}

/* Variadic front of fields_from_va. */
void fields_from(struct xf_fields *f, const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	fields_from_va(f, first, ap);
	va_end(ap);
}

/* Logs in one of the fixture's accounts. */
static void login_as(struct fixture *fx, const char *name, struct xf_session *s)
{
	struct xf_err err;
	int rc = auth_login(fx->st, name, "secret1", s, &err);
	if (rc != XF_OK)
		fail_msg("login %s: %s", name, err.msg);
}

/* True when the suite runs on PostgreSQL (meson test --setup pg: XINFANG_TEST_BACKEND=pg, beside
 * the cluster tests/pg/with_cluster.sh started). */
bool test_on_pg(void)
{
	const char *b = getenv("XINFANG_TEST_BACKEND");
	return b && strcmp(b, "pg") == 0;
}

/* Runs one statement on the cluster's own database (CREATE/DROP DATABASE). */
static void on_cluster(const char *sql)
{
	const char *server = getenv("XINFANG_TEST_PG");
	if (server == NULL)
		fail_msg("XINFANG_TEST_BACKEND=pg needs the cluster of tests/pg/with_cluster.sh");
	struct xf_db *db;
	struct xf_err err;
	if (xf_db_open(server, NULL, &db, &err) != XF_OK)
		fail_msg("cluster: %s", err.msg);
	if (xf_db_exec(db, sql, &err, "test") != XF_OK)
		fail_msg("%s: %s", sql, err.msg);
	xf_db_close(db);
}

/* A new, empty database on the cluster, named after a temporary directory's last part
 * (/tmp/xinfang-test-AbC123 -> xf_abc123), its locator into out. */
void test_pg_database(const char *dir, char *out, size_t size)
{
	const char *tail = strrchr(dir, '-');
	char name[64];
	snprintf(name, sizeof name, "xf_%s", tail ? tail + 1 : "fixture");
	for (char *p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	char *sql = xasprintf("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'", name);
	on_cluster(sql);
	free(sql);
	/* beside a standby (with_cluster.sh --standby): every host, the one taking writes chosen */
	const char *standby = getenv("XINFANG_TEST_PG_STANDBY_DIR");
	int n = snprintf(out, size, "postgresql:///%s?host=%s%s%s&user=postgres", name, getenv("XINFANG_TEST_PG_DIR"),
	                 standby ? "," : "", standby ? standby : "");
	assert_true(n > 0 && (size_t)n < size);
}

/* True while a process runs (not ended, nor a zombie waiting for whoever adopted it). */
static bool running(long pid)
{
	char path[64], stat[512];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return false;
	size_t n = fread(stat, 1, sizeof stat - 1, f);
	fclose(f);
	stat[n] = '\0';
	const char *end = strrchr(stat, ')');
	return end && end[1] == ' ' && end[2] != 'Z' && end[2] != 'X';
}

/* Kills the primary of with_cluster.sh as a lost machine ends: its postmaster and every server
 * process it started, all at once with SIGKILL (no shutdown, no last words), then waits until
 * the postmaster is gone. */
void test_pg_kill_primary(void)
{
	char *pidfile = xasprintf("%s/data/postmaster.pid", getenv("XINFANG_TEST_PG_DIR"));
	FILE *f = fopen(pidfile, "r");
	assert_non_null(f);
	long master = 0;
	assert_int_equal(fscanf(f, "%ld", &master), 1);
	fclose(f);
	free(pidfile);
	assert_true(master > 1);
	/* its children (each a session of its own), found by their parent */
	char *list = run_capture(NULL, "ps -o pid= --ppid %ld", master);
	assert_int_equal(kill((pid_t)master, SIGKILL), 0);
	for (char *p = list, *end; *p; p = end) {
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 1)
			kill((pid_t)pid, SIGKILL);
	}
	free(list);
	for (int i = 0; i < 500 && running(master); i++)
		usleep(10 * 1000);
	assert_false(running(master));
}

/* Promotes the standby of with_cluster.sh --standby, waiting until it takes writes. */
void test_pg_promote(void)
{
	const char *sdir = getenv("XINFANG_TEST_PG_STANDBY_DIR"), *bindir = getenv("XINFANG_TEST_PG_BINDIR");
	assert_non_null(sdir);
	assert_non_null(bindir);
	char *cmd = xasprintf("%s'%s/pg_ctl' -D '%s/data' -w -t 60 promote >/dev/null", geteuid() == 0 ? "runuser -u postgres -- " : "",
	                      bindir, sdir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Drops a database test_pg_database made (its locator). */
void test_pg_drop(const char *locator)
{
	const char *name = strstr(locator, ":///");
	assert_non_null(name);
	char *drop = xasprintf("DROP DATABASE IF EXISTS %.*s", (int)strcspn(name + 4, "?"), name + 4);
	on_cluster(drop);
	free(drop);
}

/* Creates a temporary initialised training store (its date is set by the test): an SQLite file
 * in a temporary directory, or on PostgreSQL (test_on_pg) a new database of the cluster. */
void fixture_open(struct fixture *fx, const char *today)
{
	fixture_open_at(fx, today, NULL);
}

/* Creates the fixture's store at a locator (a PostgreSQL database's URI), or in a temporary
 * file when it is NULL. */
void fixture_open_at(struct fixture *fx, const char *today, const char *locator)
{
	memset(fx, 0, sizeof *fx);
	struct xf_err err;
	assert_int_equal(clock_set_today_iso(today, &err), XF_OK);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/xinfang-test-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	if (locator) {
		snprintf(fx->db, sizeof fx->db, "%s", locator);
	} else if (test_on_pg()) {
		test_pg_database(fx->dir, fx->db, sizeof fx->db);
		fx->own_database = true;
	} else {
		snprintf(fx->db, sizeof fx->db, "%s/x.db", fx->dir);
	}
	assert_int_equal(store_open(fx->db, &fx->st, &err), XF_OK);
	int rc = setup_init_mode(fx->st, test_datadir(), "admin", "secret1", XF_INIT_TRAINING, &fx->admin, &err);
	if (rc != XF_OK)
		fail_msg("init: %s", err.msg);
	assert_int_equal(auth_user_add(&fx->admin, "clerk", "operator", "王丽", "", "secret1", &err), XF_OK);
	assert_int_equal(auth_user_add(&fx->admin, "head", "head", "李建国", "", "secret1", &err), XF_OK);
	assert_int_equal(auth_user_add(&fx->admin, "handler", "handler", "赵敏", "个人金融部", "secret1", &err), XF_OK);
	login_as(fx, "clerk", &fx->clerk);
	login_as(fx, "head", &fx->head);
	login_as(fx, "handler", &fx->handler);
}

/* Removes the temporary store. */
void fixture_close(struct fixture *fx)
{
	session_close(&fx->admin);
	session_close(&fx->clerk);
	session_close(&fx->head);
	session_close(&fx->handler);
	store_close(fx->st);
	if (fx->own_database)
		test_pg_drop(fx->db);
	char *cmd = xasprintf("rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Registers a case with a few defaults plus the given pairs. */
int64_t fixture_case(struct fixture *fx, const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int64_t id = fixture_case_va(&fx->clerk, NULL, first, ap);
	va_end(ap);
	return id;
}

/* Registers a simple case as s. */
int64_t fixture_case_by(struct xf_session *s, char number_out[32], const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int64_t id = fixture_case_va(s, number_out, first, ap);
	va_end(ap);
	return id;
}

/* Registers a simple case as s from "key=value" pairs; its id, its number into number_out
 * when not NULL. */
int64_t fixture_case_va(struct xf_session *s, char number_out[32], const char *first, va_list ap)
{
	struct xf_fields f;
	fields_from_va(&f, first, ap);
	if (!fields_get(&f, "channel"))
		fields_set(&f, "channel", "来访");
	if (!fields_get(&f, "category"))
		fields_set(&f, "category", "服务态度");
	if (!fields_get(&f, "summary"))
		fields_set(&f, "summary", "柜员态度冷淡，要求道歉。");
	if (!fields_get(&f, "name") && !fields_get(&f, "anonymous"))
		fields_set(&f, "name", "张伟");
	char number[32];
	struct xf_err err, warn;
	int rc = case_register(s, &f, number, &warn, &err);
	fields_free(&f);
	if (rc != XF_OK)
		fail_msg("register: %s", err.msg);
	int64_t id;
	assert_int_equal(case_find(s, number, &id, &err), XF_OK);
	if (number_out)
		snprintf(number_out, 32, "%s", number);
	return id;
}

/* A move that must succeed. */
void fixture_move(struct xf_session *s, int64_t id, enum xf_move mv, const char *first, ...)
{
	struct xf_fields f;
	va_list ap;
	va_start(ap, first);
	fields_from_va(&f, first, ap);
	va_end(ap);
	struct xf_err err;
	if (case_move(s, id, mv, &f, 0, &err) != XF_OK)
		fail_msg("%s: %s", xf_moves[mv].key, err.msg);
	fields_free(&f);
}

/* Counts a case's audit events. */
long fixture_audit_count(struct fixture *fx, int64_t id)
{
	struct xf_rows rows;
	struct xf_err err;
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	assert_int_equal(store_list(fx->st, "audit", "case_id", cid, &rows, &err), XF_OK);
	long n = (long)rows.n;
	rows_free(&rows);
	return n;
}

/* A case's state key. */
const char *fixture_state(struct fixture *fx, int64_t id, char buf[32])
{
	struct xf_fields row;
	struct xf_err err;
	assert_int_equal(store_get(fx->st, "cases", id, &row, &err), XF_OK);
	snprintf(buf, 32, "%s", fields_str(&row, "state"));
	fields_free(&row);
	return buf;
}

/* Reads everything from fd into buf. */
static void slurp(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;
	while ((n = read(fd, buf + len, cap - 1 - len)) > 0) {
		len += (size_t)n;
		if (len == cap - 1)
			break;
	}
	buf[len] = '\0';
}

/* Forks and runs bin with argv and extra environment, stdin /dev/null, stdout and stderr on
 * outfd and errfd (-1: /dev/null), in a session of its own; returns the child's pid. */
static pid_t start_child(const char *bin, const char *const *env, const char *const *argv, int outfd, int errfd)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(outfd >= 0 ? outfd : devnull, 1);
		dup2(errfd >= 0 ? errfd : devnull, 2);
		setsid(); /* no controlling terminal: password prompts cannot hang */
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		size_t n = 0;
		while (argv[n])
			n++;
		char **args = calloc(n + 2, sizeof *args);
		args[0] = (char *)bin;
		for (size_t i = 0; i < n; i++)
			args[i + 1] = (char *)argv[i];
		execv(bin, args);
		_exit(127);
	}
	return pid;
}

/* Starts $XINFANG_BIN in the background, its output thrown away. */
pid_t spawn_xinfang(const char *const *env, const char *const *argv)
{
	const char *bin = getenv("XINFANG_BIN");
	assert_non_null(bin);
	return start_child(bin, env, argv, -1, -1);
}

/* True when user nobody (65534) can read the file, tried through setpriv. */
bool nobody_can_read(const char *path)
{
	char *cmd = xasprintf("setpriv --reuid=65534 --regid=65534 --clear-groups cat '%s' >/dev/null 2>&1", path);
	int status = system(cmd);
	free(cmd);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Runs the real binary and captures its output. */
void run_xinfang(struct run_result *r, const char *const *env, const char *const *argv)
{
	const char *bin = getenv("XINFANG_BIN");
	assert_non_null(bin);
	char outpath[] = "/tmp/xinfang-out-XXXXXX", errpath[] = "/tmp/xinfang-err-XXXXXX";
	int outfd = mkstemp(outpath), errfd = mkstemp(errpath);
	assert_true(outfd >= 0 && errfd >= 0);
	pid_t pid = start_child(bin, env, argv, outfd, errfd);
	int status;
	waitpid(pid, &status, 0);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	lseek(outfd, 0, SEEK_SET);
	lseek(errfd, 0, SEEK_SET);
	slurp(outfd, r->out, sizeof r->out);
	slurp(errfd, r->err, sizeof r->err);
	close(outfd);
	close(errfd);
	unlink(outpath);
	unlink(errpath);
}

/* Runs a command line and collects what it prints. */
char *run_capture(int *status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = xvasprintf(fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct xf_buf out;
	buf_init(&out);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&out, chunk, n);
	int st = pclose(p);
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	free(cmd);
	return out.data;
}

/* Text without spaces and line breaks. */
char *squeeze_spaces(const char *text)
{
	char *out = xstrdup(text), *w = out;
	for (const char *r = text; *r; r++)
		if (*r != ' ' && *r != '\t' && *r != '\n' && *r != '\f' && *r != '\r')
			*w++ = *r;
	*w = '\0';
	return out;
}

/* Makes a store as an older program left it, then migrates it. */
void fixture_old_store(const char *path, int version, const char *const *cases, struct xf_store **st)
{
	struct xf_err err;
	assert_int_equal(store_open(path, st, &err), XF_OK);
	assert_int_equal(store_migrate(*st, version, &err), XF_OK);
	struct xf_fields f;
	assert_int_equal(store_begin(*st, &err), XF_OK);
	fields_from(&f, "name=来访", NULL);
	assert_int_equal(store_insert(*st, "channels", &f, NULL, &err), XF_OK);
	fields_free(&f);
	fields_from(&f, "name=服务态度", "kind=投诉", "grp=general", NULL);
	assert_int_equal(store_insert(*st, "categories", &f, NULL, &err), XF_OK);
	fields_free(&f);
	for (int i = 0; cases[i] != NULL; i++) {
		char summary[256], name[64], phone[64], seq[32], number[48], cid[32];
		assert_int_equal(sscanf(cases[i], "%255[^|]|%63[^|]|%63[^|]", summary, name, phone), 3);
		snprintf(seq, sizeof seq, "seq=%d", i + 1);
		snprintf(number, sizeof number, "number=2025年第%04d号", i + 1);
		snprintf(cid, sizeof cid, "case_id=%d", i + 1);
		char *sv = xasprintf("summary=%s", summary), *nv = xasprintf("name=%s", name),
		     *pv = xasprintf("phone=%s", phone);
		fields_from(&f, "year=2025", seq, number, "state=queued", "received=2025-06-01", "channel=来访",
		            "category=服务态度", sv, "ruleset=seed", "due_transfer=2025-06-03", "due_handle=2025-06-09",
		            "due_reply=2025-07-01", "orig_due_handle=2025-06-09", "orig_due_reply=2025-07-01",
		            "created_by=admin", "created_at=2025-06-01 09:00:00", NULL);
		assert_int_equal(store_insert(*st, "cases", &f, NULL, &err), XF_OK);
		fields_free(&f);
		fields_from(&f, cid, nv, pv, NULL);
		assert_int_equal(store_insert(*st, "petitioners", &f, NULL, &err), XF_OK);
		fields_free(&f);
		free(sv), free(nv), free(pv);
	}
	assert_int_equal(store_commit(*st, &err), XF_OK);
	assert_int_equal(store_migrate(*st, 0, &err), XF_OK);
}

/* xinfang-desks: many desks writing one store at once, each a process of its own with its own
 * connection, as counters on different machines would: each registers an item as a clerk and
 * transfers it as the office head, and every few rounds also tries to transfer the item a
 * neighbouring desk registered (two heads deciding the same item: one must win). Afterwards it
 * checks the record: numbers without gap or duplicate, every registered item there, no item
 * transferred twice, every transfer a desk saw succeed present. Prints the moves' latencies
 * (median, p90, p99) and the checks; exits 1 when a check fails.
 *
 *   xinfang-desks [--db LOCATOR] [--desks 20] [--seconds 60] [--branches N] [--pace MS]
 *
 * --branches N spreads the desks over N branches made with branch_add (desk i in branch i mod
 * N, with a clerk and a head of that branch): each desk registers and moves its own branch's
 * cases, the contested item is the one registered before its own in the same branch, and the
 * numbers are checked gapless per branch per year. --pace MS makes each desk wait MS (± a
 * quarter, at random) after each round, as a counter does between visitors; without it the
 * desks write as fast as they can.
 *
 * LOCATOR is a new SQLite file or a PostgreSQL URI (an empty database there): it is initialised
 * as a training store. Without it, a file in a new temporary directory, removed afterwards. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/store_db.h"
#include "core/store_private.h"
#include "xinfang/auth.h"
#include "xinfang/branch.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/paths.h"
#include "xinfang/setup.h"

/* What one desk did, written by its process into a file of its own. */
struct tally {
	long registered, transferred, contested_won, contested_lost, failed;
	long login_retries; /* logins refused as busy and tried again */
	double client_cpu_ms, server_cpu_ms; /* processor time of the moves: the desk's, its server process's (-1: not known) */
	int n; /* latencies recorded */
	int branch; /* the desk's branch (0..N-1 with --branches, -1 without) */
};

enum { MAX_SAMPLES = 200000 };

/* Milliseconds, monotonic. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The processor time of this process so far, in milliseconds. */
static double own_cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* The processor time of a process of this machine so far, in milliseconds (-1: not readable, as
 * for a server on another host). */
static double proc_cpu_ms(long pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = pid > 0 ? fopen(path, "r") : NULL;
	if (f == NULL)
		return -1;
	char buf[1024];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* the name may hold spaces: fields count from after it */
	unsigned long ut, st;
	if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (ut + st) * 1e3 / (double)sysconf(_SC_CLK_TCK);
}

/* The process id of the store's server process (PostgreSQL), 0 on an SQLite file. */
static long server_pid(struct xf_store *st)
{
	struct xf_db_stmt *stmt;
	struct xf_err err;
	if (xf_db_dialect(store_db(st)) != XF_DB_POSTGRESQL ||
	    xf_db_prepare(store_db(st), "SELECT pg_backend_pid()", &stmt, &err) != XF_OK)
		return 0;
	long pid = xf_db_step(stmt) == XF_DB_ROW ? (long)xf_db_column_int64(stmt, 0) : 0;
	xf_db_finalize(stmt);
	return pid;
}

/* Stops the run with a message. */
static void die(const char *what, const char *msg)
{
	fprintf(stderr, "xinfang-desks: %s: %s\n", what, msg);
	exit(1);
}

/* Logs in or dies; a login refused because the store is busy (a hundred desks opening at
 * once) is tried again after a second, as a clerk would, up to ten times (counted in *retries). */
static void login(struct xf_store *st, const char *user, struct xf_session *s, long *retries)
{
	struct xf_err err;
	for (int k = 0; auth_login(st, user, "secret1", s, &err) != XF_OK; k++) {
		if (err.code != XF_EBUSY || k == 9)
			die(user, err.msg);
		++*retries;
		sleep(1);
	}
}

/* Registers one item as the clerk; its id in *id (0 when refused). */
static int register_one(struct xf_session *clerk, int desk, long round, int64_t *id, struct xf_err *err)
{
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "channel", "来访");
	fields_set(&f, "category", "服务态度");
	fields_set(&f, "name", "测试人");
	char summary[128];
	snprintf(summary, sizeof summary, "第%d号柜台第%ld件：柜员态度冷淡，要求道歉。", desk, round);
	fields_set(&f, "summary", summary);
	char number[32];
	struct xf_err warn;
	int rc = case_register(clerk, &f, number, &warn, err);
	fields_free(&f);
	*id = 0;
	return rc == XF_OK ? case_find(clerk, number, id, err) : rc;
}

/* Transfers an item as the head. */
static int transfer_one(struct xf_session *head, int64_t id, struct xf_err *err)
{
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "dept", "个人金融部");
	int rc = case_move(head, id, XF_MV_TRANSFER, &f, 0, err);
	fields_free(&f);
	return rc;
}

/* The item registered before id in the same branch as the desk's (0: none yet): the one a
 * neighbouring desk of that branch may be about to transfer too. */
static int64_t previous_in_branch(struct xf_session *s, int64_t id)
{
	struct xf_db_stmt *stmt;
	struct xf_err err;
	if (xf_db_prepare(store_db(s->st), "SELECT coalesce(max(id), 0) FROM cases WHERE branch = ? AND id < ?", &stmt,
	                  &err) != XF_OK)
		die("previous", err.msg);
	xf_db_bind_int64(stmt, 1, s->op.branch);
	xf_db_bind_int64(stmt, 2, id);
	int64_t prev = xf_db_step(stmt) == XF_DB_ROW ? xf_db_column_int64(stmt, 0) : 0;
	xf_db_finalize(stmt);
	return prev;
}

/* Waits a counter's pace: pace_ms ± a quarter, at random (nothing when pace_ms is 0). */
static void wait_pace(int pace_ms, unsigned *seed)
{
	if (pace_ms <= 0)
		return;
	double ms = pace_ms * (0.75 + 0.5 * rand_r(seed) / (double)RAND_MAX);
	struct timespec ts = {(time_t)(ms / 1e3), (long)((ms - (time_t)(ms / 1e3) * 1e3) * 1e6)};
	nanosleep(&ts, NULL);
}

/* True when the item is already transferred (by whichever desk won it). */
static bool already_transferred(struct xf_session *s, int64_t id)
{
	struct xf_fields f;
	struct xf_err err;
	if (store_get(s->st, "cases", id, &f, &err) != XF_OK)
		return false;
	bool done = strcmp(fields_str(&f, "state"), "transferred") == 0;
	fields_free(&f);
	return done;
}

/* One desk's work until the deadline: its tally and latencies go to the file out. */
static int run_desk(const char *db, int desk, int branches, int pace_ms, double until, const char *out)
{
	struct xf_store *st;
	struct xf_err err;
	if (store_open(db, &st, &err) != XF_OK)
		die("open", err.msg);
	char clerk_name[32], head_name[32];
	snprintf(clerk_name, sizeof clerk_name, "clerk%d", desk);
	snprintf(head_name, sizeof head_name, "head%d", desk);
	struct xf_session clerk, head;
	struct tally t = {0};
	t.branch = branches > 0 ? desk % branches : -1;
	login(st, clerk_name, &clerk, &t.login_retries);
	login(st, head_name, &head, &t.login_retries);
	/* Desks open spread over one pace, not all at once, as counters open in the morning. */
	unsigned seed = (unsigned)desk * 2654435761u ^ (unsigned)getpid();
	if (pace_ms > 0) {
		struct timespec ts = {0, 0};
		double ms = pace_ms * (rand_r(&seed) / (double)RAND_MAX);
		ts.tv_sec = (time_t)(ms / 1e3);
		ts.tv_nsec = (long)((ms - ts.tv_sec * 1e3) * 1e6);
		nanosleep(&ts, NULL);
	}
	double *lat = malloc(MAX_SAMPLES * sizeof *lat);
	long backend = server_pid(st);
	double cpu0 = own_cpu_ms(), server0 = proc_cpu_ms(backend);
	for (long round = 0; now_ms() < until; round++, wait_pace(pace_ms, &seed)) {
		int64_t id;
		double t0 = now_ms();
		if (register_one(&clerk, desk, round, &id, &err) != XF_OK) {
			t.failed++;
			fprintf(stderr, "desk %d register: %s\n", desk, err.msg);
			continue;
		}
		double t1 = now_ms();
		t.registered++;
		if (t.n < MAX_SAMPLES)
			lat[t.n++] = t1 - t0;
		/* Every fourth round, the item a neighbour of the branch may be about to transfer too. */
		int64_t prev = round % 4 == 3 ? previous_in_branch(&head, id) : 0;
		int64_t target = prev > 0 ? prev : id;
		t1 = now_ms();
		int rc = transfer_one(&head, target, &err);
		double t2 = now_ms();
		if (t.n < MAX_SAMPLES)
			lat[t.n++] = t2 - t1;
		if (rc == XF_OK) {
			t.transferred++;
			t.contested_won += target != id;
		} else if (already_transferred(&head, target)) {
			t.contested_lost++; /* another desk's head took it first: one winner */
		} else {
			t.failed++;
			fprintf(stderr, "desk %d transfer: %s\n", desk, err.msg);
		}
		/* Our own item stays queued when we tried the neighbour's: transfer it now. */
		if (target != id) {
			if (transfer_one(&head, id, &err) == XF_OK) {
				t.transferred++;
			} else if (already_transferred(&head, id)) {
				t.contested_lost++; /* the desk after ours took it first: one winner */
			} else {
				t.failed++;
				fprintf(stderr, "desk %d transfer: %s\n", desk, err.msg);
			}
		}
	}
	t.client_cpu_ms = own_cpu_ms() - cpu0;
	double server1 = proc_cpu_ms(backend);
	t.server_cpu_ms = server0 >= 0 && server1 >= 0 ? server1 - server0 : -1;
	session_close(&clerk);
	session_close(&head);
	store_close(st);
	FILE *f = fopen(out, "wb");
	if (f == NULL || fwrite(&t, sizeof t, 1, f) != 1 || fwrite(lat, sizeof *lat, (size_t)t.n, f) != (size_t)t.n ||
	    fclose(f) != 0)
		die("tally", out);
	free(lat);
	return 0;
}

/* Sorts doubles. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The p-th percentile of sorted values. */
static double pct(const double *v, int n, int p)
{
	return n ? v[(long)(n - 1) * p / 100] : 0;
}

/* One integer a query returns. */
static int64_t query_int(const char *db, const char *sql)
{
	struct xf_db *c;
	struct xf_db_stmt *stmt;
	struct xf_err err;
	if (xf_db_open(db, NULL, &c, &err) != XF_OK || xf_db_prepare(c, sql, &stmt, &err) != XF_OK)
		die(sql, err.msg);
	int64_t v = xf_db_step(stmt) == XF_DB_ROW ? xf_db_column_int64(stmt, 0) : -1;
	xf_db_finalize(stmt);
	xf_db_close(c);
	return v;
}

/* Prints a check and notes a failure. */
static void check(bool ok, const char *what, long got, long want, int *failures)
{
	printf("check\t%s\t%ld\t%ld\t%s\n", what, got, want, ok ? "ok" : "FAILED");
	*failures += !ok;
}

/* Makes the store and the desks' accounts, runs the desks, checks the record. */
int main(int argc, char **argv)
{
	const char *db = NULL;
	int desks = 20, seconds = 60, branches = 0, pace_ms = 0;
	static const struct option options[] = {{"db", required_argument, NULL, 'd'},
	                                        {"desks", required_argument, NULL, 'n'},
	                                        {"seconds", required_argument, NULL, 's'},
	                                        {"branches", required_argument, NULL, 'b'},
	                                        {"pace", required_argument, NULL, 'p'},
	                                        {NULL, 0, NULL, 0}};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'd')
			db = optarg;
		else if (opt == 'n')
			desks = atoi(optarg);
		else if (opt == 's')
			seconds = atoi(optarg);
		else if (opt == 'b')
			branches = atoi(optarg);
		else if (opt == 'p')
			pace_ms = atoi(optarg);
		else
			desks = -1;
	}
	/* Without --db: a new file of its own, removed afterwards. */
	char tmpdir[] = "/tmp/xinfang-desks-db-XXXXXX";
	char *own = NULL;
	if (db == NULL && desks >= 0) {
		if (mkdtemp(tmpdir) == NULL)
			die("mkdtemp", tmpdir);
		db = own = xasprintf("%s/desks.db", tmpdir);
	}
	if (db == NULL || desks < 2 || desks > 200 || seconds < 1 || branches < 0 || branches > 1000 || pace_ms < 0) {
		fprintf(stderr, "usage: xinfang-desks [--db LOCATOR] [--desks 2..200] [--seconds N] [--branches 1..1000] "
		                "[--pace MS]\n");
		return 2;
	}
	clock_set_today_iso("2026-11-20", NULL);
	struct xf_store *st;
	struct xf_session admin;
	struct xf_err err;
	if (store_open(db, &st, &err) != XF_OK ||
	    setup_init_mode(st, paths_datadir(), "admin", "secret1", XF_INIT_TRAINING, &admin, &err) != XF_OK)
		die("init", err.msg);
	/* The branches under the store's own, then each desk's clerk and head in its branch. */
	for (int b = 0; b < branches; b++) {
		char code[16], name[64];
		snprintf(code, sizeof code, "B%03d", b);
		snprintf(name, sizeof name, "第%d分行", b);
		int64_t bid;
		if (branch_add(&admin, code, name, NULL, &bid, &err) != XF_OK)
			die("branch", err.msg);
	}
	for (int i = 0; i < desks; i++) {
		char c[32], h[32], code[16] = "";
		snprintf(c, sizeof c, "clerk%d", i);
		snprintf(h, sizeof h, "head%d", i);
		if (branches > 0)
			snprintf(code, sizeof code, "B%03d", i % branches);
		if (auth_user_add_in(&admin, c, "operator", "王丽", "", code, "secret1", &err) != XF_OK ||
		    auth_user_add_in(&admin, h, "head", "李建国", "", code, "secret1", &err) != XF_OK)
			die("accounts", err.msg);
	}
	session_close(&admin);
	store_close(st);

	char dir[] = "/tmp/xinfang-desks-XXXXXX";
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", dir);
	double until = now_ms() + seconds * 1e3;
	pid_t *pids = calloc((size_t)desks, sizeof *pids);
	for (int i = 0; i < desks; i++) {
		char *out = xasprintf("%s/desk%d", dir, i);
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(run_desk(db, i, branches, pace_ms, until, out));
		free(out);
	}
	int failures = 0;
	for (int i = 0; i < desks; i++) {
		int status;
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failures++;
	}
	struct tally sum = {0};
	long *per_branch = calloc((size_t)branches + 1, sizeof *per_branch); /* items registered by each branch's desks */
	double *lat = NULL;
	int nlat = 0;
	for (int i = 0; i < desks; i++) {
		char *out = xasprintf("%s/desk%d", dir, i);
		FILE *f = fopen(out, "rb");
		struct tally t;
		if (f && fread(&t, sizeof t, 1, f) == 1) {
			lat = xrealloc(lat, (size_t)(nlat + t.n) * sizeof *lat);
			if (fread(lat + nlat, sizeof *lat, (size_t)t.n, f) == (size_t)t.n)
				nlat += t.n;
			sum.registered += t.registered;
			if (t.branch >= 0 && t.branch < branches)
				per_branch[t.branch] += t.registered;
			sum.transferred += t.transferred;
			sum.contested_won += t.contested_won;
			sum.contested_lost += t.contested_lost;
			sum.failed += t.failed;
			sum.login_retries += t.login_retries;
			sum.client_cpu_ms += t.client_cpu_ms;
			sum.server_cpu_ms = sum.server_cpu_ms < 0 || t.server_cpu_ms < 0 ? -1 : sum.server_cpu_ms + t.server_cpu_ms;
		} else {
			failures++;
		}
		if (f)
			fclose(f);
		unlink(out);
		free(out);
	}
	rmdir(dir);
	qsort(lat, (size_t)nlat, sizeof *lat, cmp_double);
	printf("desks\t%d\tseconds\t%d\tbackend\t%s\tbranches\t%d\tpace_ms\t%d\n", desks, seconds,
	       strstr(db, "://") || strstr(db, "service=") ? "postgresql" : "sqlite", branches, pace_ms);
	printf("moves\t%d\tper_s\t%.1f\tmedian_ms\t%.1f\tp90_ms\t%.1f\tp99_ms\t%.1f\n", nlat, nlat / (double)seconds,
	       pct(lat, nlat, 50), pct(lat, nlat, 90), pct(lat, nlat, 99));
	printf("contested\twon\t%ld\tlost\t%ld\n", sum.contested_won, sum.contested_lost);
	printf("login_retries\t%ld\n", sum.login_retries);
	/* processor time per move: the desks' own, and their server processes' when on this machine */
	if (sum.server_cpu_ms >= 0 && strstr(db, "://"))
		printf("cpu_ms_per_move\tdesk\t%.2f\tserver\t%.2f\n", nlat ? sum.client_cpu_ms / nlat : 0,
		       nlat ? sum.server_cpu_ms / nlat : 0);
	else
		printf("cpu_ms_per_move\tdesk\t%.2f\n", nlat ? sum.client_cpu_ms / nlat : 0);
	int64_t cases = query_int(db, "SELECT count(*) FROM cases");
	/* Numbers per branch per year: in every branch as many distinct numbers as cases, the
	 * highest equal to the count (no gap, no duplicate); summed over the branches. */
	int64_t top = query_int(db, "SELECT coalesce(sum(m), 0) FROM (SELECT max(seq) AS m FROM cases WHERE year = 2026 "
	                            "GROUP BY branch) t");
	int64_t distinct = query_int(db, "SELECT coalesce(sum(d), 0) FROM (SELECT count(DISTINCT seq) AS d FROM cases "
	                                 "WHERE year = 2026 GROUP BY branch) t");
	int64_t numbers = query_int(db, "SELECT count(DISTINCT number) FROM cases");
	int64_t transfers = query_int(db, "SELECT count(*) FROM transfers");
	int64_t twice = query_int(db, "SELECT count(*) FROM (SELECT case_id FROM transfers GROUP BY case_id HAVING count(*) > 1) t");
	int64_t transferred = query_int(db, "SELECT count(*) FROM cases WHERE state = 'transferred'");
	check(sum.failed == 0, "refused_moves", sum.failed, 0, &failures);
	check(cases == sum.registered, "cases_registered", (long)cases, sum.registered, &failures);
	check(top == cases && distinct == cases && numbers == cases, "numbers_gapless", (long)distinct, (long)top,
	      &failures);
	/* Every branch holds exactly what its desks registered, nothing in the store's own. */
	if (branches > 0) {
		long wrong = 0;
		int64_t in_own = query_int(db, "SELECT count(*) FROM cases WHERE branch = 1");
		for (int b = 0; b < branches; b++) {
			char *sql = xasprintf("SELECT count(*) FROM cases c JOIN branches b ON b.id = c.branch "
			                      "WHERE b.code = 'B%03d'", b);
			wrong += query_int(db, sql) != per_branch[b];
			free(sql);
		}
		check(wrong == 0 && in_own == 0, "cases_in_own_branch", wrong + (long)in_own, 0, &failures);
	}
	check(twice == 0, "transferred_twice", (long)twice, 0, &failures);
	check(transfers == sum.transferred && transferred == sum.transferred, "transfers_kept", (long)transfers,
	      sum.transferred, &failures);
	free(lat);
	free(per_branch);
	free(pids);
	if (own) {
		char *rm = xasprintf("rm -rf '%s'", tmpdir);
		if (system(rm) != 0)
			fprintf(stderr, "xinfang-desks: could not remove %s\n", tmpdir);
		free(rm);
		free(own);
	}
	return failures ? 1 : 0;
}

/* The push's figures: a generated branch of N cases (its own SQLite file) pushed to a new head
 * office (an SQLite file, or the empty PostgreSQL database --to names), then pushed again with
 * nothing new, then after ten more cases. Figures, never a pass or a fail.
 *
 *   xinfang-push-bench [--cases N] [--to LOCATOR] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "generate.h"
#include "xinfang/auth.h"
#include "xinfang/branch.h"
#include "xinfang/paths.h"
#include "xinfang/push.h"
#include "xinfang/setup.h"
#include "xinfang/store.h"

/* Milliseconds of a monotonic clock. */
static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Milliseconds of this process's CPU (user and system). */
static double cpu_ms(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

/* Says what failed and stops. */
static void die(const char *what, const char *msg)
{
	fprintf(stderr, "xinfang-push-bench: %s: %s\n", what, msg);
	exit(1);
}

/* A new training store at locator with its own branch's code; an admin session on it. */
static struct xf_store *make_store(const char *locator, const char *code, const char *name, struct xf_session *s)
{
	struct xf_store *st;
	struct xf_err err;
	if (store_open(locator, &st, &err) != XF_OK ||
	    setup_init_mode(st, paths_datadir(), "admin", "secret1", XF_INIT_TRAINING, s, &err) != XF_OK ||
	    branch_set_own(st, "admin", code, name, &err) != XF_OK)
		die(locator, err.msg);
	return st;
}

/* Times one push and prints it. */
static void timed_push(struct xf_session *s, const char *to, const char *label)
{
	struct xf_push_result r;
	struct xf_err err;
	double t0 = now_ms(), c0 = cpu_ms();
	if (push_run(s, to, false, &r, &err) != XF_OK)
		die("push", err.msg);
	double ms = now_ms() - t0, cpu = cpu_ms() - c0;
	double load[1] = {0};
	getloadavg(load, 1);
	printf("%-28s %8.0f ms (%.0f ms of CPU here)  records %lld..%lld, %ld batches, %ld rows, %llu round trips (load %.2f)\n",
	       label, ms, cpu, (long long)r.held + 1, (long long)r.head, r.batches, r.rows, (unsigned long long)r.round_trips,
	       load[0]);
}

/* Entry point. */
int main(int argc, char **argv)
{
	long cases = 10000;
	const char *to = NULL;
	static const struct option options[] = {
		{"cases", required_argument, NULL, 'c'}, {"to", required_argument, NULL, 't'}, {NULL, 0, NULL, 0}};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'c')
			cases = atol(optarg);
		else if (opt == 't')
			to = optarg;
		else
			die("usage", "xinfang-push-bench [--cases N] [--to LOCATOR]");
	}
	char dir[] = "/tmp/xinfang-push-bench-XXXXXX";
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", "failed");
	char branch_db[600], hq_db[600];
	snprintf(branch_db, sizeof branch_db, "%s/branch.db", dir);
	snprintf(hq_db, sizeof hq_db, "%s/hq.db", dir);
	if (to == NULL)
		to = hq_db;
	setenv("XINFANG_ANCHOR", dir, 0);
	struct xf_session hq_s, s;
	struct xf_err err;
	struct xf_store *hq = make_store(to, "HQ", "总行", &hq_s);
	if (branch_add(&hq_s, "BJ01", "北京分行", NULL, NULL, &err) != XF_OK)
		die("branch add", err.msg);
	session_close(&hq_s);
	store_close(hq);
	struct xf_store *st = make_store(branch_db, "BJ01", "北京分行", &s);
	struct gen g = {&s, 20261120u, 0, 0, 0};
	double t0 = now_ms();
	if (gen_cases(&g, cases, &err) != XF_OK)
		die("generate", err.msg);
	printf("branch of %ld cases generated in %.1f s (%s), head office %s\n", cases, (now_ms() - t0) / 1e3, branch_db,
	       to);
	timed_push(&s, to, "first push");
	timed_push(&s, to, "repeated push (nothing new)");
	if (gen_cases(&g, 10, &err) != XF_OK)
		die("generate", err.msg);
	timed_push(&s, to, "push of 10 more cases");
	session_close(&s);
	store_close(st);
	return 0;
}

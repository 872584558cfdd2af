/* Case numbers under real concurrent processes on one file: no gaps, no duplicates. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xinfang/clock.h"
#include "xinfang/setup.h"

enum { DESKS = 4, EACH = 30 };

/* One desk: its own connection, its own login, EACH registrations. */
static int desk(const char *db, int n)
{
	struct xf_store *st;
	struct xf_err err;
	struct xf_session s;
	if (store_open(db, &st, &err) != XF_OK || auth_login(st, "clerk", "secret1", &s, &err) != XF_OK) {
		fprintf(stderr, "desk %d: %s\n", n, err.msg);
		return 1;
	}
	for (int i = 0; i < EACH; i++) {
		struct xf_fields f;
		char summary[64];
		snprintf(summary, sizeof summary, "第 %d 号窗口第 %d 件", n, i);
		fields_from(&f, "channel=来电", "category=咨询", "name=并发测试", NULL);
		fields_set(&f, "summary", summary);
		char number[32];
		struct xf_err warn;
		int rc = case_register(&s, &f, number, &warn, &err);
		fields_free(&f);
		if (rc != XF_OK) {
			fprintf(stderr, "desk %d: %s\n", n, err.msg);
			return 1;
		}
	}
	session_close(&s);
	store_close(st);
	return 0;
}

/* DESKS processes register at once; the numbers are exactly 1..DESKS*EACH. */
static void concurrent_desks(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	pid_t pids[DESKS];
	for (int d = 0; d < DESKS; d++) {
		pids[d] = fork();
		assert_true(pids[d] >= 0);
		if (pids[d] == 0)
			_exit(desk(fx.db, d));
	}
	for (int d = 0; d < DESKS; d++) {
		int status;
		assert_int_equal(waitpid(pids[d], &status, 0), pids[d]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(fx.st, "cases", NULL, NULL, &rows, &err), XF_OK);
	assert_int_equal(rows.n, DESKS * EACH);
	bool seen[DESKS * EACH + 1] = {false};
	for (size_t i = 0; i < rows.n; i++) {
		int seq = atoi(fields_str(&rows.v[i], "seq"));
		assert_true(seq >= 1 && seq <= DESKS * EACH);
		assert_false(seen[seq]);
		seen[seq] = true;
		char want[32];
		snprintf(want, sizeof want, "2026年第%04d号", seq);
		assert_string_equal(fields_str(&rows.v[i], "number"), want);
	}
	rows_free(&rows);
	/* One audit event per registration. */
	assert_int_equal(store_list(fx.st, "audit", "action", "register", &rows, &err), XF_OK);
	assert_int_equal(rows.n, DESKS * EACH);
	rows_free(&rows);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(concurrent_desks)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

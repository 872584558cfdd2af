/* Helpers shared by the unit tests: temporary stores, sessions, running the real binary. */
#ifndef XINFANG_TESTUTIL_H
#define XINFANG_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <cmocka.h>

#include "xinfang/auth.h"
#include "xinfang/case.h"
#include "xinfang/store.h"

/* A fresh training store (the tests set its date) in its own temporary directory, with admin, clerk, head and a handler of
 * 个人金融部 (all with password "secret1"). */
struct fixture {
	char dir[256];
	char db[300];
	struct xf_store *st;
	struct xf_session admin, clerk, head, handler;
	bool own_database; /* db is a database the fixture made on the cluster (dropped at close) */
};

/* True when the suite runs on PostgreSQL (meson test --setup pg): the fixture's store is then a
 * new database of the cluster tests/pg/with_cluster.sh started, fx->db its locator. */
bool test_on_pg(void);
/* A new, empty database of that cluster named after a temporary directory, its locator into
 * out; test_pg_drop drops it. */
void test_pg_database(const char *dir, char *out, size_t size);
void test_pg_drop(const char *locator);
/* Beside with_cluster.sh --standby: kills the primary (its postmaster and every server process,
 * SIGKILL), and promotes the standby (waiting until it takes writes). */
void test_pg_kill_primary(void);
void test_pg_promote(void);
/* Creates the fixture (today set to `today`, ISO). */
void fixture_open(struct fixture *fx, const char *today);
/* The same at a locator (a PostgreSQL database's URI; NULL: a temporary file). */
void fixture_open_at(struct fixture *fx, const char *today, const char *locator);
void fixture_close(struct fixture *fx);
/* Registers a simple case as the clerk and returns its id; extra is "key=value" pairs. */
int64_t fixture_case(struct fixture *fx, const char *first, ...);
/* The same as the account of s (a branch's clerk), the number into number_out when not NULL. */
int64_t fixture_case_by(struct xf_session *s, char number_out[32], const char *first, ...);
int64_t fixture_case_va(struct xf_session *s, char number_out[32], const char *first, va_list ap);
/* Does a move with "key=value" pairs (ending with NULL); fails the test when refused. */
void fixture_move(struct xf_session *s, int64_t id, enum xf_move mv, const char *first, ...);
/* Counts audit rows of a case. */
long fixture_audit_count(struct fixture *fx, int64_t id);
/* A case's state key. */
const char *fixture_state(struct fixture *fx, int64_t id, char buf[32]);
/* Builds fields from "key=value" strings ending with NULL. */
void fields_from(struct xf_fields *f, const char *first, ...);
void fields_from_va(struct xf_fields *f, const char *first, va_list ap);

/* A store made at schema `version` (an older program's), holding the channel 来访 and the
 * category 服务态度, with cases inserted as that program stored them: one per "summary|name|phone"
 * entry (NULL-terminated), numbered 2025年第0001号 on; then migrated to this build's version. */
void fixture_old_store(const char *path, int version, const char *const *cases, struct xf_store **st);

/* The result of running the xinfang binary. */
struct run_result {
	int status;   /* exit code, or -1 when killed */
	char out[65536];
	char err[16384];
};
/* Runs $XINFANG_BIN with argv (NULL-terminated) and extra environment "K=V" entries. */
void run_xinfang(struct run_result *r, const char *const *env, const char *const *argv);
/* Starts $XINFANG_BIN with argv and extra environment in the background, its output thrown
 * away; returns its pid for the caller to wait for (or kill). */
pid_t spawn_xinfang(const char *const *env, const char *const *argv);
/* True when user nobody (65534) can read the file (tried through setpriv; the tests run as
 * root). */
bool nobody_can_read(const char *path);
/* Runs a shell command line (a tool such as pdftotext) and returns its standard output, a new
 * string; the exit status goes into *status when not NULL. */
char *run_capture(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A copy of text with every space, tab and newline taken out (text extracted from a PDF breaks
 * lines where the page does). */
char *squeeze_spaces(const char *text);
/* The directory of the source tree's data files ($XINFANG_DATA). */
const char *test_datadir(void);

#endif

/* xinfang-bench: the desk's hot paths on N cases, each against raw SQLite doing the same work
 * on the same file, or, with --db naming a PostgreSQL database, against raw libpq doing the same
 * queries on the same server. Prints op<TAB>cases<TAB>xinfang_ms<TAB>raw_ms<TAB>ratio (medians). */
#include <getopt.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../tui/harness.h"
#include "core/store_db.h"
#include "floor.h"
#include "generate.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/csv.h"
#include "xinfang/desk.h"
#include "xinfang/ledger.h"
#include "xinfang/oversight.h"
#include "xinfang/paths.h"
#include "xinfang/report.h"
#include "xinfang/search.h"
#include "xinfang/setup.h"
#include "xinfang/verify.h"

static const char *today_iso = "2026-11-20";

/* Milliseconds, monotonic, as a double. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Sorts doubles. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The median of n timings. */
static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* What one measured operation does, on each side. */
struct op {
	const char *name;
	int repeat;
	void (*xinfang)(void *ctx, int i);
	void (*raw)(void *ctx, int i); /* NULL: no raw counterpart */
};

/* Everything the operations need. */
struct bench {
	struct xf_session s;
	struct xf_session handler; /* 个人金融部's handler: searches through the mask */
	struct xf_session clerk;   /* with --branches: a clerk of the first branch (its status bar) */
	bool has_clerk;
	char clerk_branch[24];     /* that branch's id, as the raw side binds it */
	char due_to[3][11];        /* the limits list's last due dates (transfer, handle, reply) */
	sqlite3 *db;  /* the raw side on an SQLite file */
	PGconn *pg;   /* ... or on a PostgreSQL database */
	char *pg_sql[64]; /* the raw statements prepared on pg, by text ("r0", "r1" ...) */
	int pg_n;
	long cases;
	unsigned seed;
	char **numbers; /* sample of existing numbers, ids, ID numbers, phones */
	int64_t *ids;
	char **idns;
	char **phones;
	int samples;
};

/* Fails the run with a message. */
static void die(const char *what, const char *msg)
{
	fprintf(stderr, "xinfang-bench: %s: %s\n", what, msg);
	exit(1);
}

/* The raw statement's name on the server, prepared once per text as the store's are ($N for ?N). */
static const char *pg_prepared(struct bench *b, const char *sql)
{
	static char name[16];
	int k = 0;
	while (k < b->pg_n && strcmp(b->pg_sql[k], sql) != 0)
		k++;
	snprintf(name, sizeof name, "r%d", k);
	if (k < b->pg_n)
		return name;
	if (k == (int)(sizeof b->pg_sql / sizeof b->pg_sql[0]))
		die("raw", "too many raw statements");
	int n;
	char *text = xf_db_pg_placeholders(sql, &n);
	PGresult *r = PQprepare(b->pg, name, text, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die(text, PQerrorMessage(b->pg));
	PQclear(r);
	free(text);
	b->pg_sql[b->pg_n++] = xstrdup(sql);
	return name;
}

/* Runs raw SQL with text parameters to its end, reading every value as the store does: through
 * sqlite3 on a file, through libpq's prepared statements on PostgreSQL. */
static void raw_query(struct bench *b, const char *sql, int n, const char *const *params)
{
	if (b->pg) {
		PGresult *r = PQexecPrepared(b->pg, pg_prepared(b, sql), n, params, NULL, NULL, 0);
		ExecStatusType status = PQresultStatus(r);
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
			die(sql, PQerrorMessage(b->pg));
		for (int row = 0; row < PQntuples(r); row++)
			for (int c = 0; c < PQnfields(r); c++)
				(void)PQgetvalue(r, row, c);
		PQclear(r);
		return;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(b->db));
	for (int k = 0; k < n; k++)
		sqlite3_bind_text(st, k + 1, params[k], -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int c = 0; c < sqlite3_column_count(st); c++)
			(void)sqlite3_column_text(st, c);
	sqlite3_finalize(st);
}

/* raw_query with no parameters. */
static void raw_sql(struct bench *b, const char *sql)
{
	raw_query(b, sql, 0, NULL);
}

/* Prepares raw SQL or dies. */
static sqlite3_stmt *raw_prepare(struct bench *b, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(b->db));
	return st;
}

/* The status bar's seven counts as a session's desk reads them. */
static void status_of(struct xf_session *s)
{
	struct xf_status_counts c;
	struct xf_err err;
	if (case_status_counts(s, &c, &err) != XF_OK)
		die("status", err.msg);
}

/* status: the seven counts of the status bar. */
static void x_status(void *ctx, int i)
{
	(void)i;
	status_of(&((struct bench *)ctx)->s);
}

/* The status bar's seven counts as conditions on cases. */
static const char *const status_conditions[] = {
	"state = 'queued' AND due_transfer >= '0000-00-00' AND due_transfer <= '2026-11-19'",
	"state = 'queued' AND due_transfer >= '2026-11-20' AND due_transfer <= '2026-11-21'",
	"state IN ('queued', 'transferred') AND due_handle >= '0000-00-00' AND due_handle <= '2026-11-19'",
	"state IN ('queued', 'transferred') AND due_handle >= '2026-11-20' AND due_handle <= '2026-11-22'",
	"state IN ('queued', 'transferred', 'reported') AND due_reply >= '0000-00-00' AND due_reply <= '2026-11-19'",
	"state IN ('queued', 'transferred', 'reported') AND due_reply >= '2026-11-20' AND due_reply <= '2026-11-25'",
	"state = 'queued' AND due_transfer >= '0000-00-00' AND due_transfer <= '9999-99-99'",
};

/* The seven counts as raw SQL, over one branch's cases (its id) or every case (NULL). */
static void raw_status(struct bench *b, const char *branch)
{
	for (size_t k = 0; k < sizeof status_conditions / sizeof status_conditions[0]; k++) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE %s%s", branch ? "branch = $1 AND " : "",
		         status_conditions[k]);
		raw_query(b, sql, branch ? 1 : 0, &branch);
	}
}

/* The same counts as raw SQL. */
static void r_status(void *ctx, int i)
{
	(void)i;
	raw_status(ctx, NULL);
}

/* status_branch: the status bar of a branch's clerk (a store spread over branches). */
static void x_status_branch(void *ctx, int i)
{
	(void)i;
	status_of(&((struct bench *)ctx)->clerk);
}

/* The same counts as raw SQL over the cases of that branch. */
static void r_status_branch(void *ctx, int i)
{
	(void)i;
	struct bench *b = ctx;
	raw_status(b, b->clerk_branch);
}

/* The store's cases spread over n new branches B0000..: each case in one at random, numbered
 * and chained as that branch's desk would; a clerk of B0000 made for its status bar. */
static struct xf_branch *make_branches(struct bench *b, int n)
{
	struct xf_branch *v = xcalloc((size_t)n, sizeof *v);
	struct xf_err err;
	for (int k = 0; k < n; k++) {
		char code[16], name[64];
		snprintf(code, sizeof code, "B%04d", k);
		snprintf(name, sizeof name, "第%d分行", k);
		if (branch_add(&b->s, code, name, NULL, &v[k].id, &err) != XF_OK || branch_get(b->s.st, v[k].id, &v[k], &err) != XF_OK)
			die("branch", err.msg);
	}
	if (auth_user_add_in(&b->s, "bench-clerk", "operator", "王丽", "", "B0000", "secret1", &err) != XF_OK)
		die("clerk", err.msg);
	return v;
}

/* queue: the head's queue. */
static void x_queue(void *ctx, int i)
{
	(void)i;
	struct bench *b = ctx;
	struct xf_rows rows;
	struct xf_err err;
	if (desk_queue(&b->s, &rows, &err) != XF_OK)
		die("queue", err.msg);
	rows_free(&rows);
}

/* The queue's rows as raw SQL. */
static void r_queue(void *ctx, int i)
{
	(void)i;
	struct bench *b = ctx;
	raw_sql(b, "SELECT c.id, c.number, c.state, c.received, c.received_time, c.channel, "
	                       "coalesce(p.name, ''), c.category, substr(c.summary, 1, 60), c.due_transfer, c.importance, "
	                       "coalesce((SELECT r.reason FROM returns r WHERE r.case_id = c.id ORDER BY r.id DESC LIMIT 1), '') "
	                       "FROM cases c LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 "
	                       "WHERE c.state = 'queued' ORDER BY c.due_transfer, c.id LIMIT 500");
	raw_sql(b, "SELECT c.id, c.number FROM extensions e JOIN cases c ON c.id = e.case_id "
	           "WHERE e.decision = 'pending' ORDER BY e.id LIMIT 500");
}

/* lookup_number: a case by its number. */
static void x_number(void *ctx, int i)
{
	struct bench *b = ctx;
	int64_t id;
	struct xf_err err;
	if (case_find(&b->s, b->numbers[i % b->samples], &id, &err) != XF_OK)
		die("lookup_number", err.msg);
}

/* The same lookup as raw SQL. */
static void r_number(void *ctx, int i)
{
	struct bench *b = ctx;
	int year, seq;
	case_parse_number(b->numbers[i % b->samples], &year, &seq, NULL);
	char y[16], q[16];
	snprintf(y, sizeof y, "%d", year);
	snprintf(q, sizeof q, "%d", seq);
	raw_query(b, "SELECT id FROM cases WHERE year = ?1 AND seq = ?2", 2, (const char *[]){y, q});
}

/* view: everything about a case, as the case screen shows it. */
static void x_view(void *ctx, int i)
{
	struct bench *b = ctx;
	struct xf_fields v;
	struct xf_err err;
	if (case_view(&b->s, b->ids[i % b->samples], &v, &err) != XF_OK)
		die("view", err.msg);
	fields_free(&v);
}

/* The same reads as raw SQL. */
static void r_view(void *ctx, int i)
{
	struct bench *b = ctx;
	static const char *const sql[] = {
		"SELECT * FROM cases WHERE id = ?1",        "SELECT * FROM petitioners WHERE case_id = ?1",
		"SELECT * FROM transfers WHERE case_id = ?1", "SELECT * FROM outcomes WHERE case_id = ?1",
		"SELECT * FROM replies WHERE case_id = ?1", "SELECT * FROM instructions WHERE case_id = ?1",
		"SELECT * FROM returns WHERE case_id = ?1", "SELECT * FROM extensions WHERE case_id = ?1",
		"SELECT * FROM urgings WHERE case_id = ?1", "SELECT * FROM materials WHERE case_id = ?1",
		"SELECT * FROM closures WHERE case_id = ?1", "SELECT * FROM links WHERE case_id = ?1",
	};
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)b->ids[i % b->samples]);
	for (size_t k = 0; k < sizeof sql / sizeof sql[0]; k++)
		raw_query(b, sql[k], 1, (const char *[]){id});
}

/* A petitioner lookup by one column, on either side. */
static void lookup(struct bench *b, const char *column, const char *value, bool raw)
{
	if (!raw) {
		struct xf_fields f;
		fields_init(&f);
		fields_set(&f, column, value);
		struct xf_rows rows;
		struct xf_err err;
		if (case_repeat_matches(&b->s, &f, 0, &rows, &err) != XF_OK)
			die(column, err.msg);
		rows_free(&rows);
		fields_free(&f);
		return;
	}
	char sql[300];
	snprintf(sql, sizeof sql,
	         "SELECT DISTINCT c.id, c.number, c.state, c.received, p.name FROM petitioners p "
	         "JOIN cases c ON c.id = p.case_id WHERE p.%s = ?1 AND p.%s <> '' ORDER BY c.received, c.id",
	         column, column);
	raw_query(b, sql, 1, (const char *[]){value});
}

/* lookup_id: earlier cases of an ID number. */
static void x_idn(void *ctx, int i) { struct bench *b = ctx; lookup(b, "id_number", b->idns[i % b->samples], false); }
static void r_idn(void *ctx, int i) { struct bench *b = ctx; lookup(b, "id_number", b->idns[i % b->samples], true); }
/* lookup_phone: earlier cases of a phone number. */
static void x_phone(void *ctx, int i) { struct bench *b = ctx; lookup(b, "phone", b->phones[i % b->samples], false); }
static void r_phone(void *ctx, int i) { struct bench *b = ctx; lookup(b, "phone", b->phones[i % b->samples], true); }

/* register: one registration with its audit record, in one transaction. */
static void x_register(void *ctx, int i)
{
	struct bench *b = ctx;
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "channel", "来访");
	fields_set(&f, "category", "服务态度");
	fields_set(&f, "name", "测试人");
	fields_set(&f, "phone", "13800000000");
	fields_set(&f, "summary", "柜员态度冷淡，排队等候超过一小时，要求道歉并改进服务。");
	char number[32];
	struct xf_err err, warn;
	if (case_register(&b->s, &f, number, &warn, &err) != XF_OK)
		die("register", err.msg);
	fields_free(&f);
	(void)i;
}

/* The first value of the first row raw SQL returns, into out (a short text). */
static void raw_value(struct bench *b, const char *sql, int n, const char *const *params, char *out, size_t cap)
{
	out[0] = '\0';
	if (b->pg) {
		PGresult *r = PQexecPrepared(b->pg, pg_prepared(b, sql), n, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
			die(sql, PQerrorMessage(b->pg));
		snprintf(out, cap, "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		return;
	}
	sqlite3_stmt *st = raw_prepare(b, sql);
	for (int k = 0; k < n; k++)
		sqlite3_bind_text(st, k + 1, params[k], -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		die(sql, sqlite3_errmsg(b->db));
	snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Runs a transaction's BEGIN or COMMIT raw (SQLite's writer takes the lock at BEGIN). */
static void raw_tx(struct bench *b, bool begin)
{
	if (b->pg) {
		PGresult *r = PQexec(b->pg, begin ? "BEGIN" : "COMMIT");
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			die("raw transaction", PQerrorMessage(b->pg));
		PQclear(r);
	} else if (sqlite3_exec(b->db, begin ? "BEGIN IMMEDIATE" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		die("raw transaction", sqlite3_errmsg(b->db));
	}
}

/* The same rows written with raw SQL in one transaction. */
static void r_register(void *ctx, int i)
{
	struct bench *b = ctx;
	raw_tx(b, true);
	char seq[24], id[24];
	raw_value(b, "INSERT INTO number_seq(year, last) VALUES (2026, 1) "
	             "ON CONFLICT(branch, year) DO UPDATE SET last = number_seq.last + 1 RETURNING last", 0, NULL, seq, sizeof seq);
	char number[32];
	case_format_number(2026, atoi(seq), number);
	raw_value(b, "INSERT INTO cases(year, seq, number, state, received, channel, category, summary, ruleset, "
	             "due_transfer, due_handle, due_reply, orig_due_handle, orig_due_reply, created_by, created_at) "
	             "VALUES (2026, ?1, ?2, 'queued', '2026-11-20', '来访', '服务态度', "
	             "'柜员态度冷淡，排队等候超过一小时，要求道歉并改进服务。', 'seed', '2026-11-23', '2026-11-27', "
	             "'2026-12-21', '2026-11-27', '2026-12-21', 'admin', '2026-11-20 10:00:00') RETURNING id",
	          2, (const char *[]){seq, number}, id, sizeof id);
	raw_query(b, "INSERT INTO petitioners(case_id, ord, name, phone) VALUES (?1, 0, '测试人', '13800000000')", 1,
	          (const char *[]){id});
	raw_query(b, "INSERT INTO audit(id, at, operator, action, case_id, before, after) "
	             "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM audit), '2026-11-20 10:00:00', 'admin', "
	             "'register', ?1, '{}', '{\"number\":\"x\"}')", 1, (const char *[]){id});
	raw_tx(b, false);
	(void)i;
}

/* The columns a search result shows, as raw SQL reads them for the nearest equivalent. */
#define RAW_RESULT "SELECT c.id, c.number, c.received, c.state, c.category, c.channel, c.department, " \
	"c.importance, coalesce(p.name, ''), c.summary FROM cases c " \
	"LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 "

/* A first page of search results through xinfang, as the session s. */
static void search_page_as(struct xf_session *s, const char *words)
{
	struct xf_search q;
	memset(&q, 0, sizeof q);
	q.words = words;
	struct xf_rows rows;
	bool more;
	struct xf_err err;
	if (search_cases(s, &q, &rows, &more, &err) != XF_OK)
		die("search", err.msg);
	rows_free(&rows);
}

/* A first page of search results through xinfang, as the office. */
static void search_page(struct bench *b, const char *words) { search_page_as(&b->s, words); }

/* How many cases a search finds, to the screens' cap, as the session s. */
static void search_total_as(struct xf_session *s, const char *words)
{
	struct xf_search q;
	memset(&q, 0, sizeof q);
	q.words = words;
	long total;
	struct xf_err err;
	if (search_count(s, &q, XF_SEARCH_COUNT_CAP, &total, &err) != XF_OK)
		die("search_count", err.msg);
}

/* search_word: a two-character word of the texts (盗刷), first page. */
static void x_search_word(void *ctx, int i) { (void)i; search_page(ctx, "盗刷"); }
/* The nearest raw equivalent: a LIKE scan of the summaries, newest first. */
static void r_search_word(void *ctx, int i)
{
	(void)i;
	raw_sql(ctx, RAW_RESULT "WHERE c.summary LIKE '%盗刷%' ORDER BY c.received DESC, c.id DESC LIMIT 21");
}

/* search_count: how many cases hold 盗刷, to the screens' cap (the desk's "共 N 件"). */
static void x_search_count(void *ctx, int i)
{
	(void)i;
	search_total_as(&((struct bench *)ctx)->s, "盗刷");
}
/* The nearest raw equivalent: a LIKE scan counting to the same cap. */
static void r_search_count(void *ctx, int i)
{
	(void)i;
	raw_sql(ctx, "SELECT count(*) FROM (SELECT 1 FROM cases c WHERE c.summary LIKE '%盗刷%' LIMIT 1001) t");
}

/* search_filtered: a word a third of the cases hold with filters that leave few (卡 from one
 * department, category and channel), first page: the index's filter tokens at work. */
static void x_search_filtered(void *ctx, int i)
{
	(void)i;
	struct bench *b = ctx;
	struct xf_search q;
	memset(&q, 0, sizeof q);
	q.words = "卡";
	q.department = "信贷管理部";
	q.category = "表扬";
	q.channel = "意见簿";
	struct xf_rows rows;
	bool more;
	struct xf_err err;
	if (search_cases(&b->s, &q, &rows, &more, &err) != XF_OK)
		die("search_filtered", err.msg);
	rows_free(&rows);
}
/* The nearest raw equivalent: the filters through the cases, the word through LIKE. */
static void r_search_filtered(void *ctx, int i)
{
	(void)i;
	raw_sql(ctx, RAW_RESULT "WHERE c.department = '信贷管理部' AND c.category = '表扬' AND "
	                                    "c.channel = '意见簿' AND c.summary LIKE '%卡%' "
	                                    "ORDER BY c.received DESC, c.id DESC LIMIT 21");
}

/* search_word_handler: 盗刷 as 个人金融部's handler, first page: their department's cases, each
 * candidate checked through the mask. */
static void x_search_word_handler(void *ctx, int i)
{
	(void)i;
	search_page_as(&((struct bench *)ctx)->handler, "盗刷");
}
/* search_count_handler: how many of them, to the cap, as the handler. */
static void x_search_count_handler(void *ctx, int i)
{
	(void)i;
	search_total_as(&((struct bench *)ctx)->handler, "盗刷");
}
/* The nearest raw equivalent of both: the department's summaries through LIKE, to the cap. */
static void r_search_dept(void *ctx, int i)
{
	(void)i;
	raw_sql(ctx, "SELECT count(*) FROM (SELECT 1 FROM cases c WHERE c.department = '个人金融部' "
	             "AND c.summary LIKE '%盗刷%' LIMIT 1001) t");
}

/* search_name: a fragment of a petitioner's name (the given name 建华), first page. */
static void x_search_name(void *ctx, int i) { (void)i; search_page(ctx, "建华"); }
/* The nearest raw equivalent: a LIKE scan of the names, newest first. */
static void r_search_name(void *ctx, int i)
{
	(void)i;
	raw_sql(ctx, RAW_RESULT "WHERE p.name LIKE '%建华%' ORDER BY c.received DESC, c.id DESC LIMIT 21");
}

/* search_rare: a word no case holds (the whole index answers "none"). */
static void x_search_rare(void *ctx, int i) { (void)i; search_page(ctx, "骚扰"); }
/* The nearest raw equivalent: a LIKE scan that finds nothing. */
static void r_search_rare(void *ctx, int i)
{
	(void)i;
	raw_sql(ctx, RAW_RESULT "WHERE c.summary LIKE '%骚扰%' ORDER BY c.received DESC, c.id DESC LIMIT 21");
}

/* stats_year: every figure of the statistics page for 2025. */
static void x_stats_year(void *ctx, int i)
{
	(void)i;
	struct bench *b = ctx;
	struct xf_stats st;
	struct xf_err err;
	if (report_stats(&b->s, "2025-01-01", "2025-12-31", &st, &err) != XF_OK)
		die("stats_year", err.msg);
	report_free(&st);
}
/* The nearest raw equivalent: the counts by the five axes and the on-time sums in one query. */
static void r_stats_year(void *ctx, int i)
{
	(void)i;
	raw_sql(ctx, "SELECT channel, category, department, importance, state, count(*), "
	             "count(*) FILTER (WHERE transferred_on <> '' AND transferred_on <= due_transfer), "
	             "count(*) FILTER (WHERE reported_on <> '' AND reported_on <= due_handle), "
	             "count(*) FILTER (WHERE replied_on <> '' AND replied_on <= due_reply) FROM cases "
	             "WHERE received BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY 1, 2, 3, 4, 5");
}

/* due_across: the head office's limits list across every branch, its first page. */
static void x_due_across(void *ctx, int i)
{
	(void)i;
	struct bench *b = ctx;
	struct xf_rows rows;
	bool more;
	struct xf_err err;
	if (oversight_due(&b->s, 0, XF_OVERSIGHT_PAGE, &rows, &more, &err) != XF_OK)
		die("due_across", err.msg);
	rows_free(&rows);
}

/* One limit's pending cases due by $N, earliest first, as the raw side asks for them. */
#define RAW_DUE_ONE(col, kind, states, p)                                                                         \
	"SELECT * FROM (SELECT id, number, state, " col " AS due, " kind " AS kind, branch, anonymous FROM cases WHERE " \
	states " AND " col " <= " p " ORDER BY " col ", branch, id LIMIT 51) AS k" kind

/* The same first page as raw SQL: each limit's earliest pending cases, merged by date, with the
 * branch and the first petitioner's name (no mask). */
static const char raw_due_across_sql[] =
	"SELECT c.number, c.due, c.kind, b.code, b.name, coalesce(p.name, '') FROM ("
	RAW_DUE_ONE("due_handle", "1", "state IN ('queued', 'transferred')", "?2") " UNION ALL "
	RAW_DUE_ONE("due_reply", "2", "state IN ('queued', 'transferred', 'reported')", "?3") " UNION ALL "
	RAW_DUE_ONE("due_transfer", "0", "state = 'queued'", "?1")
	") c JOIN branches b ON b.id = c.branch LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 "
	"ORDER BY c.due, c.kind, c.branch, c.id LIMIT 50";

/* The raw side of due_across. */
static void r_due_across(void *ctx, int i)
{
	(void)i;
	struct bench *b = ctx;
	raw_query(b, raw_due_across_sql, 3, (const char *[]){b->due_to[0], b->due_to[1], b->due_to[2]});
}

/* stats_branch: a year's statistics by branch (the league table) over every branch. */
static void x_stats_branch(void *ctx, int i)
{
	(void)i;
	struct bench *b = ctx;
	struct xf_league lg;
	struct xf_err err;
	if (report_league(&b->s, "2025-01-01", "2025-12-31", NULL, &lg, &err) != XF_OK)
		die("stats_branch", err.msg);
	report_league_free(&lg);
}

/* The nearest raw equivalent: stats_year's counts and on-time sums, by branch too. */
static void r_stats_branch(void *ctx, int i)
{
	(void)i;
	raw_sql(ctx, "SELECT branch, channel, category, department, importance, state, count(*), "
	             "count(*) FILTER (WHERE transferred_on <> '' AND transferred_on <= due_transfer), "
	             "count(*) FILTER (WHERE reported_on <> '' AND reported_on <= due_handle), "
	             "count(*) FILTER (WHERE replied_on <> '' AND replied_on <= due_reply) FROM cases "
	             "WHERE received BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY 1, 2, 3, 4, 5, 6");
}

/* Times one side of an operation; returns the median in ms. */
static double time_side(void (*fn)(void *, int), void *ctx, int repeat)
{
	double *t = xmalloc((size_t)repeat * sizeof *t);
	fn(ctx, 0); /* warm the cache and the statements' first use */
	for (int i = 0; i < repeat; i++) {
		double start = now_ms();
		fn(ctx, i + 1);
		t[i] = now_ms() - start;
	}
	double m = median(t, repeat);
	free(t);
	return m;
}

/* Prints one result line. */
static void report(const char *op, long cases, double x, double r)
{
	if (r > 0)
		printf("%s\t%ld\t%.3f\t%.3f\t%.2f\n", op, cases, x, r, x / r);
	else
		printf("%s\t%ld\t%.3f\t-\t-\n", op, cases, x);
	fflush(stdout);
}

/* The joins the raw side of export writes out. */
static const char raw_export_sql[] =
	"SELECT c.*, p.name, p.gender, p.age, p.id_type, p.id_number, p.phone, p.address, p.work_unit, "
	"t.co_departments, t.handler, t.instruction, t.leader, t.opinion, t.deadline, "
	"o.findings, o.accountability, o.rectification, o.satisfaction, o.handled_on, o.handler, o.dept_head, "
	"o.contact_phone, r.method, r.content, k.reason, k.advice, k.voluntary "
	"FROM cases c LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 "
	"LEFT JOIN transfers t ON t.id = (SELECT max(id) FROM transfers WHERE case_id = c.id) "
	"LEFT JOIN outcomes o ON o.id = (SELECT max(id) FROM outcomes WHERE case_id = c.id) "
	"LEFT JOIN replies r ON r.id = (SELECT max(id) FROM replies WHERE case_id = c.id) "
	"LEFT JOIN closures k ON k.id = (SELECT max(id) FROM closures WHERE case_id = c.id) "
	"ORDER BY c.received, c.year, c.seq";

/* Writes one CSV field as the raw side does: always quoted, quotes doubled. */
static void raw_field(FILE *out, const char *v, bool first)
{
	fputs(first ? "\"" : ",\"", out);
	for (; v && *v; v++) {
		if (*v == '"')
			fputc('"', out);
		fputc(*v, out);
	}
	fputc('"', out);
}

/* The raw side of export: the same joins written out as UTF-8 CSV by hand (every field quoted,
 * quotes doubled), no masking, no GB18030. */
static void raw_export(struct bench *b, const char *path)
{
	FILE *out = fopen(path, "wb");
	if (out == NULL)
		die("raw export", path);
	sqlite3_stmt *st = raw_prepare(b, raw_export_sql);
	int n = sqlite3_column_count(st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			raw_field(out, (const char *)sqlite3_column_text(st, i), i == 0);
		fputs("\r\n", out);
	}
	sqlite3_finalize(st);
	fclose(out);
}

/* A whole file in memory (its length in *len), or the run dies. */
static char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		die("raw import", path);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = xmalloc(*len + 1);
	if (fread(text, 1, *len, f) != *len)
		die("raw import", "short read");
	fclose(f);
	return text;
}

/* The export's columns the raw import reads, as xf_ledger_columns orders them. */
static const char *const raw_import_keys[] = {"number", "received", "channel", "category", "summary",
                                              "department", "due_transfer", "due_handle", "due_reply",
                                              "created_at", "name", "id_number", "phone", "address"};

/* Where each of raw_import_keys is in the export. */
static void raw_import_columns(size_t col[16])
{
	for (size_t k = 0; k < sizeof raw_import_keys / sizeof raw_import_keys[0]; k++)
		for (size_t i = 0; i < xf_ledger_column_count; i++)
			if (strcmp(xf_ledger_columns[i].key, raw_import_keys[k]) == 0)
				col[k] = i;
}

/* The raw side of import: the export's rows read with the same CSV reader and inserted with
 * prepared statements (case, petitioner, one audit row each) in one transaction. */
static void raw_import(sqlite3 *db, const char *path)
{
	size_t len;
	char *text = read_whole(path, &len);
	struct xf_err err;
	struct xf_csv csv;
	struct xf_csv_record rec;
	memset(&rec, 0, sizeof rec);
	csv_init(&csv, text, len);
	csv_next(&csv, &rec, &err); /* header */
	sqlite3_stmt *ic, *ip, *ia;
	sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO cases(year, seq, number, state, received, channel, category, summary, "
	                       "department, ruleset, due_transfer, due_handle, due_reply, orig_due_handle, orig_due_reply, "
	                       "created_by, created_at) VALUES (?1, ?2, ?3, 'closed', ?4, ?5, ?6, ?7, ?8, 'seed', ?9, ?10, "
	                       "?11, ?10, ?11, 'admin', ?12)",
	                   -1, &ic, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO petitioners(case_id, ord, name, id_number, phone, address) "
	                       "VALUES (?1, 0, ?2, ?3, ?4, ?5)", -1, &ip, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO audit(id, at, operator, action, case_id, before, after) "
	                       "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM audit), '2026-11-20 10:00:00', 'admin', "
	                       "'import', ?1, '{}', ?2)", -1, &ia, NULL);
	size_t col[16];
	raw_import_columns(col);
	while (csv_next(&csv, &rec, &err) == 1) {
		int year, seq;
		case_parse_number(csv_field(&rec, col[0]), &year, &seq, NULL);
		sqlite3_bind_int(ic, 1, year);
		sqlite3_bind_int(ic, 2, seq);
		for (int k = 0; k < 10; k++)
			sqlite3_bind_text(ic, 3 + k, csv_field(&rec, col[k]), -1, SQLITE_STATIC);
		if (sqlite3_step(ic) != SQLITE_DONE)
			die("raw import", sqlite3_errmsg(db));
		sqlite3_reset(ic);
		sqlite3_int64 id = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(ip, 1, id);
		for (int k = 0; k < 4; k++)
			sqlite3_bind_text(ip, 2 + k, csv_field(&rec, col[10 + k]), -1, SQLITE_STATIC);
		sqlite3_step(ip);
		sqlite3_reset(ip);
		sqlite3_bind_int64(ia, 1, id);
		sqlite3_bind_text(ia, 2, csv_field(&rec, col[0]), -1, SQLITE_STATIC);
		sqlite3_step(ia);
		sqlite3_reset(ia);
	}
	sqlite3_finalize(ic);
	sqlite3_finalize(ip);
	sqlite3_finalize(ia);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("raw import", sqlite3_errmsg(db));
	csv_record_free(&rec);
	free(text);
}

/* A new initialised store at path with an admin session. */
static void fresh_store(const char *path, struct xf_store **st, struct xf_session *s)
{
	struct xf_err err;
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	unlink(path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	if (store_open(path, st, &err) != XF_OK || setup_init_mode(*st, paths_datadir(), "admin", "secret1", XF_INIT_TRAINING, s, &err) != XF_OK)
		die("import store", err.msg);
}

/* Processor time of this process in ms: on a shared machine the wall clock also counts others. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Prints an operation's rows per second, by the wall clock and by processor time, from the
 * timings of its runs on each side. */
static void report_rates(const char *op, long cases, long rows, double *tx, double *tr, double *cx, double *cr,
                         int runs)
{
	double x = median(tx, runs), r = median(tr, runs);
	report(op, cases, x, r);
	printf("%s_rows_per_s\t%ld\t%.0f\t%.0f\t-\n", op, cases, rows / (x / 1e3), rows / (r / 1e3));
	x = median(cx, runs);
	r = median(cr, runs);
	printf("%s_cpu_rows_per_s\t%ld\t%.0f\t%.0f\t-\n", op, cases, rows / (x / 1e3), rows / (r / 1e3));
}

/* Times `runs` exports of the whole ledger (GB18030) to csv and the raw side's to raw_csv, into
 * the wall clock and processor time arrays, and prints them; the rows exported. */
static long time_export(struct bench *b, const char *csv, const char *raw_csv, int runs,
                        void (*raw)(struct bench *, const char *), double *tx, double *tr, double *cx, double *cr)
{
	struct xf_err err;
	long rows = 0;
	for (int i = 0; i < runs; i++) {
		struct xf_export opts = {NULL, NULL, XF_LEDGER_CSV, "GB18030", csv, NULL, NULL, NULL, NULL};
		double start = now_ms(), cpu = cpu_ms();
		if (ledger_export(&b->s, &opts, &rows, &err) != XF_OK)
			die("export", err.msg);
		tx[i] = now_ms() - start;
		cx[i] = cpu_ms() - cpu;
		start = now_ms();
		cpu = cpu_ms();
		raw(b, raw_csv);
		tr[i] = now_ms() - start;
		cr[i] = cpu_ms() - cpu;
	}
	report_rates("export", b->cases, rows, tx, tr, cx, cr, runs);
	return rows;
}

/* export and import: the whole ledger out (GB18030 CSV) and into a new store, each against raw
 * SQLite; medians of `runs` in ms, and rows per second. */
static void bench_ledger(struct bench *b, const char *dir, int runs)
{
	char *csv = xasprintf("%s/ledger.csv", dir), *raw_csv = xasprintf("%s/raw.csv", dir),
	     *utf8 = xasprintf("%s/ledger-utf8.csv", dir), *imp = xasprintf("%s/import.db", dir);
	double *tx = xcalloc((size_t)runs, sizeof *tx), *tr = xcalloc((size_t)runs, sizeof *tr);
	double *cx = xcalloc((size_t)runs, sizeof *cx), *cr = xcalloc((size_t)runs, sizeof *cr);
	double *tf = xcalloc((size_t)runs, sizeof *tf), *cf = xcalloc((size_t)runs, sizeof *cf);
	struct xf_floor *floor = NULL;
	struct xf_err err;
	long rows = time_export(b, csv, raw_csv, runs, raw_export, tx, tr, cx, cr);
	struct xf_export opts8 = {NULL, NULL, XF_LEDGER_CSV, "UTF-8", utf8, NULL, NULL, NULL, NULL};
	if (ledger_export(&b->s, &opts8, &rows, &err) != XF_OK)
		die("export", err.msg);
	for (int i = 0; i < runs; i++) {
		struct xf_store *st;
		struct xf_session s;
		fresh_store(imp, &st, &s);
		struct xf_import_report rep;
		double start = now_ms(), cpu = cpu_ms();
		if (ledger_import(&s, csv, false, NULL, NULL, &rep, &err) != XF_OK)
			die("import", rep.nproblems ? rep.problems[0].msg : err.msg);
		tx[i] = now_ms() - start;
		cx[i] = cpu_ms() - cpu;
		import_report_free(&rep);
		session_close(&s);
		store_close(st);
		/* The floor: what the import wrote, written again with nothing more than it needs. */
		if (floor == NULL)
			floor = floor_load(imp, csv);
		fresh_store(imp, &st, &s);
		session_close(&s);
		store_close(st);
		sqlite3 *fdb;
		if (sqlite3_open_v2(imp, &fdb, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
			die("floor", imp);
		sqlite3_exec(fdb, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;", NULL, NULL,
		             NULL);
		start = now_ms();
		cpu = cpu_ms();
		floor_write(floor, fdb);
		tf[i] = now_ms() - start;
		cf[i] = cpu_ms() - cpu;
		sqlite3_close(fdb);
		fresh_store(imp, &st, &s);
		session_close(&s);
		store_close(st);
		sqlite3 *db;
		if (sqlite3_open_v2(imp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
			die("raw import", imp);
		sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL);
		start = now_ms();
		cpu = cpu_ms();
		raw_import(db, utf8);
		tr[i] = now_ms() - start;
		cr[i] = cpu_ms() - cpu;
		sqlite3_close(db);
	}
	report_rates("import", b->cases, rows, tx, tr, cx, cr, runs);
	/* Against the floor (the same rows, snapshots, chain, index and counts): wall and CPU. */
	report("import_vs_floor", b->cases, median(tx, runs), median(tf, runs));
	report("import_cpu_vs_floor", b->cases, median(cx, runs), median(cf, runs));
	fflush(stdout);
	floor_free(floor);
	free(tf);
	free(cf);
	unlink(csv);
	unlink(raw_csv);
	unlink(utf8);
	free(tx);
	free(tr);
	free(cx);
	free(cr);
	free(csv);
	free(raw_csv);
	free(utf8);
	free(imp);
}

/* ---- the ledger on PostgreSQL ---- */

/* The raw side of export on PostgreSQL: the same joins, rows one at a time (libpq's single-row
 * mode, as the store reads them), written out as raw_export writes them. */
static void raw_export_pg(struct bench *b, const char *path)
{
	PGconn *pg = b->pg;
	FILE *out = fopen(path, "wb");
	if (out == NULL)
		die("raw export", path);
	if (!PQsendQuery(pg, raw_export_sql) || !PQsetSingleRowMode(pg))
		die("raw export", PQerrorMessage(pg));
	PGresult *r;
	while ((r = PQgetResult(pg)) != NULL) {
		ExecStatusType status = PQresultStatus(r);
		if (status == PGRES_SINGLE_TUPLE) {
			for (int i = 0; i < PQnfields(r); i++)
				raw_field(out, PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i), i == 0);
			fputs("\r\n", out);
		} else if (status != PGRES_TUPLES_OK) {
			die("raw export", PQerrorMessage(pg));
		}
		PQclear(r);
	}
	fclose(out);
}

/* Drops the server's notices ("database ... does not exist, skipping"). */
static void quiet_notice(void *arg, const char *message)
{
	(void)arg, (void)message;
}

/* Runs a command on a raw connection or dies. */
static void pg_command(PGconn *pg, const char *sql)
{
	PGresult *r = PQexec(pg, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		die(sql, PQerrorMessage(pg));
	PQclear(r);
}

/* Prepares a raw statement (?N written as $N) on a connection or dies. */
static void pg_prepare_as(PGconn *pg, const char *name, const char *sql)
{
	char *text = xf_db_pg_placeholders(sql, NULL);
	PGresult *r = PQprepare(pg, name, text, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die(text, PQerrorMessage(pg));
	PQclear(r);
	free(text);
}

/* The raw side of import on PostgreSQL: raw_import's rows (case, petitioner, one audit row each)
 * by prepared statements in one transaction, a round trip each, as a program would write them. */
static void raw_import_pg(const char *locator, const char *path)
{
	PGconn *pg = PQconnectdb(locator);
	if (PQstatus(pg) != CONNECTION_OK)
		die("raw import", PQerrorMessage(pg));
	size_t len;
	char *text = read_whole(path, &len);
	struct xf_err err;
	struct xf_csv csv;
	struct xf_csv_record rec;
	memset(&rec, 0, sizeof rec);
	csv_init(&csv, text, len);
	csv_next(&csv, &rec, &err); /* header */
	pg_command(pg, "BEGIN");
	pg_prepare_as(pg, "ic", "INSERT INTO cases(year, seq, number, state, received, channel, category, summary, "
	                        "department, ruleset, due_transfer, due_handle, due_reply, orig_due_handle, orig_due_reply, "
	                        "created_by, created_at) VALUES (?1, ?2, ?3, 'closed', ?4, ?5, ?6, ?7, ?8, 'seed', ?9, ?10, "
	                        "?11, ?10, ?11, 'admin', ?12) RETURNING id");
	pg_prepare_as(pg, "ip", "INSERT INTO petitioners(case_id, ord, name, id_number, phone, address) "
	                        "VALUES (?1, 0, ?2, ?3, ?4, ?5)");
	pg_prepare_as(pg, "ia", "INSERT INTO audit(id, at, operator, action, case_id, before, after) "
	                        "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM audit), '2026-11-20 10:00:00', 'admin', "
	                        "'import', ?1, '{}', ?2)");
	size_t col[16];
	raw_import_columns(col);
	while (csv_next(&csv, &rec, &err) == 1) {
		int year, seq;
		case_parse_number(csv_field(&rec, col[0]), &year, &seq, NULL);
		char y[16], q[16];
		snprintf(y, sizeof y, "%d", year);
		snprintf(q, sizeof q, "%d", seq);
		const char *vc[12] = {y, q};
		for (int k = 0; k < 10; k++)
			vc[2 + k] = csv_field(&rec, col[k]);
		PGresult *r = PQexecPrepared(pg, "ic", 12, vc, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			die("raw import", PQerrorMessage(pg));
		char id[24];
		snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		const char *vp[5] = {id};
		for (int k = 0; k < 4; k++)
			vp[1 + k] = csv_field(&rec, col[10 + k]);
		r = PQexecPrepared(pg, "ip", 5, vp, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			die("raw import", PQerrorMessage(pg));
		PQclear(r);
		const char *va[2] = {id, csv_field(&rec, col[0])};
		r = PQexecPrepared(pg, "ia", 2, va, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			die("raw import", PQerrorMessage(pg));
		PQclear(r);
	}
	pg_command(pg, "COMMIT");
	csv_record_free(&rec);
	free(text);
	PQfinish(pg);
}

/* The locator of another database on the same server: a URI's database replaced, or a
 * keyword locator's given after it (the later keyword wins). */
static char *pg_sibling(const char *locator, const char *dbname)
{
	const char *scheme = strstr(locator, "://");
	if (scheme == NULL)
		return xasprintf("%s dbname=%s", locator, dbname);
	const char *path = strchr(scheme + 3, '/');
	const char *query = strchr(scheme + 3, '?');
	if (path == NULL || (query && path > query))
		path = query ? query : locator + strlen(locator);
	const char *rest = query ? query : path + strlen(path);
	return xasprintf("%.*s/%s%s", (int)(path - locator), locator, dbname, rest);
}

/* A new, empty database of that name on the store's server, made through the raw connection (one
 * of the same name dropped first), initialised as a store with an admin session. */
static void fresh_pg_store(PGconn *pg, const char *locator, const char *name, struct xf_store **st,
                           struct xf_session *s)
{
	char *sql = xasprintf("DROP DATABASE IF EXISTS \"%s\"", name);
	pg_command(pg, sql);
	free(sql);
	sql = xasprintf("CREATE DATABASE \"%s\"", name);
	pg_command(pg, sql);
	free(sql);
	struct xf_err err;
	if (store_open(locator, st, &err) != XF_OK ||
	    setup_init_mode(*st, paths_datadir(), "admin", "secret1", XF_INIT_TRAINING, s, &err) != XF_OK)
		die("import store", err.msg);
}

/* export and import on PostgreSQL: the whole ledger out of the store (GB18030 CSV) and (when
 * import is wanted) into a new database of the same server (`<database>_import`, dropped at the
 * end), each against raw libpq;
 * medians of `runs` in ms, and rows per second. No floor here: it is written by SQLite. */
static void bench_ledger_pg(struct bench *b, const char *locator, const char *dir, int runs, bool import)
{
	char *csv = xasprintf("%s/ledger.csv", dir), *raw_csv = xasprintf("%s/raw.csv", dir),
	     *utf8 = xasprintf("%s/ledger-utf8.csv", dir);
	char *name = xasprintf("%s_import", PQdb(b->pg));
	char *imp = pg_sibling(locator, name);
	double *tx = xcalloc((size_t)runs, sizeof *tx), *tr = xcalloc((size_t)runs, sizeof *tr);
	double *cx = xcalloc((size_t)runs, sizeof *cx), *cr = xcalloc((size_t)runs, sizeof *cr);
	struct xf_err err;
	long rows = time_export(b, csv, raw_csv, runs, raw_export_pg, tx, tr, cx, cr);
	struct xf_export opts8 = {NULL, NULL, XF_LEDGER_CSV, "UTF-8", utf8, NULL, NULL, NULL, NULL};
	if (import && ledger_export(&b->s, &opts8, &rows, &err) != XF_OK)
		die("export", err.msg);
	for (int i = 0; import && i < runs; i++) {
		struct xf_store *st;
		struct xf_session s;
		fresh_pg_store(b->pg, imp, name, &st, &s);
		struct xf_import_report rep;
		double start = now_ms(), cpu = cpu_ms();
		if (ledger_import(&s, csv, false, NULL, NULL, &rep, &err) != XF_OK)
			die("import", rep.nproblems ? rep.problems[0].msg : err.msg);
		tx[i] = now_ms() - start;
		cx[i] = cpu_ms() - cpu;
		import_report_free(&rep);
		session_close(&s);
		store_close(st);
		fresh_pg_store(b->pg, imp, name, &st, &s);
		session_close(&s);
		store_close(st);
		start = now_ms();
		cpu = cpu_ms();
		raw_import_pg(imp, utf8);
		tr[i] = now_ms() - start;
		cr[i] = cpu_ms() - cpu;
	}
	if (import)
		report_rates("import", b->cases, rows, tx, tr, cx, cr, runs);
	fflush(stdout);
	char *drop = xasprintf("DROP DATABASE IF EXISTS \"%s\"", name);
	pg_command(b->pg, drop);
	free(drop);
	unlink(csv);
	unlink(raw_csv);
	unlink(utf8);
	free(tx);
	free(tr);
	free(cx);
	free(cr);
	free(csv);
	free(raw_csv);
	free(utf8);
	free(name);
	free(imp);
}

/* The p-th percentile (0-100) of n timings, nearest rank. */
static double percentile(double *t, int n, int p)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	int rank = (p * n + 99) / 100;
	return t[rank > 0 ? rank - 1 : 0];
}

/* start: process start to the read that completed the desk's first frame, through a real pty:
 * the pty is read as its bytes come (no polling interval), so the figure is to the millisecond.
 * Median and p90 of `repeat` starts, and the median processor time of a desk (user and system,
 * from its start to its end just after the frame), which the load beside it changes less. */
static void time_start(const char *db, int repeat, double *med, double *p90, double *cpu)
{
	char dbenv[600];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", db);
	char today[64];
	snprintf(today, sizeof today, "XINFANG_TODAY=%s", today_iso);
	const char *env[] = {dbenv, today, "XINFANG_USER=admin", "XINFANG_PASSWORD=secret1", NULL};
	double *t = xmalloc((size_t)repeat * sizeof *t), *c = xmalloc((size_t)repeat * sizeof *c);
	for (int i = 0; i < repeat; i++) {
		struct term term;
		struct rusage before, after;
		getrusage(RUSAGE_CHILDREN, &before);
		double start = now_ms(), last = 0;
		term_start(&term, 24, 80, env, (const char *[]){NULL});
		/* Complete: the status bar is the last thing the frame draws before the menu. */
		while (!(term_find(&term, "信 访 工 作 台", NULL, NULL) && term_find(&term, "待批转", NULL, NULL))) {
			if (now_ms() - start > 10000)
				die("start", "the desk did not draw its first frame");
			if (term_read_some(&term, 100))
				last = now_ms();
		}
		t[i] = last - start;
		term_stop(&term, SIGTERM, 5000);
		term_free(&term);
		getrusage(RUSAGE_CHILDREN, &after);
		c[i] = (after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1e3 +
		       (after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e3;
	}
	*med = median(t, repeat);
	*p90 = percentile(t, repeat, 90);
	*cpu = median(c, repeat);
	free(t);
	free(c);
}

/* Whether an operation is among those --only names (all when it names none). */
static bool wanted(const char *only, const char *name)
{
	if (only == NULL)
		return true;
	size_t n = strlen(name);
	for (const char *p = only; (p = strstr(p, name)) != NULL; p += n)
		if ((p == only || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

/* Picks sample numbers, ids, ID numbers and phones from the store (read through the seam, on
 * either backend). */
static void sample(struct bench *b, const char *locator)
{
	b->samples = 200;
	b->numbers = xcalloc((size_t)b->samples, sizeof *b->numbers);
	b->ids = xcalloc((size_t)b->samples, sizeof *b->ids);
	b->idns = xcalloc((size_t)b->samples, sizeof *b->idns);
	b->phones = xcalloc((size_t)b->samples, sizeof *b->phones);
	struct xf_db *db;
	struct xf_db_stmt *st;
	struct xf_err err;
	if (xf_db_open(locator, NULL, &db, &err) != XF_OK ||
	    xf_db_prepare(db, "SELECT c.id, c.number, p.id_number, p.phone FROM cases c "
	                      "JOIN petitioners p ON p.case_id = c.id WHERE c.id = ?1", &st, &err) != XF_OK)
		die("sample", err.msg);
	for (int i = 0; i < b->samples; i++) {
		xf_db_reset(st);
		xf_db_bind_int64(st, 1, 1 + (int64_t)((unsigned)rand() % (unsigned)b->cases));
		if (xf_db_step(st) != XF_DB_ROW)
			die("sample", "no such case");
		b->ids[i] = xf_db_column_int64(st, 0);
		b->numbers[i] = xstrdup(xf_db_column_text(st, 1));
		b->idns[i] = xstrdup(xf_db_column_text(st, 2));
		b->phones[i] = xstrdup(xf_db_column_text(st, 3));
	}
	xf_db_finalize(st);
	xf_db_close(db);
}

/* Releases the samples. */
static void unsample(struct bench *b)
{
	for (int i = 0; i < b->samples; i++) {
		free(b->numbers[i]);
		free(b->idns[i]);
		free(b->phones[i]);
	}
	free(b->numbers);
	free(b->idns);
	free(b->phones);
	free(b->ids);
}

/* Checks that a session's status bar counts as many queued cases as raw SQL finds in one
 * branch (its id) or in all (NULL); prints the check, ends the run when it fails. */
static void check_queued(struct bench *b, struct xf_session *s, const char *branch, const char *what)
{
	struct xf_status_counts c;
	struct xf_err err;
	char want[24];
	if (case_status_counts(s, &c, &err) != XF_OK)
		die(what, err.msg);
	raw_value(b, branch ? "SELECT count(*) FROM cases WHERE branch = $1 AND state = 'queued'"
	                    : "SELECT count(*) FROM cases WHERE state = 'queued'",
	          branch ? 1 : 0, &branch, want, sizeof want);
	bool ok = c.pending_transfer == atol(want);
	printf("check\t%s\t%ld\t%s\t%s\n", what, c.pending_transfer, want, ok ? "ok" : "FAILED");
	if (!ok)
		die(what, "the status bar's count is not the branch's (or the branches') queue");
}

/* Checks the head office's limits list's first page against the raw query's rows: the same
 * cases (numbers), due dates and branches, in the same order; ends the run when they differ. */
static void check_due_across(struct bench *b)
{
	struct xf_rows rows;
	bool more;
	struct xf_err err;
	if (oversight_due(&b->s, 0, XF_OVERSIGHT_PAGE, &rows, &more, &err) != XF_OK)
		die("due_across", err.msg);
	const char *params[] = {b->due_to[0], b->due_to[1], b->due_to[2]};
	size_t n = 0, same = 0;
	if (b->pg) {
		PGresult *r = PQexecPrepared(b->pg, pg_prepared(b, raw_due_across_sql), 3, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			die("due_across raw", PQerrorMessage(b->pg));
		n = (size_t)PQntuples(r);
		for (size_t k = 0; k < n && k < rows.n; k++)
			same += strcmp(fields_str(&rows.v[k], "number"), PQgetvalue(r, (int)k, 0)) == 0 &&
			        strcmp(fields_str(&rows.v[k], "due"), PQgetvalue(r, (int)k, 1)) == 0 &&
			        strcmp(fields_str(&rows.v[k], "branch_name"), PQgetvalue(r, (int)k, 4)) == 0;
		PQclear(r);
	} else {
		sqlite3_stmt *st = raw_prepare(b, raw_due_across_sql);
		for (int k = 0; k < 3; k++)
			sqlite3_bind_text(st, k + 1, params[k], -1, SQLITE_STATIC);
		for (; sqlite3_step(st) == SQLITE_ROW; n++)
			if (n < rows.n)
				same += strcmp(fields_str(&rows.v[n], "number"), (const char *)sqlite3_column_text(st, 0)) == 0 &&
				        strcmp(fields_str(&rows.v[n], "due"), (const char *)sqlite3_column_text(st, 1)) == 0 &&
				        strcmp(fields_str(&rows.v[n], "branch_name"), (const char *)sqlite3_column_text(st, 4)) == 0;
		sqlite3_finalize(st);
	}
	/* A store spread over branches has work pending in more than one: the page must not be empty. */
	bool ok = n == rows.n && same == n && n > 0;
	printf("check\tdue_across_rows\t%zu\t%zu\t%s\n", rows.n, n, ok ? "ok" : "FAILED");
	rows_free(&rows);
	if (!ok)
		die("due_across", "the limits list's first page is not the raw query's rows");
}

/* Checks the year's statistics by branch against raw counts: every branch's cases received in
 * the year, and as many branches with cases as raw SQL finds; ends the run when they differ. */
static void check_stats_branch(struct bench *b)
{
	struct xf_league lg;
	struct xf_err err;
	if (report_league(&b->s, "2025-01-01", "2025-12-31", NULL, &lg, &err) != XF_OK)
		die("stats_branch", err.msg);
	long with_cases = 0, differing = 0, total = 0;
	for (size_t i = 0; i < lg.n; i++) {
		char id[24], want[24];
		snprintf(id, sizeof id, "%lld", (long long)lg.v[i].branch.id);
		raw_value(b, "SELECT count(*) FROM cases WHERE branch = $1 AND received BETWEEN '2025-01-01' AND '2025-12-31'",
		          1, (const char *[]){id}, want, sizeof want);
		differing += lg.v[i].st.received != atol(want);
		with_cases += lg.v[i].st.received > 0;
		total += lg.v[i].st.received;
	}
	char branches[24], all[24];
	raw_value(b, "SELECT count(DISTINCT branch) FROM cases WHERE received BETWEEN '2025-01-01' AND '2025-12-31'", 0,
	          NULL, branches, sizeof branches);
	raw_value(b, "SELECT count(*) FROM cases WHERE received BETWEEN '2025-01-01' AND '2025-12-31'", 0, NULL, all,
	          sizeof all);
	bool ok = differing == 0 && with_cases == atol(branches) && total == atol(all) && total > 0;
	printf("check\tstats_branch_received\t%ld in %ld branches\t%s in %s\t%s\n", total, with_cases, all, branches,
	       ok ? "ok" : "FAILED");
	report_league_free(&lg);
	if (!ok)
		die("stats_branch", "the figures by branch are not the branches' cases");
}

/* Peak resident memory in MB of this process, and of its largest child (the desks). */
static void rss(double *self, double *children)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	*self = ru.ru_maxrss / 1024.0;
	getrusage(RUSAGE_CHILDREN, &ru);
	*children = ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
	long cases = 10000;
	int repeat = 101, starts = 21, ledger_runs = 3;
	long backlog = 0; /* old cases left open: the neglected backlog variant */
	const char *keep = NULL;
	bool reuse = false;
	const char *only = NULL; /* comma-separated operations to run; NULL: all */
	int branches = 0;        /* the cases spread over this many branches (0: all the store's own) */
	static const struct option options[] = {{"cases", required_argument, NULL, 'n'},
	                                        {"repeat", required_argument, NULL, 'r'},
	                                        {"db", required_argument, NULL, 'd'},
	                                        {"reuse", no_argument, NULL, 'u'},
	                                        {"ledger-runs", required_argument, NULL, 'l'},
	                                        {"only", required_argument, NULL, 'o'},
	                                        {"starts", required_argument, NULL, 's'},
	                                        {"backlog", required_argument, NULL, 'b'},
	                                        {"branches", required_argument, NULL, 'B'},
	                                        {NULL, 0, NULL, 0}};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'n')
			cases = atol(optarg);
		else if (opt == 'r')
			repeat = atoi(optarg);
		else if (opt == 'd')
			keep = optarg;
		else if (opt == 'u')
			reuse = true;
		else if (opt == 'l')
			ledger_runs = atoi(optarg);
		else if (opt == 'o')
			only = optarg;
		else if (opt == 's')
			starts = atoi(optarg);
		else if (opt == 'b')
			backlog = atol(optarg);
		else if (opt == 'B')
			branches = atoi(optarg);
		else {
			fprintf(stderr, "usage: xinfang-bench --cases N [--repeat R] [--ledger-runs R] [--db PATH [--reuse]] "
			                "[--only OP,OP...] [--starts N] [--backlog N] [--branches N]\n");
			return 2;
		}
	}
	if (cases < 200 || repeat < 3 || ledger_runs < 1 || starts < 1 || backlog < 0 || backlog > cases / 2 || branches < 0 ||
	    branches > 9999) {
		fprintf(stderr, "xinfang-bench: --cases at least 200, --repeat at least 3, --backlog at most half the cases\n");
		return 2;
	}
	clock_set_today_iso(today_iso, NULL);
	/* Registration here runs in this process, which is not the build tree's program: it checks
	 * phones with the module beside the program it times. */
	const char *bin = getenv("XINFANG_BIN");
	if (getenv("XINFANG_PHONE_MODULE") == NULL && bin != NULL && strrchr(bin, '/') != NULL) {
		char *module = xasprintf("%.*s/xinfang-phone.so", (int)(strrchr(bin, '/') - bin), bin);
		setenv("XINFANG_PHONE_MODULE", module, 0);
		free(module);
	}
	/* The run's own files (the ledger's, the anchor of a PostgreSQL store) go in dir; the store
	 * too unless --db names one. */
	char dir[] = "/tmp/xinfang-bench-XXXXXX";
	char db[512];
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", "failed");
	if (keep)
		snprintf(db, sizeof db, "%s", keep);
	else
		snprintf(db, sizeof db, "%s/bench.db", dir);
	bool on_pg = xf_db_locator_is_pg(db);
	struct bench b;
	memset(&b, 0, sizeof b);
	b.cases = cases;
	struct xf_store *st;
	struct xf_err err;
	if (store_open(db, &st, &err) != XF_OK)
		die("open", err.msg);
	double gen_ms = 0, t0;
	if (reuse && keep) {
		/* A store an earlier run generated (--db): measured again, not made again. */
		if (store_migrate(st, 0, &err) != XF_OK || auth_login(st, "admin", "secret1", &b.s, &err) != XF_OK)
			die("reuse", err.msg);
	} else {
		if (setup_init_mode(st, paths_datadir(), "admin", "secret1", XF_INIT_TRAINING, &b.s, &err) != XF_OK)
			die("init", err.msg);
		struct gen g = {&b.s, 20261120u, 0, backlog, 0, NULL, branches};
		struct xf_branch *spread = branches > 0 ? make_branches(&b, branches) : NULL;
		g.branches = spread;
		t0 = now_ms();
		if (gen_cases(&g, cases, &err) != XF_OK)
			die("generate", err.msg);
		gen_ms = now_ms() - t0;
		free(spread);
	}
	/* A branch's clerk, when the store has one (made with --branches, found again on reuse). */
	if (auth_login(st, "bench-clerk", "secret1", &b.clerk, &err) == XF_OK) {
		b.has_clerk = true;
		snprintf(b.clerk_branch, sizeof b.clerk_branch, "%lld", (long long)b.clerk.op.branch);
	}
	/* The handler who searches through the mask: made once, found again on a reused store. */
	if (auth_login(st, "bench-handler", "secret1", &b.handler, &err) != XF_OK &&
	    (auth_user_add(&b.s, "bench-handler", "handler", "赵敏", "个人金融部", "secret1", &err) != XF_OK ||
	     auth_login(st, "bench-handler", "secret1", &b.handler, &err) != XF_OK))
		die("handler", err.msg);
	/* xinfang verify once over the generated store: every row against the trail, the chain
	 * (not on a reused store, which an older build may have made). */
	double verify_ms = -1;
	if (!reuse) {
		struct xf_verify v;
		char *no_anchor = on_pg ? xasprintf("%s/bench-anchor", dir) : xasprintf("%s.bench-anchor", db);
		t0 = now_ms();
		if (verify_store(st, XF_VERIFY_KEEP_ANCHOR | XF_VERIFY_NEW_ANCHOR, no_anchor, &v, &err) != XF_OK)
			die("verify", err.msg);
		verify_ms = now_ms() - t0;
		if (v.failures)
			die("verify", v.first);
		verify_free(&v);
		free(no_anchor);
	}
	if (on_pg) {
		/* The raw side: libpq itself, on the database the store's locator names. */
		b.pg = PQconnectdb(strstr(db, "://") || strstr(db, "service=") ? db : "");
		if (PQstatus(b.pg) != CONNECTION_OK)
			die("raw connect", PQerrorMessage(b.pg));
		PQsetNoticeProcessor(b.pg, quiet_notice, NULL);
		PQclear(PQexec(b.pg, "ANALYZE"));
	} else {
		if (sqlite3_open_v2(db, &b.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
			die("raw open", "failed");
		sqlite3_busy_timeout(b.db, 5000);
		sqlite3_exec(b.db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; ANALYZE;", NULL, NULL, NULL);
	}
	srand(1);
	sample(&b, db);
	char open_cases[24];
	raw_value(&b, "SELECT count(*) FROM cases WHERE state <> 'closed'", 0, NULL, open_cases, sizeof open_cases);
	printf("# xinfang-bench: %ld cases, %s of them open (generated in %.0f ms), medians of %d runs, on %s\n", cases,
	       open_cases, gen_ms, repeat, on_pg ? "PostgreSQL" : db);
	printf("# op\tcases\txinfang_ms\t%s_ms\tratio\n", on_pg ? "libpq" : "sqlite");
	/* The desk's start first: the raw side of register below writes cases and audit rows behind
	 * xinfang's back (no chain hash, no snapshot), as raw SQLite does, and a desk started after
	 * that rightly finds a trail it cannot vouch for. The store is a measuring store only. */
	double start_ms = -1, start_p90 = -1, start_cpu = -1;
	if (wanted(only, "start"))
		time_start(db, starts, &start_ms, &start_p90, &start_cpu);
	const struct op ops[] = {
		{"status", repeat, x_status, r_status},        {"status_branch", repeat, x_status_branch, r_status_branch},
		{"queue", repeat, x_queue, r_queue},
		{"lookup_number", repeat, x_number, r_number}, {"lookup_id", repeat, x_idn, r_idn},
		{"lookup_phone", repeat, x_phone, r_phone},    {"view", repeat, x_view, r_view},
		{"register", repeat, x_register, r_register},
		{"search_word", repeat, x_search_word, r_search_word},
		{"search_count", repeat, x_search_count, r_search_count},
		{"search_filtered", repeat, x_search_filtered, r_search_filtered},
		{"search_word_handler", repeat, x_search_word_handler, r_search_dept},
		{"search_count_handler", repeat, x_search_count_handler, r_search_dept},
		{"search_name", repeat, x_search_name, r_search_name},
		{"search_rare", repeat, x_search_rare, r_search_rare},
		{"stats_year", repeat < 21 ? repeat : 21, x_stats_year, r_stats_year},
		{"due_across", repeat, x_due_across, r_due_across},
		{"stats_branch", repeat < 21 ? repeat : 21, x_stats_branch, r_stats_branch},
	};
	/* The limits list's last due dates: today and the office's warning days, as the desk has them. */
	if (session_load_reference(&b.s, &err) != XF_OK)
		die("reference", err.msg);
	for (int k = 0; k < 3; k++)
		date_format(clock_today() + b.s.rules.warn_days[k], b.due_to[k]);
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (!wanted(only, ops[i].name) || (ops[i].xinfang == x_status_branch && !b.has_clerk))
			continue;
		double x = time_side(ops[i].xinfang, &b, ops[i].repeat);
		double r = ops[i].raw ? time_side(ops[i].raw, &b, ops[i].repeat) : 0;
		report(ops[i].name, cases, x, r);
	}
	/* A branch clerk's status bar counts its own branch only, the head office's (the admin's)
	 * every branch: each its queue as raw SQL counts it. */
	if (b.has_clerk) {
		check_queued(&b, &b.clerk, b.clerk_branch, "status_branch_queued");
		check_queued(&b, &b.s, NULL, "status_all_queued");
		if (wanted(only, "due_across"))
			check_due_across(&b);
		if (wanted(only, "stats_branch"))
			check_stats_branch(&b);
	}
	/* The ledger out of the store and into fresh stores (on a server: new databases there). */
	if ((wanted(only, "export") || wanted(only, "import")) && on_pg)
		bench_ledger_pg(&b, db, dir, ledger_runs, wanted(only, "import"));
	else if (wanted(only, "export") || wanted(only, "import"))
		bench_ledger(&b, dir, ledger_runs);
	if (start_ms >= 0) {
		report("start", cases, start_ms, 0);
		report("start_p90", cases, start_p90, 0);
		report("start_cpu", cases, start_cpu, 0);
	}
	if (verify_ms >= 0)
		report("verify", cases, verify_ms, 0);
	double self, children;
	rss(&self, &children);
	printf("peak_rss_desk_mb\t%ld\t%.1f\t-\t-\n", cases, children);
	printf("peak_rss_bench_mb\t%ld\t%.1f\t-\t-\n", cases, self);
	sqlite3_close(b.db);
	if (b.pg)
		PQfinish(b.pg);
	for (int k = 0; k < b.pg_n; k++)
		free(b.pg_sql[k]);
	unsample(&b);
	session_close(&b.handler);
	if (b.has_clerk)
		session_close(&b.clerk);
	session_close(&b.s);
	store_close(st);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "xinfang-bench: could not remove %s\n", dir);
		free(cmd);
	}
	return 0;
}

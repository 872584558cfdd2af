/* The PostgreSQL driver of the storage seam, over libpq loaded at the first use (pq_load.c).
 * Statements are prepared once per connection under generated names, parameters sent as text
 * of unknown type (the server infers it), results read as text one row at a time (single-row
 * mode: an export of a million rows never sits in memory whole). A write has the store alone
 * (an advisory lock), but cases' moves overlap one another (the lock shared, each locking only
 * what it needs); other connections' commits arrive by LISTEN/NOTIFY.
 *
 * A lost connection (a server restart, pg_terminate_backend, the network) is made again with the
 * same locator at the next use outside a transaction, LISTENing again; statements are prepared
 * again on the new connection when next run (kept statements survive). A loss found before a
 * statement is sent (the socket already says the server hung up) is healed before sending it: the
 * statement runs as if nothing happened. A loss found by a statement fails it with XF_DB_ELOST;
 * inside a transaction every later statement and the commit fail too until the caller rolls back
 * (that transaction is gone whole: nothing of it is ever carried onto the new connection). */
#include "store_db_driver.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_pq_load.h"
#include "xinfang/clock.h"

/* The channel every write transaction notifies at its commit. */
#define PG_CHANNEL "xinfang_changed"
/* The writers' advisory lock (per database): "xf" and the seam's version; exclusive for a
 * write that has the store alone, shared for a case's move (pg_begin_write_shared). */
#define PG_WRITER_LOCK INT64_C(0x7866000000000001)

/* Type OIDs read as numbers (pg_type.h): bool, int8, int2, int4, oid, float4, float8, numeric. */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_OID = 26, OID_FLOAT4 = 700,
       OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

/* A statement prepared on the connection: its SQL (as written, with ?N), its server-side name. */
struct pg_prep {
	char *sql;
	char name[24];
	int nparams;
	unsigned gen;   /* the connection it was last prepared on (pg_db.gen), 0: none yet */
	PGresult *desc; /* the columns, asked for only when wanted before a run */
	int refs;       /* statements open on it: never let go while any is */
	unsigned long used; /* when it was last asked for (pg_db.clock): the oldest unused goes first */
	struct pg_prep *next;
};

/* Buckets of the prepared statements by SQL text, and how many a connection keeps prepared on
 * the server at most: statements whose text varies (searches, a list's filters) would otherwise
 * pile up in the server's memory for as long as a desk stays connected. */
enum { PG_PREP_BUCKETS = 256, PG_PREP_KEEP = 256 };

struct pg_stmt;

/* A connection. */
struct pg_db {
	struct xf_db base;
	PGconn *conn;
	int pid;                 /* the server process: its own notifications are not news */
	bool in_txn;             /* a transaction begun here is open (or was, when the connection went) */
	bool committing;         /* its COMMIT is on its way */
	unsigned gen;            /* which connection this is: 1 at the open, one more at each reconnect */
	bool missed;             /* reconnected: other connections' commits meanwhile went unheard */
	bool ticking;            /* pg_changed is asked (a desk): reconnects never wait long */
	bool resetting;          /* a reconnect is under way, not waited for */
	char hung_up[160];       /* the server's last words when it ended the connection, or "" */
	PostgresPollingStatusType polling; /* what that reconnect waits for */
	struct pg_stmt *active;  /* the statement whose rows are arriving */
	struct pg_prep *preps[PG_PREP_BUCKETS];
	struct pg_prep *retired; /* prepared before the schema changed: kept for statements still open */
	unsigned nprep;          /* statements named so far (their names' numbers) */
	unsigned kept;           /* statements in preps */
	unsigned long clock;     /* counts the asks, for pg_prep.used */
};

/* A statement. */
struct pg_stmt {
	struct xf_db_stmt base;
	struct pg_prep *prep;
	char **vals;        /* parameters as text; NULL is SQL NULL */
	PGresult *row;      /* the current row (a single-row result) */
	PGresult *meta;     /* the final result: the columns when no row came */
	/* rows read ahead because another statement ran on the connection meanwhile */
	PGresult **ahead;
	size_t nahead, iahead, capahead;
	bool read_out;      /* every result of the run has been taken from the connection */
	enum xf_db_class ahead_cls; /* a failure found while reading ahead, said after its rows */
	char *ahead_detail;
};

/* The connection of a statement. */
static struct pg_db *pg_of(struct xf_db_stmt *st)
{
	return (struct pg_db *)st->db;
}

/* The seam's class of a failed result (res may be NULL). */
static enum xf_db_class pg_class(struct pg_db *d, const PGresult *res)
{
	if (PQstatus(d->conn) == CONNECTION_BAD)
		return XF_DB_ELOST;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (state == NULL)
		return res ? XF_DB_EOTHER : XF_DB_ELOST;
	static const struct {
		const char *prefix;
		enum xf_db_class cls;
	} map[] = {
		{"08", XF_DB_ELOST},      {"57P01", XF_DB_ELOST},   {"57P02", XF_DB_ELOST},
		{"57P03", XF_DB_ELOST},   {"23", XF_DB_ECONSTRAINT}, {"55P03", XF_DB_EBUSY},
		{"40001", XF_DB_EBUSY},   {"40P01", XF_DB_EBUSY},   {"53100", XF_DB_EFULL},
		{"42501", XF_DB_EPERM},   {"28", XF_DB_EPERM},      {"XX001", XF_DB_ECORRUPT},
		{"XX002", XF_DB_ECORRUPT}, {"58030", XF_DB_EIO},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strncmp(state, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].cls;
	return XF_DB_EOTHER;
}

/* Records the failure of a result (or of the connection when res is NULL), and for a lost
 * connection where it was lost; returns -1. */
static int pg_error(struct pg_db *d, const PGresult *res)
{
	enum xf_db_class cls = pg_class(d, res);
	d->base.lost = d->gen == 0 ? XF_DB_LOST_OPEN
	             : d->committing ? XF_DB_LOST_COMMIT
	             : d->in_txn ? XF_DB_LOST_TXN : XF_DB_LOST_IDLE;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (msg == NULL)
		msg = res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(d->conn);
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (state)
		return xf_db_set_error(&d->base, cls, "%s [%s]", msg, state);
	return xf_db_set_error(&d->base, cls, "%s", *msg ? msg : "connection lost");
}

/* True for a result that is a success of a command or a query. */
static bool pg_ok(const PGresult *res)
{
	ExecStatusType s = PQresultStatus(res);
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

/* Notes the rows an INSERT, UPDATE or DELETE changed. */
static void pg_note_changes(struct pg_db *d, PGresult *res)
{
	const char *cmd = PQcmdStatus(res);
	if (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 || strncmp(cmd, "DELETE", 6) == 0)
		d->base.changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* Reads the rest of the active statement's results ahead, so the connection is free for
 * another: SQLite lets a statement run while another's rows are being read; so does this. */
static void pg_quiesce(struct pg_db *d)
{
	struct pg_stmt *s = d->active;
	if (s == NULL)
		return;
	d->active = NULL;
	PGresult *res;
	while ((res = PQgetResult(d->conn)) != NULL) {
		ExecStatusType status = PQresultStatus(res);
		if (status == PGRES_SINGLE_TUPLE) {
			if (s->nahead == s->capahead) {
				s->capahead = s->capahead ? s->capahead * 2 : 64;
				s->ahead = xrealloc(s->ahead, s->capahead * sizeof *s->ahead);
			}
			s->ahead[s->nahead++] = res;
			continue;
		}
		if (pg_ok(res)) {
			pg_note_changes(d, res);
			PQclear(s->meta);
			s->meta = res;
			continue;
		}
		if (s->ahead_cls == XF_DB_OK) {
			pg_error(d, res);
			s->ahead_cls = d->base.cls;
			s->ahead_detail = xstrdup(d->base.detail);
		}
		PQclear(res);
	}
	s->read_out = true;
}

/* Forgets what a run read: the current row, rows read ahead, a failure kept for later. */
static void pg_forget_run(struct pg_stmt *s)
{
	PQclear(s->row);
	s->row = NULL;
	for (size_t i = s->iahead; i < s->nahead; i++)
		PQclear(s->ahead[i]);
	s->nahead = s->iahead = 0;
	s->ahead_cls = XF_DB_OK;
	free(s->ahead_detail);
	s->ahead_detail = NULL;
}

/* Keeps the server's notices off the screen (a "does not exist, skipping"), but notes its last
 * words when it ends the connection unasked (a FATAL while idle: a terminated server process, a
 * shutdown), which libpq hands over as a notice before it sees the socket close. */
static void pg_notice(void *arg, const PGresult *res)
{
	struct pg_db *d = arg;
	const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	if (severity && (strcmp(severity, "FATAL") == 0 || strcmp(severity, "PANIC") == 0)) {
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		snprintf(d->hung_up, sizeof d->hung_up, "%s", msg && *msg ? msg : "the server ended the connection");
	}
}

/* Makes a connection (new or made again) ready: notices silenced, its server process noted
 * (its own notifications are not news), every lock wait ended after the busy timeout, as
 * SQLite's busy handler does (never a desk frozen behind a stuck program), and LISTEN. */
static int pg_ready(struct pg_db *d)
{
	PQsetNoticeReceiver(d->conn, pg_notice, d);
	d->pid = PQbackendPID(d->conn);
	char sql[128];
	snprintf(sql, sizeof sql, "SET lock_timeout = %d; LISTEN " PG_CHANNEL, d->base.busy_ms > 0 ? d->base.busy_ms : 1);
	PGresult *res = PQexec(d->conn, sql);
	int rc = res && pg_ok(res) ? 0 : pg_error(d, res);
	PQclear(res);
	return rc;
}

/* The connection was made again: a new server process with none of the old one's prepared
 * statements, and commits of others that may have gone unheard meanwhile. */
static int pg_reconnected(struct pg_db *d)
{
	d->gen++;
	d->missed = true;
	d->hung_up[0] = '\0';
	d->in_txn = false;
	d->committing = false;
	if (pg_ready(d) == 0)
		return 0;
	/* a server that cannot take the desk's LISTEN (a standby still in recovery, reached with
	 * target_session_attrs=any) is not the server back: lost still, made again at the next use */
	char *why = xstrdup(d->base.detail);
	snprintf(d->hung_up, sizeof d->hung_up, "the server reached takes no work (a standby?)");
	d->base.lost = XF_DB_LOST_IDLE;
	xf_db_set_error(&d->base, XF_DB_ELOST, "%s: %s", d->hung_up, why);
	free(why);
	return -1;
}

/* How long a command's lost connection is tried again before its statement gives up, in
 * milliseconds (XINFANG_RECONNECT_SECONDS, default 30): when the primary is lost, no host of a
 * multi-host locator takes a read-write connection until the standby is promoted, seconds later. */
static long pg_retry_ms(void)
{
	const char *env = getenv("XINFANG_RECONNECT_SECONDS");
	long s = env && *env ? strtol(env, NULL, 10) : 30;
	return s < 0 ? 0 : s > 3600 ? 3600000L : s * 1000L;
}

/* Makes the connection again with the same locator (every host of it, from the first), waiting
 * for it (libpq's connect_timeout), and trying again every quarter second for pg_retry_ms while
 * no host takes it: a failover's promotion, a restart. */
static int pg_reconnect(struct pg_db *d)
{
	d->resetting = false;
	long long start = clock_elapsed_ms(), deadline = start + pg_retry_ms();
	for (;;) {
		PQreset(d->conn);
		int rc = PQstatus(d->conn) == CONNECTION_OK ? pg_reconnected(d) : pg_error(d, NULL);
		if (rc == 0)
			return 0;
		if (clock_elapsed_ms() >= deadline)
			break;
		nanosleep(&(struct timespec){0, 250 * 1000000L}, NULL);
	}
	if (deadline > start) {
		char *why = xstrdup(d->base.detail);
		xf_db_set_error(&d->base, d->base.cls, "tried again for %lld s: %s", (clock_elapsed_ms() - start + 500) / 1000,
		                why);
		free(why);
	}
	return -1;
}

/* Reads what the server sent meanwhile (notifications, or a hang-up: its last words, then the
 * end that makes the connection bad, take more than one read), and parses it (PQisBusy), so
 * its last words reach pg_notice. */
static void pg_read_waiting(struct pg_db *d)
{
	for (int i = 0; i < 4 && PQstatus(d->conn) == CONNECTION_OK; i++) {
		struct pollfd p = {PQsocket(d->conn), POLLIN, 0};
		if (p.fd < 0 || poll(&p, 1, 0) <= 0 || !PQconsumeInput(d->conn))
			break;
	}
	if (d->active == NULL)
		PQisBusy(d->conn);
}

static int pg_reset_step(struct pg_db *d, int steps);

/* Makes the connection usable for what comes next. Inside a transaction a lost connection is
 * refused (the transaction is gone; the caller rolls back). Outside one, what the server sent
 * meanwhile is read first, so a hang-up (a restart, a terminated server process) is found before
 * a statement is sent, and a lost connection is made again. */
static int pg_usable(struct pg_db *d)
{
	pg_quiesce(d);
	if (d->in_txn)
		return PQstatus(d->conn) == CONNECTION_BAD ? pg_error(d, NULL) : 0;
	if (PQstatus(d->conn) == CONNECTION_OK && !d->resetting) {
		pg_read_waiting(d);
		if (PQstatus(d->conn) == CONNECTION_OK && !*d->hung_up)
			return 0;
	}
	/* a desk waits a second at most (a server out of reach must not freeze it for libpq's
	 * connect_timeout at every draft it keeps); a command waits for the connection */
	return d->ticking ? pg_reset_step(d, 10) : pg_reconnect(d);
}

/* Runs SQL with no parameters; the result when it succeeded (to be cleared), else NULL with
 * the failure recorded. */
static PGresult *pg_run(struct pg_db *d, const char *sql)
{
	if (pg_usable(d) != 0)
		return NULL;
	d->base.round_trips++;
	PGresult *res = PQexec(d->conn, sql);
	if (res && pg_ok(res))
		return res;
	pg_error(d, res);
	PQclear(res);
	return NULL;
}

/* Runs SQL with no results; -1 with the failure recorded. */
static int pg_exec(struct xf_db *db, const char *sql)
{
	PGresult *res = pg_run((struct pg_db *)db, sql);
	PQclear(res);
	return res ? 0 : -1;
}

/* Runs a COPY ... FROM STDIN and sends it data[0..len), a megabyte at a time; -1 with the
 * failure recorded (the server's own, for a row it refused). */
static int pg_copy_in(struct xf_db *db, const char *sql, const char *data, size_t len)
{
	struct pg_db *d = (struct pg_db *)db;
	if (pg_usable(d) != 0)
		return -1;
	d->base.round_trips++;
	PGresult *res = PQexec(d->conn, sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN) {
		pg_error(d, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	const size_t chunk = 1 << 20;
	bool sent = true;
	for (size_t at = 0; at < len && sent; at += chunk)
		sent = PQputCopyData(d->conn, data + at, (int)(len - at < chunk ? len - at : chunk)) == 1;
	if (PQputCopyEnd(d->conn, sent ? NULL : "xinfang: sending failed") != 1)
		sent = false;
	int rc = 0;
	while ((res = PQgetResult(d->conn)) != NULL) {
		if (!pg_ok(res) && rc == 0) {
			pg_error(d, res);
			rc = -1;
		} else if (pg_ok(res)) {
			pg_note_changes(d, res);
		}
		PQclear(res);
	}
	if (rc == 0 && !sent)
		rc = pg_error(d, NULL);
	return rc;
}

/* Connects to the database the locator names (its own words passed untouched: several hosts,
 * target_session_attrs, a service, sslmode ...), with UTF-8 and LISTEN on the change channel. */
static int pg_open(const char *locator, int busy_ms, struct xf_db **out, struct xf_err *err)
{
	int rc = pq_load(err);
	if (rc != XF_OK)
		return rc;
	/* libpq's own reading of the locator, too: a password written some other way */
	char *why = NULL;
	PQconninfoOption *opts = PQconninfoParse(locator, &why);
	if (opts == NULL) {
		char *safe = xf_db_locator_safe(locator);
		rc = xf_err_set(err, XF_EINVAL, "数据库地址 %s 写得不对（%s）：请按 PostgreSQL 的格式书写，如 postgresql://用户@主机/数据库",
		                safe, why ? why : "");
		free(safe);
		PQfreemem(why);
		return rc;
	}
	bool secret = false;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
			secret = true;
	PQconninfoFree(opts);
	if (secret) {
		char *safe = xf_db_locator_safe(locator);
		rc = xf_err_set(err, XF_EINVAL, "数据库地址 %s 含有密码：请把密码放进 ~/.pgpass（权限 0600）或 PostgreSQL 的服务文件，地址中只留用户名",
		                safe);
		free(safe);
		return rc;
	}
	struct pg_db *d = xcalloc(1, sizeof *d);
	xf_db_init(&d->base, &xf_db_driver_pg, locator, busy_ms);
	*out = &d->base;
	/* later words win: the locator may set the timeout, name and session kind (a desk writes: of
	 * several hosts, the one that takes writes; a standby is refused until promoted); the
	 * encoding is always ours */
	const char *const keys[] = {"connect_timeout", "fallback_application_name", "target_session_attrs", "dbname",
	                            "client_encoding", NULL};
	const char *const vals[] = {"10", "xinfang", "read-write", locator, "UTF8", NULL};
	d->conn = PQconnectdbParams(keys, vals, 1);
	if (d->conn == NULL) {
		xf_db_set_error(&d->base, XF_DB_ELOST, "out of memory");
		return XF_EIO;
	}
	if (PQstatus(d->conn) != CONNECTION_OK) {
		const char *msg = PQerrorMessage(d->conn);
		/* libpq gives no SQLSTATE for a refused start: its words tell a login refused and a
		 * database that is not there from a server out of reach */
		bool denied = strstr(msg, "password") || strstr(msg, "authentication") || strstr(msg, "permission denied");
		bool missing = strstr(msg, "does not exist") != NULL;
		xf_db_set_error(&d->base, denied ? XF_DB_EPERM : missing ? XF_DB_EOTHER : XF_DB_ELOST, "%s", msg);
		return XF_EIO;
	}
	d->gen = 1;
	return pg_ready(d) == 0 ? XF_OK : XF_EIO;
}

/* Frees a list of prepared statements. */
static void pg_free_preps(struct pg_prep *p)
{
	while (p) {
		struct pg_prep *next = p->next;
		PQclear(p->desc);
		free(p->sql);
		free(p);
		p = next;
	}
}

/* Closes the connection and forgets its prepared statements. */
static void pg_close(struct xf_db *db)
{
	struct pg_db *d = (struct pg_db *)db;
	if (d->conn)
		PQfinish(d->conn);
	for (int b = 0; b < PG_PREP_BUCKETS; b++)
		pg_free_preps(d->preps[b]);
	pg_free_preps(d->retired);
	free(d);
}

/* Retires every prepared statement: the next prepare of the same SQL gets a new one, planned on
 * the schema as it is now; statements still open keep theirs. */
static void pg_schema_changed(struct xf_db *db)
{
	struct pg_db *d = (struct pg_db *)db;
	for (int b = 0; b < PG_PREP_BUCKETS; b++)
		while (d->preps[b]) {
			struct pg_prep *p = d->preps[b];
			d->preps[b] = p->next;
			p->next = d->retired;
			d->retired = p;
		}
	d->kept = 0;
}

/* The PGconn. */
static void *pg_native(struct xf_db *db)
{
	return ((struct pg_db *)db)->conn;
}

/* FNV-1a of the SQL text: its bucket among the prepared statements. */
static unsigned pg_bucket(const char *sql)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % PG_PREP_BUCKETS;
}

/* Prepares p on the connection as it is now (again after a reconnect), under its name. */
static int pg_ensure(struct pg_db *d, struct pg_prep *p)
{
	if (pg_usable(d) != 0)
		return -1;
	if (p->gen == d->gen)
		return 0;
	char *text = xf_db_pg_placeholders(p->sql, NULL);
	d->base.round_trips++;
	PGresult *res = PQprepare(d->conn, p->name, text, 0, NULL);
	free(text);
	int rc = res && PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : pg_error(d, res);
	PQclear(res);
	if (rc == 0)
		p->gen = d->gen;
	return rc;
}

/* Lets the least recently asked statement no open statement uses go, on the server too
 * (DEALLOCATE), when the connection keeps PG_PREP_KEEP already. */
static void pg_evict(struct pg_db *d)
{
	if (d->kept < PG_PREP_KEEP)
		return;
	struct pg_prep **oldest = NULL;
	for (int b = 0; b < PG_PREP_BUCKETS; b++)
		for (struct pg_prep **pp = &d->preps[b]; *pp; pp = &(*pp)->next)
			if ((*pp)->refs == 0 && (oldest == NULL || (*pp)->used < (*oldest)->used))
				oldest = pp;
	if (oldest == NULL)
		return;
	struct pg_prep *p = *oldest;
	*oldest = p->next;
	d->kept--;
	/* Outside a failed transaction only: there the server refuses everything until it ends, and
	 * a name left prepared costs nothing but its memory until the connection's end. */
	if (p->gen == d->gen && PQstatus(d->conn) == CONNECTION_OK && PQtransactionStatus(d->conn) != PQTRANS_INERROR) {
		char sql[48];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", p->name);
		pg_quiesce(d); /* a statement's rows still arriving are read ahead first */
		PQclear(PQexec(d->conn, sql));
	}
	p->next = NULL;
	pg_free_preps(p);
}

/* The statement prepared for sql on this connection, preparing it on first use. */
static struct pg_prep *pg_prepared(struct pg_db *d, const char *sql)
{
	unsigned b = pg_bucket(sql);
	d->clock++;
	for (struct pg_prep *p = d->preps[b]; p; p = p->next)
		if (strcmp(p->sql, sql) == 0) {
			p->used = d->clock;
			return pg_ensure(d, p) == 0 ? p : NULL;
		}
	pg_evict(d);
	struct pg_prep *p = xcalloc(1, sizeof *p);
	p->used = d->clock;
	char *text = xf_db_pg_placeholders(sql, &p->nparams);
	free(text);
	snprintf(p->name, sizeof p->name, "xf_%u", ++d->nprep);
	p->sql = xstrdup(sql);
	if (pg_ensure(d, p) != 0) {
		free(p->sql);
		free(p);
		return NULL;
	}
	p->next = d->preps[b];
	d->preps[b] = p;
	d->kept++;
	return p;
}

/* Prepares a statement (on the server once per connection). */
static int pg_prepare(struct xf_db *db, const char *sql, struct xf_db_stmt **out)
{
	struct pg_prep *p = pg_prepared((struct pg_db *)db, sql);
	if (p == NULL)
		return -1;
	struct pg_stmt *s = xcalloc(1, sizeof *s);
	s->prep = p;
	p->refs++;
	s->base.nparams = p->nparams;
	s->vals = xcalloc((size_t)(p->nparams ? p->nparams : 1), sizeof *s->vals);
	*out = &s->base;
	return 0;
}

/* Sets parameter i's text (taken over; NULL for SQL NULL). */
static int pg_bind(struct xf_db_stmt *st, int i, char *text)
{
	struct pg_stmt *s = (struct pg_stmt *)st;
	free(s->vals[i - 1]);
	s->vals[i - 1] = text;
	return 0;
}

/* Binds text (copied). */
static int pg_bind_text(struct xf_db_stmt *st, int i, const char *text, int len)
{
	return pg_bind(st, i, len < 0 ? xstrdup(text) : xstrndup(text, (size_t)len));
}

/* Binds an integer, as its decimal text. */
static int pg_bind_int64(struct xf_db_stmt *st, int i, int64_t v)
{
	return pg_bind(st, i, xasprintf("%" PRId64, v));
}

/* Binds a float, as text that reads back to the same double. */
static int pg_bind_double(struct xf_db_stmt *st, int i, double v)
{
	return pg_bind(st, i, xasprintf("%.17g", v));
}

/* Binds NULL. */
static int pg_bind_null(struct xf_db_stmt *st, int i)
{
	return pg_bind(st, i, NULL);
}

/* Takes the next result of the statement's run from the connection. */
static enum xf_db_step pg_take(struct pg_stmt *s)
{
	struct pg_db *d = pg_of(&s->base);
	PGresult *res = PQgetResult(d->conn);
	if (res == NULL) {
		d->active = NULL;
		s->read_out = true;
		return XF_DB_DONE;
	}
	ExecStatusType status = PQresultStatus(res);
	if (status == PGRES_SINGLE_TUPLE) {
		s->row = res;
		return XF_DB_ROW;
	}
	if (pg_ok(res)) {
		pg_note_changes(d, res);
		PQclear(s->meta);
		s->meta = res;
		pg_quiesce(d); /* the end of the run: nothing more follows */
		return XF_DB_DONE;
	}
	pg_error(d, res);
	PQclear(res);
	enum xf_db_class cls = d->base.cls;
	char detail[sizeof d->base.detail];
	memcpy(detail, d->base.detail, sizeof detail);
	pg_quiesce(d);
	d->base.cls = cls;
	memcpy(d->base.detail, detail, sizeof detail);
	return XF_DB_ERROR;
}

/* Sends the statement with its parameters, rows to come one at a time. */
static int pg_send(struct pg_stmt *s)
{
	struct pg_db *d = pg_of(&s->base);
	pg_quiesce(d);
	pg_forget_run(s);
	s->read_out = false;
	if (pg_ensure(d, s->prep) != 0)
		return -1;
	d->base.round_trips++;
	if (!PQsendQueryPrepared(d->conn, s->prep->name, s->prep->nparams, (const char *const *)s->vals, NULL, NULL, 0))
		return pg_error(d, NULL);
	PQsetSingleRowMode(d->conn);
	d->active = s;
	return 0;
}

/* Runs the statement on the first call, then takes its next row. */
static enum xf_db_step pg_step(struct xf_db_stmt *st)
{
	struct pg_stmt *s = (struct pg_stmt *)st;
	struct pg_db *d = pg_of(st);
	if (st->state == XF_DB_STMT_READY && pg_send(s) != 0)
		return XF_DB_ERROR;
	PQclear(s->row);
	s->row = NULL;
	if (s->iahead < s->nahead) {
		s->row = s->ahead[s->iahead++];
		return XF_DB_ROW;
	}
	if (s->read_out) {
		if (s->ahead_cls != XF_DB_OK) {
			xf_db_set_error(&d->base, s->ahead_cls, "%s", s->ahead_detail);
			return XF_DB_ERROR;
		}
		return XF_DB_DONE;
	}
	return pg_take(s);
}

/* The result that describes the columns: the row, the end, or the statement's description. */
static PGresult *pg_columns(struct pg_stmt *s)
{
	if (s->row)
		return s->row;
	if (s->meta && PQresultStatus(s->meta) == PGRES_TUPLES_OK)
		return s->meta;
	if (s->prep->desc == NULL) {
		struct pg_db *d = pg_of(&s->base);
		if (pg_ensure(d, s->prep) != 0)
			return NULL;
		d->base.round_trips++;
		PGresult *res = PQdescribePrepared(d->conn, s->prep->name);
		if (res && PQresultStatus(res) == PGRES_COMMAND_OK)
			s->prep->desc = res;
		else
			PQclear(res);
	}
	return s->prep->desc;
}

/* The number of result columns. */
static int pg_column_count(struct xf_db_stmt *st)
{
	PGresult *res = pg_columns((struct pg_stmt *)st);
	return res ? PQnfields(res) : 0;
}

/* A column's name. */
static const char *pg_column_name(struct xf_db_stmt *st, int i)
{
	PGresult *res = pg_columns((struct pg_stmt *)st);
	return res && i < PQnfields(res) ? PQfname(res, i) : NULL;
}

/* True when a numeric's text has no fraction or exponent (an integral sum reads as one). */
static bool integral(const char *text)
{
	return strpbrk(text, ".eEN") == NULL;
}

/* A value's type: numbers by their column's type, booleans as integers. */
static enum xf_db_type pg_column_type(struct xf_db_stmt *st, int i)
{
	PGresult *row = ((struct pg_stmt *)st)->row;
	if (PQgetisnull(row, 0, i))
		return XF_DB_NULL;
	switch (PQftype(row, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return XF_DB_INT;
	case OID_NUMERIC:
		return integral(PQgetvalue(row, 0, i)) ? XF_DB_INT : XF_DB_FLOAT;
	case OID_FLOAT4:
	case OID_FLOAT8:
		return XF_DB_FLOAT;
	default:
		return XF_DB_TEXT;
	}
}

/* A value as text (a boolean as 1 or 0, as SQLite has it). */
static const char *pg_column_text(struct xf_db_stmt *st, int i)
{
	PGresult *row = ((struct pg_stmt *)st)->row;
	if (PQgetisnull(row, 0, i))
		return NULL;
	const char *v = PQgetvalue(row, 0, i);
	if (PQftype(row, i) == OID_BOOL)
		return *v == 't' ? "1" : "0";
	return v;
}

/* A value as an integer (parsed from its text; a float's is cut toward zero). */
static int64_t pg_column_int64(struct xf_db_stmt *st, int i)
{
	const char *v = pg_column_text(st, i);
	if (v == NULL)
		return 0;
	enum xf_db_type t = pg_column_type(st, i);
	if (t == XF_DB_FLOAT)
		return (int64_t)strtod(v, NULL);
	errno = 0;
	long long n = strtoll(v, NULL, 10);
	return (int64_t)n;
}

/* A value as a float. */
static double pg_column_double(struct xf_db_stmt *st, int i)
{
	const char *v = pg_column_text(st, i);
	return v ? strtod(v, NULL) : 0.0;
}

/* Ends the run: rows still arriving are read and dropped; the bindings stay. */
static void pg_reset(struct xf_db_stmt *st)
{
	struct pg_stmt *s = (struct pg_stmt *)st;
	struct pg_db *d = pg_of(st);
	if (d->active == s) {
		d->active = NULL;
		PGresult *res;
		while ((res = PQgetResult(d->conn)) != NULL)
			PQclear(res);
	}
	pg_forget_run(s);
	PQclear(s->meta);
	s->meta = NULL;
	s->read_out = false;
}

/* Releases the statement (its server-side preparation stays for the next use). */
static void pg_finalize(struct xf_db_stmt *st)
{
	struct pg_stmt *s = (struct pg_stmt *)st;
	pg_reset(st);
	s->prep->refs--;
	for (int i = 0; i < s->prep->nparams; i++)
		free(s->vals[i]);
	free(s->vals);
	free(s->ahead);
	free(s);
}

/* True inside a transaction (one begun here, or one the server still holds open). */
static bool pg_in_transaction(struct xf_db *db)
{
	struct pg_db *d = (struct pg_db *)db;
	if (PQstatus(d->conn) == CONNECTION_BAD)
		return d->in_txn; /* lost with its connection, until the caller rolls it back */
	PGTransactionStatusType t = PQtransactionStatus(d->conn);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || (t == PQTRANS_ACTIVE && d->in_txn);
}

/* Refuses a transaction inside another (the server would only warn). */
static int pg_not_nested(struct pg_db *d)
{
	pg_quiesce(d);
	if (PQtransactionStatus(d->conn) == PQTRANS_IDLE)
		return 0;
	if (PQstatus(d->conn) == CONNECTION_BAD)
		return pg_error(d, NULL);
	return xf_db_set_error(&d->base, XF_DB_EOTHER, "cannot start a transaction within a transaction");
}

/* Begins a transaction with the statements that open it (the first being BEGIN): a failure
 * leaves none open. */
static int pg_begin(struct pg_db *d, const char *sql)
{
	if (pg_usable(d) != 0 || pg_not_nested(d) != 0)
		return -1;
	PGresult *res = pg_run(d, sql);
	if (res == NULL) {
		if (PQtransactionStatus(d->conn) != PQTRANS_IDLE) {
			PGresult *rb = PQexec(d->conn, "ROLLBACK");
			PQclear(rb);
		}
		return -1;
	}
	PQclear(res);
	d->in_txn = true;
	return 0;
}

/* Begins a write transaction under the writers' advisory lock taken by lock_fn (waiting at most
 * the busy timeout, the connection's lock_timeout, as SQLite's BEGIN IMMEDIATE does), with the
 * NOTIFY that the commit delivers. READ COMMITTED: each statement after the lock sees every
 * earlier writer's commit. */
static int pg_begin_locked(struct xf_db *db, const char *lock_fn)
{
	char sql[160];
	snprintf(sql, sizeof sql, "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT %s(%" PRId64 "); NOTIFY " PG_CHANNEL,
	         lock_fn, PG_WRITER_LOCK);
	return pg_begin((struct pg_db *)db, sql);
}

/* Begins the one write transaction: the writers' lock exclusive. Every write but a case's move
 * and a login's count: settings, the reference lists, imports ... keep the store to themselves,
 * as on SQLite. */
static int pg_begin_write(struct xf_db *db)
{
	return pg_begin_locked(db, "pg_advisory_xact_lock");
}

/* Begins a case's move (or a login's count): the writers' lock shared, so moves overlap one
 * another and wait only for a writer that has the store alone. What must be one at a time among
 * them locks only itself, as late as it can, held to the commit: the case's row (UPDATE ... WHERE
 * version = ?: one winner of a contested move), the branch's numbers, counts and cases (its
 * advisory lock, pg/022: store_next_seq, store_update, pending_counts' trigger), the audit chain's
 * head (its advisory lock, taken at the commit when the records are written: store_chain.c), a
 * login's account name (store_begin_login). Each waits at most the busy timeout; each statement
 * after a lock sees the commits of whoever held it. */
static int pg_begin_write_shared(struct xf_db *db)
{
	return pg_begin_locked(db, "pg_advisory_xact_lock_shared");
}

/* Begins a read-only transaction on one snapshot, taken at once by a first query. */
static int pg_begin_read(struct xf_db *db)
{
	return pg_begin((struct pg_db *)db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT 1");
}

/* Commits; a transaction an earlier statement broke is rolled back and the commit refused (the
 * server would answer COMMIT with a silent ROLLBACK). */
static int pg_commit(struct xf_db *db)
{
	struct pg_db *d = (struct pg_db *)db;
	pg_quiesce(d);
	if (PQstatus(d->conn) == CONNECTION_BAD) {
		int rc = pg_error(d, NULL); /* lost before its commit: none of it was saved */
		d->in_txn = false;
		return rc;
	}
	PGTransactionStatusType t = PQtransactionStatus(d->conn);
	if (t != PQTRANS_INTRANS)
		d->in_txn = false;
	if (t == PQTRANS_IDLE)
		return xf_db_set_error(&d->base, XF_DB_EOTHER, "cannot commit - no transaction is active");
	if (t == PQTRANS_INERROR) {
		PGresult *rb = PQexec(d->conn, "ROLLBACK");
		PQclear(rb);
		return xf_db_set_error(&d->base, XF_DB_EOTHER,
		                       "an earlier statement of the transaction failed: it was rolled back");
	}
	d->committing = true;
	PGresult *res = pg_run(d, "COMMIT");
	d->committing = false;
	d->in_txn = false;
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Rolls back the open transaction. */
static void pg_rollback(struct xf_db *db)
{
	struct pg_db *d = (struct pg_db *)db;
	pg_quiesce(d);
	d->in_txn = false;
	d->committing = false;
	if (PQstatus(d->conn) == CONNECTION_OK && PQtransactionStatus(d->conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(d->conn, "ROLLBACK");
		PQclear(res);
	}
}

/* The server's socket: readable when a notification (or anything) arrives. */
static int pg_notify_fd(struct xf_db *db)
{
	return PQsocket(((struct pg_db *)db)->conn);
}

/* Moves a reconnect on without waiting long, at most `steps` tenths of a second (the desk asks
 * at every tick, and a server out of reach must not freeze it for libpq's connect_timeout): 0
 * once connected again; -1, the connection lost, while it is under way (the next call goes on)
 * or when it failed (the next call begins another). */
static int pg_reset_step(struct pg_db *d, int steps)
{
	if (!d->resetting) {
		pg_quiesce(d);
		if (!PQresetStart(d->conn))
			return pg_error(d, NULL);
		d->resetting = true;
		d->polling = PGRES_POLLING_WRITING;
	}
	for (int step = 0; d->polling != PGRES_POLLING_OK; step++) {
		struct pollfd p = {PQsocket(d->conn), d->polling == PGRES_POLLING_READING ? POLLIN : POLLOUT, 0};
		if (d->polling == PGRES_POLLING_FAILED || PQstatus(d->conn) == CONNECTION_BAD || p.fd < 0) {
			d->resetting = false;
			return pg_error(d, NULL);
		}
		if (step == steps || poll(&p, 1, 100) <= 0) {
			d->base.lost = XF_DB_LOST_IDLE;
			return xf_db_set_error(&d->base, XF_DB_ELOST, "reconnecting to the server");
		}
		d->polling = PQresetPoll(d->conn);
	}
	d->resetting = false;
	return pg_reconnected(d);
}

/* Reads what the server sent: any other connection's commit notification means a change, and
 * so does a reconnect (commits meanwhile went unheard). A lost connection is said once, then
 * made again over the next calls. */
static int pg_changed(struct xf_db *db, bool *changed)
{
	struct pg_db *d = (struct pg_db *)db;
	d->ticking = true;
	if ((d->resetting || *d->hung_up || PQstatus(d->conn) == CONNECTION_BAD) && !d->in_txn && pg_reset_step(d, 3) != 0)
		return -1;
	pg_read_waiting(d);
	if (*d->hung_up && PQstatus(d->conn) == CONNECTION_OK) { /* said now; made again at the next call */
		xf_db_set_error(&d->base, XF_DB_ELOST, "%s", d->hung_up);
		d->base.lost = XF_DB_LOST_IDLE;
		return -1;
	}
	PGnotify *n;
	while ((n = PQnotifies(d->conn)) != NULL) {
		if (n->be_pid != d->pid)
			*changed = true;
		PQfreemem(n);
	}
	if (PQstatus(d->conn) == CONNECTION_BAD)
		return pg_error(d, NULL);
	if (d->missed)
		*changed = true;
	d->missed = false;
	return 0;
}

const struct xf_db_driver xf_db_driver_pg = {
	.name = "postgresql",
	.dialect = XF_DB_POSTGRESQL,
	.open = pg_open,
	.close = pg_close,
	.native = pg_native,
	.prepare = pg_prepare,
	.bind_text = pg_bind_text,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.column_type = pg_column_type,
	.column_text = pg_column_text,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.exec = pg_exec,
	.copy_in = pg_copy_in,
	.schema_changed = pg_schema_changed,
	.begin_write = pg_begin_write,
	.begin_write_shared = pg_begin_write_shared,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_transaction = pg_in_transaction,
	.notify_fd = pg_notify_fd,
	.changed = pg_changed,
};

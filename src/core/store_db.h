/* The storage seam, private to the core: one connection to a store's database behind a driver
 * chosen by the locator (an SQLite file path, or a PostgreSQL URI / service). The store's
 * files (store*.c) speak only this; db_sqlite.c and db_pg.c are the two drivers.
 *
 * SQL is written once with ?1, ?2 ... placeholders (the PostgreSQL driver rewrites them to
 * $1, $2 ... outside literals and comments). Where PostgreSQL cannot infer a parameter's type
 * (`?1 IS NULL`), the statement says it: `CAST(?1 AS TEXT) IS NULL`. Values come back as
 * SQLite gives them: integers, floats, text or NULL (a PostgreSQL boolean reads as 1 or 0).
 *
 * The store's SQLite calls map one to one: sqlite3_prepare_v2 -> xf_db_prepare; sqlite3_bind_*
 * -> xf_db_bind_* (text is copied); sqlite3_step's SQLITE_ROW/SQLITE_DONE -> XF_DB_ROW/XF_DB_DONE;
 * sqlite3_column_* -> xf_db_column_*; sqlite3_changes -> xf_db_changes; sqlite3_last_insert_rowid
 * -> RETURNING id; store.c's fail(st, rc, err, what) -> xf_db_fail(db, err, what); BEGIN
 * IMMEDIATE -> xf_db_begin_write; PRAGMA data_version -> xf_db_changed; SIGXFSZ's flag ->
 * xf_db_note_file_limit; after migrations (where store.c forgets its cached columns) ->
 * xf_db_schema_changed. One difference: on PostgreSQL a statement that fails inside a
 * transaction ends it (its commit is refused), where SQLite undoes only that statement. */
#ifndef XINFANG_DB_H
#define XINFANG_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xinfang/util.h"

/* What went wrong, in the classes the store's messages distinguish. */
enum xf_db_class {
	XF_DB_OK = 0,
	XF_DB_EBUSY,       /* another writer held the store past the busy timeout */
	XF_DB_EFULL,       /* the disk (or the file-size limit) is full */
	XF_DB_EPERM,       /* no permission: the file's mode, the server's grants or login */
	XF_DB_EIO,         /* reading or writing the file failed */
	XF_DB_ECORRUPT,    /* not a database, or a damaged one */
	XF_DB_ECONSTRAINT, /* a unique, foreign-key, check or not-null rule refused the write */
	XF_DB_ELOST,       /* the connection to the server is gone (or could not be made) */
	XF_DB_EOTHER,      /* anything else: a bad statement, a missing table ... */
};

/* The two SQL dialects, for the few statements written per backend. */
enum xf_db_dialect {
	XF_DB_SQLITE,
	XF_DB_POSTGRESQL,
};

/* What a step found. */
enum xf_db_step {
	XF_DB_ERROR = -1, /* failed: xf_db_fail/xf_db_errclass say why */
	XF_DB_DONE = 0,   /* no more rows (a write finished) */
	XF_DB_ROW = 1,    /* a row is ready for the column functions */
};

/* A column's value type in the current row. */
enum xf_db_type {
	XF_DB_NULL,
	XF_DB_INT,
	XF_DB_FLOAT,
	XF_DB_TEXT,
};

struct xf_db;
struct xf_db_stmt;

/* How a connection is opened. */
struct xf_db_options {
	int busy_ms; /* how long a writer waits for another to finish (0: 5000) */
};

/* True when locator names a PostgreSQL database: a postgresql:// or postgres:// URI, or a
 * libpq service (`service=NAME ...`); anything else is an SQLite file path. */
bool xf_db_locator_is_pg(const char *locator);
/* True when a PostgreSQL locator carries a password (user:pw@ in a URI, password=...). */
bool xf_db_locator_has_password(const char *locator);
/* The locator as it may be printed: any password replaced by ***. A new string. */
char *xf_db_locator_safe(const char *locator);
/* SQL with ?N (and bare ?) placeholders rewritten to PostgreSQL's $N outside string literals,
 * quoted names, dollar-quoted bodies and comments; *nparams gets the highest number. A new
 * string. */
char *xf_db_pg_placeholders(const char *sql, int *nparams);

/* Opens the database the locator names, with the driver it selects (XF_EINVAL for a
 * PostgreSQL locator holding a password; XF_EIO when libpq cannot be loaded). */
int xf_db_open(const char *locator, const struct xf_db_options *opt, struct xf_db **out, struct xf_err *err);
/* Closes the connection (rolling back an open transaction) and every statement's state. */
void xf_db_close(struct xf_db *db);
/* The driver's name: "sqlite" or "postgresql". */
const char *xf_db_backend(const struct xf_db *db);
/* The dialect its SQL is written in. */
enum xf_db_dialect xf_db_dialect(const struct xf_db *db);
/* The locator without any password, for messages. */
const char *xf_db_where(const struct xf_db *db);
/* The busy timeout in milliseconds. */
int xf_db_busy_ms(const struct xf_db *db);
/* The driver's own handle (sqlite3 * or PGconn *), for backend-specific code in store*.c only
 * (the FTS5 tokenizer, the online backup API). */
void *xf_db_native(struct xf_db *db);

/* The class of the last failure on this connection, and the backend's own text of it. */
enum xf_db_class xf_db_errclass(const struct xf_db *db);
const char *xf_db_errdetail(const struct xf_db *db);
/* Turns the last failure into a message a clerk can act on (what: the task that failed, such
 * as "保存记录"); returns its status (XF_EBUSY, XF_EIO, XF_EINVAL for a constraint). */
int xf_db_fail(struct xf_db *db, struct xf_err *err, const char *what);
/* Notes, from a signal handler, that a write went past the file-size limit (SIGXFSZ): the
 * next I/O failure is then said as a full disk. */
void xf_db_note_file_limit(void);

/* Prepares a statement (on PostgreSQL prepared once per connection under a generated name). */
int xf_db_prepare(struct xf_db *db, const char *sql, struct xf_db_stmt **out, struct xf_err *err);
/* Binds parameter i (from 1). Text is copied; len < 0 means up to the NUL. XF_EINVAL for an
 * index out of range. */
int xf_db_bind_text(struct xf_db_stmt *st, int i, const char *s, int len);
int xf_db_bind_int64(struct xf_db_stmt *st, int i, int64_t v);
int xf_db_bind_double(struct xf_db_stmt *st, int i, double v);
int xf_db_bind_null(struct xf_db_stmt *st, int i);
/* Runs the statement on its first call, then moves to the next row. After XF_DB_DONE or
 * XF_DB_ERROR it stays there until reset. Large results are read row by row, never whole. */
enum xf_db_step xf_db_step(struct xf_db_stmt *st);
/* Columns of the result (known also before the first step). */
int xf_db_column_count(struct xf_db_stmt *st);
const char *xf_db_column_name(struct xf_db_stmt *st, int i);
/* The current row's values: the type, the text (NULL for NULL; valid until the next step),
 * and the value as an integer or a float (0 for NULL). */
enum xf_db_type xf_db_column_type(struct xf_db_stmt *st, int i);
const char *xf_db_column_text(struct xf_db_stmt *st, int i);
int64_t xf_db_column_int64(struct xf_db_stmt *st, int i);
double xf_db_column_double(struct xf_db_stmt *st, int i);
/* Rows changed by the statement that last finished on the connection (UPDATE, DELETE). */
int64_t xf_db_changes(struct xf_db *db);
/* Makes the statement ready to run again; its bindings stay. */
void xf_db_reset(struct xf_db_stmt *st);
/* Releases the statement (NULL is fine). */
void xf_db_finalize(struct xf_db_stmt *st);
/* Says the schema changed (a migration ran): statements prepared from now on are prepared
 * afresh (PostgreSQL would refuse a kept one whose result columns changed). */
void xf_db_schema_changed(struct xf_db *db);
/* Runs a script of several statements with no parameters and no results. */
int xf_db_exec(struct xf_db *db, const char *sql, struct xf_err *err, const char *what);
/* Runs `COPY table (columns) FROM STDIN` with data[0..len) as its rows, in COPY's text format
 * (tab between values, a newline after each row, \\ \t \n \r escaped): many rows by one round
 * trip with no statement to parse them from (PostgreSQL only: XF_EINVAL on SQLite). */
int xf_db_copy_in(struct xf_db *db, const char *sql, const char *data, size_t len, struct xf_err *err,
                  const char *what);

/* Begins the one write transaction: no other connection may begin one until it ends (SQLite:
 * BEGIN IMMEDIATE; PostgreSQL: the writers' advisory lock, exclusive), waiting at most the busy
 * timeout, then XF_EBUSY. Its commit is announced to the other connections. */
int xf_db_begin_write(struct xf_db *db, struct xf_err *err);
/* Begins a write transaction of a case's move (registration, transfer ...). SQLite: as
 * xf_db_begin_write. PostgreSQL: the writers' lock shared, so moves overlap each other (their
 * cases' rows, branches' locks and the chain head's lock keep them apart where they must be)
 * while every other write (xf_db_begin_write, the lock exclusive) still has the store alone. */
int xf_db_begin_write_shared(struct xf_db *db, struct xf_err *err);
/* Begins a read transaction: one snapshot, taken now, for every statement until it ends. */
int xf_db_begin_read(struct xf_db *db, struct xf_err *err);
/* Commits the open transaction (refused when an earlier statement in it failed). */
int xf_db_commit(struct xf_db *db, struct xf_err *err);
/* Rolls the open transaction back, if there is one. */
void xf_db_rollback(struct xf_db *db);
/* True inside a transaction. */
bool xf_db_in_transaction(struct xf_db *db);
/* A number that moves at each transaction's begin and each script run (a migration): inside a
 * transaction, what was read of the schema at the same number still holds (a writer's lock or
 * a snapshot keeps other connections' migrations out until it ends). */
uint64_t xf_db_epoch(const struct xf_db *db);
/* How many requests the connection has sent to its server and waited for (a statement, a
 * prepare, a script, a commit): each costs a round trip inside the writer's lock. 0 on SQLite. */
uint64_t xf_db_round_trips(const struct xf_db *db);

/* A file descriptor that becomes readable when another connection may have committed
 * (PostgreSQL: the server's socket, with LISTEN), or -1 when changes must be polled (SQLite). */
int xf_db_notify_fd(struct xf_db *db);
/* Sets *changed when another connection committed since the last call (or the open). */
int xf_db_changed(struct xf_db *db, bool *changed, struct xf_err *err);

#endif

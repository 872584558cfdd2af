/* What a storage driver provides to db.c (the shape of Dovecot's sql_db/sql_driver): a table of
 * functions, and the connection and statement each driver extends (its own struct begins with
 * the one below). Seen by db.c, db_sqlite.c and db_pg.c only. */
#ifndef XINFANG_DB_DRIVER_H
#define XINFANG_DB_DRIVER_H

#include "store_db.h"

/* Where a lost connection (XF_DB_ELOST) was lost, for its message. */
enum xf_db_lost {
	XF_DB_LOST_OPEN,   /* the first connection could not be made */
	XF_DB_LOST_IDLE,   /* outside a transaction, or while connecting: the next use reconnects */
	XF_DB_LOST_TXN,    /* inside a transaction before its commit: nothing of it was saved */
	XF_DB_LOST_COMMIT, /* while the commit was on its way: whether it was saved is unknown */
};

/* The common part of a connection. */
struct xf_db {
	const struct xf_db_driver *drv;
	char *where;     /* the locator without a password */
	int busy_ms;
	enum xf_db_class cls; /* the last failure */
	char detail[512];     /* the backend's own words for it */
	int sys_errno;        /* the system's errno of an SQLite I/O failure */
	int64_t changes;      /* rows changed by the last finished statement */
	enum xf_db_lost lost; /* where the connection was lost, when cls is XF_DB_ELOST */
	uint64_t epoch;       /* moves at each transaction's begin and each script (xf_db_epoch) */
	uint64_t round_trips; /* requests sent to a server and answered (xf_db_round_trips) */
};

/* Where a statement is in its run. */
enum xf_db_stmt_state {
	XF_DB_STMT_READY,   /* bound, not run */
	XF_DB_STMT_RUNNING, /* rows are being read */
	XF_DB_STMT_ENDED,   /* done or failed: stays so until reset */
};

/* The common part of a statement. */
struct xf_db_stmt {
	struct xf_db *db;
	int nparams;
	enum xf_db_stmt_state state;
	enum xf_db_step ended_as; /* what the last step said, once ended */
};

/* A driver: its name, dialect and functions (each records its failures with xf_db_set_error). */
struct xf_db_driver {
	const char *name;
	enum xf_db_dialect dialect;
	/* Opens locator into *out: XF_OK; or a failure recorded on *out (closed by the caller);
	 * or *out NULL and err filled when no connection could even be begun. */
	int (*open)(const char *locator, int busy_ms, struct xf_db **out, struct xf_err *err);
	void (*close)(struct xf_db *db);
	void *(*native)(struct xf_db *db);
	int (*prepare)(struct xf_db *db, const char *sql, struct xf_db_stmt **out);
	int (*bind_text)(struct xf_db_stmt *st, int i, const char *s, int len);
	int (*bind_int64)(struct xf_db_stmt *st, int i, int64_t v);
	int (*bind_double)(struct xf_db_stmt *st, int i, double v);
	int (*bind_null)(struct xf_db_stmt *st, int i);
	enum xf_db_step (*step)(struct xf_db_stmt *st);
	int (*column_count)(struct xf_db_stmt *st);
	const char *(*column_name)(struct xf_db_stmt *st, int i);
	enum xf_db_type (*column_type)(struct xf_db_stmt *st, int i);
	const char *(*column_text)(struct xf_db_stmt *st, int i);
	int64_t (*column_int64)(struct xf_db_stmt *st, int i);
	double (*column_double)(struct xf_db_stmt *st, int i);
	void (*reset)(struct xf_db_stmt *st);
	void (*finalize)(struct xf_db_stmt *st);
	int (*exec)(struct xf_db *db, const char *sql);
	int (*copy_in)(struct xf_db *db, const char *sql, const char *data, size_t len); /* NULL: none */
	void (*schema_changed)(struct xf_db *db); /* NULL: nothing kept across statements */
	int (*begin_write)(struct xf_db *db);
	int (*begin_write_shared)(struct xf_db *db); /* NULL: as begin_write */
	int (*begin_read)(struct xf_db *db);
	int (*commit)(struct xf_db *db);
	void (*rollback)(struct xf_db *db);
	bool (*in_transaction)(struct xf_db *db);
	int (*notify_fd)(struct xf_db *db);
	int (*changed)(struct xf_db *db, bool *changed);
};

extern const struct xf_db_driver xf_db_driver_sqlite;
extern const struct xf_db_driver xf_db_driver_pg;

/* Records a failure on the connection: its class and the backend's text (printf-style);
 * returns -1 so drivers can `return xf_db_set_error(...)`. */
int xf_db_set_error(struct xf_db *db, enum xf_db_class cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Fills the common part of a new connection (its driver, printable locator, busy timeout). */
void xf_db_init(struct xf_db *db, const struct xf_db_driver *drv, const char *locator, int busy_ms);
/* Takes (and clears) the note that a write went past the file-size limit. */
bool xf_db_take_file_limit(void);

#endif

/* The SQLite driver of the storage seam: one file, WAL, foreign keys on, BEGIN IMMEDIATE for the
 * one writer, PRAGMA data_version for other connections' commits. */
#include "store_db_driver.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* A connection to one SQLite file. */
struct sq_db {
	struct xf_db base;
	sqlite3 *h;
	int wal_frames;           /* frames in the WAL after the last commit; commit checkpoints */
	sqlite3_stmt *data_version;
	int64_t seen_version;     /* data_version when last asked */
};

/* A statement. */
struct sq_stmt {
	struct xf_db_stmt base;
	sqlite3_stmt *s; /* NULL for SQL with no statement in it */
};

/* The connection of a statement. */
static struct sq_db *sq_of(struct xf_db_stmt *st)
{
	return (struct sq_db *)st->db;
}

/* Records an SQLite failure rc on the connection in the seam's classes; returns -1. */
static int sq_error(struct sq_db *d, int rc)
{
	int sys = d->h ? sqlite3_system_errno(d->h) : 0;
	bool limit = xf_db_take_file_limit();
	const char *detail = d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc);
	enum xf_db_class cls;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		cls = XF_DB_EBUSY;
		break;
	case SQLITE_FULL:
		cls = XF_DB_EFULL;
		break;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
	case SQLITE_AUTH:
		cls = XF_DB_EPERM;
		break;
	case SQLITE_IOERR:
		cls = sys == ENOSPC || sys == EFBIG || sys == EDQUOT || limit ? XF_DB_EFULL : XF_DB_EIO;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		cls = XF_DB_ECORRUPT;
		break;
	case SQLITE_CONSTRAINT:
		cls = XF_DB_ECONSTRAINT;
		break;
	default:
		cls = XF_DB_EOTHER;
		break;
	}
	d->base.sys_errno = sys;
	return xf_db_set_error(&d->base, cls, "%s", detail);
}

/* Notes the WAL's size after each commit instead of checkpointing inside it: a checkpoint that
 * fails (a full disk, a file-size limit) must never make a committed change look failed. */
static int sq_note_wal(void *arg, sqlite3 *h, const char *name, int frames)
{
	(void)h;
	(void)name;
	((struct sq_db *)arg)->wal_frames = frames;
	return SQLITE_OK;
}

/* Runs SQL with no results; -1 with the failure recorded. */
static int sq_exec(struct xf_db *db, const char *sql)
{
	struct sq_db *d = (struct sq_db *)db;
	int rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sq_error(d, rc);
}

/* Reads PRAGMA data_version into *v. */
static int sq_data_version(struct sq_db *d, int64_t *v)
{
	int rc;
	if (d->data_version == NULL &&
	    (rc = sqlite3_prepare_v2(d->h, "PRAGMA data_version", -1, &d->data_version, NULL)) != SQLITE_OK)
		return sq_error(d, rc);
	rc = sqlite3_step(d->data_version);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(d->data_version, 0);
	sqlite3_reset(d->data_version);
	return rc == SQLITE_ROW ? 0 : sq_error(d, rc);
}

/* Opens the file (created when missing) with the house's pragmas. */
static int sq_open(const char *locator, int busy_ms, struct xf_db **out, struct xf_err *err)
{
	(void)err;
	struct sq_db *d = xcalloc(1, sizeof *d);
	xf_db_init(&d->base, &xf_db_driver_sqlite, locator, busy_ms);
	*out = &d->base;
	int rc = sqlite3_open_v2(locator, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		sq_error(d, rc);
		return XF_EIO;
	}
	sqlite3_busy_timeout(d->h, busy_ms);
	sqlite3_extended_result_codes(d->h, 1);
	if (sq_exec(&d->base, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;") != 0 ||
	    sq_exec(&d->base, "PRAGMA journal_mode=WAL;") != 0 || sq_data_version(d, &d->seen_version) != 0)
		return XF_EIO;
	sqlite3_wal_hook(d->h, sq_note_wal, d);
	return XF_OK;
}

/* Closes the file. */
static void sq_close(struct xf_db *db)
{
	struct sq_db *d = (struct sq_db *)db;
	sqlite3_finalize(d->data_version);
	sqlite3_close_v2(d->h);
	free(d);
}

/* The sqlite3 handle. */
static void *sq_native(struct xf_db *db)
{
	return ((struct sq_db *)db)->h;
}

/* Prepares a statement. */
static int sq_prepare(struct xf_db *db, const char *sql, struct xf_db_stmt **out)
{
	struct sq_db *d = (struct sq_db *)db;
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(d->h, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_error(d, rc);
	struct sq_stmt *st = xcalloc(1, sizeof *st);
	st->s = s;
	st->base.nparams = s ? sqlite3_bind_parameter_count(s) : 0;
	*out = &st->base;
	return 0;
}

/* Checks a bind's result. */
static int sq_bound(struct xf_db_stmt *st, int rc)
{
	return rc == SQLITE_OK ? 0 : sq_error(sq_of(st), rc);
}

/* Binds text (copied). */
static int sq_bind_text(struct xf_db_stmt *st, int i, const char *s, int len)
{
	return sq_bound(st, sqlite3_bind_text(((struct sq_stmt *)st)->s, i, s, len, SQLITE_TRANSIENT));
}

/* Binds an integer. */
static int sq_bind_int64(struct xf_db_stmt *st, int i, int64_t v)
{
	return sq_bound(st, sqlite3_bind_int64(((struct sq_stmt *)st)->s, i, v));
}

/* Binds a float. */
static int sq_bind_double(struct xf_db_stmt *st, int i, double v)
{
	return sq_bound(st, sqlite3_bind_double(((struct sq_stmt *)st)->s, i, v));
}

/* Binds NULL. */
static int sq_bind_null(struct xf_db_stmt *st, int i)
{
	return sq_bound(st, sqlite3_bind_null(((struct sq_stmt *)st)->s, i));
}

/* Steps the statement. */
static enum xf_db_step sq_step(struct xf_db_stmt *st)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	if (s->s == NULL)
		return XF_DB_DONE;
	int rc = sqlite3_step(s->s);
	if (rc == SQLITE_ROW)
		return XF_DB_ROW;
	if (rc == SQLITE_DONE) {
		if (!sqlite3_stmt_readonly(s->s))
			st->db->changes = sqlite3_changes(sq_of(st)->h);
		return XF_DB_DONE;
	}
	sq_error(sq_of(st), rc);
	return XF_DB_ERROR;
}

/* The number of result columns. */
static int sq_column_count(struct xf_db_stmt *st)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	return s->s ? sqlite3_column_count(s->s) : 0;
}

/* A column's name. */
static const char *sq_column_name(struct xf_db_stmt *st, int i)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	return s->s ? sqlite3_column_name(s->s, i) : NULL;
}

/* A value's type (a blob reads as text). */
static enum xf_db_type sq_column_type(struct xf_db_stmt *st, int i)
{
	switch (sqlite3_column_type(((struct sq_stmt *)st)->s, i)) {
	case SQLITE_NULL:
		return XF_DB_NULL;
	case SQLITE_INTEGER:
		return XF_DB_INT;
	case SQLITE_FLOAT:
		return XF_DB_FLOAT;
	default:
		return XF_DB_TEXT;
	}
}

/* A value as text. */
static const char *sq_column_text(struct xf_db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(((struct sq_stmt *)st)->s, i);
}

/* A value as an integer. */
static int64_t sq_column_int64(struct xf_db_stmt *st, int i)
{
	return sqlite3_column_int64(((struct sq_stmt *)st)->s, i);
}

/* A value as a float. */
static double sq_column_double(struct xf_db_stmt *st, int i)
{
	return sqlite3_column_double(((struct sq_stmt *)st)->s, i);
}

/* Resets the statement (its bindings stay). */
static void sq_reset(struct xf_db_stmt *st)
{
	sqlite3_reset(((struct sq_stmt *)st)->s);
}

/* Releases the statement. */
static void sq_finalize(struct xf_db_stmt *st)
{
	sqlite3_finalize(((struct sq_stmt *)st)->s);
	free(st);
}

/* BEGIN IMMEDIATE: the write lock now, waiting at most the busy timeout. */
static int sq_begin_write(struct xf_db *db)
{
	return sq_exec(db, "BEGIN IMMEDIATE");
}

/* BEGIN, and a read at once so the snapshot is taken now, not at the first query. */
static int sq_begin_read(struct xf_db *db)
{
	if (sq_exec(db, "BEGIN") != 0)
		return -1;
	if (sq_exec(db, "SELECT count(*) FROM sqlite_schema") != 0) {
		sqlite3_exec(((struct sq_db *)db)->h, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* COMMIT, then a checkpoint when the WAL has grown (its failure leaves the commit standing). */
static int sq_commit(struct xf_db *db)
{
	struct sq_db *d = (struct sq_db *)db;
	if (sq_exec(db, "COMMIT") != 0)
		return -1;
	if (d->wal_frames >= 1000) {
		d->wal_frames = 0;
		sqlite3_wal_checkpoint_v2(d->h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	}
	return 0;
}

/* ROLLBACK when a transaction is open. */
static void sq_rollback(struct xf_db *db)
{
	struct sq_db *d = (struct sq_db *)db;
	if (!sqlite3_get_autocommit(d->h))
		sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
}

/* True inside a transaction. */
static bool sq_in_transaction(struct xf_db *db)
{
	return !sqlite3_get_autocommit(((struct sq_db *)db)->h);
}

/* No descriptor: other connections' commits are polled. */
static int sq_notify_fd(struct xf_db *db)
{
	(void)db;
	return -1;
}

/* data_version moved since last asked: another connection committed. */
static int sq_changed(struct xf_db *db, bool *changed)
{
	struct sq_db *d = (struct sq_db *)db;
	int64_t v;
	if (sq_data_version(d, &v) != 0)
		return -1;
	*changed = v != d->seen_version;
	d->seen_version = v;
	return 0;
}

const struct xf_db_driver xf_db_driver_sqlite = {
	.name = "sqlite",
	.dialect = XF_DB_SQLITE,
	.open = sq_open,
	.close = sq_close,
	.native = sq_native,
	.prepare = sq_prepare,
	.bind_text = sq_bind_text,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.column_count = sq_column_count,
	.column_name = sq_column_name,
	.column_type = sq_column_type,
	.column_text = sq_column_text,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.exec = sq_exec,
	.begin_write = sq_begin_write,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_transaction = sq_in_transaction,
	.notify_fd = sq_notify_fd,
	.changed = sq_changed,
};

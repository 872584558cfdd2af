/* The audit chain in the store: its state, and appending to it. Every write's rows are noted by
 * the write path itself (store_chain_note: the id an INSERT returned, the id an UPDATE changed,
 * a table kept whole) and snapshotted into the audit record that commits with them (SQLite
 * writes it at once; on PostgreSQL it is held to the commit and written under the chain head's
 * lock); a migration's rows are noted from its script, an upgraded store is sealed. The rest of
 * the chain: the covered tables' columns (store_chain_schema.c), each row's canonical JSON and
 * the snapshots (store_chain_json.c), the record hash and the walk of the records
 * (store_chain_walk.c), the row check verify makes (store_chain_check.c), integrity, online
 * backup and restore (store_backup.c). Speaks the storage seam. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_chain_int.h"
#include "xinfang/clock.h"
#include "xinfang/store_push.h"

/* The tables the snapshots cover (struct tracked), in the order a snapshot lists their rows. */
const struct tracked chain_tracked_tables[] = {
	{"cases", NULL, false},          {"petitioners", NULL, false},   {"operators", NULL, false},
	{"instructions", NULL, false},   {"transfers", NULL, false},     {"returns", NULL, false},
	{"outcomes", NULL, false},       {"replies", NULL, false},       {"extensions", NULL, false},
	{"urgings", NULL, false},        {"materials", NULL, false},     {"links", NULL, false},
	{"closures", NULL, false},       {"printed_slips", NULL, false}, {"settings", "key", false},
	{"departments", "id", false},    {"channels", "name", false},    {"categories", "name", false},
	{"rulesets", "name", false},     {"limit_rules", "ruleset, kind, category", false},
	{"calendar_years", "year", false}, {"calendar_days", "day", false}, {"number_seq", "branch, year", true},
	{"jrt_codes", "axis, code", false}, {"imports", NULL, false},      {"branches", "id", false},
	{"branch_moves", NULL, false},   {"supervisions", NULL, false},
};

_Static_assert(sizeof chain_tracked_tables / sizeof chain_tracked_tables[0] == NTRACKED,
               "NTRACKED counts the covered tables");

/* A record appended on PostgreSQL, held until the commit (store_chain_flush) writes it under the
 * chain head's lock: what it says, and the rows written before it that its snapshot covers. */
struct deferred {
	char *op, *action, *before, *after;
	int64_t case_id, branch;
	struct touched *v;
	size_t n, cap;
};

/* The chain head's advisory lock on PostgreSQL ("xf", 2; the writers' lock of earlier versions
 * was 1): held from a transaction's first append to its commit. */
#define CHAIN_LOCK_KEY "8675621732175839234" /* 0x7866000000000002 */

/* Index of a tracked table, -1 when the trail does not cover it. */
int chain_tracked_index(const char *table)
{
	for (int i = 0; i < NTRACKED; i++)
		if (strcmp(chain_tracked_tables[i].table, table) == 0)
			return i;
	return -1;
}

/* The tables the snapshots cover. */
const char *const *store_chain_tables(void)
{
	static const char *names[NTRACKED + 1];
	for (int i = 0; i < NTRACKED; i++)
		names[i] = chain_tracked_tables[i].table;
	return names;
}

/* Notes a row written since the last audit record (rowid 0 for a whole table). */
static void note_row(struct xf_chain *c, int t, int64_t rowid)
{
	if (chain_tracked_tables[t].per_branch)
		rowid = rowid > 0 ? rowid : 1; /* the branch */
	else if (chain_tracked_tables[t].whole_order)
		rowid = 0;
	if (c->n > 0 && c->v[c->n - 1].table == t && c->v[c->n - 1].rowid == rowid) {
		/* Written again: what the writer held may no longer be the row. */
		free(c->v[c->n - 1].json);
		c->v[c->n - 1].json = NULL;
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n].table = t;
	c->v[c->n].rowid = rowid;
	c->v[c->n].json = NULL;
	c->n++;
}

/* Notes a row the write path just wrote (rowid 0, or any, for a table kept whole; the branch
 * for one kept whole per branch): every write to a covered table says which row it changed,
 * on both backends. */
void store_chain_note(struct xf_store *st, const char *table, int64_t rowid)
{
	struct xf_chain *c = *store_chain_slot(st);
	int t = chain_tracked_index(table);
	if (c != NULL && t >= 0)
		note_row(c, t, rowid);
}

/* Empties the list of noted rows. */
void chain_forget_touched(struct xf_chain *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].json);
	c->n = 0;
}

/* Frees one held record. */
static void deferred_free(struct deferred *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].json);
	free(d->v);
	free(d->op);
	free(d->action);
	free(d->before);
	free(d->after);
}

/* Drops the records held for the commit (the transaction ended without writing them). */
static void forget_later(struct xf_chain *c)
{
	for (size_t i = 0; i < c->nlater; i++)
		deferred_free(&c->later[i]);
	c->nlater = 0;
}

/* Applies migration 5 and seals, once, on a store whose version passed 5 without it. */
static int late_migration(struct xf_store *st, struct xf_err *err)
{
	int version;
	int rc = store_version(st, &version, err);
	/* A PostgreSQL store is made at the newest version by init: it never lacks the chain. */
	if (rc != XF_OK || version < XF_CHAIN_SCHEMA || xf_db_dialect(store_db(st)) != XF_DB_SQLITE)
		return rc;
	if ((rc = chain_refresh_schema(st, err)) != XF_OK || (*store_chain_slot(st))->has_chain_columns)
		return rc;
	for (size_t i = 0; i < xf_migration_count; i++) {
		if (xf_migrations[i].version != XF_CHAIN_SCHEMA)
			continue;
		if ((rc = store_begin(st, err)) != XF_OK)
			return rc;
		struct xf_err ignored; /* said in the chain's own words */
		if (xf_db_exec(store_db(st), xf_migrations[i].sql, &ignored, "") != XF_OK)
			rc = chain_fail(st, "升级操作日志", err);
		if (rc == XF_OK && (rc = chain_refresh_schema(st, err)) == XF_OK && (rc = store_chain_seal(st, err)) == XF_OK)
			rc = store_commit(st, err);
		if (rc != XF_OK)
			store_rollback(st);
		return rc;
	}
	return XF_OK;
}

/* Starts keeping the chain's state: the write path notes the rows it changes itself
 * (store_chain_note), on both backends. */
int store_chain_attach(struct xf_store *st, struct xf_err *err)
{
	struct xf_chain *c = xcalloc(1, sizeof *c);
	c->schema_cookie = -1;
	*store_chain_slot(st) = c;
	return late_migration(st, err);
}

/* Makes the records appended from now on belong to a branch (the acting account's; a move
 * across branches sets the other side's for its second record, then sets it back). */
void store_chain_set_branch(struct xf_store *st, int64_t branch)
{
	struct xf_chain *c = *store_chain_slot(st);
	if (c)
		c->branch = branch;
}

/* The branch the records appended now belong to. */
int64_t store_chain_branch(struct xf_store *st)
{
	struct xf_chain *c = *store_chain_slot(st);
	return c && c->branch > 0 ? c->branch : 1;
}

/* A statement of a slot, prepared on first use; NULL when it cannot be prepared. */
struct xf_db_stmt *chain_cached(struct xf_store *st, int slot, const char *sql)
{
	struct xf_chain *c = *store_chain_slot(st);
	struct xf_err ignored; /* the caller says it in its own words */
	if (c->stmts[slot] == NULL && xf_db_prepare(store_db(st), sql, &c->stmts[slot], &ignored) != XF_OK)
		c->stmts[slot] = NULL;
	return c->stmts[slot];
}

/* Makes a cached statement ready for its next use (and lets go of its read lock). */
void chain_done(struct xf_db_stmt *stmt)
{
	xf_db_reset(stmt);
}

/* Prepares a statement of one use; NULL when it cannot be prepared. */
struct xf_db_stmt *chain_prepare(struct xf_store *st, const char *sql)
{
	struct xf_db_stmt *stmt = NULL;
	struct xf_err ignored; /* the caller says it in its own words */
	if (xf_db_prepare(store_db(st), sql, &stmt, &ignored) != XF_OK)
		return NULL;
	return stmt;
}

/* Stops noting and frees the state. */
void store_chain_detach(struct xf_store *st)
{
	struct xf_chain *c = *store_chain_slot(st);
	if (c == NULL)
		return;
	chain_forget_exprs(c, 0);
	chain_forget_touched(c);
	forget_later(c);
	free(c->later);
	free(c->v);
	free(c);
	*store_chain_slot(st) = NULL;
}

/* Forgets the noted rows. */
void store_chain_forget(struct xf_store *st)
{
	struct xf_chain *c = *store_chain_slot(st);
	if (c) {
		chain_forget_touched(c);
		forget_later(c);
	}
}

/* Reports a failure of the chain's own statements. */
int chain_fail(struct xf_store *st, const char *what, struct xf_err *err)
{
	struct xf_db *db = store_db(st);
	enum xf_db_class cls = xf_db_errclass(db);
	if (cls == XF_DB_EBUSY)
		return xf_err_set(err, XF_EBUSY, "数据库正被其他程序占用：%s未完成，请稍后重试", what);
	if (cls == XF_DB_EFULL)
		return xf_err_set(err, XF_EIO, "磁盘已满：%s未完成，已有数据完好。请清理磁盘空间后重试", what);
	return xf_err_set(err, XF_EIO, "%s失败：%s", what, xf_db_errdetail(db));
}

/* Text of a column, "" for NULL. */
const char *chain_col_text(struct xf_db_stmt *stmt, int i)
{
	const char *v = xf_db_column_text(stmt, i);
	return v ? v : "";
}

/* The hash the next record chains to: the newest record's (recomputed over the whole trail when
 * the newest is an unhashed record from before the chain), and the next id. */
static int chain_tail(struct xf_store *st, int64_t *next_id, char prev[65], struct xf_err *err)
{
	struct xf_chain_head head;
	int rc = store_chain_last(st, &head, err);
	if (rc != XF_OK)
		return rc;
	*next_id = head.id + 1;
	memcpy(prev, head.hash, 65);
	if (head.id > 0 && head.hash[0] == '\0') {
		struct xf_chain_walk walk;
		if ((rc = store_chain_walk(st, 1, &walk, err)) != XF_OK)
			return rc;
		memcpy(prev, walk.head.hash, 65);
	}
	return XF_OK;
}

/* Inserts a record in the shape of schema versions before the chain. */
static int append_unchained(struct xf_store *st, const char *op, const char *action, int64_t case_id,
                            const char *before_json, const char *after_json, struct xf_err *err)
{
	struct xf_db_stmt *stmt =
		chain_prepare(st, "INSERT INTO audit(at, operator, action, case_id, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (stmt == NULL)
		return chain_fail(st, "记录操作日志", err);
	char now[20];
	clock_now_iso(now);
	xf_db_bind_text(stmt, 1, now, -1);
	xf_db_bind_text(stmt, 2, op, -1);
	xf_db_bind_text(stmt, 3, action, -1);
	if (case_id > 0)
		xf_db_bind_int64(stmt, 4, case_id);
	xf_db_bind_text(stmt, 5, before_json ? before_json : "{}", -1);
	xf_db_bind_text(stmt, 6, after_json ? after_json : "{}", -1);
	int rc = xf_db_step(stmt);
	xf_db_finalize(stmt);
	return rc == XF_DB_DONE ? XF_OK : chain_fail(st, "记录操作日志", err);
}

/* Writes one chained record now as number *next_id after the hash prev (the chain's head, read
 * by the caller), its snapshot built from the rows noted (c->v), which it empties; on success
 * *next_id and prev are the new head's. */
static int write_record(struct xf_store *st, const char *op, const char *action, int64_t case_id,
                        const char *before_json, const char *after_json, int64_t branch, int64_t *next_id,
                        char prev[65], struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	char *snapshot;
	int rc = chain_snapshot_json(st, &snapshot, err);
	if (rc != XF_OK)
		return rc;
	struct record r;
	char hash[65], at[20], wall[32], case_text[24] = "";
	r.id = *next_id;
	clock_now_iso(at);
	clock_wall_now(wall);
	if (case_id > 0)
		snprintf(case_text, sizeof case_text, "%lld", (long long)case_id);
	r.at = at;
	r.wall = wall;
	r.op = op ? op : "";
	r.action = action;
	r.case_id = case_text;
	r.before = before_json ? before_json : "{}";
	r.after = after_json ? after_json : "{}";
	r.snapshot = snapshot;
	r.branch = c->has_branch_column && branch > 0 ? branch : 1;
	chain_record_hash(prev, &r, hash);
	struct xf_db_stmt *stmt = chain_cached(st, S_INSERT, c->has_branch_column
	                            ? "INSERT INTO audit(id, at, wall, operator, action, case_id, before, after, snapshot, hash, branch) "
	                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	                            : "INSERT INTO audit(id, at, wall, operator, action, case_id, before, after, snapshot, hash) "
	                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (stmt == NULL) {
		free(snapshot);
		return chain_fail(st, "记录操作日志", err);
	}
	xf_db_bind_int64(stmt, 1, r.id);
	xf_db_bind_text(stmt, 2, r.at, -1);
	xf_db_bind_text(stmt, 3, r.wall, -1);
	xf_db_bind_text(stmt, 4, r.op, -1);
	xf_db_bind_text(stmt, 5, r.action, -1);
	if (case_id > 0)
		xf_db_bind_int64(stmt, 6, case_id);
	else
		xf_db_bind_null(stmt, 6);
	xf_db_bind_text(stmt, 7, r.before, -1);
	xf_db_bind_text(stmt, 8, r.after, -1);
	xf_db_bind_text(stmt, 9, r.snapshot, -1);
	xf_db_bind_text(stmt, 10, hash, -1);
	if (c->has_branch_column)
		xf_db_bind_int64(stmt, 11, r.branch);
	int step = xf_db_step(stmt);
	chain_done(stmt);
	free(snapshot);
	if (step != XF_DB_DONE)
		return chain_fail(st, "记录操作日志", err);
	*next_id = r.id + 1;
	memcpy(prev, hash, 65);
	return XF_OK;
}

/* Whether records wait for the commit: on PostgreSQL writers overlap, and only the chain's
 * append is one at a time (store_chain_flush); SQLite's one writer writes them at once. */
static bool records_deferred(struct xf_store *st)
{
	return xf_db_dialect(store_db(st)) == XF_DB_POSTGRESQL;
}

/* Holds a record for the commit, with the rows noted so far (the list starts empty again). */
static void defer_record(struct xf_chain *c, const char *op, const char *action, int64_t case_id,
                         const char *before_json, const char *after_json)
{
	if (c->nlater == c->caplater) {
		c->caplater = c->caplater ? c->caplater * 2 : 4;
		c->later = xrealloc(c->later, c->caplater * sizeof *c->later);
	}
	struct deferred *d = &c->later[c->nlater++];
	d->op = xstrdup(op ? op : "");
	d->action = xstrdup(action);
	d->before = xstrdup(before_json ? before_json : "{}");
	d->after = xstrdup(after_json ? after_json : "{}");
	d->case_id = case_id;
	d->branch = c->branch;
	d->v = c->v;
	d->n = c->n;
	d->cap = c->cap;
	c->v = NULL;
	c->n = c->cap = 0;
}

/* Appends one chained record (inside the caller's transaction): on PostgreSQL held for the
 * commit, on SQLite written now. */
static int append_in_transaction(struct xf_store *st, const char *op, const char *action, int64_t case_id,
                                 const char *before_json, const char *after_json, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	int rc = chain_refresh_schema(st, err);
	if (rc != XF_OK)
		return rc;
	if (op != c->actor)
		snprintf(c->actor, sizeof c->actor, "%s", op ? op : "");
	/* A file moved onto a server is an archive: no record is added to it after the move's own. */
	if (strcmp(action, XF_PUSH_MOVE_ACTION) != 0 && (rc = store_push_moved_check(st, err)) != XF_OK)
		return rc;
	if (!c->has_chain_columns) {
		chain_forget_touched(c); /* an older schema mid-upgrade: the seal of version 5 snapshots every row */
		return append_unchained(st, op, action, case_id, before_json, after_json, err);
	}
	if (records_deferred(st)) {
		defer_record(c, op, action, case_id, before_json, after_json);
		return XF_OK;
	}
	int64_t next_id;
	char prev[65];
	if ((rc = chain_tail(st, &next_id, prev, err)) != XF_OK) {
		chain_forget_touched(c);
		return rc;
	}
	return write_record(st, op, action, case_id, before_json, after_json, c->branch, &next_id, prev, err);
}

/* Reads now the rows a held record's snapshot reads back (not built by their writer), before
 * the chain head's lock: this transaction holds their row locks, so they read the same at the
 * commit. Every entry of such a row gets its JSON (chain_snapshot_json then reads none of them);
 * tables kept whole are left to be read under the lock, other branches' rows with them. */
static int read_rows_early(struct xf_store *st, struct deferred *d, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	for (size_t i = 0; i < d->n; i++) {
		struct touched *t = &d->v[i];
		if (t->json != NULL || chain_tracked_tables[t->table].whole_order || c->held[t->table].n == 0)
			continue;
		struct xf_buf b;
		buf_init(&b);
		int rc = chain_one_row_json(st, t->table, t->rowid, &b, err);
		if (rc != XF_OK) {
			buf_free(&b);
			return rc;
		}
		for (size_t k = 0; k < d->n; k++) {
			if (d->v[k].table == t->table && d->v[k].rowid == t->rowid) {
				free(d->v[k].json);
				d->v[k].json = xstrdup(b.data);
			}
		}
		buf_free(&b);
	}
	return XF_OK;
}

/* The schema version from which the server has xinfang_chain_head() (pg/022). */
enum { CHAIN_HEAD_FUNCTION = 22 };

/* Takes the chain head's lock, then reads the head (the next id, the hash to chain to): by one
 * statement where the server has xinfang_chain_head(), whose query after the lock sees every
 * append committed before (a volatile function's statements take a snapshot each), else by the
 * lock and then the head. */
static int lock_head(struct xf_store *st, int64_t *next_id, char prev[65], struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	bool one = c->schema_cookie >= CHAIN_HEAD_FUNCTION;
	struct xf_db_stmt *stmt = chain_cached(st, S_LOCK, one ? "SELECT id, hash FROM xinfang_chain_head()"
	                                                 : "SELECT pg_advisory_xact_lock(" CHAIN_LOCK_KEY ")");
	if (stmt == NULL)
		return chain_fail(st, "记录操作日志", err);
	int step = xf_db_step(stmt);
	int64_t id = 0;
	char hash[65] = "";
	if (step == XF_DB_ROW && one) {
		id = xf_db_column_int64(stmt, 0);
		snprintf(hash, sizeof hash, "%s", chain_col_text(stmt, 1));
	}
	chain_done(stmt);
	if (step != XF_DB_ROW)
		return chain_fail(st, "记录操作日志", err);
	if (!one || (id > 0 && hash[0] == '\0')) /* before the chain: chain_tail recomputes */
		return chain_tail(st, next_id, prev, err);
	*next_id = id + 1;
	memcpy(prev, hash, 65);
	return XF_OK;
}

/* Writes the records held for the commit, in order, under the chain head's lock (a transaction
 * advisory lock, held to the commit): each record's previous hash is the head at its append, so
 * the chain stays one line while the writers' other statements overlap. Taken last, after every
 * row lock of the transaction (a branch's, a case's), so no two writers wait on each other in a
 * circle; its statements after it see every earlier append committed (READ COMMITTED), and so
 * do the snapshots of tables kept whole (number_seq: other branches' rows). The rows the
 * snapshots read back are read before the lock: under it, the head, the tables kept whole, the
 * inserts, the commit. */
static int write_later(struct xf_store *st, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	if (c->nlater == 0)
		return XF_OK;
	int rc = XF_OK;
	for (size_t i = 0; i < c->nlater && rc == XF_OK; i++)
		rc = read_rows_early(st, &c->later[i], err);
	int64_t next_id = 0;
	char prev[65] = "";
	if (rc == XF_OK)
		rc = lock_head(st, &next_id, prev, err);
	for (size_t i = 0; i < c->nlater && rc == XF_OK; i++) {
		struct deferred *d = &c->later[i];
		chain_forget_touched(c);
		free(c->v);
		c->v = d->v; /* the rows noted before it, for its snapshot */
		c->n = d->n;
		c->cap = d->cap;
		d->v = NULL;
		d->n = d->cap = 0;
		rc = write_record(st, d->op, d->action, d->case_id, d->before, d->after, d->branch, &next_id, prev, err);
	}
	forget_later(c);
	return rc;
}

/* Takes the chain head's lock for the rest of the transaction (PostgreSQL; nothing on SQLite,
 * whose writer is alone): a migration's, so no writer commits and no other program migrates
 * beside it. */
int store_chain_lock_head(struct xf_store *st, struct xf_err *err)
{
	if (!records_deferred(st))
		return XF_OK;
	struct xf_db_stmt *stmt = chain_prepare(st, "SELECT pg_advisory_xact_lock(" CHAIN_LOCK_KEY ")");
	if (stmt == NULL)
		return chain_fail(st, "升级数据库", err);
	int step = xf_db_step(stmt);
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : chain_fail(st, "升级数据库", err);
}

/* Appends a record, in a transaction of its own when none is open. */
int store_chain_append(struct xf_store *st, const char *op, const char *action, int64_t case_id,
                       const char *before_json, const char *after_json, struct xf_err *err)
{
	bool own = false;
	int rc = store_chain_auto_begin(st, "audit", &own, err);
	if (rc != XF_OK)
		return rc;
	rc = append_in_transaction(st, op, action, case_id, before_json, after_json, err);
	return store_chain_auto_end(st, own, rc, err);
}

/* At the commit: a "write" record for rows written after the last record of the transaction,
 * then (PostgreSQL) every record held till now. */
int store_chain_flush(struct xf_store *st, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	if (c == NULL || !xf_db_in_transaction(store_db(st)))
		return XF_OK;
	int rc = XF_OK;
	if (c->n > 0)
		rc = append_in_transaction(st, c->actor, "write", 0, "{}", "{}", err);
	if (rc == XF_OK)
		rc = write_later(st, err);
	return rc;
}

/* Begins a transaction for a lone write to a covered table (or the audit table). */
int store_chain_auto_begin(struct xf_store *st, const char *table, bool *own, struct xf_err *err)
{
	*own = false;
	if (xf_db_in_transaction(store_db(st)))
		return XF_OK;
	if (strcmp(table, "audit") != 0 && chain_tracked_index(table) < 0)
		return XF_OK;
	int rc = store_begin(st, err);
	*own = rc == XF_OK;
	return rc;
}

/* Commits or rolls back what store_chain_auto_begin began. */
int store_chain_auto_end(struct xf_store *st, bool own, int rc, struct xf_err *err)
{
	if (!own)
		return rc;
	if (rc == XF_OK && (rc = store_commit(st, err)) == XF_OK)
		return XF_OK;
	store_rollback(st);
	return rc;
}

/* Notes every row of covered table t (its whole array once, for a table kept whole; each
 * branch's once, for one kept whole per branch), writing a record (action) of every few
 * hundred rows, so no record grows without bound. */
static int note_every_row(struct xf_store *st, int t, const char *action, bool *appended, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	if (c->held[t].n == 0)
		return XF_OK;
	bool split = chain_split_by_branch(c, t);
	char *sql = split ? xasprintf("SELECT DISTINCT branch FROM %s\"%s\" ORDER BY branch", chain_main_schema(st),
	                              chain_tracked_tables[t].table)
	            : chain_tracked_tables[t].whole_order
	                    ? xasprintf("SELECT 0 FROM %s\"%s\" LIMIT 1", chain_main_schema(st), chain_tracked_tables[t].table)
	                    : xasprintf("SELECT %s FROM %s\"%s\" ORDER BY %s", c->held[t].key, chain_main_schema(st),
	                                chain_tracked_tables[t].table, c->held[t].key);
	struct xf_db_stmt *stmt = chain_prepare(st, sql);
	free(sql);
	if (stmt == NULL)
		return chain_fail(st, "封存操作日志", err);
	int rc = XF_OK;
	while (rc == XF_OK && xf_db_step(stmt) == XF_DB_ROW) {
		note_row(c, t, xf_db_column_int64(stmt, 0));
		if (chain_tracked_tables[t].whole_order && !split)
			break;
		if (c->n >= 500) {
			rc = append_in_transaction(st, c->actor, action, 0, "{}", "{}", err);
			*appended = true;
		}
	}
	xf_db_finalize(stmt);
	return rc;
}

/* Seals an upgraded store: every row snapshotted in records chained after the older ones. */
int store_chain_seal(struct xf_store *st, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	int rc = chain_refresh_schema(st, err);
	if (rc != XF_OK)
		return rc;
	struct xf_chain_head head;
	if ((rc = store_chain_last(st, &head, err)) != XF_OK)
		return rc;
	chain_forget_touched(c);
	c->actor[0] = '\0';
	bool appended = false;
	for (int t = 0; t < NTRACKED && rc == XF_OK; t++)
		rc = note_every_row(st, t, "seal", &appended, err);
	if (rc == XF_OK && (c->n > 0 || (head.id > 0 && !appended)))
		rc = append_in_transaction(st, "", "seal", 0, "{}", "{}", err);
	return rc;
}

/* The next word of SQL text from *p on (a name, lower-cased, without its quotes), passing over
 * comments, string literals and punctuation; false at the end. */
static bool sql_word(const char **p, char *word, size_t size)
{
	const char *s = *p;
	for (;;) {
		if (*s == '\0')
			return false;
		if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
		} else if (s[0] == '/' && s[1] == '*') {
			const char *end = strstr(s + 2, "*/");
			s = end ? end + 2 : s + strlen(s);
		} else if (*s == '\'') {
			for (s++; *s && !(s[0] == '\'' && s[1] != '\''); s += s[0] == '\'' ? 2 : 1)
				;
			if (*s)
				s++;
		} else if (*s == '_' || *s == '"' || (unsigned char)*s >= 0x80 || (*s >= 'a' && *s <= 'z') ||
		           (*s >= 'A' && *s <= 'Z')) {
			break;
		} else {
			s++;
		}
	}
	size_t n = 0;
	bool quoted = *s == '"';
	if (quoted)
		s++;
	while (*s && (quoted ? *s != '"' : (*s == '_' || (unsigned char)*s >= 0x80 || (*s >= 'a' && *s <= 'z') ||
	                                    (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))) {
		if (n + 1 < size)
			word[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
		s++;
	}
	if (quoted && *s == '"')
		s++;
	word[n] = '\0';
	*p = s;
	return true;
}

/* Notes every row of each covered table a script (a migration) writes: INSERT/REPLACE INTO,
 * UPDATE, DELETE FROM such a table anywhere in it. A migration runs once: its rows are
 * snapshotted whole rather than row by row. */
int store_chain_note_script(struct xf_store *st, const char *sql, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	if (c == NULL)
		return XF_OK;
	bool written[NTRACKED] = {false};
	char w[3][64] = {"", "", ""}; /* the three words before this one, the nearest first */
	char word[64];
	const char *p = sql;
	while (sql_word(&p, word, sizeof word)) {
		int t = chain_tracked_index(word);
		bool conflict = strcmp(w[1], "or") == 0 && strcmp(w[2], "update") == 0; /* UPDATE OR IGNORE t */
		if (t >= 0 && (strcmp(w[0], "into") == 0 || strcmp(w[0], "update") == 0 || conflict ||
		               (strcmp(w[0], "from") == 0 && strcmp(w[1], "delete") == 0)))
			written[t] = true;
		memmove(w[1], w[0], 2 * sizeof w[0]);
		snprintf(w[0], sizeof w[0], "%s", word);
	}
	int rc = chain_refresh_schema(st, err);
	if (rc != XF_OK || !c->has_chain_columns)
		return rc;
	bool appended = false;
	for (int t = 0; t < NTRACKED && rc == XF_OK; t++)
		if (written[t])
			rc = note_every_row(st, t, "write", &appended, err);
	return rc;
}

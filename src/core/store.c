/* The store: opened through the storage seam (store_db.h), its schema migrated per backend,
 * transactions and the generic queries. */
#include "xinfang/store.h"

#include "xinfang/clock.h"
#include "xinfang/fileperm.h"
#include "store_db.h"
#include "store_private.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The columns of one table, read once from the schema. */
struct table_columns {
	const char *table;
	char **names;
	int n;
};

/* An INSERT kept prepared by its text: on SQLite, preparing an INSERT into cases compiles every
 * trigger on it (the pending counts), most of a generated or imported row's cost. */
#define XF_KEPT_INSERTS 16
struct kept_insert {
	char *sql;
	struct xf_db_stmt *stmt;
};

struct xf_store {
	struct xf_db *conn; /* the connection, through the storage seam (store_db.h) */
	sqlite3 *db;        /* its native SQLite handle, while store files still call SQLite */
	char *path;
	int busy_ms;
	int64_t others_commits; /* commits of other connections seen (store_data_version) */
	struct table_columns *tables; /* cache for the generic row functions */
	int ntables;
	bool search_ready; /* the text index exists and this connection keeps it (store_search.c) */
	sqlite3_stmt *search_stmts[XF_SEARCH_STMTS]; /* its re-indexing statements, prepared once */
	struct xf_chain *chain; /* rows written since the last audit record (store_chain.c) */
	struct kept_insert kept[XF_KEPT_INSERTS]; /* SQLite INSERTs kept prepared (store_insert) */
	unsigned kept_clock; /* the next slot to reuse when every one is taken */
};

/* The SQLite connection, for the other store_*.c files. */
sqlite3 *store_sqlite(struct xf_store *st)
{
	return st->db;
}

/* The connection through the storage seam, for the other store_*.c files. */
struct xf_db *store_db(struct xf_store *st)
{
	return st->conn;
}

/* The audit chain's state kept with the connection. */
struct xf_chain **store_chain_slot(struct xf_store *st)
{
	return &st->chain;
}

static void forget_columns(struct xf_store *st);
static int query_int(struct xf_store *st, const char *sql, int64_t *value, struct xf_err *err, const char *what);
static int store_pg_roles(struct xf_store *st, struct xf_err *err);

/* Tables the generic row functions may touch. */
static const char *const known_tables[] = {
	"departments", "channels",  "categories",  "operators", "cases",    "petitioners",
	"instructions", "transfers", "returns",    "outcomes",  "replies",  "extensions",
	"urgings",     "materials", "links",       "closures",  "printed_slips", "audit",
	"calendar_years", "calendar_days", "rulesets", "limit_rules", "drafts",
	"jrt_codes", "imports",
	"logins",      "branches", "branch_moves", "supervisions",
};

/* True when table is one the generic functions accept. */
static bool table_known(const char *table)
{
	for (size_t i = 0; i < sizeof known_tables / sizeof known_tables[0]; i++)
		if (strcmp(known_tables[i], table) == 0)
			return true;
	return false;
}

/* Set when a write went past the file-size limit (SIGXFSZ caught), for the SQLite helpers of
 * the files not yet on the seam (the seam keeps its own note: xf_db_note_file_limit). */
static volatile sig_atomic_t file_limit_hit;

/* Notes a write past the file-size limit; the write itself fails with EFBIG. */
static void note_file_limit(int sig)
{
	(void)sig;
	file_limit_hit = 1;
	xf_db_note_file_limit();
}

/* Catches SIGXFSZ so a write past the limit is an error with a message, not a silent death. */
void store_catch_file_limit(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = note_file_limit;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGXFSZ, &sa, NULL);
}

/* Turns the connection's last failure into a message a clerk can act on. */
static int fail(struct xf_store *st, struct xf_err *err, const char *what)
{
	return xf_db_fail(st->conn, err, what);
}

/* Prepares a statement or reports why not. */
static int prepare(struct xf_store *st, const char *sql, struct xf_db_stmt **stmt, struct xf_err *err)
{
	return xf_db_prepare(st->conn, sql, stmt, err);
}

/* Runs SQL with no results. */
static int exec(struct xf_store *st, const char *sql, struct xf_err *err, const char *what)
{
	return xf_db_exec(st->conn, sql, err, what);
}

/* True when the store is an SQLite file (not a PostgreSQL database). */
static bool on_sqlite(struct xf_store *st)
{
	return xf_db_dialect(st->conn) == XF_DB_SQLITE;
}

/* Releases rows. */
void rows_free(struct xf_rows *rows)
{
	for (size_t i = 0; i < rows->n; i++)
		fields_free(&rows->v[i]);
	free(rows->v);
	rows->v = NULL;
	rows->n = 0;
}

/* Creates a missing store file with the office's mode, so its -wal and -shm follow it. */
static int create_office_file(const char *path, struct xf_err *err)
{
	struct stat sb;
	if (stat(path, &sb) == 0 || errno != ENOENT)
		return XF_OK;
	struct xf_err why;
	int fd = fileperm_create(path, &why);
	if (fd >= 0) {
		close(fd);
		return XF_OK;
	}
	if (why.code == XF_EEXIST)
		return XF_OK; /* another program created it meanwhile */
	*err = why;
	return why.code;
}

/* A PostgreSQL store's time is its server's (the one clock: every desk on every machine dates
 * its records alike): the server's clock read once, the difference kept by clock.c. */
static int server_clock(struct xf_store *st, struct xf_err *err)
{
	if (on_sqlite(st))
		return XF_OK;
	int64_t server = 0;
	int rc = query_int(st, "SELECT CAST(floor(extract(epoch FROM clock_timestamp())) AS BIGINT)", &server, err,
	                   "读取数据库服务器的时间");
	if (rc == XF_OK)
		clock_use_server(server, (long long)time(NULL));
	return rc;
}

/* Opens the store the locator names (an SQLite file, made with the office's mode when missing,
 * or a PostgreSQL database) through the storage seam. */
int store_open(const char *path, struct xf_store **out, struct xf_err *err)
{
	*out = NULL;
	struct xf_err made;
	if (!xf_db_locator_is_pg(path) && create_office_file(path, &made) != XF_OK) {
		if (err)
			*err = made;
		return made.code;
	}
	struct xf_store *st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	const char *ms = getenv("XINFANG_BUSY_MS");
	st->busy_ms = ms && *ms ? atoi(ms) : 5000;
	struct xf_db_options opt = {.busy_ms = st->busy_ms};
	int code = xf_db_open(path, &opt, &st->conn, err);
	if (code != XF_OK) {
		store_close(st);
		return code;
	}
	st->db = on_sqlite(st) ? xf_db_native(st->conn) : NULL;
	/* The text index (FTS5; the token table) and the audit chain are kept on both backends; a
	 * production store on a server takes the server's clock. */
	if ((code = store_search_open(st, err)) != XF_OK || (code = store_chain_attach(st, err)) != XF_OK ||
	    (code = server_clock(st, err)) != XF_OK) {
		store_close(st);
		return code;
	}
	if (on_sqlite(st)) { /* the file's companions take its mode (PostgreSQL: no files here) */
		static const char *const companions[] = {"-wal", "-shm"};
		for (size_t i = 0; i < 2; i++) {
			char *p = xasprintf("%s%s", path, companions[i]);
			fileperm_follow(p);
			free(p);
		}
	}
	*out = st;
	return XF_OK;
}

/* Closes the store. */
void store_close(struct xf_store *st)
{
	if (st == NULL)
		return;
	store_chain_detach(st);
	/* The text index's kept statements are SQLite's (FTS5); PostgreSQL's driver keeps its own. */
	for (int i = 0; i < XF_SEARCH_STMTS; i++)
		if (st->search_stmts[i])
			sqlite3_finalize(st->search_stmts[i]);
	forget_columns(st);
	xf_db_close(st->conn);
	free(st->path);
	free(st);
}

/* True when the locator names a PostgreSQL database, not a file. */
bool store_locator_is_server(const char *locator)
{
	return xf_db_locator_is_pg(locator);
}

/* The login of the store's connection ("" on SQLite). */
int store_login_name(struct xf_store *st, char *out, size_t size, struct xf_err *err)
{
	out[0] = '\0';
	if (xf_db_dialect(st->conn) != XF_DB_POSTGRESQL)
		return XF_OK;
	struct xf_db_stmt *stmt;
	int rc = prepare(st, "SELECT CAST(session_user AS text)", &stmt, err);
	if (rc != XF_OK)
		return rc;
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW)
		snprintf(out, size, "%s", xf_db_column_text(stmt, 0) ? xf_db_column_text(stmt, 0) : "");
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : xf_db_fail(st->conn, err, "读取数据库的登录名");
}

/* The locator with any password hidden. */
char *store_locator_safe(const char *locator)
{
	return xf_db_locator_safe(locator);
}

/* A file name standing for a string: its letters, digits, '.' and '-' (every other byte as
 * '_', at most 80), then '-' and a hash (FNV-1a) of the whole string, so strings differing only
 * in what became '_' still differ. A new string. */
static char *file_name_of(const char *text)
{
	uint32_t h = 2166136261u;
	char safe[81];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		h = (h ^ *p) * 16777619u;
		if (n < sizeof safe - 1)
			safe[n++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			                    *p == '.' || *p == '-'
			                ? (char)*p
			                : '_';
	}
	safe[n] = '\0';
	return xasprintf("%s-%08x", safe, h);
}

/* True when a connection parameter (its key, n bytes) says where the database is (host, port,
 * its name, a service), not who connects or how (user, target_session_attrs, timeouts, TLS). */
static bool names_the_database(const char *key, size_t n)
{
	static const char *const where[] = {"host", "hostaddr", "port", "dbname", "service"};
	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++)
		if (strlen(where[i]) == n && strncmp(key, where[i], n) == 0)
			return true;
	return false;
}

/* Appends to b the parameters of list (separated by sep) that name the database, each after
 * joiner (the first after first). */
static void keep_database_params(struct xf_buf *b, const char *list, char sep, const char *first, const char *joiner)
{
	bool any = false;
	for (const char *p = list; *p;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (len > 0 && eq && names_the_database(p, (size_t)(eq - p))) {
			buf_puts(b, any ? joiner : first);
			buf_printf(b, "%.*s", (int)len, p);
			any = true;
		}
		p += len;
		if (*p == sep)
			p++;
	}
}

/* The part of a server's locator that names its database: the scheme, the hosts and ports, the
 * database's name and the parameters host, hostaddr, port, dbname and service; without the
 * user (before @ or user=) and the session's options. A desk's locator and the owner's name the
 * same database alike. A new string. */
char *store_locator_database(const char *locator)
{
	struct xf_buf b;
	buf_init(&b);
	const char *scheme_end = strstr(locator, "://");
	if (scheme_end == NULL) { /* key=value pairs, space-separated (service=…) */
		keep_database_params(&b, locator, ' ', "", " ");
		return b.data;
	}
	scheme_end += 3;
	buf_printf(&b, "%.*s", (int)(scheme_end - locator), locator);
	size_t authority_len = strcspn(scheme_end, "/?");
	const char *at = memchr(scheme_end, '@', authority_len);
	const char *hosts = at ? at + 1 : scheme_end;
	buf_printf(&b, "%.*s", (int)(scheme_end + authority_len - hosts), hosts);
	const char *rest = scheme_end + authority_len;
	size_t path_len = strcspn(rest, "?");
	buf_printf(&b, "%.*s", (int)path_len, rest);
	if (rest[path_len] == '?')
		keep_database_params(&b, rest + path_len + 1, '&', "?", "&");
	return b.data;
}

/* A file name standing for a server's database (its anchor's), from the part of its locator
 * that names the database (store_locator_database). A new string. */
char *store_locator_file_name(const char *locator)
{
	char *database = store_locator_database(locator);
	char *name = file_name_of(database);
	free(database);
	return name;
}

/* The file name a locator stood for before the name followed the database alone (the whole
 * locator, user and options too): the name of anchors written then. A new string. */
char *store_locator_file_name_whole(const char *locator)
{
	return file_name_of(locator);
}

/* The file's path (or the database's locator). */
const char *store_path(const struct xf_store *st)
{
	return st->path;
}

/* Reads one integer a query returns (0 when it returns no row). */
static int query_int(struct xf_store *st, const char *sql, int64_t *value, struct xf_err *err, const char *what)
{
	struct xf_db_stmt *stmt;
	int rc = prepare(st, sql, &stmt, err);
	if (rc != XF_OK)
		return rc;
	enum xf_db_step step = xf_db_step(stmt);
	*value = step == XF_DB_ROW ? xf_db_column_int64(stmt, 0) : 0;
	xf_db_finalize(stmt);
	return step == XF_DB_ERROR ? fail(st, err, what) : XF_OK;
}

/* The schema's version: SQLite's PRAGMA user_version; on PostgreSQL the one row of
 * schema_version (data/schema/pg/001_init.sql), 0 in a database without it. */
int store_version(struct xf_store *st, int *version, struct xf_err *err)
{
	int64_t v = 0;
	int rc;
	if (on_sqlite(st)) {
		rc = query_int(st, "PRAGMA user_version", &v, err, "读取数据库版本");
	} else {
		rc = query_int(st, "SELECT CASE WHEN to_regclass('schema_version') IS NULL THEN 0 ELSE 1 END", &v, err,
		               "读取数据库版本");
		if (rc == XF_OK && v == 1)
			rc = query_int(st, "SELECT version FROM schema_version", &v, err, "读取数据库版本");
	}
	*version = (int)v;
	return rc;
}

/* The migrations compiled in for the store's backend. */
static void backend_migrations(struct xf_store *st, const struct xf_migration **list, size_t *n)
{
	if (on_sqlite(st)) {
		*list = xf_migrations;
		*n = xf_migration_count;
	} else {
		*list = xf_pg_migrations;
		*n = xf_pg_migration_count;
	}
}

/* Newest compiled-in migration. */
int store_latest_version(void)
{
	return xf_migration_count ? xf_migrations[xf_migration_count - 1].version : 0;
}

/* Runs one migration in the open transaction and sets the version it brings (a PostgreSQL file
 * sets schema_version itself, as its last statement). */
static int migrate_one(struct xf_store *st, const struct xf_migration *m, struct xf_err *err)
{
	int rc = exec(st, m->sql, err, m->name);
	/* Rows the migration itself writes in covered tables are snapshotted with it; the chain's
	 * seal hashes the records an upgraded store already holds and snapshots every row. */
	if (rc == XF_OK)
		rc = store_chain_note_script(st, m->sql, err);
	if (rc == XF_OK && m->version == XF_CHAIN_SCHEMA)
		rc = store_chain_seal(st, err);
	if (rc != XF_OK || !on_sqlite(st))
		return rc;
	char *set = xasprintf("PRAGMA user_version=%d", m->version);
	rc = exec(st, set, err, m->name);
	free(set);
	return rc;
}

/* Applies pending migrations in order; on PostgreSQL then the desk's privileges (roles.sql). */
int store_migrate(struct xf_store *st, int upto, struct xf_err *err)
{
	int version;
	int rc = store_version(st, &version, err);
	if (rc != XF_OK)
		return rc;
	if (version > store_latest_version())
		return xf_err_set(err, XF_EINVAL, "数据库版本 %d 比本程序（最高 %d）新：请升级 xinfang", version,
		                  store_latest_version());
	forget_columns(st);
	const struct xf_migration *list;
	size_t n;
	backend_migrations(st, &list, &n);
	bool ran = false;
	for (size_t i = 0; i < n; i++) {
		const struct xf_migration *m = &list[i];
		if (m->version <= version || (upto > 0 && m->version > upto))
			continue;
		if ((rc = store_begin(st, err)) != XF_OK)
			return rc;
		/* On PostgreSQL writers overlap: a migration holds the chain head's lock, and one that
		 * another program ran while this one waited for it is not run again. */
		int now = 0;
		if (!on_sqlite(st) &&
		    ((rc = store_chain_lock_head(st, err)) != XF_OK || (rc = store_version(st, &now, err)) != XF_OK)) {
			store_rollback(st);
			return rc;
		}
		if (now >= m->version) {
			store_rollback(st);
			continue;
		}
		if ((rc = migrate_one(st, m, err)) != XF_OK || (rc = store_commit(st, err)) != XF_OK) {
			store_rollback(st);
			return rc;
		}
		ran = true;
	}
	if (ran)
		xf_db_schema_changed(st->conn);
	/* On PostgreSQL the desk's privileges follow a store brought to the newest version (roles.sql
	 * names its tables). */
	if (!on_sqlite(st) && ran && (upto <= 0 || upto >= store_latest_version()) &&
	    (rc = store_pg_roles(st, err)) != XF_OK)
		return rc;
	return store_search_attach(st, err);
}

/* Gives the desk's role its privileges on a PostgreSQL store (data/schema/pg/roles.sql, run by
 * the owner after the migrations), in one transaction. */
static int store_pg_roles(struct xf_store *st, struct xf_err *err)
{
	int rc = store_begin(st, err);
	if (rc != XF_OK)
		return rc;
	if ((rc = exec(st, xf_pg_roles_sql, err, "设置数据库权限")) != XF_OK || (rc = store_commit(st, err)) != XF_OK)
		store_rollback(st);
	return rc;
}

/* Begins the one write transaction (SQLite: BEGIN IMMEDIATE). */
int store_begin(struct xf_store *st, struct xf_err *err)
{
	store_chain_forget(st);
	return xf_db_begin_write(st->conn, err);
}

/* Begins a case's move, which on PostgreSQL overlaps other moves (xf_db_begin_write_shared). */
int store_begin_move(struct xf_store *st, struct xf_err *err)
{
	store_chain_forget(st);
	return xf_db_begin_write_shared(st->conn, err);
}

/* Begins the count of a login of one account name. On PostgreSQL it overlaps moves and other
 * names' logins (the writers' lock shared) and takes the name's own lock, held to the commit,
 * since the count is read and written back; a hundred desks logging in no longer stop every
 * move. SQLite: the one writer. */
int store_begin_login(struct xf_store *st, const char *name, struct xf_err *err)
{
	if (on_sqlite(st))
		return store_begin(st, err);
	int rc = store_begin_move(st, err);
	if (rc != XF_OK)
		return rc;
	struct xf_db_stmt *stmt;
	/* (30823, …) apart from the branches' locks (30822, branch) and the chain head's key */
	if ((rc = prepare(st, "SELECT 1 FROM (SELECT pg_advisory_xact_lock(30823, hashtext(CAST(?1 AS TEXT)))) l", &stmt,
	                  err)) != XF_OK) {
		store_rollback(st);
		return rc;
	}
	xf_db_bind_text(stmt, 1, name, -1);
	enum xf_db_step step = xf_db_step(stmt);
	xf_db_finalize(stmt);
	if (step != XF_DB_ROW) {
		rc = fail(st, err, "登录");
		store_rollback(st);
		return rc;
	}
	return XF_OK;
}

/* Commits, after bringing the text index up to date with what the transaction changed (the
 * SQLite driver then checkpoints when the WAL has grown; its failure leaves the commit standing). */
int store_commit(struct xf_store *st, struct xf_err *err)
{
	int rc = store_search_flush(st, err);
	if (rc == XF_OK)
		rc = store_chain_flush(st, err);
	if (rc != XF_OK)
		return rc;
	return xf_db_commit(st->conn, err);
}

/* Rolls back, when a transaction is open. */
void store_rollback(struct xf_store *st)
{
	xf_db_rollback(st->conn);
	store_chain_forget(st);
}

/* A number that moves each time another connection committed (the seam's change notes counted);
 * a failure other than a lost connection leaves it as it was, to be asked again. */
int store_data_version(struct xf_store *st, int64_t *version, struct xf_err *err)
{
	bool changed;
	*version = st->others_commits;
	if (xf_db_changed(st->conn, &changed, NULL) != XF_OK) {
		if (xf_db_errclass(st->conn) != XF_DB_ELOST)
			return XF_OK;
		return xf_err_set(err, XF_EIO,
		                  "与数据库服务器的连接中断了，正在自动重新连接：恢复之前不能保存或查询，已填写的内容都在，恢复后再保存（%s）",
		                  xf_db_errdetail(st->conn));
	}
	if (changed)
		st->others_commits++;
	*version = st->others_commits;
	return XF_OK;
}

/* The descriptor to wait on for other connections' commits, or -1. */
int store_notify_fd(struct xf_store *st)
{
	return xf_db_notify_fd(st->conn);
}

/* Forgets the cached columns (after a migration changed the schema). */
static void forget_columns(struct xf_store *st)
{
	for (int i = 0; i < st->ntables; i++) {
		for (int k = 0; k < st->tables[i].n; k++)
			free(st->tables[i].names[k]);
		free(st->tables[i].names);
	}
	free(st->tables);
	st->tables = NULL;
	st->ntables = 0;
	for (int i = 0; i < XF_KEPT_INSERTS; i++) {
		xf_db_finalize(st->kept[i].stmt);
		free(st->kept[i].sql);
		st->kept[i].stmt = NULL;
		st->kept[i].sql = NULL;
	}
}

/* An INSERT's statement: the one kept for the same text on SQLite (reset, ready to bind), else
 * a new one; *kept says which, so the caller resets rather than finalizes it. */
static int prepare_insert(struct xf_store *st, const char *sql, struct xf_db_stmt **stmt, bool *kept,
                          struct xf_err *err)
{
	*kept = false;
	/* PostgreSQL's driver keeps its own prepared statements by text. */
	if (!on_sqlite(st))
		return prepare(st, sql, stmt, err);
	for (int i = 0; i < XF_KEPT_INSERTS; i++)
		if (st->kept[i].sql && strcmp(st->kept[i].sql, sql) == 0) {
			*stmt = st->kept[i].stmt;
			*kept = true;
			return XF_OK;
		}
	int rc = prepare(st, sql, stmt, err);
	if (rc != XF_OK)
		return rc;
	struct kept_insert *k = &st->kept[st->kept_clock++ % XF_KEPT_INSERTS];
	xf_db_finalize(k->stmt);
	free(k->sql);
	k->sql = xstrdup(sql);
	k->stmt = *stmt;
	*kept = true;
	return XF_OK;
}

/* The columns of a known table, read from the schema on first use. */
static const struct table_columns *columns_of(struct xf_store *st, const char *table)
{
	for (int i = 0; i < st->ntables; i++)
		if (strcmp(st->tables[i].table, table) == 0)
			return &st->tables[i];
	struct xf_db_stmt *stmt;
	const char *sql = on_sqlite(st) ? "SELECT name FROM pragma_table_info(?1)"
	                                : "SELECT column_name FROM information_schema.columns "
	                                  "WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position";
	if (prepare(st, sql, &stmt, NULL) != XF_OK)
		return NULL;
	xf_db_bind_text(stmt, 1, table, -1);
	struct table_columns tc = {NULL, NULL, 0};
	for (size_t i = 0; i < sizeof known_tables / sizeof known_tables[0]; i++)
		if (strcmp(known_tables[i], table) == 0)
			tc.table = known_tables[i];
	while (xf_db_step(stmt) == XF_DB_ROW) {
		tc.names = xrealloc(tc.names, (size_t)(tc.n + 1) * sizeof *tc.names);
		tc.names[tc.n++] = xstrdup(xf_db_column_text(stmt, 0));
	}
	xf_db_finalize(stmt);
	if (tc.table == NULL || tc.n == 0) {
		for (int k = 0; k < tc.n; k++)
			free(tc.names[k]);
		free(tc.names);
		return NULL;
	}
	st->tables = xrealloc(st->tables, (size_t)(st->ntables + 1) * sizeof *st->tables);
	st->tables[st->ntables] = tc;
	return &st->tables[st->ntables++];
}

/* True when table has a column of that name. */
static bool has_column(struct xf_store *st, const char *table, const char *column)
{
	const struct table_columns *tc = columns_of(st, table);
	for (int i = 0; tc && i < tc->n; i++)
		if (strcmp(tc->names[i], column) == 0)
			return true;
	return false;
}

/* Checks a table name and its columns before they go into SQL text. */
static int check_columns(struct xf_store *st, const char *table, const struct xf_fields *cols, struct xf_err *err)
{
	if (!table_known(table))
		return xf_err_set(err, XF_EINVAL, "内部错误：未知的表 %s", table);
	for (size_t i = 0; cols && i < cols->n; i++)
		if (!has_column(st, table, cols->v[i].key))
			return xf_err_set(err, XF_EINVAL, "内部错误：表 %s 没有字段 %s", table, cols->v[i].key);
	return XF_OK;
}

/* The text of an INSERT of cols into table, values bound as ?1, ?2 ... in order. */
void store_insert_sql(struct xf_buf *sql, const char *table, const struct xf_fields *cols)
{
	buf_printf(sql, "INSERT INTO %s (", table);
	for (size_t i = 0; i < cols->n; i++)
		buf_printf(sql, "%s\"%s\"", i ? ", " : "", cols->v[i].key);
	buf_puts(sql, ") VALUES (");
	for (size_t i = 0; i < cols->n; i++)
		buf_printf(sql, "%s?%zu", i ? ", " : "", i + 1);
	buf_puts(sql, ")");
}

static int insert_given(struct xf_store *st, const char *table, const struct xf_fields *cols, int64_t *rowid,
                        struct xf_err *err);

/* Generic INSERT. */
int store_insert(struct xf_store *st, const char *table, const struct xf_fields *cols, int64_t *rowid,
                 struct xf_err *err)
{
	int rc = check_columns(st, table, cols, err);
	if (rc != XF_OK)
		return rc;
	/* "No value" ('') for an INTEGER column: the column is left to its declared default, on
	 * both backends (PostgreSQL refuses '' there; SQLite kept the text, unlike any number). */
	struct xf_fields given;
	fields_init(&given);
	for (size_t i = 0; i < cols->n; i++) {
		const char *dflt;
		if (cols->v[i].val[0] == '\0' && store_chain_blank_integer(st, table, cols->v[i].key, &dflt))
			continue;
		fields_add(&given, cols->v[i].key, cols->v[i].val);
	}
	rc = insert_given(st, table, &given, rowid, err);
	fields_free(&given);
	return rc;
}

/* store_insert of the values as given. */
static int insert_given(struct xf_store *st, const char *table, const struct xf_fields *cols, int64_t *rowid,
                        struct xf_err *err)
{
	int rc;
	struct xf_buf sql;
	buf_init(&sql);
	store_insert_sql(&sql, table, cols);
	/* The new row's id comes back with it (PostgreSQL has no last_insert_rowid): the caller's,
	 * and the audit chain's, which notes the row it is to snapshot. */
	bool returning = has_column(st, table, "id") || on_sqlite(st);
	if (returning && has_column(st, table, "id"))
		buf_puts(&sql, " RETURNING id");
	else if (returning)
		buf_puts(&sql, " RETURNING rowid");
	struct xf_db_stmt *stmt;
	bool own = false;
	if ((rc = store_chain_auto_begin(st, table, &own, err)) != XF_OK) {
		buf_free(&sql);
		return rc;
	}
	bool kept;
	rc = prepare_insert(st, sql.data, &stmt, &kept, err);
	buf_free(&sql);
	if (rc != XF_OK)
		return store_chain_auto_end(st, own, rc, err);
	for (size_t i = 0; i < cols->n; i++)
		xf_db_bind_text(stmt, (int)i + 1, cols->v[i].val, -1);
	enum xf_db_step step = xf_db_step(stmt);
	int64_t id = 0;
	if (step == XF_DB_ROW) {
		id = xf_db_column_int64(stmt, 0);
		step = xf_db_step(stmt);
	}
	if (rowid)
		*rowid = id;
	if (kept)
		xf_db_reset(stmt);
	else
		xf_db_finalize(stmt);
	if (step != XF_DB_DONE)
		return store_chain_auto_end(st, own, fail(st, err, "保存记录"), err);
	store_chain_note(st, table, id);
	return store_chain_auto_end(st, own, XF_OK, err);
}

/* Generic UPDATE by id, with an optional row-version check. */
int store_update(struct xf_store *st, const char *table, int64_t id, const struct xf_fields *cols,
                 int64_t expect_version, struct xf_err *err)
{
	int rc = check_columns(st, table, cols, err);
	if (rc != XF_OK)
		return rc;
	bool versioned = strcmp(table, "cases") == 0;
	struct xf_buf sql;
	buf_init(&sql);
	buf_printf(&sql, "UPDATE %s SET ", table);
	for (size_t i = 0; i < cols->n; i++)
		buf_printf(&sql, "%s\"%s\" = ?%zu", i ? ", " : "", cols->v[i].key, i + 1);
	if (versioned)
		buf_printf(&sql, "%sversion = version + 1", cols->n ? ", " : "");
	buf_printf(&sql, " WHERE id = ?%zu", cols->n + 1);
	if (versioned && expect_version > 0)
		buf_printf(&sql, " AND version = ?%zu", cols->n + 2);
	/* On PostgreSQL a case's branch lock (pg/022) before its row's: the order a registration
	 * takes them in (store_next_seq), so a writer of many cases (a recompute) and a desk never
	 * wait on each other in a circle; the row found, the lock is its filter's last test. */
	if (versioned && xf_db_dialect(st->conn) == XF_DB_POSTGRESQL)
		buf_puts(&sql, " AND xinfang_branch_lock(branch)");
	struct xf_db_stmt *stmt;
	bool own = false;
	if ((rc = store_chain_auto_begin(st, table, &own, err)) != XF_OK) {
		buf_free(&sql);
		return rc;
	}
	rc = prepare(st, sql.data, &stmt, err);
	buf_free(&sql);
	if (rc != XF_OK)
		return store_chain_auto_end(st, own, rc, err);
	for (size_t i = 0; i < cols->n; i++) {
		const char *dflt; /* "no value" for an INTEGER column: its declared default (store_insert) */
		if (cols->v[i].val[0] == '\0' && store_chain_blank_integer(st, table, cols->v[i].key, &dflt)) {
			if (dflt)
				xf_db_bind_text(stmt, (int)i + 1, dflt, -1);
			else
				xf_db_bind_null(stmt, (int)i + 1);
		} else {
			xf_db_bind_text(stmt, (int)i + 1, cols->v[i].val, -1);
		}
	}
	xf_db_bind_int64(stmt, (int)cols->n + 1, id);
	if (versioned && expect_version > 0)
		xf_db_bind_int64(stmt, (int)cols->n + 2, expect_version);
	if ((rc = store_db_run(st, stmt, err, "保存修改")) != XF_OK)
		return store_chain_auto_end(st, own, rc, err);
	if (xf_db_changes(st->conn) == 0) {
		if (versioned && expect_version > 0)
			rc = xf_err_set(err, XF_ECONFLICT, "这条记录刚被其他人修改过：请重新打开后再操作，您的输入未保存");
		else
			rc = xf_err_set(err, XF_ENOTFOUND, "记录不存在");
		return store_chain_auto_end(st, own, rc, err);
	}
	store_chain_note(st, table, id);
	return store_chain_auto_end(st, own, XF_OK, err);
}

/* Updates the row of a reference list (departments, channels, categories) named `name`. */
int store_update_named(struct xf_store *st, const char *table, const char *name, const struct xf_fields *cols,
                       struct xf_err *err)
{
	if (strcmp(table, "departments") != 0 && strcmp(table, "channels") != 0 && strcmp(table, "categories") != 0)
		return xf_err_set(err, XF_EINVAL, "内部错误：%s 不是基础清单", table);
	int rc = check_columns(st, table, cols, err);
	if (rc != XF_OK)
		return rc;
	struct xf_buf sql;
	buf_init(&sql);
	buf_printf(&sql, "UPDATE %s SET ", table);
	for (size_t i = 0; i < cols->n; i++)
		buf_printf(&sql, "%s\"%s\" = ?%zu", i ? ", " : "", cols->v[i].key, i + 1);
	buf_printf(&sql, " WHERE name = ?%zu", cols->n + 1);
	struct xf_db_stmt *stmt;
	bool own = false;
	if ((rc = store_chain_auto_begin(st, table, &own, err)) != XF_OK) {
		buf_free(&sql);
		return rc;
	}
	rc = prepare(st, sql.data, &stmt, err);
	buf_free(&sql);
	if (rc != XF_OK)
		return store_chain_auto_end(st, own, rc, err);
	for (size_t i = 0; i < cols->n; i++)
		xf_db_bind_text(stmt, (int)i + 1, cols->v[i].val, -1);
	xf_db_bind_text(stmt, (int)cols->n + 1, name, -1);
	if ((rc = store_db_run(st, stmt, err, "保存修改")) != XF_OK)
		return store_chain_auto_end(st, own, rc, err);
	if (xf_db_changes(st->conn) == 0)
		return store_chain_auto_end(st, own, xf_err_set(err, XF_ENOTFOUND, "没有“%s”这一项", name), err);
	store_chain_note(st, table, 0); /* kept whole */
	return store_chain_auto_end(st, own, XF_OK, err);
}

/* Generic SELECT by id. */
int store_get(struct xf_store *st, const char *table, int64_t id, struct xf_fields *out, struct xf_err *err)
{
	fields_init(out);
	if (!table_known(table))
		return xf_err_set(err, XF_EINVAL, "内部错误：未知的表 %s", table);
	char *sql = xasprintf("SELECT * FROM %s WHERE id = ?1", table);
	struct xf_db_stmt *stmt;
	int rc = prepare(st, sql, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, id);
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW) {
		store_db_row_fields(stmt, out);
		xf_db_finalize(stmt);
		return XF_OK;
	}
	xf_db_finalize(stmt);
	if (step == XF_DB_DONE)
		return xf_err_set(err, XF_ENOTFOUND, "记录不存在");
	return fail(st, err, "读取记录");
}

/* Generic SELECT by one column. */
int store_list(struct xf_store *st, const char *table, const char *column, const char *value,
               struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	struct xf_fields probe;
	fields_init(&probe);
	if (column)
		fields_set(&probe, column, "");
	int rc = check_columns(st, table, &probe, err);
	fields_free(&probe);
	if (rc != XF_OK)
		return rc;
	/* Rows with a place (ord: a case's petitioners from 0, the JR/T codes, and the reference
	 * lists from 1, where 0 is an entry an older build added without one, listed after the
	 * rest) in that order; then in the order written: SQLite's rowid; PostgreSQL has none, so
	 * the id (else the first column). */
	const char *tie = on_sqlite(st) ? "rowid" : has_column(st, table, "id") ? "id" : "1";
	bool from_one = strcmp(table, "channels") == 0 || strcmp(table, "categories") == 0;
	char *order = !has_column(st, table, "ord") ? xstrdup(tie)
	              : from_one                    ? xasprintf("ord = 0, ord, %s", tie)
	                                            : xasprintf("ord, %s", tie);
	char *sql = column ? xasprintf("SELECT * FROM %s WHERE \"%s\" = ?1 ORDER BY %s", table, column, order)
	                   : xasprintf("SELECT * FROM %s ORDER BY %s", table, order);
	free(order);
	struct xf_db_stmt *stmt;
	rc = prepare(st, sql, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	if (column)
		xf_db_bind_text(stmt, 1, value, -1);
	return store_db_collect(st, stmt, out, err);
}

/* Reads a setting. */
int store_setting_get(struct xf_store *st, const char *key, char **out, struct xf_err *err)
{
	*out = NULL;
	struct xf_db_stmt *stmt;
	int rc = prepare(st, "SELECT value FROM settings WHERE key = ?1", &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_text(stmt, 1, key, -1);
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW) {
		const char *v = xf_db_column_text(stmt, 0);
		*out = xstrdup(v ? v : "");
	}
	xf_db_finalize(stmt);
	if (step == XF_DB_ERROR)
		return fail(st, err, "读取设置");
	return XF_OK;
}

/* Writes a setting. */
int store_setting_set(struct xf_store *st, const char *key, const char *value, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	bool own = false;
	int rc = store_chain_auto_begin(st, "settings", &own, err);
	if (rc != XF_OK)
		return rc;
	rc = prepare(st, "INSERT INTO settings(key, value) VALUES (?1, ?2) "
	                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	             &stmt, err);
	if (rc != XF_OK)
		return store_chain_auto_end(st, own, rc, err);
	xf_db_bind_text(stmt, 1, key, -1);
	xf_db_bind_text(stmt, 2, value, -1);
	if ((rc = store_db_run(st, stmt, err, "保存设置")) == XF_OK)
		store_chain_note(st, "settings", 0);
	return store_chain_auto_end(st, own, rc, err);
}

/* Next number of a branch's year, in the caller's transaction. */
int store_next_seq(struct xf_store *st, int64_t branch, int year, int *seq, struct xf_err *err)
{
	/* On PostgreSQL the branch's advisory lock first (writers of other branches overlap), the
	 * same that its counts' trigger takes (pg/022): then the row of the year, locked to the
	 * commit, so the next number waits for this one's commit or rollback (no gap). */
	struct xf_db_stmt *stmt;
	bool pg = xf_db_dialect(st->conn) == XF_DB_POSTGRESQL;
	int rc = prepare(st, pg ? "INSERT INTO number_seq(branch, year, last) SELECT CAST(?2 AS bigint), CAST(?1 AS bigint), 1 "
	                          "FROM (SELECT xinfang_branch_lock(CAST(?2 AS bigint))) l "
	                          "ON CONFLICT(branch, year) DO UPDATE SET last = number_seq.last + 1 RETURNING last"
	                        : "INSERT INTO number_seq(branch, year, last) VALUES (?2, ?1, 1) "
	                          "ON CONFLICT(branch, year) DO UPDATE SET last = number_seq.last + 1 RETURNING last",
	                 &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, year);
	xf_db_bind_int64(stmt, 2, branch > 0 ? branch : 1);
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW) {
		*seq = (int)xf_db_column_int64(stmt, 0);
		step = xf_db_step(stmt);
	} else if (step == XF_DB_DONE) {
		step = XF_DB_ERROR; /* no number came back */
	}
	xf_db_finalize(stmt);
	if (step != XF_DB_DONE)
		return fail(st, err, "编号");
	store_chain_note(st, "number_seq", branch > 0 ? branch : 1); /* its branch's rows only */
	return XF_OK;
}

/* Finds a branch's case by year and sequence. */
int store_case_id(struct xf_store *st, int64_t branch, int year, int seq, int64_t *id, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	int rc = prepare(st, "SELECT id FROM cases WHERE branch = ?3 AND year = ?1 AND seq = ?2", &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, year);
	xf_db_bind_int64(stmt, 2, seq);
	xf_db_bind_int64(stmt, 3, branch > 0 ? branch : 1);
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW)
		*id = xf_db_column_int64(stmt, 0);
	xf_db_finalize(stmt);
	if (step == XF_DB_ROW)
		return XF_OK;
	if (step == XF_DB_DONE)
		return xf_err_set(err, XF_ENOTFOUND, "没有 %d年第%04d号 这件信访事项", year, seq);
	return fail(st, err, "查找案件");
}

/* The states in which each limit is still pending: the same terms as the partial indexes'
 * WHERE clauses, so that INDEXED BY can use them (SQLite refuses the query otherwise);
 * cases_due_reply's is written as comparisons since schema version 15. */
static const char *const pending_states[XF_LIMIT_COUNT] = {
	"state = 'queued'",
	"state IN ('queued', 'transferred')",
	"(state = 'queued' OR state = 'transferred' OR state = 'reported')",
};
static const char *const due_columns[XF_LIMIT_COUNT] = {"due_transfer", "due_handle", "due_reply"};

/* Counts pending cases with a due date in a range, from the counts kept per due date
 * (pending_counts, schema version 14): the dates in the range summed, or with no start the
 * total less the dates after the range, so a count reads the dates from today on, never the
 * backlog behind it. */
int store_count_pending(struct xf_store *st, const struct xf_reach *reach, enum xf_limit_kind kind, const char *from,
                        const char *to, const char *department, long *count, struct xf_err *err)
{
	char *in_reach = store_reach_sql(reach, "branch", 6);
	char *sql = xasprintf(
		"SELECT CASE WHEN CAST(?2 AS TEXT) IS NULL THEN coalesce((SELECT sum(n) FROM pending_counts WHERE %s AND kind = ?1 "
		"AND scope = ?4 AND department = ?5 AND due = '*'), 0) - coalesce((SELECT sum(n) FROM pending_counts WHERE %s "
		"AND kind = ?1 AND scope = ?4 AND department = ?5 AND due > ?3 AND due <= '9999-99-99'), 0) "
		"ELSE coalesce((SELECT sum(n) FROM pending_counts WHERE %s AND kind = ?1 AND scope = ?4 AND department = ?5 "
		"AND due >= ?2 AND due <= ?3), 0) END",
		in_reach, in_reach, in_reach);
	free(in_reach);
	struct xf_db_stmt *stmt;
	int rc = prepare(st, sql, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	store_reach_bind(stmt, reach, 6);
	xf_db_bind_int64(stmt, 1, (int)kind);
	if (from)
		xf_db_bind_text(stmt, 2, from, -1);
	xf_db_bind_text(stmt, 3, to ? to : "9999-99-99", -1);
	xf_db_bind_int64(stmt, 4, department ? 1 : 0);
	xf_db_bind_text(stmt, 5, department ? department : "", -1);
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW)
		*count = (long)xf_db_column_int64(stmt, 0);
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : fail(st, err, "统计时限");
}

/* True when a reach covers the whole store: none, or every branch under the top (id 1, the
 * store's own, whose path every branch's starts with). */
static bool reach_whole(const struct xf_reach *reach)
{
	return reach == NULL || (reach->path != NULL && strcmp(reach->path, "/1/") == 0);
}

/* The condition "column's branch is in reach" at parameter p. */
char *store_reach_sql(const struct xf_reach *reach, const char *column, int p)
{
	/* The whole store still names its parameter (bound NULL, always true): a statement with
	 * parameters after it would otherwise have a gap, which PostgreSQL refuses. */
	if (reach_whole(reach))
		return xasprintf("CAST(?%d AS BIGINT) IS NULL", p);
	if (reach->path == NULL)
		return xasprintf("%s = ?%d", column, p);
	return xasprintf("%s IN (SELECT id FROM branches WHERE path LIKE ?%d)", column, p);
}

/* Binds the reach's value at parameter p (a path as a LIKE prefix: its ids are digits and
 * slashes, no wildcard). */
void store_reach_bind(struct xf_db_stmt *stmt, const struct xf_reach *reach, int p)
{
	if (reach_whole(reach)) {
		xf_db_bind_null(stmt, p);
		return;
	}
	if (reach->path == NULL) {
		xf_db_bind_int64(stmt, p, reach->branch);
		return;
	}
	char *prefix = xasprintf("%s%%", reach->path);
	xf_db_bind_text(stmt, p, prefix, -1);
	free(prefix);
}

/* One limit's recount for pending_counts as a SELECT of (branch, kind, scope, department, due,
 * n) over the cases numbered after after_id: per due date, or in all ('*') when all is set,
 * for each branch (scope 0) or per department of it (scope 1) — what the triggers keep,
 * counted afresh. */
char *store_pending_recount_sql(int kind, int scope, bool all, long long after_id)
{
	return xasprintf("SELECT branch, %d AS kind, %d AS scope, %s AS department, %s AS due, count(*) AS n "
	                 "FROM main.cases WHERE id > %lld AND %s AND %s BETWEEN '0000-00-00' AND '9999-99-99' "
	                 "GROUP BY 1, 4, 5",
	                 kind, scope, scope ? "department" : "''", all ? "'*'" : due_columns[kind], after_id,
	                 pending_states[kind], due_columns[kind]);
}

/* Counts the rows of pending_counts that differ from a recount of the cases (rows of none
 * aside): the status bar's figures held to the cases they stand for. */
int store_pending_counts_check(struct xf_store *st, long *differing, struct xf_err *err)
{
	struct xf_buf want;
	buf_init(&want);
	for (int kind = 0; kind < XF_LIMIT_COUNT; kind++)
		for (int scope = 0; scope < 2; scope++)
			for (int all = 0; all < 2; all++) {
				char *one = store_pending_recount_sql(kind, scope, all, 0);
				buf_printf(&want, "%s%s", want.len ? " UNION ALL " : "", one);
				free(one);
			}
	char *sql = xasprintf("WITH want AS (%s), kept AS (SELECT branch, kind, scope, department, due, n FROM main.pending_counts "
	                      "WHERE n <> 0) SELECT (SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM kept) AS missing) "
	                      "+ (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM want) AS extra)",
	                      want.data);
	buf_free(&want);
	if (!on_sqlite(st)) { /* main. keeps SQLite's temporary tables out; PostgreSQL has no main */
		for (char *m; (m = strstr(sql, "main.")) != NULL;)
			memmove(m, m + 5, strlen(m + 5) + 1);
	}
	struct xf_db_stmt *stmt;
	int rc = prepare(st, sql, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW)
		*differing = (long)xf_db_column_int64(stmt, 0);
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : fail(st, err, "核对时限计数");
}

/* Lists pending cases in reach due by a date. */
int store_pending_list(struct xf_store *st, const struct xf_reach *reach, enum xf_limit_kind kind, const char *to,
                       const char *department, struct xf_rows *out, struct xf_err *err)
{
	/* SQLite is told the partial index; PostgreSQL's planner picks it by itself. */
	char *indexed = on_sqlite(st) ? xasprintf("INDEXED BY cases_%s ", due_columns[kind]) : xstrdup("");
	char *in_reach = store_reach_sql(reach, "c.branch", 3);
	char *sql = xasprintf("SELECT c.id, c.number, c.state, c.%s AS due, "
	                      XF_LIST_NAME ", c.department, c.category, c.received "
	                      "FROM cases c %s"
	                      "LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 "
	                      "WHERE %s AND c.%s <= ?1 AND (CAST(?2 AS TEXT) IS NULL OR c.department = ?2) AND %s "
	                      "ORDER BY c.%s, c.id",
	                      due_columns[kind], indexed, pending_states[kind], due_columns[kind], in_reach,
	                      due_columns[kind]);
	free(indexed);
	free(in_reach);
	struct xf_db_stmt *stmt;
	int rc = prepare(st, sql, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_text(stmt, 1, to, -1);
	if (department)
		xf_db_bind_text(stmt, 2, department, -1);
	store_reach_bind(stmt, reach, 3);
	return store_db_collect(st, stmt, out, err);
}

/* Cases in reach of petitioners matching one identifying column. */
int store_petitioner_cases(struct xf_store *st, const struct xf_reach *reach, const char *column, const char *value,
                           struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	if (strcmp(column, "id_number") != 0 && strcmp(column, "phone") != 0 && strcmp(column, "name") != 0)
		return xf_err_set(err, XF_EINVAL, "内部错误：不能按 %s 查找信访人", column);
	char *in_reach = store_reach_sql(reach, "c.branch", 2);
	char *sql = xasprintf("SELECT DISTINCT c.id, c.number, c.state, c.received, p.name "
	                      "FROM petitioners p JOIN cases c ON c.id = p.case_id "
	                      "WHERE p.%s = ?1 AND p.%s <> '' AND %s ORDER BY c.received, c.id",
	                      column, column, in_reach);
	free(in_reach);
	struct xf_db_stmt *stmt;
	int rc = prepare(st, sql, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_text(stmt, 1, value, -1);
	store_reach_bind(stmt, reach, 2);
	return store_db_collect(st, stmt, out, err);
}

/* Brief rows for lists. */
int store_case_briefs(struct xf_store *st, const struct xf_reach *reach, const char *state, const char *department,
                      const char *created_by, enum xf_list_order order, int limit, struct xf_rows *out,
                      struct xf_err *err)
{
	/* Two texts rather than one ORDER BY CASE: newest first keeps its index-ordered scan. */
	static const char *const order_by[] = {
		[XF_LIST_NEWEST] = "ORDER BY c.received DESC, c.id DESC LIMIT ?3",
		[XF_LIST_DUE_HANDLE] = "ORDER BY c.due_handle, c.received, c.id LIMIT ?3",
	};
	char *in_reach = store_reach_sql(reach, "c.branch", 5);
	char *sql = xasprintf("SELECT c.id, c.number, c.state, c.closure, c.received, c.channel, "
	                      XF_LIST_NAME ", c.category, c.department, "
	                      "c.summary, c.due_transfer, c.due_handle, c.due_reply, c.created_by, "
	                      "c.confidential "
	                      "FROM cases c LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 "
	                      "WHERE (CAST(?1 AS TEXT) IS NULL OR c.state = ?1) "
	                      "AND (CAST(?2 AS TEXT) IS NULL OR c.department = ?2) "
	                      "AND (CAST(?4 AS TEXT) IS NULL OR c.created_by = ?4) AND %s %s",
	                      in_reach, order_by[order == XF_LIST_DUE_HANDLE ? XF_LIST_DUE_HANDLE : XF_LIST_NEWEST]);
	free(in_reach);
	struct xf_db_stmt *stmt;
	int rc = prepare(st, sql, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	if (state)
		xf_db_bind_text(stmt, 1, state, -1);
	if (department)
		xf_db_bind_text(stmt, 2, department, -1);
	xf_db_bind_int64(stmt, 3, limit);
	if (created_by)
		xf_db_bind_text(stmt, 4, created_by, -1);
	store_reach_bind(stmt, reach, 5);
	return store_db_collect(st, stmt, out, err);
}

/* Replaces a year of the calendar (in the caller's transaction); loaded_at is the one clock's. */
int store_calendar_replace(struct xf_store *st, int year, const char *source, const struct xf_calday *days,
                           size_t n, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	int rc = prepare(st, "DELETE FROM calendar_days WHERE day BETWEEN ?1 AND ?2", &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_text(stmt, 1, from, -1);
	xf_db_bind_text(stmt, 2, to, -1);
	if ((rc = store_db_run(st, stmt, err, "导入日历")) != XF_OK)
		return rc;
	if (xf_db_changes(st->conn) > 0 || n > 0)
		store_chain_note(st, "calendar_days", 0);
	store_chain_note(st, "calendar_years", 0);
	if ((rc = prepare(st, "INSERT INTO calendar_days(day, work, name) VALUES (?1, ?2, ?3)", &stmt, err)) != XF_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char iso[11];
		date_format(days[i].day, iso);
		xf_db_bind_text(stmt, 1, iso, -1);
		xf_db_bind_int64(stmt, 2, days[i].work);
		xf_db_bind_text(stmt, 3, days[i].name, -1);
		enum xf_db_step step = xf_db_step(stmt);
		xf_db_reset(stmt);
		if (step != XF_DB_DONE) {
			xf_db_finalize(stmt);
			return fail(st, err, "导入日历");
		}
	}
	xf_db_finalize(stmt);
	if ((rc = prepare(st, "INSERT INTO calendar_years(year, source, loaded_at) VALUES (?1, ?2, ?3) "
	                      "ON CONFLICT(year) DO UPDATE SET source = excluded.source, loaded_at = excluded.loaded_at",
	                  &stmt, err)) != XF_OK)
		return rc;
	char now[20];
	clock_now_iso(now);
	xf_db_bind_int64(stmt, 1, year);
	xf_db_bind_text(stmt, 2, source, -1);
	xf_db_bind_text(stmt, 3, now, -1);
	return store_db_run(st, stmt, err, "导入日历");
}

/* Loads the calendar into memory. */
int store_calendar_load(struct xf_store *st, struct xf_calendar *cal, struct xf_err *err)
{
	calendar_init(cal);
	struct xf_db_stmt *stmt;
	int rc = prepare(st, "SELECT year FROM calendar_years ORDER BY year", &stmt, err);
	if (rc != XF_OK)
		return rc;
	enum xf_db_step step;
	while ((step = xf_db_step(stmt)) == XF_DB_ROW)
		calendar_add_year(cal, (int)xf_db_column_int64(stmt, 0));
	xf_db_finalize(stmt);
	if (step != XF_DB_DONE)
		return fail(st, err, "读取日历");
	if ((rc = prepare(st, "SELECT day, work, name FROM calendar_days ORDER BY day", &stmt, err)) != XF_OK)
		return rc;
	while ((step = xf_db_step(stmt)) == XF_DB_ROW) {
		int day;
		if (date_parse(xf_db_column_text(stmt, 0), &day, NULL) == XF_OK)
			calendar_add_day(cal, day, xf_db_column_int64(stmt, 1) != 0, xf_db_column_text(stmt, 2));
	}
	xf_db_finalize(stmt);
	return step == XF_DB_DONE ? XF_OK : fail(st, err, "读取日历");
}

/* Replaces the rule sets and rules (in the caller's transaction). */
int store_rules_replace(struct xf_store *st, const struct xf_rules *rules, struct xf_err *err)
{
	int rc = exec(st, "DELETE FROM limit_rules; DELETE FROM rulesets;", err, "保存时限规则");
	if (rc != XF_OK)
		return rc;
	store_chain_note(st, "limit_rules", 0);
	store_chain_note(st, "rulesets", 0);
	for (size_t i = 0; i < rules->nsets; i++) {
		struct xf_fields f;
		fields_init(&f);
		fields_set(&f, "name", rules->sets[i].name);
		fields_set(&f, "label", rules->sets[i].label);
		rc = store_insert(st, "rulesets", &f, NULL, err);
		fields_free(&f);
		if (rc != XF_OK)
			return rc;
	}
	for (size_t i = 0; i < rules->n; i++) {
		const struct xf_rule *r = &rules->rules[i];
		struct xf_fields f;
		char len[16];
		snprintf(len, sizeof len, "%d", r->length);
		fields_init(&f);
		fields_set(&f, "ruleset", r->ruleset);
		fields_set(&f, "kind", limits_kind_key(r->kind));
		fields_set(&f, "category", r->category);
		fields_set(&f, "unit", limits_unit_key(r->unit));
		fields_set(&f, "length", len);
		rc = store_insert(st, "limit_rules", &f, NULL, err);
		fields_free(&f);
		if (rc != XF_OK)
			return rc;
	}
	if ((rc = store_setting_set(st, "ruleset", rules->active, err)) != XF_OK)
		return rc;
	for (int k = 0; k < XF_LIMIT_COUNT; k++) {
		char key[32], val[16];
		snprintf(key, sizeof key, "warn_%s", limits_kind_key((enum xf_limit_kind)k));
		snprintf(val, sizeof val, "%d", rules->warn_days[k]);
		if ((rc = store_setting_set(st, key, val, err)) != XF_OK)
			return rc;
	}
	return XF_OK;
}

/* Loads the rules, the active set and the warning windows. */
int store_rules_load(struct xf_store *st, struct xf_rules *rules, struct xf_err *err)
{
	memset(rules, 0, sizeof *rules);
	struct xf_rows rows;
	int rc = store_list(st, "rulesets", NULL, NULL, &rows, err);
	if (rc != XF_OK)
		return rc;
	rules->sets = xcalloc(rows.n ? rows.n : 1, sizeof *rules->sets);
	for (size_t i = 0; i < rows.n; i++) {
		snprintf(rules->sets[i].name, sizeof rules->sets[i].name, "%s", fields_str(&rows.v[i], "name"));
		snprintf(rules->sets[i].label, sizeof rules->sets[i].label, "%s", fields_str(&rows.v[i], "label"));
	}
	rules->nsets = rows.n;
	rows_free(&rows);
	if ((rc = store_list(st, "limit_rules", NULL, NULL, &rows, err)) != XF_OK)
		return rc;
	for (size_t i = 0; i < rows.n; i++) {
		struct xf_rule r;
		memset(&r, 0, sizeof r);
		snprintf(r.ruleset, sizeof r.ruleset, "%s", fields_str(&rows.v[i], "ruleset"));
		snprintf(r.category, sizeof r.category, "%s", fields_str(&rows.v[i], "category"));
		r.kind = (enum xf_limit_kind)limits_kind_parse(fields_str(&rows.v[i], "kind"));
		r.unit = (enum xf_unit)limits_unit_parse(fields_str(&rows.v[i], "unit"));
		r.length = atoi(fields_str(&rows.v[i], "length"));
		limits_add_rule(rules, &r);
	}
	rows_free(&rows);
	char *v;
	if ((rc = store_setting_get(st, "ruleset", &v, err)) != XF_OK)
		return rc;
	snprintf(rules->active, sizeof rules->active, "%s", v ? v : "seed");
	free(v);
	static const int defaults[XF_LIMIT_COUNT] = {1, 2, 5};
	for (int k = 0; k < XF_LIMIT_COUNT; k++) {
		char key[32];
		snprintf(key, sizeof key, "warn_%s", limits_kind_key((enum xf_limit_kind)k));
		if ((rc = store_setting_get(st, key, &v, err)) != XF_OK)
			return rc;
		rules->warn_days[k] = v ? atoi(v) : defaults[k];
		free(v);
	}
	return XF_OK;
}

/* Appends one audit event, chained and with the snapshots of the rows written since the last one. */
int store_audit(struct xf_store *st, const char *op, const char *action, int64_t case_id, const char *before_json,
                const char *after_json, struct xf_err *err)
{
	return store_chain_append(st, op, action, case_id, before_json, after_json, err);
}

/* Saves a draft (SQLite keeps its JSON minified by json(); PostgreSQL the text as given). */
int store_draft_put(struct xf_store *st, const char *op, const char *form, const char *json, const char *at,
                    struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	int rc = prepare(st, on_sqlite(st) ? "INSERT INTO drafts(operator, form, fields, updated_at) VALUES (?1, ?2, json(?3), ?4) "
	                                     "ON CONFLICT(operator, form) DO UPDATE SET fields = excluded.fields, "
	                                     "updated_at = excluded.updated_at"
	                                   : "INSERT INTO drafts(operator, form, fields, updated_at) "
	                                     "VALUES (?1, ?2, CAST(CAST(?3 AS jsonb) AS text), ?4) "
	                                     "ON CONFLICT(operator, form) DO UPDATE SET fields = excluded.fields, "
	                                     "updated_at = excluded.updated_at",
	                 &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_text(stmt, 1, op, -1);
	xf_db_bind_text(stmt, 2, form, -1);
	xf_db_bind_text(stmt, 3, json, -1);
	xf_db_bind_text(stmt, 4, at, -1);
	return store_db_run(st, stmt, err, "保存草稿");
}

/* Reads a draft back, one field per JSON member. */
int store_draft_get(struct xf_store *st, const char *op, const char *form, struct xf_fields *out, char at[20],
                    bool *found, struct xf_err *err)
{
	fields_init(out);
	*found = false;
	struct xf_db_stmt *stmt;
	int rc = prepare(st, on_sqlite(st) ? "SELECT d.updated_at, j.key, j.value FROM drafts d, json_each(d.fields) j "
	                                     "WHERE d.operator = ?1 AND d.form = ?2"
	                                   : "SELECT d.updated_at, j.key, j.value FROM drafts d, "
	                                     "jsonb_each_text(CAST(d.fields AS jsonb)) j "
	                                     "WHERE d.operator = ?1 AND d.form = ?2",
	                 &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_text(stmt, 1, op, -1);
	xf_db_bind_text(stmt, 2, form, -1);
	enum xf_db_step step;
	while ((step = xf_db_step(stmt)) == XF_DB_ROW) {
		*found = true;
		snprintf(at, 20, "%s", xf_db_column_text(stmt, 0));
		const char *v = xf_db_column_text(stmt, 2);
		fields_set(out, xf_db_column_text(stmt, 1), v ? v : "");
	}
	xf_db_finalize(stmt);
	if (step != XF_DB_DONE) {
		fields_free(out);
		return fail(st, err, "读取草稿");
	}
	if (!*found) {
		/* A draft with no fields at all still counts as one. */
		if ((rc = prepare(st, "SELECT updated_at FROM drafts WHERE operator = ?1 AND form = ?2", &stmt, err)) != XF_OK)
			return rc;
		xf_db_bind_text(stmt, 1, op, -1);
		xf_db_bind_text(stmt, 2, form, -1);
		if (xf_db_step(stmt) == XF_DB_ROW) {
			*found = true;
			snprintf(at, 20, "%s", xf_db_column_text(stmt, 0));
		}
		xf_db_finalize(stmt);
	}
	return XF_OK;
}

/* Drops a draft. */
int store_draft_drop(struct xf_store *st, const char *op, const char *form, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	int rc = prepare(st, "DELETE FROM drafts WHERE operator = ?1 AND form = ?2", &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_text(stmt, 1, op, -1);
	xf_db_bind_text(stmt, 2, form, -1);
	return store_db_run(st, stmt, err, "放弃草稿");
}

/* The head's queue, of the cases in reach. */
int store_queue(struct xf_store *st, const struct xf_reach *reach, int limit, struct xf_rows *out, struct xf_err *err)
{
	char *in_reach = store_reach_sql(reach, "c.branch", 2);
	/* SQLite is told the index of the queue's order; PostgreSQL's planner picks it by itself. */
	char *sql = xasprintf(
	                 "SELECT * FROM ("
	                 " SELECT c.id, c.number, c.state, c.received, c.received_time, c.channel, "
	                 " " XF_LIST_NAME ", c.category, substr(c.summary, 1, 60) AS summary, "
	                 " c.due_transfer, c.importance, '' AS extension, 0 AS sect, "
	                 " coalesce((SELECT r.reason FROM returns r WHERE r.case_id = c.id ORDER BY r.id DESC LIMIT 1), '') "
	                 " AS returned, '' AS ext_reason, '' AS ext_old_due, '' AS ext_limit, '' AS ext_at, '' AS ext_by "
	                 " FROM cases c %s"
	                 " LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 "
	                 " WHERE c.state = 'queued' AND %s ORDER BY c.due_transfer, c.id LIMIT ?1) AS queued "
	                 "UNION ALL SELECT * FROM ("
	                 " SELECT c.id, c.number, c.state, c.received, c.received_time, c.channel, "
	                 " " XF_LIST_NAME ", c.category, substr(c.summary, 1, 60) AS summary, "
	                 " c.due_transfer, c.importance, e.new_due AS extension, 1 AS sect, '' AS returned, "
	                 " e.reason AS ext_reason, e.old_due AS ext_old_due, e.limit_kind AS ext_limit, e.at AS ext_at, "
	                 " e.actor AS ext_by "
	                 " FROM extensions e JOIN cases c ON c.id = e.case_id "
	                 " LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 "
	                 " WHERE e.decision = 'pending' AND %s ORDER BY e.id LIMIT ?1) AS asked",
	                 on_sqlite(st) ? "INDEXED BY cases_due_transfer " : "", in_reach, in_reach);
	free(in_reach);
	struct xf_db_stmt *stmt;
	int rc = prepare(st, sql, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, limit);
	store_reach_bind(stmt, reach, 2);
	return store_db_collect(st, stmt, out, err);
}

/* The text index's statements of this connection, prepared by store_search.c. */
sqlite3_stmt **store_search_stmts(struct xf_store *st)
{
	return st->search_stmts;
}

/* Whether this connection keeps the text index; set by store_search.c. */
bool *store_search_ready(struct xf_store *st)
{
	return &st->search_ready;
}

/* ---- The SQLite helpers of the store files not yet on the seam (store_chain_check.c,
 * store_backup.c, store_ledger.c, store_search.c): they go when those files speak the seam
 * (store_db_* in store_private.h). ---- */

/* Turns an SQLite failure rc into a message a clerk can act on. */
int store_sql_fail(struct xf_store *st, int rc, struct xf_err *err, const char *what)
{
	const char *detail = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
	int sys = st && st->db ? sqlite3_system_errno(st->db) : 0;
	if ((rc & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EFBIG || sys == EDQUOT || file_limit_hit))
		rc = SQLITE_FULL;
	file_limit_hit = 0;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return xf_err_set(err, XF_EBUSY,
		                  "数据库正被其他程序占用（已等待 %d 毫秒）：%s未完成，已有数据未受影响。请稍后重试；如一直如此，请管理员检查是否有程序卡住",
		                  st ? st->busy_ms : 0, what);
	case SQLITE_FULL:
		return xf_err_set(err, XF_EIO, "磁盘已满（或文件超过了系统允许的大小）：%s未保存，已有数据完好。请清理磁盘空间（或请管理员放宽文件大小限制）后重试", what);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
	case SQLITE_AUTH:
		return xf_err_set(err, XF_EIO, "无法读写数据库文件 %s（%s）：%s未完成。请检查文件和目录的权限",
		                  st ? st->path : "", detail, what);
	case SQLITE_IOERR:
		return xf_err_set(err, XF_EIO, "读写数据库文件出错（%s）：%s未完成。请检查磁盘", detail, what);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return xf_err_set(err, XF_EIO, "文件 %s 不是 xinfang 数据库或已损坏（%s）：请从备份恢复",
		                  st ? st->path : "", detail);
	case SQLITE_CONSTRAINT:
		return xf_err_set(err, XF_EINVAL, "%s被数据库拒绝：%s", what, detail);
	default:
		return xf_err_set(err, XF_EIO, "%s失败：%s", what, detail);
	}
}

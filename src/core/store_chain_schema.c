/* What the audit chain knows of the schema: each covered table's columns, their affinities and
 * declared defaults, read from the backend's catalogue (SQLite's pragma_table_info, PostgreSQL's
 * pg_attribute with its defaults written as SQLite writes them) and read again when the schema
 * changes; whether the audit table has the chain's columns and the branch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_chain_int.h"

/* Drops the cached column lists and the statements built on them (from `from` on). */
void chain_forget_exprs(struct xf_chain *c, int from)
{
	for (int i = 0; i < NTRACKED; i++) {
		for (int k = 0; k < c->held[i].n; k++) {
			free(c->held[i].v[k].name);
			free(c->held[i].v[k].dflt);
			free(c->held[i].v[k].dtext);
		}
		free(c->held[i].v);
		free(c->held[i].select);
		free(c->held[i].key);
		memset(&c->held[i], 0, sizeof c->held[i]);
		if (c->defaults[i])
			fields_free(c->defaults[i]);
		free(c->defaults[i]);
		c->defaults[i] = NULL;
	}
	for (int i = from; i < S_COUNT; i++) {
		xf_db_finalize(c->stmts[i]);
		c->stmts[i] = NULL;
	}
}

/* Whether a text is an integer as SQLite writes one back (no sign but -, no leading zero, at
 * most 18 digits): stored in an INTEGER column it reads back as the same digits. */
bool chain_canonical_integer(const char *v)
{
	const char *d = *v == '-' ? v + 1 : v;
	size_t n = strspn(d, "0123456789");
	return n > 0 && n <= 18 && d[n] == '\0' && (d[0] != '0' || n == 1) && strcmp(v, "-0") != 0;
}

/* Adds a column to a table's list for held rows: only INTEGER and TEXT columns whose default
 * is absent or a plain literal keep the table usable. */
static void held_add(struct held_table *h, const char *name, const char *dflt, const char *type, int pk)
{
	h->v = xrealloc(h->v, (size_t)(h->n + 1) * sizeof *h->v);
	struct held_column *col = &h->v[h->n++];
	memset(col, 0, sizeof *col);
	col->name = xstrdup(name);
	col->integer = strcasecmp(type, "INTEGER") == 0;
	col->rowid = col->integer && pk == 1;
	col->dflt = NULL;
	if (pk > 1)
		h->usable = false; /* a key of several columns: no rowid alias */
	if (!col->integer && strcasecmp(type, "TEXT") != 0)
		h->usable = false;
	size_t n = dflt ? strlen(dflt) : 0;
	if (dflt == NULL)
		return;
	if (n >= 2 && dflt[0] == '\'' && dflt[n - 1] == '\'' && !col->integer)
		col->dflt = chain_default_text(dflt);
	else if (chain_canonical_integer(dflt))
		col->dflt = xstrdup(dflt);
	else
		h->usable = false;
}

/* Reads the value of each declared default of a table as SQL gives it (what NULLIF compared a
 * column with when the snapshots were built in SQL): one SELECT of the default expressions. */
static int read_defaults(struct xf_store *st, struct held_table *h, char **dflt)
{
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "SELECT ");
	int n = 0;
	for (int k = 0; k < h->n; k++)
		if (dflt[k])
			buf_printf(&b, "%s%s", n++ ? ", " : "", dflt[k]);
	if (n == 0) {
		buf_free(&b);
		return XF_OK;
	}
	struct xf_db_stmt *stmt = chain_prepare(st, b.data);
	buf_free(&b);
	if (stmt == NULL || xf_db_step(stmt) != XF_DB_ROW) {
		xf_db_finalize(stmt);
		return XF_EIO;
	}
	for (int k = 0, i = 0; k < h->n; k++) {
		if (dflt[k] == NULL)
			continue;
		struct held_column *col = &h->v[k];
		col->dtype = xf_db_column_type(stmt, i);
		col->dtext = col->dtype == XF_DB_NULL ? NULL : xstrdup(xf_db_column_text(stmt, i));
		col->dint = xf_db_column_int64(stmt, i);
		col->dnum = xf_db_column_double(stmt, i);
		i++;
	}
	xf_db_finalize(stmt);
	return XF_OK;
}

/* A table's columns as SQLite's pragma_table_info gives them (name, declared default, type,
 * place in the primary key), on either backend: PostgreSQL's catalogue with its types named as
 * SQLite's (bigint and integer INTEGER, text TEXT, double precision REAL); its defaults come
 * back as PostgreSQL writes them and go through sqlite_default(). */
const char *const chain_table_info_sql[] = {
	[XF_DB_SQLITE] = "SELECT name, dflt_value, type, pk FROM pragma_table_info(?1)",
	[XF_DB_POSTGRESQL] =
		"SELECT a.attname::text, pg_get_expr(d.adbin, d.adrelid), "
		" CASE WHEN a.atttypid IN (20, 21, 23) THEN 'INTEGER' WHEN a.atttypid = 25 THEN 'TEXT' "
		"  WHEN a.atttypid IN (700, 701) THEN 'REAL' ELSE format_type(a.atttypid, a.atttypmod) END, "
		" coalesce(array_position(k.conkey, a.attnum), 0) "
		"FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
		"LEFT JOIN pg_constraint k ON k.conrelid = a.attrelid AND k.contype = 'p' "
		"WHERE a.attrelid = to_regclass(quote_ident(CAST(?1 AS TEXT))) AND a.attnum > 0 AND NOT a.attisdropped "
		"ORDER BY a.attnum",
};

/* The schema a table is read from in the chain's SQL: SQLite's main (never a TEMP table of
 * the same name), PostgreSQL's current schema. */
const char *chain_main_schema(struct xf_store *st)
{
	return xf_db_dialect(store_db(st)) == XF_DB_SQLITE ? "main." : "";
}

/* A declared default as SQLite's catalogue writes it, from PostgreSQL's text of it: casts
 * dropped ('x'::text is 'x', '-1'::integer is -1), parentheses around a number dropped ((-1)
 * is -1), a quoted number in a numeric column unquoted. What PostgreSQL keeps of the schema's
 * literal defaults ('', 'pending', 0, 1, '{}') then reads as SQLite's. A new string. */
static char *sqlite_default(const char *pg, const char *type)
{
	char *v = xstrdup(pg);
	size_t n = strlen(v);
	for (;;) {
		/* a trailing ::name or ::name name (double precision, character varying) */
		char *cast = NULL;
		for (char *q = v; (q = strstr(q, "::")) != NULL; q += 2)
			cast = q;
		if (cast && strspn(cast + 2, "abcdefghijklmnopqrstuvwxyz _") == strlen(cast + 2) &&
		    (cast == v || cast[-1] == '\'' || cast[-1] == ')' || (cast[-1] >= '0' && cast[-1] <= '9'))) {
			*cast = '\0';
			n = strlen(v);
			continue;
		}
		if (n >= 2 && v[0] == '(' && v[n - 1] == ')') {
			memmove(v, v + 1, n - 2);
			v[n - 2] = '\0';
			n -= 2;
			continue;
		}
		break;
	}
	bool numeric = strcmp(type, "INTEGER") == 0 || strcmp(type, "REAL") == 0;
	if (numeric && n >= 3 && v[0] == '\'' && v[n - 1] == '\'' && strspn(v + 1, "-+.0123456789eE") == n - 2) {
		memmove(v, v + 1, n - 2);
		v[n - 2] = '\0';
	}
	return v;
}

/* The declared default of the current row of a chain_table_info_sql statement (column 1), as
 * SQLite's catalogue writes it; NULL when there is none. A new string. */
char *chain_info_default(struct xf_store *st, struct xf_db_stmt *stmt)
{
	const char *d = xf_db_column_text(stmt, 1);
	if (d == NULL)
		return NULL;
	if (xf_db_dialect(store_db(st)) == XF_DB_SQLITE)
		return xstrdup(d);
	const char *type = xf_db_column_text(stmt, 2);
	return sqlite_default(d, type ? type : "");
}

/* Rebuilds the cached column lists when the schema changed (a migration, here or in another
 * process), from the backend's catalogue (chain_table_info_sql). */
int chain_refresh_schema(struct xf_store *st, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	enum xf_db_dialect dialect = xf_db_dialect(store_db(st));
	/* Checked already in this transaction, no script run since: no other connection can have
	 * migrated meanwhile (a record would otherwise cost two more round trips to a server). */
	struct xf_db *db = store_db(st);
	bool in_txn = xf_db_in_transaction(db);
	if (in_txn && c->checked_epoch == xf_db_epoch(db) && c->schema_cookie >= 0)
		return XF_OK;
	c->checked_epoch = 0;
	/* A number that changes with the schema: SQLite's schema_version, which any change moves;
	 * on PostgreSQL the schema's version (each migration sets it as its last statement; a
	 * hash of the catalogue cost milliseconds on every record). A column added there behind
	 * the program's back is seen by the next process, and verify names it. */
	int cookie;
	struct xf_db_stmt *stmt;
	if (dialect == XF_DB_SQLITE) {
		if ((stmt = chain_cached(st, S_COOKIE, "PRAGMA schema_version")) == NULL)
			return chain_fail(st, "读取数据库结构", err);
		cookie = xf_db_step(stmt) == XF_DB_ROW ? (int)xf_db_column_int64(stmt, 0) : -2;
		chain_done(stmt);
	} else if (c->schema_cookie > 0) {
		/* schema_version was there (migrations never drop it): one statement, not two */
		if ((stmt = chain_cached(st, S_COOKIE, "SELECT version FROM schema_version")) == NULL)
			return chain_fail(st, "读取数据库结构", err);
		enum xf_db_step step = xf_db_step(stmt);
		cookie = step == XF_DB_ROW ? (int)xf_db_column_int64(stmt, 0) : -2;
		chain_done(stmt);
		if (step == XF_DB_ERROR)
			return chain_fail(st, "读取数据库结构", err);
	} else if (store_version(st, &cookie, err) != XF_OK) {
		return err->code;
	}
	if (cookie == c->schema_cookie) {
		c->checked_epoch = in_txn ? xf_db_epoch(db) : 0;
		return XF_OK;
	}
	chain_forget_exprs(c, S_LAST);
	c->has_chain_columns = false;
	c->has_branch_column = false;
	if ((stmt = chain_prepare(st, chain_table_info_sql[dialect])) == NULL)
		return chain_fail(st, "读取数据库结构", err);
	/* A row's canonical JSON leaves out the columns holding their declared default, so a
	 * column a later migration adds with its default leaves every earlier snapshot valid. */
	int rc = XF_OK;
	for (int t = 0; t < NTRACKED && rc == XF_OK; t++) {
		struct held_table *h = &c->held[t];
		struct xf_buf sel;
		buf_init(&sel);
		char **dflt = NULL;
		xf_db_reset(stmt);
		xf_db_bind_text(stmt, 1, chain_tracked_tables[t].table, -1);
		h->usable = true;
		while (xf_db_step(stmt) == XF_DB_ROW) {
			const char *col = chain_col_text(stmt, 0);
			char *d = chain_info_default(st, stmt);
			held_add(h, col, d, chain_col_text(stmt, 2), (int)xf_db_column_int64(stmt, 3));
			dflt = xrealloc(dflt, (size_t)h->n * sizeof *dflt);
			dflt[h->n - 1] = d;
			buf_printf(&sel, "%st.\"%s\"", h->n > 1 ? ", " : "", col);
			if (h->v[h->n - 1].rowid)
				h->key = xasprintf("\"%s\"", col);
		}
		if (h->n > 0) {
			h->select = sel.data;
			if (h->key == NULL) /* PostgreSQL has no rowid: only tables kept whole lack an id */
				h->key = xstrdup(dialect == XF_DB_SQLITE ? "rowid" : "0");
			if (read_defaults(st, h, dflt) != XF_OK)
				rc = chain_fail(st, "读取数据库结构", err);
		} else {
			buf_free(&sel);
		}
		for (int k = 0; k < h->n; k++)
			free(dflt[k]);
		free(dflt);
	}
	if (rc != XF_OK) {
		xf_db_finalize(stmt);
		chain_forget_exprs(c, S_LAST);
		return rc;
	}
	xf_db_reset(stmt);
	xf_db_bind_text(stmt, 1, "audit", -1);
	int chain_cols = 0;
	while (xf_db_step(stmt) == XF_DB_ROW) {
		const char *col = chain_col_text(stmt, 0);
		chain_cols += strcmp(col, "wall") == 0 || strcmp(col, "snapshot") == 0 || strcmp(col, "hash") == 0;
		c->has_branch_column = c->has_branch_column || strcmp(col, "branch") == 0;
	}
	xf_db_finalize(stmt);
	c->has_chain_columns = chain_cols == 3;
	c->schema_cookie = cookie;
	c->checked_epoch = in_txn ? xf_db_epoch(db) : 0;
	return XF_OK;
}

/* Whether column of a covered table is an INTEGER one (not its id) and, in *dflt, its declared
 * default (NULL: none), for the writer's "no value" ('') there: SQLite would keep the text ''
 * in it and PostgreSQL refuses it, so on both the store writes the default instead (store.c). */
bool store_chain_blank_integer(struct xf_store *st, const char *table, const char *column, const char **dflt)
{
	struct xf_chain *c = *store_chain_slot(st);
	struct xf_err ignored; /* no catalogue: the value goes as given */
	int t = chain_tracked_index(table);
	*dflt = NULL;
	if (c == NULL || t < 0 || chain_refresh_schema(st, &ignored) != XF_OK)
		return false;
	for (int k = 0; k < c->held[t].n; k++) {
		const struct held_column *col = &c->held[t].v[k];
		if (strcmp(col->name, column) == 0 && col->integer && !col->rowid) {
			*dflt = col->dflt;
			return true;
		}
	}
	return false;
}

/* A column's declared default as the text a row would hold ('' -> empty, 0 -> "0"). */
char *chain_default_text(const char *dflt)
{
	if (dflt == NULL)
		return NULL;
	size_t n = strlen(dflt);
	if (n >= 2 && dflt[0] == '\'' && dflt[n - 1] == '\'') {
		char *out = xcalloc(1, n);
		size_t k = 0;
		for (size_t i = 1; i + 1 < n; i++) {
			out[k++] = dflt[i];
			if (dflt[i] == '\'' && dflt[i + 1] == '\'')
				i++;
		}
		return out;
	}
	return xstrdup(dflt);
}

/* The rows' canonical JSON that the audit chain's snapshots hold, built here from the rows'
 * values (or from the text values a writer inserted), the same bytes on SQLite and PostgreSQL
 * as SQLite's json_object gave, and the snapshot object of the rows a record covers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_chain_int.h"

/* Orders noted rows by table, then row. */
static int cmp_touched(const void *a, const void *b)
{
	const struct touched *x = a, *y = b;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

/* Appends a text as SQLite's json_object writes it: quoted, with " and \\ escaped, \\b \\t
 * \\n \\f \\r for those, \\u00xx for the other control characters, every other byte as is. */
static void json_text(struct xf_buf *b, const char *v)
{
	static const char hex[] = "0123456789abcdef";
	buf_add(b, "\"", 1);
	while (*v) {
		size_t plain = 0; /* the bytes written as they are, at once */
		while (v[plain] && (unsigned char)v[plain] >= 0x20 && v[plain] != '"' && v[plain] != '\\')
			plain++;
		buf_add(b, v, plain);
		v += plain;
		if (*v == '\0')
			break;
		unsigned char ch = (unsigned char)*v++;
		const char *simple = ch == '"' ? "\\\"" : ch == '\\' ? "\\\\" : ch == '\b' ? "\\b" : ch == '\t' ? "\\t"
		                     : ch == '\n' ? "\\n" : ch == '\f' ? "\\f" : ch == '\r' ? "\\r" : NULL;
		if (simple)
			buf_add(b, simple, 2);
		else {
			char u[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
			buf_add(b, u, 6);
		}
	}
	buf_add(b, "\"", 1);
}

/* Whether a column's value equals its declared default as SQLite's NULLIF compared them (no
 * affinity, binary text, numbers by value): such a column is left out of the JSON. */
static bool holds_default(struct xf_db_stmt *stmt, int i, enum xf_db_type type, const struct held_column *col)
{
	switch (col->dtype) {
	case XF_DB_TEXT:
		return type == XF_DB_TEXT && strcmp(xf_db_column_text(stmt, i), col->dtext) == 0;
	case XF_DB_INT:
	case XF_DB_FLOAT:
		if (type == XF_DB_INT && col->dtype == XF_DB_INT)
			return xf_db_column_int64(stmt, i) == col->dint;
		if (type == XF_DB_INT || type == XF_DB_FLOAT) {
			double v = xf_db_column_double(stmt, i);
			return col->dtype == XF_DB_INT ? v == (double)col->dint : v == col->dnum;
		}
		return false;
	default:
		return false; /* a NULL default: the value, not NULL here, differs */
	}
}

/* Appends a float as SQLite writes it into JSON (printf "%!.15g": 15 digits, never without a
 * decimal point, 1.0e+20): SQLite's own text of the value there; elsewhere the same rendering
 * made here. */
static void json_float(struct xf_db *db, struct xf_db_stmt *stmt, int i, struct xf_buf *b)
{
	if (xf_db_dialect(db) == XF_DB_SQLITE) {
		buf_puts(b, xf_db_column_text(stmt, i));
		return;
	}
	char s[48];
	snprintf(s, sizeof s, "%.15g", xf_db_column_double(stmt, i));
	char *e = strchr(s, 'e');
	if (strchr(s, '.') || strchr(s, 'n') || strchr(s, 'N')) { /* has a point; inf, nan */
		buf_puts(b, s);
	} else if (e) {
		buf_add(b, s, (size_t)(e - s));
		buf_printf(b, ".0%s", e);
	} else {
		buf_printf(b, "%s.0", s);
	}
}

/* Appends the canonical JSON of the current row of stmt, whose columns from `first` on are the
 * table's in table order: an object of the columns in table order, each one NULL or holding
 * its declared default left out, integers and floats as SQLite writes them, texts escaped as
 * SQLite escapes them. The same bytes as SQLite's json_patch('{}', json_object('a',
 * NULLIF("a", default) ...)) that built the snapshots before, so older stores still verify. */
void chain_stmt_row_json(struct xf_db *db, struct xf_db_stmt *stmt, int first, const struct held_table *h, struct xf_buf *b)
{
	buf_puts(b, "{");
	int n = 0;
	for (int k = 0; k < h->n; k++) {
		int i = first + k;
		enum xf_db_type type = xf_db_column_type(stmt, i);
		if (type == XF_DB_NULL || holds_default(stmt, i, type, &h->v[k]))
			continue;
		if (n++)
			buf_puts(b, ",");
		json_text(b, h->v[k].name);
		buf_puts(b, ":");
		if (type == XF_DB_INT)
			buf_printf(b, "%lld", (long long)xf_db_column_int64(stmt, i));
		else if (type == XF_DB_FLOAT)
			json_float(db, stmt, i, b);
		else
			json_text(b, xf_db_column_text(stmt, i));
	}
	buf_puts(b, "}");
}

/* A whole table's key order as its columns have it: "branch, " leads it only from schema
 * version 17, where the branch joined the key (number_seq). */
static const char *whole_order(const struct xf_chain *c, int t)
{
	const char *order = chain_tracked_tables[t].whole_order;
	if (strncmp(order, "branch, ", 8) != 0)
		return order;
	for (int k = 0; k < c->held[t].n; k++)
		if (strcmp(c->held[t].v[k].name, "branch") == 0)
			return order;
	return order + 8;
}

/* Whether a table kept whole per branch has its branch column (schema version 17 on): before
 * it, its whole table is branch 1's. */
bool chain_split_by_branch(const struct xf_chain *c, int t)
{
	return chain_tracked_tables[t].per_branch && whole_order(c, t) == chain_tracked_tables[t].whole_order;
}

/* The snapshot key of a table kept whole (per branch: "number_seq" for branch 1, else
 * "number_seq@<branch>"). */
void chain_whole_key(int t, int64_t branch, char *out, size_t size)
{
	if (chain_tracked_tables[t].per_branch && branch > 1)
		snprintf(out, size, "%s@%lld", chain_tracked_tables[t].table, (long long)branch);
	else
		snprintf(out, size, "%s", chain_tracked_tables[t].table);
}

/* Appends the JSON array of a whole table's rows (of one branch, for a table kept whole per
 * branch), in key order. */
int chain_whole_table_json(struct xf_store *st, int t, int64_t branch, struct xf_buf *b, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	bool split = chain_split_by_branch(c, t);
	char *sql = xasprintf("SELECT %s FROM %s\"%s\" t %s ORDER BY %s", c->held[t].select, chain_main_schema(st),
	                      chain_tracked_tables[t].table, split ? "WHERE t.branch = ?1" : "", whole_order(c, t));
	struct xf_db_stmt *stmt = chain_prepare(st, sql);
	free(sql);
	if (stmt == NULL)
		return chain_fail(st, "记录操作日志", err);
	if (split)
		xf_db_bind_int64(stmt, 1, branch > 0 ? branch : 1);
	buf_puts(b, "[");
	int n = 0, rc;
	while ((rc = xf_db_step(stmt)) == XF_DB_ROW) {
		if (n++)
			buf_puts(b, ",");
		chain_stmt_row_json(store_db(st), stmt, 0, &c->held[t], b);
	}
	buf_puts(b, "]");
	xf_db_finalize(stmt);
	return rc == XF_DB_DONE ? XF_OK : chain_fail(st, "记录操作日志", err);
}

/* Appends one row's canonical JSON, or null when the row is gone. */
int chain_one_row_json(struct xf_store *st, int t, int64_t rowid, struct xf_buf *b, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	struct xf_db_stmt *stmt = c->stmts[S_ROW + t];
	if (stmt == NULL) { /* the row's SELECT is written out only the first time */
		char *sql = xasprintf("SELECT %s FROM %s\"%s\" t WHERE t.%s = ?1", c->held[t].select, chain_main_schema(st),
		                      chain_tracked_tables[t].table, c->held[t].key);
		stmt = chain_cached(st, S_ROW + t, sql);
		free(sql);
	}
	if (stmt == NULL)
		return chain_fail(st, "记录操作日志", err);
	xf_db_bind_int64(stmt, 1, rowid);
	int step = xf_db_step(stmt);
	if (step == XF_DB_ROW)
		chain_stmt_row_json(store_db(st), stmt, 0, &c->held[t], b);
	else
		buf_puts(b, "null");
	chain_done(stmt);
	return step == XF_DB_ROW || step == XF_DB_DONE ? XF_OK : chain_fail(st, "记录操作日志", err);
}

/* The canonical JSON of one row (a whole table's array for a table kept whole, a branch's
 * array, rowid the branch, for one kept whole per branch), as the next snapshot of it would
 * hold it. */
int store_chain_row_json(struct xf_store *st, const char *table, int64_t rowid, char **out, struct xf_err *err)
{
	*out = NULL;
	int t = chain_tracked_index(table);
	if (t < 0)
		return xf_err_set(err, XF_EINVAL, "内部错误：操作日志不记录表 %s", table);
	int rc = chain_refresh_schema(st, err);
	if (rc != XF_OK)
		return rc;
	if ((*store_chain_slot(st))->held[t].n == 0)
		return xf_err_set(err, XF_EINVAL, "数据库里没有表 %s：请先运行 xinfang verify 检查数据库", table);
	struct xf_buf b;
	buf_init(&b);
	rc = chain_tracked_tables[t].whole_order ? chain_whole_table_json(st, t, rowid, &b, err) : chain_one_row_json(st, t, rowid, &b, err);
	if (rc != XF_OK) {
		buf_free(&b);
		return rc;
	}
	*out = b.data;
	return XF_OK;
}

/* The snapshot object of the noted rows ({"cases:12":{...},"settings":[...],"number_seq@3":[...]});
 * empties the list. */
int chain_snapshot_json(struct xf_store *st, char **out, struct xf_err *err)
{
	struct xf_chain *c = *store_chain_slot(st);
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "{");
	if (c->n > 0)
		qsort(c->v, c->n, sizeof *c->v, cmp_touched);
	int rc = XF_OK, n = 0;
	for (size_t i = 0; i < c->n && rc == XF_OK; i++) {
		const struct touched *t = &c->v[i];
		if (i > 0 && t->table == c->v[i - 1].table && t->rowid == c->v[i - 1].rowid)
			continue;
		if (c->held[t->table].n == 0)
			continue;
		const char *name = chain_tracked_tables[t->table].table;
		/* Before schema 17 a table kept whole per branch is branch 1's: its key once. */
		int64_t branch = chain_split_by_branch(c, t->table) ? t->rowid : 1;
		if (chain_tracked_tables[t->table].per_branch && branch == 1 && i > 0 && t->table == c->v[i - 1].table)
			continue;
		if (n++)
			buf_puts(&b, ",");
		if (chain_tracked_tables[t->table].whole_order) {
			char key[96];
			chain_whole_key(t->table, branch, key, sizeof key);
			buf_printf(&b, "\"%s\":", key);
			rc = chain_whole_table_json(st, t->table, branch, &b, err);
			continue;
		}
		/* Built by the writer from the values it wrote, when no other write of the row
		 * followed (each write of it is one entry here). */
		bool held = true;
		for (size_t k = i; held && k < c->n && c->v[k].table == t->table && c->v[k].rowid == t->rowid; k++)
			held = c->v[k].json != NULL;
		buf_printf(&b, "\"%s:%lld\":", name, (long long)t->rowid);
		if (held)
			buf_puts(&b, t->json);
		else
			rc = chain_one_row_json(st, t->table, t->rowid, &b, err);
	}
	buf_puts(&b, "}");
	chain_forget_touched(c);
	if (rc != XF_OK) {
		buf_free(&b);
		return rc;
	}
	*out = b.data;
	return XF_OK;
}

/* The value a row holds in a column, from the writer's columns (cols, searched from *from on):
 * NULL when the column was not given (its default, or no value). */
static const char *given_value(const struct xf_fields *cols, const char *name, size_t *from)
{
	for (size_t k = 0; k < cols->n; k++) {
		size_t i = (*from + k) % cols->n;
		if (strcmp(cols->v[i].key, name) == 0) {
			*from = i + 1;
			return cols->v[i].val;
		}
	}
	return NULL;
}

/* Holds the canonical JSON of a row just inserted with the text values cols (as
 * store_bulk_insert binds them), built from those values instead of read back through SQL:
 * the same bytes the row's json_object expression gives (the columns in table order, each
 * holding its declared default or no value left out, integers as SQLite writes them, texts
 * escaped as SQLite escapes them). Nothing is held (the row is read back as before) when
 * the insert was not the last write noted or a value is one this rendering does not cover. */
void store_chain_hold_row(struct xf_store *st, const char *table, int64_t rowid, const struct xf_fields *cols)
{
	struct xf_chain *c = *store_chain_slot(st);
	struct xf_err ignored;
	if (c == NULL || c->n == 0 || chain_refresh_schema(st, &ignored) != XF_OK)
		return;
	struct touched *last = &c->v[c->n - 1];
	int t = chain_tracked_index(table);
	if (t < 0 || last->table != t || last->rowid != rowid || last->json != NULL || chain_tracked_tables[t].whole_order ||
	    c->held[t].n == 0 || !c->held[t].usable)
		return;
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "{");
	size_t from = 0;
	int n = 0;
	for (int k = 0; k < c->held[t].n; k++) {
		const struct held_column *col = &c->held[t].v[k];
		const char *v = given_value(cols, col->name, &from);
		if (col->rowid) {
			buf_printf(&b, "%s\"%s\":%lld", n++ ? "," : "", col->name, (long long)rowid);
			continue;
		}
		if (v == NULL || (col->dflt && strcmp(v, col->dflt) == 0))
			continue; /* the default, or no value: left out */
		if (col->integer && !chain_canonical_integer(v)) {
			buf_free(&b);
			return;
		}
		buf_puts(&b, n++ ? ",\"" : "\"");
		buf_puts(&b, col->name);
		buf_add(&b, "\":", 2);
		if (col->integer)
			buf_puts(&b, v);
		else
			json_text(&b, v);
	}
	buf_puts(&b, "}");
	last->json = b.data;
}

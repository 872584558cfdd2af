/* The import's floor: the rows an import wrote, written again into a fresh store by prepared
 * statements in one transaction, with what the import writes beside them and nothing more:
 * each row's snapshot (JSON built from the values in hand), one audit record per case chained
 * by SHA-256, the text index and the status bar's counts; the file read with the same CSV
 * reader. What an import cannot do with less, so its own time is read against this. */
#include "floor.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/csv.h"
#include "xinfang/util.h"

/* The tables an import writes, cases first; the others are written after their case. */
static const char *const tables[] = {"cases",    "petitioners", "transfers", "instructions",
                                     "outcomes", "replies",     "closures",  "links"};
enum { NTABLES = sizeof tables / sizeof tables[0] };

/* One stored row: its values as read (with their types), the case it belongs to. */
struct floor_row {
	sqlite3_int64 case_id;
	char **vals;
	int *types;
};

/* One table's rows in the order written, and its columns. */
struct floor_table {
	int ncols;
	char **cols;
	struct floor_row *rows;
	size_t n;
};

struct xf_floor {
	struct floor_table t[NTABLES];
	char *csv;
	size_t csv_len;
};

/* The store's tokenizer registration (src/core/store_private.h): the index is written with the
 * program's own tokenizer, as the import writes it. */
int store_search_tokenizers(sqlite3 *db, struct xf_err *err);

/* Fails the run with a message. */
static void floor_die(const char *what, const char *msg)
{
	fprintf(stderr, "xinfang-bench: floor: %s: %s\n", what, msg);
	exit(1);
}

/* Reads one table's rows (but the key) in case order. */
static void load_table(sqlite3 *db, const char *name, struct floor_table *t)
{
	char *sql = xasprintf("SELECT * FROM \"%s\" ORDER BY %s, rowid", name, strcmp(name, "cases") ? "case_id" : "id");
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		floor_die(name, sqlite3_errmsg(db));
	free(sql);
	int all = sqlite3_column_count(stmt), key = -1, owner = -1;
	t->cols = xcalloc((size_t)all, sizeof *t->cols);
	for (int i = 0; i < all; i++) {
		const char *col = sqlite3_column_name(stmt, i);
		if (strcmp(col, "id") == 0)
			key = i;
		else
			t->cols[t->ncols++] = xstrdup(col);
		if (strcmp(col, strcmp(name, "cases") ? "case_id" : "id") == 0)
			owner = i;
	}
	size_t cap = 0;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if (t->n == cap) {
			cap = cap ? cap * 2 : 1024;
			t->rows = xrealloc(t->rows, cap * sizeof *t->rows);
		}
		struct floor_row *r = &t->rows[t->n++];
		r->case_id = sqlite3_column_int64(stmt, owner);
		r->vals = xcalloc((size_t)t->ncols, sizeof *r->vals);
		r->types = xcalloc((size_t)t->ncols, sizeof *r->types);
		for (int i = 0, k = 0; i < all; i++) {
			if (i == key)
				continue;
			r->types[k] = sqlite3_column_type(stmt, i);
			const unsigned char *v = sqlite3_column_text(stmt, i);
			r->vals[k++] = xstrdup(v ? (const char *)v : "");
		}
	}
	sqlite3_finalize(stmt);
}

/* Reads what an import wrote into the store at imported, and the file it read. */
struct xf_floor *floor_load(const char *imported, const char *csv_path)
{
	struct xf_floor *f = xcalloc(1, sizeof *f);
	sqlite3 *db;
	if (sqlite3_open_v2(imported, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		floor_die("open", imported);
	for (int i = 0; i < NTABLES; i++)
		load_table(db, tables[i], &f->t[i]);
	sqlite3_close(db);
	FILE *in = fopen(csv_path, "rb");
	if (in == NULL)
		floor_die("open", csv_path);
	fseek(in, 0, SEEK_END);
	f->csv_len = (size_t)ftell(in);
	fseek(in, 0, SEEK_SET);
	f->csv = xmalloc(f->csv_len + 1);
	if (fread(f->csv, 1, f->csv_len, in) != f->csv_len)
		floor_die("read", csv_path);
	fclose(in);
	return f;
}

/* Frees what floor_load read. */
void floor_free(struct xf_floor *f)
{
	for (int i = 0; i < NTABLES; i++) {
		struct floor_table *t = &f->t[i];
		for (size_t r = 0; r < t->n; r++) {
			for (int k = 0; k < t->ncols; k++)
				free(t->rows[r].vals[k]);
			free(t->rows[r].vals);
			free(t->rows[r].types);
		}
		for (int k = 0; k < t->ncols; k++)
			free(t->cols[k]);
		free(t->cols);
		free(t->rows);
	}
	free(f->csv);
	free(f);
}

/* Appends a row's snapshot: its id and every value that is not empty, texts escaped. */
static void snapshot_row(struct xf_buf *b, const char *table, sqlite3_int64 id, const struct floor_table *t,
                         const struct floor_row *r)
{
	buf_printf(b, "%s\"%s:%lld\":{\"id\":%lld", b->len > 1 ? "," : "", table, (long long)id, (long long)id);
	for (int k = 0; k < t->ncols; k++) {
		const char *v = r->vals[k];
		if (r->types[k] == SQLITE_NULL || *v == '\0')
			continue;
		buf_printf(b, ",\"%s\":", t->cols[k]);
		if (r->types[k] == SQLITE_INTEGER) {
			buf_puts(b, v);
			continue;
		}
		buf_add(b, "\"", 1);
		for (const char *p = v; *p; p++) {
			unsigned char ch = (unsigned char)*p;
			if (ch == '"' || ch == '\\')
				buf_printf(b, "\\%c", ch);
			else if (ch < 0x20)
				buf_printf(b, "\\u%04x", ch);
			else
				buf_add(b, p, 1);
		}
		buf_add(b, "\"", 1);
	}
	buf_puts(b, "}");
}

/* Inserts a row with its values as they were stored; returns its rowid. */
static sqlite3_int64 insert_row(sqlite3 *db, sqlite3_stmt *stmt, const struct floor_table *t,
                                const struct floor_row *r, int case_col, sqlite3_int64 case_id)
{
	for (int k = 0; k < t->ncols; k++) {
		if (k == case_col)
			sqlite3_bind_int64(stmt, k + 1, case_id);
		else if (r->types[k] == SQLITE_INTEGER)
			sqlite3_bind_int64(stmt, k + 1, strtoll(r->vals[k], NULL, 10));
		else if (r->types[k] != SQLITE_NULL)
			sqlite3_bind_text(stmt, k + 1, r->vals[k], -1, SQLITE_STATIC);
	}
	if (sqlite3_step(stmt) != SQLITE_DONE)
		floor_die("insert", sqlite3_errmsg(db));
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return sqlite3_last_insert_rowid(db);
}

/* The hex SHA-256 chaining a record to the previous one. */
static void chain_hash(const char *prev, const char *content, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	EVP_DigestUpdate(ctx, prev, strlen(prev));
	EVP_DigestUpdate(ctx, content, len);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	for (unsigned int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Runs SQL that must go through. */
static void must(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		floor_die(sql, sqlite3_errmsg(db));
}

/* Writes everything floor_load read into the store db (fresh, initialised), in one transaction. */
void floor_write(struct xf_floor *f, sqlite3 *db)
{
	/* The file, read as the import reads it. */
	struct xf_csv csv;
	struct xf_csv_record rec;
	struct xf_err err;
	if (store_search_tokenizers(db, &err) != XF_OK)
		floor_die("tokenizer", err.msg);
	memset(&rec, 0, sizeof rec);
	csv_init(&csv, f->csv, f->csv_len);
	long records = 0;
	while (csv_next(&csv, &rec, &err) == 1)
		records++;
	csv_record_free(&rec);
	if (records < (long)f->t[0].n)
		floor_die("csv", "fewer records than cases");
	must(db, "BEGIN IMMEDIATE");
	/* The status bar's counts are made once at the end, as the import makes them. */
	sqlite3_stmt *q;
	char *triggers = NULL;
	sqlite3_prepare_v2(db, "SELECT group_concat(sql, ';'), (SELECT coalesce(max(id), 0) FROM cases), "
	                       "(SELECT coalesce(max(id), 0) FROM audit), (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) "
	                       "FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'pending_counts_%'",
	                   -1, &q, NULL);
	sqlite3_step(q);
	triggers = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_int64 last_case = sqlite3_column_int64(q, 1), audit_id = sqlite3_column_int64(q, 2);
	char prev[65];
	snprintf(prev, sizeof prev, "%s", sqlite3_column_text(q, 3) ? (const char *)sqlite3_column_text(q, 3) : "");
	sqlite3_finalize(q);
	must(db, "DROP TRIGGER pending_counts_insert; DROP TRIGGER pending_counts_update; "
	         "DROP TRIGGER pending_counts_delete");
	sqlite3_stmt *ins[NTABLES], *audit;
	int case_col[NTABLES];
	for (int i = 0; i < NTABLES; i++) {
		struct xf_buf sql;
		buf_init(&sql);
		buf_printf(&sql, "INSERT INTO \"%s\" (", tables[i]);
		case_col[i] = -1;
		for (int k = 0; k < f->t[i].ncols; k++) {
			buf_printf(&sql, "%s\"%s\"", k ? ", " : "", f->t[i].cols[k]);
			if (strcmp(f->t[i].cols[k], "case_id") == 0)
				case_col[i] = k;
		}
		buf_puts(&sql, ") VALUES (");
		for (int k = 0; k < f->t[i].ncols; k++)
			buf_printf(&sql, "%s?%d", k ? ", " : "", k + 1);
		buf_puts(&sql, ")");
		if (sqlite3_prepare_v3(db, sql.data, -1, SQLITE_PREPARE_PERSISTENT, &ins[i], NULL) != SQLITE_OK)
			floor_die(sql.data, sqlite3_errmsg(db));
		buf_free(&sql);
	}
	if (sqlite3_prepare_v2(db, "INSERT INTO audit(id, at, wall, operator, action, case_id, before, after, snapshot, hash) "
	                           "VALUES (?1, '2026-11-20 10:00:00', '2026-11-20T10:00:00+08:00', 'admin', 'import', ?2, "
	                           "'{}', ?3, ?4, ?5)",
	                       -1, &audit, NULL) != SQLITE_OK)
		floor_die("audit", sqlite3_errmsg(db));
	size_t next[NTABLES] = {0};
	struct xf_buf snap, content;
	buf_init(&snap);
	buf_init(&content);
	for (size_t c = 0; c < f->t[0].n; c++) {
		const struct floor_row *row = &f->t[0].rows[c];
		buf_free(&snap);
		buf_init(&snap);
		buf_puts(&snap, "{");
		sqlite3_int64 id = insert_row(db, ins[0], &f->t[0], row, -1, 0);
		snapshot_row(&snap, tables[0], id, &f->t[0], row);
		for (int i = 1; i < NTABLES; i++)
			for (; next[i] < f->t[i].n && f->t[i].rows[next[i]].case_id == row->case_id; next[i]++) {
				const struct floor_row *r = &f->t[i].rows[next[i]];
				sqlite3_int64 rid = insert_row(db, ins[i], &f->t[i], r, case_col[i], id);
				snapshot_row(&snap, tables[i], rid, &f->t[i], r);
			}
		buf_puts(&snap, "}");
		char after[96], hash[65];
		snprintf(after, sizeof after, "{\"number\":\"%s\",\"line\":\"%zu\"}", row->vals[2], c + 2);
		buf_free(&content);
		buf_init(&content);
		buf_printf(&content, "%lld;%lld;%s;%s", (long long)audit_id + 1, (long long)id, after, snap.data);
		chain_hash(prev, content.data, content.len, hash);
		sqlite3_bind_int64(audit, 1, ++audit_id);
		sqlite3_bind_int64(audit, 2, id);
		sqlite3_bind_text(audit, 3, after, -1, SQLITE_STATIC);
		sqlite3_bind_text(audit, 4, snap.data, (int)snap.len, SQLITE_STATIC);
		sqlite3_bind_text(audit, 5, hash, 64, SQLITE_STATIC);
		if (sqlite3_step(audit) != SQLITE_DONE)
			floor_die("audit", sqlite3_errmsg(db));
		sqlite3_reset(audit);
		memcpy(prev, hash, 65);
	}
	buf_free(&snap);
	buf_free(&content);
	for (int i = 0; i < NTABLES; i++)
		sqlite3_finalize(ins[i]);
	sqlite3_finalize(audit);
	/* The index of the new cases in one ordered statement, and the counts per limit, office or
	 * department, date or all, as the import ends. */
	static const char *const pending[] = {"state = 'queued'", "(state = 'queued' OR state = 'transferred')",
	                                      "(state = 'queued' OR state = 'transferred' OR state = 'reported')"};
	static const char *const due[] = {"due_transfer", "due_handle", "due_reply"};
	struct xf_buf counts;
	buf_init(&counts);
	for (int k = 0; k < 3; k++)
		for (int scope = 0; scope < 2; scope++)
			for (int all = 0; all < 2; all++)
				buf_printf(&counts,
				           "%sINSERT INTO pending_counts (branch, kind, scope, department, due, n) SELECT branch, %d, %d, %s, "
				           "%s, count(*) FROM cases WHERE id > %lld AND %s AND %s BETWEEN '0000-00-00' AND '9999-99-99' "
				           "GROUP BY 1, 4, 5 ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + excluded.n",
				           counts.len ? ";" : "", k, scope, scope ? "department" : "''", all ? "'*'" : due[k],
				           (long long)last_case, pending[k], due[k]);
	char *end = xasprintf(
		"INSERT INTO search_rows (case_id, row) SELECT case_id, row FROM search_source WHERE case_id > %lld;"
		"INSERT INTO search (rowid, texts, people, numbers, facets) SELECT row, texts, people, numbers, facets "
		"FROM search_source WHERE case_id > %lld ORDER BY row;"
		"%s;%s;COMMIT",
		(long long)last_case, (long long)last_case, counts.data, triggers);
	must(db, end);
	free(end);
	buf_free(&counts);
	free(triggers);
}

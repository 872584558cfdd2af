/* A branch's push, the store's side: the branch's audit records go to the head office verbatim
 * (pushed_audit), and the rows their snapshots name ("cases:12", "transfers:40" ...) go into
 * the head office's own tables under the head office's ids, with a map of the ids
 * (pushed_rows) so that the next push updates the same rows. The source is the branch's SQLite
 * file, read in one snapshot; the head office is either backend. Rows are copied by value and
 * type as store_copy.c copies them. */
#include "xinfang/store_push.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* The tables of a case's record that a push carries, a case before what refers to it. Accounts
 * stay with the branch's file (they are named in the records); the small reference lists
 * a case needs (channels, categories, departments) are carried by name. */
static const char *const case_tables[] = {
	"cases",   "petitioners", "instructions", "transfers", "returns",   "outcomes",      "replies",
	"extensions", "urgings", "materials",    "links",     "closures", "printed_slips",
};
enum { NCASE_TABLES = sizeof case_tables / sizeof case_tables[0] };

/* Index of a carried table, -1 for another. */
static int case_table_index(const char *table, size_t len)
{
	for (int i = 0; i < NCASE_TABLES; i++)
		if (strlen(case_tables[i]) == len && strncmp(case_tables[i], table, len) == 0)
			return i;
	return -1;
}

/* The newest record of the branch the head office holds. */
int store_push_held(struct xf_store *hq, int64_t branch, struct xf_chain_head *held, struct xf_err *err)
{
	memset(held, 0, sizeof *held);
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(hq, "SELECT id, hash FROM pushed_audit WHERE branch = ?1 ORDER BY id DESC LIMIT 1", &stmt,
	                          err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, branch);
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW) {
		held->id = xf_db_column_int64(stmt, 0);
		const char *h = xf_db_column_text(stmt, 1);
		snprintf(held->hash, sizeof held->hash, "%s", h ? h : "");
	}
	xf_db_finalize(stmt);
	return step == XF_DB_ERROR ? store_db_fail(hq, err, "读取总行已有的推送记录") : XF_OK;
}

/* The ids of one carried table named in a batch's snapshots. */
struct id_set {
	int64_t *v;
	size_t n, cap;
};

/* Orders ids. */
static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Reads the keys of the records' snapshots: the ids of each carried table, sorted, once each. */
static int batch_keys(struct xf_store *src, int64_t from, int64_t to, struct id_set sets[NCASE_TABLES],
                      struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(src, "SELECT j.key FROM audit a, json_each(a.snapshot) j "
	                               "WHERE a.id BETWEEN ?1 AND ?2 AND json_valid(a.snapshot)",
	                          &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, from);
	xf_db_bind_int64(stmt, 2, to);
	enum xf_db_step step;
	while ((step = xf_db_step(stmt)) == XF_DB_ROW) {
		const char *key = xf_db_column_text(stmt, 0), *colon = key ? strchr(key, ':') : NULL;
		int t = colon ? case_table_index(key, (size_t)(colon - key)) : -1;
		if (t < 0)
			continue;
		struct id_set *s = &sets[t];
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 64;
			s->v = xrealloc(s->v, s->cap * sizeof *s->v);
		}
		s->v[s->n++] = atoll(colon + 1);
	}
	xf_db_finalize(stmt);
	if (step != XF_DB_DONE)
		return store_db_fail(src, err, "读取分行操作日志的快照");
	for (int t = 0; t < NCASE_TABLES; t++)
		if (sets[t].n > 1)
			qsort(sets[t].v, sets[t].n, sizeof *sets[t].v, cmp_id);
	return XF_OK;
}

/* The head office's id of a row pushed before (0: none yet). */
static int mapped(struct xf_store *hq, struct xf_db_stmt *lookup, const char *table, int64_t src_id, int64_t *dst,
                  struct xf_err *err)
{
	*dst = 0;
	xf_db_reset(lookup);
	xf_db_bind_text(lookup, 2, table, -1);
	xf_db_bind_int64(lookup, 3, src_id);
	enum xf_db_step step = xf_db_step(lookup);
	if (step == XF_DB_ROW)
		*dst = xf_db_column_int64(lookup, 0);
	return step == XF_DB_ERROR ? store_db_fail(hq, err, "读取推送的编号对照") : XF_OK;
}

/* What one carried table's copy needs: the source's reading of a row, the head office's insert
 * and update, and where its case references stand. */
struct table_copy {
	const char *table;
	struct xf_db_stmt *read, *insert, *update;
	int ncols;      /* the source's columns, id first */
	int case_col;   /* case_id's column (-1: none) */
	int linked_col; /* links.linked_id (-1) */
	int branch_col; /* cases.branch (-1) */
};

/* Prepares a table's statements: SELECT of every column by id on the source, INSERT (RETURNING
 * the new id) and UPDATE of every column but id on the head office. */
static int table_copy_prepare(struct xf_store *src, struct xf_store *hq, const char *table, struct table_copy *tc,
                              struct xf_err *err)
{
	memset(tc, 0, sizeof *tc);
	tc->table = table;
	tc->case_col = tc->linked_col = tc->branch_col = -1;
	struct xf_db_stmt *probe;
	char *sql = xasprintf("SELECT * FROM \"%s\" LIMIT 0", table);
	int rc = store_db_prepare(src, sql, &probe, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	struct xf_buf cols, names, marks, sets;
	buf_init(&cols);
	buf_init(&names);
	buf_init(&marks);
	buf_init(&sets);
	tc->ncols = xf_db_column_count(probe);
	buf_puts(&cols, "\"id\"");
	int k = 0;
	for (int i = 0; i < tc->ncols; i++) {
		const char *name = xf_db_column_name(probe, i);
		if (strcmp(name, "id") == 0)
			continue;
		k++;
		buf_printf(&cols, ", \"%s\"", name);
		buf_printf(&names, "%s\"%s\"", k > 1 ? ", " : "", name);
		buf_printf(&marks, "%s?%d", k > 1 ? ", " : "", k);
		buf_printf(&sets, "%s\"%s\" = ?%d", k > 1 ? ", " : "", name, k);
		if (strcmp(name, "case_id") == 0)
			tc->case_col = k;
		else if (strcmp(name, "linked_id") == 0)
			tc->linked_col = k;
		else if (strcmp(name, "branch") == 0 && strcmp(table, "cases") == 0)
			tc->branch_col = k;
	}
	xf_db_finalize(probe);
	tc->ncols = k + 1;
	char *read = xasprintf("SELECT %s FROM \"%s\" WHERE id = ?1", cols.data, table);
	char *insert = xasprintf("INSERT INTO \"%s\" (%s) VALUES (%s) RETURNING id", table, names.data, marks.data);
	char *update = xasprintf("UPDATE \"%s\" SET %s WHERE id = ?%d", table, sets.data, k + 1);
	if ((rc = store_db_prepare(src, read, &tc->read, err)) == XF_OK &&
	    (rc = store_db_prepare(hq, insert, &tc->insert, err)) == XF_OK)
		rc = store_db_prepare(hq, update, &tc->update, err);
	free(read);
	free(insert);
	free(update);
	buf_free(&cols);
	buf_free(&names);
	buf_free(&marks);
	buf_free(&sets);
	return rc;
}

/* Releases a table's statements. */
static void table_copy_free(struct table_copy *tc)
{
	xf_db_finalize(tc->read);
	xf_db_finalize(tc->insert);
	xf_db_finalize(tc->update);
}

/* Binds the source row's columns 1.. as the head office's parameters 1.., case references
 * through the map and a case's branch as the head office's. */
static int bind_row(struct xf_store *hq, struct table_copy *tc, struct xf_db_stmt *to, struct xf_db_stmt *lookup,
                    int64_t branch, struct xf_err *err)
{
	for (int i = 1; i < tc->ncols; i++) {
		if (i == tc->branch_col) {
			xf_db_bind_int64(to, i, branch);
		} else if ((i == tc->case_col || i == tc->linked_col) && xf_db_column_type(tc->read, i) != XF_DB_NULL) {
			int64_t src_case = xf_db_column_int64(tc->read, i), dst_case;
			int rc = mapped(hq, lookup, "cases", src_case, &dst_case, err);
			if (rc != XF_OK)
				return rc;
			if (dst_case == 0)
				return xf_err_set(err, XF_EINVAL, "分行文件中 %s 的记录指向的事项（id %lld）没有推送到总行：分行的操作日志不完整，请在分行运行 xinfang verify",
				                  tc->table, (long long)src_case);
			xf_db_bind_int64(to, i, dst_case);
		} else {
			store_copy_bind_value(to, i, tc->read, i);
		}
	}
	return XF_OK;
}

/* Copies one row of a carried table: an update of the row it maps to, else an insert and a
 * line of the map. */
static int copy_row(struct xf_store *src, struct xf_store *hq, struct table_copy *tc, struct xf_db_stmt *lookup, struct xf_db_stmt *map,
                    int64_t branch, int64_t src_id, struct xf_err *err)
{
	xf_db_reset(tc->read);
	xf_db_bind_int64(tc->read, 1, src_id);
	enum xf_db_step step = xf_db_step(tc->read);
	if (step == XF_DB_DONE) /* named by a record but gone from the file: verify at the branch says so */
		return xf_err_set(err, XF_EINVAL, "分行文件中没有 %s:%lld 这一行，它的操作日志却记着它：请在分行运行 xinfang verify",
		                  tc->table, (long long)src_id);
	if (step != XF_DB_ROW)
		return store_db_fail(src, err, "读取分行的记录");
	int64_t dst;
	int rc = mapped(hq, lookup, tc->table, src_id, &dst, err);
	if (rc != XF_OK)
		return rc;
	struct xf_db_stmt *to = dst ? tc->update : tc->insert;
	xf_db_reset(to);
	if ((rc = bind_row(hq, tc, to, lookup, branch, err)) != XF_OK)
		return rc;
	if (dst)
		xf_db_bind_int64(to, tc->ncols, dst);
	step = xf_db_step(to);
	if (step == XF_DB_ROW) {
		dst = xf_db_column_int64(to, 0);
		step = xf_db_step(to);
		xf_db_reset(map);
		xf_db_bind_text(map, 2, tc->table, -1);
		xf_db_bind_int64(map, 3, src_id);
		xf_db_bind_int64(map, 4, dst);
		if (xf_db_step(map) != XF_DB_DONE)
			return store_db_fail(hq, err, "记下推送的编号对照");
	}
	if (step != XF_DB_DONE) {
		char *what = xasprintf("把分行的 %s:%lld 写入总行", tc->table, (long long)src_id);
		rc = store_db_fail(hq, err, what);
		free(what);
		return rc;
	}
	store_chain_note(hq, tc->table, dst);
	return XF_OK;
}

/* Gives the head office the reference rows of table the branch has and it lacks: channels and
 * categories by name, the branch's departments by name within the branch (as branch there). */
static int sync_list(struct xf_store *src, struct xf_store *hq, const char *table, int64_t branch, long *rows,
                     struct xf_err *err)
{
	bool per_branch = strcmp(table, "departments") == 0;
	struct xf_db_stmt *read, *probe = NULL, *have = NULL, *insert = NULL;
	char *sql = xasprintf("SELECT * FROM \"%s\"%s", table, per_branch ? " WHERE branch = 1" : "");
	int rc = store_db_prepare(src, sql, &read, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	struct xf_buf names, marks;
	buf_init(&names);
	buf_init(&marks);
	int n = xf_db_column_count(read), k = 0, name_col = -1, branch_col = -1;
	int *from = xcalloc((size_t)n + 1, sizeof *from);
	for (int i = 0; i < n; i++) {
		const char *c = xf_db_column_name(read, i);
		if (strcmp(c, "name") == 0)
			name_col = i;
		if (strcmp(c, "id") == 0)
			continue;
		if (strcmp(c, "branch") == 0)
			branch_col = k + 1;
		from[++k] = i;
		buf_printf(&names, "%s\"%s\"", k > 1 ? ", " : "", c);
		buf_printf(&marks, "%s?%d", k > 1 ? ", " : "", k);
	}
	sql = xasprintf("SELECT 1 FROM \"%s\" WHERE name = ?1%s", table, per_branch ? " AND branch = ?2" : "");
	rc = store_db_prepare(hq, sql, &have, err);
	free(sql);
	sql = xasprintf("INSERT INTO \"%s\" (%s) VALUES (%s)", table, names.data ? names.data : "", marks.data ? marks.data : "");
	if (rc == XF_OK)
		rc = store_db_prepare(hq, sql, &insert, err);
	free(sql);
	buf_free(&names);
	buf_free(&marks);
	enum xf_db_step step = XF_DB_DONE;
	while (rc == XF_OK && name_col >= 0 && (step = xf_db_step(read)) == XF_DB_ROW) {
		xf_db_reset(have);
		xf_db_bind_text(have, 1, xf_db_column_text(read, name_col), -1);
		if (per_branch)
			xf_db_bind_int64(have, 2, branch);
		enum xf_db_step found = xf_db_step(have);
		if (found == XF_DB_ERROR) {
			rc = store_db_fail(hq, err, "读取总行的基础清单");
			break;
		}
		if (found == XF_DB_ROW)
			continue;
		xf_db_reset(insert);
		for (int i = 1; i <= k; i++)
			if (i == branch_col)
				xf_db_bind_int64(insert, i, branch);
			else
				store_copy_bind_value(insert, i, read, from[i]);
		if (xf_db_step(insert) != XF_DB_DONE) {
			rc = store_db_fail(hq, err, "把分行的基础清单写入总行");
			break;
		}
		store_chain_note(hq, table, 0);
		(*rows)++;
	}
	if (rc == XF_OK && step == XF_DB_ERROR)
		rc = store_db_fail(src, err, "读取分行的基础清单");
	(void)probe;
	free(from);
	xf_db_finalize(read);
	xf_db_finalize(have);
	xf_db_finalize(insert);
	return rc;
}

/* Copies the branch's records from..to verbatim into pushed_audit as branch. */
static int copy_records(struct xf_store *src, struct xf_store *hq, int64_t branch, int64_t from, int64_t to,
                        struct xf_err *err)
{
	static const char cols[] = "id, at, wall, operator, action, case_id, before, after, snapshot, hash";
	struct xf_db_stmt *read, *insert = NULL;
	char *sql = xasprintf("SELECT %s, branch FROM audit WHERE id BETWEEN ?1 AND ?2 ORDER BY id", cols);
	int rc = store_db_prepare(src, sql, &read, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	sql = xasprintf("INSERT INTO pushed_audit (%s, src_branch, branch) VALUES "
	                "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", cols);
	rc = store_db_prepare(hq, sql, &insert, err);
	free(sql);
	xf_db_bind_int64(read, 1, from);
	xf_db_bind_int64(read, 2, to);
	enum xf_db_step step = XF_DB_DONE;
	while (rc == XF_OK && (step = xf_db_step(read)) == XF_DB_ROW) {
		xf_db_reset(insert);
		for (int i = 0; i < 11; i++)
			store_copy_bind_value(insert, i + 1, read, i);
		xf_db_bind_int64(insert, 12, branch);
		if (xf_db_step(insert) != XF_DB_DONE)
			rc = store_db_fail(hq, err, "把分行的操作日志写入总行");
	}
	if (rc == XF_OK && step == XF_DB_ERROR)
		rc = store_db_fail(src, err, "读取分行的操作日志");
	xf_db_finalize(read);
	xf_db_finalize(insert);
	return rc;
}

/* One batch of a push. */
int store_push_batch(struct xf_store *src, struct xf_store *hq, int64_t branch, int64_t from, int64_t to, long *rows,
                     struct xf_err *err)
{
	*rows = 0;
	struct id_set sets[NCASE_TABLES];
	memset(sets, 0, sizeof sets);
	int rc = batch_keys(src, from, to, sets, err);
	static const char *const lists[] = {"channels", "categories", "departments"};
	for (size_t i = 0; rc == XF_OK && sets[0].n > 0 && i < sizeof lists / sizeof lists[0]; i++)
		rc = sync_list(src, hq, lists[i], branch, rows, err);
	struct xf_db_stmt *lookup = NULL, *map = NULL;
	if (rc == XF_OK)
		rc = store_db_prepare(hq, "SELECT dst_id FROM pushed_rows WHERE branch = ?1 AND tbl = ?2 AND src_id = ?3",
		                      &lookup, err);
	if (rc == XF_OK)
		rc = store_db_prepare(hq, "INSERT INTO pushed_rows (branch, tbl, src_id, dst_id) VALUES (?1, ?2, ?3, ?4)",
		                      &map, err);
	if (rc == XF_OK) {
		xf_db_bind_int64(lookup, 1, branch);
		xf_db_bind_int64(map, 1, branch);
	}
	for (int t = 0; rc == XF_OK && t < NCASE_TABLES; t++) {
		if (sets[t].n == 0)
			continue;
		struct table_copy tc;
		rc = table_copy_prepare(src, hq, case_tables[t], &tc, err);
		for (size_t i = 0; rc == XF_OK && i < sets[t].n; i++) {
			if (i > 0 && sets[t].v[i] == sets[t].v[i - 1])
				continue;
			rc = copy_row(src, hq, &tc, lookup, map, branch, sets[t].v[i], err);
			(*rows)++;
		}
		table_copy_free(&tc);
	}
	xf_db_finalize(lookup);
	xf_db_finalize(map);
	for (int t = 0; t < NCASE_TABLES; t++)
		free(sets[t].v);
	if (rc == XF_OK)
		rc = copy_records(src, hq, branch, from, to, err);
	return rc;
}

/* The branch's numbering at the head office. */
int store_push_numbering(struct xf_store *src, struct xf_store *hq, int64_t branch, struct xf_err *err)
{
	struct xf_db_stmt *read, *put = NULL;
	int rc = store_db_prepare(src, "SELECT year, last FROM number_seq WHERE branch = 1", &read, err);
	if (rc != XF_OK)
		return rc;
	rc = store_db_prepare(hq, "INSERT INTO number_seq (branch, year, last) VALUES (?1, ?2, ?3) "
	                          "ON CONFLICT (branch, year) DO UPDATE SET last = excluded.last "
	                          "WHERE number_seq.last < excluded.last",
	                      &put, err);
	enum xf_db_step step = XF_DB_DONE;
	while (rc == XF_OK && (step = xf_db_step(read)) == XF_DB_ROW) {
		xf_db_reset(put);
		xf_db_bind_int64(put, 1, branch);
		xf_db_bind_int64(put, 2, xf_db_column_int64(read, 0));
		xf_db_bind_int64(put, 3, xf_db_column_int64(read, 1));
		if (xf_db_step(put) != XF_DB_DONE)
			rc = store_db_fail(hq, err, "把分行的编号顺序写入总行");
	}
	if (rc == XF_OK && step == XF_DB_ERROR)
		rc = store_db_fail(src, err, "读取分行的编号顺序");
	if (rc == XF_OK)
		store_chain_note(hq, "number_seq", branch); /* the pushed branch's rows */
	xf_db_finalize(read);
	xf_db_finalize(put);
	return rc;
}

/* How many rows of a table the head office holds for the branch through pushes. */
int store_push_count(struct xf_store *hq, int64_t branch, const char *table, long *n, struct xf_err *err)
{
	*n = 0;
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(hq, "SELECT count(*) FROM pushed_rows WHERE branch = ?1 AND tbl = ?2", &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, branch);
	xf_db_bind_text(stmt, 2, table, -1);
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW)
		*n = (long)xf_db_column_int64(stmt, 0);
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : store_db_fail(hq, err, "读取推送的行数");
}

/* Refuses a write on a file moved onto a server. */
int store_push_moved_check(struct xf_store *st, struct xf_err *err)
{
	if (xf_db_dialect(store_db(st)) != XF_DB_SQLITE)
		return XF_OK;
	struct xf_db_stmt *stmt;
	struct xf_err ignored;
	/* A store still being made has no settings yet: nothing can have moved it. */
	if (store_db_prepare(st, "SELECT value FROM settings WHERE key = '" XF_MOVED_SETTING "'", &stmt, &ignored) != XF_OK)
		return XF_OK;
	int rc = XF_OK;
	if (xf_db_step(stmt) == XF_DB_ROW) {
		const char *to = xf_db_column_text(stmt, 0);
		rc = xf_err_set(err, XF_EDENIED, "此库已迁往 %s，只作存档，不能再写入：请用 xinfang --db %s（或把配置的 db 改为它）继续办理",
		                to ? to : "", to ? to : "");
	}
	xf_db_finalize(stmt);
	return rc;
}

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

#include "store_pgsearch.h"
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

/* Reads a head (id, hash) and a count from a statement of one row, or none. */
static int read_head(struct xf_store *st, struct xf_db_stmt *stmt, struct xf_chain_head *head, int64_t *count,
                     const char *what, struct xf_err *err)
{
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW) {
		head->id = xf_db_column_int64(stmt, 0);
		const char *h = xf_db_column_text(stmt, 1);
		snprintf(head->hash, sizeof head->hash, "%s", h ? h : "");
		*count = xf_db_column_int64(stmt, 2);
	}
	xf_db_finalize(stmt);
	return step == XF_DB_ERROR ? store_db_fail(st, err, what) : XF_OK;
}

/* The newest record of the branch the head office holds, and how many. */
int store_push_held(struct xf_store *hq, int64_t branch, struct xf_chain_head *held, int64_t *count,
                    struct xf_err *err)
{
	memset(held, 0, sizeof *held);
	*count = 0;
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(hq, "SELECT id, hash, (SELECT count(*) FROM pushed_audit WHERE branch = ?1) "
	                              "FROM pushed_audit WHERE branch = ?1 ORDER BY id DESC LIMIT 1",
	                          &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, branch);
	return read_head(hq, stmt, held, count, "读取总行已有的推送记录", err);
}

/* The branch file's newest record and how many it has. */
int store_push_file_head(struct xf_store *src, struct xf_chain_head *head, int64_t *count, struct xf_err *err)
{
	memset(head, 0, sizeof *head);
	*count = 0;
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(src, "SELECT id, hash, (SELECT count(*) FROM audit) FROM audit ORDER BY id DESC LIMIT 1",
	                          &stmt, err);
	return rc == XF_OK ? read_head(src, stmt, head, count, "读取分行的操作日志", err) : rc;
}

/* Requests sent to the head office's server so far. */
uint64_t store_push_round_trips(struct xf_store *hq)
{
	return xf_db_round_trips(store_db(hq));
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

/* Rows one statement writes at the head office (a round trip per row made the first push of a
 * branch of 10⁴ cases take minutes), kept under PostgreSQL's 65,535 parameters and SQLite's
 * 32,766; ids one look-up of the map asks for. */
enum { ROWS_PER_STATEMENT = 256, MAX_PARAMS = 30000, IDS_PER_LOOKUP = 500 };

/* A value of a branch's row, held until the statement that writes it. */
struct cell {
	enum xf_db_type type;
	int64_t i;
	double d;
	char *s;
};

/* Holds column col of the current row of from. */
static void cell_hold(struct cell *c, struct xf_db_stmt *from, int col)
{
	c->type = xf_db_column_type(from, col);
	c->i = c->type == XF_DB_INT ? xf_db_column_int64(from, col) : 0;
	c->d = c->type == XF_DB_FLOAT ? xf_db_column_double(from, col) : 0;
	c->s = c->type == XF_DB_TEXT ? xstrdup(xf_db_column_text(from, col)) : NULL;
	if (c->type != XF_DB_NULL && c->type != XF_DB_INT && c->type != XF_DB_FLOAT && c->type != XF_DB_TEXT)
		c->type = XF_DB_NULL; /* no table a push carries holds anything else */
}

/* Binds a held value as parameter param of to. */
static void cell_bind(struct xf_db_stmt *to, int param, const struct cell *c)
{
	if (c->type == XF_DB_INT)
		xf_db_bind_int64(to, param, c->i);
	else if (c->type == XF_DB_FLOAT)
		xf_db_bind_double(to, param, c->d);
	else if (c->type == XF_DB_TEXT)
		xf_db_bind_text(to, param, c->s, -1);
	else
		xf_db_bind_null(to, param);
}

/* One carried table's ids, the branch's to the head office's, as far as this push knows them;
 * written: the row was written by this push, from the same moment of the file it reads now. */
struct id_slot {
	int64_t src, dst;
	bool used, written;
};

/* An open-addressed table of id_slot (cap a power of two, at most half full). */
struct id_map {
	struct id_slot *v;
	size_t cap, n;
};

/* The slot of an id in a map's table of cap slots. */
static size_t id_hash(int64_t k, size_t cap)
{
	return (size_t)(((uint64_t)k * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

/* The slot of src, NULL when the map does not know it. */
static struct id_slot *map_get(const struct id_map *m, int64_t src)
{
	if (m->cap == 0)
		return NULL;
	for (size_t i = id_hash(src, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->v[i].used)
			return NULL;
		if (m->v[i].src == src)
			return &m->v[i];
	}
}

/* Records that the branch's src is dst at the head office; its slot. */
static struct id_slot *map_put(struct id_map *m, int64_t src, int64_t dst)
{
	struct id_slot *s = map_get(m, src);
	if (s) {
		s->dst = dst;
		return s;
	}
	if ((m->n + 1) * 2 > m->cap) {
		struct id_map g = {NULL, m->cap ? m->cap * 2 : 1024, 0};
		g.v = xcalloc(g.cap, sizeof *g.v);
		for (size_t i = 0; i < m->cap; i++)
			if (m->v[i].used)
				map_put(&g, m->v[i].src, m->v[i].dst)->written = m->v[i].written;
		free(m->v);
		*m = g;
	}
	size_t i = id_hash(src, m->cap);
	while (m->v[i].used)
		i = (i + 1) & (m->cap - 1);
	m->v[i] = (struct id_slot){src, dst, true, false};
	m->n++;
	return &m->v[i];
}

/* What one carried table's copy needs: the source's reading of a row, the head office's
 * update of a row pushed before, the columns, and where its case references stand. */
struct table_copy {
	const char *table;
	struct xf_db_stmt *read, *update;
	char **names;   /* the columns but id, in the source's order */
	char *list;     /* ... quoted, comma-separated, for the INSERT */
	int ncols;      /* the source's columns, id first */
	int case_col;   /* case_id's column (-1: none) */
	int linked_col; /* links.linked_id (-1) */
	int branch_col; /* cases.branch (-1) */
	bool ready;
};

/* A push under way: both stores, the branch at the head office, the map as far as known. */
struct xf_push {
	struct xf_store *src, *hq;
	int64_t branch;
	bool fresh; /* the head office held nothing of the branch: the map was empty */
	bool index_waits; /* the head office's text index (PostgreSQL) is cut at the end, not per batch */
	struct id_map maps[NCASE_TABLES];
	struct table_copy tc[NCASE_TABLES];
};

/* Starts a push of src into hq as branch; held is how far the head office held it before. */
struct xf_push *store_push_open(struct xf_store *src, struct xf_store *hq, int64_t branch, int64_t held)
{
	struct xf_push *p = xcalloc(1, sizeof *p);
	p->src = src;
	p->hq = hq;
	p->branch = branch;
	p->fresh = held == 0; /* the map's lines go in the same transactions as the records */
	/* The batches' cases wait in search_dirty (committed with them, so a push cut short leaves
	 * them to the next push or the next desk to open the store) and are cut at the end at once. */
	bool *ready = store_search_ready(hq);
	if (xf_db_dialect(store_db(hq)) == XF_DB_POSTGRESQL && *ready) {
		p->index_waits = true;
		*ready = false;
	}
	return p;
}

/* Cuts the text index of the cases the push wrote, in one transaction at the head office. */
int store_push_index(struct xf_push *p, struct xf_err *err)
{
	if (!p->index_waits)
		return XF_OK;
	p->index_waits = false;
	*store_search_ready(p->hq) = true;
	int rc = store_begin(p->hq, err);
	if (rc != XF_OK)
		return rc;
	if ((rc = store_pgsearch_flush_sorted(p->hq, err)) == XF_OK)
		rc = store_commit(p->hq, err);
	if (rc != XF_OK)
		store_rollback(p->hq);
	return rc;
}

/* Ends a push: its statements and maps. */
void store_push_close(struct xf_push *p)
{
	if (p == NULL)
		return;
	if (p->index_waits)
		*store_search_ready(p->hq) = true;
	for (int t = 0; t < NCASE_TABLES; t++) {
		struct table_copy *tc = &p->tc[t];
		xf_db_finalize(tc->read);
		xf_db_finalize(tc->update);
		for (int k = 0; tc->names && k < tc->ncols - 1; k++)
			free(tc->names[k]);
		free(tc->names);
		free(tc->list);
		free(p->maps[t].v);
	}
	free(p);
}

/* Prepares a table's statements: SELECT of every column by id on the source, UPDATE of every
 * column but id on the head office; the column list the INSERTs name. */
static int table_copy_prepare(struct xf_push *p, int t, struct xf_err *err)
{
	struct table_copy *tc = &p->tc[t];
	const char *table = case_tables[t];
	tc->table = table;
	tc->case_col = tc->linked_col = tc->branch_col = -1;
	struct xf_db_stmt *probe;
	char *sql = xasprintf("SELECT * FROM \"%s\" LIMIT 0", table);
	int rc = store_db_prepare(p->src, sql, &probe, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	struct xf_buf cols, names, sets;
	buf_init(&cols);
	buf_init(&names);
	buf_init(&sets);
	int n = xf_db_column_count(probe);
	tc->names = xcalloc((size_t)n + 1, sizeof *tc->names);
	buf_puts(&cols, "\"id\"");
	int k = 0;
	for (int i = 0; i < n; i++) {
		const char *name = xf_db_column_name(probe, i);
		if (strcmp(name, "id") == 0)
			continue;
		tc->names[k++] = xstrdup(name);
		buf_printf(&cols, ", \"%s\"", name);
		buf_printf(&names, "%s\"%s\"", k > 1 ? ", " : "", name);
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
	tc->list = names.data ? names.data : xstrdup("");
	char *read = xasprintf("SELECT %s FROM \"%s\" WHERE id = ?1", cols.data, table);
	char *update = xasprintf("UPDATE \"%s\" SET %s WHERE id = ?%d", table, sets.data, k + 1);
	if ((rc = store_db_prepare(p->src, read, &tc->read, err)) == XF_OK)
		rc = store_db_prepare(p->hq, update, &tc->update, err);
	free(read);
	free(update);
	buf_free(&cols);
	buf_free(&sets);
	tc->ready = rc == XF_OK;
	return rc;
}

/* Learns from the map (pushed_rows) the head office's ids of those of ids[0..n) of table t
 * this push does not know yet: a few hundred by one statement (a round trip per id was most
 * of a push's time). */
static int learn_ids(struct xf_push *p, int t, const int64_t *ids, size_t n, struct xf_err *err)
{
	if (p->fresh)
		return XF_OK;
	int64_t *ask = xcalloc(n ? n : 1, sizeof *ask);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (map_get(&p->maps[t], ids[i]) == NULL && (m == 0 || ask[m - 1] != ids[i]))
			ask[m++] = ids[i];
	int rc = XF_OK;
	for (size_t from = 0; rc == XF_OK && from < m; from += IDS_PER_LOOKUP) {
		size_t k = m - from < IDS_PER_LOOKUP ? m - from : IDS_PER_LOOKUP;
		/* a few sizes of statement only, padded with the last id: each size is prepared once */
		size_t size = k <= 8 ? 8 : k <= 64 ? 64 : IDS_PER_LOOKUP;
		struct xf_buf sql;
		buf_init(&sql);
		buf_puts(&sql, "SELECT src_id, dst_id FROM pushed_rows WHERE branch = ?1 AND tbl = ?2 AND src_id IN (");
		for (size_t i = 0; i < size; i++) /* bare ?: SQLite looks each ?NNN up in a list */
			buf_puts(&sql, i ? ", ?" : "?");
		buf_puts(&sql, ")");
		struct xf_db_stmt *stmt;
		rc = store_db_prepare(p->hq, sql.data, &stmt, err);
		buf_free(&sql);
		if (rc != XF_OK)
			break;
		xf_db_bind_int64(stmt, 1, p->branch);
		xf_db_bind_text(stmt, 2, case_tables[t], -1);
		for (size_t i = 0; i < size; i++)
			xf_db_bind_int64(stmt, (int)i + 3, ask[from + (i < k ? i : k - 1)]);
		enum xf_db_step step;
		while ((step = xf_db_step(stmt)) == XF_DB_ROW)
			map_put(&p->maps[t], xf_db_column_int64(stmt, 0), xf_db_column_int64(stmt, 1));
		xf_db_finalize(stmt);
		if (step != XF_DB_DONE)
			rc = store_db_fail(p->hq, err, "读取推送的编号对照");
	}
	free(ask);
	return rc;
}

/* Writes the map's lines (branch, table, src, dst) of rows just inserted, by few statements. */
static int write_map(struct xf_push *p, int t, const int64_t *src, const int64_t *dst, size_t n, struct xf_err *err)
{
	int rc = XF_OK;
	for (size_t from = 0; rc == XF_OK && from < n; from += ROWS_PER_STATEMENT) {
		size_t k = n - from < ROWS_PER_STATEMENT ? n - from : ROWS_PER_STATEMENT;
		struct xf_buf sql;
		buf_init(&sql);
		buf_puts(&sql, "INSERT INTO pushed_rows (branch, tbl, src_id, dst_id) VALUES ");
		for (size_t i = 0; i < k; i++)
			buf_puts(&sql, i ? ", (?1, ?2, ?, ?)" : "(?1, ?2, ?, ?)"); /* a bare ? is the next number */
		struct xf_db_stmt *stmt;
		rc = store_db_prepare(p->hq, sql.data, &stmt, err);
		buf_free(&sql);
		if (rc != XF_OK)
			break;
		xf_db_bind_int64(stmt, 1, p->branch);
		xf_db_bind_text(stmt, 2, case_tables[t], -1);
		for (size_t i = 0; i < k; i++) {
			xf_db_bind_int64(stmt, (int)(2 * i + 3), src[from + i]);
			xf_db_bind_int64(stmt, (int)(2 * i + 4), dst[from + i]);
		}
		rc = store_db_run(p->hq, stmt, err, "记下推送的编号对照");
	}
	return rc;
}

/* Inserts rows[0..n) (each ncols-1 held values) by few multi-row INSERTs; dst gets the head
 * office's new ids in the rows' order. The ids an INSERT returns are taken in ascending order:
 * the rows of one statement get their ids in the order of its VALUES on both backends (a
 * sequence, or SQLite's next rowid), whatever order RETURNING gives them in. */
static int insert_rows(struct xf_push *p, struct table_copy *tc, struct cell *const *rows, size_t n, int64_t *dst,
                       struct xf_err *err)
{
	int w = tc->ncols - 1, per = ROWS_PER_STATEMENT;
	if (w > 0 && per * w > MAX_PARAMS)
		per = MAX_PARAMS / w;
	int rc = XF_OK;
	for (size_t from = 0; rc == XF_OK && from < n; from += (size_t)per) {
		size_t k = n - from < (size_t)per ? n - from : (size_t)per;
		struct xf_buf sql;
		buf_init(&sql);
		if (w == 0) { /* no column but id: one default row each */
			buf_printf(&sql, "INSERT INTO \"%s\" DEFAULT VALUES RETURNING id", tc->table);
			k = 1;
		} else {
			buf_printf(&sql, "INSERT INTO \"%s\" (%s) VALUES ", tc->table, tc->list);
			for (size_t r = 0; r < k; r++) {
				buf_puts(&sql, r ? ", (" : "(");
				for (int c = 0; c < w; c++) /* bare ?: numbered ones made SQLite's parse quadratic */
					buf_puts(&sql, c ? ", ?" : "?");
				buf_puts(&sql, ")");
			}
			buf_puts(&sql, " RETURNING id");
		}
		struct xf_db_stmt *stmt;
		rc = store_db_prepare(p->hq, sql.data, &stmt, err);
		buf_free(&sql);
		if (rc != XF_OK)
			break;
		for (size_t r = 0; r < k; r++)
			for (int c = 0; c < w; c++)
				cell_bind(stmt, (int)(r * (size_t)w + (size_t)c + 1), &rows[from + r][c]);
		size_t got = 0;
		enum xf_db_step step;
		while ((step = xf_db_step(stmt)) == XF_DB_ROW)
			if (got < k)
				dst[from + got++] = xf_db_column_int64(stmt, 0);
		xf_db_finalize(stmt);
		if (step != XF_DB_DONE || got != k) {
			char *what = xasprintf("把分行的 %s 写入总行", tc->table);
			rc = store_db_fail(p->hq, err, what);
			free(what);
			break;
		}
		qsort(dst + from, k, sizeof *dst, cmp_id);
	}
	return rc;
}

/* Holds for the head office's chain the canonical JSON of a row written with values (its
 * columns but id), so its record's snapshot is built here and not read back row by row. */
static void hold_row(struct xf_push *p, struct table_copy *tc, int64_t dst, const struct cell *values)
{
	struct xf_fields f;
	fields_init(&f);
	char num[24];
	for (int c = 0; c < tc->ncols - 1; c++) {
		const struct cell *v = &values[c];
		if (v->type == XF_DB_FLOAT) { /* not a value the held rendering covers: read back */
			fields_free(&f);
			return;
		}
		if (v->type == XF_DB_INT) {
			snprintf(num, sizeof num, "%lld", (long long)v->i);
			fields_add(&f, tc->names[c], num);
		} else if (v->type == XF_DB_TEXT) {
			fields_add(&f, tc->names[c], v->s);
		}
	}
	store_chain_hold_row(p->hq, tc->table, dst, &f);
	fields_free(&f);
}

/* Reads rows ids[0..n) of table t from the file into cells (ncols-1 values a row). */
static int read_rows(struct xf_push *p, struct table_copy *tc, const int64_t *ids, size_t n, struct cell *cells,
                     struct xf_err *err)
{
	int w = tc->ncols - 1;
	for (size_t i = 0; i < n; i++) {
		xf_db_reset(tc->read);
		xf_db_bind_int64(tc->read, 1, ids[i]);
		enum xf_db_step step = xf_db_step(tc->read);
		if (step == XF_DB_DONE) /* named by a record but gone from the file: verify at the branch says so */
			return xf_err_set(err, XF_EINVAL, "分行文件中没有 %s:%lld 这一行，它的操作日志却记着它：请在分行运行 xinfang verify",
			                  tc->table, (long long)ids[i]);
		if (step != XF_DB_ROW)
			return store_db_fail(p->src, err, "读取分行的记录");
		for (int c = 0; c < w; c++)
			cell_hold(&cells[i * (size_t)w + (size_t)c], tc->read, c + 1);
	}
	xf_db_reset(tc->read);
	return XF_OK;
}

/* Turns the rows' case references into the head office's ids (learning those of cases pushed
 * before) and a case's branch into the head office's id of the branch. */
static int map_references(struct xf_push *p, struct table_copy *tc, struct cell *cells, size_t n, struct xf_err *err)
{
	int w = tc->ncols - 1;
	int refs[2] = {tc->case_col, tc->linked_col};
	int64_t *want = xcalloc(2 * n + 1, sizeof *want);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		for (int r = 0; r < 2; r++)
			if (refs[r] > 0 && cells[i * (size_t)w + (size_t)refs[r] - 1].type == XF_DB_INT)
				want[m++] = cells[i * (size_t)w + (size_t)refs[r] - 1].i;
	if (m > 1)
		qsort(want, m, sizeof *want, cmp_id);
	int rc = learn_ids(p, 0, want, m, err);
	free(want);
	for (size_t i = 0; rc == XF_OK && i < n; i++) {
		struct cell *row = &cells[i * (size_t)w];
		if (tc->branch_col > 0) {
			struct cell *b = &row[tc->branch_col - 1];
			free(b->s);
			*b = (struct cell){XF_DB_INT, p->branch, 0, NULL};
		}
		for (int r = 0; r < 2; r++) {
			if (refs[r] <= 0 || row[refs[r] - 1].type == XF_DB_NULL)
				continue;
			struct cell *c = &row[refs[r] - 1];
			struct id_slot *s = c->type == XF_DB_INT ? map_get(&p->maps[0], c->i) : NULL;
			if (s == NULL) {
				char id[24];
				snprintf(id, sizeof id, "%lld", (long long)c->i);
				rc = xf_err_set(err, XF_EINVAL, "分行文件中 %s 的记录指向的事项（id %s）没有推送到总行：分行的操作日志不完整，请在分行运行 xinfang verify",
				                tc->table, c->type == XF_DB_TEXT ? c->s : id);
				break;
			}
			c->i = s->dst;
		}
	}
	return rc;
}

/* Copies the rows ids[0..n) (sorted, once each) of carried table t: rows this push wrote
 * already (from the same moment of the file) are not written again, rows pushed before are
 * updated where the map says, new ones inserted by few statements with their lines of the map;
 * every one is noted for the head office's chain with its JSON held. */
static int push_table(struct xf_push *p, int t, const int64_t *ids, size_t n, struct xf_err *err)
{
	struct table_copy *tc = &p->tc[t];
	int rc = tc->ready ? XF_OK : table_copy_prepare(p, t, err);
	if (rc != XF_OK || n == 0)
		return rc;
	int w = tc->ncols - 1;
	struct cell *cells = xcalloc(n * (size_t)(w > 0 ? w : 1), sizeof *cells);
	struct cell **fresh = xcalloc(n, sizeof *fresh);
	int64_t *fresh_src = xcalloc(n, sizeof *fresh_src), *fresh_dst = xcalloc(n, sizeof *fresh_dst);
	size_t nfresh = 0;
	if ((rc = learn_ids(p, t, ids, n, err)) == XF_OK && (rc = read_rows(p, tc, ids, n, cells, err)) == XF_OK)
		rc = map_references(p, tc, cells, n, err);
	for (size_t i = 0; rc == XF_OK && i < n; i++) {
		struct id_slot *s = map_get(&p->maps[t], ids[i]);
		struct cell *row = &cells[i * (size_t)w];
		if (s == NULL) {
			fresh[nfresh] = row;
			fresh_src[nfresh++] = ids[i];
		} else if (!s->written) { /* pushed by an earlier push: updated in place */
			xf_db_reset(tc->update);
			for (int c = 0; c < w; c++)
				cell_bind(tc->update, c + 1, &row[c]);
			xf_db_bind_int64(tc->update, w + 1, s->dst);
			if (xf_db_step(tc->update) != XF_DB_DONE) {
				char *what = xasprintf("把分行的 %s:%lld 写入总行", tc->table, (long long)ids[i]);
				rc = store_db_fail(p->hq, err, what);
				free(what);
			}
			xf_db_reset(tc->update);
			s->written = true;
		}
	}
	if (rc == XF_OK && nfresh > 0 && (rc = insert_rows(p, tc, fresh, nfresh, fresh_dst, err)) == XF_OK &&
	    (rc = write_map(p, t, fresh_src, fresh_dst, nfresh, err)) == XF_OK)
		for (size_t i = 0; i < nfresh; i++)
			map_put(&p->maps[t], fresh_src[i], fresh_dst[i])->written = true;
	for (size_t i = 0; rc == XF_OK && i < n; i++) {
		int64_t dst = map_get(&p->maps[t], ids[i])->dst;
		store_chain_note(p->hq, tc->table, dst);
		hold_row(p, tc, dst, &cells[i * (size_t)w]);
	}
	for (size_t i = 0; i < n * (size_t)w; i++)
		free(cells[i].s);
	free(cells);
	free(fresh);
	free(fresh_src);
	free(fresh_dst);
	return rc;
}

/* Compares two texts through pointers to them. */
static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Gives the head office the reference rows of table the branch has and it lacks: channels and
 * categories by name, the branch's departments by name within the branch (as branch there).
 * The names the head office has are read by one statement. */
static int sync_list(struct xf_store *src, struct xf_store *hq, const char *table, int64_t branch, long *rows,
                     struct xf_err *err)
{
	bool per_branch = strcmp(table, "departments") == 0;
	struct xf_db_stmt *read, *have = NULL, *insert = NULL;
	char *sql = xasprintf("SELECT name FROM \"%s\"%s", table, per_branch ? " WHERE branch = ?1" : "");
	int rc = store_db_prepare(hq, sql, &have, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	if (per_branch)
		xf_db_bind_int64(have, 1, branch);
	char **names = NULL;
	size_t nnames = 0, cap = 0;
	enum xf_db_step step;
	while ((step = xf_db_step(have)) == XF_DB_ROW) {
		if (nnames == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		const char *v = xf_db_column_text(have, 0);
		names[nnames++] = xstrdup(v ? v : "");
	}
	xf_db_finalize(have);
	if (step != XF_DB_DONE)
		rc = store_db_fail(hq, err, "读取总行的基础清单");
	if (nnames > 1)
		qsort(names, nnames, sizeof *names, cmp_text);
	sql = xasprintf("SELECT * FROM \"%s\"%s", table, per_branch ? " WHERE branch = 1" : "");
	if (rc == XF_OK)
		rc = store_db_prepare(src, sql, &read, err);
	free(sql);
	if (rc != XF_OK)
		goto out;
	struct xf_buf cols, marks;
	buf_init(&cols);
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
		buf_printf(&cols, "%s\"%s\"", k > 1 ? ", " : "", c);
		buf_printf(&marks, "%s?%d", k > 1 ? ", " : "", k);
	}
	step = XF_DB_DONE;
	while (rc == XF_OK && name_col >= 0 && (step = xf_db_step(read)) == XF_DB_ROW) {
		const char *name = xf_db_column_text(read, name_col);
		if (name == NULL || bsearch(&name, names, nnames, sizeof *names, cmp_text) != NULL)
			continue;
		if (insert == NULL) {
			sql = xasprintf("INSERT INTO \"%s\" (%s) VALUES (%s)", table, cols.data ? cols.data : "",
			                marks.data ? marks.data : "");
			rc = store_db_prepare(hq, sql, &insert, err);
			free(sql);
			if (rc != XF_OK)
				break;
		}
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
	buf_free(&cols);
	buf_free(&marks);
	free(from);
	xf_db_finalize(read);
	xf_db_finalize(insert);
out:
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* Copies the branch's records from..to verbatim into pushed_audit as branch, a few hundred by
 * each statement. */
static int copy_records(struct xf_store *src, struct xf_store *hq, int64_t branch, int64_t from, int64_t to,
                        struct xf_err *err)
{
	enum { W = 11 }; /* the columns read; the branch is the twelfth */
	static const char cols[] = "id, at, wall, operator, action, case_id, before, after, snapshot, hash";
	struct xf_db_stmt *read;
	char *sql = xasprintf("SELECT %s, branch FROM audit WHERE id BETWEEN ?1 AND ?2 ORDER BY id", cols);
	int rc = store_db_prepare(src, sql, &read, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(read, 1, from);
	xf_db_bind_int64(read, 2, to);
	struct cell *held = xcalloc((size_t)ROWS_PER_STATEMENT * W, sizeof *held);
	size_t nheld = 0;
	enum xf_db_step step = XF_DB_ROW;
	while (rc == XF_OK && step == XF_DB_ROW) {
		step = xf_db_step(read);
		if (step == XF_DB_ROW) {
			for (int i = 0; i < W; i++)
				cell_hold(&held[nheld * W + (size_t)i], read, i);
			nheld++;
		}
		if (nheld == 0 || (step == XF_DB_ROW && nheld < ROWS_PER_STATEMENT))
			continue;
		/* The branch, the same in every row, is ?1; the values are bare ?s, numbered on from
		 * it (numbered ones made SQLite's parse of a statement quadratic in its parameters). */
		struct xf_buf ins;
		buf_init(&ins);
		buf_printf(&ins, "INSERT INTO pushed_audit (branch, %s, src_branch) VALUES ", cols);
		for (size_t r = 0; r < nheld; r++) {
			buf_puts(&ins, r ? ", (?1" : "(?1");
			for (int i = 0; i < W; i++)
				buf_puts(&ins, ", ?");
			buf_puts(&ins, ")");
		}
		struct xf_db_stmt *insert;
		rc = store_db_prepare(hq, ins.data, &insert, err);
		buf_free(&ins);
		if (rc == XF_OK) {
			xf_db_bind_int64(insert, 1, branch);
			for (size_t k = 0; k < nheld * W; k++)
				cell_bind(insert, (int)k + 2, &held[k]);
			rc = store_db_run(hq, insert, err, "把分行的操作日志写入总行");
		}
		for (size_t k = 0; k < nheld * W; k++) {
			free(held[k].s);
			held[k].s = NULL;
		}
		nheld = 0;
	}
	if (rc == XF_OK && step == XF_DB_ERROR)
		rc = store_db_fail(src, err, "读取分行的操作日志");
	for (size_t k = 0; k < nheld * W; k++)
		free(held[k].s);
	free(held);
	xf_db_finalize(read);
	return rc;
}

/* One batch of a push. */
int store_push_batch(struct xf_push *p, int64_t from, int64_t to, long *rows, struct xf_err *err)
{
	*rows = 0;
	struct id_set sets[NCASE_TABLES];
	memset(sets, 0, sizeof sets);
	int rc = batch_keys(p->src, from, to, sets, err);
	static const char *const lists[] = {"channels", "categories", "departments"};
	for (size_t i = 0; rc == XF_OK && sets[0].n > 0 && i < sizeof lists / sizeof lists[0]; i++)
		rc = sync_list(p->src, p->hq, lists[i], p->branch, rows, err);
	for (int t = 0; rc == XF_OK && t < NCASE_TABLES; t++) {
		size_t n = 0; /* once each */
		for (size_t i = 0; i < sets[t].n; i++)
			if (i == 0 || sets[t].v[i] != sets[t].v[i - 1])
				sets[t].v[n++] = sets[t].v[i];
		rc = push_table(p, t, sets[t].v, n, err);
		*rows += (long)n;
	}
	for (int t = 0; t < NCASE_TABLES; t++)
		free(sets[t].v);
	if (rc == XF_OK)
		rc = copy_records(p->src, p->hq, p->branch, from, to, err);
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
		/* the database without the push's login: each desk comes as its own */
		const char *moved_to = xf_db_column_text(stmt, 0) ? xf_db_column_text(stmt, 0) : "";
		bool server = store_locator_is_server(moved_to);
		char *to = server ? store_locator_database(moved_to) : xstrdup(moved_to);
		rc = xf_err_set(err, XF_EDENIED,
		                "此库已迁往 %s，只作存档，不能再写入：请用 xinfang --db %s（或把配置的 db 改为它%s）继续办理", to,
		                to, server ? "，各用自己的数据库登录名" : "");
		free(to);
	}
	xf_db_finalize(stmt);
	return rc;
}

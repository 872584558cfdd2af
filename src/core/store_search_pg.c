/* The text index on PostgreSQL (data/schema/pg/008, 011): the program's tokenizer cuts each
 * index row's columns in document mode and every token becomes a row of search_tokens (column,
 * position, token); a query's phrases, cut in query mode as FTS5 cuts them, are found as tokens
 * at consecutive positions of one row and column. Only the seam is spoken to. */
#include "store_search_pg.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/search.h"

/* Index rows, and tokens, written by one statement: a few megabytes of parameters at most. */
enum { DOCS_PER_STATEMENT = 500, TOKENS_PER_STATEMENT = 20000 };

/* Forgets index rows and their tokens (no foreign key joins them since pg/025). */
static const char delete_rows_sql[] =
	"WITH tokens AS (DELETE FROM search_tokens WHERE row = ANY (CAST(?1 AS bigint[]))) "
	"DELETE FROM search WHERE rowid = ANY (CAST(?1 AS bigint[]))";

/* The index's columns, in search_tokens' numbering. */
static const char *const columns[] = {"texts", "people", "numbers", "facets"};
enum { NCOLUMNS = sizeof columns / sizeof columns[0] };

/* The filters' mark that begins every facets token (U+E000). */
#define FACET_MARK_UTF8 "\xEE\x80\x80"

/* The length of the longest prefix of s[0..len) that does not end inside a UTF-8 character:
 * the tokenizer cuts a filter's line at a byte count, and the server takes only whole
 * characters (a query's token is cut the same way, so both still meet). */
static size_t utf8_whole(const char *s, size_t len)
{
	size_t i = len;
	while (i > 0 && len - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return len;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead < 0xC0 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	return len - (i - 1) < need ? i - 1 : len;
}

/* Starts an array literal. */
static void array_open(struct xf_buf *b)
{
	buf_init(b);
	buf_puts(b, "{");
}

/* Appends one element to an array literal: text quoted (NULL as NULL), with \ and " escaped. */
static void array_text(struct xf_buf *b, const char *s, size_t len)
{
	if (b->len > 1)
		buf_add(b, ",", 1);
	if (s == NULL) {
		buf_puts(b, "NULL");
		return;
	}
	buf_add(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_add(b, "\\", 1);
		buf_add(b, s + i, 1);
	}
	buf_add(b, "\"", 1);
}

/* Appends an integer element to an array literal. */
static void array_int(struct xf_buf *b, int64_t v)
{
	buf_printf(b, "%s%" PRId64, b->len > 1 ? "," : "", v);
}

/* Closes an array literal. */
static void array_close(struct xf_buf *b)
{
	buf_puts(b, "}");
}

/* Prepares a statement, binds its text parameters (arrays as literals), runs it to the end. */
static int run_arrays(struct xf_db *db, const char *sql, struct xf_buf *vals, int nvals, struct xf_err *err)
{
	struct xf_db_stmt *st;
	int rc = xf_db_prepare(db, sql, &st, err);
	if (rc != XF_OK)
		return rc;
	for (int i = 0; i < nvals; i++)
		xf_db_bind_text(st, i + 1, vals[i].data, (int)vals[i].len);
	enum xf_db_step step;
	while ((step = xf_db_step(st)) == XF_DB_ROW)
		;
	xf_db_finalize(st);
	return step == XF_DB_DONE ? XF_OK : xf_db_fail(db, err, "更新全文检索");
}

/* The tokens of the rows being written, as the four arrays one INSERT unnests. */
struct token_batch {
	struct xf_buf arr[4]; /* rows, columns, positions, tokens */
	size_t n;
	int64_t row; /* the row and column being cut, and the position of its last token */
	int col, pos;
};

/* Empties a batch for the next statement. */
static void batch_reset(struct token_batch *b)
{
	for (int i = 0; i < 4; i++) {
		buf_free(&b->arr[i]);
		array_open(&b->arr[i]);
	}
	b->n = 0;
}

/* Writes the batch's tokens by one statement. */
static int batch_flush(struct xf_db *db, struct token_batch *b, struct xf_err *err)
{
	if (b->n == 0)
		return XF_OK;
	for (int i = 0; i < 4; i++)
		array_close(&b->arr[i]);
	int rc =
	    run_arrays(db,
	               "INSERT INTO search_tokens (row, case_id, col, pos, token) "
	               "SELECT r, r & 4294967295, c, p, t FROM unnest(CAST(?1 AS bigint[]), CAST(?2 AS integer[]), "
	               "CAST(?3 AS integer[]), CAST(?4 AS text[])) AS u(r, c, p, t) ORDER BY t, r",
	               b->arr, 4, err);
	batch_reset(b);
	return rc;
}

/* Takes one token of the column being cut: a colocated one shares the position of the token
 * before it, as FTS5 counts them. */
static int take_token(void *ctx, bool colocated, const char *token, size_t len, size_t start, size_t end)
{
	(void)start, (void)end;
	struct token_batch *b = ctx;
	if (!colocated || b->pos < 0)
		b->pos++;
	array_int(&b->arr[0], b->row);
	array_int(&b->arr[1], b->col);
	array_int(&b->arr[2], b->pos);
	array_text(&b->arr[3], token, utf8_whole(token, len));
	b->n++;
	return 0;
}

/* The five array literals of index rows docs[0..n): rowids, then each column's texts. */
static void rows_arrays(struct xf_buf arr[5], const struct search_pg_doc *docs, size_t n)
{
	for (int i = 0; i < 5; i++)
		array_open(&arr[i]);
	for (size_t k = 0; k < n; k++) {
		array_int(&arr[0], docs[k].row);
		const char *text[] = {docs[k].texts, docs[k].people, docs[k].numbers, docs[k].facets};
		for (int c = 0; c < NCOLUMNS; c++)
			array_text(&arr[c + 1], text[c], text[c] ? strlen(text[c]) : 0);
	}
	for (int i = 0; i < 5; i++)
		array_close(&arr[i]);
}

/* Cuts one index row's columns into the batch's tokens. */
static void doc_tokens(struct token_batch *b, const struct search_pg_doc *doc)
{
	const char *text[] = {doc->texts, doc->people, doc->numbers, doc->facets};
	b->row = doc->row;
	for (int c = 0; c < NCOLUMNS; c++) {
		b->col = c;
		b->pos = -1;
		if (text[c])
			search_tokenize(text[c], strlen(text[c]), XF_TOK_DOCUMENT, take_token, b);
	}
}

/* Deletes and writes again the index rows docs[0..n) (one statement each), then their tokens. */
static int put_some(struct xf_db *db, const struct search_pg_doc *docs, size_t n, struct token_batch *b,
                    struct xf_err *err)
{
	struct xf_buf arr[5];
	rows_arrays(arr, docs, n);
	int rc = run_arrays(db, delete_rows_sql, arr, 1, err);
	if (rc == XF_OK)
		rc = run_arrays(db,
		                "INSERT INTO search (rowid, texts, people, numbers, facets) "
		                "SELECT * FROM unnest(CAST(?1 AS bigint[]), CAST(?2 AS text[]), CAST(?3 AS text[]), "
		                "CAST(?4 AS text[]), CAST(?5 AS text[]))",
		                arr, 5, err);
	for (int i = 0; i < 5; i++)
		buf_free(&arr[i]);
	for (size_t k = 0; k < n && rc == XF_OK; k++) {
		doc_tokens(b, &docs[k]);
		if (b->n >= TOKENS_PER_STATEMENT)
			rc = batch_flush(db, b, err);
	}
	return rc == XF_OK ? batch_flush(db, b, err) : rc;
}

/* Writes index rows and their tokens, replacing any row of the same rowid: in the caller's
 * transaction, else in one of its own, so a row is never left with half its tokens. */
int search_pg_put(struct xf_db *db, const struct search_pg_doc *docs, size_t n, struct xf_err *err)
{
	bool own = !xf_db_in_transaction(db);
	int rc = own ? xf_db_begin_write(db, err) : XF_OK;
	if (rc != XF_OK)
		return rc;
	struct token_batch b;
	memset(&b, 0, sizeof b);
	batch_reset(&b);
	for (size_t k = 0; k < n && rc == XF_OK; k += DOCS_PER_STATEMENT)
		rc = put_some(db, docs + k, n - k < DOCS_PER_STATEMENT ? n - k : DOCS_PER_STATEMENT, &b, err);
	for (int i = 0; i < 4; i++)
		buf_free(&b.arr[i]);
	if (own && rc == XF_OK)
		return xf_db_commit(db, err);
	if (own)
		xf_db_rollback(db);
	return rc;
}

/* One token of a sorted load: its row, column, position, and where its bytes are. */
struct sorted_token {
	int64_t row;
	int col, pos;
	size_t at, len; /* in the load's byte store */
};

/* The tokens of many index rows, gathered to be written in the index's order. */
struct sorted_load {
	struct sorted_token *v;
	size_t n, cap;
	struct xf_buf bytes;
	int64_t row;
	int col, pos;
};

/* Takes one token into a sorted load (as take_token counts positions). */
static int take_sorted(void *ctx, bool colocated, const char *token, size_t len, size_t start, size_t end)
{
	(void)start, (void)end;
	struct sorted_load *l = ctx;
	if (!colocated || l->pos < 0)
		l->pos++;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	size_t whole = utf8_whole(token, len);
	l->v[l->n++] = (struct sorted_token){l->row, l->col, l->pos, l->bytes.len, whole};
	buf_add(&l->bytes, whole ? token : "", whole);
	return 0;
}

/* The byte store the comparison reads (qsort has no context argument). */
static const char *sorted_bytes;

/* Orders tokens as search_tokens_find does: by token (bytewise), then row. */
static int cmp_sorted(const void *a, const void *b)
{
	const struct sorted_token *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(sorted_bytes + x->at, sorted_bytes + y->at, n);
	if (c == 0)
		c = x->len < y->len ? -1 : x->len > y->len;
	if (c == 0)
		c = x->row < y->row ? -1 : x->row > y->row;
	return c;
}

/* Bytes of COPY rows sent by one COPY (a few hundred thousand tokens). */
enum { COPY_BYTES = 8 << 20 };

/* Appends a value in COPY's text format: a backslash, tab, newline or carriage return escaped. */
static void copy_text(struct xf_buf *b, const char *s, size_t len)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		const char *esc = s[i] == '\\' ? "\\\\" : s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r" : NULL;
		if (esc) {
			buf_add(b, s + from, i - from);
			buf_add(b, esc, 2);
			from = i + 1;
		}
	}
	buf_add(b, s + from, len - from);
}

/* Writes index rows known to be absent and their tokens, the tokens of all of them sorted
 * first as the token index orders them and sent by COPY a slice at a time: each slice then adds
 * to a few neighbouring pages of the index, where a batch's tokens in row order touched pages
 * all over it (a push of many cases at once; in the caller's transaction). */
int search_pg_put_sorted(struct xf_db *db, const struct search_pg_doc *docs, size_t n, struct xf_err *err)
{
	int rc = XF_OK;
	for (size_t k = 0; k < n && rc == XF_OK; k += DOCS_PER_STATEMENT) {
		struct xf_buf arr[5];
		rows_arrays(arr, docs + k, n - k < DOCS_PER_STATEMENT ? n - k : DOCS_PER_STATEMENT);
		rc = run_arrays(db,
		                "INSERT INTO search (rowid, texts, people, numbers, facets) "
		                "SELECT * FROM unnest(CAST(?1 AS bigint[]), CAST(?2 AS text[]), CAST(?3 AS text[]), "
		                "CAST(?4 AS text[]), CAST(?5 AS text[]))",
		                arr, 5, err);
		for (int i = 0; i < 5; i++)
			buf_free(&arr[i]);
	}
	struct sorted_load l;
	memset(&l, 0, sizeof l);
	buf_init(&l.bytes);
	for (size_t k = 0; k < n && rc == XF_OK; k++) {
		const char *text[] = {docs[k].texts, docs[k].people, docs[k].numbers, docs[k].facets};
		l.row = docs[k].row;
		for (int c = 0; c < NCOLUMNS; c++) {
			l.col = c;
			l.pos = -1;
			if (text[c])
				search_tokenize(text[c], strlen(text[c]), XF_TOK_DOCUMENT, take_sorted, &l);
		}
	}
	sorted_bytes = l.bytes.data;
	if (l.n > 1)
		qsort(l.v, l.n, sizeof *l.v, cmp_sorted);
	/* COPY's text rows: no statement to parse, no arrays to unnest (half the time of the
	 * INSERT of array batches for a push's 1.6 million tokens) */
	struct xf_buf rows;
	buf_init(&rows);
	for (size_t i = 0; i < l.n && rc == XF_OK; i++) {
		const struct sorted_token *t = &l.v[i];
		buf_printf(&rows, "%" PRId64 "\t%" PRId64 "\t%d\t%d\t", t->row, (int64_t)(t->row & 4294967295LL), t->col, t->pos);
		copy_text(&rows, l.bytes.data + t->at, t->len);
		buf_add(&rows, "\n", 1);
		if (rows.len >= COPY_BYTES || i + 1 == l.n) {
			rc = xf_db_copy_in(db, "COPY search_tokens (row, case_id, col, pos, token) FROM STDIN", rows.data,
			                   rows.len, err, "更新全文检索");
			rows.len = 0;
		}
	}
	buf_free(&rows);
	free(l.v);
	buf_free(&l.bytes);
	sorted_bytes = NULL;
	return rc;
}

/* Rows at most, and tokens at most, that search_pg_put_absent writes by its one statement. */
enum { ABSENT_DOCS = 16 };

/* Writes index rows none of which is there (their cases' old rows deleted already), their tokens
 * and their cases' entries of search_rows by one statement, a round trip where a commit's
 * re-index of a case or two took five. *done false (nothing written) when they are more than
 * one statement takes: the caller writes them by search_pg_put then. */
int search_pg_put_absent(struct xf_db *db, const struct search_pg_doc *docs, size_t n, bool *done,
                         struct xf_err *err)
{
	*done = false;
	if (n == 0 || n > ABSENT_DOCS)
		return XF_OK;
	struct token_batch b;
	memset(&b, 0, sizeof b);
	batch_reset(&b);
	for (size_t k = 0; k < n; k++)
		doc_tokens(&b, &docs[k]);
	int rc = XF_OK;
	if (b.n <= TOKENS_PER_STATEMENT) {
		struct xf_buf arr[9];
		rows_arrays(arr, docs, n);
		for (int i = 0; i < 4; i++) {
			array_close(&b.arr[i]);
			arr[5 + i] = b.arr[i];
		}
		/* The tokens' foreign key is checked at the statement's end, when its rows are there. */
		rc = run_arrays(db,
		                "WITH put AS (INSERT INTO search (rowid, texts, people, numbers, facets) "
		                " SELECT * FROM unnest(CAST(?1 AS bigint[]), CAST(?2 AS text[]), CAST(?3 AS text[]), "
		                " CAST(?4 AS text[]), CAST(?5 AS text[]))), "
		                "tokens AS (INSERT INTO search_tokens (row, case_id, col, pos, token) "
		                " SELECT r, r & 4294967295, c, p, t FROM unnest(CAST(?6 AS bigint[]), CAST(?7 AS integer[]), "
		                " CAST(?8 AS integer[]), CAST(?9 AS text[])) AS u(r, c, p, t) ORDER BY t, r) "
		                "INSERT INTO search_rows (case_id, row) SELECT r & 4294967295, r "
		                "FROM unnest(CAST(?1 AS bigint[])) AS u(r) ON CONFLICT (case_id) DO UPDATE SET row = EXCLUDED.row",
		                arr, 9, err);
		for (int i = 0; i < 9; i++)
			buf_free(&arr[i]);
		for (int i = 0; i < 4; i++)
			buf_init(&b.arr[i]); /* lent to arr[5..8] and freed there */
		*done = rc == XF_OK;
	}
	for (int i = 0; i < 4; i++)
		buf_free(&b.arr[i]);
	return rc;
}

/* Deletes index rows and their tokens. */
int search_pg_delete(struct xf_db *db, const int64_t *rows, size_t n, struct xf_err *err)
{
	struct xf_buf arr;
	array_open(&arr);
	for (size_t k = 0; k < n; k++)
		array_int(&arr, rows[k]);
	array_close(&arr);
	int rc = run_arrays(db, delete_rows_sql, &arr, 1, err);
	buf_free(&arr);
	return rc;
}

/* One phrase of a match: its column (-1: any) and its query tokens. */
struct phrase {
	int col;
	char **tok;
	size_t n;
};

/* Collects a phrase's query tokens. */
static int add_query_token(void *ctx, bool colocated, const char *token, size_t len, size_t start, size_t end)
{
	(void)colocated, (void)start, (void)end;
	struct phrase *ph = ctx;
	ph->tok = xrealloc(ph->tok, (ph->n + 1) * sizeof *ph->tok);
	ph->tok[ph->n++] = xstrndup(token, utf8_whole(token, len));
	return 0;
}

/* Frees parsed phrases. */
static void phrases_free(struct phrase *ph, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < ph[i].n; k++)
			free(ph[i].tok[k]);
		free(ph[i].tok);
	}
	free(ph);
}

/* Skips the spaces FTS5 skips between the parts of an expression. */
static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Refuses a match outside the subset, naming where it stops being understood. */
static int refuse(const char *match, const char *at, struct xf_err *err)
{
	return xf_err_set(err, XF_EINVAL,
	                  "检索式在第 %zu 个字节处（“%.40s”）超出了 PostgreSQL 上能照样执行的写法：只支持带引号的词、"
	                  "列名加冒号（texts、people、numbers、facets）和 AND，请按查找界面生成的检索式检索",
	                  (size_t)(at - match) + 1, at);
}

/* Reads one phrase at *pp (an optional column and a colon, then a quoted phrase). */
static int parse_phrase(const char *match, const char **pp, struct phrase *ph, struct xf_err *err)
{
	const char *p = *pp;
	ph->col = -1;
	if (*p != '"') {
		const char *name = p;
		while (*p >= 'a' && *p <= 'z')
			p++;
		size_t len = (size_t)(p - name);
		for (int c = 0; c < NCOLUMNS; c++)
			if (len == strlen(columns[c]) && strncmp(name, columns[c], len) == 0)
				ph->col = c;
		p = skip_space(p);
		if (ph->col < 0 || *p != ':')
			return refuse(match, name, err);
		p = skip_space(p + 1);
		if (*p != '"')
			return refuse(match, p, err);
	}
	struct xf_buf text;
	buf_init(&text);
	buf_puts(&text, "");
	for (p++;; p++) {
		if (*p == '\0') {
			buf_free(&text);
			return refuse(match, *pp, err);
		}
		if (*p == '"' && p[1] != '"')
			break;
		if (*p == '"')
			p++;
		buf_add(&text, p, 1);
	}
	search_tokenize(text.data, text.len, XF_TOK_QUERY, add_query_token, ph);
	buf_free(&text);
	*pp = p + 1;
	return XF_OK;
}

/* Reads a whole match: phrases joined by AND. */
static int parse_match(const char *match, struct phrase **out, size_t *n, struct xf_err *err)
{
	*out = NULL;
	*n = 0;
	const char *p = skip_space(match ? match : "");
	if (*p == '\0')
		return refuse(match ? match : "", p, err);
	for (;;) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		memset(&(*out)[*n], 0, sizeof **out);
		int rc = parse_phrase(match, &p, &(*out)[*n], err);
		(*n)++;
		if (rc != XF_OK)
			return rc;
		p = skip_space(p);
		if (*p == '\0')
			return XF_OK;
		if (strncmp(p, "AND", 3) != 0 || (p[3] != ' ' && p[3] != '\t' && p[3] != '\n' && p[3] != '\r'))
			return refuse(match, p, err);
		p = skip_space(p + 3);
	}
}

/* A token of the match that may lead the walk: where it is (phrase, place in it). */
struct lead {
	size_t q, k;
};

/* True for a filter's token: one on every case, never worth leading. */
static bool facet_token(const char *tok)
{
	return strncmp(tok, FACET_MARK_UTF8, 3) == 0;
}

/* Chooses the token whose rows the walk reads: the least common by the server's statistics
 * (the most common tokens and their share, once the table is analysed), then the one found in
 * fewest rows (counted up to a thousand each through the index), then the longest, as longer
 * tokens are the rarer; the filters' tokens only when nothing else is there. One statement. */
static int choose_lead(struct xf_db *db, const struct phrase *ph, size_t n, struct lead *lead, struct xf_err *err)
{
	struct lead *cand = NULL;
	size_t nc = 0;
	for (int facets = 0; facets < 2 && nc == 0; facets++)
		for (size_t q = 0; q < n; q++)
			for (size_t k = 0; k < ph[q].n; k++)
				if (facet_token(ph[q].tok[k]) == (facets == 1)) {
					cand = xrealloc(cand, (nc + 1) * sizeof *cand);
					cand[nc++] = (struct lead){q, k};
				}
	/* longest first (a stable insertion sort: ties keep the typed order) */
	for (size_t i = 1; i < nc; i++)
		for (size_t j = i;
		     j > 0 && strlen(ph[cand[j].q].tok[cand[j].k]) > strlen(ph[cand[j - 1].q].tok[cand[j - 1].k]);
		     j--) {
			struct lead t = cand[j];
			cand[j] = cand[j - 1];
			cand[j - 1] = t;
		}
	*lead = cand[0];
	int rc = XF_OK;
	if (nc > 1) {
		struct xf_buf arr;
		array_open(&arr);
		for (size_t i = 0; i < nc; i++)
			array_text(&arr, ph[cand[i].q].tok[cand[i].k], strlen(ph[cand[i].q].tok[cand[i].k]));
		array_close(&arr);
		struct xf_db_stmt *st;
		rc = xf_db_prepare(
		    db,
		    "SELECT q.i FROM unnest(CAST(?1 AS text[])) WITH ORDINALITY AS q(t, i) ORDER BY "
		    "coalesce((SELECT m.f FROM pg_stats s, unnest(CAST(CAST(s.most_common_vals AS text) AS text[]), "
		    "s.most_common_freqs) AS m(v, f) WHERE s.schemaname = current_schema() "
		    "AND s.tablename = 'search_tokens' AND s.attname = 'token' AND m.v = q.t), 0), "
		    "(SELECT count(*) FROM (SELECT 1 FROM search_tokens s WHERE s.token = q.t LIMIT 1000) c), q.i "
		    "LIMIT 1",
		    &st, err);
		if (rc == XF_OK) {
			xf_db_bind_text(st, 1, arr.data, (int)arr.len);
			enum xf_db_step step = xf_db_step(st);
			int64_t i = step == XF_DB_ROW ? xf_db_column_int64(st, 0) : 0;
			xf_db_finalize(st);
			if (step != XF_DB_ROW)
				rc = xf_db_fail(db, err, "全文检索");
			else if (i >= 1 && (size_t)i <= nc)
				*lead = cand[i - 1];
		}
		buf_free(&arr);
	}
	free(cand);
	return rc;
}

/* Adds a token's parameter to the match, returning its placeholder's number. */
static int add_param(struct search_pg_match *m, const char *tok)
{
	m->params = xrealloc(m->params, (size_t)(m->nparams + 1) * sizeof *m->params);
	m->params[m->nparams++] = xstrdup(tok);
	return m->first + 1 + m->nparams;
}

/* The condition that phrase q (not the leading one) is in row d.row: its first token with the
 * others at the positions that follow, in one column. OFFSET 0 keeps it a test of the row in
 * hand (an index probe), never a join that reads every row of a common token. */
static void other_phrase(struct xf_buf *sql, const struct phrase *ph, size_t q, const int *param)
{
	buf_printf(sql, " AND EXISTS (SELECT 1 FROM search_tokens e%zu_0", q);
	for (size_t k = 1; k < ph->n; k++)
		buf_printf(sql,
		           " JOIN search_tokens e%zu_%zu ON e%zu_%zu.row = e%zu_0.row AND e%zu_%zu.col = e%zu_0.col "
		           "AND e%zu_%zu.pos = e%zu_0.pos + %zu AND e%zu_%zu.token = ?%d",
		           q, k, q, k, q, q, k, q, q, k, q, k, q, k, param[k]);
	buf_printf(sql, " WHERE e%zu_0.token = ?%d AND e%zu_0.row = d.row", q, param[0], q);
	if (ph->col >= 0)
		buf_printf(sql, " AND e%zu_0.col = %d", q, ph->col);
	buf_puts(sql, " OFFSET 0)");
}

/* One step of the walk: the newest row below `bound` (op "<"; or at it, "=") and not below
 * `floor` holding the leading token where every phrase is found. */
static void walk_step(struct xf_buf *sql, const struct phrase *ph, size_t n, struct lead lead, int *const *param,
                      const char *op, const char *bound, const char *floor)
{
	const struct phrase *lp = &ph[lead.q];
	buf_printf(sql, "SELECT d.row FROM search_tokens d WHERE d.token = ?%d AND d.row %s %s AND d.row >= %s",
	           param[lead.q][lead.k], op, bound, floor);
	if (lp->col >= 0)
		buf_printf(sql, " AND d.col = %d", lp->col);
	/* The leading phrase's other tokens, at their places before and after the leading one. */
	for (size_t k = 0; k < lp->n; k++)
		if (k != lead.k)
			buf_printf(
			    sql,
			    " AND EXISTS (SELECT 1 FROM search_tokens x%zu WHERE x%zu.token = ?%d AND x%zu.row = d.row "
			    "AND x%zu.col = d.col AND x%zu.pos = d.pos + (%d) OFFSET 0)",
			    k, k, param[lead.q][k], k, k, k, (int)k - (int)lead.k);
	for (size_t q = 0; q < n; q++)
		if (q != lead.q)
			other_phrase(sql, &ph[q], q, param[q]);
	buf_puts(sql, " ORDER BY d.row DESC LIMIT 1");
}

/* Filter tokens shorter than this are their line of search.facets exactly (the tokenizer cuts a
 * line at FACET_MAX, 256 bytes, to whole characters): only those are looked up as a set. */
enum { FACET_SET_MAX = 252 };

/* Rows counted at most, of the filters' set and of the leading token, to choose between them. */
#define FACET_SET_CAP 5000
#define STR_(x) #x
#define STR(x) STR_(x)

/* True for a phrase that is one filter's token in the facets column, short enough to be found
 * as a line of search.facets (pg/025's set). */
static bool facet_set_phrase(const struct phrase *ph)
{
	return ph->col == 3 && ph->n == 1 && facet_token(ph->tok[0]) && strlen(ph->tok[0]) < FACET_SET_MAX;
}

/* Whether the rows holding every filter of the match (pg/025's set) are fewer than those of
 * the leading token (its rows counted through the index up to FACET_SET_CAP): then they are read
 * first and each asked for the words, where the walk down a common word would test the filters
 * on hundreds of rows for each one kept. The filters' rows are estimated from the server's
 * statistics of the set (each filter's share of the rows, multiplied) and counted through the
 * set only when that says they are fewer, or when the store is not analysed yet: a common
 * filter's rows (a handler's department) are never all read to be counted. *filters gets the
 * filters' tokens as an array literal. One statement. */
static int facets_lead(struct xf_db *db, const struct phrase *ph, size_t n, struct lead lead, bool *use,
                       struct xf_buf *filters, struct xf_err *err)
{
	*use = false;
	array_open(filters);
	size_t nf = 0;
	for (size_t q = 0; q < n; q++)
		if (facet_set_phrase(&ph[q])) {
			array_text(filters, ph[q].tok[0], strlen(ph[q].tok[0]));
			nf++;
		}
	array_close(filters);
	if (nf == 0 || facet_token(ph[lead.q].tok[lead.k]))
		return XF_OK;
	struct xf_db_stmt *st;
	int rc = xf_db_prepare(
	    db,
	    "WITH w AS (SELECT count(*) AS n FROM (SELECT 1 FROM search_tokens t WHERE t.token = ?2 LIMIT "
	    STR(FACET_SET_CAP) ") w), "
	    "e AS (SELECT max(c.reltuples) * exp(sum(ln(greatest(m.f, 1e-9)))) AS n FROM pg_class c, pg_stats s, "
	    "unnest(CAST(CAST(s.most_common_elems AS text) AS text[]), s.most_common_elem_freqs) AS m(v, f) "
	    "WHERE c.oid = to_regclass('search') AND s.schemaname = current_schema() AND s.tablename = 'search_facet_sets' "
	    "AND m.v = ANY (CAST(?1 AS text[])) "
	    "HAVING count(*) = (SELECT count(DISTINCT x) FROM unnest(CAST(?1 AS text[])) AS x)) "
	    "SELECT CAST(CASE WHEN coalesce((SELECT n FROM e), 0) >= (SELECT n FROM w) THEN false "
	    "ELSE (SELECT count(*) FROM (SELECT 1 FROM search s WHERE string_to_array(s.facets, E'\\n') @> "
	    "CAST(?1 AS text[]) LIMIT " STR(FACET_SET_CAP) ") f) < (SELECT n FROM w) END AS integer)",
	    &st, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_text(st, 1, filters->data, (int)filters->len);
	xf_db_bind_text(st, 2, ph[lead.q].tok[lead.k], -1);
	enum xf_db_step step = xf_db_step(st);
	if (step == XF_DB_ROW)
		*use = xf_db_column_int64(st, 0) != 0;
	xf_db_finalize(st);
	return step == XF_DB_ROW ? XF_OK : xf_db_fail(db, err, "全文检索");
}

/* The rows below `bound` and not below `floor` that hold every filter of the match (pg/025's
 * set), newest first, then those of them where every other phrase is found: the candidates are
 * read and sorted first (few, as facets_lead found), each then asked by index probes, as many
 * as the caller's LIMIT takes. The bounds and the order are on rowid + 0: the generic plan of
 * the prepared statement otherwise read the primary key backwards, testing the set on every
 * row (36 ms at 10^4, where the set's index takes under 1). */
static void facets_first(struct xf_buf *sql, const struct phrase *ph, size_t n, int *const *param, int filters,
                         const char *bound, const char *floor)
{
	buf_printf(sql,
	           "WITH f AS MATERIALIZED (SELECT s.rowid AS row FROM search s WHERE string_to_array(s.facets, E'\\n') @> "
	           "CAST(?%d AS text[]) AND s.rowid + 0 < %s AND s.rowid + 0 >= %s ORDER BY s.rowid + 0 DESC) "
	           "SELECT d.row FROM f d WHERE true",
	           filters, bound, floor);
	for (size_t q = 0; q < n; q++)
		if (!facet_set_phrase(&ph[q]))
			other_phrase(sql, &ph[q], q, param[q]);
}

/* Translates a match into one statement over search_tokens: a walk down the leading token's
 * rows in the index, newest first, one matching row per step (so a page of 20 reads about 20
 * rows of a common word, and a phrase of common words is led by its rarest token), whatever
 * plan the server keeps for the prepared statement. */
static int compile_match(struct xf_db *db, const char *match, int first, bool exact, struct search_pg_match *m,
                         struct xf_err *err)
{
	memset(m, 0, sizeof *m);
	m->first = first;
	struct phrase *ph;
	size_t n;
	int rc = parse_match(match, &ph, &n, err);
	for (size_t q = 0; rc == XF_OK && q < n; q++)
		m->none |= ph[q].n == 0;
	struct lead lead = {0, 0};
	if (rc == XF_OK && !m->none)
		rc = choose_lead(db, ph, n, &lead, err);
	bool by_facets = false;
	struct xf_buf filters = {0}; /* facets_lead opens it */
	if (rc == XF_OK && !m->none && !exact)
		rc = facets_lead(db, ph, n, lead, &by_facets, &filters, err);
	if (rc != XF_OK) {
		buf_free(&filters);
		phrases_free(ph, n);
		return rc;
	}
	struct xf_buf sql;
	buf_init(&sql);
	if (m->none) {
		/* FTS5 finds nothing for a phrase without tokens: the same statement shape, no row. */
		buf_printf(&sql,
		           "SELECT d.row FROM search_tokens d WHERE false AND d.row < CAST(?%d AS bigint) "
		           "AND d.row >= CAST(?%d AS bigint)",
		           first, first + 1);
		m->sql = sql.data;
		buf_free(&filters);
		phrases_free(ph, n);
		return XF_OK;
	}
	int **param = xcalloc(n, sizeof *param);
	for (size_t q = 0; q < n; q++) {
		param[q] = xcalloc(ph[q].n, sizeof **param);
		/* the filters read as a set are one parameter, below: theirs would go unused */
		for (size_t k = 0; k < ph[q].n && !(by_facets && facet_set_phrase(&ph[q])); k++)
			param[q][k] = add_param(m, ph[q].tok[k]);
	}
	char *bound = xasprintf("CAST(?%d AS bigint)", first), *floor = xasprintf("CAST(?%d AS bigint)", first + 1);
	if (by_facets) {
		/* the filters' rows first, few, each asked for the words */
		facets_first(&sql, ph, n, param, add_param(m, filters.data), bound, floor);
	} else if (exact) {
		/* one row asked alone: the first step, at that row */
		walk_step(&sql, ph, n, lead, param, "=", bound, floor);
	} else {
		/* the floor ends the walk where the rows go below it, however few were found */
		buf_puts(&sql, "WITH RECURSIVE walk(row) AS ((");
		walk_step(&sql, ph, n, lead, param, "<", bound, floor);
		buf_puts(&sql, ") UNION ALL SELECT (");
		walk_step(&sql, ph, n, lead, param, "<", "walk.row", floor);
		buf_puts(
		    &sql,
		    ") FROM walk WHERE walk.row IS NOT NULL) SELECT walk.row FROM walk WHERE walk.row IS NOT NULL");
	}
	free(bound);
	free(floor);
	for (size_t q = 0; q < n; q++)
		free(param[q]);
	free(param);
	buf_free(&filters);
	m->sql = sql.data;
	phrases_free(ph, n);
	return XF_OK;
}

/* Translates a match for the rows below a bound. */
int search_pg_match_compile(struct xf_db *db, const char *match, int first, struct search_pg_match *m,
                            struct xf_err *err)
{
	return compile_match(db, match, first, false, m, err);
}

/* Binds the bounds and the tokens of a match. */
int search_pg_match_bind(struct xf_db_stmt *st, const struct search_pg_match *m, int64_t before_row, int64_t from_row)
{
	int rc = xf_db_bind_int64(st, m->first, before_row > 0 ? before_row : INT64_MAX);
	if (rc == XF_OK)
		rc = xf_db_bind_int64(st, m->first + 1, from_row);
	for (int i = 0; i < m->nparams && rc == XF_OK; i++)
		rc = xf_db_bind_text(st, m->first + 2 + i, m->params[i], -1);
	return rc;
}

/* Frees what the translation made. */
void search_pg_match_free(struct search_pg_match *m)
{
	for (int i = 0; i < m->nparams; i++)
		free(m->params[i]);
	free(m->params);
	free(m->sql);
	memset(m, 0, sizeof *m);
}

/* Prepares the match wrapped in head and tail, whose own parameters are ?1 to ?own (the
 * match's are numbered after them), and binds the match's. */
static int prepare_match(struct xf_db *db, const char *match, bool exact, int64_t before_row, const char *head,
                         const char *tail, int own, struct xf_db_stmt **st, struct xf_err *err)
{
	struct search_pg_match m;
	int rc = compile_match(db, match, own + 1, exact, &m, err);
	if (rc != XF_OK)
		return rc;
	char *sql = xasprintf("%s%s%s", head, m.sql, tail);
	rc = xf_db_prepare(db, sql, st, err);
	if (rc == XF_OK)
		search_pg_match_bind(*st, &m, before_row, 0);
	free(sql);
	search_pg_match_free(&m);
	return rc;
}

/* Reads a statement's first column, integers, to its end (the statement is finalized); its
 * failure said as what. */
int search_pg_collect(struct xf_db *db, struct xf_db_stmt *st, int64_t **v, size_t *n, const char *what,
                      struct xf_err *err)
{
	size_t cap = 0;
	*v = NULL;
	*n = 0;
	enum xf_db_step step;
	while ((step = xf_db_step(st)) == XF_DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*v = xrealloc(*v, cap * sizeof **v);
		}
		(*v)[(*n)++] = xf_db_column_int64(st, 0);
	}
	xf_db_finalize(st);
	if (step == XF_DB_DONE)
		return XF_OK;
	free(*v);
	*v = NULL;
	*n = 0;
	return xf_db_fail(db, err, what);
}

/* The rowids a match finds, newest first. */
int search_pg_rows(struct xf_db *db, const char *match, int64_t before_row, long limit, long offset, int64_t **rows,
                   size_t *n, struct xf_err *err)
{
	*rows = NULL;
	*n = 0;
	struct xf_db_stmt *st;
	int rc = prepare_match(db, match, false, before_row, "", " LIMIT ?1 OFFSET ?2", 2, &st, err);
	if (rc != XF_OK)
		return rc;
	if (limit >= 0)
		xf_db_bind_int64(st, 1, limit);
	else
		xf_db_bind_null(st, 1);
	xf_db_bind_int64(st, 2, offset > 0 ? offset : 0);
	return search_pg_collect(db, st, rows, n, "全文检索", err);
}

/* Runs a statement of one integer result. */
static int one_integer(struct xf_db *db, struct xf_db_stmt *st, int64_t *v, const char *what, struct xf_err *err)
{
	enum xf_db_step step = xf_db_step(st);
	*v = step == XF_DB_ROW ? xf_db_column_int64(st, 0) : 0;
	xf_db_finalize(st);
	return step == XF_DB_ROW ? XF_OK : xf_db_fail(db, err, what);
}

/* How many rows a match finds, counting stopping at cap. */
int search_pg_count(struct xf_db *db, const char *match, int64_t before_row, long cap, long *count, struct xf_err *err)
{
	*count = 0;
	struct xf_db_stmt *st;
	int rc = prepare_match(db, match, false, before_row, "SELECT count(*) FROM (", " LIMIT ?1) m", 1, &st, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(st, 1, cap);
	int64_t v;
	rc = one_integer(db, st, &v, "全文检索计数", err);
	*count = (long)v;
	return rc;
}

/* Whether one index row is found by a match. */
int search_pg_row_matches(struct xf_db *db, int64_t row, const char *match, bool *matched, struct xf_err *err)
{
	*matched = false;
	struct xf_db_stmt *st;
	int rc = prepare_match(db, match, true, row, "SELECT count(*) FROM (", ") m", 0, &st, err);
	if (rc != XF_OK)
		return rc;
	int64_t v;
	rc = one_integer(db, st, &v, "全文检索", err);
	*matched = v > 0;
	return rc;
}

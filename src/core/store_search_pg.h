/* The text index on PostgreSQL, private to the store: the token table of data/schema/pg/008 and
 * 011 (search, search_tokens) written with the program's own tokenizer, and the FTS5 MATCH text
 * that search.c builds answered by one statement over the tokens. Everything goes through the
 * storage seam (store_db.h). The index's rows are what FTS5's `search` holds: rowid (the receipt
 * day in the high bits, the case id in the low 32) and the columns texts, people, numbers and
 * facets, which search_tokens numbers 0 to 3. */
#ifndef XINFANG_STORE_SEARCH_PG_H
#define XINFANG_STORE_SEARCH_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store_db.h"

/* One row of the index: its rowid and its columns' texts (NULL: an empty column). */
struct search_pg_doc {
	int64_t row;
	const char *texts, *people, *numbers, *facets;
};

/* Writes index rows and their tokens, replacing any row of the same rowid: a few statements
 * for a whole batch (arrays unnested on the server), inside the caller's transaction if one is
 * open, else in a write transaction of its own. */
int search_pg_put(struct xf_db *db, const struct search_pg_doc *docs, size_t n, struct xf_err *err);
/* Writes index rows known to be absent (their cases' old rows deleted), their tokens and their
 * cases' search_rows by one statement, in the caller's transaction; *done false, nothing
 * written, when there are more than one statement takes (then search_pg_put). */
int search_pg_put_absent(struct xf_db *db, const struct search_pg_doc *docs, size_t n, bool *done,
                         struct xf_err *err);
/* Writes index rows known to be absent and their tokens, the tokens sorted as the token index
 * orders them before they go (a few statements per 20,000), in the caller's transaction; the
 * caller points search_rows at the rows. For many rows at once (a push). */
int search_pg_put_sorted(struct xf_db *db, const struct search_pg_doc *docs, size_t n, struct xf_err *err);
/* Deletes index rows (their tokens go with them). */
int search_pg_delete(struct xf_db *db, const int64_t *rows, size_t n, struct xf_err *err);

/* A MATCH expression made SQL: a statement whose one column `row` is the rows it finds, newest
 * first (in the order they come: a recursive walk down the index, so no ORDER BY is needed or
 * wanted outside it), below a rowid bound and not below a floor (where the walk stops), with no
 * LIMIT; its placeholders start at ?first (?first is the bound, ?first+1 the floor, then the
 * tokens). `none` is set when a phrase has no token at all:
 * FTS5 finds nothing then, and so does the statement. */
struct search_pg_match {
	char *sql;
	char **params;
	int nparams; /* the tokens bound after the bound and the floor */
	int first;
	bool none;
};

/* Translates the subset of FTS5's query syntax that search.c writes: quoted phrases ("" inside
 * for a quote), each optionally behind a column name and a colon (texts, people, numbers,
 * facets), joined by AND. Anything else (OR, NOT, NEAR, *, ^, a bare word, another column) is
 * refused with XF_EINVAL: never a different answer than FTS5's. The token that leads is chosen
 * by asking the index how common each is (one statement on db). */
int search_pg_match_compile(struct xf_db *db, const char *match, int first, struct search_pg_match *m,
                            struct xf_err *err);
/* Binds the match's bound (rows below before_row; 0: no bound), its floor (rows from from_row
 * on; 0: any) and its tokens to a statement holding its SQL. */
int search_pg_match_bind(struct xf_db_stmt *st, const struct search_pg_match *m, int64_t before_row,
                         int64_t from_row);
/* Frees what the translation made. */
void search_pg_match_free(struct search_pg_match *m);

/* Reads a statement's first column, integers, to its end into *v (a new array) and *n; the
 * statement is finalized, its failure said as what. */
int search_pg_collect(struct xf_db *db, struct xf_db_stmt *st, int64_t **v, size_t *n, const char *what,
                      struct xf_err *err);
/* The rowids the match finds, newest first, below before_row (0: no bound), from offset on, at
 * most limit of them, into *rows (a new array) and *n. */
int search_pg_rows(struct xf_db *db, const char *match, int64_t before_row, long limit, long offset, int64_t **rows,
                   size_t *n, struct xf_err *err);
/* How many rows the match finds below before_row (0: no bound), counting stopping at cap. */
int search_pg_count(struct xf_db *db, const char *match, int64_t before_row, long cap, long *count, struct xf_err *err);
/* Whether one index row is found by the match (FTS5's `rowid = ? AND search MATCH ?`). */
int search_pg_row_matches(struct xf_db *db, int64_t row, const char *match, bool *matched, struct xf_err *err);

#endif

/* The store: the one module that talks to SQLite (schema, migrations, transactions, queries). */
#ifndef XINFANG_STORE_H
#define XINFANG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xinfang/limits.h"
#include "xinfang/util.h"

struct xf_store;

/* One schema migration: data/schema/NNN_name.sql compiled in. */
struct xf_migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct xf_migration xf_migrations[];
extern const size_t xf_migration_count;
/* The same versions for PostgreSQL (data/schema/pg/NNN_name.sql), and data/schema/pg/roles.sql:
 * the desk's privileges, given after the migrations. */
extern const struct xf_migration xf_pg_migrations[];
extern const size_t xf_pg_migration_count;
extern const char xf_pg_roles_sql[];

/* The branches a query covers (branch.h decides an account's): one branch (path NULL), or
 * every branch whose path starts with path (branch ignored). A NULL reach covers the store. */
struct xf_reach {
	int64_t branch;
	const char *path;
};
/* The SQL condition "column's branch is in reach" binding its value at parameter number p
 * (for a reach of the whole store, NULL or every branch under the top "/1/", a test of the
 * parameter bound NULL, always true),
 * and its binding. The text is one of three shapes, so
 * statements built on it stay few. */
char *store_reach_sql(const struct xf_reach *reach, const char *column, int p);
struct xf_db_stmt;
void store_reach_bind(struct xf_db_stmt *stmt, const struct xf_reach *reach, int p);

/* Rows read back as key=value text fields. */
struct xf_rows {
	struct xf_fields *v;
	size_t n;
};
void rows_free(struct xf_rows *rows);

/* Catches SIGXFSZ for the process: a write past the file-size limit (ulimit -f) then fails
 * with a message naming a full disk or a file too large, instead of killing the program,
 * possibly after a commit whose number was never shown. Call once at start. */
void store_catch_file_limit(void);

/* Opens (creating when absent) the SQLite file at path in WAL mode with foreign keys and a busy
 * timeout ($XINFANG_BUSY_MS, default 5000). A missing file is created with the office's mode
 * (fileperm.h), so its -wal and -shm follow it. Does not migrate. */
int store_open(const char *path, struct xf_store **out, struct xf_err *err);
void store_close(struct xf_store *st);
/* Path the store was opened with. */
const char *store_path(const struct xf_store *st);
/* True when a locator (--db, XINFANG_DB, the configuration's db) names a PostgreSQL database
 * (a postgresql:// URI or a libpq service) rather than an SQLite file: no file to check,
 * create, move or keep an anchor beside. */
bool store_locator_is_server(const char *locator);
/* The login the store's connection came as (a server's session_user; "" for an SQLite file,
 * which has no logins), into out. */
int store_login_name(struct xf_store *st, char *out, size_t size, struct xf_err *err);
/* The part of a server's locator that names its database (hosts, ports, its name, a service),
 * without the user and the session's options: the owner's locator and a desk's agree. */
char *store_locator_database(const char *locator);
/* A file name standing for a server's database (its anchor's), from the part of its locator
 * that names the database: readable, the same for every account's locator of one database,
 * different for different databases. A new string. */
char *store_locator_file_name(const char *locator);
/* The file name a locator stood for before (the whole locator, user and options too): where
 * anchors written by earlier versions are. A new string. */
char *store_locator_file_name_whole(const char *locator);
/* The locator as it may be printed or kept: any password replaced by ***. A new string. */
char *store_locator_safe(const char *locator);
/* Schema version (PRAGMA user_version); 0 for a new file. */
int store_version(struct xf_store *st, int *version, struct xf_err *err);
/* Applies the migrations newer than the file's version, each in its own transaction; stops
 * at `upto` (0 = all). */
int store_migrate(struct xf_store *st, int upto, struct xf_err *err);
/* Newest schema version this program knows. */
int store_latest_version(void);

/* Starts a write transaction (BEGIN IMMEDIATE: desks queue here, no lost updates). */
int store_begin(struct xf_store *st, struct xf_err *err);
/* Begins a case's move: on PostgreSQL it overlaps other moves (the writers' lock shared). */
int store_begin_move(struct xf_store *st, struct xf_err *err);
/* Begins a login's count for one account name: on PostgreSQL beside moves and other names'
 * logins, the name's own lock held to the commit. */
int store_begin_login(struct xf_store *st, const char *name, struct xf_err *err);
int store_commit(struct xf_store *st, struct xf_err *err);
void store_rollback(struct xf_store *st);
/* A number that changes when another connection commits (SQLite: PRAGMA data_version;
 * PostgreSQL: the commits' notifications, and a reconnect, after which any may have gone
 * unheard). Fails (XF_EIO, saying so) only while the connection to the database server is lost;
 * the store reconnects by itself over the next calls. */
int store_data_version(struct xf_store *st, int64_t *version, struct xf_err *err);
/* A descriptor that becomes readable when another connection may have committed (PostgreSQL's
 * socket: wait on it beside the terminal), or -1 when the number above must be polled. */
int store_notify_fd(struct xf_store *st);

/* Inserts a row into a known table; column names are checked against the table. */
int store_insert(struct xf_store *st, const char *table, const struct xf_fields *cols, int64_t *rowid,
                 struct xf_err *err);
/* Updates columns of row id; with expect_version > 0 (cases only) the row's version must
 * match and is incremented, else XF_ECONFLICT. */
int store_update(struct xf_store *st, const char *table, int64_t id, const struct xf_fields *cols,
                 int64_t expect_version, struct xf_err *err);
/* Updates columns of the reference list row (departments, channels, categories) named `name`. */
int store_update_named(struct xf_store *st, const char *table, const char *name, const struct xf_fields *cols,
                       struct xf_err *err);
/* Reads row id of a table as fields; XF_ENOTFOUND when absent. */
int store_get(struct xf_store *st, const char *table, int64_t id, struct xf_fields *out, struct xf_err *err);
/* Rows of a table where column = value (column NULL: all rows), in insertion order. */
int store_list(struct xf_store *st, const char *table, const char *column, const char *value,
               struct xf_rows *out, struct xf_err *err);

/* A setting's value (NULL into *out when unset). */
int store_setting_get(struct xf_store *st, const char *key, char **out, struct xf_err *err);
int store_setting_set(struct xf_store *st, const char *key, const char *value, struct xf_err *err);

/* Takes the next number of a branch's sequence for a year (inside the caller's transaction). */
int store_next_seq(struct xf_store *st, int64_t branch, int year, int *seq, struct xf_err *err);
/* Finds the id of a branch's case by year and sequence. */
int store_case_id(struct xf_store *st, int64_t branch, int year, int seq, int64_t *id, struct xf_err *err);

/* How many rows of the status bar's kept counts differ from a recount of the cases (0: all
 * agree) into *differing. */
int store_pending_counts_check(struct xf_store *st, long *differing, struct xf_err *err);
/* Counts the cases in reach whose `kind` limit is still pending with a due date in [from, to]
 * (either may be NULL for an open end), of one department (NULL: all). */
int store_count_pending(struct xf_store *st, const struct xf_reach *reach, enum xf_limit_kind kind, const char *from,
                        const char *to, const char *department, long *count, struct xf_err *err);
/* Lists the cases in reach whose `kind` limit is pending with due date <= to, of one department
 * (NULL: all), earliest first: fields id number state due name department category received. */
int store_pending_list(struct xf_store *st, const struct xf_reach *reach, enum xf_limit_kind kind, const char *to,
                       const char *department, struct xf_rows *out, struct xf_err *err);
/* The head office's limits list: the cases in reach whose limit of any kind is pending with a
 * due date on or before to[kind], by due date (then transfer, handle, reply; then branch and id), rows
 * offset to offset + limit - 1: fields id number state due kind department branch_code
 * branch_name name (src/core/store_due_across.c). */
int store_due_across(struct xf_store *st, const struct xf_reach *reach, const char *const to[XF_LIMIT_COUNT],
                     long offset, long limit, struct xf_rows *out, struct xf_err *err);
/* Cases in reach whose petitioners have column (id_number, phone or name) = value: fields id
 * number state received name. */
int store_petitioner_cases(struct xf_store *st, const struct xf_reach *reach, const char *column, const char *value,
                           struct xf_rows *out, struct xf_err *err);
/* The order of a list of cases. */
enum xf_list_order {
	XF_LIST_NEWEST,    /* latest receipt first */
	XF_LIST_DUE_HANDLE /* nearest (or longest past) handle limit first: a department's to-do */
};

/* Brief rows of the cases in reach (id number state closure received channel name category
 * department summary due_transfer due_handle due_reply created_by) filtered by state, department
 * and the operator who registered them (each NULL = any), in the order asked, at most limit
 * rows. */
int store_case_briefs(struct xf_store *st, const struct xf_reach *reach, const char *state, const char *department, const char *created_by,
                      enum xf_list_order order,
                      int limit, struct xf_rows *out, struct xf_err *err);

/* Replaces one year of the holiday calendar. */
int store_calendar_replace(struct xf_store *st, int year, const char *source,
                           const struct xf_calday *days, size_t n, struct xf_err *err);
/* Loads the whole holiday calendar. */
int store_calendar_load(struct xf_store *st, struct xf_calendar *cal, struct xf_err *err);
/* Replaces the limit rules and rule sets; loads them back. */
int store_rules_replace(struct xf_store *st, const struct xf_rules *rules, struct xf_err *err);
int store_rules_load(struct xf_store *st, struct xf_rules *rules, struct xf_err *err);

/* Keeps an operator's unfinished form (fields as a JSON object), replacing the earlier one. */
int store_draft_put(struct xf_store *st, const char *op, const char *form, const char *json, const char *at,
                    struct xf_err *err);
/* Reads a draft's fields; *found false when there is none. */
int store_draft_get(struct xf_store *st, const char *op, const char *form, struct xf_fields *out, char at[20],
                    bool *found, struct xf_err *err);
/* Drops a draft (the form was saved or abandoned). */
int store_draft_drop(struct xf_store *st, const char *op, const char *form, struct xf_err *err);
/* The queue: cases waiting for the head, most urgent transfer limit first, with fields id number
 * received received_time channel name category summary due_transfer returned (the reason of
 * the latest return by a department, if any); then cases with an extension request waiting
 * (same fields, plus extension = the requested date, ext_reason, ext_old_due, ext_limit
 * (handle/reply), ext_at and ext_by: when and by whom it was asked); cases in reach only. */
int store_queue(struct xf_store *st, const struct xf_reach *reach, int limit, struct xf_rows *out, struct xf_err *err);

/* Appends an audit event (inside the caller's transaction). */
int store_audit(struct xf_store *st, const char *op, const char *action, int64_t case_id,
                const char *before_json, const char *after_json, struct xf_err *err);

/* A text search as the store runs it (search.c builds it): full-text expressions over every
 * column and over the case texts alone, filters (NULL = any), and a handler's department
 * (non-NULL: only that department's cases). */
struct xf_search_sql {
	const char *match;      /* NULL: no words, filters only */
	const char *match_text; /* the words in the texts column alone (store_search_texts_match) */
	const char *since, *until, *state, *department, *category, *channel, *importance;
	const char *handler_dept;
	const char *numbers; /* a JSON array of case numbers as stored (2026年第0201号): only those
	                      * cases (the words, when given, must match them too); NULL: any */
	int64_t exclude_id;  /* a case left out (one already shown first), 0: none */
	int64_t before_row;  /* with words and no numbers: only index rows below this one (the
	                      * search_row of the last row read: the next batch), 0: any */
	int limit, offset;
	bool lean; /* rows with only what the mask's rule reads: id confidential subject accused
	            * summary search_row (a handler's count: no name, no indexed texts read) */
	const struct xf_reach *reach; /* only cases of these branches; NULL: the whole store */
};
/* Cases matching, newest receipt first: fields id number received state category channel
 * department importance name, the case's confidential subject accused summary (for the
 * mask) and search_row (the index row's id; empty when the case has none). */
int store_search(struct xf_store *st, const struct xf_search_sql *q, struct xf_rows *out, struct xf_err *err);
/* Adds to a row of store_search its case's indexed text (texts, people, numbers), read from
 * the case's own tables: the index keeps no copy, and only the rows shown need them. */
int store_search_row_source(struct xf_store *st, struct xf_fields *row, struct xf_err *err);
/* The same for every row of rows[0..n) that has no texts yet, at once. */
int store_search_rows_source(struct xf_store *st, struct xf_fields *rows, size_t n, struct xf_err *err);
/* Whether match_text (the words limited to the texts column) matches one index row. */
int store_search_texts_match(struct xf_store *st, int64_t search_row, const char *match_text, bool *matched,
                             struct xf_err *err);
/* How many cases store_search would give from q's offset on, at most q's limit, reading no
 * texts. */
int store_search_count(struct xf_store *st, const struct xf_search_sql *q, long *count, struct xf_err *err);

/* One case as statistics read it (texts valid during the callback only). */
struct xf_stats_row {
	const char *received, *channel, *category, *department, *importance, *state, *reported_on;
	unsigned flags; /* XF_SF_* */
	int64_t id;
	int64_t branch;
};
enum {
	XF_SF_TRANSFERRED = 1,        /* transferred */
	XF_SF_TRANSFER_ON_TIME = 2,   /* its (latest) transfer date <= due_transfer */
	XF_SF_REPORTED = 4,           /* an outcome was reported */
	XF_SF_HANDLE_ON_TIME = 8,     /* reported_on <= due_handle (in force) */
	XF_SF_REPLIED = 16,           /* replied */
	XF_SF_REPLY_ON_TIME = 32,     /* replied_on <= due_reply (in force) */
	XF_SF_OVERDUE = 64,           /* transferred, and reported after due_handle or still not
	                                 reported with due_handle before today */
};
/* One read snapshot for all of a report's queries (when no transaction is open already): the
 * figures agree with each other, and per-case lookups do not each take the read lock. */
int store_stats_begin(struct xf_store *st, bool *own, struct xf_err *err);
void store_stats_end(struct xf_store *st, bool own);
/* Every query below counts the cases in reach only (NULL: the whole store). */
/* Hands every case received in [since, until] (ISO dates) to fn, in one pass over the
 * cases_stats index, with its flags as of today; a non-zero return from fn stops the pass and
 * is returned. */
int store_stats_scan(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                     const char *today, int (*fn)(void *ctx, const struct xf_stats_row *row), void *ctx,
                     struct xf_err *err);
/* What counting the first transfer (not the latest) of the cases returned and transferred
 * again adds to the on-time transfers of the period (read through the few returned cases):
 * fields branch fix, a row per branch. */
int store_stats_first_transfer_fix(struct xf_store *st, const struct xf_reach *reach, const char *since,
                                   const char *until, struct xf_rows *out, struct xf_err *err);
/* Those cases by their JR/T 0169 codes: fields jrt_channel jrt_type jrt_cause n. */
int store_stats_jrt(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                    struct xf_rows *out, struct xf_err *err);
/* Repeat petitions, a row per branch (fields branch repeats not_first): repeats counts the
 * cases received in the range linked (either way) to a case received earlier; not_first the
 * closed ones that were ever returned or are linked to a later case. */
int store_stats_repeats(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                        struct xf_rows *out, struct xf_err *err);
/* Counts per category in two weeks: fields category last this. */
int store_stats_weeks(struct xf_store *st, const struct xf_reach *reach, const char *prev_from, const char *prev_to,
                      const char *from, const char *to, struct xf_rows *out, struct xf_err *err);
/* The handler of each case (the latest outcome's, else the latest transfer's, else ""):
 * rows with field handler, in the order of ids. */
int store_stats_handlers(struct xf_store *st, const int64_t *ids, size_t n, struct xf_rows *out, struct xf_err *err);
/* Outcomes marked 满意 or 基本满意 (satisfied) and those with a satisfaction other than 未表态
 * (stated), fields branch satisfied stated: of the cases with ids in [lo, hi] when those are
 * exactly the period's cases in reach (whole_range: ids are never deleted, so a period holding
 * hi - lo + 1 such cases in that range holds all of them, and the outcomes are read as one
 * range; one row, branch 0), else of the cases received in [since, until] in reach, a row per
 * branch. */
int store_stats_satisfaction(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                             bool whole_range, int64_t lo, int64_t hi, struct xf_rows *out, struct xf_err *err);

#endif

/* The audit chain's record hash and the walk of the records: each record's SHA-256 over the
 * previous hash and its own content, the records read back and their hashes recomputed (verify),
 * the newest record, one record, and the kind of store (training or not) the records say. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "store_chain_int.h"

/* Appends one field of the hashed content: its length, a colon, the bytes, a semicolon. */
static void hash_field(struct xf_sha256 *ctx, const char *v)
{
	char len[24];
	size_t n = v ? strlen(v) : 0;
	int k = snprintf(len, sizeof len, "%zu:", n);
	xf_sha256_update(ctx, len, (size_t)k);
	if (n)
		xf_sha256_update(ctx, v, n);
	xf_sha256_update(ctx, ";", 1);
}

/* SHA-256 over the previous hash and the record's content, as 64 lowercase hex digits. */
void chain_record_hash(const char *prev, const struct record *r, char out[65])
{
	struct xf_sha256 c, *ctx = &c;
	unsigned char md[32];
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)r->id);
	xf_sha256_init(ctx);
	hash_field(ctx, "xinfang-audit-1");
	hash_field(ctx, prev);
	hash_field(ctx, id);
	hash_field(ctx, r->at);
	hash_field(ctx, r->wall);
	hash_field(ctx, r->op);
	hash_field(ctx, r->action);
	hash_field(ctx, r->case_id);
	hash_field(ctx, r->before);
	hash_field(ctx, r->after);
	hash_field(ctx, r->snapshot);
	if (r->branch != 1) { /* records of the store's own branch hash as before branches (version 17) */
		char branch[24];
		snprintf(branch, sizeof branch, "branch=%lld", (long long)r->branch);
		hash_field(ctx, branch);
	}
	xf_sha256_final(ctx, md);
	xf_sha256_to_hex(md, out);
}

/* The SELECT every walk of the records uses. */
static const char record_columns_17[] =
	"id, at, wall, operator, action, coalesce(CAST(case_id AS TEXT), ''), before, after, snapshot, hash, branch";

static const char record_columns_16[] =
	"id, at, wall, operator, action, coalesce(CAST(case_id AS TEXT), ''), before, after, snapshot, hash, 1";

/* The columns of a record as the store's schema has them (no branch before version 17). */
static const char *record_columns(struct xf_store *st)
{
	struct xf_chain *c = *store_chain_slot(st);
	/* A process that only reads (verify on a server) has not looked at the schema yet. */
	struct xf_err ignored;
	if (c && chain_refresh_schema(st, &ignored) != XF_OK)
		return record_columns_16;
	return c && c->has_branch_column ? record_columns_17 : record_columns_16;
}

/* Reads the current row of a record statement. */
static void record_from(struct xf_db_stmt *stmt, struct record *r)
{
	r->id = xf_db_column_int64(stmt, 0);
	r->at = chain_col_text(stmt, 1);
	r->wall = chain_col_text(stmt, 2);
	r->op = chain_col_text(stmt, 3);
	r->action = chain_col_text(stmt, 4);
	r->case_id = chain_col_text(stmt, 5);
	r->before = chain_col_text(stmt, 6);
	r->after = chain_col_text(stmt, 7);
	r->snapshot = chain_col_text(stmt, 8);
	r->hash = chain_col_text(stmt, 9);
	r->branch = xf_db_column_int64(stmt, 10);
}

/* Seconds since 1970-01-01 00:00 of a local "YYYY-MM-DD HH:MM:SS" (or with a T), -1 when the
 * text is not one: the business time and the wall time of a record compared as written. */
static long long local_seconds(const char *t)
{
	int y, m, d, hh, mm, ss;
	char sep;
	if (sscanf(t, "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &m, &d, &sep, &hh, &mm, &ss) != 7 || (sep != ' ' && sep != 'T') ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	/* Days from the civil date (Howard Hinnant's days_from_civil). */
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long long days = era * 146097 + doe - 719468;
	return days * 86400 + hh * 3600 + mm * 60 + ss;
}

/* A record's business time is its wall time (both read from the system clock within the same
 * moment; two minutes allowed) unless the date was set with --today. Records from before the
 * wall time was kept have nothing to compare. */
static bool record_skewed(const struct record *r)
{
	long long at = local_seconds(r->at), wall = local_seconds(r->wall);
	if (at < 0 || wall < 0)
		return false;
	return at - wall > 120 || wall - at > 120;
}

/* Counts the records numbered below 1 (no chain reaches them) and the highest of them. */
static int outside_records(struct xf_store *st, struct xf_chain_walk *out, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	if ((stmt = chain_prepare(st, "SELECT count(*), max(id) FROM audit WHERE id < 1")) == NULL)
		return chain_fail(st, "读取操作日志", err);
	int rc = xf_db_step(stmt);
	if (rc == XF_DB_ROW) {
		out->outside = xf_db_column_int64(stmt, 0);
		out->outside_id = xf_db_column_int64(stmt, 1);
	}
	xf_db_finalize(stmt);
	return rc == XF_DB_ROW ? XF_OK : chain_fail(st, "读取操作日志", err);
}

/* Walks the records from from_id, recomputing the chain. */
int store_chain_walk(struct xf_store *st, int64_t from_id, struct xf_chain_walk *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	char prev[65] = "";
	bool chained = false;
	if (from_id < 1)
		from_id = 1;
	if (from_id > 1) {
		char computed[65];
		bool found;
		int rc = store_chain_record(st, from_id - 1, prev, computed, &found, err);
		if (rc != XF_OK)
			return rc;
		chained = prev[0] != '\0';
	}
	char *sql = xasprintf("SELECT %s FROM audit WHERE id >= ?1 ORDER BY id", record_columns(st));
	struct xf_db_stmt *stmt;
	stmt = chain_prepare(st, sql);
	free(sql);
	if (stmt == NULL)
		return chain_fail(st, "读取操作日志", err);
	int rc;
	xf_db_bind_int64(stmt, 1, from_id);
	int64_t expected = from_id;
	while ((rc = xf_db_step(stmt)) == XF_DB_ROW) {
		struct record r;
		record_from(stmt, &r);
		out->records++;
		if (r.id != expected) {
			out->fault = XF_CHAIN_GAP;
			out->fault_id = r.id;
			out->missing_id = expected;
			break;
		}
		expected++;
		char computed[65];
		chain_record_hash(prev, &r, computed);
		if (r.hash[0] == '\0') {
			if (chained) {
				out->fault = XF_CHAIN_NOHASH;
				out->fault_id = r.id;
				break;
			}
		} else {
			chained = true;
			if (strcmp(r.hash, computed) != 0) {
				out->fault = XF_CHAIN_BADHASH;
				out->fault_id = r.id;
				break;
			}
		}
		if (record_skewed(&r) && out->skewed++ == 0) {
			out->skewed_id = r.id;
			snprintf(out->skewed_at, sizeof out->skewed_at, "%s", r.at);
			snprintf(out->skewed_wall, sizeof out->skewed_wall, "%s", r.wall);
		}
		memcpy(prev, computed, sizeof prev);
		out->head.id = r.id;
		memcpy(out->head.hash, computed, sizeof prev);
	}
	xf_db_finalize(stmt);
	if (rc != XF_DB_ROW && rc != XF_DB_DONE)
		return chain_fail(st, "读取操作日志", err);
	/* Since schema 5 every record is hashed: a trail that ends unhashed was stripped. */
	if (out->fault == XF_CHAIN_OK && out->records > 0 && !chained) {
		out->fault = XF_CHAIN_NOHASH;
		out->fault_id = out->head.id;
	}
	return outside_records(st, out, err);
}

/* Prepares a reading of the records with ?1 bound to the last one to believe. */
int chain_prepare_upto(struct xf_store *st, const char *sql, int64_t upto, struct xf_db_stmt **stmt, struct xf_err *err)
{
	if ((*stmt = chain_prepare(st, sql)) == NULL)
		return chain_fail(st, "读取操作日志", err);
	xf_db_bind_int64(*stmt, 1, upto);
	return XF_OK;
}

/* Reads the kind of store: from the init record, then every snapshot of the settings. */
int store_chain_kind(struct xf_store *st, int64_t upto, bool whole, struct xf_chain_kind *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	struct xf_db_stmt *stmt;
	/* The init record is among the first: the scan looks no further. */
	/* JSON in SQL: SQLite's functions, PostgreSQL's operators on the json type (a record that
	 * is not JSON stops the reading there: the chain walk has vouched for the records). */
	static const char *const init_sql[] = {
		[XF_DB_SQLITE] = "SELECT id, json_extract(after, '$.training') FROM audit WHERE id BETWEEN 1 AND min(?1, 1000) "
		                 "AND action = 'init' AND json_valid(after) "
		                 "AND json_extract(after, '$.training') IS NOT NULL ORDER BY id LIMIT 1",
		[XF_DB_POSTGRESQL] = "SELECT id, CAST(after AS json) ->> 'training' FROM audit "
		                     "WHERE id BETWEEN 1 AND least(?1, 1000) AND action = 'init' "
		                     "AND CAST(after AS json) ->> 'training' IS NOT NULL ORDER BY id LIMIT 1",
	};
	static const char *const settings_sql[] = {
		[XF_DB_SQLITE] = "SELECT a.id, json_extract(s.value, '$.value') FROM audit a, json_each(a.snapshot, '$.settings') s "
		                 "WHERE a.id BETWEEN 1 AND ?1 AND instr(a.snapshot, '\"settings\":') > 0 "
		                 "AND json_valid(a.snapshot) AND json_extract(s.value, '$.key') = 'training' ORDER BY a.id",
		[XF_DB_POSTGRESQL] = "SELECT a.id, s.value ->> 'value' FROM audit a, "
		                     "json_array_elements(CAST(a.snapshot AS json) -> 'settings') s "
		                     "WHERE a.id BETWEEN 1 AND ?1 AND strpos(a.snapshot, '\"settings\":') > 0 "
		                     "AND s.value ->> 'key' = 'training' ORDER BY a.id",
	};
	enum xf_db_dialect dialect = xf_db_dialect(store_db(st));
	int rc = chain_prepare_upto(st, init_sql[dialect], upto, &stmt, err);
	if (rc != XF_OK)
		return rc;
	rc = xf_db_step(stmt);
	if (rc == XF_DB_ROW) {
		out->fixed_id = xf_db_column_int64(stmt, 0);
		out->training = strcmp(chain_col_text(stmt, 1), "1") == 0;
	}
	xf_db_finalize(stmt);
	if (rc != XF_DB_ROW && rc != XF_DB_DONE)
		return chain_fail(st, "读取操作日志", err);
	if (!whole)
		return XF_OK;
	/* Every snapshot of the settings table carries the setting; instr() passes over the
	 * records that hold none without parsing them. */
	if (chain_prepare_upto(st, settings_sql[dialect], upto, &stmt, err) != XF_OK)
		return err->code;
	while ((rc = xf_db_step(stmt)) == XF_DB_ROW) {
		bool training = strcmp(chain_col_text(stmt, 1), "1") == 0;
		if (out->fixed_id == 0) {
			out->fixed_id = xf_db_column_int64(stmt, 0);
			out->training = training;
		} else if (training != out->training) {
			out->changed_id = xf_db_column_int64(stmt, 0);
			snprintf(out->changed_value, sizeof out->changed_value, "%s", chain_col_text(stmt, 1));
			break;
		}
	}
	xf_db_finalize(stmt);
	return rc == XF_DB_ROW || rc == XF_DB_DONE ? XF_OK : chain_fail(st, "读取操作日志", err);
}

/* The newest record. */
int store_chain_last(struct xf_store *st, struct xf_chain_head *head, struct xf_err *err)
{
	memset(head, 0, sizeof *head);
	struct xf_db_stmt *stmt = chain_cached(st, S_LAST, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
	if (stmt == NULL)
		return chain_fail(st, "读取操作日志", err);
	int rc = xf_db_step(stmt);
	if (rc == XF_DB_ROW) {
		head->id = xf_db_column_int64(stmt, 0);
		snprintf(head->hash, sizeof head->hash, "%s", chain_col_text(stmt, 1));
	}
	chain_done(stmt);
	return rc == XF_DB_ROW || rc == XF_DB_DONE ? XF_OK : chain_fail(st, "读取操作日志", err);
}

/* One record's stored and recomputed hash. */
int store_chain_record(struct xf_store *st, int64_t id, char stored[65], char computed[65], bool *found,
                       struct xf_err *err)
{
	stored[0] = computed[0] = '\0';
	*found = false;
	char *sql = xasprintf("SELECT %s, (SELECT hash FROM audit WHERE id = ?1 - 1) FROM audit WHERE id = ?1",
	                      record_columns(st));
	struct xf_db_stmt *stmt;
	stmt = chain_prepare(st, sql);
	free(sql);
	if (stmt == NULL)
		return chain_fail(st, "读取操作日志", err);
	xf_db_bind_int64(stmt, 1, id);
	int rc = xf_db_step(stmt);
	if (rc == XF_DB_ROW) {
		struct record r;
		record_from(stmt, &r);
		*found = true;
		snprintf(stored, 65, "%s", r.hash);
		chain_record_hash(chain_col_text(stmt, 11), &r, computed);
	}
	xf_db_finalize(stmt);
	return rc == XF_DB_ROW || rc == XF_DB_DONE ? XF_OK : chain_fail(st, "读取操作日志", err);
}

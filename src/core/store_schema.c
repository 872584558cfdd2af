/* The schema the compiled-in migrations build, and the store's own compared with it: every
 * table, index, view and trigger, by name, kind and SQL text. The expected schema is made by
 * running the migrations into a scratch in-memory database (store_schema_build.c), at build
 * time, so a new migration is followed without a list to keep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"
#include "store_schema.h"
#include "store_schema_pg.h"
#include "xinfang/store_chain.h"

/* The schema the migrations build, made once per process. */
static struct xf_rows expected_schema;
static bool expected_ready;

/* The schema the migrations build: the copy made at build time when this is the SQLite that
 * made it (a copy in hand costs nothing; running the migrations again cost a start 13 ms of
 * processor time), else made again by running them. */
static int load_expected(struct xf_rows *out, struct xf_err *err)
{
	if (strcmp(store_schema_sqlite_version(), xf_expected_schema_sqlite) != 0)
		return store_schema_build(out, err);
	out->v = xcalloc(xf_expected_schema_count ? xf_expected_schema_count : 1, sizeof *out->v);
	out->n = xf_expected_schema_count;
	for (size_t i = 0; i < out->n; i++) {
		fields_init(&out->v[i]);
		fields_add(&out->v[i], "type", xf_expected_schema[i].type);
		fields_add(&out->v[i], "name", xf_expected_schema[i].name);
		fields_add(&out->v[i], "sql", xf_expected_schema[i].sql);
	}
	return XF_OK;
}

/* The object of that name in a list, NULL when none. */
static const struct xf_fields *find_object(const struct xf_rows *rows, const char *name)
{
	for (size_t i = 0; i < rows->n; i++)
		if (strcmp(fields_str(&rows->v[i], "name"), name) == 0)
			return &rows->v[i];
	return NULL;
}

/* Adds one schema problem (type, name, problem: missing, changed or extra). */
void store_schema_add_fault(struct xf_rows *faults, const char *type, const char *name, const char *problem)
{
	faults->v = xrealloc(faults->v, (faults->n + 1) * sizeof *faults->v);
	fields_init(&faults->v[faults->n]);
	fields_add(&faults->v[faults->n], "type", type);
	fields_add(&faults->v[faults->n], "name", name);
	fields_add(&faults->v[faults->n], "problem", problem);
	faults->n++;
}

/* Compares the store's tables, indexes, views and triggers with the migrations'. */
int store_schema_check(struct xf_store *st, struct xf_rows *faults, long *expected, struct xf_err *err)
{
	faults->v = NULL;
	faults->n = 0;
	*expected = 0;
	int rc;
	/* The comparison reads SQLite's own record of its schema; PostgreSQL's catalogue is compared
	 * by store_schema_pg.c. */
	if (xf_db_dialect(store_db(st)) != XF_DB_SQLITE)
		return store_schema_check_pg(st, faults, expected, err);
	if (!expected_ready) {
		if ((rc = load_expected(&expected_schema, err)) != XF_OK)
			return rc;
		expected_ready = true;
	}
	struct xf_rows have;
	if ((rc = store_schema_read(store_db(st), &have, err)) != XF_OK)
		return rc;
	*expected = (long)expected_schema.n;
	for (size_t i = 0; i < expected_schema.n; i++) {
		const struct xf_fields *want = &expected_schema.v[i];
		const struct xf_fields *got = find_object(&have, fields_str(want, "name"));
		if (got == NULL)
			store_schema_add_fault(faults, fields_str(want, "type"), fields_str(want, "name"), "missing");
		else if (strcmp(fields_str(got, "type"), fields_str(want, "type")) != 0 ||
		         strcmp(fields_str(got, "sql"), fields_str(want, "sql")) != 0)
			store_schema_add_fault(faults, fields_str(got, "type"), fields_str(want, "name"), "changed");
	}
	for (size_t i = 0; i < have.n; i++)
		if (find_object(&expected_schema, fields_str(&have.v[i], "name")) == NULL)
			store_schema_add_fault(faults, fields_str(&have.v[i], "type"), fields_str(&have.v[i], "name"), "extra");
	rows_free(&have);
	return XF_OK;
}

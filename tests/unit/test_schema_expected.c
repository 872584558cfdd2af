/* The schema kept at build time (schema_expected.c, made by tools/schema_expected_gen.c) is
 * what running the compiled-in migrations gives on this SQLite, row for row: a build whose
 * table lags its migrations, or was made by another SQLite, fails here (test_verify's schema
 * tests check stores against it). */
#include "testutil.h"

#include <sqlite3.h>

#include "core/store_schema.h"

/* The table made at build time equals the migrations run now, in the same order. */
static void test_table_is_the_migrations(void **state)
{
	(void)state;
	struct xf_rows built;
	struct xf_err err;
	int rc = store_schema_build(&built, &err);
	if (rc != XF_OK)
		fail_msg("%s", err.msg);
	assert_true(built.n > 50);
	assert_int_equal(xf_expected_schema_count, built.n);
	for (size_t i = 0; i < built.n; i++) {
		assert_string_equal(xf_expected_schema[i].type, fields_str(&built.v[i], "type"));
		assert_string_equal(xf_expected_schema[i].name, fields_str(&built.v[i], "name"));
		assert_string_equal(xf_expected_schema[i].sql, fields_str(&built.v[i], "sql"));
	}
	rows_free(&built);
	/* The table is the one a start uses only when made by the SQLite it runs on. */
	assert_string_equal(xf_expected_schema_sqlite, sqlite3_libversion());
	assert_string_equal(store_schema_sqlite_version(), sqlite3_libversion());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_the_migrations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

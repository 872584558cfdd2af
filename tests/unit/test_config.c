/* One configuration: the layers in their order (built-in, /etc/xinfang, the user's, environment,
 * command line) and where each value came from; broken files said with their line; the office
 * lists looked up in the same layers; the nightly backup keeps N copies; the real binary's
 * `config` and its refusal of a bad file. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xinfang/config.h"
#include "xinfang/nightly.h"
#include "xinfang/slip.h"

/* A temporary directory with an office and a user configuration directory. */
struct dirs {
	char root[64], sys[128], user[128], userconf[160];
};

/* Writes text into dir/name. */
static void write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	free(path);
}

/* Makes the directories and points the layers' variables at them; no value in the environment. */
static void dirs_open(struct dirs *d)
{
	snprintf(d->root, sizeof d->root, "/tmp/xinfang-config-XXXXXX");
	assert_non_null(mkdtemp(d->root));
	snprintf(d->sys, sizeof d->sys, "%s/etc", d->root);
	snprintf(d->user, sizeof d->user, "%s/home-config", d->root);
	snprintf(d->userconf, sizeof d->userconf, "%s/xinfang", d->user);
	assert_int_equal(mkdir(d->sys, 0755), 0);
	assert_int_equal(mkdir(d->user, 0755), 0);
	assert_int_equal(mkdir(d->userconf, 0755), 0);
	setenv("XINFANG_SYSCONFDIR", d->sys, 1);
	setenv("XDG_CONFIG_HOME", d->user, 1);
	const char *vars[] = {"XINFANG_DB",   "XINFANG_GROUP",       "XINFANG_PRINTER", "XINFANG_FORMAT",
	                      "XINFANG_PAGE_LINES", "XINFANG_PAGE_COLUMNS", "XINFANG_COLOR", "XINFANG_MONO",
	                      "NO_COLOR",     "XINFANG_BACKUP_DIR",  "XINFANG_BACKUP_KEEP"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
}

/* Removes them. */
static void dirs_close(struct dirs *d)
{
	char *cmd = xasprintf("rm -rf '%s'", d->root);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* The setting key as it stands. */
static const struct xf_config_item *item(const char *key)
{
	for (size_t i = 0; i < config_count(); i++)
		if (strcmp(config_item(i)->key, key) == 0)
			return config_item(i);
	fail_msg("no setting %s", key);
	return NULL;
}

/* Each later layer wins, and each value says where it came from. */
static void test_layers_in_order(void **state)
{
	struct dirs d;
	dirs_open(&d);
	struct xf_err err;
	write_file(d.sys, "xinfang.conf", "# the office\ngroup = office\n\npage_columns = 100\npage_lines = 60\nformat = text\n");
	write_file(d.userconf, "xinfang.conf", "page_columns = 80\npage_lines=70\n");
	setenv("XINFANG_PAGE_LINES", "50", 1);
	assert_int_equal(config_load(&err), XF_OK);
	assert_string_equal(config_get("group"), "office");
	assert_int_equal(item("group")->layer, XF_CONF_SYSTEM);
	char *where = xasprintf("%s/xinfang.conf:2", d.sys);
	assert_string_equal(item("group")->origin, where);
	free(where);
	assert_string_equal(config_get("format"), "text");
	assert_string_equal(config_get("page_columns"), "80");
	assert_int_equal(item("page_columns")->layer, XF_CONF_USER);
	assert_string_equal(config_get("page_lines"), "50");
	assert_int_equal(item("page_lines")->layer, XF_CONF_ENV);
	assert_string_equal(item("page_lines")->origin, "XINFANG_PAGE_LINES");
	assert_string_equal(config_get("backup_keep"), "14");
	assert_int_equal(item("backup_keep")->layer, XF_CONF_BUILTIN);
	/* The command line over all of them; the page the printer lays out follows. */
	assert_int_equal(config_set_cmdline("page_columns", "72", "--set page_columns", &err), XF_OK);
	assert_int_equal(item("page_columns")->layer, XF_CONF_CMDLINE);
	struct xf_page page = slip_default_page();
	assert_int_equal(page.columns, 72);
	assert_int_equal(page.lines, 50);
	/* Colour: a file says yes, NO_COLOR turns it off. */
	write_file(d.userconf, "xinfang.conf", "color = yes\n");
	setenv("NO_COLOR", "1", 1);
	assert_int_equal(config_load(&err), XF_OK);
	assert_string_equal(config_get("color"), "no");
	assert_string_equal(item("color")->origin, "NO_COLOR");
	unsetenv("NO_COLOR");
	/* The environment is followed as it changes; the command line's value stays. */
	assert_int_equal(config_set_cmdline("printer", "desk-queue", "--set printer", &err), XF_OK);
	unsetenv("XINFANG_PAGE_LINES");
	assert_string_equal(config_get("page_lines"), "60");
	assert_int_equal(item("page_lines")->layer, XF_CONF_SYSTEM);
	setenv("XINFANG_GROUP", "other", 1);
	assert_string_equal(config_get("group"), "other");
	assert_string_equal(config_get("printer"), "desk-queue");
	unsetenv("XINFANG_GROUP");
	assert_string_equal(config_get("group"), "office");
	assert_int_equal(config_load(&err), XF_OK);
	dirs_close(&d);
}

/* A broken file is refused with its name, its line and what to write. */
static void test_bad_files_said_with_their_line(void **state)
{
	struct dirs d;
	dirs_open(&d);
	struct xf_err err;
	write_file(d.sys, "xinfang.conf", "group = office\ncolour = no\n");
	assert_int_equal(config_load(&err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "第 2 行"));
	assert_non_null(strstr(err.msg, "不认识的设置“colour”"));
	write_file(d.sys, "xinfang.conf", "page_columns = 12\n");
	assert_int_equal(config_load(&err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "第 1 行"));
	assert_non_null(strstr(err.msg, "40 到 400"));
	write_file(d.sys, "xinfang.conf", "just words\n");
	assert_int_equal(config_load(&err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "键 = 值"));
	write_file(d.sys, "xinfang.conf", "format = docx\n");
	assert_int_equal(config_load(&err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "pdf 或 text"));
	/* The environment is checked too, and a command-line key must exist. */
	write_file(d.sys, "xinfang.conf", "\n");
	setenv("XINFANG_BACKUP_KEEP", "zero", 1);
	assert_int_equal(config_load(&err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "XINFANG_BACKUP_KEEP"));
	unsetenv("XINFANG_BACKUP_KEEP");
	assert_int_equal(config_load(&err), XF_OK);
	assert_int_equal(config_set_cmdline("printerr", "x", "--set printerr", &err), XF_EINVAL);
	dirs_close(&d);
}

/* The office's lists: the user's copy, else /etc/xinfang's, else the data directory's; the
 * test environment's XINFANG_DATA is the environment layer and wins over both. */
static void test_lists_in_layers(void **state)
{
	struct dirs d;
	dirs_open(&d);
	char *data = xstrdup(getenv("XINFANG_DATA"));
	unsetenv("XINFANG_DATA");
	char *path = config_list_file("/usr/share/xinfang", "departments.txt");
	assert_string_equal(path, "/usr/share/xinfang/departments.txt");
	free(path);
	write_file(d.sys, "departments.txt", "办公室\n");
	path = config_list_file("/usr/share/xinfang", "departments.txt");
	char *want = xasprintf("%s/departments.txt", d.sys);
	assert_string_equal(path, want);
	free(want);
	free(path);
	write_file(d.userconf, "departments.txt", "办公室\n");
	path = config_list_file("/usr/share/xinfang", "departments.txt");
	want = xasprintf("%s/departments.txt", d.userconf);
	assert_string_equal(path, want);
	free(want);
	free(path);
	setenv("XINFANG_DATA", data, 1);
	path = config_list_file(data, "departments.txt");
	want = xasprintf("%s/departments.txt", data);
	assert_string_equal(path, want);
	free(want);
	free(path);
	free(data);
	dirs_close(&d);
}

/* Counts the nightly backups in dir. */
static int count_backups(const char *dir)
{
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		size_t len = strlen(e->d_name);
		n += strncmp(e->d_name, "xinfang-", 8) == 0 && len > 3 && strcmp(e->d_name + len - 3, ".db") == 0;
	}
	closedir(dp);
	return n;
}

/* Three nights with keep 2: two dated copies stay, each anchored; other files are left alone. */
static void test_nightly_keeps_n(void **state)
{
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	fixture_case(&fx, NULL);
	char *dir = xasprintf("%s/backups", fx.dir);
	struct xf_nightly n;
	struct xf_err err;
	for (int night = 0; night < 3; night++) {
		int rc = nightly_run(fx.db, dir, 2, &n, &err);
		if (rc != XF_OK)
			fail_msg("nightly: %s", err.msg);
		assert_true(n.head_id > 0);
		assert_int_equal(n.removed, night < 2 ? 0 : 1);
		char *anchor = xasprintf("%s.anchor", n.backup);
		assert_int_equal(access(anchor, R_OK), 0);
		free(anchor);
		nightly_free(&n);
	}
	write_file(dir, "keep-me.db", "not a nightly backup\n");
	assert_int_equal(nightly_run(fx.db, dir, 2, &n, &err), XF_OK);
	nightly_free(&n);
	assert_int_equal(count_backups(dir), 2);
	char *other = xasprintf("%s/keep-me.db", dir);
	assert_int_equal(access(other, F_OK), 0);
	free(other);
	/* No store: said, nothing made. */
	char *missing = xasprintf("%s/none.db", fx.dir);
	assert_int_not_equal(nightly_run(missing, dir, 2, &n, &err), XF_OK);
	assert_non_null(strstr(err.msg, "none.db"));
	nightly_free(&n);
	free(missing);
	free(dir);
	fixture_close(&fx);
}

/* The real binary: `config` shows the layers, a bad file stops every command with its line. */
static void test_binary_config(void **state)
{
	struct dirs d;
	dirs_open(&d);
	write_file(d.sys, "xinfang.conf", "printer = office-laser\n");
	char *sys = xasprintf("XINFANG_SYSCONFDIR=%s", d.sys), *user = xasprintf("XDG_CONFIG_HOME=%s", d.user);
	const char *env[] = {sys, user, "XINFANG_PAGE_COLUMNS=88", NULL};
	struct run_result r;
	const char *args[] = {"--set", "backup_keep=3", "config", NULL};
	run_xinfang(&r, env, args);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "printer\toffice-laser\t本办配置 "));
	assert_non_null(strstr(r.out, "page_columns\t88\t环境变量 XINFANG_PAGE_COLUMNS\n"));
	assert_non_null(strstr(r.out, "backup_keep\t3\t命令行 --set backup_keep\n"));
	const char *one[] = {"config", "printer", NULL};
	run_xinfang(&r, env, one);
	assert_string_equal(r.out, "office-laser\n");
	write_file(d.sys, "xinfang.conf", "printer = office-laser\npage_size = A4\n");
	const char *list[] = {"list", NULL};
	run_xinfang(&r, env, list);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "第 2 行"));
	assert_non_null(strstr(r.err, "page_size"));
	free(sys);
	free(user);
	dirs_close(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layers_in_order),
		cmocka_unit_test(test_bad_files_said_with_their_line),
		cmocka_unit_test(test_lists_in_layers),
		cmocka_unit_test(test_nightly_keeps_n),
		cmocka_unit_test(test_binary_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Files only the office can read: the store, its -wal and -shm are 0600 whatever the umask
 * (0660 and the office's group with XINFANG_GROUP), a user outside cannot read them, and a
 * store others can read is named with the chmod to run. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xinfang/fileperm.h"
#include "xinfang/setup.h"

/* The permission bits of a file. */
static unsigned mode_of(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		fail_msg("%s: %s", path, strerror(errno));
	return (unsigned)(sb.st_mode & 07777);
}

/* Opens the store and reads from it, so its -wal and -shm exist while st stays open. */
static struct xf_store *open_and_read(const char *db)
{
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(setup_open(db, &st, &err), XF_OK);
	struct xf_rows rows;
	assert_int_equal(store_list(st, "operators", NULL, NULL, &rows, &err), XF_OK);
	rows_free(&rows);
	return st;
}

/* Under umask 022 the store and its companions are 0600, and nobody else reads them. */
static void store_files_private(void **state)
{
	(void)state;
	mode_t old = umask(022);
	char dir[] = "/tmp/xinfang-perm-XXXXXX";
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0); /* the directory does not protect the files */
	char db[128], env[160];
	snprintf(db, sizeof db, "%s/office.db", dir);
	snprintf(env, sizeof env, "XINFANG_DB=%s", db);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, (const char *[]){env, "XINFANG_PASSWORD=secret1", NULL}, (const char *[]){"init", NULL});
	assert_int_equal(r->status, 0);
	assert_int_equal(mode_of(db), 0600);
	struct xf_store *st = open_and_read(db);
	char wal[160], shm[160];
	snprintf(wal, sizeof wal, "%s-wal", db);
	snprintf(shm, sizeof shm, "%s-shm", db);
	assert_int_equal(mode_of(wal), 0600);
	assert_int_equal(mode_of(shm), 0600);
	assert_null(fileperm_warning(db));
	if (geteuid() == 0) {
		/* The proof of the test itself: a world-readable file is readable by nobody. */
		char probe[160];
		snprintf(probe, sizeof probe, "%s/probe", dir);
		FILE *f = fopen(probe, "w");
		fputs("x", f);
		fclose(f);
		assert_true(nobody_can_read(probe));
		assert_false(nobody_can_read(db));
		assert_false(nobody_can_read(wal));
		assert_false(nobody_can_read(shm));
	}
	/* A backup is made through the same helper: 0600 too. */
	char backup[160];
	snprintf(backup, sizeof backup, "%s/copy.db", dir);
	run_xinfang(r, (const char *[]){env, "XINFANG_PASSWORD=secret1", "XINFANG_USER=admin", NULL},
	            (const char *[]){"backup", backup, NULL});
	if (r->status != 0)
		fail_msg("backup: %s", r->err);
	assert_int_equal(mode_of(backup), 0600);
	/* A command on a store made readable warns on stderr and names the chmod. */
	assert_int_equal(chmod(db, 0644), 0);
	char *warning = fileperm_warning(db);
	assert_non_null(warning);
	assert_non_null(strstr(warning, "chmod 600"));
	assert_non_null(strstr(warning, db));
	free(warning);
	run_xinfang(r, (const char *[]){env, "XINFANG_PASSWORD=secret1", "XINFANG_USER=admin", NULL},
	            (const char *[]){"status", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->err, "其他用户也能读取"));
	assert_non_null(strstr(r->err, "chmod 600"));
	/* As the warning says: SQLite gives an empty -wal the store's mode, so all three. */
	assert_int_equal(chmod(db, 0600), 0);
	assert_int_equal(chmod(wal, 0600), 0);
	assert_int_equal(chmod(shm, 0600), 0);
	run_xinfang(r, (const char *[]){env, "XINFANG_PASSWORD=secret1", "XINFANG_USER=admin", NULL},
	            (const char *[]){"status", NULL});
	assert_int_equal(r->status, 0);
	if (strstr(r->err, "chmod"))
		fail_msg("still warned: %s", r->err);
	store_close(st);
	free(r);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	umask(old);
}

/* With an office group the files are 0660 and belong to it; an unknown group is refused. */
static void office_group(void **state)
{
	(void)state;
	mode_t old = umask(022);
	struct group *gr = getgrnam("users");
	if (gr == NULL)
		gr = getgrnam("nogroup");
	assert_non_null(gr);
	gid_t gid = gr->gr_gid;
	char group[64];
	snprintf(group, sizeof group, "%s", gr->gr_name);
	char dir[] = "/tmp/xinfang-perm-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char db[128], env[160], genv[100];
	snprintf(db, sizeof db, "%s/office.db", dir);
	snprintf(env, sizeof env, "XINFANG_DB=%s", db);
	snprintf(genv, sizeof genv, "XINFANG_GROUP=%s", group);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, (const char *[]){env, genv, "XINFANG_PASSWORD=secret1", NULL}, (const char *[]){"init", NULL});
	assert_int_equal(r->status, 0);
	struct stat sb;
	assert_int_equal(stat(db, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0660);
	assert_int_equal(sb.st_gid, gid);
	setenv("XINFANG_GROUP", group, 1);
	struct xf_store *st = open_and_read(db);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", db);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0660);
	assert_int_equal(sb.st_gid, gid);
	assert_null(fileperm_warning(db));
	store_close(st);
	/* A group that does not exist. */
	setenv("XINFANG_GROUP", "no-such-office-group", 1);
	char other[160];
	snprintf(other, sizeof other, "%s/other.db", dir);
	struct xf_err err;
	assert_int_equal(fileperm_create(other, &err), -1);
	assert_non_null(strstr(err.msg, "no-such-office-group"));
	unsetenv("XINFANG_GROUP");
	free(r);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	umask(old);
}

/* Runs the command line on db as user, expecting success. */
static void run_ok(const char *db, const char *user, const char *const *argv)
{
	char env_db[200], env_user[64];
	snprintf(env_db, sizeof env_db, "XINFANG_DB=%s", db);
	snprintf(env_user, sizeof env_user, "XINFANG_USER=%s", user);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, (const char *[]){env_db, env_user, "XINFANG_PASSWORD=secret1", "XINFANG_NEW_PASSWORD=secret1",
	                                "XINFANG_TODAY=2026-11-20", NULL},
	            argv);
	if (r->status != 0)
		fail_msg("xinfang %s %s: %s%s", argv[0], argv[1] ? argv[1] : "", r->out, r->err);
	free(r);
}

/* What the office writes out of the store (ledgers, reports, slips) is read as the store is:
 * 0600 under umask 022, also over a file that was readable before, and 0660 with the office's
 * group when XINFANG_GROUP names one. */
static void exports_private(void **state)
{
	(void)state;
	mode_t old = umask(022);
	char dir[] = "/tmp/xinfang-perm-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char db[128], csv[128], xlsx[128], pdf[128], txt[128], slip[128];
	snprintf(db, sizeof db, "%s/office.db", dir);
	snprintf(csv, sizeof csv, "%s/台账.csv", dir);
	snprintf(xlsx, sizeof xlsx, "%s/台账.xlsx", dir);
	snprintf(pdf, sizeof pdf, "%s/统计.pdf", dir);
	snprintf(txt, sizeof txt, "%s/统计.txt", dir);
	snprintf(slip, sizeof slip, "%s/登记表.pdf", dir);
	run_ok(db, "admin", (const char *[]){"init", "--demo", NULL});
	/* A file left readable by something else before: overwritten, it is closed too. */
	int fd = open(csv, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mode_of(csv), 0644);
	run_ok(db, "admin", (const char *[]){"export", "--to", csv, NULL});
	run_ok(db, "admin", (const char *[]){"export", "--format", "xlsx", "--to", xlsx, NULL});
	run_ok(db, "head", (const char *[]){"stats", "month=2026-11", "--to", pdf, NULL});
	run_ok(db, "head", (const char *[]){"stats", "month=2026-11", "--to", txt, NULL});
	run_ok(db, "head", (const char *[]){"print", "2026-0001", "registration", "--to", slip, NULL});
	const char *files[] = {csv, xlsx, pdf, txt, slip};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (mode_of(files[i]) != 0600)
			fail_msg("%s: mode %o, not 0600", files[i], mode_of(files[i]));
		assert_false(nobody_can_read(files[i]));
	}
	/* The office's group. */
	struct group *gr = getgrnam("users");
	if (gr == NULL)
		gr = getgrnam("nogroup");
	assert_non_null(gr);
	gid_t gid = gr->gr_gid;
	setenv("XINFANG_GROUP", gr->gr_name, 1);
	run_ok(db, "admin", (const char *[]){"export", "--to", csv, NULL});
	unsetenv("XINFANG_GROUP");
	struct stat sb;
	assert_int_equal(stat(csv, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0660);
	assert_int_equal(sb.st_gid, gid);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	umask(old);
}

/* The helper for other files of the record (backups): exact mode, never over an existing file
 * or through a symlink. */
static void create_helper(void **state)
{
	(void)state;
	mode_t old = umask(0);
	char dir[] = "/tmp/xinfang-perm-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], link_path[128];
	snprintf(path, sizeof path, "%s/backup.db", dir);
	snprintf(link_path, sizeof link_path, "%s/link.db", dir);
	struct xf_err err;
	int fd = fileperm_create(path, &err);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(fileperm_create(path, &err), -1);
	assert_int_equal(err.code, XF_EEXIST);
	assert_int_equal(symlink("/tmp/nowhere-xinfang", link_path), 0);
	assert_int_equal(fileperm_create(link_path, &err), -1);
	assert_int_equal(access("/tmp/nowhere-xinfang", F_OK), -1);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	umask(old);
}

/* A failing file write is said in Chinese with what to do, whichever file it was (the ledger,
 * a print file, a backup) and whatever went wrong. */
static void write_errors_in_chinese(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-perm-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *missing = xasprintf("%s/无/a.csv", dir), *in_dir = xasprintf("%s/a.csv", dir);
	struct {
		int errnum;
		const char *path, *want;
		enum xf_status code;
	} cases[] = {
		{ENOENT, missing, "目录 ", XF_EIO},
		{ENOENT, in_dir, "里不能新建文件", XF_EIO},
		{EACCES, in_dir, "没有写权限", XF_EIO},
		{EROFS, in_dir, "只读", XF_EIO},
		{ENOSPC, in_dir, "磁盘已满", XF_EIO},
		{EDQUOT, in_dir, "磁盘已满", XF_EIO},
		{EISDIR, dir, "这是一个目录", XF_EIO},
		{EEXIST, in_dir, "已存在", XF_EEXIST},
		{EIO, in_dir, "请换一个位置", XF_EIO},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct xf_err err;
		assert_int_equal(fileperm_write_error(&err, cases[i].errnum, "台账文件", cases[i].path), cases[i].code);
		assert_int_equal(err.code, cases[i].code);
		if (strstr(err.msg, cases[i].want) == NULL || strstr(err.msg, cases[i].path) == NULL)
			fail_msg("errno %d: %s", cases[i].errnum, err.msg);
	}
	struct xf_err err;
	fileperm_write_error(&err, ENOENT, "台账文件", missing);
	assert_non_null(strstr(err.msg, "不存在。请先建好这个目录"));
	/* The same words from the command line, for the statistics' print file too. */
	char *db = xasprintf("%s/office.db", dir);
	run_ok(db, "admin", (const char *[]){"init", "--training", NULL});
	char env_db[200];
	snprintf(env_db, sizeof env_db, "XINFANG_DB=%s", db);
	struct run_result *r = malloc(sizeof *r);
	char *pdf = xasprintf("%s/无/统计.pdf", dir);
	run_xinfang(r, (const char *[]){env_db, "XINFANG_USER=admin", "XINFANG_PASSWORD=secret1",
	                                "XINFANG_TODAY=2026-11-20", NULL},
	            (const char *[]){"stats", "month=2026-11", "--to", pdf, NULL});
	assert_int_equal(r->status, 1);
	if (strstr(r->err, "无法写入打印文件") == NULL || strstr(r->err, "不存在") == NULL)
		fail_msg("%s", r->err);
	free(r);
	free(pdf);
	free(db);
	free(missing);
	free(in_dir);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(store_files_private),
		cmocka_unit_test(office_group),
		cmocka_unit_test(create_helper),
		cmocka_unit_test(exports_private),
		cmocka_unit_test(write_errors_in_chinese),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

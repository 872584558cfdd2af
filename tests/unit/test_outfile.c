/* Output files are written whole or not at all, as a new file of the account that ran the
 * command: a killed export or backup leaves the old file (or nothing) under the final name and a
 * recognisable .partial- file beside it; a symlink planted where the old code wrote is not
 * followed; root writing over another account's file leaves a file of root's; an anchor written
 * by root keeps the store's owner; two restores in one second keep both aside copies. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../bench/generate.h"
#include "xinfang/clock.h"
#include "xinfang/fileperm.h"
#include "xinfang/paths.h"
#include "xinfang/setup.h"

#define BIG_CASES 40000

/* The environment of a command run as user on db (password secret1, today 2026-11-20). */
struct runenv {
	char db[400], user[64];
	const char *v[6];
};

/* Fills the environment for db and user. */
static const char *const *env_for(struct runenv *e, const char *db, const char *user)
{
	snprintf(e->db, sizeof e->db, "XINFANG_DB=%s", db);
	snprintf(e->user, sizeof e->user, "XINFANG_USER=%s", user);
	e->v[0] = e->db;
	e->v[1] = e->user;
	e->v[2] = "XINFANG_PASSWORD=secret1";
	e->v[3] = "XINFANG_TODAY=2026-11-20";
	e->v[4] = NULL;
	return e->v;
}

/* Runs the command line on db as user and returns its exit code; what it said in *said. */
static int run_as(const char *db, const char *user, const char *const *argv, char *said, size_t n)
{
	struct runenv e;
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env_for(&e, db, user), argv);
	int status = r->status;
	if (said)
		snprintf(said, n, "%.2000s%.2000s", r->out, r->err);
	free(r);
	return status;
}

/* Runs the command line, expecting success. */
static void run_ok(const char *db, const char *user, const char *const *argv)
{
	char said[4096];
	if (run_as(db, user, argv, said, sizeof said) != 0)
		fail_msg("xinfang %s: %s", argv[0], said);
}

/* Starts the binary on db as user in the background; its output goes nowhere. */
static pid_t spawn(const char *db, const char *user, const char *const *argv)
{
	struct runenv e;
	return spawn_xinfang(env_for(&e, db, user), argv);
}

/* The name of a file in dir starting with prefix (a new string), or NULL. */
static char *entry_starting(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	char *found = NULL;
	struct dirent *e;
	while (found == NULL && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			found = xasprintf("%s/%s", dir, e->d_name);
	closedir(d);
	return found;
}

/* The inode and size of path (0, -1 when there is none). */
static void id_of(const char *path, ino_t *ino, off_t *size)
{
	struct stat sb;
	*ino = 0;
	*size = -1;
	if (lstat(path, &sb) == 0)
		*ino = sb.st_ino, *size = sb.st_size;
}

/* Waits until pid has begun writing (a "<base>.partial-" entry appears in dir, or the file at
 * final changes), then kills it with SIGKILL. Fails when pid ended first, or was not killed
 * mid-way. */
static void kill_mid_write(pid_t pid, const char *dir, const char *base, const char *final)
{
	char *prefix = xasprintf("%s.partial-", base);
	ino_t ino0, ino;
	off_t size0, size;
	id_of(final, &ino0, &size0);
	int status;
	for (;;) {
		char *seen = entry_starting(dir, prefix);
		free(seen);
		id_of(final, &ino, &size);
		if (seen != NULL || ino != ino0 || size != size0)
			break;
		pid_t done = waitpid(pid, &status, WNOHANG);
		if (done == pid)
			fail_msg("%s: the command ended (status %d) before it was seen writing", base, status);
		usleep(500);
	}
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		fail_msg("%s: the command was not killed mid-way (status %d)", base, status);
	free(prefix);
}

/* A file's whole content (a new string). */
static char *slurp_file(const char *path)
{
	char *text = NULL;
	struct xf_err err;
	if (paths_read_file(path, &text, NULL, &err) != XF_OK)
		fail_msg("%s", err.msg);
	return text;
}

/* Writes text to a new file. */
static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Removes a test directory. */
static void remove_dir(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Owner, inode and mode of a file. */
static struct stat stat_of(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		fail_msg("%s: %s", path, strerror(errno));
	return sb;
}

/* A training store with n generated cases at dir/office.db. */
static void big_store(const char *db, long n)
{
	struct xf_err err;
	struct xf_store *st;
	struct xf_session admin;
	assert_int_equal(clock_set_today_iso("2026-11-20", &err), XF_OK);
	assert_int_equal(store_open(db, &st, &err), XF_OK);
	if (setup_init_mode(st, test_datadir(), "admin", "secret1", XF_INIT_TRAINING, &admin, &err) != XF_OK)
		fail_msg("init: %s", err.msg);
	struct gen g = {.s = &admin, .seed = 20261120u};
	if (gen_cases(&g, n, &err) != XF_OK)
		fail_msg("generate: %s", err.msg);
	session_close(&admin);
	store_close(st);
}

/* A 40,000-case export, a workbook and a backup killed with SIGKILL while they write leave the
 * old file, or nothing, under their final names; let run, they leave no temporary file. The
 * workbook's final name, swapped for a symlink as soon as it appears, is never written
 * through. */
static void killed_outputs_leave_no_partial_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-out-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *db = xasprintf("%s/office.db", dir), *csv = xasprintf("%s/台账.csv", dir),
	     *xlsx = xasprintf("%s/台账.xlsx", dir), *bak = xasprintf("%s/nightly.db", dir),
	     *victim = xasprintf("%s/victim", dir);
	big_store(db, BIG_CASES);
	/* CSV over yesterday's export: killed mid-way, yesterday's file is still whole. */
	write_file(csv, "yesterday's ledger\n");
	pid_t pid = spawn(db, "admin", (const char *[]){"export", "--to", csv, NULL});
	kill_mid_write(pid, dir, "台账.csv", csv);
	char *text = slurp_file(csv);
	assert_string_equal(text, "yesterday's ledger\n");
	free(text);
	/* A workbook to a new name: nothing under the name. */
	pid = spawn(db, "admin", (const char *[]){"export", "--format", "xlsx", "--to", xlsx, NULL});
	kill_mid_write(pid, dir, "台账.xlsx", xlsx);
	struct stat sb;
	assert_int_equal(lstat(xlsx, &sb), -1);
	/* A backup: nothing under the name, and the next backup to it is not refused. */
	pid = spawn(db, "admin", (const char *[]){"backup", bak, NULL});
	kill_mid_write(pid, dir, "nightly.db", bak);
	assert_int_equal(lstat(bak, &sb), -1);
	/* The workbook's name, swapped for a link as soon as it shows, is not written through. */
	write_file(victim, "not the ledger");
	pid = spawn(db, "admin", (const char *[]){"export", "--format", "xlsx", "--to", xlsx, NULL});
	int status;
	bool swapped = false;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (!swapped && lstat(xlsx, &sb) == 0) {
			char *aside = xasprintf("%s.taken", xlsx);
			assert_int_equal(rename(xlsx, aside), 0);
			assert_int_equal(symlink(victim, xlsx), 0);
			swapped = true;
			free(aside);
		}
		usleep(200);
	}
	text = slurp_file(victim);
	assert_string_equal(text, "not the ledger");
	free(text);
	unlink(xlsx);
	/* Let run, each leaves its file and no temporary one. */
	run_ok(db, "admin", (const char *[]){"export", "--to", csv, NULL});
	run_ok(db, "admin", (const char *[]){"backup", bak, NULL});
	assert_true(stat_of(csv).st_size > 4000000); /* the whole ledger, no longer yesterday's line */
	char *left = entry_starting(dir, "台账.csv.partial-");
	assert_non_null(left); /* the killed one's, still there to be seen */
	unlink(left);
	free(left);
	assert_null(entry_starting(dir, "台账.csv.partial-"));
	left = entry_starting(dir, "nightly.db.partial-");
	assert_non_null(left);
	char *rm = xasprintf("rm -rf '%s'", left);
	assert_int_equal(system(rm), 0);
	free(rm);
	free(left);
	assert_null(entry_starting(dir, "nightly.db.partial-"));
	remove_dir(dir);
	free(db);
	free(csv);
	free(xlsx);
	free(bak);
	free(victim);
}

/* A symlink planted where verify and backup used to write the anchor's temporary file
 * (<db>.anchor.tmp) is not followed: its target keeps its bytes, and the anchors are written. */
static void anchor_temporary_file_not_followed(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-out-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *db = xasprintf("%s/office.db", dir), *bak = xasprintf("%s/nightly.db", dir),
	     *victim = xasprintf("%s/victim", dir), *link1 = xasprintf("%s.anchor.tmp", db),
	     *link2 = xasprintf("%s.anchor.tmp", bak), *anchor = xasprintf("%s.anchor", db),
	     *bak_anchor = xasprintf("%s.anchor", bak);
	run_ok(db, "admin", (const char *[]){"init", "--training", NULL});
	write_file(victim, "someone else's file\n");
	assert_int_equal(symlink(victim, link1), 0);
	assert_int_equal(symlink(victim, link2), 0);
	run_ok(db, "admin", (const char *[]){"verify", NULL});
	run_ok(db, "admin", (const char *[]){"backup", bak, NULL});
	run_ok(db, "admin", (const char *[]){"verify", NULL});
	char *text = slurp_file(victim);
	assert_string_equal(text, "someone else's file\n");
	free(text);
	const char *anchors[] = {anchor, bak_anchor};
	for (size_t i = 0; i < 2; i++) {
		struct stat sb;
		assert_int_equal(lstat(anchors[i], &sb), 0);
		assert_true(S_ISREG(sb.st_mode));
		text = slurp_file(anchors[i]);
		assert_non_null(strstr(text, "\nhash "));
		free(text);
	}
	/* The planted links are left as they were: nothing was written through or over them. */
	struct stat sb;
	assert_int_equal(lstat(link1, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_null(entry_starting(dir, "office.db.anchor.partial-"));
	remove_dir(dir);
	free(db);
	free(bak);
	free(victim);
	free(link1);
	free(link2);
	free(anchor);
	free(bak_anchor);
}

/* Run as root: an export, a printed slip or report written where another account (nobody) had
 * made a file is a new file of root's, the other account's file never reused; a verify by root
 * of a store owned by the office's account (here nobody) leaves an anchor that account owns and
 * reads. */
static void root_writes_its_own_files(void **state)
{
	(void)state;
	assert_int_equal(geteuid(), 0); /* CI runs the tests as root; this test is about root */
	mode_t old = umask(022);
	char dir[] = "/tmp/xinfang-out-XXXXXX";
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0777), 0);
	char *db = xasprintf("%s/office.db", dir), *csv = xasprintf("%s/台账.csv", dir),
	     *xlsx = xasprintf("%s/台账.xlsx", dir), *slip = xasprintf("%s/登记表.txt", dir),
	     *stats = xasprintf("%s/统计.csv", dir), *anchor = xasprintf("%s.anchor", db);
	run_ok(db, "admin", (const char *[]){"init", "--demo", NULL});
	const char *outputs[] = {csv, xlsx, slip, stats};
	ino_t before[4];
	for (size_t i = 0; i < 4; i++) {
		write_file(outputs[i], "nobody's\n");
		assert_int_equal(chown(outputs[i], 65534, 65534), 0);
		assert_int_equal(chmod(outputs[i], 0666), 0);
		before[i] = stat_of(outputs[i]).st_ino;
	}
	run_ok(db, "admin", (const char *[]){"export", "--to", csv, NULL});
	run_ok(db, "admin", (const char *[]){"export", "--format", "xlsx", "--to", xlsx, NULL});
	run_ok(db, "head", (const char *[]){"print", "2026-0001", "registration", "--to", slip, NULL});
	run_ok(db, "head", (const char *[]){"stats", "month=2026-11", "--format", "csv", "--to", stats, NULL});
	for (size_t i = 0; i < 4; i++) {
		struct stat sb = stat_of(outputs[i]);
		if (sb.st_uid != 0 || sb.st_ino == before[i] || (sb.st_mode & 0777) != 0600)
			fail_msg("%s: owner %u, inode %s, mode %o", outputs[i], (unsigned)sb.st_uid,
			         sb.st_ino == before[i] ? "reused" : "new", (unsigned)(sb.st_mode & 0777));
		assert_false(nobody_can_read(outputs[i]));
	}
	/* The store belongs to the office's account; root's verify keeps the anchor theirs. */
	char *cmd = xasprintf("chown 65534:65534 '%s' '%s'*", db, db);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	run_ok(db, "admin", (const char *[]){"verify", NULL});
	struct stat sb = stat_of(anchor);
	assert_int_equal(sb.st_uid, 65534);
	assert_int_equal(sb.st_gid, 65534);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_true(nobody_can_read(anchor));
	umask(old);
	remove_dir(dir);
	free(db);
	free(csv);
	free(xlsx);
	free(slip);
	free(stats);
	free(anchor);
}

/* Two restores within one second both keep the store they replace: the second aside copy gets
 * its own name (a file already under the first one is left alone). */
static void restores_in_one_second_keep_both_asides(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-out-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *db = xasprintf("%s/office.db", dir), *bak = xasprintf("%s/nightly.db", dir);
	run_ok(db, "admin", (const char *[]){"init", "--training", NULL});
	run_ok(db, "admin", (const char *[]){"backup", bak, NULL});
	/* The names a restore would take in the next seconds are taken already, as by a restore
	 * that ran a moment ago. */
	time_t now = time(NULL);
	char *taken[8];
	for (int i = 0; i < 8; i++) {
		time_t t = now + i + 8 * 3600; /* the office's clock is Beijing time */
		struct tm tm;
		gmtime_r(&t, &tm);
		char stamp[32];
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S+0800", &tm);
		for (char *p = stamp; *p; p++)
			if (*p == '+')
				*p = '-';
		taken[i] = xasprintf("%s.before-restore-%s", db, stamp);
		write_file(taken[i], "the earlier restore's copy\n");
	}
	run_ok(db, "admin", (const char *[]){"restore", bak, NULL});
	run_ok(db, "admin", (const char *[]){"restore", bak, NULL});
	int asides = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		asides += strstr(e->d_name, ".before-restore-") != NULL;
	closedir(d);
	assert_int_equal(asides, 8 + 2);
	for (int i = 0; i < 8; i++) {
		char *text = slurp_file(taken[i]);
		assert_string_equal(text, "the earlier restore's copy\n");
		free(text);
		free(taken[i]);
	}
	remove_dir(dir);
	free(db);
	free(bak);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(anchor_temporary_file_not_followed),
		cmocka_unit_test(restores_in_one_second_keep_both_asides),
		cmocka_unit_test(root_writes_its_own_files),
		cmocka_unit_test(killed_outputs_leave_no_partial_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

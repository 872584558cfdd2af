/* Store set-up from the office's data files. */
#include "xinfang/setup.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "xinfang/audit.h"
#include "xinfang/branch.h"
#include "xinfang/calendar.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/jrt.h"
#include "xinfang/limits.h"
#include "xinfang/paths.h"
#include "xinfang/text.h"
#include "xinfang/verify.h"
#include "xinfang/config.h"

/* Column names for each word of a reference-list line. */
struct list_spec {
	const char *file;
	const char *table;
	const char *columns[4];
	int required; /* words a line must have */
};

static const struct list_spec lists[] = {
	{"departments.txt", "departments", {"name", "note", NULL, NULL}, 1},
	{"channels.txt", "channels", {"name", "important", NULL, NULL}, 2},
	{"categories.txt", "categories", {"name", "kind", "grp", "department"}, 3},
};

/* Loads one reference list file into its table. */
static int load_list(struct xf_store *st, const char *datadir, const struct list_spec *spec, struct xf_err *err)
{
	char *path = config_list_file(datadir, spec->file);
	char *text;
	int rc = paths_read_file(path, &text, NULL, err);
	if (rc == XF_OK && !utf8_valid(text, strlen(text), NULL))
		rc = xf_err_set(err, XF_EINVAL, "%s 不是 UTF-8 文本", path);
	int lineno = 0, ord = 0;
	char *save = NULL;
	for (char *line = rc == XF_OK ? strtok_r(text, "\n", &save) : NULL; line && rc == XF_OK;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *words[4] = {NULL, NULL, NULL, NULL}, *wsave = NULL;
		int n = 0;
		for (char *w = strtok_r(line, " \t\r", &wsave); w && n < 4; w = strtok_r(NULL, " \t\r", &wsave))
			words[n++] = w;
		if (n == 0)
			continue;
		if (n < spec->required) {
			rc = xf_err_set(err, XF_EINVAL, "%s：有一行少了内容（应有 %d 项）：%s", path, spec->required, words[0]);
			break;
		}
		struct xf_fields f;
		fields_init(&f);
		for (int i = 0; i < 4 && spec->columns[i]; i++) {
			const char *v = words[i] ? words[i] : "";
			if (strcmp(spec->columns[i], "important") == 0)
				v = strcmp(v, "重要") == 0 ? "1" : "0";
			fields_set(&f, spec->columns[i], v);
		}
		if (strcmp(spec->table, "departments") != 0) {
			char buf[16];
			snprintf(buf, sizeof buf, "%d", ++ord);
			fields_set(&f, "ord", buf);
		}
		rc = store_insert(st, spec->table, &f, NULL, err);
		fields_free(&f);
	}
	free(text);
	free(path);
	return rc;
}

/* Parses and stores one holiday file. */
static int load_calendar_file(struct xf_store *st, const char *path, int *year, struct xf_err *err)
{
	char *text;
	int rc = paths_read_file(path, &text, NULL, err);
	if (rc != XF_OK)
		return rc;
	struct xf_calfile cf;
	if (!utf8_valid(text, strlen(text), NULL))
		rc = xf_err_set(err, XF_EINVAL, "%s 不是 UTF-8 文本", path);
	else
		rc = calendar_parse(text, path, &cf, err);
	free(text);
	if (rc != XF_OK)
		return rc;
	const char *base = strrchr(path, '/');
	rc = store_calendar_replace(st, cf.year, base ? base + 1 : path, cf.days, cf.n, err);
	if (year)
		*year = cf.year;
	calfile_free(&cf);
	return rc;
}

/* Compares two directory entry names for sorting. */
static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads every data/holidays/YYYY.txt. */
static int load_calendars(struct xf_store *st, const char *datadir, struct xf_err *err)
{
	char *dir = xasprintf("%s/holidays", datadir);
	DIR *d = opendir(dir);
	if (d == NULL) {
		int rc = xf_err_set(err, XF_EIO, "找不到节假日日历目录 %s", dir);
		free(dir);
		return rc;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len == 8 && strcmp(e->d_name + 4, ".txt") == 0) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xasprintf("%s/%s", dir, e->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	int rc = XF_OK;
	for (size_t i = 0; i < n; i++) {
		if (rc == XF_OK)
			rc = load_calendar_file(st, names[i], NULL, err);
		free(names[i]);
	}
	free(names);
	free(dir);
	return rc;
}

/* Loads data/limits.txt. */
static int load_rules(struct xf_store *st, const char *datadir, struct xf_err *err)
{
	char *path = config_list_file(datadir, "limits.txt");
	char *text;
	int rc = paths_read_file(path, &text, NULL, err);
	struct xf_rules rules;
	if (rc == XF_OK) {
		rc = limits_parse(text, path, &rules, err);
		free(text);
	}
	if (rc == XF_OK) {
		rc = store_rules_replace(st, &rules, err);
		limits_free(&rules);
	}
	free(path);
	return rc;
}

/* Gives a new store a random id: its first audit record, which snapshots the settings, is then
 * unique even for two stores made in the same second (setup_restore_same). */
static int set_store_id(struct xf_store *st, struct xf_err *err)
{
	unsigned char raw[16];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		return xf_err_set(err, XF_EIO, "无法取得随机数（%s）：请检查系统后重试", strerror(errno));
	char hex[33];
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	return store_setting_set(st, "store_id", hex, err);
}

/* The store's own branch (id 1, the branch columns' default), with no code yet: init --branch
 * gives it one. A store upgraded from one office got it from migration 17. */
static int own_branch(struct xf_store *st, struct xf_err *err)
{
	struct xf_rows rows;
	int rc = store_list(st, "branches", "id", "1", &rows, err);
	if (rc != XF_OK || rows.n > 0) {
		rows_free(&rows);
		return rc;
	}
	rows_free(&rows);
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "id", "1");
	fields_set(&f, "name", "本行");
	fields_set(&f, "path", "/1/");
	rc = store_insert(st, "branches", &f, NULL, err);
	fields_free(&f);
	return rc;
}

/* Creates the store's contents in one transaction: lists, rules, calendars, the admin, the
 * kind of store and (unless the caller finishes it later) the mark that init is done. */
int setup_init_mode(struct xf_store *st, const char *datadir, const char *admin, const char *password,
                    unsigned mode, struct xf_session *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	bool training = (mode & XF_INIT_TRAINING) != 0;
	if (!training && clock_overridden())
		return xf_err_set(err, XF_EINVAL, "正式数据库的日期只取系统时钟，不能用 --today 或 XINFANG_TODAY 指定："
		                                  "演示或培训请用 xinfang init --training（或 --demo）");
	int rc = store_migrate(st, 0, err);
	if (rc != XF_OK)
		return rc;
	struct xf_rows ops;
	if ((rc = store_list(st, "operators", NULL, NULL, &ops, err)) != XF_OK)
		return rc;
	size_t existing = ops.n;
	rows_free(&ops);
	if (existing)
		return xf_err_set(err, XF_EEXIST, "数据库 %s 已经初始化过，原有数据未动。要重新开始请换一个文件（--db）",
		                  store_path(st));
	if ((rc = auth_password_policy(admin, password, NULL, err)) != XF_OK)
		return rc;
	if ((rc = store_begin(st, err)) != XF_OK)
		return rc;
	for (size_t i = 0; i < sizeof lists / sizeof lists[0] && rc == XF_OK; i++)
		rc = load_list(st, datadir, &lists[i], err);
	if (rc == XF_OK)
		rc = load_rules(st, datadir, err);
	if (rc == XF_OK)
		rc = load_calendars(st, datadir, err);
	if (rc == XF_OK)
		rc = jrt_load(st, datadir, err);
	if (rc == XF_OK)
		rc = store_setting_set(st, "training", training ? "1" : "0", err);
	if (rc == XF_OK)
		rc = store_setting_set(st, "initialised", mode & XF_INIT_UNFINISHED ? "0" : "1", err);
	if (rc == XF_OK)
		rc = set_store_id(st, err);
	if (rc == XF_OK)
		rc = own_branch(st, err);
	if (rc == XF_OK)
		rc = store_audit(st, admin, "init", 0, NULL, training ? "{\"training\":\"1\"}" : "{\"training\":\"0\"}", err);
	if (rc == XF_OK)
		rc = auth_create_admin(st, admin, password, out, err);
	if (rc == XF_OK)
		rc = store_commit(st, err);
	if (rc != XF_OK) {
		store_rollback(st);
		memset(out, 0, sizeof *out);
	} else if (!(mode & XF_INIT_UNFINISHED)) {
		verify_anchor_init(st); /* a missing anchor is named by verify */
	}
	return rc;
}

/* Creates the store's contents as a production store. */
int setup_init(struct xf_store *st, const char *datadir, const char *admin, const char *password,
               struct xf_session *out, struct xf_err *err)
{
	return setup_init_mode(st, datadir, admin, password, 0, out, err);
}

/* Marks a store whose init was left unfinished (the demo cases) as ready. */
int setup_finish(struct xf_store *st, const char *actor, struct xf_err *err)
{
	int rc = store_begin(st, err);
	if (rc == XF_OK)
		rc = store_setting_set(st, "initialised", "1", err);
	if (rc == XF_OK)
		rc = store_audit(st, actor, "init_done", 0, NULL, "{}", err);
	if (rc == XF_OK)
		rc = store_commit(st, err);
	if (rc != XF_OK)
		store_rollback(st);
	else
		verify_anchor_init(st); /* a missing anchor is named by verify */
	return rc;
}

/* True when a setting holds "1". */
static bool setting_on(struct xf_store *st, const char *key)
{
	char *v = NULL;
	bool on = store_setting_get(st, key, &v, NULL) == XF_OK && v != NULL && strcmp(v, "1") == 0;
	free(v);
	return on;
}

/* True when init finished: marked so, or (a store from before the mark) it has operators. */
static int init_finished(struct xf_store *st, bool *finished, struct xf_err *err)
{
	char *done = NULL;
	int rc = store_setting_get(st, "initialised", &done, err);
	struct xf_rows ops = {NULL, 0};
	if (rc == XF_OK && done == NULL)
		rc = store_list(st, "operators", NULL, NULL, &ops, err);
	*finished = rc == XF_OK && (done ? strcmp(done, "1") == 0 : ops.n > 0);
	free(done);
	rows_free(&ops);
	return rc;
}

/* True on a training store. */
bool setup_is_training(struct xf_store *st)
{
	return setting_on(st, "training");
}

/* The stored hash of a store's first audit record, the store's identity; "" when it has none. */
static int first_record(struct xf_store *st, char hash[65], struct xf_err *err)
{
	char computed[65];
	bool found;
	return store_chain_record(st, 1, hash, computed, &found, err);
}

/* Refuses a backup of another store. */
int setup_restore_same(struct xf_store *live, struct xf_store *backup, const char *file, struct xf_err *err)
{
	bool live_training = setting_on(live, "training"), backup_training = setting_on(backup, "training");
	const char *db = store_path(live);
	if (backup_training && !live_training)
		return xf_err_set(err, XF_EINVAL,
		                  "备份文件 %s 是培训数据库的备份，%s 是正式数据库：培训库的备份不能恢复到正式库上，正式库未动。"
		                  "请用正式库自己的备份（xinfang backup 所做）",
		                  file, db);
	if (!backup_training && live_training)
		return xf_err_set(err, XF_EINVAL,
		                  "备份文件 %s 是正式数据库的备份，%s 是培训数据库：不能恢复到培训库上，培训库未动。"
		                  "要在新机器上恢复正式库，请用 --db 指向一个还不存在的文件再运行 xinfang restore",
		                  file, db);
	char mine[65], theirs[65];
	int rc = first_record(live, mine, err);
	if (rc == XF_OK)
		rc = first_record(backup, theirs, err);
	if (rc != XF_OK)
		return rc;
	if (mine[0] == '\0' || strcmp(mine, theirs) != 0)
		return xf_err_set(err, XF_EINVAL,
		                  "备份文件 %s 不是 %s 的备份，而是另一套数据库的（两者操作日志的第 1 条记录不同），不予恢复，本库未动。"
		                  "请用本库自己的备份；要在新机器上恢复，不要先运行 init，请用 --db 指向一个还不存在的文件再运行 xinfang restore",
		                  file, db);
	return XF_OK;
}

/* Moves the files of a store whose init never finished aside, to <path>.unfinished-<seconds>
 * (its -wal and -shm beside it under the same name): never deleted, since a mark edited behind
 * the program's back must not make init destroy an office's records. */
static int move_unfinished_aside(const char *path, struct xf_err *err)
{
	static const char *const suffixes[] = {"-wal", "-shm", "-journal", ""};
	char *aside = xasprintf("%s.unfinished-%lld", path, clock_seconds());
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char *from = xasprintf("%s%s", path, suffixes[i]);
		char *to = xasprintf("%s%s", aside, suffixes[i]);
		int moved = rename(from, to) == 0 || errno == ENOENT;
		int e = errno;
		free(from);
		free(to);
		if (!moved) {
			xf_err_set(err, XF_EIO, "无法把未完成初始化的数据库 %s%s 移到一旁：%s", path, suffixes[i], strerror(e));
			free(aside);
			return XF_EIO;
		}
	}
	free(aside);
	return XF_OK;
}

/* Opens the file at path for init, starting again when an earlier init was interrupted. */
int setup_create(const char *path, const char *datadir, const char *admin, const char *password, unsigned mode,
                 struct xf_store **st_out, struct xf_session *out, bool *restarted, struct xf_err *err)
{
	*st_out = NULL;
	*restarted = false;
	memset(out, 0, sizeof *out);
	if (!(mode & XF_INIT_TRAINING) && clock_overridden())
		return xf_err_set(err, XF_EINVAL, "正式数据库的日期只取系统时钟，不能用 --today 或 XINFANG_TODAY 指定："
		                                  "演示或培训请用 xinfang init --training（或 --demo）");
	struct xf_store *st;
	int rc = store_open(path, &st, err);
	int version = 0;
	if (rc == XF_OK)
		rc = store_version(st, &version, err);
	if (rc == XF_OK && version > 0)
		rc = store_migrate(st, 0, err);
	if (rc == XF_OK && version > 0) {
		bool finished = false;
		rc = init_finished(st, &finished, err);
		if (rc == XF_OK && finished)
			rc = xf_err_set(err, XF_EEXIST, "数据库 %s 已经初始化过，原有数据未动。要重新开始请换一个文件（--db）", path);
		if (rc == XF_OK && !finished && store_locator_is_server(path))
			rc = xf_err_set(err, XF_EEXIST, "数据库 %s 的初始化没有完成（可能被中断）：请数据库管理员把它删掉重建"
			                                "（DROP DATABASE 后 CREATE DATABASE），再运行 xinfang init", path);
		if (rc == XF_OK && !finished) {
			/* Never marked done: an interrupted init, not an office's record. Start again. */
			store_close(st);
			st = NULL;
			rc = move_unfinished_aside(path, err);
			if (rc == XF_OK)
				rc = store_open(path, &st, err);
			*restarted = rc == XF_OK;
		}
	}
	if (rc == XF_OK)
		rc = setup_init_mode(st, datadir, admin, password, mode, out, err);
	if (rc != XF_OK) {
		store_close(st);
		return rc;
	}
	*st_out = st;
	return XF_OK;
}

/* Opens an initialised store, upgrading its schema; refuses a date override on a production
 * store and a store whose init never finished. */
int setup_open(const char *path, struct xf_store **out, struct xf_err *err)
{
	*out = NULL;
	/* A file that is not there is not made by opening it; a server's database is asked below. */
	FILE *probe = store_locator_is_server(path) ? NULL : fopen(path, "rb");
	if (probe == NULL && !store_locator_is_server(path))
		return xf_err_set(err, XF_ENOTFOUND, "数据库 %s 不存在：请先运行 xinfang init（或用 --db 指定文件）", path);
	if (probe)
		fclose(probe);
	struct xf_store *st;
	int rc = store_open(path, &st, err);
	if (rc != XF_OK)
		return rc;
	int version;
	if ((rc = store_version(st, &version, err)) == XF_OK && version == 0)
		rc = xf_err_set(err, XF_ENOTFOUND, "%s 还没有初始化：请先运行 xinfang init", path);
	/* Older: brought up to date. Newer: refused by store_migrate (this build would write it in
	 * the shape of its own version). */
	if (rc == XF_OK && version != store_latest_version())
		rc = store_migrate(st, 0, err);
	bool finished = false;
	if (rc == XF_OK && (rc = init_finished(st, &finished, err)) == XF_OK && !finished)
		rc = xf_err_set(err, XF_ENOTFOUND, "数据库 %s 的初始化没有完成（可能被中断）：请重新运行 xinfang init", path);
	if (rc == XF_OK && clock_overridden() && !setting_on(st, "training"))
		rc = xf_err_set(err, XF_EINVAL, "%s 是正式数据库：日期只取系统时钟，不能用 --today 或 XINFANG_TODAY 指定"
		                                "（只有 xinfang init --training 或 --demo 建的培训数据库可以）", path);
	/* A store older than the JR/T lists gets them once, from the data files. */
	if (rc == XF_OK && version < 9 && (rc = store_begin(st, err)) == XF_OK) {
		rc = jrt_load(st, paths_datadir(), err);
		if (rc == XF_OK)
			rc = store_commit(st, err);
		else
			store_rollback(st);
	}
	if (rc != XF_OK) {
		store_close(st);
		return rc;
	}
	*out = st;
	return XF_OK;
}

/* An audit event of a setting change: one key, its old value (NULL: none) and its new one. */
static int audit_one(struct xf_session *s, const char *action, const char *old, const char *key, const char *value,
                     struct xf_err *err)
{
	struct xf_fields before, after;
	fields_init(&before);
	fields_init(&after);
	if (old)
		fields_set(&before, key, old);
	fields_set(&after, key, value);
	char *b = audit_json(&before), *a = audit_json(&after);
	int rc = store_audit(s->st, s->op.name, action, 0, b, a, err);
	free(b);
	free(a);
	fields_free(&before);
	fields_free(&after);
	return rc;
}

/* Imports a year of the calendar. */
int setup_calendar_load(struct xf_session *s, const char *file, int *year, int *recomputed, struct xf_err *err)
{
	*recomputed = 0;
	if (!auth_require(s, 0, "导入节假日日历", err) || branch_require_whole(s, "导入节假日日历", err) != XF_OK)
		return err->code;
	int rc = session_begin(s, err);
	if (rc != XF_OK)
		return rc;
	rc = load_calendar_file(s->st, file, year, err);
	if (rc == XF_OK) {
		char y[16];
		snprintf(y, sizeof y, "%d", *year);
		rc = audit_one(s, "calendar_load", NULL, "year", y, err);
	}
	if (rc == XF_OK)
		rc = case_recompute_estimated(s, recomputed, err);
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	if (rc != XF_OK)
		store_rollback(s->st);
	session_reload_reference(s);
	return rc;
}

/* Switches the active rule set. */
int setup_ruleset_use(struct xf_session *s, const char *name, struct xf_err *err)
{
	if (!auth_require(s, 0, "切换时限规则集", err) || branch_require_whole(s, "切换时限规则集", err) != XF_OK)
		return err->code;
	int rc = session_load_reference(s, err);
	if (rc != XF_OK)
		return rc;
	bool known = false;
	struct xf_buf names;
	buf_init(&names);
	for (size_t i = 0; i < s->rules.nsets; i++) {
		known = known || strcmp(s->rules.sets[i].name, name) == 0;
		buf_printf(&names, "%s%s（%s）", i ? "、" : "", s->rules.sets[i].name, s->rules.sets[i].label);
	}
	if (!known) {
		rc = xf_err_set(err, XF_EINVAL, "没有规则集“%s”：可选 %s", name, names.data);
		buf_free(&names);
		return rc;
	}
	buf_free(&names);
	if ((rc = session_begin(s, err)) != XF_OK)
		return rc;
	rc = store_setting_set(s->st, "ruleset", name, err);
	if (rc == XF_OK) {
		rc = audit_one(s, "ruleset_use", s->rules.active, "ruleset", name, err);
	}
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	if (rc != XF_OK)
		store_rollback(s->st);
	session_reload_reference(s);
	return rc;
}

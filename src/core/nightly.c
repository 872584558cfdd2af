/* The nightly verify and backup: dated copies in one directory, the oldest beyond N removed. */
#include "xinfang/nightly.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xinfang/clock.h"
#include "xinfang/fileperm.h"
#include "xinfang/paths.h"
#include "xinfang/setup.h"
#include "xinfang/store.h"
#include "xinfang/verify.h"

/* True when name is one of the nightly backups: xinfang-YYYY-MM-DD[-N].db. */
static bool is_nightly(const char *name)
{
	size_t n = strlen(name);
	if (strncmp(name, "xinfang-", 8) != 0 || n < 21 || strcmp(name + n - 3, ".db") != 0)
		return false;
	for (size_t i = 8; i < 18; i++)
		if ((i == 12 || i == 15) ? name[i] != '-' : (name[i] < '0' || name[i] > '9'))
			return false;
	return true;
}

/* Orders backups oldest first (the dated names sort by date, a same-day -N after the first). */
static int by_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int c = strncmp(x, y, 18);
	if (c != 0)
		return c;
	size_t lx = strlen(x), ly = strlen(y);
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

/* Removes the oldest nightly backups (and their anchors) beyond keep. */
static int prune(const char *dir, long keep, int *removed, struct xf_err *err)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return fileperm_read_error(err, errno, "备份目录", dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!is_nightly(e->d_name))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, by_name);
	int rc = XF_OK;
	for (size_t i = 0; i < n; i++) {
		if (rc == XF_OK && (long)(n - i) > keep) {
			char *path = xasprintf("%s/%s", dir, names[i]);
			char *anchor = verify_anchor_path(path);
			if (unlink(path) != 0 && errno != ENOENT)
				rc = xf_err_set(err, XF_EIO, "无法删除旧备份 %s：%s。请检查备份目录的权限", path, strerror(errno));
			else
				(*removed)++;
			unlink(anchor);
			free(anchor);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* A new file name for today's backup: xinfang-YYYY-MM-DD.db, then -2, -3 … on a rerun. */
static void backup_name(const char *dir, char *out, size_t size)
{
	char wall[32];
	clock_wall_now(wall);
	for (int k = 1;; k++) {
		if (k == 1)
			snprintf(out, size, "%s/xinfang-%.10s.db", dir, wall);
		else
			snprintf(out, size, "%s/xinfang-%.10s-%d.db", dir, wall, k);
		if (access(out, F_OK) != 0)
			return;
	}
}

/* One night's verify, backup, check of the copy and pruning. */
int nightly_run(const char *db, const char *dir, long keep, struct xf_nightly *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	buf_init(&out->text);
	if (!store_locator_is_server(db) && access(db, F_OK) != 0) /* a server's database: asked at its open */
		return fileperm_read_error(err, errno, "数据库", db);
	struct xf_store *st;
	int rc = setup_open(db, &st, err);
	if (rc != XF_OK)
		return rc;
	struct xf_verify v;
	rc = verify_store(st, 0, NULL, &v, err);
	out->failures = v.failures;
	buf_add(&out->text, v.text.data ? v.text.data : "", v.text.len);
	if (rc == XF_OK && v.failures > 0)
		rc = xf_err_set(err, XF_EINVAL, "核验未通过（%d 项），今晚不备份：%s。请管理员运行 xinfang verify 查看", v.failures,
		                v.first);
	verify_free(&v);
	char *probe = xasprintf("%s/x", dir);
	if (rc == XF_OK)
		rc = paths_make_parent(probe, err);
	free(probe);
	struct xf_chain_head head;
	if (rc == XF_OK) {
		backup_name(dir, out->backup, sizeof out->backup);
		rc = verify_backup_store(st, out->backup, &head, err);
		out->head_id = head.id;
	}
	store_close(st);
	/* The copy must verify on its own (against its own anchor) before older ones go. */
	if (rc == XF_OK && (rc = store_open(out->backup, &st, err)) == XF_OK) {
		struct xf_verify copy;
		rc = verify_store(st, XF_VERIFY_NO_ANCHOR | XF_VERIFY_KEEP_ANCHOR, NULL, &copy, err);
		if (rc == XF_OK && copy.failures > 0)
			rc = xf_err_set(err, XF_EINVAL, "备份 %s 核验未通过：%s。旧备份都留着，请管理员检查磁盘", out->backup, copy.first);
		verify_free(&copy);
		store_close(st);
	}
	if (rc == XF_OK)
		rc = prune(dir, keep, &out->removed, err);
	return rc;
}

/* Frees a night's report. */
void nightly_free(struct xf_nightly *n)
{
	buf_free(&n->text);
}

/* Proving the record: verify, backup and restore. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "xinfang/verify.h"

/* xinfang verify: every check; exit 0 only when all hold. */
int cmd_verify(struct cli *c, int argc, char **argv)
{
	unsigned flags = 0;
	if (argc == 1 && strcmp(argv[0], "--new-anchor") == 0)
		flags = XF_VERIFY_NEW_ANCHOR;
	else if (argc != 0)
		return usage_error("verify 只认 --new-anchor（多余的“%s”）", argv[0]);
	struct xf_err err;
	struct xf_verify v;
	int rc = login(c, &err);
	memset(&v, 0, sizeof v);
	if (rc == XF_OK)
		rc = verify_session(&c->session, flags, &v, &err);
	if (rc != XF_OK) {
		verify_free(&v);
		return refused(&err);
	}
	fputs(v.text.data ? v.text.data : "", stdout);
	if (v.failures == 0)
		printf("核验通过：操作日志到第 %lld 条（%.16s…）%s\n", (long long)v.head.id, v.head.hash,
		       !v.anchor_written ? ""
		       : v.anchor_logged ? "，已记入库外锚点和系统日志"
		                         : "，已记入库外锚点（系统日志没有运行，未记入）");
	else
		fprintf(stderr, "xinfang：核验未通过（%d 项）：%s\n", v.failures, v.first);
	int status = v.failures == 0 ? 0 : EXIT_REFUSED;
	verify_free(&v);
	return status;
}

/* xinfang backup FILE: an online copy, anchored. */
int cmd_backup(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("用法：xinfang backup 文件%s", "");
	struct xf_err err;
	struct xf_chain_head head;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = verify_backup(&c->session, argv[0], &head, &err);
	if (rc != XF_OK)
		return refused(&err);
	printf("已备份到 %s（操作日志到第 %lld 条，%.16s…）\n", argv[0], (long long)head.id, head.hash);
	return 0;
}

/* xinfang restore FILE where no store is yet (a new machine): the backup becomes the store,
 * its own admin account logging the restore. */
static int restore_new(struct cli *c, const char *file)
{
	struct xf_err err;
	struct xf_verify report;
	const char *user = c->user ? c->user : getenv("XINFANG_USER");
	if (str_empty(user)) {
		xf_err_set(&err, XF_EAUTH, "请指明备份里的管理员账户：--user 用户名，或设置 XINFANG_USER");
		return refused(&err);
	}
	char *pw = get_password("XINFANG_PASSWORD", "备份里该管理员的密码：");
	if (pw == NULL) {
		xf_err_set(&err, XF_EAUTH, "没有密码：请设置 XINFANG_PASSWORD，或在终端上运行以便输入");
		return refused(&err);
	}
	int rc = verify_restore_new(c->db, file, user, pw, &report, &err);
	free(pw);
	if (rc != XF_OK) {
		if (report.failures > 0)
			fputs(report.text.data, stderr);
		verify_free(&report);
		return refused(&err);
	}
	printf("已从 %s 恢复到新的数据库 %s\n", file, c->db);
	verify_free(&report);
	return 0;
}

/* xinfang restore FILE: a verified backup of this very store in its place. */
int cmd_restore(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("用法：xinfang restore 备份文件%s", "");
	struct stat sb;
	if (lstat(c->db, &sb) != 0 && errno == ENOENT)
		return restore_new(c, argv[0]);
	struct xf_err err;
	struct xf_verify report;
	char *aside = NULL;
	memset(&report, 0, sizeof report);
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = verify_restore(&c->session, argv[0], &report, &aside, &err);
	if (rc != XF_OK) {
		if (report.failures > 0)
			fputs(report.text.data, stderr);
		verify_free(&report);
		free(aside);
		return refused(&err);
	}
	printf("已从 %s 恢复 %s；原来的数据库留在 %s\n", argv[0], c->db, aside);
	verify_free(&report);
	free(aside);
	return 0;
}

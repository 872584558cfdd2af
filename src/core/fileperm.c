/* Files only the office can read. */
#include "xinfang/fileperm.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The office's mode and group. */
int fileperm_office(mode_t *mode, gid_t *gid, struct xf_err *err)
{
	*mode = 0600;
	*gid = (gid_t)-1;
	const char *name = getenv("XINFANG_GROUP");
	if (str_empty(name))
		return XF_OK;
	struct group grbuf, *gr = NULL;
	char buf[4096];
	if (getgrnam_r(name, &grbuf, buf, sizeof buf, &gr) != 0 || gr == NULL)
		return xf_err_set(err, XF_EINVAL, "XINFANG_GROUP 指定的用户组“%s”不存在：请改为本办的用户组，或不设置（则只有本账户可读写）",
		                  name);
	*mode = 0660;
	*gid = gr->gr_gid;
	return XF_OK;
}

/* Creates a new file with the office's mode and group. */
int fileperm_create(const char *path, struct xf_err *err)
{
	mode_t mode;
	gid_t gid;
	if (fileperm_office(&mode, &gid, err) != XF_OK)
		return -1;
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		xf_err_set(err, errno == EEXIST ? XF_EEXIST : XF_EIO, "无法建立文件 %s：%s", path, strerror(errno));
		return -1;
	}
	/* The umask may have taken bits away; the office's mode is exact. */
	if ((gid != (gid_t)-1 && fchown(fd, (uid_t)-1, gid) != 0) || fchmod(fd, mode) != 0) {
		xf_err_set(err, XF_EIO, "无法设定文件 %s 的权限或用户组：%s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/* Opens a file for writing (made or emptied) with exactly the office's mode and group:
 * exported ledgers and printed files hold what the store holds, so they are read as it is;
 * -1 with errno set when it cannot. */
int fileperm_open_output(const char *path)
{
	mode_t mode;
	gid_t gid;
	if (fileperm_office(&mode, &gid, NULL) != XF_OK) {
		errno = EINVAL;
		return -1;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	/* A file that was there keeps its old mode through O_CREAT, and the umask trims new ones. */
	if ((gid != (gid_t)-1 && fchown(fd, (uid_t)-1, gid) != 0) || fchmod(fd, mode) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Gives a file of ours the office's group. */
void fileperm_follow(const char *path)
{
	mode_t mode;
	gid_t gid;
	struct stat sb;
	if (fileperm_office(&mode, &gid, NULL) != XF_OK || gid == (gid_t)-1)
		return;
	if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid() || sb.st_gid == gid)
		return;
	if (chown(path, (uid_t)-1, gid) == 0)
		chmod(path, sb.st_mode & 0770);
}

/* Appends a path to a shell command line, quoted when it needs to be. */
static void shell_word(struct xf_buf *b, const char *s)
{
	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-+") == strlen(s)) {
		buf_printf(b, " %s", s);
		return;
	}
	buf_puts(b, " '");
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_add(b, s, 1);
	}
	buf_puts(b, "'");
}

/* The warning for a store others can read. */
char *fileperm_warning(const char *db_path)
{
	mode_t mode;
	gid_t gid;
	if (fileperm_office(&mode, &gid, NULL) != XF_OK)
		gid = (gid_t)-1, mode = 0600;
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	struct xf_buf files;
	buf_init(&files);
	mode_t worst = 0;
	bool group_wrong = false;
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char *p = xasprintf("%s%s", db_path, suffixes[i]);
		struct stat sb;
		if (stat(p, &sb) == 0) {
			bool others = (sb.st_mode & S_IRWXO) != 0;
			bool group = (sb.st_mode & S_IRWXG) != 0 && (gid == (gid_t)-1 || sb.st_gid != gid);
			if (others || group) {
				worst |= sb.st_mode & 0777;
				group_wrong = group_wrong || (gid != (gid_t)-1 && sb.st_gid != gid);
				shell_word(&files, p);
			}
		}
		free(p);
	}
	if (files.len == 0) {
		buf_free(&files);
		return NULL;
	}
	char *msg;
	if (group_wrong)
		msg = xasprintf("警告：数据库文件不只本办可读（权限 %03o，用户组不是 %s）：请运行 chgrp %s%s && chmod %03o%s",
		                (unsigned)worst, getenv("XINFANG_GROUP"), getenv("XINFANG_GROUP"), files.data, (unsigned)mode,
		                files.data);
	else
		msg = xasprintf("警告：数据库文件本机其他用户也能读取（权限 %03o）：请运行 chmod %03o%s", (unsigned)worst,
		                (unsigned)mode, files.data);
	buf_free(&files);
	return msg;
}

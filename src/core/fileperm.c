/* Files only the office can read. */
#include "xinfang/fileperm.h"
#include "xinfang/config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The office's mode and group. */
int fileperm_office(mode_t *mode, gid_t *gid, struct xf_err *err)
{
	*mode = 0600;
	*gid = (gid_t)-1;
	const char *name = config_get("group");
	if (str_empty(name))
		return XF_OK;
	struct group grbuf, *gr = NULL;
	char buf[4096];
	if (getgrnam_r(name, &grbuf, buf, sizeof buf, &gr) != 0 || gr == NULL)
		return xf_err_set(err, XF_EINVAL, "配置的用户组“%s”（group，xinfang config 显示出处）不存在：请管理员建立该组（addgroup --system %s）并把操作员加入，"
		                  "或改为本办已有的用户组；不设置则只有本账户可读写",
		                  name, name);
	*mode = 0660;
	*gid = gr->gr_gid;
	return XF_OK;
}

/* Says why a file could not be read, in Chinese with what to do. */
int fileperm_read_error(struct xf_err *err, int errnum, const char *what, const char *path)
{
	switch (errnum) {
	case ENOENT:
	case ENOTDIR:
		return xf_err_set(err, XF_EIO, "找不到%s %s：请检查文件名和所在目录", what, path);
	case EACCES:
	case EPERM:
		return xf_err_set(err, XF_EIO, "无法读取%s %s：没有读权限。请让文件的主人放开读权限，或复制一份到自己的目录", what,
		                  path);
	case EISDIR:
		return xf_err_set(err, XF_EIO, "%s %s 是一个目录：请写出其中的文件名", what, path);
	case ELOOP:
		return xf_err_set(err, XF_EIO, "无法读取%s %s：符号链接绕成了圈。请写出真实的位置", what, path);
	default:
		return xf_err_set(err, XF_EIO, "无法读取%s %s（系统错误：%s）。请检查文件后重试", what, path, strerror(errnum));
	}
}

/* Says why a file could not be written and what to do, in Chinese. */
int fileperm_write_error(struct xf_err *err, int errnum, const char *what, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup("当前目录") : slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	int rc;
	switch (errnum) {
	case ENOENT:
	case ENOTDIR: {
		struct stat sb;
		bool there = slash != NULL && stat(dir, &sb) == 0;
		if (there && S_ISDIR(sb.st_mode))
			rc = xf_err_set(err, XF_EIO, "无法写入%s %s：目录 %s 里不能新建文件。请换一个位置", what, path, dir);
		else if (there)
			rc = xf_err_set(err, XF_EIO, "无法写入%s %s：%s 是文件，不是目录。请换一个位置", what, path, dir);
		else
			rc = xf_err_set(err, XF_EIO, "无法写入%s %s：目录 %s 不存在。请先建好这个目录，或换一个位置", what, path, dir);
		break;
	}
	case EACCES:
	case EPERM:
		rc = xf_err_set(err, XF_EIO, "无法写入%s %s：没有写权限（本账户不能写目录 %s 或这个文件）。请换一个可写的位置，如自己的主目录", what,
		                path, dir);
		break;
	case EROFS:
		rc = xf_err_set(err, XF_EIO, "无法写入%s %s：所在的磁盘只读。请换一个位置", what, path);
		break;
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
		rc = xf_err_set(err, XF_EIO, "无法写入%s %s：磁盘已满（或超过了本账户的限额）。请清理磁盘空间后重试，或换一个位置", what,
		                path);
		break;
	case EISDIR:
		rc = xf_err_set(err, XF_EIO, "无法写入%s %s：这是一个目录。请写出文件名", what, path);
		break;
	case EEXIST:
		rc = xf_err_set(err, XF_EEXIST, "%s %s 已存在：请换一个文件名，原文件未动", what, path);
		break;
	case ELOOP:
		rc = xf_err_set(err, XF_EIO, "无法写入%s %s：这是一个符号链接，不经它写入。请写出真实的位置", what, path);
		break;
	case ENAMETOOLONG:
		rc = xf_err_set(err, XF_EIO, "无法写入%s %s：文件名太长。请换一个短些的名字", what, path);
		break;
	default:
		rc = xf_err_set(err, XF_EIO, "无法写入%s %s（系统错误：%s）。请换一个位置后重试", what, path, strerror(errnum));
		break;
	}
	free(dir);
	return rc;
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
		fileperm_write_error(err, errno, "文件", path);
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
		                (unsigned)worst, config_get("group"), config_get("group"), files.data, (unsigned)mode,
		                files.data);
	else
		msg = xasprintf("警告：数据库文件本机其他用户也能读取（权限 %03o）：请运行 chmod %03o%s", (unsigned)worst,
		                (unsigned)mode, files.data);
	buf_free(&files);
	return msg;
}

/* Refuses a file name whose extension says another format than the one written. */
int fileperm_check_extension(const char *path, const char *own_ext, bool only_own, const char *written,
                             const char *advice, struct xf_err *err)
{
	if (strcmp(path, "-") == 0)
		return XF_OK;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	const char *ext = dot && dot != base ? dot + 1 : "";
	if (strcasecmp(ext, own_ext) == 0)
		return XF_OK;
	if (only_own)
		return xf_err_set(err, XF_EINVAL, "文件名 %s 与格式不符：%s请存为 .%s 文件；%s", base, written, own_ext, advice);
	static const char *const others[] = {"csv", "xlsx", "xls", "xlsm", "xlsb", "ods", "et", "pdf", "doc", "docx", "wps"};
	/* A PDF's bytes under a text file's name open as garbage in a text editor too. */
	bool contradicts = strcasecmp(own_ext, "pdf") == 0 && strcasecmp(ext, "txt") == 0;
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		contradicts |= strcasecmp(ext, others[i]) == 0;
	if (contradicts)
		return xf_err_set(err, XF_EINVAL, "文件名 %s 与格式不符：写出的是%s，按 .%s 打开会出错。%s", base, written, ext,
		                  advice);
	return XF_OK;
}

/* Gives a new file the mode and group of `like` (and its owner when run as root), or, without
 * it, the office's mode and group; -1 with errno when it cannot. */
static int out_set_owner(int fd, const char *like)
{
	mode_t mode;
	gid_t gid;
	struct stat sb;
	if (like != NULL && stat(like, &sb) == 0) {
		mode = sb.st_mode & 0660;
		if (geteuid() == 0) {
			if (fchown(fd, sb.st_uid, sb.st_gid) != 0)
				return -1;
		} else if (sb.st_gid != getegid()) {
			/* Only a group this account is in can be given; otherwise the group keeps out. */
			if (fchown(fd, (uid_t)-1, sb.st_gid) != 0)
				mode &= 0600;
		}
		return fchmod(fd, mode | 0600);
	}
	if (fileperm_office(&mode, &gid, NULL) != XF_OK) {
		errno = EINVAL;
		return -1;
	}
	if (gid != (gid_t)-1 && fchown(fd, (uid_t)-1, gid) != 0)
		return -1;
	return fchmod(fd, mode);
}

/* Removes a private directory and whatever a library left in it. */
static void out_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d != NULL) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

/* Frees an output file's names. */
static void out_free(struct xf_outfile *o)
{
	free(o->path);
	free(o->tmp);
	free(o->dir);
	o->path = o->tmp = o->dir = NULL;
}

/* Starts an output file: a new temporary file beside the final name. */
int fileperm_out_begin(struct xf_outfile *o, const char *path, const char *what, unsigned flags, const char *like,
                       struct xf_err *err)
{
	memset(o, 0, sizeof *o);
	o->fd = -1;
	o->what = what;
	o->flags = flags;
	struct stat sb;
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
		return fileperm_write_error(err, ELOOP, what, path);
	if ((flags & XF_OUT_NO_REPLACE) && lstat(path, &sb) == 0)
		return fileperm_write_error(err, EEXIST, what, path);
	o->path = xstrdup(path);
	char *pattern = xasprintf("%s.partial-XXXXXX", path);
	int fd;
	if (flags & XF_OUT_BY_NAME) {
		if (mkdtemp(pattern) == NULL) {
			int rc = fileperm_write_error(err, errno, what, path);
			free(pattern);
			out_free(o);
			return rc;
		}
		o->dir = pattern;
		const char *slash = strrchr(path, '/');
		o->tmp = xasprintf("%s/%s", o->dir, slash ? slash + 1 : path);
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	} else {
		o->tmp = pattern;
		fd = mkostemp(o->tmp, O_CLOEXEC);
	}
	if (fd < 0) {
		int rc = fileperm_write_error(err, errno, what, path);
		if (o->dir)
			rmdir(o->dir);
		out_free(o);
		return rc;
	}
	if (out_set_owner(fd, like) != 0) {
		int rc = xf_err_set(err, XF_EIO, "无法设定%s %s 的权限或用户组（%s）：请检查 XINFANG_GROUP 和目录的权限", what, path,
		                    strerror(errno));
		close(fd);
		fileperm_out_abort(o);
		return rc;
	}
	if (flags & XF_OUT_BY_NAME)
		close(fd);
	else
		o->fd = fd;
	return XF_OK;
}

/* Syncs the directory holding path, so a rename in it outlives a power cut. */
static void out_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Renames without replacing: renameat2's RENAME_NOREPLACE, or link and unlink where the file
 * system lacks it. */
static int out_rename_new(const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	if (link(from, to) != 0)
		return -1;
	unlink(from);
	return 0;
}

/* Puts a finished output file in place. */
int fileperm_out_commit(struct xf_outfile *o, struct xf_err *err)
{
	int failed = 0, saved = 0;
	if (o->fd >= 0) {
		failed = fsync(o->fd) != 0;
		saved = errno;
		if (close(o->fd) != 0 && !failed)
			failed = 1, saved = errno;
		o->fd = -1;
	} else {
		/* A library wrote and closed it: its bytes reach the disk before the name does. */
		int fd = open(o->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		failed = fd < 0 || fsync(fd) != 0;
		saved = errno;
		if (fd >= 0)
			close(fd);
	}
	struct stat sb;
	if (!failed && lstat(o->path, &sb) == 0 && S_ISLNK(sb.st_mode))
		failed = 1, saved = ELOOP;
	if (!failed && ((o->flags & XF_OUT_NO_REPLACE) ? out_rename_new(o->tmp, o->path) : rename(o->tmp, o->path)) != 0)
		failed = 1, saved = errno;
	if (failed) {
		int rc = fileperm_write_error(err, saved, o->what, o->path);
		fileperm_out_abort(o);
		return rc;
	}
	out_sync_dir(o->path);
	if (o->dir)
		out_remove_dir(o->dir);
	out_free(o);
	return XF_OK;
}

/* Removes what a failed output left. */
void fileperm_out_abort(struct xf_outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp)
		unlink(o->tmp);
	if (o->dir)
		out_remove_dir(o->dir);
	out_free(o);
}

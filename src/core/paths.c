/* Locations of the data directory and the store, and whole-file reads. */
#include "xinfang/paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xf_config.h"

/* True when path is a directory. */
static int is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The directory of the running program, resolved ("" when unknown). */
static const char *program_dir(void)
{
	static char dir[PATH_MAX];
	static bool done;
	if (!done) {
		done = true;
		char *exe = realpath("/proc/self/exe", NULL);
		if (exe) {
			char *slash = strrchr(exe, '/');
			if (slash)
				*slash = '\0';
			snprintf(dir, sizeof dir, "%s", exe);
			free(exe);
		}
	}
	return dir;
}

/* True when the running program is the build tree's. The build directory is looked at only
 * when the program's directory has its name, so an installed program never touches it. */
bool paths_in_build_tree(void)
{
	const char *dir = program_dir(), *build = XF_BUILDDIR;
	if (strcmp(dir, build) == 0)
		return true;
	const char *a = strrchr(dir, '/'), *b = strrchr(build, '/');
	if (a == NULL || b == NULL || strcmp(a, b) != 0)
		return false;
	char *real = realpath(build, NULL);
	bool same = real != NULL && strcmp(real, dir) == 0;
	free(real);
	return same;
}

/* The installed directory: beside the program (bin/../share/xinfang[/forms]) when it is
 * there, else the configured prefix's. */
static const char *installed(const char *relative, const char *configured, char *buf, size_t n)
{
	if (*program_dir()) {
		snprintf(buf, n, "%s/%s", program_dir(), relative);
		if (is_dir(buf))
			return buf;
	}
	return configured;
}

/* The data directory. */
const char *paths_datadir(void)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("XINFANG_DATA");
	if (env != NULL && *env)
		return env;
	if (paths_in_build_tree())
		return XF_DATADIR_SOURCE;
	return installed(XF_DATADIR_FROM_BINDIR, XF_DATADIR_INSTALLED, buf, sizeof buf);
}

/* The forms directory. */
const char *paths_formsdir(void)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("XINFANG_FORMS");
	if (env != NULL && *env)
		return env;
	if (paths_in_build_tree())
		return XF_FORMSDIR_SOURCE;
	return installed(XF_DATADIR_FROM_BINDIR "/forms", XF_FORMSDIR_INSTALLED, buf, sizeof buf);
}

/* The default store path. */
char *paths_default_db(void)
{
	const char *env = getenv("XINFANG_DB");
	if (env != NULL && *env)
		return xstrdup(env);
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg != NULL && *xdg)
		return xasprintf("%s/xinfang/xinfang.db", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/xinfang/xinfang.db", home && *home ? home : ".");
}

/* mkdir -p of the parent directory. */
int paths_make_parent(const char *path, struct xf_err *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir) {
		free(dir);
		return XF_OK;
	}
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			int rc = xf_err_set(err, XF_EIO, "无法建立目录 %s：%s", dir, strerror(errno));
			free(dir);
			return rc;
		}
		*p = '/';
	}
	int rc = XF_OK;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		rc = xf_err_set(err, XF_EIO, "无法建立目录 %s：%s", dir, strerror(errno));
	free(dir);
	return rc;
}

/* Reads a file into a NUL-terminated buffer. */
int paths_read_file(const char *path, char **text, size_t *len, struct xf_err *err)
{
	*text = NULL;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return xf_err_set(err, XF_EIO, "无法读取文件 %s：%s", path, strerror(errno));
	struct xf_buf b;
	buf_init(&b);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > 16u << 20) {
			fclose(f);
			buf_free(&b);
			return xf_err_set(err, XF_EINVAL, "文件 %s 太大（超过 16 MiB）", path);
		}
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		buf_free(&b);
		return xf_err_set(err, XF_EIO, "读取文件 %s 出错", path);
	}
	if (len)
		*len = b.len;
	*text = b.data;
	return XF_OK;
}

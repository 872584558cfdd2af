/* Locations of the data directory and the store, and whole-file reads. */
#include "xinfang/paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xinfang/config.h"
#include "xf_config.h"

/* True when path is a directory. */
static int is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The directory of the running program, resolved ("" when unknown). */
const char *paths_program_dir(void)
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

/* The source tree of the build tree the program sits in, read from the build tree's
 * meson-info/meson-info.json ("" for an installed program, which has none beside it). */
static const char *tree_source(void)
{
	static char source[PATH_MAX];
	static bool done;
	if (done)
		return source;
	done = true;
	if (*paths_program_dir() == '\0')
		return source;
	char *info = xasprintf("%s/meson-info/meson-info.json", paths_program_dir());
	char *text = NULL;
	struct xf_err err;
	if (paths_read_file(info, &text, NULL, &err) == XF_OK) {
		const char *dirs = strstr(text, "\"directories\"");
		const char *key = dirs ? strstr(dirs, "\"source\"") : NULL;
		const char *q = key ? strchr(key + 8, '"') : NULL;
		size_t n = 0;
		/* The path is a JSON string: only \\ and \" are expected in a directory name. */
		for (const char *p = q ? q + 1 : NULL; p && *p && *p != '"' && n + 1 < sizeof source; p++) {
			if (*p == '\\' && (p[1] == '\\' || p[1] == '"'))
				p++;
			source[n++] = *p;
		}
		source[n] = '\0';
		if (source[0] != '/' || !is_dir(source))
			source[0] = '\0';
	}
	free(text);
	free(info);
	return source;
}

/* True when the running program is the build tree's: meson's build directory holds it. */
bool paths_in_build_tree(void)
{
	return *tree_source() != '\0';
}

/* The installed directory: beside the program (bin/../share/xinfang[/forms]) when it is
 * there, else the configured prefix's. */
const char *paths_installed(const char *relative, const char *configured, char *buf, size_t n)
{
	if (*paths_program_dir()) {
		char *beside = xasprintf("%s/%s", paths_program_dir(), relative);
		char *real = is_dir(beside) ? realpath(beside, NULL) : NULL;
		bool found = real != NULL;
		if (found)
			snprintf(buf, n, "%s", real);
		free(real);
		free(beside);
		if (found)
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
	if (paths_in_build_tree()) {
		snprintf(buf, sizeof buf, "%s/data", tree_source());
		return buf;
	}
	return paths_installed(XF_DATADIR_FROM_BINDIR, XF_DATADIR_INSTALLED, buf, sizeof buf);
}

/* The forms directory. */
const char *paths_formsdir(void)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("XINFANG_FORMS");
	if (env != NULL && *env)
		return env;
	if (paths_in_build_tree()) {
		snprintf(buf, sizeof buf, "%s/forms", tree_source());
		return buf;
	}
	return paths_installed(XF_DATADIR_FROM_BINDIR "/forms", XF_DATADIR_INSTALLED "/forms", buf, sizeof buf);
}

/* The per-user store. */
char *paths_user_db(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/xinfang/xinfang.db", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/xinfang/xinfang.db", home && *home ? home : ".");
}

/* The default store path: the configuration's. */
char *paths_default_db(void)
{
	return xstrdup(config_get("db"));
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

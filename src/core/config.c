/* The configuration's layers: built-in defaults, /etc/xinfang, the user's, environment,
 * command line. */
#include "xinfang/config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinfang/paths.h"
#include "xinfang/store.h"
#include "xf_config.h"

/* What a value must look like. */
enum kind { K_TEXT, K_PATH, K_FORMAT, K_COLOR, K_INT };

/* A setting: its key, variable, check and built-in default. */
struct spec {
	const char *key, *env, *about;
	enum kind kind;
	long lo, hi;
};

static const struct spec specs[] = {
	{"db", "XINFANG_DB", "数据库文件", K_PATH, 0, 0},
	{"group", "XINFANG_GROUP", "本办的用户组（数据库等文件 0660 归此组）", K_TEXT, 0, 0},
	{"printer", "XINFANG_PRINTER", "默认打印队列（空：用 xinfang printer 的设定）", K_TEXT, 0, 0},
	{"format", "XINFANG_FORMAT", "默认打印格式 pdf 或 text（空：用 xinfang printer 的设定）", K_FORMAT, 0, 0},
	{"page_lines", "XINFANG_PAGE_LINES", "文本页每页行数", K_INT, 20, 500},
	{"page_columns", "XINFANG_PAGE_COLUMNS", "文本页每行列数", K_INT, 40, 400},
	{"color", "XINFANG_COLOR", "工作台用颜色 yes 或 no", K_COLOR, 0, 0},
	{"backup_dir", "XINFANG_BACKUP_DIR", "每晚备份放在哪个目录", K_PATH, 0, 0},
	{"backup_keep", "XINFANG_BACKUP_KEEP", "保留几份每晚备份", K_INT, 1, 3650},
	{"anchor", "XINFANG_ANCHOR", "PostgreSQL 数据库的库外锚点：一个文件，或一个目录（以 / 结尾，每个数据库一个锚点文件）；SQLite 文件的锚点在它旁边", K_PATH, 0, 0},
};
enum { N_SPECS = sizeof specs / sizeof specs[0] };

static struct xf_config_item items[N_SPECS];
static char *owned_value[N_SPECS], *owned_origin[N_SPECS];
static bool loaded;

/* The built-in default of a setting (a new string). */
static char *builtin(const char *key)
{
	bool tree = paths_in_build_tree();
	if (strcmp(key, "db") == 0)
		return tree ? paths_user_db() : xstrdup(XF_STATEDIR "/xinfang.db");
	if (strcmp(key, "anchor") == 0) { /* a directory: one anchor file per database in it */
		if (!tree)
			return xstrdup(XF_STATEDIR "/");
		char *db = paths_user_db(), *slash = strrchr(db, '/');
		if (slash)
			*slash = '\0';
		char *anchor = xasprintf("%s/", db);
		free(db);
		return anchor;
	}
	if (strcmp(key, "backup_dir") == 0) {
		if (!tree)
			return xstrdup(XF_BACKUPDIR);
		char *db = paths_user_db(), *slash = strrchr(db, '/');
		if (slash)
			*slash = '\0';
		char *dir = xasprintf("%s/backups", db);
		free(db);
		return dir;
	}
	if (strcmp(key, "page_lines") == 0)
		return xstrdup("66");
	if (strcmp(key, "page_columns") == 0)
		return xstrdup("90");
	if (strcmp(key, "color") == 0)
		return xstrdup("yes");
	if (strcmp(key, "backup_keep") == 0)
		return xstrdup("14");
	return xstrdup("");
}

/* The index of key, or -1. */
static int find(const char *key)
{
	for (int i = 0; i < N_SPECS; i++)
		if (strcmp(specs[i].key, key) == 0)
			return i;
	return -1;
}

/* Replaces setting i's value and where it came from (both copied). */
static void put(int i, const char *value, enum xf_config_layer layer, char *origin)
{
	free(owned_value[i]);
	free(owned_origin[i]);
	owned_value[i] = xstrdup(value);
	owned_origin[i] = origin;
	items[i].value = owned_value[i];
	items[i].origin = owned_origin[i];
	items[i].layer = layer;
}

/* Checks a value against its setting's kind; says what is allowed. */
static int check(int i, const char *value, const char *where, struct xf_err *err)
{
	const struct spec *s = &specs[i];
	switch (s->kind) {
	case K_FORMAT:
		if (*value && strcmp(value, "pdf") != 0 && strcmp(value, "text") != 0)
			return xf_err_set(err, XF_EINVAL, "%s：%s 只能是 pdf 或 text（或留空），不是“%s”", where, s->key, value);
		break;
	case K_COLOR:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return xf_err_set(err, XF_EINVAL, "%s：%s 只能是 yes 或 no，不是“%s”", where, s->key, value);
		break;
	case K_INT: {
		char *end;
		errno = 0;
		long n = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0 || n < s->lo || n > s->hi)
			return xf_err_set(err, XF_EINVAL, "%s：%s 应是 %ld 到 %ld 之间的整数，不是“%s”", where, s->key, s->lo, s->hi,
			                  value);
		break;
	}
	case K_PATH:
		if (*value == '\0')
			return xf_err_set(err, XF_EINVAL, "%s：%s 不能为空：请写出完整的路径，或删掉这一行用默认值", where, s->key);
		break;
	case K_TEXT:
		break;
	}
	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return xf_err_set(err, XF_EINVAL, "%s：%s 的值含控制字符：请只写可见的文字", where, s->key);
	return XF_OK;
}

/* Cuts blanks off both ends of s in place. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* Reads one xinfang.conf into the layer; a missing file is no error. */
static int read_conf(const char *dir, enum xf_config_layer layer, struct xf_err *err)
{
	if (str_empty(dir))
		return XF_OK;
	char *path = xasprintf("%s/xinfang.conf", dir);
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		int e = errno;
		int rc = XF_OK;
		if (e != ENOENT && e != ENOTDIR)
			rc = xf_err_set(err, XF_EIO, "无法读取配置文件 %s：%s。请让管理员放开读权限（应为 0644）", path, strerror(e));
		free(path);
		return rc;
	}
	char line[4096];
	int no = 0, rc = XF_OK;
	while (rc == XF_OK && fgets(line, sizeof line, f)) {
		no++;
		char *where = xasprintf("配置文件 %s 第 %d 行", path, no);
		char *s = trim(line);
		char *eq = strchr(s, '=');
		if (*s == '\0' || *s == '#') {
			/* blank or a comment */
		} else if (eq == NULL) {
			rc = xf_err_set(err, XF_EINVAL, "%s：应写成“键 = 值”（例如 group = xinfang），不是“%.60s”", where, s);
		} else {
			*eq = '\0';
			char *key = trim(s), *value = trim(eq + 1);
			int i = find(key);
			if (i < 0)
				rc = xf_err_set(err, XF_EINVAL,
				                "%s：不认识的设置“%.40s”。可用的有 db group printer format page_lines page_columns "
				                "color backup_dir backup_keep（xinfang config 列出全部）",
				                where, key);
			else if ((rc = check(i, value, where, err)) == XF_OK)
				put(i, value, layer, xasprintf("%s:%d", path, no));
		}
		free(where);
	}
	fclose(f);
	free(path);
	return rc;
}

/* The environment's layer: each setting's variable; NO_COLOR and XINFANG_MONO turn colour off. */
static int read_env(struct xf_err *err)
{
	for (int i = 0; i < N_SPECS; i++) {
		const char *v = getenv(specs[i].env);
		if (str_empty(v))
			continue;
		char *where = xasprintf("环境变量 %s", specs[i].env);
		int rc = check(i, v, where, err);
		free(where);
		if (rc != XF_OK)
			return rc;
		put(i, v, XF_CONF_ENV, xstrdup(specs[i].env));
	}
	int c = find("color");
	const char *mono = getenv("XINFANG_MONO"), *no_color = getenv("NO_COLOR");
	if (!str_empty(mono) && strcmp(mono, "0") != 0)
		put(c, "no", XF_CONF_ENV, xstrdup("XINFANG_MONO"));
	else if (!str_empty(no_color))
		put(c, "no", XF_CONF_ENV, xstrdup("NO_COLOR"));
	return XF_OK;
}

/* Reads every layer below the command line. */
int config_load(struct xf_err *err)
{
	for (int i = 0; i < N_SPECS; i++) {
		items[i].key = specs[i].key;
		items[i].env = specs[i].env;
		items[i].about = specs[i].about;
		char *def = builtin(specs[i].key);
		put(i, def, XF_CONF_BUILTIN, xstrdup("内置"));
		free(def);
	}
	loaded = true;
	int rc = read_conf(config_sysconfdir(), XF_CONF_SYSTEM, err);
	if (rc == XF_OK)
		rc = read_conf(config_userdir(), XF_CONF_USER, err);
	if (rc == XF_OK)
		rc = read_env(err);
	return rc;
}

/* Loads quietly when nobody has yet. */
static void ensure_loaded(void)
{
	if (!loaded) {
		struct xf_err err;
		config_load(&err);
	}
}

/* A command-line value. */
int config_set_cmdline(const char *key, const char *value, const char *option, struct xf_err *err)
{
	ensure_loaded();
	int i = find(key);
	if (i < 0)
		return xf_err_set(err, XF_EINVAL, "不认识的设置“%.40s”：xinfang config 列出全部可用的设置", key);
	int rc = check(i, value, option, err);
	if (rc == XF_OK)
		put(i, value, XF_CONF_CMDLINE, xstrdup(option));
	return rc;
}

/* True when setting i's variable no longer says what was read from it (a program that sets
 * its own environment, as the tests do, is followed as it was when each use read getenv). */
static bool env_moved(int i)
{
	if (items[i].layer == XF_CONF_CMDLINE)
		return false;
	const char *now = getenv(specs[i].env);
	if (items[i].layer == XF_CONF_ENV && strcmp(items[i].origin, specs[i].env) == 0)
		return str_empty(now) || strcmp(now, items[i].value) != 0;
	return !str_empty(now);
}

/* The value in force. */
const char *config_get(const char *key)
{
	ensure_loaded();
	int i = find(key);
	if (i < 0)
		return "";
	if (env_moved(i)) {
		/* Read the layers again under the environment as it is now; a value given on the
		 * command line stays. */
		int saved[N_SPECS];
		char *values[N_SPECS], *origins[N_SPECS];
		for (int k = 0; k < N_SPECS; k++) {
			saved[k] = items[k].layer == XF_CONF_CMDLINE;
			values[k] = saved[k] ? xstrdup(items[k].value) : NULL;
			origins[k] = saved[k] ? xstrdup(items[k].origin) : NULL;
		}
		struct xf_err err;
		config_load(&err);
		for (int k = 0; k < N_SPECS; k++) {
			if (saved[k])
				put(k, values[k], XF_CONF_CMDLINE, origins[k]);
			free(values[k]);
		}
	}
	return items[i].value == NULL ? "" : items[i].value;
}

/* A number in force, or the fallback. */
long config_get_long(const char *key, long lo, long hi, long fallback)
{
	const char *v = config_get(key);
	char *end;
	long n = strtol(v, &end, 10);
	return *v && *end == '\0' && n >= lo && n <= hi ? n : fallback;
}

/* How many settings there are. */
size_t config_count(void)
{
	return N_SPECS;
}

/* The i-th setting as it stands. */
const struct xf_config_item *config_item(size_t i)
{
	ensure_loaded();
	return i < N_SPECS ? &items[i] : NULL;
}

/* A layer's name. */
const char *config_layer_name(enum xf_config_layer layer)
{
	switch (layer) {
	case XF_CONF_BUILTIN:
		return "内置默认";
	case XF_CONF_SYSTEM:
		return "本办配置";
	case XF_CONF_USER:
		return "个人配置";
	case XF_CONF_ENV:
		return "环境变量";
	case XF_CONF_CMDLINE:
		return "命令行";
	}
	return "";
}

/* The office's directory: the variable; none for the build tree's program (it must not pick up
 * an installed office's settings); the one beside an installed program's bin/ (a staged
 * install); else the configured one. */
const char *config_sysconfdir(void)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("XINFANG_SYSCONFDIR");
	if (!str_empty(env))
		return env;
	if (paths_in_build_tree())
		return "";
	return paths_installed(XF_SYSCONF_FROM_BINDIR, XF_SYSCONFDIR, buf, sizeof buf);
}

/* The user's directory. */
const char *config_userdir(void)
{
	static char buf[PATH_MAX + 64];
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (!str_empty(xdg) && xdg[0] == '/')
		snprintf(buf, sizeof buf, "%s/xinfang", xdg);
	else if (!str_empty(home))
		snprintf(buf, sizeof buf, "%s/.config/xinfang", home);
	else
		return "";
	return buf;
}

/* The list file in force. */
char *config_list_file(const char *datadir, const char *name)
{
	if (!str_empty(getenv("XINFANG_DATA")))
		return xasprintf("%s/%s", datadir, name);
	const char *dirs[] = {config_userdir(), config_sysconfdir()};
	for (size_t i = 0; i < 2; i++) {
		if (str_empty(dirs[i]))
			continue;
		char *path = xasprintf("%s/%s", dirs[i], name);
		if (access(path, F_OK) == 0)
			return path;
		free(path);
	}
	return xasprintf("%s/%s", datadir, name);
}

/* True when this process has gid among its groups. */
static bool in_group(gid_t gid)
{
	if (getegid() == gid)
		return true;
	int n = getgroups(0, NULL);
	if (n <= 0)
		return false;
	gid_t *list = xmalloc((size_t)n * sizeof *list);
	n = getgroups(n, list);
	bool found = false;
	for (int i = 0; i < n && !found; i++)
		found = list[i] == gid;
	free(list);
	return found;
}

/* Refuses, in the office's words, a user outside the office group who cannot reach the store. */
int config_check_member(const char *db, struct xf_err *err)
{
	const char *name = config_get("group");
	if (str_empty(name) || geteuid() == 0 || store_locator_is_server(db)) /* a server grants its own */
		return XF_OK;
	struct group grbuf, *gr = NULL;
	char buf[4096];
	if (getgrnam_r(name, &grbuf, buf, sizeof buf, &gr) != 0 || gr == NULL || in_group(gr->gr_gid))
		return XF_OK;
	/* Outside the group: only a store this account may reach on its own is fine. */
	char *dir = xstrdup(db), *slash = strrchr(dir, '/');
	if (slash != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	bool reachable = access(slash ? dir : ".", W_OK | X_OK) == 0 && (access(db, F_OK) != 0 || access(db, R_OK | W_OK) == 0);
	free(dir);
	if (reachable)
		return XF_OK;
	struct passwd pwbuf, *pw = NULL;
	char pbuf[4096];
	const char *me = getpwuid_r(geteuid(), &pwbuf, pbuf, sizeof pbuf, &pw) == 0 && pw ? pw->pw_name : "本账户";
	return xf_err_set(err, XF_EDENIED,
	                  "账户 %s 不在本办的用户组 %s 里，不能使用本办的数据库 %s：请管理员运行 adduser %s %s，"
	                  "然后重新登录再试",
	                  me, name, db, me, name);
}

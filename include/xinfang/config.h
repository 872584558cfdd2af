/* One configuration in layers: built-in defaults, the office's /etc/xinfang/xinfang.conf, the
 * user's $XDG_CONFIG_HOME/xinfang/xinfang.conf, the environment, the command line; the later
 * layer wins. The office-edited lists (departments, categories, limits, warning bands …) are
 * looked up in the same layers. */
#ifndef XINFANG_CONFIG_H
#define XINFANG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "xinfang/util.h"

/* Where a value in force came from. */
enum xf_config_layer {
	XF_CONF_BUILTIN,
	XF_CONF_SYSTEM,  /* /etc/xinfang/xinfang.conf (or $XINFANG_SYSCONFDIR) */
	XF_CONF_USER,    /* $XDG_CONFIG_HOME/xinfang/xinfang.conf */
	XF_CONF_ENV,     /* an environment variable */
	XF_CONF_CMDLINE, /* --db, --set KEY=VALUE */
};

/* One setting as it stands. */
struct xf_config_item {
	const char *key;   /* as written in xinfang.conf */
	const char *env;   /* its environment variable */
	const char *about; /* one line in Chinese */
	const char *value; /* "" when unset */
	enum xf_config_layer layer;
	const char *origin; /* the file (with its line), the variable or the option */
};

/* Reads the two configuration files and the environment (again if called again); a broken
 * file is refused with its name, line and what to write instead. */
int config_load(struct xf_err *err);
/* Sets a value from the command line (--db, --set); refuses an unknown key or a bad value. */
int config_set_cmdline(const char *key, const char *value, const char *option, struct xf_err *err);
/* The value in force ("" when unset); loads the layers quietly on first use. */
const char *config_get(const char *key);
/* The value as a number within [lo, hi], else fallback. */
long config_get_long(const char *key, long lo, long hi, long fallback);
/* The number of settings, and the i-th as it stands (for `xinfang config`). */
size_t config_count(void);
const struct xf_config_item *config_item(size_t i);
/* A layer's name in Chinese. */
const char *config_layer_name(enum xf_config_layer layer);

/* The office's configuration directory: $XINFANG_SYSCONFDIR, else the installed /etc/xinfang. */
const char *config_sysconfdir(void);
/* The user's configuration directory: $XDG_CONFIG_HOME/xinfang, else ~/.config/xinfang. */
const char *config_userdir(void);
/* Where an office list (e.g. "departments.txt") is read from (a new string): datadir when
 * $XINFANG_DATA names it; else the user's copy, else the office's /etc/xinfang copy, else
 * datadir's. */
char *config_list_file(const char *datadir, const char *name);
/* XF_EDENIED with what to do when the configured office group exists, this account is not in
 * it (and not root) and cannot reach the store db on its own. */
int config_check_member(const char *db, struct xf_err *err);

#endif

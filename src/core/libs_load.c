/* Loads the printing and XLSX libraries and ICU on first use (pdf_libs.h, xlsx_libs.h,
 * icu_libs.h): dlopen of each library by its soname, then every function the code calls found
 * by name. The phone module (phone_module.h) the same way, from its own file. */
#define XF_LIBS_LOADER
#include "icu_libs.h"
#include "pdf_libs.h"
#include "phone_module.h"
#include "xlsx_libs.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinfang/paths.h"
#include "xf_config.h"

struct xf_pdf_libs xf_pdf_libs;
struct xf_xlsx_libs xf_xlsx_libs;
struct xf_icu_libs xf_icu_libs;

/* A function to find: its name and where its address goes. */
struct libs_symbol {
	const char *name;
	void **slot;
};

/* Opens the libraries (global, so each finds the others' symbols), then finds every symbol,
 * once (*loaded says it was done); the message of the first that is missing. */
static int libs_open(bool *loaded, const char *const *sonames, const struct libs_symbol *syms, size_t n,
                     const char *what, struct xf_err *err)
{
	if (*loaded)
		return XF_OK;
	for (const char *const *so = sonames; *so; so++)
		if (dlopen(*so, RTLD_NOW | RTLD_GLOBAL) == NULL)
			return xf_err_set(err, XF_EIO, "无法载入%s所需的库 %s：请安装它（README 的 apt-get 一行列有全部依赖）",
			                  what, *so);
	for (size_t i = 0; i < n; i++) {
		*syms[i].slot = dlsym(RTLD_DEFAULT, syms[i].name);
		if (*syms[i].slot == NULL)
			return xf_err_set(err, XF_EIO, "%s所需的库缺少函数 %s：请安装与本程序相符的版本", what, syms[i].name);
	}
	*loaded = true;
	return XF_OK;
}

/* Loads Cairo, Pango and fontconfig once. */
int pdf_libs_load(struct xf_err *err)
{
	static bool loaded;
	static const char *const sonames[] = {"libfontconfig.so.1", "libcairo.so.2", "libgobject-2.0.so.0",
	                                      "libpango-1.0.so.0", "libpangocairo-1.0.so.0", NULL};
#define X(name) {#name, (void **)&xf_pdf_libs.name},
	static const struct libs_symbol syms[] = {XF_PDF_LIBS_SYMBOLS(X)};
#undef X
	return libs_open(&loaded, sonames, syms, sizeof syms / sizeof syms[0], "打印", err);
}

/* Loads libxlsxwriter once. */
int xlsx_libs_load(struct xf_err *err)
{
	static bool loaded;
	static const char *const sonames[] = {"libxlsxwriter.so.4", NULL};
#define X(name) {#name, (void **)&xf_xlsx_libs.name},
	static const struct libs_symbol syms[] = {XF_XLSX_LIBS_SYMBOLS(X)};
#undef X
	return libs_open(&loaded, sonames, syms, sizeof syms / sizeof syms[0], "导出 XLSX ", err);
}

/* A macro's value as a string: ICU's names and version as its headers make them. */
#define LIBS_STR2(x) #x
#define LIBS_STR(x) LIBS_STR2(x)

/* Loads ICU's common library once (the one the program was built with: its functions carry
 * its version); a failure is kept, so each later call answers at once. */
int icu_libs_load(struct xf_err *err)
{
	static bool loaded, failed;
	static struct xf_err why;
	if (failed) {
		if (err)
			*err = why;
		return why.code;
	}
	static const char *const sonames[] = {"libicuuc.so." LIBS_STR(U_ICU_VERSION_MAJOR_NUM), NULL};
#define X(name) {LIBS_STR(name), (void **)&xf_icu_libs.name},
	static const struct libs_symbol syms[] = {XF_ICU_LIBS_SYMBOLS(X)};
#undef X
	int rc = libs_open(&loaded, sonames, syms, sizeof syms / sizeof syms[0], "比对姓名（ICU）", &why);
	failed = rc != XF_OK;
	if (failed && err)
		*err = why;
	return rc;
}

/* The module's file: see phone_module.h for the order. */
const char *phone_module_path(void)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("XINFANG_PHONE_MODULE");
	if (env != NULL && *env)
		return env;
	const char *dir = paths_program_dir();
	if (*dir && paths_in_build_tree()) {
		snprintf(buf, sizeof buf, "%s/" XF_PHONE_MODULE_NAME, dir);
		return buf;
	}
	if (*dir) {
		char *beside = xasprintf("%s/" XF_PHONE_MODULE_FROM_BINDIR, dir);
		char *real = access(beside, R_OK) == 0 ? realpath(beside, NULL) : NULL;
		if (real)
			snprintf(buf, sizeof buf, "%s", real);
		free(real);
		free(beside);
		if (*buf)
			return buf;
	}
	return XF_PHONE_MODULE_INSTALLED;
}

/* Loads the phone module once. */
int phone_module_load(const struct phone_module **out, struct xf_err *err)
{
	static struct phone_module module;
	static bool loaded;
	*out = NULL;
	if (loaded) {
		*out = &module;
		return XF_OK;
	}
	const char *path = phone_module_path();
	void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		const char *why = dlerror();
		size_t n = strlen(path);
		if (why != NULL && strncmp(why, path, n) == 0 && strncmp(why + n, ": ", 2) == 0)
			why += n + 2; /* dlerror names the file again */
		return xf_err_set(err, XF_EIO, "无法载入电话号码检查模块 %s：请管理员重新安装 xinfang 及 libphonenumber（%s）", path,
		                  why ? why : "原因不明");
	}
	static const struct libs_symbol syms[] = {
		{"pnshim_parse", (void **)&module.parse},
		{"pnshim_example", (void **)&module.example},
		{"pnshim_only_region", (void **)&module.only_region},
		{"pnshim_region_name", (void **)&module.region_name},
	};
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		*syms[i].slot = dlsym(handle, syms[i].name);
		if (*syms[i].slot == NULL) {
			dlclose(handle);
			return xf_err_set(err, XF_EIO, "电话号码检查模块 %s 缺少函数 %s：请管理员安装与本程序相符的 xinfang",
			                  path, syms[i].name);
		}
	}
	loaded = true;
	*out = &module;
	return XF_OK;
}

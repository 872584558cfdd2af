/* Loads the printing and XLSX libraries on first use (pdf_libs.h, xlsx_libs.h): dlopen of each
 * library by its soname, then every function the code calls found by name. */
#define XF_LIBS_LOADER
#include "pdf_libs.h"
#include "xlsx_libs.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stddef.h>

struct xf_pdf_libs xf_pdf_libs;
struct xf_xlsx_libs xf_xlsx_libs;

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

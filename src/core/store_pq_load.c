/* Loads libpq on the first PostgreSQL locator (pq_load.h): dlopen of libpq.so.5 by its soname,
 * then every function the driver calls found by name in it. */
#define XF_PQ_LOADER
#include "store_pq_load.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stddef.h>

struct xf_pq xf_pq;

/* Loads libpq from soname and finds every function, once. */
int pq_load_from(const char *soname, struct xf_err *err)
{
	static bool loaded;
	if (loaded)
		return XF_OK;
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL)
		return xf_err_set(err, XF_EIO,
		                  "无法载入 PostgreSQL 客户端库 %s（%s）：连接 PostgreSQL 数据库需要它。请安装 libpq5（apt-get install libpq5）后重试；只用 SQLite 数据库文件则不需要",
		                  soname, dlerror());
	struct {
		const char *name;
		void **slot;
	} const syms[] = {
#define X(name) {#name, (void **)&xf_pq.name},
		XF_PQ_SYMBOLS(X)
#undef X
	};
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		*syms[i].slot = dlsym(lib, syms[i].name);
		if (*syms[i].slot == NULL) {
			dlclose(lib);
			return xf_err_set(err, XF_EIO, "PostgreSQL 客户端库 %s 缺少函数 %s：请安装较新的 libpq5", soname,
			                  syms[i].name);
		}
	}
	loaded = true;
	return XF_OK;
}

/* Loads libpq once. */
int pq_load(struct xf_err *err)
{
	return pq_load_from(XF_PQ_SONAME, err);
}

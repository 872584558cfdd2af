/* The phone module (xinfang-phone.so: phonenumber_shim.cc with libphonenumber, protobuf, abseil
 * and the C++ runtime behind it), loaded on the first phone check so a start maps none of them.
 * Only phone.c uses it. */
#ifndef XINFANG_PHONE_MODULE_H
#define XINFANG_PHONE_MODULE_H

#include "phonenumber_shim.h"
#include "xinfang/util.h"

/* The module's functions, as phonenumber_shim.h declares them. */
struct phone_module {
	enum pnshim_parsed (*parse)(const char *number, const char *region, struct pnshim_number *out);
	bool (*example)(const char *region, bool mobile, char *out, size_t n);
	bool (*only_region)(int country_code, char *out, size_t n);
	bool (*region_name)(const char *region, char *out, size_t n);
};

/* Where the module is looked for: $XINFANG_PHONE_MODULE when set; the build tree's own beside
 * its program; the installed one beside the program's bin/ (a staged install); else the
 * configured libdir/xinfang. */
const char *phone_module_path(void);

/* Loads the module once (later calls return the same table); XF_EIO with a message naming the
 * file and what to do when it cannot be loaded (a later call tries again). */
int phone_module_load(const struct phone_module **out, struct xf_err *err);

#endif

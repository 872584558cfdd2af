/* ICU (the common library: NFKC, case folding, character properties), loaded only when a name
 * is first compared (mask.c): a desk or command that masks nothing never maps it, nor the
 * C++ runtime and the 30 MB of data it brings (about 3 ms of a start). Called through the
 * table as xf_icu_libs.name(...); the names are ICU's own, versioned by its headers. */
#ifndef XINFANG_ICU_LIBS_H
#define XINFANG_ICU_LIBS_H

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/uvernum.h>
#include "xinfang/util.h"

/* Every function of ICU the code calls, found when first needed. */
#define XF_ICU_LIBS_SYMBOLS(X) \
	X(u_foldCase) \
	X(u_hasBinaryProperty) \
	X(u_iscntrl) \
	X(u_isUWhiteSpace) \
	X(unorm2_getNFKCInstance) \
	X(unorm2_hasBoundaryBefore) \
	X(unorm2_normalize)

struct xf_icu_libs {
#define X(name) __typeof__(name) *name;
	XF_ICU_LIBS_SYMBOLS(X)
#undef X
};
extern struct xf_icu_libs xf_icu_libs;

/* Loads ICU and finds its functions, once; a clear message when it cannot (every later call
 * answers the same). */
int icu_libs_load(struct xf_err *err);

#endif

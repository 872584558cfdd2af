/* The JR/T 0169-2018 complaint classification: three optional axes on a case (business channel,
 * business type, cause), each chosen from an editable list in data/jrt_*.txt. */
#ifndef XINFANG_JRT_H
#define XINFANG_JRT_H

#include "xinfang/auth.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* One axis of the standard. */
struct xf_jrt_axis {
	const char *axis;   /* "channel", "type", "cause" (jrt_codes.axis) */
	const char *column; /* the case column and registration key: "jrt_channel" ... */
	const char *list;   /* the choice list's name: "jrt_channels" ... */
	const char *file;   /* its data file: "jrt_channels.txt" ... */
	const char *label;  /* Chinese: "业务渠道" ... */
};
extern const struct xf_jrt_axis xf_jrt_axes[3];

/* The axis of a registration key ("jrt_channel") or of a list name ("jrt_channels"); NULL when
 * it is neither. */
const struct xf_jrt_axis *jrt_axis_of(const char *key_or_list);
/* Reads data/jrt_*.txt from datadir into the store (inside the caller's transaction), replacing
 * nothing: a list already present is left as it is. A missing file leaves its axis empty. */
int jrt_load(struct xf_store *st, const char *datadir, struct xf_err *err);
/* The names of an axis in order, as choices (name=name). */
int jrt_choices(struct xf_store *st, const struct xf_jrt_axis *axis, struct xf_fields *out, struct xf_err *err);
/* Checks a value of a JR/T key against its list: empty passes; an unknown name is refused with
 * the choices listed. A code ("A03") is accepted and *name (if given, a new string) receives
 * the name it stands for. */
int jrt_check(struct xf_store *st, const char *key, const char *value, char **name, struct xf_err *err);

#endif

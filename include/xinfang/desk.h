/* What the desk's screens need from the core besides the moves: drafts, the queue, choice
 * lists, and noticing other desks' changes. */
#ifndef XINFANG_DESK_H
#define XINFANG_DESK_H

#include <stdbool.h>
#include <stdint.h>
#include "xinfang/auth.h"
#include "xinfang/form.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* Keeps the operator's unfinished form. */
int desk_draft_save(struct xf_session *s, const char *form, const struct xf_fields *values, struct xf_err *err);
/* The operator's unfinished form, if any: *found, its values and when it was last saved. */
int desk_draft_load(struct xf_session *s, const char *form, struct xf_fields *values, char at[20], bool *found,
                    struct xf_err *err);
/* Drops the draft once the form is saved or abandoned. */
int desk_draft_discard(struct xf_session *s, const char *form, struct xf_err *err);

/* The head's queue, most urgent first: rows id number received channel name category summary
 * due_transfer days_left importance returned; rows that wait for an extension decision sit
 * among them by the days left to the limit they would move, with extension (the date asked
 * for), ext_reason, ext_old_due, ext_limit (周限/月限), ext_at (the day it was asked) and
 * ext_by. Office staff only. */
int desk_queue(struct xf_session *s, struct xf_rows *out, struct xf_err *err);

/* The choices of a data list: "channels", "categories", "departments" from the store;
 * "genders", "importance", "satisfaction", "reply_methods", "yesno" fixed. */
int desk_choices(struct xf_session *s, const char *list, struct xf_fields *out, struct xf_err *err);

/* Checks one value typed into a form field, as the field is left: its type, its length, its
 * choices. An empty value passes (required fields are checked when the form is saved).
 * *normalized (if given) receives the value as it will be stored. */
int desk_check_value(struct xf_session *s, const struct xf_formfield *fd, const char *value, char **normalized,
                     struct xf_err *err);

/* As desk_check_value, with the other values of the form: a document number (idnum) is
 * checked as the document its form's id_type names (居民身份证 when the form has none). */
int desk_check_in_form(struct xf_session *s, const struct xf_formfield *fd, const struct xf_fields *values,
                       char **normalized, struct xf_err *err);

/* The lead department a transfer suggests for a category (data/categories.txt), or "". */
void desk_default_department(struct xf_session *s, const char *category, char out[64]);

/* A number that changes when another desk commits; compare with the last one seen. */
int desk_store_version(struct xf_session *s, int64_t *version);
/* The same, saying (XF_EIO) while the connection to the database server is lost; the store
 * reconnects by itself as it is asked again. */
int desk_store_watch(struct xf_session *s, int64_t *version, struct xf_err *err);
/* A descriptor to wait on beside the terminal: readable when another desk may have committed;
 * -1 when the number above is to be asked at each tick. */
int desk_notify_fd(struct xf_session *s);

#endif

/* Allocation, error reporting and small containers shared by the whole core. */
#ifndef XINFANG_UTIL_H
#define XINFANG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Status codes every core function returns. */
enum xf_status {
	XF_OK = 0,
	XF_EINVAL,    /* the data given is wrong: a field, a date, a number */
	XF_ENOTFOUND, /* no such case, operator, department ... */
	XF_ESTATE,    /* the move is not allowed in the case's state */
	XF_EDENIED,   /* the operator's role may not do this */
	XF_EAUTH,     /* wrong operator name or password, or account waiting */
	XF_ECONFLICT, /* another desk changed the record first */
	XF_EBUSY,     /* the database stayed locked by another program */
	XF_ECALENDAR, /* a date outside the years the holiday calendar knows */
	XF_EIO,       /* the file could not be read or written (disk full ...) */
	XF_EEXIST,    /* already there (store initialised, name taken) */
};

/* An error: a status and a message in Chinese for the person at the desk. */
struct xf_err {
	enum xf_status code;
	char msg[768];
};

/* Fills err (if not NULL) with code and a printf-style message; returns code. */
int xf_err_set(struct xf_err *err, enum xf_status code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Clears err to XF_OK with an empty message. */
void xf_err_clear(struct xf_err *err);

/* Allocation wrappers: out of memory is the one failure that aborts. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0), nonnull(1)));

/* A growing byte buffer that is always NUL-terminated. */
struct xf_buf {
	char *data;
	size_t len, cap;
};
void buf_init(struct xf_buf *b);
void buf_add(struct xf_buf *b, const char *s, size_t n);
void buf_puts(struct xf_buf *b, const char *s);
void buf_printf(struct xf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(struct xf_buf *b);

/* An ordered list of key=value text fields: the one vocabulary of the forms. */
struct xf_kv {
	char *key;
	char *val;
};
struct xf_fields {
	struct xf_kv *v;
	size_t n, cap;
};
void fields_init(struct xf_fields *f);
/* Sets key to val (a copy), replacing an earlier value; val NULL removes nothing, stores "". */
void fields_set(struct xf_fields *f, const char *key, const char *val);
/* Appends key=val without looking for an earlier value (keys known to be unique). */
void fields_add(struct xf_fields *f, const char *key, const char *val);
/* Value of key or NULL when absent. */
const char *fields_get(const struct xf_fields *f, const char *key);
/* Value of key, or "" when absent or NULL. */
const char *fields_str(const struct xf_fields *f, const char *key);
/* True when key is present with a non-empty value. */
bool fields_has(const struct xf_fields *f, const char *key);
void fields_free(struct xf_fields *f);

/* True when s is NULL or "". */
static inline bool str_empty(const char *s) { return s == NULL || *s == '\0'; }

#endif

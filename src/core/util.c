/* Allocation, errors, buffers and key=value lists. */
#include "xinfang/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"

/* Fills err with a code and message; returns the code for `return xf_err_set(...)`. */
int xf_err_set(struct xf_err *err, enum xf_status code, const char *fmt, ...)
{
	if (err != NULL) {
		va_list ap;
		va_start(ap, fmt);
		char *raw = xvasprintf(fmt, ap);
		va_end(ap);
		/* A message echoes what was typed: nothing in it may drive the terminal, and a long
		 * one is cut between characters. */
		char *safe = text_escape(raw, true);
		size_t len = strlen(safe);
		if (len >= sizeof err->msg) {
			static const char ellipsis[] = "…";
			len = sizeof err->msg - sizeof ellipsis;
			while (len > 0 && ((unsigned char)safe[len] & 0xc0) == 0x80)
				len--;
			memcpy(safe + len, ellipsis, sizeof ellipsis);
			len += sizeof ellipsis - 1;
		}
		memcpy(err->msg, safe, len + 1);
		err->code = code;
		free(raw);
		free(safe);
	}
	return (int)code;
}

/* Resets err to success. */
void xf_err_clear(struct xf_err *err)
{
	if (err != NULL) {
		err->code = XF_OK;
		err->msg[0] = '\0';
	}
}

/* Aborts with a message: the only way the core stops the program. */
static void out_of_memory(size_t n)
{
	fprintf(stderr, "xinfang: 内存不足（申请 %zu 字节失败）\n", n);
	abort();
}

/* malloc that never returns NULL. */
void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		out_of_memory(n);
	return p;
}

/* calloc that never returns NULL. */
void *xcalloc(size_t count, size_t n)
{
	void *p = calloc(count ? count : 1, n ? n : 1);
	if (p == NULL)
		out_of_memory(count * n);
	return p;
}

/* realloc that never returns NULL. */
void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		out_of_memory(n);
	return q;
}

/* strdup that never returns NULL; NULL gives "". */
char *xstrdup(const char *s)
{
	return xstrndup(s ? s : "", s ? strlen(s) : 0);
}

/* Copy of the first n bytes of s. */
char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* vasprintf that never fails. */
char *xvasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	char *p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

/* asprintf that never fails. */
char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

/* Starts an empty buffer. */
void buf_init(struct xf_buf *b)
{
	b->cap = 64;
	b->len = 0;
	b->data = xmalloc(b->cap);
	b->data[0] = '\0';
}

/* Appends n bytes. */
void buf_add(struct xf_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap *= 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Appends a string. */
void buf_puts(struct xf_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Appends formatted text. */
void buf_printf(struct xf_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	buf_puts(b, s);
	free(s);
}

/* Releases the buffer's memory. */
void buf_free(struct xf_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Starts an empty field list. */
void fields_init(struct xf_fields *f)
{
	f->v = NULL;
	f->n = f->cap = 0;
}

/* Sets or replaces one field. */
void fields_set(struct xf_fields *f, const char *key, const char *val)
{
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].key, key) == 0) {
			free(f->v[i].val);
			f->v[i].val = xstrdup(val);
			return;
		}
	}
	fields_add(f, key, val);
}

/* Appends one field. */
void fields_add(struct xf_fields *f, const char *key, const char *val)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = xrealloc(f->v, f->cap * sizeof *f->v);
	}
	f->v[f->n].key = xstrdup(key);
	f->v[f->n].val = xstrdup(val);
	f->n++;
}

/* Looks a field up. */
const char *fields_get(const struct xf_fields *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, key) == 0)
			return f->v[i].val;
	return NULL;
}

/* Looks a field up, "" when absent. */
const char *fields_str(const struct xf_fields *f, const char *key)
{
	const char *v = fields_get(f, key);
	return v ? v : "";
}

/* True when the field is there and not empty. */
bool fields_has(const struct xf_fields *f, const char *key)
{
	return !str_empty(fields_get(f, key));
}

/* Releases all fields. */
void fields_free(struct xf_fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].key);
		free(f->v[i].val);
	}
	free(f->v);
	fields_init(f);
}

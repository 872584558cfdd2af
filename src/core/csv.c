/* CSV reading and writing by RFC 4180, lenient where Excel and hand-edited files are. */
#include "xinfang/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Starts a reader, skipping a UTF-8 byte-order mark. */
void csv_init(struct xf_csv *c, const char *text, size_t len)
{
	c->p = text;
	c->end = text + len;
	c->line = 1;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
}

/* Appends bytes to the record's buffer. */
static void rec_add(struct xf_csv_record *r, const char *s, size_t n)
{
	if (r->len + n + 1 > r->cap) {
		r->cap = (r->len + n + 1) * 2 + 64;
		r->buf = xrealloc(r->buf, r->cap);
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

/* Starts a new field at the end of the buffer. */
static void rec_field(struct xf_csv_record *r)
{
	if (r->n == r->ncap) {
		r->ncap = r->ncap ? r->ncap * 2 : 32;
		r->start = xrealloc(r->start, r->ncap * sizeof *r->start);
	}
	r->start[r->n++] = r->len;
}

/* Ends the current field with a NUL. */
static void rec_close(struct xf_csv_record *r)
{
	rec_add(r, "", 0);
	r->buf[r->len++] = '\0';
}

/* Reads one record. */
int csv_next(struct xf_csv *c, struct xf_csv_record *r, struct xf_err *err)
{
	r->len = 0;
	r->n = 0;
	r->line = c->line;
	if (c->p >= c->end)
		return 0;
	const char *p = c->p, *end = c->end;
	for (;;) {
		rec_field(r);
		if (p < end && *p == '"') {
			long opened = c->line;
			p++;
			for (;;) {
				const char *q = memchr(p, '"', (size_t)(end - p));
				if (q == NULL) {
					c->p = end;
					r->line = opened;
					xf_err_set(err, XF_EINVAL, "第 %ld 行第 %zu 个字段的引号没有结束：请检查这一行的双引号是否成对",
					           opened, r->n);
					return -1;
				}
				for (const char *k = p; k < q; k++)
					if (*k == '\n')
						c->line++;
				rec_add(r, p, (size_t)(q - p));
				p = q + 1;
				if (p < end && *p == '"') {
					rec_add(r, "\"", 1);
					p++;
					continue;
				}
				break;
			}
			/* Anything after the closing quote up to the separator is kept as written. */
			const char *stop = p;
			while (stop < end && *stop != ',' && *stop != '\n' && *stop != '\r')
				stop++;
			rec_add(r, p, (size_t)(stop - p));
			p = stop;
		} else {
			const char *stop = p;
			while (stop < end && *stop != ',' && *stop != '\n' && *stop != '\r')
				stop++;
			rec_add(r, p, (size_t)(stop - p));
			p = stop;
		}
		rec_close(r);
		if (p >= end)
			break;
		if (*p == ',') {
			p++;
			if (p >= end) {
				rec_field(r);
				rec_close(r);
				break;
			}
			continue;
		}
		/* CRLF, LF or a lone CR ends the record. */
		if (*p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		c->line++;
		break;
	}
	c->p = p;
	return 1;
}

/* Field i or "". */
const char *csv_field(const struct xf_csv_record *r, size_t i)
{
	return i < r->n ? r->buf + r->start[i] : "";
}

/* True when no field has anything in it. */
bool csv_record_blank(const struct xf_csv_record *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->buf[r->start[i]] != '\0')
			return false;
	return true;
}

/* Releases a record's buffers. */
void csv_record_free(struct xf_csv_record *r)
{
	free(r->buf);
	free(r->start);
	memset(r, 0, sizeof *r);
}

/* True for the first characters that make a spreadsheet read a cell as a formula. */
static bool formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* True for a plain number a spreadsheet reads as a number and never as a formula: -12, -0.5,
 * -12.5% (an optional minus, digits, optional decimals and percent sign). */
static bool plain_number(const char *s)
{
	if (*s == '-')
		s++;
	size_t digits = strspn(s, "0123456789");
	if (digits == 0)
		return false;
	s += digits;
	if (*s == '.') {
		size_t decimals = strspn(s + 1, "0123456789");
		if (decimals == 0)
			return false;
		s += 1 + decimals;
	}
	if (*s == '%')
		s++;
	return *s == '\0';
}

/* True when csv_put_field guards s with a leading quote. */
static bool csv_needs_guard(const char *s)
{
	size_t quotes = strspn(s, "'");
	if (!formula_start(s[quotes]))
		return false;
	return quotes > 0 || !plain_number(s);
}

/* The field without the guard csv_put_field put on it. */
const char *csv_unguard(const char *s)
{
	if (s[0] == '\'' && formula_start(s[strspn(s, "'")]))
		return s + 1;
	return s;
}

/* Appends a field, quoting it when it holds a separator, a quote, a line break or edge spaces,
 * and guarding it with a leading ' when a spreadsheet would run it as a formula. */
void csv_put_field(struct xf_buf *b, const char *s, bool first)
{
	if (!first)
		buf_add(b, ",", 1);
	size_t n = strlen(s);
	bool guard = n > 0 && csv_needs_guard(s);
	bool quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ' || strpbrk(s, ",\"\r\n") != NULL);
	if (!quote) {
		if (guard)
			buf_add(b, "'", 1);
		buf_add(b, s, n);
		return;
	}
	buf_add(b, guard ? "\"'" : "\"", guard ? 2 : 1);
	for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
		buf_add(b, s, (size_t)(q - s) + 1);
		buf_add(b, "\"", 1);
	}
	buf_puts(b, s);
	buf_add(b, "\"", 1);
}

/* CRLF. */
void csv_end_record(struct xf_buf *b)
{
	buf_add(b, "\r\n", 2);
}

/* A, B, ... Z, AA, AB ... */
void csv_column_name(size_t i, char out[8])
{
	char tmp[8];
	int n = 0;
	i++;
	while (i > 0 && n < 7) {
		tmp[n++] = (char)('A' + (i - 1) % 26);
		i = (i - 1) / 26;
	}
	for (int k = 0; k < n; k++)
		out[k] = tmp[n - 1 - k];
	out[n] = '\0';
}

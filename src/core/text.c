/* UTF-8 decoding and display widths. */
#include "xinfang/text.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xinfang/util.h"

/* Decodes one UTF-8 sequence strictly. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	size_t len;
	uint32_t c, min;
	if ((u[0] & 0xe0) == 0xc0) {
		len = 2, c = u[0] & 0x1f, min = 0x80;
	} else if ((u[0] & 0xf0) == 0xe0) {
		len = 3, c = u[0] & 0x0f, min = 0x800;
	} else if ((u[0] & 0xf8) == 0xf0) {
		len = 4, c = u[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Decodes the next code point, replacing invalid bytes. */
uint32_t utf8_next(const char *s, size_t len, size_t *i)
{
	uint32_t cp;
	size_t k = utf8_decode(s + *i, len - *i, &cp);
	if (k == 0) {
		cp = 0xfffd;
		k = 1;
	}
	*i += k;
	return cp;
}

/* Encodes one code point as UTF-8. */
size_t utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Validates a whole buffer. */
bool utf8_valid(const char *s, size_t n, size_t *bad_offset)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			if (bad_offset)
				*bad_offset = i;
			return false;
		}
		i += len;
	}
	return true;
}

/* A half-open range of code points. */
struct cp_range {
	uint32_t lo, hi;
};

/* East Asian Wide (W) and Fullwidth (F) ranges, after Unicode's EastAsianWidth.txt. */
static const struct cp_range wide[] = {
	{0x1100, 0x115f},   {0x231a, 0x231b},   {0x2329, 0x232a},   {0x23e9, 0x23ec},
	{0x23f0, 0x23f0},   {0x23f3, 0x23f3},   {0x25fd, 0x25fe},   {0x2614, 0x2615},
	{0x2648, 0x2653},   {0x267f, 0x267f},   {0x2693, 0x2693},   {0x26a1, 0x26a1},
	{0x26aa, 0x26ab},   {0x26bd, 0x26be},   {0x26c4, 0x26c5},   {0x26ce, 0x26ce},
	{0x26d4, 0x26d4},   {0x26ea, 0x26ea},   {0x26f2, 0x26f3},   {0x26f5, 0x26f5},
	{0x26fa, 0x26fa},   {0x26fd, 0x26fd},   {0x2705, 0x2705},   {0x270a, 0x270b},
	{0x2728, 0x2728},   {0x274c, 0x274c},   {0x274e, 0x274e},   {0x2753, 0x2755},
	{0x2757, 0x2757},   {0x2795, 0x2797},   {0x27b0, 0x27b0},   {0x27bf, 0x27bf},
	{0x2b1b, 0x2b1c},   {0x2b50, 0x2b50},   {0x2b55, 0x2b55},   {0x2e80, 0x303e},
	{0x3041, 0x33ff},   {0x3400, 0x4dbf},   {0x4e00, 0x9fff},   {0xa000, 0xa4cf},
	{0xa960, 0xa97f},   {0xac00, 0xd7a3},   {0xf900, 0xfaff},   {0xfe10, 0xfe19},
	{0xfe30, 0xfe6f},   {0xff00, 0xff60},   {0xffe0, 0xffe6},   {0x16fe0, 0x16fe4},
	{0x17000, 0x18cff}, {0x1b000, 0x1b2ff}, {0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf},
	{0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a}, {0x1f200, 0x1f251}, {0x1f300, 0x1f64f},
	{0x1f680, 0x1f6ff}, {0x1f900, 0x1f9ff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
};

/* Zero-width ranges: combining marks and format characters commonly met. */
static const struct cp_range zero[] = {
	{0x0300, 0x036f}, {0x200b, 0x200f}, {0x202a, 0x202e}, {0x2060, 0x2064},
	{0xfe00, 0xfe0f}, {0xfeff, 0xfeff}, {0xe0100, 0xe01ef},
};

/* Binary search in a sorted range table. */
static bool in_ranges(const struct cp_range *r, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* Columns one code point takes on a terminal. */
int text_cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (in_ranges(zero, sizeof zero / sizeof zero[0], cp))
		return 0;
	if (in_ranges(wide, sizeof wide / sizeof wide[0], cp))
		return 2;
	return 1;
}

/* Columns of a string, or -1 for invalid UTF-8. */
int text_width(const char *s)
{
	size_t n = strlen(s);
	int w = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return -1;
		w += text_cp_width(cp);
		i += len;
	}
	return w;
}

/* Code points of a string, or -1 for invalid UTF-8. */
int text_chars(const char *s)
{
	size_t n = strlen(s);
	int count = 0;
	for (size_t i = 0; i < n; count++) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return -1;
		i += len;
	}
	return count;
}

/* Appends the iconv conversion of in[0, len) to b, the shift state flushed at the end; on a
 * byte it cannot convert returns XF_EINVAL with *bad_offset (if given) at its offset from in. */
static int iconv_run(iconv_t cd, const char *in, size_t len, struct xf_buf *b, size_t *bad_offset)
{
	char *src = (char *)in;
	size_t left = len;
	char chunk[4096];
	bool flushing = false;
	for (;;) {
		char *dst = chunk;
		size_t room = sizeof chunk;
		size_t r = flushing ? iconv(cd, NULL, NULL, &dst, &room) : iconv(cd, &src, &left, &dst, &room);
		int saved = errno;
		buf_add(b, chunk, (size_t)(dst - chunk));
		if (r == (size_t)-1 && saved == E2BIG)
			continue;
		if (r == (size_t)-1) {
			if (bad_offset)
				*bad_offset = (size_t)(src - in);
			return XF_EINVAL;
		}
		if (flushing)
			return XF_OK;
		flushing = true;
	}
}

/* True for the names iconv knows GB 18030 by. */
static bool is_gb18030(const char *encoding)
{
	return strcasecmp(encoding, "GB18030") == 0 || strcasecmp(encoding, "GB-18030") == 0;
}

/* Converts in[from, to) with iconv onto b, *bad_offset counted from in. */
static int iconv_span(iconv_t cd, const char *in, size_t from, size_t to, struct xf_buf *b, size_t *bad_offset)
{
	int rc = iconv_run(cd, in + from, to - from, b, bad_offset);
	if (rc != XF_OK && bad_offset)
		*bad_offset += from;
	return rc;
}

/* A character iconv gets wrong at s: how many bytes it takes (at least 1), and in out the
 * bytes to write instead (*outn of them; 0 when iconv's are right). */
typedef size_t (*fix_fn)(const char *s, size_t n, char out[4], size_t *outn);

/* UTF-8 to GB 18030-2022: gb18030.c's bytes for the characters it lists. */
static size_t fix_to_gb18030(const char *s, size_t n, char out[4], size_t *outn)
{
	uint32_t cp;
	size_t len = utf8_decode(s, n, &cp);
	*outn = len > 0 ? text_gb18030_fix_encode(cp, (unsigned char *)out) : 0;
	return len > 0 ? len : 1; /* iconv refuses the bad byte when its run is converted */
}

/* GB 18030-2022 to UTF-8: the reverse of fix_to_gb18030. */
static size_t fix_from_gb18030(const char *s, size_t n, char out[4], size_t *outn)
{
	size_t len = text_gb18030_seq_len((const unsigned char *)s, n);
	uint32_t cp = len > 0 ? text_gb18030_fix_decode((const unsigned char *)s, len) : 0;
	*outn = cp != 0 ? utf8_encode(cp, out) : 0;
	return len > 0 ? len : 1;
}

/* Converts with iconv for runs of characters it maps right and `fix` for the others. */
static int convert_fixed(iconv_t cd, const char *in, size_t len, fix_fn fix, struct xf_buf *b, size_t *bad_offset)
{
	size_t run = 0, i = 0;
	while (i < len) {
		char fixed[4];
		size_t fixed_n = 0, step = fix(in + i, len - i, fixed, &fixed_n);
		if (fixed_n > 0) {
			if (iconv_span(cd, in, run, i, b, bad_offset) != XF_OK)
				return XF_EINVAL;
			buf_add(b, fixed, fixed_n);
			run = i + step;
		}
		i += step;
	}
	return iconv_span(cd, in, run, len, b, bad_offset);
}

/* Converts a whole buffer; *bad_offset gets the input offset of an unconvertible byte. GB18030
 * on either side follows the 2022 edition. */
static int convert(const char *from, const char *to, const char *in, size_t len, char **out, size_t *outlen,
                   size_t *bad_offset)
{
	*out = NULL;
	iconv_t cd = iconv_open(to, from);
	if (cd == (iconv_t)-1)
		return XF_EINVAL;
	struct xf_buf b;
	buf_init(&b);
	int rc;
	if (is_gb18030(to) && strcasecmp(from, "UTF-8") == 0)
		rc = convert_fixed(cd, in, len, fix_to_gb18030, &b, bad_offset);
	else if (is_gb18030(from) && strcasecmp(to, "UTF-8") == 0)
		rc = convert_fixed(cd, in, len, fix_from_gb18030, &b, bad_offset);
	else
		rc = iconv_run(cd, in, len, &b, bad_offset);
	iconv_close(cd);
	if (rc != XF_OK) {
		buf_free(&b);
		return rc;
	}
	if (outlen)
		*outlen = b.len;
	*out = b.data;
	return XF_OK;
}

/* UTF-8 to another encoding. */
int text_convert(const char *utf8, size_t len, const char *encoding, char **out, size_t *outlen,
                 size_t *bad_offset)
{
	return convert("UTF-8", encoding, utf8, len, out, outlen, bad_offset);
}

/* Another encoding to UTF-8. */
int text_decode(const char *in, size_t len, const char *encoding, char **out, size_t *outlen)
{
	return convert(encoding, "UTF-8", in, len, out, outlen, NULL);
}

/* Closing punctuation that must not begin a line. */
bool text_no_line_start(uint32_t cp)
{
	static const uint32_t marks[] = {
		0xff0c, 0x3002, 0x3001, 0xff1b, 0xff1a, 0xff1f, 0xff01, 0xff09, 0x300b, 0x300d, 0x300f, 0x3011,
		0x3009, 0x2026, 0x201d, 0x2019, 0x3015, 0xff3d, 0xff5d, 0x3017, 0x3019, 0xff05, 0xff0e, 0x00b7,
		0x30fb, 0x2014, ',', '.', ';', ':', '?', '!', ')', ']', '}', '%',
	};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (marks[i] == cp)
			return true;
	return false;
}

/* Opening punctuation that must not end a line. */
static bool no_line_end(uint32_t cp)
{
	static const uint32_t marks[] = {0xff08, 0x300a, 0x300c, 0x300e, 0x3010, 0x3008, 0x201c,
	                                 0x2018, 0x3014, 0xff3b, 0xff5b, 0x3016, 0x3018, '(', '[', '{'};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (marks[i] == cp)
			return true;
	return false;
}

/* Letters, digits and the joiners inside identifiers (2027.txt, 16:32, 010-12345678): a run of
 * them is kept on one line. */
static bool is_word_char(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '-' ||
	       cp == '_' || cp == '@' || cp == '/' || cp == '+' || cp == '.' || cp == ':' || (cp >= 0xff10 && cp <= 0xff19);
}

/* A word character, or a mark joining figures into a range (10%–20%, 3～5, 9:00~17:00): a
 * range is kept on one line when it fits on one, else it breaks after its joiner. */
static bool is_range_char(uint32_t cp)
{
	return is_word_char(cp) || cp == '%' || cp == '~' || cp == 0x2013 || cp == 0xff5e;
}

/* Where the run of `in` characters holding position b starts (not before i); b when cp[b] is
 * not one. */
static size_t run_start(const uint32_t *cp, size_t i, size_t b, bool (*in)(uint32_t))
{
	size_t k = b;
	while (k > i && in(cp[b]) && in(cp[k - 1]))
		k--;
	return k;
}

/* The display width of the run of `in` characters starting at k. */
static int run_width(const uint32_t *cp, const int *w, size_t k, size_t count, bool (*in)(uint32_t))
{
	int used = 0;
	for (; k < count && in(cp[k]); k++)
		used += w[k];
	return used;
}

/* Appends code points [from, to) as a new line. */
static void wrap_emit(char ***lines, size_t *n, size_t *cap, const uint32_t *cp, size_t from, size_t to)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		*lines = xrealloc(*lines, *cap * sizeof **lines);
	}
	char *s = xmalloc((to - from) * 4 + 1), *p = s;
	for (size_t i = from; i < to; i++)
		p += utf8_encode(cp[i], p);
	*p = '\0';
	(*lines)[(*n)++] = s;
}

/* Wraps text, keeping identifiers whole and closing punctuation off the start of lines. */
size_t text_wrap(const char *text, int width, text_width_fn cp_width, void *ctx, char ***lines)
{
	size_t len = text ? strlen(text) : 0, n = 0, cap = 0, count = 0;
	*lines = NULL;
	uint32_t *cp = xmalloc((len + 1) * sizeof *cp);
	int *w = xmalloc((len + 1) * sizeof *w);
	for (size_t i = 0; i < len;) {
		uint32_t c = utf8_next(text, len, &i);
		if (c == '\r')
			continue;
		if (c == '\t')
			c = ' ';
		cp[count] = c;
		w[count++] = c == '\n' ? 0 : cp_width(c, ctx);
	}
	if (width < 2)
		width = 2;
	size_t i = 0;
	while (i < count) {
		int used = 0;
		size_t j = i;
		while (j < count && cp[j] != '\n' && (used + w[j] <= width || j == i))
			used += w[j++];
		if (j == count || cp[j] == '\n') {
			wrap_emit(lines, &n, &cap, cp, i, j);
			i = j + (j < count);
			continue;
		}
		size_t b = j;
		/* An identifier moves to the next line whole when it fits on a line of its own, and
		 * 避头尾 pulls a character down with the closing mark that would start the next line. */
		for (int guard = 0; guard < 16; guard++) {
			if (b > i + 1 && (text_no_line_start(cp[b]) || no_line_end(cp[b - 1]))) {
				b--;
				continue;
			}
			size_t k = run_start(cp, i, b, is_range_char);
			if (k < b && run_width(cp, w, k, count, is_range_char) > width)
				k = run_start(cp, i, b, is_word_char);
			if (k > i && k < b) {
				b = k;
				continue;
			}
			break;
		}
		if (b <= i)
			b = j;
		size_t end = b;
		while (end > i + 1 && cp[end - 1] == ' ')
			end--;
		wrap_emit(lines, &n, &cap, cp, i, end);
		i = b;
		while (i < count && cp[i] == ' ')
			i++;
	}
	free(cp);
	free(w);
	return n;
}

/* Frees wrapped lines. */
void text_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* True for the bidirectional controls. */
bool text_cp_bidi(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* True for code points never shown raw. */
bool text_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || text_cp_bidi(cp);
}

/* True when text_escape writes cp as \u escape (newline and tab stay with keep_layout). */
static bool cp_escaped(uint32_t cp, bool keep_layout)
{
	return text_cp_unsafe(cp) && !(keep_layout && (cp == '\n' || cp == '\t'));
}

/* Appends the next character of s (len bytes, at *i) made safe, advancing *i. */
static void escape_next(struct xf_buf *b, const char *s, size_t len, size_t *i, bool keep_layout)
{
	uint32_t cp;
	size_t k = utf8_decode(s + *i, len - *i, &cp);
	if (k == 0) {
		buf_printf(b, "\\x%02x", (unsigned char)s[*i]);
		*i += 1;
		return;
	}
	if (cp_escaped(cp, keep_layout))
		buf_printf(b, "\\u%04x", (unsigned)cp);
	else
		buf_add(b, s + *i, k);
	*i += k;
}

/* A copy safe to show. */
char *text_escape(const char *s, bool keep_layout)
{
	struct xf_buf b;
	buf_init(&b);
	size_t len = s ? strlen(s) : 0;
	for (size_t i = 0; i < len;)
		escape_next(&b, s, len, &i, keep_layout);
	return b.data;
}

/* True when text_escape would change s: a pass without allocating, for outputs that write
 * millions of values and escape the rare one. */
bool text_needs_escape(const char *s, bool keep_layout)
{
	size_t len = s ? strlen(s) : 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0 || cp_escaped(cp, keep_layout))
			return true;
		i += k;
	}
	return false;
}

/* A safe copy cut on a character boundary to max_cols columns. */
const char *text_clip(const char *s, int max_cols, char *out, size_t n)
{
	static const char ellipsis[] = "…";
	size_t len = s ? strlen(s) : 0, used = 0;
	int cols = 0;
	struct xf_buf piece;
	buf_init(&piece);
	if (n == 0)
		return out;
	out[0] = '\0';
	for (size_t i = 0; i < len;) {
		piece.len = 0;
		piece.data[0] = '\0';
		escape_next(&piece, s, len, &i, false);
		int w = text_width(piece.data);
		bool last = i >= len;
		/* Room for this piece, and for the ellipsis unless it is the last one. */
		size_t need = piece.len + (last ? 0 : sizeof ellipsis - 1);
		if (cols + w + (last ? 0 : 1) > max_cols || used + need + 1 > n) {
			if (used + sizeof ellipsis <= n) {
				memcpy(out + used, ellipsis, sizeof ellipsis);
				used += sizeof ellipsis - 1;
			}
			break;
		}
		memcpy(out + used, piece.data, piece.len);
		used += piece.len;
		out[used] = '\0';
		cols += w;
	}
	out[used] = '\0';
	buf_free(&piece);
	return out;
}

/* Another encoding to UTF-8, naming where the bytes stop making sense. */
int text_decode_checked(const char *in, size_t len, const char *encoding, char **out, size_t *outlen,
                        size_t *bad_offset)
{
	return convert(encoding, "UTF-8", in, len, out, outlen, bad_offset);
}

/* UTF-8 text for a terminal or a pipe in another charset: what the charset cannot hold (and
 * bytes that are not UTF-8) become "?" so the rest still reads. *out is NUL-terminated; false
 * when the charset is unknown to iconv. */
bool text_convert_lossy(const char *utf8, size_t len, const char *encoding, char **out, size_t *outlen)
{
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	size_t i = 0;
	while (i < len) {
		char *part = NULL;
		size_t part_len = 0, bad = len - i;
		int rc = text_convert(utf8 + i, len - i, encoding, &part, &part_len, &bad);
		if (rc == XF_OK) {
			buf_add(&b, part, part_len);
			free(part);
			break;
		}
		free(part);
		if (bad >= len - i) {
			/* iconv_open failed or the error has no place: nothing can be said in this charset. */
			buf_free(&b);
			*out = NULL;
			return false;
		}
		if (bad > 0 && text_convert(utf8 + i, bad, encoding, &part, &part_len, NULL) == XF_OK) {
			buf_add(&b, part, part_len);
			free(part);
		}
		uint32_t cp;
		size_t k = utf8_decode(utf8 + i + bad, len - i - bad, &cp);
		buf_add(&b, "?", 1);
		i += bad + (k ? k : 1);
	}
	*outlen = b.len;
	*out = b.data;
	return true;
}

/* Phone numbers: reading the ways people write them, and the one form they are stored in. */
#include "xinfang/phone.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"

#define MAX_DIGITS 24
#define MAX_GROUPS 8

/* A number as written: its digits, where the written groups end, and the marks around them. */
struct written {
	char digits[MAX_DIGITS + 1];
	int n;
	int ends[MAX_GROUPS]; /* digit counts at the end of each written group */
	int ngroups;
	int ext_at;           /* digit count where 转/分机/ext/x/# was written, or -1 */
	bool plus;            /* began with + */
};

/* The value as messages echo it: escaped, at most 30 columns, cut between characters. */
static const char *quoted(const char *s, char *out, size_t n)
{
	return text_clip(s, 30, out, n);
}

/* Ends the current group of digits. */
static void close_group(struct written *w)
{
	if (w->n > 0 && (w->ngroups == 0 || w->ends[w->ngroups - 1] != w->n) && w->ngroups < MAX_GROUPS)
		w->ends[w->ngroups++] = w->n;
}

/* Reads the written number; false with a message on a character no phone number has. */
static bool read_written(const char *s, const char *label, struct written *w, struct xf_err *err)
{
	memset(w, 0, sizeof *w);
	w->ext_at = -1;
	size_t len = strlen(s), i = 0;
	char q[XF_CLIP_SIZE];
	if (!utf8_valid(s, len, NULL)) {
		xf_err_set(err, XF_EINVAL, "%s含有无效字节，请重新输入", label);
		return false;
	}
	while (i < len) {
		size_t at = i;
		uint32_t cp = utf8_next(s, len, &i);
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		if (cp >= '0' && cp <= '9') {
			if (w->n == MAX_DIGITS) {
				xf_err_set(err, XF_EINVAL, "%s“%s”位数太多：请核对号码", label, quoted(s, q, sizeof q));
				return false;
			}
			w->digits[w->n++] = (char)cp;
			continue;
		}
		close_group(w);
		if (cp == '+' && w->n == 0 && !w->plus) {
			w->plus = true;
		} else if (cp == 0x8F6C /* 转 */ || cp == '#' || cp == 'x' || cp == 'X') {
			w->ext_at = w->n;
		} else if (cp == 0x5206 && i < len && strncmp(s + i, "机", 3) == 0) { /* 分机 */
			i += 3;
			w->ext_at = w->n;
		} else if ((cp == 'e' || cp == 'E') && (strncasecmp(s + at, "ext", 3) == 0)) {
			i = at + 3;
			if (i < len && s[i] == '.')
				i++;
			w->ext_at = w->n;
		} else if (!(cp == ' ' || cp == '-' || cp == '(' || cp == ')' || cp == '.' || cp == '/' || cp == 0x3000 ||
		             cp == 0x2014 || cp == 0x2013 || cp == 0x2212)) {
			xf_err_set(err, XF_EINVAL, "%s“%s”含有电话号码不用的字符：只写数字，可用空格、-、括号分隔，分机写“转”",
			           label, quoted(s, q, sizeof q));
			return false;
		}
	}
	close_group(w);
	w->digits[w->n] = '\0';
	size_t end = len;
	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == ')'))
		end--;
	if (w->ext_at == w->n || (end > 0 && (s[end - 1] == '-' || s[end - 1] == '/'))) {
		xf_err_set(err, XF_EINVAL, "%s“%s”末尾不完整：分机号没有写完，或删去末尾的分隔符", label, quoted(s, q, sizeof q));
		return false;
	}
	return true;
}

/* True when a written group ends exactly `at` digits into the number. */
static bool group_ends_at(const struct written *w, int at)
{
	if (w->ext_at == at)
		return true;
	for (int g = 0; g < w->ngroups; g++)
		if (w->ends[g] == at)
			return true;
	return false;
}

/* True when a written group ends strictly between digits from+1 and to-1. */
static bool group_ends_inside(const struct written *w, int from, int to)
{
	for (int g = 0; g < w->ngroups; g++)
		if (w->ends[g] > from && w->ends[g] < to)
			return true;
	return false;
}

/* Length of the country code at the start of d (ITU-T E.164 assignments: 1 and 7 alone, a
 * listed set of two digits, three digits otherwise). */
static int country_code_length(const char *d)
{
	static const char *const two[] = {"20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41",
	                                  "43", "44", "45", "46", "47", "48", "49", "51", "52", "53", "54",
	                                  "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
	                                  "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"};
	if (d[0] == '1' || d[0] == '7')
		return 1;
	for (size_t i = 0; i < sizeof two / sizeof two[0]; i++)
		if (strncmp(d, two[i], 2) == 0)
			return 2;
	return 3;
}

/* A number outside the mainland: +CC and the national number. */
static int international(const char *d, const char *label, const char *shown, char **out, struct xf_err *err)
{
	int n = (int)strlen(d);
	if (n < 1 || d[0] == '0')
		return xf_err_set(err, XF_EINVAL, "%s“%s”：+ 或 00 之后应是国家或地区代码（如 +852 香港、+853 澳门、+886 台湾）",
		                  label, shown);
	int cc = country_code_length(d);
	const char *national = d + cc;
	if (*national == '0') /* a trunk prefix written by habit, as in +886 02 ... */
		national++;
	if (*national == '0')
		return xf_err_set(err, XF_EINVAL, "%s“%s”：国家或地区代码之后的号码不以 00 开头，请核对", label, shown);
	int nn = (int)strlen(national);
	if (strncmp(d, "852", 3) == 0 || strncmp(d, "853", 3) == 0) {
		if (nn != 8)
			return xf_err_set(err, XF_EINVAL, "%s：%s号码应为 +%.3s 加 8 位数字，现在是 %d 位", label,
			                  d[2] == '2' ? "香港" : "澳门", d, nn);
	} else if (strncmp(d, "886", 3) == 0) {
		if (nn < 8 || nn > 9)
			return xf_err_set(err, XF_EINVAL, "%s：台湾号码应为 +886 加 8–9 位数字（不含开头的 0），现在是 %d 位", label, nn);
	} else if (nn < 4 || cc + nn > 15) {
		return xf_err_set(err, XF_EINVAL, "%s“%s”：国际号码为 +国家代码 加号码，共不超过 15 位数字", label, shown);
	}
	*out = xasprintf("+%.*s %s", cc, d, national);
	return XF_OK;
}

/* A mainland landline: area code, number of the length the code calls for, extension. */
static int landline(const struct written *w, int start, const char *label, const char *shown, char **out,
                    struct xf_err *err)
{
	const char *d = w->digits + start;
	int n = w->n - start;
	int code_len;
	if (n >= 3 && d[1] == '1' && d[2] == '0')
		code_len = 3; /* 010 Beijing */
	else if (n >= 3 && d[1] == '2')
		code_len = 3; /* 020-029 */
	else if (n >= 4 && d[1] >= '3' && d[1] <= '9')
		code_len = 4;
	else
		return xf_err_set(err, XF_EINVAL, "%s“%s”：区号 %.4s 不存在（区号为 010、02X 或 0 加三位数字，如 0755）", label,
		                  shown, d);
	if (group_ends_inside(w, start, start + code_len))
		return xf_err_set(err, XF_EINVAL, "%s“%s”：区号写错了位置，应写 %.*s-号码", label, shown, code_len, d);
	const char *rest = d + code_len;
	int rn = n - code_len;
	int lengths[2] = {8, code_len == 4 ? 7 : 8};
	int number_len = 0;
	if (w->ext_at < 0 && (rn == lengths[0] || rn == lengths[1]))
		number_len = rn;
	for (int k = 0; k < 2 && number_len == 0; k++) {
		int at = start + code_len + lengths[k];
		if (rn - lengths[k] >= 1 && rn - lengths[k] <= 6 && group_ends_at(w, at))
			number_len = lengths[k];
	}
	if (number_len == 0) {
		if (code_len == 3)
			return xf_err_set(err, XF_EINVAL, "%s“%s”：区号 %.3s 的号码应为 8 位，现在是 %d 位（分机写在号码后，用“转”或 - 隔开）",
			                  label, shown, d, rn);
		return xf_err_set(err, XF_EINVAL, "%s“%s”：区号 %.4s 的号码应为 7 或 8 位，现在是 %d 位（分机写在号码后，用“转”或 - 隔开）",
		                  label, shown, d, rn);
	}
	if (rest[0] == '0')
		return xf_err_set(err, XF_EINVAL, "%s“%s”：座机号码不以 0 开头，请核对区号和号码", label, shown);
	if (number_len == rn)
		*out = xasprintf("%.*s-%.*s", code_len, d, number_len, rest);
	else
		*out = xasprintf("%.*s-%.*s-%s", code_len, d, number_len, rest, rest + number_len);
	return XF_OK;
}

/* Reads, classifies and writes a phone number in its stored form. */
int phone_normalize(const char *s, const char *label, char **out, struct xf_err *err)
{
	*out = NULL;
	struct written w;
	if (!read_written(s, label, &w, err))
		return XF_EINVAL;
	char shown[XF_CLIP_SIZE];
	quoted(s, shown, sizeof shown);
	if (w.n == 0)
		return xf_err_set(err, XF_EINVAL, "%s“%s”没有数字：手机号如 13812345678，座机如 010-12345678", label, shown);
	int start = 0;
	bool abroad = w.plus;
	if (!abroad && w.n > 2 && strncmp(w.digits, "00", 2) == 0 && w.digits[2] != '0') {
		abroad = true;
		start = 2;
	}
	if (abroad) {
		if (w.ext_at >= 0)
			return xf_err_set(err, XF_EINVAL, "%s“%s”：境外号码不记分机，请只写 +国家代码 和号码", label, shown);
		if (strncmp(w.digits + start, "86", 2) != 0)
			return international(w.digits + start, label, shown, out, err);
		start += 2; /* +86 / 0086: a mainland number */
		for (int g = 0; g < w.ngroups; g++) /* the prefix's own end is no boundary of the number */
			if (w.ends[g] <= start)
				w.ends[g] = 0;
		const char *d = w.digits + start;
		if (!(w.n - start == 11 && d[0] == '1') && d[0] != '0') {
			/* +86 10 12345678: the area code without its 0 */
			if (start < 1)
				return xf_err_set(err, XF_EINVAL, "%s“%s”格式不对", label, shown);
			start--;
			w.digits[start] = '0';
		}
	}
	const char *d = w.digits + start;
	int n = w.n - start;
	if (d[0] == '1') {
		if (n == 11 && d[1] >= '3' && d[1] <= '9' && w.ext_at < 0) {
			*out = xstrdup(d);
			return XF_OK;
		}
		return xf_err_set(err, XF_EINVAL, "%s“%s”不像手机号：手机号为 1 开头、第二位 3–9 的 11 位数字，现在是 %d 位", label,
		                  shown, n);
	}
	if (strncmp(d, "400", 3) == 0 || strncmp(d, "800", 3) == 0) {
		if (n == 10 && w.ext_at < 0) {
			*out = xasprintf("%.3s-%.3s-%.4s", d, d + 3, d + 6);
			return XF_OK;
		}
		return xf_err_set(err, XF_EINVAL, "%s“%s”：%.3s 号码应为 10 位（如 400-819-5588），现在是 %d 位", label, shown, d, n);
	}
	if (d[0] == '0')
		return landline(&w, start, label, shown, out, err);
	return xf_err_set(err, XF_EINVAL,
	                  "%s“%s”格式不对：手机号 11 位（如 13812345678），座机写区号和号码（如 010-12345678、0755-1234567 转 801），"
	                  "境外号码写 +国家或地区代码（如 +852 91234567）",
	                  label, shown);
}

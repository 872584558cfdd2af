/* Phone numbers: reading the ways people write them, checking them against the numbering
 * plans' own metadata (libphonenumber, through phonenumber_shim), and the one form they are
 * stored in. */
#include "xinfang/phone.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"
#include "phone_module.h"

#define MAX_DIGITS 24

/* The numbering plans (the phone module), loaded by phone_normalize before any check. */
static const struct phone_module *pn_lib;
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

/* Longest extension kept after a landline (转 801, -12). */
#define EXT_MAX 6

/* Reads a mainland national significant number (no 0 before it) as the plan does; false when
 * it is not one of its numbers. */
static bool mainland_valid(const char *nsn, size_t len, struct pnshim_number *pn)
{
	char plus[MAX_DIGITS + 4];
	snprintf(plus, sizeof plus, "+86%.*s", (int)len, nsn);
	return pn_lib->parse(plus, "ZZ", pn) == PNSHIM_PARSED && pn->valid && pn->country_code == 86;
}

/* The subscriber-number lengths (bit 7, bit 8) the plan gives a mainland area code (its
 * area_len digits after the 0), 0 when no such area code is in use. */
static unsigned area_lengths(const char *area, int area_len)
{
	unsigned mask = 0;
	for (int len = 7; len <= 8; len++) {
		char nsn[16];
		snprintf(nsn, sizeof nsn, "%.*s%.*s", area_len, area, len, "23456789");
		struct pnshim_number pn;
		if (mainland_valid(nsn, strlen(nsn), &pn) && pn.area_len == area_len)
			mask |= 1u << len;
	}
	return mask;
}

/* True when some mobile number begins with the first `len` digits of nsn. */
static bool mobile_prefix_exists(const char *nsn, int len)
{
	static const char *const tails[] = {"00000000", "12345678", "56789012", "99999999"};
	for (int d = 0; d < 10; d++)
		for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
			char try[16];
			snprintf(try, sizeof try, "%.*s%d%.*s", len, nsn, d, 10 - len, tails[t]);
			struct pnshim_number pn;
			if (mainland_valid(try, 11, &pn) && pn.type == PNSHIM_MOBILE)
				return true;
		}
	return false;
}

/* Says why a mainland number the plan does not assign is wrong. nsn has no 0 before it; zero
 * says one was written, intl that +86 or 0086 was. */
static int mainland_refusal(const char *nsn, bool zero, bool intl, const char *label, const char *shown,
                            struct xf_err *err)
{
	int len = (int)strlen(nsn);
	if (len == 0)
		return xf_err_set(err, XF_EINVAL, "%s“%s”只有 0：手机号如 13812345678，座机如 010-12345678", label, shown);
	if (!zero && !intl && (len == 7 || len == 8) && nsn[0] != '1')
		return xf_err_set(err, XF_EINVAL, "%s“%s”：座机号码前要写区号（如 010-12345678、0755-12345678），手机号为 11 位",
		                  label, shown);
	if (nsn[0] == '0')
		return xf_err_set(err, XF_EINVAL, "%s“%s”：区号只以一个 0 开头（如 010、0755），请核对", label, shown);
	if (nsn[0] == '1' && nsn[1] != '0' && (!zero || len == 11)) {
		if (len != 11)
			return xf_err_set(err, XF_EINVAL, "%s“%s”：手机号应为 11 位，现在是 %d 位", label, shown, len);
		int prefix = mobile_prefix_exists(nsn, 3) ? 4 : 3;
		return xf_err_set(err, XF_EINVAL, "%s“%s”：没有 %.*s 开头的手机号段，请核对号码", label, shown, prefix, nsn);
	}
	if (strncmp(nsn, "400", 3) == 0 || strncmp(nsn, "800", 3) == 0) {
		if (zero)
			return xf_err_set(err, XF_EINVAL, "%s“%s”：0%.3s 不是区号；%.3s 号码前面不加 0，共 10 位，如 %.3s-820-8820",
			                  label, shown, nsn, nsn, nsn);
		if (len != 10)
			return xf_err_set(err, XF_EINVAL, "%s“%s”：%.3s 号码应为 10 位（如 400-819-5588），现在是 %d 位", label,
			                  shown, nsn, len);
		return xf_err_set(err, XF_EINVAL, "%s“%s”：没有 %.4s 开头的 %.3s 号码，请核对", label, shown, nsn, nsn);
	}
	if (!zero && !intl)
		return xf_err_set(err, XF_EINVAL,
		                  "%s“%s”格式不对：手机号 11 位（如 13812345678），座机写区号和号码（如 010-12345678、"
		                  "0755-12345678 转 801），区号以 0 开头",
		                  label, shown);
	int area_len = 0;
	unsigned lengths = 0;
	for (int k = 2; k <= 4 && lengths == 0 && k < len; k++)
		if ((lengths = area_lengths(nsn, k)) != 0)
			area_len = k;
	if (lengths == 0)
		return xf_err_set(err, XF_EINVAL, "%s“%s”：区号 0%.*s 不存在，请核对（区号如 010、021、0755）", label, shown,
		                  nsn[0] == '1' || nsn[0] == '2' ? 2 : 3, nsn);
	const char *rest = nsn + area_len;
	int rn = len - area_len;
	if (!(lengths & (1u << rn))) {
		const char *want = lengths == ((1u << 7) | (1u << 8)) ? "7 或 8" : (lengths & (1u << 7)) ? "7" : "8";
		return xf_err_set(err, XF_EINVAL, "%s“%s”：区号 0%.*s 的号码应为 %s 位，现在是 %d 位（分机写在号码后，用“转”隔开）",
		                  label, shown, area_len, nsn, want, rn);
	}
	if (rest[0] == '0' || rest[0] == '1')
		return xf_err_set(err, XF_EINVAL, "%s“%s”：区号 0%.*s 之后的号码不以 %c 开头，请核对区号和号码", label, shown,
		                  area_len, nsn, rest[0]);
	return xf_err_set(err, XF_EINVAL, "%s“%s”：区号 0%.*s 没有 %.*s 开头的号码，请核对", label, shown, area_len, nsn,
	                  rn > 3 ? 3 : rn, rest);
}

/* True when the digits from start were written as an area code group (0 and two to four
 * digits), then a subscriber group of at least 7 digits ending at g: 0755-1234567-8. */
static bool written_as_area_and_number(const struct written *w, int start, int g)
{
	if (w->digits[start] != '0')
		return false;
	for (int area_end = start + 3; area_end <= start + 5; area_end++)
		if (group_ends_at(w, area_end) && !group_ends_inside(w, start, area_end) && g - area_end >= 7 &&
		    !group_ends_inside(w, area_end, g))
			return true;
	return false;
}

/* Where the number ends when no 转 was written: before the last written group (up to EXT_MAX
 * digits) when it follows a landline or a number written as area code and number, so
 * 0754-1234567-8 keeps its extension although 0754-12345678 is a number too. The digits run
 * from start; w->n when there is no extension. */
static int extension_split(const struct written *w, int start)
{
	if (w->ngroups < 2)
		return w->n;
	int g = w->ends[w->ngroups - 2];
	if (g <= start || w->n - g > EXT_MAX)
		return w->n;
	const char *d = w->digits + start;
	int zero = d[0] == '0';
	struct pnshim_number head, whole;
	if (!mainland_valid(d + zero, (size_t)(g - start - zero), &head) || head.area_len == 0)
		return written_as_area_and_number(w, start, g) ? g : w->n;
	if (!mainland_valid(d + zero, (size_t)(w->n - start - zero), &whole))
		return g;
	int area_end = start + zero + head.area_len;
	return group_ends_at(w, area_end) && !group_ends_inside(w, area_end, g) ? g : w->n;
}

/* A mainland number (the digits from start; intl when +86 or 0086 came before them) in its
 * stored form: 13812345678, 0755-12345678[-801], 400-819-5588, or the plan's own grouping. */
static int mainland(const struct written *w, int start, bool intl, const char *label, const char *shown, char **out,
                    struct xf_err *err)
{
	int end = w->ext_at >= 0 ? w->ext_at : extension_split(w, start);
	const char *ext = end < w->n ? w->digits + end : NULL;
	if (end <= start)
		return xf_err_set(err, XF_EINVAL, "%s“%s”：分机号前面要写号码，如 010-12345678 转 801", label, shown);
	if (ext != NULL && (int)strlen(ext) > EXT_MAX)
		return xf_err_set(err, XF_EINVAL, "%s“%s”：分机号最多 %d 位，现在是 %d 位", label, shown, EXT_MAX,
		                  (int)strlen(ext));
	char nsn[MAX_DIGITS + 1];
	bool zero = w->digits[start] == '0';
	snprintf(nsn, sizeof nsn, "%.*s", end - start - zero, w->digits + start + zero);
	struct pnshim_number pn;
	if (!mainland_valid(nsn, strlen(nsn), &pn))
		return mainland_refusal(nsn, zero, intl, label, shown, err);
	int len = (int)strlen(nsn);
	if (pn.area_len > 0) {
		if (nsn[pn.area_len] == '0') /* 0 is the trunk prefix: no local number begins with it */
			return xf_err_set(err, XF_EINVAL, "%s“%s”：区号 0%.*s 之后的号码不以 0 开头，请核对区号和号码", label,
			                  shown, pn.area_len, nsn);
		if (!zero && !intl)
			return xf_err_set(err, XF_EINVAL, "%s“%s”：座机号码的区号以 0 开头，应写 0%.*s-%s", label, shown, pn.area_len,
			                  nsn, nsn + pn.area_len);
		*out = xasprintf("0%.*s-%s%s%s", pn.area_len, nsn, nsn + pn.area_len, ext ? "-" : "", ext ? ext : "");
		return XF_OK;
	}
	if (ext != NULL)
		return xf_err_set(err, XF_EINVAL, "%s“%s”：只有座机号码带分机，请删去“转”及其后的数字", label, shown);
	if ((pn.type == PNSHIM_MOBILE || pn.type == PNSHIM_FIXED_LINE_OR_MOBILE) && nsn[0] == '1') {
		*out = xstrdup(nsn);
		return XF_OK;
	}
	if (zero && pn.national[0] != '0')
		return xf_err_set(err, XF_EINVAL, "%s“%s”：0%.3s 不是区号；%.3s 号码前面不加 0，应写 %s", label, shown, nsn, nsn,
		                  pn.national);
	if (!zero && !intl && pn.national[0] == '0')
		return xf_err_set(err, XF_EINVAL, "%s“%s”：区号以 0 开头，应写 %s", label, shown, pn.national);
	if (len == 10 && (strncmp(nsn, "400", 3) == 0 || strncmp(nsn, "800", 3) == 0)) {
		*out = xasprintf("%.3s-%.3s-%.4s", nsn, nsn + 3, nsn + 6);
		return XF_OK;
	}
	/* Other numbers the plan assigns (a city's 96xxx line): its own grouping, hyphened. */
	char *national = xstrdup(pn.national);
	for (char *p = national; *p; p++)
		if (*p == ' ')
			*p = '-';
	*out = national;
	return XF_OK;
}

/* A number outside the mainland (d: the digits after + or 00, country code first) as
 * +CC NUMBER; one whose country code is 86 goes back to the mainland's rules. */
static int abroad(const struct written *w, int start, const char *label, const char *shown, char **out,
                  struct xf_err *err)
{
	const char *d = w->digits + start;
	if (strncmp(d, "86", 2) == 0)
		return XF_EEXIST; /* the caller reads it as a mainland number (no other code begins 86) */
	char plus[MAX_DIGITS + 2];
	snprintf(plus, sizeof plus, "+%.*s", MAX_DIGITS, d);
	struct pnshim_number pn;
	enum pnshim_parsed parsed = pn_lib->parse(plus, "ZZ", &pn);
	if (parsed == PNSHIM_NO_COUNTRY || d[0] == '0' || d[0] == '\0')
		return xf_err_set(err, XF_EINVAL, "%s“%s”：+ 或 00 之后应是国家或地区代码（如 +852 香港、+853 澳门、+886 台湾）",
		                  label, shown);
	if (w->ext_at >= 0)
		return xf_err_set(err, XF_EINVAL, "%s“%s”：境外号码不记分机，请只写 +国家代码 和号码", label, shown);
	if (parsed == PNSHIM_PARSED && pn.valid) {
		*out = xasprintf("+%d %s", pn.country_code, pn.nsn);
		return XF_OK;
	}
	/* Why not: the country's name and one of its numbers as the example. */
	char region[4] = "", name[64], example[32];
	if (parsed == PNSHIM_PARSED && pn.region[0])
		snprintf(region, sizeof region, "%s", pn.region);
	else if (parsed == PNSHIM_PARSED)
		pn_lib->only_region(pn.country_code, region, sizeof region);
	if (parsed != PNSHIM_PARSED)
		return xf_err_set(err, XF_EINVAL, "%s“%s”：境外号码位数%s，请核对", label, shown,
		                  parsed == PNSHIM_TOO_LONG ? "太多" : parsed == PNSHIM_TOO_SHORT ? "太少" : "不对");
	int cc = pn.country_code;
	if (!region[0] || !pn_lib->region_name(region, name, sizeof name) ||
	    !pn_lib->example(region, true, example, sizeof example))
		return xf_err_set(err, XF_EINVAL, "%s“%s”：不是有效的境外号码（+%d 之后的号码位数或号段不对），请核对", label,
		                  shown, cc);
	if (pn.length != PNSHIM_LENGTH_OK)
		return xf_err_set(err, XF_EINVAL, "%s“%s”：%s号码的位数不对（+%d 之后现在是 %d 位），%s手机号如 +%d %s", label,
		                  shown, name, cc, (int)strlen(pn.nsn), name, cc, example);
	return xf_err_set(err, XF_EINVAL, "%s“%s”：%s没有这样的号码（号段不存在），请核对；%s手机号如 +%d %s", label, shown,
	                  name, name, cc, example);
}

/* Reads, checks against the numbering plan and writes a phone number in its stored form. */
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
	struct xf_err why;
	if (phone_module_load(&pn_lib, &why) != XF_OK)
		return xf_err_set(err, why.code, "%s“%s”暂时无法核对，尚未保存：%s", label, shown, why.msg);
	int start = 0;
	bool abroad_written = w.plus;
	if (!abroad_written && w.n > 2 && strncmp(w.digits, "00", 2) == 0 && w.digits[2] != '0') {
		abroad_written = true;
		start = 2;
	}
	if (!abroad_written)
		return mainland(&w, 0, false, label, shown, out, err);
	int rc = abroad(&w, start, label, shown, out, err);
	if (rc != XF_EEXIST)
		return rc;
	start += 2; /* +86 / 0086: a mainland number */
	for (int g = 0; g < w.ngroups; g++) /* the prefix's own end is no boundary of the number */
		if (w.ends[g] <= start)
			w.ends[g] = 0;
	if (start >= w.n)
		return xf_err_set(err, XF_EINVAL, "%s“%s”：+86 之后没有号码", label, shown);
	return mainland(&w, start, true, label, shown, out, err);
}

/* Identity documents: types, the one written form of their numbers, and each type's check. */
#include "xinfang/identity.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/text.h"

extern const char xf_divisions_text[];

static const char *const type_labels[XF_ID_COUNT] = {
	"居民身份证", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "港澳台居民居住证",
	"外国人永久居留身份证", "护照", "统一社会信用代码", "其他",
};
static const char *const type_keys[XF_ID_COUNT] = {
	"resident", "hkmo_permit", "tw_permit", "hmt_residence", "foreign_pr", "passport", "uscc", "other",
};

/* Chinese name of a document type. */
const char *identity_type_label(enum xf_idtype type)
{
	return type >= 0 && type < XF_ID_COUNT ? type_labels[type] : "";
}

/* Type from its name or key; empty is the resident ID. */
int identity_type_parse(const char *s)
{
	if (str_empty(s))
		return XF_ID_RESIDENT;
	for (int i = 0; i < XF_ID_COUNT; i++)
		if (strcmp(s, type_labels[i]) == 0 || strcmp(s, type_keys[i]) == 0)
			return i;
	if (strcmp(s, "身份证") == 0)
		return XF_ID_RESIDENT;
	return -1;
}

/* The names joined for messages. */
const char *identity_type_names(void)
{
	return "居民身份证、港澳居民来往内地通行证、台湾居民来往大陆通行证、港澳台居民居住证、"
	       "外国人永久居留身份证、护照、统一社会信用代码、其他";
}

/* Full-width forms to ASCII, spaces dropped, letters upper-cased. */
char *identity_normalize(const char *s)
{
	struct xf_buf b;
	buf_init(&b);
	size_t len = strlen(s), i = 0;
	while (i < len) {
		uint32_t cp = utf8_next(s, len, &i);
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0; /* full-width ASCII block */
		if (cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0)
			continue;
		if (cp >= 'a' && cp <= 'z')
			cp -= 'a' - 'A';
		char out[4];
		buf_add(&b, out, utf8_encode(cp, out));
	}
	if (b.data == NULL)
		return xstrdup("");
	return b.data;
}

/* One division code and its name. */
struct division {
	int code;
	const char *name;
	size_t name_len;
};

static struct division *divisions;
static size_t divisions_n;

/* Reads the compiled-in division list once: "CODE NAME" lines, sorted by code. */
static void load_divisions(void)
{
	if (divisions != NULL)
		return;
	size_t cap = 8192;
	divisions = xrealloc(NULL, cap * sizeof *divisions);
	for (const char *p = xf_divisions_text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > 7 && isdigit((unsigned char)p[0]) && p[6] == ' ') {
			if (divisions_n == cap) {
				cap *= 2;
				divisions = xrealloc(divisions, cap * sizeof *divisions);
			}
			divisions[divisions_n].code = atoi(p);
			divisions[divisions_n].name = p + 7;
			divisions[divisions_n].name_len = len - 7;
			divisions_n++;
		}
		p += len + (eol != NULL);
	}
}

/* Name of a 6-digit division code, or NULL. */
const char *identity_division_name(const char *code6)
{
	for (int i = 0; i < 6; i++)
		if (!isdigit((unsigned char)code6[i]))
			return NULL;
	load_divisions();
	int code = (code6[0] - '0') * 100000 + (code6[1] - '0') * 10000 + (code6[2] - '0') * 1000 +
	           (code6[3] - '0') * 100 + (code6[4] - '0') * 10 + (code6[5] - '0');
	size_t lo = 0, hi = divisions_n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (divisions[mid].code < code)
			lo = mid + 1;
		else if (divisions[mid].code > code)
			hi = mid;
		else {
			static char name[64];
			size_t n = divisions[mid].name_len < sizeof name - 1 ? divisions[mid].name_len : sizeof name - 1;
			memcpy(name, divisions[mid].name, n);
			name[n] = '\0';
			return name;
		}
	}
	return NULL;
}

/* Counts the characters of s as characters (code points), whatever their bytes. */
static int char_count(const char *s)
{
	int n = text_chars(s);
	return n < 0 ? (int)strlen(s) : n;
}

/* True when s[from, to) are all ASCII digits. */
static bool digits(const char *s, int from, int to)
{
	for (int i = from; i < to; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* True when s[from, to) are ASCII letters or digits. */
static bool alnum_run(const char *s, int from, int to)
{
	for (int i = from; i < to; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

/* Length refusal that counts characters, not bytes. */
static int wrong_length(const char *label, const char *what, const char *s, struct xf_err *err)
{
	return xf_err_set(err, XF_EINVAL, "%s应为%s，现在是 %d 位：请核对号码", label, what, char_count(s));
}

/* The 18-character GB 11643 shape shared by the resident ID, the residence permit of Hong Kong,
 * Macao and Taiwan residents, and the 2023 foreigner's permanent residence card: 17 digits,
 * a MOD 11-2 check character. with_birth checks YYYYMMDD at positions 7-14 (from 1900, not
 * after today) and fills info. */
static int check_gb11643(const char *s, const char *label, bool with_birth, struct xf_idinfo *info,
                         struct xf_err *err)
{
	if (strlen(s) != 18)
		return wrong_length(label, " 18 位", s, err);
	for (int i = 0; i < 17; i++)
		if (!isdigit((unsigned char)s[i]))
			return xf_err_set(err, XF_EINVAL, "%s第 %d 位应是数字", label, i + 1);
	if (!isdigit((unsigned char)s[17]) && s[17] != 'X')
		return xf_err_set(err, XF_EINVAL, "%s第 18 位应是数字或 X", label);
	if (with_birth) {
		int y = atoi((char[5]){s[6], s[7], s[8], s[9], 0});
		int m = (s[10] - '0') * 10 + (s[11] - '0');
		int d = (s[12] - '0') * 10 + (s[13] - '0');
		if (!date_valid(y, m, d))
			return xf_err_set(err, XF_EINVAL, "%s中的出生日期 %.8s 不存在", label, s + 6);
		if (y < 1900)
			return xf_err_set(err, XF_EINVAL, "%s中的出生年份 %d 早于 1900 年：请核对号码", label, y);
		int birth = date_from_ymd(y, m, d);
		if (birth > clock_today())
			return xf_err_set(err, XF_EINVAL, "%s中的出生日期 %.8s 晚于今天", label, s + 6);
		if (info != NULL) {
			info->birth = birth;
			info->male = (s[16] - '0') % 2 == 1;
			info->known = true;
		}
	}
	char want = field_id_check_char(s);
	if (want != s[17])
		return xf_err_set(err, XF_EINVAL, "%s校验位不对：第 18 位应为 %c，请核对号码", label, want);
	return XF_OK;
}

/* GB 32100-2015: 17 characters of 0-9 and A-Z without I O Z S V, weights 3^i mod 31. */
char identity_uscc_check_char(const char *first17)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		const char *at = first17[i] ? strchr(alphabet, first17[i]) : NULL;
		if (at == NULL)
			return 0;
		sum += (int)(at - alphabet) * weights[i];
	}
	return alphabet[(31 - sum % 31) % 31];
}

/* The unified social credit code of an organisation. */
static int check_uscc(const char *s, const char *label, struct xf_err *err)
{
	if (strlen(s) != 18)
		return wrong_length(label, " 18 位", s, err);
	for (int i = 0; i < 18; i++)
		if (strchr("0123456789ABCDEFGHJKLMNPQRTUWXY", s[i]) == NULL)
			return xf_err_set(err, XF_EINVAL, "%s第 %d 位“%c”不可用：只用数字和除 I、O、Z、S、V 以外的大写字母", label,
			                  i + 1, isprint((unsigned char)s[i]) ? s[i] : '?');
	if (!digits(s, 2, 8))
		return xf_err_set(err, XF_EINVAL, "%s第 3–8 位应是登记管理机关的行政区划代码（数字）", label);
	char want = identity_uscc_check_char(s);
	if (want != s[17])
		return xf_err_set(err, XF_EINVAL, "%s校验位不对：第 18 位应为 %c，请核对代码", label, want);
	return XF_OK;
}

/* True when an 18-character number begins with the area of a residence permit of Hong Kong
 * (810000), Macao (820000) or Taiwan (830000) residents. */
static bool hmt_residence_prefix(const char *s)
{
	return strncmp(s, "810000", 6) == 0 || strncmp(s, "820000", 6) == 0 || strncmp(s, "830000", 6) == 0;
}

/* The Mainland Travel Permit for Hong Kong and Macao residents: H or M and 8 digits (10 on
 * older cards) for Chinese citizens; HA or MA and 7 digits for non-Chinese nationals (issued
 * since 2024-07-10). */
static bool hkmo_permit_shape(const char *s, int len)
{
	if (s[0] != 'H' && s[0] != 'M')
		return false;
	if (len == 9 && s[1] == 'A')
		return digits(s, 2, len);
	return (len == 9 || len == 11) && digits(s, 1, len);
}

/* Checks one document's number. */
int identity_check(enum xf_idtype type, const char *s, const char *label, struct xf_idinfo *info,
                   char **normalized, struct xf_err *err)
{
	if (normalized)
		*normalized = NULL;
	if (info != NULL)
		memset(info, 0, sizeof *info);
	size_t bad;
	if (!utf8_valid(s, strlen(s), &bad))
		return xf_err_set(err, XF_EINVAL, "%s含有无效字节（第 %zu 字节），请重新输入", label, bad + 1);
	char *n = identity_normalize(s);
	int len = (int)strlen(n);
	char shown[XF_CLIP_SIZE];
	text_clip(n, 30, shown, sizeof shown);
	int rc = XF_OK;
	switch (type) {
	case XF_ID_RESIDENT:
		rc = check_gb11643(n, label, true, info, err);
		if (rc == XF_OK && hmt_residence_prefix(n))
			rc = xf_err_set(err, XF_EINVAL,
			                "%s以 %.6s 开头，是港澳台居民居住证的号码，不是居民身份证：请把证件类型改为港澳台居民居住证",
			                label, n);
		else if (rc == XF_OK && identity_division_name(n) == NULL)
			rc = xf_err_set(err, XF_EINVAL, "%s前 6 位 %.6s 不是行政区划代码（GB/T 2260）：请核对号码", label, n);
		break;
	case XF_ID_HMT_RESIDENCE:
		rc = check_gb11643(n, label, true, info, err);
		if (rc == XF_OK && !hmt_residence_prefix(n))
			rc = xf_err_set(err, XF_EINVAL, "%s应以 810000（香港）、820000（澳门）或 830000（台湾）开头", label);
		break;
	case XF_ID_FOREIGN_PR:
		if (len == 18) {
			if (n[0] != '9')
				rc = xf_err_set(err, XF_EINVAL, "%s（2023 版，18 位）应以 9 开头", label);
			else
				rc = check_gb11643(n, label, false, NULL, err);
		} else if (len == 15) {
			if (!isupper((unsigned char)n[0]) || !isupper((unsigned char)n[1]) || !isupper((unsigned char)n[2]) ||
			    !digits(n, 3, 15))
				rc = xf_err_set(err, XF_EINVAL, "%s（2017 版，15 位）应为 3 位国籍字母代码加 12 位数字", label);
		} else {
			rc = wrong_length(label, " 18 位（2023 版，以 9 开头）或 15 位（2017 版）", n, err);
		}
		break;
	case XF_ID_HKMO_PERMIT:
		if (!hkmo_permit_shape(n, len))
			rc = xf_err_set(err, XF_EINVAL,
			                "%s应为 H（香港）或 M（澳门）加 8 位数字（旧证 10 位），非中国籍居民的为 HA 或 MA 加 7 位数字，"
			                "现在是“%s”",
			                label, shown);
		break;
	case XF_ID_TW_PERMIT:
		if ((len != 8 && len != 10) || !digits(n, 0, len))
			rc = xf_err_set(err, XF_EINVAL, "%s应为 8 位数字（旧证 10 位），现在是“%s”", label, shown);
		break;
	case XF_ID_PASSPORT:
		if (len < 5 || len > 17 || !alnum_run(n, 0, len))
			rc = xf_err_set(err, XF_EINVAL, "%s应为 5–17 位字母或数字（如 E12345678），现在是 %d 位“%s”", label,
			                char_count(n), shown);
		break;
	case XF_ID_USCC:
		rc = check_uscc(n, label, err);
		break;
	case XF_ID_OTHER:
	default:
		if (len == 0)
			rc = xf_err_set(err, XF_EINVAL, "%s为空", label);
		else
			rc = field_check_text(n, label, 40, false, err);
		break;
	}
	if (rc != XF_OK || normalized == NULL)
		free(n);
	else
		*normalized = n;
	return rc;
}

/* What a slip calls a document's number, short enough for a label cell of four characters
 * ("身份证号", "护照号码"). */
const char *identity_number_label(enum xf_idtype type)
{
	switch (type) {
	case XF_ID_RESIDENT: return "身份证号";
	case XF_ID_HKMO_PERMIT: return "通行证号";
	case XF_ID_TW_PERMIT: return "台胞证号";
	case XF_ID_HMT_RESIDENCE: return "居住证号";
	case XF_ID_FOREIGN_PR: return "永居证号";
	case XF_ID_PASSPORT: return "护照号码";
	case XF_ID_USCC: return "信用代码";
	default: return "证件号码";
	}
}

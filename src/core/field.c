/* Field checks shared by the command line, the screens and imports. */
#include "xinfang/field.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/identity.h"
#include "xinfang/phone.h"
#include "xinfang/text.h"

const struct xf_fielddef xf_registration_fields[] = {
	{"number", "编号", XF_F_TEXT, 24, NULL},
	{"received", "收件时间", XF_F_DATETIME, 16, NULL},
	{"channel", "来源渠道", XF_F_CHOICE, 20, "channels"},
	{"name", "姓名", XF_F_TEXT, 40, NULL},
	{"gender", "性别", XF_F_CHOICE, 2, "genders"},
	{"age", "年龄", XF_F_INT, 150, NULL},
	{"id_type", "证件类型", XF_F_CHOICE, 24, "id_types"},
	{"id_number", "证件号码", XF_F_IDNUM, 40, NULL},
	{"phone", "联系电话", XF_F_PHONE, 20, NULL},
	{"address", "住址", XF_F_TEXT, 120, NULL},
	{"work_unit", "工作单位", XF_F_TEXT, 80, NULL},
	{"people", "人数", XF_F_INT, 10000, NULL},
	{"anonymous", "匿名", XF_F_YESNO, 2, NULL},
	{"subject", "被投诉单位或个人", XF_F_TEXT, 80, NULL},
	{"accused", "被投诉人员", XF_F_TEXT, 80, NULL},
	{"category", "类别", XF_F_CHOICE, 20, "categories"},
	{"amount", "涉及金额（元）", XF_F_AMOUNT, 20, NULL},
	{"summary", "基本事实和请求", XF_F_LONGTEXT, 8000, NULL},
	{"materials", "收到材料（份）", XF_F_INT, 1000, NULL},
	{"confidential", "保密", XF_F_YESNO, 2, NULL},
	{"first_asked", "首问责任人", XF_F_TEXT, 20, NULL},
	{"receiver", "接收人", XF_F_TEXT, 20, NULL},
	{"importance", "重要程度", XF_F_CHOICE, 4, "importance"},
	{"spot_answer", "当场答复内容", XF_F_LONGTEXT, 2000, NULL},
	{"jrt_channel", "业务渠道（JR/T 0169）", XF_F_CHOICE, 40, "jrt_channels"},
	{"jrt_type", "业务类型（JR/T 0169）", XF_F_CHOICE, 40, "jrt_types"},
	{"jrt_cause", "投诉原因（JR/T 0169）", XF_F_CHOICE, 40, "jrt_causes"},
	{NULL, NULL, XF_F_TEXT, 0, NULL},
};

/* Finds a registration field definition. */
const struct xf_fielddef *field_def(const char *key)
{
	for (const struct xf_fielddef *d = xf_registration_fields; d->key; d++)
		if (strcmp(d->key, key) == 0)
			return d;
	return NULL;
}

/* GB 11643 check character for 17 digits. */
char field_id_check_char(const char *first17)
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * weights[i];
	return "10X98765432"[sum % 11];
}

/* Whole years between birth and today. */
int field_age_on(int birth, int today)
{
	int by, bm, bd, ty, tm, td;
	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(today, &ty, &tm, &td);
	int age = ty - by;
	if (tm < bm || (tm == bm && td < bd))
		age--;
	return age;
}

/* Checks a resident ID number through the identity documents' checks. */
int field_check_id(const char *s, const char *label, struct xf_idinfo *info, char normalized[19],
                   struct xf_err *err)
{
	char *norm = NULL;
	int rc = identity_check(XF_ID_RESIDENT, s, label, info, &norm, err);
	if (rc == XF_OK && normalized != NULL)
		snprintf(normalized, 19, "%s", norm);
	free(norm);
	return rc;
}

/* Counts a run of digits at p. */
static size_t digit_run(const char *p)
{
	size_t n = 0;
	while (isdigit((unsigned char)p[n]))
		n++;
	return n;
}

/* Checks a phone number by normalising it. */
int field_check_phone(const char *s, const char *label, struct xf_err *err)
{
	char *norm = NULL;
	int rc = phone_normalize(s, label, &norm, err);
	free(norm);
	return rc;
}

/* Parses a yes/no answer. */
int field_parse_yesno(const char *s, const char *label, bool *out, struct xf_err *err)
{
	char shown[XF_CLIP_SIZE];
	static const char *const yes[] = {"是", "y", "Y", "yes", "1", "true"};
	static const char *const no[] = {"否", "n", "N", "no", "0", "false", ""};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcmp(s, yes[i]) == 0)
			return *out = true, XF_OK;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcmp(s, no[i]) == 0)
			return *out = false, XF_OK;
	return xf_err_set(err, XF_EINVAL, "%s应填“是”或“否”，不是“%s”", label, text_clip(s, 30, shown, sizeof shown));
}

/* Parses a whole number in a range. */
int field_parse_int(const char *s, const char *label, long min, long max, long *out, struct xf_err *err)
{
	char shown[XF_CLIP_SIZE];
	char *end;
	if (str_empty(s) || !(isdigit((unsigned char)s[0]) || s[0] == '-'))
		return xf_err_set(err, XF_EINVAL, "%s应是整数，不是“%s”", label, text_clip(s, 30, shown, sizeof shown));
	long v = strtol(s, &end, 10);
	if (*end != '\0')
		return xf_err_set(err, XF_EINVAL, "%s应是整数，不是“%s”", label, text_clip(s, 30, shown, sizeof shown));
	if (v < min || v > max)
		return xf_err_set(err, XF_EINVAL, "%s应在 %ld 到 %ld 之间", label, min, max);
	*out = v;
	return XF_OK;
}

/* Normalises an amount of money. */
int field_normalize_amount(const char *s, const char *label, char out[32], struct xf_err *err)
{
	char shown[XF_CLIP_SIZE];
	size_t ip = digit_run(s);
	const char *p = s + ip;
	size_t fp = 0;
	if (*p == '.') {
		fp = digit_run(p + 1);
		p += 1 + fp;
	}
	if (ip == 0 || *p != '\0')
		return xf_err_set(err, XF_EINVAL, "%s应是金额数字（元），如 52000 或 1234.50，不是“%s”", label,
		                  text_clip(s, 30, shown, sizeof shown));
	if (fp > 2)
		return xf_err_set(err, XF_EINVAL, "%s最多两位小数（到分）", label);
	if (ip > 13)
		return xf_err_set(err, XF_EINVAL, "%s过大", label);
	while (ip > 1 && *s == '0')
		s++, ip--;
	char frac[3] = "00";
	const char *dot = strchr(s, '.');
	if (dot != NULL)
		for (size_t i = 0; i < fp; i++)
			frac[i] = dot[1 + i];
	snprintf(out, 32, "%.*s.%s", (int)ip, s, frac);
	return XF_OK;
}

/* Checks text for encoding, control characters and width. */
int field_check_text(const char *s, const char *label, int max_cols, bool multiline, struct xf_err *err)
{
	size_t n = strlen(s), bad;
	if (!utf8_valid(s, n, &bad))
		return xf_err_set(err, XF_EINVAL, "%s含有无效字节（第 %zu 字节不是 UTF-8 文字），请重新输入", label, bad + 1);
	int nth = 1;
	for (size_t i = 0; i < n; nth++) {
		uint32_t cp = utf8_next(s, n, &i);
		if (!text_cp_unsafe(cp) || (multiline && (cp == '\n' || cp == '\t')))
			continue;
		if (text_cp_bidi(cp))
			return xf_err_set(err, XF_EINVAL, "%s含有改变文字方向的控制符 U+%04X（第 %d 个字），它会打乱显示：请删去后重新输入",
			                  label, (unsigned)cp, nth);
		return xf_err_set(err, XF_EINVAL, "%s含有控制字符 U+%04X（第 %d 个字）%s：请删去后重新输入", label, (unsigned)cp, nth,
		                  cp == '\n' || cp == '\t' ? "，此栏只能写一行" : "");
	}
	int w = text_width(s);
	if (max_cols > 0 && w > max_cols)
		return xf_err_set(err, XF_EINVAL, "%s太长：%d 列，最多 %d 列（一个汉字占两列）", label, w, max_cols);
	return XF_OK;
}

/* Normalises "YYYY-MM-DD[ HH:MM]". */
static int normalize_datetime(const char *in, const char *label, char **out, struct xf_err *err)
{
	char shown[XF_CLIP_SIZE];
	char date[11];
	int day;
	size_t len = strlen(in);
	if (len != 10 && len != 16)
		return xf_err_set(err, XF_EINVAL, "%s应写 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，不是“%s”", label,
		                  text_clip(in, 30, shown, sizeof shown));
	memcpy(date, in, 10);
	date[10] = '\0';
	struct xf_err derr;
	if (date_parse(date, &day, &derr) != XF_OK)
		return xf_err_set(err, XF_EINVAL, "%s：%s", label, derr.msg);
	if (len == 16) {
		int hh = atoi(in + 11), mm = atoi(in + 14);
		if (in[10] != ' ' || in[13] != ':' || !isdigit((unsigned char)in[11]) ||
		    !isdigit((unsigned char)in[12]) || !isdigit((unsigned char)in[14]) ||
		    !isdigit((unsigned char)in[15]) || hh > 23 || mm > 59)
			return xf_err_set(err, XF_EINVAL, "%s的时刻“%s”不对：应为 00:00 到 23:59", label, in + 11);
	}
	*out = xstrdup(in);
	return XF_OK;
}

/* Checks and normalises one value by its type. */
int field_normalize(const struct xf_fielddef *def, const char *in, char **out, struct xf_err *err)
{
	*out = NULL;
	int rc = field_check_text(in, def->label, 0, def->type == XF_F_LONGTEXT, err);
	if (rc != XF_OK)
		return rc;
	switch (def->type) {
	case XF_F_DATE: {
		int day;
		struct xf_err derr;
		if (date_parse(in, &day, &derr) != XF_OK)
			return xf_err_set(err, XF_EINVAL, "%s：%s", def->label, derr.msg);
		*out = xstrdup(in);
		return XF_OK;
	}
	case XF_F_DATETIME:
		return normalize_datetime(in, def->label, out, err);
	case XF_F_YESNO: {
		bool yes;
		if ((rc = field_parse_yesno(in, def->label, &yes, err)) != XF_OK)
			return rc;
		*out = xstrdup(yes ? "是" : "否");
		return XF_OK;
	}
	case XF_F_INT: {
		long v;
		if ((rc = field_parse_int(in, def->label, 0, def->width, &v, err)) != XF_OK)
			return rc;
		*out = xasprintf("%ld", v);
		return XF_OK;
	}
	case XF_F_AMOUNT: {
		char buf[32];
		if ((rc = field_normalize_amount(in, def->label, buf, err)) != XF_OK)
			return rc;
		*out = xstrdup(buf);
		return XF_OK;
	}
	case XF_F_IDNUM: {
		char norm[19];
		if ((rc = field_check_id(in, def->label, NULL, norm, err)) != XF_OK)
			return rc;
		*out = xstrdup(norm);
		return XF_OK;
	}
	case XF_F_PHONE:
		return phone_normalize(in, def->label, out, err);
	case XF_F_TEXT:
	case XF_F_LONGTEXT:
	case XF_F_CHOICE:
	default:
		if ((rc = field_check_text(in, def->label, def->width, def->type == XF_F_LONGTEXT, err)) != XF_OK)
			return rc;
		*out = xstrdup(in);
		return XF_OK;
	}
}

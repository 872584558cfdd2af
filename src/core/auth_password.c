/* Which new passwords an account may get: long enough, printable, not guessed in the first
 * hundred tries. */
#include "xinfang/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "xinfang/text.h"

/* Characters a password needs at least (the demo stores' `demo123` has seven). */
#define PASSWORD_MIN 6

/* Passwords tried first by anyone guessing: the top of the leaked lists, the Chinese
 * favourites (520, 1314: "I love you for ever"), keyboard walks, and this program's own name.
 * Compared ignoring the case of ASCII letters. Digit-only, repeated and consecutive ones are
 * refused by rule, so they need no entry here. */
static const char *const common_passwords[] = {
	"password", "password1", "passw0rd", "p@ssw0rd", "p@ssword", "iloveyou", "iloveyou1", "woaini", "woaini1314",
	"woaini520", "wo5201314", "qwerty", "qwerty1", "qwerty123", "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbn",
	"zxcvbnm", "1qaz2wsx", "1qaz2wsx3edc", "qazwsx", "qazwsxedc", "1q2w3e", "1q2w3e4r", "1q2w3e4r5t", "q1w2e3r4",
	"q1w2e3r4t5", "abc123", "abc1234", "abc12345", "abc123456", "a123456", "a1234567", "a12345678", "aa123456",
	"aa112233", "123456a", "123456aa", "123456abc", "123qwe", "qwe123", "qweasd", "qweasdzxc", "asd123", "zxc123",
	"1234qwer", "qwer1234", "abcd1234", "1234abcd", "a1b2c3", "a1b2c3d4", "admin", "admin1", "admin123",
	"admin888", "administrator", "root123", "test123", "test1234", "user123", "guest123", "letmein", "welcome",
	"welcome1", "monkey", "dragon", "sunshine", "princess", "football", "baseball", "master", "superman",
	"trustno1", "qq123456", "qq5201314", "123abc", "000000a", "changeme", "secret", "default", "xinfang",
	"xinfang1", "xinfang123", "xinfangban", "xf123456",
};

/* True for a code point no one can see or type as part of a password: C0, DEL, C1. */
static bool control_point(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* True for the blanks: space, no-break space, the ideographic space 　. */
static bool blank_point(uint32_t cp)
{
	return cp == ' ' || cp == 0xa0 || cp == 0x3000;
}

/* How many characters of the password are left once every occurrence of the account's name
 * (ASCII letters compared without case) is taken out: clerkclerk leaves 0, Clerk1 leaves 1. */
static size_t left_without_name(const char *name, const char *password)
{
	size_t name_len = name ? strlen(name) : 0, left = 0;
	for (const char *p = password; *p;) {
		if (name_len && strncasecmp(p, name, name_len) == 0) {
			p += name_len;
			continue;
		}
		size_t i = 0, len = strlen(p);
		(void)utf8_next(p, len, &i);
		p += i ? i : 1;
		left++;
	}
	return left;
}

/* How many different characters cps[0..n) holds (111111a holds 2). */
static size_t distinct_points(const uint32_t *cps, size_t n)
{
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < i && cps[j] != cps[i])
			j++;
		distinct += j == i;
	}
	return distinct;
}

/* Why a new password is too weak, or NULL when it will do. prev may be NULL. */
static const char *weakness(const char *name, const char *password, const char *prev)
{
	if (password == NULL || *password == '\0')
		return "没有输入密码";
	size_t len = strlen(password);
	if (!utf8_valid(password, len, NULL))
		return "含有无效的字符（不是 UTF-8 文字）";
	uint32_t cps[256];
	size_t n = 0;
	bool blank = true, digits = true;
	for (size_t i = 0; i < len;) {
		uint32_t cp = utf8_next(password, len, &i);
		if (control_point(cp))
			return "含有控制字符（制表符、换行、Esc 等）";
		blank = blank && blank_point(cp);
		digits = digits && cp >= '0' && cp <= '9';
		if (n < sizeof cps / sizeof cps[0])
			cps[n++] = cp;
	}
	if (blank)
		return "只有空格";
	if (n < PASSWORD_MIN)
		return "不到 6 个字符";
	if (digits)
		return "全是数字（生日、电话、证件号码最先被人猜到）";
	/* One to three characters over and over: aaaaaa, ababab, abcabc. */
	for (size_t unit = 1; unit <= 3; unit++) {
		bool repeats = n % unit == 0 && n > unit;
		for (size_t i = unit; repeats && i < n; i++)
			repeats = cps[i] == cps[i - unit];
		if (repeats)
			return unit == 1 ? "是同一个字符的重复" : "是几个字符的重复";
	}
	/* Each character one after the other: abcdef, fedcba. */
	bool up = true, down = true;
	for (size_t i = 1; i < n; i++) {
		up = up && cps[i] == cps[i - 1] + 1;
		down = down && cps[i] + 1 == cps[i - 1];
	}
	if (up || down)
		return "是连续的字符（如 abcdef）";
	if (distinct_points(cps, n) < 4)
		return "只用了不到 4 种字符（如 111111a）";
	for (size_t i = 0; i < sizeof common_passwords / sizeof common_passwords[0]; i++)
		if (strcasecmp(password, common_passwords[i]) == 0)
			return "是最常见的密码之一，很快会被猜中";
	if (name && strcasecmp(password, name) == 0)
		return "与用户名相同";
	if (name && strlen(name) >= 3 && left_without_name(name, password) < 4)
		return "只是用户名加上几个字符（如 clerk1）";
	if (prev && strcasecmp(password, prev) == 0)
		return "与原密码相同（大小写不同也算相同）";
	return NULL;
}

/* Refuses a weak new password with the reason. */
int auth_password_policy(const char *name, const char *password, const char *prev, struct xf_err *err)
{
	const char *why = weakness(name, password, prev);
	if (why == NULL)
		return XF_OK;
	return xf_err_set(err, XF_EINVAL,
	                  "新密码%s，不能用：请换一个至少 6 个字符、不全是数字、不是常见密码也不是重复或连续字符的", why);
}

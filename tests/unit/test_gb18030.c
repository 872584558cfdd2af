/* GB 18030-2022 in every GB18030 text the program writes and reads: the core's conversion
 * against ICU's converter and Python's codec over every Unicode scalar value, round trip
 * included. Where those two follow an older edition (ICU 72 and Python 3.11 keep the 2005
 * mapping of the 18 characters the 2022 edition moved; Python also keeps the 2000 mapping of
 * U+1E3F), the 2022 table below is the reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/ucnv.h>
#include <unicode/utf16.h>

#include "xinfang/text.h"
#include "xinfang/util.h"

/* The mappings GB 18030-2022 changed from 2005 (its annex D), both sides of each swap. */
static const struct {
	uint32_t cp;
	const char *hex;
} moved_2022[] = {
	{0xFE10, "A6D9"}, {0xFE11, "A6DB"}, {0xFE12, "A6DA"}, {0xFE13, "A6DC"}, {0xFE14, "A6DD"},
	{0xFE15, "A6DE"}, {0xFE16, "A6DF"}, {0xFE17, "A6EC"}, {0xFE18, "A6ED"}, {0xFE19, "A6F3"},
	{0x9FB4, "FE59"}, {0x9FB5, "FE61"}, {0x9FB6, "FE66"}, {0x9FB7, "FE67"}, {0x9FB8, "FE6D"},
	{0x9FB9, "FE7E"}, {0x9FBA, "FE90"}, {0x9FBB, "FEA0"},
	{0xE78D, "84318236"}, {0xE78F, "84318237"}, {0xE78E, "84318238"}, {0xE790, "84318239"},
	{0xE791, "84318330"}, {0xE792, "84318331"}, {0xE793, "84318332"}, {0xE794, "84318333"},
	{0xE795, "84318334"}, {0xE796, "84318335"},
	{0xE81E, "82359037"}, {0xE826, "82359038"}, {0xE82B, "82359039"}, {0xE82C, "82359130"},
	{0xE832, "82359131"}, {0xE843, "82359132"}, {0xE854, "82359133"}, {0xE864, "82359134"},
};
#define MOVED_N (sizeof moved_2022 / sizeof moved_2022[0])

/* What GB 18030-2022 keeps and glibc's iconv (before 2.38) writes otherwise. */
static const struct {
	uint32_t cp;
	const char *hex;
} kept_2022[] = {
	{0x20087, "95329031"}, {0x20089, "95329033"}, {0x200CC, "95329730"}, {0x215D7, "9536B937"},
	{0x2298F, "9630BA35"}, {0x241FE, "9635B630"}, {0xE816, "FE51"},     {0xE817, "FE52"},
	{0xE818, "FE53"},     {0xE831, "FE6C"},     {0xE83B, "FE76"},     {0xE855, "FE91"},
	{0x1E3F, "A8BC"},     {0xE7C7, "8135F437"},
};

/* Every scalar value from U+0001, surrogates left out. */
#define CP_COUNT (0x110000 - 1 - 0x800)

/* The index'th scalar value. */
static uint32_t cp_at(size_t index)
{
	uint32_t cp = (uint32_t)index + 1;
	return cp >= 0xD800 ? cp + 0x800 : cp;
}

/* The 2022 hex of cp when the 2022 edition moved it, else NULL. */
static const char *moved_hex(uint32_t cp)
{
	for (size_t i = 0; i < MOVED_N; i++)
		if (moved_2022[i].cp == cp)
			return moved_2022[i].hex;
	return NULL;
}

/* Upper-case hex of n bytes into out. */
static const char *hex(const unsigned char *s, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", s[i]);
	out[2 * n] = '\0';
	return out;
}

/* A GB18030 byte stream cut into one sequence per character: offsets[i] .. offsets[i + 1]. */
struct seqs {
	const unsigned char *bytes;
	size_t *offsets;
	size_t n;
};

/* Cuts a stream that must hold exactly CP_COUNT sequences. */
static void cut(const char *bytes, size_t len, struct seqs *out)
{
	out->bytes = (const unsigned char *)bytes;
	out->offsets = xmalloc((CP_COUNT + 1) * sizeof *out->offsets);
	out->n = 0;
	size_t i = 0;
	while (i < len) {
		size_t n = text_gb18030_seq_len(out->bytes + i, len - i);
		assert_true(n > 0);
		assert_true(out->n < CP_COUNT);
		out->offsets[out->n++] = i;
		i += n;
	}
	out->offsets[out->n] = i;
	assert_int_equal(out->n, CP_COUNT);
}

/* The index'th sequence as hex. */
static const char *seq_hex(const struct seqs *s, size_t index, char *out)
{
	return hex(s->bytes + s->offsets[index], s->offsets[index + 1] - s->offsets[index], out);
}

/* Every scalar value as one UTF-8 text. */
static char *all_utf8(size_t *len)
{
	char *text = xmalloc((size_t)CP_COUNT * 4 + 1);
	size_t n = 0;
	for (size_t i = 0; i < CP_COUNT; i++)
		n += utf8_encode(cp_at(i), text + n);
	text[n] = '\0';
	*len = n;
	return text;
}

/* The core's encoding of every scalar value. */
static char *core_all(size_t *len)
{
	size_t ulen;
	char *utf8 = all_utf8(&ulen), *out = NULL, *back = NULL;
	size_t bad = 0, backlen = 0;
	assert_int_equal(text_convert(utf8, ulen, "GB18030", &out, len, &bad), XF_OK);
	/* Round trip: the bytes read back as the very text written. */
	assert_int_equal(text_decode_checked(out, *len, "GB18030", &back, &backlen, &bad), XF_OK);
	assert_int_equal(backlen, ulen);
	assert_memory_equal(back, utf8, ulen);
	free(back);
	free(utf8);
	return out;
}

/* The characters the issue names go to their 2022 codes, and read back as themselves. */
static void named_characters(void **state)
{
	(void)state;
	char want[16], got[32]; /* got: up to ten bytes as hex */
	for (size_t i = 0; i < sizeof kept_2022 / sizeof kept_2022[0] + MOVED_N; i++) {
		bool kept = i < sizeof kept_2022 / sizeof kept_2022[0];
		uint32_t cp = kept ? kept_2022[i].cp : moved_2022[i - sizeof kept_2022 / sizeof kept_2022[0]].cp;
		snprintf(want, sizeof want, "%s", kept ? kept_2022[i].hex : moved_hex(cp));
		char utf8[8], *out = NULL, *back = NULL;
		size_t n = utf8_encode(cp, utf8), len = 0, backlen = 0;
		utf8[n] = '\0';
		assert_int_equal(text_convert(utf8, n, "GB18030", &out, &len, NULL), XF_OK);
		if (strcmp(hex((unsigned char *)out, len, got), want) != 0)
			fail_msg("U+%04X written %s, GB 18030-2022 says %s", (unsigned)cp, got, want);
		assert_int_equal(text_decode(out, len, "GB18030", &back, &backlen), XF_OK);
		assert_string_equal(back, utf8);
		free(out);
		free(back);
	}
	/* In running text too, and an unconvertible byte is still found where it is. */
	char *out = NULL;
	size_t len = 0, bad = 0;
	assert_int_equal(text_convert("王𠂇明\xee\xa0\x96", strlen("王𠂇明\xee\xa0\x96"), "GB18030", &out, &len, NULL), XF_OK);
	assert_string_equal(hex((unsigned char *)out, len, got), "CDF595329031C3F7FE51");
	free(out);
	assert_int_equal(text_decode_checked("\xfe\x51\xcd\xf5\xff\x41", 6, "GB18030", &out, &len, &bad), XF_EINVAL);
	assert_int_equal(bad, 4);
	assert_int_equal(text_convert("\xe4\xb8\xad\xee\xa0\x96\xff", 7, "GB18030", &out, &len, &bad), XF_EINVAL);
	assert_int_equal(bad, 6);
}

/* ICU's converter writes what the core writes for every scalar value but the 2022 moves, and
 * the core reads ICU's bytes as ICU wrote them (its 2005 codes of the moved characters as
 * the characters 2022 gives those codes). */
static void every_character_against_icu(void **state)
{
	(void)state;
	size_t len;
	char *core = core_all(&len);
	struct seqs ours;
	cut(core, len, &ours);

	UErrorCode e = U_ZERO_ERROR;
	UConverter *conv = ucnv_open("gb18030", &e);
	assert_true(U_SUCCESS(e));
	UChar *u16 = xmalloc((size_t)CP_COUNT * 2 * sizeof *u16);
	int32_t u16n = 0;
	for (size_t i = 0; i < CP_COUNT; i++)
		U16_APPEND_UNSAFE(u16, u16n, cp_at(i));
	int32_t cap = CP_COUNT * 4;
	char *icu = xmalloc((size_t)cap);
	ucnv_setFromUCallBack(conv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &e);
	int32_t icun = ucnv_fromUChars(conv, icu, cap, u16, u16n, &e);
	assert_true(U_SUCCESS(e));
	ucnv_close(conv);
	struct seqs theirs;
	cut(icu, (size_t)icun, &theirs);

	char a[16], b[16];
	size_t moved = 0;
	for (size_t i = 0; i < CP_COUNT; i++) {
		uint32_t cp = cp_at(i);
		const char *want = moved_hex(cp);
		seq_hex(&ours, i, a);
		if (want != NULL) {
			moved++;
			if (strcmp(a, want) != 0)
				fail_msg("U+%04X written %s, GB 18030-2022 says %s", (unsigned)cp, a, want);
		} else if (strcmp(a, seq_hex(&theirs, i, b)) != 0) {
			fail_msg("U+%04X written %s, ICU writes %s", (unsigned)cp, a, b);
		}
	}
	assert_int_equal(moved, MOVED_N);

	/* ICU's bytes read by the core. */
	char *back = NULL;
	size_t backlen = 0;
	assert_int_equal(text_decode(icu, (size_t)icun, "GB18030", &back, &backlen), XF_OK);
	size_t at = 0;
	for (size_t i = 0; i < CP_COUNT; i++) {
		uint32_t cp = cp_at(i), got = 0, want = cp;
		size_t n = utf8_decode(back + at, backlen - at, &got);
		assert_true(n > 0);
		at += n;
		seq_hex(&theirs, i, b);
		for (size_t k = 0; k < MOVED_N; k++)
			if (strcmp(moved_2022[k].hex, b) == 0)
				want = moved_2022[k].cp;
		if (got != want)
			fail_msg("ICU's %s (U+%04X) read as U+%04X, GB 18030-2022 says U+%04X", b, (unsigned)cp, (unsigned)got,
			         (unsigned)want);
	}
	assert_int_equal(at, backlen);
	free(back);
	free(theirs.offsets);
	free(ours.offsets);
	free(icu);
	free(u16);
	free(core);
}

/* Python's gb18030 codec writes what the core writes for every scalar value but the 2022
 * moves and U+1E3F/U+E7C7 (Python keeps their 2000 codes). */
static void every_character_against_python(void **state)
{
	(void)state;
	char path[] = "/tmp/xinfang-gb18030-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char cmd[512];
	snprintf(cmd, sizeof cmd,
	         "python3 -c 'import sys; sys.stdout.buffer.write(\"\".join(chr(c) for c in range(1, 0x110000) "
	         "if not 0xD800 <= c <= 0xDFFF).encode(\"gb18030\"))' > %s",
	         path);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *py = xmalloc((size_t)CP_COUNT * 4);
	size_t pyn = fread(py, 1, (size_t)CP_COUNT * 4, f);
	fclose(f);
	unlink(path);
	struct seqs theirs;
	cut(py, pyn, &theirs);

	size_t len;
	char *core = core_all(&len);
	struct seqs ours;
	cut(core, len, &ours);
	char a[16], b[16];
	size_t differ = 0;
	for (size_t i = 0; i < CP_COUNT; i++) {
		uint32_t cp = cp_at(i);
		if (strcmp(seq_hex(&ours, i, a), seq_hex(&theirs, i, b)) == 0)
			continue;
		differ++;
		if (moved_hex(cp) == NULL && cp != 0x1E3F && cp != 0xE7C7)
			fail_msg("U+%04X written %s, Python writes %s", (unsigned)cp, a, b);
	}
	/* Python 3.11 follows the 2000 edition, so all 38 differ; a later Python may differ less. */
	assert_true(differ <= MOVED_N + 2);
	free(theirs.offsets);
	free(ours.offsets);
	free(core);
	free(py);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(named_characters),
		cmocka_unit_test(every_character_against_icu),
		cmocka_unit_test(every_character_against_python),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

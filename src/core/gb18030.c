/* GB 18030-2022: the mappings glibc's iconv (before 2.38) gets wrong, for text.c to put right.
 *
 * GB 18030-2022 keeps FE51, FE52, FE53, FE6C, FE76 and FE91 as the private-use characters
 * U+E816, U+E817, U+E818, U+E831, U+E83B, U+E855, and writes the six CJK Extension B
 * ideographs glibc puts there (U+20087, U+20089, U+200CC, U+215D7, U+2298F, U+241FE) as their
 * ordinary four-byte codes. Since the 2022 edition moved the ten vertical forms (U+FE10–FE19,
 * now A6D9…A6F3) and eight components (U+9FB4–9FBB, now FE59…FEA0) into the two-byte area, the
 * private-use characters those two-byte codes had (U+E78D–E796 and eight of U+E81E–E864)
 * take the four-byte codes the vertical forms and components left. glibc already has the
 * two-byte side and lacks the rest; with this table every GB18030 text the program writes or
 * reads follows the 2022 mapping table. */
#include "xinfang/text.h"

/* One correction: the code point and its GB 18030-2022 bytes (2 or 4, big-endian). */
static const struct gb18030_fix {
	uint32_t cp;
	uint32_t bytes;
} fixes[] = {
	/* Private use kept by the 2022 edition in the two-byte area. */
	{0xE816, 0xFE51},
	{0xE817, 0xFE52},
	{0xE818, 0xFE53},
	{0xE831, 0xFE6C},
	{0xE83B, 0xFE76},
	{0xE855, 0xFE91},
	/* The Extension B ideographs at their own four-byte codes. */
	{0x20087, 0x95329031},
	{0x20089, 0x95329033},
	{0x200CC, 0x95329730},
	{0x215D7, 0x9536B937},
	{0x2298F, 0x9630BA35},
	{0x241FE, 0x9635B630},
	/* Private use moved to the four-byte codes of U+9FB4–9FBB. */
	{0xE81E, 0x82359037},
	{0xE826, 0x82359038},
	{0xE82B, 0x82359039},
	{0xE82C, 0x82359130},
	{0xE832, 0x82359131},
	{0xE843, 0x82359132},
	{0xE854, 0x82359133},
	{0xE864, 0x82359134},
	/* Private use moved to the four-byte codes of U+FE10–FE19 (A6DA is U+FE12, A6DB U+FE11,
	 * so U+E78E and U+E78F trade places too). */
	{0xE78D, 0x84318236},
	{0xE78F, 0x84318237},
	{0xE78E, 0x84318238},
	{0xE790, 0x84318239},
	{0xE791, 0x84318330},
	{0xE792, 0x84318331},
	{0xE793, 0x84318332},
	{0xE794, 0x84318333},
	{0xE795, 0x84318334},
	{0xE796, 0x84318335},
};
#define FIXES_N (sizeof fixes / sizeof fixes[0])

/* Writes the correction's bytes into out; their count. */
static size_t fix_bytes(const struct gb18030_fix *f, unsigned char out[4])
{
	if (f->bytes <= 0xFFFF) {
		out[0] = (unsigned char)(f->bytes >> 8);
		out[1] = (unsigned char)f->bytes;
		return 2;
	}
	for (int i = 0; i < 4; i++)
		out[i] = (unsigned char)(f->bytes >> (24 - 8 * i));
	return 4;
}

/* The 2022 bytes of cp where glibc's differ; 0 when glibc's are right. */
size_t text_gb18030_fix_encode(uint32_t cp, unsigned char out[4])
{
	if (cp < 0xE78D)
		return 0;
	for (size_t i = 0; i < FIXES_N; i++)
		if (fixes[i].cp == cp)
			return fix_bytes(&fixes[i], out);
	return 0;
}

/* Length of the GB18030 sequence starting at s (1, 2 or 4), or 0 when it is cut short or its
 * first byte cannot begin one. Only the structure is read, not whether the code is assigned. */
size_t text_gb18030_seq_len(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] == 0x80 || s[0] == 0xFF || n < 2)
		return 0;
	if (s[1] >= 0x30 && s[1] <= 0x39)
		return n >= 4 ? 4 : 0;
	return 2;
}

/* The 2022 code point of the n-byte sequence s where glibc reads another (or none); 0 when
 * glibc reads it right. */
uint32_t text_gb18030_fix_decode(const unsigned char *s, size_t n)
{
	if (n != 2 && n != 4)
		return 0;
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | s[i];
	for (size_t i = 0; i < FIXES_N; i++)
		if (fixes[i].bytes == v)
			return fixes[i].cp;
	return 0;
}

/* Writes mask.c's folding table (fold_table.c): every character a name can be written in
 * mapped to one character standing for all the forms it is the same name in. Compiling ICU's
 * transliterator rules takes 20-30 ms of every run that compares names, reading a table nothing.
 *
 * The forms, joined into classes:
 * - always: ICU's Traditional-Simplified transliterator and Unihan's kSimplifiedVariant and
 *   kTraditionalVariant (钟/鍾/锺, 后/後, 于/於: the same character in the other script, as
 *   Unihan records it, even where mainland text now writes two);
 * - unless the class would then hold two characters of GB 2312 (kGB0), the everyday set
 *   mainland text keeps apart: Unihan's kZVariant (the same character drawn otherwise: 呉/吴),
 *   the kyujitai named by kJinmeiyoKanji and kJoyoKanji (曉 for 暁: shinjitai reach the
 *   simplified form through it) and kSemanticVariant (峯/峰, 羣/群; the rule keeps 你/您/奶,
 *   柜/馈 and 他/她 apart, which chained semantic variants would join).
 * kSpecializedSemanticVariant (the same only in some senses) and kSpoofingVariant (different
 * characters that look alike) are left out.
 *
 * Each class folds to one member that NFKC leaves alone: one ICU folds to if any, of GB 2312
 * before others, else one of GB 2312, else the smallest; folding twice gives what folding once gave.
 *
 * Usage: fold_table_gen OUTPUT.c Unihan_Variants.txt Unihan_OtherMappings.txt. Fails (exit 1)
 * when ICU or Unihan cannot be read or say less than they should: the build stops rather than
 * masking less. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uclean.h>
#include <unicode/unorm2.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#define NCP 0x110000u

static uint32_t *parent;  /* union-find over code points; parent[c] == c for a root */
static uint16_t *gb;      /* at a root: how many of its class are in GB 2312 */
static uint32_t *icu_to;  /* what ICU's transliterator makes of a character */
static bool *in_gb, *touched;

/* The root of c's class. */
static uint32_t find(uint32_t c)
{
	while (parent[c] != c) {
		parent[c] = parent[parent[c]];
		c = parent[c];
	}
	return c;
}

/* Joins the classes of a and b; with `guarded`, only when the result holds at most one
 * character of GB 2312. True when they are one class afterwards. */
static bool join(uint32_t a, uint32_t b, bool guarded)
{
	if (a >= NCP || b >= NCP)
		return false;
	touched[a] = touched[b] = true;
	a = find(a);
	b = find(b);
	if (a == b)
		return true;
	if (guarded && gb[a] + gb[b] > 1)
		return false;
	uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
	parent[hi] = lo;
	gb[lo] = (uint16_t)(gb[a] + gb[b]);
	return true;
}

/* One field's links: from each character to the characters its value names. */
struct links {
	uint32_t (*pair)[2];
	size_t n, cap;
};

/* Appends the link a → b. */
static void links_add(struct links *l, uint32_t a, uint32_t b)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->pair = realloc(l->pair, l->cap * sizeof *l->pair);
		if (l->pair == NULL) {
			perror("fold_table_gen");
			exit(1);
		}
	}
	l->pair[l->n][0] = a;
	l->pair[l->n][1] = b;
	l->n++;
}

/* Every U+XXXX in a Unihan value ("U+5433<kMatthews U+5434", "2010:U+6681") linked from cp. */
static void links_parse(struct links *l, uint32_t cp, const char *value)
{
	for (const char *p = strstr(value, "U+"); p; p = strstr(p, "U+")) {
		char *end;
		unsigned long to = strtoul(p + 2, &end, 16);
		if (end != p + 2 && to < NCP)
			links_add(l, cp, (uint32_t)to);
		p = end != p + 2 ? end : p + 2;
	}
}

/* Fields of Unihan the table is made of. */
enum field { F_SIMP, F_TRAD, F_Z, F_JAPANESE, F_SEMANTIC, F_COUNT };
static struct links links[F_COUNT];

/* Reads one Unihan file: "U+XXXX<TAB>kField<TAB>value" lines, # comments. */
static bool read_unihan(const char *path)
{
	FILE *in = fopen(path, "r");
	if (in == NULL) {
		perror(path);
		return false;
	}
	char line[4096];
	while (fgets(line, sizeof line, in)) {
		if (strncmp(line, "U+", 2) != 0)
			continue;
		char *field = strchr(line, '\t'), *value = field ? strchr(field + 1, '\t') : NULL;
		if (value == NULL)
			continue;
		*field++ = '\0';
		*value++ = '\0';
		uint32_t cp = (uint32_t)strtoul(line + 2, NULL, 16);
		if (cp >= NCP)
			continue;
		if (strcmp(field, "kSimplifiedVariant") == 0)
			links_parse(&links[F_SIMP], cp, value);
		else if (strcmp(field, "kTraditionalVariant") == 0)
			links_parse(&links[F_TRAD], cp, value);
		else if (strcmp(field, "kZVariant") == 0)
			links_parse(&links[F_Z], cp, value);
		else if (strcmp(field, "kJinmeiyoKanji") == 0 || strcmp(field, "kJoyoKanji") == 0)
			links_parse(&links[F_JAPANESE], cp, value);
		else if (strcmp(field, "kSemanticVariant") == 0)
			links_parse(&links[F_SEMANTIC], cp, value);
		else if (strcmp(field, "kGB0") == 0)
			in_gb[cp] = true;
	}
	bool ok = !ferror(in);
	fclose(in);
	if (!ok)
		perror(path);
	return ok;
}

/* Reads ICU's Traditional-Simplified into icu_to; false when it cannot be opened or does not
 * map one character to one. */
static bool read_icu(void)
{
	UErrorCode ec = U_ZERO_ERROR;
	UChar id[32];
	u_uastrcpy(id, "Traditional-Simplified");
	UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &ec);
	if (U_FAILURE(ec)) {
		fprintf(stderr, "fold_table_gen: ICU's Traditional-Simplified cannot be opened: %s\n", u_errorName(ec));
		return false;
	}
	USet *set = uset_openEmpty();
	utrans_getSourceSet(tr, false, set, &ec);
	int32_t n = U_SUCCESS(ec) ? uset_size(set) : 0;
	/* Every source character one after another in UTF-16, transliterated in one call. */
	int32_t cap = n * 2 + 1, len = 0, count = 0;
	UChar *buf = malloc((size_t)cap * sizeof *buf);
	uint32_t *from = malloc(((size_t)n + 1) * sizeof *from);
	for (int32_t item = 0; U_SUCCESS(ec) && item < uset_getItemCount(set); item++) {
		UChar32 lo, hi;
		UChar str[8];
		if (uset_getItem(set, item, &lo, &hi, str, 8, &ec) != 0)
			continue; /* a string: the table folds single characters */
		for (UChar32 c = lo; c <= hi && count < n; c++) {
			from[count++] = (uint32_t)c;
			U16_APPEND_UNSAFE(buf, len, c);
		}
	}
	int32_t limit = len;
	utrans_transUChars(tr, buf, &len, cap, 0, &limit, &ec);
	bool ok = U_SUCCESS(ec) && count > 0 && u_countChar32(buf, len) == count;
	if (!ok)
		fprintf(stderr, "fold_table_gen: the transliterator does not map one character to one (%s)\n",
		        u_errorName(ec));
	for (int32_t i = 0, j = 0; ok && i < count; i++) {
		UChar32 c;
		U16_NEXT(buf, j, len, c);
		icu_to[from[i]] = (uint32_t)c;
	}
	utrans_close(tr);
	uset_close(set);
	free(buf);
	free(from);
	return ok;
}

/* True when NFKC leaves the character c as it is. */
static bool nfkc_stable(const UNormalizer2 *nfkc, uint32_t c)
{
	UChar s[2];
	int32_t len = 0;
	U16_APPEND_UNSAFE(s, len, c);
	UErrorCode ec = U_ZERO_ERROR;
	return unorm2_isNormalized(nfkc, s, len, &ec) && U_SUCCESS(ec);
}

/* How fit c is to stand for its class: higher is fitter, 0 never. */
static int fitness(const UNormalizer2 *nfkc, const bool *icu_target, uint32_t c)
{
	if (!nfkc_stable(nfkc, c))
		return 0;
	return 1 + (icu_to[c] == c && icu_target[c] ? 2 : 0) + (in_gb[c] ? 1 : 0);
}

/* Reads ICU and Unihan, joins the classes and writes the table. */
int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: fold_table_gen OUTPUT.c Unihan_Variants.txt Unihan_OtherMappings.txt\n");
		return 2;
	}
	parent = malloc(NCP * sizeof *parent);
	gb = calloc(NCP, sizeof *gb);
	icu_to = malloc(NCP * sizeof *icu_to);
	in_gb = calloc(NCP, sizeof *in_gb);
	touched = calloc(NCP, sizeof *touched);
	bool *icu_target = calloc(NCP, sizeof *icu_target);
	uint32_t *best = malloc(NCP * sizeof *best);
	if (!parent || !gb || !icu_to || !in_gb || !touched || !icu_target || !best) {
		perror("fold_table_gen");
		return 1;
	}
	for (uint32_t c = 0; c < NCP; c++)
		parent[c] = icu_to[c] = c;
	if (!read_icu() || !read_unihan(argv[2]) || !read_unihan(argv[3]))
		return 1;
	size_t gb_count = 0;
	for (uint32_t c = 0; c < NCP; c++)
		gb_count += in_gb[c];
	if (links[F_SIMP].n == 0 || links[F_TRAD].n == 0 || links[F_Z].n == 0 || links[F_JAPANESE].n == 0 ||
	    links[F_SEMANTIC].n == 0 || gb_count < 6000) {
		fprintf(stderr, "fold_table_gen: %s and %s lack the variant fields or kGB0 (are they Unihan's?)\n",
		        argv[2], argv[3]);
		return 1;
	}
	for (uint32_t c = 0; c < NCP; c++)
		gb[c] = in_gb[c];
	for (uint32_t c = 0; c < NCP; c++) {
		if (icu_to[c] != c) {
			icu_target[icu_to[c]] = true;
			join(c, icu_to[c], false);
		}
	}
	for (int f = 0; f < F_COUNT; f++)
		for (size_t i = 0; i < links[f].n; i++)
			join(links[f].pair[i][0], links[f].pair[i][1], f != F_SIMP && f != F_TRAD);
	UErrorCode ec = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&ec);
	if (U_FAILURE(ec)) {
		fprintf(stderr, "fold_table_gen: ICU's NFKC cannot be opened: %s\n", u_errorName(ec));
		return 1;
	}
	/* The fittest member of each class, the smallest among equals (code points ascend). */
	for (uint32_t c = 0; c < NCP; c++)
		best[c] = NCP;
	for (uint32_t c = 0; c < NCP; c++) {
		if (!touched[c])
			continue;
		uint32_t r = find(c);
		int fit = fitness(nfkc, icu_target, c);
		if (fit > 0 && (best[r] == NCP || fit > fitness(nfkc, icu_target, best[r])))
			best[r] = c;
	}
	FILE *out = fopen(argv[1], "w");
	if (out == NULL) {
		perror(argv[1]);
		return 1;
	}
	fprintf(out, "/* Generated by tools/fold_table_gen.c from ICU %s's Traditional-Simplified and Unihan's\n"
	             " * variants: do not edit. */\n",
	        U_ICU_VERSION);
	fprintf(out, "#include <stddef.h>\n#include <stdint.h>\n\n");
	fprintf(out, "const uint32_t xf_fold_table[][2] = {\n");
	size_t kept = 0;
	for (uint32_t c = 0; c < NCP; c++) {
		uint32_t to = touched[c] ? best[find(c)] : NCP;
		if (to != NCP && to != c) {
			fprintf(out, "\t{0x%04X, 0x%04X},\n", (unsigned)c, (unsigned)to);
			kept++;
		}
	}
	fprintf(out, "};\nconst size_t xf_fold_count = %zu;\n", kept);
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	for (int f = 0; f < F_COUNT; f++)
		free(links[f].pair);
	free(parent);
	free(gb);
	free(icu_to);
	free(in_gb);
	free(touched);
	free(icu_target);
	free(best);
	u_cleanup();
	return 0;
}

/* Confidentiality and recusal: names compared after NFKC (ICU) with every space removed and
 * traditional characters and variants folded to one form (ICU's Traditional-Simplified
 * transliterator and Unihan's variants, made into a table at build time),
 * and the one rule of what a reader may see of a case. ICU is loaded on the first comparison
 * (icu_libs.h); when it cannot be, the rule fails closed: every text is taken to name whoever
 * is asked about, nobody recused can be told apart, and what would be masked is refused. */
#include "xinfang/mask.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/icu_libs.h"
#include "xinfang/case.h"
#include "xinfang/text.h"

/* ICU's functions, through the table its loader fills. */
#define ICU xf_icu_libs

/* Text after normalising, each code point with the byte range of the original it came from. */
struct normed {
	uint32_t *cp;
	size_t *from, *to;
	size_t n, cap;
};

/* Appends one normalised code point coming from original bytes [from, to). */
static void normed_add(struct normed *t, uint32_t cp, size_t from, size_t to)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->cp = xrealloc(t->cp, t->cap * sizeof *t->cp);
		t->from = xrealloc(t->from, t->cap * sizeof *t->from);
		t->to = xrealloc(t->to, t->cap * sizeof *t->to);
	}
	t->cp[t->n] = cp;
	t->from[t->n] = from;
	t->to[t->n] = to;
	t->n++;
}

/* Releases a normalised text. */
static void normed_free(struct normed *t)
{
	free(t->cp);
	free(t->from);
	free(t->to);
	memset(t, 0, sizeof *t);
}

/* Code points that never tell two names apart: spaces of every width, invisible separators
 * and controls. */
static bool ignorable(UChar32 c)
{
	return ICU.u_isUWhiteSpace(c) || ICU.u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || ICU.u_iscntrl(c);
}

/* One pass over a normalised text: ignorable code points dropped, the rest normalised (NFKC)
 * segment by segment (a segment ends where NFKC has a boundary, so the result equals NFKC of
 * the whole) and case-folded; each output code point keeps the byte range of its segment. */
static void normalize_pass(const struct normed *in, struct normed *out, const UNormalizer2 *nfkc)
{
	memset(out, 0, sizeof *out);
	UChar *seg = NULL, *norm = NULL;
	size_t segcap = 0, normcap = 0;
	for (size_t i = 0; i < in->n;) {
		if (ignorable((UChar32)in->cp[i])) {
			i++;
			continue;
		}
		size_t from = in->from[i], to = in->to[i], seglen = 0;
		do {
			if (seglen + 2 > segcap) {
				segcap = segcap ? segcap * 2 : 16;
				seg = xrealloc(seg, segcap * sizeof *seg);
			}
			U16_APPEND_UNSAFE(seg, seglen, (UChar32)in->cp[i]);
			to = in->to[i] > to ? in->to[i] : to;
			from = in->from[i] < from ? in->from[i] : from;
			i++;
			while (i < in->n && ignorable((UChar32)in->cp[i]))
				i++;
		} while (i < in->n && !ICU.unorm2_hasBoundaryBefore(nfkc, (UChar32)in->cp[i]));
		/* NFKC expands one UTF-16 unit to at most 18 (U+FDFA). */
		size_t want = seglen * 18 + 8;
		if (want > normcap) {
			normcap = want;
			norm = xrealloc(norm, normcap * sizeof *norm);
		}
		UErrorCode ec = U_ZERO_ERROR;
		int32_t outlen = ICU.unorm2_normalize(nfkc, seg, (int32_t)seglen, norm, (int32_t)normcap, &ec);
		const UChar *src = U_SUCCESS(ec) ? norm : seg;
		if (U_FAILURE(ec))
			outlen = (int32_t)seglen;
		for (int32_t j = 0; j < outlen;) {
			UChar32 c;
			U16_NEXT(src, j, outlen, c);
			if (!ignorable(c))
				normed_add(out, (uint32_t)ICU.u_foldCase(c, U_FOLD_CASE_DEFAULT), from, to);
		}
	}
	free(seg);
	free(norm);
}

/* ICU's Traditional-Simplified transliterator and Unihan's variants as pairs of single
 * characters in ascending order of the first, generated at build time by
 * tools/fold_table_gen.c (fold_table.c). */
extern const uint32_t xf_fold_table[][2];
extern const size_t xf_fold_count;

/* A code point folded to simplified: the table's second character, else itself. */
static uint32_t fold_cp(uint32_t cp)
{
	if (cp < xf_fold_table[0][0])
		return cp;
	size_t lo = 0, hi = xf_fold_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (xf_fold_table[mid][0] == cp)
			return xf_fold_table[mid][1];
		if (xf_fold_table[mid][0] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return cp;
}

/* ICU's NFKC, ICU loaded on first use; NULL (err says why) when it cannot be. */
static const UNormalizer2 *nfkc_instance(struct xf_err *err)
{
	static const UNormalizer2 *nfkc;
	if (nfkc != NULL)
		return nfkc;
	if (icu_libs_load(err) != XF_OK)
		return NULL;
	UErrorCode ec = U_ZERO_ERROR;
	const UNormalizer2 *n = ICU.unorm2_getNFKCInstance(&ec);
	if (U_FAILURE(ec) || n == NULL) {
		xf_err_set(err, XF_EIO, "ICU 读不出 NFKC 规范化的数据（%d）：请重新安装 libicu", (int)ec);
		return NULL;
	}
	return nfkc = n;
}

/* True when names can be compared (ICU loaded); when not, every rule below fails closed. */
static bool names_comparable(void)
{
	return nfkc_instance(NULL) != NULL;
}

/* Refuses what needs names compared when they cannot be (ICU missing): nothing masked is shown,
 * no recusal is guessed. */
static int not_comparable(struct xf_err *err, const char *what)
{
	struct xf_err why;
	xf_err_clear(&why);
	nfkc_instance(&why);
	return xf_err_set(err, XF_EIO, "无法%s：%s。在此之前须保密的内容一律不显示，须核对回避的操作一律不办", what, why.msg);
}

/* Normalises s: passes until nothing changes (dropping a space can bring a mark next to a
 * letter it composes with), so normalising twice gives what normalising once gave. */
static void normalize_map(const char *s, struct normed *t)
{
	memset(t, 0, sizeof *t);
	size_t len = s ? strlen(s) : 0;
	if (len == 0 || !utf8_valid(s, len, NULL))
		return;
	for (size_t i = 0; i < len;) {
		size_t at = i;
		uint32_t cp = utf8_next(s, len, &i);
		normed_add(t, cp, at, i);
	}
	const UNormalizer2 *nfkc = nfkc_instance(NULL);
	if (nfkc == NULL) {
		normed_free(t);
		return;
	}
	for (int pass = 0; pass < 8; pass++) {
		struct normed next;
		normalize_pass(t, &next, nfkc);
		/* One script: each code point keeps the byte range of the original it came from. */
		for (size_t i = 0; i < next.n; i++)
			next.cp[i] = fold_cp(next.cp[i]);
		bool same = next.n == t->n && (next.n == 0 || memcmp(next.cp, t->cp, next.n * sizeof *next.cp) == 0);
		normed_free(t);
		*t = next;
		if (same)
			break;
	}
}

/* Position of needle in hay at or after `from`, or -1. */
static long normed_find(const struct normed *hay, const struct normed *needle, size_t from)
{
	if (needle->n == 0 || hay->n < needle->n)
		return -1;
	for (size_t i = from; i + needle->n <= hay->n; i++)
		if (memcmp(hay->cp + i, needle->cp, needle->n * sizeof *needle->cp) == 0)
			return (long)i;
	return -1;
}

/* A name made comparable. */
char *mask_normalize(const char *s)
{
	struct normed t;
	normalize_map(s, &t);
	char *out = xmalloc(t.n * 4 + 1);
	size_t len = 0;
	for (size_t i = 0; i < t.n; i++)
		len += utf8_encode(t.cp[i], out + len);
	out[len] = '\0';
	normed_free(&t);
	return out;
}

/* True when the normalised text contains the normalised name (two characters at least). */
bool mask_text_names(const char *text, const char *name)
{
	if (str_empty(text) || str_empty(name))
		return false;
	if (!names_comparable())
		return true; /* cannot tell: it may name them */
	struct normed hay, needle;
	normalize_map(name, &needle);
	bool found = false;
	if (needle.n >= 2) {
		normalize_map(text, &hay);
		found = normed_find(&hay, &needle, 0) >= 0;
		normed_free(&hay);
	}
	normed_free(&needle);
	return found;
}

/* True when one of the accused field's entries (split at commas, 、, semicolons, slashes and
 * spaces) equals the person after normalising. */
static bool accused_entry_is(const char *accused, const char *person)
{
	if (str_empty(accused) || str_empty(person))
		return false;
	if (!names_comparable())
		return true; /* cannot tell: it may be them */
	char *want = mask_normalize(person);
	bool found = false;
	char *copy = xstrdup(accused), *save = NULL;
	for (char *e = strtok_r(copy, ",，、;；/ \t\n", &save); e && !found && *want;
	     e = strtok_r(NULL, ",，、;；/ \t\n", &save)) {
		char *have = mask_normalize(e);
		found = strcmp(have, want) == 0;
		free(have);
	}
	free(copy);
	free(want);
	return found;
}

/* The case's texts that can name a person or a department. */
static const char *const naming_keys[] = {"subject", "accused", "summary"};

/* True when any of the case's naming texts names `name`. */
static bool case_texts_name(const struct xf_fields *row, const char *name)
{
	for (size_t i = 0; i < sizeof naming_keys / sizeof naming_keys[0]; i++)
		if (mask_text_names(fields_str(row, naming_keys[i]), name))
			return true;
	return false;
}

/* True when the case names the person. */
bool mask_case_names(const struct xf_fields *case_row, const char *person)
{
	if (str_empty(person))
		return false;
	return case_texts_name(case_row, person) || accused_entry_is(fields_str(case_row, "accused"), person);
}

/* True when the session's operator is named in the case: the full name anywhere, the account
 * name as an entry of the accused field (a short account name in free text names nobody). */
bool mask_recused(const struct xf_session *s, const struct xf_fields *case_row)
{
	if (mask_case_names(case_row, s->op.full_name))
		return true;
	return accused_entry_is(fields_str(case_row, "accused"), s->op.name);
}

/* The full name of an operator account, or "" (into out, n bytes). */
static void account_full_name(const struct xf_session *s, const char *account, char *out, size_t n)
{
	out[0] = '\0';
	struct xf_rows rows;
	if (str_empty(account) || store_list(s->st, "operators", "name", account, &rows, NULL) != XF_OK)
		return;
	if (rows.n)
		snprintf(out, n, "%s", fields_str(&rows.v[0], "full_name"));
	rows_free(&rows);
}

/* True when a person typed into a move is named in the case: directly, as the full name of an
 * account the accused field lists, or as an account whose full name the case names. */
static bool person_named(const struct xf_session *s, const struct xf_fields *case_row, const char *person)
{
	if (mask_case_names(case_row, person))
		return true;
	char full[64];
	account_full_name(s, person, full, sizeof full);
	if (*full && mask_case_names(case_row, full))
		return true;
	char *want = mask_normalize(person);
	bool found = false;
	char *copy = xstrdup(fields_str(case_row, "accused")), *save = NULL;
	for (char *e = strtok_r(copy, ",，、;；/ \t\n", &save); e && !found && *want;
	     e = strtok_r(NULL, ",，、;；/ \t\n", &save)) {
		account_full_name(s, e, full, sizeof full);
		char *have = mask_normalize(full);
		found = *have && strcmp(have, want) == 0;
		free(have);
	}
	free(copy);
	free(want);
	return found;
}

/* Refuses a recused operator or a recused person named in the move. */
int mask_check_recusal(const struct xf_session *s, const struct xf_fields *case_row, const char *person,
                       const char *what, struct xf_err *err)
{
	char who[XF_CLIP_SIZE];
	if (!names_comparable())
		return not_comparable(err, "核对回避");
	if (mask_recused(s, case_row))
		return xf_err_set(err, XF_EDENIED, "%s 是本案被投诉人员，须回避，不能%s：请由其他人办理",
		                  text_clip(*s->op.full_name ? s->op.full_name : s->op.name, 40, who, sizeof who), what);
	if (!str_empty(person) && person_named(s, case_row, person))
		return xf_err_set(err, XF_EDENIED, "%s是本案被投诉对象，须回避，不能承办：请另定承办人",
		                  text_clip(person, 40, who, sizeof who));
	return XF_OK;
}

/* True when the department is named in the case. */
bool mask_names_department(const struct xf_fields *case_row, const char *department)
{
	return !str_empty(department) && case_texts_name(case_row, department);
}

/* True when the case row says it is confidential (stored 1, shown 是). */
static bool is_confidential(const struct xf_fields *row)
{
	const char *v = fields_str(row, "confidential");
	return strcmp(v, "1") == 0 || strcmp(v, "是") == 0;
}

/* True when any entry of a list of departments (split at commas, 、, semicolons, slashes and
 * spaces) is named in the case. */
static bool names_any_department(const struct xf_fields *case_row, const char *departments)
{
	bool found = false;
	char *copy = xstrdup(departments ? departments : ""), *save = NULL;
	for (char *d = strtok_r(copy, ",，、;；/ \t\n", &save); d && !found;
	     d = strtok_r(NULL, ",，、;；/ \t\n", &save))
		found = mask_names_department(case_row, d);
	free(copy);
	return found;
}

/* The department rule: nobody in a department that receives the case sees who complained
 * when the case is confidential or names that department. */
bool mask_department_may_see(const struct xf_fields *case_row, const char *departments)
{
	return !is_confidential(case_row) && !names_any_department(case_row, departments);
}

/* The rule: a handler does not see who complained where their department may not (above),
 * nor on a case that names them. */
bool mask_may_see_identity(const struct xf_session *s, const struct xf_fields *case_row)
{
	if (s->op.role != XF_ROLE_HANDLER)
		return true;
	return mask_department_may_see(case_row, s->op.department) && !mask_recused(s, case_row);
}

/* Keys that identify the petitioner, and those derived from the document (its type narrows
 * who it is too). */
static const char *const identity_keys[] = {"name", "id_number", "phone", "address", "work_unit"};
static const char *const derived_keys[] = {"gender", "age", "id_type"};

/* True when key is in the list. */
static bool key_in(const char *key, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return true;
	return false;
}

/* The letters and digits of a normalised text only, each keeping its byte range: a number
 * written 138-1234-5678 or (010)1234 5678 reads as its digits. */
static void normed_alnum(const struct normed *in, struct normed *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < in->n; i++)
		if ((in->cp[i] >= '0' && in->cp[i] <= '9') || (in->cp[i] >= 'a' && in->cp[i] <= 'z'))
			normed_add(out, in->cp[i], in->from[i], in->to[i]);
}

/* Marks in hide (len bytes, allocated on first use) every occurrence of the words in hay. */
static void mark_words(const struct normed *hay, const struct normed *words, size_t nwords, unsigned char **hide,
                       size_t len)
{
	for (size_t w = 0; w < nwords; w++) {
		for (long at = normed_find(hay, &words[w], 0); at >= 0; at = normed_find(hay, &words[w], (size_t)at + 1)) {
			if (*hide == NULL)
				*hide = xcalloc(len, 1);
			size_t last = (size_t)at + words[w].n - 1;
			memset(*hide + hay->from[at], 1, hay->to[last] - hay->from[at]);
		}
	}
}

/* text with every occurrence of the words (after normalising), and of the numbers (their
 * letters and digits, whatever separates them in the text), replaced by （保密）; NULL when
 * nothing was replaced. */
static char *redact(const char *text, const struct normed *words, size_t nwords, const struct normed *numbers,
                    size_t nnumbers)
{
	if (str_empty(text) || nwords + nnumbers == 0)
		return NULL;
	struct normed hay;
	normalize_map(text, &hay);
	size_t len = strlen(text);
	unsigned char *hide = NULL;
	mark_words(&hay, words, nwords, &hide, len);
	if (nnumbers) {
		struct normed digits;
		normed_alnum(&hay, &digits);
		mark_words(&digits, numbers, nnumbers, &hide, len);
		normed_free(&digits);
	}
	normed_free(&hay);
	if (hide == NULL)
		return NULL;
	struct xf_buf b;
	buf_init(&b);
	for (size_t i = 0; i < len;) {
		if (!hide[i]) {
			buf_add(&b, text + i, 1);
			i++;
			continue;
		}
		buf_puts(&b, XF_MASKED);
		while (i < len && hide[i])
			i++;
	}
	free(hide);
	return b.data;
}

/* Withholds every value but the case's own identifiers: where names cannot be compared, any
 * text may name the petitioner. */
static void withhold_all(struct xf_fields *out)
{
	static const char *const keep[] = {"id", "case_id", "number"};
	for (size_t i = 0; i < out->n; i++) {
		if (key_in(out->v[i].key, keep, sizeof keep / sizeof keep[0]) || !*out->v[i].val)
			continue;
		free(out->v[i].val);
		out->v[i].val = xstrdup(XF_MASKED);
	}
}

/* Withholds from `out` the petitioner's identity values and every word of the other values
 * that names them. An empty identity value stays empty on screen (`every_box` false) and reads
 * （保密） on paper (true), where a blank box would say there is nothing to hide. */
static void withhold(const struct xf_fields *petitioner, struct xf_fields *out, bool every_box)
{
	if (!names_comparable()) {
		withhold_all(out);
		return;
	}
	struct normed words[sizeof identity_keys / sizeof identity_keys[0]];
	struct normed numbers[2];
	size_t nwords = 0, nnumbers = 0;
	for (size_t i = 0; petitioner && i < sizeof identity_keys / sizeof identity_keys[0]; i++) {
		const char *v = fields_str(petitioner, identity_keys[i]);
		if (strcmp(v, XF_MASKED) == 0)
			continue;
		normalize_map(v, &words[nwords]);
		/* A phone or ID number is also found by its digits, however the text writes them. */
		if (strcmp(identity_keys[i], "phone") == 0 || strcmp(identity_keys[i], "id_number") == 0) {
			normed_alnum(&words[nwords], &numbers[nnumbers]);
			if (numbers[nnumbers].n >= 5)
				nnumbers++;
			else
				normed_free(&numbers[nnumbers]);
		}
		if (words[nwords].n >= 2)
			nwords++;
		else
			normed_free(&words[nwords]);
	}
	for (size_t i = 0; i < out->n; i++) {
		const char *key = out->v[i].key;
		if (key_in(key, identity_keys, sizeof identity_keys / sizeof identity_keys[0]) ||
		    key_in(key, derived_keys, sizeof derived_keys / sizeof derived_keys[0])) {
			if (*out->v[i].val || every_box) {
				free(out->v[i].val);
				out->v[i].val = xstrdup(XF_MASKED);
			}
			continue;
		}
		char *clean = redact(out->v[i].val, words, nwords, numbers, nnumbers);
		if (clean) {
			free(out->v[i].val);
			out->v[i].val = clean;
		}
	}
	for (size_t i = 0; i < nwords; i++)
		normed_free(&words[i]);
	for (size_t i = 0; i < nnumbers; i++)
		normed_free(&numbers[i]);
}

/* Withholds identity and the words naming the petitioner from a reader who may not see them. */
void mask_apply(const struct xf_session *s, const struct xf_fields *case_row, const struct xf_fields *petitioner,
                struct xf_fields *out)
{
	if (!mask_may_see_identity(s, case_row))
		withhold(petitioner, out, false);
}

/* The case a row of fields is about: case_id, else id, else number; 0 when none. */
static int64_t case_of(struct xf_session *s, const struct xf_fields *f)
{
	if (fields_has(f, "case_id"))
		return atoll(fields_str(f, "case_id"));
	if (fields_has(f, "id"))
		return atoll(fields_str(f, "id"));
	int64_t id = 0;
	if (fields_has(f, "number") && case_find(s, fields_str(f, "number"), &id, NULL) == XF_OK)
		return id;
	return 0;
}

/* Adds the identity of the case's petitioners to *pet: the first petitioner's values, and
 * another's where the first has none. */
static int load_petitioner(struct xf_session *s, int64_t id, struct xf_fields *pet, struct xf_err *err)
{
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	struct xf_rows pets;
	int rc = store_list(s->st, "petitioners", "case_id", cid, &pets, err);
	for (size_t p = 0; rc == XF_OK && p < pets.n; p++)
		for (size_t i = 0; i < sizeof identity_keys / sizeof identity_keys[0]; i++)
			if (p == 0 || !fields_has(pet, identity_keys[i]))
				fields_set(pet, identity_keys[i], fields_str(&pets.v[p], identity_keys[i]));
	if (rc == XF_OK)
		rows_free(&pets);
	return rc;
}

/* Reads a case's row; a case that is not there reads as confidential: the safe side. */
static int load_case_row(struct xf_session *s, int64_t id, struct xf_fields *row, struct xf_err *err)
{
	int rc = id > 0 ? store_get(s->st, "cases", id, row, err) : XF_ENOTFOUND;
	if (rc == XF_ENOTFOUND) {
		fields_init(row);
		fields_set(row, "confidential", "1");
		return XF_OK;
	}
	return rc;
}

/* Reads what masking one case for this reader needs: its row and, when its identity is
 * withheld from them, its petitioner's identity (added to the identity already in *pet). */
static int load_for_mask(struct xf_session *s, int64_t id, struct xf_fields *row, struct xf_fields *pet,
                         struct xf_err *err)
{
	int rc = load_case_row(s, id, row, err);
	if (rc != XF_OK || mask_may_see_identity(s, row) || id <= 0)
		return rc;
	return load_petitioner(s, id, pet, err);
}

/* Masks a page that leaves the office for departments, whoever prints it. */
int mask_outgoing(struct xf_session *s, int64_t case_id, const char *departments, bool withhold_anyway,
                  struct xf_fields *out, struct xf_err *err)
{
	if (!names_comparable())
		return not_comparable(err, "为外送的文书核对须保密的内容");
	struct xf_fields row, pet;
	fields_init(&pet);
	int rc = load_case_row(s, case_id, &row, err);
	if (rc != XF_OK)
		return rc;
	if (withhold_anyway || !mask_department_may_see(&row, departments)) {
		if (case_id > 0)
			rc = load_petitioner(s, case_id, &pet, err);
		if (rc == XF_OK)
			withhold(&pet, out, true);
	}
	fields_free(&row);
	fields_free(&pet);
	return rc;
}

/* Masks fields about one case, reading the case when masking may be due. */
int mask_case_fields(struct xf_session *s, struct xf_fields *case_fields, struct xf_err *err)
{
	/* Only a handler is ever masked (mask_may_see_identity): nothing to read for the others. */
	if (s->op.role != XF_ROLE_HANDLER)
		return XF_OK;
	if (!names_comparable())
		return not_comparable(err, "为承办人核对须保密的内容");
	struct xf_fields row, pet;
	fields_init(&pet);
	for (size_t i = 0; i < sizeof identity_keys / sizeof identity_keys[0]; i++)
		if (fields_has(case_fields, identity_keys[i]))
			fields_set(&pet, identity_keys[i], fields_str(case_fields, identity_keys[i]));
	int rc = load_for_mask(s, case_of(s, case_fields), &row, &pet, err);
	if (rc == XF_OK)
		mask_apply(s, &row, &pet, case_fields);
	fields_free(&row);
	fields_free(&pet);
	return rc;
}

/* Masks rows all about one case, reading it once. */
int mask_rows_of_case(struct xf_session *s, int64_t case_id, struct xf_rows *rows, struct xf_err *err)
{
	if (s->op.role != XF_ROLE_HANDLER)
		return XF_OK;
	if (!names_comparable())
		return not_comparable(err, "为承办人核对须保密的内容");
	struct xf_fields row, pet;
	fields_init(&pet);
	int rc = load_for_mask(s, case_id, &row, &pet, err);
	for (size_t i = 0; rc == XF_OK && i < rows->n; i++)
		mask_apply(s, &row, &pet, &rows->v[i]);
	fields_free(&row);
	fields_free(&pet);
	return rc;
}

/* Masks every row. */
int mask_case_rows(struct xf_session *s, struct xf_rows *rows, struct xf_err *err)
{
	for (size_t i = 0; i < rows->n; i++) {
		int rc = mask_case_fields(s, &rows->v[i], err);
		if (rc != XF_OK)
			return rc;
	}
	return XF_OK;
}

/* Search: the tokenizer of the text index, queries built from what a clerk types, the rules of
 * who may find what, and the marked snippet of each result. */
#include "xinfang/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/branch.h"
#include "xinfang/calendar.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/mask.h"
#include "xinfang/phone.h"
#include "xinfang/renumbered.h"
#include "xinfang/text.h"

enum char_class {
	CC_SEPARATOR,
	CC_DIGIT,
	CC_ALPHA,
	CC_WORD, /* Chinese and every other character that is not punctuation */
};

/* Longest digit suffix indexed, and the cap on a whole run or Latin word (in bytes). */
#define SUFFIX_MAX 24
#define SUFFIX_MIN 4
#define TOKEN_MAX 64
/* A filter's token in the index (search_source's facets): the private-use mark, a letter, a
 * colon and the value, up to the end of the line, one token (at most FACET_MAX bytes). */
#define FACET_MARK 0xE000
#define FACET_MARK_UTF8 "\xEE\x80\x80"
#define FACET_MAX 256

/* Folds fullwidth ASCII (Ａ, １) to ASCII and ASCII letters to lower case. */
static uint32_t fold(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	return cp;
}

/* What part a (folded) code point plays in a word. */
static enum char_class classify(uint32_t cp)
{
	if (cp >= '0' && cp <= '9')
		return CC_DIGIT;
	if (cp >= 'a' && cp <= 'z')
		return CC_ALPHA;
	if (cp < 0x80)
		return CC_SEPARATOR;
	if (cp <= 0xBF || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
	    (cp >= 0x3000 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3020) || cp == 0x30FB ||
	    (cp >= 0xFE10 && cp <= 0xFE1F) || (cp >= 0xFE30 && cp <= 0xFE6F) || (cp >= 0xFF61 && cp <= 0xFF65) ||
	    cp == 0xFFFD || (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x2500 && cp <= 0x257F))
		return CC_SEPARATOR;
	return CC_WORD;
}

/* One decoded character of the text. */
struct tchar {
	uint32_t cp;
	enum char_class cls;
	size_t start, end; /* bytes of the original text */
};

/* Reads the character at *i. */
static struct tchar next_char(const char *text, size_t len, size_t *i)
{
	struct tchar c;
	c.start = *i;
	uint32_t raw;
	size_t n = utf8_decode(text + *i, len - *i, &raw);
	if (n == 0) {
		raw = 0xFFFD;
		n = 1;
	}
	*i += n;
	c.end = *i;
	c.cp = fold(raw);
	c.cls = classify(c.cp);
	return c;
}

/* Emits the token of characters run[a..b) (folded Latin and digits, raw bytes otherwise). */
static int emit(xf_token_fn fn, void *ctx, bool colocated, const char *text, const struct tchar *run, size_t a,
                size_t b)
{
	char tok[TOKEN_MAX + 8];
	size_t n = 0;
	for (size_t k = a; k < b; k++) {
		char enc[4];
		size_t m;
		if (run[k].cls == CC_WORD) {
			m = run[k].end - run[k].start;
			memcpy(enc, text + run[k].start, m < 4 ? m : 4);
		} else {
			m = utf8_encode(run[k].cp, enc);
		}
		if (n + m > TOKEN_MAX)
			break;
		memcpy(tok + n, enc, m);
		n += m;
	}
	return fn(ctx, colocated, tok, n, run[a].start, run[b - 1].end);
}

/* Tokens of one run of same-class characters; more_follows: another run follows in the same
 * word (a query keeps the last character of a Chinese run then, as a document has it there). */
static int emit_run(xf_token_fn fn, void *ctx, enum xf_tok_mode mode, const char *text, const struct tchar *run,
                    size_t n, bool more_follows)
{
	int rc = 0;
	if (run[0].cls == CC_WORD) {
		for (size_t k = 0; k < n && rc == 0; k++) {
			bool last = k + 1 == n;
			if (mode == XF_TOK_QUERY) {
				if (!last)
					rc = emit(fn, ctx, false, text, run, k, k + 2);
				else if (n == 1 || more_follows)
					rc = emit(fn, ctx, false, text, run, k, k + 1);
			} else if (!last) {
				rc = emit(fn, ctx, false, text, run, k, k + 2);
				if (rc == 0)
					rc = emit(fn, ctx, true, text, run, k, k + 1);
			} else {
				rc = emit(fn, ctx, false, text, run, k, k + 1);
			}
		}
		return rc;
	}
	/* A digit run or a Latin word: at most TOKEN_MAX of its last characters. */
	size_t from = n > TOKEN_MAX ? n - TOKEN_MAX : 0;
	rc = emit(fn, ctx, false, text, run, from, n);
	if (rc == 0 && mode == XF_TOK_DOCUMENT && run[0].cls == CC_DIGIT)
		for (size_t len = (n - 1 < SUFFIX_MAX ? n - 1 : SUFFIX_MAX); len >= SUFFIX_MIN && rc == 0; len--)
			rc = emit(fn, ctx, true, text, run, n - len, n);
	return rc;
}

/* Cuts text into index or query tokens. */
int search_tokenize(const char *text, size_t len, enum xf_tok_mode mode, xf_token_fn fn, void *ctx)
{
	size_t cap = 64, n = 0, i = 0;
	struct tchar *run = xmalloc(cap * sizeof *run);
	int rc = 0;
	while (rc == 0) {
		struct tchar c;
		bool at_end = i >= len;
		if (!at_end)
			c = next_char(text, len, &i);
		/* A filter's token: whatever run came before ends, the line is one token. */
		if (!at_end && c.cp == FACET_MARK) {
			if (n > 0)
				rc = emit_run(fn, ctx, mode, text, run, n, false);
			n = 0;
			size_t end = c.start;
			while (end < len && text[end] != '\n')
				end++;
			if (rc == 0)
				rc = fn(ctx, false, text + c.start, end - c.start < FACET_MAX ? end - c.start : FACET_MAX, c.start,
				        end);
			i = end;
			continue;
		}
		/* An ID number's final X belongs to its digits. */
		if (!at_end && n > 0 && run[0].cls == CC_DIGIT && c.cp == 'x') {
			size_t j = i;
			bool alone = j >= len || next_char(text, len, &j).cls != CC_ALPHA;
			if (alone) {
				c.cls = CC_DIGIT;
			}
		}
		if (n > 0 && (at_end || c.cls != run[0].cls)) {
			bool more = !at_end && c.cls != CC_SEPARATOR;
			rc = emit_run(fn, ctx, mode, text, run, n, more);
			n = 0;
		}
		if (at_end)
			break;
		if (c.cls == CC_SEPARATOR)
			continue;
		if (n == cap) {
			cap *= 2;
			run = xrealloc(run, cap * sizeof *run);
		}
		run[n++] = c;
	}
	free(run);
	return rc;
}

/* Counts tokens. */
static int count_token(void *ctx, bool colocated, const char *token, size_t len, size_t start, size_t end)
{
	(void)colocated, (void)token, (void)len, (void)start, (void)end;
	(*(size_t *)ctx)++;
	return 0;
}

/* True for the spaces that separate the words a clerk types (ASCII and ideographic). */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		return 1;
	if (strncmp(s, "\u3000", 3) == 0)
		return 3;
	return 0;
}

/* Splits typed words on spaces, keeping those that hold something searchable. */
static size_t split_words(const char *words, char ***out)
{
	size_t n = 0;
	*out = NULL;
	const char *p = words ? words : "";
	while (*p) {
		size_t sp;
		while ((sp = space_at(p)) > 0)
			p += sp;
		if (!*p)
			break;
		const char *start = p;
		while (*p && space_at(p) == 0)
			p++;
		/* The filters' mark is the index's own: a typed one is taken out of the word, which is
		 * searched as if it had never been typed. */
		char *word = xstrndup(start, (size_t)(p - start));
		for (char *mark; (mark = strstr(word, FACET_MARK_UTF8)) != NULL;)
			memmove(mark, mark + strlen(FACET_MARK_UTF8), strlen(mark + strlen(FACET_MARK_UTF8)) + 1);
		size_t tokens = 0;
		search_tokenize(word, strlen(word), XF_TOK_QUERY, count_token, &tokens);
		if (tokens == 0) {
			free(word);
			continue;
		}
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = word;
	}
	return n;
}

/* Frees split words. */
static void free_words(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

/* The full-text expression: every word as a quoted phrase (its quotes doubled), optionally
 * limited to one column. Nothing a clerk types can reach the expression's syntax. */
static char *match_expression(char **w, size_t n, const char *column)
{
	struct xf_buf b;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		buf_puts(&b, i ? " AND " : "");
		if (column)
			buf_printf(&b, "%s : ", column);
		buf_puts(&b, "\"");
		for (const char *p = w[i]; *p; p++)
			buf_add(&b, p[0] == '"' ? "\"\"" : p, p[0] == '"' ? 2 : 1);
		buf_puts(&b, "\"");
	}
	return b.data;
}

/* Appends to a full-text expression the filters' tokens (state, department, category, channel,
 * importance; a handler's department), so the index itself finds only cases passing them. */
static void add_facets(struct xf_buf *b, const struct xf_search_sql *sql)
{
	const struct {
		char letter;
		const char *value;
	} facets[] = {{'s', sql->state},   {'d', sql->department}, {'c', sql->category},
	              {'h', sql->channel}, {'i', sql->importance}, {'d', sql->handler_dept}};
	for (size_t k = 0; k < sizeof facets / sizeof facets[0]; k++) {
		if (facets[k].value == NULL)
			continue;
		buf_printf(b, " AND facets : \"" FACET_MARK_UTF8 "%c:", facets[k].letter);
		for (const char *p = facets[k].value; *p; p++)
			buf_add(b, p[0] == '"' ? "\"\"" : p, p[0] == '"' ? 2 : 1);
		buf_puts(b, "\"");
	}
}

/* Checks an ISO date filter. */
static int check_date(const char *v, const char *label, struct xf_err *err)
{
	int day;
	if (str_empty(v) || date_parse(v, &day, NULL) == XF_OK)
		return XF_OK;
	return xf_err_set(err, XF_EINVAL, "%s“%s”不是日期：请写成 YYYY-MM-DD，如 2026-01-31", label, v);
}

/* True when this handler may find the row's case by its petitioner's identity. */
static bool identity_visible(struct xf_session *s, const struct xf_fields *row)
{
	return mask_may_see_identity(s, row);
}

/* The row's texts as this reader may see them: the words naming a hidden petitioner withheld
 * (the mask's rule), so neither a snippet nor a match shows who complained. */
static char *visible_texts(struct xf_session *s, const struct xf_fields *row, struct xf_err *err)
{
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "id", fields_str(row, "id"));
	fields_set(&f, "texts", fields_str(row, "texts"));
	char *texts = mask_case_fields(s, &f, err) == XF_OK ? xstrdup(fields_str(&f, "texts")) : NULL;
	fields_free(&f);
	return texts;
}

/* True when every searchable word is in the text as a snippet marks it (a word with nothing
 * searchable in it is no condition). */
static bool words_all_in(const char *text, const char *words)
{
	char *copy = xstrdup(words), *save = NULL;
	bool all = true;
	for (char *w = strtok_r(copy, " ", &save); w && all; w = strtok_r(NULL, " ", &save)) {
		char *self = search_snippet(w, w, 10);
		bool searchable = strstr(self, "【") != NULL;
		free(self);
		if (!searchable)
			continue;
		char *snip = search_snippet(text, w, 1 << 20);
		all = strstr(snip, "【") != NULL;
		free(snip);
	}
	free(copy);
	return all;
}

/* True when a case whose identity is hidden from the reader still matches the words once the
 * words naming the petitioner are withheld: otherwise a search for a name would tell that the
 * case's texts hold it. */
static bool matches_when_masked(struct xf_session *s, const struct xf_fields *row, const char *words)
{
	struct xf_err err;
	char *texts = visible_texts(s, row, &err);
	bool found = texts != NULL && words_all_in(texts, words);
	free(texts);
	return found;
}

/* A handler's search: their department's candidates in batches, keeping those matched by
 * the texts alone (as the mask leaves them) or whose identity the mask lets them see, rows
 * [from, to) of what is kept into out (when not NULL); *counted (when not NULL) gets how
 * many were kept, counting stopping at to. */
static int handler_search(struct xf_session *s, struct xf_search_sql *sql, const char *words, bool has_words,
                          long from, long to, struct xf_rows *out, long *counted, struct xf_err *err)
{
	enum { BATCH = 256 };
	long kept = 0;
	size_t cap = 0;
	/* Through the index, each batch starts below the last row read (an OFFSET would read every
	 * earlier batch again); case numbers and filters alone give few rows or keep them all. */
	bool below = sql->match && !sql->numbers;
	/* Counting reads only what the mask's rule needs; the texts of the few hidden rows the
	 * words may have matched are read one by one. */
	sql->lean = out == NULL;
	sql->offset = 0;
	sql->before_row = 0;
	for (;;) {
		/* No more rows than still wanted (a page's 21 rather than 256 of a department's cases,
		 * every one read in full), at least a few, at most a batch. */
		long want = to - kept < 16 ? 16 : to - kept;
		sql->limit = want < BATCH ? (int)want : BATCH;
		struct xf_rows batch;
		int rc = store_search(s->st, sql, &batch, err);
		if (rc != XF_OK) {
			if (out)
				rows_free(out);
			return rc;
		}
		if (below && batch.n)
			sql->before_row = strtoll(fields_str(&batch.v[batch.n - 1], "search_row"), NULL, 10);
		else
			sql->offset += sql->limit;
		for (size_t i = 0; i < batch.n && kept < to && rc == XF_OK; i++) {
			struct xf_fields *r = &batch.v[i];
			bool keep = !has_words || identity_visible(s, r);
			/* A hidden identity: only the texts may have matched, as the mask leaves them. */
			const char *row = fields_str(r, "search_row");
			bool in_texts = false;
			if (!keep && *row && sql->match_text)
				rc = store_search_texts_match(s->st, strtoll(row, NULL, 10), sql->match_text, &in_texts, err);
			if (!keep && in_texts)
				rc = store_search_row_source(s->st, r, err);
			if (!keep && in_texts && rc == XF_OK)
				keep = matches_when_masked(s, r, words);
			if (out && keep && kept >= from) {
				if (out->n == cap) {
					cap = cap ? cap * 2 : 16;
					out->v = xrealloc(out->v, cap * sizeof *out->v);
				}
				out->v[out->n++] = *r;
				fields_init(r);
			}
			kept += keep;
		}
		size_t got = batch.n;
		rows_free(&batch);
		if (rc != XF_OK) {
			if (out)
				rows_free(out);
			return rc;
		}
		if (got < (size_t)sql->limit || kept >= to) {
			if (counted)
				*counted = kept;
			return XF_OK;
		}
	}
}

/* What a result row shows: the state's name, the snippet (from the texts, else from a
 * visible identity), and through the mask nothing of an identity hidden from the reader. */
static int present_row(struct xf_session *s, struct xf_fields *r, const char *words, bool has_words,
                       struct xf_err *err)
{
	/* The indexed text of the rows shown only (the index keeps no copy of it). */
	int rc = fields_get(r, "texts") ? XF_OK : store_search_row_source(s->st, r, err);
	if (rc != XF_OK)
		return rc;
	bool visible = identity_visible(s, r);
	int st = case_state_parse(fields_str(r, "state"));
	fields_set(r, "state", st >= 0 ? case_state_label((enum xf_state)st) : "");
	char *texts = visible ? xstrdup(fields_str(r, "texts")) : visible_texts(s, r, err);
	if (texts == NULL)
		return err && err->code != XF_OK ? (int)err->code : XF_EIO;
	char *snip = search_snippet(texts, words, 60);
	free(texts);
	if (visible && has_words && strstr(snip, "【") == NULL) {
		char *who = xasprintf("%s %s", fields_str(r, "people"), fields_str(r, "numbers"));
		free(snip);
		snip = search_snippet(who, words, 60);
		free(who);
	}
	/* Only what a result shows goes on: the rest served the choice and the mask. */
	struct xf_fields shown;
	fields_init(&shown);
	static const char *const keys[] = {"id", "number", "received", "state", "category", "channel",
	                                   "department", "importance", "name"};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		fields_set(&shown, keys[k], fields_str(r, keys[k]));
	fields_set(&shown, "snippet", snip);
	free(snip);
	fields_free(r);
	*r = shown;
	return mask_case_fields(s, r, err);
}

/* Checks every filter the same way: dates that exist and run forwards, a state, channel,
 * category, department and importance the store knows (the choices in the message); *state
 * receives the state's key. */
static int check_filters(struct xf_session *s, const struct xf_search *q, const char **state, struct xf_err *err)
{
	*state = NULL;
	int rc;
	if ((rc = check_date(q->since, "起始日期", err)) != XF_OK || (rc = check_date(q->until, "截止日期", err)) != XF_OK)
		return rc;
	if (!str_empty(q->since) && !str_empty(q->until) && strcmp(q->until, q->since) < 0)
		return xf_err_set(err, XF_EINVAL, "截止日期 %s 早于起始日期 %s", q->until, q->since);
	if (!str_empty(q->state)) {
		int st = case_state_parse(q->state);
		if (st < 0) {
			char shown[XF_CLIP_SIZE];
			return xf_err_set(err, XF_EINVAL, "状态“%s”不认识：可选 待批 已转办 已报结 已答复 已结案",
			                  text_clip(q->state, 40, shown, sizeof shown));
		}
		*state = case_state_key((enum xf_state)st);
	}
	const struct {
		const char *table, *label, *value;
	} lists[] = {
		{"channels", "来源渠道", q->channel},
		{"categories", "类别", q->category},
		{"departments", "承办部门", q->department},
	};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		if (!str_empty(lists[i].value) &&
		    (rc = case_check_choice(s, lists[i].table, lists[i].label, lists[i].value, err)) != XF_OK)
			return rc;
	if (!str_empty(q->importance) && strcmp(q->importance, "一般") != 0 && strcmp(q->importance, "重要") != 0) {
		char shown[XF_CLIP_SIZE];
		return xf_err_set(err, XF_EINVAL, "重要程度“%s”不认识：可选 一般、重要",
		                  text_clip(q->importance, 40, shown, sizeof shown));
	}
	/* A handler finds only their department's cases: another department is said, not
	 * answered with an empty list. */
	if (s->op.role == XF_ROLE_HANDLER && !str_empty(q->department) &&
	    strcmp(q->department, s->op.department) != 0)
		return xf_err_set(err, XF_EDENIED, "经办人只能查找本部门（%s）的事项：承办部门请选 %s 或不填", s->op.department,
		                  s->op.department);
	return XF_OK;
}

/* True when a word is a bare sequence number: 1 to 7 ASCII digits, not all zero. */
static bool bare_sequence(const char *word, int *seq)
{
	size_t n = strspn(word, "0123456789");
	if (n == 0 || n > 7 || word[n] != '\0')
		return false;
	*seq = atoi(word);
	return *seq > 0;
}

/* Takes the words that are case numbers (2026-0201, 2026年第0201号, BJ01-2026年第0201号) out
 * of the words: they become a JSON array of numbers as stored (*numbers, NULL when none), a
 * number without a branch's code being one of own_code's branch, and the rest is returned
 * joined by spaces (a new string); an earlier number of a case moved between branches brings
 * its current one along (the reach is the query's). A year no case can have (0755-1234567 is a telephone)
 * leaves the word to be searched as written. */
static char *take_numbers(struct xf_store *st, const char *words, const char *own_code, char **numbers)
{
	char **w;
	size_t n = split_words(words, &w);
	struct xf_buf rest, list;
	buf_init(&rest);
	buf_puts(&rest, "");
	buf_init(&list);
	for (size_t i = 0; i < n; i++) {
		int year, seq;
		char code[XF_BRANCH_CODE_MAX + 1];
		if (case_parse_branch_number(w[i], code, &year, &seq, NULL) == XF_OK && year >= 1980 &&
		    year <= date_year(clock_today()) + 1) {
			char number[32];
			case_format_branch_number(*code ? code : own_code, year, seq, number);
			buf_printf(&list, "%s\"%s\"", list.len ? "," : "[", number);
			/* An earlier number of a case moved between branches is the case as it is now. */
			char now[32];
			if (case_renumbered_to(st, number, now))
				buf_printf(&list, ",\"%s\"", now);
		} else {
			buf_printf(&rest, "%s%s", rest.len ? " " : "", w[i]);
		}
	}
	free_words(w, n);
	if (list.len) {
		buf_puts(&list, "]");
		*numbers = list.data;
	} else {
		buf_free(&list);
		*numbers = NULL;
	}
	return rest.data;
}

/* A search made ready to run: its words, its SQL values and the case a bare number leads
 * with. */
struct plan {
	char *numbers, *rest, *phone;
	char **w;
	size_t nw;
	struct xf_search_sql sql;
	struct xf_rows lead; /* this year's case of a bare number, shown first (0 or 1 row) */
	struct xf_buf joined; /* the words, one space between */
	bool handler;
	struct xf_reach reach; /* the branches searched: the session's reach, or the one filtered */
	char own_code[XF_BRANCH_CODE_MAX + 1]; /* the code of the account's branch */
};

/* Frees a plan. */
static void plan_free(struct plan *p)
{
	rows_free(&p->lead);
	free((char *)p->sql.match);
	free((char *)p->sql.match_text);
	free_words(p->w, p->nw);
	free(p->phone);
	free(p->rest);
	free(p->numbers);
	buf_free(&p->joined);
}

/* Checks a search and makes it ready: filters against the lists, case numbers taken out of
 * the words, a phone written any usual way as it is stored, a bare number's case looked up. */
static int plan_search(struct xf_session *s, const struct xf_search *q, struct plan *p, struct xf_err *err)
{
	memset(p, 0, sizeof *p);
	buf_init(&p->joined);
	buf_puts(&p->joined, "");
	const char *state;
	int rc = check_filters(s, q, &state, err);
	if (rc == XF_OK)
		rc = branch_list_reach(s, q->branch, &p->reach, err);
	if (rc != XF_OK)
		return rc;
	/* The code numbers without one are read with; a branch that cannot be read gives none, and
	 * those numbers then find nothing of a branch with a code (never more than the reach). */
	struct xf_branch own;
	struct xf_err unread;
	struct xf_reach mine;
	branch_reach(s, &mine);
	if (branch_get(s->st, mine.branch, &own, &unread) == XF_OK)
		snprintf(p->own_code, sizeof p->own_code, "%s", own.code);
	p->sql.reach = &p->reach;
	p->rest = take_numbers(s->st, q->words, p->own_code, &p->numbers);
	const char *words = p->rest;
	if (!str_empty(words) && phone_normalize(words, "", &p->phone, NULL) == XF_OK)
		words = p->phone;
	p->nw = split_words(words, &p->w);
	for (size_t i = 0; i < p->nw; i++)
		buf_printf(&p->joined, "%s%s", i ? " " : "", p->w[i]);
	struct xf_search_sql *sql = &p->sql;
	sql->match = p->nw ? match_expression(p->w, p->nw, NULL) : NULL;
	sql->match_text = p->nw ? match_expression(p->w, p->nw, "texts") : NULL;
	sql->since = str_empty(q->since) ? NULL : q->since;
	sql->until = str_empty(q->until) ? NULL : q->until;
	sql->state = state;
	sql->department = str_empty(q->department) ? NULL : q->department;
	sql->category = str_empty(q->category) ? NULL : q->category;
	sql->channel = str_empty(q->channel) ? NULL : q->channel;
	sql->importance = str_empty(q->importance) ? NULL : q->importance;
	sql->numbers = p->numbers;
	p->handler = s->op.role == XF_ROLE_HANDLER;
	if (p->handler)
		sql->handler_dept = s->op.department;
	if (sql->match) {
		struct xf_buf with_facets;
		buf_init(&with_facets);
		buf_puts(&with_facets, sql->match);
		add_facets(&with_facets, sql);
		free((char *)sql->match);
		sql->match = with_facets.data;
	}
	/* One bare number alone (0201) is also this year's case of that number, shown first, as
	 * the filters and the department rule allow; its digits are searched as well. */
	int seq;
	if (p->numbers == NULL && p->nw == 1 && bare_sequence(p->w[0], &seq)) {
		char number[32];
		case_format_branch_number(p->own_code, date_year(clock_today()), seq, number);
		char *one_number = xasprintf("[\"%s\"]", number);
		struct xf_search_sql one = *sql;
		one.match = one.match_text = NULL;
		one.numbers = one_number;
		one.limit = 1;
		rc = store_search(s->st, &one, &p->lead, err);
		free(one_number);
		if (rc == XF_OK && p->lead.n == 1)
			sql->exclude_id = strtoll(fields_str(&p->lead.v[0], "id"), NULL, 10);
	}
	return rc;
}

/* Runs a search for this operator. */
int search_cases(struct xf_session *s, const struct xf_search *q, struct xf_rows *out, bool *more,
                 struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	*more = false;
	struct plan p;
	int rc = plan_search(s, q, &p, err);
	int per_page = q->per_page > 0 ? q->per_page : 20;
	int page = q->page > 0 ? q->page : 1;
	long want_from = (long)(page - 1) * per_page, want_to = want_from + per_page + 1;
	long nlead = (long)p.lead.n;
	long rest_from = want_from > nlead ? want_from - nlead : 0, rest_to = want_to - nlead;
	if (rc != XF_OK) {
		/* the filters or the lead's lookup failed: err says why */
	} else if (!p.handler) {
		p.sql.limit = (int)(rest_to - rest_from);
		p.sql.offset = (int)rest_from;
		rc = store_search(s->st, &p.sql, out, err);
	} else {
		rc = handler_search(s, &p.sql, p.joined.data, p.nw > 0, rest_from, rest_to, out, NULL, err);
	}
	if (rc == XF_OK && want_from < nlead) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		memmove(out->v + 1, out->v, out->n * sizeof *out->v);
		out->v[0] = p.lead.v[0];
		out->n++;
		fields_init(&p.lead.v[0]);
	}
	if (rc == XF_OK && out->n > (size_t)per_page) {
		*more = true;
		fields_free(&out->v[--out->n]);
	}
	/* The indexed texts of the rows shown, all at once (present_row reads any still missing). */
	if (rc == XF_OK)
		rc = store_search_rows_source(s->st, out->v, out->n, err);
	for (size_t i = 0; rc == XF_OK && i < out->n; i++)
		rc = present_row(s, &out->v[i], p.joined.data, p.nw > 0, err);
	plan_free(&p);
	if (rc != XF_OK)
		rows_free(out);
	return rc;
}

/* Counts what a search finds for this operator, up to cap. */
int search_count(struct xf_session *s, const struct xf_search *q, long cap, long *total, struct xf_err *err)
{
	*total = 0;
	struct plan p;
	int rc = plan_search(s, q, &p, err);
	long nlead = (long)p.lead.n, rest = 0;
	if (rc == XF_OK && cap + 1 > nlead) {
		if (!p.handler) {
			p.sql.limit = (int)(cap + 1 - nlead);
			p.sql.offset = 0;
			rc = store_search_count(s->st, &p.sql, &rest, err);
		} else {
			rc = handler_search(s, &p.sql, p.joined.data, p.nw > 0, 0, cap + 1 - nlead, NULL, &rest, err);
		}
	}
	if (rc == XF_OK)
		*total = nlead + rest;
	plan_free(&p);
	return rc;
}

/* The total of the search whose page q found `shown` rows, `more` following. */
int search_total(struct xf_session *s, const struct xf_search *q, size_t shown, bool more, long *total, bool *exact,
                 struct xf_err *err)
{
	int per_page = q->per_page > 0 ? q->per_page : 20, page = q->page > 0 ? q->page : 1;
	*exact = !more;
	*total = (long)(page - 1) * per_page + (long)shown;
	return more ? search_count(s, q, XF_SEARCH_COUNT_CAP, total, err) : XF_OK;
}

/* A span of the text that matched a word. */
struct span {
	size_t start, end;
};

/* True when the bytes at p start with word, Latin letters (and fullwidth forms) folded. */
static size_t match_at(const char *text, size_t len, size_t p, const char *word)
{
	size_t i = p, j = 0, wl = strlen(word);
	while (j < wl) {
		if (i >= len)
			return 0;
		struct tchar a = next_char(text, len, &i);
		struct tchar b = next_char(word, wl, &j);
		if (a.cp != b.cp)
			return 0;
	}
	return i - p;
}

/* The text with every run of spaces, tabs and line breaks made one space, trimmed. */
static char *flatten(const char *text)
{
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	bool space = false;
	for (const char *p = text; *p; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_puts(&b, " ");
		space = false;
		buf_add(&b, p, 1);
	}
	return b.data;
}

/* Marks the words in text with 【】 around a window of the first match. */
char *search_snippet(const char *original, const char *words, int width)
{
	char *text = flatten(original);
	size_t len = strlen(text);
	char **w = NULL;
	size_t nw = 0;
	/* Each word is matched by its searchable pieces: split on the same separators. */
	const char *p = words;
	while (*p) {
		size_t i = 0, plen = strlen(p);
		struct tchar c = next_char(p, plen, &i);
		if (c.cls == CC_SEPARATOR) {
			p += i;
			continue;
		}
		size_t end = 0;
		while (end < plen) {
			size_t j = end;
			if (next_char(p, plen, &j).cls == CC_SEPARATOR)
				break;
			end = j;
		}
		w = xrealloc(w, (nw + 1) * sizeof *w);
		w[nw++] = xstrndup(p, end);
		p += end;
	}
	struct span *spans = NULL;
	size_t ns = 0;
	for (size_t i = 0; i < len;) {
		size_t best = 0;
		for (size_t k = 0; k < nw; k++) {
			size_t m = match_at(text, len, i, w[k]);
			if (m > best)
				best = m;
		}
		if (best > 0) {
			spans = xrealloc(spans, (ns + 1) * sizeof *spans);
			spans[ns].start = i;
			spans[ns++].end = i + best;
			i += best;
		} else {
			next_char(text, len, &i);
		}
	}
	free_words(w, nw);
	/* The window: from six characters before the first match, about `width` columns. */
	size_t from = 0;
	if (ns > 0) {
		size_t starts[6], i = 0;
		int nst = 0;
		while (i < spans[0].start) {
			starts[nst % 6] = i;
			nst++;
			next_char(text, len, &i);
		}
		if (nst > 6)
			from = starts[nst % 6];
	}
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, from > 0 ? "…" : "");
	int cols = 0;
	size_t si = 0, i = from;
	/* A match begun is shown whole (1381234【5678】, never 【56】…), past the width if need be. */
	while (i < len && (cols < width || (si < ns && i > spans[si].start && i < spans[si].end))) {
		if (si < ns && i == spans[si].start)
			buf_puts(&b, "【");
		size_t at = i;
		uint32_t cp = utf8_next(text, len, &i);
		buf_add(&b, text + at, i - at);
		cols += text_cp_width(cp);
		if (si < ns && i >= spans[si].end) {
			buf_puts(&b, "】");
			si++;
		}
	}
	if (i < len)
		buf_puts(&b, "…");
	free(spans);
	free(text);
	return b.data;
}

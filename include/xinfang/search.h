/* Finding cases by any words of their texts and their petitioners: Chinese one- and
 * two-character words, partial names, the last digits of a phone or ID number, with filters. */
#ifndef XINFANG_SEARCH_H
#define XINFANG_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include "xinfang/auth.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* How text is cut into index tokens. A document gives, for every run of Chinese (or any
 * non-Latin) characters, each character's bigram with the next one and the character itself
 * at the same position; Latin words as lowercase words; digit runs as the run and its
 * suffixes of 4 to 24 digits at the same position (an ID number's final X counts as a
 * digit). A query gives the bigrams of a run (a lone character: itself), so one-character,
 * two-character and longer words are all phrases of the same index. */
enum xf_tok_mode {
	XF_TOK_DOCUMENT,
	XF_TOK_QUERY,
};
/* Receives one token: its bytes, where it came from in the text, and whether it shares the
 * position of the token before it. A non-zero return stops tokenizing and is passed back. */
typedef int (*xf_token_fn)(void *ctx, bool colocated, const char *token, size_t len, size_t start, size_t end);
/* Cuts text (len bytes, any bytes: invalid UTF-8 reads as a separator) into tokens. */
int search_tokenize(const char *text, size_t len, enum xf_tok_mode mode, xf_token_fn fn, void *ctx);

/* A search: words (any text a clerk types, separated by spaces; every word must match) and
 * filters (NULL or "" = any). Dates are ISO; state, category, channel, importance and
 * department as the lists name them (states also by key). page counts from 1. */
struct xf_search {
	const char *words;
	const char *since, *until;
	const char *state, *department, *category, *channel, *importance;
	int page;
	int per_page; /* 0: 20 */
	const char *branch; /* a branch's code: its cases only (in reach, else refused); NULL: all in reach */
};

/* Runs a search for this operator, newest receipt first. A handler finds only cases of their
 * department, and never by the identity (name, address, work unit, ID number, phone) of a
 * petitioner hidden from them. Rows: id number received state category channel department
 * importance name snippet (the matching text with 【】 around each match; the identity
 * stays out of it where it is hidden). *more tells whether another page follows. Words that
 * hold nothing searchable (only punctuation) are ignored; no words at all lists by the
 * filters alone. */
int search_cases(struct xf_session *s, const struct xf_search *q, struct xf_rows *out, bool *more,
                 struct xf_err *err);

/* Counts the cases search_cases finds for this operator, under the same rules, up to cap:
 * *total is the count, or cap + 1 when there are more than cap. The screens count to
 * XF_SEARCH_COUNT_CAP: a count costs the reading of that many index rows, and past a thousand
 * a clerk narrows the search rather than reads on. */
enum { XF_SEARCH_COUNT_CAP = 1000 };
int search_count(struct xf_session *s, const struct xf_search *q, long cap, long *total, struct xf_err *err);
/* The total a page of search_cases belongs to: on the last page (no more) the rows before it
 * and on it, exactly (*exact), past the cap too; before it search_count to
 * XF_SEARCH_COUNT_CAP. */
int search_total(struct xf_session *s, const struct xf_search *q, size_t shown, bool more, long *total, bool *exact,
                 struct xf_err *err);

/* Marks every occurrence of the words (space-separated) in text with 【】 and keeps about
 * `width` display columns around the first one (a new string). Latin letters match either
 * case. Used for the search results; exposed for the screens and the tests. */
char *search_snippet(const char *text, const char *words, int width);

#endif

/* The benchmark's data generator. */
#ifndef XINFANG_BENCH_GENERATE_H
#define XINFANG_BENCH_GENERATE_H

#include "xinfang/auth.h"
#include "xinfang/branch.h"

struct gen {
	struct xf_session *s; /* an admin session on the store to fill */
	unsigned seed;
	unsigned people;      /* distinct petitioners made so far */
	long backlog;         /* about this many old cases left open (a neglected backlog); 0: none */
	long open_per_million; /* the share of old cases left open, set by gen_cases */
	const struct xf_branch *branches; /* with nbranches: each case in one of these, at random, as its
	                                   * desk there would register it (its number, sequence and audit
	                                   * records the branch's); NULL: the session's own branch */
	int nbranches;
};

/* Adds n realistic cases: five years of receipts, nearly all old ones closed, the last 90
 * days (at most 30 a day) along the workflow, one petitioner in ten coming back; numbers
 * follow dates. With g->backlog, about that many of the old cases are left open as well. */
int gen_cases(struct gen *g, long n, struct xf_err *err);

#endif

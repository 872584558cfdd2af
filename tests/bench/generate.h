/* The benchmark's data generator. */
#ifndef XINFANG_BENCH_GENERATE_H
#define XINFANG_BENCH_GENERATE_H

#include "xinfang/auth.h"

struct gen {
	struct xf_session *s; /* an admin session on the store to fill */
	unsigned seed;
	unsigned people;      /* distinct petitioners made so far */
};

/* Adds n realistic cases: five years of receipts, nearly all old ones closed, the last 90
 * days (at most 30 a day) along the workflow, one petitioner in ten coming back; numbers
 * follow dates. */
int gen_cases(struct gen *g, long n, struct xf_err *err);

#endif

/* A demo store: realistic cases in every state around today, for trying the desk. */
#ifndef XINFANG_DEMO_H
#define XINFANG_DEMO_H

#include "xinfang/auth.h"
#include "xinfang/util.h"

/* Adds the demo accounts (clerk, head, handler: same password as given) and `count` cases
 * received over the last ten weeks and moved along as an office would, deterministically
 * from seed. Needs the admin's session. */
int demo_fill(struct xf_session *admin, const char *password, int count, unsigned seed, struct xf_err *err);

#endif

/* What the head office watches across the branches under it: the limits list of every branch
 * in reach, earliest due first, a page at a time, each case named with its branch. */
#ifndef XINFANG_OVERSIGHT_H
#define XINFANG_OVERSIGHT_H

#include <stdbool.h>
#include "xinfang/auth.h"
#include "xinfang/util.h"

/* Rows on one page of the limits list across branches (the desk's and due's page). */
#define XF_OVERSIGHT_PAGE 50

/* The cases in the account's reach with a limit nearing (within the office's warning days) or
 * past, by due date: rows offset to offset + limit - 1, fields branch (its code, or its name
 * when it has none) branch_name number limit state due days_left name (masked for the reader)
 * department; *more when rows follow. Office staff, supervisors and admins. */
int oversight_due(struct xf_session *s, long offset, long limit, struct xf_rows *out, bool *more,
                  struct xf_err *err);

#endif

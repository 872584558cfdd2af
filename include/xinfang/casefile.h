/* The case file (卷宗): every record of a case and its history, labelled in Chinese, with
 * operators by name and role, and nothing the case view hides from this operator. */
#ifndef XINFANG_CASEFILE_H
#define XINFANG_CASEFILE_H

#include <stdint.h>
#include "xinfang/auth.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* Every record of a case (instructions, transfers, returns, outcomes, replies, extensions,
 * urgings, materials, closures, links both ways), oldest first. Each row holds the meta keys
 * "#title" (批转, 报结 …), "#at" (YYYY-MM-DD HH:MM), "#who" (姓名（角色）), "#number" (the
 * other case of a link), then its non-empty items in order as Chinese label = value. */
int casefile_records(struct xf_session *s, int64_t id, struct xf_rows *out, struct xf_err *err);

/* The history of a case, oldest first: rows with "#at", "#who" (姓名（角色）), "#action"
 * (登记, 批转 …) and items label = "旧值 → 新值" (or the value a record added). Values the
 * case view hides from this operator (a masked petitioner's identity) stay hidden. */
int casefile_history(struct xf_session *s, int64_t id, struct xf_rows *out, struct xf_err *err);

/* "姓名（角色）" of an operator by login name, or the name itself when unknown. */
void casefile_operator_label(struct xf_session *s, const char *login, char *out, size_t n);

#endif

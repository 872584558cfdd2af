/* Earlier numbers of a case moved between branches: branch_moves keeps the number a case had
 * before each move, and a look-up by it reaches the case as it is now, when the reader reaches
 * the case, saying it was renumbered. */
#include "xinfang/renumbered.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/branch.h"
#include "xinfang/case.h"

/* The case id that last had the stored number old before a move (0: none). */
static int64_t moved_from(struct xf_store *st, const char *old)
{
	struct xf_rows rows;
	struct xf_err ignored;
	if (store_list(st, "branch_moves", "from_number", old, &rows, &ignored) != XF_OK)
		return 0;
	int64_t id = 0;
	for (size_t i = 0; i < rows.n; i++) /* oldest first: the last move wins */
		id = atoll(fields_str(&rows.v[i], "case_id"));
	rows_free(&rows);
	return id;
}

/* The current number of the case whose earlier number old was. */
bool case_renumbered_to(struct xf_store *st, const char *old, char now[32])
{
	now[0] = '\0';
	int64_t id = moved_from(st, old);
	struct xf_fields row;
	struct xf_err ignored;
	if (id == 0 || store_get(st, "cases", id, &row, &ignored) != XF_OK)
		return false;
	snprintf(now, 32, "%s", fields_str(&row, "number"));
	fields_free(&row);
	return *now != '\0' && strcmp(now, old) != 0;
}

/* A number as it is stored: with its branch's code (typed, or the account's own branch's). */
static int stored_form(struct xf_session *s, const char *number, char out[32], struct xf_err *err)
{
	int year, seq;
	char code[XF_BRANCH_CODE_MAX + 1];
	int rc = case_parse_branch_number(number, code, &year, &seq, err);
	if (rc != XF_OK)
		return rc;
	struct xf_branch b;
	struct xf_err ignored;
	if (*code == '\0' && branch_get(s->st, s->op.branch, &b, &ignored) == XF_OK)
		snprintf(code, sizeof code, "%s", b.code);
	else if (*code && branch_find(s->st, code, &b, &ignored) == XF_OK)
		snprintf(code, sizeof code, "%s", b.code); /* the code as the branch spells it */
	case_format_branch_number(code, year, seq, out);
	return XF_OK;
}

/* Finds a case by an earlier number. */
int case_find_renumbered(struct xf_session *s, const char *number, int64_t *id, char now[32], struct xf_err *err)
{
	now[0] = '\0';
	char old[32];
	int rc = stored_form(s, number, old, err);
	if (rc != XF_OK)
		return rc;
	int64_t found = moved_from(s->st, old);
	struct xf_fields row;
	struct xf_err ignored;
	if (found == 0 || store_get(s->st, "cases", found, &row, &ignored) != XF_OK)
		return xf_err_set(err, XF_ENOTFOUND, "没有 %s 这件信访事项（或它不在您的范围内）", number);
	bool reached = branch_in_reach(s, branch_of_row(&row));
	snprintf(now, 32, "%s", fields_str(&row, "number"));
	fields_free(&row);
	if (!reached) {
		now[0] = '\0';
		return xf_err_set(err, XF_ENOTFOUND, "没有 %s 这件信访事项（或它不在您的范围内）", number);
	}
	*id = found;
	return XF_OK;
}

/* case_find, saying when the number was an earlier one. */
int case_lookup(struct xf_session *s, const char *number, int64_t *id, char *said, size_t n, struct xf_err *err)
{
	if (said && n)
		said[0] = '\0';
	struct xf_err first, again;
	int rc = case_find_current(s, number, id, &first);
	if (rc == XF_ENOTFOUND) {
		char now[32], old[32];
		if (case_find_renumbered(s, number, id, now, &again) == XF_OK) {
			if (said && n && stored_form(s, number, old, &again) == XF_OK)
				snprintf(said, n, "原编号 %s → 现编号 %s", old, now);
			return XF_OK;
		}
	}
	if (rc != XF_OK && err)
		*err = first;
	return rc;
}

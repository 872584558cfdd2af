/* The ledger (台账): every case of a period as CSV (GB18030 or UTF-8) or XLSX, and an old Excel
 * ledger saved as CSV brought in, all or nothing. */
#ifndef XINFANG_LEDGER_H
#define XINFANG_LEDGER_H

#include <stdbool.h>
#include "xinfang/auth.h"
#include "xinfang/util.h"

/* One column of the ledger: its key (the scan's column), its Chinese header and the other
 * headers an old ledger may use for it ("|"-separated). */
struct xf_ledger_column {
	const char *key;
	const char *header;
	const char *synonyms;
	int kind; /* how the value is written and checked (ledger.c) */
};
extern const struct xf_ledger_column xf_ledger_columns[];
extern const size_t xf_ledger_column_count;

/* Progress of a long run: rows done so far and, where known, of how many (0 unknown). */
typedef void (*xf_progress_fn)(void *ctx, long done, long total);

enum xf_ledger_format { XF_LEDGER_CSV, XF_LEDGER_XLSX };

/* What to export. */
struct xf_export {
	const char *since, *until;    /* receipt dates YYYY-MM-DD, NULL for an open end */
	enum xf_ledger_format format;
	const char *encoding;         /* CSV: "GB18030" (default) or "UTF-8" (written with a BOM) */
	const char *path;             /* the file to write ("-": standard output, CSV only) */
	xf_progress_fn progress;
	void *progress_ctx;
	long *beyond_gbk;             /* out, may be NULL: characters of a GB18030 CSV outside GBK (𠮷),
	                               * which Excel opening the file as GBK (a double-click) shows garbled */
	const char *branch;           /* the code of the one branch to export (NULL: every branch in reach) */
};

/* Writes every case received in the period, one row per case, Chinese headers. Only roles that
 * may see every case in full (operator, head, admin, supervisor) may export, and only the
 * cases in their reach (or of the one branch opts->branch names). A store of more than one
 * branch adds a last column 分支机构 ("BJ01 北京分行"); a one-office store's columns stay as
 * they were. *rows gets the count. */
int ledger_export(struct xf_session *s, const struct xf_export *opts, long *rows, struct xf_err *err);

/* One problem of an import: the line of the file, the column (1-based; 0 for the whole row)
 * with its header, and what is wrong. */
struct xf_import_problem {
	long line;
	int column;
	char header[64];
	char msg[384];
};

/* What an import found or did. */
struct xf_import_report {
	char encoding[16];           /* "UTF-8" or "GB18030" */
	char sha256[65];
	long rows;                   /* cases in the file */
	long imported;               /* cases written (0 for a dry run or when refused) */
	char first_number[32], last_number[32];
	struct xf_import_problem *problems; /* at most the first 1000 */
	size_t nproblems;
	long problem_count;          /* all of them */
	char *notes;                 /* headers not used, and the like ("" when none) */
};
void import_report_free(struct xf_import_report *r);

/* Reads a ledger CSV (UTF-8 with or without BOM, else GB18030/GBK), matches its columns by
 * their Chinese headers, checks every row and, unless dry_run or a problem was found, writes
 * every case in one transaction (numbers and dates as in the file, limits computed where the
 * file has none, an audit record for each case and one for the import). A file imported before
 * (same bytes) is refused. Returns XF_EINVAL when the file has problems (listed in rep). */
int ledger_import(struct xf_session *s, const char *path, bool dry_run, xf_progress_fn progress, void *progress_ctx,
                  struct xf_import_report *rep, struct xf_err *err);

#endif

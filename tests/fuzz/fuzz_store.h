/* A small real store for the fuzz targets that drive the core and the desk: made once per
 * process, copied fresh for every input so each run starts from the same cases. */
#ifndef XINFANG_FUZZ_STORE_H
#define XINFANG_FUZZ_STORE_H

#include "xinfang/auth.h"
#include "xinfang/store.h"

/* The accounts of the store, all with the password "secret1": admin, clerk (王丽), head
 * (李建国) and handler (赵敏 of 个人金融部). */
extern const char *const fuzz_accounts[4];

/* Opens a fresh copy of the store (made on the first call): 2026-0001 queued, 2026-0002
 * transferred to 个人金融部 (confidential, naming 赵 敏), 2026-0003 reported. Today is
 * 2026-11-25. Aborts when the store cannot be made. */
struct xf_store *fuzz_store_open(void);
/* A session for one of the accounts without a password check (index 0-3). */
void fuzz_session(struct xf_store *st, int account, struct xf_session *out);
/* Closes the copy. */
void fuzz_store_close(struct xf_store *st);
/* Aborts when a message or a value shown could drive a terminal or cuts a character. */
void fuzz_assert_safe_text(const char *what, const char *text);

#endif

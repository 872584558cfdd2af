/* A branch on its own SQLite file pushes to the head office's store: every audit record the
 * head office lacks, checked against the branch's chain, with the rows they wrote; `--move`
 * moves the branch onto the head office's server for good and keeps the file as an archive. */
#ifndef XINFANG_PUSH_H
#define XINFANG_PUSH_H

#include <stdbool.h>
#include <stdint.h>

#include "xinfang/util.h"

struct xf_session;

/* What a push did. */
struct xf_push_result {
	char code[16];      /* the branch's code */
	int64_t held;       /* the newest record the head office held before */
	int64_t head;       /* the branch's newest record (the head office holds it now) */
	long batches;       /* transactions committed at the head office */
	long rows;          /* rows written there */
	bool moved;         /* --move: the branch now works on the server, the file is an archive */
	uint64_t round_trips; /* requests sent to the head office's server (0 for a file) */
};

/* Pushes the session's store (a branch's file; its admin logged in) to the head office's store
 * at uri. The branch's chain is walked first, and the head office's newest record of the branch
 * must be the branch's record of that id: else the push is refused (XF_EINVAL, saying at which
 * record) and the head office gets an audit record of the refusal. The records after it go in
 * batches, each one transaction at the head office (rows, records, map and the head office's
 * own audit record together), so a push cut at any point leaves a whole prefix and the next one
 * resumes from it; a push with nothing new changes nothing. With move, the head office then
 * clears the branch's read-only flag and takes over its numbering, and the file is marked moved
 * (every later write refused, naming the server). */
int push_run(struct xf_session *s, const char *uri, bool move, struct xf_push_result *out, struct xf_err *err);

#endif

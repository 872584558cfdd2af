/* Fuzz target: the command line's KEY=VALUE arguments as `xinfang new`, `edit`, the moves,
 * `find` and `list` hand them to the core, on a real store (a fresh copy per input). The
 * first byte picks the account (admin, clerk, head, handler); the rest is the arguments,
 * separated by NUL or newline, the first being the command ("new", "edit", "find", "list",
 * "due", or a move such as "transfer"); a move or edit acts on case 1, 2 or 3 by the first
 * byte's next bits. Aborts when a message or an output could drive a terminal, or when a
 * handler is shown the identity of a case the mask withholds. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fuzz_store.h"
#include "xinfang/case.h"
#include "xinfang/mask.h"
#include "xinfang/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks the text helpers on one argument: escaping leaves nothing unsafe, a clip is whole
 * characters within its columns, normalising twice changes nothing. */
static void check_text(const char *arg)
{
	char *escaped = text_escape(arg, true);
	fuzz_assert_safe_text("escaped", escaped);
	free(escaped);
	char clip[XF_CLIP_SIZE];
	text_clip(arg, 30, clip, sizeof clip);
	fuzz_assert_safe_text("clip", clip);
	if (text_width(clip) > 30 || strchr(clip, '\n'))
		abort();
	char *once = mask_normalize(arg), *twice = mask_normalize(once);
	if (strcmp(once, twice) != 0) {
		fprintf(stderr, "normalising is not idempotent: %s -> %s\n", once, twice);
		abort();
	}
	free(once);
	free(twice);
}

/* A handler must see （保密） or nothing where the mask withholds identity. */
static void check_masked(struct xf_session *s, int64_t id, const struct xf_fields *shown)
{
	if (s->op.role != XF_ROLE_HANDLER)
		return;
	struct xf_fields row;
	if (store_get(s->st, "cases", id, &row, NULL) != XF_OK)
		return;
	if (!mask_may_see_identity(s, &row)) {
		static const char *const keys[] = {"name", "id_number", "phone", "address", "work_unit", "gender", "age"};
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			const char *v = fields_str(shown, keys[i]);
			if (*v && strcmp(v, XF_MASKED) != 0) {
				fprintf(stderr, "handler sees %s=%s of case %lld\n", keys[i], v, (long long)id);
				abort();
			}
		}
	}
	fields_free(&row);
}

/* Runs one command line on a fresh store. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 4096)
		return 0;
	char *buf = xstrndup((const char *)data + 1, size - 1);
	size_t len = size - 1;
	char *argv[64];
	int argc = 0;
	for (size_t i = 0, start = 0; i <= len && argc < 64; i++)
		if (i == len || buf[i] == '\0' || buf[i] == '\n') {
			buf[i] = '\0';
			argv[argc++] = buf + start;
			start = i + 1;
		}
	for (int i = 0; i < argc; i++)
		check_text(argv[i]);
	struct xf_fields f;
	int bad = parse_pairs(argc - 1, argv + 1, &f);
	struct xf_store *st = fuzz_store_open();
	struct xf_session s;
	fuzz_session(st, data[0] & 3, &s);
	int64_t id = 1 + (data[0] >> 2) % 3;
	struct xf_err err;
	xf_err_clear(&err);
	struct xf_rows rows = {NULL, 0};
	const char *cmd = argv[0];
	const struct xf_move_def *def = case_move_def(cmd);
	if (bad < 0) {
		if (strcmp(cmd, "new") == 0) {
			char number[32];
			struct xf_err warn;
			if (case_register(&s, &f, number, &warn, &err) == XF_OK)
				fuzz_assert_safe_text("warning", warn.msg);
		} else if (strcmp(cmd, "edit") == 0) {
			case_edit(&s, id, &f, 0, &err);
		} else if (strcmp(cmd, "find") == 0) {
			case_repeat_matches(&s, &f, 0, &rows, &err);
		} else if (strcmp(cmd, "list") == 0) {
			case_list(&s, fields_get(&f, "state"), fields_get(&f, "dept"), fields_get(&f, "operator"), XF_LIST_NEWEST, 50, &rows, &err);
		} else if (strcmp(cmd, "due") == 0) {
			case_due_list(&s, &rows, &err);
		} else if (def != NULL) {
			case_move(&s, id, def->move, &f, 0, &err);
		}
	}
	fuzz_assert_safe_text("message", err.msg);
	/* What the command line would print, caught and checked. */
	char *printed = NULL;
	size_t printed_len = 0;
	FILE *terminal = stdout;
	stdout = open_memstream(&printed, &printed_len);
	for (size_t i = 0; i < rows.n; i++) {
		print_fields(&rows.v[i]);
		int64_t rid = atoll(fields_str(&rows.v[i], "id"));
		if (rid > 0 && strcmp(cmd, "find") != 0)
			check_masked(&s, rid, &rows.v[i]);
	}
	rows_free(&rows);
	struct xf_fields view;
	if (case_view(&s, id, &view, &err) == XF_OK) {
		check_masked(&s, id, &view);
		print_fields(&view);
		fields_free(&view);
	}
	fclose(stdout);
	stdout = terminal;
	fuzz_assert_safe_text("printed", printed);
	free(printed);
	fuzz_assert_safe_text("message", err.msg);
	fields_free(&f);
	session_close(&s);
	fuzz_store_close(st);
	free(buf);
	return 0;
}

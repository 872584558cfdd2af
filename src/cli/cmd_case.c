/* Commands on one case: register, show, history, edit and every move of the workflow. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "xinfang/audit.h"
#include "xinfang/case.h"
#include "xinfang/casefile.h"
#include "xinfang/repeat.h"
#include "xinfang/text.h"

/* xinfang new KEY=VALUE... */
int cmd_new(struct cli *c, int argc, char **argv)
{
	struct xf_fields f;
	int bad = parse_pairs(argc, argv, &f);
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[bad]);
	}
	struct xf_err err, warn;
	xf_err_clear(&warn);
	int rc = login(c, &err);
	char number[32];
	struct xf_repeat repeats;
	memset(&repeats, 0, sizeof repeats);
	if (rc == XF_OK)
		rc = repeat_find(&c->session, &f, 0, 5, &repeats, &err);
	if (rc == XF_OK)
		rc = case_register(&c->session, &f, number, &warn, &err);
	struct xf_fields probe;
	fields_init(&probe);
	static const char *const who[] = {"id_number", "phone", "name"};
	for (size_t i = 0; i < 3; i++)
		if (fields_has(&f, who[i]))
			fields_set(&probe, who[i], fields_str(&f, who[i]));
	fields_free(&f);
	if (rc != XF_OK) {
		fields_free(&probe);
		repeat_free(&repeats);
		return refused(&err);
	}
	if (warn.msg[0])
		fprintf(stderr, "提示：%s\n", warn.msg);
	if (repeats.total > 0) {
		char counts[160];
		repeat_counts_text(&repeats, counts, sizeof counts);
		fprintf(stderr, "提示：可能是重复信访，%s，最近 %zu 件：\n", counts, repeats.latest.n);
		for (size_t i = 0; i < repeats.latest.n; i++) {
			char name[XF_CLIP_SIZE];
			const struct xf_fields *r = &repeats.latest.v[i];
			fprintf(stderr, "  %s（%s，%s，%s，%s相同）\n", fields_str(r, "number"),
			        text_clip(fields_str(r, "name"), 40, name, sizeof name), fields_str(r, "received"),
			        fields_str(r, "state"), fields_str(r, "match"));
		}
		if (repeats.total > repeats.latest.n) {
			char shown[XF_CLIP_SIZE];
			fprintf(stderr, "  ……其余 %zu 件：xinfang find %s=%s\n", repeats.total - repeats.latest.n, probe.v[0].key,
			        text_clip(probe.v[0].val, 40, shown, sizeof shown));
		}
		fprintf(stderr, "  关联：xinfang link %s 编号\n", number);
	}
	fields_free(&probe);
	repeat_free(&repeats);
	printf("%s\n", number);
	/* Committed: the number must reach the clerk even when standard output cannot take it. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "xinfang：已登记 %s，请勿重复登记（编号未能写到标准输出：%s）\n", number, strerror(errno));
		clearerr(stdout);
		return EXIT_REFUSED;
	}
	return 0;
}

/* xinfang show NUMBER. */
int cmd_show(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("用法：xinfang show 编号%s", "");
	struct xf_err err;
	int64_t id;
	struct xf_fields view;
	int rc = login_and_find(c, argv[0], &id, &err);
	if (rc == XF_OK)
		rc = case_view(&c->session, id, &view, &err);
	if (rc != XF_OK)
		return refused(&err);
	print_fields(&view);
	fields_free(&view);
	return 0;
}

/* xinfang history NUMBER: one line per event as the case file shows it, tab-separated: when,
 * who (姓名（角色）), what, and the changes as 标签：旧值 → 新值 joined by ；. */
int cmd_history(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("用法：xinfang history 编号%s", "");
	struct xf_err err;
	int64_t id;
	struct xf_rows rows;
	int rc = login_and_find(c, argv[0], &id, &err);
	if (rc == XF_OK)
		rc = casefile_history(&c->session, id, &rows, &err);
	if (rc != XF_OK)
		return refused(&err);
	for (size_t i = 0; i < rows.n; i++) {
		const struct xf_fields *event = &rows.v[i];
		struct xf_buf changes;
		buf_init(&changes);
		buf_puts(&changes, "");
		for (size_t k = 0; k < event->n; k++)
			if (event->v[k].key[0] != '#')
				buf_printf(&changes, "%s%s：%s", changes.len ? "；" : "", event->v[k].key, event->v[k].val);
		struct xf_fields line;
		fields_init(&line);
		fields_set(&line, "at", fields_str(event, "#at"));
		fields_set(&line, "who", fields_str(event, "#who"));
		fields_set(&line, "action", fields_str(event, "#action"));
		fields_set(&line, "changes", changes.data);
		static const char *const history_keys[] = {"at", "who", "action", "changes", NULL};
		print_columns(&line, history_keys);
		fields_free(&line);
		buf_free(&changes);
	}
	rows_free(&rows);
	return 0;
}

/* xinfang edit NUMBER KEY=VALUE... */
int cmd_edit(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return usage_error("用法：xinfang edit 编号 键=值 ...%s", "");
	struct xf_fields f;
	int bad = parse_pairs(argc - 1, argv + 1, &f);
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[1 + bad]);
	}
	struct xf_err err;
	int64_t id;
	int rc = login_and_find(c, argv[0], &id, &err);
	if (rc == XF_OK)
		rc = case_edit(&c->session, id, &f, 0, &err);
	fields_free(&f);
	if (rc != XF_OK)
		return refused(&err);
	printf("已更正 %s\n", argv[0]);
	return 0;
}

/* xinfang MOVE NUMBER KEY=VALUE... for every move of the workflow table. */
int cmd_move(struct cli *c, const struct xf_move_def *def, int argc, char **argv)
{
	if (argc < 1)
		return usage_error("用法：xinfang %s 编号 键=值 ...", def->key);
	struct xf_fields f;
	int bad;
	if (def->move == XF_MV_LINK && argc == 2 && strchr(argv[1], '=') == NULL) {
		fields_init(&f);
		fields_set(&f, "to", argv[1]);
		bad = -1;
	} else {
		bad = parse_pairs(argc - 1, argv + 1, &f);
	}
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[1 + bad]);
	}
	struct xf_err err;
	int64_t id;
	char number[32] = "";
	struct xf_fields view;
	int rc = login_and_find(c, argv[0], &id, &err);
	if (rc == XF_OK && case_view(&c->session, id, &view, &err) == XF_OK) {
		snprintf(number, sizeof number, "%s", fields_str(&view, "number"));
		fields_free(&view);
	}
	if (rc == XF_OK)
		rc = case_move(&c->session, id, def->move, &f, 0, &err);
	fields_free(&f);
	if (rc != XF_OK)
		return refused(&err);
	if (case_view(&c->session, id, &view, &err) == XF_OK) {
		printf("%s：%s，现为%s\n", fields_str(&view, "number"), def->label, fields_str(&view, "state"));
		fields_free(&view);
	} else {
		/* A handler's return hands the case back to the office: done, but no longer theirs to see. */
		printf("%s：已%s，该件已不归本部门办理\n", *number ? number : argv[0], def->label);
	}
	return 0;
}


/* xinfang push --to URI [--move]: a branch's file pushes to the head office. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "xinfang/push.h"

/* xinfang push --to URI [--move]. */
int cmd_push(struct cli *c, int argc, char **argv)
{
	const char *to = NULL;
	bool move = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to = argv[++i];
		else if (strncmp(argv[i], "--to=", 5) == 0)
			to = argv[i] + 5;
		else if (strcmp(argv[i], "--move") == 0)
			move = true;
		else
			return usage_error("用法：xinfang push --to 总行数据库 [--move]（不认识“%s”）", argv[i]);
	}
	if (to == NULL)
		return usage_error("用法：xinfang push --to 总行数据库 [--move]%s", "");
	struct xf_err err;
	int rc = login(c, &err);
	struct xf_push_result r;
	if (rc == XF_OK)
		rc = push_run(&c->session, to, move, &r, &err);
	if (rc != XF_OK)
		return refused(&err);
	if (r.head == r.held + 1)
		printf("已推送分行 %s 的第 %lld 条记录（%ld 批，%ld 行）\n", r.code, (long long)r.head, r.batches, r.rows);
	else if (r.head > r.held)
		printf("已推送分行 %s 的第 %lld 至 %lld 条记录（%ld 批，%ld 行）\n", r.code, (long long)r.held + 1,
		       (long long)r.head, r.batches, r.rows);
	else
		printf("总行已有分行 %s 的全部 %lld 条记录，没有要推送的\n", r.code, (long long)r.head);
	if (r.moved)
		printf("分行 %s 已迁往总行：以后请在总行的数据库上办理，此文件只作存档，不再写入\n", r.code);
	return 0;
}

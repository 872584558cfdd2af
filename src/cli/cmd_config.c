/* The configuration in force (xinfang config) and the nightly service's run (xinfang nightly). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "xinfang/config.h"
#include "xinfang/nightly.h"

/* xinfang config [KEY]: every setting with its value and where it came from, or one value. */
int cmd_config(struct cli *c, int argc, char **argv)
{
	if (argc > 1)
		return usage_error("用法：xinfang config [设置名]（多余的“%s”）", argv[1]);
	if (argc == 1) {
		for (size_t i = 0; i < config_count(); i++) {
			const struct xf_config_item *it = config_item(i);
			if (strcmp(it->key, argv[0]) == 0) {
				printf("%s\n", strcmp(it->key, "db") == 0 ? c->db : it->value);
				return 0;
			}
		}
		return usage_error("不认识的设置“%s”：xinfang config 列出全部", argv[0]);
	}
	const char *sys = config_sysconfdir(), *user = config_userdir();
	printf("# 设置<TAB>值<TAB>出处；后面的层为准：内置默认、本办配置 %s%s、个人配置 %s%s、环境变量、命令行\n",
	       *sys ? sys : "（构建目录的程序不读）", *sys ? "/xinfang.conf" : "", *user ? user : "（无 HOME）",
	       *user ? "/xinfang.conf" : "");
	for (size_t i = 0; i < config_count(); i++) {
		const struct xf_config_item *it = config_item(i);
		printf("%s\t", it->key);
		print_value(it->value);
		if (it->layer == XF_CONF_BUILTIN)
			printf("\t%s\n", config_layer_name(it->layer));
		else
			printf("\t%s %s\n", config_layer_name(it->layer), it->origin);
	}
	return 0;
}

/* xinfang nightly: the service's verify, backup and pruning; the journal gets what it says. */
int cmd_nightly(struct cli *c, int argc, char **argv)
{
	if (argc != 0)
		return usage_error("nightly 不带参数（多余的“%s”）", argv[0]);
	if (geteuid() != 0) {
		fputs("xinfang：nightly 是系统定时任务 xinfang-backup.service 用的（以 root 运行）。"
		      "操作员请用 xinfang verify 和 xinfang backup 文件\n",
		      stderr);
		return EXIT_REFUSED;
	}
	const char *dir = config_get("backup_dir");
	long keep = config_get_long("backup_keep", 1, 3650, 14);
	struct xf_nightly n;
	struct xf_err err;
	int rc = nightly_run(c->db, dir, keep, &n, &err);
	if (rc != XF_OK) {
		if (n.failures > 0)
			fputs(n.text.data, stderr);
		nightly_free(&n);
		return refused(&err);
	}
	printf("核验通过，已备份 %s 到 %s（操作日志到第 %lld 条）；保留最近 %ld 份，删去 %d 份旧备份\n", c->db, n.backup,
	       n.head_id, keep, n.removed);
	nightly_free(&n);
	return 0;
}

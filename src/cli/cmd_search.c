/* xinfang search: any words of a case, with filters, one TSV line per case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "xinfang/search.h"

/* The filter keys search takes; every other argument is a word. */
static const char *const filter_keys[] = {"since", "until", "state", "dept", "category", "channel", "importance",
                                          "page", "branch"};

/* True when an argument is written as a filter: Latin letters or _ before its first "=". Such
 * an argument is a filter or a mistake; anything else with "=" (金额=5000, a=b written after
 * Chinese, =) is text a clerk searches. */
static bool looks_like_filter(const char *arg)
{
	size_t key = strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_");
	return key > 0 && arg[key] == '=';
}

/* The filter an argument sets, or NULL when it is a word or an unknown key. */
static const char *filter_of(const char *arg, const char **value)
{
	const char *eq = strchr(arg, '=');
	if (eq == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof filter_keys / sizeof filter_keys[0]; i++)
		if (strlen(filter_keys[i]) == (size_t)(eq - arg) && strncmp(arg, filter_keys[i], (size_t)(eq - arg)) == 0) {
			*value = eq + 1;
			return filter_keys[i];
		}
	return NULL;
}

/* xinfang search WORDS... [since=] [until=] [state=] [dept=] [category=] [channel=] [importance=] [page=]
 * [--branch 代码 | branch=代码]. */
int cmd_search(struct cli *c, int argc, char **argv)
{
	struct xf_search q;
	memset(&q, 0, sizeof q);
	if (cli_take_branch(&argc, argv, &q.branch) != 0)
		return usage_error("--branch 后面须写机构代码%s", "");
	struct xf_buf words;
	buf_init(&words);
	buf_puts(&words, "");
	for (int i = 0; i < argc; i++) {
		const char *v;
		const char *key = filter_of(argv[i], &v);
		if (key == NULL && looks_like_filter(argv[i])) {
			buf_free(&words);
			return usage_error("search 不认识条件“%s”：可用 since= until= state= dept= category= channel= importance= "
			                   "page= branch=；要按文字查，请把“=”换成空格",
			                   argv[i]);
		} else if (key == NULL)
			buf_printf(&words, "%s%s", words.len ? " " : "", argv[i]);
		else if (strcmp(key, "since") == 0)
			q.since = v;
		else if (strcmp(key, "until") == 0)
			q.until = v;
		else if (strcmp(key, "state") == 0)
			q.state = v;
		else if (strcmp(key, "dept") == 0)
			q.department = v;
		else if (strcmp(key, "category") == 0)
			q.category = v;
		else if (strcmp(key, "channel") == 0)
			q.channel = v;
		else if (strcmp(key, "importance") == 0)
			q.importance = v;
		else if (strcmp(key, "branch") == 0)
			q.branch = v;
		else if ((q.page = atoi(v)) < 1) {
			buf_free(&words);
			return usage_error("page=“%s”应是从 1 起的页码", v);
		}
	}
	q.words = words.data;
	struct xf_err err;
	struct xf_rows rows;
	bool more = false;
	int rc = login(c, &err);
	if (rc == XF_OK)
		rc = search_cases(&c->session, &q, &rows, &more, &err);
	int page = q.page > 0 ? q.page : 1;
	long total = 0;
	bool exact = false;
	if (rc == XF_OK && (rc = search_total(&c->session, &q, rows.n, more, &total, &exact, &err)) != XF_OK)
		rows_free(&rows);
	buf_free(&words);
	if (rc != XF_OK)
		return refused(&err);
	static const char *const cols[] = {"number", "received", "state", "category", "department", "name", "snippet"};
	for (size_t i = 0; i < rows.n; i++) {
		for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
			if (k)
				putchar('\t');
			print_value(fields_str(&rows.v[i], cols[k]));
		}
		putchar('\n');
	}
	if (!exact && total > XF_SEARCH_COUNT_CAP)
		fprintf(stderr, "共 %d 件以上，这是第 %d 页；还有更多结果：加 page=%d 看下一页，或加条件缩小范围\n",
		        XF_SEARCH_COUNT_CAP, page, page + 1);
	else if (more)
		fprintf(stderr, "共 %ld 件，这是第 %d 页；还有更多结果：加 page=%d 看下一页\n", total, page, page + 1);
	else if (rows.n > 0)
		fprintf(stderr, "共 %ld 件\n", total);
	else if (rows.n == 0 && q.page > 1)
		fprintf(stderr, "第 %d 页没有事项：结果不到这一页，请用小一些的 page=（或不写，从第 1 页看起）\n", q.page);
	else if (rows.n == 0)
		fprintf(stderr, "没有找到符合条件的事项\n");
	rows_free(&rows);
	return 0;
}

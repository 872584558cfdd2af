/* Help on one command (`xinfang 命令 --help`) and the check that everything written to
 * standard output reached it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "xinfang/text.h"

/* Columns a help line may take: an 80-column terminal. */
#define HELP_COLUMNS 80

/* True when an argument asks how the command is used (-h or --help, anywhere before "--"). */
bool cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

/* Appends a word to a help line, starting a new indented line when it would pass 80 columns. */
static void help_word(struct xf_buf *out, int *col, const char *word)
{
	int w = text_width(word);
	if (*col > 8 && *col + 1 + w > HELP_COLUMNS - 2) {
		buf_puts(out, "\n        ");
		*col = 8;
	} else if (*col > 0) {
		buf_puts(out, " ");
		(*col)++;
	}
	buf_puts(out, word);
	*col += w;
}

/* True when key is one of the space-separated words of list. */
static bool in_list(const char *list, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = list; (p = strstr(p, key)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* Prints a command's lines of the usage text, the first as 用法：xinfang ..., then where the
 * rest is. */
int help_command(const struct cli_command *cmd)
{
	const char *first = cmd->usage + strspn(cmd->usage, " ");
	size_t len = strcspn(first, "\n");
	struct xf_buf joined;
	buf_init(&joined);
	buf_add(&joined, first, len);
	/* The synopsis goes on in lines indented 8 ("        [--format …]"): one run of words. */
	while (first[len] == '\n' && strncmp(first + len + 1, "        ", 8) == 0 && first[len + 9] != ' ') {
		size_t more = strcspn(first + len + 9, "\n");
		buf_puts(&joined, " ");
		buf_add(&joined, first + len + 9, more);
		len += 9 + more;
	}
	buf_puts(&joined, "");
	char *line = joined.data;
	/* A one-line entry keeps its words in a column of the full list: on its own, they go on
	 * the next line; a first line too wide for 80 columns wraps as a move's does. */
	char *gap = strstr(line, "   ");
	const char *words = NULL;
	if (gap) {
		*gap = '\0';
		words = gap + 1 + strspn(gap + 1, " ");
	}
	struct xf_buf out;
	buf_init(&out);
	int col = 0;
	help_word(&out, &col, "用法：xinfang");
	char *save = NULL;
	for (char *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save))
		help_word(&out, &col, w);
	printf("%s\n", out.data);
	if (words)
		printf("      %s\n", words);
	buf_free(&out);
	free(line);
	printf("%s\n全局选项、退出码和登记的键：xinfang --help\n", first + len + (first[len] == '\n'));
	return 0;
}

/* Prints the usage of a move of the workflow from its table row: the keys it needs, then
 * those it may take in brackets, each with its label. */
int help_move(const struct xf_move_def *def)
{
	struct xf_buf out;
	buf_init(&out);
	int col = 0;
	char word[160];
	help_word(&out, &col, "用法：xinfang");
	help_word(&out, &col, def->key);
	help_word(&out, &col, "编号");
	if (def->move == XF_MV_LINK)
		help_word(&out, &col, "另一编号");
	for (int pass = 0; pass < 2; pass++) {
		char *keys = xstrdup(def->keys);
		for (char *save = NULL, *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
			bool needed = in_list(def->required, k);
			if ((pass == 0) != needed || (def->move == XF_MV_LINK && strcmp(k, "to") == 0))
				continue;
			const struct xf_move_field *f = case_move_field(def->move, k);
			snprintf(word, sizeof word, needed ? "%s=%s" : "[%s=%s]", k, f ? f->label : "");
			help_word(&out, &col, word);
		}
		free(keys);
	}
	printf("%s\n      %s：编号写 2026-0001；值里有空格时加引号\n全局选项、退出码：xinfang --help\n", out.data,
	       def->label);
	buf_free(&out);
	return 0;
}

/* Makes sure what was written to standard output got there (a full disk, /dev/full, a closed
 * pipe): says so on stderr and turns a success into a failure. */
int cli_finish_output(int code)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return code;
	int e = errno;
	const char *why = e == ENOSPC ? "磁盘已满" : e == EPIPE ? "接收的程序已退出" : e ? strerror(e) : "写入出错";
	fprintf(stderr, "xinfang：输出没有写完（%s）：请检查磁盘空间或输出去向后重试\n", why);
	clearerr(stdout);
	return code == 0 ? EXIT_REFUSED : code;
}

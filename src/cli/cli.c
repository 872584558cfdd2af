/* What every command shares: usage errors, refusals, passwords, key=value pairs, login. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "xinfang/case.h"
#include "xinfang/fileperm.h"
#include "xinfang/renumbered.h"
#include "xinfang/setup.h"
#include "xinfang/text.h"

/* Prints usage to stderr and returns the usage exit code. */
int usage_error(const char *fmt, const char *arg)
{
	char shown[XF_CLIP_SIZE];
	fprintf(stderr, "xinfang：");
	fprintf(stderr, fmt, text_clip(arg ? arg : "", 40, shown, sizeof shown));
	fprintf(stderr, "\n（xinfang --help 查看用法）\n");
	return EXIT_USAGE;
}

/* Prints a usage error whose message the core wrote (already whole, what was typed already
 * clipped there) after an optional prefix, never cut, and returns the usage exit code. */
int usage_refused(const char *prefix, const struct xf_err *err)
{
	fprintf(stderr, "xinfang：%s%s\n（xinfang --help 查看用法）\n", prefix ? prefix : "",
	        err->msg[0] ? err->msg : "用法有误");
	return EXIT_USAGE;
}

/* Prints a core error and returns its exit code: busy, or refused. */
int refused(const struct xf_err *err)
{
	fprintf(stderr, "xinfang：%s\n", err->msg[0] ? err->msg : "操作失败");
	return err->code == XF_EBUSY ? EXIT_BUSY : EXIT_REFUSED;
}

/* Warns on stderr when the store can be read by users outside the office. */
void warn_file_modes(const struct cli *c)
{
	char *warning = fileperm_warning(c->db);
	if (warning)
		fprintf(stderr, "xinfang：%s\n", warning);
	free(warning);
}

/* Reads a password from the terminal without echo; NULL when there is no terminal. */
char *ask_password(const char *prompt)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (tty == NULL)
		return NULL;
	struct termios old, quiet;
	int fd = fileno(tty);
	bool have_termios = tcgetattr(fd, &old) == 0;
	if (have_termios) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	char *said = cli_to_locale(prompt);
	fprintf(tty, "%s", said);
	free(said);
	fflush(tty);
	char line[256];
	char *got = fgets(line, sizeof line, tty);
	if (have_termios)
		tcsetattr(fd, TCSAFLUSH, &old);
	fprintf(tty, "\n");
	fclose(tty);
	if (got == NULL)
		return NULL;
	line[strcspn(line, "\r\n")] = '\0';
	return xstrdup(line);
}

/* The password from XINFANG_PASSWORD or the terminal. */
char *get_password(const char *env_name, const char *prompt)
{
	const char *env = getenv(env_name);
	if (env != NULL)
		return xstrdup(env);
	return ask_password(prompt);
}

/* Parses KEY=VALUE arguments into fields; returns the index of a bad one, or -1. */
int parse_pairs(int argc, char **argv, struct xf_fields *f)
{
	fields_init(f);
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL || eq == argv[i])
			return i;
		char *key = xstrndup(argv[i], (size_t)(eq - argv[i]));
		fields_set(f, key, eq + 1);
		free(key);
	}
	return -1;
}

/* Takes "--branch CODE" out of the arguments, leaving the rest in order: the branch filter of
 * list, due, search, stats and export, the same as branch=CODE. Returns 0, or -1 when the code is missing. */
int cli_take_branch(int *argc, char **argv, const char **code)
{
	int kept = 0;
	for (int i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--branch") == 0) {
			if (i + 1 >= *argc)
				return -1;
			*code = argv[++i];
		} else {
			argv[kept++] = argv[i];
		}
	}
	*argc = kept;
	return 0;
}

/* Writes a value with \n, \t and \\ escaped so each field stays on one line, and every
 * control or direction character (and any byte that is not UTF-8) written as \u001b or \xff,
 * so nothing stored can drive the terminal. */
void print_value(const char *v)
{
	size_t len = strlen(v);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(v + i, len - i, &cp);
		if (k == 0)
			printf("\\x%02x", (unsigned char)v[i++]);
		else if (cp == '\n')
			fputs("\\n", stdout), i++;
		else if (cp == '\t')
			fputs("\\t", stdout), i++;
		else if (cp == '\\')
			fputs("\\\\", stdout), i++;
		else if (text_cp_unsafe(cp))
			printf("\\u%04x", (unsigned)cp), i += k;
		else
			fwrite(v + i, 1, k, stdout), i += k;
	}
}

/* Prints the values of keys (NULL-terminated) of a row, tab-separated and escaped, one line. */
void print_columns(const struct xf_fields *row, const char *const *keys)
{
	for (size_t i = 0; keys[i]; i++) {
		if (i)
			putchar('\t');
		print_value(fields_str(row, keys[i]));
	}
	putchar('\n');
}

/* Prints fields as key<TAB>value lines. */
void print_fields(const struct xf_fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		print_value(f->v[i].key);
		putchar('\t');
		print_value(f->v[i].val);
		putchar('\n');
	}
}

/* Opens the store and logs the operator in. */
int login(struct cli *c, struct xf_err *err)
{
	int rc = setup_open(c->db, &c->st, err);
	if (rc != XF_OK)
		return rc;
	warn_file_modes(c);
	const char *user = c->user ? c->user : getenv("XINFANG_USER");
	if (str_empty(user))
		return xf_err_set(err, XF_EAUTH, "请指明操作员：--user 用户名，或设置 XINFANG_USER");
	char *pw = get_password("XINFANG_PASSWORD", "密码：");
	if (pw == NULL)
		return xf_err_set(err, XF_EAUTH, "没有密码：请设置 XINFANG_PASSWORD，或在终端上运行以便输入");
	rc = auth_login(c->st, user, pw, &c->session, err);
	free(pw);
	return rc;
}

/* Finds the case named by argv[0] after logging in; an earlier number of a case moved between
 * branches finds it, saying so on stderr (原编号 X → 现编号 Y). */
int login_and_find(struct cli *c, const char *number, int64_t *id, struct xf_err *err)
{
	int rc = login(c, err);
	char said[128];
	if (rc == XF_OK && (rc = case_lookup(&c->session, number, id, said, sizeof said, err)) == XF_OK && *said)
		fprintf(stderr, "xinfang：%s\n", said);
	return rc;
}


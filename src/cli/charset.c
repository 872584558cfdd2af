/* The command line in the locale's charset: when the locale is not UTF-8 (zh_CN.GB18030, GBK),
 * everything written to stdout and stderr is converted from UTF-8 as it goes, and the
 * arguments are read in that charset. The C/POSIX locale keeps UTF-8, as scripts expect. */
#include <errno.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "xinfang/text.h"

/* One converted stream: the file descriptor it writes to and the start of a character that a
 * write cut in two. */
struct charset_stream {
	int fd;
	char carry[4];
	size_t ncarry;
	bool raw; /* bytes already in their final form (a PDF, a CSV in the encoding asked) */
};

static char out_charset[64];
static struct charset_stream out_stream = {STDOUT_FILENO, {0}, 0, false};
static struct charset_stream err_stream = {STDERR_FILENO, {0}, 0, false};
static FILE *plain_stdout;

/* The locale's charset when output must be converted; NULL for UTF-8 and the C locale. */
const char *cli_charset(void)
{
	return out_charset[0] ? out_charset : NULL;
}

/* Writes all of data to fd; false on a write error (errno says which). */
static bool write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/* Length of the UTF-8 text at the end of s that a character is still missing bytes of. */
static size_t incomplete_tail(const char *s, size_t len)
{
	for (size_t back = 1; back <= 3 && back <= len; back++) {
		unsigned char c = (unsigned char)s[len - back];
		if ((c & 0xc0) == 0x80)
			continue;
		size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return need > back ? back : 0;
	}
	return 0;
}

/* The stream's write: UTF-8 in, the locale's charset out. */
static ssize_t charset_write(void *cookie, const char *buf, size_t size)
{
	struct charset_stream *cs = cookie;
	if (cs->raw)
		return write_all(cs->fd, buf, size) ? (ssize_t)size : -1;
	char *text = malloc(cs->ncarry + size);
	if (text == NULL)
		return -1;
	memcpy(text, cs->carry, cs->ncarry);
	memcpy(text + cs->ncarry, buf, size);
	size_t len = cs->ncarry + size;
	size_t keep = incomplete_tail(text, len);
	char *conv = NULL;
	size_t conv_len = 0;
	bool ok = text_convert_lossy(text, len - keep, out_charset, &conv, &conv_len);
	ok = ok ? write_all(cs->fd, conv, conv_len) : write_all(cs->fd, text, len - keep);
	memcpy(cs->carry, text + len - keep, keep);
	cs->ncarry = keep;
	free(conv);
	free(text);
	return ok ? (ssize_t)size : -1;
}

/* Replaces *stream by one converting into the locale's charset. */
static void wrap_stream(FILE **stream, struct charset_stream *cs, int mode)
{
	cookie_io_functions_t io = {NULL, charset_write, NULL, NULL};
	fflush(*stream);
	FILE *f = fopencookie(cs, "w", io);
	if (f == NULL)
		return;
	setvbuf(f, NULL, mode, BUFSIZ);
	*stream = f;
}

/* Reads the arguments in the locale's charset as UTF-8 (the program's own), in place. */
static void convert_arguments(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *utf8 = NULL;
		size_t len = 0;
		if (text_decode(argv[i], strlen(argv[i]), out_charset, &utf8, &len) == XF_OK)
			argv[i] = utf8; /* kept for the program's life, as argv is */
		else
			free(utf8);
	}
}

/* Looks at the locale (after setlocale): when its charset is neither UTF-8 nor the C locale's
 * ASCII, standard output and error write in it and the arguments are read from it. */
void cli_charset_setup(int argc, char **argv)
{
	const char *codeset = nl_langinfo(CODESET);
	if (codeset == NULL || !*codeset || strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0 ||
	    strcmp(codeset, "ANSI_X3.4-1968") == 0)
		return;
	char *probe = NULL;
	size_t probe_len = 0;
	if (!text_convert_lossy("?", 1, codeset, &probe, &probe_len))
		return; /* iconv does not know it: UTF-8 as before */
	free(probe);
	snprintf(out_charset, sizeof out_charset, "%s", codeset);
	convert_arguments(argc, argv);
	plain_stdout = stdout;
	wrap_stream(&stdout, &out_stream, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF);
	wrap_stream(&stderr, &err_stream, _IONBF);
}

/* From now on standard output takes bytes as they are (binary or already encoded output). */
void cli_output_raw(void)
{
	fflush(stdout);
	out_stream.raw = true;
}

/* Gives the desk the terminal's own stdout back: curses writes its screen in the locale's
 * charset itself and needs a stream with a file descriptor. */
void cli_charset_plain_stdout(void)
{
	if (plain_stdout == NULL)
		return;
	fflush(stdout);
	stdout = plain_stdout;
	plain_stdout = NULL;
}

/* s in the locale's charset for a terminal written to directly (/dev/tty); a new string. */
char *cli_to_locale(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	if (cli_charset() && text_convert_lossy(s, strlen(s), out_charset, &out, &len))
		return out;
	return xstrdup(s);
}

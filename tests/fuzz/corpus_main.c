/* Runs a fuzz target over files given on the command line: the seed corpus as a regression
 * test in every build, without libFuzzer. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xinfang/paths.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* With --whole, files are fed whole only: for targets whose inputs are sequences of steps
 * (a command line, keys at the desk), a prefix is just a shorter sequence the corpus has. */
static bool whole_only;

/* Feeds one file to the target; -1 when it cannot be read. */
static int run_file(const char *path)
{
	char *text;
	size_t len;
	struct xf_err err;
	if (paths_read_file(path, &text, &len, &err) != XF_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)text, len);
	/* Every prefix too: truncated files are what a crash or a full disk leaves behind. */
	for (size_t cut = 0; !whole_only && cut < len; cut += 1 + len / 64)
		LLVMFuzzerTestOneInput((const uint8_t *)text, cut);
	free(text);
	return 1;
}

/* Feeds each file (or each file of each directory) to the target. */
int main(int argc, char **argv)
{
	int ran = 0;
	int first = 1;
	if (argc > 1 && strcmp(argv[1], "--whole") == 0)
		whole_only = true, first = 2;
	for (int i = first; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			while (d && (e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				char *path = xasprintf("%s/%s", argv[i], e->d_name);
				int rc = run_file(path);
				free(path);
				if (rc < 0)
					return 1;
				ran += rc;
			}
			if (d)
				closedir(d);
		} else {
			if (run_file(argv[i]) < 0)
				return 1;
			ran++;
		}
	}
	printf("%d inputs, 0 crashes\n", ran);
	return ran > 0 ? 0 : 1;
}

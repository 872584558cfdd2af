/* The fuzz targets' store: made once, copied fresh for every input. */
#include "fuzz_store.h"

#include <crypt.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/paths.h"
#include "xinfang/setup.h"
#include "xinfang/text.h"

const char *const fuzz_accounts[4] = {"admin", "clerk", "head", "handler"};

static char dir[200], pristine[256], work[256];
static struct xf_operator operators[4];

/* Stops the process with a reason: the store could not be made. */
static void die(const char *what, const struct xf_err *err)
{
	fprintf(stderr, "fuzz store: %s: %s\n", what, err ? err->msg : "");
	abort();
}

/* Registers a case as the clerk; returns its id. */
static int64_t add_case(struct xf_session *clerk, const char *const *pairs)
{
	struct xf_fields f;
	fields_init(&f);
	for (size_t i = 0; pairs[i]; i += 2)
		fields_set(&f, pairs[i], pairs[i + 1]);
	char number[32];
	struct xf_err err, warn;
	if (case_register(clerk, &f, number, &warn, &err) != XF_OK)
		die("register", &err);
	fields_free(&f);
	int64_t id;
	if (case_find(clerk, number, &id, &err) != XF_OK)
		die("find", &err);
	return id;
}

/* Does a move or dies. */
static void move(struct xf_session *s, int64_t id, enum xf_move mv, const char *const *pairs)
{
	struct xf_fields f;
	fields_init(&f);
	for (size_t i = 0; pairs[i]; i += 2)
		fields_set(&f, pairs[i], pairs[i + 1]);
	struct xf_err err;
	if (case_move(s, id, mv, &f, 0, &err) != XF_OK)
		die(xf_moves[mv].key, &err);
	fields_free(&f);
}

/* Removes the store's files and directory when the process ends: nothing is left behind in
 * /dev/shm. */
static void remove_files(void)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char path[300];
		snprintf(path, sizeof path, "%s%s", pristine, suffixes[i]);
		unlink(path);
		snprintf(path, sizeof path, "%s%s", work, suffixes[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* Makes the pristine store: init, the accounts (cheap password hashes: a fuzz run logs in
 * thousands of times), three cases. */
static void make_pristine(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/xinfang-fuzz-XXXXXX", base);
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", NULL);
	atexit(remove_files);
	snprintf(pristine, sizeof pristine, "%s/pristine.db", dir);
	snprintf(work, sizeof work, "%s/work.db", dir);
	clock_set_today_iso("2026-11-25", NULL);
	struct xf_store *st;
	struct xf_err err;
	struct xf_session admin;
	const char *data = getenv("XINFANG_DATA") ? getenv("XINFANG_DATA") : paths_datadir();
	if (store_open(pristine, &st, &err) != XF_OK || setup_init_mode(st, data, "admin", "secret1", XF_INIT_TRAINING, &admin, &err) != XF_OK)
		die("init", &err);
	if (auth_user_add(&admin, "clerk", "operator", "王丽", "", "secret1", &err) != XF_OK ||
	    auth_user_add(&admin, "head", "head", "李建国", "", "secret1", &err) != XF_OK ||
	    auth_user_add(&admin, "handler", "handler", "赵敏", "个人金融部", "secret1", &err) != XF_OK)
		die("accounts", &err);
	struct xf_fields cheap;
	fields_init(&cheap);
	fields_set(&cheap, "pwhash", crypt("secret1", "$5$rounds=1000$xinfangfuzz$"));
	for (int64_t id = 1; id <= 4; id++)
		if (store_update(st, "operators", id, &cheap, 0, &err) != XF_OK)
			die("password", &err);
	fields_free(&cheap);
	session_close(&admin);
	for (int i = 0; i < 4; i++) {
		struct xf_session s;
		if (auth_login(st, fuzz_accounts[i], "secret1", &s, &err) != XF_OK)
			die("login", &err);
		operators[i] = s.op;
		session_close(&s);
	}
	struct xf_session clerk, head;
	fuzz_session(st, 1, &clerk);
	fuzz_session(st, 2, &head);
	add_case(&clerk, (const char *const[]){"channel", "来访", "category", "服务态度", "name", "刘䶮", "phone",
	                                       "13812345678", "summary", "柜员态度冷淡，要求道歉。", NULL});
	int64_t two = add_case(&clerk, (const char *const[]){"channel", "来信", "category", "服务产品", "name", "𠮷晓梅",
	                                                     "id_number", "11010519491231002X", "confidential", "是",
	                                                     "subject", "个人金融部客户经理赵 敏", "summary",
	                                                     "𠮷晓梅反映理财收益低于承诺。", NULL});
	int64_t three = add_case(&clerk, (const char *const[]){"channel", "来电", "category", "工作失误", "name", "王公开",
	                                                       "summary", "借记卡被误扣年费。", NULL});
	move(&head, two, XF_MV_TRANSFER, (const char *const[]){"dept", "个人金融部", NULL});
	move(&head, three, XF_MV_TRANSFER, (const char *const[]){"dept", "个人金融部", NULL});
	move(&clerk, three, XF_MV_OUTCOME, (const char *const[]){"findings", "经核实属实，已退费。", NULL});
	session_close(&clerk);
	session_close(&head);
	store_close(st);
}

/* Copies the pristine store over the working one. */
static void copy_pristine(void)
{
	int in = open(pristine, O_RDONLY), out = open(work, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0)
		die("copy", NULL);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("copy", NULL);
	close(in);
	close(out);
	char side[300];
	snprintf(side, sizeof side, "%s-wal", work);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", work);
	unlink(side);
}

/* A fresh copy of the store. */
struct xf_store *fuzz_store_open(void)
{
	if (!*pristine)
		make_pristine();
	copy_pristine();
	clock_set_today_iso("2026-11-25", NULL);
	struct xf_store *st;
	struct xf_err err;
	if (setup_open(work, &st, &err) != XF_OK)
		die("open", &err);
	return st;
}

/* A session without a password check. */
void fuzz_session(struct xf_store *st, int account, struct xf_session *out)
{
	memset(out, 0, sizeof *out);
	out->st = st;
	out->op = operators[account & 3];
}

/* Closes the copy. */
void fuzz_store_close(struct xf_store *st)
{
	store_close(st);
}

/* Aborts on a control character, a direction control or a cut character in shown text. */
void fuzz_assert_safe_text(const char *what, const char *text)
{
	size_t len = strlen(text);
	if (!utf8_valid(text, len, NULL)) {
		fprintf(stderr, "%s is not whole UTF-8: %s\n", what, text);
		abort();
	}
	for (size_t i = 0; i < len;) {
		uint32_t cp = utf8_next(text, len, &i);
		if (cp != '\n' && cp != '\t' && text_cp_unsafe(cp)) {
			fprintf(stderr, "%s holds U+%04X raw\n", what, (unsigned)cp);
			abort();
		}
	}
}

/* PDF slips read back with poppler: every field's text (李𠮷䶮 and a character only the
 * fallback font has), A4 pages, the footer inside the page, reprints, continued pages. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/form.h"
#include "xinfang/pdf.h"
#include "xinfang/util.h"

/* A store made by `xinfang init` in a temporary directory. */
struct pdf_env {
	char dir[64];
	char db[128];
	const char *env[6];
};

/* Creates the store. */
static void env_setup(struct pdf_env *e)
{
	snprintf(e->dir, sizeof e->dir, "/tmp/xinfang-pdf-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->db, sizeof e->db, "XINFANG_DB=%s/x.db", e->dir);
	const char *env[] = {e->db, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=admin", NULL};
	memcpy(e->env, env, sizeof env);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, e->env, (const char *[]){"init", "--training", NULL});
	if (r->status != 0)
		fail_msg("init: %s", r->err);
	free(r);
}

/* Runs the program as one of the demo store's accounts; fails the test when it is refused. */
static void run_as(struct pdf_env *e, const char *user, const char *const *argv, struct run_result *r)
{
	char who[64];
	snprintf(who, sizeof who, "XINFANG_USER=%s", user);
	const char *env[] = {e->db, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", who, NULL};
	run_xinfang(r, env, argv);
	if (r->status != 0)
		fail_msg("%s as %s: %s", argv[0], user, r->err);
}

/* Removes the directory. */
static void env_teardown(struct pdf_env *e)
{
	char *cmd = xasprintf("rm -rf '%s'", e->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* The values of a registration with rare characters in the name and the address
 * (U+20001 𠀁 is in HanaMinB only, not in Noto CJK). */
static const char *const registration[] = {
	"new", "channel=来访", "category=服务态度", "name=李𠮷䶮", "id_number=11010519491231002X",
	"phone=13812345678", "address=北京市西城区金融大街𠀁号院", "work_unit=华北电力设备公司",
	"subject=城东支行营业部", "amount=1200.50", "materials=2", "first_asked=王丽", "receiver=赵敏",
	"people=1",
	"summary=本人于2026年11月18日在城东支行营业部办理定期存款业务时，柜员态度冷淡、答复敷衍，排队等候超过一小时。"
	"大堂经理未引导老年客户使用叫号机，造成现场混乱。要求网点负责人当面道歉并改进服务。",
	NULL};

/* Registers the case and prints it to a PDF file; returns the extracted text without spaces. */
static char *print_pdf(struct pdf_env *e, const char *number, const char *name)
{
	char path[160];
	snprintf(path, sizeof path, "%s/%s", e->dir, name);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, e->env, (const char *[]){"print", number, "registration", "--to", path, NULL});
	if (r->status != 0)
		fail_msg("print: %s", r->err);
	assert_non_null(strstr(r->err, "（PDF）"));
	free(r);
	char *text = run_capture(NULL, "pdftotext -enc UTF-8 '%s' -", path);
	char *squeezed = squeeze_spaces(text);
	free(text);
	return squeezed;
}

/* Every field of the registration is in the PDF's text, the page is A4, the rare characters
 * come from an embedded fallback font, and the footer lies inside the page. */
static void registration_pdf(void **state)
{
	(void)state;
	struct pdf_env e;
	env_setup(&e);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, e.env, registration);
	if (r->status != 0)
		fail_msg("new: %s", r->err);
	char *text = print_pdf(&e, "2026-0001", "r.pdf");
	const char *want[] = {"信访登记表", "2026年第0001号", "2026-11-20", "来访", "李𠮷䶮", "女", "76",
	                      "11010519491231002X", "13812345678", "北京市西城区金融大街𠀁号院", "华北电力设备公司",
	                      "城东支行营业部", "服务态度", "1200.50", "2", "王丽", "赵敏", "一般",
	                      "本人于2026年11月18日在城东支行营业部办理定期存款业务时，柜员态度冷淡、答复敷衍，排队等候超过一小时。"
	                      "大堂经理未引导老年客户使用叫号机，造成现场混乱。要求网点负责人当面道歉并改进服务。",
	                      /* labels, and the footer */
	                      "来源渠道", "姓名", "证件号码", "基本事实", "和请求", "当场答复",
	                      "编号：2026年第0001号", "打印时间：2026-11-20", "打印人：系统管理员", "第1/1页"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(text, want[i]) == NULL)
			fail_msg("the PDF's text lacks “%s”:\n%s", want[i], text);
	assert_null(strstr(text, "补打"));
	free(text);
	char path[160];
	snprintf(path, sizeof path, "%s/r.pdf", e.dir);
	char *info = run_capture(NULL, "pdfinfo '%s'", path);
	assert_non_null(strstr(info, "Pages:"));
	assert_int_equal(atoi(strstr(info, "Pages:") + 6), 1);
	assert_non_null(strstr(info, "595.276 x 841.89 pts (A4)"));
	free(info);
	/* 𠀁 is in HanaMinB alone: the fallback font is embedded, and so is the main one. */
	char *fonts = run_capture(NULL, "pdffonts '%s'", path);
	char *hana = strstr(fonts, "HanaMinB");
	assert_non_null(hana);
	assert_non_null(strstr(hana, " yes "));
	assert_non_null(strstr(fonts, "NotoSerifCJK"));
	free(fonts);
	/* Every word lies on the page with a margin, the footer's in the bottom band. */
	char *bbox = run_capture(NULL, "pdftotext -bbox '%s' -", path);
	int words = 0, footer = 0;
	for (char *w = strstr(bbox, "<word "); w; w = strstr(w + 1, "<word ")) {
		double x0, y0, x1, y1;
		assert_int_equal(sscanf(w, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0, &x1, &y1), 4);
		if (x0 < 20 || x1 > 595.276 - 20 || y0 < 20 || y1 > 841.89 - 20)
			fail_msg("a word lies outside the page's margins: %.60s", w);
		const char *end = strchr(w, '>');
		if (strncmp(end + 1, "打印人", strlen("打印人")) == 0 || strncmp(end + 1, "页<", strlen("页<")) == 0) {
			footer++;
			assert_true(y0 > 760);
		}
		words++;
	}
	assert_true(words > 60);
	assert_int_equal(footer, 2);
	free(bbox);
	/* A reprint says so on the page. */
	text = print_pdf(&e, "2026-0001", "again.pdf");
	assert_non_null(strstr(text, "（补打）"));
	free(text);
	free(r);
	env_teardown(&e);
}

/* A form longer than a page goes on under its title and （续）, every line of the long text on
 * one of the pages, every page with its footer. */
static void continued_pages(void **state)
{
	(void)state;
	struct pdf_env e;
	env_setup(&e);
	struct xf_buf summary;
	buf_init(&summary);
	buf_puts(&summary, "summary=");
	for (int i = 1; i <= 90; i++)
		buf_printf(&summary, "第%d段：柜员态度冷淡，要求道歉，并说明原因。\n", i);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, e.env, (const char *[]){"new", "channel=来信", "category=服务态度", "name=刘䶮", summary.data, NULL});
	assert_int_equal(r->status, 0);
	buf_free(&summary);
	char *text = print_pdf(&e, "2026-0001", "long.pdf");
	for (int i = 1; i <= 90; i++) {
		char want[96];
		snprintf(want, sizeof want, "第%d段：柜员态度冷淡，要求道歉，并说明原因。", i);
		if (strstr(text, want) == NULL)
			fail_msg("paragraph %d is missing", i);
	}
	free(text);
	char path[160];
	snprintf(path, sizeof path, "%s/long.pdf", e.dir);
	char *info = run_capture(NULL, "pdfinfo '%s'", path);
	int pages = 0;
	char *p = strstr(info, "Pages:");
	assert_non_null(p);
	pages = atoi(p + 6);
	assert_true(pages >= 2);
	free(info);
	for (int pg = 1; pg <= pages; pg++) {
		char *one = run_capture(NULL, "pdftotext -enc UTF-8 -f %d -l %d '%s' -", pg, pg, path);
		char *sq = squeeze_spaces(one);
		char want[64];
		snprintf(want, sizeof want, "第%d/%d页", pg, pages);
		assert_non_null(strstr(sq, want));
		assert_non_null(strstr(sq, "编号：2026年第0001号"));
		if (pg > 1)
			assert_non_null(strstr(sq, "信访登记表（续）"));
		else
			assert_null(strstr(sq, "（续）"));
		free(sq);
		free(one);
	}
	/* The last page ends the form: its last rows are there. */
	char *last = run_capture(NULL, "pdftotext -enc UTF-8 -f %d -l %d '%s' -", pages, pages, path);
	char *sq = squeeze_spaces(last);
	assert_non_null(strstr(sq, "第90段"));
	assert_non_null(strstr(sq, "当场答复"));
	free(sq);
	free(last);
	free(r);
	env_teardown(&e);
}

/* The page as a picture: the frame's verticals are unbroken lines down the whole table and the
 * rules are lines across it, the way ruled boxes are and box-drawing characters in a font are
 * not (they break between lines and shift with the text). */
static void boxes_are_lines(void **state)
{
	(void)state;
	struct pdf_env e;
	env_setup(&e);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, e.env, registration);
	assert_int_equal(r->status, 0);
	free(print_pdf(&e, "2026-0001", "r.pdf"));
	int st;
	char *none = run_capture(&st, "cd '%s' && pdftoppm -r 144 -gray -singlefile r.pdf page", e.dir);
	assert_int_equal(st, 0);
	free(none);
	char path[160];
	snprintf(path, sizeof path, "%s/page.pgm", e.dir);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	int w, h, max;
	assert_int_equal(fscanf(f, "P5 %d %d %d", &w, &h, &max), 3);
	fgetc(f);
	unsigned char *px = malloc((size_t)w * (size_t)h);
	assert_int_equal(fread(px, 1, (size_t)w * (size_t)h, f), (size_t)w * (size_t)h);
	fclose(f);
	assert_int_equal(w, 1191); /* A4 at 144 dpi */
	/* The longest unbroken dark run of each column and of each row. */
	int longest_column = 0, rules = 0;
	for (int x = 0; x < w; x++) {
		int run = 0;
		for (int y = 0; y < h; y++) {
			run = px[(size_t)y * (size_t)w + (size_t)x] < 160 ? run + 1 : 0;
			if (run > longest_column)
				longest_column = run;
		}
	}
	for (int y = 0; y < h; y++) {
		int run = 0, best = 0;
		for (int x = 0; x < w; x++) {
			run = px[(size_t)y * (size_t)w + (size_t)x] < 160 ? run + 1 : 0;
			best = run > best ? run : best;
		}
		rules += best > w * 3 / 4; /* a rule across three quarters of the page */
	}
	free(px);
	/* The table runs more than half the page high without a break... */
	assert_true(longest_column > h / 2);
	/* ...and every rule of the form is a line across it (20 rule rows, each a pixel or two). */
	assert_true(rules >= 20);
	free(r);
	env_teardown(&e);
}

/* The footer of a training store's slip says so; the renderer takes any parsed form. */
static void training_mark(void **state)
{
	(void)state;
	struct xf_form form;
	struct xf_err err;
	assert_int_equal(form_load(getenv("XINFANG_FORMS"), "outcome", &form, &err), XF_OK);
	struct xf_fields v;
	fields_init(&v);
	fields_set(&v, "number", "2026年第0009号");
	fields_set(&v, "findings", "经核实，情况属实。");
	struct xf_slip_meta meta = {"2026年第0009号", "2026-11-21 10:05", "王丽", false, true};
	struct xf_buf out;
	buf_init(&out);
	assert_int_equal(pdf_render(&form, &v, &meta, &out, &err), XF_OK);
	char dir[] = "/tmp/xinfang-pdf-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/t.pdf", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(out.data, 1, out.len, f), out.len);
	assert_int_equal(fclose(f), 0);
	char *text = run_capture(NULL, "pdftotext -enc UTF-8 '%s' -", path);
	char *sq = squeeze_spaces(text);
	assert_non_null(strstr(sq, "【演示/培训】"));
	assert_non_null(strstr(sq, "处理结果报告单"));
	assert_non_null(strstr(sq, "经核实，情况属实。"));
	free(sq);
	free(text);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	buf_free(&out);
	fields_free(&v);
	form_free(&form);
}

/* The confidential case through the program itself, in a demo store: the transfer
 * slip the head prints, and the handler's reprint, as PDF and as text, show the petitioner
 * nowhere, not in the summary, the instruction or the opinion either. */
static void confidential_transfer_slip(void **state)
{
	(void)state;
	struct pdf_env e;
	snprintf(e.dir, sizeof e.dir, "/tmp/xinfang-pdf-XXXXXX");
	assert_non_null(mkdtemp(e.dir));
	snprintf(e.db, sizeof e.db, "XINFANG_DB=%s/x.db", e.dir);
	struct run_result *r = malloc(sizeof *r);
	run_as(&e, "admin", (const char *[]){"init", "--demo", NULL}, r);
	run_as(&e, "clerk",
	       (const char *[]){"new", "channel=来电", "category=服务态度", "name=周立新", "phone=15951234567",
	                        "id_number=320106198506123011", "address=南京市鼓楼区中山路1号", "confidential=是",
	                        "summary=周立新来电（本人电话15951234567，身份证320106198506123011）反映柜员态度恶劣",
	                        NULL},
	       r);
	char number[64];
	assert_int_equal(sscanf(r->out, "%63s", number), 1);
	run_as(&e, "head",
	       (const char *[]){"transfer", number, "dept=个人金融部", "leader=张行长",
	                        "instruction=请向周立新当面致歉", "opinion=周立新电话 159-5123-4567", NULL},
	       r);
	static const char *const identity[] = {"周立新", "15951234567", "159-5123-4567", "320106198506123011"};
	const char *users[] = {"head", "handler"};
	for (int u = 0; u < 2; u++) {
		char path[160];
		snprintf(path, sizeof path, "%s/t-%s.pdf", e.dir, users[u]);
		run_as(&e, users[u], (const char *[]){"print", number, "transfer", "--to", path, NULL}, r);
		char *raw = run_capture(NULL, "pdftotext -enc UTF-8 '%s' -", path);
		char *pdf = squeeze_spaces(raw);
		free(raw);
		run_as(&e, users[u], (const char *[]){"print", number, "transfer", "--to", "-", "--encoding", "UTF-8", NULL},
		       r);
		char *text = squeeze_spaces(r->out);
		for (size_t i = 0; i < sizeof identity / sizeof identity[0]; i++) {
			if (strstr(pdf, identity[i]))
				fail_msg("the PDF printed by %s shows %s:\n%s", users[u], identity[i], pdf);
			if (strstr(text, identity[i]))
				fail_msg("the text printed by %s shows %s:\n%s", users[u], identity[i], text);
		}
		assert_non_null(strstr(pdf, "请向（保密）当面致歉"));
		assert_non_null(strstr(text, "请向（保密）当面致歉"));
		assert_non_null(strstr(pdf, "（保密）电话（保密）"));
		free(pdf);
		free(text);
	}
	free(r);
	env_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registration_pdf),
		cmocka_unit_test(continued_pages),
		cmocka_unit_test(boxes_are_lines),
		cmocka_unit_test(training_mark),
		cmocka_unit_test(confidential_transfer_slip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

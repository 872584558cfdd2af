/* The statistics as a printed PDF report, read back with poppler: a known month's every count
 * and rate (numerator and denominator) and a rare-character handler in the text; A4 pages;
 * bars drawn as long as their counts (measured in a rendered page); a long year broken over
 * pages with headings repeated and page numbers; the command line's formats and printer
 * queue (a stand-in lp records what it was given; a failing one is reported). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xinfang/clock.h"
#include "xinfang/paths.h"
#include "xinfang/pdf_report.h"
#include "xinfang/report.h"
#include "xinfang/text.h"
#include "xinfang/util.h"

/* Sets today. */
static void today(const char *iso)
{
	assert_int_equal(clock_set_today_iso(iso, NULL), XF_OK);
}

/* A March 2026 office (today 03-20): five cases, two transferred, one of them overdue with a
 * handler whose name has 𠮷 (outside the BMP and outside GBK). */
static void build_month(struct fixture *fx)
{
	today("2026-03-02");
	int64_t a = fixture_case(fx, "received=2026-03-02", "channel=来访", "category=服务态度", NULL);
	int64_t b = fixture_case(fx, "received=2026-03-02", "channel=来电", "category=工作失误", NULL);
	today("2026-03-03");
	fixture_move(&fx->head, a, XF_MV_TRANSFER, "dept=个人金融部", "handler=李𠮷", NULL);
	today("2026-03-05");
	fixture_move(&fx->head, b, XF_MV_TRANSFER, "dept=运营管理部", "handler=孙明", NULL);
	today("2026-03-06");
	fixture_move(&fx->clerk, b, XF_MV_OUTCOME, "findings=属实", "satisfaction=满意", "handler=孙明", NULL);
	today("2026-03-09");
	fixture_case(fx, "received=2026-03-09", "channel=网络", "category=咨询", "spot_answer=已当场解答", NULL);
	today("2026-03-10");
	fixture_case(fx, "received=2026-03-10", "channel=来信", "category=服务态度", NULL);
	today("2026-03-11");
	fixture_case(fx, "received=2026-03-11", "channel=来访", "category=服务态度", NULL);
	today("2026-03-20");
}

/* The environment that runs the binary as the head on the fixture's store. */
struct head_env {
	char db[320];
	const char *env[7];
};

/* Fills the environment; extra and more (may be NULL) are further "K=V". */
static void head_env(struct head_env *h, const struct fixture *fx, const char *extra, const char *more)
{
	snprintf(h->db, sizeof h->db, "XINFANG_DB=%s", fx->db);
	const char *env[] = {h->db, "XINFANG_USER=head", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-20", extra, more,
	                     NULL};
	memcpy(h->env, env, sizeof env);
}

/* The text of a PDF laid out as on the page, with every space taken out. */
static char *pdf_text(const char *path)
{
	char *text = run_capture(NULL, "pdftotext -layout -enc UTF-8 '%s' -", path);
	char *squeezed = squeeze_spaces(text);
	free(text);
	return squeezed;
}

/* The number of pages pdfinfo counts, after checking they are A4. */
static int a4_pages(const char *path)
{
	char *info = run_capture(NULL, "pdfinfo '%s'", path);
	if (strstr(info, "595.276 x 841.89 pts (A4)") == NULL)
		fail_msg("not A4: %s", info);
	const char *p = strstr(info, "Pages:");
	assert_non_null(p);
	int pages = atoi(p + 6);
	free(info);
	return pages;
}

/* A page rendered at 72 dpi (one pixel a point), as RGB bytes. */
struct image {
	int w, h;
	unsigned char *rgb;
};

/* Renders one page of a PDF with pdftoppm and reads the PPM. */
static void render_page(const char *pdf, int page, const char *prefix, struct image *img)
{
	int st;
	char *out = run_capture(&st, "pdftoppm -r 72 -f %d -l %d -singlefile '%s' '%s' 2>&1", page, page, pdf, prefix);
	if (st != 0)
		fail_msg("pdftoppm: %s", out);
	free(out);
	char *path = xasprintf("%s.ppm", prefix);
	char *bytes;
	size_t len;
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	int maxval, used = 0;
	assert_int_equal(sscanf(bytes, "P6 %d %d %d%n", &img->w, &img->h, &maxval, &used), 3);
	assert_int_equal(maxval, 255);
	used++; /* the one whitespace after the header */
	assert_true(len >= (size_t)used + (size_t)img->w * img->h * 3);
	img->rgb = malloc((size_t)img->w * img->h * 3);
	memcpy(img->rgb, bytes + used, (size_t)img->w * img->h * 3);
	free(bytes);
	free(path);
}

/* True when the pixel has the bars' colour. */
static bool bar_pixel(const struct image *img, int x, int y)
{
	const unsigned char *p = img->rgb + ((size_t)y * img->w + x) * 3;
	int want[3] = {(XF_PDF_REPORT_BAR_RGB >> 16) & 0xff, (XF_PDF_REPORT_BAR_RGB >> 8) & 0xff, XF_PDF_REPORT_BAR_RGB & 0xff};
	for (int i = 0; i < 3; i++)
		if (p[i] < want[i] - 3 || p[i] > want[i] + 3)
			return false;
	return true;
}

/* Where a word first stands on a page (pdftotext -bbox), in points; false when it is not there. */
static bool word_box(const char *pdf, int page, const char *word, double box[4])
{
	char *html = run_capture(NULL, "pdftotext -f %d -l %d -bbox '%s' -", page, page, pdf);
	char *mark = xasprintf(">%s</word>", word);
	char *at = strstr(html, mark);
	bool found = false;
	if (at) {
		while (at > html && strncmp(at, "<word ", 6) != 0)
			at--;
		found = sscanf(at, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &box[0], &box[1], &box[2],
		               &box[3]) == 4;
	}
	free(mark);
	free(html);
	return found;
}

/* The longest run of bar-coloured pixels on the line through the middle of a label, right of it. */
static int bar_length(const struct image *img, const double box[4])
{
	int y = (int)((box[1] + box[3]) / 2), best = 0, run = 0;
	for (int x = (int)box[2]; x < img->w; x++) {
		run = bar_pixel(img, x, y) ? run + 1 : 0;
		best = run > best ? run : best;
	}
	return best;
}

/* The month's report names the office, the period and every figure: each count with its
 * share, each rate with its numerator and denominator, the rare-character handler. */
static void month_report(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	build_month(&fx);
	struct xf_stats st;
	struct xf_err err;
	assert_int_equal(report_stats(&fx.head, "2026-03-01", "2026-03-31", &st, &err), XF_OK);
	assert_int_equal(st.received, 5);
	assert_int_equal(st.rates[XF_RATE_TRANSFER].den, 2);
	assert_int_equal(st.overdue_handler.n, 1);
	assert_string_equal(st.overdue_handler.v[0].label, "李𠮷");
	struct head_env h;
	head_env(&h, &fx, NULL, NULL);
	char *path = xasprintf("%s/month.pdf", fx.dir);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, h.env, (const char *[]){"stats", "month=2026-03", "--to", path, NULL});
	if (r->status != 0)
		fail_msg("stats --to: %s", r->err);
	assert_non_null(strstr(r->err, "（PDF）"));
	char *text = pdf_text(path);
	const char *want[] = {"信访统计报表【演示/培训】", "统计期间：2026-03-01至2026-03-31", "期间内收到事项5件",
	                      "按渠道", "按类别", "按承办部门", "按重要程度", "按状态", "环比增长与预警", "超期事项",
	                      "李𠮷1", "打印人：李建国", "平均办理时间"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(text, want[i]) == NULL)
			fail_msg("the report lacks “%s”:\n%s", want[i], text);
	/* Every count of every axis, with its share of the cases received. */
	for (int ax = 0; ax < XF_AXIS_JRT_CHANNEL; ax++)
		for (size_t i = 0; i < st.axes[ax].n; i++) {
			char *row = xasprintf("%s%ld%.1f%%", st.axes[ax].v[i].label, st.axes[ax].v[i].n,
			                      100.0 * (double)st.axes[ax].v[i].n / (double)st.received);
			if (strstr(text, row) == NULL)
				fail_msg("the report lacks the row “%s”:\n%s", row, text);
			free(row);
		}
	/* Every rate: name, percentage, numerator, denominator on one line. */
	for (int k = 0; k < XF_RATE_COUNT; k++) {
		char pct[16];
		report_rate_text(&st.rates[k], pct);
		char *row = xasprintf("%s%s%ld%ld", report_rate_label((enum xf_rate_kind)k), pct, st.rates[k].num,
		                      st.rates[k].den);
		if (strstr(text, row) == NULL)
			fail_msg("the report lacks the rate “%s”:\n%s", row, text);
		free(row);
	}
	assert_non_null(strstr(text, "及时转办率50.0%12"));
	int pages = a4_pages(path);
	char *last = xasprintf("第%d/%d页", pages, pages);
	assert_non_null(strstr(text, "第1/"));
	assert_non_null(strstr(text, last));
	free(last);
	free(text);
	/* The bars: 来访 (2 cases) is drawn twice as long as 来电 (1), the largest as wide as its column. */
	double visit[4], call[4];
	assert_true(word_box(path, 1, "来访", visit));
	assert_true(word_box(path, 1, "来电", call));
	struct image img;
	char *prefix = xasprintf("%s/page", fx.dir);
	render_page(path, 1, prefix, &img);
	int two = bar_length(&img, visit), one = bar_length(&img, call);
	if (two < 150 || abs(two - 2 * one) > 3)
		fail_msg("bars of 2 and 1 cases are %d and %d points long", two, one);
	free(img.rgb);
	free(prefix);
	free(path);
	free(r);
	report_free(&st);
	fixture_close(&fx);
}

/* Counts labelled prefix01, prefix02, … with falling counts. */
static void fill_counts(struct xf_stat_counts *c, const char *prefix, size_t n)
{
	c->v = xcalloc(n, sizeof *c->v);
	c->n = n;
	for (size_t i = 0; i < n; i++) {
		snprintf(c->v[i].label, sizeof c->v[i].label, "%s%02zu", prefix, i + 1);
		c->v[i].n = (long)(n - i) * 3;
	}
}

/* A year with many categories, growth rows and handlers runs over several A4 pages: every row
 * is on one of them, continued tables say （续）, every page has its number and every word lies
 * inside the page, the footer in the bottom band. */
static void long_report(void **state)
{
	(void)state;
	struct xf_stats st;
	memset(&st, 0, sizeof st);
	snprintf(st.since, sizeof st.since, "2025-01-01");
	snprintf(st.until, sizeof st.until, "2025-12-31");
	snprintf(st.today, sizeof st.today, "2026-01-05");
	snprintf(st.week_from, sizeof st.week_from, "2025-12-25");
	snprintf(st.week_to, sizeof st.week_to, "2025-12-31");
	snprintf(st.prev_from, sizeof st.prev_from, "2025-12-18");
	snprintf(st.prev_to, sizeof st.prev_to, "2025-12-24");
	fill_counts(&st.axes[XF_AXIS_CATEGORY], "类别", 60);
	fill_counts(&st.axes[XF_AXIS_CHANNEL], "渠道", 8);
	fill_counts(&st.axes[XF_AXIS_DEPARTMENT], "部门", 12);
	fill_counts(&st.axes[XF_AXIS_IMPORTANCE], "程度", 2);
	fill_counts(&st.axes[XF_AXIS_STATE], "状态", 6);
	fill_counts(&st.overdue_department, "超期部门", 12);
	fill_counts(&st.overdue_handler, "经办人", 40);
	for (size_t i = 0; i < st.axes[XF_AXIS_CATEGORY].n; i++)
		st.received += st.axes[XF_AXIS_CATEGORY].v[i].n;
	for (int k = 0; k < XF_RATE_COUNT; k++)
		st.rates[k] = (struct xf_rate){k * 10 + 7, k * 10 + 9};
	st.ngrowth = 30;
	st.growth = xcalloc(st.ngrowth, sizeof *st.growth);
	static const char *const levels[] = {"", "蓝色", "黄色", "红色"};
	for (size_t i = 0; i < st.ngrowth; i++) {
		struct xf_growth *g = &st.growth[i];
		snprintf(g->category, sizeof g->category, "增长类别%02zu", i + 1);
		g->last_week = 10;
		g->this_week = 10 + (long)i;
		g->pct = 10.0 * (double)i;
		snprintf(g->level, sizeof g->level, "%s", levels[i % 4]);
	}
	struct xf_warn_level legend[] = {{"蓝色", 10, 20, false, false}, {"黄色", 20, 30, false, true}, {"红色", 30, -1, true, false}};
	struct xf_pdf_report_meta meta = {"城东支行信访办", "2026-01-05 09:30", "李建国", false, legend, 3};
	struct xf_buf out;
	buf_init(&out);
	struct xf_err err;
	assert_int_equal(pdf_report_render(&st, 0, &meta, &out, &err), XF_OK);
	char dir[] = "/tmp/xinfang-pdfreport-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/year.pdf", dir);
	assert_int_equal(print_to_file(path, out.data, out.len, &err), XF_OK);
	buf_free(&out);
	int pages = a4_pages(path);
	assert_true(pages > 1);
	char *text = pdf_text(path);
	assert_non_null(strstr(text, "城东支行信访办"));
	assert_null(strstr(text, "【演示/培训】")); /* a production store's report */
	for (int ax = 0; ax < XF_AXIS_JRT_CHANNEL; ax++)
		for (size_t i = 0; i < st.axes[ax].n; i++) {
			char *row = xasprintf("%s%ld", st.axes[ax].v[i].label, st.axes[ax].v[i].n);
			if (strstr(text, row) == NULL)
				fail_msg("row “%s” is on no page", row);
			free(row);
		}
	for (size_t i = 0; i < st.overdue_handler.n; i++)
		assert_non_null(strstr(text, st.overdue_handler.v[i].label));
	assert_non_null(strstr(text, "增长类别30"));
	assert_non_null(strstr(text, "红色预警"));
	assert_non_null(strstr(text, "黄色≥20%≤30%"));
	assert_non_null(strstr(text, "按类别（续）"));
	assert_non_null(strstr(text, "比率分子分母")); /* the rates' column heads */
	for (int p = 1; p <= pages; p++) {
		char *number = xasprintf("第%d/%d页", p, pages);
		if (strstr(text, number) == NULL)
			fail_msg("no page number %s", number);
		free(number);
	}
	free(text);
	/* Every word inside the page with a margin; the footer's in the bottom band. */
	char *bbox = run_capture(NULL, "pdftotext -bbox '%s' -", path);
	int footers = 0;
	for (char *w = strstr(bbox, "<word "); w; w = strstr(w + 1, "<word ")) {
		double x0, y0, x1, y1;
		assert_int_equal(sscanf(w, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0, &x1, &y1), 4);
		if (x0 < 20 || x1 > 595.276 - 20 || y0 < 20 || y1 > 841.89 - 20)
			fail_msg("a word lies outside the page's margins: %.80s", w);
		const char *end = strchr(w, '>');
		if (strncmp(end + 1, "打印人", strlen("打印人")) == 0) {
			footers++;
			assert_true(y0 > 760);
		}
	}
	assert_int_equal(footers, pages);
	free(bbox);
	/* Bars on a continued page too: the category table goes on with bars. */
	double box[4];
	int page = 0;
	for (int p = 2; p <= pages && page == 0; p++)
		if (word_box(path, p, "类别60", box))
			page = p;
	assert_true(page > 1);
	struct image img;
	char *prefix = xasprintf("%s/page", dir);
	render_page(path, page, prefix, &img);
	assert_true(bar_length(&img, box) >= 3);
	free(img.rgb);
	free(prefix);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
	report_free(&st);
}

/* Writes an executable stand-in for lp into dir: it records its arguments and what it was
 * given, says the job id, or fails like a refusing printer when XF_LP_FAIL is set. */
static void fake_lp(const char *dir)
{
	char *path = xasprintf("%s/lp", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n"
	           "if [ -n \"$XF_LP_FAIL\" ]; then echo 'lp: The printer or class does not exist.' >&2; exit 1; fi\n"
	           "echo \"$@\" > '%s/lp.args'\ncat > '%s/lp.data'\n"
	           "echo 'request id is 信访办-7 (1 file(s))'\n",
	           dir, dir);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
	free(path);
}

/* The command line: --to picks PDF or text by the name or --format, CSV for *.csv; --print
 * sends the office's format (PDF, or raw text once the office chose text) and says the job;
 * a printer that refuses is reported and nothing is recorded as printed. */
static void command_line_formats(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	build_month(&fx);
	fake_lp(fx.dir);
	char *pathvar = xasprintf("PATH=%s:%s", fx.dir, getenv("PATH"));
	struct head_env h;
	head_env(&h, &fx, pathvar, NULL);
	struct run_result *r = malloc(sizeof *r);
	char *pdf = xasprintf("%s/a.pdf", fx.dir), *txt = xasprintf("%s/a.txt", fx.dir), *csv = xasprintf("%s/a.csv", fx.dir);
	char *forced = xasprintf("%s/forced", fx.dir);
	struct {
		const char *file, *format, *starts;
	} files[] = {{pdf, NULL, "%PDF-"}, {txt, NULL, NULL}, {forced, "pdf", "%PDF-"}, {csv, NULL, NULL}};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		const char *argv[] = {"stats", "month=2026-03", "--to", files[i].file, files[i].format ? "--format" : NULL,
		                      files[i].format, NULL};
		run_xinfang(r, h.env, argv);
		if (r->status != 0)
			fail_msg("stats --to %s: %s", files[i].file, r->err);
		char *bytes, *utf8;
		size_t len;
		assert_int_equal(paths_read_file(files[i].file, &bytes, &len, NULL), XF_OK);
		if (files[i].starts) {
			assert_memory_equal(bytes, files[i].starts, 5);
		} else {
			assert_int_equal(text_decode(bytes, len, "GB18030", &utf8, NULL), XF_OK);
			assert_non_null(strstr(utf8, files[i].file == csv ? "比率,及时转办率,,1,2,0.5000," : "及时转办率"));
			assert_null(strstr(utf8, "%PDF"));
			free(utf8);
		}
		free(bytes);
	}
	/* A PDF forced into a text file's name is refused before anything is written. */
	char *pdf_as_txt = xasprintf("%s/forced.txt", fx.dir);
	run_xinfang(r, h.env, (const char *[]){"stats", "month=2026-03", "--to", pdf_as_txt, "--format", "pdf", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "forced.txt 与格式不符：写出的是 PDF 报表"));
	assert_int_equal(access(pdf_as_txt, F_OK), -1);
	free(pdf_as_txt);
	/* --print: the office's format is PDF, not raw. */
	run_xinfang(r, h.env, (const char *[]){"stats", "month=2026-03", "--print", "--printer", "信访办", NULL});
	if (r->status != 0)
		fail_msg("stats --print: %s", r->err);
	assert_non_null(strstr(r->err, "已送打印机 信访办，作业 信访办-7"));
	assert_non_null(strstr(r->err, "（PDF）"));
	char *args = run_capture(NULL, "cat '%s/lp.args'", fx.dir);
	assert_non_null(strstr(args, "-d 信访办 -t xinfang-stats-2026-03-01-2026-03-31 -"));
	assert_null(strstr(args, "raw"));
	free(args);
	char *got = run_capture(NULL, "head -c 5 '%s/lp.data'", fx.dir);
	assert_string_equal(got, "%PDF-");
	free(got);
	/* The office keeps text for its dot-matrix printer: raw GB18030 text, unless --format pdf. */
	struct head_env adm;
	head_env(&adm, &fx, pathvar, NULL);
	adm.env[1] = "XINFANG_USER=admin";
	run_xinfang(r, adm.env, (const char *[]){"printer", "set", "format=text", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, h.env, (const char *[]){"stats", "month=2026-03", "--print", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->err, "（文本）"));
	args = run_capture(NULL, "cat '%s/lp.args'", fx.dir);
	assert_non_null(strstr(args, "-o raw"));
	free(args);
	got = run_capture(NULL, "iconv -f GB18030 -t UTF-8 '%s/lp.data' | grep -c 及时转办率", fx.dir);
	assert_string_equal(got, "1\n");
	free(got);
	run_xinfang(r, h.env, (const char *[]){"stats", "month=2026-03", "--print", "--format", "pdf", NULL});
	assert_int_equal(r->status, 0);
	got = run_capture(NULL, "head -c 5 '%s/lp.data'", fx.dir);
	assert_string_equal(got, "%PDF-");
	free(got);
	/* A refusing printer: a message that says what to do; the print is not recorded. */
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(fx.st, "audit", "action", "print_stats", &rows, &err), XF_OK);
	size_t printed = rows.n;
	rows_free(&rows);
	assert_int_equal(printed, 6);
	struct head_env failing;
	head_env(&failing, &fx, pathvar, "XF_LP_FAIL=1");
	run_xinfang(r, failing.env, (const char *[]){"stats", "month=2026-03", "--print", "--printer", "无此打印机", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "打印机 无此打印机 没有接受"));
	assert_non_null(strstr(r->err, "The printer or class does not exist"));
	assert_non_null(strstr(r->err, "--to 文件"));
	assert_int_equal(store_list(fx.st, "audit", "action", "print_stats", &rows, &err), XF_OK);
	assert_int_equal(rows.n, printed);
	rows_free(&rows);
	/* CSV never goes to a printer; PDF never onto a terminal's screen. */
	run_xinfang(r, h.env, (const char *[]){"stats", "month=2026-03", "--print", "--format", "csv", NULL});
	assert_int_equal(r->status, 2);
	run_xinfang(r, h.env, (const char *[]){"stats", "month=2026-03", "--format", "pdf", NULL});
	assert_int_equal(r->status, 0);
	assert_memory_equal(r->out, "%PDF-", 5);
	assert_int_equal(store_list(fx.st, "audit", "action", "print_stats", &rows, &err), XF_OK);
	assert_int_equal(rows.n, printed + 1);
	bool to_stdout = false;
	for (size_t i = 0; i < rows.n; i++)
		to_stdout = to_stdout || strstr(fields_str(&rows.v[i], "after"), "标准输出") != NULL;
	assert_true(to_stdout);
	rows_free(&rows);
	free(pdf);
	free(txt);
	free(csv);
	free(forced);
	free(pathvar);
	free(r);
	fixture_close(&fx);
}


/* A period after today has no weeks to compare: the report's growth section says why in one
 * line, as the text page does, with no table, no weeks and no warnings; a period of its own
 * compares its own last 7 days. */
static void growth_follows_period(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	build_month(&fx);
	struct head_env h;
	head_env(&h, &fx, NULL, NULL);
	char *path = xasprintf("%s/later.pdf", fx.dir);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, h.env, (const char *[]){"stats", "year=2027", "--to", path, NULL});
	if (r->status != 0)
		fail_msg("stats --to: %s", r->err);
	char *text = pdf_text(path);
	assert_non_null(strstr(text, "环比增长与预警不计：期间在今天（2026-03-20）之后，还没有可比的一周"));
	assert_null(strstr(text, "本周"));
	assert_null(strstr(text, "预警等级"));
	assert_null(strstr(text, "2026-03-14"));
	free(text);
	run_xinfang(r, h.env, (const char *[]){"stats", "since=2026-03-01", "until=2026-03-10", "--to", path, NULL});
	assert_int_equal(r->status, 0);
	text = pdf_text(path);
	assert_non_null(strstr(text, "环比增长与预警（本周2026-03-04～2026-03-10，上周2026-02-25～2026-03-03）"));
	free(text);
	free(path);
	free(r);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(month_report),
		cmocka_unit_test(long_report),
		cmocka_unit_test(command_line_formats),
		cmocka_unit_test(growth_follows_period),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

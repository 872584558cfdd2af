/* Printing details: the text page never wider than its page setting (footer included), CR LF
 * line ends when the printer's setting asks, and an ASCII job title for the spooler. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/form.h"
#include "xinfang/paths.h"
#include "xinfang/print.h"
#include "xinfang/slip.h"
#include "xinfang/text.h"

/* Removes a test's directory. */
static void remove_dir(const char *dir)
{
	char *rm = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(rm), 0);
	free(rm);
}

/* Runs a shell script in a new directory (written into dir) as the admin of the store x.db
 * there, the program in $X; fails the test when the script fails. */
static void run_in_store_dir(char *dir, const char *script)
{
	assert_non_null(mkdtemp(dir));
	int st;
	char *out = run_capture(&st, "cd '%s' && export XINFANG_PASSWORD=secret1 XINFANG_USER=admin "
	                        "XINFANG_TODAY=2026-11-20 XINFANG_DB='%s/x.db' X='%s'; { %s; } 2>&1",
	                        dir, dir, getenv("XINFANG_BIN"), script);
	if (st != 0)
		fail_msg("%s", out);
	free(out);
}

/* The widest line of a page in the device's columns. */
static int widest_line(const char *page, enum xf_device dev)
{
	int widest = 0;
	for (const char *line = page, *end; *line; line = end + (*end != '\0')) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		int w = 0;
		for (size_t i = 0; i < (size_t)(end - line);)
			w += slip_cp_width(dev, utf8_next(line, (size_t)(end - line), &i));
		widest = w > widest ? w : widest;
	}
	return widest;
}

/* Every line of every page fits the page's columns, footer included (a reprint of a training
 * slip by an operator with a long name says the most), on both devices and down to the
 * narrowest page the form fits. */
static void page_never_wider_than_its_setting(void **state)
{
	(void)state;
	struct xf_form form;
	struct xf_err err;
	if (form_load(getenv("XINFANG_FORMS"), "registration", &form, &err) != XF_OK)
		fail_msg("%s", err.msg);
	struct xf_fields v;
	fields_init(&v);
	fields_set(&v, "number", "2026年第0007号");
	fields_set(&v, "name", "欧阳娜娜");
	fields_set(&v, "summary", "窗口服务态度差，要求道歉。");
	struct xf_slip_meta meta = {"2026年第0007号", "2026-11-21 10:05", "欧阳司马诸葛娜娜", true, true};
	static const enum xf_device devs[] = {XF_DEV_UTF8, XF_DEV_GB};
	for (size_t d = 0; d < 2; d++) {
		int tried = 0;
		for (int cols = 100; cols >= 40; cols--) {
			struct xf_page page = {66, cols};
			struct xf_buf out;
			buf_init(&out);
			if (slip_render(&form, &v, &meta, devs[d], &page, &out, &err) != XF_OK) {
				buf_free(&out);
				break; /* narrower than the form itself: refused, as it should be */
			}
			tried++;
			if (widest_line(out.data, devs[d]) > cols)
				fail_msg("a %d-column page has a line of %d columns:\n%s", cols, widest_line(out.data, devs[d]),
				         out.data);
			assert_non_null(strstr(out.data, "【演示/培训】"));
			assert_non_null(strstr(out.data, "打印人：欧阳司马诸葛娜娜"));
			/* Every page keeps to its length too. */
			int lines = 0;
			for (const char *p = out.data; *p; p++) {
				if (*p == '\f') {
					assert_true(lines <= page.lines);
					lines = 0;
				} else if (*p == '\n') {
					lines++;
				}
			}
			buf_free(&out);
		}
		assert_true(tried >= 10); /* 90 columns, the default, among them */
	}
	fields_free(&v);
	form_free(&form);
}

/* The statistics page keeps to a narrow page setting too: lines the figures cannot fit wrap. */
static void stats_page_fits(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-page-XXXXXX";
	run_in_store_dir(dir, "$X init --demo >/dev/null && for c in 60 72; do "
	                      "XINFANG_PAGE_COLUMNS=$c $X stats year=2026 --to s$c.txt || exit 1; done");
	static const int widths[] = {60, 72};
	for (size_t i = 0; i < 2; i++) {
		char *path = xasprintf("%s/s%d.txt", dir, widths[i]), *bytes, *text;
		size_t len, tlen;
		assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
		assert_int_equal(text_decode(bytes, len, "GB18030", &text, &tlen), XF_OK);
		assert_non_null(strstr(text, "环比"));
		int widest = widest_line(text, XF_DEV_GB);
		if (widest > widths[i])
			fail_msg("a %d-column statistics page has a line of %d columns:\n%s", widths[i], widest, text);
		free(bytes);
		free(text);
		free(path);
	}
	remove_dir(dir);
}

/* CR LF: none by default, every line when the office's printer setting asks, and
 * XINFANG_CRLF over the setting; a slip and the statistics alike. */
static void crlf_when_asked(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-page-XXXXXX";
	run_in_store_dir(dir, "$X init --training && $X new channel=来访 category=服务态度 name=张伟 summary=一件 && "
	                      "$X print 2026-0001 registration --to lf.txt && $X printer set line_end=crlf | "
	                      "grep -q 'line_end.crlf' && $X print 2026-0001 registration --to crlf.txt && "
	                      "$X stats year=2026 --to stats.txt && "
	                      "XINFANG_CRLF=0 $X print 2026-0001 registration --to env.txt");
	/* The PDFs' title metadata is the form's Chinese title, read back right (UTF-8). */
	int st;
	char *info = run_capture(&st, "cd '%s' && XINFANG_PASSWORD=secret1 XINFANG_USER=admin '%s' --db x.db print "
	                         "2026-0001 registration --to r.pdf 2>/dev/null && pdfinfo -enc UTF-8 r.pdf",
	                         dir, getenv("XINFANG_BIN"));
	assert_int_equal(st, 0);
	if (strstr(info, "Title:           信访登记表 2026年第0001号") == NULL)
		fail_msg("PDF title: %s", info);
	free(info);
	static const char *const files[] = {"lf.txt", "crlf.txt", "stats.txt", "env.txt"};
	static const bool crlf[] = {false, true, true, false};
	for (size_t i = 0; i < 4; i++) {
		char *path = xasprintf("%s/%s", dir, files[i]), *bytes;
		size_t len, lf = 0, cr = 0;
		assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
		for (size_t k = 0; k < len; k++) {
			lf += bytes[k] == '\n';
			cr += bytes[k] == '\n' && k > 0 && bytes[k - 1] == '\r';
		}
		assert_true(lf > 10);
		if (crlf[i] ? cr != lf : cr != 0)
			fail_msg("%s: %zu of %zu line ends are CR LF", files[i], cr, lf);
		free(bytes);
		free(path);
	}
	char *out = run_capture(&st, "XINFANG_PASSWORD=secret1 XINFANG_USER=admin '%s' --db %s/x.db printer set "
	                        "line_end=cr 2>&1",
	                        getenv("XINFANG_BIN"), dir);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "crlf"));
	free(out);
	remove_dir(dir);
}

/* The job title is ASCII, whole, and names the case and the form. */
static void job_title_ascii(void **state)
{
	(void)state;
	char *t = print_job_title("2026年第0001号", "registration");
	assert_string_equal(t, "xinfang-2026-0001-registration");
	free(t);
	t = print_job_title("2026-17", "transfer");
	assert_string_equal(t, "xinfang-2026-0017-transfer");
	free(t);
	t = print_job_title(NULL, "stats-2026-01-01-2026-12-31");
	assert_string_equal(t, "xinfang-stats-2026-01-01-2026-12-31");
	free(t);
	t = print_job_title(NULL, "统计 a/b");
	for (const char *p = t; *p; p++)
		assert_true((unsigned char)*p < 0x80 && *p != ' ' && *p != '/');
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_never_wider_than_its_setting),
		cmocka_unit_test(stats_page_fits),
		cmocka_unit_test(crlf_when_asked),
		cmocka_unit_test(job_title_ascii),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Slips: golden pages in UTF-8 and GB18030, alignment on both devices, wrapping, masking,
 * destinations and the record of every print. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xinfang/clock.h"
#include "xinfang/form.h"
#include "xinfang/paths.h"
#include "xinfang/print.h"
#include "xinfang/slip.h"
#include "xinfang/text.h"

static const char long_text[] =
	"本人于2026年11月18日在城东支行营业部办理定期存款业务时，柜员态度冷淡、答复敷衍，排队等候超过一小时。"
	"大堂经理未引导老年客户使用叫号机，造成现场混乱。\n要求：一、网点负责人当面道歉；二、改进服务；"
	"三、说明为何自助机具长期故障无人维修。另附交易凭条两张、排队号码单一张，请一并核查。"
	"以上情况属实，望尽快答复。𠮷";

/* The forms directory. */
static const char *forms(void)
{
	return getenv("XINFANG_FORMS");
}

/* Fixed values for a form: rare characters, text that wraps, and empty optional fields. */
static void fixed_values(const char *form, struct xf_fields *v)
{
	fields_init(v);
	fields_set(v, "number", "2026年第0007号");
	if (strcmp(form, "registration") == 0) {
		const char *pairs[][2] = {{"received", "2026-11-20 09:30"}, {"channel", "来访"}, {"importance", "重要"},
		                          {"name", "𠮷䶮"}, {"gender", "男"}, {"age", "45"},
		                          {"id_type", "居民身份证"}, {"id_number", "440524198001010013"}, {"phone", "13812345678"},
		                          {"address", "广东省深圳市福田区深南大道1001号华侨城小区12栋3单元502室（近地铁站）"},
		                          {"people", "1"}, {"anonymous", "否"}, {"confidential", "是"},
		                          {"subject", "城东支行营业部"}, {"category", "服务态度"}, {"amount", ""},
		                          {"summary", long_text}, {"materials", "3"}, {"first_asked", "王丽"},
		                          {"receiver", "王丽"}, {"spot_answer", ""}};
		for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
			fields_set(v, pairs[i][0], pairs[i][1]);
	} else if (strcmp(form, "transfer") == 0) {
		const char *pairs[][2] = {{"transfer_date", "2026-11-21"}, {"name", "（保密）"}, {"phone", "（保密）"},
		                          {"id_label", "证件号码"}, {"id_number", "（保密）"}, {"channel", "来访"},
		                          {"received", "2026-11-20"},
		                          {"category", "服务态度"}, {"dept", "个人金融部"}, {"co_depts", ""},
		                          {"summary", long_text}, {"instruction", "请认真核查，按期答复。"},
		                          {"leader", "张行长"}, {"deadline", "2026-11-27"}, {"opinion", ""},
		                          {"issued_by", "李建国"}, {"handler", ""}};
		for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
			fields_set(v, pairs[i][0], pairs[i][1]);
	} else {
		const char *pairs[][2] = {{"dept", "个人金融部"}, {"summary", "柜员服务态度差"}, {"findings", long_text},
		                          {"accountability", "对当班柜员进行批评教育。"}, {"rectification", ""},
		                          {"satisfaction", "基本满意"}, {"handled_on", "2026-11-25"}, {"handler", "孙志明"},
		                          {"dept_head", "周卫东"}, {"contact_phone", "0755-1234567-801"},
		                          {"reply_method", "书面"}, {"reply_date", "2026-11-26"}, {"reported_on", "2026-11-25"}};
		for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
			fields_set(v, pairs[i][0], pairs[i][1]);
	}
}

/* Renders a form with fixed values and encodes it. */
static void render_fixed(const char *name, const char *encoding, bool reprint, char **bytes, size_t *len)
{
	struct xf_form form;
	struct xf_err err;
	if (form_load(forms(), name, &form, &err) != XF_OK)
		fail_msg("%s", err.msg);
	struct xf_fields v;
	fixed_values(name, &v);
	struct xf_slip_meta meta = {"2026年第0007号", "2026-11-21 10:05", "王丽", reprint, false};
	struct xf_page page = {66, 90};
	struct xf_buf out;
	buf_init(&out);
	if (slip_render(&form, &v, &meta, slip_device_for(encoding), &page, &out, &err) != XF_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(text_convert(out.data, out.len, encoding, bytes, len, NULL), XF_OK);
	buf_free(&out);
	fields_free(&v);
	form_free(&form);
}

/* Each form in each encoding matches its golden page byte for byte. */
static void golden_pages(void **state)
{
	(void)state;
	const char *dir = getenv("XINFANG_GOLDEN");
	assert_non_null(dir);
	bool update = getenv("XINFANG_UPDATE_GOLDEN") != NULL;
	const char *names[] = {"registration", "transfer", "outcome"};
	const char *encodings[] = {"UTF-8", "GB18030"};
	for (int n = 0; n < 3; n++)
		for (int e = 0; e < 2; e++) {
			char *bytes;
			size_t len;
			render_fixed(names[n], encodings[e], n == 2, &bytes, &len);
			char *path = xasprintf("%s/%s.%s.txt", dir, names[n], encodings[e]);
			if (update) {
				FILE *f = fopen(path, "wb");
				fwrite(bytes, 1, len, f);
				fclose(f);
			}
			char *want;
			size_t want_len;
			if (paths_read_file(path, &want, &want_len, NULL) != XF_OK)
				fail_msg("no golden page %s (XINFANG_UPDATE_GOLDEN=1 writes it)", path);
			if (want_len != len || memcmp(want, bytes, len) != 0)
				fail_msg("%s differs from its golden page", path);
			free(want);
			free(path);
			free(bytes);
		}
	/* The GB18030 page holds the rare characters as GB18030's own codes. */
	char *bytes;
	size_t len;
	render_fixed("registration", "GB18030", false, &bytes, &len);
	assert_non_null(memmem(bytes, len, "\x95\x34\xb2\x35", 4)); /* U+20BB7 𠮷 */
	assert_non_null(memmem(bytes, len, "\xfe\x9f", 2));         /* U+4DAE 䶮 */
	assert_null(memmem(bytes, len, "?", 1));
	free(bytes);
}

/* A rendered line as one code point per device column (0 for the right half of a wide one). */
struct grid_line {
	uint32_t cp[256];
	int width;
};

/* Lays a UTF-8 line out in device columns. */
static void to_columns(const char *line, enum xf_device dev, struct grid_line *g)
{
	g->width = 0;
	size_t len = strlen(line);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(line + i, len - i, &cp);
		assert_true(k > 0);
		int w = slip_cp_width(dev, cp);
		for (int j = 0; j < w && g->width < 256; j++)
			g->cp[g->width++] = j == 0 ? cp : 0;
		i += k;
	}
}

/* Whether a box character reaches up or down out of its cell. */
static void arms(uint32_t cp, bool *up, bool *down)
{
	*up = cp == 0x2502 || cp == 0x2514 || cp == 0x2518 || cp == 0x251c || cp == 0x2524 || cp == 0x2534 ||
	      cp == 0x253c;
	*down = cp == 0x2502 || cp == 0x250c || cp == 0x2510 || cp == 0x251c || cp == 0x2524 || cp == 0x252c ||
	        cp == 0x253c;
}

/* On both devices every grid line has the same width, and every line that leaves a cell up or
 * down meets a line coming from the other side at the same device column. */
static void aligned_on_both_devices(void **state)
{
	(void)state;
	const char *names[] = {"registration", "transfer", "outcome"};
	static struct grid_line lines[200];
	for (int n = 0; n < 3; n++)
		for (int d = 0; d < 2; d++) {
			enum xf_device dev = d ? XF_DEV_GB : XF_DEV_UTF8;
			struct xf_form form;
			assert_int_equal(form_load(forms(), names[n], &form, NULL), XF_OK);
			struct xf_fields v;
			fixed_values(names[n], &v);
			struct xf_slip_meta meta = {"2026年第0007号", "2026-11-21 10:05", "王丽", false, false};
			struct xf_page page = {120, 90};
			struct xf_buf out;
			buf_init(&out);
			assert_int_equal(slip_render(&form, &v, &meta, dev, &page, &out, NULL), XF_OK);
			int nlines = 0, first = -1, last = -1;
			char *save = NULL;
			for (char *line = strtok_r(out.data, "\n\f", &save); line && nlines < 200;
			     line = strtok_r(NULL, "\n\f", &save)) {
				to_columns(line, dev, &lines[nlines]);
				assert_true(lines[nlines].width <= page.columns);
				bool boxed = false;
				for (int c = 0; c < lines[nlines].width; c++)
					boxed = boxed || (lines[nlines].cp[c] >= 0x2500 && lines[nlines].cp[c] <= 0x257f);
				if (boxed) {
					if (first < 0)
						first = nlines;
					last = nlines;
				}
				nlines++;
			}
			int checked = 0;
			for (int l = first; l <= last; l++) {
				if (lines[l].width != lines[first].width)
					fail_msg("%s on %s: line %d is %d columns, the grid %d", names[n], d ? "GB" : "UTF-8", l,
					         lines[l].width, lines[first].width);
				for (int c = 0; c < lines[l].width; c++) {
					bool up, down, up2, down2;
					arms(lines[l].cp[c], &up, &down);
					if (up) {
						arms(lines[l - 1].cp[c], &up2, &down2);
						if (!down2)
							fail_msg("%s on %s: line %d column %d goes up into nothing", names[n],
							         d ? "GB" : "UTF-8", l, c);
					}
					if (down) {
						arms(lines[l + 1].cp[c], &up2, &down2);
						if (!up2)
							fail_msg("%s on %s: line %d column %d goes down into nothing", names[n],
							         d ? "GB" : "UTF-8", l, c);
					}
					checked += up || down;
				}
			}
			assert_true(checked > 60);
			assert_int_equal(lines[first].width, d ? 70 : 65);
			buf_free(&out);
			fields_free(&v);
			form_free(&form);
		}
}

/* Wrapping counts device columns and never cuts a character. */
static void wrapping(void **state)
{
	(void)state;
	char **lines;
	size_t n = slip_wrap("张三李四王五赵六", 10, XF_DEV_UTF8, &lines);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "张三李四王");
	assert_string_equal(lines[1], "五赵六");
	slip_lines_free(lines, n);
	n = slip_wrap("a𠮷b", 2, XF_DEV_UTF8, &lines);
	assert_int_equal(n, 3);
	assert_string_equal(lines[0], "a");
	assert_string_equal(lines[1], "𠮷");
	assert_string_equal(lines[2], "b");
	slip_lines_free(lines, n);
	n = slip_wrap("第一行\n\n第三行\n", 20, XF_DEV_UTF8, &lines);
	assert_int_equal(n, 3);
	assert_string_equal(lines[1], "");
	slip_lines_free(lines, n);
	n = slip_wrap("ab·cd", 4, XF_DEV_GB, &lines);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "ab·");
	slip_lines_free(lines, n);
	n = slip_wrap("", 10, XF_DEV_UTF8, &lines);
	assert_int_equal(n, 0);
	slip_lines_free(lines, n);
	/* A long text grows its box: the registration page is longer than the empty one. */
	struct xf_form form;
	assert_int_equal(form_load(forms(), "registration", &form, NULL), XF_OK);
	struct xf_slip_meta meta = {"x", "y", "z", false, false};
	struct xf_page page = {200, 90};
	struct xf_buf empty, full;
	buf_init(&empty);
	buf_init(&full);
	assert_int_equal(slip_render(&form, NULL, &meta, XF_DEV_UTF8, &page, &empty, NULL), XF_OK);
	struct xf_fields v;
	fixed_values("registration", &v);
	assert_int_equal(slip_render(&form, &v, &meta, XF_DEV_UTF8, &page, &full, NULL), XF_OK);
	int le = 0, lf = 0;
	for (size_t i = 0; i < empty.len; i++)
		le += empty.data[i] == '\n';
	for (size_t i = 0; i < full.len; i++)
		lf += full.data[i] == '\n';
	assert_true(lf > le);
	assert_non_null(strstr(full.data, "以上情况属实"));
	/* Too narrow a page is refused with the widths. */
	struct xf_page narrow = {66, 60};
	struct xf_err err;
	assert_int_equal(slip_render(&form, &v, &meta, XF_DEV_GB, &narrow, &full, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "70 列"));
	/* Short pages break with a form feed and a continuation line. */
	struct xf_page short_page = {30, 90};
	struct xf_buf paged;
	buf_init(&paged);
	assert_int_equal(slip_render(&form, &v, &meta, XF_DEV_UTF8, &short_page, &paged, NULL), XF_OK);
	int feeds = 0;
	for (size_t i = 0; i < paged.len; i++)
		feeds += paged.data[i] == '\f';
	assert_true(feeds >= 2);
	assert_non_null(strstr(paged.data, "信访登记表（续）"));
	assert_non_null(strstr(paged.data, "第 2/"));
	buf_free(&paged);
	fields_free(&v);
	buf_free(&empty);
	buf_free(&full);
	form_free(&form);
}

/* A case transferred: the transfer slip leaves identity out where it must. */
static void masked_transfer(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t secret = fixture_case(&fx, "confidential=是", "name=李秘", "phone=13812345678", NULL);
	int64_t against = fixture_case(&fx, "subject=公司金融部", "name=王某", "phone=13912345678", NULL);
	int64_t plain = fixture_case(&fx, "name=赵某", "phone=13712345678", NULL);
	struct xf_err err;
	struct xf_fields v;
	assert_int_equal(print_slip_values(&fx.head, plain, "transfer", &v, &err), XF_ESTATE);
	assert_non_null(strstr(err.msg, "尚未批转"));
	const char *depts[] = {"个人金融部", "公司金融部", "个人金融部"};
	int64_t ids[] = {secret, against, plain};
	for (int i = 0; i < 3; i++) {
		struct xf_fields f;
		fields_from(&f, "leader=张行长", "instruction=请核查", NULL);
		fields_set(&f, "dept", depts[i]);
		assert_int_equal(case_move(&fx.head, ids[i], XF_MV_TRANSFER, &f, 0, &err), XF_OK);
		fields_free(&f);
	}
	const char *names[] = {"李秘", "王某", "赵某"};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(print_slip_values(&fx.head, ids[i], "transfer", &v, &err), XF_OK);
		bool masked = i < 2;
		assert_string_equal(fields_str(&v, "name"), masked ? "（保密）" : names[i]);
		if (masked) {
			assert_string_equal(fields_str(&v, "phone"), "（保密）");
			assert_string_equal(fields_str(&v, "id_number"), "（保密）");
		}
		assert_string_equal(fields_str(&v, "issued_by"), "李建国");
		assert_string_equal(fields_str(&v, "leader"), "张行长");
		fields_free(&v);
		/* The office's own registration form keeps the name. */
		assert_int_equal(print_slip_values(&fx.head, ids[i], "registration", &v, &err), XF_OK);
		assert_string_equal(fields_str(&v, "name"), names[i]);
		fields_free(&v);
	}
	/* The whole printed slip carries no trace of the name either. */
	char path[320];
	snprintf(path, sizeof path, "%s/t.txt", fx.dir);
	struct xf_print_opts opts = {"transfer", "UTF-8", XF_PRINT_FILE, path, {66, 90}, forms(), XF_FORMAT_TEXT, NULL};
	assert_int_equal(print_case(&fx.head, secret, &opts, NULL, &err), XF_OK);
	char *text;
	assert_int_equal(paths_read_file(path, &text, NULL, NULL), XF_OK);
	assert_null(strstr(text, "李秘"));
	assert_null(strstr(text, "13812345678"));
	assert_non_null(strstr(text, "（保密）"));
	free(text);
	fixture_close(&fx);
}

/* The text of a slip as it leaves the office, with every space, line break, form feed and
 * box line taken out (a number the page wraps reads whole again): printed by `s` as text in
 * UTF-8 or GB18030 (read back with iconv), or as a PDF read back with pdftotext. */
static char *slip_as_printed(struct fixture *fx, struct xf_session *s, int64_t id, const char *form, const char *as)
{
	bool pdf = strcmp(as, "pdf") == 0;
	char path[320];
	snprintf(path, sizeof path, "%s/sent-%s.%s", fx->dir, form, pdf ? "pdf" : "txt");
	struct xf_print_opts opts = {form, pdf ? NULL : as, XF_PRINT_FILE, path, {66, 90}, forms(),
	                             pdf ? XF_FORMAT_PDF : XF_FORMAT_TEXT, NULL};
	struct xf_err err;
	if (print_case(s, id, &opts, NULL, &err) != XF_OK)
		fail_msg("print %s as %s: %s", form, as, err.msg);
	int status;
	char *raw = pdf ? run_capture(&status, "pdftotext -enc UTF-8 '%s' -", path)
	                : run_capture(&status, "iconv -f %s -t UTF-8 '%s'", as, path);
	assert_int_equal(status, 0);
	size_t len = strlen(raw);
	struct xf_buf out;
	buf_init(&out);
	for (size_t i = 0; i < len;) {
		size_t at = i;
		uint32_t cp = utf8_next(raw, len, &i);
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || (cp >= 0x2500 && cp <= 0x257f))
			continue;
		buf_add(&out, raw + at, i - at);
	}
	buf_puts(&out, "");
	free(raw);
	return out.data;
}

/* The issue's confidential petitioner, and the words of the summary that name nobody. */
static const char issue_summary[] =
	"周立新来电（本人电话15951234567，身份证320106198506123011）反映城东支行柜员态度恶劣，要求周立新本人得到书面道歉。";
static const char *const issue_identity[] = {"周立新", "15951234567", "320106198506123011", "中山路1号"};

/* Fails when the page shows any of the petitioner's identity. */
static void assert_no_identity(const char *what, const char *page)
{
	for (size_t i = 0; i < sizeof issue_identity / sizeof issue_identity[0]; i++)
		if (strstr(page, issue_identity[i]) != NULL)
			fail_msg("%s shows %s:\n%s", what, issue_identity[i], page);
}

/* The transfer slip and the outcome report of a confidential case carry no identity in any
 * box, free text included, whoever prints them (the head, the handler's reprint) and however
 * (UTF-8 or GB18030 text, PDF); the rest of the text is kept. A case naming a co-department
 * is masked the same; an open case's slip keeps everything. */
static void confidential_slips_as_sent(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	char summary[512];
	snprintf(summary, sizeof summary, "summary=%s", issue_summary);
	int64_t secret = fixture_case(&fx, "confidential=是", "name=周立新", "phone=15951234567",
	                              "id_number=320106198506123011", "address=南京市鼓楼区中山路1号", summary, NULL);
	fixture_move(&fx.head, secret, XF_MV_TRANSFER, "dept=个人金融部", "leader=张行长",
	             "instruction=请向周立新本人（159 5123 4567）当面致歉", "opinion=联系周立新，住南京市鼓楼区中山路1号",
	             NULL);
	fixture_move(&fx.handler, secret, XF_MV_OUTCOME, "findings=经核实柜员态度确有不妥", "satisfaction=满意", NULL);
	struct xf_session *who[] = {&fx.head, &fx.handler};
	const char *as[] = {"UTF-8", "GB18030", "pdf"};
	const char *forms_sent[] = {"transfer", "outcome"};
	for (int w = 0; w < 2; w++)
		for (int f = 0; f < 2; f++)
			for (int a = 0; a < 3; a++) {
				char *page = slip_as_printed(&fx, who[w], secret, forms_sent[f], as[a]);
				char what[96];
				snprintf(what, sizeof what, "%s printed by %s as %s", forms_sent[f], who[w]->op.name, as[a]);
				assert_no_identity(what, page);
				if (strstr(page, "柜员态度恶劣") == NULL || strstr(page, "要求（保密）本人得到书面道歉") == NULL)
					fail_msg("%s lost the summary's other words:\n%s", what, page);
				if (f == 0 && strstr(page, "请向（保密）本人（（保密））当面致歉") == NULL)
					fail_msg("%s lost the instruction's other words:\n%s", what, page);
				free(page);
			}
	/* The office's own registration form keeps the identity. */
	char *page = slip_as_printed(&fx, &fx.head, secret, "registration", "UTF-8");
	assert_non_null(strstr(page, "15951234567"));
	assert_non_null(strstr(page, "周立新来电"));
	free(page);

	/* Not confidential, but the text names a co-department: the slip goes there too. */
	int64_t co = fixture_case(&fx, "name=周立新", "phone=15951234567",
	                          "summary=周立新反映公司金融部客户经理拒绝为其办理业务", NULL);
	fixture_move(&fx.head, co, XF_MV_TRANSFER, "dept=个人金融部", "co_depts=公司金融部", NULL);
	page = slip_as_printed(&fx, &fx.head, co, "transfer", "UTF-8");
	assert_no_identity("co-department's slip", page);
	assert_non_null(strstr(page, "（保密）反映公司金融部客户经理拒绝为其办理业务"));
	free(page);

	/* An open case: the department may see who complained. */
	int64_t open = fixture_case(&fx, "name=周立新", "phone=15951234567", "summary=周立新反映自助机具故障", NULL);
	fixture_move(&fx.head, open, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	page = slip_as_printed(&fx, &fx.head, open, "transfer", "UTF-8");
	assert_non_null(strstr(page, "周立新反映自助机具故障"));
	assert_non_null(strstr(page, "15951234567"));
	free(page);
	fixture_close(&fx);
}

/* A name written in traditional characters is masked on the slip too, the right characters
 * replaced and 𠮷 printed whole, in text and in the PDF. */
static void traditional_name_on_slip(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, "confidential=是", "name=欧阳明月", "phone=13905101234",
	                          "summary=𠮷祥路网点：歐陽明月来电，欧陽明月本人要求道歉𠮷", NULL);
	fixture_move(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", "opinion=请联系歐陽明月", NULL);
	struct xf_session *who[] = {&fx.head, &fx.handler};
	const char *as[] = {"UTF-8", "GB18030", "pdf"};
	for (int w = 0; w < 2; w++)
		for (int a = 0; a < 3; a++) {
			char *page = slip_as_printed(&fx, who[w], id, "transfer", as[a]);
			if (strstr(page, "陽明月") || strstr(page, "阳明月") || strstr(page, "欧阳") || strstr(page, "歐陽"))
				fail_msg("the slip printed by %s as %s shows the name:\n%s", who[w]->op.name, as[a], page);
			if (strstr(page, "𠮷祥路网点：（保密）来电，（保密）本人要求道歉𠮷") == NULL ||
			    strstr(page, "请联系（保密）") == NULL)
				fail_msg("the slip printed by %s as %s is not masked in place:\n%s", who[w]->op.name, as[a], page);
			free(page);
		}
	fixture_close(&fx);
}

/* Printed-slip records for one case. */
static struct xf_rows prints_of(struct fixture *fx, int64_t id)
{
	struct xf_rows rows;
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	assert_int_equal(store_list(fx->st, "printed_slips", "case_id", cid, &rows, NULL), XF_OK);
	return rows;
}

/* Files, spoolers that work and fail, encodings that cannot hold a name; every print recorded. */
static void destinations(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, "name=𠮷祥", "phone=13812345678", NULL);
	char path[320], spooled[320];
	snprintf(path, sizeof path, "%s/r.txt", fx.dir);
	snprintf(spooled, sizeof spooled, "%s/spooled.txt", fx.dir);
	struct xf_err err;
	struct xf_print_opts opts = {"registration", "GB18030", XF_PRINT_FILE, path, {66, 90}, forms(), XF_FORMAT_TEXT, NULL};
	assert_int_equal(print_case(&fx.clerk, id, &opts, NULL, &err), XF_OK);
	char *bytes, *text;
	size_t len, tlen;
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	assert_int_equal(text_decode(bytes, len, "GB18030", &text, &tlen), XF_OK);
	assert_non_null(strstr(text, "信 访 登 记 表"));
	assert_non_null(strstr(text, "𠮷祥"));
	assert_non_null(strstr(text, "打印人：王丽"));
	assert_null(strstr(text, "补打"));
	free(bytes);
	free(text);
	struct xf_rows rows = prints_of(&fx, id);
	assert_int_equal(rows.n, 1);
	assert_string_equal(fields_str(&rows.v[0], "reprint"), "0");
	assert_string_equal(fields_str(&rows.v[0], "actor"), "clerk");
	rows_free(&rows);
	/* A printer that lp cannot reach (no scheduler at CUPS_SERVER): lp's exit status and its
	 * words are reported, and nothing is recorded. (A real scheduler: test_cups.) */
	setenv("CUPS_SERVER", "/nonexistent/cups.sock", 1);
	struct xf_print_opts lp = {"registration", "GB18030", XF_PRINT_SPOOLER, "没有这台打印机", {66, 90}, forms(),
	                           XF_FORMAT_AUTO, NULL};
	assert_int_equal(print_case(&fx.clerk, id, &lp, NULL, &err), XF_EIO);
	assert_non_null(strstr(err.msg, "打印机 没有这台打印机 没有接受"));
	assert_non_null(strstr(err.msg, "lp 退出码"));
	assert_non_null(strstr(err.msg, "lp:"));
	unsetenv("CUPS_SERVER");
	rows = prints_of(&fx, id);
	assert_int_equal(rows.n, 1);
	rows_free(&rows);
	/* A reprint says so. */
	assert_int_equal(print_case(&fx.clerk, id, &opts, NULL, &err), XF_OK);
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	assert_int_equal(text_decode(bytes, len, "GB18030", &text, &tlen), XF_OK);
	assert_non_null(strstr(text, "（补打）"));
	free(bytes);
	free(text);
	rows = prints_of(&fx, id);
	assert_int_equal(rows.n, 2);
	assert_string_equal(fields_str(&rows.v[1], "reprint"), "1");
	rows_free(&rows);
	/* GBK cannot hold 𠮷: the field is named, nothing is printed. */
	struct xf_print_opts gbk = {"registration", "GBK", XF_PRINT_FILE, spooled, {66, 90}, forms(), XF_FORMAT_TEXT, NULL};
	assert_int_equal(print_case(&fx.clerk, id, &gbk, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "姓名"));
	assert_non_null(strstr(err.msg, "𠮷"));
	assert_non_null(strstr(err.msg, "GB18030"));
	/* An unwritable file. */
	struct xf_print_opts nowhere = {"registration", "UTF-8", XF_PRINT_FILE, "/nonexistent/dir/r.txt", {66, 90},
	                                forms(), XF_FORMAT_TEXT, NULL};
	assert_int_equal(print_case(&fx.clerk, id, &nowhere, NULL, &err), XF_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/dir/r.txt"));
	/* An unreadable forms directory. */
	struct xf_print_opts noforms = {"registration", "UTF-8", XF_PRINT_FILE, path, {66, 90}, "/nonexistent", XF_FORMAT_TEXT, NULL};
	assert_int_equal(print_case(&fx.clerk, id, &noforms, NULL, &err), XF_EIO);
	assert_non_null(strstr(err.msg, "表单文件"));
	/* Handed back to the caller (the screens' terminal printer): bytes, no record yet. */
	struct xf_buf out;
	buf_init(&out);
	struct xf_print_opts caller = {"registration", "GB18030", XF_PRINT_CALLER, NULL, {66, 90}, forms(), XF_FORMAT_TEXT, NULL};
	assert_int_equal(print_case(&fx.clerk, id, &caller, &out, &err), XF_OK);
	assert_true(out.len > 1000);
	rows = prints_of(&fx, id);
	assert_int_equal(rows.n, 2);
	rows_free(&rows);
	assert_int_equal(print_record(&fx.clerk, id, "registration", "终端打印机", "GB18030", &err), XF_OK);
	rows = prints_of(&fx, id);
	assert_int_equal(rows.n, 3);
	rows_free(&rows);
	buf_free(&out);
	assert_true(fixture_audit_count(&fx, id) >= 4);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_pages),  cmocka_unit_test(aligned_on_both_devices),
		cmocka_unit_test(wrapping),      cmocka_unit_test(masked_transfer),
		cmocka_unit_test(destinations),
		cmocka_unit_test(confidential_slips_as_sent),
		cmocka_unit_test(traditional_name_on_slip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

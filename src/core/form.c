/* The form-file parser: the paper layout with {slots}, then the field definitions. */
#include "xinfang/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xf_config.h"
#include "xinfang/paths.h"
#include "xinfang/text.h"

enum { MAX_FORM_BYTES = 256 * 1024, MAX_ROWS = 400, MAX_WIDTH = 240, MAX_FIELDS = 200 };

static const char *const type_names[] = {"text", "longtext", "date",   "datetime", "choice",
                                         "yesno", "int",     "amount", "idnum",    "phone"};

/* Name of a type. */
const char *form_type_name(enum xf_ftype type)
{
	return type_names[type];
}

/* Type from its name. */
int form_type_parse(const char *s)
{
	for (int i = 0; i < (int)(sizeof type_names / sizeof type_names[0]); i++)
		if (strcmp(type_names[i], s) == 0)
			return i;
	return -1;
}

/* The forms directory. */
const char *form_dir(void)
{
	return paths_formsdir();
}

/* Releases a form. */
void form_free(struct xf_form *form)
{
	for (size_t i = 0; i < form->nrows; i++)
		free(form->rows[i]);
	free(form->rows);
	free(form->slots);
	free(form->fields);
	memset(form, 0, sizeof *form);
}

/* A field by key. */
const struct xf_formfield *form_field(const struct xf_form *form, const char *key)
{
	for (size_t i = 0; i < form->nfields; i++)
		if (strcmp(form->fields[i].key, key) == 0)
			return &form->fields[i];
	return NULL;
}

/* A slot by key. */
const struct xf_slot *form_slot(const struct xf_form *form, const char *key)
{
	for (size_t i = 0; i < form->nslots; i++)
		if (strcmp(form->slots[i].key, key) == 0)
			return &form->slots[i];
	return NULL;
}

/* The slot at a place of the layout. */
const struct xf_slot *form_slot_at(const struct xf_form *form, int row, int col)
{
	for (size_t j = 0; j < form->nslots; j++) {
		const struct xf_slot *sl = &form->slots[j];
		if (row >= sl->row && row < sl->row + sl->rows && col >= sl->col && col < sl->col + sl->width)
			return sl;
	}
	return NULL;
}

/* True for the characters a field key may use. */
static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* Parser state: where we are, for messages. */
struct parser {
	const char *label;
	int line;
	struct xf_form *form;
	struct xf_err *err;
};

/* An error at a line and column. */
static int perr(struct parser *p, int col, const char *fmt, const char *arg)
{
	char what[400];
	snprintf(what, sizeof what, fmt, arg ? arg : "");
	return xf_err_set(p->err, XF_EINVAL, "%s 第 %d 行第 %d 列：%s", p->label, p->line, col, what);
}

/* Records a slot found at (row, col), merging it with the same key's slot on the row above. */
static int add_slot(struct parser *p, const char *key, int row, int col, int width)
{
	struct xf_form *f = p->form;
	for (size_t i = 0; i < f->nslots; i++) {
		struct xf_slot *s = &f->slots[i];
		if (strcmp(s->key, key) != 0)
			continue;
		if (s->row + s->rows == row && s->col == col && s->width == width) {
			s->rows++;
			return XF_OK;
		}
		return perr(p, col + 1, "字段 {%s} 已在别处出现：多行字段须逐行上下对齐、宽度相同", key);
	}
	f->slots = xrealloc(f->slots, (f->nslots + 1) * sizeof *f->slots);
	struct xf_slot *s = &f->slots[f->nslots++];
	memset(s, 0, sizeof *s);
	snprintf(s->key, sizeof s->key, "%s", key);
	s->row = row;
	s->col = col;
	s->width = width;
	s->rows = 1;
	return XF_OK;
}

/* Parses one layout line: checks its text and finds its {slots}. */
static int parse_layout_line(struct parser *p, const char *line, size_t len)
{
	struct xf_form *f = p->form;
	if (f->nrows >= MAX_ROWS)
		return perr(p, 1, "版面超过 %s 行", "400");
	size_t bad;
	if (!utf8_valid(line, len, &bad))
		return perr(p, (int)bad + 1, "不是有效的 UTF-8 文字%s", "");
	int row = (int)f->nrows, col = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(line + i, len - i, &cp);
		if (cp == '\t')
			return perr(p, col + 1, "版面中不能用 Tab（宽度不定），请用空格%s", "");
		if (cp < 0x20 && cp != '\r')
			return perr(p, col + 1, "版面中有控制字符%s", "");
		if (cp == '}')
			return perr(p, col + 1, "多余的“}”%s", "");
		if (cp == '{') {
			size_t k = i + 1;
			while (k < len && key_char(line[k]))
				k++;
			if (k == i + 1)
				return perr(p, col + 1, "“{”之后应是字段名（小写字母、数字、下划线）%s", "");
			char key[48];
			if (k - i - 1 >= sizeof key)
				return perr(p, col + 2, "字段名太长%s", "");
			memcpy(key, line + i + 1, k - i - 1);
			key[k - i - 1] = '\0';
			size_t e = k;
			while (e < len && line[e] == ' ')
				e++;
			if (e >= len || line[e] != '}')
				return perr(p, col + 1 + (int)(e - i), "字段 {%s 应以空格补足后用“}”结束", key);
			int width = (int)(e - i + 1);
			int rc = add_slot(p, key, row, col, width);
			if (rc != XF_OK)
				return rc;
			col += width;
			i = e + 1;
			continue;
		}
		col += text_cp_width(cp);
		i += n;
	}
	if (col > MAX_WIDTH)
		return perr(p, col, "版面太宽（超过 %s 列）", "240");
	f->rows = xrealloc(f->rows, (f->nrows + 1) * sizeof *f->rows);
	size_t keep = len;
	while (keep > 0 && line[keep - 1] == '\r')
		keep--;
	f->rows[f->nrows++] = xstrndup(line, keep);
	if (col > f->width)
		f->width = col;
	return XF_OK;
}

/* Parses one "key 标签 type [required] [max=N] [list=NAME] [default=V]" line. */
static int parse_field_line(struct parser *p, char *line)
{
	struct xf_form *f = p->form;
	char *words[8], *save = NULL;
	int n = 0;
	for (char *w = strtok_r(line, " \t\r", &save); w && n < 8; w = strtok_r(NULL, " \t\r", &save))
		words[n++] = w;
	if (n == 0)
		return XF_OK;
	if (n < 3)
		return perr(p, 1, "字段定义应为：字段名 标签 类型 [required] [max=N] [list=清单] [default=值]%s", "");
	if (f->nfields >= MAX_FIELDS)
		return perr(p, 1, "字段超过 %s 个", "200");
	for (const char *c = words[0]; *c; c++)
		if (!key_char(*c))
			return perr(p, 1, "字段名“%s”只能用小写字母、数字、下划线和点", words[0]);
	if (form_field(f, words[0]) != NULL)
		return perr(p, 1, "字段“%s”重复定义", words[0]);
	int type = form_type_parse(words[2]);
	if (type < 0)
		return perr(p, (int)(words[2] - line) + 1,
		            "类型“%s”不认识：应为 text longtext date datetime choice yesno int amount idnum phone", words[2]);
	struct xf_formfield fd;
	memset(&fd, 0, sizeof fd);
	if (strlen(words[0]) >= sizeof fd.key || strlen(words[1]) >= sizeof fd.label)
		return perr(p, 1, "字段名或标签太长%s", "");
	snprintf(fd.key, sizeof fd.key, "%s", words[0]);
	snprintf(fd.label, sizeof fd.label, "%s", words[1]);
	if (text_width(fd.label) < 0)
		return perr(p, 1, "标签不是有效的 UTF-8 文字%s", "");
	fd.type = (enum xf_ftype)type;
	fd.line = p->line;
	for (int i = 3; i < n; i++) {
		int col = (int)(words[i] - line) + 1;
		if (strcmp(words[i], "required") == 0)
			fd.required = true;
		else if (strncmp(words[i], "max=", 4) == 0) {
			char *end;
			long v = strtol(words[i] + 4, &end, 10);
			if (*end || v <= 0 || v > 100000)
				return perr(p, col, "max= 应是 1 到 100000 的整数，不是“%s”", words[i] + 4);
			fd.max = (int)v;
		} else if (strncmp(words[i], "list=", 5) == 0 && strlen(words[i] + 5) < sizeof fd.list)
			snprintf(fd.list, sizeof fd.list, "%s", words[i] + 5);
		else if (strncmp(words[i], "default=", 8) == 0 && strlen(words[i] + 8) < sizeof fd.def)
			snprintf(fd.def, sizeof fd.def, "%s", words[i] + 8);
		else
			return perr(p, col, "不认识“%s”：可写 required、max=N、list=清单、default=值", words[i]);
	}
	if (fd.type == XF_F_CHOICE && fd.list[0] == '\0')
		return perr(p, 1, "选择字段“%s”须写 list=清单名", fd.key);
	f->fields = xrealloc(f->fields, (f->nfields + 1) * sizeof *f->fields);
	f->fields[f->nfields++] = fd;
	return XF_OK;
}

/* Parses a header line "name = value". */
static int parse_header_line(struct parser *p, const char *line)
{
	char key[32], value[128];
	if (sscanf(line, " %31[a-z] = %127[^\r\n]", key, value) != 2)
		return perr(p, 1, "文件开头应写“name = 名称”“title = 标题”，然后是 [layout]%s", "");
	if (strcmp(key, "name") == 0 && strlen(value) < sizeof p->form->name)
		memcpy(p->form->name, value, strlen(value) + 1);
	else if (strcmp(key, "title") == 0)
		memcpy(p->form->title, value, strlen(value) + 1);
	else
		return perr(p, 1, "不认识“%s”：开头只可写 name 和 title", key);
	return XF_OK;
}

/* Checks that every slot has a definition and every definition a slot. */
static int cross_check(struct parser *p)
{
	struct xf_form *f = p->form;
	for (size_t i = 0; i < f->nslots; i++) {
		struct xf_formfield *fd = (struct xf_formfield *)form_field(f, f->slots[i].key);
		if (fd == NULL)
			return xf_err_set(p->err, XF_EINVAL, "%s 第 %d 行：版面里的 {%s} 在 [fields] 中没有定义", p->label,
			                  f->layout_line + f->slots[i].row, f->slots[i].key);
		fd->rows = f->slots[i].rows;
	}
	for (size_t i = 0; i < f->nfields; i++)
		if (form_slot(f, f->fields[i].key) == NULL)
			return xf_err_set(p->err, XF_EINVAL, "%s 第 %d 行：字段“%s”在版面里没有位置 {%s}", p->label,
			                  f->fields[i].line, f->fields[i].key, f->fields[i].key);
	if (f->name[0] == '\0')
		return xf_err_set(p->err, XF_EINVAL, "%s：缺少“name = 名称”", p->label);
	if (f->nrows == 0)
		return xf_err_set(p->err, XF_EINVAL, "%s：[layout] 是空的", p->label);
	return XF_OK;
}

/* Parses a whole form file. */
int form_parse(const char *text, size_t len, const char *label, struct xf_form *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	if (len > MAX_FORM_BYTES)
		return xf_err_set(err, XF_EINVAL, "%s：文件太大（超过 256 KiB）", label);
	if (memchr(text, '\0', len) != NULL)
		return xf_err_set(err, XF_EINVAL, "%s：含有 NUL 字节，不是文本文件", label);
	struct parser p = {label, 0, out, err};
	enum { HEADER, LAYOUT, FIELDS } section = HEADER;
	int rc = XF_OK;
	for (size_t pos = 0; pos < len && rc == XF_OK;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *line = xstrndup(text + pos, n);
		p.line++;
		pos += n + (nl ? 1 : 0);
		char *trimmed = line;
		while (*trimmed == ' ')
			trimmed++;
		if (strncmp(trimmed, "[layout]", 8) == 0 && section == HEADER) {
			section = LAYOUT;
			out->layout_line = p.line + 1;
		} else if (strncmp(trimmed, "[fields]", 8) == 0 && section == LAYOUT) {
			section = FIELDS;
		} else if (section == LAYOUT) {
			rc = parse_layout_line(&p, line, n);
		} else if (*trimmed == '#' || *trimmed == '\0' || *trimmed == '\r') {
			/* comment or blank line */
		} else if (section == HEADER) {
			rc = parse_header_line(&p, trimmed);
		} else {
			rc = parse_field_line(&p, line);
		}
		free(line);
	}
	if (rc == XF_OK && section != FIELDS)
		rc = xf_err_set(err, XF_EINVAL, "%s：缺少 %s 一节", label, section == HEADER ? "[layout]" : "[fields]");
	while (rc == XF_OK && out->nrows > 0 && out->rows[out->nrows - 1][0] == '\0')
		free(out->rows[--out->nrows]);
	if (rc == XF_OK)
		rc = cross_check(&p);
	if (rc != XF_OK)
		form_free(out);
	return rc;
}

/* Reads and parses dir/NAME.form. */
int form_load(const char *dir, const char *name, struct xf_form *out, struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	for (const char *c = name; *c; c++)
		if (!key_char(*c))
			return xf_err_set(err, XF_EINVAL, "表单名“%s”不对：应为 registration、transfer 或 outcome", name);
	char *path = xasprintf("%s/%s.form", dir, name);
	char *text;
	size_t len;
	int rc = paths_read_file(path, &text, &len, err);
	if (rc == XF_OK) {
		rc = form_parse(text, len, path, out, err);
		free(text);
	} else {
		rc = xf_err_set(err, XF_EIO, "表单文件 %s 读不出来：请管理员检查 forms 目录（%s）", path, err->msg);
	}
	free(path);
	return rc;
}

/* Decodes a layout row into characters with their columns and slots. */
size_t form_row_cells(const struct xf_form *form, size_t r, struct xf_cell **cells)
{
	const char *s = form->rows[r];
	size_t len = strlen(s), n = 0;
	*cells = xmalloc((len + 1) * sizeof **cells);
	int col = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp = utf8_next(s, len, &i);
		struct xf_cell *c = &(*cells)[n++];
		c->cp = cp;
		c->col = col;
		c->width = text_cp_width(cp);
		const struct xf_slot *sl = form_slot_at(form, (int)r, col);
		c->slot = sl ? (int)(sl - form->slots) : -1;
		col += c->width;
	}
	return n;
}

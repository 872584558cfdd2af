/* The JR/T 0169-2018 lists: loaded from data/, offered as choices, checked on registration. */
#include "xinfang/jrt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/paths.h"
#include "xinfang/text.h"
#include "xinfang/config.h"

const struct xf_jrt_axis xf_jrt_axes[3] = {
	{"channel", "jrt_channel", "jrt_channels", "jrt_channels.txt", "业务渠道"},
	{"type", "jrt_type", "jrt_types", "jrt_types.txt", "业务类型"},
	{"cause", "jrt_cause", "jrt_causes", "jrt_causes.txt", "投诉原因"},
};

/* The axis named by a registration key or a list name. */
const struct xf_jrt_axis *jrt_axis_of(const char *key_or_list)
{
	for (size_t i = 0; key_or_list && i < 3; i++)
		if (strcmp(xf_jrt_axes[i].column, key_or_list) == 0 || strcmp(xf_jrt_axes[i].list, key_or_list) == 0)
			return &xf_jrt_axes[i];
	return NULL;
}

/* Loads one axis's file: "code name" lines, # comments. */
static int load_axis(struct xf_store *st, const char *datadir, const struct xf_jrt_axis *axis, struct xf_err *err)
{
	struct xf_rows have;
	int rc = store_list(st, "jrt_codes", "axis", axis->axis, &have, err);
	if (rc != XF_OK)
		return rc;
	size_t present = have.n;
	rows_free(&have);
	if (present > 0)
		return XF_OK;
	char *path = config_list_file(datadir, axis->file), *text = NULL;
	FILE *probe = fopen(path, "rb");
	if (probe == NULL) {
		free(path);
		return XF_OK;
	}
	fclose(probe);
	rc = paths_read_file(path, &text, NULL, err);
	if (rc == XF_OK && !utf8_valid(text, strlen(text), NULL))
		rc = xf_err_set(err, XF_EINVAL, "%s 不是 UTF-8 文本：请用 UTF-8 保存", path);
	int ord = 0;
	char *save = NULL;
	for (char *line = rc == XF_OK ? strtok_r(text, "\n", &save) : NULL; line && rc == XF_OK;
	     line = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *wsave = NULL, *code = strtok_r(line, " \t\r", &wsave), *name = strtok_r(NULL, " \t\r", &wsave);
		if (code == NULL)
			continue;
		if (name == NULL) {
			rc = xf_err_set(err, XF_EINVAL, "%s：“%s”这一行少了名称（每行写“代码  名称”）", path, code);
			break;
		}
		struct xf_fields f;
		fields_init(&f);
		char buf[16];
		snprintf(buf, sizeof buf, "%d", ++ord);
		fields_set(&f, "axis", axis->axis);
		fields_set(&f, "code", code);
		fields_set(&f, "name", name);
		fields_set(&f, "ord", buf);
		rc = store_insert(st, "jrt_codes", &f, NULL, err);
		fields_free(&f);
		if (rc != XF_OK)
			rc = xf_err_set(err, XF_EINVAL, "%s：代码“%s”或名称“%s”重复了：每个代码、每个名称只写一次", path, code,
			                name);
	}
	free(text);
	free(path);
	return rc;
}

/* Loads every axis's list that the store does not have yet. */
int jrt_load(struct xf_store *st, const char *datadir, struct xf_err *err)
{
	int rc = XF_OK;
	for (size_t i = 0; i < 3 && rc == XF_OK; i++)
		rc = load_axis(st, datadir, &xf_jrt_axes[i], err);
	return rc;
}

/* The names of an axis as choices. */
int jrt_choices(struct xf_store *st, const struct xf_jrt_axis *axis, struct xf_fields *out, struct xf_err *err)
{
	fields_init(out);
	struct xf_rows rows;
	int rc = store_list(st, "jrt_codes", "axis", axis->axis, &rows, err);
	if (rc != XF_OK)
		return rc;
	for (size_t i = 0; i < rows.n; i++)
		fields_set(out, fields_str(&rows.v[i], "name"), fields_str(&rows.v[i], "name"));
	rows_free(&rows);
	return XF_OK;
}

/* Checks a JR/T value against its axis, accepting a code for its name. */
int jrt_check(struct xf_store *st, const char *key, const char *value, char **name, struct xf_err *err)
{
	if (name)
		*name = NULL;
	const struct xf_jrt_axis *axis = jrt_axis_of(key);
	if (axis == NULL)
		return xf_err_set(err, XF_EINVAL, "内部错误：%s 不是 JR/T 0169 的分类", key ? key : "");
	if (str_empty(value)) {
		if (name)
			*name = xstrdup("");
		return XF_OK;
	}
	struct xf_rows rows;
	int rc = store_list(st, "jrt_codes", "axis", axis->axis, &rows, err);
	if (rc != XF_OK)
		return rc;
	const char *found = NULL;
	for (size_t i = 0; i < rows.n && !found; i++)
		if (strcmp(fields_str(&rows.v[i], "name"), value) == 0 || strcmp(fields_str(&rows.v[i], "code"), value) == 0)
			found = fields_str(&rows.v[i], "name");
	if (found) {
		if (name)
			*name = xstrdup(found);
	} else {
		struct xf_buf names;
		buf_init(&names);
		for (size_t i = 0; i < rows.n; i++)
			buf_printf(&names, "%s%s", i ? "、" : "", fields_str(&rows.v[i], "name"));
		rc = xf_err_set(err, XF_EINVAL, "%s“%.40s”不在 JR/T 0169 清单中：可选 %s（清单在 data/%s，可编辑）", axis->label,
		                value, names.len ? names.data : "（清单是空的）", axis->file);
		buf_free(&names);
	}
	rows_free(&rows);
	return rc;
}

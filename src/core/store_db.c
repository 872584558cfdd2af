/* The storage seam: the locator's rules, the driver chosen by it, the calls passed to the
 * driver, and a failure turned into a message a clerk can act on. */
#include "store_db_driver.h"

#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- locators ---- */

/* The URI schemes libpq accepts. */
static const char *const pg_schemes[] = {"postgresql://", "postgres://"};

/* The length of the URI scheme locator starts with, or 0. */
static size_t pg_scheme_len(const char *locator)
{
	for (size_t i = 0; i < sizeof pg_schemes / sizeof pg_schemes[0]; i++)
		if (strncmp(locator, pg_schemes[i], strlen(pg_schemes[i])) == 0)
			return strlen(pg_schemes[i]);
	return 0;
}

/* True when locator names a PostgreSQL database. */
bool xf_db_locator_is_pg(const char *locator)
{
	return locator && (pg_scheme_len(locator) > 0 || strncmp(locator, "service=", 8) == 0);
}

/* The value of a hexadecimal digit, or -1. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* True when the n bytes at s, percent-decoded, spell "password". */
static bool is_password_key(const char *s, size_t n)
{
	static const char want[] = "password";
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
			c = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
			i += 2;
		}
		if (k >= sizeof want - 1 || tolower((unsigned char)c) != want[k])
			return false;
		k++;
	}
	return k == sizeof want - 1;
}

/* Walks a locator, copying it to out (when not NULL) with any password replaced by ***;
 * returns whether it held one. */
static bool walk_locator(const char *loc, struct xf_buf *out)
{
	bool found = false;
	size_t scheme = pg_scheme_len(loc);
	if (scheme > 0) {
		/* postgresql://[userinfo@]host[,host...][/dbname][?key=value&...] */
		if (out)
			buf_add(out, loc, scheme);
		const char *auth = loc + scheme;
		size_t alen = strcspn(auth, "/?#");
		const char *at = NULL;
		for (const char *p = auth; p < auth + alen; p++)
			if (*p == '@')
				at = p;
		const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (colon) {
			found = true;
			if (out) {
				buf_add(out, auth, (size_t)(colon - auth));
				buf_puts(out, ":***");
				buf_add(out, at, alen - (size_t)(at - auth));
			}
		} else if (out) {
			buf_add(out, auth, alen);
		}
		const char *rest = auth + alen;
		const char *q = strchr(rest, '?');
		if (q == NULL) {
			if (out)
				buf_puts(out, rest);
			return found;
		}
		if (out)
			buf_add(out, rest, (size_t)(q + 1 - rest));
		const char *p = q + 1;
		while (*p) {
			size_t plen = strcspn(p, "&");
			const char *eq = memchr(p, '=', plen);
			if (eq && is_password_key(p, (size_t)(eq - p))) {
				found = true;
				if (out) {
					buf_add(out, p, (size_t)(eq + 1 - p));
					buf_puts(out, "***");
				}
			} else if (out) {
				buf_add(out, p, plen);
			}
			p += plen;
			if (*p == '&') {
				if (out)
					buf_puts(out, "&");
				p++;
			}
		}
		return found;
	}
	/* key = value ... (libpq's keyword/value form; values may be 'quoted' with \ escapes) */
	const char *p = loc;
	while (*p) {
		const char *start = p;
		while (isspace((unsigned char)*p))
			p++;
		const char *key = p;
		while (*p && *p != '=' && !isspace((unsigned char)*p))
			p++;
		size_t klen = (size_t)(p - key);
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '=') { /* not keyword/value after all: copy the rest */
			if (out)
				buf_puts(out, start);
			return found;
		}
		p++;
		while (isspace((unsigned char)*p))
			p++;
		const char *val = p;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p == '\'')
				p++;
		} else {
			for (; *p && !isspace((unsigned char)*p); p++)
				if (*p == '\\' && p[1])
					p++;
		}
		bool secret = is_password_key(key, klen);
		found = found || secret;
		if (out) {
			buf_add(out, start, (size_t)(val - start));
			if (secret)
				buf_puts(out, "***");
			else
				buf_add(out, val, (size_t)(p - val));
		}
	}
	return found;
}

/* True when a PostgreSQL locator carries a password. */
bool xf_db_locator_has_password(const char *locator)
{
	return xf_db_locator_is_pg(locator) && walk_locator(locator, NULL);
}

/* The locator as it may be printed. */
char *xf_db_locator_safe(const char *locator)
{
	if (!xf_db_locator_is_pg(locator))
		return xstrdup(locator ? locator : "");
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	walk_locator(locator, &b);
	return b.data;
}

/* ---- placeholders ---- */

/* True for a character that may continue an identifier (so $ after it is not a quote). */
static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* The length of a dollar-quote tag ($$ or $name$) at p, or 0. */
static size_t dollar_tag(const char *p)
{
	if (p[0] != '$')
		return 0;
	size_t n = 1;
	if (isalpha((unsigned char)p[n]) || p[n] == '_' || (unsigned char)p[n] >= 0x80)
		while (isalnum((unsigned char)p[n]) || p[n] == '_' || (unsigned char)p[n] >= 0x80)
			n++;
	return p[n] == '$' ? n + 1 : 0;
}

/* SQL with ?N placeholders rewritten to $N outside literals, names and comments. */
char *xf_db_pg_placeholders(const char *sql, int *nparams)
{
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	int max = 0;
	const char *p = sql;
	while (*p) {
		const char *start = p;
		if (*p == '\'') {
			/* E'...' allows backslash escapes; '' is a quote either way */
			bool esc = p > sql && (p[-1] == 'E' || p[-1] == 'e') && (p - 1 == sql || !ident_char(p[-2]));
			for (p++; *p; p++) {
				if (esc && *p == '\\' && p[1]) {
					p++;
				} else if (*p == '\'') {
					if (p[1] == '\'')
						p++;
					else
						break;
				}
			}
			if (*p)
				p++;
		} else if (*p == '"') {
			for (p++; *p; p++)
				if (*p == '"') {
					if (p[1] == '"')
						p++;
					else
						break;
				}
			if (*p)
				p++;
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			int depth = 0;
			while (*p) {
				if (p[0] == '/' && p[1] == '*') {
					depth++;
					p += 2;
				} else if (p[0] == '*' && p[1] == '/') {
					p += 2;
					if (--depth == 0)
						break;
				} else {
					p++;
				}
			}
		} else if (*p == '$' && (p == sql || !ident_char(p[-1])) && dollar_tag(p) > 0) {
			size_t tlen = dollar_tag(p);
			const char *end = NULL;
			for (const char *q = p + tlen; (q = strchr(q, '$')) != NULL; q++)
				if (strncmp(q, p, tlen) == 0) {
					end = q;
					break;
				}
			p = end ? end + tlen : p + strlen(p);
		} else if (*p == '?') {
			p++;
			int n = 0;
			if (isdigit((unsigned char)*p)) {
				while (isdigit((unsigned char)*p) && n < 100000)
					n = n * 10 + (*p++ - '0');
			} else {
				n = max + 1; /* a bare ? is the next after the highest so far, as in SQLite */
			}
			if (n > max)
				max = n;
			buf_printf(&b, "$%d", n);
			continue;
		} else {
			p++;
			while (*p && strchr("'\"-/$?", *p) == NULL)
				p++;
		}
		buf_add(&b, start, (size_t)(p - start));
	}
	if (nparams)
		*nparams = max;
	return b.data;
}

/* ---- errors ---- */

/* Set when a write went past the file-size limit (SIGXFSZ caught): SQLite's own errno may be
 * gone by the time it reports the I/O error. */
static volatile sig_atomic_t file_limit_hit;

/* Notes a write past the file-size limit (safe in a signal handler). */
void xf_db_note_file_limit(void)
{
	file_limit_hit = 1;
}

/* Takes (and clears) the note of a write past the file-size limit. */
bool xf_db_take_file_limit(void)
{
	bool hit = file_limit_hit != 0;
	file_limit_hit = 0;
	return hit;
}

/* Records a failure on the connection. */
int xf_db_set_error(struct xf_db *db, enum xf_db_class cls, const char *fmt, ...)
{
	db->cls = cls;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->detail, sizeof db->detail, fmt, ap);
	va_end(ap);
	for (char *p = db->detail; *p; p++) /* libpq's words span lines: one line for the message */
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	size_t n = strlen(db->detail);
	while (n > 0 && db->detail[n - 1] == ' ')
		db->detail[--n] = '\0';
	return -1;
}

/* The class of the last failure. */
enum xf_db_class xf_db_errclass(const struct xf_db *db)
{
	return db->cls;
}

/* The backend's own text of the last failure. */
const char *xf_db_errdetail(const struct xf_db *db)
{
	return db->detail;
}

/* Turns the last failure into a message a clerk can act on. */
int xf_db_fail(struct xf_db *db, struct xf_err *err, const char *what)
{
	bool pg = db->drv->dialect == XF_DB_POSTGRESQL;
	const char *detail = db->detail;
	switch (db->cls) {
	case XF_DB_EBUSY:
		return xf_err_set(err, XF_EBUSY,
		                  "数据库正被其他程序占用（已等待 %d 毫秒）：%s未完成，已有数据未受影响。请稍后重试；如一直如此，请管理员检查是否有程序卡住",
		                  db->busy_ms, what);
	case XF_DB_EFULL:
		if (pg)
			return xf_err_set(err, XF_EIO, "数据库服务器的磁盘已满（%s）：%s未保存，已有数据完好。请数据库管理员清理空间后重试",
			                  detail, what);
		return xf_err_set(err, XF_EIO, "磁盘已满（或文件超过了系统允许的大小）：%s未保存，已有数据完好。请清理磁盘空间（或请管理员放宽文件大小限制）后重试", what);
	case XF_DB_EPERM:
		if (pg)
			return xf_err_set(err, XF_EIO,
			                  "数据库服务器拒绝了访问 %s（%s）：%s未完成。请数据库管理员检查账户与权限（密码放在 ~/.pgpass 或服务文件中）",
			                  db->where, detail, what);
		return xf_err_set(err, XF_EIO, "无法读写数据库文件 %s（%s）：%s未完成。请检查文件和目录的权限", db->where,
		                  detail, what);
	case XF_DB_EIO:
		if (pg)
			return xf_err_set(err, XF_EIO, "数据库服务器读写出错（%s）：%s未完成。请数据库管理员检查服务器的磁盘", detail, what);
		return xf_err_set(err, XF_EIO, "读写数据库文件出错（%s）：%s未完成。请检查磁盘", detail, what);
	case XF_DB_ECORRUPT:
		if (pg)
			return xf_err_set(err, XF_EIO, "数据库 %s 已损坏（%s）：%s未完成。请数据库管理员检查服务器，必要时从备份恢复",
			                  db->where, detail, what);
		return xf_err_set(err, XF_EIO, "文件 %s 不是 xinfang 数据库或已损坏（%s）：请从备份恢复", db->where, detail);
	case XF_DB_ECONSTRAINT:
		return xf_err_set(err, XF_EINVAL, "%s被数据库拒绝：%s", what, detail);
	case XF_DB_ELOST:
		/* what happened and what to do first: the server's address and words may fill the line */
		if (db->lost == XF_DB_LOST_COMMIT)
			return xf_err_set(err, XF_EIO,
			                  "与数据库服务器的连接在提交时中断了：无法确认%s是否已存入。程序会自动重新连接，请先查看结果，没有存入再重做（%s：%s）",
			                  what, db->where, detail);
		if (db->lost == XF_DB_LOST_TXN)
			return xf_err_set(err, XF_EIO,
			                  "与数据库服务器的连接中断了：%s没有完成，这次的内容一点也没有存入。程序会自动重新连接，请确认服务器可用后重做刚才的操作（%s：%s）",
			                  what, db->where, detail);
		if (db->lost == XF_DB_LOST_IDLE)
			return xf_err_set(err, XF_EIO,
			                  "与数据库服务器的连接中断了：%s未完成。程序会自动重新连接，请检查网络与服务器，恢复后重做刚才的操作（%s：%s）",
			                  what, db->where, detail);
		return xf_err_set(err, XF_EIO, "无法连接数据库服务器：%s未完成。请检查网络与服务器后重试（%s：%s）", what, db->where,
		                  detail);
	case XF_DB_OK:
	case XF_DB_EOTHER:
	default:
		return xf_err_set(err, XF_EIO, "%s失败：%s", what, detail);
	}
}

/* ---- connections ---- */

/* Copies into out the name the server's message quotes after `before` ("role \"", "database
 * \""); false when the message has no such name. */
static bool quoted_name(const char *detail, const char *before, char *out, size_t size)
{
	const char *p = strstr(detail, before);
	if (p == NULL)
		return false;
	p += strlen(before);
	const char *end = strchr(p, '"');
	if (end == NULL || (size_t)(end - p) >= size)
		return false;
	snprintf(out, size, "%.*s", (int)(end - p), p);
	return true;
}

/* A connection the server refused for a reason the DBA sets right (a role or database that does
 * not exist, a role that may not log in), said in those words with what to do; XF_OK (err
 * untouched) for every other failure. The server's own words follow in brackets. */
static int connect_refused(struct xf_db *db, struct xf_err *err)
{
	const char *detail = db->detail;
	char name[128];
	if (strstr(detail, "does not exist") && quoted_name(detail, "role \"", name, sizeof name))
		return xf_err_set(err, XF_EIO,
		                  "数据库服务器上没有账户“%s”（%s）：请数据库管理员建立它（CREATE ROLE %s LOGIN IN ROLE "
		                  "xinfang_desk），或改正地址中的 user=（%s）",
		                  name, db->where, name, detail);
	if (strstr(detail, "does not exist") && quoted_name(detail, "database \"", name, sizeof name))
		return xf_err_set(err, XF_EIO,
		                  "数据库服务器上没有数据库“%s”（%s）：请数据库管理员建立它（CREATE DATABASE %s OWNER "
		                  "xinfang_owner …，再由所有者运行 xinfang init），或改正地址中的库名（%s）",
		                  name, db->where, name, detail);
	if (strstr(detail, "is not permitted to log in") && quoted_name(detail, "role \"", name, sizeof name))
		return xf_err_set(err, XF_EIO,
		                  "数据库账户“%s”不能登录（它是一组权限，NOLOGIN）：请把地址中的 user= 改为它之下的登录账户"
		                  "（数据库管理员用 CREATE ROLE clerk1 LOGIN IN ROLE %s 建立）（%s：%s）",
		                  name, name, db->where, detail);
	return XF_OK;
}

/* Opens the database the locator names. */
int xf_db_open(const char *locator, const struct xf_db_options *opt, struct xf_db **out, struct xf_err *err)
{
	*out = NULL;
	bool pg = xf_db_locator_is_pg(locator);
	if (pg && xf_db_locator_has_password(locator)) {
		char *safe = xf_db_locator_safe(locator);
		int rc = xf_err_set(err, XF_EINVAL,
		                    "数据库地址 %s 含有密码：密码不能写在命令行或配置里（别人能看到）。请把它放进 ~/.pgpass（权限 0600）或 PostgreSQL 的服务文件（~/.pg_service.conf），地址中只留用户名",
		                    safe);
		free(safe);
		return rc;
	}
	const struct xf_db_driver *drv = pg ? &xf_db_driver_pg : &xf_db_driver_sqlite;
	int busy_ms = opt && opt->busy_ms > 0 ? opt->busy_ms : 5000;
	struct xf_db *db = NULL;
	int rc = drv->open(locator, busy_ms, &db, err);
	if (db == NULL) /* the driver could not begin (libpq missing): err says why */
		return rc != XF_OK ? rc : xf_err_set(err, XF_EIO, "内部错误：数据库驱动未返回连接");
	if (rc != XF_OK) {
		int code = pg ? connect_refused(db, err) : XF_OK;
		if (code == XF_OK)
			code = xf_db_fail(db, err, "打开数据库");
		xf_db_close(db);
		return code;
	}
	*out = db;
	return XF_OK;
}

/* Fills the common part of a new connection. */
void xf_db_init(struct xf_db *db, const struct xf_db_driver *drv, const char *locator, int busy_ms)
{
	db->drv = drv;
	db->where = xf_db_locator_safe(locator);
	db->busy_ms = busy_ms;
	db->cls = XF_DB_OK;
	db->detail[0] = '\0';
}

/* Closes the connection. */
void xf_db_close(struct xf_db *db)
{
	if (db == NULL)
		return;
	char *where = db->where;
	db->drv->close(db);
	free(where);
}

/* The driver's name. */
const char *xf_db_backend(const struct xf_db *db)
{
	return db->drv->name;
}

/* The dialect of the driver's SQL. */
enum xf_db_dialect xf_db_dialect(const struct xf_db *db)
{
	return db->drv->dialect;
}

/* The locator without a password. */
const char *xf_db_where(const struct xf_db *db)
{
	return db->where;
}

/* The busy timeout. */
int xf_db_busy_ms(const struct xf_db *db)
{
	return db->busy_ms;
}

/* The driver's own handle. */
void *xf_db_native(struct xf_db *db)
{
	return db->drv->native(db);
}

/* ---- statements ---- */

/* Prepares a statement. */
int xf_db_prepare(struct xf_db *db, const char *sql, struct xf_db_stmt **out, struct xf_err *err)
{
	*out = NULL;
	if (db->drv->prepare(db, sql, out) != 0)
		return xf_db_fail(db, err, "数据库查询");
	(*out)->db = db;
	(*out)->state = XF_DB_STMT_READY;
	return XF_OK;
}

/* Refuses a parameter number outside the statement's. */
static int check_param(struct xf_db_stmt *st, int i)
{
	if (i >= 1 && i <= st->nparams)
		return 0;
	return xf_db_set_error(st->db, XF_DB_EOTHER, "parameter %d out of range (the statement has %d)", i, st->nparams);
}

/* Binds text to parameter i. */
int xf_db_bind_text(struct xf_db_stmt *st, int i, const char *s, int len)
{
	if (s == NULL)
		return xf_db_bind_null(st, i);
	return check_param(st, i) == 0 && st->db->drv->bind_text(st, i, s, len) == 0 ? XF_OK : XF_EINVAL;
}

/* Binds an integer to parameter i. */
int xf_db_bind_int64(struct xf_db_stmt *st, int i, int64_t v)
{
	return check_param(st, i) == 0 && st->db->drv->bind_int64(st, i, v) == 0 ? XF_OK : XF_EINVAL;
}

/* Binds a float to parameter i. */
int xf_db_bind_double(struct xf_db_stmt *st, int i, double v)
{
	return check_param(st, i) == 0 && st->db->drv->bind_double(st, i, v) == 0 ? XF_OK : XF_EINVAL;
}

/* Binds NULL to parameter i. */
int xf_db_bind_null(struct xf_db_stmt *st, int i)
{
	return check_param(st, i) == 0 && st->db->drv->bind_null(st, i) == 0 ? XF_OK : XF_EINVAL;
}

/* Runs the statement or moves to its next row; an ended statement stays ended. */
enum xf_db_step xf_db_step(struct xf_db_stmt *st)
{
	if (st->state == XF_DB_STMT_ENDED)
		return st->ended_as;
	enum xf_db_step r = st->db->drv->step(st);
	if (r == XF_DB_ROW) {
		st->state = XF_DB_STMT_RUNNING;
	} else {
		st->state = XF_DB_STMT_ENDED;
		st->ended_as = r;
	}
	return r;
}

/* The number of result columns. */
int xf_db_column_count(struct xf_db_stmt *st)
{
	return st->db->drv->column_count(st);
}

/* A result column's name ("" out of range). */
const char *xf_db_column_name(struct xf_db_stmt *st, int i)
{
	const char *name = i >= 0 ? st->db->drv->column_name(st, i) : NULL;
	return name ? name : "";
}

/* Whether the column is in range of a row being read. */
static bool has_value(struct xf_db_stmt *st, int i)
{
	return st->state == XF_DB_STMT_RUNNING && i >= 0 && i < st->db->drv->column_count(st);
}

/* The current row's type of column i. */
enum xf_db_type xf_db_column_type(struct xf_db_stmt *st, int i)
{
	return has_value(st, i) ? st->db->drv->column_type(st, i) : XF_DB_NULL;
}

/* The current row's text of column i (NULL for NULL). */
const char *xf_db_column_text(struct xf_db_stmt *st, int i)
{
	return has_value(st, i) ? st->db->drv->column_text(st, i) : NULL;
}

/* The current row's column i as an integer. */
int64_t xf_db_column_int64(struct xf_db_stmt *st, int i)
{
	return has_value(st, i) ? st->db->drv->column_int64(st, i) : 0;
}

/* The current row's column i as a float. */
double xf_db_column_double(struct xf_db_stmt *st, int i)
{
	return has_value(st, i) ? st->db->drv->column_double(st, i) : 0.0;
}

/* Rows changed by the last finished INSERT, UPDATE or DELETE. */
int64_t xf_db_changes(struct xf_db *db)
{
	return db->changes;
}

/* Makes the statement ready to run again. */
void xf_db_reset(struct xf_db_stmt *st)
{
	st->db->drv->reset(st);
	st->state = XF_DB_STMT_READY;
}

/* Releases the statement. */
void xf_db_finalize(struct xf_db_stmt *st)
{
	if (st)
		st->db->drv->finalize(st);
}

/* Statements prepared from now on are prepared afresh. */
void xf_db_schema_changed(struct xf_db *db)
{
	if (db->drv->schema_changed)
		db->drv->schema_changed(db);
}

/* Runs a script with no results. */
int xf_db_exec(struct xf_db *db, const char *sql, struct xf_err *err, const char *what)
{
	db->epoch++;
	return db->drv->exec(db, sql) == 0 ? XF_OK : xf_db_fail(db, err, what);
}

/* Runs a COPY ... FROM STDIN with its rows. */
int xf_db_copy_in(struct xf_db *db, const char *sql, const char *data, size_t len, struct xf_err *err,
                  const char *what)
{
	if (db->drv->copy_in == NULL)
		return xf_err_set(err, XF_EINVAL, "%s：这种数据库不支持批量复制", what);
	db->epoch++;
	return db->drv->copy_in(db, sql, data, len) == 0 ? XF_OK : xf_db_fail(db, err, what);
}

/* ---- transactions and changes ---- */

/* Begins the one write transaction. */
int xf_db_begin_write(struct xf_db *db, struct xf_err *err)
{
	db->epoch++;
	return db->drv->begin_write(db) == 0 ? XF_OK : xf_db_fail(db, err, "开始保存");
}

/* Begins a write transaction that may overlap others of its kind (a case's move). */
int xf_db_begin_write_shared(struct xf_db *db, struct xf_err *err)
{
	db->epoch++;
	int (*begin)(struct xf_db *) = db->drv->begin_write_shared ? db->drv->begin_write_shared : db->drv->begin_write;
	return begin(db) == 0 ? XF_OK : xf_db_fail(db, err, "开始保存");
}

/* Begins a read transaction on one snapshot. */
int xf_db_begin_read(struct xf_db *db, struct xf_err *err)
{
	db->epoch++;
	return db->drv->begin_read(db) == 0 ? XF_OK : xf_db_fail(db, err, "读取数据");
}

/* Commits the open transaction. */
int xf_db_commit(struct xf_db *db, struct xf_err *err)
{
	return db->drv->commit(db) == 0 ? XF_OK : xf_db_fail(db, err, "保存");
}

/* Rolls the open transaction back. */
void xf_db_rollback(struct xf_db *db)
{
	db->drv->rollback(db);
}

/* True inside a transaction. */
bool xf_db_in_transaction(struct xf_db *db)
{
	return db->drv->in_transaction(db);
}

/* Requests sent to the server and waited for so far. */
uint64_t xf_db_round_trips(const struct xf_db *db)
{
	return db->round_trips;
}

/* The number that moves at each transaction's begin and each script. */
uint64_t xf_db_epoch(const struct xf_db *db)
{
	return db->epoch;
}

/* The descriptor to wait on for other connections' commits, or -1. */
int xf_db_notify_fd(struct xf_db *db)
{
	return db->drv->notify_fd(db);
}

/* Whether another connection committed since the last call. */
int xf_db_changed(struct xf_db *db, bool *changed, struct xf_err *err)
{
	*changed = false;
	return db->drv->changed(db, changed) == 0 ? XF_OK : xf_db_fail(db, err, "检查数据更新");
}

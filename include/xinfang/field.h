/* Field values and their checks: ID numbers, phones, dates, amounts, lengths, yes/no. */
#ifndef XINFANG_FIELD_H
#define XINFANG_FIELD_H

#include <stdbool.h>
#include "xinfang/util.h"

/* The kinds of value a field holds. */
enum xf_ftype {
	XF_F_TEXT,     /* one line of text */
	XF_F_LONGTEXT, /* several lines */
	XF_F_DATE,     /* YYYY-MM-DD */
	XF_F_DATETIME, /* YYYY-MM-DD or YYYY-MM-DD HH:MM */
	XF_F_CHOICE,   /* one of a data list */
	XF_F_YESNO,    /* 是/否 (y/n, 1/0 accepted) */
	XF_F_INT,      /* whole number in a range */
	XF_F_AMOUNT,   /* 元 with at most two decimals */
	XF_F_IDNUM,    /* identity document number (identity.h), checked as its form's id_type says */
	XF_F_PHONE,    /* mobile or landline */
};

/* One field of the shared vocabulary. */
struct xf_fielddef {
	const char *key;   /* e.g. "id_number" */
	const char *label; /* e.g. "身份证号" */
	enum xf_ftype type;
	int width;         /* longest value in display columns (text), or max (int) */
	const char *list;  /* data list for choices: "channels", "categories", ... */
};

/* The registration form's fields in order, ending with a NULL key. */
extern const struct xf_fielddef xf_registration_fields[];
/* Looks a registration field up by key; NULL when unknown. */
const struct xf_fielddef *field_def(const char *key);

/* What a resident ID number says about its holder. */
struct xf_idinfo {
	int birth;  /* day number */
	bool male;  /* odd sequence digit */
	bool known; /* the number carries birth and sex (identity_check leaves it false otherwise) */
};

/* Checks a resident ID number (GB 11643 check digit, a GB/T 2260 area code, a real birth date
 * from 1900 and not after today); label names the field in messages. Full-width characters and
 * spaces are normalised first and lower-case x is accepted; *normalized (if given) gets the
 * 18 characters as stored. */
int field_check_id(const char *s, const char *label, struct xf_idinfo *info, char normalized[19],
                   struct xf_err *err);
/* The check character an ID number's first 17 digits call for. */
char field_id_check_char(const char *first17);
/* Whole years of age on `today` for someone born on `birth`. */
int field_age_on(int birth, int today);
/* Checks a phone number as phone_normalize (phone.h) reads it. */
int field_check_phone(const char *s, const char *label, struct xf_err *err);
/* Parses 是/否, y/n, yes/no, 1/0, true/false. */
int field_parse_yesno(const char *s, const char *label, bool *out, struct xf_err *err);
/* Parses a whole number within [min, max]. */
int field_parse_int(const char *s, const char *label, long min, long max, long *out, struct xf_err *err);
/* Normalises an amount in 元 to "N.NN"; refuses negatives, more than two decimals, junk. */
int field_normalize_amount(const char *s, const char *label, char out[32], struct xf_err *err);
/* Checks text: valid UTF-8, no control characters (newlines only when multiline), at most
 * max_cols display columns (0 = no limit). */
int field_check_text(const char *s, const char *label, int max_cols, bool multiline, struct xf_err *err);
/* Checks and normalises one value of def's type into *out (a new string). Choices are checked
 * against their lists by the caller, which knows the data. */
int field_normalize(const struct xf_fielddef *def, const char *in, char **out, struct xf_err *err);

#endif

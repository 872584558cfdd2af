/* Identity documents: the kinds a petitioner may show, their numbers and check characters, and
 * the administrative division codes (GB/T 2260) resident ID numbers begin with. */
#ifndef XINFANG_IDENTITY_H
#define XINFANG_IDENTITY_H

#include <stdbool.h>
#include "xinfang/field.h"
#include "xinfang/util.h"

/* The documents of the registration form's 证件类型 choice. */
enum xf_idtype {
	XF_ID_RESIDENT,      /* 居民身份证 (GB 11643) */
	XF_ID_HKMO_PERMIT,   /* 港澳居民来往内地通行证: H or M and 8 (or 10) digits */
	XF_ID_TW_PERMIT,     /* 台湾居民来往大陆通行证: 8 digits (or 10 on older cards) */
	XF_ID_HMT_RESIDENCE, /* 港澳台居民居住证: 18 characters like a resident ID, area 810000/820000/830000 */
	XF_ID_FOREIGN_PR,    /* 外国人永久居留身份证: 2017 card 15 characters, 2023 card 18 starting with 9 */
	XF_ID_PASSPORT,      /* 护照: 5 to 17 letters and digits */
	XF_ID_USCC,          /* 统一社会信用代码 (GB 32100-2015) */
	XF_ID_OTHER,         /* 其他 */
	XF_ID_COUNT
};

/* Chinese name of a document type ("居民身份证"). */
const char *identity_type_label(enum xf_idtype type);
/* What a slip's label calls the number of this document ("身份证号", "护照号码"; "证件号码" for
 * 其他), at most four characters. */
const char *identity_number_label(enum xf_idtype type);
/* Parses a name or its key ("resident", "passport", ...); empty means 居民身份证; -1 unknown. */
int identity_type_parse(const char *s);
/* The names joined with 、 for messages. */
const char *identity_type_names(void);

/* The one written form of a document number: full-width letters and digits made half-width,
 * spaces (ASCII and full-width) removed, letters upper-cased. A new string. */
char *identity_normalize(const char *s);
/* Checks a number as a document of `type` after identity_normalize; *normalized (if given)
 * gets the stored form (a new string). info (if given) gets the birth date and sex when the
 * number carries them (info->birth is 0 and info->known false otherwise). */
int identity_check(enum xf_idtype type, const char *s, const char *label, struct xf_idinfo *info,
                   char **normalized, struct xf_err *err);
/* The GB 32100-2015 check character of a unified social credit code's first 17 characters, or
 * 0 when one of them is not in its alphabet. */
char identity_uscc_check_char(const char *first17);
/* Name of an administrative division code (6 digits) of any year since 1980, or NULL; the name
 * is in a buffer the next call reuses. */
const char *identity_division_name(const char *code6);

#endif

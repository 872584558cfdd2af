/* The numbering plans' own metadata (Debian's libphonenumber) as the C core asks it: plain
 * structs in and out, no C++ type and no exception crossing. Only phone.c uses it. */
#ifndef XINFANG_PHONENUMBER_SHIM_H
#define XINFANG_PHONENUMBER_SHIM_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What kind of number the plan says it is (libphonenumber's PhoneNumberType, same order). */
enum pnshim_type {
	PNSHIM_FIXED_LINE,
	PNSHIM_MOBILE,
	PNSHIM_FIXED_LINE_OR_MOBILE,
	PNSHIM_TOLL_FREE,
	PNSHIM_PREMIUM_RATE,
	PNSHIM_SHARED_COST,
	PNSHIM_VOIP,
	PNSHIM_PERSONAL,
	PNSHIM_PAGER,
	PNSHIM_UAN,
	PNSHIM_VOICEMAIL,
	PNSHIM_UNKNOWN,
};

/* Whether the length alone could be a number of the country (IsPossibleNumberWithReason). */
enum pnshim_length {
	PNSHIM_LENGTH_OK,
	PNSHIM_LENGTH_BAD_COUNTRY,
	PNSHIM_LENGTH_TOO_SHORT,
	PNSHIM_LENGTH_TOO_LONG,
	PNSHIM_LENGTH_LOCAL_ONLY,
	PNSHIM_LENGTH_INVALID,
};

/* A number as the plan reads it. */
struct pnshim_number {
	int country_code;        /* 86, 852 ... */
	char nsn[32];            /* the national significant number, digits only */
	char region[4];          /* "CN", "HK" ...; "" when the number fits no region */
	bool valid;              /* a number the plan assigns */
	enum pnshim_type type;
	enum pnshim_length length;
	int area_len;            /* digits of nsn that are its geographical area code, else 0 */
	char national[48];       /* the plan's national format ("0755 96123"), "" when invalid */
};

/* Why a text could not be read as a number at all. */
enum pnshim_parsed {
	PNSHIM_PARSED,
	PNSHIM_NO_COUNTRY,  /* no such country calling code */
	PNSHIM_TOO_SHORT,   /* too few digits to be any number */
	PNSHIM_TOO_LONG,    /* too many digits to be any number */
	PNSHIM_NOT_NUMBER,  /* no number in it, or the library failed */
};

/* Reads "+CC..." (or national digits dialled in region, "CN") into *out. */
enum pnshim_parsed pnshim_parse(const char *number, const char *region, struct pnshim_number *out);

/* The plan's example number (national significant number) of a region, a mobile one when
 * mobile, into out; false when the plan has none. */
bool pnshim_example(const char *region, bool mobile, char *out, size_t n);

/* The one region of a country code ("GB" for 44) into out; false when it has none or several
 * (+1, +7). */
bool pnshim_only_region(int country_code, char *out, size_t n);

/* A region's name in Chinese (ICU's names; 香港, 澳门, 台湾 as the desk says them), UTF-8. */
bool pnshim_region_name(const char *region, char *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif

/* Phone numbers in one stored form, whichever way they were written, checked by the plan. */
#ifndef XINFANG_PHONE_H
#define XINFANG_PHONE_H

#include "xinfang/util.h"

/* Normalises a phone number written any usual way (spaces, hyphens, brackets, full-width
 * digits, +86 or 0086 before a mainland number, 00 for +, 转/分机/ext before an extension)
 * and checks it against the numbering plan's own metadata (libphonenumber) into the one
 * stored form:
 *   mainland mobile        13812345678
 *   landline               010-12345678, 0351-2882864, 0755-12345678-801 (the area code and
 *                          the number's length as the plan has them; extension up to 6 digits)
 *   400/800 service number 400-819-5588
 *   other mainland numbers the plan's national grouping, hyphened (0755-96123)
 *   elsewhere              +CC NATIONAL (+852 91234567 Hong Kong, +853 Macao, +886 Taiwan)
 * The stored form reads back to itself. *out gets a new string; XF_EINVAL with a message
 * naming label and saying what is wrong (no such prefix or area code, the length the area
 * takes …) otherwise. */
int phone_normalize(const char *s, const char *label, char **out, struct xf_err *err);

#endif

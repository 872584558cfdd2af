/* Phone numbers in one stored form, whichever way they were written. */
#ifndef XINFANG_PHONE_H
#define XINFANG_PHONE_H

#include "xinfang/util.h"

/* Normalises a phone number written any usual way (spaces, hyphens, brackets, full-width
 * digits, +86 or 0086 before a mainland number, 00 for +) into the one stored form:
 *   mainland mobile        13812345678
 *   landline               010-12345678, 0755-1234567, 0755-1234567-801 (3-digit area codes
 *                          010 and 02x take 8 digits, 4-digit codes 7 or 8)
 *   400/800 service number 400-819-5588
 *   elsewhere              +CC NATIONAL (+852 91234567 Hong Kong, +853 Macao, +886 Taiwan)
 * *out gets a new string; XF_EINVAL with a message naming label otherwise. */
int phone_normalize(const char *s, const char *label, char **out, struct xf_err *err);

#endif

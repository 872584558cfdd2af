// The numbering plans' metadata (libphonenumber) behind a C interface: every call catches
// whatever the library or the C++ runtime throws and answers "no" instead.
#include "phonenumber_shim.h"

#include <cstring>
#include <list>
#include <mutex>
#include <string>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

using i18n::phonenumbers::NullLogger;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// The library's one instance, told once never to write to the terminal (the desk owns it).
const PhoneNumberUtil &util()
{
	static std::once_flag once;
	PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
	std::call_once(once, [u] { u->SetLogger(new NullLogger()); });
	return *u;
}

// Copies s into out (n bytes), cut if it must be; false when it did not fit.
bool copy_out(const std::string &s, char *out, size_t n)
{
	if (n == 0)
		return false;
	size_t m = s.size() < n - 1 ? s.size() : n - 1;
	std::memcpy(out, s.data(), m);
	out[m] = '\0';
	return m == s.size();
}

// The library's length verdict in the shim's terms.
enum pnshim_length length_of(PhoneNumberUtil::ValidationResult r)
{
	switch (r) {
	case PhoneNumberUtil::IS_POSSIBLE:
		return PNSHIM_LENGTH_OK;
	case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
		return PNSHIM_LENGTH_LOCAL_ONLY;
	case PhoneNumberUtil::INVALID_COUNTRY_CODE:
		return PNSHIM_LENGTH_BAD_COUNTRY;
	case PhoneNumberUtil::TOO_SHORT:
		return PNSHIM_LENGTH_TOO_SHORT;
	case PhoneNumberUtil::TOO_LONG:
		return PNSHIM_LENGTH_TOO_LONG;
	default:
		return PNSHIM_LENGTH_INVALID;
	}
}

// pnshim_parse's work, allowed to throw.
enum pnshim_parsed parse(const char *number, const char *region, struct pnshim_number *out)
{
	const PhoneNumberUtil &u = util();
	PhoneNumber pn;
	switch (u.Parse(number, region, &pn)) {
	case PhoneNumberUtil::NO_PARSING_ERROR:
		break;
	case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
		return PNSHIM_NO_COUNTRY;
	case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
	case PhoneNumberUtil::TOO_SHORT_NSN:
		return PNSHIM_TOO_SHORT;
	case PhoneNumberUtil::TOO_LONG_NSN:
		return PNSHIM_TOO_LONG;
	default:
		return PNSHIM_NOT_NUMBER;
	}
	std::string nsn, reg;
	u.GetNationalSignificantNumber(pn, &nsn);
	if (!copy_out(nsn, out->nsn, sizeof out->nsn))
		return PNSHIM_TOO_LONG;
	u.GetRegionCodeForNumber(pn, &reg);
	if (reg == "ZZ" || reg == "001")
		reg.clear();
	copy_out(reg, out->region, sizeof out->region);
	out->country_code = pn.country_code();
	out->valid = u.IsValidNumber(pn);
	int type = u.GetNumberType(pn);
	out->type = type >= PNSHIM_FIXED_LINE && type <= PNSHIM_UNKNOWN ? (enum pnshim_type)type : PNSHIM_UNKNOWN;
	// The length as a fixed line or a mobile number, whichever fits better.
	enum pnshim_length fixed = length_of(u.IsPossibleNumberForTypeWithReason(pn, PhoneNumberUtil::FIXED_LINE));
	enum pnshim_length mobile = length_of(u.IsPossibleNumberForTypeWithReason(pn, PhoneNumberUtil::MOBILE));
	out->length = fixed == PNSHIM_LENGTH_OK || mobile == PNSHIM_LENGTH_OK ? PNSHIM_LENGTH_OK : mobile;
	out->area_len = out->valid ? u.GetLengthOfGeographicalAreaCode(pn) : 0;
	std::string national;
	if (out->valid)
		u.Format(pn, PhoneNumberUtil::NATIONAL, &national);
	copy_out(national, out->national, sizeof out->national);
	return PNSHIM_PARSED;
}

} // namespace

// Reads a number as the plan does; no exception leaves.
enum pnshim_parsed pnshim_parse(const char *number, const char *region, struct pnshim_number *out)
{
	std::memset(out, 0, sizeof *out);
	out->type = PNSHIM_UNKNOWN;
	try {
		return parse(number, region, out);
	} catch (...) {
		std::memset(out, 0, sizeof *out);
		out->type = PNSHIM_UNKNOWN;
		return PNSHIM_NOT_NUMBER;
	}
}

// The plan's example number of a region; no exception leaves.
bool pnshim_example(const char *region, bool mobile, char *out, size_t n)
{
	try {
		const PhoneNumberUtil &u = util();
		PhoneNumber pn;
		if (!u.GetExampleNumberForType(region, mobile ? PhoneNumberUtil::MOBILE : PhoneNumberUtil::FIXED_LINE, &pn))
			return false;
		std::string nsn;
		u.GetNationalSignificantNumber(pn, &nsn);
		return copy_out(nsn, out, n);
	} catch (...) {
		return false;
	}
}

// The one region of a country code; no exception leaves.
bool pnshim_only_region(int country_code, char *out, size_t n)
{
	try {
		std::list<std::string> regions;
		util().GetRegionCodesForCountryCallingCode(country_code, &regions);
		if (regions.size() != 1 || regions.front() == "001")
			return false;
		return copy_out(regions.front(), out, n);
	} catch (...) {
		return false;
	}
}

// A region's name in Chinese; no exception leaves.
bool pnshim_region_name(const char *region, char *out, size_t n)
{
	static const char *const desk_names[][2] = {{"HK", "香港"}, {"MO", "澳门"}, {"TW", "台湾"}, {"CN", "中国内地"}};
	for (const auto &name : desk_names)
		if (std::strcmp(region, name[0]) == 0)
			return copy_out(name[1], out, n);
	try {
		icu::UnicodeString shown;
		icu::Locale("", region).getDisplayCountry(icu::Locale("zh"), shown);
		std::string utf8;
		shown.toUTF8String(utf8);
		if (utf8.empty() || utf8 == region)
			return false;
		return copy_out(utf8, out, n);
	} catch (...) {
		return false;
	}
}

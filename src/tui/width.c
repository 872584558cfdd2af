/* Widths on the screen: what the C library's wcwidth says, as the terminal draws it. */
#include "editor.h"

#include <string.h>
#include <wchar.h>

#include "xinfang/text.h"

/* Columns a code point takes on the terminal (controls and unassigned: none). */
int tui_cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 0 : w;
}

/* tui_cp_width in the shape text_wrap takes. */
int tui_cp_width_ctx(uint32_t cp, void *ctx)
{
	(void)ctx;
	return tui_cp_width(cp);
}

/* Columns a UTF-8 text takes on the terminal; a bad byte counts as one column (U+FFFD). */
int tui_width(const char *text)
{
	size_t len = text ? strlen(text) : 0;
	int w = 0;
	for (size_t i = 0; i < len;)
		w += tui_cp_width(utf8_next(text, len, &i));
	return w;
}

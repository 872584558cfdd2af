/* UTF-8 text: validation, decoding and display width (a CJK character takes two columns). */
#ifndef XINFANG_TEXT_H
#define XINFANG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s (at most n bytes); returns its length, or 0 for invalid or
 * truncated bytes, overlongs, surrogates and values above U+10FFFF. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* The code point at s[*i] (len bytes in all), advancing *i past it; a byte that starts no valid
 * sequence reads as U+FFFD and is skipped alone. For text that must be shown whatever it holds. */
uint32_t utf8_next(const char *s, size_t len, size_t *i);
/* Encodes cp into out (4 bytes at least); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);
/* True when s is valid UTF-8; *bad_offset (if given) receives the first bad byte's offset. */
bool utf8_valid(const char *s, size_t n, size_t *bad_offset);
/* Display columns of one code point: 0 for combining marks and controls, 2 for East Asian
 * Wide and Fullwidth characters (CJK, including planes 2 and 3), else 1. */
int text_cp_width(uint32_t cp);
/* Display columns of a valid UTF-8 string; -1 when it is not valid UTF-8. */
int text_width(const char *s);
/* Number of code points in a valid UTF-8 string; -1 when invalid. */
int text_chars(const char *s);

/* Columns a code point takes on some device (the screen, a printer); ctx is the caller's. */
typedef int (*text_width_fn)(uint32_t cp, void *ctx);
/* Wraps UTF-8 text into lines of at most `width` columns as cp_width measures them: breaks
 * at newlines; a run of letters, digits and joiners (a phone, an ID number, a date) moves to
 * the next line whole unless it is longer than a line; no line starts with closing
 * punctuation (避头尾：，。、；：？！）》」』】〉…) nor ends with opening punctuation. A
 * character is never cut. Returns the number of lines; *lines is an array of new strings. */
size_t text_wrap(const char *text, int width, text_width_fn cp_width, void *ctx, char ***lines);
/* Frees the lines of text_wrap. */
void text_lines_free(char **lines, size_t n);
/* True for punctuation that must not start a line (，。、；：？！）》」』】〉… and ASCII , . ; : ? ! ) ] }). */
bool text_no_line_start(uint32_t cp);
/* True for code points that must never reach a terminal or a printer as they are: C0
 * controls (tab and newline included: callers that allow them check first), DEL, C1
 * controls U+0080–U+009F, and the bidirectional controls (U+061C, U+200E, U+200F, embeddings
 * and overrides U+202A–U+202E, isolates U+2066–U+2069) that reorder what is shown. */
bool text_cp_unsafe(uint32_t cp);
/* True for the bidirectional controls among them. */
bool text_cp_bidi(uint32_t cp);
/* A copy of s that can be shown anywhere: unsafe code points written \u001b, \u202e ...,
 * bytes that are not UTF-8 \xff, and a backslash kept as it is; with keep_layout newline and
 * tab stay as they are. */
char *text_escape(const char *s, bool keep_layout);
/* True when text_escape(s, keep_layout) would change s (an unsafe code point or a byte that
 * is not UTF-8); false for text that can be written as it is. */
bool text_needs_escape(const char *s, bool keep_layout);
/* s made safe as text_escape does (newlines and tabs escaped too) and cut on a character
 * boundary to at most max_cols display columns, ending with … when cut; written into out
 * (n bytes, cut earlier when it is too small) and returned. For echoing a value in a
 * message. */
const char *text_clip(const char *s, int max_cols, char *out, size_t n);
/* Room text_clip needs for 40 columns. */
#define XF_CLIP_SIZE 256

/* Converts UTF-8 text to `encoding` with iconv ("GB18030", "UTF-8", "GBK"); GB18030 follows the
 * GB 18030-2022 mapping table (see gb18030.c), both ways. On a character the encoding cannot
 * hold, returns XF_EINVAL with *bad_offset (if given) at its byte offset in the
 * input. *out is NUL-terminated; *outlen excludes the NUL. */
int text_convert(const char *utf8, size_t len, const char *encoding, char **out, size_t *outlen,
                 size_t *bad_offset);
/* UTF-8 text in another charset for a terminal or a pipe: a character the charset cannot
 * hold (or a byte that is not UTF-8) becomes "?"; false when iconv does not know the charset. */
bool text_convert_lossy(const char *utf8, size_t len, const char *encoding, char **out, size_t *outlen);
/* Decodes bytes in `encoding` to UTF-8 (the reverse of text_convert). */
int text_decode(const char *in, size_t len, const char *encoding, char **out, size_t *outlen);
/* As text_decode, with *bad_offset (if given) at the first byte the encoding does not allow. */
int text_decode_checked(const char *in, size_t len, const char *encoding, char **out, size_t *outlen,
                        size_t *bad_offset);
/* GB 18030-2022 where glibc's iconv differs (gb18030.c): the bytes of cp (their count, 0 when
 * iconv's are right) and the code point of an n-byte sequence (0 when iconv reads it right). */
size_t text_gb18030_fix_encode(uint32_t cp, unsigned char out[4]);
uint32_t text_gb18030_fix_decode(const unsigned char *s, size_t n);
/* Length of the GB18030 sequence at s (1, 2 or 4) by its structure; 0 when it cannot be one. */
size_t text_gb18030_seq_len(const unsigned char *s, size_t n);

#endif

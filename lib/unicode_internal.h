/* Private: per-code-point classes used by the normaliser. */
#ifndef SACH_UNICODE_INTERNAL_H
#define SACH_UNICODE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sach/unicode.h"

enum {
	SACH__CLS_SPACE = 1 << 0,      /* Zs, and TAB: becomes ' ' */
	SACH__CLS_LINEBREAK = 1 << 1,  /* LF VT FF LS PS (CR is handled apart) */
	SACH__CLS_CONTROL = 1 << 2,    /* C0 other than TAB/LF/VT/FF/CR, DEL, C1 */
	SACH__CLS_INVISIBLE = 1 << 3,  /* ZWSP, BOM, LRM, RLM, WJ, bidi controls... */
	SACH__CLS_JOINER = 1 << 4,     /* ZWJ, ZWNJ: removed only between non-joining scripts */
	SACH__CLS_FULLWIDTH = 1 << 5,  /* U+FF01-FF5E, U+FFE0-FFE6 */
	SACH__CLS_NFC_CHECK = 1 << 6,  /* NFC_QC != Yes, or ccc != 0 */
	SACH__CLS_NFKC_CHECK = 1 << 7, /* NFKC_QC != Yes, or ccc != 0 */
	SACH__CLS_NFC_QC_NO = 1 << 8,  /* NFC_QC is No or Maybe */
	SACH__CLS_NFKC_QC_NO = 1 << 9  /* NFKC_QC is No or Maybe */
};

/* Table for U+0000-U+FFFF; built by sach_unicode_init(). */
extern uint16_t sach__ucls_bmp[0x10000];
extern uint8_t sach__ccc_bmp[0x10000];

uint16_t sach__ucls_supp(uint32_t cp);
uint8_t sach__ccc_supp(uint32_t cp);

static inline uint16_t sach__ucls(uint32_t cp)
{
	return cp < 0x10000 ? sach__ucls_bmp[cp] : sach__ucls_supp(cp);
}

static inline uint8_t sach__ccc(uint32_t cp)
{
	return cp < 0x10000 ? sach__ccc_bmp[cp] : sach__ccc_supp(cp);
}

/*
 * Decodes a well-formed 2-, 3- or 4-byte sequence at s (s[0] >= 0x80);
 * returns its length, or 0 when it is ill-formed or cut (the caller then
 * takes the slow path through sach_utf8_decode). Inline for the hot loop.
 */
static inline size_t sach__utf8_decode_fast(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char b = s[0];

	if (b >= 0xC2 && b <= 0xDF) {
		if (len < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t)(b & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (b >= 0xE0 && b <= 0xEF) {
		uint32_t c;

		if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		c = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		*cp = c;
		return 3;
	}
	if (b >= 0xF0 && b <= 0xF4) {
		uint32_t c;

		if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		c = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
		    ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		if (c < 0x10000 || c > 0x10FFFF)
			return 0;
		*cp = c;
		return 4;
	}
	return 0;
}

/* Fullwidth folding: the ASCII or Latin-1 character a fullwidth form stands for. */
uint32_t sach__fullwidth_fold(uint32_t cp);

#endif

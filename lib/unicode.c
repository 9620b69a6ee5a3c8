/*
 * unicode.c - UTF-8 decoding and repair, character classes, and ICU
 * normalisation. This is the only file that touches ICU types: ICU's
 * UChar/UErrorCode never reach a public header.
 *
 * Speed: the classes every normaliser pass needs (space, control,
 * invisible, quick-check) are read once from ICU into two 64 KiB tables for
 * the BMP, so the hot loop does one array load per code point instead of
 * several ICU property calls. Supplementary code points (emoji, rare CJK)
 * ask ICU directly.
 */
#include "unicode_internal.h"
#include "error_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

uint16_t sach__ucls_bmp[0x10000];
uint8_t sach__ccc_bmp[0x10000];

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_status;
static const UNormalizer2 *nfc_norm, *nfkc_norm;

/* Format characters that carry no text in training data. Not U+00AD (soft
 * hyphen): in TCVN3 mojibake it stands for a letter, and the legacy layer
 * decides. Not ZWJ/ZWNJ: they are SACH__CLS_JOINER. */
static const uint32_t invisible_list[] = {
	0x200B,                               /* ZERO WIDTH SPACE */
	0x200E, 0x200F,                       /* LRM, RLM */
	0x202A, 0x202B, 0x202C, 0x202D, 0x202E, /* bidi embeddings and overrides */
	0x2060, 0x2061, 0x2062, 0x2063, 0x2064, /* WORD JOINER, invisible operators */
	0x2066, 0x2067, 0x2068, 0x2069,       /* bidi isolates */
	0x180E,                               /* MONGOLIAN VOWEL SEPARATOR (no longer Zs) */
	0xFEFF,                               /* BOM / ZERO WIDTH NO-BREAK SPACE */
	0xFFF9, 0xFFFA, 0xFFFB,               /* interlinear annotation */
};

static int qc_not_yes_icu(UChar32 c, UProperty prop)
{
	return u_getIntPropertyValue(c, prop) != UNORM_YES;
}

static uint16_t classify(UChar32 c)
{
	uint16_t cls = 0;
	size_t i;
	int ccc = u_getCombiningClass(c);

	if (c == '\t' || u_charType(c) == U_SPACE_SEPARATOR)
		cls |= SACH__CLS_SPACE;
	/* Unicode's mandatory breaks (UAX #14 BK and NL): NEL is a line break,
	 * not just a C1 control, so it must not glue two words together. */
	if (c == '\n' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 || c == 0x2029)
		cls |= SACH__CLS_LINEBREAK;
	if ((c < 0x20 && c != '\t' && c != '\n' && c != 0x0B && c != 0x0C && c != '\r') ||
	    (c >= 0x7F && c <= 0x9F && c != 0x85))
		cls |= SACH__CLS_CONTROL;
	for (i = 0; i < sizeof(invisible_list) / sizeof(invisible_list[0]); i++)
		if ((uint32_t)c == invisible_list[i])
			cls |= SACH__CLS_INVISIBLE;
	if (c == 0x200C || c == 0x200D)
		cls |= SACH__CLS_JOINER;
	if ((c >= 0xFF01 && c <= 0xFF5E) || (c >= 0xFFE0 && c <= 0xFFE6))
		cls |= SACH__CLS_FULLWIDTH;
	if (ccc != 0 || qc_not_yes_icu(c, UCHAR_NFC_QUICK_CHECK))
		cls |= SACH__CLS_NFC_CHECK;
	if (ccc != 0 || qc_not_yes_icu(c, UCHAR_NFKC_QUICK_CHECK))
		cls |= SACH__CLS_NFKC_CHECK;
	if (qc_not_yes_icu(c, UCHAR_NFC_QUICK_CHECK))
		cls |= SACH__CLS_NFC_QC_NO;
	if (qc_not_yes_icu(c, UCHAR_NFKC_QUICK_CHECK))
		cls |= SACH__CLS_NFKC_QC_NO;
	return cls;
}

static void build_tables(void)
{
	UErrorCode err = U_ZERO_ERROR;
	UChar32 c;

	nfc_norm = unorm2_getNFCInstance(&err);
	if (U_FAILURE(err)) {
		init_status = sach__error_set(SACH_ERROR, "ICU NFC data: %s", u_errorName(err));
		return;
	}
	nfkc_norm = unorm2_getNFKCInstance(&err);
	if (U_FAILURE(err)) {
		init_status = sach__error_set(SACH_ERROR, "ICU NFKC data: %s", u_errorName(err));
		return;
	}
	for (c = 0; c < 0x10000; c++) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue; /* never produced by the decoder */
		sach__ucls_bmp[c] = classify(c);
		sach__ccc_bmp[c] = (uint8_t)u_getCombiningClass(c);
	}
}

int sach_unicode_init(void)
{
	pthread_once(&init_once, build_tables);
	if (init_status < 0)
		return sach__error_set(init_status, "Unicode tables unavailable (ICU data missing?)");
	return SACH_OK;
}

uint16_t sach__ucls_supp(uint32_t cp)
{
	return classify((UChar32)cp);
}

uint8_t sach__ccc_supp(uint32_t cp)
{
	return (uint8_t)u_getCombiningClass((UChar32)cp);
}

uint32_t sach__fullwidth_fold(uint32_t cp)
{
	/* FULLWIDTH CENT, POUND, NOT, MACRON, BROKEN BAR, YEN, WON */
	static const uint32_t signs[7] = { 0x00A2, 0x00A3, 0x00AC, 0x00AF, 0x00A6, 0x00A5, 0x20A9 };

	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return cp - 0xFF01 + 0x21;
	if (cp >= 0xFFE0 && cp <= 0xFFE6)
		return signs[cp - 0xFFE0];
	return cp;
}

size_t sach_utf8_decode(const char *str, size_t len, uint32_t *cp, bool *valid)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char b = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t c;

	if (b < 0x80) {
		*cp = b;
		*valid = true;
		return 1;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		need = 1;
		c = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		c = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0; /* no overlongs */
		else if (b == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		c = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		*cp = 0xFFFD;
		*valid = false;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		unsigned char t;

		if (i >= len)
			goto bad;
		t = s[i];
		if (t < lo || t > hi)
			goto bad;
		lo = 0x80;
		hi = 0xBF;
		c = (c << 6) | (t & 0x3F);
	}
	*cp = c;
	*valid = true;
	return need + 1;
bad:
	/* The lead byte and the continuation bytes that fit form one maximal subpart. */
	*cp = 0xFFFD;
	*valid = false;
	return i;
}

size_t sach_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t sach_utf8_check(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		bool valid;
		size_t n;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = sach_utf8_decode(s + i, len - i, &cp, &valid);
		if (!valid)
			return i;
		i += n;
	}
	return len;
}

int sach_utf8_repair(const char *s, size_t len, sach_buf *out, size_t *replaced)
{
	size_t i = 0, run = 0, count = 0;
	int rc;

	while (i < len) {
		uint32_t cp;
		bool valid;
		size_t n;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = sach_utf8_decode(s + i, len - i, &cp, &valid);
		if (!valid) {
			if ((rc = sach_buf_append(out, s + run, i - run)) < 0 ||
			    (rc = sach_buf_append(out, "\xEF\xBF\xBD", 3)) < 0) /* U+FFFD */
				return rc;
			count++;
			run = i + n;
		}
		i += n;
	}
	if (replaced)
		*replaced = count;
	return sach_buf_append(out, s + run, len - run);
}

bool sach_unicode_is_normalized_quick(const char *s, size_t len, sach_nf nf)
{
	uint16_t check = nf == SACH_NF_NFKC ? SACH__CLS_NFKC_CHECK : SACH__CLS_NFC_CHECK;
	uint16_t qc_no = nf == SACH_NF_NFKC ? SACH__CLS_NFKC_QC_NO : SACH__CLS_NFC_QC_NO;
	uint8_t last_ccc = 0;
	size_t i = 0;

	if (nf == SACH_NF_NONE)
		return true;
	if (sach_unicode_init() < 0)
		return false;
	while (i < len) {
		uint32_t cp;
		bool valid;
		uint8_t ccc;
		uint16_t cls;

		if ((unsigned char)s[i] < 0x80) {
			last_ccc = 0;
			i++;
			continue;
		}
		i += sach_utf8_decode(s + i, len - i, &cp, &valid);
		if (!valid)
			return false;
		cls = sach__ucls(cp);
		if (!(cls & check)) {
			last_ccc = 0;
			continue;
		}
		ccc = sach__ccc(cp);
		if ((cls & qc_no) || (ccc != 0 && last_ccc > ccc))
			return false;
		last_ccc = ccc;
	}
	return true;
}

int sach_unicode_normalize(const char *s, size_t len, sach_nf nf, sach_buf *out, bool *changed)
{
	UErrorCode err = U_ZERO_ERROR;
	UChar *u16 = NULL, *n16 = NULL;
	int32_t u16_len, n16_len, n8;
	const UNormalizer2 *norm;
	size_t start = out->len;
	int rc;

	if (changed)
		*changed = false;
	if ((rc = sach_unicode_init()) < 0)
		return rc;
	if (sach_unicode_is_normalized_quick(s, len, nf))
		return sach_buf_append(out, s, len);
	if (sach_utf8_check(s, len) != len)
		return sach__error_set(SACH_EINVAL, "normalize: input is not valid UTF-8");
	if (len > (size_t)INT32_MAX / 2)
		return sach__error_set(SACH_EINVAL, "normalize: text too long (%zu bytes)", len);
	norm = nf == SACH_NF_NFKC ? nfkc_norm : nfc_norm;

	/* UTF-8 -> UTF-16: at most one UTF-16 unit per byte. */
	u16 = malloc(((size_t)len + 1) * sizeof(UChar));
	if (!u16)
		return sach__error_nomem();
	u_strFromUTF8(u16, (int32_t)len + 1, &u16_len, s, (int32_t)len, &err);
	if (U_FAILURE(err)) {
		rc = sach__error_set(SACH_ERROR, "ICU UTF-8 conversion: %s", u_errorName(err));
		goto out;
	}
	/* Preflight the normalised length, then normalise for real. */
	n16_len = unorm2_normalize(norm, u16, u16_len, NULL, 0, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) {
		rc = sach__error_set(SACH_ERROR, "ICU normalisation: %s", u_errorName(err));
		goto out;
	}
	err = U_ZERO_ERROR;
	n16 = malloc(((size_t)n16_len + 1) * sizeof(UChar));
	if (!n16) {
		rc = sach__error_nomem();
		goto out;
	}
	unorm2_normalize(norm, u16, u16_len, n16, n16_len + 1, &err);
	if (U_FAILURE(err)) {
		rc = sach__error_set(SACH_ERROR, "ICU normalisation: %s", u_errorName(err));
		goto out;
	}
	/* UTF-16 -> UTF-8: at most 3 bytes per unit. */
	if ((rc = sach_buf_reserve(out, (size_t)n16_len * 3)) < 0)
		goto out;
	u_strToUTF8(out->ptr + out->len, (int32_t)(out->cap - out->len), &n8, n16, n16_len, &err);
	if (U_FAILURE(err)) {
		rc = sach__error_set(SACH_ERROR, "ICU UTF-16 conversion: %s", u_errorName(err));
		goto out;
	}
	out->len += (size_t)n8;
	out->ptr[out->len] = '\0';
	if (changed)
		*changed = (size_t)n8 != len || memcmp(out->ptr + start, s, len) != 0;
	rc = SACH_OK;
out:
	free(u16);
	free(n16);
	return rc;
}

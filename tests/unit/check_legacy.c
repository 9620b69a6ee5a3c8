/*
 * check_legacy.c - unit tests for the legacy module (lib/legacy.c).
 *
 * - every legacy encoding writes and reads back all 134 Vietnamese letters
 *   (TCVN3: the 60 uppercase toned letters come back lowercase, by design);
 * - CP1252 is the sloppy WHATWG variant: every byte survives, and UTF-8
 *   mojibake made with it is undone by encode(CP1252) + decode(UTF-8);
 * - the rows of shared/reference/ref_mojibake_vectors.tsv are reproduced
 *   (file found through $SACH_SHARED_REFERENCE; skipped visibly otherwise);
 * - decoding agrees with glibc iconv for TCVN5712-1, VISCII and CP1258
 *   (every byte, and base letter + combining tone byte), when available.
 *
 * Vietnamese characters are written as code point numbers; the comments
 * name them.
 */
#include "sach/legacy.h"
#include "sach/error.h"

#include <check.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 67 lowercase letters: a-breve, a-circumflex, d-stroke, e-circumflex,
 * o-circumflex, o-horn, u-horn, then the 12 vowels a a-breve a-circumflex
 * e e-circumflex i o o-circumflex o-horn u u-horn y, each with the tones
 * sac (acute), huyen (grave), hoi (hook), nga (tilde), nang (dot below). */
static const uint32_t lower67[67] = {
	0x0103, 0x00E2, 0x0111, 0x00EA, 0x00F4, 0x01A1, 0x01B0,
	0x00E1, 0x00E0, 0x1EA3, 0x00E3, 0x1EA1,   /* a */
	0x1EAF, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EB7,   /* a-breve */
	0x1EA5, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EAD,   /* a-circumflex */
	0x00E9, 0x00E8, 0x1EBB, 0x1EBD, 0x1EB9,   /* e */
	0x1EBF, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EC7,   /* e-circumflex */
	0x00ED, 0x00EC, 0x1EC9, 0x0129, 0x1ECB,   /* i */
	0x00F3, 0x00F2, 0x1ECF, 0x00F5, 0x1ECD,   /* o */
	0x1ED1, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED9,   /* o-circumflex */
	0x1EDB, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EE3,   /* o-horn */
	0x00FA, 0x00F9, 0x1EE7, 0x0169, 0x1EE5,   /* u */
	0x1EE9, 0x1EEB, 0x1EED, 0x1EEF, 0x1EF1,   /* u-horn */
	0x00FD, 0x1EF3, 0x1EF7, 0x1EF9, 0x1EF5,   /* y */
};

/* The capital of one of the letters above. */
static uint32_t upper_of(uint32_t c)
{
	if (c >= 0x1EA0)
		return c - 1;
	if (c < 0x100)
		return c - 0x20;
	switch (c) {
	case 0x0103: return 0x0102;
	case 0x0111: return 0x0110;
	case 0x0129: return 0x0128;
	case 0x0169: return 0x0168;
	case 0x01A1: return 0x01A0;
	case 0x01B0: return 0x01AF;
	default: return 0;
	}
}

static uint32_t letter(int k) /* 0..133: lowercase, then capitals */
{
	return k < 67 ? lower67[k] : upper_of(lower67[k - 67]);
}

static int is_toned(int k) /* the 60 toned letters of each case */
{
	return (k % 67) >= 7;
}

static size_t put_utf8(char *p, uint32_t cp)
{
	unsigned char *u = (unsigned char *)p;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	u[0] = (unsigned char)(0xF0 | (cp >> 18));
	u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	u[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static int buf_eq(const sach_buf *b, const char *s, size_t n)
{
	return b->len == n && (n == 0 || memcmp(b->ptr, s, n) == 0);
}

static void hexdump(char *dst, size_t cap, const char *s, size_t n)
{
	size_t k, o = 0;

	dst[0] = '\0';
	for (k = 0; k < n && o + 4 < cap; k++)
		o += (size_t)snprintf(dst + o, cap - o, "%02X ",
			(unsigned)(unsigned char)s[k]);
}

static const sach_encoding legacy_encs[] = {
	SACH_ENC_TCVN3, SACH_ENC_VNI, SACH_ENC_VISCII, SACH_ENC_VPS,
	SACH_ENC_VIQR, SACH_ENC_CP1258
};
#define N_LEGACY ((int)(sizeof(legacy_encs) / sizeof(legacy_encs[0])))

/* --------------------------------------------------------------- names */

START_TEST(test_names)
{
	sach_encoding e;
	int k;

	for (k = 0; k < SACH_ENC_COUNT; k++) {
		ck_assert_int_eq(sach_encoding_from_name(
			sach_encoding_name((sach_encoding)k), &e), SACH_OK);
		ck_assert_int_eq(e, k);
	}
	ck_assert_int_eq(sach_encoding_from_name("ABC", &e), SACH_OK);
	ck_assert_int_eq(e, SACH_ENC_TCVN3);
	ck_assert_int_eq(sach_encoding_from_name("Windows-1258", &e), SACH_OK);
	ck_assert_int_eq(e, SACH_ENC_CP1258);
	ck_assert_int_eq(sach_encoding_from_name("VNI-Win", &e), SACH_OK);
	ck_assert_int_eq(e, SACH_ENC_VNI);
	ck_assert_int_eq(sach_encoding_from_name("LATIN-1", &e), SACH_OK);
	ck_assert_int_eq(e, SACH_ENC_LATIN1);
	ck_assert_int_eq(sach_encoding_from_name("koi8-r", &e),
		SACH_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "koi8-r"));
	ck_assert_int_eq(sach_encoding_from_name(NULL, &e), SACH_EINVAL);
	ck_assert_str_eq(sach_encoding_name((sach_encoding)99), "unknown");
}
END_TEST

START_TEST(test_bad_args)
{
	sach_buf b = { 0 };

	ck_assert_int_eq(sach_legacy_decode((sach_encoding)42, "a", 1, &b,
		NULL), SACH_EINVAL);
	ck_assert_int_eq(sach_legacy_encode(SACH_ENC_VNI, NULL, 3, &b, NULL),
		SACH_EINVAL);
	ck_assert_int_eq(sach_legacy_decode(SACH_ENC_VNI, "a", 1, NULL, NULL),
		SACH_EINVAL);
	ck_assert_int_eq(sach_legacy_decode(SACH_ENC_VNI, NULL, 0, &b, NULL),
		SACH_OK);
	ck_assert_uint_eq(b.len, 0);
	sach_buf_free(&b);
}
END_TEST

/* ------------------------------------------------- letters round trip */

START_TEST(test_letters_roundtrip)
{
	sach_encoding e = legacy_encs[_i];
	sach_buf enc = { 0 }, dec = { 0 }, all = { 0 };
	char u[8], want[8], hex[64];
	size_t n, wn, unm;
	int k, ok = 0;

	for (k = 0; k < 134; k++) {
		uint32_t cp = letter(k), expect = cp;

		if (e == SACH_ENC_TCVN3 && k >= 67 && is_toned(k))
			expect = lower67[k - 67];   /* no capitals: by design */
		n = put_utf8(u, cp);
		wn = put_utf8(want, expect);
		sach_buf_clear(&enc);
		sach_buf_clear(&dec);
		ck_assert_int_eq(sach_legacy_encode(e, u, n, &enc, &unm), 0);
		ck_assert_msg(unm == 0, "%s: U+%04X unmapped",
			sach_encoding_name(e), (unsigned)cp);
		ck_assert_int_eq(sach_legacy_decode(e, enc.ptr, enc.len, &dec,
			&unm), 0);
		hexdump(hex, sizeof(hex), enc.ptr, enc.len);
		ck_assert_msg(unm == 0 && buf_eq(&dec, want, wn),
			"%s: U+%04X -> %s-> wrong", sach_encoding_name(e),
			(unsigned)cp, hex);
		ok++;
		/* all letters in one string, separated by spaces */
		ck_assert_int_eq(sach_buf_append(&all, u, n), 0);
		ck_assert_int_eq(sach_buf_append(&all, " ", 1), 0);
	}
	/* the same in context: the whole string at once */
	sach_buf_clear(&enc);
	sach_buf_clear(&dec);
	ck_assert_int_eq(sach_legacy_encode(e, all.ptr, all.len, &enc, &unm),
		0);
	ck_assert_uint_eq(unm, 0);
	ck_assert_int_eq(sach_legacy_decode(e, enc.ptr, enc.len, &dec, &unm),
		0);
	ck_assert_uint_eq(unm, 0);
	if (e != SACH_ENC_TCVN3)
		ck_assert(buf_eq(&dec, all.ptr, all.len));
	printf("legacy round trip %-7s %d/134 letters%s\n",
		sach_encoding_name(e), ok, e == SACH_ENC_TCVN3 ?
		" (60 toned capitals come back lowercase, by design)" : "");
	fflush(stdout);
	sach_buf_free(&enc);
	sach_buf_free(&dec);
	sach_buf_free(&all);
}
END_TEST

START_TEST(test_tcvn3_capitals)
{
	sach_buf enc = { 0 };
	char u[8];
	size_t n, unm;
	int k;

	for (k = 67; k < 134; k++) {
		sach_buf lo = { 0 };

		n = put_utf8(u, letter(k));
		ck_assert_int_eq(sach_legacy_encode(SACH_ENC_TCVN3, u, n, &enc,
			&unm), 0);
		n = put_utf8(u, lower67[k - 67]);
		ck_assert_int_eq(sach_legacy_encode(SACH_ENC_TCVN3, u, n, &lo,
			NULL), 0);
		ck_assert_uint_eq(enc.len, 1);
		if (is_toned(k))   /* same byte as the lowercase letter */
			ck_assert_int_eq(enc.ptr[0], lo.ptr[0]);
		else               /* the 7 untoned capitals have bytes */
			ck_assert_int_ne(enc.ptr[0], lo.ptr[0]);
		sach_buf_clear(&enc);
		sach_buf_free(&lo);
	}
	sach_buf_free(&enc);
}
END_TEST

/* Long text (crosses the internal chunk size) in every encoding. */
START_TEST(test_long_text)
{
	sach_encoding e = legacy_encs[_i];
	sach_buf text = { 0 }, enc = { 0 }, dec = { 0 };
	char u[8];
	size_t unm;
	int k, r;

	for (r = 0; r < 400; r++) {
		for (k = 0; k < 134; k++) {
			if (e == SACH_ENC_TCVN3 && k >= 67 && is_toned(k))
				continue;
			ck_assert_int_eq(sach_buf_append(&text, u,
				put_utf8(u, letter(k))), 0);
			if ((k + r) % 3 == 0)
				ck_assert_int_eq(sach_buf_puts(&text,
					"ng. d? \\x "), 0);
		}
		ck_assert_int_eq(sach_buf_puts(&text, "\n"), 0);
	}
	ck_assert_int_eq(sach_legacy_encode(e, text.ptr, text.len, &enc, &unm),
		0);
	ck_assert_uint_eq(unm, 0);
	ck_assert_int_eq(sach_legacy_decode(e, enc.ptr, enc.len, &dec, &unm),
		0);
	ck_assert_uint_eq(unm, 0);
	ck_assert(buf_eq(&dec, text.ptr, text.len));
	sach_buf_free(&text);
	sach_buf_free(&enc);
	sach_buf_free(&dec);
}
END_TEST

/* ------------------------------------------------ CP1252 and Latin-1 */

START_TEST(test_single_byte_identity)
{
	sach_encoding e = _i ? SACH_ENC_LATIN1 : SACH_ENC_CP1252;
	sach_buf dec = { 0 }, enc = { 0 };
	char all[256];
	size_t unm;
	int b;

	for (b = 0; b < 256; b++)
		all[b] = (char)b;
	ck_assert_int_eq(sach_legacy_decode(e, all, 256, &dec, &unm), 0);
	ck_assert_uint_eq(unm, 0);
	ck_assert_int_eq(sach_legacy_encode(e, dec.ptr, dec.len, &enc, &unm),
		0);
	ck_assert_uint_eq(unm, 0);
	ck_assert(buf_eq(&enc, all, 256));
	if (e == SACH_ENC_CP1252) {
		/* the five WHATWG bytes and two defined ones */
		sach_buf_clear(&dec);
		ck_assert_int_eq(sach_legacy_decode(e, "\x81\x8D\x8F\x90\x9D"
			"\x80\x9C", 7, &dec, NULL), 0);
		ck_assert(buf_eq(&dec, "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90"
			"\xC2\x9D\xE2\x82\xAC\xC5\x93", 15));
	}
	sach_buf_free(&dec);
	sach_buf_free(&enc);
}
END_TEST

/* UTF-8 read as CP1252 (or Latin-1), then undone, for all letters. */
START_TEST(test_utf8_mojibake_roundtrip)
{
	sach_encoding seen = _i ? SACH_ENC_LATIN1 : SACH_ENC_CP1252;
	sach_buf text = { 0 }, moji = { 0 }, bytes = { 0 }, back = { 0 };
	char u[8];
	size_t unm;
	int k;

	for (k = 0; k < 134; k++)
		ck_assert_int_eq(sach_buf_append(&text, u,
			put_utf8(u, letter(k))), 0);
	ck_assert_int_eq(sach_buf_puts(&text, " Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t"
		" \xC4\x90\xE1\xBA\xA3ng"), 0); /* Tieng Viet, Dang */
	ck_assert_int_eq(sach_legacy_mojibake(SACH_ENC_UTF8, seen, text.ptr,
		text.len, &moji), 0);
	ck_assert(!buf_eq(&moji, text.ptr, text.len));
	ck_assert_int_eq(sach_legacy_encode(seen, moji.ptr, moji.len, &bytes,
		&unm), 0);
	ck_assert_uint_eq(unm, 0);
	ck_assert(buf_eq(&bytes, text.ptr, text.len));
	ck_assert_int_eq(sach_legacy_decode(SACH_ENC_UTF8, bytes.ptr, bytes.len,
		&back, &unm), 0);
	ck_assert_uint_eq(unm, 0);
	ck_assert(buf_eq(&back, text.ptr, text.len));
	sach_buf_free(&text);
	sach_buf_free(&moji);
	sach_buf_free(&bytes);
	sach_buf_free(&back);
}
END_TEST

/* ------------------------------------------------ encoding specifics */

static void check_dec(sach_encoding e, const char *in, size_t n,
	const char *want, size_t want_unmapped)
{
	sach_buf b = { 0 };
	size_t unm = 99;

	ck_assert_int_eq(sach_legacy_decode(e, in, n, &b, &unm), 0);
	ck_assert_msg(buf_eq(&b, want, strlen(want)),
		"%s decode of '%s': got '%s'", sach_encoding_name(e), in,
		b.ptr);
	ck_assert_uint_eq(unm, want_unmapped);
	sach_buf_free(&b);
}

static void check_enc(sach_encoding e, const char *in, const char *want,
	size_t want_unmapped)
{
	sach_buf b = { 0 };
	size_t unm = 99;

	ck_assert_int_eq(sach_legacy_encode(e, in, strlen(in), &b, &unm), 0);
	ck_assert_msg(buf_eq(&b, want, strlen(want)),
		"%s encode of '%s': got '%s'", sach_encoding_name(e), in,
		b.ptr);
	ck_assert_uint_eq(unm, want_unmapped);
	sach_buf_free(&b);
}

START_TEST(test_viqr)
{
	/* Vie^.t Nam -> Viet Nam with e-circumflex-dot (U+1EC7) */
	check_dec(SACH_ENC_VIQR, "Vie^.t Nam", 10, "Vi\xE1\xBB\x87t Nam", 0);
	/* ngu+o+`i -> nguoi with u-horn (U+01B0), o-horn-grave (U+1EDD) */
	check_dec(SACH_ENC_VIQR, "ngu+o+`i", 8, "ng\xC6\xB0\xE1\xBB\x9Di", 0);
	/* DDa^`y -> d-stroke capital (U+0110), a-circumflex-grave (U+1EA7) */
	check_dec(SACH_ENC_VIQR, "DDa^`y dda(.c", 13,
		"\xC4\x90\xE1\xBA\xA7y \xC4\x91\xE1\xBA\xB7" "c", 0);
	/* marks only after a vowel they fit; escapes */
	check_dec(SACH_ENC_VIQR, "x' i^ u( ba\\. C:\\dos \\\\", 22,
		"x' i^ u( ba. C:dos \\", 0);
	check_dec(SACH_ENC_VIQR, "\\z", 2, "\\z", 0);
	/* encoder: RFC 1456 order and escapes */
	check_enc(SACH_ENC_VIQR, "Vi\xE1\xBB\x87t Nam.", "Vie^.t Nam.", 0);
	check_enc(SACH_ENC_VIQR, "ba. Why? add C:\\x", "ba\\. Why\\? ad\\d "
		"C:\\\\x", 0);
	/* after an escaped mark nothing is taken, so the tone stays bare */
	check_enc(SACH_ENC_VIQR, "o+ e^' \xC3\xA2.", "o\\+ e\\^' a^\\.", 0);
	/* c-cedilla has no VIQR form: '?', escaped after a vowel */
	check_enc(SACH_ENC_VIQR, "a\xC3\xA7", "a\\?", 1);
}
END_TEST

START_TEST(test_vni)
{
	/* Tieng Viet: e + 0xE1 (circumflex + sac), e + 0xE4 (circ + nang) */
	check_dec(SACH_ENC_VNI, "Tie\xE1ng Vie\xE4t", 12,
		"Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t", 0);
	/* 0xF4 o-horn + 0xF8 huyen, 0xF1 d-stroke */
	check_dec(SACH_ENC_VNI, "ng\xF6\xF4\xF8i \xF1", 8,
		"ng\xC6\xB0\xE1\xBB\x9Di \xC4\x91", 0);
	/* a stray mark byte: its windows-1252 letter, counted */
	check_dec(SACH_ENC_VNI, "\xF9" "b\xE2", 3, "\xC3\xB9" "b\xC3\xA2", 2);
	/* capitals: A + 0xC1, O-horn 0xD4 + 0xD9 */
	check_enc(SACH_ENC_VNI, "\xE1\xBA\xA4 \xE1\xBB\x9A", "A\xC1 \xD4\xD9", 0);
	/* a Latin-1 letter whose byte is a VNI mark cannot be written */
	check_enc(SACH_ENC_VNI, "\xC3\xA4", "?", 1);
}
END_TEST

START_TEST(test_cp1258_and_nfd)
{
	/* a + 0xEC (combining acute) composes to a-acute */
	check_dec(SACH_ENC_CP1258, "a\xEC \xEA\xF2", 5,
		"\xC3\xA1 \xE1\xBB\x87", 0);
	/* 0x81 is undefined in windows-1258 */
	check_dec(SACH_ENC_CP1258, "\x81", 1, "\xEF\xBF\xBD", 1);
	/* e-circumflex-sac: e-circumflex byte + tone byte */
	check_enc(SACH_ENC_CP1258, "\xE1\xBA\xBF", "\xEA\xEC", 0);
	/* decomposed input is composed before encoding: a + U+0301 */
	check_enc(SACH_ENC_VISCII, "a\xCC\x81", "\xE1", 0);
	check_enc(SACH_ENC_TCVN3, "a\xCC\x81", "\xB8", 0);
	/* invalid UTF-8 and unmapped characters */
	check_enc(SACH_ENC_VISCII, "x\xFFy", "x?y", 1);
	check_enc(SACH_ENC_TCVN3, "\xE2\x82\xAC", "?", 1);
	check_dec(SACH_ENC_UTF8, "a\xC3\x28", 3, "a\xEF\xBF\xBD(", 1);
	/* control characters whose byte is a letter are not written */
	check_enc(SACH_ENC_TCVN3, "\x01", "?", 1);
	check_enc(SACH_ENC_VISCII, "\x02", "?", 1);
	check_enc(SACH_ENC_VPS, "\x02", "?", 1);
	check_enc(SACH_ENC_VPS, "\x07\n", "\x07\n", 0);
}
END_TEST

/* Random bytes: every decoder gives valid UTF-8; the byte-table encodings
 * without combining bytes give the bytes back. */
START_TEST(test_random_bytes)
{
	sach_buf in = { 0 }, d = { 0 }, v = { 0 }, e = { 0 };
	uint32_t x = 12345u;
	size_t unm;
	int k, enc;

	for (k = 0; k < 50000; k++) {
		char c;

		x = x * 1103515245u + 12345u;
		c = (char)(x >> 16);
		ck_assert_int_eq(sach_buf_append(&in, &c, 1), 0);
	}
	for (enc = 0; enc < SACH_ENC_COUNT; enc++) {
		sach_buf_clear(&d);
		sach_buf_clear(&v);
		sach_buf_clear(&e);
		ck_assert_int_eq(sach_legacy_decode((sach_encoding)enc, in.ptr,
			in.len, &d, NULL), 0);
		ck_assert_int_eq(sach_legacy_decode(SACH_ENC_UTF8, d.ptr, d.len,
			&v, &unm), 0);
		ck_assert_uint_eq(unm, 0);
		ck_assert(buf_eq(&v, d.ptr, d.len));
		ck_assert_int_eq(sach_legacy_encode((sach_encoding)enc, d.ptr,
			d.len, &e, NULL), 0);
		if (enc == SACH_ENC_VISCII || enc == SACH_ENC_VPS ||
		    enc == SACH_ENC_CP1252 || enc == SACH_ENC_LATIN1)
			ck_assert(buf_eq(&e, in.ptr, in.len));
	}
	sach_buf_free(&in);
	sach_buf_free(&d);
	sach_buf_free(&v);
	sach_buf_free(&e);
}
END_TEST

/* ----------------------------------------------------- vector file */

/* Python repr ('...' or "...") -> UTF-8; returns 0 on a parse error. */
static int parse_repr(const char *s, sach_buf *out)
{
	char q = *s, u[8];
	const char *p = s + 1;

	if (q != '\'' && q != '"')
		return 0;
	while (*p && *p != q) {
		uint32_t cp;

		if (*p != '\\') {
			if (sach_buf_append(out, p, 1) < 0)
				return 0;
			p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'x': case 'u': case 'U': {
			int nd = *p == 'x' ? 2 : *p == 'u' ? 4 : 8, k;

			cp = 0;
			for (k = 1; k <= nd; k++) {
				char c = p[k];
				int v = c >= '0' && c <= '9' ? c - '0' :
					c >= 'a' && c <= 'f' ? c - 'a' + 10 :
					c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
				if (v < 0)
					return 0;
				cp = cp * 16 + (uint32_t)v;
			}
			p += nd + 1;
			break;
		}
		case 'n': cp = '\n'; p++; break;
		case 't': cp = '\t'; p++; break;
		case 'r': cp = '\r'; p++; break;
		case '\\': case '\'': case '"': cp = (unsigned char)*p++; break;
		default: return 0;
		}
		if (sach_buf_append(out, u, put_utf8(u, cp)) < 0)
			return 0;
	}
	return *p == q;
}

/* What strict windows-1252 shows: the five WHATWG C1 controls -> U+FFFD. */
static void strictify(sach_buf *b)
{
	sach_buf t = { 0 };
	size_t k;

	for (k = 0; k < b->len; k++) {
		unsigned char c = (unsigned char)b->ptr[k];
		unsigned char d = k + 1 < b->len ? (unsigned char)b->ptr[k + 1] : 0;

		if (c == 0xC2 && (d == 0x81 || d == 0x8D || d == 0x8F ||
		    d == 0x90 || d == 0x9D)) {
			ck_assert_int_eq(sach_buf_append(&t, "\xEF\xBF\xBD", 3), 0);
			k++;
		} else {
			ck_assert_int_eq(sach_buf_append(&t, &b->ptr[k], 1), 0);
		}
	}
	sach_buf_clear(b);
	ck_assert_int_eq(sach_buf_append(b, t.ptr, t.len), 0);
	sach_buf_free(&t);
}

/* Holds one of U+0081 U+008D U+008F U+0090 U+009D (strict cp1252 loses
 * these bytes)? */
static int has_whatwg_c1(const sach_buf *b)
{
	size_t k;

	for (k = 0; k + 1 < b->len; k++) {
		unsigned char c = (unsigned char)b->ptr[k];
		unsigned char d = (unsigned char)b->ptr[k + 1];

		if (c == 0xC2 && (d == 0x81 || d == 0x8D || d == 0x8F ||
		    d == 0x90 || d == 0x9D))
			return 1;
	}
	return 0;
}

struct vec_stat {
	const char *name;
	int rows, made, repaired;
};

START_TEST(test_vectors)
{
	const char *dir = getenv("SACH_SHARED_REFERENCE");
	char path[4096], line[4096];
	struct vec_stat st[] = {
		{ "TCVN3", 0, 0, 0 }, { "VNI-WIN", 0, 0, 0 }, { "VPS", 0, 0, 0 },
		{ "VISCII", 0, 0, 0 }, { "CP1258", 0, 0, 0 },
		{ "UTF-8", 0, 0, 0 }, { "UTF-8x2", 0, 0, 0 },
	};
	const sach_encoding st_enc[] = { SACH_ENC_TCVN3, SACH_ENC_VNI,
		SACH_ENC_VPS, SACH_ENC_VISCII, SACH_ENC_CP1258, SACH_ENC_UTF8,
		SACH_ENC_UTF8 };
	int nst = (int)(sizeof(st) / sizeof(st[0])), k, na = 0, bad = 0;
	int nlossy = 0;
	FILE *f;

	if (!dir || !*dir) {
		printf("legacy vectors: SKIPPED (SACH_SHARED_REFERENCE unset)\n");
		fflush(stdout);
		return;
	}
	snprintf(path, sizeof(path), "%s/ref_mojibake_vectors.tsv", dir);
	f = fopen(path, "r");
	if (!f) {
		printf("legacy vectors: SKIPPED (%s: %s)\n", path,
			strerror(errno));
		fflush(stdout);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *src, *seen, *garbled, *correct, *nl;
		sach_buf g = { 0 }, m = { 0 }, t = { 0 }, r = { 0 };
		sach_encoding seen_e;
		int rounds, made, repaired, lossy;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if ((nl = strchr(line, '\n')))
			*nl = '\0';
		src = line;
		seen = strchr(src, '\t');
		ck_assert_ptr_nonnull(seen);
		*seen++ = '\0';
		garbled = strchr(seen, '\t');
		ck_assert_ptr_nonnull(garbled);
		*garbled++ = '\0';
		correct = strchr(garbled, '\t');
		ck_assert_ptr_nonnull(correct);
		*correct++ = '\0';
		for (k = 0; k < nst; k++)
			if (!strcmp(src, st[k].name))
				break;
		if (k == nst) {   /* NCR, NFD: not an encoding of this module */
			na++;
			continue;
		}
		if (!strcmp(seen, "cp1252"))
			seen_e = SACH_ENC_CP1252;
		else if (!strcmp(seen, "latin-1"))
			seen_e = SACH_ENC_LATIN1;
		else
			ck_abort_msg("unexpected misdecoded_as '%s'", seen);
		ck_assert_msg(parse_repr(garbled, &g), "bad repr: %s", garbled);
		st[k].rows++;

		/* 1. make the mojibake from the correct text */
		rounds = !strcmp(src, "UTF-8x2") ? 2 : 1;
		ck_assert_int_eq(sach_buf_puts(&t, correct), 0);
		lossy = 0;
		while (rounds--) {
			sach_buf_clear(&m);
			ck_assert_int_eq(sach_legacy_mojibake(st_enc[k], seen_e,
				t.ptr, t.len, &m), 0);
			if (st_enc[k] == SACH_ENC_UTF8 &&
			    seen_e == SACH_ENC_CP1252 && has_whatwg_c1(&m)) {
				strictify(&m);  /* the vectors used strict cp1252 */
				lossy = 1;
			}
			sach_buf_clear(&t);
			ck_assert_int_eq(sach_buf_append(&t, m.ptr, m.len), 0);
		}
		made = buf_eq(&m, g.ptr, g.len);
		if (made)
			st[k].made++;
		else
			printf("legacy vectors: %s/%s MISMATCH: got '%s' want "
				"'%s'\n", src, seen, m.ptr, g.ptr);

		/* 2. repair: garbled text -> bytes (seen_as) -> source. Rows
		 * where strict cp1252 lost a byte (U+FFFD) are repaired from
		 * the sloppy form, which is what a sloppy reader keeps. */
		sach_buf_clear(&t);
		if (lossy) {
			nlossy++;
			rounds = !strcmp(src, "UTF-8x2") ? 2 : 1;
			ck_assert_int_eq(sach_buf_puts(&t, correct), 0);
			while (rounds--) {
				sach_buf_clear(&m);
				ck_assert_int_eq(sach_legacy_mojibake(st_enc[k],
					seen_e, t.ptr, t.len, &m), 0);
				sach_buf_clear(&t);
				ck_assert_int_eq(sach_buf_append(&t, m.ptr,
					m.len), 0);
			}
		} else {
			ck_assert_int_eq(sach_buf_append(&t, g.ptr, g.len), 0);
		}
		rounds = !strcmp(src, "UTF-8x2") ? 2 : 1;
		while (rounds--) {
			sach_buf_clear(&r);
			ck_assert_int_eq(sach_legacy_encode(seen_e, t.ptr, t.len,
				&r, NULL), 0);
			sach_buf_clear(&t);
			ck_assert_int_eq(sach_legacy_decode(st_enc[k], r.ptr,
				r.len, &t, NULL), 0);
		}
		repaired = buf_eq(&t, correct, strlen(correct));
		if (repaired)
			st[k].repaired++;
		else
			printf("legacy vectors: %s/%s repair MISMATCH: got '%s' "
				"want '%s'\n", src, seen, t.ptr, correct);
		bad += !made + !repaired;
		sach_buf_free(&g);
		sach_buf_free(&m);
		sach_buf_free(&t);
		sach_buf_free(&r);
	}
	fclose(f);
	for (k = 0; k < nst; k++)
		printf("legacy vectors %-8s made %d/%d, repaired %d/%d\n",
			st[k].name, st[k].made, st[k].rows, st[k].repaired,
			st[k].rows);
	printf("legacy vectors: %d rows not for this module (NCR, NFD); %d "
		"strict-cp1252 rows (U+FFFD) compared with the five WHATWG C1 "
		"controls shown as U+FFFD and repaired from the sloppy form\n",
		na, nlossy);
	fflush(stdout);
	for (k = 0; k < nst; k++)
		ck_assert_int_gt(st[k].rows, 0);
	ck_assert_int_eq(bad, 0);
}
END_TEST

/* ------------------------------------------------ glibc iconv agreement */

/* iconv of `n` bytes to UTF-8; returns the length or -1 on error. */
static long iconv_utf8(iconv_t cd, const char *in, size_t n, char *out,
	size_t cap)
{
	char *ip = (char *)in, *op = out;
	size_t il = n, ol = cap;

	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
		return -1;
	if (iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
		return -1;
	return (long)(cap - ol);
}

static int is_tone_utf8(const sach_buf *b)
{
	/* U+0300 U+0301 U+0303 U+0309 U+0323 */
	return b->len == 2 && (unsigned char)b->ptr[0] == 0xCC &&
		((unsigned char)b->ptr[1] == 0x80 ||
		 (unsigned char)b->ptr[1] == 0x81 ||
		 (unsigned char)b->ptr[1] == 0x83 ||
		 (unsigned char)b->ptr[1] == 0x89 ||
		 (unsigned char)b->ptr[1] == 0xA3);
}

/* Pair bases: ASCII letters and the untoned Vietnamese letters. */
static int is_pair_base(const sach_buf *b)
{
	int k;

	if (b->len == 1)
		return (b->ptr[0] | 0x20) >= 'a' && (b->ptr[0] | 0x20) <= 'z';
	for (k = 0; k < 134; k++) {
		char u[8];
		size_t n;

		if (is_toned(k))
			continue;
		n = put_utf8(u, letter(k));
		if (buf_eq(b, u, n))
			return 1;
	}
	return 0;
}

START_TEST(test_iconv_agreement)
{
	static const struct {
		sach_encoding e;
		const char *charset, *charmap;
	} t[] = {
		{ SACH_ENC_TCVN3, "TCVN5712-1",
		  "/usr/share/i18n/charmaps/TCVN5712-1.gz" },
		{ SACH_ENC_VISCII, "VISCII", "/usr/share/i18n/charmaps/VISCII.gz" },
		{ SACH_ENC_CP1258, "CP1258", "/usr/share/i18n/charmaps/CP1258.gz" },
	};
	const char *name = sach_encoding_name(t[_i].e);
	unsigned char tones[8], bases[256];
	int ntones = 0, nbases = 0, b, x, pairs = 0;
	sach_buf d = { 0 };
	char want[64];
	size_t unm;
	FILE *f;
	iconv_t cd;

	f = fopen(t[_i].charmap, "rb");
	if (!f) {
		printf("legacy iconv %s: SKIPPED (no %s)\n", name,
			t[_i].charmap);
		fflush(stdout);
		return;
	}
	fclose(f);
	cd = iconv_open("UTF-8", t[_i].charset);
	if (cd == (iconv_t)-1) {
		printf("legacy iconv %s: SKIPPED (iconv_open %s: %s)\n", name,
			t[_i].charset, strerror(errno));
		fflush(stdout);
		return;
	}
	for (b = 0; b < 256; b++) {
		char in = (char)b;
		long n = iconv_utf8(cd, &in, 1, want, sizeof(want));

		sach_buf_clear(&d);
		ck_assert_int_eq(sach_legacy_decode(t[_i].e, &in, 1, &d, &unm),
			0);
		if (n < 0)
			ck_assert_msg(unm == 1, "%s byte %02X: iconv rejects, "
				"ours '%s'", name, b, d.ptr);
		else
			ck_assert_msg(unm == 0 && buf_eq(&d, want, (size_t)n),
				"%s byte %02X: iconv '%.*s', ours '%s'", name,
				b, (int)n, want, d.ptr);
		if (unm == 0 && is_tone_utf8(&d))
			tones[ntones++] = (unsigned char)b;
		else if (unm == 0 && is_pair_base(&d))
			bases[nbases++] = (unsigned char)b;
	}
	for (b = 0; b < nbases; b++) {
		for (x = 0; x < ntones; x++) {
			char in[2];
			long n;

			in[0] = (char)bases[b];
			in[1] = (char)tones[x];
			n = iconv_utf8(cd, in, 2, want, sizeof(want));
			sach_buf_clear(&d);
			ck_assert_int_eq(sach_legacy_decode(t[_i].e, in, 2, &d,
				&unm), 0);
			ck_assert_msg(n >= 0 && buf_eq(&d, want, (size_t)n),
				"%s pair %02X %02X: iconv '%.*s', ours '%s'",
				name, bases[b], tones[x], (int)(n < 0 ? 0 : n),
				want, d.ptr);
			pairs++;
		}
	}
	if (ntones)
		printf("legacy iconv %-7s 256/256 bytes agree, %d/%d base+tone "
			"pairs agree\n", name, pairs, pairs);
	else
		printf("legacy iconv %-7s 256/256 bytes agree (no combining "
			"bytes)\n", name);
	fflush(stdout);
	iconv_close(cd);
	sach_buf_free(&d);
}
END_TEST

Suite *sach_legacy_suite(void)
{
	Suite *s = suite_create("legacy");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_bad_args);
	tcase_add_loop_test(tc, test_letters_roundtrip, 0, N_LEGACY);
	tcase_add_test(tc, test_tcvn3_capitals);
	tcase_add_loop_test(tc, test_long_text, 0, N_LEGACY);
	tcase_add_loop_test(tc, test_single_byte_identity, 0, 2);
	tcase_add_loop_test(tc, test_utf8_mojibake_roundtrip, 0, 2);
	tcase_add_test(tc, test_viqr);
	tcase_add_test(tc, test_vni);
	tcase_add_test(tc, test_cp1258_and_nfd);
	tcase_add_test(tc, test_random_bytes);
	tcase_add_test(tc, test_vectors);
	tcase_add_loop_test(tc, test_iconv_agreement, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_legacy_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * sach/unicode.h - UTF-8 validation and repair, Unicode normalisation forms.
 *
 * Policy for invalid UTF-8: every maximal ill-formed subsequence (Unicode
 * 15, section 3.9, "U+FFFD substitution of maximal subparts") becomes one
 * U+FFFD, so repair is deterministic and the count of repairs is stable
 * across tools. Overlong forms, surrogates (ED A0..BF) and values above
 * U+10FFFF are ill-formed.
 *
 * Normalisation goes through ICU. A quick check on the UTF-8 bytes runs
 * first, so text that is already in the requested form is not converted to
 * UTF-16 at all.
 */
#ifndef SACH_UNICODE_H
#define SACH_UNICODE_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sach_nf {
	SACH_NF_NONE = 0,   /* leave the normalisation form alone */
	SACH_NF_NFC = 1,
	SACH_NF_NFKC = 2
} sach_nf;

/**
 * Builds the character tables (once per process; thread-safe). Every other
 * function calls it; call it yourself to pay the cost (a few ms) up front.
 * @return 0, or SACH_ERROR if ICU's normaliser data cannot be loaded.
 */
SACH_API int sach_unicode_init(void);

/**
 * Decodes one code point at s (len >= 1).
 * @return the number of bytes consumed (1-4). For an ill-formed sequence
 *         *cp is U+FFFD, *valid is false and the return value is the length
 *         of the maximal subpart (at least 1).
 */
SACH_API size_t sach_utf8_decode(const char *s, size_t len, uint32_t *cp, bool *valid);

/** Encodes cp (a scalar value) into out[0..3]; returns the length, 1-4. */
SACH_API size_t sach_utf8_encode(uint32_t cp, char out[4]);

/** Offset of the first ill-formed byte, or len when s is valid UTF-8. */
SACH_API size_t sach_utf8_check(const char *s, size_t len);

/**
 * Appends s to out with every maximal ill-formed subsequence replaced by
 * U+FFFD. *replaced (may be NULL) receives the number of replacements.
 * @return 0 or SACH_ENOMEM.
 */
SACH_API int sach_utf8_repair(const char *s, size_t len, sach_buf *out, size_t *replaced);

/**
 * True when valid UTF-8 text s is certainly in form nf already (quick check:
 * no code point whose quick-check value is No or Maybe, and combining
 * classes in canonical order). False means "normalise to be sure".
 */
SACH_API bool sach_unicode_is_normalized_quick(const char *s, size_t len, sach_nf nf);

/**
 * Appends the normalisation of valid UTF-8 text s to out. Text that passes
 * the quick check is copied without ICU.
 * @param changed  may be NULL; set when the output differs from s.
 * @return 0, SACH_ENOMEM, SACH_EINVAL (s is not valid UTF-8) or SACH_ERROR.
 */
SACH_API int sach_unicode_normalize(const char *s, size_t len, sach_nf nf, sach_buf *out,
				    bool *changed);

#ifdef __cplusplus
}
#endif

#endif /* SACH_UNICODE_H */

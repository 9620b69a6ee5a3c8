/*
 * sach/normalise.h - text normalisation (the Unicode layer).
 *
 * Order of work, in one pass over the text: UTF-8 repair; HTML character
 * references; CR and CRLF to LF; controls and invisible format characters
 * removed; every Unicode space to ' '; runs of spaces collapsed; lines
 * trimmed; blank-line runs capped; then NFC (or NFKC) through ICU on the
 * lines that fail the quick check. The pass repeats until nothing changes,
 * because one step can expose work for another ("&amp;lt;" decodes to
 * "&lt;"; a removed ZWSP can join "&" and "amp;"; NFC maps U+037E to ';'),
 * which makes the result idempotent: normalise(normalise(x)) ==
 * normalise(x). Text that needs nothing costs one scan.
 *
 * Not touched here: U+00AD SOFT HYPHEN (in TCVN3 mojibake it stands for a
 * letter; the legacy layer decides), tone-mark placement and legacy
 * encodings (the Vietnamese layer).
 */
#ifndef SACH_NORMALISE_H
#define SACH_NORMALISE_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "legacy.h"
#include "unicode.h"
#include "viet.h"
#include "repair.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sach_entities {
	SACH_ENTITIES_NONE = 0,     /* leave "&...;" alone */
	SACH_ENTITIES_NUMERIC = 1,  /* only &#NNN; and &#xHHH; */
	SACH_ENTITIES_ALL = 2       /* numeric and the HTML5 named references */
} sach_entities;

typedef struct sach_normalise_options {
	unsigned int version;
	sach_entities entities;     /* default ALL: see README, "Entities" */
	sach_nf form;               /* default NFC */
	bool fold_fullwidth;        /* U+FF01-FF5E and U+FFE0-FFE6 to ASCII/Latin-1 */
	bool remove_controls;       /* C0 (not TAB/LF/CR/VT/FF), DEL, C1 (not NEL) */
	bool remove_invisible;      /* ZWSP, BOM, LRM/RLM, WJ, bidi controls; ZWJ/ZWNJ
				       only between characters of non-joining scripts */
	bool map_spaces;            /* every Unicode space and TAB to ' ' */
	bool collapse_spaces;       /* runs of spaces to one */
	bool trim_lines;            /* no spaces at line starts and ends, no blank
				       lines at the start and end of the text */
	bool unify_newlines;        /* CRLF, CR, VT, FF, NEL, U+2028 to LF; U+2029
				       (paragraph separator) to a blank line */
	int max_blank_lines;        /* blank lines allowed in a row; -1 = no limit */
	bool single_line;           /* line breaks become spaces (one doc per line) */
	bool reject_invalid_utf8;   /* SACH_EUTF8 instead of repairing to U+FFFD */

	/* The Vietnamese layer. */
	sach_encoding input_encoding; /* decode the text from this legacy encoding
					 first; SACH_ENC_UTF8 = it is UTF-8 already */
	bool viet;                  /* pre-NFC mark repairs and tone placement */
	sach_tone_style tone_style; /* KEEP (default): only fix misplaced and
				       doubled marks; OLD or NEW: also move the
				       mark in open oa/oe/uy syllables */
	bool repair_auto;           /* detect and repair mojibake and legacy
				       encodings first (sach_repair_auto) */
} sach_normalise_options;

#define SACH_NORMALISE_OPTIONS_VERSION 1
#define SACH_NORMALISE_OPTIONS_INIT \
	{ SACH_NORMALISE_OPTIONS_VERSION, SACH_ENTITIES_ALL, SACH_NF_NFC, false, \
	  true, true, true, true, true, true, 1, false, false, \
	  SACH_ENC_UTF8, true, SACH_TONE_STYLE_KEEP, false }

/** What a normalisation changed; sach_normalise_text() adds to it. */
typedef struct sach_normalise_counts {
	uint64_t utf8_repaired;     /* ill-formed sequences replaced by U+FFFD */
	uint64_t entities;          /* character references decoded */
	uint64_t controls;          /* control characters removed (NUL included) */
	uint64_t invisible;         /* invisible format characters removed */
	uint64_t spaces_mapped;     /* non-ASCII spaces and TABs made ' ' */
	uint64_t spaces_collapsed;  /* spaces removed from runs */
	uint64_t spaces_trimmed;    /* spaces removed at line starts and ends */
	uint64_t newlines;          /* line breaks converted to LF */
	uint64_t blank_lines;       /* blank lines removed (runs over the cap, ends) */
	uint64_t lines_joined;      /* line breaks made spaces (single_line) */
	uint64_t fullwidth;         /* fullwidth forms folded */
	uint64_t nf_lines;          /* lines that NFC/NFKC changed */
	/* Vietnamese layer: changes */
	uint64_t legacy_unmapped;   /* input-encoding bytes with no mapping */
	uint64_t mojibake_lines;    /* lines repaired by repair_auto */
	uint64_t mark_repairs;      /* combining-mark order, spacing tones, lookalikes */
	uint64_t tones_fixed;       /* misplaced or doubled tone marks moved */
	uint64_t tones_restyled;    /* marks moved to the chosen old/new style */
	/* Vietnamese layer: what the text is (as tone placement found it,
	 * before it moved any mark), not changes */
	uint64_t syllables;         /* letter tokens */
	uint64_t well_formed;       /* of them, well-formed Vietnamese syllables */
	uint64_t with_diacritics;   /* of them, with a non-ASCII letter */
	uint64_t old_style;         /* open oa/oe/uy with the mark on the first vowel */
	uint64_t new_style;         /* open oa/oe/uy with the mark on the second vowel */
	uint64_t ambiguous_tones;   /* tokens with two different marks (left alone) */
} sach_normalise_counts;

/** Number of fields of sach_normalise_counts, and their names, in order. */
#define SACH_NORMALISE_COUNT_FIELDS 23
SACH_API const char *const *sach_normalise_count_names(void);
/** The counts as an array in the order of sach_normalise_count_names(). */
SACH_API void sach_normalise_counts_array(const sach_normalise_counts *c,
					  uint64_t out[SACH_NORMALISE_COUNT_FIELDS]);

/** Adds every count of `from` to `to`. */
SACH_API void sach_normalise_counts_add(sach_normalise_counts *to,
					const sach_normalise_counts *from);

typedef struct sach_normaliser sach_normaliser;

/**
 * Creates a normaliser. The caller owns it and frees it with
 * sach_normaliser_free(). One normaliser per thread: it holds scratch buffers.
 * @return 0, SACH_EINVAL (bad options), SACH_ENOMEM or SACH_ERROR (ICU data).
 */
SACH_API int sach_normaliser_new(sach_normaliser **out, const sach_normalise_options *opts);

/**
 * What repair_auto found in the text of the last sach_normalise_text()
 * call (borrowed; rounds == 0 when it repaired nothing).
 */
SACH_API const sach_repair_result *sach_normaliser_last_repair(const sach_normaliser *n);

/** Frees a normaliser; accepts NULL. */
SACH_API void sach_normaliser_free(sach_normaliser *n);

/**
 * Normalises text.
 * @param out, out_len  receive the result, borrowed from the normaliser and
 *                      valid until its next call.
 * @param counts        may be NULL; otherwise the changes are added to it.
 *                      Without counts the Vietnamese layer skips its
 *                      per-syllable diagnostics and runs several times
 *                      faster; the text is the same either way.
 * @param changed       may be NULL; set when the result differs from text.
 * @return 0, SACH_EUTF8 (reject_invalid_utf8 and the text is ill-formed; the
 *         message gives the byte offset), SACH_ENOMEM or SACH_ERROR.
 */
SACH_API int sach_normalise_text(sach_normaliser *n, const char *text, size_t len,
				 const char **out, size_t *out_len,
				 sach_normalise_counts *counts, bool *changed);

#ifdef __cplusplus
}
#endif

#endif /* SACH_NORMALISE_H */

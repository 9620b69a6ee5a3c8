/*
 * sach/signals.h - per-document quality signals, computed in one pass over
 * the text, and per-line facts for line-level cleaning.
 *
 * The word unit is the syllable: a whitespace-separated token made only of
 * letters (and combining marks, and apostrophes between letters) once the
 * punctuation at both ends is stripped ("Nam," and "(Dan" count; "2019",
 * "a1" and "e-mail" do not). "Tokens" are all whitespace-separated tokens;
 * a "word" is a token with its edge punctuation stripped (what the word
 * lists match). Shares are in [0, 1]; a share whose denominator is 0 is 0.
 * Signals are computed once and used by filter (rules), stats and tag mode.
 * Everything here is deterministic: same text, same numbers, on any machine.
 */
#ifndef SACH_SIGNALS_H
#define SACH_SIGNALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Word lists (data files written here, lib/data/wordlists/, matched on whole
 * syllables with diacritics, case-folded, never on ASCII-folded substrings). */
typedef enum sach_wordlist {
	SACH_WORDLIST_ADULT,       /* profanity and adult content */
	SACH_WORDLIST_GAMBLING,    /* gambling and betting spam, brand patterns */
	SACH_WORDLIST_BOILERPLATE, /* news boilerplate lines (Xem them, ...) */
	SACH_WORDLIST_POLICY,      /* cookie, privacy and terms lines */
	SACH_WORDLIST_COUNT
} sach_wordlist;

/** Name of a word list as used in configs, meta blocks and reports
 * ("adult", "gambling", "boilerplate", "policy"). */
SACH_API const char *sach_wordlist_name(sach_wordlist list);

/** Line flags (sach_line_info.flags). */
enum {
	SACH_LINE_BLANK = 1u << 0,           /* only whitespace */
	SACH_LINE_TERMINAL_PUNCT = 1u << 1,  /* ends in . ! ? : ; " ' ) or an ellipsis,
					      * or a closing quote (U+2019 U+201D U+00BB) */
	SACH_LINE_BULLET = 1u << 2,          /* starts with a bullet character */
	SACH_LINE_ELLIPSIS = 1u << 3,        /* ends with "..." or U+2026 */
	SACH_LINE_BOILERPLATE = 1u << 4,     /* matches the boilerplate word list
					      * ('^' entries only at the first word) */
	SACH_LINE_POLICY = 1u << 5,          /* matches the cookie/policy word list */
	SACH_LINE_JAVASCRIPT = 1u << 6,      /* mentions javascript (C4) */
	SACH_LINE_LOREM = 1u << 7,           /* lorem ipsum (C4) */
	SACH_LINE_CURLY = 1u << 8,           /* contains '{' (C4: code) */
	SACH_LINE_DUPLICATE = 1u << 9,       /* same text as an earlier line of the document */
	SACH_LINE_FLAGGED = 1u << 10         /* holds an adult or gambling word-list match */
};

/** Facts about one line of the last document (see sach_signals_lines()). */
typedef struct sach_line_info {
	size_t start;        /* byte offset of the line in the text */
	size_t len;          /* bytes, without the line break */
	uint32_t chars;      /* code points */
	uint32_t tokens;     /* whitespace-separated tokens */
	uint32_t syllables;  /* letter-only tokens */
	float lang_score;    /* sach_langid score of the line in [0, 1] */
	uint32_t flags;      /* SACH_LINE_* */
} sach_line_info;

typedef struct sach_signals {
	/* Size. */
	uint64_t bytes;
	uint64_t chars;             /* code points */
	uint64_t tokens;            /* whitespace-separated tokens */
	uint64_t syllables;         /* letter-only tokens */
	uint64_t lines;             /* lines, blank ones included */
	uint64_t nonblank_lines;
	uint64_t paragraphs;        /* blocks separated by blank lines */
	double mean_syllable_chars; /* code points per syllable */

	/* Gopher quality (per syllable instead of per word). */
	double hash_per_syllable;       /* '#' characters / syllables */
	double ellipsis_per_syllable;   /* "..." and U+2026 / syllables */
	double bullet_line_share;       /* of nonblank lines */
	double ellipsis_line_share;     /* of nonblank lines */
	double alpha_token_share;       /* tokens with at least one letter / tokens */
	uint64_t stop_words;            /* Vietnamese stop-word (n-gram) matches */

	/* Gopher repetition. */
	double dup_line_share;          /* duplicate nonblank lines / nonblank lines */
	double dup_line_char_share;     /* chars in duplicate lines / chars */
	double dup_para_share;
	double dup_para_char_share;
	double top_ngram_char_share[3]; /* n = 2, 3, 4 syllables (case-folded): count
					 * x chars of the most frequent n-gram, if it
					 * occurs more than once / chars */
	double dup_ngram_char_share[6]; /* n = 5 .. 10: chars of n-grams repeating an
					 * earlier one, scanned left to right jumping
					 * past each repeat (datatrove's rule; first
					 * occurrences not counted) / chars */

	/* C4 and FineWeb. */
	double terminal_punct_line_share; /* of nonblank lines */
	double short_line_share;          /* nonblank lines of at most SACH_SIGNALS_SHORT_LINE
					   * chars (FineWeb: <= 30) */
	double newlines_per_syllable;
	double char_repetition;           /* character 10-grams occurring more than once
					   * (every occurrence) / all 10-grams; over 4,096
					   * chars estimated on a content-chosen quarter */

	/* Vietnamese. */
	double wellformed_share;   /* syllables that are well-formed Vietnamese / syllables */
	double no_diacritic_share; /* well-formed syllables with no diacritic / well-formed
				    * syllables (khong dau text is near 1) */
	double teencode_share;     /* teencode tokens / tokens */
	double mojibake_score;     /* [0, 1]: share of chars in mojibake patterns */
	uint64_t old_style;        /* oa/oe/uy syllables toned the old way (hoa) */
	uint64_t new_style;        /* ... the new way (hoa with tone on a) */
	double lang_score;         /* document language score, [0, 1] */
	double vi_line_char_share; /* chars in lines with lang_score >= 0.5 / chars in
				    * scored lines */

	/* Word lists, personal-data counts. */
	uint64_t flagged[SACH_WORDLIST_COUNT]; /* matches per list */
	double flagged_ratio;      /* words in adult + gambling matches / syllables
				    * (capped at 1; fb88 is a word, not a syllable) */
	uint64_t urls;
	uint64_t emails;
	uint64_t phones;           /* Vietnamese phone numbers */

	/* Groups (SACH_SIG_*) that were not computed; 0 after
	 * sach_signals_compute(). Their double fields hold NaN and their
	 * uint64_t fields UINT64_MAX, and sach_signals_value() gives NaN
	 * for them, so nothing can read a wrong 0. */
	uint64_t skipped;
} sach_signals;

/**
 * Groups of signals, for sach_signals_compute_mask(): a caller that needs
 * only some signals asks for their groups and does not pay for the others.
 * SACH_SIG_SIZE (bytes, chars, tokens, syllables, lines, nonblank_lines,
 * paragraphs, mean_syllable_chars) is always computed, and so are the
 * per-line facts except those named below.
 */
enum {
	SACH_SIG_SIZE = 1u << 0,
	SACH_SIG_GOPHER_QUALITY = 1u << 1,   /* hash_per_syllable, ellipsis_per_syllable,
					      * bullet_line_share, ellipsis_line_share,
					      * alpha_token_share, stop_words */
	SACH_SIG_REPETITION_LINES = 1u << 2, /* dup_line_share, dup_line_char_share,
					      * dup_para_share, dup_para_char_share, and
					      * the line flag SACH_LINE_DUPLICATE */
	SACH_SIG_TOP_NGRAMS = 1u << 3,       /* top_ngram_char_share */
	SACH_SIG_DUP_NGRAMS = 1u << 4,       /* dup_ngram_char_share */
	SACH_SIG_LINE_SHAPE = 1u << 5,       /* terminal_punct_line_share,
					      * short_line_share, newlines_per_syllable */
	SACH_SIG_CHAR_REPETITION = 1u << 6,  /* char_repetition */
	SACH_SIG_VIETNAMESE = 1u << 7,       /* wellformed_share, no_diacritic_share,
					      * teencode_share, mojibake_score,
					      * old_style, new_style */
	SACH_SIG_LANGID = 1u << 8,           /* lang_score, vi_line_char_share */
	SACH_SIG_WORDLISTS = 1u << 9,        /* flagged, flagged_ratio, and the line
					      * flags SACH_LINE_BOILERPLATE, _POLICY
					      * and _FLAGGED */
	SACH_SIG_PII = 1u << 10,             /* urls, emails, phones */
	SACH_SIG_ALL = (1u << 11) - 1u
};

#define SACH_SIGNALS_SHORT_LINE 30

typedef struct sach_signals_ctx sach_signals_ctx;

/**
 * Makes a reusable context holding the built-in word lists and scratch
 * buffers. One context per thread. Owned by the caller (sach_signals_free()).
 * @return 0 or SACH_ENOMEM.
 */
SACH_API int sach_signals_new(sach_signals_ctx **out);
SACH_API void sach_signals_free(sach_signals_ctx *ctx);

/**
 * Adds the entries of a word-list file (UTF-8, one entry of one or more
 * syllables per line, '#' comments) to list `list`. For users' own lists.
 * @return 0, SACH_EIO, SACH_ENOMEM or SACH_ECONFIG (with file:line).
 */
SACH_API int sach_signals_add_wordlist(sach_signals_ctx *ctx, sach_wordlist list,
				       const char *path);

/**
 * Computes every signal of `text` (UTF-8, NFC expected) into *out and keeps
 * per-line facts until the next call.
 * @return 0 or SACH_ENOMEM.
 */
SACH_API int sach_signals_compute(sach_signals_ctx *ctx, const char *text, size_t len,
				  sach_signals *out);

/**
 * Like sach_signals_compute(), but computes only the groups in `groups`
 * (SACH_SIG_*; SACH_SIG_SIZE is always added, bits outside SACH_SIG_ALL
 * are ignored). The others are marked in out->skipped and hold NaN
 * (doubles) or UINT64_MAX (counts). The signals that are computed have
 * exactly the values sach_signals_compute() gives them.
 * sach_signals_compute() is this with SACH_SIG_ALL.
 * @return 0 or SACH_ENOMEM.
 */
SACH_API int sach_signals_compute_mask(sach_signals_ctx *ctx, const char *text, size_t len,
				       uint64_t groups, sach_signals *out);

/** Per-line facts of the last sach_signals_compute(); borrowed. */
SACH_API const sach_line_info *sach_signals_lines(const sach_signals_ctx *ctx, size_t *count);

/**
 * Language score in [0, 1] that `text` is Vietnamese: syllable grammar,
 * diacritics, the diacritic-free skeleton set and frequent-word evidence; it
 * works with and without diacritics. Text with no letters scores 0.
 */
SACH_API double sach_langid_score(const char *text, size_t len);

/** Each signal by name, for configs, tag mode and reports. */
typedef struct sach_signal_desc {
	const char *name;      /* "syllables", "dup_line_share", "top_2gram_char_share", ... */
	const char *doc;       /* one line */
} sach_signal_desc;

/** The named signals (a static table) and their count. */
SACH_API const sach_signal_desc *sach_signals_describe(size_t *count);
/** The value of signal i of sach_signals_describe() for `s` (NaN when
 * its group is in s->skipped). */
SACH_API double sach_signals_value(const sach_signals *s, size_t i);
/** The group (one SACH_SIG_* bit) signal i of sach_signals_describe()
 * belongs to; 0 for an i out of range. */
SACH_API uint64_t sach_signals_group(size_t i);

#ifdef __cplusplus
}
#endif

#endif /* SACH_SIGNALS_H */

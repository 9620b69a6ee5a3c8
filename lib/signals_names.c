/*
 * signals_names.c - every signal by name (sach_signals_describe), as
 * configs, tag mode and reports spell them. The names are an interface:
 * renaming one breaks users' configs, so only add.
 */
#include "signals_internal.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* X(name, field, type, group, doc); type U = uint64_t, D = double; group
 * the SACH_SIG_* bit without its prefix. Arrays are spelled element by
 * element. */
#define SG_SIGNALS(X) \
	X("bytes", bytes, U, SIZE, "bytes of text") \
	X("chars", chars, U, SIZE, "code points") \
	X("tokens", tokens, U, SIZE, "whitespace-separated tokens") \
	X("syllables", syllables, U, SIZE, "letter-only tokens (edge punctuation stripped)") \
	X("lines", lines, U, SIZE, "lines, blank ones included") \
	X("nonblank_lines", nonblank_lines, U, SIZE, "lines with a token") \
	X("paragraphs", paragraphs, U, SIZE, "blocks of nonblank lines") \
	X("mean_syllable_chars", mean_syllable_chars, D, SIZE, "code points per syllable") \
	X("hash_per_syllable", hash_per_syllable, D, GOPHER_QUALITY, "'#' characters per syllable") \
	X("ellipsis_per_syllable", ellipsis_per_syllable, D, GOPHER_QUALITY, "ellipses per syllable") \
	X("bullet_line_share", bullet_line_share, D, GOPHER_QUALITY, "nonblank lines starting with a bullet") \
	X("ellipsis_line_share", ellipsis_line_share, D, GOPHER_QUALITY, "nonblank lines ending with an ellipsis") \
	X("alpha_token_share", alpha_token_share, D, GOPHER_QUALITY, "tokens with a letter / tokens") \
	X("stop_words", stop_words, U, GOPHER_QUALITY, "Vietnamese stop-word matches") \
	X("dup_line_share", dup_line_share, D, REPETITION_LINES, "nonblank lines repeating an earlier line") \
	X("dup_line_char_share", dup_line_char_share, D, REPETITION_LINES, "characters in repeated lines / characters") \
	X("dup_para_share", dup_para_share, D, REPETITION_LINES, "paragraphs repeating an earlier paragraph") \
	X("dup_para_char_share", dup_para_char_share, D, REPETITION_LINES, "characters in repeated paragraphs / characters") \
	X("top_2gram_char_share", top_ngram_char_share[0], D, TOP_NGRAMS, "characters of the most frequent syllable 2-gram") \
	X("top_3gram_char_share", top_ngram_char_share[1], D, TOP_NGRAMS, "characters of the most frequent syllable 3-gram") \
	X("top_4gram_char_share", top_ngram_char_share[2], D, TOP_NGRAMS, "characters of the most frequent syllable 4-gram") \
	X("dup_5gram_char_share", dup_ngram_char_share[0], D, DUP_NGRAMS, "characters in repeated syllable 5-grams") \
	X("dup_6gram_char_share", dup_ngram_char_share[1], D, DUP_NGRAMS, "characters in repeated syllable 6-grams") \
	X("dup_7gram_char_share", dup_ngram_char_share[2], D, DUP_NGRAMS, "characters in repeated syllable 7-grams") \
	X("dup_8gram_char_share", dup_ngram_char_share[3], D, DUP_NGRAMS, "characters in repeated syllable 8-grams") \
	X("dup_9gram_char_share", dup_ngram_char_share[4], D, DUP_NGRAMS, "characters in repeated syllable 9-grams") \
	X("dup_10gram_char_share", dup_ngram_char_share[5], D, DUP_NGRAMS, "characters in repeated syllable 10-grams") \
	X("terminal_punct_line_share", terminal_punct_line_share, D, LINE_SHAPE, "nonblank lines ending in terminal punctuation") \
	X("short_line_share", short_line_share, D, LINE_SHAPE, "nonblank lines of at most 30 characters") \
	X("newlines_per_syllable", newlines_per_syllable, D, LINE_SHAPE, "line breaks per syllable") \
	X("char_repetition", char_repetition, D, CHAR_REPETITION, "character 10-grams occurring more than once / all") \
	X("wellformed_share", wellformed_share, D, VIETNAMESE, "well-formed Vietnamese syllables / syllables") \
	X("no_diacritic_share", no_diacritic_share, D, VIETNAMESE, "well-formed syllables without diacritics / well-formed") \
	X("teencode_share", teencode_share, D, VIETNAMESE, "teencode tokens / tokens") \
	X("mojibake_score", mojibake_score, D, VIETNAMESE, "characters in mojibake patterns / characters") \
	X("old_style", old_style, U, VIETNAMESE, "oa/oe/uy syllables toned the old way") \
	X("new_style", new_style, U, VIETNAMESE, "oa/oe/uy syllables toned the new way") \
	X("lang_score", lang_score, D, LANGID, "language score: is the document Vietnamese") \
	X("vi_line_char_share", vi_line_char_share, D, LANGID, "characters in Vietnamese lines / in scored lines") \
	X("flagged_adult", flagged[SACH_WORDLIST_ADULT], U, WORDLISTS, "adult word-list matches") \
	X("flagged_gambling", flagged[SACH_WORDLIST_GAMBLING], U, WORDLISTS, "gambling word-list matches") \
	X("flagged_boilerplate", flagged[SACH_WORDLIST_BOILERPLATE], U, WORDLISTS, "boilerplate word-list matches") \
	X("flagged_policy", flagged[SACH_WORDLIST_POLICY], U, WORDLISTS, "cookie/policy word-list matches") \
	X("flagged_ratio", flagged_ratio, D, WORDLISTS, "words in adult and gambling matches / syllables") \
	X("urls", urls, U, PII, "URLs") \
	X("emails", emails, U, PII, "e-mail addresses") \
	X("phones", phones, U, PII, "Vietnamese phone numbers")

#define SG_DESC(name, field, type, group, doc) { name, doc },
static const sach_signal_desc sg_desc[] = { SG_SIGNALS(SG_DESC) };

enum { SG_U, SG_D };
static const struct {
	size_t offset;
	int type;
	uint64_t group;
} sg_where[] = {
#define SG_WHERE(name, field, type, group, doc) \
	{ offsetof(sach_signals, field), SG_##type, SACH_SIG_##group },
	SG_SIGNALS(SG_WHERE)
#undef SG_WHERE
};

const sach_signal_desc *sach_signals_describe(size_t *count)
{
	if (count)
		*count = sizeof(sg_desc) / sizeof(sg_desc[0]);
	return sg_desc;
}

double sach_signals_value(const sach_signals *s, size_t i)
{
	const char *base = (const char *)s;

	if (!s || i >= sizeof(sg_where) / sizeof(sg_where[0]))
		return 0.0;
	if (s->skipped & sg_where[i].group)
		return NAN;
	if (sg_where[i].type == SG_U)
		return (double)*(const uint64_t *)(const void *)(base + sg_where[i].offset);
	return *(const double *)(const void *)(base + sg_where[i].offset);
}

uint64_t sach_signals_group(size_t i)
{
	return i < sizeof(sg_where) / sizeof(sg_where[0]) ? sg_where[i].group : 0;
}

/* Sets every signal of the groups in `skipped` to its "not computed"
 * value: NaN, or UINT64_MAX for counts. */
void sach__signals_mark_skipped(sach_signals *s, uint64_t skipped)
{
	size_t i;

	s->skipped = skipped;
	for (i = 0; i < sizeof(sg_where) / sizeof(sg_where[0]); i++) {
		char *p = (char *)s + sg_where[i].offset;

		if (!(skipped & sg_where[i].group))
			continue;
		if (sg_where[i].type == SG_U) {
			uint64_t u = UINT64_MAX;

			memcpy(p, &u, sizeof(u));
		} else {
			double d = NAN;

			memcpy(p, &d, sizeof(d));
		}
	}
}

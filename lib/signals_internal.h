/*
 * Private: what the parts of the signals module share. Never installed.
 *
 *   signals.c        the context and the one pass over a document
 *   signals_ngram.c  repetition: duplicate lines and paragraphs, syllable
 *                    n-grams, character 10-grams
 *   signals_names.c  the table of signal names (sach_signals_describe)
 *   wordlist.c       words (tokens with the punctuation at both ends
 *                    stripped), word lists and the lexicon that matches them
 *   langid.c         language evidence of a word, the score, the skeleton
 *                    set of Vietnamese syllables
 */
#ifndef SACH_SIGNALS_INTERNAL_H
#define SACH_SIGNALS_INTERNAL_H

#include "sach/common.h"
#include "sach/signals.h"

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Words                                                               */

/* Length of the whitespace character at s (n > 0 bytes left), or 0. Those
 * of Python's str.split(): ASCII 0x09-0x0D and 0x1C-0x20, U+0085, U+00A0,
 * U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. */
static inline size_t sach__space_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c <= 0x20)
		return c == 0x20 || (c >= 0x09 && c <= 0x0D) || c >= 0x1C;
	if (c < 0xC2)
		return 0;
	if (c == 0xC2)
		return n >= 2 && (s[1] == 0x85 || s[1] == 0xA0) ? 2 : 0;
	if (c == 0xE1)
		return n >= 3 && s[1] == 0x9A && s[2] == 0x80 ? 3 : 0;
	if (c == 0xE2) {
		if (n < 3)
			return 0;
		if (s[1] == 0x80)
			return s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF ? 3 : 0;
		return s[1] == 0x81 && s[2] == 0x9F ? 3 : 0;
	}
	if (c == 0xE3)
		return n >= 3 && s[1] == 0x80 && s[2] == 0x80 ? 3 : 0;
	return 0;
}

/* sach__word.flags: facts about one whitespace-separated token. */
enum {
	SACH__W_LETTER = 1u << 0,      /* has a letter */
	SACH__W_SYLLABLE = 1u << 1,    /* stripped token is letters only */
	SACH__W_WELLFORMED = 1u << 2,  /* ... a well-formed Vietnamese syllable */
	SACH__W_DIACRITIC = 1u << 3,   /* ... with a letter outside ASCII */
	SACH__W_OLD = 1u << 4,         /* oa/oe/uy toned the old way */
	SACH__W_NEW = 1u << 5,         /* ... the new way */
	SACH__W_TEENCODE = 1u << 6,
	SACH__W_DIGIT = 1u << 7,       /* has an ASCII digit */
	SACH__W_LOREM = 1u << 8,       /* the word "lorem" */
	SACH__W_IPSUM = 1u << 9,       /* the word "ipsum" */
	SACH__W_JS = 1u << 10,         /* contains "javascript", any case */
	SACH__W_CURLY = 1u << 11,      /* contains '{' */
	SACH__W_URL = 1u << 12,
	SACH__W_EMAIL = 1u << 13,
	SACH__W_LANG = 1u << 14,       /* counts as language evidence */
	SACH__W_BULLET = 1u << 15,     /* starts with a bullet character */
	SACH__W_ELLIPSIS_END = 1u << 16, /* ends with "..." or U+2026 */
	SACH__W_TERMINAL = 1u << 17    /* ends with terminal punctuation */
};

/* One token, analysed once (signals.c keeps a cache of them). */
typedef struct sach__word {
	uint64_t key;        /* XXH3 of the folded word (sach__word_fold); 0 when
			      * the token is only punctuation */
	uint64_t pattern;    /* XXH3 of the folded word with each digit run
			      * written "%d"; 0 when it has no digit */
	uint32_t flags;      /* SACH__W_* */
	float lang;          /* language evidence when SACH__W_LANG */
	uint32_t chars;      /* code points of the whole token */
	uint32_t word_chars; /* code points of the stripped word */
	uint32_t hashes;     /* '#' characters */
	uint32_t ellipses;   /* "..." (non-overlapping) and U+2026 */
	uint32_t moji;       /* characters in mojibake patterns */
	uint8_t lx_full;     /* the word's own lexicon entry (sach__lex_entry
			      * full, anchored, prefix; 0 when it has none), */
	uint8_t lx_anchored; /* filled by signals.c, which caches them with */
	uint8_t lx_prefix;   /* the rest (sach__word_analyse leaves 0) */
} sach__word;

/*
 * Strips the punctuation at both ends of token `tok` and appends the folded
 * word to `out` (sach_viet_fold_key: lowercase, tone marks in the old
 * style, i/y folded), which is how word lists and text are compared.
 * *start and *end (may be NULL) get the stripped word's byte range in tok.
 * Returns 0 or SACH_ENOMEM.
 */
int sach__word_fold(const char *tok, size_t len, sach_buf *out, size_t *start,
		    size_t *end);

/* The key of word list entries and of words: XXH3 of the folded bytes,
 * never 0. */
uint64_t sach__word_key(const char *folded, size_t len);

/* The key of an n-gram from the key of its first n-1 words and the key of
 * its last word. */
uint64_t sach__ngram_key(uint64_t prev, uint64_t next);

struct sach__lexicon;

/* Analyses token `tok` into *out; `scratch` is reused. 0 or SACH_ENOMEM. */
int sach__word_analyse(const struct sach__lexicon *lx, const char *tok, size_t len,
		       sach_buf *scratch, sach__word *out);

/* ------------------------------------------------------------------ */
/* Lexicon: every word-list entry and its prefixes, by n-gram key       */

/* Bits of sach__lex_entry masks: SACH_WORDLIST_* (bits 0-3), then: */
enum {
	SACH__LX_STOP = 1u << SACH_WORDLIST_COUNT, /* stopwords-vi.txt */
	SACH__LX_TEEN = 1u << (SACH_WORDLIST_COUNT + 1),    /* teencode.txt */
	SACH__LX_FOREIGN = 1u << (SACH_WORDLIST_COUNT + 2), /* langid-foreign.txt */
	SACH__LX_VIFREQ = 1u << (SACH_WORDLIST_COUNT + 3)   /* diacritic-free
							     * stop-word syllable */
};
#define SACH__LX_MATCHED (((1u << SACH_WORDLIST_COUNT) - 1u) | SACH__LX_STOP)
#define SACH__LX_MAX_WORDS 8 /* longest entry, in words */

typedef struct sach__lex_entry {
	uint64_t key;
	uint8_t full;     /* lists holding this n-gram as a whole entry */
	uint8_t anchored; /* ... as an entry anchored at a line start ('^') */
	uint8_t prefix;   /* lists holding a longer entry that starts so */
	uint8_t pad[5];
} sach__lex_entry;

typedef struct sach__lexicon {
	sach__lex_entry *slots; /* open addressing, key 0 = empty */
	size_t cap;             /* a power of two */
	size_t count;
	int max_words;          /* longest entry */
} sach__lexicon;

/* The built-in lists (lib/data), built once per process; NULL after an
 * allocation failure (then the error is recorded). Borrowed. */
const sach__lexicon *sach__lex_builtin(void);

/* Copies `src` into `dst` (dst zeroed or freed before). 0 or SACH_ENOMEM. */
int sach__lex_copy(sach__lexicon *dst, const sach__lexicon *src);
void sach__lex_free(sach__lexicon *lx);

/*
 * Adds the entries of a word-list text (format of lib/data/wordlists/
 * adult.txt) to bit `bit`. `name` names the text in error messages.
 * Returns 0, SACH_ENOMEM or SACH_ECONFIG ("name:line: why").
 */
int sach__lex_add_text(sach__lexicon *lx, unsigned bit, const char *text, size_t len,
		       const char *name);

static inline const sach__lex_entry *sach__lex_find(const sach__lexicon *lx, uint64_t key)
{
	size_t mask = lx->cap - 1;
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15ull >> 32) & mask;

	if (!lx->cap)
		return NULL;
	for (;;) {
		const sach__lex_entry *e = &lx->slots[i];

		if (e->key == key)
			return e;
		if (e->key == 0)
			return NULL;
		i = (i + 1) & mask;
	}
}

/* ------------------------------------------------------------------ */
/* Language evidence (langid.c)                                        */

/* What the language evidence of one word is made of. */
typedef struct sach__lang_facts {
	unsigned letters;     /* letters in the stripped word */
	unsigned syllable : 1;    /* letters only */
	unsigned nonlatin : 1;    /* has a letter of another script */
	unsigned nonascii : 1;    /* has a Latin letter outside ASCII */
	unsigned vi_letter : 1;   /* has a letter only Vietnamese uses (a-breve,
				   * d-stroke, o-horn, u-horn, U+1EA0-U+1EF9 ...) */
	unsigned wellformed : 1;  /* well-formed Vietnamese syllable */
	unsigned digit : 1;
	unsigned acronym : 1;     /* two or more ASCII capitals only */
	unsigned capital : 1;     /* starts with a capital letter */
	unsigned ascii : 1;       /* ASCII letters only */
	unsigned skeleton : 1;    /* ASCII, the skeleton of a Vietnamese syllable */
	unsigned vifreq : 1;      /* ASCII, a diacritic-free stop-word syllable */
	unsigned foreign : 1;     /* a frequent word of another language */
	unsigned teencode : 1;    /* a Vietnamese chat spelling (teencode.txt) */
} sach__lang_facts;

/* Evidence of one word for Vietnamese (> 0) or against (< 0); *counted is
 * set to 0 when the word says nothing either way (numbers, acronyms). */
float sach__lang_evidence(const sach__lang_facts *f, int *counted);

/* The score in [0, 1] from the evidence `sum` of `n` counted words. */
double sach__lang_score(double sum, uint64_t n);

/* 1 if `key` (sach__word_key of a folded ASCII word) is the folded
 * skeleton of a well-formed Vietnamese syllable. Builds the set on first
 * use (thread-safe); 0 when it could not be built. */
int sach__skeleton_known(uint64_t key);

/* ------------------------------------------------------------------ */
/* Repetition (signals_ngram.c)                                        */

/*
 * A counting hash table of 64-bit keys, reused across documents. A slot is
 * one 64-bit word: the key's high 32 bits (never 0) and a 32-bit count; the
 * key's low bits choose the slot. Small slots keep a document's tables in
 * cache; two keys are confused only when they agree on the slot run and on
 * 32 more bits, which no real document comes near.
 */
typedef struct sach__count_table {
	uint64_t *slots;
	size_t cap;     /* allocated slots, a power of two */
	size_t mask;    /* slots in use - 1 */
} sach__count_table;

/* Empties the table and sizes it for at least `items` keys. 0 or
 * SACH_ENOMEM. */
int sach__ct_reset(sach__count_table *t, size_t items);
void sach__ct_free(sach__count_table *t);

/* Adds one to `key`; returns the index of its slot (its count is then
 * sach__ct_count(t, index)). */
static inline size_t sach__ct_add(sach__count_table *t, uint64_t key)
{
	uint64_t tag = ((key >> 32) | 1u) << 32;
	size_t i = (size_t)key & t->mask;

	for (;;) {
		uint64_t s = t->slots[i];

		if (!s) {
			t->slots[i] = tag | 1u;
			return i;
		}
		if ((s & 0xFFFFFFFF00000000ull) == tag) {
			if ((uint32_t)s != UINT32_MAX)
				t->slots[i] = s + 1;
			return i;
		}
		i = (i + 1) & t->mask;
	}
}

/* Asks for `key`'s first slot ahead of sach__ct_add(): on large documents
 * the tables outgrow the cache, and overlapping the misses is the cure. */
static inline void sach__ct_prefetch(const sach__count_table *t, uint64_t key)
{
#if defined(__GNUC__)
	__builtin_prefetch(&t->slots[(size_t)key & t->mask], 1);
#else
	(void)t;
	(void)key;
#endif
}

static inline uint32_t sach__ct_count(const sach__count_table *t, size_t slot)
{
	return (uint32_t)t->slots[slot];
}

/* Per-syllable scratch arrays of the n-gram signals (owned by the
 * context, grown as needed). */
typedef struct sach__ngram_scratch {
	uint32_t *slot;   /* table slot of each listed position's n-gram */
	uint64_t *key;    /* key of each position's current n-gram */
	uint32_t *pos;    /* the positions still looked at */
	size_t cap;
} sach__ngram_scratch;

/* Syllable n-gram repetition over `n` syllables with keys `keys` and code
 * points `chars`; fills top_ngram_char_share and, if `dup`,
 * dup_ngram_char_share (divided by `total_chars`). 0 or SACH_ENOMEM. */
int sach__ngram_signals(sach__count_table *t, sach__ngram_scratch *sc, const uint64_t *keys,
			const uint32_t *chars, size_t n, uint64_t total_chars, int dup,
			sach_signals *out);

/* Character 10-gram repetition of `text` of `total_chars` code points (see
 * sach_signals.char_repetition). 0 or SACH_ENOMEM. */
int sach__char_repetition(sach__count_table *t, const char *text, size_t len,
			  uint64_t total_chars, double *out);

/* Sets the signals of the groups in `skipped` to their "not computed"
 * values (signals_names.c). */
void sach__signals_mark_skipped(sach_signals *s, uint64_t skipped);

/* Vietnamese phone numbers in one line (VIETNAMESE.md 5.1). */
uint64_t sach__count_phones(const char *s, size_t len);

#endif

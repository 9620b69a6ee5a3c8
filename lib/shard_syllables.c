/*
 * shard_syllables.c - the syllable count a manifest reports: tokens between
 * whitespace made only of letters and combining marks.
 *
 * The letter set is the viet module's (Latin with IPA and the Vietnamese
 * letters, Greek, Cyrillic, combining marks), decided here without ICU so
 * the count is the same with any ICU version and costs one pass over bytes.
 * Invalid UTF-8 is not a letter.
 */
#include "sach/shard.h"

#include <pthread.h>

#include "unicode_internal.h"

static bool is_ascii_letter(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static bool is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return is_ascii_letter((unsigned char)cp);
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp <= 0x2AF)
		return cp != 0xD7 && cp != 0xF7;
	if (cp <= 0x36F)
		return cp >= 0x300;
	if (cp <= 0x3FF)
		return cp >= 0x370 && cp != 0x375 && cp != 0x37E && cp != 0x384 && cp != 0x385 &&
		       cp != 0x387;
	if (cp <= 0x52F)
		return cp < 0x482 || cp > 0x489;
	return (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

static bool is_space(uint32_t cp)
{
	if (cp < 0x80)
		return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
	return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* ASCII byte classes: most of a Vietnamese text is ASCII letters and
 * spaces, which the loop below takes a run at a time. */
enum { C_OTHER = 0, C_LETTER = 1, C_SPACE = 2 };

static const unsigned char ascii_class[256] = {
	['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
	[' '] = C_SPACE,
	['A'] = C_LETTER, ['B'] = C_LETTER, ['C'] = C_LETTER, ['D'] = C_LETTER, ['E'] = C_LETTER,
	['F'] = C_LETTER, ['G'] = C_LETTER, ['H'] = C_LETTER, ['I'] = C_LETTER, ['J'] = C_LETTER,
	['K'] = C_LETTER, ['L'] = C_LETTER, ['M'] = C_LETTER, ['N'] = C_LETTER, ['O'] = C_LETTER,
	['P'] = C_LETTER, ['Q'] = C_LETTER, ['R'] = C_LETTER, ['S'] = C_LETTER, ['T'] = C_LETTER,
	['U'] = C_LETTER, ['V'] = C_LETTER, ['W'] = C_LETTER, ['X'] = C_LETTER, ['Y'] = C_LETTER,
	['Z'] = C_LETTER,
	['a'] = C_LETTER, ['b'] = C_LETTER, ['c'] = C_LETTER, ['d'] = C_LETTER, ['e'] = C_LETTER,
	['f'] = C_LETTER, ['g'] = C_LETTER, ['h'] = C_LETTER, ['i'] = C_LETTER, ['j'] = C_LETTER,
	['k'] = C_LETTER, ['l'] = C_LETTER, ['m'] = C_LETTER, ['n'] = C_LETTER, ['o'] = C_LETTER,
	['p'] = C_LETTER, ['q'] = C_LETTER, ['r'] = C_LETTER, ['s'] = C_LETTER, ['t'] = C_LETTER,
	['u'] = C_LETTER, ['v'] = C_LETTER, ['w'] = C_LETTER, ['x'] = C_LETTER, ['y'] = C_LETTER,
	['z'] = C_LETTER,
};

/* Class of the character at s[i]; *n receives its length. */
static int char_class(const unsigned char *s, size_t len, size_t i, size_t *n)
{
	uint32_t cp;
	size_t k = sach__utf8_decode_fast(s + i, len - i, &cp);

	if (k == 0) {
		bool valid;

		*n = sach_utf8_decode((const char *)s + i, len - i, &cp, &valid);
		return C_OTHER; /* ill-formed: neither letter nor space */
	}
	*n = k;
	if (is_space(cp))
		return C_SPACE;
	return is_letter(cp) ? C_LETTER : C_OTHER;
}

/*
 * Classes of U+0000-U+07FF, where almost every character of a Vietnamese
 * text lies (the ASCII letters, the precomposed Latin letters of U+00C0-
 * U+01BF, the combining marks). Built once from is_letter()/is_space(), so
 * the definition stays in one place.
 */
static unsigned char cls2[0x800];
static pthread_once_t cls2_once = PTHREAD_ONCE_INIT;

static void cls2_init(void)
{
	uint32_t cp;

	for (cp = 0; cp < 0x800; cp++)
		cls2[cp] = is_space(cp) ? C_SPACE : is_letter(cp) ? C_LETTER : C_OTHER;
}

static inline bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

uint64_t sach_shard_count_syllables(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	uint64_t count = 0;
	unsigned in_token = 0, letters = 1;
	size_t i = 0;

	pthread_once(&cls2_once, cls2_init);
	/* One character a step, with no branch on the class: a token of
	 * letters counts when whitespace (or the end) closes it. The common
	 * one- and two-byte characters and the Vietnamese block U+1E00-U+1EFF
	 * are decoded inline; the rest (and ill-formed bytes) the slow way. */
	while (i < len) {
		unsigned c = s[i], cls, space;
		size_t n;

		if (c < 0x80) {
			cls = ascii_class[c];
			n = 1;
		} else if (c >= 0xC2 && c <= 0xDF && i + 1 < len && is_cont(s[i + 1])) {
			cls = cls2[((c & 0x1F) << 6) | (s[i + 1] & 0x3F)];
			n = 2;
		} else if (c == 0xE1 && i + 2 < len && is_cont(s[i + 1]) && is_cont(s[i + 2])) {
			uint32_t cp = 0x1000 | ((uint32_t)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);

			cls = cp >= 0x1DC0 && cp <= 0x1EFF ? C_LETTER : cp == 0x1680 ? C_SPACE : C_OTHER;
			n = 3;
		} else {
			cls = (unsigned)char_class(s, len, i, &n);
		}
		space = cls == C_SPACE;
		count += space & in_token & letters;
		letters = space | (letters & (cls == C_LETTER));
		in_token = !space;
		i += n;
	}
	return count + (in_token & letters);
}

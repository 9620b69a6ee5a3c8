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

uint64_t sach_shard_count_syllables(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	uint64_t count = 0;
	size_t i = 0;

	while (i < len) {
		bool letters = true;
		size_t n;
		int cls;

		/* Skip whitespace. */
		for (;;) {
			if (i >= len)
				return count;
			if (s[i] < 0x80) {
				if (ascii_class[s[i]] != C_SPACE)
					break;
				i++;
			} else {
				if (char_class(s, len, i, &n) != C_SPACE)
					break;
				i += n;
			}
		}
		/* One token: up to the next whitespace. */
		while (i < len) {
			if (s[i] < 0x80) {
				cls = ascii_class[s[i]];
				n = 1;
			} else {
				cls = char_class(s, len, i, &n);
			}
			if (cls == C_SPACE)
				break;
			if (cls != C_LETTER)
				letters = false;
			i += n;
		}
		count += letters;
	}
	return count;
}

/*
 * entities.c - decoding of one HTML character reference ("&amp;", "&#7879;",
 * "&#x1EC7;").
 *
 * Policy for invalid input: anything that is not a complete, ';'-terminated
 * reference is rejected (return 0) so the caller keeps the '&' and the text
 * after it verbatim. The legacy semicolon-less forms that browsers accept
 * ("&copy", "&amp") are deliberately not decoded: in scraped text they are
 * far more often part of a URL query ("a.php?x=1&copy=2") than a real
 * reference. A numeric reference that is well formed but names an impossible
 * code point (zero, a surrogate, beyond U+10FFFF, however many digits) is not
 * rejected but replaced with U+FFFD, as the HTML5 tokenizer does, and
 * 0x80-0x9F are remapped through Windows-1252 because that is what such
 * references almost always meant. Other controls and noncharacters are
 * returned as they are; filtering them is the caller's decision.
 */
#include "entities.h"
#include "entities_table.h"

#include <string.h>

/*
 * More significant digits than this cannot be a valid code point (the
 * largest, 10FFFF, has 6 hex or 7 decimal digits), and 8 digits of either
 * base still fit in uint32_t, so accumulation stops here and never overflows.
 */
#define SACH__NUMREF_DIGITS_MAX 8

#define SACH__REPLACEMENT 0xFFFDu

/*
 * HTML5 "numeric character reference end state": code points 0x80-0x9F are
 * read as Windows-1252. The five bytes undefined there (0x81, 0x8D, 0x8F,
 * 0x90, 0x9D) map to themselves.
 */
static const uint16_t sach__cp1252[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/*
 * ASCII-only classification; <ctype.h> depends on the locale and on the
 * signedness of char, neither of which should change what is a reference.
 */
static int sach__is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

/* Returns the value of digit c in base 10 or 16, or -1 if it is not one. */
static int sach__digit_value(unsigned char c, int hex)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (hex && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (hex && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t sach__decode_numeric(const char *s, size_t len, uint32_t cps[2],
				   int *ncp)
{
	size_t i = 2;	/* past "&#" */
	int hex = 0;
	int base;
	int ndigits = 0;	/* all digits, leading zeros included */
	int nsig = 0;		/* digits from the first non-zero one on */
	uint32_t value = 0;
	int d;

	if (i < len && (s[i] == 'x' || s[i] == 'X')) {
		hex = 1;
		i++;
	}
	base = hex ? 16 : 10;

	/*
	 * Keep consuming digits after the limit so the returned length covers
	 * the whole reference; only the accumulation stops.
	 */
	while (i < len && (d = sach__digit_value((unsigned char)s[i], hex)) >= 0) {
		ndigits++;
		if (nsig > 0 || d != 0) {
			nsig++;
			if (nsig <= SACH__NUMREF_DIGITS_MAX)
				value = value * (uint32_t)base + (uint32_t)d;
		}
		i++;
	}
	if (ndigits == 0 || i >= len || s[i] != ';')
		return 0;
	i++;

	if (nsig > SACH__NUMREF_DIGITS_MAX || value == 0 || value > 0x10FFFF ||
	    (value >= 0xD800 && value <= 0xDFFF))
		value = SACH__REPLACEMENT;
	else if (value >= 0x80 && value <= 0x9F)
		value = sach__cp1252[value - 0x80];

	cps[0] = value;
	*ncp = 1;
	return i;
}

/*
 * Binary search in strcmp order. Table names contain no NUL, so comparing
 * the common prefix and then the lengths gives the same order as strcmp.
 */
static const struct sach__entity *sach__entity_find(const char *name,
						      size_t len)
{
	size_t lo = 0, hi = SACH__ENTITY_COUNT;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct sach__entity *e = &sach__entities[mid];
		size_t n = len < e->name_len ? len : e->name_len;
		int c = memcmp(name, e->name, n);

		if (c == 0)
			c = (len > e->name_len) - (len < e->name_len);
		if (c == 0)
			return e;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static size_t sach__decode_named(const char *s, size_t len, uint32_t cps[2],
				 int *ncp)
{
	const struct sach__entity *e;
	size_t i = 1;	/* past "&" */

	/*
	 * A name longer than the longest table entry cannot match, so the scan
	 * is bounded; this keeps a long run of letters after '&' cheap.
	 */
	while (i < len && i - 1 <= SACH__ENTITY_NAME_MAX &&
	       sach__is_alnum((unsigned char)s[i]))
		i++;
	if (i == 1 || i - 1 > SACH__ENTITY_NAME_MAX || i >= len || s[i] != ';')
		return 0;

	e = sach__entity_find(s + 1, i - 1);
	if (!e)
		return 0;
	cps[0] = e->cp[0];
	cps[1] = e->cp[1];
	*ncp = e->cp[1] ? 2 : 1;
	return i + 1;
}

size_t sach__entity_decode(const char *s, size_t len, int allow_named,
			   uint32_t cps[2], int *ncp)
{
	if (len < 2 || s[0] != '&')
		return 0;
	if (s[1] == '#')
		return sach__decode_numeric(s, len, cps, ncp);
	if (!allow_named)
		return 0;
	return sach__decode_named(s, len, cps, ncp);
}

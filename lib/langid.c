/*
 * langid.c - language identification without a model: is this text
 * Vietnamese?
 *
 * Each word (a token with its edge punctuation stripped) gives evidence
 * for or against Vietnamese, from four sources:
 *  - the syllable grammar (sach_viet_parse): Vietnamese words are single
 *    syllables, so a multi-syllable word such as "untuk" or "dengan" is not
 *    a Vietnamese word;
 *  - diacritics: a well-formed syllable with a letter only Vietnamese
 *    writes (a-breve, d-stroke, o-horn, u-horn, a vowel with a dot below or
 *    a hook above ...) is strong evidence; accented letters that French or
 *    Portuguese also write (a-grave in "la") are weaker; accented words
 *    that are not Vietnamese syllables ("tres" with e-grave) count against;
 *  - the skeleton set: every spelling a Vietnamese syllable can have once
 *    its diacritics are gone ("nguoi", "duoc"), so text written without
 *    diacritics is still recognised; the set is built here from the
 *    syllable grammar (sach_viet_parse), once per process;
 *  - frequent words: the diacritic-free spellings of the stop words
 *    (lib/data/stopwords-vi.txt) count for Vietnamese, the frequent words
 *    of the languages most often confused with it (lib/data/wordlists/
 *    langid-foreign.txt: English, French, Indonesian, Malay, Tagalog,
 *    Spanish, Portuguese, Italian, German, Dutch) count against, and a
 *    spelling on both lists ("de", "la", "di") counts for neither.
 * Vietnamese chat spellings (lib/data/wordlists/teencode.txt: ko, dc)
 * count for Vietnamese. Numbers, acronyms (two or more ASCII capitals) and
 * words with digits or inner punctuation say nothing either way.
 *
 * The score is a logistic function of the mean evidence per word, with one
 * extra neutral word in the denominator so that a single word cannot reach
 * the extremes on its own: see sach__lang_score(). The weights were set by
 * hand and checked on the labelled sets of scripts/eval-langid.sh (measured
 * precision and recall in the README).
 */
#include "signals_internal.h"

#include "sach/error.h"
#include "sach/viet.h"

#include <math.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Evidence weights, per word. Negative evidence is weaker than positive:
 * Vietnamese text quotes names and foreign titles, while other languages
 * practically never write a well-formed syllable with o-horn or a dot
 * below. Capitalised words that are not syllables are mostly names, which
 * every language writes, so they count little. */
#define LG_VI_LETTER 3.0f  /* well-formed, with a letter only Vietnamese uses */
#define LG_VI_ACCENT 1.0f  /* well-formed, accented like French or Portuguese */
#define LG_BAD_ACCENT -1.5f /* accented Latin word, not a syllable */
#define LG_OTHER_SCRIPT -2.0f
#define LG_VI_FREQ 1.5f    /* diacritic-free Vietnamese stop word */
#define LG_SHARED 0.25f    /* frequent in Vietnamese and in another language */
#define LG_FOREIGN -1.5f   /* frequent word of another language, no syllable */
#define LG_SKELETON 0.5f   /* some Vietnamese syllable without its marks */
#define LG_NOT_SYLLABLE -1.0f /* ASCII word that no syllable spells */
#define LG_NAME -0.3f      /* capitalised word that is not a syllable */
#define LG_TEENCODE 1.0f   /* Vietnamese chat spelling (ko, dc) */

/* Logistic slope and centre (on the mean evidence per word). */
#define LG_SLOPE 3.0
#define LG_CENTRE 0.25

float sach__lang_evidence(const sach__lang_facts *f, int *counted)
{
	*counted = 0;
	if (!f->letters || f->digit || f->acronym || !f->syllable)
		return f->nonlatin && f->letters ? (*counted = 1, LG_OTHER_SCRIPT) : 0.0f;
	*counted = 1;
	if (f->nonlatin)
		return LG_OTHER_SCRIPT;
	if (!f->ascii) {
		if (f->wellformed)
			return f->vi_letter ? LG_VI_LETTER : LG_VI_ACCENT;
		return f->capital ? LG_NAME : LG_BAD_ACCENT;
	}
	if (f->teencode && !f->foreign)
		return LG_TEENCODE;
	if (f->vifreq)
		return f->foreign ? LG_SHARED : LG_VI_FREQ;
	if (f->foreign)
		return f->skeleton ? 0.0f : LG_FOREIGN;
	if (f->skeleton)
		return LG_SKELETON;
	return f->capital ? LG_NAME : LG_NOT_SYLLABLE;
}

double sach__lang_score(double sum, uint64_t n)
{
	double m;

	if (!n)
		return 0.0;
	m = sum / ((double)n + 1.0);
	return 1.0 / (1.0 + exp(-LG_SLOPE * (m - LG_CENTRE)));
}

/* ------------------------------------------------------------------ */
/* The skeleton set                                                    */

/* ASCII onsets of VIETNAMESE.md 3.1 (d also stands for d-stroke). */
static const char *const lg_onsets[] = {
	"", "b", "c", "ch", "d", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n",
	"ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"
};

/* Vowel sequences (medial, nucleus and written off-glide) without their
 * marks: "uo" stands for u-o with circumflex and for u-horn o-horn. */
static const char *const lg_vowels[] = {
	"a", "ai", "ao", "au", "ay", "e", "eo", "eu", "i", "ia", "ie", "ieu", "iu",
	"o", "oa", "oai", "oay", "oe", "oeo", "oi", "oo", "u", "ua", "uay", "ue",
	"ui", "uo", "uoi", "uou", "uu", "uy", "uya", "uye", "uyu", "y", "ye", "yeu"
};

static const char *const lg_codas[] = {
	"", "c", "ch", "m", "n", "ng", "nh", "p", "t"
};

/* UTF-8 of each vowel with its possible quality marks, level tone and
 * acute tone: a, a-breve, a-circumflex; e, e-circumflex; i; o,
 * o-circumflex, o-horn; u, u-horn; y. */
static const struct {
	char base;
	const char *level[3];
	const char *acute[3];
} lg_marks[] = {
	{ 'a', { "a", "\xc4\x83", "\xc3\xa2" }, { "\xc3\xa1", "\xe1\xba\xaf", "\xe1\xba\xa5" } },
	{ 'e', { "e", "\xc3\xaa", NULL }, { "\xc3\xa9", "\xe1\xba\xbf", NULL } },
	{ 'i', { "i", NULL, NULL }, { "\xc3\xad", NULL, NULL } },
	{ 'o', { "o", "\xc3\xb4", "\xc6\xa1" }, { "\xc3\xb3", "\xe1\xbb\x91", "\xe1\xbb\x9b" } },
	{ 'u', { "u", "\xc6\xb0", NULL }, { "\xc3\xba", "\xe1\xbb\xa9", NULL } },
	{ 'y', { "y", NULL, NULL }, { "\xc3\xbd", NULL, NULL } },
};

#define LG_SET_CAP 16384 /* a power of two; the set holds about 2,500 */

static uint64_t lg_set[LG_SET_CAP];
static size_t lg_set_count;
static pthread_once_t lg_once = PTHREAD_ONCE_INIT;
static int lg_status;

static int lg_set_has(uint64_t key)
{
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15ull >> 32) & (LG_SET_CAP - 1);

	while (lg_set[i]) {
		if (lg_set[i] == key)
			return 1;
		i = (i + 1) & (LG_SET_CAP - 1);
	}
	return 0;
}

static void lg_set_add(uint64_t key)
{
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15ull >> 32) & (LG_SET_CAP - 1);

	while (lg_set[i]) {
		if (lg_set[i] == key)
			return;
		i = (i + 1) & (LG_SET_CAP - 1);
	}
	if (lg_set_count * 2 < LG_SET_CAP) {
		lg_set[i] = key;
		lg_set_count++;
	}
}

static int lg_mark_index(char c)
{
	size_t i;

	for (i = 0; i < sizeof(lg_marks) / sizeof(lg_marks[0]); i++)
		if (lg_marks[i].base == c)
			return (int)i;
	return -1;
}

/* Does some marking of the ASCII syllable onset+vowels+coda parse as a
 * well-formed Vietnamese syllable? Tries every quality mark on every vowel
 * and d or d-stroke, with the level tone, or the acute tone after a stop
 * coda (which takes no other); where the tone mark sits does not matter to
 * the parser. */
static int lg_markable(const char *onset, const char *vowels, const char *coda)
{
	size_t nv = strlen(vowels), k;
	int stop = coda[0] == 'c' || coda[0] == 'p' || coda[0] == 't';
	int choice[3] = { 0, 0, 0 }, idx[3];
	int dd;

	for (k = 0; k < nv; k++)
		idx[k] = lg_mark_index(vowels[k]);
	for (dd = 0; dd < (onset[0] == 'd' ? 2 : 1); dd++) {
		for (;;) {
			char buf[64];
			size_t n = 0;
			sach_syllable syl;

			if (dd) {
				memcpy(buf, "\xc4\x91", 2); /* d-stroke */
				n = 2;
			} else {
				n = strlen(onset);
				memcpy(buf, onset, n);
			}
			for (k = 0; k < nv; k++) {
				const char *v = (k == 0 && stop) ? lg_marks[idx[k]].acute[choice[k]]
							       : lg_marks[idx[k]].level[choice[k]];
				size_t m = strlen(v);

				memcpy(buf + n, v, m);
				n += m;
			}
			memcpy(buf + n, coda, strlen(coda));
			n += strlen(coda);
			if (sach_viet_parse(buf, n, &syl) == 1)
				return 1;
			/* next combination of marks */
			for (k = 0; k < nv; k++) {
				if (choice[k] + 1 < 3 && lg_marks[idx[k]].level[choice[k] + 1]) {
					choice[k]++;
					break;
				}
				choice[k] = 0;
			}
			if (k == nv)
				break;
		}
	}
	return 0;
}

static void lg_build(void)
{
	sach_buf tmp = {0};
	size_t o, v, c;

	for (o = 0; o < sizeof(lg_onsets) / sizeof(lg_onsets[0]); o++)
		for (v = 0; v < sizeof(lg_vowels) / sizeof(lg_vowels[0]); v++)
			for (c = 0; c < sizeof(lg_codas) / sizeof(lg_codas[0]); c++) {
				char ascii[16];
				int n;

				if (!lg_markable(lg_onsets[o], lg_vowels[v], lg_codas[c]))
					continue;
				n = snprintf(ascii, sizeof(ascii), "%s%s%s", lg_onsets[o],
					     lg_vowels[v], lg_codas[c]);
				sach_buf_clear(&tmp);
				if (sach_viet_fold_key(ascii, (size_t)n, &tmp) < 0) {
					lg_status = SACH_ENOMEM;
					sach_buf_free(&tmp);
					return;
				}
				lg_set_add(sach__word_key(tmp.ptr, tmp.len));
			}
	sach_buf_free(&tmp);
}

int sach__skeleton_known(uint64_t key)
{
	pthread_once(&lg_once, lg_build);
	return lg_status == 0 && lg_set_has(key);
}

/* Size of the skeleton set, for tests. */
size_t sach__skeleton_count(void);
size_t sach__skeleton_count(void)
{
	pthread_once(&lg_once, lg_build);
	return lg_set_count;
}

/* ------------------------------------------------------------------ */
/* The public score                                                    */

double sach_langid_score(const char *text, size_t len)
{
	const sach__lexicon *lx = sach__lex_builtin();
	const unsigned char *s = (const unsigned char *)text;
	sach_buf scratch = {0};
	double sum = 0.0;
	uint32_t n = 0;
	size_t i = 0;

	if (!text || !lx)
		return 0.0;
	while (i < len) {
		size_t sp = sach__space_len(s + i, len - i), start;
		sach__word w;

		if (sp) {
			i += sp;
			continue;
		}
		start = i;
		while (i < len && !sach__space_len(s + i, len - i))
			i++;
		if (sach__word_analyse(lx, text + start, i - start, &scratch, &w) < 0)
			break;
		if (w.flags & SACH__W_LANG) {
			sum += w.lang;
			n++;
		}
	}
	sach_buf_free(&scratch);
	return sach__lang_score(sum, n);
}

/*
 * check_signals.c - unit tests for the signals module (lib/signals*.c,
 * lib/wordlist.c).
 *
 * Exact values of the signals on small texts written for this test:
 * counts, duplicate lines and paragraphs, n-gram and character 10-gram
 * repetition, bullets, ellipses, terminal punctuation, URLs, e-mails,
 * Vietnamese phone formats (VIETNAMESE.md 5.1), word lists (whole words
 * with diacritics: "cac" never matches c-a-acute-c), anchored boilerplate,
 * brand patterns, teencode, mojibake, the no-diacritic share, tone styles
 * and per-line flags; users' word lists and their errors; determinism; the
 * names of sach_signals_describe(); empty, NUL-holding, invalid and huge
 * input without a crash.
 *
 * The source is ASCII: Vietnamese is written as UTF-8 \x escapes, with the
 * text in the comment written without its marks and the marks named.
 */
#include "sach/error.h"
#include "sach/signals.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sach_signals_ctx *ctx;

static void setup(void)
{
	ck_assert_int_eq(sach_signals_new(&ctx), 0);
}

static void teardown(void)
{
	sach_signals_free(ctx);
	ctx = NULL;
}

static void compute(const char *text, sach_signals *s)
{
	ck_assert_int_eq(sach_signals_compute(ctx, text, strlen(text), s), 0);
}

#define EQ(a, b) ck_assert_double_eq_tol((a), (b), 1e-12)

START_TEST(test_counts_and_duplicates)
{
	/* "Xin chao cac ban." twice (chao: a-grave; cac: a-acute; ban:
	 * a-dot), a blank line, "Het." (e-circumflex-acute). */
	const char *text = "Xin ch\xc3\xa0o c\xc3\xa1" "c b\xe1\xba\xa1n.\nXin ch\xc3\xa0o c\xc3\xa1" "c b\xe1\xba\xa1n.\n\nH\xe1\xba\xbft.\n";
	const sach_line_info *li;
	sach_signals s;
	size_t n;

	compute(text, &s);
	ck_assert_uint_eq(s.bytes, strlen(text));
	ck_assert_uint_eq(s.chars, 42);
	ck_assert_uint_eq(s.tokens, 9);
	ck_assert_uint_eq(s.syllables, 9);
	ck_assert_uint_eq(s.lines, 4);
	ck_assert_uint_eq(s.nonblank_lines, 3);
	ck_assert_uint_eq(s.paragraphs, 2);
	EQ(s.mean_syllable_chars, 29.0 / 9.0);
	EQ(s.alpha_token_share, 1.0);
	ck_assert_uint_eq(s.stop_words, 4); /* cac, ban on two lines */
	EQ(s.dup_line_share, 1.0 / 3.0);
	EQ(s.dup_line_char_share, 17.0 / 42.0);
	EQ(s.dup_para_share, 0.0);
	EQ(s.terminal_punct_line_share, 1.0);
	EQ(s.short_line_share, 1.0);
	EQ(s.newlines_per_syllable, 4.0 / 9.0);
	/* xin chao x2 (8 chars), xin chao cac x2 (12), xin chao cac ban x2 (16) */
	EQ(s.top_ngram_char_share[0], 16.0 / 42.0);
	EQ(s.top_ngram_char_share[1], 24.0 / 42.0);
	EQ(s.top_ngram_char_share[2], 32.0 / 42.0);
	EQ(s.dup_ngram_char_share[0], 0.0);
	/* 33 10-grams; the 9 inside the first line and its break repeat */
	EQ(s.char_repetition, 18.0 / 33.0);
	EQ(s.wellformed_share, 1.0);
	EQ(s.no_diacritic_share, 2.0 / 9.0);
	ck_assert_double_gt(s.lang_score, 0.9);
	EQ(s.vi_line_char_share, 1.0);

	li = sach_signals_lines(ctx, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(li[0].start, 0);
	ck_assert_uint_eq(li[0].len, 21);
	ck_assert_uint_eq(li[0].chars, 17);
	ck_assert_uint_eq(li[0].tokens, 4);
	ck_assert_uint_eq(li[0].syllables, 4);
	ck_assert_uint_eq(li[0].flags, SACH_LINE_TERMINAL_PUNCT);
	ck_assert_uint_eq(li[1].flags, SACH_LINE_TERMINAL_PUNCT | SACH_LINE_DUPLICATE);
	ck_assert_uint_eq(li[2].flags, SACH_LINE_BLANK);
	ck_assert_uint_eq(li[3].start, 45);
	ck_assert_uint_eq(li[3].len, 6);
}
END_TEST

START_TEST(test_paragraphs_crlf)
{
	const char *text = "A b.\r\n\r\nA b.\r\n";
	const sach_line_info *li;
	sach_signals s;
	size_t n;

	compute(text, &s);
	ck_assert_uint_eq(s.paragraphs, 2);
	EQ(s.dup_para_share, 0.5);
	EQ(s.dup_para_char_share, 4.0 / 14.0); /* CRs are characters too */
	li = sach_signals_lines(ctx, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(li[0].len, 4); /* without the CR */
	ck_assert_uint_eq(li[1].flags, SACH_LINE_BLANK);
}
END_TEST

START_TEST(test_ngrams)
{
	/* 13 one-letter syllables, 25 characters; "a b c d e" repeats */
	sach_signals s;

	compute("a b c d e f g h a b c d e", &s);
	ck_assert_uint_eq(s.syllables, 13);
	EQ(s.top_ngram_char_share[0], 6.0 / 25.0);
	EQ(s.top_ngram_char_share[1], 10.0 / 25.0);
	EQ(s.top_ngram_char_share[2], 14.0 / 25.0);
	EQ(s.dup_ngram_char_share[0], 9.0 / 25.0);
	EQ(s.dup_ngram_char_share[1], 0.0);
	EQ(s.dup_ngram_char_share[5], 0.0);

	/* datatrove's scan: after a repeat it jumps past it, so "x x x x x"
	 * five times counts 4 repeats of 9 characters in 49 */
	compute("x x x x x x x x x x x x x x x x x x x x x x x x x", &s);
	EQ(s.dup_ngram_char_share[0], 36.0 / 49.0);
	/* top 2-gram "x x": 24 times, 3 characters */
	EQ(s.top_ngram_char_share[0], 72.0 / 49.0 > 1.0 ? 1.0 : 72.0 / 49.0);
	/* n-grams are compared case-folded */
	compute("M\xe1\xbb\x99t hai ba b\xe1\xbb\x91n n\xc4\x83m. m\xe1\xbb\x99t hai ba b\xe1\xbb\x91n n\xc4\x83m", &s);
	ck_assert_double_gt(s.dup_ngram_char_share[0], 0.0);
}
END_TEST

START_TEST(test_line_shapes)
{
	/* bullets, an ellipsis "...", a horizontal ellipsis, no final mark:
	 * "- muc mot / * muc hai / dang cho... / het... / khong dau cham"
	 * (muc: u-dot; mot: o-circumflex-dot; cho: o-horn-grave; het:
	 * e-circumflex-acute; khong: o-circumflex; dau: a-circumflex-acute;
	 * cham: a-circumflex-acute) */
	const char *text = "- m\xe1\xbb\xa5" "c m\xe1\xbb\x99t\n\xe2\x80\xa2 m\xe1\xbb\xa5" "c hai\n\xc4\x91" "ang ch\xe1\xbb\x9d...\nh\xe1\xba\xbft\xe2\x80\xa6\nkh\xc3\xb4ng d\xe1\xba\xa5u ch\xe1\xba\xa5m\n";
	const sach_line_info *li;
	sach_signals s;
	size_t n;

	compute(text, &s);
	ck_assert_uint_eq(s.tokens, 12);
	ck_assert_uint_eq(s.syllables, 10);
	EQ(s.alpha_token_share, 10.0 / 12.0);
	EQ(s.bullet_line_share, 2.0 / 5.0);
	EQ(s.ellipsis_line_share, 2.0 / 5.0);
	EQ(s.terminal_punct_line_share, 2.0 / 5.0);
	EQ(s.ellipsis_per_syllable, 2.0 / 10.0);
	li = sach_signals_lines(ctx, &n);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(li[0].flags, SACH_LINE_BULLET);
	ck_assert_uint_eq(li[1].flags, SACH_LINE_BULLET);
	ck_assert_uint_eq(li[2].flags, SACH_LINE_TERMINAL_PUNCT | SACH_LINE_ELLIPSIS);
	ck_assert_uint_eq(li[3].flags, SACH_LINE_TERMINAL_PUNCT | SACH_LINE_ELLIPSIS);
	ck_assert_uint_eq(li[4].flags, 0);

	/* '#' per syllable; "......" is two ellipses */
	compute("#tag ## abc ...... def", &s);
	ck_assert_uint_eq(s.syllables, 3);
	EQ(s.hash_per_syllable, 1.0);
	EQ(s.ellipsis_per_syllable, 2.0 / 3.0);
}
END_TEST

START_TEST(test_c4_flags)
{
	const char *text = "Please enable JavaScript to view.\n"
			   "Lorem ipsum dolor sit amet.\n"
			   "function f() { return 1; }\n"
			   "lorem is not ipsum\n";
	const sach_line_info *li;
	sach_signals s;
	size_t n;

	compute(text, &s);
	li = sach_signals_lines(ctx, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert(li[0].flags & SACH_LINE_JAVASCRIPT);
	ck_assert(li[1].flags & SACH_LINE_LOREM);
	ck_assert(li[2].flags & SACH_LINE_CURLY);
	ck_assert(!(li[3].flags & SACH_LINE_LOREM));
	ck_assert(!(li[0].flags & (SACH_LINE_LOREM | SACH_LINE_CURLY)));
}
END_TEST

START_TEST(test_contacts)
{
	/* "Lien he" (Lien: e-circumflex; he: e-circumflex-dot) then phone
	 * numbers in the written forms of VIETNAMESE.md 5.1, and numbers
	 * that are not phones: a year, an amount, a decimal, a date, a
	 * range of years. */
	sach_signals s;

	compute("Li\xc3\xaan h\xe1\xbb\x87 0912 345 678, 0912.345.678 ho\xe1\xba\xb7" "c 0912-345-678; "
		"+84 912 345 678, (+84) 912345678, 84912345678; "
		"b\xc3\xa0n 028 3822 1234; t\xe1\xbb\x95ng \xc4\x91\xc3\xa0i 1900.1234 v\xc3\xa0 18001234; "
		"s\xe1\xbb\x91 c\xc5\xa9 01234567890.", &s);
	ck_assert_uint_eq(s.phones, 10);
	compute("n\xc4\x83m 2019, gi\xc3\xa1 1.234.567 \xc4\x91\xe1\xbb\x93ng, 0,5 kg, ng\xc3\xa0y 01.02.2019, 1900-1905, "
		"m\xc3\xa3 0912345678901, 1800 1900", &s);
	ck_assert_uint_eq(s.phones, 0);

	compute("G\xe1\xbb\xadi a.b@gmail.com ho\xe1\xba\xb7" "c x@y, @user; xem https://vnexpress.net/a-1.html "
		"v\xc3\xa0 www.abc.vn, kh\xc3\xb4ng ph\xe1\xba\xa3i abc.vn", &s);
	ck_assert_uint_eq(s.emails, 1);
	ck_assert_uint_eq(s.urls, 2);
}
END_TEST

START_TEST(test_wordlists_diacritics)
{
	/* "cac ban" without marks is not the stop words "cac ban" with them
	 * (a-acute; a-dot) */
	sach_signals s;

	compute("cac ban", &s);
	ck_assert_uint_eq(s.stop_words, 0);
	compute("c\xc3\xa1" "c b\xe1\xba\xa1n", &s);
	ck_assert_uint_eq(s.stop_words, 2);
	compute("C\xc3\x81" "C B\xe1\xba\xa0N", &s); /* case-folded */
	ck_assert_uint_eq(s.stop_words, 2);
	/* "cac" and "cac" with a-acute never match the adult word c-a-dot-
	 * breve-c; it does */
	compute("c\xc3\xa1" "c cac", &s);
	ck_assert_uint_eq(s.flagged[SACH_WORDLIST_ADULT], 0);
	compute("c\xe1\xba\xb7" "c", &s);
	ck_assert_uint_eq(s.flagged[SACH_WORDLIST_ADULT], 1);
	/* "lon" is not "lon" with o-circumflex-grave; "du lich" is not "du"
	 * with d-stroke */
	compute("l\xe1\xbb\x9bn lon du l\xe1\xbb\x8b" "ch v\xc3\xad d\xe1\xbb\xa5", &s);
	ck_assert_uint_eq(s.flagged[SACH_WORDLIST_ADULT], 0);
	EQ(s.flagged_ratio, 0.0);
}
END_TEST

START_TEST(test_wordlists_gambling)
{
	/* "Nha cai FB88 uy tin, ca cuoc 188BET" (nha: a-grave; cai: a-acute;
	 * tin: i-acute; ca: a-acute; cuoc: u-horn o-horn-dot): nha cai,
	 * fb88 (pattern fb%d), ca cuoc, 188bet (pattern %dbet) */
	const sach_line_info *li;
	sach_signals s;
	size_t n;

	compute("Nh\xc3\xa0 c\xc3\xa1i FB88 uy t\xc3\xadn, c\xc3\xa1 c\xc6\xb0\xe1\xbb\xa3" "c 188BET", &s);
	ck_assert_uint_eq(s.flagged[SACH_WORDLIST_GAMBLING], 4);
	ck_assert_uint_eq(s.syllables, 6);
	EQ(s.flagged_ratio, 1.0); /* 6 words matched, 6 syllables */
	li = sach_signals_lines(ctx, &n);
	ck_assert(li[0].flags & SACH_LINE_FLAGGED);
	/* "fb" alone and "88" alone are not brands */
	compute("fb 88 w 88", &s);
	ck_assert_uint_eq(s.flagged[SACH_WORDLIST_GAMBLING], 0);
}
END_TEST

START_TEST(test_wordlists_lines)
{
	/* "Xem them: ..." at a line start is boilerplate; inside a sentence
	 * ("Ban co the xem them tai day") it is not (them: e-circumflex;
	 * Ban: a-dot; co: o-acute; the: e-circumflex-hook; tai: a-dot; day:
	 * a-circumflex). "Trang nay su dung cookie" (su: u-horn-hook; dung:
	 * u-grave) is a policy line, "banh cookie" (a-acute) is not. */
	const char *text = "Xem th\xc3\xaam: Gi\xc3\xa1 v\xc3\xa0ng h\xc3\xb4m nay\n"
			   "B\xe1\xba\xa1n c\xc3\xb3 th\xe1\xbb\x83 xem th\xc3\xaam t\xe1\xba\xa1i \xc4\x91\xc3\xa2y.\n"
			   "Trang n\xc3\xa0y s\xe1\xbb\xad d\xe1\xbb\xa5ng cookie \xc4\x91\xe1\xbb\x83 c\xe1\xba\xa3i thi\xe1\xbb\x87n tr\xe1\xba\xa3i nghi\xe1\xbb\x87m.\n"
			   "C\xc3\xb4ng th\xe1\xbb\xa9" "c b\xc3\xa1nh cookie b\xc6\xa1.\n"
			   "B\xe1\xba\xa3n quy\xe1\xbb\x81n thu\xe1\xbb\x99" "c v\xe1\xbb\x81 B\xc3\xa1o ABC.\n"
			   "- Xem th\xc3\xaam\n";
	const sach_line_info *li;
	sach_signals s;
	size_t n;

	compute(text, &s);
	li = sach_signals_lines(ctx, &n);
	ck_assert_uint_eq(n, 6);
	ck_assert(li[0].flags & SACH_LINE_BOILERPLATE);
	ck_assert(!(li[1].flags & SACH_LINE_BOILERPLATE));
	ck_assert(li[2].flags & SACH_LINE_POLICY);
	ck_assert(!(li[3].flags & SACH_LINE_POLICY));
	ck_assert(li[4].flags & SACH_LINE_BOILERPLATE);
	ck_assert(li[5].flags & SACH_LINE_BOILERPLATE); /* the bullet is no word */
	ck_assert_uint_eq(s.flagged[SACH_WORDLIST_BOILERPLATE], 3);
	ck_assert_uint_eq(s.flagged[SACH_WORDLIST_POLICY], 1);
}
END_TEST

START_TEST(test_vietnamese_signals)
{
	sach_signals s;

	/* teencode: ko, dc, ko (biet: e-circumflex-acute) */
	compute("ko bi\xe1\xba\xbft dc ko", &s);
	EQ(s.teencode_share, 3.0 / 4.0);

	/* "Hom nay troi mua" without marks, then with them (Hom:
	 * o-circumflex; troi: o-horn-grave; mua: u-horn) */
	compute("Hom nay troi mua", &s);
	EQ(s.no_diacritic_share, 1.0);
	EQ(s.wellformed_share, 1.0);
	compute("H\xc3\xb4m nay tr\xe1\xbb\x9di m\xc6\xb0" "a", &s);
	EQ(s.no_diacritic_share, 0.25);

	/* mojibake: "Viet" with e-circumflex-dot read as windows-1252 shows
	 * a-acute, right guillemet, double dagger: 3 of 10 characters */
	compute("Vi\xc3\xa1\xc2\xbb\xe2\x80\xa1t Nam", &s);
	EQ(s.mojibake_score, 0.3);
	compute("Vi\xe1\xbb\x87t Nam", &s);
	EQ(s.mojibake_score, 0.0);
	compute("a\xef\xbf\xbd b", &s); /* U+FFFD */
	EQ(s.mojibake_score, 0.25);

	/* tone styles: hoa with the grave on o (old) and on a (new); "hoa
	 * binh" (binh: i-grave) is neither */
	compute("h\xc3\xb2" "a ho\xc3\xa0 hoa b\xc3\xacnh", &s);
	ck_assert_uint_eq(s.old_style, 1);
	ck_assert_uint_eq(s.new_style, 1);

	/* not well-formed: "ngi" (ngh before i), "dep" (a stop coda with
	 * the level tone) */
	compute("ngi dep", &s);
	EQ(s.wellformed_share, 0.0);
}
END_TEST

START_TEST(test_user_wordlist)
{
	char dir[] = "/tmp/sach-signals-XXXXXX", path[64];
	sach_signals s;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/list.txt", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	/* "xe dap" (dap: a-breve-dot), an anchored "mo dau" (mo: o-horn-
	 * hook; dau: a-circumflex-grave) and a pattern "xyz%d" */
	fputs("# my list\n\nxe \xc4\x91\xe1\xba\xa1p\n^m\xe1\xbb\x9f \xc4\x91\xe1\xba\xa7u\n  xyz%d  \n", f);
	fclose(f);
	ck_assert_int_eq(sach_signals_add_wordlist(ctx, SACH_WORDLIST_ADULT, path), 0);
	compute("Xe \xc4\x91\xe1\xba\xa1p xyz12 m\xe1\xbb\x9f \xc4\x91\xe1\xba\xa7u\nm\xe1\xbb\x9f \xc4\x91\xe1\xba\xa7u xe \xc4\x91\xe1\xba\xa1p\n", &s);
	ck_assert_uint_eq(s.flagged[SACH_WORDLIST_ADULT], 4);

	f = fopen(path, "w");
	fputs("ok\nfoo%d bar\n", f);
	fclose(f);
	ck_assert_int_eq(sach_signals_add_wordlist(ctx, SACH_WORDLIST_GAMBLING, path),
			 SACH_ECONFIG);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "list.txt:2:"));
	f = fopen(path, "w");
	fputs("--- ...\n", f);
	fclose(f);
	ck_assert_int_eq(sach_signals_add_wordlist(ctx, SACH_WORDLIST_POLICY, path),
			 SACH_ECONFIG);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "list.txt:1:"));
	unlink(path);
	rmdir(dir);
	ck_assert_int_eq(sach_signals_add_wordlist(ctx, SACH_WORDLIST_ADULT, path), SACH_EIO);
	ck_assert_int_eq(sach_signals_add_wordlist(ctx, SACH_WORDLIST_COUNT, path), SACH_EINVAL);
	ck_assert_str_eq(sach_wordlist_name(SACH_WORDLIST_GAMBLING), "gambling");
	ck_assert_str_eq(sach_wordlist_name(SACH_WORDLIST_COUNT), "?");
}
END_TEST

/*
 * A word with digits gets a digit pattern ("fb88" -> "fb%d"), built by
 * appending to the buffer that holds the folded word while reading it:
 * an append that reallocated used to free the bytes still being read
 * (tests/fuzz/corpus/signals/regress-pattern-uaf). Tokens "b1c2d3..." of
 * 40 to 62 bytes, each in a fresh context (fresh buffers), cross the
 * first buffer size whatever it is; the pattern must still match the
 * user entry "b%dc%dd%d..." (whose own pattern is built the same way).
 */
START_TEST(test_pattern_realloc)
{
	static const char letters[] = "bcdfghjklmnpqrstvwxz";
	char dir[] = "/tmp/sach-signals-XXXXXX", path[64], tok[80], entry[120];
	size_t pairs, i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/list.txt", dir);
	for (pairs = 20; pairs <= 31; pairs++) {
		sach_signals_ctx *c;
		sach_signals s;
		size_t t = 0, e = 0;
		FILE *f;

		for (i = 0; i < pairs; i++) {
			tok[t++] = letters[i % 20];
			tok[t++] = (char)('1' + i % 9);
			entry[e++] = letters[i % 20];
			entry[e++] = '%';
			entry[e++] = 'd';
		}
		tok[t] = '\0';
		entry[e] = '\0';
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fprintf(f, "%s\n", entry);
		fclose(f);
		ck_assert_int_eq(sach_signals_new(&c), 0);
		ck_assert_int_eq(sach_signals_add_wordlist(c, SACH_WORDLIST_GAMBLING, path), 0);
		ck_assert_int_eq(sach_signals_compute(c, tok, t, &s), 0);
		ck_assert_msg(s.flagged[SACH_WORDLIST_GAMBLING] == 1, "%s: %llu matches", tok,
			      (unsigned long long)s.flagged[SACH_WORDLIST_GAMBLING]);
		/* one digit changed: the same pattern */
		tok[1] = '0';
		ck_assert_int_eq(sach_signals_compute(c, tok, t, &s), 0);
		ck_assert_uint_eq(s.flagged[SACH_WORDLIST_GAMBLING], 1);
		/* a letter changed: not the entry */
		tok[0] = 'a';
		ck_assert_int_eq(sach_signals_compute(c, tok, t, &s), 0);
		ck_assert_uint_eq(s.flagged[SACH_WORDLIST_GAMBLING], 0);
		sach_signals_free(c);
	}
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_empty)
{
	sach_signals s;
	size_t n = 99, i, count;

	memset(&s, 0xAB, sizeof(s));
	ck_assert_int_eq(sach_signals_compute(ctx, "", 0, &s), 0);
	sach_signals_describe(&count);
	for (i = 0; i < count; i++)
		EQ(sach_signals_value(&s, i), 0.0);
	ck_assert_ptr_nonnull(sach_signals_lines(ctx, &n) ? (void *)1 : (void *)1);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(sach_signals_compute(ctx, NULL, 0, &s), 0);
	ck_assert_int_eq(sach_signals_compute(ctx, NULL, 3, &s), SACH_EINVAL);
	ck_assert_int_eq(sach_signals_compute(NULL, "a", 1, &s), SACH_EINVAL);
	compute("   \n \t \n", &s);
	ck_assert_uint_eq(s.lines, 2);
	ck_assert_uint_eq(s.nonblank_lines, 0);
	ck_assert_uint_eq(s.tokens, 0);
	EQ(s.lang_score, 0.0);
}
END_TEST

static void check_ranges(const sach_signals *s)
{
	const sach_signal_desc *d;
	size_t n, i;

	d = sach_signals_describe(&n);
	for (i = 0; i < n; i++) {
		double v = sach_signals_value(s, i);

		ck_assert_msg(v >= 0.0 && v == v, "%s = %g", d[i].name, v);
		if (strstr(d[i].name, "share") || strcmp(d[i].name, "lang_score") == 0 ||
		    strcmp(d[i].name, "mojibake_score") == 0 ||
		    strcmp(d[i].name, "char_repetition") == 0)
			ck_assert_msg(v <= 1.0, "%s = %g", d[i].name, v);
	}
}

START_TEST(test_odd_input)
{
	static const char nul[] = "abc\0def\n\0\0\nVi\xe1\xbb\x87t\0";
	static const char bad[] = "\xff\xfe \xc3 \xe1\xbb \xed\xa0\x80 \xf4\x90\x80\x80 ok\r\r\n";
	sach_signals s;
	size_t n, i;
	char *big;

	ck_assert_int_eq(sach_signals_compute(ctx, nul, sizeof(nul) - 1, &s), 0);
	ck_assert_uint_eq(s.lines, 3);
	ck_assert_uint_eq(s.bytes, sizeof(nul) - 1);
	check_ranges(&s);
	ck_assert_int_eq(sach_signals_compute(ctx, bad, sizeof(bad) - 1, &s), 0);
	check_ranges(&s);
	ck_assert_double_gt(s.mojibake_score, 0.0);

	/* one 4 MB line of one letter; 500,000 one-letter tokens; a 70,000
	 * byte token; 100,000 lines */
	n = 4u << 20;
	big = malloc(n + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', n);
	ck_assert_int_eq(sach_signals_compute(ctx, big, n, &s), 0);
	ck_assert_uint_eq(s.tokens, 1);
	ck_assert_uint_eq(s.chars, n);
	ck_assert_double_gt(s.char_repetition, 0.99);
	check_ranges(&s);
	for (i = 0; i < 1000000; i += 2) {
		big[i] = (char)('a' + (i / 2) % 7);
		big[i + 1] = ' ';
	}
	ck_assert_int_eq(sach_signals_compute(ctx, big, 1000000, &s), 0);
	ck_assert_uint_eq(s.tokens, 500000);
	check_ranges(&s);
	ck_assert_double_gt(s.dup_ngram_char_share[5], 0.9);
	memset(big, 'x', 70000);
	big[70000] = ' ';
	ck_assert_int_eq(sach_signals_compute(ctx, big, 70001, &s), 0);
	ck_assert_uint_eq(s.tokens, 1);
	for (i = 0; i < 200000; i += 2) {
		big[i] = 'b';
		big[i + 1] = '\n';
	}
	ck_assert_int_eq(sach_signals_compute(ctx, big, 200000, &s), 0);
	ck_assert_uint_eq(s.lines, 100000);
	EQ(s.dup_line_share, 99999.0 / 100000.0);
	check_ranges(&s);
	free(big);
}
END_TEST

START_TEST(test_deterministic)
{
	/* "Ha Noi la thu do cua Viet Nam." (Ha: a-grave; Noi: o-circumflex-
	 * dot; la: a-grave; thu: u-grave; do: d-stroke, o-circumflex; cua:
	 * u-hook; Viet: e-circumflex-dot) */
	const char *text = "H\xc3\xa0 N\xe1\xbb\x99i l\xc3\xa0 th\xe1\xbb\xa7 \xc4\x91\xc3\xb4 c\xe1\xbb\xa7" "a Vi\xe1\xbb\x87t Nam.\nH\xc3\xa0 N\xe1\xbb\x99i l\xc3\xa0 th\xe1\xbb\xa7 \xc4\x91\xc3\xb4 c\xe1\xbb\xa7" "a Vi\xe1\xbb\x87t Nam.\n"
			   "The capital is Hanoi... #1 0912345678 a@b.vn\n";
	sach_signals_ctx *other;
	sach_signals a, b;
	size_t n, i;

	compute(text, &a);
	ck_assert_int_eq(sach_signals_new(&other), 0);
	/* a different history of documents in the other context */
	ck_assert_int_eq(sach_signals_compute(other, "x y z\nw", 7, &b), 0);
	ck_assert_int_eq(sach_signals_compute(other, text, strlen(text), &b), 0);
	sach_signals_describe(&n);
	for (i = 0; i < n; i++)
		ck_assert_double_eq(sach_signals_value(&a, i), sach_signals_value(&b, i));
	compute(text, &b);
	for (i = 0; i < n; i++)
		ck_assert_double_eq(sach_signals_value(&a, i), sach_signals_value(&b, i));
	sach_signals_free(other);
}
END_TEST

START_TEST(test_describe)
{
	static const char *const required[] = {
		"bytes", "chars", "tokens", "syllables", "lines", "nonblank_lines", "paragraphs",
		"mean_syllable_chars", "hash_per_syllable", "ellipsis_per_syllable",
		"bullet_line_share", "ellipsis_line_share", "alpha_token_share", "stop_words",
		"dup_line_share", "dup_line_char_share", "dup_para_share", "dup_para_char_share",
		"top_2gram_char_share", "top_3gram_char_share", "top_4gram_char_share",
		"dup_5gram_char_share", "dup_6gram_char_share", "dup_7gram_char_share",
		"dup_8gram_char_share", "dup_9gram_char_share", "dup_10gram_char_share",
		"terminal_punct_line_share", "short_line_share", "newlines_per_syllable",
		"char_repetition", "wellformed_share", "no_diacritic_share", "teencode_share",
		"mojibake_score", "old_style", "new_style", "lang_score", "vi_line_char_share",
		"flagged_adult", "flagged_gambling", "flagged_boilerplate", "flagged_policy",
		"flagged_ratio", "urls", "emails", "phones"
	};
	const sach_signal_desc *d;
	sach_signals s;
	size_t n, i, j;

	d = sach_signals_describe(&n);
	ck_assert_uint_eq(n, sizeof(required) / sizeof(required[0]));
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(d[i].name, required[i]);
		ck_assert(d[i].doc && *d[i].doc);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(d[i].name, d[j].name);
	}
	memset(&s, 0, sizeof(s));
	s.dup_ngram_char_share[5] = 0.25;
	s.flagged[SACH_WORDLIST_POLICY] = 7;
	s.phones = 3;
	EQ(sach_signals_value(&s, 26), 0.25);
	EQ(sach_signals_value(&s, 42), 7.0);
	EQ(sach_signals_value(&s, n - 1), 3.0);
	EQ(sach_signals_value(&s, n), 0.0);
}
END_TEST

/* sach_signals_compute_mask(): the groups asked for have exactly the
 * values of sach_signals_compute(); the others are NaN through
 * sach_signals_value(), NaN or UINT64_MAX in the struct, and marked in
 * `skipped`. */
START_TEST(test_mask)
{
	const char *text = "H\xc3\xa0 N\xe1\xbb\x99i l\xc3\xa0 th\xe1\xbb\xa7 \xc4\x91\xc3\xb4 c\xe1\xbb\xa7" "a Vi\xe1\xbb\x87t Nam.\nH\xc3\xa0 N\xe1\xbb\x99i l\xc3\xa0 th\xe1\xbb\xa7 \xc4\x91\xc3\xb4 c\xe1\xbb\xa7" "a Vi\xe1\xbb\x87t Nam.\n"
			   "Xem th\xc3\xaam: nh\xc3\xa0 c\xc3\xa1i fb88 0912345678 a@b.vn http://x.vn\n\nH\xc3\xa0 N\xe1\xbb\x99i.\n";
	static const uint64_t masks[] = {
		0, SACH_SIG_GOPHER_QUALITY, SACH_SIG_REPETITION_LINES, SACH_SIG_TOP_NGRAMS,
		SACH_SIG_DUP_NGRAMS, SACH_SIG_LINE_SHAPE, SACH_SIG_CHAR_REPETITION,
		SACH_SIG_VIETNAMESE, SACH_SIG_LANGID, SACH_SIG_WORDLISTS, SACH_SIG_PII,
		SACH_SIG_ALL & ~SACH_SIG_CHAR_REPETITION, SACH_SIG_ALL, ~(uint64_t)0
	};
	const sach_signal_desc *d = sach_signals_describe(NULL);
	const sach_line_info *la, *lb;
	sach_signals all, part;
	size_t n, i, m, na, nb;

	(void)d;
	compute(text, &all);
	ck_assert_uint_eq(all.skipped, 0);
	la = sach_signals_lines(ctx, &na);
	sach_signals_describe(&n);
	for (i = 0; i < n; i++) {
		uint64_t g = sach_signals_group(i);

		ck_assert_msg(g && (g & (g - 1)) == 0 && (g & SACH_SIG_ALL), "signal %zu: group", i);
	}
	ck_assert_uint_eq(sach_signals_group(n), 0);
	for (m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
		uint64_t want = (masks[m] & SACH_SIG_ALL) | SACH_SIG_SIZE;

		ck_assert_int_eq(sach_signals_compute_mask(ctx, text, strlen(text), masks[m], &part), 0);
		ck_assert_uint_eq(part.skipped, SACH_SIG_ALL & ~want);
		for (i = 0; i < n; i++) {
			double v = sach_signals_value(&part, i);

			if (want & sach_signals_group(i))
				ck_assert_msg(v == sach_signals_value(&all, i), "mask %zu signal %s",
					      m, d[i].name);
			else
				ck_assert_msg(isnan(v), "mask %zu signal %s not NaN", m, d[i].name);
		}
		/* per-line facts other than the word-list and duplicate
		 * flags do not depend on the mask */
		lb = sach_signals_lines(ctx, &nb);
		ck_assert_uint_eq(na, nb);
		for (i = 0; i < nb; i++) {
			uint32_t keep = ~(uint32_t)(SACH_LINE_DUPLICATE | SACH_LINE_BOILERPLATE |
						    SACH_LINE_POLICY | SACH_LINE_FLAGGED);

			ck_assert_uint_eq(lb[i].chars, la[i].chars);
			ck_assert_uint_eq(lb[i].syllables, la[i].syllables);
			ck_assert_uint_eq(lb[i].tokens, la[i].tokens);
			ck_assert(lb[i].lang_score == la[i].lang_score);
			ck_assert_uint_eq(lb[i].flags & keep, la[i].flags & keep);
		}
		if (!(want & SACH_SIG_WORDLISTS)) {
			ck_assert_uint_eq(part.flagged[SACH_WORDLIST_GAMBLING], UINT64_MAX);
			ck_assert(isnan(part.flagged_ratio));
		}
		if (!(want & SACH_SIG_PII))
			ck_assert_uint_eq(part.phones, UINT64_MAX);
		if (!(want & SACH_SIG_CHAR_REPETITION))
			ck_assert(isnan(part.char_repetition));
		/* la points into the context: refresh it for the next mask */
		compute(text, &all);
		la = sach_signals_lines(ctx, &na);
	}
	/* the plain call computes everything again after a masked one */
	ck_assert_int_eq(sach_signals_compute_mask(ctx, text, strlen(text), 0, &part), 0);
	compute(text, &part);
	ck_assert_uint_eq(part.skipped, 0);
	for (i = 0; i < n; i++)
		ck_assert(sach_signals_value(&part, i) == sach_signals_value(&all, i));
}
END_TEST

static Suite *signals_suite(void)
{
	Suite *s = suite_create("signals");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_counts_and_duplicates);
	tcase_add_test(tc, test_paragraphs_crlf);
	tcase_add_test(tc, test_ngrams);
	tcase_add_test(tc, test_line_shapes);
	tcase_add_test(tc, test_c4_flags);
	tcase_add_test(tc, test_contacts);
	tcase_add_test(tc, test_wordlists_diacritics);
	tcase_add_test(tc, test_wordlists_gambling);
	tcase_add_test(tc, test_wordlists_lines);
	tcase_add_test(tc, test_vietnamese_signals);
	tcase_add_test(tc, test_user_wordlist);
	tcase_add_test(tc, test_pattern_realloc);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_odd_input);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_mask);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(signals_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

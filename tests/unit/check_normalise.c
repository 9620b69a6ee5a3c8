/*
 * check_normalise.c - unit tests for sach/normalise.h: every option of
 * sach_normalise_options on and off, every counter of
 * sach_normalise_counts, the fixpoint (idempotence) guarantee on a table of
 * tricky strings and on 20000 generated strings per option set, and long
 * inputs.
 *
 * Public headers only. Vietnamese text is written as \x escapes with the
 * characters named in comments.
 */
#include "sach/common.h"
#include "sach/error.h"
#include "sach/legacy.h"
#include "sach/normalise.h"
#include "sach/unicode.h"
#include "sach/viet.h"

#include "check_helpers.h"

#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string literal and its length, for the (const char *, size_t) APIs. */
#define S(lit) (lit), (sizeof(lit) - 1)

/* U+FFFD REPLACEMENT CHARACTER */
#define RC "\xEF\xBF\xBD"

/*
 * The Unicode layer alone: the shipped defaults with the Vietnamese layer
 * off, so these tests pin down exactly what that layer does and every
 * counter not named in a test must be zero. The Vietnamese layer has its
 * own tests below ("viet"), and the idempotence and stress tests also run
 * the shipped defaults as they are.
 */
static sach_normalise_options defaults(void)
{
	sach_normalise_options o = SACH_NORMALISE_OPTIONS_INIT;

	o.viet = false;
	return o;
}

/* The result of one normalisation, copied out of the normaliser. */
struct res {
	int rc;
	char *out;
	size_t len;
	bool changed;
	bool same_ptr;           /* the output pointer was the input pointer */
	sach_normalise_counts c;
};

static struct res norm(const sach_normalise_options *o, const char *in, size_t len)
{
	sach_normaliser *n = NULL;
	struct res r;
	const char *out = NULL;
	size_t out_len = 0;
	char *copy;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(sach_normaliser_new(&n, o), SACH_OK);
	/* A private copy of the input, so the pointer test is meaningful and
	 * reads past `len` are caught under ASan. */
	copy = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, in, len);
	r.changed = true;
	r.rc = sach_normalise_text(n, copy, len, &out, &out_len, &r.c, &r.changed);
	if (r.rc == SACH_OK) {
		r.same_ptr = out == copy;
		r.out = malloc(out_len + 1);
		ck_assert_ptr_nonnull(r.out);
		memcpy(r.out, out, out_len);
		r.out[out_len] = '\0';
		r.len = out_len;
	}
	free(copy);
	sach_normaliser_free(n);
	return r;
}

/*
 * Asserts the counters: `spec` is "name=value,..."; every counter not named
 * must be zero. Names are checked against sach_normalise_count_names().
 */
static void check_counts(const sach_normalise_counts *c, const char *spec, const char *ctx)
{
	const char *const *names = sach_normalise_count_names();
	uint64_t got[SACH_NORMALISE_COUNT_FIELDS], want[SACH_NORMALISE_COUNT_FIELDS];
	const char *p = spec;
	size_t i;

	memset(want, 0, sizeof(want));
	while (p && *p) {
		const char *eq = strchr(p, '=');
		bool found = false;

		ck_assert_ptr_nonnull(eq);
		for (i = 0; i < SACH_NORMALISE_COUNT_FIELDS; i++) {
			if (strlen(names[i]) == (size_t)(eq - p) &&
			    strncmp(names[i], p, (size_t)(eq - p)) == 0) {
				want[i] = strtoull(eq + 1, NULL, 10);
				found = true;
			}
		}
		ck_assert_msg(found, "unknown counter in \"%s\"", spec);
		p = strchr(eq, ',');
		if (p)
			p++;
	}
	sach_normalise_counts_array(c, got);
	for (i = 0; i < SACH_NORMALISE_COUNT_FIELDS; i++)
		ck_assert_msg(got[i] == want[i], "%s: counter %s = %" PRIu64 ", want %" PRIu64,
			      ctx, names[i], got[i], want[i]);
}

/* Normalises `in` with `o` and checks output, counters and `changed`. */
static void expect_norm(const sach_normalise_options *o, const char *in, size_t in_len,
			const char *want, size_t want_len, const char *counts)
{
	struct res r = norm(o, in, in_len);
	bool same = in_len == want_len && memcmp(in, want, want_len) == 0;

	ck_assert_msg(r.rc == SACH_OK, "[%s]: rc %d (%s)", th_show(in, in_len), r.rc,
		      sach_error_last());
	ck_assert_msg(r.len == want_len && memcmp(r.out, want, want_len) == 0,
		      "[%s] -> [%s], want [%s]", th_show(in, in_len), th_show(r.out, r.len),
		      th_show(want, want_len));
	ck_assert_msg(r.changed == !same, "[%s]: changed=%d", th_show(in, in_len), r.changed);
	ck_assert_msg(r.same_ptr == same, "[%s]: output pointer %s the input",
		      th_show(in, in_len), r.same_ptr ? "is" : "is not");
	if (counts)
		check_counts(&r.c, counts, th_show(in, in_len));
	free(r.out);
}

#define EXPECT(o, in, want, counts) expect_norm(o, S(in), S(want), counts)

/* ---- options, names, counters ----------------------------------------- */

START_TEST(normalise_options_defaults)
{
	sach_normalise_options o = SACH_NORMALISE_OPTIONS_INIT;

	ck_assert_uint_eq(o.version, SACH_NORMALISE_OPTIONS_VERSION);
	ck_assert_int_eq(o.entities, SACH_ENTITIES_ALL);
	ck_assert_int_eq(o.form, SACH_NF_NFC);
	ck_assert(!o.fold_fullwidth);
	ck_assert(o.remove_controls);
	ck_assert(o.remove_invisible);
	ck_assert(o.map_spaces);
	ck_assert(o.collapse_spaces);
	ck_assert(o.trim_lines);
	ck_assert(o.unify_newlines);
	ck_assert_int_eq(o.max_blank_lines, 1);
	ck_assert(!o.single_line);
	ck_assert(!o.reject_invalid_utf8);
	ck_assert_int_eq(o.input_encoding, SACH_ENC_UTF8);
	ck_assert(o.viet);
	ck_assert_int_eq(o.tone_style, SACH_TONE_STYLE_KEEP);
}
END_TEST

START_TEST(normalise_options_invalid)
{
	sach_normalise_options o;
	sach_normaliser *n = (sach_normaliser *)1;

	ck_assert_int_eq(sach_normaliser_new(&n, NULL), SACH_EINVAL);
	ck_assert_ptr_null(n);
	o = defaults();
	o.version = 2;
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_EINVAL);
	ck_assert_ptr_null(n);
	o = defaults();
	o.form = (sach_nf)3;
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_EINVAL);
	o = defaults();
	o.entities = (sach_entities)3;
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_EINVAL);
	o = defaults();
	o.tone_style = (sach_tone_style)3;
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_EINVAL);
	o = defaults();
	o.input_encoding = (sach_encoding)SACH_ENC_COUNT;
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_EINVAL);
	o.input_encoding = (sach_encoding)-1;
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_EINVAL);
	o = defaults();
	o.max_blank_lines = -2;
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_EINVAL);
	ck_assert_int_eq(sach_error_last_code(), SACH_EINVAL);
	ck_assert_str_ne(sach_error_last(), "");
	/* The extremes that are allowed. */
	o = defaults();
	o.max_blank_lines = -1;
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_OK);
	sach_normaliser_free(n);
	o.max_blank_lines = 0;
	o.form = SACH_NF_NONE;
	o.entities = SACH_ENTITIES_NONE;
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_OK);
	sach_normaliser_free(n);
	sach_normaliser_free(NULL);
}
END_TEST

START_TEST(normalise_count_names)
{
	static const char *const want[SACH_NORMALISE_COUNT_FIELDS] = {
		"utf8_repaired", "entities", "controls", "invisible", "spaces_mapped",
		"spaces_collapsed", "spaces_trimmed", "newlines", "blank_lines",
		"lines_joined", "fullwidth", "nf_lines", "legacy_unmapped", "mojibake_lines", "mark_repairs",
		"tones_fixed", "tones_restyled", "syllables", "well_formed", "with_diacritics",
		"old_style", "new_style", "ambiguous_tones",
	};
	const char *const *names = sach_normalise_count_names();
	size_t i;

	ck_assert_ptr_nonnull(names);
	ck_assert_ptr_eq(sach_normalise_count_names(), names);
	for (i = 0; i < SACH_NORMALISE_COUNT_FIELDS; i++)
		ck_assert_str_eq(names[i], want[i]);
}
END_TEST

START_TEST(normalise_counts_array_and_add)
{
	sach_normalise_counts a, b;
	uint64_t arr[SACH_NORMALISE_COUNT_FIELDS];
	size_t i;

	a.utf8_repaired = 1;
	a.entities = 2;
	a.controls = 3;
	a.invisible = 4;
	a.spaces_mapped = 5;
	a.spaces_collapsed = 6;
	a.spaces_trimmed = 7;
	a.newlines = 8;
	a.blank_lines = 9;
	a.lines_joined = 10;
	a.fullwidth = 11;
	a.nf_lines = 12;
	a.legacy_unmapped = 13;
	a.mojibake_lines = 14;
	a.mark_repairs = 15;
	a.tones_fixed = 16;
	a.tones_restyled = 17;
	a.syllables = 18;
	a.well_formed = 19;
	a.with_diacritics = 20;
	a.old_style = 21;
	a.new_style = 22;
	a.ambiguous_tones = 23;
	/* The array follows the order of the names, which is the field order. */
	sach_normalise_counts_array(&a, arr);
	for (i = 0; i < SACH_NORMALISE_COUNT_FIELDS; i++)
		ck_assert_uint_eq(arr[i], i + 1);
	b = a;
	sach_normalise_counts_add(&b, &a);
	sach_normalise_counts_array(&b, arr);
	for (i = 0; i < SACH_NORMALISE_COUNT_FIELDS; i++)
		ck_assert_uint_eq(arr[i], 2 * (i + 1));
	memset(&b, 0, sizeof(b));
	b.nf_lines = UINT64_C(1) << 40;
	sach_normalise_counts_add(&b, &a);
	ck_assert_uint_eq(b.nf_lines, (UINT64_C(1) << 40) + 12);
	ck_assert_uint_eq(b.utf8_repaired, 1);
	ck_assert_uint_eq(b.ambiguous_tones, 23);
}
END_TEST

START_TEST(normalise_counts_accumulate)
{
	sach_normalise_options o = defaults();
	sach_normaliser *n;
	sach_normalise_counts c;
	const char *out;
	size_t len;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_OK);
	ck_assert_int_eq(sach_normalise_text(n, S("a  b&lt;"), &out, &len, &c, NULL), SACH_OK);
	ck_assert_int_eq(sach_normalise_text(n, S("a  b&lt;"), &out, &len, &c, NULL), SACH_OK);
	/* counts is added to, never reset. */
	check_counts(&c, "spaces_collapsed=2,entities=2", "twice");
	/* counts and changed may be NULL. */
	ck_assert_int_eq(sach_normalise_text(n, S("x  y"), &out, &len, NULL, NULL), SACH_OK);
	th_assert_bytes(out, len, "x y", 3);
	sach_normaliser_free(n);
}
END_TEST

START_TEST(normalise_unchanged_same_pointer)
{
	/* Text that needs nothing comes back as the input pointer, unchanged,
	 * with every counter zero. "Tieng Viet" in NFC (U+1EBF, U+1EC7), a
	 * two-line text with one blank line, an emoji, a soft hyphen. */
	static const char *const inputs[] = {
		"", "abc", "Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t c\xC3\xB3 d\xE1\xBA\xA5u",
		"line one\n\nline two\nthree", "\xF0\x9F\x91\xA8 a\xC2\xAD" "b", "AT&T &amp x &#; &",
		"x\xCC\x81", "a b c d e f g h",
	};
	sach_normalise_options o = defaults();
	size_t i;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		expect_norm(&o, inputs[i], strlen(inputs[i]), inputs[i], strlen(inputs[i]), "");
}
END_TEST

START_TEST(normalise_changed_new_pointer)
{
	sach_normalise_options o = defaults();
	struct res r = norm(&o, S("a  b"));

	ck_assert_int_eq(r.rc, SACH_OK);
	ck_assert(r.changed);
	ck_assert(!r.same_ptr);
	ck_assert_str_eq(r.out, "a b");
	free(r.out);
}
END_TEST

/* ---- entities ------------------------------------------------------------ */

START_TEST(normalise_entities_all)
{
	sach_normalise_options o = defaults();

	/* Named and numeric; &ecirc; is U+00EA, &#7879; and &#x1EC7; U+1EC7. */
	EXPECT(&o, "&lt;b&gt; &amp; &quot;Vi&#7879;t&quot; &ecirc; &#x1EC7;",
	       "<b> & \"Vi\xE1\xBB\x87t\" \xC3\xAA \xE1\xBB\x87", "entities=8");
	/* A named reference that decodes to two code points (U+2242 U+0338). */
	EXPECT(&o, "&NotEqualTilde;", "\xE2\x89\x82\xCC\xB8", "entities=1");
	/* Without ';' nothing is decoded. */
	EXPECT(&o, "&lt &amp x&#233", "&lt &amp x&#233", "");
}
END_TEST

START_TEST(normalise_entities_numeric)
{
	sach_normalise_options o = defaults();

	o.entities = SACH_ENTITIES_NUMERIC;
	EXPECT(&o, "&lt;&#233;&#xE9;&amp;", "&lt;\xC3\xA9\xC3\xA9&amp;", "entities=2");
	/* Windows-1252 remap of &#150; (en dash U+2013). */
	EXPECT(&o, "a&#150;b", "a\xE2\x80\x93" "b", "entities=1");
}
END_TEST

START_TEST(normalise_entities_none)
{
	sach_normalise_options o = defaults();

	o.entities = SACH_ENTITIES_NONE;
	EXPECT(&o, "&lt;&#233;&amp;lt;", "&lt;&#233;&amp;lt;", "");
}
END_TEST

START_TEST(normalise_entities_double_encoded)
{
	sach_normalise_options o = defaults();

	/* Decoding repeats to the fixpoint. */
	EXPECT(&o, "&amp;lt;", "<", "entities=2");
	EXPECT(&o, "&amp;amp;amp;", "&", "entities=3");
	EXPECT(&o, "a &amp;lt;b&amp;gt; c", "a <b> c", "entities=4");
	EXPECT(&o, "&#38;lt;", "<", "entities=2");
	/* Numeric mode: "&#38;#38;" -> "&#38;" -> "&". */
	o.entities = SACH_ENTITIES_NUMERIC;
	EXPECT(&o, "&#38;#38;", "&", "entities=2");
	EXPECT(&o, "&amp;lt;", "&amp;lt;", "");
}
END_TEST

START_TEST(normalise_entities_exposed_by_removal)
{
	sach_normalise_options o = defaults();

	/* A zero width space (U+200B) inside a reference: removing it exposes
	 * "&amp;", which the next round decodes. */
	EXPECT(&o, "&\xE2\x80\x8B" "amp;", "&", "entities=1,invisible=1");
	/* The same with a control character and with a BOM (U+FEFF). */
	EXPECT(&o, "&l\x01t;", "<", "entities=1,controls=1");
	EXPECT(&o, "&\xEF\xBB\xBFgt;", ">", "entities=1,invisible=1");
	/* NFC maps U+037E to ';', which completes the reference. */
	EXPECT(&o, "&amp\xCD\xBE", "&", "entities=1,nf_lines=1");
}
END_TEST

START_TEST(normalise_entities_to_whitespace_and_controls)
{
	sach_normalise_options o = defaults();

	/* A decoded no-break space is a space like any other. */
	EXPECT(&o, "a&nbsp;&nbsp;b", "a b", "entities=2,spaces_mapped=2,spaces_collapsed=1");
	EXPECT(&o, "x&#10;y", "x\ny", "entities=1");
	EXPECT(&o, "x&#9;y", "x y", "entities=1,spaces_mapped=1");
	EXPECT(&o, "x&#x1F;y", "xy", "entities=1,controls=1");
	EXPECT(&o, "x&#x200B;y", "xy", "entities=1,invisible=1");
	/* Impossible code points become U+FFFD. */
	EXPECT(&o, "&#0;|&#xD800;|&#x110000;", RC "|" RC "|" RC, "entities=3");
}
END_TEST

START_TEST(normalise_entities_combining_marks)
{
	sach_normalise_options o = defaults();

	/* "Vie" + &#x323; (dot below) + &#x302; (circumflex) + "t" -> "Viet"
	 * with U+1EC7 after NFC. */
	EXPECT(&o, "Vie&#x323;&#x302;t", "Vi\xE1\xBB\x87t", "entities=2,nf_lines=1");
}
END_TEST

/* ---- controls and invisible characters ------------------------------------ */

START_TEST(normalise_controls)
{
	sach_normalise_options o = defaults();

	/* NUL, SOH, US, DEL, and C1 U+0080, U+009F. (U+0085 NEL is a line
	 * break, not a control to drop: see normalise_newlines_unified.) */
	EXPECT(&o, "a\0b\x01" "c\x1F" "d\x7F" "e\xC2\x80" "f\xC2\x9F" "g", "abcdefg",
	       "controls=6");
	EXPECT(&o, "\0\0\0", "", "controls=3");
	o.remove_controls = false;
	EXPECT(&o, "a\0b\x01" "c\x7F" "d\xC2\x80" "e", "a\0b\x01" "c\x7F" "d\xC2\x80" "e", "");
}
END_TEST

START_TEST(normalise_controls_spare_tab_lf_cr)
{
	sach_normalise_options o = defaults();

	/* TAB, LF and CR are not controls to remove; with their own options
	 * off they survive as they are. */
	o.map_spaces = false;
	o.unify_newlines = false;
	EXPECT(&o, "a\tb\nc\rd", "a\tb\nc\rd", "");
}
END_TEST

START_TEST(normalise_invisible)
{
	/* ZWSP, LRM, RLM, LRE, RLE, PDF, LRO, RLO, WJ, invisible times, LRI,
	 * RLI, FSI, PDI, Mongolian vowel separator, BOM, interlinear annotation. */
	static const char *const inv[] = {
		"\xE2\x80\x8B", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xE2\x80\xAA", "\xE2\x80\xAB",
		"\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE", "\xE2\x81\xA0", "\xE2\x81\xA2",
		"\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9", "\xE1\xA0\x8E",
		"\xEF\xBB\xBF", "\xEF\xBF\xB9", "\xEF\xBF\xBB",
	};
	sach_normalise_options o = defaults();
	size_t i;

	for (i = 0; i < sizeof(inv) / sizeof(inv[0]); i++) {
		char in[16];
		size_t n = (size_t)snprintf(in, sizeof(in), "a%sb", inv[i]);

		expect_norm(&o, in, n, S("ab"), "invisible=1");
	}
	/* A BOM at the start of the text. */
	EXPECT(&o, "\xEF\xBB\xBFVi\xE1\xBB\x87t", "Vi\xE1\xBB\x87t", "invisible=1");
	o.remove_invisible = false;
	EXPECT(&o, "a\xE2\x80\x8B" "b\xEF\xBB\xBF" "c\xE2\x80\xAE" "d",
	       "a\xE2\x80\x8B" "b\xEF\xBB\xBF" "c\xE2\x80\xAE" "d", "");
}
END_TEST

START_TEST(normalise_joiner_between_latin_removed)
{
	sach_normalise_options o = defaults();

	/* ZWJ (U+200D) and ZWNJ (U+200C) between Latin letters, Vietnamese
	 * letters (U+1EC7) and at the ends of the text. */
	EXPECT(&o, "a\xE2\x80\x8D" "b", "ab", "invisible=1");
	EXPECT(&o, "a\xE2\x80\x8C" "b", "ab", "invisible=1");
	EXPECT(&o, "\xE1\xBB\x87\xE2\x80\x8D\xE1\xBB\x87", "\xE1\xBB\x87\xE1\xBB\x87", "invisible=1");
	EXPECT(&o, "\xE2\x80\x8D" "abc\xE2\x80\x8C", "abc", "invisible=2");
	EXPECT(&o, "a \xE2\x80\x8D" "b", "a b", "invisible=1");
}
END_TEST

START_TEST(normalise_joiner_run_between_latin)
{
	sach_normalise_options o = defaults();

	/* Two joiners in a row between Latin letters: neither neighbour letter
	 * uses joiners, so both go. */
	EXPECT(&o, "a\xE2\x80\x8D\xE2\x80\x8D" "b", "ab", "invisible=2");
	EXPECT(&o, "a\xE2\x80\x8C\xE2\x80\x8D" "b", "ab", "invisible=2");
}
END_TEST

START_TEST(normalise_joiner_emoji_kept)
{
	sach_normalise_options o = defaults();

	/* Family emoji: MAN ZWJ WOMAN ZWJ GIRL (U+1F468 U+1F469 U+1F467). */
	EXPECT(&o, "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7",
	       "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7", "");
	/* Emoji after Latin text in the same plain run. */
	EXPECT(&o, "xin ch\xC3\xA0o \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",
	       "xin ch\xC3\xA0o \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9", "");
	/* Heavy black heart U+2764 + ZWJ + fire U+1F525. */
	EXPECT(&o, "\xE2\x9D\xA4\xE2\x80\x8D\xF0\x9F\x94\xA5",
	       "\xE2\x9D\xA4\xE2\x80\x8D\xF0\x9F\x94\xA5", "");
}
END_TEST

START_TEST(normalise_joiner_indic_kept)
{
	sach_normalise_options o = defaults();

	/* Devanagari KA (U+0915) VIRAMA (U+094D) ZWJ / ZWNJ SSA (U+0937). */
	EXPECT(&o, "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8D\xE0\xA4\xB7",
	       "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8D\xE0\xA4\xB7", "");
	EXPECT(&o, "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8C\xE0\xA4\xB7",
	       "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8C\xE0\xA4\xB7", "");
	/* A joiner with Devanagari on one side only. */
	EXPECT(&o, "a\xE2\x80\x8D\xE0\xA4\x95", "a\xE2\x80\x8D\xE0\xA4\x95", "");
	EXPECT(&o, "\xE0\xA4\x95\xE2\x80\x8C" "a", "\xE0\xA4\x95\xE2\x80\x8C" "a", "");
	/* Persian "mi-khaham" with ZWNJ (U+0645 U+06CC ZWNJ U+062E...). */
	EXPECT(&o, "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85",
	       "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85", "");
}
END_TEST

START_TEST(normalise_joiner_option_off)
{
	sach_normalise_options o = defaults();

	o.remove_invisible = false;
	EXPECT(&o, "a\xE2\x80\x8D" "b\xE2\x80\x8C" "c", "a\xE2\x80\x8D" "b\xE2\x80\x8C" "c", "");
}
END_TEST

START_TEST(normalise_soft_hyphen_untouched)
{
	sach_normalise_options o = defaults();

	/* U+00AD stays in every mode: the legacy layer decides about it. */
	EXPECT(&o, "a\xC2\xAD" "b \xC2\xAD", "a\xC2\xAD" "b \xC2\xAD", "");
	o.form = SACH_NF_NFKC;
	o.fold_fullwidth = true;
	EXPECT(&o, "a\xC2\xAD" "b", "a\xC2\xAD" "b", "");
}
END_TEST

/* ---- spaces ------------------------------------------------------------------ */

START_TEST(normalise_spaces_mapped)
{
	/* TAB, NBSP, OGHAM SPACE MARK, EN QUAD .. HAIR SPACE, NARROW NBSP,
	 * MEDIUM MATHEMATICAL SPACE, IDEOGRAPHIC SPACE. */
	static const char *const sp[] = {
		"\t", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x82", "\xE2\x80\x83",
		"\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80",
	};
	sach_normalise_options o = defaults();
	size_t i;

	for (i = 0; i < sizeof(sp) / sizeof(sp[0]); i++) {
		char in[16];
		size_t n = (size_t)snprintf(in, sizeof(in), "a%sb", sp[i]);

		expect_norm(&o, in, n, S("a b"), "spaces_mapped=1");
	}
	/* Mapped and adjacent ASCII spaces collapse together. */
	EXPECT(&o, "a \xC2\xA0\t b", "a b", "spaces_mapped=2,spaces_collapsed=3");
}
END_TEST

START_TEST(normalise_spaces_not_mapped)
{
	sach_normalise_options o = defaults();

	o.map_spaces = false;
	EXPECT(&o, "a\xC2\xA0" "b\tc\xE3\x80\x80" "d", "a\xC2\xA0" "b\tc\xE3\x80\x80" "d", "");
	/* ASCII spaces still collapse. */
	EXPECT(&o, "a  \t  b", "a \t b", "spaces_collapsed=2");
}
END_TEST

START_TEST(normalise_collapse)
{
	sach_normalise_options o = defaults();

	EXPECT(&o, "a   b  c", "a b c", "spaces_collapsed=3");
	EXPECT(&o, "Vi\xE1\xBB\x87t    Nam", "Vi\xE1\xBB\x87t Nam", "spaces_collapsed=3");
	o.collapse_spaces = false;
	EXPECT(&o, "a   b  c", "a   b  c", "");
	/* Trimming still applies without collapsing. */
	EXPECT(&o, "  a   b  ", "a   b", "spaces_trimmed=4");
}
END_TEST

START_TEST(normalise_trim)
{
	sach_normalise_options o = defaults();

	EXPECT(&o, "  a  \n  b", "a\nb", "spaces_trimmed=6");
	EXPECT(&o, "\t a b \t", "a b", "spaces_mapped=2,spaces_trimmed=4");
	o.trim_lines = false;
	EXPECT(&o, "  a  \n  b", " a \n b", "spaces_collapsed=3");
	EXPECT(&o, " a b ", " a b ", "");
}
END_TEST

START_TEST(normalise_trim_blank_ends)
{
	sach_normalise_options o = defaults();

	/* No blank lines at the start and end of the text. */
	EXPECT(&o, "\n\n  \nabc\n\n  \n", "abc", "spaces_trimmed=4,blank_lines=6");
	EXPECT(&o, "abc\n", "abc", "blank_lines=1");
	EXPECT(&o, "\n\n\n", "", "blank_lines=3");
	EXPECT(&o, "   ", "", "spaces_trimmed=3");
	o.trim_lines = false;
	o.max_blank_lines = -1;
	EXPECT(&o, "\n\nabc\n\n", "\n\nabc\n\n", "");
	/* Without trimming, breaks before the first line are blank lines and
	 * the cap applies to them exactly. */
	o.max_blank_lines = 1;
	EXPECT(&o, "\n\n\nabc", "\nabc", "blank_lines=2");
	o.max_blank_lines = 0;
	EXPECT(&o, "\n\n\nabc", "abc", "blank_lines=3");
}
END_TEST

/* ---- newlines and blank lines ------------------------------------------------ */

START_TEST(normalise_newlines_unified)
{
	/* CRLF, CR, VT, FF, NEXT LINE U+0085, LINE SEPARATOR U+2028. */
	static const char *const nl[] = {
		"\r\n", "\r", "\v", "\f", "\xC2\x85", "\xE2\x80\xA8",
	};
	sach_normalise_options o = defaults();
	size_t i;

	for (i = 0; i < sizeof(nl) / sizeof(nl[0]); i++) {
		char in[16];
		size_t n = (size_t)snprintf(in, sizeof(in), "a%sb", nl[i]);

		expect_norm(&o, in, n, S("a\nb"), "newlines=1");
	}
	/* PARAGRAPH SEPARATOR U+2029 ends a paragraph: a blank line. */
	EXPECT(&o, "a\xE2\x80\xA9" "b", "a\n\nb", "newlines=1");
	/* NEL between two words does not glue them together. */
	EXPECT(&o, "xin\xC2\x85" "chao", "xin\nchao", "newlines=1");
	EXPECT(&o, "a\r\n\r\nb", "a\n\nb", "newlines=2");
	EXPECT(&o, "a\r\r\nb", "a\n\nb", "newlines=2");
	EXPECT(&o, "a\n\rb", "a\n\nb", "newlines=1");
	/* A CR at the very end. */
	EXPECT(&o, "a\r", "a", "newlines=1,blank_lines=1");
}
END_TEST

START_TEST(normalise_newlines_kept)
{
	sach_normalise_options o = defaults();

	o.unify_newlines = false;
	EXPECT(&o, "a\r\nb\rc\vd\fe\xE2\x80\xA8" "f\xC2\x85g\xE2\x80\xA9h",
	       "a\r\nb\rc\vd\fe\xE2\x80\xA8" "f\xC2\x85g\xE2\x80\xA9h", "");
	/* Kept CRLF and CR still end lines for trimming and the blank-line cap. */
	EXPECT(&o, "a \r\n b", "a\r\nb", "spaces_trimmed=2");
	EXPECT(&o, "a \r b", "a\rb", "spaces_trimmed=2");
	EXPECT(&o, "a\r\n\r\n\r\n\r\nb", "a\r\n\r\nb", "blank_lines=2");
	EXPECT(&o, "\r\n\r\nabc\r\n", "abc", "blank_lines=3");
}
END_TEST

START_TEST(normalise_newlines_kept_nfc_lines)
{
	sach_normalise_options o = defaults();

	/* Two lines that need NFC, separated by a kept CR (and by a CR that a
	 * reference produces): e + U+0301 -> U+00E9 on each line. */
	o.unify_newlines = false;
	EXPECT(&o, "e\xCC\x81\re\xCC\x81", "\xC3\xA9\r\xC3\xA9", "nf_lines=2");
	EXPECT(&o, "a\xCC\x82&#13;e\xCC\x83", "\xC3\xA2\r\xE1\xBA\xBD", "entities=1,nf_lines=2");
}
END_TEST

START_TEST(normalise_max_blank_lines)
{
	sach_normalise_options o = defaults();

	/* Three blank lines between two lines. */
	o.max_blank_lines = 0;
	EXPECT(&o, "a\n\n\n\nb", "a\nb", "blank_lines=3");
	o.max_blank_lines = 1;
	EXPECT(&o, "a\n\n\n\nb", "a\n\nb", "blank_lines=2");
	EXPECT(&o, "a\n\nb", "a\n\nb", "");
	o.max_blank_lines = 2;
	EXPECT(&o, "a\n\n\n\nb", "a\n\n\nb", "blank_lines=1");
	o.max_blank_lines = -1;
	EXPECT(&o, "a\n\n\n\n\n\n\n\nb", "a\n\n\n\n\n\n\n\nb", "");
	/* Lines holding only whitespace are blank. */
	o.max_blank_lines = 1;
	EXPECT(&o, "a\n \n\t\n\nb", "a\n\nb", "spaces_mapped=1,spaces_trimmed=2,blank_lines=2");
	/* The cap applies to CR-made breaks as well. */
	o.max_blank_lines = 0;
	EXPECT(&o, "a\r\n\r\n\r\nb", "a\nb", "newlines=3,blank_lines=2");
}
END_TEST

START_TEST(normalise_single_line)
{
	sach_normalise_options o = defaults();

	o.single_line = true;
	EXPECT(&o, "a\nb\r\nc\xE2\x80\xA8" "d\n\n\ne", "a b c d e",
	       "newlines=2,lines_joined=6,spaces_collapsed=2");
	EXPECT(&o, "a \n b", "a b", "lines_joined=1,spaces_collapsed=2");
	EXPECT(&o, "\nabc\n", "abc", "lines_joined=2,spaces_trimmed=2");
	o.single_line = false;
	EXPECT(&o, "a\nb", "a\nb", "");
}
END_TEST

/* ---- fullwidth, NFC, NFKC ----------------------------------------------------- */

START_TEST(normalise_fold_fullwidth)
{
	sach_normalise_options o = defaults();

	/* Fullwidth A, b, 1, !, yen sign (U+FFE5 -> U+00A5), tilde. */
	o.fold_fullwidth = true;
	EXPECT(&o, "\xEF\xBC\xA1\xEF\xBD\x82\xEF\xBC\x91\xEF\xBC\x81\xEF\xBF\xA5\xEF\xBD\x9E",
	       "Ab1!\xC2\xA5~", "fullwidth=6");
	/* A folded ampersand starts a reference. */
	EXPECT(&o, "\xEF\xBC\x86lt;", "<", "fullwidth=1,entities=1");
	/* The ideographic space is a space, not a fullwidth form. */
	EXPECT(&o, "a\xE3\x80\x80" "b", "a b", "spaces_mapped=1");
	o.fold_fullwidth = false;
	EXPECT(&o, "\xEF\xBC\xA1\xEF\xBD\x82", "\xEF\xBC\xA1\xEF\xBD\x82", "");
}
END_TEST

START_TEST(normalise_nfc_nfd_vietnamese)
{
	sach_normalise_options o = defaults();

	/* NFD "Viet Nam" (e + U+0323 + U+0302) -> U+1EC7. */
	EXPECT(&o, "Vie\xCC\xA3\xCC\x82t Nam", "Vi\xE1\xBB\x87t Nam", "nf_lines=1");
	/* Two of three lines need it. */
	EXPECT(&o, "Vie\xCC\xA3\xCC\x82t\nabc\nNa\xCC\x80", "Vi\xE1\xBB\x87t\nabc\nN\xC3\xA0",
	       "nf_lines=2");
	/* NFD on a line after blank lines, spaces and removed characters. */
	EXPECT(&o, "x\n\n\n  \xE2\x80\x8B" "a\xCC\x80", "x\n\n\xC3\xA0",
	       "blank_lines=1,spaces_trimmed=2,invisible=1,nf_lines=1");
	o.form = SACH_NF_NONE;
	EXPECT(&o, "Vie\xCC\xA3\xCC\x82t", "Vie\xCC\xA3\xCC\x82t", "");
}
END_TEST

START_TEST(normalise_nfc_cp1258_style)
{
	sach_normalise_options o = defaults();

	/* "Tieng Viet" as CP1258 gives it: precomposed e-circumflex (U+00EA) +
	 * combining acute / dot below -> U+1EBF, U+1EC7. "duoc": u-horn U+01B0
	 * o-horn U+01A1 + dot below -> U+1EE3. */
	EXPECT(&o, "Ti\xC3\xAA\xCC\x81ng Vi\xC3\xAA\xCC\xA3t",
	       "Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t", "nf_lines=1");
	EXPECT(&o, "\xC4\x91\xC6\xB0\xC6\xA1\xCC\xA3" "c", "\xC4\x91\xC6\xB0\xE1\xBB\xA3" "c",
	       "nf_lines=1");
}
END_TEST

START_TEST(normalise_nfc_singletons_and_order)
{
	sach_normalise_options o = defaults();

	/* U+212B ANGSTROM SIGN -> U+00C5; U+037E -> ';'. */
	EXPECT(&o, "\xE2\x84\xAB \xCD\xBE", "\xC3\x85 ;", "nf_lines=1");
	/* Misordered marks that are each quick-check Yes: a U+0315 U+0316. */
	EXPECT(&o, "a\xCC\x95\xCC\x96", "a\xCC\x96\xCC\x95", "nf_lines=1");
	/* The same order problem hidden by a removed ZWSP between the marks. */
	EXPECT(&o, "a\xCC\x95\xE2\x80\x8B\xCC\x96", "a\xCC\x96\xCC\x95", "invisible=1,nf_lines=1");
}
END_TEST

START_TEST(normalise_nfkc)
{
	sach_normalise_options o = defaults();

	o.form = SACH_NF_NFKC;
	/* fi ligature U+FB01, circled one U+2460, square MHz U+3392. */
	EXPECT(&o, "\xEF\xAC\x81 \xE2\x91\xA0 \xE3\x8E\x92", "fi 1 MHz", "nf_lines=1");
	/* Fullwidth A through NFKC (fold off), and NFD Vietnamese. */
	EXPECT(&o, "\xEF\xBC\xA1 Vie\xCC\xA3\xCC\x82t", "A Vi\xE1\xBB\x87t", "nf_lines=1");
	/* NFC leaves the compatibility characters alone. */
	o.form = SACH_NF_NFC;
	EXPECT(&o, "\xEF\xAC\x81 \xE2\x91\xA0", "\xEF\xAC\x81 \xE2\x91\xA0", "");
}
END_TEST

START_TEST(normalise_nfkc_latin1_and_latin_ext)
{
	sach_normalise_options o = defaults();

	/* Compatibility characters below U+0300: superscript two U+00B2,
	 * one half U+00BD, long s U+017F, ij U+0133, dz U+01F3. */
	o.form = SACH_NF_NFKC;
	EXPECT(&o, "x\xC2\xB2", "x2", "nf_lines=1");
	EXPECT(&o, "\xC2\xBD", "1\xE2\x81\x84" "2", "nf_lines=1");
	EXPECT(&o, "\xC5\xBF", "s", "nf_lines=1");
	EXPECT(&o, "\xC4\xB3 \xC7\xB3", "ij dz", "nf_lines=1");
}
END_TEST

START_TEST(normalise_nfkc_inside_plain_run)
{
	sach_normalise_options o = defaults();

	/* A compatibility character in the middle of ordinary Vietnamese text:
	 * U+1E9A (a with right half ring) -> "a" U+02BE; U+0133 -> "ij". */
	o.form = SACH_NF_NFKC;
	EXPECT(&o, "Vi\xE1\xBB\x87t \xE1\xBA\x9A Nam", "Vi\xE1\xBB\x87t a\xCA\xBE Nam",
	       "nf_lines=1");
	EXPECT(&o, "abc\xC4\xB3" "def", "abcijdef", "nf_lines=1");
}
END_TEST

/* ---- invalid UTF-8 ------------------------------------------------------------ */

START_TEST(normalise_utf8_repaired)
{
	sach_normalise_options o = defaults();

	/* Unicode 15 Table 3-8: six maximal subparts. */
	EXPECT(&o, "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
	       "a" RC RC RC "b" RC "c" RC RC "d", "utf8_repaired=6");
	EXPECT(&o, "Vi\xE1\xBB", "Vi" RC, "utf8_repaired=1");
	EXPECT(&o, "\xED\xA0\x80", RC RC RC, "utf8_repaired=3");
	/* A genuine U+FFFD in the input is not a repair. */
	EXPECT(&o, "a" RC, "a" RC, "");
}
END_TEST

START_TEST(normalise_reject_invalid_utf8)
{
	sach_normalise_options o = defaults();
	sach_normaliser *n;
	const char *out = (const char *)1;
	size_t len = 7;

	o.reject_invalid_utf8 = true;
	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_OK);
	sach_error_clear();
	ck_assert_int_eq(sach_normalise_text(n, S("abc\xFF" "def"), &out, &len, NULL, NULL),
			 SACH_EUTF8);
	ck_assert_int_eq(sach_error_last_code(), SACH_EUTF8);
	ck_assert_msg(strstr(sach_error_last(), "byte 3") != NULL, "message: %s",
		      sach_error_last());
	/* Even when the bad byte hides after work for other steps. */
	ck_assert_int_eq(sach_normalise_text(n, S("a  &lt; \xC0\xAF"), &out, &len, NULL, NULL),
			 SACH_EUTF8);
	ck_assert_int_eq(sach_normalise_text(n, S("\xED\xA0\x80"), &out, &len, NULL, NULL),
			 SACH_EUTF8);
	/* Valid text still goes through, and the normaliser is reusable. */
	ck_assert_int_eq(sach_normalise_text(n, S("a  b"), &out, &len, NULL, NULL), SACH_OK);
	th_assert_bytes(out, len, "a b", 3);
	sach_normaliser_free(n);
}
END_TEST

/* ---- the Vietnamese layer and legacy input ------------------------------------ */

/* The shipped defaults: the Vietnamese layer on, tone style KEEP. */
static sach_normalise_options viet_on(void)
{
	sach_normalise_options o = SACH_NORMALISE_OPTIONS_INIT;

	return o;
}

START_TEST(normalise_viet_mark_repairs)
{
	sach_normalise_options o = viet_on();

	/* "Tieng" typed with the acute before the circumflex: NFC alone cannot
	 * compose it, the pre-NFC repair moves the circumflex first -> U+1EBF. */
	EXPECT(&o, "Tie\xCC\x81\xCC\x82ng", "Ti\xE1\xBA\xBFng",
	       "nf_lines=1,mark_repairs=1,syllables=1,well_formed=1,with_diacritics=1");
	/* A spacing acute (U+00B4) after a vowel becomes the tone: "ca" -> U+00E1. */
	EXPECT(&o, "ca\xC2\xB4", "c\xC3\xA1",
	       "nf_lines=1,mark_repairs=1,syllables=1,well_formed=1,with_diacritics=1");
	/* Eth (U+00D0) for d-stroke (U+0110): "Da Nang" with U+00E0, U+1EB5. */
	EXPECT(&o, "\xC3\x90\xC3\xA0 N\xE1\xBA\xB5ng", "\xC4\x90\xC3\xA0 N\xE1\xBA\xB5ng",
	       "mark_repairs=1,syllables=2,well_formed=2,with_diacritics=2");
	/* A Cyrillic a (U+0430) inside a Latin word: "Ha Noi" with U+1ED9. */
	EXPECT(&o, "H\xD0\xB0 N\xE1\xBB\x99i", "Ha N\xE1\xBB\x99i",
	       "mark_repairs=1,syllables=2,well_formed=2,with_diacritics=1");
	/* With the layer off, NFC does what it can: U+00E9 + U+0302. */
	o.viet = false;
	EXPECT(&o, "Tie\xCC\x81\xCC\x82ng", "Ti\xC3\xA9\xCC\x82ng", "nf_lines=1");
	EXPECT(&o, "ca\xC2\xB4", "ca\xC2\xB4", "");
}
END_TEST

START_TEST(normalise_viet_tones_fixed)
{
	sach_normalise_options o = viet_on();

	/* "bai" with the grave on the i (U+00EC) -> on the a (U+00E0). */
	EXPECT(&o, "ba\xC3\xAC", "b\xC3\xA0i",
	       "tones_fixed=1,syllables=1,well_formed=1,with_diacritics=1");
	o.viet = false;
	EXPECT(&o, "ba\xC3\xAC", "ba\xC3\xAC", "");
}
END_TEST

START_TEST(normalise_viet_tone_style)
{
	/* "hoa" in new style (grave on a, U+00E0) and old style (on o, U+00F2). */
	static const char counts[] =
		"syllables=2,well_formed=2,with_diacritics=2,old_style=1,new_style=1";
	sach_normalise_options o = viet_on();
	char with_restyled[128];

	snprintf(with_restyled, sizeof(with_restyled), "tones_restyled=1,%s", counts);
	EXPECT(&o, "ho\xC3\xA0 h\xC3\xB2" "a", "ho\xC3\xA0 h\xC3\xB2" "a", counts);
	o.tone_style = SACH_TONE_STYLE_OLD;
	EXPECT(&o, "ho\xC3\xA0 h\xC3\xB2" "a", "h\xC3\xB2" "a h\xC3\xB2" "a", with_restyled);
	o.tone_style = SACH_TONE_STYLE_NEW;
	EXPECT(&o, "ho\xC3\xA0 h\xC3\xB2" "a", "ho\xC3\xA0 ho\xC3\xA0", with_restyled);
	/* Off: the style option does nothing. */
	o.viet = false;
	EXPECT(&o, "ho\xC3\xA0 h\xC3\xB2" "a", "ho\xC3\xA0 h\xC3\xB2" "a", "");
}
END_TEST

START_TEST(normalise_viet_text_counters)
{
	/* "Hoa binh va hoa hop bai xyzzy": seven letter tokens, six well-formed
	 * syllables with diacritics, one old-style and one new-style "hoa",
	 * "bai" with a misplaced mark. The counters describe the text as found. */
	sach_normalise_options o = viet_on();

	EXPECT(&o, "Ho\xC3\xA0 b\xC3\xACnh v\xC3\xA0 h\xC3\xB2" "a h\xE1\xBB\xA3p ba\xC3\xAC xyzzy",
	       "Ho\xC3\xA0 b\xC3\xACnh v\xC3\xA0 h\xC3\xB2" "a h\xE1\xBB\xA3p b\xC3\xA0i xyzzy",
	       "tones_fixed=1,syllables=7,well_formed=6,with_diacritics=6,old_style=1,new_style=1");
	/* ASCII words count as tokens, not as diacritics. */
	EXPECT(&o, "xin chao", "xin chao", "syllables=2,well_formed=2");
	EXPECT(&o, "", "", "");
}
END_TEST

START_TEST(normalise_viet_ambiguous_tones)
{
	sach_normalise_options o = viet_on();

	/* Two different marks (U+00F3 acute, U+00E0 grave): left alone. */
	EXPECT(&o, "h\xC3\xB3\xC3\xA0", "h\xC3\xB3\xC3\xA0",
	       "syllables=1,with_diacritics=1,ambiguous_tones=1");
}
END_TEST

START_TEST(normalise_input_encoding)
{
	/* "Tieng Viet" (U+1EBF, U+1EC7) written to VNI by the library's own
	 * encoder, then normalised from VNI. */
	static const char text[] = "Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t";
	sach_normalise_options o = viet_on();
	sach_buf vni = { 0 };
	size_t unmapped = 9;
	struct res r;

	ck_assert_int_eq(sach_legacy_encode(SACH_ENC_VNI, S(text), &vni, &unmapped), SACH_OK);
	ck_assert_uint_eq(unmapped, 0);
	ck_assert_msg(sach_utf8_check(vni.ptr, vni.len) < vni.len, "VNI bytes are UTF-8?");
	o.input_encoding = SACH_ENC_VNI;
	r = norm(&o, vni.ptr, vni.len);
	ck_assert_int_eq(r.rc, SACH_OK);
	th_assert_bytes(r.out, r.len, text, sizeof(text) - 1);
	ck_assert(r.changed);
	check_counts(&r.c, "syllables=2,well_formed=2,with_diacritics=2", "VNI");
	free(r.out);
	sach_buf_free(&vni);

	/* Latin-1 bytes go through the Unicode layer afterwards. */
	o = defaults();
	o.input_encoding = SACH_ENC_LATIN1;
	r = norm(&o, S("caf\xE9  x"));
	ck_assert_int_eq(r.rc, SACH_OK);
	th_assert_bytes(r.out, r.len, "caf\xC3\xA9 x", 7);
	check_counts(&r.c, "spaces_collapsed=1", "latin1");
	free(r.out);

	/* Decoding that gives the same bytes is not a change. */
	o.input_encoding = SACH_ENC_VISCII;
	r = norm(&o, S("abc"));
	ck_assert_int_eq(r.rc, SACH_OK);
	th_assert_bytes(r.out, r.len, "abc", 3);
	ck_assert(!r.changed);
	free(r.out);
}
END_TEST

START_TEST(normalise_legacy_unmapped)
{
	sach_normalise_options o = defaults();
	struct res r;

	/* 0x81 is undefined in windows-1258: U+FFFD, counted. */
	o.input_encoding = SACH_ENC_CP1258;
	r = norm(&o, S("a\x81" "b\x81"));
	ck_assert_int_eq(r.rc, SACH_OK);
	th_assert_bytes(r.out, r.len, "a" RC "b" RC, 8);
	check_counts(&r.c, "legacy_unmapped=2", "cp1258");
	free(r.out);
}
END_TEST

/* ---- idempotence -------------------------------------------------------------- */

static const char *const tricky[] = {
	"&amp;lt;", "&\xE2\x80\x8B" "amp;", "&amp\xCD\xBE", "&amp;amp;amp;amp;", "&#38;#38;#38;",
	" \xE2\x80\x8B a", "\xE2\x80\x8B\n\xE2\x80\x8B\n\n\n\xE2\x80\x8Bx", "x\r\r\n\n\n",
	"&#x20;&#x20;a&#x20;", "&#13;&#10;&#13;&#10;x", "a&#x200B;&#x200B;b", "\xC2\xA0\xC2\xA0",
	"e\xCC\x82\xCC\xA3", "\xE2\x84\xAB", "&#x0301;a", "a &#32; b", "\xC0\xAF\xED\xA0\x80",
	"&#x202E;x&#x202C;", "\xEF\xBC\x86" "amp;lt;", "\xEF\xBC\x86\xEF\xBD\x8C\xEF\xBD\x94;",
	"a\xE2\x80\x8D\xE2\x80\x8D" "b", "\xE0\xA4\x95\xE2\x80\x8D\xE2\x80\x8B" "a",
	"a\xE2\x80\x8D\xE2\x80\x8B\xE0\xA4\x95", "\xCC\x81", "\n\xCC\x81\n", " \xCC\x81",
	"\xC2\xA8x", "\xC2\xB2\xC2\xBD", "\xE1\xBA\x9A\xE1\xBA\x9A", "a\xC2\xAD\xC2\xAD" "b",
	"\xEF\xB7\xBA", "&NotEqualTilde;", "&#x1EC7;&#x301;", "\xE2\x80\xA8\xE2\x80\xA9\v\f",
	"\t\t\n\t\t", "a\n \n \n \nb", "\x01\x02&\x03lt;", "&l&lt;t;", "&&amp;amp;;",
	"Vie\xCC\xA3\xCC\x82t  &amp;  Nam\r\n\r\n\r\n\r\nH\xC3\xA0 N\xE1\xBB\x99i",
	"e\xCC\x81\re\xCC\x81", "\xCC\x82&#13;\xCC\x83", "ho\xC3\xA0 h\xC3\xB2" "a ba\xC3\xAC",
	"Tie\xCC\x81\xCC\x82ng ca\xC2\xB4 H\xD0\xB0", "h\xC3\xB3\xC3\xA0 \xC3\x90\xC3\xA0",
};

/* Counters that say what the text is rather than what was changed. */
static bool is_descriptive_counter(size_t i)
{
	static const char *const descriptive[] = {
		"syllables", "well_formed", "with_diacritics", "old_style", "new_style",
		"ambiguous_tones",
	};
	size_t k;

	for (k = 0; k < sizeof(descriptive) / sizeof(descriptive[0]); k++)
		if (strcmp(sach_normalise_count_names()[i], descriptive[k]) == 0)
			return true;
	return false;
}

static void check_idempotent(const sach_normalise_options *o, const char *in, size_t len,
			     const char *ctx)
{
	struct res a = norm(o, in, len), b;

	ck_assert_msg(a.rc == SACH_OK, "%s [%s]: rc %d", ctx, th_show(in, len), a.rc);
	b = norm(o, a.out, a.len);
	ck_assert_int_eq(b.rc, SACH_OK);
	ck_assert_msg(!b.changed && b.same_ptr && b.len == a.len &&
		      memcmp(a.out, b.out, a.len) == 0,
		      "%s: not idempotent: [%s] -> [%s] -> [%s]", ctx, th_show(in, len),
		      th_show(a.out, a.len), th_show(b.out, b.len));
	{
		uint64_t arr[SACH_NORMALISE_COUNT_FIELDS];
		size_t i;

		/* Every change counter stays zero; the counters that describe the
		 * text (syllables and the rest) are not changes. */
		sach_normalise_counts_array(&b.c, arr);
		for (i = 0; i < SACH_NORMALISE_COUNT_FIELDS; i++)
			ck_assert_msg(arr[i] == 0 || is_descriptive_counter(i),
				      "%s [%s]: second pass counted %s", ctx, th_show(in, len),
				      sach_normalise_count_names()[i]);
	}
	free(a.out);
	free(b.out);
}

/* Option sets the idempotence and stress tests run under. */
static sach_normalise_options option_set(int k)
{
	sach_normalise_options o = defaults();

	switch (k) {
	case 0: /* the shipped defaults, Vietnamese layer included */
		o = viet_on();
		break;
	case 1:
		o.form = SACH_NF_NFKC;
		o.fold_fullwidth = true;
		break;
	case 2:
		o.trim_lines = false;
		o.collapse_spaces = false;
		break;
	case 3:
		o.single_line = true;
		break;
	case 4:
		o.max_blank_lines = -1;
		o.unify_newlines = false;
		o.map_spaces = false;
		break;
	case 5:
		o.entities = SACH_ENTITIES_NUMERIC;
		o.form = SACH_NF_NONE;
		o.remove_invisible = false;
		o.remove_controls = false;
		break;
	case 6:
		o.max_blank_lines = 0;
		o.entities = SACH_ENTITIES_NONE;
		break;
	case 7:
		o = viet_on();
		o.form = SACH_NF_NFKC;
		o.tone_style = SACH_TONE_STYLE_NEW;
		break;
	case 8:
		o.unify_newlines = false;
		break;
	}
	return o;
}
#define N_OPTION_SETS 9

START_TEST(normalise_idempotent_table)
{
	int k;
	size_t i;

	for (k = 0; k < N_OPTION_SETS; k++) {
		sach_normalise_options o = option_set(k);

		for (i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++) {
			char ctx[64];

			snprintf(ctx, sizeof(ctx), "set %d, string %zu", k, i);
			check_idempotent(&o, tricky[i], strlen(tricky[i]), ctx);
		}
	}
}
END_TEST

START_TEST(normalise_idempotent_deep_entities)
{
	/* "&" followed by twenty "amp;" and "lt;": every round peels one level,
	 * so the fixpoint needs more than a handful of rounds. */
	sach_normalise_options o = defaults();
	char in[256];
	size_t n = 0;
	int i;
	struct res r;

	in[n++] = '&';
	for (i = 0; i < 20; i++) {
		memcpy(in + n, "amp;", 4);
		n += 4;
	}
	memcpy(in + n, "lt;", 3);
	n += 3;
	check_idempotent(&o, in, n, "20 levels");
	r = norm(&o, in, n);
	ck_assert_str_eq(r.out, "<");
	free(r.out);
}
END_TEST

/* ---- generated stress ---------------------------------------------------------- */

struct frag {
	const char *s;
	size_t len;
};
#define F(lit) { (lit), sizeof(lit) - 1 }

/* Interesting pieces: ASCII, whitespace of every kind, reference parts,
 * combining marks (U+0300-0303, U+0309, U+0323, U+0306, U+031B, U+0315,
 * U+0316), Vietnamese letters (U+1EC7, U+00EA, U+01B0, U+0111, U+01A1),
 * singletons, fullwidth forms, joiners and invisibles, controls, emoji,
 * Devanagari, Arabic, compatibility characters, and ill-formed bytes. */
static const struct frag frags[] = {
	F("a"), F("b"), F("Z"), F("0"), F("1"), F(" "), F("  "), F("\t"), F("\n"), F("\n\n"),
	F("\r"), F("\r\n"), F("\v"), F("\f"), F("&"), F("amp;"), F("lt;"), F("#"), F("x"),
	F("2"), F("3B"), F(";"), F("nbsp;"), F("#x200B;"), F("#10;"), F("#13;"), F("#x301;"),
	F("#38;"), F("\xC2\xA0"), F("\xC2\xAD"), F("\xE2\x80\x8B"), F("\xE2\x80\x8C"),
	F("\xE2\x80\x8D"), F("\xEF\xBB\xBF"), F("\xE2\x80\x8E"), F("\xE2\x80\xAE"),
	F("\xE2\x81\xA6"), F("\xCC\x80"), F("\xCC\x81"), F("\xCC\x82"), F("\xCC\x83"),
	F("\xCC\x89"), F("\xCC\xA3"), F("\xCC\x86"), F("\xCC\x9B"), F("\xCC\x95"), F("\xCC\x96"),
	F("\xE1\xBB\x87"), F("\xC3\xAA"), F("\xC6\xB0"), F("\xC4\x91"), F("\xC6\xA1"),
	F("\xE2\x84\xAB"), F("\xCD\xBE"), F("\xEF\xBC\xA1"), F("\xEF\xBC\x86"), F("\xE3\x80\x80"),
	F("\xE2\x80\xA8"), F("\xE2\x80\xA9"), F("\0"), F("\x01"), F("\x7F"), F("\xC2\x85"),
	F("\xC2\x9F"), F("\xF0\x9F\x91\xA8"), F("\xE0\xA4\x95"), F("\xE0\xA5\x8D"), F("\xD9\x85"),
	F("\xFF"), F("\xC0"), F("\xE1\xBB"), F("\x80"), F("\xED\xA0\x80"), F("\xF4\x90\x80\x80"),
	F("\xC2\xB2"), F("\xE1\xBA\x9A"), F("\xEF\xAC\x81"), F("\xE0\xA5\x98"), F("\xC5\xBF"),
	F("\xEF\xB7\xBA"), F("\xC2\xA8"), F("Vi\xE1\xBB\x87t"), F("Nam"), F("Vie\xCC\xA3\xCC\x82t"),
};
#define N_FRAGS (sizeof(frags) / sizeof(frags[0]))

static bool has_seq(const char *s, size_t len, const char *needle, size_t nlen)
{
	return memmem(s, len, needle, nlen) != NULL;
}

/* Invariants of an output under its options, besides idempotence. */
static void check_output_invariants(const sach_normalise_options *o, const char *in,
				    size_t in_len, const char *out, size_t len)
{
	size_t i;

#define INV(cond, what) \
	th_check(cond, "%s: [%s] -> [%s]", what, th_show(in, in_len), th_show(out, len))
	INV(sach_utf8_check(out, len) == len, "output is not valid UTF-8");
	if (o->form != SACH_NF_NONE) {
		sach_buf b = { 0 };
		bool changed = true;

		INV(sach_unicode_normalize(out, len, o->form, &b, &changed) == SACH_OK,
		    "normalize failed");
		INV(!changed, "output is not in the requested normalisation form");
		sach_buf_free(&b);
	}
	if (o->unify_newlines) {
		INV(!memchr(out, '\r', len) && !memchr(out, '\v', len) && !memchr(out, '\f', len) &&
		    !has_seq(out, len, "\xE2\x80\xA8", 3) && !has_seq(out, len, "\xE2\x80\xA9", 3) &&
		    !has_seq(out, len, "\xC2\x85", 2), "a line break other than LF survived");
	}
	if (o->remove_controls) {
		for (i = 0; i < len; i++) {
			unsigned char b = (unsigned char)out[i];

			INV(!(b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\v' &&
			      b != '\f') && b != 0x7F, "a control survived");
			/* C1 controls; U+0085 NEL is a line break (kept with
			 * unify_newlines off). */
			INV(!(b == 0xC2 && i + 1 < len && (unsigned char)out[i + 1] >= 0x80 &&
			      (unsigned char)out[i + 1] <= 0x9F && (unsigned char)out[i + 1] != 0x85),
			    "a C1 control survived");
		}
	}
	if (o->map_spaces)
		INV(!memchr(out, '\t', len) && !has_seq(out, len, "\xC2\xA0", 2) &&
		    !has_seq(out, len, "\xE3\x80\x80", 3), "an unmapped space survived");
	if (o->remove_invisible)
		INV(!has_seq(out, len, "\xE2\x80\x8B", 3) && !has_seq(out, len, "\xEF\xBB\xBF", 3) &&
		    !has_seq(out, len, "\xE2\x80\xAE", 3), "an invisible character survived");
	if (o->collapse_spaces)
		INV(!has_seq(out, len, "  ", 2), "a run of spaces survived");
	if (o->trim_lines) {
		INV(!has_seq(out, len, " \n", 2) && !has_seq(out, len, "\n ", 2) &&
		    (len == 0 || (out[0] != ' ' && out[len - 1] != ' ' && out[0] != '\n' &&
				  out[len - 1] != '\n')), "untrimmed line or text");
		if (!o->unify_newlines)
			INV(!has_seq(out, len, " \r", 2) && !has_seq(out, len, "\r ", 2) &&
			    (len == 0 || (out[0] != '\r' && out[len - 1] != '\r')),
			    "untrimmed line around a kept CR");
	}
	if (o->single_line)
		INV(!memchr(out, '\n', len), "a line break survived single_line");
	if (o->max_blank_lines >= 0 && !o->single_line) {
		char run[64];
		size_t k = (size_t)o->max_blank_lines + 2;

		memset(run, '\n', k);
		INV(!has_seq(out, len, run, k), "too many blank lines in a row");
	}
	if (o->fold_fullwidth)
		INV(!has_seq(out, len, "\xEF\xBC\xA1", 3) && !has_seq(out, len, "\xEF\xBC\x86", 3),
		    "a fullwidth form survived");
#undef INV
}

static void stress(int set, uint64_t seed, int count)
{
	sach_normalise_options o = option_set(set);
	sach_normaliser *n;
	char buf[1024];
	int k;

	ck_assert_int_eq(sach_normaliser_new(&n, &o), SACH_OK);
	for (k = 0; k < count; k++) {
		size_t len = 0, pieces = (size_t)(th_rand(&seed) % 40), i;
		const char *out, *out2;
		size_t out_len, out2_len;
		char *copy;
		bool changed = true;
		int rc;

		for (i = 0; i < pieces; i++) {
			const struct frag *f = &frags[th_rand(&seed) % N_FRAGS];

			memcpy(buf + len, f->s, f->len);
			len += f->len;
		}
		rc = sach_normalise_text(n, buf, len, &out, &out_len, NULL, NULL);
		th_check(rc == SACH_OK, "set %d string %d [%s]: rc %d (%s)", set, k,
			 th_show(buf, len), rc, sach_error_last());
		copy = malloc(out_len + 1);
		th_check(copy != NULL, "out of memory");
		memcpy(copy, out, out_len);
		check_output_invariants(&o, buf, len, copy, out_len);
		rc = sach_normalise_text(n, copy, out_len, &out2, &out2_len, NULL, &changed);
		th_check(rc == SACH_OK, "set %d string %d: second pass rc %d", set, k, rc);
		th_check(!changed && out2 == copy,
			 "set %d string %d not idempotent: [%s] -> [%s] -> [%s]", set, k,
			 th_show(buf, len), th_show(copy, out_len), th_show(out2, out2_len));
		free(copy);
	}
	sach_normaliser_free(n);
}

START_TEST(normalise_stress_default)
{
	stress(0, 0x5AC4000000000001ull, 20000);
}
END_TEST

START_TEST(normalise_stress_nfkc_fullwidth)
{
	stress(1, 0x5AC4000000000002ull, 20000);
}
END_TEST

START_TEST(normalise_stress_no_trim_no_collapse)
{
	stress(2, 0x5AC4000000000003ull, 20000);
}
END_TEST

START_TEST(normalise_stress_single_line)
{
	stress(3, 0x5AC4000000000004ull, 20000);
}
END_TEST

START_TEST(normalise_stress_keep_breaks_and_spaces)
{
	stress(4, 0x5AC4000000000005ull, 20000);
}
END_TEST

START_TEST(normalise_stress_numeric_no_nf)
{
	stress(5, 0x5AC4000000000006ull, 20000);
}
END_TEST

START_TEST(normalise_stress_no_blank_no_entities)
{
	stress(6, 0x5AC4000000000007ull, 20000);
}
END_TEST

START_TEST(normalise_stress_viet_nfkc_new_style)
{
	stress(7, 0x5AC4000000000008ull, 20000);
}
END_TEST

START_TEST(normalise_stress_keep_breaks)
{
	stress(8, 0x5AC4000000000009ull, 20000);
}
END_TEST

/* ---- long inputs ----------------------------------------------------------------- */

#define MB ((size_t)1 << 20)

/* Repeats unit until at least `min` bytes; returns the repeat count. */
static size_t fill_repeat(char **buf, size_t *len, const char *unit, size_t unit_len, size_t min)
{
	size_t reps = (min + unit_len - 1) / unit_len, i;

	*buf = malloc(reps * unit_len + 1);
	ck_assert_ptr_nonnull(*buf);
	for (i = 0; i < reps; i++)
		memcpy(*buf + i * unit_len, unit, unit_len);
	*len = reps * unit_len;
	return reps;
}

START_TEST(normalise_long_multiline)
{
	/* 1 MB of CRLF lines with NFD "Viet", double spaces and a reference:
	 * many lines marked for NFC. */
	static const char unit[] = "Vie\xCC\xA3\xCC\x82t  Nam &amp; H\xC3\xA0 N\xE1\xBB\x99i\r\n";
	static const char want_unit[] = "Vi\xE1\xBB\x87t Nam & H\xC3\xA0 N\xE1\xBB\x99i\n";
	sach_normalise_options o = defaults();
	char *in, *want;
	size_t in_len, want_len, reps;
	struct res r;

	reps = fill_repeat(&in, &in_len, S(unit), MB);
	fill_repeat(&want, &want_len, S(want_unit), reps * (sizeof(want_unit) - 1));
	want_len -= 1; /* the last line break is trimmed */
	r = norm(&o, in, in_len);
	ck_assert_int_eq(r.rc, SACH_OK);
	ck_assert_uint_eq(r.len, want_len);
	ck_assert_int_eq(memcmp(r.out, want, want_len), 0);
	ck_assert_uint_eq(r.c.nf_lines, reps);
	ck_assert_uint_eq(r.c.newlines, reps);
	ck_assert_uint_eq(r.c.entities, reps);
	ck_assert_uint_eq(r.c.spaces_collapsed, reps);
	check_output_invariants(&o, in, 64, r.out, r.len);
	free(r.out);
	free(in);
	free(want);
}
END_TEST

START_TEST(normalise_long_single_line_nfd)
{
	/* 1 MB without a line break: one line through ICU. */
	static const char unit[] = "Tie\xCC\x82\xCC\x81ng Vie\xCC\xA3\xCC\x82t ";
	static const char want_unit[] = "Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t ";
	sach_normalise_options o = defaults();
	char *in, *want;
	size_t in_len, want_len, reps;
	struct res r;

	reps = fill_repeat(&in, &in_len, S(unit), MB);
	fill_repeat(&want, &want_len, S(want_unit), reps * (sizeof(want_unit) - 1));
	want_len -= 1; /* the final space is trimmed */
	r = norm(&o, in, in_len);
	ck_assert_int_eq(r.rc, SACH_OK);
	th_assert_bytes(r.out, r.len, want, want_len);
	check_counts(&r.c, "nf_lines=1,spaces_trimmed=1", "1 MB line");
	free(r.out);
	free(in);
	free(want);
}
END_TEST

START_TEST(normalise_long_growth)
{
	/* Output three times the input: 1 MB of 0xFF bytes, each a U+FFFD. */
	sach_normalise_options o = defaults();
	char *in = malloc(MB);
	struct res r;
	size_t i;

	ck_assert_ptr_nonnull(in);
	memset(in, 0xFF, MB);
	r = norm(&o, in, MB);
	ck_assert_int_eq(r.rc, SACH_OK);
	ck_assert_uint_eq(r.len, 3 * MB);
	for (i = 0; i < MB; i++)
		if (memcmp(r.out + 3 * i, RC, 3) != 0)
			ck_abort_msg("U+FFFD %zu is wrong", i);
	check_counts(&r.c, "utf8_repaired=1048576", "1 MB of 0xFF");
	free(r.out);

	/* And the other way: 1 MB of "&lt;" shrinks to a quarter. */
	memset(in, 0, MB);
	for (i = 0; i + 4 <= MB; i += 4)
		memcpy(in + i, "&lt;", 4);
	r = norm(&o, in, MB);
	ck_assert_int_eq(r.rc, SACH_OK);
	ck_assert_uint_eq(r.len, MB / 4);
	ck_assert_uint_eq(r.c.entities, MB / 4);
	for (i = 0; i < r.len; i++)
		th_check(r.out[i] == '<', "byte %zu is not '<'", i);
	free(r.out);
	free(in);
}
END_TEST

START_TEST(normalise_long_nfc_expansion)
{
	/* NFC that grows: U+0958 (3 bytes) -> U+0915 U+093C (6 bytes), 1 MB. */
	sach_normalise_options o = defaults();
	char *in, *want;
	size_t in_len, want_len, reps;
	struct res r;

	reps = fill_repeat(&in, &in_len, S("\xE0\xA5\x98"), MB);
	fill_repeat(&want, &want_len, S("\xE0\xA4\x95\xE0\xA4\xBC"), reps * 6);
	r = norm(&o, in, in_len);
	ck_assert_int_eq(r.rc, SACH_OK);
	th_assert_bytes(r.out, r.len, want, want_len);
	check_counts(&r.c, "nf_lines=1", "1 MB of U+0958");
	free(r.out);
	free(in);
	free(want);
}
END_TEST

Suite *sach_normalise_suite(void);

Suite *sach_normalise_suite(void)
{
	Suite *s = suite_create("normalise");
	TCase *api = tcase_create("api");
	TCase *opt = tcase_create("options");
	TCase *viet = tcase_create("viet");
	TCase *idem = tcase_create("idempotence");
	TCase *stress_tc = tcase_create("stress");
	TCase *lng = tcase_create("long");

	tcase_add_test(api, normalise_options_defaults);
	tcase_add_test(api, normalise_options_invalid);
	tcase_add_test(api, normalise_count_names);
	tcase_add_test(api, normalise_counts_array_and_add);
	tcase_add_test(api, normalise_counts_accumulate);
	tcase_add_test(api, normalise_unchanged_same_pointer);
	tcase_add_test(api, normalise_changed_new_pointer);
	suite_add_tcase(s, api);

	tcase_add_test(opt, normalise_entities_all);
	tcase_add_test(opt, normalise_entities_numeric);
	tcase_add_test(opt, normalise_entities_none);
	tcase_add_test(opt, normalise_entities_double_encoded);
	tcase_add_test(opt, normalise_entities_exposed_by_removal);
	tcase_add_test(opt, normalise_entities_to_whitespace_and_controls);
	tcase_add_test(opt, normalise_entities_combining_marks);
	tcase_add_test(opt, normalise_controls);
	tcase_add_test(opt, normalise_controls_spare_tab_lf_cr);
	tcase_add_test(opt, normalise_invisible);
	tcase_add_test(opt, normalise_joiner_between_latin_removed);
	tcase_add_test(opt, normalise_joiner_run_between_latin);
	tcase_add_test(opt, normalise_joiner_emoji_kept);
	tcase_add_test(opt, normalise_joiner_indic_kept);
	tcase_add_test(opt, normalise_joiner_option_off);
	tcase_add_test(opt, normalise_soft_hyphen_untouched);
	tcase_add_test(opt, normalise_spaces_mapped);
	tcase_add_test(opt, normalise_spaces_not_mapped);
	tcase_add_test(opt, normalise_collapse);
	tcase_add_test(opt, normalise_trim);
	tcase_add_test(opt, normalise_trim_blank_ends);
	tcase_add_test(opt, normalise_newlines_unified);
	tcase_add_test(opt, normalise_newlines_kept);
	tcase_add_test(opt, normalise_newlines_kept_nfc_lines);
	tcase_add_test(opt, normalise_max_blank_lines);
	tcase_add_test(opt, normalise_single_line);
	tcase_add_test(opt, normalise_fold_fullwidth);
	tcase_add_test(opt, normalise_nfc_nfd_vietnamese);
	tcase_add_test(opt, normalise_nfc_cp1258_style);
	tcase_add_test(opt, normalise_nfc_singletons_and_order);
	tcase_add_test(opt, normalise_nfkc);
	tcase_add_test(opt, normalise_nfkc_latin1_and_latin_ext);
	tcase_add_test(opt, normalise_nfkc_inside_plain_run);
	tcase_add_test(opt, normalise_utf8_repaired);
	tcase_add_test(opt, normalise_reject_invalid_utf8);
	suite_add_tcase(s, opt);

	tcase_add_test(viet, normalise_viet_mark_repairs);
	tcase_add_test(viet, normalise_viet_tones_fixed);
	tcase_add_test(viet, normalise_viet_tone_style);
	tcase_add_test(viet, normalise_viet_text_counters);
	tcase_add_test(viet, normalise_viet_ambiguous_tones);
	tcase_add_test(viet, normalise_input_encoding);
	tcase_add_test(viet, normalise_legacy_unmapped);
	suite_add_tcase(s, viet);

	tcase_add_test(idem, normalise_idempotent_table);
	tcase_add_test(idem, normalise_idempotent_deep_entities);
	suite_add_tcase(s, idem);

	tcase_set_timeout(stress_tc, 120);
	tcase_add_test(stress_tc, normalise_stress_default);
	tcase_add_test(stress_tc, normalise_stress_nfkc_fullwidth);
	tcase_add_test(stress_tc, normalise_stress_no_trim_no_collapse);
	tcase_add_test(stress_tc, normalise_stress_single_line);
	tcase_add_test(stress_tc, normalise_stress_keep_breaks_and_spaces);
	tcase_add_test(stress_tc, normalise_stress_numeric_no_nf);
	tcase_add_test(stress_tc, normalise_stress_no_blank_no_entities);
	tcase_add_test(stress_tc, normalise_stress_viet_nfkc_new_style);
	tcase_add_test(stress_tc, normalise_stress_keep_breaks);
	suite_add_tcase(s, stress_tc);

	tcase_set_timeout(lng, 120);
	tcase_add_test(lng, normalise_long_multiline);
	tcase_add_test(lng, normalise_long_single_line_nfd);
	tcase_add_test(lng, normalise_long_growth);
	tcase_add_test(lng, normalise_long_nfc_expansion);
	suite_add_tcase(s, lng);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_normalise_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

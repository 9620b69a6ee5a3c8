/*
 * check_repair.c - unit tests for the repair module (lib/repair.c).
 *
 * - every mojibake path of sach/repair.h, made from phrases written for this
 *   test with sach_legacy_mojibake() / sach_legacy_encode(), is repaired
 *   exactly (TCVN3: exactly to what TCVN3 can hold, i.e. its capital toned
 *   letters in lowercase, since TCVN3 has none);
 * - clean Vietnamese, English, French, German, Danish, code, JSON and text
 *   with legitimate Latin-1 accents are left byte for byte;
 * - a document that mixes clean and broken lines is repaired line by line;
 * - reference suites, run when the directories exist and reported as
 *   "skipped" otherwise:
 *   $SACH_SHARED_REFERENCE/ref_mojibake_vectors.tsv: every mojibake row is
 *     repaired exactly;
 *   $SACH_SHARED_CORPORA/{ud-vtb,binhvq-sample}.jsonl.zst: every document,
 *     NFC, turned into each mojibake path and repaired; the exact-restore
 *     share per path is printed and must be >= 99 %;
 *   $SACH_SHARED_CORPORA/{viwiki (first 2000 documents),vlc-law}.jsonl.zst:
 *     clean text; the documents sach_repair_auto() changes are counted,
 *     printed with their ids, and must be at most RP_MAX_CLEAN_CHANGED.
 *
 * The source is ASCII: Vietnamese text is written as UTF-8 \x escapes with
 * the text in VIQR (RFC 1456) in a comment; other accented text names its
 * characters in the comment.
 */
#include "sach/error.h"
#include "sach/io.h"
#include "sach/legacy.h"
#include "sach/repair.h"
#include "sach/unicode.h"

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* At most this many clean reference documents may be changed (target 0). */
#define RP_MAX_CLEAN_CHANGED 2
/* Required exact-restore share per path on the reference corpora. */
#define RP_MIN_RESTORE 0.99

/* Phrases written for this test. */
static const char *const phrases[] = {
	/* Sa'ng nay me. to^i ddi cho+. mua rau ca?i va` ma^'y qua? cam. */
	"S\xC3\xA1ng nay m\xE1\xBA\xB9 t\xC3\xB4i \xC4\x91i ch\xE1\xBB\xA3 mua rau c\xE1\xBA\xA3i v\xC3\xA0 m\xE1\xBA\xA5y qu\xE1\xBA\xA3 cam.",
	/* Nhu+~ng con ddu+o+`ng nho? o+? que^ ngoa.i luo^n ro+.p bo'ng tre xanh. */
	"Nh\xE1\xBB\xAFng con \xC4\x91\xC6\xB0\xE1\xBB\x9Dng nh\xE1\xBB\x8F \xE1\xBB\x9F qu\xC3\xAA ngo\xE1\xBA\xA1i lu\xC3\xB4n r\xE1\xBB\xA3p b\xC3\xB3ng tre xanh.",
	/* Ho.c sinh lo+'p na(m ddu+o+.c nghi? he` so+'m ho+n du+. kie^'n. */
	"H\xE1\xBB\x8D" "c sinh l\xE1\xBB\x9Bp n\xC4\x83m \xC4\x91\xC6\xB0\xE1\xBB\xA3" "c ngh\xE1\xBB\x89 h\xC3\xA8 s\xE1\xBB\x9Bm h\xC6\xA1n d\xE1\xBB\xB1 ki\xE1\xBA\xBFn.",
	/* O^ng ba` no^.i so^'ng cu`ng chu'ng to^i trong ca(n nha` go^~ cu~. */
	"\xC3\x94ng b\xC3\xA0 n\xE1\xBB\x99i s\xE1\xBB\x91ng c\xC3\xB9ng ch\xC3\xBAng t\xC3\xB4i trong c\xC4\x83n nh\xC3\xA0 g\xE1\xBB\x97 c\xC5\xA9.",
	/* DDA` LA.T MU`A THU: su+o+ng mu`, hoa da~ quy` va` ly ca` phe^ no'ng. */
	"\xC4\x90\xC3\x80 L\xE1\xBA\xA0T M\xC3\x99" "A THU: s\xC6\xB0\xC6\xA1ng m\xC3\xB9, hoa d\xC3\xA3 qu\xE1\xBB\xB3 v\xC3\xA0 ly c\xC3\xA0 ph\xC3\xAA n\xC3\xB3ng.",
	/* Chie^'c thuye^`n nan tro^i cha^.m giu+~a do`ng so^ng Hu+o+ng, gio' tho^?i nhe.. */
	"Chi\xE1\xBA\xBF" "c thuy\xE1\xBB\x81n nan tr\xC3\xB4i ch\xE1\xBA\xADm gi\xE1\xBB\xAF" "a d\xC3\xB2ng s\xC3\xB4ng H\xC6\xB0\xC6\xA1ng, gi\xC3\xB3 th\xE1\xBB\x95i nh\xE1\xBA\xB9.",
};
#define NPHRASES (sizeof(phrases) / sizeof(phrases[0]))

/* One way of breaking text. */
struct rp_path {
	const char *name;
	sach_encoding source;
	sach_encoding seen_as;   /* SACH_ENC_UTF8: raw bytes (not UTF-8) */
	int rounds;              /* 2: UTF-8 read wrongly twice */
};

static const struct rp_path paths[] = {
	{ "utf-8 as cp1252", SACH_ENC_UTF8, SACH_ENC_CP1252, 1 },
	{ "utf-8 as latin1", SACH_ENC_UTF8, SACH_ENC_LATIN1, 1 },
	{ "utf-8 as cp1252 twice", SACH_ENC_UTF8, SACH_ENC_CP1252, 2 },
	{ "utf-8 as latin1 twice", SACH_ENC_UTF8, SACH_ENC_LATIN1, 2 },
	{ "tcvn3 as cp1252", SACH_ENC_TCVN3, SACH_ENC_CP1252, 1 },
	{ "vni as cp1252", SACH_ENC_VNI, SACH_ENC_CP1252, 1 },
	{ "viscii as cp1252", SACH_ENC_VISCII, SACH_ENC_CP1252, 1 },
	{ "vps as cp1252", SACH_ENC_VPS, SACH_ENC_CP1252, 1 },
	{ "cp1258 as cp1252", SACH_ENC_CP1258, SACH_ENC_CP1252, 1 },
	{ "tcvn3 as latin1", SACH_ENC_TCVN3, SACH_ENC_LATIN1, 1 },
	{ "vni as latin1", SACH_ENC_VNI, SACH_ENC_LATIN1, 1 },
	{ "tcvn3 raw", SACH_ENC_TCVN3, SACH_ENC_UTF8, 1 },
	{ "vni raw", SACH_ENC_VNI, SACH_ENC_UTF8, 1 },
	{ "viscii raw", SACH_ENC_VISCII, SACH_ENC_UTF8, 1 },
	{ "vps raw", SACH_ENC_VPS, SACH_ENC_UTF8, 1 },
	{ "cp1258 raw", SACH_ENC_CP1258, SACH_ENC_UTF8, 1 },
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

/* Printable rendering for failure messages (static buffers, cut). */
static const char *show(const char *s, size_t len)
{
	static char bufs[4][700];
	static int next;
	char *out = bufs[next++ & 3];
	size_t i, o = 0;

	for (i = 0; i < len && o + 8 < sizeof(bufs[0]); i++) {
		unsigned char b = (unsigned char)s[i];

		if (b >= 0x20 && b < 0x7F && b != '\\')
			out[o++] = (char)b;
		else
			o += (size_t)snprintf(out + o, sizeof(bufs[0]) - o, "\\x%02X", b);
	}
	out[o] = '\0';
	return out;
}

/* Breaks `text` along path p into *bad; the text a perfect repair gives
 * back goes to *want. */
static void make_broken(const struct rp_path *p, const char *text, size_t len,
			sach_buf *bad, sach_buf *want)
{
	sach_buf tmp = {0};

	sach_buf_clear(bad);
	sach_buf_clear(want);
	if (p->seen_as == SACH_ENC_UTF8) {
		ck_assert_int_eq(sach_legacy_encode(p->source, text, len, bad, NULL), 0);
	} else {
		ck_assert_int_eq(sach_legacy_mojibake(p->source, p->seen_as, text,
						      len, bad), 0);
		if (p->rounds == 2) {
			ck_assert_int_eq(sach_legacy_mojibake(SACH_ENC_UTF8, p->seen_as,
							      bad->ptr, bad->len, &tmp), 0);
			sach_buf_clear(bad);
			ck_assert_int_eq(sach_buf_append(bad, tmp.ptr, tmp.len), 0);
		}
	}
	if (p->source == SACH_ENC_UTF8) {
		ck_assert_int_eq(sach_buf_append(want, text, len), 0);
	} else {
		/* what the source encoding can hold: TCVN3 has no capital
		 * toned letters, characters outside an encoding become '?' */
		sach_buf_clear(&tmp);
		ck_assert_int_eq(sach_legacy_encode(p->source, text, len, &tmp, NULL), 0);
		ck_assert_int_eq(sach_legacy_decode(p->source, tmp.ptr, tmp.len, want,
						    NULL), 0);
	}
	sach_buf_free(&tmp);
}

static void assert_unchanged(const char *text, size_t len)
{
	sach_buf out = {0};
	sach_repair_result res;
	int rc = sach_repair_auto(text, len, &out, &res);

	ck_assert_msg(rc == 0 && out.len == len && memcmp(out.ptr, text, len) == 0,
		      "changed (rc %d, source %s): [%s] -> [%s]", rc,
		      sach_encoding_name(res.source), show(text, len),
		      show(out.ptr, out.len));
	ck_assert_uint_eq(res.lines_repaired, 0);
	ck_assert_int_eq(res.rounds, 0);
	sach_buf_free(&out);
}

/* ------------------------------------------------------------- tests */

START_TEST(test_api)
{
	sach_buf out = {0};
	sach_repair_result res;
	sach_buf bad = {0};

	ck_assert_int_eq(sach_repair_auto("x", 1, NULL, &res), SACH_EINVAL);
	ck_assert_int_eq(sach_repair_auto(NULL, 3, &out, &res), SACH_EINVAL);
	ck_assert_int_eq(sach_repair_auto(NULL, 0, &out, &res), 0);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_int_eq(sach_repair_auto("", 0, &out, NULL), 0);
	ck_assert_uint_eq(out.len, 0);
	/* clean text: a copy, scores not measured */
	ck_assert_int_eq(sach_repair_auto("plain text", 10, &out, &res), 0);
	ck_assert_str_eq(out.ptr, "plain text");
	ck_assert(res.score_before < 0 && res.score_after < 0);
	/* output is appended */
	ck_assert_int_eq(sach_legacy_mojibake(SACH_ENC_UTF8, SACH_ENC_CP1252,
					      phrases[0], strlen(phrases[0]), &bad), 0);
	ck_assert_int_eq(sach_repair_auto(bad.ptr, bad.len, &out, &res), 1);
	ck_assert_uint_eq(out.len, 10 + strlen(phrases[0]));
	ck_assert(memcmp(out.ptr, "plain text", 10) == 0);
	ck_assert(memcmp(out.ptr + 10, phrases[0], strlen(phrases[0])) == 0);
	ck_assert(res.score_after > res.score_before);
	ck_assert(res.score_after >= 0.8);
	sach_buf_free(&out);
	sach_buf_free(&bad);
}
END_TEST

/* Every path, every phrase, alone and as one multi-line document. */
START_TEST(test_paths)
{
	const struct rp_path *p = &paths[_i];
	sach_buf doc = {0}, bad = {0}, want = {0}, out = {0};
	sach_repair_result res;
	size_t k;

	for (k = 0; k <= NPHRASES; k++) {
		const char *text;
		size_t len;
		int rc;

		if (k < NPHRASES) {
			text = phrases[k];
			len = strlen(text);
		} else {
			size_t j;

			for (j = 0; j < NPHRASES; j++) {
				ck_assert_int_eq(sach_buf_puts(&doc, phrases[j]), 0);
				ck_assert_int_eq(sach_buf_puts(&doc, "\n"), 0);
			}
			text = doc.ptr;
			len = doc.len;
		}
		make_broken(p, text, len, &bad, &want);
		sach_buf_clear(&out);
		rc = sach_repair_auto(bad.ptr, bad.len, &out, &res);
		ck_assert_msg(rc == 1 && out.len == want.len &&
			      memcmp(out.ptr, want.ptr, want.len) == 0,
			      "%s, phrase %zu: rc %d\n in   [%s]\n got  [%s]\n want [%s]",
			      p->name, k, rc, show(bad.ptr, bad.len),
			      show(out.ptr, out.len), show(want.ptr, want.len));
		ck_assert_int_eq(res.source, p->source);
		if (p->seen_as != SACH_ENC_UTF8 && p->source != SACH_ENC_UTF8 &&
		    p->seen_as == SACH_ENC_LATIN1) {
			/* legacy bytes read as Latin-1 show as windows-1252
			 * too unless a byte 0x80-0x9F was used */
			ck_assert(res.seen_as == SACH_ENC_LATIN1 ||
				  res.seen_as == SACH_ENC_CP1252);
		} else {
			ck_assert_msg(res.seen_as == p->seen_as, "%s: seen_as %s",
				      p->name, sach_encoding_name(res.seen_as));
		}
		ck_assert_int_eq(res.rounds, p->rounds);
		ck_assert_uint_eq(res.lines_repaired, k < NPHRASES ? 1 : NPHRASES);
		ck_assert(res.score_after > res.score_before);
	}
	sach_buf_free(&doc);
	sach_buf_free(&bad);
	sach_buf_free(&want);
	sach_buf_free(&out);
}
END_TEST

/* VIQR: a paragraph written with the encoder is decoded back. */
START_TEST(test_viqr)
{
	sach_buf doc = {0}, bad = {0}, out = {0};
	sach_repair_result res;
	size_t j;

	for (j = 0; j < 4; j++) {
		ck_assert_int_eq(sach_buf_puts(&doc, phrases[j]), 0);
		ck_assert_int_eq(sach_buf_puts(&doc, "\n"), 0);
	}
	ck_assert_int_eq(sach_legacy_encode(SACH_ENC_VIQR, doc.ptr, doc.len, &bad,
					    NULL), 0);
	ck_assert_int_eq(sach_repair_auto(bad.ptr, bad.len, &out, &res), 1);
	ck_assert_msg(out.len == doc.len && memcmp(out.ptr, doc.ptr, doc.len) == 0,
		      "got [%s]", show(out.ptr, out.len));
	ck_assert_int_eq(res.source, SACH_ENC_VIQR);
	ck_assert_int_eq(res.seen_as, SACH_ENC_UTF8);
	ck_assert_uint_eq(res.lines_repaired, 4);
	sach_buf_free(&doc);
	sach_buf_free(&bad);
	sach_buf_free(&out);
}
END_TEST

/* Text that must come out byte for byte. */
static const char *const clean_texts[] = {
	/* Ba`i ba'o vie^'t: "Ha` No^.i mu`a thu" ra^'t dde.p; nhie^.t ddo^. 25
	 * degrees C, die^.n ti'ch 3 km squared. (curly quotes, degree sign,
	 * superscript two) */
	"B\xC3\xA0i b\xC3\xA1o vi\xE1\xBA\xBFt: \xE2\x80\x9CH\xC3\xA0 N\xE1\xBB\x99i m\xC3\xB9" "a thu\xE2\x80\x9D r\xE1\xBA\xA5t \xC4\x91\xE1\xBA\xB9p; nhi\xE1\xBB\x87t \xC4\x91\xE1\xBB\x99 25\xC2\xB0" "C, di\xE1\xBB\x87n t\xC3\xAD" "ch 3 km\xC2\xB2.",
	/* Vietnamese without diacritics */
	"Hom nay troi dep, chung toi di choi o cong vien gan nha.",
	/* Xin cha`o (only Latin-1 letters) */
	"Xin ch\xC3\xA0o c\xC3\xA1" "c b\xE1\xBA\xA1n",
	"The quick brown fox jumps over the lazy dog. You're sure it's Mary's? "
	"We've seen they'd done it, e.g. at 5 p.m. or i.e. later.",
	/* French: Ou (u grave) est la gare ? Je suis alle (e acute) au cafe
	 * (e acute) pres (e grave) de l'eglise (e acute), c'etait tres agreable */
	"O\xC3\xB9 est la gare ? Je suis all\xC3\xA9 au caf\xC3\xA9 pr\xC3\xA8s de l'\xC3\xA9glise, c'\xC3\xA9tait tr\xC3\xA8s agr\xC3\xA9" "able.",
	/* French alone: ou with u grave */
	"O\xC3\xB9 ?\nO\xC3\xB9 donc ?",
	/* A cafe (e acute) for the naive (i diaeresis): Dorde (capital eth, d
	 * stroke) met Zoe (e diaeresis) in Zurich (u diaeresis); senor Munoz
	 * (n tilde) paid 5 euro sign, em dash, uber (u diaeresis) cool. */
	"A caf\xC3\xA9 for the na\xC3\xAFve: \xC3\x90or\xC4\x91" "e met Zo\xC3\xAB in Z\xC3\xBCrich; se\xC3\xB1or Mu\xC3\xB1oz paid 5 \xE2\x82\xAC \xE2\x80\x94 \xC3\xBC" "ber cool.",
	/* German: Groessere (o diaeresis, sharp s) Strassen fuehren ueber die
	 * Bruecke nach Koeln */
	"Gr\xC3\xB6\xC3\x9F" "ere Stra\xC3\x9F" "en f\xC3\xBChren \xC3\xBC" "ber die Br\xC3\xBC" "cke nach K\xC3\xB6ln.",
	/* Danish: Min son (o slash) bor i Kobenhavn (o slash) og gar (a ring)
	 * pa (a ring) skole */
	"Min s\xC3\xB8n bor i K\xC3\xB8" "benhavn og g\xC3\xA5r p\xC3\xA5 skole.",
	"int main(void) {\n\tchar a = 'a', e = 'e', o = 'o';\n\tif (a+b > c) x = y^z;\n"
	"\treturn data.items[i] ? obj.value : 0; /* what? */\n}\n",
	"{\"id\": \"doc-1\", \"text\": \"caf\\u00e9\", \"tags\": [\"a.b\", \"e'x\"], \"n\": 3.5}",
	"https://www.example.com/path?a=1&b=2 and http://data.io/api.json",
	/* Latin-1 bytes that are not UTF-8: a Western text, not Vietnamese */
	"caf\xE9 na\xEFve Z\xFCrich se\xF1or",
};
#define NCLEAN (sizeof(clean_texts) / sizeof(clean_texts[0]))

START_TEST(test_clean_unchanged)
{
	size_t k;

	for (k = 0; k < NPHRASES; k++)
		assert_unchanged(phrases[k], strlen(phrases[k]));
	for (k = 0; k < NCLEAN; k++)
		assert_unchanged(clean_texts[k], strlen(clean_texts[k]));
}
END_TEST

/* A document of clean lines, UTF-8 mojibake lines and a TCVN3 line. */
START_TEST(test_mixed_lines)
{
	static const struct {
		int path;      /* index into paths[], or -1 for clean */
		const char *text;
	} lines[] = {
		{ -1, NULL },  /* phrases[0] */
		{ 0, NULL },   /* phrases[1], utf-8 as cp1252 */
		{ -1, "An English line in between, plain ASCII." },
		{ -1, NULL },  /* phrases[3] */
		{ 4, NULL },   /* phrases[2], tcvn3 as cp1252 */
		{ 0, NULL },   /* phrases[5] */
		{ -1, NULL },  /* phrases[4] */
	};
	static const int phrase_of[] = { 0, 1, -1, 3, 2, 5, 4 };
	sach_buf doc = {0}, want = {0}, bad = {0}, w = {0}, out = {0};
	sach_repair_result res;
	size_t k;

	for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
		const char *t = phrase_of[k] >= 0 ? phrases[phrase_of[k]] : lines[k].text;

		if (lines[k].path < 0) {
			ck_assert_int_eq(sach_buf_puts(&doc, t), 0);
			ck_assert_int_eq(sach_buf_puts(&want, t), 0);
		} else {
			make_broken(&paths[lines[k].path], t, strlen(t), &bad, &w);
			ck_assert_int_eq(sach_buf_append(&doc, bad.ptr, bad.len), 0);
			ck_assert_int_eq(sach_buf_append(&want, w.ptr, w.len), 0);
		}
		ck_assert_int_eq(sach_buf_puts(&doc, "\r\n"), 0);
		ck_assert_int_eq(sach_buf_puts(&want, "\r\n"), 0);
	}
	ck_assert_int_eq(sach_repair_auto(doc.ptr, doc.len, &out, &res), 1);
	ck_assert_msg(out.len == want.len && memcmp(out.ptr, want.ptr, want.len) == 0,
		      "\n got  [%s]\n want [%s]", show(out.ptr, out.len),
		      show(want.ptr, want.len));
	ck_assert_uint_eq(res.lines_repaired, 3);
	ck_assert_int_eq(res.source, SACH_ENC_UTF8);
	sach_buf_free(&doc);
	sach_buf_free(&want);
	sach_buf_free(&bad);
	sach_buf_free(&w);
	sach_buf_free(&out);
}
END_TEST

/* In a TCVN3 document a line that shows nothing odd on its own (Co^.ng:
 * C, e acute, n, g) is still decoded; the same line alone is not. */
START_TEST(test_document_path)
{
	/* Co^.ng */
	static const char word[] = "C\xE1\xBB\x99ng";
	sach_buf doc = {0}, want = {0}, bad = {0}, w = {0}, out = {0};
	size_t k;

	for (k = 0; k < 3; k++) {
		make_broken(&paths[4], phrases[k], strlen(phrases[k]), &bad, &w);
		ck_assert_int_eq(sach_buf_append(&doc, bad.ptr, bad.len), 0);
		ck_assert_int_eq(sach_buf_append(&want, w.ptr, w.len), 0);
		ck_assert_int_eq(sach_buf_puts(&doc, "\n"), 0);
		ck_assert_int_eq(sach_buf_puts(&want, "\n"), 0);
	}
	make_broken(&paths[4], word, strlen(word), &bad, &w);
	ck_assert_str_eq(bad.ptr, "C\xC3\xA9ng"); /* C, e acute, ng */
	assert_unchanged(bad.ptr, bad.len);
	ck_assert_int_eq(sach_buf_append(&doc, bad.ptr, bad.len), 0);
	ck_assert_int_eq(sach_buf_append(&want, w.ptr, w.len), 0);
	ck_assert_int_eq(sach_repair_auto(doc.ptr, doc.len, &out, NULL), 1);
	ck_assert_msg(out.len == want.len && memcmp(out.ptr, want.ptr, want.len) == 0,
		      "\n got  [%s]\n want [%s]", show(out.ptr, out.len),
		      show(want.ptr, want.len));
	sach_buf_free(&doc);
	sach_buf_free(&want);
	sach_buf_free(&bad);
	sach_buf_free(&w);
	sach_buf_free(&out);
}
END_TEST

/* UTF-8 mojibake next to characters windows-1252 cannot hold (a correct
 * u-horn, an emoji): the runs that form UTF-8 are repaired. */
START_TEST(test_utf8_partial)
{
	/* ngu+o+`i with the mojibake "ng" + A-tilde ... kept around a clean
	 * "Vie^.t" (e circumflex dot) and U+1F600 */
	sach_buf bad = {0}, out = {0}, want = {0};
	sach_repair_result res;
	const char *clean = "Vi\xE1\xBB\x87t \xF0\x9F\x98\x80 ";

	ck_assert_int_eq(sach_buf_puts(&bad, clean), 0);
	ck_assert_int_eq(sach_buf_puts(&want, clean), 0);
	ck_assert_int_eq(sach_legacy_mojibake(SACH_ENC_UTF8, SACH_ENC_CP1252,
					      phrases[1], strlen(phrases[1]), &bad), 0);
	ck_assert_int_eq(sach_buf_puts(&want, phrases[1]), 0);
	ck_assert_int_eq(sach_repair_auto(bad.ptr, bad.len, &out, &res), 1);
	ck_assert_msg(out.len == want.len && memcmp(out.ptr, want.ptr, want.len) == 0,
		      "\n got  [%s]\n want [%s]", show(out.ptr, out.len),
		      show(want.ptr, want.len));
	sach_buf_free(&bad);
	sach_buf_free(&out);
	sach_buf_free(&want);
}
END_TEST

/* ------------------------------------------------ reference suites */

static const char *shared_dir(const char *env)
{
	const char *d = getenv(env);
	struct stat st;

	if (!d || !*d || stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return d;
}

/* Appends the text of a Python repr string literal ('...' or "...") as
 * UTF-8: \xHH, \uHHHH, \\ \' \" \n \t escapes. */
static void unrepr(const char *s, size_t len, sach_buf *out)
{
	size_t i;
	char q;

	ck_assert(len >= 2);
	q = s[0];
	ck_assert(q == '\'' || q == '"');
	ck_assert(s[len - 1] == q);
	for (i = 1; i + 1 < len; i++) {
		uint32_t cp = (unsigned char)s[i];
		char u[4];

		if (s[i] == '\\') {
			char e = s[++i];

			if (e == 'x' || e == 'u') {
				int nd = e == 'x' ? 2 : 4, d;
				char hex[5] = {0};

				memcpy(hex, s + i + 1, (size_t)nd);
				cp = (uint32_t)strtoul(hex, NULL, 16);
				i += (size_t)nd;
				d = (int)sach_utf8_encode(cp, u);
				ck_assert_int_eq(sach_buf_append(out, u, (size_t)d), 0);
				continue;
			}
			cp = e == 'n' ? '\n' : e == 't' ? '\t' : (unsigned char)e;
		}
		if (cp < 0x80) {
			char c = (char)cp;

			ck_assert_int_eq(sach_buf_append(out, &c, 1), 0);
		} else {
			/* raw UTF-8 byte of the file: copy */
			ck_assert_int_eq(sach_buf_append(out, &s[i], 1), 0);
		}
	}
}

START_TEST(test_ref_vectors)
{
	const char *dir = shared_dir("SACH_SHARED_REFERENCE");
	char path[4096], line[4096];
	sach_buf bad = {0}, out = {0};
	int rows = 0;
	FILE *f;

	if (!dir) {
		printf("repair vectors: skipped (SACH_SHARED_REFERENCE unset or missing)\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/ref_mojibake_vectors.tsv", dir);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *col[4], *p = line;
		size_t n = strlen(line), want_len;
		int k;

		if (line[0] == '#' || n < 3)
			continue;
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		for (k = 0; k < 4; k++) {
			col[k] = p;
			p = strchr(p, '\t');
			if (k < 3) {
				ck_assert_ptr_nonnull(p);
				*p++ = '\0';
			}
		}
		if (strcmp(col[0], "NCR-dec") == 0 || strcmp(col[0], "NFD") == 0)
			continue;  /* not mojibake: the normaliser's business */
		sach_buf_clear(&bad);
		sach_buf_clear(&out);
		unrepr(col[2], strlen(col[2]), &bad);
		want_len = strlen(col[3]);
		ck_assert_msg(sach_repair_auto(bad.ptr, bad.len, &out, NULL) == 1,
			      "%s/%s: not repaired: [%s]", col[0], col[1],
			      show(bad.ptr, bad.len));
		ck_assert_msg(out.len == want_len && memcmp(out.ptr, col[3], want_len) == 0,
			      "%s/%s: got [%s] want [%s]", col[0], col[1],
			      show(out.ptr, out.len), show(col[3], want_len));
		rows++;
	}
	fclose(f);
	printf("repair vectors: %d mojibake rows repaired exactly\n", rows);
	ck_assert_int_ge(rows, 35);
	sach_buf_free(&bad);
	sach_buf_free(&out);
}
END_TEST

START_TEST(test_ref_corpora_paths)
{
	static const char *const files[] = { "ud-vtb.jsonl.zst", "binhvq-sample.jsonl.zst" };
	const char *dir = shared_dir("SACH_SHARED_CORPORA");
	size_t ok[NPATHS] = {0}, total = 0, k;
	sach_buf nfc = {0}, bad = {0}, want = {0}, out = {0};
	size_t fi;

	if (!dir) {
		printf("repair corpora round trip: skipped (SACH_SHARED_CORPORA unset or missing)\n");
		return;
	}
	for (fi = 0; fi < 2; fi++) {
		sach_reader_options ro = SACH_READER_OPTIONS_INIT;
		sach_reader *r;
		sach_doc *d;
		char path[4096];
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dir, files[fi]);
		ck_assert_int_eq(sach_reader_open(&r, path, &ro), 0);
		while ((rc = sach_reader_next(r, &d)) != 0) {
			size_t len;
			const char *t;

			if (rc < 0)
				continue;
			t = sach_doc_text(d, &len);
			sach_buf_clear(&nfc);
			ck_assert_int_eq(sach_unicode_normalize(t, len, SACH_NF_NFC, &nfc,
								NULL), 0);
			total++;
			for (k = 0; k < NPATHS; k++) {
				make_broken(&paths[k], nfc.ptr, nfc.len, &bad, &want);
				sach_buf_clear(&out);
				ck_assert_int_ge(sach_repair_auto(bad.ptr, bad.len, &out,
								  NULL), 0);
				if (out.len == want.len &&
				    memcmp(out.ptr, want.ptr, want.len) == 0)
					ok[k]++;
			}
		}
		sach_reader_close(r);
	}
	printf("repair corpora round trip (ud-vtb + binhvq-sample, %zu documents, "
	       "exact restore; tcvn3 against what tcvn3 holds):\n", total);
	for (k = 0; k < NPATHS; k++)
		printf("  %-22s %6zu/%zu  %6.2f %%\n", paths[k].name, ok[k], total,
		       100.0 * (double)ok[k] / (double)total);
	for (k = 0; k < NPATHS; k++)
		ck_assert_msg((double)ok[k] >= RP_MIN_RESTORE * (double)total,
			      "%s: %zu/%zu restored", paths[k].name, ok[k], total);
	sach_buf_free(&nfc);
	sach_buf_free(&bad);
	sach_buf_free(&want);
	sach_buf_free(&out);
}
END_TEST

START_TEST(test_ref_corpora_clean)
{
	static const struct { const char *file; size_t cap; } files[] = {
		{ "viwiki.jsonl.zst", 2000 }, { "vlc-law.jsonl.zst", (size_t)-1 },
	};
	const char *dir = shared_dir("SACH_SHARED_CORPORA");
	sach_buf out = {0};
	size_t fi;

	if (!dir) {
		printf("repair clean corpora: skipped (SACH_SHARED_CORPORA unset or missing)\n");
		return;
	}
	for (fi = 0; fi < 2; fi++) {
		sach_reader_options ro = SACH_READER_OPTIONS_INIT;
		sach_reader *r;
		sach_doc *d;
		char path[4096];
		size_t docs = 0, changed = 0;
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dir, files[fi].file);
		ck_assert_int_eq(sach_reader_open(&r, path, &ro), 0);
		while (docs < files[fi].cap && (rc = sach_reader_next(r, &d)) != 0) {
			size_t len;
			const char *t;

			if (rc < 0)
				continue;
			t = sach_doc_text(d, &len);
			docs++;
			sach_buf_clear(&out);
			rc = sach_repair_auto(t, len, &out, NULL);
			ck_assert_int_ge(rc, 0);
			if (rc != 0 || out.len != len || memcmp(out.ptr, t, len) != 0) {
				changed++;
				printf("  changed: %s\n", sach_doc_id(d));
			}
		}
		sach_reader_close(r);
		printf("repair clean corpora: %s: %zu of %zu documents changed "
		       "(allowed %d)\n", files[fi].file, changed, docs,
		       RP_MAX_CLEAN_CHANGED);
		ck_assert_uint_le(changed, RP_MAX_CLEAN_CHANGED);
	}
	sach_buf_free(&out);
}
END_TEST

Suite *sach_repair_suite(void)
{
	Suite *s = suite_create("repair");
	TCase *tc = tcase_create("core");
	TCase *ref = tcase_create("reference");

	tcase_add_test(tc, test_api);
	tcase_add_loop_test(tc, test_paths, 0, (int)NPATHS);
	tcase_add_test(tc, test_viqr);
	tcase_add_test(tc, test_clean_unchanged);
	tcase_add_test(tc, test_mixed_lines);
	tcase_add_test(tc, test_document_path);
	tcase_add_test(tc, test_utf8_partial);
	suite_add_tcase(s, tc);
	tcase_set_timeout(ref, 900);
	tcase_add_test(ref, test_ref_vectors);
	tcase_add_test(ref, test_ref_corpora_paths);
	tcase_add_test(ref, test_ref_corpora_clean);
	suite_add_tcase(s, ref);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_repair_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

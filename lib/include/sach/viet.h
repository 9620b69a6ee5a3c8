/*
 * sach/viet.h - Vietnamese orthography: syllable parsing and validity, tone
 * mark placement (old style: mark on the o of "hoa"; new style: on the a),
 * pre-NFC repairs of combining marks and lookalike letters, and fold keys
 * for deduplication.
 *
 * Input is UTF-8. The syllable functions expect NFC (the form the unicode
 * module produces); sach_viet_repair_marks() is the one function meant for
 * text before NFC. Nothing here needs ICU: the module decodes UTF-8 itself
 * and only knows the Vietnamese letters (ASCII a-z, d-stroke and the 134
 * precomposed letters of U+00C0-U+01B0 and U+1EA0-U+1EF9). Invalid UTF-8 is
 * never an error here: such bytes are not letters and are copied unchanged.
 *
 * Reference: VIETNAMESE.md sections 1 and 3 (shared/reference).
 *
 * Letter tokens. The text functions split text into tokens = maximal runs
 * of letters (Latin, Greek, Cyrillic and IPA letters and combining marks);
 * an apostrophe (U+0027 or U+2019) between two letters stays inside the
 * token (H'Mong). Everything outside tokens is copied byte for byte.
 *
 * Outputs: every function that writes text APPENDS to a caller-owned
 * sach_buf (see sach/common.h); clear it first if needed. Nothing else is
 * allocated. All functions are thread-safe (no global mutable state).
 */
#ifndef SACH_VIET_H
#define SACH_VIET_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The six tones, in the traditional order. */
typedef enum sach_tone {
	SACH_TONE_LEVEL = 0, /* ngang: no mark */
	SACH_TONE_GRAVE = 1, /* huyen: U+0300 */
	SACH_TONE_ACUTE = 2, /* sac:   U+0301 */
	SACH_TONE_HOOK = 3,  /* hoi:   U+0309 */
	SACH_TONE_TILDE = 4, /* nga:   U+0303 */
	SACH_TONE_DOT = 5    /* nang:  U+0323 */
} sach_tone;

/** Where a tone mark goes in open oa/oe/uy syllables (the only difference). */
typedef enum sach_tone_style {
	SACH_TONE_STYLE_KEEP = 0, /* keep the writer's style; only fix errors */
	SACH_TONE_STYLE_OLD = 1,  /* dau cu: hoa with the mark on o, thuy on u */
	SACH_TONE_STYLE_NEW = 2   /* dau moi (2018 rule): mark on a, y, e */
} sach_tone_style;

/** Letter case of a token (non-letters such as an apostrophe are ignored). */
typedef enum sach_viet_case {
	SACH_CASE_LOWER = 0, /* all lowercase */
	SACH_CASE_TITLE = 1, /* first letter capital, rest lowercase; also a
	                        lone capital letter */
	SACH_CASE_UPPER = 2, /* two or more letters, all capitals */
	SACH_CASE_MIXED = 3  /* anything else (hOa, iPhone) */
} sach_viet_case;

/* sach_syllable.flags */
#define SACH_SYL_WELL_FORMED 0x0001u /* by the rules of 3.1, or whitelisted */
#define SACH_SYL_PARSED 0x0002u      /* split into onset/medial/nucleus/coda */
#define SACH_SYL_WHITELISTED 0x0004u /* accepted through the whitelist only */
#define SACH_SYL_DIACRITIC 0x0008u   /* has a letter outside ASCII */
#define SACH_SYL_MISPLACED 0x0010u   /* the tone mark sits on a letter where
                                        neither style puts it (bai with the
                                        mark on i) */
#define SACH_SYL_DOUBLED 0x0020u     /* the same tone mark on two letters */
#define SACH_SYL_CONFLICT 0x0040u    /* two different tone marks: not fixable */
#define SACH_SYL_OLD_STYLE 0x0080u   /* open oa/oe/uy, mark on the first vowel */
#define SACH_SYL_NEW_STYLE 0x0100u   /* open oa/oe/uy, mark on the second */
#define SACH_SYL_FOREIGN 0x0200u     /* has a letter that is not Vietnamese */

/** The longest token (in letters) the syllable functions look into. */
#define SACH_VIET_MAX_LETTERS 12

/**
 * One parsed letter token. The parts are lowercase NFC UTF-8 without the
 * tone mark, as in VIETNAMESE.md 3.6: "gin" with a grave gives onset "gi",
 * nucleus "i", coda "n"; "quy" gives onset "qu", nucleus "y"; "hoa" gives
 * onset "h", medial "o", nucleus "a". The nucleus holds the main vowel and
 * any written off-glide ("ai", "uoi" with horns, "yeu" with circumflex).
 * Parts are empty strings unless SACH_SYL_PARSED is set.
 */
typedef struct sach_syllable {
	unsigned flags;          /* SACH_SYL_* */
	sach_tone tone;          /* the tone (the first mark on a conflict) */
	sach_viet_case letter_case;
	char onset[4];           /* "", "b", ..., "ngh", "gi", "qu", d-stroke */
	char medial[2];          /* "", "o" or "u" */
	char nucleus[8];         /* 1 to 3 vowels */
	char coda[3];            /* "", "c", "ch", "m", "n", "ng", "nh", "p", "t" */
	int nchars;              /* characters in the token (letters and
	                            apostrophes); 0 if over SACH_VIET_MAX_LETTERS */
	int tone_at;             /* character index of the first tone mark, or -1 */
	int tone_old;            /* character index of the mark in OLD style,
	                            -1 if not parsed */
	int tone_new;            /* same for NEW style */
	const char *problem;     /* static English reason when not well-formed
	                            ("c, ch, p, t codas take only sac or nang"),
	                            "" when well-formed */
} sach_syllable;

/**
 * Per-text counters filled by sach_viet_retone_text(). Counters are added
 * to, so one struct can accumulate over many texts: zero it before first use.
 */
typedef struct sach_viet_counts {
	size_t syllables;   /* letter tokens */
	size_t well_formed; /* tokens that are well-formed syllables (incl. whitelisted) */
	size_t whitelisted; /* of those, accepted through the whitelist only */
	size_t diacritics;  /* tokens with at least one non-ASCII letter */
	size_t old_style;   /* open oa/oe/uy with the mark on the first vowel */
	size_t new_style;   /* open oa/oe/uy with the mark on the second vowel */
	size_t misplaced;   /* marks on a wrong letter or doubled (fixable) */
	size_t ambiguous;   /* two different tone marks: left unchanged */
	size_t retoned;     /* tokens the function rewrote */
} sach_viet_counts;

/**
 * Parses one letter token `tok` (`len` bytes of NFC UTF-8, no surrounding
 * spaces) into *out. The token is matched against the syllable template
 * (onset, medial o/u, nucleus, coda, tone) and the rules of VIETNAMESE.md
 * 3.1: k/gh/ngh only before e, e-circumflex, i, y; c/g/ng never before e,
 * e-circumflex, i; gi and qu act as onsets (gi+i merges: "gi", "gin" with a
 * mark); qu never before o/u; allowed nucleus + coda pairs; vowels that need
 * a coda; codas c/ch/p/t take only the acute or dot tone; no medial o/u
 * after b, m, p, ph, v. Tokens the rules reject are accepted when listed in
 * the compiled-in whitelist (lib/data/viet-whitelist.txt). A misplaced or
 * doubled mark does not make a syllable malformed (see the flags); two
 * different marks do.
 *
 * Returns 1 if well-formed, 0 if not (out->problem says why), or
 * SACH_EINVAL if tok or out is NULL.
 */
SACH_API int sach_viet_parse(const char *tok, size_t len, sach_syllable *out);

/**
 * Re-places the tone mark of one letter token and appends the result to
 * `out`. Under every style a misplaced mark (bai with the mark on i) or a
 * doubled one (the same mark on two letters) is moved to the one right
 * place; OLD and NEW also move the mark in open oa/oe/uy syllables. Letter
 * case stays with each position (HOA, Hoa, hOa keep their capitals); i and
 * y are never exchanged. Tokens that are not well-formed Vietnamese, or
 * whitelisted, or carry two different marks, are appended unchanged.
 * *changed (may be NULL) is set to 1 if the output differs from the input,
 * else 0.
 *
 * Returns 0, SACH_EINVAL (NULL tok or out, or a bad style) or SACH_ENOMEM.
 */
SACH_API int sach_viet_retone(const char *tok, size_t len,
			      sach_tone_style style, sach_buf *out,
			      int *changed);

/**
 * Walks the letter tokens of `text` (`len` bytes of NFC UTF-8), re-places
 * tone marks as sach_viet_retone() does, and appends the result to `out`;
 * everything outside tokens is copied byte for byte. `counts` (may be NULL)
 * is added to.
 *
 * Returns 0, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_viet_retone_text(const char *text, size_t len,
				   sach_tone_style style, sach_buf *out,
				   sach_viet_counts *counts);

/**
 * Pre-NFC repairs of VIETNAMESE.md 1.1, appended to `out`; the caller then
 * applies NFC. Inside letter tokens:
 *  - in a run of combining marks after a vowel, circumflex, breve and horn
 *    (U+0302, U+0306, U+031B) are moved ahead of tone marks (U+0300,
 *    U+0301, U+0303, U+0309, U+0323, U+0340, U+0341); a precomposed toned
 *    vowel followed by such a mark is split so the mark comes first;
 *  - spacing tone characters right after a vowel that has no tone yet
 *    become combining: U+00B4, U+02CA, U+1FFD -> U+0301, U+02CB -> U+0300
 *    (U+0060 is left alone: 1.1 does not list it and code uses it);
 *  - caron U+030C and inverted breve U+0311 after a/A become breve U+0306,
 *    and U+01CE/U+01CD (a/A with caron) become U+0103/U+0102;
 *  - eth U+00D0/U+00F0 and African D U+0189/U+0256 become d-stroke
 *    (U+0110/U+0111) when every other letter of the token is Vietnamese and
 *    the eth starts the token or the token is all capitals (HDND);
 *  - Cyrillic and Greek lookalikes (Cyrillic a e o p c y x i and capitals
 *    A B E K M H O P C T X I; Greek alpha omicron rho and capitals) become
 *    Latin when the token also has Latin letters and every non-Latin letter
 *    in it is such a lookalike.
 * *repairs (may be NULL) is incremented once per changed character cluster.
 *
 * Returns 0, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_viet_repair_marks(const char *text, size_t len,
				    sach_buf *out, size_t *repairs);

/**
 * Appends a deduplication key for `text` (NFC UTF-8) to `out`: every
 * well-formed syllable gets its tone mark re-placed in OLD style (fixing
 * misplaced and doubled marks), a lone i/y nucleus of an open syllable
 * after a consonant onset other than qu (and gi) is folded to i (ly/li and
 * ky/ki with any tone fold together; quy and qui do NOT: VIETNAMESE.md 1.5),
 * ASCII and Vietnamese letters are lowercased, and whitespace runs (ASCII
 * and Unicode spaces) become one space, trimmed at both ends.
 *
 * Returns 0, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_viet_fold_key(const char *text, size_t len, sach_buf *out);

/**
 * Appends the diacritic-free skeleton of `text` to `out`: Vietnamese letters
 * lose tone and vowel marks, d-stroke becomes d, ASCII and Vietnamese letters
 * are lowercased, combining marks U+0300-U+036F are dropped; everything
 * else (whitespace included) is copied unchanged.
 *
 * Returns 0, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_viet_skeleton(const char *text, size_t len, sach_buf *out);

/** English name of a tone ("level", "grave", ...); "?" when out of range. */
SACH_API const char *sach_tone_name(sach_tone tone);

#ifdef __cplusplus
}
#endif

#endif /* SACH_VIET_H */

/*
 * sach/repair.h - automatic detection and repair of mojibake and legacy
 * Vietnamese encodings (VIETNAMESE.md 2.3, 2.4).
 *
 * What it undoes:
 *   - UTF-8 read as windows-1252 (the "sloppy" WHATWG variant, where the
 *     undefined bytes 0x81 0x8D 0x8F 0x90 0x9D appear as C1 controls) or as
 *     ISO-8859-1, once or twice (e-circumflex-acute, bytes E1 BA BF,
 *     shows as a-acute, masculine ordinal, inverted question mark once,
 *     and as eight characters twice); a U+FFFD left by a strict
 *     windows-1252 reader inside such a sequence is taken for the lost
 *     byte (0x81 0x8D 0x8F 0x90 0x9D) that makes the word a syllable:
 *     o-horn-grave, bytes E1 BB 9D, shows as a-acute, right guillemet,
 *     U+FFFD, and "ngu+o+`i" comes back whole;
 *   - TCVN3, VNI, VISCII, VPS or CP1258 bytes read as windows-1252 or
 *     ISO-8859-1: valid UTF-8 full of signature characters (TCVN3 shows
 *     U+00AE for d-stroke, VNI shows o-diaeresis for u-horn, ...);
 *   - raw legacy bytes that are not valid UTF-8 (decoded directly);
 *   - VIQR mnemonics (Vie^.t, ngu+o+`i, dd), only where they are dense.
 * UTF-8 mojibake is undone per run of characters a one-byte reader shows,
 * so a line that also holds a correct u-horn or an emoji is still repaired.
 *
 * First pass. One scan over the bytes counts "odd" characters, strong or
 * weak. Strong: C0/C1 controls other than tab/LF/VT/FF/CR, U+FFFD and
 * invalid bytes; two windows-1252 characters above ASCII in a row (every
 * UTF-8 mojibake sequence is one); a Latin-1 symbol or a non-Vietnamese
 * Latin-1 letter, or a letter of windows-1252's 0x80-0x9F, touching an
 * ASCII letter (not NBSP, not a degree sign after a digit, not a
 * superscript 1 2 3 before a non-letter, not the windows-1252
 * punctuation); a capital Vietnamese Latin-1 vowel after a lowercase ASCII
 * letter; i or o with grave after a or e (CP1258 tone bytes). Weak: any
 * other Vietnamese Latin-1 vowel after an ASCII vowel where Vietnamese
 * never writes one (after a or e; after o other than a or e with a tone;
 * ...; French "ou" with u-grave shows one). It also counts VIQR signatures
 * in ASCII (a vowel followed by ^ ( + where the modifier fits, by ' ` ~
 * ending or inside a word, by ? . inside a word; dd at a word start). The
 * scan allocates nothing and decodes nothing: valid UTF-8 with no odd
 * character and no dense VIQR (3 or more signatures and at least one per 4
 * words) is copied unchanged, which is what happens to most documents.
 *
 * Scoring. Each candidate decoding is produced with the legacy module and
 * scored by letter tokens (ASCII letters, U+00C0-U+024F, U+1E00-U+1EFF and
 * combining marks), each parsed with sach_viet_parse(). A token is "clean
 * well-formed" when it is a well-formed syllable with no misplaced, doubled
 * or conflicting tone mark, and neither contains nor touches an odd
 * character; a token of one letter above ASCII is not counted at all
 * (decoding turns symbols such as guillemets into such letters). S = letter
 * tokens, W = clean well-formed ones, D = tokens with a letter above ASCII,
 * DW = clean well-formed ones among D, q = (DW + 1) / (D + 1), J = odd
 * characters plus bytes the decoder could not map (plus VIQR signatures
 * for the VIQR path).
 *
 * Strict acceptance, for a text judged on its own:
 *   q(after) >= SACH_REPAIR_FLOOR (0.80), or SACH_REPAIR_FLOOR_UTF8 (0.50)
 *     for the UTF-8 paths, whose decoding checks itself (only well-formed
 *     multi-byte sequences are decoded) so the floor there only has to
 *     keep out non-Vietnamese text; abbreviations such as a lone d-stroke
 *     for "dong" are not syllables and would sink a price list;
 *   W(after) >= W(before) + SACH_REPAIR_MARGIN (0.10) * S: the repair makes
 *     at least one token in ten well-formed (VIQR: the share W/S rises by
 *     0.10, since VIQR splits words into fragments). Clean Vietnamese has
 *     W/S around 0.9, so no decoding can rise that much: it stays as is;
 *   DW(after) >= DW(before) + SACH_REPAIR_MIN_GAIN (2); 1 for the UTF-8
 *     paths, and for a text that has a strong odd character and comes out
 *     with J = 0, DW = D and W/S >= 0.80 (a short line of one broken word);
 *   J(after) * SACH_REPAIR_JUNK_RATIO (4) <= J(before);
 *   VIQR also: DW(after) >= 3 and a third of all tokens with diacritics.
 * Among the accepted candidates the best has the highest 2W - S - J, minus
 * tokens in mixed case (a wrong table gives "chuyEn"), plus tokens among a
 * short list of frequent syllables (VISCII and VPS read the same byte as
 * u-hook or u-tilde in "cua"); ties go to the more common source (UTF-8,
 * TCVN3, VNI, CP1258, VISCII, VPS, VIQR).
 *
 * Per line. Lines end at LF (a CR stays with its line). The lines with odd
 * characters (or VIQR signatures in a VIQR document) are first judged
 * together, on their first MiB, with the strict rule. When a path is
 * accepted for them it is tried on every line that has a character above
 * ASCII and kept for a line when it adds no odd character, loses no clean
 * well-formed token, and either removes odd characters or adds clean
 * well-formed tokens without creating letters (so in a TCVN3 document the
 * line "C" + e-acute + "ng", which shows nothing odd, becomes "cong" with
 * o-circumflex-dot, while "m" + superscript two in a clean line stays). A
 * line with odd characters that this does not fix is judged on its own
 * with the strict rule when it has at least one odd character per 20 runs
 * of ASCII letters (a clean paragraph naming Koln with o-diaeresis is not
 * worth decoding). So a document mixing clean lines, UTF-8 mojibake lines
 * and TCVN3 lines is repaired line by line.
 *
 * Limits, by design: TCVN3 has no capital toned letters, so a TCVN3 text
 * comes back with those letters in lowercase; one broken word with no
 * strong odd character (CP1258 "Nhung" with y-acute for u-horn, which
 * reads as a plain Latin-1 word) is not enough evidence and stays as it
 * is; a line that
 * mixes legacy mojibake with characters windows-1252 cannot hold is left
 * as it is.
 *
 * Output: repaired lines are UTF-8 from the legacy decoders (NFC for the
 * Vietnamese letters); UTF-8 mojibake comes back as the bytes the writer
 * had (NFC or as-is). Everything else is copied byte for byte.
 */
#ifndef SACH_REPAIR_H
#define SACH_REPAIR_H

#include "common.h"
#include "legacy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The thresholds described above (documented values; not tunable at run
 * time, so results do not depend on configuration). */
#define SACH_REPAIR_FLOOR 0.80
#define SACH_REPAIR_FLOOR_UTF8 0.50
#define SACH_REPAIR_MARGIN 0.10
#define SACH_REPAIR_MIN_GAIN 2
#define SACH_REPAIR_JUNK_RATIO 4

/** What sach_repair_auto() found and did. */
typedef struct sach_repair_result {
	/* The encoding the text was written in: SACH_ENC_UTF8 for UTF-8
	 * mojibake, SACH_ENC_TCVN3 ... SACH_ENC_CP1258, SACH_ENC_VIQR. When
	 * lines were repaired from different sources, the source of the
	 * first repaired line; SACH_ENC_UTF8 when nothing was repaired. */
	sach_encoding source;
	/* How the bytes were then read: SACH_ENC_CP1252 or SACH_ENC_LATIN1
	 * (text that is valid UTF-8 mojibake); SACH_ENC_UTF8 when the source
	 * bytes were taken as they are (raw legacy bytes that are not valid
	 * UTF-8, VIQR) or when nothing was repaired. */
	sach_encoding seen_as;
	/* 2 for UTF-8 encoded twice, 1 for every other repair, 0 when
	 * nothing was repaired. */
	int rounds;
	/* Lines (LF-terminated, or the last one) whose text changed. */
	size_t lines_repaired;
	/* Share of the letter tokens that are clean well-formed syllables
	 * (see above), before and after, measured on the lines that had odd
	 * characters (the first MiB of them); equal when nothing was
	 * repaired, 0 without letters. For text the fast scan passes as
	 * clean both are -1 (not measured). */
	double score_before, score_after;
} sach_repair_result;

/**
 * Detects and repairs mojibake and legacy encodings in one document.
 *
 * @param text  the document as read: valid UTF-8 (possibly mojibake) or
 *              raw bytes that are not UTF-8; may contain NUL bytes.
 * @param len   its length in bytes.
 * @param out   the repaired text is APPENDED (UTF-8); when nothing is
 *              repaired, an exact copy of the input is appended.
 * @param res   may be NULL; filled in on success.
 * @return 1 if something was repaired, 0 if the text was left unchanged,
 *         SACH_EINVAL (NULL text with len > 0, NULL out) or SACH_ENOMEM.
 *
 * Thread-safe; allocates only scratch buffers, and only when the first
 * scan finds something odd.
 */
SACH_API int sach_repair_auto(const char *text, size_t len, sach_buf *out,
			      sach_repair_result *res);

#ifdef __cplusplus
}
#endif

#endif /* SACH_REPAIR_H */

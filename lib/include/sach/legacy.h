/*
 * sach/legacy.h - legacy Vietnamese encodings: decoders, encoders and the
 * mojibake a reader would see.
 *
 * Decoders turn bytes in a legacy encoding into UTF-8 in NFC for the
 * Vietnamese letters: a base followed by a combining tone (CP1258 tone
 * bytes, TCVN5712-1 bytes 0xB0-0xB4, VNI mark bytes, VIQR mnemonics) is
 * composed into the precomposed letter. Encoders do the reverse. The module
 * uses its own generated tables (lib/legacy_tables.h) and has no ICU
 * dependency; conversions are table lookups with no allocation per
 * character.
 *
 * Encodings and their conventions:
 *
 *   SACH_ENC_UTF8    decode: copies valid UTF-8, each invalid byte becomes
 *                    U+FFFD (counted as unmapped); no normalisation.
 *                    encode: the same validation copy.
 *   SACH_ENC_TCVN3   TCVN 5712:1993 VN3 ("ABC", fonts .VnTime). Decoded as
 *                    the glibc TCVN5712-1 (VN1) superset, so the bytes VN1
 *                    adds (uppercase toned letters in C0 and 0x80-0x9F,
 *                    combining tones 0xB0-0xB4) decode as glibc iconv does.
 *                    TCVN3 has no uppercase toned letters: the encoder
 *                    writes them with the lowercase byte (a TCVN3 document
 *                    shows capitals by switching to an "H" font), so
 *                    decode(encode(X)) is the lowercase letter for those 60
 *                    letters. The C0 controls that VN1 reassigns are not
 *                    written (they would decode as letters).
 *   SACH_ENC_VNI     VNI-Windows: ASCII base + one mark byte, or one byte
 *                    for d-stroke, o-horn, u-horn, the i forms and y with
 *                    dot below. Other bytes follow windows-1252. A mark
 *                    byte that does not follow a base it can combine with
 *                    decodes as its windows-1252 character and is counted
 *                    as unmapped.
 *   SACH_ENC_VISCII  VISCII (RFC 1456), all letters precomposed; six C0
 *                    controls are letters.
 *   SACH_ENC_VPS     VPS, all letters precomposed, some in C0. The table is
 *                    hand-written from published facts (see the generator);
 *                    the uppercase letters rest on one source.
 *   SACH_ENC_VIQR    VIQR / RFC 1456 mnemonics over ASCII: after a vowel
 *                    letter, ^ ( + add circumflex, breve, horn and then one
 *                    of ' ` ? ~ . adds the tone (sac, huyen, hoi, nga, nang);
 *                    dd, DD and Dd are d-stroke. A backslash before one of
 *                    ' ` ? ~ . ^ ( + d D or a backslash keeps that
 *                    character literal (RFC 1456 escape); the encoder
 *                    always writes a backslash as two. Marks are taken only where they follow a
 *                    vowel they fit (^ after a e o, ( after a, + after o
 *                    u); decoding is meant for text known or detected to be
 *                    VIQR, since ordinary ASCII ("why?") also matches.
 *                    Bytes >= 0x80 are read as UTF-8 and copied. The
 *                    encoder writes base, modifier, tone (RFC 1456 order)
 *                    and escapes literal mark characters that a decoder
 *                    would otherwise take. One case cannot be written: a
 *                    literal d or D directly before a d-stroke letter.
 *   SACH_ENC_CP1258  windows-1258 as glibc defines it; tone bytes 0xCC 0xEC
 *                    0xDE 0xD2 0xF2 are composed with the preceding letter.
 *                    The encoder uses a precomposed byte when one exists,
 *                    else base byte + tone byte (as iconv does).
 *   SACH_ENC_CP1252  "sloppy" windows-1252 (the WHATWG decoder): the
 *                    undefined bytes 0x81 0x8D 0x8F 0x90 0x9D map to
 *                    U+0081 U+008D U+008F U+0090 U+009D and back, so every
 *                    byte string survives decode + encode.
 *   SACH_ENC_LATIN1  ISO-8859-1.
 *
 * All functions append to `out` (a zero-initialised or reused sach_buf) and
 * return SACH_OK or a negative SACH_E* code with a message for
 * sach_error_last(); on failure `out` may hold partial output.
 */
#ifndef SACH_LEGACY_H
#define SACH_LEGACY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The encodings the legacy module converts. */
typedef enum sach_encoding {
	SACH_ENC_UTF8 = 0,
	SACH_ENC_TCVN3,
	SACH_ENC_VNI,
	SACH_ENC_VISCII,
	SACH_ENC_VPS,
	SACH_ENC_VIQR,
	SACH_ENC_CP1258,
	SACH_ENC_CP1252,
	SACH_ENC_LATIN1
} sach_encoding;

/** Number of sach_encoding values (they are 0 .. SACH_ENC_COUNT - 1). */
#define SACH_ENC_COUNT 9

/**
 * Looks up an encoding by name, ignoring ASCII case. Accepted names:
 * "utf-8" "utf8"; "tcvn3" "tcvn" "abc" "vn3" "tcvn5712" "tcvn-5712"
 * "tcvn5712-1" "tcvn5712-3"; "vni" "vni-win" "vni-windows"; "viscii";
 * "vps"; "viqr" "vietnet"; "cp1258" "windows-1258" "win1258";
 * "cp1252" "windows-1252" "win1252"; "latin1" "latin-1" "iso-8859-1"
 * "iso8859-1". Returns SACH_OK and sets *out, SACH_ENOTFOUND for an unknown
 * name, SACH_EINVAL for NULL arguments.
 */
SACH_API int sach_encoding_from_name(const char *name, sach_encoding *out);

/**
 * The canonical lowercase name of an encoding ("utf-8", "tcvn3", "vni",
 * "viscii", "vps", "viqr", "cp1258", "cp1252", "latin1"), a static string;
 * "unknown" for a value outside the enum.
 */
SACH_API const char *sach_encoding_name(sach_encoding e);

/**
 * Decodes `len` bytes of `in`, encoded in `e`, and appends the text as
 * UTF-8 to `out`, composing base + tone sequences into precomposed letters.
 * Bytes the encoding does not define become U+FFFD. If `unmapped` is not
 * NULL it receives the number of bytes (or VNI marks) that had no mapping.
 * Returns SACH_OK, SACH_EINVAL (bad arguments or encoding) or SACH_ENOMEM.
 */
SACH_API int sach_legacy_decode(sach_encoding e, const char *in, size_t len,
	sach_buf *out, size_t *unmapped);

/**
 * Encodes `len` bytes of UTF-8 text (NFC expected; a base followed by a
 * combining mark is composed first when the pair has a precomposed form)
 * into `e` and appends the bytes to `out`. A character the encoding cannot
 * write, and each byte of invalid UTF-8, becomes '?' and is counted in
 * *unmapped when `unmapped` is not NULL. See the TCVN3 note above: its
 * uppercase toned letters are written as lowercase and are not counted.
 * Returns SACH_OK, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_legacy_encode(sach_encoding e, const char *utf8, size_t len,
	sach_buf *out, size_t *unmapped);

/**
 * Appends to `out` the mojibake a reader sees when UTF-8 text `utf8` is
 * saved in encoding `source` and the bytes are then read as `seen_as`:
 * decode(seen_as, encode(source, utf8)). With source SACH_ENC_UTF8 the
 * bytes are the UTF-8 itself, so (SACH_ENC_UTF8, SACH_ENC_CP1252) makes
 * the familiar mojibake (a with acute, bytes C3 A1, shows as A with tilde
 * + inverted exclamation mark); encoding that result to SACH_ENC_CP1252
 * and reading the bytes as UTF-8 restores the text. `seen_as` is usually
 * SACH_ENC_CP1252 or SACH_ENC_LATIN1; any encoding is accepted.
 * Characters the source cannot write become '?'.
 * Returns SACH_OK, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_legacy_mojibake(sach_encoding source, sach_encoding seen_as,
	const char *utf8, size_t len, sach_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* SACH_LEGACY_H */

/*
 * fuzz_normalise.c - libFuzzer target for the text normaliser
 * (lib/normalise.c, lib/entities.c, lib/unicode.c).
 *
 * Input layout: byte 0 selects the options, the rest is the text.
 *   bits 0-1  entities: 0 ALL (default), 1 NUMERIC, 2 NONE, 3 ALL
 *   bits 2-3  form: 0 NFC (default), 1 NFKC, 2 NONE, 3 NFC
 *   bit  4    fold_fullwidth
 *   bit  5    single_line
 *   bit  6    reject_invalid_utf8
 *   bit  7    byte 1 also holds options (and the text starts at byte 2):
 *               bit 0 collapse_spaces off    bit 4 keep controls
 *               bit 1 trim_lines off         bit 5 keep invisible characters
 *               bit 2 map_spaces off         bits 6-7 max_blank_lines:
 *               bit 3 unify_newlines off       0 -> 1, 1 -> 0, 2 -> -1, 3 -> 2
 * So byte 0 == 0x00 is exactly SACH_NORMALISE_OPTIONS_INIT.
 *
 * Every input is normalised twice over: with the selected options and with
 * the default options. Properties checked for each:
 *   - the output is valid UTF-8 (repair is on unless reject_invalid_utf8);
 *   - with reject_invalid_utf8, SACH_EUTF8 comes back iff the input is
 *     ill-formed; without it, utf8_repaired > 0 iff the input is ill-formed;
 *   - `changed` is true iff the output bytes differ from the input;
 *   - idempotence: normalising the output again gives changed == false and
 *     the same bytes;
 *   - what the options promise: with collapse_spaces no "  "; with
 *     unify_newlines no CR; with trim_lines no line that starts or ends with
 *     a space and no blank line at the start or the end; with single_line no
 *     LF; with max_blank_lines N >= 0 no run of more than N + 1 LFs; with
 *     remove_controls no C0 control other than TAB, LF, VT, FF, CR, no DEL
 *     and no C1 control but NEL (a line break, kept unless unify_newlines);
 *     with remove_invisible none of the invisible format characters; with
 *     fold_fullwidth no fullwidth form; with unify_newlines no VT, FF,
 *     U+2028, U+2029; with map_spaces no TAB.
 * Failures abort() with a message, whatever NDEBUG says.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sach/error.h"
#include "sach/normalise.h"
#include "sach/unicode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "fuzz_normalise: %s:%d: check failed: %s\n", \
				__FILE__, __LINE__, #cond);                \
			fprintf(stderr, "  " __VA_ARGS__);                 \
			fprintf(stderr, "\n");                             \
			abort();                                           \
		}                                                          \
	} while (0)

static void describe(const sach_normalise_options *o)
{
	fprintf(stderr,
		"options: entities=%d form=%d fold_fullwidth=%d remove_controls=%d "
		"remove_invisible=%d map_spaces=%d collapse_spaces=%d trim_lines=%d "
		"unify_newlines=%d max_blank_lines=%d single_line=%d reject_invalid_utf8=%d\n",
		(int)o->entities, (int)o->form, o->fold_fullwidth, o->remove_controls,
		o->remove_invisible, o->map_spaces, o->collapse_spaces, o->trim_lines,
		o->unify_newlines, o->max_blank_lines, o->single_line, o->reject_invalid_utf8);
}

static void dump(const char *label, const char *s, size_t len)
{
	size_t i;

	fprintf(stderr, "%s (%zu bytes):", label, len);
	for (i = 0; i < len && i < 512; i++)
		fprintf(stderr, " %02x", (unsigned char)s[i]);
	fprintf(stderr, "%s\n", len > 512 ? " ..." : "");
}

#define FAIL_IF(cond, o, in, in_len, out, out_len, ...)                    \
	do {                                                               \
		if (cond) {                                                \
			describe(o);                                       \
			dump("input", in, in_len);                         \
			dump("output", out, out_len);                      \
			CHECK(!(cond), __VA_ARGS__);                       \
		}                                                          \
	} while (0)

/* What the options promise about any output. */
static void check_shape(const sach_normalise_options *o, const char *in, size_t in_len,
			const char *s, size_t len)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		unsigned char b = (unsigned char)s[i];
		bool line_start = i == 0 || s[i - 1] == '\n';
		bool line_end = i + 1 == len || s[i + 1] == '\n';

		FAIL_IF(o->collapse_spaces && b == ' ' && i + 1 < len && s[i + 1] == ' ',
			o, in, in_len, s, len, "double space at %zu", i);
		FAIL_IF(o->unify_newlines && b == '\r', o, in, in_len, s, len, "CR at %zu", i);
		FAIL_IF(o->trim_lines && b == ' ' && (line_start || line_end),
			o, in, in_len, s, len, "space at a line start or end, at %zu", i);
		FAIL_IF(o->single_line && b == '\n', o, in, in_len, s, len, "LF at %zu", i);
		FAIL_IF(o->remove_controls && ((b < 0x20 && b != '\t' && b != '\n' && b != 0x0B &&
						b != 0x0C && b != '\r') || b == 0x7F),
			o, in, in_len, s, len, "control %02x at %zu", b, i);
		FAIL_IF(o->map_spaces && b == '\t', o, in, in_len, s, len, "TAB at %zu", i);
		run = b == '\n' ? run + 1 : 0;
		FAIL_IF(o->max_blank_lines >= 0 && run > (size_t)o->max_blank_lines + 1,
			o, in, in_len, s, len, "%zu line breaks in a row at %zu", run, i);
	}
	if (o->trim_lines && len) {
		FAIL_IF(s[0] == '\n' || s[len - 1] == '\n', o, in, in_len, s, len,
			"blank line at the start or end");
	}
	/* Code points: C1 controls, invisible format characters, fullwidth forms,
	 * Unicode line breaks. */
	for (i = 0; i < len;) {
		uint32_t cp;
		bool valid;
		size_t k = sach_utf8_decode(s + i, len - i, &cp, &valid);

		if (!valid)
			break; /* reported by the caller */
		/* U+0085 NEL is a line break (UAX #14), kept when unify_newlines is off. */
		FAIL_IF(o->remove_controls && cp >= 0x80 && cp <= 0x9F && cp != 0x85,
			o, in, in_len, s, len, "C1 control U+%04X at %zu", (unsigned)cp, i);
		FAIL_IF(o->remove_controls && o->unify_newlines && cp == 0x85,
			o, in, in_len, s, len, "NEL at %zu", i);
		FAIL_IF(o->remove_invisible &&
			(cp == 0x200B || cp == 0x200E || cp == 0x200F || cp == 0xFEFF ||
			 (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
			 (cp >= 0x2066 && cp <= 0x2069)),
			o, in, in_len, s, len, "invisible U+%04X at %zu", (unsigned)cp, i);
		FAIL_IF(o->fold_fullwidth && ((cp >= 0xFF01 && cp <= 0xFF5E) ||
					      (cp >= 0xFFE0 && cp <= 0xFFE6)),
			o, in, in_len, s, len, "fullwidth U+%04X at %zu", (unsigned)cp, i);
		FAIL_IF(o->unify_newlines && (cp == 0x2028 || cp == 0x2029 || cp == 0x0B || cp == 0x0C),
			o, in, in_len, s, len, "line break U+%04X at %zu", (unsigned)cp, i);
		i += k;
	}
}

static bool same_options(const sach_normalise_options *a, const sach_normalise_options *b)
{
	return a->entities == b->entities && a->form == b->form &&
	       a->fold_fullwidth == b->fold_fullwidth && a->remove_controls == b->remove_controls &&
	       a->remove_invisible == b->remove_invisible && a->map_spaces == b->map_spaces &&
	       a->collapse_spaces == b->collapse_spaces && a->trim_lines == b->trim_lines &&
	       a->unify_newlines == b->unify_newlines && a->max_blank_lines == b->max_blank_lines &&
	       a->single_line == b->single_line && a->reject_invalid_utf8 == b->reject_invalid_utf8;
}

static void run_one(const sach_normalise_options *o, const char *text, size_t len)
{
	sach_normaliser *n;
	sach_normalise_counts counts;
	const char *out, *out2;
	size_t out_len, out2_len;
	bool changed = false, changed2 = true;
	bool ill_formed = sach_utf8_check(text, len) != len;
	char *copy;
	int rc;

	rc = sach_normaliser_new(&n, o);
	CHECK(rc == 0, "sach_normaliser_new: %d %s", rc, sach_error_last());
	memset(&counts, 0, sizeof(counts));
	rc = sach_normalise_text(n, text, len, &out, &out_len, &counts, &changed);
	if (o->reject_invalid_utf8) {
		if (rc == SACH_EUTF8) {
			FAIL_IF(!ill_formed, o, text, len, "", 0, "SACH_EUTF8 for valid UTF-8");
			sach_normaliser_free(n);
			return;
		}
		FAIL_IF(ill_formed, o, text, len, "", 0, "ill-formed input accepted (rc %d)", rc);
	}
	CHECK(rc == 0, "sach_normalise_text: %d %s", rc, sach_error_last());
	FAIL_IF(!o->reject_invalid_utf8 && ill_formed != (counts.utf8_repaired > 0),
		o, text, len, out, out_len, "utf8_repaired = %llu, input %s",
		(unsigned long long)counts.utf8_repaired, ill_formed ? "ill-formed" : "valid");
	FAIL_IF(sach_utf8_check(out, out_len) != out_len, o, text, len, out, out_len,
		"output is not valid UTF-8 (first bad byte at %zu)", sach_utf8_check(out, out_len));
	FAIL_IF(changed != !(out_len == len && memcmp(out, text, len) == 0),
		o, text, len, out, out_len, "changed = %d does not match the bytes", changed);
	check_shape(o, text, len, out, out_len);

	/* The output is borrowed until the next call: copy it first. */
	copy = malloc(out_len + 1);
	CHECK(copy != NULL, "out of memory");
	memcpy(copy, out, out_len);
	rc = sach_normalise_text(n, copy, out_len, &out2, &out2_len, NULL, &changed2);
	CHECK(rc == 0, "second sach_normalise_text: %d %s", rc, sach_error_last());
	if (changed2 || out2_len != out_len || memcmp(out2, copy, out_len) != 0)
		dump("original input", text, len);
	FAIL_IF(changed2 || out2_len != out_len || memcmp(out2, copy, out_len) != 0,
		o, copy, out_len, out2, out2_len,
		"not idempotent (changed = %d): normalising the first output (\"input\") "
		"again changed it", changed2);
	free(copy);
	sach_normaliser_free(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sach_normalise_options def = SACH_NORMALISE_OPTIONS_INIT;
	sach_normalise_options o = SACH_NORMALISE_OPTIONS_INIT;
	static const sach_entities ent[4] = {
		SACH_ENTITIES_ALL, SACH_ENTITIES_NUMERIC, SACH_ENTITIES_NONE, SACH_ENTITIES_ALL
	};
	static const sach_nf form[4] = { SACH_NF_NFC, SACH_NF_NFKC, SACH_NF_NONE, SACH_NF_NFC };
	static const int blank[4] = { 1, 0, -1, 2 };
	const char *text;
	size_t len, skip = 1;

	if (size < 1)
		return 0;
	o.entities = ent[data[0] & 3];
	o.form = form[(data[0] >> 2) & 3];
	o.fold_fullwidth = (data[0] >> 4) & 1;
	o.single_line = (data[0] >> 5) & 1;
	o.reject_invalid_utf8 = (data[0] >> 6) & 1;
	if ((data[0] & 0x80) && size >= 2) {
		uint8_t b = data[1];

		o.collapse_spaces = !(b & 1);
		o.trim_lines = !(b & 2);
		o.map_spaces = !(b & 4);
		o.unify_newlines = !(b & 8);
		o.remove_controls = !(b & 16);
		o.remove_invisible = !(b & 32);
		o.max_blank_lines = blank[b >> 6];
		skip = 2;
	}
	text = (const char *)data + skip;
	len = size - skip;

	run_one(&o, text, len);
	if (!same_options(&o, &def))
		run_one(&def, text, len);
	sach_error_clear();
	return 0;
}

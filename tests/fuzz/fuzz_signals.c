/*
 * fuzz_signals.c - libFuzzer target for the quality signals and language
 * identification (lib/signals*.c, lib/langid.c, lib/wordlist.c).
 *
 * The input is a document's text (any bytes). Properties checked:
 *   - computing never crashes, leaks or reads out of bounds;
 *   - every named signal is a number (not NaN); every share, score and
 *     ratio that the header defines in [0, 1] is in [0, 1];
 *   - the per-line facts tile the text: lines in order, each inside the
 *     text, one per line of the text;
 *   - computing the same text again gives bit-identical values
 *     (determinism, and no state leaking from one document to the next);
 *   - sach_langid_score() is in [0, 1].
 * Failures abort() with a message, whatever NDEBUG says.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sach/error.h"
#include "sach/signals.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                               \
	do {                                                           \
		if (!(cond)) {                                         \
			fprintf(stderr, "fuzz_signals: " __VA_ARGS__); \
			fputc('\n', stderr);                           \
			abort();                                       \
		}                                                      \
	} while (0)

static sach_signals_ctx *ctx;

static void in_unit(const char *name, double v)
{
	CHECK(v >= 0.0 && v <= 1.0, "%s = %g is outside [0, 1]", name, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	sach_signals a, b;
	const sach_signal_desc *desc;
	const sach_line_info *lines;
	size_t n, i, nlines, expect_lines = size ? 1 : 0, pos = 0;
	double score;

	if (!ctx)
		CHECK(sach_signals_new(&ctx) == SACH_OK, "cannot make a context");
	/* Something else first, so leftovers of it would show. */
	CHECK(sach_signals_compute(ctx, "x y z\nx y z\n", 12, &b) == SACH_OK, "compute failed");
	CHECK(sach_signals_compute(ctx, text, size, &a) == SACH_OK, "compute failed: %s",
	      sach_error_last());
	lines = sach_signals_lines(ctx, &nlines);
	for (i = 0; i < size; i++)
		if (data[i] == '\n' && i + 1 < size)
			expect_lines++;
	CHECK(nlines == expect_lines, "%zu line facts for %zu lines", nlines, expect_lines);
	for (i = 0; i < nlines; i++) {
		CHECK(lines[i].start >= pos && lines[i].start + lines[i].len <= size,
		      "line %zu [%zu, +%zu) out of order or outside the text", i, lines[i].start,
		      lines[i].len);
		CHECK(lines[i].lang_score >= 0.0f && lines[i].lang_score <= 1.0f,
		      "line %zu lang_score %g", i, (double)lines[i].lang_score);
		pos = lines[i].start + lines[i].len;
	}
	in_unit("lang_score", a.lang_score);
	in_unit("wellformed_share", a.wellformed_share);
	in_unit("no_diacritic_share", a.no_diacritic_share);
	in_unit("teencode_share", a.teencode_share);
	in_unit("mojibake_score", a.mojibake_score);
	in_unit("vi_line_char_share", a.vi_line_char_share);
	in_unit("dup_line_share", a.dup_line_share);
	in_unit("dup_line_char_share", a.dup_line_char_share);
	in_unit("dup_para_share", a.dup_para_share);
	in_unit("dup_para_char_share", a.dup_para_char_share);
	in_unit("bullet_line_share", a.bullet_line_share);
	in_unit("ellipsis_line_share", a.ellipsis_line_share);
	in_unit("alpha_token_share", a.alpha_token_share);
	in_unit("terminal_punct_line_share", a.terminal_punct_line_share);
	in_unit("short_line_share", a.short_line_share);
	in_unit("char_repetition", a.char_repetition);
	for (i = 0; i < 3; i++)
		in_unit("top_ngram_char_share", a.top_ngram_char_share[i]);
	for (i = 0; i < 6; i++)
		in_unit("dup_ngram_char_share", a.dup_ngram_char_share[i]);
	CHECK(a.syllables <= a.tokens, "%llu syllables > %llu tokens",
	      (unsigned long long)a.syllables, (unsigned long long)a.tokens);
	CHECK(a.bytes == size, "bytes %llu for %zu", (unsigned long long)a.bytes, size);

	CHECK(sach_signals_compute(ctx, text, size, &b) == SACH_OK, "second compute failed");
	desc = sach_signals_describe(&n);
	for (i = 0; i < n; i++) {
		double va = sach_signals_value(&a, i), vb = sach_signals_value(&b, i);

		CHECK(!isnan(va), "signal %s is NaN", desc[i].name);
		CHECK(memcmp(&va, &vb, sizeof(va)) == 0, "signal %s: %.17g then %.17g", desc[i].name,
		      va, vb);
	}
	score = sach_langid_score(text, size);
	in_unit("sach_langid_score", score);
	return 0;
}

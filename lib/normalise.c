/*
 * normalise.c - the Unicode normalisation pass.
 *
 * One left-to-right pass writes the result while it reads: plain ASCII runs
 * are copied in bulk; everything else is decoded to a code point and sent
 * through handle_cp(). Whitespace is never written directly: spaces and
 * line breaks are held as counts ("pending") and written only when the next
 * visible character arrives, which is what makes collapsing, trimming and
 * the blank-line cap a single pass with no look-back.
 *
 * NFC needs ICU and UTF-16, so the pass only notes the lines where a
 * character fails the quick check; those lines alone go through ICU
 * afterwards. The whole pass repeats until the text stops changing (see
 * normalise.h), with a hard cap on rounds as a guard.
 *
 * Policy for invalid input: ill-formed UTF-8 is repaired to U+FFFD (or the
 * call fails with SACH_EUTF8, by option); NUL and other controls are
 * removed like any control; nothing is ever read past `len`.
 */
#include "sach/normalise.h"
#include "entities.h"
#include "error_internal.h"
#include "unicode_internal.h"
#include "viet_internal.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define MAX_ROUNDS 64

struct sach_normaliser {
	sach_normalise_options o;
	sach_buf pass_out[2];
	sach_buf nf_out;
	sach_buf nf_line;
	sach_buf decoded;         /* text decoded from the input encoding */
	sach_buf viet_pre;        /* after the pre-NFC mark repairs */
	sach_buf viet_post;       /* after tone placement */
	sach_buf nl_forms;        /* kept line breaks waiting to be written */
	sach_buf repaired;        /* after mojibake repair */
	sach_repair_result last_repair;
	size_t *marks;            /* output offsets of lines that need NFC/NFKC */
	size_t nmarks, cap_marks;
};

static const char *const count_names[SACH_NORMALISE_COUNT_FIELDS] = {
	"utf8_repaired", "entities", "controls", "invisible", "spaces_mapped",
	"spaces_collapsed", "spaces_trimmed", "newlines", "blank_lines",
	"lines_joined", "fullwidth", "nf_lines",
	"legacy_unmapped", "mojibake_lines", "mark_repairs", "tones_fixed", "tones_restyled",
	"syllables", "well_formed", "with_diacritics", "old_style", "new_style",
	"ambiguous_tones",
};

const char *const *sach_normalise_count_names(void)
{
	return count_names;
}

void sach_normalise_counts_array(const sach_normalise_counts *c,
				 uint64_t out[SACH_NORMALISE_COUNT_FIELDS])
{
	out[0] = c->utf8_repaired;
	out[1] = c->entities;
	out[2] = c->controls;
	out[3] = c->invisible;
	out[4] = c->spaces_mapped;
	out[5] = c->spaces_collapsed;
	out[6] = c->spaces_trimmed;
	out[7] = c->newlines;
	out[8] = c->blank_lines;
	out[9] = c->lines_joined;
	out[10] = c->fullwidth;
	out[11] = c->nf_lines;
	out[12] = c->legacy_unmapped;
	out[13] = c->mojibake_lines;
	out[14] = c->mark_repairs;
	out[15] = c->tones_fixed;
	out[16] = c->tones_restyled;
	out[17] = c->syllables;
	out[18] = c->well_formed;
	out[19] = c->with_diacritics;
	out[20] = c->old_style;
	out[21] = c->new_style;
	out[22] = c->ambiguous_tones;
}

void sach_normalise_counts_add(sach_normalise_counts *to, const sach_normalise_counts *c)
{
	to->utf8_repaired += c->utf8_repaired;
	to->entities += c->entities;
	to->controls += c->controls;
	to->invisible += c->invisible;
	to->spaces_mapped += c->spaces_mapped;
	to->spaces_collapsed += c->spaces_collapsed;
	to->spaces_trimmed += c->spaces_trimmed;
	to->newlines += c->newlines;
	to->blank_lines += c->blank_lines;
	to->lines_joined += c->lines_joined;
	to->fullwidth += c->fullwidth;
	to->nf_lines += c->nf_lines;
	to->legacy_unmapped += c->legacy_unmapped;
	to->mojibake_lines += c->mojibake_lines;
	to->mark_repairs += c->mark_repairs;
	to->tones_fixed += c->tones_fixed;
	to->tones_restyled += c->tones_restyled;
	to->syllables += c->syllables;
	to->well_formed += c->well_formed;
	to->with_diacritics += c->with_diacritics;
	to->old_style += c->old_style;
	to->new_style += c->new_style;
	to->ambiguous_tones += c->ambiguous_tones;
}

/* ASCII byte kinds for the fast path. Bytes >= 0x80 are K_OTHER too. */
enum { K_PLAIN = 0, K_OTHER = 1 };
static unsigned char ascii_kind[256];


/* Lead-byte kinds for the plain-run loop. */
enum { FK_OTHER = 0, FK_ASCII = 1, FK_LATIN2 = 2, FK_E1 = 3 };
static unsigned char fast_kind[256];

/* The branch-free run step: length by lead byte (0 = leave the run), and
 * the mask/value the next bytes must match (byte k in bits 8k..8k+7). */
static unsigned char run_step[256];
#ifndef SACH_NORMALISE_NO_FASTPATH
static const uint32_t run_mask[4] = { 0, 0, 0xC000u, 0xC0FC00u };
static const uint32_t run_want[4] = { 1, 0, 0x8000u, 0x80B800u };
#endif

/* p.last_cp value meaning "the last character written to the output";
 * decoded from the output only when the joiner rule needs it. */
#define LAST_CP_IN_OUTPUT 0xFFFFFFFFu

static void init_ascii_kind(void)
{
	int b;

	for (b = 0; b < 256; b++) {
		ascii_kind[b] = (b >= 0x21 && b < 0x7F && b != '&') ? K_PLAIN : K_OTHER;
		fast_kind[b] = ascii_kind[b] == K_PLAIN ? FK_ASCII
			     : (b >= 0xC3 && b <= 0xC9) ? FK_LATIN2
			     : b == 0xE1 ? FK_E1 : FK_OTHER;
		run_step[b] = (fast_kind[b] == FK_ASCII || b == ' ') ? 1
			    : fast_kind[b] == FK_LATIN2 ? 2 : fast_kind[b] == FK_E1 ? 3 : 0;
	}
}

int sach_normaliser_new(sach_normaliser **out, const sach_normalise_options *opts)
{
	sach_normaliser *n;
	int rc;

	*out = NULL;
	if (!opts || opts->version != SACH_NORMALISE_OPTIONS_VERSION)
		return sach__error_set(SACH_EINVAL, "normalise options: unknown version");
	if (opts->form != SACH_NF_NONE && opts->form != SACH_NF_NFC && opts->form != SACH_NF_NFKC)
		return sach__error_set(SACH_EINVAL, "normalise options: unknown form");
	if (opts->entities < SACH_ENTITIES_NONE || opts->entities > SACH_ENTITIES_ALL)
		return sach__error_set(SACH_EINVAL, "normalise options: unknown entity mode");
	if (opts->max_blank_lines < -1)
		return sach__error_set(SACH_EINVAL, "normalise options: max_blank_lines < -1");
	if (opts->tone_style != SACH_TONE_STYLE_KEEP && opts->tone_style != SACH_TONE_STYLE_OLD &&
	    opts->tone_style != SACH_TONE_STYLE_NEW)
		return sach__error_set(SACH_EINVAL, "normalise options: unknown tone style");
	if ((int)opts->input_encoding < 0 || opts->input_encoding >= SACH_ENC_COUNT)
		return sach__error_set(SACH_EINVAL, "normalise options: unknown input encoding");
	if ((rc = sach_unicode_init()) < 0)
		return rc;
	if (!ascii_kind[0])
		init_ascii_kind(); /* idempotent: same values from every thread */
	n = calloc(1, sizeof(*n));
	if (!n)
		return sach__error_nomem();
	n->o = *opts;
	*out = n;
	return SACH_OK;
}

const sach_repair_result *sach_normaliser_last_repair(const sach_normaliser *n)
{
	return &n->last_repair;
}

void sach_normaliser_free(sach_normaliser *n)
{
	if (!n)
		return;
	sach_buf_free(&n->pass_out[0]);
	sach_buf_free(&n->pass_out[1]);
	sach_buf_free(&n->nf_out);
	sach_buf_free(&n->nf_line);
	sach_buf_free(&n->decoded);
	sach_buf_free(&n->viet_pre);
	sach_buf_free(&n->viet_post);
	sach_buf_free(&n->nl_forms);
	sach_buf_free(&n->repaired);
	free(n->marks);
	free(n);
}

struct pass {
	sach_normaliser *n;
	const sach_normalise_options *o;
	sach_buf *out;
	sach_normalise_counts c;
	size_t pending_spaces;
	size_t pending_newlines;
	bool line_start;
	bool doc_start;
	bool line_marked;
	/* Set by every change that can expose work for another round: decoded
	 * references, removed characters (they join their neighbours), folds.
	 * Whitespace handling alone reaches its fixed point in one pass. */
	bool unstable;
	size_t line_off;           /* output offset of the current line */
	uint32_t last_cp;
	uint8_t last_ccc;
	uint16_t nf_check, nf_qc_no;
};

static int mark_line(struct pass *p)
{
	sach_normaliser *n = p->n;

	if (p->line_marked)
		return SACH_OK;
	if (n->nmarks == n->cap_marks) {
		size_t cap = n->cap_marks ? n->cap_marks * 2 : 16;
		size_t *m = realloc(n->marks, cap * sizeof(*m));
		if (!m)
			return sach__error_nomem();
		n->marks = m;
		n->cap_marks = cap;
	}
	n->marks[n->nmarks++] = p->line_off;
	p->line_marked = true;
	return SACH_OK;
}

/* Output helpers: one capacity compare, then a plain copy. The pass
 * reserves len + slack up front and output never outgrows input except
 * where noted (U+FFFD for one bad byte, some references), so the slow
 * branch is rare. */
static inline int put_bytes(struct pass *p, const char *s, size_t len)
{
	sach_buf *o = p->out;

	if (o->len + len + 1 > o->cap) {
		int rc = sach_buf_reserve(o, len);
		if (rc < 0)
			return rc;
	}
	memcpy(o->ptr + o->len, s, len);
	o->len += len;
	return SACH_OK;
}

static inline int put_repeat(struct pass *p, char ch, size_t count)
{
	sach_buf *o = p->out;

	if (o->len + count + 1 > o->cap) {
		int rc = sach_buf_reserve(o, count);
		if (rc < 0)
			return rc;
	}
	memset(o->ptr + o->len, ch, count);
	o->len += count;
	return SACH_OK;
}

/* Writes the held line breaks and spaces before visible content. */
static int flush_pending_slow(struct pass *p)
{
	int rc;

	if (p->pending_newlines) {
		size_t breaks = p->pending_newlines;

		if (p->doc_start && p->o->trim_lines) {
			p->c.blank_lines += breaks;
			breaks = 0;
		} else if (p->doc_start) {
			/* Before the first line every break is a blank line. */
			if (p->o->max_blank_lines >= 0 && breaks > (size_t)p->o->max_blank_lines) {
				p->c.blank_lines += breaks - (size_t)p->o->max_blank_lines;
				breaks = (size_t)p->o->max_blank_lines;
			}
		} else if (p->o->max_blank_lines >= 0 &&
			   breaks - 1 > (size_t)p->o->max_blank_lines) {
			p->c.blank_lines += breaks - 1 - (size_t)p->o->max_blank_lines;
			breaks = (size_t)p->o->max_blank_lines + 1;
		}
		if (p->o->unify_newlines) {
			if (breaks && (rc = put_repeat(p, '\n', breaks)) < 0)
				return rc;
		} else {
			/* Kept line breaks: write the first `breaks` as they came. */
			size_t k;

			for (k = 0; k < breaks; k++) {
				char form = p->n->nl_forms.ptr[k];
				rc = form == 'c' ? put_bytes(p, "\r\n", 2)
				   : form == 'r' ? put_bytes(p, "\r", 1) : put_bytes(p, "\n", 1);
				if (rc < 0)
					return rc;
			}
			sach_buf_clear(&p->n->nl_forms);
		}
		p->pending_newlines = 0;
		p->line_off = p->out->len;
		p->line_marked = false;
	}
	if (p->pending_spaces) {
		size_t spaces = p->pending_spaces;

		if (p->line_start && p->o->trim_lines) {
			p->c.spaces_trimmed += spaces;
			spaces = 0;
		} else if (p->o->collapse_spaces && spaces > 1) {
			p->c.spaces_collapsed += spaces - 1;
			spaces = 1;
		}
		if (spaces && (rc = put_repeat(p, ' ', spaces)) < 0)
			return rc;
		p->pending_spaces = 0;
	}
	p->line_start = false;
	p->doc_start = false;
	return SACH_OK;
}

static inline int flush_pending(struct pass *p)
{
	if (p->pending_spaces == 1 && !p->pending_newlines && !p->line_start) {
		/* The common case: one space between two words. */
		p->pending_spaces = 0;
		return put_repeat(p, ' ', 1);
	}
	if (p->pending_spaces || p->pending_newlines || p->line_start || p->doc_start)
		return flush_pending_slow(p);
	return SACH_OK;
}

static void add_space(struct pass *p)
{
	p->pending_spaces++;
	p->last_cp = ' ';
	p->last_ccc = 0;
}

/* form: 'n' LF, 'c' CRLF, 'r' CR; remembered only when line breaks are kept. */
static int add_newline(struct pass *p, char form)
{
	int rc;

	if (p->o->single_line) {
		p->c.lines_joined++;
		add_space(p);
		return SACH_OK;
	}
	if (p->pending_spaces) {
		if (p->o->trim_lines) {
			p->c.spaces_trimmed += p->pending_spaces;
			p->pending_spaces = 0;
		} else if ((rc = flush_pending(p)) < 0) {
			return rc;
		}
	}
	if (!p->o->unify_newlines && (rc = sach_buf_append(&p->n->nl_forms, &form, 1)) < 0)
		return rc;
	p->pending_newlines++;
	p->line_start = true;
	p->last_cp = '\n';
	p->last_ccc = 0;
	return SACH_OK;
}

/* The character before the current position, as the output shows it. */
static uint32_t last_cp(const struct pass *p)
{
	const sach_buf *o = p->out;
	size_t k = o->len;
	uint32_t cp = 0;
	bool valid;

	if (p->pending_spaces)
		return ' ';
	if (p->pending_newlines)
		return '\n';
	if (p->last_cp != LAST_CP_IN_OUTPUT)
		return p->last_cp;
	if (k == 0)
		return 0;
	while (k > 0 && o->len - k < 4 && ((unsigned char)o->ptr[k - 1] & 0xC0) == 0x80)
		k--;
	if (k > 0)
		k--;
	sach_utf8_decode(o->ptr + k, o->len - k, &cp, &valid);
	return cp;
}

/* Scripts whose spelling uses ZWJ/ZWNJ (Hebrew to Mongolian and the Indic
 * and South-East Asian blocks, Arabic presentation forms, emoji sequences). */
static bool uses_joiners(uint32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x1CFF) ||
	       (cp >= 0xA800 && cp <= 0xABFF) ||
	       (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFE) ||
	       (cp >= 0x2600 && cp <= 0x27BF) || cp == 0xFE0F ||
	       (cp >= 0x10000 && cp <= 0x1FAFF);
}

static int put_cp(struct pass *p, uint32_t cp)
{
	char enc[4];
	size_t k;
	int rc;

	if ((rc = flush_pending(p)) < 0)
		return rc;
	if ((cp >= 0x300 || (p->o->form == SACH_NF_NFKC && cp >= 0x80)) &&
	    p->o->form != SACH_NF_NONE) {
		uint16_t cls = sach__ucls(cp);

		if (cls & p->nf_check) {
			uint8_t ccc = sach__ccc(cp);

			if ((cls & p->nf_qc_no) || (ccc != 0 && p->last_ccc > ccc)) {
				if ((rc = mark_line(p)) < 0)
					return rc;
			}
			p->last_ccc = ccc;
		} else {
			p->last_ccc = 0;
		}
	} else {
		p->last_ccc = 0;
	}
	k = sach_utf8_encode(cp, enc);
	p->last_cp = cp;
	return put_bytes(p, enc, k);
}

/*
 * One code point that is not part of a plain run. `next`/`next_len` is the
 * input after it, for CRLF and for the joiner rule.
 */
static int handle_cp(struct pass *p, uint32_t cp, const char *next, size_t next_len,
		     size_t *skip_next)
{
	const sach_normalise_options *o = p->o;
	uint16_t cls;

	*skip_next = 0;
	if (cp == ' ')
		return add_space(p), SACH_OK;
	if (cp == '\n')
		return add_newline(p, 'n');
	if (cp == '\r') {
		bool crlf = next_len && next[0] == '\n';

		if (crlf)
			*skip_next = 1;
		if (!o->unify_newlines)
			return add_newline(p, crlf ? 'c' : 'r');
		p->c.newlines++;
		return add_newline(p, 'n');
	}
	cls = sach__ucls(cp);
	if ((cls & SACH__CLS_LINEBREAK) && o->unify_newlines) {
		int rc;

		p->c.newlines++;
		/* U+2029 PARAGRAPH SEPARATOR ends a paragraph: a blank line. */
		if (cp == 0x2029 && (rc = add_newline(p, 'n')) < 0)
			return rc;
		return add_newline(p, 'n');
	}
	if ((cls & SACH__CLS_SPACE) && o->map_spaces) {
		p->c.spaces_mapped++;
		add_space(p);
		return SACH_OK;
	}
	if ((cls & SACH__CLS_CONTROL) && o->remove_controls) {
		p->c.controls++;
		p->unstable = true;
		return SACH_OK;
	}
	if ((cls & SACH__CLS_INVISIBLE) && o->remove_invisible) {
		p->c.invisible++;
		p->unstable = true;
		return SACH_OK;
	}
	if ((cls & SACH__CLS_JOINER) && o->remove_invisible) {
		uint32_t after = 0;

		if (next_len) {
			bool valid;
			sach_utf8_decode(next, next_len, &after, &valid);
		}
		if (!uses_joiners(last_cp(p)) && !uses_joiners(after)) {
			p->c.invisible++;
			p->unstable = true;
			return SACH_OK;
		}
	}
	if ((cls & SACH__CLS_FULLWIDTH) && o->fold_fullwidth) {
		p->c.fullwidth++;
		p->unstable = true;
		cp = sach__fullwidth_fold(cp);
	}
	return put_cp(p, cp);
}

/* Whether the character at s starts a plain run (see run_pass). */
static inline bool plain_at(const unsigned char *s, size_t len, uint16_t slow_mask)
{
	uint32_t cp;

	if (s[0] < 0x80)
		return ascii_kind[s[0]] == K_PLAIN;
	return sach__utf8_decode_fast(s, len, &cp) && !(sach__ucls(cp) & slow_mask);
}


#if defined(__SSE2__) && !defined(SACH_NORMALISE_NO_FASTPATH)
/* 0xFF in each byte of x that lies in [lo, hi] (unsigned). */
static inline __m128i in_range(__m128i x, unsigned char lo, unsigned char hi)
{
	__m128i t = _mm_sub_epi8(x, _mm_set1_epi8((char)lo));

	return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)(hi - lo))), t);
}

/*
 * Length of the plain prefix of s made of whole 16-byte blocks: every byte
 * is printable ASCII (not '&'), a single space, or part of a well-formed
 * U+00C0-U+027F or U+1E00-U+1EFF character. A block may end inside a
 * character; the prefix then stops at that character's first byte. The
 * scalar loop handles everything else. This is the case that matters for
 * Vietnamese text, and the scalar loop's cost there is a dependency chain
 * of table lookups per character, not work.
 */
static size_t plain_blocks(const unsigned char *s, size_t n, bool prev_space)
{
	size_t j = 0;

	while (j + 16 <= n) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
		unsigned plain = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(
			_mm_cmpeq_epi8(x, _mm_set1_epi8('&')), in_range(x, 0x21, 0x7E)));
		unsigned space = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')));
		unsigned cont = (unsigned)_mm_movemask_epi8(in_range(x, 0x80, 0xBF));
		unsigned latin = (unsigned)_mm_movemask_epi8(in_range(x, 0xC3, 0xC9));
		unsigned e1 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE1)));
		unsigned b8bb = (unsigned)_mm_movemask_epi8(in_range(x, 0xB8, 0xBB));
		unsigned expect_cont = ((latin << 1) | (e1 << 1) | (e1 << 2)) & 0xFFFF;
		/* A character cut by the block's end is left for the next round,
		 * and so is a final space, whose right neighbour is not known. */
		unsigned back = (e1 >> 14) & 1 ? 2 : ((latin | e1 | space) >> 15) ? 1 : 0;

		if ((plain | space | cont | latin | e1) != 0xFFFF ||
		    (cont & ~expect_cont & 0xFFFF) != 0 ||
		    (expect_cont & ~cont & 0xFFFF) != 0 ||
		    ((e1 << 1) & ~b8bb & 0xFFFF) != 0 ||
		    (space & (space >> 1)) != 0 ||
		    ((space & 1) && prev_space))
			break;
		/* The next block starts at the cut character's first byte. */
		j += 16 - back;
		prev_space = s[j - 1] == ' ';
	}
	return j;
}
#endif

static int run_pass(sach_normaliser *n, const char *text, size_t len, sach_buf *out,
		    sach_normalise_counts *counts, bool *unstable)
{
	const unsigned char *in = (const unsigned char *)text;
	struct pass p;
	uint16_t slow_mask;
	size_t i = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	p.n = n;
	p.o = &n->o;
	p.out = out;
	p.line_start = true;
	p.doc_start = true;
	p.nf_check = n->o.form == SACH_NF_NFKC ? SACH__CLS_NFKC_CHECK : SACH__CLS_NFC_CHECK;
	p.nf_qc_no = n->o.form == SACH_NF_NFKC ? SACH__CLS_NFKC_QC_NO : SACH__CLS_NFC_QC_NO;
	/* Characters with any of these classes leave the plain run. */
	slow_mask = (uint16_t)(SACH__CLS_SPACE | SACH__CLS_LINEBREAK | SACH__CLS_CONTROL |
			       SACH__CLS_INVISIBLE | SACH__CLS_JOINER | SACH__CLS_FULLWIDTH);
	if (n->o.form != SACH_NF_NONE)
		slow_mask |= p.nf_check;
	n->nmarks = 0;
	sach_buf_clear(&n->nl_forms);
	sach_buf_clear(out);
	if ((rc = sach_buf_reserve(out, len + 64)) < 0)
		return rc;

	while (i < len) {
		size_t j = i;
		uint32_t cp;
		size_t used, skip;

		/* A plain run: printable ASCII except '&', and non-ASCII characters
		 * that no step touches (most Vietnamese letters), copied in one go. */
		/* The fast paths know which letters NFC leaves alone; under NFKC
		 * (x\u00B2, U+1E9A) every character goes through the class table. */
		if (in[i] != ' ' && n->o.form != SACH_NF_NFKC) {
			for (;;) {
				/* Branch-free step over the common characters: one table
				 * lookup gives the length (plain ASCII and single spaces:
				 * 1; U+00C0-U+027F: 2; U+1E00-U+1EFF: 3), one masked compare
				 * checks the continuation bytes and that no second space
				 * follows. Mispredicted branches, not work, are what cost
				 * on text that mixes ASCII and Vietnamese letters. */
#ifndef SACH_NORMALISE_NO_FASTPATH
				size_t stop;
#if defined(__SSE2__)
				j += plain_blocks(in + j, len - j, j > i && in[j - 1] == ' ');
#endif
				/* Scalar steps past whatever stopped the block test (a cut
				 * character, a rarer letter), then back to whole blocks. */
				stop = j + 32;
				while (j + 4 <= len) {
					uint32_t w = (uint32_t)in[j] | (uint32_t)in[j + 1] << 8 |
						     (uint32_t)in[j + 2] << 16 | (uint32_t)in[j + 3] << 24;
					unsigned step = run_step[w & 0xFF];

					if (((w & run_mask[step]) != run_want[step]) | ((w & 0xFFFF) == 0x2020))
						break;
					j += step;
					if (j >= stop)
						break;
				}
				if (j >= stop && j + 4 <= len)
					continue;
#endif
				/* Any other character that no step touches continues the run. */
				if (j < len && in[j] >= 0x80 &&
				    (used = sach__utf8_decode_fast(in + j, len - j, &cp)) != 0 &&
				    !(sach__ucls(cp) & slow_mask)) {
					j += used;
					continue;
				}
				if (j < len && j + 4 > len && plain_at(in + j, len - j, slow_mask) &&
				    !(in[j] == ' ' && (j + 1 == len || in[j + 1] == ' '))) {
					j += in[j] < 0x80 ? 1 : sach__utf8_decode_fast(in + j, len - j, &cp);
					continue;
				}
				break;
			}
			/* A space that ends the run may need trimming or collapsing. */
			if (j > i && in[j - 1] == ' ')
				j--;
		}
		if (j > i) {
			if ((rc = flush_pending(&p)) < 0 ||
			    (rc = put_bytes(&p, text + i, j - i)) < 0)
				return rc;
			p.last_cp = LAST_CP_IN_OUTPUT;
			p.last_ccc = 0;
			i = j;
			continue;
		}
		if (in[i] == ' ') {
			add_space(&p);
			i++;
			continue;
		}
		if (in[i] == '&' && n->o.entities != SACH_ENTITIES_NONE) {
			uint32_t cps[2];
			int ncp = 0, k;

			used = sach__entity_decode(text + i, len - i,
						   n->o.entities == SACH_ENTITIES_ALL, cps, &ncp);
			if (used) {
				p.c.entities++;
				p.unstable = true;
				i += used;
				/* "&amp;lt;": the decoded '&' starts a reference with what
				 * follows; decode it here so any depth takes one pass. */
				while (ncp == 1 && cps[0] == '&' && i < len) {
					char probe[64];
					size_t room = len - i < sizeof(probe) - 1 ? len - i : sizeof(probe) - 1;
					size_t more;

					probe[0] = '&';
					memcpy(probe + 1, text + i, room);
					more = sach__entity_decode(probe, room + 1,
								   n->o.entities == SACH_ENTITIES_ALL, cps, &ncp);
					if (!more) {
						cps[0] = '&';
						ncp = 1;
						break;
					}
					p.c.entities++;
					i += more - 1;
				}
				for (k = 0; k < ncp; k++) {
					rc = handle_cp(&p, cps[k], text + i, len - i, &skip);
					if (rc < 0)
						return rc;
					i += skip;
				}
				continue;
			}
		}
		if (in[i] < 0x80) {
			cp = in[i];
			used = 1;
		} else {
			bool valid;

			used = sach_utf8_decode(text + i, len - i, &cp, &valid);
			if (!valid) {
				if (n->o.reject_invalid_utf8)
					return sach__error_set(SACH_EUTF8,
						"invalid UTF-8 at byte %zu of the text", i);
				p.c.utf8_repaired++;
			}
		}
		i += used;
		if ((rc = handle_cp(&p, cp, text + i, len - i, &skip)) < 0)
			return rc;
		i += skip;
	}
	/* End of text: what is still pending is trailing whitespace. */
	if (n->o.trim_lines) {
		p.c.spaces_trimmed += p.pending_spaces;
		p.c.blank_lines += p.pending_newlines;
	} else if ((p.pending_spaces || p.pending_newlines) && (rc = flush_pending_slow(&p)) < 0) {
		return rc;
	}
	out->ptr[out->len] = '\0';
	sach_normalise_counts_add(counts, &p.c);
	*unstable = p.unstable || n->nmarks > 0;
	return SACH_OK;
}

/* Runs ICU over the marked lines of `src` into `dst`. */
static int apply_nf(sach_normaliser *n, const sach_buf *src, sach_buf *dst,
		    sach_normalise_counts *counts)
{
	size_t pos = 0, k;
	int rc;

	sach_buf_clear(dst);
	for (k = 0; k < n->nmarks; k++) {
		size_t start = n->marks[k];
		size_t end = start;
		/* A kept CR ends a line too (the next mark may start right after it). */
		while (end < src->len && src->ptr[end] != '\n' && src->ptr[end] != '\r')
			end++;
		bool changed = false;

		if ((rc = sach_buf_append(dst, src->ptr + pos, start - pos)) < 0)
			return rc;
		rc = sach_unicode_normalize(src->ptr + start, end - start, n->o.form, dst, &changed);
		if (rc < 0)
			return rc;
		if (changed)
			counts->nf_lines++;
		pos = end;
	}
	return sach_buf_append(dst, src->ptr + pos, src->len - pos);
}

/* Swaps the contents of two buffers (cheap: three words each). */
static void buf_swap(sach_buf *a, sach_buf *b)
{
	sach_buf t = *a;

	*a = *b;
	*b = t;
}

int sach_normalise_text(sach_normaliser *n, const char *text, size_t len,
			const char **out, size_t *out_len,
			sach_normalise_counts *counts, bool *changed)
{
	sach_normalise_counts local;
	sach_viet_counts vc_first;
	const char *src = text;
	size_t src_len = len;
	int round, rc, slot = 0;
	bool have_vc = false;

	memset(&local, 0, sizeof(local));
	memset(&vc_first, 0, sizeof(vc_first));
	if (n->o.input_encoding != SACH_ENC_UTF8) {
		size_t unmapped = 0;

		sach_buf_clear(&n->decoded);
		rc = sach_legacy_decode(n->o.input_encoding, text, len, &n->decoded, &unmapped);
		if (rc < 0)
			return rc;
		local.legacy_unmapped += unmapped;
		src = n->decoded.ptr ? n->decoded.ptr : "";
		src_len = n->decoded.len;
	}
	memset(&n->last_repair, 0, sizeof(n->last_repair));
	if (n->o.repair_auto) {
		/* Before anything else: the Unicode pass would delete the C1
		 * controls and reorder the bytes that are the evidence. */
		sach_buf_clear(&n->repaired);
		rc = sach_repair_auto(src, src_len, &n->repaired, &n->last_repair);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			local.mojibake_lines += n->last_repair.lines_repaired;
			src = n->repaired.ptr;
			src_len = n->repaired.len;
		}
	}
	for (round = 0; round < MAX_ROUNDS; round++) {
		sach_buf *dst = &n->pass_out[slot];
		const char *in = src;
		size_t in_len = src_len;
		bool unstable = false;

		/* Vietnamese repairs that NFC cannot do (mark order, spacing tone
		 * characters, lookalike letters) must come before NFC. */
		if (n->o.viet) {
			size_t repairs = 0;

			sach_buf_clear(&n->viet_pre);
			if ((rc = sach_viet_repair_marks(in, in_len, &n->viet_pre, &repairs)) < 0)
				return rc;
			if (repairs) {
				local.mark_repairs += repairs;
				in = n->viet_pre.ptr;
				in_len = n->viet_pre.len;
			}
		}
		if ((rc = run_pass(n, in, in_len, dst, &local, &unstable)) < 0)
			return rc;
		if (n->nmarks) {
			if ((rc = apply_nf(n, dst, &n->nf_out, &local)) < 0)
				return rc;
			/* Swap so the NF result sits in the pass slot. */
			buf_swap(dst, &n->nf_out);
		}
		/* Tone placement works on NFC text, so it comes after. */
		if (n->o.viet) {
			sach_viet_counts vc;

			memset(&vc, 0, sizeof(vc));
			sach_buf_clear(&n->viet_post);
			if (!counts) {
				/* No one asked for counts: the fast path only parses the
				 * tokens whose mark may have to move, and copies nothing
				 * when no mark moves. Same output as with counts. */
				int moved = 0;

				rc = sach__viet_retone_text_lazy(dst->ptr ? dst->ptr : "", dst->len,
								 n->o.tone_style, &n->viet_post, NULL,
								 &moved);
				if (rc < 0)
					return rc;
				if (moved)
					buf_swap(dst, &n->viet_post);
			} else if ((rc = sach_viet_retone_text(dst->ptr ? dst->ptr : "", dst->len,
							       n->o.tone_style, &n->viet_post, &vc)) < 0) {
				return rc;
			}
			if (vc.retoned) {
				uint64_t fixed = vc.misplaced < vc.retoned ? vc.misplaced : vc.retoned;

				local.tones_fixed += fixed;
				local.tones_restyled += vc.retoned - fixed;
				buf_swap(dst, &n->viet_post);
			}
			if (!have_vc)
				vc_first = vc;
			have_vc = true;
		}
		if (dst->len == src_len && memcmp(dst->ptr, src, src_len) == 0)
			break;
		src = dst->ptr;
		src_len = dst->len;
		slot ^= 1;
		if (!unstable)
			break;
	}
	if (have_vc) {
		/* What the text is: as tone placement first found it (after the
		 * Unicode cleanup, before marks were moved). */
		local.syllables += vc_first.syllables;
		local.well_formed += vc_first.well_formed;
		local.with_diacritics += vc_first.diacritics;
		local.old_style += vc_first.old_style;
		local.new_style += vc_first.new_style;
		local.ambiguous_tones += vc_first.ambiguous;
	}
	*out = src;
	*out_len = src_len;
	if (changed)
		*changed = src_len != len || memcmp(src, text, len) != 0;
	if (counts)
		sach_normalise_counts_add(counts, &local);
	return SACH_OK;
}

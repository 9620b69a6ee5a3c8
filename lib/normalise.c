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

#include <stdlib.h>
#include <string.h>

#define MAX_ROUNDS 16

struct sach_normaliser {
	sach_normalise_options o;
	sach_buf pass_out[2];
	sach_buf nf_out;
	sach_buf nf_line;
	size_t *marks;            /* output offsets of lines that need NFC/NFKC */
	size_t nmarks, cap_marks;
};

static const char *const count_names[SACH_NORMALISE_COUNT_FIELDS] = {
	"utf8_repaired", "entities", "controls", "invisible", "spaces_mapped",
	"spaces_collapsed", "spaces_trimmed", "newlines", "blank_lines",
	"lines_joined", "fullwidth", "nf_lines",
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
}

/* ASCII byte kinds for the fast path. Bytes >= 0x80 are K_OTHER too. */
enum { K_PLAIN = 0, K_OTHER = 1 };
static unsigned char ascii_kind[256];

static void init_ascii_kind(void)
{
	int b;

	for (b = 0; b < 256; b++)
		ascii_kind[b] = (b >= 0x21 && b < 0x7F && b != '&') ? K_PLAIN : K_OTHER;
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

void sach_normaliser_free(sach_normaliser *n)
{
	if (!n)
		return;
	sach_buf_free(&n->pass_out[0]);
	sach_buf_free(&n->pass_out[1]);
	sach_buf_free(&n->nf_out);
	sach_buf_free(&n->nf_line);
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
	size_t line_off;           /* output offset of the current line */
	uint32_t last_cp;
	uint8_t last_ccc;
	uint16_t nf_check, nf_qc_no;
	int err;
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

static int put_bytes(struct pass *p, const char *s, size_t len)
{
	return sach_buf_append(p->out, s, len);
}

static int put_repeat(struct pass *p, char ch, size_t count)
{
	int rc = sach_buf_reserve(p->out, count);

	if (rc < 0)
		return rc;
	memset(p->out->ptr + p->out->len, ch, count);
	p->out->len += count;
	p->out->ptr[p->out->len] = '\0';
	return SACH_OK;
}

/* Writes the held line breaks and spaces before visible content. */
static int flush_pending(struct pass *p)
{
	int rc;

	if (p->pending_newlines) {
		size_t breaks = p->pending_newlines;

		if (p->doc_start && p->o->trim_lines) {
			p->c.blank_lines += breaks;
			breaks = 0;
		} else if (p->o->max_blank_lines >= 0 &&
			   breaks - 1 > (size_t)p->o->max_blank_lines) {
			p->c.blank_lines += breaks - 1 - (size_t)p->o->max_blank_lines;
			breaks = (size_t)p->o->max_blank_lines + 1;
		}
		if (breaks && (rc = put_repeat(p, '\n', breaks)) < 0)
			return rc;
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

static void add_space(struct pass *p)
{
	p->pending_spaces++;
	p->last_cp = ' ';
	p->last_ccc = 0;
}

static int add_newline(struct pass *p)
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
	p->pending_newlines++;
	p->line_start = true;
	p->last_cp = '\n';
	p->last_ccc = 0;
	return SACH_OK;
}

/* Scripts whose spelling uses ZWJ/ZWNJ (Hebrew to Mongolian and the Indic
 * and South-East Asian blocks, Arabic presentation forms, emoji sequences). */
static bool uses_joiners(uint32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x1CFF) ||
	       (cp >= 0xA800 && cp <= 0xABFF) ||
	       (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFE) ||
	       (cp >= 0x2600 && cp <= 0x27BF) || cp == 0xFE0F || cp == 0x200D || cp == 0x200C ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x10000 && cp <= 0x1EFFF);
}

static int put_cp(struct pass *p, uint32_t cp)
{
	char enc[4];
	size_t k;
	int rc;

	if ((rc = flush_pending(p)) < 0)
		return rc;
	if (cp >= 0x300 && p->o->form != SACH_NF_NONE) {
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
 * One code point that is not part of a plain ASCII run. `next`/`next_len`
 * is the input after it, for CRLF and for the joiner rule.
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
		return add_newline(p);
	if (cp == '\r' && o->unify_newlines) {
		p->c.newlines++;
		if (next_len && next[0] == '\n')
			*skip_next = 1;
		return add_newline(p);
	}
	cls = sach__ucls(cp);
	if ((cls & SACH__CLS_LINEBREAK) && o->unify_newlines) {
		p->c.newlines++;
		return add_newline(p);
	}
	if ((cls & SACH__CLS_SPACE) && o->map_spaces) {
		p->c.spaces_mapped++;
		add_space(p);
		return SACH_OK;
	}
	if ((cls & SACH__CLS_CONTROL) && o->remove_controls) {
		p->c.controls++;
		return SACH_OK;
	}
	if ((cls & SACH__CLS_INVISIBLE) && o->remove_invisible) {
		p->c.invisible++;
		return SACH_OK;
	}
	if ((cls & SACH__CLS_JOINER) && o->remove_invisible) {
		uint32_t after = 0;

		if (next_len) {
			bool valid;
			sach_utf8_decode(next, next_len, &after, &valid);
		}
		if (!uses_joiners(p->last_cp) && !uses_joiners(after)) {
			p->c.invisible++;
			return SACH_OK;
		}
	}
	if ((cls & SACH__CLS_FULLWIDTH) && o->fold_fullwidth) {
		p->c.fullwidth++;
		cp = sach__fullwidth_fold(cp);
	}
	return put_cp(p, cp);
}

static int run_pass(sach_normaliser *n, const char *in, size_t len, sach_buf *out,
		    sach_normalise_counts *counts)
{
	struct pass p;
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
	n->nmarks = 0;
	sach_buf_clear(out);
	if ((rc = sach_buf_reserve(out, len + 16)) < 0)
		return rc;

	while (i < len) {
		unsigned char b = (unsigned char)in[i];
		uint32_t cp;
		size_t used, skip;

		if (ascii_kind[b] == K_PLAIN) {
			size_t j = i + 1;

			while (j < len && ascii_kind[(unsigned char)in[j]] == K_PLAIN)
				j++;
			if ((rc = flush_pending(&p)) < 0 || (rc = put_bytes(&p, in + i, j - i)) < 0)
				return rc;
			p.last_cp = (unsigned char)in[j - 1];
			p.last_ccc = 0;
			i = j;
			continue;
		}
		if (b == '&' && n->o.entities != SACH_ENTITIES_NONE) {
			uint32_t cps[2];
			int ncp = 0, k;

			used = sach__entity_decode(in + i, len - i,
						   n->o.entities == SACH_ENTITIES_ALL, cps, &ncp);
			if (used) {
				p.c.entities++;
				i += used;
				for (k = 0; k < ncp; k++) {
					rc = handle_cp(&p, cps[k], in + i, len - i, &skip);
					if (rc < 0)
						return rc;
					i += skip;
				}
				continue;
			}
		}
		if (b < 0x80) {
			cp = b;
			used = 1;
		} else {
			bool valid;

			used = sach_utf8_decode(in + i, len - i, &cp, &valid);
			if (!valid) {
				if (n->o.reject_invalid_utf8)
					return sach__error_set(SACH_EUTF8,
						"invalid UTF-8 at byte %zu of the text", i);
				p.c.utf8_repaired++;
			}
		}
		i += used;
		if ((rc = handle_cp(&p, cp, in + i, len - i, &skip)) < 0)
			return rc;
		i += skip;
	}
	/* End of text: what is still pending is trailing whitespace. */
	if (n->o.trim_lines) {
		p.c.spaces_trimmed += p.pending_spaces;
		p.c.blank_lines += p.pending_newlines;
	} else if ((p.pending_spaces || p.pending_newlines) && (rc = flush_pending(&p)) < 0) {
		return rc;
	}
	sach_normalise_counts_add(counts, &p.c);
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
		const char *nl = memchr(src->ptr + start, '\n', src->len - start);
		size_t end = nl ? (size_t)(nl - src->ptr) : src->len;
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

int sach_normalise_text(sach_normaliser *n, const char *text, size_t len,
			const char **out, size_t *out_len,
			sach_normalise_counts *counts, bool *changed)
{
	sach_normalise_counts local;
	const char *src = text;
	size_t src_len = len;
	int round, rc, slot = 0;

	memset(&local, 0, sizeof(local));
	for (round = 0; round < MAX_ROUNDS; round++) {
		sach_buf *dst = &n->pass_out[slot];

		if ((rc = run_pass(n, src, src_len, dst, &local)) < 0)
			return rc;
		if (n->nmarks) {
			if ((rc = apply_nf(n, dst, &n->nf_out, &local)) < 0)
				return rc;
			/* Swap so the NF result sits in the pass slot. */
			{
				sach_buf t = *dst;
				*dst = n->nf_out;
				n->nf_out = t;
			}
		}
		if (dst->len == src_len && memcmp(dst->ptr, src, src_len) == 0)
			break;
		src = dst->ptr;
		src_len = dst->len;
		slot ^= 1;
	}
	*out = src;
	*out_len = src_len;
	if (changed)
		*changed = src != text;
	if (counts)
		sach_normalise_counts_add(counts, &local);
	return SACH_OK;
}

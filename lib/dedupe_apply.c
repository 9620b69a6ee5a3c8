/*
 * dedupe_apply.c - stage 3: the decisions of the drop list for one part.
 *
 * Only this part's entries are kept in memory (sorted by line, as cluster
 * wrote them), plus the repeated line keys and the lines of this part's
 * documents that hold a repeated line; documents arrive in line order, so
 * finding a document's entry or mark is one step of a cursor. Only marked
 * documents have their lines folded: cluster saw every line key of every
 * kept document, so an unmarked one has nothing to remove.
 */
#include "dedupe_internal.h"
#include "error_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Bits of the pre-key filter: most lines of a marked document are not
 * repeated, and one bit test turns most of them away. */
#define PRE_BITS 65536

struct entry {
	uint64_t line;
	uint64_t cluster;
	uint32_t size;
	uint8_t reason;
	uint32_t id;               /* offset of the kept document's id in ids */
};

struct unit {
	size_t start, len;
	bool removed;
};

struct sach_dedupe_applier {
	sach__dd_header h;
	uint32_t part;
	unsigned min_words;
	uint64_t signed_docs;
	struct entry *e;
	size_t ne, cap, cur;
	sach_buf ids;              /* NUL-terminated ids */
	uint64_t *lines;
	size_t nlines, lines_cap;
	uint64_t *marks;           /* lines of this part's marked documents */
	size_t nmarks, marks_cap, mcur;
	uint64_t *pre;             /* pre-keys of the repeated lines, ascending */
	size_t npre, pre_cap;
	uint64_t pre_bits[PRE_BITS / 64]; /* a filter before the search */
	const char *base;          /* the text remove_lines() works on */
	sach_buf scratch, pre_text, units;
	uint64_t last_line;
	sach_dedupe_apply_stats st;
	char *path;
};

static const char *const reasons[] = {
	"", "exact-duplicate", "near-duplicate", "exact-duplicate-of-index", "near-duplicate-of-index"
};

static int read_entry(sach_dedupe_applier *a, sach__dd_in *in)
{
	char id[SACH__DD_MAX_ID + 1];
	struct entry e;
	uint32_t part, idlen;
	int rc;

	if ((rc = sach__dd_in_u32(in, &part)) < 0 || (rc = sach__dd_in_u64(in, &e.line)) < 0 ||
	    (rc = sach__dd_in_u8(in, &e.reason)) < 0 || (rc = sach__dd_in_u64(in, &e.cluster)) < 0 ||
	    (rc = sach__dd_in_u32(in, &e.size)) < 0 || (rc = sach__dd_in_u32(in, &idlen)) < 0)
		return rc;
	if (e.reason > 4 || idlen > SACH__DD_MAX_ID)
		return sach__dd_in_corrupt(in, "bad entry");
	if ((rc = sach__dd_in_bytes(in, id, idlen)) < 0)
		return rc;
	if (part != a->part)
		return 0;
	if (a->ne && e.line <= a->e[a->ne - 1].line)
		return sach__dd_in_corrupt(in, "entries out of order");
	if (a->ne == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		struct entry *p = realloc(a->e, cap * sizeof(*p));

		if (!p)
			return sach__error_nomem();
		a->e = p;
		a->cap = cap;
	}
	e.id = (uint32_t)a->ids.len;
	id[idlen] = '\0';
	if ((rc = sach_buf_append(&a->ids, id, (size_t)idlen + 1)) < 0)
		return rc;
	a->e[a->ne++] = e;
	return 0;
}

static int read_line_key(sach_dedupe_applier *a, sach__dd_in *in)
{
	uint64_t k;
	int rc;

	if ((rc = sach__dd_in_u64(in, &k)) < 0)
		return rc;
	if (a->nlines && k <= a->lines[a->nlines - 1])
		return sach__dd_in_corrupt(in, "line keys out of order");
	if (a->nlines == a->lines_cap) {
		size_t cap = a->lines_cap ? a->lines_cap * 2 : 256;
		uint64_t *p = realloc(a->lines, cap * sizeof(*p));

		if (!p)
			return sach__error_nomem();
		a->lines = p;
		a->lines_cap = cap;
	}
	a->lines[a->nlines++] = k;
	return 0;
}

static int read_prekey(sach_dedupe_applier *a, sach__dd_in *in)
{
	uint64_t k;
	int rc;

	if ((rc = sach__dd_in_u64(in, &k)) < 0)
		return rc;
	if (a->npre && k <= a->pre[a->npre - 1])
		return sach__dd_in_corrupt(in, "pre-keys out of order");
	if (a->npre == a->pre_cap) {
		size_t cap = a->pre_cap ? a->pre_cap * 2 : 256;
		uint64_t *p = realloc(a->pre, cap * sizeof(*p));

		if (!p)
			return sach__error_nomem();
		a->pre = p;
		a->pre_cap = cap;
	}
	a->pre[a->npre++] = k;
	a->pre_bits[(k % PRE_BITS) / 64] |= (uint64_t)1 << (k % 64);
	return 0;
}

static int read_mark(sach_dedupe_applier *a, sach__dd_in *in)
{
	uint64_t line;
	uint32_t part;
	int rc;

	if ((rc = sach__dd_in_u32(in, &part)) < 0 || (rc = sach__dd_in_u64(in, &line)) < 0)
		return rc;
	if (part != a->part)
		return 0;
	if (a->nmarks && line <= a->marks[a->nmarks - 1])
		return sach__dd_in_corrupt(in, "marks out of order");
	if (a->nmarks == a->marks_cap) {
		size_t cap = a->marks_cap ? a->marks_cap * 2 : 256;
		uint64_t *p = realloc(a->marks, cap * sizeof(*p));

		if (!p)
			return sach__error_nomem();
		a->marks = p;
		a->marks_cap = cap;
	}
	a->marks[a->nmarks++] = line;
	return 0;
}

int sach_dedupe_applier_open(sach_dedupe_applier **out, const char *droplist, uint32_t part,
			     unsigned min_words)
{
	sach_dedupe_applier *a;
	sach__dd_in *in = NULL;
	bool found = false;
	int rc, tag;

	*out = NULL;
	if (!droplist)
		return sach__error_set(SACH_EINVAL, "dedupe apply: no drop list");
	if (!(a = calloc(1, sizeof(*a))) || !(a->path = strdup(droplist))) {
		free(a);
		return sach__error_nomem();
	}
	a->part = part;
	a->min_words = min_words;
	if ((rc = sach__dd_in_open(&in, droplist, SACH__DD_DROP, &a->h)) < 0)
		goto fail;
	while ((rc = sach__dd_in_next(in, &tag)) == 1) {
		if (tag == SACH__DD_TAG_PART) {
			uint32_t p;
			uint64_t n;

			if ((rc = sach__dd_in_u32(in, &p)) < 0 || (rc = sach__dd_in_u64(in, &n)) < 0)
				goto fail;
			if (p == part)
				found = true, a->signed_docs = n;
		} else if (tag == SACH__DD_TAG_ENTRY) {
			if ((rc = read_entry(a, in)) < 0)
				goto fail;
		} else if (tag == SACH__DD_TAG_LINE) {
			if ((rc = read_line_key(a, in)) < 0)
				goto fail;
		} else if (tag == SACH__DD_TAG_MARK) {
			if ((rc = read_mark(a, in)) < 0)
				goto fail;
		} else if (tag == SACH__DD_TAG_PREKEY) {
			if ((rc = read_prekey(a, in)) < 0)
				goto fail;
		} else {
			rc = sach__dd_in_corrupt(in, "unexpected record");
			goto fail;
		}
	}
	if (rc < 0)
		goto fail;
	sach__dd_in_close(in);
	if (!found) {
		rc = sach__error_set(SACH_ECONFIG, "%s: part %u was not among the signature files "
				     "given to cluster", droplist, part);
		in = NULL;
		goto fail;
	}
	*out = a;
	return 0;
fail:
	sach__dd_in_close(in);
	sach_dedupe_applier_free(a);
	return rc;
}

static bool in_sorted(const uint64_t *v, size_t n, uint64_t k)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < k)
			lo = mid + 1;
		else if (v[mid] > k)
			hi = mid;
		else
			return true;
	}
	return false;
}

static bool is_repeated(const sach_dedupe_applier *a, uint64_t k)
{
	return in_sorted(a->lines, a->nlines, k);
}

/*
 * Whether a line may be repeated, from its pre-key alone: the signer paired
 * every line key with the pre-key of the same line's text, and cluster
 * listed every pre-key paired with a repeated key in a kept document; so a
 * line of a kept document whose pre-key is not listed has a key that is not
 * repeated, and need not be folded.
 */
static int may_repeat(sach_dedupe_applier *a, const char *s, size_t n, bool *maybe)
{
	uint64_t k;
	int rc;

	sach_buf_clear(&a->pre_text);
	if ((rc = sach__dd_prekey_text(s, n, &a->pre_text)) < 0)
		return rc;
	k = XXH3_64bits(a->pre_text.ptr, a->pre_text.len);
	*maybe = (a->pre_bits[(k % PRE_BITS) / 64] >> (k % 64) & 1) && in_sorted(a->pre, a->npre, k);
	return 0;
}

static int collect_unit(void *ctx, const char *s, size_t n)
{
	sach_dedupe_applier *a = ctx;
	struct unit u;

	u.start = (size_t)(s - a->base);
	u.len = n;
	u.removed = false;
	return sach_buf_append(&a->units, &u, sizeof(u));
}

/* Words of s, counted up to `enough` (the callers only ask "at least"). */
static size_t count_words(const char *s, size_t n, size_t enough)
{
	size_t i, words = 0;
	bool in_word = false;

	for (i = 0; i < n && words < enough; i++) {
		bool sp = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r';

		if (!sp && !in_word)
			words++;
		in_word = !sp;
	}
	return words;
}

/*
 * Removes repeated units from the text. Lines inside a removed unit go;
 * a blank line that would then start the text, follow another blank line,
 * or end the text goes with them, so removal leaves no holes. Returns the
 * number of units removed (0: text untouched), or a negative code.
 */
static int64_t remove_lines(sach_dedupe_applier *a, const char *text, size_t len, sach_buf *out)
{
	struct unit *u;
	size_t nu, k, i = 0, kept_lines = 0;
	int64_t removed = 0;
	bool last_blank = true, after_cut = false;
	uint64_t key;
	int rc;

	sach_buf_clear(&a->units);
	a->base = text;
	if ((rc = sach__dd_each_unit(text, len, a->h.p.paragraphs, collect_unit, a)) < 0)
		return rc;
	u = (struct unit *)(void *)a->units.ptr;
	nu = a->units.len / sizeof(*u);
	for (k = 0; k < nu; k++) {
		bool maybe;

		if ((rc = may_repeat(a, text + u[k].start, u[k].len, &maybe)) < 0)
			return rc;
		if (!maybe)
			continue;
		if ((rc = sach_dedupe_line_key(text + u[k].start, u[k].len, &a->scratch, &key)) < 0)
			return rc;
		if (key && is_repeated(a, key)) {
			u[k].removed = true;
			removed++;
			a->st.bytes_removed += u[k].len;
		}
	}
	if (!removed)
		return 0;
	sach_buf_clear(out);
	k = 0;
	for (;;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len, j;
		bool blank = true, cut;

		/* Units start and end at line boundaries, in order. */
		while (k < nu && u[k].start + u[k].len < end)
			k++;
		cut = k < nu && u[k].removed && u[k].start <= i && end <= u[k].start + u[k].len;
		for (j = i; j < end && blank; j++)
			blank = text[j] == ' ' || text[j] == '\t' || text[j] == '\r';
		if (cut) {
			after_cut = true;
		} else if (!(blank && (last_blank || after_cut))) {
			if (kept_lines++ && (rc = sach_buf_append(out, "\n", 1)) < 0)
				return rc;
			if ((rc = sach_buf_append(out, text + i, end - i)) < 0)
				return rc;
			last_blank = blank;
			if (!blank)
				after_cut = false;
		}
		if (!nl)
			break;
		i = end + 1;
	}
	/* Blank lines left at the end by a removal go too. */
	while (after_cut && out->len) {
		char *p = memrchr(out->ptr, '\n', out->len);
		size_t start = p ? (size_t)(p - out->ptr) + 1 : 0;

		if (count_words(out->ptr + start, out->len - start, 1))
			break;
		out->len = p ? (size_t)(p - out->ptr) : 0;
		out->ptr[out->len] = '\0';
	}
	return removed;
}

int sach_dedupe_apply(sach_dedupe_applier *a, sach_doc *doc, uint64_t line, const char **reason)
{
	const struct entry *e = NULL;
	const char *text;
	size_t len;
	int64_t removed = 0;
	bool marked = false;
	int rc;

	if (!a || !doc || !reason)
		return sach__error_set(SACH_EINVAL, "dedupe apply: NULL argument");
	if (a->st.docs && line <= a->last_line)
		return sach__error_set(SACH_EINVAL, "dedupe apply: line %" PRIu64 " after line %" PRIu64,
				       line, a->last_line);
	/* More documents than were signed is known now, before the caller
	 * writes anything more; fewer is known only at finish. */
	if (a->st.docs >= a->signed_docs)
		return sach__error_set(SACH_ECONFIG, "input part %u changed since it was signed: "
				       "more than the %" PRIu64 " documents signed", a->part,
				       a->signed_docs);
	a->last_line = line;
	a->st.docs++;
	if (a->cur < a->ne && a->e[a->cur].line < line)
		return sach__error_set(SACH_ECONFIG, "input part %u changed since it was signed: "
				       "no document at line %" PRIu64, a->part, a->e[a->cur].line);
	if (a->cur < a->ne && a->e[a->cur].line == line)
		e = &a->e[a->cur++];
	if (a->mcur < a->nmarks && a->marks[a->mcur] < line)
		return sach__error_set(SACH_ECONFIG, "input part %u changed since it was signed: "
				       "no document at line %" PRIu64, a->part, a->marks[a->mcur]);
	if (a->mcur < a->nmarks && a->marks[a->mcur] == line)
		marked = true, a->mcur++;
	if (e && a->h.cluster_info) {
		char hex[17];

		snprintf(hex, sizeof(hex), "%016" PRIx64, e->cluster);
		if ((rc = sach_doc_meta_set_string(doc, "dedupe", "cluster", hex)) < 0 ||
		    (rc = sach_doc_meta_set_int(doc, "dedupe", "cluster_size", e->size)) < 0)
			return rc;
	}
	if (e && e->reason) {
		if ((rc = sach_doc_meta_set_string(doc, "rejected", "duplicate_of", a->ids.ptr + e->id)) < 0)
			return rc;
		a->st.dropped++;
		*reason = reasons[e->reason];
		return 1;
	}
	if (!a->h.p.lines || a->nlines == 0 || !marked)
		return 0;
	text = sach_doc_text(doc, &len);
	{
		sach_buf out = { 0 };

		removed = remove_lines(a, text, len, &out);
		if (removed > 0) {
			a->st.lines_removed += (uint64_t)removed;
			a->st.docs_changed++;
			size_t min = a->min_words ? a->min_words : 1;

			if (count_words(out.ptr ? out.ptr : "", out.len, min) < min) {
				sach_buf_free(&out);
				a->st.too_short++;
				*reason = "too-short-after-lines";
				return 1;
			}
			rc = sach_doc_set_text(doc, out.ptr ? out.ptr : "", out.len);
			sach_buf_free(&out);
			if (rc < 0)
				return rc;
		}
		sach_buf_free(&out);
		if (removed < 0)
			return (int)removed;
	}
	return 0;
}

int sach_dedupe_applier_finish(sach_dedupe_applier *a)
{
	if (a->st.docs != a->signed_docs || a->cur != a->ne || a->mcur != a->nmarks)
		return sach__error_set(SACH_ECONFIG, "input part %u changed since it was signed: "
				       "%" PRIu64 " documents signed, %" PRIu64 " seen", a->part,
				       a->signed_docs, a->st.docs);
	return 0;
}

const sach_dedupe_apply_stats *sach_dedupe_applier_stats(const sach_dedupe_applier *a)
{
	return &a->st;
}

void sach_dedupe_applier_free(sach_dedupe_applier *a)
{
	if (!a)
		return;
	free(a->e);
	free(a->lines);
	free(a->marks);
	free(a->pre);
	sach_buf_free(&a->ids);
	sach_buf_free(&a->scratch);
	sach_buf_free(&a->pre_text);
	sach_buf_free(&a->units);
	free(a->path);
	free(a);
}

/*
 * dedupe_prekey.c - the pre-key of the two-pass exact filter, and the set
 * that finds which documents share one.
 *
 * Why: the fold key parses every syllable to re-place tone marks, which
 * costs most of an exact run; but most documents of a corpus have no
 * duplicate at all, and for them no key finer than "nobody else has this"
 * is needed. The pre-key is coarser than the fold key (equal fold keys
 * always give equal pre-keys) and costs a table look-up per byte, with no
 * branch that depends on the text: it is the text's bytes with
 *  - ASCII letters lowercased, ASCII vowels (a e i o u y) and ASCII
 *    whitespace dropped;
 *  - every character of U+0080-U+07FF and U+1000-U+3FFF dropped (the
 *    Vietnamese letters, the other cased letters, the Unicode spaces);
 *  - everything else kept byte for byte (U+0800-U+0FFF, U+4000 and up:
 *    CJK, Hangul, Thai..., and invalid bytes), so text in those scripts
 *    still gets a pre-key of its own.
 * Every change the fold key makes to a text is to a character the pre-key
 * drops or lowercases: it lowercases letters, moves tone marks between
 * vowels (which turns o-grave + a into o + a-grave: both vowels go), folds
 * y to i, and merges whitespace runs into one space. Hence prekey(fold(x))
 * == prekey(x) for every x, which is what makes the pre-key coarser (the
 * unit tests check that equality on random and real text). A document
 * whose pre-key no other document has cannot have a duplicate; only the
 * members of groups that share a pre-key need the fold key.
 *
 * Continuation bytes follow their lead: one is kept when the nearest
 * non-continuation byte before it, at most three back, is a lead byte of
 * the kept kind. That decision reads only the bytes before it, and the fold
 * key only ever replaces whole dropped characters by dropped characters,
 * so it comes out the same on the text and on its fold key (a stray
 * continuation byte included).
 */
#include "dedupe_internal.h"
#include "error_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Per byte: what is written (0 = the byte is dropped, unless it is a
 * continuation byte that its lead keeps) and its class. */
enum { K_LEAD = 1, K_CONT = 2 };

struct prekey_tables {
	unsigned char out[256];
	unsigned char cls[256];
};

static struct prekey_tables tables;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void init_all(void);

static void tables_init(void)
{
	unsigned c;

	for (c = 0; c < 256; c++) {
		unsigned char o = (unsigned char)c, k = 0;

		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				o = (unsigned char)(c + 0x20);
			if (strchr("aeiouy", o) && o)
				o = 0;
			if (c == ' ' || (c >= 0x09 && c <= 0x0D))
				o = 0;
		} else if (c <= 0xBF) {
			k = K_CONT; /* written only when its lead is kept */
		} else if (c == 0xE0 || c >= 0xE4) {
			k = K_LEAD;
		} else {
			o = 0;      /* U+0080-U+07FF, U+1000-U+3FFF; C0, C1 */
		}
		tables.out[c] = o;
		tables.cls[c] = k;
	}
}

/* The scalar walk over [from, to) of s; k1-k3 are the classes of the three
 * bytes before `from` (0 at the start of the text). */
static unsigned char *walk(const unsigned char *s, size_t from, size_t to, unsigned char *o)
{
	const unsigned char *tout = tables.out, *tcls = tables.cls;
	unsigned k1 = from > 0 ? tcls[s[from - 1]] : 0;
	unsigned k2 = from > 1 ? tcls[s[from - 2]] : 0;
	unsigned k3 = from > 2 ? tcls[s[from - 3]] : 0;
	size_t i;

	for (i = from; i < to; i++) {
		unsigned c = s[i], k = tcls[c];
		unsigned lead_kept = (k1 & K_LEAD) |
				     ((k1 >> 1) & ((k2 & K_LEAD) | ((k2 >> 1) & k3 & K_LEAD)));
		unsigned char v = tout[c];

		*o = v;
		o += (v != 0) & ((k & K_CONT) ? lead_kept : 1u);
		k3 = k2;
		k2 = k1;
		k1 = k;
	}
	return o;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* Left-packing: for each 8-bit mask, the indices of its set bits. */
static uint64_t pack_idx[256];
static unsigned char pack_cnt[256];

static void pack_init(void)
{
	unsigned m, b, n;

	for (m = 0; m < 256; m++) {
		uint64_t v = 0;

		for (b = n = 0; b < 8; b++)
			if (m & (1u << b))
				v |= (uint64_t)b << (8 * n++);
		for (b = n; b < 8; b++)
			v |= (uint64_t)0x80 << (8 * b); /* pshufb writes 0 */
		pack_idx[m] = v;
		pack_cnt[m] = (unsigned char)n;
	}
}

/*
 * The same walk 16 bytes at a time (from >= 3, so the three bytes before
 * each block are readable): the classes and the lowercase are computed for
 * the block and the bytes before it, and the kept bytes are packed to the
 * front with pshufb. Returns the next byte to walk from.
 */
__attribute__((target("ssse3"))) static size_t walk16(const unsigned char *s, size_t from,
						     size_t len, unsigned char **op)
{
	const __m128i c80 = _mm_set1_epi8((char)0x80), cc0 = _mm_set1_epi8((char)0xC0);
	const __m128i c20 = _mm_set1_epi8(0x20);
	unsigned char *o = *op;
	size_t i = from;

#define EQ(x, v) _mm_cmpeq_epi8((x), _mm_set1_epi8((char)(v)))
	/* signed compares: a <= x <= b for ASCII bounds */
#define IN(x, a, b) _mm_andnot_si128(_mm_or_si128(_mm_cmplt_epi8((x), _mm_set1_epi8((char)(a))), \
						  _mm_cmpgt_epi8((x), _mm_set1_epi8((char)(b)))), \
				     _mm_set1_epi8(-1))
	/* kept lead: E0, or E4-FF (as signed: -32, or -28 to -1) */
#define KL(x) _mm_or_si128(EQ((x), 0xE0), _mm_and_si128(_mm_cmpgt_epi8((x), _mm_set1_epi8((char)0xE3)), \
							_mm_cmplt_epi8((x), _mm_setzero_si128())))
#define CT(x) _mm_cmpeq_epi8(_mm_and_si128((x), cc0), c80)
	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i p1 = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 1));
		__m128i p2 = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 2));
		__m128i p3 = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 3));
		__m128i ascii = _mm_cmpgt_epi8(x, _mm_set1_epi8(-1));
		__m128i low = _mm_or_si128(x, _mm_and_si128(IN(x, 'A', 'Z'), c20));
		__m128i drop, keep, v;
		unsigned m, lo, hi;

		drop = _mm_or_si128(_mm_or_si128(EQ(low, 'a'), EQ(low, 'e')),
				    _mm_or_si128(EQ(low, 'i'), EQ(low, 'o')));
		drop = _mm_or_si128(drop, _mm_or_si128(EQ(low, 'u'), EQ(low, 'y')));
		drop = _mm_or_si128(drop, _mm_or_si128(EQ(x, ' '), IN(x, 0x00, 0x0D)));
		keep = _mm_andnot_si128(drop, ascii);
		keep = _mm_or_si128(keep, KL(x));
		keep = _mm_or_si128(keep, _mm_and_si128(CT(x),
			_mm_or_si128(KL(p1), _mm_and_si128(CT(p1),
				_mm_or_si128(KL(p2), _mm_and_si128(CT(p2), KL(p3)))))));
		/* 0x01-0x08 are kept by the table (NUL is not); IN() above
		 * dropped them all: leave such blocks to the scalar walk */
		if (_mm_movemask_epi8(IN(x, 0x00, 0x08)))
			break;
		m = (unsigned)_mm_movemask_epi8(keep);
		if (m == 0)
			continue;
		v = _mm_or_si128(_mm_and_si128(ascii, low), _mm_andnot_si128(ascii, x));
		lo = m & 0xFF;
		hi = m >> 8;
		v = _mm_shuffle_epi8(v, _mm_set_epi64x((long long)(pack_idx[hi] + 0x0808080808080808ull),
						       (long long)pack_idx[lo]));
		_mm_storel_epi64((__m128i *)(void *)o, v);
		o += pack_cnt[lo];
		_mm_storel_epi64((__m128i *)(void *)o, _mm_srli_si128(v, 8));
		o += pack_cnt[hi];
	}
#undef EQ
#undef IN
#undef KL
#undef CT
	*op = o;
	return i;
}
#endif

static void init_all(void)
{
	tables_init();
#if defined(__x86_64__) && defined(__GNUC__)
	pack_init();
#endif
}

int sach__dd_prekey_text(const char *text, size_t len, sach_buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned char *o;
	size_t i = 0;
	int rc;

	pthread_once(&tables_once, init_all);
	/* no byte gets longer; the packed stores write 8 bytes past */
	if ((rc = sach_buf_reserve(out, len + 16)) < 0)
		return rc;
	o = (unsigned char *)out->ptr + out->len;
#if defined(__x86_64__) && defined(__GNUC__)
	if (len >= 19 && __builtin_cpu_supports("ssse3")) {
		o = walk(s, 0, 3, o);
		i = 3;
		while (i + 16 <= len) {
			i = walk16(s, i, len, &o);
			if (i + 16 <= len) {
				/* a block with a C0 control: one block the slow way */
				o = walk(s, i, i + 16, o);
				i += 16;
			}
		}
	}
#endif
	o = walk(s, i, len, o);
	out->len = (size_t)((char *)o - out->ptr);
	out->ptr[out->len] = '\0';
	return 0;
}

int sach_dedupe_prekey(const char *text, size_t len, sach_buf *scratch, uint64_t *key)
{
	int rc;

	if ((!text && len) || !scratch || !key)
		return sach__error_set(SACH_EINVAL, "dedupe: NULL argument");
	sach_buf_clear(scratch);
	if ((rc = sach__dd_prekey_text(text ? text : "", len, scratch)) < 0)
		return rc;
	*key = XXH3_64bits(scratch->ptr, scratch->len);
	return 0;
}

/* ---- the set of pre-keys ---- */

/*
 * Open addressing with linear probing, as the exact set: each slot holds a
 * pre-key and the ordinal (+1) of the first document that brought it. A
 * second document with the key marks both documents in a bitmap of
 * ordinals (1 bit per document); after the last document the bitmap says
 * which documents need their fold key. A 64-bit pre-key is enough: two
 * different pre-keys with one hash only make a group bigger (more fold
 * keys computed), never a wrong answer.
 */
struct pslot {
	uint64_t k;
	uint64_t first;          /* ordinal + 1 of the first document; 0: empty */
};

struct sach_dedupe_prekey_set {
	struct pslot *t;
	size_t cap, n, mem, peak;
	uint64_t docs, members;
	uint64_t *bits;
	size_t bits_cap;         /* in 64-bit words */
};

static size_t pheld(size_t cap, size_t words)
{
	return cap * sizeof(struct pslot) + words * sizeof(uint64_t);
}

static int pover_budget(const sach_dedupe_prekey_set *s)
{
	return sach__error_set(SACH_ECONFIG,
			       "dedupe exact: %llu documents need more than the memory budget of "
			       "%zu MiB (about %zu bytes per document in the first pass); raise --mem",
			       (unsigned long long)s->docs, s->mem >> 20, 2 * sizeof(struct pslot));
}

int sach_dedupe_prekey_set_new(sach_dedupe_prekey_set **out, size_t mem)
{
	sach_dedupe_prekey_set *s;

	if (!out)
		return sach__error_set(SACH_EINVAL, "dedupe pre-keys: NULL argument");
	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return sach__error_nomem();
	s->mem = mem;
	s->cap = 1024;
	s->bits_cap = 64;
	if (pheld(s->cap, s->bits_cap) > mem) {
		free(s);
		return sach__error_set(SACH_ECONFIG, "dedupe exact: a memory budget of %zu bytes "
				       "is too small; raise --mem", mem);
	}
	s->t = calloc(s->cap, sizeof(*s->t));
	s->bits = calloc(s->bits_cap, sizeof(uint64_t));
	if (!s->t || !s->bits) {
		sach_dedupe_prekey_set_free(s);
		return sach__error_nomem();
	}
	s->peak = pheld(s->cap, s->bits_cap);
	*out = s;
	return 0;
}

static struct pslot *pfind(struct pslot *t, size_t cap, uint64_t k)
{
	/* the high bits: XXH3's low bits are uniform too, but the exact set
	 * indexes by low bits and the two may see related keys */
	size_t i = (size_t)(k >> 17) & (cap - 1);

	while (t[i].first && t[i].k != k)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static int pgrow(sach_dedupe_prekey_set *s)
{
	size_t cap = s->cap * 2, i;
	struct pslot *t;

	if (pheld(cap, s->bits_cap) > s->mem)
		return pover_budget(s);
	if (!(t = calloc(cap, sizeof(*t))))
		return sach__error_nomem();
	for (i = 0; i < s->cap; i++)
		if (s->t[i].first)
			*pfind(t, cap, s->t[i].k) = s->t[i];
	free(s->t);
	s->t = t;
	s->cap = cap;
	return 0;
}

static void mark(sach_dedupe_prekey_set *s, uint64_t ord)
{
	uint64_t bit = (uint64_t)1 << (ord & 63);

	if (!(s->bits[ord >> 6] & bit)) {
		s->bits[ord >> 6] |= bit;
		s->members++;
	}
}

int sach_dedupe_prekey_set_add(sach_dedupe_prekey_set *s, uint64_t key)
{
	struct pslot *e;
	uint64_t ord;
	int rc;

	if (!s)
		return sach__error_set(SACH_EINVAL, "dedupe pre-keys: NULL argument");
	ord = s->docs;
	if ((ord >> 6) >= s->bits_cap) {
		size_t words = s->bits_cap * 2;
		uint64_t *b;

		if (pheld(s->cap, words) > s->mem)
			return pover_budget(s);
		if (!(b = realloc(s->bits, words * sizeof(uint64_t))))
			return sach__error_nomem();
		memset(b + s->bits_cap, 0, (words - s->bits_cap) * sizeof(uint64_t));
		s->bits = b;
		s->bits_cap = words;
	}
	e = pfind(s->t, s->cap, key);
	if (e->first) {
		mark(s, e->first - 1);
		mark(s, ord);
		s->docs++;
		return 1;
	}
	if (2 * (s->n + 1) > s->cap) {
		if ((rc = pgrow(s)) < 0)
			return rc;
		e = pfind(s->t, s->cap, key);
	}
	e->k = key;
	e->first = ord + 1;
	s->n++;
	s->docs++;
	if (pheld(s->cap, s->bits_cap) > s->peak)
		s->peak = pheld(s->cap, s->bits_cap);
	return 0;
}

void sach_dedupe_prekey_set_seal(sach_dedupe_prekey_set *s)
{
	if (!s)
		return;
	free(s->t);
	s->t = NULL;
	s->cap = 0;
}

int sach_dedupe_prekey_set_member(const sach_dedupe_prekey_set *s, uint64_t ordinal)
{
	if (!s)
		return sach__error_set(SACH_EINVAL, "dedupe pre-keys: NULL argument");
	if (ordinal >= s->docs)
		return sach__error_set(SACH_ECONFIG, "input changed while it was read: more than "
				       "the %llu documents of the first pass",
				       (unsigned long long)s->docs);
	return (int)((s->bits[ordinal >> 6] >> (ordinal & 63)) & 1);
}

uint64_t sach_dedupe_prekey_set_docs(const sach_dedupe_prekey_set *s)
{
	return s ? s->docs : 0;
}

uint64_t sach_dedupe_prekey_set_members(const sach_dedupe_prekey_set *s)
{
	return s ? s->members : 0;
}

size_t sach_dedupe_prekey_set_peak(const sach_dedupe_prekey_set *s)
{
	return s ? s->peak : 0;
}

void sach_dedupe_prekey_set_free(sach_dedupe_prekey_set *s)
{
	if (!s)
		return;
	free(s->t);
	free(s->bits);
	free(s);
}

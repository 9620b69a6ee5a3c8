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
 * The classes by nibble tables: a byte's class bits are
 * lo_tab[byte & 15] & hi_tab[byte >> 4], each bit a rectangle of
 * (high nibble, low nibble) pairs:
 *   0x01, 0x02  ASCII vowels (a e i o / A E I O; u y / U Y)
 *   0x04, 0x08  ASCII dropped as space: NUL and 0x09-0x0D; ' '
 *   0x10, 0x20  uppercase A-O, P-Z (which get 0x20 added)
 *   0x40, 0x80  kept leads E0, E4-EF; F0-FF
 * and continuation bytes are 10xxxxxx. This is the table of tables_init()
 * (the unit tests compare the walks with a byte-at-a-time reference).
 */
static const unsigned char lo_tab[16] = {
	0x04 | 0x08 | 0x20 | 0x40 | 0x80, 0x01 | 0x10 | 0x20 | 0x80, 0x30 | 0x80, 0x30 | 0x80,
	0x30 | 0x40 | 0x80, 0x01 | 0x02 | 0x30 | 0x40 | 0x80, 0x30 | 0x40 | 0x80,
	0x30 | 0x40 | 0x80, 0x30 | 0x40 | 0x80, 0x01 | 0x02 | 0x04 | 0x30 | 0x40 | 0x80,
	0x04 | 0x30 | 0x40 | 0x80, 0x04 | 0x10 | 0x40 | 0x80, 0x04 | 0x10 | 0x40 | 0x80,
	0x04 | 0x10 | 0x40 | 0x80, 0x10 | 0x40 | 0x80, 0x01 | 0x10 | 0x40 | 0x80,
};
static const unsigned char hi_tab[16] = {
	0x04, 0, 0x08, 0, 0x01 | 0x10, 0x02 | 0x20, 0x01, 0x02, 0, 0, 0, 0, 0, 0, 0x40, 0x80,
};

/*
 * The walk 16 bytes at a time (from >= 3): the classes of a block come from
 * the nibble tables, those of the three bytes before each byte by shifting
 * in the previous block's, and the kept bytes are packed to the front with
 * pshufb (two table look-ups and a few logic operations a block, where a
 * compare per vowel took twice as long). Returns the next byte to walk
 * from.
 */
__attribute__((target("ssse3"))) static size_t walk16(const unsigned char *s, size_t from,
						     size_t len, unsigned char **op)
{
	const __m128i lo_t = _mm_loadu_si128((const __m128i *)(const void *)lo_tab);
	const __m128i hi_t = _mm_loadu_si128((const __m128i *)(const void *)hi_tab);
	const __m128i c0f = _mm_set1_epi8(0x0F), zero = _mm_setzero_si128();
	const __m128i cc0 = _mm_set1_epi8((char)0xC0), c80 = _mm_set1_epi8((char)0x80);
	unsigned char *o = *op;
	size_t i = from;
	__m128i prev, pkl, pct;

#define CLS(x) _mm_and_si128(_mm_shuffle_epi8(lo_t, _mm_and_si128((x), c0f)), \
			     _mm_shuffle_epi8(hi_t, _mm_and_si128(_mm_srli_epi16((x), 4), c0f)))
#define KL(c) _mm_xor_si128(_mm_cmpeq_epi8(_mm_and_si128((c), cc0), zero), _mm_set1_epi8(-1))
#define CT(x) _mm_cmpeq_epi8(_mm_and_si128((x), cc0), c80)
	if (i + 16 > len)
		return i;
	/* bytes 13-15 of prev are the three bytes before the first block */
	prev = _mm_slli_si128(_mm_loadu_si128((const __m128i *)(const void *)(s + i - 3)), 13);
	pkl = KL(CLS(prev));
	pct = CT(prev);
	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i c = CLS(x), kl = KL(c), ct = CT(x);
		__m128i up = _mm_and_si128(c, _mm_set1_epi8(0x30));
		__m128i v, keep, cont;
		unsigned m, lo, hi;

		/* uppercase: 0x10 -> 0x20 within each byte (no bit crosses) */
		up = _mm_or_si128(_mm_and_si128(up, _mm_set1_epi8(0x20)),
				  _mm_slli_epi16(_mm_and_si128(up, _mm_set1_epi8(0x10)), 1));
		v = _mm_or_si128(x, up);
		cont = _mm_and_si128(_mm_alignr_epi8(ct, pct, 14), _mm_alignr_epi8(kl, pkl, 13));
		cont = _mm_or_si128(cont, _mm_alignr_epi8(kl, pkl, 14));
		cont = _mm_and_si128(cont, _mm_alignr_epi8(ct, pct, 15));
		cont = _mm_or_si128(cont, _mm_alignr_epi8(kl, pkl, 15));
		keep = _mm_and_si128(_mm_cmpeq_epi8(_mm_and_si128(c, _mm_set1_epi8(0x0F)), zero),
				     _mm_cmpgt_epi8(x, _mm_set1_epi8(-1)));
		keep = _mm_or_si128(_mm_or_si128(keep, kl), _mm_and_si128(ct, cont));
		pkl = kl;
		pct = ct;
		m = (unsigned)_mm_movemask_epi8(keep);
		if (m == 0)
			continue;
		lo = m & 0xFF;
		hi = m >> 8;
		v = _mm_shuffle_epi8(v, _mm_set_epi64x((long long)(pack_idx[hi] + 0x0808080808080808ull),
						       (long long)pack_idx[lo]));
		_mm_storel_epi64((__m128i *)(void *)o, v);
		_mm_storel_epi64((__m128i *)(void *)(o + pack_cnt[lo]), _mm_srli_si128(v, 8));
		o += pack_cnt[lo] + pack_cnt[hi];
	}
#undef CLS
#undef KL
#undef CT
	*op = o;
	return i;
}

/*
 * walk16 32 bytes at a time, for CPUs with AVX2 (from >= 3). The shifts by
 * one to three bytes cross the two 16-byte lanes through a permute, and
 * pshufb packs within each lane, so the four 8-byte groups are stored one
 * after another.
 */
__attribute__((target("avx2"))) static size_t walk32(const unsigned char *s, size_t from,
						    size_t len, unsigned char **op)
{
	const __m256i lo_t = _mm256_broadcastsi128_si256(
		_mm_loadu_si128((const __m128i *)(const void *)lo_tab));
	const __m256i hi_t = _mm256_broadcastsi128_si256(
		_mm_loadu_si128((const __m128i *)(const void *)hi_tab));
	const __m256i c0f = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
	const __m256i cc0 = _mm256_set1_epi8((char)0xC0), c80 = _mm256_set1_epi8((char)0x80);
	const __m256i ones = _mm256_set1_epi8(-1);
	unsigned char *o = *op;
	size_t i = from;
	__m256i prev, pkl, pct;

#define CLS(x) _mm256_and_si256(_mm256_shuffle_epi8(lo_t, _mm256_and_si256((x), c0f)), \
		_mm256_shuffle_epi8(hi_t, _mm256_and_si256(_mm256_srli_epi16((x), 4), c0f)))
#define KL(c) _mm256_xor_si256(_mm256_cmpeq_epi8(_mm256_and_si256((c), cc0), zero), ones)
#define CT(x) _mm256_cmpeq_epi8(_mm256_and_si256((x), cc0), c80)
	if (i + 32 > len)
		return i;
	/* bytes 29-31 of prev are the three bytes before the first block */
	prev = _mm256_inserti128_si256(zero, _mm_slli_si128(
		_mm_loadu_si128((const __m128i *)(const void *)(s + i - 3)), 13), 1);
	pkl = KL(CLS(prev));
	pct = CT(prev);
	for (; i + 32 <= len; i += 32) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
		__m256i c = CLS(x), kl = KL(c), ct = CT(x);
		__m256i up = _mm256_and_si256(c, _mm256_set1_epi8(0x30));
		/* [previous block's high lane, this block's low lane] */
		__m256i xkl = _mm256_permute2x128_si256(pkl, kl, 0x21);
		__m256i xct = _mm256_permute2x128_si256(pct, ct, 0x21);
		__m256i v, keep, cont;
		__m128i vlo, vhi;
		unsigned m, m0, m1, m2, m3, c0, c1, c2;

		up = _mm256_or_si256(_mm256_and_si256(up, _mm256_set1_epi8(0x20)),
				     _mm256_slli_epi16(_mm256_and_si256(up, _mm256_set1_epi8(0x10)), 1));
		v = _mm256_or_si256(x, up);
		cont = _mm256_and_si256(_mm256_alignr_epi8(ct, xct, 14), _mm256_alignr_epi8(kl, xkl, 13));
		cont = _mm256_or_si256(cont, _mm256_alignr_epi8(kl, xkl, 14));
		cont = _mm256_and_si256(cont, _mm256_alignr_epi8(ct, xct, 15));
		cont = _mm256_or_si256(cont, _mm256_alignr_epi8(kl, xkl, 15));
		keep = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(c, _mm256_set1_epi8(0x0F)),
							  zero),
					_mm256_cmpgt_epi8(x, ones));
		keep = _mm256_or_si256(_mm256_or_si256(keep, kl), _mm256_and_si256(ct, cont));
		pkl = kl;
		pct = ct;
		m = (unsigned)_mm256_movemask_epi8(keep);
		if (m == 0)
			continue;
		m0 = m & 0xFF;
		m1 = (m >> 8) & 0xFF;
		m2 = (m >> 16) & 0xFF;
		m3 = m >> 24;
		v = _mm256_shuffle_epi8(v, _mm256_set_epi64x(
			(long long)(pack_idx[m3] + 0x0808080808080808ull), (long long)pack_idx[m2],
			(long long)(pack_idx[m1] + 0x0808080808080808ull), (long long)pack_idx[m0]));
		vlo = _mm256_castsi256_si128(v);
		vhi = _mm256_extracti128_si256(v, 1);
		c0 = pack_cnt[m0];
		c1 = c0 + pack_cnt[m1];
		c2 = c1 + pack_cnt[m2];
		_mm_storel_epi64((__m128i *)(void *)o, vlo);
		_mm_storel_epi64((__m128i *)(void *)(o + c0), _mm_srli_si128(vlo, 8));
		_mm_storel_epi64((__m128i *)(void *)(o + c1), vhi);
		_mm_storel_epi64((__m128i *)(void *)(o + c2), _mm_srli_si128(vhi, 8));
		o += c2 + pack_cnt[m3];
	}
#undef CLS
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

unsigned sach__dd_prekey_width = 32;

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
	if (len >= 19 && sach__dd_prekey_width >= 16 && __builtin_cpu_supports("ssse3")) {
		o = walk(s, 0, 3, o);
		i = 3;
		if (len >= 35 && sach__dd_prekey_width >= 32 && __builtin_cpu_supports("avx2"))
			i = walk32(s, i, len, &o);
		i = walk16(s, i, len, &o);
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
 *
 * Each slot also holds the XXH3-128 of the first document's text and
 * whether a later document of the group had another text ("mixed").
 * Most groups of a corpus with many duplicates are byte-identical copies:
 * for those every member has the same fold key, so the second pass can
 * decide them by their text hash alone, without folding. A group is
 * "uniform" only if every member's text hash equals the first's, so a
 * group with texts A, A, B (fold(A) == fold(B)) is mixed and all its
 * members take the fold path, as before. A collision of two different
 * texts in 128 bits within one pre-key group is the only way to a wrong
 * answer, as for the exact set's own keys.
 */
#define MIXED ((uint64_t)1 << 63) /* in first: the group's texts differ */

struct pslot {
	uint64_t k;
	uint64_t first;          /* ordinal + 1 of the first document, | MIXED;
				    0: empty */
	uint64_t t0, t1;         /* XXH3-128 of the first document's text */
};

/* A uniform group's text hash (0, 0: empty; a text hashing to that is
 * left to the fold path). */
struct uslot {
	uint64_t t0, t1;
};

struct sach_dedupe_prekey_set {
	struct pslot *t;
	size_t cap, n, mem, peak;
	uint64_t docs, members;
	uint64_t *bits;
	size_t bits_cap;         /* in 64-bit words */
	struct uslot *u;         /* after seal: the uniform groups' text hashes */
	size_t ucap, un;
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

int sach_dedupe_text_hash(const char *text, size_t len, uint64_t out[2])
{
	XXH128_hash_t h;

	if ((!text && len) || !out)
		return sach__error_set(SACH_EINVAL, "dedupe: NULL argument");
	h = XXH3_128bits(text ? text : "", len);
	out[0] = h.low64;
	out[1] = h.high64;
	return 0;
}

int sach_dedupe_prekey_set_add(sach_dedupe_prekey_set *s, uint64_t key)
{
	return sach_dedupe_prekey_set_add_text(s, key, NULL);
}

int sach_dedupe_prekey_set_add_text(sach_dedupe_prekey_set *s, uint64_t key,
				    const uint64_t text_hash[2])
{
	struct pslot *e;
	uint64_t ord;
	int rc;

	if (!s)
		return sach__error_set(SACH_EINVAL, "dedupe pre-keys: NULL argument");
	if (!s->t)
		return sach__error_set(SACH_EINVAL, "dedupe pre-keys: add after seal");
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
		mark(s, (e->first & ~MIXED) - 1);
		mark(s, ord);
		/* no hash (the plain add) counts as a different text */
		if (!text_hash || text_hash[0] != e->t0 || text_hash[1] != e->t1)
			e->first |= MIXED;
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
	if (text_hash) {
		e->t0 = text_hash[0];
		e->t1 = text_hash[1];
	} else {
		e->t0 = e->t1 = 0;
		e->first |= MIXED; /* a group of one: never looked at */
	}
	s->n++;
	s->docs++;
	if (pheld(s->cap, s->bits_cap) > s->peak)
		s->peak = pheld(s->cap, s->bits_cap);
	return 0;
}

static struct uslot *ufind(struct uslot *t, size_t cap, uint64_t t0, uint64_t t1)
{
	size_t i = (size_t)t0 & (cap - 1);

	while ((t[i].t0 | t[i].t1) && (t[i].t0 != t0 || t[i].t1 != t1))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/*
 * The uniform groups of two or more documents into a set of their text
 * hashes, which the second pass looks members up in. It is only a
 * shortcut: when it does not fit the budget next to the key table (or
 * cannot be allocated), it is left out and every member takes the fold
 * path, with the same answers.
 */
static void build_uniform(sach_dedupe_prekey_set *s)
{
	size_t i, want = 0, ucap = 16;

	for (i = 0; i < s->cap; i++) {
		const struct pslot *e = &s->t[i];

		/* a uniform group with two or more: its first is a member */
		if (e->first && !(e->first & MIXED) && (e->t0 | e->t1)) {
			uint64_t o = e->first - 1;

			if ((s->bits[o >> 6] >> (o & 63)) & 1)
				want++;
		}
	}
	if (!want)
		return;
	while (ucap < 2 * want)
		ucap *= 2;
	if (pheld(s->cap, s->bits_cap) + ucap * sizeof(struct uslot) > s->mem)
		return;
	if (!(s->u = calloc(ucap, sizeof(*s->u))))
		return;
	s->ucap = ucap;
	for (i = 0; i < s->cap; i++) {
		const struct pslot *e = &s->t[i];

		if (e->first && !(e->first & MIXED) && (e->t0 | e->t1)) {
			uint64_t o = e->first - 1;

			if ((s->bits[o >> 6] >> (o & 63)) & 1) {
				struct uslot *u = ufind(s->u, s->ucap, e->t0, e->t1);

				/* two uniform groups cannot share a text (equal texts
				 * have equal pre-keys), short of a 128-bit collision */
				if (!(u->t0 | u->t1)) {
					u->t0 = e->t0;
					u->t1 = e->t1;
					s->un++;
				}
			}
		}
	}
	if (pheld(s->cap, s->bits_cap) + ucap * sizeof(struct uslot) > s->peak)
		s->peak = pheld(s->cap, s->bits_cap) + ucap * sizeof(struct uslot);
}

void sach_dedupe_prekey_set_seal(sach_dedupe_prekey_set *s)
{
	if (!s)
		return;
	if (s->t)
		build_uniform(s);
	free(s->t);
	s->t = NULL;
	s->cap = 0;
}

int sach_dedupe_prekey_set_uniform(const sach_dedupe_prekey_set *s, const uint64_t text_hash[2])
{
	const struct uslot *u;

	if (!s || !text_hash)
		return sach__error_set(SACH_EINVAL, "dedupe pre-keys: NULL argument");
	if (!s->u || !(text_hash[0] | text_hash[1]))
		return 0;
	u = ufind(s->u, s->ucap, text_hash[0], text_hash[1]);
	return (u->t0 | u->t1) != 0;
}

size_t sach_dedupe_prekey_set_held(const sach_dedupe_prekey_set *s)
{
	if (!s)
		return 0;
	return pheld(s->cap, s->bits_cap) + s->ucap * sizeof(struct uslot);
}

uint64_t sach_dedupe_prekey_set_uniform_groups(const sach_dedupe_prekey_set *s)
{
	return s ? s->un : 0;
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
	free(s->u);
	free(s);
}

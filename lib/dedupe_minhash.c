/*
 * dedupe_minhash.c - MinHash signatures over syllable shingles, LSH bands.
 *
 * A syllable is a run of letters or digits of the folded text (ASCII
 * punctuation, spaces and the Unicode punctuation of U+00A0-U+00BF,
 * U+2000-U+207F and U+3000-U+303F separate them; every other non-ASCII
 * byte belongs to a letter). A shingle is `shingle` consecutive
 * syllables, hashed with XXH3-64 over their XXH3-64 hashes; a text with
 * fewer syllables is one shingle. Hash i of the signature is the minimum
 * over shingles of g_i(h) = m(((h_lo ^ b_i) * a_i) ^ (that >> 15)) in 32-bit
 * arithmetic, m(v) = v * 0x2c1b3c6d: a keyed multiply-xorshift-multiply
 * mix, so the high bits that decide the minimum depend on every bit of h.
 * a_i (odd) and b_i come from splitmix64 of the seed, so every file built
 * with one seed agrees. 32-bit lanes let the compiler use 8-wide vector
 * multiplies (AVX2 when the CPU has it, chosen at run time): the signature
 * update was two thirds of the signing time with 64-bit scalar arithmetic.
 */
#include "dedupe_internal.h"
#include "error_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
/* Inlined: most hashed inputs are one syllable, where the call costs more
 * than the hash. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#define LANES 8
#define BATCH_MAX 256
typedef uint32_t u32v __attribute__((vector_size(LANES * 4)));

struct sach_minhash {
	unsigned n, bands, rows, k, kv;  /* kv: k rounded up to LANES */
	u32v *a, *b, *acc;
	void (*update)(const struct sach_minhash *mh, const uint64_t *h, size_t n);
	uint64_t window[32];
	uint64_t batch[BATCH_MAX];
	size_t nbatch;
	uint32_t *set_tmp;
	size_t set_cap;
};

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * The same code twice: the compiler lowers the vector type to what each
 * target has. Shingle hashes come in batches, and the loop over the batch
 * is the inner one, so each group of 8 lanes keeps its a, b and minimum in
 * registers for the whole batch instead of loading and storing them for
 * every shingle (the minimum does not depend on the order of the shingles,
 * so the signature is the same).
 */
#define UPDATE_BODY \
	{ \
		u32v *acc = mh->acc; \
		unsigned i; \
		size_t j; \
		for (i = 0; i < mh->kv; i++) { \
			u32v a = mh->a[i], b = mh->b[i], m = acc[i]; \
			for (j = 0; j < n; j++) { \
				u32v x = { 0 }, v, lt; \
				x += (uint32_t)h[j]; \
				v = (x ^ b) * a; \
				v = (v ^ (v >> 15)) * 0x2c1b3c6du; \
				lt = (u32v)(v < m); \
				m = (v & lt) | (m & ~lt); \
			} \
			acc[i] = m; \
		} \
	}

static void update_generic(const sach_minhash *mh, const uint64_t *h, size_t n)
UPDATE_BODY

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* The same with an unsigned minimum instruction: the generic form's
 * compare-and-select was a four-instruction chain through the minimum,
 * which bound the batch loop. */
__attribute__((target("avx2"))) static void update_avx2(const sach_minhash *mh,
							 const uint64_t *h, size_t n)
{
	const __m256i c = _mm256_set1_epi32(0x2c1b3c6d);
	__m256i *acc = (__m256i *)(void *)mh->acc;
	unsigned i;
	size_t j;

	for (i = 0; i < mh->kv; i++) {
		__m256i a = _mm256_load_si256((const __m256i *)(const void *)&mh->a[i]);
		__m256i b = _mm256_load_si256((const __m256i *)(const void *)&mh->b[i]);
		__m256i m = _mm256_load_si256(&acc[i]);

		for (j = 0; j < n; j++) {
			__m256i v = _mm256_xor_si256(_mm256_set1_epi32((int)(uint32_t)h[j]), b);

			v = _mm256_mullo_epi32(v, a);
			v = _mm256_mullo_epi32(_mm256_xor_si256(v, _mm256_srli_epi32(v, 15)), c);
			m = _mm256_min_epu32(m, v);
		}
		_mm256_store_si256(&acc[i], m);
	}
}
#endif

/* Shingle hashes per batch: enough to pay for the loads and stores of the
 * minimums many times over, small enough to stay in L1. */
#define BATCH BATCH_MAX

int sach_minhash_new(sach_minhash **out, const sach_dedupe_params *p)
{
	sach_minhash *mh;
	uint64_t st;
	unsigned i;
	int rc;

	*out = NULL;
	if ((rc = sach_dedupe_params_check(p)) < 0)
		return rc;
	mh = calloc(1, sizeof(*mh));
	if (!mh)
		return sach__error_nomem();
	mh->n = p->shingle;
	mh->bands = p->bands;
	mh->rows = p->rows;
	mh->k = p->bands * p->rows;
	mh->kv = (mh->k + LANES - 1) / LANES;
	mh->a = aligned_alloc(sizeof(u32v), mh->kv * sizeof(u32v));
	mh->b = aligned_alloc(sizeof(u32v), mh->kv * sizeof(u32v));
	mh->acc = aligned_alloc(sizeof(u32v), mh->kv * sizeof(u32v));
	if (!mh->a || !mh->b || !mh->acc) {
		sach_minhash_free(mh);
		return sach__error_nomem();
	}
	st = p->seed;
	for (i = 0; i < mh->kv * LANES; i++) {
		uint64_t r = splitmix64(&st);

		mh->a[i / LANES][i % LANES] = (uint32_t)r | 1;
		mh->b[i / LANES][i % LANES] = (uint32_t)(r >> 32);
	}
	mh->update = update_generic;
#if defined(__x86_64__) && defined(__GNUC__)
	if (__builtin_cpu_supports("avx2"))
		mh->update = update_avx2;
#endif
	*out = mh;
	return 0;
}

void sach_minhash_free(sach_minhash *mh)
{
	if (!mh)
		return;
	free(mh->a);
	free(mh->b);
	free(mh->acc);
	free(mh->set_tmp);
	free(mh);
}

unsigned sach_minhash_size(const sach_minhash *mh)
{
	return mh->k;
}

/* ASCII bytes that belong to a syllable: letters and digits. */
static const unsigned char word_ascii[128] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
	['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
	['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
	['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
};

/* Length of a separator starting at s (0 if s starts a syllable byte). */
static inline size_t separator(const unsigned char *s, const unsigned char *end)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return !word_ascii[c];
	if (end - s >= 2 && c == 0xC2 && s[1] >= 0xA0)
		return 2;
	if (end - s >= 3 && ((c == 0xE2 && (s[1] == 0x80 || s[1] == 0x81)) || (c == 0xE3 && s[1] == 0x80)))
		return 3;
	return 0;
}

/* Per byte: 0 never starts a separator, 1 is one (ASCII), 2 may start one
 * (C2, E2, E3: separator() decides). Built from word_ascii. */
static unsigned char byte_cls[256];
static pthread_once_t byte_cls_once = PTHREAD_ONCE_INIT;

static void byte_cls_init(void)
{
	unsigned c;

	for (c = 0; c < 256; c++)
		byte_cls[c] = c < 0x80 ? !word_ascii[c] : (c == 0xC2 || c == 0xE2 || c == 0xE3) ? 2 : 0;
}

/* The end of the syllable starting at s: the first separator after it (the
 * same as stepping with separator(), with one table look-up per byte). */
static inline const unsigned char *syllable_end(const unsigned char *s, const unsigned char *end)
{
	while (s < end) {
		unsigned k = byte_cls[*s];

		if (k && (k == 1 || separator(s, end)))
			break;
		s++;
	}
	return s;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

static int push_set(sach_minhash *mh, size_t *n, uint64_t h)
{
	if (*n == mh->set_cap) {
		size_t cap = mh->set_cap ? mh->set_cap * 2 : 1024;
		uint32_t *p = realloc(mh->set_tmp, cap * sizeof(uint32_t));

		if (!p)
			return sach__error_nomem();
		mh->set_tmp = p;
		mh->set_cap = cap;
	}
	mh->set_tmp[(*n)++] = (uint32_t)h;
	return 0;
}

int64_t sach__minhash_sign_set(sach_minhash *mh, const char *folded, size_t len,
			       uint32_t *sig, sach_buf *set)
{
	const unsigned char *s = (const unsigned char *)folded, *end = s + len;
	uint64_t shingles = 0, tokens = 0, h;
	size_t nset = 0, i, j;
	unsigned n = mh->n;
	int rc;

	pthread_once(&byte_cls_once, byte_cls_init);
	for (i = 0; i < mh->kv; i++) {
		u32v all = { 0 };

		mh->acc[i] = all - 1u; /* every lane UINT32_MAX */
	}
	mh->nbatch = 0;
	while (s < end) {
		const unsigned char *t;
		size_t sep = separator(s, end);

		if (sep) {
			s += sep;
			continue;
		}
		t = s;
		s = syllable_end(s + 1, end);
		if (tokens < n) {
			mh->window[tokens] = XXH3_64bits(t, (size_t)(s - t));
		} else {
			memmove(mh->window, mh->window + 1, (n - 1) * sizeof(uint64_t));
			mh->window[n - 1] = XXH3_64bits(t, (size_t)(s - t));
		}
		tokens++;
		if (tokens >= n) {
			h = XXH3_64bits(mh->window, n * sizeof(uint64_t));
			mh->batch[mh->nbatch++] = h;
			if (mh->nbatch == BATCH) {
				mh->update(mh, mh->batch, mh->nbatch);
				mh->nbatch = 0;
			}
			shingles++;
			if (set && (rc = push_set(mh, &nset, h)) < 0)
				return rc;
		}
	}
	if (tokens > 0 && tokens < n) {
		h = XXH3_64bits(mh->window, (size_t)tokens * sizeof(uint64_t));
		mh->batch[mh->nbatch++] = h;
		shingles++;
		if (set && (rc = push_set(mh, &nset, h)) < 0)
			return rc;
	}
	if (mh->nbatch) {
		mh->update(mh, mh->batch, mh->nbatch);
		mh->nbatch = 0;
	}
	memcpy(sig, mh->acc, mh->k * sizeof(uint32_t));
	if (set && nset) {
		qsort(mh->set_tmp, nset, sizeof(uint32_t), cmp_u32);
		for (i = 1, j = 1; i < nset; i++)
			if (mh->set_tmp[i] != mh->set_tmp[j - 1])
				mh->set_tmp[j++] = mh->set_tmp[i];
		if ((rc = sach_buf_append(set, mh->set_tmp, j * sizeof(uint32_t))) < 0)
			return rc;
	}
	return (int64_t)shingles;
}

int64_t sach_minhash_sign(sach_minhash *mh, const char *folded, size_t len, uint32_t *sig)
{
	if (!mh || (!folded && len) || !sig)
		return sach__error_set(SACH_EINVAL, "minhash: NULL argument");
	return sach__minhash_sign_set(mh, folded ? folded : "", len, sig, NULL);
}

double sach_minhash_similarity(const sach_minhash *mh, const uint32_t *a, const uint32_t *b)
{
	unsigned i, same = 0;

	for (i = 0; i < mh->k; i++)
		same += a[i] == b[i];
	return (double)same / (double)mh->k;
}

void sach_minhash_bands(const sach_minhash *mh, const uint32_t *sig, uint64_t *bands)
{
	unsigned i;

	for (i = 0; i < mh->bands; i++)
		bands[i] = XXH3_64bits_withSeed(sig + (size_t)i * mh->rows,
						mh->rows * sizeof(uint32_t), i);
}

double sach_minhash_candidate_probability(unsigned bands, unsigned rows, double j)
{
	double pr = 1.0, miss = 1.0;
	unsigned i;

	for (i = 0; i < rows; i++)
		pr *= j;
	for (i = 0; i < bands; i++)
		miss *= 1.0 - pr;
	return 1.0 - miss;
}

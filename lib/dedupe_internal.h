/* Private: what the dedupe sources share (file container, record layouts,
 * key helpers, union-find, line counter). Never installed. */
#ifndef SACH_DEDUPE_INTERNAL_H
#define SACH_DEDUPE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "sach/dedupe.h"

/* ---- file container (dedupe_file.c) ---- */

enum { SACH__DD_SIG = 1, SACH__DD_DROP = 2, SACH__DD_INDEX = 3 };
/* Format versions per kind: a change to one kind's records must not make
 * the other kinds (an index kept across releases) unreadable. Drop lists
 * (2) mark the documents holding a repeated line and list the pre-keys of
 * repeated lines; signature files (2) pair each line key with a pre-key. */
#define SACH__DD_SIG_VERSION 2u
#define SACH__DD_DROP_VERSION 2u
#define SACH__DD_INDEX_VERSION 1u
uint32_t sach__dd_format_version(uint32_t kind);

/* Record tags. Every record starts with one byte; 'E' starts the trailer. */
#define SACH__DD_TAG_DOC 'D'    /* sig/index: one document */
#define SACH__DD_TAG_ENTRY 'X'  /* drop list: one decision */
#define SACH__DD_TAG_PART 'P'   /* drop list: documents signed in a part */
#define SACH__DD_TAG_LINE 'L'   /* drop list: one repeated line key */
#define SACH__DD_TAG_MARK 'M'   /* drop list: a kept document with a repeated line */
#define SACH__DD_TAG_PREKEY 'Q' /* drop list: the pre-key of a repeated line */
#define SACH__DD_TAG_END 'E'

/* Limits a reader enforces, so a damaged length never allocates wildly. */
#define SACH__DD_MAX_ID 65536u
#define SACH__DD_MAX_ITEMS (1u << 26)

/* What a header carries besides the parameters. */
typedef struct sach__dd_header {
	uint32_t kind;
	sach_dedupe_params p;
	uint32_t part;             /* sig: its part */
	uint32_t line_min_docs;    /* drop list: the threshold used */
	bool cluster_info;         /* drop list: kept members listed too */
} sach__dd_header;

typedef struct sach__dd_out sach__dd_out;

/* Opens `path` for a file of h->kind, writing the header. The caller ends
 * it with sach__dd_out_commit() or _abort(). */
int sach__dd_out_open(sach__dd_out **out, const char *path, const sach__dd_header *h,
		      bool compress);
int sach__dd_out_bytes(sach__dd_out *o, const void *p, size_t n);
int sach__dd_out_u8(sach__dd_out *o, uint8_t v);
int sach__dd_out_u32(sach__dd_out *o, uint32_t v);
int sach__dd_out_u64(sach__dd_out *o, uint64_t v);
/* Counts one record (the trailer carries the count). */
void sach__dd_out_record(sach__dd_out *o);
/* Trailer, checksum, fsync, rename; frees `o` either way. */
int sach__dd_out_commit(sach__dd_out *o);
void sach__dd_out_abort(sach__dd_out *o);

typedef struct sach__dd_in sach__dd_in;

/* Opens and reads the header; the kind must be `kind`. Caller frees with
 * sach__dd_in_close(). SACH_EIO, SACH_ECORRUPT (not such a file, other
 * version, damaged header) with a message naming the file. */
int sach__dd_in_open(sach__dd_in **out, const char *path, uint32_t kind, sach__dd_header *h);
/* Next record tag: 1 with *tag, or 0 after the trailer was read and the
 * count and checksum matched (else SACH_ECORRUPT). */
int sach__dd_in_next(sach__dd_in *in, int *tag);
int sach__dd_in_bytes(sach__dd_in *in, void *p, size_t n);
int sach__dd_in_u8(sach__dd_in *in, uint8_t *v);
int sach__dd_in_u32(sach__dd_in *in, uint32_t *v);
int sach__dd_in_u64(sach__dd_in *in, uint64_t *v);
/* A corruption error naming the file: returns SACH_ECORRUPT. */
int sach__dd_in_corrupt(const sach__dd_in *in, const char *what);
const char *sach__dd_in_path(const sach__dd_in *in);
void sach__dd_in_close(sach__dd_in *in);

/* SACH_ECONFIG with a message when two files' parameters differ in what
 * decides keys and signatures; `what_a`/`what_b` name them. */
int sach__dd_params_match(const sach_dedupe_params *a, const char *what_a,
			  const sach_dedupe_params *b, const char *what_b);

/* ---- keys and MinHash (dedupe_keys.c, dedupe_minhash.c) ---- */

/* Calls fn(ctx, start, len) for each line (or paragraph) of text; units are
 * split at '\n' (paragraphs at runs of blank lines). */
typedef int (*sach__dd_unit_fn)(void *ctx, const char *s, size_t n);
int sach__dd_each_unit(const char *text, size_t len, bool paragraphs, sach__dd_unit_fn fn,
		       void *ctx);

/* Like sach_minhash_sign(); when `set` is not NULL also appends the sorted,
 * distinct low 32 bits of every shingle hash to it (for the Jaccard check). */
int64_t sach__minhash_sign_set(sach_minhash *mh, const char *folded, size_t len,
			       uint32_t *sig, sach_buf *set);

/* Exact Jaccard of two sorted distinct u32 sets. */
double sach__dd_set_jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* The text a pre-key hashes (dedupe_prekey.c), appended to out. */
int sach__dd_prekey_text(const char *text, size_t len, sach_buf *out);
/* The widest SIMD walk sach__dd_prekey_text() may use: 32 (AVX2, the
 * default when the CPU has it), 16 (SSSE3) or 1 (none); for the unit
 * tests, which compare every width with the byte-at-a-time reference. */
extern unsigned sach__dd_prekey_width;

/* ---- union-find (dedupe_uf.c): roots are always the lowest member ---- */

uint32_t sach__uf_find(uint32_t *parent, uint32_t x);
void sach__uf_union(uint32_t *parent, uint32_t a, uint32_t b);

/* One (hash, document) pair; sorted by hash, then document. */
typedef struct sach__dd_pair {
	uint64_t h;
	uint32_t i;
} sach__dd_pair;

/* Sorts pairs in place (LSD radix on h, stable, so equal hashes keep the
 * document order they were given in); `tmp` has room for n pairs. */
void sach__dd_sort_pairs(sach__dd_pair *v, sach__dd_pair *tmp, size_t n);

/* Sorts 64-bit keys ascending (LSD radix with a second array of n keys;
 * qsort() when that cannot be allocated). glibc's qsort() on the line keys
 * was a third of the cluster step, which runs with every other core idle. */
void sach__dd_sort_u64(uint64_t *v, size_t n);

/* ---- repeated-line counter (dedupe_lines.c) ---- */

typedef struct sach__dd_lines sach__dd_lines;

/* A counter of line keys holding at most `cap` keys in memory before it
 * spills a sorted run of (key, count) to a file in tmp_dir. */
int sach__dd_lines_new(sach__dd_lines **out, size_t cap, const char *tmp_dir);
int sach__dd_lines_add(sach__dd_lines *c, uint64_t key);
/* Calls fn(ctx, key) in key order for every key counted >= min times. */
int sach__dd_lines_finish(sach__dd_lines *c, uint32_t min, int (*fn)(void *ctx, uint64_t key),
			  void *ctx);
uint64_t sach__dd_lines_spills(const sach__dd_lines *c);
/* Bytes the in-memory array holds now (it grows up to the cap). */
size_t sach__dd_lines_bytes(const sach__dd_lines *c);
void sach__dd_lines_free(sach__dd_lines *c);

#endif

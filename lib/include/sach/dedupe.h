/*
 * sach/dedupe.h - exact, repeated-line and near-duplicate removal in three
 * stages with files between them, so the work can be split over processes
 * or cluster jobs and still give the same answer:
 *
 *   sign    (per input part)  documents -> signature file
 *   cluster (once)            all signature files [+ index] -> drop list
 *   apply   (per input part)  documents + drop list -> kept documents
 *
 * The global ordinal. A document is identified by (part, line): the part
 * number given to the signer (0, 1, ... in the order the parts form the
 * corpus) and the line where its record starts in that part. Documents are
 * ordered by part, then line; "first occurrence" and "lowest ordinal" mean
 * lowest in that order. Documents of an index (what earlier releases held)
 * come before every part. The one-shot tool makes input file i part i, so
 * splitting a file into parts 0..N-1 and running the stages gives the same
 * decisions, and the same bytes, as one run over the whole file.
 *
 * Order of operations. Exact and near duplicates are decided on the whole
 * text as read (its fold key). Repeated lines are then counted over the
 * documents that survive, so the copies of one document never make its own
 * lines look like boilerplate; lines whose fold key occurs in at least
 * line_min_docs surviving documents are removed from every kept document,
 * and a document left with fewer than min_words words is dropped.
 *
 * Keys. Exact: XXH3-128 of sach_viet_fold_key() of the text (tone style,
 * i/y, case and whitespace folded). Near: MinHash over shingles of
 * `shingle` consecutive syllables (letter-or-digit runs) of the fold key
 * (or of its skeleton, diacritics removed, with skeleton = true), bands x
 * rows 32-bit hashes; two documents are candidates when all rows of one
 * band agree, the probability of which is 1 - (1 - J^rows)^bands for
 * Jaccard similarity J (14 x 8: 0.05 at J = 0.5, 0.5 at J = 0.69, 0.92 at
 * J = 0.8, 0.99 at J = 0.85).
 *
 * Files (signature, drop list, index) are little-endian binary: a header
 * (magic, kind, format version, parameters), tagged records, and a trailer
 * with the record count and an XXH3-64 checksum of every byte before it.
 * The whole file may be zstd-compressed (chosen by the writer; detected
 * by the reader). A file that is truncated, fails its checksum, has another
 * kind or version, or was built with other parameters is an error
 * (SACH_ECORRUPT or SACH_ECONFIG) with a message naming the file; never a
 * silently different answer.
 *
 * Memory (cluster): about 150 bytes per document plus its id (see
 * SACH_DEDUPE_BYTES_PER_DOC), all counted against the `mem` budget; the
 * repeated-line counter uses what is left and spills sorted runs to
 * tmp_dir when it is full. Sign and apply hold one document at a time
 * (apply also holds the drop list entries of its part, the repeated line
 * keys and their pre-keys).
 *
 * Repeated lines, cheaply: the signer pairs each line key with the pre-key
 * of the line (sach_dedupe_prekey(), a table walk much cheaper than the
 * fold key); cluster lists the pre-keys paired with repeated keys and marks
 * the kept documents that hold a repeated line; apply skips unmarked
 * documents and folds only the lines of marked ones whose pre-key is
 * listed. The decisions are exactly those of folding every line.
 *
 * The library never prints; failures return negative sach_status codes with
 * sach_error_last().
 */
#ifndef SACH_DEDUPE_H
#define SACH_DEDUPE_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Fixed cluster cost per document, without its id (documented figure). */
#define SACH_DEDUPE_BYTES_PER_DOC 160

/** Parameters that decide keys and signatures; recorded in every file. */
typedef struct sach_dedupe_params {
	unsigned int version;
	bool exact;          /* exact duplicates (default on) */
	bool near;           /* MinHash near duplicates (default on) */
	bool lines;          /* repeated lines: sign records line keys (on) */
	bool paragraphs;     /* the line unit is a paragraph (blank-line block) */
	bool skeleton;       /* shingle the diacritic-free skeleton */
	unsigned shingle;    /* syllables per shingle, 1-32 (5) */
	unsigned bands;      /* LSH bands, 1-64 (14) */
	unsigned rows;       /* hashes per band, 1-32 (8) */
	double jaccard;      /* > 0: sign stores shingle sets and cluster
	                        confirms candidates whose exact Jaccard is at
	                        least this; 0 = no check (default) */
	uint64_t seed;       /* MinHash seed (default 0x5ac4) */
} sach_dedupe_params;

#define SACH_DEDUPE_PARAMS_VERSION 1
#define SACH_DEDUPE_PARAMS_INIT \
	{ SACH_DEDUPE_PARAMS_VERSION, true, true, true, false, false, 5, 14, 8, 0.0, 0x5ac4 }

/** Checks ranges; 0 or SACH_EINVAL with a message. */
SACH_API int sach_dedupe_params_check(const sach_dedupe_params *p);

/* ---- keys (also used by the stages; exposed for tests and tools) ---- */

/**
 * The exact key of a text: XXH3-128 of its fold key, as two 64-bit halves
 * (key[0] = low, key[1] = high). `scratch` is a caller-owned buffer reused
 * between calls. 0, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_dedupe_exact_key(const char *text, size_t len, sach_buf *scratch,
				   uint64_t key[2]);

/** The 64-bit key of one line or paragraph (XXH3-64 of its fold key); an
 * all-whitespace line gives 0 (never counted, never removed). */
SACH_API int sach_dedupe_line_key(const char *text, size_t len, sach_buf *scratch,
				  uint64_t *key);

typedef struct sach_minhash sach_minhash;

/** A MinHash signer for `p` (bands * rows hashes). Caller frees with
 * sach_minhash_free(). 0, SACH_EINVAL or SACH_ENOMEM. */
SACH_API int sach_minhash_new(sach_minhash **out, const sach_dedupe_params *p);
SACH_API void sach_minhash_free(sach_minhash *mh);
/** Number of hashes in a signature (bands * rows). */
SACH_API unsigned sach_minhash_size(const sach_minhash *mh);

/**
 * Signature of an already folded text (a fold key, or its skeleton): writes
 * sach_minhash_size() values to `sig`. Returns the number of shingles (0
 * when the text has no syllables: then every value is UINT32_MAX), or
 * SACH_ENOMEM.
 */
SACH_API int64_t sach_minhash_sign(sach_minhash *mh, const char *folded, size_t len,
				   uint32_t *sig);

/** Estimated Jaccard similarity of two signatures: the share of equal values. */
SACH_API double sach_minhash_similarity(const sach_minhash *mh, const uint32_t *a,
					const uint32_t *b);

/** Band hashes of a signature: writes p->bands 64-bit values. */
SACH_API void sach_minhash_bands(const sach_minhash *mh, const uint32_t *sig, uint64_t *bands);

/** Probability that two documents of Jaccard similarity j become candidates. */
SACH_API double sach_minhash_candidate_probability(unsigned bands, unsigned rows, double j);

/* ---- one pass, exact duplicates only ---- */

/*
 * When only exact duplicates are asked for, each document can be decided
 * as it is read: the first occurrence of a key is kept. The set holds the
 * 128-bit keys seen so far with the id of the document that brought each
 * (about 48 bytes per distinct document at the worst load, plus its id),
 * within `mem` bytes. Same keys and same kept documents as the stages.
 */
typedef struct sach_dedupe_exact_set sach_dedupe_exact_set;

/** 0, SACH_EINVAL, SACH_ECONFIG (budget too small) or SACH_ENOMEM. */
SACH_API int sach_dedupe_exact_set_new(sach_dedupe_exact_set **out, size_t mem);

/**
 * Looks `key` up and records it with `id` when new. Returns 0 for a first
 * occurrence, 1 for a duplicate with *first set to the id recorded for the
 * key (valid until the next call), SACH_ECONFIG with a message when the set
 * would grow over its budget, or SACH_ENOMEM.
 */
SACH_API int sach_dedupe_exact_set_add(sach_dedupe_exact_set *s, const uint64_t key[2],
				       const char *id, const char **first);

/** Distinct keys held. */
SACH_API uint64_t sach_dedupe_exact_set_count(const sach_dedupe_exact_set *s);
/** Most bytes held at once (counted against the budget). */
SACH_API size_t sach_dedupe_exact_set_peak(const sach_dedupe_exact_set *s);
SACH_API void sach_dedupe_exact_set_free(sach_dedupe_exact_set *s);

typedef struct sach_dedupe_signer sach_dedupe_signer;

/* ---- two passes, exact duplicates only: pre-keys ---- */

/*
 * When the input can be read twice, most fold keys need not be computed:
 * the first pass computes a cheap pre-key of every document and finds the
 * groups of documents that share one; the second computes the fold key
 * (sach_dedupe_exact_key) only for the members of such groups and decides
 * them with an exact set as the one-pass filter does. Documents outside
 * every group are kept. Same keys, same kept documents, same bytes.
 *
 * The pre-key is XXH3-64 of the text's bytes with ASCII letters
 * lowercased, ASCII vowels (aeiouy) and whitespace dropped, and the
 * characters of U+0080-U+07FF and U+1000-U+3FFF (Vietnamese and the other
 * cased letters, the Unicode spaces) dropped; every other byte is kept. The
 * fold key only changes characters that the pre-key drops or lowercases,
 * so it is coarser: equal fold keys always give equal pre-keys.
 */
SACH_API int sach_dedupe_prekey(const char *text, size_t len, sach_buf *scratch,
				uint64_t *key);

typedef struct sach_dedupe_prekey_set sach_dedupe_prekey_set;

/** 0, SACH_EINVAL, SACH_ECONFIG (budget too small) or SACH_ENOMEM. The set
 * holds about 64 bytes per distinct pre-key (32 at the best load) plus 1
 * bit per document; after seal, the bits and at most 32 bytes per uniform
 * group (see sach_dedupe_prekey_set_uniform). */
SACH_API int sach_dedupe_prekey_set_new(sach_dedupe_prekey_set **out, size_t mem);
/**
 * Adds the pre-key of the next document (ordinals 0, 1, ... in the order of
 * the calls). Returns 0 for a new pre-key, 1 when an earlier document had
 * it, SACH_ECONFIG with a message when over the budget, or SACH_ENOMEM.
 */
SACH_API int sach_dedupe_prekey_set_add(sach_dedupe_prekey_set *s, uint64_t key);
/**
 * Like sach_dedupe_prekey_set_add(), with the document's text hash
 * (sach_dedupe_text_hash()): a group all of whose documents have one text
 * hash is "uniform". The plain add counts as a text of its own.
 */
SACH_API int sach_dedupe_prekey_set_add_text(sach_dedupe_prekey_set *s, uint64_t key,
					     const uint64_t text_hash[2]);
/** XXH3-128 of the text, as the pre-key set takes it. 0 or SACH_EINVAL. */
SACH_API int sach_dedupe_text_hash(const char *text, size_t len, uint64_t out[2]);
/** After the last add: frees the key table (the memberships stay, and the
 * text hashes of the uniform groups of two or more, when they fit the
 * budget next to the table; else none, which only costs fold keys). */
SACH_API void sach_dedupe_prekey_set_seal(sach_dedupe_prekey_set *s);
/** Whether document `ordinal` shares its pre-key with another document:
 * 1 or 0; SACH_ECONFIG with a message for an ordinal never added (the
 * input changed between the passes). */
SACH_API int sach_dedupe_prekey_set_member(const sach_dedupe_prekey_set *s, uint64_t ordinal);
SACH_API uint64_t sach_dedupe_prekey_set_docs(const sach_dedupe_prekey_set *s);
/**
 * After seal: 1 when `text_hash` is that of a uniform group of two or more
 * documents, else 0 (SACH_EINVAL for NULL). Every document of such a group
 * has the same text, hence the same fold key, and no document outside it
 * has that fold key (equal fold keys give equal pre-keys): the text hash
 * can stand for the fold key in an exact set, with the same decisions.
 */
SACH_API int sach_dedupe_prekey_set_uniform(const sach_dedupe_prekey_set *s,
					    const uint64_t text_hash[2]);
/** Uniform groups of two or more held after seal. */
SACH_API uint64_t sach_dedupe_prekey_set_uniform_groups(const sach_dedupe_prekey_set *s);
/** Bytes held now (after seal: the memberships and the uniform set). */
SACH_API size_t sach_dedupe_prekey_set_held(const sach_dedupe_prekey_set *s);
/** Documents in groups of two or more. */
SACH_API uint64_t sach_dedupe_prekey_set_members(const sach_dedupe_prekey_set *s);
SACH_API size_t sach_dedupe_prekey_set_peak(const sach_dedupe_prekey_set *s);
SACH_API void sach_dedupe_prekey_set_free(sach_dedupe_prekey_set *s);

/* ---- keys of one document, apart from the file (for worker threads) ---- */

/*
 * sach_dedupe_signer_add() is sach_dedupe_keyer_keys() followed by
 * sach_dedupe_signer_add_keys(). The first is the costly part (fold keys,
 * MinHash, line keys) and touches nothing shared, so a program may run it
 * on many threads, one keyer each, and hand the results to the signer in
 * document order.
 */
typedef struct sach_dedupe_keyer sach_dedupe_keyer;

/** 0, SACH_EINVAL or SACH_ENOMEM. */
SACH_API int sach_dedupe_keyer_new(sach_dedupe_keyer **out, const sach_dedupe_params *p);
SACH_API void sach_dedupe_keyer_free(sach_dedupe_keyer *k);
/** Appends the keys of one document to `out` as an opaque block (its
 * length is out->len afterwards minus before). 0, SACH_EINVAL, SACH_ENOMEM. */
SACH_API int sach_dedupe_keyer_keys(sach_dedupe_keyer *k, const char *text, size_t len,
				    sach_buf *out);
/** Writes one document from a block made by a keyer with the signer's
 * parameters. Same rules and results as sach_dedupe_signer_add(). */
SACH_API int sach_dedupe_signer_add_keys(sach_dedupe_signer *s, uint64_t line, const char *id,
					 const void *keys, size_t n);

/* ---- stage 1: sign ---- */


/**
 * Opens a signature file for part `part` (written atomically at commit;
 * zstd-compressed when `compress`). The caller owns the signer and ends it
 * with sach_dedupe_signer_commit() or _abort().
 * @return 0, SACH_EINVAL, SACH_EIO or SACH_ENOMEM.
 */
SACH_API int sach_dedupe_signer_open(sach_dedupe_signer **out, const char *path,
				     const sach_dedupe_params *p, uint32_t part, bool compress);

/** Signs one document that starts at `line` of the part; lines must grow.
 * `id` names the document in the rejected records of its duplicates. */
SACH_API int sach_dedupe_signer_add(sach_dedupe_signer *s, uint64_t line, const char *id,
				    const char *text, size_t len);

/** Documents signed so far. */
SACH_API uint64_t sach_dedupe_signer_count(const sach_dedupe_signer *s);

/** Writes the trailer and renames the file into place; frees the signer. */
SACH_API int sach_dedupe_signer_commit(sach_dedupe_signer *s);
/** Discards the file; frees the signer. NULL ok. */
SACH_API void sach_dedupe_signer_abort(sach_dedupe_signer *s);

/* ---- stage 2: cluster ---- */

typedef struct sach_dedupe_cluster_options {
	unsigned int version;
	size_t mem;                 /* budget in bytes for everything cluster holds */
	const char *tmp_dir;        /* spill files of the line counter */
	const char *index_dir;      /* NULL, or a directory holding an index */
	bool update_index;          /* add kept documents to the index */
	bool keep_cluster_info;     /* list kept members of clusters too */
	uint32_t line_min_docs;     /* a line in >= this many documents is removed */
	bool compress;              /* zstd drop list and index */
} sach_dedupe_cluster_options;

#define SACH_DEDUPE_CLUSTER_OPTIONS_VERSION 1
#define SACH_DEDUPE_CLUSTER_OPTIONS_INIT \
	{ SACH_DEDUPE_CLUSTER_OPTIONS_VERSION, (size_t)2 << 30, "/tmp", NULL, false, false, 10, false }

/** File name of the index inside its directory. */
#define SACH_DEDUPE_INDEX_FILE "sach-dedupe.idx"

typedef struct sach_dedupe_cluster_stats {
	uint64_t docs;              /* documents in the signature files */
	uint64_t index_docs;        /* documents loaded from the index */
	uint64_t exact;             /* dropped: same fold key as the kept document */
	uint64_t near;              /* dropped: near duplicate of the kept document */
	uint64_t exact_index;       /* dropped: exact duplicate of an indexed document */
	uint64_t near_index;        /* dropped: near duplicate of an indexed document */
	uint64_t clusters;          /* clusters with more than one member */
	uint64_t candidates_rejected; /* LSH pairs the Jaccard check refused */
	uint64_t line_keys;         /* distinct (document, line) keys counted */
	uint64_t repeated_lines;    /* distinct line keys at or over the threshold */
	uint64_t spill_runs;        /* sorted runs the line counter wrote to disk */
	uint64_t index_written;     /* documents in the updated index */
	size_t peak_bytes;          /* most memory held against the budget */
} sach_dedupe_cluster_stats;

/**
 * Reads every signature file (any order; they are sorted by part, and two
 * files of one part are an error), finds duplicates and repeated lines,
 * and writes the drop list atomically to `droplist`. With index_dir, the
 * index is loaded first and, with update_index, rewritten with the kept
 * documents added. `stats` may be NULL.
 * @return 0, SACH_ECONFIG (parameters differ between files, or over the
 *         memory budget), SACH_ECORRUPT, SACH_EIO, SACH_EINVAL, SACH_ENOMEM.
 */
SACH_API int sach_dedupe_cluster(const char *const *sigs, size_t nsigs, const char *droplist,
				 const sach_dedupe_cluster_options *o,
				 sach_dedupe_cluster_stats *stats);

/* ---- stage 3: apply ---- */

typedef struct sach_dedupe_applier sach_dedupe_applier;

typedef struct sach_dedupe_apply_stats {
	uint64_t docs;              /* documents seen */
	uint64_t dropped;           /* dropped as duplicates */
	uint64_t too_short;         /* dropped after line removal */
	uint64_t docs_changed;      /* kept documents that lost lines */
	uint64_t lines_removed;     /* lines (or paragraphs) removed */
	uint64_t bytes_removed;     /* text bytes removed with them */
} sach_dedupe_apply_stats;

/**
 * Loads the drop list entries of part `part`. `min_words`: a document
 * that lost lines and has fewer words (whitespace-separated) left is
 * dropped. Caller owns the applier; free with sach_dedupe_applier_free().
 * @return 0, SACH_ECORRUPT, SACH_EIO, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_dedupe_applier_open(sach_dedupe_applier **out, const char *droplist,
				      uint32_t part, unsigned min_words);

/**
 * Decides one document of the part (in line order, the same documents the
 * signer saw, with the same text: repeated lines are found through what
 * the signer recorded of each document's lines). A duplicate gets "sach": {"rejected": {"duplicate_of": ID}}
 * (and "dedupe": {"cluster", "cluster_size"} with cluster info) and 1 is
 * returned with *reason ("exact-duplicate", "near-duplicate",
 * "exact-duplicate-of-index", "near-duplicate-of-index"). A kept document
 * loses its repeated lines (its text is replaced); if too little is left,
 * 1 with "too-short-after-lines". Otherwise 0. Negative on failure
 * (SACH_ECONFIG when the input is not what was signed).
 */
SACH_API int sach_dedupe_apply(sach_dedupe_applier *a, sach_doc *doc, uint64_t line,
			       const char **reason);

/** Call after the last document: SACH_ECONFIG if the part held a different
 * number of documents than the signer saw. */
SACH_API int sach_dedupe_applier_finish(sach_dedupe_applier *a);

SACH_API const sach_dedupe_apply_stats *sach_dedupe_applier_stats(const sach_dedupe_applier *a);
SACH_API void sach_dedupe_applier_free(sach_dedupe_applier *a);

#ifdef __cplusplus
}
#endif

#endif /* SACH_DEDUPE_H */

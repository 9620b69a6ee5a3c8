/*
 * sach/shard.h - training shards: size-capped .jsonl.zst files named in the
 * Hugging Face convention, deterministic splits by a hash of the document
 * id, an optional deterministic shuffle, and a manifest that --verify
 * checks.
 *
 * Layout of an output directory after a successful run:
 *   DIR/train-00000-of-00003.jsonl.zst ... DIR/validation-00000-of-00001.jsonl.zst
 *   DIR/manifest.json
 * Each shard is plain JSON Lines (one object per line, each line ending in
 * "\n") in one zstd frame with a checksum, so
 * datasets.load_dataset("json", data_files=...) and `zstd -dc` read it as
 * it is.
 *
 * Size cap: max_bytes counts the UNCOMPRESSED JSONL bytes of a shard (the
 * lines and their newlines). A shard is closed before a document that would
 * take it over the cap; a single document larger than the cap gets a shard
 * of its own. Why uncompressed: shard boundaries then depend only on the
 * input and the config, never on the zstd version or level, so two machines
 * cut the same shards (the compressed bytes of a shard may still differ
 * between zstd versions; its decompressed content does not).
 *
 * Splits: a document goes to split i where, with
 *   h = XXH3_64bits_withSeed(id, strlen(id), SACH_SHARD_SPLIT_SEED)
 *   b = h >> 11                                 (53 bits)
 *   c_i = f_0 + ... + f_i                       (IEEE doubles, added in order)
 * i is the first split with b < floor(c_i * 2^53) (exact: 2^53 is a power
 * of two); the last split takes
 * every b that is left (so rounding never loses a document). The id is
 * sach_doc_id(): the id field's string value, or its JSON spelling for other
 * types, or "SOURCE:LINE" for a record without one. In Python:
 *   b = xxhash.xxh3_64_intdigest(id.encode(), seed=0x73616368) >> 11
 *
 * Shuffle (optional): within each split, documents are written in the
 * order of (XXH3_64bits_withSeed(id, strlen(id), shuffle_seed), ordinal),
 * the ordinal being the document's position in the input (it only breaks
 * ties between equal ids). This is an external sort: documents are held in
 * memory up to shuffle_memory bytes, then written sorted to spill files in
 * DIR/.sach-shard.tmp/ and merged at the end. Trade-off: a full
 * pseudo-random permutation (unlike a windowed shuffle, which only moves a
 * document within its window) with memory bounded by shuffle_memory, at the
 * cost of temporary disk space equal to the uncompressed input and a second
 * read of it. The order does not depend on shuffle_memory.
 *
 * Atomicity: shards are written into DIR/.sach-shard.tmp/ under names that
 * do not look finished; sach_shard_writer_finish() renames them to their
 * final names (the total is known only then) and writes manifest.json last,
 * atomically. A run that fails or is killed leaves no manifest.json; the
 * manifest is what says a directory is complete.
 *
 * Syllables: whitespace-separated tokens made only of letters (Latin with
 * the Vietnamese letters, Greek, Cyrillic) and combining marks, counted in
 * the document text (see sach_shard_count_syllables()).
 */
#ifndef SACH_SHARD_H
#define SACH_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Seed of the split hash ("sach" in ASCII). Part of the output format. */
#define SACH_SHARD_SPLIT_SEED UINT64_C(0x73616368)
/** Default cap on the uncompressed bytes of one shard. */
#define SACH_SHARD_DEFAULT_MAX_BYTES ((uint64_t)256 << 20)
/** Default memory for documents held by the shuffle before it spills. */
#define SACH_SHARD_DEFAULT_SHUFFLE_MEMORY ((size_t)256 << 20)
/** Most splits a run may have. */
#define SACH_SHARD_MAX_SPLITS 16
/** Name of the manifest inside the output directory. */
#define SACH_SHARD_MANIFEST "manifest.json"

/** One split: a name ([A-Za-z0-9_]+, at most 64 bytes) and its fraction. */
typedef struct sach_shard_split {
	const char *name;
	double fraction;    /* > 0; the fractions of a run sum to 1 (within 1e-9) */
} sach_shard_split;

/**
 * Parses "train=0.99,validation=0.01" into splits.
 * @param out   receives an array of *n splits whose names point into one
 *              allocation; the caller frees it with sach_shard_splits_free().
 * @return 0, SACH_EINVAL (message says what is wrong) or SACH_ENOMEM.
 */
SACH_API int sach_shard_parse_splits(const char *spec, sach_shard_split **out, size_t *n);
/** Frees what sach_shard_parse_splits() returned; accepts NULL. */
SACH_API void sach_shard_splits_free(sach_shard_split *splits);

/** The split (index into splits[]) that the formula above gives `id`. */
SACH_API size_t sach_shard_split_of(const sach_shard_split *splits, size_t n,
				    const char *id, size_t id_len);

/** Syllables of a text: whitespace-separated tokens of letters and marks only. */
SACH_API uint64_t sach_shard_count_syllables(const char *text, size_t len);

/** What to do with an output directory that is not empty. */
typedef enum sach_shard_existing {
	SACH_SHARD_REFUSE = 0,    /* SACH_EINVAL: "not empty" */
	SACH_SHARD_OVERWRITE = 1, /* replace the shards and manifest of an earlier
				   * run (removed only when the new run finishes);
				   * other files are left alone */
	SACH_SHARD_RESUME = 2     /* finish an interrupted run: its leftovers are
				   * discarded and the run starts again; a directory
				   * holding a manifest is refused (a caller first asks
				   * sach_shard_is_complete() whether there is
				   * anything to do) */
} sach_shard_existing;

typedef struct sach_shard_options {
	unsigned int version;
	uint64_t max_bytes;             /* uncompressed bytes per shard; 0 = default */
	int level;                      /* zstd level 1-19; 0 = 3 */
	const sach_shard_split *splits; /* NULL or nsplits == 0: one split "train" */
	size_t nsplits;
	bool shuffle;
	uint64_t shuffle_seed;
	size_t shuffle_memory;          /* 0 = default */
	const char *dataset_name;       /* NULL = the directory's base name */
	const char *dataset_version;    /* NULL = "0" */
	sach_shard_existing existing;
	bool timestamp;                 /* add "created" (UTC) to the manifest; off by
					 * default so output bytes stay reproducible */
	const char *pipeline_config;    /* NULL, or the text of a JSON object (sach-run's
					 * effective config): recorded in the manifest as
					 * config.pipeline, so it is part of the config
					 * hash */
	int threads;                    /* zstd worker threads per shard: 0 = none;
					 * any N >= 1 gives the same bytes (zstd's
					 * multi-threaded format), different from 0 */
} sach_shard_options;

#define SACH_SHARD_OPTIONS_VERSION 1
#define SACH_SHARD_OPTIONS_INIT \
	{ SACH_SHARD_OPTIONS_VERSION, 0, 0, NULL, 0, false, 0, 0, NULL, NULL, \
	  SACH_SHARD_REFUSE, false, NULL, 0 }

/** An input recorded in the manifest. */
typedef struct sach_shard_input {
	const char *path;
	uint64_t bytes;       /* size of the file as read (compressed size) */
	bool has_xxh3;        /* false for stdin and pipes, which cannot be re-read */
	uint64_t xxh3;        /* XXH3-64 (seed 0) of the file's bytes */
} sach_shard_input;

/**
 * Reads a regular file and gives its size and XXH3-64 (seed 0). For a file
 * that is not regular (stdin "-", a pipe) sets *has_xxh3 false and *bytes 0.
 * @return 0 or SACH_EIO.
 */
SACH_API int sach_shard_hash_file(const char *path, uint64_t *bytes, uint64_t *xxh3,
				  bool *has_xxh3);

typedef struct sach_shard_writer sach_shard_writer;

/**
 * Starts a run writing into out_dir (created if missing; its parent must
 * exist). Fails with SACH_EINVAL when the directory is not empty and
 * opts->existing does not allow it, or when an option is out of range.
 * @param out   receives the writer; the caller owns it and frees it with
 *              sach_shard_writer_free() (which discards an unfinished run).
 * @param opts  copied, strings included.
 * @return 0, SACH_EINVAL, SACH_EIO or SACH_ENOMEM.
 */
SACH_API int sach_shard_writer_open(sach_shard_writer **out, const char *out_dir,
				    const sach_shard_options *opts);

/** Records an input for the manifest (copied). 0 or SACH_ENOMEM. */
SACH_API int sach_shard_writer_add_input(sach_shard_writer *w, const sach_shard_input *in);

/**
 * Adds a document: written as sach_doc_write_jsonl() writes it, split by
 * sach_doc_id(), syllables counted in its text.
 * @return 0, SACH_EIO or SACH_ENOMEM.
 */
SACH_API int sach_shard_writer_add(sach_shard_writer *w, const sach_doc *doc);

/**
 * Adds an already serialised document: `line` is one JSON object (a final
 * "\n" is added when missing; it must hold no other newline), `id` decides
 * the split, `syllables` goes into the counts (for example
 * sach_shard_count_syllables() of its text, or the signals' count).
 * @return 0, SACH_EINVAL (a newline inside the line), SACH_EIO or SACH_ENOMEM.
 */
SACH_API int sach_shard_writer_add_line(sach_shard_writer *w, const char *id, size_t id_len,
					const char *line, size_t len, uint64_t syllables);

/**
 * Ends the run: merges the shuffle, closes the last shards, renames every
 * shard to SPLIT-NNNNN-of-MMMMM.jsonl.zst, removes the files of an earlier
 * run being overwritten, writes manifest.json atomically, and removes the
 * temporary directory. After a failure the directory holds no manifest.
 * @return 0, SACH_EIO or SACH_ENOMEM.
 */
SACH_API int sach_shard_writer_finish(sach_shard_writer *w);

/** Totals of one split (valid during the run and after finish). */
typedef struct sach_shard_totals {
	const char *name;          /* borrowed from the writer */
	uint64_t shards;           /* shards finished so far */
	uint64_t documents;
	uint64_t bytes;            /* uncompressed */
	uint64_t compressed_bytes; /* of finished shards */
	uint64_t syllables;
} sach_shard_totals;

SACH_API size_t sach_shard_writer_nsplits(const sach_shard_writer *w);
/** Fills *t for split i (< nsplits). */
SACH_API void sach_shard_writer_totals(const sach_shard_writer *w, size_t i, sach_shard_totals *t);

/** Frees the writer; an unfinished run's temporary files are removed. NULL ok. */
SACH_API void sach_shard_writer_free(sach_shard_writer *w);

/**
 * The canonical JSON of the config opts describes (the manifest's "config")
 * and its XXH3-64; the same options give the same bytes and hash.
 * @param json  appended to (caller-owned buffer). May be NULL.
 * @return 0, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_shard_config_hash(const sach_shard_options *opts, sach_buf *json,
				    uint64_t *hash);

/**
 * Whether out_dir holds a complete run of this config over these inputs:
 * its manifest.json exists, has the same config hash and the same inputs
 * (path, size and checksum, all with checksums), and verifies.
 * @return 1 (complete), 0 (not), or SACH_ENOMEM.
 */
SACH_API int sach_shard_is_complete(const char *out_dir, const sach_shard_options *opts,
				    const sach_shard_input *inputs, size_t ninputs);

/** Called by sach_shard_verify() once per problem found: `file` is the shard's
 * name (or the manifest's path), `problem` says what is wrong. */
typedef void (*sach_shard_verify_cb)(void *ctx, const char *file, const char *problem);

/**
 * Re-checks every shard a manifest lists: the file exists, its size and
 * XXH3-64 match, it decompresses, its uncompressed size and line count
 * (documents) match; split totals add up; no file in the directory looks
 * like a shard of this dataset without being listed. "created" is ignored.
 * @param problems  receives the number of problems (each reported to cb).
 * @param shards    may be NULL; receives the number of shards listed.
 * @return 0 when the manifest could be read (problems may still be > 0),
 *         SACH_EIO (unreadable manifest), SACH_EJSON (not a manifest) or
 *         SACH_ENOMEM.
 */
SACH_API int sach_shard_verify(const char *manifest_path, sach_shard_verify_cb cb, void *ctx,
			       uint64_t *problems, uint64_t *shards);

#ifdef __cplusplus
}
#endif

#endif /* SACH_SHARD_H */

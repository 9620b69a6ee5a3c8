/* Private: the parts of the shard module shared by shard.c (the writer),
 * shard_sort.c (the shuffle's external sort) and manifest.c. Never installed. */
#ifndef SACH_SHARD_INTERNAL_H
#define SACH_SHARD_INTERNAL_H

#include "sach/io.h"
#include "sach/shard.h"

/* Temporary directory inside the output directory. */
#define SACH__SHARD_TMP ".sach-shard.tmp"

/* One document on its way to a shard. `line` ends with "\n". */
typedef struct sach__shard_rec {
	uint32_t split;
	uint64_t key;        /* shuffle key */
	uint64_t ordinal;    /* position in the input; breaks ties */
	uint64_t syllables;
	const char *line;
	size_t len;
} sach__shard_rec;

/* Receives records in order; returns 0 or a negative sach code. */
typedef int (*sach__shard_sink)(void *ctx, const sach__shard_rec *rec);

/*
 * External sort by (split, key, ordinal): records are held in memory up to
 * `memory` bytes, then sorted and written to spill files in tmp_dir; drain
 * merges the spills and what is in memory. Owned by the caller
 * (sach__sorter_free(), which removes the spill files).
 */
typedef struct sach__sorter sach__sorter;

int sach__sorter_new(sach__sorter **out, const char *tmp_dir, size_t memory);
int sach__sorter_add(sach__sorter *s, const sach__shard_rec *rec);
/* Hands every record to sink in order; callable once. */
int sach__sorter_drain(sach__sorter *s, sach__shard_sink sink, void *ctx);
void sach__sorter_free(sach__sorter *s);

/* A finished shard. */
typedef struct sach__shard_file {
	uint32_t split;
	uint64_t index;          /* 0-based within its split */
	uint64_t documents, bytes, compressed_bytes, syllables, xxh3;
} sach__shard_file;

typedef struct sach__split_state {
	char name[65];
	double fraction;
	sach_writer *cur;        /* the open shard, or NULL */
	uint64_t cur_docs, cur_bytes, cur_syllables;
	uint64_t next_index;     /* shards of this split so far */
	uint64_t documents, bytes, compressed_bytes, syllables;
} sach__split_state;

typedef struct sach__input {
	char *path;
	uint64_t bytes, xxh3;
	bool has_xxh3;
} sach__input;

struct sach_shard_writer {
	char *dir;
	char *tmp_dir;
	sach_shard_options opts;         /* strings below are owned copies */
	char *dataset_name, *dataset_version;
	char *pipeline_config;

	size_t nsplits;
	sach__split_state splits[SACH_SHARD_MAX_SPLITS];
	sach_shard_split split_defs[SACH_SHARD_MAX_SPLITS]; /* names point into splits[] */

	sach__shard_file *files;
	size_t nfiles, files_cap;
	sach__input *inputs;
	size_t ninputs, inputs_cap;

	sach__sorter *sorter;
	uint64_t ordinal;
	sach_buf line;
	bool finished;
};

/* "SPLIT-00001-of-00012.jsonl.zst" into buf; the staging name (no total)
 * when total is 0. */
void sach__shard_file_name(char *buf, size_t size, const char *split, uint64_t index,
			   uint64_t total);

/* True when name looks like a finished shard (NAME-DDDDD-of-DDDDD.jsonl.zst). */
bool sach__shard_name_looks_final(const char *name);

/* Writes DIR/manifest.json for a finished run, atomically. */
int sach__manifest_write(const sach_shard_writer *w);

/* Removes a directory and everything in it (one level of files). */
void sach__shard_rm_tmp(const char *path);

#endif

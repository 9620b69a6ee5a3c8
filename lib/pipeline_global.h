/* Private: settings of the global stages of a pipeline. */
#ifndef SACH_PIPELINE_GLOBAL_H
#define SACH_PIPELINE_GLOBAL_H

#include "sach/dedupe.h"
#include "sach/shard.h"

/* A document that lost repeated lines and has fewer words left is dropped
 * (the same default as sach-dedupe --min-words). */
#define PL_DEDUPE_DEFAULT_MIN_WORDS 5

typedef struct pl_dedupe {
	sach_dedupe_params params;
	sach_dedupe_cluster_options co;
	unsigned min_words;
	char *index_dir;
} pl_dedupe;

typedef struct pl_shard {
	sach_shard_options o;
	sach_shard_split *splits;
	size_t nsplits;
} pl_shard;

#endif

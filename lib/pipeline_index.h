/* Private: the per-part index of final documents for the shard step
 * (pipeline_index.c). Never installed. */
#ifndef SACH_PIPELINE_INDEX_H
#define SACH_PIPELINE_INDEX_H

#include <stdint.h>

#include "sach/doc.h"
#include "sach/io.h"

/* The key that places a document in its split: its id, or for a record
 * without one "text:" and the XXH3-64 of its text (written into own). */
const char *sach__pl_split_key(const sach_doc *doc, char own[32]);

/* Appends the document's key and syllable count to an index file. */
int sach__pl_index_add(sach_writer *w, const sach_doc *doc);

typedef struct pl_index pl_index;

int sach__pl_index_open(pl_index **out, const char *path);
/* 1 with the next document's key (borrowed until the next call) and
 * syllables, 0 at the end, or SACH_EIO / SACH_ECORRUPT. */
int sach__pl_index_next(pl_index *x, const char **key, size_t *klen, uint64_t *syllables);
void sach__pl_index_close(pl_index *x);

#endif

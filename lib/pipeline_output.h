/* Private: the global stages and the final assembly of a run. */
#ifndef SACH_PIPELINE_OUTPUT_H
#define SACH_PIPELINE_OUTPUT_H

#include "pipeline_internal.h"

/* Parses the section of a global stage ("dedupe" or "shard"); `item` is the
 * stage's list entry, for positions. */
int sach__pl_global_parse(sach_pipeline *p, const char *name, const sach_config_node *section,
			  const sach_config_node *item);
void sach__pl_global_free(sach_pipeline *p);

/* Runs the global stages' passes between phase A and the output. */
int sach__pl_global_run(sach_pipeline *p);

/* Whether part `part` of the files named `what` is there to read: 1 (once
 * it is), 0 when there is no such part, or a negative code. */
typedef int (*sach__pl_part_ready)(sach_pipeline *p, const char *what, size_t part);

/* OUT/name: the part files named by each of `whats` (NULL-terminated), part
 * by part, as one zstd stream at `level` on `threads` threads. With `ready`,
 * each part is waited for; without, every part is finished. */
int sach__pl_concat_parts(sach_pipeline *p, const char *name, const char *const *whats,
			  int level, unsigned threads, sach__pl_part_ready ready);

/* Writes a small file atomically (fsync()ed when `sync`). */
int sach__pl_write_file(const char *path, const char *data, size_t len, bool sync);

/* Writes the output directory: documents or shards and manifest, rejected
 * and quarantined records, counts.json, config.json. */
int sach__pl_output(sach_pipeline *p);

#endif

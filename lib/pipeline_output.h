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

/* Starts writing the rejected and quarantined records on a thread of their
 * own (with more than one worker), after phase A; sach__pl_applied() tells
 * it a part's dedupe apply step finished. sach__pl_side_join() waits for it
 * and returns its result (SACH_OK when it was not started); on a failure
 * elsewhere, sach__pl_fail() first, so it stops waiting. */
int sach__pl_side_start(sach_pipeline *p);
void sach__pl_applied(sach_pipeline *p, size_t part);
int sach__pl_side_join(sach_pipeline *p);

/* Writes the output directory: documents or shards and manifest, rejected
 * and quarantined records, counts.json, config.json. */
int sach__pl_output(sach_pipeline *p);

#endif

/* Private: the pieces of the pipeline runner (pipeline*.c). Never installed. */
#ifndef SACH_PIPELINE_INTERNAL_H
#define SACH_PIPELINE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "sach/config.h"
#include "sach/io.h"
#include "sach/pipeline.h"

/* The run's work directory inside the output directory, and the state
 * file a finished run leaves (so the same command again is a no-op). */
#define PL_WORK_DIR ".sach-work"
#define PL_STATE_FILE ".sach-state"

/* Verdicts of a per-document stage's process(). */
enum { PL_KEEP = 0, PL_DROP = 1 };

/* One reason a stage dropped documents, and how many. */
typedef struct pl_reason {
	char *name;
	uint64_t n;
} pl_reason;

/* What a per-document stage did: summed per part, then over parts. */
typedef struct pl_stage_counts {
	uint64_t in, out, changed;
	pl_reason *reasons;
	size_t nreasons;
} pl_stage_counts;

/*
 * A kind of per-document stage. settings are parsed once from the config
 * (errors with positions); each worker thread opens its own state.
 */
typedef struct pl_stage_ops {
	const char *name;
	int (*parse)(const sach_config *cfg, const sach_config_node *node, void **settings);
	int (*open)(const void *settings, void **state);
	/* PL_KEEP, PL_DROP with *reason (static, or valid until the next call),
	 * or a negative code: SACH_ENOMEM/SACH_ERROR stop the run, others make the
	 * document a bad record. *changed when the text changed. */
	int (*process)(void *state, sach_doc *doc, const char **reason, bool *changed);
	void (*close)(void *state);
	void (*free_settings)(void *settings);
	/* Optional (NULL = no): a "pure" stage never changes the text and,
	 * for a document it drops, writes only what replay_drop() writes; so
	 * its verdict on a text can be remembered and replayed on another
	 * document with the same text (pipeline_memo.c). last_drop() gives the
	 * details of the drop process() just returned. */
	bool (*pure)(const void *settings);
	void (*last_drop)(void *state, const char **rule, double *value);
	int (*replay_drop)(sach_doc *doc, const char *rule, double value);
} pl_stage_ops;

typedef struct pl_stage {
	const pl_stage_ops *ops;
	void *settings;
} pl_stage;

/* A worker's memory of texts it has processed (pipeline_memo.c). */
typedef struct pl_memo_entry {
	uint64_t key[2];     /* XXH3-128 of the text */
	bool used, keep;     /* keep: the pure stage kept it (or there is none) */
	const char *rule;    /* else the drop it replays (a static string) */
	double value;
	size_t keys_at, nkeys; /* dedupe keys (sach_dedupe_keyer_keys) in the arena */
} pl_memo_entry;
typedef struct pl_memo pl_memo;

int sach__pl_memo_new(pl_memo **out);
void sach__pl_memo_free(pl_memo *m);
/* 1 and a copy of the entry (its keys into `keys`) if the text is known,
 * 0 if not, or SACH_ENOMEM. Thread-safe, as is put. */
int sach__pl_memo_get(pl_memo *m, const uint64_t key[2], pl_memo_entry *entry, sach_buf *keys);
int sach__pl_memo_put(pl_memo *m, const uint64_t key[2], bool keep, const char *rule,
		      double value, const void *keys, size_t nkeys);

/* Looks up a per-document stage kind by name, or NULL. */
const pl_stage_ops *sach__pl_stage_ops(const char *name);

typedef struct pl_input {
	char *path;
	sach_reader_options ro;
} pl_input;

enum { PL_ON_ERROR_FAIL, PL_ON_ERROR_SKIP, PL_ON_ERROR_QUARANTINE };

/* Bad-record kinds, as in the tools' --stats. */
enum { PL_BAD_JSON, PL_BAD_FIELD, PL_BAD_TOOBIG, PL_BAD_UTF8, PL_BAD_OTHER, PL_BAD_KINDS };
extern const char *const sach__pl_bad_names[PL_BAD_KINDS];

/* Everything one part produced, written to its done file. */
typedef struct pl_part_counts {
	uint64_t first_ordinal;  /* global ordinal of the part's first record */
	uint64_t records;        /* records read (good and bad) */
	uint64_t raw_bytes;      /* bytes of those records as read */
	uint64_t bad[PL_BAD_KINDS];
	uint64_t skipped, quarantined;
	uint64_t kept;           /* left the per-document stages */
	pl_stage_counts *stages; /* one per per-document stage */
} pl_part_counts;

/* What the global stages did (for counts.json). */
typedef struct pl_global_counts {
	uint64_t dedupe_in, dedupe_out, dedupe_changed, lines_removed;
	uint64_t exact, near, exact_index, near_index, too_short, clusters;
	uint64_t shard_docs;
} pl_global_counts;

struct sach_pipeline {
	sach_config *cfg;
	char *name;
	char *version;
	pl_input *inputs;
	size_t ninputs;
	char *out_dir;
	char *work_dir;
	int workers;
	int on_error;
	uint64_t part_size;
	int work_level;          /* zstd level of intermediate files ... */
	bool work_compress;      /* ... if they are compressed at all */
	bool work_sync;          /* fsync() work files: only when a crash of the
				    machine cannot be told apart (no boot id, or
				    several machines; see pipeline_outdir.c) */
	bool spread;             /* the directory is being prepared for a run
				    spread over processes (sach_pipeline_prepare) */
	unsigned task, ntasks;   /* ntasks > 0: phase A does only the parts with
				    part % ntasks == task */
	pl_stage *stages;        /* per-document stages, in order */
	size_t nstages;
	bool memo;               /* workers remember outcomes by text (see
				    pipeline_memo.c): on when the last stage is
				    pure or there is none to remember but dedupe */
	long memo_stage;         /* index of that pure stage, or -1 */
	pl_memo *memo_table;     /* shared by the workers */
	struct pl_dedupe *dedupe;  /* global stages (NULL when not in the config) */
	struct pl_shard *shard;
	pl_global_counts global;
	sach_buf config_json;    /* canonical config (without workers and output) */
	sach_buf scratch;        /* the output assembly's line buffer */
	uint64_t config_hash;
	sach_pipeline_options opts;

	/* Shared by the threads of a run. */
	pthread_mutex_t lock;
	size_t nparts;           /* known once every thread has read everything */
	bool failed;
	int fail_code;
	char fail_message[1024];

	/* How far the run got, for the thread writing rejected.jsonl.zst
	 * beside it (pipeline_output.c); under `lock`, and `progress_cond` is
	 * signalled on every change and on failure. */
	pthread_cond_t progress_cond;
	uint64_t progress;       /* counts the changes below */
	size_t parts_finished;   /* parts of phase A this process finished */
	bool cut_over;           /* the reader cut the inputs ... */
	size_t cut_parts;        /* ... into this many parts */
	bool phase_a_over;       /* every part passed the per-document stages */
	unsigned char *applied;  /* the dedupe apply step's finished parts (1
				    each), when the thread runs */
	struct pl_side *side;    /* that thread, when it runs (NULL if not) */
};

/* Logs one line through the caller's callback (no printing here). */
void sach__pl_log(sach_pipeline *p, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Records the first failure of any thread and stops the others. */
void sach__pl_fail(sach_pipeline *p, int code, const char *message);
bool sach__pl_failed(sach_pipeline *p);

/* Reads the config's keys, inputs and stages into p (pipeline_config.c). */
int sach__pl_parse_config(sach_pipeline *p);

/* Prepares the output directory (pipeline_outdir.c): *resumed when it holds
 * this run's unfinished work, *complete when this run already finished.
 * With p->spread, marks the work to be fsync()ed by every process. */
int sach__pl_prepare_output(sach_pipeline *p, bool *resumed, bool *complete);
/* Opens a directory prepared for a spread run, for one task: SACH_EINVAL
 * unless it holds this run's unfinished work, so marked. */
int sach__pl_open_spread(sach_pipeline *p);
/* Removes a file or a directory tree. */
int sach__pl_remove_tree(const char *path);

/* Phase A: reads the inputs with p->workers threads, runs the per-document
 * stages, writes per-part files into the work directory. */
int sach__pl_run_parts(sach_pipeline *p);

/* Path of a part file in the work directory: "<work>/p-000012.<what>". */
void sach__pl_part_path(const sach_pipeline *p, size_t part, const char *what, char *out,
			size_t size);

/* Counts helpers. */
int sach__pl_counts_reason(pl_stage_counts *c, const char *reason, uint64_t n);
void sach__pl_counts_free(pl_part_counts *c, size_t nstages);
int sach__pl_counts_add(pl_part_counts *to, const pl_part_counts *from, size_t nstages);
int sach__pl_counts_write(const sach_pipeline *p, const pl_part_counts *c, const char *path);
int sach__pl_counts_read(const sach_pipeline *p, pl_part_counts *c, const char *path);
/* The counts as JSON text (deterministic key order). */
int sach__pl_counts_json(const sach_pipeline *p, const pl_part_counts *c, sach_buf *out);

#endif

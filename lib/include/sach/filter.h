/*
 * sach/filter.h - rules over quality signals: which documents are good
 * Vietnamese training text, with every decision explained.
 *
 * A rule compares one signal (sach/signals.h, or one of the filter's own
 * line counts below) with a threshold: a "min" rule fails when the value is
 * below its threshold, a "max" rule when it is above; a value equal to the
 * threshold passes, as in the peers (Gopher, C4, FineWeb). The rules are
 * evaluated in a fixed order (the table printed by sach-filter --list-rules,
 * README "sach-filter"): Vietnamese rules first, then Gopher repetition,
 * Gopher quality, C4 and FineWeb; a verdict names the first rule that fails
 * and its value, so the same document always gets the same reason.
 *
 * Two objects: the rule set (sach_filter_rules), read once from a config and
 * shared read-only by any number of threads; and a filter (sach_filter), one
 * per thread, which owns the signal context, scratch buffers and the
 * statistics of the documents it processed. Statistics of several filters
 * made from the same rule set merge into one (sach_filter_stats_merge()), in
 * any order, with the same result.
 */
#ifndef SACH_FILTER_H
#define SACH_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "config.h"
#include "doc.h"
#include "signals.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sach_filter_mode {
	SACH_FILTER_DROP = 0,   /* failing documents are dropped */
	SACH_FILTER_TAG = 1     /* every document is kept, with its signals and
				 * verdict in the meta block */
} sach_filter_mode;

/**
 * Counts the filter derives from the per-line facts of the signals module
 * (sach_signals_lines()); rules may use them like signals. Named in reports
 * and meta blocks by the names in sach_filter_extra_names().
 */
typedef struct sach_filter_extra {
	uint64_t lorem_lines;       /* lines flagged lorem ipsum (C4) */
	uint64_t curly_lines;       /* lines holding '{' (C4) */
	uint64_t javascript_lines;  /* lines mentioning javascript (C4) */
	uint64_t lines_removed;     /* by line cleaning, before the signals */
} sach_filter_extra;

#define SACH_FILTER_EXTRA_COUNT 4

/** Names of the sach_filter_extra fields, in field order (static). */
SACH_API const char *const *sach_filter_extra_names(void);

/** Line-level cleaning options (config section clean_lines). */
typedef struct sach_filter_clean {
	bool enabled;              /* off: the text is never changed */
	bool boilerplate;          /* drop lines of the boilerplate word list */
	bool policy;               /* drop cookie, privacy and terms lines */
	bool javascript;           /* drop lines mentioning javascript (C4) */
	bool lorem;                /* drop lorem ipsum lines (C4) */
	bool curly;                /* drop lines holding '{' (C4 drops the page) */
	double min_lang_score;     /* drop lines scoring below this as Vietnamese
				    * (0 = off) ... */
	uint32_t lang_min_syllables; /* ... when they have at least this many
				      * syllables (shorter lines say too little) */
	bool c4_terminal_punct;    /* drop lines without terminal punctuation or
				    * ending in an ellipsis (C4) */
	uint32_t c4_min_syllables; /* drop lines with fewer syllables (0 = off) */
} sach_filter_clean;

/** One rule of a rule set, as configured. */
typedef struct sach_filter_rule {
	const char *name;          /* "gopher_min_syllables", ...; static */
	const char *signal;        /* signal or extra name; static */
	const char *group;         /* "vietnamese", "gopher_repetition", ... */
	bool is_min;               /* min rule (fails below) or max rule (above) */
	double threshold;
	bool enabled;
} sach_filter_rule;

typedef struct sach_filter_rules sach_filter_rules;

/**
 * Reads a rule set from `section` of `config`: a mapping with the optional
 * keys mode (drop|tag), clean_lines (a mapping of sach_filter_clean fields)
 * and rules (rule name -> {min: X} or {max: X}, optionally with enabled:
 * BOOL, or true/false alone). Rules and options not given keep their
 * built-in defaults, which are the values of configs/filter-vi.yaml.
 * `section` NULL (config may be NULL then) gives the built-in defaults.
 * Unknown keys, unknown rule names, a min for a max rule (or the reverse)
 * and bad values fail with SACH_ECONFIG and "FILE:LINE:COL: ..." in
 * sach_error_last(). On success *out is owned by the caller
 * (sach_filter_rules_free()); it does not refer to `config` afterwards.
 * @return 0, SACH_ECONFIG or SACH_ENOMEM.
 */
SACH_API int sach_filter_rules_new(sach_filter_rules **out, const sach_config *config,
				   const sach_config_node *section);
SACH_API void sach_filter_rules_free(sach_filter_rules *rules);

SACH_API size_t sach_filter_rules_count(const sach_filter_rules *rules);
/** Rule i in evaluation order (borrowed strings, static). */
SACH_API void sach_filter_rules_at(const sach_filter_rules *rules, size_t i,
				   sach_filter_rule *out);
SACH_API sach_filter_mode sach_filter_rules_mode(const sach_filter_rules *rules);
SACH_API void sach_filter_rules_set_mode(sach_filter_rules *rules, sach_filter_mode mode);
SACH_API const sach_filter_clean *sach_filter_rules_clean(const sach_filter_rules *rules);
SACH_API void sach_filter_rules_set_clean(sach_filter_rules *rules, const sach_filter_clean *c);

/** The outcome of the rules for one document. */
typedef struct sach_filter_verdict {
	bool pass;                 /* no enabled rule failed */
	int rule;                  /* index of the first failing rule, or -1 */
	const char *rule_name;     /* its name (static), or NULL */
	double value;              /* its signal value */
	double threshold;          /* its threshold */
} sach_filter_verdict;

/**
 * Evaluates the enabled rules in order on `s` and `x` (x NULL = all zero).
 * If `fails` is not NULL it must hold sach_filter_rules_count() entries and
 * receives, for every rule, whether it fails (enabled or not), which reports
 * use to say what each rule would remove on its own.
 */
SACH_API void sach_filter_rules_evaluate(const sach_filter_rules *rules, const sach_signals *s,
					 const sach_filter_extra *x, sach_filter_verdict *out,
					 bool *fails);

/** A per-thread filter. */
typedef struct sach_filter sach_filter;

/**
 * Makes a filter with a copy of `rules` (the caller keeps its own).
 * Owned by the caller (sach_filter_free()).
 * @return 0 or SACH_ENOMEM.
 */
SACH_API int sach_filter_new_rules(sach_filter **out, const sach_filter_rules *rules);

/** sach_filter_rules_new() and sach_filter_new_rules() in one call. */
SACH_API int sach_filter_new(sach_filter **out, const sach_config *config,
			     const sach_config_node *section);
SACH_API void sach_filter_free(sach_filter *filter);

/** The filter's rule set (borrowed; may be changed before the first document). */
SACH_API sach_filter_rules *sach_filter_get_rules(sach_filter *filter);

/** The signal context, for users' word lists (borrowed). */
SACH_API sach_signals_ctx *sach_filter_signals_ctx(sach_filter *filter);

/**
 * Which signals a filter computes. In drop mode it computes only the groups
 * of signals (sach_signals_compute_mask()) that its enabled rules and line
 * cleaning read, so a disabled rule costs nothing (char_repetition, off by
 * default, is the costly one); the others are NaN in the result's signals
 * and are left out of the statistics (counted as "not_computed" in the
 * report). Tag mode, and a filter set here to `all` (sach-filter --report
 * does so, for a report with every distribution), compute every signal.
 */
SACH_API void sach_filter_set_all_signals(sach_filter *filter, bool all);

/** What sach_filter_process() did with one document. */
typedef struct sach_filter_result {
	bool keep;                 /* false only in drop mode, for a failing doc */
	sach_filter_verdict verdict;
	uint64_t lines_removed;    /* by line cleaning */
	const sach_signals *signals;     /* of the (cleaned) text; borrowed until
					  * the next call */
	const sach_filter_extra *extra;  /* the same */
} sach_filter_result;

/**
 * Computes the signals of the document's text once, cleans lines when the
 * rule set asks (setting the cleaned text on the document and computing
 * the signals again on it), evaluates the rules and adds the document to
 * the filter's statistics. Meta block ("sach": {...}): a failing document
 * gets "filter": {"rule": NAME, "value": V}; with cleaning, every document
 * gets "filter": {"lines_removed": N}; in tag mode every document also gets
 * "filter": {"pass": BOOL} and "signals": {NAME: VALUE, ...} with every
 * signal and extra count.
 * @return 0, SACH_ENOMEM, or SACH_EINVAL when the record's "sach" field is
 *         not an object (a bad record).
 */
SACH_API int sach_filter_process(sach_filter *filter, sach_doc *doc, sach_filter_result *out);

/**
 * Writes what sach_filter_process() writes for a document that fails rule
 * `rule` with `value` ("sach": {"filter": {"rule", "value"}}), for a caller
 * that already knows the verdict for this text (sach-run reuses the verdict
 * of an identical text). 0, SACH_ENOMEM or SACH_EINVAL (bad "sach" field).
 */
SACH_API int sach_filter_mark_failed(sach_doc *doc, const char *rule, double value);

/**
 * The same on bare text, for callers without a sach_doc: no meta block; the
 * cleaned text (when lines were removed) is in *clean_text and *clean_len,
 * borrowed until the next call (both may be NULL to ignore it).
 */
SACH_API int sach_filter_process_text(sach_filter *filter, const char *text, size_t len,
				      sach_filter_result *out, const char **clean_text,
				      size_t *clean_len);

/*
 * Statistics: documents, kept and dropped, per rule the documents it
 * dropped (first failing rule) and the documents that fail it at all, the
 * lines cleaning removed by reason, and every signal's distribution.
 *
 * Distributions use fixed histograms, so memory does not grow with the
 * input and merging is exact: values in [0, 1) fall in bins of width 1e-4,
 * values >= 1 in 128 bins per power of two (integers up to 128 exact, others
 * within 1/128). A percentile p is the lower edge of the bin holding the
 * value of rank ceil(p * n / 100) (nearest rank); min, max and count are
 * exact. Same documents, same report, whatever the order or thread count.
 */
typedef struct sach_filter_stats sach_filter_stats;

/** The statistics of `filter` (borrowed). */
SACH_API sach_filter_stats *sach_filter_get_stats(sach_filter *filter);

/**
 * Adds `from` into `into`. Both must come from filters of equal rule sets.
 * @return 0 or SACH_EINVAL (different shapes).
 */
SACH_API int sach_filter_stats_merge(sach_filter_stats *into, const sach_filter_stats *from);

/** Appends the report as pretty JSON (with a final newline) to `out`.
 * @return 0 or SACH_ENOMEM. */
SACH_API int sach_filter_stats_json(const sach_filter_stats *stats, sach_buf *out);

/** Appends a short human summary (lines ending in "\n", each starting with
 * `prefix`) to `out`. @return 0 or SACH_ENOMEM. */
SACH_API int sach_filter_stats_summary(const sach_filter_stats *stats, const char *prefix,
				       sach_buf *out);

/** Documents seen, and dropped (drop mode) or failing (tag mode). */
SACH_API uint64_t sach_filter_stats_docs(const sach_filter_stats *stats);
SACH_API uint64_t sach_filter_stats_failed(const sach_filter_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* SACH_FILTER_H */

/* Private: the filter's rule table and state shared by filter*.c. Never installed. */
#ifndef SACH_FILTER_INTERNAL_H
#define SACH_FILTER_INTERNAL_H

#include "sach/filter.h"

/* Where a rule reads its value. */
typedef enum {
	SACH__FV_DOUBLE,   /* a double field of sach_signals */
	SACH__FV_U64,      /* a uint64_t field of sach_signals */
	SACH__FV_EXTRA     /* a uint64_t field of sach_filter_extra */
} sach__filter_value_kind;

/* One built-in rule: its identity and its default setting. */
typedef struct sach__filter_rule_def {
	const char *name;
	const char *signal;
	const char *group;
	bool is_min;
	double threshold;
	bool enabled;
	sach__filter_value_kind kind;
	size_t offset;
} sach__filter_rule_def;

/* The built-in table, in evaluation order (filter_rules.c). */
extern const sach__filter_rule_def sach__filter_rule_defs[];
extern const size_t sach__filter_rule_count;

#define SACH__FILTER_MAX_RULES 64

struct sach_filter_rules {
	sach_filter_mode mode;
	sach_filter_clean clean;
	double threshold[SACH__FILTER_MAX_RULES];
	bool enabled[SACH__FILTER_MAX_RULES];
};

/* The built-in defaults (the values of configs/filter-vi.yaml). */
void sach__filter_rules_defaults(struct sach_filter_rules *r);

/* Value of rule i's signal; NaN when its group was not computed. */
double sach__filter_rule_value(size_t i, const sach_signals *s, const sach_filter_extra *x);

/* The SACH_SIG_* group rule i's signal belongs to (SACH_SIG_SIZE for the
 * extras, which the per-line facts always give). */
uint64_t sach__filter_rule_group(size_t i);

/* The signal groups the enabled rules and line cleaning of `r` read. */
uint64_t sach__filter_groups_needed(const struct sach_filter_rules *r);

/* SACH_OK, or an internal error (SACH_ERROR) when an enabled rule reads a
 * signal that `s` does not hold: the filter asked for too few groups. */
int sach__filter_check_signals(const struct sach_filter_rules *r, const sach_signals *s);

/* Reasons line cleaning removes a line for, in the order they are checked. */
enum {
	SACH__CLEAN_BOILERPLATE,
	SACH__CLEAN_POLICY,
	SACH__CLEAN_JAVASCRIPT,
	SACH__CLEAN_LOREM,
	SACH__CLEAN_CURLY,
	SACH__CLEAN_NOT_VIETNAMESE,
	SACH__CLEAN_NO_TERMINAL_PUNCT,
	SACH__CLEAN_SHORT,
	SACH__CLEAN_REASONS
};
extern const char *const sach__clean_reason_names[SACH__CLEAN_REASONS];

/* Statistics (filter_stats.c). `rules` is copied by value. */
int sach__filter_stats_new(sach_filter_stats **out, const struct sach_filter_rules *rules);
void sach__filter_stats_free(sach_filter_stats *st);
/* Adds one document: its signals (after cleaning), extras, verdict, the
 * failing flags of every rule, and the lines removed by reason. */
void sach__filter_stats_add(sach_filter_stats *st, const sach_signals *s,
			    const sach_filter_extra *x, const sach_filter_verdict *v,
			    const bool *fails, const uint64_t *removed_by_reason);

#endif

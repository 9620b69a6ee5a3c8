/*
 * filter_rules.c - the built-in rule table, its defaults, and the
 * evaluation of a rule set on one document's signals.
 *
 * The table is the single source of the rule order and of the defaults;
 * configs/filter-vi.yaml repeats the defaults with the reasons for each
 * value (a unit test checks that the two agree). Thresholds are per
 * syllable, not per English word: see the config for how each was derived
 * and checked on real Vietnamese text.
 */
#include "filter_internal.h"

#include "error_internal.h"
#include "sach/error.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#define D(f) SACH__FV_DOUBLE, offsetof(sach_signals, f)
#define U(f) SACH__FV_U64, offsetof(sach_signals, f)
#define X(f) SACH__FV_EXTRA, offsetof(sach_filter_extra, f)
#define MIN true
#define MAX false

/* Order: encoding and language first (a page in the wrong language or in
 * mojibake is best described as that, whatever else is wrong with it), then
 * spam words, then the peers' rules in FineWeb's order (Gopher repetition,
 * Gopher quality, C4, FineWeb). */
const sach__filter_rule_def sach__filter_rule_defs[] = {
	{ "vi_max_mojibake", "mojibake_score", "vietnamese", MAX, 0.02, true, D(mojibake_score) },
	{ "vi_min_lang_score", "lang_score", "vietnamese", MIN, 0.5, true, D(lang_score) },
	{ "vi_min_line_share", "vi_line_char_share", "vietnamese", MIN, 0.5, true, D(vi_line_char_share) },
	{ "vi_min_wellformed", "wellformed_share", "vietnamese", MIN, 0.5, true, D(wellformed_share) },
	{ "vi_max_no_diacritic", "no_diacritic_share", "vietnamese", MAX, 0.6, true, D(no_diacritic_share) },
	{ "vi_max_teencode", "teencode_share", "vietnamese", MAX, 0.1, false, D(teencode_share) },
	{ "vi_max_flagged", "flagged_ratio", "vietnamese", MAX, 0.01, true, D(flagged_ratio) },

	{ "gopher_max_dup_line_share", "dup_line_share", "gopher_repetition", MAX, 0.293, true, D(dup_line_share) },
	{ "gopher_max_dup_para_share", "dup_para_share", "gopher_repetition", MAX, 0.3, true, D(dup_para_share) },
	{ "gopher_max_dup_line_char_share", "dup_line_char_share", "gopher_repetition", MAX, 0.2, true, D(dup_line_char_share) },
	{ "gopher_max_dup_para_char_share", "dup_para_char_share", "gopher_repetition", MAX, 0.2, true, D(dup_para_char_share) },
	{ "gopher_max_top_2gram", "top_2gram_char_share", "gopher_repetition", MAX, 0.223, true, D(top_ngram_char_share[0]) },
	{ "gopher_max_top_3gram", "top_3gram_char_share", "gopher_repetition", MAX, 0.197, true, D(top_ngram_char_share[1]) },
	{ "gopher_max_top_4gram", "top_4gram_char_share", "gopher_repetition", MAX, 0.171, true, D(top_ngram_char_share[2]) },
	{ "gopher_max_dup_5gram", "dup_5gram_char_share", "gopher_repetition", MAX, 0.7, true, D(dup_ngram_char_share[0]) },
	{ "gopher_max_dup_6gram", "dup_6gram_char_share", "gopher_repetition", MAX, 0.66, true, D(dup_ngram_char_share[1]) },
	{ "gopher_max_dup_7gram", "dup_7gram_char_share", "gopher_repetition", MAX, 0.62, true, D(dup_ngram_char_share[2]) },
	{ "gopher_max_dup_8gram", "dup_8gram_char_share", "gopher_repetition", MAX, 0.58, true, D(dup_ngram_char_share[3]) },
	{ "gopher_max_dup_9gram", "dup_9gram_char_share", "gopher_repetition", MAX, 0.54, true, D(dup_ngram_char_share[4]) },
	{ "gopher_max_dup_10gram", "dup_10gram_char_share", "gopher_repetition", MAX, 0.5, true, D(dup_ngram_char_share[5]) },

	{ "gopher_min_syllables", "syllables", "gopher_quality", MIN, 50, true, U(syllables) },
	{ "gopher_max_syllables", "syllables", "gopher_quality", MAX, 200000, true, U(syllables) },
	{ "gopher_min_mean_syllable_chars", "mean_syllable_chars", "gopher_quality", MIN, 2.5, true, D(mean_syllable_chars) },
	{ "gopher_max_mean_syllable_chars", "mean_syllable_chars", "gopher_quality", MAX, 6, true, D(mean_syllable_chars) },
	{ "gopher_max_hash_per_syllable", "hash_per_syllable", "gopher_quality", MAX, 0.1, true, D(hash_per_syllable) },
	{ "gopher_max_ellipsis_per_syllable", "ellipsis_per_syllable", "gopher_quality", MAX, 0.1, true, D(ellipsis_per_syllable) },
	{ "gopher_max_bullet_lines", "bullet_line_share", "gopher_quality", MAX, 0.9, true, D(bullet_line_share) },
	{ "gopher_max_ellipsis_lines", "ellipsis_line_share", "gopher_quality", MAX, 0.3, true, D(ellipsis_line_share) },
	{ "gopher_min_alpha_tokens", "alpha_token_share", "gopher_quality", MIN, 0.7, true, D(alpha_token_share) },
	{ "gopher_min_stop_words", "stop_words", "gopher_quality", MIN, 2, true, U(stop_words) },

	{ "c4_max_lorem_lines", "lorem_lines", "c4", MAX, 0, true, X(lorem_lines) },
	{ "c4_max_curly_lines", "curly_lines", "c4", MAX, 0, false, X(curly_lines) },

	{ "fineweb_min_terminal_punct", "terminal_punct_line_share", "fineweb", MIN, 0.12, true, D(terminal_punct_line_share) },
	{ "fineweb_max_short_lines", "short_line_share", "fineweb", MAX, 0.67, false, D(short_line_share) },
	{ "fineweb_max_dup_line_chars", "dup_line_char_share", "fineweb", MAX, 0.1, true, D(dup_line_char_share) },
	{ "fineweb_max_newlines", "newlines_per_syllable", "fineweb", MAX, 0.3, true, D(newlines_per_syllable) },
	{ "max_char_repetition", "char_repetition", "other", MAX, 0.5, false, D(char_repetition) },
};

const size_t sach__filter_rule_count = sizeof(sach__filter_rule_defs) / sizeof(sach__filter_rule_defs[0]);

_Static_assert(sizeof(sach__filter_rule_defs) / sizeof(sach__filter_rule_defs[0]) <= SACH__FILTER_MAX_RULES,
	       "rule table larger than SACH__FILTER_MAX_RULES");

static const char *const extra_names[SACH_FILTER_EXTRA_COUNT] = {
	"lorem_lines", "curly_lines", "javascript_lines", "lines_removed"
};

const char *const *sach_filter_extra_names(void)
{
	return extra_names;
}

void sach__filter_rules_defaults(struct sach_filter_rules *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->mode = SACH_FILTER_DROP;
	/* Cleaning is off unless asked for (it changes the text), but when it
	 * is asked for these are the lines it removes. */
	r->clean.enabled = false;
	r->clean.boilerplate = true;
	r->clean.policy = true;
	r->clean.javascript = true;
	r->clean.lorem = true;
	r->clean.curly = false;
	r->clean.min_lang_score = 0.2;
	r->clean.lang_min_syllables = 3;
	r->clean.c4_terminal_punct = false;
	r->clean.c4_min_syllables = 0;
	for (i = 0; i < sach__filter_rule_count; i++) {
		r->threshold[i] = sach__filter_rule_defs[i].threshold;
		r->enabled[i] = sach__filter_rule_defs[i].enabled;
	}
}

/* Each rule's signal group, looked up by name once per process. */
static uint64_t rule_group[SACH__FILTER_MAX_RULES];
static pthread_once_t rule_group_once = PTHREAD_ONCE_INIT;

static void rule_group_build(void)
{
	const sach_signal_desc *desc;
	size_t n, i, k;

	desc = sach_signals_describe(&n);
	for (i = 0; i < sach__filter_rule_count; i++) {
		/* Extras come from the per-line facts, always computed; a
		 * name not found falls back to all groups, which is safe. */
		rule_group[i] = sach__filter_rule_defs[i].kind == SACH__FV_EXTRA ? SACH_SIG_SIZE
										  : SACH_SIG_ALL;
		if (sach__filter_rule_defs[i].kind == SACH__FV_EXTRA)
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(desc[k].name, sach__filter_rule_defs[i].signal) == 0)
				rule_group[i] = sach_signals_group(k);
	}
}

uint64_t sach__filter_rule_group(size_t i)
{
	pthread_once(&rule_group_once, rule_group_build);
	return i < sach__filter_rule_count ? rule_group[i] : 0;
}

uint64_t sach__filter_groups_needed(const struct sach_filter_rules *r)
{
	uint64_t g = SACH_SIG_SIZE;
	size_t i;

	if (r->mode == SACH_FILTER_TAG)
		return SACH_SIG_ALL;
	for (i = 0; i < sach__filter_rule_count; i++)
		if (r->enabled[i])
			g |= sach__filter_rule_group(i);
	/* Line cleaning reads the per-line facts; the word-list flags among
	 * them need the word lists. */
	if (r->clean.enabled && (r->clean.boilerplate || r->clean.policy))
		g |= SACH_SIG_WORDLISTS;
	return g;
}

int sach__filter_check_signals(const struct sach_filter_rules *r, const sach_signals *s)
{
	size_t i;

	if (!s->skipped)
		return SACH_OK;
	for (i = 0; i < sach__filter_rule_count; i++)
		if (r->enabled[i] && (s->skipped & sach__filter_rule_group(i)))
			return sach__error_set(SACH_ERROR, "internal error: rule %s reads signal %s, "
					       "which was not computed",
					       sach__filter_rule_defs[i].name,
					       sach__filter_rule_defs[i].signal);
	return SACH_OK;
}

double sach__filter_rule_value(size_t i, const sach_signals *s, const sach_filter_extra *x)
{
	static const sach_filter_extra zero;
	const sach__filter_rule_def *d = &sach__filter_rule_defs[i];
	uint64_t u;
	double v;

	if (s->skipped && (s->skipped & sach__filter_rule_group(i)))
		return NAN;

	switch (d->kind) {
	case SACH__FV_DOUBLE:
		memcpy(&v, (const char *)s + d->offset, sizeof(v));
		return v;
	case SACH__FV_U64:
		memcpy(&u, (const char *)s + d->offset, sizeof(u));
		return (double)u;
	default:
		memcpy(&u, (const char *)(x ? x : &zero) + d->offset, sizeof(u));
		return (double)u;
	}
}

/* NaN never passes: a signal that could not be computed is not a pass. */
static bool fails(bool is_min, double value, double threshold)
{
	if (isnan(value))
		return true;
	return is_min ? value < threshold : value > threshold;
}

void sach_filter_rules_evaluate(const sach_filter_rules *rules, const sach_signals *s,
				const sach_filter_extra *x, sach_filter_verdict *out,
				bool *fail_flags)
{
	size_t i;

	out->pass = true;
	out->rule = -1;
	out->rule_name = NULL;
	out->value = 0;
	out->threshold = 0;
	for (i = 0; i < sach__filter_rule_count; i++) {
		const sach__filter_rule_def *d = &sach__filter_rule_defs[i];
		double v;
		bool f;

		/* Without the per-rule flags, disabled rules cost nothing and
		 * the walk stops at the first failure. */
		if (!fail_flags && !out->pass)
			break;
		if (!fail_flags && !rules->enabled[i])
			continue;
		v = sach__filter_rule_value(i, s, x);
		f = fails(d->is_min, v, rules->threshold[i]);
		if (fail_flags)
			fail_flags[i] = f;
		if (f && rules->enabled[i] && out->pass) {
			out->pass = false;
			out->rule = (int)i;
			out->rule_name = d->name;
			out->value = v;
			out->threshold = rules->threshold[i];
		}
	}
}

size_t sach_filter_rules_count(const sach_filter_rules *rules)
{
	(void)rules;
	return sach__filter_rule_count;
}

void sach_filter_rules_at(const sach_filter_rules *rules, size_t i, sach_filter_rule *out)
{
	const sach__filter_rule_def *d = &sach__filter_rule_defs[i];

	out->name = d->name;
	out->signal = d->signal;
	out->group = d->group;
	out->is_min = d->is_min;
	out->threshold = rules->threshold[i];
	out->enabled = rules->enabled[i];
}

sach_filter_mode sach_filter_rules_mode(const sach_filter_rules *rules)
{
	return rules->mode;
}

void sach_filter_rules_set_mode(sach_filter_rules *rules, sach_filter_mode mode)
{
	rules->mode = mode;
}

const sach_filter_clean *sach_filter_rules_clean(const sach_filter_rules *rules)
{
	return &rules->clean;
}

void sach_filter_rules_set_clean(sach_filter_rules *rules, const sach_filter_clean *c)
{
	rules->clean = *c;
}

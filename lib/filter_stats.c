/*
 * filter_stats.c - what a filter saw: per-rule counts, lines removed, and
 * every signal's distribution in fixed histograms (filter.h says why fixed:
 * bounded memory, exact merging, and a report that does not depend on the
 * order of documents or the number of threads).
 */
#include "filter_internal.h"
#include "error_internal.h"

#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIN_BINS 10000          /* [0, 1) in steps of 1e-4 */
#define OCTAVES 48              /* [1, 2^48) */
#define SUB_BINS 128            /* per power of two */
#define NBINS (LIN_BINS + OCTAVES * SUB_BINS)

static const int percentiles[] = { 1, 5, 10, 25, 50, 75, 90, 95, 99 };

const char *const sach__clean_reason_names[SACH__CLEAN_REASONS] = {
	"boilerplate", "policy", "javascript", "lorem", "curly", "not_vietnamese",
	"no_terminal_punct", "short"
};

struct dist {
	uint64_t n, nan;
	uint64_t skipped;       /* documents whose signal was not computed */
	double min, max, sum;
};

struct sach_filter_stats {
	struct sach_filter_rules rules;
	uint64_t docs, failed, docs_cleaned;
	uint64_t first[SACH__FILTER_MAX_RULES];
	uint64_t fails[SACH__FILTER_MAX_RULES];
	uint64_t rule_skipped[SACH__FILTER_MAX_RULES]; /* signal not computed */
	uint64_t removed[SACH__CLEAN_REASONS];
	const sach_signal_desc *desc;
	size_t nsignals;        /* sach_signals_describe(), not the extras */
	size_t ndist;           /* nsignals + SACH_FILTER_EXTRA_COUNT */
	struct dist *dist;
	uint64_t *bins;         /* ndist * NBINS */
};

static size_t bin_of(double v)
{
	int e;
	double m;
	size_t sub;

	if (v < 1) {
		long k = v <= 0 ? 0 : (long)(v * LIN_BINS + 1e-9);

		return (size_t)(k >= LIN_BINS ? LIN_BINS - 1 : k);
	}
	m = frexp(v, &e);       /* v = m * 2^e, m in [0.5, 1) */
	e -= 1;                 /* v = (2m) * 2^e, 2m in [1, 2) */
	if (e >= OCTAVES)
		return NBINS - 1;
	sub = (size_t)((2 * m - 1) * SUB_BINS);
	if (sub >= SUB_BINS)
		sub = SUB_BINS - 1;
	return LIN_BINS + (size_t)e * SUB_BINS + sub;
}

static double bin_low(size_t b)
{
	size_t e, sub;

	if (b < LIN_BINS)
		return (double)b / LIN_BINS;
	e = (b - LIN_BINS) / SUB_BINS;
	sub = (b - LIN_BINS) % SUB_BINS;
	return ldexp(1.0 + (double)sub / SUB_BINS, (int)e);
}

int sach__filter_stats_new(sach_filter_stats **out, const struct sach_filter_rules *rules)
{
	sach_filter_stats *st;

	*out = NULL;
	if (!(st = calloc(1, sizeof(*st))))
		return sach__error_nomem();
	st->rules = *rules;
	st->desc = sach_signals_describe(&st->nsignals);
	st->ndist = st->nsignals + SACH_FILTER_EXTRA_COUNT;
	st->dist = calloc(st->ndist, sizeof(*st->dist));
	st->bins = calloc(st->ndist * NBINS, sizeof(*st->bins));
	if (!st->dist || !st->bins) {
		sach__filter_stats_free(st);
		return sach__error_nomem();
	}
	*out = st;
	return 0;
}

void sach__filter_stats_free(sach_filter_stats *st)
{
	if (!st)
		return;
	free(st->dist);
	free(st->bins);
	free(st);
}

static void add_value(sach_filter_stats *st, size_t i, double v)
{
	struct dist *d = &st->dist[i];

	if (isnan(v)) {
		d->nan++;
		return;
	}
	if (d->n == 0 || v < d->min)
		d->min = v;
	if (d->n == 0 || v > d->max)
		d->max = v;
	d->n++;
	d->sum += v;
	st->bins[i * NBINS + bin_of(v)]++;
}

void sach__filter_stats_add(sach_filter_stats *st, const sach_signals *s,
			    const sach_filter_extra *x, const sach_filter_verdict *v,
			    const bool *fails, const uint64_t *removed_by_reason)
{
	const uint64_t xv[SACH_FILTER_EXTRA_COUNT] = {
		x->lorem_lines, x->curly_lines, x->javascript_lines, x->lines_removed
	};
	size_t i;

	st->docs++;
	if (!v->pass) {
		st->failed++;
		st->first[v->rule]++;
	}
	/* A signal that was not computed (drop mode computes only what the
	 * enabled rules read) is counted as such, never as a value or a
	 * failure. */
	for (i = 0; i < sach__filter_rule_count; i++) {
		if (s->skipped && (s->skipped & sach__filter_rule_group(i)))
			st->rule_skipped[i]++;
		else
			st->fails[i] += fails[i];
	}
	if (x->lines_removed)
		st->docs_cleaned++;
	for (i = 0; i < SACH__CLEAN_REASONS; i++)
		st->removed[i] += removed_by_reason[i];
	for (i = 0; i < st->nsignals; i++) {
		if (s->skipped && (s->skipped & sach_signals_group(i)))
			st->dist[i].skipped++;
		else
			add_value(st, i, sach_signals_value(s, i));
	}
	for (i = 0; i < SACH_FILTER_EXTRA_COUNT; i++)
		add_value(st, st->nsignals + i, (double)xv[i]);
}

int sach_filter_stats_merge(sach_filter_stats *into, const sach_filter_stats *from)
{
	size_t i;

	if (into->ndist != from->ndist ||
	    memcmp(into->rules.threshold, from->rules.threshold, sizeof(into->rules.threshold)) != 0 ||
	    memcmp(into->rules.enabled, from->rules.enabled, sizeof(into->rules.enabled)) != 0)
		return sach__error_set(SACH_EINVAL, "filter statistics of different rule sets "
				       "cannot be merged");
	into->docs += from->docs;
	into->failed += from->failed;
	into->docs_cleaned += from->docs_cleaned;
	for (i = 0; i < SACH__FILTER_MAX_RULES; i++) {
		into->first[i] += from->first[i];
		into->fails[i] += from->fails[i];
		into->rule_skipped[i] += from->rule_skipped[i];
	}
	for (i = 0; i < SACH__CLEAN_REASONS; i++)
		into->removed[i] += from->removed[i];
	for (i = 0; i < into->ndist; i++) {
		struct dist *a = &into->dist[i];
		const struct dist *b = &from->dist[i];

		if (b->n) {
			if (a->n == 0 || b->min < a->min)
				a->min = b->min;
			if (a->n == 0 || b->max > a->max)
				a->max = b->max;
		}
		a->n += b->n;
		a->nan += b->nan;
		a->skipped += b->skipped;
		a->sum += b->sum;
	}
	for (i = 0; i < into->ndist * NBINS; i++)
		into->bins[i] += from->bins[i];
	return 0;
}

uint64_t sach_filter_stats_docs(const sach_filter_stats *stats)
{
	return stats->docs;
}

uint64_t sach_filter_stats_failed(const sach_filter_stats *stats)
{
	return stats->failed;
}

/* Nearest-rank percentile p of distribution i, kept inside [min, max] so a
 * bin's lower edge never reports a value below the smallest one seen. */
static double percentile(const sach_filter_stats *st, size_t i, int p)
{
	const struct dist *d = &st->dist[i];
	const uint64_t *b = st->bins + i * NBINS;
	uint64_t rank = (uint64_t)ceil((double)p * (double)d->n / 100.0), seen = 0;
	size_t k;

	if (rank < 1)
		rank = 1;
	for (k = 0; k < NBINS; k++) {
		seen += b[k];
		if (seen >= rank) {
			double v = bin_low(k);

			return v < d->min ? d->min : v > d->max ? d->max : v;
		}
	}
	return d->max;
}

static json_object *num(double v)
{
	char text[32];

	if (!isfinite(v))
		return NULL;
	if (v == floor(v) && fabs(v) < 9e15)
		return json_object_new_int64((int64_t)v);
	snprintf(text, sizeof(text), "%.6g", v);
	return json_object_new_double_s(v, text);
}

static const char *dist_name(const sach_filter_stats *st, size_t i)
{
	return i < st->nsignals ? st->desc[i].name : sach_filter_extra_names()[i - st->nsignals];
}

static json_object *report_object(const sach_filter_stats *st)
{
	json_object *o = json_object_new_object(), *rules, *clean, *by, *sig;
	size_t i;
	unsigned k;

	json_object_object_add(o, "mode", json_object_new_string(
				       st->rules.mode == SACH_FILTER_TAG ? "tag" : "drop"));
	json_object_object_add(o, "documents", json_object_new_int64((int64_t)st->docs));
	json_object_object_add(o, "passed", json_object_new_int64((int64_t)(st->docs - st->failed)));
	json_object_object_add(o, "failed", json_object_new_int64((int64_t)st->failed));
	rules = json_object_new_array();
	for (i = 0; i < sach__filter_rule_count; i++) {
		const sach__filter_rule_def *d = &sach__filter_rule_defs[i];
		json_object *r = json_object_new_object();

		json_object_object_add(r, "name", json_object_new_string(d->name));
		json_object_object_add(r, "signal", json_object_new_string(d->signal));
		json_object_object_add(r, d->is_min ? "min" : "max", num(st->rules.threshold[i]));
		json_object_object_add(r, "enabled", json_object_new_boolean(st->rules.enabled[i]));
		json_object_object_add(r, "first_failing", json_object_new_int64((int64_t)st->first[i]));
		json_object_object_add(r, "failing", json_object_new_int64((int64_t)st->fails[i]));
		if (st->rule_skipped[i])
			json_object_object_add(r, "not_computed",
					       json_object_new_int64((int64_t)st->rule_skipped[i]));
		json_object_array_add(rules, r);
	}
	json_object_object_add(o, "rules", rules);
	clean = json_object_new_object();
	json_object_object_add(clean, "enabled", json_object_new_boolean(st->rules.clean.enabled));
	json_object_object_add(clean, "documents_changed", json_object_new_int64((int64_t)st->docs_cleaned));
	by = json_object_new_object();
	for (i = 0; i < SACH__CLEAN_REASONS; i++)
		json_object_object_add(by, sach__clean_reason_names[i],
				       json_object_new_int64((int64_t)st->removed[i]));
	json_object_object_add(clean, "lines_removed", by);
	json_object_object_add(o, "clean_lines", clean);
	sig = json_object_new_object();
	for (i = 0; i < st->ndist; i++) {
		const struct dist *d = &st->dist[i];
		json_object *s = json_object_new_object();

		json_object_object_add(s, "count", json_object_new_int64((int64_t)d->n));
		if (d->nan)
			json_object_object_add(s, "nan", json_object_new_int64((int64_t)d->nan));
		if (d->skipped)
			json_object_object_add(s, "not_computed",
					       json_object_new_int64((int64_t)d->skipped));
		if (d->n) {
			json_object_object_add(s, "min", num(d->min));
			json_object_object_add(s, "mean", num(d->sum / (double)d->n));
			for (k = 0; k < sizeof(percentiles) / sizeof(percentiles[0]); k++) {
				char key[8];

				snprintf(key, sizeof(key), "p%d", percentiles[k]);
				json_object_object_add(s, key, num(percentile(st, i, percentiles[k])));
			}
			json_object_object_add(s, "max", num(d->max));
		}
		json_object_object_add(sig, dist_name(st, i), s);
	}
	json_object_object_add(o, "signals", sig);
	return o;
}

int sach_filter_stats_json(const sach_filter_stats *stats, sach_buf *out)
{
	json_object *o = report_object(stats);
	const char *text;
	int rc;

	if (!o)
		return sach__error_nomem();
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						 JSON_C_TO_STRING_NOSLASHESCAPE);
	rc = text ? sach_buf_puts(out, text) : sach__error_nomem();
	if (rc == 0)
		rc = sach_buf_append(out, "\n", 1);
	json_object_put(o);
	return rc;
}

static int appendf(sach_buf *out, const char *fmt, ...) SACH_PRINTF(2, 3);

static int appendf(sach_buf *out, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return sach__error_set(SACH_ERROR, "cannot format the summary");
	return sach_buf_append(out, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static double pct(uint64_t a, uint64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0.0;
}

int sach_filter_stats_summary(const sach_filter_stats *st, const char *prefix, sach_buf *out)
{
	uint64_t lines = 0;
	size_t i;
	int rc;

	if ((rc = appendf(out, "%s%llu documents, %llu pass, %llu fail (%.1f%%)%s\n", prefix,
			  (unsigned long long)st->docs, (unsigned long long)(st->docs - st->failed),
			  (unsigned long long)st->failed, pct(st->failed, st->docs),
			  st->rules.mode == SACH_FILTER_TAG ? "; tag mode keeps all" : "")) < 0)
		return rc;
	for (i = 0; i < sach__filter_rule_count; i++) {
		if (!st->first[i])
			continue;
		if ((rc = appendf(out, "%s  %-34s %8llu (%5.1f%%)\n", prefix,
				  sach__filter_rule_defs[i].name, (unsigned long long)st->first[i],
				  pct(st->first[i], st->docs))) < 0)
			return rc;
	}
	for (i = 0; i < SACH__CLEAN_REASONS; i++)
		lines += st->removed[i];
	if (st->rules.clean.enabled &&
	    (rc = appendf(out, "%sline cleaning: %llu lines removed from %llu documents\n", prefix,
			  (unsigned long long)lines, (unsigned long long)st->docs_cleaned)) < 0)
		return rc;
	return 0;
}

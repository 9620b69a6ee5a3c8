/*
 * filter.c - one document through the filter: signals (computed once),
 * optional line cleaning (then the signals of the cleaned text), the rules,
 * the meta block, and the statistics.
 */
#include "filter_internal.h"
#include "error_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sach_filter {
	struct sach_filter_rules rules;
	sach_signals_ctx *sig;
	sach_signals s;
	sach_filter_extra x;
	sach_buf clean;
	sach_filter_stats *stats;
	bool all_signals;      /* compute every signal, not only the rules' */
	bool fails[SACH__FILTER_MAX_RULES];
	uint64_t removed[SACH__CLEAN_REASONS];
};

int sach_filter_new_rules(sach_filter **out, const sach_filter_rules *rules)
{
	sach_filter *f;
	int rc;

	*out = NULL;
	if (!(f = calloc(1, sizeof(*f))))
		return sach__error_nomem();
	f->rules = *rules;
	if ((rc = sach_signals_new(&f->sig)) < 0 ||
	    (rc = sach__filter_stats_new(&f->stats, &f->rules)) < 0) {
		sach_filter_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

int sach_filter_new(sach_filter **out, const sach_config *config, const sach_config_node *section)
{
	sach_filter_rules *r;
	int rc;

	*out = NULL;
	if ((rc = sach_filter_rules_new(&r, config, section)) < 0)
		return rc;
	rc = sach_filter_new_rules(out, r);
	sach_filter_rules_free(r);
	return rc;
}

void sach_filter_free(sach_filter *f)
{
	if (!f)
		return;
	sach_signals_free(f->sig);
	sach__filter_stats_free(f->stats);
	sach_buf_free(&f->clean);
	free(f);
}

sach_filter_rules *sach_filter_get_rules(sach_filter *f)
{
	return &f->rules;
}

sach_signals_ctx *sach_filter_signals_ctx(sach_filter *f)
{
	return f->sig;
}

void sach_filter_set_all_signals(sach_filter *f, bool all)
{
	f->all_signals = all;
}

sach_filter_stats *sach_filter_get_stats(sach_filter *f)
{
	return f->stats;
}

/* The C4 line counts rules may use, from the per-line facts. */
static void count_extra(sach_filter *f)
{
	const sach_line_info *li;
	size_t n, i;

	li = sach_signals_lines(f->sig, &n);
	f->x.lorem_lines = f->x.curly_lines = f->x.javascript_lines = 0;
	for (i = 0; i < n; i++) {
		f->x.lorem_lines += (li[i].flags & SACH_LINE_LOREM) != 0;
		f->x.curly_lines += (li[i].flags & SACH_LINE_CURLY) != 0;
		f->x.javascript_lines += (li[i].flags & SACH_LINE_JAVASCRIPT) != 0;
	}
}

/* Why line `li` is removed (a SACH__CLEAN_* reason), or -1 to keep it. */
static int line_verdict(const sach_filter_clean *c, const sach_line_info *li)
{
	uint32_t fl = li->flags;

	if (fl & SACH_LINE_BLANK)
		return -1;
	if (c->boilerplate && (fl & SACH_LINE_BOILERPLATE))
		return SACH__CLEAN_BOILERPLATE;
	if (c->policy && (fl & SACH_LINE_POLICY))
		return SACH__CLEAN_POLICY;
	if (c->javascript && (fl & SACH_LINE_JAVASCRIPT))
		return SACH__CLEAN_JAVASCRIPT;
	if (c->lorem && (fl & SACH_LINE_LOREM))
		return SACH__CLEAN_LOREM;
	if (c->curly && (fl & SACH_LINE_CURLY))
		return SACH__CLEAN_CURLY;
	/* A line with too few syllables says too little about its language
	 * (a name, a number, a heading) and is left alone. */
	if (c->min_lang_score > 0 && li->syllables >= c->lang_min_syllables &&
	    li->lang_score < c->min_lang_score)
		return SACH__CLEAN_NOT_VIETNAMESE;
	if (c->c4_terminal_punct &&
	    (!(fl & SACH_LINE_TERMINAL_PUNCT) || (fl & SACH_LINE_ELLIPSIS)))
		return SACH__CLEAN_NO_TERMINAL_PUNCT;
	if (c->c4_min_syllables && li->syllables < c->c4_min_syllables)
		return SACH__CLEAN_SHORT;
	return -1;
}

/*
 * Writes the kept lines of `text` to f->clean and returns how many were
 * removed. Blank lines are kept as paragraph breaks, but a removal never
 * leaves two breaks in a row or a break at either end.
 */
static int clean_lines(sach_filter *f, const char *text, uint64_t *removed)
{
	const sach_line_info *li;
	size_t n, i;
	bool first = true, pending_blank = false;
	int rc;

	*removed = 0;
	li = sach_signals_lines(f->sig, &n);
	for (i = 0; i < n; i++) {
		int why = line_verdict(&f->rules.clean, &li[i]);

		if (why >= 0) {
			f->removed[why]++;
			(*removed)++;
		}
	}
	if (*removed == 0)
		return 0;
	sach_buf_clear(&f->clean);
	for (i = 0; i < n; i++) {
		if (line_verdict(&f->rules.clean, &li[i]) >= 0)
			continue;
		if (li[i].flags & SACH_LINE_BLANK) {
			pending_blank = !first;
			continue;
		}
		if (!first && (rc = sach_buf_append(&f->clean, pending_blank ? "\n\n" : "\n",
						    pending_blank ? 2 : 1)) < 0)
			return rc;
		if ((rc = sach_buf_append(&f->clean, text + li[i].start, li[i].len)) < 0)
			return rc;
		first = false;
		pending_blank = false;
	}
	/* The buffer is used as text even when nothing was kept. */
	return sach_buf_reserve(&f->clean, 0);
}

int sach_filter_process_text(sach_filter *f, const char *text, size_t len,
			     sach_filter_result *out, const char **clean_text, size_t *clean_len)
{
	uint64_t removed = 0, groups;
	int rc;

	/* Per document, because the rules may change before the first one;
	 * a few dozen ORs. */
	groups = f->all_signals ? SACH_SIG_ALL : sach__filter_groups_needed(&f->rules);
	memset(out, 0, sizeof(*out));
	memset(f->removed, 0, sizeof(f->removed));
	if (clean_text)
		*clean_text = NULL;
	if (clean_len)
		*clean_len = 0;
	if ((rc = sach_signals_compute_mask(f->sig, text, len, groups, &f->s)) < 0)
		return rc;
	if (f->rules.clean.enabled) {
		if ((rc = clean_lines(f, text, &removed)) < 0)
			return rc;
		/* The rules judge the text that will be written, so the signals
		 * are computed again, once, on the cleaned text. */
		if (removed) {
			if ((rc = sach_signals_compute_mask(f->sig, f->clean.ptr, f->clean.len, groups,
							     &f->s)) < 0)
				return rc;
			if (clean_text)
				*clean_text = f->clean.ptr;
			if (clean_len)
				*clean_len = f->clean.len;
		}
	}
	if ((rc = sach__filter_check_signals(&f->rules, &f->s)) < 0)
		return rc;
	count_extra(f);
	f->x.lines_removed = removed;
	sach_filter_rules_evaluate(&f->rules, &f->s, &f->x, &out->verdict, f->fails);
	sach__filter_stats_add(f->stats, &f->s, &f->x, &out->verdict, f->fails, f->removed);
	out->keep = out->verdict.pass || f->rules.mode == SACH_FILTER_TAG;
	out->lines_removed = removed;
	out->signals = &f->s;
	out->extra = &f->x;
	return 0;
}

/* Integral values are written as integers (byte and syllable counts must
 * not turn into 1.23457e+06); the rest with 6 significant digits. */
static int meta_number(sach_doc *doc, const char *stage, const char *key, double v)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 9e15)
		return sach_doc_meta_set_int(doc, stage, key, (int64_t)v);
	return sach_doc_meta_set_double(doc, stage, key, v);
}

static int tag_signals(sach_filter *f, sach_doc *doc)
{
	const sach_signal_desc *desc;
	const char *const *xn = sach_filter_extra_names();
	const uint64_t xv[SACH_FILTER_EXTRA_COUNT] = {
		f->x.lorem_lines, f->x.curly_lines, f->x.javascript_lines, f->x.lines_removed
	};
	size_t n, i;
	int rc;

	desc = sach_signals_describe(&n);
	for (i = 0; i < n; i++)
		if ((rc = meta_number(doc, "signals", desc[i].name, sach_signals_value(&f->s, i))) < 0)
			return rc;
	for (i = 0; i < SACH_FILTER_EXTRA_COUNT; i++)
		if ((rc = meta_number(doc, "signals", xn[i], (double)xv[i])) < 0)
			return rc;
	return 0;
}

int sach_filter_mark_failed(sach_doc *doc, const char *rule, double value)
{
	int rc = sach_doc_meta_set_string(doc, "filter", "rule", rule);

	return rc < 0 ? rc : meta_number(doc, "filter", "value", value);
}

int sach_filter_process(sach_filter *f, sach_doc *doc, sach_filter_result *out)
{
	const char *text, *clean;
	size_t len, clean_len;
	int rc;

	text = sach_doc_text(doc, &len);
	if ((rc = sach_filter_process_text(f, text, len, out, &clean, &clean_len)) < 0)
		return rc;
	if (clean && (rc = sach_doc_set_text(doc, clean, clean_len)) < 0)
		return rc;
	if (f->rules.mode == SACH_FILTER_TAG &&
	    (rc = sach_doc_meta_set_bool(doc, "filter", "pass", out->verdict.pass)) < 0)
		return rc;
	if (!out->verdict.pass &&
	    (rc = sach_filter_mark_failed(doc, out->verdict.rule_name, out->verdict.value)) < 0)
		return rc;
	if (f->rules.clean.enabled &&
	    (rc = sach_doc_meta_set_int(doc, "filter", "lines_removed", (int64_t)out->lines_removed)) < 0)
		return rc;
	if (f->rules.mode == SACH_FILTER_TAG && (rc = tag_signals(f, doc)) < 0)
		return rc;
	return 0;
}

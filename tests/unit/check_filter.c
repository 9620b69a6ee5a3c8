/*
 * check_filter.c - unit tests for sach/filter.h: every rule fails just past
 * its threshold and passes at it; the first failing rule in the fixed order
 * is the one named; configs override, disable and mis-spell rules (errors
 * with FILE:LINE:COL); the built-in defaults equal configs/filter-vi.yaml;
 * line cleaning; statistics merge to the same report whatever the split.
 *
 * Rule tests build sach_signals by hand (through the rule table of
 * filter_internal.h), so they do not depend on how signals are computed.
 */
#include "sach/common.h"
#include "sach/config.h"
#include "sach/error.h"
#include "sach/filter.h"
#include "sach/signals.h"

#include "filter_internal.h"
#include "signals_internal.h"

#include "check_helpers.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A plain good Vietnamese page as signals: every rule passes, also the
 * ones that are off by default. */
static void good_signals(sach_signals *s, sach_filter_extra *x)
{
	memset(s, 0, sizeof(*s));
	memset(x, 0, sizeof(*x));
	s->bytes = 4000;
	s->chars = 3000;
	s->tokens = 700;
	s->syllables = 650;
	s->lines = 12;
	s->nonblank_lines = 10;
	s->paragraphs = 5;
	s->mean_syllable_chars = 3.6;
	s->alpha_token_share = 0.95;
	s->stop_words = 40;
	s->terminal_punct_line_share = 0.8;
	s->short_line_share = 0.1;
	s->newlines_per_syllable = 0.02;
	s->char_repetition = 0.02;
	s->wellformed_share = 0.96;
	s->no_diacritic_share = 0.2;
	s->lang_score = 0.97;
	s->vi_line_char_share = 1.0;
}

/* Sets the value rule i reads. */
static void set_value(size_t i, sach_signals *s, sach_filter_extra *x, double v)
{
	const sach__filter_rule_def *d = &sach__filter_rule_defs[i];
	uint64_t u = (uint64_t)v;

	switch (d->kind) {
	case SACH__FV_DOUBLE:
		memcpy((char *)s + d->offset, &v, sizeof(v));
		break;
	case SACH__FV_U64:
		memcpy((char *)s + d->offset, &u, sizeof(u));
		break;
	default:
		memcpy((char *)x + d->offset, &u, sizeof(u));
	}
}

static sach_filter_rules *all_enabled(void)
{
	sach_filter_rules *r = NULL;
	size_t i;

	ck_assert_int_eq(sach_filter_rules_new(&r, NULL, NULL), 0);
	for (i = 0; i < sach_filter_rules_count(r); i++)
		r->enabled[i] = true;
	return r;
}

/* Signals a filter did not compute: a rule reading one is an internal
 * error, never a silent 0; drop mode computes only the enabled rules'
 * groups and gets the same verdicts as with all signals. */
START_TEST(filter_signal_mask)
{
	static const char text[] = "H\xc3\xa0 N\xe1\xbb\x99i l\xc3\xa0 th\xe1\xbb\xa7 \xc4\x91\xc3\xb4.\n";
	sach_filter_rules *r = all_enabled();
	sach_filter *f = NULL, *g = NULL;
	sach_filter_result a, b;
	sach_signals s;
	sach_filter_extra x;
	sach_filter_verdict v;
	size_t i, cr = SIZE_MAX;

	/* every rule's group is one signal group, extras always there */
	for (i = 0; i < sach__filter_rule_count; i++) {
		uint64_t grp = sach__filter_rule_group(i);

		ck_assert_msg(grp && (grp & (grp - 1)) == 0, "rule %s", sach__filter_rule_defs[i].name);
		if (strcmp(sach__filter_rule_defs[i].signal, "char_repetition") == 0)
			cr = i;
	}
	ck_assert(cr != SIZE_MAX);
	ck_assert_uint_eq(sach__filter_rule_group(cr), SACH_SIG_CHAR_REPETITION);

	/* an enabled rule whose signal was skipped: internal error */
	good_signals(&s, &x);
	ck_assert_int_eq(sach__filter_check_signals(r, &s), 0);
	sach__signals_mark_skipped(&s, SACH_SIG_CHAR_REPETITION);
	ck_assert(isnan(s.char_repetition));
	ck_assert_int_eq(sach__filter_check_signals(r, &s), SACH_ERROR);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "max_char_repetition"));
	ck_assert(isnan(sach__filter_rule_value(cr, &s, &x)));
	sach_filter_rules_evaluate(r, &s, &x, &v, NULL);
	ck_assert(!v.pass); /* NaN never passes */
	ck_assert_str_eq(v.rule_name, "max_char_repetition");
	/* a skipped count reads NaN, not UINT64_MAX or 0 */
	good_signals(&s, &x);
	sach__signals_mark_skipped(&s, SACH_SIG_GOPHER_QUALITY);
	ck_assert_uint_eq(s.stop_words, UINT64_MAX);
	for (i = 0; i < sach__filter_rule_count; i++)
		if (strcmp(sach__filter_rule_defs[i].signal, "stop_words") == 0)
			ck_assert(isnan(sach__filter_rule_value(i, &s, &x)));
	sach_filter_rules_free(r);

	/* defaults: char_repetition is off, so drop mode skips it */
	ck_assert_int_eq(sach_filter_rules_new(&r, NULL, NULL), 0);
	ck_assert_uint_eq(sach__filter_groups_needed(r) & SACH_SIG_CHAR_REPETITION, 0);
	ck_assert_uint_eq(sach__filter_groups_needed(r) & SACH_SIG_TOP_NGRAMS, SACH_SIG_TOP_NGRAMS);
	ck_assert_int_eq(sach_filter_new_rules(&f, r), 0);
	ck_assert_int_eq(sach_filter_new_rules(&g, r), 0);
	sach_filter_set_all_signals(g, true);
	ck_assert_int_eq(sach_filter_process_text(f, text, strlen(text), &a, NULL, NULL), 0);
	ck_assert_int_eq(sach_filter_process_text(g, text, strlen(text), &b, NULL, NULL), 0);
	ck_assert(isnan(a.signals->char_repetition));
	ck_assert(!isnan(b.signals->char_repetition));
	ck_assert_int_eq(a.verdict.pass, b.verdict.pass);
	ck_assert_int_eq(a.verdict.rule, b.verdict.rule);
	ck_assert(a.verdict.value == b.verdict.value);
	/* enabling the rule later makes the filter compute its signal */
	sach_filter_get_rules(f)->enabled[cr] = true;
	ck_assert_int_eq(sach_filter_process_text(f, text, strlen(text), &a, NULL, NULL), 0);
	ck_assert(!isnan(a.signals->char_repetition));
	/* tag mode computes everything */
	sach_filter_rules_set_mode(r, SACH_FILTER_TAG);
	ck_assert_uint_eq(sach__filter_groups_needed(r), SACH_SIG_ALL);
	sach_filter_free(f);
	sach_filter_free(g);
	sach_filter_rules_free(r);
}
END_TEST

START_TEST(filter_good_page_passes)
{
	sach_filter_rules *r = all_enabled();
	sach_signals s;
	sach_filter_extra x;
	sach_filter_verdict v;

	good_signals(&s, &x);
	sach_filter_rules_evaluate(r, &s, &x, &v, NULL);
	ck_assert_msg(v.pass, "good page fails %s (value %g)", v.rule_name ? v.rule_name : "?", v.value);
	ck_assert_int_eq(v.rule, -1);
	ck_assert_ptr_null(v.rule_name);
	sach_filter_rules_free(r);
}
END_TEST

/* Each rule: the threshold itself passes (peers drop only beyond it), the
 * nearest value beyond fails, and the verdict names this rule and value. */
START_TEST(filter_each_rule_at_threshold)
{
	sach_filter_rules *r = all_enabled();
	size_t i, n = sach_filter_rules_count(r);

	for (i = 0; i < n; i++) {
		const sach__filter_rule_def *d = &sach__filter_rule_defs[i];
		double t = r->threshold[i], beyond;
		sach_signals s;
		sach_filter_extra x;
		sach_filter_verdict v;
		bool fails[SACH__FILTER_MAX_RULES];

		if (d->kind == SACH__FV_DOUBLE)
			beyond = nextafter(t, d->is_min ? -INFINITY : INFINITY);
		else
			beyond = d->is_min ? t - 1 : t + 1;
		good_signals(&s, &x);
		set_value(i, &s, &x, t);
		sach_filter_rules_evaluate(r, &s, &x, &v, fails);
		ck_assert_msg(!fails[i], "%s fails at its threshold %g", d->name, t);
		/* Only a rule on the same signal with a stricter threshold may fail. */
		ck_assert_msg(v.pass || strcmp(sach__filter_rule_defs[v.rule].signal, d->signal) == 0,
			      "%s at its threshold: %s fails", d->name, v.rule_name);
		good_signals(&s, &x);
		set_value(i, &s, &x, beyond);
		sach_filter_rules_evaluate(r, &s, &x, &v, fails);
		ck_assert_msg(!v.pass && fails[i], "%s passes at %.17g (threshold %g)", d->name, beyond, t);
		/* Rules that share a signal may fail too; an earlier one would be named. */
		if (v.rule != (int)i)
			ck_assert_msg(strcmp(sach__filter_rule_defs[v.rule].signal, d->signal) == 0 &&
				      v.rule < (int)i,
				      "%s: verdict names %s", d->name, v.rule_name);
		else
			ck_assert_msg(v.value == beyond && v.threshold == t, "%s: value %g", d->name, v.value);
		/* Disabled, the rule no longer decides (the flags still say it fails). */
		r->enabled[i] = false;
		sach_filter_rules_evaluate(r, &s, &x, &v, fails);
		ck_assert_msg(v.rule != (int)i && fails[i], "%s decides while disabled", d->name);
		r->enabled[i] = true;
	}
	sach_filter_rules_free(r);
}
END_TEST

START_TEST(filter_rule_order)
{
	sach_filter_rules *r = all_enabled();
	sach_signals s;
	sach_filter_extra x;
	sach_filter_verdict v;
	bool fails[SACH__FILTER_MAX_RULES];
	size_t i, n = sach_filter_rules_count(r);
	sach_filter_rule a, b;

	/* Names are unique; the table starts with the Vietnamese rules and
	 * ends with FineWeb's. */
	for (i = 0; i < n; i++) {
		size_t j;

		sach_filter_rules_at(r, i, &a);
		for (j = i + 1; j < n; j++) {
			sach_filter_rules_at(r, j, &b);
			ck_assert_str_ne(a.name, b.name);
		}
	}
	sach_filter_rules_at(r, 0, &a);
	ck_assert_str_eq(a.group, "vietnamese");
	/* A page that is too short, too repetitive and in the wrong language is
	 * named for its language. */
	good_signals(&s, &x);
	s.syllables = 10;
	s.dup_line_share = 0.9;
	s.lang_score = 0.1;
	sach_filter_rules_evaluate(r, &s, &x, &v, fails);
	ck_assert_str_eq(v.rule_name, "vi_min_lang_score");
	ck_assert(fails[v.rule]);
	for (i = 0; i < n; i++)
		if (strcmp(sach__filter_rule_defs[i].name, "gopher_min_syllables") == 0 ||
		    strcmp(sach__filter_rule_defs[i].name, "gopher_max_dup_line_share") == 0)
			ck_assert(fails[i]);
	/* Repetition comes before size (FineWeb's order). */
	s.lang_score = 0.99;
	sach_filter_rules_evaluate(r, &s, &x, &v, NULL);
	ck_assert_str_eq(v.rule_name, "gopher_max_dup_line_share");
	/* A NaN never passes. */
	good_signals(&s, &x);
	s.lang_score = NAN;
	sach_filter_rules_evaluate(r, &s, &x, &v, NULL);
	ck_assert_str_eq(v.rule_name, "vi_min_lang_score");
	sach_filter_rules_free(r);
}
END_TEST

static sach_config *load(const char *text)
{
	sach_config *c = NULL;

	ck_assert_msg(sach_config_load_string(&c, "f.yaml", text, strlen(text)) == 0, "%s",
		      sach_error_last());
	return c;
}

static int rule_index(const char *name)
{
	size_t i;

	for (i = 0; i < sach__filter_rule_count; i++)
		if (strcmp(sach__filter_rule_defs[i].name, name) == 0)
			return (int)i;
	ck_abort_msg("no rule %s", name);
	return -1;
}

START_TEST(filter_config_overrides)
{
	sach_config *c = load("mode: tag\n"
			      "clean_lines:\n"
			      "  enabled: true\n"
			      "  min_lang_score: 0.35\n"
			      "  c4_terminal_punct: yes\n"
			      "rules:\n"
			      "  vi_min_lang_score: {min: 0.9}\n"
			      "  gopher_max_syllables: false\n"
			      "  c4_max_curly_lines: {max: 2}\n"
			      "  fineweb_max_short_lines: {max: 0.5, enabled: false}\n");
	sach_filter_rules *r = NULL, *def = NULL;
	sach_filter_rule rule;
	size_t i;

	ck_assert_int_eq(sach_filter_rules_new(&r, c, sach_config_root(c)), 0);
	ck_assert_int_eq(sach_filter_rules_new(&def, NULL, NULL), 0);
	sach_config_free(c); /* the rule set does not refer to it */
	ck_assert_int_eq(sach_filter_rules_mode(r), SACH_FILTER_TAG);
	ck_assert(sach_filter_rules_clean(r)->enabled);
	ck_assert(sach_filter_rules_clean(r)->c4_terminal_punct);
	ck_assert_double_eq(sach_filter_rules_clean(r)->min_lang_score, 0.35);
	ck_assert(sach_filter_rules_clean(r)->boilerplate);
	sach_filter_rules_at(r, (size_t)rule_index("vi_min_lang_score"), &rule);
	ck_assert_double_eq(rule.threshold, 0.9);
	ck_assert(rule.enabled && rule.is_min);
	sach_filter_rules_at(r, (size_t)rule_index("gopher_max_syllables"), &rule);
	ck_assert(!rule.enabled);
	sach_filter_rules_at(r, (size_t)rule_index("c4_max_curly_lines"), &rule);
	ck_assert(rule.enabled); /* a threshold turns a rule on */
	ck_assert_double_eq(rule.threshold, 2);
	sach_filter_rules_at(r, (size_t)rule_index("fineweb_max_short_lines"), &rule);
	ck_assert(!rule.enabled);
	ck_assert_double_eq(rule.threshold, 0.5);
	/* Everything else keeps its default. */
	for (i = 0; i < sach_filter_rules_count(r); i++) {
		sach_filter_rule a, b;

		sach_filter_rules_at(r, i, &a);
		sach_filter_rules_at(def, i, &b);
		if (strcmp(a.name, "vi_min_lang_score") && strcmp(a.name, "gopher_max_syllables") &&
		    strcmp(a.name, "c4_max_curly_lines") && strcmp(a.name, "fineweb_max_short_lines"))
			ck_assert_msg(a.threshold == b.threshold && a.enabled == b.enabled, "%s", a.name);
	}
	sach_filter_rules_free(r);
	sach_filter_rules_free(def);
}
END_TEST

/* `text` must fail with a message starting with `where` and holding `what`. */
static void config_fails(const char *text, const char *where, const char *what)
{
	sach_config *c = load(text);
	sach_filter_rules *r = (sach_filter_rules *)1;
	int rc = sach_filter_rules_new(&r, c, sach_config_root(c));

	ck_assert_int_eq(rc, SACH_ECONFIG);
	ck_assert_ptr_null(r);
	ck_assert_msg(strncmp(sach_error_last(), where, strlen(where)) == 0 &&
		      strstr(sach_error_last(), what) != NULL,
		      "message '%s', want '%s' ... '%s'", sach_error_last(), where, what);
	sach_config_free(c);
}

START_TEST(filter_config_errors)
{
	config_fails("mode: drop\nthreshold: 3\n", "f.yaml:2:1:", "threshold");
	config_fails("mode: keep\n", "f.yaml:1:7:", "mode");
	config_fails("rules:\n  vi_min_lang_scor: {min: 0.5}\n", "f.yaml:2:3:", "vi_min_lang_scor");
	config_fails("rules:\n  vi_min_lang_score: {max: 0.5}\n", "f.yaml:2:23:", "min threshold");
	config_fails("rules:\n  gopher_max_syllables: {min: 5}\n", "f.yaml:2:26:", "max threshold");
	config_fails("rules:\n  vi_min_lang_score: {min: high}\n", "f.yaml:2:28:", "expected a number");
	config_fails("rules:\n  vi_min_lang_score: {min: 0.5, mx: 1}\n", "f.yaml:2:33:", "mx");
	config_fails("rules:\n  vi_min_lang_score: maybe\n", "f.yaml:2:22:", "vi_min_lang_score");
	config_fails("rules: [a, b]\n", "f.yaml:1:8:", "rules");
	config_fails("clean_lines:\n  boilerplat: true\n", "f.yaml:2:3:", "boilerplat");
	config_fails("clean_lines:\n  min_lang_score: 2\n", "f.yaml:2:19:", "out of range");
	config_fails("- mode\n", "f.yaml:1:1:", "filter");
}
END_TEST

static void assert_rules_equal(const sach_filter_rules *a, const sach_filter_rules *b)
{
	size_t i;

	ck_assert_int_eq(sach_filter_rules_mode(a), sach_filter_rules_mode(b));
	ck_assert(memcmp(sach_filter_rules_clean(a), sach_filter_rules_clean(b),
			 sizeof(sach_filter_clean)) == 0);
	for (i = 0; i < sach_filter_rules_count(a); i++) {
		sach_filter_rule x, y;

		sach_filter_rules_at(a, i, &x);
		sach_filter_rules_at(b, i, &y);
		ck_assert_msg(x.threshold == y.threshold && x.enabled == y.enabled,
			      "%s: file %g %s, built-in %g %s", x.name, x.threshold,
			      x.enabled ? "on" : "off", y.threshold, y.enabled ? "on" : "off");
	}
}

/* The built-in defaults are the values of configs/filter-vi.yaml, and the
 * file lists every rule (so it documents all of them). */
START_TEST(filter_defaults_equal_config_file)
{
	const char *root = getenv("SACH_SOURCE_ROOT");
	const sach_config_node *rules;
	sach_filter_rules *file = NULL, *def = NULL;
	sach_config *c = NULL;
	char path[4096];
	size_t i;

	ck_assert_ptr_nonnull(root);
	snprintf(path, sizeof(path), "%s/configs/filter-vi.yaml", root);
	ck_assert_msg(sach_config_load_file(&c, path) == 0, "%s", sach_error_last());
	ck_assert_msg(sach_filter_rules_new(&file, c, sach_config_root(c)) == 0, "%s",
		      sach_error_last());
	ck_assert_int_eq(sach_filter_rules_new(&def, NULL, NULL), 0);
	assert_rules_equal(file, def);
	rules = sach_config_map_get(sach_config_root(c), "rules");
	for (i = 0; i < sach__filter_rule_count; i++)
		ck_assert_msg(sach_config_map_get(rules, sach__filter_rule_defs[i].name) != NULL,
			      "%s is not in configs/filter-vi.yaml", sach__filter_rule_defs[i].name);
	ck_assert_ptr_nonnull(sach_config_map_get(sach_config_root(c), "clean_lines"));
	sach_config_free(c);
	sach_filter_rules_free(file);
	sach_filter_rules_free(def);
}
END_TEST

/* Every rule reads the signal its name says: the rule table's offsets agree
 * with sach_signals_describe() and sach_signals_value(). */
START_TEST(filter_rule_signals_match_describe)
{
	const sach_signal_desc *desc;
	const char *const *xn = sach_filter_extra_names();
	size_t n, i, k;

	desc = sach_signals_describe(&n);
	for (i = 0; i < sach__filter_rule_count; i++) {
		const sach__filter_rule_def *d = &sach__filter_rule_defs[i];
		bool found = false;

		if (d->kind == SACH__FV_EXTRA) {
			for (k = 0; k < SACH_FILTER_EXTRA_COUNT; k++)
				found |= strcmp(xn[k], d->signal) == 0;
			ck_assert_msg(found, "%s: no extra %s", d->name, d->signal);
			continue;
		}
		for (k = 0; k < n; k++) {
			sach_signals s;
			sach_filter_extra x;

			if (strcmp(desc[k].name, d->signal) != 0)
				continue;
			found = true;
			memset(&s, 0, sizeof(s));
			memset(&x, 0, sizeof(x));
			set_value(i, &s, &x, 7);
			ck_assert_msg(sach_signals_value(&s, k) == 7, "%s: %s reads another field",
				      d->name, d->signal);
		}
		ck_assert_msg(found, "%s: signal %s is not described", d->name, d->signal);
	}
}
END_TEST

static sach_filter *filter_with(const char *yaml)
{
	sach_config *c = yaml ? load(yaml) : NULL;
	sach_filter *f = NULL;

	ck_assert_msg(sach_filter_new(&f, c, c ? sach_config_root(c) : NULL) == 0, "%s",
		      sach_error_last());
	sach_config_free(c);
	return f;
}

/* Vietnamese test text written for this test, as UTF-8 escapes. VI1: "Sau
 * nhieu nam lam viec o thanh pho, anh tro ve que de mo mot trang trai nho."
 * (after many years working in the city he went home to open a small farm;
 * with e-circumflex-hook-above, a-breve, a-grave, e-circumflex-dot-below,
 * o-horn-hook-above, o-circumflex-acute, e-circumflex, d-stroke, ...). */
#define VI1 "Sau nhi\xe1\xbb\x81u n\xc4\x83m l\xc3\xa0m vi\xe1\xbb\x87" "c \xe1\xbb\x9f th\xc3\xa0nh " \
	"ph\xe1\xbb\x91, anh tr\xe1\xbb\x9f v\xe1\xbb\x81 qu\xc3\xaa \xc4\x91\xe1\xbb\x83 m\xe1\xbb\x9f " \
	"m\xe1\xbb\x99t trang tr\xe1\xba\xa1i nh\xe1\xbb\x8f."
/* VI2: "Moi sang, ca nha cung nhau ra dong cham soc rau va cho ga an." (every
 * morning the family goes to the fields; o-circumflex-tilde, a-acute, ...). */
#define VI2 "M\xe1\xbb\x97i s\xc3\xa1ng, c\xe1\xba\xa3 nh\xc3\xa0 c\xc3\xb9ng nhau ra \xc4\x91\xe1\xbb\x93ng " \
	"ch\xc4\x83m s\xc3\xb3" "c rau v\xc3\xa0 cho g\xc3\xa0 \xc4\x83n."
/* "Xem them: Tin lien quan" with e-circumflex (news boilerplate: "see also"). */
#define BOILER "Xem th\xc3\xaam: Tin li\xc3\xaan quan"

START_TEST(filter_clean_lines)
{
	sach_filter *f = filter_with("clean_lines:\n  enabled: true\n");
	const char *text = VI1 "\n" BOILER "\n\n"
			   "Please enable JavaScript in your browser to view this page properly.\n\n"
			   VI2;
	const char *want = VI1 "\n\n" VI2;
	const char *clean;
	size_t clean_len;
	sach_filter_result res;

	ck_assert_int_eq(sach_filter_process_text(f, text, strlen(text), &res, &clean, &clean_len), 0);
	ck_assert_uint_eq(res.lines_removed, 2);
	ck_assert_ptr_nonnull(clean);
	th_assert_bytes(clean, clean_len, want, strlen(want));
	/* The signals are those of the cleaned text. */
	ck_assert_uint_eq(res.signals->bytes, strlen(want));
	ck_assert_uint_eq(res.extra->lines_removed, 2);
	ck_assert_uint_eq(res.extra->javascript_lines, 0);
	/* Nothing to remove: no new text. */
	ck_assert_int_eq(sach_filter_process_text(f, want, strlen(want), &res, &clean, &clean_len), 0);
	ck_assert_uint_eq(res.lines_removed, 0);
	ck_assert_ptr_null(clean);
	sach_filter_free(f);

	/* Cleaning off (the default): the text is never touched. */
	f = filter_with(NULL);
	ck_assert_int_eq(sach_filter_process_text(f, text, strlen(text), &res, &clean, &clean_len), 0);
	ck_assert_uint_eq(res.lines_removed, 0);
	ck_assert_ptr_null(clean);
	ck_assert_uint_eq(res.extra->javascript_lines, 1);
	sach_filter_free(f);

	/* C4 line rules when asked: lines without terminal punctuation go. */
	f = filter_with("clean_lines: {enabled: true, c4_terminal_punct: true}\n");
	text = VI1 "\nM\xe1\xbb\xa5" "c l\xe1\xbb\xa5" "c\n" VI2; /* "Muc luc" (contents), u-dot-below */
	want = VI1 "\n" VI2;
	ck_assert_int_eq(sach_filter_process_text(f, text, strlen(text), &res, &clean, &clean_len), 0);
	ck_assert_uint_eq(res.lines_removed, 1);
	th_assert_bytes(clean, clean_len, want, strlen(want));
	sach_filter_free(f);
}
END_TEST

/* The report of documents split over two filters and merged equals the
 * report of one filter that saw them all, in either merge order. */
START_TEST(filter_stats_merge)
{
	const char *docs[] = { VI1 " " VI2, VI1, "Hello world, this is English text.", VI2 "\n" VI2,
			       "", "12345 67890", VI1 "\n" VI2 "\n" VI1 };
	sach_filter *all = filter_with(NULL), *a = filter_with(NULL), *b = filter_with(NULL);
	sach_filter *other = filter_with("rules: {vi_min_lang_score: false}\n");
	sach_buf j1 = { 0 }, j2 = { 0 };
	sach_filter_result res;
	size_t i, n = sizeof(docs) / sizeof(docs[0]);

	for (i = 0; i < n; i++) {
		ck_assert_int_eq(sach_filter_process_text(all, docs[i], strlen(docs[i]), &res, NULL, NULL), 0);
		ck_assert_int_eq(sach_filter_process_text(i % 3 ? a : b, docs[i], strlen(docs[i]), &res,
							  NULL, NULL), 0);
	}
	ck_assert_int_eq(sach_filter_stats_merge(sach_filter_get_stats(b), sach_filter_get_stats(a)), 0);
	ck_assert_int_eq(sach_filter_stats_json(sach_filter_get_stats(all), &j1), 0);
	ck_assert_int_eq(sach_filter_stats_json(sach_filter_get_stats(b), &j2), 0);
	ck_assert_str_eq(j1.ptr, j2.ptr);
	ck_assert_uint_eq(sach_filter_stats_docs(sach_filter_get_stats(b)), n);
	ck_assert_int_eq(sach_filter_stats_merge(sach_filter_get_stats(other), sach_filter_get_stats(a)),
			 SACH_EINVAL);
	ck_assert_ptr_nonnull(strstr(j1.ptr, "\"p50\""));
	sach_buf_free(&j1);
	sach_buf_free(&j2);
	sach_filter_free(all);
	sach_filter_free(a);
	sach_filter_free(b);
	sach_filter_free(other);
}
END_TEST

/* Percentiles are nearest-rank over the histogram, inside [min, max]. */
START_TEST(filter_stats_percentiles)
{
	sach_filter *f = filter_with(NULL);
	sach_filter_stats *st = sach_filter_get_stats(f);
	sach_filter_verdict v = { true, -1, NULL, 0, 0 };
	bool fails[SACH__FILTER_MAX_RULES] = { false };
	uint64_t removed[SACH__CLEAN_REASONS] = { 0 };
	sach_buf j = { 0 };
	const char *p;
	int k;

	/* 100 documents with lang_score 0.01 .. 1.00 and syllables 1 .. 100. */
	for (k = 1; k <= 100; k++) {
		sach_signals s;
		sach_filter_extra x;

		good_signals(&s, &x);
		s.lang_score = k / 100.0;
		s.syllables = (uint64_t)k;
		sach__filter_stats_add(st, &s, &x, &v, fails, removed);
	}
	ck_assert_int_eq(sach_filter_stats_json(st, &j), 0);
	p = strstr(j.ptr, "\"lang_score\"");
	ck_assert_ptr_nonnull(p);
	ck_assert_msg(strstr(p, "\"p1\": 0.01,") && strstr(p, "\"p50\": 0.5,") &&
		      strstr(p, "\"p99\": 0.99,") && strstr(p, "\"max\": 1"), "%.400s", p);
	p = strstr(j.ptr, "\"syllables\"");
	ck_assert_ptr_nonnull(p);
	ck_assert_msg(strstr(p, "\"p25\": 25,") && strstr(p, "\"p90\": 90,"), "%.400s", p);
	sach_buf_free(&j);
	sach_filter_free(f);
}
END_TEST

static Suite *filter_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, filter_good_page_passes);
	tcase_add_test(tc, filter_each_rule_at_threshold);
	tcase_add_test(tc, filter_rule_order);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_add_test(tc, filter_config_overrides);
	tcase_add_test(tc, filter_config_errors);
	tcase_add_test(tc, filter_defaults_equal_config_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("process");
	tcase_add_test(tc, filter_rule_signals_match_describe);
	tcase_add_test(tc, filter_clean_lines);
	tcase_add_test(tc, filter_stats_merge);
	tcase_add_test(tc, filter_stats_percentiles);
	tcase_add_test(tc, filter_signal_mask);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(filter_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

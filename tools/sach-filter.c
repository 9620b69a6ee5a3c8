/*
 * sach-filter - quality rules over per-document signals (see filter.h for
 * the rule order and the statistics, configs/filter-vi.yaml for the
 * defaults and where each comes from).
 */
#include "common/tool.h"

#include <stdlib.h>
#include <string.h>

struct filter_stage {
	sach_filter *f;
	uint64_t lines_removed;
	uint64_t docs_failed;
};

static void help(void)
{
	printf("Usage: %s [OPTION]... [FILE]...\n"
	       "Judge documents as Vietnamese training text by rules over quality signals\n"
	       "(Gopher quality and repetition, C4, FineWeb, and Vietnamese rules: language\n"
	       "score, well-formed syllables, text without diacritics, flagged words,\n"
	       "mojibake), computed once per document. A dropped document names the\n"
	       "first rule it fails and its value.\n"
	       "\n"
	       "Filtering:\n"
	       "      --config FILE        rules and thresholds (YAML; default: the built-in\n"
	       "                           values, which are configs/filter-vi.yaml)\n"
	       "      --mode MODE          drop (default: failing documents go to\n"
	       "                           --rejected with \"sach\": {\"filter\": {\"rule\",\n"
	       "                           \"value\"}}) or tag (every document is kept, with\n"
	       "                           all signals in \"sach\": {\"signals\": {...}} and\n"
	       "                           \"sach\": {\"filter\": {\"pass\": ...}})\n"
	       "      --clean-lines        remove boilerplate, policy, javascript, lorem ipsum\n"
	       "                           and non-Vietnamese lines first (the config's\n"
	       "                           clean_lines section says which); the signals are\n"
	       "                           computed again on the cleaned text and the count\n"
	       "                           goes to \"sach\": {\"filter\": {\"lines_removed\"}}\n"
	       "      --report FILE        per-rule counts and every signal's distribution\n"
	       "                           (percentiles) as JSON\n"
	       "      --list-rules         print the rules in evaluation order with their\n"
	       "                           thresholds and exit\n"
	       "      --wordlist LIST=FILE add the entries of FILE (UTF-8, one entry of one\n"
	       "                           or more words per line, '#' comments) to the\n"
	       "                           built-in list LIST: adult, gambling, boilerplate\n"
	       "                           or policy (repeatable)\n"
	       "\n"
	       "%s"
	       "\n"
	       "A summary of the verdicts goes to stderr unless --quiet.\n"
	       "Exit status: 0 success; 1 data or I/O failure; 2 usage or configuration\n"
	       "error.\n",
	       tool_name, tool_common_help);
}

static int process(void *ctx, sach_doc *doc, const char **reason)
{
	struct filter_stage *st = ctx;
	sach_filter_result res;
	int rc;

	if ((rc = sach_filter_process(st->f, doc, &res)) < 0)
		return rc;
	st->lines_removed += res.lines_removed;
	if (!res.verdict.pass)
		st->docs_failed++;
	if (!res.keep) {
		*reason = res.verdict.rule_name;
		return STAGE_DROP;
	}
	return STAGE_KEEP;
}

static void stats(void *ctx, json_object *into)
{
	struct filter_stage *st = ctx;

	json_object_object_add(into, "docs_failed", json_object_new_int64((int64_t)st->docs_failed));
	json_object_object_add(into, "lines_removed", json_object_new_int64((int64_t)st->lines_removed));
}

static void list_rules(const sach_filter_rules *r)
{
	sach_filter_rule rule;
	size_t i;

	printf("%-34s %-26s %-4s %10s  %s\n", "rule", "signal", "", "threshold", "enabled");
	for (i = 0; i < sach_filter_rules_count(r); i++) {
		sach_filter_rules_at(r, i, &rule);
		printf("%-34s %-26s %-4s %10g  %s\n", rule.name, rule.signal,
		       rule.is_min ? "min" : "max", rule.threshold, rule.enabled ? "yes" : "no");
	}
}

/* Writes the report atomically; returns an exit code. */
static int write_report(const char *path, const sach_filter_stats *s)
{
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;
	sach_writer *w = NULL;
	sach_buf b = { 0 };
	int rc;

	if ((rc = sach_filter_stats_json(s, &b)) < 0 || (rc = sach_writer_open(&w, path, &o)) < 0) {
		tool_warn("%s", sach_error_last());
		sach_buf_free(&b);
		return SACH_EXIT_FAILURE;
	}
	if ((rc = sach_writer_write(w, b.ptr, b.len)) < 0) {
		sach_writer_abort(w);
		w = NULL;
	} else {
		rc = sach_writer_commit(w);
	}
	if (rc < 0)
		tool_warn("%s", sach_error_last());
	sach_buf_free(&b);
	return rc < 0 ? SACH_EXIT_FAILURE : SACH_EXIT_OK;
}

enum { OPT_CONFIG = 1, OPT_MODE, OPT_CLEAN_LINES, OPT_REPORT, OPT_LIST_RULES, OPT_WORDLIST };

#define MAX_WORDLIST_FILES 32

static const struct option own_options[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "clean-lines", no_argument, NULL, OPT_CLEAN_LINES },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
	{ "wordlist", required_argument, NULL, OPT_WORDLIST },
};

int main(int argc, char **argv)
{
	struct filter_stage st;
	tool_stage stage = { "filter", process, stats, &st };
	size_t nown = sizeof(own_options) / sizeof(own_options[0]);
	struct option *longopts;
	tool_common c;
	sach_config *cfg = NULL;
	sach_filter_rules *rules = NULL;
	const char *config_path = NULL, *report_path = NULL;
	const char *wordlist_files[MAX_WORDLIST_FILES];
	sach_wordlist wordlist_of[MAX_WORDLIST_FILES];
	int nwordlists = 0, w;
	int opt, code, mode = -1;
	bool clean = false, list = false;

	tool_init("sach-filter");
	tool_common_init(&c);
	memset(&st, 0, sizeof(st));
	longopts = tool_long_options(own_options, nown);

	opterr = 0; /* messages come from tool_getopt_error(), prefixed with the tool's name */
	while ((opt = getopt_long(argc, argv, ":o:q", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_CONFIG: config_path = optarg; break;
		case OPT_MODE:
			if (strcmp(optarg, "drop") == 0)
				mode = SACH_FILTER_DROP;
			else if (strcmp(optarg, "tag") == 0)
				mode = SACH_FILTER_TAG;
			else
				tool_usage_error("--mode: expected drop or tag, not '%s'", optarg);
			break;
		case OPT_CLEAN_LINES: clean = true; break;
		case OPT_REPORT: report_path = optarg; break;
		case OPT_LIST_RULES: list = true; break;
		case OPT_WORDLIST: {
			const char *eq = strchr(optarg, '=');
			int l, found = -1;

			for (l = 0; eq && l < SACH_WORDLIST_COUNT; l++)
				if (strlen(sach_wordlist_name((sach_wordlist)l)) == (size_t)(eq - optarg) &&
				    strncmp(optarg, sach_wordlist_name((sach_wordlist)l),
					    (size_t)(eq - optarg)) == 0)
					found = l;
			if (found < 0 || !eq[1])
				tool_usage_error("--wordlist: expected LIST=FILE with LIST adult, "
						 "gambling, boilerplate or policy, not '%s'", optarg);
			if (nwordlists == MAX_WORDLIST_FILES)
				tool_usage_error("--wordlist: at most %d files", MAX_WORDLIST_FILES);
			wordlist_of[nwordlists] = (sach_wordlist)found;
			wordlist_files[nwordlists++] = eq + 1;
			break;
		}
		case '?':
		case ':':
			tool_getopt_error(opt, argv, longopts);
		default:
			if (!tool_common_option(&c, opt, optarg, help))
				tool_usage_error("invalid option");
		}
	}
	free(longopts);
	/* A bad config is a configuration error (exit 2), reported with its
	 * FILE:LINE:COLUMN. */
	if (config_path && sach_config_load_file(&cfg, config_path) < 0) {
		tool_warn("%s", sach_error_last());
		return SACH_EXIT_USAGE;
	}
	if (sach_filter_rules_new(&rules, cfg, cfg ? sach_config_root(cfg) : NULL) < 0) {
		tool_warn("%s", sach_error_last());
		sach_config_free(cfg);
		return SACH_EXIT_USAGE;
	}
	sach_config_free(cfg);
	if (mode >= 0)
		sach_filter_rules_set_mode(rules, (sach_filter_mode)mode);
	if (clean) {
		sach_filter_clean cl = *sach_filter_rules_clean(rules);

		cl.enabled = true;
		sach_filter_rules_set_clean(rules, &cl);
	}
	if (list) {
		list_rules(rules);
		sach_filter_rules_free(rules);
		return fflush(stdout) == 0 ? SACH_EXIT_OK : SACH_EXIT_FAILURE;
	}
	tool_common_finish(&c, argc, argv);
	if (c.out_format == SACH_FORMAT_TEXT && sach_filter_rules_mode(rules) == SACH_FILTER_TAG)
		tool_usage_error("--mode tag writes a meta block, which needs JSONL output "
				 "(--output-format jsonl)");
	if (sach_filter_new_rules(&st.f, rules) < 0) {
		tool_warn("%s", sach_error_last());
		sach_filter_rules_free(rules);
		return SACH_EXIT_FAILURE;
	}
	sach_filter_rules_free(rules);
	/* A word list that cannot be read is a configuration error: exit 2
	 * with its file:line. */
	for (w = 0; w < nwordlists; w++)
		if (sach_signals_add_wordlist(sach_filter_signals_ctx(st.f), wordlist_of[w],
					      wordlist_files[w]) < 0) {
			tool_warn("%s", sach_error_last());
			sach_filter_free(st.f);
			return SACH_EXIT_USAGE;
		}
	/* Drop mode computes only the signals its rules read; a report shows
	 * every signal's distribution, so it asks for all of them. */
	if (report_path)
		sach_filter_set_all_signals(st.f, true);
	code = tool_run(&c, &stage);
	if (!c.quiet) {
		sach_buf b = { 0 };
		char prefix[64];

		snprintf(prefix, sizeof(prefix), "%s: ", tool_name);
		if (sach_filter_stats_summary(sach_filter_get_stats(st.f), prefix, &b) == 0 && b.len)
			fwrite(b.ptr, 1, b.len, stderr);
		sach_buf_free(&b);
	}
	if (code == SACH_EXIT_OK && report_path)
		code = write_report(report_path, sach_filter_get_stats(st.f));
	sach_filter_free(st.f);
	return code;
}

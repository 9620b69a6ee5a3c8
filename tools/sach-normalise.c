/*
 * sach-normalise - Unicode normalisation of documents (see normalise.h for
 * what it does, in which order, and why it is idempotent).
 */
#include "common/tool.h"

#include <stdlib.h>
#include <string.h>

struct normalise_stage {
	sach_normaliser *n;
	sach_normalise_counts totals;
	uint64_t docs_changed;
	bool explain;
	bool want_counts;            /* --explain or --stats: counts cost time */
	bool reject_invalid;         /* --invalid-utf8 reject */
	sach_encoding out_encoding;  /* text output in a legacy encoding */
	sach_buf encoded;
	uint64_t out_unmapped;
};

static void help(void)
{
	printf("Usage: %s [OPTION]... [FILE]...\n"
	       "Normalise the text of documents: repair UTF-8, decode HTML character\n"
	       "references, remove control and invisible characters, unify spaces and line\n"
	       "breaks, trim lines, cap blank lines, and compose to NFC. Idempotent.\n"
	       "\n"
	       "Normalisation:\n"
	       "      --entities MODE      all (default), numeric or none\n"
	       "      --form FORM          nfc (default), nfkc or none\n"
	       "      --fold-fullwidth     fold fullwidth forms (U+FF01-FF5E, U+FFE0-FFE6)\n"
	       "      --keep-controls      keep control characters\n"
	       "      --keep-invisible     keep invisible format characters\n"
	       "      --keep-spaces        keep non-ASCII spaces and TABs as they are\n"
	       "      --no-collapse        keep runs of spaces\n"
	       "      --no-trim            keep spaces at line ends and blank lines at the\n"
	       "                           start and end of the text\n"
	       "      --keep-newlines      keep CR, CRLF, VT, FF, U+2028 and U+2029\n"
	       "      --max-blank-lines N  blank lines allowed in a row (default 1;\n"
	       "                           -1 = no limit)\n"
	       "      --invalid-utf8 MODE  repair (default: U+FFFD, counted) or reject\n"
	       "                           (the document goes to --rejected)\n"
	       "\n"
	       "Vietnamese layer:\n"
	       "      --tone-style STYLE   keep (default: only fix misplaced and doubled\n"
	       "                           marks), old (hoa with the mark on o) or new\n"
	       "                           (the 2018 rule: mark on a in hoa, on y in thuy)\n"
	       "      --input-encoding ENC decode the text from a legacy encoding first:\n"
	       "                           tcvn3, vni, viscii, vps, viqr, cp1258, cp1252,\n"
	       "                           latin1 (utf-8 = no decoding, the default)\n"
	       "      --output-encoding ENC  write text output in a legacy encoding (same\n"
	       "                           names; needs --output-format text); characters\n"
	       "                           it cannot write become '?', counted\n"
	       "      --repair MODE        auto: detect text that went through a wrong\n"
	       "                           encoding (UTF-8 read as CP1252 or Latin-1, once\n"
	       "                           or twice; TCVN3, VNI, VISCII, VPS, CP1258 bytes;\n"
	       "                           VIQR) per document and per line, and repair it\n"
	       "                           when that makes it more Vietnamese; none\n"
	       "                           (default)\n"
	       "      --no-viet            no mark repairs and no tone placement\n"
	       "\n"
	       "      --explain            add per-document counts to the meta block,\n"
	       "                           \"sach\": {\"normalise\": {...}} (JSONL output)\n"
	       "\n"
	       "%s"
	       "\n"
	       "Exit status: 0 success; 1 data or I/O failure; 2 usage error.\n",
	       tool_name, tool_common_help);
}

static int process(void *ctx, sach_doc *doc, const char **reason)
{
	struct normalise_stage *st = ctx;
	sach_normalise_counts c;
	const char *text, *out;
	size_t len, out_len;
	bool changed;
	int rc;

	memset(&c, 0, sizeof(c));
	text = sach_doc_text(doc, &len);
	/* json-c already made U+FFFD of lone surrogate escapes: count them as
	 * repairs, or reject the document, like invalid UTF-8. */
	if (sach_doc_lone_surrogates(doc)) {
		if (st->reject_invalid) {
			*reason = "invalid-utf8";
			return STAGE_DROP;
		}
		c.utf8_repaired += sach_doc_lone_surrogates(doc);
	}
	rc = sach_normalise_text(st->n, text, len, &out, &out_len, st->want_counts ? &c : NULL,
				 &changed);
	if (rc == SACH_EUTF8) {
		*reason = "invalid-utf8";
		return STAGE_DROP;
	}
	if (rc < 0)
		return rc;
	if (changed) {
		st->docs_changed++;
		if ((rc = sach_doc_set_text(doc, out, out_len)) < 0)
			return rc;
	}
	if (st->out_encoding != SACH_ENC_UTF8) {
		size_t unmapped = 0;

		sach_buf_clear(&st->encoded);
		if ((rc = sach_legacy_encode(st->out_encoding, out, out_len, &st->encoded, &unmapped)) < 0 ||
		    (rc = sach_doc_set_text(doc, st->encoded.ptr ? st->encoded.ptr : "", st->encoded.len)) < 0)
			return rc;
		st->out_unmapped += unmapped;
	}
	{
		uint64_t a[SACH_NORMALISE_COUNT_FIELDS];
		const char *const *names = sach_normalise_count_names();
		int i;

		sach_normalise_counts_array(&c, a);
		if (st->explain) {
			const sach_repair_result *rr = sach_normaliser_last_repair(st->n);

			for (i = 0; i < SACH_NORMALISE_COUNT_FIELDS; i++)
				if ((rc = sach_doc_meta_set_int(doc, "normalise", names[i], (int64_t)a[i])) < 0)
					return rc;
			if (rr->rounds > 0) {
				char how[96];

				/* "tcvn3 read as cp1252", "utf-8 read as cp1252 x2", "vni" */
				snprintf(how, sizeof(how), "%s%s%s%s", sach_encoding_name(rr->source),
					 rr->seen_as != SACH_ENC_UTF8 ? " read as " : "",
					 rr->seen_as != SACH_ENC_UTF8 ? sach_encoding_name(rr->seen_as) : "",
					 rr->rounds > 1 ? " x2" : "");
				if ((rc = sach_doc_meta_set_string(doc, "normalise", "encoding_detected", how)) < 0)
					return rc;
			}
		}
		sach_normalise_counts_add(&st->totals, &c);
	}
	return STAGE_KEEP;
}

static void stats(void *ctx, json_object *into)
{
	struct normalise_stage *st = ctx;
	uint64_t a[SACH_NORMALISE_COUNT_FIELDS];
	const char *const *names = sach_normalise_count_names();
	int i;

	json_object_object_add(into, "docs_changed", json_object_new_int64((int64_t)st->docs_changed));
	if (st->out_encoding != SACH_ENC_UTF8)
		json_object_object_add(into, "output_unmapped", json_object_new_int64((int64_t)st->out_unmapped));
	sach_normalise_counts_array(&st->totals, a);
	for (i = 0; i < SACH_NORMALISE_COUNT_FIELDS; i++)
		json_object_object_add(into, names[i], json_object_new_int64((int64_t)a[i]));
}

enum {
	OPT_ENTITIES = 1, OPT_FORM, OPT_FOLD_FULLWIDTH, OPT_KEEP_CONTROLS, OPT_KEEP_INVISIBLE,
	OPT_KEEP_SPACES, OPT_NO_COLLAPSE, OPT_NO_TRIM, OPT_KEEP_NEWLINES, OPT_MAX_BLANK,
	OPT_INVALID_UTF8, OPT_EXPLAIN, OPT_TONE_STYLE, OPT_INPUT_ENCODING, OPT_NO_VIET,
	OPT_OUTPUT_ENCODING, OPT_REPAIR
};

static const struct option own_options[] = {
	{ "entities", required_argument, NULL, OPT_ENTITIES },
	{ "form", required_argument, NULL, OPT_FORM },
	{ "fold-fullwidth", no_argument, NULL, OPT_FOLD_FULLWIDTH },
	{ "keep-controls", no_argument, NULL, OPT_KEEP_CONTROLS },
	{ "keep-invisible", no_argument, NULL, OPT_KEEP_INVISIBLE },
	{ "keep-spaces", no_argument, NULL, OPT_KEEP_SPACES },
	{ "no-collapse", no_argument, NULL, OPT_NO_COLLAPSE },
	{ "no-trim", no_argument, NULL, OPT_NO_TRIM },
	{ "keep-newlines", no_argument, NULL, OPT_KEEP_NEWLINES },
	{ "max-blank-lines", required_argument, NULL, OPT_MAX_BLANK },
	{ "invalid-utf8", required_argument, NULL, OPT_INVALID_UTF8 },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "tone-style", required_argument, NULL, OPT_TONE_STYLE },
	{ "input-encoding", required_argument, NULL, OPT_INPUT_ENCODING },
	{ "no-viet", no_argument, NULL, OPT_NO_VIET },
	{ "output-encoding", required_argument, NULL, OPT_OUTPUT_ENCODING },
	{ "repair", required_argument, NULL, OPT_REPAIR },
};

int main(int argc, char **argv)
{
	sach_normalise_options o = SACH_NORMALISE_OPTIONS_INIT;
	struct normalise_stage st;
	tool_stage stage = { "normalise", process, stats, &st };
	size_t nown = sizeof(own_options) / sizeof(own_options[0]);
	struct option *longopts;
	tool_common c;
	long v;
	int opt, code;
	bool tone_style_set = false;

	tool_init("sach-normalise");
	tool_common_init(&c);
	memset(&st, 0, sizeof(st));
	longopts = tool_long_options(own_options, nown);

	opterr = 0; /* messages come from tool_getopt_error(), prefixed with the tool's name */
	while ((opt = getopt_long(argc, argv, ":o:q", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_ENTITIES:
			if (strcmp(optarg, "all") == 0)
				o.entities = SACH_ENTITIES_ALL;
			else if (strcmp(optarg, "numeric") == 0)
				o.entities = SACH_ENTITIES_NUMERIC;
			else if (strcmp(optarg, "none") == 0)
				o.entities = SACH_ENTITIES_NONE;
			else
				tool_usage_error("--entities: expected all, numeric or none, not '%s'", optarg);
			break;
		case OPT_FORM:
			if (strcmp(optarg, "nfc") == 0)
				o.form = SACH_NF_NFC;
			else if (strcmp(optarg, "nfkc") == 0)
				o.form = SACH_NF_NFKC;
			else if (strcmp(optarg, "none") == 0)
				o.form = SACH_NF_NONE;
			else
				tool_usage_error("--form: expected nfc, nfkc or none, not '%s'", optarg);
			break;
		case OPT_FOLD_FULLWIDTH: o.fold_fullwidth = true; break;
		case OPT_KEEP_CONTROLS: o.remove_controls = false; break;
		case OPT_KEEP_INVISIBLE: o.remove_invisible = false; break;
		case OPT_KEEP_SPACES: o.map_spaces = false; break;
		case OPT_NO_COLLAPSE: o.collapse_spaces = false; break;
		case OPT_NO_TRIM: o.trim_lines = false; break;
		case OPT_KEEP_NEWLINES: o.unify_newlines = false; break;
		case OPT_MAX_BLANK:
			if (!tool_parse_int(optarg, -1, 1000000, &v))
				tool_usage_error("--max-blank-lines: expected a number from -1, not '%s'", optarg);
			o.max_blank_lines = (int)v;
			break;
		case OPT_INVALID_UTF8:
			if (strcmp(optarg, "repair") == 0)
				o.reject_invalid_utf8 = false;
			else if (strcmp(optarg, "reject") == 0)
				o.reject_invalid_utf8 = true;
			else
				tool_usage_error("--invalid-utf8: expected repair or reject, not '%s'", optarg);
			break;
		case OPT_EXPLAIN: st.explain = true; break;
		case OPT_TONE_STYLE:
			tone_style_set = true;
			if (strcmp(optarg, "keep") == 0)
				o.tone_style = SACH_TONE_STYLE_KEEP;
			else if (strcmp(optarg, "old") == 0)
				o.tone_style = SACH_TONE_STYLE_OLD;
			else if (strcmp(optarg, "new") == 0)
				o.tone_style = SACH_TONE_STYLE_NEW;
			else
				tool_usage_error("--tone-style: expected keep, old or new, not '%s'", optarg);
			break;
		case OPT_INPUT_ENCODING:
			if (sach_encoding_from_name(optarg, &o.input_encoding) < 0)
				tool_usage_error("--input-encoding: unknown encoding '%s'", optarg);
			break;
		case OPT_NO_VIET: o.viet = false; break;
		case OPT_REPAIR:
			if (strcmp(optarg, "auto") == 0)
				o.repair_auto = true;
			else if (strcmp(optarg, "none") == 0)
				o.repair_auto = false;
			else
				tool_usage_error("--repair: expected auto or none, not '%s'", optarg);
			break;
		case OPT_OUTPUT_ENCODING:
			if (sach_encoding_from_name(optarg, &st.out_encoding) < 0)
				tool_usage_error("--output-encoding: unknown encoding '%s'", optarg);
			break;
		case '?':
		case ':':
			tool_getopt_error(opt, argv, longopts);
		default:
			if (!tool_common_option(&c, opt, optarg, help))
				tool_usage_error("invalid option");
		}
	}
	tool_common_finish(&c, argc, argv);
	if (st.explain && c.out_format == SACH_FORMAT_TEXT)
		tool_usage_error("--explain writes a meta block, which needs JSONL output (--output-format jsonl)");
	if (tone_style_set && !o.viet)
		tool_usage_error("--tone-style needs the Vietnamese layer, which --no-viet turns off");
	if (st.out_encoding != SACH_ENC_UTF8 && c.out_format != SACH_FORMAT_TEXT)
		tool_usage_error("--output-encoding needs --output-format text (JSON is UTF-8)");
	/* Text output must stay one document per line or per block. */
	if (c.out_format == SACH_FORMAT_TEXT && c.reader.doc_sep == SACH_DOC_SEP_LINE)
		o.single_line = true;
	if (c.out_format == SACH_FORMAT_TEXT && c.reader.doc_sep == SACH_DOC_SEP_BLANK)
		o.max_blank_lines = 0;
	st.reject_invalid = o.reject_invalid_utf8;
	st.want_counts = st.explain || c.stats_path != NULL;
	if (sach_normaliser_new(&st.n, &o) < 0) {
		tool_warn("%s", sach_error_last());
		return SACH_EXIT_FAILURE;
	}
	code = tool_run(&c, &stage);
	sach_normaliser_free(st.n);
	sach_buf_free(&st.encoded);
	free(longopts);
	return code;
}

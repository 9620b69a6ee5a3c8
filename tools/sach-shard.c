/*
 * sach-shard - writes documents into size-capped .jsonl.zst training shards
 * with deterministic splits, an optional deterministic shuffle and a
 * manifest; --verify re-checks a manifest (see sach/shard.h for the
 * formulas and guarantees).
 */
#define _POSIX_C_SOURCE 200809L
#include "common/tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

struct shard_stage {
	sach_shard_writer *w;
};

static void help(void)
{
	printf("Usage: %s -o DIR [OPTION]... [FILE]...\n"
	       "  or:  %s --verify MANIFEST\n"
	       "Write documents into training shards DIR/SPLIT-00000-of-00012.jsonl.zst\n"
	       "(JSON Lines in zstd, loadable as they are by datasets.load_dataset(\"json\"))\n"
	       "and DIR/manifest.json (config and its hash, inputs, and per shard:\n"
	       "documents, bytes, syllables, XXH3-64 checksum; totals per split).\n"
	       "Same input and options give identical bytes.\n"
	       "\n"
	       "Shards:\n"
	       "  -o, --output-dir DIR     output directory (created if missing; must be\n"
	       "                           empty unless --overwrite or --resume)\n"
	       "      --max-bytes SIZE     cap on the UNCOMPRESSED JSONL bytes of a shard\n"
	       "                           (default 256M; K, M, G suffixes); a larger\n"
	       "                           document gets a shard of its own\n"
	       "      --level N            zstd level 1-19 (default 3)\n"
	       "      --threads N          zstd threads per shard, 1-64 (default: one per\n"
	       "                           core); the shard bytes are the same for every N\n"
	       "      --split SPEC         NAME=FRACTION,... (default train=1); a document\n"
	       "                           goes by XXH3-64 of its id, seed 0x73616368\n"
	       "      --shuffle-seed N     shuffle each split by XXH3-64 of the id with\n"
	       "                           seed N (external sort: bounded memory, spill\n"
	       "                           files in DIR/.sach-shard.tmp/)\n"
	       "      --shuffle-memory SIZE  memory for the shuffle before it spills\n"
	       "                           (default 256M; the output does not depend on it)\n"
	       "      --name NAME          dataset name in the manifest (default: DIR's name)\n"
	       "      --dataset-version V  dataset version in the manifest (default 0)\n"
	       "      --timestamp          add \"created\" (UTC) to the manifest; off by\n"
	       "                           default so the manifest is reproducible\n"
	       "      --overwrite          replace the shards and manifest of an earlier run\n"
	       "                           in DIR (other files are left alone)\n"
	       "      --resume             finish an interrupted run (it starts again); a\n"
	       "                           DIR already complete for this config and these\n"
	       "                           inputs is left as it is\n"
	       "      --verify MANIFEST    re-check every shard MANIFEST lists (existence,\n"
	       "                           size, checksum, documents); name each mismatch\n"
	       "\n"
	       "%s"
	       "\n"
	       "Exit status: 0 success (--verify: all shards match); 1 data or I/O\n"
	       "failure (--verify: a mismatch); 2 usage error, or DIR not empty.\n",
	       tool_name, tool_name, tool_common_help);
}

static int process(void *ctx, sach_doc *doc, const char **reason)
{
	struct shard_stage *st = ctx;
	int rc = sach_shard_writer_add(st->w, doc);

	(void)reason;
	/* A failure here is the shards' (a write error), never the record's:
	 * stop the run instead of counting a bad record. */
	if (rc < 0)
		return rc == SACH_ENOMEM ? rc : SACH_ERROR;
	return STAGE_KEEP;
}

static int finish(void *ctx)
{
	struct shard_stage *st = ctx;

	return sach_shard_writer_finish(st->w);
}

static void stats(void *ctx, json_object *into)
{
	struct shard_stage *st = ctx;
	size_t i, n = sach_shard_writer_nsplits(st->w);
	json_object *splits = json_object_new_object();

	for (i = 0; i < n; i++) {
		sach_shard_totals t;
		json_object *o = json_object_new_object();

		sach_shard_writer_totals(st->w, i, &t);
		json_object_object_add(o, "shards", json_object_new_int64((int64_t)t.shards));
		json_object_object_add(o, "documents", json_object_new_int64((int64_t)t.documents));
		json_object_object_add(o, "bytes", json_object_new_int64((int64_t)t.bytes));
		json_object_object_add(o, "compressed_bytes",
				       json_object_new_int64((int64_t)t.compressed_bytes));
		json_object_object_add(o, "syllables", json_object_new_int64((int64_t)t.syllables));
		json_object_object_add(splits, t.name, o);
	}
	json_object_object_add(into, "splits", splits);
}

struct verify_report {
	const char *manifest;
};

static void report(void *ctx, const char *file, const char *problem)
{
	struct verify_report *r = ctx;

	if (strcmp(file, r->manifest) == 0)
		tool_warn("%s: %s", file, problem);
	else
		tool_warn("%s: %s: %s", r->manifest, file, problem);
}

static int verify(const char *arg, bool quiet)
{
	struct verify_report r;
	struct stat sb;
	uint64_t problems = 0, shards = 0;
	char *path = NULL;
	int rc;

	/* A directory stands for its manifest. */
	if (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		path = malloc(strlen(arg) + sizeof(SACH_SHARD_MANIFEST) + 2);
		if (!path) {
			tool_warn("out of memory");
			return SACH_EXIT_FAILURE;
		}
		sprintf(path, "%s/%s", arg, SACH_SHARD_MANIFEST);
		arg = path;
	}
	r.manifest = arg;
	rc = sach_shard_verify(arg, report, &r, &problems, &shards);
	if (rc < 0) {
		tool_warn("%s", sach_error_last());
		free(path);
		return SACH_EXIT_FAILURE;
	}
	if (problems) {
		tool_warn("%s: %llu problem%s in %llu shard%s", arg, (unsigned long long)problems,
			  problems == 1 ? "" : "s", (unsigned long long)shards, shards == 1 ? "" : "s");
		free(path);
		return SACH_EXIT_FAILURE;
	}
	if (!quiet)
		printf("%s: %llu shard%s OK\n", arg, (unsigned long long)shards, shards == 1 ? "" : "s");
	free(path);
	return fflush(stdout) == 0 && !ferror(stdout) ? SACH_EXIT_OK : SACH_EXIT_FAILURE;
}

enum {
	OPT_MAX_BYTES = 1, OPT_SPLIT, OPT_SHUFFLE_SEED, OPT_SHUFFLE_MEMORY, OPT_NAME,
	OPT_DATASET_VERSION, OPT_RESUME, OPT_OVERWRITE, OPT_VERIFY, OPT_TIMESTAMP, OPT_THREADS
};

static const struct option own_options[] = {
	{ "output-dir", required_argument, NULL, 'o' },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "split", required_argument, NULL, OPT_SPLIT },
	{ "shuffle-seed", required_argument, NULL, OPT_SHUFFLE_SEED },
	{ "shuffle-memory", required_argument, NULL, OPT_SHUFFLE_MEMORY },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "dataset-version", required_argument, NULL, OPT_DATASET_VERSION },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "overwrite", no_argument, NULL, OPT_OVERWRITE },
	{ "verify", required_argument, NULL, OPT_VERIFY },
	{ "timestamp", no_argument, NULL, OPT_TIMESTAMP },
	{ "threads", required_argument, NULL, OPT_THREADS },
};

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		return false;
	*out = v;
	return true;
}

/* Checksums of the inputs for the manifest (regular files are read once
 * more for this; stdin and pipes get no checksum). */
static int record_inputs(const tool_common *c, sach_shard_input **out)
{
	sach_shard_input *v = calloc((size_t)c->ninputs, sizeof(*v));
	int i;

	*out = v;
	if (!v)
		return SACH_ENOMEM;
	for (i = 0; i < c->ninputs; i++) {
		v[i].path = strcmp(c->inputs[i], "-") == 0 ? "<stdin>" : c->inputs[i];
		/* An unreadable input is reported by the record loop, under the
		 * error policy; here it only goes without a checksum. */
		if (sach_shard_hash_file(c->inputs[i], &v[i].bytes, &v[i].xxh3, &v[i].has_xxh3) < 0)
			v[i].has_xxh3 = false;
	}
	return SACH_OK;
}

int main(int argc, char **argv)
{
	sach_shard_options o = SACH_SHARD_OPTIONS_INIT;
	struct shard_stage st;
	tool_stage stage = { "shard", process, stats, &st };
	size_t nown = sizeof(own_options) / sizeof(own_options[0]);
	sach_shard_split *splits = NULL;
	sach_shard_input *inputs = NULL;
	struct option *longopts;
	const char *verify_path = NULL;
	size_t nsplits = 0, size;
	tool_common c;
	int opt, code, rc, i;
	bool resume = false, overwrite = false;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = cpus < 1 ? 1 : cpus > 64 ? 64 : (int)cpus;

	tool_init("sach-shard");
	tool_common_init(&c);
	/* Shards are zstd whatever -o is called; --level applies to them. */
	c.compress = SACH_COMPRESS_ZSTD;
	c.compress_set = true;
	c.output = NULL;
	memset(&st, 0, sizeof(st));
	longopts = tool_long_options(own_options, nown);

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:q", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_MAX_BYTES:
			if (!tool_parse_size(optarg, &size) || size == 0)
				tool_usage_error("--max-bytes: expected a size above 0, not '%s'", optarg);
			o.max_bytes = size;
			break;
		case OPT_SPLIT:
			sach_shard_splits_free(splits);
			if (sach_shard_parse_splits(optarg, &splits, &nsplits) < 0)
				tool_usage_error("--split: %s", sach_error_last());
			break;
		case OPT_SHUFFLE_SEED:
			if (!parse_u64(optarg, &o.shuffle_seed))
				tool_usage_error("--shuffle-seed: expected a number from 0 to 2^64-1, not '%s'",
						 optarg);
			o.shuffle = true;
			break;
		case OPT_SHUFFLE_MEMORY:
			if (!tool_parse_size(optarg, &size) || size == 0)
				tool_usage_error("--shuffle-memory: expected a size above 0, not '%s'", optarg);
			o.shuffle_memory = size;
			break;
		case OPT_NAME:
			if (!*optarg)
				tool_usage_error("--name: empty name");
			o.dataset_name = optarg;
			break;
		case OPT_DATASET_VERSION:
			if (!*optarg)
				tool_usage_error("--dataset-version: empty version");
			o.dataset_version = optarg;
			break;
		case OPT_RESUME: resume = true; break;
		case OPT_OVERWRITE: overwrite = true; break;
		case OPT_VERIFY: verify_path = optarg; break;
		case OPT_TIMESTAMP: o.timestamp = true; break;
		case OPT_THREADS: {
			long t;

			if (!tool_parse_int(optarg, 1, 64, &t))
				tool_usage_error("--threads: expected a number from 1 to 64, not '%s'", optarg);
			threads = (int)t;
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
	if (verify_path) {
		if (optind < argc || c.output)
			tool_usage_error("--verify takes a manifest and no inputs or -o");
		code = verify(verify_path, c.quiet);
		free(longopts);
		sach_shard_splits_free(splits);
		return code;
	}
	if (!c.output)
		tool_usage_error("no output directory (-o DIR)");
	if (strcmp(c.output, "-") == 0)
		tool_usage_error("shards go to a directory, not to stdout");
	if (resume && overwrite)
		tool_usage_error("--resume and --overwrite exclude each other");
	tool_common_finish(&c, argc, argv);
	if (c.compress != SACH_COMPRESS_ZSTD)
		tool_usage_error("--compress: shards are always zstd");
	if (c.out_format != SACH_FORMAT_JSONL)
		tool_usage_error("--output-format: shards are always JSON Lines");

	o.level = c.level;
	o.threads = threads;
	o.splits = splits;
	o.nsplits = nsplits;
	o.existing = overwrite ? SACH_SHARD_OVERWRITE : resume ? SACH_SHARD_RESUME : SACH_SHARD_REFUSE;
	if (record_inputs(&c, &inputs) < 0) {
		tool_warn("out of memory");
		return SACH_EXIT_FAILURE;
	}
	if (resume && sach_shard_is_complete(c.output, &o, inputs, (size_t)c.ninputs) == 1) {
		if (!c.quiet)
			tool_warn("%s: already complete for this config and these inputs", c.output);
		code = SACH_EXIT_OK;
		goto out;
	}
	rc = sach_shard_writer_open(&st.w, c.output, &o);
	if (rc == SACH_EINVAL) {
		if (strstr(sach_error_last(), "not empty"))
			tool_usage_error("%s; --overwrite replaces an earlier run, --resume finishes an "
					 "interrupted one", sach_error_last());
		if (strstr(sach_error_last(), "finished run"))
			tool_usage_error("%s; --overwrite replaces it", sach_error_last());
		tool_usage_error("%s", sach_error_last());
	}
	if (rc < 0) {
		tool_warn("%s", sach_error_last());
		code = SACH_EXIT_FAILURE;
		goto out;
	}
	for (i = 0; i < c.ninputs; i++) {
		if (sach_shard_writer_add_input(st.w, &inputs[i]) < 0) {
			tool_warn("%s", sach_error_last());
			code = SACH_EXIT_FAILURE;
			goto out;
		}
	}
	code = tool_run_sink(&c, &stage, finish);
out:
	sach_shard_writer_free(st.w);
	sach_shard_splits_free(splits);
	free(inputs);
	free(longopts);
	return code;
}

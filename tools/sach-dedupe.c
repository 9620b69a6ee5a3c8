/*
 * sach-dedupe - exact, repeated-line and near-duplicate removal (see
 * sach/dedupe.h for the stages, the ordinal and the order of operations).
 *
 *   sach-dedupe [OPTION]... [FILE]...           all three stages in one run
 *   sach-dedupe sign --part K -o SIG [FILE]     stage 1, one input part
 *   sach-dedupe cluster -o DROP SIG...          stage 2
 *   sach-dedupe apply --part K --drop-list DROP [FILE]   stage 3
 *
 * The one-shot run is the stages with input file i as part i and the files
 * between them in a temporary directory, so the two ways cannot disagree.
 * It reads its input twice; stdin is first copied to that directory.
 * When only exact duplicates are asked for (--no-near --no-lines, no index,
 * no cluster info), it makes two passes of its own instead: pre-keys on
 * worker threads, then the record loop, which computes fold keys only for
 * the documents that share a pre-key and writes every other kept record
 * as its raw bytes (--exact-one-pass: one read, a fold key for every
 * document, decided as it arrives). Same keys, same kept documents, same
 * bytes as the stages; the CLI tests compare them.
 */
#define _POSIX_C_SOURCE 200809L
#include "common/tool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CMD_ALL, CMD_SIGN, CMD_CLUSTER, CMD_APPLY };

struct dedupe {
	int cmd;
	sach_dedupe_params p;
	sach_dedupe_cluster_options co;
	sach_dedupe_cluster_stats cs;
	unsigned min_words;
	long part;
	const char *drop_list;
	const char *tmp_base;
	char *tmp;                   /* one-shot: our temporary directory */
	/* apply */
	sach_dedupe_applier *ap;
	const tool_common *c;
	int cur;                     /* input whose part is open (one-shot) */
	uint64_t last_line;
	sach_dedupe_apply_stats as;  /* over all parts */
	/* exact only */
	sach_dedupe_exact_set *xs;
	sach_dedupe_prekey_set *ps;  /* two passes: the first pass's groups */
	uint64_t ord;                /* two passes: ordinal of the next document */
	uint64_t records;            /* two passes: records of the first pass */
	uint64_t as_read_kept;       /* two passes: kept and written as read */
	uint64_t uniform_decided;    /* two passes: members decided by text hash */
	uint64_t *as_read;           /* two passes: per record, 1 = valid and written
					back as read when kept (a bit per record) */
	size_t as_read_words;
	bool one_pass;               /* --exact-one-pass */
	sach_buf xfold;
	bool over_budget;
	unsigned threads;            /* --threads (0: online CPUs) */
};

static void help(void)
{
	printf("Usage: %s [OPTION]... [FILE]...\n"
	       "  or:  %s sign --part K -o SIG [OPTION]... [FILE]\n"
	       "  or:  %s cluster -o DROP [OPTION]... SIG...\n"
	       "  or:  %s apply --part K --drop-list DROP [OPTION]... [FILE]\n"
	       "Remove duplicate documents and repeated lines, deterministically: exact\n"
	       "duplicates (same fold key: tone style, i/y, case and spaces folded), near\n"
	       "duplicates (MinHash over syllable shingles, LSH, union-find), and lines found\n"
	       "in many documents. Of each group the first document in input order is kept;\n"
	       "the others go to --rejected naming it (\"duplicate_of\").\n"
	       "\n"
	       "Stages (for splitting the work): 'sign' writes keys and signatures of one\n"
	       "input part; 'cluster' reads every signature file and writes the drop list;\n"
	       "'apply' writes the kept documents of one part. Parts are numbered in corpus\n"
	       "order (--part); the concatenated outputs equal one run over the parts.\n"
	       "\n"
	       "Keys (sign, one-shot):\n"
	       "      --no-exact           no exact duplicates\n"
	       "      --no-near            no near duplicates\n"
	       "      --no-lines           no repeated-line removal\n"
	       "      --paragraphs         repeated paragraphs (blank-line blocks), not lines\n"
	       "      --skeleton           shingle text without diacritics (catches copies\n"
	       "                           whose accents were stripped)\n"
	       "      --shingle N          syllables per shingle (default 5)\n"
	       "      --bands N            LSH bands (default 14)\n"
	       "      --rows N             hashes per band (default 8; 14 x 8 = 112 hashes:\n"
	       "                           candidates at 50%% chance for Jaccard 0.69)\n"
	       "      --jaccard T          confirm candidates whose exact shingle Jaccard is\n"
	       "                           at least T (stores shingle sets; default off)\n"
	       "      --seed N             MinHash seed (default 23236)\n"
	       "      --part K             sign/apply: the part number (0, 1, ...)\n"
	       "\n"
	       "Clustering (cluster, one-shot):\n"
	       "      --mem SIZE           memory budget (default 2G; K, M, G suffixes);\n"
	       "                           about %d bytes per document plus its id\n"
	       "      --line-min-docs N    remove lines found in N or more kept documents\n"
	       "                           (default 10)\n"
	       "      --keep-cluster-info  write \"dedupe\": {\"cluster\", \"cluster_size\"} into\n"
	       "                           the meta block of cluster members\n"
	       "      --index DIR          drop documents that duplicate the index in DIR\n"
	       "      --update-index       add the kept documents to the index\n"
	       "      --tmp-dir DIR        temporary files (default $TMPDIR or /tmp)\n"
	       "\n"
	       "Applying (apply, one-shot):\n"
	       "      --drop-list FILE     apply: the drop list written by cluster\n"
	       "      --min-words N        drop a document left with fewer words after line\n"
	       "                           removal (default 5)\n"
	       "\n"
	       "Speed:\n"
	       "      --threads N          threads that compute keys (sign, one-shot; default:\n"
	       "                           the online CPUs; 1 = no worker threads); the output\n"
	       "                           is the same bytes for every N\n"
	       "      --exact-one-pass     exact only: compute every fold key in one read\n"
	       "                           (default: a cheap pre-key pass first, then fold\n"
	       "                           keys only for documents that share a pre-key)\n"
	       "\n"
	       "%s"
	       "\n"
	       "Exit status: 0 success; 1 data or I/O failure (also a corrupt signature,\n"
	       "drop list or index); 2 usage error, or files built with other parameters,\n"
	       "or over the memory budget.\n",
	       tool_name, tool_name, tool_name, tool_name, SACH_DEDUPE_BYTES_PER_DOC, tool_common_help);
}

enum {
	OPT_NO_EXACT = 1, OPT_NO_NEAR, OPT_NO_LINES, OPT_PARAGRAPHS, OPT_SKELETON, OPT_SHINGLE,
	OPT_BANDS, OPT_ROWS, OPT_JACCARD, OPT_SEED, OPT_PART, OPT_MEM, OPT_LINE_MIN, OPT_CLUSTER_INFO,
	OPT_INDEX, OPT_UPDATE_INDEX, OPT_TMP_DIR, OPT_DROP_LIST, OPT_MIN_WORDS, OPT_THREADS,
	OPT_ONE_PASS
};

static const struct option own_options[] = {
	{ "no-exact", no_argument, NULL, OPT_NO_EXACT },
	{ "no-near", no_argument, NULL, OPT_NO_NEAR },
	{ "no-lines", no_argument, NULL, OPT_NO_LINES },
	{ "paragraphs", no_argument, NULL, OPT_PARAGRAPHS },
	{ "skeleton", no_argument, NULL, OPT_SKELETON },
	{ "shingle", required_argument, NULL, OPT_SHINGLE },
	{ "bands", required_argument, NULL, OPT_BANDS },
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "jaccard", required_argument, NULL, OPT_JACCARD },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "part", required_argument, NULL, OPT_PART },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "line-min-docs", required_argument, NULL, OPT_LINE_MIN },
	{ "keep-cluster-info", no_argument, NULL, OPT_CLUSTER_INFO },
	{ "index", required_argument, NULL, OPT_INDEX },
	{ "update-index", no_argument, NULL, OPT_UPDATE_INDEX },
	{ "tmp-dir", required_argument, NULL, OPT_TMP_DIR },
	{ "drop-list", required_argument, NULL, OPT_DROP_LIST },
	{ "min-words", required_argument, NULL, OPT_MIN_WORDS },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "exact-one-pass", no_argument, NULL, OPT_ONE_PASS },
};

/* Exit code for a library failure: a parameter or budget problem is a
 * configuration error (2), everything else a data or I/O failure (1). */
static int fail_code(int rc)
{
	return rc == SACH_ECONFIG ? SACH_EXIT_USAGE : SACH_EXIT_FAILURE;
}

static int lib_fail(int rc)
{
	tool_warn("%s", sach_error_last());
	return fail_code(rc);
}

/* ---- batches of documents for worker threads ---- */

/*
 * The reading thread (main) copies documents into batches; workers compute
 * keys for whole batches; the main thread hands the results on (to the
 * signer, to the pre-key set) strictly in batch order, so the files and
 * the decisions do not depend on the number of threads. At most NBATCH
 * batches are in flight, each of at most BATCH_DOCS documents or
 * BATCH_BYTES bytes of text, which bounds the memory. With one thread
 * there are no workers: the main thread computes each batch itself.
 */
#define BATCH_DOCS 256
#define BATCH_BYTES ((size_t)4 << 20)

enum { B_FREE, B_READY, B_DONE };

struct item {
	uint64_t line;
	const char *ptr;             /* the text where it lies, or NULL: */
	size_t toff, tlen, ioff;     /* text and id in the batch's buffers */
	size_t koff, klen;           /* the computed keys */
	bool bad;                    /* a record the reader already refused */
};

struct batch {
	int state;
	size_t n, cap, bytes;
	struct item *items;
	sach_buf text, ids, keys;
	const char *source;          /* of every document in the batch */
	int rc;                      /* a worker's failure, with its message */
	char err[512];
	uint64_t err_line;
};

struct pool {
	unsigned nworkers, nb;
	pthread_t *th;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct batch *b;
	uint64_t filled, claimed, drained;  /* batch sequence numbers */
	bool quit, started;
	int (*compute)(void *wctx, struct batch *b, size_t i);
	void **wctx;                 /* one per worker, and [nworkers] for main */
	int (*drain)(void *ctx, struct batch *b);
	void *dctx;
};

/* Computes every document of a batch; on failure keeps the message. */
static void compute_batch(struct pool *pl, void *wctx, struct batch *b)
{
	size_t i;
	int rc;

	b->rc = 0;
	sach_buf_clear(&b->keys);
	for (i = 0; i < b->n; i++) {
		b->items[i].koff = b->keys.len;
		if ((rc = pl->compute(wctx, b, i)) < 0) {
			b->rc = rc;
			b->err_line = b->items[i].line;
			snprintf(b->err, sizeof(b->err), "%s", sach_error_last());
			return;
		}
		b->items[i].klen = b->keys.len - b->items[i].koff;
	}
}

struct worker_arg {
	struct pool *pl;
	unsigned k;
};

static void *worker(void *arg)
{
	struct worker_arg *wa = arg;
	struct pool *pl = wa->pl;
	struct batch *b;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->quit && pl->claimed == pl->filled)
			pthread_cond_wait(&pl->work, &pl->mu);
		if (pl->claimed == pl->filled)
			break; /* quit, and nothing left to do */
		b = &pl->b[pl->claimed++ % pl->nb];
		pthread_mutex_unlock(&pl->mu);
		compute_batch(pl, pl->wctx[wa->k], b);
		pthread_mutex_lock(&pl->mu);
		b->state = B_DONE;
		pthread_cond_broadcast(&pl->done);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

static struct worker_arg *pool_args;

/* threads 1: no workers. wctx must have max(threads, 1) + 1 entries. */
static int pool_start(struct pool *pl, unsigned threads,
		      int (*compute)(void *, struct batch *, size_t), void **wctx,
		      int (*drain)(void *, struct batch *), void *dctx)
{
	unsigned i;

	memset(pl, 0, sizeof(*pl));
	pl->nworkers = threads > 1 ? threads : 0;
	pl->nb = pl->nworkers ? 2 * pl->nworkers + 2 : 1;
	pl->compute = compute;
	pl->wctx = wctx;
	pl->drain = drain;
	pl->dctx = dctx;
	if (!(pl->b = calloc(pl->nb, sizeof(*pl->b))))
		return -1;
	if (!pl->nworkers)
		return 0;
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->work, NULL);
	pthread_cond_init(&pl->done, NULL);
	pl->started = true;
	pl->th = calloc(pl->nworkers, sizeof(*pl->th));
	pool_args = calloc(pl->nworkers, sizeof(*pool_args));
	if (!pl->th || !pool_args)
		return -1;
	for (i = 0; i < pl->nworkers; i++) {
		pool_args[i].pl = pl;
		pool_args[i].k = i;
		if (pthread_create(&pl->th[i], NULL, worker, &pool_args[i]) != 0) {
			pl->nworkers = i;
			return -1;
		}
	}
	return 0;
}

/* Drains the oldest batch in flight (waiting for it); the drain's result. */
static int pool_drain_one(struct pool *pl)
{
	struct batch *b = &pl->b[pl->drained % pl->nb];
	int rc;

	pthread_mutex_lock(&pl->mu);
	while (b->state != B_DONE)
		pthread_cond_wait(&pl->done, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	rc = pl->drain(pl->dctx, b);
	b->state = B_FREE;
	b->n = 0;
	b->bytes = 0;
	sach_buf_clear(&b->text);
	sach_buf_clear(&b->ids);
	pl->drained++;
	return rc;
}

/* Hands the batch being filled to the workers (or computes and drains it
 * at once with no workers). */
static int pool_submit(struct pool *pl)
{
	struct batch *b = &pl->b[pl->filled % pl->nb];
	int rc;

	if (b->n == 0)
		return 0;
	if (!pl->nworkers) {
		compute_batch(pl, pl->wctx[0], b);
		rc = pl->drain(pl->dctx, b);
		b->n = 0;
		b->bytes = 0;
		sach_buf_clear(&b->text);
		sach_buf_clear(&b->ids);
		return rc;
	}
	pthread_mutex_lock(&pl->mu);
	b->state = B_READY;
	pl->filled++;
	pthread_cond_signal(&pl->work);
	pthread_mutex_unlock(&pl->mu);
	/* the next slot must be free before it is filled */
	while (pl->filled - pl->drained >= pl->nb)
		if ((rc = pool_drain_one(pl)) < 0)
			return rc;
	return 0;
}

/* A new item at the end of the batch being filled, in *out (submitting
 * the batch first when the source changes); the submit's failure or
 * SACH_ENOMEM. */
static int pool_next_item(struct pool *pl, const char *source, struct item **out)
{
	struct batch *b = &pl->b[pl->filled % pl->nb];
	struct item *it;
	int rc;

	if (b->n && b->source != source && (rc = pool_submit(pl)) < 0)
		return rc;
	b = &pl->b[pl->filled % pl->nb];
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct item *v = realloc(b->items, cap * sizeof(*v));

		if (!v)
			return SACH_ENOMEM;
		b->items = v;
		b->cap = cap;
	}
	it = &b->items[b->n];
	memset(it, 0, sizeof(*it));
	it->toff = b->text.len;
	it->ioff = b->ids.len;
	b->source = source;
	*out = it;
	return 0;
}

/* Counts the item in and submits the batch when it is full. */
static int pool_item_done(struct pool *pl, size_t len)
{
	struct batch *b = &pl->b[pl->filled % pl->nb];

	b->n++;
	b->bytes += len;
	if (b->n >= BATCH_DOCS || b->bytes >= BATCH_BYTES)
		return pool_submit(pl);
	return 0;
}

static int pool_add(struct pool *pl, const char *source, uint64_t line, const char *id,
		    const char *text, size_t len)
{
	struct item *it;
	struct batch *b;
	int rc;

	if ((rc = pool_next_item(pl, source, &it)) < 0)
		return rc;
	b = &pl->b[pl->filled % pl->nb];
	it->line = line;
	it->tlen = len;
	if ((rc = sach_buf_append(&b->text, text ? text : "", len)) < 0 ||
	    (rc = sach_buf_append(&b->ids, id ? id : "", id ? strlen(id) + 1 : 1)) < 0)
		return rc;
	return pool_item_done(pl, len);
}

/* A raw record: referred to where it lies when `stable` (a mapped input),
 * else copied; a bad one carries no bytes. */
static int pool_add_record(struct pool *pl, const char *source, uint64_t line, const char *raw,
			   size_t len, bool stable, bool bad)
{
	struct item *it;
	struct batch *b;
	int rc;

	if ((rc = pool_next_item(pl, source, &it)) < 0)
		return rc;
	b = &pl->b[pl->filled % pl->nb];
	it->line = line;
	it->bad = bad;
	it->tlen = bad ? 0 : len;
	if (!bad && stable)
		it->ptr = raw;
	else if (!bad && (rc = sach_buf_append(&b->text, raw, len)) < 0)
		return rc;
	return pool_item_done(pl, it->tlen);
}

/* Submits what is left and drains everything. */
static int pool_finish(struct pool *pl)
{
	int rc;

	if ((rc = pool_submit(pl)) < 0)
		return rc;
	while (pl->drained < pl->filled)
		if ((rc = pool_drain_one(pl)) < 0)
			return rc;
	return 0;
}

/* Stops the workers (after finishing what they hold) and frees the pool. */
static void pool_stop(struct pool *pl)
{
	unsigned i;

	if (pl->started) {
		pthread_mutex_lock(&pl->mu);
		pl->quit = true;
		pthread_cond_broadcast(&pl->work);
		pthread_mutex_unlock(&pl->mu);
		for (i = 0; i < pl->nworkers; i++)
			pthread_join(pl->th[i], NULL);
		pthread_mutex_destroy(&pl->mu);
		pthread_cond_destroy(&pl->work);
		pthread_cond_destroy(&pl->done);
	}
	for (i = 0; pl->b && i < pl->nb; i++) {
		free(pl->b[i].items);
		sach_buf_free(&pl->b[i].text);
		sach_buf_free(&pl->b[i].ids);
		sach_buf_free(&pl->b[i].keys);
	}
	free(pl->b);
	free(pl->th);
	free(pool_args);
	pool_args = NULL;
	memset(pl, 0, sizeof(*pl));
}

static unsigned nthreads(const struct dedupe *d)
{
	return d->threads ? d->threads : online_cpus();
}

/* ---- sign ---- */

static int sign_compute(void *wctx, struct batch *b, size_t i)
{
	const struct item *it = &b->items[i];

	return sach_dedupe_keyer_keys(wctx, b->text.ptr + it->toff, it->tlen, &b->keys);
}

struct sign_drain {
	sach_dedupe_signer *s;
	uint64_t *docs;
};

static int sign_drain(void *ctx, struct batch *b)
{
	struct sign_drain *sd = ctx;
	size_t i;
	int rc;

	if (b->rc < 0) {
		tool_warn("%s:%llu: %s", b->source, (unsigned long long)b->err_line, b->err);
		return b->rc;
	}
	for (i = 0; i < b->n; i++) {
		const struct item *it = &b->items[i];

		if ((rc = sach_dedupe_signer_add_keys(sd->s, it->line, b->ids.ptr + it->ioff,
						      b->keys.ptr + it->koff, it->klen)) < 0) {
			tool_warn("%s:%llu: %s", b->source, (unsigned long long)it->line,
				  sach_error_last());
			return rc;
		}
		(*sd->docs)++;
	}
	return 0;
}

/*
 * Signs one input as part `part`. Bad records are not signed: under
 * --on-error fail the run stops; otherwise they are left for apply, which
 * meets them again and accounts for them under the same policy.
 */
static int sign_input(const struct dedupe *d, const tool_common *c, const char *path,
		      const char *sig, uint32_t part, bool quiet_bad, uint64_t *docs, uint64_t *bad)
{
	sach_dedupe_signer *s = NULL;
	sach_reader *rd = NULL;
	sach_doc *doc;
	const char *text;
	size_t len;
	unsigned nt = nthreads(d), i, nk = (nt > 1 ? nt : 0) + 1;
	void **keyers = calloc(nk, sizeof(void *));
	struct sign_drain sd;
	struct pool pl;
	int rc, code = SACH_EXIT_FAILURE;

	memset(&pl, 0, sizeof(pl));
	if (!keyers) {
		tool_warn("out of memory");
		return SACH_EXIT_FAILURE;
	}
	for (i = 0; i < nk; i++) {
		if ((rc = sach_dedupe_keyer_new((sach_dedupe_keyer **)&keyers[i], &d->p)) < 0) {
			code = lib_fail(rc);
			goto out;
		}
	}
	if ((rc = sach_dedupe_signer_open(&s, sig, &d->p, part,
					  sach_compression_from_path(sig) == SACH_COMPRESS_ZSTD)) < 0) {
		code = lib_fail(rc);
		goto out;
	}
	if ((rc = sach_reader_open(&rd, path, &c->reader)) < 0) {
		code = lib_fail(rc);
		goto out;
	}
	sd.s = s;
	sd.docs = docs;
	if (pool_start(&pl, nt, sign_compute, keyers, sign_drain, &sd) < 0) {
		tool_warn("cannot start worker threads: %s", strerror(errno));
		goto out;
	}
	while ((rc = sach_reader_next(rd, &doc)) != 0) {
		if (rc == SACH_EIO || rc == SACH_ECORRUPT || rc == SACH_ENOMEM) {
			if (c->on_error == ON_ERROR_FAIL || rc == SACH_ENOMEM || !quiet_bad) {
				tool_warn("%s; input from line %llu on is lost", sach_error_last(),
					  (unsigned long long)sach_reader_line(rd) + 1);
				goto out;
			}
			break; /* apply meets the same loss and reports it */
		}
		if (rc < 0) {
			(*bad)++;
			if (c->on_error == ON_ERROR_FAIL) {
				tool_warn("%s", sach_error_last());
				goto out;
			}
			continue;
		}
		text = sach_doc_text(doc, &len);
		/* the source name lives as long as the reader */
		if ((rc = pool_add(&pl, sach_doc_source(doc), sach_doc_line(doc), sach_doc_id(doc),
				   text, len)) < 0) {
			if (rc == SACH_ENOMEM)
				tool_warn("out of memory");
			goto out;
		}
	}
	if (pool_finish(&pl) < 0)
		goto out;
	pool_stop(&pl);
	sach_reader_close(rd);
	rd = NULL;
	rc = sach_dedupe_signer_commit(s);
	s = NULL;
	code = rc < 0 ? lib_fail(rc) : 0;
out:
	pool_stop(&pl);
	sach_reader_close(rd);
	sach_dedupe_signer_abort(s);
	for (i = 0; i < nk; i++)
		sach_dedupe_keyer_free(keyers[i]);
	free(keyers);
	return code;
}

static int write_json(const char *path, json_object *o)
{
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							     JSON_C_TO_STRING_SPACED |
							     JSON_C_TO_STRING_NOSLASHESCAPE);
	sach_writer *w = NULL;
	sach_writer_options wo = SACH_WRITER_OPTIONS_INIT;

	if (sach_writer_open(&w, path, &wo) < 0 || sach_writer_write(w, text, strlen(text)) < 0 ||
	    sach_writer_write(w, "\n", 1) < 0) {
		tool_warn("%s", sach_error_last());
		sach_writer_abort(w);
		return SACH_EXIT_FAILURE;
	}
	if (sach_writer_commit(w) < 0) {
		tool_warn("%s", sach_error_last());
		return SACH_EXIT_FAILURE;
	}
	return 0;
}

#define JI(o, k, v) json_object_object_add((o), (k), json_object_new_int64((int64_t)(v)))

static void cluster_json(const struct dedupe *d, json_object *o)
{
	JI(o, "documents", d->cs.docs);
	JI(o, "index_documents", d->cs.index_docs);
	JI(o, "exact_duplicates", d->cs.exact);
	JI(o, "near_duplicates", d->cs.near);
	JI(o, "exact_duplicates_of_index", d->cs.exact_index);
	JI(o, "near_duplicates_of_index", d->cs.near_index);
	JI(o, "clusters", d->cs.clusters);
	JI(o, "candidates_rejected", d->cs.candidates_rejected);
	JI(o, "line_keys", d->cs.line_keys);
	JI(o, "repeated_lines", d->cs.repeated_lines);
	JI(o, "spill_runs", d->cs.spill_runs);
	JI(o, "index_written", d->cs.index_written);
	JI(o, "peak_bytes", d->cs.peak_bytes);
}

static int cmd_sign(struct dedupe *d, tool_common *c)
{
	uint64_t docs = 0, bad = 0;
	int code;

	if (d->part < 0)
		tool_usage_error("sign needs --part K");
	if (strcmp(c->output, "-") == 0)
		tool_usage_error("sign needs -o SIG (a signature file)");
	if (c->ninputs != 1)
		tool_usage_error("sign takes one input part (concatenate files into one part first)");
	code = sign_input(d, c, c->inputs[0], c->output, (uint32_t)d->part, true, &docs, &bad);
	if (code == 0 && c->stats_path) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "tool", json_object_new_string(tool_name));
		json_object_object_add(o, "stage", json_object_new_string("sign"));
		JI(o, "part", d->part);
		JI(o, "documents", docs);
		JI(o, "bad_records", bad);
		code = write_json(c->stats_path, o);
		json_object_put(o);
	}
	return code;
}

/* ---- cluster ---- */

static int run_cluster(struct dedupe *d, const char *const *sigs, size_t n, const char *out)
{
	int rc = sach_dedupe_cluster(sigs, n, out, &d->co, &d->cs);

	return rc < 0 ? lib_fail(rc) : 0;
}

static int cmd_cluster(struct dedupe *d, tool_common *c)
{
	int code;

	if (strcmp(c->output, "-") == 0)
		tool_usage_error("cluster needs -o DROP (the drop list)");
	if (c->ninputs < 1 || strcmp(c->inputs[0], "-") == 0)
		tool_usage_error("cluster needs the signature files as arguments");
	d->co.compress = sach_compression_from_path(c->output) == SACH_COMPRESS_ZSTD;
	code = run_cluster(d, (const char *const *)c->inputs, (size_t)c->ninputs, c->output);
	if (code == 0 && c->stats_path) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "tool", json_object_new_string(tool_name));
		json_object_object_add(o, "stage", json_object_new_string("cluster"));
		cluster_json(d, o);
		code = write_json(c->stats_path, o);
		json_object_put(o);
	}
	return code;
}

/* ---- apply ---- */

static void add_apply_stats(struct dedupe *d)
{
	const sach_dedupe_apply_stats *s;

	if (!d->ap)
		return;
	s = sach_dedupe_applier_stats(d->ap);
	d->as.docs += s->docs;
	d->as.dropped += s->dropped;
	d->as.too_short += s->too_short;
	d->as.docs_changed += s->docs_changed;
	d->as.lines_removed += s->lines_removed;
	d->as.bytes_removed += s->bytes_removed;
}

/* Ends the open part: its document count must match what was signed. */
static int close_part(struct dedupe *d)
{
	int rc = 0;

	if (d->ap) {
		rc = sach_dedupe_applier_finish(d->ap);
		add_apply_stats(d);
		sach_dedupe_applier_free(d->ap);
		d->ap = NULL;
	}
	return rc;
}

static const char *input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* One-shot: the input (= part) a document comes from. Inputs are read in
 * order, so the part only ever moves forward. */
static int open_part_for(struct dedupe *d, const sach_doc *doc)
{
	const char *src = sach_doc_source(doc);
	uint64_t line = sach_doc_line(doc);
	int j, rc;

	if (d->cmd == CMD_APPLY) {
		if (!d->ap && (rc = sach_dedupe_applier_open(&d->ap, d->drop_list, (uint32_t)d->part,
							     d->min_words)) < 0)
			return rc;
		return 0;
	}
	if (d->ap && strcmp(src, input_name(d->c->inputs[d->cur])) == 0 && line > d->last_line)
		return 0;
	for (j = d->ap ? d->cur + 1 : d->cur; j < d->c->ninputs; j++)
		if (strcmp(src, input_name(d->c->inputs[j])) == 0)
			break;
	if (j == d->c->ninputs) {
		tool_warn("internal error: a document from '%s' matches no input", src);
		return SACH_ERROR;
	}
	if ((rc = close_part(d)) < 0)
		return rc;
	d->cur = j;
	return sach_dedupe_applier_open(&d->ap, d->drop_list, (uint32_t)j, d->min_words);
}

static int apply_process(void *ctx, sach_doc *doc, const char **reason)
{
	struct dedupe *d = ctx;
	int rc;

	if ((rc = open_part_for(d, doc)) < 0)
		return SACH_ERROR; /* stops the run with the message */
	d->last_line = sach_doc_line(doc);
	rc = sach_dedupe_apply(d->ap, doc, d->last_line, reason);
	if (rc == SACH_ENOMEM)
		return rc;
	if (rc == SACH_ECONFIG || rc == SACH_EINVAL)
		return SACH_ERROR;
	if (rc < 0)
		return rc;
	return rc == 1 ? STAGE_DROP : STAGE_KEEP;
}

static void apply_stats(void *ctx, json_object *into)
{
	struct dedupe *d = ctx;
	sach_dedupe_apply_stats s = d->as;

	if (d->ap) {
		const sach_dedupe_apply_stats *a = sach_dedupe_applier_stats(d->ap);

		s.docs += a->docs;
		s.dropped += a->dropped;
		s.too_short += a->too_short;
		s.docs_changed += a->docs_changed;
		s.lines_removed += a->lines_removed;
		s.bytes_removed += a->bytes_removed;
	}
	if (d->cmd == CMD_ALL)
		cluster_json(d, into);
	JI(into, "duplicates_dropped", s.dropped);
	JI(into, "too_short_after_lines", s.too_short);
	JI(into, "docs_changed", s.docs_changed);
	JI(into, "lines_removed", s.lines_removed);
	JI(into, "bytes_removed", s.bytes_removed);
}

static int run_apply(struct dedupe *d, tool_common *c)
{
	tool_stage stage = { "dedupe", apply_process, apply_stats, d };
	int code, rc;

	d->c = c;
	code = tool_run(c, &stage);
	rc = close_part(d);
	if (code == 0 && rc < 0) {
		/* The last part held fewer documents than were signed, which
		 * shows only after the driver committed the outputs: take the
		 * files away again, so a failed run leaves none (a run with
		 * more documents than signed already stopped before). */
		tool_warn("%s", sach_error_last());
		if (strcmp(c->output, "-") != 0 && unlink(c->output) == 0)
			tool_warn("'%s' removed", c->output);
		if (c->rejected_path && strcmp(c->rejected_path, "-") != 0)
			unlink(c->rejected_path);
		code = SACH_EXIT_FAILURE;
	}
	return code;
}

static int cmd_apply(struct dedupe *d, tool_common *c)
{
	int rc;

	if (d->part < 0 || !d->drop_list)
		tool_usage_error("apply needs --part K and --drop-list FILE");
	if (c->ninputs != 1)
		tool_usage_error("apply takes one input part");
	rc = sach_dedupe_applier_open(&d->ap, d->drop_list, (uint32_t)d->part, d->min_words);
	if (rc < 0)
		return lib_fail(rc);
	return run_apply(d, c);
}

/* ---- one-shot ---- */

static void remove_tmp(struct dedupe *d)
{
	char path[4200];
	long i;

	if (!d->tmp)
		return;
	for (i = 0; i < 100000; i++) {
		snprintf(path, sizeof(path), "%s/%ld.sig", d->tmp, i);
		if (unlink(path) < 0 && errno == ENOENT)
			break;
	}
	snprintf(path, sizeof(path), "%s/drop", d->tmp);
	unlink(path);
	snprintf(path, sizeof(path), "%s/stdin", d->tmp);
	unlink(path);
	rmdir(d->tmp);
	free(d->tmp);
	d->tmp = NULL;
}

/* Copies stdin to a file and makes that file fd 0, so stdin can be read
 * once to sign and once more to apply. */
static int spool_stdin(struct dedupe *d)
{
	char path[4200], buf[1 << 16];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/stdin", d->tmp);
	if ((fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600)) < 0) {
		tool_warn("cannot create '%s': %s", path, strerror(errno));
		return -1;
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write(fd, buf, (size_t)n) != n) {
			tool_warn("cannot copy stdin to '%s': %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (dup2(fd, STDIN_FILENO) < 0) {
		tool_warn("cannot reopen stdin: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int cmd_all(struct dedupe *d, tool_common *c)
{
	char **sigs = NULL;
	char drop[4200];
	uint64_t docs = 0, bad = 0;
	int i, code = SACH_EXIT_FAILURE;
	bool uses_stdin = false;
	size_t len = strlen(d->tmp_base) + 32;

	if (!(d->tmp = malloc(len)) || !(sigs = calloc((size_t)c->ninputs, sizeof(*sigs)))) {
		tool_warn("out of memory");
		goto out;
	}
	snprintf(d->tmp, len, "%s/sach-dedupe.XXXXXX", d->tmp_base);
	if (!mkdtemp(d->tmp)) {
		tool_warn("cannot create a directory in '%s': %s", d->tmp_base, strerror(errno));
		free(d->tmp);
		d->tmp = NULL;
		goto out;
	}
	for (i = 0; i < c->ninputs; i++)
		uses_stdin |= strcmp(c->inputs[i], "-") == 0;
	if (uses_stdin && spool_stdin(d) < 0)
		goto out;
	for (i = 0; i < c->ninputs; i++) {
		if (!(sigs[i] = malloc(strlen(d->tmp) + 32))) {
			tool_warn("out of memory");
			goto out;
		}
		sprintf(sigs[i], "%s/%d.sig", d->tmp, i);
		if (strcmp(c->inputs[i], "-") == 0)
			lseek(STDIN_FILENO, 0, SEEK_SET);
		if ((code = sign_input(d, c, c->inputs[i], sigs[i], (uint32_t)i, true, &docs, &bad)) != 0)
			goto out;
	}
	snprintf(drop, sizeof(drop), "%s/drop", d->tmp);
	if ((code = run_cluster(d, (const char *const *)sigs, (size_t)c->ninputs, drop)) != 0)
		goto out;
	if (uses_stdin)
		lseek(STDIN_FILENO, 0, SEEK_SET);
	d->drop_list = drop;
	code = run_apply(d, c);
out:
	if (sigs)
		for (i = 0; i < c->ninputs; i++)
			free(sigs[i]);
	free(sigs);
	remove_tmp(d);
	return code;
}

/* ---- one pass, exact only ---- */

/* The exact set's verdict on a document under `key` (its fold key, or
 * the text hash that stands for it): keep, or drop naming the kept one. */
static int exact_decide(struct dedupe *d, sach_doc *doc, const uint64_t key[2],
			const char **reason)
{
	const char *first;
	int rc;

	d->cs.docs++;
	rc = sach_dedupe_exact_set_add(d->xs, key, sach_doc_id(doc), &first);
	if (rc < 0) {
		/* over the budget: the driver stops with the message and no -o
		 * file is written; the exit status is the stages' (2) */
		d->over_budget = rc == SACH_ECONFIG;
		return rc == SACH_ENOMEM ? rc : SACH_ERROR;
	}
	if (rc == 0)
		return STAGE_KEEP;
	if ((rc = sach_doc_meta_set_string(doc, "rejected", "duplicate_of", first)) < 0)
		return rc;
	d->cs.exact++;
	d->as.dropped++;
	*reason = "exact-duplicate";
	return STAGE_DROP;
}

static int exact_process(void *ctx, sach_doc *doc, const char **reason)
{
	struct dedupe *d = ctx;
	const char *text;
	uint64_t key[2];
	size_t len;
	int rc;

	text = sach_doc_text(doc, &len);
	if ((rc = sach_dedupe_exact_key(text ? text : "", len, &d->xfold, key)) < 0)
		return rc == SACH_ENOMEM ? rc : SACH_ERROR;
	return exact_decide(d, doc, key, reason);
}

static void exact_stats(void *ctx, json_object *into)
{
	struct dedupe *d = ctx;

	d->cs.peak_bytes = sach_dedupe_exact_set_peak(d->xs) + sach_dedupe_prekey_set_peak(d->ps);
	cluster_json(d, into);
	JI(into, "duplicates_dropped", d->as.dropped);
	JI(into, "too_short_after_lines", 0);
	JI(into, "docs_changed", 0);
	JI(into, "lines_removed", 0);
	JI(into, "bytes_removed", 0);
}

/* The one-pass filter (--exact-one-pass): a fold key for every document. */
static int cmd_exact_one_pass(struct dedupe *d, tool_common *c)
{
	tool_stage stage = { "dedupe", exact_process, exact_stats, d };
	int rc, code;

	if ((rc = sach_dedupe_exact_set_new(&d->xs, d->co.mem)) < 0)
		return lib_fail(rc);
	d->c = c;
	code = tool_run(c, &stage);
	sach_dedupe_exact_set_free(d->xs);
	d->xs = NULL;
	sach_buf_free(&d->xfold);
	return d->over_budget ? SACH_EXIT_USAGE : code;
}

/* ---- two passes, exact only ---- */

/*
 * Pass 1 runs the JSON parse on the workers: the main thread only cuts
 * records (from a memory map where it can, tool_records) and hands them
 * out; a worker checks each record as the reader would judge it
 * (sach_record_parser_check(), which leaves the text's JSON string to a
 * decoder of its own) and computes the pre-key of its text. The main
 * thread takes the results in input order: pre-keys into the set, and a
 * bit per record for those that are valid and written back as read.
 * Pass 2 is the record loop, which writes a record with that bit and no
 * pre-key group as its raw bytes, without parsing it (tool_run_raw());
 * every other record (bad ones, group members) goes the usual way, so
 * counts, --rejected, the error policy and messages are as before.
 */
struct pk_worker {
	sach_record_parser *parser;
	sach_buf scratch;
};

enum { PK_VALID = 1, PK_AS_READ = 2 };

struct pk_result {
	uint64_t key;
	uint64_t flags;
	uint64_t text_hash[2];       /* sach_dedupe_text_hash() of the text */
};

static int prekey_compute(void *wctx, struct batch *b, size_t i)
{
	struct pk_worker *w = wctx;
	const struct item *it = &b->items[i];
	struct pk_result res = { 0, 0, { 0, 0 } };
	const char *text;
	size_t len;
	bool as_read;
	int rc;

	if (!it->bad) {
		rc = sach_record_parser_check(w->parser, it->ptr ? it->ptr : b->text.ptr + it->toff,
					      it->tlen, &text, &len, &as_read);
		if (rc == SACH_ENOMEM)
			return rc;
		/* a bad record is no document: pass 2 meets it and reports it */
		if (rc == 0) {
			if ((rc = sach_dedupe_prekey(text, len, &w->scratch, &res.key)) < 0 ||
			    (rc = sach_dedupe_text_hash(text, len, res.text_hash)) < 0)
				return rc;
			res.flags = PK_VALID | (as_read ? PK_AS_READ : 0);
		}
	}
	return sach_buf_append(&b->keys, &res, sizeof(res));
}

static int mark_as_read(struct dedupe *d, uint64_t record)
{
	if ((record >> 6) >= d->as_read_words) {
		size_t words = d->as_read_words ? d->as_read_words * 2 : 1024;
		uint64_t *v;

		while ((record >> 6) >= words)
			words *= 2;
		if (!(v = realloc(d->as_read, words * sizeof(*v))))
			return SACH_ENOMEM;
		memset(v + d->as_read_words, 0, (words - d->as_read_words) * sizeof(*v));
		d->as_read = v;
		d->as_read_words = words;
	}
	d->as_read[record >> 6] |= (uint64_t)1 << (record & 63);
	return 0;
}

static int prekey_drain(void *ctx, struct batch *b)
{
	struct dedupe *d = ctx;
	size_t i;
	int rc;

	if (b->rc < 0) {
		tool_warn("%s:%llu: %s", b->source, (unsigned long long)b->err_line, b->err);
		return b->rc;
	}
	for (i = 0; i < b->n; i++) {
		struct pk_result res;
		uint64_t record = d->records++;

		memcpy(&res, b->keys.ptr + b->items[i].koff, sizeof(res));
		if (!(res.flags & PK_VALID))
			continue;
		if ((rc = sach_dedupe_prekey_set_add_text(d->ps, res.key, res.text_hash)) < 0) {
			tool_warn("%s:%llu: %s", b->source, (unsigned long long)b->items[i].line,
				  sach_error_last());
			d->over_budget = rc == SACH_ECONFIG;
			return rc;
		}
		if ((res.flags & PK_AS_READ) && mark_as_read(d, record) < 0) {
			tool_warn("out of memory");
			return SACH_ENOMEM;
		}
	}
	return 0;
}

/*
 * Pass 1: the pre-key of every document the record loop will see, in the
 * same order. Bad records and lost input are left to pass 2, which meets
 * them again at the same places and reports them under the policy (the
 * records and verdicts are the reader's, so the two passes agree on every
 * record).
 */
static int prekey_pass(struct dedupe *d, const tool_common *c)
{
	unsigned nt = nthreads(d), i, nk = (nt > 1 ? nt : 0) + 1;
	struct pk_worker *pw = calloc(nk, sizeof(*pw));
	void **wctx = calloc(nk, sizeof(void *));
	tool_records *rd = NULL;
	struct pool pl;
	const char *raw;
	size_t len;
	int k, rc, code = SACH_EXIT_FAILURE;

	memset(&pl, 0, sizeof(pl));
	if (!pw || !wctx) {
		tool_warn("out of memory");
		goto out;
	}
	for (i = 0; i < nk; i++) {
		if ((rc = sach_record_parser_new(&pw[i].parser, &c->reader)) < 0) {
			code = lib_fail(rc);
			goto out;
		}
		wctx[i] = &pw[i];
	}
	if ((rc = sach_dedupe_prekey_set_new(&d->ps, d->co.mem)) < 0) {
		code = lib_fail(rc);
		goto out;
	}
	if (pool_start(&pl, nt, prekey_compute, wctx, prekey_drain, d) < 0) {
		tool_warn("cannot start worker threads: %s", strerror(errno));
		goto out;
	}
	for (k = 0; k < c->ninputs; k++) {
		if (strcmp(c->inputs[k], "-") == 0)
			lseek(STDIN_FILENO, 0, SEEK_SET);
		if (tool_records_open(&rd, c->inputs[k], &c->reader, true) < 0)
			continue; /* pass 2 reports it */
		while ((rc = tool_records_next(rd, NULL)) != 0) {
			if (rc == SACH_ENOMEM) {
				tool_warn("%s", sach_error_last());
				goto out;
			}
			if (rc == SACH_EIO || rc == SACH_ECORRUPT)
				break;
			tool_records_raw(rd, &raw, &len, NULL, NULL);
			/* the name lives as long as the input is open */
			if ((rc = pool_add_record(&pl, tool_records_name(rd), tool_records_line(rd), raw,
						  len, tool_records_raw_stable(rd), rc < 0)) < 0) {
				if (rc == SACH_ENOMEM)
					tool_warn("out of memory");
				goto out;
			}
		}
		/* the batches point into the input: drain before closing it */
		if (pool_finish(&pl) < 0)
			goto out;
		tool_records_close(rd);
		rd = NULL;
	}
	code = 0;
out:
	pool_stop(&pl);
	tool_records_close(rd);
	for (i = 0; pw && i < nk; i++) {
		sach_record_parser_free(pw[i].parser);
		sach_buf_free(&pw[i].scratch);
	}
	free(pw);
	free(wctx);
	if (code && d->over_budget)
		code = SACH_EXIT_USAGE;
	return code;
}

/* Pass 2's raw path: a record valid and written back as read, whose
 * document shares its pre-key with no other, is kept as it is. */
static bool exact2_will_keep(void *ctx, uint64_t record)
{
	struct dedupe *d = ctx;

	if ((record >> 6) >= d->as_read_words ||
	    !((d->as_read[record >> 6] >> (record & 63)) & 1))
		return false;
	return sach_dedupe_prekey_set_member(d->ps, d->ord) == 0;
}

static void exact2_kept(void *ctx)
{
	struct dedupe *d = ctx;

	d->ord++;
	d->cs.docs++;
	d->as_read_kept++;
}

static int exact2_process(void *ctx, sach_doc *doc, const char **reason)
{
	struct dedupe *d = ctx;
	int member = sach_dedupe_prekey_set_member(d->ps, d->ord++);

	if (member < 0)
		return SACH_ERROR; /* stops the run with the message */
	if (member) {
		const char *text;
		uint64_t th[2];
		size_t len;
		int u;

		/* a member of a group whose texts are all one: its text hash
		 * stands for its fold key (no one outside the group has that
		 * fold key), so the first of the group is kept and the others
		 * name it, as the fold key would decide, without folding */
		text = sach_doc_text(doc, &len);
		if (sach_dedupe_text_hash(text ? text : "", len, th) < 0 ||
		    (u = sach_dedupe_prekey_set_uniform(d->ps, th)) < 0)
			return SACH_ERROR;
		if (u) {
			d->uniform_decided++;
			return exact_decide(d, doc, th, reason);
		}
		return exact_process(ctx, doc, reason);
	}
	/* nobody else has its pre-key, so nobody has its fold key */
	d->cs.docs++;
	return STAGE_KEEP;
}

static void exact2_stats(void *ctx, json_object *into)
{
	struct dedupe *d = ctx;

	exact_stats(ctx, into);
	JI(into, "kept_as_read", d->as_read_kept);
	/* before prekey_members, which stays last as it was */
	JI(into, "prekey_uniform", d->uniform_decided);
	JI(into, "prekey_members", sach_dedupe_prekey_set_members(d->ps));
}

/*
 * Exact only: pass 1 finds the groups of documents that share a pre-key
 * (on worker threads); pass 2 is the record loop, which computes fold keys
 * for the members of those groups only and writes the other kept records
 * as read (tool_run_raw()). Stdin is copied to a temporary file first, so
 * it can be read twice (and mapped) like a file.
 */
static int cmd_exact(struct dedupe *d, tool_common *c)
{
	tool_stage stage = { "dedupe", exact2_process, exact2_stats, d };
	tool_raw_path raw = { exact2_will_keep, exact2_kept };
	size_t len = strlen(d->tmp_base) + 32, bits;
	bool uses_stdin = false;
	int i, rc, code = SACH_EXIT_FAILURE;

	for (i = 0; i < c->ninputs; i++)
		uses_stdin |= strcmp(c->inputs[i], "-") == 0;
	if (uses_stdin) {
		if (!(d->tmp = malloc(len))) {
			tool_warn("out of memory");
			return SACH_EXIT_FAILURE;
		}
		snprintf(d->tmp, len, "%s/sach-dedupe.XXXXXX", d->tmp_base);
		if (!mkdtemp(d->tmp)) {
			tool_warn("cannot create a directory in '%s': %s", d->tmp_base, strerror(errno));
			free(d->tmp);
			d->tmp = NULL;
			return SACH_EXIT_FAILURE;
		}
		if (spool_stdin(d) < 0)
			goto out;
	}
	/* pass 2 reads the maps pass 1 made */
	tool_records_keep_maps(true);
	if ((code = prekey_pass(d, c)) != 0)
		goto out;
	sach_dedupe_prekey_set_seal(d->ps);
	if (uses_stdin)
		lseek(STDIN_FILENO, 0, SEEK_SET);
	/* the memberships (1 bit per document) and the uniform groups' text
	 * hashes stay held */
	bits = sach_dedupe_prekey_set_held(d->ps);
	if ((rc = sach_dedupe_exact_set_new(&d->xs, d->co.mem > bits ? d->co.mem - bits : 0)) < 0) {
		code = lib_fail(rc);
		goto out;
	}
	d->c = c;
	code = tool_run_raw(c, &stage, &raw);
	if (d->over_budget)
		code = SACH_EXIT_USAGE;
out:
	sach_dedupe_exact_set_free(d->xs);
	d->xs = NULL;
	sach_dedupe_prekey_set_free(d->ps);
	d->ps = NULL;
	free(d->as_read);
	d->as_read = NULL;
	tool_records_keep_maps(false);
	sach_buf_free(&d->xfold);
	remove_tmp(d);
	return code;
}

int main(int argc, char **argv)
{
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	sach_dedupe_cluster_options co = SACH_DEDUPE_CLUSTER_OPTIONS_INIT;
	size_t nown = sizeof(own_options) / sizeof(own_options[0]);
	struct dedupe d;
	struct option *longopts;
	tool_common c;
	const char *env;
	char *end;
	long v;
	int opt, code;

	tool_init("sach-dedupe");
	memset(&d, 0, sizeof(d));
	d.cmd = CMD_ALL;
	d.part = -1;
	d.min_words = 5;
	if (argc > 1 && strcmp(argv[1], "sign") == 0)
		d.cmd = CMD_SIGN;
	else if (argc > 1 && strcmp(argv[1], "cluster") == 0)
		d.cmd = CMD_CLUSTER;
	else if (argc > 1 && strcmp(argv[1], "apply") == 0)
		d.cmd = CMD_APPLY;
	if (d.cmd != CMD_ALL) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	env = getenv("TMPDIR");
	d.tmp_base = env && *env ? env : "/tmp";
	tool_common_init(&c);
	longopts = tool_long_options(own_options, nown);

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:q", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_NO_EXACT: p.exact = false; break;
		case OPT_NO_NEAR: p.near = false; break;
		case OPT_NO_LINES: p.lines = false; break;
		case OPT_PARAGRAPHS: p.paragraphs = true; break;
		case OPT_SKELETON: p.skeleton = true; break;
		case OPT_SHINGLE:
			if (!tool_parse_int(optarg, 1, 32, &v))
				tool_usage_error("--shingle: expected 1-32, not '%s'", optarg);
			p.shingle = (unsigned)v;
			break;
		case OPT_BANDS:
			if (!tool_parse_int(optarg, 1, 64, &v))
				tool_usage_error("--bands: expected 1-64, not '%s'", optarg);
			p.bands = (unsigned)v;
			break;
		case OPT_ROWS:
			if (!tool_parse_int(optarg, 1, 32, &v))
				tool_usage_error("--rows: expected 1-32, not '%s'", optarg);
			p.rows = (unsigned)v;
			break;
		case OPT_JACCARD:
			errno = 0;
			p.jaccard = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(p.jaccard > 0 && p.jaccard <= 1))
				tool_usage_error("--jaccard: expected a number in (0, 1], not '%s'", optarg);
			break;
		case OPT_SEED:
			errno = 0;
			p.seed = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end || *optarg == '-')
				tool_usage_error("--seed: expected a number, not '%s'", optarg);
			break;
		case OPT_PART:
			if (!tool_parse_int(optarg, 0, 1000000000L, &v))
				tool_usage_error("--part: expected a number from 0, not '%s'", optarg);
			d.part = v;
			break;
		case OPT_MEM:
			if (!tool_parse_size(optarg, &co.mem) || co.mem < ((size_t)1 << 20))
				tool_usage_error("--mem: expected a size of at least 1M, not '%s'", optarg);
			break;
		case OPT_LINE_MIN:
			if (!tool_parse_int(optarg, 2, 1000000000L, &v))
				tool_usage_error("--line-min-docs: expected a number from 2, not '%s'", optarg);
			co.line_min_docs = (uint32_t)v;
			break;
		case OPT_CLUSTER_INFO: co.keep_cluster_info = true; break;
		case OPT_INDEX: co.index_dir = optarg; break;
		case OPT_UPDATE_INDEX: co.update_index = true; break;
		case OPT_TMP_DIR: d.tmp_base = optarg; break;
		case OPT_DROP_LIST: d.drop_list = optarg; break;
		case OPT_MIN_WORDS:
			if (!tool_parse_int(optarg, 0, 1000000, &v))
				tool_usage_error("--min-words: expected a number from 0, not '%s'", optarg);
			d.min_words = (unsigned)v;
			break;
		case OPT_THREADS:
			if (!tool_parse_int(optarg, 0, 256, &v))
				tool_usage_error("--threads: expected 0-256, not '%s'", optarg);
			d.threads = (unsigned)v;
			break;
		case OPT_ONE_PASS: d.one_pass = true; break;
		case '?':
		case ':':
			tool_getopt_error(opt, argv, longopts);
		default:
			if (!tool_common_option(&c, opt, optarg, help))
				tool_usage_error("invalid option");
		}
	}
	tool_common_finish(&c, argc, argv);
	if (co.update_index && !co.index_dir)
		tool_usage_error("--update-index needs --index DIR");
	if (d.part >= 0 && (d.cmd == CMD_ALL || d.cmd == CMD_CLUSTER))
		tool_usage_error("--part goes with sign and apply");
	if (d.drop_list && d.cmd != CMD_APPLY)
		tool_usage_error("--drop-list goes with apply");
	if (!p.exact && !p.near && !p.lines)
		tool_usage_error("--no-exact, --no-near and --no-lines together leave nothing to do");
	if (p.paragraphs && !p.lines)
		tool_usage_error("--paragraphs needs repeated-line removal (not --no-lines)");
	if (p.jaccard > 0 && !p.near)
		tool_usage_error("--jaccard needs near duplicates (not --no-near)");
	co.tmp_dir = d.tmp_base;
	d.p = p;
	d.co = co;
	switch (d.cmd) {
	case CMD_SIGN: code = cmd_sign(&d, &c); break;
	case CMD_CLUSTER: code = cmd_cluster(&d, &c); break;
	case CMD_APPLY: code = cmd_apply(&d, &c); break;
	default:
		if (!p.near && !p.lines && !co.index_dir && !co.keep_cluster_info)
			code = d.one_pass ? cmd_exact_one_pass(&d, &c) : cmd_exact(&d, &c);
		else
			code = cmd_all(&d, &c);
		break;
	}
	free(longopts);
	return code;
}

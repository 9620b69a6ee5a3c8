/*
 * signals_speed.c - benchmark and measuring tool for the signals module.
 * Not a test; built and run by tests/bench/signals.sh.
 *
 *   signals_speed FILE.jsonl[.zst] [REPEAT]
 *       reads every document into memory first (JSON parsing is not timed),
 *       then computes all signals of every document REPEAT times (default
 *       3) and prints the best MB/s (bytes of text per second of this
 *       thread's CPU time).
 *   signals_speed --tsv FILE.jsonl[.zst]
 *       prints one line per document: id, then every signal of
 *       sach_signals_describe() (a header line first), for measuring what
 *       a threshold removes.
 *   signals_speed --dump FILE.jsonl[.zst]...
 *       prints every signal of every document with full precision (%.17g)
 *       and the per-line facts, to check that an optimisation changes no
 *       number (compare the output of two builds byte for byte).
 *   signals_speed --langid
 *       reads "LABEL<TAB>TEXT" lines on stdin and prints
 *       "LABEL<TAB>SCORE" (sach_langid_score) for scripts/eval-langid.sh.
 */
#include "sach/sach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct doc_text {
	char *id;
	char *text;
	size_t len;
} doc_text;

/* CPU time of this thread: the machine may be shared, and wall time
 * would then measure the neighbours. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static doc_text *load(const char *path, size_t *count, size_t *bytes)
{
	sach_reader_options opts = SACH_READER_OPTIONS_INIT;
	sach_reader *r;
	sach_doc *doc;
	doc_text *docs = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*bytes = 0;
	if (sach_reader_open(&r, path, &opts) < 0) {
		fprintf(stderr, "signals_speed: %s\n", sach_error_last());
		exit(1);
	}
	while ((rc = sach_reader_next(r, &doc)) != 0) {
		const char *t, *id;
		size_t len;

		if (rc < 0) {
			if (rc == SACH_EIO || rc == SACH_ECORRUPT)
				break;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			docs = realloc(docs, cap * sizeof(*docs));
			if (!docs)
				exit(1);
		}
		t = sach_doc_text(doc, &len);
		id = sach_doc_id(doc);
		docs[n].text = malloc(len + 1);
		docs[n].id = strdup(id ? id : "");
		if (!docs[n].text || !docs[n].id)
			exit(1);
		memcpy(docs[n].text, t, len);
		docs[n].text[len] = '\0';
		docs[n].len = len;
		*bytes += len;
		n++;
	}
	sach_reader_close(r);
	*count = n;
	return docs;
}

static int run_langid(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		char *tab = memchr(line, '\t', (size_t)n);

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (!tab)
			continue;
		*tab = '\0';
		printf("%s\t%.4f\n", line, sach_langid_score(tab + 1, (size_t)(line + n - tab - 1)));
	}
	free(line);
	return 0;
}

/* One document: every signal, then each line's facts. */
static void dump_doc(sach_signals_ctx *ctx, const doc_text *d, const sach_signals *s)
{
	const sach_signal_desc *desc;
	const sach_line_info *li;
	size_t nsig, k, nl;

	desc = sach_signals_describe(&nsig);
	printf("doc %s\n", d->id);
	for (k = 0; k < nsig; k++)
		printf(" %s=%.17g\n", desc[k].name, sach_signals_value(s, k));
	li = sach_signals_lines(ctx, &nl);
	for (k = 0; k < nl; k++)
		printf(" L%zu %zu+%zu c%u t%u s%u f%x %.9g\n", k, li[k].start, li[k].len, li[k].chars,
		       li[k].tokens, li[k].syllables, li[k].flags, (double)li[k].lang_score);
}

static int run_dump(int argc, char **argv)
{
	sach_signals_ctx *ctx;
	sach_signals s;
	int a;

	if (sach_signals_new(&ctx) < 0) {
		fprintf(stderr, "signals_speed: %s\n", sach_error_last());
		return 1;
	}
	for (a = 2; a < argc; a++) {
		size_t ndocs, bytes, i;
		doc_text *docs = load(argv[a], &ndocs, &bytes);

		printf("file %s\n", argv[a]);
		for (i = 0; i < ndocs; i++) {
			if (sach_signals_compute(ctx, docs[i].text, docs[i].len, &s) < 0)
				return 1;
			dump_doc(ctx, &docs[i], &s);
			free(docs[i].text);
			free(docs[i].id);
		}
		free(docs);
	}
	sach_signals_free(ctx);
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	sach_signals_ctx *ctx;
	sach_signals s;
	doc_text *docs;
	size_t ndocs, bytes, i, nsig, k;
	double best = 0.0;
	int repeat = 3, r, tsv = 0;
	const char *path;

	if (argc == 2 && strcmp(argv[1], "--langid") == 0)
		return run_langid();
	if (argc >= 3 && strcmp(argv[1], "--dump") == 0)
		return run_dump(argc, argv);
	if (argc >= 3 && strcmp(argv[1], "--tsv") == 0) {
		tsv = 1;
		path = argv[2];
	} else if (argc >= 2) {
		path = argv[1];
		if (argc >= 3)
			repeat = atoi(argv[2]);
	} else {
		fprintf(stderr, "usage: signals_speed FILE [REPEAT] | --tsv FILE | --dump FILE... | --langid\n");
		return 2;
	}
	docs = load(path, &ndocs, &bytes);
	if (sach_signals_new(&ctx) < 0) {
		fprintf(stderr, "signals_speed: %s\n", sach_error_last());
		return 1;
	}
	if (tsv) {
		const sach_signal_desc *d = sach_signals_describe(&nsig);

		printf("id");
		for (k = 0; k < nsig; k++)
			printf("\t%s", d[k].name);
		printf("\n");
		for (i = 0; i < ndocs; i++) {
			if (sach_signals_compute(ctx, docs[i].text, docs[i].len, &s) < 0)
				return 1;
			printf("%s", docs[i].id);
			for (k = 0; k < nsig; k++)
				printf("\t%.6g", sach_signals_value(&s, k));
			printf("\n");
		}
	} else {
		for (r = 0; r < repeat; r++) {
			double t0 = now(), dt;

			for (i = 0; i < ndocs; i++)
				if (sach_signals_compute(ctx, docs[i].text, docs[i].len, &s) < 0)
					return 1;
			dt = now() - t0;
			if (bytes / dt > best)
				best = (double)bytes / dt;
		}
		printf("%s: %zu documents, %.1f MB of text, best of %d runs: %.1f MB/s (CPU time)\n",
		       path, ndocs, (double)bytes / 1e6, repeat, best / 1e6);
	}
	sach_signals_free(ctx);
	for (i = 0; i < ndocs; i++) {
		free(docs[i].text);
		free(docs[i].id);
	}
	free(docs);
	return 0;
}

/*
 * driver.c - the record loop: inputs -> stage -> outputs, with the error
 * policy, progress, and an account of every record.
 *
 * Invariant checked at the end of every run and written to --stats:
 *   records_in == records_out + rejected + skipped + quarantined
 * A run that fails part-way aborts its outputs: no file is left under a
 * final name unless the run that wrote it succeeded.
 */
#define _POSIX_C_SOURCE 200809L
#include "tool.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE_LIMIT 20

enum { ERR_JSON, ERR_FIELD, ERR_TOOBIG, ERR_UTF8, ERR_OTHER, ERR_KINDS };
static const char *const err_keys[ERR_KINDS] = {
	"invalid_json", "bad_text_field", "too_large", "invalid_utf8", "other"
};

struct reason_count {
	const char *reason;
	uint64_t n;
};

struct run {
	const tool_common *c;
	const tool_stage *stage;
	bool sink;                 /* the stage keeps kept documents (tool_run_sink) */
	const tool_raw_path *raw;  /* tool_run_raw(), when input and output are JSONL */
	bool raw_inputs;           /* tool_run_raw(): inputs as tool_records' raw path */
	uint64_t record;           /* records read so far, bad ones included */
	sach_writer *out, *rejected, *quarantine;
	sach_buf line;
	uint64_t in, kept, dropped, skipped, quarantined, blank_lines;
	uint64_t bytes_in, bytes_decoded;
	uint64_t errors[ERR_KINDS];
	uint64_t stream_errors;
	struct reason_count reasons[64];   /* sach-filter has 37 rules */
	int nreasons;
	unsigned messages;
	json_object *inputs;
	bool first_block;
	/* progress */
	bool show_progress;
	bool progress_drawn;
	struct timespec t0, last;
};

static double seconds_since(const struct timespec *a)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - a->tv_sec) + (double)(now.tv_nsec - a->tv_nsec) / 1e9;
}

static void progress(struct run *r, uint64_t decoded_now, bool final)
{
	double el, since;

	if (!r->show_progress)
		return;
	since = seconds_since(&r->last);
	if (!final && since < 0.25)
		return;
	clock_gettime(CLOCK_MONOTONIC, &r->last);
	el = seconds_since(&r->t0);
	fprintf(stderr, "\r%s: %llu docs, %.1f MB, %.0f docs/s, %.1f MB/s, %.1f s ",
		tool_name, (unsigned long long)r->in, (double)decoded_now / 1e6,
		el > 0 ? (double)r->in / el : 0.0, el > 0 ? (double)decoded_now / 1e6 / el : 0.0, el);
	if (final)
		fputc('\n', stderr);
	r->progress_drawn = true;
}

static void count_reason(struct run *r, const char *reason)
{
	int i;

	for (i = 0; i < r->nreasons; i++) {
		if (strcmp(r->reasons[i].reason, reason) == 0) {
			r->reasons[i].n++;
			return;
		}
	}
	if (r->nreasons < (int)(sizeof(r->reasons) / sizeof(r->reasons[0]))) {
		r->reasons[r->nreasons].reason = reason;
		r->reasons[r->nreasons].n = 1;
		r->nreasons++;
	}
}

static int err_kind(int code)
{
	switch (code) {
	case SACH_EJSON: return ERR_JSON;
	case SACH_EFIELD: return ERR_FIELD;
	case SACH_ETOOBIG: return ERR_TOOBIG;
	case SACH_EUTF8: return ERR_UTF8;
	default: return ERR_OTHER;
	}
}

static void message_line(struct run *r, const char *msg)
{
	if (r->progress_drawn) {
		fputc('\n', stderr);
		r->progress_drawn = false;
	}
	if (r->c->on_error == ON_ERROR_FAIL || r->c->quiet) {
		if (r->c->on_error == ON_ERROR_FAIL)
			tool_warn("%s", msg);
		return;
	}
	if (r->messages < MESSAGE_LIMIT)
		tool_warn("%s", msg);
	else if (r->messages == MESSAGE_LIMIT)
		tool_warn("further messages about bad records are not shown (see the summary)");
	r->messages++;
}

/* A bad record: returns 0 to go on, or SACH_EXIT_FAILURE to stop (fail policy). */
static int bad_record(struct run *r, tool_records *rd, int code, const char *msg)
{
	const char *raw;
	size_t len;
	bool truncated;
	uint64_t total;
	int rc;

	r->in++;
	r->errors[err_kind(code)]++;
	message_line(r, msg);
	if (r->c->on_error == ON_ERROR_FAIL)
		return SACH_EXIT_FAILURE;
	if (r->c->on_error == ON_ERROR_SKIP) {
		r->skipped++;
		return 0;
	}
	tool_records_raw(rd, &raw, &len, &truncated, &total);
	rc = sach_quarantine_write(r->quarantine, tool_records_name(rd), tool_records_line(rd),
				   msg, raw, len, truncated, total);
	if (rc < 0) {
		tool_warn("%s", sach_error_last());
		return SACH_EXIT_FAILURE;
	}
	r->quarantined++;
	return 0;
}

static int write_doc(struct run *r, sach_doc *doc)
{
	size_t len;
	const char *text;
	int rc;

	sach_buf_clear(&r->line);
	if (r->c->out_format == SACH_FORMAT_JSONL) {
		rc = sach_doc_write_jsonl(doc, &r->line);
	} else {
		text = sach_doc_text(doc, &len);
		if (r->c->reader.doc_sep == SACH_DOC_SEP_BLANK && !r->first_block)
			rc = sach_buf_append(&r->line, "\n", 1);
		else
			rc = 0;
		if (rc == 0)
			rc = sach_buf_append(&r->line, text, len);
		if (rc == 0)
			rc = sach_buf_append(&r->line, "\n", 1);
		r->first_block = false;
	}
	if (rc < 0)
		return rc;
	return sach_writer_write(r->out, r->line.ptr, r->line.len);
}

/* Why a text document cannot be written in the text output format, or NULL. */
static const char *text_output_problem(const struct run *r, sach_doc *doc)
{
	size_t len;
	const char *text = sach_doc_text(doc, &len);

	if (r->c->out_format != SACH_FORMAT_TEXT)
		return NULL;
	if (len == 0)
		return "empty";
	if (r->c->reader.doc_sep == SACH_DOC_SEP_LINE && memchr(text, '\n', len))
		return "multi-line-text-in-line-output";
	if (r->c->reader.doc_sep == SACH_DOC_SEP_BLANK && strstr(text, "\n\n"))
		return "blank-line-in-block-output";
	return NULL;
}

/*
 * Drops a document: counts it under its reason and writes the original
 * record (not the stage's partial edit) to --rejected. Returns 0, or
 * SACH_EINVAL when the record cannot carry the meta block (its "sach" field
 * is not an object), which the caller treats as a bad record.
 */
static int reject_doc(struct run *r, sach_doc *doc, const char *reason)
{
	int rc;

	if (r->rejected) {
		sach_doc_restore_text(doc);
		if ((rc = sach_doc_meta_set_string(doc, "rejected", "stage", r->stage->name)) < 0 ||
		    (rc = sach_doc_meta_set_string(doc, "rejected", "reason", reason)) < 0)
			return rc;
	}
	r->dropped++;
	count_reason(r, reason);
	if (!r->rejected)
		return 0;
	sach_buf_clear(&r->line);
	if ((rc = sach_doc_write_jsonl(doc, &r->line)) < 0)
		return rc;
	return sach_writer_write(r->rejected, r->line.ptr, r->line.len);
}

/* A record that a stage could not handle (not a stream failure): counted
 * and reported like a bad input record. Returns 0 or an exit code. */
static int doc_error(struct run *r, tool_records *rd, sach_doc *doc, int code)
{
	char msg[1200];

	snprintf(msg, sizeof(msg), "%s:%llu: %s", sach_doc_source(doc),
		 (unsigned long long)sach_doc_line(doc), sach_error_last());
	return bad_record(r, rd, code, msg);
}

/*
 * A record kept as read (the raw path): its bytes and the line ending that
 * writing the unchanged document would give. In pieces of 2 KiB: glibc
 * copies 2112 bytes and more with `rep movsb`, which some x86 CPUs (the
 * AMD EPYC of our benchmarks) run four times slower than its vector loop
 * when source and destination are not aligned alike, and the writer copies
 * what it is given (87 MB of records: 0.06 s whole, 0.014 s in pieces).
 */
static int write_raw(struct run *r, tool_records *rd)
{
	const size_t piece = 2048;
	const char *raw;
	size_t len, n;
	int rc;

	tool_records_raw(rd, &raw, &len, NULL, NULL);
	for (; len; raw += n, len -= n) {
		n = len < piece ? len : piece;
		if ((rc = sach_writer_write(r->out, raw, n)) < 0)
			return rc;
	}
	return sach_writer_write(r->out, "\n", 1);
}

/* Processes one input; returns 0, or an exit code to stop with. */
static int run_input(struct run *r, const char *path)
{
	tool_records *rd = NULL;
	sach_doc *doc;
	json_object *info = json_object_new_object();
	uint64_t in_before = r->in;
	uint64_t base_decoded = r->bytes_decoded;
	int rc, exit_code = 0;
	char msg[1200];

	json_object_object_add(info, "path", json_object_new_string(strcmp(path, "-") ? path : "<stdin>"));
	rc = tool_records_open(&rd, path, &r->c->reader, r->raw_inputs);
	if (rc < 0) {
		r->stream_errors++;
		json_object_object_add(info, "error", json_object_new_string(sach_error_last()));
		json_object_array_add(r->inputs, info);
		/* Always shown, even with --quiet: lost input is not a counted record. */
		if (r->progress_drawn)
			fputc('\n', stderr), r->progress_drawn = false;
		tool_warn("%s", sach_error_last());
		return r->c->on_error == ON_ERROR_FAIL ? SACH_EXIT_FAILURE : 0;
	}
	for (;;) {
		const char *reason = NULL;
		bool as_read = r->raw && r->raw->will_keep(r->stage->ctx, r->record);

		rc = tool_records_next(rd, as_read ? NULL : &doc);
		if (rc == 0)
			break;
		if (rc == SACH_EIO || rc == SACH_ECORRUPT || rc == SACH_ENOMEM) {
			snprintf(msg, sizeof(msg), "%s; input from line %llu on is lost",
				 sach_error_last(), (unsigned long long)tool_records_line(rd) + 1);
			r->stream_errors++;
			json_object_object_add(info, "error", json_object_new_string(msg));
			if (r->c->on_error == ON_ERROR_FAIL || rc == SACH_ENOMEM) {
				tool_warn("%s", msg);
				exit_code = SACH_EXIT_FAILURE;
			} else {
				/* Always shown: unlike a bad record, lost data is not counted. */
				if (r->progress_drawn)
					fputc('\n', stderr), r->progress_drawn = false;
				tool_warn("%s", msg);
			}
			break;
		}
		r->record++;
		if (rc < 0) {
			if ((exit_code = bad_record(r, rd, rc, sach_error_last())) != 0)
				break;
			continue;
		}
		r->in++;
		if (as_read) {
			r->kept++;
			r->raw->kept(r->stage->ctx);
			if ((rc = write_raw(r, rd)) < 0) {
				tool_warn("%s", sach_error_last());
				exit_code = SACH_EXIT_FAILURE;
				break;
			}
			if ((r->in & 1023) == 0)
				progress(r, base_decoded + tool_records_bytes_decoded(rd), false);
			continue;
		}
		rc = r->stage->process(r->stage->ctx, doc, &reason);
		if (rc == STAGE_KEEP && (reason = text_output_problem(r, doc)) != NULL)
			rc = STAGE_DROP;
		if (rc == STAGE_DROP) {
			rc = reject_doc(r, doc, reason);
			if (rc == SACH_EINVAL) {
				r->in--; /* bad_record() counts it */
				if ((exit_code = doc_error(r, rd, doc, rc)) != 0)
					break;
				rc = 0;
			}
		} else if (rc == STAGE_KEEP) {
			r->kept++;
			rc = r->sink ? 0 : write_doc(r, doc);
		} else if (rc == SACH_ENOMEM || rc == SACH_ERROR) {
			tool_warn("%s:%llu: %s", sach_doc_source(doc),
				  (unsigned long long)sach_doc_line(doc), sach_error_last());
			exit_code = SACH_EXIT_FAILURE;
			break;
		} else {
			r->in--; /* bad_record() counts it */
			if ((exit_code = doc_error(r, rd, doc, rc)) != 0)
				break;
			rc = 0;
		}
		if (rc < 0) {
			tool_warn("%s", sach_error_last());
			exit_code = SACH_EXIT_FAILURE;
			break;
		}
		if ((r->in & 1023) == 0)
			progress(r, base_decoded + tool_records_bytes_decoded(rd), false);
	}
	r->bytes_in += tool_records_bytes_in(rd);
	r->bytes_decoded += tool_records_bytes_decoded(rd);
	r->blank_lines += tool_records_blank_lines(rd);
	json_object_object_add(info, "records", json_object_new_int64((int64_t)(r->in - in_before)));
	json_object_object_add(info, "bytes", json_object_new_int64((int64_t)tool_records_bytes_in(rd)));
	json_object_array_add(r->inputs, info);
	tool_records_close(rd);
	return exit_code;
}

static int open_writer(sach_writer **w, const char *path, sach_compression comp, int level)
{
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;

	o.compression = comp;
	o.level = level;
	if (sach_writer_open(w, path, &o) < 0) {
		tool_warn("%s", sach_error_last());
		return -1;
	}
	return 0;
}

static json_object *stats_object(struct run *r)
{
	json_object *s = json_object_new_object(), *e = json_object_new_object();
	json_object *rr = json_object_new_object();
	int i;

	json_object_object_add(s, "tool", json_object_new_string(tool_name));
	json_object_object_add(s, "version", json_object_new_string(sach_version_string()));
	json_object_object_add(s, "records_in", json_object_new_int64((int64_t)r->in));
	json_object_object_add(s, "records_out", json_object_new_int64((int64_t)r->kept));
	json_object_object_add(s, "rejected", json_object_new_int64((int64_t)r->dropped));
	json_object_object_add(s, "skipped", json_object_new_int64((int64_t)r->skipped));
	json_object_object_add(s, "quarantined", json_object_new_int64((int64_t)r->quarantined));
	json_object_object_add(s, "blank_lines", json_object_new_int64((int64_t)r->blank_lines));
	json_object_object_add(s, "stream_errors", json_object_new_int64((int64_t)r->stream_errors));
	json_object_object_add(s, "bytes_in", json_object_new_int64((int64_t)r->bytes_in));
	json_object_object_add(s, "bytes_decoded", json_object_new_int64((int64_t)r->bytes_decoded));
	json_object_object_add(s, "bytes_out",
			       json_object_new_int64(r->out ? (int64_t)sach_writer_bytes(r->out) : 0));
	for (i = 0; i < ERR_KINDS; i++)
		json_object_object_add(e, err_keys[i], json_object_new_int64((int64_t)r->errors[i]));
	json_object_object_add(s, "bad_records", e);
	for (i = 0; i < r->nreasons; i++)
		json_object_object_add(rr, r->reasons[i].reason,
				       json_object_new_int64((int64_t)r->reasons[i].n));
	json_object_object_add(s, "rejected_by_reason", rr);
	json_object_object_add(s, "inputs", json_object_get(r->inputs));
	if (r->stage->stats) {
		json_object *st = json_object_new_object();
		r->stage->stats(r->stage->ctx, st);
		json_object_object_add(s, r->stage->name, st);
	}
	return s;
}

static void summary(struct run *r)
{
	uint64_t bad = r->skipped + r->quarantined;
	int i;

	if (r->c->quiet || (bad == 0 && r->stream_errors == 0))
		return;
	fprintf(stderr, "%s: %llu records in, %llu out, %llu rejected, %llu skipped, %llu quarantined",
		tool_name, (unsigned long long)r->in, (unsigned long long)r->kept,
		(unsigned long long)r->dropped, (unsigned long long)r->skipped,
		(unsigned long long)r->quarantined);
	if (bad) {
		const char *sep = " (";
		for (i = 0; i < ERR_KINDS; i++) {
			if (!r->errors[i])
				continue;
			fprintf(stderr, "%s%s: %llu", sep, err_keys[i], (unsigned long long)r->errors[i]);
			sep = ", ";
		}
		fputc(')', stderr);
	}
	fputc('\n', stderr);
}

static int run_records(const tool_common *c, const tool_stage *stage, int (*finish)(void *ctx),
		       bool sink, const tool_raw_path *raw)
{
	struct run r;
	int i, exit_code = 0;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.stage = stage;
	r.sink = sink;
	/* raw bytes are what a JSONL document writes back unchanged; the
	 * records are read the raw path's way even when they cannot be
	 * written so, for the verdicts to be those the stage's own passes saw */
	if (!sink && c->reader.format == SACH_FORMAT_JSONL && c->out_format == SACH_FORMAT_JSONL)
		r.raw = raw;
	r.raw_inputs = raw != NULL;
	r.first_block = true;
	r.inputs = json_object_new_array();
	r.show_progress = c->progress || isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	r.last = r.t0;

	if (!sink && open_writer(&r.out, c->output, c->compress, c->level) < 0)
		goto fail;
	if (c->rejected_path &&
	    open_writer(&r.rejected, c->rejected_path, sach_compression_from_path(c->rejected_path), 0) < 0)
		goto fail;
	if (c->on_error == ON_ERROR_QUARANTINE &&
	    open_writer(&r.quarantine, c->quarantine_path,
			sach_compression_from_path(c->quarantine_path), 0) < 0)
		goto fail;

	for (i = 0; i < c->ninputs; i++) {
		exit_code = run_input(&r, c->inputs[i]);
		if (exit_code)
			goto fail;
	}
	progress(&r, r.bytes_decoded, true);
	if (r.in != r.kept + r.dropped + r.skipped + r.quarantined) {
		tool_warn("internal error: records do not add up (%llu in)", (unsigned long long)r.in);
		goto fail;
	}
	if (finish && finish(stage->ctx) < 0) {
		tool_warn("%s", sach_error_last());
		goto fail;
	}
	/* Side outputs first: the main output lands last, so a consumer that
	 * waits for it finds the rest already in place. */
	if (r.quarantine) {
		if (sach_writer_commit(r.quarantine) < 0) {
			r.quarantine = NULL;
			tool_warn("%s", sach_error_last());
			goto fail;
		}
		r.quarantine = NULL;
	}
	if (r.rejected) {
		if (sach_writer_commit(r.rejected) < 0) {
			r.rejected = NULL;
			tool_warn("%s", sach_error_last());
			goto fail;
		}
		r.rejected = NULL;
	}
	if (c->stats_path) {
		json_object *s = stats_object(&r);
		const char *text = json_object_to_json_string_ext(s, JSON_C_TO_STRING_PRETTY |
								     JSON_C_TO_STRING_SPACED |
								     JSON_C_TO_STRING_NOSLASHESCAPE);
		sach_writer *sw = NULL;
		bool ok = open_writer(&sw, c->stats_path, SACH_COMPRESS_NONE, 0) == 0;

		if (ok && (sach_writer_write(sw, text, strlen(text)) < 0 ||
			   sach_writer_write(sw, "\n", 1) < 0)) {
			sach_writer_abort(sw);
			tool_warn("%s", sach_error_last());
			ok = false;
		} else if (ok && sach_writer_commit(sw) < 0) {
			tool_warn("%s", sach_error_last());
			ok = false;
		}
		if (!ok) {
			json_object_put(s);
			goto fail;
		}
		json_object_put(s);
	}
	if (r.out && sach_writer_commit(r.out) < 0) {
		int e = errno;
		r.out = NULL;
		if (e != EPIPE)
			tool_warn("%s", sach_error_last());
		goto fail;
	}
	r.out = NULL;
	summary(&r);
	json_object_put(r.inputs);
	sach_buf_free(&r.line);
	/* Lost data (unreadable or cut inputs) fails the run even when the
	 * policy let it go on: those records cannot be accounted for. */
	return r.stream_errors ? SACH_EXIT_FAILURE : SACH_EXIT_OK;
fail:
	if (r.progress_drawn)
		fputc('\n', stderr);
	sach_writer_abort(r.out);
	sach_writer_abort(r.rejected);
	sach_writer_abort(r.quarantine);
	json_object_put(r.inputs);
	sach_buf_free(&r.line);
	return exit_code ? exit_code : SACH_EXIT_FAILURE;
}

int tool_run(const tool_common *c, const tool_stage *stage)
{
	return run_records(c, stage, NULL, false, NULL);
}

int tool_run_raw(const tool_common *c, const tool_stage *stage, const tool_raw_path *raw)
{
	return run_records(c, stage, NULL, false, raw);
}

int tool_run_sink(const tool_common *c, const tool_stage *stage, int (*finish)(void *ctx))
{
	return run_records(c, stage, finish, true, NULL);
}

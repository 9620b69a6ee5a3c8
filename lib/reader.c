/*
 * reader.c - records from a decoded byte stream.
 *
 * Lines are found with memchr in one buffer that grows only as far as the
 * longest record needs (bounded by max_record_bytes plus one read chunk), so
 * memory stays flat whatever the input size. A line longer than the limit
 * is not kept whole: its first max_record_bytes bytes stay available for
 * quarantine, the rest is read and counted in place, and the reader resumes
 * at the next line. Records never split a UTF-8 sequence because they are
 * cut only at '\n'.
 *
 * Empty lines, and in text mode lines of only spaces, tabs or CR, are not
 * records; they are counted (sach_reader_blank_lines) so nothing is
 * silently dropped. JSONL lines may end in CRLF; the CR is not part of the
 * record.
 */
#include "doc_internal.h"
#include "error_internal.h"
#include "input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_CHUNK ((size_t)256 * 1024)

struct sach_reader {
	sach_reader_options opts;
	char *name;
	sach_input *in;
	int failed;
	bool in_eof;

	char *buf;
	size_t cap, pos, end;     /* unread data is buf[pos, end) */
	uint64_t line_no;         /* lines consumed so far */
	uint64_t bytes_decoded;
	uint64_t blank_lines;

	/* The last record (borrowed views). */
	const char *raw;
	size_t raw_len;
	bool raw_truncated;
	uint64_t raw_total;
	uint64_t rec_line;

	sach_buf block;           /* text blocks are assembled here */
	bool bom_checked;
	json_tokener *tok;
	sach_doc doc;
};

sach_compression sach_compression_from_path(const char *path)
{
	size_t n = strlen(path);

	if (n >= 4 && strcmp(path + n - 4, ".zst") == 0)
		return SACH_COMPRESS_ZSTD;
	if (n >= 3 && strcmp(path + n - 3, ".gz") == 0)
		return SACH_COMPRESS_GZIP;
	return SACH_COMPRESS_NONE;
}

int sach_compression_from_name(const char *name, sach_compression *out)
{
	if (strcmp(name, "none") == 0)
		*out = SACH_COMPRESS_NONE;
	else if (strcmp(name, "gzip") == 0 || strcmp(name, "gz") == 0)
		*out = SACH_COMPRESS_GZIP;
	else if (strcmp(name, "zstd") == 0 || strcmp(name, "zst") == 0)
		*out = SACH_COMPRESS_ZSTD;
	else
		return sach__error_set(SACH_EINVAL,
			"unknown compression '%s' (expected none, gzip or zstd)", name);
	return SACH_OK;
}

static int fill(sach_reader *r);

int sach_reader_open(sach_reader **out, const char *path, const sach_reader_options *opts)
{
	sach_reader *r;
	const char *display;
	int rc;

	*out = NULL;
	if (!opts || opts->version != SACH_READER_OPTIONS_VERSION)
		return sach__error_set(SACH_EINVAL, "reader options: unknown version");
	if (opts->max_record_bytes == 0 || opts->max_record_bytes > ((size_t)1 << 40))
		return sach__error_set(SACH_EINVAL, "max record size out of range");
	if (!opts->text_field || !*opts->text_field || !opts->id_field || !*opts->id_field)
		return sach__error_set(SACH_EINVAL, "text and id field names must not be empty");
	if (strcmp(opts->text_field, SACH_META_KEY) == 0 || strcmp(opts->id_field, SACH_META_KEY) == 0)
		return sach__error_set(SACH_EINVAL, "the text and id fields may not be \"%s\" (reserved)",
				       SACH_META_KEY);
	if (strcmp(opts->text_field, opts->id_field) == 0)
		return sach__error_set(SACH_EINVAL, "the text and id fields must differ");
	r = calloc(1, sizeof(*r));
	if (!r)
		return sach__error_nomem();
	r->opts = *opts;
	display = strcmp(path, "-") == 0 ? "<stdin>" : path;
	r->name = strdup(display);
	r->cap = READ_CHUNK / 4; /* grows to the longest record as needed */
	r->buf = malloc(r->cap);
	r->tok = json_tokener_new();
	if (r->tok)
		json_tokener_set_flags(r->tok, JSON_TOKENER_STRICT);
	if (!r->name || !r->buf || !r->tok) {
		sach_reader_close(r);
		return sach__error_nomem();
	}
	rc = sach__input_open(&r->in, path, r->name);
	if (rc < 0) {
		sach_reader_close(r);
		return rc;
	}
	r->doc.source = r->name;
	r->doc.text_field = opts->text_field;
	r->doc.id_field = opts->id_field;
	*out = r;
	return SACH_OK;
}

/* Reads more decoded bytes at buf[end]; grows the buffer if needed. */
static int fill(sach_reader *r)
{
	size_t got;
	int rc;

	if (r->pos > 0 && (r->end == r->cap || r->pos > r->cap / 2)) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->end < READ_CHUNK / 4) {
		size_t ncap = r->cap * 2;
		char *nb;

		if (ncap > r->opts.max_record_bytes + 2 * READ_CHUNK)
			ncap = r->opts.max_record_bytes + 2 * READ_CHUNK;
		if (ncap <= r->cap)
			ncap = r->cap + READ_CHUNK;
		nb = realloc(r->buf, ncap);
		if (!nb)
			return sach__error_nomem();
		r->buf = nb;
		r->cap = ncap;
	}
	rc = sach__input_read(r->in, r->buf + r->end, r->cap - r->end, &got);
	if (rc < 0)
		return rc;
	if (got == 0)
		r->in_eof = true;
	r->end += got;
	r->bytes_decoded += got;
	return SACH_OK;
}

/*
 * Next physical line. Returns 1 with *line and *len (no '\n'), 0 at EOF,
 * SACH_ETOOBIG for an over-long line (prefix in *line), or a stream error.
 */
static int next_line(sach_reader *r, const char **line, size_t *len)
{
	size_t scan = r->pos;
	const size_t max = r->opts.max_record_bytes;

	for (;;) {
		char *nl = memchr(r->buf + scan, '\n', r->end - scan);
		int rc;

		if (nl) {
			*line = r->buf + r->pos;
			*len = (size_t)(nl - *line);
			r->pos = (size_t)(nl - r->buf) + 1;
			r->line_no++;
			/* A CR before the LF is part of the line ending, not the record. */
			if (*len > max && !(*len == max + 1 && (*line)[max] == '\r'))
				goto too_long_done;
			return 1;
		}
		if (r->end - r->pos > max)
			break;
		if (r->in_eof) {
			if (r->end == r->pos)
				return 0;
			*line = r->buf + r->pos;
			*len = r->end - r->pos;
			r->pos = r->end;
			r->line_no++;
			return 1;
		}
		scan = r->end;
		/* Keep a relative scan position across the compaction in fill(). */
		scan -= r->pos;
		rc = fill(r);
		if (rc < 0)
			return rc;
		scan += r->pos;
	}

	/* Over-long: keep buf[pos, pos+max) as the prefix; read and count the rest
	 * in the space after it until the line ends. */
	{
		size_t keep_end = r->pos + max;
		uint64_t total = r->end - r->pos;

		r->end = keep_end;
		for (;;) {
			size_t got;
			char *nl;
			int rc;

			if (r->cap - keep_end < READ_CHUNK) {
				/* fill() may move the prefix; do it by hand to keep offsets. */
				char *nb = realloc(r->buf, keep_end + READ_CHUNK);
				if (!nb)
					return sach__error_nomem();
				r->buf = nb;
				r->cap = keep_end + READ_CHUNK;
			}
			rc = sach__input_read(r->in, r->buf + keep_end, r->cap - keep_end, &got);
			if (rc < 0)
				return rc;
			r->bytes_decoded += got;
			if (got == 0) {
				r->in_eof = true;
				r->end = keep_end;
				r->line_no++;
				*line = r->buf + r->pos;
				*len = max;
				r->raw_total = total;
				r->pos = r->end;
				return SACH_ETOOBIG;
			}
			nl = memchr(r->buf + keep_end, '\n', got);
			if (!nl) {
				total += got;
				continue;
			}
			total += (uint64_t)(nl - (r->buf + keep_end));
			r->end = keep_end + got;
			*line = r->buf + r->pos;
			*len = max;
			r->raw_total = total;
			/* The prefix stays in place until the next call moves pos on. */
			r->pos = (size_t)(nl - r->buf) + 1;
			r->line_no++;
			return SACH_ETOOBIG;
		}
	}

too_long_done:
	r->raw_total = *len;
	*len = max;
	return SACH_ETOOBIG;
}

static bool is_blank(const char *s, size_t len, bool spaces_count)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r')
			continue;
		if (spaces_count && (s[i] == ' ' || s[i] == '\t'))
			continue;
		return false;
	}
	return true;
}

static int too_big(sach_reader *r, const char *line, size_t len)
{
	r->raw = line;
	r->raw_len = len;
	r->raw_truncated = true;
	return sach__error_set(SACH_ETOOBIG, "%s:%llu: record of %llu bytes is over the limit of %zu bytes",
			       r->name, (unsigned long long)r->rec_line,
			       (unsigned long long)r->raw_total, r->opts.max_record_bytes);
}

static int stream_failed(sach_reader *r, int rc)
{
	r->failed = rc;
	return rc;
}

static int next_jsonl_or_line(sach_reader *r, sach_doc **doc, bool parse)
{
	const char *line;
	size_t len;
	int rc;

	for (;;) {
		rc = next_line(r, &line, &len);
		if (rc == 0)
			return 0;
		r->rec_line = r->line_no;
		if (rc == SACH_ETOOBIG)
			return too_big(r, line, len);
		if (rc < 0)
			return stream_failed(r, rc);
		if (is_blank(line, len, true)) {
			r->blank_lines++;
			continue;
		}
		break;
	}
	if (len && line[len - 1] == '\r')
		len--;
	r->raw = line;
	r->raw_len = len;
	r->raw_truncated = false;
	r->raw_total = len;
	r->doc.line = r->rec_line;
	if (!parse)
		return 1;
	if (r->opts.format == SACH_FORMAT_TEXT) {
		sach__doc_set_plain(&r->doc, line, len);
	} else {
		rc = sach__doc_parse_jsonl(&r->doc, r->tok, line, len);
		if (rc < 0) {
			char msg[512];
			json_tokener *fresh = json_tokener_new();

			/* json-c 0.16 keeps a pending high surrogate across
			 * json_tokener_reset() when a parse fails right after
			 * one, and puts a U+FFFD before the next \u escape of
			 * any later record: a failed parse gets a new tokener,
			 * so a record reads the same whatever came before it */
			if (fresh) {
				json_tokener_set_flags(fresh, JSON_TOKENER_STRICT);
				json_tokener_free(r->tok);
				r->tok = fresh;
			}
			snprintf(msg, sizeof(msg), "%s", sach_error_last());
			return sach__error_set(rc, "%s:%llu: %s", r->name,
					       (unsigned long long)r->rec_line, msg);
		}
	}
	*doc = &r->doc;
	return 1;
}

/* Reads and counts the rest of a block after its prefix is kept. */
static int skip_block_rest(sach_reader *r, uint64_t *total)
{
	for (;;) {
		const char *l2;
		size_t n2;
		int rc2 = next_line(r, &l2, &n2);

		if (rc2 == 0 || (rc2 == 1 && is_blank(l2, n2, true)))
			return 0;
		if (rc2 < 0 && rc2 != SACH_ETOOBIG)
			return stream_failed(r, rc2);
		*total += 1 + (rc2 == SACH_ETOOBIG ? r->raw_total : n2);
	}
}

/*
 * A block over the limit: its first max_record_bytes bytes are kept in
 * r->block (owned, so reading the rest of the block cannot move them), the
 * rest is read and counted, and the block is reported as SACH_ETOOBIG.
 */
static int block_too_big(sach_reader *r, const char *line, size_t len, uint64_t line_total)
{
	size_t max = r->opts.max_record_bytes;
	size_t room = r->block.len < max ? max - r->block.len : 0;
	uint64_t total = (uint64_t)r->block.len + line_total;
	int rc;

	if ((rc = sach_buf_append(&r->block, line, len < room ? len : room)) < 0)
		return rc;
	if (r->block.len > max)
		r->block.len = max; /* the joining newline itself went over */
	if ((rc = skip_block_rest(r, &total)) < 0)
		return rc;
	r->raw_total = total;
	return too_big(r, r->block.ptr, r->block.len);
}

static int next_block(sach_reader *r, sach_doc **doc)
{
	const char *line;
	size_t len;
	bool started = false;
	int rc;

	sach_buf_clear(&r->block);
	for (;;) {
		/* Peek: a blank line ends a started block. */
		rc = next_line(r, &line, &len);
		if (rc == 0)
			break;
		if (rc == SACH_ETOOBIG) {
			if (!started)
				r->rec_line = r->line_no;
			else if ((rc = sach_buf_append(&r->block, "\n", 1)) < 0)
				return rc;
			return block_too_big(r, line, len, r->raw_total);
		}
		if (rc < 0)
			return stream_failed(r, rc);
		if (is_blank(line, len, true)) {
			if (started)
				break;
			r->blank_lines++;
			continue;
		}
		if (len && line[len - 1] == '\r')
			len--;
		if (!started) {
			started = true;
			r->rec_line = r->line_no;
		} else if ((rc = sach_buf_append(&r->block, "\n", 1)) < 0) {
			return rc;
		}
		if (r->block.len + len > r->opts.max_record_bytes)
			return block_too_big(r, line, len, len);
		if ((rc = sach_buf_append(&r->block, line, len)) < 0)
			return rc;
	}
	if (!started)
		return 0;
	r->raw = r->block.ptr;
	r->raw_len = r->block.len;
	r->raw_truncated = false;
	r->raw_total = r->block.len;
	r->doc.line = r->rec_line;
	sach__doc_set_plain(&r->doc, r->block.ptr, r->block.len);
	*doc = &r->doc;
	return 1;
}

int sach_reader_next(sach_reader *r, sach_doc **doc)
{
	*doc = NULL;
	if (r->failed)
		return r->failed;
	if (!r->bom_checked) {
		/* A UTF-8 byte order mark at the start of the input is not text. */
		int rc = 0;

		r->bom_checked = true;
		while (r->end - r->pos < 3 && !r->in_eof && (rc = fill(r)) == 0)
			;
		if (rc < 0)
			return stream_failed(r, rc);
		if (r->end - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
			r->pos += 3;
	}
	sach__doc_reset(&r->doc);
	r->raw = NULL;
	r->raw_len = 0;
	r->raw_truncated = false;
	if (r->opts.format == SACH_FORMAT_TEXT && r->opts.doc_sep == SACH_DOC_SEP_BLANK)
		return next_block(r, doc);
	return next_jsonl_or_line(r, doc, true);
}

int sach_reader_skip(sach_reader *r)
{
	sach_doc *doc;

	/* Blocks of text cost nothing to "parse"; only JSON lines are worth
	 * skipping unparsed. */
	if (r->failed || !r->bom_checked || r->opts.format != SACH_FORMAT_JSONL)
		return sach_reader_next(r, &doc);
	sach__doc_reset(&r->doc);
	r->raw = NULL;
	r->raw_len = 0;
	r->raw_truncated = false;
	return next_jsonl_or_line(r, &doc, false);
}

void sach_reader_raw(const sach_reader *r, const char **raw, size_t *len,
		     bool *truncated, uint64_t *total_len)
{
	*raw = r->raw ? r->raw : "";
	*len = r->raw_len;
	if (truncated)
		*truncated = r->raw_truncated;
	if (total_len)
		*total_len = r->raw_total;
}

uint64_t sach_reader_line(const sach_reader *r)
{
	return r->rec_line;
}

const char *sach_reader_name(const sach_reader *r)
{
	return r->name;
}

uint64_t sach_reader_bytes_in(const sach_reader *r)
{
	return r->in ? sach__input_raw_bytes(r->in) : 0;
}

uint64_t sach_reader_bytes_decoded(const sach_reader *r)
{
	return r->bytes_decoded;
}

uint64_t sach_reader_blank_lines(const sach_reader *r)
{
	return r->blank_lines;
}

sach_compression sach_reader_compression(const sach_reader *r)
{
	return r->in ? sach__input_compression(r->in) : SACH_COMPRESS_NONE;
}

void sach_reader_close(sach_reader *r)
{
	if (!r)
		return;
	sach__doc_release(&r->doc);
	sach__input_close(r->in);
	if (r->tok)
		json_tokener_free(r->tok);
	sach_buf_free(&r->block);
	free(r->buf);
	free(r->name);
	free(r);
}

/* ---- records cut from bytes held in memory ---- */

/*
 * The same cut as next_jsonl_or_line() above, over a whole input at once
 * (a mapped file): a UTF-8 BOM at the start, lines at '\n', blank lines
 * counted and passed over, one CR before the LF not part of the record,
 * longer lines reported with their first max_record_bytes bytes. The one
 * case the stream reader decides by where a read happens to end (a line of
 * exactly max_record_bytes + 1 bytes whose last byte is CR: over the limit
 * only if a read stopped right before its LF) is refused, so a caller can
 * read that input with sach_reader instead.
 */
struct sach_record_cutter {
	const char *data;
	size_t size, pos, max;
	char *name;
	uint64_t line_no, blank_lines;
	bool started;
};

int sach_record_cutter_new(sach_record_cutter **out, const char *data, size_t size,
			   const char *name, const sach_reader_options *opts)
{
	sach_record_cutter *c;

	*out = NULL;
	if (!opts || opts->version != SACH_READER_OPTIONS_VERSION || (!data && size) || !name)
		return sach__error_set(SACH_EINVAL, "record cutter: invalid arguments");
	if (opts->max_record_bytes == 0 || opts->max_record_bytes > ((size_t)1 << 40))
		return sach__error_set(SACH_EINVAL, "max record size out of range");
	if (opts->format == SACH_FORMAT_TEXT && opts->doc_sep == SACH_DOC_SEP_BLANK)
		return sach__error_set(SACH_EUNSUPPORTED,
				       "record cutter: blocks of text need sach_reader");
	if (!(c = calloc(1, sizeof(*c))) || !(c->name = strdup(name))) {
		free(c);
		return sach__error_nomem();
	}
	c->data = data;
	c->size = size;
	c->max = opts->max_record_bytes;
	*out = c;
	return SACH_OK;
}

int sach_record_cutter_next(sach_record_cutter *c, sach_record_span *rec)
{
	if (!c->started) {
		c->started = true;
		if (c->size >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0)
			c->pos = 3;
	}
	while (c->pos < c->size) {
		const char *line = c->data + c->pos;
		const char *nl = memchr(line, '\n', c->size - c->pos);
		size_t len = nl ? (size_t)(nl - line) : c->size - c->pos;

		rec->start = c->pos;
		c->pos = nl ? (size_t)(nl - c->data) + 1 : c->size;
		rec->next = c->pos;
		rec->line = ++c->line_no;
		if (len > c->max) {
			if (nl && len == c->max + 1 && line[c->max] == '\r')
				return sach__error_set(SACH_EUNSUPPORTED,
					"%s:%llu: a line of %zu bytes ending in CR: whether it is over "
					"the limit depends on read sizes", c->name,
					(unsigned long long)rec->line, len);
			rec->raw = line;
			rec->len = c->max;
			rec->truncated = true;
			rec->total_len = len;
			return sach__error_set(SACH_ETOOBIG,
				"%s:%llu: record of %llu bytes is over the limit of %zu bytes",
				c->name, (unsigned long long)rec->line, (unsigned long long)len, c->max);
		}
		if (is_blank(line, len, true)) {
			c->blank_lines++;
			continue;
		}
		if (len && line[len - 1] == '\r')
			len--;
		rec->raw = line;
		rec->len = len;
		rec->truncated = false;
		rec->total_len = len;
		return 1;
	}
	return 0;
}

uint64_t sach_record_cutter_blank_lines(const sach_record_cutter *c)
{
	return c->blank_lines;
}

void sach_record_cutter_free(sach_record_cutter *c)
{
	if (!c)
		return;
	free(c->name);
	free(c);
}

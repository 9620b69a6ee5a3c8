/*
 * fuzz_reader.c - libFuzzer target for the record reader and the JSONL
 * writer of documents (lib/reader.c, lib/input.c, lib/doc.c, lib/jsonspan.c,
 * and, for some inputs, lib/writer.c).
 *
 * Input layout:
 *   byte 0  bits 0-1  format: 0, 3 JSONL; 1 text, one doc per line;
 *                     2 text, docs separated by blank lines
 *           bits 2-3  text/id field names (see field_names)
 *           bits 4-6  how the text is changed (see make_text)
 *           bit  7    set: write no meta (exercises the verbatim path)
 *   byte 1  bits 3-7  max_record_bytes = 64 + 128 * value (64..4032)
 *           bits 0-2  7: writer round trip: the output lines also go through
 *                     sach_writer, compressed by (bits 3-7) % 3 (0 none,
 *                     1 gzip, 2 zstd), and are read back; rejected records
 *                     go to a quarantine file that is parsed back.
 *                     Other values: no round trip. (A round trip opens two
 *                     writers and a reader, some MB of buffers, which under
 *                     ASan costs several times the rest: 1 input in 8.)
 *   rest    the file the reader opens (plain, zstd or gzip: it sniffs)
 *
 * The data reaches the reader as "/proc/self/fd/N" of a memfd, so nothing
 * touches the disk.
 *
 * Properties checked for every record:
 *   - sach_doc_write_jsonl() gives exactly one line (one '\n', at the end,
 *     no NUL byte) that json-c parses as one object with nothing after it;
 *   - its text field equals, byte for byte, the text that was set;
 *   - the meta value set is there as "sach": {"fuzz": {...}};
 *   - for JSONL input, every other member of the original record is still
 *     there with an equal value, and no member was added but "sach";
 *   - the line is accepted again by sach's own strict record parser
 *     (sach__doc_parse_jsonl), with the same text;
 *   - rejected records: codes are the documented ones, raw bytes are within
 *     max_record_bytes, SACH_ETOOBIG reports a total above the limit;
 *   - an unchanged text with no meta is written back verbatim;
 *   - a stream error is final (the next call returns the same code), and
 *     the end is final (0 again);
 *   - line numbers of successive records strictly increase.
 * With the writer round trip, also: reading the written file back gives
 * the same texts in the same order and the compression that was written,
 * and each quarantine entry's header is JSON whose "bytes" is followed by
 * exactly the raw bytes of the rejected record.
 * At most MAX_RECORDS records are read per input, so a decompression bomb
 * of tiny records stays fast. Failures abort() with a message, whatever
 * NDEBUG says.
 */
#include "doc_internal.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sach/error.h"
#include "sach/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 4096

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "fuzz_reader: %s:%d: check failed: %s\n", \
				__FILE__, __LINE__, #cond);                \
			fprintf(stderr, "  " __VA_ARGS__);                 \
			fprintf(stderr, "\n");                             \
			abort();                                           \
		}                                                          \
	} while (0)

static const char *const field_names[4][2] = {
	{ "text", "id" },
	{ "content", "doc_id" },
	{ "t", "i" },
	{ "t\xC3\xAA" "x\"t\\", "\x01id\xE1\xBB\x87" }, /* needs escaping, non-ASCII */
};

static int memfd_in = -1, memfd_out = -1, memfd_q = -1;
static char path_in[64], path_out[64], path_q[64];

static int make_memfd(const char *name, char *path, size_t path_size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "fuzz_reader: memfd_create: %s\n", strerror(errno));
		abort();
	}
	snprintf(path, path_size, "/proc/self/fd/%d", fd);
	return fd;
}

static void memfd_reset(int fd, const void *data, size_t size)
{
	const char *p = data;
	off_t off = 0;

	CHECK(ftruncate(fd, 0) == 0, "ftruncate: %s", strerror(errno));
	while (size) {
		ssize_t k = pwrite(fd, p, size, off);
		CHECK(k > 0, "pwrite: %s", strerror(errno));
		p += k;
		off += k;
		size -= (size_t)k;
	}
}

/* The whole content of a memfd, into buf. */
static void memfd_slurp(int fd, sach_buf *buf)
{
	char chunk[65536];
	off_t off = 0;

	sach_buf_clear(buf);
	for (;;) {
		ssize_t k = pread(fd, chunk, sizeof(chunk), off);
		CHECK(k >= 0, "pread: %s", strerror(errno));
		if (k == 0)
			break;
		CHECK(sach_buf_append(buf, chunk, (size_t)k) == 0, "out of memory");
		off += k;
	}
}

/* The new text for a record, from its current text. */
static void make_text(unsigned variant, const char *t, size_t len, sach_buf *out)
{
	static const char suffix[] = " \"\\\n\r\t\b\f\x01\x1f\x7f/ \xE1\xBB\x87 \xF0\x9F\x98\x80 \xC3";
	size_t i;

	sach_buf_clear(out);
	/* Never a NULL pointer, even for the empty text (memcmp needs one). */
	CHECK(sach_buf_reserve(out, 0) == 0, "out of memory");
	switch (variant) {
	case 0: /* append everything JSON must escape, and a cut UTF-8 sequence */
		sach_buf_append(out, t, len);
		sach_buf_append(out, suffix, sizeof(suffix) - 1);
		break;
	case 1: /* bytes reversed: usually invalid UTF-8 */
		CHECK(sach_buf_reserve(out, len) == 0, "out of memory");
		for (i = 0; i < len; i++)
			out->ptr[i] = t[len - 1 - i];
		out->len = len;
		out->ptr[len] = '\0';
		break;
	case 2: /* empty */
		break;
	case 3: /* unchanged: only the meta differs */
		sach_buf_append(out, t, len);
		break;
	case 4: /* with NUL bytes inside */
		sach_buf_append(out, t, len);
		sach_buf_append(out, "\0", 1);
		sach_buf_append(out, t, len);
		sach_buf_append(out, "\0", 1);
		break;
	case 5: /* doubled */
		sach_buf_append(out, t, len);
		sach_buf_append(out, t, len);
		break;
	case 6: /* every byte with its high bit flipped */
		CHECK(sach_buf_reserve(out, len) == 0, "out of memory");
		for (i = 0; i < len; i++)
			out->ptr[i] = (char)(t[i] ^ 0x80);
		out->len = len;
		out->ptr[len] = '\0';
		break;
	default: /* a prefix, cut anywhere (may split a UTF-8 sequence) */
		sach_buf_append(out, t, len / 2);
		break;
	}
}

/* A json-c string value that is exactly the bytes s[0..len). */
static bool json_string_is(json_object *v, const char *s, size_t len)
{
	return v && json_object_is_type(v, json_type_string) &&
	       (size_t)json_object_get_string_len(v) == len &&
	       memcmp(json_object_get_string(v), s, len) == 0;
}

/* Made once and reset for each use: json_tokener_new() is costly under ASan. */
static json_tokener *tok_lax, *tok_strict;

/* Parses one whole line (no '\n') with json-c; NULL unless it is exactly one value. */
static json_object *parse_whole(const char *s, size_t len)
{
	json_tokener *tok = tok_lax;
	json_object *o;
	size_t end;

	json_tokener_reset(tok);
	o = json_tokener_parse_ex(tok, s, (int)len);
	if (o) {
		end = json_tokener_get_parse_end(tok);
		while (end < len && (s[end] == ' ' || s[end] == '\t' || s[end] == '\r'))
			end++;
		if (end != len) {
			json_object_put(o);
			o = NULL;
		}
	}
	return o;
}

struct ctx {
	const char *text_field, *id_field;
	sach_format format;
	sach_buf out;        /* one output line */
	sach_buf newtext;
	sach_buf all_out;    /* every output line, for the writer round trip */
	sach_buf texts;      /* every text set, each as 8-byte length + bytes */
	size_t nrecords;
	bool roundtrip;
};

static void check_record(struct ctx *c, sach_reader *r, sach_doc *doc, unsigned edit,
			 bool want_meta)
{
	const char *text, *id, *raw, *line;
	size_t len, raw_len, line_len;
	bool truncated, meta_ok = false;
	uint64_t total;
	json_object *o, *v, *orig = NULL;
	int rc;

	text = sach_doc_text(doc, &len);
	CHECK(text != NULL, "sach_doc_text gave NULL");
	id = sach_doc_id(doc);
	CHECK(id != NULL, "sach_doc_id gave NULL");
	(void)sach_doc_source(doc);
	(void)sach_doc_line(doc);
	sach_reader_raw(r, &raw, &raw_len, &truncated, &total);
	CHECK(!truncated && total == raw_len, "accepted record marked truncated");

	make_text(edit, text, len, &c->newtext);
	rc = sach_doc_set_text(doc, c->newtext.ptr, c->newtext.len);
	CHECK(rc == 0, "sach_doc_set_text: %d", rc);
	text = sach_doc_text(doc, &len);
	CHECK(len == c->newtext.len && memcmp(text, c->newtext.ptr, len) == 0,
	      "sach_doc_text does not give the text just set");

	if (want_meta) {
		char idcopy[64];

		/* The id may hold anything; cut it for the meta value. */
		snprintf(idcopy, sizeof(idcopy), "%s", id);
		rc = sach_doc_meta_set_string(doc, "fuzz", "id", idcopy);
		if (rc == 0)
			rc = sach_doc_meta_set_int(doc, "fuzz", "len", (int64_t)len);
		/* SACH_EINVAL: the record has a "sach" member that is not an object. */
		CHECK(rc == 0 || rc == SACH_EINVAL, "meta_set: %d", rc);
		meta_ok = rc == 0;
		CHECK(!meta_ok || sach_doc_has_meta(doc), "meta set but has_meta false");
	}

	sach_buf_clear(&c->out);
	rc = sach_doc_write_jsonl(doc, &c->out);
	CHECK(rc == 0, "sach_doc_write_jsonl: %d", rc);
	CHECK(c->out.len >= 3 && c->out.ptr[c->out.len - 1] == '\n', "output is not one line");
	line = c->out.ptr;
	line_len = c->out.len - 1;
	CHECK(memchr(line, '\n', line_len) == NULL, "output has a newline inside: %s", line);
	CHECK(memchr(line, '\0', line_len) == NULL, "output has a NUL byte");

	o = parse_whole(line, line_len);
	CHECK(o != NULL, "output is not one JSON value: %.*s", (int)line_len, line);
	CHECK(json_object_is_type(o, json_type_object), "output is not an object: %s", line);
	CHECK(json_object_object_get_ex(o, c->text_field, &v), "no text field in: %s", line);
	CHECK(json_string_is(v, c->newtext.ptr, c->newtext.len),
	      "text field differs from the text set (%zu bytes) in: %s", c->newtext.len, line);

	if (meta_ok) {
		json_object *st, *x;

		CHECK(json_object_object_get_ex(o, SACH_META_KEY, &v) &&
		      json_object_is_type(v, json_type_object), "no meta object in: %s", line);
		CHECK(json_object_object_get_ex(v, "fuzz", &st) &&
		      json_object_is_type(st, json_type_object), "no meta stage in: %s", line);
		CHECK(json_object_object_get_ex(st, "len", &x) &&
		      json_object_is_type(x, json_type_int) &&
		      json_object_get_int64(x) == (int64_t)len, "meta len wrong in: %s", line);
		CHECK(json_object_object_get_ex(st, "id", &x) &&
		      json_object_is_type(x, json_type_string), "meta id wrong in: %s", line);
	}

	if (c->format == SACH_FORMAT_JSONL) {
		/* Every member but the text and the meta block survives unchanged. */
		int orig_n, out_n;
		bool had_meta;

		orig = parse_whole(raw, raw_len);
		CHECK(orig && json_object_is_type(orig, json_type_object),
		      "accepted record does not parse again: %.*s", (int)raw_len, raw);
		orig_n = json_object_object_length(orig);
		out_n = json_object_object_length(o);
		had_meta = json_object_object_get_ex(orig, SACH_META_KEY, NULL);
		CHECK(out_n == orig_n + (meta_ok && !had_meta),
		      "members: %d in, %d out: %.*s -> %s", orig_n, out_n, (int)raw_len, raw, line);
		json_object_object_foreach(orig, key, val) {
			if (strcmp(key, c->text_field) == 0)
				continue;
			if (strcmp(key, SACH_META_KEY) == 0 && meta_ok)
				continue;
			CHECK(json_object_object_get_ex(o, key, &v) && json_object_equal(val, v),
			      "member \"%s\" changed: %.*s -> %s", key, (int)raw_len, raw, line);
		}
		if (!sach_doc_text_changed(doc) && !sach_doc_has_meta(doc) &&
		    !sach_doc_lone_surrogates(doc)) {
			/* Unchanged text and no meta: written back verbatim (a
			 * text with lone surrogate escapes is always written
			 * with U+FFFD spelled out: sach/doc.h). */
			CHECK(line_len == raw_len && memcmp(line, raw, raw_len) == 0,
			      "unchanged record not verbatim: %.*s -> %s", (int)raw_len, raw, line);
		}
		json_object_put(orig);
	} else {
		CHECK(json_object_object_get_ex(o, c->id_field, &v) &&
		      json_string_is(v, id, strlen(id)), "id field wrong in: %s", line);
		CHECK(json_object_object_length(o) == 2 + meta_ok,
		      "text record became %d members: %s", json_object_object_length(o), line);
	}
	json_object_put(o);

	/* sach's own strict parser accepts what it wrote, with the same text. */
	{
		sach_doc d;
		const char *t2;
		size_t l2;

		memset(&d, 0, sizeof(d));
		d.source = "roundtrip";
		d.text_field = c->text_field;
		d.id_field = c->id_field;
		rc = sach__doc_parse_jsonl(&d, tok_strict, line, line_len);
		CHECK(rc == 0, "sach rejects its own output (%d, %s): %s", rc, sach_error_last(), line);
		t2 = sach_doc_text(&d, &l2);
		CHECK(l2 == c->newtext.len && memcmp(t2, c->newtext.ptr, l2) == 0,
		      "sach reads a different text back from: %s", line);
		sach__doc_release(&d);
	}

	/* Keep for the writer round trip. */
	if (c->roundtrip) {
		uint64_t n = c->newtext.len;

		CHECK(sach_buf_append(&c->all_out, c->out.ptr, c->out.len) == 0 &&
		      sach_buf_append(&c->texts, &n, sizeof(n)) == 0 &&
		      sach_buf_append(&c->texts, c->newtext.ptr, c->newtext.len) == 0,
		      "out of memory");
	}
	c->nrecords++;
}

/* Writes the output lines through sach_writer and reads them back. */
static void writer_round_trip(struct ctx *c, sach_compression comp)
{
	sach_writer_options wo = SACH_WRITER_OPTIONS_INIT;
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	sach_writer *w;
	sach_reader *r;
	sach_doc *doc;
	size_t pos = 0, n = 0;
	int rc;

	wo.compression = comp;
	wo.atomic = false;
	memfd_reset(memfd_out, "", 0);
	rc = sach_writer_open(&w, path_out, &wo);
	CHECK(rc == 0, "sach_writer_open: %d %s", rc, sach_error_last());
	/* In two pieces, to cross a write boundary. */
	rc = sach_writer_write(w, c->all_out.ptr, c->all_out.len / 2);
	CHECK(rc == 0, "sach_writer_write: %d", rc);
	rc = sach_writer_write(w, c->all_out.ptr + c->all_out.len / 2,
			       c->all_out.len - c->all_out.len / 2);
	CHECK(rc == 0, "sach_writer_write: %d", rc);
	CHECK(sach_writer_bytes(w) == c->all_out.len, "sach_writer_bytes");
	rc = sach_writer_commit(w);
	CHECK(rc == 0, "sach_writer_commit: %d %s", rc, sach_error_last());

	ro.text_field = c->text_field;
	ro.id_field = c->id_field;
	rc = sach_reader_open(&r, path_out, &ro);
	CHECK(rc == 0, "sach_reader_open (round trip): %d", rc);
	CHECK(sach_reader_compression(r) == comp,
	      "compression %d written, %d detected", (int)comp, (int)sach_reader_compression(r));
	while ((rc = sach_reader_next(r, &doc)) == 1) {
		const char *t;
		size_t len;
		uint64_t want;

		CHECK(n < c->nrecords, "round trip gives more records than written");
		CHECK(pos + sizeof(want) <= c->texts.len, "texts");
		memcpy(&want, c->texts.ptr + pos, sizeof(want));
		pos += sizeof(want);
		t = sach_doc_text(doc, &len);
		CHECK(len == want && memcmp(t, c->texts.ptr + pos, len) == 0,
		      "round trip record %zu: text differs", n);
		pos += (size_t)want;
		n++;
	}
	CHECK(rc == 0, "round trip read failed: %d %s", rc, sach_error_last());
	CHECK(n == c->nrecords, "round trip: %zu records written, %zu read", c->nrecords, n);
	CHECK(sach_reader_bytes_decoded(r) == c->all_out.len, "round trip: decoded size");
	sach_reader_close(r);
}

/* Parses a quarantine file back: header line, exactly LEN raw bytes, "\n". */
static void check_quarantine(const sach_buf *q, const sach_buf *raws, size_t nq)
{
	static const char head[] = "# sach-quarantine ";
	size_t pos = 0, rpos = 0, k;

	for (k = 0; k < nq; k++) {
		const char *nl;
		json_object *h, *v;
		int64_t bytes;
		uint64_t want;

		CHECK(q->len - pos >= sizeof(head) - 1 &&
		      memcmp(q->ptr + pos, head, sizeof(head) - 1) == 0, "quarantine header");
		pos += sizeof(head) - 1;
		nl = memchr(q->ptr + pos, '\n', q->len - pos);
		CHECK(nl != NULL, "quarantine header without newline");
		h = parse_whole(q->ptr + pos, (size_t)(nl - (q->ptr + pos)));
		CHECK(h && json_object_is_type(h, json_type_object), "quarantine header not JSON");
		CHECK(json_object_object_get_ex(h, "bytes", &v) && json_object_is_type(v, json_type_int),
		      "quarantine header without bytes");
		bytes = json_object_get_int64(v);
		json_object_put(h);
		pos = (size_t)(nl - q->ptr) + 1;
		memcpy(&want, raws->ptr + rpos, sizeof(want));
		rpos += sizeof(want);
		CHECK(bytes >= 0 && (uint64_t)bytes == want, "quarantine bytes %lld, want %llu",
		      (long long)bytes, (unsigned long long)want);
		CHECK(q->len - pos >= want + 1 && memcmp(q->ptr + pos, raws->ptr + rpos, want) == 0 &&
		      q->ptr[pos + want] == '\n', "quarantine raw bytes differ");
		pos += want + 1;
		rpos += want;
	}
	CHECK(pos == q->len, "quarantine file has %zu extra bytes", q->len - pos);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	sach_reader *r;
	sach_writer *qw = NULL;
	sach_doc *doc;
	struct ctx c;
	sach_buf raws = { 0 }, qbuf = { 0 };
	unsigned edit, names;
	bool roundtrip;
	bool want_meta;
	uint64_t last_line = 0;
	size_t nrejected = 0, steps = 0;
	int rc;

	if (size < 2)
		return 0;
	if (memfd_in < 0) {
		memfd_in = make_memfd("fuzz-in", path_in, sizeof(path_in));
		memfd_out = make_memfd("fuzz-out", path_out, sizeof(path_out));
		memfd_q = make_memfd("fuzz-q", path_q, sizeof(path_q));
		tok_lax = json_tokener_new();
		tok_strict = json_tokener_new();
		CHECK(tok_lax && tok_strict, "json_tokener_new");
		json_tokener_set_flags(tok_strict, JSON_TOKENER_STRICT);
	}
	memset(&c, 0, sizeof(c));
	/* Never NULL buffer pointers, even when nothing is appended. */
	CHECK(sach_buf_reserve(&c.all_out, 0) == 0 && sach_buf_reserve(&c.texts, 0) == 0 &&
	      sach_buf_reserve(&raws, 0) == 0 && sach_buf_reserve(&qbuf, 0) == 0,
	      "out of memory");
	switch (data[0] & 3) {
	case 1:
		ro.format = SACH_FORMAT_TEXT;
		ro.doc_sep = SACH_DOC_SEP_LINE;
		break;
	case 2:
		ro.format = SACH_FORMAT_TEXT;
		ro.doc_sep = SACH_DOC_SEP_BLANK;
		break;
	default:
		ro.format = SACH_FORMAT_JSONL;
		break;
	}
	names = (data[0] >> 2) & 3;
	edit = (data[0] >> 4) & 7;
	want_meta = !(data[0] & 0x80);
	roundtrip = (data[1] & 7) == 7;
	ro.max_record_bytes = 64 + 128 * (size_t)(data[1] >> 3);
	ro.text_field = field_names[names][0];
	ro.id_field = field_names[names][1];
	c.text_field = ro.text_field;
	c.id_field = ro.id_field;
	c.format = ro.format;
	c.roundtrip = roundtrip;

	memfd_reset(memfd_in, data + 2, size - 2);
	rc = sach_reader_open(&r, path_in, &ro);
	CHECK(rc == 0, "sach_reader_open: %d %s", rc, sach_error_last());
	CHECK(strcmp(sach_reader_name(r), path_in) == 0, "sach_reader_name");
	if (roundtrip) {
		sach_writer_options wo = SACH_WRITER_OPTIONS_INIT;

		wo.atomic = false;
		memfd_reset(memfd_q, "", 0);
		rc = sach_writer_open(&qw, path_q, &wo);
		CHECK(rc == 0, "sach_writer_open (quarantine): %d %s", rc, sach_error_last());
	}

	for (;;) {
		const char *raw;
		size_t raw_len;
		bool truncated;
		uint64_t total, line;

		if (++steps > MAX_RECORDS)
			break;
		rc = sach_reader_next(r, &doc);
		if (rc == 0) {
			CHECK(doc == NULL, "doc set at the end");
			/* The end is the end. */
			CHECK(sach_reader_next(r, &doc) == 0, "records after the end");
			break;
		}
		if (rc == SACH_EIO || rc == SACH_ECORRUPT) {
			CHECK(sach_reader_compression(r) != SACH_COMPRESS_NONE || rc == SACH_EIO,
			      "plain input reported corrupt");
			CHECK(sach_reader_next(r, &doc) == rc, "stream failure not final");
			break;
		}
		line = sach_reader_line(r);
		CHECK(line > last_line, "record line %llu after line %llu",
		      (unsigned long long)line, (unsigned long long)last_line);
		last_line = line;
		(void)sach_reader_bytes_in(r);
		(void)sach_reader_bytes_decoded(r);
		(void)sach_reader_blank_lines(r);
		if (rc == 1) {
			CHECK(doc != NULL, "no document");
			check_record(&c, r, doc, edit, want_meta);
			continue;
		}
		CHECK(rc == SACH_EJSON || rc == SACH_EFIELD || rc == SACH_ETOOBIG,
		      "unexpected code %d (%s)", rc, sach_error_last());
		CHECK(rc != SACH_EJSON || ro.format == SACH_FORMAT_JSONL, "EJSON in text mode");
		CHECK(rc != SACH_EFIELD || ro.format == SACH_FORMAT_JSONL, "EFIELD in text mode");
		CHECK(sach_error_last()[0] != '\0', "rejected record without a message");
		sach_reader_raw(r, &raw, &raw_len, &truncated, &total);
		CHECK(raw != NULL && raw_len <= ro.max_record_bytes, "raw length %zu", raw_len);
		if (rc == SACH_ETOOBIG) {
			CHECK(truncated && total > ro.max_record_bytes && raw_len == ro.max_record_bytes,
			      "ETOOBIG: raw %zu, total %llu, limit %zu", raw_len,
			      (unsigned long long)total, ro.max_record_bytes);
		} else {
			CHECK(!truncated && total == raw_len, "rejected record marked truncated");
		}
		if (qw) {
			uint64_t n = raw_len;

			rc = sach_quarantine_write(qw, sach_reader_name(r), line, sach_error_last(),
						   raw, raw_len, truncated, total);
			CHECK(rc == 0, "sach_quarantine_write: %d", rc);
			CHECK(sach_buf_append(&raws, &n, sizeof(n)) == 0 &&
			      sach_buf_append(&raws, raw, raw_len) == 0, "out of memory");
			nrejected++;
		}
	}
	sach_reader_close(r);

	if (qw) {
		rc = sach_writer_commit(qw);
		CHECK(rc == 0, "sach_writer_commit (quarantine): %d", rc);
		memfd_slurp(memfd_q, &qbuf);
		check_quarantine(&qbuf, &raws, nrejected);
		static const sach_compression comp[3] = {
			SACH_COMPRESS_NONE, SACH_COMPRESS_GZIP, SACH_COMPRESS_ZSTD
		};
		writer_round_trip(&c, comp[(data[1] >> 3) % 3]);
	}

	sach_buf_free(&raws);
	sach_buf_free(&qbuf);
	sach_buf_free(&c.out);
	sach_buf_free(&c.newtext);
	sach_buf_free(&c.all_out);
	sach_buf_free(&c.texts);
	sach_error_clear();
	return 0;
}

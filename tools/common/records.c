/*
 * records.c - the records of one input for the record loop: from
 * sach_reader, or, for the raw path (tool_run_raw() and sach-dedupe's
 * pre-key pass), from the input mapped into memory when it is a regular
 * uncompressed JSONL file (stdin too, when it is one).
 *
 * Why map: a mapped input is cut with one memchr per record and never
 * copied, and its records stay in place until the input is closed, so
 * other threads can parse them where they lie (sach-dedupe's pre-key pass)
 * and a kept record can be written out without being parsed at all.
 * sach_record_cutter and sach_record_parser give the reader's records,
 * verdicts, documents and messages; the one line whose cut the reader
 * leaves to its read sizes makes this source switch to a reader for the
 * rest of the input, so callers always see what sach_reader would give.
 *
 * For the raw path every JSONL record is parsed by sach_record_parser,
 * mapped or not: its verdicts depend on the record alone, as they do on
 * the worker threads that judged the records before (a reader's json-c
 * tokener can carry state from one record to the next, see doc_check.c),
 * so the passes of a run agree on every record.
 */
#define _POSIX_C_SOURCE 200809L
#include "tool.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct tool_records {
	sach_reader *rd;             /* reading (or, after a switch, the rest) */
	sach_reader_options opts;
	char *path, *name;
	/* mapped */
	void *map;
	size_t map_len;
	const char *data;            /* the input: map + the offset stdin was at */
	size_t size;
	off_t off;
	struct stat st;
	sach_record_cutter *cut;
	sach_record_parser *parser; /* the raw path: parses every record */
	sach_record_span span;
	uint64_t returned;           /* records returned (for a switch) */
	bool at_end;
};

/*
 * Maps kept from one pass to the next (tool_records_keep_maps()): mapping
 * a file and taking the mapping down again cost the kernel about as much
 * as cutting its records, so a second pass over a file uses the first
 * pass's map, its pages already in place. A file is known again by device,
 * inode, size and modification time.
 */
struct kept_map {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	void *map;
};

static struct kept_map *kept;
static size_t nkept;
static bool keeping;

static struct kept_map *find_kept(const struct stat *st)
{
	size_t i;

	for (i = 0; i < nkept; i++)
		if (kept[i].dev == st->st_dev && kept[i].ino == st->st_ino &&
		    kept[i].size == st->st_size && kept[i].mtime.tv_sec == st->st_mtim.tv_sec &&
		    kept[i].mtime.tv_nsec == st->st_mtim.tv_nsec)
			return &kept[i];
	return NULL;
}

void tool_records_keep_maps(bool keep)
{
	size_t i;

	keeping = keep;
	if (keep)
		return;
	for (i = 0; i < nkept; i++)
		munmap(kept[i].map, (size_t)kept[i].size);
	free(kept);
	kept = NULL;
	nkept = 0;
}

/* Keeps the map of a closing input for the next pass; false if it cannot
 * (the caller unmaps it). */
static bool keep_map(const tool_records *s)
{
	struct kept_map *v;

	if (!keeping)
		return false;
	if (find_kept(&s->st))
		return true; /* that map is kept already: it is the same one */
	if (!(v = realloc(kept, (nkept + 1) * sizeof(*v))))
		return false;
	kept = v;
	kept[nkept].dev = s->st.st_dev;
	kept[nkept].ino = s->st.st_ino;
	kept[nkept].size = s->st.st_size;
	kept[nkept].mtime = s->st.st_mtim;
	kept[nkept].map = s->map;
	nkept++;
	return true;
}

/*
 * Maps the input from offset s->off on when it is a regular file; false
 * when it cannot be, which is never an error: the reader reads it. (The
 * caller has the reader tell whether it is compressed.)
 */
static bool map_input(tool_records *s, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	struct stat *st = &s->st;
	struct kept_map *k;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	bool ok = false;

	if (fd < 0)
		return false;
	if (s->off < 0 || fstat(fd, st) < 0 || !S_ISREG(st->st_mode) || st->st_size <= s->off ||
	    (uint64_t)st->st_size > (uint64_t)SIZE_MAX)
		goto out;
	s->map_len = (size_t)st->st_size;
	if ((k = find_kept(st)) != NULL) {
		s->map = k->map;
	} else if ((s->map = mmap(NULL, s->map_len, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		s->map = NULL;
		goto out;
	}
	s->data = (const char *)s->map + s->off;
	s->size = s->map_len - (size_t)s->off;
	/* stdin is now read, as a reader would leave it */
	if (is_stdin)
		lseek(fd, st->st_size, SEEK_SET);
	ok = true;
out:
	if (!is_stdin)
		close(fd);
	return ok;
}

int tool_records_open(tool_records **out, const char *path, const sach_reader_options *opts,
		      bool raw)
{
	tool_records *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s || !(s->path = strdup(path)) ||
	    !(s->name = strdup(strcmp(path, "-") == 0 ? "<stdin>" : path))) {
		tool_records_close(s);
		return SACH_ENOMEM;
	}
	s->opts = *opts;
	raw = raw && opts->format == SACH_FORMAT_JSONL;
	if (raw && (rc = sach_record_parser_new(&s->parser, opts)) < 0) {
		tool_records_close(s);
		return rc;
	}
	/* where stdin stands before the reader's first read */
	s->off = strcmp(path, "-") == 0 ? lseek(STDIN_FILENO, 0, SEEK_CUR) : 0;
	if ((rc = sach_reader_open(&s->rd, path, opts)) < 0) {
		tool_records_close(s);
		return rc;
	}
	if (raw && sach_reader_compression(s->rd) == SACH_COMPRESS_NONE && map_input(s, path)) {
		sach_reader_close(s->rd);
		s->rd = NULL;
		if ((rc = sach_record_cutter_new(&s->cut, s->data, s->size, s->name, opts)) < 0) {
			tool_records_close(s);
			return rc;
		}
	}
	*out = s;
	return SACH_OK;
}

/* The rest of a mapped input through a reader: the records returned so
 * far are read again and passed over, so the reader is where we are. */
static int switch_to_reader(tool_records *s)
{
	uint64_t k;
	int rc;

	if (strcmp(s->path, "-") == 0)
		lseek(STDIN_FILENO, s->off, SEEK_SET);
	if ((rc = sach_reader_open(&s->rd, s->path, &s->opts)) < 0)
		return rc;
	for (k = 0; k < s->returned; k++)
		if ((rc = sach_reader_skip(s->rd)) == 0 || rc == SACH_EIO || rc == SACH_ECORRUPT ||
		    rc == SACH_ENOMEM)
			return rc ? rc : SACH_EIO; /* the input changed under us */
	return SACH_OK;
}

static int reader_next(tool_records *s, sach_doc **doc)
{
	const char *raw;
	size_t len;
	int rc;

	if (!doc)
		return sach_reader_skip(s->rd);
	if (!s->parser)
		return sach_reader_next(s->rd, doc);
	/* the reader cuts (and, at the first record, judges as we would) */
	if ((rc = sach_reader_skip(s->rd)) != 1)
		return rc;
	sach_reader_raw(s->rd, &raw, &len, NULL, NULL);
	rc = sach_record_parser_parse(s->parser, s->name, sach_reader_line(s->rd), raw, len, doc);
	return rc < 0 ? rc : 1;
}

int tool_records_next(tool_records *s, sach_doc **doc)
{
	int rc;

	if (doc)
		*doc = NULL;
	if (s->rd)
		return reader_next(s, doc);
	rc = sach_record_cutter_next(s->cut, &s->span);
	if (rc == SACH_EUNSUPPORTED) {
		if ((rc = switch_to_reader(s)) < 0)
			return rc;
		return reader_next(s, doc);
	}
	if (rc == 0) {
		s->at_end = true;
		return 0;
	}
	s->returned++;
	if (rc < 0 || !doc)
		return rc;
	rc = sach_record_parser_parse(s->parser, s->name, s->span.line, s->span.raw, s->span.len,
				      doc);
	return rc < 0 ? rc : 1;
}

void tool_records_raw(const tool_records *s, const char **raw, size_t *len, bool *truncated,
		      uint64_t *total)
{
	if (s->rd) {
		sach_reader_raw(s->rd, raw, len, truncated, total);
		return;
	}
	*raw = s->span.raw ? s->span.raw : "";
	*len = s->span.len;
	if (truncated)
		*truncated = s->span.truncated;
	if (total)
		*total = s->span.total_len;
}

bool tool_records_raw_stable(const tool_records *s)
{
	return !s->rd;
}

uint64_t tool_records_line(const tool_records *s)
{
	return s->rd ? sach_reader_line(s->rd) : s->span.line;
}

const char *tool_records_name(const tool_records *s)
{
	return s->name;
}

uint64_t tool_records_bytes_in(const tool_records *s)
{
	return s->rd ? sach_reader_bytes_in(s->rd) : s->at_end ? s->size : s->span.next;
}

uint64_t tool_records_bytes_decoded(const tool_records *s)
{
	return s->rd ? sach_reader_bytes_decoded(s->rd) : s->at_end ? s->size : s->span.next;
}

uint64_t tool_records_blank_lines(const tool_records *s)
{
	return s->rd ? sach_reader_blank_lines(s->rd) : sach_record_cutter_blank_lines(s->cut);
}

void tool_records_close(tool_records *s)
{
	if (!s)
		return;
	sach_reader_close(s->rd);
	sach_record_cutter_free(s->cut);
	sach_record_parser_free(s->parser);
	if (s->map && !keep_map(s) && !find_kept(&s->st))
		munmap(s->map, s->map_len);
	free(s->path);
	free(s->name);
	free(s);
}

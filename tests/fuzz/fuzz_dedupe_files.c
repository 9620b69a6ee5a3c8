/*
 * fuzz_dedupe_files.c - libFuzzer target for the readers of sach-dedupe's
 * files: signature files, drop lists and indexes (lib/dedupe_file.c, and
 * the record parsers of lib/dedupe_cluster.c and lib/dedupe_apply.c). They
 * are read back from disk, and an index directory comes from the user, so
 * every byte of them is hostile.
 *
 * Input layout:
 *   byte 0  bits 0-1  what the rest is:
 *                     0 a signature file, clustered alone
 *                     1 a drop list, opened by the applier, which then
 *                       applies the documents of DOCS (below)
 *                     2 the index file of an index directory, clustered
 *                       with a signature file of DOCS made by the target
 *                     3 as 2, with update_index (the index is rewritten)
 *           bit  2    fix up the trailer first: walk the records as the
 *                     format defines them, then set the record count and
 *                     the XXH3-64 checksum of the trailer (cutting the file
 *                     after the last whole record and appending a trailer
 *                     when the walk does not end at one). Without it most
 *                     mutations fail the checksum and clustering and
 *                     applying are never reached.
 *           bit  3    zstd-compress the file before writing it
 *           bit  4    cluster: keep_cluster_info; drop list: apply part 1
 *                     instead of part 0
 *           bits 5-6  cluster memory budget (see budgets[])
 *           bit  7    line_min_docs 1 instead of 2
 *   rest    the file's bytes
 *
 * Every file lives in a per-process temporary directory (under /dev/shm
 * when there is one, so the writers' fsync costs nothing), removed at exit.
 *
 * Properties checked:
 *   - no crash, leak, hang or unbounded allocation (the sanitizers and
 *     libFuzzer's -timeout and -rss_limit_mb);
 *   - every failure is a documented negative code, and a message that
 *     names the file read (or says the memory budget was too small, or
 *     that the input does not match what was signed, for apply);
 *   - a drop list that cluster wrote opens in the applier, for the part of
 *     the signature file; an index that cluster rewrote loads again;
 *   - nothing but the expected files is left in the temporary directory
 *     (writers that fail leave no temporary file behind).
 * Failures abort() with a message, whatever NDEBUG says.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>
#include <zstd.h>

#include "sach/dedupe.h"
#include "sach/doc.h"
#include "sach/error.h"
#include "sach/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                         \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "fuzz_dedupe_files: %s:%d: check failed: %s\n", \
				__FILE__, __LINE__, #cond);                      \
			fprintf(stderr, "  " __VA_ARGS__);                       \
			fprintf(stderr, "\n");                                   \
			abort();                                                 \
		}                                                                \
	} while (0)

/* The documents the applier sees and the index mode signs: exact and near
 * duplicates and repeated lines, so every kind of decision is reachable
 * from a drop list made from them (the seeds are). JSON escapes keep the
 * source ASCII. */
static const char docs_jsonl[] =
	"{\"id\": \"a\", \"text\": \"Bu\\u1ed5i s\\u00e1ng \\u1edf l\\u00e0ng ch\\u00e0i b\\u1eaft "
	"\\u0111\\u1ea7u t\\u1eeb r\\u1ea5t s\\u1edbm khi thuy\\u1ec1n c\\u1eadp b\\u1ebfn.\\n"
	"Xem th\\u00eam c\\u00e1c tin kh\\u00e1c t\\u1ea1i chuy\\u00ean m\\u1ee5c \\u0110\\u1eddi "
	"s\\u1ed1ng.\"}\n"
	"{\"id\": \"b\", \"text\": \"Th\\u01b0 vi\\u1ec7n c\\u1ee7a tr\\u01b0\\u1eddng v\\u1eeba "
	"\\u0111\\u01b0\\u1ee3c s\\u1eeda sang l\\u1ea1i sau nhi\\u1ec1u n\\u0103m.\\n"
	"Xem th\\u00eam c\\u00e1c tin kh\\u00e1c t\\u1ea1i chuy\\u00ean m\\u1ee5c \\u0110\\u1eddi "
	"s\\u1ed1ng.\"}\n"
	"{\"id\": \"c\", \"text\": \"BU\\u1ed4I S\\u00c1NG \\u1edf l\\u00e0ng ch\\u00e0i b\\u1eaft "
	"\\u0111\\u1ea7u t\\u1eeb r\\u1ea5t s\\u1edbm khi thuy\\u1ec1n c\\u1eadp b\\u1ebfn.\\n"
	"Xem th\\u00eam c\\u00e1c tin kh\\u00e1c t\\u1ea1i chuy\\u00ean m\\u1ee5c \\u0110\\u1eddi "
	"s\\u1ed1ng.\"}\n"
	"\n"
	"{\"id\": \"d\", \"text\": \"Th\\u01b0 vi\\u1ec7n c\\u1ee7a tr\\u01b0\\u1eddng v\\u1eeba "
	"\\u0111\\u01b0\\u1ee3c s\\u1eeda sang l\\u1ea1i sau nhi\\u1ec1u n\\u0103m xu\\u1ed1ng "
	"c\\u1ea5p.\\n\\nXem th\\u00eam c\\u00e1c tin kh\\u00e1c t\\u1ea1i chuy\\u00ean m\\u1ee5c "
	"\\u0110\\u1eddi s\\u1ed1ng.\"}\n"
	"{\"id\": \"e\", \"text\": \"M\\u1ed9t \\u0111o\\u1ea1n v\\u0103n kh\\u00e1c h\\u1eb3n, "
	"kh\\u00f4ng tr\\u00f9ng v\\u1edbi b\\u00e0i n\\u00e0o.\\n"
	"Xem th\\u00eam c\\u00e1c tin kh\\u00e1c t\\u1ea1i chuy\\u00ean m\\u1ee5c \\u0110\\u1eddi "
	"s\\u1ed1ng.\\nT\\u00e1c gi\\u1ea3: Nguy\\u1ec5n V\\u0103n A\"}\n"
	"{\"id\": \"f\", \"text\": \"\"}\n";

static const size_t budgets[4] = { (size_t)4 << 20, (size_t)16 << 20, (size_t)1 << 20,
				   (size_t)64 << 10 };

#define HEADER_BYTES 60
#define TRAILER_BYTES 17

static char dir[256];       /* the per-process temporary directory */
static char in_path[300];   /* the fuzzed file (modes 0 and 1) */
static char docs_path[300]; /* DOCS as JSONL */
static char sig_path[300];  /* DOCS signed, for the index modes */
static char drop_path[300]; /* cluster's output */
static char idx_dir[300];   /* index directory */
static char idx_path[340];  /* its index file (the fuzzed file, modes 2, 3) */
static sach_dedupe_params sig_params;
static bool sig_made;

static void rm_dir(void)
{
	unlink(in_path);
	unlink(docs_path);
	unlink(sig_path);
	unlink(drop_path);
	unlink(idx_path);
	rmdir(idx_dir);
	rmdir(dir);
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	CHECK(f != NULL, "cannot create %s", path);
	CHECK(n == 0 || fwrite(p, 1, n, f) == n, "cannot write %s", path);
	CHECK(fclose(f) == 0, "cannot write %s", path);
}

static void setup(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");

	if (dir[0])
		return;
	snprintf(dir, sizeof(dir), "%s/sach-fuzz-dd.XXXXXX", base && *base ? base : "/tmp");
	CHECK(mkdtemp(dir) != NULL, "cannot create a temporary directory");
	snprintf(in_path, sizeof(in_path), "%s/in.bin", dir);
	snprintf(docs_path, sizeof(docs_path), "%s/docs.jsonl", dir);
	snprintf(sig_path, sizeof(sig_path), "%s/docs.sig", dir);
	snprintf(drop_path, sizeof(drop_path), "%s/out.drop", dir);
	snprintf(idx_dir, sizeof(idx_dir), "%s/idx", dir);
	snprintf(idx_path, sizeof(idx_path), "%s/%s", idx_dir, SACH_DEDUPE_INDEX_FILE);
	CHECK(mkdir(idx_dir, 0700) == 0, "cannot create %s", idx_dir);
	write_file(docs_path, docs_jsonl, sizeof(docs_jsonl) - 1);
	atexit(rm_dir);
}

/* Nothing but the expected names may be left: a writer that failed must
 * have removed its temporary file. */
static void check_dir(const char *path)
{
	static const char *const ok[] = { "in.bin", "docs.jsonl", "docs.sig", "out.drop", "idx",
					  SACH_DEDUPE_INDEX_FILE, NULL };
	DIR *d = opendir(path);
	struct dirent *e;

	CHECK(d != NULL, "cannot list %s", path);
	while ((e = readdir(d)) != NULL) {
		size_t i;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		for (i = 0; ok[i] && strcmp(ok[i], e->d_name) != 0; i++)
			;
		CHECK(ok[i] != NULL, "left behind in %s: %s", path, e->d_name);
	}
	closedir(d);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static bool is_plain(const uint8_t *p, size_t n)
{
	return n >= HEADER_BYTES && memcmp(p, "SACHDDUP", 8) == 0;
}

/* Bytes of the record at p[0] (its tag) within n bytes, or 0 when it does
 * not fit or the tag is unknown: the layouts of dedupe_sign.c and
 * dedupe_cluster.c, with the header's flags (near 2, lines 4) and bands. */
static size_t record_size(const uint8_t *p, size_t n, uint32_t flags, uint32_t bands,
			  bool jaccard)
{
	size_t at = 1, need;
	uint64_t m;

#define NEED(k)                  \
	do {                     \
		if (n - at < (k)) \
			return 0; \
	} while (0)
	switch (p[0]) {
	case 'D':
		NEED(25);
		if (p[at + 24] > 1)
			return 0;
		need = (flags & 2) && p[at + 24] ? (size_t)bands * 8 : 0;
		at += 25;
		NEED(need + 4);
		at += need;
		m = get32(p + at);
		at += 4;
		NEED(m);
		at += m;
		if (flags & 4) {
			NEED(4);
			m = get32(p + at);
			at += 4;
			NEED(m * 16);
			at += m * 16;
		}
		if ((flags & 2) && jaccard) {
			NEED(4);
			m = get32(p + at);
			at += 4;
			NEED(m * 4);
			at += m * 4;
		}
		return at;
	case 'X':
		NEED(29);
		m = get32(p + at + 25);
		at += 29;
		NEED(m);
		return at + m;
	case 'P':
	case 'M':
		NEED(12);
		return at + 12;
	case 'L':
	case 'Q':
		NEED(8);
		return at + 8;
	default:
		return 0;
	}
#undef NEED
}

/*
 * Gives the file a valid trailer: walks the whole records after the
 * header; if the walk stops at an 'E' with room for a trailer, its count
 * and checksum are set (bytes after it stay), else the file is cut after
 * the last whole record and a trailer appended. `out` has room for n +
 * TRAILER_BYTES. Returns the new length.
 */
static size_t fix_trailer(const uint8_t *in, size_t n, uint8_t *out)
{
	uint32_t flags = get32(in + 16), bands = get32(in + 24);
	bool jaccard = get32(in + 32) != 0;
	size_t at = HEADER_BYTES, k;
	uint64_t count = 0;

	memcpy(out, in, n);
	while (at < n && out[at] != 'E' && (k = record_size(out + at, n - at, flags, bands, jaccard)))
		at += k, count++;
	if (!(at < n && out[at] == 'E' && n - at >= TRAILER_BYTES)) {
		n = at + TRAILER_BYTES;
		out[at] = 'E';
	}
	put64(out + at + 1, count);
	put64(out + at + 9, XXH3_64bits(out, at + 9));
	return n;
}

/* Writes the file to fuzz: fixed up and compressed as byte 0 says. */
static void write_input(const char *path, uint8_t sel, const uint8_t *p, size_t n)
{
	uint8_t *fixed = NULL, *z = NULL;

	if ((sel & 4) && is_plain(p, n)) {
		fixed = malloc(n + TRAILER_BYTES);
		CHECK(fixed != NULL, "out of memory");
		n = fix_trailer(p, n, fixed);
		p = fixed;
	}
	if (sel & 8) {
		size_t cap = ZSTD_compressBound(n), zn;

		z = malloc(cap);
		CHECK(z != NULL, "out of memory");
		zn = ZSTD_compress(z, cap, p, n, 1);
		CHECK(!ZSTD_isError(zn), "zstd: %s", ZSTD_getErrorName(zn));
		p = z;
		n = zn;
	}
	write_file(path, p, n);
	free(fixed);
	free(z);
}

/* A failure: a documented code, and a message that names the file (or is
 * about the budget, which a file cannot help). */
static void check_failure(int rc, const char *what, const char *path)
{
	const char *msg = sach_error_last();

	CHECK(rc == SACH_ECORRUPT || rc == SACH_ECONFIG || rc == SACH_EIO || rc == SACH_EUNSUPPORTED,
	      "%s returned %d: %s", what, rc, msg);
	CHECK(msg && *msg, "%s failed (%d) without a message", what, rc);
	CHECK(strstr(msg, path) != NULL || (rc == SACH_ECONFIG && strstr(msg, "memory budget")),
	      "%s failed (%d) with a message that does not name %s: %s", what, rc, path, msg);
}

/* The signature file of DOCS for the index modes, with the parameters the
 * index header asks for (when they are valid), so the fuzzer can explore
 * other bands, rows and flags; kept while they stay the same. */
static void make_sig(const uint8_t *p, size_t n)
{
	sach_dedupe_params want = SACH_DEDUPE_PARAMS_INIT;
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	sach_dedupe_signer *s;
	sach_reader *r;
	sach_doc *doc;
	int rc;

	if (is_plain(p, n)) {
		sach_dedupe_params h = want;
		uint32_t flags = get32(p + 16);

		h.near = flags & 2;
		h.skeleton = flags & 16;
		h.shingle = get32(p + 20);
		h.bands = get32(p + 24);
		h.rows = get32(p + 28);
		h.seed = get64(p + 36);
		if (sach_dedupe_params_check(&h) == 0)
			want = h;
	}
	if (sig_made && !memcmp(&want, &sig_params, sizeof(want)))
		return;
	sig_made = false;
	CHECK(sach_dedupe_signer_open(&s, sig_path, &want, 0, false) == 0, "signer: %s",
	      sach_error_last());
	CHECK(sach_reader_open(&r, docs_path, &ro) == 0, "reader: %s", sach_error_last());
	while ((rc = sach_reader_next(r, &doc)) == 1) {
		const char *text;
		size_t len;

		text = sach_doc_text(doc, &len);
		CHECK(sach_dedupe_signer_add(s, sach_doc_line(doc), sach_doc_id(doc), text, len) == 0,
		      "sign: %s", sach_error_last());
	}
	CHECK(rc == 0, "reading %s: %s", docs_path, sach_error_last());
	sach_reader_close(r);
	CHECK(sach_dedupe_signer_commit(s) == 0, "commit: %s", sach_error_last());
	sig_params = want;
	sig_made = true;
}

static void apply_docs(const char *path, uint32_t part)
{
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	sach_dedupe_applier *a;
	sach_reader *r;
	sach_doc *doc;
	sach_buf line = { 0 };
	int rc;

	rc = sach_dedupe_applier_open(&a, path, part, 3);
	if (rc < 0) {
		CHECK(a == NULL, "failed open left an applier");
		check_failure(rc, "applier_open", path);
		return;
	}
	CHECK(sach_reader_open(&r, docs_path, &ro) == 0, "reader: %s", sach_error_last());
	while ((rc = sach_reader_next(r, &doc)) == 1) {
		const char *reason = NULL;

		rc = sach_dedupe_apply(a, doc, sach_doc_line(doc), &reason);
		if (rc < 0) {
			/* The drop list was read whole and checked: what is
			 * left is the documents not being the ones signed. */
			CHECK(rc == SACH_ECONFIG, "apply returned %d: %s", rc, sach_error_last());
			break;
		}
		CHECK(rc == 0 || (rc == 1 && reason && *reason), "apply: %d without a reason", rc);
		sach_buf_clear(&line);
		CHECK(sach_doc_write_jsonl(doc, &line) == 0, "write: %s", sach_error_last());
	}
	CHECK(rc >= 0 || rc == SACH_ECONFIG, "reading %s: %s", docs_path, sach_error_last());
	if (rc == 0) {
		rc = sach_dedupe_applier_finish(a);
		CHECK(rc == 0 || rc == SACH_ECONFIG, "finish returned %d", rc);
	}
	sach_buf_free(&line);
	sach_reader_close(r);
	sach_dedupe_applier_free(a);
}

static int cluster(const char *sig, const char *what, uint8_t sel, bool index, bool update)
{
	sach_dedupe_cluster_options o = SACH_DEDUPE_CLUSTER_OPTIONS_INIT;
	sach_dedupe_cluster_stats st;
	const char *sigs[1];
	int rc;

	sigs[0] = sig;
	o.mem = budgets[(sel >> 5) & 3];
	o.tmp_dir = dir;
	o.index_dir = index ? idx_dir : NULL;
	o.update_index = update;
	o.keep_cluster_info = sel & 16;
	o.line_min_docs = (sel & 128) ? 1 : 2;
	o.compress = sel & 8;
	rc = sach_dedupe_cluster(sigs, 1, drop_path, &o, &st);
	if (rc < 0)
		check_failure(rc, "cluster", what);
	else
		CHECK(st.peak_bytes <= o.mem + o.mem / 2, "peak %zu over the budget %zu",
		      st.peak_bytes, o.mem);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sel;
	int rc;

	if (size < 1)
		return 0;
	setup();
	sel = data[0];
	data++;
	size--;
	unlink(drop_path);
	switch (sel & 3) {
	case 0:
		write_input(in_path, sel, data, size);
		rc = cluster(in_path, in_path, sel, false, false);
		/* What cluster wrote, the applier reads (the part is the
		 * signature file's, known when the input is not compressed). */
		if (rc == 0 && is_plain(data, size)) {
			sach_dedupe_applier *a;

			rc = sach_dedupe_applier_open(&a, drop_path, get32(data + 44), 3);
			CHECK(rc == 0, "the drop list cluster wrote does not open: %s",
			      sach_error_last());
			sach_dedupe_applier_free(a);
		}
		break;
	case 1:
		write_input(in_path, sel, data, size);
		apply_docs(in_path, (sel & 16) ? 1 : 0);
		break;
	default:
		make_sig(data, size);
		write_input(idx_path, sel, data, size);
		rc = cluster(sig_path, idx_path, sel, true, (sel & 3) == 3);
		/* An index cluster rewrote loads again. */
		if (rc == 0 && (sel & 3) == 3)
			CHECK(cluster(sig_path, idx_path, sel, true, false) == 0,
			      "the index cluster wrote does not load: %s", sach_error_last());
		break;
	}
	check_dir(dir);
	check_dir(idx_dir);
	return 0;
}

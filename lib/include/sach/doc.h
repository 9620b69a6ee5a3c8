/*
 * sach/doc.h - a document: its text, its id, the rest of its record, and the
 * meta block that stages write into.
 *
 * A document read from JSON Lines keeps its original line. Every field other
 * than the text and the meta block is written back byte for byte as it was
 * read (key order, number spelling, string escapes), because the output is
 * spliced into the original line instead of re-serialised; an unchanged
 * document is written back verbatim. Stage results go into one namespaced
 * object, "sach": { "<stage>": { ... } }, merged with one already present.
 */
#ifndef SACH_DOC_H
#define SACH_DOC_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the top-level key that holds the meta block. */
#define SACH_META_KEY "sach"

typedef struct sach_doc sach_doc;

/** The current text (borrowed; valid until the text is set again). */
SACH_API const char *sach_doc_text(const sach_doc *doc, size_t *len);

/** Replaces the text with a copy of `text`. 0 or SACH_ENOMEM. */
SACH_API int sach_doc_set_text(sach_doc *doc, const char *text, size_t len);

/** Puts the text back as it was read, so the record is written back
 * exactly as read (for a rejected record); see sach_doc_lone_surrogates(). */
SACH_API void sach_doc_restore_text(sach_doc *doc);

/**
 * Number of \uD800-\uDFFF escapes in the JSON text value that are not part
 * of a surrogate pair. json-c decodes each to U+FFFD; they are ill-formed
 * text like invalid UTF-8, and a document with any is always written back
 * with the U+FFFD spelled out.
 */
SACH_API size_t sach_doc_lone_surrogates(const sach_doc *doc);

/** True once sach_doc_set_text() gave a text different from the original. */
SACH_API bool sach_doc_text_changed(const sach_doc *doc);

/**
 * The id as text: the id field's string value, or its JSON spelling for
 * other types; for documents without one, "SOURCE:LINE". Borrowed.
 */
SACH_API const char *sach_doc_id(const sach_doc *doc);

/** Input name and starting line of the record. */
SACH_API const char *sach_doc_source(const sach_doc *doc);
SACH_API uint64_t sach_doc_line(const sach_doc *doc);

/** Sets "sach": {stage: {key: value}}. 0 or SACH_ENOMEM. */
SACH_API int sach_doc_meta_set_int(sach_doc *doc, const char *stage, const char *key,
				   int64_t value);
SACH_API int sach_doc_meta_set_string(sach_doc *doc, const char *stage, const char *key,
				      const char *value);

/** Sets a number (written with up to 6 significant digits, so output does
 * not depend on floating-point noise beyond that) or a boolean. 0 or SACH_ENOMEM.
 * A non-finite value is written as null. */
SACH_API int sach_doc_meta_set_double(sach_doc *doc, const char *stage, const char *key,
				      double value);
SACH_API int sach_doc_meta_set_bool(sach_doc *doc, const char *stage, const char *key,
				    bool value);

/** True if a stage has written meta into this document. */
SACH_API bool sach_doc_has_meta(const sach_doc *doc);

/**
 * Appends the document as one JSON line (with "\n") to `out`. A document read
 * from JSONL keeps every other field byte for byte; one read from text
 * becomes {"id": ..., "text": ...} with the configured field names.
 * @return 0 or SACH_ENOMEM.
 */
SACH_API int sach_doc_write_jsonl(const sach_doc *doc, sach_buf *out);

/** Appends `s` as a JSON string literal (quotes included) to `out`. */
SACH_API int sach_json_escape(sach_buf *out, const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* SACH_DOC_H */

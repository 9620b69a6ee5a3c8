/*
 * sach/config.h - YAML configuration files read into a tree of nodes that
 * remember where they came from, so every complaint about a value can say
 * FILE:LINE:COLUMN.
 *
 * One YAML document per file. Keys of a mapping must be plain scalars and
 * unique. Anchors and aliases are refused (a config has no use for them and
 * they are the classic way to make a small file expand without bound); so are
 * documents over SACH_CONFIG_MAX_BYTES or nested deeper than
 * SACH_CONFIG_MAX_DEPTH. Scalars are kept as text; the typed readers below
 * convert them and report a bad value with its position.
 */
#ifndef SACH_CONFIG_H
#define SACH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SACH_CONFIG_MAX_BYTES (4u << 20)
#define SACH_CONFIG_MAX_DEPTH 32

typedef struct sach_config sach_config;
typedef struct sach_config_node sach_config_node;

typedef enum sach_config_kind {
	SACH_CONFIG_SCALAR,
	SACH_CONFIG_MAP,
	SACH_CONFIG_SEQ
} sach_config_kind;

/**
 * Reads and parses a YAML file (`name` is used in messages; NULL = path).
 * On success *out is owned by the caller (sach_config_free()).
 * @return 0, SACH_EIO, SACH_ETOOBIG, SACH_ENOMEM or SACH_ECONFIG (syntax,
 *         duplicate key, alias, depth), with the message in sach_error_last().
 */
SACH_API int sach_config_load_file(sach_config **out, const char *path);
/** The same from memory; `name` names the text in messages. */
SACH_API int sach_config_load_string(sach_config **out, const char *name,
				     const char *text, size_t len);
SACH_API void sach_config_free(sach_config *config);

/** Name given at load time (the path). Borrowed. */
SACH_API const char *sach_config_name(const sach_config *config);
/** The document's root node; NULL for an empty document. Borrowed, lives as
 * long as the config. */
SACH_API const sach_config_node *sach_config_root(const sach_config *config);

SACH_API sach_config_kind sach_config_node_kind(const sach_config_node *node);
/** 1-based line and column of the node's first character. */
SACH_API size_t sach_config_node_line(const sach_config_node *node);
SACH_API size_t sach_config_node_column(const sach_config_node *node);
/** The text of a scalar (NUL-terminated), or NULL for a map or sequence. */
SACH_API const char *sach_config_node_text(const sach_config_node *node);
/** True for a scalar written plain (not quoted): only plain scalars can be
 * null or booleans. */
SACH_API bool sach_config_node_plain(const sach_config_node *node);

/** Number of entries of a map or items of a sequence; 0 for a scalar. */
SACH_API size_t sach_config_node_size(const sach_config_node *node);
/** Item i of a sequence, or the value of entry i of a map (in file order). */
SACH_API const sach_config_node *sach_config_node_at(const sach_config_node *node, size_t i);
/** The key of entry i of a map (its text), or NULL. */
SACH_API const char *sach_config_node_key(const sach_config_node *node, size_t i);
/** The key node of entry i of a map (for its position), or NULL. */
SACH_API const sach_config_node *sach_config_node_key_node(const sach_config_node *node,
							   size_t i);
/** The value for `key` in a map, or NULL if absent or `node` is not a map. */
SACH_API const sach_config_node *sach_config_map_get(const sach_config_node *node,
						     const char *key);

/**
 * Sets the error message "NAME:LINE:COLUMN: <message>" for `node` (or just
 * "NAME: <message>" when node is NULL) and returns SACH_ECONFIG.
 */
SACH_API int sach_config_error(const sach_config *config, const sach_config_node *node,
			       const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/**
 * Fails with SACH_ECONFIG naming the first key of map `node` that is not in
 * `allowed` (a NULL-terminated list), with its position and the allowed keys.
 * Also fails if `node` is not a map (`what` names it in the message).
 */
SACH_API int sach_config_check_keys(const sach_config *config, const sach_config_node *node,
				    const char *what, const char *const *allowed);

/*
 * Typed readers. Each converts a scalar node and fails with SACH_ECONFIG
 * ("NAME:LINE:COL: KEY: expected ..., got '...'") if it is not one, or out of
 * range. `key` is only used in the message. Booleans are true/false (also
 * yes/no, on/off, in any case), only as plain scalars.
 */
SACH_API int sach_config_as_double(const sach_config *config, const sach_config_node *node,
				   const char *key, double lo, double hi, double *out);
SACH_API int sach_config_as_int64(const sach_config *config, const sach_config_node *node,
				  const char *key, int64_t lo, int64_t hi, int64_t *out);
SACH_API int sach_config_as_bool(const sach_config *config, const sach_config_node *node,
				 const char *key, bool *out);
/** A scalar's text (borrowed from the config). */
SACH_API int sach_config_as_string(const sach_config *config, const sach_config_node *node,
				   const char *key, const char **out);
/** A size with an optional K, M, G or T suffix (powers of 1024), or KB/MB/GB/TB, KiB.. */
SACH_API int sach_config_as_size(const sach_config *config, const sach_config_node *node,
				 const char *key, uint64_t *out);
/** One of `choices` (NULL-terminated); *out is its index. */
SACH_API int sach_config_as_enum(const sach_config *config, const sach_config_node *node,
				 const char *key, const char *const *choices, int *out);

/**
 * Appends `node` as canonical JSON (maps in file order, scalars as strings
 * except plain null/true/false and numbers) to `out`; used to record the
 * effective config and to hash it.
 */
SACH_API int sach_config_node_to_json(const sach_config_node *node, sach_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* SACH_CONFIG_H */

/* Private: a byte source over a file or stdin, decompressing zstd and gzip. */
#ifndef SACH_INPUT_H
#define SACH_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "sach/io.h"

typedef struct sach_input sach_input;

/* Opens path ("-" = stdin) and sniffs its compression from the first bytes. */
int sach__input_open(sach_input **out, const char *path, const char *display_name);

/*
 * Reads up to cap decoded bytes. *got = 0 means end of input. Returns 0, or
 * SACH_EIO / SACH_ECORRUPT (final) with a message naming the input.
 */
int sach__input_read(sach_input *in, char *buf, size_t cap, size_t *got);

uint64_t sach__input_raw_bytes(const sach_input *in);
sach_compression sach__input_compression(const sach_input *in);
void sach__input_close(sach_input *in);

#endif

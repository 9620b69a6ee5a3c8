/* Private: hooks of the viet module for its unit tests and for other parts
 * of the library. Never installed. */
#ifndef SACH_VIET_INTERNAL_H
#define SACH_VIET_INTERNAL_H

#include "sach/viet.h"

/* 0 if the built-in vowel-sequence and character-class tables are
 * consistent, else -1. */
int sach__viet_check_tables(void);

/*
 * sach_viet_retone_text() without the copy of unchanged text: when no token
 * changes, nothing is appended to `out` (it is not even reserved) and
 * *changed (may be NULL) is 0, so the result is `text` itself; otherwise
 * the whole rewritten text is appended, as sach_viet_retone_text() would,
 * and *changed is 1. `counts` (may be NULL) is added to in both cases.
 *
 * Returns 0, SACH_EINVAL (NULL text with len > 0, NULL out, bad style) or
 * SACH_ENOMEM.
 */
int sach__viet_retone_text_lazy(const char *text, size_t len,
				sach_tone_style style, sach_buf *out,
				sach_viet_counts *counts, int *changed);

#endif

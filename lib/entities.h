/*
 * Private: HTML character-reference decoding (named and numeric). Never
 * installed.
 */
#ifndef SACH_ENTITIES_H
#define SACH_ENTITIES_H

#include <stddef.h>
#include <stdint.h>

/*
 * Tries to decode one character reference starting at s[0] == '&'.
 * On success returns the number of bytes consumed (including '&' and ';') and
 * writes 1 or 2 code points to cps, their count to *ncp. Returns 0 when s does
 * not start a reference that should be decoded (then the caller copies '&'
 * literally); cps and *ncp are left untouched in that case.
 *
 * A terminating ';' is always required. allow_named == 0 decodes only numeric
 * references. Never reads past len; does not allocate.
 */
size_t sach__entity_decode(const char *s, size_t len, int allow_named,
			   uint32_t cps[2], int *ncp);

#endif

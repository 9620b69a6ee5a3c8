/* Private: hooks of the viet module for its unit tests. Never installed. */
#ifndef SACH_VIET_INTERNAL_H
#define SACH_VIET_INTERNAL_H

/* 0 if the built-in vowel-sequence table is sorted and consistent, else -1. */
int sach__viet_check_tables(void);

#endif

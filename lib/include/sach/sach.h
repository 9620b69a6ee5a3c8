/* sach/sach.h - the whole public API of libsach. */
#ifndef SACH_SACH_H
#define SACH_SACH_H

#include "common.h"
#include "error.h"
#include "doc.h"
#include "io.h"
#include "unicode.h"
#include "legacy.h"
#include "viet.h"
#include "repair.h"
#include "normalise.h"
#include "config.h"
#include "signals.h"
#include "dedupe.h"
#include "shard.h"
#include "filter.h"

#endif

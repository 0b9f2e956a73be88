/*
 * build: `hone build` from options to a published output folder.
 */
#ifndef HONE_BUILD_H
#define HONE_BUILD_H

#include <stddef.h>

#include "site.h"

enum { BUILD_OK = 0, BUILD_INPUT = 1, BUILD_OS = 3 };

typedef struct build_stats {
    size_t sources; /* content files */
    size_t pages;   /* HTML files rendered */
    size_t feeds;
    size_t aliases;
    size_t copied;
    size_t errors;
    double seconds;
} build_stats;

/* Runs a whole build; prints diagnostics to stderr.  Returns BUILD_*. */
int build_run(const build_opts *o, build_stats *st);

#endif

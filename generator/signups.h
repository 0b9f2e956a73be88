/*
 * signups: `hone signups export`, the owner's copy of the signup store.
 *
 *   hone signups export [-s DIR | -c SITE.yaml] [--csv | --json] [--since DATE]
 *
 * Reads the store named by site.yaml (signup.store) read-only, oldest
 * first, to standard output.  CSV (the default) has a header row and
 * RFC 4180 quoting; a cell that a spreadsheet would run as a formula
 * (starting with = + - @, a tab or a carriage return) gets a leading
 * single quote.  JSON is one array of objects.
 */
#ifndef HONE_SIGNUPS_H
#define HONE_SIGNUPS_H

#include <stddef.h>

#include "buf.h"

/* The command; returns the exit status (0, 1 input, 2 usage, 3 OS). */
int signups_main(int argc, char **argv);

/* Appends one CSV cell: quoted when it must be, defused when a
 * spreadsheet would take it for a formula. */
void signups_csv_cell(buf *out, const char *s, size_t n);

#endif

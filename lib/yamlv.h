/*
 * yamlv: YAML text (site.yaml, front matter, test tables) into vals.
 *
 * Scalars are typed as YAML 1.2's core schema does, plus timestamps:
 * plain null/~/empty is null, true/false are booleans (yes/no/on/off stay
 * strings: "no" is a country code), decimal/0x/0o integers and floats are
 * numbers, a plain scalar that looks like a date (2021-04-13, or with a
 * time and zone) is a VAL_TIME keeping its own offset.  Quoted scalars and
 * !!str are always strings.
 *
 * Aliases are expanded, with a cap on the total number of values so a
 * "billion laughs" document fails instead of eating the machine.
 */
#ifndef HONE_YAMLV_H
#define HONE_YAMLV_H

#include "arena.h"
#include "diag.h"
#include "val.h"

/* Where a top-level key's value starts, for "key x: wrong type" errors. */
typedef struct yamlv_loc {
    const char *key;
    int line, col; /* 1-based, in the file */
} yamlv_loc;

typedef struct yamlv_doc {
    val root;
    yamlv_loc *locs; /* one per top-level mapping key, in the arena */
    size_t nlocs;
} yamlv_doc;

/*
 * Parses one YAML document.  file names it in errors; first_line is the
 * file line where src starts (1 for a whole file; for front matter, the
 * line after the opening ---).  Everything is allocated in a.  Returns 0,
 * or -1 with a file:line:col diagnostic.  An empty document is null.
 */
int yamlv_parse(const char *src, size_t n, const char *file, int first_line, arena *a,
                yamlv_doc *out, diags *d);

/* The same, with default_off the zone (seconds east of UTC) of timestamps
 * written without one, as site.yaml's "timezone:" says. */
int yamlv_parse_tz(const char *src, size_t n, const char *file, int first_line, int32_t default_off,
                   arena *a, yamlv_doc *out, diags *d);

/* The location of a top-level key (line 0 when unknown). */
yamlv_loc yamlv_where(const yamlv_doc *doc, const char *key);

#endif

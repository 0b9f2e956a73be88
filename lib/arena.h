/*
 * arena: a bump allocator for data that dies together.
 *
 * A page render allocates many small values (filter results, loop
 * records) that all die when the page is written; a config or a site's
 * content lives as long as the build.  Both go into an arena and are freed
 * with one call.  An arena belongs to one thread at a time.
 */
#ifndef HONE_ARENA_H
#define HONE_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
    arena_chunk *head;
    size_t total; /* bytes handed out, for limits and statistics */
} arena;

#define ARENA_INIT                                                                                 \
    {                                                                                              \
        NULL, 0                                                                                    \
    }

void arena_init(arena *a);
void arena_free(arena *a);

/* Memory aligned for any type; aborts when out of memory. */
void *arena_alloc(arena *a, size_t n);
void *arena_calloc(arena *a, size_t n, size_t size); /* zeroed, overflow-checked */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);

#endif

/*
 * arena: chunks of at least 64 KiB, each allocation rounded up to 16
 * bytes.  A request bigger than a quarter chunk gets a chunk of its own,
 * linked behind the current one so the current chunk's tail is not wasted.
 */
#include "arena.h"
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    arena_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char mem[];
};

enum { CHUNK = 64 * 1024, ALIGN = 16 };

void
arena_init(arena *a)
{
    a->head = NULL;
    a->total = 0;
}

void
arena_free(arena *a)
{
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    arena_init(a);
}

static arena_chunk *
chunk_new(size_t cap)
{
    arena_chunk *c = xmalloc(sizeof(*c) + cap);
    c->next = NULL;
    c->used = 0;
    c->cap = cap;
    return c;
}

void *
arena_alloc(arena *a, size_t n)
{
    if (n > SIZE_MAX - ALIGN - sizeof(arena_chunk)) n = SIZE_MAX; /* xmalloc will fail and abort */
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (n == 0) n = ALIGN;
    a->total += n;
    arena_chunk *c = a->head;
    if (c && c->cap - c->used >= n) {
        void *p = c->mem + c->used;
        c->used += n;
        return p;
    }
    if (n > CHUNK / 4) {
        arena_chunk *big = chunk_new(n);
        big->used = n;
        if (c) {
            big->next = c->next;
            c->next = big;
        } else {
            a->head = big;
        }
        return big->mem;
    }
    c = chunk_new(CHUNK);
    c->next = a->head;
    a->head = c;
    c->used = n;
    return c->mem;
}

void *
arena_calloc(arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) n = SIZE_MAX, size = 1;
    void *p = arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

char *
arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

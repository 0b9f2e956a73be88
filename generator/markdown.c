/*
 * md: Markdown bodies into HTML.  See markdown.h.
 *
 * cmark-gfm parses and renders; this module edits the tree in between and
 * reads the HTML afterwards.
 *
 * Thread safety.  libcmark-gfm 0.29.0.gfm.6 is not re-entrant as it
 * comes: the inline parser's table of special characters is one global
 * array, and every parser switches its extensions' characters ('~' for
 * strikethrough, ':' and 'w' for autolinks) on before parsing a
 * document's inlines and off again after, in blocks.c process_inlines,
 * through the exported cmark_manage_extensions_special_characters.  Two
 * parsers at once make each other lose strikethrough and autolinks
 * without a word (8 threads lost them in 5% of renders here, and
 * ThreadSanitizer cannot see it inside the uninstrumented library).
 *
 * The library calls that function through its PLT, so the definition
 * below, in the program, takes its place (ELF symbol interposition, as
 * for malloc): it lets the library switch the characters on once, while
 * this module primes the table with one parser carrying every extension
 * hone uses, and ignores every later call.  The table is then written
 * before any worker thread parses and only read afterwards, and every
 * parser attaches the same extensions, so leaving their characters on is
 * exactly what each parser would have set.  Should a build of the library
 * bind the call directly (no interposition), priming notices that the
 * definition below was never called, and parsing (feed and finish) falls
 * back to one process-wide lock, as before: 0.36 s of serial parsing in a
 * 10,000-post build (bench/README.md).  Nothing else in the parser writes
 * globals once the extensions are registered (the arena allocator, the
 * other global, is never used), rendering keeps its state in the
 * renderer, and the extension registry is filled once under pthread_once.
 * Anything else in hone that parses Markdown must come through md_render.
 *
 * Heading ids.  cmark's renderer prints bare <hN> and has no hook, so each
 * heading is replaced by a custom block holding custom inlines that print
 * <hN id="..."> and </hN> around the heading's own inlines: the output is
 * byte for byte what cmark would print, plus the id.  Ids follow Hugo
 * (>= 0.144, goldmark, autoHeadingIDType "github"): from the heading's
 * visible text, trimmed, ' ' and '-' become '-', letters, digits and '_'
 * are kept lowercased, everything else is dropped; "" becomes "heading";
 * a repeated id gets "-1", "-2", ... (the first free suffix, as Hugo).
 * Hugo asks Go's unicode package what a letter is, so the tables below are
 * Go's IsLetter/IsDigit and simple lowercase mapping, generated from the
 * Unicode 14 data of Python's unicodedata with the script quoted there.
 *
 * The summary marker.  <!--more--> (or <!-- more -->) is raw HTML, which
 * cmark replaces by "<!-- raw HTML omitted -->" when raw HTML is off, and
 * it may sit inside a paragraph, list or quote.  So the first marker node
 * becomes a custom node printing a sentinel, the page is rendered once,
 * and the HTML is split at the sentinel; the part before it, with its open
 * elements closed, is the summary.  The sentinel starts with '<', which
 * cmark escapes everywhere except in raw HTML copied from the source (line
 * by line: a sentinel cannot span lines), and is chosen so that the source
 * does not contain it: it can only be ours.
 *
 * Code blocks.  cmark prints <pre><code class="language-X">; hone prints
 * Hugo's highlighted block (highlight.h) in its place: each code block
 * becomes a custom block whose on_enter is the HTML, which cmark prints
 * whether raw HTML is allowed or not.  The fence's info string gives the
 * language (its first word, or the first ".word" of "{.lang ...}") and
 * Hugo's options in braces ("go {linenos=true,hl_lines=[2,\"4-5\"]}").
 * The code is escaped text inside spans, so it can neither contain the
 * <!--more--> sentinel nor add words to the count.
 *
 * The table of contents has the shape of Hugo's .TableOfContents (same
 * tree with empty <li> for skipped levels, a <ul> per run between h1s,
 * same indentation); entry titles are the heading's HTML as rendered, as
 * in Hugo, minus links, which may not nest inside the entry's own link.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "markdown.h"
#include "esc.h"
#include "hash.h"
#include "highlight.h"
#include "html.h"
#include "utf8.h"

#include <assert.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Far beyond any post; keeps every line and the HTML well inside cmark's
 * 32-bit buffer sizes (it aborts past 1 GiB). */
#define MAX_SRC               ((size_t)64 << 20)
#define DEFAULT_SUMMARY_WORDS 70 /* Hugo's summaryLength */
#define DEFAULT_TOC_MIN       2
#define DEFAULT_TOC_MAX       4
#define NONE                  SIZE_MAX

static const char *const ext_names[] = {"table", "strikethrough", "autolink", "tasklist"};
#define N_EXT (sizeof(ext_names) / sizeof(ext_names[0]))

static cmark_syntax_extension *exts[N_EXT];
static pthread_once_t exts_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

/* Written under exts_once only: see the top of the file. */
static bool priming;    /* the priming parser is in process_inlines */
static bool interposed; /* the library called the definition below */

typedef void manage_fn(cmark_parser *, int);

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add);

/* Takes the library's place: see the top of the file. */
void
cmark_manage_extensions_special_characters(cmark_parser *parser, int add)
{
    if (!priming || !add) return;
    interposed = true;
    manage_fn *own = (manage_fn *)dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
    if (own) own(parser, add);
}

static void
find_extensions(void)
{
    cmark_gfm_core_extensions_ensure_registered();
    bool all = true;
    for (size_t i = 0; i < N_EXT; i++)
        all &= (exts[i] = cmark_find_syntax_extension(ext_names[i])) != NULL;
    if (!all) return; /* md_render reports it */
    cmark_parser *p = cmark_parser_new(0);
    for (size_t i = 0; i < N_EXT; i++)
        cmark_parser_attach_syntax_extension(p, exts[i]);
    cmark_parser_feed(p, "x", 1); /* one paragraph: inlines to parse */
    priming = true;
    cmark_node_free(cmark_parser_finish(p));
    priming = false;
    cmark_parser_free(p);
}

/* ---- cmark's memory: one bump heap per thread ---- */

/*
 * A parse allocates a node or a buffer per inline (calloc, then realloc
 * as text grows) and frees them all when the document is done: malloc and
 * free were a sixth of the Markdown stage.  Each thread instead gives its
 * parsers and renderers a bump heap (cmark_mem, which has no context
 * pointer, so the heap is found through a thread-local): calloc takes the
 * next bytes, realloc of the newest block grows it in place, free does
 * nothing, and md_render empties the heap when its document is done, so
 * nothing of cmark's outlives md_render.  A thread's heap is freed when
 * the thread ends (md_release for the thread that builds).
 */
typedef struct heap_chunk {
    struct heap_chunk *next;
    size_t cap, used;
    max_align_t data[];
} heap_chunk;

typedef struct heap {
    heap_chunk *head; /* newest first */
    void *last;       /* the newest block, which realloc may grow in place */
} heap;

/* Block header: the block's size, keeping blocks max_align_t-aligned. */
#define HEAP_HDR         sizeof(max_align_t)
#define HEAP_CHUNK       ((size_t)256 << 10)
#define HEAP_KEEP        ((size_t)4 << 20) /* a bigger chunk is not kept */
#define HEAP_ROUND(n)    (((n) + HEAP_HDR - 1) / HEAP_HDR * HEAP_HDR)
#define HEAP_SIZE(block) (*(size_t *)((char *)(block)-HEAP_HDR))

static pthread_key_t heap_key;
static pthread_once_t heap_once = PTHREAD_ONCE_INIT;
static _Thread_local heap *cur_heap;

static void
heap_free_chunks(heap_chunk *c, heap_chunk *keep)
{
    while (c) {
        heap_chunk *next = c->next;
        if (c != keep) free(c);
        c = next;
    }
}

static void
heap_destroy(void *v)
{
    heap *h = v;
    if (!h) return;
    heap_free_chunks(h->head, NULL);
    free(h);
}

static void
heap_key_make(void)
{
    if (pthread_key_create(&heap_key, heap_destroy) != 0) abort();
}

/* This thread's heap, made on first use. */
static heap *
heap_get(void)
{
    if (cur_heap) return cur_heap;
    pthread_once(&heap_once, heap_key_make);
    heap *h = xcalloc(1, sizeof(*h));
    if (pthread_setspecific(heap_key, h) != 0) abort();
    return cur_heap = h;
}

/* Empties the heap, keeping its biggest chunk unless it is huge. */
static void
heap_reset(heap *h)
{
    heap_chunk *big = NULL;
    for (heap_chunk *c = h->head; c; c = c->next)
        if (!big || c->cap > big->cap) big = c;
    if (big && big->cap > HEAP_KEEP) big = NULL;
    heap_free_chunks(h->head, big);
    h->head = big;
    if (big) {
        big->next = NULL;
        big->used = 0;
    }
    h->last = NULL;
}

static void *
heap_take(size_t n)
{
    heap *h = cur_heap;
    if (n > SIZE_MAX / 2) abort();
    size_t need = HEAP_HDR + HEAP_ROUND(n ? n : 1);
    heap_chunk *c = h->head;
    if (!c || c->cap - c->used < need) {
        size_t cap = c && c->cap * 2 > HEAP_CHUNK ? c->cap * 2 : HEAP_CHUNK;
        if (cap < need) cap = need;
        c = xmalloc(sizeof(*c) + cap);
        c->cap = cap;
        c->used = 0;
        c->next = h->head;
        h->head = c;
    }
    char *block = (char *)c->data + c->used + HEAP_HDR;
    c->used += need;
    HEAP_SIZE(block) = need - HEAP_HDR;
    return h->last = block;
}

static void *
heap_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) abort();
    void *p = heap_take(count * size);
    memset(p, 0, count * size);
    return p;
}

static void *
heap_realloc(void *p, size_t n)
{
    if (!p) return heap_take(n);
    heap *h = cur_heap;
    size_t have = HEAP_SIZE(p);
    if (n <= have) return p;
    heap_chunk *c = h->head;
    size_t more = HEAP_ROUND(n) - have;
    if (p == h->last && c->cap - c->used >= more) { /* the newest block grows */
        c->used += more;
        HEAP_SIZE(p) = have + more;
        return p;
    }
    void *q = heap_take(n);
    memcpy(q, p, have);
    return q;
}

static void
heap_nofree(void *p)
{
    (void)p;
}

static cmark_mem heap_mem = {heap_calloc, heap_realloc, heap_nofree};

void
md_release(void)
{
    pthread_once(&heap_once, heap_key_make);
    heap_destroy(pthread_getspecific(heap_key));
    pthread_setspecific(heap_key, NULL);
    cur_heap = NULL;
}

/* ---- Go's unicode.IsLetter || IsDigit, and ToLower, above ASCII ---- */

/*
 * Generated with Python 3.11 (Unicode 14.0), then clang-format:
 *
 * import unicodedata as u
 * def alnum(c): k = u.category(chr(c)); return k[0] == 'L' or k == 'Nd'
 * def lower(c): l = 'i' if c == 0x130 else chr(c).lower(); return ord(l) if len(l) == 1 else c
 * r, s = [], None
 * for c in range(0x80, 0x110001):
 *     if c < 0x110000 and alnum(c): s = c if s is None else s
 *     elif s is not None: r.append((s, c - 1)); s = None
 * m = [(c, lower(c) - c) for c in range(0x80, 0x110000) if lower(c) != c]
 * runs, i = [], 0
 * while i < len(m):
 *     (c, d), j, st = m[i], i, 1
 *     if i + 1 < len(m) and m[i + 1][1] == d and m[i + 1][0] - c in (1, 2):
 *         st = m[i + 1][0] - c
 *         while j + 1 < len(m) and m[j + 1][1] == d and m[j + 1][0] - m[j][0] == st: j += 1
 *     runs.append((c, m[j][0], d, st)); i = j + 1
 * print("static const uint32_t alnum_ranges[][2] = {%s};"
 *       % ", ".join("{0x%X, 0x%X}" % x for x in r))
 * print("static const struct lower_run lower_runs[] = {%s};"
 *       % ", ".join("{0x%X, 0x%X, %d, %d}" % x for x in runs))
 *
 * (U+0130 takes its simple mapping, as Go does, not SpecialCasing's two
 * code points.)  A run maps first, first + stride, ... last by delta.
 */
struct lower_run {
    uint32_t first, last;
    int32_t delta;
    uint32_t stride;
};

static const uint32_t alnum_ranges[][2] = {
    {0xAA, 0xAA},       {0xB5, 0xB5},       {0xBA, 0xBA},       {0xC0, 0xD6},
    {0xD8, 0xF6},       {0xF8, 0x2C1},      {0x2C6, 0x2D1},     {0x2E0, 0x2E4},
    {0x2EC, 0x2EC},     {0x2EE, 0x2EE},     {0x370, 0x374},     {0x376, 0x377},
    {0x37A, 0x37D},     {0x37F, 0x37F},     {0x386, 0x386},     {0x388, 0x38A},
    {0x38C, 0x38C},     {0x38E, 0x3A1},     {0x3A3, 0x3F5},     {0x3F7, 0x481},
    {0x48A, 0x52F},     {0x531, 0x556},     {0x559, 0x559},     {0x560, 0x588},
    {0x5D0, 0x5EA},     {0x5EF, 0x5F2},     {0x620, 0x64A},     {0x660, 0x669},
    {0x66E, 0x66F},     {0x671, 0x6D3},     {0x6D5, 0x6D5},     {0x6E5, 0x6E6},
    {0x6EE, 0x6FC},     {0x6FF, 0x6FF},     {0x710, 0x710},     {0x712, 0x72F},
    {0x74D, 0x7A5},     {0x7B1, 0x7B1},     {0x7C0, 0x7EA},     {0x7F4, 0x7F5},
    {0x7FA, 0x7FA},     {0x800, 0x815},     {0x81A, 0x81A},     {0x824, 0x824},
    {0x828, 0x828},     {0x840, 0x858},     {0x860, 0x86A},     {0x870, 0x887},
    {0x889, 0x88E},     {0x8A0, 0x8C9},     {0x904, 0x939},     {0x93D, 0x93D},
    {0x950, 0x950},     {0x958, 0x961},     {0x966, 0x96F},     {0x971, 0x980},
    {0x985, 0x98C},     {0x98F, 0x990},     {0x993, 0x9A8},     {0x9AA, 0x9B0},
    {0x9B2, 0x9B2},     {0x9B6, 0x9B9},     {0x9BD, 0x9BD},     {0x9CE, 0x9CE},
    {0x9DC, 0x9DD},     {0x9DF, 0x9E1},     {0x9E6, 0x9F1},     {0x9FC, 0x9FC},
    {0xA05, 0xA0A},     {0xA0F, 0xA10},     {0xA13, 0xA28},     {0xA2A, 0xA30},
    {0xA32, 0xA33},     {0xA35, 0xA36},     {0xA38, 0xA39},     {0xA59, 0xA5C},
    {0xA5E, 0xA5E},     {0xA66, 0xA6F},     {0xA72, 0xA74},     {0xA85, 0xA8D},
    {0xA8F, 0xA91},     {0xA93, 0xAA8},     {0xAAA, 0xAB0},     {0xAB2, 0xAB3},
    {0xAB5, 0xAB9},     {0xABD, 0xABD},     {0xAD0, 0xAD0},     {0xAE0, 0xAE1},
    {0xAE6, 0xAEF},     {0xAF9, 0xAF9},     {0xB05, 0xB0C},     {0xB0F, 0xB10},
    {0xB13, 0xB28},     {0xB2A, 0xB30},     {0xB32, 0xB33},     {0xB35, 0xB39},
    {0xB3D, 0xB3D},     {0xB5C, 0xB5D},     {0xB5F, 0xB61},     {0xB66, 0xB6F},
    {0xB71, 0xB71},     {0xB83, 0xB83},     {0xB85, 0xB8A},     {0xB8E, 0xB90},
    {0xB92, 0xB95},     {0xB99, 0xB9A},     {0xB9C, 0xB9C},     {0xB9E, 0xB9F},
    {0xBA3, 0xBA4},     {0xBA8, 0xBAA},     {0xBAE, 0xBB9},     {0xBD0, 0xBD0},
    {0xBE6, 0xBEF},     {0xC05, 0xC0C},     {0xC0E, 0xC10},     {0xC12, 0xC28},
    {0xC2A, 0xC39},     {0xC3D, 0xC3D},     {0xC58, 0xC5A},     {0xC5D, 0xC5D},
    {0xC60, 0xC61},     {0xC66, 0xC6F},     {0xC80, 0xC80},     {0xC85, 0xC8C},
    {0xC8E, 0xC90},     {0xC92, 0xCA8},     {0xCAA, 0xCB3},     {0xCB5, 0xCB9},
    {0xCBD, 0xCBD},     {0xCDD, 0xCDE},     {0xCE0, 0xCE1},     {0xCE6, 0xCEF},
    {0xCF1, 0xCF2},     {0xD04, 0xD0C},     {0xD0E, 0xD10},     {0xD12, 0xD3A},
    {0xD3D, 0xD3D},     {0xD4E, 0xD4E},     {0xD54, 0xD56},     {0xD5F, 0xD61},
    {0xD66, 0xD6F},     {0xD7A, 0xD7F},     {0xD85, 0xD96},     {0xD9A, 0xDB1},
    {0xDB3, 0xDBB},     {0xDBD, 0xDBD},     {0xDC0, 0xDC6},     {0xDE6, 0xDEF},
    {0xE01, 0xE30},     {0xE32, 0xE33},     {0xE40, 0xE46},     {0xE50, 0xE59},
    {0xE81, 0xE82},     {0xE84, 0xE84},     {0xE86, 0xE8A},     {0xE8C, 0xEA3},
    {0xEA5, 0xEA5},     {0xEA7, 0xEB0},     {0xEB2, 0xEB3},     {0xEBD, 0xEBD},
    {0xEC0, 0xEC4},     {0xEC6, 0xEC6},     {0xED0, 0xED9},     {0xEDC, 0xEDF},
    {0xF00, 0xF00},     {0xF20, 0xF29},     {0xF40, 0xF47},     {0xF49, 0xF6C},
    {0xF88, 0xF8C},     {0x1000, 0x102A},   {0x103F, 0x1049},   {0x1050, 0x1055},
    {0x105A, 0x105D},   {0x1061, 0x1061},   {0x1065, 0x1066},   {0x106E, 0x1070},
    {0x1075, 0x1081},   {0x108E, 0x108E},   {0x1090, 0x1099},   {0x10A0, 0x10C5},
    {0x10C7, 0x10C7},   {0x10CD, 0x10CD},   {0x10D0, 0x10FA},   {0x10FC, 0x1248},
    {0x124A, 0x124D},   {0x1250, 0x1256},   {0x1258, 0x1258},   {0x125A, 0x125D},
    {0x1260, 0x1288},   {0x128A, 0x128D},   {0x1290, 0x12B0},   {0x12B2, 0x12B5},
    {0x12B8, 0x12BE},   {0x12C0, 0x12C0},   {0x12C2, 0x12C5},   {0x12C8, 0x12D6},
    {0x12D8, 0x1310},   {0x1312, 0x1315},   {0x1318, 0x135A},   {0x1380, 0x138F},
    {0x13A0, 0x13F5},   {0x13F8, 0x13FD},   {0x1401, 0x166C},   {0x166F, 0x167F},
    {0x1681, 0x169A},   {0x16A0, 0x16EA},   {0x16F1, 0x16F8},   {0x1700, 0x1711},
    {0x171F, 0x1731},   {0x1740, 0x1751},   {0x1760, 0x176C},   {0x176E, 0x1770},
    {0x1780, 0x17B3},   {0x17D7, 0x17D7},   {0x17DC, 0x17DC},   {0x17E0, 0x17E9},
    {0x1810, 0x1819},   {0x1820, 0x1878},   {0x1880, 0x1884},   {0x1887, 0x18A8},
    {0x18AA, 0x18AA},   {0x18B0, 0x18F5},   {0x1900, 0x191E},   {0x1946, 0x196D},
    {0x1970, 0x1974},   {0x1980, 0x19AB},   {0x19B0, 0x19C9},   {0x19D0, 0x19D9},
    {0x1A00, 0x1A16},   {0x1A20, 0x1A54},   {0x1A80, 0x1A89},   {0x1A90, 0x1A99},
    {0x1AA7, 0x1AA7},   {0x1B05, 0x1B33},   {0x1B45, 0x1B4C},   {0x1B50, 0x1B59},
    {0x1B83, 0x1BA0},   {0x1BAE, 0x1BE5},   {0x1C00, 0x1C23},   {0x1C40, 0x1C49},
    {0x1C4D, 0x1C7D},   {0x1C80, 0x1C88},   {0x1C90, 0x1CBA},   {0x1CBD, 0x1CBF},
    {0x1CE9, 0x1CEC},   {0x1CEE, 0x1CF3},   {0x1CF5, 0x1CF6},   {0x1CFA, 0x1CFA},
    {0x1D00, 0x1DBF},   {0x1E00, 0x1F15},   {0x1F18, 0x1F1D},   {0x1F20, 0x1F45},
    {0x1F48, 0x1F4D},   {0x1F50, 0x1F57},   {0x1F59, 0x1F59},   {0x1F5B, 0x1F5B},
    {0x1F5D, 0x1F5D},   {0x1F5F, 0x1F7D},   {0x1F80, 0x1FB4},   {0x1FB6, 0x1FBC},
    {0x1FBE, 0x1FBE},   {0x1FC2, 0x1FC4},   {0x1FC6, 0x1FCC},   {0x1FD0, 0x1FD3},
    {0x1FD6, 0x1FDB},   {0x1FE0, 0x1FEC},   {0x1FF2, 0x1FF4},   {0x1FF6, 0x1FFC},
    {0x2071, 0x2071},   {0x207F, 0x207F},   {0x2090, 0x209C},   {0x2102, 0x2102},
    {0x2107, 0x2107},   {0x210A, 0x2113},   {0x2115, 0x2115},   {0x2119, 0x211D},
    {0x2124, 0x2124},   {0x2126, 0x2126},   {0x2128, 0x2128},   {0x212A, 0x212D},
    {0x212F, 0x2139},   {0x213C, 0x213F},   {0x2145, 0x2149},   {0x214E, 0x214E},
    {0x2183, 0x2184},   {0x2C00, 0x2CE4},   {0x2CEB, 0x2CEE},   {0x2CF2, 0x2CF3},
    {0x2D00, 0x2D25},   {0x2D27, 0x2D27},   {0x2D2D, 0x2D2D},   {0x2D30, 0x2D67},
    {0x2D6F, 0x2D6F},   {0x2D80, 0x2D96},   {0x2DA0, 0x2DA6},   {0x2DA8, 0x2DAE},
    {0x2DB0, 0x2DB6},   {0x2DB8, 0x2DBE},   {0x2DC0, 0x2DC6},   {0x2DC8, 0x2DCE},
    {0x2DD0, 0x2DD6},   {0x2DD8, 0x2DDE},   {0x2E2F, 0x2E2F},   {0x3005, 0x3006},
    {0x3031, 0x3035},   {0x303B, 0x303C},   {0x3041, 0x3096},   {0x309D, 0x309F},
    {0x30A1, 0x30FA},   {0x30FC, 0x30FF},   {0x3105, 0x312F},   {0x3131, 0x318E},
    {0x31A0, 0x31BF},   {0x31F0, 0x31FF},   {0x3400, 0x4DBF},   {0x4E00, 0xA48C},
    {0xA4D0, 0xA4FD},   {0xA500, 0xA60C},   {0xA610, 0xA62B},   {0xA640, 0xA66E},
    {0xA67F, 0xA69D},   {0xA6A0, 0xA6E5},   {0xA717, 0xA71F},   {0xA722, 0xA788},
    {0xA78B, 0xA7CA},   {0xA7D0, 0xA7D1},   {0xA7D3, 0xA7D3},   {0xA7D5, 0xA7D9},
    {0xA7F2, 0xA801},   {0xA803, 0xA805},   {0xA807, 0xA80A},   {0xA80C, 0xA822},
    {0xA840, 0xA873},   {0xA882, 0xA8B3},   {0xA8D0, 0xA8D9},   {0xA8F2, 0xA8F7},
    {0xA8FB, 0xA8FB},   {0xA8FD, 0xA8FE},   {0xA900, 0xA925},   {0xA930, 0xA946},
    {0xA960, 0xA97C},   {0xA984, 0xA9B2},   {0xA9CF, 0xA9D9},   {0xA9E0, 0xA9E4},
    {0xA9E6, 0xA9FE},   {0xAA00, 0xAA28},   {0xAA40, 0xAA42},   {0xAA44, 0xAA4B},
    {0xAA50, 0xAA59},   {0xAA60, 0xAA76},   {0xAA7A, 0xAA7A},   {0xAA7E, 0xAAAF},
    {0xAAB1, 0xAAB1},   {0xAAB5, 0xAAB6},   {0xAAB9, 0xAABD},   {0xAAC0, 0xAAC0},
    {0xAAC2, 0xAAC2},   {0xAADB, 0xAADD},   {0xAAE0, 0xAAEA},   {0xAAF2, 0xAAF4},
    {0xAB01, 0xAB06},   {0xAB09, 0xAB0E},   {0xAB11, 0xAB16},   {0xAB20, 0xAB26},
    {0xAB28, 0xAB2E},   {0xAB30, 0xAB5A},   {0xAB5C, 0xAB69},   {0xAB70, 0xABE2},
    {0xABF0, 0xABF9},   {0xAC00, 0xD7A3},   {0xD7B0, 0xD7C6},   {0xD7CB, 0xD7FB},
    {0xF900, 0xFA6D},   {0xFA70, 0xFAD9},   {0xFB00, 0xFB06},   {0xFB13, 0xFB17},
    {0xFB1D, 0xFB1D},   {0xFB1F, 0xFB28},   {0xFB2A, 0xFB36},   {0xFB38, 0xFB3C},
    {0xFB3E, 0xFB3E},   {0xFB40, 0xFB41},   {0xFB43, 0xFB44},   {0xFB46, 0xFBB1},
    {0xFBD3, 0xFD3D},   {0xFD50, 0xFD8F},   {0xFD92, 0xFDC7},   {0xFDF0, 0xFDFB},
    {0xFE70, 0xFE74},   {0xFE76, 0xFEFC},   {0xFF10, 0xFF19},   {0xFF21, 0xFF3A},
    {0xFF41, 0xFF5A},   {0xFF66, 0xFFBE},   {0xFFC2, 0xFFC7},   {0xFFCA, 0xFFCF},
    {0xFFD2, 0xFFD7},   {0xFFDA, 0xFFDC},   {0x10000, 0x1000B}, {0x1000D, 0x10026},
    {0x10028, 0x1003A}, {0x1003C, 0x1003D}, {0x1003F, 0x1004D}, {0x10050, 0x1005D},
    {0x10080, 0x100FA}, {0x10280, 0x1029C}, {0x102A0, 0x102D0}, {0x10300, 0x1031F},
    {0x1032D, 0x10340}, {0x10342, 0x10349}, {0x10350, 0x10375}, {0x10380, 0x1039D},
    {0x103A0, 0x103C3}, {0x103C8, 0x103CF}, {0x10400, 0x1049D}, {0x104A0, 0x104A9},
    {0x104B0, 0x104D3}, {0x104D8, 0x104FB}, {0x10500, 0x10527}, {0x10530, 0x10563},
    {0x10570, 0x1057A}, {0x1057C, 0x1058A}, {0x1058C, 0x10592}, {0x10594, 0x10595},
    {0x10597, 0x105A1}, {0x105A3, 0x105B1}, {0x105B3, 0x105B9}, {0x105BB, 0x105BC},
    {0x10600, 0x10736}, {0x10740, 0x10755}, {0x10760, 0x10767}, {0x10780, 0x10785},
    {0x10787, 0x107B0}, {0x107B2, 0x107BA}, {0x10800, 0x10805}, {0x10808, 0x10808},
    {0x1080A, 0x10835}, {0x10837, 0x10838}, {0x1083C, 0x1083C}, {0x1083F, 0x10855},
    {0x10860, 0x10876}, {0x10880, 0x1089E}, {0x108E0, 0x108F2}, {0x108F4, 0x108F5},
    {0x10900, 0x10915}, {0x10920, 0x10939}, {0x10980, 0x109B7}, {0x109BE, 0x109BF},
    {0x10A00, 0x10A00}, {0x10A10, 0x10A13}, {0x10A15, 0x10A17}, {0x10A19, 0x10A35},
    {0x10A60, 0x10A7C}, {0x10A80, 0x10A9C}, {0x10AC0, 0x10AC7}, {0x10AC9, 0x10AE4},
    {0x10B00, 0x10B35}, {0x10B40, 0x10B55}, {0x10B60, 0x10B72}, {0x10B80, 0x10B91},
    {0x10C00, 0x10C48}, {0x10C80, 0x10CB2}, {0x10CC0, 0x10CF2}, {0x10D00, 0x10D23},
    {0x10D30, 0x10D39}, {0x10E80, 0x10EA9}, {0x10EB0, 0x10EB1}, {0x10F00, 0x10F1C},
    {0x10F27, 0x10F27}, {0x10F30, 0x10F45}, {0x10F70, 0x10F81}, {0x10FB0, 0x10FC4},
    {0x10FE0, 0x10FF6}, {0x11003, 0x11037}, {0x11066, 0x1106F}, {0x11071, 0x11072},
    {0x11075, 0x11075}, {0x11083, 0x110AF}, {0x110D0, 0x110E8}, {0x110F0, 0x110F9},
    {0x11103, 0x11126}, {0x11136, 0x1113F}, {0x11144, 0x11144}, {0x11147, 0x11147},
    {0x11150, 0x11172}, {0x11176, 0x11176}, {0x11183, 0x111B2}, {0x111C1, 0x111C4},
    {0x111D0, 0x111DA}, {0x111DC, 0x111DC}, {0x11200, 0x11211}, {0x11213, 0x1122B},
    {0x11280, 0x11286}, {0x11288, 0x11288}, {0x1128A, 0x1128D}, {0x1128F, 0x1129D},
    {0x1129F, 0x112A8}, {0x112B0, 0x112DE}, {0x112F0, 0x112F9}, {0x11305, 0x1130C},
    {0x1130F, 0x11310}, {0x11313, 0x11328}, {0x1132A, 0x11330}, {0x11332, 0x11333},
    {0x11335, 0x11339}, {0x1133D, 0x1133D}, {0x11350, 0x11350}, {0x1135D, 0x11361},
    {0x11400, 0x11434}, {0x11447, 0x1144A}, {0x11450, 0x11459}, {0x1145F, 0x11461},
    {0x11480, 0x114AF}, {0x114C4, 0x114C5}, {0x114C7, 0x114C7}, {0x114D0, 0x114D9},
    {0x11580, 0x115AE}, {0x115D8, 0x115DB}, {0x11600, 0x1162F}, {0x11644, 0x11644},
    {0x11650, 0x11659}, {0x11680, 0x116AA}, {0x116B8, 0x116B8}, {0x116C0, 0x116C9},
    {0x11700, 0x1171A}, {0x11730, 0x11739}, {0x11740, 0x11746}, {0x11800, 0x1182B},
    {0x118A0, 0x118E9}, {0x118FF, 0x11906}, {0x11909, 0x11909}, {0x1190C, 0x11913},
    {0x11915, 0x11916}, {0x11918, 0x1192F}, {0x1193F, 0x1193F}, {0x11941, 0x11941},
    {0x11950, 0x11959}, {0x119A0, 0x119A7}, {0x119AA, 0x119D0}, {0x119E1, 0x119E1},
    {0x119E3, 0x119E3}, {0x11A00, 0x11A00}, {0x11A0B, 0x11A32}, {0x11A3A, 0x11A3A},
    {0x11A50, 0x11A50}, {0x11A5C, 0x11A89}, {0x11A9D, 0x11A9D}, {0x11AB0, 0x11AF8},
    {0x11C00, 0x11C08}, {0x11C0A, 0x11C2E}, {0x11C40, 0x11C40}, {0x11C50, 0x11C59},
    {0x11C72, 0x11C8F}, {0x11D00, 0x11D06}, {0x11D08, 0x11D09}, {0x11D0B, 0x11D30},
    {0x11D46, 0x11D46}, {0x11D50, 0x11D59}, {0x11D60, 0x11D65}, {0x11D67, 0x11D68},
    {0x11D6A, 0x11D89}, {0x11D98, 0x11D98}, {0x11DA0, 0x11DA9}, {0x11EE0, 0x11EF2},
    {0x11FB0, 0x11FB0}, {0x12000, 0x12399}, {0x12480, 0x12543}, {0x12F90, 0x12FF0},
    {0x13000, 0x1342E}, {0x14400, 0x14646}, {0x16800, 0x16A38}, {0x16A40, 0x16A5E},
    {0x16A60, 0x16A69}, {0x16A70, 0x16ABE}, {0x16AC0, 0x16AC9}, {0x16AD0, 0x16AED},
    {0x16B00, 0x16B2F}, {0x16B40, 0x16B43}, {0x16B50, 0x16B59}, {0x16B63, 0x16B77},
    {0x16B7D, 0x16B8F}, {0x16E40, 0x16E7F}, {0x16F00, 0x16F4A}, {0x16F50, 0x16F50},
    {0x16F93, 0x16F9F}, {0x16FE0, 0x16FE1}, {0x16FE3, 0x16FE3}, {0x17000, 0x187F7},
    {0x18800, 0x18CD5}, {0x18D00, 0x18D08}, {0x1AFF0, 0x1AFF3}, {0x1AFF5, 0x1AFFB},
    {0x1AFFD, 0x1AFFE}, {0x1B000, 0x1B122}, {0x1B150, 0x1B152}, {0x1B164, 0x1B167},
    {0x1B170, 0x1B2FB}, {0x1BC00, 0x1BC6A}, {0x1BC70, 0x1BC7C}, {0x1BC80, 0x1BC88},
    {0x1BC90, 0x1BC99}, {0x1D400, 0x1D454}, {0x1D456, 0x1D49C}, {0x1D49E, 0x1D49F},
    {0x1D4A2, 0x1D4A2}, {0x1D4A5, 0x1D4A6}, {0x1D4A9, 0x1D4AC}, {0x1D4AE, 0x1D4B9},
    {0x1D4BB, 0x1D4BB}, {0x1D4BD, 0x1D4C3}, {0x1D4C5, 0x1D505}, {0x1D507, 0x1D50A},
    {0x1D50D, 0x1D514}, {0x1D516, 0x1D51C}, {0x1D51E, 0x1D539}, {0x1D53B, 0x1D53E},
    {0x1D540, 0x1D544}, {0x1D546, 0x1D546}, {0x1D54A, 0x1D550}, {0x1D552, 0x1D6A5},
    {0x1D6A8, 0x1D6C0}, {0x1D6C2, 0x1D6DA}, {0x1D6DC, 0x1D6FA}, {0x1D6FC, 0x1D714},
    {0x1D716, 0x1D734}, {0x1D736, 0x1D74E}, {0x1D750, 0x1D76E}, {0x1D770, 0x1D788},
    {0x1D78A, 0x1D7A8}, {0x1D7AA, 0x1D7C2}, {0x1D7C4, 0x1D7CB}, {0x1D7CE, 0x1D7FF},
    {0x1DF00, 0x1DF1E}, {0x1E100, 0x1E12C}, {0x1E137, 0x1E13D}, {0x1E140, 0x1E149},
    {0x1E14E, 0x1E14E}, {0x1E290, 0x1E2AD}, {0x1E2C0, 0x1E2EB}, {0x1E2F0, 0x1E2F9},
    {0x1E7E0, 0x1E7E6}, {0x1E7E8, 0x1E7EB}, {0x1E7ED, 0x1E7EE}, {0x1E7F0, 0x1E7FE},
    {0x1E800, 0x1E8C4}, {0x1E900, 0x1E943}, {0x1E94B, 0x1E94B}, {0x1E950, 0x1E959},
    {0x1EE00, 0x1EE03}, {0x1EE05, 0x1EE1F}, {0x1EE21, 0x1EE22}, {0x1EE24, 0x1EE24},
    {0x1EE27, 0x1EE27}, {0x1EE29, 0x1EE32}, {0x1EE34, 0x1EE37}, {0x1EE39, 0x1EE39},
    {0x1EE3B, 0x1EE3B}, {0x1EE42, 0x1EE42}, {0x1EE47, 0x1EE47}, {0x1EE49, 0x1EE49},
    {0x1EE4B, 0x1EE4B}, {0x1EE4D, 0x1EE4F}, {0x1EE51, 0x1EE52}, {0x1EE54, 0x1EE54},
    {0x1EE57, 0x1EE57}, {0x1EE59, 0x1EE59}, {0x1EE5B, 0x1EE5B}, {0x1EE5D, 0x1EE5D},
    {0x1EE5F, 0x1EE5F}, {0x1EE61, 0x1EE62}, {0x1EE64, 0x1EE64}, {0x1EE67, 0x1EE6A},
    {0x1EE6C, 0x1EE72}, {0x1EE74, 0x1EE77}, {0x1EE79, 0x1EE7C}, {0x1EE7E, 0x1EE7E},
    {0x1EE80, 0x1EE89}, {0x1EE8B, 0x1EE9B}, {0x1EEA1, 0x1EEA3}, {0x1EEA5, 0x1EEA9},
    {0x1EEAB, 0x1EEBB}, {0x1FBF0, 0x1FBF9}, {0x20000, 0x2A6DF}, {0x2A700, 0x2B738},
    {0x2B740, 0x2B81D}, {0x2B820, 0x2CEA1}, {0x2CEB0, 0x2EBE0}, {0x2F800, 0x2FA1D},
    {0x30000, 0x3134A}};
static const struct lower_run lower_runs[] = {
    {0xC0, 0xD6, 32, 1},         {0xD8, 0xDE, 32, 1},         {0x100, 0x12E, 1, 2},
    {0x130, 0x130, -199, 1},     {0x132, 0x136, 1, 2},        {0x139, 0x147, 1, 2},
    {0x14A, 0x176, 1, 2},        {0x178, 0x178, -121, 1},     {0x179, 0x17D, 1, 2},
    {0x181, 0x181, 210, 1},      {0x182, 0x184, 1, 2},        {0x186, 0x186, 206, 1},
    {0x187, 0x187, 1, 1},        {0x189, 0x18A, 205, 1},      {0x18B, 0x18B, 1, 1},
    {0x18E, 0x18E, 79, 1},       {0x18F, 0x18F, 202, 1},      {0x190, 0x190, 203, 1},
    {0x191, 0x191, 1, 1},        {0x193, 0x193, 205, 1},      {0x194, 0x194, 207, 1},
    {0x196, 0x196, 211, 1},      {0x197, 0x197, 209, 1},      {0x198, 0x198, 1, 1},
    {0x19C, 0x19C, 211, 1},      {0x19D, 0x19D, 213, 1},      {0x19F, 0x19F, 214, 1},
    {0x1A0, 0x1A4, 1, 2},        {0x1A6, 0x1A6, 218, 1},      {0x1A7, 0x1A7, 1, 1},
    {0x1A9, 0x1A9, 218, 1},      {0x1AC, 0x1AC, 1, 1},        {0x1AE, 0x1AE, 218, 1},
    {0x1AF, 0x1AF, 1, 1},        {0x1B1, 0x1B2, 217, 1},      {0x1B3, 0x1B5, 1, 2},
    {0x1B7, 0x1B7, 219, 1},      {0x1B8, 0x1B8, 1, 1},        {0x1BC, 0x1BC, 1, 1},
    {0x1C4, 0x1C4, 2, 1},        {0x1C5, 0x1C5, 1, 1},        {0x1C7, 0x1C7, 2, 1},
    {0x1C8, 0x1C8, 1, 1},        {0x1CA, 0x1CA, 2, 1},        {0x1CB, 0x1DB, 1, 2},
    {0x1DE, 0x1EE, 1, 2},        {0x1F1, 0x1F1, 2, 1},        {0x1F2, 0x1F4, 1, 2},
    {0x1F6, 0x1F6, -97, 1},      {0x1F7, 0x1F7, -56, 1},      {0x1F8, 0x21E, 1, 2},
    {0x220, 0x220, -130, 1},     {0x222, 0x232, 1, 2},        {0x23A, 0x23A, 10795, 1},
    {0x23B, 0x23B, 1, 1},        {0x23D, 0x23D, -163, 1},     {0x23E, 0x23E, 10792, 1},
    {0x241, 0x241, 1, 1},        {0x243, 0x243, -195, 1},     {0x244, 0x244, 69, 1},
    {0x245, 0x245, 71, 1},       {0x246, 0x24E, 1, 2},        {0x370, 0x372, 1, 2},
    {0x376, 0x376, 1, 1},        {0x37F, 0x37F, 116, 1},      {0x386, 0x386, 38, 1},
    {0x388, 0x38A, 37, 1},       {0x38C, 0x38C, 64, 1},       {0x38E, 0x38F, 63, 1},
    {0x391, 0x3A1, 32, 1},       {0x3A3, 0x3AB, 32, 1},       {0x3CF, 0x3CF, 8, 1},
    {0x3D8, 0x3EE, 1, 2},        {0x3F4, 0x3F4, -60, 1},      {0x3F7, 0x3F7, 1, 1},
    {0x3F9, 0x3F9, -7, 1},       {0x3FA, 0x3FA, 1, 1},        {0x3FD, 0x3FF, -130, 1},
    {0x400, 0x40F, 80, 1},       {0x410, 0x42F, 32, 1},       {0x460, 0x480, 1, 2},
    {0x48A, 0x4BE, 1, 2},        {0x4C0, 0x4C0, 15, 1},       {0x4C1, 0x4CD, 1, 2},
    {0x4D0, 0x52E, 1, 2},        {0x531, 0x556, 48, 1},       {0x10A0, 0x10C5, 7264, 1},
    {0x10C7, 0x10C7, 7264, 1},   {0x10CD, 0x10CD, 7264, 1},   {0x13A0, 0x13EF, 38864, 1},
    {0x13F0, 0x13F5, 8, 1},      {0x1C90, 0x1CBA, -3008, 1},  {0x1CBD, 0x1CBF, -3008, 1},
    {0x1E00, 0x1E94, 1, 2},      {0x1E9E, 0x1E9E, -7615, 1},  {0x1EA0, 0x1EFE, 1, 2},
    {0x1F08, 0x1F0F, -8, 1},     {0x1F18, 0x1F1D, -8, 1},     {0x1F28, 0x1F2F, -8, 1},
    {0x1F38, 0x1F3F, -8, 1},     {0x1F48, 0x1F4D, -8, 1},     {0x1F59, 0x1F5F, -8, 2},
    {0x1F68, 0x1F6F, -8, 1},     {0x1F88, 0x1F8F, -8, 1},     {0x1F98, 0x1F9F, -8, 1},
    {0x1FA8, 0x1FAF, -8, 1},     {0x1FB8, 0x1FB9, -8, 1},     {0x1FBA, 0x1FBB, -74, 1},
    {0x1FBC, 0x1FBC, -9, 1},     {0x1FC8, 0x1FCB, -86, 1},    {0x1FCC, 0x1FCC, -9, 1},
    {0x1FD8, 0x1FD9, -8, 1},     {0x1FDA, 0x1FDB, -100, 1},   {0x1FE8, 0x1FE9, -8, 1},
    {0x1FEA, 0x1FEB, -112, 1},   {0x1FEC, 0x1FEC, -7, 1},     {0x1FF8, 0x1FF9, -128, 1},
    {0x1FFA, 0x1FFB, -126, 1},   {0x1FFC, 0x1FFC, -9, 1},     {0x2126, 0x2126, -7517, 1},
    {0x212A, 0x212A, -8383, 1},  {0x212B, 0x212B, -8262, 1},  {0x2132, 0x2132, 28, 1},
    {0x2160, 0x216F, 16, 1},     {0x2183, 0x2183, 1, 1},      {0x24B6, 0x24CF, 26, 1},
    {0x2C00, 0x2C2F, 48, 1},     {0x2C60, 0x2C60, 1, 1},      {0x2C62, 0x2C62, -10743, 1},
    {0x2C63, 0x2C63, -3814, 1},  {0x2C64, 0x2C64, -10727, 1}, {0x2C67, 0x2C6B, 1, 2},
    {0x2C6D, 0x2C6D, -10780, 1}, {0x2C6E, 0x2C6E, -10749, 1}, {0x2C6F, 0x2C6F, -10783, 1},
    {0x2C70, 0x2C70, -10782, 1}, {0x2C72, 0x2C72, 1, 1},      {0x2C75, 0x2C75, 1, 1},
    {0x2C7E, 0x2C7F, -10815, 1}, {0x2C80, 0x2CE2, 1, 2},      {0x2CEB, 0x2CED, 1, 2},
    {0x2CF2, 0x2CF2, 1, 1},      {0xA640, 0xA66C, 1, 2},      {0xA680, 0xA69A, 1, 2},
    {0xA722, 0xA72E, 1, 2},      {0xA732, 0xA76E, 1, 2},      {0xA779, 0xA77B, 1, 2},
    {0xA77D, 0xA77D, -35332, 1}, {0xA77E, 0xA786, 1, 2},      {0xA78B, 0xA78B, 1, 1},
    {0xA78D, 0xA78D, -42280, 1}, {0xA790, 0xA792, 1, 2},      {0xA796, 0xA7A8, 1, 2},
    {0xA7AA, 0xA7AA, -42308, 1}, {0xA7AB, 0xA7AB, -42319, 1}, {0xA7AC, 0xA7AC, -42315, 1},
    {0xA7AD, 0xA7AD, -42305, 1}, {0xA7AE, 0xA7AE, -42308, 1}, {0xA7B0, 0xA7B0, -42258, 1},
    {0xA7B1, 0xA7B1, -42282, 1}, {0xA7B2, 0xA7B2, -42261, 1}, {0xA7B3, 0xA7B3, 928, 1},
    {0xA7B4, 0xA7C2, 1, 2},      {0xA7C4, 0xA7C4, -48, 1},    {0xA7C5, 0xA7C5, -42307, 1},
    {0xA7C6, 0xA7C6, -35384, 1}, {0xA7C7, 0xA7C9, 1, 2},      {0xA7D0, 0xA7D0, 1, 1},
    {0xA7D6, 0xA7D8, 1, 2},      {0xA7F5, 0xA7F5, 1, 1},      {0xFF21, 0xFF3A, 32, 1},
    {0x10400, 0x10427, 40, 1},   {0x104B0, 0x104D3, 40, 1},   {0x10570, 0x1057A, 39, 1},
    {0x1057C, 0x1058A, 39, 1},   {0x1058C, 0x10592, 39, 1},   {0x10594, 0x10595, 39, 1},
    {0x10C80, 0x10CB2, 64, 1},   {0x118A0, 0x118BF, 32, 1},   {0x16E40, 0x16E5F, 32, 1},
    {0x1E900, 0x1E921, 34, 1}};

static bool
uni_alnum(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(alnum_ranges) / sizeof(alnum_ranges[0]);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < alnum_ranges[mid][0])
            hi = mid;
        else if (cp > alnum_ranges[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

static uint32_t
uni_lower(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(lower_runs) / sizeof(lower_runs[0]);
    while (lo < hi) { /* first run starting after cp */
        size_t mid = lo + (hi - lo) / 2;
        if (lower_runs[mid].first <= cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return cp;
    const struct lower_run *r = &lower_runs[lo - 1];
    if (cp > r->last || (cp - r->first) % r->stride != 0) return cp;
    return (uint32_t)((int32_t)cp + r->delta);
}

void
md_anchorize(buf *out, const char *text, size_t n)
{
    size_t start = 0, end = 0, k;
    while (start < n && (k = html_space_len(text + start, n - start)) > 0)
        start += k;
    for (size_t i = start; i < n; i += k) {
        uint32_t cp;
        k = utf8_decode(text + i, n - i, &cp);
        if (!html_space_len(text + i, n - i)) end = i + k;
    }
    for (size_t i = start; i < end; i += k) {
        uint32_t cp;
        k = utf8_decode(text + i, end - i, &cp);
        if (cp == ' ' || cp == '-')
            buf_putc(out, '-');
        else if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || cp == '_')
            buf_putc(out, (int)cp);
        else if (cp >= 'A' && cp <= 'Z')
            buf_putc(out, (int)cp + 32);
        else if (cp >= 0x80 && uni_alnum(cp))
            utf8_encode(out, uni_lower(cp));
    }
}

/* ---- heading ids: a set of the ids given so far ---- */

typedef struct id_entry {
    const char *id; /* NULL: empty; points into the md_heading */
    size_t len;
    unsigned long next; /* first suffix worth trying when id is a base again */
} id_entry;

typedef struct id_set {
    id_entry *v;
    size_t cap, n;
} id_set;

static id_entry *
id_find(id_set *set, const char *s, size_t n)
{
    size_t mask = set->cap - 1, i = (size_t)hash_bytes(s, n) & mask;
    while (set->v[i].id && !(set->v[i].len == n && memcmp(set->v[i].id, s, n) == 0))
        i = (i + 1) & mask;
    return &set->v[i];
}

static void
id_add(id_set *set, const char *s, size_t n)
{
    if ((set->n + 1) * 2 > set->cap) {
        id_set old = *set;
        set->cap = old.cap ? old.cap * 2 : 32;
        set->v = xcalloc(set->cap, sizeof(*set->v));
        for (size_t i = 0; i < old.cap; i++)
            if (old.v[i].id) *id_find(set, old.v[i].id, old.v[i].len) = old.v[i];
        free(old.v);
    }
    id_entry *e = id_find(set, s, n);
    *e = (id_entry){s, n, 1};
    set->n++;
}

/*
 * The id for a heading whose visible text is text: Hugo's first free
 * "base", "base-1", "base-2", ...  Each base remembers where its search
 * stopped (ids are never removed, so the first free suffix only grows),
 * which keeps a page of a thousand equal headings linear.
 */
static char *
unique_id(id_set *set, const char *text, size_t n)
{
    buf b = BUF_INIT;
    md_anchorize(&b, text, n);
    if (b.len == 0) buf_puts(&b, "heading");
    if (set->cap == 0 || !id_find(set, b.data, b.len)->id) {
        size_t len;
        char *id = buf_detach(&b, &len);
        id_add(set, id, len);
        return id;
    }
    size_t base = b.len;
    unsigned long i = id_find(set, b.data, base)->next;
    for (;; i++) {
        b.len = base;
        buf_printf(&b, "-%lu", i);
        if (!id_find(set, b.data, b.len)->id) break;
    }
    id_find(set, b.data, base)->next = i + 1;
    size_t len;
    char *id = buf_detach(&b, &len);
    id_add(set, id, len);
    return id;
}

/* ---- reading the tree ---- */

/* The visible text of a heading: text and code, breaks as spaces. */
static void
plain_text(cmark_node *node, buf *out)
{
    cmark_iter *it = cmark_iter_new(node);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: buf_puts(out, cmark_node_get_literal(c)); break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK: buf_putc(out, ' '); break;
        default: break;
        }
    }
    cmark_iter_free(it);
}

/* A heading's inner HTML as cmark renders it, without <a> and </a>. */
static void
toc_title(cmark_node *h, int opts, cmark_llist *ext, buf *out)
{
    char *s = cmark_render_html_with_mem(h, opts, ext, &heap_mem);
    size_t n = strlen(s);
    /* "<hN>" ... "</hN>\n" */
    if (n >= 10 && memcmp(s, "<h", 2) == 0 && s[3] == '>' && memcmp(s + n - 6, "</h", 3) == 0) {
        html_lexer lx;
        html_tok t;
        html_lexer_init(&lx, s + 4, n - 10);
        while (html_next(&lx, &t)) {
            bool link = (t.kind == HTML_START || t.kind == HTML_END) && t.name_len == 1 &&
                        (s[4 + t.name_off] == 'a' || s[4 + t.name_off] == 'A');
            if (!link) buf_put(out, s + 4 + t.off, t.len);
        }
    }
}

static bool
is_marker(cmark_node *node)
{
    const char *s = cmark_node_get_literal(node);
    if (!s) return false;
    size_t n = strlen(s);
    while (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return (n == 11 && memcmp(s, "<!--more-->", 11) == 0) ||
           (n == 13 && memcmp(s, "<!-- more -->", 13) == 0);
}

/*
 * "<hone-more-0...0>" with one more 0 than any digit run that follows
 * "<hone-more-" in the source, so the source cannot contain it.
 */
static void
make_sentinel(buf *out, const char *src, size_t n)
{
    static const char pre[] = "<hone-more-";
    size_t m = sizeof(pre) - 1, longest = 0, i = 0;
    while (i + m <= n) {
        const char *p = memchr(src + i, '<', n - m + 1 - i);
        if (!p) break;
        i = (size_t)(p - src) + 1;
        if (memcmp(p, pre, m) != 0) continue;
        size_t j = i - 1 + m;
        while (j < n && src[j] >= '0' && src[j] <= '9')
            j++;
        if (j - (i - 1 + m) > longest) longest = j - (i - 1 + m);
    }
    buf_puts(out, pre);
    for (size_t k = 0; k <= longest; k++)
        buf_putc(out, '0');
    buf_putc(out, '>');
}

/* ---- editing the tree ---- */

static void
must(int ok)
{
    assert(ok);
    (void)ok;
}

/*
 * Replaces heading h by a custom block printing <hN id="id">...</hN>.  A
 * parent that takes no custom block would keep the heading as it is, but
 * every container of headings (document, quote, item, footnote) takes one.
 */
static void
give_id(cmark_node *h, int level, const char *id)
{
    cmark_node *blk = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &heap_mem);
    if (!cmark_node_insert_before(h, blk)) {
        cmark_node_free(blk);
        return;
    }
    buf b = BUF_INIT;
    cmark_node *open = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, &heap_mem);
    cmark_node *close = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, &heap_mem);
    buf_printf(&b, "<h%d id=\"", level);
    esc_html(&b, id, strlen(id));
    buf_puts(&b, "\">");
    must(cmark_node_set_on_enter(open, buf_cstr(&b)));
    buf_reset(&b);
    buf_printf(&b, "</h%d>", level);
    must(cmark_node_set_on_enter(close, buf_cstr(&b)));
    buf_free(&b);
    must(cmark_node_append_child(blk, open));
    cmark_node *c;
    while ((c = cmark_node_first_child(h)) != NULL)
        must(cmark_node_append_child(blk, c));
    must(cmark_node_append_child(blk, close));
    cmark_node_free(h);
}

/*
 * Puts a custom node printing sentinel in the place of marker m.  False
 * when m's parent takes no custom node (a table cell takes only the inline
 * types it knows): m then stays, an ordinary comment.
 */
static bool
place_sentinel(cmark_node *m, const char *sentinel)
{
    bool block = cmark_node_get_type(m) == CMARK_NODE_HTML_BLOCK;
    cmark_node *c = cmark_node_new_with_mem(
        block ? CMARK_NODE_CUSTOM_BLOCK : CMARK_NODE_CUSTOM_INLINE, &heap_mem);
    must(cmark_node_set_on_enter(c, sentinel));
    if (!cmark_node_insert_before(m, c)) {
        cmark_node_free(c);
        return false;
    }
    cmark_node_free(m);
    return true;
}

/*
 * The language of a fence's info string into lang, and where its Hugo
 * options are: "python", "python {linenos=true}", "{.python linenos=true}".
 */
static void
code_info(const char *info, buf *lang, const char **opts, size_t *nopts)
{
    const char *p = info;
    *opts = NULL;
    *nopts = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '{') {
        const char *end = strchr(p, '}');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        for (size_t i = 1; i < n; i++) {
            if (p[i] == '.' && (i == 1 || p[i - 1] == ' ' || p[i - 1] == '\t')) {
                size_t j = i + 1;
                while (j < n && p[j] != ' ' && p[j] != '\t' && p[j] != '}')
                    j++;
                buf_put(lang, p + i + 1, j - i - 1);
                break;
            }
        }
        *opts = p;
        *nopts = n;
        return;
    }
    const char *w = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '{')
        p++;
    buf_put(lang, w, (size_t)(p - w));
    const char *brace = strchr(p, '{');
    if (brace) {
        *opts = brace;
        *nopts = strlen(brace);
    }
}

/*
 * Replaces code block c by a custom block printing it highlighted.  Every
 * container of code blocks (document, quote, item, footnote) takes a
 * custom block; should one not, the block stays as cmark prints it.
 */
static void
highlight_code(cmark_node *c)
{
    const char *info = cmark_node_get_fence_info(c);
    const char *code = cmark_node_get_literal(c);
    if (!code) code = "";
    size_t n = strlen(code);
    buf lang = BUF_INIT, html = BUF_INIT;
    const char *opts;
    size_t nopts;
    code_info(info ? info : "", &lang, &opts, &nopts);
    hl_opts o = {false, NULL, 0, 0};
    int *lines = NULL;
    hl_parse_opts(opts, nopts, code, n, &o, &lines, NULL);
    hl_html(&html, lang.len ? buf_cstr(&lang) : NULL, code, n, &o);
    cmark_node *blk = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &heap_mem);
    if (cmark_node_insert_before(c, blk)) {
        must(cmark_node_set_on_enter(blk, buf_cstr(&html)));
        cmark_node_free(c);
    } else {
        cmark_node_free(blk);
    }
    free(lines);
    buf_free(&lang);
    buf_free(&html);
}

/* ---- the table of contents, as Hugo's tableofcontents package ---- */

typedef struct toc_node {
    long h; /* heading index, -1 for a placeholder */
    size_t first, last, next;
} toc_node;

typedef struct toc_tree {
    toc_node *v;
    size_t n, cap;
    int min, max;
    const md_doc *doc;
    buf *titles;
    buf *out;
} toc_tree;

static size_t
toc_new(toc_tree *t, long h, size_t parent)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->v = xreallocarray(t->v, t->cap, sizeof(*t->v));
    }
    size_t i = t->n++;
    t->v[i] = (toc_node){h, NONE, NONE, NONE};
    if (parent != NONE) {
        if (t->v[parent].last == NONE)
            t->v[parent].first = i;
        else
            t->v[t->v[parent].last].next = i;
        t->v[parent].last = i;
    }
    return i;
}

/* Hugo's tocBuilder.AddAt with row = the last row. */
static void
toc_add(toc_tree *t, long h, int level)
{
    if (level == 1 || t->v[0].last == NONE) toc_new(t, -1, 0);
    size_t row = t->v[0].last;
    if (level == 1) {
        t->v[row].h = h;
        return;
    }
    size_t node = row;
    for (int i = 2; i < level; i++) {
        if (t->v[node].last == NONE) toc_new(t, -1, node);
        node = t->v[node].last;
    }
    toc_new(t, h, node);
}

static void
toc_indent(toc_tree *t, int n)
{
    for (int i = 0; i < n; i++)
        buf_puts(t->out, "  ");
}

static void toc_item(toc_tree *t, int level, int indent, size_t i);

/* Hugo's writeHeadings: the entries of level `level` starting at first. */
static void
toc_list(toc_tree *t, int level, int indent, size_t first)
{
    if (level < t->min) {
        for (size_t i = first; i != NONE; i = t->v[i].next)
            toc_list(t, level + 1, indent, t->v[i].first);
        return;
    }
    if (level > t->max || first == NONE) return;
    buf_putc(t->out, '\n');
    toc_indent(t, indent + 1);
    buf_puts(t->out, "<ul>\n");
    for (size_t i = first; i != NONE; i = t->v[i].next)
        toc_item(t, level + 1, indent + 2, i);
    toc_indent(t, indent + 1);
    buf_puts(t->out, "</ul>\n");
    toc_indent(t, indent);
}

static void
toc_item(toc_tree *t, int level, int indent, size_t i)
{
    toc_indent(t, indent);
    buf_puts(t->out, "<li>");
    long h = t->v[i].h;
    if (h >= 0) {
        const char *id = t->doc->headings[h].id;
        buf_puts(t->out, "<a href=\"#");
        esc_html(t->out, id, strlen(id));
        buf_puts(t->out, "\">");
        buf_put(t->out, t->titles[h].data, t->titles[h].len);
        buf_puts(t->out, "</a>");
    }
    toc_list(t, level, indent, t->v[i].first);
    buf_puts(t->out, "</li>\n");
}

static void
build_toc(md_doc *doc, buf *titles, int min, int max, buf *out)
{
    bool any = false;
    for (size_t i = 0; i < doc->nheadings; i++)
        any |= doc->headings[i].level >= min && doc->headings[i].level <= max;
    if (!any) return;
    toc_tree t = {NULL, 0, 0, min, max, doc, titles, out};
    toc_new(&t, -1, NONE);
    for (size_t i = 0; i < doc->nheadings; i++)
        toc_add(&t, (long)i, doc->headings[i].level);
    buf_puts(out, "<nav id=\"TableOfContents\">");
    toc_list(&t, 1, 0, t.v[0].first);
    buf_puts(out, "</nav>");
    free(t.v);
}

/* ---- md_render ---- */

static int
check_src(const char *src, size_t n, const char *file, int first_line, diags *d)
{
    long base = first_line > 0 ? first_line : 1;
    if (n > MAX_SRC) {
        diag_err(d, file, (int)base, 1,
                 "the Markdown body is %zu MiB, more than the %zu MiB hone accepts; split it",
                 n >> 20, MAX_SRC >> 20);
        return -1;
    }
    size_t bad = utf8_check(src, n);
    const char *nul = memchr(src, '\0', bad);
    if (!nul && bad == n) return 0;
    size_t off = nul ? (size_t)(nul - src) : bad;
    int line, col;
    diag_linecol(src, off, &line, &col);
    long l = base + line - 1;
    line = l > INT_MAX ? INT_MAX : (int)l;
    if (nul)
        diag_err(d, file, line, col,
                 "NUL byte in the Markdown text; remove it (is this a binary file?)");
    else
        diag_err(d, file, line, col,
                 "invalid UTF-8 (byte 0x%02X) in the Markdown text; save the file as UTF-8",
                 (unsigned)(unsigned char)src[off]);
    return -1;
}

typedef struct nodes {
    cmark_node **v;
    size_t n, cap;
} nodes;

static void
nodes_push(nodes *l, cmark_node *node)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
    }
    l->v[l->n++] = node;
}

/* Headings, <!--more--> markers and code blocks, in document order. */
/* Forward: relative URLs are rewritten on the same walk. */
static void rebase_node(cmark_node *c, const char *base, buf *url);

/*
 * One walk over the tree: headings, <!--more--> markers and code blocks
 * into their lists (document order), links and images rebased (when base
 * is set), and whether a task list item is there.
 */
static bool
collect(cmark_node *root, const char *base, nodes *heads, nodes *marks, nodes *codes)
{
    bool tasks = false;
    buf url = BUF_INIT;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node_type ty = cmark_node_get_type(c);
        if (ty == CMARK_NODE_HEADING)
            nodes_push(heads, c);
        else if (ty == CMARK_NODE_CODE_BLOCK)
            nodes_push(codes, c);
        else if ((ty == CMARK_NODE_HTML_BLOCK || ty == CMARK_NODE_HTML_INLINE) && is_marker(c))
            nodes_push(marks, c);
        else if (base && (ty == CMARK_NODE_LINK || ty == CMARK_NODE_IMAGE))
            rebase_node(c, base, &url);
        else if (ty == CMARK_NODE_ITEM && !tasks)
            tasks = strcmp(cmark_node_get_type_string(c), "tasklist") == 0;
    }
    cmark_iter_free(it);
    buf_free(&url);
    return tasks;
}

void
md_unwrap_paragraph(const char **html, size_t *n)
{
    const char *h = *html;
    size_t len = *n;
    if (len < 8 || memcmp(h, "<p>", 3) != 0 || memcmp(h + len - 5, "</p>\n", 5) != 0) return;
    for (size_t i = 3; i + 3 <= len - 5; i++) /* no other paragraph inside */
        if (h[i] == '<' &&
            (memcmp(h + i, "<p>", 3) == 0 || (i + 4 <= len - 5 && memcmp(h + i, "</p>", 4) == 0)))
            return;
    *html = h + 3;
    *n = len - 8;
}

bool
md_is_relative(const char *url)
{
    if (!url[0] || url[0] == '/' || url[0] == '#' || url[0] == '?') return false;
    for (const char *c = url; *c && *c != '/' && *c != '?' && *c != '#'; c++)
        if (*c == ':') return false; /* https:, mailto:, data: ... */
    return true;
}

/* Prefixes relative link and image URLs with base. */
static void
rebase_node(cmark_node *c, const char *base, buf *url)
{
    const char *u = cmark_node_get_url(c);
    if (!u || !md_is_relative(u)) return;
    buf_reset(url);
    buf_puts(url, base);
    buf_puts(url, u);
    cmark_node_set_url(c, buf_cstr(url));
}

/* Ids and TOC titles for the headings, into doc. */
static void
read_headings(md_doc *doc, nodes *heads, int opts, cmark_llist *ext, buf *titles)
{
    id_set ids = {NULL, 0, 0};
    buf text = BUF_INIT;
    doc->headings = xcalloc(heads->n, sizeof(*doc->headings));
    for (size_t i = 0; i < heads->n; i++) {
        md_heading *h = &doc->headings[i];
        buf_reset(&text);
        plain_text(heads->v[i], &text);
        h->level = cmark_node_get_heading_level(heads->v[i]);
        h->id = unique_id(&ids, text.data, text.len);
        h->text = xstrndup(buf_cstr(&text), text.len);
        toc_title(heads->v[i], opts, ext, &titles[i]);
        doc->nheadings++;
    }
    buf_free(&text);
    free(ids.v);
}

static bool
blank(const char *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k)
        if ((k = html_space_len(s + i, n - i)) == 0) return false;
    return true;
}

/* Does the document have task-list items ("- [x] done")? */

/*
 * The tasklist extension writes checkboxes without a label, which screen
 * readers announce as an unnamed control (axe: critical).  Give each the
 * name of its state.  A copy of page with the names, or NULL if none.
 */
static char *
name_checkboxes(const char *page)
{
    static const struct {
        const char *from, *to;
    } boxes[] = {
        {"<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
         "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"done\" />"},
        {"<input type=\"checkbox\" disabled=\"\" />",
         "<input type=\"checkbox\" disabled=\"\" aria-label=\"to do\" />"},
    };
    buf b = BUF_INIT;
    const char *p = page;
    for (;;) {
        const char *hit = NULL;
        size_t k = 0;
        for (size_t i = 0; i < 2; i++) {
            const char *h = strstr(p, boxes[i].from);
            if (h && (!hit || h < hit)) hit = h, k = i;
        }
        if (!hit) break;
        buf_put(&b, p, (size_t)(hit - p));
        buf_puts(&b, boxes[k].to);
        p = hit + strlen(boxes[k].from);
    }
    buf_puts(&b, p);
    return buf_detach(&b, NULL);
}

/* Parses, under the lock only when priming failed: see the top of the file. */
static cmark_node *
parse(cmark_parser *p, const char *src, size_t n)
{
    if (!interposed) pthread_mutex_lock(&parse_lock);
    cmark_parser_feed(p, src, n);
    cmark_node *root = cmark_parser_finish(p);
    if (!interposed) pthread_mutex_unlock(&parse_lock);
    return root;
}

/*
 * Fills html, summary, more and truncated of doc from the rendered page,
 * which holds sentinel where the first <!--more--> was (with a newline
 * after it when the marker was a block).
 */
static void
split(md_doc *doc, const char *page, const char *sentinel, bool block_marker, int summary_words)
{
    buf sum = BUF_INIT;
    size_t len = strlen(page);
    char *html = xmalloc(len + 1); /* kept for the build: exactly its size */
    size_t html_len;
    const char *cut = sentinel ? strstr(page, sentinel) : NULL;
    if (cut) {
        size_t at = (size_t)(cut - page), rest = at + strlen(sentinel);
        if (block_marker && page[rest] == '\n') rest++;
        memcpy(html, page, at);
        memcpy(html + at, page + rest, len - rest);
        html_len = at + len - rest;
        html_balance(&sum, page, at);
        doc->more = true;
        doc->truncated = !blank(page + rest, len - rest);
    } else {
        int words = summary_words > 0 ? summary_words : DEFAULT_SUMMARY_WORDS;
        memcpy(html, page, len);
        html_len = len;
        html_truncate_words(&sum, html, html_len, (size_t)words, NULL, &doc->truncated);
    }
    html[html_len] = '\0';
    doc->html = html;
    doc->html_len = html_len;
    doc->summary = buf_detach(&sum, &doc->summary_len);
}

int
md_render(const char *src, size_t n, const md_opts *o, md_doc *doc, const char *file,
          int first_line, diags *d)
{
    static const md_opts defaults = {false,           false,           DEFAULT_SUMMARY_WORDS,
                                     DEFAULT_TOC_MIN, DEFAULT_TOC_MAX, NULL};
    memset(doc, 0, sizeof(*doc));
    if (!o) o = &defaults;
    if (!src) {
        src = "";
        n = 0;
    }
    if (check_src(src, n, file, first_line, d) < 0) return -1;
    pthread_once(&exts_once, find_extensions);
    for (size_t i = 0; i < N_EXT; i++) {
        if (!exts[i]) {
            diag_err(d, file, 0, 0,
                     "libcmark-gfm has no \"%s\" extension; install libcmark-gfm-extensions",
                     ext_names[i]);
            return -1;
        }
    }

    int opts = CMARK_OPT_FOOTNOTES | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;
    if (o->unsafe_html) opts |= CMARK_OPT_UNSAFE;
    if (o->smart) opts |= CMARK_OPT_SMART;
    heap *h = heap_get();
    cmark_parser *p = cmark_parser_new_with_mem(opts, &heap_mem);
    for (size_t i = 0; i < N_EXT; i++)
        cmark_parser_attach_syntax_extension(p, exts[i]);
    cmark_node *root = parse(p, src, n);
    cmark_llist *ext = cmark_parser_get_syntax_extensions(p);

    nodes heads = {NULL, 0, 0}, marks = {NULL, 0, 0}, codes = {NULL, 0, 0};
    bool tasks = collect(root, o->base, &heads, &marks, &codes);
    for (size_t i = 0; i < codes.n; i++)
        highlight_code(codes.v[i]);
    buf *titles = xcalloc(heads.n, sizeof(*titles));
    read_headings(doc, &heads, opts, ext, titles);
    buf sentinel = BUF_INIT;
    make_sentinel(&sentinel, src, n);
    bool placed = false, block_marker = false;
    for (size_t i = 0; i < marks.n; i++) {
        bool block = cmark_node_get_type(marks.v[i]) == CMARK_NODE_HTML_BLOCK;
        if (placed)
            cmark_node_free(marks.v[i]); /* later markers vanish */
        else if ((placed = place_sentinel(marks.v[i], sentinel.data)))
            block_marker = block;
    }
    for (size_t i = 0; i < heads.n; i++)
        give_id(heads.v[i], doc->headings[i].level, doc->headings[i].id);

    char *page = cmark_render_html_with_mem(root, opts, ext, &heap_mem);
    char *named = tasks ? name_checkboxes(page) : NULL;
    split(doc, named ? named : page, placed ? sentinel.data : NULL, block_marker, o->summary_words);
    free(named);
    size_t words = html_word_count(doc->html, doc->html_len);
    doc->words = words > INT_MAX ? INT_MAX : (int)words;
    buf toc = BUF_INIT;
    build_toc(doc, titles, o->toc_min > 0 ? o->toc_min : DEFAULT_TOC_MIN,
              o->toc_max > 0 ? o->toc_max : DEFAULT_TOC_MAX, &toc);
    doc->toc = buf_detach(&toc, &doc->toc_len);

    for (size_t i = 0; i < heads.n; i++)
        buf_free(&titles[i]);
    free(titles);
    buf_free(&sentinel);
    free(heads.v);
    free(marks.v);
    free(codes.v);
    cmark_node_free(root);
    cmark_parser_free(p);
    heap_reset(h);
    return 0;
}

bool
md_parallel(void)
{
    pthread_once(&exts_once, find_extensions);
    return interposed;
}

void
md_free(md_doc *doc)
{
    if (!doc) return;
    free(doc->html);
    free(doc->summary);
    free(doc->toc);
    for (size_t i = 0; i < doc->nheadings; i++) {
        free(doc->headings[i].id);
        free(doc->headings[i].text);
    }
    free(doc->headings);
    memset(doc, 0, sizeof(*doc));
}

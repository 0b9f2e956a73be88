/*
 * cert: template slots, reference counts, reloading, and the download's
 * file name header.  See cert.h.
 *
 *   acquire:  stat the file; lock; if it is not the file last tried and
 *             no one is loading, mark loading; take cur and count it;
 *             unlock.  The marked thread (after unlocking) loads the new
 *             file, then locks, swaps it in (or notes the refusal) and
 *             unlocks; the old template goes when its last reader drops
 *             it.  The loading thread serves from the new template.
 *   release:  drop the count; the one who drops it to zero frees.
 */
#include "cert.h"
#include "esc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct cert_ref {
    pdf_template *t;
    atomic_uint refs;
};

/* What stat(2) said about the file: enough to tell another file. */
typedef struct file_sig {
    bool exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} file_sig;

struct cert_slot {
    char *name, *path;
    pthread_mutex_t mu;
    cert_ref *cur;  /* NULL: nothing servable; the slot holds one reference */
    file_sig tried; /* the file as it was when last loaded or refused */
    bool loading;   /* a thread is loading a changed file */
    unsigned loads, refusals;
};

static file_sig
sig_of(const char *path)
{
    struct stat st;
    file_sig s;
    memset(&s, 0, sizeof(s));
    if (stat(path, &st) < 0) return s;
    s.exists = true;
    s.dev = st.st_dev;
    s.ino = st.st_ino;
    s.size = st.st_size;
    s.mtime = st.st_mtim;
    return s;
}

static bool
sig_eq(const file_sig *a, const file_sig *b)
{
    if (a->exists != b->exists) return false;
    if (!a->exists) return true;
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* Loads the file; logs a refusal.  NULL when refused. */
static cert_ref *
load(cert_slot *s, bool first)
{
    diags d = DIAGS_INIT;
    pdf_template *t = pdf_load(s->path, &d);
    if (!t) {
        for (size_t i = 0; i < d.n; i++) {
            char *m = diag_str(&d.v[i]);
            fprintf(stderr, "hone-fcgi: certificate '%s': %s\n", s->name, m);
            free(m);
        }
        fprintf(stderr,
                first ? "hone-fcgi: certificate '%s' answers 503 until its template is fixed\n"
                      : "hone-fcgi: certificate '%s' keeps its previous template (if any)\n",
                s->name);
        diags_free(&d);
        return NULL;
    }
    diags_free(&d);
    cert_ref *r = xcalloc(1, sizeof(*r));
    r->t = t;
    atomic_init(&r->refs, 1);
    return r;
}

cert_slot *
cert_slot_new(const char *name, const char *path)
{
    cert_slot *s = xcalloc(1, sizeof(*s));
    s->name = xstrdup(name);
    s->path = xstrdup(path);
    pthread_mutex_init(&s->mu, NULL);
    s->tried = sig_of(path);
    s->cur = load(s, true);
    if (s->cur)
        s->loads++;
    else
        s->refusals++;
    return s;
}

void
cert_release(cert_ref *r)
{
    if (!r) return;
    if (atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) == 1) {
        pdf_free(r->t);
        free(r);
    }
}

void
cert_slot_free(cert_slot *s)
{
    if (!s) return;
    cert_release(s->cur);
    pthread_mutex_destroy(&s->mu);
    free(s->name);
    free(s->path);
    free(s);
}

cert_ref *
cert_acquire(cert_slot *s)
{
    file_sig now = sig_of(s->path);
    bool mine = false;
    pthread_mutex_lock(&s->mu);
    if (!s->loading && !sig_eq(&now, &s->tried)) {
        s->loading = mine = true;
        s->tried = now;
    }
    pthread_mutex_unlock(&s->mu);

    if (mine) {
        /* pdf_load reads whatever is there now; should the file change
         * again meanwhile, the next stat differs from `tried` and it is
         * loaded once more */
        cert_ref *fresh = now.exists ? load(s, false) : NULL;
        if (!now.exists)
            fprintf(stderr,
                    "hone-fcgi: certificate '%s': %s is gone; keeping the previous template "
                    "(if any)\n",
                    s->name, s->path);
        cert_ref *old = NULL;
        /* once swapped in, fresh belongs to the slot: another reload may
         * free it before this thread looks at it again */
        size_t size = fresh ? pdf_size(fresh->t) : 0;
        pthread_mutex_lock(&s->mu);
        if (fresh) {
            old = s->cur;
            s->cur = fresh;
            s->loads++;
        } else {
            s->refusals++;
        }
        s->loading = false;
        pthread_mutex_unlock(&s->mu);
        if (fresh)
            fprintf(stderr, "hone-fcgi: certificate '%s': loaded %s again (%zu bytes)\n", s->name,
                    s->path, size);
        cert_release(old);
    }

    pthread_mutex_lock(&s->mu);
    cert_ref *r = s->cur;
    if (r) atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&s->mu);
    return r;
}

const pdf_template *
cert_template(const cert_ref *r)
{
    return r->t;
}

void
cert_slot_stats(cert_slot *s, unsigned *loads, unsigned *refusals)
{
    pthread_mutex_lock(&s->mu);
    *loads = s->loads;
    *refusals = s->refusals;
    pthread_mutex_unlock(&s->mu);
}

void
cert_disposition(buf *out, const char *filename)
{
    size_t n = strlen(filename);
    bool changed = false;
    buf_puts(out, "attachment; filename=\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)filename[i];
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
            /* one '_' per character: skip a UTF-8 sequence's continuation bytes */
            if (c < 0x80 || c >= 0xc0) buf_putc(out, '_');
            changed = true;
        } else {
            buf_putc(out, (char)c);
        }
    }
    buf_putc(out, '"');
    if (changed) {
        buf_puts(out, "; filename*=UTF-8''");
        esc_url(out, filename, n, NULL);
    }
}

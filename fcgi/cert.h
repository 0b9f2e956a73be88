/*
 * cert: the certificate templates hone-fcgi serves, kept current while
 * it runs.
 *
 * One slot per certificate in site.yaml holds the template as last
 * loaded (an immutable pdf_template).  A download takes a reference to
 * the slot's template, stamps and sends from it, and drops the
 * reference; the bytes it sends are never copied or changed.
 *
 * Reloading: every cert_acquire() stats the file (one stat(2)).  When
 * the file is not the one last tried (device, inode, size or mtime
 * differ), one thread loads it while the others go on serving the old
 * template.  A file that loads replaces the template; one that is
 * refused (not a PDF, truncated, encrypted: half-copied, say) is logged
 * once and the slot keeps what it had, so a download is never a broken
 * file.  A slot that never had a good template answers NULL (the
 * handler's 503) until a good file appears.
 *
 * Swapping safely: the slot's pointer is read and its reference count
 * raised under the slot's mutex, which is also what a swap takes to
 * replace the pointer.  The slot owns one reference; the thread that
 * drops the last one frees the template.  So a template being sent is
 * never freed under its reader, and a slow download never holds a lock
 * (the mutex guards a few loads and stores, never I/O).
 */
#ifndef HONE_CERT_H
#define HONE_CERT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "pdf.h"

typedef struct cert_slot cert_slot;
/* A reference to one loaded template, held for one download. */
typedef struct cert_ref cert_ref;

/* A slot for the template at path; loads it now (a refusal is logged on
 * stderr, naming the certificate, and leaves the slot empty). */
cert_slot *cert_slot_new(const char *name, const char *path);
/* Frees the slot; every reference must have been released. */
void cert_slot_free(cert_slot *s);

/* Reloads the file when it changed, then returns a reference to the
 * current template, or NULL when there is none that can be served. */
cert_ref *cert_acquire(cert_slot *s);
const pdf_template *cert_template(const cert_ref *r);
void cert_release(cert_ref *r);

/* Loads that succeeded and files refused since the slot was made. */
void cert_slot_stats(cert_slot *s, unsigned *loads, unsigned *refusals);

/*
 * Appends a Content-Disposition value for a download named filename:
 * `attachment; filename="..."`, where the quoted name is printable ASCII
 * with '"' and '\' (and any other byte) replaced by '_', and, when that
 * changed anything, `; filename*=UTF-8''...` (RFC 6266 and 8187) with
 * the name percent-encoded.  Control characters become '_' in both.
 */
void cert_disposition(buf *out, const char *filename);

#endif

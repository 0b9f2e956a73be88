/*
 * pdf: certificate templates, and the stamp each download carries.
 *
 * A certificate is the owner's template PDF, its bytes unchanged, plus one
 * small incremental update appended to it: a new document information
 * dictionary (the template's own entries, /ModDate, /HoneRecipient,
 * /HoneDownloadedAt and /HoneCertificateId), optionally a visible line on
 * the first page, and a new cross-reference section of the kind the
 * template uses (a classic table, or a cross-reference stream) whose /Prev
 * points at the template's.  So serving a certificate costs what sending
 * the file costs, plus a kilobyte.
 *
 * pdf_load() reads and checks a template once and computes everything the
 * stamp needs; the result is immutable, so any number of threads may stamp
 * from it at once.  pdf_stamp() writes only the appended bytes: the answer
 * is pdf_bytes() followed by the tail, and its length pdf_size() plus the
 * tail's.
 *
 * The certificate id is HMAC-SHA-256 (the site secret) over the template's
 * SHA-256, the recipient and the time, in base64url.  pdf_verify() finds
 * the stamp in the newest information dictionary, checks the id against
 * the bytes before the stamp, and checks that the stamp itself is exactly
 * what hone wrote.
 */
#ifndef HONE_PDF_H
#define HONE_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "mac.h"

typedef struct pdf_template pdf_template;

enum {
    PDF_MAX_TEMPLATE = 1 << 30, /* bytes: larger templates are refused */
    PDF_MAX_RECIPIENT = 1024,   /* bytes of UTF-8 */
    PDF_ID_LEN = 43,            /* base64url of the 32-byte MAC, no padding */
};

/*
 * Reads and checks the template at path: a PDF, complete, not encrypted,
 * with a readable cross-reference chain (tables, streams, hybrids, /Prev),
 * a catalog and a first page.  Returns NULL with one message in d (file
 * name, what is wrong, what to do) when the file cannot be used.
 */
pdf_template *pdf_load(const char *path, diags *d);
/* The same from bytes in memory (copied); name is used in messages. */
pdf_template *pdf_load_mem(const uint8_t *data, size_t n, const char *name, diags *d);
void pdf_free(pdf_template *t);

/* The template's bytes and their count: the start of every answer. */
const uint8_t *pdf_bytes(const pdf_template *t);
size_t pdf_size(const pdf_template *t);
/* Does the template end in a cross-reference stream (PDF 1.5) rather
 * than a classic table?  The stamp uses the same kind. */
bool pdf_uses_xref_stream(const pdf_template *t);

typedef struct pdf_stamp_info {
    const char *recipient; /* UTF-8, no control characters, 1..PDF_MAX_RECIPIENT bytes */
    int64_t time;          /* seconds since the epoch, UTC; years 1970..9999 */
    const mac_key *key;    /* the site secret */
    bool visible;          /* also print "Issued to ... on ..." at the foot of page 1 */
} pdf_stamp_info;

/* What a stamp carries, for the download's record. */
typedef struct pdf_stamp_made {
    char id[PDF_ID_LEN + 1]; /* /HoneCertificateId */
    char when[21];           /* /HoneDownloadedAt: "2026-11-26T19:40:12Z" */
} pdf_stamp_made;

/*
 * Appends to out_tail the incremental update for one download, and fills
 * made (when not NULL) with its id and time: one MAC for both.  The same
 * info always gives the same bytes.  Returns 0, or -1 (nothing appended)
 * when the recipient or time is out of range or out_tail refused bytes.
 */
int pdf_stamp(const pdf_template *t, const pdf_stamp_info *info, buf *out_tail,
              pdf_stamp_made *made);

/* The certificate id that pdf_stamp() writes for info (to record the
 * download): PDF_ID_LEN characters and a NUL.  0, or -1 as pdf_stamp(). */
int pdf_certificate_id(const pdf_template *t, const pdf_stamp_info *info, char id[PDF_ID_LEN + 1]);

/* "2026-11-26T19:40:12Z" for a time; -1 when out of range. */
int pdf_format_time(int64_t time, char out[21]);
/* Reads exactly that form back; -1 when s is anything else. */
int pdf_parse_time(const char *s, int64_t *out);

typedef enum pdf_verdict {
    PDF_GENUINE = 0,     /* the id matches, and the file is the template plus hone's stamp */
    PDF_FORGED = 1,      /* stamp keys present, but the id, the template or the stamp was changed */
    PDF_NOT_STAMPED = 2, /* no stamp in the newest information dictionary */
} pdf_verdict;

typedef struct pdf_verify_result {
    pdf_verdict verdict;
    char *recipient;     /* as read from the file (UTF-8), or NULL */
    char *downloaded_at; /* likewise */
    char *id;            /* likewise */
    char *why;           /* one sentence: why FORGED or NOT STAMPED; NULL when GENUINE */
} pdf_verify_result;

/*
 * Reads the stamp back from a served file and judges it with key.  Fills
 * r (free it with pdf_verify_result_free) and returns r->verdict.  Any
 * bytes are accepted: a file that is not a PDF is NOT STAMPED, unless it
 * carries the stamp's keys (a damaged stamped file is FORGED).
 */
pdf_verdict pdf_verify(const uint8_t *data, size_t n, const mac_key *key, pdf_verify_result *r);
void pdf_verify_result_free(pdf_verify_result *r);

#endif

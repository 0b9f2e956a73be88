/*
 * download: a stamped certificate for a member.  See download.h.
 */
#include "download.h"
#include "cert.h"
#include "member.h"
#include "pdf.h"

#include <string.h>
#include <time.h>

/* The certificate a path below the base names, or -1. */
static int
which(const app *a, const char *rest)
{
    const config *c = &a->cfg;
    if (strcmp(rest, "certificate.pdf") == 0)
        return c->certificate_default ? (int)(c->certificate_default - c->certificates) : -1;
    static const char pre[] = "certificates/", suf[] = ".pdf";
    size_t pn = sizeof(pre) - 1, sn = sizeof(suf) - 1, n = strlen(rest);
    if (n <= pn + sn || strncmp(rest, pre, pn) != 0 || strcmp(rest + n - sn, suf) != 0) return -1;
    const char *name = rest + pn;
    size_t nn = n - pn - sn;
    for (size_t i = 0; i < c->ncertificates; i++)
        if (strlen(c->certificates[i].name) == nn && memcmp(c->certificates[i].name, name, nn) == 0)
            return (int)i;
    return -1;
}

/* 303 to the signup form on the anonymous home. */
static void
to_signup(const app *a, http_req *r, const char *why)
{
    buf h = BUF_INIT, to = BUF_INIT;
    buf_printf(&to, "%s#signup", a->cfg.base_path);
    http_header(&h, "Location", to.data);
    buf_puts(&r->note, why);
    http_answer(r, 303, &h, "text/plain; charset=utf-8", "See Other\n", 10);
    buf_free(&h);
    buf_free(&to);
}

static void
unavailable(http_req *r, const char *code, const char *message)
{
    buf h = BUF_INIT;
    http_header(&h, "Retry-After", "60");
    http_error(r, 503, &h, code, message);
    buf_free(&h);
}

void
download_handle(const app *a, http_req *r)
{
    buf h = BUF_INIT, email = BUF_INIT, tail = BUF_INIT, err = BUF_INIT;
    cert_ref *ref = NULL;
    bool head = strcmp(r->method, "HEAD") == 0;
    if (!head && strcmp(r->method, "GET") != 0) {
        http_header(&h, "Allow", "GET, HEAD");
        http_error(r, 405, &h, "method", "Certificates are downloaded with GET.");
        goto out;
    }
    /* dispatch() routed this path, so it starts with the base path */
    int idx = which(a, r->path + strlen(a->cfg.base_path));
    if (idx < 0) {
        http_error(r, 404, NULL, "not_found", "There is no certificate at this address.");
        goto out;
    }
    const config_certificate *cc = &a->cfg.certificates[idx];
    int64_t now = (int64_t)time(NULL), member;
    if (!member_from_header(&a->key, r->cookie, a->cfg.signup.cookie, now, &member)) {
        to_signup(a, r, "anon");
        goto out;
    }
    store *st = readers_take(a->readers, &err);
    int found = st ? store_email_of(st, member, &email, &err) : -1;
    readers_put(a->readers, st, found >= 0);
    if (found < 0) {
        buf_printf(&r->note, "store: %s", buf_cstr(&err));
        unavailable(r, "store_unavailable",
                    "Your certificate cannot be made just now: please try again in a moment.");
        goto out;
    }
    if (found == 1) { /* a genuine cookie for a row that is gone */
        to_signup(a, r, "unknown-member");
        goto out;
    }
    ref = cert_acquire(a->certs[idx]);
    if (!ref) {
        buf_printf(&r->note, "template-unavailable cert=%s", cc->name);
        unavailable(r, "template_unavailable",
                    "This certificate cannot be downloaded just now: please try again later.");
        goto out;
    }
    const pdf_template *t = cert_template(ref);
    pdf_stamp_info info = {
        .recipient = buf_cstr(&email), .time = now, .key = &a->key, .visible = cc->visible_line};
    pdf_stamp_made made;
    if (pdf_stamp(t, &info, &tail, &made) < 0) {
        http_error(r, 500, NULL, "internal", "The certificate cannot be made for this address.");
        goto out;
    }
    if (!head) {
        /* queued before the first byte is sent; see commit.h */
        store_download rec = {member, cc->name, made.when, made.id};
        int rc = commit_record(a->commit, &rec);
        if (rc < 0) {
            unavailable(r, "store_unavailable",
                        "Your download could not be recorded just now: please try again in a "
                        "moment.");
            goto out;
        }
        if (rc > 0) {
            to_signup(a, r, "unknown-member");
            goto out;
        }
    }
    buf disp = BUF_INIT;
    cert_disposition(&disp, cc->filename);
    http_header(&h, "Content-Disposition", disp.data);
    buf_free(&disp);
    http_part parts[2] = {{pdf_bytes(t), pdf_size(t)}, {tail.data, tail.len}};
    int sent = http_answer_parts(r, 200, &h, "application/pdf", parts, 2);
    buf_printf(&r->note, "%s member=%lld cert=%s",
               head   ? "head"
               : sent ? "aborted"
                      : "sent",
               (long long)member, cc->name);
out:
    cert_release(ref);
    buf_free(&h);
    buf_free(&email);
    buf_free(&tail);
    buf_free(&err);
}

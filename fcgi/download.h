/*
 * download: GET (and HEAD) /certificate.pdf and /certificates/NAME.pdf.
 *
 * In order, each step answering on its own when it refuses:
 *   405  not GET or HEAD (Allow: GET, HEAD)
 *   404  no certificate of that name in site.yaml
 *   303  no valid member cookie (or its member is not in the store): to
 *        the anonymous home's signup form, BASE#signup
 *   503  the template could not be loaded (cert.c), or the store could
 *        not be read or could not record the download; never a broken file
 *   200  application/pdf, attachment with the certificate's file name,
 *        Content-Length, Cache-Control: no-store; the body is the
 *        template's bytes as loaded, then the stamp for this member now
 *
 * The download is recorded (member, certificate, time, id) through the
 * group commit before the first byte is sent, so every certificate served
 * is in the store.  HEAD answers the same headers (the stamp is made, to
 * know its length) and records nothing.  The log line names the member's
 * row id and the certificate, never the email.
 */
#ifndef HONE_DOWNLOAD_H
#define HONE_DOWNLOAD_H

#include "app.h"

void download_handle(const app *a, http_req *r);

#endif

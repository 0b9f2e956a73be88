/*
 * landing: the landing page again, with the visitor's input and a
 * message, for a signup that was refused (400).
 *
 * hone build writes landing pages with three markers that are harmless in
 * the static page (the contract is in the README and in the theme's
 * anon/signup_form.html):
 *
 *   <!--hone:signup-error-->               where the message goes
 *   data-hone-value="email" value=""       the email input's value
 *   data-hone-value="referrer" value=""    the hidden referrer's value
 *
 * landing_render reads the page the form was sent from (its `landing`
 * field, else the anonymous home) and fills the markers, escaping what it
 * puts in.  A page without the error marker is not a landing page: then
 * a small built-in form is sent instead, so a visitor always sees the form.
 */
#ifndef HONE_LANDING_H
#define HONE_LANDING_H

#include "buf.h"
#include "form.h"

/*
 * Appends the page to out.  public_dir is the built site, base_path the
 * site's base path ("/"), landing the form's landing path (already checked
 * by form_check) or "" for the anonymous home.  Returns 0 when a landing
 * page was used, 1 when the built-in form was.
 */
int landing_render(const char *public_dir, const char *base_path, const char *landing,
                   const char *message, const form_signup *f, buf *out);

/* Fills the markers of page (n bytes) into out; 0, or -1 when page has no
 * error marker.  Exposed for the unit tests. */
int landing_fill(const char *page, size_t n, const char *message, const char *email,
                 const char *referrer, buf *out);

#endif

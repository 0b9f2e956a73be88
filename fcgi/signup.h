/*
 * signup: POST /signup, from the request to the answer.
 *
 * In order, each step answering on its own when it refuses:
 *   405  not a POST (Allow: POST)
 *   403  Origin (or, without one, Referer) is not the site's own
 *   429  the client's address spent its tokens (Retry-After)
 *   415  not application/x-www-form-urlencoded
 *   413  a body larger than signup.max_body
 *   400  a malformed body or a field that fails its rule: the landing
 *        page again with the message and the visitor's input (landing.c);
 *        nothing is stored
 *   503  the store could not commit (commit.c); nothing was acknowledged
 *   303  to the thanks page (or `next`) with the member cookie
 * With Accept: application/json the same outcomes come as JSON, a
 * success as 200 {"ok":true,"next":"/thanks/"} with the cookie.  A filled
 * honeypot is answered like a success, without a cookie, and not stored.
 */
#ifndef HONE_SIGNUP_H
#define HONE_SIGNUP_H

#include "app.h"

void signup_handle(const app *a, http_req *r);

/* Is the request from the site's own pages?  Origin first, else Referer. */
bool signup_same_origin(const config_signup *g, const char *origin, const char *referer);

#endif

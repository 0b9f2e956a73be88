/*
 * home: GET / -- the home page that morphs.
 *
 * A member (a valid member cookie) is sent the blog's home, anyone else
 * the landing page: hone-fcgi answers with an empty body and
 * X-Accel-Redirect to BASE/_home/users/index.html or
 * BASE/_home/anon/index.html, which nginx serves from its `internal`
 * location.  Vary: Cookie and Cache-Control: private keep shared caches
 * from handing one visitor's home to another.  A forged or expired
 * cookie is no cookie.
 */
#ifndef HONE_HOME_H
#define HONE_HOME_H

#include "app.h"

void home_handle(const app *a, http_req *r);

#endif

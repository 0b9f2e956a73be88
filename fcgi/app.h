/*
 * app: what every request handler of hone-fcgi shares, set up once by
 * fcgi_main.c and read-only afterwards (the commit queue and the rate
 * limiter do their own locking).
 */
#ifndef HONE_APP_H
#define HONE_APP_H

#include <stdbool.h>

#include "cert.h"
#include "commit.h"
#include "config.h"
#include "http.h"
#include "mac.h"
#include "ratelimit.h"
#include "readers.h"

typedef struct app {
    config cfg;
    const char *public_dir; /* the built site: where the landing pages are */
    mac_key key;
    bool secure; /* base_url is https: cookies get Secure */
    commit *commit;
    ratelimit *limiter;
    cert_slot **certs; /* one per cfg.certificates[i]; each locks itself */
    readers *readers;  /* read-only store connections (download: the email) */
} app;

/* A handler answers one request (and notes what happened in r->note). */
typedef void (*app_handler)(const app *a, http_req *r);

/* The address to count and store for a request: REMOTE_ADDR, or when that
 * is a trusted proxy, the last address in X-Forwarded-For that is not. */
const char *app_client_addr(const app *a, http_req *r, buf *scratch);

#endif

/*
 * server: the listening socket and the FastCGI worker threads.
 *
 * The socket is one of: a unix socket hone-fcgi creates (--listen PATH,
 * with --mode), the socket systemd passes (socket activation: LISTEN_PID
 * and LISTEN_FDS, fd 3), or the socket on fd 0 that spawn-fcgi passes.
 *
 * server_run starts the workers, each looping over FCGX_Accept_r with its
 * own FCGX_Request, and waits for SIGTERM or SIGINT (blocked in every
 * thread, taken with sigwait, so no handler runs in a random thread).
 * Then it stops taking new connections (FCGX_ShutdownPending, and one
 * throw-away connection per worker to wake those blocked in accept),
 * lets every request in flight finish, and returns.  A listening socket
 * that systemd passed is left open for the next instance.
 *
 * nginx may keep a connection open for its next request (upstream
 * keepalive with fastcgi_keep_conn; libfcgi then reads that connection
 * again instead of accepting).  The worker that served it stays with it,
 * idle, until nginx sends the next request or closes it: each of nginx's
 * idle connections holds one thread.  Before the next request the rest of
 * the last one's body is read (or the connection closed), and on SIGTERM
 * idle kept connections are shut at once and busy ones closed after their
 * request, so a graceful stop never waits for nginx to let go.
 */
#ifndef HONE_SERVER_H
#define HONE_SERVER_H

#include <fcgiapp.h>

#include "buf.h"

typedef void (*server_fn)(void *ctx, FCGX_Request *req);

/* Opens or finds the listening socket; 0, or -1 with err. */
int server_listen(const char *path, unsigned mode, int *fd, buf *err);

/* Serves until SIGTERM/SIGINT; returns the signal number. */
int server_run(int fd, int threads, server_fn fn, void *ctx);

#endif

/*
 * server: sockets, threads, signals.  See server.h.
 */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int
is_listening(int fd)
{
    int v = 0;
    socklen_t l = sizeof(v);
    return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &l) == 0 && v;
}

static int
open_unix(const char *path, unsigned mode, int *out, buf *err)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa.sun_path)) {
        buf_printf(err, "%s: the socket path is too long (at most %zu bytes)", path,
                   sizeof(sa.sun_path) - 1);
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path));
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        buf_printf(err, "socket: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            buf_printf(err, "%s exists and is not a socket: remove it or choose another path",
                       path);
            close(fd);
            return -1;
        }
        /* a live server answers; a stale socket (a killed one) does not */
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            buf_printf(err, "%s: another server is listening there", path);
            close(fd);
            return -1;
        }
        close(fd);
        unlink(path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            buf_printf(err, "socket: %s", strerror(errno));
            return -1;
        }
    }
    mode_t old = umask(0777 & ~mode);
    int rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    umask(old);
    if (rc < 0 || chmod(path, mode) < 0 || listen(fd, 1024) < 0) {
        buf_printf(err, "%s: cannot listen: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    *out = fd;
    return 0;
}

int
server_listen(const char *path, unsigned mode, int *fd, buf *err)
{
    if (path) return open_unix(path, mode, fd, err);
    const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
    if (pid && fds && atol(pid) == (long)getpid() && atoi(fds) >= 1) {
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDS");
        unsetenv("LISTEN_FDNAMES");
        if (!is_listening(3)) {
            buf_printf(err, "systemd passed fd 3, but it is not a listening socket");
            return -1;
        }
        fcntl(3, F_SETFD, FD_CLOEXEC);
        *fd = 3;
        return 0;
    }
    if (is_listening(0)) {
        *fd = 0;
        return 0;
    }
    buf_printf(err, "no socket to listen on: give --listen PATH, or start hone-fcgi from "
                    "spawn-fcgi or a systemd socket unit");
    return -1;
}

typedef struct shared {
    int fd;
    server_fn fn;
    void *ctx;
    pthread_mutex_t mu;
    pthread_cond_t gone;
    int alive;
} shared;

/*
 * One per worker.  While the worker waits for the next request on a
 * connection nginx keeps open, `idle` is that connection's descriptor, so
 * that server_run can cut it when SIGTERM comes; `stopping` tells the
 * worker to close its kept connection after the request in flight.
 */
typedef struct slot {
    shared *s;
    pthread_mutex_t mu;
    int idle; /* the kept connection waited on, or -1 */
    bool stopping;
} slot;

/* The most of a request's unread body worth reading to keep its connection. */
enum { DRAIN_MAX = 1024 * 1024 };

/*
 * Reads what is left of the request's body (an answer sent before the
 * body was read: 403, 413, 429, a GET's empty body record), so that the
 * next request on a kept connection starts at a record of its own:
 * libfcgi would take the leftover for the next request's start and drop
 * the connection, losing the reuse, and a request nginx sent on it
 * meanwhile would fail (a POST with a 502).  Past DRAIN_MAX (more than
 * nginx's client_max_body_size lets through) the connection is closed
 * instead.
 */
static void
drain(FCGX_Request *req)
{
    if (!req->keepConnection || !req->in || FCGX_HasSeenEOF(req->in)) return;
    char scrap[4096];
    size_t left = DRAIN_MAX;
    int n;
    while ((n = FCGX_GetStr(scrap, (int)sizeof(scrap), req->in)) > 0) {
        if ((size_t)n >= left) {
            req->keepConnection = 0;
            return;
        }
        left -= (size_t)n;
    }
}

/* How long a kept connection may sit idle before its worker gives it up. */
enum { IDLE_MS = 1000 };

/* Does fd have something to read (or an end) within ms milliseconds? */
static bool
readable(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    int rc;
    while ((rc = poll(&p, 1, ms)) < 0 && errno == EINTR)
        ;
    return rc != 0;
}

/*
 * Waits for the next request: on the connection nginx kept open (libfcgi
 * reads it again when the last request set FCGI_KEEP_CONN), else on a new
 * one.  A worker stays with a kept connection while it is idle, so nginx's
 * idle connections (upstream keepalive, per nginx worker process) should
 * stay well below the threads (README, hone-fcgi).  Should they not, they
 * would hold every worker while new connections wait in the listen queue
 * (nginx keeps an idle connection for a minute): so a worker whose kept
 * connection stays idle for IDLE_MS closes it and goes back to accepting.
 * Under load nginx reuses its connections within microseconds; a request
 * it sends in the instant one is closed is sent again on a new one (a GET
 * always, the signup POST as deploy/nginx.conf allows).  Returns
 * FCGX_Accept_r's result.
 */
static int
next_request(slot *me, FCGX_Request *req)
{
    pthread_mutex_lock(&me->mu);
    bool stop = me->stopping;
    me->idle = stop ? -1 : req->ipcFd;
    pthread_mutex_unlock(&me->mu);
    if (!stop && req->ipcFd >= 0 && !readable(req->ipcFd, IDLE_MS)) {
        pthread_mutex_lock(&me->mu);
        me->idle = -1; /* SIGTERM must not cut the number once it is closed */
        pthread_mutex_unlock(&me->mu);
        /* a plain close: FCGX_Free's would linger up to 2 s for the peer to
         * hang up, and nothing is in flight on an idle connection */
        close(req->ipcFd);
        req->ipcFd = -1;
    }
    if (stop && req->ipcFd >= 0) FCGX_Free(req, 1); /* no new request after SIGTERM */
    int rc = FCGX_Accept_r(req);
    pthread_mutex_lock(&me->mu);
    me->idle = -1;
    pthread_mutex_unlock(&me->mu);
    return rc;
}

static void *
worker(void *arg)
{
    slot *me = arg;
    shared *s = me->s;
    FCGX_Request req;
    FCGX_InitRequest(&req, s->fd, 0);
    while (next_request(me, &req) >= 0) {
        s->fn(s->ctx, &req);
        drain(&req);
        FCGX_Finish_r(&req);
    }
    FCGX_Finish_r(&req);
    pthread_mutex_lock(&s->mu);
    s->alive--;
    pthread_cond_signal(&s->gone);
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/*
 * Stops the workers' kept connections: each idle one is shut both ways,
 * so the worker's read returns end-of-file (libfcgi closes the connection,
 * and its accept sees the shutdown flag) and nginx sees end-of-file too and
 * drops it from its cache; a busy worker closes its own after the request
 * in flight.  A request nginx sends on a kept connection in the instant it
 * is cut fails: nginx sends a GET again on a new connection, a POST gets a
 * 502 and stores nothing.  FCGX_ShutdownPending comes first, so a worker
 * whose kept connection nginx closed meanwhile accepts no new one.  (One
 * that was already blocked in accept() may get the descriptor number just
 * freed, and have the connection it accepted as SIGTERM came cut: such a
 * request gets a 502, as do the ones still in the listen queue at exit.)
 */
static void
cut_idle(slot *slots, int n)
{
    for (int i = 0; i < n; i++) {
        pthread_mutex_lock(&slots[i].mu);
        slots[i].stopping = true;
        if (slots[i].idle >= 0) shutdown(slots[i].idle, SHUT_RDWR);
        pthread_mutex_unlock(&slots[i].mu);
    }
}

/* Connects to our own socket and hangs up, n times: each wakes a worker
 * blocked in accept(), which then sees the shutdown flag. */
static void
wake(int fd, int n)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0) return;
    for (int i = 0; i < n; i++) {
        int c = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (c < 0) return;
        connect(c, (struct sockaddr *)&sa, len);
        close(c);
    }
}

int
server_run(int fd, int threads, server_fn fn, void *ctx)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    shared s = {.fd = fd, .fn = fn, .ctx = ctx};
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.gone, NULL);
    pthread_t *tids = calloc((size_t)threads, sizeof(pthread_t));
    slot *slots = calloc((size_t)threads, sizeof(slot));
    if (!tids || !slots) abort();
    s.alive = threads;
    for (int i = 0; i < threads; i++) {
        slots[i] = (slot){.s = &s, .idle = -1};
        pthread_mutex_init(&slots[i].mu, NULL);
        if (pthread_create(&tids[i], NULL, worker, &slots[i]) != 0) {
            fprintf(stderr, "hone-fcgi: cannot start worker thread %d\n", i);
            abort();
        }
    }
    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    fprintf(stderr, "hone-fcgi: %s: finishing the requests in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    FCGX_ShutdownPending();
    cut_idle(slots, threads);
    /* wake the workers blocked in accept; again every half second until all left */
    pthread_mutex_lock(&s.mu);
    while (s.alive > 0) {
        int n = s.alive;
        pthread_mutex_unlock(&s.mu);
        wake(fd, n);
        pthread_mutex_lock(&s.mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 500000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        while (s.alive > 0 && pthread_cond_timedwait(&s.gone, &s.mu, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&s.mu);
    for (int i = 0; i < threads; i++)
        pthread_join(tids[i], NULL);
    for (int i = 0; i < threads; i++)
        pthread_mutex_destroy(&slots[i].mu);
    free(slots);
    free(tids);
    pthread_cond_destroy(&s.gone);
    pthread_mutex_destroy(&s.mu);
    return sig;
}

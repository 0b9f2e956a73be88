/*
 * mac: the site secret, HMAC-SHA-256 and base64url.  See mac.h.
 *
 * libsodium does the cryptography; sodium_init() runs once, from whichever
 * thread gets here first (pthread_once), so callers never think about it.
 * A new key file is written beside its final name and linked into place,
 * so two processes starting at once agree on one key and a crash never
 * leaves a half-written key behind.
 */
#include "mac.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_failed;

static void
init(void)
{
    init_failed = sodium_init() < 0;
}

static void
ensure_init(void)
{
    pthread_once(&once, init);
    if (init_failed) {
        fputs("hone: libsodium cannot initialise\n", stderr);
        abort();
    }
}

static int
read_key(int fd, mac_key *key)
{
    uint8_t tmp[MAC_KEY_LEN + 1];
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fd, tmp + got, sizeof(tmp) - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return errno;
        if (r == 0) break;
        got += (size_t)r;
        if (got == sizeof(tmp)) break;
    }
    if (got != MAC_KEY_LEN) {
        sodium_memzero(tmp, sizeof(tmp));
        return EINVAL;
    }
    memcpy(key->k, tmp, MAC_KEY_LEN);
    sodium_memzero(tmp, sizeof(tmp));
    return 0;
}

static int
write_all(int fd, const void *p, size_t n)
{
    const uint8_t *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return errno;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Writes a fresh key to a temporary file and links it to path; EEXIST
 * when another process won the race (then its key is read). */
static int
create_key(const char *path, mac_key *key)
{
    buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int err = 0;
    if (fd < 0) {
        err = errno;
        goto out;
    }
    randombytes_buf(key->k, MAC_KEY_LEN);
    err = write_all(fd, key->k, MAC_KEY_LEN);
    if (!err && fsync(fd) < 0) err = errno;
    if (close(fd) < 0 && !err) err = errno;
    if (!err && link(tmp.data, path) < 0) err = errno;
    unlink(tmp.data);
out:
    buf_free(&tmp);
    return err;
}

int
mac_key_load(const char *path, bool create, mac_key *key)
{
    ensure_init();
    for (int tries = 0; tries < 2; tries++) {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd >= 0) {
            struct stat st;
            int err = fstat(fd, &st) < 0 ? errno : S_ISREG(st.st_mode) ? 0 : EINVAL;
            if (!err) err = read_key(fd, key);
            close(fd);
            return err;
        }
        if (errno != ENOENT || !create) return errno;
        int err = create_key(path, key);
        if (err != EEXIST) return err;
    }
    return EAGAIN;
}

void
mac_sign(const mac_key *key, const void *msg, size_t n, uint8_t out[MAC_LEN])
{
    ensure_init();
    crypto_auth_hmacsha256(out, msg, n, key->k);
}

bool
mac_verify(const mac_key *key, const void *msg, size_t n, const uint8_t mac[MAC_LEN])
{
    uint8_t want[MAC_LEN];
    mac_sign(key, msg, n, want);
    bool ok = sodium_memcmp(want, mac, MAC_LEN) == 0;
    sodium_memzero(want, sizeof(want));
    return ok;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
mac_b64url(buf *out, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        char c[4] = {b64[v >> 18], b64[(v >> 12) & 63], b64[(v >> 6) & 63], b64[v & 63]};
        buf_put(out, c, 4);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        char c[2] = {b64[v >> 18], b64[(v >> 12) & 63]};
        buf_put(out, c, 2);
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        char c[3] = {b64[v >> 18], b64[(v >> 12) & 63], b64[(v >> 6) & 63]};
        buf_put(out, c, 3);
    }
}

static int
b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

long
mac_b64url_decode(const char *s, size_t n, uint8_t *out, size_t cap)
{
    if (n % 4 == 1) return -1;
    size_t need = n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0);
    if (need > cap || need > (size_t)LONG_MAX) return -1;
    size_t w = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0) return -1;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[w++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    /* the unused low bits of the last character must be zero: one
     * encoding per value, so a cookie cannot be varied without its MAC */
    if (acc != 0) return -1;
    return (long)w;
}

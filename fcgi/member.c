/*
 * member: signing and checking member cookies.  See member.h.
 */
#include "member.h"

#include <string.h>

static const char prefix[] = "hone-member:";

static void
sign(const mac_key *key, const char *payload, size_t n, uint8_t mac[MAC_LEN])
{
    buf m = BUF_INIT;
    buf_puts(&m, prefix);
    buf_put(&m, payload, n);
    mac_sign(key, m.data, m.len, mac);
    buf_free(&m);
}

void
member_value(const mac_key *key, int64_t id, int64_t expires, buf *out)
{
    buf p = BUF_INIT;
    uint8_t mac[MAC_LEN];
    buf_printf(&p, "1.%lld.%lld", (long long)id, (long long)expires);
    sign(key, p.data, p.len, mac);
    buf_put(out, p.data, p.len);
    buf_putc(out, '.');
    mac_b64url(out, mac, MAC_LEN);
    buf_free(&p);
}

/* A decimal number of 1 to 18 digits without a leading zero. */
static int
number(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 18 || (s[0] == '0' && n > 1)) return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int
member_verify(const mac_key *key, const char *v, size_t n, int64_t now, int64_t *id)
{
    /* "1." ID "." EXPIRES "." MAC(43 characters) */
    if (n < 2 + 1 + 1 + 1 + 1 + 43 || n > 128 || v[0] != '1' || v[1] != '.') return -1;
    const char *p = v + 2, *end = v + n;
    const char *d1 = memchr(p, '.', (size_t)(end - p));
    if (!d1) return -1;
    const char *d2 = memchr(d1 + 1, '.', (size_t)(end - d1 - 1));
    if (!d2) return -1;
    int64_t mid, exp;
    if (number(p, (size_t)(d1 - p), &mid) < 0 || number(d1 + 1, (size_t)(d2 - d1 - 1), &exp) < 0)
        return -1;
    uint8_t mac[MAC_LEN];
    if (mac_b64url_decode(d2 + 1, (size_t)(end - d2 - 1), mac, sizeof(mac)) != MAC_LEN) return -1;
    buf m = BUF_INIT;
    buf_puts(&m, prefix);
    buf_put(&m, v, (size_t)(d2 - v));
    bool ok = mac_verify(key, m.data, m.len, mac);
    buf_free(&m);
    if (!ok) return -1;
    if (exp <= now) return 1;
    *id = mid;
    return 0;
}

bool
member_from_header(const mac_key *key, const char *h, const char *name, int64_t now, int64_t *id)
{
    size_t nl = strlen(name);
    if (!h) return false;
    while (*h) {
        while (*h == ' ' || *h == '\t' || *h == ';')
            h++;
        const char *end = strchr(h, ';');
        size_t len = end ? (size_t)(end - h) : strlen(h);
        const char *eq = memchr(h, '=', len);
        if (eq && (size_t)(eq - h) == nl && memcmp(h, name, nl) == 0) {
            const char *v = eq + 1;
            size_t vn = len - nl - 1;
            while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
                vn--;
            if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
                v++;
                vn -= 2;
            }
            if (member_verify(key, v, vn, now, id) == 0) return true;
        }
        h += len;
    }
    return false;
}

void
member_set_cookie(buf *out, const char *name, const char *value, long max_age, const char *path,
                  bool secure)
{
    buf_printf(out, "%s=%s; Path=%s; Max-Age=%ld; HttpOnly; SameSite=Lax%s", name, value, path,
               max_age, secure ? "; Secure" : "");
}

/*
 * Unit tests for member cookies (fcgi/member.c) and the MAC helpers they
 * use (lib/mac.c): a round trip, every kind of forgery (a changed id,
 * expiry or MAC, another key, a truncated or padded value), expiry, the
 * Cookie header walk, base64url edge cases, and the key file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "mac.h"
#include "member.h"

static mac_key k1, k2;

static int
setup(void **state)
{
    (void)state;
    memset(k1.k, 1, MAC_KEY_LEN);
    memset(k2.k, 2, MAC_KEY_LEN);
    return 0;
}

static int
verify(const mac_key *k, const char *v, int64_t now, int64_t *id)
{
    size_t n = strlen(v);
    char *p = malloc(n ? n : 1);
    memcpy(p, v, n);
    int r = member_verify(k, p, n, now, id);
    free(p);
    return r;
}

static void
round_trip(void **state)
{
    (void)state;
    buf v = BUF_INIT;
    member_value(&k1, 42, 2000000000, &v);
    assert_int_equal(strncmp(v.data, "1.42.2000000000.", 16), 0);
    int64_t id = 0;
    assert_int_equal(verify(&k1, v.data, 1900000000, &id), 0);
    assert_int_equal(id, 42);
    /* expired: genuine, but worthless */
    assert_int_equal(verify(&k1, v.data, 2000000000, &id), 1);
    /* another key */
    assert_int_equal(verify(&k2, v.data, 1900000000, &id), -1);
    buf_free(&v);
}

static void
forgeries(void **state)
{
    (void)state;
    buf v = BUF_INIT;
    member_value(&k1, 7, 2000000000, &v);
    char *s = v.data;
    int64_t id;
    char t[256];
    /* every single-byte change is refused */
    for (size_t i = 0; i < v.len; i++) {
        strcpy(t, s);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        assert_int_not_equal(verify(&k1, t, 1, &id), 0);
    }
    /* a longer expiry with the old MAC */
    const char *mac = strrchr(s, '.');
    snprintf(t, sizeof(t), "1.7.2100000000%s", mac);
    assert_int_equal(verify(&k1, t, 1, &id), -1);
    snprintf(t, sizeof(t), "1.8.2000000000%s", mac);
    assert_int_equal(verify(&k1, t, 1, &id), -1);
    /* truncated, padded, empty, garbage, leading zeros */
    strcpy(t, s);
    t[strlen(t) - 1] = '\0';
    assert_int_equal(verify(&k1, t, 1, &id), -1);
    snprintf(t, sizeof(t), "%s=", s);
    assert_int_equal(verify(&k1, t, 1, &id), -1);
    assert_int_equal(verify(&k1, "", 1, &id), -1);
    assert_int_equal(verify(&k1, "1...", 1, &id), -1);
    snprintf(t, sizeof(t), "1.07.2000000000%s", mac);
    assert_int_equal(verify(&k1, t, 1, &id), -1);
    assert_int_equal(
        verify(&k1, "2.7.2000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 1, &id), -1);
    buf_free(&v);
}

static void
cookie_header(void **state)
{
    (void)state;
    buf v = BUF_INIT, h = BUF_INIT;
    member_value(&k1, 5, 2000000000, &v);
    int64_t id = 0;
    buf_printf(&h, "a=b; hone_member=junk; hone_member=%s; z=1", v.data);
    assert_true(member_from_header(&k1, h.data, "hone_member", 1, &id));
    assert_int_equal(id, 5);
    assert_false(member_from_header(&k1, h.data, "other", 1, &id));
    assert_false(member_from_header(&k1, "hone_member=junk", "hone_member", 1, &id));
    assert_false(member_from_header(&k1, NULL, "hone_member", 1, &id));
    buf_reset(&h);
    buf_printf(&h, "xhone_member=%s", v.data); /* a longer name is another cookie */
    assert_false(member_from_header(&k1, h.data, "hone_member", 1, &id));
    buf_reset(&h);
    member_set_cookie(&h, "hone_member", "V", 86400, "/blog/", true);
    assert_string_equal(
        h.data, "hone_member=V; Path=/blog/; Max-Age=86400; HttpOnly; SameSite=Lax; Secure");
    buf_free(&v);
    buf_free(&h);
}

static void
base64url(void **state)
{
    (void)state;
    const uint8_t in[] = {0xfb, 0xff, 0xbf, 0x00, 0x10};
    for (size_t n = 0; n <= sizeof(in); n++) {
        buf b = BUF_INIT;
        mac_b64url(&b, in, n);
        uint8_t out[8];
        long got = mac_b64url_decode(b.data ? b.data : "", b.len, out, sizeof(out));
        assert_int_equal(got, (long)n);
        assert_memory_equal(out, in, n);
        buf_free(&b);
    }
    uint8_t out[8];
    assert_int_equal(mac_b64url_decode("-_8", 3, out, 8), 2);
    assert_int_equal(mac_b64url_decode("-_9", 3, out, 8), -1); /* non-zero spare bits */
    assert_int_equal(mac_b64url_decode("A", 1, out, 8), -1);
    assert_int_equal(mac_b64url_decode("AA==", 4, out, 8), -1);
    assert_int_equal(mac_b64url_decode("AAAA", 4, out, 2), -1); /* too small */
}

static void
key_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/hone-mac-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof(path), "%s/secret.key", dir);
    mac_key a, b;
    assert_int_equal(mac_key_load(path, false, &a), ENOENT);
    assert_int_equal(mac_key_load(path, true, &a), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, MAC_KEY_LEN);
    assert_int_equal(mac_key_load(path, true, &b), 0);
    assert_memory_equal(a.k, b.k, MAC_KEY_LEN);
    FILE *f = fopen(path, "a");
    fputs("x", f);
    fclose(f);
    assert_int_equal(mac_key_load(path, true, &b), EINVAL);
    unlink(path);
    rmdir(dir);
    /* HMAC-SHA-256 test vector (RFC 4231 case 2 has a short key; here a
     * 32-byte key of 0x0b, message "Hi There", checked with Python's hmac) */
    mac_key k;
    memset(k.k, 0x0b, MAC_KEY_LEN);
    uint8_t m[MAC_LEN];
    mac_sign(&k, "Hi There", 8, m);
    buf hex = BUF_INIT;
    for (size_t i = 0; i < MAC_LEN; i++)
        buf_printf(&hex, "%02x", m[i]);
    assert_string_equal(hex.data,
                        "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7");
    assert_true(mac_verify(&k, "Hi There", 8, m));
    m[0] ^= 1;
    assert_false(mac_verify(&k, "Hi There", 8, m));
    buf_free(&hex);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip), cmocka_unit_test(forgeries), cmocka_unit_test(cookie_header),
        cmocka_unit_test(base64url),  cmocka_unit_test(key_file),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

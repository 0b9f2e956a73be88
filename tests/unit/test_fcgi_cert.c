/*
 * Unit tests for hone-fcgi's certificate slots (fcgi/cert.c): a template
 * loaded at start, a refused one (garbage, encrypted-looking, missing),
 * reloading when the file is replaced, keeping the old template when the
 * replacement is refused (and not reading the same refused file twice),
 * a reference held across a swap staying valid, and eight threads
 * downloading while the file is swapped 200 times (run under ASan and
 * TSan, this is the use-after-free test).  Also the Content-Disposition
 * value: ASCII, quotes, backslashes, UTF-8 and control characters.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cert.h"
#include "fs.h"

static char dir[64];

typedef struct blob {
    char *data;
    size_t n;
} blob;

static blob A, B; /* two good templates of different sizes */

static blob
read_blob(const char *path)
{
    blob b = {0};
    assert_int_equal(fs_read_file(path, 1 << 24, &b.data, &b.n), 0);
    return b;
}

static void
write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Writes beside path, then renames over it: what a careful owner does. */
static void
replace_file(const char *path, const void *p, size_t n)
{
    char tmp[300];
    snprintf(tmp, sizeof(tmp), "%s.new", path);
    write_file(tmp, p, n);
    assert_int_equal(rename(tmp, path), 0);
}

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/hone-cert-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    A = read_blob("tests/pdf/cairo.pdf");
    B = read_blob("tests/pdf/gs.pdf");
    return A.n != B.n ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    free(A.data);
    free(B.data);
    return system(cmd) == 0 ? 0 : -1;
}

static bool
is(const cert_ref *r, const blob *b)
{
    const pdf_template *t = cert_template(r);
    return pdf_size(t) == b->n && memcmp(pdf_bytes(t), b->data, b->n) == 0;
}

static void
slot_reloads(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "%s/reload.pdf", dir);
    write_file(path, A.data, A.n);
    cert_slot *s = cert_slot_new("reload", path);
    cert_ref *r = cert_acquire(s);
    assert_non_null(r);
    assert_true(is(r, &A));

    /* replaced while r is held: r stays A, the slot moves to B */
    replace_file(path, B.data, B.n);
    cert_ref *r2 = cert_acquire(s);
    assert_non_null(r2);
    assert_true(is(r2, &B));
    assert_true(is(r, &A)); /* still readable: ASan would see a free */
    cert_release(r);
    cert_release(r2);

    /* garbage over a good template: the good one stays */
    replace_file(path, "%PDF-1.4\nnot really\n", 20);
    r = cert_acquire(s);
    assert_non_null(r);
    assert_true(is(r, &B));
    cert_release(r);
    unsigned loads, refusals;
    cert_slot_stats(s, &loads, &refusals);
    assert_int_equal(loads, 2);
    assert_int_equal(refusals, 1);
    /* the same refused file is not read again */
    r = cert_acquire(s);
    cert_release(r);
    cert_slot_stats(s, &loads, &refusals);
    assert_int_equal(refusals, 1);

    /* gone: keep serving; back: loaded */
    assert_int_equal(unlink(path), 0);
    r = cert_acquire(s);
    assert_non_null(r);
    assert_true(is(r, &B));
    cert_release(r);
    write_file(path, A.data, A.n); /* in place this time */
    r = cert_acquire(s);
    assert_non_null(r);
    assert_true(is(r, &A));
    cert_release(r);
    cert_slot_free(s);
}

static void
slot_refused_at_start(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "%s/bad.pdf", dir);
    write_file(path, "not a pdf at all", 16);
    cert_slot *s = cert_slot_new("bad", path);
    assert_null(cert_acquire(s));
    assert_null(cert_acquire(s));
    unsigned loads, refusals;
    cert_slot_stats(s, &loads, &refusals);
    assert_int_equal(loads, 0);
    assert_int_equal(refusals, 1);
    /* a truncated copy of a good file is refused too */
    replace_file(path, A.data, A.n / 2);
    assert_null(cert_acquire(s));
    replace_file(path, A.data, A.n);
    cert_ref *r = cert_acquire(s);
    assert_non_null(r);
    assert_true(is(r, &A));
    cert_release(r);
    cert_slot_free(s);

    snprintf(path, sizeof(path), "%s/none.pdf", dir);
    s = cert_slot_new("none", path);
    assert_null(cert_acquire(s));
    write_file(path, B.data, B.n);
    r = cert_acquire(s);
    assert_non_null(r);
    assert_true(is(r, &B));
    cert_release(r);
    cert_slot_free(s);
}

typedef struct race {
    cert_slot *s;
    atomic_bool stop;
    atomic_int served, broken;
} race;

static void *
downloader(void *arg)
{
    race *x = arg;
    while (!atomic_load(&x->stop)) {
        cert_ref *r = cert_acquire(x->s);
        if (!r) {
            atomic_fetch_add(&x->broken, 1);
            continue;
        }
        /* read every byte, as sending would */
        if (!is(r, &A) && !is(r, &B)) atomic_fetch_add(&x->broken, 1);
        cert_release(r);
        atomic_fetch_add(&x->served, 1);
    }
    return NULL;
}

static void
slot_swaps_under_load(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "%s/race.pdf", dir);
    write_file(path, A.data, A.n);
    race x = {.s = cert_slot_new("race", path)};
    atomic_init(&x.stop, false);
    atomic_init(&x.served, 0);
    atomic_init(&x.broken, 0);
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, downloader, &x), 0);
    for (int i = 0; i < 200; i++) {
        const blob *b = i % 2 ? &A : &B;
        replace_file(path, b->data, b->n);
        usleep(500);
    }
    atomic_store(&x.stop, true);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    unsigned loads, refusals;
    cert_slot_stats(x.s, &loads, &refusals);
    cert_slot_free(x.s);
    assert_int_equal(atomic_load(&x.broken), 0);
    assert_true(atomic_load(&x.served) > 0);
    assert_true(loads >= 2); /* at least one swap was seen */
    assert_int_equal(refusals, 0);
}

static const char *
disp(buf *b, const char *name)
{
    buf_reset(b);
    cert_disposition(b, name);
    return buf_cstr(b);
}

static void
disposition(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_string_equal(disp(&b, "certificate.pdf"), "attachment; filename=\"certificate.pdf\"");
    assert_string_equal(disp(&b, "my cert (1).pdf"), "attachment; filename=\"my cert (1).pdf\"");
    assert_string_equal(
        disp(&b, "say \"hi\".pdf"),
        "attachment; filename=\"say _hi_.pdf\"; filename*=UTF-8''say%20%22hi%22.pdf");
    assert_string_equal(disp(&b, "a\\b.pdf"),
                        "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%5Cb.pdf");
    /* one '_' per character, not per byte */
    assert_string_equal(disp(&b, "M\xc3\xbcller \xe2\x80\x93 \xf0\x9f\x8e\x93.pdf"),
                        "attachment; filename=\"M_ller _ _.pdf\"; "
                        "filename*=UTF-8''M%C3%BCller%20%E2%80%93%20%F0%9F%8E%93.pdf");
    /* config refuses control characters; should one come, it cannot end a header */
    const char *v = disp(&b, "a\r\nSet-Cookie: x.pdf");
    assert_null(strchr(v, '\r'));
    assert_null(strchr(v, '\n'));
    /* RFC 5987 attr-chars are kept as they are */
    assert_string_equal(disp(&b, "\xc3\xa9-._~.pdf"),
                        "attachment; filename=\"_-._~.pdf\"; filename*=UTF-8''%C3%A9-._~.pdf");
    buf_free(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(disposition),
        cmocka_unit_test(slot_reloads),
        cmocka_unit_test(slot_refused_at_start),
        cmocka_unit_test(slot_swaps_under_load),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * Unit tests for the rate limiter (fcgi/ratelimit.c), with time passed in:
 * the burst, the refill rate, Retry-After, addresses kept apart (IPv6 per
 * /64), and memory that stays bounded under a flood of addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ratelimit.h"

static void
burst_then_refill(void **state)
{
    (void)state;
    ratelimit *r = ratelimit_new(64, 6, 3); /* 6 a minute: one every 10 s */
    double t = 1000;
    for (int i = 0; i < 3; i++)
        assert_int_equal(ratelimit_take(r, "192.0.2.1", t), 0);
    long wait = ratelimit_take(r, "192.0.2.1", t);
    assert_int_equal(wait, 10);
    assert_int_equal(ratelimit_take(r, "192.0.2.1", t + 4), 6); /* refused: still waiting */
    assert_int_equal(ratelimit_take(r, "192.0.2.1", t + 10.5), 0);
    assert_int_not_equal(ratelimit_take(r, "192.0.2.1", t + 10.6), 0);
    /* a long rest refills to the burst, no more */
    t += 3600;
    for (int i = 0; i < 3; i++)
        assert_int_equal(ratelimit_take(r, "192.0.2.1", t), 0);
    assert_int_not_equal(ratelimit_take(r, "192.0.2.1", t), 0);
    ratelimit_free(r);
}

static void
addresses_apart(void **state)
{
    (void)state;
    ratelimit *r = ratelimit_new(64, 1, 1);
    assert_int_equal(ratelimit_take(r, "192.0.2.1", 5), 0);
    assert_int_not_equal(ratelimit_take(r, "192.0.2.1", 5), 0);
    assert_int_equal(ratelimit_take(r, "192.0.2.2", 5), 0);
    assert_int_equal(ratelimit_take(r, "2001:db8:1:2::1", 5), 0);
    /* the same /64 is one subscriber */
    assert_int_not_equal(ratelimit_take(r, "2001:db8:1:2:ffff::9", 5), 0);
    assert_int_equal(ratelimit_take(r, "2001:db8:1:3::1", 5), 0);
    /* what does not parse shares one bucket */
    assert_int_equal(ratelimit_take(r, "garbage", 5), 0);
    assert_int_not_equal(ratelimit_take(r, "", 5), 0);
    ratelimit_free(r);
}

static void
bounded(void **state)
{
    (void)state;
    /* 16 slots, 10,000 addresses: memory stays put, and an address seen a
     * moment ago is still limited while the flood lasts less than the
     * table's size */
    ratelimit *r = ratelimit_new(16, 1, 1);
    char a[64];
    for (int i = 0; i < 10000; i++) {
        snprintf(a, sizeof(a), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
        assert_int_equal(ratelimit_take(r, a, 100 + i * 1e-3), 0);
    }
    assert_int_equal(ratelimit_take(r, "198.51.100.7", 200), 0);
    assert_int_not_equal(ratelimit_take(r, "198.51.100.7", 200), 0);
    ratelimit_free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(burst_then_refill),
        cmocka_unit_test(addresses_apart),
        cmocka_unit_test(bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

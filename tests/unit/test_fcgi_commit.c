/*
 * Unit tests for the group commit's download records (fcgi/commit.c):
 * records handed over without waiting from several threads are all in
 * the store after commit_stop, with a tiny max_pending so that the
 * waiting path is taken too; a signup and records share batches; and a
 * store that cannot commit (locked by another connection) turns records
 * into waits that fail (-1), until a commit succeeds again.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "commit.h"

static char dir[64], path[128];

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/hone-commit-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof(path), "%s/s.db", dir);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int64_t
count(const char *q)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t v = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static commit *
start(size_t max_pending, int64_t *member)
{
    store *s;
    buf err = BUF_INIT;
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
    buf_free(&err);
    commit *c = commit_start(s, 64, max_pending);
    commit_item it;
    memset(&it, 0, sizeof(it));
    it.in.email = "member@example.org";
    assert_int_equal(commit_submit(c, &it), 0);
    *member = it.id;
    return c;
}

typedef struct worker_arg {
    commit *c;
    int64_t member;
    int n, t;
    int failures;
} worker_arg;

static void *
recorder(void *p)
{
    worker_arg *w = p;
    for (int i = 0; i < w->n; i++) {
        /* the strings are the worker's: commit_record must copy them */
        char when[21], id[64];
        snprintf(when, sizeof(when), "2026-11-26T19:%02d:%02dZ", i / 60 % 60, i % 60);
        snprintf(id, sizeof(id), "id-%d-%d", w->t, i);
        store_download d = {w->member, "main", when, id};
        if (commit_record(w->c, &d) != 0) w->failures++;
        memset(id, 'x', sizeof(id) - 1);
    }
    return NULL;
}

static void
records_from_threads(void **state)
{
    (void)state;
    int64_t member;
    commit *c = start(8, &member);
    pthread_t t[4];
    worker_arg w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker_arg){c, member, 500, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, recorder, &w[i]), 0);
    }
    /* signups share the writer meanwhile */
    for (int i = 0; i < 20; i++) {
        commit_item it;
        char email[64];
        memset(&it, 0, sizeof(it));
        snprintf(email, sizeof(email), "s%d@example.org", i);
        it.in.email = email;
        assert_int_equal(commit_submit(c, &it), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    uint64_t signups, downloads, batches, failed;
    commit_stop(c);
    assert_int_equal(count("SELECT count(*) FROM downloads"), 2000);
    assert_int_equal(count("SELECT count(DISTINCT certificate_id) FROM downloads WHERE "
                           "certificate_id LIKE 'id-%' AND certificate = 'main'"),
                     2000);
    assert_int_equal(count("SELECT count(*) FROM signups"), 21);
    (void)signups, (void)downloads, (void)batches, (void)failed;
}

static void
records_when_the_store_fails(void **state)
{
    (void)state;
    int64_t member;
    commit *c = start(4096, &member);
    int64_t before = count("SELECT count(*) FROM downloads");
    /* another connection holds the write lock past the 2 s busy timeout */
    sqlite3 *lock;
    assert_int_equal(sqlite3_open(path, &lock), SQLITE_OK);
    assert_int_equal(sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    store_download d = {member, "main", "2026-11-26T19:40:12Z", "lost-1"};
    assert_int_equal(commit_record(c, &d), 0); /* not waited for: lost with its batch */
    uint64_t signups, downloads, batches, failed = 0;
    for (int i = 0; i < 200 && failed == 0; i++) { /* until the batch has failed */
        usleep(50000);
        commit_stats(c, &signups, &downloads, &batches, &failed);
    }
    assert_int_equal(failed, 1);
    d.certificate_id = "refused-2";
    assert_int_equal(commit_record(c, &d), -1); /* failing: waits, and is told */
    assert_int_equal(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(lock);
    d.certificate_id = "kept-3";
    assert_int_equal(commit_record(c, &d), 0); /* waits, succeeds, ends the failing state */
    assert_int_equal(count("SELECT count(*) FROM downloads WHERE certificate_id = 'kept-3'"), 1);
    d.certificate_id = "kept-4";
    assert_int_equal(commit_record(c, &d), 0);
    /* a member gone: nothing recorded, and not an error for the batch */
    store_download gone = {member + 1000, "main", "2026-11-26T19:40:12Z", "nobody"};
    assert_int_equal(commit_record(c, &gone), 0);
    commit_stop(c);
    assert_int_equal(count("SELECT count(*) FROM downloads") - before, 2);
    assert_int_equal(count("SELECT count(*) FROM downloads WHERE certificate_id IN ('lost-1', "
                           "'refused-2', 'nobody')"),
                     0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_from_threads),
        cmocka_unit_test(records_when_the_store_fails),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

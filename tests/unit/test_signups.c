/*
 * Unit tests for `hone signups export`'s CSV cells (generator/signups.c):
 * RFC 4180 quoting and spreadsheet formula defusing; and the store
 * (lib/store.c): schema, one row per email whatever its case, ids of
 * repeats, reading back in order; certificate downloads, and the upgrade
 * of a schema-1 store that already holds signups.
 */
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

#include "signups.h"
#include "store.h"

static const char *
cell(buf *b, const char *s)
{
    buf_reset(b);
    size_t n = strlen(s);
    char *p = malloc(n ? n : 1);
    memcpy(p, s, n);
    signups_csv_cell(b, p, n);
    free(p);
    return buf_cstr(b);
}

static void
csv_cells(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_string_equal(cell(&b, "plain@example.org"), "plain@example.org");
    assert_string_equal(cell(&b, ""), "");
    assert_string_equal(cell(&b, "a,b"), "\"a,b\"");
    assert_string_equal(cell(&b, "say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_string_equal(cell(&b, "two\nlines"), "\"two\nlines\"");
    assert_string_equal(cell(&b, "cr\rx"), "\"cr\rx\"");
    /* formulas: a leading quote, inside the quoted cell */
    assert_string_equal(cell(&b, "=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    assert_string_equal(cell(&b, "+1"), "\"'+1\"");
    assert_string_equal(cell(&b, "-2+3"), "\"'-2+3\"");
    assert_string_equal(cell(&b, "@SUM(A1)"), "\"'@SUM(A1)\"");
    assert_string_equal(cell(&b, "\tx"), "\"'\tx\"");
    assert_string_equal(cell(&b, "\rx"), "\"'\rx\"");
    assert_string_equal(cell(&b, "a=b"), "a=b"); /* only a leading one counts */
    buf_free(&b);
}

typedef struct rows {
    int n;
    char emails[8][64];
} rows;

static int
collect(void *ctx, const store_signup *r)
{
    rows *x = ctx;
    if (x->n < 8) snprintf(x->emails[x->n], 64, "%s", r->email);
    x->n++;
    return 0;
}

static void
store_round_trip(void **state)
{
    (void)state;
    char dir[] = "/tmp/hone-store-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof(path), "%s/s.db", dir);
    store *s;
    buf err = BUF_INIT;
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
    int64_t id1, id2, id3;
    bool c1, c2, c3;
    store_signup a = {0,     "Ann@Example.org", "2026-01-01T00:00:00Z", "192.0.2.1", "ua",
                      "ref", "/welcome/"};
    store_signup b = {0, "ann@example.ORG", NULL, "192.0.2.2", "", "", ""};
    store_signup c = {0, "x'); DROP TABLE signups;--@e.org", "2026-01-02T00:00:00Z", "", "", "",
                      ""};
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_add(s, &a, &id1, &c1, &err), 0);
    assert_int_equal(store_add(s, &b, &id2, &c2, &err), 0);
    assert_int_equal(store_add(s, &c, &id3, &c3, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_true(c1);
    assert_false(c2);
    assert_true(c3);
    assert_int_equal(id1, id2);
    assert_int_equal(store_count(s), 2);
    buf e = BUF_INIT;
    assert_int_equal(store_email_of(s, id1, &e, &err), 0);
    assert_string_equal(e.data, "Ann@Example.org");
    assert_int_equal(store_email_of(s, 999, &e, &err), 1);
    /* a rolled-back batch leaves nothing */
    store_signup d = {0, "d@e.org", NULL, "", "", "", ""};
    int64_t id4;
    bool c4;
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_add(s, &d, &id4, &c4, &err), 0);
    store_rollback(s);
    assert_int_equal(store_count(s), 2);
    store_close(s);

    /* read-only, as the export opens it */
    assert_int_equal(store_open(path, STORE_READONLY, &s, &err), 0);
    rows r = {0};
    assert_int_equal(store_each(s, NULL, collect, &r, &err), 0);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.emails[0], "Ann@Example.org");
    assert_string_equal(r.emails[1], "x'); DROP TABLE signups;--@e.org");
    memset(&r, 0, sizeof(r));
    assert_int_equal(store_each(s, "2026-01-02T00:00:00Z", collect, &r, &err), 0);
    assert_int_equal(r.n, 1);
    store_close(s);
    buf_free(&e);
    buf_free(&err);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static int
sql_int(const char *path, const char *q)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int v = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* A store made by hone 0.x (schema 1, one signup) is upgraded in place:
 * the signup kept, downloads recorded against it, a missing member
 * recorded as nothing, and a newer schema refused. */
static void
store_downloads_and_upgrade(void **state)
{
    (void)state;
    char dir[] = "/tmp/hone-store-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof(path), "%s/s.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE TABLE signups (id INTEGER PRIMARY KEY, email TEXT NOT NULL "
                     "UNIQUE COLLATE NOCASE, created_at TEXT NOT NULL, ip TEXT NOT "
                     "NULL DEFAULT '', user_agent TEXT NOT NULL DEFAULT '', referrer "
                     "TEXT NOT NULL DEFAULT '', landing TEXT NOT NULL DEFAULT '');"
                     "CREATE INDEX signups_created ON signups(created_at);"
                     "INSERT INTO signups (email, created_at) VALUES "
                     "('old@example.org', '2025-01-01T00:00:00Z');"
                     "PRAGMA user_version = 1;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    store *s;
    buf err = BUF_INIT, e = BUF_INIT;
    /* read-only before the upgrade: refused, with what to do */
    assert_int_equal(store_open(path, STORE_READONLY, &s, &err), -1);
    assert_non_null(strstr(err.data, "start hone-fcgi once"));
    buf_reset(&err);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), 2);
    assert_int_equal(store_count(s), 1);
    assert_int_equal(store_download_count(s), 0);
    assert_int_equal(store_email_of(s, 1, &e, &err), 0);
    assert_string_equal(e.data, "old@example.org");

    store_download d1 = {1, "main", "2026-11-26T19:40:12Z", "idA"};
    store_download d2 = {1, "main", "2026-11-26T19:40:13Z", "idB"};
    store_download gone = {42, "main", "2026-11-26T19:40:13Z", "idC"};
    int64_t r1, r2, r3 = -7;
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_add_download(s, &d1, &r1, &err), 0);
    assert_int_equal(store_add_download(s, &gone, &r3, &err), 1); /* nothing, no error */
    assert_int_equal(store_add_download(s, &d2, &r2, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(r3, -7);
    assert_true(r2 > r1);
    assert_int_equal(store_download_count(s), 2);
    store_close(s);
    assert_int_equal(
        sql_int(path,
                "SELECT count(*) FROM downloads WHERE member_id = 1 AND certificate = 'main'"),
        2);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM downloads WHERE certificate_id = 'idB' "
                                   "AND downloaded_at = '2026-11-26T19:40:13Z'"),
                     1);

    /* opening again changes nothing; read-only works now */
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_download_count(s), 2);
    store_close(s);
    assert_int_equal(store_open(path, STORE_READONLY, &s, &err), 0);
    assert_int_equal(store_download_count(s), 2);
    store_close(s);

    /* a store from a newer hone is refused, not changed */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    buf_reset(&err);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), -1);
    assert_non_null(strstr(err.data, "newer than this program's 2"));
    assert_int_equal(sql_int(path, "PRAGMA user_version"), 99);

    buf_free(&e);
    buf_free(&err);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_cells),
        cmocka_unit_test(store_round_trip),
        cmocka_unit_test(store_downloads_and_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

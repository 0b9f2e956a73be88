/*
 * store: SQLite schema, upgrades and the few statements hone needs.
 *
 * Schema history (PRAGMA user_version):
 *   1  signups: one row per email (UNIQUE, COLLATE NOCASE), with the time,
 *      IP, user agent, referrer and landing page of the first signup.
 *   2  downloads: one row per certificate served (the member's row, the
 *      certificate's name, the time and the id stamped into the PDF);
 *      indexed by member and by id, so a copy found elsewhere is looked
 *      up by its /HoneCertificateId.  Erasing a member erases theirs.
 * A later version appends a step to `upgrades`; each step runs in its own
 * transaction together with the version bump, so an upgrade is all or
 * nothing.
 */
#include "store.h"
#include "dt.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct store {
    sqlite3 *db;
    sqlite3_stmt *begin, *commit, *rollback, *insert, *find, *email, *count;
    sqlite3_stmt *download, *dcount;
};

static const char *const upgrades[] = {
    /* 1 */
    "CREATE TABLE signups (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  email TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
    "  created_at TEXT NOT NULL,\n"
    "  ip TEXT NOT NULL DEFAULT '',\n"
    "  user_agent TEXT NOT NULL DEFAULT '',\n"
    "  referrer TEXT NOT NULL DEFAULT '',\n"
    "  landing TEXT NOT NULL DEFAULT ''\n"
    ");\n"
    "CREATE INDEX signups_created ON signups(created_at);\n",
    /* 2 */
    "CREATE TABLE downloads (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  member_id INTEGER NOT NULL REFERENCES signups(id) ON DELETE CASCADE,\n"
    "  certificate TEXT NOT NULL,\n"
    "  downloaded_at TEXT NOT NULL,\n"
    "  certificate_id TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX downloads_member ON downloads(member_id);\n"
    "CREATE INDEX downloads_certificate_id ON downloads(certificate_id);\n",
};
enum { SCHEMA_VERSION = sizeof(upgrades) / sizeof(upgrades[0]) };

static int
fail(store *s, buf *err, const char *what)
{
    if (err) buf_printf(err, "%s: %s", what, s && s->db ? sqlite3_errmsg(s->db) : "no database");
    return -1;
}

static int
exec(store *s, const char *sql, buf *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (err) buf_printf(err, "%s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int
user_version(store *s, int *v, buf *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return fail(s, err, "reading the schema version");
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : fail(s, err, "reading the schema version");
}

static int
upgrade(store *s, buf *err)
{
    int v;
    if (user_version(s, &v, err) < 0) return -1;
    if (v > SCHEMA_VERSION) {
        buf_printf(err,
                   "the store has schema version %d, newer than this program's %d: "
                   "use a newer hone",
                   v, SCHEMA_VERSION);
        return -1;
    }
    while (v < SCHEMA_VERSION) {
        buf sql = BUF_INIT;
        buf_printf(&sql, "BEGIN IMMEDIATE;\n%s\nPRAGMA user_version = %d;\nCOMMIT;", upgrades[v],
                   v + 1);
        int rc = exec(s, sql.data, err);
        buf_free(&sql);
        if (rc < 0) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        v++;
    }
    return 0;
}

static int
prepare(store *s, sqlite3_stmt **st, const char *sql, buf *err)
{
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return fail(s, err, "preparing a statement");
    return 0;
}

int
store_open(const char *path, int flags, store **out, buf *err)
{
    store *s = xcalloc(1, sizeof(*s));
    int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    oflags |= flags & STORE_READONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & STORE_CREATE) oflags |= SQLITE_OPEN_CREATE;
    *out = NULL;
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        buf_printf(err, "%s: cannot open the signup store: %s", path,
                   s->db ? sqlite3_errmsg(s->db) : "out of memory");
        store_close(s);
        return -1;
    }
    sqlite3_extended_result_codes(s->db, 1);
    /* a writer waits for another (an export, a second hone-fcgi) a short
     * while, then reports; the caller answers 503 */
    sqlite3_busy_timeout(s->db, 2000);
    buf e = BUF_INIT;
    int rc = 0;
    if (!(flags & STORE_READONLY)) {
        rc = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                  &e);
        if (rc == 0) rc = upgrade(s, &e);
    } else {
        int v;
        rc = user_version(s, &v, &e);
        if (rc == 0 && v != SCHEMA_VERSION) {
            buf_printf(&e, "schema version %d, expected %d (start hone-fcgi once to upgrade it)", v,
                       SCHEMA_VERSION);
            rc = -1;
        }
    }
    if (rc == 0)
        rc = prepare(s, &s->find, "SELECT id FROM signups WHERE email = ?1", &e) ||
             prepare(s, &s->email, "SELECT email FROM signups WHERE id = ?1", &e) ||
             prepare(s, &s->count, "SELECT count(*) FROM signups", &e) ||
             prepare(s, &s->dcount, "SELECT count(*) FROM downloads", &e);
    if (rc == 0 && !(flags & STORE_READONLY))
        rc = prepare(s, &s->begin, "BEGIN IMMEDIATE", &e) || prepare(s, &s->commit, "COMMIT", &e) ||
             prepare(s, &s->rollback, "ROLLBACK", &e) ||
             prepare(s, &s->insert,
                     "INSERT INTO signups (email, created_at, ip, user_agent, referrer, landing) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (email) DO NOTHING",
                     &e) ||
             prepare(s, &s->download,
                     "INSERT INTO downloads (member_id, certificate, downloaded_at, "
                     "certificate_id) SELECT ?1, ?2, ?3, ?4 "
                     "WHERE EXISTS (SELECT 1 FROM signups WHERE id = ?1)",
                     &e);
    if (rc != 0) {
        buf_printf(err, "%s: %s", path, buf_cstr(&e));
        buf_free(&e);
        store_close(s);
        return -1;
    }
    buf_free(&e);
    *out = s;
    return 0;
}

void
store_close(store *s)
{
    if (!s) return;
    sqlite3_stmt *all[] = {s->begin, s->commit, s->rollback, s->insert, s->find,
                           s->email, s->count,  s->download, s->dcount};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        sqlite3_finalize(all[i]);
    sqlite3_close(s->db);
    free(s);
}

/* Runs a statement without results. */
static int
step_done(store *s, sqlite3_stmt *st, buf *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(s, err, what);
}

int
store_begin(store *s, buf *err)
{
    return step_done(s, s->begin, err, "BEGIN");
}

int
store_commit(store *s, buf *err)
{
    if (step_done(s, s->commit, err, "COMMIT") == 0) return 0;
    store_rollback(s);
    return -1;
}

void
store_rollback(store *s)
{
    if (sqlite3_get_autocommit(s->db)) return; /* nothing open (SQLite rolled back) */
    sqlite3_step(s->rollback);
    sqlite3_reset(s->rollback);
}

void
store_now(char out[21])
{
    dt_utc_stamp(time(NULL), out);
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

int
store_add(store *s, const store_signup *in, int64_t *id, bool *created, buf *err)
{
    char now[21];
    if (!in->created_at) store_now(now);
    sqlite3_stmt *st = s->insert;
    bind_text(st, 1, in->email);
    bind_text(st, 2, in->created_at ? in->created_at : now);
    bind_text(st, 3, in->ip);
    bind_text(st, 4, in->user_agent);
    bind_text(st, 5, in->referrer);
    bind_text(st, 6, in->landing);
    int rc = sqlite3_step(st);
    sqlite3_clear_bindings(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fail(s, err, "INSERT");
    *created = sqlite3_changes(s->db) > 0;
    if (*created) {
        *id = sqlite3_last_insert_rowid(s->db);
        return 0;
    }
    bind_text(s->find, 1, in->email);
    rc = sqlite3_step(s->find);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(s->find, 0);
    sqlite3_clear_bindings(s->find);
    sqlite3_reset(s->find);
    return rc == SQLITE_ROW ? 0 : fail(s, err, "finding the earlier signup");
}

int
store_add_download(store *s, const store_download *in, int64_t *id, buf *err)
{
    sqlite3_stmt *st = s->download;
    sqlite3_bind_int64(st, 1, in->member_id);
    bind_text(st, 2, in->certificate);
    bind_text(st, 3, in->downloaded_at);
    bind_text(st, 4, in->certificate_id);
    int rc = sqlite3_step(st);
    sqlite3_clear_bindings(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fail(s, err, "recording a download");
    /* a member erased since the cookie was checked: nothing to record,
     * and no foreign-key error to fail the others in the batch */
    if (sqlite3_changes(s->db) == 0) return 1;
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int
store_email_of(store *s, int64_t id, buf *out, buf *err)
{
    sqlite3_bind_int64(s->email, 1, id);
    int rc = sqlite3_step(s->email);
    int r = 1;
    if (rc == SQLITE_ROW) {
        buf_put(out, sqlite3_column_text(s->email, 0), (size_t)sqlite3_column_bytes(s->email, 0));
        r = 0;
    } else if (rc != SQLITE_DONE) {
        r = fail(s, err, "reading a signup");
    }
    sqlite3_reset(s->email);
    return r;
}

static const char *
col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

int
store_each(store *s, const char *since, int (*fn)(void *ctx, const store_signup *row), void *ctx,
           buf *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, email, created_at, ip, user_agent, referrer, landing "
                           "FROM signups WHERE created_at >= ?1 ORDER BY created_at, id",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, err, "reading the signups");
    bind_text(st, 1, since ? since : "");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_signup r = {sqlite3_column_int64(st, 0),
                          col(st, 1),
                          col(st, 2),
                          col(st, 3),
                          col(st, 4),
                          col(st, 5),
                          col(st, 6)};
        if (fn(ctx, &r)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    int ret = rc == SQLITE_DONE ? 0 : fail(s, err, "reading the signups");
    sqlite3_finalize(st);
    return ret;
}

static int64_t
count_of(sqlite3_stmt *st)
{
    int64_t n = -1;
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return n;
}

int64_t
store_count(store *s)
{
    return count_of(s->count);
}

int64_t
store_download_count(store *s)
{
    return count_of(s->dcount);
}

/*
 * output: the build's files, written so nginx never sees half a site.
 *
 * Everything is written into a staging folder beside the output folder
 * (same file system).  Only when the whole build succeeded does one
 * rename(2) -- renameat2 with RENAME_EXCHANGE, so there is no moment
 * without an output folder -- put it in place; the old tree is then
 * removed.  A failed build removes its staging folder and leaves the old
 * output untouched.
 */
#define _GNU_SOURCE /* renameat2 */
#include "output.h"
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates folder dir (relative to root) and any missing parents, from
 * the deepest existing one down: usually one mkdir. */
static int
mkdir_p(int root, char *dir)
{
    if (mkdirat(root, dir, 0755) == 0 || errno == EEXIST) return 0;
    if (errno != ENOENT) return errno;
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return ENOENT;
    *slash = '\0';
    int err = mkdir_p(root, dir);
    *slash = '/';
    if (err) return err;
    return mkdirat(root, dir, 0755) == 0 || errno == EEXIST ? 0 : errno;
}

/* Creates every missing folder of the file path's parent. */
static int
mkdirs_for(int root, char *path)
{
    char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0;
    *slash = '\0';
    int err = mkdir_p(root, path);
    *slash = '/';
    return err;
}

/*
 * Opens path for writing, creating its folders only when they are
 * missing: trying mkdir on every component of every file was most of a
 * build's system time.  Most files share folders made already, so the
 * open comes first; but a page's index.html usually sits in a folder of
 * its own (posts/x/index.html), so there the folder is made first, which
 * saves the open that would fail.
 */
static int
create(int root, char *path)
{
    size_t n = strlen(path);
    if (n > 11 && memcmp(path + n - 11, "/index.html", 11) == 0) {
        int err = mkdirs_for(root, path);
        if (err) {
            errno = err;
            return -1;
        }
    }
    int fd = openat(root, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT) {
        int err = mkdirs_for(root, path);
        if (err) {
            errno = err;
            return -1;
        }
        fd = openat(root, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    return fd;
}

int
output_write(int root, const char *rel, const char *data, size_t len)
{
    buf path = BUF_INIT;
    buf_puts(&path, rel);
    int err = 0;
    int fd = create(root, path.data);
    if (fd < 0) {
        err = errno;
        buf_free(&path);
        return err;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        off += (size_t)w;
    }
    if (close(fd) < 0 && !err) err = errno;
    buf_free(&path);
    return err;
}

int
output_copy(const char *src, int root, const char *rel)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) return errno;
    buf path = BUF_INIT;
    buf_puts(&path, rel);
    int err = 0;
    int out = create(root, path.data);
    if (out < 0) err = errno;
    char chunk[65536];
    while (!err) {
        ssize_t r = read(in, chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            err = errno;
            break;
        }
        if (r == 0) break;
        for (ssize_t off = 0; off < r && !err;) {
            ssize_t w = write(out, chunk + off, (size_t)(r - off));
            if (w < 0 && errno != EINTR)
                err = errno;
            else if (w > 0)
                off += w;
        }
    }
    if (out >= 0 && close(out) < 0 && !err) err = errno;
    close(in);
    buf_free(&path);
    return err;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP) return rmdir(path) < 0 ? -1 : 0;
    return unlink(path) < 0 ? -1 : 0;
}

int
output_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0) return errno == ENOENT ? 0 : errno;
    if (!S_ISDIR(st.st_mode)) return unlink(path) < 0 ? errno : 0;
    return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) < 0 ? errno : 0;
}

char *
output_staging_path(const char *dest)
{
    buf b = BUF_INIT;
    size_t n = strlen(dest);
    while (n > 1 && dest[n - 1] == '/')
        n--;
    buf_put(&b, dest, n);
    buf_puts(&b, ".hone-staging");
    return buf_detach(&b, NULL);
}

int
output_begin(const char *staging)
{
    int err = output_remove_tree(staging); /* a crashed build's leftovers */
    if (err) return err;
    if (mkdir(staging, 0755) < 0) return errno;
    return 0;
}

int
output_commit(const char *staging, const char *dest)
{
    struct stat st;
    if (lstat(dest, &st) < 0) {
        if (errno != ENOENT) return errno;
        return rename(staging, dest) < 0 ? errno : 0;
    }
    if (renameat2(AT_FDCWD, staging, AT_FDCWD, dest, RENAME_EXCHANGE) < 0) {
        /* a file system without RENAME_EXCHANGE: two renames */
        if (errno != EINVAL && errno != ENOSYS) return errno;
        buf old = BUF_INIT;
        buf_printf(&old, "%s.hone-old", staging);
        output_remove_tree(old.data);
        if (rename(dest, old.data) < 0 || rename(staging, dest) < 0) {
            int e = errno;
            buf_free(&old);
            return e;
        }
        int e = output_remove_tree(old.data);
        buf_free(&old);
        return e;
    }
    /* staging now holds the previous output */
    return output_remove_tree(staging);
}

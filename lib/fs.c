/*
 * fs: reading files whole, refusing what is not a regular file or is too
 * large before reading it.
 */
#include "fs.h"
#include "buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
fs_read_file(const char *path, size_t limit, char **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    struct stat st;
    int err = 0;
    if (fstat(fd, &st) < 0) {
        err = errno;
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        err = EISDIR;
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        err = EINVAL;
        goto out;
    }
    if ((unsigned long long)st.st_size > limit) {
        err = EFBIG;
        goto out;
    }
    buf b = BUF_INIT;
    b.limit = limit;
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof(chunk));
        if (r < 0) {
            if (errno == EINTR) continue;
            err = errno;
            buf_free(&b);
            goto out;
        }
        if (r == 0) break;
        if (buf_put(&b, chunk, (size_t)r) < 0) {
            err = EFBIG; /* grew while we read it */
            buf_free(&b);
            goto out;
        }
    }
    *data = buf_detach(&b, len);
out:
    close(fd);
    return err;
}

typedef struct dir_entry {
    char *name;
    unsigned char type;
} dir_entry;

static int
cmp_entries(const void *a, const void *b)
{
    return strcmp(((const dir_entry *)a)->name, ((const dir_entry *)b)->name);
}

char **
fs_list_dir_typed(const char *path, size_t *n, unsigned char **types, int *err)
{
    *n = 0;
    if (types) *types = NULL;
    DIR *dir = opendir(path);
    if (!dir) {
        *err = errno;
        return NULL;
    }
    size_t cap = 8;
    dir_entry *v = xreallocarray(NULL, cap, sizeof(*v));
    struct dirent *e;
    while ((e = readdir(dir))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || (len && e->d_name[len - 1] == '~')) continue;
        if (*n == cap) {
            cap *= 2;
            v = xreallocarray(v, cap, sizeof(*v));
        }
        v[*n].name = xstrdup(e->d_name);
        v[*n].type = e->d_type;
        (*n)++;
    }
    closedir(dir);
    qsort(v, *n, sizeof(*v), cmp_entries);
    char **names = xreallocarray(NULL, *n ? *n : 1, sizeof(*names));
    if (types) *types = xcalloc(*n ? *n : 1, 1);
    for (size_t i = 0; i < *n; i++) {
        names[i] = v[i].name;
        if (types) (*types)[i] = v[i].type;
    }
    free(v);
    *err = 0;
    return names;
}

char **
fs_list_dir(const char *path, size_t *n, int *err)
{
    return fs_list_dir_typed(path, n, NULL, err);
}

void
fs_free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

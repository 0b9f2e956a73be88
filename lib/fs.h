/*
 * fs: the file-system calls hone needs, with errors as values.
 */
#ifndef HONE_FS_H
#define HONE_FS_H

#include <stddef.h>

/*
 * Reads a whole regular file into a NUL-terminated malloc'd buffer.
 * Returns 0, or an errno value: EFBIG when it is larger than limit bytes,
 * EISDIR/EINVAL when it is not a regular file.
 */
int fs_read_file(const char *path, size_t limit, char **data, size_t *len);

/*
 * The names in a folder, sorted bytewise, without "." files and editor
 * backups ("~" at the end).  Returns a malloc'd array of malloc'd names
 * (free with fs_free_list), or NULL with *err set (*n = 0).  An empty
 * folder gives a non-NULL array with *n = 0.
 */
char **fs_list_dir(const char *path, size_t *n, int *err);

/* The same, with each name's d_type from readdir (DT_REG, DT_DIR, ...;
 * DT_UNKNOWN where the file system does not say) in *types, a malloc'd
 * array in the same order; free it with free(). */
char **fs_list_dir_typed(const char *path, size_t *n, unsigned char **types, int *err);
void fs_free_list(char **names, size_t n);

#endif

/*
 * output: writing the built site into a staging folder and swapping it in
 * atomically.  Functions return 0 or an errno value.
 */
#ifndef HONE_OUTPUT_H
#define HONE_OUTPUT_H

#include <stddef.h>

/* dest + ".hone-staging" (malloc'd): beside dest, on the same file system. */
char *output_staging_path(const char *dest);
/* Empties and creates the staging folder. */
int output_begin(const char *staging);
/* Writes rel under the folder open as root (a descriptor: paths walk from
 * there, not from /), creating its folders.  Thread-safe. */
int output_write(int root, const char *rel, const char *data, size_t len);
/* Copies the file src to rel under root.  Thread-safe. */
int output_copy(const char *src, int root, const char *rel);
/* Puts staging in dest's place in one step and removes the old tree. */
int output_commit(const char *staging, const char *dest);
int output_remove_tree(const char *path);

#endif

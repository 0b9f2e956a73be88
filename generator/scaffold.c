/*
 * scaffold: writes content/SECTION/SLUG.md with front matter filled in
 * (title quoted for YAML, the date now in the site's zone, draft: true
 * for posts), never over an existing file.  The slug is the slugify
 * filter's, so it matches what templates would make of the title.
 */
#include "scaffold.h"
#include "config.h"
#include "dt.h"
#include "tmpl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] = "usage: hone new post \"Title\" [-s DIR] [--section NAME]\n"
                            "       hone new page \"Title\" [-s DIR]\n";

/* title as a YAML double-quoted scalar */
static void
yaml_quote(buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            buf_printf(b, "\\x%02x", c);
        else
            buf_putc(b, c);
    }
    buf_putc(b, '"');
}

static int
write_new(const char *path, const buf *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return errno;
    ssize_t w = write(fd, text->data, text->len);
    int err = w == (ssize_t)text->len ? 0 : (w < 0 ? errno : EIO);
    if (close(fd) < 0 && !err) err = errno;
    return err;
}

int
scaffold_main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[0], "post") && strcmp(argv[0], "page"))) {
        fputs(usage, stderr);
        return 2;
    }
    int post = strcmp(argv[0], "post") == 0;
    const char *title = argv[1], *src = ".", *section = post ? "posts" : "";
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-s") && i + 1 < argc) {
            src = argv[++i];
        } else if (!strcmp(argv[i], "--section") && i + 1 < argc && post) {
            section = argv[++i];
        } else {
            fprintf(stderr, "hone new: unknown argument '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    if (strchr(section, '/') || section[0] == '.') {
        fprintf(stderr, "hone new: the section must be a folder name, not '%s'\n", section);
        return 2;
    }
    buf slug = BUF_INIT, path = BUF_INIT, text = BUF_INIT, cfgpath = BUF_INIT;
    int rc = 0;
    tmpl_slugify(&slug, title, strlen(title));
    if (slug.len == 0) {
        fprintf(stderr, "hone new: \"%s\" gives an empty slug; use a title with letters\n", title);
        rc = 2;
        goto out;
    }
    /* the site's zone, so the date reads as the owner expects */
    config cfg;
    diags d = DIAGS_INIT;
    buf_printf(&cfgpath, "%s/site.yaml", src);
    if (config_load(buf_cstr(&cfgpath), &cfg, &d) < 0) {
        diags_print(&d, stderr);
        diags_free(&d);
        config_free(&cfg);
        rc = 1;
        goto out;
    }
    dt now = dt_now();
    now.nsec = 0;
    now.off = cfg.default_offset;
    config_free(&cfg);
    diags_free(&d);

    /* content/ and the section may not exist yet */
    buf_printf(&path, "%s/content", src);
    mkdir(buf_cstr(&path), 0755);
    buf_printf(&path, "/%s%s", section, section[0] ? "/" : "");
    mkdir(buf_cstr(&path), 0755);
    buf_printf(&path, "%s.md", buf_cstr(&slug));
    buf_puts(&text, "---\ntitle: ");
    yaml_quote(&text, title);
    buf_puts(&text, "\n");
    if (post) {
        buf_puts(&text, "date: ");
        dt_iso8601(&text, now);
        buf_puts(&text, "\ndraft: true\ntags: []\n");
    }
    buf_puts(&text, "description: \"\"\n---\n\n");
    int err = write_new(buf_cstr(&path), &text);
    if (err) {
        fprintf(stderr, "hone new: cannot create %s: %s\n", buf_cstr(&path),
                err == EEXIST ? "it exists already; choose another title" : strerror(err));
        rc = err == EEXIST ? 1 : 3;
        goto out;
    }
    printf("%s\n", buf_cstr(&path));
out:
    buf_free(&slug);
    buf_free(&path);
    buf_free(&text);
    buf_free(&cfgpath);
    return rc;
}

/*
 * home: the X-Accel-Redirect answer for /.  See home.h.
 */
#include "home.h"
#include "member.h"

#include <string.h>
#include <time.h>

void
home_handle(const app *a, http_req *r)
{
    buf h = BUF_INIT, to = BUF_INIT;
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        http_header(&h, "Allow", "GET, HEAD");
        http_error(r, 405, &h, "method", "The home page answers GET and HEAD.");
        goto out;
    }
    int64_t id = 0;
    bool member =
        member_from_header(&a->key, r->cookie, a->cfg.signup.cookie, (int64_t)time(NULL), &id);
    buf_printf(&to, "%s_home/%s/index.html", a->cfg.base_path, member ? "users" : "anon");
    http_header(&h, "X-Accel-Redirect", to.data);
    http_header(&h, "Vary", "Cookie");
    http_header(&h, "Cache-Control", "private, no-cache");
    buf_puts(&r->note, member ? "member" : "anon");
    http_answer(r, 200, &h, "text/html; charset=utf-8", "", 0);
out:
    buf_free(&h);
    buf_free(&to);
}

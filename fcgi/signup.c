/*
 * signup: the POST /signup handler.  See signup.h.
 */
#include "signup.h"
#include "esc.h"
#include "landing.h"
#include "member.h"

#include <string.h>
#include <strings.h>
#include <time.h>

static bool
origin_allowed(const config_signup *g, const char *o, size_t n)
{
    for (size_t i = 0; i < g->norigins; i++)
        if (strlen(g->origins[i]) == n && strncasecmp(g->origins[i], o, n) == 0) return true;
    return false;
}

bool
signup_same_origin(const config_signup *g, const char *origin, const char *referer)
{
    if (origin) return origin_allowed(g, origin, strlen(origin));
    if (!referer) return false;
    /* the Referer's origin: scheme://host[:port] before the path */
    const char *s = strstr(referer, "://");
    if (!s) return false;
    size_t n = (size_t)(s + 3 - referer) + strcspn(s + 3, "/?#");
    return origin_allowed(g, referer, n);
}

static double
mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static bool
is_form_type(const char *ct)
{
    static const char want[] = "application/x-www-form-urlencoded";
    size_t n = sizeof(want) - 1;
    if (strncasecmp(ct, want, n) != 0) return false;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* 400: the form again, with the message and the visitor's input. */
static void
refuse_input(const app *a, http_req *r, const form_signup *f, const form_error *e)
{
    buf_printf(&r->note, "invalid:%s", e->code);
    if (r->want_json) {
        buf b = BUF_INIT;
        buf_puts(&b, "{\"ok\":false,\"error\":");
        esc_json(&b, e->code, strlen(e->code));
        buf_puts(&b, ",\"field\":");
        esc_json(&b, e->field ? e->field : "", e->field ? strlen(e->field) : 0);
        buf_puts(&b, ",\"message\":");
        esc_json(&b, e->message, strlen(e->message));
        buf_puts(&b, "}\n");
        http_answer(r, 400, NULL, "application/json", b.data, b.len);
        buf_free(&b);
        return;
    }
    buf page = BUF_INIT, h = BUF_INIT;
    /* only a landing path that passed its check names a file */
    const char *landing =
        strcmp(e->code, "landing_invalid") == 0 ? "" : (f->landing.data ? f->landing.data : "");
    landing_render(a->public_dir, a->cfg.base_path, landing, e->message, f, &page);
    http_answer(r, 400, &h, "text/html; charset=utf-8", page.data, page.len);
    buf_free(&page);
    buf_free(&h);
}

/* Success (or a honeypot, answered alike without a cookie). */
static void
accept_signup(const app *a, http_req *r, const char *next, const char *cookie)
{
    buf h = BUF_INIT;
    if (cookie) http_header(&h, "Set-Cookie", cookie);
    if (r->want_json) {
        buf b = BUF_INIT;
        buf_puts(&b, "{\"ok\":true,\"next\":");
        esc_json(&b, next, strlen(next));
        buf_puts(&b, "}\n");
        http_answer(r, 200, &h, "application/json", b.data, b.len);
        buf_free(&b);
    } else if (http_header(&h, "Location", next) == 0) {
        http_answer(r, 303, &h, "text/plain; charset=utf-8", "See Other\n", 10);
    } else {
        http_error(r, 500, NULL, "internal", "The next page cannot be named.");
    }
    buf_free(&h);
}

void
signup_handle(const app *a, http_req *r)
{
    const config_signup *g = &a->cfg.signup;
    buf h = BUF_INIT, body = BUF_INIT;
    form_signup f;
    form_init(&f);
    if (strcmp(r->method, "POST") != 0) {
        http_header(&h, "Allow", "POST");
        http_error(r, 405, &h, "method", "Send the signup form with POST.");
        goto out;
    }
    if (!signup_same_origin(g, r->origin, r->referer)) {
        http_error(r, 403, NULL, "origin", "This form can only be sent from the site's own pages.");
        goto out;
    }
    long wait = ratelimit_take(a->limiter, r->client, mono_now());
    if (wait) {
        buf_printf(&h, "Retry-After: %ld\r\n", wait);
        http_error(r, 429, &h, "rate_limited",
                   "Too many signups from your address: please try again in a minute.");
        goto out;
    }
    if (!is_form_type(r->content_type)) {
        http_error(r, 415, NULL, "content_type",
                   "Send the form as application/x-www-form-urlencoded.");
        goto out;
    }
    int st = http_read_body(r, (size_t)g->max_body, &body);
    if (st == 413) {
        http_error(r, 413, NULL, "too_large", "The form is larger than a signup can be.");
        goto out;
    }
    form_error e = {0};
    if (st != 0) {
        e = (form_error){"malformed", NULL, "The form arrived incomplete: please send it again."};
        refuse_input(a, r, &f, &e);
        goto out;
    }
    if (form_parse(buf_cstr(&body), body.len, &f, &e) < 0 || form_check(&f, &e) < 0) {
        if (strcmp(e.code, "honeypot") == 0) {
            buf_puts(&r->note, "honeypot");
            accept_signup(a, r, g->thanks, NULL);
        } else {
            refuse_input(a, r, &f, &e);
        }
        goto out;
    }

    buf ua = BUF_INIT;
    form_clean_text(&ua, r->user_agent, strlen(r->user_agent), FORM_UA_MAX);
    commit_item it;
    memset(&it, 0, sizeof(it));
    it.in.email = buf_cstr(&f.email);
    it.in.ip = r->client;
    it.in.user_agent = buf_cstr(&ua);
    it.in.referrer = buf_cstr(&f.referrer);
    it.in.landing = buf_cstr(&f.landing);
    int rc = commit_submit(a->commit, &it);
    buf_free(&ua);
    if (rc != 0) {
        buf_printf(&h, "Retry-After: 5\r\n");
        http_error(r, 503, &h, "store_unavailable",
                   "Your signup could not be saved just now: please try again in a moment.");
        goto out;
    }
    buf_printf(&r->note, "%s id=%lld batch=%zu", it.created ? "stored" : "known", (long long)it.id,
               it.batch);
    long max_age = (long)g->lifetime_days * 86400;
    buf value = BUF_INIT, cookie = BUF_INIT;
    member_value(&a->key, it.id, (int64_t)time(NULL) + max_age, &value);
    member_set_cookie(&cookie, g->cookie, value.data, max_age, a->cfg.base_path, a->secure);
    accept_signup(a, r, f.next.len ? f.next.data : g->thanks, cookie.data);
    buf_free(&value);
    buf_free(&cookie);
out:
    form_free(&f);
    buf_free(&body);
    buf_free(&h);
}

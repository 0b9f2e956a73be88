/*
 * fuzz_form: the signup form's parser and checks (fcgi/form.c) and the
 * landing page's marker filling (fcgi/landing.c) on any bytes.  The
 * input is used as a request body, then as a landing page to fill with
 * the parsed values.  No crash, no read past the input, and the
 * invariants below hold.
 */
#define _GNU_SOURCE /* memmem */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "landing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    form_signup f;
    form_error e = {0};
    form_init(&f);
    const char *body = (const char *)data;
    if (form_parse(body, size, &f, &e) == 0 && form_check(&f, &e) == 0) {
        /* what passes is what the store may see */
        assert(form_email_valid(f.email.data, f.email.len));
        assert(f.referrer.len <= FORM_REFERRER_MAX);
        for (size_t i = 0; i < f.email.len; i++)
            assert((unsigned char)f.email.data[i] > ' ' && (unsigned char)f.email.data[i] < 0x7f);
        if (f.landing.len) assert(form_local_path(f.landing.data, f.landing.len, true));
        if (f.next.len) assert(f.next.data[0] == '/' && f.next.data[1] != '/');
    } else {
        assert(e.code && e.message);
    }
    buf out = BUF_INIT;
    int filled = landing_fill(body, size, "message <&>", f.email.data ? f.email.data : "",
                              f.referrer.data ? f.referrer.data : "", &out);
    /* the filled values never add markup: the message is there escaped,
     * never as it was given */
    if (filled == 0) {
        static const char raw[] = "message <&>", esc[] = "message &lt;&amp;&gt;";
        assert(memmem(out.data, out.len, esc, sizeof(esc) - 1));
        assert(!memmem(out.data, out.len, raw, sizeof(raw) - 1) ||
               memmem(body, size, raw, sizeof(raw) - 1)); /* unless the page had it */
    }
    buf_free(&out);
    form_email_valid(body, size);
    form_local_path(body, size, size & 1);
    form_free(&f);
    return 0;
}

/*
 * fuzz_yamlv: arbitrary text as YAML (site.yaml, front matter) and as a
 * date.  No crash, leak or sanitizer report; alias bombs must stop at the
 * value cap instead of exhausting memory.
 */
#include <stddef.h>
#include <stdint.h>

#include "dt.h"
#include "yamlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a = ARENA_INIT;
    diags d = DIAGS_INIT;
    yamlv_doc doc;
    yamlv_parse_tz((const char *)data, size, "fuzz.yaml", 2, 19800, &a, &doc, &d);
    if (doc.root.type == VAL_MAP)
        yamlv_where(&doc, "title");
    dt t;
    size_t errpos;
    const char *why;
    if (dt_parse((const char *)data, size, -3600, &t, &errpos, &why) == 0) {
        buf b = BUF_INIT;
        dt_rfc822(&b, t);
        dt_iso8601(&b, t);
        dt_format(&b, "c r N jS P e", 12, t);
        buf_free(&b);
    }
    diags_free(&d);
    arena_free(&a);
    return 0;
}

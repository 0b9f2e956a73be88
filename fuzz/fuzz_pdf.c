/*
 * fuzz_pdf: certificate templates and stamps on arbitrary bytes (libFuzzer).
 *
 * The input is loaded as a template: the header, startxref, every
 * cross-reference section (tables, streams, hybrids, /Prev chains), object
 * streams, the catalog, the page tree and the information dictionary are
 * all parsed from it.  When it is accepted, it is stamped with and without
 * the visible line, and each result must verify as GENUINE with the key it
 * was made with (and FORGED with another): any template hone accepts gives
 * certificates hone recognises.  The input is also verified as it is.
 * Any crash, leak, sanitizer report or failed check is a bug; a refused
 * template is expected.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const mac_key key = {{7, 1, 7, 1, 7, 1, 7, 1, 7, 1, 7, 1, 7, 1, 7, 1,
                             7, 1, 7, 1, 7, 1, 7, 1, 7, 1, 7, 1, 7, 1, 7, 1}};
static const mac_key other = {{8}};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pdf_verify_result r;
    pdf_verify(data, size, &key, &r);
    pdf_verify_result_free(&r);

    diags d = DIAGS_INIT;
    pdf_template *t = pdf_load_mem(data, size, "fuzz.pdf", &d);
    if (!t && d.n != 1) abort(); /* a refusal says why, once */
    diags_free(&d);
    if (!t) return 0;
    for (int visible = 0; visible < 2; visible++) {
        buf out = BUF_INIT;
        buf_put(&out, pdf_bytes(t), pdf_size(t));
        pdf_stamp_info info = {.recipient = visible ? "z\xc3\xa9(x)\\@example.com" : "a@b.c",
                               .time = 1795722012,
                               .key = &key,
                               .visible = visible};
        if (pdf_stamp(t, &info, &out, NULL) < 0) abort();
        if (pdf_verify((const uint8_t *)out.data, out.len, &key, &r) != PDF_GENUINE) abort();
        pdf_verify_result_free(&r);
        if (pdf_verify((const uint8_t *)out.data, out.len, &other, &r) != PDF_FORGED) abort();
        pdf_verify_result_free(&r);
        buf_free(&out);
    }
    pdf_free(t);
    return 0;
}

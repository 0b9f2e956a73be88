/*
 * esc: the one place hone escapes text for HTML, XML and URLs.
 */
#ifndef HONE_ESC_H
#define HONE_ESC_H

#include <stddef.h>

#include "buf.h"

/*
 * & < > " ' as &amp; &lt; &gt; &quot; &#x27; (Django's set): safe in HTML
 * text, in quoted attribute values and in XML.  Bytes that XML 1.0 forbids
 * (C0 controls other than tab, CR, LF) are dropped so a feed stays
 * well-formed.
 */
void esc_html(buf *out, const char *s, size_t n);

/*
 * Percent-encodes every byte outside RFC 3986's unreserved set and the
 * bytes listed in keep (Django's urlencode keeps "/" by default).
 */
void esc_url(buf *out, const char *s, size_t n, const char *keep);

/*
 * s as a JSON string, quotes included: '"' and '\' escaped, control bytes
 * and DEL as \u00XX (\n, \r, \t by name), '<', '>' and '&' as \u003c,
 * \u003e, \u0026 so the text is safe inside a <script>, and U+2028 and
 * U+2029 as \u2028 and \u2029 for JavaScript parsers older than ES2019.
 */
void esc_json(buf *out, const char *s, size_t n);

#endif

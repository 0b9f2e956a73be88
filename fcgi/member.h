/*
 * member: the member cookie, proof that a browser signed up.
 *
 * The value is "1.ID.EXPIRES.MAC": a format version, the signup's row id,
 * the expiry (Unix seconds) and base64url(HMAC-SHA-256) over
 * "hone-member:1.ID.EXPIRES" with the site secret.  The prefix keeps a
 * member MAC from ever being taken for another MAC made with the same key
 * (certificate ids).  Nothing secret is in the cookie and nothing needs a
 * database look-up to check it; a changed byte, a wrong key or a past
 * expiry makes it worthless.
 */
#ifndef HONE_MEMBER_H
#define HONE_MEMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mac.h"

/* Appends the cookie value for member id, valid until expires. */
void member_value(const mac_key *key, int64_t id, int64_t expires, buf *out);

/* Checks one cookie value: 0 valid (*id set), -1 malformed or forged,
 * 1 genuine but expired. */
int member_verify(const mac_key *key, const char *v, size_t n, int64_t now, int64_t *id);

/* Looks through a Cookie header for cookies named name; true (and *id)
 * when one of them is a valid member cookie. */
bool member_from_header(const mac_key *key, const char *header, const char *name, int64_t now,
                        int64_t *id);

/* Appends a Set-Cookie header value: HttpOnly, SameSite=Lax, Path, Max-Age,
 * and Secure when secure is set. */
void member_set_cookie(buf *out, const char *name, const char *value, long max_age,
                       const char *path, bool secure);

#endif

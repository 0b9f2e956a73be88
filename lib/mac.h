/*
 * mac: the site's secret key and the HMACs made with it.
 *
 * One secret per site (a 32-byte random file, mode 0600, created on first
 * use) signs member cookies (hone-fcgi) and certificate ids (hone-fcgi
 * stamps them, `hone verify-pdf` checks them).  HMAC-SHA-256 from
 * libsodium; comparisons in constant time.
 */
#ifndef HONE_MAC_H
#define HONE_MAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum { MAC_KEY_LEN = 32, MAC_LEN = 32 };

typedef struct mac_key {
    uint8_t k[MAC_KEY_LEN];
} mac_key;

/*
 * Reads the key file at path.  When it does not exist and create is set,
 * writes a new random key there (mode 0600, created atomically).  Returns
 * 0, or an errno value (EINVAL: the file is not a 32-byte key).
 */
int mac_key_load(const char *path, bool create, mac_key *key);

/* HMAC-SHA-256 of msg. */
void mac_sign(const mac_key *key, const void *msg, size_t n, uint8_t out[MAC_LEN]);

/* Does mac match msg? Constant time. */
bool mac_verify(const mac_key *key, const void *msg, size_t n, const uint8_t mac[MAC_LEN]);

/* Base64url without padding (for cookies and ids). */
void mac_b64url(buf *out, const uint8_t *p, size_t n);
/* Decodes base64url; returns bytes written to out (at most cap), or -1. */
long mac_b64url_decode(const char *s, size_t n, uint8_t *out, size_t cap);

#endif

/* SHA-256 (FIPS 180-4), the chain's and the ledger's one digest: a hundred lines here instead
 * of OpenSSL's libcrypto, whose mapping and relocation cost every start of the program about
 * 3.5 ms of processor time for this one function. tests/unit/test_sha256.c checks it against
 * OpenSSL's. */
#ifndef XINFANG_SHA256_H
#define XINFANG_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* A digest under way. */
struct xf_sha256 {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t fill;
};

/* Starts a digest. */
void xf_sha256_init(struct xf_sha256 *c);
/* Adds n bytes. */
void xf_sha256_update(struct xf_sha256 *c, const void *data, size_t n);
/* Ends the digest: its 32 bytes. */
void xf_sha256_final(struct xf_sha256 *c, unsigned char md[32]);
/* The digest of n bytes as 64 lowercase hex digits. */
void xf_sha256_hex(const void *data, size_t n, char hex[65]);
/* A digest's 32 bytes as 64 lowercase hex digits. */
void xf_sha256_to_hex(const unsigned char md[32], char hex[65]);

#endif

/* SHA-512 (FIPS 180-4), streaming, no heap. Needed by ed25519 signature verification. */
#ifndef TINYSER_SHA512_H
#define TINYSER_SHA512_H
#include <stddef.h>
#include <stdint.h>

#define SHA512_DIGEST_BYTES 64u
#define SHA512_BLOCK_BYTES 128u

typedef struct {
  uint64_t state[8];
  uint64_t total_bytes;
  uint8_t block[SHA512_BLOCK_BYTES];
  uint32_t block_fill;
} sha512_ctx_t;

void sha512_init(sha512_ctx_t *c);
void sha512_update(sha512_ctx_t *c, const uint8_t *data, size_t n);
void sha512_final(sha512_ctx_t *c, uint8_t digest[SHA512_DIGEST_BYTES]);
#endif

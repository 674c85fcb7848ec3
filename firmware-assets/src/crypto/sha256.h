/* SHA-256 (FIPS 180-4), streaming, no heap. Used by the bootloader to verify image payloads. */
#ifndef TINYSER_SHA256_H
#define TINYSER_SHA256_H
#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_BYTES 32u
#define SHA256_BLOCK_BYTES 64u

typedef struct {
  uint32_t state[8];
  uint64_t total_bytes;
  uint8_t block[SHA256_BLOCK_BYTES];
  uint32_t block_fill;
} sha256_ctx_t;

void sha256_init(sha256_ctx_t *c);
void sha256_update(sha256_ctx_t *c, const uint8_t *data, size_t n);
void sha256_final(sha256_ctx_t *c, uint8_t digest[SHA256_DIGEST_BYTES]);
void sha256(const uint8_t *data, size_t n, uint8_t digest[SHA256_DIGEST_BYTES]);
#endif

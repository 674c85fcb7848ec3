/*
 * Ed25519 signature verification (RFC 8032, cofactorless check [S]B == R + [k]A), variable time
 * (it only handles public data). Field elements are 16 signed 64-bit limbs of radix 2^16.
 */
#ifndef TINYSER_ED25519_VERIFY_H
#define TINYSER_ED25519_VERIFY_H
#include <stddef.h>
#include <stdint.h>

#define ED25519_PUBLIC_KEY_BYTES 32u
#define ED25519_SIGNATURE_BYTES 64u

/* 1 when sig is a valid signature of msg under public_key, 0 otherwise. */
int ed25519_verify(const uint8_t sig[ED25519_SIGNATURE_BYTES], const uint8_t *msg, size_t msg_len,
                   const uint8_t public_key[ED25519_PUBLIC_KEY_BYTES]);
#endif

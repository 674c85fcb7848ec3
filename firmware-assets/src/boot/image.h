/*
 * Firmware/model image = 128-byte header + payload (see PROTOCOL.md "Image format").
 *   0 magic u32 "TSIM"   4 format u16 (1)   6 header bytes u16 (128)   8 board id u32
 *  12 image version u32  16 payload bytes u32  20 load address u32  24 flags u32 (bit0 signed)
 *  28 reserved u32       32 SHA-256 over header[0..32) || payload
 *  64 ed25519 signature over header[0..64) (flags bit0; verified when a signing key is built in)
 */
#ifndef TINYSER_IMAGE_H
#define TINYSER_IMAGE_H
#include <stdint.h>
#include "../crypto/sha256.h"

#define IMAGE_MAGIC 0x4D495354u /* "TSIM" little-endian */
#define IMAGE_FORMAT_VERSION 1u
#define IMAGE_HEADER_BYTES 128u
#define IMAGE_HASHED_HEADER_BYTES 32u
#define IMAGE_SIGNATURE_BYTES 64u
#define IMAGE_FLAG_SIGNED 0x1u

typedef struct {
  uint32_t board_id;
  uint32_t image_version;
  uint32_t payload_bytes;
  uint32_t load_addr;
  uint32_t flags;
  uint8_t sha256[SHA256_DIGEST_BYTES];
} image_header_t;

typedef enum {
  IMAGE_OK = 0,
  IMAGE_ERR_FORMAT = 1, /* magic, format version or header size */
  IMAGE_ERR_BOARD = 2,
  IMAGE_ERR_SIZE = 3,
  IMAGE_ERR_HASH = 4,
  IMAGE_ERR_SIGNATURE = 5
} image_status_t;

/* Public key images must be signed with, set at build time (make SIGNING_PUBKEY=<64 hex digits>).
 * Without one the device accepts unsigned images and cannot check signatures (INFO says so). */
#ifdef TINYSER_SIGNING_PUBKEY
#define IMAGE_REQUIRE_SIGNATURE 1
#else
#define IMAGE_REQUIRE_SIGNATURE 0
/* With a compiled-in key: the image must be flagged signed and its ed25519 signature over
 * header[0..64) (which includes the payload's SHA-256) must verify. Without a key: IMAGE_OK. */
image_status_t image_check_signature(const uint8_t header[IMAGE_HEADER_BYTES], const image_header_t *h);
#endif

/* Checks the header fields against this board; does not touch the payload. */
image_status_t image_header_parse(const uint8_t header[IMAGE_HEADER_BYTES], uint32_t board_id, uint32_t load_addr,
                                  uint32_t max_payload, image_header_t *out);
/* SHA-256 over header[0..32) || payload compared with the header's digest. */
image_status_t image_verify_payload(const uint8_t header[IMAGE_HEADER_BYTES], const image_header_t *h,
                                    const uint8_t *payload);
/* With a compiled-in key: the image must be flagged signed and its ed25519 signature over
 * header[0..64) (which includes the payload's SHA-256) must verify. Without a key: IMAGE_OK. */
image_status_t image_check_signature(const uint8_t header[IMAGE_HEADER_BYTES], const image_header_t *h);
#endif

#include "image.h"
#include "../protocol/protocol.h"
#include "../crypto/ed25519_verify.h"

image_status_t image_header_parse(const uint8_t header[IMAGE_HEADER_BYTES], uint32_t board_id, uint32_t load_addr,
                                  uint32_t max_payload, image_header_t *out) {
  if (get_u32le(&header[0]) != IMAGE_MAGIC || get_u16le(&header[4]) != IMAGE_FORMAT_VERSION ||
      get_u16le(&header[6]) != IMAGE_HEADER_BYTES)
    return IMAGE_ERR_FORMAT;
  out->board_id = get_u32le(&header[8]);
  out->image_version = get_u32le(&header[12]);
  out->payload_bytes = get_u32le(&header[16]);
  out->load_addr = get_u32le(&header[20]);
  out->flags = get_u32le(&header[24]);
  for (uint32_t i = 0; i < SHA256_DIGEST_BYTES; i++) out->sha256[i] = header[32 + i];
  if (out->board_id != board_id) return IMAGE_ERR_BOARD;
  if (out->load_addr != load_addr) return IMAGE_ERR_FORMAT;
  if (out->payload_bytes == 0 || out->payload_bytes > max_payload) return IMAGE_ERR_SIZE;
  return IMAGE_OK;
}

image_status_t image_verify_payload(const uint8_t header[IMAGE_HEADER_BYTES], const image_header_t *h,
                                    const uint8_t *payload) {
  sha256_ctx_t c;
  uint8_t digest[SHA256_DIGEST_BYTES];
  sha256_init(&c);
  sha256_update(&c, header, IMAGE_HASHED_HEADER_BYTES);
  sha256_update(&c, payload, h->payload_bytes);
  sha256_final(&c, digest);
  uint8_t diff = 0;
  for (uint32_t i = 0; i < SHA256_DIGEST_BYTES; i++) diff |= (uint8_t)(digest[i] ^ h->sha256[i]);
  return diff == 0 ? IMAGE_OK : IMAGE_ERR_HASH;
}

image_status_t image_check_signature(const uint8_t header[IMAGE_HEADER_BYTES], const image_header_t *h) {
#if IMAGE_REQUIRE_SIGNATURE
  static const uint8_t SIGNING_PUBKEY[ED25519_PUBLIC_KEY_BYTES] = TINYSER_SIGNING_PUBKEY;
  if (!(h->flags & IMAGE_FLAG_SIGNED)) return IMAGE_ERR_SIGNATURE;
  uint8_t sig[ED25519_SIGNATURE_BYTES];
  for (uint32_t i = 0; i < ED25519_SIGNATURE_BYTES; i++) sig[i] = header[64 + i];
  return ed25519_verify(sig, header, 64, SIGNING_PUBKEY) ? IMAGE_OK : IMAGE_ERR_SIGNATURE;
#else
  (void)header;
  (void)h;
  return IMAGE_OK;
#endif
}

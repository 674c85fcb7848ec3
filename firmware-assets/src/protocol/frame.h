/* Frame = header(7) + body + CRC-32 LE over header+body, COBS-encoded, then 0x00. */
#ifndef TINYSER_FRAME_H
#define TINYSER_FRAME_H
#include <stddef.h>
#include <stdint.h>
#include "protocol.h"

typedef struct {
  uint8_t version;
  uint8_t type;
  uint8_t flags;
  uint16_t seq;
  uint16_t len;
  const uint8_t *body; /* points into the decoder's buffer; valid until the next byte is pushed */
} frame_t;

/* Builds the wire bytes (COBS + delimiter) of one frame into wire (capacity PROTO_MAX_WIRE).
 * Returns the wire length, or 0 if len > PROTO_MAX_BODY. */
size_t frame_encode(uint8_t type, uint8_t flags, uint16_t seq, const uint8_t *body, uint16_t len, uint8_t *wire);

typedef struct {
  uint8_t buf[PROTO_MAX_WIRE];
  size_t fill;
  uint8_t overflowed; /* bytes were dropped since the last delimiter: the frame is bad */
  uint32_t frames_ok;
  uint32_t frames_bad; /* COBS, length, CRC or version failures and overlong frames */
} frame_decoder_t;

void frame_decoder_init(frame_decoder_t *d);
/* Feeds one byte. Returns 1 when a valid frame completed (filled into *out), 0 otherwise.
 * Corrupted frames are counted in frames_bad and never returned. */
int frame_decoder_push(frame_decoder_t *d, uint8_t byte, frame_t *out);
#endif

#include "frame.h"
#include "cobs.h"
#include "crc32.h"

size_t frame_encode(uint8_t type, uint8_t flags, uint16_t seq, const uint8_t *body, uint16_t len, uint8_t *wire) {
  static uint8_t raw[PROTO_MAX_FRAME];
  if (len > PROTO_MAX_BODY) return 0;
  raw[0] = PROTO_VERSION;
  raw[1] = type;
  raw[2] = flags;
  put_u16le(&raw[3], seq);
  put_u16le(&raw[5], len);
  for (uint16_t i = 0; i < len; i++) raw[PROTO_HEADER_BYTES + i] = body[i];
  size_t n = PROTO_HEADER_BYTES + len;
  put_u32le(&raw[n], crc32_ieee(raw, n));
  n += PROTO_CRC_BYTES;
  size_t w = cobs_encode(raw, n, wire);
  wire[w++] = 0;
  return w;
}

void frame_decoder_init(frame_decoder_t *d) {
  d->fill = 0;
  d->overflowed = 0;
  d->frames_ok = 0;
  d->frames_bad = 0;
}

int frame_decoder_push(frame_decoder_t *d, uint8_t byte, frame_t *out) {
  if (byte != 0) {
    if (d->fill < sizeof d->buf) d->buf[d->fill++] = byte;
    else d->overflowed = 1;
    return 0;
  }
  size_t n = d->fill;
  uint8_t overflowed = d->overflowed;
  d->fill = 0;
  d->overflowed = 0;
  if (n == 0) return 0; /* back-to-back delimiters are idle filler, not frames */
  if (overflowed) {
    d->frames_bad++;
    return 0;
  }
  int32_t m = cobs_decode(d->buf, n, d->buf);
  if (m < (int32_t)(PROTO_HEADER_BYTES + PROTO_CRC_BYTES)) {
    d->frames_bad++;
    return 0;
  }
  size_t body_len = (size_t)m - PROTO_HEADER_BYTES - PROTO_CRC_BYTES;
  uint16_t len = get_u16le(&d->buf[5]);
  uint32_t crc = get_u32le(&d->buf[(size_t)m - PROTO_CRC_BYTES]);
  if (len != body_len || d->buf[0] != PROTO_VERSION || crc != crc32_ieee(d->buf, (size_t)m - PROTO_CRC_BYTES)) {
    d->frames_bad++;
    return 0;
  }
  d->frames_ok++;
  out->version = d->buf[0];
  out->type = d->buf[1];
  out->flags = d->buf[2];
  out->seq = get_u16le(&d->buf[3]);
  out->len = len;
  out->body = &d->buf[PROTO_HEADER_BYTES];
  return 1;
}

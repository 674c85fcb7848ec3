/*
 * tinyser serial protocol v1: constants and body layouts shared by firmware and host tests.
 * The byte-level specification is firmware-assets/PROTOCOL.md; device-bridge/protocol/ is the TS twin.
 * Every multi-byte field is little-endian.
 */
#ifndef TINYSER_PROTOCOL_H
#define TINYSER_PROTOCOL_H

#include <stdint.h>

#define PROTO_VERSION 1u
#define PROTO_HEADER_BYTES 7u
#define PROTO_CRC_BYTES 4u
#define PROTO_MAX_BODY 1024u
#define PROTO_MAX_FRAME (PROTO_HEADER_BYTES + PROTO_MAX_BODY + PROTO_CRC_BYTES)
/* COBS adds one code byte per 254 data bytes (plus one), then the 0x00 delimiter. */
#define PROTO_MAX_WIRE (PROTO_MAX_FRAME + PROTO_MAX_FRAME / 254u + 2u)

enum proto_type {
  MSG_HELLO = 0x01,
  MSG_INFO = 0x02,
  MSG_AUDIO = 0x03,
  MSG_RESULT = 0x04,
  MSG_FEATURES = 0x05,
  MSG_LOG = 0x06,
  MSG_FLASH_BEGIN = 0x07,
  MSG_FLASH_DATA = 0x08,
  MSG_FLASH_END = 0x09,
  MSG_BOOT = 0x0A,
  MSG_CONFIRM = 0x0B,
  MSG_RESET = 0x0C,
  MSG_REPLAY = 0x0D,
  MSG_STATS = 0x0E,
  MSG_ACK = 0x7E,
  MSG_NAK = 0x7F
};

/* Header flags. */
#define FLAG_START 0x01u    /* AUDIO: restart the pipeline at this sample offset */
#define FLAG_FEATURES 0x02u /* AUDIO: also stream FEATURES for windows completed by this chunk */
#define FLAG_END 0x04u      /* AUDIO: last chunk of a stream: ship held RESULT records before the ACK */
#define FLAG_BULK 0x08u     /* AUDIO: bulk stream (host waits for the end): hold RESULTs until a frame is full */
#define FLAG_REPLAYED 0x20u /* RESULT: resent from history on REPLAY (not a stream frame) */
#define FLAG_REPLY 0x40u    /* device frame answering a host command; seq echoes the command's seq */
#define FLAG_ANNOUNCE 0x80u /* INFO sent unsolicited at boot; the device stream restarts at seq 0 */

enum proto_nak {
  NAK_BAD_TYPE = 1,
  NAK_BAD_BODY = 2,
  NAK_OFFSET_GAP = 3, /* value = the offset the device expects next */
  NAK_BUSY = 4,
  NAK_IMAGE_BOARD = 5,
  NAK_IMAGE_FORMAT = 6,
  NAK_IMAGE_HASH = 7,
  NAK_IMAGE_SIZE = 8,
  NAK_NO_IMAGE = 9,
  NAK_NOT_PENDING = 10,
  NAK_BAD_SIGNATURE = 11,
  NAK_REPLAY_GONE = 12, /* value = oldest window still in history */
  NAK_NO_FLASH = 13
};

/* Body sizes of the fixed-layout messages (see PROTOCOL.md for field order). */
#define INFO_BOARD_NAME_BYTES 16u
#define INFO_BODY_BYTES 64u
#define ACK_BODY_BYTES 8u
#define STATS_BODY_BYTES 28u
#define AUDIO_HEADER_BYTES 4u
#define RESULT_HEADER_BYTES 2u
#define RESULT_RECORD_FIXED_BYTES 13u
#define FEATURES_HEADER_BYTES 6u
#define FLASH_DATA_HEADER_BYTES 4u
#define REPLAY_BODY_BYTES 6u
/* INFO field offsets that changed meaning in firmware 1.1 (PROTOCOL.md "INFO body"). */
#define INFO_FEATURES_U8_OFFSET 37u  /* min(features, 255): what hosts before 1.1 read */
#define INFO_FEATURES_U16_OFFSET 38u /* features per window, u16 (reserved, 0, before 1.1) */

static inline void put_u16le(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static inline void put_u32le(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}
static inline uint16_t get_u16le(const uint8_t *p) { return (uint16_t)(p[0] | ((uint16_t)p[1] << 8)); }
static inline uint32_t get_u32le(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

#endif

/*
 * Protocol v1 shell for real boards (see tinyser_shell.h). Mirrors the message handling of the
 * emulated firmware (firmware-assets/src/app/main.c) minus flashing and REPLAY, over the same
 * portable sources: protocol/frame.c (COBS + CRC-32) and app/pipeline_ser.c (frontend + model).
 */
#include "tinyser_shell.h"
#include "app/app_pipeline.h"
#include "protocol/frame.h"
#include "protocol/protocol.h"
#include "tinyser_board.h"

#define SHELL_FW_VERSION 0x0100u /* 1.0 */
#define SHELL_CAP_FEATURES 0x2u
#define SHELL_BOOT_SLOT_NONE 0xFFu

static frame_decoder_t decoder;
static uint8_t wire[PROTO_MAX_WIRE];
static uint8_t body[PROTO_MAX_BODY];
static uint8_t batch[PROTO_MAX_BODY];
static uint16_t batch_len = RESULT_HEADER_BYTES;
static uint8_t batch_count;
static uint16_t stream_seq;
static uint32_t tx_frames;
static uint32_t results_produced;
static uint8_t features_requested;
/* Kept outside handle_audio's stack: a 510-sample chunk is 1 KiB, too much for small task stacks. */
static int16_t pcm[(PROTO_MAX_BODY - AUDIO_HEADER_BYTES) / 2u];

static void send_frame(uint8_t type, uint8_t flags, uint16_t seq, const uint8_t *b, uint16_t len) {
  size_t n = frame_encode(type, flags, seq, b, len, wire);
  tinyser_board_write(wire, n);
  tx_frames++;
}

static void send_stream(uint8_t type, const uint8_t *b, uint16_t len) { send_frame(type, 0u, stream_seq++, b, len); }

static void send_ack(uint8_t type, uint16_t seq, uint8_t for_type, uint8_t code, uint32_t value) {
  uint8_t a[ACK_BODY_BYTES];
  put_u16le(&a[0], seq);
  a[2] = for_type;
  a[3] = code;
  put_u32le(&a[4], value);
  send_frame(type, FLAG_REPLY, seq, a, ACK_BODY_BYTES);
}

static void batch_flush(void) {
  if (batch_count == 0u) return;
  batch[0] = batch_count;
  batch[1] = pipeline_info()->num_classes;
  send_stream(MSG_RESULT, batch, batch_len);
  batch_count = 0u;
  batch_len = RESULT_HEADER_BYTES;
}

static void on_result(const pipeline_result_t *r, void *ctx) {
  const pipeline_info_t *info = pipeline_info();
  uint16_t record = (uint16_t)(RESULT_RECORD_FIXED_BYTES + info->num_classes);
  (void)ctx;
  results_produced++;
  if (features_requested) {
    /* Results first, so the host sees window order across both streams. */
    batch_flush();
    put_u32le(&body[0], r->window);
    put_u16le(&body[4], info->num_features);
    for (uint16_t i = 0; i < info->num_features; i++) body[FEATURES_HEADER_BYTES + i] = (uint8_t)r->features[i];
    send_stream(MSG_FEATURES, body, (uint16_t)(FEATURES_HEADER_BYTES + info->num_features));
  }
  if (batch_len + record > PROTO_MAX_BODY || batch_count == 255u) batch_flush();
  {
    uint8_t *p = &batch[batch_len];
    put_u32le(&p[0], r->window);
    put_u32le(&p[4], r->frontend_cycles);
    put_u32le(&p[8], r->model_cycles);
    p[12] = r->top;
    for (uint8_t c = 0; c < info->num_classes; c++) p[13 + c] = (uint8_t)r->scores[c];
  }
  batch_len = (uint16_t)(batch_len + record);
  batch_count++;
}

static void send_info(uint8_t flags, uint16_t seq) {
  const pipeline_info_t *p = pipeline_info();
  static const char name[] = TINYSER_BOARD_NAME;
  uint8_t b[INFO_BODY_BYTES] = {0};
  put_u16le(&b[0], SHELL_FW_VERSION);
  put_u16le(&b[2], PROTO_MAX_BODY);
  put_u32le(&b[4], TINYSER_BOARD_ID);
  put_u32le(&b[8], TINYSER_BOARD_TICK_HZ);
  put_u32le(&b[12], p->model_id);
  put_u32le(&b[16], p->frontend_hash);
  put_u32le(&b[20], p->arena_bytes);
  put_u16le(&b[24], p->sample_rate_hz);
  put_u16le(&b[26], p->window_samples);
  put_u16le(&b[28], p->hop_samples);
  b[30] = p->num_classes;
  b[31] = SHELL_BOOT_SLOT_NONE; /* no A/B slots: the board's own bootloader owns flashing */
  b[37] = (uint8_t)p->num_features;
  put_u32le(&b[40], pipeline_next_offset());
  put_u32le(&b[44], SHELL_CAP_FEATURES);
  for (uint32_t i = 0; i < INFO_BOARD_NAME_BYTES && name[i]; i++) b[48 + i] = (uint8_t)name[i];
  send_frame(MSG_INFO, flags, (flags & FLAG_ANNOUNCE) ? stream_seq++ : seq, b, INFO_BODY_BYTES);
}

static void send_stats(uint16_t seq) {
  uint8_t b[STATS_BODY_BYTES];
  put_u32le(&b[0], decoder.frames_ok);
  put_u32le(&b[4], decoder.frames_bad);
  put_u32le(&b[8], tx_frames);
  put_u32le(&b[12], results_produced);
  put_u32le(&b[16], stream_seq);
  put_u32le(&b[20], 0u); /* no REPLAY history on real-board templates */
  put_u32le(&b[24], board_cycles32());
  send_frame(MSG_STATS, FLAG_REPLY, seq, b, STATS_BODY_BYTES);
}

static void handle_audio(const frame_t *f) {
  uint32_t offset, n, expected;
  if (f->len < AUDIO_HEADER_BYTES || ((f->len - AUDIO_HEADER_BYTES) & 1u)) {
    send_ack(MSG_NAK, f->seq, f->type, NAK_BAD_BODY, 0u);
    return;
  }
  offset = get_u32le(f->body);
  n = (uint32_t)(f->len - AUDIO_HEADER_BYTES) / 2u;
  if (f->flags & FLAG_START) {
    batch_flush();
    pipeline_reset(offset);
  }
  expected = pipeline_next_offset();
  if (offset < expected) {
    send_ack(MSG_ACK, f->seq, f->type, 0u, expected); /* duplicate after a lost ACK */
    return;
  }
  if (offset > expected) {
    send_ack(MSG_NAK, f->seq, f->type, NAK_OFFSET_GAP, expected);
    return;
  }
  features_requested = (f->flags & FLAG_FEATURES) != 0u;
  for (uint32_t i = 0; i < n; i++) pcm[i] = (int16_t)get_u16le(&f->body[AUDIO_HEADER_BYTES + 2u * i]);
  pipeline_push_audio(pcm, n);
  send_ack(MSG_ACK, f->seq, f->type, 0u, pipeline_next_offset());
}

static void handle_frame(const frame_t *f) {
  switch (f->type) {
    case MSG_HELLO:
      batch_flush();
      send_info(FLAG_REPLY, f->seq);
      break;
    case MSG_STATS:
      batch_flush();
      send_stats(f->seq);
      break;
    case MSG_AUDIO:
      handle_audio(f);
      break;
    case MSG_FLASH_BEGIN:
    case MSG_FLASH_DATA:
    case MSG_FLASH_END:
    case MSG_BOOT:
    case MSG_CONFIRM:
      send_ack(MSG_NAK, f->seq, f->type, NAK_NO_FLASH, 0u);
      break;
    case MSG_RESET:
      batch_flush();
      send_ack(MSG_ACK, f->seq, f->type, 0u, 0u);
      tinyser_board_reset();
      break;
    default:
      send_ack(MSG_NAK, f->seq, f->type, NAK_BAD_TYPE, f->type);
      break;
  }
}

void tinyser_shell_init(void) {
  frame_decoder_init(&decoder);
  batch_len = RESULT_HEADER_BYTES;
  batch_count = 0u;
  pipeline_init(on_result, 0);
  send_info(FLAG_ANNOUNCE, 0u);
}

void tinyser_shell_rx(uint8_t byte) {
  frame_t f;
  if (frame_decoder_push(&decoder, byte, &f)) handle_frame(&f);
}

void tinyser_shell_idle(void) { batch_flush(); }

/*
 * Firmware application: protocol v1 over UART0, the audio pipeline behind app_pipeline.h, results
 * history for REPLAY, and the device side of flashing. Single-threaded: the UART ISRs only move
 * bytes; every frame is handled here.
 */
#include <stdint.h>
#include "../../boards/mps2-an386/board.h"
#include "../boot/boot_state.h"
#include "../boot/flash_writer.h"
#include "../protocol/frame.h"
#include "../protocol/protocol.h"
#include "app_pipeline.h"
#include "bootinfo.h"

#define FW_VERSION 0x0100u /* 1.0 */
#define RESULT_HISTORY 256u /* results kept for REPLAY after a lost RESULT frame */
#define LOG_INFO 1u
#define LOG_WARN 2u
#define CAP_FLASH 0x1u
#define CAP_FEATURES 0x2u
#define CAP_REPLAY 0x4u
#define CAP_SIGNATURES 0x8u /* images must carry a valid ed25519 signature */
#define SLOT_BYTES 0x00100000u
#define META_COPY_BYTES 0x1000u

typedef struct {
  uint32_t window;
  uint32_t frontend_cycles;
  uint32_t model_cycles;
  uint8_t top;
  int8_t scores[PIPELINE_MAX_CLASSES];
} result_record_t;

static const boot_layout_t LAYOUT = {
    .meta = {(uint8_t *)BOARD_PSRAM_ADDR, (uint8_t *)(BOARD_PSRAM_ADDR + META_COPY_BYTES)},
    .slot = {(uint8_t *)(BOARD_PSRAM_ADDR + 0x10000u), (uint8_t *)(BOARD_PSRAM_ADDR + 0x10000u + SLOT_BYTES)},
    .slot_bytes = SLOT_BYTES,
};

static frame_decoder_t decoder;
static uint8_t wire[PROTO_MAX_WIRE];
static uint8_t body[PROTO_MAX_BODY];
static uint16_t stream_seq;
static uint32_t tx_frames;
static uint32_t results_produced;
static result_record_t history[RESULT_HISTORY];
static uint32_t history_count; /* total records ever stored; the newest is at (count - 1) % HISTORY */
static uint8_t batch[PROTO_MAX_BODY];
static uint16_t batch_len;
static uint8_t batch_count;
static uint8_t features_requested;
static flash_writer_t flash;
static bootinfo_t boot;

static void send_frame(uint8_t type, uint8_t flags, uint16_t seq, const uint8_t *b, uint16_t len) {
  size_t n = frame_encode(type, flags, seq, b, len, wire);
  board_uart_write(wire, n);
  tx_frames++;
}

static void send_stream(uint8_t type, const uint8_t *b, uint16_t len) { send_frame(type, 0, stream_seq++, b, len); }

static void send_ack(uint8_t type, uint16_t seq, uint8_t for_type, uint8_t code, uint32_t value) {
  uint8_t a[ACK_BODY_BYTES];
  put_u16le(&a[0], seq);
  a[2] = for_type;
  a[3] = code;
  put_u32le(&a[4], value);
  send_frame(type, FLAG_REPLY, seq, a, ACK_BODY_BYTES);
}

static uint16_t result_record_bytes(void) { return (uint16_t)(RESULT_RECORD_FIXED_BYTES + pipeline_info()->num_classes); }

static uint16_t put_record(uint8_t *p, const result_record_t *r) {
  uint8_t nc = pipeline_info()->num_classes;
  put_u32le(&p[0], r->window);
  put_u32le(&p[4], r->frontend_cycles);
  put_u32le(&p[8], r->model_cycles);
  p[12] = r->top;
  for (uint8_t c = 0; c < nc; c++) p[13 + c] = (uint8_t)r->scores[c];
  return (uint16_t)(13u + nc);
}

static void batch_flush(void) {
  if (batch_count == 0) return;
  batch[0] = batch_count;
  batch[1] = pipeline_info()->num_classes;
  send_stream(MSG_RESULT, batch, batch_len);
  batch_count = 0;
  batch_len = RESULT_HEADER_BYTES;
}

static void on_result(const pipeline_result_t *r, void *ctx) {
  (void)ctx;
  const pipeline_info_t *info = pipeline_info();
  result_record_t *h = &history[history_count % RESULT_HISTORY];
  history_count++;
  results_produced++;
  h->window = r->window;
  h->frontend_cycles = r->frontend_cycles;
  h->model_cycles = r->model_cycles;
  h->top = r->top;
  for (uint8_t c = 0; c < info->num_classes; c++) h->scores[c] = r->scores[c];
  if (features_requested) {
    /* Results first, so the host sees window order across both streams. */
    batch_flush();
    put_u32le(&body[0], r->window);
    put_u16le(&body[4], info->num_features);
    for (uint16_t i = 0; i < info->num_features; i++) body[FEATURES_HEADER_BYTES + i] = (uint8_t)r->features[i];
    send_stream(MSG_FEATURES, body, (uint16_t)(FEATURES_HEADER_BYTES + info->num_features));
  }
  if (batch_len + result_record_bytes() > PROTO_MAX_BODY || batch_count == 255u) batch_flush();
  batch_len = (uint16_t)(batch_len + put_record(&batch[batch_len], h));
  batch_count++;
}

static void send_log(uint8_t level, const char *text) {
  uint16_t n = 0;
  body[n++] = level;
  while (*text && n < PROTO_MAX_BODY) body[n++] = (uint8_t)*text++;
  send_stream(MSG_LOG, body, n);
}

static void send_info(uint8_t flags, uint16_t seq) {
  const pipeline_info_t *p = pipeline_info();
  uint8_t b[INFO_BODY_BYTES] = {0};
  static const char name[] = BOARD_NAME;
  put_u16le(&b[0], FW_VERSION);
  put_u16le(&b[2], PROTO_MAX_BODY);
  put_u32le(&b[4], BOARD_ID);
  put_u32le(&b[8], BOARD_CPU_HZ);
  put_u32le(&b[12], p->model_id);
  put_u32le(&b[16], p->frontend_hash);
  put_u32le(&b[20], p->arena_bytes);
  put_u16le(&b[24], p->sample_rate_hz);
  put_u16le(&b[26], p->window_samples);
  put_u16le(&b[28], p->hop_samples);
  b[30] = p->num_classes;
  b[31] = boot.slot;
  put_u32le(&b[32], boot.image_version);
  b[36] = (uint8_t)((flash.running_pending ? 1u : 0u) | (boot.rolled_back ? 2u : 0u));
  b[37] = (uint8_t)p->num_features;
  put_u32le(&b[40], pipeline_next_offset());
  put_u32le(&b[44], CAP_FLASH | CAP_FEATURES | CAP_REPLAY | (IMAGE_REQUIRE_SIGNATURE ? CAP_SIGNATURES : 0u));
  for (uint32_t i = 0; i < INFO_BOARD_NAME_BYTES && name[i]; i++) b[48 + i] = (uint8_t)name[i];
  if (flags & FLAG_ANNOUNCE) send_frame(MSG_INFO, flags, stream_seq++, b, INFO_BODY_BYTES);
  else send_frame(MSG_INFO, flags, seq, b, INFO_BODY_BYTES);
}

static void send_stats(uint16_t seq) {
  uint8_t b[STATS_BODY_BYTES];
  put_u32le(&b[0], decoder.frames_ok);
  put_u32le(&b[4], decoder.frames_bad);
  put_u32le(&b[8], tx_frames);
  put_u32le(&b[12], results_produced);
  put_u32le(&b[16], stream_seq);
  put_u32le(&b[20], history_count);
  put_u32le(&b[24], board_cycles32());
  send_frame(MSG_STATS, FLAG_REPLY, seq, b, STATS_BODY_BYTES);
}

static void handle_audio(const frame_t *f) {
  if (f->len < AUDIO_HEADER_BYTES || ((f->len - AUDIO_HEADER_BYTES) & 1u)) {
    send_ack(MSG_NAK, f->seq, f->type, NAK_BAD_BODY, 0);
    return;
  }
  uint32_t offset = get_u32le(f->body);
  uint32_t n = (f->len - AUDIO_HEADER_BYTES) / 2u;
  if (f->flags & FLAG_START) {
    batch_flush();
    pipeline_reset(offset);
  }
  uint32_t expected = pipeline_next_offset();
  if (offset < expected) {
    send_ack(MSG_ACK, f->seq, f->type, 0, expected); /* duplicate after a lost ACK */
    return;
  }
  if (offset > expected) {
    send_ack(MSG_NAK, f->seq, f->type, NAK_OFFSET_GAP, expected);
    return;
  }
  features_requested = (f->flags & FLAG_FEATURES) != 0;
  /* Body bytes are little-endian int16; copy through an aligned buffer. */
  static int16_t pcm[(PROTO_MAX_BODY - AUDIO_HEADER_BYTES) / 2u];
  for (uint32_t i = 0; i < n; i++) pcm[i] = (int16_t)get_u16le(&f->body[AUDIO_HEADER_BYTES + 2u * i]);
  pipeline_push_audio(pcm, n);
  send_ack(MSG_ACK, f->seq, f->type, 0, pipeline_next_offset());
}

static void handle_replay(const frame_t *f) {
  if (f->len != REPLAY_BODY_BYTES) {
    send_ack(MSG_NAK, f->seq, f->type, NAK_BAD_BODY, 0);
    return;
  }
  uint32_t from = get_u32le(f->body);
  uint32_t count = get_u16le(&f->body[4]);
  uint32_t kept = history_count < RESULT_HISTORY ? history_count : RESULT_HISTORY;
  uint32_t oldest = kept ? history[(history_count - kept) % RESULT_HISTORY].window : 0;
  if (kept == 0 || from < oldest) {
    send_ack(MSG_NAK, f->seq, f->type, NAK_REPLAY_GONE, oldest);
    return;
  }
  uint8_t nc = pipeline_info()->num_classes;
  uint16_t len = RESULT_HEADER_BYTES;
  uint8_t cnt = 0;
  uint32_t sent = 0;
  for (uint32_t k = history_count - kept; k < history_count; k++) {
    const result_record_t *r = &history[k % RESULT_HISTORY];
    if (r->window < from || r->window >= from + count) continue;
    if (len + result_record_bytes() > PROTO_MAX_BODY || cnt == 255u) {
      body[0] = cnt;
      body[1] = nc;
      send_frame(MSG_RESULT, FLAG_REPLY | FLAG_REPLAYED, f->seq, body, len);
      len = RESULT_HEADER_BYTES;
      cnt = 0;
    }
    len = (uint16_t)(len + put_record(&body[len], r));
    cnt++;
    sent++;
  }
  if (cnt) {
    body[0] = cnt;
    body[1] = nc;
    send_frame(MSG_RESULT, FLAG_REPLY | FLAG_REPLAYED, f->seq, body, len);
  }
  send_ack(MSG_ACK, f->seq, f->type, 0, sent);
}

static void handle_frame(const frame_t *f) {
  uint32_t value = 0;
  uint8_t code;
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
    case MSG_REPLAY:
      batch_flush();
      handle_replay(f);
      break;
    case MSG_FLASH_BEGIN:
      code = flash_writer_begin(&flash, f->body, f->len, &value);
      send_ack(code ? MSG_NAK : MSG_ACK, f->seq, f->type, code, value);
      break;
    case MSG_FLASH_DATA:
      if (f->len < FLASH_DATA_HEADER_BYTES) code = NAK_BAD_BODY;
      else
        code = flash_writer_data(&flash, get_u32le(f->body), &f->body[FLASH_DATA_HEADER_BYTES],
                                 (uint16_t)(f->len - FLASH_DATA_HEADER_BYTES), &value);
      send_ack(code ? MSG_NAK : MSG_ACK, f->seq, f->type, code, value);
      break;
    case MSG_FLASH_END:
      code = flash_writer_end(&flash, &value);
      send_ack(code ? MSG_NAK : MSG_ACK, f->seq, f->type, code, value);
      break;
    case MSG_CONFIRM:
      code = flash_writer_confirm(&flash, &value);
      send_ack(code ? MSG_NAK : MSG_ACK, f->seq, f->type, code, value);
      break;
    case MSG_BOOT:
      if (!flash.complete) {
        send_ack(MSG_NAK, f->seq, f->type, NAK_NO_IMAGE, 0);
        break;
      }
      send_ack(MSG_ACK, f->seq, f->type, 0, flash.target);
      board_reset();
      break;
    case MSG_RESET:
      batch_flush();
      send_ack(MSG_ACK, f->seq, f->type, 0, 0);
      board_reset();
      break;
    default:
      send_ack(MSG_NAK, f->seq, f->type, NAK_BAD_TYPE, f->type);
      break;
  }
}

int main(void) {
  const volatile bootinfo_t *bi = (const volatile bootinfo_t *)BOARD_BOOTINFO_ADDR;
  if (bi->magic == BOOTINFO_MAGIC) {
    boot.image_version = bi->image_version;
    boot.slot = bi->slot;
    boot.pending = bi->pending;
    boot.rolled_back = bi->rolled_back;
  } else {
    boot.slot = BOOT_SLOT_NONE;
  }
  board_init();
  frame_decoder_init(&decoder);
  flash_writer_init(&flash, &LAYOUT, BOARD_ID, BOARD_EXEC_ADDR, boot.slot, boot.pending);
  batch_len = RESULT_HEADER_BYTES;
  pipeline_init(on_result, 0);
  send_info(FLAG_ANNOUNCE, 0);
  if (boot.rolled_back) send_log(LOG_WARN, "pending image was not confirmed: rolled back");
  for (;;) {
    int32_t b = board_uart_read();
    if (b < 0) {
      batch_flush(); /* nothing more to read now: ship what we have */
      board_idle();
      continue;
    }
    frame_t f;
    if (frame_decoder_push(&decoder, (uint8_t)b, &f)) handle_frame(&f);
  }
}

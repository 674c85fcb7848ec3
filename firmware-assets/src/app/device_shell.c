#include "device_shell.h"
#include "../protocol/protocol.h"
#include "app_pipeline.h"

#define SHELL_STATIC_ASSERT(cond, name) typedef char shell_static_assert_##name[(cond) ? 1 : -1]
SHELL_STATIC_ASSERT(PIPELINE_MAX_CLASSES <= RESULT_MAX_CLASSES, pipeline_classes_fit_records);

static const device_shell_port_t *port;
static frame_decoder_t decoder;
static uint8_t wire[PROTO_MAX_WIRE];
static uint8_t body[PROTO_MAX_BODY];
static result_batch_t batch;
static uint16_t stream_seq;
static uint32_t tx_frames;
static uint32_t results_produced;
static uint8_t features_requested;
/* Static, not on the stack: a 510-sample chunk is 1 KiB, too much for small task stacks. */
static int16_t pcm[(PROTO_MAX_BODY - AUDIO_HEADER_BYTES) / 2u];

void device_shell_send_frame(uint8_t type, uint8_t flags, uint16_t seq, const uint8_t *b, uint16_t len) {
  size_t n = frame_encode(type, flags, seq, b, len, wire);
  port->write(wire, n);
  tx_frames++;
}

static void send_stream(uint8_t type, const uint8_t *b, uint16_t len) { device_shell_send_frame(type, 0, stream_seq++, b, len); }

static void send_result_batch(const uint8_t *b, uint16_t len, void *ctx) {
  (void)ctx;
  send_stream(MSG_RESULT, b, len);
}

void device_shell_send_ack(uint8_t type, uint16_t seq, uint8_t for_type, uint8_t code, uint32_t value) {
  uint8_t a[ACK_BODY_BYTES];
  put_u16le(&a[0], seq);
  a[2] = for_type;
  a[3] = code;
  put_u32le(&a[4], value);
  device_shell_send_frame(type, FLAG_REPLY, seq, a, ACK_BODY_BYTES);
}

void device_shell_send_log(uint8_t level, const char *text) {
  uint16_t n = 0;
  body[n++] = level;
  while (*text && n < PROTO_MAX_BODY) body[n++] = (uint8_t)*text++;
  send_stream(MSG_LOG, body, n);
}

static void on_result(const pipeline_result_t *r, void *ctx) {
  const pipeline_info_t *info = pipeline_info();
  result_record_t rec;
  (void)ctx;
  results_produced++;
  rec.window = r->window;
  rec.frontend_ticks = r->frontend_cycles;
  rec.model_ticks = r->model_cycles;
  rec.top = r->top;
  for (uint8_t c = 0; c < info->num_classes; c++) rec.scores[c] = r->scores[c];
  if (port->on_result) port->on_result(&rec);
  if (features_requested) {
    /* FEATURES go at once; RESULT records are batched. Each stream is in window order on its own. */
    put_u32le(&body[0], r->window);
    put_u16le(&body[4], info->num_features);
    for (uint16_t i = 0; i < info->num_features; i++) body[FEATURES_HEADER_BYTES + i] = (uint8_t)r->features[i];
    send_stream(MSG_FEATURES, body, (uint16_t)(FEATURES_HEADER_BYTES + info->num_features));
  }
  result_batch_add(&batch, &rec, board_cycles32());
}

static void send_info(uint8_t flags, uint16_t seq) {
  const pipeline_info_t *p = pipeline_info();
  uint8_t b[INFO_BODY_BYTES] = {0};
  put_u16le(&b[0], port->fw_version);
  put_u16le(&b[2], PROTO_MAX_BODY);
  put_u32le(&b[4], port->board_id);
  put_u32le(&b[8], port->tick_hz);
  put_u32le(&b[12], p->model_id);
  put_u32le(&b[16], p->frontend_hash);
  put_u32le(&b[20], p->arena_bytes);
  put_u16le(&b[24], p->sample_rate_hz);
  put_u16le(&b[26], p->window_samples);
  put_u16le(&b[28], p->hop_samples);
  b[30] = p->num_classes;
  b[31] = DEVICE_SHELL_BOOT_SLOT_NONE;
  if (port->info_fields) port->info_fields(b);
  /* Hosts before firmware 1.1 read a u8 at 37: saturate it rather than let 1000 read as 232. */
  b[INFO_FEATURES_U8_OFFSET] = (uint8_t)(p->num_features > 0xFFu ? 0xFFu : p->num_features);
  put_u16le(&b[INFO_FEATURES_U16_OFFSET], p->num_features);
  put_u32le(&b[40], pipeline_next_offset());
  put_u32le(&b[44], port->capabilities);
  for (uint32_t i = 0; i < INFO_BOARD_NAME_BYTES && port->board_name[i]; i++) b[48 + i] = (uint8_t)port->board_name[i];
  /* The announce is a stream frame (seq 0 after a reset); a HELLO reply echoes the command's seq. */
  device_shell_send_frame(MSG_INFO, flags, (flags & FLAG_ANNOUNCE) ? stream_seq++ : seq, b, INFO_BODY_BYTES);
}

static void send_stats(uint16_t seq) {
  uint8_t b[STATS_BODY_BYTES];
  put_u32le(&b[0], decoder.frames_ok);
  put_u32le(&b[4], decoder.frames_bad);
  put_u32le(&b[8], tx_frames);
  put_u32le(&b[12], results_produced);
  put_u32le(&b[16], stream_seq);
  put_u32le(&b[20], port->history_count ? port->history_count() : 0u);
  put_u32le(&b[24], board_cycles32());
  device_shell_send_frame(MSG_STATS, FLAG_REPLY, seq, b, STATS_BODY_BYTES);
}

static void handle_audio(const frame_t *f) {
  uint32_t offset, n, expected;
  if (f->len < AUDIO_HEADER_BYTES || ((f->len - AUDIO_HEADER_BYTES) & 1u)) {
    device_shell_send_ack(MSG_NAK, f->seq, f->type, NAK_BAD_BODY, 0);
    return;
  }
  offset = get_u32le(f->body);
  n = (uint32_t)(f->len - AUDIO_HEADER_BYTES) / 2u;
  if (f->flags & FLAG_START) {
    result_batch_flush(&batch); /* the previous stream's records first */
    pipeline_reset(offset);
  }
  expected = pipeline_next_offset();
  if (offset < expected) {
    /* A retransmission after a lost ACK: nothing to apply, but END still means "ship now". */
    if (f->flags & FLAG_END) result_batch_flush(&batch);
    device_shell_send_ack(MSG_ACK, f->seq, f->type, 0, expected);
    return;
  }
  if (offset > expected) {
    device_shell_send_ack(MSG_NAK, f->seq, f->type, NAK_OFFSET_GAP, expected);
    return;
  }
  features_requested = (f->flags & FLAG_FEATURES) != 0;
  batch.bulk = (f->flags & FLAG_BULK) != 0;
  /* Body bytes are little-endian int16; copy through an aligned buffer. */
  for (uint32_t i = 0; i < n; i++) pcm[i] = (int16_t)get_u16le(&f->body[AUDIO_HEADER_BYTES + 2u * i]);
  pipeline_push_audio(pcm, n);
  /* END: the stream's last records go before the ACK, so the ACK means "all results sent". */
  if (f->flags & FLAG_END) result_batch_flush(&batch);
  device_shell_send_ack(MSG_ACK, f->seq, f->type, 0, pipeline_next_offset());
}

static void handle_frame(const frame_t *f) {
  if (f->type == MSG_AUDIO) {
    handle_audio(f);
    return;
  }
  /* Every other command is answered after the held results: a reply never overtakes a result. */
  result_batch_flush(&batch);
  switch (f->type) {
    case MSG_HELLO:
      send_info(FLAG_REPLY, f->seq);
      break;
    case MSG_STATS:
      send_stats(f->seq);
      break;
    case MSG_RESET:
      device_shell_send_ack(MSG_ACK, f->seq, f->type, 0, 0);
      port->reset();
      break;
    default:
      if (!port->command || !port->command(f)) device_shell_send_ack(MSG_NAK, f->seq, f->type, NAK_BAD_TYPE, f->type);
      break;
  }
}

void device_shell_init(const device_shell_port_t *p) {
  port = p;
  stream_seq = 0;
  tx_frames = 0;
  results_produced = 0;
  features_requested = 0;
  frame_decoder_init(&decoder);
  result_batch_init(&batch, pipeline_info()->num_classes, (p->tick_hz / 1000u) * DEVICE_SHELL_RESULT_HOLD_MS, send_result_batch, 0);
  pipeline_init(on_result, 0);
  send_info(FLAG_ANNOUNCE, 0);
}

void device_shell_rx(uint8_t byte) {
  frame_t f;
  if (frame_decoder_push(&decoder, byte, &f)) {
    handle_frame(&f);
    device_shell_poll(); /* a steady input stream must not starve the hold-time check */
  }
}

void device_shell_poll(void) { result_batch_poll(&batch, board_cycles32()); }

#include "result_batch.h"

uint16_t result_record_bytes(uint8_t num_classes) { return (uint16_t)(RESULT_RECORD_FIXED_BYTES + num_classes); }

uint16_t result_record_put(uint8_t *p, const result_record_t *r, uint8_t num_classes) {
  put_u32le(&p[0], r->window);
  put_u32le(&p[4], r->frontend_ticks);
  put_u32le(&p[8], r->model_ticks);
  p[12] = r->top;
  for (uint8_t c = 0; c < num_classes; c++) p[RESULT_RECORD_FIXED_BYTES + c] = (uint8_t)r->scores[c];
  return result_record_bytes(num_classes);
}

void result_batch_init(result_batch_t *b, uint8_t num_classes, uint32_t hold_ticks, result_batch_send_fn send, void *ctx) {
  b->len = RESULT_HEADER_BYTES;
  b->count = 0;
  b->num_classes = num_classes;
  b->bulk = 0;
  b->oldest_ticks = 0;
  b->hold_ticks = hold_ticks;
  b->send = send;
  b->ctx = ctx;
}

void result_batch_flush(result_batch_t *b) {
  if (b->count == 0) return;
  b->body[0] = b->count;
  b->body[1] = b->num_classes;
  b->send(b->body, b->len, b->ctx);
  b->count = 0;
  b->len = RESULT_HEADER_BYTES;
}

static int batch_full(const result_batch_t *b) {
  return b->len + result_record_bytes(b->num_classes) > PROTO_MAX_BODY || b->count == RESULT_MAX_RECORDS;
}

void result_batch_add(result_batch_t *b, const result_record_t *r, uint32_t now_ticks) {
  if (batch_full(b)) result_batch_flush(b);
  if (b->count == 0) b->oldest_ticks = now_ticks;
  b->len = (uint16_t)(b->len + result_record_put(&b->body[b->len], r, b->num_classes));
  b->count++;
  /* A full frame gains nothing by waiting. */
  if (batch_full(b)) result_batch_flush(b);
}

void result_batch_poll(result_batch_t *b, uint32_t now_ticks) {
  /* Unsigned difference: correct across one wrap of the 32-bit tick counter. */
  if (b->count && !b->bulk && now_ticks - b->oldest_ticks >= b->hold_ticks) result_batch_flush(b);
}

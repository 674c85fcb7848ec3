/*
 * RESULT batching (PROTOCOL.md "RESULT batching"): records accumulate in one RESULT body and leave
 * as one frame, so the 13-byte frame overhead (header, CRC, COBS, delimiter) and the 2-byte batch
 * header are shared by many records. The held records are sent when
 *   - the next record would not fit MAX_BODY (or 255 records),
 *   - the oldest held record has waited hold_ticks (live streams only: the latency bound),
 *   - the caller flushes: end of a stream (AUDIO END), a new stream (AUDIO START), and before the
 *     reply to any host command other than AUDIO, so replies never overtake results.
 * A bulk stream (AUDIO BULK) lifts the time bound: its records leave in full frames.
 * Pure logic: time comes in as board ticks, frames go out through the send callback.
 */
#ifndef TINYSER_RESULT_BATCH_H
#define TINYSER_RESULT_BATCH_H
#include <stdint.h>
#include "protocol.h"

#define RESULT_MAX_CLASSES 16u /* scores per record this firmware can hold */
#define RESULT_MAX_RECORDS 255u /* count is a u8 */

typedef struct {
  uint32_t window;
  uint32_t frontend_ticks;
  uint32_t model_ticks;
  uint8_t top;
  int8_t scores[RESULT_MAX_CLASSES];
} result_record_t;

/* Sends one RESULT body (count u8, nClasses u8, records) as a stream frame. */
typedef void (*result_batch_send_fn)(const uint8_t *body, uint16_t len, void *ctx);

typedef struct {
  uint8_t body[PROTO_MAX_BODY];
  uint16_t len;
  uint8_t count;
  uint8_t num_classes;
  uint8_t bulk;          /* 1: no time bound (set per AUDIO chunk from FLAG_BULK) */
  uint32_t oldest_ticks; /* when the first held record was added */
  uint32_t hold_ticks;   /* latency bound of live streams, in board ticks */
  result_batch_send_fn send;
  void *ctx;
} result_batch_t;

/* Wire size of one record: window u32, frontend ticks u32, model ticks u32, top u8, scores int8[n]. */
uint16_t result_record_bytes(uint8_t num_classes);
/* Writes one record at p; returns its size. Also used for REPLAY frames. */
uint16_t result_record_put(uint8_t *p, const result_record_t *r, uint8_t num_classes);

void result_batch_init(result_batch_t *b, uint8_t num_classes, uint32_t hold_ticks, result_batch_send_fn send, void *ctx);
/* Holds one more record (sending the held batch first when the record would not fit). */
void result_batch_add(result_batch_t *b, const result_record_t *r, uint32_t now_ticks);
/* Sends the held records if the oldest has waited hold_ticks and the stream is not bulk. */
void result_batch_poll(result_batch_t *b, uint32_t now_ticks);
/* Sends the held records now (no-op when none are held). */
void result_batch_flush(result_batch_t *b);
#endif

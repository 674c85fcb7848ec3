/*
 * Streaming frontend (twin of createFixedFrontend in runtime-sim/frontend/fixed/frontend-fixed.ts):
 * buffers one window plus the pre-emphasis history sample and emits a frame every hop, the exact
 * frames the batch path computes whatever the chunk sizes. State lives in tsr_frontend_t; no malloc.
 */
#include <stddef.h>
#include <string.h>
#include "tsr_frontend.h"
#include "tsr_fixed_math.h"

TSR_STATIC_ASSERT(TSR_WINDOW_SAMPLES <= TSR_FFT_SIZE, window_fits_fft);
TSR_STATIC_ASSERT(TSR_HOP_SAMPLES >= 1, hop_positive);

void tsr_frontend_init(tsr_frontend_t *st) {
  memset(st, 0, sizeof(*st));
}

void tsr_frontend_reset_at(tsr_frontend_t *st, uint32_t sample_offset) {
  const uint32_t frame = sample_offset / TSR_HOP_SAMPLES + (sample_offset % TSR_HOP_SAMPLES != 0u);
  st->buf[0] = 0;
  st->len = 0;
  st->next_frame = frame;
  st->skip = frame * TSR_HOP_SAMPLES - sample_offset;
  st->consumed = 0;
}

uint32_t tsr_frontend_next_frame(const tsr_frontend_t *st) { return st->next_frame; }

uint32_t tsr_frontend_frames_for(const tsr_frontend_t *st, uint32_t n) {
  /* samples still needed for the next frame, counted from now */
  const uint64_t first = (uint64_t)st->skip + (TSR_WINDOW_SAMPLES - st->len);
  if (n < first) return 0;
  return (uint32_t)(1 + (n - first) / TSR_HOP_SAMPLES);
}

/* Moves the buffer to the frame one hop later. */
static void advance_one_hop(tsr_frontend_t *st) {
#if TSR_HOP_SAMPLES < TSR_WINDOW_SAMPLES
  st->buf[0] = st->buf[TSR_HOP_SAMPLES];
  memmove(&st->buf[1], &st->buf[1 + TSR_HOP_SAMPLES], (TSR_WINDOW_SAMPLES - TSR_HOP_SAMPLES) * sizeof(st->buf[0]));
  st->len = TSR_WINDOW_SAMPLES - TSR_HOP_SAMPLES;
#else
  st->buf[0] = st->buf[TSR_WINDOW_SAMPLES];
  st->len = 0;
  st->skip = TSR_HOP_SAMPLES - TSR_WINDOW_SAMPLES;
#endif
  st->next_frame++;
}

uint32_t tsr_frontend_push(tsr_frontend_t *st, const int16_t *pcm, uint32_t n, int8_t *out_frames, uint32_t max_frames) {
  uint32_t used = 0;
  uint32_t frames = 0;
  while (used < n) {
    uint32_t need, take;
    if (st->skip > 0) {
      take = n - used < st->skip ? n - used : st->skip;
      st->buf[0] = pcm[used + take - 1]; /* the last dropped sample is the next frame's history */
      st->skip -= take;
      used += take;
      continue;
    }
    need = TSR_WINDOW_SAMPLES - st->len; /* >= 1 */
    if (frames == max_frames) need -= 1; /* buffer up to, never including, the completing sample */
    take = n - used < need ? n - used : need;
    if (take == 0) break;
    memcpy(&st->buf[1 + st->len], &pcm[used], take * sizeof(pcm[0]));
    st->len += take;
    used += take;
    if (st->len == TSR_WINDOW_SAMPLES) {
      int8_t *row = &out_frames[(size_t)frames * TSR_FEATURE_DIMS];
#if TSR_FEATURE_IS_MFCC
      st->saturated += tsr_frontend_frame_q20(&st->work, &st->buf[1], st->buf[0], st->logmel_q20, st->mfcc_q20, row);
#else
      st->saturated += tsr_frontend_frame_q20(&st->work, &st->buf[1], st->buf[0], st->logmel_q20, NULL, row);
#endif
      frames++;
      advance_one_hop(st);
    }
  }
  st->consumed = used;
  return frames;
}

uint32_t tsr_frontend_frame(const int16_t window[], int8_t out[]) {
  static tsr_frontend_work_t work;
  int32_t logmel_q20[TSR_MEL_BANDS];
#if TSR_FEATURE_IS_MFCC
  int32_t mfcc_q20[TSR_MFCC_COUNT];
  return tsr_frontend_frame_q20(&work, window, 0, logmel_q20, mfcc_q20, out);
#else
  return tsr_frontend_frame_q20(&work, window, 0, logmel_q20, NULL, out);
#endif
}

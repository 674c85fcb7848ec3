/*
 * tinyser fixed-point log-mel / MFCC frontend, C99 twin of runtime-sim/frontend/fixed/ (the TS code is
 * the specification; this is bit-exact with it: int8 output and the Q20 log-mel / MFCC).
 *
 * The configuration is compiled in: tsr_frontend_tables.h/.c are generated from the TS config by
 * runtime-sim/frontend-c-export (sizes TSR_*, integer tables, TSR_FRONTEND_CONFIG_HASH_U32). No malloc,
 * no recursion, no float math; every buffer is sized by a named constant of that header.
 *
 * Frame t covers absolute samples [t*hop, t*hop + window); pre-emphasis uses the sample before the
 * frame (0 for the first frame of the signal). Output per frame: TSR_FEATURE_DIMS int8 values
 * (log-mel or MFCC, normalization and the model input's scale / zero point folded in).
 */
#ifndef TSR_FRONTEND_H
#define TSR_FRONTEND_H
#include <stdint.h>
#include "tsr_frontend_tables.h"

/* Scratch of one frame computation (about 6 KiB for a 512-point FFT). */
typedef struct {
  int32_t re[TSR_FFT_HALF];
  int32_t im[TSR_FFT_HALF];
  int32_t yr[TSR_FFT_BINS];
  int32_t yi[TSR_FFT_BINS];
  uint64_t power[TSR_FFT_BINS];
} tsr_frontend_work_t;

/* Streaming state. buf[0] is the sample before the next frame (pre-emphasis history),
 * buf[1 .. len] the buffered samples of the next frame. */
typedef struct {
  int16_t buf[1 + TSR_WINDOW_SAMPLES];
  uint32_t len;            /* samples of the next frame already buffered */
  uint32_t skip;           /* samples still to drop before the next frame (hop > window, or reset_at) */
  uint32_t next_frame;     /* absolute index of the next frame */
  uint32_t consumed;       /* samples consumed by the last tsr_frontend_push */
  uint32_t saturated;      /* int8 values clamped since init */
  int32_t logmel_q20[TSR_MEL_BANDS];  /* high-resolution values of the last frame (ln, Q20) */
  int32_t mfcc_q20[TSR_MFCC_COUNT];   /* last frame's MFCC (Q20); filled only when TSR_FEATURE_IS_MFCC */
  tsr_frontend_work_t work;
} tsr_frontend_t;

void tsr_frontend_init(tsr_frontend_t *st);

/* Restart framing so that the next pushed sample has absolute index sample_offset: the next frame is
 * ceil(sample_offset / hop) (earlier frames would need samples that were not pushed). With pre-emphasis,
 * a frame starting exactly at sample_offset > 0 uses 0 as its history sample. */
void tsr_frontend_reset_at(tsr_frontend_t *st, uint32_t sample_offset);

/* Feeds n samples (any chunk size, n may be 0). Writes one row of TSR_FEATURE_DIMS int8 per completed
 * frame to out_frames and returns the number of frames written (<= max_frames). When max_frames is
 * reached, it stops before the sample that would complete the next frame: st->consumed tells how many
 * of the n samples were taken (n whenever the frames fit); push the rest again. */
uint32_t tsr_frontend_push(tsr_frontend_t *st, const int16_t *pcm, uint32_t n, int8_t *out_frames, uint32_t max_frames);

/* Frames that pushing n more samples would complete (to size out_frames). */
uint32_t tsr_frontend_frames_for(const tsr_frontend_t *st, uint32_t n);

/* Absolute index of the next frame the stream will emit. */
uint32_t tsr_frontend_next_frame(const tsr_frontend_t *st);

/* One frame at the start of a signal (history sample 0): window[TSR_WINDOW_SAMPLES] -> out[TSR_FEATURE_DIMS].
 * Uses a static workspace: not reentrant (the streaming API has its own). Returns values clamped. */
uint32_t tsr_frontend_frame(const int16_t window[], int8_t out[]);

/* The full per-frame path with the high-resolution intermediates: prev is the sample before window[0]
 * (0 at the signal start). logmel_q20[TSR_MEL_BANDS] is required; mfcc_q20[TSR_MFCC_COUNT] may be NULL
 * (then an MFCC config cannot quantize: out must be NULL too). out may be NULL. Returns values clamped. */
uint32_t tsr_frontend_frame_q20(tsr_frontend_work_t *work, const int16_t window[], int16_t prev,
                                int32_t logmel_q20[], int32_t mfcc_q20[], int8_t out[]);

/* Frame energy in dB (Q20) of the raw int16 frame, and its zero-crossing count
 * (twins of frameEnergyDbQ20 / zeroCrossingCount in runtime-sim/frontend/fixed/energy-zcr-q.ts). */
int32_t tsr_frame_energy_db_q20(const int16_t samples[], uint32_t length);
uint32_t tsr_zero_crossing_count(const int16_t samples[], uint32_t length);

/* Integer YIN F0 (twin of yinF0Q in runtime-sim/frontend/fixed/f0-yin-q.ts with DEFAULT_YIN) over a window of
 * TSR_YIN_WINDOW_SAMPLES samples; computeProsodyFixed centres it on frame t at
 * round(t*hop + window/2 - TSR_YIN_WINDOW_SAMPLES/2), zero outside the signal. Uses ~1 KiB of stack. */
typedef struct {
  int32_t f0_q4;            /* F0 in Q4 Hz (value / 16 = Hz); 0 when unvoiced */
  int32_t aperiodicity_q12; /* dip value, Q12 (4096 = aperiodic) */
  uint8_t voiced;
} tsr_f0_q_t;
/* The lag range must fit the window, as yinF0Q requires (it would return unvoiced otherwise). */
#define TSR_YIN_STATIC_CHECK \
  typedef char tsr_yin_lag_range_ok[(TSR_YIN_TAU_MAX > TSR_YIN_TAU_MIN && TSR_YIN_WINDOW_SAMPLES > TSR_YIN_TAU_MAX) ? 1 : -1]
void tsr_yin_f0_q(const int16_t x[TSR_YIN_WINDOW_SAMPLES], tsr_f0_q_t *out);
/* Absolute index of the first sample of frame t's YIN window (negative near the signal start: zeros there). */
int32_t tsr_yin_window_start(uint32_t frame);
#endif

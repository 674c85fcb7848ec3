/*
 * One frame: int16 samples -> log-mel Q20 (+ MFCC Q20, + int8). Twin of
 * runtime-sim/frontend/fixed/frame-processor.ts, step by step:
 *  1. pre-emphasis in Q15 of int16 units, exact: y = x[n]*2^15 - aQ15*x[n-1]     (|y| < 2^31)
 *  2. window: p = y * hannQ21                                                   (|p| < 2^52, int64)
 *  3. block normalization: q = round_half_up(p / 2^s0), s0 = bitLength(max|p|) - 27 (|q| <= 2^27);
 *     s0 < 0 scales up exactly. p is recomputed in the second pass instead of stored (saves 8 bytes per
 *     sample of RAM; the product is exact either way).
 *     (The periodic Hann window has w[0] = 0, so the history sample prev never changes a result today;
 *     it is still carried so a future window without a zero first tap stays exact.)
 *  4. block-floating-point real FFT (f right shifts), 5. power with shift sP,
 *  6. mel + log with the frame exponent e = sP + 2 (f + s0 - 52) - 15, 7. DCT, 8. int8.
 */
#include <stddef.h>
#include "tsr_frontend.h"
#include "tsr_frontend_stages.h"
#include "tsr_fixed_math.h"

static inline int64_t windowed_q(int32_t x, int32_t x_prev, uint32_t i) {
  const int64_t y = (int64_t)x * 32768 - (int64_t)TSR_PRE_EMPHASIS_Q15 * x_prev;
  return y * tsr_hann_q21[i];
}

uint32_t tsr_frontend_frame_q20(tsr_frontend_work_t *work, const int16_t window[], int16_t prev,
                                int32_t logmel_q20[], int32_t mfcc_q20[], int8_t out[]) {
  uint64_t max_abs = 0;
  int32_t x_prev = prev;
  uint32_t i;
  for (i = 0; i < TSR_WINDOW_SAMPLES; i++) {
    const int64_t p = windowed_q(window[i], x_prev, i);
    const uint64_t a = (uint64_t)(p < 0 ? -p : p);
    x_prev = window[i];
    if (a > max_abs) max_abs = a;
  }
  if (max_abs == 0) {
    for (i = 0; i < TSR_MEL_BANDS; i++) logmel_q20[i] = TSR_LN_FLOOR_Q20;
  } else {
    const int s0 = tsr_bit_length_u64(max_abs) - TSR_BLOCK_BITS;
    int f, sp;
    x_prev = prev;
    for (i = 0; i < TSR_FFT_SIZE; i++) {
      int32_t q = 0;
      if (i < TSR_WINDOW_SAMPLES) {
        const int64_t p = windowed_q(window[i], x_prev, i);
        x_prev = window[i];
        if (s0 > 0) q = (int32_t)tsr_round_shift_s64(p, s0);
        else q = (int32_t)(p * ((int64_t)1 << -s0));
      }
      /* packed complex input: re = x[2m], im = x[2m+1]; the window sits at the start, zero padding after */
      if (i & 1u) work->im[i >> 1] = q;
      else work->re[i >> 1] = q;
    }
    f = tsr_rfft_bfp_q(work->re, work->im, work->yr, work->yi);
    sp = tsr_power_spectrum_shifted(work->yr, work->yi, work->power);
    tsr_mel_log_q20(work->power, sp + 2 * (f + s0 - 52) - 15, logmel_q20);
  }
  if (mfcc_q20 != NULL) tsr_dct_q20(logmel_q20, mfcc_q20);
  if (out == NULL) return 0;
#if TSR_FEATURE_IS_MFCC
  if (mfcc_q20 == NULL) return 0;
  return tsr_quantize_int8_from_q20(mfcc_q20, out);
#else
  return tsr_quantize_int8_from_q20(logmel_q20, out);
#endif
}

/*
 * Power spectrum with a per-frame shift (twin of runtime-sim/frontend/fixed/power-spectrum-q.ts):
 * P'[k] = round_half_up((Yr^2 + Yi^2) / 2^sP), sP the smallest shift >= 0 with
 * binsBits + 2 bitLength(max|Y|) + 1 - sP <= 47, so sum_k P'[k] < 2^47 and the Q15-weighted mel sums
 * stay below 2^62. |Y| < 2^29.5, so the squares and their sum (< 2^60) are exact in int64; the TS
 * splits them into 15-bit halves to stay exact in doubles, which computes the same integer.
 */
#include "tsr_frontend_stages.h"
#include "tsr_fixed_math.h"

int tsr_power_spectrum_shifted(const int32_t yr[TSR_FFT_BINS], const int32_t yi[TSR_FFT_BINS], uint64_t power[TSR_FFT_BINS]) {
  uint32_t m = 0;
  uint32_t k;
  int sp;
  for (k = 0; k < TSR_FFT_BINS; k++) {
    const uint32_t a = (uint32_t)tsr_abs_s32(yr[k]);
    const uint32_t b = (uint32_t)tsr_abs_s32(yi[k]);
    if (a > m) m = a;
    if (b > m) m = b;
  }
  sp = TSR_BINS_BITS + 2 * tsr_bit_length_u32(m) + 1 - TSR_POWER_TOTAL_BITS;
  if (sp < 0) sp = 0;
  if (sp == 0) {
    for (k = 0; k < TSR_FFT_BINS; k++) power[k] = (uint64_t)((int64_t)yr[k] * yr[k] + (int64_t)yi[k] * yi[k]);
  } else {
    const uint64_t r = (uint64_t)1 << (sp - 1);
    for (k = 0; k < TSR_FFT_BINS; k++)
      power[k] = ((uint64_t)((int64_t)yr[k] * yr[k] + (int64_t)yi[k] * yi[k]) + r) >> sp;
  }
  return sp;
}

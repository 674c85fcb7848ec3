/*
 * MFCC in Q20 (twin of runtime-sim/frontend/fixed/dct-q20.ts): c_k = round_half_up(sum_b D_Q24[k,b] *
 * logmel_Q20[b] / 2^24). Products < 2^49; the orthonormal rows keep the int64 sum far from overflow.
 */
#include "tsr_frontend_stages.h"
#include "tsr_fixed_math.h"

void tsr_dct_q20(const int32_t logmel_q20[TSR_MEL_BANDS], int32_t mfcc_q20[TSR_MFCC_COUNT]) {
  uint32_t k;
  for (k = 0; k < TSR_MFCC_COUNT; k++) {
    const int32_t *row = &tsr_dct_q24[k * TSR_MEL_BANDS];
    int64_t acc = 0;
    uint32_t b;
    for (b = 0; b < TSR_MEL_BANDS; b++) acc += (int64_t)row[b] * logmel_q20[b];
    mfcc_q20[k] = (int32_t)((acc + ((int64_t)1 << 23)) >> 24);
  }
}

/*
 * Mel energies and their natural log in Q20 (twin of runtime-sim/frontend/fixed/mel-log-q20.ts).
 * mel = sum w_Q15 * P' is a uint64 (< 2^62; the TS keeps it as an exact pair of doubles). Its log2 is
 * bitLength - 1 + log2(31-bit mantissa), plus the frame exponent exp2 as an integer; then ln via ln2 in
 * Q24 (rounded half up), the band's log offset (Slaney area factor) and the floor.
 */
#include "tsr_frontend_stages.h"
#include "tsr_fixed_math.h"

void tsr_mel_log_q20(const uint64_t power[TSR_FFT_BINS], int exp2, int32_t logmel_q20[TSR_MEL_BANDS]) {
  uint32_t b;
  for (b = 0; b < TSR_MEL_BANDS; b++) {
    const uint16_t *w = &tsr_mel_weights_q15[tsr_mel_weight_offset[b]];
    const uint64_t *p = &power[tsr_mel_start_bin[b]];
    const uint32_t len = tsr_mel_length[b];
    uint64_t mel = 0;
    uint32_t i;
    int n;
    uint32_t m;
    int64_t log2_q20, ln_q20;
    for (i = 0; i < len; i++) mel += (uint64_t)w[i] * p[i];
    if (mel == 0) {
      logmel_q20[b] = TSR_LN_FLOOR_Q20;
      continue;
    }
    n = tsr_bit_length_u64(mel);
    m = n <= 31 ? (uint32_t)(mel << (31 - n)) : (uint32_t)(mel >> (n - 31));
    log2_q20 = (int64_t)(n - 1 + exp2) * (1 << 20) + ((tsr_log2_mantissa_q30(m) + 512) >> 10);
    ln_q20 = ((log2_q20 * TSR_LN2_Q24 + ((int64_t)1 << 23)) >> 24) + tsr_mel_log_offset_q20[b];
    logmel_q20[b] = ln_q20 > TSR_LN_FLOOR_Q20 ? (int32_t)ln_q20 : TSR_LN_FLOOR_Q20;
  }
}

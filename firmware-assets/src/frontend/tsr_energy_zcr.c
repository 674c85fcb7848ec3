/*
 * Frame energy (dB, Q20) and zero-crossing count of the raw int16 frame (twin of
 * runtime-sim/frontend/fixed/energy-zcr-q.ts). sumSq < 2^39 (exact in int64);
 * dB = round_half_up(10 log10(2) * (log2(sumSq) - log2(len) - 30)) with 10 log10(2) in Q24.
 */
#include "tsr_frontend.h"
#include "tsr_frontend_stages.h"
#include "tsr_fixed_math.h"

int32_t tsr_frame_energy_db_q20(const int16_t samples[], uint32_t length) {
  uint64_t sum_sq = 0;
  uint32_t i;
  int64_t l2;
  for (i = 0; i < length; i++) sum_sq += (uint64_t)((int32_t)samples[i] * samples[i]);
  if (sum_sq == 0) return TSR_ENERGY_FLOOR_DB_Q20;
  l2 = (int64_t)tsr_log2_q20(sum_sq) - tsr_log2_q20(length) - (int64_t)30 * (1 << 20);
  return (int32_t)((l2 * TSR_TEN_LOG10_2_Q24 + ((int64_t)1 << 23)) >> 24);
}

uint32_t tsr_zero_crossing_count(const int16_t samples[], uint32_t length) {
  uint32_t n = 0;
  uint32_t i;
  for (i = 1; i < length; i++) n += (samples[i] >= 0) != (samples[i - 1] >= 0);
  return n;
}

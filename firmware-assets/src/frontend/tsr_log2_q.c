/*
 * Integer log2 (twin of runtime-sim/frontend/fixed/log2-q.ts): mantissa m in [2^30, 2^31) (bits below
 * truncated), log2(1 + f) from the 257-entry Q30 table with linear interpolation rounded half up.
 */
#include "tsr_frontend_stages.h"
#include "tsr_fixed_math.h"

int32_t tsr_log2_mantissa_q30(uint32_t m) {
  const uint32_t f = m - (UINT32_C(1) << 30);
  const uint32_t idx = f >> 22;
  const int64_t frac = (int64_t)(f & UINT32_C(0x3FFFFF));
  const int32_t y0 = tsr_log2_lut_q30[idx];
  return y0 + (int32_t)((((int64_t)tsr_log2_lut_q30[idx + 1] - y0) * frac + ((int64_t)1 << 21)) >> 22);
}

int32_t tsr_log2_q20(uint64_t x) {
  const int n = tsr_bit_length_u64(x);
  const uint32_t m = n > 31 ? (uint32_t)(x >> (n - 31)) : (uint32_t)(x << (31 - n));
  return (int32_t)(n - 1) * (1 << 20) + ((tsr_log2_mantissa_q30(m) + 512) >> 10);
}

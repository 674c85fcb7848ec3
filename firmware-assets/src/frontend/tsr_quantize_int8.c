/*
 * int8 output with the per-dimension normalization folded in (twin of
 * runtime-sim/frontend/fixed/quantize-int8.ts): q = floor((F * mult_d + offset_d) / 2^shift_d) + zp,
 * clamped to [-128, 127]. offset_d already holds the +0.5 of round half up; it needs int64 (< 2^51).
 */
#include "tsr_frontend_stages.h"
#include "tsr_fixed_math.h"

uint32_t tsr_quantize_int8_from_q20(const int32_t features_q20[TSR_FEATURE_DIMS], int8_t out[TSR_FEATURE_DIMS]) {
  uint32_t saturated = 0;
  uint32_t d;
  for (d = 0; d < TSR_FEATURE_DIMS; d++) {
    int64_t q = (((int64_t)features_q20[d] * tsr_quant_multiplier[d] + tsr_quant_offset[d]) >> tsr_quant_shift[d]) + TSR_ZERO_POINT;
    if (q > 127) {
      q = 127;
      saturated++;
    } else if (q < -128) {
      q = -128;
      saturated++;
    }
    out[d] = (int8_t)q;
  }
  return saturated;
}

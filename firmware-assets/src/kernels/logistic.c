/*
 * LOGISTIC int8: twin of runtime-sim/interpreter/kernels/logistic.ts (TFLM logistic.cc): x - zp
 * rescaled into Q4.27, saturated beyond the radius, gemmlowp logistic, Q0.31 -> Q0.8 with
 * rounding and the fixed output zero point -128.
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

void tsk_logistic_int8(const tsk_activation_params *p, const int8_t *input, int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    const int32_t v = (int32_t)input[i] - p->input_zero_point;
    if (v <= -p->radius) output[i] = -128;
    else if (v >= p->radius) output[i] = 127;
    else {
      const int32_t q4 = tsk_mbqm(v, p->multiplier, (int)p->shift);
      const int32_t o = tsk_rounding_divide_by_pot(tsk_logistic_q31(q4, 4), 23) - 128;
      output[i] = (int8_t)tsk_clamp_i32(o, -128, 127);
    }
  }
}

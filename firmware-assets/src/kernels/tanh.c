/*
 * TANH int8: twin of runtime-sim/interpreter/kernels/tanh.ts (TFLM tanh.cc): like LOGISTIC, with
 * gemmlowp tanh and a Q0.7 output (zero point 0).
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

void tsk_tanh_int8(const tsk_activation_params *p, const int8_t *input, int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    const int32_t v = (int32_t)input[i] - p->input_zero_point;
    if (v <= -p->radius) output[i] = -128;
    else if (v >= p->radius) output[i] = 127;
    else {
      const int32_t q4 = tsk_mbqm(v, p->multiplier, (int)p->shift);
      const int32_t o = tsk_rounding_divide_by_pot(tsk_tanh_q31(q4, 4), 24);
      output[i] = (int8_t)tsk_clamp_i32(o, -128, 127);
    }
  }
}

/*
 * LEAKY_RELU int8: twin of runtime-sim/interpreter/kernels/leaky-relu.ts (TFLM
 * leaky_relu_common.cc): x - zp requantized with the identity multiplier when >= 0, with the
 * alpha multiplier below, plus the output zero point, clamped to int8.
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

void tsk_leaky_relu_int8(const tsk_leaky_relu_params *p, const int8_t *input, int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    const int32_t v = (int32_t)input[i] - p->input_zero_point;
    const int32_t r = p->output_zero_point + (v >= 0 ? tsk_mbqm(v, p->identity_multiplier, (int)p->identity_shift)
                                                     : tsk_mbqm(v, p->alpha_multiplier, (int)p->alpha_shift));
    output[i] = (int8_t)tsk_clamp_i32(r, -128, 127);
  }
}

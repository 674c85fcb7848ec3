/*
 * MEAN int8 over contiguous axes: twin of runtime-sim/interpreter/kernels/mean.ts (TFLM
 * QuantizedMeanOrSum): int32 sum of raw values, minus zp * N, one MultiplyByQuantizedMultiplier
 * whose multiplier already holds 1/N, plus the output zero point, clamped to int8.
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

void tsk_mean_int8(const tsk_mean_params *p, const int8_t *input, int8_t *output) {
  const int32_t zp_times_count = p->input_zero_point * p->reduce;
  int32_t o, i, r;
  for (o = 0; o < p->outer; o++) {
    for (i = 0; i < p->inner; i++) {
      const int8_t *x = input + o * p->reduce * p->inner + i;
      int32_t sum = 0, v;
      for (r = 0; r < p->reduce; r++) sum += x[r * p->inner];
      v = tsk_mbqm(sum - zp_times_count, p->multiplier, (int)p->shift) + p->output_zero_point;
      output[o * p->inner + i] = (int8_t)tsk_clamp_i32(v, -128, 127);
    }
  }
}

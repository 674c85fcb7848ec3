/* QUANTIZE int8 -> int8: twin of runtime-sim/interpreter/kernels/quantize.ts (TFLM Requantize). */
#include "tinyser_kernels.h"
#include "fixed_point.h"

void tsk_quantize_int8(const tsk_quantize_params *p, const int8_t *input, int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    const int32_t v = tsk_mbqm((int32_t)input[i] - p->input_zero_point, p->multiplier, (int)p->shift) + p->output_zero_point;
    output[i] = (int8_t)tsk_clamp_i32(v, p->min, p->max);
  }
}

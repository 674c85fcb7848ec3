/*
 * FULLY_CONNECTED int8: twin of runtime-sim/interpreter/kernels/fully-connected.ts (TFLM
 * reference_integer_ops::FullyConnected): sum((w + w_off) * (x + x_off)) + bias, requantized per
 * tensor or per channel with double rounding.
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

void tsk_fully_connected_int8(const tsk_fully_connected_params *p, const int8_t *input, const int8_t *filter,
                              const int32_t *bias, int8_t *output) {
  const int32_t depth = p->accum_depth, out_depth = p->output_depth;
  const int32_t input_offset = p->input_offset, filter_offset = p->filter_offset;
  int32_t b, c, k;
  for (b = 0; b < p->batches; b++) {
    const int8_t *x = input + b * depth;
    for (c = 0; c < out_depth; c++) {
      const int8_t *w = filter + c * depth;
      const int32_t ch = p->per_channel ? c : 0;
      int32_t acc = 0, v;
      /* int8 weights are symmetric (offset 0) in practice: keep that loop to one add + one MAC. */
      if (filter_offset == 0) {
        for (k = 0; k < depth; k++) acc += (int32_t)w[k] * ((int32_t)x[k] + input_offset);
      } else {
        for (k = 0; k < depth; k++) acc += ((int32_t)w[k] + filter_offset) * ((int32_t)x[k] + input_offset);
      }
      if (bias) acc += bias[c];
      v = tsk_mbqm(acc, p->multiplier[ch], (int)p->shift[ch]) + p->output_offset;
      output[b * out_depth + c] = (int8_t)tsk_clamp_i32(v, p->act_min, p->act_max);
    }
  }
}

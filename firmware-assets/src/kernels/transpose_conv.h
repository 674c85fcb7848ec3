/*
 * TRANSPOSE_CONV int8 per-channel (transpose_conv.c): twin of
 * runtime-sim/interpreter/kernels/transpose-conv.ts (TFLM reference_integer_ops::TransposeConv).
 * Filter layout [out_c, filter_h, filter_w, in_c]; pad_h / pad_w are TFLM's leading padding computed
 * on the output size. act_min / act_max come from the interpreter's Prepare (the full int8 range:
 * TFLM ignores a fused activation on int8 TRANSPOSE_CONV).
 */
#ifndef TINYSER_KERNELS_TRANSPOSE_CONV_H
#define TINYSER_KERNELS_TRANSPOSE_CONV_H

#include <stdint.h>

typedef struct {
  int32_t batches, in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t filter_h, filter_w;
  int32_t stride_h, stride_w, pad_h, pad_w;
  int32_t input_offset, output_offset; /* -input zero point, +output zero point */
  int32_t act_min, act_max;
  const int32_t *multiplier; /* out_c entries */
  const int32_t *shift;      /* out_c entries */
} tsk_transpose_conv_params;

/* bias may be NULL. The output must not overlap the input. No scratch memory is needed. */
void tsk_transpose_conv_int8(const tsk_transpose_conv_params *p, const int8_t *input, const int8_t *filter,
                             const int32_t *bias, int8_t *output);

#endif

/*
 * TRANSPOSE int8: twin of runtime-sim/interpreter/kernels/transpose.ts, rank padded to 6 in front.
 * out_shape is the permuted shape; in_stride[k] is the input stride of the dimension that output
 * dimension k reads, so the walk is six nested loops with no per-element index table.
 */
#include "tinyser_kernels.h"

void tsk_transpose_int8(const tsk_transpose_params *p, const int8_t *input, int8_t *output) {
  const int32_t *s = p->out_shape, *st = p->in_stride;
  int32_t a, b, c, d, e, f;
  for (a = 0; a < s[0]; a++)
    for (b = 0; b < s[1]; b++)
      for (c = 0; c < s[2]; c++)
        for (d = 0; d < s[3]; d++)
          for (e = 0; e < s[4]; e++) {
            const int8_t *x = input + a * st[0] + b * st[1] + c * st[2] + d * st[3] + e * st[4];
            for (f = 0; f < s[5]; f++) *output++ = x[f * st[5]];
          }
}

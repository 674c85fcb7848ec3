/* PAD / PADV2 int8: twin of runtime-sim/interpreter/kernels/pad.ts (fill, then copy rows in place). */
#include <string.h>
#include "tinyser_kernels.h"

void tsk_pad_int8(const tsk_pad_params *p, const int8_t *input, int8_t *output) {
  const int32_t *os = p->out_shape, *is = p->in_shape, *b = p->before;
  const int32_t total = os[0] * os[1] * os[2] * os[3];
  int32_t i0, i1, i2;
  memset(output, (int)(int8_t)p->pad_value, (size_t)total);
  for (i0 = 0; i0 < is[0]; i0++) {
    for (i1 = 0; i1 < is[1]; i1++) {
      for (i2 = 0; i2 < is[2]; i2++) {
        const int32_t src = ((i0 * is[1] + i1) * is[2] + i2) * is[3];
        const int32_t dst = (((i0 + b[0]) * os[1] + i1 + b[1]) * os[2] + i2 + b[2]) * os[3] + b[3];
        memcpy(output + dst, input + src, (size_t)is[3]);
      }
    }
  }
}

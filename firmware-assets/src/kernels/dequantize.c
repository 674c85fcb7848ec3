/* DEQUANTIZE int8 -> float32: twin of runtime-sim/interpreter/kernels/dequantize.ts (float32 product). */
#include "tinyser_kernels.h"

void tsk_dequantize_int8(int32_t size, float scale, int32_t zero_point, const int8_t *input, float *output) {
  int32_t i;
  for (i = 0; i < size; i++) output[i] = scale * (float)((int32_t)input[i] - zero_point);
}

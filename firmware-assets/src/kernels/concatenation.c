/* CONCATENATION: twin of runtime-sim/interpreter/kernels/concatenation.ts (equal quantization, bytes copied). */
#include <string.h>
#include "tinyser_kernels.h"

void tsk_concatenation(const tsk_concatenation_params *p, const void *const *inputs, void *output) {
  uint8_t *out = (uint8_t *)output;
  int32_t o, i;
  for (o = 0; o < p->outer; o++) {
    for (i = 0; i < p->num_inputs; i++) {
      const int32_t n = p->inner_bytes[i];
      memcpy(out, (const uint8_t *)inputs[i] + o * n, (size_t)n);
      out += n;
    }
  }
}

/* RESHAPE / SQUEEZE / EXPAND_DIMS: same bytes, new shape (twin of kernels/reshape.ts). */
#include <string.h>
#include "tinyser_kernels.h"

void tsk_reshape(const void *input, void *output, uint32_t bytes) {
  if (input != output) memcpy(output, input, (size_t)bytes);
}

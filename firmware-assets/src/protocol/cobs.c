#include "cobs.h"

size_t cobs_encode(const uint8_t *in, size_t n, uint8_t *out) {
  size_t code_at = 0; /* where the current block's code byte goes */
  size_t w = 1;
  uint8_t code = 1;
  for (size_t i = 0; i < n; i++) {
    if (in[i] == 0) {
      out[code_at] = code;
      code_at = w++;
      code = 1;
    } else {
      out[w++] = in[i];
      code++;
      if (code == 0xFF) {
        /* A full 254-byte block carries no implied zero; start a new block. */
        out[code_at] = code;
        code_at = w++;
        code = 1;
      }
    }
  }
  out[code_at] = code;
  return w;
}

int32_t cobs_decode(const uint8_t *in, size_t n, uint8_t *out) {
  size_t r = 0;
  size_t w = 0;
  while (r < n) {
    uint8_t code = in[r];
    if (code == 0) return -1;
    if (r + code > n) return -1;
    r++;
    for (uint8_t k = 1; k < code; k++) {
      uint8_t b = in[r++];
      if (b == 0) return -1;
      out[w++] = b;
    }
    /* A block shorter than 255 stands for a zero, except the last block. */
    if (code != 0xFF && r < n) out[w++] = 0;
  }
  return (int32_t)w;
}

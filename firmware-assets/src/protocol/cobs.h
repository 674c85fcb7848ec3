/* Consistent Overhead Byte Stuffing: removes every 0x00 so 0x00 can delimit frames. */
#ifndef TINYSER_COBS_H
#define TINYSER_COBS_H
#include <stddef.h>
#include <stdint.h>

/* Encodes n bytes into out (capacity >= n + n/254 + 1); returns encoded length (no delimiter). */
size_t cobs_encode(const uint8_t *in, size_t n, uint8_t *out);
/* Decodes n bytes (no delimiter) into out (capacity >= n); returns decoded length or -1 on a
 * malformed block (zero byte inside, or a code that runs past the end). In-place (out == in) is allowed. */
int32_t cobs_decode(const uint8_t *in, size_t n, uint8_t *out);
#endif

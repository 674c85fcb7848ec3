/* CRC-32 (IEEE 802.3, reflected poly 0xEDB88320, init/xorout 0xFFFFFFFF), as zlib's crc32(). */
#ifndef TINYSER_CRC32_H
#define TINYSER_CRC32_H
#include <stddef.h>
#include <stdint.h>
uint32_t crc32_ieee(const uint8_t *data, size_t n);
/* Incremental form: start with crc = 0, feed chunks, same result as one call. */
uint32_t crc32_ieee_update(uint32_t crc, const uint8_t *data, size_t n);
#endif

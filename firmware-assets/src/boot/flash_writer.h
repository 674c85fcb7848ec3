/*
 * Device side of FLASH_BEGIN / FLASH_DATA / FLASH_END / CONFIRM: writes the inactive slot,
 * verifies it, marks it pending. The header is written last, so a slot is never valid before
 * its payload is complete; the running image's slot is never touched.
 */
#ifndef TINYSER_FLASH_WRITER_H
#define TINYSER_FLASH_WRITER_H
#include <stdint.h>
#include "boot_state.h"
#include "image.h"

typedef struct {
  const boot_layout_t *layout;
  uint32_t board_id;
  uint32_t load_addr;
  uint8_t running_slot; /* slot the bootloader started, or BOOT_SLOT_NONE */
  uint8_t running_pending;
  uint8_t target;       /* slot being written, or BOOT_SLOT_NONE when idle */
  uint8_t complete;     /* FLASH_END verified the target */
  uint32_t next_offset; /* payload bytes received in order */
  image_header_t header;
  uint8_t header_bytes[IMAGE_HEADER_BYTES];
} flash_writer_t;

void flash_writer_init(flash_writer_t *w, const boot_layout_t *l, uint32_t board_id, uint32_t load_addr,
                       uint8_t running_slot, uint8_t running_pending);
/* Each returns 0 on success or a NAK code (protocol.h); *value gets the ACK/NAK value field. */
uint8_t flash_writer_begin(flash_writer_t *w, const uint8_t *header, uint16_t len, uint32_t *value);
uint8_t flash_writer_data(flash_writer_t *w, uint32_t offset, const uint8_t *data, uint16_t len, uint32_t *value);
uint8_t flash_writer_end(flash_writer_t *w, uint32_t *value);
uint8_t flash_writer_confirm(flash_writer_t *w, uint32_t *value);
#endif

/* The bootloader's decision: which slot to run, with rollback of unconfirmed images. */
#ifndef TINYSER_BOOT_SELECT_H
#define TINYSER_BOOT_SELECT_H
#include <stdint.h>
#include "boot_state.h"
#include "image.h"

typedef struct {
  uint8_t slot;    /* slot to copy and run, or BOOT_SLOT_NONE (run whatever is at the exec address) */
  uint8_t pending; /* 1 when the chosen slot still waits for CONFIRM */
  uint8_t rolled_back;
  image_header_t header;
} boot_decision_t;

/* Reads and updates the metadata (attempt counting, rollback) and verifies the chosen image's
 * SHA-256. Never picks an image that fails verification. */
void boot_select(const boot_layout_t *l, uint32_t board_id, uint32_t load_addr, boot_decision_t *d);
/* 1 when the slot holds an image that parses and verifies for this board. */
int boot_slot_valid(const boot_layout_t *l, uint8_t slot, uint32_t board_id, uint32_t load_addr, image_header_t *h);
#endif

/*
 * A/B slot state, power-loss safe: two copies of a small record, each with a sequence number and
 * a CRC. A write goes to the copy not holding the newest record, so a torn write only ever
 * destroys the older copy; readers take the valid copy with the highest sequence number.
 */
#ifndef TINYSER_BOOT_STATE_H
#define TINYSER_BOOT_STATE_H
#include <stdint.h>

#define BOOT_SLOT_COUNT 2u
#define BOOT_SLOT_NONE 0xFFu
#define BOOT_META_BYTES 32u
#define BOOT_META_MAGIC 0x4D425354u /* "TSBM" */
#define BOOT_MAX_ATTEMPTS 1u        /* a pending image gets one boot to confirm itself */

typedef struct {
  uint8_t *meta[2];               /* the two metadata copies */
  uint8_t *slot[BOOT_SLOT_COUNT]; /* each slot: image header, then payload */
  uint32_t slot_bytes;
} boot_layout_t;

typedef struct {
  uint32_t seq;
  uint8_t active;   /* confirmed slot, or BOOT_SLOT_NONE */
  uint8_t pending;  /* slot waiting for confirmation, or BOOT_SLOT_NONE */
  uint8_t attempts; /* boots of the pending slot so far */
} boot_meta_t;

/* Newest valid record; a blank or fully torn store reads as {0, NONE, NONE, 0}. */
void boot_meta_load(const boot_layout_t *l, boot_meta_t *m);
/* Writes m with seq = m->seq + 1 into the older copy (m->seq is updated). */
void boot_meta_store(const boot_layout_t *l, boot_meta_t *m);
#endif

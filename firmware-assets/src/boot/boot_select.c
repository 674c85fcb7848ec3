#include "boot_select.h"

int boot_slot_valid(const boot_layout_t *l, uint8_t slot, uint32_t board_id, uint32_t load_addr, image_header_t *h) {
  if (slot >= BOOT_SLOT_COUNT) return 0;
  const uint8_t *base = l->slot[slot];
  if (image_header_parse(base, board_id, load_addr, l->slot_bytes - IMAGE_HEADER_BYTES, h) != IMAGE_OK) return 0;
  if (image_check_signature(base, h) != IMAGE_OK) return 0;
  return image_verify_payload(base, h, base + IMAGE_HEADER_BYTES) == IMAGE_OK;
}

void boot_select(const boot_layout_t *l, uint32_t board_id, uint32_t load_addr, boot_decision_t *d) {
  boot_meta_t m;
  boot_meta_load(l, &m);
  d->slot = BOOT_SLOT_NONE;
  d->pending = 0;
  d->rolled_back = 0;
  if (m.pending != BOOT_SLOT_NONE) {
    if (m.attempts >= BOOT_MAX_ATTEMPTS || !boot_slot_valid(l, m.pending, board_id, load_addr, &d->header)) {
      /* The pending image had its chance (or is damaged): forget it, fall back to the active one. */
      m.pending = BOOT_SLOT_NONE;
      m.attempts = 0;
      boot_meta_store(l, &m);
      d->rolled_back = 1;
    } else {
      /* Count the attempt before running it: a crash or power loss now counts as a failed boot. */
      m.attempts++;
      boot_meta_store(l, &m);
      d->slot = m.pending;
      d->pending = 1;
      return;
    }
  }
  if (m.active != BOOT_SLOT_NONE && boot_slot_valid(l, m.active, board_id, load_addr, &d->header)) {
    d->slot = m.active;
    return;
  }
  /* Active slot missing or damaged: any valid slot beats none. */
  for (uint8_t s = 0; s < BOOT_SLOT_COUNT; s++) {
    if (boot_slot_valid(l, s, board_id, load_addr, &d->header)) {
      d->slot = s;
      return;
    }
  }
}

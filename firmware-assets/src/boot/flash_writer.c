#include "flash_writer.h"
#include "../protocol/protocol.h"

void flash_writer_init(flash_writer_t *w, const boot_layout_t *l, uint32_t board_id, uint32_t load_addr,
                       uint8_t running_slot, uint8_t running_pending) {
  w->layout = l;
  w->board_id = board_id;
  w->load_addr = load_addr;
  w->running_slot = running_slot;
  w->running_pending = running_pending;
  w->target = BOOT_SLOT_NONE;
  w->complete = 0;
  w->next_offset = 0;
}

static void slot_invalidate(const boot_layout_t *l, uint8_t slot) {
  volatile uint8_t *p = l->slot[slot];
  for (uint32_t i = 0; i < 4u; i++) p[i] = 0; /* kill the magic first: the slot stops being bootable */
}

uint8_t flash_writer_begin(flash_writer_t *w, const uint8_t *header, uint16_t len, uint32_t *value) {
  *value = 0;
  if (len != IMAGE_HEADER_BYTES) return NAK_BAD_BODY;
  image_status_t st = image_header_parse(header, w->board_id, w->load_addr,
                                         w->layout->slot_bytes - IMAGE_HEADER_BYTES, &w->header);
  if (st == IMAGE_ERR_BOARD) return NAK_IMAGE_BOARD;
  if (st == IMAGE_ERR_SIZE) return NAK_IMAGE_SIZE;
  if (st != IMAGE_OK) return NAK_IMAGE_FORMAT;
  /* The signature covers the header including the payload digest, so it is checked up front. */
  if (image_check_signature(header, &w->header) != IMAGE_OK) return NAK_BAD_SIGNATURE;
  boot_meta_t m;
  boot_meta_load(w->layout, &m);
  /* Never overwrite what runs now nor the confirmed fallback. */
  uint8_t keep = w->running_slot != BOOT_SLOT_NONE ? w->running_slot : m.active;
  uint8_t target = keep == 0 ? 1 : 0;
  if (m.pending == target) {
    m.pending = BOOT_SLOT_NONE;
    m.attempts = 0;
    boot_meta_store(w->layout, &m);
  }
  slot_invalidate(w->layout, target);
  for (uint32_t i = 0; i < IMAGE_HEADER_BYTES; i++) w->header_bytes[i] = header[i];
  w->target = target;
  w->complete = 0;
  w->next_offset = 0;
  *value = target;
  return 0;
}

uint8_t flash_writer_data(flash_writer_t *w, uint32_t offset, const uint8_t *data, uint16_t len, uint32_t *value) {
  *value = w->next_offset;
  if (w->target == BOOT_SLOT_NONE) return NAK_NO_IMAGE;
  if (offset < w->next_offset) return 0; /* a retransmission of data we have: acknowledge again */
  if (offset > w->next_offset) return NAK_OFFSET_GAP;
  if (offset + len > w->header.payload_bytes) return NAK_IMAGE_SIZE;
  volatile uint8_t *dst = w->layout->slot[w->target] + IMAGE_HEADER_BYTES + offset;
  for (uint16_t i = 0; i < len; i++) dst[i] = data[i];
  w->next_offset += len;
  *value = w->next_offset;
  return 0;
}

uint8_t flash_writer_end(flash_writer_t *w, uint32_t *value) {
  *value = w->next_offset;
  if (w->target == BOOT_SLOT_NONE) return NAK_NO_IMAGE;
  if (w->complete) return 0;
  if (w->next_offset != w->header.payload_bytes) return NAK_IMAGE_SIZE;
  volatile uint8_t *slot = w->layout->slot[w->target];
  if (image_verify_payload(w->header_bytes, &w->header, (const uint8_t *)slot + IMAGE_HEADER_BYTES) != IMAGE_OK)
    return NAK_IMAGE_HASH;
  /* Header bytes 4.. first, the magic last: until the magic lands the slot does not parse. */
  for (uint32_t i = IMAGE_HEADER_BYTES; i-- > 0;) slot[i] = w->header_bytes[i];
  boot_meta_t m;
  boot_meta_load(w->layout, &m);
  m.pending = w->target;
  m.attempts = 0;
  boot_meta_store(w->layout, &m);
  w->complete = 1;
  *value = w->target;
  return 0;
}

uint8_t flash_writer_confirm(flash_writer_t *w, uint32_t *value) {
  boot_meta_t m;
  boot_meta_load(w->layout, &m);
  *value = w->running_slot;
  if (w->running_slot == BOOT_SLOT_NONE) return NAK_NOT_PENDING;
  if (!w->running_pending) return m.active == w->running_slot ? 0 : NAK_NOT_PENDING;
  m.active = w->running_slot;
  m.pending = BOOT_SLOT_NONE;
  m.attempts = 0;
  boot_meta_store(w->layout, &m);
  w->running_pending = 0;
  return 0;
}

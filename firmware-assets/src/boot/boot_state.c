#include "boot_state.h"
#include "../protocol/crc32.h"
#include "../protocol/protocol.h"

#define META_CRC_OFFSET (BOOT_META_BYTES - 4u)

static int meta_decode(const uint8_t *p, boot_meta_t *m) {
  if (get_u32le(&p[0]) != BOOT_META_MAGIC) return 0;
  if (get_u32le(&p[META_CRC_OFFSET]) != crc32_ieee(p, META_CRC_OFFSET)) return 0;
  m->seq = get_u32le(&p[4]);
  m->active = p[8];
  m->pending = p[9];
  m->attempts = p[10];
  if ((m->active != BOOT_SLOT_NONE && m->active >= BOOT_SLOT_COUNT) ||
      (m->pending != BOOT_SLOT_NONE && m->pending >= BOOT_SLOT_COUNT))
    return 0;
  return 1;
}

void boot_meta_load(const boot_layout_t *l, boot_meta_t *m) {
  boot_meta_t c[2];
  int ok0 = meta_decode(l->meta[0], &c[0]);
  int ok1 = meta_decode(l->meta[1], &c[1]);
  if (ok0 && (!ok1 || (int32_t)(c[0].seq - c[1].seq) > 0)) *m = c[0];
  else if (ok1) *m = c[1];
  else {
    m->seq = 0;
    m->active = BOOT_SLOT_NONE;
    m->pending = BOOT_SLOT_NONE;
    m->attempts = 0;
  }
}

void boot_meta_store(const boot_layout_t *l, boot_meta_t *m) {
  uint8_t rec[BOOT_META_BYTES];
  m->seq++;
  for (uint32_t i = 0; i < BOOT_META_BYTES; i++) rec[i] = 0;
  put_u32le(&rec[0], BOOT_META_MAGIC);
  put_u32le(&rec[4], m->seq);
  rec[8] = m->active;
  rec[9] = m->pending;
  rec[10] = m->attempts;
  put_u32le(&rec[META_CRC_OFFSET], crc32_ieee(rec, META_CRC_OFFSET));
  /* Odd sequence numbers live in copy 1, even in copy 0: the newest copy is never overwritten. */
  volatile uint8_t *dst = l->meta[m->seq & 1u];
  for (uint32_t i = 0; i < BOOT_META_BYTES; i++) dst[i] = rec[i];
}

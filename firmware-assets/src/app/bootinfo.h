/* Handover record the bootloader leaves in RAM for the application (board-defined address). */
#ifndef TINYSER_BOOTINFO_H
#define TINYSER_BOOTINFO_H
#include <stdint.h>
#define BOOTINFO_MAGIC 0x49425354u /* "TSBI" */
typedef struct {
  uint32_t magic;
  uint32_t image_version;
  uint8_t slot;    /* BOOT_SLOT_NONE: started without a slot image */
  uint8_t pending; /* 1: must be confirmed by the host, or the next boot rolls back */
  uint8_t rolled_back;
  uint8_t reserved;
  uint32_t boot_count;
} bootinfo_t;
#endif

/*
 * Bootloader at 0x0: choose a slot (boot_select), copy its payload to the exec address (RAM-load:
 * one link address for every image), leave a bootinfo record, jump. With no valid slot it runs
 * whatever image is already at the exec address (the app QEMU loaded with -device loader).
 */
#include <stdint.h>
#include "../../src/app/bootinfo.h"
#include "../../src/boot/boot_select.h"
#include "board.h"

#define SLOT_BYTES 0x00100000u
#define META_COPY_BYTES 0x1000u
#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)
#define SRAM_START 0x20000000u
#define SRAM_END 0x20400000u

static const boot_layout_t LAYOUT = {
    .meta = {(uint8_t *)BOARD_PSRAM_ADDR, (uint8_t *)(BOARD_PSRAM_ADDR + META_COPY_BYTES)},
    .slot = {(uint8_t *)(BOARD_PSRAM_ADDR + 0x10000u), (uint8_t *)(BOARD_PSRAM_ADDR + 0x10000u + SLOT_BYTES)},
    .slot_bytes = SLOT_BYTES,
};

static void jump_to(uint32_t vectors) {
  uint32_t sp = ((const volatile uint32_t *)vectors)[0];
  uint32_t pc = ((const volatile uint32_t *)vectors)[1];
  SCB_VTOR = vectors;
  __asm volatile("msr msp, %0\n bx %1" ::"r"(sp), "r"(pc) : "memory");
}

int main(void) {
  volatile bootinfo_t *bi = (volatile bootinfo_t *)BOARD_BOOTINFO_ADDR;
  uint32_t boots = bi->magic == BOOTINFO_MAGIC ? bi->boot_count + 1u : 1u;
  boot_decision_t d;
  boot_select(&LAYOUT, BOARD_ID, BOARD_EXEC_ADDR, &d);
  bi->magic = BOOTINFO_MAGIC;
  bi->slot = d.slot;
  bi->pending = d.pending;
  bi->rolled_back = d.rolled_back;
  bi->boot_count = boots;
  bi->image_version = 0;
  if (d.slot != BOOT_SLOT_NONE) {
    const uint8_t *src = LAYOUT.slot[d.slot] + IMAGE_HEADER_BYTES;
    volatile uint8_t *dst = (volatile uint8_t *)BOARD_EXEC_ADDR;
    for (uint32_t i = 0; i < d.header.payload_bytes; i++) dst[i] = src[i];
    bi->image_version = d.header.image_version;
  }
  uint32_t sp = *(const volatile uint32_t *)BOARD_EXEC_ADDR;
  uint32_t pc = *(const volatile uint32_t *)(BOARD_EXEC_ADDR + 4u);
  if (sp > SRAM_START && sp <= SRAM_END && pc > BOARD_EXEC_ADDR && pc < BOARD_EXEC_ADDR + BOARD_EXEC_BYTES)
    jump_to(BOARD_EXEC_ADDR);
  for (;;) {
    __asm volatile("wfi");
  }
}

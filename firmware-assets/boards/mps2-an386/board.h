/* MPS2 AN386 (Cortex-M4) as QEMU models it: memory map, peripherals, and the board API. */
#ifndef TINYSER_BOARD_H
#define TINYSER_BOARD_H
#include <stddef.h>
#include <stdint.h>

#define BOARD_NAME "mps2-an386"
#define BOARD_ID 0x0000A386u
#define BOARD_CPU_HZ 25000000u /* SYSCLK; SysTick counts this clock (icount: 40 instructions per tick) */

/* Memory map used by tinyser (see firmware-assets/README.md). */
#define BOARD_EXEC_ADDR 0x00010000u  /* applications are linked and run here */
#define BOARD_EXEC_BYTES 0x000F0000u
#define BOARD_BOOTINFO_ADDR 0x20000000u /* handover from bootloader to app, 256 bytes reserved */
#define BOARD_PSRAM_ADDR 0x21000000u /* 16 MiB machine RAM: the emulated flash, file-backed for persistence */

void board_init(void);
/* Queues bytes for transmission; blocks (sleeping) while the TX ring is full. */
void board_uart_write(const uint8_t *data, size_t n);
/* Returns -1 when no byte is waiting. */
int32_t board_uart_read(void);
/* Blocks until every queued byte left the UART. */
void board_uart_flush(void);
/* Sleeps until an interrupt if no received byte is pending (interrupt-safe check + WFI). */
void board_idle(void);
uint32_t board_cycles32(void);
void board_reset(void);
#endif

/*
 * Protocol v1 shell for real boards (see tinyser_shell.h): the shared device shell
 * (app/device_shell.c, the same file the emulated firmware runs) with this board's facts. Flashing
 * belongs to the board's own bootloader, so FLASH_* / BOOT / CONFIRM get NAK NO_FLASH; REPLAY has no
 * history here and gets NAK BAD_TYPE.
 */
#include "tinyser_shell.h"
#include "app/device_shell.h"
#include "protocol/protocol.h"
#include "tinyser_board.h"

#define SHELL_FW_VERSION 0x0101u /* 1.1: RESULT batching, features per window u16 in INFO */

static int shell_command(const frame_t *f) {
  switch (f->type) {
    case MSG_FLASH_BEGIN:
    case MSG_FLASH_DATA:
    case MSG_FLASH_END:
    case MSG_BOOT:
    case MSG_CONFIRM:
      device_shell_send_ack(MSG_NAK, f->seq, f->type, NAK_NO_FLASH, 0u);
      return 1;
    default:
      return 0;
  }
}

static const device_shell_port_t PORT = {
    TINYSER_BOARD_NAME,
    TINYSER_BOARD_ID,
    TINYSER_BOARD_TICK_HZ,
    SHELL_FW_VERSION,
    DEVICE_SHELL_CAP_FEATURES,
    tinyser_board_write,
    tinyser_board_reset,
    shell_command,
    0, /* no boot slots to report */
    0, /* no REPLAY history */
    0,
};

void tinyser_shell_init(void) { device_shell_init(&PORT); }

void tinyser_shell_rx(uint8_t byte) { device_shell_rx(byte); }

void tinyser_shell_idle(void) { device_shell_poll(); }

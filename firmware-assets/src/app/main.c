/*
 * Firmware application of the emulated board: the shared protocol shell (device_shell.c: INFO,
 * STATS, AUDIO, RESULT batching, RESET) plus what only this board has: results history for REPLAY,
 * the device side of flashing (A/B slots, BOOT, CONFIRM) and the bootloader's handover facts.
 * Single-threaded: the UART ISRs only move bytes; every frame is handled here.
 */
#include <stdint.h>
#include "../../boards/mps2-an386/board.h"
#include "../boot/boot_state.h"
#include "../boot/flash_writer.h"
#include "../protocol/frame.h"
#include "../protocol/protocol.h"
#include "../protocol/result_batch.h"
#include "app_pipeline.h"
#include "bootinfo.h"
#include "device_shell.h"

#define FW_VERSION 0x0101u /* 1.1: RESULT batching (AUDIO END / BULK), features per window u16 in INFO */
#define RESULT_HISTORY 256u /* results kept for REPLAY after a lost RESULT frame */
#define LOG_WARN 2u
#define SLOT_BYTES 0x00100000u
#define META_COPY_BYTES 0x1000u

static const boot_layout_t LAYOUT = {
    .meta = {(uint8_t *)BOARD_PSRAM_ADDR, (uint8_t *)(BOARD_PSRAM_ADDR + META_COPY_BYTES)},
    .slot = {(uint8_t *)(BOARD_PSRAM_ADDR + 0x10000u), (uint8_t *)(BOARD_PSRAM_ADDR + 0x10000u + SLOT_BYTES)},
    .slot_bytes = SLOT_BYTES,
};

static uint8_t body[PROTO_MAX_BODY];
static result_record_t history[RESULT_HISTORY];
static uint32_t history_count; /* total records ever stored; the newest is at (count - 1) % HISTORY */
static flash_writer_t flash;
static bootinfo_t boot;

static void keep_result(const result_record_t *r) { history[history_count++ % RESULT_HISTORY] = *r; }

static uint32_t get_history_count(void) { return history_count; }

static void info_fields(uint8_t *b) {
  b[31] = boot.slot;
  put_u32le(&b[32], boot.image_version);
  b[36] = (uint8_t)((flash.running_pending ? 1u : 0u) | (boot.rolled_back ? 2u : 0u));
}

static void send_replayed(uint16_t seq, uint8_t count, uint16_t len) {
  body[0] = count;
  body[1] = pipeline_info()->num_classes;
  device_shell_send_frame(MSG_RESULT, FLAG_REPLY | FLAG_REPLAYED, seq, body, len);
}

static void handle_replay(const frame_t *f) {
  if (f->len != REPLAY_BODY_BYTES) {
    device_shell_send_ack(MSG_NAK, f->seq, f->type, NAK_BAD_BODY, 0);
    return;
  }
  uint32_t from = get_u32le(f->body);
  uint32_t count = get_u16le(&f->body[4]);
  uint32_t kept = history_count < RESULT_HISTORY ? history_count : RESULT_HISTORY;
  uint32_t oldest = kept ? history[(history_count - kept) % RESULT_HISTORY].window : 0;
  if (kept == 0 || from < oldest) {
    device_shell_send_ack(MSG_NAK, f->seq, f->type, NAK_REPLAY_GONE, oldest);
    return;
  }
  uint8_t nc = pipeline_info()->num_classes;
  uint16_t len = RESULT_HEADER_BYTES;
  uint8_t cnt = 0;
  uint32_t sent = 0;
  for (uint32_t k = history_count - kept; k < history_count; k++) {
    const result_record_t *r = &history[k % RESULT_HISTORY];
    if (r->window < from || r->window >= from + count) continue;
    if (len + result_record_bytes(nc) > PROTO_MAX_BODY || cnt == RESULT_MAX_RECORDS) {
      send_replayed(f->seq, cnt, len);
      len = RESULT_HEADER_BYTES;
      cnt = 0;
    }
    len = (uint16_t)(len + result_record_put(&body[len], r, nc));
    cnt++;
    sent++;
  }
  if (cnt) send_replayed(f->seq, cnt, len);
  device_shell_send_ack(MSG_ACK, f->seq, f->type, 0, sent);
}

/* Commands beyond the shared shell: REPLAY and the flashing sequence. */
static int board_command(const frame_t *f) {
  uint32_t value = 0;
  uint8_t code;
  switch (f->type) {
    case MSG_REPLAY:
      handle_replay(f);
      return 1;
    case MSG_FLASH_BEGIN:
      code = flash_writer_begin(&flash, f->body, f->len, &value);
      break;
    case MSG_FLASH_DATA:
      if (f->len < FLASH_DATA_HEADER_BYTES) code = NAK_BAD_BODY;
      else
        code = flash_writer_data(&flash, get_u32le(f->body), &f->body[FLASH_DATA_HEADER_BYTES],
                                 (uint16_t)(f->len - FLASH_DATA_HEADER_BYTES), &value);
      break;
    case MSG_FLASH_END:
      code = flash_writer_end(&flash, &value);
      break;
    case MSG_CONFIRM:
      code = flash_writer_confirm(&flash, &value);
      break;
    case MSG_BOOT:
      if (!flash.complete) {
        device_shell_send_ack(MSG_NAK, f->seq, f->type, NAK_NO_IMAGE, 0);
        return 1;
      }
      device_shell_send_ack(MSG_ACK, f->seq, f->type, 0, flash.target);
      board_reset();
      return 1;
    default:
      return 0;
  }
  device_shell_send_ack(code ? MSG_NAK : MSG_ACK, f->seq, f->type, code, value);
  return 1;
}

static const device_shell_port_t PORT = {
    .board_name = BOARD_NAME,
    .board_id = BOARD_ID,
    .tick_hz = BOARD_CPU_HZ,
    .fw_version = FW_VERSION,
    .capabilities = DEVICE_SHELL_CAP_FLASH | DEVICE_SHELL_CAP_FEATURES | DEVICE_SHELL_CAP_REPLAY |
                    (IMAGE_REQUIRE_SIGNATURE ? DEVICE_SHELL_CAP_SIGNATURES : 0u),
    .write = board_uart_write,
    .reset = board_reset,
    .command = board_command,
    .info_fields = info_fields,
    .on_result = keep_result,
    .history_count = get_history_count,
};

int main(void) {
  const volatile bootinfo_t *bi = (const volatile bootinfo_t *)BOARD_BOOTINFO_ADDR;
  if (bi->magic == BOOTINFO_MAGIC) {
    boot.image_version = bi->image_version;
    boot.slot = bi->slot;
    boot.pending = bi->pending;
    boot.rolled_back = bi->rolled_back;
  } else {
    boot.slot = BOOT_SLOT_NONE;
  }
  board_init();
  flash_writer_init(&flash, &LAYOUT, BOARD_ID, BOARD_EXEC_ADDR, boot.slot, boot.pending);
  device_shell_init(&PORT);
  if (boot.rolled_back) device_shell_send_log(LOG_WARN, "pending image was not confirmed: rolled back");
  for (;;) {
    int32_t b = board_uart_read();
    if (b < 0) {
      /* Nothing to read: ship results whose hold time is up, then sleep until the next interrupt
       * (UART, or the SysTick wrap every 2^24 ticks = 0.67 s at 25 MHz). */
      device_shell_poll();
      board_idle();
      continue;
    }
    device_shell_rx((uint8_t)b);
  }
}

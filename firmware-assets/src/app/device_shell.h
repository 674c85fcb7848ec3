/*
 * The device side of protocol v1 that every tinyser firmware shares (firmware-assets/PROTOCOL.md):
 * frame decoding, HELLO -> INFO, STATS, AUDIO -> ACK/NAK + RESULT batches (+ FEATURES on request),
 * RESET, and the announce at start-up. A board adds what only it has through device_shell_port_t:
 * the emulated firmware (main.c) flashing, REPLAY history and boot facts; the real-board templates
 * (templates/common/tinyser_shell.c) nothing but "no flash".
 *
 * Single-threaded and byte-oriented: feed every received byte to device_shell_rx() and call
 * device_shell_poll() whenever nothing is waiting, so held RESULT records leave within their hold
 * time (RESULT batching in PROTOCOL.md).
 */
#ifndef TINYSER_DEVICE_SHELL_H
#define TINYSER_DEVICE_SHELL_H
#include <stddef.h>
#include <stdint.h>
#include "../protocol/frame.h"
#include "../protocol/result_batch.h"

/* Latency bound of live streams: a RESULT record waits at most this long for company. */
#ifndef DEVICE_SHELL_RESULT_HOLD_MS
#define DEVICE_SHELL_RESULT_HOLD_MS 100u
#endif

#define DEVICE_SHELL_CAP_FLASH 0x1u
#define DEVICE_SHELL_CAP_FEATURES 0x2u
#define DEVICE_SHELL_CAP_REPLAY 0x4u
#define DEVICE_SHELL_CAP_SIGNATURES 0x8u /* images must carry a valid ed25519 signature */
#define DEVICE_SHELL_BOOT_SLOT_NONE 0xFFu

typedef struct {
  const char *board_name; /* INFO, at most 16 bytes used */
  uint32_t board_id;
  uint32_t tick_hz; /* board_cycles32() ticks per second: INFO's clock field and the hold time's unit */
  uint16_t fw_version; /* major << 8 | minor */
  uint32_t capabilities; /* DEVICE_SHELL_CAP_* */
  void (*write)(const uint8_t *data, size_t n);
  void (*reset)(void); /* RESET, called after its ACK was queued; must not return on hardware */
  /* Optional: commands the shell does not implement (flash, REPLAY). Return 1 when answered;
   * 0 makes the shell answer NAK BAD_TYPE. Held RESULT records were sent before the call. */
  int (*command)(const frame_t *f);
  /* Optional: board facts of INFO (boot slot at 31, image version at 32, boot flags at 36). */
  void (*info_fields)(uint8_t *info_body);
  /* Optional: every result record as it is produced (the emulated board keeps REPLAY history). */
  void (*on_result)(const result_record_t *r);
  /* Optional: STATS historyCount. */
  uint32_t (*history_count)(void);
} device_shell_port_t;

/* Starts the pipeline and announces INFO (flag ANNOUNCE, stream seq 0). port must outlive the shell. */
void device_shell_init(const device_shell_port_t *port);
void device_shell_rx(uint8_t byte);
/* Sends held RESULT records whose hold time has elapsed. */
void device_shell_poll(void);

/* For board commands: frames, ACK/NAK (body seq, forType, code, value) and stream LOG lines. */
void device_shell_send_frame(uint8_t type, uint8_t flags, uint16_t seq, const uint8_t *body, uint16_t len);
void device_shell_send_ack(uint8_t type, uint16_t seq, uint8_t for_type, uint8_t code, uint32_t value);
void device_shell_send_log(uint8_t level, const char *text);
#endif

/*
 * Portable device side of the tinyser serial protocol v1 (firmware-assets/PROTOCOL.md) for real
 * boards: HELLO -> INFO, AUDIO -> ACK/NAK + RESULT batches (+ FEATURES on request), STATS, RESET.
 * Flashing and REPLAY are the emulated board's job (firmware-assets/src/app/main.c); here they are
 * answered with NAK NO_FLASH / NAK BAD_TYPE and INFO advertises only the FEATURES capability, so the
 * host tools (tinyser monitor / hil) know what to expect.
 *
 * Byte-oriented and single-threaded: feed every received byte to tinyser_shell_rx() and call
 * tinyser_shell_idle() when no byte is waiting: it ships held RESULT records once they have waited
 * DEVICE_SHELL_RESULT_HOLD_MS (100 ms; PROTOCOL.md "RESULT batching"), so call it often.
 */
#ifndef TINYSER_SHELL_H
#define TINYSER_SHELL_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
/* Initializes the pipeline (frontend + model) and announces INFO (flag ANNOUNCE, seq 0). */
void tinyser_shell_init(void);
void tinyser_shell_rx(uint8_t byte);
void tinyser_shell_idle(void);
#ifdef __cplusplus
}
#endif
#endif

/*
 * What the portable protocol shell (tinyser_shell.c) needs from a board. Each template implements
 * these in its own board file (Arduino sketch glue, ESP-IDF main, Pico main.c); the constants come
 * from that template's tinyser_board_config.h. board_cycles32() is also what src/app/pipeline_ser.c
 * times the frontend and the model with, so its unit is the one RESULT frames report.
 */
#ifndef TINYSER_BOARD_API_H
#define TINYSER_BOARD_API_H
#include <stddef.h>
#include <stdint.h>
#include "tinyser_board_config.h" /* TINYSER_BOARD_NAME, TINYSER_BOARD_ID, TINYSER_BOARD_TICK_HZ */

#ifdef __cplusplus
extern "C" {
#endif
/* Sends protocol bytes to the host (blocking until queued). */
void tinyser_board_write(const uint8_t *data, size_t n);
/* Restarts the board (RESET command). Never returns on hardware. */
void tinyser_board_reset(void);
/* Free-running 32-bit tick counter (unit: TINYSER_BOARD_TICK_HZ ticks per second). */
uint32_t board_cycles32(void);
#ifdef __cplusplus
}
#endif
#endif

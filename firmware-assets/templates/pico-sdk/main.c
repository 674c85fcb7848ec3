/*
 * tinyser on a Raspberry Pi Pico: the serial protocol v1 over USB CDC (stdio), the fixed-point
 * frontend and the compiler's interpreter-free model C (tinyser/model.c + tinyser/kernels/).
 * No TFLM: the generated C is the same code the emulated board runs and the host checks byte for
 * byte against the TS interpreter (DESIGN contract 4).
 *
 * Audio comes from the host (AUDIO frames: `tinyser monitor` / `tinyser hil` with --port /dev/ttyACM0);
 * results go back as RESULT frames. Model '{{TINYSER_MODEL_NAME}}', {{TINYSER_NUM_CLASSES}} classes.
 */
#include <stddef.h>
#include <stdint.h>

#include "hardware/timer.h"
#include "hardware/watchdog.h"
#include "pico/stdio_usb.h"
#include "pico/stdlib.h"

#include "tinyser_board.h"
#include "tinyser_shell.h"

void tinyser_board_write(const uint8_t *data, size_t n) {
  /* putchar_raw: protocol bytes must not go through CR/LF translation (0x0A is a valid COBS byte). */
  for (size_t i = 0; i < n; i++) putchar_raw((int)data[i]);
}

void tinyser_board_reset(void) {
  stdio_flush();
  watchdog_reboot(0u, 0u, 0u);
  for (;;) tight_loop_contents();
}

uint32_t board_cycles32(void) { return time_us_32(); }

int main(void) {
  stdio_init_all();
  /* What is sent before the host opens the port is lost; wait so the ANNOUNCE INFO arrives
   * (the host also asks with HELLO, so this is a convenience, not a requirement). */
  while (!stdio_usb_connected()) sleep_ms(10);
  tinyser_shell_init();
  for (;;) {
    int c = getchar_timeout_us(0);
    if (c == PICO_ERROR_TIMEOUT) {
      tinyser_shell_idle(); /* nothing to read now: ship RESULTs whose hold time is up */
      stdio_flush();
      continue;
    }
    tinyser_shell_rx((uint8_t)c);
  }
}

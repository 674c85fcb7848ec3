/*
 * HOST TEST HARNESS (not shipped in any template): stands in for the Pico template's main.c so
 * test/templates/ can run the template's exact tinyser/ sources on the host. Reads the host's
 * protocol bytes from stdin, writes the device's bytes to stdout; one tinyser_shell_idle() after
 * every frame delimiter, as the board loop does when its receive queue runs dry.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tinyser_board.h"
#include "tinyser_shell.h"

static uint32_t ticks;

void tinyser_board_write(const uint8_t *data, size_t n) { fwrite(data, 1, n, stdout); }
void tinyser_board_reset(void) {
  fflush(stdout);
  exit(0);
}
uint32_t board_cycles32(void) { return ticks++; }

int main(void) {
  int c;
  tinyser_shell_init();
  while ((c = getchar()) != EOF) {
    tinyser_shell_rx((uint8_t)c);
    if (c == 0) tinyser_shell_idle();
  }
  tinyser_shell_idle();
  fflush(stdout);
  return 0;
}

/*
 * Runs the C frontend on the emulated Cortex-M4 (qemu-system-arm -M mps2-an386, -icount shift=0) over a
 * deterministic 1 s integer test signal in 160-sample chunks, and prints one line:
 *   frames <n> ticks <SysTick ticks inside tsr_frontend_push> sat <clamped> fnv <FNV-1a of all int8 rows>
 * test/cfrontend/m4-emulator.test.ts regenerates the signal in TS and compares frames, sat and fnv.
 * Links the board's startup.c / board.c read-only, with m4_flat.ld placing the image at address 0.
 */
#include <stdint.h>
#include <string.h>
#include "board.h"
#include "tsr_frontend.h"

#define SIGNAL_SAMPLES 16000u
#define CHUNK_SAMPLES 160u
#define ROWS_PER_PUSH 8u

static tsr_frontend_t fe;
static int16_t pcm[SIGNAL_SAMPLES];
static int8_t rows[ROWS_PER_PUSH * TSR_FEATURE_DIMS];
static uint32_t fnv = 2166136261u;

static void put_str(const char *s) { board_uart_write((const uint8_t *)s, strlen(s)); }
static void put_u32(uint32_t v) {
  char b[11];
  int i = 10;
  b[i] = 0;
  do {
    b[--i] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  put_str(&b[i]);
}

/* Pulse train (period 107) plus LCG noise through a two-pole resonator, clamped to int16. */
static void make_signal(void) {
  uint32_t seed = 12345u, i;
  int32_t y1 = 0, y2 = 0;
  for (i = 0; i < SIGNAL_SAMPLES; i++) {
    int32_t e = (i % 107u == 0u) ? 20000 : 0, y;
    seed = seed * 1664525u + 1013904223u;
    e += (int32_t)(seed >> 22) - 512;
    y = e + (int32_t)(((int64_t)y1 * 58000) >> 15) - (int32_t)(((int64_t)y2 * 30000) >> 15);
    y2 = y1;
    y1 = y;
    pcm[i] = (int16_t)(y > 32767 ? 32767 : (y < -32768 ? -32768 : y));
  }
}

int main(void) {
  uint32_t i, j, frames = 0, ticks = 0;
  board_init();
  make_signal();
  tsr_frontend_init(&fe);
  for (i = 0; i < SIGNAL_SAMPLES; i += CHUNK_SAMPLES) {
    const uint32_t t0 = board_cycles32();
    const uint32_t k = tsr_frontend_push(&fe, &pcm[i], CHUNK_SAMPLES, rows, ROWS_PER_PUSH);
    ticks += board_cycles32() - t0;
    frames += k;
    for (j = 0; j < k * TSR_FEATURE_DIMS; j++) {
      fnv ^= (uint8_t)rows[j];
      fnv *= 16777619u;
    }
  }
  put_str("frames ");
  put_u32(frames);
  put_str(" ticks ");
  put_u32(ticks);
  put_str(" sat ");
  put_u32(fe.saturated);
  put_str(" fnv ");
  put_u32(fnv);
  put_str("\n");
  board_uart_flush();
  for (;;) board_idle();
}

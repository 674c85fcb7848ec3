/* VENDOR STUB (syntax checks only, not the Pico SDK): the pico/stdlib.h names tinyser's main.c uses. */
#ifndef TINYSER_STUB_PICO_STDLIB_H
#define TINYSER_STUB_PICO_STDLIB_H
#include <stdbool.h>
#include <stdint.h>
#define PICO_ERROR_TIMEOUT (-1)
bool stdio_init_all(void);
void stdio_flush(void);
int getchar_timeout_us(uint32_t timeout_us);
int putchar_raw(int c);
void sleep_ms(uint32_t ms);
static inline void tight_loop_contents(void) {}
#endif

/* VENDOR STUB (syntax checks only, not the Pico SDK). */
#ifndef TINYSER_STUB_HARDWARE_TIMER_H
#define TINYSER_STUB_HARDWARE_TIMER_H
#include <stdint.h>
uint32_t time_us_32(void);
#endif

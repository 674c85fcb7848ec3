/* Raspberry Pi Pico (RP2040) / Pico 2 (RP2350): identity reported in INFO, tick unit of RESULT cycles. */
#ifndef TINYSER_BOARD_CONFIG_H
#define TINYSER_BOARD_CONFIG_H
#define TINYSER_BOARD_NAME "pico-sdk"
/* Template boards use ids 0x7E0000xx: not an A/B image target (flashing goes through BOOTSEL / picotool). */
#define TINYSER_BOARD_ID 0x7E000003u
/* board_cycles32() is time_us_32(): RESULT frontend/model "cycles" are microseconds. */
#define TINYSER_BOARD_TICK_HZ 1000000u
#endif

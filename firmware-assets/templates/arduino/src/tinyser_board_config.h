/* Arduino (written for the Nano 33 BLE Sense): identity reported in INFO, tick unit of RESULT cycles. */
#ifndef TINYSER_BOARD_CONFIG_H
#define TINYSER_BOARD_CONFIG_H
#define TINYSER_BOARD_NAME "arduino"
/* Template boards use ids 0x7E0000xx: not an A/B image target (flashing goes through the Arduino IDE). */
#define TINYSER_BOARD_ID 0x7E000001u
/* board_cycles32() is micros(): RESULT frontend/model "cycles" are microseconds. */
#define TINYSER_BOARD_TICK_HZ 1000000u
#endif

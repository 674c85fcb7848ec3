/* ESP32 family (ESP-IDF): identity reported in INFO, tick unit of RESULT cycles. */
#ifndef TINYSER_BOARD_CONFIG_H
#define TINYSER_BOARD_CONFIG_H
#define TINYSER_BOARD_NAME "esp-idf"
/* Template boards use ids 0x7E0000xx: not an A/B image target (flashing goes through idf.py flash). */
#define TINYSER_BOARD_ID 0x7E000002u
/* board_cycles32() is the low 32 bits of esp_timer_get_time(): RESULT "cycles" are microseconds. */
#define TINYSER_BOARD_TICK_HZ 1000000u
#endif

/* VENDOR STUB (syntax checks only, not ESP-IDF): shared basics of the ESP-IDF stubs. */
#ifndef TINYSER_STUB_ESP_ERR_H
#define TINYSER_STUB_ESP_ERR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef int esp_err_t;
#define ESP_OK 0
#define ESP_ERROR_CHECK(x) \
  do {                     \
    esp_err_t err_ = (x);  \
    (void)err_;            \
  } while (0)
typedef uint32_t TickType_t;
#define pdMS_TO_TICKS(ms) ((TickType_t)(ms))
#define portMAX_DELAY ((TickType_t)0xffffffffUL)
typedef void* QueueHandle_t;
typedef enum { GPIO_NUM_NC = -1, GPIO_NUM_0 = 0, GPIO_NUM_MAX = 49 } gpio_num_t;
#endif

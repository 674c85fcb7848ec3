// tinyser speech emotion recognition on ESP32 (model '{{TINYSER_MODEL_NAME}}', {{TINYSER_NUM_CLASSES}} classes).
// Default: I2S MEMS microphone (16 kHz mono, standard Philips format) -> tinyser frontend -> TFLM,
// printing top class + scores once per window ({{TINYSER_HOP_SAMPLES}} samples).
// CONFIG_TINYSER_PROTOCOL: the tinyser serial protocol v1 on UART0 instead (audio from the host).
#include <stdint.h>
#include <stdio.h>

#include "driver/i2s_std.h"
#include "driver/uart.h"
#include "esp_system.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "sdkconfig.h"
#include "tinyser.h"

static const char* const kClassNames[TINYSER_INFO_NUM_CLASSES] = TINYSER_INFO_CLASS_NAMES;

extern "C" uint32_t board_cycles32(void) { return (uint32_t)esp_timer_get_time(); }
extern "C" void tinyser_board_write(const uint8_t* data, size_t n) { uart_write_bytes(UART_NUM_0, data, n); }
extern "C" void tinyser_board_reset(void) {
  uart_wait_tx_done(UART_NUM_0, pdMS_TO_TICKS(100));
  esp_restart();
}

#if CONFIG_TINYSER_PROTOCOL
static void RunProtocol() {
  uart_config_t c = {};
  c.baud_rate = 115200;  // the host tools open serial ports at 115200 baud
  c.data_bits = UART_DATA_8_BITS;
  c.parity = UART_PARITY_DISABLE;
  c.stop_bits = UART_STOP_BITS_1;
  c.flow_ctrl = UART_HW_FLOWCTRL_DISABLE;
  c.source_clk = UART_SCLK_DEFAULT;
  ESP_ERROR_CHECK(uart_driver_install(UART_NUM_0, 4096, 4096, 0, nullptr, 0));
  ESP_ERROR_CHECK(uart_param_config(UART_NUM_0, &c));
  tinyser_shell_init();
  uint8_t buf[256];
  for (;;) {
    const int n = uart_read_bytes(UART_NUM_0, buf, sizeof(buf), pdMS_TO_TICKS(2));
    if (n <= 0) {
      tinyser_shell_idle();  // nothing to read now: ship RESULTs whose hold time is up
      continue;
    }
    for (int i = 0; i < n; i++) tinyser_shell_rx(buf[i]);
  }
}
#else
static void PrintResult(const pipeline_result_t* r, void* ctx) {
  (void)ctx;
  printf("window %lu: %s |", (unsigned long)r->window, kClassNames[r->top]);
  for (uint32_t c = 0; c < TINYSER_INFO_NUM_CLASSES; c++) {
    // Dequantized score (probability when the model ends in softmax).
    printf(" %s=%.3f", kClassNames[c], TINYSER_INFO_OUTPUT_SCALE * (float)(r->scores[c] - TINYSER_INFO_OUTPUT_ZERO_POINT));
  }
  printf(" | frontend %lu us, model %lu us\n", (unsigned long)r->frontend_cycles, (unsigned long)r->model_cycles);
}

static void RunMicrophone() {
  i2s_chan_handle_t rx = nullptr;
  i2s_chan_config_t chan_cfg = I2S_CHANNEL_DEFAULT_CONFIG(I2S_NUM_0, I2S_ROLE_MASTER);
  ESP_ERROR_CHECK(i2s_new_channel(&chan_cfg, nullptr, &rx));
  i2s_std_config_t std_cfg = {};
  std_cfg.clk_cfg = I2S_STD_CLK_DEFAULT_CONFIG(TINYSER_INFO_SAMPLE_RATE_HZ);
  std_cfg.slot_cfg = I2S_STD_PHILIPS_SLOT_DEFAULT_CONFIG(I2S_DATA_BIT_WIDTH_32BIT, I2S_SLOT_MODE_MONO);
  std_cfg.slot_cfg.slot_mask = I2S_STD_SLOT_LEFT;  // L/R pin of the microphone tied low
  std_cfg.gpio_cfg.mclk = I2S_GPIO_UNUSED;
  std_cfg.gpio_cfg.bclk = (gpio_num_t)CONFIG_TINYSER_I2S_BCLK_GPIO;
  std_cfg.gpio_cfg.ws = (gpio_num_t)CONFIG_TINYSER_I2S_WS_GPIO;
  std_cfg.gpio_cfg.dout = I2S_GPIO_UNUSED;
  std_cfg.gpio_cfg.din = (gpio_num_t)CONFIG_TINYSER_I2S_DIN_GPIO;
  ESP_ERROR_CHECK(i2s_channel_init_std_mode(rx, &std_cfg));
  ESP_ERROR_CHECK(i2s_channel_enable(rx));

  pipeline_init(PrintResult, nullptr);
  static int32_t raw[256];
  static int16_t pcm[256];
  for (;;) {
    size_t bytes = 0;
    // timeout in ms (not ticks); a read of 256 samples takes 16 ms at 16 kHz
    if (i2s_channel_read(rx, raw, sizeof(raw), &bytes, 1000) != ESP_OK) continue;
    const size_t n = bytes / sizeof(raw[0]);
    for (size_t i = 0; i < n; i++) {
      int32_t v = raw[i] >> CONFIG_TINYSER_I2S_SHIFT;
      pcm[i] = (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
    }
    pipeline_push_audio(pcm, (uint32_t)n);
  }
}
#endif

extern "C" void app_main(void) {
  const int status = tinyser_model_setup();
#if CONFIG_TINYSER_PROTOCOL
  (void)status;  // a failed model shows on the host as all -128 scores; protocol off prints the reason
  RunProtocol();
#else
  if (status != TINYSER_MODEL_OK) {
    printf("tinyser: model setup failed, code %d (3 = arena too small: raise CONFIG_TINYSER_ARENA_SIZE)\n", status);
    return;
  }
  printf("tinyser: '{{TINYSER_MODEL_NAME}}', arena used %lu of %lu bytes\n", (unsigned long)tinyser_model_arena_used(),
         (unsigned long)TINYSER_MODEL_ARENA_BYTES);
  RunMicrophone();
#endif
}

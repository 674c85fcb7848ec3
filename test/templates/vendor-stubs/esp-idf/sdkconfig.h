/* VENDOR STUB (syntax checks only): what menuconfig would write for the tinyser Kconfig options.
 * CONFIG_TINYSER_PROTOCOL is left undefined (bool "n"), as sdkconfig.h does; tests add -D for "y". */
#define CONFIG_TINYSER_ARENA_SIZE 32768
#define CONFIG_TINYSER_I2S_BCLK_GPIO 26
#define CONFIG_TINYSER_I2S_WS_GPIO 25
#define CONFIG_TINYSER_I2S_DIN_GPIO 33
#define CONFIG_TINYSER_I2S_SHIFT 14

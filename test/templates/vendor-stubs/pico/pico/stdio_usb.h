/* VENDOR STUB (syntax checks only, not the Pico SDK). */
#ifndef TINYSER_STUB_PICO_STDIO_USB_H
#define TINYSER_STUB_PICO_STDIO_USB_H
#include <stdbool.h>
bool stdio_usb_connected(void);
#endif

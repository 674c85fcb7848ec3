/* VENDOR STUB (syntax checks only, not FreeRTOS). */
#include "../esp_err_stub.h"

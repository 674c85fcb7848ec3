/* VENDOR STUB (syntax checks only, not ESP-IDF). */
#include "esp_err_stub.h"
#ifdef __cplusplus
extern "C"
#endif
void esp_restart(void);

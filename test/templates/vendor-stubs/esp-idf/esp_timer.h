/* VENDOR STUB (syntax checks only, not ESP-IDF). */
#include "esp_err_stub.h"
#ifdef __cplusplus
extern "C"
#endif
int64_t esp_timer_get_time(void);

/*
 * The seam between the firmware shell (UART, protocol, bootloader) and the signal/model code.
 *
 * The shell pushes 16 kHz int16 audio in chunks of any size; the pipeline cuts it into windows
 * (window k starts at absolute sample k * hop), computes int8 features, runs the model and calls
 * the result callback once per window, in window order. Today the implementation behind this
 * header is pipeline_energy.c (integer frame statistics + a 4x4 int8 dense layer, a placeholder
 * with a bit-exact TS twin in device-bridge/pipeline/). The fixed-point log-mel frontend and the
 * compiler's generated model C replace it later without touching the shell: they implement the
 * same five functions and fill pipeline_info_t from their own configuration.
 */
#ifndef TINYSER_APP_PIPELINE_H
#define TINYSER_APP_PIPELINE_H
#include <stdint.h>

#define PIPELINE_MAX_CLASSES 16u
#define PIPELINE_MAX_FEATURES 1024u

typedef struct {
  uint32_t model_id;      /* identifies the weights (compiler output hash); 0 for the placeholder */
  uint32_t frontend_hash; /* hash of the frontend configuration the model was trained with */
  uint32_t arena_bytes;   /* tensor arena reserved by the model */
  uint16_t sample_rate_hz;
  uint16_t window_samples;
  uint16_t hop_samples;
  uint8_t num_classes;
  uint16_t num_features;  /* int8 features per window (what FEATURES frames carry) */
} pipeline_info_t;

typedef struct {
  uint32_t window;          /* absolute window index: the window starts at sample window * hop */
  uint32_t frontend_cycles; /* board cycle-counter ticks spent in the frontend for this window */
  uint32_t model_cycles;    /* ... and in the model */
  uint8_t top;              /* argmax of scores, lowest index on ties */
  int8_t scores[PIPELINE_MAX_CLASSES];
  const int8_t *features;   /* num_features int8 values, valid only during the callback */
} pipeline_result_t;

typedef void (*pipeline_result_cb)(const pipeline_result_t *result, void *ctx);

const pipeline_info_t *pipeline_info(void);
void pipeline_init(pipeline_result_cb cb, void *ctx);
/* Restarts windowing: the next pushed sample has absolute index sample_offset. Windows that
 * would need earlier samples are skipped, so the first window is ceil(sample_offset / hop). */
void pipeline_reset(uint32_t sample_offset);
void pipeline_push_audio(const int16_t *pcm, uint32_t n);
/* Absolute index of the next sample the pipeline expects. */
uint32_t pipeline_next_offset(void);

/* Provided by the board (or a host stub): a free-running tick counter for cycle figures. */
uint32_t board_cycles32(void);
#endif

/*
 * The speech-emotion pipeline behind app_pipeline.h: tinyser's fixed-point log-mel / MFCC frontend
 * (src/frontend, streaming, one int8 row per 10 ms frame) feeding the compiler's generated model C
 * (model.h / model.c calling src/kernels) on a sliding window of frames.
 *
 * Everything model- and frontend-specific is generated, never edited here:
 *   tsr_frontend_tables.h/.c   frontend config (normalization + the model input's scale / zero point)
 *   model.h/.c                 the int8 model (prefix tinyser_model)
 *   ser_pipeline_config.h      SER_WINDOW_FRAMES, SER_HOP_FRAMES, SER_NUM_CLASSES, SER_REPORT_FRAMES,
 *                              SER_FRONTEND_HASH_U32
 * (device-bridge/firmware/ser-build.ts writes them and builds with PIPELINE_SRC pointing here).
 * The bit-exact TS twin is device-bridge/pipeline/ser-pipeline.ts.
 *
 * Window k = frames [k*H, k*H + W) = samples [k*H*hop, k*H*hop + (W-1)*hop + frame_window).
 * Features reported with each result (FEATURES frames) are the LAST SER_REPORT_FRAMES frames of the
 * window: a FEATURES body holds at most PROTO_MAX_BODY - 6 bytes, so a 98x40 window cannot travel
 * whole; with SER_REPORT_FRAMES == SER_HOP_FRAMES consecutive windows report every frame after the
 * first window's head exactly once. frontend_cycles = ticks spent in the frontend since the previous
 * window (the frames this window added), model_cycles = one model invocation.
 */
#include "app_pipeline.h"
#include "../protocol/protocol.h"
#include "model.h"
#include "ser_pipeline_config.h"
#include "tsr_frontend.h"

#define SER_DIMS ((uint32_t)TSR_FEATURE_DIMS)
#define SER_WINDOW_FEATURES (SER_WINDOW_FRAMES * SER_DIMS)
#define SER_REPORT_FEATURES (SER_REPORT_FRAMES * SER_DIMS)
#define SER_WINDOW_SAMPLES ((SER_WINDOW_FRAMES - 1u) * (uint32_t)TSR_HOP_SAMPLES + (uint32_t)TSR_WINDOW_SAMPLES)
#define SER_HOP_SAMPLES (SER_HOP_FRAMES * (uint32_t)TSR_HOP_SAMPLES)

/* C99 has no _Static_assert: a negative array size stops the build with the name of the check. */
#define SER_STATIC_ASSERT(cond, name) typedef char ser_static_assert_##name[(cond) ? 1 : -1]
SER_STATIC_ASSERT(TINYSER_MODEL_INPUT_BYTES == SER_WINDOW_FEATURES, model_input_is_window_of_frames);
SER_STATIC_ASSERT(TINYSER_MODEL_OUTPUT_BYTES == SER_NUM_CLASSES, model_output_is_one_int8_per_class);
SER_STATIC_ASSERT(SER_NUM_CLASSES <= PIPELINE_MAX_CLASSES, classes_fit_result_record);
SER_STATIC_ASSERT(SER_REPORT_FRAMES <= SER_WINDOW_FRAMES, report_frames_within_window);
SER_STATIC_ASSERT(SER_REPORT_FEATURES <= PIPELINE_MAX_FEATURES, report_fits_pipeline);
SER_STATIC_ASSERT(SER_REPORT_FEATURES <= PROTO_MAX_BODY - FEATURES_HEADER_BYTES, report_fits_features_frame);
SER_STATIC_ASSERT(SER_HOP_FRAMES >= 1u, hop_at_least_one_frame);
SER_STATIC_ASSERT(SER_WINDOW_SAMPLES <= 0xFFFFu && SER_HOP_SAMPLES <= 0xFFFFu, window_fits_info_u16);

static const pipeline_info_t SER_INFO = {
    .model_id = TINYSER_MODEL_HASH32,
    .frontend_hash = SER_FRONTEND_HASH_U32, /* not TSR_FRONTEND_CONFIG_HASH_U32: UINT32_C(0x..u) breaks on newlib */
    .arena_bytes = TINYSER_MODEL_ARENA_BYTES,
    .sample_rate_hz = TSR_SAMPLE_RATE_HZ,
    .window_samples = (uint16_t)SER_WINDOW_SAMPLES,
    .hop_samples = (uint16_t)SER_HOP_SAMPLES,
    .num_classes = (uint8_t)SER_NUM_CLASSES,
    .num_features = (uint16_t)SER_REPORT_FEATURES,
};

static tsr_frontend_t frontend;
static int8_t frame_ring[SER_WINDOW_FRAMES][SER_DIMS]; /* frame t lives at frame_ring[t % W] */
static int8_t window_input[SER_WINDOW_FEATURES];       /* kept outside the arena: ops reuse the input */
static uint32_t next_offset;
static uint32_t next_window;
static uint32_t frontend_ticks; /* accumulated since the previous window */
static pipeline_result_cb result_cb;
static void *result_ctx;

const pipeline_info_t *pipeline_info(void) { return &SER_INFO; }

void pipeline_init(pipeline_result_cb cb, void *ctx) {
  result_cb = cb;
  result_ctx = ctx;
  tsr_frontend_init(&frontend);
  pipeline_reset(0);
}

void pipeline_reset(uint32_t sample_offset) {
  next_offset = sample_offset;
  next_window = (sample_offset + SER_HOP_SAMPLES - 1u) / SER_HOP_SAMPLES;
  frontend_ticks = 0;
  tsr_frontend_reset_at(&frontend, sample_offset);
}

uint32_t pipeline_next_offset(void) { return next_offset; }

static void run_window(uint32_t window) {
  pipeline_result_t r;
  int8_t scores[SER_NUM_CLASSES];
  uint32_t first = window * SER_HOP_FRAMES;
  for (uint32_t j = 0; j < SER_WINDOW_FRAMES; j++) {
    const int8_t *src = frame_ring[(first + j) % SER_WINDOW_FRAMES];
    for (uint32_t d = 0; d < SER_DIMS; d++) window_input[j * SER_DIMS + d] = src[d];
  }
  uint32_t t0 = board_cycles32();
  tinyser_model_invoke(window_input, scores);
  uint32_t t1 = board_cycles32();
  uint8_t top = 0;
  for (uint32_t c = 0; c < SER_NUM_CLASSES; c++) {
    r.scores[c] = scores[c];
    if (scores[c] > scores[top]) top = (uint8_t)c;
  }
  r.window = window;
  r.frontend_cycles = frontend_ticks;
  r.model_cycles = t1 - t0;
  r.top = top;
  r.features = &window_input[SER_WINDOW_FEATURES - SER_REPORT_FEATURES];
  frontend_ticks = 0;
  if (result_cb) result_cb(&r, result_ctx);
}

void pipeline_push_audio(const int16_t *pcm, uint32_t n) {
  uint32_t i = 0;
  while (i < n) {
    uint32_t frame = tsr_frontend_next_frame(&frontend);
    uint32_t t0 = board_cycles32();
    /* At most one frame per call, written straight into its ring slot. */
    uint32_t made = tsr_frontend_push(&frontend, &pcm[i], n - i, frame_ring[frame % SER_WINDOW_FRAMES], 1u);
    frontend_ticks += board_cycles32() - t0;
    i += frontend.consumed;
    next_offset += frontend.consumed;
    if (made && frame + 1u == next_window * SER_HOP_FRAMES + SER_WINDOW_FRAMES) {
      run_window(next_window);
      next_window++;
    }
    if (!made && frontend.consumed == 0u) break; /* defensive: no progress possible */
  }
}

/*
 * Placeholder pipeline: integer frame statistics as features, a 4x4 int8 dense layer as the
 * "model". Every step is integer math so the TS twin (device-bridge/pipeline/energy-pipeline.ts)
 * reproduces it bit for bit; it exercises the HIL comparison path until the real frontend and
 * generated model C exist.
 *
 * Features per 25 ms window (400 samples at 16 kHz, 10 ms hop):
 *   f0 = sat8((log2Q8(sum x^2) >> 5) - 224)   log energy, log2 in Q8 (8 fractional bits, truncated)
 *   f1 = sat8(zeroCrossings - 48)             sign changes between consecutive samples
 *   f2 = sat8((peak >> 7) - 64)               peak |x|
 *   f3 = sat8((sum x) >> 9)                   DC (sum / 512, arithmetic shift)
 * Scores: acc_c = bias_c + sum_j w_cj * f_j (int32); score_c = sat8(acc_c >> 2) (arithmetic shift).
 */
#include "app_pipeline.h"

#define ENERGY_SAMPLE_RATE_HZ 16000u
#define ENERGY_WINDOW_SAMPLES 400u
#define ENERGY_HOP_SAMPLES 160u
#define ENERGY_NUM_FEATURES 4u
#define ENERGY_NUM_CLASSES 4u
#define ENERGY_SCORE_SHIFT 2

static const int8_t ENERGY_WEIGHTS[ENERGY_NUM_CLASSES][ENERGY_NUM_FEATURES] = {
    {3, 0, 1, 0}, {0, 4, 0, 0}, {-3, 0, -1, 0}, {0, 0, 2, 1}};
static const int32_t ENERGY_BIAS[ENERGY_NUM_CLASSES] = {0, 64, -64, -32};

static const pipeline_info_t ENERGY_INFO = {
    .model_id = 0,
    .frontend_hash = 0x454E5247u, /* "ENRG": this placeholder's configuration */
    .arena_bytes = 0,
    .sample_rate_hz = ENERGY_SAMPLE_RATE_HZ,
    .window_samples = ENERGY_WINDOW_SAMPLES,
    .hop_samples = ENERGY_HOP_SAMPLES,
    .num_classes = ENERGY_NUM_CLASSES,
    .num_features = ENERGY_NUM_FEATURES,
};

static int16_t ring_pcm[ENERGY_WINDOW_SAMPLES]; /* sample i lives at ring_pcm[i % WINDOW] */
static uint32_t next_offset;                    /* absolute index of the next sample */
static uint32_t next_window;
static pipeline_result_cb result_cb;
static void *result_ctx;

static int8_t sat8(int32_t v) { return (int8_t)(v > 127 ? 127 : (v < -128 ? -128 : v)); }

/* floor(log2(v)) in the integer part and the next 8 bits of v below its MSB as the fraction. */
static int32_t log2_q8(uint64_t v) {
  if (v == 0) return 0;
  int32_t msb = 63;
  while (((v >> msb) & 1u) == 0) msb--;
  uint32_t frac = msb >= 8 ? (uint32_t)(v >> (msb - 8)) & 0xFFu : (uint32_t)(v << (8 - msb)) & 0xFFu;
  return msb * 256 + (int32_t)frac;
}

const pipeline_info_t *pipeline_info(void) { return &ENERGY_INFO; }

void pipeline_init(pipeline_result_cb cb, void *ctx) {
  result_cb = cb;
  result_ctx = ctx;
  pipeline_reset(0);
}

void pipeline_reset(uint32_t sample_offset) {
  next_offset = sample_offset;
  next_window = (sample_offset + ENERGY_HOP_SAMPLES - 1u) / ENERGY_HOP_SAMPLES;
}

uint32_t pipeline_next_offset(void) { return next_offset; }

static void run_window(uint32_t window) {
  pipeline_result_t r;
  int8_t features[ENERGY_NUM_FEATURES];
  uint32_t t0 = board_cycles32();
  uint32_t start = window * ENERGY_HOP_SAMPLES;
  uint64_t energy = 0;
  int32_t sum = 0;
  int32_t peak = 0;
  int32_t crossings = 0;
  int32_t prev = ring_pcm[start % ENERGY_WINDOW_SAMPLES];
  for (uint32_t i = 0; i < ENERGY_WINDOW_SAMPLES; i++) {
    int32_t x = ring_pcm[(start + i) % ENERGY_WINDOW_SAMPLES];
    energy += (uint64_t)((int64_t)x * x);
    sum += x;
    int32_t mag = x < 0 ? -x : x;
    if (mag > peak) peak = mag;
    if (i > 0 && ((x < 0) != (prev < 0))) crossings++;
    prev = x;
  }
  features[0] = sat8((log2_q8(energy) >> 5) - 224);
  features[1] = sat8(crossings - 48);
  features[2] = sat8((peak >> 7) - 64);
  features[3] = sat8(sum >> 9);
  uint32_t t1 = board_cycles32();
  uint8_t top = 0;
  for (uint32_t c = 0; c < ENERGY_NUM_CLASSES; c++) {
    int32_t acc = ENERGY_BIAS[c];
    for (uint32_t j = 0; j < ENERGY_NUM_FEATURES; j++) acc += (int32_t)ENERGY_WEIGHTS[c][j] * features[j];
    r.scores[c] = sat8(acc >> ENERGY_SCORE_SHIFT);
    if (r.scores[c] > r.scores[top]) top = (uint8_t)c;
  }
  uint32_t t2 = board_cycles32();
  r.window = window;
  r.frontend_cycles = t1 - t0;
  r.model_cycles = t2 - t1;
  r.top = top;
  r.features = features;
  if (result_cb) result_cb(&r, result_ctx);
}

void pipeline_push_audio(const int16_t *pcm, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    ring_pcm[next_offset % ENERGY_WINDOW_SAMPLES] = pcm[i];
    next_offset++;
    if (next_offset == next_window * ENERGY_HOP_SAMPLES + ENERGY_WINDOW_SAMPLES) {
      run_window(next_window);
      next_window++;
    }
  }
}

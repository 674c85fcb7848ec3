// tinyser speech emotion recognition on an Arduino Nano 33 BLE Sense (model '{{TINYSER_MODEL_NAME}}').
//
// TINYSER_USE_PROTOCOL 0: listen to the on-board PDM microphone (16 kHz mono) and print, once per
//   window ({{TINYSER_HOP_SAMPLES}} samples), the top class and every class score as text.
// TINYSER_USE_PROTOCOL 1: speak the tinyser serial protocol on the USB port instead; the host sends
//   the audio (`tinyser monitor` / `tinyser hil --port /dev/ttyACM0`) and gets RESULT frames back.
#define TINYSER_USE_PROTOCOL 0

#include <TensorFlowLite.h>  // first: lets the Arduino builder find the TFLM library
#include <PDM.h>
#include <tinyser.h>

static const char* const kClassNames[TINYSER_INFO_NUM_CLASSES] = TINYSER_INFO_CLASS_NAMES;

// --- board functions the tinyser sources call (tinyser_board.h) ---
extern "C" uint32_t board_cycles32(void) { return micros(); }
extern "C" void tinyser_board_write(const uint8_t* data, size_t n) { Serial.write(data, n); }
extern "C" void tinyser_board_reset(void) {
  Serial.flush();
  NVIC_SystemReset();
}

#if !TINYSER_USE_PROTOCOL
// The PDM callback runs in interrupt context: it only copies samples into this ring; loop()
// feeds them to the pipeline. 8192 samples = 0.5 s of slack for a slow window.
static const uint32_t kRingSamples = 8192;
static int16_t g_ring[kRingSamples];
static volatile uint32_t g_head = 0;  // written by the ISR
static volatile uint32_t g_tail = 0;  // written by loop()
static volatile uint32_t g_overruns = 0;
static int16_t g_pdm_chunk[512];

static void OnPdmData() {
  int bytes = PDM.available();
  if (bytes > (int)sizeof(g_pdm_chunk)) bytes = sizeof(g_pdm_chunk);
  PDM.read(g_pdm_chunk, bytes);
  const uint32_t n = (uint32_t)bytes / 2u;
  for (uint32_t i = 0; i < n; i++) {
    const uint32_t next = (g_head + 1u) % kRingSamples;
    if (next == g_tail) {
      g_overruns++;  // the pipeline fell behind: drop the newest samples
      return;
    }
    g_ring[g_head] = g_pdm_chunk[i];
    g_head = next;
  }
}

static void PrintResult(const pipeline_result_t* r, void* ctx) {
  (void)ctx;
  Serial.print("window ");
  Serial.print(r->window);
  Serial.print(": ");
  Serial.print(kClassNames[r->top]);
  Serial.print("  |");
  for (uint32_t c = 0; c < TINYSER_INFO_NUM_CLASSES; c++) {
    // Dequantized score (probability when the model ends in softmax).
    const float score = TINYSER_INFO_OUTPUT_SCALE * (float)(r->scores[c] - TINYSER_INFO_OUTPUT_ZERO_POINT);
    Serial.print(' ');
    Serial.print(kClassNames[c]);
    Serial.print('=');
    Serial.print(score, 3);
  }
  Serial.print("  | frontend ");
  Serial.print(r->frontend_cycles);
  Serial.print(" us, model ");
  Serial.print(r->model_cycles);
  Serial.println(" us");
}
#endif

void setup() {
  Serial.begin(115200);  // USB CDC: the baud is ignored
  while (!Serial) {
  }
  const int status = tinyser_model_setup();
#if TINYSER_USE_PROTOCOL
  (void)status;  // the host sees a failed model as all -128 scores; TINYSER_USE_PROTOCOL 0 prints the reason
  tinyser_shell_init();
#else
  if (status != TINYSER_MODEL_OK) {
    Serial.print("tinyser: model setup failed, code ");
    Serial.println(status);  // see model.h: 3 = arena too small (raise TINYSER_INFO_ARENA_BYTES)
    for (;;) {
    }
  }
  Serial.print("tinyser: arena used ");
  Serial.print(tinyser_model_arena_used());
  Serial.print(" of ");
  Serial.print((unsigned long)TINYSER_MODEL_ARENA_BYTES);
  Serial.println(" bytes");
  pipeline_init(PrintResult, nullptr);
  PDM.onReceive(OnPdmData);
  if (!PDM.begin(1, TINYSER_INFO_SAMPLE_RATE_HZ)) {
    Serial.println("tinyser: PDM.begin failed");
    for (;;) {
    }
  }
#endif
}

void loop() {
#if TINYSER_USE_PROTOCOL
  int c = Serial.read();
  if (c < 0) {
    tinyser_shell_idle();  // nothing to read now: ship RESULTs whose hold time is up
    return;
  }
  tinyser_shell_rx((uint8_t)c);
#else
  static int16_t chunk[256];
  uint32_t n = 0;
  while (n < 256u && g_tail != g_head) {
    chunk[n++] = g_ring[g_tail];
    g_tail = (g_tail + 1u) % kRingSamples;
  }
  if (n > 0) pipeline_push_audio(chunk, n);
  if (g_overruns != 0u) {
    Serial.print("tinyser: audio ring overruns (samples dropped): ");
    Serial.println(g_overruns);
    g_overruns = 0;
  }
#endif
}

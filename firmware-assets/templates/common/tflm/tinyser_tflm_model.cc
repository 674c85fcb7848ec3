// TFLite Micro implementation of model.h (see there): one static MicroInterpreter over the
// compiler's model_data.cc, resolver from model_ops.h, arena sized by the compile report.
#include <stdint.h>
#include <string.h>

#include <new>

#include "model_data.h"
#include "model_ops.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/schema/schema_generated.h"

#include "model.h"

namespace {
// 16-byte alignment: TFLM's planner aligns tensors to 16 bytes from the arena start.
alignas(16) uint8_t g_arena[TINYSER_MODEL_ARENA_BYTES];
ModelOpResolver g_resolver;
// Placement-new storage: no heap and no static constructor order issues.
alignas(tflite::MicroInterpreter) uint8_t g_interpreter_storage[sizeof(tflite::MicroInterpreter)];
tflite::MicroInterpreter* g_interpreter = nullptr;
int g_status = -1;

// The quantization the pipeline's frontend was generated for must be the model's, else features
// and weights disagree silently (DESIGN contract 5).
bool QuantMatches(const TfLiteTensor* t, float scale, int zero_point) {
  return t->params.scale == scale && t->params.zero_point == zero_point;
}

int Setup() {
  const tflite::Model* model = tflite::GetModel(g_model_data);
  if (model->version() != TFLITE_SCHEMA_VERSION) return TINYSER_MODEL_ERR_SCHEMA;
  if (RegisterModelOps(g_resolver) != kTfLiteOk) return TINYSER_MODEL_ERR_OPS;
  g_interpreter = new (g_interpreter_storage) tflite::MicroInterpreter(model, g_resolver, g_arena, sizeof(g_arena));
  if (g_interpreter->AllocateTensors() != kTfLiteOk) return TINYSER_MODEL_ERR_ARENA;
  const TfLiteTensor* in = g_interpreter->input(0);
  const TfLiteTensor* out = g_interpreter->output(0);
  if (in == nullptr || out == nullptr || in->type != kTfLiteInt8 || out->type != kTfLiteInt8 ||
      in->bytes != TINYSER_MODEL_INPUT_BYTES || out->bytes != TINYSER_MODEL_OUTPUT_BYTES ||
      !QuantMatches(in, TINYSER_INFO_INPUT_SCALE, TINYSER_INFO_INPUT_ZERO_POINT) ||
      !QuantMatches(out, TINYSER_INFO_OUTPUT_SCALE, TINYSER_INFO_OUTPUT_ZERO_POINT)) {
    return TINYSER_MODEL_ERR_SHAPE;
  }
  return TINYSER_MODEL_OK;
}
}  // namespace

extern "C" int tinyser_model_setup(void) {
  if (g_status < 0) g_status = Setup();
  return g_status;
}

extern "C" int tinyser_model_invoke(const int8_t* input, int8_t* output) {
  // The pipeline does not look at the status: a failed run reports all-minimum scores rather than
  // stale memory; tinyser_model_setup() at start-up is where the board reports the error.
  const int status = tinyser_model_setup();
  if (status != TINYSER_MODEL_OK) {
    memset(output, INT8_MIN, TINYSER_MODEL_OUTPUT_BYTES);
    return status;
  }
  memcpy(g_interpreter->input(0)->data.int8, input, TINYSER_MODEL_INPUT_BYTES);
  if (g_interpreter->Invoke() != kTfLiteOk) {
    memset(output, INT8_MIN, TINYSER_MODEL_OUTPUT_BYTES);
    return TINYSER_MODEL_ERR_INVOKE;
  }
  memcpy(output, g_interpreter->output(0)->data.int8, TINYSER_MODEL_OUTPUT_BYTES);
  return TINYSER_MODEL_OK;
}

extern "C" uint32_t tinyser_model_arena_used(void) {
  return g_interpreter != nullptr ? static_cast<uint32_t>(g_interpreter->arena_used_bytes()) : 0u;
}

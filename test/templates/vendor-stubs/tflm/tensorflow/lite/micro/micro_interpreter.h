// VENDOR STUB (syntax checks only, not TensorFlow Lite Micro): the MicroInterpreter API the
// tinyser TFLM shim uses, with the 4-argument constructor of current TFLM.
#ifndef TINYSER_STUB_MICRO_INTERPRETER_H_
#define TINYSER_STUB_MICRO_INTERPRETER_H_
#include <stddef.h>
#include <stdint.h>
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"
typedef enum { kTfLiteNoType = 0, kTfLiteFloat32 = 1, kTfLiteInt8 = 9 } TfLiteType;
typedef struct {
  float scale;
  int32_t zero_point;
} TfLiteQuantizationParams;
typedef union {
  int8_t* int8;
  float* f;
} TfLitePtrUnion;
typedef struct {
  TfLiteType type;
  TfLitePtrUnion data;
  TfLiteQuantizationParams params;
  size_t bytes;
} TfLiteTensor;
namespace tflite {
class MicroOpResolver {};
class MicroInterpreter {
 public:
  template <unsigned int N>
  MicroInterpreter(const Model* model, const MicroMutableOpResolver<N>& op_resolver, uint8_t* tensor_arena, size_t tensor_arena_size);
  TfLiteStatus AllocateTensors();
  TfLiteStatus Invoke();
  TfLiteTensor* input(size_t index);
  TfLiteTensor* output(size_t index);
  size_t arena_used_bytes() const;

 private:
  void* impl_[8];
};
}  // namespace tflite
#endif

// VENDOR STUB (syntax checks only, not TensorFlow Lite Micro).
#ifndef TINYSER_STUB_SCHEMA_GENERATED_H_
#define TINYSER_STUB_SCHEMA_GENERATED_H_
#include <stdint.h>
#define TFLITE_SCHEMA_VERSION (3)
namespace tflite {
struct Model {
  uint32_t version() const;
};
const Model* GetModel(const void* buf);
}  // namespace tflite
#endif

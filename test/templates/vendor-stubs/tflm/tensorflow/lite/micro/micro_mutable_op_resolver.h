// VENDOR STUB (syntax checks only, not TensorFlow Lite Micro): the resolver API model_ops.h uses.
#ifndef TINYSER_STUB_MICRO_MUTABLE_OP_RESOLVER_H_
#define TINYSER_STUB_MICRO_MUTABLE_OP_RESOLVER_H_
#include <stddef.h>
typedef enum { kTfLiteOk = 0, kTfLiteError = 1 } TfLiteStatus;
#define TF_LITE_ENSURE_STATUS(a) \
  do {                           \
    const TfLiteStatus s = (a);  \
    if (s != kTfLiteOk) return s; \
  } while (0)
namespace tflite {
template <unsigned int tOpCount>
class MicroMutableOpResolver {
 public:
  TfLiteStatus AddAdd() { return Add(); }
  TfLiteStatus AddAveragePool2D() { return Add(); }
  TfLiteStatus AddConcatenation() { return Add(); }
  TfLiteStatus AddConv2D() { return Add(); }
  TfLiteStatus AddDepthwiseConv2D() { return Add(); }
  TfLiteStatus AddFullyConnected() { return Add(); }
  TfLiteStatus AddLeakyRelu() { return Add(); }
  TfLiteStatus AddLogistic() { return Add(); }
  TfLiteStatus AddMaxPool2D() { return Add(); }
  TfLiteStatus AddMean() { return Add(); }
  TfLiteStatus AddMul() { return Add(); }
  TfLiteStatus AddPad() { return Add(); }
  TfLiteStatus AddRelu() { return Add(); }
  TfLiteStatus AddRelu6() { return Add(); }
  TfLiteStatus AddReshape() { return Add(); }
  TfLiteStatus AddSoftmax() { return Add(); }
  TfLiteStatus AddTanh() { return Add(); }
  TfLiteStatus AddTranspose() { return Add(); }

 private:
  // Like TFLM: registering more operators than tOpCount fails.
  TfLiteStatus Add() { return registered_ < tOpCount ? (registered_++, kTfLiteOk) : kTfLiteError; }
  unsigned int registered_ = 0;
};
}  // namespace tflite
#endif

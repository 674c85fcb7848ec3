// VENDOR STUB (syntax checks only, not the Mbed core's PDM library).
#ifndef TINYSER_STUB_PDM_H
#define TINYSER_STUB_PDM_H
#include <stddef.h>
class PDMClass {
 public:
  int begin(int channels, int sampleRate);
  void end();
  int available();
  int read(void* buffer, size_t size);
  void onReceive(void (*function)(void));
  void setGain(int gain);
};
extern PDMClass PDM;
#endif

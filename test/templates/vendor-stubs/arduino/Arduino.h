// VENDOR STUB (syntax checks only, not the Arduino core): the names tinyser_ser.ino uses.
// The Arduino builder prepends #include <Arduino.h> to a sketch; the test does the same with -include.
#ifndef TINYSER_STUB_ARDUINO_H
#define TINYSER_STUB_ARDUINO_H
#include <stddef.h>
#include <stdint.h>
unsigned long micros(void);
extern "C" void NVIC_SystemReset(void);
class StubSerial {
 public:
  void begin(unsigned long baud);
  explicit operator bool();
  size_t write(const uint8_t* buffer, size_t size);
  int read();
  void flush();
  size_t print(const char* s);
  size_t print(char c);
  size_t print(int n, int base = 10);
  size_t print(unsigned int n, int base = 10);
  size_t print(long n, int base = 10);
  size_t print(unsigned long n, int base = 10);
  size_t print(double n, int digits = 2);
  size_t println(const char* s);
  size_t println(int n, int base = 10);
  size_t println(unsigned int n, int base = 10);
  size_t println(long n, int base = 10);
  size_t println(unsigned long n, int base = 10);
};
extern StubSerial Serial;
#endif

// VENDOR STUB (syntax checks only, not the TFLM Arduino library): the real header only pulls the library in.
#ifndef TINYSER_STUB_TENSORFLOWLITE_H
#define TINYSER_STUB_TENSORFLOWLITE_H
#endif

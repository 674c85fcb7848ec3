/*
 * TFLite Micro backend behind the same model API the generated C exposes (model.h of
 * compiler/writers/c), so the portable pipeline (app/pipeline_ser.c) runs unchanged on top of TFLM:
 * tinyser_tflm_model.cc implements tinyser_model_invoke() with a MicroInterpreter over
 * model_data.cc and the resolver of model_ops.h (exactly the model's operators).
 */
#ifndef TINYSER_MODEL_H
#define TINYSER_MODEL_H
#include <stdint.h>
#include "tinyser_model_info.h"
#if defined(ESP_PLATFORM)
#include "sdkconfig.h" /* CONFIG_TINYSER_ARENA_SIZE from the component's Kconfig */
#endif

#define TINYSER_MODEL_HASH32 TINYSER_INFO_MODEL_ID
#if defined(CONFIG_TINYSER_ARENA_SIZE)
#define TINYSER_MODEL_ARENA_BYTES ((uint32_t)CONFIG_TINYSER_ARENA_SIZE)
#else
#define TINYSER_MODEL_ARENA_BYTES TINYSER_INFO_ARENA_BYTES
#endif
#define TINYSER_MODEL_INPUT_BYTES TINYSER_INFO_INPUT_BYTES
#define TINYSER_MODEL_OUTPUT_BYTES TINYSER_INFO_OUTPUT_BYTES

#ifdef __cplusplus
extern "C" {
#endif
/* Status codes of tinyser_model_setup / tinyser_model_invoke. */
#define TINYSER_MODEL_OK 0
#define TINYSER_MODEL_ERR_SCHEMA 1    /* model_data is not the schema version TFLM expects */
#define TINYSER_MODEL_ERR_OPS 2       /* resolver registration failed */
#define TINYSER_MODEL_ERR_ARENA 3     /* AllocateTensors failed: raise the arena (Kconfig / TINYSER_INFO_ARENA_BYTES) */
#define TINYSER_MODEL_ERR_SHAPE 4     /* input/output size, type or quantization differs from tinyser_model_info.h */
#define TINYSER_MODEL_ERR_INVOKE 5

/* Builds the interpreter once (called by the first invoke if not called before). */
int tinyser_model_setup(void);
/* Copies input 0 in, runs the model, copies output 0 out. Returns TINYSER_MODEL_OK or an error above;
 * on error every score is set to -128. */
int tinyser_model_invoke(const int8_t *input, int8_t *output);
/* Arena bytes TFLM actually used (after setup): put the figure back into the arena size to trim it. */
uint32_t tinyser_model_arena_used(void);
#ifdef __cplusplus
}
#endif
#endif

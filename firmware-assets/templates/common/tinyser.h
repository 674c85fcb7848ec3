/*
 * tinyser on a real board: one header for application code.
 *   pipeline_init(cb, ctx) / pipeline_push_audio(pcm, n)   16 kHz int16 audio in, one result per window
 *   tinyser_shell_init / _rx / _idle                       or let the host drive it over the serial protocol
 *   TINYSER_INFO_*                                         model facts (class names, scales, arena)
 *   tinyser_model_setup()                                  (TFLM boards) check the interpreter at start-up
 */
#ifndef TINYSER_H
#define TINYSER_H
#ifdef __cplusplus
extern "C" {
#endif
#include "app/app_pipeline.h"
#include "tinyser_board.h"
#include "tinyser_model_info.h"
#include "tinyser_shell.h"
#include "model.h"
#ifdef __cplusplus
}
#endif
#endif

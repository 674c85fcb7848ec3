/*
 * int8 kernels of tinyser: the C twins of runtime-sim/interpreter/kernels/<op>.ts, byte-exact with
 * them (DESIGN.md contract 4). Every multiplier, shift, padding and activation bound is computed
 * at compile time in TS by the interpreter's own Prepare code (compiler/writers/c/) and passed in
 * the params structs below, so the device does no float math and no allocation.
 * Layouts: activations NHWC, conv filters OHWI, depthwise filters 1HW(C*M), FC weights [out, in].
 * An op's output must not overlap its inputs (the arena planner guarantees it).
 */
#ifndef TINYSER_KERNELS_H
#define TINYSER_KERNELS_H

#include <stdint.h>

/* CONV_2D, int8 per-channel (conv2d.c). multiplier/shift have out_c entries. */
typedef struct {
  int32_t batches, in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t filter_h, filter_w, filter_in_c; /* filter_in_c < in_c means grouped */
  int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
  int32_t input_offset, output_offset; /* -input zero point, +output zero point */
  int32_t act_min, act_max;
  const int32_t *multiplier;
  const int32_t *shift;
  /* Optional (may be NULL): per output channel, the sum of its filter weights (speeds up the
   * interior pixels; the results are identical either way). */
  const int32_t *filter_sum;
} tsk_conv2d_params;
void tsk_conv2d_int8(const tsk_conv2d_params *p, const int8_t *input, const int8_t *filter,
                     const int32_t *bias, int8_t *output);

/* DEPTHWISE_CONV_2D, int8 per-channel (depthwise_conv2d.c); out_c = in_c * depth_multiplier. */
typedef struct {
  int32_t batches, in_h, in_w, in_c;
  int32_t out_h, out_w, out_c, depth_multiplier;
  int32_t filter_h, filter_w;
  int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
  int32_t input_offset, output_offset;
  int32_t act_min, act_max;
  const int32_t *multiplier;
  const int32_t *shift;
  /* Optional (may be NULL): per output channel, the sum of its filter taps. */
  const int32_t *filter_sum;
} tsk_depthwise_conv2d_params;
void tsk_depthwise_conv2d_int8(const tsk_depthwise_conv2d_params *p, const int8_t *input, const int8_t *filter,
                               const int32_t *bias, int8_t *output);

/* FULLY_CONNECTED, int8 (fully_connected.c); per_channel != 0: output_depth multipliers, else 1. */
typedef struct {
  int32_t batches, accum_depth, output_depth;
  int32_t input_offset, filter_offset, output_offset;
  int32_t act_min, act_max;
  int32_t per_channel;
  const int32_t *multiplier;
  const int32_t *shift;
} tsk_fully_connected_params;
void tsk_fully_connected_int8(const tsk_fully_connected_params *p, const int8_t *input, const int8_t *filter,
                              const int32_t *bias, int8_t *output);

/* AVERAGE_POOL_2D / MAX_POOL_2D, int8 (average_pool2d.c, max_pool2d.c). */
typedef struct {
  int32_t batches, in_h, in_w, channels, out_h, out_w;
  int32_t filter_h, filter_w, stride_h, stride_w, pad_h, pad_w;
  int32_t act_min, act_max;
} tsk_pool2d_params;
void tsk_average_pool2d_int8(const tsk_pool2d_params *p, const int8_t *input, int8_t *output);
void tsk_max_pool2d_int8(const tsk_pool2d_params *p, const int8_t *input, int8_t *output);

/* MEAN over a contiguous run of axes: input viewed as [outer, reduce, inner] (mean.c). */
typedef struct {
  int32_t outer, reduce, inner;
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift; /* 1/reduce already folded in, as TFLM's Prepare does */
} tsk_mean_params;
void tsk_mean_int8(const tsk_mean_params *p, const int8_t *input, int8_t *output);

/* SOFTMAX int8 -> int8 (output zero point -128), gemmlowp fixed point (softmax.c). */
typedef struct {
  int32_t outer, depth;
  int32_t input_multiplier, input_left_shift, diff_min;
} tsk_softmax_params;
void tsk_softmax_int8(const tsk_softmax_params *p, const int8_t *input, int8_t *output);

/* Broadcast geometry of binary ops: shapes right-aligned to 4-D, stride 0 on broadcast dims. */
typedef struct {
  int32_t out_shape[4];
  int32_t a_stride[4];
  int32_t b_stride[4];
} tsk_broadcast4;

/* ADD / SUB int8 (add.c): inputs << left_shift, rescaled to a common scale, summed, rescaled. */
typedef struct {
  tsk_broadcast4 geom;
  int32_t subtract;
  int32_t left_shift;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t input1_multiplier, input1_shift, input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
} tsk_add_params;
void tsk_add_int8(const tsk_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);

/* MUL int8 (mul.c). */
typedef struct {
  tsk_broadcast4 geom;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t multiplier, shift;
  int32_t act_min, act_max;
} tsk_mul_params;
void tsk_mul_int8(const tsk_mul_params *p, const int8_t *input1, const int8_t *input2, int8_t *output);

/* CONCATENATION: equal quantization, so a byte copy of each input's inner block (concatenation.c). */
typedef struct {
  int32_t outer;
  int32_t num_inputs;
  const int32_t *inner_bytes; /* per input */
} tsk_concatenation_params;
void tsk_concatenation(const tsk_concatenation_params *p, const void *const *inputs, void *output);

/* PAD / PADV2, int8, rank padded to 4 (pad.c). */
typedef struct {
  int32_t in_shape[4];
  int32_t out_shape[4];
  int32_t before[4];
  int32_t pad_value;
} tsk_pad_params;
void tsk_pad_int8(const tsk_pad_params *p, const int8_t *input, int8_t *output);

/* RESHAPE / SQUEEZE / EXPAND_DIMS: same bytes (reshape.c). */
void tsk_reshape(const void *input, void *output, uint32_t bytes);

/* QUANTIZE int8 -> int8 requantization (quantize.c). */
typedef struct {
  int32_t size;
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift;
  int32_t min, max;
} tsk_quantize_params;
void tsk_quantize_int8(const tsk_quantize_params *p, const int8_t *input, int8_t *output);

/* DEQUANTIZE int8 -> float32: scale * (q - zero_point) in float (dequantize.c). */
void tsk_dequantize_int8(int32_t size, float scale, int32_t zero_point, const int8_t *input, float *output);

/* LOGISTIC / TANH int8 (logistic.c, tanh.c): Q4.27 input multiplier, saturation radius. */
typedef struct {
  int32_t size;
  int32_t input_zero_point;
  int32_t multiplier, shift, radius;
} tsk_activation_params;
void tsk_logistic_int8(const tsk_activation_params *p, const int8_t *input, int8_t *output);
void tsk_tanh_int8(const tsk_activation_params *p, const int8_t *input, int8_t *output);

/* RELU (requantizing) and RELU6 (clamp only) int8 (relu.c). */
typedef struct {
  int32_t size;
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift;
  int32_t min, max;
  int32_t clamp_only; /* RELU6 */
} tsk_relu_params;
void tsk_relu_int8(const tsk_relu_params *p, const int8_t *input, int8_t *output);

/* LEAKY_RELU int8 (leaky_relu.c). */
typedef struct {
  int32_t size;
  int32_t input_zero_point, output_zero_point;
  int32_t identity_multiplier, identity_shift, alpha_multiplier, alpha_shift;
} tsk_leaky_relu_params;
void tsk_leaky_relu_int8(const tsk_leaky_relu_params *p, const int8_t *input, int8_t *output);

/* TRANSPOSE int8, rank <= 6 (transpose.c). */
typedef struct {
  int32_t out_shape[6];
  int32_t in_stride[6];
} tsk_transpose_params;
void tsk_transpose_int8(const tsk_transpose_params *p, const int8_t *input, int8_t *output);

#endif

/*
 * CONV_2D int8 per-channel: twin of runtime-sim/interpreter/kernels/conv2d.ts (TFLM
 * reference_integer_ops::ConvPerChannel). Taps outside the image are skipped, which equals
 * padding with the input zero point. The filter zero point is not applied (symmetric weights).
 *
 * Speed (plain C, no DSP intrinsics): for dilation 1 the valid tap window of each output pixel is
 * computed once, so rows of (filter_x, in_c) are contiguous runs in both input and filter. When the
 * whole window is inside the image and the generator supplied filter_sum (sum of each output
 * channel's weights), sum(w * (x + off)) is computed as sum(w * x) + off * filter_sum: the same
 * int32 (every term is exact), one instruction less per MAC.
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

/* sum(w[k] * x[k]), unrolled by 4 (the loop overhead matters on a Cortex-M4). */
static int32_t dot_int8(const int8_t *w, const int8_t *x, int32_t n) {
  int32_t acc = 0, k = 0;
  for (; k + 4 <= n; k += 4) {
    acc += (int32_t)w[k] * x[k];
    acc += (int32_t)w[k + 1] * x[k + 1];
    acc += (int32_t)w[k + 2] * x[k + 2];
    acc += (int32_t)w[k + 3] * x[k + 3];
  }
  for (; k < n; k++) acc += (int32_t)w[k] * x[k];
  return acc;
}

/* sum(w[k] * (x[k] + offset)) for border windows. */
static int32_t dot_offset_int8(const int8_t *w, const int8_t *x, int32_t n, int32_t offset) {
  int32_t acc = 0, k;
  for (k = 0; k < n; k++) acc += (int32_t)w[k] * ((int32_t)x[k] + offset);
  return acc;
}

static int8_t requantize(const tsk_conv2d_params *p, int32_t acc, const int32_t *bias, int32_t oc) {
  if (bias) acc += bias[oc];
  return (int8_t)tsk_clamp_i32(tsk_mbqm(acc, p->multiplier[oc], (int)p->shift[oc]) + p->output_offset, p->act_min, p->act_max);
}

/* Any dilation / grouping: the reference loop with per-tap bounds checks. */
static void conv_generic(const tsk_conv2d_params *p, const int8_t *input, const int8_t *filter,
                         const int32_t *bias, int8_t *output) {
  const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c;
  const int32_t out_c = p->out_c, filter_h = p->filter_h, filter_w = p->filter_w, filter_in_c = p->filter_in_c;
  const int32_t filters_per_group = out_c / (in_c / filter_in_c);
  const int32_t filter_size = filter_h * filter_w * filter_in_c;
  int32_t n, oy, ox, oc, fy, fx;
  for (n = 0; n < p->batches; n++) {
    const int8_t *in_batch = input + n * in_h * in_w * in_c;
    for (oy = 0; oy < p->out_h; oy++) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_h;
      for (ox = 0; ox < p->out_w; ox++) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        int8_t *out_pixel = output + ((n * p->out_h + oy) * p->out_w + ox) * out_c;
        for (oc = 0; oc < out_c; oc++) {
          const int32_t ic_base = (oc / filters_per_group) * filter_in_c;
          const int8_t *w_oc = filter + oc * filter_size;
          int32_t acc = 0;
          for (fy = 0; fy < filter_h; fy++) {
            const int32_t iy = in_y0 + p->dilation_h * fy;
            if (iy < 0 || iy >= in_h) continue;
            for (fx = 0; fx < filter_w; fx++) {
              const int32_t ix = in_x0 + p->dilation_w * fx;
              if (ix < 0 || ix >= in_w) continue;
              acc += dot_offset_int8(w_oc + (fy * filter_w + fx) * filter_in_c,
                                     in_batch + (iy * in_w + ix) * in_c + ic_base, filter_in_c, p->input_offset);
            }
          }
          out_pixel[oc] = requantize(p, acc, bias, oc);
        }
      }
    }
  }
}

void tsk_conv2d_int8(const tsk_conv2d_params *p, const int8_t *input, const int8_t *filter,
                     const int32_t *bias, int8_t *output) {
  const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c;
  const int32_t out_c = p->out_c, filter_h = p->filter_h, filter_w = p->filter_w;
  const int32_t filter_size = filter_h * filter_w * in_c;
  const int32_t input_offset = p->input_offset;
  int32_t n, oy, ox, oc, fy;
  if (p->dilation_h != 1 || p->dilation_w != 1 || p->filter_in_c != in_c) {
    conv_generic(p, input, filter, bias, output);
    return;
  }
  for (n = 0; n < p->batches; n++) {
    const int8_t *in_batch = input + n * in_h * in_w * in_c;
    for (oy = 0; oy < p->out_h; oy++) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_h;
      const int32_t fy_start = in_y0 < 0 ? -in_y0 : 0;
      const int32_t fy_end = filter_h < in_h - in_y0 ? filter_h : in_h - in_y0;
      for (ox = 0; ox < p->out_w; ox++) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        const int32_t fx_start = in_x0 < 0 ? -in_x0 : 0;
        const int32_t fx_end = filter_w < in_w - in_x0 ? filter_w : in_w - in_x0;
        const int32_t span = (fx_end - fx_start) * in_c; /* contiguous (filter_x, in_c) run per row */
        const int full = fy_start == 0 && fy_end == filter_h && fx_start == 0 && fx_end == filter_w && p->filter_sum != 0;
        const int8_t *x0 = in_batch + ((in_y0 + fy_start) * in_w + in_x0 + fx_start) * in_c;
        int8_t *out_pixel = output + ((n * p->out_h + oy) * p->out_w + ox) * out_c;
        for (oc = 0; oc < out_c; oc++) {
          const int8_t *w0 = filter + oc * filter_size + (fy_start * filter_w + fx_start) * in_c;
          int32_t acc = 0;
          if (full) {
            for (fy = fy_start; fy < fy_end; fy++) acc += dot_int8(w0 + (fy - fy_start) * filter_w * in_c, x0 + (fy - fy_start) * in_w * in_c, span);
            acc += input_offset * p->filter_sum[oc];
          } else {
            for (fy = fy_start; fy < fy_end; fy++) {
              acc += dot_offset_int8(w0 + (fy - fy_start) * filter_w * in_c, x0 + (fy - fy_start) * in_w * in_c, span, input_offset);
            }
          }
          out_pixel[oc] = requantize(p, acc, bias, oc);
        }
      }
    }
  }
}

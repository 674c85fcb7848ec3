/*
 * CONV_2D int8 per-channel: twin of runtime-sim/interpreter/kernels/conv2d.ts (TFLM
 * reference_integer_ops::ConvPerChannel). Taps outside the image are skipped, which equals
 * padding with the input zero point. The filter zero point is not applied (symmetric weights).
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

void tsk_conv2d_int8(const tsk_conv2d_params *p, const int8_t *input, const int8_t *filter,
                     const int32_t *bias, int8_t *output) {
  const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c;
  const int32_t out_c = p->out_c, filter_h = p->filter_h, filter_w = p->filter_w, filter_in_c = p->filter_in_c;
  const int32_t groups = in_c / filter_in_c;
  const int32_t filters_per_group = out_c / groups;
  const int32_t input_offset = p->input_offset;
  const int32_t filter_size = filter_h * filter_w * filter_in_c;
  int32_t n, oy, ox, oc, fy, fx, ic;
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
          int32_t acc = 0, v;
          for (fy = 0; fy < filter_h; fy++) {
            const int32_t iy = in_y0 + p->dilation_h * fy;
            if (iy < 0 || iy >= in_h) continue;
            for (fx = 0; fx < filter_w; fx++) {
              const int32_t ix = in_x0 + p->dilation_w * fx;
              const int8_t *x;
              const int8_t *w;
              if (ix < 0 || ix >= in_w) continue;
              x = in_batch + (iy * in_w + ix) * in_c + ic_base;
              w = w_oc + (fy * filter_w + fx) * filter_in_c;
              for (ic = 0; ic < filter_in_c; ic++) acc += (int32_t)w[ic] * ((int32_t)x[ic] + input_offset);
            }
          }
          if (bias) acc += bias[oc];
          v = tsk_mbqm(acc, p->multiplier[oc], (int)p->shift[oc]) + p->output_offset;
          out_pixel[oc] = (int8_t)tsk_clamp_i32(v, p->act_min, p->act_max);
        }
      }
    }
  }
}

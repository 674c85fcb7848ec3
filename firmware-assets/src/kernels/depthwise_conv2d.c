/*
 * DEPTHWISE_CONV_2D int8 per-channel: twin of runtime-sim/interpreter/kernels/depthwise-conv2d.ts
 * (TFLM reference_integer_ops::DepthwiseConvPerChannel); output channel oc = ic * M + m.
 * With M == 1 the channels of one pixel are accumulated in blocks of TSK_DW_BLOCK so the inner
 * loop walks contiguous input and filter bytes (the sums are the same integers in any order).
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

#define TSK_DW_BLOCK 32

static void depthwise_multiplier1(const tsk_depthwise_conv2d_params *p, const int8_t *input, const int8_t *filter,
                                  const int32_t *bias, int8_t *output) {
  const int32_t in_h = p->in_h, in_w = p->in_w, ch = p->in_c, filter_w = p->filter_w;
  const int32_t input_offset = p->input_offset;
  int32_t acc[TSK_DW_BLOCK];
  int32_t n, oy, ox, c0, fy, fx, c;
  for (n = 0; n < p->batches; n++) {
    const int8_t *in_batch = input + n * in_h * in_w * ch;
    for (oy = 0; oy < p->out_h; oy++) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_h;
      for (ox = 0; ox < p->out_w; ox++) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        int8_t *out_pixel = output + ((n * p->out_h + oy) * p->out_w + ox) * ch;
        for (c0 = 0; c0 < ch; c0 += TSK_DW_BLOCK) {
          const int32_t len = ch - c0 < TSK_DW_BLOCK ? ch - c0 : TSK_DW_BLOCK;
          for (c = 0; c < len; c++) acc[c] = bias ? bias[c0 + c] : 0;
          for (fy = 0; fy < p->filter_h; fy++) {
            const int32_t iy = in_y0 + p->dilation_h * fy;
            if (iy < 0 || iy >= in_h) continue;
            for (fx = 0; fx < filter_w; fx++) {
              const int32_t ix = in_x0 + p->dilation_w * fx;
              const int8_t *x;
              const int8_t *w;
              if (ix < 0 || ix >= in_w) continue;
              x = in_batch + (iy * in_w + ix) * ch + c0;
              w = filter + (fy * filter_w + fx) * ch + c0;
              for (c = 0; c < len; c++) acc[c] += (int32_t)w[c] * ((int32_t)x[c] + input_offset);
            }
          }
          for (c = 0; c < len; c++) {
            const int32_t v = tsk_mbqm(acc[c], p->multiplier[c0 + c], (int)p->shift[c0 + c]) + p->output_offset;
            out_pixel[c0 + c] = (int8_t)tsk_clamp_i32(v, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}

void tsk_depthwise_conv2d_int8(const tsk_depthwise_conv2d_params *p, const int8_t *input, const int8_t *filter,
                               const int32_t *bias, int8_t *output) {
  const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_c = p->out_c, dm = p->depth_multiplier;
  int32_t n, oy, ox, ic, m, fy, fx;
  if (dm == 1) {
    depthwise_multiplier1(p, input, filter, bias, output);
    return;
  }
  for (n = 0; n < p->batches; n++) {
    for (oy = 0; oy < p->out_h; oy++) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_h;
      for (ox = 0; ox < p->out_w; ox++) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        int8_t *out_pixel = output + ((n * p->out_h + oy) * p->out_w + ox) * out_c;
        for (ic = 0; ic < in_c; ic++) {
          for (m = 0; m < dm; m++) {
            const int32_t oc = ic * dm + m;
            int32_t acc = 0, v;
            for (fy = 0; fy < p->filter_h; fy++) {
              const int32_t iy = in_y0 + p->dilation_h * fy;
              if (iy < 0 || iy >= in_h) continue;
              for (fx = 0; fx < p->filter_w; fx++) {
                const int32_t ix = in_x0 + p->dilation_w * fx;
                if (ix < 0 || ix >= in_w) continue;
                acc += (int32_t)filter[(fy * p->filter_w + fx) * out_c + oc] *
                       ((int32_t)input[((n * in_h + iy) * in_w + ix) * in_c + ic] + p->input_offset);
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
}
